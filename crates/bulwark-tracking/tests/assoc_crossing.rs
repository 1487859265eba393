//! Two targets crossing at a shallow angle in clutter: GNN vs JPDA vs JIPDA vs MHT through the
//! shared `MultiTargetTracker` interface, on the same seeded detections. Also a timing run
//! (ignored by default, never asserted): `cargo test --release -p bulwark-tracking --test
//! assoc_crossing -- --ignored --nocapture`.
use bulwark_core::{RngStreams, SensorId, StreamPurpose, TrackId};
use bulwark_tracking::{
    Cartesian, ConstantVelocity, Detection, JpdaConfig, JpdaTracker, MeasurementModel, MhtConfig, MhtTracker,
    MultiTargetTracker, StateVector, Tracker, TrackerConfig, TransitionModel,
};
use nalgebra::DVector;
use std::sync::Arc;

const SIGMA: f64 = 40.0;
const PD: f64 = 0.9;
const DT: f64 = 1.0;
const SCANS: usize = 80;
const SIGMA_V: f64 = 150.0;
/// Scan at which the ids are first read (t = 24 s).
const K_BEFORE: usize = 24;
/// Clutter box: 12 km × 12 km × 1 km around the crossing point.
const BOX: [f64; 3] = [12e3, 12e3, 1e3];
const CLUTTER_MEAN: f64 = 20.0;
const HALF_ANGLE_DEG: f64 = 4.0;

fn lambda() -> f64 {
    CLUTTER_MEAN / (BOX[0] * BOX[1] * BOX[2])
}

/// Targets at 200 m/s crossing at the origin at t = 40 s, 8° apart, same height.
fn truths() -> [StateVector; 2] {
    let (v, half) = (200.0, HALF_ANGLE_DEG.to_radians());
    let t_cross = 40.0;
    let mk = |s: f64| {
        let (vx, vy) = (v * half.cos(), s * v * half.sin());
        StateVector::new(-vx * t_cross, -vy * t_cross, 5000.0, vx, vy, 0.0)
    };
    [mk(1.0), mk(-1.0)]
}

fn scans(seed: u32) -> Vec<(f64, Vec<Detection>)> {
    let model: Arc<dyn MeasurementModel> = Arc::new(Cartesian::new(SIGMA).unwrap());
    let mut rng = RngStreams::new(2024, seed).stream(5, StreamPurpose::MeasurementNoise);
    let cv = ConstantVelocity::new(0.0);
    let mut out = Vec::new();
    for k in 0..SCANS {
        let t = k as f64 * DT;
        let mut dets = Vec::new();
        for x0 in truths() {
            if k < 4 || rng.bernoulli(PD) {
                let x = cv.function(&x0, t);
                let z = DVector::from_fn(3, |i, _| x[i] + SIGMA * rng.normal());
                dets.push(Detection { t_s: t, z, model: model.clone(), sensor: SensorId(1) });
            }
        }
        for _ in 0..rng.poisson(CLUTTER_MEAN) {
            let z = DVector::from_fn(3, |i, _| rng.uniform_range(-0.5, 0.5) * BOX[i] + [0.0, 0.0, 5000.0][i]);
            dets.push(Detection { t_s: t, z, model: model.clone(), sensor: SensorId(1) });
        }
        // Shuffle-free but order-independent: clutter first on odd scans.
        if k % 2 == 1 {
            dets.reverse();
        }
        out.push((t, dets));
    }
    out
}

fn trackers() -> Vec<(&'static str, Box<dyn MultiTargetTracker>)> {
    let q = 1.0;
    let mut gnn = TrackerConfig::constant_velocity(q);
    gnn.init_velocity_sigma_mps = SIGMA_V;
    let mut jpda = JpdaConfig::constant_velocity(q, PD, lambda(), false);
    jpda.init_velocity_sigma_mps = SIGMA_V;
    let mut jipda = JpdaConfig::constant_velocity(q, PD, lambda(), true);
    jipda.init_velocity_sigma_mps = SIGMA_V;
    let mut mht = MhtConfig::constant_velocity(q, PD, lambda(), lambda() / 10.0);
    mht.init_velocity_sigma_mps = SIGMA_V;
    vec![
        ("GNN", Box::new(Tracker::new(gnn).unwrap())),
        ("JPDA", Box::new(JpdaTracker::new(jpda).unwrap())),
        ("JIPDA", Box::new(JpdaTracker::new(jipda).unwrap())),
        ("MHT", Box::new(MhtTracker::new(mht).unwrap())),
    ]
}

/// The confirmed track nearest target `x` within 10σ (horizontal + vertical), if any.
fn nearest(tr: &dyn MultiTargetTracker, x: &StateVector) -> Option<TrackId> {
    tr.live_tracks()
        .filter(|t| t.status.is_confirmed())
        .map(|t| (t.id, (t.state.fixed_rows::<3>(0) - x.fixed_rows::<3>(0)).norm()))
        .filter(|(_, d)| *d < 10.0 * SIGMA)
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(id, _)| id)
}

#[derive(Default, Debug, Clone, Copy)]
struct Outcome {
    kept: u32,
    swapped: u32,
    lost: u32,
    false_confirmed: u32,
}

/// Runs every tracker over `runs` seeds: the ids held by the targets at t = 24 s (450 m =
/// 11σ apart) against those at the last scan (t = 79 s, 1.1 km apart; crossing at t = 40 s,
/// closer than 3σ for 8 s).
fn evaluate(runs: u32) -> Vec<(&'static str, Outcome)> {
    let mut totals: Vec<(&'static str, Outcome)> =
        trackers().into_iter().map(|(n, _)| (n, Outcome::default())).collect();
    let cv = ConstantVelocity::new(0.0);
    for seed in 0..runs {
        let data = scans(seed);
        for (slot, (_, mut tr)) in trackers().into_iter().enumerate() {
            let mut before = [None, None];
            for (k, (t, dets)) in data.iter().enumerate() {
                tr.process_scan(*t, dets);
                if k == K_BEFORE {
                    for (i, x0) in truths().iter().enumerate() {
                        before[i] = nearest(tr.as_ref(), &cv.function(x0, *t));
                    }
                }
            }
            let t_end = data.last().unwrap().0;
            let o = &mut totals[slot].1;
            let mut owned = Vec::new();
            for (i, x0) in truths().iter().enumerate() {
                let after = nearest(tr.as_ref(), &cv.function(x0, t_end));
                owned.extend(after);
                match (before[i], after) {
                    (Some(b), Some(a)) if a == b => o.kept += 1,
                    (_, Some(a)) if Some(a) == before[1 - i] => o.swapped += 1,
                    _ => o.lost += 1,
                }
            }
            o.false_confirmed +=
                tr.live_tracks().filter(|t| t.status.is_confirmed() && !owned.contains(&t.id)).count() as u32;
        }
    }
    totals
}

#[test]
fn crossing_targets_in_clutter_gnn_vs_jpda_vs_mht() {
    let runs: u32 = std::env::var("ASSOC_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(if cfg!(debug_assertions) { 4 } else { 40 });
    let res = evaluate(runs);
    for (name, o) in &res {
        println!(
            "{name:6} kept {:3} swapped {:3} lost {:3} of {} target-runs; false confirmed tracks at end {}",
            o.kept,
            o.swapped,
            o.lost,
            2 * runs,
            o.false_confirmed
        );
    }
    // With one joint GNN, GNN swapped or lost more target-runs than JPDA and MHT (40 release
    // runs: 2 swapped + 1 lost against 0 + 1 and 0 + 2). The two-stage GNN (confirmed tracks
    // associate before tentative ones, so a broad tentative track no longer takes a confirmed
    // track's detection) removed those swaps (0 + 1), so the comparison that remains is:
    // every tracker keeps ≥ 90 % of target-runs, and JIPDA and MHT (track existence, deferred
    // decisions) end with fewer false confirmed tracks than GNN (3 and 0 against 28).
    let get = |n: &str| res.iter().find(|r| r.0 == n).map(|r| r.1).unwrap();
    for (name, o) in &res {
        assert!(10 * (o.swapped + o.lost) <= 2 * runs, "{name}: {res:?}");
    }
    assert!(get("JIPDA").false_confirmed < get("GNN").false_confirmed, "{res:?}");
    assert!(get("MHT").false_confirmed < get("GNN").false_confirmed, "{res:?}");
}

/// Timing (not asserted): `n` targets on a 10 km lattice, 100 clutter detections per scan over
/// the whole area, P_D = 0.9, 30 scans; mean wall time per scan after the first 5.
#[test]
#[ignore]
fn timing_per_scan() {
    for n in [100usize, 400] {
        let side = (n as f64).sqrt().ceil() as usize;
        let extent = side as f64 * 10e3;
        let area_clutter = 100.0;
        let lam = area_clutter / (extent * extent * 10e3);
        let model: Arc<dyn MeasurementModel> = Arc::new(Cartesian::new(SIGMA).unwrap());
        let mut jp = JpdaConfig::constant_velocity(1.0, PD, lam, false);
        jp.init_velocity_sigma_mps = SIGMA_V;
        let mut ji = JpdaConfig::constant_velocity(1.0, PD, lam, true);
        ji.init_velocity_sigma_mps = SIGMA_V;
        let mut mh = MhtConfig::constant_velocity(1.0, PD, lam, lam / 10.0);
        mh.init_velocity_sigma_mps = SIGMA_V;
        let mut gn = TrackerConfig::constant_velocity(1.0);
        gn.init_velocity_sigma_mps = SIGMA_V;
        let list: Vec<(&str, Box<dyn MultiTargetTracker>)> = vec![
            ("GNN", Box::new(Tracker::new(gn).unwrap())),
            ("JPDA", Box::new(JpdaTracker::new(jp).unwrap())),
            ("JIPDA", Box::new(JpdaTracker::new(ji).unwrap())),
            ("MHT", Box::new(MhtTracker::new(mh).unwrap())),
        ];
        for (name, mut tr) in list {
            let mut rng = RngStreams::new(77, 0).stream(9, StreamPurpose::MeasurementNoise);
            let mut elapsed = 0.0;
            for k in 0..30 {
                let t = k as f64 * 2.0;
                let mut dets = Vec::new();
                for i in 0..n {
                    if k < 4 || rng.bernoulli(PD) {
                        let (x, y) = ((i % side) as f64 * 10e3 + 150.0 * t, (i / side) as f64 * 10e3);
                        let z = DVector::from_vec(vec![
                            x + SIGMA * rng.normal(),
                            y + SIGMA * rng.normal(),
                            5000.0 + SIGMA * rng.normal(),
                        ]);
                        dets.push(Detection { t_s: t, z, model: model.clone(), sensor: SensorId(1) });
                    }
                }
                for _ in 0..rng.poisson(area_clutter) {
                    let z = DVector::from_vec(vec![
                        rng.uniform_range(0.0, extent),
                        rng.uniform_range(0.0, extent),
                        rng.uniform_range(0.0, 10e3),
                    ]);
                    dets.push(Detection { t_s: t, z, model: model.clone(), sensor: SensorId(1) });
                }
                let start = std::time::Instant::now();
                tr.process_scan(t, &dets);
                if k >= 5 {
                    elapsed += start.elapsed().as_secs_f64();
                }
            }
            let confirmed = tr.live_tracks().filter(|t| t.status.is_confirmed()).count();
            println!(
                "{n:4} targets + 100 clutter/scan: {name:6} {:7.2} ms/scan, {confirmed} confirmed at end",
                elapsed / 25.0 * 1e3
            );
        }
    }
}
