//! Motion models for manoeuvring targets, each exactly discretised, on either its native state
//! or the common 10-D layout the IMM mixes over:
//!
//! ```text
//! common: [x, y, z, vx, vy, vz, ax, ay, az, ω]   (m, m/s, m/s², rad/s)
//! native: CV [x..vz] (6), CA and Singer [x..az] (9), CT [x..vz, ω] (7)
//! ```
//!
//! In the common layout a model sets the components it does not model to zero with zero
//! variance at each prediction (F rows and Q entries zero): CV says a = 0 and ω = 0, CA and
//! Singer say ω = 0, CT says a = 0 (its acceleration is ω × v, carried by ω). The IMM then mixes
//! like with like: a mode's zero is a statement of that mode ("no acceleration"), and the
//! mixed prior of a manoeuvre mode shrinks towards it in proportion to the probability that the
//! target was not manoeuvring, as the IMM's moment matching prescribes (Blom & Bar-Shalom
//! 1988; Bar-Shalom et al. 2001, §11.6.6). This is our choice; the alternative, letting a
//! mode carry the other modes' values unchanged, makes a mode's estimate depend on
//! components its dynamics ignore.
use super::MotionModel;
use crate::error::ModelError;
use nalgebra::{DMatrix, DVector, SMatrix, SVector};

/// Dimension of the common IMM layout `[x, y, z, vx, vy, vz, ax, ay, az, ω]`.
pub const COMMON_DIM: usize = 10;
type M10 = SMatrix<f64, 10, 10>;
type V10 = SVector<f64, 10>;

/// Which state a model works on.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Default)]
pub enum Layout {
    /// The model's own state (CV 6, CA/Singer 9, CT 7 components).
    #[default]
    Native,
    /// The common 10-D layout [`COMMON_DIM`].
    Common,
}

const ALL: [usize; 10] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
const PV: [usize; 6] = [0, 1, 2, 3, 4, 5];
const PVA: [usize; 9] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
const PVW: [usize; 7] = [0, 1, 2, 3, 4, 5, 9];

fn embed(x: &DVector<f64>, idx: &[usize]) -> V10 {
    let mut v = V10::zeros();
    for (k, &i) in idx.iter().enumerate() {
        v[i] = x.get(k).copied().unwrap_or(f64::NAN);
    }
    v
}
fn pick_vec(v: &V10, idx: &[usize]) -> DVector<f64> {
    DVector::from_iterator(idx.len(), idx.iter().map(|&i| v[i]))
}
fn pick_mat(m: &M10, idx: &[usize]) -> DMatrix<f64> {
    DMatrix::from_fn(idx.len(), idx.len(), |r, c| m[(idx[r], idx[c])])
}

fn nonneg(name: &'static str, v: f64) -> Result<f64, ModelError> {
    if v.is_finite() && v >= 0.0 { Ok(v) } else { Err(ModelError::NotPositive { name, value: v }) }
}

/// CWNA position/velocity blocks on axis `i` (p at i, v at i + 3): q [[T³/3, T²/2], [T²/2, T]].
fn cwna(m: &mut M10, i: usize, q: f64, t: f64) {
    m[(i, i)] = q * t * t * t / 3.0;
    m[(i, i + 3)] = q * t * t / 2.0;
    m[(i + 3, i)] = q * t * t / 2.0;
    m[(i + 3, i + 3)] = q * t;
}

trait Common {
    fn idx(&self) -> &'static [usize];
    fn layout(&self) -> Layout;
    fn f10(&self, x: &V10, t: f64) -> V10 {
        self.j10(x, t) * x
    }
    fn j10(&self, x: &V10, t: f64) -> M10;
    fn q10(&self, t: f64) -> M10;
    fn indices(&self) -> &'static [usize] {
        match self.layout() {
            Layout::Native => self.idx(),
            Layout::Common => &ALL,
        }
    }
}

macro_rules! motion_model {
    ($t:ty) => {
        impl MotionModel for $t {
            fn dim(&self) -> usize {
                self.indices().len()
            }
            fn function(&self, x: &DVector<f64>, dt_s: f64) -> DVector<f64> {
                let idx = self.indices();
                pick_vec(&self.f10(&embed(x, idx), dt_s), idx)
            }
            fn jacobian(&self, x: &DVector<f64>, dt_s: f64) -> DMatrix<f64> {
                let idx = self.indices();
                pick_mat(&self.j10(&embed(x, idx), dt_s), idx)
            }
            fn noise_covariance(&self, _x: &DVector<f64>, dt_s: f64) -> DMatrix<f64> {
                pick_mat(&self.q10(dt_s), self.indices())
            }
        }
    };
}

/// Nearly constant velocity, continuous white-noise acceleration of spectral density `q`
/// (m²/s³) on each axis (Bar-Shalom, Li & Kirubarajan 2001, §6.2.2, eqs. 6.2.2-12, -13):
/// per axis F = [[1, T], [0, 1]], Q = q [[T³/3, T²/2], [T²/2, T]].
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct NearlyConstantVelocity {
    q: f64,
    layout: Layout,
}

impl NearlyConstantVelocity {
    pub fn new(q: f64, layout: Layout) -> Result<Self, ModelError> {
        Ok(Self { q: nonneg("q", q)?, layout })
    }
}

impl Common for NearlyConstantVelocity {
    fn idx(&self) -> &'static [usize] {
        &PV
    }
    fn layout(&self) -> Layout {
        self.layout
    }
    fn j10(&self, _x: &V10, t: f64) -> M10 {
        let mut f = M10::zeros();
        for i in 0..3 {
            f[(i, i)] = 1.0;
            f[(i + 3, i + 3)] = 1.0;
            f[(i, i + 3)] = t;
        }
        f
    }
    fn q10(&self, t: f64) -> M10 {
        let mut m = M10::zeros();
        for i in 0..3 {
            cwna(&mut m, i, self.q, t);
        }
        m
    }
}
motion_model!(NearlyConstantVelocity);

/// Nearly constant acceleration, continuous Wiener-process acceleration: white jerk of spectral
/// density `q` (m²/s⁵) on each axis (Bar-Shalom et al. 2001, §6.2.3, eqs. 6.2.3-7, -8):
/// F = [[1, T, T²/2], [0, 1, T], [0, 0, 1]],
/// Q = q [[T⁵/20, T⁴/8, T³/6], [T⁴/8, T³/3, T²/2], [T³/6, T²/2, T]].
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct NearlyConstantAcceleration {
    q: f64,
    layout: Layout,
}

impl NearlyConstantAcceleration {
    pub fn new(q: f64, layout: Layout) -> Result<Self, ModelError> {
        Ok(Self { q: nonneg("q", q)?, layout })
    }
}

/// Fills one axis (p at i, v at i + 3, a at i + 6) of a third-order kinematic F and Q given the
/// acceleration column φ(T) = (F₁₃, F₂₃, F₃₃) and the 3 × 3 noise block.
fn third_order_axis(f: &mut M10, q: &mut M10, i: usize, t: f64, col: [f64; 3], qb: &[[f64; 3]; 3]) {
    let ix = [i, i + 3, i + 6];
    f[(i, i)] = 1.0;
    f[(i, i + 3)] = t;
    f[(i + 3, i + 3)] = 1.0;
    for r in 0..3 {
        f[(ix[r], i + 6)] = col[r];
        for c in 0..3 {
            q[(ix[r], ix[c])] = qb[r][c];
        }
    }
}

impl NearlyConstantAcceleration {
    fn fq(&self, t: f64) -> (M10, M10) {
        let (mut f, mut q) = (M10::zeros(), M10::zeros());
        let s = self.q;
        let (t2, t3, t4, t5) = (t * t, t * t * t, t.powi(4), t.powi(5));
        let qb = [
            [s * t5 / 20.0, s * t4 / 8.0, s * t3 / 6.0],
            [s * t4 / 8.0, s * t3 / 3.0, s * t2 / 2.0],
            [s * t3 / 6.0, s * t2 / 2.0, s * t],
        ];
        for i in 0..3 {
            third_order_axis(&mut f, &mut q, i, t, [t2 / 2.0, t, 1.0], &qb);
        }
        (f, q)
    }
}

impl Common for NearlyConstantAcceleration {
    fn idx(&self) -> &'static [usize] {
        &PVA
    }
    fn layout(&self) -> Layout {
        self.layout
    }
    fn j10(&self, _x: &V10, t: f64) -> M10 {
        self.fq(t).0
    }
    fn q10(&self, t: f64) -> M10 {
        self.fq(t).1
    }
}
motion_model!(NearlyConstantAcceleration);

/// Singer's exponentially correlated acceleration (Singer 1970, IEEE TAES 6(4), eqs. 4–9, 20;
/// Li & Jilkov 2003, "Survey of maneuvering target tracking. Part I", §IV.A): per axis
/// ȧ = −α a + w, α = 1/τ_m, w white of spectral density 2ασ_m² so that the stationary
/// acceleration variance is σ_m². Exact discretisation:
/// F = [[1, T, (αT − 1 + e^{−αT})/α²], [0, 1, (1 − e^{−αT})/α], [0, 0, e^{−αT}]],
/// Q = 2ασ_m² ∫₀ᵀ φ(s) φ(s)ᵀ ds with φ(s) the last column of F(s); Singer's closed form for
/// αT ≥ ½ and 8-point Gauss–Legendre quadrature of the same integral below (where the closed
/// form cancels catastrophically; the integrand is then a near-polynomial of degree 4, so the
/// quadrature is exact to rounding). As α → 0 with σ_m²α fixed it tends to CA.
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct Singer {
    alpha: f64,
    sigma_m: f64,
    layout: Layout,
}

/// (u − 1 + e^{−u})/u², by its series for small u.
fn g2(u: f64) -> f64 {
    if u < 0.5 {
        // Σ_{k≥0} (−u)^k/(k+2)!
        let (mut term, mut sum) = (0.5, 0.5);
        for k in 1..20 {
            term *= -u / (k as f64 + 2.0);
            sum += term;
        }
        sum
    } else {
        (u - 1.0 + (-u).exp()) / (u * u)
    }
}
/// (1 − e^{−u})/u.
fn g1(u: f64) -> f64 {
    if u == 0.0 { 1.0 } else { -(-u).exp_m1() / u }
}

impl Singer {
    /// `tau_m_s`: manoeuvre time constant τ_m (s, > 0); `sigma_m`: RMS acceleration (m/s², ≥ 0).
    pub fn new(tau_m_s: f64, sigma_m: f64, layout: Layout) -> Result<Self, ModelError> {
        let tau = nonneg("tau_m_s", tau_m_s)?;
        if tau <= 0.0 {
            return Err(ModelError::NotPositive { name: "tau_m_s", value: tau_m_s });
        }
        Ok(Self { alpha: 1.0 / tau, sigma_m: nonneg("sigma_m", sigma_m)?, layout })
    }

    fn column(&self, s: f64) -> [f64; 3] {
        let u = self.alpha * s;
        [s * s * g2(u), s * g1(u), (-u).exp()]
    }

    fn noise_block(&self, t: f64) -> [[f64; 3]; 3] {
        let a = self.alpha;
        let q = 2.0 * a * self.sigma_m * self.sigma_m;
        let mut b = [[0.0; 3]; 3];
        let at = a * t;
        if at >= 0.5 {
            let (e1, e2) = ((-at).exp(), (-2.0 * at).exp());
            b[0][0] =
                q / (2.0 * a.powi(5)) * (1.0 - e2 + 2.0 * at + 2.0 * at.powi(3) / 3.0 - 2.0 * at * at - 4.0 * at * e1);
            b[0][1] = q / (2.0 * a.powi(4)) * (e2 + 1.0 - 2.0 * e1 + 2.0 * at * e1 - 2.0 * at + at * at);
            b[0][2] = q / (2.0 * a.powi(3)) * (1.0 - e2 - 2.0 * at * e1);
            b[1][1] = q / (2.0 * a.powi(3)) * (4.0 * e1 - 3.0 - e2 + 2.0 * at);
            b[1][2] = q / (2.0 * a * a) * (e2 + 1.0 - 2.0 * e1);
            b[2][2] = q / (2.0 * a) * (1.0 - e2);
        } else {
            // 8-point Gauss–Legendre nodes ±x and weights on [−1, 1] (Abramowitz & Stegun, table 25.4).
            const GL: [(f64, f64); 4] = [
                (0.183_434_642_495_649_8, 0.362_683_783_378_362),
                (0.525_532_409_916_329, 0.313_706_645_877_887_3),
                (0.796_666_477_413_626_7, 0.222_381_034_453_374_5),
                (0.960_289_856_497_536_3, 0.101_228_536_290_376_3),
            ];
            for (x, w) in GL {
                for s in [0.5 * t * (1.0 - x), 0.5 * t * (1.0 + x)] {
                    let c = self.column(s);
                    for r in 0..3 {
                        for k in r..3 {
                            b[r][k] += 0.5 * t * w * q * c[r] * c[k];
                        }
                    }
                }
            }
        }
        (b[1][0], b[2][0], b[2][1]) = (b[0][1], b[0][2], b[1][2]);
        b
    }

    fn fq(&self, t: f64) -> (M10, M10) {
        let (mut f, mut q) = (M10::zeros(), M10::zeros());
        let col = self.column(t);
        let qb = self.noise_block(t);
        for i in 0..3 {
            third_order_axis(&mut f, &mut q, i, t, col, &qb);
        }
        (f, q)
    }
}

impl Common for Singer {
    fn idx(&self) -> &'static [usize] {
        &PVA
    }
    fn layout(&self) -> Layout {
        self.layout
    }
    fn j10(&self, _x: &V10, t: f64) -> M10 {
        self.fq(t).0
    }
    fn q10(&self, t: f64) -> M10 {
        self.fq(t).1
    }
}
motion_model!(Singer);

/// Nearly coordinated turn in the horizontal plane with the turn rate ω (rad/s, positive
/// counter-clockwise from +x towards +y) in the state; z is nearly constant velocity.
/// Exact solution for constant ω (Bar-Shalom et al. 2001, §11.7.1, eq. 11.7.1-4; Li & Jilkov
/// 2003, §V.A, eqs. 58–60), with u = ωT:
///
/// ```text
/// x' = x + vx sin(u)/ω − vy (1 − cos u)/ω      vx' = vx cos u − vy sin u
/// y' = y + vx (1 − cos u)/ω + vy sin(u)/ω      vy' = vx sin u + vy cos u      ω' = ω
/// ```
///
/// The Jacobian carries ∂/∂ω of these; sin(u)/ω, (1 − cos u)/ω and their ω-derivatives use
/// their Taylor series for |u| < 10⁻², so ω → 0 gives CV exactly. Q: CWNA blocks (spectral
/// density `q_h` on x and y, `q_z` on z, m²/s³) as for CV — exact at ω = 0, neglecting the
/// rotation of the noise within one step — and q_ω T on ω (`q_omega`, rad²/s³, a random walk).
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct CoordinatedTurn {
    q_h: f64,
    q_z: f64,
    q_omega: f64,
    layout: Layout,
}

impl CoordinatedTurn {
    pub fn new(q_h: f64, q_z: f64, q_omega: f64, layout: Layout) -> Result<Self, ModelError> {
        Ok(Self { q_h: nonneg("q_h", q_h)?, q_z: nonneg("q_z", q_z)?, q_omega: nonneg("q_omega", q_omega)?, layout })
    }
}

/// (sin(u)/ω, (1 − cos u)/ω, d/dω of both) at u = ωT.
fn turn_terms(w: f64, t: f64) -> (f64, f64, f64, f64) {
    let u = w * t;
    if u.abs() < 1e-2 {
        let u2 = u * u;
        let s = t * (1.0 - u2 / 6.0 * (1.0 - u2 / 20.0 * (1.0 - u2 / 42.0)));
        let c = t * u * (0.5 - u2 / 24.0 * (1.0 - u2 / 30.0 * (1.0 - u2 / 56.0)));
        let ds = t * t * u * (-1.0 / 3.0 + u2 / 30.0 - u2 * u2 / 840.0);
        let dc = t * t * (0.5 - u2 / 8.0 + u2 * u2 / 144.0 - u2 * u2 * u2 / 5760.0);
        (s, c, ds, dc)
    } else {
        let (su, cu) = u.sin_cos();
        (su / w, (1.0 - cu) / w, (u * cu - su) / (w * w), (u * su - (1.0 - cu)) / (w * w))
    }
}

impl Common for CoordinatedTurn {
    fn idx(&self) -> &'static [usize] {
        &PVW
    }
    fn layout(&self) -> Layout {
        self.layout
    }
    fn f10(&self, x: &V10, t: f64) -> V10 {
        let w = x[9];
        let (s, c, _, _) = turn_terms(w, t);
        let (su, cu) = (w * t).sin_cos();
        let (vx, vy) = (x[3], x[4]);
        let mut y = V10::zeros();
        y[0] = x[0] + s * vx - c * vy;
        y[1] = x[1] + c * vx + s * vy;
        y[2] = x[2] + t * x[5];
        y[3] = cu * vx - su * vy;
        y[4] = su * vx + cu * vy;
        y[5] = x[5];
        y[9] = w;
        y
    }
    fn j10(&self, x: &V10, t: f64) -> M10 {
        let w = x[9];
        let (s, c, ds, dc) = turn_terms(w, t);
        let (su, cu) = (w * t).sin_cos();
        let (vx, vy) = (x[3], x[4]);
        let mut f = M10::zeros();
        f[(0, 0)] = 1.0;
        f[(0, 3)] = s;
        f[(0, 4)] = -c;
        f[(0, 9)] = ds * vx - dc * vy;
        f[(1, 1)] = 1.0;
        f[(1, 3)] = c;
        f[(1, 4)] = s;
        f[(1, 9)] = dc * vx + ds * vy;
        f[(2, 2)] = 1.0;
        f[(2, 5)] = t;
        f[(3, 3)] = cu;
        f[(3, 4)] = -su;
        f[(3, 9)] = -t * (su * vx + cu * vy);
        f[(4, 3)] = su;
        f[(4, 4)] = cu;
        f[(4, 9)] = t * (cu * vx - su * vy);
        f[(5, 5)] = 1.0;
        f[(9, 9)] = 1.0;
        f
    }
    fn q10(&self, t: f64) -> M10 {
        let mut m = M10::zeros();
        cwna(&mut m, 0, self.q_h, t);
        cwna(&mut m, 1, self.q_h, t);
        cwna(&mut m, 2, self.q_z, t);
        m[(9, 9)] = self.q_omega * t;
        m
    }
}
motion_model!(CoordinatedTurn);

#[cfg(test)]
mod tests {
    use super::*;

    /// Van Loan (1978), "Computing integrals involving the matrix exponential", IEEE TAC 23(3):
    /// exp([[−A, GqGᵀ], [0, Aᵀ]] T) = [[·, Φ⁻¹Q], [0, Φᵀ]], so Φ = (lower right)ᵀ, Q = Φ·(upper right).
    /// An independent route to F and Q through nalgebra's matrix exponential.
    fn van_loan(a: &DMatrix<f64>, gqg: &DMatrix<f64>, t: f64) -> (DMatrix<f64>, DMatrix<f64>) {
        let n = a.nrows();
        let mut m = DMatrix::zeros(2 * n, 2 * n);
        m.view_mut((0, 0), (n, n)).copy_from(&(-a * t));
        m.view_mut((0, n), (n, n)).copy_from(&(gqg * t));
        m.view_mut((n, n), (n, n)).copy_from(&(a.transpose() * t));
        let e = m.exp();
        let phi = e.view((n, n), (n, n)).transpose();
        let q = &phi * e.view((0, n), (n, n));
        (phi, q)
    }

    fn close(a: &[f64], b: &[f64], rel: f64) {
        assert_eq!(a.len(), b.len());
        let scale = a.iter().chain(b).fold(0.0f64, |m, v| m.max(v.abs()));
        for (x, y) in a.iter().zip(b.iter()) {
            assert!((x - y).abs() <= rel * x.abs().max(y.abs()).max(1e-3 * scale), "{a:?} vs {b:?}");
        }
    }

    fn axis(m: &DMatrix<f64>, order: usize) -> DMatrix<f64> {
        // x-axis block (indices 0, 3, 6 …) of a native model.
        DMatrix::from_fn(order, order, |r, c| m[(3 * r, 3 * c)])
    }

    #[test]
    fn ca_and_singer_match_van_loan() {
        let x0 = DVector::zeros(9);
        let ca = NearlyConstantAcceleration::new(0.7, Layout::Native).unwrap();
        let a = DMatrix::from_row_slice(3, 3, &[0.0, 1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0]);
        let mut gqg = DMatrix::zeros(3, 3);
        gqg[(2, 2)] = 0.7;
        for t in [0.01, 1.0, 4.0] {
            let (phi, q) = van_loan(&a, &gqg, t);
            close(axis(&ca.jacobian(&x0, t), 3).as_slice(), phi.as_slice(), 1e-12);
            close(axis(&ca.noise_covariance(&x0, t), 3).as_slice(), q.as_slice(), 1e-9);
        }
        for (tau, t) in [(1000.0, 1.0), (20.0, 1.0), (2.0, 0.9), (2.0, 1.1), (1.0, 5.0), (0.5, 2.0)] {
            let sm = 30.0;
            let s = Singer::new(tau, sm, Layout::Native).unwrap();
            let alpha = 1.0 / tau;
            let mut a = a.clone();
            a[(2, 2)] = -alpha;
            let mut gqg = DMatrix::zeros(3, 3);
            gqg[(2, 2)] = 2.0 * alpha * sm * sm;
            let (phi, q) = van_loan(&a, &gqg, t);
            close(axis(&s.jacobian(&x0, t), 3).as_slice(), phi.as_slice(), 1e-11);
            close(axis(&s.noise_covariance(&x0, t), 3).as_slice(), q.as_slice(), 1e-8);
        }
    }

    #[test]
    fn singer_acceleration_variance_settles_at_sigma_m_squared() {
        // Long after a step, the acceleration is stationary with variance σ_m² and decorrelated.
        let s = Singer::new(0.1, 30.0, Layout::Native).unwrap();
        let q = s.noise_covariance(&DVector::zeros(9), 50.0);
        assert!((q[(6, 6)] / 900.0 - 1.0).abs() < 1e-12);
        assert!(s.jacobian(&DVector::zeros(9), 50.0)[(6, 6)] < 1e-200);
    }

    #[test]
    fn singer_tends_to_ca_for_long_time_constants() {
        // α → 0 with 2ασ_m² = q fixed: Singer → Wiener-process acceleration with density q.
        let x0 = DVector::zeros(9);
        let tau = 1e7;
        let q = 0.3;
        let s = Singer::new(tau, (q * tau / 2.0).sqrt(), Layout::Native).unwrap();
        let ca = NearlyConstantAcceleration::new(q, Layout::Native).unwrap();
        close(s.noise_covariance(&x0, 2.0).as_slice(), ca.noise_covariance(&x0, 2.0).as_slice(), 1e-6);
    }

    #[test]
    fn turn_reduces_to_cv_at_zero_rate_and_turns_velocity_exactly() {
        let ct = CoordinatedTurn::new(1.0, 1.0, 0.0, Layout::Native).unwrap();
        let cv = NearlyConstantVelocity::new(1.0, Layout::Native).unwrap();
        let x = DVector::from_vec(vec![100.0, -50.0, 3000.0, 250.0, 10.0, -2.0, 0.0]);
        let x6 = x.rows(0, 6).into_owned();
        let f = ct.function(&x, 2.0);
        close(f.rows(0, 6).into_owned().as_slice(), cv.function(&x6, 2.0).as_slice(), 1e-15);
        close(
            ct.jacobian(&x, 2.0).view((0, 0), (6, 6)).into_owned().as_slice(),
            cv.jacobian(&x6, 2.0).as_slice(),
            1e-15,
        );
        // Quarter turn: ω = π/(2T) rotates v by 90° and moves the target along a circle of
        // radius |v|/ω (analytic).
        let t = 4.0;
        let w = std::f64::consts::FRAC_PI_2 / t;
        let x = DVector::from_vec(vec![0.0, 0.0, 0.0, 200.0, 0.0, 0.0, w]);
        let y = ct.function(&x, t);
        let r = 200.0 / w;
        close(y.rows(0, 5).into_owned().as_slice(), DVector::from_vec(vec![r, r, 0.0, 0.0, 200.0]).as_slice(), 1e-13);
    }

    #[test]
    fn turn_jacobian_matches_finite_differences_across_the_series_switch() {
        let ct = CoordinatedTurn::new(1.0, 1.0, 1e-4, Layout::Common).unwrap();
        for w in [0.3, 0.02, 4e-3, 1e-5, 0.0, -0.2] {
            let x = DVector::from_vec(vec![100.0, -50.0, 3000.0, 250.0, -80.0, -2.0, 0.0, 0.0, 0.0, w]);
            let t = 1.5;
            let j = ct.jacobian(&x, t);
            for k in 0..10 {
                let h = 1e-6 * x[k].abs().max(1e-3);
                let (mut xp, mut xm) = (x.clone(), x.clone());
                xp[k] += h;
                xm[k] -= h;
                let d = (ct.function(&xp, t) - ct.function(&xm, t)) / (2.0 * h);
                for r in 0..10 {
                    let tol = 1e-6 * j[(r, k)].abs().max(1.0);
                    assert!((j[(r, k)] - d[r]).abs() <= tol, "ω {w} ∂{r}/∂{k}: {} vs {}", j[(r, k)], d[r]);
                }
            }
        }
        // Continuity of the terms at the switch |ωT| = 10⁻².
        // Series just below, closed form at the switch (one ulp apart in ω).
        let (a, b) = (turn_terms(f64::from_bits(1e-2f64.to_bits() - 1), 1.0), turn_terms(1e-2, 1.0));
        for (x, y) in [(a.0, b.0), (a.1, b.1), (a.2, b.2), (a.3, b.3)] {
            assert!((x - y).abs() <= 1e-11 * x.abs(), "{a:?} {b:?}");
        }
    }

    #[test]
    fn common_layout_zeroes_what_a_mode_does_not_model() {
        let x = DVector::from_vec(vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 0.1]);
        let cv = NearlyConstantVelocity::new(1.0, Layout::Common).unwrap().function(&x, 1.0);
        assert_eq!(cv.rows(6, 4).into_owned(), DVector::zeros(4));
        let ca = NearlyConstantAcceleration::new(1.0, Layout::Common).unwrap().function(&x, 1.0);
        assert_eq!((ca[0], ca[3], ca[6], ca[9]), (1.0 + 4.0 + 3.5, 4.0 + 7.0, 7.0, 0.0));
        let ct = CoordinatedTurn::new(1.0, 1.0, 1.0, Layout::Common).unwrap().function(&x, 1.0);
        assert_eq!((ct[6], ct[9]), (0.0, 0.1));
        assert!(NearlyConstantVelocity::new(-1.0, Layout::Native).is_err());
        assert!(Singer::new(0.0, 1.0, Layout::Native).is_err());
        assert!(CoordinatedTurn::new(1.0, f64::NAN, 1.0, Layout::Native).is_err());
    }
}
