//! Engageability: the predicted intercept point (PIP) of an interceptor type fired now from a
//! launcher at a track, whether it lies inside the launch envelope, and a kill-probability
//! estimate for weighing the options of fire distribution.
//!
//! **Fly-out model.** The time of flight T(R, h) of an interceptor type to a point at ground
//! range R and height h above the launcher, either a constant speed (T = √(R² + h²)/s) or a
//! [`FlyoutTable`] precomputed once at setup by the engine from the motion model (the command
//! post never runs motion models; see `bulwark-engine`'s `setup::flyout_table`).
//!
//! **PIP.** For a constant-velocity track p(t) = p₀ + v·t (height h₀ + ḣ·t) the PIP is the fixed
//! point of t = T(|p(t) − w|_ground, h(t) − h_w): iterate t_{k+1} = T(p(t_k)) from t₀ = T(p₀).
//! The map contracts when the track's range rate is below the interceptor's speed there; when
//! it does not (a fast closing target), the earliest root of T(p(t)) − t is bracketed on a scan
//! of the flight-time horizon and bisected. A constant speed gives the collision triangle
//! |d + v·t| = s·t (Zarchan, *Tactical and Strategic Missile Guidance*, 6th ed., ch. 2), whose
//! closed form is the test oracle.
//!
//! **Launch acceptability** at the PIP: slant range in [min, max], PIP altitude in [min, max],
//! track speed ≤ max target speed, fly-out time ≤ max flight time, lead angle (between the line
//! of sight at launch and the line to the PIP) ≤ max lead angle, and optionally the course
//! parameter (offset: horizontal distance from the launcher to the track's ground path) ≤ max.
//! The lead angle bounds the crossing speed: in the collision triangle sin L = V_⊥/V_M
//! (Zarchan ch. 2), so a 45° limit ([`DEFAULT_MAX_LEAD_ANGLE_RAD`], notional — no public figure
//! for the catalog's missiles) admits crossing speeds up to 0.71 of the interceptor's mean speed.
//!
//! **Kill probability estimate** (see [`PkModel`]):
//! P_K = P_SSK · f_edge · f_lead · f_class, with P_SSK the catalog single-shot kill probability
//! (the P_K|SS = P_H·P_K|H of Ball, *The Fundamentals of Aircraft Combat Survivability Analysis
//! and Design*, 2nd ed., AIAA 2003, ch. 5), and multipliers for the qualitative trends
//! Macfadzean (*Surface-Based Air Defense System Analysis*, Artech House 1992, ch. 5–6) describes:
//! P_K falls toward the edge of the envelope (less energy for the end game), with crossing
//! geometry (larger lead, more manoeuvre demand) and against harder target classes. The shapes
//! and numbers of the multipliers are **notional**.
use crate::TrackView;
use crate::identify::KinematicClass;
use bulwark_core::Vec3;
use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

/// Notional maximum lead angle (rad), 45°: see the module doc.
pub const DEFAULT_MAX_LEAD_ANGLE_RAD: f64 = std::f64::consts::FRAC_PI_4;
/// How far below a fly-out table's lowest height a point still reads its lowest row (m).
pub const BELOW_GRID_M: f64 = 1_000.0;
/// Fixed-point iterations before the PIP is declared not found.
const PIP_MAX_ITERATIONS: usize = 200;
/// PIP convergence: successive fly-out times within this (s).
const PIP_TOLERANCE_S: f64 = 1e-6;

/// Why a fly-out table could not be built.
#[derive(Clone, Debug, PartialEq)]
pub enum FlyoutError {
    /// A grid axis has fewer than two points, or is not finite and strictly increasing.
    Axis(&'static str),
    /// The number of times is not ranges × heights.
    Size { expected: usize, got: usize },
    /// A time is negative or NaN (unreachable cells are +∞).
    Time { index: usize, value: f64 },
}

impl fmt::Display for FlyoutError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FlyoutError::Axis(a) => write!(f, "fly-out table: {a} axis needs ≥ 2 finite, strictly increasing values"),
            FlyoutError::Size { expected, got } => write!(f, "fly-out table: {got} times, expected {expected}"),
            FlyoutError::Time { index, value } => write!(f, "fly-out table: time {value} at {index} must be ≥ 0 or +∞"),
        }
    }
}

impl std::error::Error for FlyoutError {}

/// Time of flight T(R, h) on a grid of ground range R (m) × height above the launcher h (m),
/// bilinear in between; +∞ marks a point the interceptor cannot reach.
#[derive(Clone, Debug, PartialEq)]
pub struct FlyoutTable {
    ranges_m: Vec<f64>,
    heights_m: Vec<f64>,
    /// Row-major by height: tof_s[ih·ranges + ir].
    tof_s: Vec<f64>,
    /// Mean speed over the reachable cells (m/s), a starting guess.
    mean_speed_mps: f64,
}

fn axis_ok(a: &[f64]) -> bool {
    a.len() >= 2 && a.iter().all(|x| x.is_finite()) && a.windows(2).all(|w| w[1] > w[0])
}

impl FlyoutTable {
    pub fn new(ranges_m: Vec<f64>, heights_m: Vec<f64>, tof_s: Vec<f64>) -> Result<Self, FlyoutError> {
        if !axis_ok(&ranges_m) {
            return Err(FlyoutError::Axis("range"));
        }
        if !axis_ok(&heights_m) {
            return Err(FlyoutError::Axis("height"));
        }
        let expected = ranges_m.len() * heights_m.len();
        if tof_s.len() != expected {
            return Err(FlyoutError::Size { expected, got: tof_s.len() });
        }
        if let Some((index, &value)) = tof_s.iter().enumerate().find(|(_, t)| t.is_nan() || **t < 0.0) {
            return Err(FlyoutError::Time { index, value });
        }
        let (mut sum, mut n) = (0.0, 0u32);
        for (ih, h) in heights_m.iter().enumerate() {
            for (ir, r) in ranges_m.iter().enumerate() {
                let t = tof_s[ih * ranges_m.len() + ir];
                if t.is_finite() && t > 0.0 {
                    sum += r.hypot(*h) / t;
                    n += 1;
                }
            }
        }
        let mean_speed_mps = if n > 0 { sum / f64::from(n) } else { 0.0 };
        Ok(FlyoutTable { ranges_m, heights_m, tof_s, mean_speed_mps })
    }

    /// Tabulate `f(R, h)` (None: unreachable) on the grid.
    pub fn from_fn(
        ranges_m: Vec<f64>,
        heights_m: Vec<f64>,
        mut f: impl FnMut(f64, f64) -> Option<f64>,
    ) -> Result<Self, FlyoutError> {
        let mut tof = Vec::with_capacity(ranges_m.len() * heights_m.len());
        for h in &heights_m {
            for r in &ranges_m {
                tof.push(f(*r, *h).unwrap_or(f64::INFINITY));
            }
        }
        Self::new(ranges_m, heights_m, tof)
    }

    pub fn ranges_m(&self) -> &[f64] {
        &self.ranges_m
    }
    pub fn heights_m(&self) -> &[f64] {
        &self.heights_m
    }
    /// Times of flight (s), row-major by height (∞ where unreachable).
    pub fn tof_s(&self) -> &[f64] {
        &self.tof_s
    }

    /// Bilinear T(R, h) (s); `None` outside the grid or next to an unreachable cell. A height
    /// up to [`BELOW_GRID_M`] below the grid reads as its lowest row (a PIP below a launcher on
    /// high ground flies as level).
    pub fn time_of_flight(&self, ground_range_m: f64, height_m: f64) -> Option<f64> {
        if height_m.is_nan() || height_m < self.heights_m[0] - BELOW_GRID_M {
            return None;
        }
        let (r, h) = (ground_range_m, height_m.max(self.heights_m[0]));
        let (ir, fr) = cell(&self.ranges_m, r)?;
        let (ih, fh) = cell(&self.heights_m, h)?;
        let n = self.ranges_m.len();
        let at = |i: usize, j: usize| self.tof_s[j * n + i];
        let (a, b, c, d) = (at(ir, ih), at(ir + 1, ih), at(ir, ih + 1), at(ir + 1, ih + 1));
        if ![a, b, c, d].iter().all(|t| t.is_finite()) {
            return None;
        }
        Some((a * (1.0 - fr) + b * fr) * (1.0 - fh) + (c * (1.0 - fr) + d * fr) * fh)
    }
}

/// Index i and fraction f of `x` in the axis cell [a_i, a_{i+1}]; `None` outside.
fn cell(axis: &[f64], x: f64) -> Option<(usize, f64)> {
    if !(x >= axis[0] && x <= axis[axis.len() - 1]) {
        return None;
    }
    let i = axis.partition_point(|a| *a <= x).saturating_sub(1).min(axis.len() - 2);
    Some((i, (x - axis[i]) / (axis[i + 1] - axis[i])))
}

/// How the command post predicts an interceptor's time of flight.
#[derive(Clone, Debug, PartialEq)]
pub enum Flyout {
    /// Straight flight at a constant mean speed (m/s), any distance.
    ConstantSpeed(f64),
    /// A precomputed table (shared between units).
    Table(Arc<FlyoutTable>),
}

impl Flyout {
    /// T(R, h) (s), `None` when out of reach.
    pub fn time_of_flight(&self, ground_range_m: f64, height_m: f64) -> Option<f64> {
        match self {
            Flyout::ConstantSpeed(s) => {
                let t = ground_range_m.hypot(height_m) / s;
                (t.is_finite() && *s > 0.0).then_some(t)
            }
            Flyout::Table(t) => t.time_of_flight(ground_range_m, height_m),
        }
    }

    fn mean_speed_mps(&self) -> f64 {
        match self {
            Flyout::ConstantSpeed(s) => *s,
            Flyout::Table(t) => t.mean_speed_mps,
        }
    }
}

/// The launch envelope of one interceptor type, as the command post plans with it.
#[derive(Clone, Debug, PartialEq)]
pub struct InterceptorEnvelope {
    pub type_id: String,
    /// Slant range launcher → PIP (m).
    pub min_range_m: f64,
    pub max_range_m: f64,
    /// Geodetic altitude of the PIP (m).
    pub min_altitude_m: f64,
    pub max_altitude_m: f64,
    pub max_target_speed_mps: f64,
    pub max_flight_time_s: f64,
    /// Largest lead angle between the line of sight at launch and the line to the PIP (rad).
    pub max_lead_angle_rad: f64,
    /// Largest course parameter (horizontal offset of the track's path from the launcher, m).
    pub max_offset_m: Option<f64>,
    /// Catalog single-shot kill probability (burst at zero miss).
    pub single_shot_pk: f64,
    pub flyout: Flyout,
    /// Layer order: lower is cheaper (shorter range).
    pub rank: u32,
}

/// Where a launcher stands.
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct LauncherGeometry {
    /// Scenario ENU position (m).
    pub position: Vec3,
    /// Geodetic altitude (m).
    pub altitude_m: f64,
}

/// A feasible intercept.
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct Intercept {
    /// PIP in the scenario ENU frame (m).
    pub pip: Vec3,
    /// Fly-out time to the PIP (s).
    pub time_of_flight_s: f64,
    pub slant_range_m: f64,
    pub pip_altitude_m: f64,
    pub lead_angle_rad: f64,
    pub offset_m: f64,
}

/// Why a track cannot be engaged by an interceptor type from a launcher.
#[derive(Copy, Clone, Debug, PartialEq)]
pub enum Rejection {
    TargetTooFast,
    /// No intercept within the maximum flight time (out of reach, or the track outruns it).
    NoIntercept,
    TooClose,
    TooFar,
    TooLow,
    TooHigh,
    LeadAngle,
    Offset,
}

/// Steps of the fall-back scan for the earliest root of T(p(t)) − t over the horizon.
const PIP_SCAN_STEPS: usize = 600;

/// The PIP (PIP, t) with t ≤ `horizon_s`, or `None` (module doc).
///
/// First the fixed-point iteration t_{k+1} = T(p(t_k)) from t₀ = T(p₀); it contracts only while
/// the track's range rate is below the interceptor's speed, so a fast closing target (a
/// ballistic missile against a slower interceptor) can make it oscillate. Then the earliest
/// sign change of g(t) = T(p(t)) − t on a scan of the horizon, refined by bisection.
pub fn predicted_intercept(
    track: &TrackView,
    launcher: &LauncherGeometry,
    flyout: &Flyout,
    horizon_s: f64,
) -> Option<(Vec3, f64)> {
    if !(horizon_s.is_finite() && horizon_s > 0.0) {
        return None;
    }
    let at = |t: f64| {
        let p = track.position + track.velocity * t;
        let d = p - launcher.position;
        let h = track.altitude_m + track.climb_rate_mps * t - launcher.altitude_m;
        (p, flyout.time_of_flight(d.x.hypot(d.y), h))
    };
    let done = |t: f64| {
        let (p, _) = at(t);
        (p.iter().all(|x| x.is_finite()) && t <= horizon_s).then_some((p, t))
    };
    let start = at(0.0).1.or_else(|| {
        // Out of reach now: start from the collision triangle at the mean speed.
        let d = track.position - launcher.position;
        bulwark_core::kinematics::intercept_time(&d, &track.velocity, flyout.mean_speed_mps())
    });
    if let Some(mut t) = start {
        for _ in 0..PIP_MAX_ITERATIONS {
            let Some(next) = at(t).1 else { break };
            if (next - t).abs() <= PIP_TOLERANCE_S {
                return done(next);
            }
            if next > 2.0 * horizon_s {
                break;
            }
            t = next;
        }
    }
    let g = |t: f64| at(t).1.map(|tof| tof - t);
    let dt = horizon_s / PIP_SCAN_STEPS as f64;
    let mut prev: Option<(f64, f64)> = None;
    for k in 0..=PIP_SCAN_STEPS {
        let t = dt * k as f64;
        let Some(gt) = g(t) else {
            prev = None;
            continue;
        };
        if gt == 0.0 {
            return done(t);
        }
        if let Some((t0, g0)) = prev.filter(|p| p.1 > 0.0 && gt < 0.0) {
            let (mut lo, mut hi, mut glo) = (t0, t, g0);
            for _ in 0..100 {
                let mid = 0.5 * (lo + hi);
                match g(mid) {
                    Some(gm) if (gm > 0.0) == (glo > 0.0) => {
                        lo = mid;
                        glo = gm;
                    }
                    Some(_) => hi = mid,
                    None => break,
                }
                if hi - lo <= PIP_TOLERANCE_S {
                    break;
                }
            }
            return done(0.5 * (lo + hi));
        }
        prev = Some((t, gt));
    }
    None
}

/// The intercept of `track` by `env` fired now from `launcher`, if acceptable (module doc).
pub fn intercept(
    track: &TrackView,
    launcher: &LauncherGeometry,
    env: &InterceptorEnvelope,
) -> Result<Intercept, Rejection> {
    if track.speed().is_nan() || track.speed() > env.max_target_speed_mps {
        return Err(Rejection::TargetTooFast);
    }
    let (pip, tof) =
        predicted_intercept(track, launcher, &env.flyout, env.max_flight_time_s).ok_or(Rejection::NoIntercept)?;
    let to_pip = pip - launcher.position;
    let slant = to_pip.norm();
    let alt = track.altitude_m + track.climb_rate_mps * tof;
    let los = track.position - launcher.position;
    let lead = if slant > 1e-6 && los.norm() > 1e-6 { to_pip.angle(&los) } else { 0.0 };
    let vh = Vec3::new(track.velocity.x, track.velocity.y, 0.0);
    let dh = Vec3::new(los.x, los.y, 0.0);
    let offset = if vh.norm() > 1e-6 { dh.cross(&vh).norm() / vh.norm() } else { dh.norm() };
    let out = Intercept {
        pip,
        time_of_flight_s: tof,
        slant_range_m: slant,
        pip_altitude_m: alt,
        lead_angle_rad: lead,
        offset_m: offset,
    };
    if slant < env.min_range_m {
        Err(Rejection::TooClose)
    } else if slant > env.max_range_m {
        Err(Rejection::TooFar)
    } else if alt < env.min_altitude_m {
        Err(Rejection::TooLow)
    } else if alt > env.max_altitude_m {
        Err(Rejection::TooHigh)
    } else if lead > env.max_lead_angle_rad {
        Err(Rejection::LeadAngle)
    } else if env.max_offset_m.is_some_and(|m| offset > m) {
        Err(Rejection::Offset)
    } else {
        Ok(out)
    }
}

/// Multipliers of the kill-probability estimate (module doc). All notional.
#[derive(Clone, Debug, PartialEq)]
pub struct PkModel {
    /// Normalised reach u = max(R/R_max, t/t_max) at which P_K starts to fall.
    pub edge_start: f64,
    /// Fraction of P_K lost at the envelope edge (u = 1): f_edge = 1 − loss·x², x = (u − u₀)/(1 − u₀).
    pub edge_loss: f64,
    /// Fraction lost at a 90° lead angle: f_lead = 1 − loss·sin²L.
    pub lead_loss: f64,
    /// Factor by target class (missing: 1).
    pub class_factor: BTreeMap<KinematicClass, f64>,
}

impl Default for PkModel {
    /// Notional: P_K holds over the inner 70 % of the envelope and halves at its edge; a 90°
    /// crossing costs 30 %; a ballistic re-entry vehicle (closing speed, small lethal window)
    /// 0.8, a low-level cruise missile (clutter, short exposure) 0.85, a fast jet (manoeuvre,
    /// countermeasures) 0.9, a slow aircraft 1.
    fn default() -> Self {
        PkModel {
            edge_start: 0.7,
            edge_loss: 0.5,
            lead_loss: 0.3,
            class_factor: BTreeMap::from([
                (KinematicClass::Ballistic, 0.8),
                (KinematicClass::LowLevelFast, 0.85),
                (KinematicClass::FastJet, 0.9),
                (KinematicClass::Aircraft, 1.0),
            ]),
        }
    }
}

impl PkModel {
    /// P_K = P_SSK · f_edge · f_lead · f_class, clamped to [0, 1].
    pub fn kill_probability(&self, env: &InterceptorEnvelope, i: &Intercept, class: KinematicClass) -> f64 {
        let ratio = |a: f64, b: f64| if b > 0.0 { a / b } else { 1.0 };
        let u = ratio(i.slant_range_m, env.max_range_m).max(ratio(i.time_of_flight_s, env.max_flight_time_s));
        let u0 = self.edge_start.clamp(0.0, 0.999);
        let x = ((u - u0) / (1.0 - u0)).clamp(0.0, 1.0);
        let f_edge = 1.0 - self.edge_loss.clamp(0.0, 1.0) * x * x;
        let f_lead = 1.0 - self.lead_loss.clamp(0.0, 1.0) * i.lead_angle_rad.sin().powi(2);
        let f_class = self.class_factor.get(&class).copied().unwrap_or(1.0).clamp(0.0, 1.0);
        let p = env.single_shot_pk * f_edge * f_lead * f_class;
        if p.is_finite() { p.clamp(0.0, 1.0) } else { 0.0 }
    }
}
