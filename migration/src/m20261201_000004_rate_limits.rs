//! Sign-in attempts per client address and per account, per minute, shared by
//! every app instance (a limit kept in one instance's memory multiplies with the
//! number of instances behind the load balancer).
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum RateLimits {
    Table,
    Key,
    Window,
    Hits,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(RateLimits::Table)
                .if_not_exists()
                .col(
                    ColumnDef::new(RateLimits::Key)
                        .string_len(400)
                        .not_null()
                        .primary_key(),
                )
                .col(ColumnDef::new(RateLimits::Window).big_integer().not_null())
                .col(ColumnDef::new(RateLimits::Hits).integer().not_null())
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_rate_limits_window")
                .table(RateLimits::Table)
                .col(RateLimits::Window)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(RateLimits::Table).to_owned())
            .await
    }
}
