//! Intervals for a binomial proportion p from k events in n independent runs.

use crate::special::{beta_quantile, normal_quantile};
use crate::{Interval, Method, valid_level};

/// k/n and its binomial standard error √(p̂(1 − p̂)/n); `None` for n = 0 or k > n.
fn point(k: u64, n: u64) -> Option<(f64, f64)> {
    if n == 0 || k > n {
        return None;
    }
    let (kf, nf) = (k as f64, n as f64);
    let p = kf / nf;
    // p̂(1 − p̂) written as k(n − k)/n² so that k ↔ n − k is exactly symmetric.
    let se = ((kf * (nf - kf)) / (nf * nf * nf)).sqrt();
    Some((p, se))
}

fn interval(k: u64, n: u64, low: f64, high: f64, level: f64, method: Method) -> Option<Interval> {
    let (estimate, std_error) = point(k, n)?;
    let (low, high) = (low.clamp(0.0, estimate), high.clamp(estimate, 1.0));
    (low.is_finite() && high.is_finite()).then_some(Interval { estimate, low, high, level, method, n, std_error })
}

/// Wilson score interval (Wilson, *JASA* 22:209, 1927; Brown, Cai & DasGupta 2001 eq. 4):
/// (k + z²/2)/(n + z²) ± z/(n + z²) · √(k(n − k)/n + z²/4), z = Φ⁻¹(1 − α/2), α = 1 − level;
/// statsmodels `proportion_confint(method="wilson")`. At k = 0 (k = n) the lower (upper) end is
/// exactly 0 (1). `None` for n = 0, k > n or level ∉ (0, 1).
pub fn wilson(k: u64, n: u64, level: f64) -> Option<Interval> {
    if !valid_level(level) {
        return None;
    }
    point(k, n)?;
    let z = normal_quantile(0.5 + 0.5 * level)?;
    let (kf, nf, z2) = (k as f64, n as f64, z * z);
    let centre = (kf + 0.5 * z2) / (nf + z2);
    let half = z / (nf + z2) * (kf * (nf - kf) / nf + 0.25 * z2).sqrt();
    let low = if k == 0 { 0.0 } else { centre - half };
    let high = if k == n { 1.0 } else { centre + half };
    interval(k, n, low, high, level, Method::Wilson)
}

/// Clopper–Pearson exact two-sided interval (Clopper & Pearson, *Biometrika* 26:404, 1934):
/// [B⁻¹(α/2; k, n − k + 1), B⁻¹(1 − α/2; k + 1, n − k)], 0 for k = 0 and 1 for k = n, with B⁻¹
/// the Beta quantile; statsmodels `proportion_confint(method="beta")`. Coverage ≥ level for
/// every p. `None` for n = 0, k > n or level ∉ (0, 1).
pub fn clopper_pearson(k: u64, n: u64, level: f64) -> Option<Interval> {
    if !valid_level(level) {
        return None;
    }
    point(k, n)?;
    let alpha = 1.0 - level;
    let low = cp_low(k, n, 0.5 * alpha)?;
    let high = cp_high(k, n, 0.5 * alpha)?;
    interval(k, n, low, high, level, Method::ClopperPearson)
}

/// The one-sided exact upper bound [0, U] at `level`: U = B⁻¹(level; k + 1, n − k) (1 for
/// k = n). For k = 0 it is U = 1 − (1 − level)^{1/n}, ≈ 3/n at 95 % (the "rule of three":
/// Eypasch et al., *BMJ* 311:619, 1995; Jovanovic & Levy, *Am. Stat.* 51:137, 1997).
/// Equals statsmodels' two-sided `beta` upper end at alpha = 2(1 − level).
pub fn clopper_pearson_upper(k: u64, n: u64, level: f64) -> Option<Interval> {
    if !valid_level(level) {
        return None;
    }
    point(k, n)?;
    let high = cp_high(k, n, 1.0 - level)?;
    interval(k, n, 0.0, high, level, Method::ClopperPearsonUpper)
}

/// The one-sided exact lower bound [L, 1] at `level`: L = B⁻¹(1 − level; k, n − k + 1) (0 for
/// k = 0); for k = n, L = (1 − level)^{1/n}. The mirror image of [`clopper_pearson_upper`].
pub fn clopper_pearson_lower(k: u64, n: u64, level: f64) -> Option<Interval> {
    if !valid_level(level) {
        return None;
    }
    point(k, n)?;
    let low = cp_low(k, n, 1.0 - level)?;
    interval(k, n, low, 1.0, level, Method::ClopperPearsonLower)
}

/// Lower exact bound with tail probability `tail`: B⁻¹(tail; k, n − k + 1).
fn cp_low(k: u64, n: u64, tail: f64) -> Option<f64> {
    if k == 0 {
        return Some(0.0);
    }
    if k == n {
        // B⁻¹(tail; n, 1) = tail^{1/n}, in closed form.
        return Some(tail.powf(1.0 / n as f64));
    }
    beta_quantile(tail, k as f64, (n - k + 1) as f64)
}

/// Upper exact bound with tail probability `tail`: B⁻¹(1 − tail; k + 1, n − k).
fn cp_high(k: u64, n: u64, tail: f64) -> Option<f64> {
    if k == n {
        return Some(1.0);
    }
    if k == 0 {
        // B⁻¹(1 − tail; 1, n) = 1 − tail^{1/n}; −expm1 keeps its digits for large n.
        return Some(-(tail.ln() / n as f64).exp_m1());
    }
    beta_quantile(1.0 - tail, (k + 1) as f64, (n - k) as f64)
}

/// Jeffreys equal-tailed interval (Brown, Cai & DasGupta 2001 §4.1.2):
/// [B⁻¹(α/2; k + ½, n − k + ½), B⁻¹(1 − α/2; k + ½, n − k + ½)], with the lower end 0 at k = 0
/// and the upper end 1 at k = n as they recommend; statsmodels `method="jeffreys"`.
pub fn jeffreys(k: u64, n: u64, level: f64) -> Option<Interval> {
    if !valid_level(level) {
        return None;
    }
    point(k, n)?;
    let tail = 0.5 * (1.0 - level);
    let (a, b) = (k as f64 + 0.5, (n - k) as f64 + 0.5);
    let low = if k == 0 { 0.0 } else { beta_quantile(tail, a, b)? };
    let high = if k == n { 1.0 } else { beta_quantile(1.0 - tail, a, b)? };
    interval(k, n, low, high, level, Method::Jeffreys)
}

/// The campaign default for an event probability: [`wilson`] for 0 < k < n; for k = 0 the
/// one-sided [`clopper_pearson_upper`] bound [0, 1 − (1 − level)^{1/n}] and for k = n the
/// one-sided [`clopper_pearson_lower`] bound [(1 − level)^{1/n}, 1], each at `level` — so
/// "0 events in 200 runs" reads "p ≤ 1.49 % at 95 %", never a bare 0 % (Brown, Cai & DasGupta
/// 2001 for Wilson; Jovanovic & Levy 1997 for the zero-event bound). `Interval::method` says
/// which was used.
pub fn proportion(k: u64, n: u64, level: f64) -> Option<Interval> {
    if k == 0 {
        clopper_pearson_upper(k, n, level)
    } else if k == n {
        clopper_pearson_lower(k, n, level)
    } else {
        wilson(k, n, level)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_input_is_none() {
        for f in [wilson, clopper_pearson, clopper_pearson_upper, clopper_pearson_lower, jeffreys, proportion] {
            assert!(f(0, 0, 0.95).is_none());
            assert!(f(3, 2, 0.95).is_none());
            assert!(f(1, 2, 0.0).is_none());
            assert!(f(1, 2, 1.0).is_none());
            assert!(f(1, 2, f64::NAN).is_none());
        }
    }

    #[test]
    fn zero_events_rule_of_three() {
        let iv = proportion(0, 200, 0.95).unwrap();
        assert_eq!(iv.method, Method::ClopperPearsonUpper);
        assert_eq!((iv.low, iv.estimate), (0.0, 0.0));
        assert!((iv.high - (1.0 - 0.05f64.powf(1.0 / 200.0))).abs() < 1e-15);
        assert!((iv.high * 200.0 - 3.0).abs() < 0.05); // 2.97: "rule of three"
        let all = proportion(200, 200, 0.95).unwrap();
        assert_eq!(all.method, Method::ClopperPearsonLower);
        assert!((all.low - (1.0 - iv.high)).abs() < 1e-15);
        assert_eq!(all.high, 1.0);
        assert_eq!(proportion(3, 200, 0.95).unwrap().method, Method::Wilson);
    }
}
