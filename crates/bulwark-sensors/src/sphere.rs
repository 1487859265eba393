//! Exact monostatic RCS of a perfectly conducting sphere (the Mie series): the one shape whose
//! RCS is known in closed form across the Rayleigh, resonance and optical regions, used to
//! check that RCS-by-band tables behave across frequency.
//!
//! With x = ka = 2πa/λ (Knott, Shaeffer & Tuley, Radar Cross Section, 2nd ed., 2004, §5.2;
//! Ruck et al., Radar Cross Section Handbook, 1970, ch. 3):
//!
//! σ / (πa²) = (1/x²) · |Σₙ₌₁^∞ (−1)ⁿ (2n+1) (aₙ − bₙ)|²,
//! aₙ = jₙ(x) / hₙ(x),  bₙ = [x jₙ(x)]′ / [x hₙ(x)]′,
//!
//! with jₙ, yₙ the spherical Bessel functions, hₙ = jₙ + i yₙ and [x zₙ(x)]′ = x zₙ₋₁(x) − n zₙ(x).
//! Limits: Rayleigh σ/(πa²) → 9x⁴ (x ≪ 1), first resonance peak ≈ 3.65 near x = 1, optical
//! σ → πa² (x ≫ 1). The series is cut after N = x + 4x^(1/3) + 8 terms (Wiscombe 1980, plus 6 for
//! the last digits); jₙ by
//! downward recurrence (stable for n > x), yₙ by upward recurrence (stable).
use crate::{SensorError, check};

/// Largest ka accepted (the series then needs ≈ 1e4 terms; beyond it σ = πa² to < 0.1 %).
pub const MAX_KA: f64 = 1e4;

/// Below this ka the Rayleigh term 9x⁴ is returned (its relative error is O(x²) < 1e-5), which
/// keeps yₙ(x) ~ x^−(n+1) far from overflow.
const RAYLEIGH_KA: f64 = 1e-3;

/// Normalised monostatic RCS σ/(πa²) of a conducting sphere at size parameter `ka` (0 < ka ≤ [`MAX_KA`]).
pub fn sphere_rcs_normalised(ka: f64) -> Result<f64, SensorError> {
    check("ka", ka, ka > 0.0 && ka <= MAX_KA, "0 < ka ≤ 1e4")?;
    let x = ka;
    if x < RAYLEIGH_KA {
        return Ok(9.0 * x.powi(4));
    }
    let n_max = (x + 4.0 * x.cbrt() + 8.0).ceil() as usize;
    let j = spherical_j(n_max, x);
    let y = spherical_y(n_max, x);
    let (mut sum_re, mut sum_im) = (0.0, 0.0);
    for n in 1..=n_max {
        let nf = n as f64;
        // aₙ = jₙ/(jₙ + i yₙ); bₙ = dj/(dj + i dy), d zₙ = x zₙ₋₁ − n zₙ.
        let (a_re, a_im) = ratio(j[n], j[n], y[n]);
        let dj = x * j[n - 1] - nf * j[n];
        let dy = x * y[n - 1] - nf * y[n];
        let (b_re, b_im) = ratio(dj, dj, dy);
        let w = if n % 2 == 0 { 2.0 * nf + 1.0 } else { -(2.0 * nf + 1.0) };
        sum_re += w * (a_re - b_re);
        sum_im += w * (a_im - b_im);
    }
    Ok((sum_re * sum_re + sum_im * sum_im) / (x * x))
}

/// Monostatic RCS (m²) of a conducting sphere of `radius_m` at `frequency_hz`.
pub fn sphere_rcs_m2(radius_m: f64, frequency_hz: f64) -> Result<f64, SensorError> {
    check("radius_m", radius_m, radius_m > 0.0, "a positive radius (m)")?;
    check("frequency_hz", frequency_hz, frequency_hz > 0.0, "a positive frequency (Hz)")?;
    let ka = 2.0 * std::f64::consts::PI * radius_m * frequency_hz / crate::snr::SPEED_OF_LIGHT;
    Ok(std::f64::consts::PI * radius_m * radius_m * sphere_rcs_normalised(ka)?)
}

/// p / (q + i r) as (re, im).
fn ratio(p: f64, q: f64, r: f64) -> (f64, f64) {
    let d = q * q + r * r;
    (p * q / d, -p * r / d)
}

/// j₀ … j_n(x) by downward recurrence z_{k−1} = (2k+1)/x z_k − z_{k+1} from far above n,
/// scaled to j₀ = sin x / x (rescaled on the way so that nothing overflows).
fn spherical_j(n: usize, x: f64) -> Vec<f64> {
    let start = n + 20 + x.sqrt().ceil() as usize * 4;
    let mut out = vec![0.0; n + 1];
    let (mut above, mut here) = (0.0f64, 1e-300f64);
    for k in (1..=start).rev() {
        let below = (2.0 * k as f64 + 1.0) / x * here - above;
        above = here;
        here = below;
        if k - 1 <= n {
            out[k - 1] = here;
        }
        if here.abs() > 1e200 {
            here *= 1e-200;
            above *= 1e-200;
            for v in out.iter_mut() {
                *v *= 1e-200;
            }
        }
    }
    // Normalise on whichever of j₀, j₁ is better conditioned (j₀ vanishes at x = mπ).
    let (j0, j1) = (x.sin() / x, x.sin() / (x * x) - x.cos() / x);
    let scale = if j0.abs() >= j1.abs() { j0 / out[0] } else { j1 / out[1] };
    out.iter_mut().for_each(|v| *v *= scale);
    out
}

/// y₀ … y_n(x) by upward recurrence from y₀ = −cos x / x, y₁ = −cos x / x² − sin x / x.
fn spherical_y(n: usize, x: f64) -> Vec<f64> {
    let mut out = vec![0.0; n + 1];
    out[0] = -x.cos() / x;
    if n >= 1 {
        out[1] = -x.cos() / (x * x) - x.sin() / x;
    }
    for k in 1..n {
        out[k + 1] = (2.0 * k as f64 + 1.0) / x * out[k] - out[k - 1];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_input_is_an_error() {
        assert!(sphere_rcs_normalised(0.0).is_err());
        assert!(sphere_rcs_normalised(f64::NAN).is_err());
        assert!(sphere_rcs_normalised(2e4).is_err());
        assert!(sphere_rcs_m2(-1.0, 1e9).is_err());
        assert!(sphere_rcs_m2(1.0, f64::INFINITY).is_err());
    }
}
