//! Tournaments: settings, permissions, registration, and loading the whole
//! picture (players, rounds, matches, standings) in a fixed number of queries.
use chrono::{DateTime, NaiveDateTime, Utc};
use rand::Rng;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set, TransactionTrait,
};
use serde::Deserialize;
use std::collections::HashMap;

use crate::domain::{
    Format, MexicanoRule, PlayerName, ScoringMode, SitOutComp, Tiebreak, TournamentStatus,
};
use crate::entities::{
    matches, rounds, tournament_organizers, tournament_player, tournaments, users,
};
use crate::error::{AppError, FieldErrors};
use crate::services::accounts::Actor;
use crate::services::standings::{self, MatchResult, Row};

pub const MAX_PLAYERS: i32 = 64;
pub const MAX_COURTS: i32 = 16;
mod full;
mod lists;
mod registration;
mod settings;

pub use full::*;
pub use lists::*;
pub use registration::*;
pub use settings::*;

fn share_code() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut rng = rand::rng();
    (0..10)
        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
        .collect()
}

#[tracing::instrument(skip_all, fields(user = actor.id()))]
pub async fn create(
    db: &impl ConnectionTrait,
    actor: &Actor,
    input: &TournamentInput,
) -> Result<tournaments::Model, AppError> {
    let s = Settings::parse(input)?;
    let mut am = tournaments::ActiveModel {
        share_code: Set(share_code()),
        organizer_id: Set(actor.id()),
        status: Set(TournamentStatus::Draft.as_str().into()),
        seed: Set(rand::rng().random_range(0..i64::from(u32::MAX))),
        score_version: Set(0),
        created_at: Set(Utc::now()),
        ..Default::default()
    };
    apply(&mut am, &s);
    Ok(am.insert(db).await?)
}

/// Settings that shape the schedule change only before the start.
#[tracing::instrument(skip_all, fields(user = actor.id(), tournament = t.id))]
pub async fn update(
    db: &impl ConnectionTrait,
    actor: &Actor,
    t: &tournaments::Model,
    input: &TournamentInput,
) -> Result<tournaments::Model, AppError> {
    require_manage(db, Some(actor), t).await?;
    let s = Settings::parse(input)?;
    let status = status_of(t);
    if status != TournamentStatus::Draft && (s.format.as_str() != t.format || s.courts != t.courts)
    {
        return Err(AppError::field(
            "format",
            "The format and the number of courts cannot change after the start.",
        ));
    }
    let mut am: tournaments::ActiveModel = t.clone().into();
    apply(&mut am, &s);
    am.update(db).await?;
    // Settings such as the tie-break order change what the standings show
    // (an atomic bump: a score saved meanwhile keeps its own).
    crate::services::rounds::bump_version(db, t.id).await?;
    get(db, t.id).await
}

pub async fn delete_draft(
    db: &impl ConnectionTrait,
    actor: &Actor,
    t: &tournaments::Model,
) -> Result<(), AppError> {
    require_owner(Some(actor), t)?;
    if status_of(t) != TournamentStatus::Draft {
        return Err(AppError::Conflict(
            "Only a tournament that has not started can be deleted.".into(),
        ));
    }
    tournaments::Entity::delete_by_id(t.id).exec(db).await?;
    Ok(())
}

pub fn status_of(t: &tournaments::Model) -> TournamentStatus {
    TournamentStatus::parse(&t.status).unwrap_or(TournamentStatus::Draft)
}

pub fn format_of(t: &tournaments::Model) -> Format {
    Format::parse(&t.format).unwrap_or(Format::Americano)
}

pub async fn get(db: &impl ConnectionTrait, id: i64) -> Result<tournaments::Model, AppError> {
    tournaments::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("That tournament"))
}

pub async fn get_by_code(
    db: &impl ConnectionTrait,
    code: &str,
) -> Result<tournaments::Model, AppError> {
    tournaments::Entity::find()
        .filter(tournaments::Column::ShareCode.eq(code))
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("That tournament"))
}

// ---- Permissions: one rule for the site and the API.

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    Visitor,
    Player,
    CoOrganizer,
    Organizer,
    Admin,
}

pub async fn role(
    db: &impl ConnectionTrait,
    actor: Option<&Actor>,
    t: &tournaments::Model,
) -> Result<Role, AppError> {
    let Some(a) = actor else {
        return Ok(Role::Visitor);
    };
    if a.is_admin {
        return Ok(Role::Admin);
    }
    if t.organizer_id == a.id() {
        return Ok(Role::Organizer);
    }
    if tournament_organizers::Entity::find_by_id((t.id, a.id()))
        .one(db)
        .await?
        .is_some()
    {
        return Ok(Role::CoOrganizer);
    }
    let registered = tournament_player::Entity::find()
        .filter(tournament_player::Column::TournamentId.eq(t.id))
        .filter(tournament_player::Column::UserId.eq(a.id()))
        .count(db)
        .await?
        > 0;
    Ok(if registered {
        Role::Player
    } else {
        Role::Visitor
    })
}

pub async fn require_manage(
    db: &impl ConnectionTrait,
    actor: Option<&Actor>,
    t: &tournaments::Model,
) -> Result<Role, AppError> {
    if actor.is_none() {
        return Err(AppError::Unauthorized);
    }
    let r = role(db, actor, t).await?;
    if r >= Role::CoOrganizer {
        Ok(r)
    } else {
        Err(AppError::Forbidden(
            "Only the organizers of this tournament can do that.".into(),
        ))
    }
}

/// Owner-level actions (settings that delete, co-organizers): the organizer or an admin.
pub fn require_owner(actor: Option<&Actor>, t: &tournaments::Model) -> Result<(), AppError> {
    match actor {
        None => Err(AppError::Unauthorized),
        Some(a) if a.is_admin || a.id() == t.organizer_id => Ok(()),
        Some(_) => Err(AppError::Forbidden(
            "Only the tournament's organizer can do that.".into(),
        )),
    }
}

/// Public tournaments are for everyone; private ones for their people and
/// whoever holds the share link (`via_link`).
pub async fn require_view(
    db: &impl ConnectionTrait,
    actor: Option<&Actor>,
    t: &tournaments::Model,
    via_link: bool,
) -> Result<Role, AppError> {
    let r = role(db, actor, t).await?;
    if t.is_public || via_link || r > Role::Visitor {
        Ok(r)
    } else {
        Err(AppError::not_found("That tournament"))
    }
}

pub async fn add_co_organizer(
    db: &impl ConnectionTrait,
    actor: &Actor,
    t: &tournaments::Model,
    email: &str,
) -> Result<users::Model, AppError> {
    require_owner(Some(actor), t)?;
    let user = crate::services::accounts::find_by_email(db, email)
        .await?
        .ok_or_else(|| {
            AppError::field(
                "email",
                "No account uses that email yet. Ask them to sign up first.",
            )
        })?;
    if user.id == t.organizer_id {
        return Err(AppError::field("email", "That is the organizer already."));
    }
    if tournament_organizers::Entity::find_by_id((t.id, user.id))
        .one(db)
        .await?
        .is_none()
    {
        tournament_organizers::ActiveModel {
            tournament_id: Set(t.id),
            user_id: Set(user.id),
        }
        .insert(db)
        .await?;
    }
    Ok(user)
}

pub async fn co_organizers(
    db: &impl ConnectionTrait,
    t: &tournaments::Model,
) -> Result<Vec<users::Model>, AppError> {
    let ids: Vec<i64> = tournament_organizers::Entity::find()
        .filter(tournament_organizers::Column::TournamentId.eq(t.id))
        .all(db)
        .await?
        .into_iter()
        .map(|o| o.user_id)
        .collect();
    if ids.is_empty() {
        return Ok(vec![]);
    }
    Ok(users::Entity::find()
        .filter(users::Column::Id.is_in(ids))
        .all(db)
        .await?)
}
