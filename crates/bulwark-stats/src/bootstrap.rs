//! Bootstrap intervals for the mean, deterministic from a seed.
//!
//! Resampling: B resamples of size n drawn with replacement (Efron & Tibshirani, *An
//! Introduction to the Bootstrap*, 1993, ch. 6), the indices taken from one `ChaCha8Rng`
//! stream seeded by `ChaCha8Rng::seed_from_u64(seed)`, each index uniform on 0..n by Lemire's
//! multiply-and-reject ("Fast random integer generation in an interval", *ACM TOMACS* 29:3,
//! 2019) — so the same (data, B, seed) give the same interval on every machine and thread
//! count. Quantiles of the bootstrap distribution are linear interpolations between order
//! statistics at position q(B − 1) (Hyndman & Fan 1996 type 7, NumPy's default), as SciPy's
//! `scipy.stats.bootstrap` does.

use rand_chacha::ChaCha8Rng;
use rand_core::{Rng, SeedableRng};

use crate::mean::mean_sd;
use crate::special::{normal_cdf, normal_quantile};
use crate::{Interval, Method, valid_level};

/// Uniform integer in 0..n (n ≥ 1) by Lemire's nearly divisionless method.
fn below(rng: &mut ChaCha8Rng, n: u64) -> u64 {
    let mut m = u128::from(rng.next_u64()) * u128::from(n);
    if (m as u64) < n {
        let threshold = n.wrapping_neg() % n;
        while (m as u64) < threshold {
            m = u128::from(rng.next_u64()) * u128::from(n);
        }
    }
    (m >> 64) as u64
}

/// The sorted bootstrap distribution of the mean: `resamples` means of resamples of `xs`.
fn resampled_means(xs: &[f64], resamples: u32, seed: u64) -> Vec<f64> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let n = xs.len() as u64;
    let mut means: Vec<f64> =
        (0..resamples).map(|_| (0..n).map(|_| xs[below(&mut rng, n) as usize]).sum::<f64>() / n as f64).collect();
    means.sort_by(f64::total_cmp);
    means
}

/// Type-7 quantile of sorted values at probability q ∈ [0, 1].
fn quantile_sorted(sorted: &[f64], q: f64) -> f64 {
    let pos = q.clamp(0.0, 1.0) * (sorted.len() - 1) as f64;
    let i = pos.floor() as usize;
    let frac = pos - i as f64;
    match sorted.get(i + 1) {
        Some(&next) if frac > 0.0 => sorted[i] + frac * (next - sorted[i]),
        _ => sorted[i],
    }
}

/// Checks shared by the bootstrap entry points; returns (mean, sorted distribution, its sd).
fn prepare(xs: &[f64], theta_b: &[f64], level: f64) -> Option<(f64, Vec<f64>, f64)> {
    if !valid_level(level) || xs.len() < 2 || theta_b.len() < 2 {
        return None;
    }
    let (mean, _) = mean_sd(xs)?;
    let (_, sd_b) = mean_sd(theta_b)?;
    let mut sorted = theta_b.to_vec();
    sorted.sort_by(f64::total_cmp);
    Some((mean, sorted, sd_b))
}

fn finish(xs: &[f64], mean: f64, low: f64, high: f64, level: f64, method: Method, se: f64) -> Option<Interval> {
    // Kept to contain the estimate: a percentile end passes x̄ only by the last bits of
    // interpolation, a BCa end only if ẑ₀ exceeds |z_α| (over 95 % of resamples on one side of x̄
    // at level 0.9) or |â| is near 1 — neither happens for a mean of more than a few values.
    let (low, high) = (low.min(mean), high.max(mean));
    (low.is_finite() && high.is_finite()).then_some(Interval {
        estimate: mean,
        low,
        high,
        level,
        method,
        n: xs.len() as u64,
        std_error: se,
    })
}

/// Percentile interval from a given bootstrap distribution `theta_b` of the mean of `xs`:
/// [θ*₍α/2₎, θ*₍1−α/2₎] (Efron & Tibshirani 1993 §13.3), type-7 quantiles. Exposed so that
/// the interval can be checked against SciPy on SciPy's own resamples.
pub fn bootstrap_percentile_from(xs: &[f64], theta_b: &[f64], level: f64) -> Option<Interval> {
    let (mean, sorted, se) = prepare(xs, theta_b, level)?;
    let tail = 0.5 * (1.0 - level);
    let low = quantile_sorted(&sorted, tail);
    let high = quantile_sorted(&sorted, 1.0 - tail);
    finish(xs, mean, low, high, level, Method::BootstrapPercentile, se)
}

/// BCa interval from a given bootstrap distribution `theta_b` of the mean of `xs` (Efron,
/// *JASA* 82:171, 1987; Efron & Tibshirani 1993 §14.3), as `scipy.stats.bootstrap(method="BCa")`:
///
/// - bias correction ẑ₀ = Φ⁻¹(#{θ*ᵦ < θ̂}/B + #{θ*ᵦ = θ̂}/(2B)) (ties counted half, "equal"
///   meaning within the rounding error of a mean, 4nε·mean|x|);
/// - acceleration â = Σ Uᵢ³ / (6 (Σ Uᵢ²)^{3/2}), Uᵢ = (n − 1)(θ̄₍·₎ − θ̂₍ᵢ₎) from the jackknife
///   means θ̂₍ᵢ₎ (leave one out);
/// - ends at the quantiles αⱼ = Φ(ẑ₀ + (ẑ₀ + zⱼ)/(1 − â(ẑ₀ + zⱼ))), z₁,₂ = Φ⁻¹(α/2), Φ⁻¹(1 − α/2).
///
/// The ends are clamped to contain x̄ (see `finish`). Data with no spread (every value equal)
/// give the degenerate interval [x̄, x̄]. `None` when
/// the bias correction is infinite (θ̂ outside the whole distribution) or as for the others.
pub fn bootstrap_bca_from(xs: &[f64], theta_b: &[f64], level: f64) -> Option<Interval> {
    let (mean, sorted, se) = prepare(xs, theta_b, level)?;
    let b = sorted.len() as f64;
    // A resample that is a permutation of the data ties with θ̂ but may differ from it in the
    // last bits (another summation order): values within the rounding bound of a mean,
    // 4nε·mean|x|, count as ties.
    let n = xs.len() as f64;
    let tie = 4.0 * n * f64::EPSILON * xs.iter().map(|x| x.abs()).sum::<f64>() / n;
    let below = sorted.iter().filter(|&&t| t < mean - tie).count() as f64;
    let at_or_below = sorted.iter().filter(|&&t| t <= mean + tie).count() as f64;
    let z0 = normal_quantile((below + at_or_below) / (2.0 * b))?;
    // Jackknife means θ̂₍ᵢ₎ = (Σx − xᵢ)/(n − 1).
    let sum: f64 = xs.iter().sum();
    let jack: Vec<f64> = xs.iter().map(|x| (sum - x) / (n - 1.0)).collect();
    let jack_mean = jack.iter().sum::<f64>() / n;
    let (mut num, mut den) = (0.0, 0.0);
    for j in &jack {
        let u = (n - 1.0) * (jack_mean - j);
        num += u * u * u;
        den += u * u;
    }
    if den == 0.0 {
        return finish(xs, mean, mean, mean, level, Method::BootstrapBca, se);
    }
    let accel = num / (6.0 * den.powf(1.5));
    let tail = 0.5 * (1.0 - level);
    let adjusted = |z: f64| {
        let s = z0 + z;
        normal_cdf(z0 + s / (1.0 - accel * s))
    };
    let z_low = normal_quantile(tail)?;
    let (q_low, q_high) = (adjusted(z_low), adjusted(-z_low));
    if !(q_low.is_finite() && q_high.is_finite()) {
        return None;
    }
    let low = quantile_sorted(&sorted, q_low);
    let high = quantile_sorted(&sorted, q_high);
    finish(xs, mean, low, high, level, Method::BootstrapBca, se)
}

/// BCa bootstrap interval of the mean from `resamples` resamples drawn from `seed` (see the
/// module notes for the resampling and [`bootstrap_bca_from`] for the interval). Deterministic.
/// `None` for fewer than 2 values or resamples, a NaN or infinite value, or level ∉ (0, 1).
pub fn bootstrap_mean(xs: &[f64], level: f64, resamples: u32, seed: u64) -> Option<Interval> {
    if !valid_level(level) || xs.len() < 2 || resamples < 2 || xs.iter().any(|x| !x.is_finite()) {
        return None;
    }
    bootstrap_bca_from(xs, &resampled_means(xs, resamples, seed), level)
}

/// Percentile bootstrap interval of the mean, resampled as [`bootstrap_mean`].
pub fn bootstrap_mean_percentile(xs: &[f64], level: f64, resamples: u32, seed: u64) -> Option<Interval> {
    if !valid_level(level) || xs.len() < 2 || resamples < 2 || xs.iter().any(|x| !x.is_finite()) {
        return None;
    }
    bootstrap_percentile_from(xs, &resampled_means(xs, resamples, seed), level)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_and_degenerate() {
        let xs = [1.0, 4.0, 2.0, 8.0, 3.0, 0.0, 5.0];
        let a = bootstrap_mean(&xs, 0.95, 2000, 7).unwrap();
        let b = bootstrap_mean(&xs, 0.95, 2000, 7).unwrap();
        assert_eq!(a, b);
        assert!(a.low < a.estimate && a.estimate < a.high);
        let flat = bootstrap_mean(&[2.0; 6], 0.9, 500, 1).unwrap();
        assert_eq!((flat.low, flat.high), (2.0, 2.0));
        assert!(bootstrap_mean(&[1.0], 0.9, 500, 1).is_none());
        assert!(bootstrap_mean(&xs, 0.9, 1, 1).is_none());
        assert!(bootstrap_mean(&[1.0, f64::NAN], 0.9, 100, 1).is_none());
    }

    #[test]
    fn below_is_in_range() {
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        for n in [1u64, 2, 3, 7, 1000] {
            for _ in 0..200 {
                assert!(below(&mut rng, n) < n);
            }
        }
    }
}
