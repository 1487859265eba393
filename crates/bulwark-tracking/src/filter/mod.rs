//! A dimension-general estimation layer on `nalgebra` `DVector`/`DMatrix`: Gaussian states of
//! any dimension, motion and observation models, the Kalman/extended Kalman filter (Joseph
//! form), the unscented Kalman filter (Merwe scaled sigma points) and the IMM estimator.
//!
//! The tracker's fixed 6-D path ([`crate::KalmanPredictor`], [`crate::ExtendedKalmanUpdater`])
//! stays as it is for speed; this layer serves larger states (acceleration, turn rate) and
//! multiple-model filtering. Its first six components always mean `[x, y, z, vx, vy, vz]`
//! (m, m/s), so every 6-D [`MeasurementModel`] applies through [`Padded`].
use crate::error::{FilterError, ModelError};
use crate::measurement::MeasurementModel;
use crate::state::{GaussianState, StateMatrix, StateVector};
use nalgebra::{Cholesky, DMatrix, DVector, Dyn};
use std::fmt;

pub mod ballistic;
pub mod imm;
pub mod kf;
pub mod models;
pub mod ukf;

pub use ballistic::{Ballistic, Drag};
pub use imm::{Imm, ImmPrediction, ImmState};
pub use kf::{innovation, predict, predict_linear, update};
pub use models::{COMMON_DIM, CoordinatedTurn, Layout, NearlyConstantAcceleration, NearlyConstantVelocity, Singer};
pub use ukf::{MerweScaledSigmaPoints, Ukf, UnscentedKalmanUpdater};

/// A Gaussian density of any dimension n: mean (n) and covariance (n × n), in the units of
/// the state it describes.
#[derive(Clone, Debug, PartialEq)]
pub struct Gaussian {
    pub mean: DVector<f64>,
    pub cov: DMatrix<f64>,
}

impl Gaussian {
    /// Fails unless `cov` is n × n for an n-vector `mean`.
    pub fn new(mean: DVector<f64>, cov: DMatrix<f64>) -> Result<Self, FilterError> {
        if cov.nrows() != mean.len() || cov.ncols() != mean.len() {
            return Err(FilterError::DimensionMismatch { expected: mean.len(), got: cov.nrows().max(cov.ncols()) });
        }
        Ok(Self { mean, cov })
    }
    pub fn dim(&self) -> usize {
        self.mean.len()
    }
    /// The 6-D tracker state as a general Gaussian.
    pub fn from_state(g: &GaussianState) -> Self {
        Self {
            mean: DVector::from_column_slice(g.mean.as_slice()),
            cov: DMatrix::from_column_slice(6, 6, g.covariance.as_slice()),
        }
    }
    /// `g` extended to `n ≥ 6` components: the extra ones get mean 0, variances `extra_var`
    /// (cycled if shorter than n − 6; 0 if empty) and no correlation.
    pub fn extend_state(g: &GaussianState, n: usize, extra_var: &[f64]) -> Result<Self, FilterError> {
        if n < 6 {
            return Err(FilterError::DimensionMismatch { expected: 6, got: n });
        }
        let mut cov = DMatrix::zeros(n, n);
        cov.view_mut((0, 0), (6, 6)).copy_from(&g.covariance);
        for i in 6..n {
            cov[(i, i)] = if extra_var.is_empty() { 0.0 } else { extra_var[(i - 6) % extra_var.len()] };
        }
        let mut mean = DVector::zeros(n);
        mean.rows_mut(0, 6).copy_from(&g.mean);
        Ok(Self { mean, cov })
    }
    /// The marginal of the first six components `[x, y, z, vx, vy, vz]`.
    pub fn to_state(&self) -> Result<GaussianState, FilterError> {
        if self.dim() < 6 {
            return Err(FilterError::DimensionMismatch { expected: 6, got: self.dim() });
        }
        let mean = StateVector::from_column_slice(&self.mean.as_slice()[..6]);
        let cov = StateMatrix::from_fn(|i, j| self.cov[(i, j)]);
        Ok(GaussianState::new(mean, cov))
    }
    /// True when every entry is finite.
    pub fn is_finite(&self) -> bool {
        self.mean.iter().chain(self.cov.iter()).all(|v| v.is_finite())
    }
    /// NEES (x − x̂)ᵀ P⁻¹ (x − x̂) (Bar-Shalom et al. 2001, §5.4.2); `None` unless P is positive
    /// definite and `truth` has the state's dimension.
    pub fn nees(&self, truth: &DVector<f64>) -> Option<f64> {
        if truth.len() != self.dim() {
            return None;
        }
        let e = truth - &self.mean;
        let chol = self.cov.clone().cholesky()?;
        Some(e.dot(&chol.solve(&e)))
    }
    pub(crate) fn checked(self) -> Result<Self, FilterError> {
        let cov = (&self.cov + self.cov.transpose()) * 0.5;
        let out = Self { mean: self.mean, cov };
        if out.is_finite() { Ok(out) } else { Err(FilterError::NonFinite) }
    }
}

/// A motion model of any dimension: x(t + Δt) = f(x, Δt) + w, w ~ N(0, Q(x, Δt)).
pub trait MotionModel: fmt::Debug + Send + Sync {
    /// State dimension n.
    fn dim(&self) -> usize;
    /// Noise-free propagation by `dt_s` ≥ 0 seconds.
    fn function(&self, x: &DVector<f64>, dt_s: f64) -> DVector<f64> {
        self.jacobian(x, dt_s) * x
    }
    /// ∂f/∂x (n × n) at `x`.
    fn jacobian(&self, x: &DVector<f64>, dt_s: f64) -> DMatrix<f64>;
    /// Q (n × n).
    fn noise_covariance(&self, x: &DVector<f64>, dt_s: f64) -> DMatrix<f64>;
    /// (f(x), ∂f/∂x) together, for the EKF prediction, which needs both: a model that
    /// integrates the step for both (ballistic: RK4 on x and Φ) overrides it to integrate once.
    /// Must equal the two calls bit for bit.
    fn function_and_jacobian(&self, x: &DVector<f64>, dt_s: f64) -> (DVector<f64>, DMatrix<f64>) {
        (self.function(x, dt_s), self.jacobian(x, dt_s))
    }
}

/// A time-invariant linear model x' = F x + w, w ~ N(0, Q) (one fixed step; Δt is ignored).
#[derive(Clone, Debug, PartialEq)]
pub struct LinearMotion {
    f: DMatrix<f64>,
    q: DMatrix<f64>,
}

impl LinearMotion {
    /// F and Q must be n × n.
    pub fn new(f: DMatrix<f64>, q: DMatrix<f64>) -> Result<Self, FilterError> {
        let n = f.nrows();
        if f.ncols() != n || q.nrows() != n || q.ncols() != n {
            return Err(FilterError::DimensionMismatch { expected: n, got: q.nrows() });
        }
        Ok(Self { f, q })
    }
}

impl MotionModel for LinearMotion {
    fn dim(&self) -> usize {
        self.f.nrows()
    }
    fn jacobian(&self, _x: &DVector<f64>, _dt_s: f64) -> DMatrix<f64> {
        self.f.clone()
    }
    fn noise_covariance(&self, _x: &DVector<f64>, _dt_s: f64) -> DMatrix<f64> {
        self.q.clone()
    }
}

/// An observation model on an n-D state: z = h(x) + v, v ~ N(0, R).
pub trait ObservationModel: fmt::Debug + Send + Sync {
    /// Dimension of z.
    fn dim(&self) -> usize;
    /// h(x).
    fn function(&self, x: &DVector<f64>) -> DVector<f64>;
    /// ∂h/∂x (dim × n).
    fn jacobian(&self, x: &DVector<f64>) -> Result<DMatrix<f64>, ModelError>;
    /// R.
    fn noise_covariance(&self) -> DMatrix<f64>;
    /// z − ẑ with angle components wrapped. Default: plain difference.
    fn residual(&self, z: &DVector<f64>, z_pred: &DVector<f64>) -> DVector<f64> {
        z - z_pred
    }
}

/// A linear observation z = H x + v, v ~ N(0, R).
#[derive(Clone, Debug, PartialEq)]
pub struct LinearObservation {
    h: DMatrix<f64>,
    r: DMatrix<f64>,
}

impl LinearObservation {
    /// H is m × n, R m × m.
    pub fn new(h: DMatrix<f64>, r: DMatrix<f64>) -> Result<Self, FilterError> {
        if r.nrows() != h.nrows() || r.ncols() != h.nrows() {
            return Err(FilterError::DimensionMismatch { expected: h.nrows(), got: r.nrows() });
        }
        Ok(Self { h, r })
    }
}

impl ObservationModel for LinearObservation {
    fn dim(&self) -> usize {
        self.h.nrows()
    }
    fn function(&self, x: &DVector<f64>) -> DVector<f64> {
        if x.len() == self.h.ncols() { &self.h * x } else { DVector::from_element(self.dim(), f64::NAN) }
    }
    fn jacobian(&self, x: &DVector<f64>) -> Result<DMatrix<f64>, ModelError> {
        if x.len() != self.h.ncols() {
            return Err(ModelError::Degenerate("state dimension differs from H's columns"));
        }
        Ok(self.h.clone())
    }
    fn noise_covariance(&self) -> DMatrix<f64> {
        self.r.clone()
    }
}

/// A tracker [`MeasurementModel`] (on `[x, y, z, vx, vy, vz]`) applied to an n ≥ 6 state whose
/// first six components are position and velocity: h reads them, H gets zero columns for the
/// rest (acceleration, turn rate), so those are updated only through their correlation.
#[derive(Clone, Copy, Debug)]
pub struct Padded<'a>(pub &'a dyn MeasurementModel);

impl Padded<'_> {
    fn head(x: &DVector<f64>) -> StateVector {
        StateVector::from_fn(|i, _| x.get(i).copied().unwrap_or(f64::NAN))
    }
}

impl ObservationModel for Padded<'_> {
    fn dim(&self) -> usize {
        self.0.dim()
    }
    fn function(&self, x: &DVector<f64>) -> DVector<f64> {
        self.0.function(&Self::head(x))
    }
    fn jacobian(&self, x: &DVector<f64>) -> Result<DMatrix<f64>, ModelError> {
        if x.len() < 6 {
            return Err(ModelError::Degenerate("state has fewer than six components"));
        }
        let h6 = self.0.jacobian(&Self::head(x))?;
        let mut h = DMatrix::zeros(h6.nrows(), x.len());
        h.columns_mut(0, 6).copy_from(&h6);
        Ok(h)
    }
    fn noise_covariance(&self) -> DMatrix<f64> {
        self.0.noise_covariance()
    }
    fn residual(&self, z: &DVector<f64>, z_pred: &DVector<f64>) -> DVector<f64> {
        self.0.residual(z, z_pred)
    }
}

/// The predicted measurement of one Gaussian under one observation model: ẑ, S, P_xz and,
/// for a linearised (EKF) prediction, H — with which the update uses the Joseph form.
#[derive(Clone, Debug)]
pub struct Innovation {
    /// ẑ.
    pub z_pred: DVector<f64>,
    /// S.
    pub s: DMatrix<f64>,
    /// P_xz (n × m).
    pub cross_covariance: DMatrix<f64>,
    /// H (m × n), for EKF/KF predictions.
    pub jacobian: Option<DMatrix<f64>>,
    /// R.
    pub noise: DMatrix<f64>,
    chol: Cholesky<f64, Dyn>,
}

impl Innovation {
    /// Fails unless S is symmetric positive definite and everything is finite.
    pub fn new(
        z_pred: DVector<f64>,
        s: DMatrix<f64>,
        cross_covariance: DMatrix<f64>,
        jacobian: Option<DMatrix<f64>>,
        noise: DMatrix<f64>,
    ) -> Result<Self, FilterError> {
        let m = z_pred.len();
        if s.nrows() != m || s.ncols() != m || cross_covariance.ncols() != m {
            return Err(FilterError::DimensionMismatch { expected: m, got: s.nrows() });
        }
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
    /// νᵀ S⁻¹ ν.
    pub fn mahalanobis_sq(&self, nu: &DVector<f64>) -> f64 {
        nu.dot(&self.chol.solve(nu))
    }
    /// ln N(ν; 0, S) = −½ (νᵀS⁻¹ν + m ln 2π + ln |S|).
    pub fn log_likelihood(&self, nu: &DVector<f64>) -> f64 {
        let ln_det: f64 = self.chol.l_dirty().diagonal().iter().map(|d| 2.0 * d.ln()).sum();
        -0.5 * (self.mahalanobis_sq(nu) + nu.len() as f64 * (2.0 * std::f64::consts::PI).ln() + ln_det)
    }
    /// Kalman gain K = P_xz S⁻¹ (n × m).
    pub fn gain(&self) -> DMatrix<f64> {
        self.chol.solve(&self.cross_covariance.transpose()).transpose()
    }
    /// The tracker's 6-D [`crate::MeasurementPrediction`] (first six rows of P_xz and of H's columns).
    pub fn to_measurement_prediction(&self) -> Result<crate::MeasurementPrediction, FilterError> {
        if self.cross_covariance.nrows() < 6 {
            return Err(FilterError::DimensionMismatch { expected: 6, got: self.cross_covariance.nrows() });
        }
        crate::MeasurementPrediction::new(
            self.z_pred.clone(),
            self.s.clone(),
            self.cross_covariance.rows(0, 6).into_owned(),
            self.jacobian.as_ref().map(|h| h.columns(0, 6).into_owned()),
            self.noise.clone(),
        )
    }
}
