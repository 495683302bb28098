use sea_orm::entity::prelude::*;

/// A registration: a user, or a guest known only by name.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "tournament_player")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub tournament_id: i64,
    pub user_id: Option<i64>,
    pub name: String,
    /// active | waitlist | withdrawn
    pub status: String,
    pub late: bool,
    pub group_label: Option<String>,
    pub team_no: Option<i32>,
    pub position: i32,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
