//! χ² quantiles against SciPy's `chi2.ppf` (the oracle Python of `tools/ci/oracle-venv.sh`,
//! named by `BULWARK_STATS_PYTHON`, as the campaign tests use): 1e-9 relative over 1–2000
//! degrees of freedom and tail probabilities 1e-6 … 1 − 1e-6. Without that Python the test says
//! so and passes, unless `BULWARK_STATS_PYTHON` is set (then its absence is a failure).

use bulwark_exposure::chi_square::chi_square_quantile;
use std::process::Command;

fn python() -> Option<String> {
    let candidates: Vec<String> = match std::env::var("BULWARK_STATS_PYTHON") {
        Ok(p) => vec![p],
        Err(_) => vec!["python3".into()],
    };
    candidates
        .into_iter()
        .find(|p| Command::new(p).args(["-c", "import scipy"]).output().is_ok_and(|o| o.status.success()))
}

#[test]
fn chi_square_quantiles_match_scipy() {
    let Some(py) = python() else {
        assert!(std::env::var_os("BULWARK_STATS_PYTHON").is_none(), "BULWARK_STATS_PYTHON is set but has no scipy");
        println!("no Python with scipy (set BULWARK_STATS_PYTHON): chi2.ppf not checked");
        return;
    };
    let ps = [1e-6, 0.005, 0.025, 0.05, 0.5, 0.95, 0.975, 0.995, 1.0 - 1e-6];
    let dofs = [1.0, 2.0, 3.0, 10.0, 40.0, 200.0, 2000.0];
    let script = format!(
        "from scipy.stats import chi2\nfor p in {ps:?}:\n    for k in {dofs:?}:\n        print(repr(float(chi2.ppf(p, k))))\n"
    );
    let out = Command::new(&py).args(["-c", &script]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let want: Vec<f64> = String::from_utf8(out.stdout).unwrap().lines().map(|l| l.parse().unwrap()).collect();
    let mut i = 0;
    for p in ps {
        for k in dofs {
            let got = chi_square_quantile(p, k).unwrap();
            assert!((got / want[i] - 1.0).abs() < 1e-9, "chi2.ppf({p}, {k}) = {} vs ours {got}", want[i]);
            i += 1;
        }
    }
}
