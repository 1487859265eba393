//! Exact simulation time: integer nanoseconds since scenario start.
use serde::{Deserialize, Serialize};
use std::fmt;
use std::ops::{Add, AddAssign, Sub};

/// An instant of simulation time, in integer nanoseconds after the scenario epoch.
///
/// Integer so that a fixed step added 10⁶ times lands exactly where it should;
/// `i64` nanoseconds spans ±292 years.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SimTime(i64);

/// A span of simulation time in integer nanoseconds (may be negative).
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SimDuration(i64);

const NS_PER_S: f64 = 1e9;

impl SimTime {
    pub const ZERO: SimTime = SimTime(0);
    pub const fn from_nanos(ns: i64) -> Self {
        SimTime(ns)
    }
    /// Rounds to the nearest nanosecond. Non-finite input maps to zero (callers validate first).
    pub fn from_secs_f64(s: f64) -> Self {
        SimTime(secs_to_ns(s))
    }
    pub const fn as_nanos(self) -> i64 {
        self.0
    }
    /// Seconds as `f64`, exact to the nanosecond for any span under 104 days.
    pub fn as_secs_f64(self) -> f64 {
        self.0 as f64 / NS_PER_S
    }
    /// Time elapsed since `earlier` (negative if `earlier` is later).
    pub fn since(self, earlier: SimTime) -> SimDuration {
        SimDuration(self.0 - earlier.0)
    }
}

impl SimDuration {
    pub const ZERO: SimDuration = SimDuration(0);
    pub const fn from_nanos(ns: i64) -> Self {
        SimDuration(ns)
    }
    pub const fn from_millis(ms: i64) -> Self {
        SimDuration(ms * 1_000_000)
    }
    pub const fn from_secs(s: i64) -> Self {
        SimDuration(s * 1_000_000_000)
    }
    /// Rounds to the nearest nanosecond. Non-finite input maps to zero (callers validate first).
    pub fn from_secs_f64(s: f64) -> Self {
        SimDuration(secs_to_ns(s))
    }
    pub const fn as_nanos(self) -> i64 {
        self.0
    }
    pub fn as_secs_f64(self) -> f64 {
        self.0 as f64 / NS_PER_S
    }
}

fn secs_to_ns(s: f64) -> i64 {
    if s.is_finite() { (s * NS_PER_S).round() as i64 } else { 0 }
}

impl Add<SimDuration> for SimTime {
    type Output = SimTime;
    fn add(self, d: SimDuration) -> SimTime {
        SimTime(self.0 + d.0)
    }
}
impl AddAssign<SimDuration> for SimTime {
    fn add_assign(&mut self, d: SimDuration) {
        self.0 += d.0;
    }
}
impl Sub<SimDuration> for SimTime {
    type Output = SimTime;
    fn sub(self, d: SimDuration) -> SimTime {
        SimTime(self.0 - d.0)
    }
}
impl Sub for SimTime {
    type Output = SimDuration;
    fn sub(self, o: SimTime) -> SimDuration {
        SimDuration(self.0 - o.0)
    }
}
impl Add for SimDuration {
    type Output = SimDuration;
    fn add(self, d: SimDuration) -> SimDuration {
        SimDuration(self.0 + d.0)
    }
}

impl fmt::Display for SimTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:.3} s", self.as_secs_f64())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_step_accumulates_exactly() {
        // 0.1 s is not representable in binary floating point; summing it 36 000 times
        // in f64 drifts, in integer nanoseconds it must land on exactly one hour.
        let dt = SimDuration::from_secs_f64(0.1);
        let mut t = SimTime::ZERO;
        for _ in 0..36_000 {
            t += dt;
        }
        assert_eq!(t, SimTime::from_nanos(3_600_000_000_000));
        let mut f = 0.0f64;
        for _ in 0..36_000 {
            f += 0.1;
        }
        assert_ne!(f, 3600.0, "the float sum drifts; this is why SimTime is integer");
    }

    #[test]
    fn non_finite_seconds_do_not_poison_time() {
        assert_eq!(SimTime::from_secs_f64(f64::NAN), SimTime::ZERO);
        assert_eq!(SimDuration::from_secs_f64(f64::INFINITY), SimDuration::ZERO);
    }
}
