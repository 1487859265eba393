//! WGS-84 geodesy for Bulwark.
//!
//! Truth lives in ECEF (earth-centred, earth-fixed, metres). Each site sees the world in
//! its own local East-North-Up frame; the tracker works in the ENU frame of the scenario
//! origin. Formulas: NIMA TR8350.2 (WGS-84 definition, 3rd ed. 2000) for the ellipsoid;
//! geodetic from ECEF by Bowring's iteration (Bowring 1976, Survey Review 23(181)),
//! converged to well below a micrometre; near the earth's centre, where Bowring's
//! iteration need not converge, by bisection on the foot-point equation.
#![forbid(unsafe_code)]

pub mod altimetry;

use bulwark_core::{Mat3, Vec3};
use serde::{Deserialize, Serialize};

/// WGS-84 semi-major axis a (m), NIMA TR8350.2 table 3.1.
pub const WGS84_A: f64 = 6_378_137.0;
/// WGS-84 flattening f = 1/298.257223563.
pub const WGS84_F: f64 = 1.0 / 298.257_223_563;
/// First eccentricity squared e² = f(2 − f).
pub const WGS84_E2: f64 = WGS84_F * (2.0 - WGS84_F);
/// Semi-minor axis b = a(1 − f) (m).
pub const WGS84_B: f64 = WGS84_A * (1.0 - WGS84_F);
/// Earth rotation rate ω (rad/s), NIMA TR8350.2.
pub const WGS84_OMEGA: f64 = 7.292_115e-5;
/// Earth gravitational constant GM (m³/s²), NIMA TR8350.2.
pub const WGS84_GM: f64 = 3.986_004_418e14;
/// Mean earth radius R₁ = (2a + b)/3 (m), used where a sphere is good enough.
pub const EARTH_MEAN_RADIUS: f64 = (2.0 * WGS84_A + WGS84_B) / 3.0;
/// Standard gravity g₀ (m/s²), by definition (CGPM 1901).
pub const G0: f64 = 9.806_65;

/// A geodetic position on WGS-84: latitude and longitude in radians, height above the
/// ellipsoid in metres.
#[derive(Copy, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Geodetic {
    pub lat_rad: f64,
    pub lon_rad: f64,
    pub alt_m: f64,
}

impl Geodetic {
    pub fn new(lat_rad: f64, lon_rad: f64, alt_m: f64) -> Self {
        Geodetic { lat_rad, lon_rad, alt_m }
    }
    pub fn from_degrees(lat_deg: f64, lon_deg: f64, alt_m: f64) -> Self {
        Geodetic::new(lat_deg.to_radians(), lon_deg.to_radians(), alt_m)
    }
    pub fn lat_deg(&self) -> f64 {
        self.lat_rad.to_degrees()
    }
    pub fn lon_deg(&self) -> f64 {
        self.lon_rad.to_degrees()
    }

    /// ECEF position (m).
    pub fn to_ecef(&self) -> Vec3 {
        let (sl, cl) = self.lat_rad.sin_cos();
        let (so, co) = self.lon_rad.sin_cos();
        let n = prime_vertical_radius(self.lat_rad);
        Vec3::new((n + self.alt_m) * cl * co, (n + self.alt_m) * cl * so, (n * (1.0 - WGS84_E2) + self.alt_m) * sl)
    }

    /// Geodetic position of an ECEF point (Bowring's iteration). Valid everywhere,
    /// including the poles and the earth's centre (which maps to the north pole at −b).
    /// Latitude is always in [−π/2, π/2] and `to_ecef` gives the point back; within about
    /// 43 km of the centre several latitudes are valid and one of them is returned.
    pub fn from_ecef(p: &Vec3) -> Geodetic {
        let lon = p.y.atan2(p.x);
        let (lat, alt) = lat_alt_of_ecef(p);
        Geodetic::new(lat, lon, alt)
    }

    /// Height above the ellipsoid (m) of an ECEF point: bit for bit
    /// `Geodetic::from_ecef(p).alt_m`, without the longitude's `atan2`. For the hot paths that
    /// need only a height (drag and thrust inside an integrator's stages, ground checks).
    pub fn alt_of_ecef(p: &Vec3) -> f64 {
        sin_cos_alt_of_ecef(p).2
    }

    /// Height above the ellipsoid (m) and the local up unit vector (the ellipsoid normal,
    /// ECEF) of an ECEF point, without any trigonometric call: for views and climb rates.
    pub fn alt_and_up_of_ecef(p: &Vec3) -> (f64, Vec3) {
        let (sl, cl, so, co, alt) = local_angles_of_ecef(p);
        (alt, Vec3::new(cl * co, cl * so, sl))
    }
}

/// Geodetic latitude (rad) and height (m) of an ECEF point (see [`Geodetic::from_ecef`]).
fn lat_alt_of_ecef(p: &Vec3) -> (f64, f64) {
    let (sl, cl, alt, lat) = sin_cos_alt_of_ecef(p);
    (lat.unwrap_or_else(|| sl.atan2(cl)), alt)
}

/// Sine and cosine of the geodetic latitude, height (m) and, where it was found directly
/// (on the axis, or by bisection near the centre), the latitude itself (rad) of an ECEF
/// point. Elsewhere the latitude is `atan2(sin, cos)`, left to callers that need it: a
/// height or a local frame needs only the sine and cosine.
fn sin_cos_alt_of_ecef(p: &Vec3) -> (f64, f64, f64, Option<f64>) {
    sin_cos_alt_of_ecef_at(p, norm2(p.x, p.y))
}

/// [`sin_cos_alt_of_ecef`] given ρ = √(x² + y²) (m).
fn sin_cos_alt_of_ecef_at(p: &Vec3, rho: f64) -> (f64, f64, f64, Option<f64>) {
    let z = p.z;
    if rho < 1e-9 {
        // On the polar axis.
        let lat = if z >= 0.0 { std::f64::consts::FRAC_PI_2 } else { -std::f64::consts::FRAC_PI_2 };
        return (lat.signum(), 0.0, z.abs() - WGS84_B, Some(lat));
    }
    let (sl, cl, lat) = if norm2(rho, z) < NEAR_CENTRE_M {
        let lat = foot_latitude_bisection(rho, z);
        let (sl, cl) = lat.sin_cos();
        (sl, cl, Some(lat))
    } else {
        let (sl, cl) = bowring_latitude(rho, z);
        (sl, cl, None)
    };
    let n = WGS84_A / (1.0 - WGS84_E2 * sl.powi(2)).sqrt();
    // Height: the better-conditioned form away from and near the poles.
    let alt = if cl.abs() > 0.1 { rho / cl - n } else { z / sl - n * (1.0 - WGS84_E2) };
    (sl, cl, alt, lat)
}

/// Sines and cosines of the geodetic latitude and the longitude, and the height (m), of an
/// ECEF point, without trigonometric calls (the longitude's from x/ρ and y/ρ).
fn local_angles_of_ecef(p: &Vec3) -> (f64, f64, f64, f64, f64) {
    let rho = norm2(p.x, p.y);
    let (sl, cl, alt, _) = sin_cos_alt_of_ecef_at(p, rho);
    let (so, co) = if rho > 0.0 { (p.y / rho, p.x / rho) } else { (0.0, 1.0) };
    (sl, cl, so, co, alt)
}

/// Distance from the earth's centre (m) within which `Geodetic::from_ecef` bisects instead
/// of iterating Bowring's formula. The evolute of the meridian ellipse (its centres of
/// curvature) reaches e²a ≈ 42.7 km from the centre; inside it several ellipsoid normals
/// pass through a point and Bowring's iteration may jump past ±90° or fail to converge.
const NEAR_CENTRE_M: f64 = 100_000.0;

/// Bowring's iteration for geodetic latitude (rad) from ρ = √(x² + y²) > 0 and z (m),
/// started from the parametric latitude; valid outside the evolute. Returns the sine and
/// cosine of the latitude.
///
/// Each step is Bowring's (1976) eq. for tan φ from the parametric latitude β, then
/// tan β = (1 − f) tan φ. Both angles are carried as (sine, cosine) pairs normalised from
/// their tangents' numerator and denominator, so the loop needs square roots only; one
/// `atan2` gives φ where it is wanted. This is algebraically the same iteration as evaluating each
/// angle with `atan2` and taking its sine and cosine (agreeing to a few ulp), at about a
/// fifth of the cost: it runs for every object's height in every step.
fn bowring_latitude(rho: f64, z: f64) -> (f64, f64) {
    let ep2 = WGS84_E2 / (1.0 - WGS84_E2);
    let (mut sb, mut cb) = unit_pair(z, (1.0 - WGS84_F) * rho);
    let (mut sl, mut cl) = (0.0, 1.0);
    for _ in 0..8 {
        (sl, cl) = unit_pair(z + ep2 * WGS84_B * sb.powi(3), rho - WGS84_E2 * WGS84_A * cb.powi(3));
        let (nsb, ncb) = unit_pair((1.0 - WGS84_F) * sl, cl);
        // Converged when β moves by less than 1e-15 rad (|Δ(sin, cos)| bounds |Δβ|).
        let moved = (nsb - sb).abs().max((ncb - cb).abs());
        (sb, cb) = (nsb, ncb);
        if moved < 1e-15 {
            break;
        }
    }
    (sl, cl)
}

/// (sin θ, cos θ) of θ = atan2(y, x), without trigonometry: (y, x) / √(x² + y²).
#[inline]
fn unit_pair(y: f64, x: f64) -> (f64, f64) {
    let r = norm2(x, y);
    if r > 0.0 { (y / r, x / r) } else { (0.0, 1.0) }
}

/// √(x² + y²): the plain form where the squares are finite and normal (any point within
/// 1e150 m, a few times cheaper than `hypot`), `hypot`'s scaled form elsewhere.
#[inline]
fn norm2(x: f64, y: f64) -> f64 {
    let r2 = x * x + y * y;
    if r2.is_finite() && r2 > 1e-300 { r2.sqrt() } else { x.hypot(y) }
}

/// Height above the ellipsoid near one point, without a geodetic conversion: for the
/// stages of an integrator, which need the height at points metres to kilometres from a
/// point whose height is known exactly.
///
/// For a displacement d from the point, with u, n, e its local up, north and east unit
/// vectors, h ≈ h₀ + d·u + (d·n)² / 2(M + h₀) + (d·e)² / 2(N + h₀): the height of a point
/// above the surface through p₀ parallel to the ellipsoid, curving with the normal
/// curvatures of Euler's theorem in the two principal directions (meridian radius M and
/// prime-vertical radius N, Torge & Müller, *Geodesy* §4.1). The error is third order in
/// |d|/R: under 1 mm for |d| ≤ 2 km and under 0.1 m for |d| ≤ 20 km at any latitude and
/// height below 2,000 km (tests/local_height.rs, against [`Geodetic::alt_of_ecef`]).
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct LocalHeight {
    origin: Vec3,
    alt_m: f64,
    up: Vec3,
    north: Vec3,
    east: Vec3,
    /// 1 / 2(M + h₀) and 1 / 2(N + h₀) (1/m).
    half_curvature_n: f64,
    half_curvature_e: f64,
}

impl LocalHeight {
    /// The local height model at an ECEF point: one exact conversion.
    pub fn at(p: &Vec3) -> LocalHeight {
        let (sl, cl, so, co, alt) = local_angles_of_ecef(p);
        let w2 = 1.0 - WGS84_E2 * sl * sl;
        let n = WGS84_A / w2.sqrt();
        let m = n * (1.0 - WGS84_E2) / w2;
        LocalHeight {
            origin: *p,
            alt_m: alt,
            up: Vec3::new(cl * co, cl * so, sl),
            north: Vec3::new(-sl * co, -sl * so, cl),
            east: Vec3::new(-so, co, 0.0),
            half_curvature_n: 0.5 / (m + alt),
            half_curvature_e: 0.5 / (n + alt),
        }
    }

    /// The exact height (m) of the point the model was made at.
    pub fn alt_m(&self) -> f64 {
        self.alt_m
    }

    /// The height (m) of an ECEF point near the origin (see the type's doc for the error).
    #[inline]
    pub fn height_of(&self, p: &Vec3) -> f64 {
        let d = p - self.origin;
        let (dn, de) = (d.dot(&self.north), d.dot(&self.east));
        self.alt_m + d.dot(&self.up) + dn * dn * self.half_curvature_n + de * de * self.half_curvature_e
    }
}

/// Geodetic latitude (rad) of a point (ρ > 0, z) by bisection on the foot-point equation
/// f(φ) = ρ sin φ − |z| cos φ − e² N(φ) sin φ cos φ, zero when the ellipsoid normal at φ
/// passes through the point. f(0) = −|z| ≤ 0 and f(π/2) = ρ > 0, so a root always lies in
/// [0, π/2]: robust where several normals pass through the point (near the centre).
fn foot_latitude_bisection(rho: f64, z: f64) -> f64 {
    let az = z.abs();
    let (mut lo, mut hi) = (0.0_f64, std::f64::consts::FRAC_PI_2);
    // 64 halvings of π/2 reach below the spacing of doubles near the root.
    for _ in 0..64 {
        let mid = 0.5 * (lo + hi);
        let (s, c) = mid.sin_cos();
        if rho * s - az * c - WGS84_E2 * prime_vertical_radius(mid) * s * c < 0.0 {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    (0.5 * (lo + hi)).copysign(z)
}

/// Radius of curvature in the prime vertical, N(φ) = a / √(1 − e² sin²φ) (m).
pub fn prime_vertical_radius(lat_rad: f64) -> f64 {
    WGS84_A / (1.0 - WGS84_E2 * lat_rad.sin().powi(2)).sqrt()
}

/// Radius of curvature in the meridian, M(φ) = a(1 − e²) / (1 − e² sin²φ)^{3/2} (m).
pub fn meridian_radius(lat_rad: f64) -> f64 {
    WGS84_A * (1.0 - WGS84_E2) / (1.0 - WGS84_E2 * lat_rad.sin().powi(2)).powf(1.5)
}

/// Rotation taking ECEF vectors into the local East-North-Up axes at (lat, lon).
pub fn ecef_to_enu_rotation(lat_rad: f64, lon_rad: f64) -> Mat3 {
    let (sl, cl) = lat_rad.sin_cos();
    let (so, co) = lon_rad.sin_cos();
    Mat3::new(-so, co, 0.0, -sl * co, -sl * so, cl, cl * co, cl * so, sl)
}

/// A local East-North-Up frame at a geodetic origin.
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct EnuFrame {
    origin: Geodetic,
    origin_ecef: Vec3,
    /// ECEF → ENU rotation.
    rot: Mat3,
}

impl EnuFrame {
    pub fn new(origin: Geodetic) -> Self {
        EnuFrame { origin, origin_ecef: origin.to_ecef(), rot: ecef_to_enu_rotation(origin.lat_rad, origin.lon_rad) }
    }
    pub fn origin(&self) -> Geodetic {
        self.origin
    }
    pub fn origin_ecef(&self) -> Vec3 {
        self.origin_ecef
    }
    /// ECEF → ENU rotation matrix.
    pub fn rotation(&self) -> &Mat3 {
        &self.rot
    }
    /// ECEF point → ENU point (m).
    pub fn to_enu(&self, ecef: &Vec3) -> Vec3 {
        self.rot * (ecef - self.origin_ecef)
    }
    /// ENU point → ECEF point (m).
    pub fn to_ecef(&self, enu: &Vec3) -> Vec3 {
        self.rot.transpose() * enu + self.origin_ecef
    }
    /// ECEF vector (velocity, acceleration, difference) → ENU vector.
    pub fn vec_to_enu(&self, v: &Vec3) -> Vec3 {
        self.rot * v
    }
    /// ENU vector → ECEF vector.
    pub fn vec_to_ecef(&self, v: &Vec3) -> Vec3 {
        self.rot.transpose() * v
    }
    /// Geodetic point → ENU point.
    pub fn geodetic_to_enu(&self, g: &Geodetic) -> Vec3 {
        self.to_enu(&g.to_ecef())
    }
    /// Rotation taking vectors of this frame into the axes of `other`.
    pub fn rotation_to(&self, other: &EnuFrame) -> Mat3 {
        other.rot * self.rot.transpose()
    }
    /// Range (m), azimuth (rad, clockwise from north, in [0, 2π)) and elevation (rad)
    /// of an ECEF point seen from this frame's origin.
    pub fn rae(&self, ecef: &Vec3) -> Rae {
        Rae::from_enu(&self.to_enu(ecef))
    }
}

/// Range, azimuth and elevation as a site sees a point.
#[derive(Copy, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Rae {
    pub range_m: f64,
    /// Clockwise from true north, [0, 2π).
    pub azimuth_rad: f64,
    /// Above the local horizontal plane.
    pub elevation_rad: f64,
}

impl Rae {
    /// From a local ENU vector. A zero vector gives range 0, azimuth 0, elevation 0; a
    /// vector with no horizontal part (straight up or down) gives azimuth 0.
    pub fn from_enu(v: &Vec3) -> Rae {
        let range = v.norm();
        let horizontal = v.x.hypot(v.y);
        let az = if horizontal > 0.0 {
            let a = v.x.atan2(v.y);
            // `abs` turns −0.0 into +0.0; a + 2π rounds to exactly 2π when a is a tiny
            // negative number, which must read as 0 to stay in [0, 2π).
            let wrapped = if a < 0.0 { a + std::f64::consts::TAU } else { a.abs() };
            if wrapped < std::f64::consts::TAU { wrapped } else { 0.0 }
        } else {
            0.0
        };
        let el = if range > 0.0 { v.z.atan2(horizontal) } else { 0.0 };
        Rae { range_m: range, azimuth_rad: az, elevation_rad: el }
    }
    /// Back to a local ENU vector.
    pub fn to_enu(&self) -> Vec3 {
        let (se, ce) = self.elevation_rad.sin_cos();
        let (sa, ca) = self.azimuth_rad.sin_cos();
        Vec3::new(self.range_m * ce * sa, self.range_m * ce * ca, self.range_m * se)
    }
}

/// The standard refraction factor k = 4/3 of the effective-earth model (Skolnik,
/// Introduction to Radar Systems, 3rd ed., ch. 8).
pub const FOUR_THIRDS: f64 = 4.0 / 3.0;

/// Radar horizon range (m) between an antenna at height `h_radar_m` and a target at
/// `h_target_m` (both above the surface) over a smooth earth of effective radius k·Re:
/// d = √(2kRe·h_r) + √(2kRe·h_t). With k = 4/3 this is d[km] ≈ 4.12(√h_r + √h_t) (m).
/// Negative or NaN heights count as 0; a k that is not finite and positive gives 0.
pub fn radar_horizon_m(h_radar_m: f64, h_target_m: f64, k: f64) -> f64 {
    let ke = if k.is_finite() && k > 0.0 { k * EARTH_MEAN_RADIUS } else { 0.0 };
    (2.0 * ke * h_radar_m.max(0.0)).sqrt() + (2.0 * ke * h_target_m.max(0.0)).sqrt()
}

/// Whether a target is above the radar horizon of the effective-earth model: the
/// straight-line range must not exceed the horizon range for the two heights.
pub fn above_radar_horizon(range_m: f64, h_radar_m: f64, h_target_m: f64, k: f64) -> bool {
    range_m <= radar_horizon_m(h_radar_m, h_target_m, k)
}

/// The unit normal to the WGS-84 ellipsoid at geodetic latitude/longitude (the "n-vector",
/// Gade 2010, J. Navigation 63(3) 395–417), in ECEF axes.
pub fn n_vector(g: &Geodetic) -> Vec3 {
    let (slat, clat) = g.lat_rad.sin_cos();
    let (slon, clon) = g.lon_rad.sin_cos();
    Vec3::new(clat * clon, clat * slon, slat)
}

/// The point a fraction `f` (0 at `a`, 1 at `b`) along the leg from `a` to `b`: the
/// horizontal position by n-vector interpolation, n(f) = unit(n_a + f (n_b − n_a)) (Gade 2010,
/// example 6), which follows the great circle of the normals on the ellipsoid; the height
/// linear in `f`. Unlike a straight chord in ECEF it never cuts below the surface (a chord
/// between two FL350 points 10 min apart dips 3.5 km mid-leg). `None` for antipodal ends,
/// where no leg is defined.
pub fn interpolate_leg(a: &Geodetic, b: &Geodetic, f: f64) -> Option<Geodetic> {
    let (na, nb) = (n_vector(a), n_vector(b));
    let n = na + (nb - na) * f;
    let norm = n.norm();
    if norm.is_nan() || norm <= 1e-9 {
        return None;
    }
    let n = n / norm;
    let lat = n.z.atan2((n.x * n.x + n.y * n.y).sqrt());
    let lon = n.y.atan2(n.x);
    Some(Geodetic::new(lat, lon, a.alt_m + (b.alt_m - a.alt_m) * f))
}

/// Great-circle surface distance (m) between two geodetic points on the mean sphere
/// (haversine); accurate to about 0.5 % — for summaries, never for measurements.
pub fn surface_distance_m(a: &Geodetic, b: &Geodetic) -> f64 {
    let dlat = b.lat_rad - a.lat_rad;
    let dlon = b.lon_rad - a.lon_rad;
    let h = (dlat / 2.0).sin().powi(2) + a.lat_rad.cos() * b.lat_rad.cos() * (dlon / 2.0).sin().powi(2);
    2.0 * EARTH_MEAN_RADIUS * h.sqrt().min(1.0).asin()
}
