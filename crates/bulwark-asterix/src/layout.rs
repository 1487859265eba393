//! Skipping items and records by their declared structure (EUROCONTROL ASTERIX Part 1,
//! §4.3.3), from the generated UAP tables in [`crate::spec`]. Typed codecs call
//! [`skip_item`] for items they do not model; [`records`] splits a data block into records.
//!
//! Skipping reads only lengths, repetition counts and FX bits: no allocation, one `match` per
//! item. What counts as malformed:
//! - a record FSPEC that is empty ([`DecodeErrorKind::EmptyRecord`]) or sets a bit past the UAP
//!   or on a spare slot ([`DecodeErrorKind::UndefinedItem`], at the record's first octet);
//! - an extended item whose last defined part still has FX set, an explicit item whose length
//!   octet is 0, or a compound subfield FSPEC bit on a spare or undefined subfield
//!   ([`DecodeErrorKind::InvalidItem`], at the offending octet);
//! - running out of bytes ([`DecodeErrorKind::Truncated`]).
use crate::block::Block;
use crate::bytes::Reader;
use crate::error::{DecodeError, DecodeErrorKind};
use crate::fspec::Fspec;
use crate::spec::{self, Category, Item, Structure};

/// Consumes the item at field reference number `frn` of `category` from `r`, following its
/// declared structure (fixed, extended, repetitive, explicit, compound).
#[inline]
pub fn skip_item(category: u8, frn: usize, r: &mut Reader<'_>) -> Result<(), DecodeError> {
    let cat = table(category, r)?;
    let item = cat.item(frn).ok_or_else(|| r.error(DecodeErrorKind::UndefinedItem { category, frn }))?;
    skip_structure(category, item.id, item, r)
}

/// Consumes one whole record (FSPEC and items) of `category` and returns its bytes.
pub fn skip_record<'a>(category: u8, r: &mut Reader<'a>) -> Result<&'a [u8], DecodeError> {
    let rest = r.rest();
    let start = r.pos();
    let cat = table(category, r)?;
    let fspec = read_record_fspec(cat, r)?;
    for frn in fspec.iter() {
        // `read_record_fspec` checked that every present FRN is defined.
        if let Some(item) = cat.item(frn) {
            skip_structure(category, item.id, item, r)?;
        }
    }
    Ok(&rest[..r.pos() - start])
}

/// The records of a data block, each as `(offset of its first octet, its bytes)`; iteration
/// ends after the first error (a record's length is known only by walking it).
pub fn records<'a>(block: &Block<'a>) -> Records<'a> {
    Records { category: block.category, r: block.reader(), failed: false }
}

/// Iterator returned by [`records`].
#[derive(Clone, Debug)]
pub struct Records<'a> {
    category: u8,
    r: Reader<'a>,
    failed: bool,
}

impl<'a> Iterator for Records<'a> {
    type Item = Result<(usize, &'a [u8]), DecodeError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed || self.r.is_empty() {
            return None;
        }
        let offset = self.r.offset();
        let res = skip_record(self.category, &mut self.r).map(|bytes| (offset, bytes));
        self.failed = res.is_err();
        Some(res)
    }
}

/// The table of `category`, or `UnsupportedCategory` at the reader's offset.
#[inline]
pub(crate) fn table(category: u8, r: &Reader<'_>) -> Result<&'static Category, DecodeError> {
    spec::category(category).ok_or_else(|| r.error(DecodeErrorKind::UnsupportedCategory(category)))
}

/// Reads a record FSPEC and checks it: not empty, every bit on a defined UAP item. Errors
/// point at the FSPEC's first octet.
pub(crate) fn read_record_fspec(cat: &Category, r: &mut Reader<'_>) -> Result<Fspec, DecodeError> {
    let at = r.offset();
    let fspec = Fspec::read(r)?;
    if fspec.is_empty() {
        return Err(DecodeError::new(at, DecodeErrorKind::EmptyRecord { category: cat.category }));
    }
    if let Some(frn) = fspec.iter().find(|&frn| cat.item(frn).is_none()) {
        return Err(DecodeError::new(at, DecodeErrorKind::UndefinedItem { category: cat.category, frn }));
    }
    Ok(fspec)
}

/// An `InvalidItem` error at `offset` for UAP item `item`.
pub(crate) fn invalid(category: u8, item: &'static str, offset: usize, reason: String) -> DecodeError {
    DecodeError::new(offset, DecodeErrorKind::InvalidItem { category, item, reason })
}

/// Skips one item or compound subfield; `top` is the UAP item id for error messages.
fn skip_structure(category: u8, top: &'static str, item: &'static Item, r: &mut Reader<'_>) -> Result<(), DecodeError> {
    match &item.structure {
        Structure::Fixed { len, .. } => r.skip(*len),
        Structure::Extended { parts } => {
            for part in parts.iter() {
                if !fx(r.take(part.len)?) {
                    return Ok(());
                }
            }
            Err(last_fx(category, top, parts.len(), r))
        }
        Structure::Repetitive { len, .. } => {
            let n = r.u8()? as usize;
            r.skip(n * len)
        }
        Structure::RepetitiveFx { len, .. } => loop {
            if !fx(r.take(*len)?) {
                return Ok(());
            }
        },
        Structure::Explicit => {
            let n = explicit_len(category, top, r)?;
            r.skip(n - 1)
        }
        Structure::Compound { subitems } => {
            let fspec = read_sub_fspec(category, top, subitems, r)?;
            for i in fspec.iter() {
                skip_structure(category, top, &subitems[i - 1], r)?;
            }
            Ok(())
        }
        Structure::Spare => Err(r.error(DecodeErrorKind::InvalidItem {
            category,
            item: top,
            reason: "spare slot has no structure".to_string(),
        })),
    }
}

/// Whether the FX bit (least significant bit of the last octet) of a chunk is set.
#[inline]
pub(crate) fn fx(chunk: &[u8]) -> bool {
    chunk.last().is_some_and(|b| b & 1 == 1)
}

/// The error for FX still set in the last defined part of an extended item (at its last octet).
pub(crate) fn last_fx(category: u8, top: &'static str, parts: usize, r: &Reader<'_>) -> DecodeError {
    invalid(category, top, r.offset() - 1, format!("FX set in the last defined extension (part {parts})"))
}

/// Reads an explicit item's length octet (which counts itself) and returns it (≥ 1).
pub(crate) fn explicit_len(category: u8, top: &'static str, r: &mut Reader<'_>) -> Result<usize, DecodeError> {
    let at = r.offset();
    let n = r.u8()? as usize;
    if n == 0 {
        return Err(invalid(category, top, at, "explicit length octet is 0 (it counts itself)".to_string()));
    }
    Ok(n)
}

/// Reads a compound item's subfield FSPEC and checks that each set bit names a defined
/// subfield; the returned FSPEC's FRNs index `subitems` from 1.
pub(crate) fn read_sub_fspec(
    category: u8,
    top: &'static str,
    subitems: &[Item],
    r: &mut Reader<'_>,
) -> Result<Fspec, DecodeError> {
    let at = r.offset();
    let fspec = Fspec::read(r)?;
    for i in fspec.iter() {
        match subitems.get(i - 1) {
            Some(sub) if !matches!(sub.structure, Structure::Spare) => {}
            _ => return Err(invalid(category, top, at, format!("compound subfield {i} is not defined"))),
        }
    }
    Ok(fspec)
}
