//! Treatment teams and their keyworkers, referrals from them, and the client's consent to share
//! their progress with their keyworker.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum TreatmentTeam {
    Table,
    Id,
    Name,
    NameKey,
    Site,
    TeamId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum TreatmentTeamSpecialist {
    Table,
    Id,
    TreatmentTeamId,
    SpecialistId,
    AttachedAt,
    AttachedById,
}

#[derive(DeriveIden)]
enum Referral {
    Table,
    Id,
    TreatmentTeamId,
    KeyworkerId,
    RecordedById,
    ReferredOn,
    PersonName,
    NameKey,
    Phone,
    Email,
    HowTold,
    ContactPreference,
    ContactNotes,
    State,
    ContactedOn,
    FirstMeetingOn,
    ClosedOn,
    NotTakenUpReason,
    ClientId,
    CreatedAt,
    UpdatedAt,
    Version,
}

#[derive(DeriveIden)]
enum KeyworkerConsent {
    Table,
    Id,
    ConsentId,
    Version,
    ClientId,
    KeyworkerId,
    Items,
    Wording,
    CapturedHow,
    CapturedById,
    CapturedAt,
    EffectiveFrom,
    ExpiresAt,
    Status,
    Note,
}

#[derive(DeriveIden)]
enum Staff {
    Table,
    Id,
    TreatmentTeamId,
}

#[derive(DeriveIden)]
enum Team {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Client {
    Table,
    Id,
}

/// A text column whose ordering is byte order on both databases (as in the first migration).
fn sort_key<T: IntoIden>(backend: DatabaseBackend, col: T) -> ColumnDef {
    let mut def = string(col);
    if backend == DatabaseBackend::Postgres {
        def.extra("COLLATE \"C\"");
    }
    def
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let backend = manager.get_database_backend();
        manager
            .create_table(
                Table::create()
                    .table(TreatmentTeam::Table)
                    .col(pk_uuid(TreatmentTeam::Id))
                    .col(string(TreatmentTeam::Name))
                    .col(sort_key(backend, TreatmentTeam::NameKey).unique_key())
                    .col(string(TreatmentTeam::Site))
                    .col(uuid(TreatmentTeam::TeamId))
                    .col(timestamp_with_time_zone(TreatmentTeam::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(TreatmentTeam::Table, TreatmentTeam::TeamId)
                            .to(Team::Table, Team::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(TreatmentTeamSpecialist::Table)
                    .col(pk_uuid(TreatmentTeamSpecialist::Id))
                    .col(uuid(TreatmentTeamSpecialist::TreatmentTeamId))
                    .col(uuid(TreatmentTeamSpecialist::SpecialistId))
                    .col(timestamp_with_time_zone(
                        TreatmentTeamSpecialist::AttachedAt,
                    ))
                    .col(uuid(TreatmentTeamSpecialist::AttachedById))
                    .foreign_key(
                        ForeignKey::create()
                            .from(
                                TreatmentTeamSpecialist::Table,
                                TreatmentTeamSpecialist::TreatmentTeamId,
                            )
                            .to(TreatmentTeam::Table, TreatmentTeam::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(
                                TreatmentTeamSpecialist::Table,
                                TreatmentTeamSpecialist::SpecialistId,
                            )
                            .to(Staff::Table, Staff::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("treatment_team_specialist_pair_idx")
                    .table(TreatmentTeamSpecialist::Table)
                    .col(TreatmentTeamSpecialist::SpecialistId)
                    .col(TreatmentTeamSpecialist::TreatmentTeamId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Staff::Table)
                    .add_column(ColumnDef::new(Staff::TreatmentTeamId).uuid().null())
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Referral::Table)
                    .col(pk_uuid(Referral::Id))
                    .col(uuid(Referral::TreatmentTeamId))
                    .col(uuid_null(Referral::KeyworkerId))
                    .col(uuid(Referral::RecordedById))
                    .col(date(Referral::ReferredOn))
                    .col(string(Referral::PersonName))
                    .col(sort_key(backend, Referral::NameKey))
                    .col(string_null(Referral::Phone))
                    .col(string_null(Referral::Email))
                    .col(string(Referral::HowTold))
                    .col(string(Referral::ContactPreference))
                    .col(string_null(Referral::ContactNotes))
                    .col(string(Referral::State))
                    .col(date_null(Referral::ContactedOn))
                    .col(date_null(Referral::FirstMeetingOn))
                    .col(date_null(Referral::ClosedOn))
                    .col(string_null(Referral::NotTakenUpReason))
                    .col(uuid_null(Referral::ClientId).unique_key())
                    .col(timestamp_with_time_zone(Referral::CreatedAt))
                    .col(timestamp_with_time_zone(Referral::UpdatedAt))
                    .col(integer(Referral::Version))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Referral::Table, Referral::TreatmentTeamId)
                            .to(TreatmentTeam::Table, TreatmentTeam::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Referral::Table, Referral::ClientId)
                            .to(Client::Table, Client::Id),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, col) in [
            ("referral_treatment_team_idx", Referral::TreatmentTeamId),
            ("referral_keyworker_idx", Referral::KeyworkerId),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(Referral::Table)
                        .col(col)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_index(
                Index::create()
                    .name("referral_referred_on_order_idx")
                    .table(Referral::Table)
                    .col(Referral::ReferredOn)
                    .col(Referral::Id)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(KeyworkerConsent::Table)
                    .col(pk_uuid(KeyworkerConsent::Id))
                    .col(uuid(KeyworkerConsent::ConsentId))
                    .col(integer(KeyworkerConsent::Version))
                    .col(uuid(KeyworkerConsent::ClientId))
                    .col(uuid(KeyworkerConsent::KeyworkerId))
                    .col(string(KeyworkerConsent::Items))
                    .col(text(KeyworkerConsent::Wording))
                    .col(string(KeyworkerConsent::CapturedHow))
                    .col(uuid(KeyworkerConsent::CapturedById))
                    .col(timestamp_with_time_zone(KeyworkerConsent::CapturedAt))
                    .col(timestamp_with_time_zone(KeyworkerConsent::EffectiveFrom))
                    .col(timestamp_with_time_zone(KeyworkerConsent::ExpiresAt))
                    .col(string(KeyworkerConsent::Status))
                    .col(string_null(KeyworkerConsent::Note))
                    .foreign_key(
                        ForeignKey::create()
                            .from(KeyworkerConsent::Table, KeyworkerConsent::ClientId)
                            .to(Client::Table, Client::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(KeyworkerConsent::Table, KeyworkerConsent::KeyworkerId)
                            .to(Staff::Table, Staff::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("keyworker_consent_version_idx")
                    .table(KeyworkerConsent::Table)
                    .col(KeyworkerConsent::ConsentId)
                    .col(KeyworkerConsent::Version)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("keyworker_consent_client_idx")
                    .table(KeyworkerConsent::Table)
                    .col(KeyworkerConsent::ClientId)
                    .col(KeyworkerConsent::KeyworkerId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            KeyworkerConsent::Table.into_iden(),
            Referral::Table.into_iden(),
            TreatmentTeamSpecialist::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(Staff::Table)
                    .drop_column(Staff::TreatmentTeamId)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_table(Table::drop().table(TreatmentTeam::Table).to_owned())
            .await
    }
}
