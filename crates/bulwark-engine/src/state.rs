//! The state the stages share besides the world's objects: each defence unit (its tracker,
//! random streams and per-track knowledge) and the launches queued between decide and engage.
use crate::setup::UnitSetup;
use crate::stage::network::UnitNet;
use bulwark_c2::assign::EngagementStatus;
use bulwark_c2::{Declaration, Identification, IffEvidence, TrackView};
use bulwark_core::{EntityId, Identity, RngStream, SensorId, SimDuration, SimTime, TrackId, Vec3};
use bulwark_tracking::Tracker;
use std::collections::BTreeMap;

/// Per-track knowledge of a command post.
#[derive(Clone, Debug, Default)]
pub(crate) struct TrackInfo {
    pub(crate) identity: Identity,
    /// The declared identity and the proposal that may replace it (`bulwark_c2::declare`).
    pub(crate) declaration: Declaration,
    pub(crate) hostile_since: Option<SimTime>,
    pub(crate) iff: IffEvidence,
    /// Truth labels of the plots that updated the track (metrics only).
    pub(crate) truth_hits: BTreeMap<EntityId, u32>,
    pub(crate) confirmed_ever: bool,
    pub(crate) engagement: EngagementStatus,
    pub(crate) last_hit_by: BTreeMap<SensorId, SimTime>,
    /// Updates in a row by each sensor, each within that sensor's expectation window of the last
    /// (fire authority: a fire-control radar holds a track it updates steadily, not one a false
    /// alarm fell into).
    pub(crate) streak_by: BTreeMap<SensorId, u32>,
    /// The unit radar (index) holding track dwells on it while it is engaged.
    pub(crate) dwell_radar: Option<usize>,
    /// Acceleration estimate for identification (m/s², ENU; see [`crate::stage::decide::update_acceleration`]).
    pub(crate) accel: Option<Vec3>,
    /// The update it is differenced from: time (s), velocity (m/s), largest velocity σ (m/s).
    pub(crate) accel_ref: Option<(f64, Vec3, f64)>,
    /// The identity last reported in a `TrackIdentified` event (reported once confirmed).
    pub(crate) reported_identity: Identity,
    /// The last identification, kept for the track reports of a networked unit.
    pub(crate) ident: Option<Identification>,
    /// A remote track: the post's picture, engaged without a track of the unit's own.
    pub(crate) remote: bool,
    /// Its estimate at the last decision while it had IFF replies: time (s), position and
    /// velocity (tracker ENU, m, m/s); kept for the IFF history once it is deleted.
    pub(crate) last_fix: Option<(f64, Vec3, Vec3)>,
}

/// A deleted track that had IFF replies, kept for the unit's `iff_history_memory` so that a
/// track re-initiated on the same object inherits them (issue 18: the evidence belongs to the
/// object's history, not to one track id).
#[derive(Clone, Debug)]
pub(crate) struct Departed {
    /// Its last fix: time (s), position and velocity (tracker ENU, m, m/s).
    pub(crate) fix: (f64, Vec3, Vec3),
    pub(crate) iff: IffEvidence,
}

impl TrackInfo {
    /// Books an update of the track by `sensor` at `now`; `window`: how long the sensor's
    /// streak survives without an update.
    pub(crate) fn hit(&mut self, sensor: SensorId, now: SimTime, window: SimDuration) {
        let recent = self.hit_within(sensor, window, now);
        let streak = self.streak_by.entry(sensor).or_insert(0);
        *streak = if recent { streak.saturating_add(1) } else { 1 };
        self.last_hit_by.insert(sensor, now);
    }

    /// Whether `sensor` updated the track at most `window` before `now`.
    pub(crate) fn hit_within(&self, sensor: SensorId, window: SimDuration, now: SimTime) -> bool {
        self.last_hit_by.get(&sensor).is_some_and(|last| *last + window >= now)
    }

    /// The truth object most of the track's plots came from (metrics only).
    pub(crate) fn dominant_truth(&self) -> Option<EntityId> {
        self.truth_hits.iter().max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0))).map(|(e, _)| *e)
    }
}

pub(crate) struct RadarRngs {
    pub(crate) detect: RngStream,
    pub(crate) noise: RngStream,
    pub(crate) false_alarm: RngStream,
    /// Measured powers of the looks for `exposure.csv` (drawn only when it is recorded).
    pub(crate) exposure: RngStream,
}

pub(crate) struct Unit {
    pub(crate) setup: UnitSetup,
    pub(crate) tracker: Tracker,
    pub(crate) radar_rngs: Vec<RadarRngs>,
    pub(crate) iff_rng: RngStream,
    pub(crate) tracks: BTreeMap<TrackId, TrackInfo>,
    /// Deleted tracks with IFF replies, oldest first, within the IFF history memory.
    pub(crate) departed: Vec<Departed>,
    pub(crate) next_decision: SimTime,
    /// Track order of the last ranked threat list, and when it last went into `threats.csv`.
    pub(crate) last_ranking: Vec<TrackId>,
    pub(crate) last_threat_rows: Option<SimTime>,
    /// The track views of the last decision and its time, for the record of the same time.
    pub(crate) views_at: Option<(SimTime, Vec<TrackView>)>,
    /// Its command post's side, if a `[[command]]` directs it.
    pub(crate) net: Option<UnitNet>,
}

pub(crate) struct PendingLaunch {
    pub(crate) at: SimTime,
    pub(crate) unit: usize,
    pub(crate) launcher: usize,
    pub(crate) track: TrackId,
    pub(crate) type_id: String,
    pub(crate) aim_enu: Vec3,
}
