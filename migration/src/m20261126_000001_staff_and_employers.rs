//! Teams, staff, and the employer engagement CRM: employers, their locations, contacts and engagements.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Team {
    Table,
    Id,
    Name,
    NameKey,
    Site,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Staff {
    Table,
    Id,
    TeamId,
    Name,
    Email,
    Role,
    Fte,
    Active,
    CreatedAt,
    DeactivatedAt,
    Version,
}

#[derive(DeriveIden)]
enum Employer {
    Table,
    Id,
    Name,
    NameKey,
    Sector,
    Size,
    Stage,
    OpennessNotes,
    RecoveryFriendly,
    DisabilityConfident,
    Website,
    OwnerId,
    ArchivedAt,
    CreatedAt,
    UpdatedAt,
    Version,
}

#[derive(DeriveIden)]
enum EmployerLocation {
    Table,
    Id,
    EmployerId,
    Label,
    Address,
    Town,
    Postcode,
    Latitude,
    Longitude,
    Position,
}

#[derive(DeriveIden)]
enum EmployerContact {
    Table,
    Id,
    EmployerId,
    Name,
    JobTitle,
    Phone,
    Email,
    PreferredChannel,
    Notes,
    ArchivedAt,
    CreatedAt,
    UpdatedAt,
    Version,
}

#[derive(DeriveIden)]
enum Engagement {
    Table,
    Id,
    EmployerId,
    SpecialistId,
    ContactId,
    OccurredAt,
    Mode,
    Purpose,
    Outcome,
    NextStep,
    NextStepDue,
    SupersedesId,
    RetractionReason,
    RecordedById,
    RecordedAt,
}

/// A text column whose ordering is byte order on both databases (PostgreSQL would otherwise sort by
/// the locale's collation and SQLite by bytes, and cursors must mean the same thing on both).
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
                    .table(Team::Table)
                    .col(pk_uuid(Team::Id))
                    .col(string(Team::Name))
                    .col(sort_key(backend, Team::NameKey).unique_key())
                    .col(string(Team::Site))
                    .col(timestamp_with_time_zone(Team::CreatedAt))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Staff::Table)
                    .col(pk_uuid(Staff::Id))
                    .col(uuid_null(Staff::TeamId))
                    .col(string(Staff::Name))
                    .col(string_uniq(Staff::Email))
                    .col(string(Staff::Role))
                    .col(double(Staff::Fte))
                    .col(boolean(Staff::Active))
                    .col(timestamp_with_time_zone(Staff::CreatedAt))
                    .col(timestamp_with_time_zone_null(Staff::DeactivatedAt))
                    .col(integer(Staff::Version))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Staff::Table, Staff::TeamId)
                            .to(Team::Table, Team::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("staff_team_idx")
                    .table(Staff::Table)
                    .col(Staff::TeamId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Employer::Table)
                    .col(pk_uuid(Employer::Id))
                    .col(string(Employer::Name))
                    .col(sort_key(backend, Employer::NameKey).unique_key())
                    .col(string(Employer::Sector))
                    .col(string(Employer::Size))
                    .col(string(Employer::Stage))
                    .col(text_null(Employer::OpennessNotes))
                    .col(boolean(Employer::RecoveryFriendly))
                    .col(boolean(Employer::DisabilityConfident))
                    .col(string_null(Employer::Website))
                    .col(uuid_null(Employer::OwnerId))
                    .col(timestamp_with_time_zone_null(Employer::ArchivedAt))
                    .col(timestamp_with_time_zone(Employer::CreatedAt))
                    .col(timestamp_with_time_zone(Employer::UpdatedAt))
                    .col(integer(Employer::Version))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Employer::Table, Employer::OwnerId)
                            .to(Staff::Table, Staff::Id),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, col) in [
            ("employer_owner_idx", Employer::OwnerId),
            ("employer_sector_idx", Employer::Sector),
            ("employer_stage_idx", Employer::Stage),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(Employer::Table)
                        .col(col)
                        .to_owned(),
                )
                .await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(EmployerLocation::Table)
                    .col(pk_uuid(EmployerLocation::Id))
                    .col(uuid(EmployerLocation::EmployerId))
                    .col(string(EmployerLocation::Label))
                    .col(string_null(EmployerLocation::Address))
                    .col(string_null(EmployerLocation::Town))
                    .col(string_null(EmployerLocation::Postcode))
                    .col(double_null(EmployerLocation::Latitude))
                    .col(double_null(EmployerLocation::Longitude))
                    .col(integer(EmployerLocation::Position))
                    .foreign_key(
                        ForeignKey::create()
                            .from(EmployerLocation::Table, EmployerLocation::EmployerId)
                            .to(Employer::Table, Employer::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("employer_location_employer_idx")
                    .table(EmployerLocation::Table)
                    .col(EmployerLocation::EmployerId)
                    .col(EmployerLocation::Position)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(EmployerContact::Table)
                    .col(pk_uuid(EmployerContact::Id))
                    .col(uuid(EmployerContact::EmployerId))
                    .col(string(EmployerContact::Name))
                    .col(string_null(EmployerContact::JobTitle))
                    .col(string_null(EmployerContact::Phone))
                    .col(string_null(EmployerContact::Email))
                    .col(string(EmployerContact::PreferredChannel))
                    .col(text_null(EmployerContact::Notes))
                    .col(timestamp_with_time_zone_null(EmployerContact::ArchivedAt))
                    .col(timestamp_with_time_zone(EmployerContact::CreatedAt))
                    .col(timestamp_with_time_zone(EmployerContact::UpdatedAt))
                    .col(integer(EmployerContact::Version))
                    .foreign_key(
                        ForeignKey::create()
                            .from(EmployerContact::Table, EmployerContact::EmployerId)
                            .to(Employer::Table, Employer::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("employer_contact_email_uniq")
                    .table(EmployerContact::Table)
                    .col(EmployerContact::EmployerId)
                    .col(EmployerContact::Email)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Engagement::Table)
                    .col(pk_uuid(Engagement::Id))
                    .col(uuid(Engagement::EmployerId))
                    .col(uuid(Engagement::SpecialistId))
                    .col(uuid_null(Engagement::ContactId))
                    .col(timestamp_with_time_zone(Engagement::OccurredAt))
                    .col(string(Engagement::Mode))
                    .col(string(Engagement::Purpose))
                    .col(text(Engagement::Outcome))
                    .col(text_null(Engagement::NextStep))
                    .col(date_null(Engagement::NextStepDue))
                    .col(uuid_null(Engagement::SupersedesId).unique_key())
                    .col(text_null(Engagement::RetractionReason))
                    .col(uuid(Engagement::RecordedById))
                    .col(timestamp_with_time_zone(Engagement::RecordedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Engagement::Table, Engagement::EmployerId)
                            .to(Employer::Table, Employer::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Engagement::Table, Engagement::SpecialistId)
                            .to(Staff::Table, Staff::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Engagement::Table, Engagement::ContactId)
                            .to(EmployerContact::Table, EmployerContact::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Engagement::Table, Engagement::SupersedesId)
                            .to(Engagement::Table, Engagement::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Engagement::Table, Engagement::RecordedById)
                            .to(Staff::Table, Staff::Id),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, first, second) in [
            (
                "engagement_employer_idx",
                Engagement::EmployerId,
                Engagement::OccurredAt,
            ),
            (
                "engagement_specialist_idx",
                Engagement::SpecialistId,
                Engagement::OccurredAt,
            ),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(Engagement::Table)
                        .col(first)
                        .col(second)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_index(
                Index::create()
                    .name("engagement_next_step_due_idx")
                    .table(Engagement::Table)
                    .col(Engagement::NextStepDue)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            Engagement::Table.into_iden(),
            EmployerContact::Table.into_iden(),
            EmployerLocation::Table.into_iden(),
            Employer::Table.into_iden(),
            Staff::Table.into_iden(),
            Team::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
