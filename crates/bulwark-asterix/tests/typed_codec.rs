//! Typed codecs: known-answer records derived by hand from the edition texts
//! (`/work/shared/asterix-specs/*.ast`; the same bytes also decode to the same values in
//! Wireshark 4.0.17, see `typed_tshark.rs`), error cases, and property tests.
mod typed_support;

use bulwark_asterix::bytes::Reader;
use bulwark_asterix::cat021::{self, Cat021};
use bulwark_asterix::cat034::Cat034;
use bulwark_asterix::cat048::{self, Cat048};
use bulwark_asterix::cat062::Cat062;
use bulwark_asterix::record::{CategoryRecord, decode_all, encode_blocks};
use bulwark_asterix::{DataSource, DecodeErrorKind, LatLon, Record, Xy, blocks};
use proptest::prelude::*;
use std::f64::consts::PI;
use typed_support::{
    CAT021_KAT, CAT034_KAT, CAT048_KAT, CAT062_KAT, DEG, NM, approx_eq, cat021_kat, cat034_kat, cat048_kat, cat062_kat,
};

fn encode<T: CategoryRecord>(r: &T) -> Vec<u8> {
    let mut v = Vec::new();
    r.encode(&mut v).expect("encodable");
    v
}

fn decode<T: CategoryRecord>(b: &[u8]) -> T {
    let mut r = Reader::new(b);
    let v = T::decode(&mut r).expect("decodable");
    assert!(r.is_empty(), "{} octets left over", r.remaining());
    v
}

fn check_kat<T: CategoryRecord + std::fmt::Debug>(rec: &T, bytes: &[u8]) {
    assert_eq!(encode(rec), bytes, "encoding");
    approx_eq(&decode::<T>(bytes), rec).unwrap();
}

#[test]
fn cat048_known_answer() {
    check_kat(&cat048_kat(), &CAT048_KAT);
}

#[test]
fn cat062_known_answer() {
    check_kat(&cat062_kat(), &CAT062_KAT);
}

#[test]
fn cat034_known_answer() {
    check_kat(&cat034_kat(), &CAT034_KAT);
}

#[test]
fn cat021_known_answer() {
    check_kat(&cat021_kat(), &CAT021_KAT);
}

#[test]
fn records_round_trip_through_blocks_and_the_enum() {
    let blocks_048 = encode_blocks(&[cat048_kat(), cat048_kat()], 60).unwrap();
    assert_eq!(blocks_048.len(), 2, "60-octet blocks hold one 40-octet record each");
    let mut all = blocks_048.concat();
    all.extend(encode_blocks(&[cat062_kat()], 1000).unwrap().concat());
    all.extend(encode_blocks(&[cat034_kat(), cat034_kat()], 1000).unwrap().concat());
    all.extend(encode_blocks(&[cat021_kat()], 1000).unwrap().concat());
    let recs = decode_all(&all).unwrap();
    let cats: Vec<u8> = recs.iter().map(Record::category).collect();
    assert_eq!(cats, [48, 48, 62, 34, 34, 21]);
    let mut again = Vec::new();
    for r in &recs {
        r.encode(&mut again).unwrap();
    }
    let mut bare = Vec::new();
    for b in blocks(&all) {
        bare.extend_from_slice(b.unwrap().body);
    }
    assert_eq!(again, bare);
    let b = blocks(&all).next().unwrap().unwrap();
    assert_eq!(bulwark_asterix::cat048::decode_block(&b).unwrap().len(), 1);
    let e = bulwark_asterix::cat062::decode_block(&b).unwrap_err();
    assert_eq!(e.kind, DecodeErrorKind::UnsupportedCategory(48));
}

#[test]
fn out_of_range_values_name_the_item() {
    let mut out = vec![0xAA];
    let r = Cat048 {
        measured_polar: Some(cat048::MeasuredPolar { range: 256.0 * NM, azimuth: 0.0 }),
        ..Default::default()
    };
    let e = r.encode(&mut out).unwrap_err();
    assert_eq!(e.item, "I048/040 RHO");
    assert!(e.reason.contains("474112"), "{e}");
    assert_eq!(out, [0xAA], "nothing appended on error");
    let r = Cat048 { time_of_day: Some(-1.0), ..Default::default() };
    assert_eq!(r.encode(&mut out).unwrap_err().item, "I048/140");
    let r = Cat048 { aircraft_address: Some(0x100_0000), ..Default::default() };
    assert_eq!(r.encode(&mut out).unwrap_err().item, "I048/220");
    let r = Cat048 { mode3a: Some(cat048::Mode3A { code: 0o10000, ..Default::default() }), ..Default::default() };
    assert_eq!(r.encode(&mut out).unwrap_err().item, "I048/070");
    let r = Cat048 {
        flight_level: Some(cat048::FlightLevel { altitude: f64::NAN, ..Default::default() }),
        ..Default::default()
    };
    assert_eq!(r.encode(&mut out).unwrap_err().item, "I048/090");
    let r = Cat062 { position_wgs84: Some(LatLon { lat: 91.0 * DEG, lon: 0.0 }), ..Default::default() };
    assert_eq!(r.encode(&mut out).unwrap_err().item, "I062/105 LAT");
    let r = Cat062 { velocity: Some(Xy { x: 8192.0, y: 0.0 }), ..Default::default() };
    assert_eq!(r.encode(&mut out).unwrap_err().item, "I062/185 VX");
    let r = Cat021 {
        ground_vector: Some(cat021::GroundVector { ground_speed: 2.0 * NM, ..Default::default() }),
        ..Default::default()
    };
    assert_eq!(r.encode(&mut out).unwrap_err().item, "I021/160 GS");
    let r = Cat034 { antenna_period: Some(512.0), ..Default::default() };
    assert_eq!(r.encode(&mut out).unwrap_err().item, "I034/041");
    assert_eq!(Cat048::default().encode(&mut out).unwrap_err().item, "record");
    assert_eq!(out, [0xAA]);
}

#[test]
fn periodic_angles_wrap_and_midnight_rounds_to_zero() {
    let lsb = 360.0 / 65_536.0 * DEG;
    let a = Cat048 {
        measured_polar: Some(cat048::MeasuredPolar { range: 0.0, azimuth: 2.0 * PI - 0.4 * lsb }),
        velocity: Some(cat048::PolarVelocity { ground_speed: 0.0, heading: -PI / 2.0 }),
        time_of_day: Some(86_400.0 - 0.4 / 128.0),
        ..Default::default()
    };
    let d: Cat048 = decode(&encode(&a));
    assert_eq!(d.measured_polar.unwrap().azimuth, 0.0);
    assert!((d.velocity.unwrap().heading - 1.5 * PI).abs() < 1e-12);
    assert_eq!(d.time_of_day, Some(0.0));
    let b = Cat062 { position_wgs84: Some(LatLon { lat: 0.0, lon: PI }), ..Default::default() };
    let d: Cat062 = decode(&encode(&b));
    assert!((d.position_wgs84.unwrap().lon + PI).abs() < 1e-12, "180° E is 180° W in [-180°, 180°)");
}

#[test]
fn undefined_and_empty_fspecs_are_errors() {
    // CAT048: FRN 29 is past the 28-slot UAP (five FSPEC octets, slot 1 of the fifth).
    let e = Cat048::decode(&mut Reader::new(&[0x01, 0x01, 0x01, 0x01, 0x80])).unwrap_err();
    assert_eq!(e.kind, DecodeErrorKind::UndefinedItem { category: 48, frn: 29 });
    // CAT062: FRN 2 is a spare slot.
    let e = Cat062::decode(&mut Reader::new(&[0x40, 0, 0])).unwrap_err();
    assert_eq!(e.kind, DecodeErrorKind::UndefinedItem { category: 62, frn: 2 });
    // CAT021: FRN 43 is spare (seventh octet, slot 1).
    let e = Cat021::decode(&mut Reader::new(&[0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x80])).unwrap_err();
    assert_eq!(e.kind, DecodeErrorKind::UndefinedItem { category: 21, frn: 43 });
    // CAT034: FRN 15 is past the 14-slot UAP.
    let e = Cat034::decode(&mut Reader::new(&[0x01, 0x01, 0x80])).unwrap_err();
    assert_eq!(e.kind, DecodeErrorKind::UndefinedItem { category: 34, frn: 15 });
    let e = Cat048::decode(&mut Reader::new(&[0x00])).unwrap_err();
    assert_eq!(e.kind, DecodeErrorKind::EmptyRecord { category: 48 });
    // An extended item whose last defined octet still has FX set.
    let e = Cat048::decode(&mut Reader::new(&[0x20, 0x01, 0x01, 0x01, 0x00])).unwrap_err();
    assert!(matches!(e.kind, DecodeErrorKind::InvalidItem { category: 48, item: "I048/020", .. }), "{e}");
    // A compound subfield beyond the item's definition (I048/130 has 7).
    let e = Cat048::decode(&mut Reader::new(&[0x02, 0x01, 0x80, 0x00])).unwrap_err();
    assert!(matches!(e.kind, DecodeErrorKind::InvalidItem { category: 48, item: "I048/130", .. }), "{e}");
}

/// Items the typed codecs do not model are skipped by their declared structure (the
/// generated layout tables), and the modelled items around them still decode.
#[test]
fn unmodelled_items_are_skipped() {
    // CAT048: 010, 250 (FRN 10, repetitive: REP 1 + 8 octets), 161 (FRN 11), 030 (FRN 16,
    // repetitive FX: two codes), 230 (FRN 21, 2 octets).
    // FSPEC: FRN 1 + FX → 1000 0001; FRN 10, 11 (slots 3, 4) + FX → 0011 0001; FRN 16, 21
    // (slots 2, 7) → 0100 0010.
    let bytes = [
        0x81, 0x31, 0x42, // FSPEC
        0x19, 0xC9, // 010
        0x01, 1, 2, 3, 4, 5, 6, 7, 0x40, // 250: one BDS 4,0 register
        0x04, 0xD2, // 161
        0x03, 0x2E, // 030: codes 1 (FX) and 23
        0x20, 0x00, // 230
    ];
    let d: Cat048 = decode(&bytes);
    assert_eq!(d.data_source, Some(DataSource { sac: 25, sic: 201 }));
    assert_eq!(d.track_number, Some(1234));
    // CAT034: 010, 050 (FRN 6, compound COM + PSR), 060 (FRN 7, compound COM), 120 (FRN 11).
    let bytes = [
        0x87, 0x10, // FSPEC: FRN 1, 6, 7 + FX; FRN 11
        0x19, 0xC9, // 010
        0x90, 0x00, 0x40, // 050: COM, PSR
        0x80, 0x00, // 060: COM
        0x00, 0x78, 0x20, 0x00, 0x00, 0xC0, 0x00, 0x00, // 120
    ];
    let d: Cat034 = decode(&bytes);
    assert_eq!(d.position.unwrap().height, 120.0);
    // CAT021: 010 and 090 (FRN 17, extended: one octet) and 020 (FRN 30).
    let bytes = [0x81, 0x01, 0x21, 0x01, 0x40, 0x19, 0xC9, 0x4A, 0x03];
    let d: Cat021 = decode(&bytes);
    assert_eq!(d.emitter_category, Some(3));
}

fn prefixes_fail<T: CategoryRecord>(bytes: &[u8]) -> Result<(), TestCaseError> {
    for n in 0..bytes.len() {
        prop_assert!(T::decode(&mut Reader::new(&bytes[..n])).is_err(), "prefix of {n} octets decoded");
    }
    Ok(())
}

fn round_trip<T: CategoryRecord + std::fmt::Debug>(rec: &T) -> Result<(), TestCaseError> {
    let bytes = encode(rec);
    let mut r = Reader::new(&bytes);
    let back = T::decode(&mut r).map_err(|e| TestCaseError::fail(format!("{e}")))?;
    prop_assert!(r.is_empty());
    approx_eq(&back, rec).map_err(TestCaseError::fail)?;
    prop_assert_eq!(encode(&back), bytes, "re-encoding is identical");
    prefixes_fail::<T>(&encode(rec))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn cat048_round_trips(rec in typed_support::cat048()) { round_trip(&rec)?; }

    #[test]
    fn cat062_round_trips(rec in typed_support::cat062()) { round_trip(&rec)?; }

    #[test]
    fn cat034_round_trips(rec in typed_support::cat034()) { round_trip(&rec)?; }

    #[test]
    fn cat021_round_trips(rec in typed_support::cat021()) { round_trip(&rec)?; }

    /// Encoding rounds to the nearest LSB: any value within 0.49 LSB of a multiple encodes
    /// as that multiple (checked on fields of each shape: unsigned, signed, periodic, time).
    #[test]
    fn encoding_rounds_to_the_nearest_lsb(
        rho in 0i64..65_536, theta in 0i64..65_536, x in -32_768i64..32_768, t in 1i64..86_400 * 128,
        lat in -(1i64 << 24)..(1 << 24), j in -0.49f64..0.49,
    ) {
        let exact = |f: f64| Cat048 {
            time_of_day: Some((t as f64 + f) / 128.0),
            measured_polar: Some(cat048::MeasuredPolar {
                range: (rho as f64 + f.abs()) * NM / 256.0,
                azimuth: (theta as f64 + f) * 360.0 / 65_536.0 * DEG,
            }),
            calculated_position: Some(Xy { x: (x as f64 + f) * NM / 128.0, y: 0.0 }),
            ..Default::default()
        };
        let r = if rho == 65_535 { exact(0.0) } else { exact(j) };
        prop_assert_eq!(encode(&r), encode(&exact(0.0)));
        let lsb = 180.0 / 33_554_432.0 * DEG;
        let p = |f: f64| Cat062 { position_wgs84: Some(LatLon { lat: (lat as f64 + f) * lsb, lon: 0.0 }), ..Default::default() };
        prop_assert_eq!(encode(&p(j)), encode(&p(0.0)));
    }

    #[test]
    fn random_bytes_never_panic(cat in prop::sample::select(vec![21u8, 34, 48, 62]), data in prop::collection::vec(any::<u8>(), 0..200)) {
        let mut r = Reader::new(&data);
        while !r.is_empty() {
            if Record::decode(cat, &mut r).is_err() {
                break;
            }
        }
        let mut block = vec![cat, 0, 0];
        block.extend_from_slice(&data);
        let len = block.len() as u16;
        block[1..3].copy_from_slice(&len.to_be_bytes());
        let _ = decode_all(&block);
    }
}

#[test]
fn approximate_comparison_can_fail() {
    assert!(approx_eq(&Some(1.0), &Some(1.000_001)).is_err());
    assert!(approx_eq(&Some(-2.5e-7), &Some(-2.5e-7)).is_ok());
    assert!(approx_eq(&cat048_kat(), &Cat048 { track_number: Some(1235), ..cat048_kat() }).is_err());
    assert!(approx_eq(&cat048_kat(), &Cat048 { aircraft_id: None, ..cat048_kat() }).is_err());
}
