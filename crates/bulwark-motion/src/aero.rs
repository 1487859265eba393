//! Interceptor aerodynamics: zero-lift drag by Mach number and the aerodynamic lateral limit.
//!
//! **Drag** D = ½ρV²·S·C_D(M), M = V/a(h), with ρ and a from the U.S. Standard Atmosphere 1976
//! ([`crate::atmosphere`]). C_D(M) is a *notional* power-off zero-lift drag curve of a slender
//! finned tactical missile: flat subsonic, a transonic rise to a peak near M 1.1 (wave drag), then
//! a fall roughly as 1/√(M²−1) towards a hypersonic floor. The shape follows the drag build-up
//! (skin friction + base + wave drag) of Fleeman, *Tactical Missile Design*, 2nd ed., AIAA 2006,
//! ch. 2; the numbers are illustrative, not any missile's data. The table is stored normalised to
//! 1 at [`CD_REF_MACH`], and the catalog's ballistic coefficient β = m_bo/(C_D·S) is read as the
//! value at that Mach (the catalog's β notes use "C_D0 at high supersonic speed", where its
//! interceptors spend their coast), so C_D·S at Mach M = (m_bo/β)·f(M).
//!
//! **Lateral limit**: a_lat,max = min(a_struct, q·S·C_N,max/m) (Fleeman ch. 2, normal force
//! C_N = N/(qS); Zarchan, *Tactical and Strategic Missile Guidance*, 6th ed., ch. 2 on
//! acceleration saturation), q = ½ρV². The aerodynamic term falls with dynamic pressure, so the
//! limit falls with altitude and as the missile slows.
use crate::atmosphere::us_standard_atmosphere_1976;
use crate::{MotionError, check};

/// Mach number at which the drag table equals 1 (the catalog β's reference).
pub const CD_REF_MACH: f64 = 5.0;

/// Notional C_D(M)/C_D(M_ref): (Mach, ratio). Absolute values of this shape for a slender missile
/// would be about 0.30 subsonic, 0.62 at the transonic peak and 0.25 at Mach 5.
const CD_RATIO_TABLE: [(f64, f64); 14] = [
    (0.0, 1.20),
    (0.6, 1.20),
    (0.8, 1.28),
    (0.9, 1.52),
    (1.0, 2.20),
    (1.1, 2.48),
    (1.2, 2.40),
    (1.5, 2.08),
    (2.0, 1.72),
    (2.5, 1.48),
    (3.0, 1.32),
    (4.0, 1.12),
    (5.0, 1.00),
    (8.0, 0.88),
];

/// C_D(M)/C_D(M_ref) by linear interpolation in the notional table; held constant beyond its ends.
/// NaN reads as Mach 0.
pub fn cd_ratio(mach: f64) -> f64 {
    let m = if mach.is_nan() { 0.0 } else { mach.max(0.0) };
    let last = CD_RATIO_TABLE[CD_RATIO_TABLE.len() - 1];
    if m >= last.0 {
        return last.1;
    }
    for w in CD_RATIO_TABLE.windows(2) {
        let ((m0, c0), (m1, c1)) = (w[0], w[1]);
        if m <= m1 {
            return c0 + (c1 - c0) * (m - m0) / (m1 - m0);
        }
    }
    last.1
}

/// Aerodynamic model of one interceptor: drag area at the reference Mach and maximum normal-force
/// coefficient, both on the same reference area.
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct Aero {
    /// C_D(M_ref)·S (m²), > 0.
    pub drag_area_ref_m2: f64,
    /// C_N,max·S (m²), ≥ 0: the normal-force area at the maximum trim angle of attack.
    pub normal_force_area_m2: f64,
    /// Structural (autopilot-limited) lateral acceleration (m/s²), ≥ 0.
    pub max_structural_accel_mps2: f64,
}

/// Reference condition at which the default aerodynamic lateral limit equals the structural one:
/// 20 km altitude at burnout speed (the catalog says the limit "falls with altitude").
pub const LATERAL_REF_ALTITUDE_M: f64 = 20_000.0;

impl Aero {
    pub fn new(
        drag_area_ref_m2: f64,
        normal_force_area_m2: f64,
        max_structural_accel_mps2: f64,
    ) -> Result<Self, MotionError> {
        check("drag_area_ref_m2", drag_area_ref_m2, drag_area_ref_m2 > 0.0, "> 0")?;
        check("normal_force_area_m2", normal_force_area_m2, normal_force_area_m2 >= 0.0, ">= 0")?;
        let a = max_structural_accel_mps2;
        check("max_structural_accel_mps2", a, a >= 0.0, ">= 0")?;
        Ok(Aero { drag_area_ref_m2, normal_force_area_m2, max_structural_accel_mps2: a })
    }

    /// Derives the model from catalog values: C_D·S = m_bo/β at [`CD_REF_MACH`], and C_N,max·S
    /// such that q·C_N,max·S/m_bo = a_struct at burnout speed and [`LATERAL_REF_ALTITUDE_M`].
    pub fn from_catalog(
        burnout_mass_kg: f64,
        beta_kg_m2: f64,
        burnout_speed_mps: f64,
        max_structural_accel_mps2: f64,
    ) -> Result<Self, MotionError> {
        check("burnout_mass_kg", burnout_mass_kg, burnout_mass_kg > 0.0, "> 0")?;
        check("beta_kg_m2", beta_kg_m2, beta_kg_m2 > 0.0, "> 0")?;
        check("burnout_speed_mps", burnout_speed_mps, burnout_speed_mps > 0.0, "> 0")?;
        let rho = us_standard_atmosphere_1976(LATERAL_REF_ALTITUDE_M).density_kg_m3;
        let q_ref = 0.5 * rho * burnout_speed_mps * burnout_speed_mps;
        Aero::new(
            burnout_mass_kg / beta_kg_m2,
            max_structural_accel_mps2 * burnout_mass_kg / q_ref,
            max_structural_accel_mps2,
        )
    }

    /// Drag force magnitude (N) at speed `v_mps` and geometric altitude `alt_m`.
    pub fn drag_n(&self, v_mps: f64, alt_m: f64) -> f64 {
        let atm = us_standard_atmosphere_1976(alt_m);
        let mach = v_mps / atm.speed_of_sound_mps;
        0.5 * atm.density_kg_m3 * v_mps * v_mps * self.drag_area_ref_m2 * cd_ratio(mach)
    }

    /// Lateral acceleration available (m/s²) to a missile of mass `mass_kg`:
    /// min(a_struct, q·C_N,max·S/m).
    pub fn lateral_limit_mps2(&self, v_mps: f64, alt_m: f64, mass_kg: f64) -> f64 {
        let rho = us_standard_atmosphere_1976(alt_m).density_kg_m3;
        let q = 0.5 * rho * v_mps * v_mps;
        let aero = q * self.normal_force_area_m2 / mass_kg.max(1e-9);
        let lim = aero.min(self.max_structural_accel_mps2);
        if lim.is_finite() { lim.max(0.0) } else { 0.0 }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drag_is_half_rho_v_squared_s_cd_from_the_1976_table() {
        // Hand check against U.S. Standard Atmosphere 1976 Table I at 11 km: ρ = 0.36480 kg/m³,
        // a = 295.154 m/s. V = 885.462 m/s is Mach 3.0, where the table ratio is 1.32.
        let aero = Aero::new(0.05, 1.0, 200.0).unwrap();
        let v = 3.0 * 295.154;
        let expect = 0.5 * 0.36480 * v * v * 0.05 * 1.32;
        assert!((aero.drag_n(v, 11_000.0) / expect - 1.0).abs() < 2e-4);
        assert!((cd_ratio(CD_REF_MACH) - 1.0).abs() < 1e-12 && cd_ratio(f64::NAN) == 1.2);
        assert!(cd_ratio(1.1) > cd_ratio(0.5) && cd_ratio(1.1) > cd_ratio(3.0) && cd_ratio(20.0) == 0.88);
    }

    #[test]
    fn lateral_limit_falls_with_dynamic_pressure() {
        let a = Aero::from_catalog(1_000.0, 20_000.0, 2_000.0, 196.0).unwrap();
        assert!((a.lateral_limit_mps2(2_000.0, LATERAL_REF_ALTITUDE_M, 1_000.0) - 196.0).abs() < 1e-9);
        assert_eq!(a.lateral_limit_mps2(2_000.0, 5_000.0, 1_000.0), 196.0, "structural cap low down");
        let hi = a.lateral_limit_mps2(2_000.0, 35_000.0, 1_000.0);
        let q_ratio = crate::atmosphere::density_kg_m3(35_000.0) / crate::atmosphere::density_kg_m3(20_000.0);
        assert!((hi / (196.0 * q_ratio) - 1.0).abs() < 1e-9 && hi < 196.0);
        assert!(Aero::from_catalog(0.0, 1.0, 1.0, 1.0).is_err() && Aero::new(1.0, f64::NAN, 1.0).is_err());
    }
}
