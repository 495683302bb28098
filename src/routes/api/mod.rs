//! The JSON API under `/api/v1`. Handlers only parse, call a service and
//! serialize: every rule and permission lives in `crate::services`, shared
//! with the HTML pages.
//!
//! The operations are listed once, in [`api!`] below: that list generates the
//! OpenAPI document, and the routes are registered *from the document* (path
//! and method as annotated on each handler), so a served route without
//! documentation, or documentation without a route, cannot happen.
use actix_cors::Cors;
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::{header, Method};
use actix_web::middleware::{from_fn, Next};
use actix_web::{web, FromRequest, HttpRequest, HttpResponse, ResponseError};
use base64::Engine;
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::future::Future;
use std::num::NonZeroU32;
use std::pin::Pin;
use std::sync::LazyLock;
use utoipa::{OpenApi, ToSchema};

use crate::auth::{MaybeUser, RequireUser};
use crate::config::Settings;
use crate::error::{ApiError, AppError};
use crate::services::accounts::Actor;
use crate::startup::AppState;
use openapi::BearerAuth;

pub mod auth;
pub mod claims;
pub mod matches;
pub mod openapi;
pub mod players;
pub mod tournaments;
pub mod users;

/// Every operation of the API, once. Order does not matter.
macro_rules! api {
    ($($module:ident :: $handler:ident),* $(,)?) => {
        #[derive(OpenApi)]
        #[openapi(
            info(
                title = "Tornetic API",
                version = "1.0.0",
                description = "Padel Americano and Mexicano tournaments as JSON. \
                    Sign in with `POST /api/v1/auth/jwt/login` and send the token as \
                    `Authorization: Bearer <token>`. Errors always look like \
                    `{\"error\":{\"code\",\"message\",\"fields\"}}`."
            ),
            paths($($module::$handler),*),
            modifiers(&BearerAuth),
            tags(
                (name = "auth", description = "Accounts and API tokens"),
                (name = "users", description = "The signed-in user"),
                (name = "players", description = "Ratings, profiles and statistics"),
                (name = "tournaments", description = "Tournaments and their players"),
                (name = "play", description = "Rounds, scores, standings, live events"),
                (name = "meta", description = "This document")
            )
        )]
        pub struct ApiDoc;

        /// The handler of a documented operation, by its operation id (the
        /// handler's name, utoipa's default).
        fn handler(operation_id: &str) -> Option<actix_web::Route> {
            match operation_id {
                $(stringify!($handler) => Some(web::route().to($module::$handler)),)*
                _ => None,
            }
        }
    };
}

api!(
    auth::register,
    auth::login,
    auth::logout_everywhere,
    users::get_me,
    users::update_me,
    users::my_tournaments,
    players::list_players,
    players::get_player,
    players::player_rating_history,
    tournaments::list_tournaments,
    tournaments::create_tournament,
    tournaments::get_tournament,
    tournaments::update_tournament,
    tournaments::delete_tournament,
    tournaments::list_registrations,
    tournaments::add_registration,
    tournaments::remove_registration,
    tournaments::activate_registration,
    tournaments::set_registration_group,
    tournaments::list_organizers,
    tournaments::add_organizer,
    tournaments::reopen_tournament,
    tournaments::start_tournament,
    tournaments::finish_tournament,
    matches::list_rounds,
    matches::next_round,
    matches::get_leaderboard,
    matches::tournament_events,
    matches::save_score,
    matches::start_round_timer,
    claims::claim_registration,
    claims::list_claims,
    claims::confirm_claim,
    claims::reject_claim,
    openapi::openapi_json,
);

/// One operation as served: method, full path, operation id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Operation {
    pub method: Method,
    pub path: String,
    pub operation_id: String,
}

const METHODS: [(&str, Method); 5] = [
    ("get", Method::GET),
    ("post", Method::POST),
    ("put", Method::PUT),
    ("patch", Method::PATCH),
    ("delete", Method::DELETE),
];

/// The generated document, once.
pub static DOCUMENT: LazyLock<serde_json::Value> = LazyLock::new(|| {
    serde_json::to_value(ApiDoc::openapi()).unwrap_or_else(|_| serde_json::json!({}))
});

/// Every operation in the document; these, and only these, are routed.
pub fn operations() -> Vec<Operation> {
    let mut out = Vec::new();
    let Some(paths) = DOCUMENT.get("paths").and_then(|p| p.as_object()) else {
        return out;
    };
    for (path, item) in paths {
        for (key, method) in &METHODS {
            if let Some(id) = item
                .get(*key)
                .and_then(|op| op.get("operationId"))
                .and_then(|id| id.as_str())
            {
                out.push(Operation {
                    method: method.clone(),
                    path: path.clone(),
                    operation_id: id.to_string(),
                });
            }
        }
    }
    out
}

/// Registers `/api`: the documented operations, the reference page, and
/// JSON errors for everything else beneath it.
pub fn config(cfg: &mut web::ServiceConfig, settings: &Settings) {
    let mut by_path: BTreeMap<String, Vec<Operation>> = BTreeMap::new();
    for op in operations() {
        by_path.entry(op.path.clone()).or_default().push(op);
    }
    let mut scope =
        web::scope("/api")
            .app_data(
                web::PathConfig::default()
                    .error_handler(|_, _| ApiError(AppError::not_found("That resource")).into()),
            )
            .app_data(web::QueryConfig::default().error_handler(|e, _| {
                ApiError(AppError::BadRequest(format!("Bad query: {e}"))).into()
            }))
            .app_data(
                web::FormConfig::default()
                    .limit(64 * 1024)
                    .error_handler(|e, _| {
                        ApiError(AppError::BadRequest(format!(
                            "The form could not be read: {e}"
                        )))
                        .into()
                    }),
            )
            .wrap(from_fn(rate_limit))
            .wrap(cors(settings))
            .route("/docs", web::get().to(openapi::docs_page));
    for (path, ops) in by_path {
        let Some(local) = path.strip_prefix("/api") else {
            tracing::error!(%path, "documented path outside /api is not served");
            continue;
        };
        let mut resource = web::resource(local.to_string());
        for op in ops {
            match handler(&op.operation_id) {
                Some(route) => resource = resource.route(route.method(op.method)),
                None => tracing::error!(id = %op.operation_id, "operation without handler"),
            }
        }
        scope = scope.service(resource.default_service(web::to(method_not_allowed)));
    }
    cfg.service(scope.default_service(web::to(no_endpoint)));
}

async fn no_endpoint() -> Result<HttpResponse, ApiError> {
    Err(AppError::NotFound("There is no API endpoint at this address.".into()).into())
}

async fn method_not_allowed() -> Result<HttpResponse, ApiError> {
    Err(AppError::MethodNotAllowed.into())
}

/// Browsers may call the API only from the configured origins; other
/// clients are unaffected (no CORS headers, nothing blocked).
fn cors(settings: &Settings) -> Cors {
    let mut cors = Cors::default()
        .allowed_methods(["GET", "POST", "PUT", "PATCH", "DELETE"])
        .allowed_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            header::ACCEPT,
            header::IF_NONE_MATCH,
        ])
        .expose_headers([header::ETAG, header::RETRY_AFTER])
        .max_age(3600);
    for origin in &settings.cors_origins {
        cors = cors.allowed_origin(origin);
    }
    cors
}

// ---- Rate limits: per token, or per IP for anonymous requests.

pub struct ApiLimits {
    limiter: DefaultKeyedRateLimiter<String>,
}

impl ApiLimits {
    pub fn new(per_minute: u32) -> Self {
        let n = NonZeroU32::new(per_minute).unwrap_or(NonZeroU32::MIN);
        ApiLimits {
            limiter: RateLimiter::keyed(Quota::per_minute(n)),
        }
    }

    pub fn check(&self, key: &str) -> Result<(), AppError> {
        if self.limiter.len() > 50_000 {
            self.limiter.retain_recent();
        }
        self.limiter
            .check_key(&key.to_string())
            .map_err(|_| AppError::RateLimited)
    }
}

fn bearer(req: &HttpRequest) -> Option<&str> {
    req.headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
        .map(str::trim)
}

/// The limiter's key: a digest of the token (never the token itself), or the IP.
fn limit_key(req: &HttpRequest) -> String {
    match bearer(req) {
        Some(token) => format!("t:{}", hex::encode(&Sha256::digest(token.as_bytes())[..16])),
        None => format!("ip:{}", crate::auth::client_ip(req)),
    }
}

async fn rate_limit(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let Some(state) = req.app_data::<web::Data<AppState>>().cloned() else {
        return Ok(req
            .into_response(ApiError(AppError::Internal("state missing".into())).error_response()));
    };
    if req.method() != Method::OPTIONS {
        if let Err(e) = state.api_limits.check(&limit_key(req.request())) {
            return Ok(req.into_response(ApiError(e).error_response()));
        }
    }
    Ok(next.call(req).await?.map_into_boxed_body())
}

// ---- Who is asking, with JSON errors.

/// A signed-in user (session or bearer token), or 401 with the error shape.
pub struct ApiUser(pub Actor);

impl FromRequest for ApiUser {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let fut = RequireUser::from_request(req, payload);
        Box::pin(async move { fut.await.map(|RequireUser(a)| ApiUser(a)).map_err(ApiError) })
    }
}

/// The signed-in user if any; a bad token is still 401.
pub struct ApiMaybeUser(pub Option<Actor>);

impl FromRequest for ApiMaybeUser {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let fut = MaybeUser::from_request(req, payload);
        Box::pin(async move {
            fut.await
                .map(|MaybeUser(a)| ApiMaybeUser(a))
                .map_err(ApiError)
        })
    }
}

// ---- Shared shapes and helpers.

/// For PATCH bodies: tells a field sent as `null` (`Some(None)`) from one not
/// sent at all (`None`, with `#[serde(default)]`).
pub fn present<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}

/// The error shape of every failed request.
#[derive(Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Serialize, ToSchema)]
pub struct ErrorDetail {
    /// Stable machine-readable code: `bad_request`, `unauthorized`, `forbidden`,
    /// `not_found`, `method_not_allowed`, `conflict`, `validation_failed`,
    /// `rate_limited`, `unavailable`, `internal`.
    pub code: String,
    /// A sentence for people.
    pub message: String,
    /// Per-field messages, for `validation_failed` only.
    pub fields: Option<BTreeMap<String, String>>,
}

/// A page of a list. `next_cursor` is opaque: pass it back as `cursor`.
#[derive(Serialize, ToSchema)]
pub struct Page<T: ToSchema> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
}

pub const DEFAULT_LIMIT: u64 = 20;
pub const MAX_LIMIT: u64 = 100;

/// `limit` within 1..=100 (default 20); anything else is a 400.
pub fn page_limit(limit: Option<u64>) -> Result<u64, ApiError> {
    match limit {
        None => Ok(DEFAULT_LIMIT),
        Some(n) if (1..=MAX_LIMIT).contains(&n) => Ok(n),
        Some(_) => {
            Err(AppError::BadRequest(format!("limit must be from 1 to {MAX_LIMIT}.")).into())
        }
    }
}

/// Cursors are opaque to clients: base64url of our own text.
pub fn encode_cursor(raw: &str) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(raw)
}

pub fn decode_cursor(cursor: &str) -> Result<String, ApiError> {
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(cursor.trim())
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .ok_or_else(|| ApiError(AppError::BadRequest("That cursor is not valid.".into())))
}

/// A strong ETag from what identifies a representation.
pub fn etag(kind: &str, tournament_id: i64, version: i64) -> String {
    format!("\"{kind}-{tournament_id}-{version}\"")
}

/// True when the client already holds this ETag (`If-None-Match`).
pub fn not_modified(req: &HttpRequest, etag: &str) -> bool {
    req.headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|e| e.trim() == etag || e.trim() == "*"))
}

/// A 304 for a matching `If-None-Match`, else 200 with the JSON and the ETag.
pub fn json_with_etag<T: Serialize>(req: &HttpRequest, etag: String, body: &T) -> HttpResponse {
    if not_modified(req, &etag) {
        return HttpResponse::NotModified()
            .insert_header((header::ETAG, etag))
            .finish();
    }
    HttpResponse::Ok()
        .insert_header((header::ETAG, etag))
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .json(body)
}
