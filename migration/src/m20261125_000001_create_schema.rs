//! The original system's tables: users, tournaments, tournament_player,
//! rounds, matches, player_ratings, rating_history, tournament_results, plus
//! tournament_organizers for co-organizers.
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    Email,
    PasswordHash,
    DisplayName,
    PreferredSide,
    SelfLevel,
    AvatarColor,
    GoogleSub,
    TokenVersion,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Tournaments {
    Table,
    Id,
    ShareCode,
    Name,
    OrganizerId,
    StartsAt,
    Venue,
    Format,
    ScoringMode,
    ScoringTarget,
    RoundMinutes,
    Courts,
    CourtNames,
    RoundsPlanned,
    SitOutComp,
    MexicanoRule,
    Tiebreak,
    IsPublic,
    MaxPlayers,
    Status,
    Seed,
    ScoreVersion,
    CreatedAt,
    StartedAt,
    FinishedAt,
}

#[derive(DeriveIden)]
enum TournamentOrganizers {
    Table,
    TournamentId,
    UserId,
}

#[derive(DeriveIden)]
enum TournamentPlayer {
    Table,
    Id,
    TournamentId,
    UserId,
    Name,
    Status,
    Late,
    GroupLabel,
    TeamNo,
    Position,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Rounds {
    Table,
    Id,
    TournamentId,
    Number,
    SittingOut,
    StartedAt,
}

#[derive(DeriveIden)]
enum Matches {
    Table,
    Id,
    TournamentId,
    RoundId,
    Court,
    A1,
    A2,
    B1,
    B2,
    ScoreA,
    ScoreB,
    Version,
    ScoredSeq,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum PlayerRatings {
    Table,
    Id,
    UserId,
    RegistrationId,
    Mu,
    Sigma,
    Matches,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum RatingHistory {
    Table,
    Id,
    PlayerRatingId,
    MatchId,
    MuBefore,
    SigmaBefore,
    MuAfter,
    SigmaAfter,
    CreatedAt,
}

#[derive(DeriveIden)]
enum TournamentResults {
    Table,
    Id,
    TournamentId,
    RegistrationId,
    Rank,
    Points,
    Played,
    Won,
    Drawn,
    Lost,
    PointsFor,
    PointsAgainst,
}

fn pk(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col)
        .big_integer()
        .not_null()
        .auto_increment()
        .primary_key()
        .to_owned()
}

fn ts(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col).timestamp_with_time_zone().to_owned()
}

fn fk(
    name: &str,
    from: (impl IntoIden, impl IntoIden),
    to: (impl IntoIden, impl IntoIden),
    on_delete: ForeignKeyAction,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(name)
        .from(from.0, from.1)
        .to(to.0, to.1)
        .on_delete(on_delete)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Users::Table)
                .if_not_exists()
                .col(pk(Users::Id))
                .col(
                    ColumnDef::new(Users::Email)
                        .string_len(254)
                        .not_null()
                        .unique_key(),
                )
                .col(ColumnDef::new(Users::PasswordHash).string_len(255))
                .col(ColumnDef::new(Users::DisplayName).string_len(60).not_null())
                .col(
                    ColumnDef::new(Users::PreferredSide)
                        .string_len(8)
                        .not_null()
                        .default("both"),
                )
                .col(ColumnDef::new(Users::SelfLevel).double())
                .col(
                    ColumnDef::new(Users::AvatarColor)
                        .string_len(16)
                        .not_null()
                        .default("#1f7a5a"),
                )
                .col(
                    ColumnDef::new(Users::GoogleSub)
                        .string_len(255)
                        .unique_key(),
                )
                .col(
                    ColumnDef::new(Users::TokenVersion)
                        .integer()
                        .not_null()
                        .default(0),
                )
                .col(ts(Users::CreatedAt).not_null())
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Tournaments::Table)
                .if_not_exists()
                .col(pk(Tournaments::Id))
                .col(
                    ColumnDef::new(Tournaments::ShareCode)
                        .string_len(32)
                        .not_null()
                        .unique_key(),
                )
                .col(ColumnDef::new(Tournaments::Name).string_len(80).not_null())
                .col(
                    ColumnDef::new(Tournaments::OrganizerId)
                        .big_integer()
                        .not_null(),
                )
                .col(ts(Tournaments::StartsAt))
                .col(
                    ColumnDef::new(Tournaments::Venue)
                        .string_len(120)
                        .not_null()
                        .default(""),
                )
                .col(
                    ColumnDef::new(Tournaments::Format)
                        .string_len(24)
                        .not_null(),
                )
                .col(
                    ColumnDef::new(Tournaments::ScoringMode)
                        .string_len(16)
                        .not_null(),
                )
                .col(
                    ColumnDef::new(Tournaments::ScoringTarget)
                        .integer()
                        .not_null(),
                )
                .col(ColumnDef::new(Tournaments::RoundMinutes).integer())
                .col(ColumnDef::new(Tournaments::Courts).integer().not_null())
                .col(
                    ColumnDef::new(Tournaments::CourtNames)
                        .text()
                        .not_null()
                        .default(""),
                )
                .col(ColumnDef::new(Tournaments::RoundsPlanned).integer())
                .col(
                    ColumnDef::new(Tournaments::SitOutComp)
                        .string_len(16)
                        .not_null()
                        .default("none"),
                )
                .col(
                    ColumnDef::new(Tournaments::MexicanoRule)
                        .string_len(16)
                        .not_null()
                        .default("1+4v2+3"),
                )
                .col(
                    ColumnDef::new(Tournaments::Tiebreak)
                        .string_len(64)
                        .not_null()
                        .default("points,wins,difference,head_to_head"),
                )
                .col(
                    ColumnDef::new(Tournaments::IsPublic)
                        .boolean()
                        .not_null()
                        .default(true),
                )
                .col(ColumnDef::new(Tournaments::MaxPlayers).integer().not_null())
                .col(
                    ColumnDef::new(Tournaments::Status)
                        .string_len(16)
                        .not_null()
                        .default("draft"),
                )
                .col(ColumnDef::new(Tournaments::Seed).big_integer().not_null())
                .col(
                    ColumnDef::new(Tournaments::ScoreVersion)
                        .big_integer()
                        .not_null()
                        .default(0),
                )
                .col(ts(Tournaments::CreatedAt).not_null())
                .col(ts(Tournaments::StartedAt))
                .col(ts(Tournaments::FinishedAt))
                .foreign_key(&mut fk(
                    "fk_tournaments_organizer",
                    (Tournaments::Table, Tournaments::OrganizerId),
                    (Users::Table, Users::Id),
                    ForeignKeyAction::Restrict,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .if_not_exists()
                .name("idx_tournaments_status_starts")
                .table(Tournaments::Table)
                .col(Tournaments::Status)
                .col(Tournaments::StartsAt)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .if_not_exists()
                .name("idx_tournaments_organizer")
                .table(Tournaments::Table)
                .col(Tournaments::OrganizerId)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(TournamentOrganizers::Table)
                .if_not_exists()
                .col(
                    ColumnDef::new(TournamentOrganizers::TournamentId)
                        .big_integer()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(TournamentOrganizers::UserId)
                        .big_integer()
                        .not_null(),
                )
                .primary_key(
                    Index::create()
                        .col(TournamentOrganizers::TournamentId)
                        .col(TournamentOrganizers::UserId),
                )
                .foreign_key(&mut fk(
                    "fk_coorg_tournament",
                    (
                        TournamentOrganizers::Table,
                        TournamentOrganizers::TournamentId,
                    ),
                    (Tournaments::Table, Tournaments::Id),
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    "fk_coorg_user",
                    (TournamentOrganizers::Table, TournamentOrganizers::UserId),
                    (Users::Table, Users::Id),
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(TournamentPlayer::Table)
                .if_not_exists()
                .col(pk(TournamentPlayer::Id))
                .col(
                    ColumnDef::new(TournamentPlayer::TournamentId)
                        .big_integer()
                        .not_null(),
                )
                .col(ColumnDef::new(TournamentPlayer::UserId).big_integer())
                .col(
                    ColumnDef::new(TournamentPlayer::Name)
                        .string_len(60)
                        .not_null(),
                )
                .col(
                    ColumnDef::new(TournamentPlayer::Status)
                        .string_len(16)
                        .not_null()
                        .default("active"),
                )
                .col(
                    ColumnDef::new(TournamentPlayer::Late)
                        .boolean()
                        .not_null()
                        .default(false),
                )
                .col(ColumnDef::new(TournamentPlayer::GroupLabel).string_len(1))
                .col(ColumnDef::new(TournamentPlayer::TeamNo).integer())
                .col(
                    ColumnDef::new(TournamentPlayer::Position)
                        .integer()
                        .not_null(),
                )
                .col(ts(TournamentPlayer::CreatedAt).not_null())
                .foreign_key(&mut fk(
                    "fk_registration_tournament",
                    (TournamentPlayer::Table, TournamentPlayer::TournamentId),
                    (Tournaments::Table, Tournaments::Id),
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    "fk_registration_user",
                    (TournamentPlayer::Table, TournamentPlayer::UserId),
                    (Users::Table, Users::Id),
                    ForeignKeyAction::SetNull,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .if_not_exists()
                .name("uq_registration_user")
                .table(TournamentPlayer::Table)
                .col(TournamentPlayer::TournamentId)
                .col(TournamentPlayer::UserId)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .if_not_exists()
                .name("idx_registration_user")
                .table(TournamentPlayer::Table)
                .col(TournamentPlayer::UserId)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Rounds::Table)
                .if_not_exists()
                .col(pk(Rounds::Id))
                .col(
                    ColumnDef::new(Rounds::TournamentId)
                        .big_integer()
                        .not_null(),
                )
                .col(ColumnDef::new(Rounds::Number).integer().not_null())
                .col(
                    ColumnDef::new(Rounds::SittingOut)
                        .text()
                        .not_null()
                        .default("[]"),
                )
                .col(ts(Rounds::StartedAt))
                .foreign_key(&mut fk(
                    "fk_rounds_tournament",
                    (Rounds::Table, Rounds::TournamentId),
                    (Tournaments::Table, Tournaments::Id),
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .if_not_exists()
                .name("uq_rounds_number")
                .table(Rounds::Table)
                .col(Rounds::TournamentId)
                .col(Rounds::Number)
                .unique()
                .to_owned(),
        )
        .await?;

        let reg = |name: &str, col: Matches| {
            fk(
                name,
                (Matches::Table, col),
                (TournamentPlayer::Table, TournamentPlayer::Id),
                ForeignKeyAction::Restrict,
            )
        };
        m.create_table(
            Table::create()
                .table(Matches::Table)
                .if_not_exists()
                .col(pk(Matches::Id))
                .col(
                    ColumnDef::new(Matches::TournamentId)
                        .big_integer()
                        .not_null(),
                )
                .col(ColumnDef::new(Matches::RoundId).big_integer().not_null())
                .col(ColumnDef::new(Matches::Court).integer().not_null())
                .col(ColumnDef::new(Matches::A1).big_integer().not_null())
                .col(ColumnDef::new(Matches::A2).big_integer().not_null())
                .col(ColumnDef::new(Matches::B1).big_integer().not_null())
                .col(ColumnDef::new(Matches::B2).big_integer().not_null())
                .col(ColumnDef::new(Matches::ScoreA).integer())
                .col(ColumnDef::new(Matches::ScoreB).integer())
                .col(
                    ColumnDef::new(Matches::Version)
                        .integer()
                        .not_null()
                        .default(0),
                )
                .col(ColumnDef::new(Matches::ScoredSeq).big_integer())
                .col(ts(Matches::UpdatedAt).not_null())
                .foreign_key(&mut fk(
                    "fk_matches_tournament",
                    (Matches::Table, Matches::TournamentId),
                    (Tournaments::Table, Tournaments::Id),
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    "fk_matches_round",
                    (Matches::Table, Matches::RoundId),
                    (Rounds::Table, Rounds::Id),
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut reg("fk_matches_a1", Matches::A1))
                .foreign_key(&mut reg("fk_matches_a2", Matches::A2))
                .foreign_key(&mut reg("fk_matches_b1", Matches::B1))
                .foreign_key(&mut reg("fk_matches_b2", Matches::B2))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .if_not_exists()
                .name("idx_matches_tournament")
                .table(Matches::Table)
                .col(Matches::TournamentId)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .if_not_exists()
                .name("uq_matches_round_court")
                .table(Matches::Table)
                .col(Matches::RoundId)
                .col(Matches::Court)
                .unique()
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(PlayerRatings::Table)
                .if_not_exists()
                .col(pk(PlayerRatings::Id))
                .col(
                    ColumnDef::new(PlayerRatings::UserId)
                        .big_integer()
                        .unique_key(),
                )
                .col(
                    ColumnDef::new(PlayerRatings::RegistrationId)
                        .big_integer()
                        .unique_key(),
                )
                .col(ColumnDef::new(PlayerRatings::Mu).double().not_null())
                .col(ColumnDef::new(PlayerRatings::Sigma).double().not_null())
                .col(
                    ColumnDef::new(PlayerRatings::Matches)
                        .integer()
                        .not_null()
                        .default(0),
                )
                .col(ts(PlayerRatings::UpdatedAt).not_null())
                .foreign_key(&mut fk(
                    "fk_ratings_user",
                    (PlayerRatings::Table, PlayerRatings::UserId),
                    (Users::Table, Users::Id),
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    "fk_ratings_registration",
                    (PlayerRatings::Table, PlayerRatings::RegistrationId),
                    (TournamentPlayer::Table, TournamentPlayer::Id),
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(RatingHistory::Table)
                .if_not_exists()
                .col(pk(RatingHistory::Id))
                .col(
                    ColumnDef::new(RatingHistory::PlayerRatingId)
                        .big_integer()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(RatingHistory::MatchId)
                        .big_integer()
                        .not_null(),
                )
                .col(ColumnDef::new(RatingHistory::MuBefore).double().not_null())
                .col(
                    ColumnDef::new(RatingHistory::SigmaBefore)
                        .double()
                        .not_null(),
                )
                .col(ColumnDef::new(RatingHistory::MuAfter).double().not_null())
                .col(
                    ColumnDef::new(RatingHistory::SigmaAfter)
                        .double()
                        .not_null(),
                )
                .col(ts(RatingHistory::CreatedAt).not_null())
                .foreign_key(&mut fk(
                    "fk_history_rating",
                    (RatingHistory::Table, RatingHistory::PlayerRatingId),
                    (PlayerRatings::Table, PlayerRatings::Id),
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    "fk_history_match",
                    (RatingHistory::Table, RatingHistory::MatchId),
                    (Matches::Table, Matches::Id),
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .if_not_exists()
                .name("idx_history_player")
                .table(RatingHistory::Table)
                .col(RatingHistory::PlayerRatingId)
                .col(RatingHistory::Id)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(TournamentResults::Table)
                .if_not_exists()
                .col(pk(TournamentResults::Id))
                .col(
                    ColumnDef::new(TournamentResults::TournamentId)
                        .big_integer()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(TournamentResults::RegistrationId)
                        .big_integer()
                        .not_null(),
                )
                .col(ColumnDef::new(TournamentResults::Rank).integer().not_null())
                .col(
                    ColumnDef::new(TournamentResults::Points)
                        .double()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(TournamentResults::Played)
                        .integer()
                        .not_null(),
                )
                .col(ColumnDef::new(TournamentResults::Won).integer().not_null())
                .col(
                    ColumnDef::new(TournamentResults::Drawn)
                        .integer()
                        .not_null(),
                )
                .col(ColumnDef::new(TournamentResults::Lost).integer().not_null())
                .col(
                    ColumnDef::new(TournamentResults::PointsFor)
                        .integer()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(TournamentResults::PointsAgainst)
                        .integer()
                        .not_null(),
                )
                .foreign_key(&mut fk(
                    "fk_results_tournament",
                    (TournamentResults::Table, TournamentResults::TournamentId),
                    (Tournaments::Table, Tournaments::Id),
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    "fk_results_registration",
                    (TournamentResults::Table, TournamentResults::RegistrationId),
                    (TournamentPlayer::Table, TournamentPlayer::Id),
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .if_not_exists()
                .name("uq_results_registration")
                .table(TournamentResults::Table)
                .col(TournamentResults::TournamentId)
                .col(TournamentResults::RegistrationId)
                .unique()
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            TournamentResults::Table.into_iden(),
            RatingHistory::Table.into_iden(),
            PlayerRatings::Table.into_iden(),
            Matches::Table.into_iden(),
            Rounds::Table.into_iden(),
            TournamentPlayer::Table.into_iden(),
            TournamentOrganizers::Table.into_iden(),
            Tournaments::Table.into_iden(),
            Users::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).if_exists().to_owned())
                .await?;
        }
        Ok(())
    }
}
