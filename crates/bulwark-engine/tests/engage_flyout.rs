//! The command post's fly-out table against the interceptor the engine really flies.
//!
//! Oracle: each catalog type fired exactly as the engine fires it (`InterceptorType::launch`:
//! boost–sustain airframe with C_D(Mach) drag, 0.2 s autopilot lag, 20° launch floor, PN or
//! lofted PN by range; rotating WGS-84 earth, J₂, 1976 atmosphere in `bulwark_motion`), guided
//! on the point at the flight model's default 20 ms step. The table flies the same model at a
//! 0.1 s step on a coarse grid and interpolates bilinearly between nodes, so the stated
//! tolerance is 3 % of the fly-out time plus 0.5 s, at points off the grid.
use bulwark_c2::engage::{LauncherGeometry, predicted_intercept};
use bulwark_c2::{Flyout, TrackView};
use bulwark_core::{Identity, TrackId, Vec3};
use bulwark_engine::{FLYOUT_LAUNCH_MIN_ELEVATION_RAD, InterceptorType, flyout_point, flyout_time, interceptor_types};
use bulwark_geo::{EnuFrame, Geodetic};
use bulwark_motion::{InterceptorStatus, KinematicState, closest_approach};
use bulwark_scenario::Catalog;

/// The flight model's default internal step (s).
const FINE_STEP_S: f64 = 0.02;

fn site() -> Geodetic {
    Geodetic::from_degrees(45.0, 10.0, 0.0)
}

/// Fly `ty` as the engine does, aimed at `aim` (ENU of the site) and guided on the moving point
/// `target(t)` (perfect track); (time, miss) of the closest approach.
fn fly(ty: &InterceptorType, aim: Vec3, target: impl Fn(f64) -> (Vec3, Vec3)) -> Option<(f64, f64)> {
    let frame = EnuFrame::new(site());
    let (mut m, _) = ty.launch(site(), &frame.to_ecef(&aim), FLYOUT_LAUNCH_MIN_ELEVATION_RAD).ok()?;
    let dt = 0.1;
    let state = |t: f64| {
        let (p, v) = target(t);
        KinematicState::new(frame.to_ecef(&p), frame.vec_to_ecef(&v))
    };
    let mut best: Option<(f64, f64)> = None;
    let mut prev_rel = state(0.0).pos - m.position_ecef();
    while m.status() == InterceptorStatus::Flying {
        let t0 = m.elapsed_s();
        m.step(dt, Some(&state(t0)));
        let t1 = m.elapsed_s();
        let rel = state(t1).pos - m.position_ecef();
        let (f, miss) = closest_approach(&prev_rel, &rel);
        if best.is_none_or(|b| miss < b.1) {
            best = Some((t0 + f * (t1 - t0), miss));
        }
        if f < 1.0 && t0 > 0.0 {
            break;
        }
        prev_rel = rel;
    }
    best
}

#[test]
fn table_time_of_flight_matches_flying_the_engines_interceptor_off_grid() {
    let cat = Catalog::embedded().unwrap();
    let types = interceptor_types(&cat).unwrap();
    let mut checked = 0;
    let mut worst: f64 = 0.0;
    for (id, ty) in &types {
        let Flyout::Table(table) = &ty.envelope.flyout else { panic!("{id}: no table") };
        let rmax = ty.envelope.max_range_m;
        let hmax = ty.envelope.max_altitude_m;
        // Off-grid points: plain PN and lofted (≥ 30 % of max range), low and high.
        for (fr, fh) in [(0.13, 0.02), (0.22, 0.11), (0.37, 0.05), (0.52, 0.17), (0.66, 0.03), (0.81, 0.23)] {
            let (r, h) = (fr * rmax, fh * hmax);
            let Some(t_table) = table.time_of_flight(r, h) else { continue };
            let aim = flyout_point(&site(), r, h);
            let t = flyout_time(ty, site(), &aim, FLYOUT_LAUNCH_MIN_ELEVATION_RAD, FINE_STEP_S, 50.0)
                .unwrap_or_else(|| panic!("{id}: table reaches R {r} h {h} but the flight does not"));
            let tol = 0.03 * t + 0.5;
            println!(
                "{id}: R {:.1} km h {:.1} km: table {t_table:.2} s, flight {t:.2} s ({:+.2} s)",
                r / 1e3,
                h / 1e3,
                t_table - t
            );
            worst = worst.max((t_table - t).abs() / tol);
            assert!((t_table - t).abs() <= tol, "{id} R {r} h {h}: table {t_table} vs flight {t}");
            checked += 1;
        }
    }
    println!("worst error / tolerance: {worst:.2}");
    assert!(checked >= 20, "only {checked} points inside the tables");
}

#[test]
fn table_pip_meets_a_constant_velocity_target_flown_by_the_engines_interceptor() {
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
            let (t, miss) = fly(ty, pip, |t| (p0 + v * t, v)).unwrap();
            // Guided on a perfect track the interceptor meets the target; the PIP's time is the
            // table's, within the table's tolerance.
            let tol_t = 0.03 * tof + 0.5;
            println!("{id}: PIP {:.0} km, tof {tof:.2} s; flight closest {t:.2} s, miss {miss:.1} m", pip.norm() / 1e3);
            assert!((t - tof).abs() <= tol_t, "{id}: tof {tof} vs flight {t}");
            assert!(miss <= 100.0, "{id}: miss {miss} m at {} m", pip.norm());
            checked += 1;
        }
    }
    assert!(checked >= 6, "only {checked} intercepts");
}
