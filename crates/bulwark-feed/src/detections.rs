//! Detection files into the tracker: the engine behind `bulwark track --detections FILE.csv
//! --config tracker.toml [--truth truth.csv]` and the Python `bulwark.track`.
//!
//! Streams the detections CSV (one reused record buffer; one small vector per detection),
//! feeds each scan to the configured tracker, writes one row per confirmed track per scan,
//! and scores the tracks against truth with GOSPA, OSPA and SIAP (formats: docs/formats.md).
//!
//! Several sensors ([`TrackerToml::wants_fusion`]): the rows of one `scan` run are split per
//! sensor, and each sensor scan goes to a [`FusionTracker`] in file order (= arrival order), so
//! a scan delivered late — after scans of later time — is applied out of sequence by
//! reprocessing when within `[fusion] max_lag_s`, and rejected and counted beyond it.
use bulwark_core::SensorId;
use bulwark_scenario::Diagnostic;
use bulwark_scenario::diag::Errors;
use bulwark_tracking::config::{
    MeasurementKind, SensorSpec, TrackerToml, build_fusion_tracker, build_sensors, build_tracker, detection_limits,
};
use bulwark_tracking::metrics::{GospaParts, SiapParams, TrackPoint, ospa_gospa, siap};
use bulwark_tracking::{Detection, FusionTracker, MultiTargetTracker, Track, TrackEvent, wrap_angle};
use csv::{ByteRecord, ReaderBuilder};
use nalgebra::DVector;
use std::f64::consts::FRAC_PI_2;
use std::fmt::Write as _;
use std::io::Read;
use std::path::Path;

/// Bad input to [`track_detections`] or [`score`]; every variant is the user's to fix.
#[derive(Debug, thiserror::Error)]
pub enum DetectionsError {
    /// At a place in a CSV file (1-based line and column); a pass that found several bad cells
    /// carries the next ones and the count of all ([`Diagnostic::also`], [`Diagnostic::total`]).
    #[error("{0}")]
    At(Diagnostic),
    /// In the tracker TOML, with its source line.
    #[error("{0}")]
    Config(Diagnostic),
    /// Anything else (an unreadable file, a bad parameter).
    #[error("error: {0}")]
    Other(String),
}

fn bad(msg: String) -> DetectionsError {
    DetectionsError::Other(msg)
}

/// `file:line:col: error: reason`.
fn at(file: &Path, line: u64, column: usize, msg: impl std::fmt::Display) -> DetectionsError {
    DetectionsError::At(cell(file, line, column, msg))
}

/// The place of a bad CSV cell (line and column as the CSV reader counts them).
fn cell(file: &Path, line: u64, column: usize, msg: impl std::fmt::Display) -> Diagnostic {
    Diagnostic::at_line(file, usize::try_from(line).unwrap_or(usize::MAX), column, msg.to_string())
}

type Result<T> = std::result::Result<T, DetectionsError>;

/// Column indices of a CSV header, by name (other columns ignored).
struct Columns {
    idx: Vec<(&'static str, usize)>,
}

impl Columns {
    fn new(headers: &ByteRecord, wanted: &[&'static str]) -> Self {
        let idx = wanted
            .iter()
            .filter_map(|w| headers.iter().position(|h| h.trim_ascii() == w.as_bytes()).map(|i| (*w, i)))
            .collect();
        Self { idx }
    }
    fn get(&self, name: &str) -> Option<usize> {
        self.idx.iter().find(|(n, _)| *n == name).map(|(_, i)| *i)
    }
    fn require(&self, name: &'static str, file: &Path, why: &str) -> Result<usize> {
        self.get(name).ok_or_else(|| at(file, 1, 1, format!("missing column `{name}`{why}")))
    }
}

/// One CSV row being read: gives numbers with the line and column of any bad field.
struct Row<'a> {
    rec: &'a ByteRecord,
    file: &'a Path,
    line: u64,
}

impl Row<'_> {
    /// 1-based column of field `i` (exact for unquoted fields).
    fn col(&self, i: usize) -> usize {
        1 + (0..i).map(|k| self.rec.get(k).map_or(0, |f| f.len()) + 1).sum::<usize>()
    }
    fn raw(&self, i: usize) -> &[u8] {
        self.rec.get(i).unwrap_or(b"").trim_ascii()
    }
    fn is_empty(&self, i: Option<usize>) -> bool {
        i.is_none_or(|i| self.raw(i).is_empty())
    }
    /// A finite number, within [`detection_limits`] for a measurement or time column.
    fn num(&self, i: usize, name: &str) -> Result<f64> {
        let text = std::str::from_utf8(self.raw(i)).unwrap_or("");
        match text.parse::<f64>() {
            Ok(v) if v.is_finite() => match detection_limits(name) {
                Some((lo, hi)) if !(lo..=hi).contains(&v) => {
                    Err(at(self.file, self.line, self.col(i), format!("`{name}` must lie in [{lo}, {hi}], got {v}")))
                }
                _ => Ok(v),
            },
            _ => Err(at(
                self.file,
                self.line,
                self.col(i),
                format!("`{name}`: expected a finite number, got `{}`", String::from_utf8_lossy(self.raw(i))),
            )),
        }
    }
    fn opt(&self, i: Option<usize>, name: &str) -> Result<Option<f64>> {
        match i {
            Some(i) if !self.raw(i).is_empty() => self.num(i, name).map(Some),
            _ => Ok(None),
        }
    }
    fn int(&self, i: usize, name: &str) -> Result<u64> {
        std::str::from_utf8(self.raw(i)).ok().and_then(|t| t.parse::<u64>().ok()).ok_or_else(|| {
            at(
                self.file,
                self.line,
                self.col(i),
                format!("`{name}`: expected a non-negative integer, got `{}`", String::from_utf8_lossy(self.raw(i))),
            )
        })
    }
}

fn reader<R: Read>(input: R) -> csv::Reader<R> {
    ReaderBuilder::new().has_headers(true).flexible(true).from_reader(input)
}

fn csv_error(file: &Path, e: csv::Error) -> DetectionsError {
    match e.position() {
        Some(p) => at(file, p.line(), 1, e),
        None => bad(format!("{}: {e}", file.display())),
    }
}

/// The measurement columns a sensor kind needs.
fn needed(kind: MeasurementKind) -> &'static [&'static str] {
    match kind {
        MeasurementKind::BearingRange => &["bearing_rad", "range_m"],
        MeasurementKind::RangeAzEl => &["bearing_rad", "range_m", "elevation_rad"],
        MeasurementKind::RangeAzElRr => &["bearing_rad", "range_m", "elevation_rad", "range_rate_mps"],
        MeasurementKind::Cartesian => &["x_m", "y_m"],
        MeasurementKind::AngleOnly => &["bearing_rad", "elevation_rad"],
    }
}

/// A confirmed track at a scan: (t_s, id, position m, velocity m/s).
struct Out {
    points: Vec<TrackPoint>,
    csv: String,
    scans: Vec<f64>,
    initiated: usize,
    confirmed: usize,
    /// Fusion: the last block of rows written (time, its start in `csv` and in `points`), which
    /// a later sensor scan of the same time, or an out-of-sequence update, rewrites.
    last_block: Option<(f64, usize, usize)>,
    /// Fusion: sensor scans processed.
    sensor_scans: usize,
}

/// The tracker a run drives: one call per scan, or the multi-sensor front end.
enum Engine {
    Single(Box<dyn MultiTargetTracker>),
    Fusion(Box<FusionTracker>),
}

/// A tracker built from a tracker TOML, for one detections file.
pub struct DetectionTracker {
    sensors: Vec<SensorSpec>,
    engine: Engine,
    three_d: bool,
    max_lag_s: f64,
    /// Warnings about the configuration (printed by the CLI).
    pub warnings: Vec<String>,
}

/// The confirmed tracks of every scan of a detections file.
pub struct TrackedDetections {
    /// `t_s,track_id,x_m,y_m[,z_m],vx_mps,vy_mps[,vz_mps]`, one row per confirmed track per scan.
    pub csv: String,
    /// Rows of `csv`.
    pub rows: usize,
    /// Scans processed.
    pub scans: usize,
    /// Detections read.
    pub detections: usize,
    /// Tracks initiated and confirmed.
    pub initiated: usize,
    pub confirmed: usize,
    /// Multi-sensor fusion counts (sensors, sensor scans, in/out of sequence, rejected), if fused.
    pub fusion: Option<serde_json::Value>,
    three_d: bool,
    out: Out,
}

/// Parameters of [`TrackedDetections::score`] (the CLI's defaults in [`Default`]).
#[derive(Clone, Copy, Debug)]
pub struct ScoreParams {
    /// GOSPA and OSPA cut-off distance c, m.
    pub gospa_c: f64,
    /// GOSPA and OSPA order p (≥ 1).
    pub gospa_p: f64,
    /// SIAP track-to-truth association distance, m.
    pub siap_threshold: f64,
    /// A truth row belongs to a scan when their times differ by at most this, s.
    pub time_tolerance: f64,
}

impl Default for ScoreParams {
    fn default() -> Self {
        Self { gospa_c: 1000.0, gospa_p: 2.0, siap_threshold: 250.0, time_tolerance: 1e-6 }
    }
}

/// GOSPA, OSPA and SIAP of a tracking run.
pub struct Scores {
    /// The CLI's three summary lines.
    pub text: String,
    /// The `--metrics-json` document.
    pub json: serde_json::Value,
    pub warnings: Vec<String>,
}

impl DetectionTracker {
    /// Builds the tracker that tracker TOML `text` (named `file` in messages) describes.
    pub fn from_toml(text: &str, file: &Path) -> Result<Self> {
        let toml_err = |e: bulwark_tracking::config::TomlError| {
            DetectionsError::Config(match e.span {
                Some(span) => Diagnostic::at(file, text, span, e.message),
                None => Diagnostic::file(file, e.message),
            })
        };
        let cfg = TrackerToml::parse(text).map_err(toml_err)?;
        let sensors = build_sensors(&cfg).map_err(toml_err)?;
        if sensors.is_empty() {
            return Err(bad(format!("{}: no [sensor] table", file.display())));
        }
        let mut warnings = Vec::new();
        let engine = if cfg.wants_fusion() {
            Engine::Fusion(Box::new(build_fusion_tracker(&cfg).map_err(toml_err)?))
        } else {
            if sensors.len() > 1 {
                warnings.push(format!(
                    "{}: warning: multi-sensor fusion needs the `gnn` associator; each `scan` of all sensors \
                     is processed as one scan",
                    file.display()
                ));
            }
            Engine::Single(build_tracker(&cfg).map_err(toml_err)?)
        };
        let max_lag_s = cfg.fusion.clone().unwrap_or_default().max_lag_s.into_inner();
        Ok(Self { sensors, engine, three_d: cfg.is_3d(), max_lag_s, warnings })
    }

    /// Tracks the detections CSV read from `input` (named `file` in messages).
    pub fn track(mut self, input: impl Read, file: &Path) -> Result<TrackedDetections> {
        let (out, n_det) = track(&mut self.engine, &self.sensors, input, file, self.three_d)?;
        let fusion = match &self.engine {
            Engine::Fusion(ft) => {
                let s = ft.stats();
                Some(serde_json::json!({
                    "sensors": self.sensors.len(),
                    "sensor_scans": out.sensor_scans,
                    "max_lag_s": self.max_lag_s,
                    "in_sequence": s.in_sequence,
                    "oosm_applied": s.oosm_applied,
                    "oosm_unassociated": s.oosm_unassociated,
                    "too_old": s.too_old,
                }))
            }
            Engine::Single(_) => None,
        };
        Ok(TrackedDetections {
            csv: out.csv.clone(),
            rows: out.points.len(),
            scans: out.scans.len(),
            detections: n_det,
            initiated: out.initiated,
            confirmed: out.confirmed,
            fusion,
            three_d: self.three_d,
            out,
        })
    }
}

impl TrackedDetections {
    /// Scores the tracks against the truth CSV read from `input` (named `file` in messages).
    pub fn score(&self, input: impl Read, file: &Path, params: &ScoreParams) -> Result<Scores> {
        let truth = read_truth(input, file, self.three_d)?;
        let mut s = score(params, &self.out, &truth, self.three_d)?;
        if let Some(f) = &self.fusion {
            s.json["fusion"] = f.clone();
        }
        Ok(s)
    }
}

fn track(
    engine: &mut Engine,
    sensors: &[SensorSpec],
    input: impl Read,
    file: &Path,
    three_d: bool,
) -> Result<(Out, usize)> {
    let mut rdr = reader(input);
    let headers = rdr.byte_headers().map_err(|e| csv_error(file, e))?.clone();
    let cols = Columns::new(
        &headers,
        &["scan", "t_s", "bearing_rad", "range_m", "elevation_rad", "range_rate_mps", "sensor", "x_m", "y_m", "z_m"],
    );
    let c_scan = cols.require("scan", file, "")?;
    let c_t = cols.require("t_s", file, "")?;
    let c_sensor = cols.get("sensor");
    if c_sensor.is_none() && !sensors.iter().any(|s| s.id == 0) {
        return Err(at(file, 1, 1, "missing column `sensor` (the tracker TOML has no sensor with id 0)"));
    }
    for s in sensors {
        for name in needed(s.kind) {
            cols.require(name, file, &format!(" (needed by sensor {}, {})", s.id, s.kind.name()))?;
        }
    }
    let (c_b, c_r, c_e, c_rr) =
        (cols.get("bearing_rad"), cols.get("range_m"), cols.get("elevation_rad"), cols.get("range_rate_mps"));
    let (c_x, c_y, c_z) = (cols.get("x_m"), cols.get("y_m"), cols.get("z_m"));

    let mut header = String::from(if three_d {
        "t_s,track_id,x_m,y_m,z_m,vx_mps,vy_mps,vz_mps\n"
    } else {
        "t_s,track_id,x_m,y_m,vx_mps,vy_mps\n"
    });
    header.reserve(1 << 16);
    let mut out = Out {
        points: Vec::new(),
        csv: header,
        scans: Vec::new(),
        initiated: 0,
        confirmed: 0,
        last_block: None,
        sensor_scans: 0,
    };
    let mut rec = ByteRecord::new();
    let mut batch: Vec<Detection> = Vec::new();
    // Fusion: the scan in progress per sensor (id, latest time, detections), in order of first row.
    let mut groups: Vec<(u32, f64, Vec<Detection>)> = Vec::new();
    let mut current: Option<(u64, f64)> = None; // (scan number, latest time)
    let mut n_det = 0usize;
    let cells = RowCells { sensors, c_scan, c_t, c_sensor, c_b, c_r, c_e, c_rr, c_x, c_y, c_z };
    // A bad cell does not stop the reading: the first ones are reported with their places and
    // the rest counted, so a file is mended in one go. Tracking stops at the first.
    let mut bad_cells = Errors::default();
    loop {
        let more = rdr.read_byte_record(&mut rec).map_err(|e| csv_error(file, e))?;
        let row = Row { rec: &rec, file, line: rec.position().map_or(0, |p| p.line()) };
        let parsed = match more.then(|| cells.parse(&row)) {
            None => None,
            Some(Ok(p)) => Some(p),
            Some(Err(DetectionsError::At(d))) => {
                bad_cells.push(d);
                continue;
            }
            Some(Err(e)) => return Err(e),
        };
        if !bad_cells.is_empty() {
            if more {
                continue;
            }
            break;
        }
        let scan = parsed.as_ref().map(|p| p.scan);
        // The scan in progress ends at a row of another scan or at the end of the file.
        let ended = match current {
            Some((s, t)) if scan != Some(s) => Some((s, t)),
            _ => None,
        };
        if let Some((s, t)) = ended {
            match engine {
                Engine::Single(tracker) => {
                    match scan {
                        Some(next) if next < s => {
                            return Err(at(
                                file,
                                row.line,
                                row.col(c_scan),
                                format!("scan {next} after scan {s}: rows must be ordered by scan"),
                            ));
                        }
                        _ => {}
                    }
                    process(&mut **tracker, t, &batch, &mut out, three_d);
                    batch.clear();
                }
                // Scan numbers need no order here: a late scan is how out-of-sequence data arrive.
                Engine::Fusion(ft) => {
                    for (_, t, dets) in groups.drain(..) {
                        process_fusion(ft, t, &dets, &mut out, three_d);
                    }
                }
            }
            current = None;
        }
        let Some(Parsed { scan, t, sensor, z }) = parsed else { break };
        current = Some(match current {
            Some((s, t0)) => (s, t0.max(t)),
            None => (scan, t),
        });
        let group = match engine {
            Engine::Single(_) => None,
            Engine::Fusion(_) => Some(match groups.iter().position(|g| g.0 == sensor.id) {
                Some(k) => {
                    groups[k].1 = groups[k].1.max(t);
                    k
                }
                None => {
                    groups.push((sensor.id, t, Vec::new()));
                    groups.len() - 1
                }
            }),
        };
        // A row whose measurement fields are all empty marks a scan without detections.
        let Some(z) = z else { continue };
        n_det += 1;
        let det =
            Detection { t_s: t, z: DVector::from_vec(z), model: sensor.model.clone(), sensor: SensorId(sensor.id) };
        match group {
            Some(k) => groups[k].2.push(det),
            None => batch.push(det),
        }
    }
    bad_cells.into_result().map_err(DetectionsError::At)?;
    Ok((out, n_det))
}

/// One detections row read: its scan, time, sensor and measurement (`None` for a row that
/// only marks a scan without detections).
struct Parsed<'s> {
    scan: u64,
    t: f64,
    sensor: &'s SensorSpec,
    z: Option<Vec<f64>>,
}

/// The columns of a detections CSV (indices into a row) and the sensors they feed.
struct RowCells<'s> {
    sensors: &'s [SensorSpec],
    c_scan: usize,
    c_t: usize,
    c_sensor: Option<usize>,
    c_b: Option<usize>,
    c_r: Option<usize>,
    c_e: Option<usize>,
    c_rr: Option<usize>,
    c_x: Option<usize>,
    c_y: Option<usize>,
    c_z: Option<usize>,
}

impl<'s> RowCells<'s> {
    /// The cells of `row`, or the error of its first bad cell.
    fn parse(&self, row: &Row<'_>) -> Result<Parsed<'s>> {
        let scan = row.int(self.c_scan, "scan")?;
        let t = row.num(self.c_t, "t_s")?;
        let sensor_id = match self.c_sensor {
            Some(i) if !row.raw(i).is_empty() => row.int(i, "sensor")?,
            _ => 0,
        };
        let Some(sensor) = self.sensors.iter().find(|s| u64::from(s.id) == sensor_id) else {
            let col = self.c_sensor.map_or(1, |i| row.col(i));
            return Err(at(row.file, row.line, col, format!("sensor {sensor_id} is not in the tracker TOML")));
        };
        let (c_b, c_r, c_e, c_rr) = (self.c_b, self.c_r, self.c_e, self.c_rr);
        let fields: &[Option<usize>] = match sensor.kind {
            MeasurementKind::Cartesian => &[self.c_x, self.c_y, self.c_z],
            _ => &[c_b, c_r, c_e, c_rr],
        };
        if fields.iter().all(|&i| row.is_empty(i)) {
            return Ok(Parsed { scan, t, sensor, z: None });
        }
        let req = |i: Option<usize>, name: &str| -> Result<f64> {
            match i {
                Some(i) => row.num(i, name),
                None => Err(at(row.file, row.line, 1, format!("missing column `{name}`"))),
            }
        };
        let z = match sensor.kind {
            // Same convention as the model: φ = atan2(Δy, Δx).
            MeasurementKind::BearingRange => vec![req(c_b, "bearing_rad")?, req(c_r, "range_m")?],
            // The CSV bearing is atan2(Δy, Δx) (counter-clockwise from +x, as Stone Soup's
            // CartesianToElevationBearingRange); RangeAzElRr's azimuth is atan2(Δx, Δy),
            // clockwise from +y: az = π/2 − bearing.
            MeasurementKind::RangeAzEl | MeasurementKind::RangeAzElRr => {
                let mut z = vec![
                    req(c_r, "range_m")?,
                    wrap_angle(FRAC_PI_2 - req(c_b, "bearing_rad")?),
                    req(c_e, "elevation_rad")?,
                ];
                if sensor.kind == MeasurementKind::RangeAzElRr {
                    z.push(req(c_rr, "range_rate_mps")?);
                }
                z
            }
            MeasurementKind::Cartesian => {
                vec![req(self.c_x, "x_m")?, req(self.c_y, "y_m")?, row.opt(self.c_z, "z_m")?.unwrap_or(0.0)]
            }
            // Azimuth as for range-az-el; an angle-only detection updates tracks but starts none.
            MeasurementKind::AngleOnly => {
                vec![wrap_angle(FRAC_PI_2 - req(c_b, "bearing_rad")?), req(c_e, "elevation_rad")?]
            }
        };
        Ok(Parsed { scan, t, sensor, z: Some(z) })
    }
}

/// Runs one scan and appends the confirmed tracks, extrapolated at constant velocity from
/// their last update to the scan time `t`.
fn process(tracker: &mut dyn MultiTargetTracker, t: f64, batch: &[Detection], out: &mut Out, three_d: bool) {
    let report = tracker.process_scan(t, batch);
    count_events(&report.events, out);
    out.scans.push(t);
    write_block(tracker.live_tracks(), t, out, three_d);
}

fn count_events(events: &[TrackEvent], out: &mut Out) {
    for e in events {
        match e {
            TrackEvent::Initiated { .. } => out.initiated += 1,
            TrackEvent::Confirmed { .. } => out.confirmed += 1,
            TrackEvent::Deleted { .. } => {}
        }
    }
}

/// Runs one sensor scan taken at `t` (its latest detection time) through the fusion front end.
/// A scan not older than the newest one writes the tracks at `t`; a late scan that updated a
/// track rewrites the newest block, so each block holds what was known before the next scan.
/// Blocks of equal time (two sensors at one instant) collapse into one, the last.
fn process_fusion(ft: &mut FusionTracker, t: f64, batch: &[Detection], out: &mut Out, three_d: bool) {
    let (before, applied) = (ft.now(), ft.stats().oosm_applied);
    let report = ft.process(t, batch);
    out.sensor_scans += 1;
    count_events(&report.events, out);
    let block_t = if t >= before {
        t
    } else if ft.stats().oosm_applied > applied {
        ft.now()
    } else {
        return;
    };
    match out.last_block {
        Some((lt, csv_len, points_len)) if lt == block_t => {
            out.csv.truncate(csv_len);
            out.points.truncate(points_len);
        }
        _ => out.scans.push(block_t),
    }
    out.last_block = Some((block_t, out.csv.len(), out.points.len()));
    write_block(ft.live_tracks(), block_t, out, three_d);
}

/// Appends the confirmed tracks at time `t`.
fn write_block<'a>(tracks: impl Iterator<Item = &'a Track>, t: f64, out: &mut Out, three_d: bool) {
    for track in tracks.filter(|tr| tr.status.is_confirmed()) {
        let dt = (t - track.last_update_t).max(0.0);
        let s = &track.state;
        let p = [s[0] + s[3] * dt, s[1] + s[4] * dt, s[2] + s[5] * dt];
        let v = [s[3], s[4], s[5]];
        let id = track.id.0;
        let _ = if three_d {
            writeln!(out.csv, "{t},{id},{},{},{},{},{},{}", p[0], p[1], p[2], v[0], v[1], v[2])
        } else {
            writeln!(out.csv, "{t},{id},{},{},{},{}", p[0], p[1], v[0], v[1])
        };
        let z = if three_d { 1.0 } else { 0.0 };
        out.points.push(TrackPoint {
            t_s: t,
            id,
            position: [p[0], p[1], p[2] * z],
            velocity: Some([v[0], v[1], v[2] * z]),
        });
    }
}

/// Truth rows sorted by time.
fn read_truth(input: impl Read, file: &Path, three_d: bool) -> Result<Vec<TrackPoint>> {
    let mut rdr = reader(input);
    let headers = rdr.byte_headers().map_err(|e| csv_error(file, e))?.clone();
    let cols = Columns::new(&headers, &["t_s", "truth_id", "x_m", "y_m", "z_m", "vx_mps", "vy_mps", "vz_mps"]);
    let (c_t, c_id) = (cols.require("t_s", file, "")?, cols.require("truth_id", file, "")?);
    let (c_x, c_y) = (cols.require("x_m", file, "")?, cols.require("y_m", file, "")?);
    let c_z = if three_d { Some(cols.require("z_m", file, " (the sensors are 3-D)")?) } else { None };
    let (c_vx, c_vy, c_vz) = (cols.get("vx_mps"), cols.get("vy_mps"), cols.get("vz_mps"));
    let mut rec = ByteRecord::new();
    let mut out = Vec::new();
    while rdr.read_byte_record(&mut rec).map_err(|e| csv_error(file, e))? {
        let row = Row { rec: &rec, file, line: rec.position().map_or(0, |p| p.line()) };
        let z = match c_z {
            Some(i) => row.num(i, "z_m")?,
            None => 0.0,
        };
        let velocity = match (row.opt(c_vx, "vx_mps")?, row.opt(c_vy, "vy_mps")?) {
            (Some(vx), Some(vy)) => {
                let vz = if three_d { row.opt(c_vz, "vz_mps")?.unwrap_or(0.0) } else { 0.0 };
                Some([vx, vy, vz])
            }
            _ => None,
        };
        out.push(TrackPoint {
            t_s: row.num(c_t, "t_s")?,
            id: row.int(c_id, "truth_id")?,
            position: [row.num(c_x, "x_m")?, row.num(c_y, "y_m")?, z],
            velocity,
        });
    }
    out.sort_by(|a, b| a.t_s.total_cmp(&b.t_s));
    Ok(out)
}

/// GOSPA and OSPA at every scan (mean over scans) and SIAP over the run: the text summary and
/// the JSON document.
fn score(a: &ScoreParams, out: &Out, truth: &[TrackPoint], three_d: bool) -> Result<Scores> {
    let (c, p, tol) = (a.gospa_c, a.gospa_p, a.time_tolerance);
    let mut warnings = Vec::new();
    if !(tol.is_finite() && tol >= 0.0) {
        return Err(bad(format!("--time-tolerance must be ≥ 0, got {tol}")));
    }
    let dim = if three_d { 3 } else { 2 };
    let mut sum = GospaParts::default();
    let mut ospa_sum = 0.0;
    let mut truth_at_scans: Vec<TrackPoint> = Vec::new();
    let mut k = 0; // first track point of the scan
    for &t in &out.scans {
        let lo = truth.partition_point(|x| x.t_s < t - tol);
        let hi = truth.partition_point(|x| x.t_s <= t + tol);
        let gt: Vec<&[f64]> = truth[lo..hi].iter().map(|x| &x.position[..dim]).collect();
        truth_at_scans.extend(truth[lo..hi].iter().map(|x| TrackPoint { t_s: t, ..*x }));
        let n = out.points[k..].iter().take_while(|x| x.t_s == t).count();
        let est: Vec<&[f64]> = out.points[k..k + n].iter().map(|x| &x.position[..dim]).collect();
        k += n;
        let (o, g) = ospa_gospa(&gt, &est, c, p).map_err(|e| bad(format!("GOSPA: {e}")))?;
        ospa_sum += o;
        sum.distance += g.distance;
        sum.localisation += g.localisation;
        sum.missed += g.missed;
        sum.false_tracks += g.false_tracks;
    }
    if truth_at_scans.is_empty() && !truth.is_empty() {
        warnings.push(format!("warning: no truth row lies within {tol} s of any scan time"));
    }
    let n = out.scans.len().max(1) as f64;
    let siap_m = siap(&out.points, &truth_at_scans, &SiapParams::new(a.siap_threshold))
        .map_err(|e| bad(format!("SIAP: {e}")))?;
    let mut text = String::new();
    let _ = writeln!(
        text,
        "GOSPA (c = {c} m, p = {p}, α = 2), mean over {} scans: {:.3} m; mean parts (m^p): localisation {:.3}, \
         missed {:.3}, false {:.3}",
        out.scans.len(),
        sum.distance / n,
        sum.localisation / n,
        sum.missed / n,
        sum.false_tracks / n
    );
    let _ = writeln!(text, "OSPA (c = {c} m, p = {p}), mean over scans: {:.3} m", ospa_sum / n);
    let (pa, va) = match siap_m.position_accuracy {
        None => ("n/a (no track was associated with a truth)".to_string(), "n/a".to_string()),
        Some(pa) => (
            format!("{pa:.3} m"),
            siap_m.velocity_accuracy.map_or("n/a (no truth velocity)".to_string(), |v| format!("{v:.3} m/s")),
        ),
    };
    let _ = writeln!(
        text,
        "SIAP (association {} m): completeness {:.4}, ambiguity {:.4}, spuriousness {:.4}, position accuracy \
         {pa}, velocity accuracy {va}, track number changes {:.5} /s, longest track segment {:.4}",
        a.siap_threshold,
        siap_m.completeness,
        siap_m.ambiguity,
        siap_m.spuriousness,
        siap_m.rate_of_track_number_change,
        siap_m.longest_track_segment
    );
    let json = serde_json::json!({
        "scans": out.scans.len(),
        "gospa": {
            "c_m": c, "p": p, "alpha": 2,
            "mean_distance_m": sum.distance / n,
            "mean_localisation": sum.localisation / n,
            "mean_missed": sum.missed / n,
            "mean_false": sum.false_tracks / n,
        },
        "ospa": { "c_m": c, "p": p, "mean_distance_m": ospa_sum / n },
        "siap": {
            "association_threshold_m": a.siap_threshold,
            "completeness": siap_m.completeness,
            "ambiguity": siap_m.ambiguity,
            "spuriousness": siap_m.spuriousness,
            "position_accuracy_m": siap_m.position_accuracy,
            "velocity_accuracy_mps": siap_m.velocity_accuracy,
            "rate_of_track_number_change_per_s": siap_m.rate_of_track_number_change,
            "longest_track_segment": siap_m.longest_track_segment,
        },
    });
    Ok(Scores { text, json, warnings })
}
