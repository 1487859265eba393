//! The mean RCS a radar could estimate from the powers it measured on its own detections, and
//! its exact confidence interval, for every Swerling case and pulse count.
//!
//! Model (Swerling, RAND RM-1217, 1954 / IRE Trans. IT-6, 1960; Richards, *Fundamentals of Radar
//! Signal Processing*, 2005, §6.2–6.3; Skolnik, *Introduction to Radar Systems*, 2001, §2.5): the
//! detector's output on look i is z_i = Σ_{j≤N_i} |x_j|² (N_i pulses integrated non-coherently,
//! noise power 1 per pulse), whose law is fixed by the Swerling case and the mean SNR
//! s_i = K_i·σ — K_i the SNR of 1 m² at that look's range (the radar knows its own radar
//! equation) and σ the mean RCS sought. Its exceedance F̄_i(x; σ) = P(z_i > x) is the detector's
//! Pd at threshold x ([`SwerlingDetector::pd_at_threshold`]): Swerling 0 the noncentral χ²(2N,
//! 2N·s) (Marcum's Q, the Rician amplitude), Swerling 2 the gamma(N, 1 + s) (χ²(2N) scaled),
//! Swerling 1 a χ²(2) power constant over the look added to χ²(2N) noise, Swerling 3 and 4 the
//! χ²(4) power laws, per look or per pulse. A radar keeps only looks that crossed its threshold
//! T_i.
//!
//! - Interval: given a detection, u_i(σ) = F̄_i(z_i; σ) / F̄_i(T_i; σ) = P(z > z_i | z > T_i) is
//!   uniform on (0, 1) at the true σ (the probability integral transform of the truncated law;
//!   Casella & Berger 2002, thm 2.1.10), so Π(σ) = −2 Σ ln u_i(σ) is χ²(2n) exactly (Fisher's
//!   combination, Fisher 1932 §21.1). The laws above rise stochastically with s in likelihood
//!   ratio order, so each u_i, hence Π, falls as σ grows, and
//!   {σ ≥ 0 : χ²_{(1−γ)/2}(2n) ≤ Π(σ) ≤ χ²_{(1+γ)/2}(2n)} is an exact γ interval. When even
//!   σ = 0 leaves Π below the lower quantile (the detections look like noise alone), the
//!   interval is [0, 0].
//! - For one pulse of Swerling 1 or 2 the law is exponential with mean m_i = 1 + K_i·σ and
//!   memoryless (Feller 1968, §XVII.6): −ln u_i = (z_i − T_i)/m_i, and Π is the textbook pivot
//!   2 Σ y_i/m_i, y_i = z_i − T_i (for equal K: 2nȳ/χ²_{(1±γ)/2}(2n) bounds m = 1 + Kσ). There the
//!   point estimate is the maximum likelihood one, from the score Σ K_i (y_i − m_i)/m_i² = 0 on
//!   σ ≥ 0 ((ȳ − 1)/K for equal K, clipped at 0). Other laws have no closed-form likelihood in
//!   the detector, so the point estimate is the median-unbiased one, Π(σ̂) = χ²_{½}(2n)
//!   (Lehmann & Romano 2005, §3.5), clipped at 0 the same way.

use bulwark_sensors::{SwerlingCase, SwerlingDetector};
use serde::Serialize;

use crate::chi_square::chi_square_quantile;

/// One detection's measurement for the estimate.
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct PowerSample {
    /// Measured power z = Σ|xᵢ|² (noise power 1 per pulse).
    pub power: f64,
    /// The detection threshold T the look used.
    pub threshold: f64,
    /// SNR of 1 m² at the look's range (linear), K > 0.
    pub k: f64,
    /// The look's detector: the target's Swerling case and the pulses integrated.
    pub detector: SwerlingDetector,
}

impl PowerSample {
    /// One pulse of Swerling 1 or 2: the exponential law, memoryless above T.
    fn memoryless(&self) -> bool {
        matches!(self.detector.case, SwerlingCase::S1 | SwerlingCase::S2) && self.detector.pulses <= 1
    }

    /// −ln u(σ) = −ln [F̄(z; Kσ) / F̄(T; Kσ)] ≥ 0 (module doc); +∞ where σ makes the
    /// detection impossible (both exceedances underflow).
    fn neg_log_u(&self, sigma: f64) -> f64 {
        let snr = self.k * sigma;
        if self.memoryless() {
            return (self.power - self.threshold) / (1.0 + snr);
        }
        let above_t = self.detector.pd_at_threshold(snr, self.threshold);
        let above_z = self.detector.pd_at_threshold(snr, self.power);
        if above_z > 0.0 && above_t > 0.0 { (above_t.ln() - above_z.ln()).max(0.0) } else { f64::INFINITY }
    }
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
/// (non-finite, K ≤ 0 or negative threshold samples are skipped) or a level outside (0, 1).
/// A power below its threshold (not a detection) counts as the threshold itself.
pub fn estimate_rcs(samples: &[PowerSample], level: f64) -> Option<RcsEstimate> {
    let s: Vec<PowerSample> = samples
        .iter()
        .filter(|p| {
            p.power.is_finite() && p.threshold.is_finite() && p.threshold >= 0.0 && p.k.is_finite() && p.k > 0.0
        })
        .map(|p| PowerSample { power: p.power.max(p.threshold), ..*p })
        .collect();
    if s.is_empty() || !(level > 0.0 && level < 1.0) {
        return None;
    }
    let n = s.len();
    let dof = 2.0 * n as f64;
    let q_lo = chi_square_quantile(0.5 * (1.0 - level), dof)?;
    let q_hi = chi_square_quantile(0.5 * (1.0 + level), dof)?;
    let pivot = |sigma: f64| 2.0 * s.iter().map(|p| p.neg_log_u(sigma)).sum::<f64>();
    // A start for the brackets: beyond it every exponential mean exceeds its excess, so the
    // memoryless score is negative and that pivot below 2n; other laws grow the bracket.
    let top = s.iter().map(|p| (p.power - p.threshold + 1.0) / p.k).fold(0.0, f64::max).max(f64::MIN_POSITIVE);
    let sigma_m2 = if s.iter().all(PowerSample::memoryless) {
        let score = |sigma: f64| {
            s.iter()
                .map(|p| {
                    let m = 1.0 + p.k * sigma;
                    p.k * (p.power - p.threshold - m) / (m * m)
                })
                .sum::<f64>()
        };
        if score(0.0) <= 0.0 { 0.0 } else { bisect(|x| score(x) > 0.0, 0.0, top) }
    } else {
        let q_med = chi_square_quantile(0.5, dof)?;
        if pivot(0.0) <= q_med { 0.0 } else { solve_decreasing(&pivot, q_med, top) }
    };
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

    const S1_ONE: SwerlingDetector = SwerlingDetector { case: SwerlingCase::S1, pulses: 1 };

    /// Analytic oracle for equal K: σ̂ = (ȳ − 1)/K and the bounds (2nȳ/χ²_{(1±γ)/2}(2n) − 1)/K,
    /// with χ²(20) points from Abramowitz & Stegun Table 26.8 (34.1696, 9.59083), 1e-5 relative.
    #[test]
    fn equal_k_gives_the_textbook_interval() {
        let k = 50.0;
        let t = 13.8;
        let ys = [300.0, 120.0, 45.0, 610.0, 80.0, 150.0, 22.0, 400.0, 95.0, 260.0];
        let samples: Vec<PowerSample> =
            ys.iter().map(|y| PowerSample { power: y + t, threshold: t, k, detector: S1_ONE }).collect();
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
        let samples = [PowerSample { power: 13.81, threshold: 13.8, k: 10.0, detector: S1_ONE }; 5];
        let e = estimate_rcs(&samples, 0.9).unwrap();
        assert_eq!((e.sigma_m2, e.lo_m2, e.hi_m2), (0.0, 0.0, 0.0));
        assert!(estimate_rcs(&[], 0.9).is_none());
        assert!(estimate_rcs(&samples, 1.0).is_none());
    }
}
