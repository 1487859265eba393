//! U.S. Standard Atmosphere 1976 (NOAA/NASA/USAF, 1976), lower 86 km.
//!
//! Seven layers of linear temperature in *geopotential* altitude H = r₀Z/(r₀ + Z)
//! (r₀ = 6 356.766 km), hydrostatic pressure in each layer
//! (p = p_b (T_b/T)^{g₀M₀/(R*L)} for lapse L ≠ 0, p = p_b exp(−g₀M₀(H−H_b)/(R*T_b)) for L = 0),
//! density ρ = pM₀/(R*T) and speed of sound a = √(γR*T/M₀), γ = 1.4 (1976 standard, eqs. 18,
//! 33a/b, 42, 50). The temperature returned is the molecular-scale temperature T_M, which equals
//! the kinetic temperature below 80 km and exceeds it by at most 0.04 % at 86 km.
//!
//! Below −5 km (the table's lower edge) the values at −5 km are returned. Above 86 km the
//! temperature is held at T(86 km) = 186.87 K and density decays exponentially with a 5.6 km
//! scale height, fitted to the 1976 table (ρ(86 km) = 6.958e-6, ρ(100 km) = 5.604e-7 kg/m³);
//! within a factor 1.5 of the table to 120 km, where drag no longer matters to our models.
use bulwark_geo::altimetry::{LAYERS, M0, R_STAR, layer_bases, layer_step};

/// Specific gas constant of air R*/M₀ (J/(kg·K)).
const R_AIR: f64 = R_STAR / M0;
/// Ratio of specific heats.
const GAMMA: f64 = 1.4;
/// Effective earth radius for geopotential altitude (m).
const R0_GEOPOTENTIAL: f64 = 6_356_766.0;
/// Top of the layered model, geometric (m).
const TOP_GEOMETRIC_M: f64 = 86_000.0;
/// Scale height of the exponential density tail above 86 km (m).
const TAIL_SCALE_HEIGHT_M: f64 = 5_600.0;
/// Lowest geometric altitude evaluated (m).
const BOTTOM_GEOMETRIC_M: f64 = -5_000.0;

/// Atmospheric state at one altitude.
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct AtmosphereState {
    /// Temperature (K).
    pub temperature_k: f64,
    /// Pressure (Pa).
    pub pressure_pa: f64,
    /// Density (kg/m³).
    pub density_kg_m3: f64,
    /// Speed of sound (m/s).
    pub speed_of_sound_mps: f64,
}

/// The standard atmosphere at geometric altitude `alt_m` (m above mean sea level; we use the
/// height above the WGS-84 ellipsoid). NaN input is read as sea level; the result is always finite.
pub fn us_standard_atmosphere_1976(alt_m: f64) -> AtmosphereState {
    let z = if alt_m.is_nan() { 0.0 } else { alt_m.clamp(BOTTOM_GEOMETRIC_M, 2.0e6) };
    if z > TOP_GEOMETRIC_M {
        let top = layered(TOP_GEOMETRIC_M);
        let f = (-(z - TOP_GEOMETRIC_M) / TAIL_SCALE_HEIGHT_M).exp();
        return AtmosphereState {
            temperature_k: top.temperature_k,
            pressure_pa: top.pressure_pa * f,
            density_kg_m3: top.density_kg_m3 * f,
            speed_of_sound_mps: top.speed_of_sound_mps,
        };
    }
    layered(z)
}

/// Density only (kg/m³), the quantity drag needs.
pub fn density_kg_m3(alt_m: f64) -> f64 {
    us_standard_atmosphere_1976(alt_m).density_kg_m3
}

fn layered(z: f64) -> AtmosphereState {
    let h = R0_GEOPOTENTIAL * z / (R0_GEOPOTENTIAL + z);
    let bases = layer_bases();
    let mut idx = 0;
    while idx + 1 < LAYERS.len() && h >= LAYERS[idx + 1].0 {
        idx += 1;
    }
    let (t_b, p_b) = bases[idx];
    let (hb, l) = LAYERS[idx];
    let (t, p) = layer_step(t_b, p_b, l, h - hb);
    AtmosphereState {
        temperature_k: t,
        pressure_pa: p,
        density_kg_m3: p / (R_AIR * t),
        speed_of_sound_mps: (GAMMA * R_AIR * t).sqrt(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// U.S. Standard Atmosphere 1976, Table I (geometric altitude, metric units), five significant
    /// figures: (Z m, T K, p Pa, ρ kg/m³, a m/s). Sea level is the standard's definition; T and p at
    /// 5, 11 and 20 km and ρ at 5, 20, 50 and 80 km are as printed in Table I. The other entries
    /// are the Python library `ambiance` 1.3.1 (an independent implementation of the standard),
    /// `ambiance.Atmosphere(z)` .temperature/.pressure/.density/.speed_of_sound, rounded to five
    /// figures; ambiance agrees with every printed value above.
    const TABLE_1976: [(f64, f64, f64, f64, f64); 9] = [
        (0.0, 288.150, 1.01325e5, 1.2250, 340.294),
        (5_000.0, 255.676, 5.4048e4, 7.3643e-1, 320.545),
        (11_000.0, 216.774, 2.2700e4, 3.6480e-1, 295.154),
        (20_000.0, 216.650, 5.5293e3, 8.8910e-2, 295.069),
        (32_000.0, 228.490, 8.8906e2, 1.3555e-2, 303.025),
        (47_000.0, 269.684, 1.1585e2, 1.4965e-3, 329.210),
        (50_000.0, 270.650, 7.9779e1, 1.0269e-3, 329.799),
        (71_000.0, 216.846, 4.4795, 7.1965e-5, 295.203),
        (80_000.0, 198.639, 1.0525, 1.8458e-5, 282.538),
    ];

    #[test]
    fn matches_the_1976_table() {
        // Tolerance: 1e-4 relative, two units in the fifth printed significant figure.
        let rel = |a: f64, b: f64| ((a - b) / b).abs();
        for (z, t, p, rho, a) in TABLE_1976 {
            let s = us_standard_atmosphere_1976(z);
            assert!(rel(s.temperature_k, t) < 1e-4, "T at {z} m: {} vs {t}", s.temperature_k);
            assert!(rel(s.pressure_pa, p) < 1e-4, "p at {z} m: {} vs {p}", s.pressure_pa);
            assert!(rel(s.density_kg_m3, rho) < 1e-4, "rho at {z} m: {} vs {rho}", s.density_kg_m3);
            assert!(rel(s.speed_of_sound_mps, a) < 1e-4, "a at {z} m: {} vs {a}", s.speed_of_sound_mps);
        }
    }

    #[test]
    fn tail_above_86_km_is_continuous_and_near_the_table() {
        let below = us_standard_atmosphere_1976(TOP_GEOMETRIC_M - 1e-6);
        let above = us_standard_atmosphere_1976(TOP_GEOMETRIC_M + 1e-6);
        assert!((below.density_kg_m3 / above.density_kg_m3 - 1.0).abs() < 1e-6);
        // 1976 table: ρ(86 km) = 6.958e-6, ρ(100 km) = 5.604e-7 kg/m³; tail within 10 % at 100 km.
        assert!((below.density_kg_m3 / 6.958e-6 - 1.0).abs() < 1e-3);
        assert!((density_kg_m3(100_000.0) / 5.604e-7 - 1.0).abs() < 0.1);
    }

    #[test]
    fn never_produces_non_finite_values() {
        for z in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY, -1e9, -5_000.0, 1e7, 1e300] {
            let s = us_standard_atmosphere_1976(z);
            for v in [s.temperature_k, s.pressure_pa, s.density_kg_m3, s.speed_of_sound_mps] {
                assert!(v.is_finite() && v >= 0.0, "{z}: {s:?}");
            }
        }
        assert_eq!(density_kg_m3(f64::NAN), density_kg_m3(0.0));
    }
}
