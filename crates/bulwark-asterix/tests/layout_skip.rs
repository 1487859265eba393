//! Skipping items and records by the generated layout tables, on hand-built records whose
//! bytes are derived from the specifications (see `layout_fixtures`) and cross-checked with
//! Wireshark 4.0.17's ASTERIX dissector (`tshark -d udp.port==8600,asterix -O asterix`), which
//! decodes every fixture to the same item boundaries and values.
mod layout_fixtures;

use bulwark_asterix::bytes::Reader;
use bulwark_asterix::layout::{records, skip_item, skip_record};
use bulwark_asterix::{DecodeErrorKind, Fspec, blocks};
use layout_fixtures::*;

#[test]
fn skips_each_fixture_exactly() {
    for &(cat, rec) in ALL {
        let mut r = Reader::with_base(rec, 100);
        let got = skip_record(cat, &mut r).unwrap_or_else(|e| panic!("CAT{cat:03}: {e}"));
        assert_eq!(got, rec, "CAT{cat:03}");
        assert!(r.is_empty());
        assert_eq!(r.offset(), 100 + rec.len());
    }
}

/// Item lengths worked out by hand from the specification, FRN by FRN.
fn item_lengths(cat: u8, rec: &[u8]) -> Vec<(usize, usize)> {
    let mut r = Reader::new(rec);
    let fspec = Fspec::read(&mut r).unwrap();
    fspec
        .iter()
        .map(|frn| {
            let at = r.pos();
            skip_item(cat, frn, &mut r).unwrap();
            (frn, r.pos() - at)
        })
        .collect()
}

#[test]
fn skip_item_follows_each_structure() {
    // CAT048: fixed, extended (I020: 2 parts; I170: 1 part), compound I130 (FSPEC + 4 subfields).
    assert_eq!(
        item_lengths(48, CAT048_PLOT),
        [(1, 2), (2, 3), (3, 2), (4, 4), (5, 2), (6, 2), (7, 5), (8, 3), (9, 6), (11, 2), (13, 4), (14, 1), (21, 2)]
    );
    // Explicit: SP (FRN 27) length 3, RE (FRN 28) length 1.
    assert_eq!(item_lengths(48, CAT048_RE_SP), [(1, 2), (27, 3), (28, 1)]);
    // Repetitive I250 (REP + 8), repetitive-FX I030 (two one-octet codes).
    assert_eq!(item_lengths(48, CAT048_REPETITIVE), [(1, 2), (10, 9), (16, 2)]);
    // CAT062: I380 = 4 FSPEC + ADR 3 + ID 6 + IAS 2 + BVR 2 + MB (1 + 8); I080 two parts;
    // I290 = 2 FSPEC + 1 + 2 + 1; I500 = 1 FSPEC + 4 + 2.
    assert_eq!(
        item_lengths(62, CAT062_TRACK),
        [(1, 2), (4, 3), (5, 8), (7, 4), (9, 2), (11, 26), (12, 2), (13, 2), (14, 6), (17, 2), (27, 7)]
    );
    // CAT034: I050 = FSPEC + COM + PSR; RE 3, SP 2.
    assert_eq!(item_lengths(34, CAT034_NORTH), [(1, 2), (2, 1), (3, 3), (5, 2), (6, 3), (13, 3), (14, 2)]);
    assert_eq!(item_lengths(21, CAT021_ADSB), [(1, 2), (2, 2), (3, 2), (6, 6), (9, 2), (11, 3), (21, 2), (29, 6)]);
}

#[test]
fn splits_a_block_into_records() {
    let data = block(48, &[CAT048_PLOT, CAT048_REPETITIVE, CAT048_RE_SP]);
    let b = blocks(&data).next().unwrap().unwrap();
    let recs: Vec<_> = records(&b).collect::<Result<_, _>>().unwrap();
    assert_eq!(recs, vec![(3, CAT048_PLOT), (44, CAT048_REPETITIVE), (60, CAT048_RE_SP)]);
}

#[test]
fn rejects_fspec_bits_without_an_item() {
    // CAT062 FRN 2 is a spare UAP slot: FSPEC 1100 0000.
    let e = skip_record(62, &mut Reader::with_base(&[0xC0, 0x19, 0x01], 7)).unwrap_err();
    assert_eq!(e.kind, DecodeErrorKind::UndefinedItem { category: 62, frn: 2 });
    assert_eq!(e.offset, 7);
    // CAT048 has 28 slots: FRN 29 is slot 1 of the fifth FSPEC octet.
    let e = skip_record(48, &mut Reader::new(&[0x81, 0x01, 0x01, 0x01, 0x80, 0x19, 0xC9])).unwrap_err();
    assert_eq!(e.kind, DecodeErrorKind::UndefinedItem { category: 48, frn: 29 });
    // CAT021 FRN 43 (slot 1 of octet 7) is spare.
    let e = skip_record(21, &mut Reader::new(&[1, 1, 1, 1, 1, 1, 0x80, 0])).unwrap_err();
    assert_eq!(e.kind, DecodeErrorKind::UndefinedItem { category: 21, frn: 43 });
    // CAT034 has 14 slots.
    let e = skip_record(34, &mut Reader::new(&[0x01, 0x01, 0x80])).unwrap_err();
    assert_eq!(e.kind, DecodeErrorKind::UndefinedItem { category: 34, frn: 15 });
    let e = skip_item(62, 2, &mut Reader::new(&[0; 4])).unwrap_err();
    assert_eq!(e.kind, DecodeErrorKind::UndefinedItem { category: 62, frn: 2 });
    let e = skip_item(48, 0, &mut Reader::new(&[0; 4])).unwrap_err();
    assert_eq!(e.kind, DecodeErrorKind::UndefinedItem { category: 48, frn: 0 });
}

#[test]
fn rejects_empty_records_and_unknown_categories() {
    let e = skip_record(48, &mut Reader::new(&[0x00, 0x19])).unwrap_err();
    assert_eq!(e.kind, DecodeErrorKind::EmptyRecord { category: 48 });
    let e = skip_record(1, &mut Reader::new(CAT048_PLOT)).unwrap_err();
    assert_eq!(e.kind, DecodeErrorKind::UnsupportedCategory(1));
    let e = skip_item(63, 1, &mut Reader::new(CAT048_PLOT)).unwrap_err();
    assert_eq!(e.kind, DecodeErrorKind::UnsupportedCategory(63));
}

fn invalid_item(kind: &DecodeErrorKind) -> &'static str {
    match kind {
        DecodeErrorKind::InvalidItem { item, .. } => item,
        other => panic!("expected InvalidItem, got {other:?}"),
    }
}

#[test]
fn rejects_malformed_items() {
    // CAT048 I020 (FRN 3) has three parts; FX set in the third is beyond the specification.
    // FSPEC 1010 0000 = FRN 1 and 3.
    let e = skip_record(48, &mut Reader::new(&[0xA0, 0x19, 0xC9, 0xA1, 0x01, 0x01, 0x00])).unwrap_err();
    assert_eq!(invalid_item(&e.kind), "020");
    assert_eq!(e.offset, 5, "points at the last octet of the item");
    // CAT034 I050 (FRN 6, FSPEC 0000 0100): subfield 2 is spare.
    let e = skip_record(34, &mut Reader::new(&[0x04, 0x40, 0x00])).unwrap_err();
    assert_eq!(invalid_item(&e.kind), "050");
    assert_eq!(e.offset, 1);
    // CAT048 I130 (FRN 7) has seven subfields: slot 8 is undefined.
    let e = skip_record(48, &mut Reader::new(&[0x02, 0x01, 0x80, 0x00])).unwrap_err();
    assert_eq!(invalid_item(&e.kind), "130");
    // CAT048 RE (FRN 28) with a length octet of 0.
    let e = skip_record(48, &mut Reader::new(&[0x01, 0x01, 0x01, 0x02, 0x00])).unwrap_err();
    assert_eq!(invalid_item(&e.kind), "RE");
    assert_eq!(e.offset, 4);
}

#[test]
fn every_truncation_is_an_error() {
    for &(cat, rec) in ALL {
        for n in 0..rec.len() {
            let mut r = Reader::new(&rec[..n]);
            let e = skip_record(cat, &mut r).expect_err("a strict prefix cannot be a whole record");
            assert!(
                matches!(e.kind, DecodeErrorKind::Truncated { .. }),
                "CAT{cat:03} prefix {n}: {e} (expected a truncation)"
            );
            assert!(e.offset <= n, "CAT{cat:03} prefix {n}: offset {} past the data", e.offset);
        }
    }
}
