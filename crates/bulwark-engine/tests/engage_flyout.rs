//! The command post's fly-out table against the 3-DOF interceptor it plans for.
//!
//! Oracle: `bulwark_motion::Interceptor` (rotating WGS-84 earth, J₂ gravity, 1976 atmosphere,
//! speed-programmed burn, drag coast), launched straight at a point as the engine would with no
//! elevation floor and flown without a guidance command. The table is built from a 1-D
//! along-path integration over a spherical earth (`setup::flyout_table`), so it leaves out
//! Coriolis, J₂ and the ellipsoid and interpolates a grid: the stated tolerance is 2 % of the
//! fly-out time plus 0.3 s.
use bulwark_c2::engage::{LauncherGeometry, predicted_intercept};
use bulwark_c2::{Flyout, TrackView};
use bulwark_core::{Identity, TrackId, Vec3};
use bulwark_engine::interceptor_types;
use bulwark_geo::{EnuFrame, Geodetic};
use bulwark_motion::{Interceptor, ProportionalNavigation, closest_approach, launch_direction};
use bulwark_scenario::Catalog;

fn site() -> Geodetic {
    Geodetic::from_degrees(45.0, 10.0, 0.0)
}

/// Fly the 3-DOF straight at `aim` (ENU of the site) and return (time, miss) of the closest
/// approach to the moving point `target(t)`.
fn fly(params: bulwark_motion::InterceptorParams, aim: Vec3, target: impl Fn(f64) -> Vec3) -> Option<(f64, f64)> {
    let frame = EnuFrame::new(site());
    let dir = launch_direction(&site(), &frame.to_ecef(&aim), -1.5);
    let pn = Box::new(ProportionalNavigation::new(3.0).ok()?);
    let mut m = Interceptor::launch(site(), dir, params, pn).ok()?;
    let dt = 0.05;
    let mut best: Option<(f64, f64)> = None;
    let mut prev_rel = frame.to_ecef(&target(0.0)) - m.position_ecef();
    while m.status() == bulwark_motion::InterceptorStatus::Flying {
        let t0 = m.elapsed_s();
        m.step(dt, None);
        let t1 = m.elapsed_s();
        let rel = frame.to_ecef(&target(t1)) - m.position_ecef();
        let (f, miss) = closest_approach(&prev_rel, &rel);
        if best.is_none_or(|b| miss < b.1) {
            best = Some((t0 + f * (t1 - t0), miss));
        }
        prev_rel = rel;
    }
    best
}

#[test]
fn table_time_of_flight_matches_flying_the_3dof_to_fixed_points() {
    let cat = Catalog::embedded().unwrap();
    let types = interceptor_types(&cat).unwrap();
    let frame = EnuFrame::new(site());
    let mut checked = 0;
    for (id, ty) in &types {
        let Flyout::Table(table) = &ty.envelope.flyout else { panic!("{id}: no table") };
        let rmax = ty.envelope.max_range_m;
        for (fr, h) in [(0.1, 1_000.0), (0.25, 5_000.0), (0.4, 12_000.0), (0.6, 3_000.0), (0.3, 25_000.0)] {
            let r = fr * rmax;
            let Some(t_table) = table.time_of_flight(r, h) else { continue };
            // The point at ground range r due north, height h: geodetic latitude offset r/R_e.
            let g = Geodetic::from_degrees(45.0 + (r / bulwark_geo::EARTH_MEAN_RADIUS).to_degrees(), 10.0, h);
            let aim = frame.to_enu(&g.to_ecef());
            let (t, miss) = fly(ty.params, aim, |_| aim).unwrap();
            let tol = 0.02 * t + 0.3;
            println!(
                "{id}: R {:.0} km h {:.0} km: table {t_table:.2} s, 3-DOF {t:.2} s, miss {miss:.0} m",
                r / 1e3,
                h / 1e3
            );
            assert!((t_table - t).abs() <= tol, "{id} R {r} h {h}: table {t_table} vs 3-DOF {t}");
            assert!(miss < 0.01 * aim.norm() + 50.0, "{id}: straight flight passes the point ({miss} m)");
            checked += 1;
        }
    }
    assert!(checked >= 10, "only {checked} points inside the tables");
}

#[test]
fn table_pip_meets_a_constant_velocity_target_flown_by_the_3dof() {
    let cat = Catalog::embedded().unwrap();
    let types = interceptor_types(&cat).unwrap();
    let frame = EnuFrame::new(site());
    let mut checked = 0;
    for (id, ty) in &types {
        let rmax = ty.envelope.max_range_m;
        for (p0, v) in [
            (Vec3::new(0.0, 0.5 * rmax, 8_000.0), Vec3::new(0.0, -300.0, 0.0)),
            (Vec3::new(-0.2 * rmax, 0.3 * rmax, 3_000.0), Vec3::new(250.0, -100.0, 0.0)),
            (Vec3::new(0.0, 0.35 * rmax, 20_000.0), Vec3::new(0.0, -1_000.0, -150.0)),
        ] {
            let alt = |p: &Vec3| Geodetic::from_ecef(&frame.to_ecef(p)).alt_m;
            let track = TrackView {
                id: TrackId(1),
                position: p0,
                velocity: v,
                altitude_m: alt(&p0),
                climb_rate_mps: alt(&(p0 + v)) - alt(&p0),
                confirmed: true,
                coasting: false,
                identity: Identity::Hostile,
                hostile_since: None,
            };
            let launcher = LauncherGeometry { position: Vec3::zeros(), altitude_m: 0.0 };
            let Some((pip, tof)) =
                predicted_intercept(&track, &launcher, &ty.envelope.flyout, ty.envelope.max_flight_time_s)
            else {
                continue;
            };
            let (t, miss) = fly(ty.params, pip, |t| p0 + v * t).unwrap();
            // Miss: the time error times the closing speed, plus the straight-flight drift.
            let tol_t = 0.02 * tof + 0.3;
            println!("{id}: PIP {:.0} km, tof {tof:.2} s; 3-DOF closest {t:.2} s, miss {miss:.0} m", pip.norm() / 1e3);
            assert!((t - tof).abs() <= tol_t, "{id}: tof {tof} vs 3-DOF {t}");
            assert!(miss <= 0.02 * pip.norm() + 100.0, "{id}: miss {miss} m at {} m", pip.norm());
            checked += 1;
        }
    }
    assert!(checked >= 6, "only {checked} intercepts");
}
