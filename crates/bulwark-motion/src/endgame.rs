//! End game: the true closest approach inside a step and the probability of kill at that miss.
//!
//! **Closest approach**: over one step the relative position (target − interceptor) is taken as
//! linear, r(t) = r₀ + v·t, t ∈ [0, Δt]. |r(t)|² is a quadratic in t with its minimum at
//! t* = −(r₀·v)/|v|², clamped to the step; the miss is |r(t*)|. Catching the minimum between steps
//! matters: at a closing speed of 3 km/s a 0.1 s step moves 300 m, far more than a lethal radius.
//!
//! **Kill functions** Pk(miss), all with a closed-form lethal area A_L = ∫₀^∞ Pk(r)·2πr dr and a
//! closed-form expectation under a circular-normal miss (each axis N(0, σ²), |miss| Rayleigh):
//! - [`CookieCutter`]: Pk = Pk₀ inside the lethal radius R, 0 outside; A_L = Pk₀πR²,
//!   E[Pk] = Pk₀(1 − e^{−R²/(2σ²)}).
//! - [`GaussianKill`]: Pk = Pk₀·exp(−miss²/(2s²)) (the Carleton damage function with
//!   R_L² = 2s²; Driels, *Weaponeering*, 2nd ed., AIAA 2013, ch. 12); A_L = 2πs²Pk₀,
//!   E[Pk] = Pk₀·s²/(s² + σ²).
//! - [`HitToKill`]: a body-to-body hit is needed, miss ≤ r_interceptor + r_target; then the kill
//!   probability given a hit.
use crate::{MotionError, check, finite_vec};
use bulwark_core::Vec3;

/// Closest approach over one step of linear relative motion: relative position `rel_pos` (m) and
/// velocity `rel_vel` (m/s) at the step's start, step `dt_s` (s). Returns (t* s, miss m); t* = 0
/// for zero relative velocity or bad input.
pub fn closest_approach_linear(rel_pos: &Vec3, rel_vel: &Vec3, dt_s: f64) -> (f64, f64) {
    let vv = rel_vel.norm_squared();
    let dt = if dt_s.is_finite() { dt_s.max(0.0) } else { 0.0 };
    let t = if vv > 0.0 && vv.is_finite() && finite_vec(rel_pos) {
        (-rel_pos.dot(rel_vel) / vv).clamp(0.0, dt)
    } else {
        0.0
    };
    let t = if t.is_finite() { t } else { 0.0 };
    (t, (rel_pos + rel_vel * t).norm())
}

/// A kill function: probability of kill given the miss distance.
pub trait KillFunction: std::fmt::Debug + Send + Sync {
    /// Pk at `miss_m` (m), in [0, 1]; 0 for NaN or negative input.
    fn pk(&self, miss_m: f64) -> f64;
    /// Lethal area ∫Pk·2πr dr (m²).
    fn lethal_area_m2(&self) -> f64;
    /// Expected Pk when the miss is circular normal with per-axis σ (m).
    fn expected_pk(&self, sigma_m: f64) -> f64;
}

fn valid_miss(m: f64) -> Option<f64> {
    if m.is_finite() && m >= 0.0 { Some(m) } else { None }
}

fn check_pk(pk: f64) -> Result<f64, MotionError> {
    check("pk", pk, (0.0..=1.0).contains(&pk), "in [0, 1]")
}

/// Pk₀ inside the lethal radius, 0 outside.
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct CookieCutter {
    pub lethal_radius_m: f64,
    pub pk0: f64,
}

impl CookieCutter {
    pub fn new(lethal_radius_m: f64, pk0: f64) -> Result<Self, MotionError> {
        check("lethal_radius_m", lethal_radius_m, lethal_radius_m >= 0.0, ">= 0")?;
        Ok(CookieCutter { lethal_radius_m, pk0: check_pk(pk0)? })
    }
}

impl KillFunction for CookieCutter {
    fn pk(&self, miss_m: f64) -> f64 {
        valid_miss(miss_m).map_or(0.0, |m| if m <= self.lethal_radius_m { self.pk0 } else { 0.0 })
    }
    fn lethal_area_m2(&self) -> f64 {
        self.pk0 * std::f64::consts::PI * self.lethal_radius_m.powi(2)
    }
    fn expected_pk(&self, sigma_m: f64) -> f64 {
        if sigma_m.is_nan() || sigma_m <= 0.0 {
            return self.pk0;
        }
        self.pk0 * -(-self.lethal_radius_m.powi(2) / (2.0 * sigma_m * sigma_m)).exp_m1()
    }
}

/// Pk₀·exp(−miss²/(2s²)).
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct GaussianKill {
    pub sigma_m: f64,
    pub pk0: f64,
}

impl GaussianKill {
    pub fn new(sigma_m: f64, pk0: f64) -> Result<Self, MotionError> {
        check("sigma_m", sigma_m, sigma_m > 0.0, "> 0")?;
        Ok(GaussianKill { sigma_m, pk0: check_pk(pk0)? })
    }
    /// The Carleton function Pk₀·exp(−miss²/R_L²) of lethal radius R_L: s = R_L/√2.
    pub fn carleton(lethal_radius_m: f64, pk0: f64) -> Result<Self, MotionError> {
        GaussianKill::new(lethal_radius_m / std::f64::consts::SQRT_2, pk0)
    }
}

impl KillFunction for GaussianKill {
    fn pk(&self, miss_m: f64) -> f64 {
        valid_miss(miss_m).map_or(0.0, |m| self.pk0 * (-m * m / (2.0 * self.sigma_m.powi(2))).exp())
    }
    fn lethal_area_m2(&self) -> f64 {
        2.0 * std::f64::consts::PI * self.sigma_m.powi(2) * self.pk0
    }
    fn expected_pk(&self, sigma_m: f64) -> f64 {
        let s2 = self.sigma_m.powi(2);
        let m2 = if sigma_m.is_finite() { sigma_m * sigma_m } else { 0.0 };
        self.pk0 * s2 / (s2 + m2)
    }
}

/// Hit-to-kill: a kill needs body contact, miss ≤ interceptor radius + target radius.
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct HitToKill {
    pub interceptor_radius_m: f64,
    pub target_radius_m: f64,
    /// Probability of kill given a hit (the hit point may miss the lethal part of the target).
    pub pk_given_hit: f64,
}

impl HitToKill {
    pub fn new(interceptor_radius_m: f64, target_radius_m: f64, pk_given_hit: f64) -> Result<Self, MotionError> {
        check("interceptor_radius_m", interceptor_radius_m, interceptor_radius_m >= 0.0, ">= 0")?;
        check("target_radius_m", target_radius_m, target_radius_m >= 0.0, ">= 0")?;
        Ok(HitToKill { interceptor_radius_m, target_radius_m, pk_given_hit: check_pk(pk_given_hit)? })
    }
    fn cookie(&self) -> CookieCutter {
        CookieCutter { lethal_radius_m: self.interceptor_radius_m + self.target_radius_m, pk0: self.pk_given_hit }
    }
}

impl KillFunction for HitToKill {
    fn pk(&self, miss_m: f64) -> f64 {
        self.cookie().pk(miss_m)
    }
    fn lethal_area_m2(&self) -> f64 {
        self.cookie().lethal_area_m2()
    }
    fn expected_pk(&self, sigma_m: f64) -> f64 {
        self.cookie().expected_pk(sigma_m)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closest_approach_matches_dense_sampling() {
        // Oracle: brute-force minimum of |r₀ + v t| over 100 001 samples of the step.
        let cases = [
            (Vec3::new(-150.0, 3.0, -1.0), Vec3::new(3_000.0, 0.0, 10.0), 0.1),
            (Vec3::new(400.0, 40.0, 0.0), Vec3::new(-2_000.0, -300.0, 50.0), 0.1),
            (Vec3::new(10.0, 0.0, 0.0), Vec3::new(100.0, 0.0, 0.0), 0.1),
            (Vec3::new(500.0, 0.0, 0.0), Vec3::new(-100.0, 0.0, 0.0), 0.1),
        ];
        for (r, v, dt) in cases {
            let (t, miss) = closest_approach_linear(&r, &v, dt);
            let brute = (0..=100_000).map(|i| (r + v * (dt * i as f64 / 1e5)).norm()).fold(f64::INFINITY, f64::min);
            assert!((miss - brute).abs() < 1e-3 && (0.0..=dt).contains(&t), "{r:?}: {miss} vs {brute}");
        }
        assert_eq!(closest_approach_linear(&Vec3::new(3.0, 4.0, 0.0), &Vec3::zeros(), 0.1), (0.0, 5.0));
        assert_eq!(closest_approach_linear(&Vec3::new(3.0, 4.0, 0.0), &Vec3::x(), f64::NAN).0, 0.0);
    }

    /// Numerical ∫Pk·2πr dr and ∫Pk·Rayleigh(r; σ) dr by the midpoint rule.
    fn numeric(k: &dyn KillFunction, sigma: f64) -> (f64, f64) {
        let (n, top) = (400_000, 400.0);
        let dr = top / n as f64;
        let (mut area, mut exp) = (0.0, 0.0);
        for i in 0..n {
            let r = (i as f64 + 0.5) * dr;
            area += k.pk(r) * 2.0 * std::f64::consts::PI * r * dr;
            exp += k.pk(r) * r / (sigma * sigma) * (-r * r / (2.0 * sigma * sigma)).exp() * dr;
        }
        (area, exp)
    }

    #[test]
    fn lethal_areas_and_expectations_match_quadrature() {
        let kills: [Box<dyn KillFunction>; 4] = [
            Box::new(CookieCutter::new(20.0, 0.9).unwrap()),
            Box::new(GaussianKill::new(8.0, 0.85).unwrap()),
            Box::new(GaussianKill::carleton(20.0, 0.9).unwrap()),
            Box::new(HitToKill::new(0.25, 1.0, 0.95).unwrap()),
        ];
        for k in &kills {
            for sigma in [0.5, 5.0, 30.0] {
                let (area, exp) = numeric(k.as_ref(), sigma);
                assert!((area / k.lethal_area_m2() - 1.0).abs() < 1e-4, "{k:?}: {area}");
                assert!((exp - k.expected_pk(sigma)).abs() < 1e-4, "{k:?} σ {sigma}: {exp}");
            }
        }
        // Carleton at the lethal radius: Pk₀/e.
        let c = GaussianKill::carleton(20.0, 0.9).unwrap();
        assert!((c.pk(20.0) - 0.9 / std::f64::consts::E).abs() < 1e-12);
        assert_eq!((c.pk(f64::NAN), c.pk(-1.0)), (0.0, 0.0));
        assert!(CookieCutter::new(1.0, 1.5).is_err() && GaussianKill::new(0.0, 0.5).is_err());
        assert!(HitToKill::new(f64::NAN, 1.0, 1.0).is_err());
    }
}
