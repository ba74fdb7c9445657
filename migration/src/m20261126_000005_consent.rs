//! Disclosure consent: versioned consent records per client and named employer, dated disclosure
//! discussions, the hash-chained disclosure log, the link from engagements to the clients they name,
//! and triggers that make both logs (disclosures, audit) refuse UPDATE and DELETE.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum DisclosureConsent {
    Table,
    Id,
    ConsentId,
    Version,
    ClientId,
    EmployerId,
    ContactId,
    Purpose,
    Level,
    Items,
    WhoDiscloses,
    Wording,
    CapturedHow,
    CapturedById,
    CapturedAt,
    EffectiveFrom,
    ExpiresAt,
    Status,
    Note,
}

#[derive(DeriveIden, Clone, Copy)]
enum DisclosureDiscussion {
    Table,
    Id,
    ClientId,
    DiscussedOn,
    PreferredLevel,
    WhoSpeaks,
    WhenToDisclose,
    Notes,
    RecordedById,
    RecordedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum DisclosureEvent {
    Table,
    Seq,
    At,
    ClientId,
    EmployerId,
    ContactId,
    VacancyId,
    Act,
    Channel,
    Items,
    ConsentRowId,
    ConsentVersion,
    ActorId,
    PrevHash,
    Hash,
}

#[derive(DeriveIden, Clone, Copy)]
enum EngagementClient {
    Table,
    EngagementId,
    ClientId,
}

#[derive(DeriveIden)]
enum Client {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Employer {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Engagement {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Staff {
    Table,
    Id,
}

fn to_client(table: impl IntoIden, column: impl IntoIden) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(table, column)
        .to(Client::Table, Client::Id)
        .to_owned()
}

fn to_employer(table: impl IntoIden, column: impl IntoIden) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(table, column)
        .to(Employer::Table, Employer::Id)
        .to_owned()
}

fn to_staff(table: impl IntoIden, column: impl IntoIden) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(table, column)
        .to(Staff::Table, Staff::Id)
        .to_owned()
}

/// The append-only logs.
const APPEND_ONLY: [&str; 2] = ["audit_event", "disclosure_event"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(DisclosureConsent::Table)
                    .col(pk_uuid(DisclosureConsent::Id))
                    .col(uuid(DisclosureConsent::ConsentId))
                    .col(integer(DisclosureConsent::Version))
                    .col(uuid(DisclosureConsent::ClientId))
                    .col(uuid(DisclosureConsent::EmployerId))
                    .col(uuid_null(DisclosureConsent::ContactId))
                    .col(string(DisclosureConsent::Purpose))
                    .col(string(DisclosureConsent::Level))
                    .col(string(DisclosureConsent::Items))
                    .col(string(DisclosureConsent::WhoDiscloses))
                    .col(text(DisclosureConsent::Wording))
                    .col(string(DisclosureConsent::CapturedHow))
                    .col(uuid(DisclosureConsent::CapturedById))
                    .col(timestamp_with_time_zone(DisclosureConsent::CapturedAt))
                    .col(timestamp_with_time_zone(DisclosureConsent::EffectiveFrom))
                    .col(timestamp_with_time_zone(DisclosureConsent::ExpiresAt))
                    .col(string(DisclosureConsent::Status))
                    .col(text_null(DisclosureConsent::Note))
                    .foreign_key(&mut to_client(
                        DisclosureConsent::Table,
                        DisclosureConsent::ClientId,
                    ))
                    .foreign_key(&mut to_employer(
                        DisclosureConsent::Table,
                        DisclosureConsent::EmployerId,
                    ))
                    .foreign_key(&mut to_staff(
                        DisclosureConsent::Table,
                        DisclosureConsent::CapturedById,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("disclosure_consent_version_uniq")
                    .table(DisclosureConsent::Table)
                    .col(DisclosureConsent::ConsentId)
                    .col(DisclosureConsent::Version)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("disclosure_consent_client_employer_idx")
                    .table(DisclosureConsent::Table)
                    .col(DisclosureConsent::ClientId)
                    .col(DisclosureConsent::EmployerId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(DisclosureDiscussion::Table)
                    .col(pk_uuid(DisclosureDiscussion::Id))
                    .col(uuid(DisclosureDiscussion::ClientId))
                    .col(date(DisclosureDiscussion::DiscussedOn))
                    .col(string(DisclosureDiscussion::PreferredLevel))
                    .col(string(DisclosureDiscussion::WhoSpeaks))
                    .col(string_null(DisclosureDiscussion::WhenToDisclose))
                    .col(text(DisclosureDiscussion::Notes))
                    .col(uuid(DisclosureDiscussion::RecordedById))
                    .col(timestamp_with_time_zone(DisclosureDiscussion::RecordedAt))
                    .foreign_key(&mut to_client(
                        DisclosureDiscussion::Table,
                        DisclosureDiscussion::ClientId,
                    ))
                    .foreign_key(&mut to_staff(
                        DisclosureDiscussion::Table,
                        DisclosureDiscussion::RecordedById,
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(DisclosureEvent::Table)
                    .col(big_pk_auto(DisclosureEvent::Seq))
                    .col(timestamp_with_time_zone(DisclosureEvent::At))
                    .col(uuid(DisclosureEvent::ClientId))
                    .col(uuid(DisclosureEvent::EmployerId))
                    .col(uuid_null(DisclosureEvent::ContactId))
                    .col(uuid_null(DisclosureEvent::VacancyId))
                    .col(string(DisclosureEvent::Act))
                    .col(string(DisclosureEvent::Channel))
                    .col(string(DisclosureEvent::Items))
                    .col(uuid(DisclosureEvent::ConsentRowId))
                    .col(integer(DisclosureEvent::ConsentVersion))
                    .col(uuid(DisclosureEvent::ActorId))
                    .col(string(DisclosureEvent::PrevHash))
                    .col(string(DisclosureEvent::Hash))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("disclosure_event_client_idx")
                    .table(DisclosureEvent::Table)
                    .col(DisclosureEvent::ClientId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(EngagementClient::Table)
                    .col(uuid(EngagementClient::EngagementId))
                    .col(uuid(EngagementClient::ClientId))
                    .primary_key(
                        Index::create()
                            .col(EngagementClient::EngagementId)
                            .col(EngagementClient::ClientId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(EngagementClient::Table, EngagementClient::EngagementId)
                            .to(Engagement::Table, Engagement::Id),
                    )
                    .foreign_key(&mut to_client(
                        EngagementClient::Table,
                        EngagementClient::ClientId,
                    ))
                    .to_owned(),
            )
            .await?;

        // Both logs are append-only at the database: no UPDATE, no DELETE, whoever connects.
        let db = manager.get_connection();
        for table in APPEND_ONLY {
            match manager.get_database_backend() {
                DatabaseBackend::Postgres => {
                    db.execute_unprepared(&format!(
                        "CREATE OR REPLACE FUNCTION {table}_append_only() RETURNS trigger AS $$ \
                         BEGIN RAISE EXCEPTION '{table} is append-only'; END; $$ LANGUAGE plpgsql"
                    ))
                    .await?;
                    db.execute_unprepared(&format!(
                        "CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} \
                         FOR EACH ROW EXECUTE FUNCTION {table}_append_only()"
                    ))
                    .await?;
                }
                _ => {
                    for op in ["UPDATE", "DELETE"] {
                        db.execute_unprepared(&format!(
                            "CREATE TRIGGER {table}_no_{} BEFORE {op} ON {table} \
                             BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END",
                            op.to_lowercase()
                        ))
                        .await?;
                    }
                }
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        for table in APPEND_ONLY {
            match manager.get_database_backend() {
                DatabaseBackend::Postgres => {
                    db.execute_unprepared(&format!(
                        "DROP TRIGGER IF EXISTS {table}_append_only ON {table}"
                    ))
                    .await?;
                    db.execute_unprepared(&format!(
                        "DROP FUNCTION IF EXISTS {table}_append_only()"
                    ))
                    .await?;
                }
                _ => {
                    for op in ["update", "delete"] {
                        db.execute_unprepared(&format!("DROP TRIGGER IF EXISTS {table}_no_{op}"))
                            .await?;
                    }
                }
            }
        }
        for table in [
            EngagementClient::Table.into_iden(),
            DisclosureEvent::Table.into_iden(),
            DisclosureDiscussion::Table.into_iden(),
            DisclosureConsent::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
