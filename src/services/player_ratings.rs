//! Ratings in the database. A new latest score is applied incrementally;
//! an edit or clear replays the history, so stored ratings always equal a
//! full replay of the scored matches in the order they were first scored.
use chrono::Utc;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, QueryFilter, QueryOrder, Set, Statement,
};
use std::collections::{BTreeMap, HashMap};
use std::fmt;

use crate::entities::{matches, player_ratings, rating_history, tournament_player, users};
use crate::error::AppError;
use crate::services::ratings::{self, MatchRecord, Params, Rating};

/// Who a rating belongs to: an account, or a guest registration.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Key {
    User(i64),
    Guest(i64),
}

impl Key {
    fn of(r: &tournament_player::Model) -> Key {
        match r.user_id {
            Some(u) => Key::User(u),
            None => Key::Guest(r.id),
        }
    }
}

/// Serialises rating writes across PostgreSQL instances (SQLite has one writer).
async fn lock(db: &impl ConnectionTrait) -> Result<(), AppError> {
    if db.get_database_backend() == DbBackend::Postgres {
        db.execute_raw(Statement::from_string(
            DbBackend::Postgres,
            "SELECT pg_advisory_xact_lock(7316)",
        ))
        .await?;
    }
    Ok(())
}

async fn self_levels(
    db: &impl ConnectionTrait,
    keys: &[Key],
) -> Result<HashMap<i64, Option<f64>>, AppError> {
    let ids: Vec<i64> = keys
        .iter()
        .filter_map(|k| if let Key::User(u) = k { Some(*u) } else { None })
        .collect();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(users::Entity::find()
        .filter(users::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.self_level))
        .collect())
}

fn initial_for(key: Key, levels: &HashMap<i64, Option<f64>>, p: &Params) -> Rating {
    match key {
        Key::User(u) => ratings::initial(levels.get(&u).copied().flatten(), p),
        Key::Guest(_) => ratings::initial(None, p),
    }
}

fn find_stmt(key: Key) -> sea_orm::Select<player_ratings::Entity> {
    match key {
        Key::User(u) => player_ratings::Entity::find().filter(player_ratings::Column::UserId.eq(u)),
        Key::Guest(g) => {
            player_ratings::Entity::find().filter(player_ratings::Column::RegistrationId.eq(g))
        }
    }
}

fn new_row(key: Key, r: Rating, n: i32) -> player_ratings::ActiveModel {
    let (user_id, registration_id) = match key {
        Key::User(u) => (Some(u), None),
        Key::Guest(g) => (None, Some(g)),
    };
    player_ratings::ActiveModel {
        user_id: Set(user_id),
        registration_id: Set(registration_id),
        mu: Set(r.mu),
        sigma: Set(r.sigma),
        matches: Set(n),
        updated_at: Set(Utc::now()),
        ..Default::default()
    }
}

/// Called inside the score transaction after the match row changed.
/// `appended`: the match had no score before and is now the latest scored.
pub async fn on_score_change(
    db: &impl ConnectionTrait,
    match_id: i64,
    was_scored: bool,
) -> Result<(), AppError> {
    lock(db).await?;
    let m = matches::Entity::find_by_id(match_id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("That match"))?;
    let latest = matches::Entity::find()
        .filter(matches::Column::ScoredSeq.is_not_null())
        .order_by_desc(matches::Column::ScoredSeq)
        .order_by_desc(matches::Column::Id)
        .one(db)
        .await?;
    let appended =
        !was_scored && m.score_a.is_some() && latest.as_ref().map(|l| l.id) == Some(m.id);
    if appended {
        apply_one(db, &m).await
    } else {
        rebuild(db, true).await.map(|_| ())
    }
}

async fn apply_one(db: &impl ConnectionTrait, m: &matches::Model) -> Result<(), AppError> {
    let (Some(a), Some(b)) = (m.score_a, m.score_b) else {
        return Ok(());
    };
    let regs: HashMap<i64, tournament_player::Model> = tournament_player::Entity::find()
        .filter(tournament_player::Column::Id.is_in([m.a1, m.a2, m.b1, m.b2]))
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.id, r))
        .collect();
    let key = |id: i64| {
        regs.get(&id)
            .map(Key::of)
            .ok_or_else(|| AppError::Internal("registration missing".into()))
    };
    let keys = [key(m.a1)?, key(m.a2)?, key(m.b1)?, key(m.b2)?];
    let p = Params::default();
    let levels = self_levels(db, &keys).await?;
    let mut rows = Vec::with_capacity(4);
    for k in keys {
        rows.push(find_stmt(k).one(db).await?);
    }
    let before: Vec<Rating> = keys
        .iter()
        .zip(&rows)
        .map(|(k, r)| match r {
            Some(r) => Rating {
                mu: r.mu,
                sigma: r.sigma,
            },
            None => initial_for(*k, &levels, &p),
        })
        .collect();
    // A player listed twice (should not happen) is skipped exactly like replay does.
    let mut uniq = keys.to_vec();
    uniq.sort();
    uniq.dedup();
    if uniq.len() != 4 || (a == 0 && b == 0) {
        return Ok(());
    }
    let (ta, tb) = ratings::update(
        [before[0], before[1]],
        [before[2], before[3]],
        a.max(0) as u32,
        b.max(0) as u32,
        &p,
    );
    let after = [ta[0], ta[1], tb[0], tb[1]];
    for i in 0..4 {
        let id = match &rows[i] {
            Some(row) => {
                player_ratings::Entity::update_many()
                    .col_expr(
                        player_ratings::Column::Mu,
                        sea_orm::sea_query::Expr::value(after[i].mu),
                    )
                    .col_expr(
                        player_ratings::Column::Sigma,
                        sea_orm::sea_query::Expr::value(after[i].sigma),
                    )
                    .col_expr(
                        player_ratings::Column::Matches,
                        sea_orm::sea_query::Expr::value(row.matches + 1),
                    )
                    .col_expr(
                        player_ratings::Column::UpdatedAt,
                        sea_orm::sea_query::Expr::value(Utc::now()),
                    )
                    .filter(player_ratings::Column::Id.eq(row.id))
                    .exec(db)
                    .await?;
                row.id
            }
            None => {
                player_ratings::Entity::insert(new_row(keys[i], after[i], 1))
                    .exec(db)
                    .await?
                    .last_insert_id
            }
        };
        rating_history::Entity::insert(rating_history::ActiveModel {
            player_rating_id: Set(id),
            match_id: Set(m.id),
            mu_before: Set(before[i].mu),
            sigma_before: Set(before[i].sigma),
            mu_after: Set(after[i].mu),
            sigma_after: Set(after[i].sigma),
            created_at: Set(Utc::now()),
            ..Default::default()
        })
        .exec(db)
        .await?;
    }
    Ok(())
}

/// Current rating strength (mu) of registrations; unrated players start from
/// their self-assessed level, guests from the middle.
pub async fn strengths(
    db: &impl ConnectionTrait,
    regs: &[tournament_player::Model],
) -> Result<HashMap<i64, f64>, AppError> {
    let keys: Vec<Key> = regs.iter().map(Key::of).collect();
    let user_ids: Vec<i64> = keys
        .iter()
        .filter_map(|k| if let Key::User(u) = k { Some(*u) } else { None })
        .collect();
    let guest_ids: Vec<i64> = keys
        .iter()
        .filter_map(|k| {
            if let Key::Guest(g) = k {
                Some(*g)
            } else {
                None
            }
        })
        .collect();
    let rows = player_ratings::Entity::find()
        .filter(
            sea_orm::Condition::any()
                .add(player_ratings::Column::UserId.is_in(user_ids))
                .add(player_ratings::Column::RegistrationId.is_in(guest_ids)),
        )
        .all(db)
        .await?;
    let stored: HashMap<Key, f64> = rows
        .iter()
        .filter_map(|r| match (r.user_id, r.registration_id) {
            (Some(u), _) => Some((Key::User(u), r.mu)),
            (None, Some(g)) => Some((Key::Guest(g), r.mu)),
            _ => None,
        })
        .collect();
    let levels = self_levels(db, &keys).await?;
    let p = Params::default();
    Ok(regs
        .iter()
        .zip(&keys)
        .map(|(r, k)| {
            (
                r.id,
                stored
                    .get(k)
                    .copied()
                    .unwrap_or_else(|| initial_for(*k, &levels, &p).mu),
            )
        })
        .collect())
}

#[derive(Debug, Default)]
pub struct RebuildReport {
    pub matches: usize,
    pub players: usize,
    pub differences: Vec<String>,
}

impl fmt::Display for RebuildReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "replayed {} matches for {} players",
            self.matches, self.players
        )?;
        if self.differences.is_empty() {
            write!(f, "stored ratings equal the replay: no differences")
        } else {
            writeln!(
                f,
                "{} difference(s) found and repaired:",
                self.differences.len()
            )?;
            for d in &self.differences {
                writeln!(f, "  {d}")?;
            }
            Ok(())
        }
    }
}

/// Replays every scored match; reports where the stored ratings differ, and
/// (with `write`) replaces them and the history with the replay.
pub async fn rebuild(db: &impl ConnectionTrait, write: bool) -> Result<RebuildReport, AppError> {
    lock(db).await?;
    let scored = matches::Entity::find()
        .filter(matches::Column::ScoredSeq.is_not_null())
        .filter(matches::Column::ScoreA.is_not_null())
        .order_by_asc(matches::Column::ScoredSeq)
        .order_by_asc(matches::Column::Id)
        .all(db)
        .await?;
    let regs: HashMap<i64, Key> = tournament_player::Entity::find()
        .all(db)
        .await?
        .iter()
        .map(|r| (r.id, Key::of(r)))
        .collect();
    let mut records = Vec::with_capacity(scored.len());
    let mut match_ids = Vec::with_capacity(scored.len());
    for m in &scored {
        let k = |id: i64| regs.get(&id).copied().unwrap_or(Key::Guest(id));
        records.push(MatchRecord {
            team_a: [k(m.a1), k(m.a2)],
            team_b: [k(m.b1), k(m.b2)],
            score_a: m.score_a.unwrap_or(0).max(0) as u32,
            score_b: m.score_b.unwrap_or(0).max(0) as u32,
        });
        match_ids.push(m.id);
    }
    let all_keys: Vec<Key> = records
        .iter()
        .flat_map(|r| r.team_a.iter().chain(r.team_b.iter()).copied())
        .collect();
    let p = Params::default();
    let levels = self_levels(db, &all_keys).await?;
    let initial: BTreeMap<Key, Rating> = all_keys
        .iter()
        .map(|k| (*k, initial_for(*k, &levels, &p)))
        .collect();
    let out = ratings::replay(&initial, &records, &p);
    let stored = player_ratings::Entity::find().all(db).await?;
    let mut report = RebuildReport {
        matches: records.len(),
        players: out.ratings.len(),
        differences: vec![],
    };
    let mut stored_map: HashMap<Key, (f64, f64)> = HashMap::new();
    for s in &stored {
        let key = match (s.user_id, s.registration_id) {
            (Some(u), _) => Key::User(u),
            (None, Some(g)) => Key::Guest(g),
            _ => continue,
        };
        stored_map.insert(key, (s.mu, s.sigma));
    }
    let mut counts: HashMap<Key, i32> = HashMap::new();
    for h in &out.history {
        *counts.entry(h.player).or_default() += 1;
    }
    for (k, r) in &out.ratings {
        if counts.get(k).copied().unwrap_or(0) == 0 {
            continue;
        }
        match stored_map.remove(k) {
            Some((mu, sigma)) if mu == r.mu && sigma == r.sigma => {}
            Some((mu, sigma)) => report.differences.push(format!(
                "{k:?}: stored {mu:.6}/{sigma:.6}, replay {:.6}/{:.6}",
                r.mu, r.sigma
            )),
            None => report
                .differences
                .push(format!("{k:?}: missing, replay {:.6}/{:.6}", r.mu, r.sigma)),
        }
    }
    for (k, _) in stored_map {
        report
            .differences
            .push(format!("{k:?}: stored but has no scored matches"));
    }
    if write {
        // Deleting ratings cascades to their history; then write the replay.
        player_ratings::Entity::delete_many().exec(db).await?;
        let mut ids: HashMap<Key, i64> = HashMap::new();
        for (k, r) in &out.ratings {
            let n = counts.get(k).copied().unwrap_or(0);
            if n == 0 {
                continue;
            }
            let id = player_ratings::Entity::insert(new_row(*k, *r, n))
                .exec(db)
                .await?
                .last_insert_id;
            ids.insert(*k, id);
        }
        let now = Utc::now();
        let rows: Vec<rating_history::ActiveModel> = out
            .history
            .iter()
            .filter_map(|h| {
                Some(rating_history::ActiveModel {
                    player_rating_id: Set(*ids.get(&h.player)?),
                    match_id: Set(*match_ids.get(h.match_index)?),
                    mu_before: Set(h.before.mu),
                    sigma_before: Set(h.before.sigma),
                    mu_after: Set(h.after.mu),
                    sigma_after: Set(h.after.sigma),
                    created_at: Set(now),
                    ..Default::default()
                })
            })
            .collect();
        for chunk in rows.chunks(500) {
            rating_history::Entity::insert_many(chunk.to_vec())
                .exec(db)
                .await?;
        }
    }
    Ok(report)
}
