//! Fire orders never exceed stock, launches per cycle, fire channels, guided-missile capacity or
//! salvo caps, never engage protected or unready tracks, and never fire from a launcher that is
//! not ready (property test over random pictures).
use bulwark_c2::assign::{Candidate, EngagementStatus, Picture, WeaponView, assign_weapons};
use bulwark_c2::engage::DEFAULT_MAX_LEAD_ANGLE_RAD;
use bulwark_c2::identify::{IdentificationRules, RoeState, kinematic_class};
use bulwark_c2::threat::{DefendedAsset, assess};
use bulwark_c2::{Doctrine, Flyout, InterceptorEnvelope, TrackView};
use bulwark_core::{Identity, LauncherId, SimTime, TrackId, Vec3};
use proptest::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

fn envs() -> Vec<InterceptorEnvelope> {
    let e = |id: &str, max: f64, speed: f64, rank| InterceptorEnvelope {
        type_id: id.into(),
        min_range_m: 1_000.0,
        max_range_m: max,
        min_altitude_m: 5.0,
        max_altitude_m: 30_000.0,
        max_target_speed_mps: 4_800.0,
        max_flight_time_s: 300.0,
        max_lead_angle_rad: DEFAULT_MAX_LEAD_ANGLE_RAD,
        max_offset_m: None,
        single_shot_pk: 0.85,
        flyout: Flyout::ConstantSpeed(speed),
        rank,
    };
    vec![e("s", 40_000.0, 900.0, 0), e("m", 120_000.0, 1_200.0, 1), e("l", 250_000.0, 1_500.0, 2)]
}

/// x, y, z, speed, heading offset, identity, track state, engagement state.
type RawTrack = (f64, f64, f64, f64, f64, u8, u8, u8);
/// x, y, stock of the three types, ready.
type RawLauncher = (f64, f64, u8, u8, u8, bool);

#[derive(Debug, Clone)]
struct Raw {
    tracks: Vec<RawTrack>,
    launchers: Vec<RawLauncher>,
    channels: u32,
    guided: u32,
    in_use: u32,
    in_flight: u32,
    per_cycle: u32,
}

fn raw() -> impl Strategy<Value = Raw> {
    let track =
        (-150e3..150e3f64, -150e3..150e3f64, 10.0..25e3f64, 50.0..1_500.0f64, -1.0..1.0f64, 0u8..6, 0u8..4, 0u8..3);
    let launcher = (-20e3..20e3f64, -20e3..20e3f64, 0u8..4, 0u8..4, 0u8..4, any::<bool>());
    (
        prop::collection::vec(track, 0..14),
        prop::collection::vec(launcher, 1..6),
        0u32..10,
        0u32..16,
        0u32..3,
        0u32..4,
        1u32..4,
    )
        .prop_map(|(tracks, launchers, channels, guided, in_use, in_flight, per_cycle)| Raw {
            tracks,
            launchers,
            channels,
            guided,
            in_use,
            in_flight,
            per_cycle,
        })
}

/// Checks one random picture; returns (orders, whether a shared limit — channels or guided
/// missiles — was used up), so the test can show the property is not vacuous.
fn check(r: Raw) -> Result<(usize, bool), TestCaseError> {
    {
        let now = SimTime::from_nanos(100_000_000_000);
        let views: Vec<TrackView> = r
            .tracks
            .iter()
            .enumerate()
            .map(|(k, t)| {
                let (x, y, z, speed, heading, ident, state, status) = *t;
                let identity = [
                    Identity::Hostile,
                    Identity::Hostile,
                    Identity::Suspect,
                    Identity::Unknown,
                    Identity::Neutral,
                    Identity::Friend,
                ][ident as usize];
                TrackView {
                    id: TrackId(k as u64 + 1),
                    position: Vec3::new(x, y, z),
                    velocity: Vec3::new(
                        speed * heading.sin(),
                        speed * heading.cos(),
                        if status == 2 { -speed * 0.3 } else { 0.0 },
                    ),
                    altitude_m: z,
                    climb_rate_mps: if status == 2 { -speed * 0.3 } else { 0.0 },
                    confirmed: state != 3,
                    coasting: state == 2,
                    identity,
                    hostile_since: Some(SimTime::ZERO),
                }
            })
            .collect();
        let assets = [DefendedAsset { name: "a".into(), position: Vec3::zeros(), radius_m: 5_000.0 }];
        let status = |t: &TrackView| -> EngagementStatus {
            match t.id.0 % 5 {
                0 => EngagementStatus { in_flight: 1, fired: 1, last_end: None },
                1 => EngagementStatus { in_flight: 0, fired: 2, last_end: Some(SimTime::from_nanos(98_000_000_000)) },
                _ => EngagementStatus::default(),
            }
        };
        let protected: Vec<&TrackView> = views.iter().filter(|v| v.identity.protected()).collect();
        let picture = Picture {
            now,
            roe: RoeState::WeaponsFree,
            candidates: views
                .iter()
                .filter(|v| !v.identity.protected())
                .map(|v| Candidate { track: v, assessment: assess(v, &assets, 5_000.0), engagement: status(v) })
                .collect(),
            protected,
            channels_in_use: r.in_use,
            missiles_in_flight: r.in_flight,
        };
        let mut weapons: Vec<WeaponView> = r
            .launchers
            .iter()
            .enumerate()
            .map(|(k, l)| WeaponView {
                launcher: LauncherId(k as u32 + 1),
                position: Vec3::new(l.0, l.1, 0.0),
                altitude_m: 0.0,
                stock: BTreeMap::from([
                    ("s".into(), u32::from(l.2)),
                    ("m".into(), u32::from(l.3)),
                    ("l".into(), u32::from(l.4)),
                ]),
                ready_at: if l.5 { SimTime::ZERO } else { SimTime::from_nanos(101_000_000_000) },
            })
            .collect();
        let before = weapons.clone();
        let doctrine = Doctrine {
            fire_channels: r.channels,
            max_guided_missiles: r.guided,
            launches_per_cycle: r.per_cycle,
            ..Doctrine::default()
        };
        let rules = IdentificationRules::default();
        let orders = assign_weapons(&picture, &mut weapons, &envs(), &doctrine, &rules);
        let mut per_stock: BTreeMap<(LauncherId, String), u32> = BTreeMap::new();
        let mut per_launcher: BTreeMap<LauncherId, u32> = BTreeMap::new();
        let mut per_track: BTreeMap<TrackId, u32> = BTreeMap::new();
        for o in &orders {
            prop_assert!(o.count > 0);
            *per_stock.entry((o.launcher, o.interceptor_type.clone())).or_default() += o.count;
            *per_launcher.entry(o.launcher).or_default() += o.count;
            *per_track.entry(o.track).or_default() += o.count;
            prop_assert!(o.kill_probability > 0.0 && o.kill_probability <= 1.0);
        }
        for ((l, ty), n) in &per_stock {
            let w = &before[(l.0 - 1) as usize];
            prop_assert!(*n <= w.stock[ty], "stock: {n} > {}", w.stock[ty]);
            prop_assert_eq!(weapons[(l.0 - 1) as usize].stock[ty], w.stock[ty] - n);
        }
        for (l, n) in &per_launcher {
            let w = &before[(l.0 - 1) as usize];
            prop_assert!(w.ready_at <= now, "fired from an unready launcher");
            prop_assert!(*n <= r.per_cycle);
        }
        let engaged: BTreeSet<TrackId> = per_track.keys().copied().collect();
        prop_assert!(engaged.len() as u32 <= r.channels.saturating_sub(r.in_use), "channels");
        prop_assert!(per_track.values().sum::<u32>() <= r.guided.saturating_sub(r.in_flight), "guided");
        for (id, n) in &per_track {
            let v = views.iter().find(|v| v.id == *id).unwrap();
            prop_assert!(!v.identity.protected() && v.identity != Identity::Unknown, "engaged {:?}", v.identity);
            prop_assert!(v.confirmed && !v.coasting);
            let s = status(v);
            prop_assert!(s.in_flight == 0 && s.last_end.is_none());
            let cap = doctrine.policy_for(kinematic_class(v, &rules)).shots();
            prop_assert!(*n <= cap.min(doctrine.max_per_target - s.fired), "salvo cap");
        }
        let bound = !orders.is_empty()
            && (engaged.len() as u32 == r.channels.saturating_sub(r.in_use)
                || per_track.values().sum::<u32>() == r.guided.saturating_sub(r.in_flight));
        Ok((orders.len(), bound))
    }
}

#[test]
fn orders_respect_every_limit() {
    use proptest::test_runner::{Config, TestRunner};
    use std::cell::Cell;
    let mut runner = TestRunner::new(Config { cases: 1_000, ..Config::default() });
    let (orders, bound) = (Cell::new(0usize), Cell::new(0usize));
    runner
        .run(&raw(), |r| {
            let (n, b) = check(r)?;
            orders.set(orders.get() + n);
            bound.set(bound.get() + usize::from(b));
            Ok(())
        })
        .unwrap();
    println!("{} orders; {} pictures used up channels or guided missiles", orders.get(), bound.get());
    assert!(orders.get() > 100, "the random pictures must produce fire orders");
    assert!(bound.get() > 20, "and must often use up a shared limit");
}
