//! IMM(CV, CA, CT) against each single model on a 7 g coordinated turn (Bar-Shalom, Li &
//! Kirubarajan 2001, §11.7 uses the same kind of benchmark).
//!
//! Truth: 250 m/s at 6 km altitude, 30 s straight east, a 7 g level turn (ω = 7·9.80665/250
//! = 0.2746 rad/s) through 180°, 30 s straight west; integrated exactly (coordinated-turn
//! solution on 10 ms sub-steps, so turn onset and end fall between scans). Radar at the
//! origin, range/azimuth/elevation every 1 s, σ_r = 20 m, σ_az = σ_el = 1 mrad (≈ 30 m
//! cross-range at 30 km). 50 Monte Carlo runs of measurement noise (fixed seed), every filter
//! starting from the same draw about the truth. Position RMSE over scans 5… (after the start
//! transient), printed with `--nocapture`.
//!
//! Tuning: each single model gets its best value from a grid (CV q ∈ {1, 10, 100, 10³, 10⁴}
//! m²/s³; CA jerk q ∈ {10, 100, 10³, 10⁴} m²/s⁵; CT q_h ∈ {0.1, 1, 10, 100, 10³} m²/s³ × q_ω ∈
//! {10⁻⁴, 10⁻³, 10⁻², 10⁻¹} rad²/s³), so the IMM is compared with the best each single model can do here. The IMM
//! is tuned once, a priori: CV q = 1, CA q = 100, CT q_h = 1, q_ω = 10⁻³, Markov matrix with
//! 0.9 on the diagonal and 0.05 elsewhere.
use bulwark_core::{RngStreams, StreamPurpose};
use bulwark_tracking::filter::{
    CoordinatedTurn, Gaussian, Imm, ImmState, Layout, MotionModel, NearlyConstantAcceleration, NearlyConstantVelocity,
    Padded, kf,
};
use bulwark_tracking::{MeasurementModel, RangeAzElRr, SensorPose};
use nalgebra::{DMatrix, DVector, Vector3};
use std::sync::Arc;

const RUNS: usize = 50;
const G: f64 = 9.80665;
const SPEED: f64 = 250.0;
const SKIP: usize = 5;

/// Truth [x, y, z, vx, vy, vz] at each scan time 1, 2, … s.
fn truth() -> Vec<DVector<f64>> {
    let omega = 7.0 * G / SPEED;
    let turn_time = std::f64::consts::PI / omega;
    let (t1, t2, t_end) = (30.0, 30.0 + turn_time, 60.0 + turn_time.ceil() + 1.0);
    let ct = CoordinatedTurn::new(0.0, 0.0, 0.0, Layout::Native).unwrap();
    let mut x = DVector::from_vec(vec![-8_000.0, 30_000.0, 6_000.0, SPEED, 0.0, 0.0, 0.0]);
    let mut out = Vec::new();
    let h = 0.01;
    let sub = 100;
    let mut k = 0usize;
    while (k as f64) < t_end {
        for i in 0..sub {
            let t = k as f64 + i as f64 * h;
            x[6] = if t + 0.5 * h > t1 && t + 0.5 * h < t2 { omega } else { 0.0 };
            x = ct.function(&x, h);
        }
        k += 1;
        out.push(x.rows(0, 6).into_owned());
    }
    out
}

fn radar() -> RangeAzElRr {
    RangeAzElRr::new(SensorPose::at(Vector3::zeros()).unwrap(), 20.0, 1e-3, 1e-3, None).unwrap()
}

enum Filter {
    Single(Arc<dyn MotionModel>),
    Imm(Imm),
}

/// Position RMSE (m) over all runs and scans ≥ SKIP, and over the turn scans alone.
fn rmse(filter: &Filter, truth: &[DVector<f64>]) -> (f64, f64) {
    let sensor = radar();
    let obs = Padded(&sensor);
    let r = sensor.noise_covariance();
    let lr = r.clone().cholesky().unwrap().unpack();
    let streams = RngStreams::new(77, 0);
    let omega = 7.0 * G / SPEED;
    let turn = 30..(30.0 + std::f64::consts::PI / omega).ceil() as usize + 1;
    let (mut se, mut n, mut se_turn, mut n_turn) = (0.0, 0usize, 0.0, 0usize);
    let p0: [f64; 6] = [400.0, 400.0, 400.0, 900.0, 900.0, 900.0];
    for run in 0..RUNS {
        let mut rng = streams.stream(run as u64, StreamPurpose::MeasurementNoise);
        // Initial estimate at scan 0: truth one second before scan 1 plus a draw from P0.
        let x0 = &truth[0] - DVector::from_vec(vec![SPEED, 0.0, 0.0, 0.0, 0.0, 0.0]);
        let x0 = DVector::from_fn(6, |i, _| x0[i] + p0[i].sqrt() * rng.normal());
        let g6 = Gaussian::new(x0, DMatrix::from_diagonal(&DVector::from_row_slice(&p0))).unwrap();
        let mut single = None;
        let mut imm_state: Option<ImmState> = None;
        match filter {
            Filter::Single(m) => {
                let mut mean = DVector::zeros(m.dim());
                let mut cov = DMatrix::identity(m.dim(), m.dim()) * 1e-2;
                mean.rows_mut(0, 6).copy_from(&g6.mean);
                cov.view_mut((0, 0), (6, 6)).copy_from(&g6.cov);
                if m.dim() == 9 {
                    cov.view_mut((6, 6), (3, 3)).fill_with_identity();
                    cov.view_mut((6, 6), (3, 3)).scale_mut(100.0);
                }
                single = Some(Gaussian::new(mean, cov).unwrap());
            }
            Filter::Imm(imm) => {
                let mut cov = DMatrix::zeros(10, 10);
                cov.view_mut((0, 0), (6, 6)).copy_from(&g6.cov);
                for i in 6..9 {
                    cov[(i, i)] = 100.0;
                }
                cov[(9, 9)] = 1e-2;
                let mut mean = DVector::zeros(10);
                mean.rows_mut(0, 6).copy_from(&g6.mean);
                let g = Gaussian::new(mean, cov).unwrap();
                imm_state = Some(imm.initial_state(&g, &[0.8, 0.1, 0.1]).unwrap());
            }
        }
        for (k, x_true) in truth.iter().enumerate() {
            let z = sensor.function(&bulwark_tracking::StateVector::from_column_slice(x_true.as_slice()))
                + &lr * DVector::from_fn(3, |_, _| rng.normal());
            let pos = match filter {
                Filter::Single(m) => {
                    let g = single.take().unwrap();
                    let pred = kf::predict(&g, m.as_ref(), 1.0).unwrap();
                    let post = kf::update(&pred, &kf::innovation(&pred, &obs).unwrap(), &z, &obs).unwrap();
                    let p = post.mean.rows(0, 3).into_owned();
                    single = Some(post);
                    p
                }
                Filter::Imm(imm) => {
                    let pred = imm.predict(imm_state.as_ref().unwrap(), 1.0).unwrap();
                    let mp = imm.predict_measurement(&pred, &sensor).unwrap();
                    let post = imm.update(&pred, &mp, &z, &sensor).unwrap();
                    let p = post.combined6().unwrap().position();
                    imm_state = Some(post);
                    DVector::from_column_slice(p.as_slice())
                }
            };
            if k >= SKIP {
                let e2 = (pos - x_true.rows(0, 3)).norm_squared();
                se += e2;
                n += 1;
                if turn.contains(&k) {
                    se_turn += e2;
                    n_turn += 1;
                }
            }
        }
    }
    ((se / n as f64).sqrt(), (se_turn / n_turn as f64).sqrt())
}

fn cv(q: f64, layout: Layout) -> Arc<dyn MotionModel> {
    Arc::new(NearlyConstantVelocity::new(q, layout).unwrap())
}
fn ca(q: f64, layout: Layout) -> Arc<dyn MotionModel> {
    Arc::new(NearlyConstantAcceleration::new(q, layout).unwrap())
}
fn ct(qh: f64, qw: f64, layout: Layout) -> Arc<dyn MotionModel> {
    Arc::new(CoordinatedTurn::new(qh, qh, qw, layout).unwrap())
}

#[test]
fn imm_beats_every_single_model_on_a_7g_turn() {
    let truth = truth();
    let best = |cands: Vec<(String, Arc<dyn MotionModel>)>| {
        cands
            .into_iter()
            .map(|(name, m)| {
                let (all, turn) = rmse(&Filter::Single(m), &truth);
                println!("  {name:<28} RMSE {all:7.2} m  (turn {turn:7.2} m)");
                (name, all, turn)
            })
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .unwrap()
    };
    println!("single models (position RMSE, scans ≥ {SKIP}, {RUNS} runs):");
    let best_cv =
        best([1.0, 10.0, 100.0, 1000.0, 1e4].iter().map(|&q| (format!("CV q={q}"), cv(q, Layout::Native))).collect());
    let best_ca =
        best([10.0, 100.0, 1000.0, 1e4].iter().map(|&q| (format!("CA q={q}"), ca(q, Layout::Native))).collect());
    let mut ct_grid = Vec::new();
    for qh in [0.1, 1.0, 10.0, 100.0, 1000.0] {
        for qw in [1e-4, 1e-3, 1e-2, 1e-1] {
            ct_grid.push((format!("CT q_h={qh} q_w={qw}"), ct(qh, qw, Layout::Native)));
        }
    }
    let best_ct = best(ct_grid);
    let p = DMatrix::from_row_slice(3, 3, &[0.9, 0.05, 0.05, 0.05, 0.9, 0.05, 0.05, 0.05, 0.9]);
    let imm =
        Imm::new(vec![cv(1.0, Layout::Common), ca(100.0, Layout::Common), ct(1.0, 1e-3, Layout::Common)], p).unwrap();
    let (imm_all, imm_turn) = rmse(&Filter::Imm(imm), &truth);
    println!("best CV: {} {:.2} m (turn {:.2})", best_cv.0, best_cv.1, best_cv.2);
    println!("best CA: {} {:.2} m (turn {:.2})", best_ca.0, best_ca.1, best_ca.2);
    println!("best CT: {} {:.2} m (turn {:.2})", best_ct.0, best_ct.1, best_ct.2);
    println!("IMM(CV, CA, CT): {imm_all:.2} m (turn {imm_turn:.2})");
    for (name, all, _) in [best_cv, best_ca, best_ct] {
        assert!(imm_all < all, "IMM {imm_all:.2} m not better than {name} {all:.2} m");
    }
}
