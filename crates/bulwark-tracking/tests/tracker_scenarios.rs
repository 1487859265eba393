//! End-to-end tracker scenarios: confirmation and accuracy, crossing targets, clutter,
//! degenerate input, linear scaling of the gating work, determinism.
use bulwark_core::{RngStream, RngStreams, SensorId, StreamPurpose, TrackId, Vec3};
use bulwark_tracking::{
    Cartesian, ConstantVelocity, Detection, Gate, MeasurementModel, ModelError, PositionFix, RangeAzElRr, ScanReport,
    SensorPose, StateVector, TrackEvent, TrackStatus, Tracker, TrackerConfig, TransitionModel,
};
use nalgebra::{DMatrix, DVector};
use std::sync::Arc;

fn noisy(model: &dyn MeasurementModel, x: &StateVector, sigmas: &[f64], rng: &mut RngStream) -> DVector<f64> {
    let mut z = model.function(x);
    for (zi, s) in z.iter_mut().zip(sigmas) {
        *zi += s * rng.normal();
    }
    z
}

fn det(t_s: f64, z: DVector<f64>, model: &Arc<dyn MeasurementModel>) -> Detection {
    Detection { t_s, z, model: model.clone(), sensor: SensorId(1) }
}

const SIG_R: f64 = 20.0;
const SIG_A: f64 = 1e-3;
const SIG_RR: f64 = 1.0;

fn radar() -> Arc<dyn MeasurementModel> {
    Arc::new(RangeAzElRr::new(SensorPose::at(Vec3::zeros()).unwrap(), SIG_R, SIG_A, SIG_A, Some(SIG_RR)).unwrap())
}

#[test]
fn single_target_is_confirmed_and_converges() {
    // A CV target at ~30 km seen every 2 s by a radar with σ_r = 20 m, σ_az = σ_el = 1 mrad,
    // σ_ṙ = 1 m/s, P_D = 1, 40 Monte Carlo runs of 60 scans.
    // Bound: a single measurement locates the target to σ_pos = √(σ_r² + 2(r σ_a)²) ≈ 47 m at
    // 30 km; after 60 scans a CV filter with small q must do at least twice as well, and its
    // velocity error must be below a quarter of the two-point difference error √2 σ_pos / Δt.
    let model = radar();
    let dt = 2.0;
    let (runs, scans) = (40, 60);
    let (mut se_p, mut se_v, mut n) = (0.0, 0.0, 0.0);
    let mut sigma_pos = 0.0;
    let mut gate_misses = 0;
    for run in 0..runs {
        let mut rng = RngStreams::new(7, run).stream(1, StreamPurpose::MeasurementNoise);
        let mut cfg = TrackerConfig::constant_velocity(0.01);
        cfg.init_velocity_sigma_mps = 400.0;
        let mut tracker = Tracker::new(cfg).unwrap();
        let x0 = StateVector::new(-10_000.0, 28_000.0, 6_000.0, 240.0, -60.0, 0.0);
        let cv = ConstantVelocity::new(0.0);
        let mut confirmed_at = None;
        for k in 0..scans {
            let t = k as f64 * dt;
            let x = cv.function(&x0, t);
            let z = noisy(model.as_ref(), &x, &[SIG_R, SIG_A, SIG_A, SIG_RR], &mut rng);
            let rep = tracker.process(t, &[det(t, z, &model)]);
            for e in &rep.events {
                match e {
                    TrackEvent::Confirmed { track: TrackId(1) } => confirmed_at = Some(k),
                    TrackEvent::Deleted { track: TrackId(1), .. } => panic!("run {run} scan {k}: main track deleted"),
                    // P_G = 0.999: the true detection falls outside the gate about once in
                    // 1000 scans; it then starts a tentative track that dies out.
                    TrackEvent::Initiated { track, .. } if track.0 > 1 => gate_misses += 1,
                    _ => {}
                }
            }
            if k >= scans - 10 {
                let tr = tracker.track(TrackId(1)).unwrap();
                assert!(tr.status.is_confirmed());
                se_p += (tr.state.fixed_rows::<3>(0) - x.fixed_rows::<3>(0)).norm_squared();
                se_v += (tr.state.fixed_rows::<3>(3) - x.fixed_rows::<3>(3)).norm_squared();
                n += 1.0;
                let r = x.fixed_rows::<3>(0).norm();
                sigma_pos = (SIG_R.powi(2) + 2.0 * (r * SIG_A).powi(2)).sqrt();
            }
        }
        assert_eq!(confirmed_at, Some(2), "3 of 4 with P_D = 1 confirms on the third scan");
        assert!(tracker.tracks().all(|t| t.id == TrackId(1) || !t.status.is_confirmed()));
    }
    // 2400 gate tests at P_G = 0.999: expected 2.4 misses; P(> 10) < 1e-4 for a consistent filter.
    assert!(gate_misses <= 10, "true detection outside the gate {gate_misses} times in {} scans", runs * scans);
    let (rmse_p, rmse_v) = ((se_p / n).sqrt(), (se_v / n).sqrt());
    assert!(rmse_p < 0.5 * sigma_pos, "position RMSE {rmse_p} m vs single-look σ {sigma_pos} m");
    let v_bound = 0.25 * 2f64.sqrt() * sigma_pos / dt;
    assert!(rmse_v < v_bound, "velocity RMSE {rmse_v} m/s vs bound {v_bound} m/s");
}

#[test]
fn crossing_targets_keep_their_ids() {
    // Two targets at 250 m/s on opposite headings cross above the same point 40 km north at
    // t = 80 s, 3 km apart in height: ≫ the ~40 m measurement errors, so GNN must not swap.
    let model = radar();
    let cv = ConstantVelocity::new(0.0);
    let truths = [
        StateVector::new(-20_000.0, 40_000.0, 6_000.0, 250.0, 0.0, 0.0),
        StateVector::new(20_000.0, 40_000.0, 9_000.0, -250.0, 0.0, 0.0),
    ];
    let mut rng = RngStreams::new(11, 0).stream(2, StreamPurpose::MeasurementNoise);
    let mut tracker = Tracker::new(TrackerConfig::constant_velocity(0.5)).unwrap();
    let mut owner: [Option<TrackId>; 2] = [None, None];
    for k in 0..80 {
        let t = k as f64 * 2.0;
        // Alternate the detection order so no result depends on the input order.
        let order = if k % 2 == 0 { [0, 1] } else { [1, 0] };
        let dets: Vec<Detection> = order
            .iter()
            .map(|&i| {
                det(
                    t,
                    noisy(model.as_ref(), &cv.function(&truths[i], t), &[SIG_R, SIG_A, SIG_A, SIG_RR], &mut rng),
                    &model,
                )
            })
            .collect();
        let rep = tracker.process(t, &dets);
        assert!(!rep.events.iter().any(|e| matches!(e, TrackEvent::Deleted { .. })), "scan {k}: {rep:?}");
        if k == 0 {
            for e in &rep.events {
                if let TrackEvent::Initiated { track, detection } = e {
                    owner[order[*detection]] = Some(*track);
                }
            }
        } else {
            assert_eq!(rep.updates.len(), 2, "scan {k}: both targets update their tracks");
            for (d, tr) in &rep.updates {
                assert_eq!(Some(*tr), owner[order[*d]], "scan {k}: target {} changed track", order[*d]);
            }
        }
    }
    let confirmed: Vec<TrackId> = tracker.tracks().filter(|t| t.status.is_confirmed()).map(|t| t.id).collect();
    assert_eq!(confirmed, vec![TrackId(1), TrackId(2)]);
}

/// Clutter-only scans: `n_scans` scans of Poisson(λ) detections uniform in a box.
fn clutter_run(cfg: TrackerConfig, lambda: f64, n_scans: usize) -> (Tracker, Vec<ScanReport>) {
    let model: Arc<dyn MeasurementModel> = Arc::new(Cartesian::new(50.0).unwrap());
    let mut rng = RngStreams::new(99, 0).stream(3, StreamPurpose::FalseAlarm);
    let mut tracker = Tracker::new(cfg).unwrap();
    let mut reports = Vec::new();
    for k in 0..n_scans {
        let t = k as f64 * 5.0;
        let dets: Vec<Detection> = (0..rng.poisson(lambda))
            .map(|_| {
                let z = DVector::from_vec(vec![
                    rng.uniform_range(-100e3, 100e3),
                    rng.uniform_range(-100e3, 100e3),
                    rng.uniform_range(0.0, 15e3),
                ]);
                det(t, z, &model)
            })
            .collect();
        reports.push(tracker.process(t, &dets));
    }
    (tracker, reports)
}

#[test]
fn clutter_alone_confirms_no_track() {
    // Clutter density ρ = 50 / (200 km × 200 km × 15 km) = 8.3e-14 m⁻³; Δt = 5 s, σ = 50 m,
    // σᵥ = 300 m/s, P_G = 0.999 (γ₃ = 16.27), 3-of-4. A 3-D gate of per-axis σ has volume
    // V = (4π/3) γ^{3/2} σ³ and catches clutter with probability ≈ ρV (1 − e^{−ρV} when large).
    // One-point track, next scan: σ = √(50² + (300·5)²) ≈ 1.5 km, ρV ≈ 0.077;
    //   after a miss (Δt = 10 s): σ ≈ 3 km, ρV ≈ 0.62, P ≈ 0.46.
    // Two-point track (σᵥ ≈ √2·50/Δt): next scan σ_S ≈ 100 m (ρV ≈ 2.3e-5), after a miss
    //   σ_S ≈ 160 m (ρV ≈ 9e-5); if the two points were 10 s apart, σ_S ≈ 80 m (ρV ≈ 1.1e-5).
    // Confirmation paths in the first 4 scans: HHH, HHMH, HMHH:
    //   P ≈ 0.077 (2.3e-5 + 9e-5) + 0.46 · 1.1e-5 ≈ 1.4e-5 per initiation.
    // With ~1600 initiations: E[false confirmed tracks] ≈ 0.02, so P(≥ 1) ≈ 2 %.
    let (tracker, reports) = clutter_run(TrackerConfig::constant_velocity(1.0), 50.0, 40);
    let initiated: usize =
        reports.iter().flat_map(|r| &r.events).filter(|e| matches!(e, TrackEvent::Initiated { .. })).count();
    let confirmed: usize =
        reports.iter().flat_map(|r| &r.events).filter(|e| matches!(e, TrackEvent::Confirmed { .. })).count();
    let second_hits: usize = reports.iter().map(|r| r.updates.len()).sum();
    assert!(initiated > 1000, "the clutter must start tentative tracks: {initiated}");
    assert_eq!(confirmed, 0, "false confirmed tracks from clutter alone");
    // Consistency with the estimate above: a one-point track gets a second hit with
    // P ≈ 0.077 + 0.92 · 0.46 ≈ 0.5, less where tracks compete for the same clutter point.
    assert!(
        (initiated / 5..=initiated * 6 / 10).contains(&second_hits),
        "tentative updates by clutter: {second_hits} for {initiated} initiations"
    );
    assert!(tracker.tracks().all(|t| t.status == TrackStatus::Tentative && t.scans < 4));
    // Negative control: 2-of-3 with a wider gate does confirm clutter.
    let mut loose = TrackerConfig::constant_velocity(1.0);
    loose.confirm_m = 2;
    loose.confirm_n = 3;
    loose.gate = Gate::Probability(0.9999);
    let (_, r) = clutter_run(loose, 50.0, 40);
    assert!(r.iter().flat_map(|r| &r.events).any(|e| matches!(e, TrackEvent::Confirmed { .. })));
}

#[test]
fn confirmed_track_coasts_then_is_deleted_and_ids_are_never_reused() {
    let model: Arc<dyn MeasurementModel> = Arc::new(Cartesian::new(10.0).unwrap());
    let mut cfg = TrackerConfig::constant_velocity(1.0);
    cfg.delete_misses = 3;
    let mut tracker = Tracker::new(cfg).unwrap();
    let at = |t: f64| DVector::from_vec(vec![100.0 * t, 0.0, 1000.0]);
    for k in 0..4 {
        tracker.process(k as f64, &[det(k as f64, at(k as f64), &model)]);
    }
    assert_eq!(tracker.track(TrackId(1)).unwrap().status, TrackStatus::Confirmed);
    let r = tracker.process(4.0, &[]);
    assert!(r.events.is_empty());
    let tr = tracker.track(TrackId(1)).unwrap();
    assert_eq!((tr.status, tr.misses), (TrackStatus::Coasting, 1));
    let before = tracker.predict_track(TrackId(1), 4.0).unwrap();
    assert!((before.mean[0] - 400.0).abs() < 5.0, "prediction extrapolates: {}", before.mean[0]);
    assert_eq!(tracker.track(TrackId(1)).unwrap().last_update_t, 3.0, "predict_track does not mutate");
    tracker.process(5.0, &[]);
    let r = tracker.process(6.0, &[]);
    assert_eq!(
        r.events,
        vec![TrackEvent::Deleted { track: TrackId(1), reason: bulwark_tracking::DeleteReason::Missed }]
    );
    assert!(tracker.track(TrackId(1)).is_none());
    let r = tracker.process(7.0, &[det(7.0, at(7.0), &model)]);
    assert_eq!(r.events, vec![TrackEvent::Initiated { track: TrackId(2), detection: 0 }]);
    // A tentative track that misses twice can no longer make 3 of 4 and goes at once.
    tracker.process(8.0, &[]);
    let r = tracker.process(9.0, &[]);
    assert!(matches!(r.events[..], [TrackEvent::Deleted { track: TrackId(2), .. }]));
}

/// A model that observes nothing: h = 0, H = 0, R = 0, so S = 0 (singular) for any state.
#[derive(Debug)]
struct Blind;
impl MeasurementModel for Blind {
    fn dim(&self) -> usize {
        1
    }
    fn function(&self, _x: &StateVector) -> DVector<f64> {
        DVector::zeros(1)
    }
    fn jacobian(&self, _x: &StateVector) -> Result<DMatrix<f64>, ModelError> {
        Ok(DMatrix::zeros(1, 6))
    }
    fn noise_covariance(&self) -> DMatrix<f64> {
        DMatrix::zeros(1, 1)
    }
    fn position_fix(&self, _z: &DVector<f64>) -> Option<PositionFix> {
        Some(PositionFix { position: Vec3::new(1.0, 2.0, 3.0), covariance: bulwark_core::Mat3::identity() })
    }
}

#[test]
fn degenerate_input_neither_panics_nor_leaks_nan() {
    let model = radar();
    let mut tracker = Tracker::new(TrackerConfig::constant_velocity(1.0)).unwrap();
    // Detection at zero range: the track starts at the sensor with a finite covariance...
    let zero = DVector::from_vec(vec![0.0, 0.0, 0.0, 0.0]);
    let r = tracker.process(0.0, &[det(0.0, zero.clone(), &model)]);
    assert_eq!(r.events.len(), 1);
    // ...and the next one, also at zero range, cannot be linearised: treated as outside the gate.
    let r = tracker.process(1.0, &[det(1.0, zero, &model)]);
    assert!(r.stats.filter_failures >= 1, "{r:?}");
    // Singular innovation covariance.
    let blind: Arc<dyn MeasurementModel> = Arc::new(Blind);
    let r = tracker.process(2.0, &[det(2.0, DVector::zeros(1), &blind)]);
    assert!(r.stats.filter_failures >= 1, "{r:?}");
    let r = tracker.process(3.0, &[det(3.0, DVector::zeros(1), &blind)]);
    assert!(r.stats.filter_failures >= 1 && r.updates.is_empty(), "{r:?}");
    // Bad detections are rejected, not processed.
    let bad = [
        det(4.0, DVector::from_vec(vec![f64::NAN, 0.0, 0.0, 0.0]), &model),
        det(f64::INFINITY, DVector::from_vec(vec![1.0, 0.0, 0.0, 0.0]), &model),
        det(4.0, DVector::from_vec(vec![1.0, 0.0]), &model),
    ];
    let r = tracker.process(4.0, &bad);
    assert_eq!(r.rejected.iter().map(|(i, _)| *i).collect::<Vec<_>>(), vec![0, 1, 2]);
    let r = tracker.process(f64::NAN, &[]);
    assert_eq!(r, ScanReport::default());
    for t in tracker.tracks() {
        assert!(t.state.iter().chain(t.covariance.iter()).all(|v| v.is_finite()), "{t:?}");
    }
    // A far-future prediction stays finite too.
    for t in tracker.tracks() {
        assert!(tracker.predict_track(t.id, 1e6).unwrap().is_finite());
    }
    assert!(
        Tracker::new(TrackerConfig { confirm_m: 5, confirm_n: 4, ..TrackerConfig::constant_velocity(1.0) }).is_err()
    );
}

#[test]
fn gating_work_grows_linearly_with_targets() {
    // n targets on a 10 km lattice, two scans 1 s apart: each detection must be tested against
    // its own track only (the pre-filter), not all n.
    let model: Arc<dyn MeasurementModel> = Arc::new(Cartesian::new(50.0).unwrap());
    for side in [10usize, 30] {
        let n = side * side;
        let mut tracker = Tracker::new(TrackerConfig::constant_velocity(1.0)).unwrap();
        let pos = |i: usize, t: f64| {
            DVector::from_vec(vec![(i % side) as f64 * 1e4 + 200.0 * t, (i / side) as f64 * 1e4, 5e3])
        };
        let scan = |t: f64| (0..n).map(|i| det(t, pos(i, t), &model)).collect::<Vec<_>>();
        tracker.process(0.0, &scan(0.0));
        let r = tracker.process(1.0, &scan(1.0));
        assert_eq!(r.stats.candidate_pairs, n, "side {side}");
        assert_eq!(r.updates.len(), n);
        assert!(r.updates.iter().all(|(d, id)| id.0 == *d as u64 + 1), "each track keeps its target");
    }
}

#[test]
fn same_input_same_output() {
    let (a, ra) = clutter_run(TrackerConfig::constant_velocity(1.0), 30.0, 15);
    let (b, rb) = clutter_run(TrackerConfig::constant_velocity(1.0), 30.0, 15);
    assert_eq!(ra, rb);
    assert!(a.tracks().eq(b.tracks()));
}

#[test]
fn prefilter_changes_the_work_but_not_the_result() {
    // Radar clutter uniform in (r, az, el) plus three targets, per-detection times spread over
    // the scan; run once with the pre-filter and once with radii so large that every pair is
    // tested exactly. Events and updates must be identical.
    let model = radar();
    let cv = ConstantVelocity::new(0.0);
    let targets = [
        StateVector::new(5_000.0, 8_000.0, 1_000.0, -150.0, 100.0, 0.0),
        StateVector::new(-30_000.0, -2_000.0, 4_000.0, 300.0, 0.0, -10.0),
        StateVector::new(1_000.0, 45_000.0, 9_000.0, 0.0, -280.0, 0.0),
    ];
    let run = |inflation: f64| {
        let mut cfg = TrackerConfig::constant_velocity(2.0);
        cfg.prefilter_inflation = inflation;
        let mut tracker = Tracker::new(cfg).unwrap();
        let mut rng = RngStreams::new(5, 0).stream(4, StreamPurpose::FalseAlarm);
        let mut out = Vec::new();
        for k in 0..15 {
            let t0 = k as f64 * 4.0;
            let mut dets: Vec<Detection> = targets
                .iter()
                .enumerate()
                .map(|(i, x)| {
                    let t = t0 + i as f64 * 0.7;
                    det(t, noisy(model.as_ref(), &cv.function(x, t), &[SIG_R, SIG_A, SIG_A, SIG_RR], &mut rng), &model)
                })
                .collect();
            for _ in 0..rng.poisson(30.0) {
                let z = vec![
                    rng.uniform_range(2e3, 60e3),
                    rng.uniform_range(-3.2, 3.2),
                    rng.uniform_range(0.0, 0.4),
                    rng.uniform_range(-400.0, 400.0),
                ];
                dets.push(det(t0 + rng.uniform_range(0.0, 3.9), DVector::from_vec(z), &model));
            }
            let r = tracker.process(t0, &dets);
            out.push((r.events, r.updates, r.stats.candidate_pairs));
        }
        out
    };
    let (fast, exact) = (run(2.0), run(1e12));
    let (mut work_fast, mut work_exact) = (0, 0);
    for (k, (f, e)) in fast.iter().zip(&exact).enumerate() {
        assert_eq!((&f.0, &f.1), (&e.0, &e.1), "scan {k}");
        work_fast += f.2;
        work_exact += e.2;
    }
    assert!(work_fast * 3 < work_exact, "pre-filter saves work: {work_fast} vs {work_exact}");
}

/// d² of a Cartesian measurement `z` against track `id` predicted to `t` (S = P_pos + R).
fn cartesian_d2(tracker: &Tracker, id: TrackId, t: f64, z: &DVector<f64>, sigma: f64) -> f64 {
    let p = tracker.predict_track(id, t).unwrap();
    let s = p.covariance.fixed_view::<3, 3>(0, 0).into_owned() + nalgebra::Matrix3::identity() * sigma * sigma;
    let nu = nalgebra::Vector3::new(z[0] - p.mean[0], z[1] - p.mean[1], z[2] - p.mean[2]);
    nu.dot(&(s.try_inverse().unwrap() * nu))
}

#[test]
fn confirmed_track_wins_a_detection_over_a_broad_tentative_track() {
    // A confirmed CV track (σ = 10 m fixes, 100 m/s along x), and a tentative track started
    // 300 m ahead of it by a false alarm outside its gate. The next true detection, 40 m off
    // the confirmed prediction, falls in both gates, and the tentative track's huge S
    // (σᵥ = 300 m/s) gives it the smaller d²: one joint GNN would hand it the detection and
    // leave the confirmed track to miss. Two-stage GNN gives confirmed tracks priority.
    let sigma = 10.0;
    let model: Arc<dyn MeasurementModel> = Arc::new(Cartesian::new(sigma).unwrap());
    let mut tracker = Tracker::new(TrackerConfig::constant_velocity(1.0)).unwrap();
    let at = |t: f64, dx: f64| DVector::from_vec(vec![100.0 * t + dx, 0.0, 1000.0]);
    for k in 0..5 {
        tracker.process(k as f64, &[det(k as f64, at(k as f64, 0.0), &model)]);
    }
    assert_eq!(tracker.track(TrackId(1)).unwrap().status, TrackStatus::Confirmed);
    let r = tracker.process(5.0, &[det(5.0, at(5.0, 0.0), &model), det(5.0, at(5.0, 300.0), &model)]);
    assert_eq!(r.events, vec![TrackEvent::Initiated { track: TrackId(2), detection: 1 }]);
    let z = at(6.0, 40.0);
    let (d2_confirmed, d2_tentative) =
        (cartesian_d2(&tracker, TrackId(1), 6.0, &z, sigma), cartesian_d2(&tracker, TrackId(2), 6.0, &z, sigma));
    let gamma = Gate::Probability(0.999).threshold(3);
    assert!(d2_tentative < d2_confirmed && d2_confirmed < gamma, "{d2_tentative} {d2_confirmed} {gamma}");
    let r = tracker.process(6.0, &[det(6.0, z, &model)]);
    assert_eq!(r.updates, vec![(0, TrackId(1))]);
    assert_eq!(tracker.track(TrackId(1)).unwrap().status, TrackStatus::Confirmed);
    assert_eq!(tracker.track(TrackId(2)).unwrap().misses, 1);
}
