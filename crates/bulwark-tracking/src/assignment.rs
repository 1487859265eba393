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

/// A sparse assignment problem in compressed-row form: row i may take column
/// `cols[start[i]..start[i + 1]]` at the cost in the same range of `costs`; leaving row i
/// unassigned costs `row_miss[i]`, leaving column j unassigned `col_miss[j]` (all finite).
#[derive(Clone, Copy, Debug)]
pub struct SparseProblem<'a> {
    pub start: &'a [usize],
    pub cols: &'a [usize],
    pub costs: &'a [f64],
    pub row_miss: &'a [f64],
    pub col_miss: &'a [f64],
}

/// Reused working memory of [`solve_sparse`].
#[derive(Debug, Default)]
pub struct SparseBuffers {
    u: Vec<f64>,
    v: Vec<f64>,
    row4col: Vec<usize>,
    col4row: Vec<usize>,
    dist: Vec<f64>,
    path: Vec<usize>,
    scanned: Vec<bool>,
    touched: Vec<usize>,
    rows_seen: Vec<usize>,
    cols_seen: Vec<usize>,
    heap: std::collections::BinaryHeap<std::cmp::Reverse<HeapKey>>,
}

/// (reduced distance, column already assigned, column): free columns first among equal
/// distances (shorter augmentations), then the lowest column, so the result is deterministic.
#[derive(Clone, Copy, Debug, PartialEq)]
struct HeapKey(f64, bool, usize);
impl Eq for HeapKey {}
impl PartialOrd for HeapKey {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for HeapKey {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.total_cmp(&other.0).then(self.1.cmp(&other.1)).then(self.2.cmp(&other.2))
    }
}

/// The same optimum as [`ShortestAugmentingPath`] on a sparse problem, in memory linear in
/// its size: a gating cluster of 10⁵ tracks would need a dense matrix of 10¹⁰ costs.
///
/// Each row i gets a private "unassigned" column (cost a_i), and column costs are shifted by
/// −b_j, which turns the problem into a rectangular assignment of every row:
/// min Σ_i c'_{i,σ(i)} with c'_ij = c_ij − b_j, plus the constant Σ_j b_j. That is solved
/// row by row by Dijkstra shortest augmenting paths on reduced costs c' − u − v, with a
/// binary heap over the columns reached (Crouse 2016, §IV, Algorithm 1 with its sparse
/// remark; Jonker & Volgenant 1987 for the sparse form). Columns never reached keep v = 0,
/// as optimality of a rectangular assignment requires of unassigned columns. Each search
/// stops at the first free column, at the latest the row's own "unassigned" column, so it
/// explores only the neighbourhood of the row. `None` on malformed input.
pub fn solve_sparse(p: &SparseProblem<'_>, buf: &mut SparseBuffers) -> Option<Assignment> {
    const NONE: usize = usize::MAX;
    let (n, m) = (p.row_miss.len(), p.col_miss.len());
    let well_formed = p.start.len() == n + 1
        && p.start.windows(2).all(|w| w[0] <= w[1])
        && p.start[n] == p.cols.len()
        && p.cols.len() == p.costs.len()
        && p.cols.iter().all(|&j| j < m)
        && p.costs.iter().all(|c| c.is_finite() || *c == f64::INFINITY)
        && p.row_miss.iter().chain(p.col_miss).all(|c| c.is_finite());
    if !well_formed {
        return None;
    }
    let total_cols = m + n; // column m + i: row i unassigned
    let SparseBuffers { u, v, row4col, col4row, dist, path, scanned, touched, rows_seen, cols_seen, heap } = buf;
    u.clear();
    u.resize(n, 0.0);
    v.clear();
    v.resize(total_cols, 0.0);
    row4col.clear();
    row4col.resize(total_cols, NONE);
    col4row.clear();
    col4row.resize(n, NONE);
    dist.clear();
    dist.resize(total_cols, f64::INFINITY);
    path.clear();
    path.resize(total_cols, NONE);
    scanned.clear();
    scanned.resize(total_cols, false);
    for cur in 0..n {
        let (mut i, mut min_val) = (cur, 0.0);
        let sink = loop {
            rows_seen.push(i);
            let edges = (p.start[i]..p.start[i + 1])
                .map(|e| (p.cols[e], p.costs[e] - p.col_miss[p.cols[e]]))
                .chain(std::iter::once((m + i, p.row_miss[i])));
            for (j, c) in edges {
                if scanned[j] || !c.is_finite() {
                    continue;
                }
                let r = min_val + c - u[i] - v[j];
                if r < dist[j] {
                    if dist[j] == f64::INFINITY {
                        touched.push(j);
                    }
                    dist[j] = r;
                    path[j] = i;
                    heap.push(std::cmp::Reverse(HeapKey(r, row4col[j] != NONE, j)));
                }
            }
            // The closest column not yet scanned (stale heap entries skipped).
            let j = loop {
                match heap.pop() {
                    Some(std::cmp::Reverse(HeapKey(d, _, j))) if !scanned[j] && d == dist[j] => break Some(j),
                    Some(_) => continue,
                    None => break None,
                }
            };
            // Unreachable: the row's own unassigned column is always finite and free until taken
            // by that row, and a row is searched from only once it holds a column.
            let j = j?;
            min_val = dist[j];
            scanned[j] = true;
            cols_seen.push(j);
            if row4col[j] == NONE {
                break j;
            }
            i = row4col[j];
        };
        // Dual update (before augmenting: it reads the old col4row).
        u[cur] += min_val;
        for &r in rows_seen.iter().skip(1) {
            u[r] += min_val - dist[col4row[r]];
        }
        for &j in cols_seen.iter() {
            v[j] -= min_val - dist[j];
        }
        // Augment along the path back to `cur`.
        let mut j = sink;
        loop {
            let r = path[j];
            row4col[j] = r;
            let prev = std::mem::replace(&mut col4row[r], j);
            if r == cur {
                break;
            }
            j = prev;
        }
        for &j in touched.iter() {
            dist[j] = f64::INFINITY;
            scanned[j] = false;
        }
        touched.clear();
        rows_seen.clear();
        cols_seen.clear();
        heap.clear();
    }
    let mut cost: f64 = p.col_miss.iter().sum();
    let mut row_to_col = vec![None; n];
    for (i, &j) in col4row.iter().enumerate() {
        if j < m {
            row_to_col[i] = Some(j);
            let e = (p.start[i]..p.start[i + 1])
                .filter(|&e| p.cols[e] == j)
                .min_by(|&a, &b| p.costs[a].total_cmp(&p.costs[b]))?;
            cost += p.costs[e] - p.col_miss[j];
        } else {
            cost += p.row_miss[i];
        }
    }
    Some(Assignment { row_to_col, cost })
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

    /// The cost of `s`'s matching recomputed from the problem, `None` if it is not one-to-one:
    /// the reported matching must be consistent with the reported cost.
    fn matching_cost(s: &Assignment, cost: &[f64], cols: usize, a: &[f64], b: &[f64]) -> Option<f64> {
        let mut used = vec![false; cols];
        let mut total = 0.0;
        for (i, c) in s.row_to_col.iter().enumerate() {
            match c {
                Some(j) if used[*j] => return None,
                Some(j) => {
                    used[*j] = true;
                    total += cost[i * cols + j];
                }
                None => total += a[i],
            }
        }
        Some(total + (0..cols).filter(|&j| !used[j]).map(|j| b[j]).sum::<f64>())
    }

    /// The dense problem in compressed-row form (finite costs only) for [`solve_sparse`].
    fn to_sparse(cost: &[f64], rows: usize, cols: usize) -> (Vec<usize>, Vec<usize>, Vec<f64>) {
        let (mut start, mut js, mut cs) = (vec![0], Vec::new(), Vec::new());
        for i in 0..rows {
            for j in 0..cols {
                if cost[i * cols + j].is_finite() {
                    js.push(j);
                    cs.push(cost[i * cols + j]);
                }
            }
            start.push(js.len());
        }
        (start, js, cs)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        /// Oracle: exhaustive search over all partial matchings (small), and on larger sparse
        /// problems the dense solver (itself checked against exhaustive search above).
        #[test]
        fn sparse_equals_brute_force((rows, cols, cost, a, b) in problem()) {
            let (start, js, cs) = to_sparse(&cost, rows, cols);
            let p = SparseProblem { start: &start, cols: &js, costs: &cs, row_miss: &a, col_miss: &b };
            let s = solve_sparse(&p, &mut SparseBuffers::default()).unwrap();
            let best = brute_force(&cost, rows, cols, &a, &b);
            prop_assert!((s.cost - best).abs() <= 1e-9 * best.max(1.0), "sparse {} brute force {}", s.cost, best);
            let recomputed = matching_cost(&s, &cost, cols, &a, &b);
            prop_assert!(recomputed.is_some(), "not one-to-one");
            prop_assert!((recomputed.unwrap_or(f64::NAN) - s.cost).abs() <= 1e-9 * best.max(1.0));
        }

        #[test]
        fn sparse_equals_dense_on_larger_problems(
            rows in 1usize..40, cols in 1usize..40, seed in any::<u64>(), density in 0.02f64..0.3,
        ) {
            let mut rng = bulwark_core::RngStreams::new(seed, 0).stream(0, bulwark_core::StreamPurpose::Detection);
            let cost: Vec<f64> = (0..rows * cols)
                .map(|_| if rng.uniform() < density { 9.0 * rng.uniform() } else { f64::INFINITY })
                .collect();
            let a: Vec<f64> = (0..rows).map(|_| 2.0 * rng.uniform()).collect();
            let b: Vec<f64> = (0..cols).map(|_| 9.0 * rng.uniform()).collect();
            let dense = ShortestAugmentingPath.solve(&cost, rows, cols, &a, &b).unwrap();
            let (start, js, cs) = to_sparse(&cost, rows, cols);
            let p = SparseProblem { start: &start, cols: &js, costs: &cs, row_miss: &a, col_miss: &b };
            let sparse = solve_sparse(&p, &mut SparseBuffers::default()).unwrap();
            prop_assert!((dense.cost - sparse.cost).abs() <= 1e-9 * dense.cost.abs().max(1.0), "dense {} sparse {}", dense.cost, sparse.cost);
        }

        #[test]
        fn equals_brute_force((rows, cols, cost, a, b) in problem()) {
            let s = ShortestAugmentingPath.solve(&cost, rows, cols, &a, &b).unwrap();
            let best = brute_force(&cost, rows, cols, &a, &b);
            prop_assert!((s.cost - best).abs() <= 1e-9 * best.max(1.0), "solver {} brute force {}", s.cost, best);
            let recomputed = matching_cost(&s, &cost, cols, &a, &b);
            prop_assert!(recomputed.is_some(), "not one-to-one");
            prop_assert!((recomputed.unwrap_or(f64::NAN) - s.cost).abs() <= 1e-9 * best.max(1.0));
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
