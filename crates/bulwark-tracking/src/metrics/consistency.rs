//! Filter consistency and accuracy: NEES, ANEES with its chi-square interval, RMSE.
//!
//! For a consistent filter the normalised estimation error squared
//! εᵢ = (xᵢ − x̂ᵢ)ᵀ Pᵢ⁻¹ (xᵢ − x̂ᵢ) ([`crate::GaussianState::nees`]) is χ² with n = dim x degrees
//! of freedom, so N·ε̄ of N independent samples is χ² with N·n degrees of freedom and the
//! two-sided 95 % acceptance interval of the average ε̄ is
//! [χ²_{Nn}(0.025)/N, χ²_{Nn}(0.975)/N] (Bar-Shalom, Li & Kirubarajan 2001, §5.4.2, eq. 5.4.2-5).
use super::{MetricError, check_points, distance};
use crate::chi2;

/// ANEES of N samples with its 95 % chi-square interval.
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct AneesSummary {
    /// ε̄, dimensionless.
    pub anees: f64,
    /// Lower and upper bounds of the 95 % two-sided interval of ε̄.
    pub lower: f64,
    pub upper: f64,
    /// N.
    pub samples: usize,
    /// n, degrees of freedom of one sample.
    pub dof: usize,
}

impl AneesSummary {
    /// True when ε̄ lies inside the interval (the filter passes the consistency test).
    pub fn is_consistent(&self) -> bool {
        self.lower <= self.anees && self.anees <= self.upper
    }
}

/// ANEES of `nees` samples of a `dof`-dimensional state, with the 95 % bounds.
pub fn anees(nees: &[f64], dof: usize) -> Result<AneesSummary, MetricError> {
    if nees.is_empty() {
        return Err(MetricError::Empty);
    }
    if dof == 0 {
        return Err(MetricError::Parameter { name: "dof", value: 0.0 });
    }
    if !nees.iter().all(|v| v.is_finite() && *v >= 0.0) {
        return Err(MetricError::NotFinite);
    }
    let n = nees.len();
    let total_dof = n * dof;
    let q = |p| chi2::quantile(p, total_dof).ok_or(MetricError::Parameter { name: "dof", value: total_dof as f64 });
    Ok(AneesSummary {
        anees: nees.iter().sum::<f64>() / n as f64,
        lower: q(0.025)? / n as f64,
        upper: q(0.975)? / n as f64,
        samples: n,
        dof,
    })
}

/// Root mean square of the Euclidean error ‖x̂ᵢ − xᵢ‖ over pairs (estimate, truth), in the
/// units of the points: √((1/N) Σ ‖x̂ᵢ − xᵢ‖²).
pub fn rmse<P: AsRef<[f64]>>(estimates: &[P], truths: &[P]) -> Result<f64, MetricError> {
    if estimates.len() != truths.len() {
        return Err(MetricError::Dimension { a: estimates.len(), b: truths.len() });
    }
    if estimates.is_empty() {
        return Err(MetricError::Empty);
    }
    check_points([estimates, truths])?;
    let sum: f64 = estimates.iter().zip(truths).map(|(e, t)| distance(e.as_ref(), t.as_ref()).powi(2)).sum();
    Ok((sum / estimates.len() as f64).sqrt())
}
