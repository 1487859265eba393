//! Helpers shared by the bulwark-geo integration tests.
#![allow(dead_code)]

use bulwark_core::Vec3;

/// One millimetre: the position tolerance DESIGN.md sets for frame conversions.
pub const MM: f64 = 1e-3;

/// Difference of two angles (rad) wrapped into (−π, π], so that 2π − ε and 0 compare as close.
pub fn angle_diff(a: f64, b: f64) -> f64 {
    let d = (a - b).rem_euclid(std::f64::consts::TAU);
    if d > std::f64::consts::PI { d - std::f64::consts::TAU } else { d }
}

/// Asserts |a − b| ≤ tol for every component of two vectors (m), with a labelled message.
pub fn assert_vec_close(label: &str, got: &Vec3, want: &Vec3, tol: f64) {
    let d = got - want;
    assert!(
        d.x.abs() <= tol && d.y.abs() <= tol && d.z.abs() <= tol,
        "{label}: got {got:?}, want {want:?}, diff {d:?}, tol {tol}"
    );
}

/// Asserts |a − b| ≤ tol for two scalars, with a labelled message.
pub fn assert_close(label: &str, got: f64, want: f64, tol: f64) {
    assert!((got - want).abs() <= tol, "{label}: got {got}, want {want}, diff {}, tol {tol}", got - want);
}

/// Asserts two angles (rad) agree within tol, modulo 2π.
pub fn assert_angle_close(label: &str, got: f64, want: f64, tol: f64) {
    let d = angle_diff(got, want);
    assert!(d.abs() <= tol, "{label}: got {got}, want {want}, wrapped diff {d}, tol {tol}");
}
