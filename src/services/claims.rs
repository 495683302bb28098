//! Guests claim their history: a signed-in user says "that guest was me";
//! an organizer of that tournament confirms (the registration then belongs to
//! the account, and ratings and statistics follow) or rejects it.
use chrono::Utc;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, Set, TransactionTrait,
};
use std::collections::HashMap;

use crate::entities::{claims, tournament_player, tournaments, users};
use crate::error::AppError;
use crate::services::accounts::Actor;
use crate::services::tournaments as tsvc;

pub const PENDING: &str = "pending";
pub const CONFIRMED: &str = "confirmed";
pub const REJECTED: &str = "rejected";

/// A claim with the names an organizer needs to decide.
#[derive(Clone, Debug)]
pub struct ClaimView {
    pub claim: claims::Model,
    pub tournament_id: i64,
    pub registration_name: String,
    pub user_name: String,
}

async fn plays_in(
    db: &impl ConnectionTrait,
    tournament_id: i64,
    user_id: i64,
) -> Result<bool, AppError> {
    Ok(tournament_player::Entity::find()
        .filter(tournament_player::Column::TournamentId.eq(tournament_id))
        .filter(tournament_player::Column::UserId.eq(user_id))
        .count(db)
        .await?
        > 0)
}

/// The signed-in user claims a guest registration of a tournament they can
/// see (`via_link`: they hold the share link). Asking again is harmless.
#[tracing::instrument(skip_all, fields(user = actor.id(), tournament = t.id, registration = reg_id))]
pub async fn request(
    db: &DatabaseConnection,
    actor: &Actor,
    t: &tournaments::Model,
    reg_id: i64,
    via_link: bool,
) -> Result<claims::Model, AppError> {
    tsvc::require_view(db, Some(actor), t, via_link).await?;
    let reg = tsvc::registration(db, t, reg_id).await?;
    if reg.user_id.is_some() {
        return Err(AppError::Conflict(
            "That player already belongs to an account.".into(),
        ));
    }
    if plays_in(db, t.id, actor.id()).await? {
        return Err(AppError::Conflict(
            "You already play in this tournament under your account.".into(),
        ));
    }
    let existing = claims::Entity::find()
        .filter(claims::Column::RegistrationId.eq(reg.id))
        .filter(claims::Column::UserId.eq(actor.id()))
        .one(db)
        .await?;
    match existing {
        Some(c) if c.status == PENDING => return Ok(c),
        Some(_) => {
            return Err(AppError::Conflict(
                "The organizer has already decided on this claim.".into(),
            ))
        }
        None => {}
    }
    let inserted = claims::ActiveModel {
        registration_id: Set(reg.id),
        user_id: Set(actor.id()),
        status: Set(PENDING.into()),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await;
    match inserted {
        Ok(c) => Ok(c),
        // Two taps at once: the unique index keeps one; return it.
        Err(e) => claims::Entity::find()
            .filter(claims::Column::RegistrationId.eq(reg.id))
            .filter(claims::Column::UserId.eq(actor.id()))
            .one(db)
            .await?
            .ok_or(AppError::from(e)),
    }
}

/// Claims with their names.
pub async fn views(
    db: &impl ConnectionTrait,
    rows: Vec<claims::Model>,
) -> Result<Vec<ClaimView>, AppError> {
    if rows.is_empty() {
        return Ok(vec![]);
    }
    let reg_ids: Vec<i64> = rows.iter().map(|c| c.registration_id).collect();
    let user_ids: Vec<i64> = rows.iter().map(|c| c.user_id).collect();
    let regs: HashMap<i64, tournament_player::Model> = tournament_player::Entity::find()
        .filter(tournament_player::Column::Id.is_in(reg_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.id, r))
        .collect();
    let names: HashMap<i64, String> = users::Entity::find()
        .filter(users::Column::Id.is_in(user_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.display_name))
        .collect();
    Ok(rows
        .into_iter()
        .filter_map(|c| {
            let reg = regs.get(&c.registration_id)?;
            Some(ClaimView {
                tournament_id: reg.tournament_id,
                registration_name: reg.name.clone(),
                user_name: names.get(&c.user_id).cloned().unwrap_or_default(),
                claim: c,
            })
        })
        .collect())
}

/// Pending claims on a tournament's registrations, oldest first. Organizers only.
pub async fn pending(
    db: &impl ConnectionTrait,
    actor: &Actor,
    t: &tournaments::Model,
) -> Result<Vec<ClaimView>, AppError> {
    tsvc::require_manage(db, Some(actor), t).await?;
    pending_unchecked(db, t).await
}

async fn pending_unchecked(
    db: &impl ConnectionTrait,
    t: &tournaments::Model,
) -> Result<Vec<ClaimView>, AppError> {
    let reg_ids: Vec<i64> = tsvc::registrations(db, t.id)
        .await?
        .into_iter()
        .filter(|r| r.user_id.is_none())
        .map(|r| r.id)
        .collect();
    if reg_ids.is_empty() {
        return Ok(vec![]);
    }
    let rows = claims::Entity::find()
        .filter(claims::Column::RegistrationId.is_in(reg_ids))
        .filter(claims::Column::Status.eq(PENDING))
        .order_by_asc(claims::Column::Id)
        .all(db)
        .await?;
    views(db, rows).await
}

/// The user's own claims on a tournament's registrations (any status).
pub async fn mine_in(
    db: &impl ConnectionTrait,
    actor: &Actor,
    t: &tournaments::Model,
) -> Result<Vec<claims::Model>, AppError> {
    let reg_ids: Vec<i64> = tsvc::registrations(db, t.id)
        .await?
        .into_iter()
        .map(|r| r.id)
        .collect();
    if reg_ids.is_empty() {
        return Ok(vec![]);
    }
    Ok(claims::Entity::find()
        .filter(claims::Column::RegistrationId.is_in(reg_ids))
        .filter(claims::Column::UserId.eq(actor.id()))
        .all(db)
        .await?)
}

/// A claim with its tournament, for the permission check.
async fn load(
    db: &impl ConnectionTrait,
    claim_id: i64,
) -> Result<(claims::Model, tournament_player::Model, tournaments::Model), AppError> {
    let claim = claims::Entity::find_by_id(claim_id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("That claim"))?;
    let reg = tournament_player::Entity::find_by_id(claim.registration_id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("That claim"))?;
    let t = tsvc::get(db, reg.tournament_id).await?;
    Ok((claim, reg, t))
}

/// Confirms a claim, in one transaction: the registration becomes the
/// user's, the other claims on it are rejected, and the ratings are replayed
/// (the guest's matches now count for the account, so its rating is exactly
/// what it would have been had they played signed in). Statistics follow by
/// themselves: they read registrations by user. Organizers only.
#[tracing::instrument(skip_all, fields(user = actor.id(), claim = claim_id))]
pub async fn confirm(
    db: &DatabaseConnection,
    actor: &Actor,
    claim_id: i64,
) -> Result<ClaimView, AppError> {
    let (claim, _, t) = load(db, claim_id).await?;
    tsvc::require_manage(db, Some(actor), &t).await?;
    let txn = db.begin().await?;
    // Re-read inside the transaction: a claim decided meanwhile, a registration
    // claimed meanwhile, or a user who joined meanwhile all refuse.
    let (claim, reg, _) = load(&txn, claim.id).await?;
    if claim.status != PENDING {
        return Err(AppError::Conflict(
            "This claim has already been decided.".into(),
        ));
    }
    if plays_in(&txn, t.id, claim.user_id).await? {
        return Err(AppError::Conflict(
            "That account already plays in this tournament.".into(),
        ));
    }
    let res = tournament_player::Entity::update_many()
        .col_expr(
            tournament_player::Column::UserId,
            Expr::value(Some(claim.user_id)),
        )
        .filter(tournament_player::Column::Id.eq(reg.id))
        .filter(tournament_player::Column::UserId.is_null())
        .exec(&txn)
        .await?;
    if res.rows_affected != 1 {
        return Err(AppError::Conflict(
            "That player already belongs to an account.".into(),
        ));
    }
    let res = claims::Entity::update_many()
        .col_expr(claims::Column::Status, Expr::value(CONFIRMED))
        .filter(claims::Column::Id.eq(claim.id))
        .filter(claims::Column::Status.eq(PENDING))
        .exec(&txn)
        .await?;
    if res.rows_affected != 1 {
        return Err(AppError::Conflict(
            "This claim has already been decided.".into(),
        ));
    }
    claims::Entity::update_many()
        .col_expr(claims::Column::Status, Expr::value(REJECTED))
        .filter(claims::Column::RegistrationId.eq(reg.id))
        .filter(claims::Column::Status.eq(PENDING))
        .exec(&txn)
        .await?;
    crate::services::player_ratings::rebuild(&txn, true).await?;
    // The player list and standings show who has an account.
    crate::services::rounds::bump_version(&txn, t.id).await?;
    txn.commit().await?;
    let (claim, _, _) = load(db, claim.id).await?;
    views(db, vec![claim])
        .await?
        .pop()
        .ok_or_else(|| AppError::not_found("That claim"))
}

/// Rejects a pending claim. Organizers only.
#[tracing::instrument(skip_all, fields(user = actor.id(), claim = claim_id))]
pub async fn reject(
    db: &DatabaseConnection,
    actor: &Actor,
    claim_id: i64,
) -> Result<ClaimView, AppError> {
    let (claim, _, t) = load(db, claim_id).await?;
    tsvc::require_manage(db, Some(actor), &t).await?;
    let res = claims::Entity::update_many()
        .col_expr(claims::Column::Status, Expr::value(REJECTED))
        .filter(claims::Column::Id.eq(claim.id))
        .filter(claims::Column::Status.eq(PENDING))
        .exec(db)
        .await?;
    if res.rows_affected != 1 {
        return Err(AppError::Conflict(
            "This claim has already been decided.".into(),
        ));
    }
    let (claim, _, _) = load(db, claim.id).await?;
    views(db, vec![claim])
        .await?
        .pop()
        .ok_or_else(|| AppError::not_found("That claim"))
}
