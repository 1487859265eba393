//! ANEES bounds against SciPy 1.17.1 (`chi2.ppf(q, N·n) / N`, printed with repr), RMSE
//! against hand-computed values.
use bulwark_tracking::metrics::{anees, rmse};

#[test]
fn anees_bounds_match_scipy() {
    // (N, n, lower, upper) = chi2.ppf(0.025, N n)/N, chi2.ppf(0.975, N n)/N.
    let table = [
        (50, 4, 3.2545596500369256, 4.821157910126218),
        (1, 6, 1.2373442457912027, 14.44937533544792),
        (300, 2, 1.7800618348864423, 2.2325638407213706),
    ];
    for (n_samples, dof, lo, hi) in table {
        let samples: Vec<f64> = (0..n_samples).map(|i| dof as f64 * (0.5 + (i % 2) as f64)).collect();
        let s = anees(&samples, dof).unwrap();
        assert!((s.lower / lo - 1.0).abs() < 1e-9 && (s.upper / hi - 1.0).abs() < 1e-9, "{s:?}");
        let mean = samples.iter().sum::<f64>() / n_samples as f64;
        assert!((s.anees - mean).abs() < 1e-12);
    }
    // An overconfident filter (ε̄ = 3n) fails, a consistent one (ε̄ = n) passes.
    assert!(!anees(&[12.0; 50], 4).unwrap().is_consistent());
    assert!(anees(&[4.0; 50], 4).unwrap().is_consistent());
    assert!(anees(&[], 4).is_err() && anees(&[1.0], 0).is_err() && anees(&[f64::NAN], 2).is_err());
}

#[test]
fn rmse_of_known_errors() {
    // Errors of 3-4-5 and 0: √((25 + 0) / 2).
    let est = [[3.0, 4.0], [1.0, 1.0]];
    let truth = [[0.0, 0.0], [1.0, 1.0]];
    assert!((rmse(&est, &truth).unwrap() - 12.5f64.sqrt()).abs() < 1e-15);
    assert!(rmse(&est, &truth[..1]).is_err());
}
