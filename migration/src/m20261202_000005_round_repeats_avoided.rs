//! Mexicano: how many repeat partnerships the ranking rule would have made that a
//! round's draw avoided, kept so the round page can say so (NULL for scheduled formats).
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Rounds {
    Table,
    RepeatsAvoided,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Rounds::Table)
                .add_column(ColumnDef::new(Rounds::RepeatsAvoided).integer().null())
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Rounds::Table)
                .drop_column(Rounds::RepeatsAvoided)
                .to_owned(),
        )
        .await
    }
}
