//! Integrators (systems that sync vacancies and employers), their idempotent sync requests, the
//! source keys that make employer sync idempotent, and (PostgreSQL) a notification on every change-log
//! insert, so followers on other replicas wake at once instead of at their next poll.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

/// The channel a change-log insert notifies (delivered when the writing transaction commits).
const NOTIFY_FUNCTION: &str = "CREATE OR REPLACE FUNCTION change_log_notify() RETURNS trigger AS $$
BEGIN
    PERFORM pg_notify('ipsmatch_change_log', '');
    RETURN NULL;
END;
$$ LANGUAGE plpgsql";

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Integrator {
    Table,
    Id,
    Name,
    SourceKey,
    Scopes,
    Active,
    CreatedAt,
    UpdatedAt,
    Version,
}

#[derive(DeriveIden)]
enum SyncRequest {
    Table,
    IntegratorId,
    IdempotencyKey,
    Operation,
    RequestHash,
    Response,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Employer {
    Table,
    Source,
    ExternalId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Integrator::Table)
                    .col(pk_uuid(Integrator::Id))
                    .col(string(Integrator::Name))
                    .col(string_uniq(Integrator::SourceKey))
                    .col(string(Integrator::Scopes))
                    .col(boolean(Integrator::Active))
                    .col(timestamp_with_time_zone(Integrator::CreatedAt))
                    .col(timestamp_with_time_zone(Integrator::UpdatedAt))
                    .col(integer(Integrator::Version))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(SyncRequest::Table)
                    .col(uuid(SyncRequest::IntegratorId))
                    .col(string(SyncRequest::IdempotencyKey))
                    .col(string(SyncRequest::Operation))
                    .col(string(SyncRequest::RequestHash))
                    .col(text(SyncRequest::Response))
                    .col(timestamp_with_time_zone(SyncRequest::CreatedAt))
                    .primary_key(
                        Index::create()
                            .col(SyncRequest::IntegratorId)
                            .col(SyncRequest::IdempotencyKey),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(SyncRequest::Table, SyncRequest::IntegratorId)
                            .to(Integrator::Table, Integrator::Id),
                    )
                    .to_owned(),
            )
            .await?;
        for column in [Employer::Source, Employer::ExternalId] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Employer::Table)
                        .add_column(string_null(column))
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_index(
                Index::create()
                    .name("employer_source_external_uniq")
                    .table(Employer::Table)
                    .col(Employer::Source)
                    .col(Employer::ExternalId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        if manager.get_database_backend() == DatabaseBackend::Postgres {
            let db = manager.get_connection();
            db.execute_unprepared(NOTIFY_FUNCTION).await?;
            db.execute_unprepared(
                "CREATE TRIGGER change_log_notify AFTER INSERT ON change_log \
                 FOR EACH STATEMENT EXECUTE FUNCTION change_log_notify()",
            )
            .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() == DatabaseBackend::Postgres {
            let db = manager.get_connection();
            db.execute_unprepared("DROP TRIGGER IF EXISTS change_log_notify ON change_log")
                .await?;
            db.execute_unprepared("DROP FUNCTION IF EXISTS change_log_notify()")
                .await?;
        }
        manager
            .drop_index(
                Index::drop()
                    .name("employer_source_external_uniq")
                    .table(Employer::Table)
                    .to_owned(),
            )
            .await?;
        for column in [Employer::ExternalId, Employer::Source] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Employer::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .drop_table(Table::drop().table(SyncRequest::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Integrator::Table).to_owned())
            .await
    }
}
