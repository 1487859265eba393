//! Radar–target geometry over a smooth effective earth, and great-circle positions for
//! masking and maps.
//!
//! Standard atmospheric refraction bends radar rays down with about a quarter of the earth's
//! curvature; drawing rays straight over an earth of effective radius a = k·Re (k = 4/3) keeps
//! the geometry exact for that model (Skolnik, *Introduction to Radar Systems*, 3rd ed., §8.2;
//! A. W. Doerry, *Earth Curvature and Atmospheric Refraction Effects on Radar Signal
//! Propagation*, Sandia SAND2012-10690, 2013, §2–3). With the antenna at height hₐ and the
//! target at hₜ above that sphere, and a ground range d along its surface (central angle
//! θ = d/a), the law of cosines in the triangle (earth centre, antenna, target) gives
//!
//! - slant range R² = (hₜ − hₐ)² + 4(a + hₐ)(a + hₜ) sin²(θ/2);
//! - elevation el = atan2((hₜ − hₐ) − 2(a + hₜ) sin²(θ/2), (a + hₜ) sin θ);
//! - horizon: the straight ray clears the sphere iff θ ≤ φₐ + φₜ, φ = acos(a/(a + h)), which
//!   for h ≪ a is the familiar d = √(2a)(√hₐ + √hₜ);
//! - inverse: the point at slant range R and elevation el lies at height
//!   h = √(R² + (a + hₐ)² + 2R(a + hₐ) sin el) − a and ground range d = a·atan2(R cos el, a + hₐ + R sin el).
//!
//! The half-angle forms avoid the cancellation of 1 − cos θ at short range.
use crate::CoverageError;
use bulwark_geo::{EARTH_MEAN_RADIUS, Geodetic};

/// A smooth sphere of effective radius a = k·Re (Re = [`EARTH_MEAN_RADIUS`]).
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct EffectiveEarth {
    radius_m: f64,
}

impl EffectiveEarth {
    /// The effective earth for refraction factor `k` (4/3 for the standard atmosphere; 1 for
    /// straight rays over the true earth; very large k approaches a flat earth).
    pub fn new(k: f64) -> Result<Self, CoverageError> {
        let radius_m = k * EARTH_MEAN_RADIUS;
        if !(k > 0.0 && radius_m.is_finite()) {
            return Err(CoverageError::invalid("k_factor", k, "a positive finite refraction factor (4/3 standard)"));
        }
        Ok(EffectiveEarth { radius_m })
    }

    /// Effective radius a = k·Re (m).
    pub fn radius_m(&self) -> f64 {
        self.radius_m
    }

    /// Slant range (m) from an antenna at `h_a_m` to a target at `h_t_m`, `ground_m` apart.
    pub fn slant_range_m(&self, ground_m: f64, h_a_m: f64, h_t_m: f64) -> f64 {
        let a = self.radius_m;
        let s = (0.5 * ground_m / a).sin();
        ((h_t_m - h_a_m).powi(2) + 4.0 * (a + h_a_m) * (a + h_t_m) * s * s).sqrt()
    }

    /// Elevation (rad) of the target above the antenna's local horizontal (the apparent,
    /// refracted elevation for k = 4/3). At zero ground range it is ±π/2 (0 for equal heights).
    pub fn elevation_rad(&self, ground_m: f64, h_a_m: f64, h_t_m: f64) -> f64 {
        let a = self.radius_m;
        let theta = ground_m / a;
        let s = (0.5 * theta).sin();
        let up = (h_t_m - h_a_m) - 2.0 * (a + h_t_m) * s * s;
        let across = (a + h_t_m) * theta.sin();
        if up == 0.0 && across == 0.0 { 0.0 } else { up.atan2(across) }
    }

    /// Angle φ = acos(a/(a + h)) (rad) from the point below a height `h_m` to its tangent point
    /// on the sphere, computed as atan(√(h(2a + h))/a); 0 for h ≤ 0.
    fn tangent_angle(&self, h_m: f64) -> f64 {
        let h = h_m.max(0.0);
        ((h * (2.0 * self.radius_m + h)).sqrt() / self.radius_m).atan()
    }

    /// Largest ground range (m) at which the straight ray between heights `h_a_m` and `h_t_m`
    /// clears the sphere: a(φₐ + φₜ). Negative heights count as 0.
    pub fn horizon_ground_range_m(&self, h_a_m: f64, h_t_m: f64) -> f64 {
        self.radius_m * (self.tangent_angle(h_a_m) + self.tangent_angle(h_t_m))
    }

    /// Ground range (m) and height (m) of the point at slant range `slant_m` and elevation
    /// `elevation_rad` from an antenna at `h_a_m`.
    pub fn point_at(&self, slant_m: f64, elevation_rad: f64, h_a_m: f64) -> (f64, f64) {
        let a = self.radius_m;
        let (se, ce) = elevation_rad.sin_cos();
        let ra = a + h_a_m;
        let h = (slant_m * slant_m + ra * ra + 2.0 * slant_m * ra * se).max(0.0).sqrt() - a;
        let ground = a * (slant_m * ce).atan2(ra + slant_m * se);
        (ground, h)
    }

    /// Ground range (m) at which the slant range between heights `h_a_m` and `h_t_m` equals
    /// `slant_m` (slant range grows with ground range): θ = 2 asin(√((R² − Δh²)/(4(a + hₐ)(a + hₜ)))).
    /// `None` when R < |hₜ − hₐ| (no point that close) or the heights are below the centre.
    pub fn ground_range_at_slant_m(&self, slant_m: f64, h_a_m: f64, h_t_m: f64) -> Option<f64> {
        let a = self.radius_m;
        let dh2 = (h_t_m - h_a_m).powi(2);
        let den = 4.0 * (a + h_a_m) * (a + h_t_m);
        if !(slant_m * slant_m >= dh2 && den > 0.0) {
            return None;
        }
        let x = ((slant_m * slant_m - dh2) / den).sqrt().min(1.0);
        let g = 2.0 * a * x.asin();
        g.is_finite().then_some(g)
    }
}

/// The point reached from `start` by going `ground_m` metres along the great circle of
/// initial azimuth `azimuth_rad` (clockwise from north) on the mean sphere, at height `alt_m`
/// above the ellipsoid (spherical direct problem: J. P. Snyder, *Map Projections — A Working
/// Manual*, USGS PP 1395, 1987, eqs. 5-5 and 5-6). Treating geodetic latitude as spherical
/// misplaces points by at most about 0.5 % of the distance: enough to look up terrain and
/// draw maps, never used for measurements.
pub fn destination(start: &Geodetic, azimuth_rad: f64, ground_m: f64, alt_m: f64) -> Geodetic {
    let delta = ground_m / EARTH_MEAN_RADIUS;
    let (sd, cd) = delta.sin_cos();
    let (sl, cl) = start.lat_rad.sin_cos();
    let (sa, ca) = azimuth_rad.sin_cos();
    let sin_lat = (sl * cd + cl * sd * ca).clamp(-1.0, 1.0);
    let lat = sin_lat.asin();
    let dlon = (sa * sd * cl).atan2(cd - sl * sin_lat);
    let lon = (start.lon_rad + dlon + std::f64::consts::PI).rem_euclid(std::f64::consts::TAU) - std::f64::consts::PI;
    Geodetic::new(lat, lon, alt_m)
}

/// Azimuthal equidistant projection about `origin` on the mean sphere: (east, north) in metres
/// such that the distance from the origin is the great-circle distance and the direction is
/// the initial azimuth (Snyder 1987, eqs. 5-3a and 5-4b). Range rings around the origin are
/// true circles in this projection.
pub fn azimuthal_equidistant(origin: &Geodetic, point: &Geodetic) -> (f64, f64) {
    let c = bulwark_geo::surface_distance_m(origin, point);
    let dlon = point.lon_rad - origin.lon_rad;
    let (s1, c1) = origin.lat_rad.sin_cos();
    let (s2, c2) = point.lat_rad.sin_cos();
    let y = dlon.sin() * c2;
    let x = c1 * s2 - s1 * c2 * dlon.cos();
    if c == 0.0 || (x == 0.0 && y == 0.0) {
        return (0.0, 0.0);
    }
    let az = y.atan2(x);
    (c * az.sin(), c * az.cos())
}

/// Whether `azimuth_rad` lies in the sector of total width `width_rad` centred on
/// `centre_rad` (edges included, across north); a width of 2π or more is the full circle.
/// Same rule as the sensors' sector gate.
pub fn azimuth_in_sector(azimuth_rad: f64, centre_rad: f64, width_rad: f64) -> bool {
    use std::f64::consts::{PI, TAU};
    if width_rad >= TAU {
        return azimuth_rad.is_finite();
    }
    let w = (azimuth_rad - centre_rad).rem_euclid(TAU);
    let off = if w > PI { w - TAU } else { w };
    off.abs() <= 0.5 * width_rad + 1e-12
}

#[cfg(test)]
mod tests {
    use super::*;
    use bulwark_geo::{EnuFrame, meridian_radius, prime_vertical_radius};

    /// Oracle: WGS-84 ENU geometry of bulwark-geo (ECEF positions, `EnuFrame::rae`). With k = 1
    /// the effective sphere is the true earth; taking a = the radius of curvature along the
    /// path (the meridian radius M going north, the prime-vertical radius N going east on the
    /// equator) the sphere osculates the ellipsoid along that path, so slant range and
    /// elevation must agree to the second-order difference between ellipse and circle.
    #[test]
    fn matches_wgs84_enu_geometry_on_the_osculating_sphere() {
        let cases = [
            // (site lat deg, path: north?, ground km, h_a m, h_t m)
            (45.0, true, 50.0, 10.0, 300.0),
            (45.0, true, 200.0, 30.0, 8_000.0),
            (45.0, true, 400.0, 30.0, 20_000.0),
            (0.0, false, 150.0, 5.0, 5_000.0),
            (0.0, false, 350.0, 5.0, 12_000.0),
        ];
        for (lat0, north, ground_km, ha, ht) in cases {
            let ground = ground_km * 1e3;
            let lat0_rad = f64::to_radians(lat0);
            let site = Geodetic::new(lat0_rad, 0.3, ha);
            let (radius, target) = if north {
                // Meridian arc length to first order in the variation of M along the arc.
                let m = meridian_radius(lat0_rad + 0.5 * ground / meridian_radius(lat0_rad));
                (m, Geodetic::new(lat0_rad + ground / m, 0.3, ht))
            } else {
                let n = prime_vertical_radius(0.0);
                (n, Geodetic::new(0.0, 0.3 + ground / n, ht))
            };
            let rae = EnuFrame::new(site).rae(&target.to_ecef());
            let earth = EffectiveEarth { radius_m: radius };
            let slant = earth.slant_range_m(ground, ha, ht);
            let el = earth.elevation_rad(ground, ha, ht);
            // Tolerances: 1e-5 relative in range (a few metres at 400 km) and 2e-5 rad in
            // elevation, from the ellipse-vs-circle difference over the path.
            assert!((slant - rae.range_m).abs() < 1e-5 * rae.range_m, "{lat0} {ground_km}: {slant} vs {}", rae.range_m);
            assert!((el - rae.elevation_rad).abs() < 2e-5, "{lat0} {ground_km}: {el} vs {}", rae.elevation_rad);
        }
    }

    /// Oracle: the closed form d = √(2kRe)(√hₐ + √hₜ) (Skolnik 3rd ed. eq. 8.4 form), valid
    /// for h ≪ kRe; the exact tangent form differs by O(h/a) relative.
    #[test]
    fn horizon_matches_the_closed_form() {
        let e = EffectiveEarth::new(4.0 / 3.0).unwrap();
        let a = 4.0 / 3.0 * EARTH_MEAN_RADIUS;
        for (ha, ht) in [(10.0, 0.0), (10.0, 50.0), (30.0, 1000.0), (5.0, 10_000.0)] {
            let closed = (2.0 * a).sqrt() * (f64::sqrt(ha) + f64::sqrt(ht));
            let exact = e.horizon_ground_range_m(ha, ht);
            assert!((exact - closed).abs() < 1e-3 * closed, "{ha} {ht}: {exact} vs {closed}");
            // At the horizon the ray grazes: elevation of the target equals minus the
            // antenna's dip angle φₐ... and the target sits at the edge of visibility.
            let el = e.elevation_rad(exact, ha, ht);
            assert!((el + e.tangent_angle(ha)).abs() < 1e-9, "{el}");
        }
        // 4.12 km per √m: d(10 m, 0) ≈ 13.0 km (Skolnik's rule of thumb d[km] ≈ 4.12√h[m]).
        assert!((e.horizon_ground_range_m(10.0, 0.0) / 1e3 - 4.12 * 10f64.sqrt()).abs() < 0.05);
    }

    #[test]
    fn point_at_inverts_slant_and_elevation() {
        let e = EffectiveEarth::new(4.0 / 3.0).unwrap();
        for (g, ha, ht) in [(1e3, 10.0, 10.0), (80e3, 20.0, 3_000.0), (300e3, 5.0, 25_000.0), (0.0, 10.0, 5_000.0)] {
            let r = e.slant_range_m(g, ha, ht);
            let el = e.elevation_rad(g, ha, ht);
            let (g2, h2) = e.point_at(r, el, ha);
            assert!((g2 - g).abs() < 1e-6 * (1.0 + g), "{g} {g2}");
            assert!((h2 - ht).abs() < 1e-5, "{ht} {h2}");
            let g3 = e.ground_range_at_slant_m(r, ha, ht).unwrap();
            assert!((g3 - g).abs() < 1e-4, "{g} {g3}");
        }
        // Degenerate geometry: zero ground range, equal heights.
        assert_eq!(e.slant_range_m(0.0, 10.0, 10.0), 0.0);
        assert_eq!(e.elevation_rad(0.0, 10.0, 10.0), 0.0);
        assert!((e.elevation_rad(0.0, 10.0, 20.0) - std::f64::consts::FRAC_PI_2).abs() < 1e-15);
        assert_eq!(e.ground_range_at_slant_m(5.0, 0.0, 10.0), None);
        assert!(EffectiveEarth::new(0.0).is_err());
        assert!(EffectiveEarth::new(f64::NAN).is_err());
        assert!(EffectiveEarth::new(f64::INFINITY).is_err());
    }

    /// Oracle: `bulwark_geo::surface_distance_m` (haversine) and the round trip through the
    /// azimuthal equidistant projection.
    #[test]
    fn destination_and_projection_round_trip() {
        let site = Geodetic::from_degrees(55.0, 37.0, 150.0);
        for (az_deg, d) in [(0.0, 100e3), (90.0, 250e3), (225.0, 400e3), (359.0, 1e3)] {
            let p = destination(&site, f64::to_radians(az_deg), d, 0.0);
            let back = bulwark_geo::surface_distance_m(&site, &p);
            assert!((back - d).abs() < 1e-6 * d, "{az_deg}: {back}");
            let (e, n) = azimuthal_equidistant(&site, &p);
            assert!((e.hypot(n) - d).abs() < 1e-6 * d);
            let az = e.atan2(n).rem_euclid(std::f64::consts::TAU).to_degrees();
            let diff = (az - az_deg + 180.0).rem_euclid(360.0) - 180.0;
            assert!(diff.abs() < 1e-7, "{az_deg}: {az}");
        }
        assert_eq!(azimuthal_equidistant(&site, &site), (0.0, 0.0));
    }

    #[test]
    fn sector_wraps_across_north() {
        let (c, w) = (350f64.to_radians(), 40f64.to_radians());
        for (az, inside) in [(5.0, true), (330.0, true), (10.0, true), (11.0, false), (329.0, false), (170.0, false)] {
            assert_eq!(azimuth_in_sector(f64::to_radians(az), c, w), inside, "{az}°");
        }
        assert!(azimuth_in_sector(3.0, 0.0, std::f64::consts::TAU));
        assert!(!azimuth_in_sector(f64::NAN, 0.0, 1.0));
    }
}
