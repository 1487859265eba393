//! Identification: IFF evidence and kinematics → standard identity.
//!
//! The decision tree follows the identification criteria public US joint doctrine
//! describes (JP 3-01, *Countering Air and Missile Threats*, 2017, ch. III: IFF, flight
//! profile and airspace-control evidence; rules of engagement weapons free / tight /
//! hold): a positive reply outranks kinematics, and absence of a reply only counts after
//! several interrogations, because a single missed reply is common.
use crate::TrackView;
use bulwark_core::{Identity, Vec3};
use serde::{Deserialize, Serialize};

pub use bulwark_core::RoeState;

/// The IFF modes a reply can carry.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IffMode {
    /// Cryptographically secure military mode: a valid reply means friend.
    Mode5,
    /// Civil identity code (squawk), with Mode C altitude.
    Mode3A,
}

/// What interrogations of one track have produced so far.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct IffEvidence {
    /// Interrogations made while the track was inside the interrogator's cover.
    pub interrogations: u32,
    /// Interrogations since the last reply of any kind.
    pub unanswered_in_a_row: u32,
    pub mode5_replies: u32,
    pub civil_replies: u32,
    /// Last civil Mode 3/A code received (octal digits as a number, 0..=0o7777).
    pub last_civil_code: Option<u16>,
}

/// Thresholds of the identification tree; defaults are notional and documented.
#[derive(Clone, Debug, PartialEq)]
pub struct IdentificationRules {
    /// Unanswered interrogations in a row before "no reply" counts as evidence.
    pub min_unanswered: u32,
    /// Speed above which no civil aircraft flies (m/s): airliners cruise below Mach 0.9.
    pub civil_speed_limit_mps: f64,
    /// Descent rate marking a ballistic re-entry (m/s).
    pub ballistic_descent_mps: f64,
    /// A fast track below this altitude is flying a penetration (cruise missile) profile (m).
    pub low_level_altitude_m: f64,
    /// ... at more than this speed (m/s).
    pub low_level_speed_mps: f64,
}

impl Default for IdentificationRules {
    fn default() -> Self {
        IdentificationRules {
            min_unanswered: 3,
            civil_speed_limit_mps: 320.0,
            ballistic_descent_mps: 300.0,
            low_level_altitude_m: 500.0,
            low_level_speed_mps: 120.0,
        }
    }
}

/// What kind of object a track flies like (perception, for doctrine).
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KinematicClass {
    Ballistic,
    LowLevelFast,
    FastJet,
    Aircraft,
}

/// Classify a track by its flight profile.
pub fn kinematic_class(track: &TrackView, rules: &IdentificationRules) -> KinematicClass {
    let speed = track.speed();
    if -track.climb_rate_mps > rules.ballistic_descent_mps || speed > 1500.0 {
        KinematicClass::Ballistic
    } else if track.altitude_m < rules.low_level_altitude_m && speed > rules.low_level_speed_mps {
        KinematicClass::LowLevelFast
    } else if speed > rules.civil_speed_limit_mps {
        KinematicClass::FastJet
    } else {
        KinematicClass::Aircraft
    }
}

/// The outcome of identification, with the reason a person can read.
#[derive(Clone, Debug, PartialEq)]
pub struct Identification {
    pub identity: Identity,
    pub reason: String,
}

/// Identify a track from its IFF evidence and kinematics.
///
/// Order of evidence: a valid Mode 5 reply → friend; a civil code → neutral (both
/// sticky: a protected track is never re-declared on kinematics alone); then, once
/// `min_unanswered` interrogations went unanswered, a hostile flight profile → hostile,
/// any other → suspect. A ballistic profile needs no IFF: nothing friendly flies it.
pub fn identify(track: &TrackView, iff: &IffEvidence, rules: &IdentificationRules) -> Identification {
    if iff.mode5_replies > 0 {
        return Identification { identity: Identity::Friend, reason: "valid Mode 5 reply".into() };
    }
    if iff.civil_replies > 0 {
        let code = iff.last_civil_code.map(|c| format!(" {c:04o}")).unwrap_or_default();
        return Identification { identity: Identity::Neutral, reason: format!("civil Mode 3/A reply{code}") };
    }
    let class = kinematic_class(track, rules);
    if class == KinematicClass::Ballistic {
        return Identification { identity: Identity::Hostile, reason: "ballistic flight profile".into() };
    }
    if iff.unanswered_in_a_row < rules.min_unanswered {
        let identity = if track.identity == Identity::Pending { Identity::Pending } else { Identity::Unknown };
        return Identification {
            identity,
            reason: format!("{} of {} interrogations unanswered", iff.unanswered_in_a_row, rules.min_unanswered),
        };
    }
    match class {
        KinematicClass::LowLevelFast => {
            Identification { identity: Identity::Hostile, reason: "no IFF reply; low-level fast profile".into() }
        }
        KinematicClass::FastJet => {
            Identification { identity: Identity::Hostile, reason: "no IFF reply; speed above civil traffic".into() }
        }
        _ => Identification { identity: Identity::Suspect, reason: "no IFF reply".into() },
    }
}

/// Attribute an IFF reply (position `reply` in the ENU frame, 1-σ position error
/// `sigma_m`) to the nearest track within a 3-σ gate (at least `min_gate_m`).
/// Returns `None` if no track is close enough: an uncorrelated reply is ignored.
pub fn correlate_reply<'a>(
    reply: &Vec3,
    sigma_m: f64,
    min_gate_m: f64,
    tracks: impl IntoIterator<Item = &'a TrackView>,
) -> Option<bulwark_core::TrackId> {
    let gate = (3.0 * sigma_m).max(min_gate_m);
    let mut best: Option<(f64, bulwark_core::TrackId)> = None;
    for t in tracks {
        let d = (t.position - reply).norm();
        if d <= gate && best.is_none_or(|(bd, bid)| d < bd || (d == bd && t.id < bid)) {
            best = Some((d, t.id));
        }
    }
    best.map(|(_, id)| id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use bulwark_core::TrackId;

    fn track(speed: f64, alt: f64, climb: f64) -> TrackView {
        TrackView {
            id: TrackId(1),
            position: Vec3::new(50_000.0, 0.0, alt),
            velocity: Vec3::new(-speed, 0.0, climb),
            altitude_m: alt,
            climb_rate_mps: climb,
            confirmed: true,
            coasting: false,
            identity: Identity::Unknown,
            hostile_since: None,
        }
    }

    fn silent(n: u32) -> IffEvidence {
        IffEvidence { interrogations: n, unanswered_in_a_row: n, ..Default::default() }
    }

    #[test]
    fn replies_outrank_kinematics() {
        let fast_low = track(300.0, 50.0, 0.0);
        let civil = IffEvidence { interrogations: 5, civil_replies: 1, last_civil_code: Some(0o2641), ..silent(5) };
        let id = identify(&fast_low, &civil, &IdentificationRules::default());
        assert_eq!(id.identity, Identity::Neutral);
        assert!(id.reason.contains("2641"));
        let m5 = IffEvidence { mode5_replies: 1, ..silent(5) };
        assert_eq!(identify(&fast_low, &m5, &IdentificationRules::default()).identity, Identity::Friend);
    }

    #[test]
    fn silence_counts_only_after_enough_interrogations() {
        let r = IdentificationRules::default();
        let cm = track(250.0, 40.0, 0.0);
        assert_eq!(identify(&cm, &silent(2), &r).identity, Identity::Unknown);
        assert_eq!(identify(&cm, &silent(3), &r).identity, Identity::Hostile);
        let slow_high = track(200.0, 10_000.0, 0.0);
        assert_eq!(identify(&slow_high, &silent(3), &r).identity, Identity::Suspect);
        let fast_high = track(500.0, 10_000.0, 0.0);
        assert_eq!(identify(&fast_high, &silent(3), &r).identity, Identity::Hostile);
    }

    #[test]
    fn ballistic_profile_is_hostile_without_iff() {
        let rv = track(2000.0, 40_000.0, -1500.0);
        assert_eq!(identify(&rv, &silent(0), &IdentificationRules::default()).identity, Identity::Hostile);
    }

    #[test]
    fn roe_states_gate_identities() {
        assert!(RoeState::WeaponsFree.permits(Identity::Suspect));
        assert!(!RoeState::WeaponsTight.permits(Identity::Suspect));
        assert!(RoeState::WeaponsTight.permits(Identity::Hostile));
        for id in [Identity::Hostile, Identity::Suspect, Identity::Unknown] {
            assert!(!RoeState::WeaponsHold.permits(id));
        }
        for s in [RoeState::WeaponsFree, RoeState::WeaponsTight] {
            for id in
                [Identity::Friend, Identity::AssumedFriend, Identity::Neutral, Identity::Unknown, Identity::Pending]
            {
                assert!(!s.permits(id), "{s:?} must not permit {id:?}");
            }
        }
    }

    #[test]
    fn replies_correlate_to_the_nearest_track_in_the_gate() {
        let mut a = track(200.0, 10_000.0, 0.0);
        let mut b = a.clone();
        a.id = TrackId(1);
        b.id = TrackId(2);
        b.position.x += 2_000.0;
        let reply = a.position + Vec3::new(1_500.0, 0.0, 0.0);
        assert_eq!(correlate_reply(&reply, 300.0, 500.0, [&a, &b]), Some(TrackId(2)));
        let far = a.position + Vec3::new(0.0, 5_000.0, 0.0);
        assert_eq!(correlate_reply(&far, 300.0, 500.0, [&a, &b]), None);
    }
}
