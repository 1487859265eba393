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
mod raw;
pub mod scenario;
pub mod substitute;
pub mod units;

pub use catalog::{
    Alternative, Aspect, BallisticParams, Band, Catalog, DetectionAnchor, EntryKind, Guidance, Integration,
    Interceptor, Jammer, JammerKind, Launcher, Noise, Platform, Radar, RadarEquation, RadarRole, RcsTable,
    ReferenceRange, Schedule, Sensitivity, Source, SourceKind, Sourced, Swerling, System, Transponder,
};
pub use diag::Diagnostic;
pub use scenario::{
    Asset, CivilFlight, CivilPath, Defence, PlacedLauncher, PlacedRadar, ReloadVehicles, RoeChange, RoeState, Scenario,
    ThreatGroup, ThreatRoute, Waypoint,
};
pub use substitute::SubstituteError;
pub use units::{Quantity, UnitError};
