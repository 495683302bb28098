//! The offline annealing search behind some stored club lengths (test builds only; run
//! by `tests::anneal_entry`). It looks for a whole schedule meeting fixed targets:
//! partners within ⌊2CR/P⌋..⌈2CR/P⌉ (every pair at least once where the slots allow),
//! every pair's opponent count in a window, court counts within a spread, no sit-out run
//! above a bound and games within one after every round.
//!
//! Each round is a permutation of the players: places 4k..4k+3 are court k, (a, b) vs
//! (c, d); the rest sit out. Moves: swap two games' courts (only court counts change);
//! swap a player of a pair outside its window with anyone in a round where the pair
//! meets; swap two random places. Swapping a player with a sitter gives the game back
//! in the nearest round the other way round, so games stay near balanced. Annealing at a
//! constant temperature: the penalties are small integers and a slow cool-down only
//! wasted moves on these sizes. Self-contained (own xorshift generator, a move budget
//! instead of a clock), so a seed and a budget reproduce an entry bit for bit (with the
//! platform's `exp`, unlike the run-time search: this runs offline, on one machine).

use super::engine::RawRound;

/// What a schedule must meet.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Target {
    pub(crate) opponents: (i32, i32),
    pub(crate) run: usize,
    pub(crate) spread: i32,
}

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

const TEMPERATURE: f64 = 0.3;
/// Partner and sit-out penalties weigh more than an opponent meeting.
const W_PARTNER: i64 = 3;
const W_HARD: i64 = 3;

struct State {
    n: usize,
    c: usize,
    t: Target,
    partners: (i32, i32),
    perm: Vec<Vec<usize>>,
    part: Vec<i32>,
    opp: Vec<i32>,
    court: Vec<i32>,
    pair_pen: i64,
    court_pen: i64,
    player_pen: Vec<i64>,
    player_sum: i64,
    /// Whether player x plays in round r, at r * n + x.
    playing: Vec<bool>,
    /// Pairs with a penalty, and each pair's place in that list.
    bad: Vec<usize>,
    bad_pos: Vec<usize>,
}

impl State {
    fn pair_cost(&self, i: usize) -> i64 {
        let (p, o) = (self.part[i], self.opp[i]);
        let (plo, phi) = self.partners;
        let (olo, ohi) = self.t.opponents;
        W_PARTNER * i64::from((plo - p).max(0) + (p - phi).max(0))
            + i64::from((olo - o).max(0) + (o - ohi).max(0))
    }

    fn mark(&mut self, i: usize) {
        let now = self.pair_cost(i) > 0;
        let was = self.bad_pos[i] != usize::MAX;
        if now && !was {
            self.bad_pos[i] = self.bad.len();
            self.bad.push(i);
        } else if !now && was {
            let at = self.bad_pos[i];
            self.bad.swap_remove(at);
            if let Some(&moved) = self.bad.get(at) {
                self.bad_pos[moved] = at;
            }
            self.bad_pos[i] = usize::MAX;
        }
    }

    fn court_cost(&self, x: usize) -> i64 {
        let row = &self.court[x * self.c..(x + 1) * self.c];
        let (hi, lo) = (row.iter().max(), row.iter().min());
        match (hi, lo) {
            (Some(hi), Some(lo)) => i64::from((hi - lo - self.t.spread).max(0)),
            _ => 0,
        }
    }

    fn touch(&mut self, a: usize, b: usize, partner: bool, sign: i32) {
        let i = a.min(b) * self.n + a.max(b);
        self.pair_pen -= self.pair_cost(i);
        if partner {
            self.part[i] += sign;
        } else {
            self.opp[i] += sign;
        }
        self.pair_pen += self.pair_cost(i);
        self.mark(i);
    }

    /// Adds (`sign` = 1) or removes (−1) game `k` of round `r`.
    fn apply(&mut self, r: usize, k: usize, sign: i32) {
        let g: [usize; 4] = std::array::from_fn(|q| self.perm[r][4 * k + q]);
        self.touch(g[0], g[1], true, sign);
        self.touch(g[2], g[3], true, sign);
        for a in [g[0], g[1]] {
            for b in [g[2], g[3]] {
                self.touch(a, b, false, sign);
            }
        }
        for x in g {
            self.court_pen -= self.court_cost(x);
            self.court[x * self.c + k] += sign;
            self.court_pen += self.court_cost(x);
        }
    }

    fn plays(&self, r: usize, x: usize) -> bool {
        self.playing[r * self.n + x]
    }

    /// Sit-out runs above the bound and games outside ⌊4Ct/N⌋..⌈4Ct/N⌉ after round t.
    fn player_cost(&self, x: usize) -> i64 {
        let (n, per) = (self.n as i64, 4 * self.c as i64);
        let (mut pen, mut games, mut run) = (0, 0i64, 0usize);
        for r in 0..self.perm.len() {
            if self.plays(r, x) {
                games += 1;
                run = 0;
            } else {
                run += 1;
                pen += i64::from(run > self.t.run);
            }
            let total = per * (r as i64 + 1);
            pen += (total / n - games).max(0) + (games - (total + n - 1) / n).max(0);
        }
        pen
    }

    fn set_player_pen(&mut self, x: usize, pen: i64) {
        self.player_sum += pen - self.player_pen[x];
        self.player_pen[x] = pen;
    }

    fn refresh_player(&mut self, x: usize) {
        self.set_player_pen(x, self.player_cost(x));
    }

    fn cost(&self) -> i64 {
        self.pair_pen + W_HARD * (self.court_pen + self.player_sum)
    }

    /// Swaps places `i` and `j` of round `r`, keeping every count current.
    fn swap(&mut self, r: usize, i: usize, j: usize) {
        let w = 4 * self.c;
        let (gi, gj) = (
            (i < w).then_some(i / 4),
            (j < w && j / 4 != i / 4).then_some(j / 4),
        );
        for k in [gi, gj].into_iter().flatten() {
            self.apply(r, k, -1);
        }
        self.perm[r].swap(i, j);
        for k in [gi, gj].into_iter().flatten() {
            self.apply(r, k, 1);
        }
        let (x, y) = (self.perm[r][i], self.perm[r][j]);
        self.playing[r * self.n + x] = i < w;
        self.playing[r * self.n + y] = j < w;
    }

    fn swap_courts(&mut self, r: usize, k1: usize, k2: usize) {
        self.apply(r, k1, -1);
        self.apply(r, k2, -1);
        for q in 0..4 {
            self.perm[r].swap(4 * k1 + q, 4 * k2 + q);
        }
        self.apply(r, k1, 1);
        self.apply(r, k2, 1);
    }

    fn place(&self, r: usize, x: usize) -> usize {
        self.perm[r].iter().position(|&z| z == x).unwrap_or(0)
    }
}

/// Searches `n` players on `courts` courts for `rounds` rounds. Returns the rounds when
/// every target is met within `moves` moves.
pub(crate) fn anneal(
    n: usize,
    courts: usize,
    rounds: usize,
    target: Target,
    seed: u64,
    moves: u64,
) -> Option<Vec<RawRound>> {
    let (c, w) = (courts, 4 * courts);
    if c == 0 || w > n || rounds == 0 {
        return None;
    }
    let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let (pairs, slots) = (n * (n - 1) / 2, 2 * c * rounds);
    let partners = ((slots / pairs) as i32, slots.div_ceil(pairs) as i32);
    // Start from shuffled laps of all players, so games begin balanced.
    let mut queue = Vec::new();
    while queue.len() < w * rounds + n {
        let mut lap: Vec<usize> = (0..n).collect();
        for i in (1..n).rev() {
            lap.swap(i, rng.below(i + 1));
        }
        queue.extend(lap);
    }
    let perm = (0..rounds)
        .map(|r| {
            let mut seen = vec![false; n];
            let mut p = Vec::with_capacity(n);
            for &x in queue[w * r..w * (r + 1)]
                .iter()
                .chain(&(0..n).collect::<Vec<_>>())
            {
                if !seen[x] {
                    seen[x] = true;
                    p.push(x);
                }
            }
            p
        })
        .collect();
    let mut s = State {
        n,
        c,
        t: target,
        partners,
        perm,
        part: vec![0; n * n],
        opp: vec![0; n * n],
        court: vec![0; n * c],
        pair_pen: 0,
        court_pen: 0,
        player_pen: vec![0; n],
        player_sum: 0,
        playing: vec![false; rounds * n],
        bad: Vec::new(),
        bad_pos: vec![usize::MAX; n * n],
    };
    for a in 0..n {
        for b in a + 1..n {
            let i = a * n + b;
            s.pair_pen += s.pair_cost(i);
            s.mark(i);
        }
    }
    for x in 0..n {
        s.court_pen += s.court_cost(x);
    }
    for r in 0..rounds {
        for k in 0..c {
            s.apply(r, k, 1);
            for q in 0..4 {
                s.playing[r * n + s.perm[r][4 * k + q]] = true;
            }
        }
    }
    for x in 0..n {
        s.refresh_player(x);
    }
    let mut cur = s.cost();
    let accept = |d: i64, rng: &mut Rng| d <= 0 || rng.unit() < (-(d as f64) / TEMPERATURE).exp();
    for _ in 0..moves {
        if cur == 0 {
            break;
        }
        if c > 1 && rng.below(5) == 0 {
            let (r, k1, k2) = (rng.below(rounds), rng.below(c), rng.below(c));
            if k1 == k2 {
                continue;
            }
            s.swap_courts(r, k1, k2);
            let d = s.cost() - cur;
            if accept(d, &mut rng) {
                cur += d;
            } else {
                s.swap_courts(r, k1, k2);
            }
            continue;
        }
        let (r, i, j) = if !s.bad.is_empty() && rng.below(2) == 0 {
            let pair = s.bad[rng.below(s.bad.len())];
            let (a, b) = (pair / n, pair % n);
            let met: Vec<usize> = (0..rounds)
                .filter(|&r| s.plays(r, a) && s.plays(r, b))
                .collect();
            if met.is_empty() {
                continue;
            }
            let r = met[rng.below(met.len())];
            let x = if rng.below(2) == 0 { a } else { b };
            (r, s.place(r, x), rng.below(n))
        } else {
            (rng.below(rounds), rng.below(w), rng.below(n))
        };
        // Same place, or teammates: nothing changes.
        if i == j || (i < w && j < w && i / 2 == j / 2) {
            continue;
        }
        let (x, y) = (s.perm[r][i], s.perm[r][j]);
        let sits = i >= w || j >= w;
        s.swap(r, i, j);
        // Give the game back in the nearest round where the other one plays instead.
        let mut back = None;
        if sits && rng.below(4) != 0 {
            let (gainer, loser) = if s.plays(r, x) { (x, y) } else { (y, x) };
            let forward = rng.below(2) == 0;
            let mut order: Box<dyn Iterator<Item = usize>> = if forward {
                Box::new(r + 1..rounds)
            } else {
                Box::new((0..r).rev())
            };
            back = order.find(|&u| s.plays(u, gainer) && !s.plays(u, loser));
            if let Some(u) = back {
                let (pg, pl) = (s.place(u, gainer), s.place(u, loser));
                s.swap(u, pg, pl);
            }
        }
        let old = (s.player_pen[x], s.player_pen[y]);
        if sits {
            s.refresh_player(x);
            s.refresh_player(y);
        }
        let d = s.cost() - cur;
        if accept(d, &mut rng) {
            cur += d;
        } else {
            if let Some(u) = back {
                let (px, py) = (s.place(u, x), s.place(u, y));
                s.swap(u, px, py);
            }
            s.swap(r, i, j);
            s.set_player_pen(x, old.0);
            s.set_player_pen(y, old.1);
        }
    }
    let raw = s.perm.iter().map(|p| RawRound {
        games: p[..w]
            .chunks_exact(4)
            .map(|g| [g[0], g[1], g[2], g[3]])
            .collect(),
        sit: p[w..].to_vec(),
    });
    (cur == 0).then(|| raw.collect())
}

#[cfg(test)]
mod tests {
    use super::super::{label_rounds, quality, Format, Schedule};
    use super::*;

    #[test]
    fn finds_a_small_schedule_at_its_bounds_and_checks_it() {
        // 10 players on two courts for 4 rounds: 32 opponent meetings over 45 pairs, so
        // 0–1 (nobody meets an opponent twice), two resting each round, never twice in a
        // row.
        let t = Target {
            opponents: (0, 1),
            run: 1,
            spread: 1,
        };
        let raw = anneal(10, 2, 4, t, 1, 2_000_000).unwrap_or_else(|| panic!("no schedule"));
        assert_eq!(raw.len(), 4);
        for r in &raw {
            let mut all: Vec<usize> = r.games.iter().flatten().chain(&r.sit).copied().collect();
            all.sort_unstable();
            assert_eq!(all, (0..10).collect::<Vec<_>>(), "each player once a round");
        }
        let players: Vec<usize> = (0..10).collect();
        let q = quality(&Schedule {
            format: Format::Americano,
            rounds: label_rounds(&raw, &players),
            players,
            courts: 2,
            group_a_len: None,
        });
        assert_eq!((q.opponent_min, q.opponent_max), (0, 1));
        assert_eq!(q.partner_repeats, q.forced_partner_repeats);
        assert!(q.longest_sit_out_streak <= 1 && q.court_spread <= 1 && q.games_gap <= 1);
        // The same seed and budget give the same schedule.
        assert_eq!(anneal(10, 2, 4, t, 1, 2_000_000), Some(raw));
    }

    #[test]
    fn an_impossible_target_is_not_met() {
        // 8 players on two courts for 7 rounds: 56 opponent meetings over 28 pairs, so
        // every pair meeting once is out of reach.
        let t = Target {
            opponents: (1, 1),
            run: 0,
            spread: 9,
        };
        assert!(anneal(8, 2, 7, t, 1, 20_000).is_none());
    }
}
