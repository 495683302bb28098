//! The whole picture of a tournament (players, rounds, matches, standings)
//! loaded in three queries.
use super::*;

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
    /// Mexicano: repeat partnerships the draw avoided.
    pub repeats_avoided: Option<i32>,
}

impl RoundView {
    pub fn complete(&self) -> bool {
        self.matches.iter().all(MatchView::done)
    }

    pub fn any_played(&self) -> bool {
        self.matches.iter().any(MatchView::done)
    }

    /// When the round's countdown ends (ms since the epoch), or 0 when the
    /// tournament is not scored by time or the round has not started.
    pub fn deadline_ms(&self, t: &tournaments::Model) -> i64 {
        match (t.scoring_mode.as_str(), t.round_minutes, self.started_at) {
            ("time", Some(min), Some(s)) => s.timestamp_millis() + i64::from(min) * 60_000,
            _ => 0,
        }
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
                repeats_avoided: r.repeats_avoided,
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
