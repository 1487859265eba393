//! Predict and update steps. The EKF is the first [`Predictor`]/[`Updater`] pair; an
//! unscented filter slots in by implementing the same two traits.
use crate::error::FilterError;
use crate::measurement::MeasurementModel;
use crate::state::{GaussianState, HorizontalMoments, StateMatrix, StateVector};
use crate::transition::TransitionModel;
use nalgebra::{Cholesky, DMatrix, DVector, Dyn};
use std::fmt;
use std::sync::Arc;

/// Propagates a state estimate forward in time.
pub trait Predictor: fmt::Debug + Send + Sync {
    /// The estimate `dt_s` seconds later (`dt_s` finite and ≥ 0).
    fn predict(&self, prior: &GaussianState, dt_s: f64) -> Result<GaussianState, FilterError>;
    /// The mean of [`Self::predict`] alone, for callers that read no covariance (where a track
    /// is, to point a beam or compare positions). The same value and errors as `predict`,
    /// except that a finite covariance whose prediction would overflow is not an error here.
    fn predict_mean(&self, prior: &GaussianState, dt_s: f64) -> Result<StateVector, FilterError> {
        self.predict(prior, dt_s).map(|g| g.mean)
    }
    /// The horizontal moments of [`Self::predict`] alone, for the spatial pre-filter: the same
    /// bits and the same errors.
    fn predict_horizontal(&self, prior: &GaussianState, dt_s: f64) -> Result<HorizontalMoments, FilterError> {
        self.predict(prior, dt_s).map(|g| g.horizontal())
    }
}

/// Kalman / extended Kalman prediction: x⁻ = f(x, Δt), P⁻ = F P Fᵀ + Q with F = ∂f/∂x
/// (Bar-Shalom et al. 2001, §5.2.3 and §10.3.2).
#[derive(Clone, Debug)]
pub struct KalmanPredictor {
    transition: Arc<dyn TransitionModel>,
}

impl KalmanPredictor {
    pub fn new(transition: Arc<dyn TransitionModel>) -> Self {
        Self { transition }
    }
}

impl Predictor for KalmanPredictor {
    fn predict(&self, prior: &GaussianState, dt_s: f64) -> Result<GaussianState, FilterError> {
        if !dt_s.is_finite() || dt_s < 0.0 {
            return Err(FilterError::BadTimeStep(dt_s));
        }
        let (mean, p) = self.transition.propagate(&prior.mean, &prior.covariance, dt_s);
        let out = GaussianState::new(mean, (p + p.transpose()) * 0.5);
        if out.is_finite() { Ok(out) } else { Err(FilterError::NonFinite) }
    }

    /// f(x) only: the transition's `function`, which `propagate` must agree with.
    fn predict_mean(&self, prior: &GaussianState, dt_s: f64) -> Result<StateVector, FilterError> {
        if !dt_s.is_finite() || dt_s < 0.0 {
            return Err(FilterError::BadTimeStep(dt_s));
        }
        let mean = self.transition.function(&prior.mean, dt_s);
        if crate::state::all_finite(&mean, &prior.covariance) { Ok(mean) } else { Err(FilterError::NonFinite) }
    }

    /// The transition's horizontal closed form where it has one (and vouches that the whole
    /// prediction is finite, so `predict` would not fail), symmetrised as `predict` does.
    fn predict_horizontal(&self, prior: &GaussianState, dt_s: f64) -> Result<HorizontalMoments, FilterError> {
        if !dt_s.is_finite() || dt_s < 0.0 {
            return Err(FilterError::BadTimeStep(dt_s));
        }
        match self.transition.propagate_horizontal(&prior.mean, &prior.covariance, dt_s) {
            Some(h) => Ok(h.symmetrised()),
            None => self.predict(prior, dt_s).map(|g| g.horizontal()),
        }
    }
}

/// The predicted measurement of one state under one model: what gating and the update need.
#[derive(Clone, Debug)]
pub struct MeasurementPrediction {
    /// ẑ.
    pub z_pred: DVector<f64>,
    /// Innovation covariance S.
    pub s: DMatrix<f64>,
    /// State–measurement cross-covariance P_xz (6 × dim); the gain is K = P_xz S⁻¹.
    pub cross_covariance: DMatrix<f64>,
    /// H, when the updater linearised (EKF): enables the Joseph-form covariance update.
    pub jacobian: Option<DMatrix<f64>>,
    /// R.
    pub noise: DMatrix<f64>,
    chol: Cholesky<f64, Dyn>,
}

impl MeasurementPrediction {
    /// Builds a prediction; fails if S is not symmetric positive definite (Cholesky).
    pub fn new(
        z_pred: DVector<f64>,
        s: DMatrix<f64>,
        cross_covariance: DMatrix<f64>,
        jacobian: Option<DMatrix<f64>>,
        noise: DMatrix<f64>,
    ) -> Result<Self, FilterError> {
        let s = (&s + s.transpose()) * 0.5;
        if !s.iter().chain(z_pred.iter()).chain(cross_covariance.iter()).all(|v| v.is_finite()) {
            return Err(FilterError::NonFinite);
        }
        let chol = s.clone().cholesky().ok_or(FilterError::SingularInnovation)?;
        if chol.l_dirty().diagonal().iter().any(|d| d.is_nan() || *d <= 0.0) {
            return Err(FilterError::SingularInnovation);
        }
        Ok(Self { z_pred, s, cross_covariance, jacobian, noise, chol })
    }

    /// Squared Mahalanobis distance νᵀ S⁻¹ ν of an innovation ν (Bar-Shalom et al. 2001, §5.4.3).
    pub fn mahalanobis_sq(&self, innovation: &DVector<f64>) -> f64 {
        innovation.dot(&self.chol.solve(innovation))
    }

    /// ln |S| from the Cholesky factor (2 Σ ln Lᵢᵢ), for likelihoods and track scores.
    pub fn ln_det_s(&self) -> f64 {
        2.0 * self.chol.l_dirty().diagonal().iter().map(|d| d.ln()).sum::<f64>()
    }
}

/// Largest measurement dimension of the fixed-size EKF path.
pub(crate) const FAST_MAX_DIM: usize = 4;

/// The EKF measurement prediction on stack arrays (dim ≤ [`FAST_MAX_DIM`]): the same
/// equations as [`ExtendedKalmanUpdater`], without heap matrices, for the tracker's hot path.
#[derive(Clone, Debug)]
pub(crate) struct FastPrediction {
    pub dim: usize,
    /// ẑ in its first `dim` entries.
    pub z_pred: [f64; FAST_MAX_DIM],
    /// H, row-major d × 6.
    h: [[f64; 6]; FAST_MAX_DIM],
    /// P Hᵀ, 6 × d.
    pht: [[f64; FAST_MAX_DIM]; 6],
    /// Lower Cholesky factor of S.
    l: [[f64; FAST_MAX_DIM]; FAST_MAX_DIM],
}

impl FastPrediction {
    /// ẑ = h(x⁻), H, S = H P⁻ Hᵀ + R (symmetrised), S = L Lᵀ. `r` is R (d × d).
    pub fn new(predicted: &GaussianState, model: &dyn MeasurementModel, r: &DMatrix<f64>) -> Result<Self, FilterError> {
        let d = model.dim();
        let mut h = [[0.0; 6]; FAST_MAX_DIM];
        if d == 0
            || d > FAST_MAX_DIM
            || r.nrows() != d
            || r.ncols() != d
            || !model.jacobian_into(&predicted.mean, &mut h)?
        {
            return Err(FilterError::DimensionMismatch { expected: d, got: r.nrows() });
        }
        let mut z_pred = [0.0; FAST_MAX_DIM];
        if !model.function_into(&predicted.mean, &mut z_pred[..d]) {
            return Err(FilterError::DimensionMismatch { expected: d, got: 0 });
        }
        let p = &predicted.covariance;
        let mut pht = [[0.0; FAST_MAX_DIM]; 6];
        for (i, row) in pht.iter_mut().enumerate() {
            for (k, hk) in h.iter().enumerate().take(d) {
                row[k] = (0..6).map(|j| p[(i, j)] * hk[j]).sum();
            }
        }
        let mut s = [[0.0; FAST_MAX_DIM]; FAST_MAX_DIM];
        for k in 0..d {
            for m in 0..d {
                s[k][m] = (0..6).map(|i| h[k][i] * pht[i][m]).sum::<f64>() + r[(k, m)];
            }
        }
        let mut l = [[0.0; FAST_MAX_DIM]; FAST_MAX_DIM];
        for k in 0..d {
            for m in 0..=k {
                let sym = 0.5 * (s[k][m] + s[m][k]);
                let acc = sym - (0..m).map(|j| l[k][j] * l[m][j]).sum::<f64>();
                if k == m {
                    if !acc.is_finite() {
                        return Err(FilterError::NonFinite);
                    }
                    if acc <= 0.0 {
                        return Err(FilterError::SingularInnovation);
                    }
                    l[k][k] = acc.sqrt();
                } else {
                    l[k][m] = acc / l[m][m];
                }
            }
        }
        let finite = z_pred[..d].iter().all(|v| v.is_finite())
            && pht.iter().flat_map(|r| r[..d].iter()).all(|v| v.is_finite())
            && l.iter().flat_map(|r| r[..d].iter()).all(|v| v.is_finite());
        if !finite {
            return Err(FilterError::NonFinite);
        }
        Ok(Self { dim: d, z_pred, h, pht, l })
    }

    /// Solves L y = b in place.
    fn forward(&self, b: &mut [f64; FAST_MAX_DIM]) {
        for k in 0..self.dim {
            let acc = b[k] - (0..k).map(|j| self.l[k][j] * b[j]).sum::<f64>();
            b[k] = acc / self.l[k][k];
        }
    }

    /// Solves Lᵀ x = y in place.
    fn backward(&self, b: &mut [f64; FAST_MAX_DIM]) {
        for k in (0..self.dim).rev() {
            let acc = b[k] - (k + 1..self.dim).map(|j| self.l[j][k] * b[j]).sum::<f64>();
            b[k] = acc / self.l[k][k];
        }
    }

    /// d² = νᵀ S⁻¹ ν; NaN if ν has the wrong length.
    pub fn mahalanobis_sq(&self, nu: &[f64]) -> f64 {
        if nu.len() != self.dim {
            return f64::NAN;
        }
        let mut y = [0.0; FAST_MAX_DIM];
        y[..self.dim].copy_from_slice(nu);
        self.forward(&mut y);
        y[..self.dim].iter().map(|v| v * v).sum()
    }

    /// d² of measurement `z` under `model` with the residual on the stack (no allocation);
    /// the same value as `mahalanobis_sq(&model.residual(z, ẑ))`. NaN on a length mismatch.
    pub fn mahalanobis_sq_of(&self, z: &DVector<f64>, model: &dyn MeasurementModel) -> f64 {
        let mut y = [0.0; FAST_MAX_DIM];
        if z.len() != self.dim || !model.residual_into(z.as_slice(), &self.z_pred[..self.dim], &mut y[..self.dim]) {
            return f64::NAN;
        }
        self.forward(&mut y);
        y[..self.dim].iter().map(|v| v * v).sum()
    }

    /// ln |S|.
    pub fn ln_det_s(&self) -> f64 {
        2.0 * (0..self.dim).map(|k| self.l[k][k].ln()).sum::<f64>()
    }

    /// The EKF update with innovation ν and noise R: K = P Hᵀ S⁻¹, x⁺ = x⁻ + K ν, Joseph form
    /// P⁺ = (I − K H) P⁻ (I − K H)ᵀ + K R Kᵀ (as [`ExtendedKalmanUpdater::update`]).
    pub fn update(
        &self,
        predicted: &GaussianState,
        nu: &[f64],
        r: &DMatrix<f64>,
    ) -> Result<GaussianState, FilterError> {
        let d = self.dim;
        if nu.len() != d {
            return Err(FilterError::DimensionMismatch { expected: d, got: nu.len() });
        }
        // Row i of K solves S kᵢᵀ = (P Hᵀ)ᵢᵀ.
        let mut k = [[0.0; FAST_MAX_DIM]; 6];
        for (ki, phti) in k.iter_mut().zip(&self.pht) {
            *ki = *phti;
            self.forward(ki);
            self.backward(ki);
        }
        let mut mean = predicted.mean;
        for i in 0..6 {
            mean[i] += (0..d).map(|m| k[i][m] * nu[m]).sum::<f64>();
        }
        let mut a = StateMatrix::identity();
        let mut krk = StateMatrix::zeros();
        for i in 0..6 {
            for j in 0..6 {
                a[(i, j)] -= (0..d).map(|m| k[i][m] * self.h[m][j]).sum::<f64>();
                krk[(i, j)] = (0..d).map(|m| k[i][m] * (0..d).map(|n| r[(m, n)] * k[j][n]).sum::<f64>()).sum::<f64>();
            }
        }
        let post = a * predicted.covariance * a.transpose() + krk;
        let out = GaussianState::new(mean, (post + post.transpose()) * 0.5);
        if out.is_finite() { Ok(out) } else { Err(FilterError::NonFinite) }
    }
}

/// Forms measurement predictions and applies measurements.
pub trait Updater: fmt::Debug + Send + Sync {
    /// ẑ, S, P_xz of `predicted` under `model`.
    fn predict_measurement(
        &self,
        predicted: &GaussianState,
        model: &dyn MeasurementModel,
    ) -> Result<MeasurementPrediction, FilterError>;
    /// The posterior after measuring `z`.
    fn update(
        &self,
        predicted: &GaussianState,
        prediction: &MeasurementPrediction,
        z: &DVector<f64>,
        model: &dyn MeasurementModel,
    ) -> Result<GaussianState, FilterError>;
}

/// Extended Kalman update (Bar-Shalom et al. 2001, §10.3.2):
/// ẑ = h(x⁻), S = H P⁻ Hᵀ + R, K = P⁻ Hᵀ S⁻¹, x⁺ = x⁻ + K ν (ν wrapped by the model),
/// and the Joseph form P⁺ = (I − K H) P⁻ (I − K H)ᵀ + K R Kᵀ (Bucy & Joseph 1968;
/// Bar-Shalom et al. 2001, §5.2.3, eq. 5.2.3-18), which stays symmetric positive
/// semi-definite under rounding and for any gain.
#[derive(Copy, Clone, Debug, Default)]
pub struct ExtendedKalmanUpdater;

impl Updater for ExtendedKalmanUpdater {
    fn predict_measurement(
        &self,
        predicted: &GaussianState,
        model: &dyn MeasurementModel,
    ) -> Result<MeasurementPrediction, FilterError> {
        let h = model.jacobian(&predicted.mean)?;
        let r = model.noise_covariance();
        let p = DMatrix::from_column_slice(6, 6, predicted.covariance.as_slice());
        let pht = &p * h.transpose();
        let s = &h * &pht + &r;
        MeasurementPrediction::new(model.function(&predicted.mean), s, pht, Some(h), r)
    }

    fn update(
        &self,
        predicted: &GaussianState,
        prediction: &MeasurementPrediction,
        z: &DVector<f64>,
        model: &dyn MeasurementModel,
    ) -> Result<GaussianState, FilterError> {
        if z.len() != prediction.z_pred.len() {
            return Err(FilterError::DimensionMismatch { expected: prediction.z_pred.len(), got: z.len() });
        }
        // K = P_xz S⁻¹ = (S⁻¹ P_xzᵀ)ᵀ since S is symmetric.
        let k = prediction.chol.solve(&prediction.cross_covariance.transpose()).transpose();
        let nu = model.residual(z, &prediction.z_pred);
        let dx = &k * nu;
        let mut mean = predicted.mean;
        for i in 0..6 {
            mean[i] += dx[i];
        }
        let p = DMatrix::from_column_slice(6, 6, predicted.covariance.as_slice());
        let post = match &prediction.jacobian {
            Some(h) => {
                let ikh = DMatrix::identity(6, 6) - &k * h;
                &ikh * p * ikh.transpose() + &k * &prediction.noise * k.transpose()
            }
            None => p - &k * &prediction.s * k.transpose(),
        };
        let cov = StateMatrix::from_column_slice(post.as_slice());
        let out = GaussianState::new(mean, (cov + cov.transpose()) * 0.5);
        if out.is_finite() { Ok(out) } else { Err(FilterError::NonFinite) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::measurement::Cartesian;
    use crate::state::StateVector;
    use crate::transition::ConstantVelocity;

    #[test]
    fn singular_innovation_is_an_error_not_a_nan() {
        // A model with R = 0 on a state with zero covariance: S = 0.
        #[derive(Debug)]
        struct Exact;
        impl MeasurementModel for Exact {
            fn dim(&self) -> usize {
                1
            }
            fn function(&self, x: &StateVector) -> DVector<f64> {
                DVector::from_element(1, x[0])
            }
            fn jacobian(&self, _x: &StateVector) -> Result<DMatrix<f64>, crate::ModelError> {
                Ok(DMatrix::from_row_slice(1, 6, &[1.0, 0.0, 0.0, 0.0, 0.0, 0.0]))
            }
            fn noise_covariance(&self) -> DMatrix<f64> {
                DMatrix::zeros(1, 1)
            }
            fn position_fix(&self, _z: &DVector<f64>) -> Option<crate::PositionFix> {
                None
            }
        }
        let g = GaussianState::new(StateVector::zeros(), StateMatrix::zeros());
        let e = ExtendedKalmanUpdater.predict_measurement(&g, &Exact).unwrap_err();
        assert_eq!(e, FilterError::SingularInnovation);
    }

    #[test]
    fn bad_time_steps_are_refused() {
        let p = KalmanPredictor::new(Arc::new(ConstantVelocity::new(1.0)));
        let g = GaussianState::new(StateVector::zeros(), StateMatrix::identity());
        assert_eq!(p.predict(&g, -1.0), Err(FilterError::BadTimeStep(-1.0)));
        assert!(p.predict(&g, f64::NAN).is_err());
        assert_eq!(p.predict(&g, 0.0).unwrap(), g);
    }

    #[test]
    fn joseph_update_of_a_confident_measurement_stays_positive_definite() {
        // Prior 1e8 m², measurement 1e-4 m²: the simple form P − KSKᵀ loses ~12 digits here.
        let m = Cartesian::new(1e-2).unwrap();
        let g = GaussianState::new(StateVector::zeros(), StateMatrix::identity() * 1e8);
        let mp = ExtendedKalmanUpdater.predict_measurement(&g, &m).unwrap();
        let z = DVector::from_vec(vec![1.0, 2.0, 3.0]);
        let post = ExtendedKalmanUpdater.update(&g, &mp, &z, &m).unwrap();
        assert!(post.covariance.cholesky().is_some());
        assert!((post.covariance[(0, 0)] - 1e-4).abs() < 1e-12);
    }

    #[test]
    fn fixed_size_path_equals_the_generic_ekf() {
        use crate::measurement::{BearingRange2D, RangeAzElRr, SensorPose};
        use bulwark_core::Vec3;
        let x = StateVector::new(25_000.0, 41_000.0, 7_000.0, -230.0, 140.0, -12.0);
        let mut p = StateMatrix::identity() * 400.0;
        for i in 0..3 {
            p[(i + 3, i + 3)] = 900.0;
            p[(i, i + 3)] = 150.0;
            p[(i + 3, i)] = 150.0;
        }
        let g = GaussianState::new(x, p);
        let models: Vec<Box<dyn MeasurementModel>> = vec![
            Box::new(BearingRange2D::new([300.0, -50.0], 0.01, 5.0).unwrap()),
            Box::new(
                RangeAzElRr::new(SensorPose::at(Vec3::new(1.0, 2.0, 3.0)).unwrap(), 20.0, 1e-3, 2e-3, Some(1.0))
                    .unwrap(),
            ),
            Box::new(Cartesian::new(30.0).unwrap()),
        ];
        for m in &models {
            let z = m.function(&StateVector::new(25_040.0, 40_950.0, 7_010.0, 0.0, 0.0, 0.0));
            let r = m.noise_covariance();
            let slow = ExtendedKalmanUpdater.predict_measurement(&g, m.as_ref()).unwrap();
            let fast = FastPrediction::new(&g, m.as_ref(), &r).unwrap();
            let nu = m.residual(&z, &DVector::from_column_slice(&fast.z_pred[..fast.dim]));
            assert_eq!(nu.as_slice(), m.residual(&z, &slow.z_pred).as_slice());
            let (d_slow, d_fast) = (slow.mahalanobis_sq(&nu), fast.mahalanobis_sq(nu.as_slice()));
            assert_eq!(d_fast.to_bits(), fast.mahalanobis_sq_of(&z, m.as_ref()).to_bits());
            assert!((d_slow - d_fast).abs() <= 1e-12 * d_slow.max(1.0), "{d_slow} vs {d_fast}");
            assert!((slow.ln_det_s() - fast.ln_det_s()).abs() < 1e-12 * slow.ln_det_s().abs().max(1.0));
            let a = ExtendedKalmanUpdater.update(&g, &slow, &z, m.as_ref()).unwrap();
            let b = fast.update(&g, nu.as_slice(), &r).unwrap();
            assert!((a.mean - b.mean).amax() < 1e-9, "{m:?}");
            assert!((a.covariance - b.covariance).amax() < 1e-9 * a.covariance.amax(), "{m:?}");
        }
    }

    #[test]
    fn mean_only_prediction_is_the_full_predictions_mean() {
        // Oracle: the mean of the full prediction (nalgebra's F x), bit for bit, and the same
        // refusals (bad Δt, non-finite prior).
        let p = KalmanPredictor::new(Arc::new(ConstantVelocity::new(400.0)));
        let mut cov = StateMatrix::identity() * 2_500.0;
        cov[(0, 4)] = -0.0;
        for (k, dt) in [0.0, 0.1, 1.0, 7.3, 600.0].into_iter().enumerate() {
            let x = StateVector::new(1e5 - 3e4 * k as f64, -0.0, 7e3, 0.0, -250.0 + 60.0 * k as f64, -0.0);
            let g = GaussianState::new(x, cov);
            let full = p.predict(&g, dt).unwrap().mean;
            let mean = p.predict_mean(&g, dt).unwrap();
            assert!(full.iter().zip(mean.iter()).all(|(a, b)| a.to_bits() == b.to_bits()), "Δt {dt}");
        }
        let g = GaussianState::new(StateVector::zeros(), StateMatrix::identity());
        assert_eq!(p.predict_mean(&g, -1.0), Err(FilterError::BadTimeStep(-1.0)));
        for bad in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            let mut c = StateMatrix::identity();
            c[(2, 5)] = bad;
            let g = GaussianState::new(StateVector::zeros(), c);
            assert!(!g.is_finite());
            assert_eq!(p.predict_mean(&g, 1.0), Err(FilterError::NonFinite));
            assert!(p.predict(&g, 1.0).is_err());
        }
    }

    #[test]
    fn horizontal_prediction_is_the_full_predictions_bit_for_bit() {
        // Oracle: the horizontal moments of the full prediction (nalgebra products, then
        // symmetrised), bit for bit, with the same refusals: bad Δt, a non-finite prior, and a
        // finite prior whose prediction overflows (past the closed form's bounds).
        let p = KalmanPredictor::new(Arc::new(ConstantVelocity::new(400.0)));
        let mut cov = StateMatrix::from_fn(|i, j| if i == j { 2_500.0 } else { 17.0 * (i as f64 - j as f64) });
        cov[(3, 4)] = 0.0;
        cov[(0, 4)] = -0.0;
        for (k, dt) in [0.0, 0.1, 1.0, 7.3, 600.0].into_iter().enumerate() {
            let x = StateVector::new(1e5 - 3e4 * k as f64, -0.0, 7e3, 0.0, -250.0 + 60.0 * k as f64, -0.0);
            let g = GaussianState::new(x, cov);
            let full = p.predict(&g, dt).unwrap().horizontal();
            let h = p.predict_horizontal(&g, dt).unwrap();
            assert_eq!(format!("{h:?}"), format!("{full:?}"), "Δt {dt}");
            let bits = |m: &HorizontalMoments| {
                m.position.iter().chain(&m.velocity).flatten().map(|v| v.to_bits()).collect::<Vec<_>>()
            };
            assert_eq!(bits(&h), bits(&full), "Δt {dt}");
        }
        let g = GaussianState::new(StateVector::zeros(), StateMatrix::identity());
        assert_eq!(p.predict_horizontal(&g, -1.0), Err(FilterError::BadTimeStep(-1.0)));
        let mut c = StateMatrix::identity();
        c[(2, 5)] = f64::NAN;
        assert_eq!(
            p.predict_horizontal(&GaussianState::new(StateVector::zeros(), c), 1.0),
            Err(FilterError::NonFinite)
        );
        let huge = GaussianState::new(StateVector::zeros(), StateMatrix::identity() * 1e300);
        assert!(p.predict(&huge, 1e10).is_err(), "the full prediction overflows");
        assert_eq!(p.predict_horizontal(&huge, 1e10), Err(FilterError::NonFinite));
    }
}
