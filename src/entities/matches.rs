use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "matches")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub tournament_id: i64,
    pub round_id: i64,
    pub court: i32,
    pub a1: i64,
    pub a2: i64,
    pub b1: i64,
    pub b2: i64,
    pub score_a: Option<i32>,
    pub score_b: Option<i32>,
    /// Optimistic-concurrency version, bumped on every score change.
    pub version: i32,
    /// Global order in which scores were first recorded: the rating replay order.
    pub scored_seq: Option<i64>,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
