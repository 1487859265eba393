//! The event log: every stage writes typed events; every output is a view of it.
//!
//! Events carry both perception (tracks, identities, fire orders) and, labelled as such,
//! truth (spawns, kills, leaks) — the log is for analysis. Models never read the log.
use crate::{EntityId, Identity, LauncherId, PlatformClass, SensorId, SimTime, TrackId, UnitId};
use serde::Serialize;

/// One entry of the event log.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Event {
    /// Simulation time in integer nanoseconds since the epoch.
    pub t_ns: i64,
    #[serde(flatten)]
    pub kind: EventKind,
}

impl Event {
    pub fn new(t: SimTime, kind: EventKind) -> Self {
        Event { t_ns: t.as_nanos(), kind }
    }
}

/// How an interceptor's flight ended.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum InterceptOutcome {
    /// Closest approach inside the kill function and the kill draw succeeded.
    Kill,
    /// Closest approach reached but the kill draw failed or the miss was too large.
    Miss,
    /// Maximum flight time or range exceeded before closest approach.
    SelfDestruct,
    /// The target was destroyed (by another interceptor) before this one arrived.
    TargetLost,
    /// Destroyed on the command post's order: its target was re-identified as protected.
    CommandDestruct,
    /// Destroyed on the command post's order: its command or track-via-missile guidance lost the
    /// fire-control radar's track mid-course (no update for the doctrine's time).
    GuidanceLost,
}

/// What happened.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum EventKind {
    RunStarted {
        scenario: String,
        seed: u64,
        epoch_utc: String,
    },
    /// Truth: an object entered the world.
    EntitySpawned {
        entity: EntityId,
        name: String,
        class: PlatformClass,
        type_id: String,
    },
    /// A radar plot. `truth` names the object that caused it (`None` for a false alarm);
    /// it is written for analysis only and is not passed to the tracker.
    Detection {
        sensor: SensorId,
        range_m: f64,
        azimuth_rad: f64,
        elevation_rad: f64,
        range_rate_mps: Option<f64>,
        snr_db: f64,
        truth: Option<EntityId>,
    },
    /// An angle-only jammer strobe: a radar sees noise jamming in a bearing it cannot range.
    /// `truth` names the jamming object, for analysis only.
    Strobe {
        sensor: SensorId,
        azimuth_rad: f64,
        elevation_rad: f64,
        jnr_db: f64,
        truth: EntityId,
    },
    /// A multifunction radar granted track dwells on an engaged track (one of its engagement
    /// channels of the time budget).
    TrackDwellsGranted {
        sensor: SensorId,
        track: TrackId,
    },
    /// The radar gave the track's dwells back (engagement over, or track lost).
    TrackDwellsReleased {
        sensor: SensorId,
        track: TrackId,
    },
    /// The data link between command post `command` and `unit` changed state: `up` false is a
    /// cut (the unit fights autonomously under its ROE), `loss` the share of messages lost.
    LinkState {
        command: String,
        unit: UnitId,
        up: bool,
        loss: f64,
    },
    /// Command post `command` assigned its system track `system_track` to `unit`, which fires
    /// on its own track `track` (or on the post's picture, a remote track); `truth` labels the
    /// system track's object for metrics only.
    ShotAssigned {
        command: String,
        unit: UnitId,
        system_track: TrackId,
        track: TrackId,
        remote: bool,
        truth: Option<EntityId>,
    },
    /// An IFF/SSR reply received by an interrogator.
    IffReply {
        sensor: SensorId,
        mode: String,
        code: Option<u16>,
        truth: EntityId,
    },
    TrackInitiated {
        track: TrackId,
    },
    TrackConfirmed {
        track: TrackId,
    },
    TrackDeleted {
        track: TrackId,
    },
    TrackIdentified {
        track: TrackId,
        identity: Identity,
        reason: String,
    },
    /// The command post ordered `count` interceptors at a track.
    FireOrder {
        unit: UnitId,
        track: TrackId,
        launcher: LauncherId,
        interceptor_type: String,
        count: u32,
        /// Time to go to the threatened asset (s); `None` if the track threatens none.
        time_to_go_s: Option<f64>,
        /// The declared identity the order rests on, and its evidence: the identification's
        /// reasons, confidence and how long the identity has held.
        identity: Identity,
        evidence: String,
    },
    InterceptorLaunched {
        interceptor: EntityId,
        launcher: LauncherId,
        track: TrackId,
        interceptor_type: String,
    },
    /// An interceptor's seeker acquired `target` (truth) at `range_m` and terminal homing began
    /// (the hand-over from the engagement radar's mid-course guidance).
    SeekerAcquired {
        interceptor: EntityId,
        target: EntityId,
        range_m: f64,
    },
    /// The seeker lost its target (out of its field of regard, illumination ended, or the
    /// target destroyed): guidance falls back to the engagement radar's track.
    SeekerLost {
        interceptor: EntityId,
    },
    /// Truth: how an interceptor's flight ended, with the true miss distance.
    InterceptorEnded {
        interceptor: EntityId,
        target: Option<EntityId>,
        outcome: InterceptOutcome,
        miss_distance_m: Option<f64>,
    },
    /// Truth: an object was destroyed.
    EntityKilled {
        entity: EntityId,
        by: EntityId,
    },
    /// Truth: a threat completed its route or hit its aim point alive.
    ThreatLeaked {
        entity: EntityId,
        distance_to_asset_m: Option<f64>,
    },
    /// Truth: an object left the world for another reason (end of route, ground impact).
    EntityRemoved {
        entity: EntityId,
        reason: String,
    },
    RunEnded {
        steps: u64,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_serialize_flat_with_a_tag() {
        let e = Event::new(SimTime::from_nanos(1_500_000_000), EventKind::TrackConfirmed { track: TrackId(3) });
        let s = serde_json_like(&e);
        assert_eq!(s, r#"{"t_ns":1500000000,"event":"track_confirmed","track":3}"#);
    }

    fn serde_json_like(e: &Event) -> String {
        serde_json::to_string(e).unwrap()
    }
}
