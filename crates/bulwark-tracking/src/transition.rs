//! Transition (motion) models: how the state moves between two times.
use crate::state::{StateMatrix, StateVector};
use std::fmt;

/// A transition model `x(t + Δt) = f(x(t), Δt) + w`, `w ~ N(0, Q(Δt))`.
///
/// Linear models give `f(x) = F x` and a Jacobian that ignores `x`; a nonlinear model
/// (coordinated turn, ballistic) implements `function` and `jacobian` for the EKF.
pub trait TransitionModel: fmt::Debug + Send + Sync {
    /// Noise-free propagation of `x` by `dt_s` seconds (`dt_s ≥ 0`).
    fn function(&self, x: &StateVector, dt_s: f64) -> StateVector {
        self.jacobian(x, dt_s) * x
    }
    /// ∂f/∂x at `x` (the transition matrix F for a linear model).
    fn jacobian(&self, x: &StateVector, dt_s: f64) -> StateMatrix;
    /// Process-noise covariance Q(Δt) (m², m²/s, m²/s²).
    fn noise_covariance(&self, x: &StateVector, dt_s: f64) -> StateMatrix;
}

/// Nearly constant velocity with continuous white-noise acceleration (CWNA), the same
/// spectral density `q` (m²/s³) on each of x, y, z.
///
/// Per axis, with state (p, v) (Bar-Shalom, Li & Kirubarajan 2001, §6.2.2, eqs. 6.2.2-12, -13):
///
/// ```text
/// F = [1 Δt]      Q = q [Δt³/3  Δt²/2]
///     [0  1]            [Δt²/2  Δt   ]
/// ```
///
/// A rule of thumb (ibid. §6.2.2): the velocity changes by about √(qΔt) over Δt.
/// A negative or non-finite `q` is treated as zero.
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct ConstantVelocity {
    /// Spectral density of the acceleration noise, m²/s³ per axis.
    pub q: f64,
}

impl ConstantVelocity {
    pub fn new(q: f64) -> Self {
        Self { q }
    }
    fn q_sane(&self) -> f64 {
        if self.q.is_finite() && self.q > 0.0 { self.q } else { 0.0 }
    }
}

impl TransitionModel for ConstantVelocity {
    fn jacobian(&self, _x: &StateVector, dt_s: f64) -> StateMatrix {
        let mut f = StateMatrix::identity();
        for i in 0..3 {
            f[(i, i + 3)] = dt_s;
        }
        f
    }

    fn noise_covariance(&self, _x: &StateVector, dt_s: f64) -> StateMatrix {
        let q = self.q_sane();
        let (t, t2, t3) = (dt_s, dt_s * dt_s, dt_s * dt_s * dt_s);
        let mut m = StateMatrix::zeros();
        for i in 0..3 {
            m[(i, i)] = q * t3 / 3.0;
            m[(i, i + 3)] = q * t2 / 2.0;
            m[(i + 3, i)] = q * t2 / 2.0;
            m[(i + 3, i + 3)] = q * t;
        }
        m
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cwna_matches_the_textbook_blocks() {
        // Bar-Shalom et al. 2001, eq. 6.2.2-13 with q = 2, Δt = 3: Q_pp = 18, Q_pv = 9, Q_vv = 6.
        let m = ConstantVelocity::new(2.0);
        let x = StateVector::new(1.0, 2.0, 3.0, 10.0, -20.0, 5.0);
        let q = m.noise_covariance(&x, 3.0);
        for i in 0..3 {
            assert_eq!(q[(i, i)], 18.0);
            assert_eq!(q[(i, i + 3)], 9.0);
            assert_eq!(q[(i + 3, i + 3)], 6.0);
            assert_eq!(q[(i, (i + 1) % 3)], 0.0, "axes are independent");
        }
        let y = m.function(&x, 3.0);
        assert_eq!(y, StateVector::new(31.0, -58.0, 18.0, 10.0, -20.0, 5.0));
        assert_eq!(ConstantVelocity::new(f64::NAN).noise_covariance(&x, 3.0), StateMatrix::zeros());
    }
}
