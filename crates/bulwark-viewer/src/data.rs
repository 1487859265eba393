//! A run directory's outputs as the compact, columnar data the page reads: positions in the
//! scenario ENU frame at 10 m resolution, times at 0.1 s, both delta-coded; truth thinned where
//! a straight line between kept samples stays within [`TRUTH_TOLERANCE_M`]; tentative-only
//! tracks and radar plots left out (they are kept only as counts).
use crate::ViewerError;
use crate::scene::{LatLon, SCENE_FILE, Scene};
use serde_json::{Map, Value, json};
use std::collections::{BTreeMap, BTreeSet};
use std::io::BufRead;
use std::path::Path;

/// Largest distance (m) between a thinned-out truth sample and the line through the kept ones:
/// well under a pixel at any zoom the page offers.
pub const TRUTH_TOLERANCE_M: f64 = 25.0;
/// Position quantum (m) of the inlined data.
const POS_Q: f64 = 10.0;
/// Time quantum (s).
const TIME_Q: f64 = 0.1;

/// A CSV file read into rows of named columns.
struct Table {
    path: String,
    header: Vec<String>,
    rows: Vec<csv::StringRecord>,
}

impl Table {
    fn read(dir: &Path, name: &str) -> Result<Table, ViewerError> {
        let path = dir.join(name);
        let shown = path.display().to_string();
        let file = std::fs::File::open(&path).map_err(|e| ViewerError::io(&path, e))?;
        let mut r = csv::ReaderBuilder::new().has_headers(true).from_reader(std::io::BufReader::new(file));
        let header =
            r.headers().map_err(|e| ViewerError::format(&shown, e.to_string()))?.iter().map(str::to_string).collect();
        let mut rows = Vec::new();
        for rec in r.records() {
            rows.push(rec.map_err(|e| ViewerError::format(&shown, e.to_string()))?);
        }
        Ok(Table { path: shown, header, rows })
    }

    fn col(&self, name: &str) -> Result<usize, ViewerError> {
        self.header
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| ViewerError::format(&self.path, format!("no column `{name}`")))
    }

    fn num(&self, row: usize, col: usize) -> Result<f64, ViewerError> {
        let s = self.rows[row].get(col).unwrap_or("");
        s.parse::<f64>()
            .ok()
            .filter(|v| v.is_finite())
            .ok_or_else(|| ViewerError::format(&self.path, format!("line {}: `{s}` is not a number", row + 2)))
    }

    fn text(&self, row: usize, col: usize) -> &str {
        self.rows[row].get(col).unwrap_or("")
    }
}

fn q(v: f64, quantum: f64) -> i64 {
    (v / quantum).round() as i64
}

/// First value, then differences.
fn delta(values: impl IntoIterator<Item = i64>) -> Vec<i64> {
    let mut last = 0;
    values
        .into_iter()
        .map(|v| {
            let d = v - last;
            last = v;
            d
        })
        .collect()
}

/// One sample of a truth trail.
#[derive(Clone, Copy)]
struct Sample {
    t: f64,
    p: [f64; 3],
}

/// Indices of the samples to keep so that linear interpolation in time between kept samples
/// reproduces every dropped one within `tol` (m) — a time-parametrised Douglas–Peucker.
fn thin(s: &[Sample], tol: f64) -> Vec<usize> {
    if s.len() <= 2 {
        return (0..s.len()).collect();
    }
    let mut keep = vec![false; s.len()];
    keep[0] = true;
    keep[s.len() - 1] = true;
    let mut stack = vec![(0, s.len() - 1)];
    while let Some((a, b)) = stack.pop() {
        let (sa, sb) = (s[a], s[b]);
        let span = sb.t - sa.t;
        let mut worst = (0.0, a);
        for (i, si) in s.iter().enumerate().take(b).skip(a + 1) {
            let f = if span > 0.0 { (si.t - sa.t) / span } else { 0.0 };
            let err = (0..3).map(|k| (sa.p[k] + f * (sb.p[k] - sa.p[k]) - si.p[k]).powi(2)).sum::<f64>().sqrt();
            if err > worst.0 {
                worst = (err, i);
            }
        }
        if worst.0 > tol {
            keep[worst.1] = true;
            stack.push((a, worst.1));
            stack.push((worst.1, b));
        }
    }
    (0..s.len()).filter(|&i| keep[i]).collect()
}

/// The scenario origin: from the scene, else estimated from the truth sample nearest the origin.
fn origin(scene: Option<&Scene>, truth: &Table) -> Result<LatLon, ViewerError> {
    if let Some(s) = scene {
        return Ok(s.origin);
    }
    let (lat, lon, e, n) = (truth.col("lat_deg")?, truth.col("lon_deg")?, truth.col("east_m")?, truth.col("north_m")?);
    let mut best: Option<(f64, LatLon)> = None;
    for r in 0..truth.rows.len() {
        let (x, y) = (truth.num(r, e)?, truth.num(r, n)?);
        let d = x.hypot(y);
        if best.is_none_or(|b| d < b.0) {
            let (la, lo) = (truth.num(r, lat)?, truth.num(r, lon)?);
            const R: f64 = 6_371_000.0;
            let lat0 = la - (y / R).to_degrees();
            let lon0 = lo - (x / (R * lat0.to_radians().cos().max(1e-6))).to_degrees();
            best = Some((d, LatLon { lat_deg: lat0, lon_deg: lon0, alt_m: 0.0 }));
        }
    }
    Ok(best.map(|b| b.1).unwrap_or_default())
}

fn truth_objects(truth: &Table) -> Result<Vec<Value>, ViewerError> {
    let c = |n| truth.col(n);
    let (t, ent, name, class, role) = (c("t_s")?, c("entity")?, c("name")?, c("class")?, c("role")?);
    let (e, n, alt) = (c("east_m")?, c("north_m")?, c("alt_m")?);
    let mut by_entity: BTreeMap<i64, (usize, Vec<Sample>)> = BTreeMap::new();
    for r in 0..truth.rows.len() {
        let id = truth.num(r, ent)? as i64;
        let s = Sample { t: truth.num(r, t)?, p: [truth.num(r, e)?, truth.num(r, n)?, truth.num(r, alt)?] };
        by_entity.entry(id).or_insert_with(|| (r, Vec::new())).1.push(s);
    }
    let mut out = Vec::new();
    for (id, (first, samples)) in by_entity {
        let kept: Vec<Sample> = thin(&samples, TRUTH_TOLERANCE_M).into_iter().map(|i| samples[i]).collect();
        out.push(json!({
            "id": id,
            "name": truth.text(first, name),
            "cls": truth.text(first, class),
            "role": truth.text(first, role),
            "t": delta(kept.iter().map(|s| q(s.t, TIME_Q))),
            "x": delta(kept.iter().map(|s| q(s.p[0], POS_Q))),
            "y": delta(kept.iter().map(|s| q(s.p[1], POS_Q))),
            "z": delta(kept.iter().map(|s| q(s.p[2], POS_Q))),
        }));
    }
    Ok(out)
}

fn status_code(s: &str) -> char {
    match s {
        "tentative" => 't',
        "confirmed" => 'c',
        "coasting" => 'k',
        _ => '?',
    }
}

/// Identity letters of the page: hostile, suspect, unknown, neutral, friend, pending.
pub(crate) fn identity_code(s: &str) -> char {
    match s {
        "assumed_friend" => 'f',
        "hostile" => 'h',
        "suspect" => 's',
        "unknown" => 'u',
        "neutral" => 'n',
        "friend" => 'f',
        "pending" => 'p',
        _ => '?',
    }
}

/// Tracks that were confirmed at least once, keyed by (unit, track).
struct Tracks {
    keep: BTreeSet<(i64, i64)>,
    record_period_s: f64,
    objects: Vec<Value>,
    tentative_only: usize,
}

fn tracks(tracks: &Table) -> Result<Tracks, ViewerError> {
    let c = |n| tracks.col(n);
    let (t, unit, id, status, ident) = (c("t_s")?, c("unit")?, c("track_id")?, c("status")?, c("identity")?);
    let (e, n, alt, ve, vn, sigma, truth) = (
        c("east_m")?,
        c("north_m")?,
        c("alt_m")?,
        c("vel_east_mps")?,
        c("vel_north_mps")?,
        c("sigma_pos_m")?,
        c("truth_entity")?,
    );
    let mut rows: BTreeMap<(i64, i64), Vec<usize>> = BTreeMap::new();
    let mut times = BTreeSet::new();
    for r in 0..tracks.rows.len() {
        let key = (tracks.num(r, unit)? as i64, tracks.num(r, id)? as i64);
        rows.entry(key).or_default().push(r);
        times.insert(q(tracks.num(r, t)?, TIME_Q));
    }
    let period = times.iter().zip(times.iter().skip(1)).map(|(a, b)| b - a).min().unwrap_or(10);
    let mut out = Tracks {
        keep: BTreeSet::new(),
        record_period_s: period as f64 * TIME_Q,
        objects: Vec::new(),
        tentative_only: 0,
    };
    for (key, rs) in rows {
        if rs.iter().all(|&r| tracks.text(r, status) == "tentative") {
            out.tentative_only += 1;
            continue;
        }
        out.keep.insert(key);
        let mut truth_count: BTreeMap<&str, usize> = BTreeMap::new();
        for &r in &rs {
            let tr = tracks.text(r, truth);
            if !tr.is_empty() {
                *truth_count.entry(tr).or_default() += 1;
            }
        }
        let dominant = truth_count.iter().max_by_key(|(_, n)| **n).and_then(|(k, _)| k.parse::<i64>().ok());
        let nums = |col: usize, quantum: f64| -> Result<Vec<i64>, ViewerError> {
            Ok(delta(rs.iter().map(|&r| tracks.num(r, col).map(|v| q(v, quantum))).collect::<Result<Vec<_>, _>>()?))
        };
        out.objects.push(json!({
            "unit": key.0,
            "id": key.1,
            "truth": dominant,
            "t": nums(t, TIME_Q)?,
            "x": nums(e, POS_Q)?,
            "y": nums(n, POS_Q)?,
            "z": nums(alt, POS_Q)?,
            "ve": nums(ve, 1.0)?,
            "vn": nums(vn, 1.0)?,
            "sg": nums(sigma, 1.0)?,
            "st": rs.iter().map(|&r| status_code(tracks.text(r, status))).collect::<String>(),
            "ident": rs.iter().map(|&r| identity_code(tracks.text(r, ident))).collect::<String>(),
        }));
    }
    Ok(out)
}

/// Threat-evaluation rows of the kept tracks: `[t, rank, class, confidence, score, asset,
/// time_to_go_s (or null), reasons]`, strings as indices into `strings`.
fn threats(
    dir: &Path,
    keep: &BTreeSet<(i64, i64)>,
    strings: &mut Strings,
) -> Result<BTreeMap<String, Vec<Value>>, ViewerError> {
    let mut out: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    if !dir.join("threats.csv").exists() {
        return Ok(out);
    }
    let tab = Table::read(dir, "threats.csv")?;
    let c = |n| tab.col(n);
    let (t, unit, rank, track, class, conf, score, asset, ttg, reasons) = (
        c("t_s")?,
        c("unit")?,
        c("rank")?,
        c("track")?,
        c("class")?,
        c("confidence")?,
        c("score")?,
        c("asset")?,
        c("time_to_go_s")?,
        c("reasons")?,
    );
    for r in 0..tab.rows.len() {
        let key = (tab.num(r, unit)? as i64, tab.num(r, track)? as i64);
        if !keep.contains(&key) {
            continue;
        }
        let ttg_v = tab.text(r, ttg).parse::<f64>().ok().filter(|v| v.is_finite()).map(|v| v.round());
        out.entry(format!("{}:{}", key.0, key.1)).or_default().push(json!([
            tab.num(r, t)?,
            tab.num(r, rank)? as i64,
            strings.index(tab.text(r, class)),
            (tab.num(r, conf)? * 1000.0).round() / 1000.0,
            (tab.num(r, score)? * 1e4).round() / 1e4,
            strings.index(tab.text(r, asset)),
            ttg_v,
            strings.index(tab.text(r, reasons)),
        ]));
    }
    Ok(out)
}

/// A table of distinct strings.
#[derive(Default)]
struct Strings {
    list: Vec<String>,
    index: BTreeMap<String, usize>,
}

impl Strings {
    fn index(&mut self, s: &str) -> usize {
        if let Some(&i) = self.index.get(s) {
            return i;
        }
        self.list.push(s.to_string());
        self.index.insert(s.to_string(), self.list.len() - 1);
        self.list.len() - 1
    }
}

/// The event log less radar plots and the births and deaths of tracks never confirmed; time in s.
fn events(dir: &Path, keep_tracks: &BTreeSet<i64>) -> Result<(Vec<Value>, usize, Option<Value>), ViewerError> {
    let path = dir.join("events.jsonl");
    let shown = path.display().to_string();
    let file = std::fs::File::open(&path).map_err(|e| ViewerError::io(&path, e))?;
    let mut out = Vec::new();
    let mut plots = 0;
    let mut started = None;
    for (i, line) in std::io::BufReader::new(file).lines().enumerate() {
        let line = line.map_err(|e| ViewerError::io(&path, e))?;
        if line.trim().is_empty() {
            continue;
        }
        if line.contains("\"event\":\"detection\"") {
            plots += 1;
            continue;
        }
        let v: Value =
            serde_json::from_str(&line).map_err(|e| ViewerError::format(&shown, format!("line {}: {e}", i + 1)))?;
        let Value::Object(mut o) = v else {
            return Err(ViewerError::format(&shown, format!("line {}: not a JSON object", i + 1)));
        };
        let kind = o.get("event").and_then(Value::as_str).unwrap_or("").to_string();
        if matches!(kind.as_str(), "track_initiated" | "track_deleted") {
            let track = o.get("track").and_then(Value::as_i64).unwrap_or(-1);
            if !keep_tracks.contains(&track) {
                continue;
            }
        }
        let t_ns = o.remove("t_ns").and_then(|t| t.as_i64()).unwrap_or(0);
        let mut e = Map::new();
        e.insert("t".into(), json!((t_ns / 1_000_000) as f64 / 1000.0));
        e.extend(o);
        if kind == "run_started" {
            started = Some(Value::Object(e.clone()));
        }
        out.push(Value::Object(e));
    }
    Ok((out, plots, started))
}

/// Everything the page shows of the run in `dir`, as one JSON value.
pub fn run_data(dir: &Path) -> Result<Value, ViewerError> {
    for f in ["summary.json", "events.jsonl", "truth.csv", "tracks.csv"] {
        if !dir.join(f).is_file() {
            return Err(ViewerError::Missing(dir.join(f).display().to_string()));
        }
    }
    let read_json = |name: &str| -> Result<Value, ViewerError> {
        let path = dir.join(name);
        let text = std::fs::read_to_string(&path).map_err(|e| ViewerError::io(&path, e))?;
        serde_json::from_str(&text).map_err(|e| ViewerError::format(&path.display().to_string(), e.to_string()))
    };
    let summary = read_json("summary.json")?;
    let scene: Option<Scene> = if dir.join(SCENE_FILE).is_file() {
        Some(
            serde_json::from_value(read_json(SCENE_FILE)?)
                .map_err(|e| ViewerError::format(&dir.join(SCENE_FILE).display().to_string(), e.to_string()))?,
        )
    } else {
        None
    };
    let truth = Table::read(dir, "truth.csv")?;
    let origin = origin(scene.as_ref(), &truth)?;
    let objects = truth_objects(&truth)?;
    let trk = tracks(&Table::read(dir, "tracks.csv")?)?;
    let mut strings = Strings::default();
    let threat_rows = threats(dir, &trk.keep, &mut strings)?;
    let keep_ids: BTreeSet<i64> = trk.keep.iter().map(|k| k.1).collect();
    let (events, plots, started) = events(dir, &keep_ids)?;
    Ok(json!({
        "format": 1,
        "meta": {
            "scenario": summary.get("scenario").cloned().unwrap_or(Value::Null),
            "seed": summary.get("seed").cloned().unwrap_or(Value::Null),
            "duration_s": summary.get("duration_s").cloned().unwrap_or(Value::Null),
            "epoch_utc": started.as_ref().and_then(|s| s.get("epoch_utc").cloned()).unwrap_or(Value::Null),
            "origin": origin,
            "record_period_s": trk.record_period_s,
            "pos_quantum_m": POS_Q,
            "time_quantum_s": TIME_Q,
            "truth_tolerance_m": TRUTH_TOLERANCE_M,
            "plots": plots,
            "tentative_only_tracks": trk.tentative_only,
        },
        "scene": scene,
        "summary": summary,
        "truth": objects,
        "tracks": trk.objects,
        "threats": threat_rows,
        "strings": strings.list,
        "events": events,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delta_codes_first_then_differences() {
        assert_eq!(delta([5, 7, 7, 4]), vec![5, 2, 0, -3]);
    }

    #[test]
    fn thinning_keeps_ends_and_corners_only() {
        let line: Vec<Sample> = (0..10).map(|i| Sample { t: i as f64, p: [i as f64 * 100.0, 0.0, 0.0] }).collect();
        assert_eq!(thin(&line, 1.0), vec![0, 9]);
        let mut corner = line.clone();
        for s in corner.iter_mut().skip(5) {
            s.p[1] = (s.t - 4.0) * 100.0;
        }
        let kept = thin(&corner, 1.0);
        assert!(kept.contains(&4) && kept.contains(&0) && kept.contains(&9), "{kept:?}");
    }
}
