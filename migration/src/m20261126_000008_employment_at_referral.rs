//! A client's employment at referral (out of work and looking, out of work and not looking, or in
//! paid work), recorded rather than guessed, so the employment rate counts the right people.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Client {
    Table,
    EmploymentAtReferral,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Client::Table)
                    .add_column(ColumnDef::new(Client::EmploymentAtReferral).string().null())
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Client::Table)
                    .drop_column(Client::EmploymentAtReferral)
                    .to_owned(),
            )
            .await
    }
}
