//! Spec-driven decoding of any record of a supported category into JSON, from the generated
//! tables in [`crate::spec`] (for inspection, logs and tests; the typed codecs are faster).
//!
//! One record is one JSON object:
//!
//! ```json
//! {"category": 48, "offset": 3, "length": 41,
//!  "items": {"I048/010": {"SAC": 25, "SIC": 201},
//!            "I048/020": {"TYP": {"value": 5, "meaning": "Single ModeS Roll-Call"}, "SIM": {…}, …},
//!            "I048/040": {"RHO": {"raw": 25600, "value": 185200.0, "unit": "m"},
//!                         "THETA": {"raw": 16384, "value": 1.5707963267948966, "unit": "rad"}},
//!            "I048/070": {"V": {…}, "G": {…}, "L": {…}, "MODE3A": "1234"},
//!            "I048/130": {"SRL": {"raw": 16, "value": 0.01227184630308513, "unit": "rad"}, "SRR": 5},
//!            "I048/140": {"raw": 5529600, "value": 43200.0, "unit": "s"},
//!            "I048/220": 3958150,
//!            "I048/240": "BAW123"}}
//! ```
//!
//! - `offset` is the absolute offset of the record's FSPEC in the buffer; `length` its octets.
//! - Items are keyed `Icat/id` ("I048/010", "I048/RE"). An item (or compound subfield, or
//!   repetition) that is one unnamed element is that element's value; otherwise an object of
//!   its named elements, members of a nested group nested ("ADSB": {"EP": …, "VAL": …}).
//!   Spare bits are not shown.
//! - Extended items: the elements of the parts present. Repetitive items: an array, one entry per
//!   repetition. Compound items: an object keyed by subfield name. Explicit items (RE, SP):
//!   `{"length": n, "data": "hex of the n-1 octets after the length octet"}`.
//! - Element values: raw → integer (≤ 32 bits) or a lowercase hex string of width/4 digits
//!   (wider: Mode S MB data, ACAS RA); table → `{"value": v, "meaning": "…"}` (`null` meaning for
//!   a value the table does not list); integer → integer; octal → digit string ("7500");
//!   ICAO 6-bit and ASCII → string without trailing spaces (characters outside the character set
//!   shown as `?`); quantity → `{"raw": n, "value": x, "unit": u}` with `raw` the (signed)
//!   integer and `value` = raw × lsb converted to SI by [`si_unit`].
use serde_json::{Map, Value};

use crate::block::{Block, Blocks, blocks};
use crate::bytes::{Reader, sign_extend};
use crate::error::DecodeError;
use crate::layout::{explicit_len, fx, invalid, last_fx, read_record_fspec, read_sub_fspec, table};
use crate::spec::{Element, Item, Kind, Structure};

/// Decodes one record (FSPEC and items) of `category` at the reader's position.
pub fn decode_record(category: u8, r: &mut Reader<'_>) -> Result<Value, DecodeError> {
    let cat = table(category, r)?;
    let offset = r.offset();
    let fspec = read_record_fspec(cat, r)?;
    let mut items = Map::new();
    for frn in fspec.iter() {
        if let Some(item) = cat.item(frn) {
            let v = decode_structure(category, item.id, item, r)?;
            items.insert(format!("I{category:03}/{}", item.id), v);
        }
    }
    let mut rec = Map::new();
    rec.insert("category".into(), Value::from(category));
    rec.insert("offset".into(), Value::from(offset));
    rec.insert("length".into(), Value::from(r.offset() - offset));
    rec.insert("items".into(), Value::Object(items));
    Ok(Value::Object(rec))
}

/// The records of one data block, decoded; iteration ends after the first error (records have
/// no length of their own, so nothing after a bad one can be found).
pub fn decode_block<'a>(block: &Block<'a>) -> BlockRecords<'a> {
    BlockRecords { category: block.category, r: block.reader(), failed: false }
}

/// Every record of every data block in `data`. A bad record ends its block (the error is
/// yielded, decoding goes on with the next block); a bad block length ends everything.
pub fn decode_all(data: &[u8]) -> AllRecords<'_> {
    AllRecords { blocks: blocks(data), current: None }
}

/// Iterator returned by [`decode_block`].
#[derive(Clone, Debug)]
pub struct BlockRecords<'a> {
    category: u8,
    r: Reader<'a>,
    failed: bool,
}

impl Iterator for BlockRecords<'_> {
    type Item = Result<Value, DecodeError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed || self.r.is_empty() {
            return None;
        }
        let res = decode_record(self.category, &mut self.r);
        self.failed = res.is_err();
        Some(res)
    }
}

/// Iterator returned by [`decode_all`].
pub struct AllRecords<'a> {
    blocks: Blocks<'a>,
    current: Option<BlockRecords<'a>>,
}

impl Iterator for AllRecords<'_> {
    type Item = Result<Value, DecodeError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(rec) = self.current.as_mut().and_then(Iterator::next) {
                return Some(rec);
            }
            match self.blocks.next()? {
                Ok(block) => self.current = Some(decode_block(&block)),
                Err(e) => return Some(Err(e)),
            }
        }
    }
}

/// The SI unit of a specification unit and the factor from one to the other:
/// NM → m (1852), FL → m (100 ft = 30.48), ft → m (0.3048), ° → rad (π/180),
/// kt → m/s (1852/3600), NM/s → m/s, ft/min → m/s (0.3048/60), °/s → rad/s, MHz → Hz,
/// mb (hPa) → Pa (100). Units already SI or dimensionless (s, m, m/s, m/s², dBm, Mach, °C)
/// map to themselves; `None` for a unit this table does not know.
pub fn si_unit(unit: &str) -> Option<(f64, &'static str)> {
    const DEG: f64 = std::f64::consts::PI / 180.0;
    Some(match unit {
        "NM" => (1852.0, "m"),
        "FL" => (30.48, "m"),
        "ft" => (0.3048, "m"),
        "°" => (DEG, "rad"),
        "kt" => (1852.0 / 3600.0, "m/s"),
        "NM/s" => (1852.0, "m/s"),
        "ft/min" => (0.3048 / 60.0, "m/s"),
        "°/s" => (DEG, "rad/s"),
        "MHz" => (1e6, "Hz"),
        "mb" => (100.0, "Pa"),
        "s" => (1.0, "s"),
        "m" => (1.0, "m"),
        "m/s" => (1.0, "m/s"),
        "m/s²" => (1.0, "m/s²"),
        "dBm" => (1.0, "dBm"),
        "Mach" => (1.0, "Mach"),
        "°C" => (1.0, "°C"),
        _ => return None,
    })
}

/// Decodes one item or compound subfield; `top` is the UAP item id for error messages.
fn decode_structure(
    category: u8,
    top: &'static str,
    item: &'static Item,
    r: &mut Reader<'_>,
) -> Result<Value, DecodeError> {
    Ok(match &item.structure {
        Structure::Fixed { len, elements } => chunk_value(r.take(*len)?, elements),
        Structure::Extended { parts } => {
            let mut obj = Map::new();
            let mut done = false;
            for part in parts.iter() {
                let chunk = r.take(part.len)?;
                insert_elements(&mut obj, chunk, part.elements);
                if !fx(chunk) {
                    done = true;
                    break;
                }
            }
            if !done {
                return Err(last_fx(category, top, parts.len(), r));
            }
            Value::Object(obj)
        }
        Structure::Repetitive { len, elements } => {
            let n = r.u8()? as usize;
            let all = r.take(n * len)?;
            Value::Array(all.chunks((*len).max(1)).map(|c| chunk_value(c, elements)).collect())
        }
        Structure::RepetitiveFx { len, elements } => {
            let mut out = Vec::new();
            loop {
                let chunk = r.take(*len)?;
                out.push(chunk_value(chunk, elements));
                if !fx(chunk) {
                    break;
                }
            }
            Value::Array(out)
        }
        Structure::Explicit => {
            let n = explicit_len(category, top, r)?;
            let data = r.take(n - 1)?;
            let mut obj = Map::new();
            obj.insert("length".into(), Value::from(n));
            obj.insert("data".into(), Value::from(hex(data)));
            Value::Object(obj)
        }
        Structure::Compound { subitems } => {
            let fspec = read_sub_fspec(category, top, subitems, r)?;
            let mut obj = Map::new();
            for i in fspec.iter() {
                let sub = &subitems[i - 1];
                let v = decode_structure(category, top, sub, r)?;
                obj.insert(sub.id.to_string(), v);
            }
            Value::Object(obj)
        }
        Structure::Spare => return Err(invalid(category, top, r.offset(), "spare slot has no structure".to_string())),
    })
}

/// A fixed chunk's value: the lone unnamed element's value, or an object of named elements.
fn chunk_value(chunk: &[u8], elements: &[Element]) -> Value {
    if let [el @ Element { name: "", .. }] = elements {
        return element_value(chunk, el, elements);
    }
    let mut obj = Map::new();
    insert_elements(&mut obj, chunk, elements);
    Value::Object(obj)
}

/// Inserts each named element of `chunk` into `obj`, nesting "GROUP.NAME" names.
fn insert_elements(obj: &mut Map<String, Value>, chunk: &[u8], elements: &[Element]) {
    for el in elements {
        let v = element_value(chunk, el, elements);
        let mut path = el.name.split('.');
        let mut leaf = path.next().unwrap_or("");
        let mut at = &mut *obj;
        for next in path {
            let slot = at.entry(leaf.to_string()).or_insert_with(|| Value::Object(Map::new()));
            if !slot.is_object() {
                *slot = Value::Object(Map::new());
            }
            at = match slot {
                Value::Object(m) => m,
                _ => return,
            };
            leaf = next;
        }
        at.insert(leaf.to_string(), v);
    }
}

/// The big-endian bits `[bit, bit + width)` of `chunk` (width ≤ 64; missing bytes read as 0).
fn bits(chunk: &[u8], bit: usize, width: usize) -> u64 {
    if width == 0 {
        return 0;
    }
    let first = bit / 8;
    let last = (bit + width - 1) / 8;
    let mut acc: u128 = 0;
    for i in first..=last {
        acc = acc << 8 | u128::from(chunk.get(i).copied().unwrap_or(0));
    }
    let shift = 7 - (bit + width - 1) % 8;
    let mask = if width >= 64 { u64::MAX as u128 } else { (1u128 << width) - 1 };
    ((acc >> shift) & mask) as u64
}

fn element_value(chunk: &[u8], el: &Element, siblings: &[Element]) -> Value {
    let raw = bits(chunk, el.bit as usize, el.width as usize);
    kind_value(raw, el.width as u32, el.signed, &el.kind, chunk, siblings)
}

fn kind_value(raw: u64, width: u32, signed: bool, kind: &Kind, chunk: &[u8], siblings: &[Element]) -> Value {
    let int = || if signed { Value::from(sign_extend(raw, width)) } else { Value::from(raw) };
    match kind {
        Kind::Raw if width > 32 => Value::from(format!("{raw:0w$x}", w = width.div_ceil(4) as usize)),
        Kind::Raw | Kind::Integer => int(),
        Kind::Table(entries) => {
            let meaning = entries.iter().find(|(v, _)| *v == raw).map_or(Value::Null, |(_, m)| Value::from(*m));
            let mut obj = Map::new();
            obj.insert("value".into(), Value::from(raw));
            obj.insert("meaning".into(), meaning);
            Value::Object(obj)
        }
        Kind::Octal => {
            let digits = width / 3;
            Value::from(
                (0..digits).map(|i| char::from(b'0' + (raw >> (3 * (digits - 1 - i)) & 7) as u8)).collect::<String>(),
            )
        }
        Kind::Icao => {
            let n = width / 6;
            let s: String = (0..n).map(|i| icao_char((raw >> (6 * (n - 1 - i)) & 0x3F) as u8)).collect();
            Value::from(s.trim_end_matches(' '))
        }
        Kind::Ascii => {
            let n = width / 8;
            let s: String = (0..n)
                .map(|i| (raw >> (8 * (n - 1 - i)) & 0xFF) as u8)
                .map(|b| if (0x20..0x7F).contains(&b) { char::from(b) } else { '?' })
                .collect();
            Value::from(s.trim_end_matches(' '))
        }
        Kind::Quantity { lsb, unit } => {
            let n = if signed { sign_extend(raw, width) as f64 } else { raw as f64 };
            let (factor, si) = si_unit(unit).unwrap_or((1.0, *unit));
            let mut obj = Map::new();
            obj.insert("raw".into(), int());
            obj.insert("value".into(), Value::from(n * lsb * factor));
            obj.insert("unit".into(), Value::from(si));
            Value::Object(obj)
        }
        Kind::Case { on, cases, default } => {
            let sel = siblings
                .iter()
                .find(|s| s.name == *on || s.name.rsplit('.').next() == Some(on))
                .map(|s| bits(chunk, s.bit as usize, s.width as usize));
            let case = cases.iter().find(|c| Some(c.value) == sel).unwrap_or(default);
            kind_value(raw, width, case.signed, &case.kind, chunk, siblings)
        }
    }
}

/// ICAO Annex 10 Vol IV Table 3-9 (6-bit): 1–26 A–Z, 32 space, 48–57 digits.
fn icao_char(c: u8) -> char {
    match c {
        1..=26 => char::from(b'A' + c - 1),
        32 => ' ',
        48..=57 => char::from(c),
        _ => '?',
    }
}

fn hex(data: &[u8]) -> String {
    data.iter().map(|b| format!("{b:02x}")).collect()
}
