//! Tracking performance metrics: pure, deterministic functions of estimated and true states.
//!
//! - [`ospa()`]: Optimal Sub-Pattern Assignment distance (Schuhmacher, Vo & Vo 2008).
//! - [`gospa()`]: Generalised OSPA with α = 2 and its localisation / missed / false parts
//!   (Rahmathullah, García-Fernández & Svensson 2017).
//! - [`siap`]: the Single Integrated Air Picture measures (Votruba 2001) with Stone Soup's
//!   definitions and its `TrackToTruth` association.
//! - [`consistency`]: NEES / ANEES with chi-square bounds, RMSE.
//!
//! Points are slices of coordinates (m; any dimension, the same for every point); the
//! distance between two points is Euclidean.
use thiserror::Error;

pub mod consistency;
pub mod ospa;
pub mod siap;

pub use consistency::{AneesSummary, anees, rmse};
pub use ospa::{GospaParts, gospa, ospa, ospa_gospa};
pub use siap::{SiapMetrics, SiapParams, TrackPoint, TruthPoint, siap};

/// Why a metric cannot be computed.
#[derive(Clone, Debug, PartialEq, Error)]
pub enum MetricError {
    #[error("parameter `{name}` must be finite and positive, got {value}")]
    Parameter { name: &'static str, value: f64 },
    #[error("points have different dimensions ({a} and {b})")]
    Dimension { a: usize, b: usize },
    #[error("a coordinate or time is not finite")]
    NotFinite,
    #[error("the assignment problem could not be solved")]
    Assignment,
    #[error("no samples")]
    Empty,
}

pub(crate) fn positive(name: &'static str, value: f64) -> Result<f64, MetricError> {
    if value.is_finite() && value > 0.0 { Ok(value) } else { Err(MetricError::Parameter { name, value }) }
}

/// Euclidean distance of two points of the same dimension.
pub(crate) fn distance(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| (x - y) * (x - y)).sum::<f64>().sqrt()
}

/// Checks that every point has dimension `dim` (the first point's) and finite coordinates.
pub(crate) fn check_points<P: AsRef<[f64]>>(sets: [&[P]; 2]) -> Result<(), MetricError> {
    let mut dim = None;
    for p in sets.iter().flat_map(|s| s.iter()) {
        let p = p.as_ref();
        if !p.iter().all(|v| v.is_finite()) {
            return Err(MetricError::NotFinite);
        }
        match dim {
            None => dim = Some(p.len()),
            Some(d) if d != p.len() => return Err(MetricError::Dimension { a: d, b: p.len() }),
            Some(_) => {}
        }
    }
    Ok(())
}
