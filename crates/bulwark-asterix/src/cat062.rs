//! CAT062 SDPS system track data, edition 1.19 (EUROCONTROL-SPEC-0149-9; layouts as in
//! `asterix-specs/cat062-1.19.ast`). Typed items: 010, 015, 070, 105, 100, 185, 210, 060,
//! 245, 040, 080, 290, 200, 136, 130, 220, 500 and SP (with the [`BulwarkSp`] convention); every other present item is skipped by its
//! declared structure. Quantisation and range rules: see [`crate::record`].
use crate::bytes::{Reader, Writer};
use crate::error::{DecodeError, EncodeError};
use crate::fspec::Fspec;
use crate::record::{
    CategoryRecord, DataSource, FL, FT, Field, LatLon, TypedItems, Xy, bit, check, decode_typed, deg, fspec_of, opt,
    put, read_compound, read_extended, read_mode_code, write_extended, write_mode_code,
};
use crate::{Block, record::Callsign};

const CAT: u8 = 62;

const TOT: Field = Field::unsigned(CAT, "I062/070", 1.0 / 128.0, 24, "s");
const LAT: Field = Field::new(CAT, "I062/105 LAT", deg(180.0 / 33_554_432.0), -(1 << 24), 1 << 24, "rad");
const LON: Field = Field::signed(CAT, "I062/105 LON", deg(180.0 / 33_554_432.0), 26, "rad");
const POS_X: Field = Field::signed(CAT, "I062/100 X", 0.5, 24, "m");
const POS_Y: Field = Field::signed(CAT, "I062/100 Y", 0.5, 24, "m");
const VX: Field = Field::signed(CAT, "I062/185 VX", 0.25, 16, "m/s");
const VY: Field = Field::signed(CAT, "I062/185 VY", 0.25, 16, "m/s");
const AX: Field = Field::signed(CAT, "I062/210 AX", 0.25, 8, "m/s²");
const AY: Field = Field::signed(CAT, "I062/210 AY", 0.25, 8, "m/s²");
const MFL: Field = Field::signed(CAT, "I062/136", FL / 4.0, 16, "m");
const GALT: Field = Field::signed(CAT, "I062/130", 6.25 * FT, 16, "m");
const ROCD: Field = Field::signed(CAT, "I062/220", 6.25 * FT / 60.0, 16, "m/s");
const AGE: Field = Field::unsigned(CAT, "I062/290", 0.25, 8, "s");
const AGE_ADS: Field = Field::unsigned(CAT, "I062/290 ADS", 0.25, 16, "s");
const APC: Field = Field::unsigned(CAT, "I062/500 APC", 0.5, 16, "m");
const COV: Field = Field::signed(CAT, "I062/500 COV", 0.5, 16, "m");
const APW: Field = Field::unsigned(CAT, "I062/500 APW", deg(180.0 / 33_554_432.0), 16, "rad");
const AGA: Field = Field::unsigned(CAT, "I062/500 AGA", 6.25 * FT, 8, "m");
const ABA: Field = Field::unsigned(CAT, "I062/500 ABA", FL / 4.0, 8, "m");
const ATV: Field = Field::unsigned(CAT, "I062/500 ATV", 0.25, 8, "m/s");
const AA: Field = Field::unsigned(CAT, "I062/500 AA", 0.25, 8, "m/s²");
const ARC: Field = Field::unsigned(CAT, "I062/500 ARC", 6.25 * FT / 60.0, 8, "m/s");

/// One CAT062 system track report. Each item is optional; the FSPEC lists exactly the present ones.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Cat062 {
    /// I062/010 (FRN 1).
    pub data_source: Option<DataSource>,
    /// I062/015 (FRN 3): service identification.
    pub service_id: Option<u8>,
    /// I062/070 (FRN 4): time of track information, s since midnight UTC, LSB 1/128 s.
    pub time_of_track: Option<f64>,
    /// I062/105 (FRN 5): WGS-84 position, rad, LSB 180/2²⁵ °; longitude taken modulo 2π.
    pub position_wgs84: Option<LatLon>,
    /// I062/100 (FRN 6): position in the system plane, m, LSB 0.5 m.
    pub position_cartesian: Option<Xy>,
    /// I062/185 (FRN 7): velocity, m/s, LSB 0.25 m/s.
    pub velocity: Option<Xy>,
    /// I062/210 (FRN 8): acceleration, m/s², LSB 0.25 m/s².
    pub acceleration: Option<Xy>,
    /// I062/060 (FRN 9).
    pub mode3a: Option<Mode3A>,
    /// I062/245 (FRN 10).
    pub target_id: Option<TargetIdentification>,
    /// I062/040 (FRN 12): track number.
    pub track_number: Option<u16>,
    /// I062/080 (FRN 13).
    pub track_status: Option<TrackStatus>,
    /// I062/290 (FRN 14).
    pub update_ages: Option<UpdateAges>,
    /// I062/200 (FRN 15).
    pub mode_of_movement: Option<ModeOfMovement>,
    /// I062/136 (FRN 17): measured flight level as pressure altitude, m (FL × 100 ft), LSB 1/4 FL.
    pub measured_flight_level: Option<f64>,
    /// I062/130 (FRN 18): geometric altitude above the WGS-84 ellipsoid, m, LSB 6.25 ft.
    pub geometric_altitude: Option<f64>,
    /// I062/220 (FRN 20): rate of climb (positive) or descent, m/s, LSB 6.25 ft/min.
    pub rate_of_climb: Option<f64>,
    /// I062/500 (FRN 27).
    pub accuracies: Option<Accuracies>,
    /// SP, Special Purpose field (FRN 35): its content after the length octet, at most 254
    /// octets (see [`BulwarkSp`] for the Bulwark convention carried in it).
    pub special_purpose: Option<Vec<u8>>,
}

/// The Bulwark convention in CAT062's SP field: the originator's standard identity of the
/// track, for which CAT062 has no item. Content (after SP's length octet): `B`, `W` (0x42,
/// 0x57), version 1, then the identity as its STANAG 1241 / APP-6 letter: `P` pending, `U`
/// unknown, `A` assumed friend, `F` friend, `N` neutral, `S` suspect, `H` hostile. A reader
/// that does not know the convention skips SP by its length, as the standard provides.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct BulwarkSp {
    /// The APP-6 standard identity letter.
    pub identity: u8,
}

impl BulwarkSp {
    const TAG: [u8; 3] = [b'B', b'W', 1];
    const LETTERS: &'static [u8] = b"PUAFNSH";

    /// The SP content of `identity`, `None` for a letter outside the convention.
    pub fn encode(self) -> Option<Vec<u8>> {
        BulwarkSp::LETTERS.contains(&self.identity).then(|| [&BulwarkSp::TAG[..], &[self.identity]].concat())
    }

    /// The convention read from an SP content; `None` for other SP uses or unknown letters.
    pub fn decode(sp: &[u8]) -> Option<BulwarkSp> {
        match sp {
            [b'B', b'W', 1, l] if BulwarkSp::LETTERS.contains(l) => Some(BulwarkSp { identity: *l }),
            _ => None,
        }
    }
}

/// I062/060 track Mode 3/A code.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct Mode3A {
    /// The code as a 12-bit number whose octal digits are the code (e.g. `0o7500`).
    pub code: u16,
    /// V: code not validated.
    pub not_validated: bool,
    /// G: garbled code.
    pub garbled: bool,
    /// CH: the code changed.
    pub changed: bool,
}

/// I062/245 target identification.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct TargetIdentification {
    /// STI, 0..=3: 0 callsign or registration downlinked, 1 callsign not downlinked,
    /// 2 registration not downlinked, 3 invalid.
    pub source: u8,
    pub id: Callsign,
}

/// I062/080 track status (all six octets; trailing all-zero extensions are not sent).
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct TrackStatus {
    /// MON: monosensor track.
    pub monosensor: bool,
    /// SPI present in the last report.
    pub spi: bool,
    /// MRH: geometric altitude more reliable than barometric.
    pub geometric_more_reliable: bool,
    /// SRC, 0..=7: source of I062/130 (0 none, 1 GNSS, 2 3-D radar, 3 triangulation,
    /// 4 height from coverage, 6 default height, 7 multilateration).
    pub altitude_source: u8,
    /// CNF: tentative track.
    pub tentative: bool,
    /// SIM: simulated track.
    pub simulated: bool,
    /// TSE: last message for the track.
    pub last_message: bool,
    /// TSB: first message for the track.
    pub first_message: bool,
    /// FPC: flight-plan correlated.
    pub flight_plan_correlated: bool,
    /// AFF: ADS-B data inconsistent with other surveillance.
    pub adsb_inconsistent: bool,
    /// STP: slave track promotion.
    pub slave_promotion: bool,
    /// KOS: background service used.
    pub background_service: bool,
    /// AMA: track from amalgamation.
    pub amalgamated: bool,
    /// MD4, 0..=3: 0 no Mode 4 interrogation, 1 friendly, 2 unknown, 3 no reply.
    pub mode4: u8,
    /// ME: military emergency.
    pub military_emergency: bool,
    /// MI: military identification.
    pub military_id: bool,
    /// MD5, 0..=3: 0 no Mode 5 interrogation, 1 friendly, 2 unknown, 3 no reply.
    pub mode5: u8,
    /// CST: coasting (age of last update above threshold).
    pub coasting: bool,
    /// PSR: PSR update age above threshold.
    pub psr_aged: bool,
    /// SSR: SSR update age above threshold.
    pub ssr_aged: bool,
    /// MDS: Mode S update age above threshold.
    pub mode_s_aged: bool,
    /// ADS: ADS-B update age above threshold.
    pub adsb_aged: bool,
    /// SUC: special used code.
    pub special_code: bool,
    /// AAC: assigned Mode A code conflict.
    pub code_conflict: bool,
    /// SDS, 0..=3: 0 combined, 1 co-operative only, 2 non-co-operative only, 3 not defined.
    pub sensor_types: u8,
    /// EMS, 0..=7: emergency status (0 none, 1 general, 2 medical, 3 minimum fuel,
    /// 4 no communications, 5 unlawful interference, 6 downed, 7 undefined).
    pub emergency: u8,
    /// PFT: potential false track.
    pub potential_false: bool,
    /// FPLT: track created/updated with flight-plan data.
    pub flight_plan_track: bool,
    /// DUPT: duplicate Mode 3/A code.
    pub duplicate_code: bool,
    /// DUPF: duplicate flight plan.
    pub duplicate_plan: bool,
    /// DUPM: duplicate flight plan due to manual correlation.
    pub duplicate_manual: bool,
    /// SFC: surface target.
    pub surface: bool,
    /// IDD: duplicate flight-ID.
    pub duplicate_id: bool,
    /// IEC: inconsistent emergency code.
    pub inconsistent_emergency: bool,
}

/// I062/290 system track update ages, s, LSB 1/4 s (each subfield optional; the maximum
/// value means "that age or older").
#[derive(Copy, Clone, Debug, Default, PartialEq)]
pub struct UpdateAges {
    /// TRK: track age, [0, 63.75] s.
    pub track: Option<f64>,
    /// PSR age.
    pub psr: Option<f64>,
    /// SSR age.
    pub ssr: Option<f64>,
    /// MDS: Mode S age.
    pub mode_s: Option<f64>,
    /// ADS: ADS-C age, [0, 16 383.75] s.
    pub ads_c: Option<f64>,
    /// ES: ADS-B extended squitter age.
    pub adsb_es: Option<f64>,
    /// VDL: ADS-B VDL mode 4 age.
    pub adsb_vdl: Option<f64>,
    /// UAT: ADS-B UAT age.
    pub adsb_uat: Option<f64>,
    /// LOP: loop age.
    pub loop_age: Option<f64>,
    /// MLT: multilateration age.
    pub mlat: Option<f64>,
}

/// I062/200 mode of movement.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct ModeOfMovement {
    /// TRANS, 0..=3: 0 constant course, 1 right turn, 2 left turn, 3 undetermined.
    pub transversal: u8,
    /// LONG, 0..=3: 0 constant ground speed, 1 increasing, 2 decreasing, 3 undetermined.
    pub longitudinal: u8,
    /// VERT, 0..=3: 0 level, 1 climb, 2 descent, 3 undetermined.
    pub vertical: u8,
    /// ADF: altitude discrepancy.
    pub altitude_discrepancy: bool,
}

/// I062/500 estimated accuracies (standard deviations; each subfield optional).
#[derive(Copy, Clone, Debug, Default, PartialEq)]
pub struct Accuracies {
    /// APC: position (Cartesian), m, LSB 0.5 m.
    pub position: Option<Xy>,
    /// COV: XY covariance component, m (signed), LSB 0.5 m.
    pub xy_covariance: Option<f64>,
    /// APW: position (WGS-84), rad, LSB 180/2²⁵ °.
    pub position_wgs84: Option<LatLon>,
    /// AGA: geometric altitude, m, LSB 6.25 ft.
    pub geometric_altitude: Option<f64>,
    /// ABA: barometric altitude, m, LSB 1/4 FL.
    pub barometric_altitude: Option<f64>,
    /// ATV: velocity (Cartesian), m/s, LSB 0.25 m/s.
    pub velocity: Option<Xy>,
    /// AA: acceleration (Cartesian), m/s², LSB 0.25 m/s².
    pub acceleration: Option<Xy>,
    /// ARC: rate of climb/descent, m/s, LSB 6.25 ft/min.
    pub rate_of_climb: Option<f64>,
}

impl TrackStatus {
    fn read(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let [a, b, c, d, e, f] = read_extended::<6>(r, CAT, "I062/080")?;
        Ok(TrackStatus {
            monosensor: bit(a, 7),
            spi: bit(a, 6),
            geometric_more_reliable: bit(a, 5),
            altitude_source: a >> 2 & 7,
            tentative: bit(a, 1),
            simulated: bit(b, 7),
            last_message: bit(b, 6),
            first_message: bit(b, 5),
            flight_plan_correlated: bit(b, 4),
            adsb_inconsistent: bit(b, 3),
            slave_promotion: bit(b, 2),
            background_service: bit(b, 1),
            amalgamated: bit(c, 7),
            mode4: c >> 5 & 3,
            military_emergency: bit(c, 4),
            military_id: bit(c, 3),
            mode5: c >> 1 & 3,
            coasting: bit(d, 7),
            psr_aged: bit(d, 6),
            ssr_aged: bit(d, 5),
            mode_s_aged: bit(d, 4),
            adsb_aged: bit(d, 3),
            special_code: bit(d, 2),
            code_conflict: bit(d, 1),
            sensor_types: e >> 6,
            emergency: e >> 3 & 7,
            potential_false: bit(e, 2),
            flight_plan_track: bit(e, 1),
            duplicate_code: bit(f, 7),
            duplicate_plan: bit(f, 6),
            duplicate_manual: bit(f, 5),
            surface: bit(f, 4),
            duplicate_id: bit(f, 3),
            inconsistent_emergency: bit(f, 2),
        })
    }

    fn write(&self, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        let item = "I062/080";
        let src = check(CAT, item, "SRC", u64::from(self.altitude_source), 7)? as u8;
        let md4 = check(CAT, item, "MD4", u64::from(self.mode4), 3)? as u8;
        let md5 = check(CAT, item, "MD5", u64::from(self.mode5), 3)? as u8;
        let sds = check(CAT, item, "SDS", u64::from(self.sensor_types), 3)? as u8;
        let ems = check(CAT, item, "EMS", u64::from(self.emergency), 7)? as u8;
        let a = put(self.monosensor, 7)
            | put(self.spi, 6)
            | put(self.geometric_more_reliable, 5)
            | src << 2
            | put(self.tentative, 1);
        let b = put(self.simulated, 7)
            | put(self.last_message, 6)
            | put(self.first_message, 5)
            | put(self.flight_plan_correlated, 4)
            | put(self.adsb_inconsistent, 3)
            | put(self.slave_promotion, 2)
            | put(self.background_service, 1);
        let c =
            put(self.amalgamated, 7) | md4 << 5 | put(self.military_emergency, 4) | put(self.military_id, 3) | md5 << 1;
        let d = put(self.coasting, 7)
            | put(self.psr_aged, 6)
            | put(self.ssr_aged, 5)
            | put(self.mode_s_aged, 4)
            | put(self.adsb_aged, 3)
            | put(self.special_code, 2)
            | put(self.code_conflict, 1);
        let e = sds << 6 | ems << 3 | put(self.potential_false, 2) | put(self.flight_plan_track, 1);
        let f = put(self.duplicate_code, 7)
            | put(self.duplicate_plan, 6)
            | put(self.duplicate_manual, 5)
            | put(self.surface, 4)
            | put(self.duplicate_id, 3)
            | put(self.inconsistent_emergency, 2);
        write_extended(out, &[a, b, c, d, e, f]);
        Ok(())
    }
}

fn u8_value(r: &mut Reader<'_>, f: &Field) -> Result<f64, DecodeError> {
    Ok(f.value(i64::from(r.u8()?)))
}

fn u16_value(r: &mut Reader<'_>, f: &Field) -> Result<f64, DecodeError> {
    Ok(f.value(i64::from(r.u16()?)))
}

impl UpdateAges {
    fn subfields(&self) -> [Option<f64>; 10] {
        [
            self.track,
            self.psr,
            self.ssr,
            self.mode_s,
            self.ads_c,
            self.adsb_es,
            self.adsb_vdl,
            self.adsb_uat,
            self.loop_age,
            self.mlat,
        ]
    }

    fn read(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let f = read_compound(r, CAT, "I062/290", 10)?;
        let mut v = [None; 10];
        for (i, slot) in v.iter_mut().enumerate() {
            let field = if i == 4 { &AGE_ADS } else { &AGE };
            *slot = opt(f.has(i + 1), || if i == 4 { u16_value(r, field) } else { u8_value(r, field) })?;
        }
        let [track, psr, ssr, mode_s, ads_c, adsb_es, adsb_vdl, adsb_uat, loop_age, mlat] = v;
        Ok(UpdateAges { track, psr, ssr, mode_s, ads_c, adsb_es, adsb_vdl, adsb_uat, loop_age, mlat })
    }

    fn write(&self, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        let subs = self.subfields();
        let mut f = Fspec::empty();
        for (i, s) in subs.iter().enumerate() {
            if s.is_some() {
                f.set(i + 1);
            }
        }
        f.write(out);
        for (i, s) in subs.iter().enumerate() {
            if let Some(v) = *s {
                if i == 4 {
                    out.put_u16(AGE_ADS.raw(v)? as u16);
                } else {
                    out.put_u8(AGE.raw(v)? as u8);
                }
            }
        }
        Ok(())
    }
}

impl Accuracies {
    fn read(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let f = read_compound(r, CAT, "I062/500", 8)?;
        let pair8 = |r: &mut Reader<'_>, fd: &Field| -> Result<Xy, DecodeError> {
            Ok(Xy { x: u8_value(r, fd)?, y: u8_value(r, fd)? })
        };
        Ok(Accuracies {
            position: opt(f.has(1), || Ok(Xy { x: u16_value(r, &APC)?, y: u16_value(r, &APC)? }))?,
            xy_covariance: opt(f.has(2), || Ok(COV.value(i64::from(r.i16()?))))?,
            position_wgs84: opt(f.has(3), || Ok(LatLon { lat: u16_value(r, &APW)?, lon: u16_value(r, &APW)? }))?,
            geometric_altitude: opt(f.has(4), || u8_value(r, &AGA))?,
            barometric_altitude: opt(f.has(5), || u8_value(r, &ABA))?,
            velocity: opt(f.has(6), || pair8(r, &ATV))?,
            acceleration: opt(f.has(7), || pair8(r, &AA))?,
            rate_of_climb: opt(f.has(8), || u8_value(r, &ARC))?,
        })
    }

    fn write(&self, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        fspec_of(&[
            (1, self.position.is_some()),
            (2, self.xy_covariance.is_some()),
            (3, self.position_wgs84.is_some()),
            (4, self.geometric_altitude.is_some()),
            (5, self.barometric_altitude.is_some()),
            (6, self.velocity.is_some()),
            (7, self.acceleration.is_some()),
            (8, self.rate_of_climb.is_some()),
        ])
        .write(out);
        if let Some(p) = self.position {
            out.put_u16(APC.raw(p.x)? as u16);
            out.put_u16(APC.raw(p.y)? as u16);
        }
        if let Some(c) = self.xy_covariance {
            out.put_u16(COV.bits(c, 16)? as u16);
        }
        if let Some(p) = self.position_wgs84 {
            out.put_u16(APW.raw(p.lat)? as u16);
            out.put_u16(APW.raw(p.lon)? as u16);
        }
        if let Some(v) = self.geometric_altitude {
            out.put_u8(AGA.raw(v)? as u8);
        }
        if let Some(v) = self.barometric_altitude {
            out.put_u8(ABA.raw(v)? as u8);
        }
        if let Some(v) = self.velocity {
            out.put_u8(ATV.raw(v.x)? as u8);
            out.put_u8(ATV.raw(v.y)? as u8);
        }
        if let Some(v) = self.acceleration {
            out.put_u8(AA.raw(v.x)? as u8);
            out.put_u8(AA.raw(v.y)? as u8);
        }
        if let Some(v) = self.rate_of_climb {
            out.put_u8(ARC.raw(v)? as u8);
        }
        Ok(())
    }
}

impl Cat062 {
    /// Decodes one record: FSPEC, then the present items in UAP order.
    pub fn decode(r: &mut Reader<'_>) -> Result<Cat062, DecodeError> {
        decode_typed(r)
    }

    /// The FSPEC of the present items.
    pub fn fspec(&self) -> Fspec {
        fspec_of(&[
            (1, self.data_source.is_some()),
            (3, self.service_id.is_some()),
            (4, self.time_of_track.is_some()),
            (5, self.position_wgs84.is_some()),
            (6, self.position_cartesian.is_some()),
            (7, self.velocity.is_some()),
            (8, self.acceleration.is_some()),
            (9, self.mode3a.is_some()),
            (10, self.target_id.is_some()),
            (12, self.track_number.is_some()),
            (13, self.track_status.is_some()),
            (14, self.update_ages.is_some()),
            (15, self.mode_of_movement.is_some()),
            (17, self.measured_flight_level.is_some()),
            (18, self.geometric_altitude.is_some()),
            (20, self.rate_of_climb.is_some()),
            (27, self.accuracies.is_some()),
            (35, self.special_purpose.is_some()),
        ])
    }

    /// Appends the record's bytes to `out` (on error `out` is unchanged).
    pub fn encode(&self, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        crate::record::encode_record(out, CAT, self.fspec(), |out| self.encode_items(out))
    }

    /// The present items in UAP order (the FSPEC is written by `encode`).
    fn encode_items(&self, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        if let Some(v) = &self.data_source {
            v.write(out);
        }
        if let Some(v) = self.service_id {
            out.put_u8(v);
        }
        if let Some(t) = self.time_of_track {
            out.put_u24(TOT.raw_time_of_day(t)? as u32);
        }
        if let Some(p) = self.position_wgs84 {
            out.put_u32(LAT.raw(p.lat)? as u32);
            out.put_u32(LON.raw_periodic(p.lon)? as u32);
        }
        if let Some(p) = self.position_cartesian {
            out.put_u24(POS_X.bits(p.x, 24)? as u32);
            out.put_u24(POS_Y.bits(p.y, 24)? as u32);
        }
        if let Some(v) = self.velocity {
            out.put_u16(VX.bits(v.x, 16)? as u16);
            out.put_u16(VY.bits(v.y, 16)? as u16);
        }
        if let Some(a) = self.acceleration {
            out.put_u8(AX.bits(a.x, 8)? as u8);
            out.put_u8(AY.bits(a.y, 8)? as u8);
        }
        if let Some(v) = &self.mode3a {
            write_mode_code(out, CAT, "I062/060", [v.not_validated, v.garbled, v.changed], v.code)?;
        }
        if let Some(t) = &self.target_id {
            out.put_u8((check(CAT, "I062/245", "STI", u64::from(t.source), 3)? as u8) << 6);
            t.id.write(out);
        }
        if let Some(v) = self.track_number {
            out.put_u16(v);
        }
        if let Some(v) = &self.track_status {
            v.write(out)?;
        }
        if let Some(v) = &self.update_ages {
            v.write(out)?;
        }
        if let Some(v) = &self.mode_of_movement {
            let item = "I062/200";
            let t = check(CAT, item, "TRANS", u64::from(v.transversal), 3)? as u8;
            let l = check(CAT, item, "LONG", u64::from(v.longitudinal), 3)? as u8;
            let vt = check(CAT, item, "VERT", u64::from(v.vertical), 3)? as u8;
            out.put_u8(t << 6 | l << 4 | vt << 2 | put(v.altitude_discrepancy, 1));
        }
        if let Some(v) = self.measured_flight_level {
            out.put_u16(MFL.bits(v, 16)? as u16);
        }
        if let Some(v) = self.geometric_altitude {
            out.put_u16(GALT.bits(v, 16)? as u16);
        }
        if let Some(v) = self.rate_of_climb {
            out.put_u16(ROCD.bits(v, 16)? as u16);
        }
        if let Some(v) = &self.accuracies {
            v.write(out)?;
        }
        if let Some(sp) = &self.special_purpose {
            let len = check(CAT, "SP", "LEN", sp.len() as u64 + 1, 255)? as u8;
            out.put_u8(len);
            out.extend_from_slice(sp);
        }
        Ok(())
    }
}

impl TypedItems for Cat062 {
    const LAST_MODELLED: usize = 27;

    #[inline(always)]
    fn item(&mut self, frn: usize, r: &mut Reader<'_>) -> Result<bool, DecodeError> {
        match frn {
            1 => self.data_source = Some(DataSource::read(r)?),
            3 => self.service_id = Some(r.u8()?),
            4 => self.time_of_track = Some(TOT.value(i64::from(r.u24()?))),
            5 => {
                let (lat, lon) = (r.i32()?, r.i32()?);
                self.position_wgs84 = Some(LatLon { lat: LAT.value(i64::from(lat)), lon: LON.value(i64::from(lon)) });
            }
            6 => {
                let (x, y) = (r.i24()?, r.i24()?);
                self.position_cartesian = Some(Xy { x: POS_X.value(i64::from(x)), y: POS_Y.value(i64::from(y)) });
            }
            7 => {
                let (x, y) = (r.i16()?, r.i16()?);
                self.velocity = Some(Xy { x: VX.value(i64::from(x)), y: VY.value(i64::from(y)) });
            }
            8 => {
                let b = r.take(2)?;
                self.acceleration = Some(Xy { x: AX.value(i64::from(b[0] as i8)), y: AY.value(i64::from(b[1] as i8)) });
            }
            9 => {
                let (code, [not_validated, garbled, changed]) = read_mode_code(r)?;
                self.mode3a = Some(Mode3A { code, not_validated, garbled, changed });
            }
            10 => {
                let sti = r.u8()? >> 6;
                self.target_id = Some(TargetIdentification { source: sti, id: Callsign::read(r)? });
            }
            12 => self.track_number = Some(r.u16()?),
            13 => self.track_status = Some(TrackStatus::read(r)?),
            14 => self.update_ages = Some(UpdateAges::read(r)?),
            15 => {
                let b = r.u8()?;
                self.mode_of_movement = Some(ModeOfMovement {
                    transversal: b >> 6,
                    longitudinal: b >> 4 & 3,
                    vertical: b >> 2 & 3,
                    altitude_discrepancy: bit(b, 1),
                });
            }
            17 => self.measured_flight_level = Some(MFL.value(i64::from(r.i16()?))),
            18 => self.geometric_altitude = Some(GALT.value(i64::from(r.i16()?))),
            20 => self.rate_of_climb = Some(ROCD.value(i64::from(r.i16()?))),
            27 => self.accuracies = Some(Accuracies::read(r)?),
            35 => {
                let start = r.offset();
                let len = usize::from(r.u8()?);
                if len == 0 {
                    let kind = crate::error::DecodeErrorKind::InvalidItem {
                        category: CAT,
                        item: "SP",
                        reason: "length 0 (it counts its own octet)".into(),
                    };
                    return Err(DecodeError::new(start, kind));
                }
                self.special_purpose = Some(r.take(len - 1)?.to_vec());
            }
            _ => return Ok(false),
        }
        Ok(true)
    }
}

impl CategoryRecord for Cat062 {
    const CATEGORY: u8 = CAT;

    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Cat062::decode(r)
    }

    fn encode(&self, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        Cat062::encode(self, out)
    }
}

/// Decodes every record of a CAT062 data block.
pub fn decode_block(block: &Block<'_>) -> Result<Vec<Cat062>, DecodeError> {
    crate::record::decode_records(block)
}

#[cfg(test)]
mod sp_tests {
    use super::*;

    /// SP is an explicit-length item (EUROCONTROL ASTERIX Part 1, §4.3.5: the first octet
    /// counts itself). FSPEC octet k holds FRNs 7k−6 … 7k from bit 8 down, bit 1 is FX: FRN 12
    /// is octet 2's bit 4 (0x08), FRN 35 octet 5's bit 2 (0x02).
    #[test]
    fn special_purpose_round_trips_with_its_length_octet() {
        let sp = BulwarkSp { identity: b'F' }.encode().unwrap();
        assert_eq!(sp, b"BW\x01F");
        let rec = Cat062 { track_number: Some(7), special_purpose: Some(sp.clone()), ..Default::default() };
        let mut out = Vec::new();
        rec.encode(&mut out).unwrap();
        // FSPEC: FX alone on octets 1, 3, 4; FRN 12 with FX on octet 2; FRN 35 on octet 5.
        assert_eq!(&out[..5], &[0x01, 0x09, 0x01, 0x01, 0x02]);
        assert_eq!(&out[5..], &[0, 7, 5, b'B', b'W', 1, b'F']);
        let back = Cat062::decode(&mut Reader::new(&out)).unwrap();
        assert_eq!(back, rec);
        assert_eq!(BulwarkSp::decode(back.special_purpose.as_deref().unwrap()), Some(BulwarkSp { identity: b'F' }));
        assert_eq!(BulwarkSp::decode(b"XY"), None, "another SP use is not ours");
        assert_eq!(BulwarkSp { identity: b'Z' }.encode(), None);
        let mut bad = out.clone();
        bad[7] = 0;
        assert!(Cat062::decode(&mut Reader::new(&bad)).is_err(), "SP length 0");
    }
}
