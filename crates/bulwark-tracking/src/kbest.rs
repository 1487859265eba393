//! The k best 2-D assignments (Murty 1968, "An algorithm for ranking all the assignments in
//! order of increasing cost", Operations Research 16(3); Cox & Miller 1995, "On finding ranked
//! assignments with application to multitarget tracking and motion correspondence", IEEE TAES
//! 31(1)), on top of any [`AssignmentSolver`].
//!
//! A solution of the rectangular problem with "no assignment" costs (see [`crate::assignment`])
//! is fixed by each row's choice: a column or "unassigned" (unassigned columns follow). Murty's
//! partition of a subproblem whose best solution gives free rows r₁…r_p the choices s(r₁)…s(r_p):
//! child t forces r₁…r_{t−1} to their choices and forbids s(r_t) for r_t. The children are
//! disjoint and, with the best solution, cover the parent, so popping subproblems from a
//! priority queue in order of their best cost yields the solutions in ascending cost.
//! Cost: at most k·rows solver calls.
use crate::assignment::{Assignment, AssignmentSolver};
use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// A Murty subproblem: per row a forced choice (`Some(Some(col))`, `Some(None)` = unassigned)
/// or free (`None`); and the forbidden (row, choice) pairs.
#[derive(Clone, Debug)]
struct Node {
    forced: Vec<Option<Option<usize>>>,
    forbidden: Vec<(usize, Option<usize>)>,
    best: Assignment,
    seq: u64,
}

impl PartialEq for Node {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Node {}
impl PartialOrd for Node {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Node {
    /// Reversed (the heap is a max-heap): lowest cost first, then first created.
    fn cmp(&self, other: &Self) -> Ordering {
        other.best.cost.total_cmp(&self.best.cost).then(other.seq.cmp(&self.seq))
    }
}

struct Problem<'a> {
    solver: &'a dyn AssignmentSolver,
    cost: &'a [f64],
    rows: usize,
    cols: usize,
    row_miss: &'a [f64],
    col_miss: &'a [f64],
    /// Finite stand-in for a forbidden "row unassigned" (the solver wants finite miss costs):
    /// larger than the cost spread of every feasible solution, so it is used only when nothing
    /// else is feasible, and that is detected.
    big: f64,
}

impl Problem<'_> {
    /// Exact cost of a full solution from the original data.
    fn total(&self, row_to_col: &[Option<usize>]) -> f64 {
        let mut used = vec![false; self.cols];
        let mut total = 0.0;
        for (i, c) in row_to_col.iter().enumerate() {
            match c {
                Some(j) => {
                    used[*j] = true;
                    total += self.cost[i * self.cols + j];
                }
                None => total += self.row_miss[i],
            }
        }
        total + (0..self.cols).filter(|&j| !used[j]).map(|j| self.col_miss[j]).sum::<f64>()
    }

    /// The best solution under the constraints, or `None` if none is feasible.
    fn solve(&self, forced: &[Option<Option<usize>>], forbidden: &[(usize, Option<usize>)]) -> Option<Assignment> {
        let free_rows: Vec<usize> = (0..self.rows).filter(|&i| forced[i].is_none()).collect();
        let mut col_taken = vec![false; self.cols];
        for c in forced.iter().flatten().flatten() {
            col_taken[*c] = true;
        }
        let free_cols: Vec<usize> = (0..self.cols).filter(|&j| !col_taken[j]).collect();
        let (nr, nc) = (free_rows.len(), free_cols.len());
        let mut cost = vec![0.0; nr * nc];
        for (a, &i) in free_rows.iter().enumerate() {
            for (b, &j) in free_cols.iter().enumerate() {
                cost[a * nc + b] = self.cost[i * self.cols + j];
            }
        }
        let mut row_miss: Vec<f64> = free_rows.iter().map(|&i| self.row_miss[i]).collect();
        let col_miss: Vec<f64> = free_cols.iter().map(|&j| self.col_miss[j]).collect();
        let mut miss_forbidden = vec![false; nr];
        for &(i, choice) in forbidden {
            let Ok(a) = free_rows.binary_search(&i) else { continue };
            match choice {
                Some(j) => {
                    if let Ok(b) = free_cols.binary_search(&j) {
                        cost[a * nc + b] = f64::INFINITY;
                    }
                }
                None => {
                    row_miss[a] = self.big;
                    miss_forbidden[a] = true;
                }
            }
        }
        let sub = self.solver.solve(&cost, nr, nc, &row_miss, &col_miss)?;
        let mut row_to_col: Vec<Option<usize>> = forced.iter().map(|f| f.flatten()).collect();
        for (a, choice) in sub.row_to_col.iter().enumerate() {
            match choice {
                Some(b) => row_to_col[free_rows[a]] = Some(free_cols[*b]),
                None if miss_forbidden[a] => return None,
                None => row_to_col[free_rows[a]] = None,
            }
        }
        let cost = self.total(&row_to_col);
        Some(Assignment { row_to_col, cost })
    }
}

/// The `k` lowest-cost solutions of min Σ c_{i,σ(i)} + Σ_{unassigned rows} a_i +
/// Σ_{unassigned cols} b_j, in ascending cost (ties in the order Murty's partition meets
/// them), each distinct; fewer if fewer exist. Same input conventions as
/// [`AssignmentSolver::solve`] (`cost` row-major, `f64::INFINITY` forbids a pair, misses
/// finite); `None` on malformed input.
pub fn k_best_assignments(
    solver: &dyn AssignmentSolver,
    cost: &[f64],
    rows: usize,
    cols: usize,
    row_miss: &[f64],
    col_miss: &[f64],
    k: usize,
) -> Option<Vec<Assignment>> {
    if cost.len() != rows.checked_mul(cols)? || row_miss.len() != rows || col_miss.len() != cols {
        return None;
    }
    if cost.iter().any(|c| c.is_nan() || *c == f64::NEG_INFINITY)
        || row_miss.iter().chain(col_miss).any(|c| !c.is_finite())
    {
        return None;
    }
    let spread: f64 = cost.iter().filter(|c| c.is_finite()).chain(row_miss).chain(col_miss).map(|c| c.abs()).sum();
    let big = 1.0 + 4.0 * spread;
    if !big.is_finite() {
        return None;
    }
    let p = Problem { solver, cost, rows, cols, row_miss, col_miss, big };
    let mut out = Vec::new();
    if k == 0 {
        return Some(out);
    }
    let forced = vec![None; rows];
    let Some(best) = p.solve(&forced, &[]) else { return Some(out) };
    let mut seq = 0u64;
    let mut heap = BinaryHeap::new();
    heap.push(Node { forced, forbidden: Vec::new(), best, seq });
    while let Some(node) = heap.pop() {
        let sol = node.best.row_to_col.clone();
        out.push(node.best);
        if out.len() >= k {
            break;
        }
        let mut forced = node.forced;
        for r in 0..rows {
            if forced[r].is_some() {
                continue;
            }
            let mut forbidden = node.forbidden.clone();
            forbidden.push((r, sol[r]));
            if let Some(best) = p.solve(&forced, &forbidden) {
                seq += 1;
                heap.push(Node { forced: forced.clone(), forbidden, best, seq });
            }
            forced[r] = Some(sol[r]);
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assignment::ShortestAugmentingPath;

    #[test]
    fn two_by_two_ranking_by_hand() {
        // Rows/cols 2×2, c = [1 2; 3 1], misses a = (5, 5), b = (4, 4). Every partial matching:
        // {0→0,1→1} = 2; {0→1,1→0} = 5; {0→0} = 1+5+4 = 10; {1→1} = 10; {0→1} = 2+5+4 = 11;
        // {1→0} = 3+5+4 = 12; {} = 18.
        let c = [1.0, 2.0, 3.0, 1.0];
        let all = k_best_assignments(&ShortestAugmentingPath, &c, 2, 2, &[5.0; 2], &[4.0; 2], 10).unwrap();
        let costs: Vec<f64> = all.iter().map(|a| a.cost).collect();
        assert_eq!(costs, vec![2.0, 5.0, 10.0, 10.0, 11.0, 12.0, 18.0]);
        assert_eq!(all[0].row_to_col, vec![Some(0), Some(1)]);
        assert_eq!(all[6].row_to_col, vec![None, None]);
        let two = k_best_assignments(&ShortestAugmentingPath, &c, 2, 2, &[5.0; 2], &[4.0; 2], 2).unwrap();
        assert_eq!(two.len(), 2);
        assert!(k_best_assignments(&ShortestAugmentingPath, &c, 2, 3, &[5.0; 2], &[4.0; 2], 2).is_none());
    }
}
