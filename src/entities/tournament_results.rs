use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "tournament_results")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub tournament_id: i64,
    pub registration_id: i64,
    pub rank: i32,
    pub points: f64,
    pub played: i32,
    pub won: i32,
    pub drawn: i32,
    pub lost: i32,
    pub points_for: i32,
    pub points_against: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
