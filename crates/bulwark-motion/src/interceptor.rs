//! Surface-to-air interceptor fly-out: a 3-DOF point mass in ECEF, plus intercept planning.
//!
//! **Forces** (all ECEF, rotating earth): J₂ gravity, Coriolis and centrifugal terms, drag
//! −ρ|v|v/(2β) with constant β (the propellant's mass loss is not modelled), thrust along the
//! velocity during the burn, and the guidance command normal to the velocity.
//!
//! **Thrust** is sized so that burnout speed equals `max_speed_mps` whatever the drag and gravity
//! losses: during the burn the axial acceleration is a_T = V_max/t_b − (a_natural · v̂), so the
//! speed rises linearly from 0 to V_max at t_b (a notional, speed-programmed motor; clamped ≥ 0).
//! **Coast** follows with drag and gravity only.
//!
//! **Launch** is straight along a given direction; [`launch_direction`] points it at the predicted
//! intercept point with a floor on the elevation, a common simplification of the vertical launch
//! and turn-over of real systems.
//!
//! **Lateral acceleration**: the guidance command (evaluated at each internal step of ≤ 20 ms on
//! the target estimate the engine passes, extrapolated over the engine step) plus gravity compensation (the autopilot
//! cancels the gravity component normal to the velocity, Zarchan ch. 2 "gravity compensation", so
//! an unguided interceptor flies straight along its launch direction) is limited to
//! `max_lateral_accel_mps2`; when
//! `lateral_q_ref_pa` is set the limit is scaled by min(1, q/q_ref), q = ½ρV², for aerodynamic
//! control that loses authority in thin air. Induced drag of manoeuvring is not modelled.
//!
//! **Airframe mode** ([`Interceptor::with_airframe`]): a boost–sustain [`Motor`] (thrust, mass
//! falling at ṁ = T/(I_sp g₀)) and Mach/altitude drag replace the speed-programmed burn and the
//! constant β: a = g − 2ω×v − ω×(ω×r) + (T(t)·v̂ − D·v̂)/m(t) + a_lat, D = ½ρV²·S·C_D(M)
//! ([`crate::aero`]), and the lateral limit becomes min(a_struct, q·S·C_N,max/m + T·sin δ_max/m):
//! aerodynamic control plus thrust-vector (jet-vane / gas-dynamic) control while the motor burns,
//! which holds the launch direction at lift-off when q is still too low for the fins
//! (δ_max = [`DEFAULT_THRUST_VECTOR_RAD`], notional).
//! [`Airframe::from_catalog`] derives both from catalog values.
//!
//! **Autopilot lag** ([`Interceptor::with_autopilot_lag`]): the achieved lateral acceleration
//! follows the limited command through a first-order lag 1/(1 + sT) (Zarchan ch. 2, the
//! single-time-constant guidance system), integrated exactly over each step with the command held:
//! a_L(τ) = a_c + (a_L(0) − a_c)·e^{−τ/T}.
//!
//! **Self-destruct** at the maximum flight time, beyond the maximum range from the launcher, or
//! below the ground height (the launcher's height minus 100 m unless set; terrain is not
//! modelled).
use crate::aero::Aero;
use crate::dynamics::{self, Dynamics};
use crate::guidance::GuidanceLaw;
use crate::propulsion::Motor;
use crate::{KinematicState, MotionError, MotionModel, check, finite_vec, substeps};
use bulwark_core::Vec3;
use bulwark_geo::{EnuFrame, Geodetic, LocalHeight};

/// Longest internal integration step (s).
const H_MAX_S: f64 = 0.02;
/// Default ground margin below the launcher's height (m).
const GROUND_MARGIN_M: f64 = 100.0;

/// Notional performance of one interceptor type (catalog values).
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct InterceptorParams {
    /// Speed at burnout (m/s), > 0.
    pub max_speed_mps: f64,
    /// Motor burn time (s), > 0.
    pub burn_time_s: f64,
    /// Ballistic coefficient β = m/(C_D·A) (kg/m²), > 0.
    pub beta_kg_m2: f64,
    /// Maximum lateral acceleration (m/s²), ≥ 0.
    pub max_lateral_accel_mps2: f64,
    /// Self-destruct after this flight time (s), > 0.
    pub max_flight_time_s: f64,
    /// Self-destruct beyond this distance from the launcher (m), > 0.
    pub max_range_m: f64,
    /// Reference dynamic pressure (Pa) for scaling the lateral limit; `None`: no scaling.
    pub lateral_q_ref_pa: Option<f64>,
}

impl InterceptorParams {
    pub fn validate(&self) -> Result<(), MotionError> {
        check("max_speed_mps", self.max_speed_mps, self.max_speed_mps > 0.0, "> 0")?;
        check("burn_time_s", self.burn_time_s, self.burn_time_s > 0.0, "> 0")?;
        check("beta_kg_m2", self.beta_kg_m2, self.beta_kg_m2 > 0.0, "> 0")?;
        check("max_lateral_accel_mps2", self.max_lateral_accel_mps2, self.max_lateral_accel_mps2 >= 0.0, ">= 0")?;
        check("max_flight_time_s", self.max_flight_time_s, self.max_flight_time_s > 0.0, "> 0")?;
        check("max_range_m", self.max_range_m, self.max_range_m > 0.0, "> 0")?;
        if let Some(q) = self.lateral_q_ref_pa {
            check("lateral_q_ref_pa", q, q > 0.0, "> 0")?;
        }
        Ok(())
    }
}

/// Assumed maximum thrust-vector deflection (rad), 10°: jet vanes and gas-dynamic control deflect
/// the thrust by of the order of ±10° (Fleeman, *Tactical Missile Design*, 2nd ed., ch. 2 on
/// thrust-vector control). Notional.
pub const DEFAULT_THRUST_VECTOR_RAD: f64 = 0.174_532_925_199_432_95;

/// A physical airframe: motor, aerodynamics and thrust-vector control (see the module doc).
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct Airframe {
    pub motor: Motor,
    pub aero: Aero,
    /// Maximum thrust deflection (rad), in [0, π/2]; 0: no thrust-vector control.
    pub thrust_vector_max_rad: f64,
}

impl Airframe {
    /// The notional airframe of a catalog interceptor: [`Motor::from_catalog`] with the burnout
    /// speed, burn time, β and lateral limit of `params` and the catalog launch mass.
    pub fn from_catalog(params: &InterceptorParams, launch_mass_kg: f64) -> Result<Self, MotionError> {
        params.validate()?;
        let (motor, aero) = Motor::from_catalog(
            params.max_speed_mps,
            params.burn_time_s,
            launch_mass_kg,
            params.beta_kg_m2,
            params.max_lateral_accel_mps2,
        )?;
        Ok(Airframe { motor, aero, thrust_vector_max_rad: DEFAULT_THRUST_VECTOR_RAD })
    }
}

/// Why an interceptor destroyed itself.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum SelfDestructReason {
    MaxFlightTime,
    MaxRange,
    BelowGround,
}

/// Whether an interceptor is still flying.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum InterceptorStatus {
    Flying,
    SelfDestruct(SelfDestructReason),
}

/// The launch direction (ECEF unit vector) from `launcher` towards `aim_ecef`, raised to at least
/// `min_elevation_rad` above the local horizontal. Straight up if the aim point is the launcher.
pub fn launch_direction(launcher: &Geodetic, aim_ecef: &Vec3, min_elevation_rad: f64) -> Vec3 {
    let frame = EnuFrame::new(*launcher);
    let d = frame.to_enu(aim_ecef);
    let horiz = d.x.hypot(d.y);
    if !finite_vec(&d) || d.norm() <= 1e-6 {
        return frame.vec_to_ecef(&Vec3::new(0.0, 0.0, 1.0));
    }
    let floor = if min_elevation_rad.is_finite() { min_elevation_rad.clamp(-1.5, 1.5) } else { 0.0 };
    let el = d.z.atan2(horiz).max(floor);
    let az = d.x.atan2(d.y);
    frame.vec_to_ecef(&Vec3::new(el.cos() * az.sin(), el.cos() * az.cos(), el.sin()))
}

/// An interceptor in flight.
#[derive(Debug)]
pub struct Interceptor {
    params: InterceptorParams,
    guidance: Box<dyn GuidanceLaw>,
    dynamics: Dynamics,
    r: Vec3,
    /// The local height model at `r` (one exact conversion per sub-step): its exact height is
    /// what the guidance limit, the first integrator stage and the ground check read, and the
    /// later integrator stages take their heights for drag from it (see [`LocalHeight`]).
    local: LocalHeight,
    v: Vec3,
    t: f64,
    launcher_ecef: Vec3,
    launch_dir: Vec3,
    ground_alt_m: f64,
    status: InterceptorStatus,
    last_command: Vec3,
    airframe: Option<Airframe>,
    /// Autopilot time constant (s); 0: the command is achieved at once.
    autopilot_tau_s: f64,
    /// Achieved lateral acceleration (m/s²), the lag's state.
    achieved_lateral: Vec3,
    /// Longest internal step (s): [`H_MAX_S`] unless set.
    max_step_s: f64,
}

impl Interceptor {
    /// Launches from `launcher` along `direction_ecef` (any non-zero ECEF vector, see
    /// [`launch_direction`]), at rest, with the given guidance law.
    pub fn launch(
        launcher: Geodetic,
        direction_ecef: Vec3,
        params: InterceptorParams,
        guidance: Box<dyn GuidanceLaw>,
    ) -> Result<Self, MotionError> {
        params.validate()?;
        check("launcher latitude", launcher.lat_rad, launcher.lat_rad.abs() <= std::f64::consts::FRAC_PI_2, "valid")?;
        check("launcher longitude", launcher.lon_rad, true, "finite")?;
        check("launcher altitude", launcher.alt_m, true, "finite")?;
        let n = direction_ecef.norm();
        check("direction_ecef", n, n > 0.0, "a non-zero vector")?;
        let r = launcher.to_ecef();
        Ok(Interceptor {
            params,
            guidance,
            dynamics: Dynamics::default(),
            r,
            local: LocalHeight::at(&r),
            v: Vec3::zeros(),
            t: 0.0,
            launcher_ecef: r,
            launch_dir: direction_ecef / n,
            ground_alt_m: launcher.alt_m - GROUND_MARGIN_M,
            status: InterceptorStatus::Flying,
            last_command: Vec3::zeros(),
            airframe: None,
            autopilot_tau_s: 0.0,
            achieved_lateral: Vec3::zeros(),
            max_step_s: H_MAX_S,
        })
    }

    /// Flies with a motor and Mach-dependent drag instead of the speed-programmed burn.
    pub fn with_airframe(mut self, airframe: Airframe) -> Self {
        self.airframe = Some(airframe);
        self
    }

    /// First-order autopilot lag with time constant `tau_s` (s, ≥ 0; 0 means none).
    pub fn with_autopilot_lag(mut self, tau_s: f64) -> Result<Self, MotionError> {
        self.autopilot_tau_s = check("autopilot time constant (s)", tau_s, tau_s >= 0.0, ">= 0")?;
        Ok(self)
    }

    /// Longest internal integration and guidance step (s, > 0; default 20 ms). A coarser step
    /// trades end-game accuracy for speed, e.g. for fly-out tables precomputed at setup.
    pub fn with_max_step_s(mut self, h_s: f64) -> Result<Self, MotionError> {
        self.max_step_s = check("internal step (s)", h_s, h_s.is_finite() && h_s > 0.0, "> 0 and finite")?;
        Ok(self)
    }

    /// Mass now (kg): the motor's, or `None` in speed-programmed mode.
    pub fn mass_kg(&self) -> Option<f64> {
        self.airframe.map(|a| a.motor.mass_kg(self.t))
    }

    /// Times (s after launch) where the thrust changes.
    fn thrust_breaks(&self) -> [f64; 2] {
        match &self.airframe {
            Some(a) => [a.motor.boost_time_s, a.motor.burn_time_s()],
            None => [self.params.burn_time_s, self.params.burn_time_s],
        }
    }

    /// Replaces the guidance law from the next step on (e.g. at the mid-course → terminal
    /// hand-over).
    pub fn set_guidance(&mut self, law: Box<dyn GuidanceLaw>) {
        self.guidance = law;
    }

    /// Sets the ellipsoidal height below which the interceptor counts as having hit the ground.
    pub fn with_ground_alt_m(mut self, ground_alt_m: f64) -> Self {
        if ground_alt_m.is_finite() {
            self.ground_alt_m = ground_alt_m;
        }
        self
    }

    /// Advances by `dt_s`. `target_est` is the engine's estimate of the target (track or seeker)
    /// at the start of the step; `None` flies on without a lateral command. Guidance runs at the
    /// internal step rate (≤ 20 ms, like an on-board seeker and autopilot faster than the
    /// engine's step): at each sub-step the command is evaluated on the estimate extrapolated to
    /// that time with its own velocity and acceleration, p + v·τ + ½a·τ², and held over it.
    pub fn step(&mut self, dt_s: f64, target_est: Option<&KinematicState>) {
        if self.status != InterceptorStatus::Flying {
            return;
        }
        let n = substeps(dt_s, self.max_step_s);
        if n == 0 {
            return;
        }
        let target = target_est.filter(|t| t.is_finite());
        let h = dt_s / n as f64;
        for k in 0..n {
            let tau = k as f64 * h;
            let cmd = match target {
                Some(t) => {
                    let est = KinematicState::with_acc(
                        t.pos + t.vel * tau + t.acc * (0.5 * tau * tau),
                        t.vel + t.acc * tau,
                        t.acc,
                    );
                    self.guidance.command(&self.state(), &est)
                }
                None => Vec3::zeros(),
            };
            let cmd = if finite_vec(&cmd) { cmd } else { Vec3::zeros() };
            let limit = self.lateral_limit_mps2();
            self.last_command = lateral_acceleration(&cmd, &self.r, &self.axis(&self.v), limit, self.dynamics.gravity);
            if self.t == 0.0 {
                // On the launcher the airframe is held along the launch direction: the lag starts settled.
                self.achieved_lateral = self.last_command;
            }
            // Split the step at thrust changes so RK4 never straddles a discontinuity.
            let end = self.t + h;
            for tb in self.thrust_breaks() {
                if self.t < tb && end > tb {
                    self.integrate(tb - self.t, &cmd, limit);
                }
            }
            self.integrate(end - self.t, &cmd, limit);
            if self.check_end() {
                return;
            }
        }
    }

    fn axis(&self, v: &Vec3) -> Vec3 {
        if v.norm() > 1e-6 { v.normalize() } else { self.launch_dir }
    }

    fn integrate(&mut self, h: f64, cmd: &Vec3, limit: f64) {
        if h.is_nan() || h <= 0.0 {
            return;
        }
        let (p, dynm, t0, tau_ap) = (self.params, self.dynamics, self.t, self.autopilot_tau_s);
        let (airframe, lag0) = (self.airframe, self.achieved_lateral);
        let lag_target = self.last_command;
        // Achieved lateral acceleration τ into the step (exact first-order lag, command held).
        let lagged = move |tau: f64| -> Vec3 {
            if tau_ap > 0.0 { lag_target + (lag0 - lag_target) * (-tau / tau_ap).exp() } else { lag_target }
        };
        let (this, local) = (&*self, self.local);
        let alt0 = local.alt_m();
        // The first stage is at the current point (τ = 0), whose height is kept; the others
        // lie within one sub-step's flight (≤ ~200 m) of it, where the local model errs by
        // well under a millimetre.
        let alt_at = |tau: f64, r: &Vec3| if tau == 0.0 { alt0 } else { local.height_of(r) };
        let (r1, v1) = dynamics::rk4(&self.r, &self.v, h, &mut |tau, r, v| {
            let axis = this.axis(v);
            let lateral = if tau_ap > 0.0 {
                let a = lagged(tau);
                a - axis * a.dot(&axis)
            } else {
                lateral_acceleration(cmd, r, &axis, limit, dynm.gravity)
            };
            match &airframe {
                None => {
                    let nat = if dynm.drag {
                        let no_drag =
                            dynamics::natural_acceleration(r, v, p.beta_kg_m2, &Dynamics { drag: false, ..dynm });
                        no_drag + dynamics::drag(alt_at(tau, r), v, p.beta_kg_m2)
                    } else {
                        dynamics::natural_acceleration(r, v, p.beta_kg_m2, &dynm)
                    };
                    let thrust = if t0 + tau < p.burn_time_s {
                        (p.max_speed_mps / p.burn_time_s - nat.dot(&axis)).max(0.0)
                    } else {
                        0.0
                    };
                    nat + axis * thrust + lateral
                }
                Some(af) => {
                    let nat = dynamics::natural_acceleration(r, v, p.beta_kg_m2, &Dynamics { drag: false, ..dynm });
                    // Thrust at the step's midpoint time: steps are split at thrust changes.
                    let t = t0 + tau;
                    let m = af.motor.mass_kg(t);
                    let thrust = af.motor.thrust_n(t0 + 0.5 * h);
                    let drag = if dynm.drag { af.aero.drag_n(v.norm(), alt_at(tau, r)) } else { 0.0 };
                    let vhat = if v.norm() > 1e-9 { v.normalize() } else { axis };
                    nat + axis * (thrust / m) - vhat * (drag / m) + lateral
                }
            }
        });
        if finite_vec(&r1) && finite_vec(&v1) {
            self.r = r1;
            self.local = LocalHeight::at(&r1);
            self.v = v1;
        }
        self.achieved_lateral = lagged(h);
        self.t += h;
    }

    fn check_end(&mut self) -> bool {
        let reason = if self.t >= self.params.max_flight_time_s {
            Some(SelfDestructReason::MaxFlightTime)
        } else if (self.r - self.launcher_ecef).norm() > self.params.max_range_m {
            Some(SelfDestructReason::MaxRange)
        } else if self.local.alt_m() < self.ground_alt_m {
            Some(SelfDestructReason::BelowGround)
        } else {
            None
        };
        if let Some(r) = reason {
            self.status = InterceptorStatus::SelfDestruct(r);
        }
        reason.is_some()
    }

    /// The lateral acceleration available now (m/s²).
    pub fn lateral_limit_mps2(&self) -> f64 {
        let p = &self.params;
        if let Some(af) = &self.airframe {
            let alt = self.local.alt_m();
            let m = af.motor.mass_kg(self.t);
            let tvc = af.motor.thrust_n(self.t) * af.thrust_vector_max_rad.clamp(0.0, 1.57).sin() / m;
            let aero = af.aero.lateral_limit_mps2(self.v.norm(), alt, m);
            return (aero + tvc).min(af.aero.max_structural_accel_mps2);
        }
        match p.lateral_q_ref_pa {
            None => p.max_lateral_accel_mps2,
            Some(q_ref) => {
                let rho = crate::atmosphere::density_kg_m3(self.local.alt_m());
                let q = 0.5 * rho * self.v.norm_squared();
                p.max_lateral_accel_mps2 * (q / q_ref).min(1.0)
            }
        }
    }

    /// Own state (acceleration: the last lateral command).
    pub fn state(&self) -> KinematicState {
        KinematicState::with_acc(self.r, self.v, self.last_command)
    }
    pub fn position_ecef(&self) -> Vec3 {
        self.r
    }
    pub fn velocity_ecef(&self) -> Vec3 {
        self.v
    }
    pub fn geodetic(&self) -> Geodetic {
        Geodetic::from_ecef(&self.r)
    }
    pub fn status(&self) -> InterceptorStatus {
        self.status
    }
    /// Time since launch (s).
    pub fn elapsed_s(&self) -> f64 {
        self.t
    }
    /// The lateral acceleration applied at the start of the last step: guidance command plus
    /// gravity compensation, after limiting (m/s²).
    pub fn last_command(&self) -> Vec3 {
        self.last_command
    }
    pub fn params(&self) -> &InterceptorParams {
        &self.params
    }
}

impl MotionModel for Interceptor {
    /// Flies without a target estimate (no lateral command).
    fn step(&mut self, dt_s: f64) {
        Interceptor::step(self, dt_s, None);
    }
    fn position_ecef(&self) -> Vec3 {
        self.r
    }
    fn velocity_ecef(&self) -> Vec3 {
        self.v
    }
    fn is_active(&self) -> bool {
        self.status == InterceptorStatus::Flying
    }
}

/// The lateral acceleration applied: the guidance command plus gravity compensation (minus the
/// gravity component normal to the velocity), normal to `axis`, limited in magnitude to `limit`.
fn lateral_acceleration(cmd: &Vec3, r: &Vec3, axis: &Vec3, limit: f64, gravity: dynamics::GravityModel) -> Vec3 {
    let a = cmd - dynamics::gravity(r, gravity);
    let lat = a - axis * a.dot(axis);
    let m = lat.norm();
    if m > limit { lat * (limit / m) } else { lat }
}

/// Planning fly-out: straight, level flight at one altitude ("max range in the catalog sense"),
/// with the same speed-programmed burn as [`Interceptor`] and a drag-only coast, in closed form.
/// Burn: V = V_max·t/t_b, s = V_max·t²/(2t_b). Coast with k = ρ/(2β): V = V_b/(1 + kV_b τ),
/// s = s_b + ln(1 + kV_b τ)/k (quadratic drag at constant density).
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct Flyout {
    params: InterceptorParams,
    k: f64,
}

impl Flyout {
    pub fn new(params: InterceptorParams, altitude_m: f64) -> Result<Self, MotionError> {
        params.validate()?;
        check("altitude_m", altitude_m, true, "finite")?;
        let k = crate::atmosphere::density_kg_m3(altitude_m) / (2.0 * params.beta_kg_m2);
        Ok(Flyout { params, k })
    }

    /// Speed (m/s) at time `t_s` after launch.
    pub fn speed_at(&self, t_s: f64) -> f64 {
        let (vm, tb) = (self.params.max_speed_mps, self.params.burn_time_s);
        let t = t_s.max(0.0);
        if t <= tb { vm * t / tb } else { vm / (1.0 + self.k * vm * (t - tb)) }
    }

    /// Path length (m) flown by `t_s` after launch.
    pub fn distance_at(&self, t_s: f64) -> f64 {
        let (vm, tb) = (self.params.max_speed_mps, self.params.burn_time_s);
        let t = t_s.max(0.0);
        if t <= tb {
            return vm * t * t / (2.0 * tb);
        }
        let x = self.k * vm * (t - tb);
        vm * tb / 2.0 + if x > 1e-12 { x.ln_1p() / self.k } else { vm * (t - tb) }
    }

    /// Farthest reach (m): the distance at the maximum flight time, capped at the maximum range.
    pub fn max_reach_m(&self) -> f64 {
        self.distance_at(self.params.max_flight_time_s).min(self.params.max_range_m)
    }

    /// Time (s) to fly `distance_m`; `None` beyond [`Self::max_reach_m`] or for bad input.
    pub fn time_to_distance(&self, distance_m: f64) -> Option<f64> {
        if distance_m.is_nan() || distance_m < 0.0 || distance_m > self.max_reach_m() {
            return None;
        }
        let (vm, tb) = (self.params.max_speed_mps, self.params.burn_time_s);
        let sb = vm * tb / 2.0;
        if distance_m <= sb {
            return Some((2.0 * tb * distance_m / vm).sqrt());
        }
        let ds = distance_m - sb;
        let kd = self.k * ds;
        Some(tb + if kd > 1e-12 { kd.exp_m1() / (self.k * vm) } else { ds / vm })
    }

    /// Average speed (m/s) over a fly-out of `distance_m`, for intercept planning.
    pub fn average_speed(&self, distance_m: f64) -> Option<f64> {
        let t = self.time_to_distance(distance_m)?;
        if t > 0.0 { Some(distance_m / t) } else { Some(self.params.max_speed_mps / 2.0) }
    }

    /// Predicted intercept point and time for a constant-velocity target, using the average speed
    /// of the fly-out to that point (fixed-point iteration on the range). `None` out of reach.
    pub fn intercept_point(&self, launcher_ecef: &Vec3, target_pos: &Vec3, target_vel: &Vec3) -> Option<(Vec3, f64)> {
        let mut speed = self.average_speed((target_pos - launcher_ecef).norm().min(self.max_reach_m()))?;
        let mut best = None;
        for _ in 0..30 {
            let (pip, t) = predicted_intercept_point(launcher_ecef, target_pos, target_vel, speed)?;
            let next = self.average_speed((pip - launcher_ecef).norm())?;
            best = Some((pip, t));
            if (next - speed).abs() < 1e-6 * speed {
                break;
            }
            speed = next;
        }
        best
    }
}

/// Where a missile flying straight from `launcher_ecef` at constant `avg_speed_mps` meets a
/// constant-velocity target: the smallest t ≥ 0 with |p + v t − L| = s t, i.e. the root of
/// (|v|² − s²)t² + 2(d·v)t + |d|² = 0, d = p − L. Returns the point and t (s); `None` when there
/// is no non-negative root or the input is not finite or the speed not positive.
pub fn predicted_intercept_point(
    launcher_ecef: &Vec3,
    target_pos: &Vec3,
    target_vel: &Vec3,
    avg_speed_mps: f64,
) -> Option<(Vec3, f64)> {
    let finite = finite_vec(launcher_ecef) && finite_vec(target_pos) && finite_vec(target_vel);
    if !finite || avg_speed_mps.is_nan() || avg_speed_mps <= 0.0 || avg_speed_mps.is_infinite() {
        return None;
    }
    let t = bulwark_core::kinematics::intercept_time(&(target_pos - launcher_ecef), target_vel, avg_speed_mps)?;
    let p = target_pos + target_vel * t;
    if finite_vec(&p) && t.is_finite() { Some((p, t)) } else { None }
}

/// Closest approach during one step of linear relative motion from `rel_start` to `rel_end`
/// (target minus interceptor, m): minimises |r₀ + s(r₁ − r₀)| over s ∈ [0, 1]. Returns
/// (s, miss distance m).
pub fn closest_approach(rel_start: &Vec3, rel_end: &Vec3) -> (f64, f64) {
    let dr = rel_end - rel_start;
    let dd = dr.norm_squared();
    let s = if dd > 0.0 && dd.is_finite() { (-rel_start.dot(&dr) / dd).clamp(0.0, 1.0) } else { 0.0 };
    let s = if s.is_finite() { s } else { 0.0 };
    (s, (rel_start + dr * s).norm())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::guidance::ProportionalNavigation;

    fn params() -> InterceptorParams {
        InterceptorParams {
            max_speed_mps: 1_500.0,
            burn_time_s: 8.0,
            beta_kg_m2: 15_000.0,
            max_lateral_accel_mps2: 300.0,
            max_flight_time_s: 80.0,
            max_range_m: 120_000.0,
            lateral_q_ref_pa: None,
        }
    }

    fn site() -> Geodetic {
        Geodetic::from_degrees(50.0, 30.0, 200.0)
    }

    /// A constant-velocity crossing target 5 km up, 25 km north of the site, flying east.
    fn crossing_target(t: f64) -> KinematicState {
        let f = EnuFrame::new(site());
        let p0 = f.to_ecef(&Vec3::new(-8_000.0, 25_000.0, 5_000.0));
        let v = f.vec_to_ecef(&Vec3::new(250.0, 0.0, 0.0));
        KinematicState::new(p0 + v * t, v)
    }

    /// Flies one engagement with exact target states, launched `heading_error_deg` to the right of
    /// the predicted intercept point; returns the closest approach (m).
    fn engage(params: InterceptorParams, n_prime: f64, dt: f64, heading_error_deg: f64) -> f64 {
        let flyout = Flyout::new(params, 3_000.0).unwrap();
        let t0 = crossing_target(0.0);
        let (pip, _) = flyout.intercept_point(&site().to_ecef(), &t0.pos, &t0.vel).unwrap();
        let up = nalgebra::Unit::new_normalize(EnuFrame::new(site()).vec_to_ecef(&Vec3::new(0.0, 0.0, 1.0)));
        let turn = nalgebra::Rotation3::from_axis_angle(&up, -heading_error_deg.to_radians());
        let dir = turn * launch_direction(&site(), &pip, 5f64.to_radians());
        let law = Box::new(ProportionalNavigation::new(n_prime).unwrap());
        let mut m = Interceptor::launch(site(), dir, params, law).unwrap();
        let mut best = f64::INFINITY;
        let mut t = 0.0;
        while m.status() == InterceptorStatus::Flying {
            let tgt = crossing_target(t);
            let rel0 = tgt.pos - m.position_ecef();
            m.step(dt, Some(&tgt));
            t += dt;
            let rel1 = crossing_target(t).pos - m.position_ecef();
            best = best.min(closest_approach(&rel0, &rel1).1);
            if rel1.norm() > rel0.norm() && best < 5_000.0 {
                break; // opening after passing the target
            }
        }
        best
    }

    #[test]
    fn pn_hits_a_crossing_target_within_a_few_metres() {
        for (dt, he) in [(0.05, 0.0), (0.1, 0.0), (0.1, 10.0), (0.1, -10.0)] {
            let miss = engage(params(), 4.0, dt, he);
            assert!(miss < 3.0, "dt {dt}, heading error {he}°: miss {miss} m");
        }
    }

    #[test]
    fn miss_grows_with_low_navigation_ratio_or_tiny_accel_limit() {
        // With a 20° heading error: below N′ = 2 the command grows as (1 − t/t_F)^(N′−2)
        // (Zarchan ch. 2), saturates near the end and the miss grows; at N′ ≥ 2 it stays sub-metre.
        let misses: Vec<f64> = [4.0, 3.0, 2.0, 1.5, 1.0].iter().map(|&n| engage(params(), n, 0.1, 20.0)).collect();
        assert!(misses[..3].iter().all(|&m| m < 1.0), "{misses:?}");
        assert!(misses[3] > 10.0 && misses[4] > 10.0 * misses[3], "{misses:?}");
        // A 0.5 m/s² airframe cannot take out a 10° heading error.
        let good = engage(params(), 4.0, 0.1, 10.0);
        let weak = engage(InterceptorParams { max_lateral_accel_mps2: 0.5, ..params() }, 4.0, 0.1, 10.0);
        assert!(weak > 100.0 && weak > 1_000.0 * good, "0.5 m/s² miss {weak} vs {good}");
    }

    /// Test-only law: holds altitude (gravity is compensated by the interceptor) by commanding the
    /// centripetal term of level flight round the earth, with a PD loop on altitude.
    #[derive(Debug)]
    struct HoldAltitude(f64);
    impl GuidanceLaw for HoldAltitude {
        fn command(&self, own: &KinematicState, _t: &KinematicState) -> Vec3 {
            let g = Geodetic::from_ecef(&own.pos);
            let f = EnuFrame::new(g);
            let v = f.vec_to_enu(&own.vel);
            let r = own.pos.norm();
            let up = -v.x.hypot(v.y).powi(2) / r + 0.05 * (self.0 - g.alt_m) - 0.5 * v.z;
            f.vec_to_ecef(&Vec3::new(0.0, 0.0, up))
        }
    }

    #[test]
    fn level_flyout_matches_the_closed_form_reach() {
        // Catalog max range: level flight at 10 km. The 3-DOF model (held level by the test law)
        // must fly the closed-form distance of `Flyout`: burn V_max t_b/2 then ln(1 + kV_b τ)/k.
        // Tolerance 1 %: gravity-turn and earth-rotation terms the closed form leaves out.
        let p = InterceptorParams { max_range_m: 1.0e6, ..params() };
        let start = Geodetic::from_degrees(50.0, 30.0, 10_000.0);
        let east = EnuFrame::new(start).vec_to_ecef(&Vec3::new(1.0, 0.0, 0.0));
        let mut m =
            Interceptor::launch(start, east, p, Box::new(HoldAltitude(10_000.0))).unwrap().with_ground_alt_m(0.0);
        let dummy = KinematicState::new(Vec3::zeros(), Vec3::zeros());
        let mut path = 0.0;
        while m.status() == InterceptorStatus::Flying {
            let r0 = m.position_ecef();
            m.step(0.1, Some(&dummy));
            path += (m.position_ecef() - r0).norm();
        }
        assert_eq!(m.status(), InterceptorStatus::SelfDestruct(SelfDestructReason::MaxFlightTime));
        assert!((m.geodetic().alt_m - 10_000.0).abs() < 50.0);
        let flyout = Flyout::new(p, 10_000.0).unwrap();
        let expect = flyout.distance_at(p.max_flight_time_s);
        // Independent hand check of the closed form: ρ(10 km) = 0.41351 kg/m³ (1976 table).
        let k = 0.41351 / (2.0 * p.beta_kg_m2);
        let hand = 1_500.0 * 8.0 / 2.0 + (1.0 + k * 1_500.0 * 72.0).ln() / k;
        assert!((expect / hand - 1.0).abs() < 1e-4, "{expect} vs {hand}");
        assert!((path / expect - 1.0).abs() < 0.01, "3-DOF {path} m vs closed form {expect} m");
        // Burnout speed equals V_max despite drag (speed-programmed thrust).
        let mut b = Interceptor::launch(start, east, p, Box::new(HoldAltitude(10_000.0))).unwrap();
        for _ in 0..80 {
            b.step(0.1, Some(&dummy));
        }
        assert!((b.velocity_ecef().norm() / 1_500.0 - 1.0).abs() < 1e-3, "{}", b.velocity_ecef().norm());
    }

    #[test]
    fn airframe_burn_in_vacuum_follows_the_rocket_equation() {
        // Oracle: Tsiolkovsky, ΔV = I_sp·g₀·ln(m₀/m_bo), less the gravity loss of a vertical climb
        // at the pole (gravity along the axis, no rotation, no drag): V_bo lies between
        // ΔV − g(r₀)·t_b and ΔV − g(r_bo)·t_b for point-mass gravity g = GM/r² (a 0.1 m/s window).
        use crate::{Aero, Motor};
        let motor = Motor::new(100_000.0, 3.0, 25_000.0, 7.0, 250.0, 900.0).unwrap();
        let af = Airframe { motor, aero: Aero::new(0.05, 0.5, 300.0).unwrap(), thrust_vector_max_rad: 0.0 };
        let pole = Geodetic::from_degrees(90.0, 0.0, 0.0);
        let up = pole.to_ecef().normalize();
        let law = Box::new(ProportionalNavigation { n_prime: 4.0 });
        let mut m = Interceptor::launch(pole, up, params(), law).unwrap().with_airframe(af);
        m.dynamics = Dynamics { gravity: dynamics::GravityModel::Spherical, rotation: false, drag: false };
        let r0 = m.position_ecef().norm();
        for _ in 0..100 {
            m.step(0.1, None);
        }
        let (v, r1) = (m.velocity_ecef().norm(), m.position_ecef().norm());
        let g = |r: f64| bulwark_geo::WGS84_GM / (r * r);
        let dv = motor.ideal_delta_v_mps();
        assert!(v > dv - g(r0) * 10.0 - 1e-6 && v < dv - g(r1) * 10.0 + 1e-6, "{v} vs {dv}");
        assert!((m.mass_kg().unwrap() - motor.burnout_mass_kg()).abs() < 1e-9);
    }

    #[test]
    fn flyout_inverse_and_average_speed_are_consistent() {
        let f = Flyout::new(params(), 10_000.0).unwrap();
        for d in [100.0, 6_000.0, 20_000.0, 40_000.0] {
            let t = f.time_to_distance(d).unwrap();
            assert!((f.distance_at(t) - d).abs() < 1e-6 * d.max(1.0));
            assert!((f.average_speed(d).unwrap() - d / t).abs() < 1e-9);
        }
        assert!(f.time_to_distance(f.max_reach_m() * 1.01).is_none());
        assert!(f.time_to_distance(f64::NAN).is_none());
        assert!(f.speed_at(params().burn_time_s) == 1_500.0 && f.speed_at(1e9) < 1.0);
    }

    #[test]
    fn predicted_intercept_point_solves_the_quadratic() {
        let l = Vec3::new(0.0, 0.0, 0.0);
        let p = Vec3::new(20_000.0, 5_000.0, 3_000.0);
        let v = Vec3::new(-200.0, 50.0, 0.0);
        let (pip, t) = predicted_intercept_point(&l, &p, &v, 800.0).unwrap();
        assert!(((pip - l).norm() - 800.0 * t).abs() < 1e-6);
        assert!((pip - (p + v * t)).norm() < 1e-9);
        // Receding faster than the missile: no solution. Equal speeds head-on: linear case.
        assert!(predicted_intercept_point(&l, &p, &(p.normalize() * 900.0), 800.0).is_none());
        let (_, t_eq) = predicted_intercept_point(&l, &p, &(-p.normalize() * 800.0), 800.0).unwrap();
        assert!((t_eq - p.norm() / 1_600.0).abs() < 1e-9);
        assert_eq!(predicted_intercept_point(&l, &l, &v, 800.0), Some((l, 0.0)));
        assert!(predicted_intercept_point(&l, &p, &v, 0.0).is_none());
        assert!(predicted_intercept_point(&l, &p, &Vec3::new(f64::NAN, 0.0, 0.0), 800.0).is_none());
    }

    #[test]
    fn closest_approach_between_steps() {
        let (s, d) = closest_approach(&Vec3::new(-100.0, 3.0, 0.0), &Vec3::new(100.0, 3.0, 0.0));
        assert!((s - 0.5).abs() < 1e-12 && (d - 3.0).abs() < 1e-12);
        let (s, d) = closest_approach(&Vec3::new(10.0, 0.0, 0.0), &Vec3::new(20.0, 0.0, 0.0));
        assert_eq!((s, d), (0.0, 10.0));
        let (s, d) = closest_approach(&Vec3::new(1.0, 2.0, 2.0), &Vec3::new(1.0, 2.0, 2.0));
        assert_eq!((s, d), (0.0, 3.0));
    }

    #[test]
    fn self_destructs_and_rejects_bad_parameters() {
        let up = launch_direction(&site(), &site().to_ecef(), 0.0);
        assert!((up - EnuFrame::new(site()).vec_to_ecef(&Vec3::new(0.0, 0.0, 1.0))).norm() < 1e-12);
        let long = InterceptorParams { max_flight_time_s: 1_000.0, ..params() };
        let mut m = Interceptor::launch(site(), up, long, Box::new(ProportionalNavigation { n_prime: 4.0 })).unwrap();
        let mut n = 0;
        while m.status() == InterceptorStatus::Flying && n < 10_000 {
            m.step(0.1, None);
            n += 1;
            assert!(finite_vec(&m.position_ecef()) && finite_vec(&m.velocity_ecef()));
        }
        assert_eq!(m.status(), InterceptorStatus::SelfDestruct(SelfDestructReason::MaxRange));
        let down = -up;
        let mut g =
            Interceptor::launch(site(), down, params(), Box::new(ProportionalNavigation { n_prime: 4.0 })).unwrap();
        for _ in 0..100 {
            g.step(0.1, None);
        }
        assert_eq!(g.status(), InterceptorStatus::SelfDestruct(SelfDestructReason::BelowGround));
        let law = || Box::new(ProportionalNavigation { n_prime: 4.0 });
        for bad in [
            InterceptorParams { max_speed_mps: 0.0, ..params() },
            InterceptorParams { burn_time_s: f64::NAN, ..params() },
            InterceptorParams { beta_kg_m2: -1.0, ..params() },
            InterceptorParams { max_lateral_accel_mps2: f64::INFINITY, ..params() },
            InterceptorParams { lateral_q_ref_pa: Some(0.0), ..params() },
        ] {
            assert!(Interceptor::launch(site(), up, bad, law()).is_err());
        }
        assert!(Interceptor::launch(site(), Vec3::zeros(), params(), law()).is_err());
    }

    #[test]
    fn lateral_limit_scales_with_dynamic_pressure() {
        let q_ref = 0.5 * 1.225 * 1_500.0f64.powi(2);
        let p = InterceptorParams { lateral_q_ref_pa: Some(q_ref), ..params() };
        let up = launch_direction(&site(), &site().to_ecef(), 0.0);
        let mut m = Interceptor::launch(site(), up, p, Box::new(ProportionalNavigation { n_prime: 4.0 })).unwrap();
        assert_eq!(m.lateral_limit_mps2(), 0.0, "no dynamic pressure at rest");
        for _ in 0..80 {
            m.step(0.1, None);
        }
        let g = m.geodetic();
        let q = 0.5 * crate::atmosphere::density_kg_m3(g.alt_m) * m.velocity_ecef().norm_squared();
        assert!((m.lateral_limit_mps2() - 300.0 * q / q_ref).abs() < 1e-9);
        assert!(m.lateral_limit_mps2() < 300.0);
    }
}
