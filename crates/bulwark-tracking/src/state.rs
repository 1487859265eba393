//! The track state: a Gaussian over 6-D Cartesian position and velocity.
use bulwark_core::{Mat3, Vec3};
use nalgebra::{Matrix6, Vector6};

/// Dimension of the state `[x, y, z, vx, vy, vz]`.
pub const STATE_DIM: usize = 6;
/// `[x, y, z, vx, vy, vz]` in m and m/s, tracker frame.
pub type StateVector = Vector6<f64>;
/// A 6×6 matrix on the state (covariance in m², m²/s, m²/s²; transition; process noise).
pub type StateMatrix = Matrix6<f64>;

/// A Gaussian state estimate: mean and covariance.
#[derive(Clone, Debug, PartialEq)]
pub struct GaussianState {
    pub mean: StateVector,
    pub covariance: StateMatrix,
}

impl GaussianState {
    pub fn new(mean: StateVector, covariance: StateMatrix) -> Self {
        Self { mean, covariance }
    }
    /// Position part of the mean (m).
    pub fn position(&self) -> Vec3 {
        self.mean.fixed_rows::<3>(0).into_owned()
    }
    /// Velocity part of the mean (m/s).
    pub fn velocity(&self) -> Vec3 {
        self.mean.fixed_rows::<3>(3).into_owned()
    }
    /// Position block of the covariance (m²).
    pub fn position_covariance(&self) -> Mat3 {
        self.covariance.fixed_view::<3, 3>(0, 0).into_owned()
    }
    /// Velocity block of the covariance (m²/s²).
    pub fn velocity_covariance(&self) -> Mat3 {
        self.covariance.fixed_view::<3, 3>(3, 3).into_owned()
    }
    /// True when every entry of mean and covariance is finite. Summed as 0·x (±0 for a finite
    /// x, NaN for ±∞ or NaN) over the 42 entries without a branch each: every prediction checks it.
    pub fn is_finite(&self) -> bool {
        all_finite(&self.mean, &self.covariance)
    }
    /// The horizontal moments of this estimate (see [`HorizontalMoments`]).
    pub fn horizontal(&self) -> HorizontalMoments {
        let c = &self.covariance;
        HorizontalMoments {
            mean: [self.mean[0], self.mean[1], self.mean[3], self.mean[4]],
            position: [[c[(0, 0)], c[(0, 1)]], [c[(1, 0)], c[(1, 1)]]],
            velocity: [[c[(3, 3)], c[(3, 4)]], [c[(4, 3)], c[(4, 4)]]],
        }
    }
    /// Normalised estimation error squared (x − x̂)ᵀ P⁻¹ (x − x̂) against a true state
    /// (Bar-Shalom, Li & Kirubarajan 2001, §5.4.2). `None` if P is not positive definite.
    pub fn nees(&self, truth: &StateVector) -> Option<f64> {
        let e = truth - self.mean;
        let chol = self.covariance.cholesky()?;
        Some(e.dot(&chol.solve(&e)))
    }
}

/// [`GaussianState::is_finite`] of a mean and covariance held apart (no copy into a state).
pub fn all_finite(mean: &StateVector, covariance: &StateMatrix) -> bool {
    let zero = |s: &[f64]| s.iter().fold(0.0, |acc, v| acc + v * 0.0);
    zero(mean.as_slice()) + zero(covariance.as_slice()) == 0.0
}

/// What a horizontal spatial pre-filter reads of a 6-D estimate: the mean's x, y, vx, vy
/// (m, m/s) and the covariance's horizontal position and velocity 2×2 blocks (m², m²/s²),
/// rows x then y. A prediction of these alone skips most of a full one (24 of 36 entries).
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct HorizontalMoments {
    pub mean: [f64; 4],
    pub position: [[f64; 2]; 2],
    pub velocity: [[f64; 2]; 2],
}

impl HorizontalMoments {
    /// Both blocks symmetrised as (M + Mᵀ)/2 entry by entry, as the Kalman prediction
    /// symmetrises its whole covariance.
    pub fn symmetrised(mut self) -> Self {
        for b in [&mut self.position, &mut self.velocity] {
            let m = *b;
            for (i, row) in b.iter_mut().enumerate() {
                for (j, v) in row.iter_mut().enumerate() {
                    *v = (m[i][j] + m[j][i]) * 0.5;
                }
            }
        }
        self
    }
}
