//! Recorded civil flights from ASTERIX CAT021 (ADS-B) and CAT062 (system tracks).
//!
//! The fixtures `tests/fixtures/flights/recorded_cat021.ast` (raw data blocks) and
//! `recorded_cat062.pcap` are written by [`cat021_fixture`] / [`cat062_fixture`] with our
//! encoder (`BULWARK_REGEN_FIXTURES=1 cargo test -p bulwark-scenario --test recorded_asterix`
//! rewrites them; otherwise the test checks they are what the helpers make). Oracle for the
//! values: the helpers' inputs, quantised by the items' LSBs (I021/131 180/2³⁰°, I062/105
//! 180/2²⁵°, I021/145 ¼ FL, I021/140 and I062/130 6.25 ft, times 1/128 s).
use bulwark_asterix::cat021::Cat021;
use bulwark_asterix::cat062::{Cat062, Mode3A, TargetIdentification};
use bulwark_asterix::pcap::PcapWriter;
use bulwark_asterix::record::encode_blocks;
use bulwark_asterix::{Callsign, DataSource, LatLon};
use bulwark_core::SimTime;
use bulwark_scenario::{Catalog, CivilPath, Scenario};
use std::net::{Ipv4Addr, SocketAddrV4};
use std::path::{Path, PathBuf};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

const FT: f64 = 0.3048;

/// Two ADS-B aircraft, one report a second from 86 395 s (23:59:55) across midnight, with one
/// report of the first repeated (a redundant feed).
fn cat021_fixture() -> Vec<u8> {
    let mut recs = Vec::new();
    for k in 0..10 {
        let tod = (86_395.0 + k as f64).rem_euclid(86_400.0);
        recs.push(Cat021 {
            data_source: Some(DataSource { sac: 7, sic: 21 }),
            target_address: Some(0x3C_6601),
            target_id: Callsign::new("DLH65A"),
            time_of_reception_position: Some(tod),
            position_high_res: Some(LatLon {
                lat: (54.0 + 0.002 * k as f64).to_radians(),
                lon: (19.0 + 0.003 * k as f64).to_radians(),
            }),
            flight_level: Some(350.0 * 100.0 * FT),
            mode3a: Some(0o1234),
            ..Default::default()
        });
        if k == 3 {
            recs.push(recs[recs.len() - 1].clone());
        }
        recs.push(Cat021 {
            data_source: Some(DataSource { sac: 7, sic: 21 }),
            target_address: Some(0x4C_A123),
            target_id: Callsign::new("RYR12AB"),
            time_of_reception_position: Some((tod + 0.5).rem_euclid(86_400.0)),
            position_high_res: Some(LatLon { lat: 55.0f64.to_radians(), lon: (20.0 - 0.004 * k as f64).to_radians() }),
            geometric_height: Some(11_000.0),
            ..Default::default()
        });
    }
    encode_blocks(&recs, 400).unwrap().concat()
}

/// Two system tracks (42 with a callsign, 43 without), as a pcap with one block per datagram.
fn cat062_fixture() -> Vec<u8> {
    let mut recs = Vec::new();
    for k in 0..5 {
        for trk in [42u16, 43] {
            recs.push(Cat062 {
                data_source: Some(DataSource { sac: 7, sic: 62 }),
                time_of_track: Some(14_400.0 + 4.0 * k as f64),
                position_wgs84: Some(LatLon {
                    lat: (54.5 + 0.01 * k as f64).to_radians(),
                    lon: (20.0 + f64::from(trk - 42)).to_radians(),
                }),
                geometric_altitude: Some(9_000.0),
                mode3a: Some(Mode3A { code: 0o7000, ..Default::default() }),
                target_id: (trk == 42)
                    .then(|| TargetIdentification { source: 0, id: Callsign::new("LOT281").unwrap() }),
                track_number: Some(trk),
                ..Default::default()
            });
        }
    }
    let mut w = PcapWriter::new(
        Vec::new(),
        SocketAddrV4::new(Ipv4Addr::new(10, 0, 0, 1), 8600),
        SocketAddrV4::new(Ipv4Addr::new(232, 1, 1, 62), 8600),
    )
    .unwrap();
    for (i, b) in encode_blocks(&recs, 120).unwrap().iter().enumerate() {
        w.write_datagram(1_780_286_400_000_000_000 + i as i128 * 1_000_000_000, b).unwrap();
    }
    w.finish().unwrap()
}

#[test]
fn fixtures_are_what_the_helpers_write() {
    for (name, bytes) in [("recorded_cat021.ast", cat021_fixture()), ("recorded_cat062.pcap", cat062_fixture())] {
        let path = fixtures().join("flights").join(name);
        if std::env::var_os("BULWARK_REGEN_FIXTURES").is_some() {
            std::fs::write(&path, &bytes).unwrap();
        }
        assert_eq!(std::fs::read(&path).unwrap(), bytes, "{name}: regenerate with BULWARK_REGEN_FIXTURES=1");
    }
}

fn catalog() -> Catalog {
    Catalog::load_dir(fixtures().join("catalog")).unwrap()
}

#[test]
fn scenario_flights_come_from_cat021_and_cat062() {
    let s = Scenario::load(fixtures().join("valid_asterix.toml"), None).unwrap();
    assert_eq!(s.civil.len(), 3);

    // By address: epoch 23:59:50, first report 23:59:55 → 5 s; midnight crossed at 10 s.
    let a = &s.civil[0];
    assert_eq!((a.callsign.as_str(), a.squawk), ("DLH65A", Some(0o1234)));
    let CivilPath::Recorded(p) = &a.path else { panic!("recorded path") };
    assert_eq!(p.len(), 10, "the repeated report is dropped");
    assert_eq!(a.start, SimTime::from_nanos(5_000_000_000));
    assert_eq!(p[9].0, SimTime::from_nanos(14_000_000_000), "continuous across midnight");
    assert!((p[9].1.lat_rad.to_degrees() - 54.018).abs() < 1e-7, "I021/131 LSB 1.7e-7°");
    assert!((p[0].1.alt_m - 10_668.0).abs() < 1e-9, "FL350 = 35 000 ft, as the scenario's \"FL350\"");

    // By callsign: geometric height, times +0.5 s.
    let b = &s.civil[1];
    assert_eq!((b.callsign.as_str(), b.squawk), ("RYR12AB", None));
    let CivilPath::Recorded(p) = &b.path else { panic!("recorded path") };
    assert_eq!(p[0].0, SimTime::from_nanos(5_500_000_000));
    assert!((p[0].1.alt_m - 11_000.0).abs() <= 6.25 * 0.3048 / 2.0);

    // By track number from the CAT062 pcap: epoch 23:59:50, track time 04:00:00 → the
    // recording is taken to be within 12 h of the epoch: 04:00:10 the next day.
    let c = &s.civil[2];
    assert_eq!((c.callsign.as_str(), c.squawk), ("TRK43", Some(0o7000)));
    let CivilPath::Recorded(p) = &c.path else { panic!("recorded path") };
    assert_eq!(p.len(), 5);
    assert_eq!(c.start, SimTime::from_nanos(14_410_000_000_000));
    assert!((p[0].1.lon_rad.to_degrees() - 21.0).abs() < 2.7e-6, "half an I062/105 LSB");
    assert!((p[4].1.lat_rad.to_degrees() - 54.54).abs() < 2.7e-6);
}

const HEAD: &str = r#"[scenario]
name = "t"
epoch = "2026-06-01T23:59:50Z"
origin = { lat = 54.7, lon = 20.5 }
duration = "5 h"    # the CAT062 recording is at 04:00, 4 h after the epoch
time_step = "1 s"
"#;

fn load(civil: &str) -> Result<Scenario, bulwark_scenario::Diagnostic> {
    let text = format!("{HEAD}\n[[civil]]\ntype = \"airliner-widebody\"\n{civil}\n");
    Scenario::from_str(&text, fixtures().join("inline.toml"), &catalog())
}

#[test]
fn selection_errors_list_the_recording_and_point_at_the_key() {
    let e = load("asterix = \"flights/recorded_cat021.ast\"\naddress = \"ABCDEF\"").unwrap_err();
    assert_eq!((e.line, e.column), (11, 11), "{e}");
    assert!(e.message.contains("no aircraft") && e.message.contains("address 3C6601 callsign DLH65A"), "{e}");
    assert!(e.message.contains("address 4CA123 callsign RYR12AB"), "{e}");

    let e = load("asterix = \"flights/recorded_cat021.ast\"").unwrap_err();
    assert!(e.message.contains("holds 2 aircraft"), "{e}");
    assert_eq!(e.line, 10, "{e}");

    let e = load("asterix = \"flights/recorded_cat062.pcap\"\ncallsign = \"LOT281\"\ntrack_number = 42").unwrap_err();
    assert!(e.message.contains("not several"), "{e}");

    let e = load("asterix = \"flights/recorded_cat021.ast\"\naddress = \"3C66\"").unwrap_err();
    assert!(e.message.contains("six hex digits"), "{e}");
    let e = load("address = \"3C6601\"").unwrap_err();
    assert!(e.message.contains("add asterix"), "{e}");
    let e = load("asterix = \"flights/recorded_cat021.ast\"\naddress = \"3C6601\"\nsquawk = \"7000\"").unwrap_err();
    assert!(e.message.contains("squawk cannot be given with asterix"), "{e}");
    let e = load("asterix = \"flights/none.ast\"").unwrap_err();
    assert!(e.message.contains("cannot read recording"), "{e}");

    // Selecting by callsign works in CAT062 too (I245).
    let s = load("asterix = \"flights/recorded_cat062.pcap\"\ncallsign = \"LOT281\"").unwrap();
    assert_eq!(s.civil[0].callsign, "LOT281");
}

#[test]
fn a_broken_recording_names_its_byte_offset() {
    let dir = std::env::temp_dir().join(format!("bulwark-rec-asterix-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut bytes = cat021_fixture();
    let cut = bytes.len() - 2;
    bytes.truncate(cut); // the last block's LEN now overruns the file
    std::fs::write(dir.join("bad.ast"), &bytes).unwrap();
    let text =
        format!("{HEAD}\n[[civil]]\ntype = \"airliner-widebody\"\nasterix = \"bad.ast\"\naddress = \"3C6601\"\n");
    let e = Scenario::from_str(&text, dir.join("s.toml"), &catalog()).unwrap_err();
    assert_eq!(e.line, 0, "an error about the recording, not the scenario text");
    assert!(e.message.starts_with("at byte "), "{e}");
    let offset: usize = e.message["at byte ".len()..].split(':').next().unwrap().parse().unwrap();
    assert!(offset < cut, "{e}");
    // A file of no ASTERIX at all.
    std::fs::write(dir.join("bad.ast"), b"hello").unwrap();
    assert!(Scenario::from_str(&text, dir.join("s.toml"), &catalog()).is_err());
    let _ = std::fs::remove_dir_all(&dir);
}

/// Issue 19: malformed packets of a recorded ASTERIX capture were skipped without a word. The
/// CAT062 fixture with packet 0's IPv4 version nibble set to 6 under an Ethernet type of IPv4
/// (RFC 791: version 4) still loads from its other packets, and the scenario carries a
/// warning naming the packet for `validate` and `run` to print.
#[test]
fn malformed_packets_of_a_recording_are_a_warning() {
    let s = load("asterix = \"flights/recorded_cat062.pcap\"\ntrack_number = 42").unwrap();
    assert!(s.input_warnings.is_empty(), "{:?}", s.input_warnings);
    let dir = std::env::temp_dir().join(format!("bulwark-rec-malformed-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut bytes = cat062_fixture();
    // libpcap: 24-byte file header, 16-byte packet header, 14 bytes of Ethernet, then IPv4.
    bytes[24 + 16 + 14] = 0x65;
    std::fs::write(dir.join("bad.pcap"), &bytes).unwrap();
    let text = format!("{HEAD}\n[[civil]]\ntype = \"airliner-widebody\"\nasterix = \"bad.pcap\"\ntrack_number = 42\n");
    let s = Scenario::from_str(&text, dir.join("s.toml"), &catalog()).unwrap();
    assert_eq!(s.input_warnings.len(), 1, "{:?}", s.input_warnings);
    let w = &s.input_warnings[0];
    assert!(w.contains("bad.pcap: warning: 1 malformed packet(s) skipped"), "{w}");
    assert!(w.ends_with("the first is packet 0)"), "{w}");
    let _ = std::fs::remove_dir_all(&dir);
}
