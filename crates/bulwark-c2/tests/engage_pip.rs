//! Predicted intercept point and launch acceptability.
//!
//! Oracle: the collision triangle |d + v·t| = s·t of a constant-speed interceptor, solved in
//! closed form by `bulwark_core::kinematics::intercept_time` (Zarchan, *Tactical and Strategic
//! Missile Guidance*, 6th ed., ch. 2) — a different method from the fixed-point iteration under
//! test. The fly-out table against the 3-DOF interceptor is checked in
//! `bulwark-engine/tests/engage_flyout.rs` (it needs the motion models).
use bulwark_c2::engage::{
    DEFAULT_MAX_LEAD_ANGLE_RAD, Intercept, LauncherGeometry, PkModel, Rejection, intercept, predicted_intercept,
};
use bulwark_c2::identify::KinematicClass;
use bulwark_c2::{Flyout, FlyoutTable, InterceptorEnvelope, TrackView};
use bulwark_core::kinematics::intercept_time;
use bulwark_core::{Identity, TrackId, Vec3};
use std::sync::Arc;

fn track(p: Vec3, v: Vec3) -> TrackView {
    TrackView {
        id: TrackId(1),
        position: p,
        velocity: v,
        altitude_m: p.z,
        climb_rate_mps: v.z,
        confirmed: true,
        coasting: false,
        identity: Identity::Hostile,
        hostile_since: None,
    }
}

fn envelope(flyout: Flyout) -> InterceptorEnvelope {
    InterceptorEnvelope {
        type_id: "m".into(),
        min_range_m: 2_000.0,
        max_range_m: 150_000.0,
        min_altitude_m: 10.0,
        max_altitude_m: 30_000.0,
        max_target_speed_mps: 3_000.0,
        max_flight_time_s: 200.0,
        max_lead_angle_rad: DEFAULT_MAX_LEAD_ANGLE_RAD,
        max_offset_m: None,
        single_shot_pk: 0.9,
        flyout,
        rank: 0,
    }
}

const GEOMETRIES: [([f64; 3], [f64; 3]); 5] = [
    ([100_000.0, 0.0, 8_000.0], [-300.0, 0.0, 0.0]),
    ([40_000.0, 30_000.0, 5_000.0], [-50.0, -250.0, 0.0]),
    ([-60_000.0, 80_000.0, 20_000.0], [400.0, -900.0, -500.0]),
    ([20_000.0, -5_000.0, 100.0], [-240.0, 10.0, 0.0]),
    ([90_000.0, 90_000.0, 12_000.0], [200.0, -50.0, 30.0]),
];

#[test]
fn constant_speed_pip_is_the_collision_triangle() {
    let w = LauncherGeometry { position: Vec3::new(1_000.0, -2_000.0, 0.0), altitude_m: 0.0 };
    for s in [600.0, 1_000.0, 2_000.0] {
        for (p, v) in GEOMETRIES {
            let t = track(Vec3::from(p), Vec3::from(v));
            let closed = intercept_time(&(t.position - w.position), &t.velocity, s);
            let fixed = predicted_intercept(&t, &w, &Flyout::ConstantSpeed(s), 1_000.0);
            match (closed, fixed) {
                (Some(tc), Some((pip, tf))) => {
                    assert!((tc - tf).abs() < 1e-5, "s {s} {p:?}: closed {tc} vs fixed point {tf}");
                    let residual = (pip - w.position).norm() - s * tf;
                    assert!(residual.abs() < 1e-2, "PIP off the collision circle by {residual} m");
                }
                (None, None) => {}
                other => panic!("s {s} {p:?}: closed form and fixed point disagree: {other:?}"),
            }
        }
    }
    // A target receding faster than the interceptor has no PIP.
    let away = track(Vec3::new(50_000.0, 0.0, 5_000.0), Vec3::new(900.0, 0.0, 0.0));
    let origin = LauncherGeometry { position: Vec3::zeros(), altitude_m: 0.0 };
    assert_eq!(predicted_intercept(&away, &origin, &Flyout::ConstantSpeed(800.0), 1_000.0), None);
}

#[test]
fn tabulated_constant_speed_pip_matches_within_the_interpolation_error() {
    // T = √(R² + h²)/s tabulated every 2 km × 1 km: bilinear interpolation of a convex function
    // overestimates T by at most (ΔR² T_RR + Δh² T_hh)/8 ≤ (2 km² + 1 km²)/(8·R_min·s) — under
    // 0.05 s for R ≥ 10 km at 1 km/s; the PIP time inherits at most that over (1 − |ṙ|/s).
    let s = 1_000.0;
    let ranges: Vec<f64> = (0..=100).map(|k| 2_000.0 * f64::from(k)).collect();
    let heights: Vec<f64> = (0..=31).map(|k| 1_000.0 * f64::from(k)).collect();
    let table = FlyoutTable::from_fn(ranges, heights, |r, h| Some(r.hypot(h) / s)).unwrap();
    let flyout = Flyout::Table(Arc::new(table));
    let w = LauncherGeometry { position: Vec3::zeros(), altitude_m: 0.0 };
    for (p, v) in GEOMETRIES {
        let t = track(Vec3::from(p), Vec3::from(v));
        let Some(tc) = intercept_time(&t.position, &t.velocity, s) else { continue };
        if t.altitude_m + t.climb_rate_mps * tc < 0.0 {
            // Below ground at the closed-form PIP: the table (h ≥ 0) rightly has none.
            assert_eq!(predicted_intercept(&t, &w, &flyout, 1_000.0), None);
            continue;
        }
        let (_, tf) = predicted_intercept(&t, &w, &flyout, 1_000.0).expect("inside the table");
        assert!((tc - tf).abs() < 0.2, "{p:?}: closed {tc} vs table {tf}");
    }
}

#[test]
fn table_rejects_bad_grids_and_reads_unreachable_cells_as_none() {
    assert!(FlyoutTable::new(vec![0.0], vec![0.0, 1.0], vec![0.0, 0.0]).is_err());
    assert!(FlyoutTable::new(vec![0.0, 1.0], vec![0.0, 1.0], vec![0.0, 1.0, f64::NAN, 1.0]).is_err());
    assert!(FlyoutTable::new(vec![0.0, 1.0], vec![1.0, 0.0], vec![0.0; 4]).is_err());
    assert!(FlyoutTable::new(vec![0.0, 1.0], vec![0.0, 1.0], vec![0.0; 3]).is_err());
    let t =
        FlyoutTable::new(vec![0.0, 1.0, 2.0], vec![0.0, 1.0], vec![0.0, 1.0, f64::INFINITY, 0.5, 1.5, 3.0]).unwrap();
    assert_eq!(t.time_of_flight(0.5, 0.5), Some(0.75));
    assert_eq!(t.time_of_flight(1.5, 0.0), None, "next to an unreachable cell");
    assert_eq!(t.time_of_flight(3.0, 0.0), None, "outside the grid");
    assert_eq!(t.time_of_flight(f64::NAN, 0.0), None);
    assert_eq!(t.time_of_flight(0.5, -10.0), Some(0.5), "just below the grid reads the lowest row");
    assert_eq!(t.time_of_flight(0.5, -5_000.0), None, "far below the grid is out of reach");
}

#[test]
fn launch_acceptability_names_the_limit_that_fails() {
    let w = LauncherGeometry { position: Vec3::zeros(), altitude_m: 0.0 };
    let env = envelope(Flyout::ConstantSpeed(1_000.0));
    let ok = intercept(&track(Vec3::new(60_000.0, 0.0, 100.0), Vec3::new(-250.0, 0.0, 0.0)), &w, &env).unwrap();
    assert!(ok.lead_angle_rad < 1e-3, "head-on: no lead ({} rad)", ok.lead_angle_rad);
    let cases = [
        // PIP at 152 km after 152 s: beyond 150 km; at 400 km: beyond the 200 s flight time.
        (Vec3::new(190_000.0, 0.0, 8_000.0), Vec3::new(-250.0, 0.0, 0.0), Rejection::TooFar),
        (Vec3::new(400_000.0, 0.0, 8_000.0), Vec3::new(-250.0, 0.0, 0.0), Rejection::NoIntercept),
        (Vec3::new(1_500.0, 0.0, 500.0), Vec3::new(0.0, 0.0, 0.0), Rejection::TooClose),
        (Vec3::new(60_000.0, 0.0, 5.0), Vec3::new(-250.0, 0.0, 0.0), Rejection::TooLow),
        (Vec3::new(60_000.0, 0.0, 35_000.0), Vec3::new(-250.0, 0.0, 0.0), Rejection::TooHigh),
        (Vec3::new(60_000.0, 0.0, 8_000.0), Vec3::new(-3_500.0, 0.0, 0.0), Rejection::TargetTooFast),
        // Crossing at 900 m/s, 0.9 of the interceptor's speed: lead ≈ 64° > 45°.
        (Vec3::new(60_000.0, 0.0, 8_000.0), Vec3::new(0.0, 900.0, 0.0), Rejection::LeadAngle),
    ];
    for (p, v, why) in cases {
        assert_eq!(intercept(&track(p, v), &w, &env).map(|_| ()), Err(why), "{p:?} {v:?}");
    }
    let offset = InterceptorEnvelope { max_offset_m: Some(10_000.0), ..env.clone() };
    let passing = track(Vec3::new(60_000.0, 20_000.0, 8_000.0), Vec3::new(-250.0, 0.0, 0.0));
    assert_eq!(intercept(&passing, &w, &offset).map(|_| ()), Err(Rejection::Offset));
    let i = intercept(&passing, &w, &env).unwrap();
    assert!((i.offset_m - 20_000.0).abs() < 1e-6, "course parameter {}", i.offset_m);
}

#[test]
fn kill_probability_is_the_catalog_value_inside_and_falls_toward_the_edges() {
    let env = envelope(Flyout::ConstantSpeed(1_000.0));
    let m = PkModel::default();
    let at = |range: f64, lead: f64| Intercept {
        pip: Vec3::new(range, 0.0, 0.0),
        time_of_flight_s: range / 1_000.0,
        slant_range_m: range,
        pip_altitude_m: 5_000.0,
        lead_angle_rad: lead,
        offset_m: 0.0,
    };
    let inner = m.kill_probability(&env, &at(50_000.0, 0.0), KinematicClass::Aircraft);
    assert!((inner - 0.9).abs() < 1e-12, "inside 70 % of the envelope, head-on, aircraft: P_SSK");
    let edge = m.kill_probability(&env, &at(150_000.0, 0.0), KinematicClass::Aircraft);
    assert!((edge - 0.45).abs() < 1e-12, "halved at the edge: {edge}");
    let crossing = m.kill_probability(&env, &at(50_000.0, std::f64::consts::FRAC_PI_2), KinematicClass::Aircraft);
    assert!((crossing - 0.63).abs() < 1e-12, "{crossing}");
    let bm = m.kill_probability(&env, &at(50_000.0, 0.0), KinematicClass::Ballistic);
    assert!((bm - 0.72).abs() < 1e-12, "{bm}");
    let mut last = 1.0;
    for k in 0..=30 {
        let p = m.kill_probability(&env, &at(5_000.0 * f64::from(k), 0.0), KinematicClass::FastJet);
        assert!(p <= last + 1e-15 && (0.0..=1.0).contains(&p));
        last = p;
    }
}
