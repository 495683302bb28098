//! Claims: a signed-in user says a guest registration was them; an organizer
//! confirms (the registration then belongs to the account) or rejects it.
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Claims {
    Table,
    Id,
    RegistrationId,
    UserId,
    Status,
    CreatedAt,
}

#[derive(DeriveIden)]
enum TournamentPlayer {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Claims::Table)
                .if_not_exists()
                .col(
                    ColumnDef::new(Claims::Id)
                        .big_integer()
                        .not_null()
                        .auto_increment()
                        .primary_key(),
                )
                .col(
                    ColumnDef::new(Claims::RegistrationId)
                        .big_integer()
                        .not_null(),
                )
                .col(ColumnDef::new(Claims::UserId).big_integer().not_null())
                .col(
                    ColumnDef::new(Claims::Status)
                        .string_len(16)
                        .not_null()
                        .default("pending"),
                )
                .col(
                    ColumnDef::new(Claims::CreatedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_claims_registration")
                        .from(Claims::Table, Claims::RegistrationId)
                        .to(TournamentPlayer::Table, TournamentPlayer::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_claims_user")
                        .from(Claims::Table, Claims::UserId)
                        .to(Users::Table, Users::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .if_not_exists()
                .name("uq_claims_registration_user")
                .table(Claims::Table)
                .col(Claims::RegistrationId)
                .col(Claims::UserId)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .if_not_exists()
                .name("idx_claims_user")
                .table(Claims::Table)
                .col(Claims::UserId)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(Claims::Table).if_exists().to_owned())
            .await
    }
}
