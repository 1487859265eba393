//! Ballistic impact-point prediction: where and when a free-falling track reaches the ground.
//!
//! The track state is propagated with classical RK4 at a fixed step (Press et al., *Numerical
//! Recipes*, 3rd ed., §17.1) under
//! - gravity: inverse-square, a = −μ r/|r|³, about the centre of a spherical, non-rotating earth
//!   of radius R (round earth; the two-body equation of Bate, Mueller & White, *Fundamentals of
//!   Astrodynamics*, 1971, ch. 1), or uniform, a = −g ẑ (flat earth, for the textbook closed forms);
//! - optionally drag for a known ballistic coefficient β = m/(C_D·A) (kg/m²):
//!   a_D = −ρ(h)·|v|·v/(2β), with the exponential atmosphere ρ = ρ₀·e^(−h/H); the default
//!   ρ₀ = 1.7523 kg/m³, H = 6705.6 m is Zarchan's 0.0034·e^(−h/22000) slug/ft³ (*Tactical and
//!   Strategic Missile Guidance*, ballistic-target examples) in SI.
//!
//! The earth does not rotate here: over a flight of t seconds the Coriolis displacement is
//! ≈ Ω·v·t² (a few km for a 300 s re-entry at 2 km/s), which bounds the model's use to the
//! terminal phase seen by a defence radar. Propagation stops at the first downward crossing
//! of the impact altitude; the crossing is found on the cubic Hermite interpolant of the last
//! step (exact for the flat-earth parabola), so the answer does not depend on the step grid.
//!
//! Frame: the scenario ENU frame (m, m/s), its origin on the sphere's surface; the earth's
//! centre is at (0, 0, −R).
use crate::TrackView;
use bulwark_core::Vec3;
use std::fmt;

/// The field and atmosphere constants, shared with the ballistic tracker model.
pub use bulwark_core::free_fall::{EARTH_MEAN_RADIUS_M, MU_EARTH};
use bulwark_core::free_fall::{ZARCHAN_RHO0_KG_M3, ZARCHAN_SCALE_HEIGHT_M, exponential_density};

/// The gravity field the state falls in.
#[derive(Copy, Clone, Debug, PartialEq)]
pub enum Gravity {
    /// Round earth: point mass μ (m³/s²) at the centre of a sphere of radius R (m).
    InverseSquare { mu: f64, earth_radius_m: f64 },
    /// Flat earth: uniform g (m/s²) along −z; altitude is z.
    Uniform { g_mps2: f64 },
}

impl Default for Gravity {
    fn default() -> Self {
        Gravity::InverseSquare { mu: MU_EARTH, earth_radius_m: EARTH_MEAN_RADIUS_M }
    }
}

/// Exponential atmosphere ρ = ρ₀·e^(−h/H).
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct Atmosphere {
    /// Sea-level density ρ₀ (kg/m³).
    pub rho0_kg_m3: f64,
    /// Scale height H (m); infinity gives a constant density.
    pub scale_height_m: f64,
}

impl Default for Atmosphere {
    fn default() -> Self {
        Atmosphere { rho0_kg_m3: ZARCHAN_RHO0_KG_M3, scale_height_m: ZARCHAN_SCALE_HEIGHT_M }
    }
}

impl Atmosphere {
    /// Density at altitude `h_m` (kg/m³).
    pub fn density(&self, h_m: f64) -> f64 {
        exponential_density(self.rho0_kg_m3, self.scale_height_m, h_m)
    }
}

/// Settings of the propagation.
#[derive(Clone, Debug, PartialEq)]
pub struct ImpactParams {
    pub gravity: Gravity,
    /// RK4 step (s).
    pub step_s: f64,
    /// Give up after this flight time (s): the state is in orbit or escaping.
    pub max_time_s: f64,
    /// Altitude at which the fall ends (m).
    pub impact_altitude_m: f64,
    /// Ballistic coefficient β = m/(C_D·A) (kg/m²); `None`: vacuum.
    pub ballistic_coefficient_kg_m2: Option<f64>,
    pub atmosphere: Atmosphere,
}

impl Default for ImpactParams {
    fn default() -> Self {
        ImpactParams {
            gravity: Gravity::default(),
            step_s: 0.25,
            max_time_s: 7_200.0,
            impact_altitude_m: 0.0,
            ballistic_coefficient_kg_m2: None,
            atmosphere: Atmosphere::default(),
        }
    }
}

/// Why no impact point came out.
#[derive(Clone, Debug, PartialEq)]
pub enum ImpactError {
    /// A parameter is out of range (named).
    InvalidParams(&'static str),
    /// The state holds a NaN or infinity.
    NonFiniteState,
    /// The state did not come down within `max_time_s` (orbit, escape or climbing away).
    NoImpact { horizon_s: f64 },
}

impl fmt::Display for ImpactError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ImpactError::InvalidParams(what) => write!(f, "invalid impact parameters: {what}"),
            ImpactError::NonFiniteState => f.write_str("track state is not finite"),
            ImpactError::NoImpact { horizon_s } => write!(f, "no impact within {horizon_s} s"),
        }
    }
}

impl std::error::Error for ImpactError {}

/// Position and velocity in the scenario ENU frame (m, m/s).
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct BallisticState {
    pub position: Vec3,
    pub velocity: Vec3,
}

impl BallisticState {
    /// The state of a track, its position moved along the local vertical so that its altitude
    /// above the model earth equals the track's geodetic altitude (ENU "up" is not altitude
    /// far from the origin; the engine's altitude is the better estimate).
    pub fn from_track(track: &TrackView, gravity: &Gravity) -> Self {
        let position = match *gravity {
            Gravity::InverseSquare { earth_radius_m, .. } => {
                let c = centre(earth_radius_m);
                let d = track.position - c;
                let n = d.norm();
                if n > 0.0 && n.is_finite() {
                    c + d * ((earth_radius_m + track.altitude_m) / n)
                } else {
                    track.position
                }
            }
            Gravity::Uniform { .. } => Vec3::new(track.position.x, track.position.y, track.altitude_m),
        };
        BallisticState { position, velocity: track.velocity }
    }
}

/// A predicted impact.
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct ImpactPoint {
    /// Impact point in the scenario ENU frame (m), at the impact altitude.
    pub position: Vec3,
    /// Velocity at impact (m/s).
    pub velocity: Vec3,
    /// Time from the state to impact (s).
    pub time_to_impact_s: f64,
    /// Surface distance from the point below the state to the impact point (m): great-circle on
    /// the round earth (at the impact altitude), horizontal on the flat earth.
    pub ground_range_m: f64,
    /// Highest altitude on the way (m), from the step interpolant.
    pub apogee_altitude_m: f64,
}

/// 1-σ uncertainty of a state, when no covariance is carried: isotropic position and velocity
/// standard deviations (m, m/s).
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct StateSigma {
    pub position_m: f64,
    pub velocity_mps: f64,
}

impl Default for StateSigma {
    /// Notional: a radar track of a re-entry vehicle (100 m, 10 m/s per axis).
    fn default() -> Self {
        StateSigma { position_m: 100.0, velocity_mps: 10.0 }
    }
}

impl StateSigma {
    /// The diagonal covariance [x y z vx vy vz] (m², m²/s²).
    pub fn covariance(&self) -> [[f64; 6]; 6] {
        let mut p = [[0.0; 6]; 6];
        for (i, row) in p.iter_mut().enumerate() {
            row[i] = if i < 3 { self.position_m.powi(2) } else { self.velocity_mps.powi(2) };
        }
        p
    }
}

/// 1-σ error ellipse of the impact point in the local horizontal plane at impact.
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct ImpactFootprint {
    /// Covariance [[ee, en], [ne, nn]] (m²) in the local east/north axes at impact.
    pub covariance_en: [[f64; 2]; 2],
    /// Semi-axes of the 1-σ ellipse (m), major ≥ minor.
    pub semi_major_m: f64,
    pub semi_minor_m: f64,
    /// Azimuth of the major axis, clockwise from local north (rad, in [0, π)).
    pub major_azimuth_rad: f64,
}

/// An impact with its footprint.
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct ImpactPrediction {
    pub impact: ImpactPoint,
    pub footprint: ImpactFootprint,
}

fn centre(earth_radius_m: f64) -> Vec3 {
    Vec3::new(0.0, 0.0, -earth_radius_m)
}

fn validate(p: &ImpactParams) -> Result<(), ImpactError> {
    if !(p.step_s.is_finite() && p.step_s > 0.0) {
        return Err(ImpactError::InvalidParams("step_s must be finite and > 0"));
    }
    if !(p.max_time_s.is_finite() && p.max_time_s > 0.0) {
        return Err(ImpactError::InvalidParams("max_time_s must be finite and > 0"));
    }
    if !p.impact_altitude_m.is_finite() {
        return Err(ImpactError::InvalidParams("impact_altitude_m must be finite"));
    }
    match p.gravity {
        Gravity::InverseSquare { mu, earth_radius_m } => {
            if !(mu.is_finite() && mu > 0.0 && earth_radius_m.is_finite() && earth_radius_m > 0.0) {
                return Err(ImpactError::InvalidParams("mu and earth_radius_m must be finite and > 0"));
            }
            if p.impact_altitude_m <= -earth_radius_m {
                return Err(ImpactError::InvalidParams("impact_altitude_m below the earth's centre"));
            }
        }
        Gravity::Uniform { g_mps2 } => {
            if !(g_mps2.is_finite() && g_mps2 > 0.0) {
                return Err(ImpactError::InvalidParams("g_mps2 must be finite and > 0"));
            }
        }
    }
    if let Some(b) = p.ballistic_coefficient_kg_m2 {
        if b.is_nan() || b <= 0.0 {
            return Err(ImpactError::InvalidParams("ballistic_coefficient_kg_m2 must be > 0"));
        }
        let a = p.atmosphere;
        if !(a.rho0_kg_m3.is_finite() && a.rho0_kg_m3 >= 0.0 && a.scale_height_m > 0.0) {
            return Err(ImpactError::InvalidParams("atmosphere: rho0 >= 0 and scale height > 0"));
        }
    }
    Ok(())
}

/// Altitude of a position above the model earth (m).
fn altitude(p: &ImpactParams, r: &Vec3) -> f64 {
    match p.gravity {
        Gravity::InverseSquare { earth_radius_m, .. } => (r - centre(earth_radius_m)).norm() - earth_radius_m,
        Gravity::Uniform { .. } => r.z,
    }
}

/// Rate of change of altitude (m/s).
fn altitude_rate(p: &ImpactParams, r: &Vec3, v: &Vec3) -> f64 {
    match p.gravity {
        Gravity::InverseSquare { earth_radius_m, .. } => {
            let d = r - centre(earth_radius_m);
            let n = d.norm();
            if n > 0.0 { d.dot(v) / n } else { 0.0 }
        }
        Gravity::Uniform { .. } => v.z,
    }
}

fn acceleration(p: &ImpactParams, r: &Vec3, v: &Vec3) -> Vec3 {
    let g = match p.gravity {
        Gravity::InverseSquare { mu, earth_radius_m } => {
            let d = r - centre(earth_radius_m);
            let n = d.norm().max(1.0);
            -d * (mu / (n * n * n))
        }
        Gravity::Uniform { g_mps2 } => Vec3::new(0.0, 0.0, -g_mps2),
    };
    match p.ballistic_coefficient_kg_m2 {
        Some(beta) => {
            let rho = p.atmosphere.density(altitude(p, r).max(0.0));
            g - v * (rho * v.norm() / (2.0 * beta))
        }
        None => g,
    }
}

fn rk4_step(p: &ImpactParams, r: &Vec3, v: &Vec3, h: f64) -> (Vec3, Vec3) {
    let k1r = *v;
    let k1v = acceleration(p, r, v);
    let k2r = v + k1v * (h / 2.0);
    let k2v = acceleration(p, &(r + k1r * (h / 2.0)), &k2r);
    let k3r = v + k2v * (h / 2.0);
    let k3v = acceleration(p, &(r + k2r * (h / 2.0)), &k3r);
    let k4r = v + k3v * h;
    let k4v = acceleration(p, &(r + k3r * h), &k4r);
    (r + (k1r + k2r * 2.0 + k3r * 2.0 + k4r) * (h / 6.0), v + (k1v + k2v * 2.0 + k3v * 2.0 + k4v) * (h / 6.0))
}

/// Cubic Hermite interpolation on [0, h] at fraction s: values y0, y1 and slopes d0, d1.
fn hermite(y0: f64, d0: f64, y1: f64, d1: f64, h: f64, s: f64) -> f64 {
    let s2 = s * s;
    let s3 = s2 * s;
    (2.0 * s3 - 3.0 * s2 + 1.0) * y0 + (s3 - 2.0 * s2 + s) * h * d0 + (-2.0 * s3 + 3.0 * s2) * y1 + (s3 - s2) * h * d1
}

fn hermite_slope(y0: f64, d0: f64, y1: f64, d1: f64, h: f64, s: f64) -> f64 {
    let s2 = s * s;
    ((6.0 * s2 - 6.0 * s) * y0
        + (3.0 * s2 - 4.0 * s + 1.0) * h * d0
        + (-6.0 * s2 + 6.0 * s) * y1
        + (3.0 * s2 - 2.0 * s) * h * d1)
        / h
}

/// Surface distance between the points below `a` and `b` (m).
fn ground_distance(p: &ImpactParams, a: &Vec3, b: &Vec3) -> f64 {
    match p.gravity {
        Gravity::InverseSquare { earth_radius_m, .. } => {
            let c = centre(earth_radius_m);
            let (da, db) = (a - c, b - c);
            let angle = da.cross(&db).norm().atan2(da.dot(&db));
            (earth_radius_m + p.impact_altitude_m) * angle
        }
        Gravity::Uniform { .. } => (a.xy() - b.xy()).norm(),
    }
}

/// Propagate a free-falling state to its first downward crossing of the impact altitude.
///
/// A state already at or below the impact altitude and not climbing impacts now (t = 0, at
/// the point below it).
pub fn predict_impact(state: &BallisticState, params: &ImpactParams) -> Result<ImpactPoint, ImpactError> {
    validate(params)?;
    let (mut r, mut v) = (state.position, state.velocity);
    if !(r.iter().chain(v.iter()).all(|x| x.is_finite())) {
        return Err(ImpactError::NonFiniteState);
    }
    let h_imp = params.impact_altitude_m;
    let start = r;
    let mut alt = altitude(params, &r);
    let mut apogee = alt;
    if alt <= h_imp && altitude_rate(params, &r, &v) <= 0.0 {
        let position = project(params, &r);
        return Ok(ImpactPoint {
            position,
            velocity: v,
            time_to_impact_s: 0.0,
            ground_range_m: 0.0,
            apogee_altitude_m: alt,
        });
    }
    let h = params.step_s;
    let steps = (params.max_time_s / h).ceil() as u64;
    for k in 0..steps {
        let (r1, v1) = rk4_step(params, &r, &v, h);
        if !(r1.iter().chain(v1.iter()).all(|x| x.is_finite())) {
            return Err(ImpactError::NonFiniteState);
        }
        let alt1 = altitude(params, &r1);
        apogee = apogee.max(alt1);
        let (d0, d1) = (altitude_rate(params, &r, &v), altitude_rate(params, &r1, &v1));
        if d0 > 0.0 && d1 <= 0.0 {
            // Apogee inside the step: the zero of the interpolant's slope.
            let (mut lo, mut hi) = (0.0_f64, 1.0_f64);
            for _ in 0..60 {
                let mid = 0.5 * (lo + hi);
                if hermite_slope(alt, d0, alt1, d1, h, mid) > 0.0 { lo = mid } else { hi = mid }
            }
            apogee = apogee.max(hermite(alt, d0, alt1, d1, h, 0.5 * (lo + hi)));
        }
        if alt1 < h_imp && alt >= h_imp {
            // Root of the Hermite interpolant of altitude on this step, by bisection.
            let f = |s: f64| hermite(alt - h_imp, d0, alt1 - h_imp, d1, h, s);
            let (mut lo, mut hi) = (0.0_f64, 1.0_f64);
            for _ in 0..60 {
                let mid = 0.5 * (lo + hi);
                if f(mid) >= 0.0 { lo = mid } else { hi = mid }
            }
            let s = 0.5 * (lo + hi);
            let interp = |a: &Vec3, da: &Vec3, b: &Vec3, db: &Vec3| {
                Vec3::new(
                    hermite(a.x, da.x, b.x, db.x, h, s),
                    hermite(a.y, da.y, b.y, db.y, h, s),
                    hermite(a.z, da.z, b.z, db.z, h, s),
                )
            };
            let pos = interp(&r, &v, &r1, &v1);
            let vel = Vec3::new(
                hermite_slope(r.x, v.x, r1.x, v1.x, h, s),
                hermite_slope(r.y, v.y, r1.y, v1.y, h, s),
                hermite_slope(r.z, v.z, r1.z, v1.z, h, s),
            );
            let position = project(params, &pos);
            return Ok(ImpactPoint {
                position,
                velocity: vel,
                time_to_impact_s: (k as f64 + s) * h,
                ground_range_m: ground_distance(params, &start, &position),
                apogee_altitude_m: apogee,
            });
        }
        r = r1;
        v = v1;
        alt = alt1;
    }
    Err(ImpactError::NoImpact { horizon_s: params.max_time_s })
}

/// A position moved along the local vertical onto the impact altitude.
fn project(p: &ImpactParams, r: &Vec3) -> Vec3 {
    match p.gravity {
        Gravity::InverseSquare { earth_radius_m, .. } => {
            let c = centre(earth_radius_m);
            let d = r - c;
            let n = d.norm();
            if n > 0.0 { c + d * ((earth_radius_m + p.impact_altitude_m) / n) } else { *r }
        }
        Gravity::Uniform { .. } => Vec3::new(r.x, r.y, p.impact_altitude_m),
    }
}

/// Local east and north unit vectors at a point (the frame's east, made horizontal there).
fn local_en(p: &ImpactParams, at: &Vec3) -> (Vec3, Vec3) {
    let up = match p.gravity {
        Gravity::InverseSquare { earth_radius_m, .. } => (at - centre(earth_radius_m)).normalize(),
        Gravity::Uniform { .. } => Vec3::z(),
    };
    let x = Vec3::x();
    let e = x - up * x.dot(&up);
    let e = if e.norm() > 1e-9 { e.normalize() } else { Vec3::y().cross(&up).normalize() };
    (e, up.cross(&e))
}

/// Impact and its 1-σ footprint: the covariance `cov` (order x y z vx vy vz; m², m²/s²) mapped
/// through the Jacobian J of the impact point by central differences, P_imp = J·P·Jᵀ (first-order
/// propagation of uncertainty, as in the extended Kalman filter's prediction). Steps: 1 m in position, 0.1 m/s in velocity.
pub fn predict_impact_with_footprint(
    state: &BallisticState,
    cov: &[[f64; 6]; 6],
    params: &ImpactParams,
) -> Result<ImpactPrediction, ImpactError> {
    if !cov.iter().flatten().all(|x| x.is_finite()) {
        return Err(ImpactError::InvalidParams("covariance must be finite"));
    }
    let impact = predict_impact(state, params)?;
    let (e, n) = local_en(params, &impact.position);
    let mut jac = [[0.0; 6]; 2];
    for (i, col) in (0..6).map(|i| (i, if i < 3 { 1.0 } else { 0.1 })) {
        let perturbed = |sign: f64| {
            let mut s = *state;
            if i < 3 {
                s.position[i] += sign * col;
            } else {
                s.velocity[i - 3] += sign * col;
            }
            predict_impact(&s, params)
        };
        let (plus, minus) = (perturbed(1.0)?, perturbed(-1.0)?);
        let d = (plus.position - minus.position) / (2.0 * col);
        jac[0][i] = d.dot(&e);
        jac[1][i] = d.dot(&n);
    }
    let mut c = [[0.0; 2]; 2];
    for a in 0..2 {
        for b in 0..2 {
            c[a][b] =
                (0..6).flat_map(|i| (0..6).map(move |j| (i, j))).map(|(i, j)| jac[a][i] * cov[i][j] * jac[b][j]).sum();
        }
    }
    Ok(ImpactPrediction { impact, footprint: footprint_from_covariance(c) })
}

/// Semi-axes and orientation of the 1-σ ellipse of a 2×2 covariance (east, north).
pub fn footprint_from_covariance(c: [[f64; 2]; 2]) -> ImpactFootprint {
    let (ee, nn, en) = (c[0][0], c[1][1], 0.5 * (c[0][1] + c[1][0]));
    let mean = 0.5 * (ee + nn);
    let root = (0.25 * (ee - nn).powi(2) + en * en).sqrt();
    let (l1, l2) = ((mean + root).max(0.0), (mean - root).max(0.0));
    // Major axis direction (east, north) = (en, l1 − ee) or (l1 − nn, en); azimuth from north.
    let (de, dn) = if (l1 - nn).abs() + en.abs() > 0.0 { (l1 - nn, en) } else { (0.0, 1.0) };
    let az = de.atan2(dn).rem_euclid(std::f64::consts::PI);
    ImpactFootprint {
        covariance_en: [[ee, en], [en, nn]],
        semi_major_m: l1.sqrt(),
        semi_minor_m: l2.sqrt(),
        major_azimuth_rad: if az.is_finite() { az } else { 0.0 },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_parameters_and_states_are_errors_not_panics() {
        let s = BallisticState { position: Vec3::new(0.0, 0.0, 1000.0), velocity: Vec3::new(100.0, 0.0, 0.0) };
        let bad = ImpactParams { step_s: 0.0, ..Default::default() };
        assert!(matches!(predict_impact(&s, &bad), Err(ImpactError::InvalidParams(_))));
        let nan = BallisticState { position: Vec3::new(f64::NAN, 0.0, 0.0), ..s };
        assert_eq!(predict_impact(&nan, &ImpactParams::default()), Err(ImpactError::NonFiniteState));
        let orbit = BallisticState { position: Vec3::new(0.0, 0.0, 400e3), velocity: Vec3::new(7_670.0, 0.0, 0.0) };
        let p = ImpactParams { max_time_s: 600.0, step_s: 1.0, ..Default::default() };
        assert_eq!(predict_impact(&orbit, &p), Err(ImpactError::NoImpact { horizon_s: 600.0 }));
    }

    #[test]
    fn a_state_on_the_ground_impacts_now() {
        let s = BallisticState { position: Vec3::new(5.0, 0.0, -1.0), velocity: Vec3::new(0.0, 0.0, -10.0) };
        let i = predict_impact(&s, &ImpactParams { gravity: Gravity::Uniform { g_mps2: 9.8 }, ..Default::default() })
            .unwrap();
        assert_eq!(i.time_to_impact_s, 0.0);
        assert_eq!(i.position, Vec3::new(5.0, 0.0, 0.0));
    }

    #[test]
    fn footprint_axes_are_the_eigenvalues() {
        // Oracle: a diagonal covariance has its axes along east/north.
        let f = footprint_from_covariance([[400.0, 0.0], [0.0, 100.0]]);
        assert!((f.semi_major_m - 20.0).abs() < 1e-12 && (f.semi_minor_m - 10.0).abs() < 1e-12);
        assert!((f.major_azimuth_rad - std::f64::consts::FRAC_PI_2).abs() < 1e-12);
        let g = footprint_from_covariance([[0.0, 0.0], [0.0, 0.0]]);
        assert_eq!((g.semi_major_m, g.semi_minor_m), (0.0, 0.0));
    }
}
