//! Fire distribution: which launcher fires how many interceptors of which type at which track.
//!
//! Each decision cycle: the tracks the doctrine lets the command post engage now (confirmed, not
//! coasting, permitted by the rules of engagement, hostile for the reaction time, nothing in
//! flight at them, past the kill assessment of the last interceptor, under the per-target limit)
//! become targets of a static weapon–target assignment ([`crate::wta`]); every (launcher,
//! interceptor type) with stock becomes a weapon option whose kill probability at a target is the
//! [`crate::engage`] estimate where the intercept is acceptable, no protected track is near the
//! PIP and the layered zones allow it; the fire unit's free fire channels and guided-missile
//! capacity, the launchers' readiness and launches per cycle bound it. [`AutoWta`] solves it
//! (exact branch and bound when small, greedy + local search when large) and the shots become
//! fire orders.
use crate::TrackView;
use crate::engage::{Intercept, LauncherGeometry, intercept};
use crate::identify::{IdentificationRules, KinematicClass, RoeState, kinematic_class};
use crate::threat::ThreatAssessment;
use crate::wta::{AutoWta, WtaLauncher, WtaOption, WtaProblem, WtaRadar, WtaSolver, WtaTarget};
use bulwark_core::{LauncherId, SimDuration, SimTime, TrackId, Vec3};
use std::collections::BTreeMap;

pub use crate::doctrine::{Doctrine, FirePolicy, LayerZone};
pub use crate::engage::InterceptorEnvelope;

/// One launcher as the command post sees it.
#[derive(Clone, Debug, PartialEq)]
pub struct WeaponView {
    pub launcher: LauncherId,
    /// Position in the scenario ENU frame (m).
    pub position: Vec3,
    /// Geodetic altitude (m).
    pub altitude_m: f64,
    /// Missiles on the launcher, by interceptor type.
    pub stock: BTreeMap<String, u32>,
    /// Earliest time the launcher can fire again.
    pub ready_at: SimTime,
}

/// What is already flying at a track.
#[derive(Copy, Clone, Debug, Default, PartialEq)]
pub struct EngagementStatus {
    pub in_flight: u32,
    /// Interceptors fired at this track so far (for the per-target limit).
    pub fired: u32,
    /// When the last interceptor at this track ended (for kill assessment).
    pub last_end: Option<SimTime>,
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
    /// Estimated single-shot kill probability of this type at this track.
    pub kill_probability: f64,
}

pub use bulwark_core::kinematics::intercept_time;

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

/// Threat value V of a target for the assignment (notional):
/// V = w_class · (½ + ½·τ/(τ + t_go)) · (1 if it threatens an asset, else `non_threatening_value`),
/// t_go the time to go to the asset it threatens, else the time to reach the nearest asset at
/// its speed; τ = `urgency_time_s`. Urgent, dangerous tracks weigh most (Roux & van Vuuren,
/// ORiON 23(2), 2007, §3: value from threat class and time to go).
pub fn target_value(c: &Candidate<'_>, class: KinematicClass, doctrine: &Doctrine) -> f64 {
    let a = &c.assessment;
    let t_go = if a.threatening { a.time_to_go_s() } else { a.range_to_asset_m / c.track.speed().max(1.0) };
    let tau = doctrine.urgency_time_s.max(1e-3);
    let urgency = if t_go.is_finite() { 0.5 + 0.5 * tau / (tau + t_go.max(0.0)) } else { 0.5 };
    let w = doctrine.class_value.get(&class).copied().unwrap_or(1.0);
    let threat = if a.threatening { 1.0 } else { doctrine.non_threatening_value };
    let v = w * urgency * threat;
    if v.is_finite() { v.max(0.0) } else { 0.0 }
}

/// What identification and threat evaluation say of one candidate (see [`assign_weapons_rated`]).
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct TargetRating {
    /// Rank in the ranked threat list (1 = most urgent): targets are taken in rank order.
    pub rank: usize,
    /// Threat value in [0, 1] (the score of [`crate::threat::rank_threats`]): scales the WTA target
    /// value ([`target_value`]) by ½ + value.
    pub value: f64,
    /// [`crate::Identification::engageable`] under the ROE in force: replaces the identity-only
    /// ROE test for this track.
    pub engageable: bool,
}

/// Whether a protected track is within `clearance_m` of the PIP, now or at the intercept time.
fn near_protected(protected: &[&TrackView], i: &Intercept, clearance_m: f64) -> bool {
    protected.iter().any(|p| {
        let later = p.position + p.velocity * i.time_of_flight_s;
        (p.position - i.pip).norm() < clearance_m || (later - i.pip).norm() < clearance_m
    })
}

/// A target of the cycle: candidate index, class, salvo cap.
struct Target {
    candidate: usize,
    class: KinematicClass,
    cap: u32,
}

/// One decision cycle of fire distribution. Updates `weapons` (stock, ready time) for the orders
/// it gives, so the caller's view stays consistent. Orders come most urgent track first.
pub fn assign_weapons(
    picture: &Picture<'_>,
    weapons: &mut [WeaponView],
    envelopes: &[InterceptorEnvelope],
    doctrine: &Doctrine,
    rules: &IdentificationRules,
) -> Vec<FireOrder> {
    assign_weapons_rated(picture, weapons, envelopes, doctrine, rules, &BTreeMap::new())
}

/// [`assign_weapons`] with the ranked threat list: a candidate with a [`TargetRating`] is taken
/// in rank order (before unrated ones), is engageable as its rating says, and weighs its threat
/// value in the assignment instead of [`target_value`]. Unrated candidates behave as in
/// [`assign_weapons`].
pub fn assign_weapons_rated(
    picture: &Picture<'_>,
    weapons: &mut [WeaponView],
    envelopes: &[InterceptorEnvelope],
    doctrine: &Doctrine,
    rules: &IdentificationRules,
    ratings: &BTreeMap<TrackId, TargetRating>,
) -> Vec<FireOrder> {
    assign_weapons_authorised(picture, weapons, envelopes, doctrine, rules, ratings, &|_, _, _| true)
}

/// Whether a type may fire at a track for an intercept: fire authority by guidance chain
/// ([`crate::authority`]), decided by the caller, who knows which radar holds the track.
pub type AuthorityCheck<'a> = dyn Fn(&TrackView, &InterceptorEnvelope, &Intercept) -> bool + 'a;

/// [`assign_weapons_rated`] where a (track, type) pair is offered only when `authorised` says
/// the track supports that type's guidance for that intercept.
pub fn assign_weapons_authorised(
    picture: &Picture<'_>,
    weapons: &mut [WeaponView],
    envelopes: &[InterceptorEnvelope],
    doctrine: &Doctrine,
    rules: &IdentificationRules,
    ratings: &BTreeMap<TrackId, TargetRating>,
    authorised: &AuthorityCheck<'_>,
) -> Vec<FireOrder> {
    if picture.roe == RoeState::WeaponsHold {
        return Vec::new();
    }
    let now = picture.now;
    let reaction = SimDuration::from_secs_f64(doctrine.reaction_time_s);
    let assessment = SimDuration::from_secs_f64(doctrine.kill_assessment_s);
    let mut order: Vec<usize> = (0..picture.candidates.len()).collect();
    order.sort_by(|&a, &b| {
        let (a, b) = (&picture.candidates[a], &picture.candidates[b]);
        let rank = |c: &Candidate<'_>| ratings.get(&c.track.id).map_or(usize::MAX, |r| r.rank);
        rank(a).cmp(&rank(b)).then_with(|| a.assessment.urgency_cmp(&b.assessment, a.track.speed(), b.track.speed()))
    });
    let mut targets: Vec<Target> = Vec::new();
    for ci in order {
        let c = &picture.candidates[ci];
        let t = c.track;
        let permitted = ratings.get(&t.id).map_or_else(|| picture.roe.permits(t.identity), |r| r.engageable);
        if !t.confirmed || t.coasting || !permitted {
            continue;
        }
        if t.hostile_since.is_none_or(|s| s + reaction > now) {
            continue;
        }
        let e = &c.engagement;
        if e.in_flight > 0 || e.last_end.is_some_and(|end| end + assessment > now) {
            continue;
        }
        let class = kinematic_class(t, rules);
        let cap = doctrine.policy_for(class).shots().min(doctrine.max_per_target.saturating_sub(e.fired));
        if cap > 0 {
            targets.push(Target { candidate: ci, class, cap });
        }
    }
    let radar = WtaRadar {
        channels: doctrine.fire_channels.saturating_sub(picture.channels_in_use),
        guided: doctrine.max_guided_missiles.saturating_sub(picture.missiles_in_flight),
    };
    if targets.is_empty() || radar.channels == 0 || radar.guided == 0 {
        return Vec::new();
    }
    // Options: (launcher, type) with stock; engageable pairs with their intercepts.
    struct Opt<'e> {
        weapon: usize,
        env: &'e InterceptorEnvelope,
        pairs: Vec<(usize, f64, Intercept, bool)>,
    }
    let mut opts: Vec<Opt<'_>> = Vec::new();
    for (wi, w) in weapons.iter().enumerate() {
        if w.ready_at > now {
            continue;
        }
        let geom = LauncherGeometry { position: w.position, altitude_m: w.altitude_m };
        for env in envelopes {
            if w.stock.get(&env.type_id).copied().unwrap_or(0) == 0 {
                continue;
            }
            let mut pairs = Vec::new();
            for (j, tg) in targets.iter().enumerate() {
                let track = picture.candidates[tg.candidate].track;
                let Ok(i) = intercept(track, &geom, env) else { continue };
                if near_protected(&picture.protected, &i, doctrine.protected_clearance_m) || !authorised(track, env, &i)
                {
                    continue;
                }
                let pk = doctrine.pk.kill_probability(env, &i, tg.class);
                if pk > 0.0 {
                    pairs.push((j, pk, i, doctrine.in_zone(&env.type_id, i.slant_range_m)));
                }
            }
            if !pairs.is_empty() {
                opts.push(Opt { weapon: wi, env, pairs });
            }
        }
    }
    // Layered zones: a target some type can engage in its zone is offered only in-zone types.
    let mut has_in_zone = vec![false; targets.len()];
    for o in &opts {
        for p in &o.pairs {
            has_in_zone[p.0] |= p.3;
        }
    }
    for o in &mut opts {
        o.pairs.retain(|p| p.3 || (!has_in_zone[p.0] && !doctrine.zones_strict));
    }
    opts.retain(|o| !o.pairs.is_empty());
    if opts.is_empty() {
        return Vec::new();
    }
    let wta_targets: Vec<WtaTarget> = targets
        .iter()
        .map(|t| WtaTarget {
            // The ranked score (in [0, 1]) modulates the doctrine value between ½ and 1½ times: the
            // shot costs are in doctrine-value units, so the score alone (often ≈ 0.05 for a
            // low-confidence track) would price every long-range shot out.
            value: target_value(&picture.candidates[t.candidate], t.class, doctrine)
                * match ratings.get(&picture.candidates[t.candidate].track.id) {
                    Some(r) if r.value.is_finite() => 0.5 + r.value.clamp(0.0, 1.0),
                    _ => 1.0,
                },
            max_shots: t.cap,
        })
        .collect();
    let launchers: Vec<WtaLauncher> = weapons
        .iter()
        .map(|w| WtaLauncher { radar: Some(0), ready: w.ready_at <= now, max_shots: doctrine.launches_per_cycle })
        .collect();
    let options: Vec<WtaOption> = opts
        .iter()
        .map(|o| WtaOption {
            launcher: o.weapon,
            stock: weapons[o.weapon].stock.get(&o.env.type_id).copied().unwrap_or(0),
            cost: doctrine.shot_cost.max(0.0) * (1.0 + f64::from(o.env.rank)),
            pk: o.pairs.iter().map(|p| (p.0, p.1)).collect(),
        })
        .collect();
    let Ok(problem) = WtaProblem::new(wta_targets, vec![radar], launchers, options) else {
        return Vec::new();
    };
    let solution = AutoWta::default().solve(&problem);
    let mut orders = Vec::new();
    let mut launches: BTreeMap<usize, u32> = BTreeMap::new();
    // Shots come sorted by target (most urgent first), then option.
    for s in solution.shots.iter().filter(|s| s.count > 0) {
        let o = &opts[s.option];
        let Some(&(_, pk, i, _)) = o.pairs.iter().find(|p| p.0 == s.target) else { continue };
        let w = &mut weapons[o.weapon];
        let Some(stock) = w.stock.get_mut(&o.env.type_id) else { continue };
        let count = s.count.min(*stock);
        *stock -= count;
        *launches.entry(o.weapon).or_insert(0) += count;
        let c = &picture.candidates[targets[s.target].candidate];
        orders.push(FireOrder {
            track: c.track.id,
            launcher: w.launcher,
            interceptor_type: o.env.type_id.clone(),
            count,
            intercept_point: i.pip,
            time_of_flight_s: i.time_of_flight_s,
            time_to_go_s: c.assessment.time_to_go_s(),
            kill_probability: pk,
        });
    }
    for (wi, n) in launches {
        weapons[wi].ready_at = now + SimDuration::from_secs_f64(doctrine.launch_interval_s * f64::from(n));
    }
    orders
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engage::Flyout;
    use crate::threat::{DefendedAsset, assess};
    use bulwark_core::Identity;

    #[test]
    fn head_on_intercept_time_is_range_over_closing_speed() {
        // Analytic oracle: head-on, t = R / (v_target + v_missile).
        let t = intercept_time(&Vec3::new(100_000.0, 0.0, 0.0), &Vec3::new(-300.0, 0.0, 0.0), 1_200.0).unwrap();
        assert!((t - 100_000.0 / 1_500.0).abs() < 1e-9);
        // Tail chase of a faster target: impossible.
        assert_eq!(intercept_time(&Vec3::new(10_000.0, 0.0, 0.0), &Vec3::new(800.0, 0.0, 0.0), 700.0), None);
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
            max_flight_time_s: max / 900.0,
            max_lead_angle_rad: crate::engage::DEFAULT_MAX_LEAD_ANGLE_RAD,
            max_offset_m: None,
            single_shot_pk: 0.9,
            flyout: Flyout::ConstantSpeed(1_000.0),
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
            altitude_m: 0.0,
            stock: BTreeMap::from([("short".to_string(), 4), ("long".to_string(), 4)]),
            ready_at: SimTime::ZERO,
        }
    }

    #[test]
    fn launches_per_cycle_bind_and_the_most_valuable_target_is_served() {
        let near = hostile(1, Vec3::new(20_000.0, 0.0, 100.0), Vec3::new(-250.0, 0.0, 0.0));
        let far = hostile(2, Vec3::new(150_000.0, 0.0, 8_000.0), Vec3::new(-250.0, 0.0, 0.0));
        let mut w = [launcher()];
        let orders = run(&[far.clone(), near.clone()], vec![], &mut w);
        // Two launches per cycle: the low-level fast track (salvo of two, urgent) takes both.
        assert_eq!(orders.iter().map(|o| o.count).sum::<u32>(), 2);
        assert_eq!(orders[0].track, TrackId(1));
        assert_eq!(orders[0].interceptor_type, "short");
        assert_eq!(orders[0].count, 2, "low-level fast track gets a salvo of two");
        assert_eq!(w[0].stock["short"], 2);
        assert_eq!(w[0].ready_at, SimTime::from_nanos(66_000_000_000), "two launches at 3 s");
        let mut w2 = [launcher(), WeaponView { launcher: LauncherId(2), ..launcher() }];
        let orders = run(&[far, near], vec![], &mut w2);
        assert_eq!(orders.iter().map(|o| o.track).collect::<Vec<_>>(), vec![TrackId(1), TrackId(2)]);
        assert_eq!(orders[1].interceptor_type, "long");
        assert_eq!(orders[1].count, 1, "an aircraft profile is shoot-look-shoot");
    }

    #[test]
    fn ratings_gate_engageability_and_order_the_targets() {
        let assets = [DefendedAsset { name: "a".into(), position: Vec3::zeros(), radius_m: 2_000.0 }];
        let near = hostile(1, Vec3::new(20_000.0, 0.0, 100.0), Vec3::new(-250.0, 0.0, 0.0));
        let mut silent = hostile(2, Vec3::new(60_000.0, 0.0, 8_000.0), Vec3::new(-250.0, 0.0, 0.0));
        silent.identity = Identity::Unknown;
        let tracks = [near, silent];
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
            protected: vec![],
            channels_in_use: 0,
            missiles_in_flight: 0,
        };
        let go = |ratings: &BTreeMap<TrackId, TargetRating>| {
            let mut w = [launcher(), WeaponView { launcher: LauncherId(2), ..launcher() }];
            let d = Doctrine::default();
            let r = IdentificationRules::default();
            assign_weapons_rated(&picture, &mut w, &envelopes(), &d, &r, ratings)
                .iter()
                .map(|o| o.track)
                .collect::<Vec<_>>()
        };
        // Unrated: the unknown track is not permitted by its identity alone.
        assert_eq!(go(&BTreeMap::new()), vec![TrackId(1)]);
        // Rated engageable (unknown and silent under weapons free) and first in rank: served first.
        let rate = |rank, engageable| TargetRating { rank, value: 0.5, engageable };
        let both = BTreeMap::from([(TrackId(1), rate(2, true)), (TrackId(2), rate(1, true))]);
        assert_eq!(go(&both)[0], TrackId(2));
        // A rating that says not engageable holds fire even at a hostile.
        let hold = BTreeMap::from([(TrackId(1), rate(1, false)), (TrackId(2), rate(2, false))]);
        assert!(go(&hold).is_empty());
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
