//! The scenario file (`docs/formats.md`, "Scenario"): parsed with serde, validated against the
//! catalog with file:line:col diagnostics, and returned as plain SI data.
use crate::catalog::{Catalog, EntryKind, Transponder};
use crate::diag::Diagnostic;
use crate::flights;
use crate::picture::{self, OutsidePicture};
use crate::raw::{Check, Raw, Res, Src, fmt_num};
use crate::tracker_file::{self, UnitTracker};
use crate::units::Quantity as Q;
use bulwark_core::{ModeSet, PlatformClass, SimDuration, SimTime, TransponderFit, TransponderMode, Vec3};
use bulwark_geo::Geodetic;
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::f64::consts::{FRAC_PI_2, TAU};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use toml::Spanned;

mod command;
use command::RawCommand;
pub use command::{Command, CommandDoctrine, LinkOutage};

/// Largest time accepted anywhere in a scenario, s (≈ 116 days): keeps SimTime arithmetic far
/// from i64 overflow.
pub const MAX_TIME_S: f64 = 1e7;
/// Largest simulation step, s.
pub const MAX_TIME_STEP_S: f64 = 10.0;
/// Altitudes outside [-1 km, 1000 km] are taken for typing errors.
const ALT_RANGE: Check = Check::Within(-1000.0, 1_000_000.0);
/// Rounds one reload vehicle may carry (per interceptor type).
const MAX_ROUNDS_PER_VEHICLE: i64 = 1000;
/// Rounds all the reload vehicles of one unit may carry: a regiment's transloaders hold tens;
/// 1,000,000 keeps every count of rounds (loaded, reloaded, on vehicles) well inside a u32.
const MAX_RELOAD_ROUNDS_PER_UNIT: u64 = 1_000_000;
const TIME_CHECK: Check = Check::Within(0.0, MAX_TIME_S);

pub use bulwark_core::RoeState;

/// From `from` on, the ROE state is `state`.
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct RoeChange {
    pub from: SimTime,
    pub state: RoeState,
}

/// A radar of a defence unit, placed relative to the unit's site.
#[derive(Clone, Debug, PartialEq)]
pub struct PlacedRadar {
    pub type_id: String,
    /// East, north, up from the site, m (the catalog's antenna height comes on top of `up`).
    pub offset_enu: Vec3,
    /// ASTERIX system area code and system identification code.
    pub sac: Option<u8>,
    pub sic: Option<u8>,
}

/// A launcher of a defence unit with its load.
#[derive(Clone, Debug, PartialEq)]
pub struct PlacedLauncher {
    pub type_id: String,
    pub offset_enu: Vec3,
    /// Interceptor type id → rounds loaded.
    pub missiles: BTreeMap<String, u32>,
    /// When the launcher reaches its site (`arrives` of the launcher, else of its defence);
    /// it is ready after the catalog `deploy_time` more. `None`: deployed at the start.
    pub arrives: Option<SimTime>,
}

/// Reload vehicles of a defence unit (transloaders): `count` vehicles, each carrying
/// `missiles`. A vehicle reloads one empty launcher at a time with compatible rounds.
#[derive(Clone, Debug, PartialEq)]
pub struct ReloadVehicles {
    /// Interceptor type id → rounds on each vehicle.
    pub missiles: BTreeMap<String, u32>,
    pub count: u32,
}

/// One unit (battalion / battery) and its command post.
#[derive(Clone, Debug, PartialEq)]
pub struct Defence {
    pub name: String,
    pub system: String,
    pub site: Geodetic,
    /// Centre of sector radars, rad clockwise from north, in [0, 2π).
    pub facing_rad: f64,
    pub radars: Vec<PlacedRadar>,
    pub launchers: Vec<PlacedLauncher>,
    /// When the unit reaches its site (`arrives`); `None`: deployed at the start.
    pub arrives: Option<SimTime>,
    /// Reload vehicles (`[[defence.reload]]`).
    pub reloads: Vec<ReloadVehicles>,
    /// Whether confirmed tracks cue the unit's multifunction / fire-control radars to a long
    /// acquisition dwell (`cueing`, default true; see `bulwark_sensors::cue`).
    pub cueing: bool,
    /// The secure IFF modes (Mode 5, 4, national) whose keys the unit holds (`iff_keys`);
    /// `None`: the keys of every secure mode its interrogator reads (the unit is inside its
    /// side's IFF system). `iff_keys = "none"` or `[]`: it reads only the civil modes.
    pub iff_keys: Option<ModeSet>,
    /// The outside air picture the unit receives (`picture`, a CAT062 file or capture): an
    /// "integrated" unit; `None`: "isolated".
    pub picture: Option<Arc<OutsidePicture>>,
    /// The unit's tracker (`tracker`, a tracker TOML as `bulwark track` reads, relative to the
    /// scenario file); `None`: the engine's default constant-velocity tracker.
    pub tracker: Option<Arc<UnitTracker>>,
}

/// A defended asset.
#[derive(Clone, Debug, PartialEq)]
pub struct Asset {
    pub name: String,
    pub position: Geodetic,
    pub radius_m: f64,
}

/// A route point with the speed to fly from it on (carried over when the file omits it).
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct Waypoint {
    pub position: Geodetic,
    pub speed_mps: f64,
}

/// How a threat group flies.
#[derive(Clone, Debug, PartialEq)]
pub enum ThreatRoute {
    Waypoints(Vec<Waypoint>),
    /// A ballistic missile from `launch` to `aim`; `loft_rad` is the flight-path angle at
    /// burnout (None: minimum-energy trajectory).
    Ballistic {
        launch: Geodetic,
        aim: Geodetic,
        loft_rad: Option<f64>,
    },
}

/// `count` threats of one type on one route, starting `spacing` apart.
#[derive(Clone, Debug, PartialEq)]
pub struct ThreatGroup {
    pub name: String,
    pub type_id: String,
    pub count: u32,
    pub start: SimTime,
    pub spacing: SimDuration,
    /// Members offset sideways from the route by this much, m.
    pub lateral_spacing_m: f64,
    pub route: ThreatRoute,
    /// Where the group is written (its `aim` for a ballistic group, else its table; the
    /// message is empty): the engine's set-up errors, such as an aim no trajectory reaches,
    /// point here, so that `validate` and `run` name the line.
    pub at: Diagnostic,
}

/// `count` allied aircraft of one type on one route (`[[friendly]]`): friendly whatever their
/// transponder says, so that every engagement of one is scored as fratricide.
#[derive(Clone, Debug, PartialEq)]
pub struct FriendlyGroup {
    pub name: String,
    pub type_id: String,
    pub count: u32,
    pub start: SimTime,
    pub spacing: SimDuration,
    /// Members offset sideways from the route by this much, m.
    pub lateral_spacing_m: f64,
    pub route: Vec<Waypoint>,
    /// What each member answers (the catalog platform's transponder unless the file says).
    pub transponder: TransponderFit,
}

/// Where a civil flight goes: a planned route or recorded positions.
#[derive(Clone, Debug, PartialEq)]
pub enum CivilPath {
    Route(Vec<Waypoint>),
    /// Positions by time from the scenario epoch, sorted, at least two.
    Recorded(Vec<(SimTime, Geodetic)>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct CivilFlight {
    pub callsign: String,
    /// Mode 3/A code as its 12-bit value (`"7700"` → 0o7700).
    pub squawk: Option<u16>,
    /// 24-bit Mode S address where the recording gives it (ADS-B, CAT021 I080); else the
    /// engine gives one of its own.
    pub address: Option<u32>,
    pub type_id: String,
    pub start: SimTime,
    pub path: CivilPath,
    /// Rows of a recorded-flights CSV that repeated an earlier row of the flight exactly (time,
    /// position, squawk), as real feeds do, and were dropped (the first copy is kept).
    pub duplicate_rows: usize,
}

impl CivilFlight {
    /// Whether a recorded flight has a position in [0, `end`] or a leg across it (route
    /// flights always take part: they start at their `start`).
    pub fn overlaps(&self, end: SimTime) -> bool {
        match &self.path {
            CivilPath::Route(_) => true,
            CivilPath::Recorded(pts) => match (pts.first(), pts.last()) {
                (Some(a), Some(b)) => a.0 <= end && b.0 >= SimTime::ZERO,
                _ => false,
            },
        }
    }
}

/// Terrain for line-of-sight masking (`terrain = { geotiff = "dem.tif" }` in `[scenario]`).
#[derive(Clone, Debug, PartialEq)]
pub struct Terrain {
    /// EPSG:4326 GeoTIFF elevation model, resolved against the scenario file's directory; the
    /// file exists when the scenario is validated (the engine reads it).
    pub geotiff: PathBuf,
}

/// Identification doctrine of the command posts (`[identification]`): when a proposed identity
/// becomes the identity acted on. A key left out keeps the command post's default
/// (`bulwark_c2::DeclarationRules`, notional assumptions listed in `docs/models.md`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct IdentificationDoctrine {
    /// Consecutive decision cycles a hostile or suspect proposal must hold before it is declared.
    pub hold_cycles: Option<u32>,
    /// Least confidence of a hostile proposal under weapons free / weapons tight.
    pub hostile_confidence_free: Option<f64>,
    pub hostile_confidence_tight: Option<f64>,
    /// Least confidence of a suspect proposal.
    pub suspect_confidence: Option<f64>,
    /// Weapons tight: how long a hostile declaration must hold before a fire order (s).
    pub tight_hold_s: Option<f64>,
}

/// A validated scenario, in SI.
#[derive(Clone, Debug, PartialEq)]
pub struct Scenario {
    /// The file it was read from (for messages and relative paths).
    pub path: PathBuf,
    pub name: String,
    /// UTC epoch: `SimTime::ZERO` is this instant.
    pub epoch: OffsetDateTime,
    /// Tracker ENU origin.
    pub origin: Geodetic,
    pub duration: SimDuration,
    pub time_step: SimDuration,
    pub seed: u64,
    /// Sorted by time, starting at 0 (weapons_free at 0 s unless the file says otherwise).
    pub roe: Vec<RoeChange>,
    pub defences: Vec<Defence>,
    pub assets: Vec<Asset>,
    pub threats: Vec<ThreatGroup>,
    /// Allied aircraft (`[[friendly]]`).
    pub friendlies: Vec<FriendlyGroup>,
    /// `[identification]`, defaults when absent.
    pub identification: IdentificationDoctrine,
    pub civil: Vec<CivilFlight>,
    /// Recorded flights left out because all their positions lie before 0 s or after the
    /// run's end (a day-long recording under a one-hour scenario): they never fly in the run.
    pub civil_outside: usize,
    /// Terrain masking; `None`: smooth 4/3 earth only.
    pub terrain: Option<Terrain>,
    /// Command posts (`[[command]]`); a unit under none fights alone.
    pub commands: Vec<Command>,
    /// The catalog the scenario was validated against.
    pub catalog: Catalog,
    /// What reading its recordings passed over, each `FILE: warning: what` (malformed pcap packets):
    /// the CLI prints them as warnings.
    pub input_warnings: Vec<String>,
}

impl Scenario {
    /// Parses and validates scenario `text`; `path` names it in messages and anchors relative
    /// paths (`catalog = "dir"`, CSV flights). If the scenario names a catalog directory, that
    /// catalog is loaded and used; otherwise `catalog`.
    #[allow(clippy::should_implement_trait)]
    pub fn from_str(text: &str, path: impl AsRef<Path>, catalog: &Catalog) -> Result<Scenario, Diagnostic> {
        build(text, path.as_ref(), || Ok(catalog.clone()))
    }

    /// Reads and validates the scenario at `path`. Catalog: the scenario's own `catalog = "dir"`
    /// if it names one, else `catalog`, else the embedded catalog.
    pub fn load(path: impl AsRef<Path>, catalog: Option<&Catalog>) -> Result<Scenario, Diagnostic> {
        let path = path.as_ref();
        let text = crate::diag::read_text(path)?;
        build(&text, path, || match catalog {
            Some(c) => Ok(c.clone()),
            None => Catalog::embedded(),
        })
    }

    /// The ROE state in force at `t`.
    pub fn roe_at(&self, t: SimTime) -> RoeState {
        self.roe.iter().rev().find(|c| c.from <= t).map_or(RoeState::WeaponsFree, |c| c.state)
    }
}

fn build(text: &str, path: &Path, fallback: impl FnOnce() -> Res<Catalog>) -> Res<Scenario> {
    let src = Src { file: path, text };
    let raw: RawFile = src.parse()?;
    let catalog = match &raw.scenario.get_ref().catalog {
        Some(dir) => {
            let full = base_dir(path).join(dir.get_ref());
            if !full.is_dir() {
                return Err(src.err(
                    dir.span(),
                    format!("catalog directory \"{}\" not found (looked in {})", dir.get_ref(), full.display()),
                ));
            }
            Catalog::load_dir(&full)?
        }
        None => fallback()?,
    };
    Cx { src, cat: &catalog, warnings: Default::default() }.scenario(&raw, catalog.clone())
}

fn base_dir(path: &Path) -> &Path {
    path.parent().unwrap_or(Path::new("."))
}

// ---------------------------------------------------------------------------------------------
// Raw schema
// ---------------------------------------------------------------------------------------------

type S<T> = Spanned<T>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    scenario: S<RawHeader>,
    #[serde(default)]
    roe: Vec<S<RawRoe>>,
    #[serde(default)]
    defence: Vec<S<RawDefence>>,
    #[serde(default)]
    asset: Vec<S<RawAsset>>,
    #[serde(default)]
    threat: Vec<S<RawThreat>>,
    #[serde(default)]
    friendly: Vec<S<RawFriendly>>,
    identification: Option<S<RawIdentification>>,
    #[serde(default)]
    civil: Vec<S<RawCivil>>,
    #[serde(default)]
    command: Vec<S<RawCommand>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHeader {
    name: String,
    epoch: S<toml::Value>,
    origin: S<RawPos>,
    duration: S<Raw>,
    time_step: S<Raw>,
    seed: Option<S<Raw>>,
    catalog: Option<S<String>>,
    terrain: Option<S<RawTerrain>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTerrain {
    geotiff: S<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRoe {
    from: S<Raw>,
    state: RoeState,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPos {
    lat: S<Raw>,
    lon: S<Raw>,
    alt: Option<S<Raw>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWaypoint {
    lat: S<Raw>,
    lon: S<Raw>,
    alt: Option<S<Raw>>,
    speed: Option<S<Raw>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOffset {
    east: Option<S<Raw>>,
    north: Option<S<Raw>>,
    up: Option<S<Raw>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDefence {
    name: String,
    system: S<String>,
    site: S<RawPos>,
    facing: Option<S<Raw>>,
    #[serde(default)]
    radar: Vec<S<RawPlacedRadar>>,
    #[serde(default)]
    launcher: Vec<S<RawPlacedLauncher>>,
    arrives: Option<S<Raw>>,
    #[serde(default)]
    reload: Vec<S<RawReload>>,
    cueing: Option<bool>,
    iff_keys: Option<S<toml::Value>>,
    picture: Option<S<String>>,
    tracker: Option<S<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawReload {
    missiles: S<BTreeMap<S<String>, S<Raw>>>,
    count: Option<S<Raw>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPlacedRadar {
    #[serde(rename = "type")]
    type_id: S<String>,
    offset: Option<S<RawOffset>>,
    sac: Option<S<Raw>>,
    sic: Option<S<Raw>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPlacedLauncher {
    #[serde(rename = "type")]
    type_id: S<String>,
    offset: Option<S<RawOffset>>,
    missiles: S<BTreeMap<S<String>, S<Raw>>>,
    arrives: Option<S<Raw>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAsset {
    name: String,
    position: S<RawPos>,
    radius: S<Raw>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawThreat {
    name: Option<String>,
    #[serde(rename = "type")]
    type_id: S<String>,
    count: Option<S<Raw>>,
    start: Option<S<Raw>>,
    spacing: Option<S<Raw>>,
    lateral_spacing: Option<S<Raw>>,
    route: Option<S<Vec<S<RawWaypoint>>>>,
    launch: Option<S<RawPos>>,
    aim: Option<S<RawPos>>,
    loft: Option<S<Raw>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIdentification {
    hold_cycles: Option<S<Raw>>,
    hostile_confidence_free: Option<S<Raw>>,
    hostile_confidence_tight: Option<S<Raw>>,
    suspect_confidence: Option<S<Raw>>,
    tight_hold: Option<S<Raw>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFriendly {
    name: Option<String>,
    #[serde(rename = "type")]
    type_id: S<String>,
    count: Option<S<Raw>>,
    start: Option<S<Raw>>,
    spacing: Option<S<Raw>>,
    lateral_spacing: Option<S<Raw>>,
    route: Option<S<Vec<S<RawWaypoint>>>>,
    /// `"none"` or a list of modes, e.g. `["mode5", "mode3a", "modec"]`.
    transponder: Option<S<toml::Value>>,
    transponder_failure: Option<S<Raw>>,
    squawk: Option<S<Raw>>,
    address: Option<S<Raw>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCivil {
    callsign: Option<S<String>>,
    squawk: Option<S<Raw>>,
    #[serde(rename = "type")]
    type_id: S<String>,
    start: Option<S<Raw>>,
    route: Option<S<Vec<S<RawWaypoint>>>>,
    csv: Option<S<String>>,
    /// A CAT021 / CAT062 recording (raw data blocks or pcap) and the selection of one aircraft.
    asterix: Option<S<String>>,
    address: Option<S<Raw>>,
    track_number: Option<S<Raw>>,
    /// What a `csv` file's altitudes are: "geometric" (default) or "barometric".
    altitude_reference: Option<S<String>>,
    /// Altimeter setting (hPa) and geoid undulation for barometric altitudes.
    qnh_hpa: Option<S<Raw>>,
    geoid_undulation: Option<S<Raw>>,
}

// ---------------------------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------------------------

struct Cx<'a> {
    src: Src<'a>,
    cat: &'a Catalog,
    /// What reading the inputs passed over (malformed packets of a recording), for the user.
    warnings: std::cell::RefCell<Vec<String>>,
}

impl Cx<'_> {
    /// Keeps a reader's warning about file `path` for the user.
    fn warn(&self, path: &Path, warning: Option<String>) {
        self.warnings.borrow_mut().extend(warning.map(|w| format!("{}: warning: {w}", path.display())));
    }

    fn scenario(&self, raw: &RawFile, catalog: Catalog) -> Res<Scenario> {
        let h = raw.scenario.get_ref();
        let epoch = self.epoch(&h.epoch)?;
        let duration = self.duration(&h.duration, "duration", Check::AboveUpTo(0.0, MAX_TIME_S))?;
        let time_step = self.duration(&h.time_step, "time_step", Check::AboveUpTo(0.0, MAX_TIME_STEP_S))?;
        if time_step.as_nanos() == 0 {
            return Err(self.src.err(h.time_step.span(), "time_step rounds to 0 ns; it must be at least 1 ns"));
        }
        let seed = match &h.seed {
            Some(s) => self.src.integer(s, "seed", 0, i64::MAX)? as u64,
            None => 1,
        };
        let mut civil = Vec::new();
        for c in &raw.civil {
            civil.extend(self.civil(c, epoch)?);
        }
        let before = civil.len();
        civil.retain(|f| f.overlaps(SimTime::ZERO + duration));
        let civil_outside = before - civil.len();
        Ok(Scenario {
            path: self.src.file.to_path_buf(),
            name: h.name.clone(),
            epoch,
            origin: self.position(h.origin.get_ref(), "origin")?,
            duration,
            time_step,
            seed,
            roe: self.roe(&raw.roe)?,
            defences: raw.defence.iter().map(|d| self.defence(d, epoch)).collect::<Res<_>>()?,
            assets: raw.asset.iter().map(|a| self.asset(a.get_ref())).collect::<Res<_>>()?,
            threats: raw.threat.iter().map(|t| self.threat(t)).collect::<Res<_>>()?,
            friendlies: raw.friendly.iter().map(|f| self.friendly(f)).collect::<Res<_>>()?,
            identification: match &raw.identification {
                Some(i) => self.identification(i.get_ref())?,
                None => IdentificationDoctrine::default(),
            },
            civil,
            civil_outside,
            terrain: h.terrain.as_ref().map(|t| self.terrain(t.get_ref())).transpose()?,
            commands: {
                let names: Vec<&str> = raw.defence.iter().map(|d| d.get_ref().name.as_str()).collect();
                self.commands(&raw.command, &names)?
            },
            catalog,
            input_warnings: self.warnings.take(),
        })
    }

    /// The terrain file, relative to the scenario file; it must exist.
    fn terrain(&self, t: &RawTerrain) -> Res<Terrain> {
        let path = base_dir(self.src.file).join(t.geotiff.get_ref());
        if !path.is_file() {
            return Err(self.src.err(
                t.geotiff.span(),
                format!(
                    "terrain GeoTIFF \"{}\" not found (looked for {}); the path is relative to the scenario file",
                    t.geotiff.get_ref(),
                    path.display()
                ),
            ));
        }
        Ok(Terrain { geotiff: path })
    }

    fn epoch(&self, v: &S<toml::Value>) -> Res<OffsetDateTime> {
        let text = match v.get_ref() {
            toml::Value::String(s) => s.clone(),
            toml::Value::Datetime(d) => d.to_string(),
            other => {
                return Err(self.src.err(
                    v.span(),
                    format!("epoch: expected an RFC 3339 UTC time such as \"2026-06-01T04:00:00Z\", got {other}"),
                ));
            }
        };
        let t = OffsetDateTime::parse(&text, &Rfc3339).map_err(|e| {
            self.src.err(
                v.span(),
                format!("epoch: \"{text}\" is not an RFC 3339 time ({e}); write e.g. \"2026-06-01T04:00:00Z\""),
            )
        })?;
        if !t.offset().is_utc() {
            return Err(self.src.err(v.span(), format!("epoch: \"{text}\" must be in UTC (end it with Z)")));
        }
        Ok(t)
    }

    fn seconds(&self, v: &S<Raw>, key: &str, check: Check) -> Res<f64> {
        self.src.quantity(v, key, Q::Time, check)
    }

    fn duration(&self, v: &S<Raw>, key: &str, check: Check) -> Res<SimDuration> {
        Ok(SimDuration::from_secs_f64(self.seconds(v, key, check)?))
    }

    fn time(&self, v: &Option<S<Raw>>, key: &str) -> Res<SimTime> {
        match v {
            Some(v) => Ok(SimTime::from_secs_f64(self.seconds(v, key, TIME_CHECK)?)),
            None => Ok(SimTime::ZERO),
        }
    }

    fn length(&self, v: &Option<S<Raw>>, key: &str, check: Check) -> Res<f64> {
        v.as_ref().map_or(Ok(0.0), |v| self.src.quantity(v, key, Q::Length, check))
    }

    fn geodetic(&self, lat: &S<Raw>, lon: &S<Raw>, alt: &Option<S<Raw>>, ctx: &str) -> Res<Geodetic> {
        let lat = self.src.lat_lon(lat, &format!("{ctx}.lat"), 90.0)?;
        let lon = self.src.lat_lon(lon, &format!("{ctx}.lon"), 180.0)?;
        let alt = match alt {
            Some(a) => self.src.quantity(a, &format!("{ctx}.alt"), Q::Altitude, ALT_RANGE)?,
            None => 0.0,
        };
        Ok(Geodetic::new(lat, lon, alt))
    }

    fn position(&self, p: &RawPos, ctx: &str) -> Res<Geodetic> {
        self.geodetic(&p.lat, &p.lon, &p.alt, ctx)
    }

    fn offset(&self, o: &Option<S<RawOffset>>) -> Res<Vec3> {
        let Some(o) = o else { return Ok(Vec3::zeros()) };
        let o = o.get_ref();
        let lim = Check::Within(-100_000.0, 100_000.0);
        Ok(Vec3::new(
            self.length(&o.east, "offset.east", lim)?,
            self.length(&o.north, "offset.north", lim)?,
            self.length(&o.up, "offset.up", lim)?,
        ))
    }

    /// The catalog entry `id` must be of kind `kind`; `what` names the field in messages.
    fn entry(&self, id: &S<String>, kind: EntryKind, what: &str) -> Res<String> {
        let found = self.cat.kind_of(id.get_ref());
        if found == Some(kind) {
            return Ok(id.get_ref().clone());
        }
        Err(self.src.unknown_id(id.span(), what, id.get_ref(), self.cat.ids(kind), found.map(EntryKind::as_str)))
    }

    fn roe(&self, raw: &[S<RawRoe>]) -> Res<Vec<RoeChange>> {
        let mut out: Vec<RoeChange> = Vec::new();
        for r in raw {
            let r = r.get_ref();
            let from = SimTime::from_secs_f64(self.seconds(&r.from, "from", TIME_CHECK)?);
            if let Some(prev) = out.last().filter(|p| from <= p.from) {
                return Err(self.src.err(
                    r.from.span(),
                    format!("roe changes must be in time order: {from} is not after {}", prev.from),
                ));
            }
            out.push(RoeChange { from, state: r.state });
        }
        if out.first().is_none_or(|c| c.from > SimTime::ZERO) {
            out.insert(0, RoeChange { from: SimTime::ZERO, state: RoeState::WeaponsFree });
        }
        Ok(out)
    }

    fn defence(&self, d: &S<RawDefence>, epoch: OffsetDateTime) -> Res<Defence> {
        let span = d.span();
        let d = d.get_ref();
        let system = self.entry(&d.system, EntryKind::System, "system")?;
        if d.radar.is_empty() {
            return Err(self
                .src
                .err(span, format!("defence \"{}\" has no radar: add a [[defence.radar]] with a type", d.name)));
        }
        let mut radars = Vec::new();
        for r in &d.radar {
            let r = r.get_ref();
            let code = |v: &Option<S<Raw>>, key: &str| -> Res<Option<u8>> {
                v.as_ref().map(|v| self.src.integer(v, key, 0, 255).map(|n| n as u8)).transpose()
            };
            radars.push(PlacedRadar {
                type_id: self.entry(&r.type_id, EntryKind::Radar, "radar type")?,
                offset_enu: self.offset(&r.offset)?,
                sac: code(&r.sac, "sac")?,
                sic: code(&r.sic, "sic")?,
            });
        }
        let arrives = |v: &Option<S<Raw>>| -> Res<Option<SimTime>> {
            v.as_ref().map(|v| Ok(SimTime::from_secs_f64(self.seconds(v, "arrives", TIME_CHECK)?))).transpose()
        };
        let unit_arrives = arrives(&d.arrives)?;
        let mut launchers = Vec::new();
        for l in &d.launcher {
            let l = l.get_ref();
            let type_id = self.entry(&l.type_id, EntryKind::Launcher, "launcher type")?;
            let spec = &self.cat.launchers[&type_id];
            let mut missiles = BTreeMap::new();
            let mut total: u64 = 0;
            for (k, n) in l.missiles.get_ref() {
                if !spec.loads.iter().any(|x| x == k.get_ref()) {
                    let loads: Vec<&str> = spec.loads.iter().map(String::as_str).collect();
                    return Err(self.src.err(
                        k.span(),
                        format!("launcher {type_id} cannot carry \"{}\"; it loads {}", k.get_ref(), loads.join(", ")),
                    ));
                }
                let n = self.src.integer(n, k.get_ref(), 0, i64::from(u32::MAX))? as u32;
                total += u64::from(n);
                missiles.insert(k.get_ref().clone(), n);
            }
            let cap = spec.capacity.value;
            if total > u64::from(cap) {
                return Err(self.src.err(
                    l.missiles.span(),
                    format!("{total} missiles loaded but launcher {type_id} has {cap} tubes"),
                ));
            }
            let offset_enu = self.offset(&l.offset)?;
            let arrives = arrives(&l.arrives)?.or(unit_arrives);
            launchers.push(PlacedLauncher { type_id, offset_enu, missiles, arrives });
        }
        let mut reloads = Vec::new();
        let mut reload_rounds: u64 = 0;
        for r in &d.reload {
            let r_span = r.span();
            let r = r.get_ref();
            let mut missiles = BTreeMap::new();
            for (k, n) in r.missiles.get_ref() {
                // A vehicle carries only rounds some launcher of the unit can load.
                if !launchers.iter().any(|l| self.cat.launchers[&l.type_id].loads.iter().any(|x| x == k.get_ref())) {
                    let mut loads: Vec<&str> = launchers
                        .iter()
                        .flat_map(|l| self.cat.launchers[&l.type_id].loads.iter().map(String::as_str))
                        .collect();
                    loads.sort_unstable();
                    loads.dedup();
                    let can = if loads.is_empty() { "nothing".to_string() } else { loads.join(", ") };
                    return Err(self.src.err(
                        k.span(),
                        format!(
                            "reload vehicle carries \"{}\" but no launcher of defence \"{}\" loads it; they load {can}",
                            k.get_ref(),
                            d.name
                        ),
                    ));
                }
                // A transloader carries a handful of rounds (4 for the S-400's); 1,000 per
                // vehicle bounds the unit's total (≤ 1,000 vehicles) well inside a u32.
                let n = self.src.integer(n, k.get_ref(), 0, MAX_ROUNDS_PER_VEHICLE)? as u32;
                missiles.insert(k.get_ref().clone(), n);
            }
            let count = match &r.count {
                Some(c) => self.src.integer(c, "count", 1, 1000)? as u32,
                None => 1,
            };
            // Many `[[defence.reload]]` tables could carry more rounds than a u32 counts (the
            // summary's reload total wrapped, issue 19): the unit's vehicles hold at most
            // MAX_RELOAD_ROUNDS_PER_UNIT.
            reload_rounds += u64::from(count) * missiles.values().map(|&n| u64::from(n)).sum::<u64>();
            if reload_rounds > MAX_RELOAD_ROUNDS_PER_UNIT {
                return Err(self.src.err(
                    r_span,
                    format!(
                        "the reload vehicles of defence \"{}\" carry {reload_rounds} rounds so far, more than the \
                         {MAX_RELOAD_ROUNDS_PER_UNIT} one unit may hold",
                        d.name
                    ),
                ));
            }
            reloads.push(ReloadVehicles { missiles, count });
        }
        let facing_rad = match &d.facing {
            Some(f) => self.src.quantity(f, "facing", Q::Angle, Check::Within(-TAU, TAU))?.rem_euclid(TAU),
            None => 0.0,
        };
        Ok(Defence {
            name: d.name.clone(),
            system,
            site: self.position(d.site.get_ref(), "site")?,
            facing_rad,
            radars,
            launchers,
            arrives: unit_arrives,
            reloads,
            cueing: d.cueing.unwrap_or(true),
            iff_keys: d.iff_keys.as_ref().map(|k| self.keys(k)).transpose()?,
            picture: d.picture.as_ref().map(|p| self.picture(p, epoch)).transpose()?,
            tracker: d.tracker.as_ref().map(|p| self.tracker(p)).transpose()?,
        })
    }

    fn asset(&self, a: &RawAsset) -> Res<Asset> {
        Ok(Asset {
            name: a.name.clone(),
            position: self.position(a.position.get_ref(), "position")?,
            radius_m: self.src.quantity(&a.radius, "radius", Q::Length, Check::Positive)?,
        })
    }

    /// A route: ≥ 2 waypoints, the first with a speed; later speeds carry over.
    fn route(&self, route: &S<Vec<S<RawWaypoint>>>) -> Res<Vec<Waypoint>> {
        let wps = route.get_ref();
        if wps.len() < 2 {
            return Err(self
                .src
                .err(route.span(), format!("a route needs at least 2 waypoints, this one has {}", wps.len())));
        }
        let mut out = Vec::with_capacity(wps.len());
        let mut speed: Option<f64> = None;
        for w in wps {
            let ws = w.span();
            let w = w.get_ref();
            if let Some(s) = &w.speed {
                speed = Some(self.src.quantity(s, "speed", Q::Speed, Check::AboveUpTo(0.0, 10_000.0))?);
            }
            let Some(speed_mps) = speed else {
                return Err(self.src.err(
                    ws,
                    "the first waypoint of a route needs a speed, e.g. speed = \"450 kt\" (later waypoints carry it over)",
                ));
            };
            out.push(Waypoint { position: self.geodetic(&w.lat, &w.lon, &w.alt, "waypoint")?, speed_mps });
        }
        Ok(out)
    }

    fn threat(&self, t: &S<RawThreat>) -> Res<ThreatGroup> {
        let span = t.span();
        let t = t.get_ref();
        let type_id = self.entry(&t.type_id, EntryKind::Platform, "threat type")?;
        let platform = &self.cat.platforms[&type_id];
        let class = platform.class;
        if platform.transponder == Transponder::Mode5 {
            return Err(self.src.err(
                t.type_id.span(),
                format!(
                    "\"{type_id}\" carries Mode 5 IFF, which only an ally answers: a [[threat]] is hostile; \
                     enter an allied aircraft under [[friendly]]"
                ),
            ));
        }
        let timing = self.timing(&t.count, &t.start, &t.spacing, &t.lateral_spacing)?;
        let at = self.src.err(t.aim.as_ref().map_or(span.clone(), S::span), "");
        let route = if class == PlatformClass::BallisticMissile {
            if let Some(r) = &t.route {
                return Err(self.src.err(
                    r.span(),
                    format!("\"{type_id}\" is a ballistic missile: give launch and aim instead of a route"),
                ));
            }
            let (Some(launch), Some(aim)) = (&t.launch, &t.aim) else {
                return Err(self.src.err(
                    span,
                    format!("\"{type_id}\" is a ballistic missile: it needs launch = {{ lat, lon }} and aim = {{ lat, lon }}"),
                ));
            };
            let loft_rad = match &t.loft {
                Some(l) => Some(self.src.quantity(l, "loft", Q::Angle, Check::AboveUpTo(0.0, FRAC_PI_2 - 1e-9))?),
                None => None,
            };
            ThreatRoute::Ballistic {
                launch: self.position(launch.get_ref(), "launch")?,
                aim: self.position(aim.get_ref(), "aim")?,
                loft_rad,
            }
        } else {
            for (key, v) in [("launch", t.launch.as_ref().map(S::span)), ("aim", t.aim.as_ref().map(S::span))]
                .into_iter()
                .chain([("loft", t.loft.as_ref().map(S::span))])
            {
                if let Some(s) = v {
                    return Err(self.src.err(
                        s,
                        format!(
                            "{key} is for ballistic_missile types only; \"{type_id}\" is a {class}: give it a route"
                        ),
                    ));
                }
            }
            let Some(route) = &t.route else {
                return Err(self.src.err(span, format!("threat \"{type_id}\" needs a route (at least 2 waypoints)")));
            };
            ThreatRoute::Waypoints(self.route(route)?)
        };
        Ok(ThreatGroup {
            name: t.name.clone().unwrap_or_else(|| type_id.clone()),
            type_id,
            count: timing.count,
            start: timing.start,
            spacing: timing.spacing,
            lateral_spacing_m: timing.lateral_spacing_m,
            route,
            at,
        })
    }

    /// Count, start, spacing and lateral spacing of a group (`[[threat]]`, `[[friendly]]`).
    fn timing(
        &self,
        count: &Option<S<Raw>>,
        start: &Option<S<Raw>>,
        spacing: &Option<S<Raw>>,
        lateral: &Option<S<Raw>>,
    ) -> Res<GroupTiming> {
        let timing = GroupTiming {
            count: match count {
                Some(c) => self.src.integer(c, "count", 1, 100_000)? as u32,
                None => 1,
            },
            start: self.time(start, "start")?,
            spacing: match spacing {
                Some(s) => self.duration(s, "spacing", TIME_CHECK)?,
                None => SimDuration::ZERO,
            },
            lateral_spacing_m: self.length(lateral, "lateral_spacing", Check::Within(0.0, 100_000.0))?,
        };
        // The last of the group starts at start + (count − 1) · spacing; past the time limit
        // that sum overflowed the nanosecond clock and spawned the last one at t = 0.
        let last_s = timing.start.as_secs_f64() + timing.spacing.as_secs_f64() * f64::from(timing.count - 1);
        if let (true, Some(sp)) = (last_s > MAX_TIME_S, spacing) {
            return Err(self.src.err(
                sp.span(),
                format!(
                    "the last of {} threats {} s apart would start at {} s, beyond the {} s limit on times",
                    timing.count,
                    fmt_num(timing.spacing.as_secs_f64()),
                    fmt_num(last_s),
                    fmt_num(MAX_TIME_S)
                ),
            ));
        }
        Ok(timing)
    }

    fn identification(&self, i: &RawIdentification) -> Res<IdentificationDoctrine> {
        let p = |v: &Option<S<Raw>>, key: &str| {
            v.as_ref().map(|v| self.src.number(v, key, Check::Within(0.0, 1.0))).transpose()
        };
        Ok(IdentificationDoctrine {
            hold_cycles: i
                .hold_cycles
                .as_ref()
                .map(|n| self.src.integer(n, "hold_cycles", 1, 1000).map(|n| n as u32))
                .transpose()?,
            hostile_confidence_free: p(&i.hostile_confidence_free, "hostile_confidence_free")?,
            hostile_confidence_tight: p(&i.hostile_confidence_tight, "hostile_confidence_tight")?,
            suspect_confidence: p(&i.suspect_confidence, "suspect_confidence")?,
            tight_hold_s: i
                .tight_hold
                .as_ref()
                .map(|v| self.seconds(v, "tight_hold", Check::Within(0.0, 3600.0)))
                .transpose()?,
        })
    }

    fn friendly(&self, f: &S<RawFriendly>) -> Res<FriendlyGroup> {
        let span = f.span();
        let f = f.get_ref();
        let type_id = self.entry(&f.type_id, EntryKind::Platform, "friendly type")?;
        let platform = &self.cat.platforms[&type_id];
        if platform.class == PlatformClass::BallisticMissile {
            return Err(self.src.err(
                f.type_id.span(),
                format!("\"{type_id}\" is a ballistic missile: a [[friendly]] is an aircraft flying a route"),
            ));
        }
        let Some(route) = &f.route else {
            return Err(self.src.err(span, format!("friendly \"{type_id}\" needs a route (at least 2 waypoints)")));
        };
        let timing = self.timing(&f.count, &f.start, &f.spacing, &f.lateral_spacing)?;
        let modes = match &f.transponder {
            Some(v) => self.modes(v)?,
            None => catalog_modes(platform.transponder),
        };
        let failure_probability = match &f.transponder_failure {
            Some(p) => self.src.number(p, "transponder_failure", Check::Within(0.0, 1.0))?,
            None => 0.0,
        };
        let squawk = f.squawk.as_ref().map(|s| self.squawk(s)).transpose()?;
        let address = f.address.as_ref().map(|a| self.address(a)).transpose()?;
        Ok(FriendlyGroup {
            name: f.name.clone().unwrap_or_else(|| type_id.clone()),
            type_id,
            count: timing.count,
            start: timing.start,
            spacing: timing.spacing,
            lateral_spacing_m: timing.lateral_spacing_m,
            route: self.route(route)?,
            transponder: TransponderFit { modes, failure_probability, squawk, address },
        })
    }

    /// `picture = "feed.ast"`: an outside CAT062 picture, relative to the scenario file.
    fn picture(&self, p: &S<String>, epoch: OffsetDateTime) -> Res<Arc<OutsidePicture>> {
        let path = base_dir(self.src.file).join(p.get_ref());
        let bytes = std::fs::read(&path)
            .map_err(|e| self.src.err(p.span(), format!("cannot read picture {}: {e}", path.display())))?;
        let (h, m, sec, ns) = epoch.time().as_hms_nano();
        let tod = f64::from(h) * 3600.0 + f64::from(m) * 60.0 + f64::from(sec) + f64::from(ns) * 1e-9;
        let (picture, warning) = picture::read_picture(&path, &bytes, tod)?;
        self.warn(&path, warning);
        Ok(Arc::new(picture))
    }

    /// `tracker = "trackers/imm.toml"`: a tracker TOML, relative to the scenario file; an
    /// unreadable file is an error at the key, a bad one at its own line and column.
    fn tracker(&self, p: &S<String>) -> Res<Arc<UnitTracker>> {
        let path = base_dir(self.src.file).join(p.get_ref());
        if !path.is_file() {
            return Err(self.src.err(p.span(), format!("cannot read tracker {}: no such file", path.display())));
        }
        Ok(Arc::new(tracker_file::read_tracker(&path)?))
    }

    /// `iff_keys = "none"` or a list of secure modes (mode5, mode4, national).
    fn keys(&self, v: &S<toml::Value>) -> Res<ModeSet> {
        let modes = self.mode_list(v, "iff_keys")?;
        if let Some(m) = modes.iter().find(|m| !m.secure()) {
            let msg = format!("iff_keys: {} needs no key; list secure modes only (mode5, mode4, national)", m.as_str());
            return Err(self.src.err(v.span(), msg));
        }
        Ok(ModeSet::of(modes))
    }

    /// `transponder = "none"` or a list of mode names.
    fn modes(&self, v: &S<toml::Value>) -> Res<BTreeSet<TransponderMode>> {
        self.mode_list(v, "transponder")
    }

    /// `key = "none"` or a list of mode names, each once.
    fn mode_list(&self, v: &S<toml::Value>, key: &str) -> Res<BTreeSet<TransponderMode>> {
        let accepted = || TransponderMode::ALL.map(TransponderMode::as_str).join(", ");
        let bad = |what: String| {
            self.src.err(v.span(), format!("{key}: {what}; write \"none\" or a list of modes from {}", accepted()))
        };
        match v.get_ref() {
            toml::Value::String(s) if s == "none" => Ok(BTreeSet::new()),
            toml::Value::Array(items) => {
                let mut out = BTreeSet::new();
                for item in items {
                    let mode = item.as_str().and_then(TransponderMode::parse);
                    match mode {
                        Some(m) if out.insert(m) => {}
                        Some(m) => return Err(bad(format!("{} is listed twice", m.as_str()))),
                        None => return Err(bad(format!("{item} is not a transponder mode"))),
                    }
                }
                Ok(out)
            }
            other => Err(bad(format!("{other} is not a list of modes"))),
        }
    }

    /// A Mode 3/A code written as four octal digits.
    fn squawk(&self, s: &S<Raw>) -> Res<u16> {
        match s.get_ref() {
            Raw::Text(t) => flights::parse_squawk(t).map_err(|m| self.src.err(s.span(), m)),
            _ => Err(self.src.err(
                s.span(),
                "squawk: write the Mode 3/A code as a string of four octal digits, e.g. squawk = \"2641\"",
            )),
        }
    }

    /// A 24-bit ICAO address written as six hex digits (a leading `0x` allowed), read by the
    /// recorded-flight CSV's own parser.
    fn address(&self, a: &S<Raw>) -> Res<u32> {
        match a.get_ref() {
            Raw::Text(t) => flights::parse_address(t.trim_start_matches("0x")).map_err(|m| self.src.err(a.span(), m)),
            _ => Err(self
                .src
                .err(a.span(), "address: write the 24-bit ICAO address as six hex digits, e.g. address = \"3C6601\"")),
        }
    }

    /// How a recorded-flight file's altitudes become heights above the ellipsoid (`None`: they
    /// are already). `altitude_reference = "geometric"` (the default: ADS-B GNSS height and
    /// ASTERIX I021/140 are heights above the WGS-84 ellipsoid, and it was the only reading
    /// before the key existed) or `"barometric"`: pressure altitudes (1013.25 hPa datum, as Mode C
    /// and ADS-B barometric altitude report them) through the U.S. Standard Atmosphere 1976
    /// ([`bulwark_geo::altimetry`]), with `qnh_hpa` (default 1013.25: a standard day, for want of
    /// the recording's weather) and `geoid_undulation` N (default 0 m: Bulwark carries no geoid
    /// model; give the EGM96/EGM2008 value of the area, |N| < 110 m).
    fn altitude_reference(&self, c: &RawCivil) -> Res<Option<impl Fn(f64) -> f64>> {
        let barometric = match &c.altitude_reference {
            None => false,
            Some(r) => match r.get_ref().as_str() {
                "geometric" => false,
                "barometric" => true,
                other => {
                    return Err(self.src.err(
                        r.span(),
                        format!("altitude_reference \"{other}\": expected \"geometric\" (above the ellipsoid) or \"barometric\" (pressure altitude)"),
                    ));
                }
            },
        };
        if !barometric {
            if let Some(s) = c.qnh_hpa.as_ref().or(c.geoid_undulation.as_ref()).map(S::span) {
                return Err(self
                    .src
                    .err(s, "qnh_hpa and geoid_undulation apply to altitude_reference = \"barometric\""));
            }
            return Ok(None);
        }
        // Sea-level pressure records: 870 hPa (typhoon Tip, 1979) to 1084.8 hPa (Tosontsengel, 2001).
        let qnh =
            c.qnh_hpa.as_ref().map_or(Ok(1013.25), |q| self.src.number(q, "qnh_hpa", Check::Within(850.0, 1090.0)))?;
        let n = self.length(&c.geoid_undulation, "geoid_undulation", Check::Within(-120.0, 120.0))?;
        Ok(Some(move |alt_m| bulwark_geo::altimetry::barometric_to_ellipsoidal_m(alt_m, qnh * 100.0, n)))
    }

    fn civil(&self, c: &S<RawCivil>, epoch: OffsetDateTime) -> Res<Vec<CivilFlight>> {
        let span = c.span();
        let c = c.get_ref();
        let type_id = self.entry(&c.type_id, EntryKind::Platform, "civil aircraft type")?;
        let platform = &self.cat.platforms[&type_id];
        if platform.class != PlatformClass::Airliner && platform.transponder != Transponder::Civil {
            let mut civil: Vec<&str> = self
                .cat
                .platforms
                .values()
                .filter(|p| p.class == PlatformClass::Airliner || p.transponder == Transponder::Civil)
                .map(|p| p.id.as_str())
                .collect();
            civil.sort_unstable();
            return Err(self.src.err(
                c.type_id.span(),
                format!(
                    "\"{type_id}\" is a {} without a civil transponder, not a civil aircraft: a [[civil]] type is one of {}; \
                     enter an allied aircraft under [[friendly]]",
                    platform.class,
                    civil.join(", ")
                ),
            ));
        }
        let keys = [
            c.altitude_reference.as_ref().map(S::span),
            c.qnh_hpa.as_ref().map(S::span),
            c.geoid_undulation.as_ref().map(S::span),
        ];
        if let Some(s) = keys.into_iter().flatten().next().filter(|_| c.csv.is_none()) {
            return Err(self
                .src
                .err(s, "altitude_reference, qnh_hpa and geoid_undulation describe a csv file's altitudes"));
        }
        if c.asterix.is_some() || c.address.is_some() || c.track_number.is_some() {
            return self.civil_asterix(c, epoch, &type_id).map(|f| vec![f]);
        }
        if let Some(csv) = &c.csv {
            for (key, s) in [
                ("callsign", c.callsign.as_ref().map(S::span)),
                ("squawk", c.squawk.as_ref().map(S::span)),
                ("start", c.start.as_ref().map(S::span)),
                ("route", c.route.as_ref().map(S::span)),
            ] {
                if let Some(s) = s {
                    return Err(self.src.err(s, format!("{key} cannot be given with csv: the file holds it")));
                }
            }
            let path = base_dir(self.src.file).join(csv.get_ref());
            if let Err(e) = std::fs::metadata(&path) {
                return Err(self.src.err(csv.span(), format!("cannot read flights file {}: {e}", path.display())));
            }
            let text = crate::diag::read_text(&path)?;
            let mut flights = flights::parse(&path, &text, epoch, &type_id)?;
            if let Some(to_ellipsoid) = self.altitude_reference(c)? {
                for f in &mut flights {
                    if let CivilPath::Recorded(pts) = &mut f.path {
                        pts.iter_mut().for_each(|(_, p)| p.alt_m = to_ellipsoid(p.alt_m));
                    }
                }
            }
            return Ok(flights);
        }
        let Some(callsign) = &c.callsign else {
            return Err(self
                .src
                .err(span, "a civil flight needs a callsign (or a csv = \"file\" of recorded flights)"));
        };
        flights::check_callsign(callsign.get_ref()).map_err(|m| self.src.err(callsign.span(), m))?;
        let squawk = c.squawk.as_ref().map(|s| self.squawk(s)).transpose()?;
        let Some(route) = &c.route else {
            return Err(self.src.err(span, "a civil flight needs a route (or a csv = \"file\" of recorded flights)"));
        };
        Ok(vec![CivilFlight {
            callsign: callsign.get_ref().clone(),
            squawk,
            address: None,
            type_id,
            start: self.time(&c.start, "start")?,
            path: CivilPath::Route(self.route(route)?),
            duplicate_rows: 0,
        }])
    }
}

impl Cx<'_> {
    /// `[[civil]] asterix = "file"` with at most one of `address`, `callsign`, `track_number`.
    fn civil_asterix(&self, c: &RawCivil, epoch: OffsetDateTime, type_id: &str) -> Res<CivilFlight> {
        let Some(rec) = &c.asterix else {
            let s = c.address.as_ref().or(c.track_number.as_ref()).map_or(0..0, S::span);
            return Err(self
                .src
                .err(s, "address and track_number select an aircraft of a recording: add asterix = \"file\""));
        };
        for (key, s) in [
            ("csv", c.csv.as_ref().map(S::span)),
            ("squawk", c.squawk.as_ref().map(S::span)),
            ("start", c.start.as_ref().map(S::span)),
            ("route", c.route.as_ref().map(S::span)),
        ] {
            if let Some(s) = s {
                return Err(self.src.err(s, format!("{key} cannot be given with asterix: the recording holds it")));
            }
        }
        let mut sel = flights::Select::default();
        let mut key_span = rec.span();
        let mut given = 0;
        if let Some(a) = &c.address {
            sel.address = Some(self.address(a)?);
            key_span = a.span();
            given += 1;
        }
        if let Some(cs) = &c.callsign {
            flights::check_callsign(cs.get_ref()).map_err(|m| self.src.err(cs.span(), m))?;
            sel.callsign = Some(cs.get_ref().clone());
            key_span = cs.span();
            given += 1;
        }
        if let Some(t) = &c.track_number {
            sel.track_number = Some(self.src.integer(t, "track_number", 0, 65_535)? as u16);
            key_span = t.span();
            given += 1;
        }
        if given > 1 {
            return Err(self.src.err(key_span, "give one of address, callsign and track_number, not several"));
        }
        let path = base_dir(self.src.file).join(rec.get_ref());
        let bytes = std::fs::read(&path)
            .map_err(|e| self.src.err(rec.span(), format!("cannot read recording {}: {e}", path.display())))?;
        let (aircraft, warning) = flights::read_asterix(&path, &bytes)?;
        self.warn(&path, warning);
        let one = flights::select(&aircraft, &sel).map_err(|m| self.src.err(key_span.clone(), m))?;
        flights::flight_from(&one, epoch, type_id).map_err(|m| self.src.err(key_span, m))
    }
}

/// Count, start and spacings of a group of aircraft or missiles.
struct GroupTiming {
    count: u32,
    start: SimTime,
    spacing: SimDuration,
    lateral_spacing_m: f64,
}

/// The modes of a catalog transponder: Mode 5 alone for a military fit, Mode 3/A, C and S for a
/// civil one.
pub fn catalog_modes(t: Transponder) -> BTreeSet<TransponderMode> {
    match t {
        Transponder::None => BTreeSet::new(),
        Transponder::Mode5 => [TransponderMode::Mode5].into_iter().collect(),
        Transponder::Civil => {
            [TransponderMode::Mode3A, TransponderMode::ModeC, TransponderMode::ModeS].into_iter().collect()
        }
    }
}
