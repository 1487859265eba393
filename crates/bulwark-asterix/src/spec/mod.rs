//! Static layout tables of the supported ASTERIX categories, generated from the
//! zoranbosnjak/asterix-specs transcriptions (BSD-3-Clause) by `tools/asterix_spec_gen.py`.
//!
//! A category is its UAP: one [`Item`] per field reference number (FRN 1 is `uap[0]`), spare
//! slots included as [`Structure::Spare`]. Each item's [`Structure`] says how many octets it
//! takes (what [`crate::layout`] needs to skip it); its [`Element`]s say what the bits mean
//! (what [`crate::generic`] needs to decode it).
mod cat021;
mod cat034;
mod cat048;
mod cat062;

pub use cat021::CAT021;
pub use cat034::CAT034;
pub use cat048::CAT048;
pub use cat062::CAT062;

/// One category edition: its UAP in FRN order.
#[derive(Debug)]
pub struct Category {
    pub category: u8,
    pub title: &'static str,
    /// Edition of the specification, e.g. "1.31".
    pub edition: &'static str,
    /// The `.ast` file the table was generated from.
    pub source: &'static str,
    /// `uap[frn - 1]` is the item at field reference number `frn`.
    pub uap: &'static [Item],
}

impl Category {
    /// The item at field reference number `frn` (1-based), `None` past the UAP or for a spare slot.
    #[inline]
    pub fn item(&self, frn: usize) -> Option<&'static Item> {
        let uap: &'static [Item] = self.uap;
        match uap.get(frn.wrapping_sub(1)) {
            Some(it) if !matches!(it.structure, Structure::Spare) => Some(it),
            _ => None,
        }
    }

    /// The FRN of the item with id `id` ("010", "RE"), if the UAP holds it.
    pub fn frn_of(&self, id: &str) -> Option<usize> {
        self.uap.iter().position(|it| it.id == id).map(|i| i + 1)
    }
}

/// A data item of the UAP, or a subfield of a compound item.
#[derive(Debug)]
pub struct Item {
    /// "010", "RE", "SP" for UAP items; the subfield name ("SRL") in a compound; "-" for a spare slot.
    pub id: &'static str,
    pub title: &'static str,
    pub structure: Structure,
}

/// How an item is laid out in octets (EUROCONTROL ASTERIX Part 1, §4.3.3).
#[derive(Debug)]
pub enum Structure {
    /// A spare UAP slot or compound subfield: its presence bit must not be set.
    Spare,
    /// `len` octets (an element or a group of elements).
    Fixed { len: usize, elements: &'static [Element] },
    /// A primary part and extensions; the least significant bit of each part's last octet is
    /// FX (another part follows). Bit positions of elements count from each part's start.
    Extended { parts: &'static [Part] },
    /// One octet REP, then REP repetitions of `len` octets.
    Repetitive { len: usize, elements: &'static [Element] },
    /// Repetitions of `len` octets while the least significant bit (FX) of the last is set.
    RepetitiveFx { len: usize, elements: &'static [Element] },
    /// One length octet (counting itself) and that many octets minus one (RE and SP fields).
    Explicit,
    /// A subfield FSPEC (FX-extended, seven subfields an octet), then the present subfields.
    Compound { subitems: &'static [Item] },
}

/// One part of an extended item.
#[derive(Debug)]
pub struct Part {
    /// Octets, FX included.
    pub len: usize,
    pub elements: &'static [Element],
}

/// A bit field of a fixed-size chunk (a fixed item, one part, one repetition).
#[derive(Debug)]
pub struct Element {
    /// Name in the specification ("SAC"); members of a nested group are "GROUP.NAME"
    /// ("ADSB.EP"); empty when the element is the whole item or subfield.
    pub name: &'static str,
    pub title: &'static str,
    /// Offset of the most significant bit from the chunk's first bit (0 = MSB of octet 1).
    pub bit: u16,
    /// Width in bits, 1 to 64.
    pub width: u16,
    /// Two's complement.
    pub signed: bool,
    pub kind: Kind,
}

/// What an element's bits mean.
#[derive(Debug)]
pub enum Kind {
    /// Uninterpreted bits (codes, addresses, BDS registers).
    Raw,
    /// An enumeration: (value, meaning) pairs.
    Table(&'static [(u64, &'static str)]),
    /// 8-bit ASCII characters.
    Ascii,
    /// ICAO 6-bit characters (ICAO Annex 10 Vol IV, Table 3-9).
    Icao,
    /// Octal digits, 3 bits each (Mode 1/2/3A codes).
    Octal,
    /// An integer count.
    Integer,
    /// value = raw × `lsb`, in `unit` as written in the specification ("NM", "FL", "°").
    Quantity { lsb: f64, unit: &'static str },
    /// The meaning depends on the value of the sibling element `on` of the same chunk
    /// (CAT021 I150 and CAT062 I380 IAS: IAS in NM/s or Mach); `default` for other values.
    Case { on: &'static str, cases: &'static [Case], default: &'static Case },
}

/// One branch of [`Kind::Case`].
#[derive(Debug)]
pub struct Case {
    /// Value of the selecting element (unused in a default branch).
    pub value: u64,
    pub signed: bool,
    pub kind: Kind,
}

/// The table of a supported category, `None` for any other.
#[inline]
pub fn category(category: u8) -> Option<&'static Category> {
    match category {
        21 => Some(&CAT021),
        34 => Some(&CAT034),
        48 => Some(&CAT048),
        62 => Some(&CAT062),
        _ => None,
    }
}
