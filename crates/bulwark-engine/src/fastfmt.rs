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
//! millions of values; `benches/fastfmt.rs` times both (`cargo bench -p bulwark-engine --bench fastfmt`).
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
#[inline]
fn digits_into(buf: &mut [u8], mut end: usize, mut n: u64) -> usize {
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

/// Writes the decimal digits of `n` from `buf[at]` on, returns where they end.
#[inline]
fn digits_from(buf: &mut [u8], at: usize, n: u64) -> usize {
    let end = at + n.checked_ilog10().map_or(1, |l| l as usize + 1);
    digits_into(buf, end, n);
    end
}

/// Writes `x` with `decimals` places from `buf[at]` on (at least [`BUF`] bytes free there),
/// exactly as `{x:.decimals$}`, and returns where the text ends; `None` (nothing written) when
/// the fast path cannot tell std's rounding (see the module documentation).
#[inline]
fn fixed_from(buf: &mut [u8], at: usize, x: f64, decimals: usize) -> Option<usize> {
    if decimals > MAX_DECIMALS {
        return None;
    }
    let scale = POW10[decimals];
    let y = x.abs() * scale as f64;
    if y >= 4_503_599_627_370_496.0 || y.is_nan() {
        return None;
    }
    // ⌊y⌋ for 0 ≤ y < 2⁵² (truncation is the floor of a non-negative value, and the integer
    // is exact in f64); `f64::floor` is a library call on baseline x86-64, and a signed
    // conversion one instruction where an unsigned one is several.
    let whole = y as i64;
    // Exact: y and ⌊y⌋ are within a factor of two of each other (Sterbenz), or ⌊y⌋ = 0.
    let frac = y - whole as f64;
    if (frac - 0.5).abs() <= 4.0 * f64::EPSILON * y {
        return None;
    }
    let n = whole as u64 + u64::from(frac > 0.5);
    let mut end = at;
    if x.is_sign_negative() {
        buf[end] = b'-';
        end += 1;
    }
    end = digits_from(buf, end, n / scale);
    if decimals > 0 {
        buf[end] = b'.';
        // Leading zeros of the fraction, then its digits over them.
        let frac_end = end + 1 + decimals;
        buf[end + 1..frac_end].fill(b'0');
        let rest = n % scale;
        if rest > 0 {
            digits_into(buf, frac_end, rest);
        }
        end = frac_end;
    }
    Some(end)
}

/// Appends ASCII text (digits, sign, point) to `out`. Checked as UTF-8 once per number; the
/// bytes are ASCII, so the fallback is never taken.
fn push_ascii(out: &mut String, text: &[u8]) {
    out.push_str(std::str::from_utf8(text).unwrap_or_default());
}

/// Appends `x` with `decimals` places to `out`, exactly as `write!(out, "{x:.decimals$}")`.
pub fn push_fixed(out: &mut String, x: f64, decimals: usize) {
    let mut buf = [0u8; BUF];
    match fixed_from(&mut buf, 0, x, decimals) {
        Some(end) => push_ascii(out, &buf[..end]),
        None => {
            let _ = write!(out, "{x:.decimals$}");
        }
    }
}

/// Appends the decimal digits of `n` (as `{n}` does).
pub fn push_u64(out: &mut String, n: u64) {
    let mut buf = [0u8; BUF];
    let end = digits_from(&mut buf, 0, n);
    push_ascii(out, &buf[..end]);
}

/// Appends the decimal digits of `n` (as `{n}` does) to bytes.
pub(crate) fn push_u64_bytes(out: &mut Vec<u8>, n: u64) {
    let mut buf = [0u8; BUF];
    let end = digits_from(&mut buf, 0, n);
    out.extend_from_slice(&buf[..end]);
}

/// Bytes a [`Row`] gathers before it empties them into its string.
const ROW: usize = 256;

/// One CSV row (or part of one) built on the stack and appended to its string in one piece:
/// one UTF-8 check and one copy per row instead of one per number, the largest part of
/// formatting a `tracks.csv` row. The text is exactly that of [`push_fixed`], [`push_u64`] and
/// `push_str` called in the same order; what is left is appended when the row is dropped.
pub struct Row<'a> {
    out: &'a mut String,
    buf: [u8; ROW],
    len: usize,
}

impl<'a> Row<'a> {
    /// A row appended to `out`.
    pub fn new(out: &'a mut String) -> Self {
        Row { out, buf: [0; ROW], len: 0 }
    }

    /// Empties the gathered bytes into the string. They are whole `str`s and ASCII numbers,
    /// so valid UTF-8 and the fallback is never taken.
    fn flush(&mut self) {
        self.out.push_str(std::str::from_utf8(&self.buf[..self.len]).unwrap_or_default());
        self.len = 0;
    }

    /// Room for `n` more bytes, emptying the buffer if needed.
    #[inline]
    fn room(&mut self, n: usize) {
        if self.len + n > ROW {
            self.flush();
        }
    }

    /// `x` with `decimals` places, as [`push_fixed`].
    #[inline]
    pub fn fixed(&mut self, x: f64, decimals: usize) -> &mut Self {
        self.room(BUF);
        match fixed_from(&mut self.buf, self.len, x, decimals) {
            Some(end) => self.len = end,
            None => {
                self.flush();
                push_fixed(self.out, x, decimals);
            }
        }
        self
    }

    /// The decimal digits of `n`, as [`push_u64`].
    #[inline]
    pub fn u64(&mut self, n: u64) -> &mut Self {
        self.room(BUF);
        self.len = digits_from(&mut self.buf, self.len, n);
        self
    }

    /// `s` as it is.
    #[inline]
    pub fn str(&mut self, s: &str) -> &mut Self {
        if s.len() > ROW {
            self.flush();
            self.out.push_str(s);
        } else {
            self.room(s.len());
            self.buf[self.len..self.len + s.len()].copy_from_slice(s.as_bytes());
            self.len += s.len();
        }
        self
    }

    /// One ASCII byte (a separator).
    #[inline]
    pub fn byte(&mut self, b: u8) -> &mut Self {
        debug_assert!(b.is_ascii());
        self.room(1);
        self.buf[self.len] = b;
        self.len += 1;
        self
    }
}

/// A row appends what is left when it goes out of scope.
impl Drop for Row<'_> {
    fn drop(&mut self) {
        self.flush();
    }
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
    #[test]
    fn a_row_is_the_text_of_std_formatting_in_the_same_order() {
        // Oracle: std's `{x:.d$}`, `{n}` and the strings themselves, appended one by one.
        // Rows of up to 60 items overflow the 256-byte buffer, so it is emptied mid-row; NaN,
        // infinities and > 9 places take std's path inside a row; a 300-byte string bypasses it.
        let mut state = 0x2545_F491_4F6C_DD1D_u64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let long = "x".repeat(300);
        for _ in 0..20_000 {
            let (mut fast, mut std) = (String::from("head,"), String::from("head,"));
            {
                let mut row = Row::new(&mut fast);
                for _ in 0..next() % 60 {
                    let r = next();
                    match r % 5 {
                        0 | 1 => {
                            let d = (r >> 8) as usize % 12;
                            let x = match (r >> 16) % 16 {
                                0 => f64::NAN,
                                1 => f64::NEG_INFINITY,
                                2 => -0.0,
                                k => (next() as i64 as f64) * 10f64.powi(k as i32 - 28),
                            };
                            row.fixed(x, d);
                            std.push_str(&format!("{x:.d$}"));
                        }
                        2 => {
                            let n = next() >> (r % 64);
                            row.u64(n);
                            std.push_str(&n.to_string());
                        }
                        3 => {
                            let s = if r.is_multiple_of(97) {
                                long.as_str()
                            } else {
                                ["tentative", "hostile", "Zürich", ""][(r >> 8) as usize % 4]
                            };
                            row.str(s);
                            std.push_str(s);
                        }
                        _ => {
                            row.byte(b',');
                            std.push(',');
                        }
                    }
                }
            }
            assert_eq!(fast, std);
        }
    }
}
