//! Database migrations for ipsmatch. Self-contained (never imports `entities`): a migration is frozen
//! history. Every migration runs on SQLite and PostgreSQL.

pub use sea_orm_migration::prelude::*;

mod m20261126_000001_staff_and_employers;
mod m20261126_000002_vacancies;
mod m20261126_000003_clients;
mod m20261126_000004_pipeline;
mod m20261126_000005_consent;
mod m20261126_000006_integrations;
mod m20261126_000007_outreach;
mod m20261126_000008_employment_at_referral;
mod m20261202_000009_trusted_logs;
mod m20261202_000010_consent_employer_name;
mod m20261203_000011_list_orders;
mod m20261204_000012_referrals;
mod m20261204_000013_diary;

/// Applies all migrations in order.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261126_000001_staff_and_employers::Migration),
            Box::new(m20261126_000002_vacancies::Migration),
            Box::new(m20261126_000003_clients::Migration),
            Box::new(m20261126_000004_pipeline::Migration),
            Box::new(m20261126_000005_consent::Migration),
            Box::new(m20261126_000006_integrations::Migration),
            Box::new(m20261126_000007_outreach::Migration),
            Box::new(m20261126_000008_employment_at_referral::Migration),
            Box::new(m20261202_000009_trusted_logs::Migration),
            Box::new(m20261202_000010_consent_employer_name::Migration),
            Box::new(m20261203_000011_list_orders::Migration),
            Box::new(m20261204_000012_referrals::Migration),
            Box::new(m20261204_000013_diary::Migration),
        ]
    }
}
