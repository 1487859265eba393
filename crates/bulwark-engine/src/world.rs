//! Truth: every object in the world and how it moves.
use crate::setup::Signature;
use bulwark_core::{EntityId, LauncherId, PlatformClass, SimTime, TrackId, UnitId, Vec3};
use bulwark_geo::Geodetic;
use bulwark_motion::{
    BallisticMissile, BallisticStatus, FlightStatus, GuidanceLaw, HandOver, Interceptor, Seeker, WaypointFlight,
};
use bulwark_sensors::Transponder;
use std::sync::Arc;

/// What an object is for, beyond its class.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    /// Hostile, from a threat group (index into the scenario's threats).
    Threat {
        group: usize,
    },
    Civil,
    Friendly,
    Interceptor,
}

impl Role {
    /// The name used in the output files: threat, civil, friendly, interceptor.
    pub(crate) fn as_str(&self) -> &'static str {
        match self {
            Role::Threat { .. } => "threat",
            Role::Civil => "civil",
            Role::Friendly => "friendly",
            Role::Interceptor => "interceptor",
        }
    }
}

/// How an object moves.
pub enum Mover {
    Waypoints(Box<WaypointFlight>),
    Ballistic(Box<BallisticMissile>),
    Recorded(RecordedPath),
    Interceptor(Box<Interceptor>),
}

/// Why a mover stopped by itself.
#[derive(Copy, Clone, Debug, PartialEq)]
pub enum MoverEnd {
    /// Reached the end of its route or its aim point.
    Completed,
    /// The interceptor destroyed itself (flight time, range, ground).
    SelfDestruct,
}

impl Mover {
    /// Advance by `dt_s`; interceptors take the current target estimate (ECEF position,
    /// velocity) from guidance.
    pub fn step(&mut self, t: SimTime, dt_s: f64, target: Option<&bulwark_motion::KinematicState>) {
        match self {
            Mover::Waypoints(w) => w.step(dt_s),
            Mover::Ballistic(b) => b.step(dt_s),
            Mover::Recorded(r) => r.seek(t),
            Mover::Interceptor(i) => i.step(dt_s, target),
        }
    }
    pub fn position_ecef(&self) -> Vec3 {
        match self {
            Mover::Waypoints(w) => w.position_ecef(),
            Mover::Ballistic(b) => b.position_ecef(),
            Mover::Recorded(r) => r.pos,
            Mover::Interceptor(i) => i.position_ecef(),
        }
    }
    pub fn velocity_ecef(&self) -> Vec3 {
        match self {
            Mover::Waypoints(w) => w.velocity_ecef(),
            Mover::Ballistic(b) => b.velocity_ecef(),
            Mover::Recorded(r) => r.vel,
            Mover::Interceptor(i) => i.velocity_ecef(),
        }
    }
    /// Swaps an interceptor's guidance law (mid-course ↔ terminal); nothing for other movers.
    pub fn set_guidance(&mut self, law: Box<dyn GuidanceLaw>) {
        if let Mover::Interceptor(i) = self {
            i.set_guidance(law);
        }
    }
    /// `Some` once the mover has finished.
    pub fn ended(&self) -> Option<MoverEnd> {
        match self {
            Mover::Waypoints(w) => (w.status() == FlightStatus::Arrived).then_some(MoverEnd::Completed),
            Mover::Ballistic(b) => (b.status() == BallisticStatus::Impacted).then_some(MoverEnd::Completed),
            Mover::Recorded(r) => r.finished.then_some(MoverEnd::Completed),
            Mover::Interceptor(i) => match i.status() {
                bulwark_motion::InterceptorStatus::Flying => None,
                _ => Some(MoverEnd::SelfDestruct),
            },
        }
    }
}

/// A recorded flight: positions by time, joined along the ellipsoid between samples
/// ([`bulwark_geo::interpolate_leg`]: n-vector interpolation, height linear in time), not by
/// straight chords through the Earth.
pub struct RecordedPath {
    samples: Vec<(SimTime, Geodetic)>,
    next: usize,
    pub pos: Vec3,
    pub vel: Vec3,
    pub finished: bool,
}

impl RecordedPath {
    /// `samples` sorted by time, at least two, no leg between antipodes (the scenario
    /// validator guarantees all three).
    pub fn new(samples: &[(SimTime, Geodetic)]) -> Self {
        let first = samples.first().map(|s| s.1.to_ecef()).unwrap_or_else(Vec3::zeros);
        let mut r =
            RecordedPath { samples: samples.to_vec(), next: 1, pos: first, vel: Vec3::zeros(), finished: false };
        r.seek(r.start_time());
        r
    }
    pub fn start_time(&self) -> SimTime {
        self.samples.first().map(|s| s.0).unwrap_or(SimTime::ZERO)
    }
    /// Move to time `t` (monotonic calls).
    pub fn seek(&mut self, t: SimTime) {
        while self.next < self.samples.len() && self.samples[self.next].0 < t {
            self.next += 1;
        }
        if self.next >= self.samples.len() {
            if let Some(&(_, p)) = self.samples.last() {
                self.pos = p.to_ecef();
            }
            self.finished = true;
            return;
        }
        let (t0, g0) = self.samples[self.next - 1];
        let (t1, g1) = self.samples[self.next];
        let span = (t1 - t0).as_secs_f64();
        if span <= 0.0 {
            self.pos = g1.to_ecef();
            return;
        }
        let at = |f: f64| bulwark_geo::interpolate_leg(&g0, &g1, f).unwrap_or(g1).to_ecef();
        let f = ((t - t0).as_secs_f64() / span).clamp(0.0, 1.0);
        self.pos = at(f);
        // Velocity: the leg's tangent by a central difference over ±0.1 % of the leg (the
        // curve extends past its ends, so the samples need no one-sided step).
        self.vel = (at(f + 1e-3) - at(f - 1e-3)) / (2e-3 * span);
    }
}

/// Interceptor bookkeeping beyond its kinematics.
pub struct InterceptorInfo {
    pub unit: UnitId,
    pub launcher: LauncherId,
    pub track: TrackId,
    pub type_id: String,
    /// The truth object the seeker last acquired (kept after the lock is lost).
    pub locked: Option<EntityId>,
    /// Last target estimate used by guidance (ECEF), kept when the track is lost.
    pub estimate: Option<bulwark_motion::KinematicState>,
    /// Distance to the estimate at the previous step (for passing detection).
    pub last_estimate_range: f64,
    /// Mid-course → terminal hand-over state; `None` for command guidance to the end.
    pub handover: Option<HandOver>,
    /// Whether the mid-course law is lofted PN.
    pub lofted: bool,
    /// Target velocity of the previous seeker measurement (ECEF m/s), for the acceleration
    /// estimate of augmented PN.
    pub seeker_vel: Option<Vec3>,
    /// Smallest true closest approach (m) to any object so far, and that object (truth, for
    /// the adjudicator's miss distance).
    pub closest: Option<(f64, EntityId)>,
}

impl InterceptorInfo {
    /// A fresh interceptor's bookkeeping, homing with `seeker` if it has one.
    pub fn new(
        unit: UnitId,
        launcher: LauncherId,
        track: TrackId,
        type_id: String,
        seeker: Option<Seeker>,
        lofted: bool,
    ) -> Self {
        InterceptorInfo {
            unit,
            launcher,
            track,
            type_id,
            locked: None,
            estimate: None,
            last_estimate_range: f64::INFINITY,
            handover: seeker.map(HandOver::new),
            lofted,
            seeker_vel: None,
            closest: None,
        }
    }
}

/// One object of the world.
pub struct Entity {
    pub id: EntityId,
    pub name: String,
    pub class: PlatformClass,
    pub type_id: String,
    pub role: Role,
    /// Mean RCS (m²), the Swerling mean, for radars that cannot read `signature`'s table.
    pub rcs_m2: f64,
    /// RCS by band and aspect, Swerling case and jammer of its platform type (`None` for
    /// interceptors, which radars blank).
    pub signature: Option<Arc<Signature>>,
    pub transponder: Transponder,
    /// The transponder fit as declared ("mode5+mode3a", "none", "… (failed)"), for the outputs.
    pub transponder_fit: String,
    pub spawn_at: SimTime,
    pub spawned: bool,
    pub alive: bool,
    pub mover: Mover,
    pub prev_pos: Vec3,
    pub pos: Vec3,
    pub vel: Vec3,
    pub interceptor: Option<InterceptorInfo>,
}

impl Entity {
    /// The object's columns of `truth.csv` and `exposure.csv`: `id,name,class,role`.
    pub(crate) fn push_csv_columns(&self, out: &mut String) {
        crate::fastfmt::push_u64(out, u64::from(self.id.0));
        out.push(',');
        out.push_str(&crate::output::csv_field(&self.name));
        out.push(',');
        out.push_str(self.class.as_str());
        out.push(',');
        out.push_str(self.role.as_str());
    }
    pub fn live(&self) -> bool {
        self.spawned && self.alive
    }
    /// Anything a radar or seeker can see: live and not an interceptor (own missiles are
    /// known to their fire-control radar through the uplink and blanked).
    pub fn observable(&self) -> bool {
        self.live() && self.role != Role::Interceptor
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 19: a FL350 recording with points 10 min apart flew 3.5 km low mid-leg on the
    /// ECEF chord. On the ellipsoid every point is at FL350, the velocity is level, and it is
    /// the derivative of the position: its time integral over the leg (trapezoid, 1 s steps)
    /// is the displacement from one sample to the other.
    #[test]
    fn a_recorded_cruise_stays_level_between_samples() {
        let h = 35_000.0 * 0.3048;
        let (a, b) = (Geodetic::from_degrees(52.0, 14.0, h), Geodetic::from_degrees(52.0, 20.2, h));
        let mut r = RecordedPath::new(&[(SimTime::ZERO, a), (SimTime::from_secs_f64(600.0), b)]);
        let mut travelled = Vec3::zeros();
        let mut last = r.vel;
        for s in 1..=600 {
            r.seek(SimTime::from_secs_f64(s as f64));
            let g = Geodetic::from_ecef(&r.pos);
            assert!((g.alt_m - h).abs() < 1e-3, "t = {s} s: {} m", g.alt_m);
            let up = bulwark_geo::n_vector(&g);
            assert!(r.vel.dot(&up).abs() < 1e-3, "t = {s} s: climbing at {} m/s", r.vel.dot(&up));
            travelled += (last + r.vel) * 0.5;
            last = r.vel;
        }
        let displacement = b.to_ecef() - a.to_ecef();
        assert!((travelled - displacement).norm() < 1e-4 * displacement.norm(), "{travelled} vs {displacement}");
        r.seek(SimTime::from_secs_f64(601.0));
        assert!(r.finished);
    }
}
