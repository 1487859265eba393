//! Chi-square distribution: CDF and quantile, for gates and consistency tests.
//!
//! CDF F(x; k) = P(k/2, x/2), the regularised lower incomplete gamma function, evaluated by
//! its series for x < a + 1 and by the Lentz continued fraction for Q = 1 − P otherwise
//! (Press et al., Numerical Recipes, 3rd ed. 2007, §6.2); ln Γ by the Lanczos approximation
//! (ibid. §6.1, g = 607/128, 15 terms). The quantile inverts the CDF by bisection.

/// ln Γ(x) for x > 0 (Lanczos; ~1e-15 relative).
fn ln_gamma(x: f64) -> f64 {
    // Coefficients as published (NR3 §6.1); the extra digits are harmless.
    #[allow(clippy::excessive_precision)]
    const COF: [f64; 14] = [
        57.156_235_665_862_923_5,
        -59.597_960_355_475_491_2,
        14.136_097_974_741_747_1,
        -0.491_913_816_097_620_199,
        0.339_946_499_848_118_887e-4,
        0.465_236_289_270_485_756e-4,
        -0.983_744_753_048_795_646e-4,
        0.158_088_703_224_912_494e-3,
        -0.210_264_441_724_104_883e-3,
        0.217_439_618_115_212_643e-3,
        -0.164_318_106_536_763_890e-3,
        0.844_182_239_838_527_433e-4,
        -0.261_908_384_015_814_087e-4,
        0.368_991_826_595_316_234e-5,
    ];
    let mut y = x;
    let tmp = x + 5.242_187_5;
    let tmp = (x + 0.5) * tmp.ln() - tmp;
    #[allow(clippy::excessive_precision)]
    let mut ser = 0.999_999_999_999_997_092;
    for c in COF {
        y += 1.0;
        ser += c / y;
    }
    tmp + (2.506_628_274_631_000_5 * ser / x).ln()
}

/// Regularised lower incomplete gamma P(a, x), a > 0, x ≥ 0.
fn gamma_p(a: f64, x: f64) -> f64 {
    if x.is_nan() || x <= 0.0 {
        return 0.0;
    }
    if x.is_infinite() {
        return 1.0;
    }
    let gln = ln_gamma(a);
    if x < a + 1.0 {
        let (mut ap, mut del) = (a, 1.0 / a);
        let mut sum = del;
        for _ in 0..10_000 {
            ap += 1.0;
            del *= x / ap;
            sum += del;
            if del.abs() < sum.abs() * 1e-16 {
                break;
            }
        }
        (sum.ln() - x + a * x.ln() - gln).exp().min(1.0)
    } else {
        const FPMIN: f64 = 1e-300;
        let mut b = x + 1.0 - a;
        let mut c = 1.0 / FPMIN;
        let mut d = 1.0 / b;
        let mut h = d;
        for i in 1..10_000 {
            let an = -(i as f64) * (i as f64 - a);
            b += 2.0;
            d = an * d + b;
            if d.abs() < FPMIN {
                d = FPMIN;
            }
            c = b + an / c;
            if c.abs() < FPMIN {
                c = FPMIN;
            }
            d = 1.0 / d;
            let del = d * c;
            h *= del;
            if (del - 1.0).abs() < 1e-16 {
                break;
            }
        }
        (1.0 - (-x + a * x.ln() - gln).exp() * h).max(0.0)
    }
}

/// Chi-square CDF with `dof` degrees of freedom at `x` (0 for x ≤ 0 or dof = 0).
pub fn cdf(x: f64, dof: usize) -> f64 {
    if dof == 0 || x.is_nan() {
        return 0.0;
    }
    gamma_p(dof as f64 / 2.0, x / 2.0)
}

/// The x with `cdf(x, dof) = p`, for p in (0, 1) and dof ≥ 1; `None` otherwise.
/// Bisection to a relative width of 1e-14.
pub fn quantile(p: f64, dof: usize) -> Option<f64> {
    if !(p > 0.0 && p < 1.0) || dof == 0 {
        return None;
    }
    let k = dof as f64;
    let (mut lo, mut hi) = (0.0, k.max(1.0));
    while cdf(hi, dof) < p {
        hi *= 2.0;
        if hi > 1e12 {
            return None;
        }
    }
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if cdf(mid, dof) < p {
            lo = mid;
        } else {
            hi = mid;
        }
        if hi - lo <= 1e-14 * hi {
            break;
        }
    }
    Some(0.5 * (lo + hi))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_match_scipy() {
        // scipy 1.17.1: scipy.stats.chi2.ppf(p, k), printed with repr().
        let table = [
            (0.99, 1, 6.6348966010212145),
            (0.999, 2, 13.815510557964274),
            (0.99, 3, 11.344866730144373),
            (0.999, 3, 16.26623619623813),
            (0.9999, 4, 23.512742444991076),
            (0.95, 6, 12.591587243743977),
            (0.025, 1200, 1105.889881156058),
            (0.975, 1200, 1297.8982763368099),
        ];
        for (p, k, want) in table {
            let got = quantile(p, k).unwrap();
            assert!((got / want - 1.0).abs() < 1e-9, "chi2.ppf({p}, {k}) = {want}, got {got}");
        }
        assert!(quantile(1.0, 3).is_none() && quantile(0.5, 0).is_none() && quantile(f64::NAN, 2).is_none());
    }

    #[test]
    fn cdf_of_two_dof_is_exponential() {
        // Analytic: F(x; 2) = 1 − e^{−x/2}.
        for x in [0.1, 1.0, 5.0, 30.0] {
            assert!((cdf(x, 2) - (1.0 - (-x / 2.0f64).exp())).abs() < 1e-14);
        }
    }
}
