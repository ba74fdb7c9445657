//! The specialist's diary (appointments and contacts with clients and with others on their
//! behalf, and treatment-team meetings with the clients discussed) and better-off checks before a
//! start or a change of hours.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum DiaryEntry {
    Table,
    Id,
    SpecialistId,
    WithWhom,
    TreatmentTeamId,
    At,
    Planned,
    Attendance,
    Place,
    Minutes,
    Note,
    FollowsUpId,
    RecordedById,
    RecordedAt,
    Version,
}

#[derive(DeriveIden)]
enum DiaryEntryClient {
    Table,
    Id,
    EntryId,
    ClientId,
}

#[derive(DeriveIden)]
enum BetterOffCheck {
    Table,
    Id,
    ClientId,
    CheckedOn,
    CheckedById,
    ApplicationId,
    JobStartId,
    HoursChangeTo,
    Outcome,
    ReferredToWelfareRights,
    RecordedAt,
}

#[derive(DeriveIden)]
enum Client {
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
        manager
            .create_table(
                Table::create()
                    .table(DiaryEntry::Table)
                    .col(pk_uuid(DiaryEntry::Id))
                    .col(uuid(DiaryEntry::SpecialistId))
                    .col(string(DiaryEntry::WithWhom))
                    .col(uuid_null(DiaryEntry::TreatmentTeamId))
                    .col(timestamp_with_time_zone(DiaryEntry::At))
                    .col(boolean(DiaryEntry::Planned))
                    .col(string_null(DiaryEntry::Attendance))
                    .col(string(DiaryEntry::Place))
                    .col(integer_null(DiaryEntry::Minutes))
                    .col(string_null(DiaryEntry::Note))
                    .col(uuid_null(DiaryEntry::FollowsUpId))
                    .col(uuid(DiaryEntry::RecordedById))
                    .col(timestamp_with_time_zone(DiaryEntry::RecordedAt))
                    .col(integer(DiaryEntry::Version))
                    .foreign_key(
                        ForeignKey::create()
                            .from(DiaryEntry::Table, DiaryEntry::SpecialistId)
                            .to(Staff::Table, Staff::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("diary_entry_specialist_at_idx")
                    .table(DiaryEntry::Table)
                    .col(DiaryEntry::SpecialistId)
                    .col(DiaryEntry::At)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(DiaryEntryClient::Table)
                    .col(pk_uuid(DiaryEntryClient::Id))
                    .col(uuid(DiaryEntryClient::EntryId))
                    .col(uuid(DiaryEntryClient::ClientId))
                    .foreign_key(
                        ForeignKey::create()
                            .from(DiaryEntryClient::Table, DiaryEntryClient::EntryId)
                            .to(DiaryEntry::Table, DiaryEntry::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(DiaryEntryClient::Table, DiaryEntryClient::ClientId)
                            .to(Client::Table, Client::Id),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, col) in [
            ("diary_entry_client_entry_idx", DiaryEntryClient::EntryId),
            ("diary_entry_client_client_idx", DiaryEntryClient::ClientId),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(DiaryEntryClient::Table)
                        .col(col)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(BetterOffCheck::Table)
                    .col(pk_uuid(BetterOffCheck::Id))
                    .col(uuid(BetterOffCheck::ClientId))
                    .col(date(BetterOffCheck::CheckedOn))
                    .col(uuid(BetterOffCheck::CheckedById))
                    .col(uuid_null(BetterOffCheck::ApplicationId))
                    .col(uuid_null(BetterOffCheck::JobStartId))
                    .col(double_null(BetterOffCheck::HoursChangeTo))
                    .col(string(BetterOffCheck::Outcome))
                    .col(boolean(BetterOffCheck::ReferredToWelfareRights))
                    .col(timestamp_with_time_zone(BetterOffCheck::RecordedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(BetterOffCheck::Table, BetterOffCheck::ClientId)
                            .to(Client::Table, Client::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("better_off_check_client_idx")
                    .table(BetterOffCheck::Table)
                    .col(BetterOffCheck::ClientId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            BetterOffCheck::Table.into_iden(),
            DiaryEntryClient::Table.into_iden(),
            DiaryEntry::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
