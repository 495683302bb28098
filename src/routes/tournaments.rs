//! Tournament pages: lists, create/edit, registration, start, score entry,
//! finish, the player's phone view, exports.
use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;
use chrono::{DateTime, Utc};
use serde::Deserialize;

use crate::auth::{Ctx, MaybeUser, RequireUser};
use crate::domain::{Format, ScoringMode, TournamentStatus};
use crate::entities::{tournament_player, tournaments, users};
use crate::error::{AppError, FieldErrors};
use crate::htmx::{html, html_status, redirect, Hx};
use crate::services::claims::{self, ClaimView};
use crate::services::rounds;
use crate::services::scheduling;
use crate::services::standings::Row;
use crate::services::tournaments::{
    self as tsvc, Full, ListTab, MatchView, Role, RoundView, TournamentInput,
};
use crate::startup::AppState;

pub fn format_label(f: &str) -> &'static str {
    Format::parse(f).map(|f| f.label()).unwrap_or("Americano")
}

pub fn when(d: &Option<DateTime<Utc>>) -> String {
    d.map(|d| d.format("%a %d %b, %H:%M").to_string())
        .unwrap_or_else(|| "Date to be set".into())
}

// ---- Lists

#[derive(Template)]
#[template(path = "tournaments/list.html")]
struct ListPage {
    ctx: Ctx,
    tab: &'static str,
    q: String,
    items: Vec<tournaments::Model>,
    title: &'static str,
}

#[derive(Deserialize)]
struct ListQuery {
    tab: Option<String>,
    q: Option<String>,
}

async fn list(
    state: web::Data<AppState>,
    ctx: Ctx,
    q: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    let tab = ListTab::parse(q.tab.as_deref().unwrap_or("live"));
    let (status, tab_name) = match tab {
        ListTab::Live => (TournamentStatus::Live, "live"),
        ListTab::Upcoming => (TournamentStatus::Draft, "upcoming"),
        ListTab::Finished => (TournamentStatus::Finished, "finished"),
    };
    let search: String = q.q.clone().unwrap_or_default().chars().take(80).collect();
    let items = tsvc::list(&state.db, ctx.user.as_ref(), status, &search, 100).await?;
    html(&ListPage {
        ctx,
        tab: tab_name,
        q: search,
        items,
        title: "Tournaments",
    })
}

async fn mine(
    state: web::Data<AppState>,
    ctx: Ctx,
    RequireUser(actor): RequireUser,
) -> Result<HttpResponse, AppError> {
    let items = tsvc::mine(&state.db, &actor).await?;
    html(&ListPage {
        ctx,
        tab: "mine",
        q: String::new(),
        items,
        title: "My tournaments",
    })
}

// ---- Create / edit

#[derive(Template)]
#[template(path = "tournaments/form.html", blocks = ["preview"])]
struct FormPage {
    ctx: Ctx,
    editing: Option<tournaments::Model>,
    v: TournamentInput,
    errors: FieldErrors,
    message: String,
    preview: Preview,
    players_hint: usize,
}

/// The schedule's fairness for the numbers on the form.
pub struct Preview {
    pub summary: String,
    pub figures: Vec<(String, String)>,
}

fn preview_for(v: &TournamentInput, players: usize) -> Preview {
    let n = players.clamp(4, 64);
    let courts: usize = v
        .courts
        .trim()
        .parse()
        .unwrap_or(1usize)
        .clamp(1, 16)
        .min(n / 4)
        .max(1);
    let format = match Format::parse(&v.format) {
        Some(Format::TeamAmericano) => scheduling::Format::TeamAmericano,
        Some(Format::MixedAmericano) => scheduling::Format::MixedAmericano,
        _ => scheduling::Format::Americano,
    };
    if Format::parse(&v.format) == Some(Format::Mexicano) {
        return Preview {
            summary: format!("Mexicano with {n} players on {courts} court(s): round 1 by seeding, then each round from the standings, avoiding repeat partners."),
            figures: vec![],
        };
    }
    let rounds = v
        .rounds
        .trim()
        .parse::<usize>()
        .ok()
        .filter(|r| (1..=100).contains(r));
    match scheduling::preview(format, n, courts, rounds, 1) {
        Ok(s) => {
            let q = scheduling::quality(&s);
            Preview {
                summary: format!(
                    "{n} players, {courts} court(s), {} rounds: {}",
                    s.rounds.len(),
                    q.summary()
                ),
                figures: figures(&q),
            }
        }
        Err(e) => Preview {
            summary: e.to_string(),
            figures: vec![],
        },
    }
}

/// The fairness figures against their bounds, for the preview table.
fn figures(q: &scheduling::Quality) -> Vec<(String, String)> {
    let range = |a: u32, b: u32| {
        if a == b {
            a.to_string()
        } else {
            format!("{a}–{b}")
        }
    };
    vec![
        (
            "Partner repeats".into(),
            format!(
                "{} (minimum possible {})",
                q.partner_repeats, q.forced_partner_repeats
            ),
        ),
        (
            "Opponents per pair".into(),
            // The counting ideal: not always reachable (proved for 6 and 7 on one court).
            format!(
                "{} (ideal {}{})",
                range(q.opponent_min, q.opponent_max),
                range(q.opponent_bound.0, q.opponent_bound.1),
                match q.pairs_outside_opponent_bound {
                    0 => String::new(),
                    1 => "; 1 pair outside".to_string(),
                    k => format!("; {k} pairs outside"),
                }
            ),
        ),
        (
            "Sit-outs per player".into(),
            format!(
                "{} (best possible {})",
                range(q.sit_out_min, q.sit_out_max),
                range(q.sit_out_bound.0, q.sit_out_bound.1)
            ),
        ),
        (
            "Longest sit-out streak".into(),
            q.longest_sit_out_streak.to_string(),
        ),
        (
            "Court spread".into(),
            // Also an ideal: 1 is impossible for some whist designs (proved for 12, 16).
            format!(
                "{} (ideal ≤ {}{})",
                q.court_spread,
                q.court_spread_bound,
                match q.players_over_court_bound {
                    0 => String::new(),
                    k => format!("; {k} of {} players over", q.players),
                }
            ),
        ),
        (
            // Whether sit-outs always went to whoever had played most.
            "Games apart, any round".into(),
            format!("{} (ideal ≤ {})", q.games_gap, q.games_gap_bound),
        ),
    ]
}

async fn new_form(ctx: Ctx, RequireUser(_): RequireUser) -> Result<HttpResponse, AppError> {
    let v = TournamentInput::defaults();
    let preview = preview_for(&v, 8);
    html(&FormPage {
        ctx,
        editing: None,
        v,
        errors: FieldErrors::new(),
        message: String::new(),
        preview,
        players_hint: 8,
    })
}

#[derive(Deserialize)]
struct PreviewQuery {
    #[serde(flatten)]
    v: TournamentInput,
    players: Option<String>,
}

/// The live fairness preview (htmx, as the numbers change).
async fn preview(ctx: Ctx, q: web::Query<PreviewQuery>) -> Result<HttpResponse, AppError> {
    let q = q.into_inner();
    let players = q
        .players
        .as_deref()
        .and_then(|p| p.trim().parse().ok())
        .unwrap_or(8usize)
        .clamp(4, 64);
    let preview = preview_for(&q.v, players);
    let page = FormPage {
        ctx,
        editing: None,
        v: q.v,
        errors: FieldErrors::new(),
        message: String::new(),
        preview,
        players_hint: players,
    };
    let out = html(&page.as_preview());
    out
}

async fn create(
    state: web::Data<AppState>,
    ctx: Ctx,
    RequireUser(actor): RequireUser,
    form: web::Form<TournamentInput>,
) -> Result<HttpResponse, AppError> {
    let v = form.into_inner();
    match tsvc::create(&state.db, &actor, &v).await {
        Ok(t) => Ok(HttpResponse::SeeOther()
            .insert_header(("Location", format!("/tournaments/{}", t.id)))
            .finish()),
        Err(e @ AppError::Validation { .. }) => {
            let players = v.max_players.trim().parse().unwrap_or(8);
            let preview = preview_for(&v, players);
            html_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &FormPage {
                    ctx,
                    editing: None,
                    errors: e.fields().cloned().unwrap_or_default(),
                    message: e.public_message(),
                    v,
                    preview,
                    players_hint: players,
                },
            )
        }
        Err(e) => Err(e),
    }
}

async fn edit_form(
    state: web::Data<AppState>,
    ctx: Ctx,
    RequireUser(actor): RequireUser,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let t = tsvc::get(&state.db, path.into_inner()).await?;
    tsvc::require_manage(&state.db, Some(&actor), &t).await?;
    let v = TournamentInput::from_model(&t);
    let n = tsvc::registrations(&state.db, t.id)
        .await?
        .iter()
        .filter(|r| tsvc::is_active(r))
        .count()
        .max(4);
    let preview = preview_for(&v, n);
    html(&FormPage {
        ctx,
        editing: Some(t),
        v,
        errors: FieldErrors::new(),
        message: String::new(),
        preview,
        players_hint: n,
    })
}

async fn update(
    state: web::Data<AppState>,
    ctx: Ctx,
    RequireUser(actor): RequireUser,
    path: web::Path<i64>,
    form: web::Form<TournamentInput>,
) -> Result<HttpResponse, AppError> {
    let t = tsvc::get(&state.db, path.into_inner()).await?;
    let v = form.into_inner();
    match tsvc::update(&state.db, &actor, &t, &v).await {
        Ok(t) => {
            // Names, courts or visibility changed: screens re-render and cached
            // copies (this instance and the others) are dropped.
            state.live.publish(&state.db, t.id).await;
            Ok(HttpResponse::SeeOther()
                .insert_header(("Location", format!("/tournaments/{}", t.id)))
                .finish())
        }
        Err(e @ AppError::Validation { .. }) => {
            let preview = preview_for(&v, 8);
            html_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &FormPage {
                    ctx,
                    editing: Some(t),
                    errors: e.fields().cloned().unwrap_or_default(),
                    message: e.public_message(),
                    v,
                    preview,
                    players_hint: 8,
                },
            )
        }
        Err(e) => Err(e),
    }
}

async fn delete(
    state: web::Data<AppState>,
    RequireUser(actor): RequireUser,
    path: web::Path<i64>,
    hx: Hx,
) -> Result<HttpResponse, AppError> {
    let t = tsvc::get(&state.db, path.into_inner()).await?;
    tsvc::delete_draft(&state.db, &actor, &t).await?;
    Ok(redirect(hx, "/tournaments/mine"))
}

// ---- The tournament page

#[derive(Template)]
#[template(path = "tournaments/show.html", blocks = ["players", "actions"])]
pub struct ShowPage {
    pub ctx: Ctx,
    pub full: Full,
    pub role: Role,
    pub manage: bool,
    pub standings: Vec<Row>,
    pub share_url: String,
    pub qr: String,
    pub coorgs: Vec<users::Model>,
    /// Pending "that was me" claims (organizers only).
    pub claims: Vec<ClaimView>,
    /// The viewer's own claims on this tournament's guests.
    pub my_claims: Vec<crate::entities::claims::Model>,
    pub names_value: String,
    pub errors: FieldErrors,
    pub message: String,
    pub flash: String,
    /// Render the actions bar as an htmx out-of-band swap (after a players
    /// change the "Start with N players" button must follow the count).
    pub oob: bool,
}

impl ShowPage {
    /// The players block plus the actions bar out of band: the htmx answer
    /// to a change of the player list.
    fn players_fragment(&mut self) -> Result<String, AppError> {
        self.oob = true;
        let mut body = self.as_players().render()?;
        body.push_str(&self.as_actions().render()?);
        Ok(body)
    }

    fn status(&self) -> TournamentStatus {
        tsvc::status_of(&self.full.t)
    }

    fn is_draft(&self) -> bool {
        self.status() == TournamentStatus::Draft
    }

    fn is_live(&self) -> bool {
        self.status() == TournamentStatus::Live
    }

    fn is_finished(&self) -> bool {
        self.status() == TournamentStatus::Finished
    }

    fn is_mexicano(&self) -> bool {
        tsvc::format_of(&self.full.t) == Format::Mexicano
    }

    fn is_mixed(&self) -> bool {
        tsvc::format_of(&self.full.t) == Format::MixedAmericano
    }

    fn active_count(&self) -> usize {
        self.full.active().count()
    }

    fn can_add_round(&self) -> bool {
        self.is_live()
            && self.is_mexicano()
            && self.full.all_complete()
            && self
                .full
                .t
                .rounds_planned
                .is_none_or(|p| (self.full.rounds.len() as i32) < p)
    }

    fn podium(&self) -> Vec<&Row> {
        self.standings.iter().take(3).collect()
    }

    /// The viewer's claim on a guest, if any, as a badge.
    fn my_claim(&self, reg: &i64) -> Option<&'static str> {
        self.my_claims
            .iter()
            .find(|c| c.registration_id == *reg)
            .map(|c| match c.status.as_str() {
                claims::PENDING => "Claim sent: waiting for the organizer",
                claims::REJECTED => "Claim declined",
                _ => "Claimed",
            })
    }

    /// A signed-in viewer who does not play in this tournament may say a
    /// guest was them. Not offered to organizers here (a button on every row
    /// courtside); they can claim from the share page like anyone.
    fn can_claim(&self, p: &tournament_player::Model) -> bool {
        let Some(uid) = self.ctx.user_id() else {
            return false;
        };
        !self.manage
            && p.user_id.is_none()
            && !self.full.players.iter().any(|r| r.user_id == Some(uid))
            && self.my_claim(&p.id).is_none()
    }
}

/// The QR code of a share link, as SVG. Made once per URL: the code is a
/// pure function of the URL, and drawing it costs more than the whole page.
pub fn qr_svg(url: &str) -> String {
    use std::collections::HashMap;
    use std::sync::{LazyLock, Mutex};
    static CACHE: LazyLock<Mutex<HashMap<String, String>>> = LazyLock::new(Default::default);
    if let Some(svg) = CACHE.lock().unwrap_or_else(|p| p.into_inner()).get(url) {
        return svg.clone();
    }
    let svg = match qrcode::QrCode::new(url.as_bytes()) {
        Ok(code) => code
            .render::<qrcode::render::svg::Color>()
            .min_dimensions(200, 200)
            .quiet_zone(true)
            .build(),
        Err(_) => String::new(),
    };
    let mut cache = CACHE.lock().unwrap_or_else(|p| p.into_inner());
    if cache.len() > 10_000 {
        cache.clear();
    }
    cache.insert(url.to_string(), svg.clone());
    svg
}

pub async fn show_page(
    state: &AppState,
    ctx: Ctx,
    t: tournaments::Model,
) -> Result<ShowPage, AppError> {
    let role = tsvc::require_view(&state.db, ctx.user.as_ref(), &t, false).await?;
    let manage = role >= Role::CoOrganizer;
    let share_url = format!("{}/t/{}", state.settings.base_url, t.share_code);
    let coorgs = if manage {
        tsvc::co_organizers(&state.db, &t).await?
    } else {
        vec![]
    };
    let claims = match (&ctx.user, manage) {
        (Some(a), true) => claims::pending(&state.db, a, &t).await?,
        _ => vec![],
    };
    let my_claims = match &ctx.user {
        Some(a) => claims::mine_in(&state.db, a, &t).await?,
        None => vec![],
    };
    let full = tsvc::load_full(&state.db, t).await?;
    let standings = full.standings();
    Ok(ShowPage {
        qr: qr_svg(&share_url),
        ctx,
        full,
        role,
        manage,
        standings,
        share_url,
        coorgs,
        claims,
        my_claims,
        names_value: String::new(),
        errors: FieldErrors::new(),
        message: String::new(),
        flash: String::new(),
        oob: false,
    })
}

async fn show(
    state: web::Data<AppState>,
    ctx: Ctx,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let t = tsvc::get(&state.db, path.into_inner()).await?;
    html(&show_page(&state, ctx, t).await?)
}

#[derive(Deserialize)]
struct AddPlayersForm {
    #[serde(default)]
    names: String,
    allow_duplicates: Option<String>,
}

async fn add_players(
    state: web::Data<AppState>,
    ctx: Ctx,
    RequireUser(actor): RequireUser,
    path: web::Path<i64>,
    form: web::Form<AddPlayersForm>,
    hx: Hx,
) -> Result<HttpResponse, AppError> {
    let t = tsvc::get(&state.db, path.into_inner()).await?;
    let f = form.into_inner();
    let result = tsvc::add_guests(
        &state.db,
        &actor,
        &t,
        &f.names,
        f.allow_duplicates.is_some(),
    )
    .await;
    let (status, names_value, errors, message, flash) = match result {
        Ok(out) => (
            StatusCode::OK,
            String::new(),
            FieldErrors::new(),
            String::new(),
            format!("Added {} player(s).", out.added.len()),
        ),
        Err(e @ AppError::Validation { .. }) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            f.names.chars().take(4000).collect(),
            e.fields().cloned().unwrap_or_default(),
            e.public_message(),
            String::new(),
        ),
        Err(e) => return Err(e),
    };
    if status == StatusCode::OK {
        state.live.publish(&state.db, t.id).await;
    }
    if !hx.0 && status == StatusCode::OK {
        return Ok(redirect(hx, &format!("/tournaments/{}#players", t.id)));
    }
    let mut page = show_page(&state, ctx, t).await?;
    page.names_value = names_value;
    page.errors = errors;
    page.message = message;
    page.flash = flash;
    if hx.0 {
        Ok(HttpResponse::build(status)
            .content_type("text/html; charset=utf-8")
            .body(page.players_fragment()?))
    } else {
        html_status(status, &page)
    }
}

#[derive(Deserialize)]
struct PlayerAction {
    action: String,
    group: Option<String>,
}

async fn player_action(
    state: web::Data<AppState>,
    ctx: Ctx,
    RequireUser(actor): RequireUser,
    path: web::Path<(i64, i64)>,
    form: web::Form<PlayerAction>,
    hx: Hx,
) -> Result<HttpResponse, AppError> {
    let (tid, rid) = path.into_inner();
    let t = tsvc::get(&state.db, tid).await?;
    match form.action.as_str() {
        "remove" => rounds::set_player_status(&state.db, &actor, &t, rid, false).await?,
        "activate" => rounds::set_player_status(&state.db, &actor, &t, rid, true).await?,
        "group" => {
            rounds::set_group(
                &state.db,
                &actor,
                &t,
                rid,
                form.group.as_deref().unwrap_or(""),
            )
            .await?
        }
        _ => return Err(AppError::BadRequest("Unknown action.".into())),
    }
    state.live.publish(&state.db, t.id).await;
    if hx.0 {
        let t = tsvc::get(&state.db, tid).await?;
        let mut page = show_page(&state, ctx, t).await?;
        return Ok(HttpResponse::Ok()
            .content_type("text/html; charset=utf-8")
            .body(page.players_fragment()?));
    }
    Ok(redirect(hx, &format!("/tournaments/{tid}#players")))
}

#[derive(Deserialize)]
struct CoOrgForm {
    #[serde(default)]
    email: String,
}

async fn add_coorganizer(
    state: web::Data<AppState>,
    RequireUser(actor): RequireUser,
    path: web::Path<i64>,
    form: web::Form<CoOrgForm>,
    hx: Hx,
) -> Result<HttpResponse, AppError> {
    let t = tsvc::get(&state.db, path.into_inner()).await?;
    tsvc::add_co_organizer(&state.db, &actor, &t, &form.email).await?;
    Ok(redirect(hx, &format!("/tournaments/{}", t.id)))
}

#[derive(Deserialize)]
struct ClaimForm {
    /// Sent from the share page: claiming in a private tournament by its link.
    share_code: Option<String>,
}

/// "That was me": the signed-in user claims a guest registration.
async fn claim(
    state: web::Data<AppState>,
    RequireUser(actor): RequireUser,
    path: web::Path<(i64, i64)>,
    form: web::Form<ClaimForm>,
    hx: Hx,
) -> Result<HttpResponse, AppError> {
    let (tid, rid) = path.into_inner();
    let t = tsvc::get(&state.db, tid).await?;
    let via_link = form.share_code.as_deref() == Some(t.share_code.as_str());
    claims::request(&state.db, &actor, &t, rid, via_link).await?;
    let back = if via_link {
        format!("/t/{}", t.share_code)
    } else {
        format!("/tournaments/{tid}#players")
    };
    Ok(redirect(hx, &back))
}

/// An organizer confirms or rejects a claim.
async fn decide_claim(
    state: web::Data<AppState>,
    RequireUser(actor): RequireUser,
    path: web::Path<(i64, String)>,
    hx: Hx,
) -> Result<HttpResponse, AppError> {
    let (id, decision) = path.into_inner();
    let v = match decision.as_str() {
        "confirm" => {
            let v = claims::confirm(&state.db, &actor, id).await?;
            state.live.publish(&state.db, v.tournament_id).await;
            v
        }
        "reject" => claims::reject(&state.db, &actor, id).await?,
        _ => return Err(AppError::not_found("That action")),
    };
    Ok(redirect(
        hx,
        &format!("/tournaments/{}#claims", v.tournament_id),
    ))
}

/// Start, next round, finish, reopen: the state changes of a tournament.
async fn transition(
    state: web::Data<AppState>,
    RequireUser(actor): RequireUser,
    path: web::Path<(i64, String)>,
    hx: Hx,
) -> Result<HttpResponse, AppError> {
    let (id, action) = path.into_inner();
    let t = tsvc::get(&state.db, id).await?;
    let to = match action.as_str() {
        "start" => {
            rounds::start(&state.db, &actor, &t).await?;
            format!("/tournaments/{id}/rounds/1")
        }
        "next-round" => {
            let n = rounds::next_mexicano_round(&state.db, &actor, &t).await?;
            format!("/tournaments/{id}/rounds/{n}")
        }
        "finish" => {
            rounds::finish(&state.db, &actor, &t).await?;
            format!("/tournaments/{id}")
        }
        "reopen" => {
            rounds::reopen(&state.db, &actor, &t).await?;
            format!("/tournaments/{id}")
        }
        _ => return Err(AppError::not_found("That action")),
    };
    state.live.publish(&state.db, id).await;
    Ok(redirect(hx, &to))
}

// ---- Score entry

#[derive(Template)]
#[template(path = "tournaments/round.html")]
pub struct RoundPage {
    pub ctx: Ctx,
    pub t: tournaments::Model,
    pub manage: bool,
    pub numbers: Vec<(i32, bool)>,
    pub round: RoundView,
    pub m: MatchView,
    pub error: String,
    pub saved: bool,
    pub deadline: i64,
    pub card: CardRules,
}

/// What a score card needs besides its match: shared by the round page and
/// the card fragment htmx swaps in.
#[derive(Clone, Copy)]
pub struct CardRules {
    pub editable: bool,
    pub total: i32,
    pub score_max: i32,
}

#[derive(Template)]
#[template(path = "tournaments/_card.html")]
pub struct CardFragment<'a> {
    pub ctx: &'a Ctx,
    pub m: &'a MatchView,
    pub card: CardRules,
    pub error: String,
    pub saved: bool,
}

impl RoundPage {
    fn next_number(&self) -> Option<i32> {
        self.numbers
            .iter()
            .map(|(n, _)| *n)
            .find(|n| *n == self.round.number + 1)
    }

    fn scoring_hint(&self) -> String {
        match ScoringMode::parse(&self.t.scoring_mode) {
            Some(ScoringMode::Points) => format!(
                "{} points per match: type one side, the other fills in.",
                self.t.scoring_target
            ),
            Some(ScoringMode::FirstTo) => format!("First to {}.", self.t.scoring_target),
            _ => format!("{} minutes per round.", self.t.round_minutes.unwrap_or(0)),
        }
    }
}

fn card_rules(t: &tournaments::Model, manage: bool) -> CardRules {
    let mode = ScoringMode::parse(&t.scoring_mode);
    CardRules {
        editable: manage && t.status == TournamentStatus::Live.as_str(),
        total: if mode == Some(ScoringMode::Points) {
            t.scoring_target
        } else {
            0
        },
        score_max: match mode {
            Some(ScoringMode::Points) | Some(ScoringMode::FirstTo) => t.scoring_target,
            _ => 99,
        },
    }
}

async fn round_page(
    state: &AppState,
    ctx: Ctx,
    t: tournaments::Model,
    number: i32,
) -> Result<RoundPage, AppError> {
    let role = tsvc::require_view(&state.db, ctx.user.as_ref(), &t, false).await?;
    let full = tsvc::load_full(&state.db, t).await?;
    let numbers = full
        .rounds
        .iter()
        .map(|r| (r.number, r.complete()))
        .collect();
    let round = full
        .rounds
        .iter()
        .find(|r| r.number == number)
        .cloned()
        .ok_or_else(|| AppError::not_found("That round"))?;
    let m = round
        .matches
        .first()
        .cloned()
        .ok_or_else(|| AppError::not_found("That round"))?;
    let manage = role >= Role::CoOrganizer;
    Ok(RoundPage {
        card: card_rules(&full.t, manage),
        deadline: round.deadline_ms(&full.t),
        ctx,
        t: full.t,
        manage,
        numbers,
        round,
        m,
        error: String::new(),
        saved: false,
    })
}

async fn round(
    state: web::Data<AppState>,
    ctx: Ctx,
    path: web::Path<(i64, i32)>,
) -> Result<HttpResponse, AppError> {
    let (id, n) = path.into_inner();
    let t = tsvc::get(&state.db, id).await?;
    html(&round_page(&state, ctx, t, n).await?)
}

async fn start_timer(
    state: web::Data<AppState>,
    RequireUser(actor): RequireUser,
    path: web::Path<(i64, i32)>,
    hx: Hx,
) -> Result<HttpResponse, AppError> {
    let (id, n) = path.into_inner();
    let t = tsvc::get(&state.db, id).await?;
    rounds::start_round_timer(&state.db, &actor, &t, n).await?;
    state.live.publish(&state.db, id).await;
    Ok(redirect(hx, &format!("/tournaments/{id}/rounds/{n}")))
}

#[derive(Deserialize)]
struct ScoreForm {
    #[serde(default)]
    score_a: String,
    #[serde(default)]
    score_b: String,
    #[serde(default)]
    version: String,
    clear: Option<String>,
}

fn parse_score(field: &str, raw: &str) -> Result<Option<i32>, AppError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    raw.parse::<i32>()
        .map(Some)
        .map_err(|_| AppError::field(field, "Scores are whole numbers, like 14."))
}

/// Saves a score; for htmx the court card comes back (with its message on
/// error), for a plain form post the round page.
async fn save_score(
    state: web::Data<AppState>,
    ctx: Ctx,
    RequireUser(actor): RequireUser,
    path: web::Path<i64>,
    form: web::Form<ScoreForm>,
    hx: Hx,
) -> Result<HttpResponse, AppError> {
    let match_id = path.into_inner();
    let f = form.into_inner();
    let parsed = (|| {
        let version = f.version.trim().parse::<i32>().map_err(|_| {
            AppError::BadRequest("The form is missing its version. Reload the page.".into())
        })?;
        if f.clear.is_some() {
            return Ok((None, None, version));
        }
        Ok((
            parse_score("score_a", &f.score_a)?,
            parse_score("score_b", &f.score_b)?,
            version,
        ))
    })();
    let result = match parsed {
        Ok((a, b, v)) => rounds::save_score(&state.db, &actor, match_id, a, b, v).await,
        Err(e) => Err(e),
    };
    let (status, error) = match &result {
        Ok(saved) => {
            state.live.publish(&state.db, saved.tournament_id).await;
            (StatusCode::OK, String::new())
        }
        Err(
            e @ (AppError::Validation { .. } | AppError::Conflict(_) | AppError::BadRequest(_)),
        ) => (
            if matches!(e, AppError::Conflict(_)) {
                StatusCode::CONFLICT
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            },
            e.public_message(),
        ),
        Err(_) => return result.map(|_| HttpResponse::Ok().finish()),
    };
    let row = rounds::find_match(&state.db, match_id).await?;
    let t = tsvc::get(&state.db, row.tournament_id).await?;
    let full = tsvc::load_full(&state.db, t.clone()).await?;
    let round = full
        .rounds
        .iter()
        .find(|r| r.id == row.round_id)
        .cloned()
        .ok_or_else(|| AppError::not_found("That round"))?;
    if !hx.0 {
        if status == StatusCode::OK {
            return Ok(redirect(
                hx,
                &format!("/tournaments/{}/rounds/{}", t.id, round.number),
            ));
        }
        let mut page = round_page(&state, ctx, t, round.number).await?;
        page.error = format!("Court {}: {error}", row.court);
        return html_status(status, &page);
    }
    let m = round
        .matches
        .iter()
        .find(|m| m.id == match_id)
        .ok_or_else(|| AppError::not_found("That match"))?;
    let role = tsvc::role(&state.db, ctx.user.as_ref(), &full.t).await?;
    let card = CardFragment {
        ctx: &ctx,
        m,
        card: card_rules(&full.t, role >= Role::CoOrganizer),
        error,
        saved: status == StatusCode::OK,
    };
    let body = card.render()?;
    Ok(HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .body(body))
}

// ---- Share link, join, phone view

#[derive(Template)]
#[template(path = "tournaments/play.html", blocks = ["next"])]
struct PlayPage {
    ctx: Ctx,
    full: Full,
    me: Option<tournament_player::Model>,
    next: Option<MatchView>,
    my_rounds: Vec<(i32, MatchView)>,
    standings: Vec<Row>,
    name_value: String,
    error: String,
    deadline: i64,
    /// Signed in, `me` is a guest, and the user does not play here: they may
    /// say the guest was them.
    claimable: bool,
    claim_pending: bool,
}

impl PlayPage {
    /// What the next-match card shows, in a few characters: the card is
    /// re-sent only when this changes.
    fn next_key(&self) -> String {
        let Some(me) = &self.me else {
            return "none".into();
        };
        format!(
            "{}.{}.{}.{}.{}",
            self.full.t.status,
            me.id,
            me.status,
            self.next.as_ref().map(|m| m.id).unwrap_or(0),
            self.deadline
        )
    }

    fn is_me(&self, id: &i64) -> bool {
        self.me.as_ref().is_some_and(|m| m.id == *id)
    }

    fn partner_and_opponents(&self, m: &MatchView) -> (String, String) {
        let Some(me) = &self.me else {
            return (String::new(), String::new());
        };
        let (mine, theirs) = if m.team_a.iter().any(|(id, _)| *id == me.id) {
            (&m.team_a, &m.team_b)
        } else {
            (&m.team_b, &m.team_a)
        };
        let partner = mine
            .iter()
            .find(|(id, _)| *id != me.id)
            .map(|(_, n)| n.clone())
            .unwrap_or_default();
        (partner, format!("{} & {}", theirs[0].1, theirs[1].1))
    }

    fn my_score(&self, m: &MatchView) -> String {
        let Some(me) = &self.me else {
            return String::new();
        };
        match (m.score_a, m.score_b) {
            (Some(a), Some(b)) => {
                if m.team_a.iter().any(|(id, _)| *id == me.id) {
                    format!("{a}–{b}")
                } else {
                    format!("{b}–{a}")
                }
            }
            _ => "not played".into(),
        }
    }
}

fn my_registration(session: &Session, t: &tournaments::Model) -> Option<i64> {
    session.get::<i64>(&format!("reg_{}", t.id)).ok().flatten()
}

#[derive(Deserialize)]
struct PlayQuery {
    me: Option<i64>,
}

async fn play(
    state: web::Data<AppState>,
    ctx: Ctx,
    session: Session,
    path: web::Path<String>,
    q: web::Query<PlayQuery>,
) -> Result<HttpResponse, AppError> {
    let t = tsvc::get_by_code(&state.db, &path.into_inner()).await?;
    tsvc::require_view(&state.db, ctx.user.as_ref(), &t, true).await?;
    if let Some(me) = q.me {
        if tsvc::registration(&state.db, &t, me).await.is_ok() {
            let _ = session.insert(format!("reg_{}", t.id), me);
        }
    }
    let page = play_page(&state, ctx, &session, t, String::new(), String::new()).await?;
    html(&page)
}

async fn play_page(
    state: &AppState,
    ctx: Ctx,
    session: &Session,
    t: tournaments::Model,
    name_value: String,
    error: String,
) -> Result<PlayPage, AppError> {
    let full = tsvc::load_full(&state.db, t).await?;
    let me_id = my_registration(session, &full.t).or_else(|| {
        let uid = ctx.user_id()?;
        full.players
            .iter()
            .find(|r| r.user_id == Some(uid))
            .map(|r| r.id)
    });
    let me = me_id.and_then(|id| full.players.iter().find(|r| r.id == id).cloned());
    let next = me.as_ref().and_then(|m| full.next_match(m.id).cloned());
    let my_rounds = me
        .as_ref()
        .map(|me| {
            full.rounds
                .iter()
                .flat_map(|r| {
                    r.matches
                        .iter()
                        .filter(|m| m.has(me.id))
                        .map(move |m| (r.number, m.clone()))
                })
                .collect()
        })
        .unwrap_or_default();
    let standings = full.standings();
    let deadline = full
        .current_round()
        .map(|r| r.deadline_ms(&full.t))
        .unwrap_or(0);
    let (mut claimable, mut claim_pending) = (false, false);
    if let (Some(a), Some(m)) = (&ctx.user, &me) {
        let plays = full.players.iter().any(|r| r.user_id == Some(a.id()));
        if m.user_id.is_none() && !plays {
            let mine = claims::mine_in(&state.db, a, &full.t).await?;
            match mine.iter().find(|c| c.registration_id == m.id) {
                Some(c) => claim_pending = c.status == claims::PENDING,
                None => claimable = true,
            }
        }
    }
    Ok(PlayPage {
        claimable,
        claim_pending,
        ctx,
        full,
        me,
        next,
        my_rounds,
        standings,
        name_value,
        error,
        deadline,
    })
}

#[derive(Deserialize)]
struct NextQuery {
    /// The card's key as the phone has it.
    v: Option<String>,
}

/// The phone's next-match card alone, re-fetched by htmx whenever the live
/// stream announces a change; 204 (nothing to swap) while it is unchanged.
async fn next_card(
    state: web::Data<AppState>,
    ctx: Ctx,
    session: Session,
    path: web::Path<String>,
    q: web::Query<NextQuery>,
) -> Result<HttpResponse, AppError> {
    let t = tsvc::get_by_code(&state.db, &path.into_inner()).await?;
    tsvc::require_view(&state.db, ctx.user.as_ref(), &t, true).await?;
    let page = play_page(&state, ctx, &session, t, String::new(), String::new()).await?;
    if q.v.as_deref() == Some(page.next_key().as_str()) {
        return Ok(HttpResponse::NoContent()
            .insert_header(("Cache-Control", "no-store"))
            .finish());
    }
    let body = page.as_next().render()?;
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header(("Cache-Control", "no-store"))
        .body(body))
}

#[derive(Deserialize)]
struct JoinForm {
    name: Option<String>,
}

async fn join(
    state: web::Data<AppState>,
    ctx: Ctx,
    MaybeUser(actor): MaybeUser,
    session: Session,
    path: web::Path<String>,
    form: web::Form<JoinForm>,
) -> Result<HttpResponse, AppError> {
    let code = path.into_inner();
    let t = tsvc::get_by_code(&state.db, &code).await?;
    match tsvc::join(&state.db, actor.as_ref(), &t, form.name.as_deref()).await {
        Ok(reg) => {
            let _ = session.insert(format!("reg_{}", t.id), reg.id);
            state.live.publish(&state.db, t.id).await;
            Ok(HttpResponse::SeeOther()
                .insert_header(("Location", format!("/t/{code}")))
                .finish())
        }
        Err(e @ (AppError::Validation { .. } | AppError::Conflict(_))) => {
            let status = if matches!(e, AppError::Conflict(_)) {
                StatusCode::CONFLICT
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            let name = form
                .name
                .clone()
                .unwrap_or_default()
                .chars()
                .take(40)
                .collect();
            let page = play_page(&state, ctx, &session, t, name, e.public_message()).await?;
            html_status(status, &page)
        }
        Err(e) => Err(e),
    }
}

// ---- Exports

async fn export_csv(
    state: web::Data<AppState>,
    MaybeUser(actor): MaybeUser,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let t = tsvc::get(&state.db, path.into_inner()).await?;
    tsvc::require_view(&state.db, actor.as_ref(), &t, false).await?;
    let full = tsvc::load_full(&state.db, t).await?;
    let mut w = csv::Writer::from_writer(Vec::new());
    let err = |e: csv::Error| AppError::Internal(e.to_string());
    w.write_record([
        "rank",
        "player",
        "points",
        "played",
        "won",
        "drawn",
        "lost",
        "points_for",
        "points_against",
        "difference",
    ])
    .map_err(err)?;
    for r in full.standings() {
        // A leading = + - @ would be a formula in a spreadsheet: quote it away.
        let name = if r.name.starts_with(['=', '+', '-', '@']) {
            format!("'{}", r.name)
        } else {
            r.name.clone()
        };
        w.write_record([
            r.rank.to_string(),
            name,
            r.points_label(),
            r.played.to_string(),
            r.won.to_string(),
            r.drawn.to_string(),
            r.lost.to_string(),
            r.points_for.to_string(),
            r.points_against.to_string(),
            r.difference.to_string(),
        ])
        .map_err(err)?;
    }
    let body = w
        .into_inner()
        .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"tornetic-{}.csv\"", full.t.id),
        ))
        .body(body))
}

#[derive(Template)]
#[template(path = "tournaments/print.html")]
struct PrintPage {
    ctx: Ctx,
    full: Full,
    standings: Vec<Row>,
}

async fn print(
    state: web::Data<AppState>,
    ctx: Ctx,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let t = tsvc::get(&state.db, path.into_inner()).await?;
    tsvc::require_view(&state.db, ctx.user.as_ref(), &t, false).await?;
    let full = tsvc::load_full(&state.db, t).await?;
    let standings = full.standings();
    html(&PrintPage {
        ctx,
        full,
        standings,
    })
}

async fn qr(state: web::Data<AppState>, path: web::Path<String>) -> Result<HttpResponse, AppError> {
    let t = tsvc::get_by_code(&state.db, &path.into_inner()).await?;
    let svg = qr_svg(&format!("{}/t/{}", state.settings.base_url, t.share_code));
    Ok(HttpResponse::Ok().content_type("image/svg+xml").body(svg))
}

pub fn config(cfg: &mut web::ServiceConfig) {
    cfg.route("/tournaments", web::get().to(list))
        .route("/tournaments", web::post().to(create))
        .route("/tournaments/mine", web::get().to(mine))
        .route("/tournaments/new", web::get().to(new_form))
        .route("/tournaments/preview", web::get().to(preview))
        .route("/tournaments/{id}", web::get().to(show))
        .route("/tournaments/{id}/edit", web::get().to(edit_form))
        .route("/tournaments/{id}/edit", web::post().to(update))
        .route("/tournaments/{id}/delete", web::post().to(delete))
        .route("/tournaments/{id}/players", web::post().to(add_players))
        .route(
            "/tournaments/{id}/players/{rid}",
            web::post().to(player_action),
        )
        .route(
            "/tournaments/{id}/players/{rid}/claim",
            web::post().to(claim),
        )
        .route(
            "/tournaments/{id}/organizers",
            web::post().to(add_coorganizer),
        )
        .route("/claims/{id}/{decision}", web::post().to(decide_claim))
        .route("/tournaments/{id}/rounds/{n}", web::get().to(round))
        .route(
            "/tournaments/{id}/rounds/{n}/timer",
            web::post().to(start_timer),
        )
        .route("/tournaments/{id}/results.csv", web::get().to(export_csv))
        .route("/tournaments/{id}/print", web::get().to(print))
        .route("/tournaments/{id}/{action}", web::post().to(transition))
        .route("/matches/{id}/score", web::post().to(save_score))
        .route("/t/{code}", web::get().to(play))
        .route("/t/{code}/next", web::get().to(next_card))
        .route("/t/{code}/join", web::post().to(join))
        .route("/t/{code}/qr.svg", web::get().to(qr));
}
