//! Bulwark's scenario and catalog language (`docs/formats.md`).
//!
//! - [`units`]: unit strings (`"250 km"`, `"Mach 0.8"`, `"FL350"`, `"-20 dBsm"`) into SI.
//! - [`diag`]: [`Diagnostic`], the `file:line:col: error: message` every error of this crate is.
//! - [`catalog`]: the sourced catalog of radars, interceptors, launchers, systems, platforms.
//! - [`scenario`]: the scenario file, validated against a catalog into plain SI data.
//! - [`substitute`]: the same scenario with another catalog system in every defence unit.
#![forbid(unsafe_code)]

pub mod catalog;
pub mod diag;
mod flights;
pub mod picture;
mod raw;
pub mod scenario;
pub mod substitute;
pub mod tracker_file;
pub mod units;

pub use catalog::{
    Alternative, Aspect, BallisticParams, Band, Catalog, CommandPost, DetectionAnchor, EntryKind, Guidance,
    Integration, Interceptor, Jammer, JammerKind, LaunchTrack, Launcher, Noise, Platform, Radar, RadarEquation,
    RadarRole, RcsTable, ReferenceRange, Schedule, Sensitivity, Source, SourceKind, Sourced, Swerling, System,
    Transponder,
};
pub use diag::Diagnostic;
pub use scenario::{
    Asset, CivilFlight, CivilPath, Command, CommandDoctrine, Defence, FriendlyGroup, IdentificationDoctrine,
    LinkOutage, PlacedLauncher, PlacedRadar, ReloadVehicles, RoeChange, RoeState, Scenario, ThreatGroup, ThreatRoute,
    Waypoint,
};
pub use substitute::SubstituteError;
pub use units::{Quantity, UnitError};

/// Reads a recorded-flights CSV (`[[civil]] csv = "…"`, format in `docs/formats.md`) as a
/// scenario does, for a scenario epoch of `epoch_unix_s` seconds after 1970-01-01T00:00:00Z.
/// Public for tools that check such files on their own, and for the fuzz target.
pub fn recorded_flights_csv(
    path: &std::path::Path,
    text: &str,
    epoch_unix_s: i64,
    type_id: &str,
) -> Result<Vec<CivilFlight>, Diagnostic> {
    let epoch = time::OffsetDateTime::from_unix_timestamp(epoch_unix_s)
        .map_err(|e| Diagnostic::file(path, format!("epoch {epoch_unix_s} s: {e}")))?;
    flights::parse(path, text, epoch, type_id)
}
