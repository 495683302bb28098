//! `/api/v1/players`: the rating list, player profiles with statistics, and
//! rating histories.
use actix_web::{web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{decode_cursor, encode_cursor, page_limit, ErrorBody, Page};
use crate::error::{ApiError, AppError};
use crate::services::players::{self as psvc, RankCursor};
use crate::services::ratings::{self, Rating};
use crate::startup::AppState;

/// One entry of the rating list: an account (`user_id`) or a guest who
/// played without one (`registration_id`).
#[derive(Serialize, ToSchema)]
pub struct RankedPlayer {
    pub rank: u64,
    pub user_id: Option<i64>,
    pub registration_id: Option<i64>,
    pub name: String,
    /// Level on the padel 0–7 scale.
    pub level: f64,
    /// 0–1: how much the games played have settled the level.
    pub reliability: f64,
    pub mu: f64,
    pub sigma: f64,
    pub matches: i32,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RankingQuery {
    /// 1–100, default 20.
    pub limit: Option<u64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

fn parse_rank_cursor(cursor: &str) -> Result<RankCursor, ApiError> {
    let raw = decode_cursor(cursor)?;
    raw.split_once(':')
        .and_then(|(mu, id)| {
            Some(RankCursor {
                mu: mu.parse().ok().filter(|m: &f64| m.is_finite())?,
                id: id.parse().ok()?,
            })
        })
        .ok_or_else(|| ApiError(AppError::BadRequest("That cursor is not valid.".into())))
}

/// The rating list, best first.
#[utoipa::path(
    get,
    path = "/api/v1/players",
    tag = "players",
    params(RankingQuery),
    responses(
        (status = 200, description = "A page of the rating list", body = Page<RankedPlayer>),
        (status = 400, description = "Bad limit or cursor", body = ErrorBody),
    )
)]
pub async fn list_players(
    state: web::Data<AppState>,
    q: web::Query<RankingQuery>,
) -> Result<HttpResponse, ApiError> {
    let limit = page_limit(q.limit)?;
    let cursor = q.cursor.as_deref().map(parse_rank_cursor).transpose()?;
    let (rows, next) = psvc::rankings(&state.db, cursor, limit).await?;
    let items = rows
        .into_iter()
        .map(|r| RankedPlayer {
            rank: r.rank,
            user_id: r.user_id,
            registration_id: r.registration_id,
            name: r.name,
            level: r.level,
            reliability: r.reliability,
            mu: r.mu,
            sigma: r.sigma,
            matches: r.matches,
        })
        .collect();
    Ok(HttpResponse::Ok().json(Page {
        items,
        // f64's Display is the shortest text that parses back to the same value.
        next_cursor: next.map(|c| encode_cursor(&format!("{}:{}", c.mu, c.id))),
    }))
}

#[derive(Serialize, ToSchema)]
pub struct PlayerRating {
    pub level: f64,
    pub reliability: f64,
    pub mu: f64,
    pub sigma: f64,
    /// Matches the rating has seen.
    pub matches: i32,
}

#[derive(Serialize, ToSchema)]
pub struct Statistics {
    /// Tournaments registered for.
    pub tournaments: u32,
    /// Scored matches played.
    pub matches: u32,
    pub wins: u32,
    pub draws: u32,
    pub losses: u32,
    /// wins / matches (0 without matches).
    pub win_rate: f64,
    /// Points scored by the player's side per match.
    pub average_points: f64,
}

/// A player's public profile: no email.
#[derive(Serialize, ToSchema)]
pub struct PlayerProfile {
    pub user_id: i64,
    pub display_name: String,
    pub preferred_side: String,
    pub self_level: Option<f64>,
    pub avatar_color: String,
    pub member_since: DateTime<Utc>,
    /// `null` until the first rated match.
    pub rating: Option<PlayerRating>,
    pub statistics: Statistics,
}

#[utoipa::path(
    get,
    path = "/api/v1/players/{user_id}",
    tag = "players",
    params(("user_id" = i64, Path, description = "The player's user id")),
    responses(
        (status = 200, description = "Profile, rating and statistics", body = PlayerProfile),
        (status = 404, description = "No such player", body = ErrorBody),
    )
)]
pub async fn get_player(
    state: web::Data<AppState>,
    path: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let p = psvc::profile(&state.db, path.into_inner()).await?;
    let s = p.stats;
    Ok(HttpResponse::Ok().json(PlayerProfile {
        user_id: p.user.id,
        display_name: p.user.display_name,
        preferred_side: p.user.preferred_side,
        self_level: p.user.self_level,
        avatar_color: p.user.avatar_color,
        member_since: p.user.created_at,
        rating: p.rating.map(|r| PlayerRating {
            level: ratings::to_level(&r),
            reliability: ratings::reliability(&r),
            mu: r.mu,
            sigma: r.sigma,
            matches: p.rated_matches,
        }),
        statistics: Statistics {
            tournaments: s.tournaments,
            matches: s.matches,
            wins: s.wins,
            draws: s.draws,
            losses: s.losses,
            win_rate: s.win_rate,
            average_points: s.average_points,
        },
    }))
}

/// One rating change, caused by one match.
#[derive(Serialize, ToSchema)]
pub struct RatingChange {
    pub match_id: i64,
    pub tournament_id: Option<i64>,
    pub level_before: f64,
    pub level_after: f64,
    pub mu_before: f64,
    pub mu_after: f64,
    pub sigma_before: f64,
    pub sigma_after: f64,
    pub reliability_after: f64,
    pub created_at: DateTime<Utc>,
}

#[derive(Serialize, ToSchema)]
pub struct RatingHistory {
    pub user_id: i64,
    /// Oldest first.
    pub changes: Vec<RatingChange>,
}

#[utoipa::path(
    get,
    path = "/api/v1/players/{user_id}/rating-history",
    tag = "players",
    params(("user_id" = i64, Path, description = "The player's user id")),
    responses(
        (status = 200, description = "Every rating change, oldest first", body = RatingHistory),
        (status = 404, description = "No such player", body = ErrorBody),
    )
)]
pub async fn player_rating_history(
    state: web::Data<AppState>,
    path: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let user_id = path.into_inner();
    let changes = psvc::rating_history(&state.db, user_id)
        .await?
        .into_iter()
        .map(|e| {
            let before = Rating {
                mu: e.row.mu_before,
                sigma: e.row.sigma_before,
            };
            let after = Rating {
                mu: e.row.mu_after,
                sigma: e.row.sigma_after,
            };
            RatingChange {
                match_id: e.row.match_id,
                tournament_id: e.tournament_id,
                level_before: ratings::to_level(&before),
                level_after: ratings::to_level(&after),
                mu_before: before.mu,
                mu_after: after.mu,
                sigma_before: before.sigma,
                sigma_after: after.sigma,
                reliability_after: ratings::reliability(&after),
                created_at: e.row.created_at,
            }
        })
        .collect();
    Ok(HttpResponse::Ok().json(RatingHistory { user_id, changes }))
}
