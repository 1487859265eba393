//! Line of sight and horizon profiles against analytic oracles: the smooth-earth radar horizon
//! of bulwark-geo (√(2kR·h_r) + √(2kR·h_t), Skolnik 3rd ed. ch. 8), the knife-edge masking angle,
//! a Gaussian hill maximised independently of the grid, and the inverse horizon formula.

use std::sync::Arc;

use bulwark_geo::{EARTH_MEAN_RADIUS, FOUR_THIRDS, Geodetic, above_radar_horizon, radar_horizon_m};
use bulwark_terrain::{
    ElevationGrid, GridGeometry, Masking, NoTerrain, TerrainMask, Visibility, horizon_profile, line_of_sight,
};
use proptest::prelude::*;

const KR: f64 = FOUR_THIRDS * EARTH_MEAN_RADIUS;

/// A point on the equator at ground distance `d_m` east of longitude 0 (mean-earth sphere).
fn on_equator(d_m: f64, alt_m: f64) -> Geodetic {
    Geodetic::new(0.0, d_m / EARTH_MEAN_RADIUS, alt_m)
}

/// A grid of 3 rows straddling the equator, from longitude 0 eastwards.
fn equator_strip(dlon_deg: f64, cols: usize) -> GridGeometry {
    GridGeometry::from_degrees(-dlon_deg, -dlon_deg, dlon_deg, dlon_deg, 3, cols)
}

#[test]
fn flat_zero_grid_agrees_with_the_four_thirds_radar_horizon() {
    // Oracle: bulwark_geo::above_radar_horizon (the smooth-earth 4/3 horizon). Targets 0.3 %
    // inside and outside the horizon range; the parabolic ray and slant-vs-ground range differ
    // from the horizon formula by < 0.05 % at these heights.
    let grid = ElevationGrid::flat(equator_strip(0.01, 600), 0.0).unwrap();
    for (h_r, h_t) in [(10.0, 1000.0), (30.0, 10_000.0), (100.0, 100.0), (5.0, 5000.0), (20.0, 0.5)] {
        let horizon = radar_horizon_m(h_r, h_t, FOUR_THIRDS);
        let radar = on_equator(0.0, h_r);
        for (factor, expect_visible) in [(0.997, true), (1.003, false)] {
            let target = on_equator(horizon * factor, h_t);
            let slant = (target.to_ecef() - radar.to_ecef()).norm();
            assert_eq!(above_radar_horizon(slant, h_r, h_t, FOUR_THIRDS), expect_visible, "geo, {h_r} m → {h_t} m");
            let v = line_of_sight(&grid, &radar, &target, FOUR_THIRDS, 500.0);
            assert_eq!(v.is_visible(), expect_visible, "{h_r} m → {h_t} m at {factor}·horizon: {v:?}");
            if let Visibility::Masked(m) = v {
                // The blocking bulge is near the tangent point √(2kR·h_r) of the radar's ray.
                let tangent = (2.0 * KR * h_r).sqrt();
                assert!((m.ground_range_m - tangent).abs() < 0.2 * horizon, "{m:?} vs tangent {tangent}");
                assert_eq!(m.at.alt_m, 0.0);
                assert!(m.ray_height_m < 0.0);
            }
        }
    }
}

#[test]
fn knife_edge_ridge_masks_at_the_analytic_masking_angle() {
    // Oracle (analytic): a knife edge of height H at ground distance d1 masks, in the 4/3-earth
    // model, every target below the ray at elevation slope θ_m = (H − h_a)/d1 − d1/(2kR):
    // h_min(D) = h_a + D·θ_m + D²/(2kR). The ridge here is a plateau whose front top edge is a
    // grid node at d1; sampling every ≤ 5 m puts the masking sample at most 5 m past the edge,
    // which lowers h_min by ≤ D·(H − h_a)·5/d1² ≈ 0.2 m: hence the asymmetric tolerance.
    let dlon_deg: f64 = 1.0 / 3600.0; // 1 arc-second, ~31 m
    let spacing = dlon_deg.to_radians() * EARTH_MEAN_RADIUS;
    let j1 = 1000.0;
    let d1 = j1 * spacing;
    let (h_top, h_a, d_target) = (400.0, 20.0, 90_000.0);
    let ridge_lon = |lon: f64| {
        let j = (lon.to_degrees() / dlon_deg).round();
        if (j1..=j1 + 2.0).contains(&j) { h_top } else { 0.0 }
    };
    let grid = ElevationGrid::from_fn(equator_strip(dlon_deg, 3200), |_, lon| ridge_lon(lon)).unwrap();
    let radar = on_equator(0.0, h_a);
    for k in [FOUR_THIRDS, 1.0] {
        let kr = k * EARTH_MEAN_RADIUS;
        let theta_m = (h_top - h_a) / d1 - d1 / (2.0 * kr);
        let h_min = h_a + d_target * theta_m + d_target * d_target / (2.0 * kr);
        let above = line_of_sight(&grid, &radar, &on_equator(d_target, h_min + 0.05), k, 5.0);
        assert_eq!(above, Visibility::Visible, "k = {k}: h_min = {h_min}");
        match line_of_sight(&grid, &radar, &on_equator(d_target, h_min - 0.5), k, 5.0) {
            Visibility::Masked(m) => {
                assert!(
                    (m.ground_range_m - d1).abs() < 6.0,
                    "k = {k}: masked at {} m, edge at {d1} m",
                    m.ground_range_m
                );
                assert!((m.at.alt_m - h_top).abs() < 1e-3);
            }
            other => panic!("k = {k}: {other:?}, h_min = {h_min}"),
        }
    }
}

/// Analytic Gaussian hill on the equator: peak at ground distance `c`, height `p`, width `s`.
fn gaussian(d: f64, c: f64, p: f64, s: f64) -> f64 {
    p * (-0.5 * ((d - c) / s).powi(2)).exp()
}

#[test]
fn gaussian_hill_between_radar_and_target() {
    // Oracle: the same effective-earth geometry evaluated on the analytic hill, not the grid:
    // h_min = h_a + D·max_d[(g(d) − h_a)/d − d/(2kR)] + D²/(2kR), the maximum found by a 0.1 m
    // scan then refined. Tolerance 0.3 m: bilinear error of the 55 m grid at the tangent point
    // (~h''·Δ²/8 ≈ 0.03 m on the hill, times D/d ≈ 3).
    let (centre, peak, sigma, h_a) = (33_000.0, 600.0, 3000.0, 15.0);
    let d_target = 89_000.0;
    let centre_geo = on_equator(centre, 0.0);
    let grid = ElevationGrid::gaussian_hill(equator_strip(0.0005, 2002), &centre_geo, peak, sigma).unwrap();
    let slope = |d: f64| (gaussian(d, centre, peak, sigma) - h_a) / d - d / (2.0 * KR);
    let mut best = (1.0, slope(1.0));
    let mut d = 1.0;
    while d < d_target {
        let s = slope(d);
        if s > best.1 {
            best = (d, s);
        }
        d += 0.1;
    }
    let h_min = h_a + d_target * best.1 + d_target * d_target / (2.0 * KR);
    assert!(h_min > 1000.0, "the hill must matter: {h_min}");
    let radar = on_equator(0.0, h_a);
    assert!(line_of_sight(&grid, &radar, &on_equator(d_target, h_min + 0.3), FOUR_THIRDS, 20.0).is_visible());
    match line_of_sight(&grid, &radar, &on_equator(d_target, h_min - 0.3), FOUR_THIRDS, 20.0) {
        Visibility::Masked(m) => assert!((m.ground_range_m - best.0).abs() < 500.0, "{m:?}, tangent at {}", best.0),
        other => panic!("{other:?}"),
    }
    // Without the hill the same low target is well inside the horizon.
    let flat = ElevationGrid::flat(equator_strip(0.0005, 2002), 0.0).unwrap();
    assert!(line_of_sight(&flat, &radar, &on_equator(d_target, h_min - 0.3), FOUR_THIRDS, 20.0).is_visible());
}

#[test]
fn degenerate_and_invalid_inputs() {
    let grid = ElevationGrid::flat(equator_strip(0.01, 100), 50.0).unwrap();
    let a = on_equator(1000.0, 10.0);
    assert_eq!(line_of_sight(&grid, &a, &a, FOUR_THIRDS, 90.0), Visibility::Visible);
    let above = Geodetic { alt_m: 10_000.0, ..a };
    assert_eq!(line_of_sight(&grid, &a, &above, FOUR_THIRDS, 90.0), Visibility::Visible);
    // Both below the 50 m plateau, 300 m apart: masked.
    assert!(!line_of_sight(&grid, &a, &on_equator(1300.0, 10.0), FOUR_THIRDS, 90.0).is_visible());
    let b = on_equator(5000.0, 100.0);
    let nan = Geodetic { lat_rad: f64::NAN, ..a };
    let inf = Geodetic { alt_m: f64::INFINITY, ..a };
    for (from, to, k, step) in [
        (nan, b, FOUR_THIRDS, 90.0),
        (a, inf, FOUR_THIRDS, 90.0),
        (a, b, 0.0, 90.0),
        (a, b, f64::NAN, 90.0),
        (a, b, FOUR_THIRDS, 0.0),
        (a, b, FOUR_THIRDS, -1.0),
        (a, b, FOUR_THIRDS, f64::INFINITY),
    ] {
        assert_eq!(line_of_sight(&grid, &from, &to, k, step), Visibility::InvalidInput);
    }
    // A tiny step is capped (MAX_SAMPLES) rather than running for ever; antipodes work.
    let far = Geodetic::new(0.0, std::f64::consts::PI, 10.0);
    assert!(!line_of_sight(&grid, &a, &far, FOUR_THIRDS, 1e-6).is_visible());
    assert!(horizon_profile(&grid, &a, 10.0, 0.0, 5000.0, 0.0, FOUR_THIRDS).is_empty());
    assert!(horizon_profile(&grid, &nan, 10.0, 0.0, 5000.0, 90.0, FOUR_THIRDS).is_empty());
    assert!(horizon_profile(&grid, &a, 10.0, 0.0, -1.0, 90.0, FOUR_THIRDS).is_empty());
    assert!(horizon_profile(&grid, &a, 10.0, 0.0, 5000.0, 90.0, -1.0).is_empty());
    assert!(horizon_profile(&grid, &a, 10.0, 0.0, 0.0, 90.0, FOUR_THIRDS).is_empty());
}

#[test]
fn horizon_profile_over_flat_earth_is_the_inverted_horizon_formula() {
    // Oracle: invert d = √(2kR·h_a) + √(2kR·h_t) (bulwark-geo's horizon): beyond the antenna's
    // own horizon d_a the lowest visible height is (d − d_a)²/(2kR), inside it the ground (0).
    let grid = ElevationGrid::flat(GridGeometry::from_degrees(40.0, 5.0, 0.02, 0.02, 300, 300), 0.0).unwrap();
    let site = Geodetic::from_degrees(41.0, 6.0, 0.0);
    let h_a = 25.0;
    let profile = horizon_profile(&grid, &site, h_a, 0.7, 200_000.0, 100.0, FOUR_THIRDS);
    assert_eq!(profile.len(), 2000);
    let d_a = (2.0 * KR * h_a).sqrt();
    for &(d, h) in &profile {
        let expected = if d > d_a { (d - d_a).powi(2) / (2.0 * KR) } else { 0.0 };
        assert!((h - expected).abs() < 0.01, "at {d} m: {h} vs {expected}");
    }
}

/// Destination at ground distance `d` and azimuth `az` from `a` on the mean-earth sphere (the
/// spherical direct problem, Williams' Aviation Formulary): independent of the crate's walk.
fn destination(a: &Geodetic, az: f64, d: f64, alt: f64) -> Geodetic {
    let delta = d / EARTH_MEAN_RADIUS;
    let lat = (a.lat_rad.sin() * delta.cos() + a.lat_rad.cos() * delta.sin() * az.cos()).asin();
    let lon = a.lon_rad + (az.sin() * delta.sin() * a.lat_rad.cos()).atan2(delta.cos() - a.lat_rad.sin() * lat.sin());
    Geodetic::new(lat, lon, alt)
}

fn hilly() -> ElevationGrid {
    let hills = [(45.2, 7.2, 900.0, 2500.0), (45.35, 7.5, 1400.0, 4000.0), (45.05, 7.45, 700.0, 1500.0)];
    ElevationGrid::from_fn(GridGeometry::from_degrees(44.5, 6.5, 0.001, 0.001, 1201, 1501), |lat, lon| {
        let p = Geodetic::new(lat, lon, 0.0);
        hills
            .iter()
            .map(|&(la, lo, h, s)| {
                let r = bulwark_geo::surface_distance_m(&p, &Geodetic::from_degrees(la, lo, 0.0));
                h * (-0.5 * (r / s).powi(2)).exp()
            })
            .sum::<f64>()
            + 200.0
    })
    .unwrap()
}

#[test]
fn horizon_profile_agrees_with_line_of_sight() {
    // Oracle: line_of_sight itself, target placed by the independent spherical direct formula:
    // just above the profile height visible, just below masked (where the ray, not the ground,
    // sets the height).
    let grid = hilly();
    let site = Geodetic::from_degrees(45.0, 7.0, grid.height_m(45f64.to_radians(), 7f64.to_radians()).unwrap());
    let mut checked = 0;
    for az_deg in [20.0_f64, 55.0, 80.0, 130.0] {
        let az = az_deg.to_radians();
        let profile = horizon_profile(&grid, &site, 12.0, az, 45_000.0, 100.0, FOUR_THIRDS);
        assert!(!profile.is_empty());
        let from = Geodetic { alt_m: site.alt_m + 12.0, ..site };
        for &(d, h) in profile.iter().step_by(37) {
            let ground = destination(&site, az, d, 0.0);
            let terrain = grid.height_m(ground.lat_rad, ground.lon_rad).unwrap();
            assert!(h >= terrain - 1e-6, "{h} below the ground {terrain}");
            if h < terrain + 0.5 {
                continue;
            }
            checked += 1;
            let hi = line_of_sight(&grid, &from, &destination(&site, az, d, h + 0.05), FOUR_THIRDS, 100.0);
            let lo = line_of_sight(&grid, &from, &destination(&site, az, d, h - 0.05), FOUR_THIRDS, 100.0);
            assert!(hi.is_visible(), "az {az_deg}, {d} m, h {h}: {hi:?}");
            assert!(matches!(lo, Visibility::Masked(_)), "az {az_deg}, {d} m, h {h}: {lo:?}");
        }
    }
    assert!(checked > 20, "only {checked} ray-limited ranges checked");
}

#[test]
fn masking_trait_objects() {
    let grid = Arc::new(hilly());
    let mask = TerrainMask::new(grid.clone(), FOUR_THIRDS, 90.0).unwrap();
    let masks: Vec<Box<dyn Masking>> = vec![Box::new(NoTerrain), Box::new(mask.clone())];
    let a = Geodetic::from_degrees(45.0, 7.0, 230.0);
    let behind_hill = Geodetic::from_degrees(45.4, 7.6, 300.0);
    let high = Geodetic::from_degrees(45.4, 7.6, 9000.0);
    assert!(masks[0].visible(&a, &behind_hill));
    assert!(!masks[1].visible(&a, &behind_hill));
    assert!(masks[1].visible(&a, &high));
    assert_eq!(mask.line_of_sight(&a, &behind_hill), line_of_sight(&grid, &a, &behind_hill, FOUR_THIRDS, 90.0));
    assert!(!masks[1].visible(&a, &Geodetic { lat_rad: f64::NAN, ..high }));
    assert!(TerrainMask::new(grid.clone(), 0.0, 90.0).is_err());
    assert!(TerrainMask::new(grid.clone(), FOUR_THIRDS, f64::NAN).is_err());
    fn shareable<T: Send + Sync>(_: &T) {}
    shareable(&mask);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn line_of_sight_is_symmetric(
        lat1 in 44.6f64..45.6, lon1 in 6.6f64..7.9, alt1 in 0.0f64..3000.0,
        lat2 in 44.6f64..45.6, lon2 in 6.6f64..7.9, alt2 in 0.0f64..3000.0,
    ) {
        // The sample set {i·D/n} is the same from either end, so the verdict must be too.
        thread_local!(static GRID: ElevationGrid = hilly());
        let a = Geodetic::from_degrees(lat1, lon1, alt1);
        let b = Geodetic::from_degrees(lat2, lon2, alt2);
        let (ab, ba) = GRID.with(|g| {
            (line_of_sight(g, &a, &b, FOUR_THIRDS, 90.0), line_of_sight(g, &b, &a, FOUR_THIRDS, 90.0))
        });
        prop_assert_eq!(ab.is_visible(), ba.is_visible());
        if let Visibility::Masked(m) = ab {
            prop_assert!(m.ground_range_m.is_finite() && m.at.alt_m.is_finite() && m.ray_height_m < m.at.alt_m);
        }
    }
}
