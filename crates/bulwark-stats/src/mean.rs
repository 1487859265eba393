//! Student t intervals on a mean and on paired differences.

use crate::special::t_quantile;
use crate::{Interval, Method, valid_level};

/// Mean and sample standard deviation (n − 1 denominator), two-pass with the compensating
/// correction term (Chan, Golub & LeVeque, *Am. Stat.* 37:242, 1983, eq. 1.7). `None` if any
/// value is not finite.
pub(crate) fn mean_sd(xs: &[f64]) -> Option<(f64, f64)> {
    if xs.iter().any(|x| !x.is_finite()) || xs.is_empty() {
        return None;
    }
    let n = xs.len() as f64;
    let mean = xs.iter().sum::<f64>() / n;
    if !mean.is_finite() {
        return None;
    }
    if xs.len() == 1 {
        return Some((mean, 0.0));
    }
    let (mut ss, mut s) = (0.0, 0.0);
    for &x in xs {
        let d = x - mean;
        ss += d * d;
        s += d;
    }
    let var = ((ss - s * s / n) / (n - 1.0)).max(0.0);
    let sd = var.sqrt();
    sd.is_finite().then_some((mean, sd))
}

/// Student t interval on the mean of i.i.d. replications:
/// x̄ ± t₁₋α/₂,ₙ₋₁ · s/√n with s² = Σ(xᵢ − x̄)²/(n − 1), α = 1 − level (Student 1908; any
/// text, e.g. Casella & Berger, *Statistical Inference* 2nd ed. §9.2.2). `std_error` = s/√n.
///
/// - n = 1: `None` — one replication gives no estimate of the spread, so no interval exists
///   (a campaign writes the mean and leaves the bounds empty).
/// - zero variance (all values equal, n ≥ 2): the degenerate interval [x̄, x̄] with
///   `std_error` 0 — the t interval's own limit as s → 0, and the truthful answer for a
///   metric that did not vary (e.g. a threat class that is always detected).
/// - empty input, a NaN or infinite value (or a spread that overflows), level ∉ (0, 1): `None`.
pub fn mean_t(xs: &[f64], level: f64) -> Option<Interval> {
    t_interval(xs, level, Method::StudentT)
}

/// Paired t interval on the per-replication differences dᵢ = aᵢ − bᵢ (common random numbers:
/// aᵢ and bᵢ come from the same seed), i.e. [`mean_t`] on d with [`Method::PairedT`]; the same
/// interval as SciPy's `ttest_rel(a, b).confidence_interval()`. `None` when the lengths differ
/// or as for [`mean_t`].
pub fn paired_difference(a: &[f64], b: &[f64], level: f64) -> Option<Interval> {
    if a.len() != b.len() {
        return None;
    }
    let d: Vec<f64> = a.iter().zip(b).map(|(x, y)| x - y).collect();
    t_interval(&d, level, Method::PairedT)
}

fn t_interval(xs: &[f64], level: f64, method: Method) -> Option<Interval> {
    if !valid_level(level) || xs.len() < 2 {
        return None;
    }
    let (mean, sd) = mean_sd(xs)?;
    let n = xs.len() as f64;
    let se = sd / n.sqrt();
    let t = t_quantile(0.5 + 0.5 * level, n - 1.0)?;
    let half = t * se;
    if !half.is_finite() {
        return None;
    }
    Some(Interval {
        estimate: mean,
        low: mean - half,
        high: mean + half,
        level,
        method,
        n: xs.len() as u64,
        std_error: se,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edge_cases() {
        assert!(mean_t(&[], 0.95).is_none());
        assert!(mean_t(&[1.0], 0.95).is_none());
        assert!(mean_t(&[1.0, f64::NAN], 0.95).is_none());
        assert!(mean_t(&[1.0, 2.0], 1.0).is_none());
        assert!(mean_t(&[1.0, 2.0], f64::NAN).is_none());
        let flat = mean_t(&[3.0; 5], 0.95).unwrap();
        assert_eq!((flat.low, flat.estimate, flat.high, flat.std_error), (3.0, 3.0, 3.0, 0.0));
        assert!(paired_difference(&[1.0, 2.0], &[1.0], 0.95).is_none());
        let d = paired_difference(&[2.0, 3.0, 5.0], &[1.0, 1.0, 2.0], 0.9).unwrap();
        assert_eq!(d.method, Method::PairedT);
        assert!((d.estimate - 2.0).abs() < 1e-15);
    }
}
