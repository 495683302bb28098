//! Court-order search behind `src/services/scheduling/whist_courts.rs`. Run by hand, not
//! in CI, not built by cargo (not a bench target):
//!
//!     cargo test --release --lib dump_designs_on_courts -- --ignored   # /tmp/designN.txt
//!     rustc -O benches/sat/court_orders.rs -o /tmp/court_orders
//!     /tmp/court_orders 200000000 1 15 < /tmp/design40.txt > /tmp/ann_40.txt
//!
//! Arguments: moves, seed, start temperature. Input: "n courts", then a line per round,
//! games in court order. Annealing over swaps of two games' courts in one round (the
//! only freedom a whist design leaves), minimising per player 10 × the squared distance
//! of each court count from ⌊g/C⌋..⌈g/C⌉ plus 1000 per game of spread above 2. Prints
//! the best order (same format) and, on stderr, its cost, largest spread and how many
//! players are above 1. The stored orders came from seed 1 at 200 M moves and start
//! temperature 15 (under a minute each up to 40 players, about two at 64).
use std::io::Read;
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
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let moves: u64 = args[1].parse().unwrap();
    let seed: u64 = args[2].parse().unwrap();
    let t0: f64 = args.get(3).map(|s| s.parse().unwrap()).unwrap_or(2.0);
    let mut s = String::new();
    std::io::stdin().read_to_string(&mut s).unwrap();
    let mut lines = s.lines();
    let hdr: Vec<usize> = lines
        .next()
        .unwrap()
        .split_whitespace()
        .map(|x| x.parse().unwrap())
        .collect();
    let (n, c) = (hdr[0], hdr[1]);
    let mut rounds: Vec<Vec<[usize; 4]>> = lines
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: Vec<usize> = l.split_whitespace().map(|x| x.parse().unwrap()).collect();
            v.chunks(4).map(|g| [g[0], g[1], g[2], g[3]]).collect()
        })
        .collect();
    let l = rounds.len();
    let mut games = vec![0u32; n];
    for r in &rounds {
        for g in r {
            for &p in g {
                games[p] += 1;
            }
        }
    }
    let lo: Vec<i32> = games.iter().map(|&g| (g / c as u32) as i32).collect();
    let hi: Vec<i32> = games.iter().map(|&g| g.div_ceil(c as u32) as i32).collect();
    let pcost = |row: &[i32], p: usize| -> i64 {
        let (mut out, mut mx, mut mn) = (0i64, i32::MIN, i32::MAX);
        for &x in row {
            let e = (lo[p] - x).max(0) + (x - hi[p]).max(0);
            out += (e * e) as i64;
            mx = mx.max(x);
            mn = mn.min(x);
        }
        10 * out + 1000 * ((mx - mn - 2).max(0) as i64)
    };
    let mut cc = vec![0i32; n * c];
    for r in &rounds {
        for (q, g) in r.iter().enumerate() {
            for &p in g {
                cc[p * c + q] += 1;
            }
        }
    }
    let total = |cc: &[i32]| -> i64 { (0..n).map(|p| pcost(&cc[p * c..(p + 1) * c], p)).sum() };
    let mut cur = total(&cc);
    let mut best = (cur, rounds.clone());
    let mut rng = Rng(seed.wrapping_mul(0x9E3779B97F4A7C15) | 1);
    eprintln!("start cost {cur}");
    let mut t = t0;
    for it in 0..moves {
        if it % 4096 == 0 {
            t = t0 * (1.0 - it as f64 / moves as f64).max(0.02);
        }
        let r = rng.below(l);
        let a = rng.below(c);
        let mut b = rng.below(c - 1);
        if b >= a {
            b += 1;
        }
        let (ga, gb) = (rounds[r][a], rounds[r][b]);
        let mut d = 0i64;
        for &p in &ga {
            let b0 = pcost(&cc[p * c..(p + 1) * c], p);
            cc[p * c + a] -= 1;
            cc[p * c + b] += 1;
            d += pcost(&cc[p * c..(p + 1) * c], p) - b0;
        }
        for &p in &gb {
            let b0 = pcost(&cc[p * c..(p + 1) * c], p);
            cc[p * c + b] -= 1;
            cc[p * c + a] += 1;
            d += pcost(&cc[p * c..(p + 1) * c], p) - b0;
        }
        if d <= 0 || rng.unit() < (-(d as f64) / t).exp() {
            rounds[r].swap(a, b);
            cur += d;
            if cur < best.0 {
                best = (cur, rounds.clone());
                if cur == 0 {
                    break;
                }
            }
        } else {
            for &p in &ga {
                cc[p * c + a] += 1;
                cc[p * c + b] -= 1;
            }
            for &p in &gb {
                cc[p * c + b] += 1;
                cc[p * c + a] -= 1;
            }
        }
    }
    let rounds = best.1;
    let mut cc = vec![0i32; n * c];
    for r in &rounds {
        for (q, g) in r.iter().enumerate() {
            for &p in g {
                cc[p * c + q] += 1;
            }
        }
    }
    let spreads: Vec<i32> = (0..n)
        .map(|p| {
            let row = &cc[p * c..(p + 1) * c];
            row.iter().max().unwrap() - row.iter().min().unwrap()
        })
        .collect();
    let bad = spreads.iter().filter(|&&s| s > 1).count();
    eprintln!(
        "best cost {} max spread {} players above 1: {}",
        best.0,
        spreads.iter().max().unwrap(),
        bad
    );
    for r in &rounds {
        println!(
            "{}",
            r.iter()
                .flat_map(|g| g.iter())
                .map(|x| x.to_string())
                .collect::<Vec<_>>()
                .join(" ")
        );
    }
}
