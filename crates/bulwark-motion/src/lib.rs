//! Bulwark motion models: how truth objects move.
//!
//! All truth state is ECEF (m, m/s) over the WGS-84 earth of [`bulwark_geo`]. The engine calls
//! `step(dt_s)` once per fixed time step (typically 0.1 s; every model is stable for 0.05–1 s and
//! sub-steps internally for larger steps) for every live object.
//!
//! - [`atmosphere`]: U.S. Standard Atmosphere 1976 (temperature, pressure, density, speed of sound).
//! - [`waypoint`]: aircraft, cruise missiles and UAVs flying a route under performance limits.
//! - [`ballistic`]: ballistic missiles over the rotating WGS-84 earth, aimed by a shooting method.
//! - [`interceptor`]: surface-to-air interceptor fly-out, intercept planning, closest approach.
//! - [`guidance`]: guidance laws (proportional navigation and augmented PN).
//! - [`propulsion`], [`aero`]: boost–sustain motor and Mach/altitude drag of the interceptor.
//! - [`seeker`]: seeker acquisition and the mid-course → terminal hand-over.
//! - [`endgame`]: closest approach within a step and kill functions.
//! - [`linear_engagement`]: Zarchan's linearised homing loop, forward and adjoint, for validation.
//!
//! Truth and perception stay apart: no model here reads the event log, and the interceptor is
//! steered only by the target estimate the engine passes in (a track or a seeker measurement).
//! Bad parameters are rejected by constructors with a typed [`MotionError`]; no model lets NaN
//! or infinity out.
#![forbid(unsafe_code)]

pub mod aero;
pub mod atmosphere;
pub mod ballistic;
mod dynamics;
pub mod endgame;
pub mod guidance;
pub mod interceptor;
pub mod linear_engagement;
pub mod propulsion;
pub mod seeker;
pub mod waypoint;

pub use aero::Aero;
pub use atmosphere::{AtmosphereState, us_standard_atmosphere_1976};
pub use ballistic::{Apogee, BallisticMissile, BallisticParams, BallisticStatus, ImpactPrediction};
/// Gravitational acceleration (m/s²) at an ECEF position, for guidance laws that fly ballistic arcs.
pub use dynamics::gravity as gravity_acceleration;
pub use dynamics::{Dynamics, GravityModel, J2_WGS84};
pub use endgame::{CookieCutter, GaussianKill, HitToKill, KillFunction, closest_approach_linear};
pub use guidance::{AugmentedPn, GuidanceLaw, LoftedPn, ProportionalNavigation};
pub use interceptor::{
    Airframe, Flyout, Interceptor, InterceptorParams, InterceptorStatus, SelfDestructReason, closest_approach,
    launch_direction, predicted_intercept_point,
};
pub use propulsion::Motor;
pub use seeker::{GuidancePhase, HandOver, Seeker, SeekerKind};
pub use waypoint::{FlightStatus, Performance, Waypoint, WaypointFlight};

use bulwark_core::Vec3;

/// Position, velocity and acceleration of an object in ECEF (m, m/s, m/s²).
///
/// Used both for an object's own truth state and for a target *estimate* handed to a guidance
/// law; the type does not say which, the caller does (the engine never passes target truth to
/// guidance). An unknown acceleration is zero.
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct KinematicState {
    pub pos: Vec3,
    pub vel: Vec3,
    pub acc: Vec3,
}

impl KinematicState {
    pub fn new(pos: Vec3, vel: Vec3) -> Self {
        KinematicState { pos, vel, acc: Vec3::zeros() }
    }
    pub fn with_acc(pos: Vec3, vel: Vec3, acc: Vec3) -> Self {
        KinematicState { pos, vel, acc }
    }
    /// True when every component is finite.
    pub fn is_finite(&self) -> bool {
        finite_vec(&self.pos) && finite_vec(&self.vel) && finite_vec(&self.acc)
    }
}

/// Why a model could not be built.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum MotionError {
    #[error("invalid parameter `{name}`: {reason}")]
    InvalidParameter { name: &'static str, reason: String },
    #[error("route needs at least one waypoint")]
    EmptyRoute,
    #[error("target at {range_m:.0} m is beyond the maximum range {max_range_m:.0} m")]
    OutOfRange { range_m: f64, max_range_m: f64 },
    #[error("target at {range_m:.0} m is closer than the minimum range {min_range_m:.0} m")]
    TooClose { range_m: f64, min_range_m: f64 },
    #[error("aiming did not converge: best miss {miss_m:.1} m")]
    NoConvergence { miss_m: f64 },
}

/// The common face of a moving object, for the engine's loop.
pub trait MotionModel {
    /// Advance by `dt_s` seconds. A non-finite or non-positive step does nothing.
    fn step(&mut self, dt_s: f64);
    fn position_ecef(&self) -> Vec3;
    fn velocity_ecef(&self) -> Vec3;
    /// False once the object has ended (arrived, impacted, self-destructed).
    fn is_active(&self) -> bool;
}

pub(crate) fn finite_vec(v: &Vec3) -> bool {
    v.iter().all(|x| x.is_finite())
}

/// Checks a parameter is finite and satisfies `ok`; `what` says what was expected.
pub(crate) fn check(name: &'static str, value: f64, ok: bool, what: &str) -> Result<f64, MotionError> {
    if value.is_finite() && ok {
        Ok(value)
    } else {
        Err(MotionError::InvalidParameter { name, reason: format!("{value} is not {what}") })
    }
}

/// Number of equal sub-steps so that none exceeds `max_h`; 0 for an invalid step.
pub(crate) fn substeps(dt_s: f64, max_h: f64) -> usize {
    if !(dt_s.is_finite() && dt_s > 0.0) {
        return 0;
    }
    ((dt_s / max_h).ceil() as usize).clamp(1, 1_000_000)
}
