//! The unscented Kalman filter with Van der Merwe's scaled sigma points (Julier & Uhlmann
//! 1997; Wan & van der Merwe 2000; van der Merwe 2004, PhD thesis, §3.2), with the weights and
//! point order of FilterPy's `MerweScaledSigmaPoints`:
//!
//! ```text
//! λ = α²(n + κ) − n;   σ₀ = x;  σᵢ = x + [√((n+λ)P)]ᵢ,  σₙ₊ᵢ = x − [√((n+λ)P)]ᵢ  (i = 1..n)
//! W₀ᵐ = λ/(n+λ),  W₀ᶜ = W₀ᵐ + 1 − α² + β,  Wᵢᵐ = Wᵢᶜ = 1/(2(n+λ))
//! ```
//!
//! with √ the lower Cholesky factor (columns = rows of SciPy's upper factor). Predict:
//! x⁻ = Σ Wᵐ f(σ), P⁻ = Σ Wᶜ (f(σ) − x⁻)(·)ᵀ + Q. Update: sigma points are drawn afresh from
//! (x⁻, P⁻); ẑ = z₀ + Σ Wᵐ r(zᵢ, z₀) with r the model's residual (so angles average across the
//! ±π seam), S = Σ Wᶜ r(zᵢ, ẑ) r(zᵢ, ẑ)ᵀ + R, P_xz = Σ Wᶜ (σᵢ − x⁻) r(zᵢ, ẑ)ᵀ, K = P_xz S⁻¹,
//! x⁺ = x⁻ + K r(z, ẑ), P⁺ = P⁻ − K S Kᵀ.
use super::{Gaussian, Innovation, MotionModel, ObservationModel, Padded};
use crate::error::{ConfigError, FilterError};
use crate::kalman::{ExtendedKalmanUpdater, MeasurementPrediction, Updater};
use crate::measurement::MeasurementModel;
use crate::state::GaussianState;
use nalgebra::{DMatrix, DVector};

/// Merwe scaled sigma-point parameters: spread α (0 < α ≤ 1, typically 10⁻³…1), prior
/// knowledge β (2 for a Gaussian), secondary scaling κ (0 or 3 − n).
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct MerweScaledSigmaPoints {
    pub alpha: f64,
    pub beta: f64,
    pub kappa: f64,
}

impl MerweScaledSigmaPoints {
    pub fn new(alpha: f64, beta: f64, kappa: f64) -> Result<Self, ConfigError> {
        if !(alpha.is_finite() && alpha > 0.0) {
            return Err(ConfigError::OutOfRange { name: "alpha", value: alpha });
        }
        if !beta.is_finite() {
            return Err(ConfigError::OutOfRange { name: "beta", value: beta });
        }
        if !kappa.is_finite() {
            return Err(ConfigError::OutOfRange { name: "kappa", value: kappa });
        }
        Ok(Self { alpha, beta, kappa })
    }
    fn lambda(&self, n: usize) -> f64 {
        self.alpha * self.alpha * (n as f64 + self.kappa) - n as f64
    }
    /// (Wᵐ, Wᶜ), 2n + 1 each; errors if n + λ ≤ 0.
    pub fn weights(&self, n: usize) -> Result<(Vec<f64>, Vec<f64>), FilterError> {
        let lambda = self.lambda(n);
        let nl = n as f64 + lambda;
        if !(nl > 0.0 && nl.is_finite()) {
            return Err(FilterError::NonFinite);
        }
        let c = 0.5 / nl;
        let mut wm = vec![c; 2 * n + 1];
        let mut wc = vec![c; 2 * n + 1];
        wm[0] = lambda / nl;
        wc[0] = lambda / nl + (1.0 - self.alpha * self.alpha + self.beta);
        Ok((wm, wc))
    }
    /// The 2n + 1 sigma points of `g` (order σ₀, σ₁…σₙ, σₙ₊₁…σ₂ₙ as FilterPy); a covariance
    /// without a Cholesky factor gives [`FilterError::NotPositiveDefinite`].
    pub fn sigma_points(&self, g: &Gaussian) -> Result<Vec<DVector<f64>>, FilterError> {
        let n = g.dim();
        let nl = n as f64 + self.lambda(n);
        if !(nl > 0.0 && nl.is_finite()) {
            return Err(FilterError::NonFinite);
        }
        let scaled = &g.cov * nl;
        let l = scaled.cholesky().ok_or(FilterError::NotPositiveDefinite)?.unpack();
        let mut pts = Vec::with_capacity(2 * n + 1);
        pts.push(g.mean.clone());
        for k in 0..n {
            pts.push(&g.mean + l.column(k));
        }
        for k in 0..n {
            pts.push(&g.mean - l.column(k));
        }
        Ok(pts)
    }
}

impl Default for MerweScaledSigmaPoints {
    /// α = 1, β = 2, κ = 0: sigma points at √n standard deviations, no negative weight
    /// (W₀ᵐ = 0), a robust choice for tracking.
    fn default() -> Self {
        Self { alpha: 1.0, beta: 2.0, kappa: 0.0 }
    }
}

/// The unscented Kalman filter on [`Gaussian`]s of any dimension.
#[derive(Copy, Clone, Debug, Default, PartialEq)]
pub struct Ukf {
    pub points: MerweScaledSigmaPoints,
}

impl Ukf {
    pub fn new(points: MerweScaledSigmaPoints) -> Self {
        Self { points }
    }

    /// Unscented prediction by `dt_s` ≥ 0 seconds.
    pub fn predict(&self, prior: &Gaussian, model: &dyn MotionModel, dt_s: f64) -> Result<Gaussian, FilterError> {
        if !dt_s.is_finite() || dt_s < 0.0 {
            return Err(FilterError::BadTimeStep(dt_s));
        }
        let n = prior.dim();
        if model.dim() != n {
            return Err(FilterError::DimensionMismatch { expected: model.dim(), got: n });
        }
        let (wm, wc) = self.points.weights(n)?;
        let ys: Vec<DVector<f64>> = self.points.sigma_points(prior)?.iter().map(|s| model.function(s, dt_s)).collect();
        let mut mean = DVector::zeros(n);
        for (y, w) in ys.iter().zip(&wm) {
            mean.axpy(*w, y, 1.0);
        }
        let mut cov = model.noise_covariance(&prior.mean, dt_s);
        if cov.shape() != (n, n) {
            return Err(FilterError::DimensionMismatch { expected: n, got: cov.nrows() });
        }
        for (y, w) in ys.iter().zip(&wc) {
            let d = y - &mean;
            cov.ger(*w, &d, &d, 1.0);
        }
        Gaussian { mean, cov }.checked()
    }

    /// Unscented measurement prediction (no H: the update uses P⁻ − K S Kᵀ).
    pub fn innovation(&self, predicted: &Gaussian, model: &dyn ObservationModel) -> Result<Innovation, FilterError> {
        let n = predicted.dim();
        let (wm, wc) = self.points.weights(n)?;
        let sig = self.points.sigma_points(predicted)?;
        let zs: Vec<DVector<f64>> = sig.iter().map(|s| model.function(s)).collect();
        let m = model.dim();
        if zs[0].len() != m {
            return Err(FilterError::DimensionMismatch { expected: m, got: zs[0].len() });
        }
        let mut acc = DVector::zeros(m);
        for (z, w) in zs.iter().zip(&wm) {
            acc.axpy(*w, &model.residual(z, &zs[0]), 1.0);
        }
        let z_pred = &zs[0] + acc;
        let r = model.noise_covariance();
        let mut s = r.clone();
        let mut pxz = DMatrix::zeros(n, m);
        for ((z, x), w) in zs.iter().zip(&sig).zip(&wc) {
            let dz = model.residual(z, &z_pred);
            let dx = x - &predicted.mean;
            s.ger(*w, &dz, &dz, 1.0);
            pxz.ger(*w, &dx, &dz, 1.0);
        }
        Innovation::new(z_pred, s, pxz, None, r)
    }
}

/// The UKF measurement step as a tracker [`Updater`] on the 6-D state, so that
/// `Tracker::with_updater` can use it. Prediction stays with the [`crate::Predictor`]; the
/// update is P⁻ − K S Kᵀ on the unscented S and P_xz.
#[derive(Copy, Clone, Debug, Default, PartialEq)]
pub struct UnscentedKalmanUpdater {
    pub ukf: Ukf,
}

impl UnscentedKalmanUpdater {
    pub fn new(points: MerweScaledSigmaPoints) -> Self {
        Self { ukf: Ukf::new(points) }
    }
}

impl Updater for UnscentedKalmanUpdater {
    fn predict_measurement(
        &self,
        predicted: &GaussianState,
        model: &dyn MeasurementModel,
    ) -> Result<MeasurementPrediction, FilterError> {
        let inn = self.ukf.innovation(&Gaussian::from_state(predicted), &Padded(model))?;
        MeasurementPrediction::new(inn.z_pred, inn.s, inn.cross_covariance, None, inn.noise)
    }

    fn update(
        &self,
        predicted: &GaussianState,
        prediction: &MeasurementPrediction,
        z: &DVector<f64>,
        model: &dyn MeasurementModel,
    ) -> Result<GaussianState, FilterError> {
        // Without H the shared Kalman update is exactly x⁻ + K ν, P⁻ − K S Kᵀ.
        ExtendedKalmanUpdater.update(predicted, prediction, z, model)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::filter::{LinearObservation, kf};

    #[test]
    fn tracker_updater_equals_the_ekf_on_a_linear_sensor() {
        use crate::measurement::Cartesian;
        use crate::state::{StateMatrix, StateVector};
        let m = Cartesian::new(7.0).unwrap();
        let mut p = StateMatrix::identity() * 400.0;
        p[(0, 3)] = 50.0;
        p[(3, 0)] = 50.0;
        let g = GaussianState::new(StateVector::new(1.0, 2.0, 3.0, 40.0, -5.0, 0.5), p);
        let z = DVector::from_vec(vec![10.0, -3.0, 8.0]);
        let u = UnscentedKalmanUpdater::default();
        let a = u.update(&g, &u.predict_measurement(&g, &m).unwrap(), &z, &m).unwrap();
        let e = ExtendedKalmanUpdater;
        let b = e.update(&g, &e.predict_measurement(&g, &m).unwrap(), &z, &m).unwrap();
        assert!((a.mean - b.mean).amax() < 1e-10 && (a.covariance - b.covariance).amax() < 1e-9);
    }

    #[test]
    fn weights_sum_to_one_and_match_the_formula() {
        let p = MerweScaledSigmaPoints::new(0.1, 2.0, -1.0).unwrap();
        let (wm, wc) = p.weights(4).unwrap();
        assert!((wm.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        let lambda = 0.01 * 3.0 - 4.0;
        assert!((wm[0] - lambda / (4.0 + lambda)).abs() < 1e-12);
        assert!((wc[0] - wm[0] - (1.0 - 0.01 + 2.0)).abs() < 1e-12);
        assert!(MerweScaledSigmaPoints::new(0.0, 2.0, 0.0).is_err());
    }

    #[test]
    fn unscented_equals_kalman_on_a_linear_model() {
        // A linear h is transformed exactly by any sigma-point set: UKF update = KF update.
        let g = Gaussian::new(
            DVector::from_vec(vec![1.0, -2.0, 0.5]),
            DMatrix::from_row_slice(3, 3, &[4.0, 1.0, 0.2, 1.0, 3.0, -0.5, 0.2, -0.5, 2.0]),
        )
        .unwrap();
        let o = LinearObservation::new(
            DMatrix::from_row_slice(2, 3, &[1.0, 0.0, 2.0, 0.0, -1.0, 1.0]),
            DMatrix::from_row_slice(2, 2, &[0.5, 0.1, 0.1, 0.8]),
        )
        .unwrap();
        let z = DVector::from_vec(vec![2.5, 3.0]);
        let ukf = Ukf::new(MerweScaledSigmaPoints::new(0.3, 2.0, 0.0).unwrap());
        let a = kf::update(&g, &ukf.innovation(&g, &o).unwrap(), &z, &o).unwrap();
        let b = kf::update(&g, &kf::innovation(&g, &o).unwrap(), &z, &o).unwrap();
        assert!((a.mean - b.mean).amax() < 1e-12 && (a.cov - b.cov).amax() < 1e-12);
        let singular = Gaussian::new(DVector::zeros(3), DMatrix::zeros(3, 3)).unwrap();
        assert_eq!(ukf.innovation(&singular, &o).unwrap_err(), FilterError::NotPositiveDefinite);
    }
}
