//! Engageability and fire distribution.
//!
//! Engageability: the predicted intercept point (PIP) of a constant-velocity target
//! and an interceptor of constant average speed s from launcher w solves
//! |d + v·t| = s·t with d = p − w, i.e. (v·v − s²)t² + 2(d·v)t + d·d = 0 (the
//! collision-triangle solution; Zarchan, *Tactical and Strategic Missile Guidance*,
//! 6th ed., ch. 2). The target is engageable by an interceptor type when the PIP lies
//! inside its envelope (range, altitude, target speed, flight time).
//!
//! Fire distribution (first version): threats in order of urgency; for each, the
//! feasible (launcher, interceptor type) with the lowest layer rank — the cheapest
//! interceptor that can do the job — and then the earliest intercept. A greedy
//! assignment; issue 5 replaces it with an exact/heuristic weapon–target assignment.
use crate::TrackView;
use crate::identify::{IdentificationRules, KinematicClass, RoeState, kinematic_class};
use crate::threat::ThreatAssessment;
use bulwark_core::{LauncherId, SimDuration, SimTime, TrackId, Vec3};
use std::collections::BTreeMap;

/// The launch envelope of one interceptor type, as the command post plans with it.
#[derive(Clone, Debug, PartialEq)]
pub struct InterceptorEnvelope {
    pub type_id: String,
    pub min_range_m: f64,
    pub max_range_m: f64,
    pub min_altitude_m: f64,
    pub max_altitude_m: f64,
    pub max_target_speed_mps: f64,
    /// Mean speed over a typical fly-out, for intercept planning (m/s).
    pub average_speed_mps: f64,
    pub max_flight_time_s: f64,
    /// Layer order: lower is preferred when several types can engage (cheaper, shorter range).
    pub rank: u32,
}

/// One launcher as the command post sees it.
#[derive(Clone, Debug, PartialEq)]
pub struct WeaponView {
    pub launcher: LauncherId,
    /// Position in the scenario ENU frame (m).
    pub position: Vec3,
    /// Missiles on the launcher, by interceptor type.
    pub stock: BTreeMap<String, u32>,
    /// Earliest time the launcher can fire again.
    pub ready_at: SimTime,
}

/// What is already flying at a track.
#[derive(Copy, Clone, Debug, Default, PartialEq)]
pub struct EngagementStatus {
    pub in_flight: u32,
    /// When the last interceptor at this track ended (for kill assessment).
    pub last_end: Option<SimTime>,
}

/// Fire doctrine of a command post.
#[derive(Clone, Debug, PartialEq)]
pub struct Doctrine {
    /// Interceptors per engagement by the track's flight profile.
    pub salvo: BTreeMap<KinematicClass, u32>,
    /// Detection-to-launch reaction time (s): a track must have been engageable this long.
    pub reaction_time_s: f64,
    /// Wait after the last interceptor ends before re-engaging a survivor (s).
    pub kill_assessment_s: f64,
    /// Tracks the engagement radars can guide on at once.
    pub fire_channels: u32,
    /// Interceptors that can be guided at once.
    pub max_guided_missiles: u32,
    /// Minimum interval between two launches from one launcher (s).
    pub launch_interval_s: f64,
    /// Hold fire if a protected (friend/neutral) track is within this distance of the PIP (m).
    pub protected_clearance_m: f64,
}

impl Default for Doctrine {
    /// Two interceptors per missile target (the "36 targets with 72 missiles" of public
    /// S-400 reporting), shoot-look-shoot with one against aircraft.
    fn default() -> Self {
        Doctrine {
            salvo: BTreeMap::from([
                (KinematicClass::Ballistic, 2),
                (KinematicClass::LowLevelFast, 2),
                (KinematicClass::FastJet, 1),
                (KinematicClass::Aircraft, 1),
            ]),
            reaction_time_s: 9.0,
            kill_assessment_s: 5.0,
            fire_channels: 36,
            max_guided_missiles: 72,
            launch_interval_s: 3.0,
            protected_clearance_m: 10_000.0,
        }
    }
}

/// An order to fire.
#[derive(Clone, Debug, PartialEq)]
pub struct FireOrder {
    pub track: TrackId,
    pub launcher: LauncherId,
    pub interceptor_type: String,
    pub count: u32,
    /// Predicted intercept point in the ENU frame (m).
    pub intercept_point: Vec3,
    /// Planned fly-out time to the PIP (s).
    pub time_of_flight_s: f64,
    /// The track's time to go to the asset it threatens (s; infinite if none).
    pub time_to_go_s: f64,
}

pub use bulwark_core::kinematics::intercept_time;

/// Where and when an interceptor of `env` fired from `launcher_pos` now would meet the
/// track, if inside the envelope: (PIP, fly-out time).
pub fn engageable(track: &TrackView, launcher_pos: &Vec3, env: &InterceptorEnvelope) -> Option<(Vec3, f64)> {
    if track.speed() > env.max_target_speed_mps {
        return None;
    }
    let d = track.position - launcher_pos;
    let t = intercept_time(&d, &track.velocity, env.average_speed_mps)?;
    if t > env.max_flight_time_s {
        return None;
    }
    let pip = track.position + track.velocity * t;
    let range = (pip - launcher_pos).norm();
    let alt = track.altitude_m + track.climb_rate_mps * t;
    let inside =
        range >= env.min_range_m && range <= env.max_range_m && alt >= env.min_altitude_m && alt <= env.max_altitude_m;
    inside.then_some((pip, t))
}

/// A track the command post may engage, with its assessment.
#[derive(Clone, Debug)]
pub struct Candidate<'a> {
    pub track: &'a TrackView,
    pub assessment: ThreatAssessment,
    pub engagement: EngagementStatus,
}

/// Everything the command post weighs in one decision cycle.
pub struct Picture<'a> {
    pub now: SimTime,
    pub roe: RoeState,
    pub candidates: Vec<Candidate<'a>>,
    /// Friend and neutral tracks: never engaged, and no fire near them.
    pub protected: Vec<&'a TrackView>,
    /// Tracks with interceptors in flight, and interceptors in flight, right now.
    pub channels_in_use: u32,
    pub missiles_in_flight: u32,
}

/// One decision cycle of fire distribution. Updates `weapons` (stock, ready time) for
/// the orders it gives, so the caller's view stays consistent.
pub fn assign_weapons(
    picture: &Picture<'_>,
    weapons: &mut [WeaponView],
    envelopes: &[InterceptorEnvelope],
    doctrine: &Doctrine,
    rules: &IdentificationRules,
) -> Vec<FireOrder> {
    let mut orders = Vec::new();
    if picture.roe == RoeState::WeaponsHold {
        return orders;
    }
    let mut order: Vec<&Candidate<'_>> = picture.candidates.iter().collect();
    order.sort_by(|a, b| a.assessment.urgency_cmp(&b.assessment, a.track.speed(), b.track.speed()));
    let mut channels = picture.channels_in_use;
    let mut missiles = picture.missiles_in_flight;
    let reaction = SimDuration::from_secs_f64(doctrine.reaction_time_s);
    let assessment = SimDuration::from_secs_f64(doctrine.kill_assessment_s);
    for c in order {
        let t = c.track;
        if !t.confirmed || t.coasting || !picture.roe.permits(t.identity) {
            continue;
        }
        if t.hostile_since.is_none_or(|s| s + reaction > picture.now) {
            continue;
        }
        if c.engagement.in_flight > 0 || c.engagement.last_end.is_some_and(|e| e + assessment > picture.now) {
            continue;
        }
        if channels >= doctrine.fire_channels || missiles >= doctrine.max_guided_missiles {
            break;
        }
        let salvo = doctrine.salvo.get(&kinematic_class(t, rules)).copied().unwrap_or(1).max(1);
        let mut best: Option<(u32, f64, usize, &InterceptorEnvelope, Vec3)> = None;
        for (wi, w) in weapons.iter().enumerate() {
            if w.ready_at > picture.now {
                continue;
            }
            for env in envelopes {
                if w.stock.get(&env.type_id).copied().unwrap_or(0) == 0 {
                    continue;
                }
                let Some((pip, tof)) = engageable(t, &w.position, env) else { continue };
                let near_protected =
                    picture.protected.iter().any(|p| (p.position - pip).norm() < doctrine.protected_clearance_m);
                if near_protected {
                    continue;
                }
                let key = (env.rank, tof);
                if best.as_ref().is_none_or(|b| key.0 < b.0 || (key.0 == b.0 && key.1 < b.1)) {
                    best = Some((env.rank, tof, wi, env, pip));
                }
            }
        }
        let Some((_, tof, wi, env, pip)) = best else { continue };
        let w = &mut weapons[wi];
        let Some(stock) = w.stock.get_mut(&env.type_id) else { continue };
        let count = salvo.min(*stock).min(doctrine.max_guided_missiles - missiles);
        *stock -= count;
        w.ready_at = picture.now + SimDuration::from_secs_f64(doctrine.launch_interval_s * f64::from(count));
        channels += 1;
        missiles += count;
        orders.push(FireOrder {
            track: t.id,
            launcher: w.launcher,
            interceptor_type: env.type_id.clone(),
            count,
            intercept_point: pip,
            time_of_flight_s: tof,
            time_to_go_s: c.assessment.time_to_go_s(),
        });
    }
    orders
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::threat::{DefendedAsset, assess};
    use bulwark_core::Identity;

    #[test]
    fn head_on_intercept_time_is_range_over_closing_speed() {
        // Analytic oracle: head-on, t = R / (v_target + v_missile).
        let t = intercept_time(&Vec3::new(100_000.0, 0.0, 0.0), &Vec3::new(-300.0, 0.0, 0.0), 1_200.0).unwrap();
        assert!((t - 100_000.0 / 1_500.0).abs() < 1e-9);
        // Tail chase of a faster target: impossible.
        assert_eq!(intercept_time(&Vec3::new(10_000.0, 0.0, 0.0), &Vec3::new(800.0, 0.0, 0.0), 700.0), None);
        // Equal speeds, head-on: the linear branch, t = R / (2s).
        let t = intercept_time(&Vec3::new(10_000.0, 0.0, 0.0), &Vec3::new(-500.0, 0.0, 0.0), 500.0).unwrap();
        assert!((t - 10.0).abs() < 1e-9);
    }

    #[test]
    fn crossing_intercept_satisfies_the_collision_triangle() {
        let d = Vec3::new(40_000.0, 30_000.0, 5_000.0);
        let v = Vec3::new(-50.0, -250.0, 0.0);
        let s = 900.0;
        let t = intercept_time(&d, &v, s).unwrap();
        let residual = (d + v * t).norm() - s * t;
        assert!(residual.abs() < 1e-6, "residual {residual}");
    }

    fn hostile(id: u64, pos: Vec3, vel: Vec3) -> TrackView {
        TrackView {
            id: TrackId(id),
            position: pos,
            velocity: vel,
            altitude_m: pos.z,
            climb_rate_mps: 0.0,
            confirmed: true,
            coasting: false,
            identity: Identity::Hostile,
            hostile_since: Some(SimTime::ZERO),
        }
    }

    fn envelopes() -> Vec<InterceptorEnvelope> {
        let e = |id: &str, max: f64, rank| InterceptorEnvelope {
            type_id: id.into(),
            min_range_m: 2_000.0,
            max_range_m: max,
            min_altitude_m: 5.0,
            max_altitude_m: 30_000.0,
            max_target_speed_mps: 4_800.0,
            average_speed_mps: 1_000.0,
            max_flight_time_s: max / 900.0,
            rank,
        };
        vec![e("short", 40_000.0, 0), e("long", 250_000.0, 1)]
    }

    fn run(tracks: &[TrackView], protected: Vec<&TrackView>, weapons: &mut [WeaponView]) -> Vec<FireOrder> {
        let assets = [DefendedAsset { name: "a".into(), position: Vec3::zeros(), radius_m: 2_000.0 }];
        let picture = Picture {
            now: SimTime::from_nanos(60_000_000_000),
            roe: RoeState::WeaponsFree,
            candidates: tracks
                .iter()
                .map(|t| Candidate {
                    track: t,
                    assessment: assess(t, &assets, 5_000.0),
                    engagement: Default::default(),
                })
                .collect(),
            protected,
            channels_in_use: 0,
            missiles_in_flight: 0,
        };
        assign_weapons(&picture, weapons, &envelopes(), &Doctrine::default(), &IdentificationRules::default())
    }

    fn launcher() -> WeaponView {
        WeaponView {
            launcher: LauncherId(1),
            position: Vec3::zeros(),
            stock: BTreeMap::from([("short".to_string(), 4), ("long".to_string(), 4)]),
            ready_at: SimTime::ZERO,
        }
    }

    #[test]
    fn cheapest_capable_layer_and_most_urgent_first() {
        let near = hostile(1, Vec3::new(20_000.0, 0.0, 100.0), Vec3::new(-250.0, 0.0, 0.0));
        let far = hostile(2, Vec3::new(150_000.0, 0.0, 8_000.0), Vec3::new(-250.0, 0.0, 0.0));
        let mut w = [launcher()];
        let orders = run(&[far.clone(), near.clone()], vec![], &mut w);
        assert_eq!(orders.len(), 1, "one launcher fires once per cycle");
        assert_eq!(orders[0].track, TrackId(1));
        assert_eq!(orders[0].interceptor_type, "short");
        assert_eq!(orders[0].count, 2, "low-level fast track gets a salvo of two");
        assert_eq!(w[0].stock["short"], 2);
        let mut w2 = [launcher(), WeaponView { launcher: LauncherId(2), ..launcher() }];
        let orders = run(&[far, near], vec![], &mut w2);
        assert_eq!(orders.len(), 2);
        assert_eq!(orders[1].interceptor_type, "long");
    }

    #[test]
    fn hold_fire_near_protected_tracks_and_respect_stock() {
        let t = hostile(1, Vec3::new(100_000.0, 0.0, 9_000.0), Vec3::new(-250.0, 0.0, 0.0));
        let mut airliner = hostile(9, Vec3::new(80_000.0, 0.0, 10_000.0), Vec3::new(-250.0, 10.0, 0.0));
        airliner.identity = Identity::Neutral;
        let mut w = [launcher()];
        assert!(run(std::slice::from_ref(&t), vec![&airliner], &mut w).is_empty());
        let mut empty = [WeaponView { stock: BTreeMap::new(), ..launcher() }];
        assert!(run(std::slice::from_ref(&t), vec![], &mut empty).is_empty());
        let neutral = TrackView { identity: Identity::Neutral, ..t };
        assert!(run(&[neutral], vec![], &mut [launcher()]).is_empty(), "a neutral track is never engaged");
    }
}
