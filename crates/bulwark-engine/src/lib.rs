//! Bulwark engine: the world, the deterministic time loop, the wiring of all stages,
//! the event log and the output files.
//!
//! One run is a pure function of (scenario, catalog, seed). Truth (the [`world`]) is read
//! only by motion, sensors, seekers, the adjudicator and metrics; the command post and
//! the interceptors' mid-course guidance see tracks only.
//!
//! ```no_run
//! use bulwark_engine::{SimOptions, Simulation, reference_scenario};
//! let scenario = reference_scenario().expect("embedded scenario");
//! // Everything recorded: the six files of `bulwark run`.
//! let mut sim = Simulation::new(&scenario, 1).expect("sets up");
//! sim.run();
//! let full = sim.finish();
//! // Summary only (campaigns): no per-plot or tentative-track events, no truth, track or
//! // threat rows; the same summary and timeline to the byte, in a fraction of the time.
//! let mut sim = Simulation::with_options(&scenario, 1, SimOptions::summary_only()).expect("sets up");
//! sim.run();
//! let reduced = sim.finish();
//! assert_eq!(full.timeline_csv, reduced.timeline_csv);
//! ```
//!
//! Speed: the fly-out tables of the interceptor types (hundreds of simulated flights each)
//! are computed once per process for each distinct type and shared by every run, unit and
//! system that carries it ([`shared_flyout_table`]); results do not depend on whether a
//! table was shared. `benches/engine.rs` measures the whole engine.
#![forbid(unsafe_code)]

pub mod budget;
mod event_json;
pub mod exposure_log;
pub mod fastfmt;
mod flyout_cache;
pub mod fratricide;
pub mod history;
mod output;
mod result;
pub mod run_dir;
pub mod sensors_csv;
mod setup;
mod sim;
mod stage;
mod state;
mod stream;
mod summary;
mod timeline;
mod world;

pub use budget::{Budget, Costs, Limits};
pub use history::{SensorInfo, TrackSample, TrackState};
pub use output::{partial_path, write_atomic};
pub use result::RunResult;
pub use run_dir::{RunDir, RunDirError};
pub use setup::{
    FLYOUT_LAUNCH_MIN_ELEVATION_RAD, InterceptorType, Signature, flyout_point, flyout_table, flyout_time,
    interceptor_types, radar_params, shared_flyout_table, signatures,
};
pub use sim::{RunTap, SimOptions, Simulation};
pub use summary::{Expenditure, LauncherSummary, ReloadSummary, Summary, ThreatSummary};
pub use timeline::{LeakPoint, Outcome, ThreatTimeline};

use bulwark_scenario::{Catalog, Diagnostic, Scenario};
use std::path::PathBuf;

/// The embedded reference scenario (`scenarios/reference.toml`).
pub const REFERENCE_SCENARIO: &str = include_str!("../../../scenarios/reference.toml");

/// The reference scenario, validated against the embedded catalog.
pub fn reference_scenario() -> Result<Scenario, Diagnostic> {
    let catalog = Catalog::embedded()?;
    Scenario::from_str(REFERENCE_SCENARIO, "scenarios/reference.toml (embedded)", &catalog)
}

/// Errors of a run.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    /// The scenario or catalog cannot be simulated as given (bad input, exit status 2).
    #[error("{0}")]
    Input(String),
    /// Writing outputs failed.
    #[error("writing {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
}

/// Options of `bulwark run`.
#[derive(Clone, Debug)]
pub struct RunOptions {
    /// Overrides the scenario's seed.
    pub seed: Option<u64>,
    pub out_dir: PathBuf,
    /// Keep every event and track sample in the [`RunResult`] (for a feed built after the
    /// run) instead of streaming the row outputs into `out_dir` as the run goes.
    pub in_memory: bool,
    /// What the run records ([`SimOptions::default`]: everything).
    pub record: SimOptions,
}

/// Run a scenario to completion and write its output files into `opts.out_dir` (created if
/// needed): the row outputs streamed as the run goes unless `opts.in_memory`, then the
/// timeline, the fratricide table and `summary.json`.
pub fn run_scenario(scenario: &Scenario, opts: &RunOptions) -> Result<RunResult, EngineError> {
    run_scenario_tapped(scenario, opts, None)
}

/// [`run_scenario`], handing `tap` the events and track samples as the run goes (an ASTERIX
/// feed sent while the run runs).
pub fn run_scenario_tapped(
    scenario: &Scenario,
    opts: &RunOptions,
    tap: Option<&mut dyn RunTap>,
) -> Result<RunResult, EngineError> {
    let seed = opts.seed.unwrap_or(scenario.seed);
    let mut sim = Simulation::with_options(scenario, seed, opts.record)?;
    if let Some(tap) = tap {
        sim.tap(tap)?;
    }
    if !opts.in_memory {
        let dir = &opts.out_dir;
        std::fs::create_dir_all(dir).map_err(|e| EngineError::Io { path: dir.clone(), source: e })?;
        sim.stream_to(dir)?;
    }
    sim.run();
    let result = sim.finish();
    result.write(&opts.out_dir)?;
    Ok(result)
}
