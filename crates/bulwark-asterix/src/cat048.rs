//! CAT048 monoradar target reports, edition 1.31 (EUROCONTROL-SPEC-0149-4; layouts as in
//! `asterix-specs/cat048-1.31.ast`). Typed items: 010, 140, 020, 040, 070, 090, 130, 220,
//! 240, 161, 042, 200, 170; every other present item is skipped by its declared structure.
//! Quantisation and range rules: see [`crate::record`].
use crate::bytes::{Reader, Writer, sign_extend};
use crate::error::{DecodeError, EncodeError};
use crate::fspec::Fspec;
use crate::record::{
    CategoryRecord, DataSource, FL, Field, NM, TypedItems, Xy, bit, check, decode_typed, deg, fspec_of, opt, put,
    read_compound, read_extended, read_mode_code, write_extended, write_mode_code,
};
use crate::{Block, record::Callsign};

const CAT: u8 = 48;

const TOD: Field = Field::unsigned(CAT, "I048/140", 1.0 / 128.0, 24, "s");
const RHO: Field = Field::unsigned(CAT, "I048/040 RHO", NM / 256.0, 16, "m");
const THETA: Field = Field::unsigned(CAT, "I048/040 THETA", deg(360.0 / 65_536.0), 16, "rad");
const FLIGHT_LEVEL: Field = Field::signed(CAT, "I048/090", FL / 4.0, 14, "m");
const SRL: Field = Field::unsigned(CAT, "I048/130 SRL", deg(360.0 / 8192.0), 8, "rad");
const PRL: Field = Field::unsigned(CAT, "I048/130 PRL", deg(360.0 / 8192.0), 8, "rad");
const RPD: Field = Field::signed(CAT, "I048/130 RPD", NM / 256.0, 8, "m");
const APD: Field = Field::signed(CAT, "I048/130 APD", deg(360.0 / 16_384.0), 8, "rad");
const X: Field = Field::signed(CAT, "I048/042 X", NM / 128.0, 16, "m");
const Y: Field = Field::signed(CAT, "I048/042 Y", NM / 128.0, 16, "m");
const GSP: Field = Field::unsigned(CAT, "I048/200 GSP", NM / 16_384.0, 16, "m/s");
const HDG: Field = Field::unsigned(CAT, "I048/200 HDG", deg(360.0 / 65_536.0), 16, "rad");

/// One CAT048 target report. Each item is optional; the FSPEC lists exactly the present ones.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Cat048 {
    /// I048/010 (FRN 1).
    pub data_source: Option<DataSource>,
    /// I048/140 (FRN 2): time of day, s since midnight UTC, LSB 1/128 s, [0, 86 400).
    pub time_of_day: Option<f64>,
    /// I048/020 (FRN 3).
    pub descriptor: Option<TargetReportDescriptor>,
    /// I048/040 (FRN 4).
    pub measured_polar: Option<MeasuredPolar>,
    /// I048/070 (FRN 5).
    pub mode3a: Option<Mode3A>,
    /// I048/090 (FRN 6).
    pub flight_level: Option<FlightLevel>,
    /// I048/130 (FRN 7).
    pub plot: Option<PlotCharacteristics>,
    /// I048/220 (FRN 8): 24-bit Mode S address.
    pub aircraft_address: Option<u32>,
    /// I048/240 (FRN 9).
    pub aircraft_id: Option<Callsign>,
    /// I048/161 (FRN 11): 12-bit track number.
    pub track_number: Option<u16>,
    /// I048/042 (FRN 12): calculated position, m east (x) and north (y) of the radar, LSB 1/128 NM.
    pub calculated_position: Option<Xy>,
    /// I048/200 (FRN 13).
    pub velocity: Option<PolarVelocity>,
    /// I048/170 (FRN 14).
    pub track_status: Option<TrackStatus>,
}

/// I048/020 target report descriptor (primary octet and both extensions).
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct TargetReportDescriptor {
    /// TYP, 0..=7: 0 no detection, 1 PSR, 2 SSR, 3 SSR+PSR, 4 Mode S all-call, 5 Mode S
    /// roll-call, 6 all-call+PSR, 7 roll-call+PSR.
    pub typ: u8,
    /// SIM: simulated target report.
    pub simulated: bool,
    /// RDP: report from RDP chain 2.
    pub rdp_chain2: bool,
    /// SPI: special position identification.
    pub spi: bool,
    /// RAB: report from a field monitor (fixed transponder).
    pub field_monitor: bool,
    /// TST (first extension): test target.
    pub test: bool,
    /// ERR: extended range present.
    pub extended_range: bool,
    /// XPP: X-pulse present.
    pub x_pulse: bool,
    /// ME: military emergency.
    pub military_emergency: bool,
    /// MI: military identification.
    pub military_id: bool,
    /// FOE/FRI, 0..=3: 0 no Mode 4 interrogation, 1 friendly, 2 unknown, 3 no reply.
    pub foe_fri: u8,
    /// ADSB (second extension): on-site ADS-B information available; `None` = not populated.
    pub adsb: Option<bool>,
    /// SCN: surveillance cluster network information available; `None` = not populated.
    pub scn: Option<bool>,
    /// PAI: passive acquisition interface information available; `None` = not populated.
    pub pai: Option<bool>,
}

/// I048/040 measured position in slant polar co-ordinates.
#[derive(Copy, Clone, Debug, Default, PartialEq)]
pub struct MeasuredPolar {
    /// RHO: slant range, m, LSB 1/256 NM, [0, 256 NM).
    pub range: f64,
    /// THETA: azimuth from north, rad, LSB 360/2¹⁶ °, taken modulo 2π.
    pub azimuth: f64,
}

/// I048/070 Mode-3/A code.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct Mode3A {
    /// The code as a 12-bit number whose octal digits are the code (e.g. `0o7500`).
    pub code: u16,
    /// V: code not validated.
    pub not_validated: bool,
    /// G: garbled code.
    pub garbled: bool,
    /// L: code not extracted during the last scan (smoothed).
    pub not_extracted: bool,
}

/// I048/090 flight level.
#[derive(Copy, Clone, Debug, Default, PartialEq)]
pub struct FlightLevel {
    /// Pressure altitude, m (FL × 100 ft), LSB 1/4 FL = 7.62 m, 14-bit two's complement,
    /// [−2048, 2047.75] FL. Signed as in the CAT048 1.32 transcription (the 1.31 one, and
    /// Wireshark 4.0 with it, read the field as unsigned; the two agree for FL 0–2047.75).
    pub altitude: f64,
    /// V: code not validated.
    pub not_validated: bool,
    /// G: garbled code.
    pub garbled: bool,
}

/// I048/130 radar plot characteristics (compound; each subfield optional).
#[derive(Copy, Clone, Debug, Default, PartialEq)]
pub struct PlotCharacteristics {
    /// SRL: SSR plot run length, rad, LSB 360/2¹³ °.
    pub ssr_runlength: Option<f64>,
    /// SRR: number of received (M)SSR replies.
    pub ssr_replies: Option<u8>,
    /// SAM: amplitude of (M)SSR reply, dBm.
    pub ssr_amplitude_dbm: Option<i8>,
    /// PRL: primary plot run length, rad, LSB 360/2¹³ °.
    pub psr_runlength: Option<f64>,
    /// PAM: amplitude of the primary plot, dBm.
    pub psr_amplitude_dbm: Option<i8>,
    /// RPD: range PSR − SSR, m, LSB 1/256 NM, [−0.5, 0.5) NM.
    pub range_difference: Option<f64>,
    /// APD: azimuth PSR − SSR, rad, LSB 360/2¹⁴ °.
    pub azimuth_difference: Option<f64>,
}

/// I048/200 calculated track velocity in polar co-ordinates.
#[derive(Copy, Clone, Debug, Default, PartialEq)]
pub struct PolarVelocity {
    /// GSP: ground speed, m/s, LSB 2⁻¹⁴ NM/s ≈ 0.113 m/s, [0, 4 NM/s).
    pub ground_speed: f64,
    /// HDG: heading from true north, rad, LSB 360/2¹⁶ °, taken modulo 2π.
    pub heading: f64,
}

/// I048/170 track status (primary octet and first extension).
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct TrackStatus {
    /// CNF: tentative (not confirmed) track.
    pub tentative: bool,
    /// RAD, 0..=3: 0 combined, 1 PSR, 2 SSR/Mode S, 3 invalid.
    pub sensor: u8,
    /// DOU: low confidence in plot-to-track association.
    pub doubtful: bool,
    /// MAH: horizontal manoeuvre sensed.
    pub manoeuvre: bool,
    /// CDM, 0..=3: 0 maintaining, 1 climbing, 2 descending, 3 unknown.
    pub climb_mode: u8,
    /// TRE (first extension): end of track (last report for this track).
    pub end_of_track: bool,
    /// GHO: ghost target track.
    pub ghost: bool,
    /// SUP: maintained with information from a neighbouring node.
    pub neighbour: bool,
    /// TCC: slant range correction and projection used (tracking in a 2-D plane).
    pub projected: bool,
}

impl TargetReportDescriptor {
    #[inline(always)]
    fn read(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let [a, b, c] = read_extended::<3>(r, CAT, "I048/020")?;
        let populated = |ep: u32| if bit(c, ep) { Some(bit(c, ep - 1)) } else { None };
        Ok(TargetReportDescriptor {
            typ: a >> 5,
            simulated: bit(a, 4),
            rdp_chain2: bit(a, 3),
            spi: bit(a, 2),
            field_monitor: bit(a, 1),
            test: bit(b, 7),
            extended_range: bit(b, 6),
            x_pulse: bit(b, 5),
            military_emergency: bit(b, 4),
            military_id: bit(b, 3),
            foe_fri: b >> 1 & 3,
            adsb: populated(7),
            scn: populated(5),
            pai: populated(3),
        })
    }

    fn write(&self, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        let typ = check(CAT, "I048/020", "TYP", u64::from(self.typ), 7)? as u8;
        let foe = check(CAT, "I048/020", "FOE/FRI", u64::from(self.foe_fri), 3)? as u8;
        let a =
            typ << 5 | put(self.simulated, 4) | put(self.rdp_chain2, 3) | put(self.spi, 2) | put(self.field_monitor, 1);
        let b = put(self.test, 7)
            | put(self.extended_range, 6)
            | put(self.x_pulse, 5)
            | put(self.military_emergency, 4)
            | put(self.military_id, 3)
            | foe << 1;
        let pop = |v: Option<bool>, ep: u32| v.map_or(0, |x| put(true, ep) | put(x, ep - 1));
        let c = pop(self.adsb, 7) | pop(self.scn, 5) | pop(self.pai, 3);
        write_extended(out, &[a, b, c]);
        Ok(())
    }
}

impl PlotCharacteristics {
    #[inline(always)]
    fn read(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let f = read_compound(r, CAT, "I048/130", 7)?;
        let angle = |r: &mut Reader<'_>, fd: &Field| Ok(fd.value(i64::from(r.u8()?)));
        let signed = |r: &mut Reader<'_>, fd: &Field| Ok(fd.value(i64::from(r.u8()? as i8)));
        Ok(PlotCharacteristics {
            ssr_runlength: opt(f.has(1), || angle(r, &SRL))?,
            ssr_replies: opt(f.has(2), || r.u8())?,
            ssr_amplitude_dbm: opt(f.has(3), || Ok(r.u8()? as i8))?,
            psr_runlength: opt(f.has(4), || angle(r, &PRL))?,
            psr_amplitude_dbm: opt(f.has(5), || Ok(r.u8()? as i8))?,
            range_difference: opt(f.has(6), || signed(r, &RPD))?,
            azimuth_difference: opt(f.has(7), || signed(r, &APD))?,
        })
    }

    fn write(&self, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        fspec_of(&[
            (1, self.ssr_runlength.is_some()),
            (2, self.ssr_replies.is_some()),
            (3, self.ssr_amplitude_dbm.is_some()),
            (4, self.psr_runlength.is_some()),
            (5, self.psr_amplitude_dbm.is_some()),
            (6, self.range_difference.is_some()),
            (7, self.azimuth_difference.is_some()),
        ])
        .write(out);
        if let Some(v) = self.ssr_runlength {
            out.put_u8(SRL.raw(v)? as u8);
        }
        if let Some(v) = self.ssr_replies {
            out.put_u8(v);
        }
        if let Some(v) = self.ssr_amplitude_dbm {
            out.put_u8(v as u8);
        }
        if let Some(v) = self.psr_runlength {
            out.put_u8(PRL.raw(v)? as u8);
        }
        if let Some(v) = self.psr_amplitude_dbm {
            out.put_u8(v as u8);
        }
        if let Some(v) = self.range_difference {
            out.put_u8(RPD.bits(v, 8)? as u8);
        }
        if let Some(v) = self.azimuth_difference {
            out.put_u8(APD.bits(v, 8)? as u8);
        }
        Ok(())
    }
}

impl TrackStatus {
    #[inline(always)]
    fn read(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let [a, b] = read_extended::<2>(r, CAT, "I048/170")?;
        Ok(TrackStatus {
            tentative: bit(a, 7),
            sensor: a >> 5 & 3,
            doubtful: bit(a, 4),
            manoeuvre: bit(a, 3),
            climb_mode: a >> 1 & 3,
            end_of_track: bit(b, 7),
            ghost: bit(b, 6),
            neighbour: bit(b, 5),
            projected: bit(b, 4),
        })
    }

    fn write(&self, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        let rad = check(CAT, "I048/170", "RAD", u64::from(self.sensor), 3)? as u8;
        let cdm = check(CAT, "I048/170", "CDM", u64::from(self.climb_mode), 3)? as u8;
        let a = put(self.tentative, 7) | rad << 5 | put(self.doubtful, 4) | put(self.manoeuvre, 3) | cdm << 1;
        let b = put(self.end_of_track, 7) | put(self.ghost, 6) | put(self.neighbour, 5) | put(self.projected, 4);
        write_extended(out, &[a, b]);
        Ok(())
    }
}

impl Cat048 {
    /// Decodes one record: FSPEC, then the present items in UAP order.
    pub fn decode(r: &mut Reader<'_>) -> Result<Cat048, DecodeError> {
        decode_typed(r)
    }

    /// The FSPEC of the present items.
    pub fn fspec(&self) -> Fspec {
        fspec_of(&[
            (1, self.data_source.is_some()),
            (2, self.time_of_day.is_some()),
            (3, self.descriptor.is_some()),
            (4, self.measured_polar.is_some()),
            (5, self.mode3a.is_some()),
            (6, self.flight_level.is_some()),
            (7, self.plot.is_some()),
            (8, self.aircraft_address.is_some()),
            (9, self.aircraft_id.is_some()),
            (11, self.track_number.is_some()),
            (12, self.calculated_position.is_some()),
            (13, self.velocity.is_some()),
            (14, self.track_status.is_some()),
        ])
    }

    /// Appends the record's bytes to `out` (on error `out` is unchanged). A record with no
    /// item is an error: ASTERIX has no empty record.
    pub fn encode(&self, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        crate::record::encode_record(out, CAT, self.fspec(), |out| self.encode_items(out))
    }

    /// The present items in UAP order (the FSPEC is written by `encode`).
    fn encode_items(&self, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        if let Some(v) = &self.data_source {
            v.write(out);
        }
        if let Some(t) = self.time_of_day {
            out.put_u24(TOD.raw_time_of_day(t)? as u32);
        }
        if let Some(v) = &self.descriptor {
            v.write(out)?;
        }
        if let Some(v) = &self.measured_polar {
            out.put_u16(RHO.raw(v.range)? as u16);
            out.put_u16(THETA.raw_periodic(v.azimuth)? as u16);
        }
        if let Some(v) = &self.mode3a {
            write_mode_code(out, CAT, "I048/070", [v.not_validated, v.garbled, v.not_extracted], v.code)?;
        }
        if let Some(v) = &self.flight_level {
            let fl = FLIGHT_LEVEL.bits(v.altitude, 14)? as u16;
            out.put_u16(u16::from(v.not_validated) << 15 | u16::from(v.garbled) << 14 | fl);
        }
        if let Some(v) = &self.plot {
            v.write(out)?;
        }
        if let Some(a) = self.aircraft_address {
            out.put_u24(check(CAT, "I048/220", "address", u64::from(a), 0xFF_FFFF)? as u32);
        }
        if let Some(c) = &self.aircraft_id {
            c.write(out);
        }
        if let Some(t) = self.track_number {
            out.put_u16(check(CAT, "I048/161", "TRN", u64::from(t), 0x0FFF)? as u16);
        }
        if let Some(p) = &self.calculated_position {
            out.put_u16(X.bits(p.x, 16)? as u16);
            out.put_u16(Y.bits(p.y, 16)? as u16);
        }
        if let Some(v) = &self.velocity {
            out.put_u16(GSP.raw(v.ground_speed)? as u16);
            out.put_u16(HDG.raw_periodic(v.heading)? as u16);
        }
        if let Some(v) = &self.track_status {
            v.write(out)?;
        }
        Ok(())
    }
}

impl TypedItems for Cat048 {
    const LAST_MODELLED: usize = 14;

    #[inline(always)]
    fn item(&mut self, frn: usize, r: &mut Reader<'_>) -> Result<bool, DecodeError> {
        match frn {
            1 => self.data_source = Some(DataSource::read(r)?),
            2 => self.time_of_day = Some(TOD.value(i64::from(r.u24()?))),
            3 => self.descriptor = Some(TargetReportDescriptor::read(r)?),
            4 => {
                let b = r.take(4)?;
                self.measured_polar = Some(MeasuredPolar {
                    range: RHO.value(i64::from(u16::from_be_bytes([b[0], b[1]]))),
                    azimuth: THETA.value(i64::from(u16::from_be_bytes([b[2], b[3]]))),
                });
            }
            5 => {
                let (code, [not_validated, garbled, not_extracted]) = read_mode_code(r)?;
                self.mode3a = Some(Mode3A { code, not_validated, garbled, not_extracted });
            }
            6 => {
                let v = r.u16()?;
                self.flight_level = Some(FlightLevel {
                    altitude: FLIGHT_LEVEL.value(sign_extend(u64::from(v & 0x3FFF), 14)),
                    not_validated: v & 0x8000 != 0,
                    garbled: v & 0x4000 != 0,
                });
            }
            7 => self.plot = Some(PlotCharacteristics::read(r)?),
            8 => self.aircraft_address = Some(r.u24()?),
            9 => self.aircraft_id = Some(Callsign::read(r)?),
            11 => self.track_number = Some(r.u16()? & 0x0FFF),
            12 => {
                let b = r.take(4)?;
                self.calculated_position = Some(Xy {
                    x: X.value(i64::from(i16::from_be_bytes([b[0], b[1]]))),
                    y: Y.value(i64::from(i16::from_be_bytes([b[2], b[3]]))),
                });
            }
            13 => {
                let b = r.take(4)?;
                self.velocity = Some(PolarVelocity {
                    ground_speed: GSP.value(i64::from(u16::from_be_bytes([b[0], b[1]]))),
                    heading: HDG.value(i64::from(u16::from_be_bytes([b[2], b[3]]))),
                });
            }
            14 => self.track_status = Some(TrackStatus::read(r)?),
            _ => return Ok(false),
        }
        Ok(true)
    }
}

impl CategoryRecord for Cat048 {
    const CATEGORY: u8 = CAT;

    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Cat048::decode(r)
    }

    fn encode(&self, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        Cat048::encode(self, out)
    }
}

/// Decodes every record of a CAT048 data block.
pub fn decode_block(block: &Block<'_>) -> Result<Vec<Cat048>, DecodeError> {
    crate::record::decode_records(block)
}
