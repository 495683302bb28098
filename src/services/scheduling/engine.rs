//! The rotating-partner engine shared by Americano, Mixed Americano, `extend` and `replan`.
//!
//! Players are indices `0..n` here; labels are applied by the caller. A plan is made in
//! three deterministic steps: fair sit-outs, a seeded simulated-annealing pass over who
//! plays with/against whom and on which court (fixed iteration budget, so runtime is
//! bounded; it may also swap a sitter with a player when that keeps sit-outs fair), and
//! a court-balancing pass that only reorders each round's games.

use super::rng::{exp, Divisor, Rng};

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

/// Index of the unordered pair {a, b} in an n × n table.
#[inline]
pub(crate) fn pix(n: usize, a: usize, b: usize) -> usize {
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

/// Which sitter swaps the search may make; all keep the longest sit-out run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum SitSwaps {
    /// Keep the multiset of games played after every round (fair throughout).
    KeepRunning,
    /// Keep it only after the last round: more freedom, tried when the first misses the
    /// partner bound.
    KeepTotals,
    /// None: the sit-outs of `init` are the caller's, and its games only a random start
    /// (searched hot, unlike a constructed start).
    Fixed,
}

/// The search work one schedule may do in all, in annealing moves (~0.9 k instructions
/// each; a move of the cyclic base-round search counts 3/2, ~1.4 k). Every search of a
/// schedule (the first, its retries, free sit-outs, a repair, a development's base
/// round, and the court pass after each: [`COURT_PASS_UNITS`] per game) draws from one
/// budget, so generation time has a ceiling per size class
/// however many searches a hard case tries; a retry runs only when its whole length is
/// left. Sizes in [`Budget::for_players`].
#[derive(Debug)]
pub(crate) struct Budget {
    left: u64,
    /// Units for the work around the searches: searches again on a spare budget
    /// ([`Budget::spare`]), court repairs and re-matchings that run whatever the searches
    /// left ([`Budget::extra`]), each charged what it costs in search moves' time. With
    /// `left`, the schedule's ceiling once bounded ([`SMALL_RESERVE`]): uncounted, events
    /// off the measured lengths take up to 37 times their target (24 players on six
    /// courts for 45 rounds, 187 ms; BENCHMARKS.md).
    reserve: u64,
}

impl Budget {
    /// The budget of one schedule for `n` players (sizes and why: [`SMALL_BUDGET`] and
    /// the next two; its reserve: [`SMALL_RESERVE`] and the next two).
    pub(crate) fn for_players(n: usize) -> Self {
        Budget {
            left: by_size(n, [SMALL_BUDGET, MEDIUM_BUDGET, LARGE_BUDGET]),
            reserve: by_size(n, [SMALL_RESERVE, MEDIUM_RESERVE, LARGE_RESERVE]),
        }
    }

    /// Up to `want` moves, taken from what is left.
    pub(crate) fn take(&mut self, want: u64) -> u64 {
        let got = want.min(self.left);
        self.left -= got;
        got
    }

    /// Up to `want` units as a budget of their own: a search that should take no more
    /// (refining a constructed start). [`Budget::rejoin`] returns what it left.
    pub(crate) fn split(&mut self, want: u64) -> Budget {
        Budget {
            left: self.take(want),
            reserve: 0,
        }
    }

    /// What a [`Budget::split`] part did not use.
    pub(crate) fn rejoin(&mut self, part: Budget) {
        self.left += part.left;
    }

    /// A whole schedule's budget for `n` players, or what the reserve has left of it:
    /// for a search again, or a construction with a random stream of its own.
    /// [`Budget::unspare`] returns what it did not use.
    pub(crate) fn spare(&mut self, n: usize) -> Budget {
        let got = by_size(n, [SMALL_BUDGET, MEDIUM_BUDGET, LARGE_BUDGET]).min(self.reserve);
        self.reserve -= got;
        Budget {
            left: got,
            reserve: 0,
        }
    }

    /// What a [`Budget::spare`] did not use, back to the reserve.
    pub(crate) fn unspare(&mut self, spare: Budget) {
        self.reserve += spare.left + spare.reserve;
    }

    /// `work` on a [`Budget::spare`] for `n` players, its unused part returned.
    pub(crate) fn with_spare<T>(&mut self, n: usize, work: impl FnOnce(&mut Budget) -> T) -> T {
        let mut spare = self.spare(n);
        let out = work(&mut spare);
        self.unspare(spare);
        out
    }

    /// Up to `want` units from the reserve, for work outside the searches' share.
    pub(crate) fn extra(&mut self, want: u64) -> u64 {
        let got = want.min(self.reserve);
        self.reserve -= got;
        got
    }

    /// Moves a search did not use (it stopped at a perfect plan).
    fn give_back(&mut self, unused: u64) {
        self.left += unused;
    }

    /// Whether `want` moves are left (a retry is run whole or not at all).
    pub(crate) fn allows(&self, want: u64) -> bool {
        self.left >= want
    }

    /// Whether the reserve has `want` units (for whole runs of work around the searches).
    pub(crate) fn reserve_allows(&self, want: u64) -> bool {
        self.reserve >= want
    }
}

/// [`Budget`] for N ≤ 16: two whole searches (20 k moves and the court pass) and a
/// repair. Measured on the tenth session's machine over every N ≤ 16 with every C and
/// R ∈ {1, N−1, N, N+3, default}: the slowest took 3.2 ms warm (16 players on two
/// courts for 15 rounds), against 7.4 ms before the budget (up to nine searches) and a
/// 5 ms target (BENCHMARKS.md). Units are not equally fast everywhere, hence the margin.
const SMALL_BUDGET: u64 = 55_000;
/// For N ≤ 32: the longest first path whole (a development's base round, 168 k units
/// at 32 players on seven courts, and a 270 k-move search after it, cut to ~230 k
/// there) and one more search for the shorter ones: slowest 35 ms warm (30 players on
/// seven courts for 29 rounds) against 81 ms before and a 50 ms target.
const MEDIUM_BUDGET: u64 = 400_000;
/// For more: two whole searches at the 2.2 M-move cap with their court passes, which
/// keeps the one retry the larger events had (a court spread of 3 in 7 of 1,856
/// schedules instead of 16 with one search): slowest 359 ms warm (58 players on 14
/// courts for 57 rounds) against a 500 ms target.
const LARGE_BUDGET: u64 = 4_600_000;
/// Reserves ([`Budget::reserve`]): unbounded for now, so every schedule is the one it
/// was. Bounded at 30 k, 150 k and 1.5 M units (the searches' budgets and these within
/// the 5, 50 and 500 ms targets), schedules over their target up to 32 players, every
/// court count and 1 to 2N rounds, went from 122 to 73 (N ≤ 16) and 407 to 225, but 145
/// of the 232 it changed ranked worse (five at court spread 3, 16/4/30 among them: the
/// stored design's court repair no longer ran) and 87 better: a trade measured, not
/// taken (BENCHMARKS.md, thirtieth session).
const UNBOUNDED: u64 = u64::MAX / 4;
const SMALL_RESERVE: u64 = UNBOUNDED;
const MEDIUM_RESERVE: u64 = UNBOUNDED;
const LARGE_RESERVE: u64 = UNBOUNDED;

/// How the annealing starts and what it weighs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Heat {
    /// A random start: hot enough to pass through partner repeats.
    Hot,
    /// A constructed start (a design): refined cold, court cost linear in the excess.
    Cold,
    /// A finished plan with a pair 2 or more outside the opponent bound: refined cold
    /// on [`REPAIR_SHARE`] of the budget, such a pair weighing more than a court
    /// imbalance ([`FAR_OPP_WEIGHT`]).
    Repair,
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

/// Weight of one partner repeat: above any plausible gain in the other terms, yet low
/// enough that the hot start of the annealing can pass through a repeat to escape.
const PARTNER_WEIGHT: i64 = 1_000;
/// Weight of an opponent count e outside ⌊4M/P⌋..⌈4M/P⌉: (4^e − 1) times this, on top
/// of the sum of squares (which alone is minimal exactly when every count is in range).
const OPP_DEV_WEIGHT: i64 = 1;
/// Extra weight, in a repair ([`Heat::Repair`]), of each opponent count beyond the first
/// outside the bound: above a court count one outside its range (linear there:
/// [`COURT_WEIGHT`]), below a partner repeat.
const FAR_OPP_WEIGHT: i64 = 100;
/// A repair's share of a full search's moves (1 / this). Measured over the quality table
/// with seeds 0–2 (32 schedules with a pair 2 outside): an eighth fixes 9, a quarter
/// 11, a whole new search 8–11 (extra weight 100–300); an eighth keeps the N ≤ 32 budget (+5% at 32 players on
/// seven courts).
pub(crate) const REPAIR_SHARE: u64 = 8;
/// Weight of the court imbalance ([`court_dev`]) in the search. Court balance competes
/// with opponent balance (given the games, only the order of the games is free, which is
/// rarely enough for spread ≤ 1), so it is weighted above a small opponent deviation:
/// measured over the quality table, this trades a little opponent balance for spread ≤ 1
/// in most rows (see BENCHMARKS.md).
const COURT_WEIGHT: i64 = 20;

/// Counts and targets of the annealing search. The cost is, by weight: partner repeats
/// (dominant), then court imbalance (court `k` = game `k` of the round) and opponent
/// imbalance (sum of squares plus counts outside the floor/ceil bound).
struct Search {
    courts: usize,
    /// Partner and opponent counts of pair {a, b} at [`cell`]`(a, b)`.
    pc: Box<[u32; PAIR_CELLS]>,
    oc: Box<[u32; PAIR_CELLS]>,
    /// Games of player p on court k at [`court_cell`]`(p, k)`.
    cc: Box<[u32; COURT_CELLS]>,
    /// Games per player, history included (changes when a sitter swaps in).
    games: Vec<u32>,
    /// ⌊games/C⌋, ⌈games/C⌉ per player.
    court_range: Box<[(u32, u32); SIDE]>,
    /// Court cost linear in the excess (refining a constructed start): one move then
    /// changes it by at most 16 · [`COURT_WEIGHT`] < [`PARTNER_WEIGHT`], so court
    /// balance can never buy a partner repeat there.
    court_linear: bool,
    opp_lo: u32,
    opp_hi: u32,
    /// Whether counts far outside the bound weigh extra ([`Heat::Repair`]).
    opp_far: bool,
    /// [`opp_cost`] for small counts.
    opp_table: Vec<i64>,
    /// Cost steps for small counts x: `opp_up[x]` = cost(x + 1) − cost(x), `opp_down[x]`
    /// = cost(x − 1) − cost(x): one lookup per pair a move touches (most moves are only
    /// evaluated, and the evaluation was most of the search's instructions).
    opp_up: Vec<i64>,
    opp_down: Vec<i64>,
    /// Court cost steps the same way, indexed by the width of the player's range
    /// (hi − lo, 0 or 1) and the count's place against it (x − lo + [`STEP_OFFSET`]).
    court_up: [[i64; STEP_SPAN]; 2],
    court_down: [[i64; STEP_SPAN]; 2],
    /// Old values of the counters changed by the current move, to undo it cheaply:
    /// (0 = partner, 1 = opponent, 2 = court, 3 = games of a player; index; value).
    journal: Vec<(u8, usize, u32)>,
}

/// Players per side of the search's pair tables ([`super::MAX_PLAYERS`]), and courts
/// per player row (at most 64 / 4): fixed sizes and masked indices, so the search's
/// lookups need no bounds checks.
const SIDE: usize = 64;
const COURTS_MAX: usize = 16;
pub(super) const PAIR_CELLS: usize = SIDE * SIDE;
const COURT_CELLS: usize = SIDE * COURTS_MAX;

/// Cell of the unordered pair {a, b} in the search's pair tables.
#[inline(always)]
pub(super) fn cell(a: usize, b: usize) -> usize {
    let (lo, hi) = if a < b { (a, b) } else { (b, a) };
    (lo & (SIDE - 1)) * SIDE + (hi & (SIDE - 1))
}

/// Cell of player `p`'s games on court `k` in [`Search::cc`].
#[inline(always)]
fn court_cell(p: usize, k: usize) -> usize {
    (p & (SIDE - 1)) * COURTS_MAX + (k & (COURTS_MAX - 1))
}

/// A pair table of `n` players (History's layout, [`pix`]) in the search's.
fn pair_cells(n: usize, counts: &[u32]) -> Box<[u32; PAIR_CELLS]> {
    let mut cells = Box::new([0u32; PAIR_CELLS]);
    for a in 0..n {
        for b in a + 1..n {
            cells[cell(a, b)] = counts[pix(n, a, b)];
        }
    }
    cells
}

/// Counts from [`STEP_OFFSET`] below a player's court range to this far above it have
/// their court cost steps tabled ([`Search::court_delta`]); others are computed.
const STEP_SPAN: usize = 128;
const STEP_OFFSET: u32 = 64;

/// Opponent cost of a pair that met `x` times: x² plus the deviation from lo..hi (`far`:
/// plus [`FAR_OPP_WEIGHT`] for each count beyond the first outside it).
fn opp_cost(x: u32, lo: u32, hi: u32, far: bool) -> i64 {
    let x64 = x as i64;
    let dev = x.saturating_sub(hi) + lo.saturating_sub(x);
    let far_part = if far {
        FAR_OPP_WEIGHT * i64::from(dev.saturating_sub(1))
    } else {
        0
    };
    x64 * x64 + OPP_DEV_WEIGHT * ((1i64 << (2 * dev).min(40)) - 1) + far_part
}

impl Search {
    #[inline(always)]
    fn court_cost(&self, p: usize, x: u32) -> i64 {
        let (lo, hi) = self.court_range[p & (SIDE - 1)];
        court_cost(x, lo, hi, self.court_linear)
    }

    /// Changes player `p`'s number of games by `s` (a sitter swapped in or out).
    fn add_games(&mut self, p: usize, s: i32) {
        self.journal.push((3, p, self.games[p]));
        self.set_games(p, (self.games[p] as i32 + s) as u32);
    }

    fn set_games(&mut self, p: usize, g: u32) {
        self.games[p] = g;
        let c = self.courts as u32;
        self.court_range[p & (SIDE - 1)] = (g / c, g.div_ceil(c));
    }

    /// Undoes every change since the journal was last cleared.
    fn rollback(&mut self) {
        while let Some((what, i, v)) = self.journal.pop() {
            match what {
                0 => self.pc[i & (PAIR_CELLS - 1)] = v,
                1 => self.oc[i & (PAIR_CELLS - 1)] = v,
                2 => self.cc[i & (COURT_CELLS - 1)] = v,
                _ => self.set_games(i, v),
            }
        }
    }

    /// Court cost of player `p` over all courts.
    fn row_cost(&self, p: usize) -> i64 {
        (0..self.courts)
            .map(|c| self.court_cost(p, self.cc[court_cell(p, c)]))
            .sum()
    }

    #[inline(always)]
    fn opp_cost(&self, x: u32) -> i64 {
        match self.opp_table.get(x as usize) {
            Some(&c) => c,
            None => opp_cost(x, self.opp_lo, self.opp_hi, self.opp_far),
        }
    }

    #[inline(always)]
    fn partner(&mut self, a: usize, b: usize, s: i32) -> i64 {
        let i = cell(a, b);
        let before = self.pc[i] as i64;
        self.journal.push((0, i, self.pc[i]));
        self.pc[i] = (self.pc[i] as i32 + s) as u32;
        PARTNER_WEIGHT * ((self.pc[i] as i64 - 1).max(0) - (before - 1).max(0))
    }

    #[inline(always)]
    fn opp(&mut self, a: usize, b: usize, s: i32) -> i64 {
        let i = cell(a, b);
        let before = self.opp_cost(self.oc[i]);
        self.journal.push((1, i, self.oc[i]));
        self.oc[i] = (self.oc[i] as i32 + s) as u32;
        self.opp_cost(self.oc[i]) - before
    }

    #[inline(always)]
    fn court(&mut self, p: usize, k: usize, s: i32) -> i64 {
        let i = court_cell(p, k);
        let before = self.court_cost(p, self.cc[i]);
        self.journal.push((2, i, self.cc[i]));
        self.cc[i] = (self.cc[i] as i32 + s) as u32;
        self.court_cost(p, self.cc[i]) - before
    }

    #[inline(always)]
    fn partner_delta(&self, a: usize, b: usize, s: i64) -> i64 {
        let x = self.pc[cell(a, b)] as i64;
        PARTNER_WEIGHT * ((x + s - 1).max(0) - (x - 1).max(0))
    }

    /// Opponent cost change of pair {a, b} meeting `s` (±1) times more.
    #[inline(always)]
    fn opp_delta(&self, a: usize, b: usize, s: i32) -> i64 {
        let x = self.oc[cell(a, b)];
        let steps = if s > 0 { &self.opp_up } else { &self.opp_down };
        // (`opp_down[0]` is never read: a count of 0 is never lowered.)
        match steps.get(x as usize) {
            Some(&d) => d,
            None => self.opp_cost((x as i32 + s) as u32) - self.opp_cost(x),
        }
    }

    /// Court cost change of player `p` playing `s` (±1) more games on court `k`.
    #[inline(always)]
    fn court_delta(&self, p: usize, k: usize, s: i32) -> i64 {
        let x = self.cc[court_cell(p, k)];
        let (lo, hi) = self.court_range[p & (SIDE - 1)];
        let at = (x + STEP_OFFSET).wrapping_sub(lo) as usize;
        let steps = if s > 0 {
            &self.court_up
        } else {
            &self.court_down
        };
        match steps[(hi - lo) as usize & 1].get(at) {
            // Row 0 stands for x = lo − STEP_OFFSET, which can be lowered when lo is larger.
            Some(&d) if s > 0 || at > 0 => d,
            _ => self.court_cost(p, (x as i32 + s) as u32) - self.court_cost(p, x),
        }
    }

    /// Cost change of putting `inn` at slot `pos` instead of `out`, read-only. Only valid
    /// when every counter it reads is touched once by the whole move (true for swaps
    /// between two different games).
    #[inline(always)]
    fn replace_delta(&self, round: &[usize], pos: usize, out: usize, inn: usize) -> i64 {
        let (mate, [o1, o2]) = mate_and_opponents(round, pos);
        let k = pos / 4;
        self.partner_delta(out, mate, -1)
            + self.partner_delta(inn, mate, 1)
            + self.opp_delta(out, o1, -1)
            + self.opp_delta(out, o2, -1)
            + self.opp_delta(inn, o1, 1)
            + self.opp_delta(inn, o2, 1)
            + self.court_delta(out, k, -1)
            + self.court_delta(inn, k, 1)
    }

    /// Cost change of swapping teams at slots `i`, `i+1` and `j`, `j+1` of two different
    /// games, read-only (partners stay; opponents and courts change).
    fn team_swap_delta(&self, round: &[usize], i: usize, j: usize) -> i64 {
        let (ka, kb) = (i / 4, j / 4);
        let (t1, t2) = ([round[i], round[i + 1]], [round[j], round[j + 1]]);
        let (o1, o2) = (
            mate_and_opponents(round, i).1,
            mate_and_opponents(round, j).1,
        );
        let mut d = 0;
        for (t, o_old, o_new, k_old, k_new) in [(t1, o1, o2, ka, kb), (t2, o2, o1, kb, ka)] {
            for &p in &t {
                for &o in &o_old {
                    d += self.opp_delta(p, o, -1);
                }
                for &o in &o_new {
                    d += self.opp_delta(p, o, 1);
                }
                d += self.court_delta(p, k_old, -1) + self.court_delta(p, k_new, 1);
            }
        }
        d
    }

    /// Cost change of adding game `g` on court `k` (initialisation).
    fn game(&mut self, g: &[usize], k: usize) -> i64 {
        let mut d = self.partner(g[0], g[1], 1) + self.partner(g[2], g[3], 1);
        for (a, b) in [(g[0], g[2]), (g[0], g[3]), (g[1], g[2]), (g[1], g[3])] {
            d += self.opp(a, b, 1);
        }
        for &p in &g[..4] {
            d += self.court(p, k, 1);
        }
        d
    }

    /// Puts player `inn` at slot `pos` of a round (game `pos / 4` on court `pos / 4`) in
    /// place of whoever is there; returns the cost change. Only the pairs of the two
    /// players with the three others of that game change. (Transiently a player may sit
    /// in two slots while a swap is half done; the counts come out right at the end.)
    fn put(&mut self, round: &mut [usize], pos: usize, inn: usize) -> i64 {
        let (out, k) = (round[pos], pos / 4);
        let (mate, [o1, o2]) = mate_and_opponents(round, pos);
        let mut d = self.partner(out, mate, -1) + self.partner(inn, mate, 1);
        d += self.opp(out, o1, -1) + self.opp(out, o2, -1);
        d += self.opp(inn, o1, 1) + self.opp(inn, o2, 1);
        d += self.court(out, k, -1) + self.court(inn, k, 1);
        round[pos] = inn;
        d
    }

    /// [`Search::put`] for a move that will not be undone: counters only, no cost, no
    /// journal. Counts may pass below zero while a swap is half done (wrapping, like
    /// `put`'s).
    fn place(&mut self, round: &mut [usize], pos: usize, inn: usize) {
        let (out, k) = (round[pos], pos / 4);
        let (mate, opponents) = mate_and_opponents(round, pos);
        let dec = |x: &mut u32| *x = x.wrapping_sub(1);
        let inc = |x: &mut u32| *x = x.wrapping_add(1);
        dec(&mut self.pc[cell(out, mate)]);
        inc(&mut self.pc[cell(inn, mate)]);
        for x in opponents {
            dec(&mut self.oc[cell(out, x)]);
            inc(&mut self.oc[cell(inn, x)]);
        }
        dec(&mut self.cc[court_cell(out, k)]);
        inc(&mut self.cc[court_cell(inn, k)]);
        round[pos] = inn;
    }

    /// Moves the players of game `g` from court `from` to court `to` (counters only, as
    /// [`Search::place`]).
    fn move_game(&mut self, g: &[usize], from: usize, to: usize) {
        for &p in &g[..4] {
            self.cc[court_cell(p, from)] -= 1;
            self.cc[court_cell(p, to)] += 1;
        }
    }
}

/// Court cost of `x` games on one court against ⌊G/C⌋ = `lo`, ⌈G/C⌉ = `hi`: linear in
/// the excess when refining a constructed start, else [`court_dev`]; both weighted by
/// [`COURT_WEIGHT`].
#[inline(always)]
fn court_cost(x: u32, lo: u32, hi: u32, linear: bool) -> i64 {
    if linear {
        COURT_WEIGHT * (x.saturating_sub(hi) + lo.saturating_sub(x)) as i64
    } else {
        COURT_WEIGHT * court_dev(x, lo, hi)
    }
}

/// [`court_cost`] steps by `s` (±1) for ranges of width 0 and 1 (lo = [`STEP_OFFSET`]
/// stands for any lo: the cost depends only on x − lo and the width).
fn court_steps(linear: bool, s: i32) -> [[i64; STEP_SPAN]; 2] {
    let lo = STEP_OFFSET;
    let mut t = [[0; STEP_SPAN]; 2];
    for (w, row) in t.iter_mut().enumerate() {
        let hi = lo + w as u32;
        for (x, d) in row.iter_mut().enumerate() {
            let x = x as u32;
            let next = (x as i32 + s).max(0) as u32;
            *d = court_cost(next, lo, hi, linear) - court_cost(x, lo, hi, linear);
        }
    }
    t
}

/// The partner and the two opponents of slot `pos` of a round.
#[inline(always)]
fn mate_and_opponents(round: &[usize], pos: usize) -> (usize, [usize; 2]) {
    let o = if pos & 3 < 2 {
        (pos & !3) + 2
    } else {
        pos & !3
    };
    (round[pos ^ 1], [round[o], round[o + 1]])
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
/// sit-outs are kept (with [`SitSwaps::Fixed`], only those). Returns rounds with games
/// already in court order. Its searches draw on `budget`.
#[allow(clippy::too_many_arguments)]
pub(crate) fn plan(
    h: &History,
    courts: usize,
    rounds: usize,
    groups: Groups,
    init: Option<Vec<RawRound>>,
    sit_swaps: SitSwaps,
    budget: &mut Budget,
    rng: &mut Rng,
) -> Vec<RawRound> {
    let heat = if init.is_none() || sit_swaps == SitSwaps::Fixed {
        Heat::Hot
    } else {
        Heat::Cold
    };
    plan_with(
        h, courts, rounds, groups, init, sit_swaps, heat, budget, rng,
    )
}

/// A finished plan (games in court order, after `h`) in which some pair's opponent
/// count ends 2 or more outside the bound, refined by a short cold search that weighs
/// such pairs above court balance (the caller keeps it only where nothing else got
/// worse). Sit-outs stay fair after every round.
pub(crate) fn repair_opponents(
    h: &History,
    courts: usize,
    raw: Vec<RawRound>,
    budget: &mut Budget,
    rng: &mut Rng,
) -> Vec<RawRound> {
    let rounds = raw.len();
    let keep = SitSwaps::KeepRunning;
    plan_with(
        h,
        courts,
        rounds,
        None,
        Some(raw),
        keep,
        Heat::Repair,
        budget,
        rng,
    )
}

#[allow(clippy::too_many_arguments)]
fn plan_with(
    h: &History,
    courts: usize,
    rounds: usize,
    groups: Groups,
    init: Option<Vec<RawRound>>,
    sit_swaps: SitSwaps,
    heat: Heat,
    budget: &mut Budget,
    rng: &mut Rng,
) -> Vec<RawRound> {
    // slots[r] = the 4*courts playing players; game k is slots[r][4k..4k+4].
    let (mut slots, mut sits): (Vec<Vec<usize>>, Vec<Vec<usize>>) = match init {
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
    anneal(
        h, courts, &mut slots, &mut sits, groups, heat, sit_swaps, budget, rng,
    );
    // The court pass below costs about as much per game whatever the search did.
    let games: usize = slots.iter().map(|s| s.len() / 4).sum();
    budget.take(games as u64 * COURT_PASS_UNITS);
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

/// Length of `p`'s run of sit-outs through round `r` (history streak included);
/// `sitting[t * n + p]` says whether `p` sits out round `t`.
fn sit_run(sitting: &[bool], n: usize, h: &History, p: usize, r: usize) -> u32 {
    let rounds = sitting.len() / n;
    let sits_in = |t: usize| sitting[t * n + p];
    let mut run = 1u32;
    let mut t = r;
    loop {
        if t == 0 {
            run += h.streak.get(p).copied().unwrap_or(0);
            break;
        }
        t -= 1;
        if !sits_in(t) {
            break;
        }
        run += 1;
    }
    run + (r + 1..rounds).take_while(|&t| sits_in(t)).count() as u32
}

/// The search counters for `slots` after history `h`, the cost, and its court part.
fn search_state(
    h: &History,
    courts: usize,
    slots: &[Vec<usize>],
    groups: Groups,
    heat: Heat,
) -> (Search, i64, i64) {
    let court_linear = heat != Heat::Hot;
    let far = heat == Heat::Repair;
    let n = h.n;
    let games: u64 = slots.iter().map(|s| (s.len() / 4) as u64).sum();
    let mut gp: Vec<u32> = (0..n)
        .map(|p| h.court[p * h.courts..(p + 1) * h.courts].iter().sum())
        .collect();
    for s in slots.iter() {
        for &p in s.iter() {
            gp[p] += 1;
        }
    }
    let hist_opp: u64 = h.opp.iter().map(|&x| x as u64).sum();
    let pairs = (n * (n - 1) / 2) as u64;
    let total_opp = hist_opp + 4 * games;
    let (opp_lo, opp_hi) = match groups {
        None if pairs > 0 => ((total_opp / pairs) as u32, total_opp.div_ceil(pairs) as u32),
        _ => (0, u32::MAX),
    };
    // The tables' fixed sizes (validation keeps N ≤ 64, so C ≤ 16).
    debug_assert!(n <= SIDE && courts <= COURTS_MAX);
    let mut st = Search {
        courts,
        pc: pair_cells(n, &h.partner),
        oc: pair_cells(n, &h.opp),
        cc: {
            let mut cc = Box::new([0u32; COURT_CELLS]);
            if h.courts == courts {
                for (p, row) in h.court.chunks_exact(courts).enumerate() {
                    for (k, &x) in row.iter().enumerate() {
                        cc[court_cell(p, k)] = x;
                    }
                }
            }
            cc
        },
        court_range: {
            let mut range = Box::new([(0, 0); SIDE]);
            for (p, &g) in gp.iter().enumerate() {
                range[p & (SIDE - 1)] = (g / courts as u32, g.div_ceil(courts as u32));
            }
            range
        },
        games: gp,
        court_linear,
        opp_lo,
        opp_hi,
        opp_far: far,
        opp_table: (0..64).map(|x| opp_cost(x, opp_lo, opp_hi, far)).collect(),
        opp_up: (0..64)
            .map(|x| opp_cost(x + 1, opp_lo, opp_hi, far) - opp_cost(x, opp_lo, opp_hi, far))
            .collect(),
        // x = 0 is never lowered.
        opp_down: (0..64)
            .map(|x: u32| {
                let below = opp_cost(x.saturating_sub(1), opp_lo, opp_hi, far);
                below - opp_cost(x, opp_lo, opp_hi, far)
            })
            .collect(),
        court_up: court_steps(court_linear, 1),
        court_down: court_steps(court_linear, -1),
        journal: Vec::with_capacity(64),
    };
    for s in slots.iter() {
        for (k, g) in s.chunks_exact(4).enumerate() {
            st.game(g, k);
        }
    }
    let court_part: i64 = (0..n).map(|p| st.row_cost(p)).sum();
    let cost: i64 = (0..n)
        .flat_map(|a| (a + 1..n).map(move |b| cell(a, b)))
        .map(|i| PARTNER_WEIGHT * (st.pc[i] as i64 - 1).max(0) + st.opp_cost(st.oc[i]))
        .sum::<i64>()
        + court_part;
    (st, cost, court_part)
}

/// Simulated annealing over swaps of two players (or two teams, or two whole games)
/// inside one round, and swaps of a sitter with a player that keep the multiset of
/// games played after every round and the longest sit-out run (see [`SitSwaps`]).
/// `heat`: start hot enough to pass through partner repeats (random start), or only
/// refine (constructed start, repair).
#[allow(clippy::too_many_arguments)]
fn anneal(
    h: &History,
    courts: usize,
    slots: &mut [Vec<usize>],
    sits: &mut [Vec<usize>],
    groups: Groups,
    heat: Heat,
    sit_swaps: SitSwaps,
    budget: &mut Budget,
    rng: &mut Rng,
) {
    let hot = heat == Heat::Hot;
    let n = h.n;
    let rounds = slots.len();
    let games: u64 = slots.iter().map(|s| (s.len() / 4) as u64).sum();
    if games == 0 || courts == 0 {
        return;
    }
    let pairs = (n * (n - 1) / 2) as u64;
    let (mut st, mut cost, court_part) = search_state(h, courts, slots, groups, heat);
    // A lower bound on the cost lets perfect designs (whist) skip the search entirely.
    let bound = if h.is_empty() {
        match groups {
            None => {
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
    // Partners and opponents already optimal in a constructed start (a whist design):
    // keep the games; the courts are balanced afterwards by reordering them. A random
    // start can also be optimal on partners and opponents (a few rounds with many
    // sitting out), but reordering alone then rarely balances courts (12 players on two
    // courts for two rounds: a second-round game mixing both first-round courts), so it
    // is searched unless its courts are already balanced.
    if cost - court_part <= bound && (!hot || court_part == 0) {
        return;
    }
    // Sit-out swaps must not lengthen the longest sit-out run of the plan.
    let mut sitting = vec![false; rounds * n];
    for (r, s) in sits.iter().enumerate() {
        for &p in s {
            sitting[r * n + p] = true;
        }
    }
    let mut run_limit = 0u32;
    for p in 0..n {
        for r in 0..rounds {
            if sitting[r * n + p] {
                run_limit = run_limit.max(sit_run(&sitting, n, h, p, r));
            }
        }
    }
    // games_after[t * n + p]: p's games after round t, history included. Sitter swaps
    // only exchange two players' counts where they differ by one at every round they
    // touch, so the multiset of games after every round is kept: whoever has played most
    // still sits out next (games stay within one throughout when the plan did).
    // `SitSwaps::KeepTotals` checks only the last round (the multiset at the end).
    let mut games_after = vec![0u32; rounds * n];
    let mut run = h.played.clone();
    for (t, s) in slots.iter().enumerate() {
        for &p in s.iter() {
            run[p] += 1;
        }
        games_after[t * n..(t + 1) * n].copy_from_slice(&run);
    }
    // Whether `a` has played one game more than `b` after each round in `from..to`.
    let one_ahead = |g: &[u32], a: usize, b: usize, from: usize, to: usize| match sit_swaps {
        SitSwaps::KeepRunning => (from..to).all(|t| g[t * n + a] == g[t * n + b] + 1),
        SitSwaps::KeepTotals => {
            let last = (rounds - 1) * n;
            from < to && (to < rounds || g[last + a] == g[last + b] + 1)
        }
        SitSwaps::Fixed => false,
    };
    // `a` plays one game fewer and `b` one more after each round in `from..to`.
    let shift = |g: &mut [u32], a: usize, b: usize, from: usize, to: usize| {
        for t in from..to {
            g[t * n + a] -= 1;
            g[t * n + b] += 1;
        }
    };
    let full = search_moves(n, games);
    let iters = budget.take(if heat == Heat::Repair {
        full / REPAIR_SHARE
    } else {
        full
    });
    // Temperature from 60 down to 0.05: ln(0.05 / 60) = −ln 1200 (a literal, see rng::exp).
    // A constructed start (a design without partner repeats) is refined cold, from 3
    // (ln(0.05 / 3) = −ln 60): a repeat (weight 1 000 > 30 · 3) is then never accepted.
    let (t0, ln_ratio) = if hot {
        (60.0f64, -7.090_076_835_776_092_f64)
    } else {
        (3.0f64, -4.094_344_562_222_1_f64)
    };
    let mut temp = t0;
    let mut last = iters;
    // Every round keeps its number of players and of sitters throughout.
    let by_rounds = Divisor::new(rounds);
    let by_len: Vec<Divisor> = slots.iter().map(|s| Divisor::new(s.len())).collect();
    let by_sits: Vec<Divisor> = sits.iter().map(|s| Divisor::new(s.len())).collect();
    for it in 0..iters {
        last = it;
        if it % 256 == 0 {
            temp = t0 * exp(ln_ratio * it as f64 / iters as f64);
        }
        let r = rng.below_by(by_rounds);
        let len = slots[r].len();
        if len < 4 {
            continue;
        }
        let accept = |d: i64, rng: &mut Rng| {
            // Moves far uphill (e.g. a new partner repeat) are never taken: skip the exp.
            d <= 0 || ((d as f64) < 30.0 * temp && rng.unit() < exp(-(d as f64) / temp))
        };
        st.journal.clear();
        let kind = rng.below(8);
        if kind == 0 && !sits[r].is_empty() {
            // A sitter q takes the place of player p in round r.
            let qi = rng.below_by(by_sits[r]);
            let q = sits[r][qi];
            let i = rng.below_by(by_len[r]);
            let p = slots[r][i];
            if groups.is_some_and(|gr| gr[p] != gr[q]) {
                continue;
            }
            if one_ahead(&games_after, p, q, r, rounds) {
                // p plays one game fewer, q one more: the multiset of games is kept.
                sitting[r * n + p] = true;
                sitting[r * n + q] = false;
                if sit_run(&sitting, n, h, p, r) > run_limit {
                    sitting[r * n + p] = false;
                    sitting[r * n + q] = true;
                    continue;
                }
                let mut d = st.put(&mut slots[r], i, q);
                d -= st.row_cost(p) + st.row_cost(q);
                st.add_games(p, -1);
                st.add_games(q, 1);
                d += st.row_cost(p) + st.row_cost(q);
                if accept(d, rng) {
                    cost += d;
                    shift(&mut games_after, p, q, r, rounds);
                    sits[r][qi] = p;
                } else {
                    st.rollback();
                    slots[r][i] = p;
                    sitting[r * n + p] = false;
                    sitting[r * n + q] = true;
                }
            } else {
                // And back in another round r2 where p sits and q plays: between the two
                // rounds p has one game fewer (r2 later) or one more (r2 earlier).
                let start = rng.below_by(by_rounds);
                let Some(r2) = (0..rounds)
                    .map(|t| {
                        if start + t < rounds {
                            start + t
                        } else {
                            start + t - rounds
                        }
                    })
                    .find(|&t| t != r && sitting[t * n + p] && !sitting[t * n + q])
                else {
                    continue;
                };
                let (ahead, behind, from, to) = if r < r2 { (p, q, r, r2) } else { (q, p, r2, r) };
                if !one_ahead(&games_after, ahead, behind, from, to) {
                    continue;
                }
                let (Some(pi2), Some(j)) = (
                    sits[r2].iter().position(|&x| x == p),
                    slots[r2].iter().position(|&x| x == q),
                ) else {
                    continue;
                };
                let flip = |sitting: &mut [bool]| {
                    for (t, x) in [(r, p), (r, q), (r2, p), (r2, q)] {
                        sitting[t * n + x] ^= true;
                    }
                };
                flip(&mut sitting);
                if sit_run(&sitting, n, h, p, r) > run_limit
                    || sit_run(&sitting, n, h, q, r2) > run_limit
                {
                    flip(&mut sitting);
                    continue;
                }
                // The two replacements touch distinct counters unless the slots share
                // the court, the partner or an opponent: then evaluate read-only (nearly
                // every such move is rejected), else apply and undo.
                let (m1, o1) = mate_and_opponents(&slots[r], i);
                let (m2, o2) = mate_and_opponents(&slots[r2], j);
                if i / 4 != j / 4 && m1 != m2 && !o1.iter().any(|x| o2.contains(x)) {
                    let d = st.replace_delta(&slots[r], i, p, q)
                        + st.replace_delta(&slots[r2], j, q, p);
                    if accept(d, rng) {
                        cost += d;
                        st.place(&mut slots[r], i, q);
                        st.place(&mut slots[r2], j, p);
                        shift(&mut games_after, ahead, behind, from, to);
                        sits[r][qi] = p;
                        sits[r2][pi2] = q;
                    } else {
                        flip(&mut sitting);
                    }
                } else {
                    let d = st.put(&mut slots[r], i, q) + st.put(&mut slots[r2], j, p);
                    if accept(d, rng) {
                        cost += d;
                        shift(&mut games_after, ahead, behind, from, to);
                        sits[r][qi] = p;
                        sits[r2][pi2] = q;
                    } else {
                        flip(&mut sitting);
                        st.rollback();
                        slots[r][i] = p;
                        slots[r2][j] = q;
                    }
                }
            }
            if cost <= bound {
                break;
            }
            continue;
        }
        let i = rng.below_by(by_len[r]);
        let mut j = rng.below_by(by_len[r]);
        // Swap whole games (only the courts change), whole teams (partners stay,
        // opponents change) or two players.
        let game_move = kind == 1 && len >= 8;
        let team_move = !game_move && len >= 8 && kind >= 5;
        let (i, width) = if game_move {
            j &= !3;
            (i & !3, 4)
        } else if team_move {
            j &= !1;
            (i & !1, 2)
        } else {
            if groups.is_some() && j % 2 != i % 2 {
                j ^= 1; // keep group A on even slots, B on odd
            }
            (i, 1)
        };
        if i / 2 == j / 2 || (width > 1 && i / 4 == j / 4) {
            continue; // no change
        }
        let s = &mut slots[r];
        if i / 4 != j / 4 {
            // Two different games: evaluate without touching the counters (most moves
            // are rejected), apply only when accepted.
            let d = if game_move {
                let (a, b) = (i / 4, j / 4);
                (0..4)
                    .map(|w| {
                        st.court_delta(s[i + w], a, -1)
                            + st.court_delta(s[i + w], b, 1)
                            + st.court_delta(s[j + w], b, -1)
                            + st.court_delta(s[j + w], a, 1)
                    })
                    .sum()
            } else if team_move {
                st.team_swap_delta(s, i, j)
            } else {
                st.replace_delta(s, i, s[i], s[j]) + st.replace_delta(s, j, s[j], s[i])
            };
            if accept(d, rng) {
                // Accepted for good: counters only (the cost change is known; a wrong
                // update would show in the recount at the end).
                if game_move {
                    let (a, b) = (i / 4, j / 4);
                    st.move_game(&s[i..i + 4], a, b);
                    st.move_game(&s[j..j + 4], b, a);
                    for w in 0..4 {
                        s.swap(i + w, j + w);
                    }
                } else {
                    for w in 0..width {
                        let (x, y) = (s[i + w], s[j + w]);
                        st.place(s, i + w, y);
                        st.place(s, j + w, x);
                    }
                }
                cost += d;
                if cost <= bound {
                    break;
                }
            }
            continue;
        }
        // Two players of one game (different teams): counters overlap, so apply and
        // undo if rejected.
        let (x, y) = (s[i], s[j]);
        let d = st.put(s, i, y) + st.put(s, j, x);
        if accept(d, rng) {
            cost += d;
            if cost <= bound {
                break;
            }
        } else {
            st.rollback();
            s.swap(i, j);
        }
    }
    budget.give_back(iters.saturating_sub(last + 1));
    // The incremental cost must match a recount (checked in debug builds: the tests).
    debug_assert_eq!(cost, search_state(h, courts, slots, groups, heat).1);
}

/// Moves of a full search of `games` games for `n` players: a fixed number per game,
/// capped by size class (N ≤ 16, N ≤ 32, more) so one search fits the time target.
fn search_moves(n: usize, games: u64) -> u64 {
    (games * ITERS_PER_GAME).min(by_size(n, [20_000, 270_000, MAX_ITERS]))
}

/// The value for `n` players of the size classes N ≤ 16, N ≤ 32 and larger
/// (time targets 5, 50 and 500 ms).
fn by_size(n: usize, [small, medium, large]: [u64; 3]) -> u64 {
    match n {
        0..=16 => small,
        17..=32 => medium,
        _ => large,
    }
}

/// [`Budget`] units of a search of `games` games for `n` players, its court pass included.
pub(crate) fn search_units(n: usize, games: u64) -> u64 {
    search_moves(n, games) + games * COURT_PASS_UNITS
}

/// [`Budget`] units charged per game for the court pass after each search
/// ([`assign_courts`]: ~80 k instructions per game, measured with callgrind).
pub(crate) const COURT_PASS_UNITS: u64 = 100;

const ITERS_PER_GAME: u64 = 16_000;
const MAX_ITERS: u64 = 2_200_000;

/// Weight of the court imbalance cost ([`court_dev`]) against the sum-of-squares
/// tie-break.
const COURT_DEV_WEIGHT: i64 = 1 << 16;
/// Polishing passes of the per-round re-assignment (each is R small assignments).
const COURT_SWEEPS: usize = 4;
/// Annealing moves per game for court balancing, and their cap.
const COURT_ITERS_PER_GAME: usize = 200;
const COURT_MAX_ITERS: usize = 200_000;

/// Cost of a player having `x` games on one court when ⌊G/C⌋ = `lo`, ⌈G/C⌉ = `hi`:
/// the imbalance ([`pass_dev`]) weighted by [`COURT_DEV_WEIGHT`]; x² breaks ties.
#[inline]
pub(crate) fn court_pen(x: u32, lo: u32, hi: u32) -> i64 {
    COURT_DEV_WEIGHT * pass_dev(x, lo, hi) + (x as i64) * (x as i64)
}

/// Orders each round's games onto courts so that every player's court counts end within
/// ⌊G/C⌋..⌈G/C⌉ (G = the player's games, history included), i.e. spread ≤ 1, as far as
/// the given games allow. Starts from the given order when it is better (the search
/// already balanced it).
///
/// A greedy min-cost assignment per round (Hungarian method), then seeded annealing over
/// court swaps inside a round on the counts outside the range (fixed budget),
/// then block coordinate descent: with the other rounds fixed, the best courts for one
/// round are an exact min-cost assignment, because each player is in one game per round
/// and so the cost is additive.
pub(crate) fn assign_courts(
    h: &History,
    courts: usize,
    mut raw: Vec<RawRound>,
    rng: &mut Rng,
) -> Vec<RawRound> {
    if courts == 0 || raw.is_empty() {
        return raw;
    }
    let n = h.n;
    let mut cc = history_courts(h, courts);
    let (lo, hi) = court_range(&cc, courts, &raw, n);
    let add = |cc: &mut [u32], g: &[usize; 4], c: usize, s: i32| {
        for &p in g.iter().filter(|&&p| p < n) {
            let x = &mut cc[p * courts + c];
            *x = (*x as i32 + s) as u32;
        }
    };
    // Exact best courts for round `r` given the counts of all other rounds in `cc`.
    let solve = |cc: &[u32], r: &RawRound| -> Vec<usize> {
        let cost: Vec<Vec<i64>> = r
            .games
            .iter()
            .map(|g| {
                (0..courts)
                    .map(|c| {
                        g.iter()
                            .filter(|&&p| p < n)
                            .map(|&p| {
                                let x = cc[p * courts + c];
                                court_pen(x + 1, lo[p], hi[p]) - court_pen(x, lo[p], hi[p])
                            })
                            .sum()
                    })
                    .collect()
            })
            .collect();
        hungarian(&cost, courts)
    };
    // Start from the better of the given order (the search already balanced it) and a
    // greedy round-by-round assignment.
    let base_cc = cc.clone();
    let mut order: Vec<Vec<usize>> = Vec::with_capacity(raw.len());
    for r in &raw {
        let a = solve(&cc, r);
        for (g, &c) in r.games.iter().zip(&a) {
            add(&mut cc, g, c, 1);
        }
        order.push(a);
    }
    let mut given_cc = base_cc;
    let given: Vec<Vec<usize>> = raw.iter().map(|r| (0..r.games.len()).collect()).collect();
    for r in &raw {
        for (c, g) in r.games.iter().enumerate() {
            add(&mut given_cc, g, c, 1);
        }
    }
    let total = |cc: &[u32]| -> i64 {
        (0..n * courts)
            .map(|i| court_pen(cc[i], lo[i / courts], hi[i / courts]))
            .sum()
    };
    if total(&given_cc) <= total(&cc) {
        order = given;
        cc = given_cc;
    }
    if courts > 1 {
        anneal_courts(&raw, courts, &lo, &hi, &mut cc, &mut order, rng);
        // Polish: exact re-assignment of each round in turn (never increases the cost).
        for _ in 0..COURT_SWEEPS {
            let mut changed = false;
            for (r, ord) in raw.iter().zip(order.iter_mut()) {
                for (g, &c) in r.games.iter().zip(ord.iter()) {
                    add(&mut cc, g, c, -1);
                }
                let a = solve(&cc, r);
                changed |= a != *ord;
                *ord = a;
                for (g, &c) in r.games.iter().zip(ord.iter()) {
                    add(&mut cc, g, c, 1);
                }
            }
            if !changed {
                break;
            }
        }
    }
    put_on_courts(&mut raw, order);
    raw
}

/// The history's court counts, one row of `courts` cells per player.
fn history_courts(h: &History, courts: usize) -> Vec<u32> {
    let mut cc = h.court.clone();
    cc.resize(h.n * courts, 0);
    cc
}

/// Each player's ⌊G/C⌋ and ⌈G/C⌉, G his games in the history counts `cc` plus `raw`.
fn court_range(cc: &[u32], courts: usize, raw: &[RawRound], n: usize) -> (Vec<u32>, Vec<u32>) {
    let mut games: Vec<u32> = (0..n)
        .map(|p| cc[p * courts..(p + 1) * courts].iter().sum())
        .collect();
    for g in raw.iter().flat_map(|r| &r.games) {
        for &p in g.iter().filter(|&&p| p < n) {
            games[p] += 1;
        }
    }
    let c32 = courts as u32;
    (
        games.iter().map(|&g| g / c32).collect(),
        games.iter().map(|&g| g.div_ceil(c32)).collect(),
    )
}

/// Reorders each round's games so that game `g` of round `r` ends on court `order[r][g]`.
fn put_on_courts(raw: &mut [RawRound], order: Vec<Vec<usize>>) {
    for (r, ord) in raw.iter_mut().zip(order) {
        let mut idx: Vec<usize> = (0..r.games.len()).collect();
        idx.sort_by_key(|&g| ord[g]);
        r.games = idx.iter().map(|&g| r.games[g]).collect();
    }
}

/// A finished schedule's courts once more when some player's are 3 or more apart
/// ([`repair_spread`]); otherwise `raw` unchanged. Called last, on whatever path built
/// the rounds, so it changes no choice made before it: a schedule that gets here can
/// only end with a lower largest spread or fewer players above 2. Each run is paid from
/// the budget's reserve, and runs only whole.
pub(crate) fn repair_court_spread(
    h: &History,
    courts: usize,
    raw: Vec<RawRound>,
    rng: &Rng,
    budget: &mut Budget,
) -> Vec<RawRound> {
    repair_runs(h, courts, raw, rng, REPAIR_RUNS, Some(budget))
}

/// [`repair_court_spread`] with at most `runs` runs, paid for by the caller
/// ([`repair_units`]).
pub(crate) fn repair_court_spread_runs(
    h: &History,
    courts: usize,
    raw: Vec<RawRound>,
    rng: &Rng,
    runs: usize,
) -> Vec<RawRound> {
    repair_runs(h, courts, raw, rng, runs, None)
}

fn repair_runs(
    h: &History,
    courts: usize,
    mut raw: Vec<RawRound>,
    rng: &Rng,
    runs: usize,
    mut budget: Option<&mut Budget>,
) -> Vec<RawRound> {
    let n = h.n;
    if courts < 2 || raw.iter().any(|r| r.games.len() > courts) {
        return raw;
    }
    let mut cc = history_courts(h, courts);
    let (lo, hi) = court_range(&cc, courts, &raw, n);
    for r in &raw {
        for (c, g) in r.games.iter().enumerate() {
            for &p in g.iter().filter(|&&p| p < n) {
                cc[p * courts + c] += 1;
            }
        }
    }
    let mut order: Vec<Vec<usize>> = raw.iter().map(|r| (0..r.games.len()).collect()).collect();
    // Further runs, each from where the last ended, while someone is still 3 apart (each
    // returns at once otherwise): 40 players on ten courts for 36 rounds, seed 1, needed
    // more than one.
    let mut stream = rng.fork();
    let mut changed = false;
    let games: usize = raw.iter().map(|r| r.games.len()).sum();
    let cost = repair_cost(games, 1);
    for _ in 0..runs {
        if cc.chunks_exact(courts).all(|row| row_spread(row) <= 2) {
            break;
        }
        if let Some(b) = budget.as_deref_mut() {
            if !b.reserve_allows(cost) {
                break;
            }
            b.extra(cost);
        }
        let run = Rng::new(stream.next_u64());
        changed |= repair_spread(&raw, courts, &lo, &hi, &mut cc, &mut order, &run);
    }
    if changed {
        put_on_courts(&mut raw, order);
    }
    raw
}

/// At most this many runs of [`repair_spread`] per schedule, each of
/// [`REPAIR_ITERS_PER_GAME`] moves per game up to [`REPAIR_MAX_ITERS`]: short runs from
/// where the last ended fixed more than one long run. Only schedules 3 apart pay for it
/// (40/10/36 and 56/14/52 took 0.07–0.21 s wall in all, CLI, release).
const REPAIR_RUNS: usize = 8;
const REPAIR_ITERS_PER_GAME: usize = 100;
const REPAIR_MAX_ITERS: usize = 100_000;
/// What work costs in search moves' time (~64 ns each on the thirtieth session's
/// machine; perf with move counts, 16–32 players): a game of a court pass about 250
/// (200 moves), a re-matching move about 7, a move of [`repair_spread`] about 2 since it
/// prices only the cells a move changes (4 before; callgrind, 32 players on eight courts
/// for 29 rounds: 2.2 k → 1.1 k instructions a move, ~0.9 k for a search move). The
/// searches' own budget charges less for the first two ([`COURT_PASS_UNITS`],
/// `rematch::UNITS_PER_MOVE`), as it was sized by them; the reserve pays the rest.
pub(crate) const REPAIR_UNITS_PER_MOVE: u64 = 2;
pub(crate) const PASS_UNITS_PER_GAME: u64 = 250;
pub(crate) const REMATCH_UNITS_PER_MOVE: u64 = 7;

/// Largest minus smallest of one player's court counts.
fn row_spread(row: &[u32]) -> u32 {
    let (mx, mn) = row
        .iter()
        .fold((0u32, u32::MAX), |(mx, mn), &x| (mx.max(x), mn.min(x)));
    mx.saturating_sub(mn)
}

/// Moves of one run of [`repair_spread`] over `games` games.
fn repair_iters(games: usize) -> usize {
    (games * REPAIR_ITERS_PER_GAME).min(REPAIR_MAX_ITERS)
}

/// [`Budget`] units of `runs` runs of [`repair_court_spread_runs`] over `games` games,
/// each move counted as a search move.
pub(crate) fn repair_units(games: usize, runs: usize) -> u64 {
    (runs * repair_iters(games)) as u64
}

/// What `runs` runs over `games` games cost in search moves' time.
pub(crate) fn repair_cost(games: usize, runs: usize) -> u64 {
    repair_units(games, runs) * REPAIR_UNITS_PER_MOVE
}

/// What [`repair_units`] leaves unpaid of those runs' time, for the reserve.
pub(crate) fn repair_unpaid(games: usize, runs: usize) -> u64 {
    repair_cost(games, runs) - repair_units(games, runs)
}

/// Imbalance cost of `x` games on one court: 0 inside ⌊G/C⌋..⌈G/C⌉, then 4^e − 1 for e
/// games outside, so one large excess costs more than several small ones (the figure
/// that matters is the largest spread; some designs force a few).
#[inline]
fn court_dev(x: u32, lo: u32, hi: u32) -> i64 {
    excess_cost(x, lo, hi, 2)
}

/// (2^bits)^e − 1 for `x` that is e outside `lo..=hi`.
#[inline]
pub(crate) fn excess_cost(x: u32, lo: u32, hi: u32, bits: u32) -> i64 {
    let e = x.saturating_sub(hi) + lo.saturating_sub(x);
    (1i64 << (bits * e).min(40)) - 1
}

/// The court pass's imbalance: 16^e − 1 for e games outside ⌊G/C⌋..⌈G/C⌉. With the
/// search's 4^e − 1 ([`court_dev`]) the pass let a few players end 3–4 games apart on one
/// court to save several others one game each: Mixed 2c + 2c players, where a SAT model
/// of the same games found spread 2 (12 of 1,100 Mixed schedules at 3–4, none now; in
/// Americano 14 of 1,158 schedules at 3+ against 6 now, BENCHMARKS.md).
#[inline]
fn pass_dev(x: u32, lo: u32, hi: u32) -> i64 {
    excess_cost(x, lo, hi, 4)
}

/// Seeded annealing on the court imbalance: moves swap the courts of two games of one
/// round (or move a game to a free court). Keeps the best assignment seen.
fn anneal_courts(
    raw: &[RawRound],
    courts: usize,
    lo: &[u32],
    hi: &[u32],
    cc: &mut [u32],
    order: &mut [Vec<usize>],
    rng: &mut Rng,
) {
    let n = lo.len();
    let dev_of = |cc: &[u32]| -> i64 {
        (0..n)
            .map(|p| {
                (0..courts)
                    .map(|c| pass_dev(cc[p * courts + c], lo[p], hi[p]))
                    .sum::<i64>()
            })
            .sum()
    };
    let mut cur = dev_of(cc);
    if cur == 0 {
        return;
    }
    // The best seen, copied into buffers kept for it (a copy per improvement).
    let (mut best, mut best_order, mut best_cc) = (cur, order.to_vec(), cc.to_vec());
    let games: usize = raw.iter().map(|r| r.games.len()).sum();
    let iters = (games * COURT_ITERS_PER_GAME).min(COURT_MAX_ITERS);
    // Temperature from 1 down to 0.05: ln 0.05 = −ln 20.
    let (t0, ln_ratio) = (1.0f64, -2.995_732_273_553_991_f64);
    let mut temp = t0;
    let draws = CourtDraws::new(raw, courts);
    let mut steps = Steps::new(cc, courts, lo, hi);
    for it in 0..iters {
        if it % 256 == 0 {
            temp = t0 * exp(ln_ratio * it as f64 / iters as f64);
        }
        let Some((r, x, cy)) = draws.draw(rng) else {
            continue;
        };
        let gs = &raw[r].games;
        let cx = order[r][x];
        if cx == cy {
            continue;
        }
        let y = order[r].iter().position(|&c| c == cy);
        let valid = |p: &&usize| **p < n;
        let mut d: i64 = gs[x]
            .iter()
            .filter(valid)
            .map(|&p| steps.leave[p * courts + cx] + steps.join[p * courts + cy])
            .sum();
        if let Some(y) = y {
            d += gs[y]
                .iter()
                .filter(valid)
                .map(|&p| steps.leave[p * courts + cy] + steps.join[p * courts + cx])
                .sum::<i64>();
        }
        // Every step of `pass_dev` is a multiple of 15, so an uphill move costs 15 or
        // more at a temperature of at most 1: it passes only on a draw below
        // exp(−15) ≈ 3.1e-7, and the exp is priced only then (the same draws and
        // outcomes as pricing it every time).
        debug_assert!(d % 15 == 0 && temp <= 1.0);
        if d <= 0 || {
            let u = rng.unit();
            u < UPHILL_DRAW_CAP && u < exp(-(d as f64) / temp)
        } {
            for &p in gs[x].iter().filter(valid) {
                cc[p * courts + cx] -= 1;
                cc[p * courts + cy] += 1;
                steps.price(cc, p * courts + cx, (lo[p], hi[p]));
                steps.price(cc, p * courts + cy, (lo[p], hi[p]));
            }
            order[r][x] = cy;
            if let Some(y) = y {
                for &p in gs[y].iter().filter(valid) {
                    cc[p * courts + cy] -= 1;
                    cc[p * courts + cx] += 1;
                    steps.price(cc, p * courts + cx, (lo[p], hi[p]));
                    steps.price(cc, p * courts + cy, (lo[p], hi[p]));
                }
                order[r][y] = cx;
            }
            cur += d;
            if cur < best {
                best = cur;
                best_order.clone_from_slice(order);
                best_cc.copy_from_slice(cc);
                if cur == 0 {
                    break;
                }
            }
        }
    }
    order.clone_from_slice(&best_order);
    cc.copy_from_slice(&best_cc);
}

/// A random game of a random round and a random court for it: the move of the court
/// pass and of the spread repair. The same draws as `rng.below` in the same order
/// (round, game, court), without a division per draw.
struct CourtDraws {
    rounds: Divisor,
    /// Each round's games (`None`: a round without games).
    games: Vec<Option<Divisor>>,
    courts: Divisor,
}

impl CourtDraws {
    fn new(raw: &[RawRound], courts: usize) -> Self {
        CourtDraws {
            rounds: Divisor::new(raw.len()),
            games: raw
                .iter()
                .map(|r| (!r.games.is_empty()).then(|| Divisor::new(r.games.len())))
                .collect(),
            courts: Divisor::new(courts),
        }
    }

    /// Round, game and court; `None` (the round drawn) when that round has no games.
    #[inline(always)]
    fn draw(&self, rng: &mut Rng) -> Option<(usize, usize, usize)> {
        let r = rng.below_by(self.rounds);
        let games = self.games.get(r).copied().flatten()?;
        Some((r, rng.below_by(games), rng.below_by(self.courts)))
    }
}

/// What one game more or less on a court changes in a player's [`pass_dev`], per cell of
/// the counts: a move of [`anneal_courts`] is priced from two cells per player instead
/// of four `pass_dev`s (the same sums; most moves are priced and rejected).
struct Steps {
    leave: Vec<i64>,
    join: Vec<i64>,
}

impl Steps {
    fn new(cc: &[u32], courts: usize, lo: &[u32], hi: &[u32]) -> Self {
        let mut steps = Steps {
            leave: vec![0; cc.len()],
            join: vec![0; cc.len()],
        };
        for i in 0..cc.len() {
            let p = i / courts;
            steps.price(cc, i, (lo[p], hi[p]));
        }
        steps
    }

    #[inline(always)]
    fn price(&mut self, cc: &[u32], i: usize, (lo, hi): (u32, u32)) {
        let x = cc[i];
        let now = pass_dev(x, lo, hi);
        // A court he has no game on is never left (only his own game moves).
        self.leave[i] = pass_dev(x.saturating_sub(1), lo, hi) - now;
        self.join[i] = pass_dev(x + 1, lo, hi) - now;
    }
}

/// Above exp(−15) ≈ 3.06e-7: no uphill move of [`anneal_courts`] passes on a larger draw.
const UPHILL_DRAW_CAP: f64 = 3.1e-7;

/// Weight of each game of court spread above 2 in [`repair_spread`], against
/// [`pass_dev`]'s 15 per game outside ⌊G/C⌋..⌈G/C⌉.
const SPREAD_EXCESS_WEIGHT: i64 = 64;

/// When some player's courts are 3 or more apart: the court pass ([`assign_courts`]) sums
/// games outside the range over cells, so one player with 2 and 5 games on two courts
/// costs it what two players one game out each do, and it can end at spread 3 where 2
/// is reachable (32 players on eight courts for 30 rounds, every seed). Anneals once
/// more on that sum plus [`SPREAD_EXCESS_WEIGHT`] per game of spread above 2, and keeps
/// the result only if it lowers (largest spread, players above 2). Draws from a copy of
/// `rng`, so the caller's stream is unchanged. Returns whether it changed `order`.
fn repair_spread(
    raw: &[RawRound],
    courts: usize,
    lo: &[u32],
    hi: &[u32],
    cc: &mut [u32],
    order: &mut [Vec<usize>],
    rng: &Rng,
) -> bool {
    let n = lo.len();
    let spread = |cc: &[u32], p: usize| i64::from(row_spread(&cc[p * courts..(p + 1) * courts]));
    let figure = |cc: &[u32]| -> (i64, usize) {
        let s: Vec<i64> = (0..n).map(|p| spread(cc, p)).collect();
        (
            s.iter().copied().max().unwrap_or(0),
            s.iter().filter(|&&x| x > 2).count(),
        )
    };
    let start = figure(cc);
    if start.0 <= 2 {
        return false;
    }
    // A player's cost from his cells' imbalance `dev` and his row.
    let with_spread = |cc: &[u32], p: usize, dev: i64| -> i64 {
        dev + SPREAD_EXCESS_WEIGHT * (spread(cc, p) - 2).max(0)
    };
    let dev_of = |cc: &[u32], p: usize| -> i64 {
        cc[p * courts..(p + 1) * courts]
            .iter()
            .map(|&x| pass_dev(x, lo[p], hi[p]))
            .sum()
    };
    let mut rng = rng.clone();
    let mut work_cc = cc.to_vec();
    let mut work_order = order.to_vec();
    // Each player's imbalance and cost as the counts stand: a move changes two cells of
    // each of its eight players, so it prices those and rescans only their spreads
    // (pricing whole rows before and after was two thirds of this pass's time).
    let mut dev: Vec<i64> = (0..n).map(|p| dev_of(&work_cc, p)).collect();
    let mut pc: Vec<i64> = (0..n).map(|p| with_spread(&work_cc, p, dev[p])).collect();
    let mut fresh: Vec<(i64, i64)> = Vec::with_capacity(8);
    let mut cur: i64 = pc.iter().sum();
    let (mut best, mut best_order, mut best_cc) = (cur, work_order.clone(), work_cc.clone());
    let games: usize = raw.iter().map(|r| r.games.len()).sum();
    let iters = repair_iters(games);
    let draws = CourtDraws::new(raw, courts);
    let mut steps = Steps::new(&work_cc, courts, lo, hi);
    // Each round's game of every player (only the games' courts change).
    let mut game_of = vec![usize::MAX; raw.len() * n];
    for (r, round) in raw.iter().enumerate() {
        for (x, g) in round.games.iter().enumerate() {
            for &p in g.iter().filter(|&&p| p < n) {
                game_of[r * n + p] = x;
            }
        }
    }
    // Hotter than the pass (a step here can cost 64, not 15): from 8 down to 0.1.
    let (t0, ln_ratio) = (8.0f64, -4.382_026_634_673_881_f64);
    let mut temp = t0;
    let mut moved: Vec<(usize, usize, usize)> = Vec::with_capacity(8);
    let mut far: Vec<usize> = Vec::new();
    let mut on_court: Vec<usize> = Vec::with_capacity(raw.len());
    for it in 0..iters {
        if it % 256 == 0 {
            temp = t0 * exp(ln_ratio * it as f64 / iters as f64);
        }
        if it % 64 == 0 {
            far = (0..n).filter(|&p| spread(&work_cc, p) > 2).collect();
        }
        // Half the moves (while someone is 3 apart) take one of his games from his
        // fullest court to his emptiest: random swaps alone needed five times the moves
        // (40 players on ten courts for 36 rounds).
        let (r, x, cy) = if !far.is_empty() && rng.below(2) == 0 {
            let p = far[rng.below(far.len())];
            let row = &work_cc[p * courts..(p + 1) * courts];
            let (mut a, mut b) = (0, 0);
            for (c, &v) in row.iter().enumerate() {
                if v > row[a] {
                    a = c;
                }
                if v < row[b] {
                    b = c;
                }
            }
            on_court.clear();
            on_court.extend((0..raw.len()).filter(|&r| {
                let x = game_of[r * n + p];
                x != usize::MAX && work_order[r][x] == a
            }));
            if on_court.is_empty() || a == b {
                continue;
            }
            let r = on_court[rng.below(on_court.len())];
            (r, game_of[r * n + p], b)
        } else {
            let Some(drawn) = draws.draw(&mut rng) else {
                continue;
            };
            drawn
        };
        let gs = &raw[r].games;
        let cx = work_order[r][x];
        if cx == cy {
            continue;
        }
        // Swaps only: a round's games are put on its first courts in court order
        // (`label_rounds`), so a move to a free court would not stay there.
        let Some(y) = work_order[r].iter().position(|&c| c == cy) else {
            continue;
        };
        // Each player with the court he leaves and the one he goes to.
        moved.clear();
        moved.extend(gs[x].iter().filter(|&&p| p < n).map(|&p| (p, cx, cy)));
        moved.extend(gs[y].iter().filter(|&&p| p < n).map(|&p| (p, cy, cx)));
        let before: i64 = moved.iter().map(|&(p, _, _)| pc[p]).sum();
        let apply = |cc: &mut [u32], forward: bool| {
            let (a, b) = if forward { (cx, cy) } else { (cy, cx) };
            for &p in gs[x].iter().filter(|&&p| p < n) {
                cc[p * courts + a] -= 1;
                cc[p * courts + b] += 1;
            }
            for &p in gs[y].iter().filter(|&&p| p < n) {
                cc[p * courts + b] -= 1;
                cc[p * courts + a] += 1;
            }
        };
        fresh.clear();
        fresh.extend(moved.iter().map(|&(p, from, to)| {
            (
                dev[p] + steps.leave[p * courts + from] + steps.join[p * courts + to],
                0,
            )
        }));
        apply(&mut work_cc, true);
        for (&(p, _, _), f) in moved.iter().zip(fresh.iter_mut()) {
            f.1 = with_spread(&work_cc, p, f.0);
        }
        let d = fresh.iter().map(|f| f.1).sum::<i64>() - before;
        if d <= 0 || rng.unit() < exp(-(d as f64) / temp) {
            for (&(p, from, to), &(dv, c)) in moved.iter().zip(&fresh) {
                (dev[p], pc[p]) = (dv, c);
                steps.price(&work_cc, p * courts + from, (lo[p], hi[p]));
                steps.price(&work_cc, p * courts + to, (lo[p], hi[p]));
            }
            work_order[r][x] = cy;
            work_order[r][y] = cx;
            cur += d;
            if cur < best {
                best = cur;
                best_order.clone_from_slice(&work_order);
                best_cc.copy_from_slice(&work_cc);
            }
        } else {
            apply(&mut work_cc, false);
        }
    }
    if figure(&best_cc) >= start {
        return false;
    }
    order.clone_from_slice(&best_order);
    cc.copy_from_slice(&best_cc);
    true
}

/// Min-cost assignment of rows (games) to distinct columns (courts), rows <= cols.
/// Classic O(n^2 m) potentials method; returns the column of each row.
pub(crate) fn hungarian(cost: &[Vec<i64>], cols: usize) -> Vec<usize> {
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

    /// The court pass skips pricing exp for draws at or above the cap: sound only while
    /// its cheapest uphill move (15 at a temperature of 1) passes below it.
    #[test]
    fn the_court_pass_draw_cap_bounds_every_uphill_move() {
        // Every value a multiple of 15, so every move's change is too.
        for x in 0..40 {
            assert_eq!(pass_dev(x, 20, 21) % 15, 0, "{x}");
        }
        assert_eq!(pass_dev(19, 20, 21), 15);
        assert!(exp(-15.0) < UPHILL_DRAW_CAP);
        assert!(exp(-15.0) > UPHILL_DRAW_CAP / 1.02);
    }

    #[test]
    fn hungarian_finds_the_cheapest_assignment() {
        assert_eq!(hungarian(&[vec![0, 3], vec![0, 0]], 2), vec![0, 1]);
        assert_eq!(hungarian(&[vec![5, 0], vec![0, 5]], 2), vec![1, 0]);
        assert_eq!(hungarian(&[vec![4, 1, 3], vec![2, 0, 5]], 3), vec![1, 0]);
    }

    /// A search left without budget (a schedule's earlier searches spent it) still
    /// returns whole rounds with fair sit-outs, only unrefined.
    #[test]
    fn an_empty_budget_still_gives_fair_whole_rounds() {
        let (n, courts, rounds) = (13, 3, 9);
        let h = History::new(n, courts);
        let mut empty = Budget::for_players(n);
        empty.take(u64::MAX);
        let keep = SitSwaps::KeepRunning;
        let raw = plan(
            &h,
            courts,
            rounds,
            None,
            None,
            keep,
            &mut empty,
            &mut Rng::new(3),
        );
        assert_eq!(raw.len(), rounds);
        let mut played = vec![0u32; n];
        for r in &raw {
            let mut seen: Vec<usize> = r.games.iter().flatten().chain(&r.sit).copied().collect();
            seen.sort_unstable();
            assert_eq!(seen, (0..n).collect::<Vec<_>>());
            assert_eq!(r.games.len(), courts);
            r.games.iter().flatten().for_each(|&p| played[p] += 1);
            let (most, fewest) = (played.iter().max(), played.iter().min());
            assert!(
                most.zip(fewest).is_some_and(|(a, b)| a - b <= 1),
                "{played:?}"
            );
        }
        assert!(!empty.allows(1));
    }

    /// The budget hands out what is left and no more, and takes back what a search
    /// that stopped early did not use.
    #[test]
    fn the_budget_never_hands_out_more_than_it_has() {
        let mut b = Budget::for_players(8);
        assert!(b.allows(SMALL_BUDGET) && !b.allows(SMALL_BUDGET + 1));
        assert_eq!(b.take(SMALL_BUDGET - 10), SMALL_BUDGET - 10);
        assert_eq!(b.take(25), 10);
        assert_eq!(b.take(1), 0);
        b.give_back(7);
        assert!(b.allows(7) && !b.allows(8));
        assert_eq!(Budget::for_players(32).take(u64::MAX), MEDIUM_BUDGET);
        assert_eq!(Budget::for_players(33).take(u64::MAX), LARGE_BUDGET);
    }

    /// Spare budgets and extras come from the reserve, never from the searches' share,
    /// and a spare's unused part goes back to the reserve.
    #[test]
    fn spares_and_extras_draw_on_the_reserve_alone() {
        let mut b = Budget {
            left: 100,
            reserve: SMALL_BUDGET + 50,
        };
        let mut spare = b.spare(8);
        assert_eq!((spare.left, spare.reserve), (SMALL_BUDGET, 0));
        assert!(b.reserve_allows(50) && !b.reserve_allows(51));
        assert_eq!(spare.take(SMALL_BUDGET - 30), SMALL_BUDGET - 30);
        b.unspare(spare);
        assert!(b.reserve_allows(80) && !b.reserve_allows(81));
        assert_eq!(b.extra(200), 80);
        assert_eq!(b.spare(8).left, 0);
        assert!(b.allows(100) && !b.allows(101));
    }
}
