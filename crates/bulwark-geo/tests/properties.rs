//! Property tests (proptest): each conversion composed with its inverse is the identity,
//! and frame-to-frame rotations agree with going through ECEF.

mod common;

use bulwark_core::{Mat3, Vec3};
use bulwark_geo::{EnuFrame, Geodetic, Rae};
use common::angle_diff;
use proptest::prelude::*;
use std::f64::consts::{FRAC_PI_2, PI, TAU};

/// A geodetic point anywhere, from 1 km below the ellipsoid to 2000 km above it.
fn geodetic() -> impl Strategy<Value = Geodetic> {
    (-FRAC_PI_2..=FRAC_PI_2, -PI..PI, -1_000.0..2_000_000.0_f64).prop_map(|(la, lo, h)| Geodetic::new(la, lo, h))
}

/// A site on or near the surface.
fn site() -> impl Strategy<Value = EnuFrame> {
    (-FRAC_PI_2..=FRAC_PI_2, -PI..PI, -500.0..5_000.0_f64)
        .prop_map(|(la, lo, h)| EnuFrame::new(Geodetic::new(la, lo, h)))
}

/// A local vector up to 3000 km in each axis, with a share of tiny and exactly-zero parts.
fn enu_vector() -> impl Strategy<Value = Vec3> {
    let component = prop_oneof![
        6 => -3.0e6..3.0e6_f64,
        1 => -1e-6..1e-6_f64,
        1 => Just(0.0),
        1 => Just(-0.0),
    ];
    (component.clone(), component.clone(), component).prop_map(|(e, n, u)| Vec3::new(e, n, u))
}

fn max_abs(m: &Mat3) -> f64 {
    m.iter().fold(0.0_f64, |acc, v| acc.max(v.abs()))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// Geodetic → ECEF → geodetic within 1e-6 m in height and 1e-12 rad in latitude and
    /// longitude (longitude weighted by cos φ: it means nothing on the polar axis).
    #[test]
    fn geodetic_ecef_round_trip(g in geodetic()) {
        let back = Geodetic::from_ecef(&g.to_ecef());
        prop_assert!((back.alt_m - g.alt_m).abs() <= 1e-6, "h {} -> {}", g.alt_m, back.alt_m);
        prop_assert!((back.lat_rad - g.lat_rad).abs() <= 1e-12, "lat {} -> {}", g.lat_rad, back.lat_rad);
        prop_assert!(angle_diff(back.lon_rad, g.lon_rad).abs() * g.lat_rad.cos() <= 1e-12,
            "lon {} -> {} at lat {}", g.lon_rad, back.lon_rad, g.lat_rad);
    }

    /// ECEF → geodetic → ECEF for any point within 9000 km of the centre, the core included:
    /// latitude stays in [−π/2, π/2] and the point comes back within 1e-6 m.
    #[test]
    fn ecef_geodetic_round_trip_everywhere(x in -9.0e6..9.0e6_f64, y in -9.0e6..9.0e6_f64, z in -9.0e6..9.0e6_f64,
                                           shrink in prop_oneof![Just(1.0), Just(1e-2), Just(1e-4), Just(1e-7)]) {
        // `shrink` puts a quarter of the cases inside 90 km of the centre, where several
        // ellipsoid normals pass through a point.
        let p = Vec3::new(x, y, z) * shrink;
        let g = Geodetic::from_ecef(&p);
        prop_assert!(g.lat_rad.abs() <= FRAC_PI_2 && g.lat_rad.is_finite() && g.alt_m.is_finite(), "{p:?} -> {g:?}");
        prop_assert!((g.to_ecef() - p).norm() <= 1e-6, "{p:?} -> {g:?} -> {:?}", g.to_ecef());
    }

    /// `EnuFrame::to_enu` and `to_ecef` are inverse (points), as are `vec_to_enu` and `vec_to_ecef`.
    #[test]
    fn enu_frame_round_trip(frame in site(), target in geodetic(), v in enu_vector()) {
        let p = target.to_ecef();
        prop_assert!((frame.to_ecef(&frame.to_enu(&p)) - p).norm() <= 1e-6);
        prop_assert!((frame.to_enu(&frame.to_ecef(&v)) - v).norm() <= 1e-6);
        prop_assert!((frame.vec_to_enu(&frame.vec_to_ecef(&v)) - v).norm() <= 1e-9 * (1.0 + v.norm()));
        // The rotation is proper orthonormal: RRᵀ = I, det R = +1.
        let r = frame.rotation();
        prop_assert!(max_abs(&(r * r.transpose() - Mat3::identity())) <= 1e-15);
        prop_assert!((r.determinant() - 1.0).abs() <= 1e-15);
    }

    /// `Rae::from_enu` then `to_enu` gives the vector back (1e-9 relative + 1e-12 m), and the
    /// azimuth is always in [0, 2π) and the elevation in [−π/2, π/2].
    #[test]
    fn rae_from_enu_round_trip(v in enu_vector()) {
        let rae = Rae::from_enu(&v);
        prop_assert!((0.0..TAU).contains(&rae.azimuth_rad), "azimuth {} for {v:?}", rae.azimuth_rad);
        prop_assert!(rae.elevation_rad.abs() <= FRAC_PI_2);
        prop_assert!((rae.to_enu() - v).norm() <= 1e-9 * v.norm() + 1e-12, "{v:?} -> {rae:?} -> {:?}", rae.to_enu());
    }

    /// `Rae::to_enu` then `from_enu` gives range, azimuth and elevation back (1e-12 rad,
    /// 1e-9 relative in range), away from the zenith and nadir where azimuth is undefined.
    #[test]
    fn rae_to_enu_round_trip(range in 1e-3..5.0e6_f64, az in 0.0..TAU, el in -(FRAC_PI_2 - 1e-3)..(FRAC_PI_2 - 1e-3)) {
        let rae = Rae { range_m: range, azimuth_rad: az, elevation_rad: el };
        let back = Rae::from_enu(&rae.to_enu());
        prop_assert!((back.range_m - range).abs() <= 1e-9 * range);
        prop_assert!(angle_diff(back.azimuth_rad, az).abs() <= 1e-12, "az {az} -> {}", back.azimuth_rad);
        prop_assert!((back.elevation_rad - el).abs() <= 1e-12, "el {el} -> {}", back.elevation_rad);
    }

    /// `rotation_to` equals the path through ECEF, maps points consistently, and composes:
    /// A→B then B→A is the identity.
    #[test]
    fn rotation_to_is_consistent(a in site(), b in site(), v in enu_vector()) {
        let r_ab = a.rotation_to(&b);
        let via_ecef = b.vec_to_enu(&a.vec_to_ecef(&v));
        prop_assert!((r_ab * v - via_ecef).norm() <= 1e-9 * (1.0 + v.norm()));
        // A point: B-frame coordinates = R·(A-frame coordinates) + (A's origin in B's frame).
        let p_b = b.to_enu(&a.to_ecef(&v));
        let p_b_rot = r_ab * v + b.to_enu(&a.origin_ecef());
        prop_assert!((p_b - p_b_rot).norm() <= 1e-6);
        prop_assert!(max_abs(&(b.rotation_to(&a) * r_ab - Mat3::identity())) <= 1e-15);
        prop_assert!(max_abs(&(a.rotation_to(&a) - Mat3::identity())) <= 1e-15);
    }
}
