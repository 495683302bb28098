//! Pure scheduling engine for padel tournaments: Americano (rotating partners), Team
//! Americano (fixed pairs), Mixed Americano (one player of each group per team) and
//! Mexicano (pairings from the standings).
//!
//! No I/O, no async, no database: everything here is a deterministic function of its
//! inputs and a `seed`. Player ids are arbitrary `usize` labels.
//!
//! Quality guarantees (checked by the tests in each submodule):
//! * Americano with N ≡ 0 (mod 4), N/4 courts, N−1 rounds, or N ≡ 1 (mod 4), (N−1)/4
//!   courts, N rounds, is a whist tournament (stored designs for every such N ≤ 64):
//!   every pair partners once and opposes twice, everyone sits out at most once.
//! * Events with the default rounds where the run-time search falls short (6–40
//!   players, see `stored_data.rs`) use schedules solved offline (SAT solver, a long
//!   annealing run, or the best of many run-time searches): partner repeats at the
//!   forced minimum, court spread ≤ 1,
//!   games balanced after every round, and the tightest opponent window found (proved
//!   best for 6 and 7 on one court). So do club-length events (N/4 courts or one
//!   fewer; up to 16 players for 3–16 rounds, 17–32 for 3–12) where one of 3,000 (300)
//!   run-time schedules, or the first rounds of a default-length entry, is at least as
//!   good as each of seeds 0–9 on every figure and better than one of them; a SAT model
//!   (`benches/sat/`) and, from 17 players, an annealing search at fixed targets
//!   (`anneal.rs`, test builds only) replace some of those with schedules at tighter
//!   windows (`stored.rs` lists them).
//! * 8 players on two courts for 3–9 rounds are at the best opponent range and court
//!   spread together, opponents first but nobody on one court all evening: proved for
//!   up to 7 rounds by an exhaustive search (`eight.rs`, `quality::EIGHT_ON_TWO`) and for
//!   8 by a SAT model; 4 and 9 rounds stored from that model.
//! * Shorter events on a whist design's courts (N/4 courts, fewer rounds than the
//!   design) take the design's first rounds refined, or, where those end at court
//!   spread 2 or more or with the opponent range 2 outside its bound, rounds chosen
//!   from the whole design in its court order (`whist::design_subset`: the stored
//!   spread-1 designs for 16, 20, 28, 44 and 52, the stored court orders for other 4k),
//!   weighing courts with opponents, kept in that order or after a court pass, when
//!   better in the order partners, the larger of the court and opponent misses, courts,
//!   games gap, opponents (`americano::miss_key`).
//! * With at least N rounds and someone sitting out (at most a third), the first N rounds
//!   are a cyclic development of one base round found by a search in difference space
//!   (`cyclic.rs`): everyone plays exactly 4 times on every court and sits out equally
//!   often (evenly spaced, so games stay within one after every round where that costs
//!   no partner repeat), partners never repeat where the arithmetic allows, and opponent
//!   counts are even; the remaining rounds are searched against them as history. Two
//!   resting with N ≡ 6 (mod 8) for N + 2 rounds cannot be spaced; there the two searched
//!   rounds join the sit-out cycles so the rounds can be ordered fairly (`joined.rs`).
//! * Few courts for many over long events (fixed groups of 4C past the round where
//!   their partners run out; more than half resting from N rounds on, partners filling
//!   40% of the pairs, 20% above 32 players; a third to a half resting with partner
//!   slots for 95–108% of the pairs, from 13 players) use lap designs (`laps.rs`): a
//!   queue of one-factors (Hamiltonian cycles for N odd) played 4C at a time, so
//!   partner repeats are at the forced minimum for any length and games stay within one
//!   after every round; the longest sit-out run may be one round above the shortest
//!   where at least half rest, and is never two rounds where fewer do.
//! * Otherwise a seeded annealing search with a fixed budget minimises partner repeats
//!   first, then court and opponent imbalance; sit-outs are fair by construction (the
//!   search only swaps sitters in ways that keep the multiset of games played after
//!   every round, so whoever has played most sits out next, and the longest sit-out
//!   run). For R ≤ 12, partner repeats are at the forced minimum and
//!   court spread ≤ 1 (asserted), except whist prefixes (games fixed) and fixed groups
//!   (N a multiple of 4C, > 4C); for small events the search runs again while it misses.
//! * Every search of one schedule (retries, a development's base round, repairs) draws
//!   on one move budget per size class (`engine::Budget`), so generation time has a
//!   fixed ceiling however unlucky the first search: a retry runs only when a whole
//!   search is left.
//!   A result with a pair 2 or more outside the opponent bound gets one short cold
//!   repair that weighs such pairs above court balance, kept only if partners, courts
//!   and games are no worse.
//! * Last, on every path: a schedule with a player's courts 3 or more apart gets a court
//!   pass that weighs spread on its own (`engine::repair_court_spread`; the usual pass
//!   sums games outside the range, which can trade one player 3 apart for two at 2), on
//!   a fork of the seed's stream, so no other schedule changes.
//!   On every Americano path but the stored schedules (`americano::finish`), the teams
//!   are re-matched within their rounds (`rematch.rs`: partners and sit-outs unchanged)
//!   where someone is 3 apart on the courts (opponents and courts weighed together,
//!   before the court pass, which then runs only if that fails), and where a pair is
//!   still 2 or more outside the opponent bound (on opponents alone with courts assigned
//!   again, then weighed together), kept when `americano::miss_key` ranks it better (a
//!   pair meeting 4 times where 2 is the most is worse than a player 2 apart on courts).

mod americano;
#[cfg(test)]
mod anneal;
mod cyclic;
#[cfg(test)]
mod eight;
mod engine;
mod joined;
mod laps;
mod leftover;
mod mexicano;
mod quality;
mod rematch;
mod rng;
mod stored;
mod stored_data;
mod team;
mod whist;
mod whist_courts;
mod whist_data;

pub use americano::{americano, extend, replan};
pub use mexicano::{
    mexicano_round, simulate_mexicano, MexicanoReport, MexicanoRule, MexicanoSimulation,
    PartnerCounts,
};
pub use quality::{quality, Quality};
pub use team::{mixed_americano, team_americano};

use serde::{Deserialize, Serialize};
use std::fmt;

/// Largest supported player count.
pub const MAX_PLAYERS: usize = 64;

/// Tournament format.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    #[default]
    Americano,
    TeamAmericano,
    MixedAmericano,
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Format::Americano => "americano",
            Format::TeamAmericano => "team-americano",
            Format::MixedAmericano => "mixed-americano",
        })
    }
}

impl std::str::FromStr for Format {
    type Err = ScheduleError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "americano" => Ok(Format::Americano),
            "team-americano" => Ok(Format::TeamAmericano),
            "mixed-americano" => Ok(Format::MixedAmericano),
            other => Err(ScheduleError::UnknownFormat(other.to_string())),
        }
    }
}

/// One game: `team_a` against `team_b` on `court` (0-based).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Match {
    pub court: usize,
    pub team_a: [usize; 2],
    pub team_b: [usize; 2],
}

/// One round: matches in court order and the players sitting out.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Round {
    pub matches: Vec<Match>,
    pub sit_outs: Vec<usize>,
}

/// A generated schedule. `players` are the labels in input order; for Mixed Americano
/// the first `group_a_len` of them form group A.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Schedule {
    pub format: Format,
    pub players: Vec<usize>,
    pub courts: usize,
    pub rounds: Vec<Round>,
    pub group_a_len: Option<usize>,
}

/// Why a schedule cannot be made. Messages are shown to users.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ScheduleError {
    TooFewPlayers {
        players: usize,
        min: usize,
    },
    TooManyPlayers {
        players: usize,
    },
    NoCourts,
    TooManyCourts {
        courts: usize,
        max: usize,
    },
    DuplicatePlayer(usize),
    OddPlayerCount(usize),
    GroupTooSmall {
        group: char,
        players: usize,
        courts: usize,
    },
    RoundsAlreadyPlayed {
        played: usize,
        total: usize,
    },
    UnknownPlayer(usize),
    UnknownFormat(String),
    Unsupported(&'static str),
}

impl fmt::Display for ScheduleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use ScheduleError::*;
        match self {
            TooFewPlayers { players, min } => {
                write!(f, "{players} players is too few: at least {min} are needed")
            }
            TooManyPlayers { players } => write!(
                f,
                "{players} players is too many: at most {MAX_PLAYERS} are supported"
            ),
            NoCourts => write!(f, "at least one court is needed"),
            TooManyCourts { courts, max } => write!(
                f,
                "{courts} courts is too many for these players: at most {max} can be used"
            ),
            DuplicatePlayer(p) => write!(f, "player {p} is listed twice"),
            OddPlayerCount(n) => {
                write!(f, "{n} players cannot form fixed pairs: an even number is needed")
            }
            GroupTooSmall { group, players, courts } => write!(
                f,
                "group {group} has {players} players, too few for {courts} courts (2 per court needed)"
            ),
            RoundsAlreadyPlayed { played, total } => write!(
                f,
                "{played} rounds are already played, so the schedule cannot have only {total}"
            ),
            UnknownPlayer(p) => write!(f, "player {p} is not in this schedule"),
            UnknownFormat(s) => write!(
                f,
                "unknown format '{s}': use americano, team-americano or mixed-americano"
            ),
            Unsupported(what) => write!(f, "not supported: {what}"),
        }
    }
}

impl std::error::Error for ScheduleError {}

/// The natural court count for `n` players: everyone who can play does (n / 4).
pub fn natural_courts(n: usize) -> usize {
    n / 4
}

/// Rounds for a "full" schedule.
///
/// Americano: ⌈N(N−1) / (4C)⌉, the fewest rounds in which every pair can partner once
/// (N−1 for a 4n whist, N for 4n+1). Team Americano: a full round robin of the N/2 teams,
/// stretched when fewer courts than matches. Mixed: every A–B pair partners once.
pub fn default_rounds(format: Format, n: usize, courts: usize) -> usize {
    let c = courts.max(1);
    match format {
        Format::Americano => (n * n.saturating_sub(1)).div_ceil(4 * c),
        Format::TeamAmericano => {
            let t = n / 2;
            let matches = t * t.saturating_sub(1) / 2;
            let per_round = (t / 2).min(c).max(1);
            matches.div_ceil(per_round)
        }
        Format::MixedAmericano => {
            let (a, b) = (n / 2, n - n / 2);
            (a * b).div_ceil(2 * c)
        }
    }
}

/// CLI entry point: players are numbered `0..n`; for Team Americano teams are (0,1),
/// (2,3), …; for Mixed Americano the first half is group A.
pub fn preview(
    format: Format,
    n: usize,
    courts: usize,
    rounds: Option<usize>,
    seed: u64,
) -> Result<Schedule, ScheduleError> {
    let r = rounds.unwrap_or_else(|| default_rounds(format, n, courts));
    let players: Vec<usize> = (0..n).collect();
    match format {
        Format::Americano => americano(&players, courts, r, seed),
        Format::TeamAmericano => {
            if n % 2 == 1 {
                return Err(ScheduleError::OddPlayerCount(n));
            }
            let teams: Vec<[usize; 2]> = players.chunks_exact(2).map(|t| [t[0], t[1]]).collect();
            team_americano(&teams, courts, r, seed)
        }
        Format::MixedAmericano => {
            let (a, b) = players.split_at(n / 2);
            mixed_americano(a, b, courts, r, seed)
        }
    }
}

/// Checks a player list: 4..=64 distinct labels (or `min` for other formats).
pub(crate) fn validate_players(players: &[usize], min: usize) -> Result<(), ScheduleError> {
    if players.len() < min {
        return Err(ScheduleError::TooFewPlayers {
            players: players.len(),
            min,
        });
    }
    if players.len() > MAX_PLAYERS {
        return Err(ScheduleError::TooManyPlayers {
            players: players.len(),
        });
    }
    let mut seen = std::collections::HashSet::new();
    for &p in players {
        if !seen.insert(p) {
            return Err(ScheduleError::DuplicatePlayer(p));
        }
    }
    Ok(())
}

pub(crate) fn validate_courts(courts: usize, max: usize) -> Result<(), ScheduleError> {
    if courts == 0 {
        return Err(ScheduleError::NoCourts);
    }
    if courts > max {
        return Err(ScheduleError::TooManyCourts { courts, max });
    }
    Ok(())
}

/// Index-space rounds to labelled rounds (games are already in court order).
pub(crate) fn label_rounds(raw: &[engine::RawRound], labels: &[usize]) -> Vec<Round> {
    raw.iter()
        .map(|r| Round {
            matches: r
                .games
                .iter()
                .enumerate()
                .map(|(court, g)| Match {
                    court,
                    team_a: [labels[g[0]], labels[g[1]]],
                    team_b: [labels[g[2]], labels[g[3]]],
                })
                .collect(),
            sit_outs: {
                let mut s: Vec<usize> = r.sit.iter().map(|&p| labels[p]).collect();
                s.sort_unstable();
                s
            },
        })
        .collect()
}

/// Position of each label in `schedule.players` (labels not listed map to `None`).
fn index_of(s: &Schedule) -> std::collections::HashMap<usize, usize> {
    s.players.iter().enumerate().map(|(i, &p)| (p, i)).collect()
}

/// The CLI's JSON shape; field order is the documented key order.
#[derive(Serialize)]
struct JsonSchedule {
    #[serde(rename = "N")]
    n: usize,
    #[serde(rename = "C")]
    c: usize,
    #[serde(rename = "R")]
    r: usize,
    rounds: Vec<JsonRound>,
}

#[derive(Serialize)]
struct JsonRound {
    matches: Vec<[[usize; 2]; 2]>,
    #[serde(rename = "sitOuts")]
    sit_outs: Vec<usize>,
}

/// Players numbered by their position in `schedule.players`; matches in court order,
/// sit-outs ascending.
fn json_schedule(s: &Schedule) -> JsonSchedule {
    let idx = index_of(s);
    let id = |p: &usize| idx.get(p).copied().unwrap_or(*p);
    let rounds = s
        .rounds
        .iter()
        .map(|r| {
            let mut ms: Vec<&Match> = r.matches.iter().collect();
            ms.sort_by_key(|m| m.court);
            let mut sit_outs: Vec<usize> = r.sit_outs.iter().map(id).collect();
            sit_outs.sort_unstable();
            JsonRound {
                matches: ms
                    .iter()
                    .map(|m| [m.team_a.each_ref().map(id), m.team_b.each_ref().map(id)])
                    .collect(),
                sit_outs,
            }
        })
        .collect();
    JsonSchedule {
        n: s.players.len(),
        c: s.courts,
        r: s.rounds.len(),
        rounds,
    }
}

/// JSON for the CLI: `{"N":8,"C":2,"R":7,"rounds":[{"matches":[[[0,1],[2,4]],…],"sitOuts":[]},…]}`.
/// Players are numbered by their position in `schedule.players`; matches in court order.
/// (A `Value` sorts object keys; use [`to_json_string`] for the exact key order.)
pub fn to_json(s: &Schedule) -> serde_json::Value {
    serde_json::to_value(json_schedule(s)).unwrap_or_default()
}

/// The CLI's `--json` output: compact, keys in the documented order (N, C, R, rounds).
pub fn to_json_string(s: &Schedule) -> String {
    serde_json::to_string(&json_schedule(s)).unwrap_or_default()
}

/// Human-readable table of the rounds (players by position, as in the JSON) plus the
/// quality summary and figures.
pub fn to_text(s: &Schedule) -> String {
    use std::fmt::Write;
    let idx = index_of(s);
    let id = |p: &usize| idx.get(p).copied().unwrap_or(*p);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} — {} players, {} courts, {} rounds",
        s.format,
        s.players.len(),
        s.courts,
        s.rounds.len()
    );
    let w = s.players.len().saturating_sub(1).to_string().len().max(2);
    for (ri, r) in s.rounds.iter().enumerate() {
        let _ = write!(out, "R{:<3}", ri + 1);
        let mut ms: Vec<&Match> = r.matches.iter().collect();
        ms.sort_by_key(|m| m.court);
        for m in ms {
            let _ = write!(
                out,
                " | C{}: {:>w$} {:>w$} v {:>w$} {:>w$}",
                m.court + 1,
                id(&m.team_a[0]),
                id(&m.team_a[1]),
                id(&m.team_b[0]),
                id(&m.team_b[1]),
            );
        }
        if !r.sit_outs.is_empty() {
            let mut so: Vec<usize> = r.sit_outs.iter().map(id).collect();
            so.sort_unstable();
            let so: Vec<String> = so.iter().map(|p| p.to_string()).collect();
            let _ = write!(out, " | out: {}", so.join(" "));
        }
        out.push('\n');
    }
    out.push('\n');
    let _ = write!(out, "{}", quality(s));
    out
}

#[cfg(test)]
mod tests;
