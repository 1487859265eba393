//! Weapon–target assignment speed: greedy maximum marginal return alone and with its local
//! search, on seeded random instances of `RandomWtaSpec::large` (4 launchers per radar,
//! 2 interceptor types per launcher with 4–8 missiles each, each type able to engage 30 %
//! of the targets), from 100 targets × 20 launchers to 1,000 × 100 (and 2,000 × 200);
//! plus branch and bound on small instances. Run: `cargo bench -p bulwark-c2 --bench wta`.
use bulwark_c2::wta::{BranchAndBound, MaxMarginalReturn, RandomWtaSpec, WtaSolver};
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use std::hint::black_box;

fn heuristic(c: &mut Criterion) {
    let mut g = c.benchmark_group("wta");
    g.sample_size(20);
    let greedy = MaxMarginalReturn::greedy_only();
    let search = MaxMarginalReturn::default();
    for (targets, launchers) in [(100, 20), (250, 50), (500, 50), (1000, 100), (2000, 200)] {
        let pb = RandomWtaSpec::large(targets, launchers).generate(1).expect("valid spec");
        let label = format!("{targets}x{launchers}");
        g.bench_with_input(BenchmarkId::new("greedy", &label), &pb, |b, pb| b.iter(|| greedy.solve(black_box(pb))));
        g.bench_with_input(BenchmarkId::new("greedy+search", &label), &pb, |b, pb| {
            b.iter(|| search.solve(black_box(pb)))
        });
    }
    for (targets, launchers) in [(6, 4), (10, 6)] {
        let pb = RandomWtaSpec::small(targets, launchers).generate(1).expect("valid spec");
        let label = format!("{targets}x{launchers}");
        let exact = BranchAndBound::default();
        g.bench_with_input(BenchmarkId::new("branch_and_bound", &label), &pb, |b, pb| {
            b.iter(|| exact.solve(black_box(pb)))
        });
    }
    g.finish();
}

criterion_group!(benches, heuristic);
criterion_main!(benches);
