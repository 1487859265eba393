//! The field specification (FSPEC) that opens every record: one bit per UAP slot, seven
//! slots an octet, the eighth (least significant) bit of each octet the FX extension flag
//! (EUROCONTROL ASTERIX Part 1, §4.3.1).
use crate::bytes::Reader;
use crate::error::{DecodeError, DecodeErrorKind};

/// Longest FSPEC accepted, in octets (126 slots; CAT021 2.6 needs 7 octets).
pub const MAX_FSPEC_OCTETS: usize = 18;

/// The seven slot bits of an FSPEC octet in slot order (slot 1, the most significant bit, as
/// bit 0); FX dropped. A table, because `u8::reverse_bits` is a dozen instructions on
/// baseline x86-64.
const SLOTS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        t[b] = ((b as u8) >> 1).reverse_bits() >> 1;
        b += 1;
    }
    t
};

/// FRN 1–63 in the low bits of [`Fspec::halves`]'s first word.
const NEAR_MASK: u64 = (1 << 63) - 1;

/// Which field reference numbers (FRN, 1-based UAP positions) a record holds.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Fspec {
    /// Bit `frn - 1` set when item `frn` is present.
    bits: u128,
}

impl Fspec {
    pub const fn empty() -> Self {
        Fspec { bits: 0 }
    }

    /// Marks `frn` (1 ≤ frn ≤ 126) present.
    #[inline]
    pub fn set(&mut self, frn: usize) {
        debug_assert!((1..=7 * MAX_FSPEC_OCTETS).contains(&frn));
        self.bits |= 1u128 << (frn - 1);
    }

    /// Whether item `frn` is present.
    #[inline]
    pub fn has(&self, frn: usize) -> bool {
        (1..=7 * MAX_FSPEC_OCTETS).contains(&frn) && self.bits >> (frn - 1) & 1 == 1
    }

    #[inline]
    pub fn is_empty(&self) -> bool {
        self.bits == 0
    }

    /// The present FRNs in increasing order (the order items follow the FSPEC).
    #[inline]
    pub fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        let mut bits = self.bits;
        std::iter::from_fn(move || {
            if bits == 0 {
                return None;
            }
            let i = bits.trailing_zeros() as usize;
            bits &= bits - 1;
            Some(i + 1)
        })
    }

    /// The presence bits of FRN 1–63 (the first nine octets) and of FRN 64–126, bit 0 being
    /// the lowest FRN of each.
    #[inline]
    pub fn halves(&self) -> (u64, u64) {
        (self.bits as u64 & NEAR_MASK, (self.bits >> 63) as u64)
    }

    /// The highest present FRN (0 when empty).
    #[inline]
    pub fn last(&self) -> usize {
        128 - self.bits.leading_zeros() as usize
    }

    /// Reads an FSPEC: octets while FX is set.
    #[inline(always)]
    pub fn read(r: &mut Reader<'_>) -> Result<Fspec, DecodeError> {
        let b = r.u8()?;
        let near = u64::from(SLOTS[usize::from(b)]);
        if b & 1 == 0 { Ok(Fspec { bits: u128::from(near) }) } else { Self::read_extensions(r, near) }
    }

    /// The octets after the first, while FX is set (most records need one or two). The first
    /// nine octets are gathered in a 64-bit word, as most of the work is on them.
    #[inline(always)]
    fn read_extensions(r: &mut Reader<'_>, mut near: u64) -> Result<Fspec, DecodeError> {
        let mut far = 0u64;
        for octet in 1..MAX_FSPEC_OCTETS {
            let b = r.u8()?;
            let slots = u64::from(SLOTS[usize::from(b)]);
            if octet < 9 {
                near |= slots << (7 * octet);
            } else {
                far |= slots << (7 * (octet - 9));
            }
            if b & 1 == 0 {
                return Ok(Fspec { bits: u128::from(near) | u128::from(far) << 63 });
            }
        }
        Err(r.error(DecodeErrorKind::FspecTooLong { max_octets: MAX_FSPEC_OCTETS }))
    }

    /// Appends the shortest FSPEC that holds every present FRN (one octet when empty).
    pub fn write(&self, out: &mut Vec<u8>) {
        let octets = self.last().div_ceil(7).max(1);
        for octet in 0..octets {
            let slots = (self.bits >> (7 * octet)) as u8 & 0x7F;
            // Slot 1 of the octet is its most significant bit.
            let mut b = slots.reverse_bits();
            if octet + 1 < octets {
                b |= 1;
            }
            out.push(b);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn matches_the_standard_bit_layout() {
        // FRN 1, 2 and 4 in the first octet: 1101 0000; FRN 8 sets slot 1 of the second
        // octet and FX of the first.
        let mut f = Fspec::empty();
        for frn in [1, 2, 4] {
            f.set(frn);
        }
        let mut v = Vec::new();
        f.write(&mut v);
        assert_eq!(v, [0b1101_0000]);
        f.set(8);
        v.clear();
        f.write(&mut v);
        assert_eq!(v, [0b1101_0001, 0b1000_0000]);
        let back = Fspec::read(&mut Reader::new(&v)).unwrap();
        assert_eq!(back, f);
        assert_eq!(back.iter().collect::<Vec<_>>(), [1, 2, 4, 8]);
    }

    #[test]
    fn rejects_endless_extension() {
        let e = Fspec::read(&mut Reader::new(&[0xFF; 40])).unwrap_err();
        assert_eq!(e.kind, DecodeErrorKind::FspecTooLong { max_octets: MAX_FSPEC_OCTETS });
        let e = Fspec::read(&mut Reader::new(&[0x01])).unwrap_err();
        assert!(matches!(e.kind, DecodeErrorKind::Truncated { .. }));
    }

    proptest! {
        #[test]
        fn round_trips(frns in proptest::collection::btree_set(1usize..=126, 0..40)) {
            let mut f = Fspec::empty();
            for &frn in &frns { f.set(frn); }
            let mut v = Vec::new();
            f.write(&mut v);
            let back = Fspec::read(&mut Reader::new(&v)).unwrap();
            prop_assert_eq!(back.iter().collect::<Vec<_>>(), frns.into_iter().collect::<Vec<_>>());
        }
    }
}
