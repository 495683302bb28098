//! Rankings and public player profiles.
use actix_web::{web, HttpResponse};
use askama::Template;
use serde::Deserialize;

use crate::auth::Ctx;
use crate::entities::users;
use crate::error::AppError;
use crate::htmx::html;
use crate::services::accounts::initials;
use crate::services::stats::{self, HeadToHead, Profile, RankRow};
use crate::startup::AppState;

#[derive(Template)]
#[template(path = "players/index.html")]
struct RankingsPage {
    ctx: Ctx,
    rows: Vec<RankRow>,
    q: String,
    min: i32,
}

#[derive(Deserialize)]
struct RankQuery {
    q: Option<String>,
    min: Option<String>,
}

async fn index(
    state: web::Data<AppState>,
    ctx: Ctx,
    q: web::Query<RankQuery>,
) -> Result<HttpResponse, AppError> {
    let search: String = q.q.clone().unwrap_or_default().chars().take(60).collect();
    let min = q
        .min
        .as_deref()
        .and_then(|m| m.trim().parse().ok())
        .unwrap_or(0)
        .clamp(0, 1000);
    let rows = stats::rankings(&state.db, min, &search, 200).await?;
    html(&RankingsPage {
        ctx,
        rows,
        q: search,
        min,
    })
}

#[derive(Template)]
#[template(path = "players/show.html")]
struct ProfilePage {
    ctx: Ctx,
    p: Profile,
    initials: String,
    chart: String,
    versus: Vec<users::Model>,
    h2h: Option<(String, HeadToHead)>,
}

#[derive(Deserialize)]
struct ProfileQuery {
    vs: Option<i64>,
}

async fn show(
    state: web::Data<AppState>,
    ctx: Ctx,
    path: web::Path<i64>,
    q: web::Query<ProfileQuery>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let p = stats::profile(&state.db, id).await?;
    let h2h = match q.vs {
        Some(other) if other != id => {
            match crate::services::accounts::find(&state.db, other).await? {
                Some(u) => Some((
                    u.display_name.clone(),
                    stats::head_to_head(&state.db, id, other).await?,
                )),
                None => None,
            }
        }
        _ => None,
    };
    let versus = crate::services::accounts::by_name(&state.db, 200).await?;
    html(&ProfilePage {
        ctx,
        initials: initials(&p.user.display_name),
        chart: p.chart_svg(),
        p,
        versus,
        h2h,
    })
}

pub fn config(cfg: &mut web::ServiceConfig) {
    cfg.route("/players", web::get().to(index))
        .route("/players/{id}", web::get().to(show));
}
