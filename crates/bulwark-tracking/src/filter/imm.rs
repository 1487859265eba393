//! Interacting multiple model estimator (Blom & Bar-Shalom 1988, IEEE TAC 33(8);
//! Bar-Shalom, Li & Kirubarajan 2001, §11.6.6) over r mode-conditioned EKFs that share one
//! state layout (for CV/CA/CT: [`super::COMMON_DIM`], see [`super::models`]).
//!
//! With Markov matrix p_ij = P(mode j at k | mode i at k−1) and mode probabilities μ:
//!
//! ```text
//! mixing:      c̄_j = Σ_i p_ij μ_i,   μ_{i|j} = p_ij μ_i / c̄_j
//!              x₀ʲ = Σ_i μ_{i|j} xⁱ,  P₀ʲ = Σ_i μ_{i|j} [Pⁱ + (xⁱ − x₀ʲ)(xⁱ − x₀ʲ)ᵀ]
//! prediction:  each mode's EKF from (x₀ʲ, P₀ʲ); predicted probabilities c̄_j
//! update:      each mode's EKF update (Joseph form); Λ_j = N(ν_j; 0, S_j);
//!              μ_j = Λ_j c̄_j / Σ_i Λ_i c̄_i   (in logarithms, so no likelihood underflows)
//! output:      x = Σ μ_j xʲ,  P = Σ μ_j [Pʲ + (xʲ − x)(xʲ − x)ᵀ]
//! ```
//!
//! This is the ordering of FilterPy's `IMMEstimator`; [`ImmState::probabilities`] holds c̄ after
//! [`Imm::predict`] and μ after [`Imm::update`]. A state with no measurement in a scan simply
//! keeps the predicted state.
use super::{Gaussian, Innovation, MotionModel, Padded, kf};
use crate::error::{ConfigError, FilterError};
use crate::kalman::MeasurementPrediction;
use crate::measurement::MeasurementModel;
use crate::state::GaussianState;
use nalgebra::{DMatrix, DVector};
use std::sync::Arc;

/// The IMM's models and Markov mode-transition matrix.
#[derive(Clone, Debug)]
pub struct Imm {
    models: Vec<Arc<dyn MotionModel>>,
    transition: DMatrix<f64>,
}

/// Per-mode Gaussians (all of one dimension) and mode probabilities (sum 1).
#[derive(Clone, Debug, PartialEq)]
pub struct ImmState {
    pub modes: Vec<Gaussian>,
    pub probabilities: DVector<f64>,
}

/// What gating and the update need from one IMM state under one measurement model.
#[derive(Clone, Debug)]
pub struct ImmPrediction {
    /// Mode-conditioned predictions (EKF, with H).
    pub modes: Vec<Innovation>,
    /// Predicted mode probabilities c̄ used to combine them.
    pub probabilities: DVector<f64>,
    /// The moment-matched 6-D prediction for gating: ẑ = Σ c̄_j ẑ_j (angles averaged through the
    /// model's residual about mode 0), S = Σ c̄_j [S_j + (ẑ_j − ẑ)(ẑ_j − ẑ)ᵀ], P_xz likewise
    /// on the first six state components.
    pub combined: MeasurementPrediction,
}

impl ImmPrediction {
    /// ln p(z) = ln Σ c̄_j N(ν_j; 0, S_j), the IMM measurement likelihood (for association costs).
    pub fn log_likelihood(&self, z: &DVector<f64>, model: &dyn MeasurementModel) -> f64 {
        let ll: Vec<f64> = self
            .modes
            .iter()
            .zip(self.probabilities.iter())
            .map(|(m, p)| m.log_likelihood(&model.residual(z, &m.z_pred)) + p.ln())
            .collect();
        log_sum_exp(&ll)
    }
}

fn log_sum_exp(v: &[f64]) -> f64 {
    let max = v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if !max.is_finite() {
        return max;
    }
    max + v.iter().map(|x| (x - max).exp()).sum::<f64>().ln()
}

/// Σ w_i [P_i + (x_i − x̄)(x_i − x̄)ᵀ] with x̄ = Σ w_i x_i.
fn moment_match<'a>(items: impl Iterator<Item = (&'a Gaussian, f64)> + Clone, n: usize) -> Gaussian {
    let mut mean = DVector::zeros(n);
    for (g, w) in items.clone() {
        mean.axpy(w, &g.mean, 1.0);
    }
    let mut cov = DMatrix::zeros(n, n);
    for (g, w) in items {
        let d = &g.mean - &mean;
        cov += &g.cov * w;
        cov.ger(w, &d, &d, 1.0);
    }
    Gaussian { mean, cov }
}

impl Imm {
    /// `transition` is r × r, row-stochastic (rows sum to 1 within 1e-9, entries in [0, 1]);
    /// the r models must share one dimension.
    pub fn new(models: Vec<Arc<dyn MotionModel>>, transition: DMatrix<f64>) -> Result<Self, ConfigError> {
        let r = models.len();
        if r == 0 || transition.shape() != (r, r) {
            return Err(ConfigError::OutOfRange { name: "transition matrix size", value: transition.nrows() as f64 });
        }
        if models.iter().any(|m| m.dim() != models[0].dim()) {
            return Err(ConfigError::OutOfRange { name: "model dimension", value: models[0].dim() as f64 });
        }
        for i in 0..r {
            let row = transition.row(i);
            if row.iter().any(|p| !(0.0..=1.0).contains(p)) || (row.sum() - 1.0).abs() > 1e-9 {
                return Err(ConfigError::OutOfRange { name: "transition matrix row sum", value: row.sum() });
            }
        }
        Ok(Self { models, transition })
    }

    /// Number of modes r.
    pub fn num_modes(&self) -> usize {
        self.models.len()
    }
    /// State dimension.
    pub fn dim(&self) -> usize {
        self.models[0].dim()
    }

    /// The same Gaussian in every mode with the given probabilities (normalised; must be ≥ 0
    /// with a positive sum).
    pub fn initial_state(&self, g: &Gaussian, probabilities: &[f64]) -> Result<ImmState, FilterError> {
        if g.dim() != self.dim() {
            return Err(FilterError::DimensionMismatch { expected: self.dim(), got: g.dim() });
        }
        if probabilities.len() != self.num_modes() {
            return Err(FilterError::DimensionMismatch { expected: self.num_modes(), got: probabilities.len() });
        }
        let sum: f64 = probabilities.iter().sum();
        if !(sum > 0.0 && sum.is_finite()) || probabilities.iter().any(|p| *p < 0.0) {
            return Err(FilterError::NonFinite);
        }
        Ok(ImmState {
            modes: vec![g.clone(); self.num_modes()],
            probabilities: DVector::from_iterator(probabilities.len(), probabilities.iter().map(|p| p / sum)),
        })
    }

    fn check(&self, s: &ImmState) -> Result<(), FilterError> {
        if s.modes.len() != self.num_modes() || s.probabilities.len() != self.num_modes() {
            return Err(FilterError::DimensionMismatch { expected: self.num_modes(), got: s.modes.len() });
        }
        if let Some(g) = s.modes.iter().find(|g| g.dim() != self.dim()) {
            return Err(FilterError::DimensionMismatch { expected: self.dim(), got: g.dim() });
        }
        Ok(())
    }

    /// Mixing and mode-conditioned prediction by `dt_s` ≥ 0 seconds.
    pub fn predict(&self, s: &ImmState, dt_s: f64) -> Result<ImmState, FilterError> {
        self.check(s)?;
        let r = self.num_modes();
        let n = self.dim();
        let cbar = self.transition.tr_mul(&s.probabilities);
        let mut modes = Vec::with_capacity(r);
        for (j, model) in self.models.iter().enumerate() {
            let mixed = if cbar[j] > 0.0 {
                let w = (0..r).map(|i| self.transition[(i, j)] * s.probabilities[i] / cbar[j]);
                moment_match(s.modes.iter().zip(w), n)
            } else {
                s.modes[j].clone()
            };
            modes.push(kf::predict(&mixed, model.as_ref(), dt_s)?);
        }
        Ok(ImmState { modes, probabilities: cbar })
    }

    /// Mode-conditioned EKF measurement predictions and their moment-matched combination.
    pub fn predict_measurement(
        &self,
        s: &ImmState,
        model: &dyn MeasurementModel,
    ) -> Result<ImmPrediction, FilterError> {
        self.check(s)?;
        let obs = Padded(model);
        let modes: Vec<Innovation> = s.modes.iter().map(|g| kf::innovation(g, &obs)).collect::<Result<_, _>>()?;
        let m = model.dim();
        let z0 = &modes[0].z_pred;
        let mut acc = DVector::zeros(m);
        for (inn, p) in modes.iter().zip(s.probabilities.iter()) {
            acc.axpy(*p, &model.residual(&inn.z_pred, z0), 1.0);
        }
        let z_pred = z0 + acc;
        let x = s.combined();
        let mut cov = DMatrix::zeros(m, m);
        let mut pxz = DMatrix::zeros(6, m);
        for ((inn, g), p) in modes.iter().zip(&s.modes).zip(s.probabilities.iter()) {
            let dz = model.residual(&inn.z_pred, &z_pred);
            let dx = (&g.mean - &x.mean).rows(0, 6).into_owned();
            cov += &inn.s * *p;
            cov.ger(*p, &dz, &dz, 1.0);
            pxz += inn.cross_covariance.rows(0, 6) * *p;
            pxz.ger(*p, &dx, &dz, 1.0);
        }
        let combined = MeasurementPrediction::new(z_pred, cov, pxz, None, model.noise_covariance())?;
        Ok(ImmPrediction { modes, probabilities: s.probabilities.clone(), combined })
    }

    /// Mode-conditioned updates with measurement `z` and the new mode probabilities.
    pub fn update(
        &self,
        s: &ImmState,
        prediction: &ImmPrediction,
        z: &DVector<f64>,
        model: &dyn MeasurementModel,
    ) -> Result<ImmState, FilterError> {
        self.check(s)?;
        if prediction.modes.len() != self.num_modes() {
            return Err(FilterError::DimensionMismatch { expected: self.num_modes(), got: prediction.modes.len() });
        }
        let obs = Padded(model);
        let mut modes = Vec::with_capacity(self.num_modes());
        let mut ll = Vec::with_capacity(self.num_modes());
        for ((g, inn), p) in s.modes.iter().zip(&prediction.modes).zip(s.probabilities.iter()) {
            modes.push(kf::update(g, inn, z, &obs)?);
            ll.push(inn.log_likelihood(&model.residual(z, &inn.z_pred)) + p.ln());
        }
        let norm = log_sum_exp(&ll);
        if !norm.is_finite() {
            return Err(FilterError::NonFinite);
        }
        let probabilities = DVector::from_iterator(ll.len(), ll.iter().map(|l| (l - norm).exp()));
        Ok(ImmState { modes, probabilities })
    }
}

impl ImmState {
    /// The moment-matched (combined) estimate Σ μ_j N(xʲ, Pʲ) → N(x, P).
    pub fn combined(&self) -> Gaussian {
        let n = self.modes.first().map_or(0, Gaussian::dim);
        moment_match(self.modes.iter().zip(self.probabilities.iter().copied()), n)
    }
    /// The combined estimate's `[x, y, z, vx, vy, vz]` marginal, for reporting.
    pub fn combined6(&self) -> Result<GaussianState, FilterError> {
        self.combined().to_state()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::filter::{Layout, NearlyConstantAcceleration, NearlyConstantVelocity};
    use crate::measurement::Cartesian;

    fn imm() -> Imm {
        Imm::new(
            vec![
                Arc::new(NearlyConstantVelocity::new(1.0, Layout::Common).unwrap()),
                Arc::new(NearlyConstantAcceleration::new(1.0, Layout::Common).unwrap()),
            ],
            DMatrix::from_row_slice(2, 2, &[0.95, 0.05, 0.1, 0.9]),
        )
        .unwrap()
    }

    #[test]
    fn a_single_mode_imm_is_its_kalman_filter() {
        let m = Arc::new(NearlyConstantVelocity::new(2.0, Layout::Native).unwrap());
        let one = Imm::new(vec![m.clone()], DMatrix::identity(1, 1)).unwrap();
        let g = Gaussian::new(DVector::from_vec(vec![0.0, 0.0, 0.0, 10.0, 5.0, 0.0]), DMatrix::identity(6, 6) * 100.0)
            .unwrap();
        let sensor = Cartesian::new(5.0).unwrap();
        let z = DVector::from_vec(vec![12.0, 3.0, -1.0]);
        let s = one.predict(&one.initial_state(&g, &[1.0]).unwrap(), 1.0).unwrap();
        let p = one.predict_measurement(&s, &sensor).unwrap();
        let post = one.update(&s, &p, &z, &sensor).unwrap().combined();
        let k = kf::predict(&g, m.as_ref(), 1.0).unwrap();
        let want = kf::update(&k, &kf::innovation(&k, &Padded(&sensor)).unwrap(), &z, &Padded(&sensor)).unwrap();
        assert!((post.mean - want.mean).amax() < 1e-12 && (post.cov - want.cov).amax() < 1e-9);
    }

    #[test]
    fn bad_configuration_is_refused() {
        let cv: Arc<dyn MotionModel> = Arc::new(NearlyConstantVelocity::new(1.0, Layout::Common).unwrap());
        assert!(Imm::new(vec![cv.clone()], DMatrix::from_element(1, 1, 0.9)).is_err());
        assert!(Imm::new(vec![], DMatrix::zeros(0, 0)).is_err());
        let native: Arc<dyn MotionModel> = Arc::new(NearlyConstantVelocity::new(1.0, Layout::Native).unwrap());
        assert!(Imm::new(vec![cv, native], DMatrix::identity(2, 2)).is_err());
        let i = imm();
        let g = Gaussian::new(DVector::zeros(10), DMatrix::identity(10, 10)).unwrap();
        assert!(i.initial_state(&g, &[0.0, 0.0]).is_err());
        assert!(i.initial_state(&g, &[1.0]).is_err());
        let s = i.initial_state(&g, &[3.0, 1.0]).unwrap();
        assert_eq!(s.probabilities, DVector::from_vec(vec![0.75, 0.25]));
        assert!(i.predict(&s, f64::NAN).is_err());
    }
}
