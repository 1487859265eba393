//! The free-fall environment shared by the ballistic tracker model (`bulwark-tracking`) and
//! the impact predictor (`bulwark-c2`): the earth's point-mass field and the exponential
//! atmosphere of the drag term a_D = −ρ(h)·|v|·v/(2β). One copy, so the two cannot drift.

/// Earth's gravitational parameter μ (m³/s², WGS-84 / IERS 2010).
pub const MU_EARTH: f64 = 3.986_004_418e14;
/// Mean earth radius R₁ (m, IUGG; Moritz, *Geodetic Reference System 1980*).
pub const EARTH_MEAN_RADIUS_M: f64 = 6_371_008.8;
/// Sea-level density ρ₀ of Zarchan's atmosphere 0.0034·e^(−h/22000) slug/ft³ in SI (kg/m³;
/// Zarchan, *Tactical and Strategic Missile Guidance*, 6th ed., 2012, ballistic-target chapter).
pub const ZARCHAN_RHO0_KG_M3: f64 = 1.7523;
/// Scale height H of Zarchan's atmosphere, 22 000 ft in m.
pub const ZARCHAN_SCALE_HEIGHT_M: f64 = 6705.6;

/// Density ρ = ρ₀·e^(−h/H) (kg/m³) at altitude `h_m` (m) of an exponential atmosphere with
/// sea-level density `rho0_kg_m3` and scale height `scale_height_m` (m; infinity gives a
/// constant ρ₀). No clamp: below h = 0 the density grows, which keeps a model's gradient
/// (the tracker's ∂a/∂p) the derivative of its function; a caller that wants at most ρ₀
/// (the impact predictor, whose last step may end below the ground) clamps h itself.
pub fn exponential_density(rho0_kg_m3: f64, scale_height_m: f64, h_m: f64) -> f64 {
    if scale_height_m.is_infinite() { rho0_kg_m3 } else { rho0_kg_m3 * (-h_m / scale_height_m).exp() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zarchan_atmosphere_is_his_imperial_figures_in_si() {
        // Oracle: Zarchan's 0.0034 slug/ft³ and 22 000 ft, with the exact conversions
        // 1 slug = 14.593 902 94 kg and 1 ft = 0.3048 m (NIST SP 811, appendix B).
        let slug_ft3 = 14.593_902_94 / 0.3048f64.powi(3);
        assert!((ZARCHAN_RHO0_KG_M3 - 0.0034 * slug_ft3).abs() < 5e-5);
        assert_eq!(ZARCHAN_SCALE_HEIGHT_M, 22_000.0 * 0.3048);
        // One scale height up: ρ₀/e; an infinite scale height: constant.
        let d = exponential_density(1.2, 8_000.0, 8_000.0);
        assert!((d - 1.2 / std::f64::consts::E).abs() < 1e-15);
        assert_eq!(exponential_density(1.2, f64::INFINITY, 5e4), 1.2);
    }
}
