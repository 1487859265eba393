//! SPRT track logic against hand-computed (analytic) scores and decisions.
use bulwark_core::{SensorId, TrackId};
use bulwark_tracking::{
    Cartesian, ConstantVelocity, DeleteReason, Detection, MeasurementModel, Sprt, TrackEvent, TrackLogic, TrackStatus,
    Tracker, TrackerConfig,
};
use nalgebra::DVector;
use std::f64::consts::TAU;
use std::sync::Arc;

fn sprt(alpha: f64, beta: f64, pd: f64, clutter: f64, new: f64) -> Sprt {
    Sprt { p_false_alarm: alpha, p_miss: beta, pd, clutter_density: clutter, new_target_density: new }
}

#[test]
fn wald_thresholds_and_increments_by_hand() {
    let s = sprt(0.01, 0.1, 0.9, 1e-6, 1e-7);
    // ln(0.9/0.01) = ln 90, ln(0.1/0.99).
    assert!((s.confirm_threshold() - 4.499809670330265).abs() < 1e-12);
    assert!((s.delete_threshold() - (-2.2925347571405443)).abs() < 1e-12);
    assert!((s.initial_score() + std::f64::consts::LN_10).abs() < 1e-12, "ln 0.1");
    assert!((s.miss_increment() + std::f64::consts::LN_10).abs() < 1e-12, "ln(1 − 0.9)");
    // ln(0.9/1e-6) − ln 2π − ½ ln(100·100) − 2/2 = 13.710150042306449 − 1.8378770664093453
    // − 4.605170185988092 − 1.
    let got = s.hit_increment(2.0, (1e4f64).ln(), 2);
    assert!((got - 6.267102789909012).abs() < 1e-12, "{got}");
    assert!(sprt(0.6, 0.5, 0.9, 1.0, 1.0).validate().is_err(), "α + β must be below 1");
    assert!(sprt(0.01, 0.1, 1.0, 1.0, 1.0).validate().is_err());
    assert!(sprt(0.01, 0.1, 0.9, 0.0, 1.0).validate().is_err());
}

fn tracker(s: Sprt, sigma_v: f64) -> (Tracker, Arc<dyn MeasurementModel>) {
    let cfg = TrackerConfig {
        logic: TrackLogic::Sprt(s),
        init_velocity_sigma_mps: sigma_v,
        transition: Arc::new(ConstantVelocity::new(0.0)),
        ..TrackerConfig::constant_velocity(0.0)
    };
    (Tracker::new(cfg).unwrap(), Arc::new(Cartesian::new(10.0).unwrap()))
}

fn det(t: f64, model: &Arc<dyn MeasurementModel>) -> Vec<Detection> {
    vec![Detection { t_s: t, z: DVector::from_vec(vec![5e3, 7e3, 1e3]), model: model.clone(), sensor: SensorId(1) }]
}

#[test]
fn confirmation_and_score_drop_deletion_follow_the_hand_computed_score() {
    // Cartesian σ = 10 m, σᵥ = 10 m/s, q = 0, Δt = 1 s, stationary target measured exactly.
    // After initiation P_pos = σ² I, P_vel = σᵥ² I, uncorrelated; the prediction has
    // P_pos = (σ² + σᵥ²Δt²) I, so S = (2σ² + σᵥ²Δt²) I₃ = 300 I₃ and ν = 0 (d² = 0):
    // L2 = ln(β_NT/β_FT) + ln(P_D/β_FT) − (3/2) ln 2π − (3/2) ln 300.
    let s = sprt(0.01, 0.01, 0.9, 1e-9, 1e-10);
    let (mut tr, m) = tracker(s, 10.0);
    let r1 = tr.process(0.0, &det(0.0, &m));
    assert_eq!(r1.events, vec![TrackEvent::Initiated { track: TrackId(1), detection: 0 }]);
    assert!((tr.track(TrackId(1)).unwrap().score - (0.1f64).ln()).abs() < 1e-12);
    let r2 = tr.process(1.0, &det(1.0, &m));
    let l2 = (0.1f64).ln() + (0.9e9f64).ln() - 1.5 * TAU.ln() - 1.5 * 300f64.ln();
    let t = tr.track(TrackId(1)).unwrap();
    assert!((t.score - l2).abs() < 1e-9, "score {} hand {l2}", t.score);
    assert!(l2 >= s.confirm_threshold());
    assert_eq!(r2.events, vec![TrackEvent::Confirmed { track: TrackId(1) }]);
    // Misses: ln(1 − 0.9) = −2.3026 each; T_delete = ln(0.01/0.99) = −4.5951. One miss
    // (drop 2.30) coasts, the second (drop 4.61) deletes.
    tr.process(2.0, &[]);
    assert_eq!(tr.track(TrackId(1)).unwrap().status, TrackStatus::Coasting);
    assert!((tr.track(TrackId(1)).unwrap().score - (l2 + 0.1f64.ln())).abs() < 1e-9);
    let r4 = tr.process(3.0, &[]);
    assert_eq!(r4.events, vec![TrackEvent::Deleted { track: TrackId(1), reason: DeleteReason::ScoreDropped }]);
}

#[test]
fn a_false_track_dies_after_the_hand_computed_number_of_misses() {
    // L1 = ln(β_NT/β_FT) = 3, P_D = 0.5: each miss adds ln 0.5; T_delete = ln(0.1/0.99) = −2.2925.
    // 3 − k ln 2 ≤ −2.2925 first for k = ⌈7.636⌉ = 8.
    let s = sprt(0.01, 0.1, 0.5, 1e-9, 1e-9 * 3f64.exp());
    let (mut tr, m) = tracker(s, 10.0);
    tr.process(0.0, &det(0.0, &m));
    for k in 1..=8 {
        let r = tr.process(k as f64, &[]);
        if k < 8 {
            assert!(r.events.is_empty(), "scan {k}: {:?}", r.events);
            assert_eq!(tr.track(TrackId(1)).unwrap().status, TrackStatus::Tentative);
        } else {
            assert_eq!(r.events, vec![TrackEvent::Deleted { track: TrackId(1), reason: DeleteReason::NotConfirmed }]);
        }
    }
}
