use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "rounds")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub tournament_id: i64,
    pub number: i32,
    /// JSON array of registration ids sitting out this round.
    pub sitting_out: String,
    pub started_at: Option<DateTimeUtc>,
    /// Mexicano: repeat partnerships the ranking rule would have made that this
    /// round's draw avoided; NULL for the scheduled formats.
    pub repeats_avoided: Option<i32>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
