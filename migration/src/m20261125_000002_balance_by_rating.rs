//! Fairness aid: seed Mexicano round 1 and form Team Americano pairs by rating.
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Tournaments {
    Table,
    BalanceByRating,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Tournaments::Table)
                .add_column(
                    ColumnDef::new(Tournaments::BalanceByRating)
                        .boolean()
                        .not_null()
                        .default(false),
                )
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Tournaments::Table)
                .drop_column(Tournaments::BalanceByRating)
                .to_owned(),
        )
        .await
    }
}
