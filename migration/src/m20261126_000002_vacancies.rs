//! Vacancies and the change log that keeps the search index (and later the change feed) true to
//! the database.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Vacancy {
    Table,
    Id,
    Title,
    Description,
    Skills,
    EmployerId,
    EmployerName,
    SocCode,
    SocVersion,
    Sector,
    Town,
    Postcode,
    Latitude,
    Longitude,
    Remote,
    HoursMin,
    HoursMax,
    Shifts,
    PayMin,
    PayMax,
    PayPeriod,
    PayMinHourly,
    PayMaxHourly,
    ContractType,
    ClosingDate,
    Status,
    Source,
    ExternalId,
    Environments,
    DbsLevel,
    DrugTesting,
    PostedAt,
    CreatedById,
    CreatedAt,
    UpdatedAt,
    Version,
}

#[derive(DeriveIden)]
enum ChangeLog {
    Table,
    Seq,
    Entity,
    EntityId,
    Op,
    TxId,
    ChangedAt,
}

#[derive(DeriveIden)]
enum Employer {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Staff {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let backend = manager.get_database_backend();
        manager
            .create_table(
                Table::create()
                    .table(Vacancy::Table)
                    .col(pk_uuid(Vacancy::Id))
                    .col(string(Vacancy::Title))
                    .col(text(Vacancy::Description))
                    .col(text(Vacancy::Skills))
                    .col(uuid_null(Vacancy::EmployerId))
                    .col(string_null(Vacancy::EmployerName))
                    .col(string_null(Vacancy::SocCode))
                    .col(string_null(Vacancy::SocVersion))
                    .col(string_null(Vacancy::Sector))
                    .col(string_null(Vacancy::Town))
                    .col(string_null(Vacancy::Postcode))
                    .col(double_null(Vacancy::Latitude))
                    .col(double_null(Vacancy::Longitude))
                    .col(boolean(Vacancy::Remote))
                    .col(double_null(Vacancy::HoursMin))
                    .col(double_null(Vacancy::HoursMax))
                    .col(string(Vacancy::Shifts))
                    .col(double_null(Vacancy::PayMin))
                    .col(double_null(Vacancy::PayMax))
                    .col(string_null(Vacancy::PayPeriod))
                    .col(double_null(Vacancy::PayMinHourly))
                    .col(double_null(Vacancy::PayMaxHourly))
                    .col(string(Vacancy::ContractType))
                    .col(date_null(Vacancy::ClosingDate))
                    .col(string(Vacancy::Status))
                    .col(string(Vacancy::Source))
                    .col(string_null(Vacancy::ExternalId))
                    .col(string(Vacancy::Environments))
                    .col(string(Vacancy::DbsLevel))
                    .col(string(Vacancy::DrugTesting))
                    .col(timestamp_with_time_zone_null(Vacancy::PostedAt))
                    .col(uuid_null(Vacancy::CreatedById))
                    .col(timestamp_with_time_zone(Vacancy::CreatedAt))
                    .col(timestamp_with_time_zone(Vacancy::UpdatedAt))
                    .col(integer(Vacancy::Version))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Vacancy::Table, Vacancy::EmployerId)
                            .to(Employer::Table, Employer::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Vacancy::Table, Vacancy::CreatedById)
                            .to(Staff::Table, Staff::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("vacancy_source_external_uniq")
                    .table(Vacancy::Table)
                    .col(Vacancy::Source)
                    .col(Vacancy::ExternalId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        for (name, col) in [
            ("vacancy_status_idx", Vacancy::Status),
            ("vacancy_employer_idx", Vacancy::EmployerId),
            ("vacancy_closing_date_idx", Vacancy::ClosingDate),
            ("vacancy_created_at_idx", Vacancy::CreatedAt),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(Vacancy::Table)
                        .col(col)
                        .to_owned(),
                )
                .await?;
        }

        let mut tx_id = big_integer_null(ChangeLog::TxId);
        if backend == DatabaseBackend::Postgres {
            // Which transaction wrote the row: lets a follower wait for every transaction that could
            // still commit a lower sequence number.
            tx_id.extra("DEFAULT (pg_current_xact_id()::text::bigint)");
        }
        manager
            .create_table(
                Table::create()
                    .table(ChangeLog::Table)
                    .col(big_pk_auto(ChangeLog::Seq))
                    .col(string(ChangeLog::Entity))
                    .col(uuid(ChangeLog::EntityId))
                    .col(string(ChangeLog::Op))
                    .col(tx_id)
                    .col(timestamp_with_time_zone(ChangeLog::ChangedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("change_log_entity_idx")
                    .table(ChangeLog::Table)
                    .col(ChangeLog::Entity)
                    .col(ChangeLog::EntityId)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ChangeLog::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Vacancy::Table).to_owned())
            .await
    }
}
