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

/// Decimal digit pairs "00".."99", so digits are written two per division.
const PAIRS: &[u8; 200] = b"\
0001020304050607080910111213141516171819\
2021222324252627282930313233343536373839\
4041424344454647484950515253545556575859\
6061626364656667686970717273747576777879\
8081828384858687888990919293949596979899";

/// Longest text the fast path writes: sign, 20 integer digits, point, [`MAX_DECIMALS`] digits.
const BUF: usize = 1 + 20 + 1 + MAX_DECIMALS;

/// Writes the decimal digits of `n` ending at `buf[end]` (exclusive), returns where they start.
fn digits_into(buf: &mut [u8; BUF], mut end: usize, mut n: u64) -> usize {
    while n >= 100 {
        let pair = (n % 100) as usize * 2;
        n /= 100;
        end -= 2;
        buf[end..end + 2].copy_from_slice(&PAIRS[pair..pair + 2]);
    }
    if n >= 10 {
        let pair = n as usize * 2;
        end -= 2;
        buf[end..end + 2].copy_from_slice(&PAIRS[pair..pair + 2]);
    } else {
        end -= 1;
        buf[end] = b'0' + n as u8;
    }
    end
}

/// Appends ASCII text (digits, sign, point) to `out`. Checked as UTF-8 once per number; the
/// bytes are ASCII, so the fallback is never taken.
fn push_ascii(out: &mut String, text: &[u8]) {
    out.push_str(std::str::from_utf8(text).unwrap_or_default());
}

/// Appends `x` with `decimals` places to `out`, exactly as `write!(out, "{x:.decimals$}")`.
pub(crate) fn push_fixed(out: &mut String, x: f64, decimals: usize) {
    if decimals <= MAX_DECIMALS {
        let scale = POW10[decimals];
        let y = x.abs() * scale as f64;
        if y < 4_503_599_627_370_496.0 {
            // ⌊y⌋ for 0 ≤ y < 2⁵² (truncation is the floor of a non-negative value, and the
            // integer is exact in f64); `f64::floor` is a library call on baseline x86-64.
            let floor = (y as u64) as f64;
            // Exact: y and ⌊y⌋ are within a factor of two of each other (Sterbenz), or ⌊y⌋ = 0.
            let frac = y - floor;
            if (frac - 0.5).abs() > 4.0 * f64::EPSILON * y {
                let n = floor as u64 + u64::from(frac > 0.5);
                let mut buf = [b'0'; BUF];
                let mut start = BUF;
                if decimals > 0 {
                    let frac_start = BUF - decimals;
                    // Leading zeros of the fraction are the buffer's initial '0's.
                    let rest = n % scale;
                    if rest > 0 {
                        digits_into(&mut buf, BUF, rest);
                    }
                    buf[frac_start - 1] = b'.';
                    start = frac_start - 1;
                }
                start = digits_into(&mut buf, start, n / scale);
                if x.is_sign_negative() {
                    start -= 1;
                    buf[start] = b'-';
                }
                push_ascii(out, &buf[start..]);
                return;
            }
        }
    }
    let _ = write!(out, "{x:.decimals$}");
}

/// Appends the decimal digits of `n` (as `{n}` does).
pub(crate) fn push_u64(out: &mut String, n: u64) {
    let mut buf = [0u8; BUF];
    let start = digits_into(&mut buf, BUF, n);
    push_ascii(out, &buf[start..]);
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
