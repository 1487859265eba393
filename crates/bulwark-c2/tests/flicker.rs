//! Issue 18: an allied fighter that gives no IFF reply, 77 km from an S-400 site, flickers
//! between readings every cycle; one 1-s cycle reading "hostile fast jet (P = 0.57)" produced a
//! fire order under weapons tight. A single flickering cycle must never authorise fire under
//! weapons tight (JP 3-01 ch. III: positive hostile identification), while the evidence that
//! holds still does.
use bulwark_c2::{
    Declaration, DeclarationRules, IdentificationRules, IffEvidence, RoeState, TargetClass, TrackView, identify,
};
use bulwark_core::{Identity, SimTime, TrackId, Vec3};

/// The fighter 77 km out at 8 km, level, at `speed` m/s (the flicker comes from the tracker's
/// speed estimate wandering around the civil speed limit).
fn fighter(speed: f64) -> TrackView {
    TrackView {
        id: TrackId(3),
        position: Vec3::new(77_000.0, 0.0, 8_000.0),
        velocity: Vec3::new(-speed, 0.0, 0.0),
        altitude_m: 8_000.0,
        climb_rate_mps: 0.0,
        confirmed: true,
        coasting: false,
        identity: Identity::Unknown,
        hostile_since: None,
    }
}

/// The speed (m/s) at which the silent fighter reads as a fast jet with a class posterior
/// nearest 0.57, the flickering reading.
fn flicker_speed(rules: &IdentificationRules, iff: &IffEvidence) -> f64 {
    let p = |v: f64| {
        let id = identify(&fighter(v), iff, rules);
        if id.class == TargetClass::FastJet { id.class_confidence } else { 0.0 }
    };
    (200..400).map(f64::from).min_by(|a, b| (p(*a) - 0.57).abs().total_cmp(&(p(*b) - 0.57).abs())).unwrap()
}

#[test]
fn one_flickering_hostile_cycle_never_authorises_fire_under_weapons_tight() {
    // The criteria that produced the shot: any hostile profile counts (class posterior ≥ 0).
    let wide = IdentificationRules { hostile_profile_confidence: 0.0, ..IdentificationRules::default() };
    let silent = IffEvidence { interrogations: 10, unanswered_in_a_row: 10, ..Default::default() };
    let v_hostile = flicker_speed(&wide, &silent);
    let flicker = identify(&fighter(v_hostile), &silent, &wide);
    assert_eq!(flicker.identity, Identity::Hostile, "{}", flicker.reason);
    assert!((flicker.class_confidence - 0.57).abs() < 0.05, "{}", flicker.class_confidence);
    // One cycle in three reads hostile, the others as a slow aircraft (suspect) or with a reply
    // outstanding (unknown).
    let suspect = identify(&fighter(200.0), &silent, &wide);
    let pending = IffEvidence { interrogations: 10, unanswered_in_a_row: 1, ..Default::default() };
    let unknown = identify(&fighter(200.0), &pending, &wide);
    assert_eq!((suspect.identity, unknown.identity), (Identity::Suspect, Identity::Unknown));
    let cycle = [&suspect, &unknown, &flicker];

    // The one-cycle rule fires on the hostile cycle: the defect.
    assert!(flicker.engageable(RoeState::WeaponsTight));
    // The declaration never becomes hostile, so weapons tight never fires.
    let rules = DeclarationRules::default();
    let mut d = Declaration::default();
    for k in 0..600 {
        let now = SimTime::from_secs_f64(f64::from(k));
        d.update(cycle[(k % 3) as usize], now, RoeState::WeaponsTight, &rules);
        assert!(!d.engageable(RoeState::WeaponsTight, now, &rules), "cycle {k}: {:?}", d.identity);
    }
    // Default criteria do not even read the flicker as hostile (P = 0.57 < 0.6).
    assert_eq!(identify(&fighter(v_hostile), &silent, &IdentificationRules::default()).identity, Identity::Suspect);

    // Evidence that holds is still acted on: the hostile reading every cycle, 3 cycles to
    // declare, then 5 s held.
    let mut d = Declaration::default();
    let fired = (0..20).find(|&k| {
        let now = SimTime::from_secs_f64(f64::from(k));
        d.update(
            &flicker,
            now,
            RoeState::WeaponsTight,
            &DeclarationRules { hostile_confidence_tight: 0.5, ..rules.clone() },
        );
        d.engageable(RoeState::WeaponsTight, now, &rules)
    });
    assert_eq!(fired, Some(7), "declared at cycle 2, held 5 s");
}
