//! Rating update throughput: single updates and a full history replay.
use std::collections::BTreeMap;
use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use tornetic::services::ratings::sim::{simulate_season, SessionStyle, SimConfig};
use tornetic::services::ratings::{replay, update, win_probability, MatchRecord, Params, Rating};

fn bench(c: &mut Criterion) {
    let p = Params::default();
    let a = [
        Rating {
            mu: 3.2,
            sigma: 0.6,
        },
        Rating {
            mu: 4.1,
            sigma: 0.3,
        },
    ];
    let b = [
        Rating {
            mu: 3.9,
            sigma: 0.9,
        },
        Rating {
            mu: 3.0,
            sigma: 0.5,
        },
    ];
    c.bench_function("update", |bch| {
        bch.iter(|| update(black_box(a), black_box(b), black_box(14), black_box(10), &p))
    });
    c.bench_function("win_probability", |bch| {
        bch.iter(|| win_probability(black_box(a), black_box(b), &p))
    });

    let season = simulate_season(&SimConfig::default(), SessionStyle::Mixed, 1);
    let matches: Vec<MatchRecord<usize>> = season
        .matches
        .iter()
        .map(|m| MatchRecord {
            team_a: m.team_a,
            team_b: m.team_b,
            score_a: m.score_a,
            score_b: m.score_b,
        })
        .collect();
    let mut group = c.benchmark_group("replay");
    group.throughput(Throughput::Elements(matches.len() as u64));
    group.bench_function("season", |bch| {
        bch.iter(|| replay(&BTreeMap::new(), black_box(&matches), &p))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
