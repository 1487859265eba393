//! Chi-square validation gates on the squared Mahalanobis distance d² = νᵀ S⁻¹ ν.
//!
//! Under a correct model d² of the true measurement is χ² with `dim z` degrees of freedom, so
//! the gate d² ≤ γ with γ = F⁻¹_χ²(P_G; dim z) keeps it with probability P_G
//! (Bar-Shalom et al. 2001, §5.4.3; Blackman & Popoli 1999, §6.3).
use crate::chi2;
use crate::error::ConfigError;

/// A gate, given either by the probability of keeping the true measurement or by a fixed
/// threshold on d².
#[derive(Copy, Clone, Debug, PartialEq)]
pub enum Gate {
    /// P_G in (0, 1): threshold γ = χ²-quantile(P_G, dim z), so it adapts to the measurement dimension.
    Probability(f64),
    /// A fixed threshold on d², whatever the measurement dimension.
    Threshold(f64),
    /// A fixed bound on the Mahalanobis distance d itself (e.g. 3 for a "3-sigma" gate, as
    /// Stone Soup's `DistanceGater` with a Mahalanobis measure): d ≤ g, i.e. d² ≤ g².
    Mahalanobis(f64),
}

impl Gate {
    /// Checks the parameter.
    pub fn validate(&self) -> Result<(), ConfigError> {
        match *self {
            Gate::Probability(p) if p > 0.0 && p < 1.0 => Ok(()),
            Gate::Threshold(g) | Gate::Mahalanobis(g) if g.is_finite() && g > 0.0 => Ok(()),
            Gate::Probability(v) | Gate::Threshold(v) | Gate::Mahalanobis(v) => Err(ConfigError::Gate(v)),
        }
    }
    /// γ for a measurement of dimension `dim`; 0 (nothing passes) for an invalid gate or dim 0.
    pub fn threshold(&self, dim: usize) -> f64 {
        match *self {
            Gate::Probability(p) => chi2::quantile(p, dim).unwrap_or(0.0),
            Gate::Threshold(g) if g.is_finite() && g > 0.0 => g,
            Gate::Mahalanobis(g) if g.is_finite() && g > 0.0 => g * g,
            Gate::Threshold(_) | Gate::Mahalanobis(_) => 0.0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn probability_gate_uses_the_measurement_dimension() {
        // scipy 1.17.1: chi2.ppf(0.99, 3) = 11.344866730144373.
        assert!((Gate::Probability(0.99).threshold(3) - 11.344866730144373).abs() < 1e-9);
        assert_eq!(Gate::Threshold(9.0).threshold(4), 9.0);
        assert!(Gate::Probability(1.0).validate().is_err());
        assert!(Gate::Threshold(-1.0).validate().is_err());
        assert_eq!(Gate::Probability(2.0).threshold(3), 0.0);
        assert_eq!(Gate::Mahalanobis(3.0).threshold(2), 9.0);
        assert!(Gate::Mahalanobis(0.0).validate().is_err());
    }
}
