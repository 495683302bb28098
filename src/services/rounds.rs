//! Running a tournament: start, score entry, Mexicano rounds, changes
//! mid-event, finish. Every multi-row write is one transaction.
use chrono::Utc;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    Set, TransactionTrait,
};
use std::collections::{HashMap, HashSet};

use crate::domain::{Format, MexicanoRule, ScoringMode, TournamentStatus};
use crate::entities::{matches, rounds, tournament_player, tournament_results, tournaments};
use crate::error::AppError;
use crate::services::accounts::Actor;
use crate::services::scheduling;
use crate::services::tournaments::{self as tsvc, format_of, status_of, Full};

/// `col + 1`, for version counters (ExprTrait stays local: its `max` shadows Ord's).
fn plus_one(col: impl sea_orm::sea_query::IntoColumnRef) -> Expr {
    use sea_orm::ExprTrait;
    Expr::col(col).add(1)
}

/// One planned round, in registration ids.
#[derive(Clone, Debug, PartialEq)]
pub struct Planned {
    pub matches: Vec<([i64; 2], [i64; 2])>,
    pub sit_out: Vec<i64>,
    /// Mexicano: repeat partnerships the draw avoided (None for scheduled formats).
    pub repeats_avoided: Option<u32>,
}

fn courts_for(t: &tournaments::Model, players: usize) -> usize {
    (t.courts.max(1) as usize).min(players / 4).max(1)
}

fn to_planned(rounds: &[scheduling::Round]) -> Vec<Planned> {
    let id = |p: usize| p as i64;
    rounds
        .iter()
        .map(|r| {
            let mut ms = r.matches.clone();
            ms.sort_by_key(|m| m.court);
            Planned {
                matches: ms
                    .iter()
                    .map(|m| {
                        (
                            [id(m.team_a[0]), id(m.team_a[1])],
                            [id(m.team_b[0]), id(m.team_b[1])],
                        )
                    })
                    .collect(),
                sit_out: r.sit_outs.iter().map(|p| id(*p)).collect(),
                repeats_avoided: None,
            }
        })
        .collect()
}

fn sched_err(e: scheduling::ScheduleError) -> AppError {
    AppError::Conflict(e.to_string())
}

/// The full schedule for the rotating formats (registration ids as labels).
pub fn plan_schedule(
    t: &tournaments::Model,
    active: &[tournament_player::Model],
) -> Result<Vec<Planned>, AppError> {
    let ids: Vec<usize> = active.iter().map(|r| r.id as usize).collect();
    let courts = courts_for(t, ids.len());
    let seed = t.seed as u64;
    let rounds = t.rounds_planned.map(|r| r as usize);
    let schedule = match format_of(t) {
        Format::Americano | Format::Mexicano => {
            let rounds = rounds.unwrap_or_else(|| {
                scheduling::default_rounds(scheduling::Format::Americano, ids.len(), courts)
            });
            scheduling::americano(&ids, courts, rounds, seed).map_err(sched_err)?
        }
        Format::TeamAmericano => {
            let teams: Vec<[usize; 2]> = ids.chunks_exact(2).map(|c| [c[0], c[1]]).collect();
            let rounds = rounds.unwrap_or_else(|| {
                scheduling::default_rounds(scheduling::Format::TeamAmericano, ids.len(), courts)
            });
            scheduling::team_americano(&teams, courts, rounds, seed).map_err(sched_err)?
        }
        Format::MixedAmericano => {
            let (a, b): (Vec<_>, Vec<_>) = active
                .iter()
                .partition(|r| r.group_label.as_deref() != Some("B"));
            let a: Vec<usize> = a.iter().map(|r| r.id as usize).collect();
            let b: Vec<usize> = b.iter().map(|r| r.id as usize).collect();
            let rounds = rounds.unwrap_or_else(|| {
                scheduling::default_rounds(scheduling::Format::MixedAmericano, ids.len(), courts)
            });
            scheduling::mixed_americano(&a, &b, courts, rounds, seed).map_err(sched_err)?
        }
    };
    Ok(to_planned(&schedule.rounds))
}

async fn insert_round(
    db: &impl ConnectionTrait,
    t: &tournaments::Model,
    number: i32,
    p: &Planned,
) -> Result<(), AppError> {
    let round = rounds::ActiveModel {
        tournament_id: Set(t.id),
        number: Set(number),
        sitting_out: Set(serde_json::to_string(&p.sit_out).unwrap_or_else(|_| "[]".into())),
        started_at: Set(None),
        repeats_avoided: Set(p.repeats_avoided.map(|k| k as i32)),
        ..Default::default()
    }
    .insert(db)
    .await?;
    let now = Utc::now();
    let rows: Vec<matches::ActiveModel> = p
        .matches
        .iter()
        .enumerate()
        .map(|(i, (a, b))| matches::ActiveModel {
            tournament_id: Set(t.id),
            round_id: Set(round.id),
            court: Set(i as i32 + 1),
            a1: Set(a[0]),
            a2: Set(a[1]),
            b1: Set(b[0]),
            b2: Set(b[1]),
            score_a: Set(None),
            score_b: Set(None),
            version: Set(0),
            scored_seq: Set(None),
            updated_at: Set(now),
            ..Default::default()
        })
        .collect();
    if !rows.is_empty() {
        matches::Entity::insert_many(rows).exec(db).await?;
    }
    Ok(())
}

/// Re-reads the tournament inside the transaction and checks its status, so
/// two tablets pressing "start" at once cannot both start it.
async fn lock_status(
    db: &impl ConnectionTrait,
    id: i64,
    from: TournamentStatus,
    to: TournamentStatus,
) -> Result<tournaments::Model, AppError> {
    let res = tournaments::Entity::update_many()
        .col_expr(tournaments::Column::Status, Expr::value(to.as_str()))
        .col_expr(
            tournaments::Column::ScoreVersion,
            plus_one(tournaments::Column::ScoreVersion),
        )
        .filter(tournaments::Column::Id.eq(id))
        .filter(tournaments::Column::Status.eq(from.as_str()))
        .exec(db)
        .await?;
    if res.rows_affected != 1 {
        return Err(AppError::Conflict(match from {
            TournamentStatus::Draft => "This tournament has already started.".into(),
            TournamentStatus::Live => "This tournament is not running.".into(),
            TournamentStatus::Finished => "This tournament is not finished.".into(),
        }));
    }
    tsvc::get(db, id).await
}

#[tracing::instrument(skip_all, fields(tournament = t.id))]
pub async fn start(
    db: &DatabaseConnection,
    actor: &Actor,
    t: &tournaments::Model,
) -> Result<(), AppError> {
    tsvc::require_manage(db, Some(actor), t).await?;
    let txn = db.begin().await?;
    let t = lock_status(&txn, t.id, TournamentStatus::Draft, TournamentStatus::Live).await?;
    let mut active: Vec<_> = tsvc::registrations(&txn, t.id)
        .await?
        .into_iter()
        .filter(tsvc::is_active)
        .collect();
    check_players(&t, &active)?;
    if t.balance_by_rating {
        active = balanced_order(&txn, &t, active).await?;
    }
    let planned = match format_of(&t) {
        Format::Mexicano => vec![mexicano_first_round(&t, &active)?],
        _ => plan_schedule(&t, &active)?,
    };
    for (i, p) in planned.iter().enumerate() {
        insert_round(&txn, &t, i as i32 + 1, p).await?;
    }
    let mut am: tournaments::ActiveModel = t.into();
    am.started_at = Set(Some(Utc::now()));
    am.update(&txn).await?;
    txn.commit().await?;
    Ok(())
}

fn check_players(
    t: &tournaments::Model,
    active: &[tournament_player::Model],
) -> Result<(), AppError> {
    let n = active.len();
    if n < 4 {
        return Err(AppError::Conflict(format!(
            "At least 4 players are needed to start; {n} registered."
        )));
    }
    if n > tsvc::MAX_PLAYERS as usize {
        return Err(AppError::Conflict("At most 64 players can play.".into()));
    }
    match format_of(t) {
        Format::TeamAmericano if !n.is_multiple_of(2) => Err(AppError::Conflict(
            "Team Americano needs an even number of players (fixed pairs).".into(),
        )),
        Format::MixedAmericano => {
            let b = active
                .iter()
                .filter(|r| r.group_label.as_deref() == Some("B"))
                .count();
            let a = n - b;
            if a < 2 || b < 2 {
                Err(AppError::Conflict(
                    "Mixed Americano needs at least two players in each group: mark the second group with B.".into(),
                ))
            } else {
                Ok(())
            }
        }
        _ => Ok(()),
    }
}

fn rule_of(t: &tournaments::Model) -> scheduling::MexicanoRule {
    match MexicanoRule::parse(&t.mexicano_rule) {
        Some(MexicanoRule::OneThreeVsTwoFour) => scheduling::MexicanoRule::OneThreeVsTwoFour,
        Some(MexicanoRule::OneTwoVsThreeFour) => scheduling::MexicanoRule::OneTwoVsThreeFour,
        _ => scheduling::MexicanoRule::OneFourVsTwoThree,
    }
}

/// With "balance by rating": Mexicano seeds round 1 strongest first; Team
/// Americano pairs the strongest with the weakest (consecutive entries pair).
async fn balanced_order(
    db: &impl ConnectionTrait,
    t: &tournaments::Model,
    mut active: Vec<tournament_player::Model>,
) -> Result<Vec<tournament_player::Model>, AppError> {
    let strength = crate::services::player_ratings::strengths(db, &active).await?;
    let s = |r: &tournament_player::Model| strength.get(&r.id).copied().unwrap_or(0.0);
    active.sort_by(|a, b| s(b).total_cmp(&s(a)).then(a.position.cmp(&b.position)));
    if format_of(t) == Format::TeamAmericano {
        let n = active.len();
        let mut paired = Vec::with_capacity(n);
        for i in 0..n / 2 {
            paired.push(active[i].clone());
            paired.push(active[n - 1 - i].clone());
        }
        return Ok(paired);
    }
    Ok(active)
}

/// Mexicano round 1: registration order (the organizer's seeding), or by rating.
fn mexicano_first_round(
    t: &tournaments::Model,
    active: &[tournament_player::Model],
) -> Result<Planned, AppError> {
    let ranked: Vec<usize> = active.iter().map(|r| r.id as usize).collect();
    mexicano_plan(t, &ranked, &HashMap::new(), &HashMap::new())
}

fn mexicano_plan(
    t: &tournaments::Model,
    ranked: &[usize],
    partners: &HashMap<(usize, usize), u32>,
    sat_out: &HashMap<usize, u32>,
) -> Result<Planned, AppError> {
    let courts = courts_for(t, ranked.len());
    let (round, report) =
        scheduling::mexicano_round(ranked, partners, sat_out, courts, rule_of(t), true)
            .map_err(sched_err)?;
    let mut planned = to_planned(&[round])
        .pop()
        .ok_or_else(|| AppError::Internal("empty Mexicano round".into()))?;
    planned.repeats_avoided = Some(report.repeats_avoided);
    Ok(planned)
}

/// The next Mexicano round from the current standings, once the previous one is complete.
#[tracing::instrument(skip_all, fields(tournament = t.id))]
pub async fn next_mexicano_round(
    db: &DatabaseConnection,
    actor: &Actor,
    t: &tournaments::Model,
) -> Result<i32, AppError> {
    tsvc::require_manage(db, Some(actor), t).await?;
    if format_of(t) != Format::Mexicano {
        return Err(AppError::Conflict(
            "Only Mexicano adds rounds one at a time.".into(),
        ));
    }
    let txn = db.begin().await?;
    // The version bump takes the write lock first and serialises two presses.
    let t = lock_status(&txn, t.id, TournamentStatus::Live, TournamentStatus::Live).await?;
    let full = tsvc::load_full(&txn, t.clone()).await?;
    if !full.all_complete() {
        return Err(AppError::Conflict(
            "Finish every match of this round first.".into(),
        ));
    }
    if let Some(planned) = t.rounds_planned {
        if full.rounds.len() as i32 >= planned {
            return Err(AppError::Conflict(format!(
                "All {planned} rounds have been played."
            )));
        }
    }
    let active: HashSet<i64> = full.active().map(|r| r.id).collect();
    let ranked: Vec<usize> = full
        .standings()
        .into_iter()
        .filter(|r| active.contains(&r.player_id))
        .map(|r| r.player_id as usize)
        .collect();
    if ranked.len() < 4 {
        return Err(AppError::Conflict(
            "At least 4 active players are needed.".into(),
        ));
    }
    let mut partners: HashMap<(usize, usize), u32> = HashMap::new();
    let mut sat_out: HashMap<usize, u32> = HashMap::new();
    for r in &full.rounds {
        for m in &r.matches {
            for team in [&m.team_a, &m.team_b] {
                let (x, y) = (team[0].0 as usize, team[1].0 as usize);
                *partners.entry((x.min(y), x.max(y))).or_default() += 1;
            }
        }
        for (id, _) in &r.sitting_out {
            *sat_out.entry(*id as usize).or_default() += 1;
        }
    }
    let planned = mexicano_plan(&t, &ranked, &partners, &sat_out)?;
    let number = full.rounds.len() as i32 + 1;
    insert_round(&txn, &t, number, &planned).await?;
    txn.commit().await?;
    Ok(number)
}

// ---- Scores

/// The rules a score must meet; `None` when both fields are empty (a clear).
pub fn validate_score(
    mode: ScoringMode,
    target: i32,
    a: Option<i32>,
    b: Option<i32>,
) -> Result<Option<(i32, i32)>, AppError> {
    let (a, b) = match (a, b) {
        (None, None) => return Ok(None),
        (Some(a), Some(b)) => (a, b),
        (None, Some(_)) => {
            return Err(AppError::field(
                "score_a",
                "Enter both scores, or clear both.",
            ))
        }
        (Some(_), None) => {
            return Err(AppError::field(
                "score_b",
                "Enter both scores, or clear both.",
            ))
        }
    };
    for (field, v) in [("score_a", a), ("score_b", b)] {
        if v < 0 {
            return Err(AppError::field(field, "Scores cannot be negative."));
        }
        if v > 999 {
            return Err(AppError::field(field, "That score is too large."));
        }
    }
    match mode {
        ScoringMode::Points => {
            if a > target || b > target {
                let f = if a > target { "score_a" } else { "score_b" };
                return Err(AppError::field(
                    f,
                    format!("A side can score at most {target}."),
                ));
            }
            if a + b != target {
                return Err(AppError::field(
                    "score_b",
                    format!(
                        "The two scores must add up to {target} ({a} + {b} = {}).",
                        a + b
                    ),
                ));
            }
        }
        ScoringMode::FirstTo => {
            if a == b {
                return Err(AppError::field(
                    "score_b",
                    "A first-to match cannot end in a draw.",
                ));
            }
            if a.max(b) != target {
                return Err(AppError::field(
                    "score_a",
                    format!("The winner must have exactly {target}."),
                ));
            }
        }
        ScoringMode::Time => {
            if a > 99 || b > 99 {
                return Err(AppError::field(
                    "score_a",
                    "Scores above 99 are not plausible for one round.",
                ));
            }
        }
    }
    Ok(Some((a, b)))
}

#[derive(Debug)]
pub struct Saved {
    pub tournament_id: i64,
    pub match_id: i64,
    pub version: i32,
}

/// Saves (or clears) a match's score if `version` is still current: a save
/// based on a stale version is refused with the score now stored.
#[tracing::instrument(skip_all, fields(match_id))]
pub async fn save_score(
    db: &DatabaseConnection,
    actor: &Actor,
    match_id: i64,
    score_a: Option<i32>,
    score_b: Option<i32>,
    version: i32,
) -> Result<Saved, AppError> {
    let m = matches::Entity::find_by_id(match_id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("That match"))?;
    let t = tsvc::get(db, m.tournament_id).await?;
    tsvc::require_manage(db, Some(actor), &t).await?;
    match status_of(&t) {
        TournamentStatus::Live => {}
        TournamentStatus::Finished => {
            return Err(AppError::Conflict(
                "This tournament is finished. Reopen it to change scores.".into(),
            ))
        }
        TournamentStatus::Draft => {
            return Err(AppError::Conflict(
                "This tournament has not started.".into(),
            ))
        }
    }
    let mode = ScoringMode::parse(&t.scoring_mode).unwrap_or(ScoringMode::Points);
    let score = validate_score(mode, t.scoring_target, score_a, score_b)?;
    let txn = db.begin().await?;
    // The conditional UPDATE is the transaction's first statement: it takes
    // the write lock at once (no SQLite lock upgrade), and exactly one of
    // several saves on the same version can match.
    let seq = match score {
        Some(_) => Expr::cust(
            "COALESCE(scored_seq, (SELECT COALESCE(MAX(m2.scored_seq), 0) + 1 FROM matches m2))",
        ),
        None => Expr::cust("NULL"),
    };
    let res = matches::Entity::update_many()
        .col_expr(matches::Column::ScoreA, Expr::value(score.map(|s| s.0)))
        .col_expr(matches::Column::ScoreB, Expr::value(score.map(|s| s.1)))
        .col_expr(matches::Column::Version, plus_one(matches::Column::Version))
        .col_expr(matches::Column::ScoredSeq, seq)
        .col_expr(matches::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(matches::Column::Id.eq(match_id))
        .filter(matches::Column::Version.eq(version))
        .exec(&txn)
        .await?;
    if res.rows_affected != 1 {
        txn.rollback().await?;
        let now = matches::Entity::find_by_id(match_id)
            .one(db)
            .await?
            .ok_or_else(|| AppError::not_found("That match"))?;
        let stored = match (now.score_a, now.score_b) {
            (Some(a), Some(b)) => format!("{a}–{b}"),
            _ => "no score".into(),
        };
        return Err(AppError::Conflict(format!(
            "Someone else changed this match first. It now shows {stored}. Check it and save again if needed."
        )));
    }
    // Ratings move in the same transaction as the score.
    crate::services::player_ratings::on_score_change(&txn, match_id, m.score_a.is_some()).await?;
    bump_version(&txn, t.id).await?;
    if t.started_at.is_some() {
        // Mark the round as under way for its countdown.
        rounds::Entity::update_many()
            .col_expr(rounds::Column::StartedAt, Expr::value(Utc::now()))
            .filter(rounds::Column::Id.eq(m.round_id))
            .filter(rounds::Column::StartedAt.is_null())
            .exec(&txn)
            .await?;
    }
    txn.commit().await?;
    Ok(Saved {
        tournament_id: t.id,
        match_id,
        version: version + 1,
    })
}

/// Bumps the tournament's `score_version`: live views and ETags follow it.
pub(crate) async fn bump_version(
    db: &impl ConnectionTrait,
    tournament_id: i64,
) -> Result<(), AppError> {
    tournaments::Entity::update_many()
        .col_expr(
            tournaments::Column::ScoreVersion,
            plus_one(tournaments::Column::ScoreVersion),
        )
        .filter(tournaments::Column::Id.eq(tournament_id))
        .exec(db)
        .await?;
    Ok(())
}

/// Starts the countdown of a round (time scoring).
/// Returns the round's id.
pub async fn start_round_timer(
    db: &impl ConnectionTrait,
    actor: &Actor,
    t: &tournaments::Model,
    number: i32,
) -> Result<i64, AppError> {
    tsvc::require_manage(db, Some(actor), t).await?;
    let round = rounds::Entity::find()
        .filter(rounds::Column::TournamentId.eq(t.id))
        .filter(rounds::Column::Number.eq(number))
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("That round"))?;
    rounds::Entity::update_many()
        .col_expr(rounds::Column::StartedAt, Expr::value(Utc::now()))
        .filter(rounds::Column::Id.eq(round.id))
        .exec(db)
        .await?;
    bump_version(db, t.id).await?;
    Ok(round.id)
}

/// One match, or 404.
pub async fn find_match(db: &impl ConnectionTrait, id: i64) -> Result<matches::Model, AppError> {
    matches::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("That match"))
}

// ---- Changes mid-event

/// Re-plans the rounds nobody has played yet for the current active players;
/// played rounds stay exactly as they are.
async fn replan(db: &impl ConnectionTrait, t: &tournaments::Model) -> Result<(), AppError> {
    if status_of(t) != TournamentStatus::Live || format_of(t) == Format::Mexicano {
        return Ok(());
    }
    let full = tsvc::load_full(db, t.clone()).await?;
    let active: Vec<tournament_player::Model> = full.active().cloned().collect();
    check_players(t, &active)?;
    let first_unplayed = full
        .rounds
        .iter()
        .position(|r| !r.any_played())
        .unwrap_or(full.rounds.len());
    let remaining = full.rounds.len() - first_unplayed;
    if remaining == 0 {
        return Ok(());
    }
    let played: Vec<scheduling::Round> = full.rounds[..first_unplayed]
        .iter()
        .map(|r| scheduling::Round {
            matches: r
                .matches
                .iter()
                .map(|m| scheduling::Match {
                    court: (m.court - 1).max(0) as usize,
                    team_a: [m.team_a[0].0 as usize, m.team_a[1].0 as usize],
                    team_b: [m.team_b[0].0 as usize, m.team_b[1].0 as usize],
                })
                .collect(),
            sit_outs: r.sitting_out.iter().map(|(id, _)| *id as usize).collect(),
        })
        .collect();
    let ids: Vec<usize> = active.iter().map(|r| r.id as usize).collect();
    let courts = courts_for(t, ids.len());
    let new_rounds = scheduling::replan(&played, &ids, courts, full.rounds.len(), t.seed as u64)
        .map_err(sched_err)?;
    let ids_to_drop: Vec<i64> = full.rounds[first_unplayed..].iter().map(|r| r.id).collect();
    rounds::Entity::delete_many()
        .filter(rounds::Column::Id.is_in(ids_to_drop))
        .exec(db)
        .await?;
    for (i, p) in to_planned(&new_rounds).iter().enumerate() {
        insert_round(db, t, (first_unplayed + i) as i32 + 1, p).await?;
    }
    bump_version(db, t.id).await
}

/// Withdraws a player (or moves a waitlisted one in, `activate`), then
/// re-plans the unplayed rounds. Organizers may do either; a player may take
/// their own registration back before the start.
#[tracing::instrument(skip_all, fields(tournament = t.id, registration = reg_id))]
pub async fn set_player_status(
    db: &DatabaseConnection,
    actor: &Actor,
    t: &tournaments::Model,
    reg_id: i64,
    activate: bool,
) -> Result<(), AppError> {
    if let Err(e) = tsvc::require_manage(db, Some(actor), t).await {
        let own = !activate
            && status_of(t) == TournamentStatus::Draft
            && tsvc::registration(db, t, reg_id)
                .await
                .is_ok_and(|r| r.user_id == Some(actor.id()));
        if !own {
            return Err(e);
        }
    }
    if status_of(t) == TournamentStatus::Finished {
        return Err(AppError::Conflict("This tournament is finished.".into()));
    }
    let txn = db.begin().await?;
    bump_version(&txn, t.id).await?;
    let reg = tsvc::registration(&txn, t, reg_id).await?;
    let has_matches = matches::Entity::find()
        .filter(matches::Column::TournamentId.eq(t.id))
        .filter(
            sea_orm::Condition::any()
                .add(matches::Column::A1.eq(reg_id))
                .add(matches::Column::A2.eq(reg_id))
                .add(matches::Column::B1.eq(reg_id))
                .add(matches::Column::B2.eq(reg_id)),
        )
        .filter(matches::Column::ScoreA.is_not_null())
        .one(&txn)
        .await?
        .is_some();
    let live = status_of(t) == TournamentStatus::Live;
    if !activate && !live {
        // Before the start, removing simply deletes the registration.
        tournament_player::Entity::delete_by_id(reg.id)
            .exec(&txn)
            .await?;
        promote_waitlist(&txn, t).await?;
    } else {
        let status = if activate {
            "active"
        } else if has_matches || live {
            "withdrawn"
        } else {
            "waitlist"
        };
        let mut am: tournament_player::ActiveModel = reg.into();
        am.status = Set(status.into());
        am.update(&txn).await?;
        if live {
            let t_now = tsvc::get(&txn, t.id).await?;
            replan(&txn, &t_now).await?;
        }
    }
    txn.commit().await?;
    Ok(())
}

async fn promote_waitlist(
    db: &impl ConnectionTrait,
    t: &tournaments::Model,
) -> Result<(), AppError> {
    let regs = tsvc::registrations(db, t.id).await?;
    let active = regs.iter().filter(|r| tsvc::is_active(r)).count() as i32;
    if active < t.max_players {
        if let Some(next) = regs.into_iter().find(|r| r.status == "waitlist" && !r.late) {
            let mut am: tournament_player::ActiveModel = next.into();
            am.status = Set("active".into());
            am.update(db).await?;
        }
    }
    Ok(())
}

/// Marks a registration's group (Mixed Americano) before the start.
pub async fn set_group(
    db: &impl ConnectionTrait,
    actor: &Actor,
    t: &tournaments::Model,
    reg_id: i64,
    group: &str,
) -> Result<(), AppError> {
    tsvc::require_manage(db, Some(actor), t).await?;
    let g = match group {
        "A" | "B" => group.to_string(),
        _ => return Err(AppError::field("group", "Choose group A or B.")),
    };
    let reg = tsvc::registration(db, t, reg_id).await?;
    let mut am: tournament_player::ActiveModel = reg.into();
    am.group_label = Set(Some(g));
    am.update(db).await?;
    Ok(())
}

// ---- Finish

#[tracing::instrument(skip_all, fields(tournament = t.id))]
pub async fn finish(
    db: &DatabaseConnection,
    actor: &Actor,
    t: &tournaments::Model,
) -> Result<(), AppError> {
    tsvc::require_manage(db, Some(actor), t).await?;
    let txn = db.begin().await?;
    let t = lock_status(
        &txn,
        t.id,
        TournamentStatus::Live,
        TournamentStatus::Finished,
    )
    .await?;
    let full: Full = tsvc::load_full(&txn, t.clone()).await?;
    if !full.all_complete() {
        return Err(AppError::Conflict(
            "Some matches have no score yet. Enter them before finishing.".into(),
        ));
    }
    tournament_results::Entity::delete_many()
        .filter(tournament_results::Column::TournamentId.eq(t.id))
        .exec(&txn)
        .await?;
    let rows: Vec<tournament_results::ActiveModel> = full
        .standings()
        .into_iter()
        .map(|r| tournament_results::ActiveModel {
            tournament_id: Set(t.id),
            registration_id: Set(r.player_id),
            rank: Set(r.rank as i32),
            points: Set(r.points),
            played: Set(r.played as i32),
            won: Set(r.won as i32),
            drawn: Set(r.drawn as i32),
            lost: Set(r.lost as i32),
            points_for: Set(r.points_for),
            points_against: Set(r.points_against),
            ..Default::default()
        })
        .collect();
    if !rows.is_empty() {
        tournament_results::Entity::insert_many(rows)
            .exec(&txn)
            .await?;
    }
    let mut am: tournaments::ActiveModel = t.into();
    am.finished_at = Set(Some(Utc::now()));
    am.update(&txn).await?;
    txn.commit().await?;
    Ok(())
}

pub async fn reopen(
    db: &DatabaseConnection,
    actor: &Actor,
    t: &tournaments::Model,
) -> Result<(), AppError> {
    tsvc::require_manage(db, Some(actor), t).await?;
    let txn = db.begin().await?;
    let t = lock_status(
        &txn,
        t.id,
        TournamentStatus::Finished,
        TournamentStatus::Live,
    )
    .await?;
    tournament_results::Entity::delete_many()
        .filter(tournament_results::Column::TournamentId.eq(t.id))
        .exec(&txn)
        .await?;
    let mut am: tournaments::ActiveModel = t.into();
    am.finished_at = Set(None);
    am.update(&txn).await?;
    txn.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_total_scores_must_add_up() {
        assert_eq!(
            validate_score(ScoringMode::Points, 24, Some(14), Some(10)).unwrap(),
            Some((14, 10))
        );
        assert!(validate_score(ScoringMode::Points, 24, Some(14), Some(11)).is_err());
        assert!(validate_score(ScoringMode::Points, 24, Some(-1), Some(25)).is_err());
        assert!(validate_score(ScoringMode::Points, 24, Some(25), Some(-1)).is_err());
        assert_eq!(
            validate_score(ScoringMode::Points, 24, Some(12), Some(12)).unwrap(),
            Some((12, 12))
        );
        assert_eq!(
            validate_score(ScoringMode::Points, 24, None, None).unwrap(),
            None
        );
        assert!(validate_score(ScoringMode::Points, 24, Some(14), None).is_err());
    }

    #[test]
    fn first_to_has_one_winner_with_the_target() {
        assert!(validate_score(ScoringMode::FirstTo, 6, Some(6), Some(4)).is_ok());
        assert!(validate_score(ScoringMode::FirstTo, 6, Some(6), Some(6)).is_err());
        assert!(validate_score(ScoringMode::FirstTo, 6, Some(5), Some(4)).is_err());
        assert!(validate_score(ScoringMode::FirstTo, 6, Some(7), Some(4)).is_err());
    }

    #[test]
    fn timed_rounds_allow_draws() {
        assert!(validate_score(ScoringMode::Time, 0, Some(9), Some(9)).is_ok());
        assert!(validate_score(ScoringMode::Time, 0, Some(100), Some(9)).is_err());
    }
}
