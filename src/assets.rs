//! Static files embedded in the binary (one file to deploy), served under a
//! content-hashed URL with a year-long cache header.
use actix_web::{web, HttpResponse};
use sha2::{Digest, Sha256};
use std::sync::LazyLock;

struct Asset {
    name: &'static str,
    body: &'static [u8],
    content_type: &'static str,
    hash: String,
}

macro_rules! asset {
    ($name:literal, $ct:literal) => {
        (
            $name,
            include_bytes!(concat!("../static/", $name)).as_slice(),
            $ct,
        )
    };
}

static ASSETS: LazyLock<Vec<Asset>> = LazyLock::new(|| {
    [
        asset!("app.css", "text/css; charset=utf-8"),
        asset!("app.js", "text/javascript; charset=utf-8"),
        asset!("htmx-2.0.11.min.js", "text/javascript; charset=utf-8"),
        asset!(
            "htmx-ext-sse-2.2.4.min.js",
            "text/javascript; charset=utf-8"
        ),
        asset!("favicon.svg", "image/svg+xml"),
        asset!("api-docs.js", "text/javascript; charset=utf-8"),
    ]
    .into_iter()
    .map(|(name, body, content_type)| Asset {
        name,
        body,
        content_type,
        hash: hex::encode(&Sha256::digest(body)[..6]),
    })
    .collect()
});

/// The URL of an embedded asset, e.g. `/static/3fa1c2d4e5f6/app.css`.
pub fn url(name: &str) -> String {
    match ASSETS.iter().find(|a| a.name == name) {
        Some(a) => format!("/static/{}/{}", a.hash, a.name),
        None => format!("/static/missing/{name}"),
    }
}

async fn serve(path: web::Path<(String, String)>) -> HttpResponse {
    let (hash, name) = path.into_inner();
    match ASSETS.iter().find(|a| a.name == name) {
        Some(a) if a.hash == hash => HttpResponse::Ok()
            .content_type(a.content_type)
            .insert_header(("Cache-Control", "public, max-age=31536000, immutable"))
            .body(a.body),
        // An old hash still gets the current file, but not cached for long.
        Some(a) => HttpResponse::Ok()
            .content_type(a.content_type)
            .insert_header(("Cache-Control", "public, max-age=60"))
            .body(a.body),
        None => HttpResponse::NotFound().finish(),
    }
}

async fn favicon() -> HttpResponse {
    HttpResponse::MovedPermanently()
        .insert_header(("Location", url("favicon.svg")))
        .finish()
}

pub fn config(cfg: &mut web::ServiceConfig) {
    cfg.route("/static/{hash}/{name}", web::get().to(serve))
        .route("/favicon.ico", web::get().to(favicon));
}
