//! Who is asking: the session's identity (site) or a bearer token (API).
use actix_identity::Identity;
use actix_session::SessionExt;
use actix_web::body::MessageBody;
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderValue, SET_COOKIE};
use actix_web::middleware::Next;
use actix_web::{web, FromRequest, HttpRequest};
use std::future::Future;
use std::pin::Pin;

use crate::error::AppError;
use crate::security::csrf_token;
use crate::services::accounts::{self, Actor};
use crate::startup::AppState;

pub const SESSION_COOKIE: &str = "tornetic_session";
pub const REMEMBER_COOKIE: &str = "tornetic_remember";
const THIRTY_DAYS: i64 = 30 * 86_400;

async fn resolve(req: &HttpRequest) -> Result<Option<Actor>, AppError> {
    let Some(state) = req.app_data::<web::Data<AppState>>() else {
        return Err(AppError::Internal("state missing".into()));
    };
    let bearer = req
        .headers()
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        });
    let user = if let Some(token) = bearer {
        Some(accounts::verify_token(&state.db, &state.settings.secret_key, token.trim()).await?)
    } else {
        let id = Identity::extract(req)
            .into_inner()
            .ok()
            .and_then(|i| i.id().ok());
        match id.as_deref().and_then(|s| s.split_once(':')) {
            Some((uid, version)) => {
                let uid: i64 = uid.parse().unwrap_or(-1);
                match accounts::find(&state.db, uid).await? {
                    // A bumped token_version (sign out everywhere) ends the session too.
                    Some(u) if u.token_version.to_string() == version => Some(u),
                    _ => None,
                }
            }
            None => None,
        }
    };
    Ok(user.map(|u| Actor {
        is_admin: state.settings.is_admin(&u.email),
        user: u,
    }))
}

/// The signed-in user, if any.
pub struct MaybeUser(pub Option<Actor>);

impl FromRequest for MaybeUser {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, AppError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move { resolve(&req).await.map(MaybeUser) })
    }
}

/// A signed-in user, or 401.
pub struct RequireUser(pub Actor);

impl FromRequest for RequireUser {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, AppError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            match resolve(&req).await? {
                Some(a) => Ok(RequireUser(a)),
                None => Err(AppError::Unauthorized),
            }
        })
    }
}

/// What every page's layout needs: the user, the CSRF token, the path.
pub struct Ctx {
    pub user: Option<Actor>,
    pub csrf: String,
    pub path: String,
    pub google: bool,
}

impl Ctx {
    pub fn user_id(&self) -> Option<i64> {
        self.user.as_ref().map(|a| a.id())
    }

    pub fn user_name(&self) -> &str {
        self.user
            .as_ref()
            .map(|a| a.user.display_name.as_str())
            .unwrap_or("")
    }

    /// The JSON for `hx-headers` on `<body>`: htmx sends the CSRF token with
    /// every request it makes.
    pub fn hx_headers(&self) -> String {
        serde_json::json!({ "X-CSRF-Token": self.csrf }).to_string()
    }
}

impl FromRequest for Ctx {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, AppError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let user = resolve(&req).await?;
            let csrf = csrf_token(&req.get_session());
            let google = req
                .app_data::<web::Data<AppState>>()
                .is_some_and(|s| s.settings.google.is_some());
            Ok(Ctx {
                user,
                csrf,
                path: req.path().to_string(),
                google,
            })
        })
    }
}

pub fn client_ip(req: &HttpRequest) -> String {
    req.peer_addr()
        .map(|a| a.ip().to_string())
        .unwrap_or_else(|| "unknown".into())
}

/// "Remember me": a marker cookie turns the session cookie into a 30-day one;
/// without it the session ends when the browser closes.
pub async fn remember_me(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let remembered = req.cookie(REMEMBER_COOKIE).is_some();
    let _ = req.get_session();
    let mut res = next.call(req).await?;
    let sets_marker = res.headers().get_all(SET_COOKIE).any(|v| {
        v.to_str()
            .is_ok_and(|s| s.starts_with(&format!("{REMEMBER_COOKIE}=1")))
    });
    let clears_marker = res.headers().get_all(SET_COOKIE).any(|v| {
        v.to_str().is_ok_and(|s| {
            s.starts_with(&format!("{REMEMBER_COOKIE}=;"))
                || s.starts_with(&format!("{REMEMBER_COOKIE}=\"\""))
        })
    });
    if (remembered || sets_marker) && !clears_marker {
        let cookies: Vec<HeaderValue> = res.headers().get_all(SET_COOKIE).cloned().collect();
        let h = res.headers_mut();
        h.remove(SET_COOKIE);
        for c in cookies {
            let s = c.to_str().unwrap_or_default();
            let v = if s.starts_with(&format!("{SESSION_COOKIE}=")) && !s.contains("Max-Age") {
                HeaderValue::from_str(&format!("{s}; Max-Age={THIRTY_DAYS}")).unwrap_or(c)
            } else {
                c
            };
            h.append(SET_COOKIE, v);
        }
    }
    Ok(res)
}
