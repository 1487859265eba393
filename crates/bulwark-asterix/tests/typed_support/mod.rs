//! Shared by the `typed_*` tests: proptest strategies for records whose quantities are exact
//! multiples of each field's LSB (LSBs written here from the edition texts, independently of
//! the crate's constants), and an approximate structural comparison.
#![allow(dead_code)]
use bulwark_asterix::cat021::{self, Cat021};
use bulwark_asterix::cat034::{Cat034, MessageType, SourcePosition};
use bulwark_asterix::cat048::{self, Cat048};
use bulwark_asterix::cat062::{self, Cat062};
use bulwark_asterix::{Callsign, DataSource, LatLon, Xy};
use proptest::option::of;
use proptest::prelude::*;
use std::f64::consts::PI;

pub const NM: f64 = 1852.0;
pub const FT: f64 = 0.3048;
pub const DEG: f64 = PI / 180.0;

/// CAT048 1.31 record, derivation per item (FRN in brackets):
/// - FSPEC: FRN 1–7 → 1111111 + FX = 0xFF; FRN 8, 9, 11, 12, 13, 14 (not 10) → 1101 1110 = 0xDE.
/// - 010 [1]: SAC 25, SIC 201 → 19 C9.
/// - 140 [2]: 43 200.5 s × 128 = 5 529 664 = 0x546040.
/// - 020 [3]: TYP 5 (Mode S roll-call) in bits 8–6, no extension → 101 0000 0 = A0.
/// - 040 [4]: RHO 100 NM × 256 = 25 600 = 0x6400; THETA 90° × 2¹⁶/360 = 0x4000.
/// - 070 [5]: V G L = 0, code 1234₈ = 0x29C → 02 9C.
/// - 090 [6]: FL 350 × 4 = 1400 = 0x0578.
/// - 130 [7]: subfields SRL, SRR, SAM → primary 1110 0000 = E0; SRL 20 (= 0.879°), SRR 7,
///   SAM −60 dBm = 0xC4.
/// - 220 [8]: 3C 65 86.
/// - 240 [9]: "AFR1234 " → 6-bit codes 1 6 18 49 50 51 52 32 → 04 64 B1 CB 3D 20.
/// - 161 [11]: 1234 = 0x04D2.
/// - 042 [12]: X 10 NM × 128 = 0x0500; Y −5 NM × 128 = −640 = 0xFD80.
/// - 200 [13]: GSP 0.125 NM/s × 2¹⁴ = 0x0800; HDG 180° = 0x8000.
/// - 170 [14]: CNF 0, RAD 2, DOU 0, MAH 0, CDM 1 → 0 10 0 0 01 0 = 0x42.
pub const CAT048_KAT: [u8; 40] = [
    0xFF, 0xDE, 0x19, 0xC9, 0x54, 0x60, 0x40, 0xA0, 0x64, 0x00, 0x40, 0x00, 0x02, 0x9C, 0x05, 0x78, 0xE0, 0x14, 0x07,
    0xC4, 0x3C, 0x65, 0x86, 0x04, 0x64, 0xB1, 0xCB, 0x3D, 0x20, 0x04, 0xD2, 0x05, 0x00, 0xFD, 0x80, 0x08, 0x00, 0x80,
    0x00, 0x42,
];

pub fn cat048_kat() -> Cat048 {
    Cat048 {
        data_source: Some(DataSource { sac: 25, sic: 201 }),
        time_of_day: Some(43_200.5),
        descriptor: Some(cat048::TargetReportDescriptor { typ: 5, ..Default::default() }),
        measured_polar: Some(cat048::MeasuredPolar { range: 100.0 * NM, azimuth: PI / 2.0 }),
        mode3a: Some(cat048::Mode3A { code: 0o1234, ..Default::default() }),
        flight_level: Some(cat048::FlightLevel { altitude: 350.0 * 100.0 * FT, ..Default::default() }),
        plot: Some(cat048::PlotCharacteristics {
            ssr_runlength: Some(20.0 * 360.0 / 8192.0 * DEG),
            ssr_replies: Some(7),
            ssr_amplitude_dbm: Some(-60),
            ..Default::default()
        }),
        aircraft_address: Some(0x3C6586),
        aircraft_id: Callsign::new("AFR1234"),
        track_number: Some(1234),
        calculated_position: Some(Xy { x: 18_520.0, y: -9_260.0 }),
        velocity: Some(cat048::PolarVelocity { ground_speed: 0.125 * NM, heading: PI }),
        track_status: Some(cat048::TrackStatus { sensor: 2, climb_mode: 1, ..Default::default() }),
    }
}

/// CAT062 1.19 record, derivation per item (FRN in brackets):
/// - FSPEC: FRN 1,3,4,5,6,7 → 1011 1111 = BF; FRN 8,9,10,12,13,14 → 1110 1111 = EF;
///   FRN 15,17,18,20 → 1011 0101 = B5; FRN 27 → 0000 0100 = 04.
/// - 010 [1]: 19 64. 015 [3]: 07. 070 [4]: 43 200.5 s × 128 = 54 60 40.
/// - 105 [5]: LAT 45° × 2²⁵/180 = 2²³ = 00 80 00 00; LON −90° = −2²⁴ = FF 00 00 00.
/// - 100 [6]: X 1000.5 m / 0.5 = 2001 = 00 07 D1; Y −2000 m / 0.5 = −4000 = FF F0 60.
/// - 185 [7]: VX 100.25 / 0.25 = 401 = 01 91; VY −50 / 0.25 = −200 = FF 38.
/// - 210 [8]: AX 1.5 / 0.25 = 06; AY −0.25 / 0.25 = FF.
/// - 060 [9]: CH = 1 (bit 14), code 7700₈ = 0xFC0 → 2F C0.
/// - 245 [10]: STI 0 → 00; "BAW123  " → codes 2 1 23 49 50 51 32 32 → 08 15 F1 CB 38 20.
/// - 040 [12]: 513 = 02 01.
/// - 080 [13]: MON 1, SRC 3 (triangulation), FX → 1000 1101 = 8D; TSB 1 → 0010 0000 = 20.
/// - 290 [14]: TRK, ADS, MLT → 1000 1001 = 89, 0010 0000 = 20; TRK 1.5 s ×4 = 06;
///   ADS 100 s × 4 = 01 90; MLT 0.25 s × 4 = 01.
/// - 200 [15]: TRANS 1 (right turn), VERT 1 (climb) → 01 00 01 0 0 = 44.
/// - 136 [17]: FL 350 × 4 = 05 78. 130 [18]: 10 000 ft / 6.25 = 1600 = 06 40.
/// - 220 [20]: −1000 ft/min / 6.25 = −160 = FF 60.
/// - 500 [27]: APC, ATV → 1000 0100 = 84; APC 10 m → 00 14, 12.5 m → 00 19; ATV 0.5 → 02, 1.0 → 04.
pub const CAT062_KAT: [u8; 63] = [
    0xBF, 0xEF, 0xB5, 0x04, 0x19, 0x64, 0x07, 0x54, 0x60, 0x40, 0x00, 0x80, 0x00, 0x00, 0xFF, 0x00, 0x00, 0x00, 0x00,
    0x07, 0xD1, 0xFF, 0xF0, 0x60, 0x01, 0x91, 0xFF, 0x38, 0x06, 0xFF, 0x2F, 0xC0, 0x00, 0x08, 0x15, 0xF1, 0xCB, 0x38,
    0x20, 0x02, 0x01, 0x8D, 0x20, 0x89, 0x20, 0x06, 0x01, 0x90, 0x01, 0x44, 0x05, 0x78, 0x06, 0x40, 0xFF, 0x60, 0x84,
    0x00, 0x14, 0x00, 0x19, 0x02, 0x04,
];

pub fn cat062_kat() -> Cat062 {
    Cat062 {
        data_source: Some(DataSource { sac: 25, sic: 100 }),
        service_id: Some(7),
        time_of_track: Some(43_200.5),
        position_wgs84: Some(LatLon { lat: 45.0 * DEG, lon: -90.0 * DEG }),
        position_cartesian: Some(Xy { x: 1000.5, y: -2000.0 }),
        velocity: Some(Xy { x: 100.25, y: -50.0 }),
        acceleration: Some(Xy { x: 1.5, y: -0.25 }),
        mode3a: Some(cat062::Mode3A { code: 0o7700, changed: true, ..Default::default() }),
        target_id: Some(cat062::TargetIdentification { source: 0, id: Callsign::new("BAW123").unwrap() }),
        track_number: Some(513),
        track_status: Some(cat062::TrackStatus {
            monosensor: true,
            altitude_source: 3,
            first_message: true,
            ..Default::default()
        }),
        update_ages: Some(cat062::UpdateAges {
            track: Some(1.5),
            ads_c: Some(100.0),
            mlat: Some(0.25),
            ..Default::default()
        }),
        mode_of_movement: Some(cat062::ModeOfMovement { transversal: 1, vertical: 1, ..Default::default() }),
        measured_flight_level: Some(350.0 * 100.0 * FT),
        geometric_altitude: Some(10_000.0 * FT),
        rate_of_climb: Some(-1000.0 * FT / 60.0),
        accuracies: Some(cat062::Accuracies {
            position: Some(Xy { x: 10.0, y: 12.5 }),
            velocity: Some(Xy { x: 0.5, y: 1.0 }),
            ..Default::default()
        }),
        special_purpose: None,
    }
}

/// CAT034 1.29 record:
/// - FSPEC: FRN 1–5 + FX → 1111 1001 = F9; FRN 11 → 0001 0000 = 10.
/// - 010: 19 C9. 000: 02 (sector crossing). 030: 43 200.5 s → 54 60 40.
/// - 020: 45° × 256/360 = 32 = 20. 041: 4 s × 128 = 512 = 02 00.
/// - 120: HGT 120 m = 00 78; LAT 45° × 2²³/180 = 2²¹ = 20 00 00; LON −90° = −2²² = C0 00 00.
pub const CAT034_KAT: [u8; 19] =
    [0xF9, 0x10, 0x19, 0xC9, 0x02, 0x54, 0x60, 0x40, 0x20, 0x02, 0x00, 0x00, 0x78, 0x20, 0x00, 0x00, 0xC0, 0x00, 0x00];

pub fn cat034_kat() -> Cat034 {
    Cat034 {
        data_source: Some(DataSource { sac: 25, sic: 201 }),
        message_type: Some(MessageType::SectorCrossing),
        time_of_day: Some(43_200.5),
        sector: Some(PI / 4.0),
        antenna_period: Some(4.0),
        position: Some(SourcePosition { height: 120.0, lat: PI / 4.0, lon: -PI / 2.0 }),
    }
}

/// CAT021 2.6 record:
/// - FSPEC: FRN 1,2,3,5,6 + FX → 1110 1101 = ED; FRN 11 + FX → 0001 0001 = 11;
///   FRN 16, 21 + FX → 0100 0011 = 43; FRN 24, 26 + FX → 0010 1001 = 29; FRN 29, 30 → 1100 0000 = C0.
/// - 010: 19 C9. 040: ARC 1 (100 ft) + FX → 0000 1001 = 09; GBS → 0100 0000 = 40.
/// - 161: 1234 → 04 D2. 071: 43 200.5 s → 54 60 40.
/// - 130: LAT 45° × 2²³/180 = 20 00 00; LON −90° = C0 00 00. 080: 3C 65 86.
/// - 140: 10 000 ft / 6.25 = 1600 = 06 40. 145: FL 350 × 4 = 05 78.
/// - 155: RE 0, −1000 ft/min / 6.25 = −160 in 15 bits = 0x7F60.
/// - 160: RE 0, GS 0.125 NM/s × 2¹⁴ = 08 00; TA 90° = 40 00.
/// - 170: "AFR1234 " → 04 64 B1 CB 3D 20. 020: 03 (medium aircraft).
pub const CAT021_KAT: [u8; 40] = [
    0xED, 0x11, 0x43, 0x29, 0xC0, 0x19, 0xC9, 0x09, 0x40, 0x04, 0xD2, 0x54, 0x60, 0x40, 0x20, 0x00, 0x00, 0xC0, 0x00,
    0x00, 0x3C, 0x65, 0x86, 0x06, 0x40, 0x05, 0x78, 0x7F, 0x60, 0x08, 0x00, 0x40, 0x00, 0x04, 0x64, 0xB1, 0xCB, 0x3D,
    0x20, 0x03,
];

pub fn cat021_kat() -> Cat021 {
    Cat021 {
        data_source: Some(DataSource { sac: 25, sic: 201 }),
        descriptor: Some(cat021::TargetReportDescriptor {
            altitude_capability: 1,
            ground_bit: true,
            ..Default::default()
        }),
        track_number: Some(1234),
        time_of_applicability_position: Some(43_200.5),
        position: Some(LatLon { lat: PI / 4.0, lon: -PI / 2.0 }),
        target_address: Some(0x3C6586),
        geometric_height: Some(3048.0),
        flight_level: Some(350.0 * 100.0 * FT),
        barometric_vertical_rate: Some(cat021::VerticalRate { rate: -1000.0 * FT / 60.0, range_exceeded: false }),
        ground_vector: Some(cat021::GroundVector { ground_speed: 231.5, track_angle: PI / 2.0, range_exceeded: false }),
        target_id: Callsign::new("AFR1234"),
        emitter_category: Some(3),
        ..Default::default()
    }
}

/// Values raw × lsb for raw in `lo..=hi`.
pub fn q(lo: i64, hi: i64, lsb: f64) -> impl Strategy<Value = f64> + Clone {
    (lo..=hi).prop_map(move |r| r as f64 * lsb)
}

pub fn data_source() -> impl Strategy<Value = DataSource> {
    any::<(u8, u8)>().prop_map(|(sac, sic)| DataSource { sac, sic })
}

pub fn callsign() -> impl Strategy<Value = Callsign> {
    "[A-Z0-9 ]{0,8}".prop_map(|s| Callsign::new(&s).expect("alphabet"))
}

pub fn time_of_day() -> impl Strategy<Value = f64> {
    q(0, 86_400 * 128 - 1, 1.0 / 128.0)
}

fn xy(lo: i64, hi: i64, lsb: f64) -> impl Strategy<Value = Xy> {
    (q(lo, hi, lsb), q(lo, hi, lsb)).prop_map(|(x, y)| Xy { x, y })
}

pub fn cat048() -> impl Strategy<Value = Cat048> {
    let descriptor = (0u8..8, any::<[bool; 9]>(), 0u8..4, of(any::<bool>()), of(any::<bool>()), of(any::<bool>()))
        .prop_map(|(typ, b, foe_fri, adsb, scn, pai)| cat048::TargetReportDescriptor {
            typ,
            simulated: b[0],
            rdp_chain2: b[1],
            spi: b[2],
            field_monitor: b[3],
            test: b[4],
            extended_range: b[5],
            x_pulse: b[6],
            military_emergency: b[7],
            military_id: b[8],
            foe_fri,
            adsb,
            scn,
            pai,
        });
    let polar = (q(0, 65_535, NM / 256.0), q(0, 65_535, 360.0 / 65_536.0 * DEG))
        .prop_map(|(range, azimuth)| cat048::MeasuredPolar { range, azimuth });
    let mode3a = (0u16..=0o7777, any::<[bool; 3]>()).prop_map(|(code, f)| cat048::Mode3A {
        code,
        not_validated: f[0],
        garbled: f[1],
        not_extracted: f[2],
    });
    let fl = (q(-8192, 8191, 25.0 * FT), any::<[bool; 2]>()).prop_map(|(altitude, f)| cat048::FlightLevel {
        altitude,
        not_validated: f[0],
        garbled: f[1],
    });
    let plot = (
        of(q(0, 255, 360.0 / 8192.0 * DEG)),
        of(any::<u8>()),
        of(any::<i8>()),
        of(q(0, 255, 360.0 / 8192.0 * DEG)),
        of(any::<i8>()),
        of(q(-128, 127, NM / 256.0)),
        of(q(-128, 127, 360.0 / 16_384.0 * DEG)),
    )
        .prop_map(|(a, b, c, d, e, f, g)| cat048::PlotCharacteristics {
            ssr_runlength: a,
            ssr_replies: b,
            ssr_amplitude_dbm: c,
            psr_runlength: d,
            psr_amplitude_dbm: e,
            range_difference: f,
            azimuth_difference: g,
        });
    let velocity = (q(0, 65_535, NM / 16_384.0), q(0, 65_535, 360.0 / 65_536.0 * DEG))
        .prop_map(|(ground_speed, heading)| cat048::PolarVelocity { ground_speed, heading });
    let status = (any::<[bool; 7]>(), 0u8..4, 0u8..4).prop_map(|(b, sensor, climb_mode)| cat048::TrackStatus {
        tentative: b[0],
        sensor,
        doubtful: b[1],
        manoeuvre: b[2],
        climb_mode,
        end_of_track: b[3],
        ghost: b[4],
        neighbour: b[5],
        projected: b[6],
    });
    (
        (of(data_source()), of(time_of_day()), of(descriptor), of(polar), of(mode3a), of(fl), of(plot)),
        (
            of(0u32..=0xFF_FFFF),
            of(callsign()),
            of(0u16..=4095),
            of(xy(-32_768, 32_767, NM / 128.0)),
            of(velocity),
            of(status),
        ),
    )
        .prop_map(|((a, b, c, d, e, f, g), (h, i, j, k, l, m))| Cat048 {
            data_source: a,
            time_of_day: b,
            descriptor: c,
            measured_polar: d,
            mode3a: e,
            flight_level: f,
            plot: g,
            aircraft_address: h,
            aircraft_id: i,
            track_number: j,
            calculated_position: k,
            velocity: l,
            track_status: m,
        })
        .prop_filter("at least one item", |r| *r != Cat048::default())
}

pub fn cat062() -> impl Strategy<Value = Cat062> {
    let lat_lsb = 180.0 / 33_554_432.0 * DEG;
    let wgs = (q(-(1 << 24), 1 << 24, lat_lsb), q(-(1 << 25), (1 << 25) - 1, lat_lsb))
        .prop_map(|(lat, lon)| LatLon { lat, lon });
    let mode3a = (0u16..=0o7777, any::<[bool; 3]>()).prop_map(|(code, f)| cat062::Mode3A {
        code,
        not_validated: f[0],
        garbled: f[1],
        changed: f[2],
    });
    let target_id = (0u8..4, callsign()).prop_map(|(source, id)| cat062::TargetIdentification { source, id });
    let status = (any::<[bool; 16]>(), any::<[bool; 12]>(), 0u8..8, 0u8..4, 0u8..4, 0u8..4, 0u8..8).prop_map(
        |(b, c, altitude_source, mode4, mode5, sensor_types, emergency)| cat062::TrackStatus {
            monosensor: b[0],
            spi: b[1],
            geometric_more_reliable: b[2],
            altitude_source,
            tentative: b[3],
            simulated: b[4],
            last_message: b[5],
            first_message: b[6],
            flight_plan_correlated: b[7],
            adsb_inconsistent: b[8],
            slave_promotion: b[9],
            background_service: b[10],
            amalgamated: b[11],
            mode4,
            military_emergency: b[12],
            military_id: b[13],
            mode5,
            coasting: b[14],
            psr_aged: b[15],
            ssr_aged: c[0],
            mode_s_aged: c[1],
            adsb_aged: c[2],
            special_code: c[3],
            code_conflict: c[4],
            sensor_types,
            emergency,
            potential_false: c[5],
            flight_plan_track: c[6],
            duplicate_code: c[7],
            duplicate_plan: c[8],
            duplicate_manual: c[9],
            surface: c[10],
            duplicate_id: c[11],
            inconsistent_emergency: b[0] ^ c[0],
        },
    );
    let age = || of(q(0, 255, 0.25));
    let ages = (age(), age(), age(), age(), of(q(0, 65_535, 0.25)), age(), age(), age(), age(), age()).prop_map(
        |(track, psr, ssr, mode_s, ads_c, adsb_es, adsb_vdl, adsb_uat, loop_age, mlat)| cat062::UpdateAges {
            track,
            psr,
            ssr,
            mode_s,
            ads_c,
            adsb_es,
            adsb_vdl,
            adsb_uat,
            loop_age,
            mlat,
        },
    );
    let mom = (0u8..4, 0u8..4, 0u8..4, any::<bool>()).prop_map(|(t, l, v, a)| cat062::ModeOfMovement {
        transversal: t,
        longitudinal: l,
        vertical: v,
        altitude_discrepancy: a,
    });
    let acc = (
        of(xy(0, 65_535, 0.5)),
        of(q(-32_768, 32_767, 0.5)),
        of((q(0, 65_535, lat_lsb), q(0, 65_535, lat_lsb)).prop_map(|(lat, lon)| LatLon { lat, lon })),
        of(q(0, 255, 6.25 * FT)),
        of(q(0, 255, 25.0 * FT)),
        of(xy(0, 255, 0.25)),
        of(xy(0, 255, 0.25)),
        of(q(0, 255, 6.25 * FT / 60.0)),
    )
        .prop_map(|(a, b, c, d, e, f, g, h)| cat062::Accuracies {
            position: a,
            xy_covariance: b,
            position_wgs84: c,
            geometric_altitude: d,
            barometric_altitude: e,
            velocity: f,
            acceleration: g,
            rate_of_climb: h,
        });
    (
        (
            of(data_source()),
            of(any::<u8>()),
            of(time_of_day()),
            of(wgs),
            of(xy(-(1 << 23), (1 << 23) - 1, 0.5)),
            of(xy(-32_768, 32_767, 0.25)),
            of(xy(-128, 127, 0.25)),
            of(mode3a),
            of(target_id),
        ),
        (
            of(any::<u16>()),
            of(status),
            of(ages),
            of(mom),
            of(q(-32_768, 32_767, 25.0 * FT)),
            of(q(-32_768, 32_767, 6.25 * FT)),
            of(q(-32_768, 32_767, 6.25 * FT / 60.0)),
            of(acc),
        ),
    )
        .prop_map(|((a, b, c, d, e, f, g, h, i), (j, k, l, m, n, o, p, r))| Cat062 {
            data_source: a,
            service_id: b,
            time_of_track: c,
            position_wgs84: d,
            position_cartesian: e,
            velocity: f,
            acceleration: g,
            mode3a: h,
            target_id: i,
            track_number: j,
            track_status: k,
            update_ages: l,
            mode_of_movement: m,
            measured_flight_level: n,
            geometric_altitude: o,
            rate_of_climb: p,
            accuracies: r,
            special_purpose: None,
        })
        .prop_filter("at least one item", |r| *r != Cat062::default())
}

pub fn cat034() -> impl Strategy<Value = Cat034> {
    let lsb = 180.0 / 8_388_608.0 * DEG;
    let pos = (q(-32_768, 32_767, 1.0), q(-(1 << 22), 1 << 22, lsb), q(-(1 << 23), (1 << 23) - 1, lsb))
        .prop_map(|(height, lat, lon)| SourcePosition { height, lat, lon });
    (
        of(data_source()),
        of(any::<u8>().prop_map(MessageType::from_code)),
        of(time_of_day()),
        of(q(0, 255, 360.0 / 256.0 * DEG)),
        of(q(0, 65_535, 1.0 / 128.0)),
        of(pos),
    )
        .prop_map(|(a, b, c, d, e, f)| Cat034 {
            data_source: a,
            message_type: b,
            time_of_day: c,
            sector: d,
            antenna_period: e,
            position: f,
        })
        .prop_filter("at least one item", |r| *r != Cat034::default())
}

pub fn cat021() -> impl Strategy<Value = Cat021> {
    let descriptor = (0u8..8, 0u8..4, any::<[bool; 13]>(), 0u8..4, of(0u8..64), of(0u8..64)).prop_map(
        |(address_type, altitude_capability, b, confidence, tbc, mbc)| cat021::TargetReportDescriptor {
            address_type,
            altitude_capability,
            range_check: b[0],
            field_monitor: b[1],
            differential_correction: b[2],
            ground_bit: b[3],
            simulated: b[4],
            test: b[5],
            selected_altitude_unavailable: b[6],
            confidence,
            list_lookup_failed: b[7],
            independent_check_failed: b[8],
            nogo: b[9],
            cpr_failed: b[10],
            position_jump: b[11],
            range_check_failed: b[12],
            total_bits_corrected: tbc,
            max_bits_corrected: mbc,
        },
    );
    let l23 = 180.0 / 8_388_608.0 * DEG;
    let l30 = 180.0 / 1_073_741_824.0 * DEG;
    let pos =
        (q(-(1 << 22), 1 << 22, l23), q(-(1 << 23), (1 << 23) - 1, l23)).prop_map(|(lat, lon)| LatLon { lat, lon });
    let hr =
        (q(-(1 << 29), 1 << 29, l30), q(-(1 << 31), (1 << 31) - 1, l30)).prop_map(|(lat, lon)| LatLon { lat, lon });
    let status = (any::<[bool; 3]>(), 0u8..8, 0u8..4).prop_map(|(b, priority, surveillance)| cat021::TargetStatus {
        intent_change: b[0],
        lnav_not_engaged: b[1],
        military_emergency: b[2],
        priority,
        surveillance,
    });
    let rate = || {
        (q(-16_384, 16_383, 6.25 * FT / 60.0), any::<bool>())
            .prop_map(|(rate, range_exceeded)| cat021::VerticalRate { rate, range_exceeded })
    };
    let gv = (q(0, 32_767, NM / 16_384.0), q(0, 65_535, 360.0 / 65_536.0 * DEG), any::<bool>()).prop_map(
        |(ground_speed, track_angle, range_exceeded)| cat021::GroundVector {
            ground_speed,
            track_angle,
            range_exceeded,
        },
    );
    (
        (
            of(data_source()),
            of(descriptor),
            of(0u16..4096),
            of(any::<u8>()),
            of(time_of_day()),
            of(pos),
            of(hr),
            of(0u32..=0xFF_FFFF),
            of(time_of_day()),
        ),
        (
            of(q(-32_768, 32_767, 6.25 * FT)),
            of(0u16..=0o7777),
            of(q(-32_768, 32_767, 25.0 * FT)),
            of(status),
            of(rate()),
            of(rate()),
            of(gv),
            of(callsign()),
            of(any::<u8>()),
        ),
    )
        .prop_map(|((a, b, c, d, e, f, g, h, i), (j, k, l, m, n, o, p, r, s))| Cat021 {
            data_source: a,
            descriptor: b,
            track_number: c,
            service_id: d,
            time_of_applicability_position: e,
            position: f,
            position_high_res: g,
            target_address: h,
            time_of_reception_position: i,
            geometric_height: j,
            mode3a: k,
            flight_level: l,
            target_status: m,
            barometric_vertical_rate: n,
            geometric_vertical_rate: o,
            ground_vector: p,
            target_id: r,
            emitter_category: s,
        })
        .prop_filter("at least one item", |r| *r != Cat021::default())
}

/// Compares two values through their `Debug` text: every number within `1e-9` relative
/// (LSB-quantised inputs decode to the same multiple up to rounding of the last bit),
/// everything else identical.
pub fn approx_eq<T: std::fmt::Debug>(a: &T, b: &T) -> Result<(), String> {
    let (sa, sb) = (format!("{a:?}"), format!("{b:?}"));
    let (ta, tb) = (tokens(&sa), tokens(&sb));
    if ta.len() != tb.len() {
        return Err(format!("structure differs:\n{sa}\n{sb}"));
    }
    for (x, y) in ta.iter().zip(&tb) {
        match (x.parse::<f64>(), y.parse::<f64>()) {
            (Ok(u), Ok(v)) if x.starts_with(|c: char| c.is_ascii_digit() || c == '-') => {
                if (u - v).abs() > 1e-9 * u.abs().max(1.0) {
                    return Err(format!("{u} vs {v}:\n{sa}\n{sb}"));
                }
            }
            _ if x == y => {}
            _ => return Err(format!("{x:?} vs {y:?}:\n{sa}\n{sb}")),
        }
    }
    Ok(())
}

fn tokens(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let cs: Vec<char> = s.chars().collect();
    let mut i = 0;
    while i < cs.len() {
        let starts_number = cs[i].is_ascii_digit()
            || (cs[i] == '-' && cs.get(i + 1).is_some_and(|c| c.is_ascii_digit()))
                && !cs.get(i.wrapping_sub(1)).is_some_and(|c| c.is_alphanumeric());
        if starts_number && !(i > 0 && cs[i - 1].is_alphabetic()) {
            let j0 = i;
            i += 1;
            while i < cs.len() && (cs[i].is_ascii_digit() || matches!(cs[i], '.' | 'e' | '-')) {
                i += 1;
            }
            out.push(cs[j0..i].iter().collect());
        } else {
            out.push(cs[i].to_string());
            i += 1;
        }
    }
    out
}
