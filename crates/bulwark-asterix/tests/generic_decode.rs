//! Spec-driven JSON decoding of the hand-built records in `layout_fixtures`. Expected values:
//! worked out by hand from the specifications and identical to what Wireshark 4.0.17's ASTERIX
//! dissector shows for the same bytes (`tshark -d udp.port==8600,asterix -O asterix`, e.g.
//! "RHO, [NM]: 100", "MODE3A: 01234", "IAS: 800" with "IM: Air Speed = Mach", "Barometric
//! Vertical Rate, [ft/min]: -1000"); SI conversions use exact unit definitions (1 NM = 1852 m,
//! 1 ft = 0.3048 m, 1 FL = 100 ft, 1 kt = 1852/3600 m/s; BIPM SI brochure, 9th ed., Table 8).
mod layout_fixtures;

use std::f64::consts::PI;

use bulwark_asterix::DecodeErrorKind;
use bulwark_asterix::bytes::Reader;
use bulwark_asterix::generic::{decode_all, decode_block, decode_record, si_unit};
use bulwark_asterix::layout::skip_record;
use layout_fixtures::*;
use serde_json::{Value, json};

fn decode(cat: u8, rec: &[u8]) -> Value {
    decode_record(cat, &mut Reader::new(rec)).unwrap_or_else(|e| panic!("CAT{cat:03}: {e}"))
}

/// The SI value of a quantity at `path` ("I048/040/RHO"), checking its unit.
fn si(v: &Value, path: &str, unit: &str) -> f64 {
    let q = v["items"].pointer(&format!("/{}", path.replacen('/', "~1", 1))).unwrap_or_else(|| panic!("no {path}"));
    assert_eq!(q["unit"], unit, "{path}");
    q["value"].as_f64().unwrap_or_else(|| panic!("{path}: {q}"))
}

fn item<'v>(v: &'v Value, id: &str) -> &'v Value {
    &v["items"][id]
}

fn close(got: f64, want: f64, what: &str) {
    assert!((got - want).abs() <= 1e-9 * want.abs().max(1.0), "{what}: {got} vs {want}");
}

#[test]
fn decodes_a_cat048_plot() {
    let v = decode(48, CAT048_PLOT);
    assert_eq!(v["category"], 48);
    assert_eq!(v["length"], 41);
    assert_eq!(item(&v, "I048/010"), &json!({"SAC": 25, "SIC": 201}));
    assert_eq!(item(&v, "I048/020")["TYP"], json!({"value": 5, "meaning": "Single ModeS Roll-Call"}));
    assert_eq!(item(&v, "I048/020")["TST"]["value"], 0, "second part decoded");
    assert_eq!(item(&v, "I048/070")["MODE3A"], "1234");
    assert_eq!(item(&v, "I048/161"), &json!({"TRN": 291}));
    assert_eq!(item(&v, "I048/220"), &json!(0x3C6586));
    assert_eq!(item(&v, "I048/240"), &json!("BAW123"));
    assert_eq!(item(&v, "I048/170")["CDM"], json!({"value": 1, "meaning": "Climbing"}));
    assert_eq!(item(&v, "I048/230")["B1B"], 7);
    assert_eq!(item(&v, "I048/130")["SRR"], 5);
    assert_eq!(item(&v, "I048/040")["RHO"]["raw"], 25600);
    close(si(&v, "I048/140", "s"), 43_200.0, "time of day");
    close(si(&v, "I048/040/RHO", "m"), 100.0 * 1852.0, "RHO 100 NM");
    close(si(&v, "I048/040/THETA", "rad"), PI / 2.0, "THETA 90°");
    close(si(&v, "I048/090/FL", "m"), 350.0 * 100.0 * 0.3048, "FL350");
    close(si(&v, "I048/200/GSP", "m/s"), 0.125 * 1852.0, "0.125 NM/s");
    close(si(&v, "I048/200/HDG", "rad"), PI, "180°");
    close(si(&v, "I048/130/SRL", "rad"), 0.703125_f64.to_radians(), "SRL");
    close(si(&v, "I048/130/SAM", "dBm"), -75.0, "SAM");
    close(si(&v, "I048/130/RPD", "m"), -0.0625 * 1852.0, "RPD");
}

#[test]
fn decodes_repetitive_and_explicit_items() {
    let v = decode(48, CAT048_REPETITIVE);
    assert_eq!(
        item(&v, "I048/030"),
        &json!([{"value": 3, "meaning": "Split plot"}, {"value": 20, "meaning": "Flock of Birds"}])
    );
    assert_eq!(item(&v, "I048/250"), &json!([{"MBDATA": "11223344556677", "BDS1": 4, "BDS2": 0}]));
    let v = decode(48, CAT048_RE_SP);
    assert_eq!(item(&v, "I048/SP"), &json!({"length": 3, "data": "abcd"}));
    assert_eq!(item(&v, "I048/RE"), &json!({"length": 1, "data": ""}));
}

#[test]
fn decodes_a_cat062_track() {
    let v = decode(62, CAT062_TRACK);
    assert_eq!(v["length"], 68);
    assert_eq!(item(&v, "I062/040"), &json!(4660));
    assert_eq!(item(&v, "I062/060")["MODE3A"], "7500");
    assert_eq!(item(&v, "I062/060")["CH"]["value"], 1);
    assert_eq!(item(&v, "I062/080")["SRC"], json!({"value": 2, "meaning": "3D radar"}));
    assert_eq!(item(&v, "I062/080")["KOS"]["value"], 0, "second extension decoded");
    let adr = item(&v, "I062/380");
    assert_eq!(adr["ADR"], 0x3C6586);
    assert_eq!(adr["ID"], "DLH4AB");
    assert_eq!(adr["MB"], json!(["1122334455667730"]));
    // IAS depends on IM: IM = 1 selects Mach with LSB 0.001.
    assert_eq!(adr["IAS"]["IAS"], json!({"raw": 800, "value": 0.8, "unit": "Mach"}));
    close(si(&v, "I062/380/BVR", "m/s"), -1000.0 * 0.3048 / 60.0, "BVR");
    close(si(&v, "I062/070", "s"), 43_200.5, "time of track");
    close(si(&v, "I062/105/LAT", "rad"), PI / 4.0, "LAT 45°");
    close(si(&v, "I062/105/LON", "rad"), -PI / 2.0, "LON -90°");
    close(si(&v, "I062/185/VX", "m/s"), 100.0, "VX");
    close(si(&v, "I062/185/VY", "m/s"), -50.0, "VY");
    close(si(&v, "I062/136", "m"), 350.0 * 30.48, "FL350");
    assert_eq!(item(&v, "I062/290")["TRK"]["value"], 2.0);
    assert_eq!(item(&v, "I062/290")["ADS"]["value"], 64.0);
    assert_eq!(item(&v, "I062/290")["MLT"]["value"], 0.5);
    assert!(item(&v, "I062/290").get("PSR").is_none());
    assert_eq!(item(&v, "I062/500")["APC"]["Y"]["value"], 100.0);
    assert_eq!(item(&v, "I062/500")["ATV"]["X"]["value"], 1.0);
}

#[test]
fn decodes_cat034_and_cat021() {
    let v = decode(34, CAT034_NORTH);
    assert_eq!(item(&v, "I034/000"), &json!({"value": 1, "meaning": "North marker message"}));
    assert_eq!(item(&v, "I034/050")["PSR"]["CHAB"], json!({"value": 1, "meaning": "Channel A only selected"}));
    assert_eq!(item(&v, "I034/050")["COM"]["NOGO"]["value"], 0);
    assert_eq!(item(&v, "I034/RE"), &json!({"length": 3, "data": "aabb"}));
    assert_eq!(item(&v, "I034/SP"), &json!({"length": 2, "data": "cc"}));
    close(si(&v, "I034/041", "s"), 4.0, "antenna period");

    let v = decode(21, CAT021_ADSB);
    assert_eq!(item(&v, "I021/040")["ATP"]["value"], 1);
    assert_eq!(item(&v, "I021/040")["ARC"], json!({"value": 1, "meaning": "100 ft"}));
    assert_eq!(item(&v, "I021/161"), &json!({"TRNUM": 42}));
    assert_eq!(item(&v, "I021/170"), &json!("DLH4AB"));
    // AS depends on IM: IM = 0 selects IAS in NM/s with LSB 2^-14.
    close(si(&v, "I021/150/AS", "m/s"), 1024.0 / 16384.0 * 1852.0, "IAS");
    close(si(&v, "I021/130/LAT", "rad"), PI / 4.0, "LAT");
    close(si(&v, "I021/130/LON", "rad"), -PI / 2.0, "LON");
    close(si(&v, "I021/145", "m"), 350.0 * 30.48, "FL");
}

#[test]
fn decode_and_skip_agree_on_every_fixture() {
    for &(cat, rec) in ALL {
        let v = decode(cat, rec);
        let skipped = skip_record(cat, &mut Reader::new(rec)).unwrap();
        assert_eq!(v["length"].as_u64(), Some(skipped.len() as u64));
        assert_eq!(v["length"].as_u64(), Some(rec.len() as u64));
    }
}

#[test]
fn decodes_all_blocks_and_resumes_after_a_bad_record() {
    // Block 1: two CAT048 records; block 2: a CAT062 record; block 3: a CAT062 record with the
    // spare FRN 2 set, then a good one that cannot be reached; block 4: CAT034.
    let bad = [0xC0, 0x19, 0x01];
    let data = [
        block(48, &[CAT048_PLOT, CAT048_REPETITIVE]),
        block(62, &[CAT062_TRACK]),
        block(62, &[&bad, CAT062_TRACK]),
        block(34, &[CAT034_NORTH]),
    ]
    .concat();
    let out: Vec<_> = decode_all(&data).collect();
    assert_eq!(out.len(), 5);
    assert_eq!(out[0].as_ref().unwrap()["offset"], 3);
    assert_eq!(out[1].as_ref().unwrap()["offset"], 3 + 41);
    assert_eq!(out[2].as_ref().unwrap()["category"], 62);
    let e = out[3].as_ref().unwrap_err();
    assert_eq!(e.kind, DecodeErrorKind::UndefinedItem { category: 62, frn: 2 });
    assert_eq!(e.offset, 60 + 71 + 3, "offset of the bad record in the whole buffer");
    assert_eq!(out[4].as_ref().unwrap()["category"], 34);
    // A block of an unsupported category yields one error and decoding goes on.
    let data = [block(1, &[&[0x80, 0x00]]), block(48, &[CAT048_RE_SP])].concat();
    let out: Vec<_> = decode_all(&data).collect();
    assert_eq!(out[0].as_ref().unwrap_err().kind, DecodeErrorKind::UnsupportedCategory(1));
    assert!(out[1].is_ok());
    // A bad block length ends everything.
    let mut data = block(48, &[CAT048_RE_SP]);
    data.extend_from_slice(&[48, 0, 200, 1]);
    let out: Vec<_> = decode_all(&data).collect();
    assert_eq!(out.len(), 2);
    assert!(matches!(out[1].as_ref().unwrap_err().kind, DecodeErrorKind::BadBlockLength { .. }));
    // decode_block on one block.
    let b = block(48, &[CAT048_PLOT, CAT048_RE_SP]);
    let first = bulwark_asterix::blocks(&b).next().unwrap().unwrap();
    assert_eq!(decode_block(&first).filter(Result::is_ok).count(), 2);
}

#[test]
fn every_truncation_is_an_error() {
    for &(cat, rec) in ALL {
        for n in 0..rec.len() {
            let e = decode_record(cat, &mut Reader::new(&rec[..n])).expect_err("strict prefix");
            assert!(matches!(e.kind, DecodeErrorKind::Truncated { .. }), "CAT{cat:03} prefix {n}: {e}");
        }
    }
}

#[test]
fn rejects_what_the_layout_rejects() {
    let e = decode_record(48, &mut Reader::new(&[0xA0, 0x19, 0xC9, 0xA1, 0x01, 0x01, 0x00])).unwrap_err();
    assert!(matches!(e.kind, DecodeErrorKind::InvalidItem { item: "020", .. }), "{e}");
    let e = decode_record(34, &mut Reader::new(&[0x04, 0x40, 0x00])).unwrap_err();
    assert!(matches!(e.kind, DecodeErrorKind::InvalidItem { item: "050", .. }), "{e}");
    let e = decode_record(48, &mut Reader::new(&[0x00])).unwrap_err();
    assert_eq!(e.kind, DecodeErrorKind::EmptyRecord { category: 48 });
}

#[test]
fn si_units_are_exact_definitions() {
    // 1 NM = 1852 m, 1 ft = 0.3048 m (exact, international yard and pound agreement, 1959).
    assert_eq!(si_unit("NM"), Some((1852.0, "m")));
    assert_eq!(si_unit("FL"), Some((30.48, "m")));
    let (kt, unit) = si_unit("kt").unwrap();
    assert_eq!(unit, "m/s");
    close(kt * 3600.0, 1852.0, "kt");
    let (fpm, unit) = si_unit("ft/min").unwrap();
    assert_eq!(unit, "m/s");
    close(fpm * 60.0, 0.3048, "ft/min");
    let (deg, unit) = si_unit("°").unwrap();
    assert_eq!(unit, "rad");
    close(deg * 180.0, PI, "°");
    assert_eq!(si_unit("furlong"), None);
}
