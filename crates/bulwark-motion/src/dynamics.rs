//! Shared point-mass dynamics over the rotating WGS-84 earth, in ECEF.
//!
//! Acceleration in the earth-fixed frame (Vallado, *Fundamentals of Astrodynamics and
//! Applications*, 4th ed., §3.3 and §8.6.1):
//! a = g(r) − 2ω×v − ω×(ω×r) + a_drag + a_other, where v is the ECEF velocity (the velocity
//! relative to the air, no wind), g the point-mass or J2 gravity, and drag
//! a_drag = −ρ|v|v/(2β) with the ballistic coefficient β = m/(C_D·A) (kg/m²).
use crate::atmosphere::density_kg_m3;
use bulwark_core::Vec3;
use bulwark_geo::{Geodetic, WGS84_A, WGS84_GM, WGS84_OMEGA};

/// Second zonal harmonic of the earth's gravity field J₂ = 1.08263e-3 (WGS-84, NIMA TR8350.2
/// table 3.3 gives C̄₂₀ = −4.84166e-4, J₂ = −√5·C̄₂₀).
pub const J2_WGS84: f64 = 1.082_63e-3;

/// Which gravity field to use.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Default)]
pub enum GravityModel {
    /// Point mass: g = −GM r/|r|³.
    Spherical,
    /// Point mass plus the J₂ oblateness term (Vallado §8.6.1, eq. 8-30).
    #[default]
    J2,
}

/// Which terms the integrator includes. `Dynamics::default()` is the full model.
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct Dynamics {
    pub gravity: GravityModel,
    /// Coriolis and centrifugal terms of the rotating ECEF frame. Off: ECEF is treated as inertial.
    pub rotation: bool,
    /// Aerodynamic drag from the U.S. Standard Atmosphere 1976 density.
    pub drag: bool,
}

impl Default for Dynamics {
    fn default() -> Self {
        Dynamics { gravity: GravityModel::J2, rotation: true, drag: true }
    }
}

impl Dynamics {
    /// Drag-free, non-rotating, point-mass gravity: the Keplerian two-body problem.
    pub fn kepler() -> Self {
        Dynamics { gravity: GravityModel::Spherical, rotation: false, drag: false }
    }
}

/// Gravitational acceleration (m/s²) at ECEF position `r`. Zero at the earth's centre.
pub fn gravity(r: &Vec3, model: GravityModel) -> Vec3 {
    let rn2 = r.norm_squared();
    if rn2 < 1.0 {
        return Vec3::zeros();
    }
    let rn = rn2.sqrt();
    let k = -WGS84_GM / (rn2 * rn);
    match model {
        GravityModel::Spherical => r * k,
        GravityModel::J2 => {
            let f = 1.5 * J2_WGS84 * (WGS84_A * WGS84_A / rn2);
            let z2 = r.z * r.z / rn2;
            Vec3::new(
                k * r.x * (1.0 + f * (1.0 - 5.0 * z2)),
                k * r.y * (1.0 + f * (1.0 - 5.0 * z2)),
                k * r.z * (1.0 + f * (3.0 - 5.0 * z2)),
            )
        }
    }
}

/// Coriolis plus centrifugal acceleration −2ω×v − ω×(ω×r) of the rotating frame (m/s²).
pub fn frame_acceleration(r: &Vec3, v: &Vec3) -> Vec3 {
    let w = Vec3::new(0.0, 0.0, WGS84_OMEGA);
    -2.0 * w.cross(v) - w.cross(&w.cross(r))
}

/// Drag acceleration −ρ|v|v/(2β) (m/s²) at geodetic altitude `alt_m`.
pub fn drag(alt_m: f64, v: &Vec3, beta_kg_m2: f64) -> Vec3 {
    let rho = density_kg_m3(alt_m);
    -rho * v.norm() / (2.0 * beta_kg_m2) * v
}

/// Natural (unpowered) acceleration at (r, v): gravity, frame terms and drag as `dynamics` selects.
pub fn natural_acceleration(r: &Vec3, v: &Vec3, beta_kg_m2: f64, dynamics: &Dynamics) -> Vec3 {
    natural_acceleration_with(r, v, beta_kg_m2, dynamics, || Geodetic::alt_of_ecef(r))
}

/// [`natural_acceleration`] with the height above the ellipsoid (m) for the drag term from
/// `alt_m` (called only when drag is on): integrator stages pass a local height model
/// instead of a full geodetic conversion.
pub fn natural_acceleration_with(
    r: &Vec3,
    v: &Vec3,
    beta_kg_m2: f64,
    dynamics: &Dynamics,
    alt_m: impl FnOnce() -> f64,
) -> Vec3 {
    let mut a = gravity(r, dynamics.gravity);
    if dynamics.rotation {
        a += frame_acceleration(r, v);
    }
    if dynamics.drag {
        a += drag(alt_m(), v, beta_kg_m2);
    }
    a
}

pub fn rk4(r: &Vec3, v: &Vec3, h: f64, acc: &mut impl FnMut(f64, &Vec3, &Vec3) -> Vec3) -> (Vec3, Vec3) {
    let a1 = acc(0.0, r, v);
    let (r2, v2) = (r + v * (h / 2.0), v + a1 * (h / 2.0));
    let a2 = acc(h / 2.0, &r2, &v2);
    let (r3, v3) = (r + v2 * (h / 2.0), v + a2 * (h / 2.0));
    let a3 = acc(h / 2.0, &r3, &v3);
    let (r4, v4) = (r + v3 * h, v + a3 * h);
    let a4 = acc(h, &r4, &v4);
    (r + (v + 2.0 * v2 + 2.0 * v3 + v4) * (h / 6.0), v + (a1 + 2.0 * a2 + 2.0 * a3 + a4) * (h / 6.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn j2_gravity_matches_the_closed_form_at_pole_and_equator() {
        // On the equator the J2 term adds +1.5·J2·(a/r)² to the point-mass magnitude factor,
        // at the pole it subtracts 3·J2·(a/r)² (Vallado eq. 8-30 with z = 0 and z = r).
        let r = 7.0e6;
        let g0 = WGS84_GM / (r * r);
        let q = (WGS84_A / r).powi(2);
        let eq = gravity(&Vec3::new(r, 0.0, 0.0), GravityModel::J2);
        assert!((eq.x + g0 * (1.0 + 1.5 * J2_WGS84 * q)).abs() < 1e-12 * g0);
        let pole = gravity(&Vec3::new(0.0, 0.0, r), GravityModel::J2);
        assert!((pole.z + g0 * (1.0 - 3.0 * J2_WGS84 * q)).abs() < 1e-12 * g0);
        assert_eq!(gravity(&Vec3::zeros(), GravityModel::J2), Vec3::zeros());
    }
}
