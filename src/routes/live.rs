//! Live standings: the SSE stream, the public screen, and the cached,
//! ETag-checked standings fragment that polling clients use.
use actix_web::http::header;
use actix_web::{web, FromRequest, HttpRequest, HttpResponse};
use askama::Template;
use futures_util::{stream, StreamExt};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;
use tokio::sync::broadcast::error::RecvError;

use crate::auth::Ctx;
use crate::error::AppError;
use crate::htmx::html;
use crate::services::accounts::Actor;
use crate::services::live::{encode_event, LiveMessage};
use crate::services::standings::Row;
use crate::services::tournaments::{self as tsvc, RoundView};
use crate::startup::AppState;

#[derive(Template)]
#[template(path = "live/fragments.html", blocks = ["standings", "courts"])]
pub struct Fragments {
    pub tid: i64,
    pub standings: Vec<Row>,
    pub round: Option<RoundView>,
    pub deadline: i64,
}

async fn fragments(state: &AppState, tid: i64) -> Result<(i64, bool, Fragments), AppError> {
    let t = tsvc::get(&state.db, tid).await?;
    let (version, public) = (t.score_version, t.is_public);
    let full = tsvc::load_full(&state.db, t).await?;
    let round = full.current_round().cloned();
    Ok((
        version,
        public,
        Fragments {
            tid,
            standings: full.standings(),
            deadline: round.as_ref().map_or(0, |r| r.deadline_ms(&full.t)),
            round,
        },
    ))
}

/// One render per change, shared by every subscriber on this instance.
pub async fn render_message(state: &AppState, tid: i64) -> Result<LiveMessage, AppError> {
    let (version, public, f) = fragments(state, tid).await?;
    let standings = f.as_standings().render()?;
    let courts = f.as_courts().render()?;
    state
        .cache
        .put(tid, version, web::Bytes::from(standings.clone()), public);
    let json = serde_json::json!({
        "type": "update",
        "tournament_id": tid,
        "score_version": version,
        "leaderboard": f.standings,
    })
    .to_string();
    let mut html = String::with_capacity(standings.len() + courts.len() + 256);
    encode_event(&mut html, "standings", version, &standings);
    encode_event(&mut html, "courts", version, &courts);
    let mut json_event = String::with_capacity(json.len() + 64);
    encode_event(&mut json_event, "update", version, &json);
    Ok(LiveMessage {
        score_version: version,
        public,
        html_event: web::Bytes::from(html),
        json_event: web::Bytes::from(json_event),
    })
}

/// Rendered standings per tournament and score version. Every change drops the
/// entry at once (the live event, on every instance); the periodic check against
/// the database only catches changes that publish nothing. An entry checked within
/// `FRESH` serves polls without a query; an older one (up to `MAX_STALE`) is still
/// served while one background task re-checks it, so no poll waits for a query.
#[derive(Default)]
pub struct StandingsCache {
    inner: Mutex<HashMap<i64, CacheEntry>>,
}

struct CacheEntry {
    version: i64,
    html: web::Bytes,
    public: bool,
    checked: std::time::Instant,
    /// A background check against the database is under way.
    revalidating: bool,
}

const FRESH: Duration = Duration::from_millis(500);
/// An entry older than [`FRESH`] is still served while one background task
/// re-checks it (so no poll ever waits for that query), but never past this.
const MAX_STALE: Duration = Duration::from_secs(2);

impl StandingsCache {
    pub fn get(&self, tid: i64, version: i64) -> Option<web::Bytes> {
        let map = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        map.get(&tid)
            .filter(|e| e.version == version)
            .map(|e| e.html.clone())
    }

    /// A public tournament's standings confirmed recently: (version, html), and
    /// whether the caller should start the re-check (only one caller is told).
    fn fresh(&self, tid: i64) -> Option<(i64, web::Bytes, bool)> {
        let mut map = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        let e = map
            .get_mut(&tid)
            .filter(|e| e.public && e.checked.elapsed() < MAX_STALE)?;
        let recheck = !e.revalidating && e.checked.elapsed() >= FRESH;
        e.revalidating |= recheck;
        Some((e.version, e.html.clone(), recheck))
    }

    pub fn put(&self, tid: i64, version: i64, html: web::Bytes, public: bool) {
        let mut map = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        if map.get(&tid).is_none_or(|e| e.version <= version) {
            map.insert(
                tid,
                CacheEntry {
                    version,
                    html,
                    public,
                    checked: std::time::Instant::now(),
                    revalidating: false,
                },
            );
        }
    }

    /// A change happened (this instance or another, via NOTIFY): the next poll re-checks.
    pub fn invalidate(&self, tid: i64) {
        let mut map = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        map.remove(&tid);
    }

    /// The database still says `version`: the entry stays fresh.
    fn confirm(&self, tid: i64, version: i64, public: bool) {
        let mut map = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(e) = map.get_mut(&tid).filter(|e| e.version == version) {
            e.checked = std::time::Instant::now();
            e.public = public;
            e.revalidating = false;
        }
    }
}

/// `hit()` if it has the answer; otherwise the first of a crowd runs `miss` under the
/// tournament's setup lock while the rest wait and then find `hit()` answering. A
/// restart or the club's Wi-Fi coming back costs one query and render, not thousands.
async fn once_per_crowd<T, Fut>(
    state: &AppState,
    tid: i64,
    hit: impl Fn() -> Option<T>,
    miss: impl FnOnce() -> Fut,
) -> Result<T, AppError>
where
    Fut: std::future::Future<Output = Result<T, AppError>>,
{
    if let Some(v) = hit() {
        return Ok(v);
    }
    let _setup = state.live.setup_guard(tid).await;
    match hit() {
        Some(v) => Ok(v),
        None => miss().await,
    }
}

/// The message for a new subscriber: the kept one for this score version, or
/// one render shared by everyone who subscribes meanwhile.
async fn current_message(
    state: &AppState,
    tid: i64,
    version: i64,
) -> Result<std::sync::Arc<LiveMessage>, AppError> {
    once_per_crowd(
        state,
        tid,
        || state.live.current(tid, version),
        || async {
            let msg = std::sync::Arc::new(render_message(state, tid).await?);
            state.live.remember(tid, &msg);
            Ok(msg)
        },
    )
    .await
}

/// Refuses a private tournament to a viewer who may not see it, and records that
/// the cached standings' version and visibility were checked against `t`.
async fn check_viewer(
    state: &AppState,
    t: &crate::entities::tournaments::Model,
    user: Option<&Actor>,
) -> Result<(), AppError> {
    tsvc::require_view(&state.db, user, t, false).await?;
    state.cache.confirm(t.id, t.score_version, t.is_public);
    Ok(())
}

/// Keeps the open-streams gauge honest: decremented when the stream drops.
struct StreamGuard(prometheus::IntGauge);

impl Drop for StreamGuard {
    fn drop(&mut self) {
        self.0.dec();
    }
}

pub enum Payload {
    Html,
    Json,
}

/// The stream: the current state at once (a reconnecting phone is up to date
/// immediately), then every change; keep-alive comments for proxies.
///
/// `private_ok`: the viewer was checked against the private tournament. A stream
/// opened on a public one was not, so it ends when the tournament goes private;
/// the browser reconnects and the new request is checked like any other (the
/// organizer and the players go on, a visitor is refused).
pub async fn event_stream(
    state: web::Data<AppState>,
    tid: i64,
    score_version: i64,
    payload: Payload,
    private_ok: bool,
) -> Result<HttpResponse, AppError> {
    // Subscribe before reading the state, so a change in between is delivered.
    let rx = state.live.subscribe(tid);
    let first = current_message(&state, tid, score_version).await?;
    if !first.public && !private_ok {
        return Err(AppError::not_found("That tournament"));
    }
    state.metrics.sse_streams.inc();
    let guard = StreamGuard(state.metrics.sse_streams.clone());
    let pick = move |msg: &LiveMessage, payload: &Payload| match payload {
        Payload::Html => msg.html_event.clone(),
        Payload::Json => msg.json_event.clone(),
    };
    // Reconnect quickly after a restart; then the current state at once. Both
    // are shared buffers: nothing is copied or rendered per subscriber.
    let head = [
        web::Bytes::from_static(b"retry: 2000\n\n"),
        pick(&first, &payload),
    ];
    drop(first);
    let mut ticker = tokio::time::interval(Duration::from_secs(15));
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    ticker.reset();
    let changes = stream::unfold(
        (rx, payload, guard, ticker),
        move |(mut rx, payload, guard, mut ticker)| async move {
            loop {
                tokio::select! {
                    msg = rx.recv() => match msg {
                        Ok(msg) if !msg.public && !private_ok => return None,
                        Ok(msg) => {
                            let bytes = pick(&msg, &payload);
                            return Some((Ok(bytes), (rx, payload, guard, ticker)));
                        }
                        // A slow client skips to the newest state.
                        Err(RecvError::Lagged(_)) => continue,
                        Err(RecvError::Closed) => return None,
                    },
                    // Keep-alive comments keep proxies from closing an idle stream.
                    _ = ticker.tick() => {
                        return Some((Ok(web::Bytes::from_static(b": keep-alive\n\n")), (rx, payload, guard, ticker)));
                    }
                }
            }
        },
    );
    let s = stream::iter(head.map(Ok::<_, std::convert::Infallible>)).chain(changes);
    Ok(HttpResponse::Ok()
        .content_type("text/event-stream")
        .insert_header((header::CONTENT_ENCODING, "identity"))
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .insert_header(("X-Accel-Buffering", "no"))
        .streaming(s))
}

async fn events(
    state: web::Data<AppState>,
    ctx: Ctx,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let tid = path.into_inner();
    // A public tournament with checked cached standings needs no query.
    let (version, private_ok) = once_per_crowd(
        &state,
        tid,
        || cached(&state, tid).map(|(version, _)| (version, false)),
        || async {
            let t = tsvc::get(&state.db, tid).await?;
            check_viewer(&state, &t, ctx.user.as_ref()).await?;
            Ok((t.score_version, !t.is_public))
        },
    )
    .await?;
    event_stream(state, tid, version, Payload::Html, private_ok).await
}

/// A public tournament's cached standings, starting the background re-check
/// when the entry is due for one.
fn cached(state: &web::Data<AppState>, tid: i64) -> Option<(i64, web::Bytes)> {
    let (version, html, recheck) = state.cache.fresh(tid)?;
    if recheck {
        let state = state.clone();
        actix_web::rt::spawn(async move {
            match tsvc::get(&state.db, tid).await {
                Ok(t) if t.is_public && t.score_version == version => {
                    state.cache.confirm(tid, version, true)
                }
                // Changed, gone private, deleted, or the database is away: the next
                // request goes to the database itself.
                _ => state.cache.invalidate(tid),
            }
        });
    }
    Some((version, html))
}

/// Checks the version (and, for a private tournament, the viewer) in the
/// database; renders only when the cached copy is for another version.
async fn standings_from_db(
    req: &HttpRequest,
    state: &AppState,
    tid: i64,
) -> Result<(i64, web::Bytes), AppError> {
    let t = tsvc::get(&state.db, tid).await?;
    // Public standings need no viewer: only a private one reads the session.
    let user = match t.is_public {
        true => None,
        false => crate::auth::MaybeUser::extract(req).await?.0,
    };
    check_viewer(state, &t, user.as_ref()).await?;
    if let Some(h) = state.cache.get(tid, t.score_version) {
        return Ok((t.score_version, h));
    }
    let (version, _, f) = fragments(state, tid).await?;
    let h = web::Bytes::from(f.as_standings().render()?);
    state.cache.put(tid, version, h.clone(), t.is_public);
    Ok((version, h))
}

/// The standings fragment for polling: 304 when nothing changed, and a cached
/// render when another client already asked for this version.
async fn standings(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let tid = path.into_inner();
    let (version, body) = once_per_crowd(
        &state,
        tid,
        || cached(&state, tid),
        || standings_from_db(&req, &state, tid),
    )
    .await?;
    let etag = format!("\"s{tid}-{version}\"");
    if req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|e| e.trim() == etag))
    {
        return Ok(HttpResponse::NotModified()
            .insert_header((header::ETAG, etag))
            .finish());
    }
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header((header::ETAG, etag))
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .body(body))
}

#[derive(Template)]
#[template(path = "live/screen.html")]
struct ScreenPage {
    ctx: Ctx,
    t: crate::entities::tournaments::Model,
    f: Fragments,
    qr: String,
    share_url: String,
}

impl ScreenPage {
    fn standings_html(&self) -> String {
        self.f.as_standings().render().unwrap_or_default()
    }

    fn courts_html(&self) -> String {
        self.f.as_courts().render().unwrap_or_default()
    }
}

async fn screen(
    state: web::Data<AppState>,
    ctx: Ctx,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let tid = path.into_inner();
    let t = tsvc::get(&state.db, tid).await?;
    tsvc::require_view(&state.db, ctx.user.as_ref(), &t, false).await?;
    let (_, _, f) = fragments(&state, tid).await?;
    let share_url = format!("{}/t/{}", state.settings.base_url, t.share_code);
    html(&ScreenPage {
        qr: crate::routes::tournaments::qr_svg(&share_url),
        ctx,
        t,
        f,
        share_url,
    })
}

/// The phone page's stream for a private tournament, for whoever holds the share
/// link (as the page itself is). Public tournaments' phones use the cached
/// `/tournaments/{id}/events`, which costs no query when a crowd reconnects.
async fn events_by_code(
    state: web::Data<AppState>,
    ctx: Ctx,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let t = tsvc::get_by_code(&state.db, &path.into_inner()).await?;
    tsvc::require_view(&state.db, ctx.user.as_ref(), &t, true).await?;
    event_stream(state, t.id, t.score_version, Payload::Html, !t.is_public).await
}

pub fn config(cfg: &mut web::ServiceConfig) {
    cfg.route("/t/{code}/events", web::get().to(events_by_code))
        .route("/tournaments/{id}/events", web::get().to(events))
        .route("/tournaments/{id}/standings", web::get().to(standings))
        .route("/tournaments/{id}/screen", web::get().to(screen));
}
