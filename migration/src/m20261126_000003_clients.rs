//! Clients and their caseloads: identity and referral, dated status episodes, the assignment history
//! to specialists, the special-category facts kept apart (versioned), vocational profiles and job
//! preferences (versioned), and the hash-chained audit log of sensitive reads.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum Client {
    Table,
    Id,
    TeamId,
    Name,
    NameKey,
    Phone,
    Email,
    Town,
    Postcode,
    ReferralDate,
    ReferralSource,
    KeyworkerName,
    KeyworkerContact,
    Status,
    CreatedById,
    CreatedAt,
    UpdatedAt,
    Version,
}

#[derive(DeriveIden, Clone, Copy)]
enum ClientStatusEpisode {
    Table,
    Id,
    ClientId,
    Status,
    StartedOn,
    EndedOn,
    Reason,
    RecordedById,
    RecordedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum CaseloadAssignment {
    Table,
    Id,
    ClientId,
    SpecialistId,
    AssignedFrom,
    AssignedTo,
    Reason,
    AssignedById,
}

#[derive(DeriveIden, Clone, Copy)]
enum ClientSensitive {
    Table,
    Id,
    ClientId,
    Version,
    PrimarySubstanceGroup,
    TreatmentStatus,
    CriminalRecordStatus,
    BenefitsStatus,
    RecordedById,
    RecordedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum VocationalProfile {
    Table,
    Id,
    ClientId,
    Version,
    WorkGoal,
    WorkHistory,
    Skills,
    Qualifications,
    Licences,
    Barriers,
    RecordedById,
    RecordedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum JobPreference {
    Table,
    Id,
    ClientId,
    Version,
    Occupations,
    OccupationTitles,
    Keywords,
    Sectors,
    HoursMin,
    HoursMax,
    Shifts,
    FreeWindows,
    ContractTypes,
    MinHourlyPay,
    HomeTown,
    HomeLatitude,
    HomeLongitude,
    MaxTravelKm,
    RemoteOk,
    AvoidEnvironments,
    PreferEnvironments,
    RecordedById,
    RecordedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum AuditEvent {
    Table,
    Seq,
    At,
    ActorId,
    Action,
    ClientId,
    Purpose,
    Detail,
    PrevHash,
    Hash,
}

#[derive(DeriveIden, Clone, Copy)]
enum Team {
    Table,
    Id,
}

#[derive(DeriveIden, Clone, Copy)]
enum Staff {
    Table,
    Id,
}

fn client_fk(table: impl IntoIden + Clone, column: impl IntoIden) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(table, column)
        .to(Client::Table, Client::Id)
        .to_owned()
}

fn staff_fk(table: impl IntoIden + Clone, column: impl IntoIden) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(table, column)
        .to(Staff::Table, Staff::Id)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Client::Table)
                    .col(pk_uuid(Client::Id))
                    .col(uuid(Client::TeamId))
                    .col(string(Client::Name))
                    .col(string(Client::NameKey))
                    .col(string_null(Client::Phone))
                    .col(string_null(Client::Email))
                    .col(string_null(Client::Town))
                    .col(string_null(Client::Postcode))
                    .col(date(Client::ReferralDate))
                    .col(string(Client::ReferralSource))
                    .col(string_null(Client::KeyworkerName))
                    .col(string_null(Client::KeyworkerContact))
                    .col(string(Client::Status))
                    .col(uuid(Client::CreatedById))
                    .col(timestamp_with_time_zone(Client::CreatedAt))
                    .col(timestamp_with_time_zone(Client::UpdatedAt))
                    .col(integer(Client::Version))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Client::Table, Client::TeamId)
                            .to(Team::Table, Team::Id),
                    )
                    .foreign_key(&mut staff_fk(Client::Table, Client::CreatedById))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("client_team_idx")
                    .table(Client::Table)
                    .col(Client::TeamId)
                    .col(Client::NameKey)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ClientStatusEpisode::Table)
                    .col(pk_uuid(ClientStatusEpisode::Id))
                    .col(uuid(ClientStatusEpisode::ClientId))
                    .col(string(ClientStatusEpisode::Status))
                    .col(date(ClientStatusEpisode::StartedOn))
                    .col(date_null(ClientStatusEpisode::EndedOn))
                    .col(string_null(ClientStatusEpisode::Reason))
                    .col(uuid(ClientStatusEpisode::RecordedById))
                    .col(timestamp_with_time_zone(ClientStatusEpisode::RecordedAt))
                    .foreign_key(&mut client_fk(
                        ClientStatusEpisode::Table,
                        ClientStatusEpisode::ClientId,
                    ))
                    .foreign_key(&mut staff_fk(
                        ClientStatusEpisode::Table,
                        ClientStatusEpisode::RecordedById,
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(CaseloadAssignment::Table)
                    .col(pk_uuid(CaseloadAssignment::Id))
                    .col(uuid(CaseloadAssignment::ClientId))
                    .col(uuid(CaseloadAssignment::SpecialistId))
                    .col(timestamp_with_time_zone(CaseloadAssignment::AssignedFrom))
                    .col(timestamp_with_time_zone_null(
                        CaseloadAssignment::AssignedTo,
                    ))
                    .col(string_null(CaseloadAssignment::Reason))
                    .col(uuid(CaseloadAssignment::AssignedById))
                    .foreign_key(&mut client_fk(
                        CaseloadAssignment::Table,
                        CaseloadAssignment::ClientId,
                    ))
                    .foreign_key(&mut staff_fk(
                        CaseloadAssignment::Table,
                        CaseloadAssignment::SpecialistId,
                    ))
                    .foreign_key(&mut staff_fk(
                        CaseloadAssignment::Table,
                        CaseloadAssignment::AssignedById,
                    ))
                    .to_owned(),
            )
            .await?;
        for (name, first) in [
            ("caseload_specialist_idx", CaseloadAssignment::SpecialistId),
            ("caseload_client_idx", CaseloadAssignment::ClientId),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(CaseloadAssignment::Table)
                        .col(first)
                        .col(CaseloadAssignment::AssignedTo)
                        .to_owned(),
                )
                .await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(ClientSensitive::Table)
                    .col(pk_uuid(ClientSensitive::Id))
                    .col(uuid(ClientSensitive::ClientId))
                    .col(integer(ClientSensitive::Version))
                    .col(string_null(ClientSensitive::PrimarySubstanceGroup))
                    .col(string_null(ClientSensitive::TreatmentStatus))
                    .col(string_null(ClientSensitive::CriminalRecordStatus))
                    .col(string_null(ClientSensitive::BenefitsStatus))
                    .col(uuid(ClientSensitive::RecordedById))
                    .col(timestamp_with_time_zone(ClientSensitive::RecordedAt))
                    .foreign_key(&mut client_fk(
                        ClientSensitive::Table,
                        ClientSensitive::ClientId,
                    ))
                    .foreign_key(&mut staff_fk(
                        ClientSensitive::Table,
                        ClientSensitive::RecordedById,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("client_sensitive_version_uniq")
                    .table(ClientSensitive::Table)
                    .col(ClientSensitive::ClientId)
                    .col(ClientSensitive::Version)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(VocationalProfile::Table)
                    .col(pk_uuid(VocationalProfile::Id))
                    .col(uuid(VocationalProfile::ClientId))
                    .col(integer(VocationalProfile::Version))
                    .col(text(VocationalProfile::WorkGoal))
                    .col(text(VocationalProfile::WorkHistory))
                    .col(text(VocationalProfile::Skills))
                    .col(text(VocationalProfile::Qualifications))
                    .col(string(VocationalProfile::Licences))
                    .col(text(VocationalProfile::Barriers))
                    .col(uuid(VocationalProfile::RecordedById))
                    .col(timestamp_with_time_zone(VocationalProfile::RecordedAt))
                    .foreign_key(&mut client_fk(
                        VocationalProfile::Table,
                        VocationalProfile::ClientId,
                    ))
                    .foreign_key(&mut staff_fk(
                        VocationalProfile::Table,
                        VocationalProfile::RecordedById,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("vocational_profile_version_uniq")
                    .table(VocationalProfile::Table)
                    .col(VocationalProfile::ClientId)
                    .col(VocationalProfile::Version)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(JobPreference::Table)
                    .col(pk_uuid(JobPreference::Id))
                    .col(uuid(JobPreference::ClientId))
                    .col(integer(JobPreference::Version))
                    .col(string(JobPreference::Occupations))
                    .col(text(JobPreference::OccupationTitles))
                    .col(text(JobPreference::Keywords))
                    .col(string(JobPreference::Sectors))
                    .col(double_null(JobPreference::HoursMin))
                    .col(double_null(JobPreference::HoursMax))
                    .col(string(JobPreference::Shifts))
                    .col(text(JobPreference::FreeWindows))
                    .col(string(JobPreference::ContractTypes))
                    .col(double_null(JobPreference::MinHourlyPay))
                    .col(string_null(JobPreference::HomeTown))
                    .col(double_null(JobPreference::HomeLatitude))
                    .col(double_null(JobPreference::HomeLongitude))
                    .col(double_null(JobPreference::MaxTravelKm))
                    .col(boolean(JobPreference::RemoteOk))
                    .col(string(JobPreference::AvoidEnvironments))
                    .col(string(JobPreference::PreferEnvironments))
                    .col(uuid(JobPreference::RecordedById))
                    .col(timestamp_with_time_zone(JobPreference::RecordedAt))
                    .foreign_key(&mut client_fk(
                        JobPreference::Table,
                        JobPreference::ClientId,
                    ))
                    .foreign_key(&mut staff_fk(
                        JobPreference::Table,
                        JobPreference::RecordedById,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("job_preference_version_uniq")
                    .table(JobPreference::Table)
                    .col(JobPreference::ClientId)
                    .col(JobPreference::Version)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(AuditEvent::Table)
                    .col(big_pk_auto(AuditEvent::Seq))
                    .col(timestamp_with_time_zone(AuditEvent::At))
                    .col(uuid(AuditEvent::ActorId))
                    .col(string(AuditEvent::Action))
                    .col(uuid_null(AuditEvent::ClientId))
                    .col(string_null(AuditEvent::Purpose))
                    .col(string(AuditEvent::Detail))
                    .col(string(AuditEvent::PrevHash))
                    .col(string(AuditEvent::Hash))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("audit_event_client_idx")
                    .table(AuditEvent::Table)
                    .col(AuditEvent::ClientId)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            AuditEvent::Table.into_iden(),
            JobPreference::Table.into_iden(),
            VocationalProfile::Table.into_iden(),
            ClientSensitive::Table.into_iden(),
            CaseloadAssignment::Table.into_iden(),
            ClientStatusEpisode::Table.into_iden(),
            Client::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
