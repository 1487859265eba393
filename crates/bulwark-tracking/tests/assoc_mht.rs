//! Track-oriented MHT: the track score against the closed-form log-likelihood ratio
//! (Blackman 2004 eqs. 5–7, computed independently here), bounded memory in dense clutter,
//! family cap, bad input.
use bulwark_core::{RngStreams, SensorId, StreamPurpose, TrackId};
use bulwark_tracking::{
    Cartesian, Detection, MeasurementModel, MhtConfig, MhtTracker, MultiTargetTracker, TrackStatus,
};
use nalgebra::DVector;
use std::f64::consts::PI;
use std::sync::Arc;

const SIGMA: f64 = 10.0;
const SIGMA_V: f64 = 30.0;
const Q: f64 = 1.0;
const PD: f64 = 0.9;
const LAMBDA: f64 = 1e-7;
const BETA_NT: f64 = 1e-8;

fn model() -> Arc<dyn MeasurementModel> {
    Arc::new(Cartesian::new(SIGMA).unwrap())
}

fn det(t: f64, p: [f64; 3]) -> Detection {
    Detection { t_s: t, z: DVector::from_column_slice(&p), model: model(), sensor: SensorId(1) }
}

fn config() -> MhtConfig {
    let mut c = MhtConfig::constant_velocity(Q, PD, LAMBDA, BETA_NT);
    c.init_velocity_sigma_mps = SIGMA_V;
    c
}

#[test]
fn track_score_is_the_closed_form_log_likelihood_ratio() {
    // L = ln(β_NT/λ) at initiation; a detection adds ln(P_D N(ν; 0, S)/λ); a miss adds
    // ln(1 − P_D P_G). Per axis, after Δt = 1 s from a single-point start:
    // S = σ² + σᵥ² Δt² + q Δt³/3 + σ² (position variance of the start plus process noise, plus R).
    let mut mht = MhtTracker::new(config()).unwrap();
    mht.process(0.0, &[det(0.0, [0.0, 0.0, 1000.0])]);
    let l0 = (BETA_NT / LAMBDA).ln();
    let t1 = mht.track(TrackId(1)).expect("a lone detection starts a track in the best hypothesis");
    assert!((t1.quality - 1.0 / (1.0 + (-l0).exp())).abs() < 1e-12);
    assert_eq!(t1.status, TrackStatus::Tentative);
    let nu = [20.0, -5.0, 10.0];
    mht.process(1.0, &[det(1.0, [nu[0], nu[1], 1000.0 + nu[2]])]);
    let s = SIGMA * SIGMA + SIGMA_V * SIGMA_V + Q / 3.0 + SIGMA * SIGMA;
    let d2 = nu.iter().map(|v| v * v).sum::<f64>() / s;
    let n = (-0.5 * d2).exp() / (2.0 * PI * s).powf(1.5);
    let l1 = l0 + (PD * n / LAMBDA).ln();
    let t1 = mht.track(TrackId(1)).unwrap();
    let want = 1.0 / (1.0 + (-l1).exp());
    assert!((t1.quality - want).abs() < 1e-9, "quality {} vs {want} (L = {l1})", t1.quality);
    assert_eq!(t1.hits, 2);
    // A scan without detections: L += ln(1 − P_D P_G), P_G = 0.999.
    mht.process(2.0, &[]);
    let l2 = l1 + (1.0 - PD * 0.999f64).ln();
    let t1 = mht.track(TrackId(1)).unwrap();
    assert!((t1.quality - 1.0 / (1.0 + (-l2).exp())).abs() < 1e-9);
    assert_eq!(t1.misses, 1);
}

#[test]
fn hypotheses_and_memory_stay_bounded_in_dense_clutter() {
    // 40 clutter detections per scan in an 8 × 8 × 4 km box around 3 targets, 20 scans.
    let mut cfg = config();
    cfg.max_hypotheses = 8;
    cfg.init_velocity_sigma_mps = 100.0;
    let k = cfg.max_hypotheses;
    let mut mht = MhtTracker::new(cfg).unwrap();
    let mut rng = RngStreams::new(5, 0).stream(1, StreamPurpose::FalseAlarm);
    let mut peak_nodes = Vec::new();
    for scan in 0..20 {
        let t = scan as f64;
        let mut dets: Vec<Detection> = (0..3)
            .map(|i| det(t, [i as f64 * 1500.0 + 50.0 * t + SIGMA * rng.normal(), SIGMA * rng.normal(), 1000.0]))
            .collect();
        for _ in 0..rng.poisson(40.0) {
            dets.push(det(
                t,
                [rng.uniform_range(-3e3, 5e3), rng.uniform_range(-4e3, 4e3), rng.uniform_range(-1e3, 3e3)],
            ));
        }
        mht.process(t, &dets);
        let st = mht.last_stats();
        if std::env::var("MHT_DIAG").is_ok() {
            println!("{scan} {st:?}");
        }
        assert!(st.hypotheses <= k * st.clusters, "scan {scan}: {st:?}");
        peak_nodes.push(st.nodes);
    }
    // No growth: the second half holds no more nodes than twice the first half's peak.
    let first = peak_nodes[..10].iter().max().unwrap();
    let second = peak_nodes[10..].iter().max().unwrap();
    assert!(*second <= 2 * first, "nodes {peak_nodes:?}");
    let confirmed = mht.tracks().filter(|t| t.status.is_confirmed()).count();
    assert!(confirmed >= 3, "the three targets are confirmed ({confirmed})");
}

#[test]
fn family_cap_refuses_new_tracks() {
    let mut cfg = config();
    cfg.max_families = 5;
    let mut mht = MhtTracker::new(cfg).unwrap();
    let dets: Vec<Detection> = (0..12).map(|i| det(0.0, [i as f64 * 1e4, 0.0, 1000.0])).collect();
    mht.process(0.0, &dets);
    let st = mht.last_stats();
    assert_eq!(st.families, 5);
    assert_eq!(st.families_refused, 7);
    assert_eq!(mht.tracks().count(), 5);
}

#[test]
fn bad_input_and_config_do_not_panic() {
    let mut c = config();
    c.max_hypotheses = 0;
    assert!(MhtTracker::new(c).is_err());
    let mut c = config();
    c.new_target_density = -1.0;
    assert!(MhtTracker::new(c).is_err());
    let mut mht: Box<dyn MultiTargetTracker> = Box::new(MhtTracker::new(config()).unwrap());
    let bad = Detection { t_s: f64::NAN, z: DVector::from_vec(vec![0.0; 3]), model: model(), sensor: SensorId(1) };
    let rep = mht.process_scan(0.0, &[bad]);
    assert_eq!(rep.rejected.len(), 1);
    assert_eq!(mht.live_tracks().count(), 0);
}
