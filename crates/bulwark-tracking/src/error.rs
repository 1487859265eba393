//! Error types. Bad input never panics: it is reported with one of these.
use thiserror::Error;

/// A measurement or transition model cannot be built or evaluated.
#[derive(Clone, Debug, PartialEq, Error)]
pub enum ModelError {
    #[error("parameter `{name}` must be finite and positive, got {value}")]
    NotPositive { name: &'static str, value: f64 },
    #[error("parameter `{name}` must be finite")]
    NotFinite { name: &'static str },
    #[error("sensor rotation is not orthonormal (|RᵀR − I| = {deviation:e})")]
    NotARotation { deviation: f64 },
    /// The Jacobian is undefined at this state (target at the sensor, on the vertical axis).
    #[error("measurement Jacobian undefined: {0}")]
    Degenerate(&'static str),
}

/// A filter step failed; the tracker then leaves the track as it was.
#[derive(Clone, Debug, PartialEq, Error)]
pub enum FilterError {
    #[error("innovation covariance is not positive definite")]
    SingularInnovation,
    #[error("time step must be finite and non-negative, got {0} s")]
    BadTimeStep(f64),
    #[error("measurement has dimension {got}, model expects {expected}")]
    DimensionMismatch { expected: usize, got: usize },
    #[error("filter produced a non-finite value")]
    NonFinite,
    /// A state covariance has no Cholesky factor (sigma points cannot be drawn).
    #[error("state covariance is not positive definite")]
    NotPositiveDefinite,
    #[error(transparent)]
    Model(#[from] ModelError),
}

/// Why a detection handed to [`crate::Tracker::process`] was ignored.
#[derive(Clone, Debug, PartialEq, Error)]
pub enum DetectionError {
    #[error("detection time or measurement is not finite")]
    NotFinite,
    #[error("measurement has dimension {got}, model expects {expected}")]
    DimensionMismatch { expected: usize, got: usize },
}

/// An invalid [`crate::TrackerConfig`].
#[derive(Clone, Debug, PartialEq, Error)]
pub enum ConfigError {
    #[error("confirmation needs 1 ≤ M ≤ N ≤ 64, got M = {m}, N = {n}")]
    MofN { m: u32, n: u32 },
    #[error("delete_misses must be at least 1")]
    DeleteMisses,
    #[error("gate probability must lie in (0, 1) and a threshold be finite and positive, got {0}")]
    Gate(f64),
    #[error("parameter `{name}` out of range: {value}")]
    OutOfRange { name: &'static str, value: f64 },
}
