//! An index for each order a list may be asked for (`orderBy`): the sort column, then the id that
//! breaks ties, so that a page of any order is read from an index rather than by sorting the table.

use sea_orm_migration::prelude::*;

#[derive(DeriveIden)]
enum Client {
    Table,
    Id,
    NameKey,
    ReferralDate,
    Status,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Employer {
    Table,
    Id,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Engagement {
    Table,
    Id,
    OccurredAt,
    RecordedAt,
}

#[derive(DeriveIden)]
enum Application {
    Table,
    Id,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Vacancy {
    Table,
    Id,
    CreatedAt,
    UpdatedAt,
}

/// Each index: its name, its table, its sort column and the id column.
fn indexes() -> Vec<(&'static str, DynIden, DynIden, DynIden)> {
    vec![
        (
            "client_name_key_order_idx",
            Client::Table.into_iden(),
            Client::NameKey.into_iden(),
            Client::Id.into_iden(),
        ),
        (
            "client_referral_date_order_idx",
            Client::Table.into_iden(),
            Client::ReferralDate.into_iden(),
            Client::Id.into_iden(),
        ),
        (
            "client_status_order_idx",
            Client::Table.into_iden(),
            Client::Status.into_iden(),
            Client::Id.into_iden(),
        ),
        (
            "client_updated_at_order_idx",
            Client::Table.into_iden(),
            Client::UpdatedAt.into_iden(),
            Client::Id.into_iden(),
        ),
        (
            "employer_created_at_order_idx",
            Employer::Table.into_iden(),
            Employer::CreatedAt.into_iden(),
            Employer::Id.into_iden(),
        ),
        (
            "employer_updated_at_order_idx",
            Employer::Table.into_iden(),
            Employer::UpdatedAt.into_iden(),
            Employer::Id.into_iden(),
        ),
        (
            "engagement_occurred_at_order_idx",
            Engagement::Table.into_iden(),
            Engagement::OccurredAt.into_iden(),
            Engagement::Id.into_iden(),
        ),
        (
            "engagement_recorded_at_order_idx",
            Engagement::Table.into_iden(),
            Engagement::RecordedAt.into_iden(),
            Engagement::Id.into_iden(),
        ),
        (
            "application_created_at_order_idx",
            Application::Table.into_iden(),
            Application::CreatedAt.into_iden(),
            Application::Id.into_iden(),
        ),
        (
            "application_updated_at_order_idx",
            Application::Table.into_iden(),
            Application::UpdatedAt.into_iden(),
            Application::Id.into_iden(),
        ),
        (
            "vacancy_created_at_order_idx",
            Vacancy::Table.into_iden(),
            Vacancy::CreatedAt.into_iden(),
            Vacancy::Id.into_iden(),
        ),
        (
            "vacancy_updated_at_order_idx",
            Vacancy::Table.into_iden(),
            Vacancy::UpdatedAt.into_iden(),
            Vacancy::Id.into_iden(),
        ),
    ]
}

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (name, table, column, id) in indexes() {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(table)
                        .col(column)
                        .col(id)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (name, table, _, _) in indexes() {
            manager
                .drop_index(Index::drop().name(name).table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
