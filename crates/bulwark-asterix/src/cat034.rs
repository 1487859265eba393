//! CAT034 monoradar service messages, edition 1.29 (EUROCONTROL-SPEC-0149-2B; layouts as in
//! `asterix-specs/cat034-1.29.ast`). Typed items: 010, 000, 030, 020, 041, 120; every other
//! present item (050, 060, 070, 100, 110, 090, RE, SP) is skipped by its declared structure.
//! Quantisation and range rules: see [`crate::record`].
use crate::Block;
use crate::bytes::{Reader, Writer};
use crate::error::{DecodeError, EncodeError};
use crate::fspec::Fspec;
use crate::record::{CategoryRecord, DataSource, Field, TypedItems, decode_typed, deg, fspec_of};

const CAT: u8 = 34;

const TOD: Field = Field::unsigned(CAT, "I034/030", 1.0 / 128.0, 24, "s");
const SECTOR: Field = Field::unsigned(CAT, "I034/020", deg(360.0 / 256.0), 8, "rad");
const PERIOD: Field = Field::unsigned(CAT, "I034/041", 1.0 / 128.0, 16, "s");
const HGT: Field = Field::signed(CAT, "I034/120 HGT", 1.0, 16, "m");
const LAT: Field = Field::new(CAT, "I034/120 LAT", deg(180.0 / 8_388_608.0), -(1 << 22), 1 << 22, "rad");
const LON: Field = Field::signed(CAT, "I034/120 LON", deg(180.0 / 8_388_608.0), 24, "rad");

/// I034/000 message type.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum MessageType {
    NorthMarker,
    SectorCrossing,
    GeographicalFiltering,
    JammingStrobe,
    SolarStorm,
    SsrJammingStrobe,
    ModeSJammingStrobe,
    /// A value the 1.29 table does not list.
    Other(u8),
}

impl MessageType {
    pub fn from_code(v: u8) -> MessageType {
        match v {
            1 => MessageType::NorthMarker,
            2 => MessageType::SectorCrossing,
            3 => MessageType::GeographicalFiltering,
            4 => MessageType::JammingStrobe,
            5 => MessageType::SolarStorm,
            6 => MessageType::SsrJammingStrobe,
            7 => MessageType::ModeSJammingStrobe,
            v => MessageType::Other(v),
        }
    }

    pub fn code(self) -> u8 {
        match self {
            MessageType::NorthMarker => 1,
            MessageType::SectorCrossing => 2,
            MessageType::GeographicalFiltering => 3,
            MessageType::JammingStrobe => 4,
            MessageType::SolarStorm => 5,
            MessageType::SsrJammingStrobe => 6,
            MessageType::ModeSJammingStrobe => 7,
            MessageType::Other(v) => v,
        }
    }
}

/// I034/120 3-D position of the data source (WGS-84).
#[derive(Copy, Clone, Debug, Default, PartialEq)]
pub struct SourcePosition {
    /// HGT: height above the WGS-84 ellipsoid, m, LSB 1 m.
    pub height: f64,
    /// LAT, rad, LSB 180/2²³ °, [−90°, 90°].
    pub lat: f64,
    /// LON, rad, LSB 180/2²³ °, taken modulo 2π.
    pub lon: f64,
}

/// One CAT034 service message. Each item is optional; the FSPEC lists exactly the present ones.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Cat034 {
    /// I034/010 (FRN 1).
    pub data_source: Option<DataSource>,
    /// I034/000 (FRN 2).
    pub message_type: Option<MessageType>,
    /// I034/030 (FRN 3): time of day, s since midnight UTC, LSB 1/128 s, [0, 86 400).
    pub time_of_day: Option<f64>,
    /// I034/020 (FRN 4): sector azimuth, rad, LSB 360/2⁸ °, taken modulo 2π.
    pub sector: Option<f64>,
    /// I034/041 (FRN 5): antenna rotation period, s, LSB 1/128 s, [0, 512) s.
    pub antenna_period: Option<f64>,
    /// I034/120 (FRN 11).
    pub position: Option<SourcePosition>,
}

impl Cat034 {
    /// Decodes one record: FSPEC, then the present items in UAP order.
    pub fn decode(r: &mut Reader<'_>) -> Result<Cat034, DecodeError> {
        decode_typed(r)
    }

    /// The FSPEC of the present items.
    pub fn fspec(&self) -> Fspec {
        fspec_of(&[
            (1, self.data_source.is_some()),
            (2, self.message_type.is_some()),
            (3, self.time_of_day.is_some()),
            (4, self.sector.is_some()),
            (5, self.antenna_period.is_some()),
            (11, self.position.is_some()),
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
        if let Some(t) = self.message_type {
            out.put_u8(t.code());
        }
        if let Some(t) = self.time_of_day {
            out.put_u24(TOD.raw_time_of_day(t)? as u32);
        }
        if let Some(s) = self.sector {
            out.put_u8(SECTOR.raw_periodic(s)? as u8);
        }
        if let Some(p) = self.antenna_period {
            out.put_u16(PERIOD.raw(p)? as u16);
        }
        if let Some(p) = &self.position {
            out.put_u16(HGT.bits(p.height, 16)? as u16);
            out.put_u24(LAT.bits(p.lat, 24)? as u32);
            out.put_u24((LON.raw_periodic(p.lon)? as u32) & 0xFF_FFFF);
        }
        Ok(())
    }
}

impl TypedItems for Cat034 {
    const LAST_MODELLED: usize = 11;

    #[inline(always)]
    fn item(&mut self, frn: usize, r: &mut Reader<'_>) -> Result<bool, DecodeError> {
        match frn {
            1 => self.data_source = Some(DataSource::read(r)?),
            2 => self.message_type = Some(MessageType::from_code(r.u8()?)),
            3 => self.time_of_day = Some(TOD.value(i64::from(r.u24()?))),
            4 => self.sector = Some(SECTOR.value(i64::from(r.u8()?))),
            5 => self.antenna_period = Some(PERIOD.value(i64::from(r.u16()?))),
            11 => {
                let h = r.i16()?;
                let (lat, lon) = (r.i24()?, r.i24()?);
                self.position = Some(SourcePosition {
                    height: HGT.value(i64::from(h)),
                    lat: LAT.value(i64::from(lat)),
                    lon: LON.value(i64::from(lon)),
                });
            }
            _ => return Ok(false),
        }
        Ok(true)
    }
}

impl CategoryRecord for Cat034 {
    const CATEGORY: u8 = CAT;

    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Cat034::decode(r)
    }

    fn encode(&self, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        Cat034::encode(self, out)
    }
}

/// Decodes every record of a CAT034 data block.
pub fn decode_block(block: &Block<'_>) -> Result<Vec<Cat034>, DecodeError> {
    crate::record::decode_records(block)
}
