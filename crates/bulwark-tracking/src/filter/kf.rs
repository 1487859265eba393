//! Kalman and extended Kalman filter steps on [`Gaussian`]s of any dimension.
//!
//! Prediction (Bar-Shalom, Li & Kirubarajan 2001, §5.2.3 and §10.3.2):
//! x⁻ = f(x, Δt), P⁻ = F P Fᵀ + Q, F = ∂f/∂x (F itself for a linear model).
//! Update: ẑ = h(x⁻), S = H P⁻ Hᵀ + R, K = P⁻Hᵀ S⁻¹, x⁺ = x⁻ + K ν (ν = z − ẑ, angle
//! components wrapped by the model), and the Joseph form
//! P⁺ = (I − KH) P⁻ (I − KH)ᵀ + K R Kᵀ (Bucy & Joseph 1968; ibid. eq. 5.2.3-18), which stays
//! symmetric positive semi-definite under rounding. An [`Innovation`] without H (unscented)
//! uses P⁺ = P⁻ − K S Kᵀ, the form of Julier & Uhlmann and of FilterPy's UKF.
use super::{Gaussian, Innovation, MotionModel, ObservationModel};
use crate::error::FilterError;
use nalgebra::{DMatrix, DVector};

fn check_dt(dt_s: f64) -> Result<(), FilterError> {
    if !dt_s.is_finite() || dt_s < 0.0 { Err(FilterError::BadTimeStep(dt_s)) } else { Ok(()) }
}

/// Linear KF prediction with a given F and Q (n × n).
pub fn predict_linear(prior: &Gaussian, f: &DMatrix<f64>, q: &DMatrix<f64>) -> Result<Gaussian, FilterError> {
    let n = prior.dim();
    if f.shape() != (n, n) || q.shape() != (n, n) {
        return Err(FilterError::DimensionMismatch { expected: n, got: f.nrows() });
    }
    Gaussian { mean: f * &prior.mean, cov: f * &prior.cov * f.transpose() + q }.checked()
}

/// (E)KF prediction by `dt_s` ≥ 0 seconds under `model`: f(x), F P Fᵀ + Q with F, Q at the prior mean.
pub fn predict(prior: &Gaussian, model: &dyn MotionModel, dt_s: f64) -> Result<Gaussian, FilterError> {
    check_dt(dt_s)?;
    let n = prior.dim();
    if model.dim() != n {
        return Err(FilterError::DimensionMismatch { expected: model.dim(), got: n });
    }
    let (mean, f) = model.function_and_jacobian(&prior.mean, dt_s);
    let q = model.noise_covariance(&prior.mean, dt_s);
    if f.shape() != (n, n) || q.shape() != (n, n) || mean.len() != n {
        return Err(FilterError::DimensionMismatch { expected: n, got: f.nrows() });
    }
    Gaussian { mean, cov: &f * &prior.cov * f.transpose() + q }.checked()
}

/// (E)KF measurement prediction: ẑ = h(x⁻), S = H P⁻ Hᵀ + R, P_xz = P⁻ Hᵀ.
pub fn innovation(predicted: &Gaussian, model: &dyn ObservationModel) -> Result<Innovation, FilterError> {
    let h = model.jacobian(&predicted.mean)?;
    if h.ncols() != predicted.dim() || h.nrows() != model.dim() {
        return Err(FilterError::DimensionMismatch { expected: predicted.dim(), got: h.ncols() });
    }
    let r = model.noise_covariance();
    let pht = &predicted.cov * h.transpose();
    let s = &h * &pht + &r;
    Innovation::new(model.function(&predicted.mean), s, pht, Some(h), r)
}

/// Applies measurement `z`: Joseph form when the innovation carries H, else P⁻ − K S Kᵀ.
pub fn update(
    predicted: &Gaussian,
    inn: &Innovation,
    z: &DVector<f64>,
    model: &dyn ObservationModel,
) -> Result<Gaussian, FilterError> {
    if z.len() != inn.z_pred.len() {
        return Err(FilterError::DimensionMismatch { expected: inn.z_pred.len(), got: z.len() });
    }
    if inn.cross_covariance.nrows() != predicted.dim() {
        return Err(FilterError::DimensionMismatch { expected: predicted.dim(), got: inn.cross_covariance.nrows() });
    }
    let k = inn.gain();
    let nu = model.residual(z, &inn.z_pred);
    let mean = &predicted.mean + &k * nu;
    let cov = match &inn.jacobian {
        Some(h) => {
            let n = predicted.dim();
            let ikh = DMatrix::identity(n, n) - &k * h;
            &ikh * &predicted.cov * ikh.transpose() + &k * &inn.noise * k.transpose()
        }
        None => &predicted.cov - &k * &inn.s * k.transpose(),
    };
    Gaussian { mean, cov }.checked()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::filter::{LinearMotion, LinearObservation};

    #[test]
    fn scalar_kalman_filter_matches_hand_computation() {
        // x ~ N(1, 4), F = 1, Q = 1 → N(1, 5); z = 3 with R = 5 → K = ½, x = 2, P = 2.5.
        let g = Gaussian::new(DVector::from_element(1, 1.0), DMatrix::from_element(1, 1, 4.0)).unwrap();
        let m = LinearMotion::new(DMatrix::identity(1, 1), DMatrix::identity(1, 1)).unwrap();
        let p = predict(&g, &m, 1.0).unwrap();
        assert_eq!(p.cov[(0, 0)], 5.0);
        let o = LinearObservation::new(DMatrix::identity(1, 1), DMatrix::from_element(1, 1, 5.0)).unwrap();
        let inn = innovation(&p, &o).unwrap();
        let post = update(&p, &inn, &DVector::from_element(1, 3.0), &o).unwrap();
        assert!((post.mean[0] - 2.0).abs() < 1e-15 && (post.cov[(0, 0)] - 2.5).abs() < 1e-15);
        let ll = inn.log_likelihood(&DVector::from_element(1, 2.0));
        let want = -0.5 * (4.0 / 10.0 + (2.0 * std::f64::consts::PI * 10.0).ln());
        assert!((ll - want).abs() < 1e-14);
    }

    #[test]
    fn bad_input_is_an_error() {
        let g = Gaussian::new(DVector::zeros(2), DMatrix::identity(2, 2)).unwrap();
        let m = LinearMotion::new(DMatrix::identity(3, 3), DMatrix::identity(3, 3)).unwrap();
        assert!(matches!(predict(&g, &m, 1.0), Err(FilterError::DimensionMismatch { .. })));
        let m2 = LinearMotion::new(DMatrix::identity(2, 2), DMatrix::identity(2, 2)).unwrap();
        assert_eq!(predict(&g, &m2, -1.0), Err(FilterError::BadTimeStep(-1.0)));
        assert!(Gaussian::new(DVector::zeros(2), DMatrix::identity(3, 3)).is_err());
        let o = LinearObservation::new(DMatrix::zeros(1, 2), DMatrix::zeros(1, 1)).unwrap();
        assert_eq!(innovation(&g, &o).unwrap_err(), FilterError::SingularInnovation);
    }
}
