//! Zarchan's linearised proportional-navigation homing loop, for validating the guidance chain.
//!
//! Zarchan, *Tactical and Strategic Missile Guidance*, 6th ed., AIAA 2012, ch. 2–3: relative
//! separation y normal to the initial line of sight, closing speed V_c constant, t_go = t_F − t,
//! λ = y/(V_c·t_go), PN command n_c = N′V_c·λ̇ = N′(y + ẏ·t_go)/t_go², achieved acceleration n_L
//! through a single time constant T (n_L = n_c/(1 + sT)), and
//! ÿ = n_T − n_L. A heading error HE enters as ẏ(0) = −V_M·HE; a target step manoeuvre as a
//! constant n_T. The miss is y(t_F). V_c cancels from these equations.
//!
//! - [`LinearEngagement::forward_miss`]: one forward simulation per flight time (RK4).
//! - [`LinearEngagement::adjoint`]: Zarchan ch. 3's method of adjoints: integrating ż = Aᵀ(τ)z
//!   once in τ = t_go from z(0) = e_y gives the miss for *every* flight time, miss(t_F) = z(t_F)·x(0).
//!   Since A depends only on t_go, z_nT(θ)·n_T is also the miss of a step that starts θ s before
//!   intercept.
//!
//! **Closed form** (the test oracle): the adjoint Laplace solution of the single-lag PN loop
//! (Zarchan ch. 6; Alpert, "Miss distance analysis in a proportional navigation guidance system",
//! J. Guidance 1988), miss transforms (sT/(1 + sT))^{N′}·(−V_M·HE/s²) and (…)^{N′}·n_T/s³, invert
//! for integer N′ to generalised Laguerre polynomials, x = t_F/T:
//! miss_HE/(−V_M·HE·T) = x·e^{−x}·L_{N′−2}^{(1)}(x)/(N′ − 1), e.g. N′ = 3: x e^{−x}(1 − x/2);
//! N′ = 4: x e^{−x}(1 − x + x²/6). miss_nT/(n_T T²) for N′ = 3: ½x²e^{−x}; N′ = 4: x²e^{−x}(½ − x/6).
use crate::{MotionError, check};

/// The single-time-constant PN homing loop.
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct LinearEngagement {
    /// Effective navigation ratio N′, > 0.
    pub n_prime: f64,
    /// Guidance time constant T (s), ≥ 0 (0: no lag).
    pub time_constant_s: f64,
}

/// One point of the adjoint solution.
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct AdjointSample {
    /// Flight time t_F (s), or time before intercept of a manoeuvre's onset.
    pub t_f_s: f64,
    /// Miss per unit initial lateral velocity ẏ(0) (m per m/s): multiply by −V_M·HE.
    pub miss_per_lateral_velocity_s: f64,
    /// Miss per unit target step acceleration (m per m/s²).
    pub miss_per_target_accel_s2: f64,
}

impl LinearEngagement {
    pub fn new(n_prime: f64, time_constant_s: f64) -> Result<Self, MotionError> {
        check("n_prime", n_prime, n_prime > 0.0, "> 0")?;
        check("time_constant_s", time_constant_s, time_constant_s >= 0.0, ">= 0")?;
        Ok(LinearEngagement { n_prime, time_constant_s })
    }

    /// ẋ for x = [y, ẏ, n_L] at `t_go` with target acceleration `n_t`.
    fn rhs(&self, x: [f64; 3], t_go: f64, n_t: f64) -> [f64; 3] {
        let n_c = self.n_prime * (x[0] + x[1] * t_go) / (t_go * t_go);
        if self.time_constant_s > 0.0 {
            [x[1], n_t - x[2], (n_c - x[2]) / self.time_constant_s]
        } else {
            [x[1], n_t - n_c, 0.0]
        }
    }

    /// Miss (m) of one forward simulation of flight time `t_f_s` (s) from ẏ(0) = `y_dot0_mps`,
    /// with a target step `n_t_mps2` from the start; RK4 with step `h_s` to t_F − h, then the last
    /// step by the straight line (the command is singular at t_go = 0). `None` for bad input.
    pub fn forward_miss(&self, t_f_s: f64, y_dot0_mps: f64, n_t_mps2: f64, h_s: f64) -> Option<f64> {
        let ok = t_f_s.is_finite() && t_f_s > 0.0 && h_s.is_finite() && h_s > 0.0 && h_s < t_f_s;
        if !ok || !y_dot0_mps.is_finite() || !n_t_mps2.is_finite() {
            return None;
        }
        let n = (t_f_s / h_s).round().max(2.0) as usize;
        let h = t_f_s / n as f64;
        let mut x = [0.0, y_dot0_mps, 0.0];
        let add = |a: [f64; 3], b: [f64; 3], k: f64| [a[0] + k * b[0], a[1] + k * b[1], a[2] + k * b[2]];
        for i in 0..n - 1 {
            let tg = t_f_s - i as f64 * h;
            let k1 = self.rhs(x, tg, n_t_mps2);
            let k2 = self.rhs(add(x, k1, h / 2.0), tg - h / 2.0, n_t_mps2);
            let k3 = self.rhs(add(x, k2, h / 2.0), tg - h / 2.0, n_t_mps2);
            let k4 = self.rhs(add(x, k3, h), tg - h, n_t_mps2);
            for j in 0..3 {
                x[j] += h / 6.0 * (k1[j] + 2.0 * k2[j] + 2.0 * k3[j] + k4[j]);
            }
        }
        let miss = x[0] + x[1] * h + 0.5 * (n_t_mps2 - x[2]) * h * h * f64::from(self.time_constant_s > 0.0);
        miss.is_finite().then_some(miss)
    }

    /// The adjoint solution for flight times up to `t_max_s`, step `h_s` (one sample per step).
    /// Needs a lag (T > 0); `None` for bad input or T = 0.
    pub fn adjoint(&self, t_max_s: f64, h_s: f64) -> Option<Vec<AdjointSample>> {
        let tc = self.time_constant_s;
        let ok = t_max_s.is_finite() && t_max_s > 0.0 && h_s.is_finite() && h_s > 0.0 && h_s < t_max_s;
        if !ok || tc <= 0.0 {
            return None;
        }
        let np = self.n_prime;
        // z = [z_y, z_ẏ, z_nL, z_nT]; ż = Aᵀ(τ) z.
        let rhs = |z: [f64; 4], tau: f64| -> [f64; 4] {
            [np / (tc * tau * tau) * z[2], z[0] + np / (tc * tau) * z[2], -z[1] - z[2] / tc, z[1]]
        };
        // Start just after τ = 0 on the series z ≈ [1 − N′τ/(2T), τ − N′τ²/(2T), −τ²/2, τ²/2].
        let t0 = 1e-6 * tc.min(h_s);
        let mut z = [1.0 - np * t0 / (2.0 * tc), t0 - np * t0 * t0 / (2.0 * tc), -t0 * t0 / 2.0, t0 * t0 / 2.0];
        let add =
            |a: [f64; 4], b: [f64; 4], k: f64| [a[0] + k * b[0], a[1] + k * b[1], a[2] + k * b[2], a[3] + k * b[3]];
        let n = (t_max_s / h_s).ceil() as usize;
        let mut out = Vec::with_capacity(n);
        let mut tau = t0;
        for i in 1..=n {
            let target = i as f64 * h_s;
            let h = target - tau;
            let k1 = rhs(z, tau);
            let k2 = rhs(add(z, k1, h / 2.0), tau + h / 2.0);
            let k3 = rhs(add(z, k2, h / 2.0), tau + h / 2.0);
            let k4 = rhs(add(z, k3, h), tau + h);
            for j in 0..4 {
                z[j] += h / 6.0 * (k1[j] + 2.0 * k2[j] + 2.0 * k3[j] + k4[j]);
            }
            tau = target;
            out.push(AdjointSample { t_f_s: tau, miss_per_lateral_velocity_s: z[1], miss_per_target_accel_s2: z[3] });
        }
        out.iter()
            .all(|s| s.miss_per_lateral_velocity_s.is_finite() && s.miss_per_target_accel_s2.is_finite())
            .then_some(out)
    }
}
