//! Threat evaluation: ballistic impact footprints and the ranked threat list.
use bulwark_c2::identify::{IdentificationRules, IffEvidence, identify};
use bulwark_c2::impact::{Gravity, ImpactParams, StateSigma};
use bulwark_c2::threat::{DefendedAsset, ThreatInput, ThreatParams, assess, capability, intent, rank_threats};
use bulwark_c2::{Identification, TargetClass, TrackView};
use bulwark_core::{Identity, TrackId, Vec3};

const G: f64 = 9.806_65;

fn tv(id: u64, pos: Vec3, vel: Vec3) -> TrackView {
    TrackView {
        id: TrackId(id),
        position: pos,
        velocity: vel,
        altitude_m: pos.z,
        climb_rate_mps: vel.z,
        confirmed: true,
        coasting: false,
        identity: Identity::Unknown,
        hostile_since: None,
    }
}

fn silent() -> IffEvidence {
    IffEvidence { interrogations: 5, unanswered_in_a_row: 5, ..Default::default() }
}

fn assets() -> Vec<DefendedAsset> {
    vec![
        DefendedAsset { name: "airbase".into(), position: Vec3::zeros(), radius_m: 2_000.0 },
        DefendedAsset { name: "port".into(), position: Vec3::new(0.0, 60_000.0, 0.0), radius_m: 2_000.0 },
    ]
}

/// Flat-earth vacuum propagation, so that impact points follow from the closed form
/// x = x₀ + v_x·T, T = (v_z + √(v_z² + 2g·z₀))/g (projectile motion; any mechanics text).
fn flat_params() -> ThreatParams {
    ThreatParams {
        impact: ImpactParams { gravity: Gravity::Uniform { g_mps2: G }, step_s: 0.1, ..Default::default() },
        default_sigma: StateSigma { position_m: 50.0, velocity_mps: 2.0 },
        ..Default::default()
    }
}

/// A re-entry vehicle at 30 km descending at 45° with 2 km/s whose closed-form impact point is
/// `target` + `offset`.
fn rv_aimed_at(id: u64, target: Vec3, offset: Vec3) -> TrackView {
    let (vx, vz, z0) = (-1_414.213_562, -1_414.213_562, 30_000.0);
    let t = (vz + (vz * vz + 2.0 * G * z0).sqrt()) / G;
    let x0 = target.x + offset.x - vx * t;
    tv(id, Vec3::new(x0, target.y + offset.y, z0), Vec3::new(vx, 0.0, vz))
}

fn ranked_ids(r: &[bulwark_c2::RankedThreat]) -> Vec<u64> {
    r.iter().map(|t| t.track.0).collect()
}

#[test]
fn a_ballistic_track_threatens_only_the_asset_its_impact_falls_on() {
    let rules = IdentificationRules::default();
    let a = assets();
    let on_port = rv_aimed_at(1, a[1].position, Vec3::new(500.0, 0.0, 0.0));
    let wide = rv_aimed_at(2, a[1].position, Vec3::new(0.0, 15_000.0, 0.0));
    let (i1, i2) = (identify(&on_port, &silent(), &rules), identify(&wide, &silent(), &rules));
    assert_eq!((i1.class, i1.identity), (TargetClass::BallisticMissile, Identity::Hostile));
    let inputs = [
        ThreatInput { track: &on_port, identification: &i1, covariance: None },
        ThreatInput { track: &wide, identification: &i2, covariance: None },
    ];
    let r = rank_threats(&inputs, &a, &flat_params());
    assert_eq!(ranked_ids(&r), vec![1, 2]);
    let hit = &r[0];
    assert_eq!(hit.impact_in_footprint, Some(true));
    assert_eq!(hit.asset_name.as_deref(), Some("port"));
    let p = hit.impact.unwrap();
    assert!((p.impact.position - (a[1].position + Vec3::new(500.0, 0.0, 0.0))).norm() < 1e-3, "{p:?}");
    assert!((hit.assessment.d_cpa_m - 500.0).abs() < 1e-3);
    assert!(hit.reasons.iter().any(|s| s.contains("inside footprint")), "{:?}", hit.reasons);
    let miss = &r[1];
    assert_eq!(miss.impact_in_footprint, Some(false));
    assert!(!miss.assessment.threatening && miss.reasons.iter().any(|s| s.contains("outside footprint")));
    // The straight-line CPA would have called the wide one threatening: its line of flight
    // passes over the port within the 5 km margin. The impact point is what counts.
    let straight = assess(&rv_aimed_at(3, a[1].position, Vec3::new(0.0, 4_000.0, 0.0)), &a, 5_000.0);
    assert!(straight.threatening);
}

#[test]
fn a_wider_footprint_takes_in_a_near_miss() {
    let rules = IdentificationRules::default();
    let a = assets();
    let near = rv_aimed_at(1, a[0].position, Vec3::new(2_600.0, 0.0, 0.0));
    let id = identify(&near, &silent(), &rules);
    let tight =
        rank_threats(&[ThreatInput { track: &near, identification: &id, covariance: None }], &a, &flat_params());
    assert_eq!(tight[0].impact_in_footprint, Some(false), "{:?}", tight[0].reasons);
    // A covariance with 100 m/s velocity error: σ of a few km at impact.
    let mut cov = [[0.0; 6]; 6];
    for (i, row) in cov.iter_mut().enumerate() {
        row[i] = if i < 3 { 100.0 } else { 1e4 };
    }
    let wide =
        rank_threats(&[ThreatInput { track: &near, identification: &id, covariance: Some(&cov) }], &a, &flat_params());
    assert_eq!(wide[0].impact_in_footprint, Some(true), "{:?}", wide[0].reasons);
    assert!(wide[0].impact.unwrap().footprint.semi_major_m > 600.0);
}

#[test]
fn the_list_is_ranked_by_value_with_readable_reasons() {
    let rules = IdentificationRules::default();
    let a = assets();
    let rv = rv_aimed_at(10, a[0].position, Vec3::zeros());
    let cm = tv(11, Vec3::new(30_000.0, 0.0, 40.0), Vec3::new(-240.0, 0.0, 0.0)); // 125 s out
    let uav = tv(12, Vec3::new(0.0, 90_000.0, 600.0), Vec3::new(0.0, -45.0, 0.0)); // 667 s to the port
    let jet = tv(13, Vec3::new(100_000.0, 0.0, 8_000.0), Vec3::new(0.0, 450.0, 0.0)); // passing
    let airliner = tv(14, Vec3::new(20_000.0, 0.0, 11_000.0), Vec3::new(-230.0, 0.0, 0.0));
    let civil =
        IffEvidence { interrogations: 5, civil_replies: 5, last_civil_code: Some(0o2641), ..Default::default() };
    let ids: Vec<Identification> = [&rv, &cm, &uav, &jet]
        .iter()
        .map(|t| identify(t, &silent(), &rules))
        .chain(std::iter::once(identify(&airliner, &civil, &rules)))
        .collect();
    let tracks = [&rv, &cm, &uav, &jet, &airliner];
    let inputs: Vec<ThreatInput<'_>> =
        tracks.iter().zip(&ids).map(|(t, i)| ThreatInput { track: t, identification: i, covariance: None }).collect();
    let params = flat_params();
    let r = rank_threats(&inputs, &a, &params);
    // The airliner is protected and left out; the threatening three come first, most urgent first.
    assert_eq!(ranked_ids(&r), vec![10, 11, 12, 13]);
    assert_eq!(r.iter().map(|t| t.rank).collect::<Vec<_>>(), vec![1, 2, 3, 4]);
    assert!(r[0].score > r[1].score && r[1].score > r[2].score);
    assert!(!r[3].assessment.threatening && r[3].reasons.iter().any(|s| s.contains("not threatened")));
    let cm_r = &r[1];
    assert_eq!(
        (cm_r.class, cm_r.identity, cm_r.asset_name.as_deref()),
        (TargetClass::CruiseMissile, Identity::Hostile, Some("airbase"))
    );
    let text = cm_r.reasons.join("; ");
    for needle in ["cruise missile", "threatens airbase", "CPA 40 m in 125 s", "hostile (confidence"] {
        assert!(text.contains(needle), "{needle:?} missing in {text}");
    }
    // The score is the documented value function (CPA 40 m: the track flies 40 m up).
    let id = &ids[1];
    let intent_v = intent(id.identity) * (0.5 + 0.5 * id.confidence);
    let t_go = 30_000.0 / 240.0;
    let v = intent_v
        * (params.w_capability * capability(TargetClass::CruiseMissile)
            + params.w_time * (-t_go / params.time_scale_s).exp()
            + params.w_miss * (1.0 - 40.0 / (2_000.0 + params.margin_m)))
        / (params.w_capability + params.w_time + params.w_miss);
    assert!((cm_r.score - v).abs() < 1e-9, "{} vs {v}", cm_r.score);
    assert!((cm_r.assessment.time_to_go_s() - t_go).abs() < 1e-9);
}

#[test]
fn ties_are_broken_by_track_id_whatever_the_input_order() {
    let rules = IdentificationRules::default();
    let a = assets();
    let tracks: Vec<TrackView> =
        [7u64, 3, 9, 1].iter().map(|&k| tv(k, Vec3::new(30_000.0, 0.0, 40.0), Vec3::new(-240.0, 0.0, 0.0))).collect();
    let ids: Vec<Identification> = tracks.iter().map(|t| identify(t, &silent(), &rules)).collect();
    let mut inputs: Vec<ThreatInput<'_>> =
        tracks.iter().zip(&ids).map(|(t, i)| ThreatInput { track: t, identification: i, covariance: None }).collect();
    let first = rank_threats(&inputs, &a, &ThreatParams::default());
    assert_eq!(ranked_ids(&first), vec![1, 3, 7, 9]);
    inputs.reverse();
    assert_eq!(rank_threats(&inputs, &a, &ThreatParams::default()), first);
}

#[test]
fn asset_values_weight_the_score_and_edge_cases_are_finite() {
    let rules = IdentificationRules::default();
    let a = assets();
    let to_base = tv(1, Vec3::new(30_000.0, 0.0, 40.0), Vec3::new(-240.0, 0.0, 0.0));
    let to_port = tv(2, Vec3::new(30_000.0, 60_000.0, 40.0), Vec3::new(-240.0, 0.0, 0.0));
    let ids = [identify(&to_base, &silent(), &rules), identify(&to_port, &silent(), &rules)];
    let inputs = [
        ThreatInput { track: &to_base, identification: &ids[0], covariance: None },
        ThreatInput { track: &to_port, identification: &ids[1], covariance: None },
    ];
    let params = ThreatParams { asset_values: vec![0.2, 1.0], ..Default::default() };
    let r = rank_threats(&inputs, &a, &params);
    assert_eq!(ranked_ids(&r), vec![2, 1], "the port is worth more");
    assert!((r[1].score / r[0].score - 0.2).abs() < 1e-9);
    // No assets: nothing is threatened, scores are zero, nothing is NaN.
    let none = rank_threats(&inputs, &[], &params);
    assert!(none.iter().all(|t| t.score == 0.0 && !t.assessment.threatening));
    assert!(rank_threats(&[], &a, &params).is_empty());
    // A ballistic track that never comes down (orbital speed) falls back to the straight line.
    let orbit = tv(3, Vec3::new(0.0, 0.0, 400e3), Vec3::new(7_670.0, 0.0, -1_500.0));
    let mut id = identify(&orbit, &silent(), &rules);
    id.class = TargetClass::BallisticMissile;
    id.class_posterior = [1.0, 0.0, 0.0, 0.0, 0.0];
    let p = ThreatParams { impact: ImpactParams { max_time_s: 60.0, ..Default::default() }, ..Default::default() };
    let r = rank_threats(&[ThreatInput { track: &orbit, identification: &id, covariance: None }], &a, &p);
    assert!(r[0].impact.is_none() && r[0].reasons.iter().any(|s| s.contains("no impact prediction")));
    assert!(r[0].score.is_finite());
}
