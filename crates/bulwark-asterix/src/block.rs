//! Data blocks: CAT (1 octet), LEN (2 octets, big-endian, the whole block) and records
//! (EUROCONTROL ASTERIX Part 1, §4.2).
use crate::bytes::Reader;
use crate::error::{DecodeError, DecodeErrorKind};

/// Largest data block, in octets (LEN is 16 bits).
pub const MAX_BLOCK_LEN: usize = 65_535;

/// One data block as found in a buffer.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Block<'a> {
    pub category: u8,
    /// Offset of the block's CAT octet in the buffer.
    pub offset: usize,
    /// The records' bytes (after CAT and LEN).
    pub body: &'a [u8],
}

impl<'a> Block<'a> {
    /// A reader over the records whose offsets point into the original buffer.
    pub fn reader(&self) -> Reader<'a> {
        Reader::with_base(self.body, self.offset + 3)
    }
}

/// The data blocks of a buffer in order; iteration ends after the first error.
pub fn blocks(data: &[u8]) -> Blocks<'_> {
    Blocks { r: Reader::new(data), failed: false }
}

/// Iterator returned by [`blocks`].
pub struct Blocks<'a> {
    r: Reader<'a>,
    failed: bool,
}

impl<'a> Iterator for Blocks<'a> {
    type Item = Result<Block<'a>, DecodeError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed || self.r.is_empty() {
            return None;
        }
        let offset = self.r.offset();
        let res = (|| {
            let category = self.r.u8()?;
            let len = self.r.u16()? as usize;
            if len < 4 {
                return Err(DecodeError::new(
                    offset,
                    DecodeErrorKind::BadBlockLength { declared: len, reason: "shorter than CAT, LEN and one octet" },
                ));
            }
            if len - 3 > self.r.remaining() {
                return Err(DecodeError::new(
                    offset,
                    DecodeErrorKind::BadBlockLength { declared: len, reason: "longer than the data left" },
                ));
            }
            let body = self.r.take(len - 3)?;
            Ok(Block { category, offset, body })
        })();
        self.failed = res.is_err();
        Some(res)
    }
}

/// Builds data blocks of one category from encoded records, starting a new block whenever
/// the next record would push LEN past [`MAX_BLOCK_LEN`] (or a caller's smaller limit,
/// e.g. to fit a UDP datagram).
#[derive(Clone, Debug)]
pub struct BlockBuilder {
    category: u8,
    max_len: usize,
    current: Vec<u8>,
    done: Vec<Vec<u8>>,
}

impl BlockBuilder {
    pub fn new(category: u8) -> Self {
        Self::with_max_len(category, MAX_BLOCK_LEN)
    }

    /// Blocks of at most `max_len` octets (clamped to 4..=65 535); a single record larger
    /// than that still gets a block of its own if it fits in 65 535.
    pub fn with_max_len(category: u8, max_len: usize) -> Self {
        BlockBuilder { category, max_len: max_len.clamp(4, MAX_BLOCK_LEN), current: Vec::new(), done: Vec::new() }
    }

    /// Adds one encoded record. Returns false (and adds nothing) for a record that cannot fit
    /// in any block.
    pub fn push(&mut self, record: &[u8]) -> bool {
        if record.is_empty() || record.len() + 3 > MAX_BLOCK_LEN {
            return false;
        }
        if !self.current.is_empty() && self.current.len() + record.len() > self.max_len {
            self.seal();
        }
        if self.current.is_empty() {
            self.current.extend_from_slice(&[self.category, 0, 0]);
        }
        self.current.extend_from_slice(record);
        true
    }

    fn seal(&mut self) {
        if self.current.is_empty() {
            return;
        }
        let len = self.current.len() as u16;
        self.current[1..3].copy_from_slice(&len.to_be_bytes());
        self.done.push(std::mem::take(&mut self.current));
    }

    /// The finished blocks, each a complete CAT/LEN/records byte string.
    pub fn finish(mut self) -> Vec<Vec<u8>> {
        self.seal();
        self.done
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_and_splits_blocks() {
        let mut b = BlockBuilder::with_max_len(48, 10);
        assert!(b.push(&[1, 2, 3]));
        assert!(b.push(&[4, 5, 6])); // 3 + 6 = 9 ≤ 10
        assert!(b.push(&[7, 8])); // would be 11: new block
        let out = b.finish();
        assert_eq!(out, vec![vec![48, 0, 9, 1, 2, 3, 4, 5, 6], vec![48, 0, 5, 7, 8]]);
        let all: Vec<u8> = out.concat();
        let got: Vec<_> = blocks(&all).collect::<Result<_, _>>().unwrap();
        assert_eq!(got.len(), 2);
        assert_eq!(got[1].offset, 9);
        assert_eq!(got[1].body, &[7, 8]);
        assert_eq!(got[1].reader().offset(), 12);
    }

    #[test]
    fn reports_bad_lengths() {
        let e = blocks(&[48, 0, 2]).next().unwrap().unwrap_err();
        assert!(matches!(e.kind, DecodeErrorKind::BadBlockLength { declared: 2, .. }));
        let e = blocks(&[48, 0, 9, 1]).next().unwrap().unwrap_err();
        assert!(matches!(e.kind, DecodeErrorKind::BadBlockLength { declared: 9, .. }));
        let mut it = blocks(&[48, 0]);
        assert!(it.next().unwrap().is_err());
        assert!(it.next().is_none());
    }
}
