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
//! **Lofted PN** (mid-course trajectory shaping): long shots fly high, where the air is thin,
//! and dive onto the target (Fleeman, *Tactical Missile Design*, 2nd ed., ch. 2, "flight
//! trajectory shaping"). [`LoftedPn`] steers by PN on a virtual aim point raised above the
//! target's predicted position q = p_T + v_T·t_go by k·(|q − p_M| − R_h) along the geocentric
//! vertical, with t_go = R/(V̄ + v_T·(−r̂)) from the planning average speed V̄ and R_h the
//! hand-over range; the point sinks onto the target as the range closes, and inside R_h the law
//! is plain PN on the estimate. k is a per-type tuning (notional): too little loft drags in thick
//! air, too much climbs where the fins cannot pull the missile back down. On the catalog
//! airframes against a 10 km target (`tests/flyout_envelope.rs`) k = 0.35 reaches 0.9 and 1.0 of
//! R_max for the 200–400 km missiles, k = 0.5 for the 120–160 km ones
//! ([`loft_ratio_for_max_range`]); plain PN (k = 0) falls tens to hundreds of km short there.
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

/// Notional loft ratio of [`LoftedPn`] for a missile of catalog maximum range `max_range_m`:
/// 0.35 from 200 km up, 0.5 below (tuned on the catalog airframes, see the module doc).
pub fn loft_ratio_for_max_range(max_range_m: f64) -> f64 {
    if max_range_m >= 200_000.0 { 0.35 } else { 0.5 }
}

/// PN on an aim point raised k·(R − R_h) above the target estimate beyond the hand-over range R_h.
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct LoftedPn {
    pub n_prime: f64,
    /// Loft ratio k, ≥ 0 (0: plain PN).
    pub loft_ratio: f64,
    /// Range (m) inside which the law is plain PN, ≥ 0.
    pub handover_range_m: f64,
    /// Planning average speed of the interceptor (m/s), > 0, for the time to go.
    pub average_speed_mps: f64,
}

impl LoftedPn {
    pub fn new(
        n_prime: f64,
        loft_ratio: f64,
        handover_range_m: f64,
        average_speed_mps: f64,
    ) -> Result<Self, MotionError> {
        check("n_prime", n_prime, n_prime > 0.0, "> 0")?;
        check("loft_ratio", loft_ratio, loft_ratio >= 0.0, ">= 0")?;
        check("handover_range_m", handover_range_m, handover_range_m >= 0.0, ">= 0")?;
        check("average_speed_mps", average_speed_mps, average_speed_mps > 0.0, "> 0")?;
        Ok(LoftedPn { n_prime, loft_ratio, handover_range_m, average_speed_mps })
    }

    /// The virtual aim point (ECEF, m) for an interceptor at `own_pos` and a target estimate;
    /// the estimate's position itself inside the hand-over range.
    pub fn aim_point(&self, own_pos: &Vec3, target: &KinematicState) -> Vec3 {
        let r = target.pos - own_pos;
        let range = r.norm();
        if range <= self.handover_range_m || !range.is_finite() {
            return target.pos;
        }
        let closing = (self.average_speed_mps - target.vel.dot(&r) / range).max(0.1 * self.average_speed_mps);
        let q = target.pos + target.vel * (range / closing);
        let excess = ((q - own_pos).norm() - self.handover_range_m).max(0.0);
        let n = q.norm();
        if !n.is_normal() || !crate::finite_vec(&q) {
            return target.pos;
        }
        q + q * (self.loft_ratio * excess / n)
    }
}

impl GuidanceLaw for LoftedPn {
    fn command(&self, own: &KinematicState, target_est: &KinematicState) -> Vec3 {
        let aim = self.aim_point(&own.pos, target_est);
        let range = (target_est.pos - own.pos).norm();
        let aim_state = if range <= self.handover_range_m {
            *target_est
        } else {
            // The aim point moves with the target's predicted position: a fixed point (zero
            // velocity) would make PN fly a pursuit-like curve towards where the target was.
            KinematicState::new(aim, Vec3::zeros())
        };
        finish(own, true_pn(self.n_prime, own, &aim_state).map(|(a, _)| a))
    }
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
    fn lofted_pn_aims_above_the_target_and_is_pn_inside_the_handover_range() {
        let law = LoftedPn::new(4.0, 0.2, 30_000.0, 1_000.0).unwrap();
        let tgt = Vec3::new(6_400_000.0, 0.0, 0.0);
        let own = Vec3::new(6_400_000.0, 130_000.0, 0.0);
        // A stationary target 100 km beyond the hand-over range: 20 km above it, geocentric vertical.
        let still = KinematicState::new(tgt, Vec3::zeros());
        assert!((law.aim_point(&own, &still) - Vec3::new(6_420_000.0, 0.0, 0.0)).norm() < 1e-6);
        // Inbound at 250 m/s: t_go = 130 km / 1 250 m/s = 104 s, q 26 km nearer, rise 0.2·74 km.
        let inbound = KinematicState::new(tgt, Vec3::new(0.0, 250.0, 0.0));
        let expect = Vec3::new(6_400_000.0, 26_000.0, 0.0) * (1.0 + 0.2 * 74_000.0 / 6_400_052.8);
        assert!((law.aim_point(&own, &inbound) - expect).norm() < 1.0, "{}", law.aim_point(&own, &inbound));
        let near = Vec3::new(6_400_000.0, 20_000.0, 0.0);
        assert_eq!(law.aim_point(&near, &still), tgt);
        let o = KinematicState::new(near, Vec3::new(0.0, -1_000.0, 30.0));
        let t = KinematicState::new(tgt, Vec3::new(0.0, 100.0, 0.0));
        assert_eq!(law.command(&o, &t), ProportionalNavigation { n_prime: 4.0 }.command(&o, &t));
        assert!(LoftedPn::new(4.0, -0.1, 0.0, 1.0).is_err() && LoftedPn::new(4.0, 0.2, f64::NAN, 1.0).is_err());
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
