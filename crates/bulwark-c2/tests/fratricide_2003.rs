//! A notional replay of the failure mechanisms that the public record of the 2003 Patriot
//! fratricides names (Defense Science Board Task Force, *Report on Patriot System Performance*,
//! January 2005, summary: IFF failure, classification criteria too wide, autonomous operation
//! without the broader air picture, a short decision window): an allied fighter returns to base,
//! its transponder silent, and dives toward the battery's area for a few seconds. The replay
//! shows a fire authorisation when all four causes are present and none when any one of them
//! is absent. Kinematics and thresholds are notional; the oracle is the report's list of
//! mechanisms, each of which must be necessary here.
use bulwark_c2::{
    Airspace, Declaration, DeclarationRules, IdentificationRules, IffEvidence, RoeState, TrackView, identify_with,
};
use bulwark_core::{Identity, SimTime, TrackId, Vec3};

/// The dive: speed (m/s) and flight-path angle (deg), a profile that reads as a fast jet with a
/// class posterior of ≈ 0.74 — inside wide criteria (0.5), outside narrow ones (0.9).
const DIVE: (f64, f64) = (250.0, -10.0);

/// The returning fighter at cycle `k` (1 s cycles): level at 200 m/s, 6 km, for 20 s; then a
/// 6-s dive; then level again lower down.
fn track(k: u32) -> TrackView {
    let dive = (20..26).contains(&k);
    let (speed, alt, gamma_deg) = if dive {
        (DIVE.0, 6_000.0 - 40.0 * f64::from(k - 19), DIVE.1)
    } else if k < 20 {
        (200.0, 6_000.0, 0.0)
    } else {
        (200.0, 5_100.0, 0.0)
    };
    let g: f64 = f64::to_radians(gamma_deg);
    TrackView {
        id: TrackId(7),
        position: Vec3::new(60_000.0 - 200.0 * f64::from(k), 0.0, alt),
        velocity: Vec3::new(-speed * g.cos(), 0.0, speed * g.sin()),
        altitude_m: alt,
        climb_rate_mps: speed * g.sin(),
        confirmed: true,
        coasting: false,
        identity: Identity::Unknown,
        hostile_since: None,
    }
}

/// Which causes are present.
#[derive(Copy, Clone, Debug)]
struct Causes {
    iff_failed: bool,
    wide_criteria: bool,
    autonomous: bool,
    short_window: bool,
}

const ALL: Causes = Causes { iff_failed: true, wide_criteria: true, autonomous: true, short_window: true };

/// The first cycle at which the battery is authorised to fire under weapons tight, if any.
/// IFF failure: no reply (else Mode 5 replies to every other interrogation); wide criteria:
/// a hostile profile counts from a class posterior of 0.5 (else 0.9); autonomous: no outside
/// picture (else the picture holds the fighter as friend); short window: a hostile declared
/// after 2 cycles and fired on at once (else 8 cycles and held 5 s).
fn replay(c: Causes) -> Option<u32> {
    let rules = IdentificationRules {
        hostile_profile_confidence: if c.wide_criteria { 0.5 } else { 0.9 },
        ..IdentificationRules::default()
    };
    let doctrine = DeclarationRules {
        hold_cycles: if c.short_window { 2 } else { 8 },
        tight_hold_s: if c.short_window { 0.0 } else { 5.0 },
        ..DeclarationRules::default()
    };
    let mut d = Declaration::default();
    let mut iff = IffEvidence::default();
    for k in 0..40 {
        let t = track(k);
        let airspace = if c.autonomous {
            Airspace::default()
        } else {
            Airspace { picture_friends: vec![t.position], ..Default::default() }
        };
        iff.interrogations += 1;
        if c.iff_failed || k % 2 == 1 {
            iff.unanswered_in_a_row += 1;
        } else {
            iff.mode5_replies += 1;
            iff.unanswered_in_a_row = 0;
        }
        let id = identify_with(&t, None, &iff, &rules, &airspace);
        let now = SimTime::from_secs_f64(f64::from(k));
        d.update(&id, now, RoeState::WeaponsTight, &doctrine);
        if d.engageable(RoeState::WeaponsTight, now, &doctrine) {
            return Some(k);
        }
    }
    None
}

#[test]
fn the_fratricide_needs_all_four_causes() {
    let fired = replay(ALL);
    assert!(fired.is_some_and(|k| (20..26).contains(&k)), "all causes present: fires during the dive, got {fired:?}");
    for (name, c) in [
        ("IFF working", Causes { iff_failed: false, ..ALL }),
        ("narrow criteria", Causes { wide_criteria: false, ..ALL }),
        ("outside picture", Causes { autonomous: false, ..ALL }),
        ("longer decision window", Causes { short_window: false, ..ALL }),
    ] {
        assert_eq!(replay(c), None, "{name}: no fire authorisation");
    }
}
