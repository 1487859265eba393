//! The tracker's per-scan gate and predict path as the engine drives it: a picture of 300
//! tentative tracks (single-plot false alarms, as a search radar's clutter leaves them) and
//! one call of `Tracker::process_expecting` with
//! - `gate/dwell/2x300`: the 2 plots of a track-dwell batch (no grid: linear pre-filter);
//! - `gate/search/60x300`: a search look's 60 plots (grid pre-filter);
//!
//! and one track's prediction, `predict/full` (F P Fᵀ + Q) against `predict/horizontal` (the
//! pre-filter's moments only). Plots are range/azimuth/elevation/range-rate fixes of one radar
//! (its own measurement model per plot, as the engine makes them), seeded, 20–200 km out.
//! The picture is rebuilt outside the timing for every call.
//!
//! Run: `cargo bench -p bulwark-tracking --bench gate`.
use bulwark_core::{Mat3, SensorId, Vec3};
use bulwark_tracking::{
    Detection, GaussianState, KalmanPredictor, Predictor, RangeAzElRr, SensorPose, StateMatrix, StateVector, Tracker,
    TrackerConfig,
};
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use nalgebra::DVector;
use std::hint::black_box;
use std::sync::Arc;

/// Spectral density of the tracker's process noise (m²/s³), the engine's value.
const Q: f64 = 400.0;

/// `n` plots at `t_s` drawn from `seed` (xorshift64): uniform in range, azimuth, elevation.
fn plots(n: usize, t_s: f64, seed: u64) -> Vec<Detection> {
    let mut s = seed | 1;
    let mut u = move || {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        (s >> 11) as f64 / (1u64 << 53) as f64
    };
    let pose = SensorPose::new(Vec3::zeros(), Mat3::identity()).expect("identity pose");
    (0..n)
        .map(|_| {
            let (r, az, el, rr) =
                (20e3 + 180e3 * u(), std::f64::consts::TAU * u(), 0.01 + 0.15 * u(), 600.0 * u() - 300.0);
            let model = RangeAzElRr::new(pose.clone(), 50.0 + 50.0 * u(), 2e-3, 2e-3, Some(5.0)).expect("valid sigmas");
            Detection { t_s, z: DVector::from_vec(vec![r, az, el, rr]), model: Arc::new(model), sensor: SensorId(1) }
        })
        .collect()
}

/// A tracker holding 300 tentative tracks started at t = 0.
fn picture() -> Tracker {
    let mut tracker = Tracker::new(TrackerConfig::constant_velocity(Q)).expect("valid config");
    tracker.process_expecting(0.0, &plots(300, 0.0, 7), &|_| false);
    tracker
}

fn benches(c: &mut Criterion) {
    let mut g = c.benchmark_group("gate");
    for (name, n, expected) in [("dwell/2x300", 2, false), ("search/60x300", 60, true)] {
        g.bench_function(name, |b| {
            b.iter_batched(
                || (picture(), plots(n, 4.0, 11)),
                |(mut tracker, dets)| black_box(tracker.process_expecting(4.0, &dets, &|_| expected)),
                BatchSize::LargeInput,
            )
        });
    }
    g.finish();
    // A young track's prior: a full position block, a diagonal velocity block, no cross terms.
    let predictor = KalmanPredictor::new(Arc::new(bulwark_tracking::ConstantVelocity::new(Q)));
    let mut p = StateMatrix::zeros();
    p.fixed_view_mut::<3, 3>(0, 0).copy_from(&Mat3::new(2.5e3, 400.0, -90.0, 400.0, 9e3, 120.0, -90.0, 120.0, 4e3));
    p.fixed_view_mut::<3, 3>(3, 3).copy_from(&(Mat3::identity() * 9e4));
    let prior = GaussianState::new(StateVector::new(5e4, -3e4, 2e3, 0.0, 0.0, 0.0), p);
    let mut g = c.benchmark_group("predict");
    g.bench_function("full", |b| b.iter(|| black_box(predictor.predict(black_box(&prior), 4.0))));
    g.bench_function("horizontal", |b| b.iter(|| black_box(predictor.predict_horizontal(black_box(&prior), 4.0))));
    g.finish();
}

criterion_group!(gate, benches);
criterion_main!(gate);
