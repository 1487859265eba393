//! Doctrine and equipment values the engine once held as constants (issue 14 item 6): a
//! system's decision period, tracker tuning and outside-picture doctrine, a radar's track-dwell
//! range gate, an interceptor's seeker search cone and pass range, a command post's system-track
//! memory. Every key is optional; without it the value is the `DEFAULT_…` below, the engine's
//! former constant, so a catalog written before the key runs as before. The rule (docs/models.md):
//! the catalog holds equipment and doctrine; code holds numerical method.
use super::{Cx, Interceptor, Kind, LEN_POS, Params, Radar, RawSystem, Res, SPEED_POS, Sourced, TIME_POS};
use crate::raw::Check;
use crate::units::Quantity as Q;

/// Command-post decision period of a unit (s): the engine's cycle before the key existed.
pub const DEFAULT_DECISION_PERIOD_S: f64 = 1.0;
/// Updates in a row by a fire-control radar before it holds a track for fire authority: its own
/// 3-update confirmation (as the trackers' 3-of-N), so a false alarm in a surveillance track's
/// gate does not make a fire-control track.
pub const DEFAULT_FIRE_CONTROL_MIN_UPDATES: u32 = 3;
/// White-acceleration process-noise density of a unit's constant-velocity tracker (m²/s³):
/// manoeuvring aircraft and missiles, ~ (5 g)² × 1 s.
pub const DEFAULT_TRACK_PROCESS_NOISE: f64 = 400.0;
/// A track no sensor updated for this long counts misses on every search scan (s).
pub const DEFAULT_STALE_TRACK_S: f64 = 30.0;
/// Oldest outside-picture report a unit still uses (s): a few update periods of a feed.
pub const DEFAULT_PICTURE_MAX_AGE_S: f64 = 12.0;
/// Position accuracy per axis assumed for an outside report without I500 (m).
pub const DEFAULT_PICTURE_SIGMA_POSITION_M: f64 = 300.0;
/// Velocity accuracy per axis assumed for an outside report (m/s; I500 velocity is optional).
pub const DEFAULT_PICTURE_SIGMA_VELOCITY_MPS: f64 = 30.0;
/// Half range extent of a fire-control radar's track-dwell gate about the predicted range (m).
pub const DEFAULT_TRACK_GATE_M: f64 = 5_000.0;
/// Seeker search cone half-angle about the line of sight to the target estimate (rad), for a
/// seeker type without `seeker_field_of_view`.
pub const DEFAULT_SEEKER_SEARCH_CONE_RAD: f64 = 0.07;
/// An interceptor that has passed its target estimate this close, opening, has missed (m).
pub const DEFAULT_PASS_RANGE_M: f64 = 2_000.0;
/// How long a command post keeps the number of a system track no unit reports any more, for
/// a returning report (s).
pub const DEFAULT_TRACK_MEMORY_S: f64 = 30.0;

/// A system's decision, tracking and outside-picture doctrine (`[[system]]` keys).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct UnitDoctrine {
    /// `decision_period`, s.
    pub decision_period_s: Option<Sourced<f64>>,
    /// `fire_control_min_updates`.
    pub fire_control_min_updates: Option<Sourced<u32>>,
    /// `track_process_noise`, m²/s³ (a plain number).
    pub track_process_noise: Option<Sourced<f64>>,
    /// `stale_track`, s.
    pub stale_track_s: Option<Sourced<f64>>,
    /// `picture_max_age`, s.
    pub picture_max_age_s: Option<Sourced<f64>>,
    /// `picture_sigma_position`, m.
    pub picture_sigma_position_m: Option<Sourced<f64>>,
    /// `picture_sigma_velocity`, m/s.
    pub picture_sigma_velocity_mps: Option<Sourced<f64>>,
}

fn or(s: &Option<Sourced<f64>>, default: f64) -> f64 {
    s.as_ref().map_or(default, |s| s.value)
}

impl UnitDoctrine {
    pub fn decision_period_s(&self) -> f64 {
        or(&self.decision_period_s, DEFAULT_DECISION_PERIOD_S)
    }
    pub fn fire_control_min_updates(&self) -> u32 {
        self.fire_control_min_updates.as_ref().map_or(DEFAULT_FIRE_CONTROL_MIN_UPDATES, |s| s.value)
    }
    pub fn track_process_noise(&self) -> f64 {
        or(&self.track_process_noise, DEFAULT_TRACK_PROCESS_NOISE)
    }
    pub fn stale_track_s(&self) -> f64 {
        or(&self.stale_track_s, DEFAULT_STALE_TRACK_S)
    }
    pub fn picture_max_age_s(&self) -> f64 {
        or(&self.picture_max_age_s, DEFAULT_PICTURE_MAX_AGE_S)
    }
    pub fn picture_sigma_position_m(&self) -> f64 {
        or(&self.picture_sigma_position_m, DEFAULT_PICTURE_SIGMA_POSITION_M)
    }
    pub fn picture_sigma_velocity_mps(&self) -> f64 {
        or(&self.picture_sigma_velocity_mps, DEFAULT_PICTURE_SIGMA_VELOCITY_MPS)
    }

    pub(super) fn params<'a>(&'a self, p: &mut Params<'a>) {
        p.opt("decision_period", Some(Q::Time), &self.decision_period_s);
        if let Some(c) = &self.fire_control_min_updates {
            p.count("fire_control_min_updates", c);
        }
        p.opt("track_process_noise", None, &self.track_process_noise)
            .opt("stale_track", Some(Q::Time), &self.stale_track_s)
            .opt("picture_max_age", Some(Q::Time), &self.picture_max_age_s)
            .opt("picture_sigma_position", Some(Q::Length), &self.picture_sigma_position_m)
            .opt("picture_sigma_velocity", Some(Q::Speed), &self.picture_sigma_velocity_mps);
    }
}

impl Radar {
    /// Half range extent of its track-dwell gate (m), [`DEFAULT_TRACK_GATE_M`] when not given.
    pub fn track_gate_m(&self) -> f64 {
        or(&self.track_gate_m, DEFAULT_TRACK_GATE_M)
    }
}

impl Interceptor {
    /// Half-angle of the cone its seeker searches about the estimate's line of sight (rad): its
    /// `seeker_field_of_view`, else [`DEFAULT_SEEKER_SEARCH_CONE_RAD`].
    pub fn seeker_search_cone_rad(&self) -> f64 {
        or(&self.seeker_field_of_view_rad, DEFAULT_SEEKER_SEARCH_CONE_RAD)
    }
    /// Distance (m) inside which a round opening from its target estimate has missed,
    /// [`DEFAULT_PASS_RANGE_M`] when not given.
    pub fn pass_range_m(&self) -> f64 {
        or(&self.pass_range_m, DEFAULT_PASS_RANGE_M)
    }
}

impl Cx<'_> {
    pub(super) fn unit_doctrine(&self, r: &RawSystem) -> Res<UnitDoctrine> {
        Ok(UnitDoctrine {
            decision_period_s: self.opt(&r.decision_period, "decision_period", TIME_POS)?,
            fire_control_min_updates: r
                .fire_control_min_updates
                .as_ref()
                .map(|c| self.int_within(c, "fire_control_min_updates", 1, 1_000))
                .transpose()?,
            track_process_noise: self.opt(&r.track_process_noise, "track_process_noise", Kind::Num(Check::Positive))?,
            stale_track_s: self.opt(&r.stale_track, "stale_track", TIME_POS)?,
            picture_max_age_s: self.opt(&r.picture_max_age, "picture_max_age", TIME_POS)?,
            picture_sigma_position_m: self.opt(&r.picture_sigma_position, "picture_sigma_position", LEN_POS)?,
            picture_sigma_velocity_mps: self.opt(&r.picture_sigma_velocity, "picture_sigma_velocity", SPEED_POS)?,
        })
    }
}
