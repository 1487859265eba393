//! A ballistic (re-entry) motion model: the target falls freely under point-mass gravity, with
//! optional drag of a known ballistic coefficient, plus white-noise acceleration for what the
//! model leaves out.
//!
//! ```text
//! ṗ = v
//! v̇ = −μ (p − c)/|p − c|³ − ρ(h) |v| v / (2β),   h = |p − c| − R,   ρ(h) = ρ₀ e^(−h/H)
//! ```
//!
//! Frame: a local tangent plane (x east, y north, z up, m) whose origin lies on a sphere of
//! radius R; the earth's centre is c = (0, 0, −R). Gravity is the two-body (J2-free) field of
//! Bate, Mueller & White, *Fundamentals of Astrodynamics* (1971), eq. 1.3-2; drag is the
//! point-mass form of Zarchan, *Tactical and Strategic Missile Guidance* (6th ed., 2012), the
//! ballistic-target chapter, β = m/(C_D·A) in kg/m². The earth does not rotate (Coriolis
//! ≈ Ω v t², a few km over a 300 s fall), which limits the model to the terminal phase a
//! defence radar sees.
//!
//! f(x, T) integrates the state and its variational equation Φ̇ = A(x) Φ,
//! A = [[0, I], [∂a/∂p, ∂a/∂v]], with classical RK4 (Press et al., *Numerical Recipes*, 3rd
//! ed., §17.1) in sub-steps of at most [`Ballistic::MAX_STEP_S`]; the Jacobian is Φ(T), exact
//! up to the integration error. The gradients are
//! ∂a_g/∂p = −μ/r³ (I − 3 r̂ r̂ᵀ), ∂a_d/∂p = (k/H) |v| v r̂ᵀ, ∂a_d/∂v = −k (|v| I + v vᵀ/|v|),
//! k = ρ(h)/(2β). Q is the CWNA block q [[T³/3, T²/2], [T²/2, T]] per axis (Bar-Shalom, Li &
//! Kirubarajan 2001, §6.2.2), neglecting the gravity gradient within one step.
//!
//! In the IMM's common layout `[x, y, z, vx, vy, vz, ax, ay, az, ω]` the model states its own
//! acceleration: a' = a(p', v') with zero noise (the mode says "the target is falling"), and
//! ω' = 0, as the other models set the components they do not model (see `models`).
use super::MotionModel;
use super::models::Layout;
use crate::error::ModelError;
use nalgebra::{DMatrix, DVector, Matrix3, SMatrix, Vector3};

type M6 = SMatrix<f64, 6, 6>;
type V6 = SMatrix<f64, 6, 1>;

/// The field and atmosphere constants, shared with `bulwark-c2`'s impact prediction.
pub use bulwark_core::free_fall::{EARTH_MEAN_RADIUS_M, MU_EARTH};
use bulwark_core::free_fall::{ZARCHAN_RHO0_KG_M3, ZARCHAN_SCALE_HEIGHT_M, exponential_density};

/// Drag of a known ballistic coefficient in an exponential atmosphere.
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct Drag {
    /// β = m/(C_D·A), kg/m².
    pub beta_kg_m2: f64,
    /// Sea-level density ρ₀, kg/m³.
    pub rho0_kg_m3: f64,
    /// Scale height H, m.
    pub scale_height_m: f64,
}

impl Drag {
    /// β with Zarchan's atmosphere 0.0034·e^(−h/22000) slug/ft³ in SI (ρ₀ = 1.7523 kg/m³,
    /// H = 6705.6 m), the one `bulwark-c2`'s impact prediction uses.
    pub fn zarchan(beta_kg_m2: f64) -> Self {
        Self { beta_kg_m2, rho0_kg_m3: ZARCHAN_RHO0_KG_M3, scale_height_m: ZARCHAN_SCALE_HEIGHT_M }
    }
}

/// Free fall under point-mass gravity with optional drag (see the module doc).
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct Ballistic {
    q: f64,
    mu: f64,
    earth_radius_m: f64,
    drag: Option<Drag>,
    layout: Layout,
}

impl Ballistic {
    /// Longest RK4 sub-step, s: the integration error of a 300 s fall is then below a metre.
    pub const MAX_STEP_S: f64 = 0.5;

    /// The earth's field (μ = [`MU_EARTH`], R = [`EARTH_MEAN_RADIUS_M`]); `q`: white-noise
    /// acceleration spectral density, m²/s³.
    pub fn new(q: f64, drag: Option<Drag>, layout: Layout) -> Result<Self, ModelError> {
        Self::with_field(q, MU_EARTH, EARTH_MEAN_RADIUS_M, drag, layout)
    }

    /// Any central body: μ ≥ 0 (m³/s²; 0 turns gravity off), R > 0 (m).
    pub fn with_field(
        q: f64,
        mu: f64,
        earth_radius_m: f64,
        drag: Option<Drag>,
        layout: Layout,
    ) -> Result<Self, ModelError> {
        let nonneg = |name, v: f64| {
            if v.is_finite() && v >= 0.0 { Ok(v) } else { Err(ModelError::NotPositive { name, value: v }) }
        };
        let positive = |name, v: f64| {
            if v.is_finite() && v > 0.0 { Ok(v) } else { Err(ModelError::NotPositive { name, value: v }) }
        };
        if let Some(d) = &drag {
            positive("ballistic_coefficient_kg_m2", d.beta_kg_m2)?;
            nonneg("rho0_kg_m3", d.rho0_kg_m3)?;
            positive("scale_height_m", d.scale_height_m)?;
        }
        Ok(Self {
            q: nonneg("q", q)?,
            mu: nonneg("mu", mu)?,
            earth_radius_m: positive("earth_radius_m", earth_radius_m)?,
            drag,
            layout,
        })
    }

    /// Acceleration a(p, v) (m/s²) and its gradients ∂a/∂p, ∂a/∂v.
    fn accel(&self, p: &Vector3<f64>, v: &Vector3<f64>) -> (Vector3<f64>, Matrix3<f64>, Matrix3<f64>) {
        let r = p + Vector3::new(0.0, 0.0, self.earth_radius_m);
        let rn = r.norm();
        let u = r / rn;
        let g = self.mu / (rn * rn);
        let mut a = -g * u;
        let mut dp = -(g / rn) * (Matrix3::identity() - 3.0 * u * u.transpose());
        let mut dv = Matrix3::zeros();
        if let Some(d) = &self.drag {
            let k =
                exponential_density(d.rho0_kg_m3, d.scale_height_m, rn - self.earth_radius_m) / (2.0 * d.beta_kg_m2);
            let s = v.norm();
            a -= k * s * v;
            dp += (k / d.scale_height_m) * s * v * u.transpose();
            if s > 0.0 {
                dv -= k * (s * Matrix3::identity() + v * v.transpose() / s);
            }
        }
        (a, dp, dv)
    }

    /// ẋ and Ȧ Φ for the joint state (x, Φ).
    fn rate(&self, x: &V6, phi: &M6) -> (V6, M6) {
        let (p, v) = (x.fixed_rows::<3>(0).into_owned(), x.fixed_rows::<3>(3).into_owned());
        let (a, dp, dv) = self.accel(&p, &v);
        let mut xd = V6::zeros();
        xd.fixed_rows_mut::<3>(0).copy_from(&v);
        xd.fixed_rows_mut::<3>(3).copy_from(&a);
        let mut jac = M6::zeros();
        jac.fixed_view_mut::<3, 3>(0, 3).copy_from(&Matrix3::identity());
        jac.fixed_view_mut::<3, 3>(3, 0).copy_from(&dp);
        jac.fixed_view_mut::<3, 3>(3, 3).copy_from(&dv);
        (xd, jac * phi)
    }

    /// The 6-D state after `dt_s` and its state-transition matrix Φ = ∂x'/∂x.
    pub fn propagate(&self, x: &V6, dt_s: f64) -> (V6, M6) {
        let (mut x, mut phi) = (*x, M6::identity());
        if !(dt_s > 0.0 && dt_s.is_finite()) {
            return (x, phi);
        }
        let n = (dt_s / Self::MAX_STEP_S).ceil().max(1.0);
        let h = dt_s / n;
        for _ in 0..n as usize {
            let (k1, l1) = self.rate(&x, &phi);
            let (k2, l2) = self.rate(&(x + k1 * (h / 2.0)), &(phi + l1 * (h / 2.0)));
            let (k3, l3) = self.rate(&(x + k2 * (h / 2.0)), &(phi + l2 * (h / 2.0)));
            let (k4, l4) = self.rate(&(x + k3 * h), &(phi + l3 * h));
            x += (k1 + 2.0 * k2 + 2.0 * k3 + k4) * (h / 6.0);
            phi += (l1 + 2.0 * l2 + 2.0 * l3 + l4) * (h / 6.0);
        }
        (x, phi)
    }

    fn dim_of(&self) -> usize {
        match self.layout {
            Layout::Native => 6,
            Layout::Common => super::COMMON_DIM,
        }
    }

    /// (x', ∂x'/∂x) in the model's layout.
    fn step(&self, x: &DVector<f64>, dt_s: f64) -> (DVector<f64>, DMatrix<f64>) {
        let n = self.dim_of();
        let x6 = V6::from_fn(|i, _| x.get(i).copied().unwrap_or(f64::NAN));
        let (y6, phi) = self.propagate(&x6, dt_s);
        let mut y = DVector::zeros(n);
        let mut f = DMatrix::zeros(n, n);
        y.rows_mut(0, 6).copy_from(&y6);
        f.view_mut((0, 0), (6, 6)).copy_from(&phi);
        if n > 6 {
            let p = y6.fixed_rows::<3>(0).into_owned();
            let v = y6.fixed_rows::<3>(3).into_owned();
            let (a, dp, dv) = self.accel(&p, &v);
            y.rows_mut(6, 3).copy_from(&a);
            // ∂a'/∂x = [∂a/∂p ∂a/∂v] Φ.
            let mut da = SMatrix::<f64, 3, 6>::zeros();
            da.fixed_view_mut::<3, 3>(0, 0).copy_from(&dp);
            da.fixed_view_mut::<3, 3>(0, 3).copy_from(&dv);
            f.view_mut((6, 0), (3, 6)).copy_from(&(da * phi));
        }
        (y, f)
    }
}

impl MotionModel for Ballistic {
    fn dim(&self) -> usize {
        self.dim_of()
    }
    fn function(&self, x: &DVector<f64>, dt_s: f64) -> DVector<f64> {
        self.step(x, dt_s).0
    }
    fn jacobian(&self, x: &DVector<f64>, dt_s: f64) -> DMatrix<f64> {
        self.step(x, dt_s).1
    }
    /// One integration of (x, Φ) for both, not one each.
    fn function_and_jacobian(&self, x: &DVector<f64>, dt_s: f64) -> (DVector<f64>, DMatrix<f64>) {
        self.step(x, dt_s)
    }
    fn noise_covariance(&self, _x: &DVector<f64>, dt_s: f64) -> DMatrix<f64> {
        let t = dt_s.max(0.0);
        let mut m = DMatrix::zeros(self.dim_of(), self.dim_of());
        for i in 0..3 {
            m[(i, i)] = self.q * t * t * t / 3.0;
            m[(i, i + 3)] = self.q * t * t / 2.0;
            m[(i + 3, i)] = self.q * t * t / 2.0;
            m[(i + 3, i + 3)] = self.q * t;
        }
        m
    }
}
