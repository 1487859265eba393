//! Guidance laws: the lateral acceleration an interceptor asks for.
//!
//! A law sees the interceptor's own state and a target *estimate* (a track or a seeker
//! measurement, passed in by the engine), never the target's truth.
//!
//! **True proportional navigation** (Zarchan, *Tactical and Strategic Missile Guidance*, 6th ed.,
//! 2012, ch. 2; Palumbo, Blauwkamp & Lloyd, "Basic Principles of Homing Guidance", JHU APL
//! Technical Digest 29(1), 2010, eqs. for 3-D PN): with r = r_T − r_M and v = v_T − v_M,
//! the line-of-sight rate vector Ω = (r × v)/|r|², the closing speed V_c = −(r·v)/|r|, and
//! a = N′·V_c·(Ω × r̂), normal to the line of sight with magnitude N′V_c|λ̇|.
//! **Augmented PN** (Zarchan ch. 8) adds N′/2 times the target acceleration normal to the line of
//! sight: a = N′V_c(Ω × r̂) + (N′/2)·a_T⊥.
//!
//! The airframe can only accelerate normal to its velocity, so both laws return the command with
//! its component along the interceptor's velocity removed. Relative kinematics are taken in ECEF;
//! the frame's rotation (7.3e-5 rad/s) is negligible against engagement LOS rates.
use crate::{KinematicState, MotionError, check};
use bulwark_core::Vec3;

/// A guidance law: commanded ECEF acceleration (m/s²), normal to the interceptor's velocity.
/// Must return a finite vector for any input (zero when the geometry is degenerate).
pub trait GuidanceLaw: Send + Sync + std::fmt::Debug {
    fn command(&self, own: &KinematicState, target_est: &KinematicState) -> Vec3;
}

/// True proportional navigation with effective navigation ratio N′ (typically 3–5).
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct ProportionalNavigation {
    pub n_prime: f64,
}

/// Augmented proportional navigation: PN plus N′/2 times the target's estimated acceleration
/// normal to the line of sight.
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct AugmentedPn {
    pub n_prime: f64,
}

impl ProportionalNavigation {
    /// Rejects a non-finite or non-positive N′.
    pub fn new(n_prime: f64) -> Result<Self, MotionError> {
        check("n_prime", n_prime, n_prime > 0.0, "> 0")?;
        Ok(ProportionalNavigation { n_prime })
    }
}

impl AugmentedPn {
    /// Rejects a non-finite or non-positive N′.
    pub fn new(n_prime: f64) -> Result<Self, MotionError> {
        check("n_prime", n_prime, n_prime > 0.0, "> 0")?;
        Ok(AugmentedPn { n_prime })
    }
}

impl GuidanceLaw for ProportionalNavigation {
    fn command(&self, own: &KinematicState, target_est: &KinematicState) -> Vec3 {
        finish(own, true_pn(self.n_prime, own, target_est).map(|(a, _)| a))
    }
}

impl GuidanceLaw for AugmentedPn {
    fn command(&self, own: &KinematicState, target_est: &KinematicState) -> Vec3 {
        let a = true_pn(self.n_prime, own, target_est).map(|(a, los)| {
            let at = target_est.acc;
            let at_normal = at - los * at.dot(&los);
            a + at_normal * (0.5 * self.n_prime)
        });
        finish(own, a)
    }
}

/// The true-PN acceleration and the LOS unit vector; `None` at zero range.
fn true_pn(n_prime: f64, own: &KinematicState, target: &KinematicState) -> Option<(Vec3, Vec3)> {
    let r = target.pos - own.pos;
    let v = target.vel - own.vel;
    let r2 = r.norm_squared();
    if r2.is_nan() || r2 <= 1e-12 {
        return None;
    }
    let rn = r2.sqrt();
    let los = r / rn;
    let omega = r.cross(&v) / r2;
    let vc = -r.dot(&v) / rn;
    Some((omega.cross(&los) * (n_prime * vc), los))
}

/// Removes the component along own velocity; zero for degenerate or non-finite input.
fn finish(own: &KinematicState, a: Option<Vec3>) -> Vec3 {
    let Some(mut a) = a else { return Vec3::zeros() };
    let vn = own.vel.norm();
    if vn > 1e-9 {
        let u = own.vel / vn;
        a -= u * a.dot(&u);
    }
    if crate::finite_vec(&a) { a } else { Vec3::zeros() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::interceptor::predicted_intercept_point;

    #[test]
    fn collision_course_needs_no_acceleration() {
        // A missile flying straight at the predicted intercept point of a constant-velocity
        // target sees a fixed line of sight: the PN command is zero.
        let launcher = Vec3::new(1_000.0, -2_000.0, 500.0);
        let tp = Vec3::new(30_000.0, 12_000.0, 8_000.0);
        let tv = Vec3::new(-250.0, 40.0, -10.0);
        let speed = 900.0;
        let (pip, _) = predicted_intercept_point(&launcher, &tp, &tv, speed).unwrap();
        let own = KinematicState::new(launcher, (pip - launcher).normalize() * speed);
        let tgt = KinematicState::new(tp, tv);
        for law in [&ProportionalNavigation { n_prime: 4.0 } as &dyn GuidanceLaw, &AugmentedPn { n_prime: 4.0 }] {
            assert!(law.command(&own, &tgt).norm() < 1e-9, "{law:?}");
        }
    }

    /// Flies a constant-speed missile under `law` against a target; returns (t, a_y) samples and
    /// the flight time. Euler steps of 1 ms, the velocity turned (not stretched) by the command.
    fn planar_engagement(law: &dyn GuidanceLaw, he: f64, target_acc_y: f64) -> (Vec<(f64, f64)>, f64) {
        let (vm, vt, r0) = (1_000.0, 300.0, 13_000.0);
        let mut own = KinematicState::new(Vec3::zeros(), Vec3::new(he.cos(), he.sin(), 0.0) * vm);
        let mut tgt = KinematicState::with_acc(
            Vec3::new(r0, 0.0, 0.0),
            Vec3::new(-vt, 0.0, 0.0),
            Vec3::new(0.0, target_acc_y, 0.0),
        );
        let tf = r0 / (vm * he.cos() + vt);
        let dt = 1e-3;
        let mut out = Vec::new();
        let mut t = 0.0;
        while t < 0.95 * tf {
            let a = law.command(&own, &tgt);
            out.push((t, a.y));
            own.pos += own.vel * dt;
            own.vel = (own.vel + a * dt).normalize() * vm;
            tgt.pos += tgt.vel * dt + tgt.acc * (0.5 * dt * dt);
            tgt.vel += tgt.acc * dt;
            t += dt;
        }
        (out, tf)
    }

    #[test]
    fn heading_error_response_follows_zarchan_closed_form() {
        // Zarchan ch. 2 (linearized PN, zero lag): n_c(t) = −V_M·HE·N′/t_F·(1 − t/t_F)^(N′−2).
        // HE = 1°; the nonlinear engagement departs from the linear solution by O(HE), so the
        // tolerance is 2 % of the initial command, for t up to 0.95 t_F.
        let n = 3.0;
        let he = 1f64.to_radians();
        let (samples, tf) = planar_engagement(&ProportionalNavigation { n_prime: n }, he, 0.0);
        let a0 = 1_000.0 * he * n / tf;
        for (t, ay) in samples.iter().step_by(250) {
            let expect = -a0 * (1.0 - t / tf).powf(n - 2.0);
            assert!((ay - expect).abs() < 0.02 * a0, "t {t}: {ay} vs {expect}");
        }
    }

    #[test]
    fn target_manoeuvre_response_follows_zarchan_closed_forms() {
        // Zarchan chs. 2 and 8, step target manoeuvre n_T on a collision course, N′ = 3:
        // PN n_c/n_T = N′/(N′−2)·[1 − (1 − t/t_F)^(N′−2)], APN n_c/n_T = (N′/2)(1 − t/t_F)^(N′−2).
        // n_T = 5 m/s² keeps the geometry linear; tolerance 3 % of N′·n_T.
        let (n, nt) = (3.0, 5.0);
        let (pn, tf) = planar_engagement(&ProportionalNavigation { n_prime: n }, 0.0, nt);
        let (apn, _) = planar_engagement(&AugmentedPn { n_prime: n }, 0.0, nt);
        for ((t, a_pn), (_, a_apn)) in pn.iter().zip(apn.iter()).step_by(250) {
            let x = (1.0 - t / tf).powf(n - 2.0);
            let (e_pn, e_apn) = (nt * n / (n - 2.0) * (1.0 - x), nt * 0.5 * n * x);
            assert!((a_pn - e_pn).abs() < 0.03 * n * nt, "PN t {t}: {a_pn} vs {e_pn}");
            assert!((a_apn - e_apn).abs() < 0.03 * n * nt, "APN t {t}: {a_apn} vs {e_apn}");
        }
    }

    #[test]
    fn degenerate_geometry_gives_zero_not_nan() {
        let law = ProportionalNavigation { n_prime: 4.0 };
        let s = KinematicState::new(Vec3::new(1.0, 2.0, 3.0), Vec3::zeros());
        assert_eq!(law.command(&s, &s), Vec3::zeros());
        let nan = KinematicState::new(Vec3::new(f64::NAN, 0.0, 0.0), Vec3::zeros());
        assert_eq!(law.command(&s, &nan), Vec3::zeros());
        assert_eq!(AugmentedPn { n_prime: 4.0 }.command(&nan, &s), Vec3::zeros());
        assert!(ProportionalNavigation::new(0.0).is_err() && AugmentedPn::new(f64::NAN).is_err());
    }
}
