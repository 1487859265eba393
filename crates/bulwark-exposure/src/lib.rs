//! Exposure analysis: how much opportunity each radar of a run had to observe each object that
//! passed it — looks, detections, cumulative detection probability, first and last detection
//! range, time in track across track ids, Σ SNR, aspect coverage in the object's body frame,
//! the RCS estimate its own measured amplitudes allow (with an exact χ² interval) and the
//! cross-range resolution λ/(2Δθ) the aspect swept during the pass allows.
//!
//! Physics only, with notional parameters: it says what the geometry and the radar equation
//! offer a radar, not what an exploitation chain (recording, calibration, classification,
//! signature libraries) would achieve with it.
//!
//! - [`record`]: the rows of `exposure.csv` ([`ExposureRow`]) and their reader.
//! - [`chi_square`]: χ² quantiles.
//! - [`rcs_estimate`]: RCS from measured powers, ML estimate and exact interval.
//! - [`summary`]: the per-(radar, object) summary ([`PairSummary`]) and the row filter.
//! - [`polar`]: aspect-coverage polar plots as SVG.
//! - [`report`]: the summary as a table, CSV or JSON.
#![forbid(unsafe_code)]

pub mod chi_square;
pub mod polar;
pub mod rcs_estimate;
pub mod record;
pub mod report;
pub mod summary;

pub use rcs_estimate::{RcsEstimate, estimate_rcs};
pub use record::{ExposureRow, read_exposure_csv};
pub use summary::{AspectBins, Filter, PairSummary, summarise};

/// Errors of the exposure analysis.
#[derive(Debug, thiserror::Error)]
pub enum ExposureError {
    /// Malformed `exposure.csv`: file:line:col and the reason.
    #[error("{path}:{line}:{col}: {reason}")]
    Parse { path: String, line: u64, col: u64, reason: String },
    #[error("{path}: {source}")]
    Io { path: String, source: std::io::Error },
    /// A bad argument (filter, bin size, confidence level).
    #[error("{0}")]
    Argument(String),
}
