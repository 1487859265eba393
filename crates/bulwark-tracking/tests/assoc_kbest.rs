//! Murty's k-best assignments against an exhaustive enumeration written here: every partial
//! one-to-one matching, costed with its "no assignment" terms, sorted ascending.
use bulwark_tracking::{ShortestAugmentingPath, k_best_assignments};
use proptest::prelude::*;

/// All solutions (row → column or unassigned) with their cost, ascending.
fn enumerate(cost: &[f64], rows: usize, cols: usize, a: &[f64], b: &[f64]) -> Vec<(f64, Vec<Option<usize>>)> {
    fn rec(
        i: usize,
        p: (&[f64], usize, usize, &[f64], &[f64]),
        used: &mut Vec<bool>,
        cur: &mut Vec<Option<usize>>,
        out: &mut Vec<(f64, Vec<Option<usize>>)>,
    ) {
        let (c, rows, cols, a, b) = p;
        if i == rows {
            let mut total = 0.0;
            for (r, ch) in cur.iter().enumerate() {
                total += match ch {
                    Some(j) => c[r * cols + j],
                    None => a[r],
                };
            }
            total += (0..cols).filter(|&j| !used[j]).map(|j| b[j]).sum::<f64>();
            out.push((total, cur.clone()));
            return;
        }
        cur.push(None);
        rec(i + 1, p, used, cur, out);
        cur.pop();
        for j in 0..cols {
            if !used[j] && c[i * cols + j].is_finite() {
                used[j] = true;
                cur.push(Some(j));
                rec(i + 1, p, used, cur, out);
                cur.pop();
                used[j] = false;
            }
        }
    }
    let mut out = Vec::new();
    rec(0, (cost, rows, cols, a, b), &mut vec![false; cols], &mut Vec::new(), &mut out);
    out.sort_by(|x, y| x.0.total_cmp(&y.0));
    out
}

fn problem() -> impl Strategy<Value = (usize, usize, Vec<f64>, Vec<f64>, Vec<f64>, usize)> {
    (0usize..=4, 0usize..=4).prop_flat_map(|(r, c)| {
        (
            Just(r),
            Just(c),
            prop::collection::vec(prop_oneof![4 => -5.0f64..20.0, 1 => Just(f64::INFINITY)], r * c),
            prop::collection::vec(0.0f64..15.0, r),
            prop::collection::vec(-3.0f64..15.0, c),
            1usize..300,
        )
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]
    #[test]
    fn k_best_equals_sorted_brute_force((rows, cols, cost, a, b, k) in problem()) {
        let got = k_best_assignments(&ShortestAugmentingPath, &cost, rows, cols, &a, &b, k).unwrap();
        let want = enumerate(&cost, rows, cols, &a, &b);
        prop_assert_eq!(got.len(), k.min(want.len()));
        let tol = 1e-9 * (1.0 + want.iter().map(|w| w.0.abs()).fold(0.0, f64::max));
        for (g, w) in got.iter().zip(&want) {
            prop_assert!((g.cost - w.0).abs() <= tol, "{} vs {}", g.cost, w.0);
            // Each returned solution is a real one, with the cost it claims.
            let real = want.iter().find(|x| x.1 == g.row_to_col);
            prop_assert!(real.is_some_and(|x| (x.0 - g.cost).abs() <= tol));
        }
        let mut distinct: Vec<_> = got.iter().map(|g| g.row_to_col.clone()).collect();
        distinct.sort();
        distinct.dedup();
        prop_assert_eq!(distinct.len(), got.len(), "solutions are distinct");
    }
}
