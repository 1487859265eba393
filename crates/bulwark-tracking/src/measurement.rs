//! Measurement models: what a sensor measures of the state, with its noise.
use crate::error::ModelError;
use crate::state::{GaussianState, StateMatrix, StateVector};
use bulwark_core::{Mat3, Vec3};
use nalgebra::{DMatrix, DVector, Matrix3};
use std::f64::consts::{PI, TAU};
use std::fmt;

/// Wraps an angle to (−π, π] (rad). Used for angle residuals so that 359° − 1° = −2°.
pub fn wrap_angle(a: f64) -> f64 {
    let w = a.rem_euclid(TAU);
    if w > PI { w - TAU } else { w }
}

/// A Cartesian position estimate from a single measurement (tracker frame), used for
/// single-point initiation and by the spatial pre-filter.
#[derive(Clone, Debug, PartialEq)]
pub struct PositionFix {
    /// m.
    pub position: Vec3,
    /// m², linearised (first-order) transform of the measurement noise.
    pub covariance: Mat3,
}

/// `out = z − z_pred` with the components in `angles` wrapped; false unless the lengths agree
/// and every angle index is in range.
fn diff_wrapped(z: &[f64], z_pred: &[f64], out: &mut [f64], angles: &[usize]) -> bool {
    if z.len() != z_pred.len() || z.len() != out.len() || angles.iter().any(|&i| i >= out.len()) {
        return false;
    }
    for ((o, a), b) in out.iter_mut().zip(z).zip(z_pred) {
        *o = a - b;
    }
    for &i in angles {
        out[i] = wrap_angle(out[i]);
    }
    true
}

/// A measurement model `z = h(x) + v`, `v ~ N(0, R)`.
pub trait MeasurementModel: fmt::Debug + Send + Sync {
    /// Dimension of z.
    fn dim(&self) -> usize;
    /// Noise-free measurement h(x).
    fn function(&self, x: &StateVector) -> DVector<f64>;
    /// ∂h/∂x (dim × 6). Errors where h is not differentiable (e.g. target at the sensor).
    fn jacobian(&self, x: &StateVector) -> Result<DMatrix<f64>, ModelError>;
    /// R (dim × dim), in the units of z squared.
    fn noise_covariance(&self) -> DMatrix<f64>;
    /// [`Self::function`] written into `out` (length dim); false (and `out` untouched) on a
    /// length mismatch. The tracker's gate calls it once per candidate track per scan, so the
    /// engine's model ([`RangeAzElRr`]) does it without allocating; the default goes through
    /// `function`.
    fn function_into(&self, x: &StateVector, out: &mut [f64]) -> bool {
        let z = self.function(x);
        if z.len() != out.len() {
            return false;
        }
        out.copy_from_slice(z.as_slice());
        true
    }
    /// [`Self::jacobian`] written into the first dim rows of `out`; `Ok(false)` (and `out`
    /// untouched) if `out` has fewer rows or the Jacobian is not dim × 6. Without allocating in
    /// [`RangeAzElRr`], as [`Self::function_into`].
    fn jacobian_into(&self, x: &StateVector, out: &mut [[f64; 6]]) -> Result<bool, ModelError> {
        let h = self.jacobian(x)?;
        if h.nrows() != self.dim() || h.ncols() != 6 || out.len() < h.nrows() {
            return Ok(false);
        }
        for (k, row) in out.iter_mut().enumerate().take(h.nrows()) {
            for (j, v) in row.iter_mut().enumerate() {
                *v = h[(k, j)];
            }
        }
        Ok(true)
    }
    /// z − ẑ, with angle components wrapped to (−π, π]. Default: plain difference.
    fn residual(&self, z: &DVector<f64>, z_pred: &DVector<f64>) -> DVector<f64> {
        z - z_pred
    }
    /// [`Self::residual`] written into `out`; false (and `out` untouched) unless `z`, `z_pred`
    /// and `out` have one length. The built-in models do it without allocating (the tracker's
    /// gate tests call it once per candidate pair); the default goes through `residual`.
    fn residual_into(&self, z: &[f64], z_pred: &[f64], out: &mut [f64]) -> bool {
        if z.len() != z_pred.len() || z.len() != out.len() {
            return false;
        }
        let r = self.residual(&DVector::from_column_slice(z), &DVector::from_column_slice(z_pred));
        if r.len() != out.len() {
            return false;
        }
        out.copy_from_slice(r.as_slice());
        true
    }
    /// Cartesian position and covariance implied by one measurement, if the model observes
    /// position (`None` for, e.g., bearings-only).
    fn position_fix(&self, z: &DVector<f64>) -> Option<PositionFix>;
    /// Single-point initiation: position from [`Self::position_fix`], velocity prior
    /// N(0, σᵥ² I) (`velocity_sigma_mps` = σᵥ), position and velocity uncorrelated.
    /// Models with range rate refine the velocity along the line of sight.
    fn initial_state(&self, z: &DVector<f64>, velocity_sigma_mps: f64) -> Option<GaussianState> {
        let fix = self.position_fix(z)?;
        Some(state_from_fix(&fix, Vec3::zeros(), Mat3::identity() * velocity_sigma_mps.powi(2)))
    }
}

fn state_from_fix(fix: &PositionFix, v: Vec3, pv: Mat3) -> GaussianState {
    let mut mean = StateVector::zeros();
    mean.fixed_rows_mut::<3>(0).copy_from(&fix.position);
    mean.fixed_rows_mut::<3>(3).copy_from(&v);
    let mut cov = StateMatrix::zeros();
    cov.fixed_view_mut::<3, 3>(0, 0).copy_from(&fix.covariance);
    cov.fixed_view_mut::<3, 3>(3, 3).copy_from(&pv);
    GaussianState::new(mean, cov)
}

fn positive(name: &'static str, value: f64) -> Result<f64, ModelError> {
    if value.is_finite() && value > 0.0 { Ok(value) } else { Err(ModelError::NotPositive { name, value }) }
}

/// Where a sensor is and how it is turned, relative to the tracker frame.
#[derive(Clone, Debug, PartialEq)]
pub struct SensorPose {
    position: Vec3,
    rotation: Mat3,
}

impl SensorPose {
    /// `position`: sensor origin in the tracker frame (m). `rotation`: maps tracker-frame
    /// vectors to the sensor's local ENU axes (`local = rotation · (p − position)`); for a
    /// sensor at the tracker origin's ENU axes it is the identity. Must be orthonormal (1e-6).
    pub fn new(position: Vec3, rotation: Mat3) -> Result<Self, ModelError> {
        if !position.iter().all(|v| v.is_finite()) {
            return Err(ModelError::NotFinite { name: "position" });
        }
        let deviation = (rotation.transpose() * rotation - Mat3::identity()).amax();
        if deviation.is_nan() || deviation > 1e-6 {
            return Err(ModelError::NotARotation { deviation });
        }
        Ok(Self { position, rotation })
    }
    /// A sensor at `position` whose ENU axes are parallel to the tracker frame's.
    pub fn at(position: Vec3) -> Result<Self, ModelError> {
        Self::new(position, Mat3::identity())
    }
    pub fn position(&self) -> &Vec3 {
        &self.position
    }
    pub fn rotation(&self) -> &Mat3 {
        &self.rotation
    }
}

/// Range, azimuth, elevation and optionally range rate, measured in the sensor's local ENU.
///
/// With d = (e, n, u) = R_s (p − p_s), ρ = √(e² + n²), r = |d|:
/// range r (m); azimuth atan2(e, n) (rad, clockwise from north, in (−π, π]);
/// elevation atan2(u, ρ) (rad); range rate ṙ = (p − p_s)·v / r (m/s).
/// Jacobian (Bar-Shalom et al. 2001, §10.7 / Blackman & Popoli 1999, §4.6):
/// ∂r/∂d = dᵀ/r; ∂az/∂d = (n, −e, 0)/ρ²; ∂el/∂d = (−eu, −nu, ρ²)/(r²ρ);
/// ∂ṙ/∂p = vᵀ/r − ṙ (p − p_s)ᵀ/r²; ∂ṙ/∂v = (p − p_s)ᵀ/r. Undefined at ρ = 0.
#[derive(Clone, Debug, PartialEq)]
pub struct RangeAzElRr {
    pose: SensorPose,
    sigma_range_m: f64,
    sigma_az_rad: f64,
    sigma_el_rad: f64,
    sigma_rr_mps: Option<f64>,
}

impl RangeAzElRr {
    /// Standard deviations of range (m), azimuth and elevation (rad) and, if the sensor
    /// measures it, range rate (m/s). z = (r, az, el[, ṙ]).
    pub fn new(
        pose: SensorPose,
        sigma_range_m: f64,
        sigma_az_rad: f64,
        sigma_el_rad: f64,
        sigma_rr_mps: Option<f64>,
    ) -> Result<Self, ModelError> {
        Ok(Self {
            pose,
            sigma_range_m: positive("sigma_range_m", sigma_range_m)?,
            sigma_az_rad: positive("sigma_az_rad", sigma_az_rad)?,
            sigma_el_rad: positive("sigma_el_rad", sigma_el_rad)?,
            sigma_rr_mps: sigma_rr_mps.map(|s| positive("sigma_rr_mps", s)).transpose()?,
        })
    }
    pub fn pose(&self) -> &SensorPose {
        &self.pose
    }
    fn offset(&self, x: &StateVector) -> Vec3 {
        x.fixed_rows::<3>(0) - self.pose.position
    }
}

impl MeasurementModel for RangeAzElRr {
    fn dim(&self) -> usize {
        if self.sigma_rr_mps.is_some() { 4 } else { 3 }
    }

    fn function(&self, x: &StateVector) -> DVector<f64> {
        let mut z = DVector::zeros(self.dim());
        self.function_into(x, z.as_mut_slice());
        z
    }

    fn function_into(&self, x: &StateVector, z: &mut [f64]) -> bool {
        if z.len() != self.dim() {
            return false;
        }
        let delta = self.offset(x);
        let d = self.pose.rotation * delta;
        let r = d.norm();
        let rho = d.x.hypot(d.y);
        z[0] = r;
        z[1] = d.x.atan2(d.y);
        z[2] = d.z.atan2(rho);
        if self.sigma_rr_mps.is_some() {
            z[3] = if r > 0.0 { delta.dot(&x.fixed_rows::<3>(3)) / r } else { 0.0 };
        }
        true
    }

    fn jacobian(&self, x: &StateVector) -> Result<DMatrix<f64>, ModelError> {
        let mut rows = [[0.0; 6]; 4];
        self.jacobian_into(x, &mut rows)?;
        Ok(DMatrix::from_fn(self.dim(), 6, |k, j| rows[k][j]))
    }

    fn jacobian_into(&self, x: &StateVector, h: &mut [[f64; 6]]) -> Result<bool, ModelError> {
        if h.len() < self.dim() {
            return Ok(false);
        }
        let delta = self.offset(x);
        let d = self.pose.rotation * delta;
        let (e, n, u) = (d.x, d.y, d.z);
        let r2 = d.norm_squared();
        let rho2 = e * e + n * n;
        if !r2.is_finite() || !rho2.is_finite() || rho2 <= 0.0 {
            return Err(ModelError::Degenerate("target at the sensor or on its vertical axis"));
        }
        let (r, rho) = (r2.sqrt(), rho2.sqrt());
        // Rows of ∂(r, az, el)/∂d, then chained through ∂d/∂p = R_s.
        let local = Matrix3::new(
            e / r,
            n / r,
            u / r,
            n / rho2,
            -e / rho2,
            0.0,
            -e * u / (r2 * rho),
            -n * u / (r2 * rho),
            rho / r2,
        );
        let dp = local * self.pose.rotation;
        for (k, row) in h.iter_mut().enumerate().take(3) {
            for (j, v) in row.iter_mut().enumerate() {
                *v = if j < 3 { dp[(k, j)] } else { 0.0 };
            }
        }
        if self.sigma_rr_mps.is_some() {
            let v: Vec3 = x.fixed_rows::<3>(3).into_owned();
            let rr = delta.dot(&v) / r;
            let d_p = v / r - delta * (rr / r2);
            let d_v = delta / r;
            for i in 0..3 {
                h[3][i] = d_p[i];
                h[3][i + 3] = d_v[i];
            }
        }
        Ok(true)
    }

    fn noise_covariance(&self) -> DMatrix<f64> {
        let mut d = vec![self.sigma_range_m.powi(2), self.sigma_az_rad.powi(2), self.sigma_el_rad.powi(2)];
        d.extend(self.sigma_rr_mps.map(|s| s * s));
        DMatrix::from_diagonal(&DVector::from_vec(d))
    }

    fn residual(&self, z: &DVector<f64>, z_pred: &DVector<f64>) -> DVector<f64> {
        let mut r = z - z_pred;
        r[1] = wrap_angle(r[1]);
        r[2] = wrap_angle(r[2]);
        r
    }
    fn residual_into(&self, z: &[f64], z_pred: &[f64], out: &mut [f64]) -> bool {
        diff_wrapped(z, z_pred, out, &[1, 2])
    }

    /// p = p_s + R_sᵀ r (cos el sin az, cos el cos az, sin el), covariance J R Jᵀ with J the
    /// Jacobian of that map. A negative range is clamped to 0; the cross-range standard
    /// deviations r·σ_az, r·σ_el are floored at σ_r so that a fix at (near) zero range still
    /// has a positive-definite covariance.
    fn position_fix(&self, z: &DVector<f64>) -> Option<PositionFix> {
        if z.len() != self.dim() || !z.iter().all(|v| v.is_finite()) {
            return None;
        }
        let r = z[0].max(0.0);
        let (sa, ca) = z[1].sin_cos();
        let (se, ce) = z[2].sin_cos();
        let los = Vec3::new(ce * sa, ce * ca, se);
        let r_az = r.max(self.sigma_range_m / self.sigma_az_rad);
        let r_el = r.max(self.sigma_range_m / self.sigma_el_rad);
        let j = Matrix3::from_columns(&[
            los,
            Vec3::new(ce * ca, -ce * sa, 0.0) * r_az,
            Vec3::new(-se * sa, -se * ca, ce) * r_el,
        ]);
        let rn = Matrix3::from_diagonal(&Vec3::new(
            self.sigma_range_m.powi(2),
            self.sigma_az_rad.powi(2),
            self.sigma_el_rad.powi(2),
        ));
        let local_cov = j * rn * j.transpose();
        let rt = self.pose.rotation.transpose();
        let cov = rt * local_cov * self.pose.rotation;
        Some(PositionFix { position: self.pose.position + rt * (los * r), covariance: (cov + cov.transpose()) * 0.5 })
    }

    /// Adds range rate to the single-point prior: with line of sight u, prior v ~ N(0, σᵥ² I)
    /// and ṙ = uᵀv + n, n ~ N(0, σ_ṙ²), the linear Kalman update gives
    /// v = u σᵥ² ṙ / (σᵥ² + σ_ṙ²), P_v = σᵥ² I − u uᵀ σᵥ⁴ / (σᵥ² + σ_ṙ²).
    fn initial_state(&self, z: &DVector<f64>, velocity_sigma_mps: f64) -> Option<GaussianState> {
        let fix = self.position_fix(z)?;
        let s2 = velocity_sigma_mps.powi(2);
        let (mut v, mut pv) = (Vec3::zeros(), Mat3::identity() * s2);
        if let Some(srr) = self.sigma_rr_mps {
            let (sa, ca) = z[1].sin_cos();
            let (se, ce) = z[2].sin_cos();
            let u = self.pose.rotation.transpose() * Vec3::new(ce * sa, ce * ca, se);
            let denom = s2 + srr * srr;
            v = u * (s2 * z[3] / denom);
            pv -= u * u.transpose() * (s2 * s2 / denom);
        }
        Some(state_from_fix(&fix, v, pv))
    }
}

/// Angle-only measurement (azimuth, elevation) in the sensor's local ENU, e.g. a jammer strobe
/// or a passive sensor: z = (az, el) (rad), the [`RangeAzElRr`] angles without range:
/// with d = (e, n, u) = R_s (p − p_s), ρ = √(e² + n²), r = |d|,
/// az = atan2(e, n) (clockwise from north, (−π, π]), el = atan2(u, ρ).
/// Jacobian (Blackman & Popoli 1999, §4.6): ∂az/∂d = (n, −e, 0)/ρ², ∂el/∂d = (−eu, −nu, ρ²)/(r²ρ),
/// chained through ∂d/∂p = R_s; zero on velocity. Undefined at ρ = 0.
///
/// One measurement fixes a line, not a point: [`MeasurementModel::position_fix`] and so
/// single-point initiation give `None`; such tracks need triangulation or a range prior.
#[derive(Clone, Debug, PartialEq)]
pub struct AngleOnly {
    pose: SensorPose,
    sigma_az_rad: f64,
    sigma_el_rad: f64,
}

impl AngleOnly {
    /// Standard deviations of azimuth and elevation (rad).
    pub fn new(pose: SensorPose, sigma_az_rad: f64, sigma_el_rad: f64) -> Result<Self, ModelError> {
        Ok(Self {
            pose,
            sigma_az_rad: positive("sigma_az_rad", sigma_az_rad)?,
            sigma_el_rad: positive("sigma_el_rad", sigma_el_rad)?,
        })
    }
    pub fn pose(&self) -> &SensorPose {
        &self.pose
    }
}

impl MeasurementModel for AngleOnly {
    fn dim(&self) -> usize {
        2
    }

    fn function(&self, x: &StateVector) -> DVector<f64> {
        let d = self.pose.rotation * (x.fixed_rows::<3>(0) - self.pose.position);
        DVector::from_vec(vec![d.x.atan2(d.y), d.z.atan2(d.x.hypot(d.y))])
    }

    fn jacobian(&self, x: &StateVector) -> Result<DMatrix<f64>, ModelError> {
        let d = self.pose.rotation * (x.fixed_rows::<3>(0) - self.pose.position);
        let (e, n, u) = (d.x, d.y, d.z);
        let r2 = d.norm_squared();
        let rho2 = e * e + n * n;
        if !r2.is_finite() || !rho2.is_finite() || rho2 <= 0.0 {
            return Err(ModelError::Degenerate("target at the sensor or on its vertical axis"));
        }
        let rho = rho2.sqrt();
        let local =
            nalgebra::Matrix2x3::new(n / rho2, -e / rho2, 0.0, -e * u / (r2 * rho), -n * u / (r2 * rho), rho / r2);
        let dp = local * self.pose.rotation;
        let mut h = DMatrix::zeros(2, 6);
        h.view_mut((0, 0), (2, 3)).copy_from(&dp);
        Ok(h)
    }

    fn noise_covariance(&self) -> DMatrix<f64> {
        DMatrix::from_diagonal(&DVector::from_vec(vec![self.sigma_az_rad.powi(2), self.sigma_el_rad.powi(2)]))
    }

    fn residual(&self, z: &DVector<f64>, z_pred: &DVector<f64>) -> DVector<f64> {
        let mut r = z - z_pred;
        r[0] = wrap_angle(r[0]);
        r[1] = wrap_angle(r[1]);
        r
    }
    fn residual_into(&self, z: &[f64], z_pred: &[f64], out: &mut [f64]) -> bool {
        diff_wrapped(z, z_pred, out, &[0, 1])
    }

    fn position_fix(&self, _z: &DVector<f64>) -> Option<PositionFix> {
        None
    }
}

/// Planar bearing and range, as Stone Soup's `CartesianToBearingRange`:
/// z = (φ, ρ), φ = atan2(y − y_s, x − x_s) (rad, counter-clockwise from +x), ρ = √((x − x_s)² + (y − y_s)²) (m).
///
/// The 6-D state is kept; z and vz are unobserved (zero columns in H). Because F, Q are
/// block-diagonal per axis they stay uncorrelated with x, y, so the planar estimate is exactly
/// that of a 4-D filter. Single-point initiation puts the target at z = 0 with zero z variance.
/// Jacobian: ∂φ/∂(x, y) = (−Δy, Δx)/ρ², ∂ρ/∂(x, y) = (Δx, Δy)/ρ; undefined at ρ = 0.
#[derive(Clone, Debug, PartialEq)]
pub struct BearingRange2D {
    sensor_xy: [f64; 2],
    sigma_bearing_rad: f64,
    sigma_range_m: f64,
}

impl BearingRange2D {
    pub fn new(sensor_xy: [f64; 2], sigma_bearing_rad: f64, sigma_range_m: f64) -> Result<Self, ModelError> {
        if !sensor_xy.iter().all(|v| v.is_finite()) {
            return Err(ModelError::NotFinite { name: "sensor_xy" });
        }
        Ok(Self {
            sensor_xy,
            sigma_bearing_rad: positive("sigma_bearing_rad", sigma_bearing_rad)?,
            sigma_range_m: positive("sigma_range_m", sigma_range_m)?,
        })
    }
}

impl MeasurementModel for BearingRange2D {
    fn dim(&self) -> usize {
        2
    }

    fn function(&self, x: &StateVector) -> DVector<f64> {
        let (dx, dy) = (x[0] - self.sensor_xy[0], x[1] - self.sensor_xy[1]);
        DVector::from_vec(vec![dy.atan2(dx), dx.hypot(dy)])
    }

    fn jacobian(&self, x: &StateVector) -> Result<DMatrix<f64>, ModelError> {
        let (dx, dy) = (x[0] - self.sensor_xy[0], x[1] - self.sensor_xy[1]);
        let r2 = dx * dx + dy * dy;
        if !r2.is_finite() || r2 <= 0.0 {
            return Err(ModelError::Degenerate("target at the sensor"));
        }
        let r = r2.sqrt();
        let mut h = DMatrix::zeros(2, 6);
        h[(0, 0)] = -dy / r2;
        h[(0, 1)] = dx / r2;
        h[(1, 0)] = dx / r;
        h[(1, 1)] = dy / r;
        Ok(h)
    }

    fn noise_covariance(&self) -> DMatrix<f64> {
        DMatrix::from_diagonal(&DVector::from_vec(vec![self.sigma_bearing_rad.powi(2), self.sigma_range_m.powi(2)]))
    }

    fn residual(&self, z: &DVector<f64>, z_pred: &DVector<f64>) -> DVector<f64> {
        let mut r = z - z_pred;
        r[0] = wrap_angle(r[0]);
        r
    }
    fn residual_into(&self, z: &[f64], z_pred: &[f64], out: &mut [f64]) -> bool {
        diff_wrapped(z, z_pred, out, &[0])
    }

    /// Planar polar-to-Cartesian conversion with the cross-range deviation floored at σ_ρ
    /// (as [`RangeAzElRr::position_fix`]); z = 0 with zero variance.
    fn position_fix(&self, z: &DVector<f64>) -> Option<PositionFix> {
        if z.len() != 2 || !z.iter().all(|v| v.is_finite()) {
            return None;
        }
        let r = z[1].max(0.0);
        let (s, c) = z[0].sin_cos();
        let r_eff = r.max(self.sigma_range_m / self.sigma_bearing_rad);
        let (sb2, sr2) = (self.sigma_bearing_rad.powi(2), self.sigma_range_m.powi(2));
        // J = [[-r s, c], [r c, s]] on (φ, ρ).
        let (a, b, c2, d) = (-r_eff * s, c, r_eff * c, s);
        let mut cov = Mat3::zeros();
        cov[(0, 0)] = a * a * sb2 + b * b * sr2;
        cov[(0, 1)] = a * c2 * sb2 + b * d * sr2;
        cov[(1, 0)] = cov[(0, 1)];
        cov[(1, 1)] = c2 * c2 * sb2 + d * d * sr2;
        Some(PositionFix {
            position: Vec3::new(self.sensor_xy[0] + r * c, self.sensor_xy[1] + r * s, 0.0),
            covariance: cov,
        })
    }

    fn initial_state(&self, z: &DVector<f64>, velocity_sigma_mps: f64) -> Option<GaussianState> {
        let fix = self.position_fix(z)?;
        let mut pv = Mat3::identity() * velocity_sigma_mps.powi(2);
        pv[(2, 2)] = 0.0;
        Some(state_from_fix(&fix, Vec3::zeros(), pv))
    }
}

/// Direct Cartesian position measurement: z = (x, y, z) (m), H = [I₃ 0], R given.
#[derive(Clone, Debug, PartialEq)]
pub struct Cartesian {
    noise: Mat3,
}

impl Cartesian {
    /// Independent errors of `sigma_m` on each axis.
    pub fn new(sigma_m: f64) -> Result<Self, ModelError> {
        let s = positive("sigma_m", sigma_m)?;
        Ok(Self { noise: Mat3::identity() * s * s })
    }
    /// A full 3×3 noise covariance (m²); must be symmetric positive definite.
    pub fn with_covariance(noise: Mat3) -> Result<Self, ModelError> {
        let sym = (noise - noise.transpose()).amax() <= 1e-9 * noise.amax();
        if !sym || noise.cholesky().is_none() || !noise.iter().all(|v| v.is_finite()) {
            return Err(ModelError::NotPositive { name: "noise (positive definite)", value: noise.determinant() });
        }
        Ok(Self { noise })
    }
}

impl MeasurementModel for Cartesian {
    fn dim(&self) -> usize {
        3
    }
    fn function(&self, x: &StateVector) -> DVector<f64> {
        DVector::from_column_slice(x.fixed_rows::<3>(0).as_slice())
    }
    fn jacobian(&self, _x: &StateVector) -> Result<DMatrix<f64>, ModelError> {
        let mut h = DMatrix::zeros(3, 6);
        h.view_mut((0, 0), (3, 3)).fill_with_identity();
        Ok(h)
    }
    fn noise_covariance(&self) -> DMatrix<f64> {
        DMatrix::from_column_slice(3, 3, self.noise.as_slice())
    }
    fn position_fix(&self, z: &DVector<f64>) -> Option<PositionFix> {
        if z.len() != 3 || !z.iter().all(|v| v.is_finite()) {
            return None;
        }
        Some(PositionFix { position: Vec3::new(z[0], z[1], z[2]), covariance: self.noise })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use nalgebra::Rotation3;

    /// Central differences with a step scaled to each component.
    fn numeric_jacobian(m: &dyn MeasurementModel, x: &StateVector) -> DMatrix<f64> {
        let mut j = DMatrix::zeros(m.dim(), 6);
        for k in 0..6 {
            let h = 1e-6 * x[k].abs().max(1.0);
            let (mut xp, mut xm) = (*x, *x);
            xp[k] += h;
            xm[k] -= h;
            let d = m.residual(&m.function(&xp), &m.function(&xm)) / (2.0 * h);
            j.column_mut(k).copy_from(&d);
        }
        j
    }

    fn assert_jacobian_matches(m: &dyn MeasurementModel, x: &StateVector) {
        let a = m.jacobian(x).expect("differentiable here");
        let n = numeric_jacobian(m, x);
        for (i, (ai, ni)) in a.iter().zip(n.iter()).enumerate() {
            // Central-difference truncation + rounding error at these scales is < 1e-6 relative.
            let tol = 1e-6 * ai.abs().max(ni.abs()).max(1e-6);
            assert!((ai - ni).abs() <= tol, "entry {i}: analytic {ai:e} numeric {ni:e} ({m:?})");
        }
    }

    fn tilted_pose() -> SensorPose {
        let r = Rotation3::from_euler_angles(0.02, -0.03, 0.7).into_inner();
        SensorPose::new(Vec3::new(1200.0, -3400.0, 85.0), r).unwrap()
    }

    #[test]
    fn wrap_angle_range_is_half_open() {
        assert_eq!(wrap_angle(PI), PI);
        assert_eq!(wrap_angle(-PI), PI);
        assert!((wrap_angle(3.0 * PI / 2.0) + PI / 2.0).abs() < 1e-15);
        assert!((wrap_angle(0.1 - TAU * 3.0) - 0.1).abs() < 1e-12);
    }

    #[test]
    fn rae_is_clockwise_from_north_on_analytic_points() {
        let m = RangeAzElRr::new(SensorPose::at(Vec3::zeros()).unwrap(), 10.0, 1e-3, 1e-3, None).unwrap();
        let az = |e: f64, n: f64, u: f64| m.function(&StateVector::new(e, n, u, 0.0, 0.0, 0.0));
        assert!((az(0.0, 1000.0, 0.0)[1]).abs() < 1e-15, "north is 0");
        assert!((az(1000.0, 0.0, 0.0)[1] - PI / 2.0).abs() < 1e-15, "east is +π/2");
        assert!((az(-1000.0, 0.0, 0.0)[1] + PI / 2.0).abs() < 1e-15, "west is −π/2");
        let z = az(1000.0, 0.0, 1000.0);
        assert!((z[0] - 1000.0 * 2f64.sqrt()).abs() < 1e-9 && (z[2] - PI / 4.0).abs() < 1e-15);
    }

    #[test]
    fn analytic_jacobians_match_finite_differences() {
        let x = StateVector::new(25_000.0, 41_000.0, 7_000.0, -230.0, 140.0, -12.0);
        let rae = RangeAzElRr::new(tilted_pose(), 30.0, 2e-3, 3e-3, Some(1.5)).unwrap();
        assert_jacobian_matches(&rae, &x);
        let rae3 = RangeAzElRr::new(tilted_pose(), 30.0, 2e-3, 3e-3, None).unwrap();
        assert_jacobian_matches(&rae3, &x);
        // Behind the sensor, across the ±π azimuth seam (west-south-west).
        let seam = StateVector::new(-20_000.0, -3_450.0, 500.0, 100.0, 50.0, 0.0);
        assert_jacobian_matches(
            &RangeAzElRr::new(SensorPose::at(Vec3::zeros()).unwrap(), 1.0, 1e-3, 1e-3, Some(1.0)).unwrap(),
            &seam,
        );
        let br = BearingRange2D::new([300.0, -50.0], 0.01, 5.0).unwrap();
        assert_jacobian_matches(&br, &x);
        assert_jacobian_matches(&br, &StateVector::new(-900.0, -51.0, 0.0, 1.0, 1.0, 0.0));
        assert_jacobian_matches(&Cartesian::new(10.0).unwrap(), &x);
        assert_jacobian_matches(&AngleOnly::new(tilted_pose(), 2e-3, 3e-3).unwrap(), &x);
        assert_jacobian_matches(&AngleOnly::new(SensorPose::at(Vec3::zeros()).unwrap(), 1e-3, 1e-3).unwrap(), &seam);
    }

    #[test]
    fn angle_only_is_the_angles_of_rae() {
        let x = StateVector::new(25_000.0, 41_000.0, 7_000.0, -230.0, 140.0, -12.0);
        let ao = AngleOnly::new(tilted_pose(), 2e-3, 3e-3).unwrap();
        let rae = RangeAzElRr::new(tilted_pose(), 30.0, 2e-3, 3e-3, None).unwrap();
        let (za, zr) = (ao.function(&x), rae.function(&x));
        assert_eq!((za[0], za[1]), (zr[1], zr[2]));
        let (ha, hr) = (ao.jacobian(&x).unwrap(), rae.jacobian(&x).unwrap());
        assert_eq!(ha.rows(0, 2), hr.rows(1, 2));
        assert!(ao.position_fix(&za).is_none() && ao.initial_state(&za, 300.0).is_none());
        let wrapped = ao.residual(&DVector::from_vec(vec![-3.1, 0.1]), &DVector::from_vec(vec![3.1, 0.1]));
        assert!((wrapped[0] - (TAU - 6.2)).abs() < 1e-12);
        assert!(AngleOnly::new(tilted_pose(), 0.0, 1e-3).is_err());
        assert!(ao.jacobian(&StateVector::new(1200.0, -3400.0, 85.0, 0.0, 0.0, 0.0)).is_err());
    }

    #[test]
    fn position_fix_inverts_the_measurement() {
        let m = RangeAzElRr::new(tilted_pose(), 30.0, 2e-3, 3e-3, Some(1.5)).unwrap();
        let x = StateVector::new(25_000.0, 41_000.0, 7_000.0, -230.0, 140.0, -12.0);
        let fix = m.position_fix(&m.function(&x)).unwrap();
        assert!((fix.position - x.fixed_rows::<3>(0)).norm() < 1e-8);
        // Linearised covariance: R_fix = J R Jᵀ, and H_p R_fix H_pᵀ must give back R (H_p = J⁻¹).
        let h = m.jacobian(&x).unwrap();
        let hp = h.view((0, 0), (3, 3)).into_owned();
        let c = DMatrix::from_column_slice(3, 3, fix.covariance.as_slice());
        let back = &hp * c * hp.transpose();
        let r = m.noise_covariance();
        for i in 0..3 {
            assert!((back[(i, i)] / r[(i, i)] - 1.0).abs() < 1e-9, "{back}");
        }
        let br = BearingRange2D::new([300.0, -50.0], 0.01, 5.0).unwrap();
        let f = br.position_fix(&br.function(&x)).unwrap();
        assert!((f.position.xy() - x.fixed_rows::<2>(0)).norm() < 1e-8);
    }

    #[test]
    fn zero_range_is_degenerate_but_finite() {
        let pose = SensorPose::at(Vec3::new(5.0, 6.0, 7.0)).unwrap();
        let m = RangeAzElRr::new(pose, 10.0, 1e-3, 1e-3, Some(1.0)).unwrap();
        let at_sensor = StateVector::new(5.0, 6.0, 7.0, 100.0, 0.0, 0.0);
        assert!(m.function(&at_sensor).iter().all(|v| v.is_finite()));
        assert!(matches!(m.jacobian(&at_sensor), Err(ModelError::Degenerate(_))));
        let above = StateVector::new(5.0, 6.0, 1007.0, 0.0, 0.0, 0.0);
        assert!(m.jacobian(&above).is_err(), "zenith: azimuth undefined");
        let z = DVector::from_vec(vec![0.0, 0.3, 0.1, 2.0]);
        let s = m.initial_state(&z, 300.0).unwrap();
        assert!(s.is_finite());
        assert!(s.position_covariance().cholesky().is_some(), "zero-range fix keeps a positive-definite covariance");
        let br = BearingRange2D::new([0.0, 0.0], 0.01, 5.0).unwrap();
        assert!(br.jacobian(&StateVector::zeros()).is_err());
        assert!(br.position_fix(&DVector::from_vec(vec![0.2, 0.0])).unwrap().covariance[(0, 0)] > 0.0);
    }

    #[test]
    fn bad_parameters_are_rejected() {
        assert!(SensorPose::new(Vec3::zeros(), Mat3::identity() * 2.0).is_err());
        assert!(RangeAzElRr::new(SensorPose::at(Vec3::zeros()).unwrap(), 0.0, 1e-3, 1e-3, None).is_err());
        assert!(Cartesian::new(f64::NAN).is_err());
        assert!(Cartesian::with_covariance(Mat3::zeros()).is_err());
        assert!(BearingRange2D::new([f64::INFINITY, 0.0], 0.01, 1.0).is_err());
    }

    #[test]
    fn range_rate_initiation_recovers_the_radial_velocity() {
        let m = RangeAzElRr::new(tilted_pose(), 30.0, 2e-3, 3e-3, Some(1.0)).unwrap();
        let x = StateVector::new(25_000.0, 41_000.0, 7_000.0, -230.0, 140.0, -12.0);
        let z = m.function(&x);
        let s = m.initial_state(&z, 300.0).unwrap();
        // The initial velocity's projection on the line of sight is ṙ·σᵥ²/(σᵥ² + σ_ṙ²).
        let los = (x.fixed_rows::<3>(0) - m.pose().position()).normalize();
        let expect = z[3] * 90_000.0 / 90_001.0;
        assert!((s.velocity().dot(&los) - expect).abs() < 1e-9);
    }
}
