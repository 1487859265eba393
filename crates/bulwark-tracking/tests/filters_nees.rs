//! Consistency of the dimension-general KF, EKF and UKF: normalised estimation error squared
//! over Monte Carlo runs (Bar-Shalom, Li & Kirubarajan 2001, §5.4.2).
//!
//! A CV target is simulated with exactly the discrete Q(Δt) the filters assume and measured
//! with exactly their R. With N = 200 runs and a 6-D state, N·ANEES_k ~ χ²(1200), so ANEES_k
//! lies in [χ²₁₂₀₀(0.025), χ²₁₂₀₀(0.975)]/N with probability 0.95 at each step; the quantiles
//! come from `bulwark_tracking::chi2::quantile` (regularised incomplete gamma of
//! `bulwark_core::special`, checked against SciPy in `chi2::tests`). Of 40 steps we expect 38
//! inside; fewer than 35 has probability < 0.5 % for a consistent filter (binomial 40, 0.95),
//! while a filter assuming a 20× smaller q (negative control) must fall outside at most steps.
use bulwark_core::{RngStream, RngStreams, StreamPurpose};
use bulwark_tracking::chi2;
use bulwark_tracking::filter::{
    Gaussian, Layout, MotionModel, NearlyConstantVelocity, ObservationModel, Padded, Ukf, kf,
};
use bulwark_tracking::{Cartesian, MeasurementModel, RangeAzElRr, SensorPose};
use nalgebra::{DMatrix, DVector};

const RUNS: usize = 200;
const STEPS: usize = 40;
const DT: f64 = 1.0;
const Q_TRUE: f64 = 2.0;

#[derive(Copy, Clone)]
enum Kind {
    Kf,
    Ekf,
    Ukf,
}

fn draw(rng: &mut RngStream, cov: &DMatrix<f64>) -> DVector<f64> {
    let l = cov.clone().cholesky().expect("positive definite").unpack();
    let n = cov.nrows();
    l * DVector::from_fn(n, |_, _| rng.normal())
}

fn anees(kind: Kind, sensor: &dyn MeasurementModel, q_filter: f64, seed: u64) -> Vec<f64> {
    let truth_model = NearlyConstantVelocity::new(Q_TRUE, Layout::Native).unwrap();
    let filter_model = NearlyConstantVelocity::new(q_filter, Layout::Native).unwrap();
    let obs = Padded(sensor);
    let r = sensor.noise_covariance();
    let ukf = Ukf::default();
    let streams = RngStreams::new(seed, 0);
    let p0 = DMatrix::from_diagonal(&DVector::from_vec(vec![1e4, 1e4, 1e4, 400.0, 400.0, 400.0]));
    let x_hat0 = DVector::from_vec(vec![20_000.0, 25_000.0, 6_000.0, -200.0, 150.0, 0.0]);
    let q_dt = truth_model.noise_covariance(&x_hat0, DT);
    let mut sum = vec![0.0; STEPS];
    for run in 0..RUNS {
        let mut rng = streams.stream(run as u64, StreamPurpose::MeasurementNoise);
        let mut truth = &x_hat0 + draw(&mut rng, &p0);
        let mut est = Gaussian::new(x_hat0.clone(), p0.clone()).unwrap();
        for s in sum.iter_mut() {
            truth = truth_model.function(&truth, DT) + draw(&mut rng, &q_dt);
            let z = obs.function(&truth) + draw(&mut rng, &r);
            let pred = match kind {
                Kind::Ukf => ukf.predict(&est, &filter_model, DT).unwrap(),
                _ => kf::predict(&est, &filter_model, DT).unwrap(),
            };
            let inn = match kind {
                Kind::Ukf => ukf.innovation(&pred, &obs as &dyn ObservationModel).unwrap(),
                _ => kf::innovation(&pred, &obs).unwrap(),
            };
            est = kf::update(&pred, &inn, &z, &obs).unwrap();
            *s += est.nees(&truth).unwrap() / RUNS as f64;
        }
    }
    sum
}

fn bounds() -> (f64, f64) {
    let dof = 6 * RUNS;
    (chi2::quantile(0.025, dof).unwrap() / RUNS as f64, chi2::quantile(0.975, dof).unwrap() / RUNS as f64)
}

fn inside(a: &[f64]) -> usize {
    let (lo, hi) = bounds();
    a.iter().filter(|v| (lo..=hi).contains(*v)).count()
}

fn radar() -> RangeAzElRr {
    // ~33 km away: 1 mrad ≈ 33 m cross-range against 20 m in range; mild nonlinearity.
    RangeAzElRr::new(SensorPose::at(nalgebra::Vector3::zeros()).unwrap(), 20.0, 1e-3, 1e-3, None).unwrap()
}

#[test]
fn kf_ekf_and_ukf_are_consistent() {
    let (lo, hi) = bounds();
    let cart = Cartesian::new(25.0).unwrap();
    let rad = radar();
    for (name, kind, sensor) in [
        ("KF (Cartesian)", Kind::Kf, &cart as &dyn MeasurementModel),
        ("EKF (range/az/el)", Kind::Ekf, &rad as &dyn MeasurementModel),
        ("UKF (range/az/el)", Kind::Ukf, &rad as &dyn MeasurementModel),
    ] {
        let a = anees(kind, sensor, Q_TRUE, 20_240_611);
        let mean = a.iter().sum::<f64>() / a.len() as f64;
        let n = inside(&a);
        println!("{name}: ANEES mean {mean:.3}, {n}/{STEPS} steps inside [{lo:.3}, {hi:.3}]");
        assert!(n >= 35, "{name}: only {n}/{STEPS} steps inside the 95 % interval: {a:?}");
    }
}

#[test]
fn a_mismatched_filter_fails_the_same_test() {
    let a = anees(Kind::Kf, &Cartesian::new(25.0).unwrap(), Q_TRUE / 20.0, 20_240_611);
    let n = inside(&a);
    println!("KF with q/20: {n}/{STEPS} steps inside");
    assert!(n < 20, "negative control passed: {a:?}");
}
