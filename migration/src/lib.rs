//! Tornetic's schema, one migration per file (DeriveMigrationName names a
//! migration after its file).
pub use sea_orm_migration::prelude::*;

mod m20261125_000001_create_schema;
mod m20261125_000002_balance_by_rating;
mod m20261125_000003_claims;
mod m20261201_000004_rate_limits;
mod m20261202_000005_round_repeats_avoided;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261125_000001_create_schema::Migration),
            Box::new(m20261125_000002_balance_by_rating::Migration),
            Box::new(m20261125_000003_claims::Migration),
            Box::new(m20261201_000004_rate_limits::Migration),
            Box::new(m20261202_000005_round_repeats_avoided::Migration),
        ]
    }
}
