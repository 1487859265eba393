//! Legs between recorded positions follow the ellipsoid (issue 19: recorded flights were
//! joined by straight chords through the Earth).
use bulwark_geo::{Geodetic, interpolate_leg};

/// Gade's worked example 6 ("interpolated position"), as published with the nvector
/// library (navlab.net/nvector example 6; pbrod/nvector docs): from lat 89°, lon 0° at
/// t0 = 10 s to lat 89°, lon 180° at t1 = 20 s, the position at ti = 16 s is lat 89.7999805°,
/// lon 180°. The published figure has 7 decimals; tolerance 1e-7°.
#[test]
fn gade_example_6_interpolated_position() {
    let a = Geodetic::from_degrees(89.0, 0.0, 0.0);
    let b = Geodetic::from_degrees(89.0, 180.0, 0.0);
    let p = interpolate_leg(&a, &b, (16.0 - 10.0) / (20.0 - 10.0)).unwrap();
    assert!((p.lat_deg() - 89.799_980_5).abs() < 1e-7, "lat {}", p.lat_deg());
    assert!((p.lon_deg().abs() - 180.0).abs() < 1e-9, "lon {}", p.lon_deg());
}

/// The midpoint (f = ½) is the spherical great-circle midpoint of the two normals, by the
/// closed form in Williams' Aviation Formulary (also Veness, "Calculate distance, bearing and
/// more between latitude/longitude points", section "Midpoint"):
/// φm = atan2(sinφ1 + sinφ2, √((cosφ1 + Bx)² + By²)), λm = λ1 + atan2(By, cosφ1 + Bx),
/// Bx = cosφ2 cos Δλ, By = cosφ2 sin Δλ. Tolerance 1e-12 rad (rounding).
#[test]
fn midpoint_matches_the_aviation_formulary() {
    let pairs: [((f64, f64), (f64, f64)); 4] = [
        ((52.23, 21.01), (55.75, 37.62)),   // Warsaw – Moscow
        ((51.47, -0.45), (40.64, -73.78)),  // Heathrow – JFK
        ((-33.95, 151.18), (1.36, 103.99)), // Sydney – Singapore
        ((10.0, 179.0), (-10.0, -179.0)),   // across the antimeridian
    ];
    for ((la1, lo1), (la2, lo2)) in pairs {
        let (p1, l1, p2, l2) = (la1.to_radians(), lo1.to_radians(), la2.to_radians(), lo2.to_radians());
        let dl: f64 = l2 - l1;
        let bx = p2.cos() * dl.cos();
        let by = p2.cos() * dl.sin();
        let phi_m = (p1.sin() + p2.sin()).atan2(((p1.cos() + bx).powi(2) + by * by).sqrt());
        let lam_m = l1 + by.atan2(p1.cos() + bx);
        let m = interpolate_leg(&Geodetic::new(p1, l1, 100.0), &Geodetic::new(p2, l2, 300.0), 0.5).unwrap();
        assert!((m.lat_rad - phi_m).abs() < 1e-12, "lat {} vs {phi_m}", m.lat_rad);
        let dlon = (m.lon_rad - lam_m).rem_euclid(std::f64::consts::TAU);
        assert!(dlon.min(std::f64::consts::TAU - dlon) < 1e-12, "lon {} vs {lam_m}", m.lon_rad);
        assert!((m.alt_m - 200.0).abs() < 1e-9, "height linear: {}", m.alt_m);
    }
}

/// A cruise recording at FL350 (10,668 m) with points 10 min (≈ 140 km) apart: every point of
/// the leg is at FL350, where the old ECEF chord sagged by (R + h)(1 − cos(θ/2)) ≈ 0.4 km at
/// 140 km and 3.5 km at 420 km (issue 19's reproducer, 10 min at Mach 2.1).
#[test]
fn a_cruise_leg_stays_at_its_flight_level() {
    let h = 35_000.0 * 0.3048;
    let a = Geodetic::from_degrees(52.0, 14.0, h);
    let b = Geodetic::from_degrees(52.0, 20.2, h);
    let mut chord_dip: f64 = 0.0;
    for i in 0..=20 {
        let f = i as f64 / 20.0;
        let p = interpolate_leg(&a, &b, f).unwrap();
        assert!((p.alt_m - h).abs() < 1e-6, "f = {f}: {} m", p.alt_m);
        let chord = a.to_ecef() + (b.to_ecef() - a.to_ecef()) * f;
        chord_dip = chord_dip.max(h - Geodetic::from_ecef(&chord).alt_m);
    }
    assert!(chord_dip > 3000.0, "the straight chord would dip {chord_dip} m");
}

#[test]
fn antipodal_ends_have_no_leg() {
    let a = Geodetic::from_degrees(30.0, 10.0, 0.0);
    let b = Geodetic::from_degrees(-30.0, -170.0, 0.0);
    assert!(interpolate_leg(&a, &b, 0.5).is_none());
    assert!(interpolate_leg(&a, &b, 0.0).is_some());
}
