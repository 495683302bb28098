//! The create/edit form: parsed and checked once, applied to the model.
use super::*;

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
    pub balance_by_rating: Option<String>,
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
            balance_by_rating: t.balance_by_rating.then(|| "on".into()),
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
    pub balance_by_rating: bool,
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
            balance_by_rating: input
                .balance_by_rating
                .as_deref()
                .is_some_and(|v| v == "on" || v == "true" || v == "1"),
            max_players,
        })
    }
}

pub(super) fn apply(am: &mut tournaments::ActiveModel, s: &Settings) {
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
    am.balance_by_rating = Set(s.balance_by_rating);
    am.max_players = Set(s.max_players);
}
