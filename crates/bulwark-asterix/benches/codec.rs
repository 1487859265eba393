//! Encode and decode throughput of realistic CAT048 target reports (plots with a Mode S
//! track: 010, 140, 020, 040, 070, 090, 130, 220, 240, 161, 042, 200, 170; 40–45 octets
//! each), measured per record. Run: `cargo bench -p bulwark-asterix --bench codec`.
use bulwark_asterix::bytes::Reader;
use bulwark_asterix::cat048::{self, Cat048};
use bulwark_asterix::{Callsign, DataSource, Xy};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;

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

fn codec(c: &mut Criterion) {
    let recs = reports();
    let mut bytes = Vec::new();
    for r in &recs {
        r.encode(&mut bytes).expect("encodable");
    }
    let mut g = c.benchmark_group("cat048");
    g.throughput(Throughput::Elements(N as u64));
    g.bench_function("encode", |b| {
        let mut out = Vec::with_capacity(bytes.len());
        b.iter(|| {
            out.clear();
            for r in black_box(&recs) {
                r.encode(&mut out).expect("encodable");
            }
            black_box(out.len())
        })
    });
    g.bench_function("decode", |b| {
        b.iter(|| {
            let mut r = Reader::new(black_box(&bytes));
            let mut n = 0u32;
            while !r.is_empty() {
                let rec = Cat048::decode(&mut r).expect("decodable");
                n = n.wrapping_add(u32::from(rec.track_number.unwrap_or(0)));
            }
            black_box(n)
        })
    });
    g.finish();
}

criterion_group!(benches, codec);
criterion_main!(benches);
