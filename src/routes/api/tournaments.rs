//! `/api/v1/tournaments`: settings, lifecycle (start, finish) and players.
use actix_web::{web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{
    decode_cursor, encode_cursor, page_limit, present, ApiMaybeUser, ApiUser, ErrorBody, Page,
};
use crate::domain::TournamentStatus;
use crate::entities::{tournament_player, tournaments};
use crate::error::{ApiError, AppError};
use crate::services::rounds;
use crate::services::tournaments::{self as tsvc, TournamentInput};
use crate::startup::AppState;

#[derive(Serialize, ToSchema)]
pub struct Tournament {
    pub id: i64,
    pub name: String,
    /// `draft`, `live` or `finished`.
    pub status: String,
    /// `americano`, `mexicano`, `team_americano` or `mixed_americano`.
    pub format: String,
    /// `points` (fixed total), `first_to` or `time`.
    pub scoring_mode: String,
    pub scoring_target: i32,
    pub round_minutes: Option<i32>,
    pub courts: i32,
    pub court_names: Vec<String>,
    pub rounds_planned: Option<i32>,
    /// `none`, `round_average` or `half_match`.
    pub sit_out_comp: String,
    /// `1+4v2+3`, `1+3v2+4` or `1+2v3+4`.
    pub mexicano_rule: String,
    /// Tie-break order, e.g. `["points","wins","difference","head_to_head"]`.
    pub tiebreak: Vec<String>,
    pub is_public: bool,
    pub max_players: i32,
    pub venue: String,
    pub starts_at: Option<DateTime<Utc>>,
    pub organizer_id: i64,
    /// Grows with every change to scores, rounds or players.
    pub score_version: i64,
    pub share_url: String,
    pub created_at: DateTime<Utc>,
    pub started_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
}

impl Tournament {
    pub fn new(t: &tournaments::Model, base_url: &str) -> Self {
        let list = |s: &str, sep: char| -> Vec<String> {
            s.split(sep)
                .map(str::trim)
                .filter(|x| !x.is_empty())
                .map(str::to_string)
                .collect()
        };
        Tournament {
            id: t.id,
            name: t.name.clone(),
            status: t.status.clone(),
            format: t.format.clone(),
            scoring_mode: t.scoring_mode.clone(),
            scoring_target: t.scoring_target,
            round_minutes: t.round_minutes,
            courts: t.courts,
            court_names: list(&t.court_names, '\n'),
            rounds_planned: t.rounds_planned,
            sit_out_comp: t.sit_out_comp.clone(),
            mexicano_rule: t.mexicano_rule.clone(),
            tiebreak: list(&t.tiebreak, ','),
            is_public: t.is_public,
            max_players: t.max_players,
            venue: t.venue.clone(),
            starts_at: t.starts_at,
            organizer_id: t.organizer_id,
            score_version: t.score_version,
            share_url: format!("{base_url}/t/{}", t.share_code),
            created_at: t.created_at,
            started_at: t.started_at,
            finished_at: t.finished_at,
        }
    }
}

/// A value the form would send as text: JSON strings and numbers both work.
#[derive(Deserialize)]
#[serde(untagged)]
enum Text {
    Str(String),
    Int(i64),
    Float(f64),
    List(Vec<String>),
}

impl Text {
    fn into_string(self) -> String {
        match self {
            Text::Str(s) => s,
            Text::Int(i) => i.to_string(),
            Text::Float(f) => f.to_string(),
            Text::List(l) => l.join(","),
        }
    }
}

/// The fields of a tournament, checked by the same rules as the site's form.
/// Numbers may be sent as numbers or strings, lists as arrays or
/// comma-separated text. On create, missing fields take the defaults; on
/// update, missing fields keep their values and `null` clears an optional one.
#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct TournamentBody {
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>, example = "Friday Americano")]
    name: Option<Option<Text>>,
    /// RFC 3339 (`2026-12-05T18:30:00Z`) or `2026-12-05T18:30` (UTC).
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    starts_at: Option<Option<Text>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    venue: Option<Option<Text>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>, example = "americano")]
    format: Option<Option<Text>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>, example = "points")]
    scoring_mode: Option<Option<Text>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<i32>, example = 24)]
    scoring_target: Option<Option<Text>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<i32>)]
    round_minutes: Option<Option<Text>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<i32>, example = 2)]
    courts: Option<Option<Text>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<Vec<String>>)]
    court_names: Option<Option<Text>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<i32>)]
    rounds: Option<Option<Text>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>, example = "round_average")]
    sit_out_comp: Option<Option<Text>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>, example = "1+4v2+3")]
    mexicano_rule: Option<Option<Text>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<Vec<String>>)]
    tiebreak: Option<Option<Text>>,
    is_public: Option<bool>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<i32>, example = 8)]
    max_players: Option<Option<Text>>,
}

impl TournamentBody {
    /// The body laid over `base`, as the form's text fields.
    fn over(self, mut base: TournamentInput) -> TournamentInput {
        let set = |field: &mut String, v: Option<Option<Text>>| {
            if let Some(v) = v {
                *field = v.map(Text::into_string).unwrap_or_default();
            }
        };
        set(&mut base.name, self.name);
        set(&mut base.starts_at, self.starts_at);
        set(&mut base.venue, self.venue);
        set(&mut base.format, self.format);
        set(&mut base.scoring_mode, self.scoring_mode);
        set(&mut base.scoring_target, self.scoring_target);
        set(&mut base.round_minutes, self.round_minutes);
        set(&mut base.courts, self.courts);
        set(&mut base.court_names, self.court_names);
        set(&mut base.rounds, self.rounds);
        set(&mut base.sit_out_comp, self.sit_out_comp);
        set(&mut base.mexicano_rule, self.mexicano_rule);
        set(&mut base.tiebreak, self.tiebreak);
        set(&mut base.max_players, self.max_players);
        if let Some(p) = self.is_public {
            base.is_public = p.then(|| "on".into());
        }
        base
    }
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// `draft`, `live` or `finished`; all when absent.
    pub status: Option<String>,
    /// Part of the name.
    pub q: Option<String>,
    /// 1–100, default 20.
    pub limit: Option<u64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// Public tournaments and the caller's own, newest first.
#[utoipa::path(
    get,
    path = "/api/v1/tournaments",
    tag = "tournaments",
    params(ListQuery),
    responses(
        (status = 200, description = "A page of tournaments", body = Page<Tournament>),
        (status = 400, description = "Bad status, limit or cursor", body = ErrorBody),
        (status = 401, description = "Invalid token", body = ErrorBody),
    )
)]
pub async fn list_tournaments(
    state: web::Data<AppState>,
    ApiMaybeUser(actor): ApiMaybeUser,
    q: web::Query<ListQuery>,
) -> Result<HttpResponse, ApiError> {
    let q = q.into_inner();
    let limit = page_limit(q.limit)?;
    let status = match q.status.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(s) => Some(TournamentStatus::parse(s).ok_or_else(|| {
            AppError::BadRequest("status must be draft, live or finished.".into())
        })?),
    };
    let before = match q.cursor.as_deref() {
        Some(c) => Some(
            decode_cursor(c)?
                .parse::<i64>()
                .map_err(|_| ApiError(AppError::BadRequest("That cursor is not valid.".into())))?,
        ),
        None => None,
    };
    let search: String = q.q.unwrap_or_default().chars().take(80).collect();
    let (items, more) =
        tsvc::list_page(&state.db, actor.as_ref(), status, &search, before, limit).await?;
    let next_cursor = more
        .then(|| items.last().map(|t| encode_cursor(&t.id.to_string())))
        .flatten();
    let base = &state.settings.base_url;
    Ok(HttpResponse::Ok().json(Page {
        items: items.iter().map(|t| Tournament::new(t, base)).collect(),
        next_cursor,
    }))
}

#[utoipa::path(
    post,
    path = "/api/v1/tournaments",
    tag = "tournaments",
    security(("bearer" = [])),
    request_body = TournamentBody,
    responses(
        (status = 201, description = "The new tournament (a draft)", body = Tournament),
        (status = 400, description = "Malformed JSON or wrong types", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 422, description = "Invalid settings", body = ErrorBody),
    )
)]
pub async fn create_tournament(
    state: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    body: web::Json<TournamentBody>,
) -> Result<HttpResponse, ApiError> {
    let input = body.into_inner().over(TournamentInput::defaults());
    let t = tsvc::create(&state.db, &actor, &input).await?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/tournaments/{}", t.id)))
        .json(Tournament::new(&t, &state.settings.base_url)))
}

#[utoipa::path(
    get,
    path = "/api/v1/tournaments/{id}",
    tag = "tournaments",
    params(("id" = i64, Path, description = "Tournament id")),
    responses(
        (status = 200, description = "The tournament", body = Tournament),
        (status = 404, description = "No such tournament, or a private one", body = ErrorBody),
    )
)]
pub async fn get_tournament(
    state: web::Data<AppState>,
    ApiMaybeUser(actor): ApiMaybeUser,
    path: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let t = tsvc::get(&state.db, path.into_inner()).await?;
    tsvc::require_view(&state.db, actor.as_ref(), &t, false).await?;
    Ok(HttpResponse::Ok().json(Tournament::new(&t, &state.settings.base_url)))
}

#[utoipa::path(
    patch,
    path = "/api/v1/tournaments/{id}",
    tag = "tournaments",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Tournament id")),
    request_body = TournamentBody,
    responses(
        (status = 200, description = "The updated tournament", body = Tournament),
        (status = 400, description = "Malformed JSON or wrong types", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not an organizer", body = ErrorBody),
        (status = 404, description = "No such tournament", body = ErrorBody),
        (status = 422, description = "Invalid settings", body = ErrorBody),
    )
)]
pub async fn update_tournament(
    state: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    path: web::Path<i64>,
    body: web::Json<TournamentBody>,
) -> Result<HttpResponse, ApiError> {
    let t = tsvc::get(&state.db, path.into_inner()).await?;
    let input = body.into_inner().over(TournamentInput::from_model(&t));
    let t = tsvc::update(&state.db, &actor, &t, &input).await?;
    state.live.publish(&state.db, t.id).await;
    Ok(HttpResponse::Ok().json(Tournament::new(&t, &state.settings.base_url)))
}

#[utoipa::path(
    delete,
    path = "/api/v1/tournaments/{id}",
    tag = "tournaments",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Tournament id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not the organizer", body = ErrorBody),
        (status = 404, description = "No such tournament", body = ErrorBody),
        (status = 409, description = "Already started: only drafts can be deleted", body = ErrorBody),
    )
)]
pub async fn delete_tournament(
    state: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    path: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let t = tsvc::get(&state.db, path.into_inner()).await?;
    tsvc::delete_draft(&state.db, &actor, &t).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Starts the tournament: the schedule (or Mexicano's first round) is drawn.
#[utoipa::path(
    post,
    path = "/api/v1/tournaments/{id}/start",
    tag = "tournaments",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Tournament id")),
    responses(
        (status = 200, description = "The started tournament", body = Tournament),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not an organizer", body = ErrorBody),
        (status = 404, description = "No such tournament", body = ErrorBody),
        (status = 409, description = "Already started, or too few players", body = ErrorBody),
    )
)]
pub async fn start_tournament(
    state: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    path: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let t = tsvc::get(&state.db, path.into_inner()).await?;
    rounds::start(&state.db, &actor, &t).await?;
    state.live.publish(&state.db, t.id).await;
    let t = tsvc::get(&state.db, t.id).await?;
    Ok(HttpResponse::Ok().json(Tournament::new(&t, &state.settings.base_url)))
}

/// Finishes the tournament and stores its final standings.
#[utoipa::path(
    post,
    path = "/api/v1/tournaments/{id}/finish",
    tag = "tournaments",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Tournament id")),
    responses(
        (status = 200, description = "The finished tournament", body = Tournament),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not an organizer", body = ErrorBody),
        (status = 404, description = "No such tournament", body = ErrorBody),
        (status = 409, description = "Not running, or matches without a score", body = ErrorBody),
    )
)]
pub async fn finish_tournament(
    state: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    path: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let t = tsvc::get(&state.db, path.into_inner()).await?;
    rounds::finish(&state.db, &actor, &t).await?;
    state.live.publish(&state.db, t.id).await;
    let t = tsvc::get(&state.db, t.id).await?;
    Ok(HttpResponse::Ok().json(Tournament::new(&t, &state.settings.base_url)))
}

// ---- Players (registrations)

/// A registration: a user, or a guest known only by name. Its `id` is the
/// player id used in matches and the leaderboard.
#[derive(Serialize, ToSchema)]
pub struct Registration {
    pub id: i64,
    pub tournament_id: i64,
    pub user_id: Option<i64>,
    pub name: String,
    /// `active`, `waitlist` or `withdrawn`.
    pub status: String,
    /// Joined after the start.
    pub late: bool,
    /// Mixed Americano group, `A` or `B`.
    pub group: Option<String>,
    pub position: i32,
    pub created_at: DateTime<Utc>,
}

impl From<&tournament_player::Model> for Registration {
    fn from(r: &tournament_player::Model) -> Self {
        Registration {
            id: r.id,
            tournament_id: r.tournament_id,
            user_id: r.user_id,
            name: r.name.clone(),
            status: r.status.clone(),
            late: r.late,
            group: r.group_label.clone(),
            position: r.position,
            created_at: r.created_at,
        }
    }
}

#[utoipa::path(
    get,
    path = "/api/v1/tournaments/{id}/players",
    tag = "tournaments",
    params(("id" = i64, Path, description = "Tournament id")),
    responses(
        (status = 200, description = "Registrations in registration order", body = Vec<Registration>),
        (status = 404, description = "No such tournament, or a private one", body = ErrorBody),
    )
)]
pub async fn list_registrations(
    state: web::Data<AppState>,
    ApiMaybeUser(actor): ApiMaybeUser,
    path: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let t = tsvc::get(&state.db, path.into_inner()).await?;
    tsvc::require_view(&state.db, actor.as_ref(), &t, false).await?;
    let regs = tsvc::registrations(&state.db, t.id).await?;
    Ok(HttpResponse::Ok().json(regs.iter().map(Registration::from).collect::<Vec<_>>()))
}

/// `{"name":"…"}`: an organizer adds a guest. `{}` or `{"self":true}`: the
/// signed-in user joins (private tournaments need their `share_code`).
#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct AddPlayerBody {
    /// A guest's name (organizers only).
    pub name: Option<String>,
    /// Join as the signed-in user.
    #[serde(rename = "self")]
    pub join_self: Option<bool>,
    /// Add a guest even if the name is already on the list.
    pub allow_duplicates: Option<bool>,
    /// The share link's code, to join a private tournament.
    pub share_code: Option<String>,
}

#[utoipa::path(
    post,
    path = "/api/v1/tournaments/{id}/players",
    tag = "tournaments",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Tournament id")),
    request_body = AddPlayerBody,
    responses(
        (status = 201, description = "The registration (past the maximum or after the start: on the waitlist)", body = Registration),
        (status = 400, description = "Malformed JSON, or both name and self", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Adding guests is for organizers", body = ErrorBody),
        (status = 404, description = "No such tournament", body = ErrorBody),
        (status = 409, description = "The tournament is finished", body = ErrorBody),
        (status = 422, description = "Bad or duplicate name", body = ErrorBody),
    )
)]
pub async fn add_registration(
    state: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    path: web::Path<i64>,
    body: web::Json<AddPlayerBody>,
) -> Result<HttpResponse, ApiError> {
    let t = tsvc::get(&state.db, path.into_inner()).await?;
    let b = body.into_inner();
    let reg = match (b.name, b.join_self) {
        (Some(_), Some(true)) => {
            return Err(AppError::BadRequest("Send either name or self, not both.".into()).into())
        }
        (Some(name), _) => {
            if name.contains(['\n', '\r']) {
                return Err(AppError::field("name", "One name per request.").into());
            }
            let out = tsvc::add_guests(
                &state.db,
                &actor,
                &t,
                &name,
                b.allow_duplicates.unwrap_or(false),
            )
            .await
            .map_err(|e| rename_field(e, "names", "name"))?;
            out.added
                .into_iter()
                .next()
                .ok_or_else(|| AppError::field("name", "Type a name."))?
        }
        (None, Some(false)) => {
            return Err(AppError::BadRequest("Send a name, or self: true.".into()).into())
        }
        (None, _) => {
            let via_link = b.share_code.as_deref() == Some(t.share_code.as_str());
            tsvc::require_view(&state.db, Some(&actor), &t, via_link).await?;
            tsvc::join(&state.db, Some(&actor), &t, None).await?
        }
    };
    state.live.publish(&state.db, t.id).await;
    Ok(HttpResponse::Created().json(Registration::from(&reg)))
}

/// The services name the form's field; the API's body calls it otherwise.
fn rename_field(e: AppError, from: &str, to: &str) -> AppError {
    match e {
        AppError::Validation { message, fields } => AppError::Validation {
            message,
            fields: fields
                .into_iter()
                .map(|(k, v)| (if k == from { to.to_string() } else { k }, v))
                .collect(),
        },
        other => other,
    }
}

/// Removes a player: before the start the registration is deleted (the
/// waitlist moves up); after it they are withdrawn and the unplayed rounds
/// re-planned. Organizers, or the player themselves before the start.
#[utoipa::path(
    delete,
    path = "/api/v1/tournaments/{id}/players/{registration_id}",
    tag = "tournaments",
    security(("bearer" = [])),
    params(
        ("id" = i64, Path, description = "Tournament id"),
        ("registration_id" = i64, Path, description = "Registration (player) id"),
    ),
    responses(
        (status = 204, description = "Removed or withdrawn"),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not an organizer (or not your registration)", body = ErrorBody),
        (status = 404, description = "No such tournament or registration", body = ErrorBody),
        (status = 409, description = "Finished, or too few players would remain", body = ErrorBody),
    )
)]
pub async fn remove_registration(
    state: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    path: web::Path<(i64, i64)>,
) -> Result<HttpResponse, ApiError> {
    let (tid, rid) = path.into_inner();
    let t = tsvc::get(&state.db, tid).await?;
    rounds::set_player_status(&state.db, &actor, &t, rid, false).await?;
    state.live.publish(&state.db, t.id).await;
    Ok(HttpResponse::NoContent().finish())
}

/// Brings a waitlisted (or withdrawn) player in; during play the unplayed
/// rounds are re-planned to include them. Organizers only.
#[utoipa::path(
    post,
    path = "/api/v1/tournaments/{id}/players/{registration_id}/activate",
    tag = "tournaments",
    security(("bearer" = [])),
    params(
        ("id" = i64, Path, description = "Tournament id"),
        ("registration_id" = i64, Path, description = "Registration (player) id"),
    ),
    responses(
        (status = 200, description = "The registration, now active", body = Registration),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not an organizer", body = ErrorBody),
        (status = 404, description = "No such tournament or registration", body = ErrorBody),
        (status = 409, description = "Finished, or the schedule cannot take them", body = ErrorBody),
    )
)]
pub async fn activate_registration(
    state: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    path: web::Path<(i64, i64)>,
) -> Result<HttpResponse, ApiError> {
    let (tid, rid) = path.into_inner();
    let t = tsvc::get(&state.db, tid).await?;
    rounds::set_player_status(&state.db, &actor, &t, rid, true).await?;
    state.live.publish(&state.db, t.id).await;
    let reg = tsvc::registration(&state.db, &t, rid).await?;
    Ok(HttpResponse::Ok().json(Registration::from(&reg)))
}

/// `{"group":"A"}` or `{"group":"B"}`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GroupBody {
    #[schema(example = "B")]
    pub group: String,
}

/// Puts a player in group A or B of a Mixed Americano. Organizers only.
#[utoipa::path(
    put,
    path = "/api/v1/tournaments/{id}/players/{registration_id}/group",
    tag = "tournaments",
    security(("bearer" = [])),
    params(
        ("id" = i64, Path, description = "Tournament id"),
        ("registration_id" = i64, Path, description = "Registration (player) id"),
    ),
    request_body = GroupBody,
    responses(
        (status = 200, description = "The registration with its group", body = Registration),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not an organizer", body = ErrorBody),
        (status = 404, description = "No such tournament or registration", body = ErrorBody),
        (status = 422, description = "Not A or B", body = ErrorBody),
    )
)]
pub async fn set_registration_group(
    state: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    path: web::Path<(i64, i64)>,
    body: web::Json<GroupBody>,
) -> Result<HttpResponse, ApiError> {
    let (tid, rid) = path.into_inner();
    let t = tsvc::get(&state.db, tid).await?;
    rounds::set_group(&state.db, &actor, &t, rid, body.group.trim()).await?;
    state.live.publish(&state.db, t.id).await;
    let reg = tsvc::registration(&state.db, &t, rid).await?;
    Ok(HttpResponse::Ok().json(Registration::from(&reg)))
}

/// Someone who runs a tournament.
#[derive(Serialize, ToSchema)]
pub struct Organizer {
    pub user_id: i64,
    pub display_name: String,
    /// `organizer` (the owner) or `co_organizer`.
    pub role: String,
}

/// The organizer and the co-organizers. Organizers only.
#[utoipa::path(
    get,
    path = "/api/v1/tournaments/{id}/organizers",
    tag = "tournaments",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Tournament id")),
    responses(
        (status = 200, description = "The owner first, then the co-organizers", body = Vec<Organizer>),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not an organizer", body = ErrorBody),
        (status = 404, description = "No such tournament", body = ErrorBody),
    )
)]
pub async fn list_organizers(
    state: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    path: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let t = tsvc::get(&state.db, path.into_inner()).await?;
    tsvc::require_manage(&state.db, Some(&actor), &t).await?;
    let owner = crate::services::accounts::find(&state.db, t.organizer_id).await?;
    let mut out: Vec<Organizer> = owner
        .into_iter()
        .map(|u| Organizer {
            user_id: u.id,
            display_name: u.display_name,
            role: "organizer".into(),
        })
        .collect();
    out.extend(
        tsvc::co_organizers(&state.db, &t)
            .await?
            .into_iter()
            .map(|u| Organizer {
                user_id: u.id,
                display_name: u.display_name,
                role: "co_organizer".into(),
            }),
    );
    Ok(HttpResponse::Ok().json(out))
}

/// `{"email":"…"}` of an existing account.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CoOrganizerBody {
    #[schema(example = "ana@club.es")]
    pub email: String,
}

/// Adds a co-organizer by the email of their account (adding one twice is
/// harmless). The tournament's organizer (or an admin) only.
#[utoipa::path(
    post,
    path = "/api/v1/tournaments/{id}/organizers",
    tag = "tournaments",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Tournament id")),
    request_body = CoOrganizerBody,
    responses(
        (status = 201, description = "The co-organizer", body = Organizer),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not the tournament's organizer", body = ErrorBody),
        (status = 404, description = "No such tournament", body = ErrorBody),
        (status = 422, description = "No account with that email, or the organizer's own", body = ErrorBody),
    )
)]
pub async fn add_organizer(
    state: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    path: web::Path<i64>,
    body: web::Json<CoOrganizerBody>,
) -> Result<HttpResponse, ApiError> {
    let t = tsvc::get(&state.db, path.into_inner()).await?;
    let u = tsvc::add_co_organizer(&state.db, &actor, &t, &body.email).await?;
    Ok(HttpResponse::Created().json(Organizer {
        user_id: u.id,
        display_name: u.display_name,
        role: "co_organizer".into(),
    }))
}

/// Reopens a finished tournament (scores can be corrected again; the stored
/// final standings are dropped until it finishes again).
#[utoipa::path(
    post,
    path = "/api/v1/tournaments/{id}/reopen",
    tag = "tournaments",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Tournament id")),
    responses(
        (status = 200, description = "The tournament, live again", body = Tournament),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not an organizer", body = ErrorBody),
        (status = 404, description = "No such tournament", body = ErrorBody),
        (status = 409, description = "Not finished", body = ErrorBody),
    )
)]
pub async fn reopen_tournament(
    state: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    path: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let t = tsvc::get(&state.db, path.into_inner()).await?;
    rounds::reopen(&state.db, &actor, &t).await?;
    state.live.publish(&state.db, t.id).await;
    let t = tsvc::get(&state.db, t.id).await?;
    Ok(HttpResponse::Ok().json(Tournament::new(&t, &state.settings.base_url)))
}
