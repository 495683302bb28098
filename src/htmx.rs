//! Page or fragment: decided from `HX-Request` in one place.
use actix_web::{dev::Payload, FromRequest, HttpRequest, HttpResponse};
use askama::Template;
use std::future::{ready, Ready};

use crate::error::AppError;

/// True when htmx made the request (and wants a fragment, not a page).
#[derive(Clone, Copy, Debug)]
pub struct Hx(pub bool);

impl FromRequest for Hx {
    type Error = actix_web::Error;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let boosted = req.headers().contains_key("hx-boosted");
        ready(Ok(Hx(req.headers().contains_key("hx-request") && !boosted)))
    }
}

pub fn html(t: &impl Template) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(t.render()?))
}

pub fn html_status(
    status: actix_web::http::StatusCode,
    t: &impl Template,
) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .body(t.render()?))
}

/// Post/redirect/get for plain forms; htmx follows `HX-Redirect` instead.
pub fn redirect(hx: Hx, to: &str) -> HttpResponse {
    if hx.0 {
        HttpResponse::Ok()
            .insert_header(("HX-Redirect", to))
            .finish()
    } else {
        HttpResponse::SeeOther()
            .insert_header(("Location", to))
            .finish()
    }
}
