//! `/api/v1/users/me`: the signed-in user's own account.
use actix_web::{web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::tournaments::Tournament;
use super::{ApiUser, ErrorBody};
use crate::entities::users;
use crate::error::ApiError;
use crate::services::accounts::{self, ProfileUpdate};
use crate::startup::AppState;

/// The signed-in user's own account (the email is shown only here).
#[derive(Serialize, ToSchema)]
pub struct User {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    /// `left`, `right` or `both`.
    pub preferred_side: String,
    /// Self-assessed level on the padel 0–7 scale.
    pub self_level: Option<f64>,
    pub avatar_color: String,
    pub created_at: DateTime<Utc>,
}

impl From<&users::Model> for User {
    fn from(u: &users::Model) -> Self {
        User {
            id: u.id,
            email: u.email.clone(),
            display_name: u.display_name.clone(),
            preferred_side: u.preferred_side.clone(),
            self_level: u.self_level,
            avatar_color: u.avatar_color.clone(),
            created_at: u.created_at,
        }
    }
}

#[utoipa::path(
    get,
    path = "/api/v1/users/me",
    tag = "users",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The signed-in user", body = User),
        (status = 401, description = "Not signed in", body = ErrorBody),
    )
)]
pub async fn get_me(ApiUser(actor): ApiUser) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(User::from(&actor.user)))
}

/// A level as a number or a numeric string; `null` clears it.
#[derive(Deserialize)]
#[serde(untagged)]
enum Level {
    Number(f64),
    Text(String),
}

/// Only the fields sent change.
#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct ProfilePatch {
    pub display_name: Option<String>,
    /// `left`, `right` or `both`.
    pub preferred_side: Option<String>,
    /// 0–7 in steps of 0.1; `null` clears it.
    #[serde(default, deserialize_with = "super::present")]
    #[schema(value_type = Option<f64>)]
    self_level: Option<Option<Level>>,
}

#[utoipa::path(
    patch,
    path = "/api/v1/users/me",
    tag = "users",
    security(("bearer" = [])),
    request_body = ProfilePatch,
    responses(
        (status = 200, description = "The updated user", body = User),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 422, description = "Invalid fields", body = ErrorBody),
    )
)]
pub async fn update_me(
    state: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    body: web::Json<ProfilePatch>,
) -> Result<HttpResponse, ApiError> {
    let p = body.into_inner();
    let current = &actor.user;
    let self_level = match p.self_level {
        None => current
            .self_level
            .map(|l| l.to_string())
            .unwrap_or_default(),
        Some(None) => String::new(),
        Some(Some(Level::Number(n))) => n.to_string(),
        Some(Some(Level::Text(s))) => s,
    };
    let input = ProfileUpdate {
        display_name: p
            .display_name
            .unwrap_or_else(|| current.display_name.clone()),
        preferred_side: p
            .preferred_side
            .unwrap_or_else(|| current.preferred_side.clone()),
        self_level,
    };
    let user = accounts::update_profile(&state.db, &actor, input).await?;
    Ok(HttpResponse::Ok().json(User::from(&user)))
}

/// Tournaments the signed-in user organizes, co-organizes or plays in,
/// newest first (at most 100): the site's "My tournaments".
#[utoipa::path(
    get,
    path = "/api/v1/users/me/tournaments",
    tag = "users",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The user's tournaments, newest first", body = Vec<Tournament>),
        (status = 401, description = "Not signed in", body = ErrorBody),
    )
)]
pub async fn my_tournaments(
    state: web::Data<AppState>,
    ApiUser(actor): ApiUser,
) -> Result<HttpResponse, ApiError> {
    let items = crate::services::tournaments::mine(&state.db, &actor).await?;
    let base = &state.settings.base_url;
    Ok(HttpResponse::Ok().json(
        items
            .iter()
            .map(|t| Tournament::new(t, base))
            .collect::<Vec<_>>(),
    ))
}
