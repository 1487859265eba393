//! Identification: classes, identities, confidence and engageability under ROE.
use bulwark_c2::TrackView;
use bulwark_c2::identify::{
    Airspace, CivilRoute, FlightPlan, IdentificationRules, IffEvidence, RoeState, TargetClass, classify, identify,
    identify_with,
};
use bulwark_core::{Identity, TrackId, Vec3};
use proptest::prelude::*;

/// A track flying along +x at `speed` (m/s) with flight-path angle `gamma_deg`, at `alt` (m).
fn track(speed: f64, alt: f64, gamma_deg: f64) -> TrackView {
    let (s, c) = gamma_deg.to_radians().sin_cos();
    TrackView {
        id: TrackId(1),
        position: Vec3::new(50_000.0, 0.0, alt),
        velocity: Vec3::new(speed * c, 0.0, speed * s),
        altitude_m: alt,
        climb_rate_mps: speed * s,
        confirmed: true,
        coasting: false,
        identity: Identity::Unknown,
        hostile_since: None,
    }
}

fn silent(n: u32) -> IffEvidence {
    IffEvidence { interrogations: n, unanswered_in_a_row: n, ..Default::default() }
}

fn civil(code: u16) -> IffEvidence {
    IffEvidence { interrogations: 4, civil_replies: 4, last_civil_code: Some(code), ..Default::default() }
}

#[test]
fn each_class_is_recognised_from_its_flight_profile() {
    let r = IdentificationRules::default();
    let cases = [
        ("re-entry vehicle, steep fast descent", track(2_500.0, 40_000.0, -40.0), TargetClass::BallisticMissile),
        ("sea-skimming subsonic missile", track(240.0, 30.0, 0.0), TargetClass::CruiseMissile),
        ("one-way attack drone, low and slow", track(45.0, 500.0, 0.0), TargetClass::Uav),
        ("fighter at Mach 1.4", track(450.0, 8_000.0, 5.0), TargetClass::FastJet),
        ("airliner in cruise", track(230.0, 11_000.0, 0.0), TargetClass::Aircraft),
    ];
    for (what, t, class) in cases {
        let p = classify(&t, None, &r);
        let best = TargetClass::ALL.iter().copied().max_by(|a, b| p[a.index()].total_cmp(&p[b.index()])).unwrap();
        assert_eq!(best, class, "{what}: posterior {p:?}");
        assert!(p[class.index()] > 0.6, "{what}: {p:?}");
        assert!((p.iter().sum::<f64>() - 1.0).abs() < 1e-12);
    }
}

/// Oracle: Bayes' rule by hand. With identical kinematic models for every class, the class
/// posterior is the prior, and after n silent interrogations the affiliation posterior is
/// P(a)·L_a / Σ_b P(b)·L_b with P(a) = Σ_c P(c)·P(a | c) and L_a = Σ_s w_s·q_s^n over the
/// transponder states s of affiliation a (weight w_s, no-reply probability q_s).
#[test]
fn evidence_combination_is_bayes_rule() {
    let mut r = IdentificationRules::default();
    let shared = r.class_models[4].clone();
    for m in r.class_models.iter_mut() {
        *m = bulwark_c2::identify::ClassModel {
            prior: m.prior,
            affiliation_prior: m.affiliation_prior,
            ..shared.clone()
        };
    }
    let t = track(200.0, 8_000.0, 0.0);
    let p = classify(&t, None, &r);
    let prior_sum: f64 = r.class_models.iter().map(|m| m.prior).sum();
    for (pc, m) in p.iter().zip(&r.class_models) {
        assert!((pc - m.prior / prior_sum).abs() < 1e-12);
    }
    for n in [0u32, 1, 3, 6] {
        let id = identify(&t, &silent(n), &r);
        let mut w = [0.0; 3];
        for m in &r.class_models {
            for (wa, pa) in w.iter_mut().zip(&m.affiliation_prior) {
                *wa += m.prior * pa;
            }
        }
        let l = |states: &Vec<(f64, [f64; 3])>| states.iter().map(|(ws, q)| ws * q[2].powi(n as i32)).sum::<f64>();
        let lik = [l(&r.iff.friend), l(&r.iff.civil), l(&r.iff.hostile)];
        let num: Vec<f64> = (0..3).map(|a| w[a] * lik[a]).collect();
        let hostile = num[2] / num.iter().sum::<f64>();
        assert!((id.affiliation.hostile - hostile).abs() < 1e-9, "n {n}: {} vs {hostile}", id.affiliation.hostile);
    }
}

#[test]
fn a_free_fall_acceleration_is_evidence_for_a_ballistic_missile() {
    let r = IdentificationRules::default();
    // Ambiguous on speed and angle alone (fast jet diving or missile): 800 m/s, 14 km, 15° descent.
    let t = track(800.0, 14_000.0, -15.0);
    let none = classify(&t, None, &r)[0];
    let level = classify(&t, Some(&Vec3::zeros()), &r)[0];
    let falling = classify(&t, Some(&Vec3::new(0.0, 0.0, -9.8)), &r)[0];
    assert!(none > 0.2 && none < 0.8, "without acceleration {none}");
    assert!(falling > 0.95 && level < 0.1, "free fall {falling}, unaccelerated {level}");
}

#[test]
fn replies_outrank_kinematics_and_carry_their_confidence() {
    let r = IdentificationRules::default();
    let m5 = IffEvidence { mode5_replies: 3, interrogations: 3, ..Default::default() };
    let f = identify(&track(450.0, 8_000.0, 0.0), &m5, &r);
    assert_eq!(f.identity, Identity::Friend);
    assert!(f.confidence > 0.999, "{}", f.confidence);
    let airliner = identify(&track(230.0, 11_000.0, 0.0), &civil(0o2641), &r);
    assert_eq!(airliner.identity, Identity::Neutral);
    assert!(airliner.reason.contains("2641") && airliner.confidence > 0.95, "{airliner:?}");
    // A civil code on a sea-skimming missile profile stays neutral (doctrine) but flags itself.
    let odd = identify(&track(240.0, 30.0, 0.0), &civil(0o1200), &r);
    assert_eq!(odd.identity, Identity::Neutral);
    assert!(odd.confidence < airliner.confidence, "{} vs {}", odd.confidence, airliner.confidence);
    assert!(odd.reason.contains("unlike civil"), "{}", odd.reason);
    let hijack = identify(&track(230.0, 11_000.0, 0.0), &civil(0o7500), &r);
    assert!(hijack.reason.contains("7500"));
}

#[test]
fn mode_c_disagreement_lowers_civil_confidence() {
    let r = IdentificationRules::default();
    let t = track(230.0, 11_000.0, 0.0);
    let good = identify(&t, &IffEvidence { mode_c_altitude_m: Some(11_100.0), ..civil(0o3412) }, &r);
    let bad = identify(&t, &IffEvidence { mode_c_altitude_m: Some(3_000.0), ..civil(0o3412) }, &r);
    assert_eq!(bad.identity, Identity::Neutral);
    assert!(bad.affiliation.civil < good.affiliation.civil);
    assert!(bad.reason.contains("Mode C"));
}

fn airway() -> CivilRoute {
    CivilRoute {
        name: "UL602".into(),
        waypoints: vec![Vec3::new(-200_000.0, 0.0, 0.0), Vec3::new(200_000.0, 0.0, 0.0)],
        half_width_m: 9_260.0,
        min_altitude_m: 7_000.0,
        max_altitude_m: 13_000.0,
    }
}

#[test]
fn flight_plans_and_routes_are_civil_evidence() {
    let r = IdentificationRules::default();
    let t = track(230.0, 11_000.0, 0.0);
    let plan = FlightPlan { callsign: "LOT281".into(), squawk: Some(0o4521), mode_s_address: None, route: airway() };
    let airspace = Airspace { routes: vec![airway()], flight_plans: vec![plan], ..Default::default() };
    let id = identify_with(&t, None, &civil(0o4521), &r, &airspace);
    assert_eq!(id.identity, Identity::Neutral);
    assert!(id.reason.contains("LOT281"), "{}", id.reason);
    // Another code: no plan correlation, but the route conformance still counts.
    let other = identify_with(&t, None, &civil(0o1000), &r, &airspace);
    assert!(!other.reason.contains("LOT281") && other.reason.contains("UL602"));
    // A silent track on the airway is less likely hostile than one across it.
    let mut across = t.clone();
    across.velocity = Vec3::new(0.0, 230.0, 0.0);
    let on = identify_with(&t, None, &silent(1), &r, &airspace);
    let off = identify_with(&across, None, &silent(1), &r, &airspace);
    assert!(on.affiliation.civil > off.affiliation.civil && on.affiliation.hostile < off.affiliation.hostile);
}

#[test]
fn silence_counts_only_after_enough_interrogations() {
    let r = IdentificationRules::default();
    let cm = track(250.0, 40.0, 0.0);
    let early = identify(&cm, &silent(2), &r);
    assert_eq!(early.identity, Identity::Unknown);
    assert!(!early.no_reply);
    let late = identify(&cm, &silent(3), &r);
    assert_eq!((late.identity, late.class), (Identity::Hostile, TargetClass::CruiseMissile));
    assert!(late.no_reply && late.confidence > 0.99);
    assert_eq!(identify(&track(45.0, 500.0, 0.0), &silent(3), &r).identity, Identity::Suspect);
    assert_eq!(identify(&track(200.0, 10_000.0, 0.0), &silent(3), &r).identity, Identity::Suspect);
    assert_eq!(identify(&track(500.0, 10_000.0, 0.0), &silent(3), &r).identity, Identity::Hostile);
    let mut pending = cm.clone();
    pending.identity = Identity::Pending;
    assert_eq!(identify(&pending, &silent(1), &r).identity, Identity::Pending);
}

#[test]
fn ballistic_profile_is_hostile_without_iff() {
    let id = identify(&track(2_500.0, 40_000.0, -37.0), &silent(0), &IdentificationRules::default());
    assert_eq!((id.identity, id.class), (Identity::Hostile, TargetClass::BallisticMissile));
    assert!(id.class_confidence > 0.9 && id.engageable(RoeState::WeaponsTight));
}

#[test]
fn engageability_follows_the_rules_of_engagement() {
    let r = IdentificationRules::default();
    let hostile = identify(&track(250.0, 40.0, 0.0), &silent(3), &r);
    let suspect = identify(&track(200.0, 10_000.0, 0.0), &silent(3), &r);
    let unknown = identify(&track(200.0, 10_000.0, 0.0), &silent(1), &r);
    let mut unknown_silent = suspect.clone();
    unknown_silent.identity = Identity::Unknown;
    assert!(hostile.engageable(RoeState::WeaponsTight) && hostile.engageable(RoeState::WeaponsFree));
    assert!(!suspect.engageable(RoeState::WeaponsTight) && suspect.engageable(RoeState::WeaponsFree));
    assert!(!unknown.engageable(RoeState::WeaponsFree), "unknown that has not stayed silent");
    assert!(unknown_silent.engageable(RoeState::WeaponsFree) && !unknown_silent.engageable(RoeState::WeaponsTight));
    for id in [&hostile, &suspect, &unknown_silent] {
        assert!(!id.engageable(RoeState::WeaponsHold));
    }
}

#[test]
fn degenerate_kinematics_give_finite_answers() {
    let r = IdentificationRules::default();
    for t in [
        track(0.0, 0.0, 0.0),
        track(f64::NAN, 1000.0, 0.0),
        track(1e9, -1e9, 90.0),
        TrackView { altitude_m: f64::INFINITY, ..track(100.0, 0.0, 0.0) },
    ] {
        let id = identify(&t, &silent(5), &r);
        assert!(id.confidence.is_finite() && (0.0..=1.0).contains(&id.confidence), "{id:?}");
        assert!(id.class_posterior.iter().all(|p| p.is_finite()));
    }
}

fn arb_track() -> impl Strategy<Value = TrackView> {
    (0.0..8_000.0f64, -100.0..120_000.0f64, -89.0..89.0f64, -300e3..300e3f64, -300e3..300e3f64, 0.0..6.3f64).prop_map(
        |(speed, alt, gamma, x, y, heading)| {
            let mut t = track(speed, alt, gamma);
            t.position = Vec3::new(x, y, alt);
            let h = speed * gamma.to_radians().cos();
            t.velocity = Vec3::new(h * heading.sin(), h * heading.cos(), t.velocity.z);
            t
        },
    )
}

fn arb_iff() -> impl Strategy<Value = IffEvidence> {
    (0u32..10, 0u32..3, 0u32..4, proptest::option::of(0u16..0o7777), proptest::option::of(-1e3..2e4f64)).prop_map(
        |(silent_n, m5, civ, code, mode_c)| IffEvidence {
            interrogations: silent_n + m5 + civ,
            unanswered_in_a_row: silent_n,
            mode5_replies: m5,
            civil_replies: civ,
            last_civil_code: if civ > 0 { code } else { None },
            mode_s_address: None,
            mode_c_altitude_m: if civ > 0 { mode_c } else { None },
            ..Default::default()
        },
    )
}

proptest! {
    /// Friend and civil are never engageable, under any ROE, whatever the kinematics; any reply
    /// protects; engageability never exceeds what the ROE state permits.
    #[test]
    fn friend_and_civil_are_never_engageable(t in arb_track(), iff in arb_iff(), on_route in any::<bool>()) {
        let r = IdentificationRules::default();
        let airspace = if on_route { Airspace { routes: vec![airway()], ..Default::default() } } else { Airspace::default() };
        let id = identify_with(&t, None, &iff, &r, &airspace);
        prop_assert!((0.0..=1.0).contains(&id.confidence) && (0.0..=1.0).contains(&id.class_confidence));
        prop_assert!((id.class_posterior.iter().sum::<f64>() - 1.0).abs() < 1e-9);
        if iff.mode5_replies > 0 {
            prop_assert_eq!(id.identity, Identity::Friend);
        } else if iff.civil_replies > 0 {
            prop_assert_eq!(id.identity, Identity::Neutral);
        }
        for roe in [RoeState::WeaponsFree, RoeState::WeaponsTight, RoeState::WeaponsHold] {
            if id.identity.protected() {
                prop_assert!(!id.engageable(roe));
            }
            if id.engageable(roe) {
                prop_assert!(roe.permits(id.identity) || (id.identity == Identity::Unknown && id.no_reply));
            }
        }
        prop_assert!(!id.engageable(RoeState::WeaponsHold));
    }
}

/// Issue 18: a civil route protects a silent track unless positively contradicted — too fast
/// for civil traffic, or a missile's profile (a low airway band lets a cruise missile in).
#[test]
fn a_civil_route_protects_a_silent_track_unless_contradicted() {
    let r = IdentificationRules::default();
    let airspace = Airspace { routes: vec![airway()], ..Default::default() };
    let on = identify_with(&track(230.0, 11_000.0, 0.0), None, &silent(5), &r, &airspace);
    assert_eq!(on.identity, Identity::AssumedFriend, "{}", on.reason);
    assert!(on.reason.contains("UL602") && !on.engageable(RoeState::WeaponsFree));
    let fast = identify_with(&track(400.0, 11_000.0, 0.0), None, &silent(5), &r, &airspace);
    assert_eq!(fast.identity, Identity::Hostile, "faster than civil traffic: {}", fast.reason);
    let low = Airspace { routes: vec![CivilRoute { min_altitude_m: 0.0, ..airway() }], ..Default::default() };
    let cm = identify_with(&track(240.0, 40.0, 0.0), None, &silent(5), &r, &low);
    assert_eq!((cm.identity, cm.class), (Identity::Hostile, TargetClass::CruiseMissile), "{}", cm.reason);
}

/// With no interrogator the IFF term is absent (issue 18 item 2): a track is not "pending" for
/// ever but identified from kinematics and airspace, and its affiliation posterior is the
/// kinematic one marginalised over class, P(a | kin) ∝ Σ_c P(c | kin)·P(a | c) (Bayes' rule,
/// Duda, Hart & Stork 2001, §2.1; normalised, as the notional P(a | c) rows need not sum to 1
/// exactly), computed here from `classify` and the class models.
#[test]
fn without_an_interrogator_identification_proceeds_from_kinematics() {
    let r = IdentificationRules::default();
    let absent = IffEvidence { absent: true, ..Default::default() };
    for (what, t) in [
        ("fast jet", track(300.0, 7_000.0, 0.0)),
        ("airliner", track(230.0, 11_000.0, 0.0)),
        ("cruise missile", track(240.0, 30.0, 0.0)),
    ] {
        let id = identify(&t, &absent, &r);
        assert_ne!(id.identity, Identity::Pending, "{what}: pending without an interrogator: {id:?}");
        let pc = classify(&t, None, &r);
        let mut expected = [0.0; 3];
        for (c, m) in r.class_models.iter().enumerate() {
            for (e, p) in expected.iter_mut().zip(m.affiliation_prior) {
                *e += pc[c] * p;
            }
        }
        let z: f64 = expected.iter().sum();
        let expected = expected.map(|x| x / z);
        let got = [id.affiliation.friend, id.affiliation.civil, id.affiliation.hostile];
        for a in 0..3 {
            assert!((got[a] - expected[a]).abs() < 1e-9, "{what}: P(a{a}) {} vs {}", got[a], expected[a]);
        }
        assert!(!id.no_reply, "{what}: absence of an interrogator is not a silent track");
        assert!(id.reason.contains("no interrogator"), "{what}: {}", id.reason);
    }
    // The cruise-missile profile is hostile on kinematics alone; the same track interrogated
    // once (one unanswered interrogation is no evidence) is still pending.
    assert_eq!(identify(&track(240.0, 30.0, 0.0), &absent, &r).identity, Identity::Hostile);
    let once = IffEvidence { interrogations: 1, unanswered_in_a_row: 1, ..Default::default() };
    assert_eq!(
        identify(&TrackView { identity: Identity::Pending, ..track(240.0, 30.0, 0.0) }, &once, &r).identity,
        Identity::Pending
    );
}

/// A national secure reply (read with the unit's keys) identifies a friend like Mode 5.
#[test]
fn a_national_mode_reply_is_a_friend() {
    let r = IdentificationRules::default();
    let nat = IffEvidence { interrogations: 3, national_replies: 3, ..Default::default() };
    let f = identify(&track(450.0, 8_000.0, 0.0), &nat, &r);
    assert_eq!(f.identity, Identity::Friend);
    assert!(f.reason.contains("national-mode"), "{}", f.reason);
}
