//! The rounds after a cyclic development, built from the partner pairs it never used.
//!
//! A development's N rounds partner exactly the pairs of its base round's difference
//! classes; the pairs left over are whole classes, and each class is a union of cycles
//! x, x + d, x + 2d, … of length N / gcd(d, N). An even cycle splits into two perfect
//! matchings (alternate edges), an odd one into two near-perfect ones and one edge.
//! Played one matching after another (a pass), each round takes the rest of the current
//! pass and the start of the next: every player plays once per pass, so games stay
//! within one after every round and nobody rests twice in a row, while every new
//! partnership is a pair that has not partnered yet. Where a sixth to a third of the
//! players rest, the round-by-round search could not find such a decomposition: its
//! sit-outs, chosen first, rarely leave each round's players a perfect matching of
//! unused pairs. Over the 93 default-length events of N ≤ 64 with a sixth to a third
//! resting, seeds 0–2, it left 258–282 avoidable repeats in 51–56 schedules (up to 18
//! in one); with this construction, 0–13 in 0–3.
//!
//! A round must seat whoever rested last round and, to keep games within one, everyone
//! behind (or, when they outnumber the places, only them). Its pairs are a matching of
//! the unused pairs of the current pass and the next few, earlier passes first, found
//! greedily and then by augmenting paths; only where those run out is a pair repeated.
//! The class order is shuffled and tried again while that leaves repeats the count does
//! not force. Opponents and courts are then refined by the cold search, which keeps the
//! partners.

use super::cyclic::gcd;
use super::engine::{pix, History, RawRound};
use super::rng::Rng;

/// Orders of the leftover classes tried before giving up on a fair construction.
const TRIES: usize = 32;

/// The matchings (passes) of the leftover classes of a development in `h`, in class
/// order `classes`.
fn passes(n: usize, classes: &[usize]) -> Vec<Vec<(usize, usize)>> {
    let mut out = Vec::new();
    for &d in classes {
        if 2 * d == n {
            out.push((0..d).map(|c| (c, c + d)).collect());
            continue;
        }
        let g = gcd(d, n);
        let len = n / g;
        let v = |c: usize, i: usize| (c + (i % len) * d) % n;
        let edges = |from: usize, to: usize| -> Vec<(usize, usize)> {
            (0..g)
                .flat_map(|c| (from..to).step_by(2).map(move |i| (c, i)))
                .map(|(c, i)| (v(c, i), v(c, i + 1)))
                .collect()
        };
        if len.is_multiple_of(2) {
            out.push(edges(0, len));
            out.push(edges(1, len));
        } else {
            out.push(edges(0, len - 1));
            out.push(edges(1, len - 1));
            out.push(edges(len - 1, len));
        }
    }
    out
}

/// `rounds` rounds on `courts` courts after the development recorded in `h` (a whole
/// development: its unused pairs are whole classes), partners drawn from the pairs it
/// never partnered. `None` when those fall more than a round's partnerships short, or
/// when no class order tried keeps games within one after every round with no two rests
/// in a row. Games are in an arbitrary order (the caller's search sets opponents and
/// courts).
pub(super) fn leftover_rounds(
    h: &History,
    courts: usize,
    rounds: usize,
    rng: &mut Rng,
) -> Option<Vec<RawRound>> {
    let n = h.n;
    let teams = 2 * courts;
    let mut classes: Vec<usize> = (1..=n / 2)
        .filter(|&d| h.partner[pix(n, 0, d)] == 0)
        .collect();
    if classes.is_empty() || rounds == 0 {
        return None;
    }
    let unused: usize = classes
        .iter()
        .map(|&d| if 2 * d == n { d } else { n })
        .sum();
    // Beyond one round's worth of repeats the rounds are mostly repeats anyway, which
    // the search spreads better (two developments' length with few resting).
    if teams * rounds > unused + teams {
        return None;
    }
    let forced = (teams * rounds).saturating_sub(unused);
    let mut best: Option<(usize, Vec<RawRound>)> = None;
    for _ in 0..TRIES {
        rng.shuffle(&mut classes);
        if let Some((repeats, r)) = build(h, teams, rounds, &passes(n, &classes), rng) {
            if best.as_ref().is_none_or(|(e, _)| repeats < *e) {
                best = Some((repeats, r));
            }
            if repeats <= forced {
                break;
            }
        }
    }
    best.map(|(_, r)| r)
}

/// Passes ahead of the first unfinished one whose pairs a round may take.
const LOOKAHEAD: usize = 5;

/// What a construction knows after each round.
struct State {
    n: usize,
    /// Pass of each unused pair (at [`pix`]), `usize::MAX` once used or if none.
    pass_of: Vec<usize>,
    /// Unused pairs per pass, and the first pass with any.
    remaining: Vec<usize>,
    first: usize,
    partner: Vec<u32>,
    played: Vec<u32>,
    sat_last: Vec<bool>,
}

/// One construction from `passes`: the partner repeats beyond `h`'s and the rounds, or
/// `None` if it cannot stay fair throughout.
fn build(
    h: &History,
    teams: usize,
    rounds: usize,
    passes: &[Vec<(usize, usize)>],
    rng: &mut Rng,
) -> Option<(usize, Vec<RawRound>)> {
    let n = h.n;
    let mut st = State {
        n,
        pass_of: vec![usize::MAX; n * n],
        remaining: passes.iter().map(Vec::len).collect(),
        first: 0,
        partner: h.partner.clone(),
        played: h.played.clone(),
        sat_last: h.sat_last.clone(),
    };
    for (i, p) in passes.iter().enumerate() {
        for &(a, b) in p {
            st.pass_of[pix(n, a, b)] = i;
        }
    }
    let mut out = Vec::with_capacity(rounds);
    let mut repeats = 0;
    for _ in 0..rounds {
        while st.first < st.remaining.len() && st.remaining[st.first] == 0 {
            st.first += 1;
        }
        let m = round_pairs(&st, teams, rng)?;
        let mut chosen: Vec<(usize, usize)> = (0..n)
            .filter_map(|a| m.mate[a].filter(|&b| a < b).map(|b| (a, b)))
            .collect();
        for &(a, b) in &chosen {
            let i = pix(n, a, b);
            repeats += (st.partner[i] > 0) as usize;
            st.partner[i] += 1;
            if st.pass_of[i] != usize::MAX {
                st.remaining[st.pass_of[i]] -= 1;
                st.pass_of[i] = usize::MAX;
            }
            st.played[a] += 1;
            st.played[b] += 1;
        }
        let sit: Vec<usize> = (0..n).filter(|&p| m.free(p)).collect();
        let most = st.played.iter().max().copied().unwrap_or(0);
        let fewest = st.played.iter().min().copied().unwrap_or(0);
        if sit.iter().any(|&p| st.sat_last[p]) || most - fewest > 1 {
            return None;
        }
        st.sat_last = (0..n).map(|p| m.free(p)).collect();
        // Teams meet at random: the search then balances opponents from there.
        rng.shuffle(&mut chosen);
        let games = chosen
            .chunks_exact(2)
            .map(|t| [t[0].0, t[0].1, t[1].0, t[1].1])
            .collect();
        out.push(RawRound { games, sit });
    }
    Some((repeats, out))
}

/// The next round's `teams` partnerships: unused pairs of the passes from the first
/// unfinished one up to [`LOOKAHEAD`] further (earlier passes first), covering whoever
/// must play; repeats only where those run out. `None` if the round cannot keep games
/// within one.
fn round_pairs(st: &State, teams: usize, rng: &mut Rng) -> Option<Matching> {
    let n = st.n;
    let fewest = st.played.iter().min().copied().unwrap_or(0);
    let behind: Vec<bool> = st.played.iter().map(|&g| g == fewest).collect();
    // Games within one: if the players behind fit in the round they all play, else
    // only they play. Nobody rests twice in a row.
    let (required, allowed): (Vec<bool>, Vec<bool>) =
        if behind.iter().filter(|&&b| b).count() <= 2 * teams {
            let req = (0..n).map(|p| behind[p] || st.sat_last[p]).collect();
            (req, vec![true; n])
        } else {
            if (0..n).any(|p| st.sat_last[p] && !behind[p]) {
                return None;
            }
            (st.sat_last.clone(), behind)
        };
    let horizon = st.first + LOOKAHEAD;
    let mut adj: Vec<Vec<(usize, usize)>> = vec![Vec::new(); n];
    let mut edges = Vec::new();
    for a in 0..n {
        for b in a + 1..n {
            let pass = st.pass_of[pix(n, a, b)];
            if pass < horizon && allowed[a] && allowed[b] {
                adj[a].push((pass, b));
                adj[b].push((pass, a));
                let req = required[a] as u8 + required[b] as u8;
                edges.push((std::cmp::Reverse(req), pass, rng.next_u64(), a, b));
            }
        }
    }
    adj.iter_mut().for_each(|l| l.sort_unstable());
    edges.sort_unstable();
    let mut m = Matching::new(n);
    // Players who must play with each other first (nearly a maximum matching: greedy,
    // then augmenting paths), then with others while the round has room, then with
    // each other at the cost of a repeat.
    for &(std::cmp::Reverse(req), _, _, a, b) in &edges {
        if req == 2 && m.free(a) && m.free(b) {
            m.join(a, b);
        }
    }
    let must: Vec<usize> = (0..n).filter(|&u| required[u]).collect();
    for &u in &must {
        if m.free(u) {
            m.augment(u, &adj, &required, &mut vec![false; n]);
        }
    }
    let free_required = must.iter().filter(|&&u| m.free(u)).count();
    let mut room = (2 * teams.saturating_sub(m.len())).saturating_sub(free_required);
    for &u in &must {
        if room > 0 && m.free(u) && m.augment(u, &adj, &allowed, &mut vec![false; n]) {
            room -= 1;
        }
    }
    while let Some(&u) = must.iter().find(|&&u| m.free(u)) {
        let w = (0..n)
            .filter(|&w| w != u && m.free(w) && allowed[w])
            .min_by_key(|&w| (!required[w], st.partner[pix(n, u, w)]))?;
        m.join(u, w);
    }
    for &(_, _, _, a, b) in &edges {
        if m.len() < teams && m.free(a) && m.free(b) {
            m.join(a, b);
        }
    }
    while m.len() < teams {
        // Out of unused pairs (forced repeats): the least partnered free players.
        let mut free: Vec<usize> = (0..n).filter(|&p| m.free(p) && allowed[p]).collect();
        rng.shuffle(&mut free);
        let a = *free.first()?;
        let b = *free[1..]
            .iter()
            .min_by_key(|&&b| st.partner[pix(n, a, b)])?;
        m.join(a, b);
    }
    (m.len() == teams).then_some(m)
}

/// A matching under construction.
struct Matching {
    mate: Vec<Option<usize>>,
    edges: usize,
}

impl Matching {
    fn new(n: usize) -> Self {
        Matching {
            mate: vec![None; n],
            edges: 0,
        }
    }

    fn len(&self) -> usize {
        self.edges
    }

    fn free(&self, p: usize) -> bool {
        self.mate[p].is_none()
    }

    fn join(&mut self, a: usize, b: usize) {
        self.mate[a] = Some(b);
        self.mate[b] = Some(a);
        self.edges += 1;
    }

    fn split(&mut self, a: usize) -> Option<usize> {
        let b = self.mate[a].take()?;
        self.mate[b] = None;
        self.edges -= 1;
        Some(b)
    }

    /// Covers the free player `u` by an augmenting path through players `ok` allows
    /// (no blossoms: it may miss one, never breaks the matching).
    fn augment(
        &mut self,
        u: usize,
        adj: &[Vec<(usize, usize)>],
        ok: &[bool],
        seen: &mut [bool],
    ) -> bool {
        seen[u] = true;
        for &(_, w) in &adj[u] {
            if ok[w] && !seen[w] && self.free(w) {
                self.join(u, w);
                return true;
            }
        }
        for &(_, w) in &adj[u] {
            if !ok[w] || seen[w] {
                continue;
            }
            seen[w] = true;
            let Some(x) = self.split(w) else { continue };
            self.join(u, w);
            if self.augment(x, adj, ok, seen) {
                return true;
            }
            self.split(u);
            self.join(w, x);
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::services::scheduling::cyclic::cyclic_rounds;
    use crate::services::scheduling::engine::Budget;

    /// The history after a development of `n` players on `courts` courts.
    fn developed(n: usize, courts: usize, seed: u64) -> History {
        let mut rng = Rng::new(seed);
        let mut budget = Budget::for_players(n);
        let raw =
            cyclic_rounds(n, courts, true, false, &mut budget, &mut rng).expect("a development");
        let mut h = History::new(n, courts);
        raw.iter().for_each(|r| h.record(r, &[]));
        h
    }

    /// Default-length events with a sixth to a third resting, where the search left up to
    /// 18 avoidable repeats: every new partnership is an unused pair (or, past those, as
    /// few repeats as the count forces), everyone plays or sits each round, nobody rests
    /// twice in a row (the development's last round included) and games stay within one.
    #[test]
    fn rounds_partner_unused_pairs_and_stay_fair() {
        for (n, courts, rounds, seed) in [
            (24, 4, 11, 0),
            (30, 5, 14, 1),
            (45, 8, 17, 2),
            (54, 9, 26, 0),
            (60, 10, 29, 0),
            (64, 11, 28, 3),
        ] {
            let at = format!("{n}/{courts} + {rounds} rounds, seed {seed}");
            let h = developed(n, courts, seed);
            let unused = (0..n)
                .flat_map(|a| (a + 1..n).map(move |b| (a, b)))
                .filter(|&(a, b)| h.partner[pix(n, a, b)] == 0)
                .count();
            let forced = (2 * courts * rounds).saturating_sub(unused);
            let built = leftover_rounds(&h, courts, rounds, &mut Rng::new(seed))
                .unwrap_or_else(|| panic!("{at}: no fair construction"));
            assert_eq!(built.len(), rounds, "{at}");
            let mut after = h.clone();
            for r in &built {
                assert_eq!(r.games.len(), courts, "{at}");
                let mut seen = vec![0; n];
                r.games
                    .iter()
                    .flatten()
                    .chain(&r.sit)
                    .for_each(|&p| seen[p] += 1);
                assert!(seen.iter().all(|&k| k == 1), "{at}: {r:?}");
                assert!(r.sit.iter().all(|&p| !after.sat_last[p]), "{at}: two rests");
                after.record(r, &[]);
                let most = after.played.iter().max().copied().unwrap_or(0);
                let fewest = after.played.iter().min().copied().unwrap_or(0);
                assert!(most - fewest <= 1, "{at}: games {fewest}..{most}");
            }
            let repeats: u32 = after.partner.iter().map(|&x| x.saturating_sub(1)).sum();
            let before: u32 = h.partner.iter().map(|&x| x.saturating_sub(1)).sum();
            assert_eq!(repeats - before, forced as u32, "{at}");
        }
    }

    /// Two developments' length with a fifth resting: 30 more rounds of 12 partnerships
    /// from the 3 classes (90 pairs) left would be mostly repeats, so it declines; the
    /// default length, 7 more, it builds.
    #[test]
    fn declines_when_the_unused_pairs_run_far_short() {
        let h = developed(30, 6, 0);
        assert!(leftover_rounds(&h, 6, 30, &mut Rng::new(0)).is_none());
        assert!(leftover_rounds(&h, 6, 7, &mut Rng::new(0)).is_some());
    }

    #[test]
    fn passes_are_matchings_covering_each_class_once() {
        for n in [12usize, 15, 30, 45, 64] {
            let classes: Vec<usize> = (1..=n / 2).collect();
            let mut count = vec![0; n * n];
            for pass in passes(n, &classes) {
                let mut seen = vec![false; n];
                for (a, b) in pass {
                    assert!(!seen[a] && !seen[b], "{n}: not a matching");
                    (seen[a], seen[b]) = (true, true);
                    count[pix(n, a, b)] += 1;
                }
            }
            for a in 0..n {
                for b in a + 1..n {
                    assert_eq!(count[pix(n, a, b)], 1, "{n}: pair {a}-{b}");
                }
            }
        }
    }
}
