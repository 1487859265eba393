//! Radar coverage analysis for Bulwark: where does a radar detect a target of a given radar
//! cross section flying at a given altitude?
//!
//! - [`geometry`]: slant range, elevation and horizon over the 4/3 effective earth
//!   ([`EffectiveEarth`]); great-circle positions for masking hooks and maps.
//! - [`compute`]: detection range by azimuth for each (altitude, RCS) ([`compute_coverage`]),
//!   and the range–height grid of a vertical coverage diagram ([`vertical_coverage`]).
//! - [`table`]: min/mean/max detection range over azimuth as text, CSV and JSON ([`CoverageTable`]).
//! - [`diagram`]: SVG vertical coverage diagram (range–height) and plan coverage map, and SVG → PNG.
//!
//! The input is this crate's own [`CoverageRadar`] (geometry limits plus two closures, SNR
//! against range and RCS, and the detector's required SNR against Pd), and an optional
//! terrain masking hook [`Masking`], so that any SNR model, detector or terrain model can be
//! plugged in without this crate depending on them. All quantities are SI (m, rad, m²) inside;
//! tables and diagrams show km and degrees.
#![forbid(unsafe_code)]

pub mod compute;
mod contour;
pub mod diagram;
pub mod geometry;
pub mod table;

pub use compute::{
    AltitudeReference, CoverageRadar, CoverageSettings, Masking, RadarCoverage, RangeProfile, RangeStats,
    RequiredSnrFn, SnrFn, VerticalCoverage, VerticalLayer, VerticalSpec, compute_coverage, vertical_coverage,
};
pub use diagram::{MapSpec, RasterImage, coverage_map_svg, svg_to_png, vertical_diagram_svg, write_atomic};
pub use geometry::{EffectiveEarth, azimuthal_equidistant, destination};
pub use table::{CoverageTable, TableRow};

/// Why a coverage could not be computed or drawn.
#[derive(Debug, thiserror::Error)]
pub enum CoverageError {
    /// A parameter is outside the range the analysis accepts.
    #[error("invalid coverage parameter `{name}` = {value}: expected {expected}")]
    InvalidParameter { name: &'static str, value: f64, expected: &'static str },
    /// Drawing or rasterising a diagram failed.
    #[error("diagram: {0}")]
    Diagram(String),
    /// Writing a table failed.
    #[error("table: {0}")]
    Table(String),
    #[error("i/o: {0}")]
    Io(#[from] std::io::Error),
}

impl CoverageError {
    pub(crate) fn invalid(name: &'static str, value: f64, expected: &'static str) -> Self {
        CoverageError::InvalidParameter { name, value, expected }
    }
}

/// Checks `value` with `ok` (and finiteness), naming the parameter and the accepted range.
pub(crate) fn check(name: &'static str, value: f64, ok: bool, expected: &'static str) -> Result<(), CoverageError> {
    if ok && value.is_finite() { Ok(()) } else { Err(CoverageError::invalid(name, value, expected)) }
}
