//! Multi-sensor fusion: two radars of different positions, accuracies and rates on the
//! same targets; in-order fusion beats either radar alone; out-of-sequence scans delayed by
//! less than the bound give the in-order result; older ones are rejected and counted.
use bulwark_core::{RngStream, RngStreams, SensorId, StreamPurpose};
use bulwark_tracking::{
    BearingRange2D, Detection, FusionConfig, FusionTracker, Gate, MeasurementModel, MultiTargetTracker, StateVector,
    TrackerConfig,
};
use std::sync::Arc;

const N_TARGETS: usize = 6;

fn truth(i: usize, t: f64) -> StateVector {
    // Well separated straight-line targets 30–70 km out.
    let a = i as f64 * 1.05;
    let (r, v) = (30e3 + 8e3 * i as f64, 200.0 + 10.0 * i as f64);
    let h = a + 2.0;
    StateVector::new(r * a.cos() + v * h.cos() * t, r * a.sin() + v * h.sin() * t, 0.0, v * h.cos(), v * h.sin(), 0.0)
}

struct Radar {
    model: Arc<dyn MeasurementModel>,
    sigma: [f64; 2],
    period: f64,
    sensor: SensorId,
}

fn radars() -> [Radar; 2] {
    let a = [0.3f64.to_radians(), 60.0];
    let b = [0.15f64.to_radians(), 25.0];
    [
        Radar {
            model: Arc::new(BearingRange2D::new([0.0, 0.0], a[0], a[1]).unwrap()),
            sigma: a,
            period: 1.0,
            sensor: SensorId(1),
        },
        Radar {
            model: Arc::new(BearingRange2D::new([40e3, -25e3], b[0], b[1]).unwrap()),
            sigma: b,
            period: 4.7,
            sensor: SensorId(2),
        },
    ]
}

/// One scan of radar `r` at `t` (P_D = 1, no clutter).
fn scan(r: &Radar, t: f64, rng: &mut RngStream) -> Vec<Detection> {
    (0..N_TARGETS)
        .map(|i| {
            let mut z = r.model.function(&truth(i, t));
            z[0] += r.sigma[0] * rng.normal();
            z[1] += r.sigma[1] * rng.normal();
            Detection { t_s: t, z, model: r.model.clone(), sensor: r.sensor }
        })
        .collect()
}

const T_END: f64 = 120.0;

/// All scans of the chosen radars up to T_END as (measurement time, delivery time, detections),
/// radar B's scans delivered `delay_b` seconds late, sorted by delivery time.
fn feed(use_a: bool, use_b: bool, delay_b: f64, seed: u64) -> Vec<(f64, f64, Vec<Detection>)> {
    let rs = radars();
    let streams = RngStreams::new(seed, 0);
    let mut out = Vec::new();
    for (k, r) in rs.iter().enumerate() {
        if (k == 0 && !use_a) || (k == 1 && !use_b) {
            continue;
        }
        let mut rng = streams.stream(k as u64, StreamPurpose::MeasurementNoise);
        let delay = if k == 1 { delay_b } else { 0.0 };
        let mut j = 0;
        while j as f64 * r.period <= T_END {
            let t = j as f64 * r.period;
            out.push((t, t + delay, scan(r, t, &mut rng)));
            j += 1;
        }
    }
    // Delivery order; ties by measurement time then sensor (stable sort keeps A before B).
    out.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.total_cmp(&b.0)));
    out
}

fn config() -> TrackerConfig {
    TrackerConfig { init_velocity_sigma_mps: 300.0, ..TrackerConfig::constant_velocity(0.5) }
}

fn run(f: &[(f64, f64, Vec<Detection>)], lag: f64) -> FusionTracker {
    run_with(config(), f, lag)
}

fn run_with(cfg: TrackerConfig, f: &[(f64, f64, Vec<Detection>)], lag: f64) -> FusionTracker {
    let mut ft = FusionTracker::new(cfg, FusionConfig { max_lag_s: lag, max_updates: 64 }).unwrap();
    for (t, _, dets) in f {
        ft.process_scan(*t, dets);
    }
    ft
}

/// Position RMSE at the end (m): each target against the nearest confirmed track at T_END.
fn rmse(ft: &FusionTracker) -> f64 {
    let mut se = 0.0;
    for i in 0..N_TARGETS {
        let x = truth(i, T_END);
        let best = ft
            .live_tracks()
            .filter(|t| t.status.is_confirmed())
            .filter_map(|t| ft.tracker().predict_track(t.id, T_END))
            .map(|g| (g.mean[0] - x[0]).powi(2) + (g.mean[1] - x[1]).powi(2))
            .fold(f64::INFINITY, f64::min);
        se += best;
    }
    (se / N_TARGETS as f64).sqrt()
}

#[test]
fn two_radars_beat_either_alone() {
    let (mut both, mut a, mut b) = (0.0, 0.0, 0.0);
    let runs = 12;
    for seed in 0..runs {
        both += rmse(&run(&feed(true, true, 0.0, seed), 10.0)).powi(2);
        a += rmse(&run(&feed(true, false, 0.0, seed), 10.0)).powi(2);
        b += rmse(&run(&feed(false, true, 0.0, seed), 10.0)).powi(2);
    }
    let (both, a, b) = ((both / runs as f64).sqrt(), (a / runs as f64).sqrt(), (b / runs as f64).sqrt());
    assert!(both.is_finite() && a.is_finite() && b.is_finite(), "every target tracked: {both} {a} {b}");
    assert!(both < 0.95 * a.min(b), "fused {both:.1} m, radar A alone {a:.1} m, radar B alone {b:.1} m");
}

#[test]
fn delayed_scans_within_the_bound_equal_in_order_processing() {
    // A wide gate, so that in order every detection updates its target's track (checked
    // below): the comparison is then between the same associations, applied in the same order.
    let cfg = TrackerConfig { gate: Gate::Probability(1.0 - 1e-7), ..config() };
    let in_order = run_with(cfg.clone(), &feed(true, true, 0.0, 7), 10.0);
    let delayed = run_with(cfg, &feed(true, true, 2.5, 7), 10.0);
    let s = delayed.stats();
    let scans = |p: f64| (T_END / p).floor() as u32 + 1;
    assert!(in_order.live_tracks().all(|t| t.hits == scans(1.0) + scans(4.7)), "every detection used in order");
    assert!(s.oosm_applied > 100 && s.too_old == 0 && s.oosm_unassociated == 0, "{s:?}");
    let ids: Vec<_> = in_order.live_tracks().map(|t| t.id).collect();
    assert_eq!(ids, delayed.live_tracks().map(|t| t.id).collect::<Vec<_>>());
    for (x, y) in in_order.live_tracks().zip(delayed.live_tracks()) {
        // Same measurements, same order of application: equal up to rounding.
        assert!((x.state - y.state).amax() < 1e-6, "{}: {} vs {}", x.id, x.state, y.state);
        assert!((x.covariance - y.covariance).amax() < 1e-6 * x.covariance.amax());
        assert_eq!(x.last_update_t, y.last_update_t);
    }
}

#[test]
fn scans_older_than_the_bound_are_rejected_and_counted() {
    // Radar B 7 s late with a 5 s bound; only what is delivered by T_END.
    let until_end = |f: Vec<(f64, f64, Vec<Detection>)>| f.into_iter().filter(|s| s.1 <= T_END).collect::<Vec<_>>();
    let late_feed = until_end(feed(true, true, 7.0, 3));
    let b_dets: usize = late_feed.iter().flat_map(|s| &s.2).filter(|d| d.sensor == SensorId(2)).count();
    let late = run(&late_feed, 5.0);
    let a_only = run(&until_end(feed(true, false, 0.0, 3)), 5.0);
    let s = late.stats();
    assert!(b_dets > 100);
    assert_eq!(s.too_old, b_dets, "{s:?}");
    assert_eq!(s.oosm_applied, 0);
    for (x, y) in late.live_tracks().zip(a_only.live_tracks()) {
        assert_eq!(x.state, y.state, "rejected detections leave no trace");
    }
}
