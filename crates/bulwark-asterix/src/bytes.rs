//! Big-endian byte reading and writing with offsets for error messages.
use crate::error::{DecodeError, DecodeErrorKind};

/// A cursor over a byte slice. `base` is the absolute offset of `data[0]` in the caller's
/// buffer, so that errors point into the whole file or datagram.
///
/// It keeps the unread bytes as a slice of their own, so that each read is one length test
/// and a fixed-size load once inlined; the error is built out of line (decoding spends its
/// time on the success path).
#[derive(Clone, Debug)]
pub struct Reader<'a> {
    data: &'a [u8],
    rest: &'a [u8],
    base: usize,
}

impl<'a> Reader<'a> {
    pub fn new(data: &'a [u8]) -> Self {
        Reader { data, rest: data, base: 0 }
    }

    /// A reader whose offsets count from `base`.
    pub fn with_base(data: &'a [u8], base: usize) -> Self {
        Reader { data, rest: data, base }
    }

    /// Absolute offset of the next byte.
    #[inline]
    pub fn offset(&self) -> usize {
        self.base + self.pos()
    }

    /// Position within this reader's slice.
    #[inline]
    pub fn pos(&self) -> usize {
        self.data.len() - self.rest.len()
    }

    #[inline]
    pub fn remaining(&self) -> usize {
        self.rest.len()
    }

    #[inline]
    pub fn is_empty(&self) -> bool {
        self.rest.is_empty()
    }

    /// The bytes not yet read.
    #[inline]
    pub fn rest(&self) -> &'a [u8] {
        self.rest
    }

    /// An error at the current offset.
    #[inline(always)]
    pub fn error(&self, kind: DecodeErrorKind) -> DecodeError {
        error_at(self.offset(), kind)
    }

    #[inline(always)]
    fn truncated(&self, needed: usize) -> DecodeError {
        error_at(self.offset(), DecodeErrorKind::Truncated { needed, available: self.remaining() })
    }

    /// The next `n` bytes, or a `Truncated` error (nothing consumed).
    #[inline(always)]
    pub fn take(&mut self, n: usize) -> Result<&'a [u8], DecodeError> {
        match self.rest.split_at_checked(n) {
            Some((head, tail)) => {
                self.rest = tail;
                Ok(head)
            }
            None => Err(self.truncated(n)),
        }
    }

    /// The next `N` bytes as an array, or a `Truncated` error (nothing consumed).
    #[inline(always)]
    pub fn array<const N: usize>(&mut self) -> Result<[u8; N], DecodeError> {
        match self.rest.split_first_chunk::<N>() {
            Some((head, tail)) => {
                self.rest = tail;
                Ok(*head)
            }
            None => Err(self.truncated(N)),
        }
    }

    /// Skips `n` bytes.
    #[inline]
    pub fn skip(&mut self, n: usize) -> Result<(), DecodeError> {
        self.take(n).map(|_| ())
    }

    /// The next byte without consuming it.
    #[inline]
    pub fn peek_u8(&self) -> Result<u8, DecodeError> {
        match self.rest.first() {
            Some(&b) => Ok(b),
            None => Err(self.truncated(1)),
        }
    }

    #[inline(always)]
    pub fn u8(&mut self) -> Result<u8, DecodeError> {
        match self.rest.split_first() {
            Some((&b, tail)) => {
                self.rest = tail;
                Ok(b)
            }
            None => Err(self.truncated(1)),
        }
    }

    #[inline(always)]
    pub fn u16(&mut self) -> Result<u16, DecodeError> {
        self.array().map(u16::from_be_bytes)
    }

    #[inline(always)]
    pub fn u24(&mut self) -> Result<u32, DecodeError> {
        self.array::<3>().map(|[a, b, c]| u32::from_be_bytes([0, a, b, c]))
    }

    #[inline(always)]
    pub fn u32(&mut self) -> Result<u32, DecodeError> {
        self.array().map(u32::from_be_bytes)
    }

    #[inline(always)]
    pub fn i16(&mut self) -> Result<i16, DecodeError> {
        self.array().map(i16::from_be_bytes)
    }

    /// A 24-bit two's-complement integer.
    #[inline(always)]
    pub fn i24(&mut self) -> Result<i32, DecodeError> {
        Ok(sign_extend(self.u24()? as u64, 24) as i32)
    }

    #[inline(always)]
    pub fn i32(&mut self) -> Result<i32, DecodeError> {
        self.array().map(i32::from_be_bytes)
    }
}

/// The error, built out of line and from values only: a reader whose address reached a call
/// could not be kept in registers by the decoders that inline it.
#[cold]
#[inline(never)]
fn error_at(offset: usize, kind: DecodeErrorKind) -> DecodeError {
    DecodeError::new(offset, kind)
}

/// Sign-extends the low `bits` bits of `v` (1 ≤ bits ≤ 64).
#[inline]
pub fn sign_extend(v: u64, bits: u32) -> i64 {
    let shift = 64 - bits;
    ((v << shift) as i64) >> shift
}

/// Big-endian writing helpers on a byte vector.
pub trait Writer {
    fn put_u8(&mut self, v: u8);
    fn put_u16(&mut self, v: u16);
    fn put_u24(&mut self, v: u32);
    fn put_u32(&mut self, v: u32);
}

impl Writer for Vec<u8> {
    #[inline]
    fn put_u8(&mut self, v: u8) {
        self.push(v);
    }
    #[inline]
    fn put_u16(&mut self, v: u16) {
        self.extend_from_slice(&v.to_be_bytes());
    }
    /// The low 24 bits of `v`.
    #[inline]
    fn put_u24(&mut self, v: u32) {
        self.extend_from_slice(&v.to_be_bytes()[1..]);
    }
    #[inline]
    fn put_u32(&mut self, v: u32) {
        self.extend_from_slice(&v.to_be_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_big_endian_and_signs() {
        let mut r = Reader::with_base(&[0x12, 0x34, 0xFF, 0xFF, 0xFE, 0x80, 0x00], 100);
        assert_eq!(r.u16().unwrap(), 0x1234);
        assert_eq!(r.i24().unwrap(), -2);
        assert_eq!(r.offset(), 105);
        assert_eq!(r.i16().unwrap(), -32768);
        let e = r.u8().unwrap_err();
        assert_eq!(e.offset, 107);
        assert_eq!(e.kind, DecodeErrorKind::Truncated { needed: 1, available: 0 });
    }

    #[test]
    fn writes_big_endian() {
        let mut v = Vec::new();
        v.put_u8(1);
        v.put_u16(0x0203);
        v.put_u24(0x00040506);
        v.put_u32(0x0708090A);
        assert_eq!(v, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
        assert_eq!(sign_extend(0x800000, 24), -8_388_608);
        assert_eq!(sign_extend(0x7FFFFF, 24), 8_388_607);
    }
}
