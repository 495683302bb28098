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
    // (players, courts): whist orders, the N ≡ 2, 3 cases and one court fewer.
    let cases = [
        (8, 2),
        (10, 2),
        (12, 2),
        (16, 4),
        (16, 3),
        (15, 3),
        (24, 5),
        (30, 7),
        (32, 8),
        (32, 7),
        (48, 11),
        (62, 15),
        (64, 16),
        (64, 15),
    ];
    for (n, courts) in cases {
        let players: Vec<usize> = (0..n).collect();
        let rounds = default_rounds(Format::Americano, n, courts);
        let label = format!(
            "N{n}_C{courts}_R{rounds}{}",
            if courts == natural_courts(n) {
                ""
            } else {
                "_fewer"
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
