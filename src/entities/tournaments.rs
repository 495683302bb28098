use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "tournaments")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub share_code: String,
    pub name: String,
    pub organizer_id: i64,
    pub starts_at: Option<DateTimeUtc>,
    pub venue: String,
    pub format: String,
    pub scoring_mode: String,
    pub scoring_target: i32,
    pub round_minutes: Option<i32>,
    pub courts: i32,
    pub court_names: String,
    pub rounds_planned: Option<i32>,
    pub sit_out_comp: String,
    pub mexicano_rule: String,
    pub tiebreak: String,
    pub is_public: bool,
    pub max_players: i32,
    pub status: String,
    pub seed: i64,
    pub score_version: i64,
    pub created_at: DateTimeUtc,
    pub started_at: Option<DateTimeUtc>,
    pub finished_at: Option<DateTimeUtc>,
    /// Seed Mexicano round 1 and form Team Americano pairs by rating.
    pub balance_by_rating: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
