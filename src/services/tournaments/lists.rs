//! Tournament lists: tabs, search, pages, "my tournaments".
use super::*;

// ---- Lists

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListTab {
    Live,
    Upcoming,
    Finished,
}

impl ListTab {
    pub fn parse(s: &str) -> Self {
        match s {
            "upcoming" => ListTab::Upcoming,
            "finished" => ListTab::Finished,
            _ => ListTab::Live,
        }
    }
}

/// Who may see a tournament in a list: public ones, plus the viewer's own.
fn visible_to(viewer: Option<&Actor>) -> sea_orm::Condition {
    let mut visible = sea_orm::Condition::any().add(tournaments::Column::IsPublic.eq(true));
    if let Some(a) = viewer {
        visible = visible.add(tournaments::Column::OrganizerId.eq(a.id()));
    }
    visible
}

/// A name search as a bound LIKE parameter: quotes and other SQL
/// metacharacters are just text.
fn name_like(
    q: sea_orm::Select<tournaments::Entity>,
    search: &str,
) -> sea_orm::Select<tournaments::Entity> {
    // Control characters removed (PostgreSQL refuses NUL); a bound parameter
    // with an explicit ESCAPE (SQLite has none by default): quotes, % and _ are text.
    let search = crate::domain::clean_text(search);
    if search.is_empty() {
        return q;
    }
    let escaped = search
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    let pattern = sea_orm::sea_query::LikeExpr::new(format!("%{escaped}%")).escape('\\');
    q.filter(tournaments::Column::Name.like(pattern))
}

/// Public tournaments (plus the viewer's own), by tab, with a name search.
pub async fn list(
    db: &impl ConnectionTrait,
    viewer: Option<&Actor>,
    status: TournamentStatus,
    search: &str,
    limit: u64,
) -> Result<Vec<tournaments::Model>, AppError> {
    let q = tournaments::Entity::find()
        .filter(tournaments::Column::Status.eq(status.as_str()))
        .filter(visible_to(viewer));
    let q = name_like(q, search);
    let q = match status {
        TournamentStatus::Finished => q.order_by_desc(tournaments::Column::FinishedAt),
        _ => q
            .order_by_asc(tournaments::Column::StartsAt)
            .order_by_desc(tournaments::Column::Id),
    };
    Ok(q.limit(limit).all(db).await?)
}

/// The same visibility and search as [`list`], newest first, in pages:
/// `before` is the last id of the previous page. Returns the page and
/// whether more follow.
pub async fn list_page(
    db: &impl ConnectionTrait,
    viewer: Option<&Actor>,
    status: Option<TournamentStatus>,
    search: &str,
    before: Option<i64>,
    limit: u64,
) -> Result<(Vec<tournaments::Model>, bool), AppError> {
    let mut q = tournaments::Entity::find().filter(visible_to(viewer));
    if let Some(status) = status {
        q = q.filter(tournaments::Column::Status.eq(status.as_str()));
    }
    if let Some(before) = before {
        q = q.filter(tournaments::Column::Id.lt(before));
    }
    let mut items = name_like(q, search)
        .order_by_desc(tournaments::Column::Id)
        .limit(limit + 1)
        .all(db)
        .await?;
    let more = items.len() as u64 > limit;
    items.truncate(limit as usize);
    Ok((items, more))
}

/// Tournaments a user organizes, co-organizes or plays in.
pub async fn mine(
    db: &impl ConnectionTrait,
    actor: &Actor,
) -> Result<Vec<tournaments::Model>, AppError> {
    use sea_orm::Condition;
    let played: Vec<i64> = tournament_player::Entity::find()
        .filter(tournament_player::Column::UserId.eq(actor.id()))
        .all(db)
        .await?
        .into_iter()
        .map(|r| r.tournament_id)
        .collect();
    let co: Vec<i64> = tournament_organizers::Entity::find()
        .filter(tournament_organizers::Column::UserId.eq(actor.id()))
        .all(db)
        .await?
        .into_iter()
        .map(|o| o.tournament_id)
        .collect();
    let ids: Vec<i64> = played.into_iter().chain(co).collect();
    Ok(tournaments::Entity::find()
        .filter(
            Condition::any()
                .add(tournaments::Column::OrganizerId.eq(actor.id()))
                .add(tournaments::Column::Id.is_in(ids)),
        )
        .order_by_desc(tournaments::Column::Id)
        .limit(100)
        .all(db)
        .await?)
}
