//! `LocalHeight` against the exact conversion `Geodetic::alt_of_ecef` (itself checked against
//! PROJ and the EPSG guidance examples in oracles.rs): the local second-order height model
//! an integrator uses between exact conversions.
use bulwark_core::Vec3;
use bulwark_geo::{Geodetic, LocalHeight};

/// Largest error (m) of the local model over displacements of length `d_m` in 26 directions
/// (the cube's faces, edges and corners) from points at latitudes −89°…89°, three longitudes
/// and heights 0–2,000 km.
fn worst_error(d_m: f64) -> f64 {
    let mut worst: f64 = 0.0;
    for lat in (-89..=89).step_by(8) {
        for lon in [-170.0, 12.5, 97.0] {
            for h in [0.0, 30.0, 12_000.0, 150_000.0, 2_000_000.0] {
                let p = Geodetic::from_degrees(lat as f64, lon, h).to_ecef();
                let model = LocalHeight::at(&p);
                assert!((model.alt_m() - Geodetic::alt_of_ecef(&p)).abs() == 0.0);
                for dx in [-1.0, 0.0, 1.0] {
                    for dy in [-1.0, 0.0, 1.0] {
                        for dz in [-1.0, 0.0, 1.0] {
                            let dir = Vec3::new(dx, dy, dz);
                            if dir.norm() == 0.0 {
                                continue;
                            }
                            let q = p + dir.normalize() * d_m;
                            worst = worst.max((model.height_of(&q) - Geodetic::alt_of_ecef(&q)).abs());
                        }
                    }
                }
            }
        }
    }
    worst
}

#[test]
fn the_local_height_is_exact_at_its_point_and_third_order_away_from_it() {
    // The neglected terms are O(|d|³/R²): ≈ 2e-4 m at 2 km and ≈ 0.2 m at 20 km for R of the
    // earth; the bounds allow for the curvature's variation with latitude.
    assert!(worst_error(10.0) < 1e-6, "{}", worst_error(10.0));
    assert!(worst_error(2_000.0) < 1e-3, "{}", worst_error(2_000.0));
    assert!(worst_error(20_000.0) < 0.1, "{}", worst_error(20_000.0));
    // Third order: ten times the distance, about a thousand times the error.
    let (e2, e20) = (worst_error(2_000.0), worst_error(20_000.0));
    assert!(e20 / e2 > 300.0 && e20 / e2 < 3_000.0, "{e2} {e20}");
}

#[test]
fn a_first_order_model_would_be_a_metre_off_at_four_kilometres() {
    // The curvature terms matter: dropping them errs by d²/2R ≈ 1.25 m at 4 km, which the
    // test above would catch (it must be able to fail).
    let p = Geodetic::from_degrees(45.0, 10.0, 1_000.0).to_ecef();
    let model = LocalHeight::at(&p);
    let east = Geodetic::from_degrees(45.0, 10.0, 1_000.0);
    let q = p + bulwark_geo::EnuFrame::new(east).vec_to_ecef(&Vec3::new(4_000.0, 0.0, 0.0));
    let exact = Geodetic::alt_of_ecef(&q);
    assert!((exact - 1_000.0 - 1.25).abs() < 0.02, "{exact}");
    assert!((model.height_of(&q) - exact).abs() < 1e-3);
}

#[test]
fn height_and_up_without_trigonometry_match_the_geodetic_conversion() {
    // The up vector (cos φ cos λ, cos φ sin λ, sin φ) from the latitude and longitude that
    // `from_ecef` returns, to a few ulp; the height bit for bit.
    for lat in (-90..=90).step_by(15) {
        for lon in [-180.0, -45.0, 0.0, 33.3, 179.0] {
            for h in [-400.0, 0.0, 9_000.0, 400_000.0] {
                let p = Geodetic::from_degrees(lat as f64, lon, h).to_ecef();
                let g = Geodetic::from_ecef(&p);
                let (alt, up) = Geodetic::alt_and_up_of_ecef(&p);
                let (sl, cl) = g.lat_rad.sin_cos();
                let (so, co) = g.lon_rad.sin_cos();
                assert_eq!(alt, g.alt_m);
                assert!((up - Vec3::new(cl * co, cl * so, sl)).norm() < 1e-15, "{lat} {lon} {h}");
            }
        }
    }
}
