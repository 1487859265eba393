//! The dimension-general filters against FilterPy on fixed sequences.
//!
//! Oracle: `tools/oracles/filterpy_oracle.py` (FilterPy 1.4.5, numpy 2.4.6, scipy 1.17.1; the
//! versions are recorded in each JSON's "source"), which writes `tests/data/filterpy_*.json`:
//! the simulated measurements and FilterPy's posterior x, P (and IMM mode probabilities) after
//! each update. Its models are written independently in Python (CV/CA Q from FilterPy's
//! `Q_continuous_white_noise`; the coordinated turn and its Jacobian re-derived).
//!
//! Tolerance: every entry agrees to 1e-9 relative, with entries below 1e-6 of the largest
//! entry of their array compared absolutely at 1e-9 × that largest entry (P's near-zero
//! cross terms carry only the rounding of the large ones). The largest deviation per case is
//! printed (`cargo test -p bulwark-tracking --test filters_filterpy -- --nocapture`).
use bulwark_tracking::filter::{CoordinatedTurn, ObservationModel};
use bulwark_tracking::filter::{
    Gaussian, Imm, Layout, MerweScaledSigmaPoints, MotionModel, NearlyConstantAcceleration, NearlyConstantVelocity,
    Padded, Ukf, kf,
};
use bulwark_tracking::{BearingRange2D, Cartesian, MeasurementModel};
use nalgebra::{DMatrix, DVector, Matrix3};
use serde_json::Value;
use std::sync::Arc;

fn load(name: &str) -> Value {
    let path = format!("{}/tests/data/filterpy_{name}.json", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).expect("oracle data")).expect("json")
}
fn vec_of(v: &Value) -> Vec<f64> {
    v.as_array().expect("array").iter().map(|x| x.as_f64().expect("number")).collect()
}
fn dvec(v: &Value) -> DVector<f64> {
    DVector::from_vec(vec_of(v))
}
fn prior(case: &Value) -> Gaussian {
    let x = dvec(&case["x0"]);
    let p = DMatrix::from_diagonal(&dvec(&case["P0_diag"]));
    Gaussian::new(x, p).unwrap()
}

/// Largest |a − b| / max(|a|, |b|, 1e-6 · scale), scale = largest |entry| of `want`.
fn rel_dev(got: &[f64], want: &[f64]) -> f64 {
    assert_eq!(got.len(), want.len());
    let scale = want.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    got.iter()
        .zip(want)
        .map(|(a, b)| (a - b).abs() / a.abs().max(b.abs()).max(1e-6 * scale).max(1e-300))
        .fold(0.0, f64::max)
}

/// Compares a posterior (P row-major in the JSON; symmetric, so order does not matter).
fn compare(name: &str, k: usize, g: &Gaussian, step: &Value, worst: &mut f64) {
    let dx = rel_dev(g.mean.as_slice(), &vec_of(&step["x"]));
    let dp = rel_dev(g.cov.transpose().as_slice(), &vec_of(&step["P"]));
    assert!(dx < 1e-9 && dp < 1e-9, "{name} step {k}: x dev {dx:e}, P dev {dp:e}");
    *worst = worst.max(dx).max(dp);
}

fn run_kf(name: &str, model: &dyn Fn(f64) -> Arc<dyn MotionModel>) {
    let case = load(name);
    let r = Matrix3::from_row_slice(&vec_of(&case["R"]));
    let sensor = Cartesian::with_covariance(r).unwrap();
    let obs = Padded(&sensor);
    let q = case["q"].as_f64().unwrap();
    let m = model(q);
    let (mut g, mut t, mut worst) = (prior(&case), 0.0, 0.0f64);
    for (k, step) in case["steps"].as_array().unwrap().iter().enumerate() {
        let tk = step["t"].as_f64().unwrap();
        let pred = kf::predict(&g, m.as_ref(), tk - t).unwrap();
        t = tk;
        let z = dvec(&step["z"]);
        g = kf::update(&pred, &kf::innovation(&pred, &obs).unwrap(), &z, &obs).unwrap();
        compare(name, k, &g, step, &mut worst);
    }
    println!("{name}: largest relative deviation from FilterPy {worst:.2e}");
}

#[test]
fn kf_cv_matches_filterpy() {
    run_kf("kf_cv", &|q| Arc::new(NearlyConstantVelocity::new(q, Layout::Native).unwrap()));
}

#[test]
fn kf_ca_matches_filterpy() {
    run_kf("kf_ca", &|q| Arc::new(NearlyConstantAcceleration::new(q, Layout::Native).unwrap()));
}

fn ct_case(name: &str) -> (Value, CoordinatedTurn, BearingRange2D) {
    let case = load(name);
    let q = vec_of(&case["q"]);
    let s = vec_of(&case["sensor"]);
    let r = vec_of(&case["R"]);
    let ct = CoordinatedTurn::new(q[0], q[1], q[2], Layout::Native).unwrap();
    let br = BearingRange2D::new([s[0], s[1]], r[0].sqrt(), r[3].sqrt()).unwrap();
    (case, ct, br)
}

#[test]
fn ekf_coordinated_turn_matches_filterpy() {
    let (case, ct, br) = ct_case("ekf_ct");
    let obs = Padded(&br as &dyn MeasurementModel);
    let (mut g, mut t, mut worst) = (prior(&case), 0.0, 0.0f64);
    for (k, step) in case["steps"].as_array().unwrap().iter().enumerate() {
        let tk = step["t"].as_f64().unwrap();
        let pred = kf::predict(&g, &ct, tk - t).unwrap();
        t = tk;
        g = kf::update(&pred, &kf::innovation(&pred, &obs).unwrap(), &dvec(&step["z"]), &obs).unwrap();
        compare("ekf_ct", k, &g, step, &mut worst);
    }
    println!("ekf_ct: largest relative deviation from FilterPy {worst:.2e}");
}

#[test]
fn ukf_coordinated_turn_matches_filterpy() {
    let (case, ct, br) = ct_case("ukf_ct");
    let pts = MerweScaledSigmaPoints::new(
        case["alpha"].as_f64().unwrap(),
        case["beta"].as_f64().unwrap(),
        case["kappa"].as_f64().unwrap(),
    )
    .unwrap();
    let ukf = Ukf::new(pts);
    let obs = Padded(&br as &dyn MeasurementModel);
    let (mut g, mut t, mut worst) = (prior(&case), 0.0, 0.0f64);
    let mut crossed_seam = false;
    for (k, step) in case["steps"].as_array().unwrap().iter().enumerate() {
        let tk = step["t"].as_f64().unwrap();
        let pred = ukf.predict(&g, &ct, tk - t).unwrap();
        t = tk;
        let z = dvec(&step["z"]);
        crossed_seam |= z[0] < 0.0;
        let inn = ukf.innovation(&pred, &obs as &dyn ObservationModel).unwrap();
        g = kf::update(&pred, &inn, &z, &obs).unwrap();
        compare("ukf_ct", k, &g, step, &mut worst);
    }
    assert!(crossed_seam, "the sequence should cross the ±π bearing seam");
    println!("ukf_ct: largest relative deviation from FilterPy {worst:.2e}");
}

#[test]
fn imm_cv_ca_matches_filterpy() {
    let case = load("imm_cv_ca");
    let models: Vec<Arc<dyn MotionModel>> = vec![
        Arc::new(NearlyConstantVelocity::new(case["q_cv"].as_f64().unwrap(), Layout::Common).unwrap()),
        Arc::new(NearlyConstantAcceleration::new(case["q_ca"].as_f64().unwrap(), Layout::Common).unwrap()),
    ];
    let imm = Imm::new(models, DMatrix::from_row_slice(2, 2, &vec_of(&case["transition"]))).unwrap();
    let sensor = Cartesian::with_covariance(Matrix3::from_row_slice(&vec_of(&case["R"]))).unwrap();
    let dt = case["dt"].as_f64().unwrap();
    let mut s = imm.initial_state(&prior(&case), &vec_of(&case["mu0"])).unwrap();
    let mut worst = 0.0f64;
    let mut switched = false;
    for (k, step) in case["steps"].as_array().unwrap().iter().enumerate() {
        let pred = imm.predict(&s, dt).unwrap();
        let mp = imm.predict_measurement(&pred, &sensor).unwrap();
        s = imm.update(&pred, &mp, &dvec(&step["z"]), &sensor).unwrap();
        compare("imm", k, &s.combined(), step, &mut worst);
        let dmu = rel_dev(s.probabilities.as_slice(), &vec_of(&step["mu"]));
        assert!(dmu < 1e-9, "imm step {k}: mode probabilities dev {dmu:e}");
        worst = worst.max(dmu);
        switched |= s.probabilities[1] > 0.9;
    }
    assert!(switched, "the manoeuvre should move the probability to CA");
    println!("imm_cv_ca: largest relative deviation from FilterPy {worst:.2e}");
}
