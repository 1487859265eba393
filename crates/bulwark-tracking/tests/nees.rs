//! Filter consistency: normalised estimation error squared over Monte Carlo runs
//! (Bar-Shalom, Li & Kirubarajan 2001, §5.4.2).
//!
//! A CV target is simulated with exactly the discrete process noise Q(Δt) the filter assumes,
//! and measured in position with exactly the filter's R. With N = 200 runs and a 6-D state,
//! N·ANEES_k is χ² with 1200 degrees of freedom, so ANEES_k lies in
//! [χ²₁₂₀₀(0.025), χ²₁₂₀₀(0.975)] / 200 with probability 0.95 at each step k.
use bulwark_core::{RngStream, RngStreams, StreamPurpose};
use bulwark_tracking::{
    Cartesian, ConstantVelocity, ExtendedKalmanUpdater, GaussianState, KalmanPredictor, MeasurementModel, Predictor,
    StateMatrix, StateVector, TransitionModel, Updater,
};
use nalgebra::DVector;
use std::sync::Arc;

const RUNS: usize = 200;
const STEPS: usize = 60;
const DT: f64 = 2.0;
const Q_TRUE: f64 = 4.0;
const SIGMA: f64 = 25.0;
// scipy 1.17.1: chi2.ppf(0.025, 1200) = 1105.889881156058, chi2.ppf(0.975, 1200) = 1297.8982763368099.
const LO: f64 = 1105.889881156058 / RUNS as f64;
const HI: f64 = 1297.8982763368099 / RUNS as f64;

fn gaussian_draw(rng: &mut RngStream, cov: &StateMatrix) -> StateVector {
    let l = cov.cholesky().expect("positive definite").l();
    l * StateVector::from_fn(|_, _| rng.normal())
}

/// ANEES at each step for a filter that assumes spectral density `q_filter`.
fn anees(q_filter: f64) -> Vec<f64> {
    let truth_model = ConstantVelocity::new(Q_TRUE);
    let predictor = KalmanPredictor::new(Arc::new(ConstantVelocity::new(q_filter)));
    let sensor = Cartesian::new(SIGMA).unwrap();
    let streams = RngStreams::new(20_240_601, 0);
    let p0 = StateMatrix::from_diagonal(&StateVector::new(1e4, 1e4, 1e4, 400.0, 400.0, 400.0));
    let q_dt = truth_model.noise_covariance(&StateVector::zeros(), DT);
    let mut sum = vec![0.0; STEPS];
    for run in 0..RUNS {
        let mut rng = streams.stream(run as u64, StreamPurpose::MeasurementNoise);
        let x_hat0 = StateVector::new(10_000.0, -5_000.0, 8_000.0, -200.0, 150.0, 0.0);
        let mut truth = x_hat0 + gaussian_draw(&mut rng, &p0);
        let mut est = GaussianState::new(x_hat0, p0);
        for s in sum.iter_mut() {
            truth = truth_model.function(&truth, DT) + gaussian_draw(&mut rng, &q_dt);
            let z = DVector::from_fn(3, |i, _| truth[i] + SIGMA * rng.normal());
            let pred = predictor.predict(&est, DT).unwrap();
            let mp = ExtendedKalmanUpdater.predict_measurement(&pred, &sensor).unwrap();
            est = ExtendedKalmanUpdater.update(&pred, &mp, &z, &sensor as &dyn MeasurementModel).unwrap();
            *s += est.nees(&truth).unwrap() / RUNS as f64;
        }
    }
    sum
}

#[test]
fn matched_filter_is_consistent() {
    let a = anees(Q_TRUE);
    let inside = a.iter().filter(|v| (LO..=HI).contains(*v)).count();
    // 95 % per step: expect ~57 of 60 inside; below 54 (90 %) would be a 1-in-100 event for a
    // consistent filter even allowing for the correlation between steps.
    assert!(inside >= 54, "only {inside}/{STEPS} steps inside [{LO:.3}, {HI:.3}]: {a:?}");
    let mean = a.iter().sum::<f64>() / STEPS as f64;
    assert!((LO..=HI).contains(&mean), "time-averaged ANEES {mean}");
}

#[test]
fn mismatched_filter_fails_the_same_test() {
    // Negative control: a filter assuming 1/20 of the true process noise is overconfident.
    let a = anees(Q_TRUE / 20.0);
    let inside = a.iter().filter(|v| (LO..=HI).contains(*v)).count();
    assert!(inside < 10, "the test must be able to fail: {inside}/{STEPS} inside, {a:?}");
}
