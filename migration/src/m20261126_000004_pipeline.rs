//! The pipeline from suggestion to job: applications with their dated stage history, job starts
//! (and ends) with raw hours, pay and dates so outcome definitions can be computed later, and in-work
//! support contacts.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum Application {
    Table,
    Id,
    ClientId,
    VacancyId,
    Stage,
    SubmittedBy,
    CreatedById,
    CreatedAt,
    UpdatedAt,
    Version,
}

#[derive(DeriveIden, Clone, Copy)]
enum ApplicationStage {
    Table,
    Id,
    ApplicationId,
    Stage,
    OnDate,
    Reason,
    RecordedById,
    RecordedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum JobStart {
    Table,
    Id,
    ClientId,
    ApplicationId,
    EmployerId,
    EmployerName,
    Title,
    SocCode,
    StartDate,
    HoursPerWeek,
    HourlyPay,
    ContractType,
    Competitive,
    EndDate,
    EndReason,
    RecordedById,
    RecordedAt,
    Version,
}

#[derive(DeriveIden, Clone, Copy)]
enum SupportContact {
    Table,
    Id,
    ClientId,
    JobStartId,
    WithWhom,
    Mode,
    OccurredAt,
    Notes,
    RecordedById,
    RecordedAt,
}

#[derive(DeriveIden)]
enum Client {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Vacancy {
    Table,
    Id,
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

fn to_client(table: impl IntoIden, column: impl IntoIden) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(table, column)
        .to(Client::Table, Client::Id)
        .to_owned()
}

fn to_staff(table: impl IntoIden, column: impl IntoIden) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(table, column)
        .to(Staff::Table, Staff::Id)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Application::Table)
                    .col(pk_uuid(Application::Id))
                    .col(uuid(Application::ClientId))
                    .col(uuid(Application::VacancyId))
                    .col(string(Application::Stage))
                    .col(string(Application::SubmittedBy))
                    .col(uuid(Application::CreatedById))
                    .col(timestamp_with_time_zone(Application::CreatedAt))
                    .col(timestamp_with_time_zone(Application::UpdatedAt))
                    .col(integer(Application::Version))
                    .foreign_key(&mut to_client(Application::Table, Application::ClientId))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Application::Table, Application::VacancyId)
                            .to(Vacancy::Table, Vacancy::Id),
                    )
                    .foreign_key(&mut to_staff(Application::Table, Application::CreatedById))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("application_client_vacancy_uniq")
                    .table(Application::Table)
                    .col(Application::ClientId)
                    .col(Application::VacancyId)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ApplicationStage::Table)
                    .col(pk_uuid(ApplicationStage::Id))
                    .col(uuid(ApplicationStage::ApplicationId))
                    .col(string(ApplicationStage::Stage))
                    .col(date(ApplicationStage::OnDate))
                    .col(string_null(ApplicationStage::Reason))
                    .col(uuid(ApplicationStage::RecordedById))
                    .col(timestamp_with_time_zone(ApplicationStage::RecordedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ApplicationStage::Table, ApplicationStage::ApplicationId)
                            .to(Application::Table, Application::Id),
                    )
                    .foreign_key(&mut to_staff(
                        ApplicationStage::Table,
                        ApplicationStage::RecordedById,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("application_stage_application_idx")
                    .table(ApplicationStage::Table)
                    .col(ApplicationStage::ApplicationId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(JobStart::Table)
                    .col(pk_uuid(JobStart::Id))
                    .col(uuid(JobStart::ClientId))
                    .col(uuid_null(JobStart::ApplicationId))
                    .col(uuid_null(JobStart::EmployerId))
                    .col(string(JobStart::EmployerName))
                    .col(string(JobStart::Title))
                    .col(string_null(JobStart::SocCode))
                    .col(date(JobStart::StartDate))
                    .col(double(JobStart::HoursPerWeek))
                    .col(double(JobStart::HourlyPay))
                    .col(string(JobStart::ContractType))
                    .col(boolean(JobStart::Competitive))
                    .col(date_null(JobStart::EndDate))
                    .col(string_null(JobStart::EndReason))
                    .col(uuid(JobStart::RecordedById))
                    .col(timestamp_with_time_zone(JobStart::RecordedAt))
                    .col(integer(JobStart::Version))
                    .foreign_key(&mut to_client(JobStart::Table, JobStart::ClientId))
                    .foreign_key(
                        ForeignKey::create()
                            .from(JobStart::Table, JobStart::ApplicationId)
                            .to(Application::Table, Application::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(JobStart::Table, JobStart::EmployerId)
                            .to(Employer::Table, Employer::Id),
                    )
                    .foreign_key(&mut to_staff(JobStart::Table, JobStart::RecordedById))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("job_start_client_idx")
                    .table(JobStart::Table)
                    .col(JobStart::ClientId)
                    .col(JobStart::StartDate)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(SupportContact::Table)
                    .col(pk_uuid(SupportContact::Id))
                    .col(uuid(SupportContact::ClientId))
                    .col(uuid_null(SupportContact::JobStartId))
                    .col(string(SupportContact::WithWhom))
                    .col(string(SupportContact::Mode))
                    .col(timestamp_with_time_zone(SupportContact::OccurredAt))
                    .col(text(SupportContact::Notes))
                    .col(uuid(SupportContact::RecordedById))
                    .col(timestamp_with_time_zone(SupportContact::RecordedAt))
                    .foreign_key(&mut to_client(
                        SupportContact::Table,
                        SupportContact::ClientId,
                    ))
                    .foreign_key(
                        ForeignKey::create()
                            .from(SupportContact::Table, SupportContact::JobStartId)
                            .to(JobStart::Table, JobStart::Id),
                    )
                    .foreign_key(&mut to_staff(
                        SupportContact::Table,
                        SupportContact::RecordedById,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("support_contact_client_idx")
                    .table(SupportContact::Table)
                    .col(SupportContact::ClientId)
                    .col(SupportContact::OccurredAt)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            SupportContact::Table.into_iden(),
            JobStart::Table.into_iden(),
            ApplicationStage::Table.into_iden(),
            Application::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
