//! One module per resource; each has `config`.
use actix_web::web;

use crate::config::Settings;
use crate::error::AppError;

pub mod accounts;
pub mod api;
pub mod home;
pub mod live;
pub mod players;

pub mod tournaments;

async fn not_found() -> Result<actix_web::HttpResponse, AppError> {
    Err(AppError::NotFound(
        "There is no page at this address.".into(),
    ))
}

/// `/api` first: its own JSON default service answers everything beneath it.
/// Then the live routes: actix tries resources in order, and the polled
/// standings are by far the most requested path (one match instead of ~80).
pub fn config(cfg: &mut web::ServiceConfig, settings: &Settings) {
    api::config(cfg, settings);
    cfg.configure(live::config)
        .configure(home::config)
        .configure(accounts::config)
        .configure(tournaments::config)
        .configure(players::config)
        .default_service(web::to(not_found));
}
