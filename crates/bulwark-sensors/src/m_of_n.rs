//! M-of-N confirmation: the single-look Pd a radar needs for a firm track.
//!
//! A tentative track is confirmed after M detections in its first N looks (the tracker's
//! M-of-N logic, 3 of 4 by default). With independent looks of probability p (Swerling 1 and 3
//! decorrelate from scan to scan), the confirmation probability is the binomial tail
//! (Blackman & Popoli, Design and Analysis of Modern Tracking Systems, 1999, §6.2):
//!
//! P_c(p) = Σ_{k=M}^{N} C(N, k) pᵏ (1 − p)^{N−k},
//!
//! increasing in p from 0 to 1, so the single-look Pd that gives P_c is found by bisection.
//! "Firm-track range" is then the range at which a single look reaches that Pd.
use crate::{SensorError, check};

/// Probability of at least `m` detections in `n` independent looks of probability `p`.
pub fn m_of_n_probability(m: u32, n: u32, p: f64) -> f64 {
    if m == 0 {
        return 1.0;
    }
    if m > n || p.is_nan() || p <= 0.0 {
        return 0.0;
    }
    let p = p.min(1.0);
    let mut c = 1.0f64; // C(n, k), built up from k = 0
    let mut sum = 0.0;
    for k in 0..=n {
        if k > 0 {
            c = c * f64::from(n - k + 1) / f64::from(k);
        }
        if k >= m {
            sum += c * p.powi(k as i32) * (1.0 - p).powi((n - k) as i32);
        }
    }
    sum.clamp(0.0, 1.0)
}

/// The single-look Pd at which `m` of `n` looks succeed with probability `p_confirm`
/// (1 ≤ m ≤ n, 0 < p_confirm < 1), to 1e-12.
pub fn single_look_pd_for_m_of_n(m: u32, n: u32, p_confirm: f64) -> Result<f64, SensorError> {
    check("m", f64::from(m), m >= 1 && m <= n, "1 ≤ M ≤ N")?;
    check("p_confirm", p_confirm, p_confirm > 0.0 && p_confirm < 1.0, "0 < P < 1")?;
    let (mut lo, mut hi) = (0.0f64, 1.0f64);
    while hi - lo > 1e-12 {
        let mid = 0.5 * (lo + hi);
        if m_of_n_probability(m, n, mid) < p_confirm {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    Ok(0.5 * (lo + hi))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Oracle: SciPy 1.17.1 `scipy.stats.binom.sf(m - 1, n, p)`.
    #[test]
    fn binomial_tail_matches_scipy() {
        let rows = [
            (3, 4, 0.5, 0.3125),
            (3, 4, 0.855, 0.8969128481249999),
            (2, 3, 0.7, 0.7839999999999999),
            (5, 10, 0.3, 0.15026833259999992),
            (1, 1, 0.42, 0.42),
        ];
        for (m, n, p, want) in rows {
            let got = m_of_n_probability(m, n, p);
            assert!((got - want).abs() < 1e-12, "{m} of {n} at {p}: {got} vs {want}");
        }
    }

    #[test]
    fn inverse_round_trips_and_rejects_bad_input() {
        let p = single_look_pd_for_m_of_n(3, 4, 0.9).unwrap();
        assert!((m_of_n_probability(3, 4, p) - 0.9).abs() < 1e-9);
        assert!(p > 0.85 && p < 0.86, "{p}");
        assert!(single_look_pd_for_m_of_n(5, 4, 0.9).is_err());
        assert!(single_look_pd_for_m_of_n(3, 4, 1.0).is_err());
        assert!(single_look_pd_for_m_of_n(3, 4, f64::NAN).is_err());
    }
}
