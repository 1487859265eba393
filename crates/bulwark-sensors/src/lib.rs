//! Bulwark sensor models: what a radar or an IFF interrogator reports about the truth.
//!
//! Sensors are the one stage allowed to read truth ([`TargetView`]) to make measurements;
//! what they hand on ([`Plot`], [`IffReply`]) carries no truth. The truth label of each
//! report travels in a separate parallel vector, for metrics only.
//!
//! - [`cue`]: cued acquisition dwells of a fire-control radar (time from its budget, coherent gain).
//! - [`snr`]: signal-to-noise ratio against range and RCS ([`SnrModel`]; the reference-range
//!   form of the radar equation, [`ReferenceRangeSnr`], and the explicit one, [`RadarEquationSnr`]).
//! - [`rcs`]: mean RCS by band and aspect ([`RcsTable`], [`Aspect`]).
//! - [`sphere`]: exact (Mie series) RCS of a conducting sphere, the check on RCS-versus-frequency trends.
//! - [`jamming`]: noise jammers, J/N, SINR, burn-through, strobes.
//! - [`detection`]: probability of detection from SNR ([`Detector`]; Swerling 0–4 with N pulses
//!   integrated non-coherently, [`SwerlingDetector`], square-law detector).
//! - [`m_of_n`]: M-of-N track confirmation, the single-look Pd of a firm track.
//! - [`marcum`]: Marcum Q₁ and the scaled Bessel function it needs.
//! - [`radar`]: radar parameters, coverage gates, horizon, the look ([`Radar::scan`]),
//!   measurement noise and false alarms.
//! - [`geometry`]: the truth a sensor is given ([`TargetView`]), line of sight, sector tests.
//! - [`iff`]: IFF / SSR interrogation of transponders.
//! - [`look_record`]: what one look did to one target ([`TargetLook`]) and the power it measured,
//!   for exposure analysis.
//!
//! All quantities are SI (m, s, rad, m²); SNR is a linear power ratio unless a name says dB.
#![forbid(unsafe_code)]

pub mod cue;
pub mod detection;
/// Incomplete gamma functions (shared with the tracker's χ² gates; they live in core).
pub use bulwark_core::special as gamma;
pub mod geometry;
pub mod iff;
pub mod jamming;
pub mod look_record;
pub mod m_of_n;
pub mod marcum;
pub mod radar;
pub mod rcs;
pub mod schedule;
pub mod snr;
pub mod sphere;

pub use detection::{
    Detector, Swerling0SinglePulse, Swerling1SinglePulse, SwerlingCase, SwerlingDetector, albersheim_snr_db,
    shnidman_snr_db,
};
pub use geometry::{LineOfSight, LineOfSightMask, RadarTarget, TargetView, azimuth_in_sector};
pub use iff::{
    DEFAULT_INTERROGATOR_MODES, IffInterrogator, IffMode, IffOutput, IffParams, IffReply, Transponder,
    mode_c_altitude_m,
};
pub use jamming::{JammerView, JammingResponse, NoiseJammer, Strobe, burn_through_range_m, jamming_to_noise, sinr};
pub use look_record::{TargetLook, body_direction, draw_measured_power};
pub use marcum::{marcum_q, marcum_q1};
pub use radar::{MeasurementBias, MeasurementSigmas, Plot, Radar, RadarParams, ScanOutput, Scene, detection_range_m};
pub use rcs::{Aspect, AspectSector, Band, RcsTable};
pub use schedule::{Scheduler, Task, TimeBudget};
pub use snr::{
    Integration, NoiseBandwidth, RadarEquationParams, RadarEquationSnr, ReferenceRangeSnr, SNR_MAX, SnrKind, SnrModel,
    SystemNoise,
};

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
