//! Encode and decode throughput of realistic CAT048 target reports (plots with a Mode S
//! track: 010, 140, 020, 040, 070, 090, 130, 220, 240, 161, 042, 200, 170; 40–45 octets
//! each), measured per record. Run: `cargo bench -p bulwark-asterix --bench codec`.
//!
//! With `BULWARK_BENCH_CPU=1` the time reported is the thread's CPU time
//! (`/proc/thread-self/schedstat`, Linux) instead of wall-clock time, which on a shared machine
//! counts the other processes too. With `BULWARK_BENCH_DECODE_REPS=n` criterion is skipped and
//! the 1000 records are decoded `n` times, for a repeatable instruction count:
//! `valgrind --tool=callgrind target/release/deps/codec-* --bench` at two values of `n`, the
//! difference divided by the extra records.
use bulwark_asterix::bytes::Reader;
use bulwark_asterix::cat048::{self, Cat048};
use bulwark_asterix::{Callsign, DataSource, Xy};
use criterion::{Criterion, Throughput, criterion_group};
use std::hint::black_box;
use std::time::{Duration, Instant};

const N: usize = 1000;

/// `N` distinct reports of aircraft spread around the radar (deterministic).
fn reports() -> Vec<Cat048> {
    let calls = ["AFR1234", "BAW56", "DLH9K", "KLM1601", "RYR88XY", "EZY12", "SAS903", "UAE7"];
    (0..N)
        .map(|i| {
            let f = i as f64;
            let az = (f * 0.731) % std::f64::consts::TAU;
            let range = 5_000.0 + (f * 397.0) % 400_000.0;
            Cat048 {
                data_source: Some(DataSource { sac: 25, sic: 201 }),
                time_of_day: Some(43_200.0 + f * 0.01),
                descriptor: Some(cat048::TargetReportDescriptor { typ: 5, ..Default::default() }),
                measured_polar: Some(cat048::MeasuredPolar { range, azimuth: az }),
                mode3a: Some(cat048::Mode3A { code: (i as u16 * 7) & 0o7777, ..Default::default() }),
                flight_level: Some(cat048::FlightLevel {
                    altitude: 3_000.0 + (f * 17.0) % 9_000.0,
                    ..Default::default()
                }),
                plot: Some(cat048::PlotCharacteristics {
                    ssr_runlength: Some(0.02),
                    ssr_replies: Some(8),
                    ssr_amplitude_dbm: Some(-70),
                    ..Default::default()
                }),
                aircraft_address: Some(0x3C_0000 + i as u32),
                aircraft_id: Callsign::new(calls[i % calls.len()]),
                track_number: Some((i % 4096) as u16),
                calculated_position: Some(Xy { x: range * az.sin(), y: range * az.cos() }),
                velocity: Some(cat048::PolarVelocity { ground_speed: 230.0, heading: az }),
                track_status: Some(cat048::TrackStatus { sensor: 2, ..Default::default() }),
            }
        })
        .collect()
}

/// Thread CPU time in ns, if the kernel exposes it.
fn cpu_ns() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    s.split_whitespace().next()?.parse().ok()
}

/// Time of `iters` calls of `f`: thread CPU time when `cpu` (and the kernel has it), else wall.
fn timed(iters: u64, cpu: bool, mut f: impl FnMut()) -> Duration {
    let (w0, c0) = (Instant::now(), if cpu { cpu_ns() } else { None });
    for _ in 0..iters {
        f();
    }
    match (c0, if cpu { cpu_ns() } else { None }) {
        (Some(a), Some(b)) if b > a => Duration::from_nanos(b - a),
        _ => w0.elapsed(),
    }
}

/// The encoded bytes of [`reports`], back to back (no block header).
fn encoded(recs: &[Cat048]) -> Vec<u8> {
    let mut bytes = Vec::new();
    for r in recs {
        r.encode(&mut bytes).expect("encodable");
    }
    bytes
}

/// Decodes every record of `bytes`; the sum of track numbers keeps the work observable.
#[inline(never)]
fn decode_all(bytes: &[u8]) -> u32 {
    let mut r = Reader::new(black_box(bytes));
    let mut n = 0u32;
    while !r.is_empty() {
        let rec = Cat048::decode(&mut r).expect("decodable");
        n = n.wrapping_add(u32::from(rec.track_number.unwrap_or(0)));
    }
    n
}

fn codec(c: &mut Criterion) {
    let cpu = std::env::var_os("BULWARK_BENCH_CPU").is_some();
    let recs = reports();
    let bytes = encoded(&recs);
    let mut g = c.benchmark_group("cat048");
    g.throughput(Throughput::Elements(N as u64));
    g.bench_function("encode", |b| {
        let mut out = Vec::with_capacity(bytes.len());
        b.iter_custom(|iters| {
            timed(iters, cpu, || {
                out.clear();
                for r in black_box(&recs) {
                    r.encode(&mut out).expect("encodable");
                }
                black_box(out.len());
            })
        })
    });
    g.bench_function("decode", |b| b.iter_custom(|iters| timed(iters, cpu, || _ = black_box(decode_all(&bytes)))));
    g.finish();
}

criterion_group!(benches, codec);

fn main() {
    if let Some(reps) = std::env::var("BULWARK_BENCH_DECODE_REPS").ok().and_then(|s| s.parse::<u64>().ok()) {
        let bytes = encoded(&reports());
        let mut n = 0u32;
        for _ in 0..reps {
            n = n.wrapping_add(decode_all(&bytes));
        }
        println!("decoded {} records (checksum {n})", reps * N as u64);
        return;
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}
