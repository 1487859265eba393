//! Optimal 2-D assignment with "no assignment" costs.
//!
//! A rectangular problem — n rows (tracks), m columns (detections), cost c_ij (∞ = forbidden),
//! and a cost a_i for leaving row i unassigned and b_j for leaving column j unassigned — is
//! made square of size n + m (Blackman & Popoli 1999, §6.5.1):
//!
//! ```text
//! [ C            diag(a) (∞ off the diagonal) ]
//! [ diag(b) (∞)  0                            ]
//! ```
//!
//! and solved by shortest augmenting paths with dual potentials (Jonker & Volgenant 1987,
//! "A shortest augmenting path algorithm for dense and sparse linear assignment problems",
//! Computing 38; Crouse 2016, "On implementing 2D rectangular assignment algorithms", IEEE
//! TAES 52(4)), O((n+m)³). The padded matrix always has a finite perfect matching.
use std::fmt;

/// The result: for each row, its column or `None`; and the total cost including the
/// no-assignment costs.
#[derive(Clone, Debug, PartialEq)]
pub struct Assignment {
    pub row_to_col: Vec<Option<usize>>,
    pub cost: f64,
}

/// Solves min Σ c_{i,σ(i)} + Σ_{unassigned rows} a_i + Σ_{unassigned cols} b_j.
pub trait AssignmentSolver: fmt::Debug + Send + Sync {
    /// `cost` is row-major `rows × cols` (`f64::INFINITY` forbids a pair); `row_miss.len()` =
    /// rows, `col_miss.len()` = cols, both finite. `None` on malformed input.
    fn solve(&self, cost: &[f64], rows: usize, cols: usize, row_miss: &[f64], col_miss: &[f64]) -> Option<Assignment>;
}

/// Jonker–Volgenant style shortest augmenting path solver (see the module doc).
#[derive(Copy, Clone, Debug, Default)]
pub struct ShortestAugmentingPath;

impl AssignmentSolver for ShortestAugmentingPath {
    fn solve(&self, cost: &[f64], rows: usize, cols: usize, row_miss: &[f64], col_miss: &[f64]) -> Option<Assignment> {
        if cost.len() != rows * cols || row_miss.len() != rows || col_miss.len() != cols {
            return None;
        }
        if cost.iter().any(|c| c.is_nan() || *c == f64::NEG_INFINITY)
            || row_miss.iter().chain(col_miss).any(|c| !c.is_finite())
        {
            return None;
        }
        let n = rows + cols;
        // The padded matrix of the module doc, evaluated on demand: an explicit (n + m)² matrix
        // would be mostly ∞ and, for a large cluster, megabytes of fresh memory per call.
        let a = |i: usize, j: usize| -> f64 {
            match (i < rows, j < cols) {
                (true, true) => cost[i * cols + j],
                (true, false) => {
                    if j - cols == i {
                        row_miss[i]
                    } else {
                        f64::INFINITY
                    }
                }
                (false, true) => {
                    if i - rows == j {
                        col_miss[j]
                    } else {
                        f64::INFINITY
                    }
                }
                (false, false) => 0.0,
            }
        };
        let col_of_row = square_min(&a, n)?;
        let mut row_to_col = vec![None; rows];
        let mut total = 0.0;
        for (i, &j) in col_of_row.iter().enumerate() {
            total += a(i, j);
            if i < rows && j < cols {
                row_to_col[i] = Some(j);
            }
        }
        Some(Assignment { row_to_col, cost: total })
    }
}

/// Square min-cost perfect matching by shortest augmenting paths with potentials u, v
/// (Hungarian method in the Jonker–Volgenant form). Returns the column of each row, or
/// `None` if no finite perfect matching exists.
fn square_min(a: &dyn Fn(usize, usize) -> f64, n: usize) -> Option<Vec<usize>> {
    let inf = f64::INFINITY;
    // 1-based with a virtual column 0, as in the classical formulation.
    let mut u = vec![0.0; n + 1];
    let mut v = vec![0.0; n + 1];
    let mut p = vec![0usize; n + 1]; // p[j]: row matched to column j
    let mut way = vec![0usize; n + 1];
    let mut minv = vec![inf; n + 1];
    let mut used = vec![false; n + 1];
    for i in 1..=n {
        p[0] = i;
        let mut j0 = 0usize;
        minv.fill(inf);
        used.fill(false);
        loop {
            used[j0] = true;
            let i0 = p[j0];
            let mut delta = inf;
            let mut j1 = 0usize;
            for j in 1..=n {
                if !used[j] {
                    let cur = a(i0 - 1, j - 1) - u[i0] - v[j];
                    if cur < minv[j] {
                        minv[j] = cur;
                        way[j] = j0;
                    }
                    if minv[j] < delta {
                        delta = minv[j];
                        j1 = j;
                    }
                }
            }
            if !delta.is_finite() || j1 == 0 {
                return None;
            }
            for j in 0..=n {
                if used[j] {
                    u[p[j]] += delta;
                    v[j] -= delta;
                } else {
                    minv[j] -= delta;
                }
            }
            j0 = j1;
            if p[j0] == 0 {
                break;
            }
        }
        loop {
            let j1 = way[j0];
            p[j0] = p[j1];
            j0 = j1;
            if j0 == 0 {
                break;
            }
        }
    }
    let mut col_of_row = vec![0usize; n];
    for j in 1..=n {
        col_of_row[p[j] - 1] = j - 1;
    }
    Some(col_of_row)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Exhaustive search over all partial one-to-one matchings.
    fn brute_force(cost: &[f64], rows: usize, cols: usize, row_miss: &[f64], col_miss: &[f64]) -> f64 {
        struct P<'a> {
            c: &'a [f64],
            rows: usize,
            cols: usize,
            a: &'a [f64],
            b: &'a [f64],
        }
        fn rec(p: &P, i: usize, used: &mut Vec<bool>, acc: f64) -> f64 {
            if i == p.rows {
                return acc + (0..p.cols).filter(|&j| !used[j]).map(|j| p.b[j]).sum::<f64>();
            }
            let mut best = rec(p, i + 1, used, acc + p.a[i]);
            for j in 0..p.cols {
                let cij = p.c[i * p.cols + j];
                if !used[j] && cij.is_finite() {
                    used[j] = true;
                    best = best.min(rec(p, i + 1, used, acc + cij));
                    used[j] = false;
                }
            }
            best
        }
        let p = P { c: cost, rows, cols, a: row_miss, b: col_miss };
        rec(&p, 0, &mut vec![false; cols], 0.0)
    }

    fn problem() -> impl Strategy<Value = (usize, usize, Vec<f64>, Vec<f64>, Vec<f64>)> {
        (0usize..=5, 0usize..=5).prop_flat_map(|(r, c)| {
            (
                Just(r),
                Just(c),
                prop::collection::vec(prop_oneof![4 => 0.0f64..20.0, 1 => Just(f64::INFINITY)], r * c),
                prop::collection::vec(0.0f64..15.0, r),
                prop::collection::vec(0.0f64..15.0, c),
            )
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        #[test]
        fn equals_brute_force((rows, cols, cost, a, b) in problem()) {
            let s = ShortestAugmentingPath.solve(&cost, rows, cols, &a, &b).unwrap();
            let best = brute_force(&cost, rows, cols, &a, &b);
            prop_assert!((s.cost - best).abs() <= 1e-9 * best.max(1.0), "solver {} brute force {}", s.cost, best);
            // The reported matching is consistent with the reported cost and one-to-one.
            let mut used = vec![false; cols];
            let mut recomputed = 0.0;
            for (i, c) in s.row_to_col.iter().enumerate() {
                match c {
                    Some(j) => { prop_assert!(!used[*j]); used[*j] = true; recomputed += cost[i * cols + j]; }
                    None => recomputed += a[i],
                }
            }
            recomputed += (0..cols).filter(|&j| !used[j]).map(|j| b[j]).sum::<f64>();
            prop_assert!((recomputed - s.cost).abs() <= 1e-9 * best.max(1.0));
        }
    }

    #[test]
    fn known_three_by_three() {
        // Rows [4 1 3; 2 0 5; 3 2 2]; of the 6 permutations, (0,1)+(1,0)+(2,2) = 1+2+2 = 5 is the
        // unique minimum (next best: 6).
        let c = [4.0, 1.0, 3.0, 2.0, 0.0, 5.0, 3.0, 2.0, 2.0];
        let s = ShortestAugmentingPath.solve(&c, 3, 3, &[100.0; 3], &[100.0; 3]).unwrap();
        assert_eq!(s.row_to_col, vec![Some(1), Some(0), Some(2)]);
        assert_eq!(s.cost, 5.0);
        // Misses cheaper than every pair: nothing is assigned.
        let s = ShortestAugmentingPath.solve(&c, 3, 3, &[0.0; 3], &[-0.5; 3]).unwrap();
        assert_eq!(s.row_to_col, vec![None; 3]);
        assert_eq!(s.cost, -1.5);
        assert!(ShortestAugmentingPath.solve(&c, 3, 2, &[0.0; 3], &[0.0; 2]).is_none());
        assert!(ShortestAugmentingPath.solve(&[f64::NAN], 1, 1, &[0.0], &[0.0]).is_none());
    }
}
