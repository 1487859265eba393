//! Line of sight over terrain, with standard refraction, and horizon profiles for coverage maps.
//!
//! **Model (effective earth).** Refraction in a standard atmosphere bends rays down with a
//! curvature about a quarter of the earth's; drawing the earth with radius k·R (k = 4/3) makes
//! the rays straight (Skolnik, *Introduction to Radar Systems*, 3rd ed., ch. 8, "Atmospheric
//! refraction — standard propagation"; Doerry, *Earth curvature and atmospheric refraction
//! effects on radar signal propagation*, Sandia report SAND2012-10690, 2013). Between two points at ground distance D along the great
//! circle (mean-earth sphere R = [`EARTH_MEAN_RADIUS`]) with heights h_a and h_b, the straight
//! ray lies, at ground distance d from the first, at height
//!
//! ```text
//! h_ray(d) = h_a + (h_b − h_a)·d/D − d·(D − d) / (2kR)
//! ```
//!
//! above the effective sphere: the chord's linear height profile less the "earth bulge"
//! d(D−d)/(2kR), the sagitta of the effective sphere over the path (the same bulge term as in
//! ITU-R P.526 and P.452 path profiles). Equivalently, the terrain is raised by the bulge and the
//! ray is drawn straight. The form is the parabolic (small-angle) approximation, good to about
//! (D/kR)²/12 of the bulge (under a metre at 400 km). It reproduces the smooth-earth horizon
//! exactly: the tangent ray from h_a to h_b grazes the sphere when D = √(2kR·h_a) + √(2kR·h_b),
//! the formula of [`bulwark_geo::radar_horizon_m`].
//!
//! The target is masked when some interior sample has `h_ray(d) < terrain(d)`. Samples lie every
//! `D/n` with `D/n ≤ min(step_m, grid spacing)`, both end points excluded. Terrain outside the
//! grid or in voids counts as 0 m (the ellipsoid): beyond the DEM the model is the smooth earth.
//!
//! **Masking angle.** Dividing the visibility condition by d gives the equivalent angle form
//! used by [`horizon_profile`]: seen from the radar, a terrain point masks at the (effective-
//! earth) elevation slope θ(d) = (t(d) − h_a)/d − d/(2kR), and a target at range D is visible
//! when (h_b − h_a)/D − D/(2kR) ≥ max θ over the samples before it, i.e. when
//! h_b ≥ h_a + D·max θ + D²/(2kR) (the masking angle of radar siting, with the effective-earth
//! term −d/(2kR) for the drop of the horizontal below the chord).

use bulwark_geo::{EARTH_MEAN_RADIUS, Geodetic};

use crate::ElevationGrid;

/// Most intervals one path is split into: a bound on work when `step_m` is tiny (4 194 304
/// intervals is a 1 m step over 4 000 km). Beyond it the step grows.
pub const MAX_SAMPLES: usize = 1 << 22;

/// Where a line of sight is blocked.
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct MaskPoint {
    /// Ground distance from the `from` point along the great circle (m).
    pub ground_range_m: f64,
    /// The blocking terrain point: latitude, longitude and terrain height (m above ellipsoid).
    pub at: Geodetic,
    /// Height of the ray there (m above the effective sphere), below the terrain.
    pub ray_height_m: f64,
}

/// The answer of [`line_of_sight`].
#[derive(Copy, Clone, Debug, PartialEq)]
pub enum Visibility {
    /// No sample of the terrain reaches the ray.
    Visible,
    /// The first sample, walking from `from` to `to`, where the terrain rises above the ray.
    Masked(MaskPoint),
    /// A non-finite position, or a refraction factor or step that is not finite and positive.
    InvalidInput,
}

impl Visibility {
    /// True only for [`Visibility::Visible`].
    pub fn is_visible(&self) -> bool {
        matches!(self, Visibility::Visible)
    }
}

/// Whether `to` can be seen from `from` over the terrain of `grid` in the effective-earth model
/// of refraction factor `k_factor` (4/3 standard), sampling the path every `step_m` metres or
/// finer (never coarser than the grid spacing). Heights are `alt_m` (m above the ellipsoid). See
/// the module notes for the formula. Earth curvature is included: over a flat zero grid this is
/// the smooth-earth horizon test. Two points on one vertical are always visible.
pub fn line_of_sight(grid: &ElevationGrid, from: &Geodetic, to: &Geodetic, k_factor: f64, step_m: f64) -> Visibility {
    if !(finite_position(from) && finite_position(to) && positive(k_factor) && positive(step_m)) {
        return Visibility::InvalidInput;
    }
    let (path, angle) = GreatCircle::between(from, to);
    let d_total = angle * EARTH_MEAN_RADIUS;
    let n = intervals(d_total / step_m.min(grid.min_spacing_m()), true);
    if n < 2 {
        return Visibility::Visible;
    }
    let two_kr = 2.0 * k_factor * EARTH_MEAN_RADIUS;
    let (ha, hb) = (from.alt_m, to.alt_m);
    let mut walk = path.walk(angle / n as f64);
    for i in 1..n {
        let (lat, lon) = walk.next_point();
        let d = d_total * (i as f64 / n as f64);
        let ray = ha + (hb - ha) * (d / d_total) - d * (d_total - d) / two_kr;
        let terrain = terrain_m(grid, lat, lon);
        if ray < terrain {
            return Visibility::Masked(MaskPoint {
                ground_range_m: d,
                at: Geodetic::new(lat, lon, terrain),
                ray_height_m: ray,
            });
        }
    }
    Visibility::Visible
}

/// The lowest visible target height along one azimuth, for coverage maps: for each ground range
/// `d_i = i·s` (i = 1, 2, … while d_i ≤ `max_range_m`; s = `step_m`, made finer to the grid
/// spacing), the pair `(d_i, h_min)` with h_min (m above the ellipsoid) the lowest height at
/// which a target there is not masked by the terrain or the (effective) earth curvature, and
/// never below the terrain at d_i. The antenna is at `site.alt_m + antenna_height_m` (give the
/// site's ground height in `site.alt_m`, e.g. from [`ElevationGrid::height_m`]). Azimuth is
/// clockwise from north (rad). One pass, O(n), keeping the running maximum masking slope (module
/// notes); it agrees with [`line_of_sight`] to a target at (d_i, h) with the same step. Empty for
/// non-finite input, a non-positive k or step, or a negative range.
pub fn horizon_profile(
    grid: &ElevationGrid,
    site: &Geodetic,
    antenna_height_m: f64,
    azimuth_rad: f64,
    max_range_m: f64,
    step_m: f64,
    k: f64,
) -> Vec<(f64, f64)> {
    let inputs_finite = finite_position(site) && antenna_height_m.is_finite() && azimuth_rad.is_finite();
    if !(inputs_finite && max_range_m.is_finite() && max_range_m >= 0.0 && positive(step_m) && positive(k)) {
        return Vec::new();
    }
    let step = step_m.min(grid.min_spacing_m());
    let n = intervals(max_range_m / step, false);
    let step = if n == MAX_SAMPLES { max_range_m / n as f64 } else { step };
    let two_kr = 2.0 * k * EARTH_MEAN_RADIUS;
    let ha = site.alt_m + antenna_height_m;
    let mut walk = GreatCircle::from_azimuth(site, azimuth_rad).walk(step / EARTH_MEAN_RADIUS);
    let mut out = Vec::with_capacity(n);
    // Largest masking slope θ(d) = (t − h_a)/d − d/2kR of the samples so far.
    let mut max_slope = f64::NEG_INFINITY;
    for i in 1..=n {
        let (lat, lon) = walk.next_point();
        let d = i as f64 * step;
        let terrain = terrain_m(grid, lat, lon);
        let ray_limit = if max_slope.is_finite() { ha + d * max_slope + d * d / two_kr } else { terrain };
        out.push((d, ray_limit.max(terrain)));
        max_slope = max_slope.max((terrain - ha) / d - d / two_kr);
    }
    out
}

/// Terrain height for masking (m): the grid's, or 0 (the ellipsoid) outside it and in voids.
fn terrain_m(grid: &ElevationGrid, lat: f64, lon: f64) -> f64 {
    grid.height_m(lat, lon).unwrap_or(0.0)
}

fn finite_position(g: &Geodetic) -> bool {
    g.lat_rad.is_finite() && g.lon_rad.is_finite() && g.alt_m.is_finite()
}

fn positive(v: f64) -> bool {
    v.is_finite() && v > 0.0
}

/// Number of intervals for a path of `ratio` = length/step: rounded up (`ceil`) or down, with a
/// 1e-9 tolerance so that a length of exactly i steps, up to rounding, gives i; in
/// [ceil ? 1 : 0, MAX_SAMPLES].
fn intervals(ratio: f64, ceil: bool) -> usize {
    let r = if ceil { (ratio - 1e-9).ceil().max(1.0) } else { (ratio + 1e-9).floor().max(0.0) };
    if r.is_finite() { (r as usize).min(MAX_SAMPLES) } else { MAX_SAMPLES }
}

/// A great circle of the unit sphere through `p`, heading along the unit tangent `t ⊥ p`.
/// Geodetic latitude and longitude are used as spherical coordinates, as in
/// [`bulwark_geo::surface_distance_m`].
#[derive(Copy, Clone, Debug)]
struct GreatCircle {
    p: [f64; 3],
    t: [f64; 3],
}

impl GreatCircle {
    /// The circle from `a` towards `b` and the angle between them (rad). For coincident or
    /// antipodal points any circle through `a` is as good; north (east at a pole) is taken.
    fn between(a: &Geodetic, b: &Geodetic) -> (GreatCircle, f64) {
        let p = unit(a.lat_rad, a.lon_rad);
        let q = unit(b.lat_rad, b.lon_rad);
        let c = dot(p, q);
        let w = [q[0] - c * p[0], q[1] - c * p[1], q[2] - c * p[2]];
        let s = dot(w, w).sqrt();
        let angle = s.atan2(c);
        if s > 1e-15 {
            (GreatCircle { p, t: [w[0] / s, w[1] / s, w[2] / s] }, angle)
        } else {
            (GreatCircle::from_azimuth(a, 0.0), angle)
        }
    }

    /// The circle leaving `a` at azimuth `az` (rad, clockwise from north).
    fn from_azimuth(a: &Geodetic, az: f64) -> GreatCircle {
        let (sl, cl) = a.lat_rad.sin_cos();
        let (so, co) = a.lon_rad.sin_cos();
        let (sa, ca) = az.sin_cos();
        // Unit vectors for any latitude; at a pole "north" is along the meridian `lon` + 180°.
        let (north, east) = ([-sl * co, -sl * so, cl], [-so, co, 0.0]);
        let t = [ca * north[0] + sa * east[0], ca * north[1] + sa * east[1], ca * north[2] + sa * east[2]];
        GreatCircle { p: unit(a.lat_rad, a.lon_rad), t }
    }

    /// Points every `delta` radians along the circle, starting one step from `p`.
    fn walk(&self, delta: f64) -> Walk {
        let (s, c) = delta.sin_cos();
        Walk { circle: *self, cos_i: 1.0, sin_i: 0.0, cos_d: c, sin_d: s }
    }
}

/// Stepping along a great circle by rotating (cos θ, sin θ) by a fixed angle: two multiply-adds
/// a step instead of a sine and a cosine; the rounding drift is ~1e-16 rad a step.
struct Walk {
    circle: GreatCircle,
    cos_i: f64,
    sin_i: f64,
    cos_d: f64,
    sin_d: f64,
}

impl Walk {
    /// Latitude and longitude (rad) of the next point.
    fn next_point(&mut self) -> (f64, f64) {
        let c = self.cos_i * self.cos_d - self.sin_i * self.sin_d;
        let s = self.sin_i * self.cos_d + self.cos_i * self.sin_d;
        (self.cos_i, self.sin_i) = (c, s);
        let (p, t) = (self.circle.p, self.circle.t);
        let v = [c * p[0] + s * t[0], c * p[1] + s * t[1], c * p[2] + s * t[2]];
        (v[2].atan2((v[0] * v[0] + v[1] * v[1]).sqrt()), v[1].atan2(v[0]))
    }
}

fn unit(lat: f64, lon: f64) -> [f64; 3] {
    let (sl, cl) = lat.sin_cos();
    let (so, co) = lon.sin_cos();
    [cl * co, cl * so, sl]
}

fn dot(a: [f64; 3], b: [f64; 3]) -> f64 {
    a[0] * b[0] + a[1] * b[1] + a[2] * b[2]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walk_reaches_the_far_point_and_matches_haversine() {
        let a = Geodetic::from_degrees(48.0, 11.0, 0.0);
        let b = Geodetic::from_degrees(50.5, 14.2, 0.0);
        let (gc, angle) = GreatCircle::between(&a, &b);
        // Oracle: bulwark-geo's haversine on the same sphere.
        assert!((angle * EARTH_MEAN_RADIUS - bulwark_geo::surface_distance_m(&a, &b)).abs() < 1e-6);
        let n = 10_000;
        let mut walk = gc.walk(angle / n as f64);
        let mut last = (0.0, 0.0);
        for _ in 0..n {
            last = walk.next_point();
        }
        assert!((last.0 - b.lat_rad).abs() < 1e-11 && (last.1 - b.lon_rad).abs() < 1e-11, "{last:?}");
    }

    #[test]
    fn azimuth_walk_heads_the_right_way() {
        let a = Geodetic::from_degrees(10.0, 20.0, 0.0);
        for (az_deg, dlat_sign, dlon_sign) in
            [(0.0, 1.0, 0.0), (90.0, 0.0, 1.0), (180.0, -1.0, 0.0), (270.0, 0.0, -1.0)]
        {
            let mut w = GreatCircle::from_azimuth(&a, f64::to_radians(az_deg)).walk(1e-4);
            let (lat, lon) = w.next_point();
            let (dlat, dlon) = (lat - a.lat_rad, lon - a.lon_rad);
            assert!(dlat * dlat_sign >= 0.0 && dlon * dlon_sign >= 0.0, "az {az_deg}: {dlat} {dlon}");
            assert!((dlat.abs() > 9e-5) == (dlat_sign != 0.0), "az {az_deg}: {dlat}");
        }
        let pole = Geodetic::from_degrees(90.0, 0.0, 0.0);
        let (lat, _) = GreatCircle::from_azimuth(&pole, 1.0).walk(0.01).next_point();
        assert!((lat - (std::f64::consts::FRAC_PI_2 - 0.01)).abs() < 1e-12);
    }

    #[test]
    fn intervals_round_robustly() {
        assert_eq!(intervals(3.0 + 1e-12, true), 3);
        assert_eq!(intervals(3.0 - 1e-12, false), 3);
        assert_eq!(intervals(0.0, true), 1);
        assert_eq!(intervals(f64::INFINITY, true), MAX_SAMPLES);
        assert_eq!(intervals(1e300, false), MAX_SAMPLES);
    }
}
