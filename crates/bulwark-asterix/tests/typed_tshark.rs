//! Oracle: Wireshark's ASTERIX dissector (`tshark`, tested with 4.0.17, whose CAT048 1.31,
//! CAT062 1.19, CAT034 1.29 and CAT021 2.6 tables are generated from the same edition
//! texts but decoded by code we did not write). For each category, the hand-derived
//! known-answer record and 60 random records (deterministic proptest runner) are encoded into
//! data blocks, written to a pcap as UDP datagrams to port 8600, and read back with
//! `tshark -T json`: no malformed/expert item may appear, and every modelled field must
//! decode to our value (converted to the dissector's units, relative tolerance 1e-6; tshark
//! prints about 15 significant digits). Skipped with a message when `tshark` is absent.
mod typed_support;

use bulwark_asterix::Callsign;
use bulwark_asterix::cat021::Cat021;
use bulwark_asterix::cat034::Cat034;
use bulwark_asterix::cat048::Cat048;
use bulwark_asterix::cat062::Cat062;
use bulwark_asterix::pcap::PcapWriter;
use bulwark_asterix::record::{CategoryRecord, decode_records, encode_blocks};
use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::TestRunner;
use serde_json::Value;
use std::net::{Ipv4Addr, SocketAddrV4};
use std::process::Command;
use typed_support::{DEG, FT, NM};

const FL_M: f64 = 100.0 * FT;

enum V {
    N(f64),
    S(String),
}

type Expect = Vec<(&'static str, V)>;

fn n(e: &mut Expect, key: &'static str, v: f64) {
    e.push((key, V::N(v)));
}

fn b(e: &mut Expect, key: &'static str, v: bool) {
    e.push((key, V::N(f64::from(u8::from(v)))));
}

fn s(e: &mut Expect, key: &'static str, c: &Callsign) {
    e.push((key, V::S(String::from_utf8_lossy(c.as_bytes()).into_owned())));
}

fn tshark() -> Option<&'static str> {
    let ok = Command::new("tshark").arg("--version").output().is_ok_and(|o| o.status.success());
    if ok {
        Some("tshark")
    } else {
        eprintln!("tshark not found: Wireshark cross-check skipped");
        None
    }
}

/// Writes `records` as data blocks (one datagram each), runs tshark, and returns the JSON
/// `asterix.message` objects in order.
fn dissect<T: CategoryRecord>(records: &[T], name: &str) -> Option<(Vec<Value>, Vec<T>)> {
    let tshark = tshark()?;
    let blocks = encode_blocks(records, 1400).expect("encodable");
    let mut decoded = Vec::new();
    for blk in &blocks {
        for b in bulwark_asterix::blocks(blk) {
            decoded.extend(decode_records::<T>(&b.expect("block")).expect("decodable"));
        }
    }
    let path = std::env::temp_dir().join(format!("bulwark-typed-{name}-{}.pcap", std::process::id()));
    let file = std::fs::File::create(&path).expect("temp file");
    let src = SocketAddrV4::new(Ipv4Addr::new(10, 0, 0, 1), 8600);
    let dst = SocketAddrV4::new(Ipv4Addr::new(10, 0, 0, 2), 8600);
    let mut w = PcapWriter::new(file, src, dst).expect("pcap header");
    for (i, blk) in blocks.iter().enumerate() {
        w.write_datagram(1_700_000_000_000_000_000 + i as i128 * 1_000_000, blk).expect("pcap write");
    }
    w.finish().expect("flush");
    let out = Command::new(tshark)
        .args(["-r"])
        .arg(&path)
        .args(["-T", "json", "--no-duplicate-keys", "-d", "udp.port==8600,asterix"])
        .output()
        .expect("tshark runs");
    let _ = std::fs::remove_file(&path);
    assert!(out.status.success(), "tshark failed: {}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains("_ws.malformed") && !text.contains("_ws.expert"), "tshark flags: {text}");
    let json: Value = serde_json::from_str(&text).expect("tshark JSON");
    let mut msgs = Vec::new();
    for pkt in json.as_array().expect("packet array") {
        let ast = &pkt["_source"]["layers"]["asterix"];
        assert!(ast.is_object(), "datagram not dissected as one ASTERIX block: {pkt}");
        match &ast["asterix.message"] {
            Value::Array(a) => msgs.extend(a.iter().cloned()),
            m @ Value::Object(_) => msgs.push(m.clone()),
            other => panic!("no asterix.message: {other}"),
        }
    }
    assert_eq!(msgs.len(), records.len(), "one dissected message per record");
    Some((msgs, decoded))
}

/// Depth-first search for `key` in a dissected message.
fn find<'a>(v: &'a Value, key: &str) -> Option<&'a Value> {
    match v {
        Value::Object(m) => m.get(key).or_else(|| m.values().find_map(|x| find(x, key))),
        Value::Array(a) => a.iter().find_map(|x| find(x, key)),
        _ => None,
    }
}

fn compare(msg: &Value, expect: &Expect, i: usize) {
    for (key, want) in expect {
        let got = find(msg, key).unwrap_or_else(|| panic!("record {i}: {key} missing in {msg}"));
        let got = got.as_str().unwrap_or_else(|| panic!("record {i}: {key} is {got}"));
        match want {
            V::N(w) => {
                let g = match got.strip_prefix("0x") {
                    Some(h) => u64::from_str_radix(h, 16).expect("hex") as f64,
                    None => got.parse::<f64>().unwrap_or_else(|_| panic!("record {i}: {key} = {got:?}")),
                };
                assert!((g - w).abs() <= 1e-6 * w.abs().max(1e-3), "record {i}: {key}: tshark {g}, ours {w}");
            }
            V::S(w) => assert_eq!(got, w, "record {i}: {key}"),
        }
    }
}

fn sample<T: std::fmt::Debug>(strategy: impl Strategy<Value = T>, count: usize) -> Vec<T> {
    let mut runner = TestRunner::deterministic();
    (0..count).map(|_| strategy.new_tree(&mut runner).expect("value").current()).collect()
}

fn expect_048(r: &Cat048) -> Expect {
    let mut e = Expect::new();
    if let Some(d) = r.data_source {
        n(&mut e, "asterix.048_010_SAC", d.sac.into());
        n(&mut e, "asterix.048_010_SIC", d.sic.into());
    }
    if let Some(t) = r.time_of_day {
        n(&mut e, "asterix.048_140_VALUE", t);
    }
    if let Some(d) = r.descriptor {
        n(&mut e, "asterix.048_020_TYP", d.typ.into());
        b(&mut e, "asterix.048_020_SIM", d.simulated);
        b(&mut e, "asterix.048_020_RDP", d.rdp_chain2);
        b(&mut e, "asterix.048_020_SPI", d.spi);
        b(&mut e, "asterix.048_020_RAB", d.field_monitor);
        let ext2 = d.adsb.is_some() || d.scn.is_some() || d.pai.is_some();
        if ext2 || d.test || d.extended_range || d.x_pulse || d.military_emergency || d.military_id || d.foe_fri != 0 {
            b(&mut e, "asterix.048_020_TST", d.test);
            b(&mut e, "asterix.048_020_ERR", d.extended_range);
            b(&mut e, "asterix.048_020_XPP", d.x_pulse);
            b(&mut e, "asterix.048_020_ME", d.military_emergency);
            b(&mut e, "asterix.048_020_MI", d.military_id);
            n(&mut e, "asterix.048_020_FOEFRI", d.foe_fri.into());
        }
        if ext2 {
            let ep = |v: Option<bool>| v.map_or(0.0, |x| 2.0 + f64::from(u8::from(x)));
            n(&mut e, "asterix.048_020_ADSB", ep(d.adsb));
            n(&mut e, "asterix.048_020_SCN", ep(d.scn));
            n(&mut e, "asterix.048_020_PAI", ep(d.pai));
        }
    }
    if let Some(p) = r.measured_polar {
        n(&mut e, "asterix.048_040_RHO", p.range / NM);
        n(&mut e, "asterix.048_040_THETA", p.azimuth / DEG);
    }
    if let Some(m) = r.mode3a {
        b(&mut e, "asterix.048_070_V", m.not_validated);
        b(&mut e, "asterix.048_070_G", m.garbled);
        b(&mut e, "asterix.048_070_L", m.not_extracted);
        n(&mut e, "asterix.048_070_MODE3A", m.code.into());
    }
    if let Some(f) = r.flight_level {
        b(&mut e, "asterix.048_090_V", f.not_validated);
        b(&mut e, "asterix.048_090_G", f.garbled);
        // Wireshark 4.0 reads FL as unsigned (the 1.31 transcription); 1.32 and we read two's
        // complement: a negative FL shows as FL + 4096.
        let fl = f.altitude / FL_M;
        n(&mut e, "asterix.048_090_FL", if fl < 0.0 { fl + 4096.0 } else { fl });
    }
    if let Some(p) = r.plot {
        let sub = [
            ("asterix.048_130_SRL_VALUE", p.ssr_runlength.map(|v| v / DEG)),
            ("asterix.048_130_SRR_VALUE", p.ssr_replies.map(f64::from)),
            ("asterix.048_130_SAM_VALUE", p.ssr_amplitude_dbm.map(f64::from)),
            ("asterix.048_130_PRL_VALUE", p.psr_runlength.map(|v| v / DEG)),
            ("asterix.048_130_PAM_VALUE", p.psr_amplitude_dbm.map(f64::from)),
            ("asterix.048_130_RPD_VALUE", p.range_difference.map(|v| v / NM)),
            ("asterix.048_130_APD_VALUE", p.azimuth_difference.map(|v| v / DEG)),
        ];
        for (k, v) in sub {
            if let Some(v) = v {
                n(&mut e, k, v);
            }
        }
    }
    if let Some(a) = r.aircraft_address {
        n(&mut e, "asterix.048_220_VALUE", a.into());
    }
    if let Some(c) = &r.aircraft_id {
        s(&mut e, "asterix.048_240_VALUE", c);
    }
    if let Some(t) = r.track_number {
        n(&mut e, "asterix.048_161_TRN", t.into());
    }
    if let Some(p) = r.calculated_position {
        n(&mut e, "asterix.048_042_X", p.x / NM);
        n(&mut e, "asterix.048_042_Y", p.y / NM);
    }
    if let Some(v) = r.velocity {
        n(&mut e, "asterix.048_200_GSP", v.ground_speed / NM);
        n(&mut e, "asterix.048_200_HDG", v.heading / DEG);
    }
    if let Some(t) = r.track_status {
        b(&mut e, "asterix.048_170_CNF", t.tentative);
        n(&mut e, "asterix.048_170_RAD", t.sensor.into());
        b(&mut e, "asterix.048_170_DOU", t.doubtful);
        b(&mut e, "asterix.048_170_MAH", t.manoeuvre);
        n(&mut e, "asterix.048_170_CDM", t.climb_mode.into());
        if t.end_of_track || t.ghost || t.neighbour || t.projected {
            b(&mut e, "asterix.048_170_TRE", t.end_of_track);
            b(&mut e, "asterix.048_170_GHO", t.ghost);
            b(&mut e, "asterix.048_170_SUP", t.neighbour);
            b(&mut e, "asterix.048_170_TCC", t.projected);
        }
    }
    e
}

fn expect_062(r: &Cat062) -> Expect {
    let mut e = Expect::new();
    if let Some(d) = r.data_source {
        n(&mut e, "asterix.062_010_SAC", d.sac.into());
        n(&mut e, "asterix.062_010_SIC", d.sic.into());
    }
    if let Some(v) = r.service_id {
        n(&mut e, "asterix.062_015_VALUE", v.into());
    }
    if let Some(t) = r.time_of_track {
        n(&mut e, "asterix.062_070_VALUE", t);
    }
    if let Some(p) = r.position_wgs84 {
        n(&mut e, "asterix.062_105_LAT", p.lat / DEG);
        n(&mut e, "asterix.062_105_LON", p.lon / DEG);
    }
    if let Some(p) = r.position_cartesian {
        n(&mut e, "asterix.062_100_X", p.x);
        n(&mut e, "asterix.062_100_Y", p.y);
    }
    if let Some(v) = r.velocity {
        n(&mut e, "asterix.062_185_VX", v.x);
        n(&mut e, "asterix.062_185_VY", v.y);
    }
    if let Some(a) = r.acceleration {
        n(&mut e, "asterix.062_210_AX", a.x);
        n(&mut e, "asterix.062_210_AY", a.y);
    }
    if let Some(m) = r.mode3a {
        b(&mut e, "asterix.062_060_V", m.not_validated);
        b(&mut e, "asterix.062_060_G", m.garbled);
        b(&mut e, "asterix.062_060_CH", m.changed);
        n(&mut e, "asterix.062_060_MODE3A", m.code.into());
    }
    if let Some(t) = &r.target_id {
        n(&mut e, "asterix.062_245_STI", t.source.into());
        s(&mut e, "asterix.062_245_CHR", &t.id);
    }
    if let Some(t) = r.track_number {
        n(&mut e, "asterix.062_040_VALUE", t.into());
    }
    if let Some(t) = r.track_status {
        // Octets sent: up to the last non-zero one; tshark shows only those.
        let octets: [Vec<(&'static str, u8)>; 6] = [
            vec![
                ("MON", t.monosensor.into()),
                ("SPI", t.spi.into()),
                ("MRH", t.geometric_more_reliable.into()),
                ("SRC", t.altitude_source),
                ("CNF", t.tentative.into()),
            ],
            vec![
                ("SIM", t.simulated.into()),
                ("TSE", t.last_message.into()),
                ("TSB", t.first_message.into()),
                ("FPC", t.flight_plan_correlated.into()),
                ("AFF", t.adsb_inconsistent.into()),
                ("STP", t.slave_promotion.into()),
                ("KOS", t.background_service.into()),
            ],
            vec![
                ("AMA", t.amalgamated.into()),
                ("MD4", t.mode4),
                ("ME", t.military_emergency.into()),
                ("MI", t.military_id.into()),
                ("MD5", t.mode5),
            ],
            vec![
                ("CST", t.coasting.into()),
                ("PSR", t.psr_aged.into()),
                ("SSR", t.ssr_aged.into()),
                ("MDS", t.mode_s_aged.into()),
                ("ADS", t.adsb_aged.into()),
                ("SUC", t.special_code.into()),
                ("AAC", t.code_conflict.into()),
            ],
            vec![
                ("SDS", t.sensor_types),
                ("EMS", t.emergency),
                ("PFT", t.potential_false.into()),
                ("FPLT", t.flight_plan_track.into()),
            ],
            vec![
                ("DUPT", t.duplicate_code.into()),
                ("DUPF", t.duplicate_plan.into()),
                ("DUPM", t.duplicate_manual.into()),
                ("SFC", t.surface.into()),
                ("IDD", t.duplicate_id.into()),
                ("IEC", t.inconsistent_emergency.into()),
            ],
        ];
        let last = octets.iter().rposition(|o| o.iter().any(|&(_, v)| v != 0)).unwrap_or(0);
        for o in &octets[..=last] {
            for &(k, v) in o {
                let key: &'static str = Box::leak(format!("asterix.062_080_{k}").into_boxed_str());
                n(&mut e, key, v.into());
            }
        }
    }
    if let Some(a) = r.update_ages {
        let sub = [
            ("asterix.062_290_TRK_VALUE", a.track),
            ("asterix.062_290_PSR_VALUE", a.psr),
            ("asterix.062_290_SSR_VALUE", a.ssr),
            ("asterix.062_290_MDS_VALUE", a.mode_s),
            ("asterix.062_290_ADS_VALUE", a.ads_c),
            ("asterix.062_290_ES_VALUE", a.adsb_es),
            ("asterix.062_290_VDL_VALUE", a.adsb_vdl),
            ("asterix.062_290_UAT_VALUE", a.adsb_uat),
            ("asterix.062_290_LOP_VALUE", a.loop_age),
            ("asterix.062_290_MLT_VALUE", a.mlat),
        ];
        for (k, v) in sub {
            if let Some(v) = v {
                n(&mut e, k, v);
            }
        }
    }
    if let Some(m) = r.mode_of_movement {
        n(&mut e, "asterix.062_200_TRANS", m.transversal.into());
        n(&mut e, "asterix.062_200_LONG", m.longitudinal.into());
        n(&mut e, "asterix.062_200_VERT", m.vertical.into());
        b(&mut e, "asterix.062_200_ADF", m.altitude_discrepancy);
    }
    if let Some(v) = r.measured_flight_level {
        n(&mut e, "asterix.062_136_VALUE", v / FL_M);
    }
    if let Some(v) = r.geometric_altitude {
        n(&mut e, "asterix.062_130_VALUE", v / FT);
    }
    if let Some(v) = r.rate_of_climb {
        n(&mut e, "asterix.062_220_VALUE", v * 60.0 / FT);
    }
    if let Some(a) = r.accuracies {
        if let Some(p) = a.position {
            n(&mut e, "asterix.062_500_APC_X", p.x);
            n(&mut e, "asterix.062_500_APC_Y", p.y);
        }
        if let Some(c) = a.xy_covariance {
            n(&mut e, "asterix.062_500_COV_VALUE", c);
        }
        if let Some(p) = a.position_wgs84 {
            n(&mut e, "asterix.062_500_APW_LAT", p.lat / DEG);
            n(&mut e, "asterix.062_500_APW_LON", p.lon / DEG);
        }
        if let Some(v) = a.geometric_altitude {
            n(&mut e, "asterix.062_500_AGA_VALUE", v / FT);
        }
        if let Some(v) = a.barometric_altitude {
            n(&mut e, "asterix.062_500_ABA_VALUE", v / FL_M);
        }
        if let Some(v) = a.velocity {
            n(&mut e, "asterix.062_500_ATV_X", v.x);
            n(&mut e, "asterix.062_500_ATV_Y", v.y);
        }
        if let Some(v) = a.acceleration {
            n(&mut e, "asterix.062_500_AA_X", v.x);
            n(&mut e, "asterix.062_500_AA_Y", v.y);
        }
        if let Some(v) = a.rate_of_climb {
            n(&mut e, "asterix.062_500_ARC_VALUE", v * 60.0 / FT);
        }
    }
    e
}

fn expect_034(r: &Cat034) -> Expect {
    let mut e = Expect::new();
    if let Some(d) = r.data_source {
        n(&mut e, "asterix.034_010_SAC", d.sac.into());
        n(&mut e, "asterix.034_010_SIC", d.sic.into());
    }
    if let Some(m) = r.message_type {
        n(&mut e, "asterix.034_000_VALUE", m.code().into());
    }
    if let Some(t) = r.time_of_day {
        n(&mut e, "asterix.034_030_VALUE", t);
    }
    if let Some(a) = r.sector {
        n(&mut e, "asterix.034_020_VALUE", a / DEG);
    }
    if let Some(p) = r.antenna_period {
        n(&mut e, "asterix.034_041_VALUE", p);
    }
    if let Some(p) = r.position {
        // Wireshark 4.0 reads HGT as unsigned; the edition says two's complement (fixed in
        // zoranbosnjak/asterix-specs PR #25, 2023): a negative height shows as height + 65 536.
        n(&mut e, "asterix.034_120_HGT", if p.height < 0.0 { p.height + 65_536.0 } else { p.height });
        n(&mut e, "asterix.034_120_LAT", p.lat / DEG);
        n(&mut e, "asterix.034_120_LON", p.lon / DEG);
    }
    e
}

fn expect_021(r: &Cat021) -> Expect {
    let mut e = Expect::new();
    if let Some(d) = r.data_source {
        n(&mut e, "asterix.021_010_SAC", d.sac.into());
        n(&mut e, "asterix.021_010_SIC", d.sic.into());
    }
    if let Some(d) = r.descriptor {
        n(&mut e, "asterix.021_040_ATP", d.address_type.into());
        n(&mut e, "asterix.021_040_ARC", d.altitude_capability.into());
        b(&mut e, "asterix.021_040_RC", d.range_check);
        b(&mut e, "asterix.021_040_RAB", d.field_monitor);
        let count = |v: Option<u8>| v.map_or(0.0, |c| 64.0 + f64::from(c));
        let e4 = d.max_bits_corrected.is_some();
        let e3 = e4 || d.total_bits_corrected.is_some();
        let e2 = e3
            || d.list_lookup_failed
            || d.independent_check_failed
            || d.nogo
            || d.cpr_failed
            || d.position_jump
            || d.range_check_failed;
        let e1 = e2
            || d.differential_correction
            || d.ground_bit
            || d.simulated
            || d.test
            || d.selected_altitude_unavailable
            || d.confidence != 0;
        if e1 {
            b(&mut e, "asterix.021_040_DCR", d.differential_correction);
            b(&mut e, "asterix.021_040_GBS", d.ground_bit);
            b(&mut e, "asterix.021_040_SIM", d.simulated);
            b(&mut e, "asterix.021_040_TST", d.test);
            b(&mut e, "asterix.021_040_SAA", d.selected_altitude_unavailable);
            n(&mut e, "asterix.021_040_CL", d.confidence.into());
        }
        if e2 {
            b(&mut e, "asterix.021_040_LLC", d.list_lookup_failed);
            b(&mut e, "asterix.021_040_IPC", d.independent_check_failed);
            b(&mut e, "asterix.021_040_NOGO", d.nogo);
            b(&mut e, "asterix.021_040_CPR", d.cpr_failed);
            b(&mut e, "asterix.021_040_LDPJ", d.position_jump);
            b(&mut e, "asterix.021_040_RCF", d.range_check_failed);
        }
        if e3 {
            n(&mut e, "asterix.021_040_TBC", count(d.total_bits_corrected));
        }
        if e4 {
            n(&mut e, "asterix.021_040_MBC", count(d.max_bits_corrected));
        }
    }
    if let Some(t) = r.track_number {
        n(&mut e, "asterix.021_161_TRNUM", t.into());
    }
    if let Some(v) = r.service_id {
        n(&mut e, "asterix.021_015_VALUE", v.into());
    }
    if let Some(t) = r.time_of_applicability_position {
        n(&mut e, "asterix.021_071_VALUE", t);
    }
    if let Some(p) = r.position {
        n(&mut e, "asterix.021_130_LAT", p.lat / DEG);
        n(&mut e, "asterix.021_130_LON", p.lon / DEG);
    }
    if let Some(p) = r.position_high_res {
        n(&mut e, "asterix.021_131_LAT", p.lat / DEG);
        n(&mut e, "asterix.021_131_LON", p.lon / DEG);
    }
    if let Some(a) = r.target_address {
        n(&mut e, "asterix.021_080_VALUE", a.into());
    }
    if let Some(t) = r.time_of_reception_position {
        n(&mut e, "asterix.021_073_VALUE", t);
    }
    if let Some(h) = r.geometric_height {
        n(&mut e, "asterix.021_140_VALUE", h / FT);
    }
    if let Some(c) = r.mode3a {
        n(&mut e, "asterix.021_070_MODE3A", c.into());
    }
    if let Some(h) = r.flight_level {
        n(&mut e, "asterix.021_145_VALUE", h / FL_M);
    }
    if let Some(t) = r.target_status {
        b(&mut e, "asterix.021_200_ICF", t.intent_change);
        b(&mut e, "asterix.021_200_LNAV", t.lnav_not_engaged);
        b(&mut e, "asterix.021_200_ME", t.military_emergency);
        n(&mut e, "asterix.021_200_PS", t.priority.into());
        n(&mut e, "asterix.021_200_SS", t.surveillance.into());
    }
    if let Some(v) = r.barometric_vertical_rate {
        b(&mut e, "asterix.021_155_RE", v.range_exceeded);
        n(&mut e, "asterix.021_155_BVR", v.rate * 60.0 / FT);
    }
    if let Some(v) = r.geometric_vertical_rate {
        b(&mut e, "asterix.021_157_RE", v.range_exceeded);
        n(&mut e, "asterix.021_157_GVR", v.rate * 60.0 / FT);
    }
    if let Some(g) = r.ground_vector {
        b(&mut e, "asterix.021_160_RE", g.range_exceeded);
        n(&mut e, "asterix.021_160_GS", g.ground_speed / NM);
        n(&mut e, "asterix.021_160_TA", g.track_angle / DEG);
    }
    if let Some(c) = &r.target_id {
        s(&mut e, "asterix.021_170_VALUE", c);
    }
    if let Some(c) = r.emitter_category {
        n(&mut e, "asterix.021_020_VALUE", c.into());
    }
    e
}

fn check_all<T: CategoryRecord + std::fmt::Debug>(
    records: Vec<T>,
    name: &str,
    expect: fn(&T) -> Expect,
) -> Option<usize> {
    let (msgs, decoded) = dissect(&records, name)?;
    for (i, (m, r)) in msgs.iter().zip(&decoded).enumerate() {
        compare(m, &expect(r), i);
    }
    Some(msgs.len())
}

#[test]
fn wireshark_agrees_on_cat048() {
    let mut recs = vec![typed_support::cat048_kat()];
    recs.extend(sample(typed_support::cat048(), 60));
    if let Some(k) = check_all(recs, "048", expect_048) {
        assert_eq!(k, 61);
    }
}

#[test]
fn wireshark_agrees_on_cat062() {
    let mut recs = vec![typed_support::cat062_kat()];
    recs.extend(sample(typed_support::cat062(), 60));
    check_all(recs, "062", expect_062);
}

#[test]
fn wireshark_agrees_on_cat034() {
    let mut recs = vec![typed_support::cat034_kat()];
    recs.extend(sample(typed_support::cat034(), 60));
    check_all(recs, "034", expect_034);
}

#[test]
fn wireshark_agrees_on_cat021() {
    let mut recs = vec![typed_support::cat021_kat()];
    recs.extend(sample(typed_support::cat021(), 60));
    check_all(recs, "021", expect_021);
}
