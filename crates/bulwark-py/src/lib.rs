//! Python bindings of Bulwark: the private native module `bulwark._bulwark`, wrapped by the
//! typed package in `python/bulwark/`.
//!
//! A face only: it calls the engine, scenario, sensor and feed crates and hands their texts
//! (the CLI's exact file contents) to Python, which builds the DataFrames. Built as the
//! Python module only with the `python` feature (maturin turns it on).
#![cfg_attr(not(feature = "python"), forbid(unsafe_code))]

pub mod values;

#[cfg(feature = "python")]
mod module;

use bulwark_engine::{EngineError, RunResult, Simulation};
use bulwark_scenario::{Catalog, Diagnostic, Scenario};
use std::path::Path;

/// Why a call failed, sorted the way Python raises it.
#[derive(Debug)]
pub enum Failure {
    /// A scenario, catalog or tracker TOML error with its place.
    Diagnostic(Diagnostic),
    /// Bad input at a place in a CSV file.
    At { file: String, line: u64, column: usize, message: String },
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

/// The texts of a run's output files, exactly as `bulwark run` writes them.
pub struct RunTexts {
    pub summary_json: String,
    pub events_jsonl: String,
    pub truth_csv: String,
    pub tracks_csv: String,
    pub timeline_csv: String,
    pub threats_csv: String,
}

/// Runs `scenario` with `seed` (default: the scenario's); writes the six files into `out` if
/// given, as `bulwark run` does: locked before the run, and landing whole or not at all
/// ([`bulwark_engine::RunDir`]).
pub fn run(scenario: &Scenario, seed: Option<u64>, out: Option<&Path>) -> Result<RunTexts, Failure> {
    let run_dir = out
        .map(|dir| bulwark_engine::RunDir::begin(dir).map_err(|e| Failure::Input(format!("out: {e}"))))
        .transpose()?;
    let mut sim = Simulation::new(scenario, seed.unwrap_or(scenario.seed))?;
    sim.run();
    let r: RunResult = sim.finish();
    if let Some(run_dir) = run_dir {
        r.write(run_dir.path())?;
        run_dir.commit().map_err(|e| Failure::Internal(e.to_string()))?;
    }
    let summary_json = serde_json::to_string_pretty(&r.summary).map_err(|e| Failure::Internal(e.to_string()))? + "\n";
    Ok(RunTexts {
        summary_json,
        events_jsonl: r.events_jsonl(),
        truth_csv: r.truth_csv,
        tracks_csv: r.tracks_csv,
        timeline_csv: r.timeline_csv,
        threats_csv: r.threats_csv,
    })
}
