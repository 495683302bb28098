//! Playing a tournament: rounds and matches, score entry, the leaderboard,
//! and the live event stream.
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use sea_orm::EntityTrait;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{etag, json_with_etag, ApiMaybeUser, ApiUser, ErrorBody};
use crate::entities::rounds as round_rows;
use crate::error::{ApiError, AppError};
use crate::routes::live::{self, Payload};
use crate::services::rounds;
use crate::services::standings::Row;
use crate::services::tournaments::{self as tsvc, MatchView, RoundView};
use crate::startup::AppState;

/// A match: two teams of two registration ids, and the score once entered.
#[derive(Serialize, ToSchema)]
pub struct Match {
    pub id: i64,
    /// Round number, from 1.
    pub round: i32,
    /// Court number, from 1.
    pub court: i32,
    pub court_name: String,
    /// Registration ids.
    pub team_a: [i64; 2],
    pub team_b: [i64; 2],
    pub score_a: Option<i32>,
    pub score_b: Option<i32>,
    /// Send it back with a score change; a stale one gets 409.
    pub version: i32,
}

impl From<&MatchView> for Match {
    fn from(m: &MatchView) -> Self {
        Match {
            id: m.id,
            round: m.round,
            court: m.court,
            court_name: m.court_name.clone(),
            team_a: [m.team_a[0].0, m.team_a[1].0],
            team_b: [m.team_b[0].0, m.team_b[1].0],
            score_a: m.score_a,
            score_b: m.score_b,
            version: m.version,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct Round {
    pub number: i32,
    pub matches: Vec<Match>,
    /// Registration ids sitting this round out.
    pub sitting_out: Vec<i64>,
    /// When play began (the timer of timed rounds).
    pub started_at: Option<DateTime<Utc>>,
    /// Mexicano: repeat partnerships the ranking rule would have made that this draw
    /// avoided (absent for the scheduled formats).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub repeats_avoided: Option<i32>,
}

impl From<&RoundView> for Round {
    fn from(r: &RoundView) -> Self {
        Round {
            number: r.number,
            matches: r.matches.iter().map(Match::from).collect(),
            sitting_out: r.sitting_out.iter().map(|(id, _)| *id).collect(),
            started_at: r.started_at,
            repeats_avoided: r.repeats_avoided,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct Rounds {
    pub rounds: Vec<Round>,
}

/// Every round drawn so far. Poll it with `If-None-Match`: 304 until
/// something changes.
#[utoipa::path(
    get,
    path = "/api/v1/tournaments/{id}/rounds",
    tag = "play",
    params(
        ("id" = i64, Path, description = "Tournament id"),
        ("If-None-Match" = Option<String>, Header, description = "A previous ETag"),
    ),
    responses(
        (status = 200, description = "The rounds", body = Rounds,
            headers(("ETag" = String, description = "Changes with the tournament's score_version"))),
        (status = 304, description = "Not modified since the given ETag"),
        (status = 404, description = "No such tournament, or a private one", body = ErrorBody),
    )
)]
pub async fn list_rounds(
    req: HttpRequest,
    state: web::Data<AppState>,
    ApiMaybeUser(actor): ApiMaybeUser,
    path: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let t = tsvc::get(&state.db, path.into_inner()).await?;
    tsvc::require_view(&state.db, actor.as_ref(), &t, false).await?;
    let tag = etag("rounds", t.id, t.score_version);
    if super::not_modified(&req, &tag) {
        return Ok(json_with_etag(&req, tag, &()));
    }
    let full = tsvc::load_full(&state.db, t).await?;
    let body = Rounds {
        rounds: full.rounds.iter().map(Round::from).collect(),
    };
    Ok(json_with_etag(&req, tag, &body))
}

/// Mexicano: draws the next round from the current standings, once every
/// match of the previous one has a score.
#[utoipa::path(
    post,
    path = "/api/v1/tournaments/{id}/rounds",
    tag = "play",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Tournament id")),
    responses(
        (status = 201, description = "The new round", body = Round),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not an organizer", body = ErrorBody),
        (status = 404, description = "No such tournament", body = ErrorBody),
        (status = 409, description = "Not Mexicano, not running, round incomplete, or all rounds played", body = ErrorBody),
    )
)]
pub async fn next_round(
    state: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    path: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let t = tsvc::get(&state.db, path.into_inner()).await?;
    let number = rounds::next_mexicano_round(&state.db, &actor, &t).await?;
    state.live.publish(&state.db, t.id).await;
    let t = tsvc::get(&state.db, t.id).await?;
    let full = tsvc::load_full(&state.db, t).await?;
    let round = full
        .rounds
        .iter()
        .find(|r| r.number == number)
        .ok_or_else(|| AppError::not_found("That round"))?;
    Ok(HttpResponse::Created().json(Round::from(round)))
}

/// The standings in rank order. Poll it with `If-None-Match`: 304 until a
/// score (or anything else that moves the standings) changes.
#[utoipa::path(
    get,
    path = "/api/v1/tournaments/{id}/leaderboard",
    tag = "play",
    params(
        ("id" = i64, Path, description = "Tournament id"),
        ("If-None-Match" = Option<String>, Header, description = "A previous ETag"),
    ),
    responses(
        (status = 200, description = "Rows in rank order; `player_id` is the registration id", body = Vec<Row>,
            headers(("ETag" = String, description = "Changes with the tournament's score_version"))),
        (status = 304, description = "Not modified since the given ETag"),
        (status = 404, description = "No such tournament, or a private one", body = ErrorBody),
    )
)]
pub async fn get_leaderboard(
    req: HttpRequest,
    state: web::Data<AppState>,
    ApiMaybeUser(actor): ApiMaybeUser,
    path: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let t = tsvc::get(&state.db, path.into_inner()).await?;
    tsvc::require_view(&state.db, actor.as_ref(), &t, false).await?;
    let tag = etag("leaderboard", t.id, t.score_version);
    if super::not_modified(&req, &tag) {
        return Ok(json_with_etag(&req, tag, &()));
    }
    let full = tsvc::load_full(&state.db, t).await?;
    Ok(json_with_etag(&req, tag, &full.standings()))
}

/// Server-Sent Events: an `update` event at once and after every change,
/// with data `{"type":"update","tournament_id","score_version","leaderboard":[…]}`.
#[utoipa::path(
    get,
    path = "/api/v1/tournaments/{id}/events",
    tag = "play",
    params(("id" = i64, Path, description = "Tournament id")),
    responses(
        (status = 200, description = "An event stream (text/event-stream)", content_type = "text/event-stream", body = String),
        (status = 404, description = "No such tournament, or a private one", body = ErrorBody),
    )
)]
pub async fn tournament_events(
    state: web::Data<AppState>,
    ApiMaybeUser(actor): ApiMaybeUser,
    path: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let t = tsvc::get(&state.db, path.into_inner()).await?;
    tsvc::require_view(&state.db, actor.as_ref(), &t, false).await?;
    Ok(live::event_stream(state, t.id, t.score_version, Payload::Json, !t.is_public).await?)
}

/// Both scores, or both `null` to clear; `version` as last read.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScoreBody {
    #[schema(example = 14)]
    pub score_a: Option<i32>,
    #[schema(example = 10)]
    pub score_b: Option<i32>,
    #[schema(example = 3)]
    pub version: i32,
}

/// Saves (or clears) a match's score if `version` is still current.
#[utoipa::path(
    patch,
    path = "/api/v1/matches/{id}/score",
    tag = "play",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Match id")),
    request_body = ScoreBody,
    responses(
        (status = 200, description = "The match with its new score and version", body = Match),
        (status = 400, description = "Malformed JSON or wrong types", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not an organizer", body = ErrorBody),
        (status = 404, description = "No such match", body = ErrorBody),
        (status = 409, description = "Stale version (someone saved first), or the tournament is not running", body = ErrorBody),
        (status = 422, description = "A score the scoring rules refuse; `fields` names it", body = ErrorBody),
    )
)]
pub async fn save_score(
    state: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    path: web::Path<i64>,
    body: web::Json<ScoreBody>,
) -> Result<HttpResponse, ApiError> {
    let b = body.into_inner();
    let saved = rounds::save_score(
        &state.db,
        &actor,
        path.into_inner(),
        b.score_a,
        b.score_b,
        b.version,
    )
    .await?;
    state.live.publish(&state.db, saved.tournament_id).await;
    let m = rounds::find_match(&state.db, saved.match_id).await?;
    let round = round_rows::Entity::find_by_id(m.round_id)
        .one(&state.db)
        .await?
        .ok_or_else(|| AppError::not_found("That round"))?;
    let t = tsvc::get(&state.db, m.tournament_id).await?;
    Ok(HttpResponse::Ok().json(Match {
        id: m.id,
        round: round.number,
        court: m.court,
        court_name: tsvc::court_name(&t, m.court),
        team_a: [m.a1, m.a2],
        team_b: [m.b1, m.b2],
        score_a: m.score_a,
        score_b: m.score_b,
        version: m.version,
    }))
}

/// Starts the countdown of a round (timed scoring): `started_at` is set to
/// now, and every screen and phone shows the time left. Organizers only.
#[utoipa::path(
    post,
    path = "/api/v1/tournaments/{id}/rounds/{number}/timer",
    tag = "play",
    security(("bearer" = [])),
    params(
        ("id" = i64, Path, description = "Tournament id"),
        ("number" = i32, Path, description = "Round number, from 1"),
    ),
    responses(
        (status = 200, description = "The round with its `started_at`", body = Round),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not an organizer", body = ErrorBody),
        (status = 404, description = "No such tournament or round", body = ErrorBody),
    )
)]
pub async fn start_round_timer(
    state: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    path: web::Path<(i64, i32)>,
) -> Result<HttpResponse, ApiError> {
    let (id, number) = path.into_inner();
    let t = tsvc::get(&state.db, id).await?;
    let round_id = rounds::start_round_timer(&state.db, &actor, &t, number).await?;
    state.live.publish(&state.db, id).await;
    let full = tsvc::load_full(&state.db, tsvc::get(&state.db, id).await?).await?;
    let round = full
        .rounds
        .iter()
        .find(|r| r.id == round_id)
        .ok_or_else(|| AppError::not_found("That round"))?;
    Ok(HttpResponse::Ok().json(Round::from(round)))
}
