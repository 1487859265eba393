//! Degenerate geometry (earth centre, poles, zero range, zenith) and the 4/3-earth radar
//! horizon against the textbook rule of thumb.

mod common;

use bulwark_core::Vec3;
use bulwark_geo::{
    EARTH_MEAN_RADIUS, EnuFrame, FOUR_THIRDS, Geodetic, Rae, WGS84_A, WGS84_B, WGS84_E2, above_radar_horizon,
    meridian_radius, prime_vertical_radius, radar_horizon_m, surface_distance_m,
};
use common::{MM, assert_angle_close, assert_close, assert_vec_close};
use std::f64::consts::{FRAC_PI_2, PI, TAU};

fn assert_finite_geodetic(label: &str, g: &Geodetic) {
    assert!(g.lat_rad.is_finite() && g.lon_rad.is_finite() && g.alt_m.is_finite(), "{label}: {g:?}");
    assert!(g.lat_rad.abs() <= FRAC_PI_2, "{label}: latitude out of range: {g:?}");
}

// ---- Earth centre and the core -------------------------------------------------------------

#[test]
fn earth_centre_maps_to_north_pole_at_minus_b() {
    let g = Geodetic::from_ecef(&Vec3::zeros());
    assert_finite_geodetic("centre", &g);
    assert_eq!(g.lat_rad, FRAC_PI_2);
    assert_close("centre h", g.alt_m, -WGS84_B, 1e-9);
    assert_vec_close("centre back", &g.to_ecef(), &Vec3::zeros(), 1e-6);
}

/// Regression: inside the evolute of the meridian ellipse (within ~43 km of the centre)
/// Bowring's iteration returned a latitude of 180° for (1, 0, 0) and positions up to 29 km
/// wrong elsewhere (e.g. (10 km, 0, 1 km) came back 1.6 km off).
#[test]
fn points_near_the_centre_round_trip() {
    let cases = [
        Vec3::new(1.0, 0.0, 0.0),
        Vec3::new(1.0, 0.0, 0.001),
        Vec3::new(-1.0, 0.0, 1.0),
        Vec3::new(10.0, 0.0, 1.0),
        Vec3::new(5_000.0, 0.0, 1_000.0),
        Vec3::new(10_000.0, 0.0, 1_000.0),
        Vec3::new(0.0, 40_000.0, -1_000.0),
        Vec3::new(42_000.0, 0.0, 100.0),
        Vec3::new(10_000.0, 10_000.0, 28_000.0),
        Vec3::new(60_000.0, -30_000.0, 20_000.0),
        Vec3::new(1e-6, 0.0, 0.0),
    ];
    for p in cases {
        let g = Geodetic::from_ecef(&p);
        assert_finite_geodetic(&format!("{p:?}"), &g);
        assert_vec_close(&format!("{p:?} round trip"), &g.to_ecef(), &p, 1e-6);
    }
}

// ---- Poles ------------------------------------------------------------------------------

#[test]
fn exactly_on_the_poles() {
    for (sign, lon_deg, h) in [(1.0, 0.0, 0.0), (-1.0, 0.0, 0.0), (1.0, 137.0, 400_000.0), (-1.0, -45.0, -100.0)] {
        let g = Geodetic::from_degrees(90.0 * sign, lon_deg, h);
        let p = g.to_ecef();
        // x, y are (N + h)·cos(π/2) ≈ 6.1e-17·(N + h): below a nanometre.
        assert_vec_close("pole to_ecef", &p, &Vec3::new(0.0, 0.0, sign * (WGS84_B + h)), 1e-9);
        let back = Geodetic::from_ecef(&p);
        assert_close("pole lat", back.lat_rad, sign * FRAC_PI_2, 1e-15);
        assert_close("pole h", back.alt_m, h, 1e-6);
        // Exactly on the axis: x = y = 0.
        let on_axis = Geodetic::from_ecef(&Vec3::new(0.0, 0.0, sign * (WGS84_B + h)));
        assert_eq!(on_axis.lat_rad, sign * FRAC_PI_2);
        assert_close("on-axis h", on_axis.alt_m, h, 1e-9);
    }
}

#[test]
fn enu_frame_on_the_north_pole() {
    // At the pole with longitude 0, north points along −X (towards 180°), east along +Y.
    let frame = EnuFrame::new(Geodetic::from_degrees(90.0, 0.0, 0.0));
    assert_vec_close("east", &frame.vec_to_ecef(&Vec3::x()), &Vec3::y(), 1e-15);
    assert_vec_close("north", &frame.vec_to_ecef(&Vec3::y()), &-Vec3::x(), 1e-15);
    assert_vec_close("up", &frame.vec_to_ecef(&Vec3::z()), &Vec3::z(), 1e-15);
    // A point 1° down the 180° meridian lies due north, below the local horizontal.
    let rae = frame.rae(&Geodetic::from_degrees(89.0, 180.0, 0.0).to_ecef());
    assert_angle_close("azimuth", rae.azimuth_rad, 0.0, 1e-12);
    assert!(rae.elevation_rad < 0.0 && rae.range_m > 100_000.0, "{rae:?}");
    // The origin seen from itself.
    assert_eq!(frame.rae(&frame.origin_ecef()), Rae { range_m: 0.0, azimuth_rad: 0.0, elevation_rad: 0.0 });
}

// ---- Zero range and the zenith -------------------------------------------------------------

#[test]
fn zero_range_rae() {
    for v in [Vec3::zeros(), Vec3::new(-0.0, -0.0, 0.0), Vec3::new(-0.0, 0.0, -0.0)] {
        let rae = Rae::from_enu(&v);
        // Regression: (−0, −0, 0) gave azimuth π (atan2(−0, −0) = −π, then + 2π).
        assert_eq!(rae, Rae { range_m: 0.0, azimuth_rad: 0.0, elevation_rad: 0.0 }, "{v:?}");
    }
    let zero = Rae { range_m: 0.0, azimuth_rad: 1.234, elevation_rad: -0.5 };
    assert_eq!(zero.to_enu(), Vec3::zeros());
}

#[test]
fn straight_up_and_down() {
    let up = Rae::from_enu(&Vec3::new(0.0, 0.0, 5_000.0));
    assert_eq!((up.range_m, up.azimuth_rad, up.elevation_rad), (5_000.0, 0.0, FRAC_PI_2));
    let down = Rae::from_enu(&Vec3::new(-0.0, -0.0, -5_000.0));
    assert_eq!((down.range_m, down.azimuth_rad, down.elevation_rad), (5_000.0, 0.0, -FRAC_PI_2));
    // A target 20 km above a site: rounding leaves nanometres of horizontal offset, so the
    // azimuth is arbitrary, but elevation and range are exact to the tolerance.
    let frame = EnuFrame::new(Geodetic::from_degrees(30.0, -100.0, 500.0));
    let rae = frame.rae(&Geodetic::from_degrees(30.0, -100.0, 20_500.0).to_ecef());
    assert_close("zenith range", rae.range_m, 20_000.0, MM);
    assert_close("zenith elevation", rae.elevation_rad, FRAC_PI_2, 1e-9);
    assert!((0.0..TAU).contains(&rae.azimuth_rad));
}

/// Regression: a tiny negative east component gave atan2 = −1e-300, and −1e-300 + 2π rounds
/// to exactly 2π, outside the documented [0, 2π).
#[test]
fn azimuth_never_reaches_two_pi() {
    for e in [-1e-300, -1e-20, -1e-17, -f64::MIN_POSITIVE, -4.9e-324] {
        let az = Rae::from_enu(&Vec3::new(e, 1.0, 0.0)).azimuth_rad;
        assert!((0.0..TAU).contains(&az), "east {e}: azimuth {az}");
        assert_angle_close("near north", az, 0.0, 1e-15);
    }
    // Cardinal directions, clockwise from north.
    for (v, want) in [(Vec3::y(), 0.0), (Vec3::x(), FRAC_PI_2), (-Vec3::y(), PI), (-Vec3::x(), 1.5 * PI)] {
        assert_close("cardinal", Rae::from_enu(&v).azimuth_rad, want, 1e-15);
    }
}

// ---- Radii of curvature: closed forms at the equator and pole ----------------------------

#[test]
fn radii_of_curvature_closed_forms() {
    // N(0) = a, M(0) = a(1 − e²) = b²/a, N(90°) = M(90°) = a²/b (polar radius of curvature).
    assert_close("N(0)", prime_vertical_radius(0.0), WGS84_A, 1e-9);
    assert_close("M(0)", meridian_radius(0.0), WGS84_B * WGS84_B / WGS84_A, 1e-8);
    assert_close("N(90)", prime_vertical_radius(FRAC_PI_2), WGS84_A * WGS84_A / WGS84_B, 1e-8);
    assert_close("M(90)", meridian_radius(FRAC_PI_2), WGS84_A * WGS84_A / WGS84_B, 1e-8);
    assert_close("M(0) via e²", meridian_radius(0.0), WGS84_A * (1.0 - WGS84_E2), 1e-8);
}

// ---- 4/3-earth radar horizon -----------------------------------------------------------------

/// Skolnik, Introduction to Radar Systems (3rd ed.), ch. 8, 4/3-earth model, and
/// /work/shared/reference/public-parameters.md: d[km] ≈ 4.12 (√h_r + √h_t), heights in
/// metres; a 25 m mast against a 10 m cruise missile gives ≈ 33.6 km.
#[test]
fn radar_horizon_matches_skolnik_rule_of_thumb() {
    let d = radar_horizon_m(25.0, 10.0, FOUR_THIRDS);
    let root_sum = 25.0_f64.sqrt() + 10.0_f64.sqrt();
    // The printed coefficient 4.12 carries three figures, so the exact one is within ±0.005
    // of it (±0.12 %); ours is √(2·(4/3)·Re)/1000 = 4.1218 with Re = 6371.0088 km.
    let coefficient = d / 1000.0 / root_sum;
    assert_close("4.12 coefficient", coefficient, 4.12, 0.005);
    // 33.6 km printed to 0.1 km: ±50 m (ours is 33 643 m).
    assert_close("25 m vs 10 m", d, 33_600.0, 50.0);
    // Exactly the closed form with the IUGG mean radius R₁ = 6 371 008.7714 m (Moritz,
    // Geodetic Reference System 1980, Bull. Géod. 54(3)); R₁ differs between GRS80 and WGS-84
    // by under 0.1 mm.
    let ke: f64 = 4.0 / 3.0 * 6_371_008.771_4;
    assert_close("closed form", d, (2.0 * ke * 25.0).sqrt() + (2.0 * ke * 10.0).sqrt(), 1e-3);
    assert_close("mean radius", EARTH_MEAN_RADIUS, 6_371_008.771_4, 1e-3);
    // Symmetric in the two heights; one height zero leaves one term.
    assert_eq!(radar_horizon_m(10.0, 25.0, FOUR_THIRDS), d);
    assert_close("radar at ground", radar_horizon_m(0.0, 10_000.0, FOUR_THIRDS), (2.0 * ke * 10_000.0).sqrt(), 1e-3);
}

#[test]
fn radar_horizon_degenerate_inputs_give_no_nan() {
    assert_eq!(radar_horizon_m(-25.0, -10.0, FOUR_THIRDS), 0.0);
    assert_eq!(radar_horizon_m(-25.0, 10.0, FOUR_THIRDS), radar_horizon_m(0.0, 10.0, FOUR_THIRDS));
    assert_eq!(radar_horizon_m(f64::NAN, 10.0, FOUR_THIRDS), radar_horizon_m(0.0, 10.0, FOUR_THIRDS));
    for k in [0.0, -1.0, f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
        let d = radar_horizon_m(25.0, 10.0, k);
        assert_eq!(d, 0.0, "k = {k}");
    }
    assert!(!above_radar_horizon(1.0, -5.0, -5.0, FOUR_THIRDS));
    assert!(above_radar_horizon(0.0, 0.0, 0.0, FOUR_THIRDS));
    let d = radar_horizon_m(25.0, 10.0, FOUR_THIRDS);
    assert!(above_radar_horizon(d - 1.0, 25.0, 10.0, FOUR_THIRDS));
    assert!(!above_radar_horizon(d + 1.0, 25.0, 10.0, FOUR_THIRDS));
}

// ---- Surface distance (mean sphere) ------------------------------------------------------

#[test]
fn surface_distance_closed_forms() {
    let quarter = PI / 2.0 * EARTH_MEAN_RADIUS;
    let eq0 = Geodetic::from_degrees(0.0, 0.0, 0.0);
    assert_close("quarter equator", surface_distance_m(&eq0, &Geodetic::from_degrees(0.0, 90.0, 0.0)), quarter, MM);
    assert_close("equator to pole", surface_distance_m(&eq0, &Geodetic::from_degrees(90.0, 0.0, 0.0)), quarter, MM);
    let antipode = surface_distance_m(&eq0, &Geodetic::from_degrees(0.0, 180.0, 0.0));
    assert_close("antipode", antipode, PI * EARTH_MEAN_RADIUS, MM);
    assert_eq!(surface_distance_m(&eq0, &eq0), 0.0);
}
