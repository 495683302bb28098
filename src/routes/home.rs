use actix_web::{web, HttpResponse};
use askama::Template;

use crate::auth::Ctx;
use crate::domain::TournamentStatus;
use crate::entities::tournaments;
use crate::error::AppError;
use crate::htmx::html;
use crate::services::tournaments as tsvc;
use crate::startup::AppState;

#[derive(Template)]
#[template(path = "home.html")]
struct Home {
    ctx: Ctx,
    live: Vec<tournaments::Model>,
    upcoming: Vec<tournaments::Model>,
    recent: Vec<tournaments::Model>,
}

async fn home(state: web::Data<AppState>, ctx: Ctx) -> Result<HttpResponse, AppError> {
    let viewer = ctx.user.as_ref();
    let live = tsvc::list(&state.db, viewer, TournamentStatus::Live, "", 10).await?;
    let upcoming = tsvc::list(&state.db, viewer, TournamentStatus::Draft, "", 10).await?;
    let recent = tsvc::list(&state.db, viewer, TournamentStatus::Finished, "", 5).await?;
    html(&Home {
        ctx,
        live,
        upcoming,
        recent,
    })
}

async fn health(state: web::Data<AppState>) -> HttpResponse {
    let version = env!("CARGO_PKG_VERSION");
    match state.db.ping().await {
        Ok(()) => HttpResponse::Ok().json(serde_json::json!({
            "status": "ok", "database": "ok", "version": version
        })),
        Err(e) => {
            tracing::warn!(error = %e, "health check: database unavailable");
            HttpResponse::ServiceUnavailable().json(serde_json::json!({
                "status": "degraded", "database": "unavailable", "version": version
            }))
        }
    }
}

pub fn config(cfg: &mut web::ServiceConfig) {
    cfg.route("/", web::get().to(home))
        .route("/health", web::get().to(health));
}
