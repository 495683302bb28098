//! The rotating-partner engine shared by Americano, Mixed Americano, `extend` and `replan`.
//!
//! Players are indices `0..n` here; labels are applied by the caller. A plan is made in
//! three deterministic steps: fair sit-outs, a seeded simulated-annealing pass over who
//! plays with/against whom (fixed iteration budget, so runtime is bounded), and a
//! court-balancing pass.

use super::rng::Rng;

/// One round in index space: games are `[a, b, c, d]` = (a, b) vs (c, d), in court order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct RawRound {
    pub games: Vec<[usize; 4]>,
    pub sit: Vec<usize>,
}

/// What earlier rounds did; new rounds are planned against it.
#[derive(Clone, Debug)]
pub(crate) struct History {
    pub n: usize,
    pub courts: usize,
    pub partner: Vec<u32>,
    pub opp: Vec<u32>,
    pub played: Vec<u32>,
    pub sat: Vec<u32>,
    /// Whether the player sat out the most recent round.
    pub sat_last: Vec<bool>,
    /// Round index (1-based) of the player's latest sit-out, 0 = never.
    pub last_sat: Vec<usize>,
    /// Consecutive rounds sat out up to now.
    pub streak: Vec<u32>,
    pub court: Vec<u32>,
    pub rounds: usize,
}

#[inline]
fn pix(n: usize, a: usize, b: usize) -> usize {
    if a < b {
        a * n + b
    } else {
        b * n + a
    }
}

impl History {
    pub(crate) fn new(n: usize, courts: usize) -> Self {
        History {
            n,
            courts,
            partner: vec![0; n * n],
            opp: vec![0; n * n],
            played: vec![0; n],
            sat: vec![0; n],
            sat_last: vec![false; n],
            last_sat: vec![0; n],
            streak: vec![0; n],
            court: vec![0; n * courts.max(1)],
            rounds: 0,
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.rounds == 0
    }

    /// Records a round; players outside `0..n` (departed) are ignored.
    pub(crate) fn record(&mut self, r: &RawRound, courts_of_games: &[usize]) {
        let n = self.n;
        let ok = |p: usize| p < n;
        self.rounds += 1;
        self.sat_last.iter_mut().for_each(|s| *s = false);
        let before = std::mem::replace(&mut self.streak, vec![0; n]);
        for (gi, g) in r.games.iter().enumerate() {
            for &p in g.iter().filter(|&&p| ok(p)) {
                self.played[p] += 1;
                let c = courts_of_games.get(gi).copied().unwrap_or(gi);
                if c < self.courts {
                    self.court[p * self.courts + c] += 1;
                }
            }
            for (a, b) in [(g[0], g[1]), (g[2], g[3])] {
                if ok(a) && ok(b) {
                    self.partner[pix(n, a, b)] += 1;
                }
            }
            for (a, b) in [(g[0], g[2]), (g[0], g[3]), (g[1], g[2]), (g[1], g[3])] {
                if ok(a) && ok(b) {
                    self.opp[pix(n, a, b)] += 1;
                }
            }
        }
        for &p in r.sit.iter().filter(|&&p| ok(p)) {
            self.sat[p] += 1;
            self.sat_last[p] = true;
            self.last_sat[p] = self.rounds;
            self.streak[p] = before[p] + 1;
        }
    }
}

/// Optional two-group constraint (Mixed Americano): each team has one player of each group.
pub(crate) type Groups<'a> = Option<&'a [bool]>;

/// Picks `count` sit-outs among `cands`: shortest current sit-out streak first (so nobody
/// sits out twice in a row when avoidable), then whoever has played most, then a seeded
/// random order (fresh each round, so one-court schedules vary who plays together).
fn pick_sitouts(cands: &[usize], count: usize, h: &History, rng: &mut Rng) -> Vec<usize> {
    let mut v = cands.to_vec();
    // A fresh random tie-break each round: a fixed one would make the same groups of
    // four play together again and again with one court.
    let tiebreak: Vec<u64> = (0..h.n).map(|_| rng.next_u64()).collect();
    v.sort_by_key(|&p| (h.streak[p], std::cmp::Reverse(h.played[p]), tiebreak[p]));
    v.truncate(count);
    v
}

/// Fair sit-outs for `rounds` new rounds (simulated forward on a copy of the history).
fn plan_sitouts(
    h: &History,
    courts: usize,
    rounds: usize,
    groups: Groups,
    rng: &mut Rng,
) -> Vec<(Vec<usize>, Vec<usize>)> {
    let n = h.n;
    let mut sim = h.clone();
    let mut out = Vec::with_capacity(rounds);
    for _ in 0..rounds {
        let sit: Vec<usize> = match groups {
            None => {
                let all: Vec<usize> = (0..n).collect();
                pick_sitouts(&all, n - 4 * courts, &sim, rng)
            }
            Some(gr) => {
                let a: Vec<usize> = (0..n).filter(|&p| gr[p]).collect();
                let b: Vec<usize> = (0..n).filter(|&p| !gr[p]).collect();
                let mut s = pick_sitouts(&a, a.len() - 2 * courts, &sim, rng);
                s.extend(pick_sitouts(&b, b.len() - 2 * courts, &sim, rng));
                s
            }
        };
        let mut sitting = vec![false; n];
        sit.iter().for_each(|&p| sitting[p] = true);
        let playing: Vec<usize> = (0..n).filter(|&p| !sitting[p]).collect();
        // Only sit-out bookkeeping matters for the forward simulation.
        sim.rounds += 1;
        for (p, &sits) in sitting.iter().enumerate() {
            sim.sat_last[p] = sits;
            if sits {
                sim.sat[p] += 1;
                sim.last_sat[p] = sim.rounds;
                sim.streak[p] += 1;
            } else {
                sim.streak[p] = 0;
                sim.played[p] += 1;
            }
        }
        out.push((playing, sit));
    }
    out
}

const PARTNER_WEIGHT: i64 = 10_000;

/// Cost change of adding (`s = 1`) or removing (`s = -1`) one game.
#[inline]
fn game_delta(n: usize, pc: &mut [u32], oc: &mut [u32], g: &[usize], s: i32) -> i64 {
    let mut d = 0i64;
    for (a, b) in [(g[0], g[1]), (g[2], g[3])] {
        let i = pix(n, a, b);
        let before = pc[i] as i64;
        pc[i] = (pc[i] as i32 + s) as u32;
        let after = pc[i] as i64;
        d += PARTNER_WEIGHT * ((after - 1).max(0) - (before - 1).max(0));
    }
    for (a, b) in [(g[0], g[2]), (g[0], g[3]), (g[1], g[2]), (g[1], g[3])] {
        let i = pix(n, a, b);
        let before = oc[i] as i64;
        oc[i] = (oc[i] as i32 + s) as u32;
        let after = oc[i] as i64;
        d += after * after - before * before;
    }
    d
}

/// Minimum of sum(c^2) when `slots` units are spread over `pairs` counters.
fn spread_sq(slots: u64, pairs: u64) -> i64 {
    if pairs == 0 {
        return 0;
    }
    let (q, r) = (slots / pairs, slots % pairs);
    ((pairs - r) * q * q + r * (q + 1) * (q + 1)) as i64
}

/// Plans `rounds` new rounds on `courts` courts after history `h`.
///
/// `init` (same length as `rounds`) seeds the search, e.g. with a whist design; its
/// sit-outs are kept. Returns rounds with games already in court order.
pub(crate) fn plan(
    h: &History,
    courts: usize,
    rounds: usize,
    groups: Groups,
    init: Option<Vec<RawRound>>,
    rng: &mut Rng,
) -> Vec<RawRound> {
    // slots[r] = the 4*courts playing players; game k is slots[r][4k..4k+4].
    let (mut slots, sits): (Vec<Vec<usize>>, Vec<Vec<usize>>) = match init {
        Some(init) => init
            .into_iter()
            .map(|r| (r.games.iter().flatten().copied().collect(), r.sit))
            .unzip(),
        None => plan_sitouts(h, courts, rounds, groups, rng)
            .into_iter()
            .map(|(mut playing, sit)| {
                rng.shuffle(&mut playing);
                if let Some(gr) = groups {
                    // Interleave so that even slots hold group A and odd slots group B.
                    let a: Vec<usize> = playing.iter().copied().filter(|&p| gr[p]).collect();
                    let b: Vec<usize> = playing.iter().copied().filter(|&p| !gr[p]).collect();
                    playing = a.iter().zip(&b).flat_map(|(&x, &y)| [x, y]).collect();
                }
                (playing, sit)
            })
            .unzip(),
    };
    anneal(h, &mut slots, groups, rng);
    let raw: Vec<RawRound> = slots
        .into_iter()
        .zip(sits)
        .map(|(s, sit)| RawRound {
            games: s
                .chunks_exact(4)
                .map(|g| [g[0], g[1], g[2], g[3]])
                .collect(),
            sit,
        })
        .collect();
    assign_courts(h, courts, raw, rng)
}

/// Simulated annealing over swaps of two players inside one round.
fn anneal(h: &History, slots: &mut [Vec<usize>], groups: Groups, rng: &mut Rng) {
    let n = h.n;
    let mut pc = h.partner.clone();
    let mut oc = h.opp.clone();
    for s in slots.iter() {
        for g in s.chunks_exact(4) {
            game_delta(n, &mut pc, &mut oc, g, 1);
        }
    }
    let games: u64 = slots.iter().map(|s| (s.len() / 4) as u64).sum();
    if games == 0 {
        return;
    }
    // A lower bound on the cost lets perfect designs (whist) skip the search entirely.
    let bound = if h.is_empty() {
        match groups {
            None => {
                let pairs = (n * (n - 1) / 2) as u64;
                PARTNER_WEIGHT * (2 * games).saturating_sub(pairs) as i64
                    + spread_sq(4 * games, pairs)
            }
            Some(gr) => {
                let a = gr.iter().filter(|&&x| x).count() as u64;
                let b = n as u64 - a;
                PARTNER_WEIGHT * (2 * games).saturating_sub(a * b) as i64
                    + spread_sq(games, a * a.saturating_sub(1) / 2)
                    + spread_sq(games, b * b.saturating_sub(1) / 2)
                    + spread_sq(2 * games, a * b)
            }
        }
    } else {
        i64::MIN
    };
    let mut cost: i64 = (0..n * n)
        .map(|i| PARTNER_WEIGHT * (pc[i] as i64 - 1).max(0) + (oc[i] as i64) * (oc[i] as i64))
        .sum();
    if cost <= bound {
        return;
    }
    // Fixed budgets keep generation within 5 / 50 / 500 ms for N ≤ 16 / 32 / 64.
    let cap = match n {
        0..=16 => 20_000,
        17..=32 => 200_000,
        _ => MAX_ITERS,
    };
    let iters = (games * ITERS_PER_GAME).min(cap);
    let (t0, t1) = (3.0f64, 0.05f64);
    let rounds = slots.len();
    let mut temp = t0;
    for it in 0..iters {
        if it % 256 == 0 {
            temp = t0 * (t1 / t0).powf(it as f64 / iters as f64);
        }
        let r = rng.below(rounds);
        let len = slots[r].len();
        if len < 4 {
            continue;
        }
        let i = rng.below(len);
        let mut j = rng.below(len);
        // Half the moves swap whole teams between games: partners stay, opponents change.
        let team_move = len >= 8 && rng.below(2) == 0;
        if team_move {
            j &= !1;
        } else if groups.is_some() && j % 2 != i % 2 {
            j ^= 1; // keep group A on even slots, B on odd
        }
        let (gi, gj) = (i / 4, j / 4);
        if i / 2 == j / 2 || (team_move && gi == gj) {
            continue; // no change
        }
        let s = &mut slots[r];
        let mut d = game_delta(n, &mut pc, &mut oc, &s[gi * 4..gi * 4 + 4], -1);
        if gj != gi {
            d += game_delta(n, &mut pc, &mut oc, &s[gj * 4..gj * 4 + 4], -1);
        }
        let i = if team_move { i & !1 } else { i };
        let swap = |s: &mut Vec<usize>| {
            s.swap(i, j);
            if team_move {
                s.swap(i + 1, j + 1);
            }
        };
        swap(s);
        d += game_delta(n, &mut pc, &mut oc, &s[gi * 4..gi * 4 + 4], 1);
        if gj != gi {
            d += game_delta(n, &mut pc, &mut oc, &s[gj * 4..gj * 4 + 4], 1);
        }
        // Moves far uphill (e.g. a new partner repeat) are never taken: skip the exp.
        if d <= 0 || ((d as f64) < 30.0 * temp && rng.unit() < (-(d as f64) / temp).exp()) {
            cost += d;
            if cost <= bound {
                return;
            }
        } else {
            // Undo.
            game_delta(n, &mut pc, &mut oc, &s[gi * 4..gi * 4 + 4], -1);
            if gj != gi {
                game_delta(n, &mut pc, &mut oc, &s[gj * 4..gj * 4 + 4], -1);
            }
            swap(s);
            game_delta(n, &mut pc, &mut oc, &s[gi * 4..gi * 4 + 4], 1);
            if gj != gi {
                game_delta(n, &mut pc, &mut oc, &s[gj * 4..gj * 4 + 4], 1);
            }
        }
    }
}

const ITERS_PER_GAME: u64 = 2_000;
const MAX_ITERS: u64 = 1_600_000;

/// Orders each round's games onto courts so that every player's court counts stay even:
/// a min-cost assignment per round, then pairwise swaps on a convex (sum of squares) cost.
pub(crate) fn assign_courts(
    h: &History,
    courts: usize,
    mut raw: Vec<RawRound>,
    rng: &mut Rng,
) -> Vec<RawRound> {
    let mut cc = h.court.clone();
    // Exponential in how far a court is above the player's least-used court, so one
    // player drifting away from balance outweighs many small differences.
    let cnt = |cc: &[u32], g: &[usize; 4], c: usize| -> i64 {
        g.iter()
            .map(|&p| {
                let row = &cc[p * courts..(p + 1) * courts];
                let lo = row.iter().min().copied().unwrap_or(0);
                1i64 << (3 * (row[c] - lo)).min(60)
            })
            .sum()
    };
    let mut order: Vec<Vec<usize>> = Vec::with_capacity(raw.len());
    for r in &raw {
        let cost: Vec<Vec<i64>> = r
            .games
            .iter()
            .map(|g| (0..courts).map(|c| cnt(&cc, g, c)).collect())
            .collect();
        let a = hungarian(&cost, courts);
        for (gi, g) in r.games.iter().enumerate() {
            for &p in g {
                cc[p * courts + a[gi]] += 1;
            }
        }
        order.push(a);
    }
    improve_courts(&raw, courts, &mut cc, &mut order, rng);
    for (r, ord) in raw.iter_mut().zip(order) {
        let mut idx: Vec<usize> = (0..r.games.len()).collect();
        idx.sort_by_key(|&g| ord[g]);
        r.games = idx.iter().map(|&g| r.games[g]).collect();
    }
    raw
}

/// Per-player court spread (most − fewest games on one court).
fn spread(cc: &[u32], p: usize, courts: usize) -> i64 {
    let row = &cc[p * courts..(p + 1) * courts];
    let (mut lo, mut hi) = (u32::MAX, 0);
    for &x in row {
        lo = lo.min(x);
        hi = hi.max(x);
    }
    (hi - lo) as i64
}

/// Local search on court swaps inside a round. The greedy assignment can get stuck
/// (cyclic designs make every single swap neutral for sum of squares), so the cost
/// punishes spreads above 1 directly and accepts neutral moves.
fn improve_courts(
    raw: &[RawRound],
    courts: usize,
    cc: &mut [u32],
    order: &mut [Vec<usize>],
    rng: &mut Rng,
) {
    let rounds = raw.len();
    if courts < 2 || rounds == 0 {
        return;
    }
    let pen = |cc: &[u32], p: usize| {
        let row = &cc[p * courts..(p + 1) * courts];
        let lo = row.iter().min().copied().unwrap_or(0);
        row.iter()
            .map(|&x| 1i64 << (2 * (x - lo)).min(60))
            .sum::<i64>()
    };
    let n = cc.len() / courts;
    let mut bad: i64 = (0..n).map(|p| (spread(cc, p, courts) - 1).max(0)).sum();
    let mut total: i64 = (0..n).map(|p| pen(cc, p)).sum();
    let mut best = (bad, total);
    let mut best_order = order.to_vec();
    let mut best_cc = cc.to_vec();
    let iters = 8 * rounds * courts;
    for it in 0..iters {
        if bad == 0 {
            break;
        }
        let r = rng.below(rounds);
        let g = raw[r].games.len();
        if g == 0 {
            continue;
        }
        let x = rng.below(g);
        let target = rng.below(courts);
        let y = order[r].iter().position(|&c| c == target);
        if y == Some(x) {
            continue;
        }
        let (cx, cy) = (order[r][x], target);
        let mut buf = [0usize; 8];
        buf[..4].copy_from_slice(&raw[r].games[x]);
        if let Some(y) = y {
            buf[4..].copy_from_slice(&raw[r].games[y]);
        }
        let players = &buf[..if y.is_some() { 8 } else { 4 }];
        let before: i64 = players.iter().map(|&p| pen(cc, p)).sum();
        let bad_before: i64 = players
            .iter()
            .map(|&p| (spread(cc, p, courts) - 1).max(0))
            .sum();
        let mv = |cc: &mut [u32], back: bool| {
            let (from, to) = if back { (cy, cx) } else { (cx, cy) };
            for &p in &raw[r].games[x] {
                cc[p * courts + from] -= 1;
                cc[p * courts + to] += 1;
            }
            if let Some(y) = y {
                for &p in &raw[r].games[y] {
                    cc[p * courts + to] -= 1;
                    cc[p * courts + from] += 1;
                }
            }
        };
        mv(cc, false);
        let after: i64 = players.iter().map(|&p| pen(cc, p)).sum();
        let temp = 4.0 * (1.0 - it as f64 / iters as f64) + 0.3;
        if after <= before || rng.unit() < (-((after - before) as f64) / temp).exp() {
            order[r][x] = cy;
            if let Some(y) = y {
                order[r][y] = cx;
            }
            bad += players
                .iter()
                .map(|&p| (spread(cc, p, courts) - 1).max(0))
                .sum::<i64>()
                - bad_before;
            total += after - before;
            if (bad, total) < best {
                best = (bad, total);
                best_order.clone_from_slice(order);
                best_cc.copy_from_slice(cc);
            }
        } else {
            mv(cc, true);
        }
    }
    order.clone_from_slice(&best_order);
    cc.copy_from_slice(&best_cc);
}

/// Min-cost assignment of rows (games) to distinct columns (courts), rows <= cols.
/// Classic O(n^2 m) potentials method; returns the column of each row.
fn hungarian(cost: &[Vec<i64>], cols: usize) -> Vec<usize> {
    let rows = cost.len();
    if rows == 0 {
        return vec![];
    }
    const INF: i64 = i64::MAX / 4;
    let (mut u, mut v) = (vec![0i64; rows + 1], vec![0i64; cols + 1]);
    let mut p = vec![0usize; cols + 1];
    let mut way = vec![0usize; cols + 1];
    for i in 1..=rows {
        p[0] = i;
        let mut j0 = 0;
        let mut minv = vec![INF; cols + 1];
        let mut used = vec![false; cols + 1];
        loop {
            used[j0] = true;
            let i0 = p[j0];
            let mut delta = INF;
            let mut j1 = 0;
            for j in 1..=cols {
                if !used[j] {
                    let cur = cost[i0 - 1][j - 1] - u[i0] - v[j];
                    if cur < minv[j] {
                        minv[j] = cur;
                        way[j] = j0;
                    }
                    if minv[j] < delta {
                        delta = minv[j];
                        j1 = j;
                    }
                }
            }
            for j in 0..=cols {
                if used[j] {
                    u[p[j]] += delta;
                    v[j] -= delta;
                } else {
                    minv[j] -= delta;
                }
            }
            j0 = j1;
            if p[j0] == 0 {
                break;
            }
        }
        loop {
            let j1 = way[j0];
            p[j0] = p[j1];
            j0 = j1;
            if j0 == 0 {
                break;
            }
        }
    }
    let mut ans = vec![0usize; rows];
    for j in 1..=cols {
        if p[j] > 0 {
            ans[p[j] - 1] = j - 1;
        }
    }
    ans
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hungarian_finds_the_cheapest_assignment() {
        assert_eq!(hungarian(&[vec![0, 3], vec![0, 0]], 2), vec![0, 1]);
        assert_eq!(hungarian(&[vec![5, 0], vec![0, 5]], 2), vec![1, 0]);
        assert_eq!(hungarian(&[vec![4, 1, 3], vec![2, 0, 5]], 3), vec![1, 0]);
    }
}
