//! Bulwark sensor models: what a radar or an IFF interrogator reports about the truth.
//!
//! Sensors are the one stage allowed to read truth ([`TargetView`]) to make measurements;
//! what they hand on ([`Plot`], [`IffReply`]) carries no truth. The truth label of each
//! report travels in a separate parallel vector, for metrics only.
//!
//! - [`snr`]: signal-to-noise ratio against range and RCS ([`SnrModel`]; the reference-range
//!   form of the radar equation, [`ReferenceRangeSnr`]).
//! - [`detection`]: probability of detection from SNR ([`Detector`]; Swerling 0 and 1,
//!   single pulse, square-law detector).
//! - [`marcum`]: Marcum Q₁ and the scaled Bessel function it needs.
//! - [`radar`]: radar parameters, coverage gates, horizon, the look ([`Radar::scan`]),
//!   measurement noise and false alarms.
//! - [`geometry`]: the truth a sensor is given ([`TargetView`]), line of sight, sector tests.
//! - [`iff`]: IFF / SSR interrogation of transponders.
//!
//! All quantities are SI (m, s, rad, m²); SNR is a linear power ratio unless a name says dB.
#![forbid(unsafe_code)]

pub mod detection;
pub mod geometry;
pub mod iff;
pub mod marcum;
pub mod radar;
pub mod snr;

pub use detection::{Detector, DetectorKind, Swerling0SinglePulse, Swerling1SinglePulse};
pub use geometry::{LineOfSight, TargetView, azimuth_in_sector};
pub use iff::{IffInterrogator, IffMode, IffOutput, IffParams, IffReply, Transponder, mode_c_altitude_m};
pub use marcum::marcum_q1;
pub use radar::{MeasurementSigmas, Plot, Radar, RadarParams, ScanOutput, detection_range_m};
pub use snr::{ReferenceRangeSnr, SNR_MAX, SnrModel};

/// Why a sensor could not be built or a calculation could not be done.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum SensorError {
    /// A parameter is outside the range the model accepts.
    #[error("invalid sensor parameter `{name}` = {value}: expected {expected}")]
    InvalidParameter { name: &'static str, value: f64, expected: &'static str },
}

/// Checks `value` with `ok`, naming the parameter and the accepted range on failure.
pub(crate) fn check(name: &'static str, value: f64, ok: bool, expected: &'static str) -> Result<(), SensorError> {
    if ok && value.is_finite() { Ok(()) } else { Err(SensorError::InvalidParameter { name, value, expected }) }
}
