//! Doctrine through the fire distribution: hold fire near protected tracks, shoot–look–shoot
//! with the kill-assessment delay, salvos, the per-target limit and layered zones.
use bulwark_c2::assign::{Candidate, EngagementStatus, FireOrder, Picture, WeaponView, assign_weapons};
use bulwark_c2::engage::DEFAULT_MAX_LEAD_ANGLE_RAD;
use bulwark_c2::identify::{IdentificationRules, RoeState};
use bulwark_c2::threat::{DefendedAsset, assess};
use bulwark_c2::{Doctrine, FirePolicy, Flyout, InterceptorEnvelope, LayerZone, TrackView, default_zones};
use bulwark_core::{Identity, LauncherId, SimTime, TrackId, Vec3};
use std::collections::BTreeMap;

fn secs(s: f64) -> SimTime {
    SimTime::from_nanos((s * 1e9) as i64)
}

fn hostile(id: u64, pos: Vec3, vel: Vec3) -> TrackView {
    TrackView {
        id: TrackId(id),
        position: pos,
        velocity: vel,
        altitude_m: pos.z,
        climb_rate_mps: vel.z,
        confirmed: true,
        coasting: false,
        identity: Identity::Hostile,
        hostile_since: Some(SimTime::ZERO),
    }
}

fn env(id: &str, min: f64, max: f64, pk: f64, rank: u32) -> InterceptorEnvelope {
    InterceptorEnvelope {
        type_id: id.into(),
        min_range_m: min,
        max_range_m: max,
        min_altitude_m: 5.0,
        max_altitude_m: 30_000.0,
        max_target_speed_mps: 4_800.0,
        max_flight_time_s: 300.0,
        max_lead_angle_rad: DEFAULT_MAX_LEAD_ANGLE_RAD,
        max_offset_m: None,
        single_shot_pk: pk,
        flyout: Flyout::ConstantSpeed(1_200.0),
        rank,
    }
}

fn launcher(id: u32, stock: &[(&str, u32)]) -> WeaponView {
    WeaponView {
        launcher: LauncherId(id),
        position: Vec3::zeros(),
        altitude_m: 0.0,
        stock: stock.iter().map(|(k, n)| (k.to_string(), *n)).collect(),
        ready_at: SimTime::ZERO,
    }
}

struct Cycle<'a> {
    now: SimTime,
    tracks: &'a [TrackView],
    protected: Vec<&'a TrackView>,
    status: BTreeMap<TrackId, EngagementStatus>,
}

fn decide(c: &Cycle<'_>, weapons: &mut [WeaponView], envs: &[InterceptorEnvelope], d: &Doctrine) -> Vec<FireOrder> {
    let assets = [DefendedAsset { name: "a".into(), position: Vec3::zeros(), radius_m: 2_000.0 }];
    let picture = Picture {
        now: c.now,
        roe: RoeState::WeaponsFree,
        candidates: c
            .tracks
            .iter()
            .map(|t| Candidate {
                track: t,
                assessment: assess(t, &assets, 5_000.0),
                engagement: c.status.get(&t.id).copied().unwrap_or_default(),
            })
            .collect(),
        protected: c.protected.clone(),
        channels_in_use: c.status.values().filter(|s| s.in_flight > 0).count() as u32,
        missiles_in_flight: c.status.values().map(|s| s.in_flight).sum(),
    };
    assign_weapons(&picture, weapons, envs, d, &IdentificationRules::default())
}

#[test]
fn a_civil_track_near_the_pip_holds_fire() {
    // Bomber-like track at 80 km, 9 km, inbound at 250 m/s; interceptor 1.2 km/s from the origin:
    // PIP ≈ 80 000 − 250·t = 1 200·t → t ≈ 55.2 s, PIP at ≈ 66.2 km.
    let t = hostile(1, Vec3::new(80_000.0, 0.0, 9_000.0), Vec3::new(-250.0, 0.0, 0.0));
    let envs = [env("long", 3_000.0, 200_000.0, 0.9, 0)];
    let d = Doctrine::default();
    let tracks = [t.clone()];
    let clear = Cycle { now: secs(60.0), tracks: &tracks, protected: vec![], status: BTreeMap::new() };
    assert_eq!(decide(&clear, &mut [launcher(1, &[("long", 4)])], &envs, &d).len(), 1, "fires when clear");
    // An airliner now 30 km from the PIP but flying through it when the interceptor arrives.
    let mut airliner = hostile(9, Vec3::new(66_000.0, -12_000.0, 9_500.0), Vec3::new(0.0, 220.0, 0.0));
    airliner.identity = Identity::Neutral;
    let held = Cycle { protected: vec![&airliner], ..clear };
    let mut w = [launcher(1, &[("long", 4)])];
    assert!(decide(&held, &mut w, &envs, &d).is_empty(), "hold fire: civil track at the PIP at intercept time");
    assert_eq!(w[0].stock["long"], 4);
    // The same airliner far away: fire.
    let mut far = airliner.clone();
    far.position = Vec3::new(-100_000.0, 0.0, 10_000.0);
    let ok = Cycle { protected: vec![&far], ..held };
    assert_eq!(decide(&ok, &mut [launcher(1, &[("long", 4)])], &envs, &d).len(), 1);
}

#[test]
fn shoot_look_shoot_fires_one_then_waits_for_the_kill_assessment() {
    // A fast jet (300 m/s at 6 km): shoot–look–shoot by default.
    let t = hostile(1, Vec3::new(90_000.0, 0.0, 6_000.0), Vec3::new(-400.0, 0.0, 0.0));
    let tracks = [t];
    let envs = [env("long", 3_000.0, 200_000.0, 0.8, 0)];
    let d = Doctrine { kill_assessment_s: 5.0, ..Doctrine::default() };
    assert_eq!(d.policy[&bulwark_c2::identify::KinematicClass::FastJet], FirePolicy::ShootLookShoot);
    let mut w = [launcher(1, &[("long", 8)]), launcher(2, &[("long", 8)])];
    let mut status = BTreeMap::new();
    let cyc = |now: f64, status: &BTreeMap<TrackId, EngagementStatus>, w: &mut [WeaponView]| {
        let c = Cycle { now: secs(now), tracks: &tracks, protected: vec![], status: status.clone() };
        decide(&c, w, &envs, &d)
    };
    let first = cyc(10.0, &status, &mut w);
    assert_eq!(first.iter().map(|o| o.count).sum::<u32>(), 1, "one shot, though two launchers and stock allow more");
    status.insert(TrackId(1), EngagementStatus { in_flight: 1, fired: 1, last_end: None });
    assert!(cyc(20.0, &status, &mut w).is_empty(), "look: nothing while the first is in flight");
    // The interceptor ended at 60 s (missed): wait 5 s of kill assessment.
    status.insert(TrackId(1), EngagementStatus { in_flight: 0, fired: 1, last_end: Some(secs(60.0)) });
    assert!(cyc(61.0, &status, &mut w).is_empty());
    assert!(cyc(64.9, &status, &mut w).is_empty());
    let again = cyc(65.0, &status, &mut w);
    assert_eq!(again.iter().map(|o| o.count).sum::<u32>(), 1, "shoot again at a survivor");
    // The per-target limit ends re-engagements.
    status.insert(TrackId(1), EngagementStatus { in_flight: 0, fired: d.max_per_target, last_end: Some(secs(0.0)) });
    assert!(cyc(100.0, &status, &mut w).is_empty());
}

#[test]
fn a_salvo_fires_n_at_once_capped_by_the_per_target_limit() {
    // A low-level fast track (cruise missile): salvo of two by default.
    let t = hostile(1, Vec3::new(30_000.0, 0.0, 50.0), Vec3::new(-250.0, 0.0, 0.0));
    let tracks = [t];
    let envs = [env("long", 3_000.0, 200_000.0, 0.8, 0)];
    let mut d = Doctrine::default();
    d.policy.insert(bulwark_c2::identify::KinematicClass::LowLevelFast, FirePolicy::Salvo(3));
    let c = Cycle { now: secs(10.0), tracks: &tracks, protected: vec![], status: BTreeMap::new() };
    let orders = decide(&c, &mut [launcher(1, &[("long", 8)]), launcher(2, &[("long", 8)])], &envs, &d);
    assert_eq!(orders.iter().map(|o| o.count).sum::<u32>(), 3);
    let mut status = BTreeMap::new();
    status.insert(
        TrackId(1),
        EngagementStatus { in_flight: 0, fired: d.max_per_target - 1, last_end: Some(SimTime::ZERO) },
    );
    let c = Cycle { status, ..c };
    let orders = decide(&c, &mut [launcher(1, &[("long", 8)]), launcher(2, &[("long", 8)])], &envs, &d);
    assert_eq!(orders.iter().map(|o| o.count).sum::<u32>(), 1, "one short of the per-target limit");
}

#[test]
fn layered_zones_pick_the_short_range_type_inside_its_band() {
    // The long-range type even has the better single-shot Pk; inside the short band the short
    // type is chosen, beyond it the long one.
    let envs = [env("short", 1_000.0, 40_000.0, 0.8, 0), env("long", 3_000.0, 250_000.0, 0.9, 1)];
    let zones = default_zones(envs.iter().map(|e| (e.type_id.as_str(), e.min_range_m, e.max_range_m)));
    assert_eq!(
        zones,
        vec![
            LayerZone { type_id: "short".into(), min_range_m: 1_000.0, max_range_m: 40_000.0 },
            LayerZone { type_id: "long".into(), min_range_m: 40_000.0, max_range_m: 250_000.0 },
        ]
    );
    let d = Doctrine { zones, ..Doctrine::default() };
    let stock = [("short", 4), ("long", 4)];
    // Aircraft profile (one shot) at 25 km → PIP ≈ 23 km: in the short band.
    let near = [hostile(1, Vec3::new(25_000.0, 0.0, 3_000.0), Vec3::new(-100.0, 0.0, 0.0))];
    let c = Cycle { now: secs(10.0), tracks: &near, protected: vec![], status: BTreeMap::new() };
    let o = decide(&c, &mut [launcher(1, &stock)], &envs, &d);
    assert_eq!(o.len(), 1);
    assert_eq!(o[0].interceptor_type, "short");
    assert!(o[0].intercept_point.norm() < 40_000.0);
    // Without zones the better Pk (long) wins: the zones, not the solver, made the choice.
    let o = decide(&c, &mut [launcher(1, &stock)], &envs, &Doctrine::default());
    assert_eq!(o[0].interceptor_type, "long");
    // At 100 km: the long band.
    let far = [hostile(2, Vec3::new(100_000.0, 0.0, 3_000.0), Vec3::new(-100.0, 0.0, 0.0))];
    let c = Cycle { tracks: &far, ..c };
    assert_eq!(decide(&c, &mut [launcher(1, &stock)], &envs, &d)[0].interceptor_type, "long");
    // Inside the short band with no short missiles left: fall back to the long type,
    // unless the zones are strict.
    let c = Cycle { tracks: &near, ..c };
    let o = decide(&c, &mut [launcher(1, &[("long", 4)])], &envs, &d);
    assert_eq!(o[0].interceptor_type, "long");
    let strict = Doctrine { zones_strict: true, ..d };
    assert!(decide(&c, &mut [launcher(1, &[("long", 4)])], &envs, &strict).is_empty());
}
