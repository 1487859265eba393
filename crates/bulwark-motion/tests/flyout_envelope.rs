//! Fly-out range and time of every catalog interceptor against its catalog envelope.
//!
//! The catalog's max range and max flight time were set with a lofted point-mass coast (constant
//! β, exponential atmosphere; see the `ballistic_coefficient` notes in catalog/*.toml). Here the
//! full 3-DOF airframe (boost–sustain motor sized to the catalog burnout speed, notional C_D(M),
//! 1976 atmosphere, J₂, rotating earth) flies:
//! A. unguided lofted arcs (the autopilot's gravity compensation cancelled) over launch
//!    elevations 25°–65°: the earliest time the ground range reaches the catalog max range must
//!    come before the catalog max flight time;
//! B. a guided shot at a non-manoeuvring target at 10 km altitude, 250 m/s inbound, placed so the
//!    intercept falls at the catalog max range: ballistic mid-course on the lofted arc that passes
//!    through the predicted intercept point, PN (catalog N′) inside the seeker's acquisition range
//!    (30 km if the catalog gives none), with 1 km of target offset and 0.2° of launch elevation
//!    error for PN to take out. The miss must be inside the catalog lethal radius and the
//!    intercept before max flight time.
//! C. a target engaged as the engine would with [`LoftedPn`] (default k, hand-over at the
//!    seeker range): launched at the raised aim point, no shooting solution. Hit inside the lethal
//!    radius at ≥ the catalog max range before max flight time; plain PN from the same start is
//!    printed for comparison.
mod common;

use bulwark_core::Vec3;
use bulwark_geo::{EnuFrame, Geodetic};
use bulwark_motion::guidance::loft_ratio_for_max_range;
use bulwark_motion::{
    GuidanceLaw, Interceptor, InterceptorStatus, KinematicState, LoftedPn, ProportionalNavigation,
    gravity_acceleration, launch_direction,
};
use common::{CatalogInterceptor, MissTracker, Target, catalog_interceptors, site};

/// Ballistic (no lateral acceleration) until the target is within `handover_m`, then PN.
#[derive(Debug)]
struct LoftThenPn {
    handover_m: f64,
    pn: ProportionalNavigation,
}

impl GuidanceLaw for LoftThenPn {
    fn command(&self, own: &KinematicState, target: &KinematicState) -> Vec3 {
        if (target.pos - own.pos).norm() <= self.handover_m {
            self.pn.command(own, target)
        } else {
            // Cancels the autopilot's gravity compensation: an unguided gravity turn.
            gravity_acceleration(&own.pos, bulwark_motion::GravityModel::J2)
        }
    }
}

fn launch(c: &CatalogInterceptor, elevation_deg: f64, handover_m: f64) -> Interceptor {
    let e = elevation_deg.to_radians();
    let dir = EnuFrame::new(site()).vec_to_ecef(&Vec3::new(0.0, e.cos(), e.sin()));
    let law = LoftThenPn { handover_m, pn: ProportionalNavigation::new(c.navigation_constant).unwrap() };
    Interceptor::launch(site(), dir, c.params, Box::new(law)).unwrap().with_airframe(c.airframe)
}

/// Ground range (m) from the site: the geocentric angle times the site's geocentric radius.
fn ground_range(p: &Vec3) -> f64 {
    let s = site().to_ecef();
    s.angle(p) * s.norm()
}

/// One unguided arc, sampled every 0.1 s: (t, ground range, altitude, speed) until it ends.
fn arc(c: &CatalogInterceptor, elevation_deg: f64) -> Vec<(f64, f64, f64, f64)> {
    let mut m = launch(c, elevation_deg, 0.0);
    let far = KinematicState::new(Vec3::new(1e9, 0.0, 0.0), Vec3::zeros());
    let mut out = Vec::new();
    while m.status() == InterceptorStatus::Flying {
        m.step(0.1, Some(&far));
        out.push((m.elapsed_s(), ground_range(&m.position_ecef()), m.geodetic().alt_m, m.velocity_ecef().norm()));
    }
    out
}

/// First sample reaching ground range `r` (by linear interpolation): (t, alt, speed).
fn reach(samples: &[(f64, f64, f64, f64)], r: f64) -> Option<(f64, f64, f64)> {
    let i = samples.iter().position(|s| s.1 >= r)?;
    if i == 0 {
        return Some((samples[0].0, samples[0].2, samples[0].3));
    }
    let (a, b) = (samples[i - 1], samples[i]);
    let w = (r - a.1) / (b.1 - a.1);
    Some((a.0 + w * (b.0 - a.0), a.2 + w * (b.2 - a.2), a.3 + w * (b.3 - a.3)))
}

/// Where the arc's descending branch crosses `alt` (m): (t, ground range).
fn descend_to(samples: &[(f64, f64, f64, f64)], alt: f64) -> Option<(f64, f64)> {
    let top = samples.iter().enumerate().max_by(|a, b| a.1.2.total_cmp(&b.1.2))?.0;
    if samples[top].2 <= alt {
        return None;
    }
    let i = samples[top..].iter().position(|s| s.2 <= alt)? + top;
    let (a, b) = (samples[i - 1], samples[i]);
    let w = (a.2 - alt) / (a.2 - b.2);
    Some((a.0 + w * (b.0 - a.0), a.1 + w * (b.1 - a.1)))
}

#[test]
fn every_catalog_interceptor_reaches_its_max_range_before_max_flight_time() {
    println!("A. unguided loft: id, catalog R_max, T_max | best elevation, time to R_max, alt, speed | farthest");
    for c in catalog_interceptors() {
        let rmax = c.catalog_max_range_m;
        let tmax = c.params.max_flight_time_s;
        let mut best: Option<(f64, (f64, f64, f64))> = None;
        let mut farthest: f64 = 0.0;
        for k in 0..=16 {
            let e = 25.0 + 2.5 * f64::from(k);
            let s = arc(&c, e);
            farthest = farthest.max(s.iter().filter(|x| x.0 <= tmax).map(|x| x.1).fold(0.0, f64::max));
            if let Some(r) = reach(&s, rmax).filter(|r| best.is_none_or(|(_, b)| r.0 < b.0)) {
                best = Some((e, r));
            }
        }
        let (e, (t, alt, v)) = best.unwrap_or((f64::NAN, (f64::INFINITY, f64::NAN, f64::NAN)));
        println!(
            "{:12} {:5.0} km {:4.0} s | {e:4.1}° {t:6.1} s {:5.1} km {v:6.0} m/s | {:5.0} km",
            c.id,
            rmax / 1e3,
            tmax,
            alt / 1e3,
            farthest / 1e3
        );
        assert!(t < tmax, "{}: reaches {} km only at {t} s (max flight time {tmax} s)", c.id, rmax / 1e3);
    }
}

#[test]
fn guided_shot_at_max_range_hits_a_10_km_target_in_time() {
    const ALT: f64 = 10_000.0;
    println!("B. guided at max range, target 10 km alt, 250 m/s inbound: id, elevation, intercept time, miss");
    for c in catalog_interceptors() {
        let rmax = c.catalog_max_range_m;
        // Shooting on the elevation: the lowest arc whose descending branch crosses 10 km beyond
        // R_max, refined by bisection against the highest arc short of it.
        let cross = |e: f64| descend_to(&arc(&c, e), ALT).map_or(0.0, |x| x.1);
        let mut hi = (0..=45).map(|k| 25.0 + f64::from(k)).find(|&e| cross(e) >= rmax).expect("some arc reaches");
        let mut lo = hi - 1.0;
        for _ in 0..10 {
            let mid = 0.5 * (lo + hi);
            if cross(mid) >= rmax { hi = mid } else { lo = mid }
        }
        let (t_pip, _) = descend_to(&arc(&c, hi), ALT).unwrap();
        // The target is at the arc's 10 km crossing at t_pip, flying towards the site.
        let samples_pos = {
            let mut m = launch(&c, hi, 0.0);
            let far = KinematicState::new(Vec3::new(1e9, 0.0, 0.0), Vec3::zeros());
            while m.elapsed_s() + 1e-9 < t_pip - 0.1 {
                m.step(0.1, Some(&far));
            }
            m.step(t_pip - m.elapsed_s(), Some(&far));
            m.position_ecef()
        };
        let g = Geodetic::from_ecef(&samples_pos);
        let pip = Geodetic { alt_m: ALT, ..g }.to_ecef();
        let f = EnuFrame::new(Geodetic { alt_m: ALT, ..g });
        let home = f.to_enu(&site().to_ecef());
        let inbound = f.vec_to_ecef(&(Vec3::new(home.x, home.y, 0.0).normalize() * 250.0));
        // Mid-course errors for PN to take out: the target passes 1 km to the side of the planned
        // intercept point and the launch elevation is 0.2° off the shooting solution.
        let side = f.vec_to_ecef(&(Vec3::new(-home.y, home.x, 0.0).normalize() * 1_000.0));
        let target = Target { p0: pip + side - inbound * t_pip, v0: inbound, acc: Vec3::zeros(), t_on: f64::INFINITY };
        let handover = c.seeker_range_m.unwrap_or(30_000.0);
        let fly = |handover_m: f64| {
            let mut m = launch(&c, hi + 0.2, handover_m);
            let mut tracker = MissTracker::new();
            let (mut t, dt) = (0.0, 0.05);
            while m.status() == InterceptorStatus::Flying {
                let tgt = target.at(t);
                let rel0 = tgt.pos - m.position_ecef();
                m.step(dt, Some(&tgt));
                let rel1 = target.at(t + dt).pos - m.position_ecef();
                if tracker.update(t, dt, &rel0, &rel1) {
                    break;
                }
                t += dt;
            }
            tracker
        };
        let (unguided, tracker) = (fly(0.0).best, fly(handover));
        println!(
            "{:12} {hi:5.2}° PIP at {:5.0} km: intercept {:6.1} s (max {:4.0} s), miss {:.2} m (lethal {} m; unguided {:.0} m)",
            c.id,
            ground_range(&pip) / 1e3,
            tracker.t_best,
            c.params.max_flight_time_s,
            tracker.best,
            c.lethal_radius_m,
            unguided
        );
        assert!(tracker.best < c.lethal_radius_m, "{}: miss {}", c.id, tracker.best);
        assert!(unguided > 500.0, "{}: the errors must need guidance ({unguided} m)", c.id);
        assert!(tracker.t_best < c.params.max_flight_time_s, "{}: {} s", c.id, tracker.t_best);
    }
}

/// Flies `law` from a launch at `aim` against `target`; (miss m, time s, ground range of the
/// missile at closest approach m).
fn shoot(c: &CatalogInterceptor, law: Box<dyn GuidanceLaw>, aim: &Vec3, target: &Target) -> (f64, f64, f64) {
    let dir = launch_direction(&site(), aim, 0.0);
    let mut m = Interceptor::launch(site(), dir, c.params, law).unwrap().with_airframe(c.airframe);
    let mut tracker = MissTracker::new();
    let (mut t, dt, mut at_best) = (0.0, 0.1, 0.0);
    while m.status() == InterceptorStatus::Flying {
        let tgt = target.at(t);
        let rel0 = tgt.pos - m.position_ecef();
        m.step(dt, Some(&tgt));
        let rel1 = target.at(t + dt).pos - m.position_ecef();
        let before = tracker.best;
        let opening = tracker.update(t, dt, &rel0, &rel1);
        if tracker.best < before {
            at_best = ground_range(&m.position_ecef());
        }
        if opening {
            break;
        }
        t += dt;
    }
    (tracker.best, tracker.t_best, at_best)
}

#[test]
fn lofted_pn_reaches_the_catalog_max_range_from_a_plain_launch() {
    // The target, 10 km up and 250 m/s inbound, is placed to be at ground range `frac`·R_max when
    // the interceptor arrives (three iterations on the intercept time). Required for every type,
    // with k from `loft_ratio_for_max_range`: a hit inside the lethal radius before max flight
    // time at 0.9 and 1.0 R_max. Plain PN (k = 0) from the same launch printed for comparison.
    println!("C. lofted PN, 10 km, 250 m/s inbound: id, k, range, time, miss | plain PN");
    let f = EnuFrame::new(site());
    let s0 = site();
    for c in catalog_interceptors() {
        let rmax = c.catalog_max_range_m;
        let handover = c.seeker_range_m.unwrap_or(30_000.0);
        let inbound = f.vec_to_ecef(&Vec3::new(0.0, -250.0, 0.0));
        // The engine's planning average speed (setup.rs): level fly-out at 5 km over R_max/2.
        let flyout = bulwark_motion::Flyout::new(c.params, 5_000.0).unwrap();
        let v_avg = flyout.average_speed(0.5 * rmax).unwrap_or(0.5 * c.params.max_speed_mps);
        let k = loft_ratio_for_max_range(rmax);
        for frac in [0.9, 1.0] {
            // Due north of the site, frac·R_max of arc on a 6 371 km sphere, 10 km up.
            let lat = s0.lat_rad + frac * rmax / 6_371_000.0;
            let point = Geodetic { lat_rad: lat, alt_m: 10_000.0, ..s0 }.to_ecef();
            let mut t_int = 0.7 * c.params.max_flight_time_s;
            let mut out = (f64::INFINITY, 0.0, 0.0);
            let mut target = None;
            for _ in 0..3 {
                let tg = Target { p0: point - inbound * t_int, v0: inbound, acc: Vec3::zeros(), t_on: f64::INFINITY };
                let law = LoftedPn::new(c.navigation_constant, k, handover, v_avg).unwrap();
                let aim = law.aim_point(&s0.to_ecef(), &tg.at(0.0));
                out = shoot(&c, Box::new(law), &aim, &tg);
                target = Some(tg);
                if out.0 < c.lethal_radius_m {
                    t_int = out.1;
                }
            }
            let tg = target.unwrap();
            let plain = LoftedPn::new(c.navigation_constant, 0.0, handover, v_avg).unwrap();
            let (p_miss, p_t, _) = shoot(&c, Box::new(plain), &point, &tg);
            let (miss, t, r) = out;
            println!(
                "{:12} {k:.2} {:5.1} km {t:6.1} s (max {:4.0} s) miss {miss:9.2} m (lethal {} m) | plain PN {:.0} m at {p_t:.0} s",
                c.id,
                r / 1e3,
                c.params.max_flight_time_s,
                c.lethal_radius_m,
                p_miss
            );
            {
                assert!(miss < c.lethal_radius_m && t < c.params.max_flight_time_s, "{}: {miss} m at {t} s", c.id);
                assert!(r >= 0.98 * frac * rmax, "{}: intercept at {r} m", c.id);
            }
        }
    }
}
