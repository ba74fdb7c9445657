//! Outreach attempts: the specialist trying to re-engage a client who has stopped attending, so a
//! discharge can be shown to follow outreach rather than missed appointments alone.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum OutreachAttempt {
    Table,
    Id,
    ClientId,
    AttemptedOn,
    Mode,
    RecordedById,
    RecordedAt,
}

#[derive(DeriveIden)]
enum Client {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(OutreachAttempt::Table)
                    .col(pk_uuid(OutreachAttempt::Id))
                    .col(uuid(OutreachAttempt::ClientId))
                    .col(date(OutreachAttempt::AttemptedOn))
                    .col(string(OutreachAttempt::Mode))
                    .col(uuid(OutreachAttempt::RecordedById))
                    .col(timestamp_with_time_zone(OutreachAttempt::RecordedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(OutreachAttempt::Table, OutreachAttempt::ClientId)
                            .to(Client::Table, Client::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("outreach_attempt_client_idx")
                    .table(OutreachAttempt::Table)
                    .col(OutreachAttempt::ClientId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(OutreachAttempt::Table).to_owned())
            .await
    }
}
