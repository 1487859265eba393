//! Properties every interval keeps, on random input: low ≤ estimate ≤ high and finite;
//! proportion bounds in [0, 1]; a higher level never gives a narrower interval; proportions are
//! symmetric under k ↔ n − k; bad input returns `None` and nothing panics; the t and Beta
//! quantiles invert their CDFs over shapes 0.05–10⁶ and 0.5–10⁷ degrees of freedom.

use bulwark_stats::*;
use proptest::prelude::*;

fn ordered(iv: &Interval) -> bool {
    [iv.low, iv.estimate, iv.high, iv.std_error].iter().all(|v| v.is_finite())
        && iv.low <= iv.estimate
        && iv.estimate <= iv.high
        && iv.std_error >= 0.0
}

type PropFn = fn(u64, u64, f64) -> Option<Interval>;
const PROPORTIONS: [PropFn; 6] =
    [wilson, clopper_pearson, clopper_pearson_upper, clopper_pearson_lower, jeffreys, proportion];

fn kn() -> impl Strategy<Value = (u64, u64)> {
    prop_oneof![1u64..=30, 1u64..=100_000].prop_flat_map(|n| (0..=n, Just(n)))
}

fn level() -> impl Strategy<Value = f64> {
    prop_oneof![Just(0.8), Just(0.9), Just(0.95), Just(0.99), 0.01f64..0.9999]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn proportions_are_ordered_and_in_unit_interval((k, n) in kn(), level in level()) {
        for f in PROPORTIONS {
            let iv = f(k, n, level).unwrap();
            prop_assert!(ordered(&iv), "{iv:?}");
            prop_assert!(iv.low >= 0.0 && iv.high <= 1.0, "{iv:?}");
            prop_assert_eq!(iv.n, n);
            prop_assert_eq!(iv.estimate, k as f64 / n as f64);
        }
        // The campaign default never reports a bare 0 % or 100 %.
        let iv = proportion(k, n, level).unwrap();
        prop_assert!(iv.high > 0.0 && iv.low < 1.0);
    }

    #[test]
    fn proportions_widen_with_level((k, n) in kn(), a in 0.01f64..0.9999, b in 0.01f64..0.9999) {
        let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
        for f in PROPORTIONS {
            let (narrow, wide) = (f(k, n, lo).unwrap(), f(k, n, hi).unwrap());
            prop_assert!(wide.low <= narrow.low && narrow.high <= wide.high, "{narrow:?} {wide:?}");
        }
    }

    #[test]
    fn proportions_are_symmetric_in_k((k, n) in kn(), level in level()) {
        let mirror = n - k;
        let close = |a: f64, b: f64| (a - b).abs() <= 1e-12;
        for f in [wilson, clopper_pearson, jeffreys, proportion] {
            let (iv, m) = (f(k, n, level).unwrap(), f(mirror, n, level).unwrap());
            prop_assert!(close(iv.low, 1.0 - m.high) && close(iv.high, 1.0 - m.low), "{iv:?} {m:?}");
            prop_assert!(close(iv.std_error, m.std_error));
        }
        let up = clopper_pearson_upper(k, n, level).unwrap();
        let low = clopper_pearson_lower(mirror, n, level).unwrap();
        prop_assert!(close(up.high, 1.0 - low.low), "{up:?} {low:?}");
    }

    #[test]
    fn means_are_ordered_and_widen(
        xs in prop::collection::vec(-1e6f64..1e6, 2..40),
        a in 0.01f64..0.999,
        b in 0.01f64..0.999,
        seed in any::<u64>(),
    ) {
        let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
        let (narrow, wide) = (mean_t(&xs, lo).unwrap(), mean_t(&xs, hi).unwrap());
        prop_assert!(ordered(&narrow) && ordered(&wide));
        prop_assert!(wide.low <= narrow.low && narrow.high <= wide.high);
        let ys: Vec<f64> = xs.iter().map(|x| x * 0.5 + 1.0).collect();
        let d = paired_difference(&xs, &ys, hi).unwrap();
        prop_assert!(ordered(&d));
        let bn = bootstrap_mean_percentile(&xs, lo, 200, seed).unwrap();
        let bw = bootstrap_mean_percentile(&xs, hi, 200, seed).unwrap();
        prop_assert!(ordered(&bn) && ordered(&bw));
        prop_assert!(bw.low <= bn.low && bn.high <= bw.high);
        let bca = bootstrap_mean(&xs, hi, 200, seed).unwrap();
        prop_assert!(ordered(&bca), "{bca:?}");
        prop_assert_eq!(bca, bootstrap_mean(&xs, hi, 200, seed).unwrap());
    }

    #[test]
    fn bad_input_never_panics(
        k in any::<u64>(),
        n in any::<u64>(),
        level in any::<f64>(),
        xs in prop::collection::vec(any::<f64>(), 0..8),
    ) {
        let valid_level = level > 0.0 && level < 1.0;
        for f in PROPORTIONS {
            let iv = f(k % 1000, n % 1000, level);
            prop_assert_eq!(iv.is_some(), valid_level && n % 1000 > 0 && k % 1000 <= n % 1000);
            if let Some(iv) = iv {
                prop_assert!(ordered(&iv));
            }
        }
        let all = [
            mean_t(&xs, level),
            bootstrap_mean(&xs, level, 50, k),
            bootstrap_mean_percentile(&xs, level, 50, k),
            paired_difference(&xs, &xs, level),
        ];
        for iv in all.into_iter().flatten() {
            prop_assert!(ordered(&iv), "{iv:?}");
        }
        if xs.iter().any(|x| !x.is_finite()) {
            prop_assert!(mean_t(&xs, level).is_none());
        }
    }
}

/// Log-uniform over [lo, hi].
fn log_uniform(lo: f64, hi: f64) -> impl Strategy<Value = f64> {
    (lo.ln()..hi.ln()).prop_map(f64::exp)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn beta_quantile_inverts_the_cdf_and_is_monotone(
        a in log_uniform(0.05, 1e6),
        b in log_uniform(0.05, 1e6),
        p in 1e-9f64..(1.0 - 1e-9),
        dp in 1e-6f64..0.1,
    ) {
        use bulwark_stats::special::{beta_cdf, beta_quantile};
        let x = beta_quantile(p, a, b).unwrap();
        prop_assert!((0.0..=1.0).contains(&x), "{x}");
        if x > 0.0 && x < 1.0 {
            // Tolerance: 1e-10 of the smaller tail, plus the CDF's change over ±2 ulp of x.
            let ulp = 2.0 * f64::EPSILON * x;
            let slack = beta_cdf((x + ulp).min(1.0), a, b) - beta_cdf(x - ulp, a, b);
            let err = (beta_cdf(x, a, b) - p).abs();
            prop_assert!(err <= 1e-10 * p.min(1.0 - p) + slack, "a={a} b={b} p={p} x={x} err={err:e}");
        }
        let q = (p + dp).min(1.0 - 1e-12);
        prop_assert!(beta_quantile(q, a, b).unwrap() >= x);
    }

    #[test]
    fn t_quantile_inverts_the_cdf(dof in log_uniform(0.5, 1e7), p in 1e-9f64..(1.0 - 1e-9)) {
        use bulwark_stats::special::{t_cdf, t_quantile};
        let t = t_quantile(p, dof).unwrap();
        prop_assert!(t.is_finite());
        let ulp = 2.0 * f64::EPSILON * t.abs();
        let slack = t_cdf(t + ulp, dof) - t_cdf(t - ulp, dof);
        let err = (t_cdf(t, dof) - p).abs();
        prop_assert!(err <= 1e-10 * p.min(1.0 - p) + slack, "dof={dof} p={p} t={t} err={err:e}");
    }
}
