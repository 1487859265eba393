//! A unit's tracker chosen in the scenario (`[[defence]] tracker = "trackers/imm.toml"`): the
//! same tracker TOML `bulwark track` reads (`bulwark_tracking::config`), read and checked at
//! load so that its mistakes are errors at their file:line:col, not at run time.
use crate::diag::{self, Diagnostic};
use bulwark_tracking::config::{TomlError, TrackerToml, build_gnn_tracker};
use std::path::{Path, PathBuf};

/// A tracker file of the scenario and its parsed, checked content.
#[derive(Clone, Debug, PartialEq)]
pub struct UnitTracker {
    pub path: PathBuf,
    pub config: TrackerToml,
}

/// Reads and checks the tracker TOML at `path`: it must parse and build the engine's `gnn`
/// tracker ([`build_gnn_tracker`]).
pub fn read_tracker(path: &Path) -> Result<UnitTracker, Diagnostic> {
    let text = diag::read_text(path)?;
    let at = |e: TomlError| match e.span {
        Some(s) => Diagnostic::at(path, &text, s, e.message),
        None => Diagnostic::file(path, e.message),
    };
    let config = TrackerToml::parse(&text).map_err(at)?;
    build_gnn_tracker(&config).map_err(at)?;
    Ok(UnitTracker { path: path.to_path_buf(), config })
}
