//! Tournaments: settings, permissions, registration, and loading the whole
//! picture (players, rounds, matches, standings) in a fixed number of queries.
use chrono::{DateTime, NaiveDateTime, Utc};
use rand::Rng;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set, TransactionTrait,
};
use serde::Deserialize;
use std::collections::HashMap;

use crate::domain::{
    Format, MexicanoRule, PlayerName, ScoringMode, SitOutComp, Tiebreak, TournamentStatus,
};
use crate::entities::{
    matches, rounds, tournament_organizers, tournament_player, tournaments, users,
};
use crate::error::{AppError, FieldErrors};
use crate::services::accounts::Actor;
use crate::services::standings::{self, MatchResult, Row};

pub const MAX_PLAYERS: i32 = 64;
pub const MAX_COURTS: i32 = 16;

/// The create/edit form as typed (strings, so a bad value can be shown back).
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct TournamentInput {
    pub name: String,
    pub starts_at: String,
    pub venue: String,
    pub format: String,
    pub scoring_mode: String,
    pub scoring_target: String,
    pub round_minutes: String,
    pub courts: String,
    pub court_names: String,
    pub rounds: String,
    pub sit_out_comp: String,
    pub mexicano_rule: String,
    pub tiebreak: String,
    pub is_public: Option<String>,
    pub max_players: String,
}

impl TournamentInput {
    pub fn defaults() -> Self {
        TournamentInput {
            format: "americano".into(),
            scoring_mode: "points".into(),
            scoring_target: "24".into(),
            round_minutes: "12".into(),
            courts: "2".into(),
            sit_out_comp: "round_average".into(),
            mexicano_rule: "1+4v2+3".into(),
            tiebreak: "points,wins,difference,head_to_head".into(),
            is_public: Some("on".into()),
            max_players: "8".into(),
            ..Default::default()
        }
    }

    pub fn from_model(t: &tournaments::Model) -> Self {
        TournamentInput {
            name: t.name.clone(),
            starts_at: t
                .starts_at
                .map(|d| d.format("%Y-%m-%dT%H:%M").to_string())
                .unwrap_or_default(),
            venue: t.venue.clone(),
            format: t.format.clone(),
            scoring_mode: t.scoring_mode.clone(),
            scoring_target: t.scoring_target.to_string(),
            round_minutes: t.round_minutes.map(|m| m.to_string()).unwrap_or_default(),
            courts: t.courts.to_string(),
            court_names: t.court_names.clone(),
            rounds: t.rounds_planned.map(|r| r.to_string()).unwrap_or_default(),
            sit_out_comp: t.sit_out_comp.clone(),
            mexicano_rule: t.mexicano_rule.clone(),
            tiebreak: t.tiebreak.clone(),
            is_public: t.is_public.then(|| "on".into()),
            max_players: t.max_players.to_string(),
        }
    }
}

#[derive(Clone, Debug)]
pub struct Settings {
    pub name: String,
    pub starts_at: Option<DateTime<Utc>>,
    pub venue: String,
    pub format: Format,
    pub scoring_mode: ScoringMode,
    pub scoring_target: i32,
    pub round_minutes: Option<i32>,
    pub courts: i32,
    pub court_names: String,
    pub rounds: Option<i32>,
    pub sit_out_comp: SitOutComp,
    pub mexicano_rule: MexicanoRule,
    pub tiebreak: Vec<Tiebreak>,
    pub is_public: bool,
    pub max_players: i32,
}

fn int_in(
    fields: &mut FieldErrors,
    key: &str,
    raw: &str,
    range: std::ops::RangeInclusive<i32>,
    what: &str,
) -> Option<i32> {
    match raw.trim().parse::<i32>() {
        Ok(v) if range.contains(&v) => Some(v),
        _ => {
            fields.insert(
                key.into(),
                format!(
                    "{what} must be a whole number from {} to {}.",
                    range.start(),
                    range.end()
                ),
            );
            None
        }
    }
}

/// A start time as the form sends it (`2026-12-05T18:30`, taken as UTC) or as
/// RFC 3339 with an offset (`2026-12-05T18:30:00Z`, `…+01:00`), as the API does.
fn parse_starts_at(s: &str) -> Option<DateTime<Utc>> {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S"))
        .map(|d| d.and_utc())
        .ok()
        .or_else(|| {
            DateTime::parse_from_rfc3339(s)
                .ok()
                .map(|d| d.with_timezone(&Utc))
        })
}

impl Settings {
    pub fn parse(input: &TournamentInput) -> Result<Settings, AppError> {
        let mut f = FieldErrors::new();
        let name_owned = crate::domain::clean_text(&input.name);
        let name = name_owned.as_str();
        if name.is_empty() {
            f.insert("name".into(), "Give the tournament a name.".into());
        } else if name.chars().count() > 80 {
            f.insert("name".into(), "Names can be at most 80 characters.".into());
        }
        let starts_at = match input.starts_at.trim() {
            "" => None,
            s => match parse_starts_at(s) {
                Some(d) => Some(d),
                None => {
                    f.insert(
                        "starts_at".into(),
                        "Use a date and time like 2026-12-05T18:30.".into(),
                    );
                    None
                }
            },
        };
        if input.venue.chars().count() > 120 {
            f.insert(
                "venue".into(),
                "The venue can be at most 120 characters.".into(),
            );
        }
        let format = Format::parse(&input.format);
        if format.is_none() {
            f.insert("format".into(), "Choose a format.".into());
        }
        let scoring_mode = ScoringMode::parse(&input.scoring_mode);
        let scoring_target = match scoring_mode {
            Some(ScoringMode::Points) => int_in(
                &mut f,
                "scoring_target",
                &input.scoring_target,
                4..=99,
                "Points per match",
            ),
            Some(ScoringMode::FirstTo) => int_in(
                &mut f,
                "scoring_target",
                &input.scoring_target,
                1..=50,
                "The winning score",
            ),
            Some(ScoringMode::Time) => Some(0),
            None => {
                f.insert(
                    "scoring_mode".into(),
                    "Choose how matches are scored.".into(),
                );
                None
            }
        };
        let round_minutes = match (scoring_mode, input.round_minutes.trim()) {
            (Some(ScoringMode::Time), raw) => {
                int_in(&mut f, "round_minutes", raw, 3..=90, "Minutes per round").map(Some)
            }
            (_, "") => Some(None),
            (_, raw) => int_in(&mut f, "round_minutes", raw, 3..=90, "Minutes per round").map(Some),
        };
        let courts = int_in(&mut f, "courts", &input.courts, 1..=MAX_COURTS, "Courts");
        let court_names: Vec<String> = input
            .court_names
            .split(['\n', ','])
            .map(|s| {
                s.trim()
                    .chars()
                    .filter(|c| !c.is_control())
                    .collect::<String>()
            })
            .filter(|s| !s.is_empty())
            .collect();
        if court_names.iter().any(|n| n.chars().count() > 40) {
            f.insert(
                "court_names".into(),
                "Court names can be at most 40 characters.".into(),
            );
        }
        let rounds = match input.rounds.trim() {
            "" => Some(None),
            raw => int_in(&mut f, "rounds", raw, 1..=100, "Rounds").map(Some),
        };
        let sit_out_comp = SitOutComp::parse(&input.sit_out_comp).or_else(|| {
            f.insert(
                "sit_out_comp".into(),
                "Choose a sit-out compensation.".into(),
            );
            None
        });
        let mexicano_rule = if input.mexicano_rule.trim().is_empty() {
            Some(MexicanoRule::OneFourVsTwoThree)
        } else {
            MexicanoRule::parse(&input.mexicano_rule).or_else(|| {
                f.insert("mexicano_rule".into(), "Choose a pairing rule.".into());
                None
            })
        };
        let tiebreak = match Tiebreak::parse_order(&input.tiebreak) {
            Ok(t) => Some(t),
            Err(e) => {
                f.insert("tiebreak".into(), e);
                None
            }
        };
        let max_players = int_in(
            &mut f,
            "max_players",
            &input.max_players,
            4..=MAX_PLAYERS,
            "Maximum players",
        );
        if let (Some(c), Some(m)) = (courts, max_players) {
            if c * 4 > m.max(4) && !f.contains_key("courts") {
                f.insert(
                    "courts".into(),
                    format!("{c} courts need at least {} players.", c * 4),
                );
            }
        }
        if !f.is_empty() {
            return Err(AppError::Validation {
                message: "Please correct the highlighted fields.".into(),
                fields: f,
            });
        }
        let (
            Some(format),
            Some(scoring_mode),
            Some(scoring_target),
            Some(round_minutes),
            Some(courts),
            Some(rounds),
            Some(sit_out_comp),
            Some(mexicano_rule),
            Some(tiebreak),
            Some(max_players),
        ) = (
            format,
            scoring_mode,
            scoring_target,
            round_minutes,
            courts,
            rounds,
            sit_out_comp,
            mexicano_rule,
            tiebreak,
            max_players,
        )
        else {
            return Err(AppError::BadRequest("The form is incomplete.".into()));
        };
        Ok(Settings {
            name: name.to_string(),
            starts_at,
            venue: crate::domain::clean_text(&input.venue),
            format,
            scoring_mode,
            scoring_target,
            round_minutes,
            courts,
            court_names: court_names.join("\n"),
            rounds,
            sit_out_comp,
            mexicano_rule,
            tiebreak,
            is_public: input
                .is_public
                .as_deref()
                .is_some_and(|v| v == "on" || v == "true" || v == "1"),
            max_players,
        })
    }
}

fn apply(am: &mut tournaments::ActiveModel, s: &Settings) {
    am.name = Set(s.name.clone());
    am.starts_at = Set(s.starts_at);
    am.venue = Set(s.venue.clone());
    am.format = Set(s.format.as_str().into());
    am.scoring_mode = Set(s.scoring_mode.as_str().into());
    am.scoring_target = Set(s.scoring_target);
    am.round_minutes = Set(s.round_minutes);
    am.courts = Set(s.courts);
    am.court_names = Set(s.court_names.clone());
    am.rounds_planned = Set(s.rounds);
    am.sit_out_comp = Set(s.sit_out_comp.as_str().into());
    am.mexicano_rule = Set(s.mexicano_rule.as_str().into());
    am.tiebreak = Set(Tiebreak::join(&s.tiebreak));
    am.is_public = Set(s.is_public);
    am.max_players = Set(s.max_players);
}

fn share_code() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut rng = rand::rng();
    (0..10)
        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
        .collect()
}

#[tracing::instrument(skip_all, fields(user = actor.id()))]
pub async fn create(
    db: &impl ConnectionTrait,
    actor: &Actor,
    input: &TournamentInput,
) -> Result<tournaments::Model, AppError> {
    let s = Settings::parse(input)?;
    let mut am = tournaments::ActiveModel {
        share_code: Set(share_code()),
        organizer_id: Set(actor.id()),
        status: Set(TournamentStatus::Draft.as_str().into()),
        seed: Set(rand::rng().random_range(0..i64::from(u32::MAX))),
        score_version: Set(0),
        created_at: Set(Utc::now()),
        ..Default::default()
    };
    apply(&mut am, &s);
    Ok(am.insert(db).await?)
}

/// Settings that shape the schedule change only before the start.
#[tracing::instrument(skip_all, fields(user = actor.id(), tournament = t.id))]
pub async fn update(
    db: &impl ConnectionTrait,
    actor: &Actor,
    t: &tournaments::Model,
    input: &TournamentInput,
) -> Result<tournaments::Model, AppError> {
    require_manage(db, Some(actor), t).await?;
    let s = Settings::parse(input)?;
    let status = status_of(t);
    if status != TournamentStatus::Draft && (s.format.as_str() != t.format || s.courts != t.courts)
    {
        return Err(AppError::field(
            "format",
            "The format and the number of courts cannot change after the start.",
        ));
    }
    let mut am: tournaments::ActiveModel = t.clone().into();
    apply(&mut am, &s);
    am.update(db).await?;
    // Settings such as the tie-break order change what the standings show
    // (an atomic bump: a score saved meanwhile keeps its own).
    crate::services::rounds::bump_version(db, t.id).await?;
    get(db, t.id).await
}

pub async fn delete_draft(
    db: &impl ConnectionTrait,
    actor: &Actor,
    t: &tournaments::Model,
) -> Result<(), AppError> {
    require_owner(Some(actor), t)?;
    if status_of(t) != TournamentStatus::Draft {
        return Err(AppError::Conflict(
            "Only a tournament that has not started can be deleted.".into(),
        ));
    }
    tournaments::Entity::delete_by_id(t.id).exec(db).await?;
    Ok(())
}

pub fn status_of(t: &tournaments::Model) -> TournamentStatus {
    TournamentStatus::parse(&t.status).unwrap_or(TournamentStatus::Draft)
}

pub fn format_of(t: &tournaments::Model) -> Format {
    Format::parse(&t.format).unwrap_or(Format::Americano)
}

pub async fn get(db: &impl ConnectionTrait, id: i64) -> Result<tournaments::Model, AppError> {
    tournaments::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("That tournament"))
}

pub async fn get_by_code(
    db: &impl ConnectionTrait,
    code: &str,
) -> Result<tournaments::Model, AppError> {
    tournaments::Entity::find()
        .filter(tournaments::Column::ShareCode.eq(code))
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("That tournament"))
}

// ---- Permissions: one rule for the site and the API.

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    Visitor,
    Player,
    CoOrganizer,
    Organizer,
    Admin,
}

pub async fn role(
    db: &impl ConnectionTrait,
    actor: Option<&Actor>,
    t: &tournaments::Model,
) -> Result<Role, AppError> {
    let Some(a) = actor else {
        return Ok(Role::Visitor);
    };
    if a.is_admin {
        return Ok(Role::Admin);
    }
    if t.organizer_id == a.id() {
        return Ok(Role::Organizer);
    }
    if tournament_organizers::Entity::find_by_id((t.id, a.id()))
        .one(db)
        .await?
        .is_some()
    {
        return Ok(Role::CoOrganizer);
    }
    let registered = tournament_player::Entity::find()
        .filter(tournament_player::Column::TournamentId.eq(t.id))
        .filter(tournament_player::Column::UserId.eq(a.id()))
        .count(db)
        .await?
        > 0;
    Ok(if registered {
        Role::Player
    } else {
        Role::Visitor
    })
}

pub async fn require_manage(
    db: &impl ConnectionTrait,
    actor: Option<&Actor>,
    t: &tournaments::Model,
) -> Result<Role, AppError> {
    if actor.is_none() {
        return Err(AppError::Unauthorized);
    }
    let r = role(db, actor, t).await?;
    if r >= Role::CoOrganizer {
        Ok(r)
    } else {
        Err(AppError::Forbidden(
            "Only the organizers of this tournament can do that.".into(),
        ))
    }
}

/// Owner-level actions (settings that delete, co-organizers): the organizer or an admin.
pub fn require_owner(actor: Option<&Actor>, t: &tournaments::Model) -> Result<(), AppError> {
    match actor {
        None => Err(AppError::Unauthorized),
        Some(a) if a.is_admin || a.id() == t.organizer_id => Ok(()),
        Some(_) => Err(AppError::Forbidden(
            "Only the tournament's organizer can do that.".into(),
        )),
    }
}

/// Public tournaments are for everyone; private ones for their people and
/// whoever holds the share link (`via_link`).
pub async fn require_view(
    db: &impl ConnectionTrait,
    actor: Option<&Actor>,
    t: &tournaments::Model,
    via_link: bool,
) -> Result<Role, AppError> {
    let r = role(db, actor, t).await?;
    if t.is_public || via_link || r > Role::Visitor {
        Ok(r)
    } else {
        Err(AppError::not_found("That tournament"))
    }
}

pub async fn add_co_organizer(
    db: &impl ConnectionTrait,
    actor: &Actor,
    t: &tournaments::Model,
    email: &str,
) -> Result<users::Model, AppError> {
    require_owner(Some(actor), t)?;
    let user = crate::services::accounts::find_by_email(db, email)
        .await?
        .ok_or_else(|| {
            AppError::field(
                "email",
                "No account uses that email yet. Ask them to sign up first.",
            )
        })?;
    if user.id == t.organizer_id {
        return Err(AppError::field("email", "That is the organizer already."));
    }
    if tournament_organizers::Entity::find_by_id((t.id, user.id))
        .one(db)
        .await?
        .is_none()
    {
        tournament_organizers::ActiveModel {
            tournament_id: Set(t.id),
            user_id: Set(user.id),
        }
        .insert(db)
        .await?;
    }
    Ok(user)
}

pub async fn co_organizers(
    db: &impl ConnectionTrait,
    t: &tournaments::Model,
) -> Result<Vec<users::Model>, AppError> {
    let ids: Vec<i64> = tournament_organizers::Entity::find()
        .filter(tournament_organizers::Column::TournamentId.eq(t.id))
        .all(db)
        .await?
        .into_iter()
        .map(|o| o.user_id)
        .collect();
    if ids.is_empty() {
        return Ok(vec![]);
    }
    Ok(users::Entity::find()
        .filter(users::Column::Id.is_in(ids))
        .all(db)
        .await?)
}

// ---- Registration

pub async fn registrations(
    db: &impl ConnectionTrait,
    tournament_id: i64,
) -> Result<Vec<tournament_player::Model>, AppError> {
    Ok(tournament_player::Entity::find()
        .filter(tournament_player::Column::TournamentId.eq(tournament_id))
        .order_by_asc(tournament_player::Column::Position)
        .order_by_asc(tournament_player::Column::Id)
        .all(db)
        .await?)
}

pub fn is_active(r: &tournament_player::Model) -> bool {
    r.status == "active"
}

#[derive(Debug, Default)]
pub struct AddOutcome {
    pub added: Vec<tournament_player::Model>,
    /// Names already registered; added only when the organizer confirms.
    pub duplicates: Vec<String>,
}

/// Adds guests by name (one per line). Players beyond the maximum go to the
/// waitlist. Duplicate names are refused unless `allow_duplicates`.
#[tracing::instrument(skip_all, fields(tournament = t.id))]
pub async fn add_guests(
    db: &DatabaseConnection,
    actor: &Actor,
    t: &tournaments::Model,
    names: &str,
    allow_duplicates: bool,
) -> Result<AddOutcome, AppError> {
    require_manage(db, Some(actor), t).await?;
    if status_of(t) == TournamentStatus::Finished {
        return Err(AppError::Conflict("This tournament is finished.".into()));
    }
    let mut parsed = Vec::new();
    for (i, line) in names.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let n = PlayerName::parse(line)
            .map_err(|e| AppError::field("names", format!("Line {}: {e}", i + 1)))?;
        parsed.push(n.into_inner());
    }
    if parsed.is_empty() {
        return Err(AppError::field(
            "names",
            "Type at least one name, one per line.",
        ));
    }
    if parsed.len() > MAX_PLAYERS as usize * 2 {
        return Err(AppError::field(
            "names",
            "That is more names than a tournament can hold.",
        ));
    }
    let txn = db.begin().await?;
    let existing = registrations(&txn, t.id).await?;
    let mut seen: Vec<String> = existing
        .iter()
        .filter(|r| r.status != "withdrawn")
        .map(|r| r.name.to_lowercase())
        .collect();
    let mut out = AddOutcome::default();
    for name in &parsed {
        if seen.contains(&name.to_lowercase()) {
            out.duplicates.push(name.clone());
        }
        seen.push(name.to_lowercase());
    }
    if !out.duplicates.is_empty() && !allow_duplicates {
        return Err(AppError::field(
            "names",
            format!(
                "Already on the list: {}. Add a surname or initial, or tick “add anyway”.",
                out.duplicates.join(", ")
            ),
        ));
    }
    let live = status_of(t) == TournamentStatus::Live;
    for name in parsed {
        out.added
            .push(insert_registration(&txn, t, None, name, live).await?);
    }
    txn.commit().await?;
    Ok(out)
}

async fn insert_registration(
    db: &impl ConnectionTrait,
    t: &tournaments::Model,
    user_id: Option<i64>,
    name: String,
    late: bool,
) -> Result<tournament_player::Model, AppError> {
    let all = registrations(db, t.id).await?;
    let active = all.iter().filter(|r| is_active(r)).count() as i32;
    let position = all.iter().map(|r| r.position).max().unwrap_or(0) + 1;
    // After the start, newcomers wait until the organizer brings them in.
    let status = if active >= t.max_players || late {
        "waitlist"
    } else {
        "active"
    };
    // A new name changes the standings and the player list: cached and
    // ETag-checked views must see a new version.
    crate::services::rounds::bump_version(db, t.id).await?;
    Ok(tournament_player::ActiveModel {
        tournament_id: Set(t.id),
        user_id: Set(user_id),
        name: Set(name),
        status: Set(status.into()),
        late: Set(late),
        position: Set(position),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

/// A player joins from the share link: signed in, or as a guest by name.
#[tracing::instrument(skip_all, fields(tournament = t.id))]
pub async fn join(
    db: &DatabaseConnection,
    actor: Option<&Actor>,
    t: &tournaments::Model,
    guest_name: Option<&str>,
) -> Result<tournament_player::Model, AppError> {
    if status_of(t) == TournamentStatus::Finished {
        return Err(AppError::Conflict("This tournament is finished.".into()));
    }
    let txn = db.begin().await?;
    let existing = registrations(&txn, t.id).await?;
    let (user_id, name) = match (actor, guest_name.map(str::trim).filter(|s| !s.is_empty())) {
        (Some(a), None) => {
            if let Some(r) = existing.iter().find(|r| r.user_id == Some(a.id())) {
                return Ok(r.clone());
            }
            (Some(a.id()), a.user.display_name.clone())
        }
        (_, Some(n)) => {
            let n = PlayerName::parse(n)
                .map_err(|e| AppError::field("name", e))?
                .into_inner();
            if existing
                .iter()
                .any(|r| r.status != "withdrawn" && r.name.eq_ignore_ascii_case(&n))
            {
                return Err(AppError::field(
                    "name",
                    "Someone with that name has already joined. Add your surname or an initial.",
                ));
            }
            (None, n)
        }
        (None, None) => return Err(AppError::field("name", "Please enter your name.")),
    };
    let live = status_of(t) == TournamentStatus::Live;
    let reg = insert_registration(&txn, t, user_id, name, live).await?;
    txn.commit().await?;
    Ok(reg)
}

pub async fn registration(
    db: &impl ConnectionTrait,
    t: &tournaments::Model,
    id: i64,
) -> Result<tournament_player::Model, AppError> {
    tournament_player::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|r| r.tournament_id == t.id)
        .ok_or_else(|| AppError::not_found("That player"))
}

// ---- Loading the whole picture

#[derive(Clone, Debug)]
pub struct MatchView {
    pub id: i64,
    pub round: i32,
    pub court: i32,
    pub court_name: String,
    pub team_a: [(i64, String); 2],
    pub team_b: [(i64, String); 2],
    pub score_a: Option<i32>,
    pub score_b: Option<i32>,
    pub version: i32,
}

impl MatchView {
    pub fn done(&self) -> bool {
        self.score_a.is_some() && self.score_b.is_some()
    }

    pub fn has(&self, reg: i64) -> bool {
        self.team_a
            .iter()
            .chain(self.team_b.iter())
            .any(|(id, _)| *id == reg)
    }

    pub fn names_a(&self) -> String {
        format!("{} & {}", self.team_a[0].1, self.team_a[1].1)
    }

    pub fn names_b(&self) -> String {
        format!("{} & {}", self.team_b[0].1, self.team_b[1].1)
    }

    pub fn score_a_text(&self) -> String {
        self.score_a.map(|s| s.to_string()).unwrap_or_default()
    }

    pub fn score_b_text(&self) -> String {
        self.score_b.map(|s| s.to_string()).unwrap_or_default()
    }
}

#[derive(Clone, Debug)]
pub struct RoundView {
    pub id: i64,
    pub number: i32,
    pub matches: Vec<MatchView>,
    pub sitting_out: Vec<(i64, String)>,
    pub started_at: Option<DateTime<Utc>>,
}

impl RoundView {
    pub fn complete(&self) -> bool {
        self.matches.iter().all(MatchView::done)
    }

    pub fn any_played(&self) -> bool {
        self.matches.iter().any(MatchView::done)
    }

    pub fn done_count(&self) -> usize {
        self.matches.iter().filter(|m| m.done()).count()
    }
}

pub struct Full {
    pub t: tournaments::Model,
    pub players: Vec<tournament_player::Model>,
    pub rounds: Vec<RoundView>,
}

impl Full {
    pub fn active(&self) -> impl Iterator<Item = &tournament_player::Model> {
        self.players.iter().filter(|r| is_active(r))
    }

    pub fn waitlist(&self) -> impl Iterator<Item = &tournament_player::Model> {
        self.players.iter().filter(|r| r.status == "waitlist")
    }

    /// The round being played: the first incomplete one, else the last.
    pub fn current_round(&self) -> Option<&RoundView> {
        self.rounds
            .iter()
            .find(|r| !r.complete())
            .or(self.rounds.last())
    }

    pub fn all_complete(&self) -> bool {
        !self.rounds.is_empty() && self.rounds.iter().all(RoundView::complete)
    }

    pub fn court_name(&self, court: i32) -> String {
        court_name(&self.t, court)
    }

    pub fn standings(&self) -> Vec<Row> {
        let order =
            Tiebreak::parse_order(&self.t.tiebreak).unwrap_or_else(|_| vec![Tiebreak::Points]);
        // Everyone who is active or has played ranks; withdrawn players keep their results.
        let played: std::collections::HashSet<i64> = self
            .rounds
            .iter()
            .flat_map(|r| r.matches.iter())
            .flat_map(|m| m.team_a.iter().chain(m.team_b.iter()).map(|(id, _)| *id))
            .collect();
        let players: Vec<(i64, String)> = self
            .players
            .iter()
            .filter(|r| is_active(r) || played.contains(&r.id))
            .map(|r| (r.id, r.name.clone()))
            .collect();
        let results: Vec<MatchResult> = self
            .rounds
            .iter()
            .flat_map(|r| r.matches.iter())
            .map(|m| MatchResult {
                round: m.round,
                team_a: [m.team_a[0].0, m.team_a[1].0],
                team_b: [m.team_b[0].0, m.team_b[1].0],
                score: m.score_a.zip(m.score_b),
            })
            .collect();
        let sit_outs: Vec<(i32, Vec<i64>)> = self
            .rounds
            .iter()
            .filter(|r| r.any_played())
            .map(|r| (r.number, r.sitting_out.iter().map(|(id, _)| *id).collect()))
            .collect();
        let cfg = standings::Config {
            comp: SitOutComp::parse(&self.t.sit_out_comp).unwrap_or(SitOutComp::None),
            match_points: self.t.scoring_target,
            order: &order,
        };
        standings::compute(&players, &results, &sit_outs, &cfg)
    }

    /// A player's next unplayed match, if any.
    pub fn next_match(&self, reg: i64) -> Option<&MatchView> {
        self.rounds
            .iter()
            .flat_map(|r| r.matches.iter())
            .find(|m| !m.done() && m.has(reg))
    }
}

pub fn court_name(t: &tournaments::Model, court: i32) -> String {
    t.court_names
        .lines()
        .nth((court - 1).max(0) as usize)
        .map(str::to_string)
        .unwrap_or_else(|| format!("Court {court}"))
}

/// Three queries: registrations, rounds, matches.
pub async fn load_full(db: &impl ConnectionTrait, t: tournaments::Model) -> Result<Full, AppError> {
    let players = registrations(db, t.id).await?;
    let names: HashMap<i64, String> = players.iter().map(|p| (p.id, p.name.clone())).collect();
    let name = |id: i64| (id, names.get(&id).cloned().unwrap_or_else(|| "?".into()));
    let round_rows = rounds::Entity::find()
        .filter(rounds::Column::TournamentId.eq(t.id))
        .order_by_asc(rounds::Column::Number)
        .all(db)
        .await?;
    let match_rows = matches::Entity::find()
        .filter(matches::Column::TournamentId.eq(t.id))
        .order_by_asc(matches::Column::Court)
        .all(db)
        .await?;
    let mut by_round: HashMap<i64, Vec<matches::Model>> = HashMap::new();
    for m in match_rows {
        by_round.entry(m.round_id).or_default().push(m);
    }
    let rounds = round_rows
        .into_iter()
        .map(|r| {
            let sitting: Vec<i64> = serde_json::from_str(&r.sitting_out).unwrap_or_default();
            RoundView {
                id: r.id,
                number: r.number,
                started_at: r.started_at,
                sitting_out: sitting.into_iter().map(name).collect(),
                matches: by_round
                    .remove(&r.id)
                    .unwrap_or_default()
                    .into_iter()
                    .map(|m| MatchView {
                        id: m.id,
                        round: r.number,
                        court: m.court,
                        court_name: court_name(&t, m.court),
                        team_a: [name(m.a1), name(m.a2)],
                        team_b: [name(m.b1), name(m.b2)],
                        score_a: m.score_a,
                        score_b: m.score_b,
                        version: m.version,
                    })
                    .collect(),
            }
        })
        .collect();
    Ok(Full { t, players, rounds })
}

// ---- Lists

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListTab {
    Live,
    Upcoming,
    Finished,
}

impl ListTab {
    pub fn parse(s: &str) -> Self {
        match s {
            "upcoming" => ListTab::Upcoming,
            "finished" => ListTab::Finished,
            _ => ListTab::Live,
        }
    }
}

/// Who may see a tournament in a list: public ones, plus the viewer's own.
fn visible_to(viewer: Option<&Actor>) -> sea_orm::Condition {
    let mut visible = sea_orm::Condition::any().add(tournaments::Column::IsPublic.eq(true));
    if let Some(a) = viewer {
        visible = visible.add(tournaments::Column::OrganizerId.eq(a.id()));
    }
    visible
}

/// A name search as a bound LIKE parameter: quotes and other SQL
/// metacharacters are just text.
fn name_like(
    q: sea_orm::Select<tournaments::Entity>,
    search: &str,
) -> sea_orm::Select<tournaments::Entity> {
    // Control characters removed (PostgreSQL refuses NUL); a bound parameter
    // with an explicit ESCAPE (SQLite has none by default): quotes, % and _ are text.
    let search = crate::domain::clean_text(search);
    if search.is_empty() {
        return q;
    }
    let escaped = search
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    let pattern = sea_orm::sea_query::LikeExpr::new(format!("%{escaped}%")).escape('\\');
    q.filter(tournaments::Column::Name.like(pattern))
}

/// Public tournaments (plus the viewer's own), by tab, with a name search.
pub async fn list(
    db: &impl ConnectionTrait,
    viewer: Option<&Actor>,
    status: TournamentStatus,
    search: &str,
    limit: u64,
) -> Result<Vec<tournaments::Model>, AppError> {
    let q = tournaments::Entity::find()
        .filter(tournaments::Column::Status.eq(status.as_str()))
        .filter(visible_to(viewer));
    let q = name_like(q, search);
    let q = match status {
        TournamentStatus::Finished => q.order_by_desc(tournaments::Column::FinishedAt),
        _ => q
            .order_by_asc(tournaments::Column::StartsAt)
            .order_by_desc(tournaments::Column::Id),
    };
    Ok(q.limit(limit).all(db).await?)
}

/// The same visibility and search as [`list`], newest first, in pages:
/// `before` is the last id of the previous page. Returns the page and
/// whether more follow.
pub async fn list_page(
    db: &impl ConnectionTrait,
    viewer: Option<&Actor>,
    status: Option<TournamentStatus>,
    search: &str,
    before: Option<i64>,
    limit: u64,
) -> Result<(Vec<tournaments::Model>, bool), AppError> {
    let mut q = tournaments::Entity::find().filter(visible_to(viewer));
    if let Some(status) = status {
        q = q.filter(tournaments::Column::Status.eq(status.as_str()));
    }
    if let Some(before) = before {
        q = q.filter(tournaments::Column::Id.lt(before));
    }
    let mut items = name_like(q, search)
        .order_by_desc(tournaments::Column::Id)
        .limit(limit + 1)
        .all(db)
        .await?;
    let more = items.len() as u64 > limit;
    items.truncate(limit as usize);
    Ok((items, more))
}

/// Tournaments a user organizes, co-organizes or plays in.
pub async fn mine(
    db: &impl ConnectionTrait,
    actor: &Actor,
) -> Result<Vec<tournaments::Model>, AppError> {
    use sea_orm::Condition;
    let played: Vec<i64> = tournament_player::Entity::find()
        .filter(tournament_player::Column::UserId.eq(actor.id()))
        .all(db)
        .await?
        .into_iter()
        .map(|r| r.tournament_id)
        .collect();
    let co: Vec<i64> = tournament_organizers::Entity::find()
        .filter(tournament_organizers::Column::UserId.eq(actor.id()))
        .all(db)
        .await?
        .into_iter()
        .map(|o| o.tournament_id)
        .collect();
    let ids: Vec<i64> = played.into_iter().chain(co).collect();
    Ok(tournaments::Entity::find()
        .filter(
            Condition::any()
                .add(tournaments::Column::OrganizerId.eq(actor.id()))
                .add(tournaments::Column::Id.is_in(ids)),
        )
        .order_by_desc(tournaments::Column::Id)
        .limit(100)
        .all(db)
        .await?)
}
