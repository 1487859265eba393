//! Solid-rocket boost–sustain motor: thrust and mass against time.
//!
//! Two phases of constant thrust, boost T_b for t_1 then sustain T_s for t_2, at one specific
//! impulse: ṁ = T/(I_sp·g₀), the mass falls linearly in each phase from the launch mass m₀ to the
//! burnout mass m_bo = m₀ − m_p (Sutton & Biblarz, *Rocket Propulsion Elements*, 9th ed., 2017,
//! eqs. 2-5 and 4-6). In vacuum without gravity the ideal speed gain is the rocket equation
//! ΔV = I_sp·g₀·ln(m₀/m_bo) (Sutton eq. 4-7), our validation oracle.
//!
//! **From the catalog** ([`Motor::from_catalog`]): the catalog gives burnout speed V_bo, burn time
//! t_b and launch mass m₀ but no motor. We assume a notional tactical boost–sustain motor
//! (Fleeman, *Tactical Missile Design*, 2nd ed., 2006, ch. 4: boost–sustain grains; I_sp of a
//! composite solid propellant ≈ 250 s): boost for [`BOOST_FRACTION`] of t_b at [`BOOST_SUSTAIN_RATIO`]
//! times the sustain thrust. The propellant mass is then found by bisection so that a reference
//! burn — straight flight at [`REFERENCE_ELEVATION_RAD`] from sea level, with the notional C_D(M)
//! drag of [`crate::aero`] and flat-earth gravity — ends at V_bo. That keeps the catalog and the
//! engine unchanged while thrust, mass and drag become physical.
use crate::aero::Aero;
use crate::{MotionError, check};
use bulwark_geo::G0;

/// Assumed specific impulse of a composite solid propellant (s) (Fleeman ch. 4, ≈ 250 s).
pub const DEFAULT_ISP_S: f64 = 250.0;
/// Assumed share of the burn time spent in boost.
pub const BOOST_FRACTION: f64 = 0.3;
/// Assumed boost-to-sustain thrust ratio.
pub const BOOST_SUSTAIN_RATIO: f64 = 4.0;
/// Flight-path elevation of the reference burn that sizes the propellant (rad), 45°.
pub const REFERENCE_ELEVATION_RAD: f64 = std::f64::consts::FRAC_PI_4;

/// A two-phase motor.
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct Motor {
    /// Boost thrust (N) and duration (s).
    pub boost_thrust_n: f64,
    pub boost_time_s: f64,
    /// Sustain thrust (N) and duration (s); zero duration for a single-phase motor.
    pub sustain_thrust_n: f64,
    pub sustain_time_s: f64,
    /// Specific impulse (s).
    pub isp_s: f64,
    /// Launch mass (kg).
    pub launch_mass_kg: f64,
}

impl Motor {
    /// Validates the phases and that the propellant they burn is less than the launch mass.
    pub fn new(
        boost_thrust_n: f64,
        boost_time_s: f64,
        sustain_thrust_n: f64,
        sustain_time_s: f64,
        isp_s: f64,
        launch_mass_kg: f64,
    ) -> Result<Self, MotionError> {
        check("boost_thrust_n", boost_thrust_n, boost_thrust_n > 0.0, "> 0")?;
        check("boost_time_s", boost_time_s, boost_time_s > 0.0, "> 0")?;
        check("sustain_thrust_n", sustain_thrust_n, sustain_thrust_n >= 0.0, ">= 0")?;
        check("sustain_time_s", sustain_time_s, sustain_time_s >= 0.0, ">= 0")?;
        check("isp_s", isp_s, isp_s > 0.0, "> 0")?;
        check("launch_mass_kg", launch_mass_kg, launch_mass_kg > 0.0, "> 0")?;
        let m = Motor { boost_thrust_n, boost_time_s, sustain_thrust_n, sustain_time_s, isp_s, launch_mass_kg };
        let mp = m.propellant_mass_kg();
        check("propellant mass (kg)", mp, mp < 0.98 * launch_mass_kg, "below 98 % of the launch mass")?;
        Ok(m)
    }

    /// Propellant burnt (kg): Σ T·t/(I_sp g₀).
    pub fn propellant_mass_kg(&self) -> f64 {
        (self.boost_thrust_n * self.boost_time_s + self.sustain_thrust_n * self.sustain_time_s) / (self.isp_s * G0)
    }
    pub fn burnout_mass_kg(&self) -> f64 {
        self.launch_mass_kg - self.propellant_mass_kg()
    }
    pub fn burn_time_s(&self) -> f64 {
        self.boost_time_s + self.sustain_time_s
    }
    /// Thrust (N) at `t_s` after ignition.
    pub fn thrust_n(&self, t_s: f64) -> f64 {
        if t_s.is_nan() || t_s < 0.0 {
            0.0
        } else if t_s < self.boost_time_s {
            self.boost_thrust_n
        } else if t_s < self.burn_time_s() {
            self.sustain_thrust_n
        } else {
            0.0
        }
    }
    /// Mass (kg) at `t_s` after ignition.
    pub fn mass_kg(&self, t_s: f64) -> f64 {
        let t = if t_s.is_nan() { 0.0 } else { t_s.max(0.0) };
        let k = self.isp_s * G0;
        let tb = t.min(self.boost_time_s);
        let ts = (t - self.boost_time_s).clamp(0.0, self.sustain_time_s);
        self.launch_mass_kg - (self.boost_thrust_n * tb + self.sustain_thrust_n * ts) / k
    }
    /// Ideal speed gain I_sp·g₀·ln(m₀/m_bo) (m/s).
    pub fn ideal_delta_v_mps(&self) -> f64 {
        self.isp_s * G0 * (self.launch_mass_kg / self.burnout_mass_kg()).ln()
    }

    /// The notional boost–sustain motor and aerodynamics of a catalog interceptor (see the module
    /// doc): burnout speed `v_bo`, burn time `t_b`, launch mass `m0`, coast β and structural lateral
    /// limit. Fails when no propellant load below 95 % of the launch mass reaches `v_bo`.
    pub fn from_catalog(
        v_bo_mps: f64,
        t_b_s: f64,
        m0_kg: f64,
        beta_kg_m2: f64,
        max_lateral_mps2: f64,
    ) -> Result<(Motor, Aero), MotionError> {
        // A pure function of its five inputs, solved by 60 bisections of a 2,000-step burn:
        // kept per process for each distinct input (bit patterns), so the units, runs and
        // systems of one process that carry the same interceptor solve it once.
        let key = [v_bo_mps, t_b_s, m0_kg, beta_kg_m2, max_lateral_mps2].map(f64::to_bits);
        let map = solved_motors();
        if let Some(hit) = map.lock().unwrap_or_else(|e| e.into_inner()).get(&key) {
            return hit.clone();
        }
        let solved = Self::solve_from_catalog(v_bo_mps, t_b_s, m0_kg, beta_kg_m2, max_lateral_mps2);
        map.lock().unwrap_or_else(|e| e.into_inner()).insert(key, solved.clone());
        solved
    }

    /// The catalog motors this process solved or was given ([`Motor::remember_catalog`]): the bits
    /// of the five inputs of [`Motor::from_catalog`] and its solution, for a cache that keeps them
    /// between processes (the solve is about 0.4 × 10⁹ instructions for three types).
    pub fn solved_catalog() -> Vec<([u64; 5], Motor, Aero)> {
        let map = solved_motors().lock().unwrap_or_else(|e| e.into_inner());
        map.iter().filter_map(|(k, v)| v.as_ref().ok().map(|(m, a)| (*k, *m, *a))).collect()
    }

    /// Gives [`Motor::from_catalog`] the solution for inputs with bits `key`, as a cache read it
    /// back bit for bit from an earlier [`Motor::solved_catalog`] of the same code: calls with
    /// those inputs return it without solving. An input already solved keeps its solution.
    pub fn remember_catalog(key: [u64; 5], motor: Motor, aero: Aero) {
        solved_motors().lock().unwrap_or_else(|e| e.into_inner()).entry(key).or_insert(Ok((motor, aero)));
    }

    fn solve_from_catalog(
        v_bo_mps: f64,
        t_b_s: f64,
        m0_kg: f64,
        beta_kg_m2: f64,
        max_lateral_mps2: f64,
    ) -> Result<(Motor, Aero), MotionError> {
        check("burnout speed", v_bo_mps, v_bo_mps > 0.0, "> 0")?;
        check("burn time", t_b_s, t_b_s > 0.0, "> 0")?;
        check("launch mass", m0_kg, m0_kg > 0.0, "> 0")?;
        check("beta", beta_kg_m2, beta_kg_m2 > 0.0, "> 0")?;
        let build = |frac: f64| -> Result<(Motor, Aero), MotionError> {
            let mp = frac * m0_kg;
            let (t1, t2) = (BOOST_FRACTION * t_b_s, (1.0 - BOOST_FRACTION) * t_b_s);
            // mp·I_sp·g₀ = T_s·(R·t1 + t2)
            let ts = mp * DEFAULT_ISP_S * G0 / (BOOST_SUSTAIN_RATIO * t1 + t2);
            let motor = Motor::new(BOOST_SUSTAIN_RATIO * ts, t1, ts, t2, DEFAULT_ISP_S, m0_kg)?;
            let aero = Aero::from_catalog(motor.burnout_mass_kg(), beta_kg_m2, v_bo_mps, max_lateral_mps2)?;
            Ok((motor, aero))
        };
        let (mut lo, mut hi) = (0.01, 0.95);
        let (m, a) = build(hi)?;
        if reference_burnout_speed(&m, &a) < v_bo_mps {
            return Err(MotionError::InvalidParameter {
                name: "burnout speed",
                reason: format!("{v_bo_mps} m/s is beyond a 95 % propellant fraction at I_sp {DEFAULT_ISP_S} s"),
            });
        }
        for _ in 0..60 {
            let mid = 0.5 * (lo + hi);
            let (m, a) = build(mid)?;
            if reference_burnout_speed(&m, &a) < v_bo_mps {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        build(hi)
    }
}

/// The memo of [`Motor::from_catalog`], per process: input bits → solution.
type SolvedMotors = std::sync::Mutex<std::collections::BTreeMap<[u64; 5], Result<(Motor, Aero), MotionError>>>;

fn solved_motors() -> &'static SolvedMotors {
    static SOLVED: std::sync::OnceLock<SolvedMotors> = std::sync::OnceLock::new();
    SOLVED.get_or_init(Default::default)
}

/// Speed at burnout (m/s) of the reference burn: straight flight at [`REFERENCE_ELEVATION_RAD`]
/// from sea level, dV/dt = (T − D)/m − g₀ sin γ, RK4 with 2 000 steps.
pub fn reference_burnout_speed(motor: &Motor, aero: &Aero) -> f64 {
    let sin_g = REFERENCE_ELEVATION_RAD.sin();
    let f = |t: f64, v: f64, h: f64| -> (f64, f64) {
        let d = aero.drag_n(v, h);
        ((motor.thrust_n(t) - d) / motor.mass_kg(t) - G0 * sin_g, v * sin_g)
    };
    // Integrate each phase separately so no step straddles the thrust change.
    let (mut v, mut h, mut t) = (0.0_f64, 0.0_f64, 0.0_f64);
    for (dur, n) in [(motor.boost_time_s, 1_000), (motor.sustain_time_s, 1_000)] {
        if dur <= 0.0 {
            continue;
        }
        let dt = dur / n as f64;
        let eps = 1e-9 * dt;
        for _ in 0..n {
            let (a1, h1) = f(t + eps, v, h);
            let (a2, h2) = f(t + dt / 2.0, v + a1 * dt / 2.0, h + h1 * dt / 2.0);
            let (a3, h3) = f(t + dt / 2.0, v + a2 * dt / 2.0, h + h2 * dt / 2.0);
            let (a4, h4) = f(t + dt - eps, v + a3 * dt, h + h3 * dt);
            v = (v + dt / 6.0 * (a1 + 2.0 * a2 + 2.0 * a3 + a4)).max(0.0);
            h += dt / 6.0 * (h1 + 2.0 * h2 + 2.0 * h3 + h4);
            t += dt;
        }
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mass_and_thrust_profile() {
        let m = Motor::new(40_000.0, 3.0, 10_000.0, 7.0, 250.0, 400.0).unwrap();
        let k = 250.0 * G0;
        assert!((m.propellant_mass_kg() - (120_000.0 + 70_000.0) / k).abs() < 1e-9);
        assert!((m.mass_kg(3.0) - (400.0 - 120_000.0 / k)).abs() < 1e-9);
        assert!((m.mass_kg(1e9) - m.burnout_mass_kg()).abs() < 1e-9 && m.mass_kg(-1.0) == 400.0);
        assert_eq!(
            (m.thrust_n(1.0), m.thrust_n(5.0), m.thrust_n(10.0), m.thrust_n(f64::NAN)),
            (40_000.0, 10_000.0, 0.0, 0.0)
        );
        assert!(Motor::new(1e7, 10.0, 0.0, 0.0, 250.0, 400.0).is_err(), "more propellant than mass");
        assert!(Motor::new(1.0, 1.0, -1.0, 1.0, 250.0, 400.0).is_err());
    }

    #[test]
    fn catalog_motor_reaches_the_catalog_burnout_speed() {
        // 48N6E3-like: 2 km/s after 12 s, 1.8 t, β 20 000 kg/m², 20 g.
        let (m, a) = Motor::from_catalog(2_000.0, 12.0, 1_800.0, 20_000.0, 196.0).unwrap();
        assert!((reference_burnout_speed(&m, &a) / 2_000.0 - 1.0).abs() < 1e-6);
        assert!((m.burn_time_s() - 12.0).abs() < 1e-12);
        // Drag and gravity losses: the ideal ΔV exceeds the burnout speed, by less than half.
        let dv = m.ideal_delta_v_mps();
        assert!(dv > 2_000.0 && dv < 3_000.0, "{dv}");
        assert!(Motor::from_catalog(20_000.0, 12.0, 1_800.0, 20_000.0, 196.0).is_err());
    }
}
