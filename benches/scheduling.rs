//! Schedule generation time. Run: `cargo bench --bench scheduling`.
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use std::hint::black_box;
use std::time::Duration;
use tornetic::services::scheduling::{americano, default_rounds, natural_courts, Format};

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("americano");
    g.measurement_time(Duration::from_secs(2))
        .warm_up_time(Duration::from_millis(300))
        .sample_size(10);
    // (players, courts, rounds): whist orders, the N ≡ 2, 3 cases and one court fewer
    // with the default rounds (cyclic developments from N ≥ 15), and the slowest paths:
    // short events and fewer courts (a sixth to a third resting: 51 on ten), where the
    // round-by-round search runs at its full budget; and lap designs (few courts, long
    // events: 16 on two courts, 31 on two, 64 on two; a third to a half resting at the
    // default length: 19 on three, 39 on five).
    let cases = [
        (8, 2, None),
        (10, 2, None),
        (12, 2, None),
        (16, 4, None),
        (16, 3, None),
        (15, 3, None),
        (15, 3, Some(8)),
        (19, 3, None),
        (24, 5, None),
        (30, 7, None),
        (32, 8, None),
        (32, 7, None),
        (31, 7, Some(10)),
        (48, 11, None),
        (62, 15, None),
        (64, 16, None),
        (64, 15, None),
        (63, 15, Some(12)),
        (39, 5, None),
        (51, 10, None),
        (16, 2, None),
        (31, 2, None),
        (64, 2, None),
        // The slowest of every length on the thirty-fifth session's machine (BENCHMARKS.md).
        (16, 4, Some(13)),
        (16, 2, Some(11)),
        (32, 5, Some(51)),
        (32, 4, Some(62)),
        (31, 5, Some(47)),
        (30, 6, Some(35)),
        (32, 6, Some(38)),
        (32, 6, Some(64)),
        (62, 15, Some(61)),
    ];
    for (n, courts, rounds) in cases {
        let players: Vec<usize> = (0..n).collect();
        let default = default_rounds(Format::Americano, n, courts);
        let rounds = rounds.unwrap_or(default);
        let label = format!(
            "N{n}_C{courts}_R{rounds}{}{}",
            if courts == natural_courts(n) {
                ""
            } else {
                "_fewer"
            },
            match rounds.cmp(&default) {
                std::cmp::Ordering::Less => "_short",
                std::cmp::Ordering::Equal => "",
                std::cmp::Ordering::Greater => "_long",
            }
        );
        g.bench_with_input(BenchmarkId::from_parameter(label), &n, |b, _| {
            b.iter(|| americano(black_box(&players), courts, rounds, 7))
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
