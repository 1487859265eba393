//! The mean RCS a radar could estimate from the powers it measured on its own detections, and
//! its exact confidence interval.
//!
//! Model (Swerling 1 or 2, one pulse per look; Richards, *Fundamentals of Radar Signal
//! Processing*, 2005, §6.3; Swerling, RAND RM-1217, 1954): the square-law detector's output on
//! look i, in units of the mean noise power, is z_i ~ Exp(m_i) with m_i = 1 + K_i·σ — the noise
//! floor 1 plus the mean SNR K_i·σ, K_i the SNR of 1 m² at that look's range (the radar knows
//! its own radar equation) and σ the mean RCS sought. A radar keeps only looks that crossed its
//! threshold T; by the exponential law's lack of memory the excess y_i = z_i − T given z_i > T
//! is again Exp(m_i) (Feller 1968, §XVII.6), so the censoring costs looks but adds no bias.
//!
//! - Point estimate: maximum likelihood, ℓ(σ) = −Σ [ln m_i + y_i/m_i], solved from its score
//!   Σ K_i (y_i − m_i)/m_i² = 0 on σ ≥ 0. For equal K_i it is σ̂ = (ȳ − 1)/K, clipped at 0.
//! - Interval: the pivot Π(σ) = 2 Σ y_i/m_i(σ) is χ²(2n) at the true σ (each 2y_i/m_i ~ χ²(2),
//!   independent), and it falls as σ grows, so {σ ≥ 0 : χ²_{(1−γ)/2}(2n) ≤ Π(σ) ≤ χ²_{(1+γ)/2}(2n)}
//!   is an exact γ interval. For equal K_i it is the textbook 2nȳ/χ²_{(1±γ)/2}(2n) for m = 1 + Kσ,
//!   less the noise floor, over K. When even σ = 0 leaves Π below the lower quantile (the
//!   detections look like noise alone), the interval is [0, 0].
//!
//! Other cases (Swerling 0, 3, 4, or several pulses integrated non-coherently) have no
//! memoryless law and no exact pivot here: no estimate is made for them.

use serde::Serialize;

use crate::chi_square::chi_square_quantile;

/// One detection's measurement for the estimate.
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct PowerSample {
    /// Measured power z (noise power 1).
    pub power: f64,
    /// The detection threshold T the look used.
    pub threshold: f64,
    /// SNR of 1 m² at the look's range (linear), K > 0.
    pub k: f64,
}

/// An RCS estimate with its interval (m²).
#[derive(Copy, Clone, Debug, PartialEq, Serialize)]
pub struct RcsEstimate {
    /// Detections used.
    pub n: usize,
    pub sigma_m2: f64,
    pub lo_m2: f64,
    pub hi_m2: f64,
    /// Confidence level of [lo, hi].
    pub level: f64,
}

/// The estimate from `samples` at confidence `level` in (0, 1); `None` with no usable sample
/// (non-finite or K ≤ 0 samples are skipped) or a level outside (0, 1).
pub fn estimate_rcs(samples: &[PowerSample], level: f64) -> Option<RcsEstimate> {
    let s: Vec<(f64, f64)> = samples
        .iter()
        .filter(|p| p.power.is_finite() && p.threshold.is_finite() && p.k.is_finite() && p.k > 0.0)
        .map(|p| ((p.power - p.threshold).max(0.0), p.k))
        .collect();
    if s.is_empty() || !(level > 0.0 && level < 1.0) {
        return None;
    }
    let n = s.len();
    let dof = 2.0 * n as f64;
    let q_lo = chi_square_quantile(0.5 * (1.0 - level), dof)?;
    let q_hi = chi_square_quantile(0.5 * (1.0 + level), dof)?;
    let pivot = |sigma: f64| 2.0 * s.iter().map(|(y, k)| y / (1.0 + k * sigma)).sum::<f64>();
    let score = |sigma: f64| {
        s.iter()
            .map(|(y, k)| {
                let m = 1.0 + k * sigma;
                k * (y - m) / (m * m)
            })
            .sum::<f64>()
    };
    // Every m_i exceeds y_i beyond this σ: the score is negative and the pivot below 2n.
    let top = s.iter().map(|(y, k)| (y + 1.0) / k).fold(0.0, f64::max).max(f64::MIN_POSITIVE);
    let sigma_m2 = if score(0.0) <= 0.0 { 0.0 } else { bisect(|x| score(x) > 0.0, 0.0, top) };
    let lo_m2 = if pivot(0.0) <= q_hi { 0.0 } else { solve_decreasing(&pivot, q_hi, top) };
    let hi_m2 = if pivot(0.0) < q_lo { 0.0 } else { solve_decreasing(&pivot, q_lo, top) };
    Some(RcsEstimate { n, sigma_m2, lo_m2, hi_m2, level })
}

/// σ ≥ 0 with f(σ) = `target` for a decreasing f with f(0) ≥ target, the bracket grown from `top`.
fn solve_decreasing(f: &dyn Fn(f64) -> f64, target: f64, top: f64) -> f64 {
    let mut hi = top;
    let mut k = 0;
    while f(hi) > target && k < 2000 {
        hi *= 2.0;
        k += 1;
    }
    bisect(|x| f(x) > target, 0.0, hi)
}

/// The boundary of `above` (true below it, false above) in [lo, hi], to 1e-13 relative.
fn bisect(above: impl Fn(f64) -> bool, mut lo: f64, mut hi: f64) -> f64 {
    for _ in 0..300 {
        let mid = 0.5 * (lo + hi);
        if above(mid) {
            lo = mid;
        } else {
            hi = mid;
        }
        if hi - lo <= 1e-13 * hi {
            break;
        }
    }
    0.5 * (lo + hi)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Analytic oracle for equal K: σ̂ = (ȳ − 1)/K and the bounds (2nȳ/χ²_{(1±γ)/2}(2n) − 1)/K,
    /// with χ²(20) points from Abramowitz & Stegun Table 26.8 (34.1696, 9.59083), 1e-5 relative.
    #[test]
    fn equal_k_gives_the_textbook_interval() {
        let k = 50.0;
        let t = 13.8;
        let ys = [300.0, 120.0, 45.0, 610.0, 80.0, 150.0, 22.0, 400.0, 95.0, 260.0];
        let samples: Vec<PowerSample> = ys.iter().map(|y| PowerSample { power: y + t, threshold: t, k }).collect();
        let e = estimate_rcs(&samples, 0.95).unwrap();
        let ybar = ys.iter().sum::<f64>() / 10.0;
        let rel = |a: f64, b: f64| (a / b - 1.0).abs();
        assert!(rel(e.sigma_m2, (ybar - 1.0) / k) < 1e-9, "{e:?}");
        assert!(rel(e.lo_m2, (20.0 * ybar / 34.1696 - 1.0) / k) < 1e-5, "{e:?}");
        assert!(rel(e.hi_m2, (20.0 * ybar / 9.59083 - 1.0) / k) < 1e-5, "{e:?}");
        assert_eq!(e.n, 10);
    }

    #[test]
    fn noise_like_detections_give_zero_and_nothing_gives_none() {
        let samples = [PowerSample { power: 13.81, threshold: 13.8, k: 10.0 }; 5];
        let e = estimate_rcs(&samples, 0.9).unwrap();
        assert_eq!((e.sigma_m2, e.lo_m2, e.hi_m2), (0.0, 0.0, 0.0));
        assert!(estimate_rcs(&[], 0.9).is_none());
        assert!(estimate_rcs(&samples, 1.0).is_none());
    }
}
