//! Track-to-track fusion by covariance intersection (Julier & Uhlmann 1997, "A non-divergent
//! estimation algorithm in the presence of unknown correlations", Proc. American Control
//! Conference, pp. 2369–2373).
//!
//! Two estimates (a, A) and (b, B) of one state whose cross-correlation is unknown — tracks of
//! one target by two units share its process noise, so treating them as independent would
//! count that noise twice and give an overconfident picture — fuse as
//!
//! P⁻¹ = ω A⁻¹ + (1 − ω) B⁻¹,   x = P (ω A⁻¹ a + (1 − ω) B⁻¹ b),   ω ∈ [0, 1],
//!
//! which is consistent (P ≥ the true error covariance) for every cross-correlation when A and
//! B are. ω is chosen to minimise tr P (the choice of Julier & Uhlmann), here by golden-section
//! search: tr P(ω) is convex in ω (the trace of the inverse of a matrix affine in ω). More than
//! two estimates fuse in turn, each into the result of the previous ones (sequential CI, still
//! consistent).
use nalgebra::{DMatrix, DVector};

/// Why two estimates cannot be fused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FusionError {
    #[error("estimates of different dimensions ({0} and {1})")]
    Dimension(usize, usize),
    #[error("a covariance is not symmetric positive definite, or holds a NaN or infinity")]
    NotPositiveDefinite,
    #[error("no estimate to fuse")]
    Empty,
}

/// A state estimate and its covariance.
#[derive(Debug, Clone, PartialEq)]
pub struct Estimate {
    pub x: DVector<f64>,
    pub p: DMatrix<f64>,
}

/// The fused estimate and the weight ω of the first input.
#[derive(Debug, Clone, PartialEq)]
pub struct CiFusion {
    pub estimate: Estimate,
    pub omega: f64,
}

fn inverse_spd(p: &DMatrix<f64>) -> Result<DMatrix<f64>, FusionError> {
    if !p.iter().all(|v| v.is_finite()) || !p.is_square() {
        return Err(FusionError::NotPositiveDefinite);
    }
    let sym = (p + p.transpose()) * 0.5;
    sym.cholesky().map(|c| c.inverse()).ok_or(FusionError::NotPositiveDefinite)
}

/// Covariance intersection of `a` and `b`, ω minimising tr P (to 1e-10 in ω).
pub fn covariance_intersection(a: &Estimate, b: &Estimate) -> Result<CiFusion, FusionError> {
    let n = a.x.len();
    if b.x.len() != n || a.p.nrows() != n || b.p.nrows() != n {
        return Err(FusionError::Dimension(n, b.x.len()));
    }
    if !a.x.iter().chain(b.x.iter()).all(|v| v.is_finite()) {
        return Err(FusionError::NotPositiveDefinite);
    }
    let ia = inverse_spd(&a.p)?;
    let ib = inverse_spd(&b.p)?;
    let info = |w: f64| &ia * w + &ib * (1.0 - w);
    // tr P(ω); an information matrix that fails to invert counts as infinitely uncertain.
    let trace = |w: f64| inverse_spd(&info(w)).map_or(f64::INFINITY, |p| p.trace());
    let (mut lo, mut hi) = (0.0_f64, 1.0_f64);
    let g = (5.0_f64.sqrt() - 1.0) / 2.0;
    let (mut c, mut d) = (hi - g * (hi - lo), lo + g * (hi - lo));
    let (mut fc, mut fd) = (trace(c), trace(d));
    while hi - lo > 1e-10 {
        if fc < fd {
            hi = d;
            d = c;
            fd = fc;
            c = hi - g * (hi - lo);
            fc = trace(c);
        } else {
            lo = c;
            c = d;
            fc = fd;
            d = lo + g * (hi - lo);
            fd = trace(d);
        }
    }
    // The ends are candidates too (tr P is often smallest at ω = 0 or 1).
    let mid = 0.5 * (lo + hi);
    let omega = [0.0, mid, 1.0].into_iter().fold((mid, trace(mid)), |best, w| {
        let t = trace(w);
        if t < best.1 { (w, t) } else { best }
    });
    let omega = omega.0;
    let p = inverse_spd(&info(omega))?;
    let x = &p * (&ia * &a.x * omega + &ib * &b.x * (1.0 - omega));
    Ok(CiFusion { estimate: Estimate { x, p }, omega })
}

/// Sequential covariance intersection of every estimate of `all`, in order.
pub fn fuse_all(all: &[Estimate]) -> Result<Estimate, FusionError> {
    let (first, rest) = all.split_first().ok_or(FusionError::Empty)?;
    inverse_spd(&first.p)?;
    let mut acc = first.clone();
    for e in rest {
        acc = covariance_intersection(&acc, e)?.estimate;
    }
    Ok(acc)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn diag(v: &[f64]) -> DMatrix<f64> {
        DMatrix::from_diagonal(&DVector::from_row_slice(v))
    }

    fn est(x: &[f64], p: DMatrix<f64>) -> Estimate {
        Estimate { x: DVector::from_row_slice(x), p }
    }

    /// Scalar case (analytic): P(ω)⁻¹ = ω/a + (1 − ω)/b is linear in ω, so tr P is least at an
    /// end: CI keeps the better estimate whole, P = min(a, b) and x its value (Julier & Uhlmann
    /// 1997, §3: CI never claims more information than the best input without knowing the
    /// correlation).
    #[test]
    fn scalar_ci_keeps_the_better_estimate() {
        let f = covariance_intersection(&est(&[1.0], diag(&[4.0])), &est(&[3.0], diag(&[1.0]))).unwrap();
        assert!(f.omega.abs() < 1e-9, "ω = {}", f.omega);
        assert!((f.estimate.p[(0, 0)] - 1.0).abs() < 1e-9);
        assert!((f.estimate.x[0] - 3.0).abs() < 1e-9);
    }

    /// 2-D case with a closed-form answer. A = diag(a₁, a₂), B = diag(b₁, b₂): tr P(ω) =
    /// Σᵢ 1/(cᵢ + dᵢω) with cᵢ = 1/bᵢ, dᵢ = 1/aᵢ − 1/bᵢ; d tr P/dω = 0 gives
    /// c₁ + d₁ω = s (c₂ + d₂ω), s = √(−d₁/d₂), so ω* = (s c₂ − c₁)/(d₁ − s d₂). For A = diag(1, 9),
    /// B = diag(4, 1): c = (1/4, 1), d = (3/4, −8/9), s = √(27/32), ω* = 0.4268 (to 1e-4, computed
    /// by hand), P = diag(1/(c₁+d₁ω*), 1/(c₂+d₂ω*)). Tolerance 1e-7 (the search stops at 1e-10 in ω).
    #[test]
    fn two_d_ci_matches_the_closed_form_optimum() {
        let (a, b): ([f64; 2], [f64; 2]) = ([1.0, 9.0], [4.0, 1.0]);
        let c = [1.0 / b[0], 1.0 / b[1]];
        let d = [1.0 / a[0] - 1.0 / b[0], 1.0 / a[1] - 1.0 / b[1]];
        let s = (-d[0] / d[1]).sqrt();
        let w = (s * c[1] - c[0]) / (d[0] - s * d[1]);
        assert!((w - 0.4268).abs() < 1e-4, "closed form ω* = {w}");
        let f = covariance_intersection(&est(&[0.0, 0.0], diag(&a)), &est(&[1.0, 1.0], diag(&b))).unwrap();
        assert!((f.omega - w).abs() < 1e-7, "ω {} vs {w}", f.omega);
        for i in 0..2 {
            let p = 1.0 / (c[i] + d[i] * w);
            assert!((f.estimate.p[(i, i)] - p).abs() < 1e-7, "P[{i}] {} vs {p}", f.estimate.p[(i, i)]);
            // x_i = P_i (ω a_i⁻¹·0 + (1 − ω) b_i⁻¹·1)
            let x = p * (1.0 - w) / b[i];
            assert!((f.estimate.x[i] - x).abs() < 1e-7);
        }
        assert!(f.estimate.p[(0, 1)].abs() < 1e-12);
    }

    /// Consistency (Julier & Uhlmann 1997, theorem): for two estimates with errors of any
    /// cross-correlation, E[(x − x̂)(x − x̂)ᵀ] ≤ P_CI. Checked exactly (no sampling) for fully
    /// correlated errors of equal covariance, the case that naive independent fusion gets
    /// most wrong: the true fused error covariance is A itself, while the independent-fusion
    /// formula would claim A/2; CI gives P = A.
    #[test]
    fn ci_does_not_halve_the_covariance_of_one_estimate_seen_twice() {
        let a = DMatrix::from_row_slice(2, 2, &[4.0, 1.0, 1.0, 2.0]);
        let f = covariance_intersection(&est(&[1.0, 2.0], a.clone()), &est(&[1.0, 2.0], a.clone())).unwrap();
        assert!((f.estimate.p - a).abs().max() < 1e-9);
    }

    #[test]
    fn bad_covariances_are_errors_not_panics() {
        let good = est(&[0.0], diag(&[1.0]));
        assert_eq!(covariance_intersection(&good, &est(&[0.0], diag(&[0.0]))), Err(FusionError::NotPositiveDefinite));
        assert_eq!(
            covariance_intersection(&good, &est(&[0.0], diag(&[f64::NAN]))),
            Err(FusionError::NotPositiveDefinite)
        );
        assert_eq!(
            covariance_intersection(&good, &est(&[0.0, 0.0], diag(&[1.0, 1.0]))),
            Err(FusionError::Dimension(1, 2))
        );
        assert_eq!(fuse_all(&[]), Err(FusionError::Empty));
    }

    /// Normal draws for the Monte Carlo below: SplitMix64 (Steele, Lea & Flood 2014) into
    /// Box–Muller; a fixed seed, so the test is deterministic.
    struct Normals(u64);
    impl Normals {
        fn uniform(&mut self) -> f64 {
            self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
        }
        fn normal(&mut self) -> f64 {
            let (u1, u2) = (self.uniform().max(1e-300), self.uniform());
            (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
        }
    }

    /// NEES of the fused estimate against truth, two tracks sharing a common error (the
    /// target's process noise both trackers saw): a = c + eₐ, b = c + e_b with c ~ N(0, C),
    /// eₐ ~ N(0, Uₐ), e_b ~ N(0, U_b) in 2-D, A = C + Uₐ, B = C + U_b. Over N = 4000 trials the
    /// CI estimate's summed NEES stays below the χ²(2N) 99 % quantile (consistent: Julier &
    /// Uhlmann 1997), while naive independent fusion, P = (A⁻¹ + B⁻¹)⁻¹, exceeds it (double
    /// counting of C). The fused error is also no larger than the better input's on average.
    #[test]
    fn ci_is_consistent_under_common_process_noise_where_independent_fusion_is_not() {
        let c = DMatrix::from_row_slice(2, 2, &[9.0, 2.0, 2.0, 4.0]);
        let ua = diag(&[1.0, 3.0]);
        let ub = diag(&[3.0, 1.0]);
        let (a_cov, b_cov) = (&c + &ua, &c + &ub);
        let lc = c.clone().cholesky().unwrap().l();
        let (la, lb) = (ua.clone().cholesky().unwrap().l(), ub.clone().cholesky().unwrap().l());
        let mut rng = Normals(14);
        let mut draw = |l: &DMatrix<f64>| l * DVector::from_row_slice(&[rng.normal(), rng.normal()]);
        let n = 4000;
        let (mut nees_ci, mut nees_naive, mut err_ci, mut err_a) = (0.0, 0.0, 0.0, 0.0);
        let naive_p = (inverse_spd(&a_cov).unwrap() + inverse_spd(&b_cov).unwrap()).try_inverse().unwrap();
        for _ in 0..n {
            let common = draw(&lc);
            let a = &common + draw(&la);
            let b = &common + draw(&lb);
            let f = covariance_intersection(
                &Estimate { x: a.clone(), p: a_cov.clone() },
                &Estimate { x: b.clone(), p: b_cov.clone() },
            )
            .unwrap();
            let e = &f.estimate.x;
            nees_ci += (e.transpose() * inverse_spd(&f.estimate.p).unwrap() * e)[0];
            let naive_x = &naive_p * (inverse_spd(&a_cov).unwrap() * &a + inverse_spd(&b_cov).unwrap() * &b);
            nees_naive += (naive_x.transpose() * inverse_spd(&naive_p).unwrap() * &naive_x)[0];
            err_ci += e.norm_squared();
            err_a += a.norm_squared();
        }
        let bound = crate::chi2::quantile(0.99, 2 * n).unwrap();
        assert!(nees_ci < bound, "CI NEES {nees_ci:.0} ≥ χ² bound {bound:.0}");
        assert!(nees_naive > bound, "independent fusion NEES {nees_naive:.0} within {bound:.0}");
        assert!(err_ci <= err_a, "CI error {err_ci:.0} vs track a {err_a:.0}");
    }
}
