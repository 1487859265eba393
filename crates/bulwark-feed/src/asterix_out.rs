//! A run's surveillance picture as ASTERIX: per radar, CAT034 north-marker and
//! sector-crossing service messages and CAT048 target reports (plots); per command post,
//! CAT062 system tracks.
//!
//! The sensor model takes one instantaneous look of its whole coverage per revisit, so
//! every plot of a look carries the look's time. The feed mirrors how a rotating radar
//! reports it: at each look of a radar, a north marker, then for each of the 8 sectors of
//! 45° a sector-crossing message followed by that sector's plots (EUROCONTROL CAT034 §4,
//! CAT048 §4). Plots are reported as single PSR detections (I020 TYP 1) with the SIM bit set:
//! they are simulated target reports. CAT062 tracks are the units' system tracks at each
//! record time, positioned in WGS-84 (I105) and in the scenario's east/north plane (I100,
//! the system reference point being the scenario origin), each with the unit's declared
//! identity in the SP field ([`BulwarkSp`], documented in docs/models.md "Outside picture").
use crate::sink::{Datagram, MAX_DATAGRAM};
use bulwark_asterix::cat034::{Cat034, MessageType, SourcePosition};
use bulwark_asterix::cat048::{Cat048, MeasuredPolar, TargetReportDescriptor};
use bulwark_asterix::cat062::{self, Accuracies, BulwarkSp, Cat062, TrackStatus};
use bulwark_asterix::{BlockBuilder, DataSource, EncodeError, LatLon, Xy};
use bulwark_core::{Event, EventKind, SensorId, SimTime, UnitId};
use bulwark_engine::{RunResult, SensorInfo, TrackSample, TrackState};
use bulwark_geo::{EnuFrame, Geodetic};
use std::collections::BTreeMap;
use std::f64::consts::TAU;

/// Sectors per antenna turn announced by CAT034 sector-crossing messages.
pub const SECTORS: u32 = 8;
/// Largest slant range I048/040 RHO can hold (m): 256 NM.
pub const MAX_RHO_M: f64 = 256.0 * 1852.0 - 1852.0 / 256.0;

/// Feed settings.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FeedOptions {
    /// System area code of the command posts' tracker (CAT062 I010 SAC); SIC is 100 + unit id.
    pub sdps_sac: u8,
    /// Include tentative tracks in CAT062 (flagged TSE/CNF); off by default as most displays
    /// show confirmed tracks only.
    pub tentative_tracks: bool,
}

/// What a feed holds, for the run's report.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FeedStats {
    pub cat034_records: usize,
    pub cat048_records: usize,
    pub cat062_records: usize,
    /// Plots farther than I048/040 can encode (256 NM), left out.
    pub plots_beyond_rho: usize,
    pub datagrams: usize,
}

/// Why a feed could not be built.
#[derive(Debug, thiserror::Error)]
pub enum FeedError {
    #[error("encoding ASTERIX: {0}")]
    Encode(#[from] EncodeError),
    #[error("the run's epoch {0} is not a valid UTC time")]
    Epoch(String),
    /// A plot or track sample given after its time was packed: the feed would leave it out or
    /// send it out of time order, so the caller broke [`FeedBuilder::take`]'s contract.
    #[error("a {what} at t = {t_s} s came after the feed had packed everything before t = {packed_s} s")]
    Late { what: &'static str, t_s: f64, packed_s: f64 },
}

/// The feed of `run`: datagrams in time order (each at most [`MAX_DATAGRAM`] octets).
pub fn feed(run: &RunResult, opts: &FeedOptions) -> Result<(Vec<Datagram>, FeedStats), FeedError> {
    let mut f = FeedBuilder::new(&run.sensors, run.origin, run.epoch, opts)?;
    let end_ns = run.events.last().map_or(0, |e| e.t_ns);
    f.take(&run.events, &run.tracks, SimTime::from_nanos(end_ns));
    f.finish(end_ns)?;
    let datagrams = f.take_ready();
    Ok((datagrams, f.stats()))
}

/// The feed built as a run goes ([`bulwark_engine::RunTap`]): plots and track samples are
/// encoded and packed into datagrams once simulation time has passed them, so a feed of any
/// length needs the memory of one step, and [`feed`] of a whole run gives the same bytes.
pub struct FeedBuilder {
    clock: Clock,
    opts: FeedOptions,
    frame: EnuFrame,
    sensors: BTreeMap<SensorId, SensorInfo>,
    /// Plots of each look not yet sent, by (look time ns, sensor).
    looks: BTreeMap<(i64, SensorId), Vec<(f64, f64)>>,
    /// CAT062 records of each record time not yet sent, by (time ns, unit).
    tracks: BTreeMap<(i64, UnitId), Vec<Cat062>>,
    /// Time (ns) of each radar's next look not yet given its service messages.
    next_look: BTreeMap<SensorId, i64>,
    /// Everything before this time (ns) is packed; a later `take` may bring nothing earlier.
    packed_before_ns: i64,
    stats: FeedStats,
    ready: Vec<Datagram>,
    error: Option<FeedError>,
}

impl FeedBuilder {
    /// A feed of the radars `sensors` of a run with ENU origin `origin` and UTC `epoch`.
    pub fn new(
        sensors: &[SensorInfo],
        origin: Geodetic,
        epoch: time::OffsetDateTime,
        opts: &FeedOptions,
    ) -> Result<FeedBuilder, FeedError> {
        Ok(FeedBuilder {
            clock: Clock::new(epoch)?,
            opts: opts.clone(),
            frame: EnuFrame::new(origin),
            sensors: sensors.iter().map(|s| (s.id, s.clone())).collect(),
            looks: BTreeMap::new(),
            tracks: BTreeMap::new(),
            next_look: sensors.iter().map(|s| (s.id, 0)).collect(),
            packed_before_ns: i64::MIN,
            stats: FeedStats::default(),
            ready: Vec::new(),
            error: None,
        })
    }

    /// Books `events`' plots and the `tracks` samples, and packs every look and record time
    /// before `now` (the run will add nothing earlier). A plot or sample earlier than a time
    /// already packed is [`FeedError::Late`], returned by [`FeedBuilder::finish`].
    pub fn take(&mut self, events: &[Event], tracks: &[TrackSample], now: SimTime) {
        for e in events {
            if let EventKind::Detection { sensor, range_m, azimuth_rad, .. } = &e.kind {
                if e.t_ns < self.packed_before_ns {
                    self.late("plot", e.t_ns);
                    continue;
                }
                self.looks.entry((e.t_ns, *sensor)).or_default().push((*range_m, *azimuth_rad));
            }
        }
        for s in tracks {
            if s.state == TrackState::Tentative && !self.opts.tentative_tracks {
                continue;
            }
            let t_ns = (s.t_s * 1e9).round() as i64;
            if t_ns < self.packed_before_ns {
                self.late("track sample", t_ns);
                continue;
            }
            let rec = self.track_record(s, t_ns);
            self.tracks.entry((t_ns, s.unit)).or_default().push(rec);
        }
        // Looks at and after `now` may still get plots.
        self.pack_before(now.as_nanos(), false);
        self.packed_before_ns = self.packed_before_ns.max(now.as_nanos());
    }

    /// Keeps the first contract breach for [`FeedBuilder::finish`].
    fn late(&mut self, what: &'static str, t_ns: i64) {
        let (t_s, packed_s) = (t_ns as f64 * 1e-9, self.packed_before_ns as f64 * 1e-9);
        self.error.get_or_insert(FeedError::Late { what, t_s, packed_s });
    }

    /// Packs what is left, giving every look of every radar up to `end_ns` (the run's last
    /// event) its service messages, with or without plots.
    pub fn finish(&mut self, end_ns: i64) -> Result<(), FeedError> {
        self.pack_before(end_ns, true);
        self.error.take().map_or(Ok(()), Err)
    }

    /// The datagrams packed since the last call, in time order.
    pub fn take_ready(&mut self) -> Vec<Datagram> {
        std::mem::take(&mut self.ready)
    }

    /// What the feed held so far.
    pub fn stats(&self) -> FeedStats {
        self.stats.clone()
    }

    /// Packs every look and record time before `t_ns` (`through`: at or before it).
    fn pack_before(&mut self, t_ns: i64, through: bool) {
        let due = |t: i64| t < t_ns || (through && t == t_ns);
        for (id, next) in &mut self.next_look {
            let Some(s) = self.sensors.get(id) else { continue };
            let period_ns = (s.revisit_s * 1e9).round() as i64;
            if period_ns <= 0 {
                continue;
            }
            while due(*next) {
                self.looks.entry((*next, *id)).or_default();
                *next += period_ns;
            }
        }
        // (time, order) → blocks; the order key keeps radars, then tracks, in a fixed order.
        let mut out: BTreeMap<(i64, u64), Vec<Vec<u8>>> = BTreeMap::new();
        while let Some(entry) = self.looks.first_entry() {
            if !due(entry.key().0) {
                break;
            }
            let ((t, sensor), plots) = entry.remove_entry();
            let Some(info) = self.sensors.get(&sensor) else { continue };
            match radar_look(info, self.clock.time_of_day(t), &plots, &mut self.stats) {
                Ok(blocks) => drop(out.insert((t, u64::from(sensor.0)), blocks)),
                Err(e) => drop(self.error.get_or_insert(e)),
            }
        }
        while let Some(entry) = self.tracks.first_entry() {
            if !due(entry.key().0) {
                break;
            }
            let ((t, unit), recs) = entry.remove_entry();
            self.stats.cat062_records += recs.len();
            match bulwark_asterix::record::encode_blocks(&recs, MAX_DATAGRAM) {
                Ok(blocks) => drop(out.insert((t, (1 << 40) + u64::from(unit.0)), blocks)),
                Err(e) => drop(self.error.get_or_insert(e.into())),
            }
        }
        let before = self.ready.len();
        for ((t, _), blocks) in out {
            pack(t, self.clock.unix_ns(t), blocks, &mut self.ready);
        }
        self.stats.datagrams += self.ready.len() - before;
    }

    /// The CAT062 record of track sample `s` at `t_ns`.
    fn track_record(&self, s: &TrackSample, t_ns: i64) -> Cat062 {
        let g = Geodetic::from_ecef(&self.frame.to_ecef(&s.position_enu));
        let rec = Cat062 {
            data_source: Some(DataSource { sac: self.opts.sdps_sac, sic: sdps_sic(s.unit) }),
            service_id: Some(1),
            time_of_track: Some(self.clock.time_of_day(t_ns)),
            position_wgs84: Some(LatLon { lat: g.lat_rad, lon: g.lon_rad }),
            position_cartesian: Some(Xy { x: s.position_enu.x, y: s.position_enu.y }),
            velocity: Some(Xy { x: s.velocity_enu.x, y: s.velocity_enu.y }),
            mode3a: s.mode3a.map(|code| cat062::Mode3A { code: code & 0o7777, ..Default::default() }),
            track_number: Some((s.track.0 & 0xFFFF) as u16),
            track_status: Some(TrackStatus {
                monosensor: false,
                tentative: s.state == TrackState::Tentative,
                simulated: true,
                coasting: s.state == TrackState::Coasting,
                ..Default::default()
            }),
            geometric_altitude: Some(s.altitude_m),
            rate_of_climb: Some(s.velocity_enu.z),
            accuracies: Some(Accuracies {
                // √trace over three axes: one axis' σ is about σ/√3.
                position: Some(Xy { x: s.sigma_position_m / 3f64.sqrt(), y: s.sigma_position_m / 3f64.sqrt() }),
                ..Default::default()
            }),
            // The unit's declared identity, in the Bulwark SP convention (CAT062 has no item).
            special_purpose: BulwarkSp { identity: s.identity.app6_letter() }.encode(),
            ..Default::default()
        };
        clamp_track(rec)
    }
}

/// SIC of unit `u`'s tracker.
pub fn sdps_sic(u: UnitId) -> u8 {
    (100 + u.0.min(155)) as u8
}

/// Keeps track quantities inside their fields (a diverged track far outside the picture
/// would otherwise fail the whole feed): positions beyond I100's ±4 194 km, speeds beyond
/// I185's ±8 192 m/s and accuracies beyond I500's 32 km are dropped from the record.
fn clamp_track(mut r: Cat062) -> Cat062 {
    let within = |v: f64, lim: f64| v.is_finite() && v.abs() < lim;
    if r.position_cartesian.is_some_and(|p| !(within(p.x, 4.19e6) && within(p.y, 4.19e6))) {
        r.position_cartesian = None;
    }
    if r.velocity.is_some_and(|v| !(within(v.x, 8_000.0) && within(v.y, 8_000.0))) {
        r.velocity = None;
    }
    if r.geometric_altitude.is_some_and(|h| !(-1_000.0..60_000.0).contains(&h)) {
        r.geometric_altitude = None;
    }
    if r.rate_of_climb.is_some_and(|v| !within(v, 1_000.0)) {
        r.rate_of_climb = None;
    }
    if r.accuracies.is_some_and(|a| a.position.is_some_and(|p| !within(p.x, 32_000.0))) {
        r.accuracies = None;
    }
    r
}

/// The CAT034 and CAT048 blocks of one look of `radar`.
fn radar_look(
    radar: &SensorInfo,
    tod: f64,
    plots: &[(f64, f64)],
    stats: &mut FeedStats,
) -> Result<Vec<Vec<u8>>, FeedError> {
    let source = DataSource { sac: radar.sac, sic: radar.sic };
    let service = |message: MessageType, sector: Option<f64>, position: bool| Cat034 {
        data_source: Some(source),
        message_type: Some(message),
        time_of_day: Some(tod),
        sector,
        antenna_period: Some(radar.revisit_s).filter(|p| *p < 512.0),
        position: position.then_some(SourcePosition {
            height: radar.site.alt_m,
            lat: radar.site.lat_rad,
            lon: radar.site.lon_rad,
        }),
    };
    let mut blocks = Vec::new();
    let mut north = Vec::new();
    service(MessageType::NorthMarker, None, true).encode(&mut north)?;
    blocks.extend(wrap(34, &[north]));
    stats.cat034_records += 1;
    let mut by_sector: Vec<Vec<Vec<u8>>> = vec![Vec::new(); SECTORS as usize];
    for &(range, azimuth) in plots {
        if !(range.is_finite() && azimuth.is_finite()) || range >= MAX_RHO_M {
            stats.plots_beyond_rho += 1;
            continue;
        }
        let az = azimuth.rem_euclid(TAU);
        let sector = ((az / TAU * f64::from(SECTORS)) as usize).min(SECTORS as usize - 1);
        let rec = Cat048 {
            data_source: Some(source),
            time_of_day: Some(tod),
            descriptor: Some(TargetReportDescriptor { typ: 1, simulated: true, ..Default::default() }),
            measured_polar: Some(MeasuredPolar { range, azimuth: az }),
            ..Default::default()
        };
        let mut buf = Vec::new();
        rec.encode(&mut buf)?;
        by_sector[sector].push(buf);
    }
    for (k, recs) in by_sector.into_iter().enumerate() {
        let mut crossing = Vec::new();
        service(MessageType::SectorCrossing, Some(TAU * k as f64 / f64::from(SECTORS)), false).encode(&mut crossing)?;
        blocks.extend(wrap(34, &[crossing]));
        stats.cat034_records += 1;
        stats.cat048_records += recs.len();
        blocks.extend(wrap(48, &recs));
    }
    Ok(blocks)
}

/// Data blocks of `category` holding `records`, each small enough for one datagram.
fn wrap(category: u8, records: &[Vec<u8>]) -> Vec<Vec<u8>> {
    let mut b = BlockBuilder::with_max_len(category, MAX_DATAGRAM);
    for r in records {
        b.push(r);
    }
    b.finish()
}

/// Packs blocks of one instant into as few datagrams as fit.
fn pack(sim_ns: i64, unix_ns: i128, blocks: Vec<Vec<u8>>, out: &mut Vec<Datagram>) {
    let mut cur: Vec<u8> = Vec::new();
    for b in blocks {
        if !cur.is_empty() && cur.len() + b.len() > MAX_DATAGRAM {
            out.push(Datagram { sim_ns, unix_ns, bytes: std::mem::take(&mut cur) });
        }
        cur.extend_from_slice(&b);
    }
    if !cur.is_empty() {
        out.push(Datagram { sim_ns, unix_ns, bytes: cur });
    }
}

/// Simulation time → UTC time of day and UNIX time, from the run's epoch.
struct Clock {
    epoch_unix_ns: i128,
}

impl Clock {
    fn new(epoch: time::OffsetDateTime) -> Result<Clock, FeedError> {
        let epoch_unix_ns = epoch.unix_timestamp_nanos();
        if epoch_unix_ns < 0 {
            return Err(FeedError::Epoch(epoch.to_string()));
        }
        Ok(Clock { epoch_unix_ns })
    }

    fn unix_ns(&self, sim_ns: i64) -> i128 {
        self.epoch_unix_ns + i128::from(sim_ns)
    }

    /// Seconds since the last UTC midnight (UNIX time has no leap seconds, so days are 86 400 s).
    fn time_of_day(&self, sim_ns: i64) -> f64 {
        let ns = self.unix_ns(sim_ns).rem_euclid(86_400 * 1_000_000_000);
        ns as f64 * 1e-9
    }
}
