//! CAT021 ADS-B target reports, edition 2.6 (EUROCONTROL-SPEC-0149-12; layouts as in
//! `asterix-specs/cat021-2.6.ast`). Typed items: 010, 040, 161, 015, 071, 130, 131, 080,
//! 073, 140, 070, 145, 200, 155, 157, 160, 170, 020; every other present item (090 quality
//! indicators included) is skipped by its declared structure. Quantisation and range rules:
//! see [`crate::record`].
use crate::bytes::{Reader, Writer};
use crate::error::{DecodeError, EncodeError};
use crate::fspec::Fspec;
use crate::record::{
    CategoryRecord, DataSource, FL, FT, Field, LatLon, NM, TypedItems, bit, check, decode_typed, deg, fspec_of, put,
    read_extended, write_extended,
};
use crate::{Block, record::Callsign};

const CAT: u8 = 21;

const T071: Field = Field::unsigned(CAT, "I021/071", 1.0 / 128.0, 24, "s");
const T073: Field = Field::unsigned(CAT, "I021/073", 1.0 / 128.0, 24, "s");
const LAT130: Field = Field::new(CAT, "I021/130 LAT", deg(180.0 / 8_388_608.0), -(1 << 22), 1 << 22, "rad");
const LON130: Field = Field::signed(CAT, "I021/130 LON", deg(180.0 / 8_388_608.0), 24, "rad");
const LAT131: Field = Field::new(CAT, "I021/131 LAT", deg(180.0 / 1_073_741_824.0), -(1 << 29), 1 << 29, "rad");
const LON131: Field = Field::signed(CAT, "I021/131 LON", deg(180.0 / 1_073_741_824.0), 32, "rad");
const GH: Field = Field::signed(CAT, "I021/140", 6.25 * FT, 16, "m");
const FL145: Field = Field::signed(CAT, "I021/145", FL / 4.0, 16, "m");
const BVR: Field = Field::signed(CAT, "I021/155", 6.25 * FT / 60.0, 15, "m/s");
const GVR: Field = Field::signed(CAT, "I021/157", 6.25 * FT / 60.0, 15, "m/s");
const GS: Field = Field::unsigned(CAT, "I021/160 GS", NM / 16_384.0, 15, "m/s");
const TA: Field = Field::unsigned(CAT, "I021/160 TA", deg(360.0 / 65_536.0), 16, "rad");

/// One CAT021 ADS-B report. Each item is optional; the FSPEC lists exactly the present ones.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Cat021 {
    /// I021/010 (FRN 1).
    pub data_source: Option<DataSource>,
    /// I021/040 (FRN 2).
    pub descriptor: Option<TargetReportDescriptor>,
    /// I021/161 (FRN 3): 12-bit track number.
    pub track_number: Option<u16>,
    /// I021/015 (FRN 4): service identification.
    pub service_id: Option<u8>,
    /// I021/071 (FRN 5): time of applicability for position, s since midnight UTC, LSB 1/128 s.
    pub time_of_applicability_position: Option<f64>,
    /// I021/130 (FRN 6): position, rad, LSB 180/2²³ °; longitude taken modulo 2π.
    pub position: Option<LatLon>,
    /// I021/131 (FRN 7): high-resolution position, rad, LSB 180/2³⁰ °; longitude modulo 2π.
    pub position_high_res: Option<LatLon>,
    /// I021/080 (FRN 11): 24-bit target address.
    pub target_address: Option<u32>,
    /// I021/073 (FRN 12): time of message reception for position, s since midnight UTC.
    pub time_of_reception_position: Option<f64>,
    /// I021/140 (FRN 16): geometric height above the WGS-84 ellipsoid, m, LSB 6.25 ft.
    pub geometric_height: Option<f64>,
    /// I021/070 (FRN 19): Mode 3/A code, 12 bits whose octal digits are the code.
    pub mode3a: Option<u16>,
    /// I021/145 (FRN 21): flight level as pressure altitude, m (FL × 100 ft), LSB 1/4 FL.
    pub flight_level: Option<f64>,
    /// I021/200 (FRN 23).
    pub target_status: Option<TargetStatus>,
    /// I021/155 (FRN 24): barometric vertical rate.
    pub barometric_vertical_rate: Option<VerticalRate>,
    /// I021/157 (FRN 25): geometric vertical rate.
    pub geometric_vertical_rate: Option<VerticalRate>,
    /// I021/160 (FRN 26).
    pub ground_vector: Option<GroundVector>,
    /// I021/170 (FRN 29).
    pub target_id: Option<Callsign>,
    /// I021/020 (FRN 30): emitter category (table value, e.g. 1 light, 3 medium, 5 heavy, 10 rotorcraft).
    pub emitter_category: Option<u8>,
}

/// I021/040 target report descriptor (primary octet and four extensions).
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct TargetReportDescriptor {
    /// ATP, 0..=7: 0 ICAO 24-bit, 1 duplicate, 2 surface vehicle, 3 anonymous address.
    pub address_type: u8,
    /// ARC, 0..=3: altitude reporting capability 0 25 ft, 1 100 ft, 2 unknown, 3 invalid.
    pub altitude_capability: u8,
    /// RC: range check passed, CPR validation pending.
    pub range_check: bool,
    /// RAB: report from a field monitor.
    pub field_monitor: bool,
    /// DCR (first extension): differential correction.
    pub differential_correction: bool,
    /// GBS: ground bit set.
    pub ground_bit: bool,
    /// SIM: simulated target.
    pub simulated: bool,
    /// TST: test target.
    pub test: bool,
    /// SAA: equipment not capable of providing selected altitude.
    pub selected_altitude_unavailable: bool,
    /// CL, 0..=3: 0 valid, 1 suspect, 2 no information.
    pub confidence: u8,
    /// LLC (second extension): list lookup failed.
    pub list_lookup_failed: bool,
    /// IPC: independent position check failed.
    pub independent_check_failed: bool,
    /// NOGO bit set.
    pub nogo: bool,
    /// CPR validation failed.
    pub cpr_failed: bool,
    /// LDPJ: local decoding position jump detected.
    pub position_jump: bool,
    /// RCF: range check failed.
    pub range_check_failed: bool,
    /// TBC (third extension): total bits corrected, 0..=63; `None` = not populated.
    pub total_bits_corrected: Option<u8>,
    /// MBC (fourth extension): maximum bits corrected, 0..=63; `None` = not populated.
    pub max_bits_corrected: Option<u8>,
}

/// I021/200 target status.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct TargetStatus {
    /// ICF: intent change flag raised.
    pub intent_change: bool,
    /// LNAV: LNAV mode not engaged.
    pub lnav_not_engaged: bool,
    /// ME: military emergency.
    pub military_emergency: bool,
    /// PS, 0..=7: priority status (0 none, 1 general emergency, 2 medical, 3 minimum fuel,
    /// 4 no communications, 5 unlawful interference, 6 downed aircraft).
    pub priority: u8,
    /// SS, 0..=3: surveillance status (0 none, 1 permanent alert, 2 temporary alert, 3 SPI).
    pub surveillance: u8,
}

/// I021/155 or I021/157 vertical rate.
#[derive(Copy, Clone, Debug, Default, PartialEq)]
pub struct VerticalRate {
    /// Rate of climb (positive) or descent, m/s, LSB 6.25 ft/min, 15-bit two's complement.
    pub rate: f64,
    /// RE: the value is out of range (the field holds its limit).
    pub range_exceeded: bool,
}

/// I021/160 airborne ground vector.
#[derive(Copy, Clone, Debug, Default, PartialEq)]
pub struct GroundVector {
    /// GS: ground speed, m/s, LSB 2⁻¹⁴ NM/s, [0, 2 NM/s).
    pub ground_speed: f64,
    /// TA: track angle from true north, rad, LSB 360/2¹⁶ °, taken modulo 2π.
    pub track_angle: f64,
    /// RE: range exceeded.
    pub range_exceeded: bool,
}

impl TargetReportDescriptor {
    fn read(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let [a, b, c, d, e] = read_extended::<5>(r, CAT, "I021/040")?;
        let populated = |o: u8| if bit(o, 7) { Some(o >> 1 & 0x3F) } else { None };
        Ok(TargetReportDescriptor {
            address_type: a >> 5,
            altitude_capability: a >> 3 & 3,
            range_check: bit(a, 2),
            field_monitor: bit(a, 1),
            differential_correction: bit(b, 7),
            ground_bit: bit(b, 6),
            simulated: bit(b, 5),
            test: bit(b, 4),
            selected_altitude_unavailable: bit(b, 3),
            confidence: b >> 1 & 3,
            list_lookup_failed: bit(c, 6),
            independent_check_failed: bit(c, 5),
            nogo: bit(c, 4),
            cpr_failed: bit(c, 3),
            position_jump: bit(c, 2),
            range_check_failed: bit(c, 1),
            total_bits_corrected: populated(d),
            max_bits_corrected: populated(e),
        })
    }

    fn write(&self, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        let item = "I021/040";
        let atp = check(CAT, item, "ATP", u64::from(self.address_type), 7)? as u8;
        let arc = check(CAT, item, "ARC", u64::from(self.altitude_capability), 3)? as u8;
        let cl = check(CAT, item, "CL", u64::from(self.confidence), 3)? as u8;
        let count = |v: Option<u8>, what| -> Result<u8, EncodeError> {
            v.map_or(Ok(0), |n| Ok(0x80 | (check(CAT, item, what, u64::from(n), 63)? as u8) << 1))
        };
        let a = atp << 5 | arc << 3 | put(self.range_check, 2) | put(self.field_monitor, 1);
        let b = put(self.differential_correction, 7)
            | put(self.ground_bit, 6)
            | put(self.simulated, 5)
            | put(self.test, 4)
            | put(self.selected_altitude_unavailable, 3)
            | cl << 1;
        let c = put(self.list_lookup_failed, 6)
            | put(self.independent_check_failed, 5)
            | put(self.nogo, 4)
            | put(self.cpr_failed, 3)
            | put(self.position_jump, 2)
            | put(self.range_check_failed, 1);
        let d = count(self.total_bits_corrected, "TBC")?;
        let e = count(self.max_bits_corrected, "MBC")?;
        write_extended(out, &[a, b, c, d, e]);
        Ok(())
    }
}

fn read_rate(r: &mut Reader<'_>, f: &Field) -> Result<VerticalRate, DecodeError> {
    let v = r.u16()?;
    let raw = crate::bytes::sign_extend(u64::from(v & 0x7FFF), 15);
    Ok(VerticalRate { rate: f.value(raw), range_exceeded: v & 0x8000 != 0 })
}

fn write_rate(out: &mut Vec<u8>, f: &Field, v: &VerticalRate) -> Result<(), EncodeError> {
    out.put_u16(u16::from(v.range_exceeded) << 15 | f.bits(v.rate, 15)? as u16);
    Ok(())
}

impl Cat021 {
    /// Decodes one record: FSPEC, then the present items in UAP order.
    pub fn decode(r: &mut Reader<'_>) -> Result<Cat021, DecodeError> {
        decode_typed(r)
    }

    /// The FSPEC of the present items.
    pub fn fspec(&self) -> Fspec {
        fspec_of(&[
            (1, self.data_source.is_some()),
            (2, self.descriptor.is_some()),
            (3, self.track_number.is_some()),
            (4, self.service_id.is_some()),
            (5, self.time_of_applicability_position.is_some()),
            (6, self.position.is_some()),
            (7, self.position_high_res.is_some()),
            (11, self.target_address.is_some()),
            (12, self.time_of_reception_position.is_some()),
            (16, self.geometric_height.is_some()),
            (19, self.mode3a.is_some()),
            (21, self.flight_level.is_some()),
            (23, self.target_status.is_some()),
            (24, self.barometric_vertical_rate.is_some()),
            (25, self.geometric_vertical_rate.is_some()),
            (26, self.ground_vector.is_some()),
            (29, self.target_id.is_some()),
            (30, self.emitter_category.is_some()),
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
        if let Some(v) = &self.descriptor {
            v.write(out)?;
        }
        if let Some(t) = self.track_number {
            out.put_u16(check(CAT, "I021/161", "TRNUM", u64::from(t), 0x0FFF)? as u16);
        }
        if let Some(v) = self.service_id {
            out.put_u8(v);
        }
        if let Some(t) = self.time_of_applicability_position {
            out.put_u24(T071.raw_time_of_day(t)? as u32);
        }
        if let Some(p) = self.position {
            out.put_u24(LAT130.bits(p.lat, 24)? as u32);
            out.put_u24(LON130.raw_periodic(p.lon)? as u32 & 0xFF_FFFF);
        }
        if let Some(p) = self.position_high_res {
            out.put_u32(LAT131.raw(p.lat)? as u32);
            out.put_u32(LON131.raw_periodic(p.lon)? as u32);
        }
        if let Some(a) = self.target_address {
            out.put_u24(check(CAT, "I021/080", "address", u64::from(a), 0xFF_FFFF)? as u32);
        }
        if let Some(t) = self.time_of_reception_position {
            out.put_u24(T073.raw_time_of_day(t)? as u32);
        }
        if let Some(h) = self.geometric_height {
            out.put_u16(GH.bits(h, 16)? as u16);
        }
        if let Some(c) = self.mode3a {
            out.put_u16(check(CAT, "I021/070", "code (octal 0o0000..=0o7777)", u64::from(c), 0o7777)? as u16);
        }
        if let Some(h) = self.flight_level {
            out.put_u16(FL145.bits(h, 16)? as u16);
        }
        if let Some(s) = &self.target_status {
            let ps = check(CAT, "I021/200", "PS", u64::from(s.priority), 7)? as u8;
            let ss = check(CAT, "I021/200", "SS", u64::from(s.surveillance), 3)? as u8;
            out.put_u8(
                put(s.intent_change, 7) | put(s.lnav_not_engaged, 6) | put(s.military_emergency, 5) | ps << 2 | ss,
            );
        }
        if let Some(v) = &self.barometric_vertical_rate {
            write_rate(out, &BVR, v)?;
        }
        if let Some(v) = &self.geometric_vertical_rate {
            write_rate(out, &GVR, v)?;
        }
        if let Some(g) = &self.ground_vector {
            out.put_u16(u16::from(g.range_exceeded) << 15 | GS.raw(g.ground_speed)? as u16);
            out.put_u16(TA.raw_periodic(g.track_angle)? as u16);
        }
        if let Some(c) = &self.target_id {
            c.write(out);
        }
        if let Some(e) = self.emitter_category {
            out.put_u8(e);
        }
        Ok(())
    }
}

impl TypedItems for Cat021 {
    const LAST_MODELLED: usize = 30;

    #[inline(always)]
    fn item(&mut self, frn: usize, r: &mut Reader<'_>) -> Result<bool, DecodeError> {
        match frn {
            1 => self.data_source = Some(DataSource::read(r)?),
            2 => self.descriptor = Some(TargetReportDescriptor::read(r)?),
            3 => self.track_number = Some(r.u16()? & 0x0FFF),
            4 => self.service_id = Some(r.u8()?),
            5 => self.time_of_applicability_position = Some(T071.value(i64::from(r.u24()?))),
            6 => {
                let (lat, lon) = (r.i24()?, r.i24()?);
                self.position = Some(LatLon { lat: LAT130.value(i64::from(lat)), lon: LON130.value(i64::from(lon)) });
            }
            7 => {
                let (lat, lon) = (r.i32()?, r.i32()?);
                self.position_high_res =
                    Some(LatLon { lat: LAT131.value(i64::from(lat)), lon: LON131.value(i64::from(lon)) });
            }
            11 => self.target_address = Some(r.u24()?),
            12 => self.time_of_reception_position = Some(T073.value(i64::from(r.u24()?))),
            16 => self.geometric_height = Some(GH.value(i64::from(r.i16()?))),
            19 => self.mode3a = Some(r.u16()? & 0o7777),
            21 => self.flight_level = Some(FL145.value(i64::from(r.i16()?))),
            23 => {
                let b = r.u8()?;
                self.target_status = Some(TargetStatus {
                    intent_change: bit(b, 7),
                    lnav_not_engaged: bit(b, 6),
                    military_emergency: bit(b, 5),
                    priority: b >> 2 & 7,
                    surveillance: b & 3,
                });
            }
            24 => self.barometric_vertical_rate = Some(read_rate(r, &BVR)?),
            25 => self.geometric_vertical_rate = Some(read_rate(r, &GVR)?),
            26 => {
                let (gs, ta) = (r.u16()?, r.u16()?);
                self.ground_vector = Some(GroundVector {
                    ground_speed: GS.value(i64::from(gs & 0x7FFF)),
                    track_angle: TA.value(i64::from(ta)),
                    range_exceeded: gs & 0x8000 != 0,
                });
            }
            29 => self.target_id = Some(Callsign::read(r)?),
            30 => self.emitter_category = Some(r.u8()?),
            _ => return Ok(false),
        }
        Ok(true)
    }
}

impl CategoryRecord for Cat021 {
    const CATEGORY: u8 = CAT;

    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Cat021::decode(r)
    }

    fn encode(&self, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        Cat021::encode(self, out)
    }
}

/// Decodes every record of a CAT021 data block.
pub fn decode_block(block: &Block<'_>) -> Result<Vec<Cat021>, DecodeError> {
    crate::record::decode_records(block)
}
