//! Players as the outside sees them: the rating list, a player's profile and
//! statistics, and their rating history. Read-only; ratings are written by
//! `player_ratings`.
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use std::collections::HashMap;

use crate::entities::{matches, player_ratings, rating_history, tournament_player, users};
use crate::error::AppError;
use crate::services::ratings::{self, Rating};

/// One row of the rating list: an account, or a guest registration.
#[derive(Clone, Debug)]
pub struct Ranked {
    pub rank: u64,
    pub rating_id: i64,
    pub user_id: Option<i64>,
    pub registration_id: Option<i64>,
    pub name: String,
    pub mu: f64,
    pub sigma: f64,
    pub level: f64,
    pub reliability: f64,
    pub matches: i32,
}

/// Where a page of the rating list starts: after this (mu, id).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RankCursor {
    pub mu: f64,
    pub id: i64,
}

fn after(c: RankCursor) -> Condition {
    Condition::any()
        .add(player_ratings::Column::Mu.lt(c.mu))
        .add(
            Condition::all()
                .add(player_ratings::Column::Mu.eq(c.mu))
                .add(player_ratings::Column::Id.lt(c.id)),
        )
}

/// The rating list, best first (mu, then id, descending); returns the page
/// and the cursor of the next page.
pub async fn rankings(
    db: &impl ConnectionTrait,
    cursor: Option<RankCursor>,
    limit: u64,
) -> Result<(Vec<Ranked>, Option<RankCursor>), AppError> {
    let mut q = player_ratings::Entity::find();
    let mut rank = 1;
    if let Some(c) = cursor {
        q = q.filter(after(c));
        use sea_orm::PaginatorTrait;
        rank += player_ratings::Entity::find()
            .filter(after(c).not())
            .count(db)
            .await?;
    }
    let mut rows = q
        .order_by_desc(player_ratings::Column::Mu)
        .order_by_desc(player_ratings::Column::Id)
        .limit(limit + 1)
        .all(db)
        .await?;
    let more = rows.len() as u64 > limit;
    rows.truncate(limit as usize);
    let next = more
        .then(|| rows.last().map(|r| RankCursor { mu: r.mu, id: r.id }))
        .flatten();
    let user_ids: Vec<i64> = rows.iter().filter_map(|r| r.user_id).collect();
    let reg_ids: Vec<i64> = rows.iter().filter_map(|r| r.registration_id).collect();
    let user_names: HashMap<i64, String> = if user_ids.is_empty() {
        HashMap::new()
    } else {
        users::Entity::find()
            .filter(users::Column::Id.is_in(user_ids))
            .all(db)
            .await?
            .into_iter()
            .map(|u| (u.id, u.display_name))
            .collect()
    };
    let guest_names: HashMap<i64, String> = if reg_ids.is_empty() {
        HashMap::new()
    } else {
        tournament_player::Entity::find()
            .filter(tournament_player::Column::Id.is_in(reg_ids))
            .all(db)
            .await?
            .into_iter()
            .map(|r| (r.id, r.name))
            .collect()
    };
    let items = rows
        .into_iter()
        .enumerate()
        .map(|(i, r)| {
            let name = match (r.user_id, r.registration_id) {
                (Some(u), _) => user_names.get(&u).cloned(),
                (None, Some(g)) => guest_names.get(&g).cloned(),
                _ => None,
            }
            .unwrap_or_else(|| "?".into());
            let rating = Rating {
                mu: r.mu,
                sigma: r.sigma,
            };
            Ranked {
                rank: rank + i as u64,
                rating_id: r.id,
                user_id: r.user_id,
                registration_id: r.registration_id,
                name,
                mu: r.mu,
                sigma: r.sigma,
                level: ratings::to_level(&rating),
                reliability: ratings::reliability(&rating),
                matches: r.matches,
            }
        })
        .collect();
    Ok((items, next))
}

/// A player's record over every scored match they played, in any tournament.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Statistics {
    pub tournaments: u32,
    pub matches: u32,
    pub wins: u32,
    pub draws: u32,
    pub losses: u32,
    /// wins / matches, 0 without matches.
    pub win_rate: f64,
    /// Points scored by the player's side per match, 0 without matches.
    pub average_points: f64,
}

pub struct Profile {
    pub user: users::Model,
    pub rating: Option<Rating>,
    pub rated_matches: i32,
    pub stats: Statistics,
}

/// A user's profile, rating and statistics; 404 when there is no such user.
pub async fn profile(db: &impl ConnectionTrait, user_id: i64) -> Result<Profile, AppError> {
    let user = users::Entity::find_by_id(user_id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("That player"))?;
    let rating_row = player_ratings::Entity::find()
        .filter(player_ratings::Column::UserId.eq(user_id))
        .one(db)
        .await?;
    let regs = tournament_player::Entity::find()
        .filter(tournament_player::Column::UserId.eq(user_id))
        .all(db)
        .await?;
    let ids: Vec<i64> = regs.iter().map(|r| r.id).collect();
    let mut tournaments: Vec<i64> = regs.iter().map(|r| r.tournament_id).collect();
    tournaments.sort_unstable();
    tournaments.dedup();
    let played = if ids.is_empty() {
        vec![]
    } else {
        matches::Entity::find()
            .filter(
                Condition::any()
                    .add(matches::Column::A1.is_in(ids.clone()))
                    .add(matches::Column::A2.is_in(ids.clone()))
                    .add(matches::Column::B1.is_in(ids.clone()))
                    .add(matches::Column::B2.is_in(ids.clone())),
            )
            .filter(matches::Column::ScoreA.is_not_null())
            .filter(matches::Column::ScoreB.is_not_null())
            .all(db)
            .await?
    };
    let mut stats = statistics(&ids, &played);
    stats.tournaments = tournaments.len() as u32;
    Ok(Profile {
        user,
        rating: rating_row.as_ref().map(|r| Rating {
            mu: r.mu,
            sigma: r.sigma,
        }),
        rated_matches: rating_row.map_or(0, |r| r.matches),
        stats,
    })
}

/// Wins, draws, losses and points from the side the player was on.
pub fn statistics(registrations: &[i64], played: &[matches::Model]) -> Statistics {
    let mut s = Statistics::default();
    let mut points = 0i64;
    for m in played {
        let (Some(a), Some(b)) = (m.score_a, m.score_b) else {
            continue;
        };
        let on_a = registrations.contains(&m.a1) || registrations.contains(&m.a2);
        let on_b = registrations.contains(&m.b1) || registrations.contains(&m.b2);
        let (own, other) = match (on_a, on_b) {
            (true, false) => (a, b),
            (false, true) => (b, a),
            _ => continue,
        };
        s.matches += 1;
        points += i64::from(own);
        match own.cmp(&other) {
            std::cmp::Ordering::Greater => s.wins += 1,
            std::cmp::Ordering::Equal => s.draws += 1,
            std::cmp::Ordering::Less => s.losses += 1,
        }
    }
    if s.matches > 0 {
        s.win_rate = f64::from(s.wins) / f64::from(s.matches);
        s.average_points = points as f64 / f64::from(s.matches);
    }
    s
}

/// One rating change, with the tournament of its match.
pub struct HistoryEntry {
    pub row: rating_history::Model,
    pub tournament_id: Option<i64>,
}

/// A user's rating changes, oldest first; 404 when there is no such user.
pub async fn rating_history(
    db: &impl ConnectionTrait,
    user_id: i64,
) -> Result<Vec<HistoryEntry>, AppError> {
    if users::Entity::find_by_id(user_id).one(db).await?.is_none() {
        return Err(AppError::not_found("That player"));
    }
    let Some(rating) = player_ratings::Entity::find()
        .filter(player_ratings::Column::UserId.eq(user_id))
        .one(db)
        .await?
    else {
        return Ok(vec![]);
    };
    let rows = rating_history::Entity::find()
        .filter(rating_history::Column::PlayerRatingId.eq(rating.id))
        .order_by_asc(rating_history::Column::Id)
        .all(db)
        .await?;
    let match_ids: Vec<i64> = rows.iter().map(|r| r.match_id).collect();
    let tournament_of: HashMap<i64, i64> = if match_ids.is_empty() {
        HashMap::new()
    } else {
        matches::Entity::find()
            .filter(matches::Column::Id.is_in(match_ids))
            .all(db)
            .await?
            .into_iter()
            .map(|m| (m.id, m.tournament_id))
            .collect()
    };
    Ok(rows
        .into_iter()
        .map(|row| HistoryEntry {
            tournament_id: tournament_of.get(&row.match_id).copied(),
            row,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;

    fn m(a: [i64; 4], sa: i32, sb: i32) -> matches::Model {
        matches::Model {
            id: 1,
            tournament_id: 1,
            round_id: 1,
            court: 1,
            a1: a[0],
            a2: a[1],
            b1: a[2],
            b2: a[3],
            score_a: Some(sa),
            score_b: Some(sb),
            version: 1,
            scored_seq: Some(1),
            updated_at: Utc::now(),
        }
    }

    #[test]
    fn statistics_count_from_the_players_side() {
        let played = [
            m([1, 2, 3, 4], 14, 10),
            m([3, 4, 1, 5], 15, 9),
            m([1, 6, 7, 8], 12, 12),
        ];
        let s = statistics(&[1], &played);
        assert_eq!((s.matches, s.wins, s.draws, s.losses), (3, 1, 1, 1));
        assert!((s.average_points - (14.0 + 9.0 + 12.0) / 3.0).abs() < 1e-9);
        assert!((s.win_rate - 1.0 / 3.0).abs() < 1e-9);
        assert_eq!(statistics(&[99], &played), Statistics::default());
    }
}
