//! Barometric altimetry: a reported pressure altitude (Mode C / ADS-B barometric altitude,
//! referenced to 1013.25 hPa) as a height above the WGS-84 ellipsoid.
//!
//! Pressure altitude is the geopotential altitude at which the U.S. Standard Atmosphere 1976
//! (identical to the ICAO standard atmosphere below 32 km) has the measured pressure. Each layer
//! b has a linear temperature T = T_b + L_b (H − H_b) in geopotential altitude H and hydrostatic
//! pressure p = p_b (T_b/T)^{g₀M₀/(R*L_b)} (L_b ≠ 0) or p = p_b exp(−g₀M₀(H − H_b)/(R*T_b))
//! (L_b = 0) (1976 standard, eqs. 33a/b). An altimeter set to QNH reads the standard altitude of
//! the pressure scaled by 1013.25 hPa / QNH (in the troposphere exactly the altimeter equation
//! H = T₀/L (1 − (p/QNH)^{R*L/(g₀M₀)})); geopotential becomes geometric (above mean sea level)
//! by Z = r₀H/(r₀ − H), r₀ = 6 356 766 m (eq. 18), and the geoid undulation N lifts it onto the
//! ellipsoid, h = Z + N. The actual atmosphere's temperature departure is not modelled.

/// Sea-level standard pressure (Pa).
pub const STANDARD_PRESSURE_PA: f64 = 101_325.0;
/// Effective earth radius of the 1976 geopotential conversion (m), eq. 18.
const R0_M: f64 = 6_356_766.0;
/// Universal gas constant R* of the 1976 standard (J/(kmol·K)).
pub const R_STAR: f64 = 8_314.32;
/// Sea-level mean molecular weight M₀ of the 1976 standard (kg/kmol).
pub const M0: f64 = 28.964_4;
/// g₀M₀/R* of the 1976 standard (K/m): 9.806 65 × 28.9644 / 8314.32.
pub const G0_M0_OVER_R: f64 = crate::G0 * M0 / R_STAR;
/// Layer bases (geopotential m) and lapse rates (K/m), 1976 standard Table 4, up to 86 km
/// geometric; the first layer is extended below sea level. Shared with `bulwark-motion`'s
/// atmosphere.
pub const LAYERS: [(f64, f64); 7] = [
    (0.0, -0.0065),
    (11_000.0, 0.0),
    (20_000.0, 0.001),
    (32_000.0, 0.0028),
    (47_000.0, 0.0),
    (51_000.0, -0.0028),
    (71_000.0, -0.002),
];
/// Top of the table (geopotential m, 86 km geometric).
const TOP_M: f64 = 84_852.0;
/// Sea-level standard temperature (K).
const T0_K: f64 = 288.15;

/// (base altitude, base temperature, base pressure, lapse) of the layer holding `h` (geopotential m).
fn layer(h: f64) -> (f64, f64, f64, f64) {
    let mut idx = 0;
    while idx + 1 < LAYERS.len() && h >= LAYERS[idx + 1].0 {
        idx += 1;
    }
    let (tb, pb) = layer_bases()[idx];
    (LAYERS[idx].0, tb, pb, LAYERS[idx].1)
}

/// Base temperature (K) and pressure (Pa) of each layer of [`LAYERS`], walked up from sea level
/// (288.15 K, 101,325 Pa) by [`layer_step`] once per process: the same operations in the same
/// order as walking them on every call, so every value is bit for bit the same. Shared with
/// `bulwark-motion`'s atmosphere, so the two models cannot drift apart.
pub fn layer_bases() -> &'static [(f64, f64); 7] {
    static BASES: std::sync::OnceLock<[(f64, f64); 7]> = std::sync::OnceLock::new();
    BASES.get_or_init(|| {
        let mut out = [(T0_K, STANDARD_PRESSURE_PA); 7];
        for idx in 1..LAYERS.len() {
            let (hb, lapse) = LAYERS[idx - 1];
            let (tb, pb) = out[idx - 1];
            out[idx] = layer_step(tb, pb, lapse, LAYERS[idx].0 - hb);
        }
        out
    })
}

/// Temperature (K) and pressure (Pa) `dh` (geopotential m) above a layer base at (`tb`, `pb`)
/// with lapse `lapse` (K/m): the hydrostatic equation, 1976 standard eqs. 33a/b.
pub fn layer_step(tb: f64, pb: f64, lapse: f64, dh: f64) -> (f64, f64) {
    if lapse == 0.0 {
        (tb, pb * (-G0_M0_OVER_R * dh / tb).exp())
    } else {
        let t = tb + lapse * dh;
        (t, pb * (tb / t).powf(G0_M0_OVER_R / lapse))
    }
}

/// Standard pressure (Pa) at geopotential altitude `h_m`, clamped to −5 km .. 84.852 km.
pub fn standard_pressure_pa(h_m: f64) -> f64 {
    let h = h_m.clamp(-5_000.0, TOP_M);
    let (hb, tb, pb, lapse) = layer(h);
    layer_step(tb, pb, lapse, h - hb).1
}

/// Geopotential altitude (m) at which the standard atmosphere has pressure `p_pa` (> 0): the
/// inverse of [`standard_pressure_pa`] on −5 km .. 84.852 km.
pub fn standard_pressure_altitude_m(p_pa: f64) -> f64 {
    // Pressure falls with height: the layer is the lowest whose top pressure is below p.
    let p = p_pa.clamp(standard_pressure_pa(TOP_M), standard_pressure_pa(-5_000.0));
    let mut h_layer = LAYERS[0].0;
    for &(base, _) in &LAYERS[1..] {
        if standard_pressure_pa(base) > p {
            h_layer = base;
        }
    }
    let (hb, tb, pb, lapse) = layer(h_layer.max(-5_000.0));
    if lapse == 0.0 {
        hb - tb / G0_M0_OVER_R * (p / pb).ln()
    } else {
        hb + tb / lapse * ((p / pb).powf(-lapse / G0_M0_OVER_R) - 1.0)
    }
}

/// Geometric altitude (m above mean sea level) of geopotential altitude `h_m`: Z = r₀H/(r₀ − H).
pub fn geopotential_to_geometric_m(h_m: f64) -> f64 {
    R0_M * h_m / (R0_M - h_m)
}

/// Height above the WGS-84 ellipsoid (m) of an aircraft reporting pressure altitude `pressure_alt_m`
/// (m, 1013.25 hPa datum) where the local altimeter setting is `qnh_pa` and the geoid lies
/// `geoid_undulation_m` above the ellipsoid.
pub fn barometric_to_ellipsoidal_m(pressure_alt_m: f64, qnh_pa: f64, geoid_undulation_m: f64) -> f64 {
    let p = standard_pressure_pa(pressure_alt_m);
    let h = standard_pressure_altitude_m(p * STANDARD_PRESSURE_PA / qnh_pa);
    geopotential_to_geometric_m(h) + geoid_undulation_m
}

#[cfg(test)]
mod tests {
    use super::*;

    /// U.S. Standard Atmosphere 1976 (NOAA-S/T 76-1562), Table I: geometric altitude Z (m) and
    /// pressure (Pa), five significant figures.
    const TABLE_I: [(f64, f64); 9] = [
        (0.0, 101_325.0),
        (1_000.0, 89_876.0),
        (2_000.0, 79_501.0),
        (5_000.0, 54_048.0),
        (10_000.0, 26_500.0),
        (11_000.0, 22_700.0),
        (15_000.0, 12_111.0),
        (20_000.0, 5_529.3),
        (-500.0, 107_478.0),
    ];

    #[test]
    fn pressure_altitude_matches_the_1976_table() {
        for (z, p) in TABLE_I {
            // A reported pressure altitude is the standard geopotential altitude of the pressure:
            // at 1013.25 hPa and N = 0 it must come back as the table's geometric altitude, within
            // 0.5 m (the table's fifth figure is ≤ 0.06 m of height at these levels).
            let got = barometric_to_ellipsoidal_m(standard_pressure_altitude_m(p), STANDARD_PRESSURE_PA, 0.0);
            assert!((got - z).abs() < 0.5, "Z {z} m: got {got:.2} m from {p} Pa");
            // And the forward model gives the table's pressure to its five figures.
            let h = R0_M * z / (R0_M + z);
            assert!((standard_pressure_pa(h) / p - 1.0).abs() < 1e-4, "Z {z} m: {} Pa", standard_pressure_pa(h));
        }
        // Table I: geopotential 11 000 m ↔ geometric 11 019.1 m.
        assert!((geopotential_to_geometric_m(11_000.0) - 11_019.1).abs() < 0.05);
    }

    #[test]
    fn qnh_moves_the_datum_as_the_altimeter_equation_says() {
        // Airfield at 432 m (LSZH) under QNH 1030 hPa: the field pressure is the altimeter
        // equation's, p = QNH (1 − L·H/T₀)^{g₀M₀/(R*L)} (ICAO Doc 7488, troposphere), and the
        // transponder reports the standard altitude of that pressure; the conversion gives the
        // field height back (geopotential 432 m ≈ geometric 432.03 m) plus N.
        let qnh = 103_000.0;
        // ICAO Doc 7488's published constants (288.15 K, 0.0065 K/m, exponent 5.25588), not
        // the code's own, so a wrong constant in the conversion cannot cancel out.
        let field_p = qnh * (1.0_f64 - 0.0065 * 432.0 / 288.15).powf(5.255_88);
        let reported = standard_pressure_altitude_m(field_p);
        assert!(
            reported < 432.0 - 100.0,
            "a high QNH puts the reported pressure altitude {reported} m well below the field"
        );
        let h = barometric_to_ellipsoidal_m(reported, qnh, 48.0);
        assert!((h - (geopotential_to_geometric_m(432.0) + 48.0)).abs() < 0.01, "{h}");
        // At standard pressure the QNH step is the identity.
        assert!(
            (barometric_to_ellipsoidal_m(3_000.0, STANDARD_PRESSURE_PA, 0.0) - geopotential_to_geometric_m(3_000.0))
                .abs()
                < 1e-6
        );
    }

    #[test]
    fn the_inverse_is_continuous_across_layer_bases() {
        for (base, _) in LAYERS {
            for h in [base - 0.01, base, base + 0.01] {
                assert!((standard_pressure_altitude_m(standard_pressure_pa(h)) - h).abs() < 1e-6, "{h}");
            }
        }
    }
}
