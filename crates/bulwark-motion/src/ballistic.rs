//! Ballistic missiles over the rotating WGS-84 earth.
//!
//! **Dynamics** (see `dynamics`): ECEF point mass under point-mass or J₂ gravity (J₂ = 1.08263e-3),
//! Coriolis and centrifugal terms, and drag a = −ρ|v|v/(2β) with ρ from the U.S. Standard
//! Atmosphere 1976 and v the ECEF (air-relative) velocity; each term can be switched off
//! ([`Dynamics`]) for validation. Integrated by classical RK4 with steps of at most 0.1 s.
//!
//! **Boost** is notional: the missile climbs along a straight line in the burnout direction
//! (flight-path angle γ above the launch point's horizontal, azimuth ψ clockwise from north, fixed
//! in ECEF), its speed rising linearly from 0 to the burnout speed v over `burn_time_s` (the motor
//! and pitch program implicitly cancel gravity, drag and the frame terms). Burnout is thus at
//! altitude ≈ v·t_b·sinγ/2, above the dense air, and the free flight starts there. With
//! `burn_time_s = 0` the missile starts at the launch point with the burnout velocity (relative to
//! the rotating earth), which is what [`BallisticMissile::from_burnout`] does. A real gravity-turn
//! boost curves; this one is straight, so the first minute is only roughly realistic, while
//! midcourse and terminal flight, which the defence sees, follow the full dynamics.
//!
//! **Aiming**: γ is the given loft or the minimum-energy angle of the spherical two-body problem,
//! γ = (π − Ψ)/4 for the range angle Ψ (Bate, Mueller & White, *Fundamentals of Astrodynamics*,
//! 1971, §6.2). (v, ψ) are then solved by Newton's method with a finite-difference Jacobian on
//! the full dynamics, starting from the two-body solution
//! tan(Ψ/2) = ν sinγ cosγ / (1 − ν cos²γ), ν = v²r/GM (BMW eq. 6.2-7), until the predicted
//! impact is within 1 m of the aim point (at most 50 m is accepted). Impact is the first descent
//! through the aim point's ellipsoidal height, located within the step by bisection.
use crate::dynamics::{self, Dynamics};
use crate::{MotionError, MotionModel, check, substeps};
use bulwark_core::Vec3;
use bulwark_geo::{EnuFrame, Geodetic, LocalHeight, WGS84_GM, ecef_to_enu_rotation, surface_distance_m};
use std::f64::consts::PI;

/// Integration step (s), both for aiming and for flight, so that a flight stepped at 0.1 s
/// repeats the aimed trajectory exactly.
const H_MAX_S: f64 = 0.1;
/// Longest flight considered (s); anything longer is not a ballistic missile.
const MAX_FLIGHT_S: f64 = 4.0 * 3_600.0;
/// Aim points closer than this are rejected (m).
const MIN_RANGE_M: f64 = 1_000.0;
/// Accepted aiming miss (m) and the miss the solver tries for.
const ACCEPTED_MISS_M: f64 = 50.0;
const GOAL_MISS_M: f64 = 1.0;

/// Parameters of a ballistic shot.
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct BallisticParams {
    /// Ballistic coefficient β = m/(C_D·A) (kg/m²), > 0.
    pub beta_kg_m2: f64,
    /// Burnout flight-path angle γ (rad, in (0, π/2)); `None`: the minimum-energy angle.
    pub loft_rad: Option<f64>,
    /// Maximum range (m); aim points beyond it are rejected.
    pub max_range_m: f64,
    /// Boost duration (s), ≥ 0; 0 starts free flight at the launch point.
    pub burn_time_s: f64,
}

/// Whether the missile is still flying.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum BallisticStatus {
    Flying,
    Impacted,
}

/// Where and when a trajectory meets the impact surface.
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct ImpactPrediction {
    pub point: Geodetic,
    pub point_ecef: Vec3,
    /// Time of flight from launch (s).
    pub time_s: f64,
    /// ECEF velocity at impact (m/s).
    pub velocity_ecef: Vec3,
}

/// Highest point of a trajectory (sampled at the integration step).
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct Apogee {
    pub point: Geodetic,
    /// Time from launch (s).
    pub time_s: f64,
}

/// The straight, speed-programmed boost: r(t) = r₀ + u·v·t²/(2t_b), v(t) = u·v·t/t_b.
#[derive(Copy, Clone, Debug, PartialEq)]
struct Boost {
    r0: Vec3,
    axis: Vec3,
    speed: f64,
    burn_time_s: f64,
}

impl Boost {
    fn new(launch: &Geodetic, speed: f64, gamma: f64, azimuth: f64, burn_time_s: f64) -> Self {
        Boost { r0: launch.to_ecef(), axis: burnout_velocity(launch, 1.0, gamma, azimuth), speed, burn_time_s }
    }
    /// Position and velocity at `t` ∈ [0, t_b].
    fn state(&self, t: f64) -> (Vec3, Vec3) {
        if self.burn_time_s <= 0.0 {
            return (self.r0, self.axis * self.speed);
        }
        let t = t.clamp(0.0, self.burn_time_s);
        let a = self.speed / self.burn_time_s;
        (self.r0 + self.axis * (0.5 * a * t * t), self.axis * (a * t))
    }
}

/// A ballistic missile in flight.
#[derive(Clone, Debug)]
pub struct BallisticMissile {
    boost: Boost,
    r: Vec3,
    v: Vec3,
    t: f64,
    beta: f64,
    dynamics: Dynamics,
    impact_alt_m: f64,
    status: BallisticStatus,
    prediction: ImpactPrediction,
    apogee: Apogee,
    aim_miss_m: Option<f64>,
    burnout_speed: f64,
    gamma: f64,
    azimuth: f64,
}

impl BallisticMissile {
    /// Aims a missile from `launch` at `aim` with the full dynamics (J₂, rotation, drag).
    pub fn solve(launch: Geodetic, aim: Geodetic, params: BallisticParams) -> Result<Self, MotionError> {
        Self::solve_with(launch, aim, params, Dynamics::default())
    }

    /// As [`Self::solve`] with a chosen set of dynamics terms.
    pub fn solve_with(
        launch: Geodetic,
        aim: Geodetic,
        params: BallisticParams,
        dynamics: Dynamics,
    ) -> Result<Self, MotionError> {
        check("beta_kg_m2", params.beta_kg_m2, params.beta_kg_m2 > 0.0, "> 0")?;
        check("max_range_m", params.max_range_m, params.max_range_m > 0.0, "> 0")?;
        check(
            "burn_time_s",
            params.burn_time_s,
            params.burn_time_s >= 0.0 && params.burn_time_s < 1_000.0,
            "in [0, 1000)",
        )?;
        check_geodetic("launch", &launch)?;
        check_geodetic("aim", &aim)?;
        let range_m = surface_distance_m(&launch, &aim);
        if range_m > params.max_range_m {
            return Err(MotionError::OutOfRange { range_m, max_range_m: params.max_range_m });
        }
        if range_m < MIN_RANGE_M {
            return Err(MotionError::TooClose { range_m, min_range_m: MIN_RANGE_M });
        }
        let r0 = launch.to_ecef();
        let aim_ecef = aim.to_ecef();
        let psi_range = (range_m / r0.norm()).min(0.99 * PI);
        let gamma = match params.loft_rad {
            Some(g) => check("loft_rad", g, g > 0.0 && g < PI / 2.0, "in (0, π/2)")?,
            None => (PI - psi_range) / 4.0,
        };
        // Two-body first guess: ν from the range equation, azimuth along the initial bearing.
        let t = (psi_range / 2.0).tan();
        let (sg, cg) = gamma.sin_cos();
        let nu = t / (sg * cg + t * cg * cg);
        let mut x = [(nu * WGS84_GM / r0.norm()).sqrt(), initial_bearing(&launch, &aim_ecef)];
        let aim_frame = EnuFrame::new(aim);
        let miss_of = |x: &[f64; 2]| -> Option<[f64; 2]> {
            let boost = Boost::new(&launch, x[0], gamma, x[1], params.burn_time_s);
            let (rb, vb) = boost.state(params.burn_time_s);
            let (imp, _) = propagate_to_impact(rb, vb, params.burn_time_s, params.beta_kg_m2, &dynamics, aim.alt_m)?;
            let d = aim_frame.vec_to_enu(&(imp.point_ecef - aim_ecef));
            Some([d.x, d.y])
        };
        let norm = |m: &[f64; 2]| m[0].hypot(m[1]);
        let mut m = miss_of(&x).ok_or(MotionError::NoConvergence { miss_m: f64::INFINITY })?;
        for _ in 0..30 {
            if norm(&m) < GOAL_MISS_M {
                break;
            }
            let (dv, dpsi) = (1e-4 * x[0], 1e-6);
            let mv = miss_of(&[x[0] + dv, x[1]]);
            let mp = miss_of(&[x[0], x[1] + dpsi]);
            let (Some(mv), Some(mp)) = (mv, mp) else { break };
            // Jacobian columns ∂miss/∂v and ∂miss/∂ψ; solve J·δ = −m (Cramer's rule).
            let j = [[(mv[0] - m[0]) / dv, (mp[0] - m[0]) / dpsi], [(mv[1] - m[1]) / dv, (mp[1] - m[1]) / dpsi]];
            let det = j[0][0] * j[1][1] - j[0][1] * j[1][0];
            if det.abs() <= 1e-300 || !det.is_finite() {
                break;
            }
            let mut step = [(-m[0] * j[1][1] + m[1] * j[0][1]) / det, (-j[0][0] * m[1] + j[1][0] * m[0]) / det];
            // Keep the step sane, then backtrack until the miss shrinks.
            let scale = (0.2 * x[0] / step[0].abs()).min(0.2 / step[1].abs()).min(1.0);
            step = [step[0] * scale, step[1] * scale];
            let mut improved = false;
            for _ in 0..12 {
                let trial = [x[0] + step[0], x[1] + step[1]];
                if trial[0] > 0.0
                    && let Some(mt) = miss_of(&trial)
                    && norm(&mt) < norm(&m)
                {
                    x = trial;
                    m = mt;
                    improved = true;
                    break;
                }
                step = [step[0] * 0.5, step[1] * 0.5];
            }
            if !improved {
                break;
            }
        }
        let miss_m = norm(&m);
        if miss_m.is_nan() || miss_m > ACCEPTED_MISS_M {
            return Err(MotionError::NoConvergence { miss_m });
        }
        let boost = Boost::new(&launch, x[0], gamma, x[1], params.burn_time_s);
        let mut missile = Self::with_boost(boost, gamma, x[1], params.beta_kg_m2, dynamics, aim.alt_m)?;
        missile.aim_miss_m = Some(miss_m);
        Ok(missile)
    }

    /// A missile starting at `launch` with burnout speed `speed_mps`, flight-path angle
    /// `gamma_rad` and azimuth `azimuth_rad` (relative to the rotating earth), impacting on the
    /// surface of ellipsoidal height `impact_alt_m`. Errors if the trajectory never comes back.
    pub fn from_burnout(
        launch: Geodetic,
        speed_mps: f64,
        gamma_rad: f64,
        azimuth_rad: f64,
        beta_kg_m2: f64,
        dynamics: Dynamics,
        impact_alt_m: f64,
    ) -> Result<Self, MotionError> {
        check_geodetic("launch", &launch)?;
        check("speed_mps", speed_mps, speed_mps > 0.0, "> 0")?;
        check("gamma_rad", gamma_rad, gamma_rad > 0.0 && gamma_rad < PI / 2.0, "in (0, π/2)")?;
        check("azimuth_rad", azimuth_rad, true, "finite")?;
        check("beta_kg_m2", beta_kg_m2, beta_kg_m2 > 0.0, "> 0")?;
        check("impact_alt_m", impact_alt_m, true, "finite")?;
        let boost = Boost::new(&launch, speed_mps, gamma_rad, azimuth_rad, 0.0);
        Self::with_boost(boost, gamma_rad, azimuth_rad, beta_kg_m2, dynamics, impact_alt_m)
    }

    fn with_boost(
        boost: Boost,
        gamma: f64,
        azimuth: f64,
        beta_kg_m2: f64,
        dynamics: Dynamics,
        impact_alt_m: f64,
    ) -> Result<Self, MotionError> {
        let tb = boost.burn_time_s;
        let (rb, vb) = boost.state(tb);
        let (prediction, mut apogee) = propagate_to_impact(rb, vb, tb, beta_kg_m2, &dynamics, impact_alt_m).ok_or(
            MotionError::InvalidParameter {
                name: "speed_mps",
                reason: format!("{} m/s: the trajectory does not return to the surface", boost.speed),
            },
        )?;
        if tb > 0.0 && apogee.time_s <= tb {
            apogee = Apogee { point: Geodetic::from_ecef(&rb), time_s: tb };
        }
        let (r, v) = boost.state(0.0);
        Ok(BallisticMissile {
            boost,
            r,
            v,
            t: 0.0,
            beta: beta_kg_m2,
            dynamics,
            impact_alt_m,
            status: BallisticStatus::Flying,
            prediction,
            apogee,
            aim_miss_m: None,
            burnout_speed: boost.speed,
            gamma,
            azimuth,
        })
    }

    /// Advances by `dt_s`: the boost in closed form, then RK4 steps of at most 0.1 s counted from
    /// burnout (the same steps the aiming used); stops at impact. Invalid steps do nothing.
    pub fn step(&mut self, dt_s: f64) {
        if self.status == BallisticStatus::Impacted || substeps(dt_s, H_MAX_S) == 0 {
            return;
        }
        let tb = self.boost.burn_time_s;
        let mut remaining = dt_s;
        if self.t < tb {
            let d = remaining.min(tb - self.t);
            self.t = if d >= tb - self.t { tb } else { self.t + d };
            (self.r, self.v) = self.boost.state(self.t);
            remaining -= d;
        }
        let n = substeps(remaining, H_MAX_S);
        let h = remaining / n.max(1) as f64;
        let mut local = LocalHeight::at(&self.r);
        for _ in 0..n {
            let alt0 = local.alt_m();
            let (r1, v1) = flight_step(&local, &self.r, &self.v, h, self.beta, &self.dynamics);
            let next = LocalHeight::at(&r1);
            let alt1 = next.alt_m();
            if alt0 >= self.impact_alt_m && alt1 < self.impact_alt_m {
                let (ri, _, tau) = refine_crossing(&self.r, &self.v, h, self.beta, &self.dynamics, self.impact_alt_m);
                self.r = ri;
                self.v = Vec3::zeros();
                self.t += tau;
                self.status = BallisticStatus::Impacted;
                return;
            }
            if crate::finite_vec(&r1) && crate::finite_vec(&v1) {
                self.r = r1;
                self.v = v1;
                local = next;
            }
            self.t += h;
        }
    }

    pub fn position_ecef(&self) -> Vec3 {
        self.r
    }
    /// ECEF velocity (m/s); zero after impact.
    pub fn velocity_ecef(&self) -> Vec3 {
        self.v
    }
    pub fn geodetic(&self) -> Geodetic {
        Geodetic::from_ecef(&self.r)
    }
    pub fn status(&self) -> BallisticStatus {
        self.status
    }
    /// Time since launch (s).
    pub fn elapsed_s(&self) -> f64 {
        self.t
    }
    /// The impact predicted at launch with the model's own dynamics.
    pub fn predicted_impact(&self) -> &ImpactPrediction {
        &self.prediction
    }
    /// Predicted time of flight from launch to impact (s).
    pub fn time_of_flight_s(&self) -> f64 {
        self.prediction.time_s
    }
    pub fn apogee(&self) -> &Apogee {
        &self.apogee
    }
    /// Distance (m) between the predicted impact and the aim point, for a solved shot.
    pub fn aim_miss_m(&self) -> Option<f64> {
        self.aim_miss_m
    }
    /// Burnout speed (m/s), flight-path angle (rad) and azimuth (rad) used.
    pub fn burnout(&self) -> (f64, f64, f64) {
        (self.burnout_speed, self.gamma, self.azimuth)
    }
}

impl MotionModel for BallisticMissile {
    fn step(&mut self, dt_s: f64) {
        BallisticMissile::step(self, dt_s);
    }
    fn position_ecef(&self) -> Vec3 {
        self.r
    }
    fn velocity_ecef(&self) -> Vec3 {
        self.v
    }
    fn is_active(&self) -> bool {
        self.status == BallisticStatus::Flying
    }
}

fn check_geodetic(name: &'static str, g: &Geodetic) -> Result<(), MotionError> {
    check(name, g.lat_rad, g.lat_rad.abs() <= PI / 2.0, "a latitude in [-90°, 90°]")?;
    check(name, g.lon_rad, true, "a finite longitude")?;
    check(name, g.alt_m, g.alt_m.abs() < 1.0e5, "an altitude within ±100 km")?;
    Ok(())
}

/// ECEF burnout velocity from speed, flight-path angle and azimuth in the local ENU frame.
fn burnout_velocity(at: &Geodetic, speed: f64, gamma: f64, azimuth: f64) -> Vec3 {
    let (sg, cg) = gamma.sin_cos();
    let (sa, ca) = azimuth.sin_cos();
    let enu = Vec3::new(speed * cg * sa, speed * cg * ca, speed * sg);
    ecef_to_enu_rotation(at.lat_rad, at.lon_rad).transpose() * enu
}

/// Bearing (rad, clockwise from north) of `to_ecef` in the horizontal plane at `from`.
fn initial_bearing(from: &Geodetic, to_ecef: &Vec3) -> f64 {
    let d = EnuFrame::new(*from).to_enu(to_ecef);
    d.x.atan2(d.y)
}

/// One RK4 step of unpowered flight from (r, v). `local` is the height model at `r`: the
/// first stage's height is its exact one, the later stages' (within one step's flight of
/// `r`) come from it, one geodetic conversion per step instead of four.
fn flight_step(local: &LocalHeight, r: &Vec3, v: &Vec3, h: f64, beta: f64, dynamics: &Dynamics) -> (Vec3, Vec3) {
    dynamics::rk4(r, v, h, &mut |tau, r, v| {
        dynamics::natural_acceleration_with(r, v, beta, dynamics, || {
            if tau == 0.0 { local.alt_m() } else { local.height_of(r) }
        })
    })
}

/// Locates, by bisection on the step length, where the step of length `h` from (r, v) descends
/// through `impact_alt`. Returns the position, velocity and time into the step.
fn refine_crossing(r: &Vec3, v: &Vec3, h: f64, beta: f64, dynamics: &Dynamics, impact_alt: f64) -> (Vec3, Vec3, f64) {
    let (mut lo, mut hi) = (0.0, h);
    let local = LocalHeight::at(r);
    for _ in 0..50 {
        let mid = 0.5 * (lo + hi);
        let (rm, _) = flight_step(&local, r, v, mid, beta, dynamics);
        if Geodetic::alt_of_ecef(&rm) >= impact_alt {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    let (ri, vi) = flight_step(&local, r, v, hi, beta, dynamics);
    (ri, vi, hi)
}

/// Integrates from (r0, v0) at time `t0` to the first descent through `impact_alt`. `None` if the
/// flight exceeds four hours or leaves the finite numbers.
fn propagate_to_impact(
    r0: Vec3,
    v0: Vec3,
    t0: f64,
    beta: f64,
    dynamics: &Dynamics,
    impact_alt: f64,
) -> Option<(ImpactPrediction, Apogee)> {
    let (mut r, mut v, mut t) = (r0, v0, t0);
    let mut local = LocalHeight::at(&r);
    // The highest point so far: position, height and time (converted once at the end).
    let (mut top_r, mut top_alt, mut top_t) = (r, local.alt_m(), t0);
    while t < MAX_FLIGHT_S {
        let (r1, v1) = flight_step(&local, &r, &v, H_MAX_S, beta, dynamics);
        if !(crate::finite_vec(&r1) && crate::finite_vec(&v1)) {
            return None;
        }
        let next = LocalHeight::at(&r1);
        if local.alt_m() >= impact_alt && next.alt_m() < impact_alt {
            let (ri, vi, tau) = refine_crossing(&r, &v, H_MAX_S, beta, dynamics, impact_alt);
            let impact = ImpactPrediction {
                point: Geodetic::from_ecef(&ri),
                point_ecef: ri,
                time_s: t + tau,
                velocity_ecef: vi,
            };
            return Some((impact, Apogee { point: Geodetic::from_ecef(&top_r), time_s: top_t }));
        }
        (r, v, t, local) = (r1, v1, t + H_MAX_S, next);
        if local.alt_m() > top_alt {
            (top_r, top_alt, top_t) = (r, local.alt_m(), t);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dynamics::GravityModel;
    use bulwark_geo::WGS84_A;

    fn angle_between(a: &Vec3, b: &Vec3) -> f64 {
        a.cross(b).norm().atan2(a.dot(b))
    }

    #[test]
    fn two_body_range_and_time_of_flight_match_kepler() {
        // Launch on the equator towards the east: the orbit stays in the equatorial plane, where
        // the ellipsoid is a circle of radius a, so launch and impact are at the same radius.
        let launch = Geodetic::from_degrees(0.0, 0.0, 0.0);
        let r = WGS84_A;
        for (v, gamma_deg) in [(5_000.0, 30.0), (3_000.0, 45.0), (6_500.0, 20.0)] {
            let gamma = f64::to_radians(gamma_deg);
            let m = BallisticMissile::from_burnout(launch, v, gamma, PI / 2.0, 1.0, Dynamics::kepler(), 0.0).unwrap();
            let psi = angle_between(&launch.to_ecef(), &m.predicted_impact().point_ecef);
            // Bate, Mueller & White (1971) eq. 6.2-7: tan(Ψ/2) = ν sinγ cosγ / (1 − ν cos²γ).
            let nu = v * v * r / WGS84_GM;
            let (sg, cg) = gamma.sin_cos();
            let psi_bmw = 2.0 * (nu * sg * cg).atan2(1.0 - nu * cg * cg);
            // Time of flight from Kepler's equation (BMW §4.2): semi-major axis a = r/(2 − ν),
            // e² = 1 − ν(2 − ν)cos²γ, launch true anomaly θ₁ = π − Ψ/2, t = 2(π − M₁)√(a³/GM).
            let a = r / (2.0 - nu);
            let e = (1.0 - nu * (2.0 - nu) * cg * cg).sqrt();
            let theta1 = PI - psi_bmw / 2.0;
            let e1 = 2.0 * (((1.0 - e) / (1.0 + e)).sqrt() * (theta1 / 2.0).tan()).atan();
            let m1 = e1 - e * e1.sin();
            let tof = 2.0 * (PI - m1) * (a.powi(3) / WGS84_GM).sqrt();
            // Tolerance 1e-6 relative: RK4 at 0.1 s and the bisected impact are far better.
            assert!((psi / psi_bmw - 1.0).abs() < 1e-6, "v {v}: Ψ {psi} vs {psi_bmw}");
            assert!((m.time_of_flight_s() / tof - 1.0).abs() < 1e-6, "v {v}: t {} vs {tof}", m.time_of_flight_s());
            // Apogee radius a(1 + e), altitude above the equatorial circle (sampled at 0.1 s).
            let apo = a * (1.0 + e) - r;
            assert!((m.apogee().point.alt_m - apo).abs() < 1.0, "apogee {} vs {apo}", m.apogee().point.alt_m);
        }
    }

    #[test]
    fn short_range_tends_to_the_flat_earth_range() {
        // R = v² sin 2γ / g with g = GM/a² on the equator; ν = v²/(g a) ≈ 1.6e-4 here, so the
        // curved-earth range differs by well under 0.05 %, the tolerance.
        let launch = Geodetic::from_degrees(0.0, 0.0, 0.0);
        let g = WGS84_GM / (WGS84_A * WGS84_A);
        for (v, gamma_deg) in [(100.0, 45.0), (100.0, 20.0), (80.0, 70.0)] {
            let gamma = f64::to_radians(gamma_deg);
            let m = BallisticMissile::from_burnout(launch, v, gamma, PI / 2.0, 1.0, Dynamics::kepler(), 0.0).unwrap();
            let arc = WGS84_A * angle_between(&launch.to_ecef(), &m.predicted_impact().point_ecef);
            let flat = v * v * (2.0 * gamma).sin() / g;
            assert!((arc / flat - 1.0).abs() < 5e-4, "{arc} vs {flat}");
            let t_flat = 2.0 * v * gamma.sin() / g;
            assert!((m.time_of_flight_s() / t_flat - 1.0).abs() < 5e-4);
        }
    }

    fn shot_300_km() -> (Geodetic, Geodetic, BallisticParams) {
        let launch = Geodetic::from_degrees(50.0, 30.0, 150.0);
        let aim = Geodetic::from_degrees(51.35, 33.69, 80.0);
        (
            launch,
            aim,
            BallisticParams { beta_kg_m2: 5_000.0, loft_rad: None, max_range_m: 1_000_000.0, burn_time_s: 60.0 },
        )
    }

    #[test]
    fn full_dynamics_300_km_shot_lands_within_50_m() {
        let (launch, aim, params) = shot_300_km();
        let range = surface_distance_m(&launch, &aim);
        assert!((range - 300_000.0).abs() < 5_000.0, "range {range}");
        let m0 = BallisticMissile::solve(launch, aim, params).unwrap();
        assert!(m0.aim_miss_m().unwrap() < 50.0);
        for dt in [0.05, 0.1, 0.3, 1.0] {
            let mut m = m0.clone();
            let mut n = 0;
            while m.status() == BallisticStatus::Flying && n < 100_000 {
                m.step(dt);
                n += 1;
            }
            let miss = (m.position_ecef() - aim.to_ecef()).norm();
            assert!(miss < 50.0, "dt {dt}: miss {miss} m");
            assert!((m.elapsed_s() - m.time_of_flight_s()).abs() < 0.05, "dt {dt}");
            assert_eq!(m.velocity_ecef(), Vec3::zeros());
        }
        // Drag, J2 and rotation each matter: the same boost flown without one of them misses by far.
        let (_, g, psi) = m0.burnout();
        let refly = |d: Dynamics| {
            let m = BallisticMissile::with_boost(m0.boost, g, psi, 5_000.0, d, aim.alt_m).unwrap();
            (m.predicted_impact().point_ecef - aim.to_ecef()).norm()
        };
        assert!(refly(Dynamics::default()) < 50.0);
        assert!(refly(Dynamics { drag: false, ..Dynamics::default() }) > 1_000.0);
        assert!(refly(Dynamics { rotation: false, ..Dynamics::default() }) > 1_000.0);
        assert!(refly(Dynamics { gravity: GravityModel::Spherical, ..Dynamics::default() }) > 100.0);
        // Burnout is above the dense air: v·t_b·sinγ/2 up, at a plausible short-range speed.
        let (v, _, _) = m0.burnout();
        assert!((1_000.0..2_500.0).contains(&v), "burnout speed {v}");
    }

    #[test]
    fn lofted_shot_also_converges_and_climbs_higher() {
        let (launch, aim, mut params) = shot_300_km();
        let min_energy = BallisticMissile::solve(launch, aim, params).unwrap();
        params.loft_rad = Some(f64::to_radians(65.0));
        let lofted = BallisticMissile::solve(launch, aim, params).unwrap();
        assert!(lofted.aim_miss_m().unwrap() < 50.0);
        assert!(lofted.apogee().point.alt_m > min_energy.apogee().point.alt_m + 50_000.0);
        assert!(lofted.time_of_flight_s() > min_energy.time_of_flight_s());
    }

    #[test]
    fn bad_shots_are_rejected() {
        let (launch, aim, params) = shot_300_km();
        let short = BallisticParams { max_range_m: 200_000.0, ..params };
        assert!(matches!(BallisticMissile::solve(launch, aim, short), Err(MotionError::OutOfRange { .. })));
        assert!(matches!(BallisticMissile::solve(launch, launch, params), Err(MotionError::TooClose { .. })));
        for beta in [0.0, -1.0, f64::NAN] {
            let p = BallisticParams { beta_kg_m2: beta, ..params };
            assert!(matches!(BallisticMissile::solve(launch, aim, p), Err(MotionError::InvalidParameter { .. })));
        }
        for burn in [-1.0, f64::NAN, f64::INFINITY] {
            let p = BallisticParams { burn_time_s: burn, ..params };
            assert!(matches!(BallisticMissile::solve(launch, aim, p), Err(MotionError::InvalidParameter { .. })));
        }
        for loft in [0.0, PI / 2.0, f64::NAN] {
            let p = BallisticParams { loft_rad: Some(loft), ..params };
            assert!(BallisticMissile::solve(launch, aim, p).is_err());
        }
        let nan_aim = Geodetic::new(f64::NAN, 0.0, 0.0);
        assert!(BallisticMissile::solve(launch, nan_aim, params).is_err());
        // Above escape speed the missile never comes back.
        let escape = BallisticMissile::from_burnout(launch, 12_000.0, 1.0, 0.0, 5_000.0, Dynamics::kepler(), 0.0);
        assert!(escape.is_err());
    }
}
