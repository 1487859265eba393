//! Python bindings of Bulwark: the private native module `bulwark._bulwark`, wrapped by the
//! typed package in `python/bulwark/`.
//!
//! A face only: it calls the engine, scenario, sensor and feed crates and hands their texts
//! (the CLI's exact file contents) to Python, which builds the DataFrames. Built as the
//! Python module only with the `python` feature (maturin turns it on).
#![cfg_attr(not(feature = "python"), forbid(unsafe_code))]

pub mod campaign;
pub mod values;

#[cfg(feature = "python")]
mod module;

use bulwark_engine::{EngineError, RunResult, Simulation};
use bulwark_scenario::{Catalog, Diagnostic, Scenario};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// Why a call failed, sorted the way Python raises it.
#[derive(Debug)]
pub enum Failure {
    /// A scenario, catalog or tracker TOML error with its place.
    Diagnostic(Diagnostic),
    /// Bad input at a place in a CSV file (with the next bad cells, if any).
    At(Diagnostic),
    /// Other bad input.
    Input(String),
    /// Writing outputs or an internal failure.
    Internal(String),
}

impl From<Diagnostic> for Failure {
    fn from(d: Diagnostic) -> Self {
        Failure::Diagnostic(d)
    }
}

impl From<EngineError> for Failure {
    fn from(e: EngineError) -> Self {
        match e {
            EngineError::Input(m) => Failure::Input(m),
            io @ EngineError::Io { .. } => Failure::Internal(io.to_string()),
        }
    }
}

/// The scenario from TOML `text` (named and anchored by `path`), the file at `path`, or the
/// embedded reference scenario.
pub fn load_scenario(text: Option<&str>, path: Option<&str>) -> Result<Scenario, Failure> {
    Ok(match (text, path) {
        (Some(t), p) => Scenario::from_str(t, p.unwrap_or("<scenario>"), &Catalog::embedded()?)?,
        (None, Some(p)) => Scenario::load(p, None)?,
        (None, None) => bulwark_engine::reference_scenario()?,
    })
}

/// The embedded reference scenario's TOML text.
pub fn reference_text() -> &'static str {
    bulwark_engine::REFERENCE_SCENARIO
}

/// A run's output files by name (`summary.json`, `tracks.csv`, …), their texts exactly as
/// `bulwark run` writes them: read back from the directory [`RunResult::write`] wrote, so every
/// file the engine writes (now or later, e.g. `exposure.csv`) is there without a list here.
pub type RunFiles = BTreeMap<String, String>;

/// Runs `scenario` with `seed` (default: the scenario's); writes its files into `out` if given,
/// as `bulwark run` does: locked before the run, and landing whole or not at all
/// ([`bulwark_engine::RunDir`]); otherwise into a private temporary directory, removed after.
pub fn run(scenario: &Scenario, seed: Option<u64>, out: Option<&Path>) -> Result<RunFiles, Failure> {
    // Refused before it starts, with the reason, as `bulwark run` refuses (its default limits).
    let costs = bulwark_engine::Costs::default();
    bulwark_engine::Budget::estimate(scenario, &bulwark_engine::SimOptions::default(), &costs)
        .check(&bulwark_engine::Limits::for_this_machine())
        .map_err(|m| Failure::Input(format!("{}: error: {m}", scenario.path.display())))?;
    let run_dir = out
        .map(|dir| bulwark_engine::RunDir::begin(dir).map_err(|e| Failure::Input(format!("out: {e}"))))
        .transpose()?;
    let mut sim = Simulation::new(scenario, seed.unwrap_or(scenario.seed))?;
    sim.run();
    let r: RunResult = sim.finish();
    match (run_dir, out) {
        (Some(run_dir), Some(dir)) => {
            r.write(run_dir.path())?;
            run_dir.commit().map_err(|e| Failure::Internal(e.to_string()))?;
            read_files(dir)
        }
        _ => {
            let tmp = TempDir::new()?;
            r.write(&tmp.0)?;
            read_files(&tmp.0)
        }
    }
}

/// Every regular file directly in `dir`, by name, as text.
pub fn read_files(dir: &Path) -> Result<RunFiles, Failure> {
    let internal = |p: &Path, e: std::io::Error| Failure::Internal(format!("{}: {e}", p.display()));
    let mut files = RunFiles::new();
    for entry in std::fs::read_dir(dir).map_err(|e| internal(dir, e))? {
        let entry = entry.map_err(|e| internal(dir, e))?;
        let path = entry.path();
        if !entry.file_type().map_err(|e| internal(&path, e))?.is_file() {
            continue;
        }
        if let Some(name) = path.file_name().and_then(|n| n.to_str()).filter(|n| !n.starts_with('.')) {
            let text = std::fs::read_to_string(&path).map_err(|e| internal(&path, e))?;
            files.insert(name.to_string(), text);
        }
    }
    Ok(files)
}

/// A fresh directory under the system's temporary directory, removed when dropped.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new() -> Result<TempDir, Failure> {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("bulwark-py-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).map_err(|e| Failure::Internal(format!("{}: {e}", dir.display())))?;
        Ok(TempDir(dir))
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
