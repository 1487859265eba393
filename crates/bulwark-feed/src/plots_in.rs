//! ASTERIX plots into the tracker: read CAT048 target reports and CAT034 service messages from
//! raw data blocks or a pcap capture ([`read_plots`]), then track them in one Cartesian frame
//! ([`track_plots`]) and write the tracks as CSV or CAT062.
//!
//! **Input.** Bytes that start with a libpcap magic are a capture: every UDP payload, in
//! capture order, is one buffer of data blocks; anything else is a buffer of data blocks.
//! CAT048 plots (I010, I140, I040, I090 or I110, I070, I220, I240, I161) and CAT034 messages
//! (I010, I000, I030, I020, I041, I120) are kept; records of other categories are counted and
//! skipped. A decode error is recorded with its absolute byte offset and ends its data block
//! only. Plots are grouped by data source (SAC, SIC), sorted by time, and exact duplicates
//! (same source, time, range, azimuth — what redundant A/B feeds deliver) are dropped.
//!
//! **Time.** ASTERIX time of day restarts at midnight. Each record's time of day is unwrapped to
//! the value nearest the previous record's unwrapped time modulo 86 400 s, so the result is
//! continuous across midnight as long as consecutive records are less than 12 h apart
//! (slightly out-of-order records stay slightly out of order; a midnight crossing adds a day).
//!
//! **Measurement model.** Each radar site comes from CAT034 I120 when present, else from the
//! caller's table or default site. The tracker frame is ENU at [`TrackOptions::origin`] or the
//! first radar (in SAC/SIC order). A plot with a height is a 3-D measurement (range, azimuth,
//! elevation, [`RangeAzElRr`]); one without is a 2-D one (bearing, ground range,
//! [`BearingRange2D`]) — see [`height_to_elevation`] and [`standard_atmosphere_geometric_m`].
//!
//! **Scans.** Plots are processed in time order in batches of one radar each: between
//! consecutive CAT034 north markers / sector crossings of that radar when it sends them, else
//! in fixed time slices. A track counts a miss only in a batch whose swept azimuth covers its
//! predicted azimuth and whose radar's coverage (the longest range it reported, +5 %) reaches it
//! ([`Tracker::process_expecting`]), so radars of different rates and coverage share tracks.
use bulwark_asterix::cat034::MessageType;
use bulwark_asterix::cat062::{Accuracies, Mode3A, TrackStatus as Status062};
use bulwark_asterix::record::{CategoryRecord, encode_blocks};
use bulwark_asterix::{
    Cat034, Cat048, Cat062, DataSource, DecodeError, DecodeErrorKind, EncodeError, Fspec, LatLon, Xy,
};
use bulwark_core::{Mat3, SensorId, TrackId, Vec3};
use bulwark_geo::{EnuFrame, Geodetic, Rae};
use bulwark_tracking::{
    BearingRange2D, Detection, MeasurementModel, RangeAzElRr, SensorPose, TrackEvent, Tracker, TrackerConfig,
};
use nalgebra::DVector;
use std::collections::BTreeMap;
use std::f64::consts::{PI, TAU};
use std::fmt::Write as _;
use std::sync::Arc;
use thiserror::Error;

/// A data source: (SAC, SIC).
pub type SourceKey = (u8, u8);

/// Seconds in a UTC day.
const DAY_S: f64 = 86_400.0;
/// Earth radius of the U.S. Standard Atmosphere 1976 geopotential conversion (m), eq. 18.
const R0_STD_ATM_M: f64 = 6_356_766.0;

/// Default range standard deviation, m: the EUROCONTROL Standard for Radar Surveillance in
/// En-Route Airspace and Major Terminal Areas (SUR.ET1.ST01.1000-STD-01-01, 1997), SSR
/// performance: range error σ ≤ 70 m.
pub const DEFAULT_SIGMA_RANGE_M: f64 = 70.0;
/// Default azimuth standard deviation, rad: the same standard, SSR azimuth error σ ≤ 0.08°.
pub const DEFAULT_SIGMA_AZIMUTH_RAD: f64 = 0.08 * PI / 180.0;
/// Default height standard deviation, m. Mode C quantisation (100 ft, σ = 8.8 m) is small next
/// to the gap between pressure and geometric altitude in a non-standard atmosphere: about
/// 4 ft per 1000 ft per °C of ISA deviation (ICAO Doc 8168 Vol. I, cold-temperature
/// correction), i.e. ≈ 130 m at FL350 for 10 °C.
pub const DEFAULT_SIGMA_ALTITUDE_M: f64 = 100.0;
/// Default process-noise spectral density of the constant-velocity model, m²/s³: q ≈ σₐ²·T for
/// σₐ ≈ 1.5 m/s² and a 4–5 s scan (Bar-Shalom, Li & Kirubarajan 2001, §6.2.2).
pub const DEFAULT_PROCESS_NOISE: f64 = 10.0;

/// What went wrong reading or tracking plots.
#[derive(Debug, Error)]
pub enum PlotsInError {
    #[error("pcap capture: {0}")]
    Pcap(#[from] bulwark_asterix::pcap::PcapError),
    #[error(
        "no position for radar SAC {sac} / SIC {sic}: it sent no CAT034 I120; give its site (--site lat,lon,alt or a site table)"
    )]
    NoSite { sac: u8, sic: u8 },
    #[error("the recording holds no usable CAT048 plot (time of day, data source and RHO/THETA)")]
    NoPlots,
    #[error("tracker: {0}")]
    Tracker(String),
    #[error("option {name} = {value} is out of range ({why})")]
    BadOption { name: &'static str, value: f64, why: &'static str },
}

/// Height information of a plot.
#[derive(Copy, Clone, Debug, PartialEq)]
pub enum PlotHeight {
    /// I048/090 Mode C: pressure altitude (flight level × 100 ft), m.
    PressureAltitude(f64),
    /// I048/110: height measured by a 3-D radar above mean sea level, m.
    Measured(f64),
}

/// One CAT048 plot.
#[derive(Clone, Debug, PartialEq)]
pub struct Plot {
    /// Unwrapped time, s since midnight UTC of the day of the first record.
    pub t_s: f64,
    /// I048/140 as sent, s since midnight UTC.
    pub time_of_day_s: f64,
    /// I048/040 RHO: slant range, m.
    pub range_m: f64,
    /// I048/040 THETA: azimuth from north, rad.
    pub azimuth_rad: f64,
    pub height: Option<PlotHeight>,
    /// I048/070 Mode 3/A (12-bit value whose octal digits are the code).
    pub mode3a: Option<u16>,
    /// I048/220 Mode S address.
    pub address: Option<u32>,
    /// I048/240 aircraft identification.
    pub callsign: Option<String>,
    /// I048/161 the radar's own track number.
    pub track_number: Option<u16>,
    /// Absolute byte offset of the record in the input.
    pub offset: usize,
}

/// One CAT034 service message.
#[derive(Clone, Debug, PartialEq)]
pub struct ServiceMessage {
    /// Unwrapped time (see [`Plot::t_s`]).
    pub t_s: f64,
    pub time_of_day_s: f64,
    pub message_type: Option<MessageType>,
    /// I034/020 sector azimuth, rad.
    pub sector_rad: Option<f64>,
    /// I034/041 antenna rotation period, s.
    pub antenna_period_s: Option<f64>,
    /// I034/120 radar position.
    pub position: Option<Geodetic>,
    pub offset: usize,
}

/// The plots and service messages of one data source, each sorted by time.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RadarFeed {
    pub plots: Vec<Plot>,
    pub services: Vec<ServiceMessage>,
}

impl RadarFeed {
    /// The last I120 position the radar sent.
    pub fn position(&self) -> Option<Geodetic> {
        self.services.iter().rev().find_map(|s| s.position)
    }
    /// The last I041 antenna period the radar sent, s.
    pub fn antenna_period_s(&self) -> Option<f64> {
        self.services.iter().rev().find_map(|s| s.antenna_period_s).filter(|p| *p > 0.0)
    }
}

/// A record or block that could not be decoded (the rest of its block was skipped).
#[derive(Clone, Debug, PartialEq)]
pub struct DecodeIssue {
    /// Packet index in the capture (`None` for raw data blocks).
    pub packet: Option<usize>,
    /// Absolute byte offset in the input.
    pub offset: usize,
    pub error: DecodeError,
}

impl std::fmt::Display for DecodeIssue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.packet {
            Some(p) => write!(f, "packet {p}, byte {}: {}", self.offset, self.error.kind),
            None => write!(f, "byte {}: {}", self.offset, self.error.kind),
        }
    }
}

/// What the input held.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct InputCounts {
    /// UDP datagrams read (0 for raw data blocks).
    pub datagrams: usize,
    /// Records by category (categories whose records this crate can delimit).
    pub records_by_category: BTreeMap<u8, usize>,
    /// Data blocks skipped whole, by category (categories without a layout, e.g. CAT065).
    pub skipped_blocks_by_category: BTreeMap<u8, usize>,
    /// CAT048 plots kept.
    pub plots: usize,
    /// CAT048 records without I040 (measured position): not plots.
    pub plots_without_position: usize,
    /// CAT048 records without I010 or I140: cannot be placed or timed.
    pub plots_without_source_or_time: usize,
    /// Exact duplicates dropped.
    pub duplicate_plots: usize,
    /// CAT048 records with a value the typed codec refuses (an identification outside the
    /// ICAO character set), read through the generic decoder without that value.
    pub plots_decoded_generically: usize,
}

/// Everything read from a recording.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PlotsInput {
    pub radars: BTreeMap<SourceKey, RadarFeed>,
    pub counts: InputCounts,
    pub issues: Vec<DecodeIssue>,
    /// Malformed packets of a capture passed over, said in words (`None` when none were).
    pub pcap_warning: Option<String>,
}

pub use bulwark_asterix::pcap::is_pcap;

/// Reads every CAT048 plot and CAT034 message from raw data blocks or a pcap capture.
/// Fails only on a capture whose pcap framing is broken; ASTERIX errors become `issues`.
pub fn read_plots(bytes: &[u8]) -> Result<PlotsInput, PlotsInError> {
    let mut rd = Ingest::default();
    if is_pcap(bytes) {
        let capture = bulwark_asterix::pcap::read_udp(bytes)?;
        rd.input.counts.datagrams = capture.datagrams.len();
        rd.input.pcap_warning = capture.malformed_warning();
        for dg in capture.datagrams {
            // The payload is a sub-slice of `bytes`: its address difference is its file offset.
            let base = (dg.payload.as_ptr() as usize).saturating_sub(bytes.as_ptr() as usize);
            rd.buffer(dg.payload, base, Some(dg.packet));
        }
    } else {
        rd.buffer(bytes, 0, None);
    }
    let mut input = rd.input;
    for feed in input.radars.values_mut() {
        feed.plots.sort_by(|a, b| a.t_s.total_cmp(&b.t_s));
        let before = feed.plots.len();
        feed.plots.dedup_by(|b, a| {
            a.t_s == b.t_s && a.range_m == b.range_m && a.azimuth_rad == b.azimuth_rad && a.height == b.height
        });
        input.counts.duplicate_plots += before - feed.plots.len();
        feed.services.sort_by(|a, b| a.t_s.total_cmp(&b.t_s));
        feed.services
            .dedup_by(|b, a| a.t_s == b.t_s && a.message_type == b.message_type && a.sector_rad == b.sector_rad);
    }
    input.radars.retain(|_, f| !f.plots.is_empty() || !f.services.is_empty());
    input.counts.plots = input.radars.values().map(|f| f.plots.len()).sum();
    Ok(input)
}

#[derive(Default)]
struct Ingest {
    input: PlotsInput,
    /// Unwrapped time of the previous record.
    last_t: Option<f64>,
}

impl Ingest {
    /// Nearest-day unwrapping of a time of day (see the module doc).
    fn unwrap(&mut self, tod: f64) -> f64 {
        let t = match self.last_t {
            Some(prev) => tod + DAY_S * ((prev - tod) / DAY_S).round(),
            None => tod,
        };
        self.last_t = Some(t);
        t
    }

    fn issue(&mut self, packet: Option<usize>, base: usize, e: DecodeError) {
        let offset = base + e.offset;
        self.input.issues.push(DecodeIssue { packet, offset, error: DecodeError { offset, kind: e.kind } });
    }

    fn buffer(&mut self, buf: &[u8], base: usize, packet: Option<usize>) {
        for block in bulwark_asterix::blocks(buf) {
            let block = match block {
                Ok(b) => b,
                Err(e) => {
                    self.issue(packet, base, e);
                    break;
                }
            };
            let mut r = block.reader();
            match block.category {
                Cat048::CATEGORY | Cat034::CATEGORY => {
                    while !r.is_empty() {
                        let start = r.offset();
                        let rest = r.rest();
                        let before = r.clone();
                        let res = if block.category == Cat048::CATEGORY {
                            match Cat048::decode(&mut r) {
                                Ok(m) => {
                                    self.plot(&m, rest, base + start);
                                    Ok(())
                                }
                                // A value the typed codec refuses (e.g. an all-zero I048/240,
                                // which real transponders send): the generic decoder walks the
                                // same structure without judging values.
                                Err(e) if matches!(e.kind, DecodeErrorKind::InvalidItem { .. }) => {
                                    r = before;
                                    bulwark_asterix::generic::decode_record(48, &mut r).map(|v| {
                                        self.input.counts.plots_decoded_generically += 1;
                                        self.plot(&cat048_from_generic(&v), rest, base + start)
                                    })
                                }
                                Err(e) => Err(e),
                            }
                        } else {
                            Cat034::decode(&mut r).map(|m| self.service(&m, base + start))
                        };
                        if let Err(e) = res {
                            self.issue(packet, base, e);
                            break;
                        }
                        *self.input.counts.records_by_category.entry(block.category).or_default() += 1;
                    }
                }
                c => {
                    let mut n = 0;
                    let mut ok = true;
                    for rec in bulwark_asterix::layout::records(&block) {
                        match rec {
                            Ok(_) => n += 1,
                            Err(e) => {
                                if matches!(e.kind, DecodeErrorKind::UnsupportedCategory(_)) {
                                    ok = false;
                                } else {
                                    self.issue(packet, base, e);
                                }
                                break;
                            }
                        }
                    }
                    if ok {
                        *self.input.counts.records_by_category.entry(c).or_default() += n;
                    } else {
                        *self.input.counts.skipped_blocks_by_category.entry(c).or_default() += 1;
                    }
                }
            }
        }
    }

    fn plot(&mut self, m: &Cat048, bytes: &[u8], offset: usize) {
        let (Some(src), Some(tod)) = (m.data_source, m.time_of_day) else {
            self.input.counts.plots_without_source_or_time += 1;
            return;
        };
        let t_s = self.unwrap(tod);
        let Some(polar) = m.measured_polar else {
            self.input.counts.plots_without_position += 1;
            return;
        };
        let height = match m.flight_level {
            Some(fl) if !fl.garbled && !fl.not_validated => Some(PlotHeight::PressureAltitude(fl.altitude)),
            _ => measured_height_110(bytes).map(PlotHeight::Measured),
        };
        let plot = Plot {
            t_s,
            time_of_day_s: tod,
            range_m: polar.range,
            azimuth_rad: polar.azimuth,
            height,
            mode3a: m.mode3a.filter(|c| !c.garbled && !c.not_validated).map(|c| c.code),
            address: m.aircraft_address,
            callsign: m.aircraft_id.map(|c| c.as_str().to_string()),
            track_number: m.track_number,
            offset,
        };
        self.input.radars.entry(key(src)).or_default().plots.push(plot);
    }

    fn service(&mut self, m: &Cat034, offset: usize) {
        let Some(src) = m.data_source else { return };
        let tod = m.time_of_day.unwrap_or(f64::NAN);
        if !tod.is_finite() {
            return;
        }
        let t_s = self.unwrap(tod);
        let msg = ServiceMessage {
            t_s,
            time_of_day_s: tod,
            message_type: m.message_type,
            sector_rad: m.sector,
            antenna_period_s: m.antenna_period,
            position: m.position.map(|p| Geodetic::new(p.lat, p.lon, p.height)),
            offset,
        };
        self.input.radars.entry(key(src)).or_default().services.push(msg);
    }
}

fn key(d: DataSource) -> SourceKey {
    (d.sac, d.sic)
}

/// The plot items of a CAT048 record from the generic decoder's JSON (see
/// `bulwark_asterix::generic`); I048/240 is left out (it is what the typed codec refused).
fn cat048_from_generic(v: &serde_json::Value) -> Cat048 {
    use bulwark_asterix::cat048::{FlightLevel, MeasuredPolar, Mode3A as Mode3A048};
    let items = &v["items"];
    let num = |item: &str, field: Option<&str>| {
        let at = match field {
            Some(f) => &items[item][f],
            None => &items[item],
        };
        at.get("value").and_then(|x| x.as_f64()).or_else(|| at.as_f64())
    };
    let flag = |item: &str, f: &str| items[item][f]["value"].as_u64() == Some(1);
    Cat048 {
        data_source: match (num("I048/010", Some("SAC")), num("I048/010", Some("SIC"))) {
            (Some(a), Some(c)) => Some(DataSource { sac: a as u8, sic: c as u8 }),
            _ => None,
        },
        time_of_day: num("I048/140", None),
        measured_polar: match (num("I048/040", Some("RHO")), num("I048/040", Some("THETA"))) {
            (Some(range), Some(azimuth)) => Some(MeasuredPolar { range, azimuth }),
            _ => None,
        },
        mode3a: items["I048/070"]["MODE3A"].as_str().and_then(|c| u16::from_str_radix(c, 8).ok()).map(|code| {
            Mode3A048 {
                code,
                not_validated: flag("I048/070", "V"),
                garbled: flag("I048/070", "G"),
                not_extracted: flag("I048/070", "L"),
            }
        }),
        flight_level: num("I048/090", Some("FL")).map(|altitude| FlightLevel {
            altitude,
            not_validated: flag("I048/090", "V"),
            garbled: flag("I048/090", "G"),
        }),
        aircraft_address: items["I048/220"].as_u64().map(|a| a as u32),
        track_number: num("I048/161", Some("TRN")).map(|t| t as u16),
        ..Default::default()
    }
}

/// I048/110 (FRN 19, which the typed codec skips), read with the generic decoder from the
/// record's bytes when its FSPEC sets it.
fn measured_height_110(record: &[u8]) -> Option<f64> {
    let fspec = Fspec::read(&mut bulwark_asterix::bytes::Reader::new(record)).ok()?;
    if !fspec.has(19) {
        return None;
    }
    let v = bulwark_asterix::generic::decode_record(48, &mut bulwark_asterix::bytes::Reader::new(record)).ok()?;
    v["items"]["I048/110"]["3DH"]["value"].as_f64().filter(|h| h.is_finite())
}

/// Geometric altitude (m) of a pressure altitude `h_p` (m) in the ICAO / U.S. Standard
/// Atmosphere 1976, where pressure altitude is geopotential altitude: Z = r₀H / (r₀ − H),
/// r₀ = 6 356 766 m (U.S. Standard Atmosphere 1976, eq. 18). The result is taken as height
/// above the WGS-84 ellipsoid: the actual atmosphere (σ ≈ [`DEFAULT_SIGMA_ALTITUDE_M`]) and the
/// geoid undulation (|N| < 110 m) are ignored.
pub fn standard_atmosphere_geometric_m(h_p: f64) -> f64 {
    let h = h_p.clamp(-5_000.0, 100_000.0);
    R0_STD_ATM_M * h / (R0_STD_ATM_M - h)
}

/// The elevation (rad) at which a target at slant range `range_m` and azimuth `azimuth_rad`
/// seen from `radar` has height `height_m` above the WGS-84 ellipsoid, and ∂h/∂el (m/rad).
///
/// The range is time of flight, ≈ the straight-line distance, so the elevation sought is the
/// geometric one the tracker's straight-line model uses (no refraction: the apparent elevation
/// of a 4/3-earth model would misplace a 10 km-high target at 200 km by ≈ 0.8 km). Start: the
/// spherical law of cosines sin el = ((R+h)² − (R+hᵣ)² − r²) / (2(R+hᵣ)r) with R the earth's
/// mean radius; then secant iterations on the exact WGS-84 height (bulwark-geo), converged to
/// < 1 mm. `None` when no elevation gives that height (|sin el| > 1) or the range is < 1 m.
pub fn height_to_elevation(radar: &EnuFrame, range_m: f64, azimuth_rad: f64, height_m: f64) -> Option<(f64, f64)> {
    if !(range_m.is_finite() && azimuth_rad.is_finite() && height_m.is_finite()) || range_m < 1.0 {
        return None;
    }
    let r_earth = bulwark_geo::EARTH_MEAN_RADIUS;
    let hr = radar.origin().alt_m;
    let s =
        ((r_earth + height_m).powi(2) - (r_earth + hr).powi(2) - range_m * range_m) / (2.0 * (r_earth + hr) * range_m);
    if !(-1.0..=1.0).contains(&s) {
        return None;
    }
    let h_at = |el: f64| {
        let enu = Rae { range_m, azimuth_rad, elevation_rad: el }.to_enu();
        Geodetic::from_ecef(&radar.to_ecef(&enu)).alt_m
    };
    let lim = PI / 2.0 - 1e-6;
    let mut el = s.asin().clamp(-lim, lim);
    let mut slope = range_m * el.cos();
    for _ in 0..8 {
        let step = 1e-6;
        let f = h_at(el) - height_m;
        slope = (h_at(el + step) - h_at(el - step)) / (2.0 * step);
        if !(slope.is_finite() && slope.abs() > 1e-3) {
            return None;
        }
        let next = (el - f / slope).clamp(-lim, lim);
        let done = (next - el).abs() * range_m < 1e-4;
        el = next;
        if done {
            break;
        }
    }
    let f = h_at(el) - height_m;
    (f.abs() < 1.0 && el.is_finite()).then_some((el, slope))
}

/// Tracking options.
#[derive(Clone, Debug)]
pub struct TrackOptions {
    /// Radar sites by (SAC, SIC), used when a radar sends no CAT034 I120.
    pub sites: BTreeMap<SourceKey, Geodetic>,
    /// Site of any radar with neither I120 nor an entry in `sites`.
    pub default_site: Option<Geodetic>,
    /// Tracker ENU origin; default the first radar's site (SAC/SIC order).
    pub origin: Option<Geodetic>,
    pub sigma_range_m: f64,
    pub sigma_azimuth_rad: f64,
    /// σ of the target height (Mode C after conversion, or I110), m.
    pub sigma_altitude_m: f64,
    /// Time slice for radars without CAT034 sector messages, s; default 1/16 of the antenna
    /// period (I041) when known, else 0.5 s.
    pub batch_s: Option<f64>,
    /// Tracker configuration (default: constant velocity with [`DEFAULT_PROCESS_NOISE`]).
    pub tracker: TrackerConfig,
}

impl Default for TrackOptions {
    fn default() -> Self {
        TrackOptions {
            sites: BTreeMap::new(),
            default_site: None,
            origin: None,
            sigma_range_m: DEFAULT_SIGMA_RANGE_M,
            sigma_azimuth_rad: DEFAULT_SIGMA_AZIMUTH_RAD,
            sigma_altitude_m: DEFAULT_SIGMA_ALTITUDE_M,
            batch_s: None,
            tracker: TrackerConfig::constant_velocity(DEFAULT_PROCESS_NOISE),
        }
    }
}

/// One track estimate, written each time a plot updates or starts a track.
#[derive(Clone, Debug, PartialEq)]
pub struct TrackRow {
    /// s since the first plot.
    pub t_s: f64,
    /// s since midnight UTC, in [0, 86 400).
    pub time_of_day_s: f64,
    pub track_id: u64,
    /// Position (m) and velocity (m/s), ENU at [`TrackOutput::origin`].
    pub x_m: f64,
    pub y_m: f64,
    pub z_m: f64,
    pub vx: f64,
    pub vy: f64,
    pub vz: f64,
    pub lat_deg: f64,
    pub lon_deg: f64,
    /// Height above the WGS-84 ellipsoid, m.
    pub alt_m: f64,
    pub confirmed: bool,
    /// Whether the updating plot had a height (3-D) or not (2-D: z is not observed).
    pub three_d: bool,
    /// Position σ east and north, m; east–north covariance, m²; velocity σ, m/s; height σ, m.
    pub sigma_x_m: f64,
    pub sigma_y_m: f64,
    pub cov_xy_m2: f64,
    pub sigma_vx: f64,
    pub sigma_vy: f64,
    pub sigma_z_m: f64,
    /// The last Mode 3/A code seen on this track and the updating plot's pressure altitude, m.
    pub mode3a: Option<u16>,
    pub pressure_altitude_m: Option<f64>,
}

/// What [`track_plots`] counted.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TrackCounts {
    pub input: InputCounts,
    /// Plots handed to the tracker (3-D and 2-D).
    pub plots_used: usize,
    pub plots_3d: usize,
    pub plots_2d: usize,
    /// Plots with a height no elevation can reach at their range (tracked in 2-D).
    pub plots_height_inconsistent: usize,
    /// Plots the tracker refused (zero range, non-finite).
    pub plots_rejected: usize,
    pub batches: usize,
    pub tracks_initiated: usize,
    pub tracks_confirmed: usize,
}

/// The tracks of a recording.
#[derive(Clone, Debug, PartialEq)]
pub struct TrackOutput {
    pub rows: Vec<TrackRow>,
    pub origin: Geodetic,
    /// Sites used, by (SAC, SIC).
    pub sites: BTreeMap<SourceKey, Geodetic>,
    pub counts: TrackCounts,
}

struct RadarGeom {
    id: SensorId,
    frame: EnuFrame,
    pose: SensorPose,
    /// Tracker frame → radar local ENU.
    to_local: Mat3,
    position: Vec3,
    model_2d: Arc<BearingRange2D>,
    coverage_m: f64,
}

/// One scan for the tracker: plots of one radar over a swept azimuth arc.
struct Batch {
    start_t: f64,
    end_t: f64,
    radar: SourceKey,
    plots: Vec<usize>,
    /// Clockwise arc (start, length), rad, that the antenna swept.
    arc: (f64, f64),
}

fn arc_contains(arc: (f64, f64), az: f64, margin: f64) -> bool {
    let (start, len) = arc;
    if len + 2.0 * margin >= TAU {
        return true;
    }
    (az - (start - margin)).rem_euclid(TAU) <= len + 2.0 * margin
}

/// The batches of one radar (see the module doc). Between two CAT034 cuts (north marker:
/// azimuth 0; sector crossing: I020) the antenna turns uniformly, so an interval longer than
/// `slice_s` is split into equal slices with the arc shared out; the number of whole turns in
/// an interval comes from the antenna period when known (a gap in the messages). Plots before
/// the first or after the last cut, and every plot of a radar without cuts, go in time slices
/// whose arc is the one their plots span (first to last, clockwise).
fn batches(key: SourceKey, feed: &RadarFeed, slice_s: f64) -> Vec<Batch> {
    let mut cuts: Vec<(f64, f64)> = Vec::new();
    for s in &feed.services {
        let az = match s.message_type {
            Some(MessageType::NorthMarker) => 0.0,
            Some(MessageType::SectorCrossing) => match s.sector_rad {
                Some(a) => a,
                None => continue,
            },
            _ => continue,
        };
        if cuts.last().is_none_or(|c| s.t_s - c.0 > 1e-3) {
            cuts.push((s.t_s, az));
        }
    }
    let plots = &feed.plots;
    let mut out = Vec::new();
    let mut i = 0;
    let sliced = |out: &mut Vec<Batch>, i: &mut usize, until: f64| {
        while *i < plots.len() && plots[*i].t_s <= until {
            let t0 = plots[*i].t_s;
            let mut idx = Vec::new();
            while *i < plots.len() && plots[*i].t_s <= until && plots[*i].t_s < t0 + slice_s {
                idx.push(*i);
                *i += 1;
            }
            let (first, last) = (plots[idx[0]].azimuth_rad, plots[idx[idx.len() - 1]].azimuth_rad);
            let end_t = plots[idx[idx.len() - 1]].t_s;
            out.push(Batch {
                start_t: t0,
                end_t,
                radar: key,
                plots: idx,
                arc: (first, (last - first).rem_euclid(TAU)),
            });
        }
    };
    if let Some(&(t_first, _)) = cuts.first() {
        sliced(&mut out, &mut i, t_first);
    }
    let period = feed.antenna_period_s();
    for w in cuts.windows(2) {
        let ((ta, aza), (tb, azb)) = (w[0], w[1]);
        let mut len = (azb - aza).rem_euclid(TAU);
        match period {
            Some(p) => len += TAU * ((tb - ta) / p - len / TAU).round().max(0.0),
            None if len < 1e-9 => len = TAU,
            None => {}
        }
        let n = ((tb - ta) / slice_s).ceil().clamp(1.0, 4096.0) as usize;
        let dt = (tb - ta) / n as f64;
        for j in 0..n {
            let (ts, te) = (ta + j as f64 * dt, if j + 1 == n { tb } else { ta + (j + 1) as f64 * dt });
            let mut idx = Vec::new();
            while i < plots.len() && plots[i].t_s <= te {
                idx.push(i);
                i += 1;
            }
            let arc = ((aza + j as f64 * len / n as f64).rem_euclid(TAU), len / n as f64);
            out.push(Batch { start_t: ts, end_t: te, radar: key, plots: idx, arc });
        }
    }
    sliced(&mut out, &mut i, f64::INFINITY);
    out
}

/// Tracks the plots of every radar in one tracker (see the module doc for the model).
///
/// Plots are handed to the tracker strictly in time order across radars (runs of consecutive
/// plots of one batch per call, so association within a run is global), with no miss counted
/// in those calls; at each batch end one call without detections counts a miss for every track
/// in the batch's arc and coverage that this radar did not update during the batch. Strict time
/// order matters: the tracker does not retrodict, so a late plot would start a duplicate track.
pub fn track_plots(input: &PlotsInput, opts: &TrackOptions) -> Result<TrackOutput, PlotsInError> {
    for (name, value) in [
        ("sigma_range_m", opts.sigma_range_m),
        ("sigma_azimuth_rad", opts.sigma_azimuth_rad),
        ("sigma_altitude_m", opts.sigma_altitude_m),
        ("batch_s", opts.batch_s.unwrap_or(1.0)),
    ] {
        if !(value.is_finite() && value > 0.0) {
            return Err(PlotsInError::BadOption { name, value, why: "must be finite and > 0" });
        }
    }
    let with_plots: Vec<(&SourceKey, &RadarFeed)> = input.radars.iter().filter(|(_, f)| !f.plots.is_empty()).collect();
    if with_plots.is_empty() {
        return Err(PlotsInError::NoPlots);
    }
    let mut sites = BTreeMap::new();
    for (k, f) in &with_plots {
        let site = f
            .position()
            .or_else(|| opts.sites.get(k).copied())
            .or(opts.default_site)
            .ok_or(PlotsInError::NoSite { sac: k.0, sic: k.1 })?;
        sites.insert(**k, site);
    }
    let origin = opts.origin.unwrap_or(sites[with_plots[0].0]);
    let frame = EnuFrame::new(origin);
    let mut geoms = BTreeMap::new();
    for (n, (k, f)) in with_plots.iter().enumerate() {
        let rframe = EnuFrame::new(sites[*k]);
        let position = frame.geodetic_to_enu(&sites[*k]);
        let to_local = frame.rotation_to(&rframe);
        let bad = |e: bulwark_tracking::ModelError| PlotsInError::Tracker(format!("radar {k:?}: {e}"));
        let pose = SensorPose::new(position, to_local).map_err(bad)?;
        let model_2d = Arc::new(
            BearingRange2D::new([position.x, position.y], opts.sigma_azimuth_rad, opts.sigma_range_m).map_err(bad)?,
        );
        let max_range = f.plots.iter().map(|p| p.range_m).fold(0.0, f64::max);
        geoms.insert(
            **k,
            RadarGeom {
                id: SensorId(n as u32),
                frame: rframe,
                pose,
                to_local,
                position,
                model_2d,
                coverage_m: 1.05 * max_range + 5.0 * opts.sigma_range_m,
            },
        );
    }
    let t0 = with_plots.iter().map(|(_, f)| f.plots[0].t_s).fold(f64::INFINITY, f64::min);

    let mut all: Vec<Batch> = Vec::new();
    for (k, f) in &with_plots {
        let slice = opts.batch_s.unwrap_or_else(|| f.antenna_period_s().map_or(0.5, |p| p / 16.0));
        all.extend(batches(**k, f, slice));
    }
    // Events in time order: (time, 0 = plot / 1 = batch end, batch, plot index).
    let mut events: Vec<(f64, u8, usize, usize)> = Vec::new();
    for (bi, b) in all.iter().enumerate() {
        let feed = &input.radars[&b.radar];
        events.extend(b.plots.iter().map(|&pi| (feed.plots[pi].t_s, 0, bi, pi)));
        events.push((b.end_t, 1, bi, 0));
    }
    events.sort_by(|a, b| a.0.total_cmp(&b.0).then((a.1, a.2, a.3).cmp(&(b.1, b.2, b.3))));

    let mut tracker = Tracker::new(opts.tracker.clone()).map_err(|e| PlotsInError::Tracker(e.to_string()))?;
    let mut counts = TrackCounts { input: input.counts.clone(), batches: all.len(), ..Default::default() };
    let mut rows = Vec::new();
    let mut codes: BTreeMap<u64, u16> = BTreeMap::new();
    // Last time each (track, radar) pair had an update.
    let mut hit_by: BTreeMap<(u64, SourceKey), f64> = BTreeMap::new();
    let az_margin = 3.0 * opts.sigma_azimuth_rad + 0.5_f64.to_radians();
    let mut e = 0;
    while e < events.len() {
        let (t, kind, bi, _) = events[e];
        let batch = &all[bi];
        let g = &geoms[&batch.radar];
        if kind == 1 {
            e += 1;
            let expected = |track: &bulwark_tracking::Track| {
                if hit_by.get(&(track.id.0, batch.radar)).is_some_and(|&th| th >= batch.start_t) {
                    return false;
                }
                let Some(pred) = tracker_predict(track, t - t0) else { return false };
                let local = g.to_local * (pred - g.position);
                local.norm() <= g.coverage_m && arc_contains(batch.arc, Rae::from_enu(&local).azimuth_rad, az_margin)
            };
            let report = tracker.process_expecting(t - t0, &[], &expected);
            count_events(&report.events, &mut counts);
            continue;
        }
        let feed = &input.radars[&batch.radar];
        let mut dets = Vec::new();
        let mut used: Vec<(usize, bool)> = Vec::new();
        while e < events.len() && events[e].1 == 0 && events[e].2 == bi {
            let p = &feed.plots[events[e].3];
            let (det, three_d) = detection(p, g, opts, t0, &mut counts);
            dets.push(det);
            used.push((events[e].3, three_d));
            e += 1;
        }
        let t_call = dets.iter().map(|d| d.t_s).fold(f64::NEG_INFINITY, f64::max);
        let report = tracker.process_expecting(t_call, &dets, &|_| false);
        counts.plots_rejected += report.rejected.len();
        counts.plots_used += dets.len() - report.rejected.len();
        count_events(&report.events, &mut counts);
        let mut touched: Vec<(usize, TrackId)> = report.updates.clone();
        touched.extend(report.events.iter().filter_map(|ev| match ev {
            TrackEvent::Initiated { track, detection } => Some((*detection, *track)),
            _ => None,
        }));
        touched.sort_unstable();
        for (di, tid) in touched {
            let Some(track) = tracker.track(tid) else { continue };
            let (pi, three_d) = used[di];
            let p = &feed.plots[pi];
            hit_by.insert((tid.0, batch.radar), p.t_s);
            if let Some(c) = p.mode3a {
                codes.insert(tid.0, c);
            }
            rows.push(row(track, p, three_d, &frame, t0, codes.get(&tid.0).copied()));
        }
    }
    rows.sort_by(|a, b| a.t_s.total_cmp(&b.t_s).then(a.track_id.cmp(&b.track_id)));
    Ok(TrackOutput { rows, origin, sites, counts })
}

fn count_events(events: &[TrackEvent], counts: &mut TrackCounts) {
    for ev in events {
        match ev {
            TrackEvent::Initiated { .. } => counts.tracks_initiated += 1,
            TrackEvent::Confirmed { .. } => counts.tracks_confirmed += 1,
            TrackEvent::Deleted { .. } => {}
        }
    }
}

/// A track's predicted position at tracker time `t` (constant velocity from its last update;
/// for coverage tests only, so the process noise does not matter).
fn tracker_predict(track: &bulwark_tracking::Track, t: f64) -> Option<Vec3> {
    let dt = (t - track.last_update_t).max(0.0);
    let p = Vec3::new(track.state[0], track.state[1], track.state[2])
        + Vec3::new(track.state[3], track.state[4], track.state[5]) * dt;
    p.iter().all(|v| v.is_finite()).then_some(p)
}

/// The tracker detection of one plot: 3-D when its height places it, else 2-D.
fn detection(p: &Plot, g: &RadarGeom, opts: &TrackOptions, t0: f64, counts: &mut TrackCounts) -> (Detection, bool) {
    let t_s = p.t_s - t0;
    let h = p.height.map(|h| match h {
        PlotHeight::PressureAltitude(hp) => standard_atmosphere_geometric_m(hp),
        PlotHeight::Measured(h) => h,
    });
    if let Some(h) = h {
        if let Some((el, slope)) = height_to_elevation(&g.frame, p.range_m, p.azimuth_rad, h) {
            let sigma_el = (opts.sigma_altitude_m / slope.abs().max(1.0)).min(0.5);
            if let Ok(m) = RangeAzElRr::new(g.pose.clone(), opts.sigma_range_m, opts.sigma_azimuth_rad, sigma_el, None)
            {
                counts.plots_3d += 1;
                let z = DVector::from_vec(vec![p.range_m, p.azimuth_rad, el]);
                return (Detection { t_s, z, model: Arc::new(m) as Arc<dyn MeasurementModel>, sensor: g.id }, true);
            }
        } else {
            counts.plots_height_inconsistent += 1;
        }
    }
    counts.plots_2d += 1;
    // The local horizontal direction of the plot, turned into the tracker frame (meridian
    // convergence between the radar and the origin), as a bearing counter-clockwise from east.
    let (sa, ca) = p.azimuth_rad.sin_cos();
    let u = g.to_local.transpose() * Vec3::new(sa, ca, 0.0);
    let z = DVector::from_vec(vec![u.y.atan2(u.x), p.range_m]);
    (Detection { t_s, z, model: g.model_2d.clone() as Arc<dyn MeasurementModel>, sensor: g.id }, false)
}

fn row(
    track: &bulwark_tracking::Track,
    p: &Plot,
    three_d: bool,
    frame: &EnuFrame,
    t0: f64,
    mode3a: Option<u16>,
) -> TrackRow {
    let s = &track.state;
    let c = &track.covariance;
    let geo = Geodetic::from_ecef(&frame.to_ecef(&Vec3::new(s[0], s[1], s[2])));
    let sd = |i: usize| c[(i, i)].max(0.0).sqrt();
    TrackRow {
        t_s: p.t_s - t0,
        time_of_day_s: p.t_s.rem_euclid(DAY_S),
        track_id: track.id.0,
        x_m: s[0],
        y_m: s[1],
        z_m: s[2],
        vx: s[3],
        vy: s[4],
        vz: s[5],
        lat_deg: geo.lat_deg(),
        lon_deg: geo.lon_deg(),
        alt_m: geo.alt_m,
        confirmed: track.status.is_confirmed(),
        three_d,
        sigma_x_m: sd(0),
        sigma_y_m: sd(1),
        cov_xy_m2: c[(0, 1)],
        sigma_vx: sd(3),
        sigma_vy: sd(4),
        sigma_z_m: sd(2),
        mode3a,
        pressure_altitude_m: match p.height {
            Some(PlotHeight::PressureAltitude(h)) => Some(h),
            _ => None,
        },
    }
}

impl TrackOutput {
    /// CSV with a header: `t_s,time_of_day_s,track_id,x_m,y_m,z_m,vx,vy,vz,lat_deg,lon_deg,alt_m,confirmed,mode3a`
    /// (Mode 3/A as four octal digits, empty when unknown).
    pub fn to_csv(&self) -> String {
        let mut s =
            String::from("t_s,time_of_day_s,track_id,x_m,y_m,z_m,vx,vy,vz,lat_deg,lon_deg,alt_m,confirmed,mode3a\n");
        for r in &self.rows {
            let code = r.mode3a.map(|c| format!("{c:04o}")).unwrap_or_default();
            let _ = writeln!(
                s,
                "{:.3},{:.3},{},{:.1},{:.1},{:.1},{:.2},{:.2},{:.2},{:.7},{:.7},{:.1},{},{}",
                r.t_s,
                r.time_of_day_s,
                r.track_id,
                r.x_m,
                r.y_m,
                r.z_m,
                r.vx,
                r.vy,
                r.vz,
                r.lat_deg,
                r.lon_deg,
                r.alt_m,
                r.confirmed,
                code
            );
        }
        s
    }

    /// The rows as CAT062 system track reports from data source (`sac`, `sic`), in data blocks
    /// of at most 1 400 octets (one UDP datagram each), concatenated. Items: I010, I015
    /// (service 1), I070, I105, I100 (ENU east/north at the origin as the system plane), I185,
    /// I040 (track id modulo 65 536), I080 (MON, CNF for tentative tracks), I130 for 3-D
    /// tracks (SRC 0: a filter estimate has no code of its own), I136 when the updating plot
    /// had Mode C, I060 when a Mode 3/A is known, I500 (APC, COV, ATV, AGA) with each σ
    /// clamped to its field's maximum.
    pub fn to_cat062(&self, sac: u8, sic: u8) -> Result<Vec<u8>, EncodeError> {
        let recs: Vec<Cat062> = self.rows.iter().map(|r| cat062_record(r, sac, sic)).collect();
        Ok(encode_blocks(&recs, 1400)?.concat())
    }
}

fn cat062_record(r: &TrackRow, sac: u8, sic: u8) -> Cat062 {
    let clamp = |v: f64, max: f64| if v.is_finite() { v.clamp(0.0, max) } else { max };
    let ft = 0.3048;
    // COV = sign(cov) √|cov| (I062/500 definition).
    let cov = r.cov_xy_m2.signum() * r.cov_xy_m2.abs().sqrt();
    Cat062 {
        data_source: Some(DataSource { sac, sic }),
        service_id: Some(1),
        time_of_track: Some(r.time_of_day_s.rem_euclid(DAY_S)),
        position_wgs84: Some(LatLon { lat: r.lat_deg.to_radians(), lon: r.lon_deg.to_radians() }),
        position_cartesian: Some(Xy { x: r.x_m.clamp(-4.0e6, 4.0e6), y: r.y_m.clamp(-4.0e6, 4.0e6) }),
        velocity: Some(Xy { x: r.vx.clamp(-8000.0, 8000.0), y: r.vy.clamp(-8000.0, 8000.0) }),
        mode3a: r.mode3a.map(|code| Mode3A { code, ..Default::default() }),
        track_number: Some((r.track_id % 65_536) as u16),
        track_status: Some(Status062 { monosensor: false, tentative: !r.confirmed, ..Default::default() }),
        measured_flight_level: r.pressure_altitude_m.map(|h| h.clamp(-15_000.0, 45_000.0)),
        geometric_altitude: r.three_d.then_some(r.alt_m.clamp(-60_000.0, 60_000.0)),
        accuracies: Some(Accuracies {
            position: Some(Xy { x: clamp(r.sigma_x_m, 32_767.0), y: clamp(r.sigma_y_m, 32_767.0) }),
            xy_covariance: Some(if cov.is_finite() { cov.clamp(-16_383.0, 16_383.0) } else { 0.0 }),
            velocity: Some(Xy { x: clamp(r.sigma_vx, 63.75), y: clamp(r.sigma_vy, 63.75) }),
            geometric_altitude: r.three_d.then_some(clamp(r.sigma_z_m, 255.0 * 6.25 * ft)),
            ..Default::default()
        }),
        ..Default::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standard_atmosphere_matches_the_1976_table() {
        // U.S. Standard Atmosphere 1976, Table I: geopotential 11 000 m ↔ geometric 11 019 m.
        assert!((standard_atmosphere_geometric_m(11_000.0) - 11_019.1).abs() < 0.5);
        assert_eq!(standard_atmosphere_geometric_m(0.0), 0.0);
        assert!(standard_atmosphere_geometric_m(f64::MAX).is_finite());
    }

    #[test]
    fn elevation_from_height_round_trips_through_wgs84() {
        // Truth: a point placed by bulwark-geo (validated against independent geodesy); the
        // solver must recover its elevation from (range, azimuth, height) alone.
        let radar = EnuFrame::new(Geodetic::from_degrees(43.57, 16.41, 780.0));
        for (r, az, el) in [(200e3, 0.3, 0.02), (30e3, 4.0, 0.3), (350e3, 2.0, -0.01), (5e3, 1.0, 1.2)] {
            let p = radar.to_ecef(&Rae { range_m: r, azimuth_rad: az, elevation_rad: el }.to_enu());
            let h = Geodetic::from_ecef(&p).alt_m;
            let (got, slope) = height_to_elevation(&radar, r, az, h).expect("reachable");
            assert!((got - el).abs() * r < 1e-3, "r {r}: el {got} vs {el}");
            assert!(slope > 0.0);
        }
        assert!(height_to_elevation(&radar, 10e3, 0.0, 50e3).is_none(), "50 km up at 10 km range");
        assert!(height_to_elevation(&radar, 0.0, 0.0, 1000.0).is_none());
        assert!(height_to_elevation(&radar, f64::NAN, 0.0, 1000.0).is_none());
    }

    #[test]
    fn unwraps_across_midnight() {
        let mut ing = Ingest::default();
        let got: Vec<f64> = [86_399.0, 86_399.5, 0.25, 86_399.9, 1.0].iter().map(|&t| ing.unwrap(t)).collect();
        assert_eq!(got, [86_399.0, 86_399.5, 86_400.25, 86_399.9, 86_401.0]);
    }

    #[test]
    fn arcs_wrap_through_north() {
        let arc = (350f64.to_radians(), 20f64.to_radians());
        assert!(arc_contains(arc, 5f64.to_radians(), 0.0));
        assert!(arc_contains(arc, 355f64.to_radians(), 0.0));
        assert!(!arc_contains(arc, 20f64.to_radians(), 0.0));
        assert!(arc_contains((1.0, TAU), 4.0, 0.0));
        assert!(arc_contains((1.0, 0.0), 1.0 + 1e-3, 2e-3), "a margin widens a point arc");
    }

    #[test]
    fn garbage_never_panics() {
        let mut bytes = vec![48u8, 0, 12, 0xF0, 1, 2, 0, 0];
        assert!(read_plots(&bytes).is_ok());
        for n in 0..bytes.len() {
            let _ = read_plots(&bytes[..n]);
        }
        bytes.extend_from_slice(&[0xD4, 0xC3, 0xB2, 0xA1]);
        let _ = read_plots(&bytes);
    }
}
