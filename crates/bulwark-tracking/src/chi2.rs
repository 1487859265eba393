//! Chi-square distribution: CDF and quantile, for gates and consistency tests.
//!
//! CDF F(x; k) = P(k/2, x/2), the regularised lower incomplete gamma function
//! ([`bulwark_core::special::gamma_p`], shared with the radar detection models). The quantile
//! is its inverse.
use bulwark_core::special::{gamma_p, gamma_p_inv};

/// Chi-square CDF with `dof` degrees of freedom at `x` (0 for x ≤ 0 or dof = 0).
pub fn cdf(x: f64, dof: usize) -> f64 {
    if dof == 0 || x.is_nan() {
        return 0.0;
    }
    gamma_p(dof as f64 / 2.0, x / 2.0)
}

/// The x with `cdf(x, dof) = p`, for p in (0, 1) and dof ≥ 1; `None` otherwise:
/// x = 2·P⁻¹(dof/2, p) ([`bulwark_core::special::gamma_p_inv`]).
pub fn quantile(p: f64, dof: usize) -> Option<f64> {
    if !(p > 0.0 && p < 1.0) || dof == 0 {
        return None;
    }
    let x = 2.0 * gamma_p_inv(dof as f64 / 2.0, p);
    x.is_finite().then_some(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_match_scipy() {
        // scipy 1.17.1: scipy.stats.chi2.ppf(p, k), printed with repr().
        let table = [
            (0.99, 1, 6.6348966010212145),
            (0.999, 2, 13.815510557964274),
            (0.99, 3, 11.344866730144373),
            (0.999, 3, 16.26623619623813),
            (0.9999, 4, 23.512742444991076),
            (0.95, 6, 12.591587243743977),
            (0.025, 1200, 1105.889881156058),
            (0.975, 1200, 1297.8982763368099),
        ];
        for (p, k, want) in table {
            let got = quantile(p, k).unwrap();
            assert!((got / want - 1.0).abs() < 1e-9, "chi2.ppf({p}, {k}) = {want}, got {got}");
        }
        assert!(quantile(1.0, 3).is_none() && quantile(0.5, 0).is_none() && quantile(f64::NAN, 2).is_none());
    }

    #[test]
    fn cdf_of_two_dof_is_exponential() {
        // Analytic: F(x; 2) = 1 − e^{−x/2}.
        for x in [0.1, 1.0, 5.0, 30.0] {
            assert!((cdf(x, 2) - (1.0 - (-x / 2.0f64).exp())).abs() < 1e-14);
        }
    }
}
