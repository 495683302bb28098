//! Security headers on every response, and CSRF checks on every
//! state-changing request of the site (the JSON API uses bearer tokens).
use actix_session::SessionExt;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::web::BytesMut;
use actix_web::HttpMessage;
use futures_util::StreamExt;
use rand::Rng;

use crate::error::AppError;

const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

const HEADERS: [(HeaderName, HeaderValue); 5] = [
    (
        HeaderName::from_static("content-security-policy"),
        HeaderValue::from_static(CSP),
    ),
    (
        HeaderName::from_static("x-frame-options"),
        HeaderValue::from_static("DENY"),
    ),
    (
        HeaderName::from_static("x-content-type-options"),
        HeaderValue::from_static("nosniff"),
    ),
    (
        HeaderName::from_static("referrer-policy"),
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    ),
    (
        HeaderName::from_static("permissions-policy"),
        HeaderValue::from_static("camera=(), microphone=(), geolocation=()"),
    ),
];

pub async fn headers(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let https = req.connection_info().scheme() == "https";
    let mut res = next.call(req).await?;
    let h = res.headers_mut();
    // Constants: names and values are checked at compile time, not per response.
    for (k, v) in HEADERS {
        h.insert(k, v);
    }
    if https {
        h.insert(
            HeaderName::from_static("strict-transport-security"),
            const { HeaderValue::from_static("max-age=63072000; includeSubDomains") },
        );
    }
    Ok(res)
}

pub const CSRF_KEY: &str = "csrf";
const MAX_FORM: usize = 256 * 1024;

/// The session's CSRF token, created on first use.
pub fn csrf_token(session: &actix_session::Session) -> String {
    if let Ok(Some(t)) = session.get::<String>(CSRF_KEY) {
        return t;
    }
    let bytes: [u8; 24] = rand::rng().random();
    let token = hex::encode(bytes);
    let _ = session.insert(CSRF_KEY, &token);
    token
}

fn constant_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

pub async fn csrf(
    mut req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let method = req.method().clone();
    let exempt = method.is_safe() || req.path().starts_with("/api/");
    if exempt {
        return next.call(req).await;
    }
    // A browser tells us where a request came from: refuse other sites outright.
    if let Some(origin) = req.headers().get("origin").and_then(|v| v.to_str().ok()) {
        let host = req.connection_info().host().to_string();
        let origin_host = origin.split("://").nth(1).unwrap_or("");
        if origin != "null" && origin_host != host {
            return Err(AppError::Csrf.into());
        }
    }
    if req
        .headers()
        .get("sec-fetch-site")
        .and_then(|v| v.to_str().ok())
        == Some("cross-site")
    {
        return Err(AppError::Csrf.into());
    }
    let expected: Option<String> = req.get_session().get(CSRF_KEY).ok().flatten();
    let Some(expected) = expected else {
        return Err(AppError::Csrf.into());
    };
    let header_ok = req
        .headers()
        .get("x-csrf-token")
        .map(|v| constant_eq(v.as_bytes(), expected.as_bytes()))
        .unwrap_or(false);
    if !header_ok {
        // Read the form body, look for csrf_token, and put the body back.
        let mut payload = req.take_payload();
        let mut body = BytesMut::new();
        while let Some(chunk) = payload.next().await {
            let chunk = chunk?;
            if body.len() + chunk.len() > MAX_FORM {
                return Err(AppError::BadRequest("The form is too large.".into()).into());
            }
            body.extend_from_slice(&chunk);
        }
        let body = body.freeze();
        let found = form_urlencoded_token(&body);
        if !found.is_some_and(|t| constant_eq(t.as_bytes(), expected.as_bytes())) {
            return Err(AppError::Csrf.into());
        }
        req.set_payload(actix_web::dev::Payload::from(body));
    }
    next.call(req).await
}

fn form_urlencoded_token(body: &[u8]) -> Option<String> {
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(body)
        .ok()?
        .into_iter()
        .find(|(k, _)| k == "csrf_token")
        .map(|(_, v)| v)
}
