//! Typed records: the value types shared by the categories, the quantisation rules every
//! typed item follows, and [`Record`], one decoded record of any supported category.
//!
//! Quantities are SI (m, s, rad, m/s, m/s²); time of day is seconds since midnight UTC.
//! Encoding divides by the item's LSB and rounds to the nearest integer, halves away from
//! zero (`f64::round`), so a decoded value is within half an LSB of the encoded one. A value
//! outside the field's range (or NaN/∞) is an [`EncodeError`] naming the item and the value;
//! nothing wraps silently. The only exceptions are periodic quantities, documented where
//! they occur: full-circle angles (azimuth, heading, longitude) are taken modulo one turn,
//! and a time of day in [0, 86 400) s that rounds up to 86 400 s encodes as midnight (0).
//! Decoding accepts every value the bits can hold.
use crate::block::{Block, BlockBuilder};
use crate::bytes::{Reader, Writer};
use crate::error::{DecodeError, DecodeErrorKind, EncodeError};
use crate::fspec::Fspec;
use crate::{cat021::Cat021, cat034::Cat034, cat048::Cat048, cat062::Cat062};

/// One nautical mile, m (exact, ICAO Annex 5).
pub const NM: f64 = 1852.0;
/// One foot, m (exact, international foot).
pub const FT: f64 = 0.3048;
/// One flight level (100 ft of pressure altitude), m.
pub const FL: f64 = 100.0 * FT;
/// Seconds in a UTC day (ASTERIX time of day resets at midnight; leap seconds are not modelled).
pub const DAY_S: f64 = 86_400.0;
const DEG: f64 = std::f64::consts::PI / 180.0;

/// A category's typed record: the glue for block decoding and the [`Record`] enum.
pub trait CategoryRecord: Sized {
    /// The ASTERIX category number.
    const CATEGORY: u8;
    /// Decodes one record (FSPEC and items) from `r`.
    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError>;
    /// Appends the record's bytes to `out`; on error `out` is left as it was.
    fn encode(&self, out: &mut Vec<u8>) -> Result<(), EncodeError>;
}

/// A category's typed items, decoded by the one FSPEC loop that all four categories share
/// ([`decode_typed`]).
pub(crate) trait TypedItems: CategoryRecord + Default {
    /// Decodes the item at `frn` into `self`. `false` when the category does not model it:
    /// the loop then skips it by its declared layout, or rejects an FRN the UAP leaves undefined.
    fn item(&mut self, frn: usize, r: &mut Reader<'_>) -> Result<bool, DecodeError>;

    /// The highest FRN that [`TypedItems::item`] models (at most [`UNROLLED`]): records whose
    /// items all lie at or below it take the unrolled walk.
    const LAST_MODELLED: usize;
}

/// How many FSPEC slots the unrolled walk of [`decode_items`] covers.
const UNROLLED: usize = 32;

/// Decodes one record of `T`'s category: the FSPEC, then each present item in UAP order.
///
/// Written for speed, as it runs once per record of every typed decode: the reader is worked
/// on as a local copy (its position stays in registers), the record is built inside the
/// returned `Result` (no copy of it on return), and the FRNs below 64 (all that the four
/// categories model) are walked as one 64-bit word.
#[inline(always)]
pub(crate) fn decode_typed<T: TypedItems>(r: &mut Reader<'_>) -> Result<T, DecodeError> {
    let mut rd = r.clone();
    let mut out = Ok(T::default());
    if let Err(e) = decode_items(&mut out, &mut rd) {
        out = Err(e);
    }
    *r = rd;
    out
}

#[inline(always)]
fn decode_items<T: TypedItems>(out: &mut Result<T, DecodeError>, r: &mut Reader<'_>) -> Result<(), DecodeError> {
    let Ok(m) = out else { return Ok(()) };
    let start = r.offset();
    let fspec = Fspec::read(r)?;
    if fspec.is_empty() {
        return Err(DecodeError::new(start, DecodeErrorKind::EmptyRecord { category: T::CATEGORY }));
    }
    const { assert!(T::LAST_MODELLED >= 1 && T::LAST_MODELLED <= UNROLLED) };
    let (mut near, far) = fspec.halves();
    if far == 0 && near >> T::LAST_MODELLED == 0 {
        // The usual record: one test per slot, each calling `item` with a constant FRN, so that
        // its `match` folds away (no indirect jump per item).
        macro_rules! slots {
            ($($frn:literal)*) => {$(
                if $frn <= T::LAST_MODELLED && near >> ($frn - 1) & 1 == 1 && !m.item($frn, r)? {
                    skip_item(T::CATEGORY, $frn, r)?;
                }
            )*};
        }
        slots!(1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31 32);
        return Ok(());
    }
    while near != 0 {
        let frn = near.trailing_zeros() as usize + 1;
        near &= near - 1;
        if !m.item(frn, r)? {
            skip_item(T::CATEGORY, frn, r)?;
        }
    }
    if far != 0 {
        let (rest, res) = decode_far(m, far, r.clone());
        *r = rest;
        res?;
    }
    Ok(())
}

/// [`crate::layout::skip_item`] on a copy of the reader, handed back whatever the outcome, so
/// that the caller's reader never has its address taken and stays in registers.
#[inline(always)]
fn skip_item(category: u8, frn: usize, r: &mut Reader<'_>) -> Result<(), DecodeError> {
    let (rest, res) = skip_item_by_value(category, frn, r.clone());
    *r = rest;
    res
}

#[inline(never)]
fn skip_item_by_value(category: u8, frn: usize, mut r: Reader<'_>) -> (Reader<'_>, Result<(), DecodeError>) {
    let res = crate::layout::skip_item(category, frn, &mut r);
    (r, res)
}

/// The items at FRN 64 and above (none is modelled today; kept general and out of line).
#[inline(never)]
fn decode_far<'a, T: TypedItems>(m: &mut T, far: u64, mut r: Reader<'a>) -> (Reader<'a>, Result<(), DecodeError>) {
    let res = decode_far_items(m, far, &mut r);
    (r, res)
}

fn decode_far_items<T: TypedItems>(m: &mut T, mut far: u64, r: &mut Reader<'_>) -> Result<(), DecodeError> {
    while far != 0 {
        let frn = far.trailing_zeros() as usize + 64;
        far &= far - 1;
        if !m.item(frn, r)? {
            crate::layout::skip_item(T::CATEGORY, frn, r)?;
        }
    }
    Ok(())
}

/// Decodes every record of a data block of `T`'s category.
pub fn decode_records<T: CategoryRecord>(block: &Block<'_>) -> Result<Vec<T>, DecodeError> {
    if block.category != T::CATEGORY {
        return Err(DecodeError::new(block.offset, DecodeErrorKind::UnsupportedCategory(block.category)));
    }
    let mut r = block.reader();
    let mut out = Vec::with_capacity(block.body.len() / 16 + 1);
    while !r.is_empty() {
        out.push(T::decode(&mut r)?);
    }
    Ok(out)
}

/// Encodes records into data blocks of at most `max_len` octets each (see [`BlockBuilder`]).
pub fn encode_blocks<T: CategoryRecord>(records: &[T], max_len: usize) -> Result<Vec<Vec<u8>>, EncodeError> {
    let mut b = BlockBuilder::with_max_len(T::CATEGORY, max_len);
    let mut buf = Vec::with_capacity(64);
    for rec in records {
        buf.clear();
        rec.encode(&mut buf)?;
        if !b.push(&buf) {
            return Err(EncodeError {
                category: T::CATEGORY,
                item: "record",
                reason: format!("{} octets do not fit in a data block", buf.len()),
            });
        }
    }
    Ok(b.finish())
}

/// Appends a record of `category`: its FSPEC, then what `items` writes. On error `out` is left
/// as it was; a record with no item is an error (ASTERIX has no empty record).
pub(crate) fn encode_record(
    out: &mut Vec<u8>,
    category: u8,
    fspec: Fspec,
    items: impl FnOnce(&mut Vec<u8>) -> Result<(), EncodeError>,
) -> Result<(), EncodeError> {
    if fspec.is_empty() {
        return Err(EncodeError { category, item: "record", reason: "no item present".into() });
    }
    let start = out.len();
    fspec.write(out);
    let res = items(out);
    if res.is_err() {
        out.truncate(start);
    }
    res
}

/// One record of any supported category.
#[derive(Clone, Debug, PartialEq)]
#[allow(clippy::large_enum_variant, reason = "boxing would allocate once per decoded record")]
pub enum Record {
    Cat021(Cat021),
    Cat034(Cat034),
    Cat048(Cat048),
    Cat062(Cat062),
}

impl Record {
    pub fn category(&self) -> u8 {
        match self {
            Record::Cat021(_) => Cat021::CATEGORY,
            Record::Cat034(_) => Cat034::CATEGORY,
            Record::Cat048(_) => Cat048::CATEGORY,
            Record::Cat062(_) => Cat062::CATEGORY,
        }
    }

    /// Decodes one record of `category`.
    pub fn decode(category: u8, r: &mut Reader<'_>) -> Result<Record, DecodeError> {
        Ok(match category {
            Cat021::CATEGORY => Record::Cat021(Cat021::decode(r)?),
            Cat034::CATEGORY => Record::Cat034(Cat034::decode(r)?),
            Cat048::CATEGORY => Record::Cat048(Cat048::decode(r)?),
            Cat062::CATEGORY => Record::Cat062(Cat062::decode(r)?),
            c => return Err(r.error(DecodeErrorKind::UnsupportedCategory(c))),
        })
    }

    /// Appends the record's bytes (no block header) to `out`.
    pub fn encode(&self, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        match self {
            Record::Cat021(x) => x.encode(out),
            Record::Cat034(x) => x.encode(out),
            Record::Cat048(x) => x.encode(out),
            Record::Cat062(x) => x.encode(out),
        }
    }
}

/// Decodes every record of one data block of any supported category.
pub fn decode_block(block: &Block<'_>) -> Result<Vec<Record>, DecodeError> {
    let mut r = block.reader();
    let mut out = Vec::new();
    while !r.is_empty() {
        out.push(Record::decode(block.category, &mut r)?);
    }
    Ok(out)
}

/// Decodes every record of every data block in `data` (e.g. one UDP datagram or a file).
pub fn decode_all(data: &[u8]) -> Result<Vec<Record>, DecodeError> {
    let mut out = Vec::new();
    for block in crate::block::blocks(data) {
        out.extend(decode_block(&block?)?);
    }
    Ok(out)
}

/// Data source identifier (items 010 of every category): system area and identification codes.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct DataSource {
    pub sac: u8,
    pub sic: u8,
}

impl DataSource {
    #[inline]
    pub(crate) fn read(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let b = r.take(2)?;
        Ok(DataSource { sac: b[0], sic: b[1] })
    }

    #[inline]
    pub(crate) fn write(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&[self.sac, self.sic]);
    }
}

/// A pair of Cartesian components in SI units (m, m/s or m/s² as the field says).
#[derive(Copy, Clone, Debug, Default, PartialEq)]
pub struct Xy {
    pub x: f64,
    pub y: f64,
}

/// A WGS-84 latitude and longitude, rad.
#[derive(Copy, Clone, Debug, Default, PartialEq)]
pub struct LatLon {
    pub lat: f64,
    pub lon: f64,
}

/// An 8-character identification (callsign or registration) in the ICAO 6-bit alphabet
/// (ICAO Annex 10 Vol. IV, Table 3-9): A–Z, 0–9 and space, space-padded on the right.
#[derive(Copy, Clone, PartialEq, Eq, Hash)]
pub struct Callsign([u8; 8]);

/// ASCII of each 6-bit code; 0 marks a code outside the alphabet.
const ICAO_CHARS: [u8; 64] = {
    let mut t = [0u8; 64];
    let mut i = 1;
    while i <= 26 {
        t[i] = b'A' + (i as u8 - 1);
        i += 1;
    }
    t[32] = b' ';
    let mut d = 0;
    while d < 10 {
        t[48 + d] = b'0' + d as u8;
        d += 1;
    }
    t
};

/// [`ICAO_CHARS`] with a space for each code outside the alphabet: what [`Callsign::read`]
/// shows for it, without a branch per character.
const ICAO_READ: [u8; 64] = {
    let mut t = ICAO_CHARS;
    let mut i = 0;
    while i < 64 {
        if t[i] == 0 {
            t[i] = b' ';
        }
        i += 1;
    }
    t
};

impl Callsign {
    /// Up to 8 characters of A–Z, 0–9 and space (padded with spaces); `None` otherwise.
    pub fn new(s: &str) -> Option<Callsign> {
        if s.len() > 8 {
            return None;
        }
        let mut c = [b' '; 8];
        for (dst, ch) in c.iter_mut().zip(s.bytes()) {
            if !(ch.is_ascii_uppercase() || ch.is_ascii_digit() || ch == b' ') {
                return None;
            }
            *dst = ch;
        }
        Some(Callsign(c))
    }

    /// The characters without the trailing padding.
    pub fn as_str(&self) -> &str {
        let end = self.0.iter().rposition(|&c| c != b' ').map_or(0, |i| i + 1);
        std::str::from_utf8(&self.0[..end]).unwrap_or_default()
    }

    /// All 8 characters, padding included.
    pub fn as_bytes(&self) -> &[u8; 8] {
        &self.0
    }

    /// Reads 6 octets of 6-bit ICAO characters. A code outside the ICAO set (recorded data
    /// holds code 0 for unused characters) reads as a space, as Wireshark shows it: a strange
    /// character in an identification is no reason to lose the whole record.
    #[inline(always)]
    pub(crate) fn read(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let [b0, b1, b2, b3, b4, b5] = r.array()?;
        let v = u64::from_be_bytes([0, 0, b0, b1, b2, b3, b4, b5]);
        Ok(Callsign(std::array::from_fn(|i| ICAO_READ[(v >> (42 - 6 * i)) as usize & 0x3F])))
    }

    #[inline]
    pub(crate) fn write(&self, out: &mut Vec<u8>) {
        let mut v = 0u64;
        for &ch in &self.0 {
            // The constructor admits only A–Z, 0–9 and space, whose 6-bit code is their low six
            // ASCII bits.
            v = v << 6 | u64::from(ch & 0x3F);
        }
        out.extend_from_slice(&v.to_be_bytes()[2..]);
    }
}

impl std::fmt::Debug for Callsign {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Callsign({:?})", self.as_str())
    }
}

impl std::fmt::Display for Callsign {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One quantised bit field: SI value = raw × `lsb`, raw in `min..=max`.
#[derive(Copy, Clone, Debug)]
pub(crate) struct Field {
    pub cat: u8,
    pub item: &'static str,
    pub lsb: f64,
    pub min: i64,
    pub max: i64,
    pub unit: &'static str,
}

impl Field {
    pub const fn new(cat: u8, item: &'static str, lsb: f64, min: i64, max: i64, unit: &'static str) -> Field {
        Field { cat, item, lsb, min, max, unit }
    }

    /// An unsigned field of `bits` bits.
    pub const fn unsigned(cat: u8, item: &'static str, lsb: f64, bits: u32, unit: &'static str) -> Field {
        Field::new(cat, item, lsb, 0, (1i64 << bits) - 1, unit)
    }

    /// A two's-complement field of `bits` bits.
    pub const fn signed(cat: u8, item: &'static str, lsb: f64, bits: u32, unit: &'static str) -> Field {
        Field::new(cat, item, lsb, -(1i64 << (bits - 1)), (1i64 << (bits - 1)) - 1, unit)
    }

    /// The SI value of a raw field value.
    #[inline]
    pub fn value(&self, raw: i64) -> f64 {
        raw as f64 * self.lsb
    }

    /// The raw value nearest `v`, or an error when it falls outside the field (or `v` is NaN).
    #[inline]
    pub fn raw(&self, v: f64) -> Result<i64, EncodeError> {
        let x = v / self.lsb;
        // In range exactly when round-half-away-from-zero(x) is in min..=max.
        if x > self.min as f64 - 0.5 && x < self.max as f64 + 0.5 {
            Ok(round_half_away(x))
        } else {
            Err(self.out_of_range(v))
        }
    }

    /// [`Field::raw`] for a field that spans exactly one period (a full-circle angle): `v`
    /// is reduced modulo the period first, so only NaN/∞ fail.
    #[inline]
    pub fn raw_periodic(&self, v: f64) -> Result<i64, EncodeError> {
        if !v.is_finite() {
            return Err(self.out_of_range(v));
        }
        let span = self.max - self.min + 1;
        let mut x = v / self.lsb;
        if x.abs() >= 1e15 {
            x = x.rem_euclid(span as f64);
        }
        Ok((round_half_away(x) - self.min).rem_euclid(span) + self.min)
    }

    /// A time of day: `v` must lie in [0, 86 400) s; a value that rounds to 86 400 s is
    /// midnight (raw 0).
    #[inline]
    pub fn raw_time_of_day(&self, v: f64) -> Result<i64, EncodeError> {
        if !(0.0..DAY_S).contains(&v) {
            return Err(self.out_of_range(v));
        }
        let day = round_half_away(DAY_S / self.lsb);
        Ok(self.raw(v)? % day)
    }

    /// Raw value masked to `bits` bits (two's complement for negative values).
    #[inline]
    pub fn bits(&self, v: f64, bits: u32) -> Result<u64, EncodeError> {
        Ok(self.raw(v)? as u64 & ((1u64 << bits) - 1))
    }

    fn out_of_range(&self, v: f64) -> EncodeError {
        EncodeError {
            category: self.cat,
            item: self.item,
            reason: format!(
                "{v} {} is outside the field's range {}..={} {}",
                self.unit,
                self.value(self.min),
                self.value(self.max),
                self.unit
            ),
        }
    }
}

/// `x` rounded to the nearest integer, halves away from zero (as `f64::round`), for
/// |x| < 2⁶²; done with truncating conversion because `f64::round` is a libm call on
/// baseline x86-64.
#[inline]
fn round_half_away(x: f64) -> i64 {
    let t = x as i64;
    let f = x - t as f64;
    t + i64::from(f >= 0.5) - i64::from(f <= -0.5)
}

/// Degrees → rad, for field definitions.
pub(crate) const fn deg(d: f64) -> f64 {
    d * DEG
}

/// An error for a table or integer value that does not fit its bits.
pub(crate) fn too_big(cat: u8, item: &'static str, what: &str, v: u64, max: u64) -> EncodeError {
    EncodeError { category: cat, item, reason: format!("{what} = {v} exceeds its maximum {max}") }
}

/// Checks an integer or table value against its field width.
#[inline]
pub(crate) fn check(cat: u8, item: &'static str, what: &str, v: u64, max: u64) -> Result<u64, EncodeError> {
    if v <= max { Ok(v) } else { Err(too_big(cat, item, what, v, max)) }
}

/// Reads an extended (FX-chained) item of at most `N` octets; returns the octets with the FX
/// bits cleared (absent extensions are zero).
#[inline(always)]
pub(crate) fn read_extended<const N: usize>(
    r: &mut Reader<'_>,
    cat: u8,
    item: &'static str,
) -> Result<[u8; N], DecodeError> {
    let mut o = [0u8; N];
    for (i, slot) in o.iter_mut().enumerate() {
        let b = r.u8()?;
        *slot = b & 0xFE;
        if b & 1 == 0 {
            return Ok(o);
        }
        if i + 1 == N {
            break;
        }
    }
    Err(fx_past_end(r.offset(), cat, item, N))
}

#[cold]
fn fx_past_end(offset: usize, cat: u8, item: &'static str, n: usize) -> DecodeError {
    DecodeError::new(
        offset,
        DecodeErrorKind::InvalidItem {
            category: cat,
            item,
            reason: format!("FX set in octet {n}, the last one the edition defines"),
        },
    )
}

/// Writes an extended item: the octets up to the last non-zero one (at least the first),
/// with FX set on all but the last written. `o` holds payload bits only (bit 1 clear).
#[inline]
pub(crate) fn write_extended(out: &mut Vec<u8>, o: &[u8]) {
    let n = o.iter().rposition(|&b| b != 0).map_or(1, |i| i + 1);
    for (i, &b) in o[..n].iter().enumerate() {
        out.push(b | u8::from(i + 1 < n));
    }
}

/// Reads the primary subfield of a compound item with `n` defined subfields.
#[inline(always)]
pub(crate) fn read_compound(r: &mut Reader<'_>, cat: u8, item: &'static str, n: usize) -> Result<Fspec, DecodeError> {
    let at = r.offset();
    let f = Fspec::read(r)?;
    if f.last() > n {
        return Err(undefined_subfield(at, cat, item, f.last(), n));
    }
    Ok(f)
}

#[cold]
fn undefined_subfield(at: usize, cat: u8, item: &'static str, last: usize, n: usize) -> DecodeError {
    DecodeError::new(
        at,
        DecodeErrorKind::InvalidItem {
            category: cat,
            item,
            reason: format!("subfield {last} is not defined (the item has {n})"),
        },
    )
}

/// The FSPEC (or compound primary subfield) marking each `(frn, present)` pair.
#[inline]
pub(crate) fn fspec_of(present: &[(usize, bool)]) -> Fspec {
    let mut f = Fspec::empty();
    for &(frn, p) in present {
        if p {
            f.set(frn);
        }
    }
    f
}

/// An optional value of a compound subfield.
#[inline]
pub(crate) fn opt<T>(present: bool, f: impl FnOnce() -> Result<T, DecodeError>) -> Result<Option<T>, DecodeError> {
    if present { f().map(Some) } else { Ok(None) }
}

/// Reads an octal Mode code item: the 12-bit code and its three flag bits (most significant
/// first), the counterpart of [`write_mode_code`].
#[inline(always)]
pub(crate) fn read_mode_code(r: &mut Reader<'_>) -> Result<(u16, [bool; 3]), DecodeError> {
    let v = r.u16()?;
    Ok((v & 0o7777, [v & 0x8000 != 0, v & 0x4000 != 0, v & 0x2000 != 0]))
}

/// Writes an octal Mode code item: three flag bits, a spare bit, the 12-bit code.
#[inline]
pub(crate) fn write_mode_code(
    out: &mut Vec<u8>,
    cat: u8,
    item: &'static str,
    flags: [bool; 3],
    code: u16,
) -> Result<(), EncodeError> {
    let code = check(cat, item, "code (octal 0o0000..=0o7777)", u64::from(code), 0o7777)? as u16;
    let f = u16::from(flags[0]) << 15 | u16::from(flags[1]) << 14 | u16::from(flags[2]) << 13;
    out.put_u16(f | code);
    Ok(())
}

/// Bit `n` (0 = least significant) of `b`.
#[inline]
pub(crate) fn bit(b: u8, n: u32) -> bool {
    b >> n & 1 == 1
}

/// `v` as bit `n`.
#[inline]
pub(crate) fn put(v: bool, n: u32) -> u8 {
    u8::from(v) << n
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn callsign_alphabet() {
        let c = Callsign::new("AF123").unwrap();
        assert_eq!(c.as_str(), "AF123");
        assert_eq!(c.as_bytes(), b"AF123   ");
        assert!(Callsign::new("af1").is_none());
        assert!(Callsign::new("ABCDEFGHI").is_none());
        assert!(Callsign::new("A-B").is_none());
        let mut v = Vec::new();
        c.write(&mut v);
        assert_eq!(Callsign::read(&mut Reader::new(&v)).unwrap(), c);
        // 6-bit code 0 is outside the alphabet: read as a space, as Wireshark shows it.
        assert_eq!(Callsign::read(&mut Reader::new(&[0; 6])).unwrap().as_bytes(), b"        ");
    }

    #[test]
    fn field_rounding_and_range() {
        let f = Field::unsigned(48, "t", 0.5, 8, "m");
        assert_eq!(f.raw(0.74).unwrap(), 1);
        assert_eq!(f.raw(0.75).unwrap(), 2); // half away from zero
        assert_eq!(f.raw(127.7).unwrap(), 255);
        assert!(f.raw(127.8).is_err());
        assert_eq!(f.raw(-0.2).unwrap(), 0); // -0.4 LSB rounds to 0
        assert!(f.raw(-0.3).is_err()); // -0.6 LSB rounds to -1
        assert!(f.raw(f64::NAN).is_err());
        for (x, r) in
            [(0.5, 1), (-0.5, -1), (2.5, 3), (-2.5, -3), (2.4999, 2), (-0.49, 0), (1e15 + 1.0, 1_000_000_000_000_001)]
        {
            assert_eq!(round_half_away(x), r, "{x}");
            assert_eq!(x.round() as i64, r, "{x}");
        }
        assert!(f.raw(-0.25).is_err(), "-0.5 LSB rounds away to -1");
        let s = Field::signed(48, "s", 1.0, 8, "m");
        assert!(s.raw(-128.5).is_err() && s.raw(127.5).is_err());
        assert_eq!(s.raw(-128.49).unwrap(), -128);
        assert_eq!(s.bits(-1.0, 8).unwrap(), 0xFF);
        assert!(s.raw(128.0).is_err());
        let a = Field::unsigned(48, "a", 1.0, 8, "rad");
        assert_eq!(a.raw_periodic(256.0).unwrap(), 0);
        assert_eq!(a.raw_periodic(-1.0).unwrap(), 255);
        assert!(a.raw_periodic(f64::INFINITY).is_err());
        let t = Field::unsigned(48, "t", 1.0 / 128.0, 24, "s");
        assert_eq!(t.raw_time_of_day(86_399.999).unwrap(), 0);
        assert!(t.raw_time_of_day(86_400.0).is_err());
        assert!(t.raw_time_of_day(-0.001).is_err());
    }

    #[test]
    fn extended_octets() {
        let mut v = Vec::new();
        write_extended(&mut v, &[0x20, 0, 0]);
        assert_eq!(v, [0x20]);
        v.clear();
        write_extended(&mut v, &[0, 0, 0x40]);
        assert_eq!(v, [0x01, 0x01, 0x40]);
        let o: [u8; 3] = read_extended(&mut Reader::new(&v), 48, "x").unwrap();
        assert_eq!(o, [0, 0, 0x40]);
        assert!(read_extended::<2>(&mut Reader::new(&v), 48, "x").is_err());
    }
}
