//! Fixed-decimal float formatting for the CSV writers, giving exactly the text of Rust's
//! `format!("{x:.D}")` at a fraction of its cost.
//!
//! std formats `{:.D}` exactly: the decimal value of the binary double rounded to D places,
//! ties to even, with a `-` whenever the sign bit is set (so `-0.04` at one place is `-0.0`).
//! Here y = |x|·10^D is formed in floating point (10^D is exact for D ≤ 22), so
//! |y − |x|·10^D| ≤ ½ ulp(y). When y is farther than 4 ε·y (> 1 ulp) from the rounding
//! boundary ⌊y⌋ + ½, the exact product rounds to the same integer as y does, and that integer
//! printed with D decimals is std's text. Anything else (near a tie, |y| ≥ 2⁵², NaN, ±∞, more
//! than [`MAX_DECIMALS`] places) is handed to std itself. The test below compares both on
//! millions of values.
use std::fmt::Write as _;

/// Most decimals the fast path takes (10^9 · 2⁵² still fits a `u64` split).
const MAX_DECIMALS: usize = 9;

const POW10: [u64; MAX_DECIMALS + 1] =
    [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000];

/// Appends `x` with `decimals` places to `out`, exactly as `write!(out, "{x:.decimals$}")`.
pub(crate) fn push_fixed(out: &mut String, x: f64, decimals: usize) {
    if decimals <= MAX_DECIMALS {
        let scale = POW10[decimals];
        let y = x.abs() * scale as f64;
        if y < 4_503_599_627_370_496.0 {
            let floor = y.floor();
            // Exact: y and ⌊y⌋ are within a factor of two of each other (Sterbenz), or ⌊y⌋ = 0.
            let frac = y - floor;
            if (frac - 0.5).abs() > 4.0 * f64::EPSILON * y {
                let n = floor as u64 + u64::from(frac > 0.5);
                if x.is_sign_negative() {
                    out.push('-');
                }
                push_u64(out, n / scale);
                if decimals > 0 {
                    out.push('.');
                    let mut digits = [b'0'; MAX_DECIMALS];
                    let mut rest = n % scale;
                    for d in digits[..decimals].iter_mut().rev() {
                        *d = b'0' + (rest % 10) as u8;
                        rest /= 10;
                    }
                    // ASCII digits only.
                    out.push_str(std::str::from_utf8(&digits[..decimals]).unwrap_or_default());
                }
                return;
            }
        }
    }
    let _ = write!(out, "{x:.decimals$}");
}

/// Appends the decimal digits of `n` (as `{n}` does).
pub(crate) fn push_u64(out: &mut String, mut n: u64) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.push_str(std::str::from_utf8(&buf[i..]).unwrap_or_default());
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(x: f64, d: usize) {
        let mut s = String::new();
        push_fixed(&mut s, x, d);
        assert_eq!(s, format!("{x:.d$}"), "{x:e} at {d} places");
    }

    #[test]
    fn matches_std_on_edge_cases() {
        let edges = [
            0.0,
            -0.0,
            0.05,
            -0.04,
            0.5,
            1.5,
            2.5,
            0.125,
            0.375,
            -0.125,
            1e-300,
            -1e-300,
            f64::MIN_POSITIVE,
            5e-324,
            0.999_999_95,
            9.999_999_5,
            99.95,
            1e15,
            4.5e15,
            1e16,
            1e300,
            f64::MAX,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            123_456.789_012_345,
        ];
        for d in 0..=12 {
            for &x in &edges {
                check(x, d);
                check(-x, d);
            }
        }
    }

    #[test]
    fn matches_std_on_random_values_and_near_ties() {
        // SplitMix64: a fixed, dependency-free sequence.
        let mut state = 0x9E37_79B9_7F4A_7C15_u64;
        let mut next = || {
            state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        };
        for _ in 0..300_000 {
            let r = next();
            let d = (r % 10) as usize;
            let mag = 10f64.powi(((r >> 8) % 16) as i32 - 6);
            let x = ((next() >> 11) as f64 / (1u64 << 53) as f64 - 0.5) * mag;
            check(x, d);
            // Values at and next to decimal ties k/10^d + ½·10^-d.
            let k = (next() % 1_000_000) as f64;
            let tie = (k + 0.5) / 10f64.powi(d as i32);
            check(tie, d);
            check(f64::from_bits(tie.to_bits() + 1), d);
            check(f64::from_bits(tie.to_bits().saturating_sub(1)), d);
        }
        for n in [0u64, 7, 10, 99, 100, 12_345, u64::MAX] {
            let mut s = String::new();
            push_u64(&mut s, n);
            assert_eq!(s, n.to_string());
        }
    }
}
