//! The special functions the intervals are built from. Over the campaign range (n up to 10⁸,
//! levels 0.5–0.9999) the quantiles agree with SciPy and mpmath to ≤ 5e-14 relative
//! (`tests/oracle.rs`).
//!
//! - ln Γ(x) and ln B(a, b) by Stirling's series (A&S 6.1.40; DLMF 5.11.1), the beta form written
//!   so that the `(a+b) ln(a+b)`-sized terms cancel analytically rather than in floating point;
//! - the regularised incomplete beta Iₓ(a, b) by its continued fraction (DLMF 8.17.22, evaluated
//!   by the modified Lentz method, Press et al., *Numerical Recipes* 3rd ed. §5.2 and §6.4) on
//!   the tail where it converges, with 1 − x passed in exactly, and by its positive series
//!   (DLMF 8.17.8) just past the fraction's bound when one shape is small and a + b large;
//! - erfc by its power series (A&S 7.1.6) and Laplace continued fraction (A&S 7.1.14), the
//!   normal CDF Φ and quantile Φ⁻¹ (initial value A&S 26.2.23, refined by Halley steps);
//! - the Student t CDF through the incomplete beta (A&S 26.7.1) and its quantile;
//! - the Beta quantile (inverse of Iₓ) by Newton steps kept inside a shrinking bracket.
//!
//! The quantile functions return `None` outside their domain (p ∉ (0, 1), non-positive shape or
//! degrees of freedom, NaN) and never panic.

use std::f64::consts::PI;

/// ½ ln(2π).
const LN_SQRT_2PI: f64 = 0.918_938_533_204_672_8;

/// Coefficients B₂ₖ / (2k(2k − 1)) of Stirling's remainder series, k = 1..7 (A&S 6.1.40).
const STIRLING: [f64; 7] =
    [1.0 / 12.0, -1.0 / 360.0, 1.0 / 1260.0, -1.0 / 1680.0, 1.0 / 1188.0, -691.0 / 360_360.0, 1.0 / 156.0];

/// Stirling remainder S(z) = ln Γ(z) − [(z − ½) ln z − z + ½ ln 2π] for z ≥ 10 (truncation
/// error below 1e-17 there).
fn stirling_remainder(z: f64) -> f64 {
    let w = 1.0 / (z * z);
    let mut acc = 0.0;
    for c in STIRLING.iter().rev() {
        acc = acc * w + c;
    }
    acc / z
}

/// Smallest argument for which Stirling's series is used directly.
const STIRLING_MIN: f64 = 10.0;

/// ln Γ(x) for x > 0: Stirling's series for x ≥ 10, and for smaller x the recurrence
/// Γ(x) = Γ(x + m) / (x (x+1) ⋯ (x+m−1)). Returns +∞ for x ≤ 0 or NaN (not needed here).
pub fn ln_gamma(x: f64) -> f64 {
    if x.is_nan() || x <= 0.0 || x.is_infinite() {
        return f64::INFINITY;
    }
    let (z, ln_shift) = shift_up(x);
    (z - 0.5) * z.ln() - z + LN_SQRT_2PI + stirling_remainder(z) - ln_shift
}

/// The smallest z = x + m ≥ 10 and ln(x (x+1) ⋯ (x+m−1)).
fn shift_up(x: f64) -> (f64, f64) {
    let mut z = x;
    let mut prod = 1.0;
    while z < STIRLING_MIN {
        prod *= z;
        z += 1.0;
    }
    (z, prod.ln())
}

/// ln B(a, b) = ln Γ(a) + ln Γ(b) − ln Γ(a + b) for a, b > 0.
///
/// With both shapes ≥ 10 it is evaluated as
/// ½ ln 2π + (a − ½) ln(a/(a+b)) + (b − ½) ln(b/(a+b)) − ½ ln(a+b) + S(a) + S(b) − S(a+b),
/// and with one of them small the difference ln Γ(b) − ln Γ(a + b) is taken in the same way, so
/// no two numbers of size (a+b) ln(a+b) are subtracted (error ≈ 1e-16 · |ln B| instead of
/// 1e-16 · (a+b) ln(a+b)).
pub fn ln_beta(a: f64, b: f64) -> f64 {
    if a.is_nan() || b.is_nan() || a <= 0.0 || b <= 0.0 {
        return f64::INFINITY;
    }
    let (small, large) = if a <= b { (a, b) } else { (b, a) };
    let sum = small + large;
    if small >= STIRLING_MIN {
        return LN_SQRT_2PI - 0.5 * sum.ln()
            + (small - 0.5) * (small / sum).ln()
            + (large - 0.5) * (-(small / sum)).ln_1p()
            + stirling_remainder(small)
            + stirling_remainder(large)
            - stirling_remainder(sum);
    }
    if large >= STIRLING_MIN {
        // ln Γ(large) − ln Γ(sum) = (large − ½) ln(large/sum) − small ln(sum) + small + S(large) − S(sum).
        let diff = -(large - 0.5) * (small / large).ln_1p() - small * sum.ln() + small + stirling_remainder(large)
            - stirling_remainder(sum);
        return ln_gamma(small) + diff;
    }
    ln_gamma(small) + ln_gamma(large) - ln_gamma(sum)
}

/// Most continued-fraction terms evaluated before giving up (the fractions here need
/// O(√max(a, b)) terms: ~1 000 at a shape of 10⁶).
const MAX_TERMS: u32 = 20_000;

/// Modified Lentz guard against a zero denominator.
const TINY: f64 = 1e-300;

/// The continued fraction of Iₓ(a, b) / [xᵃ(1−x)ᵇ / (a B(a, b))] (DLMF 8.17.22):
/// 1 / (1 + d₁ / (1 + d₂ / (1 + ⋯))), d₂ₘ₊₁ = −(a+m)(a+b+m) x / ((a+2m)(a+2m+1)),
/// d₂ₘ = m(b−m) x / ((a+2m−1)(a+2m)). Converges quickly for x < (a+1)/(a+b+2). `xc` = 1 − x:
/// near that bound with x close to 1, the first denominator 1 + d₁ = ((a+1) − (a+b)x)/(a+1)
/// is a small difference, formed from xc as ((1 − b) + (a+b)·xc)/(a+1).
fn beta_fraction(a: f64, b: f64, x: f64, xc: f64) -> f64 {
    let clamp = |v: f64| if v.abs() < TINY { TINY.copysign(v) } else { v };
    let first = if x > 0.5 { ((1.0 - b) + (a + b) * xc) / (a + 1.0) } else { 1.0 - (a + b) * x / (a + 1.0) };
    // Lentz: f = C·D products, starting from the leading "1 + d₁ ..." level.
    let mut c = 1.0;
    let mut d = 1.0 / clamp(first);
    let mut f = d;
    for m in 1..MAX_TERMS {
        let m = f64::from(m);
        let two_m = 2.0 * m;
        let even = m * (b - m) * x / ((a + two_m - 1.0) * (a + two_m));
        d = 1.0 / clamp(1.0 + even * d);
        c = clamp(1.0 + even / c);
        f *= c * d;
        let odd = -(a + m) * (a + b + m) * x / ((a + two_m) * (a + two_m + 1.0));
        d = 1.0 / clamp(1.0 + odd * d);
        c = clamp(1.0 + odd / c);
        let step = c * d;
        f *= step;
        if (step - 1.0).abs() < 1e-16 {
            break;
        }
    }
    f
}

/// The regularised incomplete beta Iₓ(a, b) = ∫₀ˣ t^{a−1}(1−t)^{b−1} dt / B(a, b) and its
/// complement 1 − Iₓ(a, b) = I₁₋ₓ(b, a), for a, b > 0, given x and y = 1 − x (pass y computed
/// directly where it is small, so that it keeps its relative precision).
///
/// The continued fraction on the tail where it converges (x < (a+1)/(a+b+2), else the
/// complement with the roles swapped) — except, with s the smaller of x and y, when s is past
/// its own bound, (a+b)·s ≤ [`SERIES_MAX`] and the s tail is ≤ 0.99: then the positive-term
/// series of the s tail (DLMF 8.17.8). The other value is 1 minus the one computed. The
/// prefactor xᵃyᵇ/B(a, b) is formed in logarithms ([`ln_beta`], or about the mode for large
/// shapes). Returns `(I, 1 − I)`; `(0, 1)` at x ≤ 0 and `(1, 0)` at y ≤ 0.
pub fn beta_inc_pair(a: f64, b: f64, x: f64, y: f64) -> (f64, f64) {
    if x <= 0.0 {
        return (0.0, 1.0);
    }
    if y <= 0.0 {
        return (1.0, 0.0);
    }
    let ln_front = if a.min(b) >= STIRLING_MIN {
        ln_front_large(a, b, x, y)
    } else {
        let (ln_x, ln_y) = ln_pair(x, y);
        a * ln_x + b * ln_y - ln_beta(a, b)
    };
    let front = ln_front.exp();
    // Past its bound the fraction is evaluated on the other tail with a variable near 1, where
    // it loses digits when a + b is large and one shape small (its first and odd terms are small
    // differences: 6e-10 relative at a = 2, b = 10⁸). There the series of the small variable's
    // tail is short and exact to rounding, and used while the complement taken from it is not
    // below 1 % (so that it keeps 1e-14 relative).
    let (small, sa, sb) = if x <= y { (x, a, b) } else { (y, b, a) };
    if small >= (sa + 1.0) / (sa + sb + 2.0) && (sa + sb) * small <= SERIES_MAX {
        let tail = (front / sa * beta_series(sa, sb, small)).clamp(0.0, 1.0);
        if tail <= 0.99 {
            return if x <= y { (tail, 1.0 - tail) } else { (1.0 - tail, tail) };
        }
    }
    if x < (a + 1.0) / (a + b + 2.0) {
        let lower = (front / a * beta_fraction(a, b, x, y)).clamp(0.0, 1.0);
        (lower, 1.0 - lower)
    } else {
        let upper = (front / b * beta_fraction(b, a, y, x)).clamp(0.0, 1.0);
        (1.0 - upper, upper)
    }
}

/// Largest (a+b)·s for which [`beta_inc_pair`] sums the series (it takes ≈ (a+b)·s terms past its
/// peak; the rounding of the terms grows with their number, ≈ 1e-13 relative at the limit).
pub const SERIES_MAX: f64 = 500.0;

/// F(a+b, 1; a+1; s) = Σⱼ (a+b)ⱼ/(a+1)ⱼ · sʲ for 0 < s ≤ ½, with Iₛ(a, b) = sᵃ(1−s)ᵇ/(a B(a, b)) ·
/// F (DLMF 8.17.8). All terms are positive; summed until the remainder, bounded by the
/// geometric tail of the current term ratio r (or s, whichever is larger), is below 1e-17 of
/// the sum.
fn beta_series(a: f64, b: f64, s: f64) -> f64 {
    let mut term = 1.0;
    let mut sum = 1.0;
    for j in 0..MAX_TERMS {
        let j = f64::from(j);
        let ratio = (a + b + j) * s / (a + 1.0 + j);
        term *= ratio;
        sum += term;
        let r = ratio.max(s);
        if r < 1.0 && term * r / (1.0 - r) < 1e-17 * sum {
            break;
        }
    }
    sum
}

/// Iₓ(a, b), the CDF of the Beta(a, b) law at x (0 below 0, 1 above 1; NaN for NaN input or
/// non-positive shapes).
pub fn beta_cdf(x: f64, a: f64, b: f64) -> f64 {
    if x.is_nan() || a.is_nan() || b.is_nan() || a <= 0.0 || b <= 0.0 {
        return f64::NAN;
    }
    beta_inc_pair(a, b, x, 1.0 - x).0
}

/// ln[xᵃyᵇ / B(a, b)] for a, b ≥ 10 about the mode x₀ = a/(a+b), y₀ = b/(a+b):
/// a ln(1 + δ/x₀) + b ln(1 − δ/y₀) + ½ ln(ab/(a+b)) − ½ ln 2π − [S(a) + S(b) − S(a+b)], δ = x − x₀
/// (Stirling's ln B written out; DiDonato & Morris, *ACM TOMS* 18:360, 1992, use the same
/// split). The terms of size a ln x and ln B, ~(a+b) ln(a+b), cancel analytically, and the
/// rounding of x₀ cancels to first order between the two logarithms.
fn ln_front_large(a: f64, b: f64, x: f64, y: f64) -> f64 {
    let sum = a + b;
    let (x0, y0) = (a / sum, b / sum);
    let delta = if x <= y { x - x0 } else { y0 - y };
    a * (delta / x0).ln_1p() + b * (-delta / y0).ln_1p() + 0.5 * (a * b / sum).ln()
        - LN_SQRT_2PI
        - (stirling_remainder(a) + stirling_remainder(b) - stirling_remainder(sum))
}

/// (ln x, ln y) for x + y = 1, the logarithm of the larger one taken as ln(1 − smaller) from
/// the smaller one (which carries the precision: with a shape of 10⁴, the rounding of 1 − x
/// alone would cost 1e-12 in Iₓ).
fn ln_pair(x: f64, y: f64) -> (f64, f64) {
    if x <= y { (x.ln(), (-x).ln_1p()) } else { ((-y).ln_1p(), y.ln()) }
}

/// ln of the Beta(a, b) density at x ∈ (0, 1) given y = 1 − x.
fn ln_beta_pdf(a: f64, b: f64, x: f64, y: f64) -> f64 {
    let (ln_x, ln_y) = ln_pair(x, y);
    (a - 1.0) * ln_x + (b - 1.0) * ln_y - ln_beta(a, b)
}

/// The Beta(a, b) quantile: the x ∈ [0, 1] with Iₓ(a, b) = p, for a, b > 0 and p ∈ [0, 1]
/// (p = 0 → 0, p = 1 → 1). `None` outside the domain.
///
/// Solved for whichever of x and 1 − x is below ½ (Iₓ(a, b) = p, or I_y(b, a) = 1 − p with
/// x = 1 − y), so that a quantile near 0 or near 1 keeps its relative precision, comparing the
/// smaller tail of the CDF with the smaller of p and 1 − p; by Newton steps kept inside a
/// bracket that shrinks with every evaluation (a step that leaves it is replaced by bisection,
/// geometric when the bracket spans decades). Converged to ≲ 4 ulp.
pub fn beta_quantile(p: f64, a: f64, b: f64) -> Option<f64> {
    if !(0.0..=1.0).contains(&p)
        || a.is_nan()
        || b.is_nan()
        || a <= 0.0
        || b <= 0.0
        || a.is_infinite()
        || b.is_infinite()
    {
        return None;
    }
    if p == 0.0 {
        return Some(0.0);
    }
    if p == 1.0 {
        return Some(1.0);
    }
    let (below_half, above_half) = beta_inc_pair(a, b, 0.5, 0.5);
    let in_lower_half = if p <= 0.5 { p <= below_half } else { 1.0 - p >= above_half };
    if in_lower_half { Some(quantile_below_half(p, a, b)) } else { Some(1.0 - quantile_below_half(1.0 - p, b, a)) }
}

/// The x ∈ (0, ½] with Iₓ(a, b) = p, known to lie there.
fn quantile_below_half(p: f64, a: f64, b: f64) -> f64 {
    let lower_tail = p <= 0.5;
    let q = 1.0 - p;
    // Iₓ − p from the accurate tail: Iₓ − p, or (1 − p) − (1 − Iₓ).
    let excess = |x: f64| {
        let (i, ic) = beta_inc_pair(a, b, x, 1.0 - x);
        if lower_tail { i - p } else { q - ic }
    };
    let ln_b = ln_beta(a, b);
    // Leading term of the small-x expansion, Iₓ ≈ xᵃ / (a B(a, b)), as the first guess.
    let guess = ((p.ln() + a.ln() + ln_b) / a).exp();
    let (mut lo, mut hi) = (0.0_f64, 0.5_f64);
    let mut x = if guess > 0.0 && guess < 0.5 { guess } else { 0.25 };
    for _ in 0..1_000 {
        let f = excess(x);
        if f == 0.0 {
            return x;
        }
        if f < 0.0 {
            lo = x;
        } else {
            hi = x;
        }
        let dens = ln_beta_pdf(a, b, x, 1.0 - x).exp();
        let mut next = x - f / dens;
        if !(next > lo && next < hi) {
            next = if lo > 0.0 && hi / lo > 16.0 { (lo * hi).sqrt() } else { 0.5 * (lo + hi) };
        }
        if (next - x).abs() <= 4.0 * f64::EPSILON * x.max(next) || hi - lo <= 4.0 * f64::EPSILON * hi {
            return next;
        }
        x = next;
    }
    x
}

/// erfc(x) = 1 − erf(x), with full relative precision in the upper tail.
///
/// |x| < 2: erf(x) = (2/√π) e^{−x²} Σₙ 2ⁿ x^{2n+1} / (1·3⋯(2n+1)) (A&S 7.1.6, all terms
/// positive); x ≥ 2: erfc(x) = (e^{−x²}/√π) · 1/(x + ½/(x + 1/(x + (3/2)/(x + ⋯)))) (A&S 7.1.14,
/// modified Lentz); erfc(−x) = 2 − erfc(x).
pub fn erfc(x: f64) -> f64 {
    if x.is_nan() {
        return f64::NAN;
    }
    if x < 0.0 {
        return 2.0 - erfc(-x);
    }
    if x < 2.0 {
        return 1.0 - erf_series(x);
    }
    if x > 27.3 {
        return 0.0; // below the smallest subnormal
    }
    // Laplace continued fraction x + (1/2)/(x + 1/(x + (3/2)/(x + ...))), coefficients k/2.
    let clamp = |v: f64| if v.abs() < TINY { TINY } else { v };
    let mut f = x;
    let mut c = x;
    let mut d = 0.0;
    for k in 1..MAX_TERMS {
        let coef = 0.5 * f64::from(k);
        d = 1.0 / clamp(x + coef * d);
        c = clamp(x + coef / c);
        let step = c * d;
        f *= step;
        if (step - 1.0).abs() < 1e-16 {
            break;
        }
    }
    (-x * x).exp() / (f * PI.sqrt())
}

/// erf(x) for 0 ≤ x < 2 by the positive-term series A&S 7.1.6.
fn erf_series(x: f64) -> f64 {
    let x2 = x * x;
    let mut term = x;
    let mut sum = x;
    let mut n = 0.0;
    while term > 1e-17 * sum {
        n += 1.0;
        term *= 2.0 * x2 / (2.0 * n + 1.0);
        sum += term;
    }
    2.0 / PI.sqrt() * (-x2).exp() * sum
}

/// Φ(x), the standard normal CDF: ½ erfc(−x/√2).
pub fn normal_cdf(x: f64) -> f64 {
    0.5 * erfc(-x / std::f64::consts::SQRT_2)
}

/// φ(x), the standard normal density.
fn normal_pdf(x: f64) -> f64 {
    (-0.5 * x * x).exp() / (2.0 * PI).sqrt()
}

/// Φ⁻¹(p), the standard normal quantile, for p ∈ (0, 1); `None` otherwise.
///
/// Start from A&S 26.2.23 (|error| < 4.5e-4) on the lower tail, then Halley steps on
/// Φ(x) − p, x ← x − u/(1 + x u/2) with u = (Φ(x) − p)/φ(x), until the step is below 1e-15·|x|.
/// p > ½ uses Φ⁻¹(p) = −Φ⁻¹(1 − p) (1 − p is exact there).
pub fn normal_quantile(p: f64) -> Option<f64> {
    if !(p > 0.0 && p < 1.0) {
        return None;
    }
    if p > 0.5 {
        return normal_quantile(1.0 - p).map(|z| -z);
    }
    if p == 0.5 {
        return Some(0.0);
    }
    let t = (-2.0 * p.ln()).sqrt();
    let mut x = -(t
        - (2.515_517 + 0.802_853 * t + 0.010_328 * t * t)
            / (1.0 + 1.432_788 * t + 0.189_269 * t * t + 0.001_308 * t * t * t));
    for _ in 0..50 {
        let u = (normal_cdf(x) - p) / normal_pdf(x);
        let step = u / (1.0 + 0.5 * x * u);
        x -= step;
        if step.abs() <= 1e-15 * x.abs().max(1e-300) {
            break;
        }
    }
    Some(x)
}

/// The Student t CDF with `dof` degrees of freedom (dof > 0): for t < 0,
/// F(t) = ½ I_{ν/(ν+t²)}(ν/2, ½) (A&S 26.7.1), with the complement t²/(ν+t²) passed exactly;
/// F(t) = 1 − F(−t) for t > 0. NaN for NaN input or dof ≤ 0.
pub fn t_cdf(t: f64, dof: f64) -> f64 {
    if t.is_nan() || dof.is_nan() || dof <= 0.0 {
        return f64::NAN;
    }
    let lower = t_lower_tail(-t.abs(), dof);
    if t <= 0.0 { lower } else { 1.0 - lower }
}

/// F(t) for t ≤ 0.
fn t_lower_tail(t: f64, dof: f64) -> f64 {
    if t.is_infinite() {
        return 0.0;
    }
    // x = ν/(ν+t²) and 1 − x through the ratio of the smaller to the larger of √ν and |t|, so
    // that t² never overflows.
    let (root, abs_t) = (dof.sqrt(), t.abs());
    let (x, y) = if abs_t > root {
        let r = root / abs_t;
        let r2 = r * r;
        (r2 / (1.0 + r2), 1.0 / (1.0 + r2))
    } else {
        let s = abs_t / root;
        let s2 = s * s;
        (1.0 / (1.0 + s2), s2 / (1.0 + s2))
    };
    0.5 * beta_inc_pair(0.5 * dof, 0.5, x, y).0
}

/// ln of the Student t density: −((ν+1)/2) ln(1 + t²/ν) − ½ ln ν − ln B(½, ν/2).
fn ln_t_pdf(t: f64, dof: f64) -> f64 {
    -0.5 * (dof + 1.0) * (t * t / dof).ln_1p() - 0.5 * dof.ln() - ln_beta(0.5, 0.5 * dof)
}

/// Largest |t| [`t_quantile`] answers (beyond it only for p ≲ 1e-100 at ν ≤ 2, or ν ≪ 1).
const T_QUANTILE_MAX: f64 = 1e100;

/// The Student t quantile F⁻¹(p) with `dof` > 0 degrees of freedom, p ∈ (0, 1); `None` otherwise
/// and when |F⁻¹(p)| > 10¹⁰⁰.
///
/// Solved on the lower tail by Newton steps on F(t) − p from the normal quantile with the
/// first two Cornish–Fisher terms (A&S 26.7.5), each kept inside a bracket that shrinks with
/// every evaluation (bisection when a step leaves it); p > ½ by symmetry.
pub fn t_quantile(p: f64, dof: f64) -> Option<f64> {
    if !(p > 0.0 && p < 1.0) || dof.is_nan() || dof <= 0.0 {
        return None;
    }
    if p > 0.5 {
        return t_quantile(1.0 - p, dof).map(|t| -t);
    }
    if p == 0.5 {
        return Some(0.0);
    }
    let z = normal_quantile(p)?;
    if dof.is_infinite() {
        return Some(z);
    }
    let z3 = z * z * z;
    let mut t = z + (z3 + z) / (4.0 * dof) + (5.0 * z3 * z * z + 16.0 * z3 + 3.0 * z) / (96.0 * dof * dof);
    if !(t < 0.0 && t.is_finite()) {
        t = z;
    }
    // Bracket [lo, hi] with F(lo) < p < F(hi); hi = 0 has F = ½ > p.
    let mut hi = 0.0_f64;
    let mut lo = t;
    while t_lower_tail(lo, dof) >= p {
        hi = lo;
        lo *= 2.0;
        if lo < -T_QUANTILE_MAX {
            return None;
        }
    }
    for _ in 0..1_000 {
        let f = t_lower_tail(t, dof) - p;
        if f == 0.0 {
            return Some(t);
        }
        if f < 0.0 {
            lo = lo.max(t);
        } else {
            hi = hi.min(t);
        }
        let mut next = t - f / ln_t_pdf(t, dof).exp();
        if !(next > lo && next < hi) {
            next = 0.5 * (lo + hi);
        }
        if (next - t).abs() <= 4.0 * f64::EPSILON * t.abs().max(next.abs())
            || (hi - lo) <= 4.0 * f64::EPSILON * lo.abs()
        {
            return Some(next);
        }
        t = next;
    }
    Some(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closed_forms() {
        // Γ(n) = (n−1)!, Γ(½) = √π.
        assert!((ln_gamma(5.0) - 24f64.ln()).abs() < 1e-14);
        assert!((ln_gamma(0.5) - PI.sqrt().ln()).abs() < 1e-14);
        assert!((ln_gamma(30.0) - (1..30).map(|i| f64::from(i).ln()).sum::<f64>()).abs() < 1e-12);
        // B(1, b) = 1/b; I_x(1, b) = 1 − (1−x)^b.
        assert!((ln_beta(1.0, 2000.0) + 2000f64.ln()).abs() < 1e-13);
        let x: f64 = 0.001;
        assert!((beta_cdf(x, 1.0, 50.0) - (1.0 - (1.0 - x).powi(50))).abs() < 1e-15);
        // Beta(1, n) quantile: 1 − (1 − p)^{1/n}.
        let q = beta_quantile(0.95, 1.0, 200.0).unwrap();
        assert!((q - (1.0 - 0.05f64.powf(1.0 / 200.0))).abs() < 1e-15);
        // t with 1 dof is Cauchy: F⁻¹(p) = tan(π(p − ½)); 2 dof: F⁻¹(p) = (2p−1)/√(2p(1−p)).
        let t1 = t_quantile(0.975, 1.0).unwrap();
        assert!((t1 / (PI * 0.475).tan() - 1.0).abs() < 1e-13);
        let p: f64 = 0.995;
        let t2 = t_quantile(p, 2.0).unwrap();
        assert!((t2 / ((2.0 * p - 1.0) / (2.0 * p * (1.0 - p)).sqrt()) - 1.0).abs() < 1e-13);
        assert!((normal_quantile(0.975).unwrap() - 1.959_963_984_540_054).abs() < 1e-14);
        // Far Cauchy tail: F⁻¹(p) = −cot(πp); beyond 10¹⁰⁰ no answer.
        for p in [1e-10, 1e-40] {
            let t = t_quantile(p, 1.0).unwrap();
            assert!((t * (PI * p).tan() + 1.0).abs() < 1e-13, "{p}: {t}");
        }
        assert!(t_quantile(1e-300, 1.0).is_none());
    }

    #[test]
    fn quantiles_invert_their_cdfs() {
        for &(a, b) in &[(0.5, 0.5), (1.0, 3.0), (7.0, 2.0), (40.0, 9961.0), (2e4, 3e4), (0.5, 5e5)] {
            for &p in &[1e-9, 0.01, 0.3, 0.5, 0.77, 0.999] {
                let x = beta_quantile(p, a, b).unwrap();
                // Plus what x's own rounding allows: the CDF's change over ±2 ulp of x.
                let ulp = 2.0 * f64::EPSILON * x;
                let slack = beta_cdf(x + ulp, a, b) - beta_cdf(x - ulp, a, b);
                let tail = p.min(1.0 - p);
                assert!((beta_cdf(x, a, b) - p).abs() <= 1e-12 * tail + slack, "a={a} b={b} p={p} x={x}");
            }
        }
        for &dof in &[0.5, 1.0, 3.0, 29.0, 1e4] {
            for &p in &[1e-6, 0.05, 0.4, 0.9, 0.995] {
                let t = t_quantile(p, dof).unwrap();
                assert!((t_cdf(t, dof) - p).abs() <= 1e-12 * p.min(1.0 - p), "dof={dof} p={p} t={t}");
            }
        }
        for &p in &[1e-250, 1e-20, 1e-3, 0.2, 0.6, 0.99] {
            let z = normal_quantile(p).unwrap();
            assert!((normal_cdf(z) - p).abs() <= 1e-13 * p.min(1.0 - p), "p={p} z={z}");
        }
    }

    #[test]
    fn domain_errors_are_none() {
        assert!(beta_quantile(f64::NAN, 1.0, 1.0).is_none());
        assert!(beta_quantile(0.5, 0.0, 1.0).is_none());
        assert!(t_quantile(1.0, 3.0).is_none());
        assert!(t_quantile(0.3, 0.0).is_none());
        assert!(normal_quantile(0.0).is_none());
        assert!(normal_quantile(f64::NAN).is_none());
    }
}
