//! Player statistics, profiles and club rankings, computed from stored
//! matches and ratings in a fixed number of queries.
use chrono::{DateTime, Duration, Utc};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use std::collections::HashMap;

use crate::entities::{
    matches, player_ratings, rating_history, tournament_player, tournament_results, tournaments,
    users,
};
use crate::error::AppError;
use crate::services::ratings::{self, Rating};

#[derive(Clone, Debug, serde::Serialize)]
pub struct RankRow {
    pub rank: usize,
    pub user_id: Option<i64>,
    pub registration_id: Option<i64>,
    pub name: String,
    pub level: f64,
    pub reliability: f64,
    pub matches: i32,
    /// Places gained (+) or lost (−) since a week ago.
    pub movement: i64,
}

impl RankRow {
    pub fn level_label(&self) -> String {
        format!("{:.2}", self.level)
    }

    pub fn reliability_pct(&self) -> u32 {
        (self.reliability * 100.0).round() as u32
    }
}

/// The club table by rating; guests appear under their registration name.
pub async fn rankings(
    db: &impl ConnectionTrait,
    min_matches: i32,
    search: &str,
    limit: usize,
) -> Result<Vec<RankRow>, AppError> {
    let rows = player_ratings::Entity::find().all(db).await?;
    let user_ids: Vec<i64> = rows.iter().filter_map(|r| r.user_id).collect();
    let reg_ids: Vec<i64> = rows.iter().filter_map(|r| r.registration_id).collect();
    let user_names: HashMap<i64, String> = users::Entity::find()
        .filter(users::Column::Id.is_in(user_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.display_name))
        .collect();
    let reg_names: HashMap<i64, String> = tournament_player::Entity::find()
        .filter(tournament_player::Column::Id.is_in(reg_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.id, r.name))
        .collect();
    // Ratings a week ago: the last history entry before then, per player.
    let week_ago = Utc::now() - Duration::days(7);
    let old: HashMap<i64, f64> = rating_history::Entity::find()
        .filter(rating_history::Column::CreatedAt.lt(week_ago))
        .order_by_asc(rating_history::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|h| (h.player_rating_id, h.mu_after))
        .collect();
    let mut old_order: Vec<(i64, f64)> = rows
        .iter()
        .filter_map(|r| old.get(&r.id).map(|mu| (r.id, *mu)))
        .collect();
    old_order.sort_by(|a, b| b.1.total_cmp(&a.1));
    let old_rank: HashMap<i64, usize> = old_order
        .iter()
        .enumerate()
        .map(|(i, (id, _))| (*id, i + 1))
        .collect();
    let mut sorted = rows;
    sorted.sort_by(|a, b| b.mu.total_cmp(&a.mu).then(a.id.cmp(&b.id)));
    let needle = search.trim().to_lowercase();
    let mut out = Vec::new();
    for (i, r) in sorted.iter().enumerate() {
        let name = match (r.user_id, r.registration_id) {
            (Some(u), _) => user_names.get(&u).cloned().unwrap_or_default(),
            (None, Some(g)) => {
                format!("{} (guest)", reg_names.get(&g).cloned().unwrap_or_default())
            }
            _ => continue,
        };
        if r.matches < min_matches || (!needle.is_empty() && !name.to_lowercase().contains(&needle))
        {
            continue;
        }
        let rating = Rating {
            mu: r.mu,
            sigma: r.sigma,
        };
        out.push(RankRow {
            rank: i + 1,
            user_id: r.user_id,
            registration_id: r.registration_id,
            name,
            level: ratings::to_level(&rating),
            reliability: ratings::reliability(&rating),
            matches: r.matches,
            movement: old_rank
                .get(&r.id)
                .map_or(0, |o| *o as i64 - (i as i64 + 1)),
        });
        if out.len() >= limit {
            break;
        }
    }
    Ok(out)
}

#[derive(Clone, Debug)]
pub struct MatchLine {
    pub tournament: String,
    pub tournament_id: i64,
    pub partner: String,
    pub opponents: String,
    pub own: i32,
    pub other: i32,
    pub when: DateTime<Utc>,
}

impl MatchLine {
    pub fn result(&self) -> char {
        match self.own.cmp(&self.other) {
            std::cmp::Ordering::Greater => 'W',
            std::cmp::Ordering::Equal => 'D',
            std::cmp::Ordering::Less => 'L',
        }
    }
}

#[derive(Clone, Debug, Default)]
pub struct Tally {
    pub name: String,
    pub played: u32,
    pub won: u32,
    pub lost: u32,
}

#[derive(Clone, Debug)]
pub struct Placement {
    pub tournament_id: i64,
    pub name: String,
    pub rank: i32,
    pub of: usize,
    pub when: Option<DateTime<Utc>>,
}

pub struct Profile {
    pub user: users::Model,
    pub rating: Option<Rating>,
    pub matches_rated: i32,
    pub history: Vec<f64>,
    pub lines: Vec<MatchLine>,
    pub placements: Vec<Placement>,
    pub partners: Vec<Tally>,
    pub opponents: Vec<Tally>,
}

impl Profile {
    pub fn played(&self) -> usize {
        self.lines.len()
    }

    pub fn won(&self) -> usize {
        self.lines.iter().filter(|l| l.result() == 'W').count()
    }

    pub fn win_rate(&self) -> u32 {
        if self.lines.is_empty() {
            0
        } else {
            (self.won() as f64 * 100.0 / self.lines.len() as f64).round() as u32
        }
    }

    pub fn avg_points(&self) -> String {
        if self.lines.is_empty() {
            return "–".into();
        }
        let sum: i32 = self.lines.iter().map(|l| l.own).sum();
        format!("{:.1}", f64::from(sum) / self.lines.len() as f64)
    }

    pub fn level(&self) -> String {
        self.rating
            .map(|r| format!("{:.2}", ratings::to_level(&r)))
            .unwrap_or_else(|| "–".into())
    }

    pub fn reliability(&self) -> u32 {
        self.rating
            .map(|r| (ratings::reliability(&r) * 100.0).round() as u32)
            .unwrap_or(0)
    }

    pub fn recent_form(&self) -> String {
        self.lines.iter().take(10).map(MatchLine::result).collect()
    }

    /// The rating over time as an inline SVG (server-rendered; no JS charting).
    pub fn chart_svg(&self) -> String {
        chart(&self.history)
    }
}

pub fn chart(levels: &[f64]) -> String {
    if levels.len() < 2 {
        return String::new();
    }
    let (w, h, pad) = (640.0_f64, 220.0_f64, 36.0_f64);
    let lo = levels
        .iter()
        .copied()
        .fold(f64::INFINITY, f64::min)
        .floor()
        .max(0.0);
    let hi = levels
        .iter()
        .copied()
        .fold(f64::NEG_INFINITY, f64::max)
        .ceil()
        .min(7.0)
        .max(lo + 1.0);
    let x = |i: usize| pad + (w - 2.0 * pad) * i as f64 / (levels.len() - 1) as f64;
    let y = |v: f64| h - pad - (h - 2.0 * pad) * (v - lo) / (hi - lo);
    let points: Vec<String> = levels
        .iter()
        .enumerate()
        .map(|(i, v)| format!("{:.1},{:.1}", x(i), y(*v)))
        .collect();
    let mut grid = String::new();
    let mut v = lo;
    while v <= hi + 1e-9 {
        let gy = y(v);
        grid.push_str(&format!(
            "<line x1=\"{pad}\" x2=\"{:.0}\" y1=\"{gy:.1}\" y2=\"{gy:.1}\" class=\"grid\"/><text x=\"4\" y=\"{:.1}\" class=\"axis\">{v:.1}</text>",
            w - pad,
            gy + 5.0
        ));
        v += if hi - lo > 3.0 { 1.0 } else { 0.5 };
    }
    let last = levels.last().copied().unwrap_or(0.0);
    format!(
        "<svg class=\"chart\" viewBox=\"0 0 {w} {h}\" role=\"img\" aria-label=\"Level over {} matches, now {last:.2}\">{grid}<polyline points=\"{}\" class=\"line\"/><circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"5\" class=\"dot\"/></svg>",
        levels.len() - 1,
        points.join(" "),
        x(levels.len() - 1),
        y(last)
    )
}

pub async fn profile(db: &impl ConnectionTrait, user_id: i64) -> Result<Profile, AppError> {
    let user = users::Entity::find_by_id(user_id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("That player"))?;
    let pr = player_ratings::Entity::find()
        .filter(player_ratings::Column::UserId.eq(user_id))
        .one(db)
        .await?;
    let mut history = Vec::new();
    if let Some(pr) = &pr {
        let hs = rating_history::Entity::find()
            .filter(rating_history::Column::PlayerRatingId.eq(pr.id))
            .order_by_asc(rating_history::Column::Id)
            .all(db)
            .await?;
        if let Some(first) = hs.first() {
            history.push(ratings::to_level(&Rating {
                mu: first.mu_before,
                sigma: first.sigma_before,
            }));
        }
        history.extend(hs.iter().map(|h| {
            ratings::to_level(&Rating {
                mu: h.mu_after,
                sigma: h.sigma_after,
            })
        }));
    }
    let regs = tournament_player::Entity::find()
        .filter(tournament_player::Column::UserId.eq(user_id))
        .all(db)
        .await?;
    let reg_ids: Vec<i64> = regs.iter().map(|r| r.id).collect();
    let ms = matches::Entity::find()
        .filter(
            Condition::any()
                .add(matches::Column::A1.is_in(reg_ids.clone()))
                .add(matches::Column::A2.is_in(reg_ids.clone()))
                .add(matches::Column::B1.is_in(reg_ids.clone()))
                .add(matches::Column::B2.is_in(reg_ids.clone())),
        )
        .filter(matches::Column::ScoreA.is_not_null())
        .order_by_desc(matches::Column::ScoredSeq)
        .all(db)
        .await?;
    let all_regs: Vec<i64> = ms.iter().flat_map(|m| [m.a1, m.a2, m.b1, m.b2]).collect();
    let names: HashMap<i64, (Option<i64>, String)> = tournament_player::Entity::find()
        .filter(tournament_player::Column::Id.is_in(all_regs))
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.id, (r.user_id, r.name)))
        .collect();
    let t_ids: Vec<i64> = regs.iter().map(|r| r.tournament_id).collect();
    let ts: HashMap<i64, tournaments::Model> = tournaments::Entity::find()
        .filter(tournaments::Column::Id.is_in(t_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|t| (t.id, t))
        .collect();
    let name_of = |id: i64| names.get(&id).map(|(_, n)| n.clone()).unwrap_or_default();
    // Partners and opponents are counted per person: an account, or a guest name.
    let who = |id: i64| match names.get(&id) {
        Some((Some(u), n)) => (format!("u{u}"), n.clone()),
        Some((None, n)) => (format!("g{}", n.to_lowercase()), n.clone()),
        None => (format!("r{id}"), String::new()),
    };
    let mut partners: HashMap<String, Tally> = HashMap::new();
    let mut opponents: HashMap<String, Tally> = HashMap::new();
    let mut lines = Vec::new();
    for m in &ms {
        let (Some(a), Some(b)) = (m.score_a, m.score_b) else {
            continue;
        };
        let on_a = reg_ids.contains(&m.a1) || reg_ids.contains(&m.a2);
        let (mine, theirs, own, other) = if on_a {
            ([m.a1, m.a2], [m.b1, m.b2], a, b)
        } else {
            ([m.b1, m.b2], [m.a1, m.a2], b, a)
        };
        let partner = if reg_ids.contains(&mine[0]) {
            mine[1]
        } else {
            mine[0]
        };
        let (won, lost) = (own > other, own < other);
        let (pk, pn) = who(partner);
        let t = partners.entry(pk).or_insert_with(|| Tally {
            name: pn,
            ..Default::default()
        });
        t.played += 1;
        t.won += u32::from(won);
        t.lost += u32::from(lost);
        for o in theirs {
            let (ok, on) = who(o);
            let t = opponents.entry(ok).or_insert_with(|| Tally {
                name: on,
                ..Default::default()
            });
            t.played += 1;
            t.won += u32::from(won);
            t.lost += u32::from(lost);
        }
        let tname = ts
            .get(&m.tournament_id)
            .map(|t| t.name.clone())
            .unwrap_or_default();
        lines.push(MatchLine {
            tournament: tname,
            tournament_id: m.tournament_id,
            partner: name_of(partner),
            opponents: format!("{} & {}", name_of(theirs[0]), name_of(theirs[1])),
            own,
            other,
            when: m.updated_at,
        });
    }
    let mut partners: Vec<Tally> = partners.into_values().collect();
    partners.sort_by(|a, b| {
        (b.won * 100 / b.played.max(1))
            .cmp(&(a.won * 100 / a.played.max(1)))
            .then(b.played.cmp(&a.played))
    });
    partners.truncate(5);
    let mut opponents: Vec<Tally> = opponents.into_values().collect();
    opponents.sort_by(|a, b| {
        (b.lost * 100 / b.played.max(1))
            .cmp(&(a.lost * 100 / a.played.max(1)))
            .then(b.played.cmp(&a.played))
    });
    opponents.truncate(5);
    let results = tournament_results::Entity::find()
        .filter(tournament_results::Column::RegistrationId.is_in(reg_ids.clone()))
        .all(db)
        .await?;
    let mut counts: HashMap<i64, usize> = HashMap::new();
    for r in tournament_results::Entity::find()
        .filter(
            tournament_results::Column::TournamentId
                .is_in(results.iter().map(|r| r.tournament_id).collect::<Vec<_>>()),
        )
        .all(db)
        .await?
    {
        *counts.entry(r.tournament_id).or_default() += 1;
    }
    let mut placements: Vec<Placement> = results
        .iter()
        .map(|r| Placement {
            tournament_id: r.tournament_id,
            name: ts
                .get(&r.tournament_id)
                .map(|t| t.name.clone())
                .unwrap_or_default(),
            rank: r.rank,
            of: counts.get(&r.tournament_id).copied().unwrap_or(0),
            when: ts.get(&r.tournament_id).and_then(|t| t.finished_at),
        })
        .collect();
    placements.sort_by_key(|p| std::cmp::Reverse(p.when));
    Ok(Profile {
        user,
        rating: pr.as_ref().map(|p| Rating {
            mu: p.mu,
            sigma: p.sigma,
        }),
        matches_rated: pr.map(|p| p.matches).unwrap_or(0),
        history,
        lines,
        placements,
        partners,
        opponents,
    })
}

#[derive(Clone, Debug, Default)]
pub struct HeadToHead {
    pub played: u32,
    pub won: u32,
    pub lost: u32,
}

/// Head-to-head between two accounts: the matches where they were opponents.
pub async fn head_to_head(
    db: &impl ConnectionTrait,
    a: i64,
    b: i64,
) -> Result<HeadToHead, AppError> {
    let regs = tournament_player::Entity::find()
        .filter(tournament_player::Column::UserId.is_in([a, b]))
        .all(db)
        .await?;
    let of_a: Vec<i64> = regs
        .iter()
        .filter(|r| r.user_id == Some(a))
        .map(|r| r.id)
        .collect();
    let of_b: Vec<i64> = regs
        .iter()
        .filter(|r| r.user_id == Some(b))
        .map(|r| r.id)
        .collect();
    let both: Vec<i64> = of_a.iter().chain(of_b.iter()).copied().collect();
    let ms = matches::Entity::find()
        .filter(matches::Column::ScoreA.is_not_null())
        .filter(
            Condition::any()
                .add(matches::Column::A1.is_in(both.clone()))
                .add(matches::Column::A2.is_in(both.clone())),
        )
        .filter(
            Condition::any()
                .add(matches::Column::B1.is_in(both.clone()))
                .add(matches::Column::B2.is_in(both)),
        )
        .all(db)
        .await?;
    let mut h = HeadToHead::default();
    for m in ms {
        let (Some(sa), Some(sb)) = (m.score_a, m.score_b) else {
            continue;
        };
        let a_on_a = of_a.contains(&m.a1) || of_a.contains(&m.a2);
        let b_on_b = of_b.contains(&m.b1) || of_b.contains(&m.b2);
        let a_on_b = of_a.contains(&m.b1) || of_a.contains(&m.b2);
        let b_on_a = of_b.contains(&m.a1) || of_b.contains(&m.a2);
        let (own, other) = if a_on_a && b_on_b {
            (sa, sb)
        } else if a_on_b && b_on_a {
            (sb, sa)
        } else {
            continue;
        };
        h.played += 1;
        h.won += u32::from(own > other);
        h.lost += u32::from(own < other);
    }
    Ok(h)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chart_needs_two_points_and_stays_in_its_box() {
        assert!(chart(&[3.0]).is_empty());
        let svg = chart(&[3.0, 3.4, 3.2, 4.1]);
        assert!(svg.starts_with("<svg") && svg.contains("polyline"));
        assert!(svg.contains("now 4.10"));
    }
}
