//! Each consent version records the employer's name as the client agreed to it, so a later rename
//! (by staff or a feed) cannot carry the client's consent to a name they never heard: the gate
//! suspends a consent whose employer has since been renamed until the client confirms again.
//! Versions from before this migration take the employer's name as it stood when it ran.
//! Also: a discharge carries a coded reason, so exports never need the free text (which can hold
//! special-category facts).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum DisclosureConsent {
    Table,
    EmployerName,
}

#[derive(DeriveIden)]
enum ClientStatusEpisode {
    Table,
    ReasonCode,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(DisclosureConsent::Table)
                    .add_column(
                        ColumnDef::new(DisclosureConsent::EmployerName)
                            .string()
                            .null(),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .get_connection()
            .execute_unprepared(
                "UPDATE disclosure_consent SET employer_name = \
                 (SELECT name FROM employer WHERE employer.id = disclosure_consent.employer_id)",
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(ClientStatusEpisode::Table)
                    .add_column(
                        ColumnDef::new(ClientStatusEpisode::ReasonCode)
                            .string()
                            .null(),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(ClientStatusEpisode::Table)
                    .drop_column(ClientStatusEpisode::ReasonCode)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(DisclosureConsent::Table)
                    .drop_column(DisclosureConsent::EmployerName)
                    .to_owned(),
            )
            .await
    }
}
