//! The `bulwark._bulwark` extension module. Every function releases the GIL while Rust works
//! and catches panics, so none crosses into Python: failures raise `BulwarkError` or its
//! subclasses `InputError` (bad input; `file`, `line`, `column` where known) and
//! `ScenarioError` (a scenario, catalog or tracker TOML diagnostic).
use crate::Failure;
use crate::campaign::CampaignRequest;
use bulwark_campaign::Shard;
use bulwark_engine::radar_params;
use bulwark_feed::{DetectionTracker, DetectionsError, ScoreParams};
use bulwark_scenario::{Catalog, EntryKind, Quantity, units};
use bulwark_sensors::{Detector, SwerlingCase, SwerlingDetector, detection_range_m};
use pyo3::create_exception;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;
use pyo3::types::PyDict;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

create_exception!(
    _bulwark,
    BulwarkError,
    PyException,
    "A Bulwark call failed (an internal failure when not a subclass)."
);
create_exception!(
    _bulwark,
    InputError,
    BulwarkError,
    "Bad input; `file`, `line`, `column` give its place where known."
);
create_exception!(
    _bulwark,
    ScenarioError,
    InputError,
    "A scenario, catalog or tracker TOML error at `file:line:column`."
);

fn located(
    py: Python<'_>,
    err: PyErr,
    file: Option<String>,
    line: Option<u64>,
    column: Option<u64>,
    reason: &str,
) -> PyErr {
    let v = err.value(py);
    let set = |k: &str, val: Py<PyAny>| {
        let _ = v.setattr(k, val);
    };
    set("file", file.into_pyobject(py).map_or_else(|_| py.None(), |o| o.into_any().unbind()));
    set("line", line.into_pyobject(py).map_or_else(|_| py.None(), |o| o.into_any().unbind()));
    set("column", column.into_pyobject(py).map_or_else(|_| py.None(), |o| o.into_any().unbind()));
    set("reason", reason.into_pyobject(py).map_or_else(|_| py.None(), |o| o.into_any().unbind()));
    err
}

fn to_py(py: Python<'_>, f: Failure) -> PyErr {
    match f {
        Failure::Diagnostic(d) => {
            let file = Some(d.file.display().to_string());
            let (line, col) = if d.line == 0 { (None, None) } else { (Some(d.line as u64), Some(d.column as u64)) };
            located(py, ScenarioError::new_err(d.to_string()), file, line, col, &d.message)
        }
        Failure::At(d) => {
            let file = Some(d.file.display().to_string());
            located(
                py,
                InputError::new_err(d.to_string()),
                file,
                Some(d.line as u64),
                Some(d.column as u64),
                &d.message,
            )
        }
        Failure::Input(m) => located(py, InputError::new_err(m.clone()), None, None, None, &m),
        Failure::Internal(m) => BulwarkError::new_err(m),
    }
}

fn panic_message(p: &(dyn std::any::Any + Send)) -> &str {
    p.downcast_ref::<&str>().copied().or_else(|| p.downcast_ref::<String>().map(String::as_str)).unwrap_or("panic")
}

/// Runs `f` without the GIL; a panic becomes a `BulwarkError`.
fn guarded<T: Send>(py: Python<'_>, f: impl FnOnce() -> Result<T, Failure> + Send) -> PyResult<T> {
    match py.detach(|| std::panic::catch_unwind(std::panic::AssertUnwindSafe(f))) {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(e)) => Err(to_py(py, e)),
        Err(p) => Err(BulwarkError::new_err(format!("internal error: {}", panic_message(&*p)))),
    }
}

fn input(msg: impl Into<String>) -> Failure {
    Failure::Input(msg.into())
}

/// Runs a scenario: TOML `text` (named by `path`), the file at `path`, or the reference
/// scenario. Returns the output files' texts by name (every file `bulwark run` writes).
#[pyfunction]
#[pyo3(signature = (text=None, path=None, seed=None, out=None))]
fn run<'py>(
    py: Python<'py>,
    text: Option<String>,
    path: Option<String>,
    seed: Option<u64>,
    out: Option<String>,
) -> PyResult<Bound<'py, PyDict>> {
    let r = guarded(py, || {
        let s = crate::load_scenario(text.as_deref(), path.as_deref())?;
        crate::run(&s, seed, out.as_deref().map(Path::new))
    })?;
    let d = PyDict::new(py);
    for (name, text) in r {
        d.set_item(name, text)?;
    }
    Ok(d)
}

/// Validates a scenario (as `run` takes it); returns its name and seed.
#[pyfunction]
#[pyo3(signature = (text=None, path=None))]
fn validate(py: Python<'_>, text: Option<String>, path: Option<String>) -> PyResult<(String, u64)> {
    guarded(py, || {
        let s = crate::load_scenario(text.as_deref(), path.as_deref())?;
        Ok((s.name.clone(), s.seed))
    })
}

/// The embedded reference scenario's TOML text.
#[pyfunction]
fn reference_text() -> &'static str {
    crate::reference_text()
}

fn to_toml(v: &serde_json::Value) -> Result<toml::Value, String> {
    use serde_json::Value as J;
    Ok(match v {
        J::Bool(b) => toml::Value::Boolean(*b),
        J::Number(n) => match n.as_i64() {
            Some(i) => toml::Value::Integer(i),
            None => toml::Value::Float(n.as_f64().ok_or("number out of range")?),
        },
        J::String(s) => toml::Value::String(s.clone()),
        J::Array(a) => toml::Value::Array(a.iter().map(to_toml).collect::<Result<_, _>>()?),
        J::Null | J::Object(_) => return Err(format!("unsupported value {v}")),
    })
}

/// Writes `values_json` (a JSON object of path → value) into scenario TOML `text`.
#[pyfunction]
fn with_values(py: Python<'_>, text: String, values_json: String) -> PyResult<String> {
    guarded(py, || {
        let map: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(&values_json).map_err(|e| input(format!("values: {e}")))?;
        let values = map
            .iter()
            .map(|(k, v)| to_toml(v).map(|t| (k.clone(), t)).map_err(|e| input(format!("`{k}`: {e}"))))
            .collect::<Result<Vec<_>, _>>()?;
        crate::values::with_values(&text, &values).map_err(|e| input(format!("error: {e}")))
    })
}

fn catalog(dir: Option<&str>) -> Result<Catalog, Failure> {
    Ok(match dir {
        Some(d) => Catalog::load_dir(d)?,
        None => Catalog::embedded()?,
    })
}

/// Catalog entries as (kind, id, name), in `bulwark catalog` order.
#[pyfunction]
#[pyo3(signature = (dir=None))]
fn catalog_list(py: Python<'_>, dir: Option<String>) -> PyResult<Vec<(String, String, String)>> {
    guarded(py, || {
        let c = catalog(dir.as_deref())?;
        Ok(c.list().into_iter().map(|(k, id, name)| (k.as_str().to_string(), id, name)).collect())
    })
}

/// One entry, every value with its source (`bulwark catalog show ID`).
#[pyfunction]
#[pyo3(signature = (id, dir=None))]
fn catalog_describe(py: Python<'_>, id: String, dir: Option<String>) -> PyResult<String> {
    guarded(py, || {
        let c = catalog(dir.as_deref())?;
        c.describe(&id).ok_or_else(|| {
            let ids: Vec<String> = c.list().into_iter().map(|(_, id, _)| id).collect();
            input(format!("error: no catalog entry `{id}`; entries: {}", ids.join(", ")))
        })
    })
}

fn detector(swerling: &str, pfa: f64, pulses: u32) -> Result<SwerlingDetector, Failure> {
    if !(pfa > 0.0 && pfa < 1.0) {
        return Err(input(format!("error: pfa {pfa}: expected 0 < Pfa < 1")));
    }
    let case = SwerlingCase::parse(swerling)
        .ok_or_else(|| input(format!("error: swerling `{swerling}`: expected 0, 1, 2, 3 or 4")))?;
    SwerlingDetector::new(case, pulses).map_err(|e| input(format!("error: pulses: {e}")))
}

/// Probability of detection for single-pulse `snr_db`, `pulses` integrated non-coherently.
#[pyfunction]
fn radar_pd(py: Python<'_>, swerling: String, snr_db: f64, pfa: f64, pulses: u32) -> PyResult<f64> {
    guarded(py, || {
        let d = detector(&swerling, pfa, pulses)?;
        if !snr_db.is_finite() {
            return Err(input(format!("error: snr_db {snr_db}: expected a finite number")));
        }
        Ok(d.pd(10f64.powf(snr_db / 10.0), pfa))
    })
}

/// Single-pulse SNR (dB) needed for `pd`.
#[pyfunction]
fn radar_snr(py: Python<'_>, swerling: String, pd: f64, pfa: f64, pulses: u32) -> PyResult<f64> {
    guarded(py, || {
        let d = detector(&swerling, pfa, pulses)?;
        if !(pd > pfa && pd < 1.0) {
            return Err(input(format!("error: pd {pd}: expected Pfa < Pd < 1")));
        }
        Ok(10.0 * d.required_snr(pd, pfa).log10())
    })
}

type RangeRows = (f64, Vec<(f64, f64, bool)>);

/// Free-space detection range of catalog radar `radar` for each RCS (unit strings); returns the
/// Pfa used and (rcs_m2, range_m, within the instrumented range) per RCS.
#[pyfunction]
#[pyo3(signature = (radar, rcs, pd=0.9, pfa=None))]
fn radar_range(py: Python<'_>, radar: String, rcs: Vec<String>, pd: f64, pfa: Option<f64>) -> PyResult<RangeRows> {
    guarded(py, || {
        let c = Catalog::embedded()?;
        let r = c.radar(&radar).ok_or_else(|| {
            input(format!("error: no catalog radar `{radar}`; radars: {}", c.ids(EntryKind::Radar).join(", ")))
        })?;
        let params = radar_params(r, 0.0).map_err(|e| input(format!("error: radar {radar}: {e}")))?;
        let pfa = pfa.unwrap_or(params.pfa);
        if !(pfa > 0.0 && pfa < 1.0) {
            return Err(input(format!("error: pfa {pfa}: expected 0 < Pfa < 1")));
        }
        if !(pd > pfa && pd < 1.0) {
            return Err(input(format!("error: pd {pd}: expected Pfa < Pd < 1")));
        }
        let mut rows = Vec::with_capacity(rcs.len());
        for t in &rcs {
            let s = units::parse(Quantity::Area, t.trim()).map_err(|e| input(format!("error: rcs `{t}`: {e}")))?;
            let range = detection_range_m(&params, s, pd, pfa).map_err(|e| input(format!("error: {e}")))?;
            rows.push((s, range, range <= params.instrumented_range_m));
        }
        Ok((pfa, rows))
    })
}

fn detections_failure(e: DetectionsError) -> Failure {
    match e {
        DetectionsError::At(d) => Failure::At(d),
        DetectionsError::Config(d) => Failure::Diagnostic(d),
        DetectionsError::Other(m) => Failure::Input(format!("error: {m}")),
    }
}

/// `bulwark track --detections … --config … [--truth …]` on texts: returns the tracks CSV, the
/// counts, the fusion counts and, given truth, the metrics (JSON texts).
#[pyfunction]
#[pyo3(signature = (config, config_name, detections, detections_name, truth=None, truth_name=None,
                    gospa_c=1000.0, gospa_p=2.0, siap_threshold=250.0, time_tolerance=1e-6))]
#[allow(clippy::too_many_arguments)]
fn track<'py>(
    py: Python<'py>,
    config: String,
    config_name: String,
    detections: String,
    detections_name: String,
    truth: Option<String>,
    truth_name: Option<String>,
    gospa_c: f64,
    gospa_p: f64,
    siap_threshold: f64,
    time_tolerance: f64,
) -> PyResult<Bound<'py, PyDict>> {
    let (out, scores, warnings) = guarded(py, || {
        let tracker = DetectionTracker::from_toml(&config, Path::new(&config_name)).map_err(detections_failure)?;
        let mut warnings = tracker.warnings.clone();
        let out = tracker.track(detections.as_bytes(), Path::new(&detections_name)).map_err(detections_failure)?;
        let scores = match &truth {
            Some(t) => {
                let p = ScoreParams { gospa_c, gospa_p, siap_threshold, time_tolerance };
                let name = truth_name.as_deref().unwrap_or("<truth>");
                let s = out.score(t.as_bytes(), Path::new(name), &p).map_err(detections_failure)?;
                warnings.extend(s.warnings.iter().cloned());
                Some((s.text, s.json.to_string()))
            }
            None => None,
        };
        Ok((out, scores, warnings))
    })?;
    let d = PyDict::new(py);
    d.set_item("tracks_csv", out.csv.as_str())?;
    d.set_item("rows", out.rows)?;
    d.set_item("scans", out.scans)?;
    d.set_item("detections", out.detections)?;
    d.set_item("initiated", out.initiated)?;
    d.set_item("confirmed", out.confirmed)?;
    d.set_item("fusion_json", out.fusion.as_ref().map(|f| f.to_string()))?;
    d.set_item("metrics_text", scores.as_ref().map(|s| s.0.as_str()))?;
    d.set_item("metrics_json", scores.as_ref().map(|s| s.1.as_str()))?;
    d.set_item("warnings", warnings)?;
    Ok(d)
}

/// `bulwark campaign FILE --out OUT [--jobs J] [--shard K/N] [--resume] [--keep-runs]`; returns
/// (runs of this shard now in OUT, runs in the shard, runs made now, errors, complete). The
/// campaign runs on its own thread while this one checks for Ctrl-C every 50 ms: then no new
/// run starts, those in flight finish and are kept (OUT is resumable), and KeyboardInterrupt
/// is raised, as `bulwark campaign` does on Ctrl-C.
#[pyfunction]
#[pyo3(signature = (path, out, jobs=None, shard_index=0, shard_count=1, resume=false, keep_runs=false))]
#[allow(clippy::too_many_arguments)]
fn campaign(
    py: Python<'_>,
    path: String,
    out: String,
    jobs: Option<usize>,
    shard_index: usize,
    shard_count: usize,
    resume: bool,
    keep_runs: bool,
) -> PyResult<(usize, usize, usize, usize, bool)> {
    let stop = AtomicBool::new(false);
    let mut interrupt: Option<PyErr> = None;
    let done = guarded(py, || {
        let shard = Shard { index: shard_index, count: shard_count };
        let req = CampaignRequest { jobs, shard, resume, keep_runs };
        std::thread::scope(|s| {
            let worker = s.spawn(|| crate::campaign::campaign(Path::new(&path), Path::new(&out), req, &stop));
            while !worker.is_finished() {
                std::thread::sleep(std::time::Duration::from_millis(50));
                if interrupt.is_none()
                    && let Err(e) = Python::attach(|py| py.check_signals())
                {
                    stop.store(true, Ordering::SeqCst);
                    interrupt = Some(e);
                }
            }
            worker.join().unwrap_or_else(|p| std::panic::resume_unwind(p))
        })
    })?;
    match interrupt {
        Some(e) => Err(e),
        None => Ok((done.done, done.total, done.ran, done.errors, done.complete)),
    }
}

/// `bulwark campaign merge DIRS... --out OUT`; returns the number of runs merged.
#[pyfunction]
fn merge(py: Python<'_>, dirs: Vec<String>, out: String) -> PyResult<usize> {
    guarded(py, || {
        let dirs: Vec<PathBuf> = dirs.into_iter().map(PathBuf::from).collect();
        crate::campaign::merge(&dirs, Path::new(&out))
    })
}

#[pymodule]
fn _bulwark(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("BulwarkError", py.get_type::<BulwarkError>())?;
    m.add("InputError", py.get_type::<InputError>())?;
    m.add("ScenarioError", py.get_type::<ScenarioError>())?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_function(wrap_pyfunction!(run, m)?)?;
    m.add_function(wrap_pyfunction!(validate, m)?)?;
    m.add_function(wrap_pyfunction!(reference_text, m)?)?;
    m.add_function(wrap_pyfunction!(with_values, m)?)?;
    m.add_function(wrap_pyfunction!(catalog_list, m)?)?;
    m.add_function(wrap_pyfunction!(catalog_describe, m)?)?;
    m.add_function(wrap_pyfunction!(radar_pd, m)?)?;
    m.add_function(wrap_pyfunction!(radar_snr, m)?)?;
    m.add_function(wrap_pyfunction!(radar_range, m)?)?;
    m.add_function(wrap_pyfunction!(track, m)?)?;
    m.add_function(wrap_pyfunction!(campaign, m)?)?;
    m.add_function(wrap_pyfunction!(merge, m)?)?;
    Ok(())
}
