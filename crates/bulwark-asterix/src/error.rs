//! What can be wrong with ASTERIX bytes, and where.
use thiserror::Error;

/// A decoding failure: the byte offset (from the start of the buffer handed to the decoder)
/// and what was wrong there. Decoders return this; they never panic on any input.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
#[error("at byte {offset}: {kind}")]
pub struct DecodeError {
    pub offset: usize,
    pub kind: DecodeErrorKind,
}

/// The reason a decode failed.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum DecodeErrorKind {
    #[error("truncated: {needed} more byte(s) needed, {available} left")]
    Truncated { needed: usize, available: usize },
    #[error("data block length {declared} is invalid ({reason})")]
    BadBlockLength { declared: usize, reason: &'static str },
    #[error("category {0} is not supported")]
    UnsupportedCategory(u8),
    #[error("FSPEC longer than {max_octets} octets")]
    FspecTooLong { max_octets: usize },
    #[error("CAT{category:03} FSPEC sets field reference number {frn}, which the UAP does not define")]
    UndefinedItem { category: u8, frn: usize },
    #[error("CAT{category:03} record with an empty FSPEC")]
    EmptyRecord { category: u8 },
    #[error("CAT{category:03} item {item}: {reason}")]
    InvalidItem { category: u8, item: &'static str, reason: String },
}

impl DecodeError {
    pub fn new(offset: usize, kind: DecodeErrorKind) -> Self {
        DecodeError { offset, kind }
    }
}

/// An encoding failure: a value that the item's bit field cannot hold.
#[derive(Clone, Debug, PartialEq, Error)]
#[error("CAT{category:03} item {item}: {reason}")]
pub struct EncodeError {
    pub category: u8,
    pub item: &'static str,
    pub reason: String,
}
