//! The CSV number formatting of `bulwark_engine::fastfmt` against std's `{x:.D}`, on the
//! numbers of a `tracks.csv` row (ENU positions to 0.1 m, velocities to 0.01 m/s, time to
//! 1 ms): one number at a time and a whole row, each beside the same text from `write!`.
//!
//! Run: `cargo bench -p bulwark-engine --bench fastfmt`. Each case formats 1,000 numbers (or
//! 1,000 rows) into a cleared string, so the figures are per 1,000.
use bulwark_engine::fastfmt::{Row, push_fixed};
use criterion::{BenchmarkId, Criterion, Throughput};
use std::fmt::Write as _;
use std::hint::black_box;

/// 1,000 values spread like a track row's: metres to hundreds of km, both signs (SplitMix64,
/// a fixed sequence).
fn values() -> Vec<f64> {
    let mut state = 0x9E37_79B9_7F4A_7C15_u64;
    (0..1_000)
        .map(|_| {
            state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^= z >> 31;
            ((z >> 11) as f64 / (1u64 << 53) as f64 - 0.5) * 10f64.powi((z % 6) as i32)
        })
        .collect()
}

fn main() {
    let mut c = Criterion::default().configure_from_args();
    let xs = values();
    let mut g = c.benchmark_group("fastfmt");
    g.throughput(Throughput::Elements(xs.len() as u64));
    let mut out = String::with_capacity(1 << 16);
    for d in [1usize, 2, 3, 7] {
        g.bench_with_input(BenchmarkId::new("push_fixed", d), &d, |b, &d| {
            b.iter(|| {
                out.clear();
                for &x in &xs {
                    push_fixed(&mut out, black_box(x), d);
                    out.push(',');
                }
                black_box(out.len())
            })
        });
        g.bench_with_input(BenchmarkId::new("std_write", d), &d, |b, &d| {
            b.iter(|| {
                out.clear();
                for &x in &xs {
                    let _ = write!(out, "{:.d$},", black_box(x));
                }
                black_box(out.len())
            })
        });
    }
    // A tracks.csv row of nine numbers: the row buffer against write! of each number.
    g.bench_function("row/fastfmt", |b| {
        b.iter(|| {
            out.clear();
            for w in xs.windows(9) {
                let mut row = Row::new(&mut out);
                row.fixed(w[0], 3).byte(b',').str("tentative,pending,");
                for (x, d) in w[1..].iter().zip([1, 1, 1, 2, 2, 2, 1, 1]) {
                    row.fixed(black_box(*x), d).byte(b',');
                }
                row.byte(b'\n');
            }
            black_box(out.len())
        })
    });
    g.bench_function("row/std_write", |b| {
        b.iter(|| {
            out.clear();
            for w in xs.windows(9) {
                let _ = write!(out, "{:.3},tentative,pending,", w[0]);
                for (x, d) in w[1..].iter().zip([1, 1, 1, 2, 2, 2, 1, 1]) {
                    let _ = write!(out, "{:.d$},", black_box(*x));
                }
                out.push('\n');
            }
            black_box(out.len())
        })
    });
    g.finish();
    c.final_summary();
}
