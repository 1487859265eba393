//! χ² quantiles: the x with P(χ²_k ≤ x) = p is 2·P⁻¹(k/2, p), P the regularised lower incomplete
//! gamma function (Abramowitz & Stegun 1964, 26.4.19), inverted by `bulwark_core::special`.

use bulwark_core::special::{gamma_p_inv, gamma_q_inv};

/// The p-quantile of the χ² law with `dof` degrees of freedom (p in (0, 1), dof > 0); `None`
/// outside those ranges or for NaN. The smaller tail is inverted, so p near 0 or 1 keeps its
/// relative precision.
pub fn chi_square_quantile(p: f64, dof: f64) -> Option<f64> {
    if !(p > 0.0 && p < 1.0 && dof > 0.0 && dof.is_finite()) {
        return None;
    }
    let a = 0.5 * dof;
    let x = if p <= 0.5 { gamma_p_inv(a, p) } else { gamma_q_inv(a, 1.0 - p) };
    (x.is_finite() && x >= 0.0).then_some(2.0 * x)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Oracle: percentage points of the χ² distribution, Abramowitz & Stegun (1964), Table 26.8
    /// (5 significant figures as printed, so 5e-5 relative), the same as
    /// `scipy.stats.chi2.ppf` to the printed digits.
    #[test]
    fn published_percentage_points() {
        let table = [
            (0.975, 2.0, 7.37776),
            (0.025, 2.0, 0.0506356),
            (0.95, 10.0, 18.3070),
            (0.05, 10.0, 3.94030),
            (0.975, 20.0, 34.1696),
            (0.025, 20.0, 9.59083),
            (0.99, 100.0, 135.807),
            (0.01, 100.0, 70.0648),
            (0.5, 1.0, 0.454936),
        ];
        for (p, k, want) in table {
            let got = chi_square_quantile(p, k).unwrap();
            assert!((got / want - 1.0).abs() < 5e-5, "chi2 {p} quantile, {k} dof: {got} vs {want}");
        }
    }

    #[test]
    fn outside_the_domain_is_none() {
        assert!(chi_square_quantile(0.0, 2.0).is_none());
        assert!(chi_square_quantile(1.0, 2.0).is_none());
        assert!(chi_square_quantile(0.5, 0.0).is_none());
        assert!(chi_square_quantile(f64::NAN, 2.0).is_none());
    }
}
