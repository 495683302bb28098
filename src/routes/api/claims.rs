//! Guests claim their history: "that guest was me", confirmed by an organizer.
use actix_web::{web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{ApiUser, ErrorBody};
use crate::error::ApiError;
use crate::services::claims::{self as csvc, ClaimView};
use crate::services::tournaments as tsvc;
use crate::startup::AppState;

/// A user's claim that a guest registration was them.
#[derive(Serialize, ToSchema)]
pub struct Claim {
    pub id: i64,
    pub tournament_id: i64,
    pub registration_id: i64,
    /// The guest's name as registered.
    pub registration_name: String,
    pub user_id: i64,
    pub user_display_name: String,
    /// `pending`, `confirmed` or `rejected`.
    pub status: String,
    pub created_at: DateTime<Utc>,
}

impl From<ClaimView> for Claim {
    fn from(v: ClaimView) -> Self {
        Claim {
            id: v.claim.id,
            tournament_id: v.tournament_id,
            registration_id: v.claim.registration_id,
            registration_name: v.registration_name,
            user_id: v.claim.user_id,
            user_display_name: v.user_name,
            status: v.claim.status,
            created_at: v.claim.created_at,
        }
    }
}

/// Optional: the share link's code, to claim in a private tournament.
#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct ClaimBody {
    pub share_code: Option<String>,
}

/// "That was me": the signed-in user claims a guest registration. An
/// organizer of the tournament confirms or rejects it. Asking twice returns
/// the same pending claim.
#[utoipa::path(
    post,
    path = "/api/v1/tournaments/{id}/players/{registration_id}/claim",
    tag = "players",
    security(("bearer" = [])),
    params(
        ("id" = i64, Path, description = "Tournament id"),
        ("registration_id" = i64, Path, description = "The guest's registration id"),
    ),
    request_body(content = Option<ClaimBody>, description = "Optional"),
    responses(
        (status = 201, description = "The pending claim", body = Claim),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 404, description = "No such tournament or registration", body = ErrorBody),
        (status = 409, description = "Already an account's, you already play in this tournament, or already decided", body = ErrorBody),
    )
)]
pub async fn claim_registration(
    state: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    path: web::Path<(i64, i64)>,
    body: Option<web::Json<ClaimBody>>,
) -> Result<HttpResponse, ApiError> {
    let (tid, rid) = path.into_inner();
    let t = tsvc::get(&state.db, tid).await?;
    let via_link = body
        .and_then(|b| b.into_inner().share_code)
        .is_some_and(|c| c == t.share_code);
    let c = csvc::request(&state.db, &actor, &t, rid, via_link).await?;
    let v = csvc::views(&state.db, vec![c])
        .await?
        .pop()
        .ok_or_else(|| ApiError(crate::error::AppError::not_found("That claim")))?;
    Ok(HttpResponse::Created().json(Claim::from(v)))
}

/// Pending claims on the tournament's guests, oldest first. Organizers only.
#[utoipa::path(
    get,
    path = "/api/v1/tournaments/{id}/claims",
    tag = "players",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Tournament id")),
    responses(
        (status = 200, description = "Pending claims", body = Vec<Claim>),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not an organizer", body = ErrorBody),
        (status = 404, description = "No such tournament", body = ErrorBody),
    )
)]
pub async fn list_claims(
    state: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    path: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let t = tsvc::get(&state.db, path.into_inner()).await?;
    let list = csvc::pending(&state.db, &actor, &t).await?;
    Ok(HttpResponse::Ok().json(list.into_iter().map(Claim::from).collect::<Vec<_>>()))
}

/// Confirms a claim: the guest registration becomes the user's, ratings are
/// replayed with its matches counted for the account, and the statistics
/// include them. Organizers of the tournament only.
#[utoipa::path(
    post,
    path = "/api/v1/claims/{id}/confirm",
    tag = "players",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Claim id")),
    responses(
        (status = 200, description = "The confirmed claim", body = Claim),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not an organizer of its tournament", body = ErrorBody),
        (status = 404, description = "No such claim", body = ErrorBody),
        (status = 409, description = "Already decided, already an account's, or the user already plays there", body = ErrorBody),
    )
)]
pub async fn confirm_claim(
    state: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    path: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let v = csvc::confirm(&state.db, &actor, path.into_inner()).await?;
    state.live.publish(&state.db, v.tournament_id).await;
    Ok(HttpResponse::Ok().json(Claim::from(v)))
}

/// Rejects a pending claim. Organizers of the tournament only.
#[utoipa::path(
    post,
    path = "/api/v1/claims/{id}/reject",
    tag = "players",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Claim id")),
    responses(
        (status = 200, description = "The rejected claim", body = Claim),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not an organizer of its tournament", body = ErrorBody),
        (status = 404, description = "No such claim", body = ErrorBody),
        (status = 409, description = "Already decided", body = ErrorBody),
    )
)]
pub async fn reject_claim(
    state: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    path: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let v = csvc::reject(&state.db, &actor, path.into_inner()).await?;
    Ok(HttpResponse::Ok().json(Claim::from(v)))
}
