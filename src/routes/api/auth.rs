//! `/api/v1/auth`: sign-up, token sign-in, revoking every token.
use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::users::User;
use super::{ApiUser, ErrorBody};
use crate::auth::client_ip;
use crate::error::ApiError;
use crate::services::accounts::{self, SignUp};
use crate::startup::AppState;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterBody {
    #[schema(example = "ana@club.es")]
    pub email: String,
    /// At least 10 characters.
    pub password: String,
    #[schema(example = "Ana Lopez")]
    pub display_name: String,
}

/// Creates an account. Rate limited like the site's sign-up.
#[utoipa::path(
    post,
    path = "/api/v1/auth/register",
    tag = "auth",
    request_body = RegisterBody,
    responses(
        (status = 201, description = "The new account", body = User),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 422, description = "Invalid or taken email, weak password, bad name", body = ErrorBody),
        (status = 429, description = "Too many attempts", body = ErrorBody),
    )
)]
pub async fn register(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Json<RegisterBody>,
) -> Result<HttpResponse, ApiError> {
    let b = body.into_inner();
    state
        .limits
        .check(&state.db, &client_ip(&req), &b.email)
        .await?;
    let user = accounts::register(
        &state.db,
        SignUp {
            email: b.email,
            password: b.password,
            display_name: b.display_name,
        },
    )
    .await?;
    Ok(HttpResponse::Created().json(User::from(&user)))
}

/// OAuth2 password-grant style form: the email goes in `username`.
#[derive(Deserialize, ToSchema)]
pub struct LoginForm {
    #[schema(example = "ana@club.es")]
    pub username: String,
    pub password: String,
}

#[derive(Serialize, ToSchema)]
pub struct TokenResponse {
    pub access_token: String,
    /// Always `bearer`.
    #[schema(example = "bearer")]
    pub token_type: String,
}

/// Exchanges email and password for a bearer token (valid 30 days, revoked by
/// logout-everywhere). Rate limited per IP and per account.
#[utoipa::path(
    post,
    path = "/api/v1/auth/jwt/login",
    tag = "auth",
    request_body(content = LoginForm, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 200, description = "A bearer token", body = TokenResponse),
        (status = 400, description = "The form could not be read", body = ErrorBody),
        (status = 422, description = "Email and password do not match an account", body = ErrorBody),
        (status = 429, description = "Too many attempts", body = ErrorBody),
    )
)]
pub async fn login(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: web::Form<LoginForm>,
) -> Result<HttpResponse, ApiError> {
    let f = form.into_inner();
    state
        .limits
        .check(&state.db, &client_ip(&req), &f.username)
        .await?;
    let user = accounts::authenticate(&state.db, &f.username, &f.password).await?;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(TokenResponse {
            access_token: accounts::issue_token(&state.settings.secret_key, &user),
            token_type: "bearer".into(),
        }))
}

/// Ends every session and revokes every token of the signed-in user,
/// including the one used for this request.
#[utoipa::path(
    post,
    path = "/api/v1/auth/logout-everywhere",
    tag = "auth",
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Every token is revoked"),
        (status = 401, description = "Not signed in", body = ErrorBody),
    )
)]
pub async fn logout_everywhere(
    state: web::Data<AppState>,
    ApiUser(actor): ApiUser,
) -> Result<HttpResponse, ApiError> {
    accounts::sign_out_everywhere(&state.db, &actor).await?;
    Ok(HttpResponse::NoContent().finish())
}
