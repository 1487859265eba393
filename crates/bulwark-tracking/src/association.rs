//! Global Nearest Neighbour association on gated pairs.
//!
//! Gated (track, detection) pairs form a bipartite graph; each connected component (cluster)
//! is an independent assignment problem, solved optimally by an [`AssignmentSolver`]
//! (Blackman & Popoli 1999, §6.5), or by the sparse solver when the cluster is too large for
//! a dense cost matrix ([`DENSE_CLUSTER_MAX_CELLS`]). Pair cost is the squared Mahalanobis distance d²;
//! leaving a track unassigned costs 0 and leaving detection j unassigned costs its gate
//! threshold γ_j, so an isolated pair in its gate is always assigned and the solution
//! minimises Σ d² over assigned pairs + Σ γ over detections left to start new tracks.
use crate::assignment::{AssignmentSolver, SparseBuffers, SparseProblem, solve_sparse};

/// Clusters with more (track × detection) cells than this are solved by [`solve_sparse`] on
/// their gated pairs instead of the configured dense solver: 2¹⁶ cells is 512 KiB of costs,
/// and start-up clusters of tentative tracks in a dense raid reach 10⁵ × 10⁵.
pub const DENSE_CLUSTER_MAX_CELLS: usize = 1 << 16;

/// One (track, detection) pair that passed the gate, with its assignment cost.
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct GatedPair {
    pub track: usize,
    pub detection: usize,
    /// d² (dimensionless).
    pub cost: f64,
}

fn find(parent: &mut [usize], mut x: usize) -> usize {
    while parent[x] != x {
        parent[x] = parent[parent[x]];
        x = parent[x];
    }
    x
}

/// The assigned `(track, detection)` pairs, sorted by track. `n_tracks`/`detection_miss.len()`
/// give the index ranges; pairs out of range or with a non-finite cost are ignored.
/// Deterministic: clusters are solved in order of their smallest track index.
pub fn gnn_associate(
    pairs: &[GatedPair],
    n_tracks: usize,
    detection_miss: &[f64],
    solver: &dyn AssignmentSolver,
) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    gnn_associate_into(pairs, n_tracks, detection_miss, solver, &mut GnnBuffers::default(), &mut out);
    out
}

/// Working memory of [`gnn_associate_into`], kept between scans by the tracker.
#[derive(Debug, Default)]
pub(crate) struct GnnBuffers {
    pairs: Vec<GatedPair>,
    parent: Vec<usize>,
    keyed: Vec<(usize, GatedPair)>,
    tracks: Vec<usize>,
    dets: Vec<usize>,
    cost: Vec<f64>,
    cluster: Vec<GatedPair>,
    row_miss: Vec<f64>,
    col_miss: Vec<f64>,
    /// Compressed rows of a large cluster for the sparse solver.
    start: Vec<usize>,
    cols: Vec<usize>,
    costs: Vec<f64>,
    sparse: SparseBuffers,
}

/// [`gnn_associate`] appending to `out` (sorted afterwards as a whole) with reused buffers.
pub(crate) fn gnn_associate_into(
    pairs: &[GatedPair],
    n_tracks: usize,
    detection_miss: &[f64],
    solver: &dyn AssignmentSolver,
    buf: &mut GnnBuffers,
    out: &mut Vec<(usize, usize)>,
) {
    let n_det = detection_miss.len();
    let GnnBuffers {
        pairs: kept,
        parent,
        keyed,
        tracks,
        dets,
        cost,
        cluster,
        row_miss,
        col_miss,
        start: row_start,
        cols,
        costs,
        sparse,
    } = buf;
    kept.clear();
    kept.extend(pairs.iter().copied().filter(|p| p.track < n_tracks && p.detection < n_det && p.cost.is_finite()));
    let pairs = &*kept;
    // Union–find over nodes: tracks 0..n_tracks, detections n_tracks..n_tracks+n_det.
    parent.clear();
    parent.extend(0..n_tracks + n_det);
    for p in pairs {
        let (a, b) = (find(parent, p.track), find(parent, n_tracks + p.detection));
        if a != b {
            parent[a.max(b)] = a.min(b);
        }
    }
    // Group pairs by cluster root (a track index, since roots are the smallest node): one sort,
    // no maps; clusters come out in order of their smallest track index.
    keyed.clear();
    keyed.extend(pairs.iter().map(|p| (find(parent, p.track), *p)));
    keyed.sort_unstable_by_key(|k| (k.0, k.1.track, k.1.detection));
    let mut start = 0;
    while start < keyed.len() {
        let root = keyed[start].0;
        let end = start + keyed[start..].iter().take_while(|k| k.0 == root).count();
        cluster.clear();
        cluster.extend(keyed[start..end].iter().map(|k| k.1));
        start = end;
        if let [p] = cluster[..] {
            // A lone pair: assign iff d² beats leaving both unassigned (0 + γ_j), as the solver
            // would; an exact tie goes to the solver so the answer is the same bit for bit.
            let b = if detection_miss[p.detection].is_finite() { detection_miss[p.detection] } else { 0.0 };
            if p.cost < b {
                out.push((p.track, p.detection));
                continue;
            } else if p.cost > b {
                continue;
            }
        }
        tracks.clear();
        dets.clear();
        tracks.extend(cluster.iter().map(|p| p.track));
        dets.extend(cluster.iter().map(|p| p.detection));
        tracks.sort_unstable();
        tracks.dedup();
        dets.sort_unstable();
        dets.dedup();
        let (nr, nc) = (tracks.len(), dets.len());
        col_miss.clear();
        col_miss.extend(dets.iter().map(|&d| if detection_miss[d].is_finite() { detection_miss[d] } else { 0.0 }));
        row_miss.clear();
        row_miss.resize(nr, 0.0);
        if nr.saturating_mul(nc) > DENSE_CLUSTER_MAX_CELLS {
            // `cluster` is sorted by (track, detection): its rows are already compressed.
            row_start.clear();
            cols.clear();
            costs.clear();
            row_start.push(0);
            let mut row = 0;
            for p in cluster.iter() {
                let (Ok(i), Ok(j)) = (tracks.binary_search(&p.track), dets.binary_search(&p.detection)) else {
                    continue;
                };
                while row < i {
                    row_start.push(cols.len());
                    row += 1;
                }
                cols.push(j);
                costs.push(p.cost);
            }
            while row < nr {
                row_start.push(cols.len());
                row += 1;
            }
            let problem = SparseProblem { start: row_start, cols, costs, row_miss, col_miss };
            if let Some(a) = solve_sparse(&problem, sparse) {
                out.extend(a.row_to_col.iter().enumerate().filter_map(|(i, j)| j.map(|j| (tracks[i], dets[j]))));
            }
            continue;
        }
        cost.clear();
        cost.resize(nr * nc, f64::INFINITY);
        for p in cluster.iter() {
            let (Ok(i), Ok(j)) = (tracks.binary_search(&p.track), dets.binary_search(&p.detection)) else {
                continue;
            };
            cost[i * nc + j] = cost[i * nc + j].min(p.cost);
        }
        if let Some(a) = solver.solve(cost, nr, nc, row_miss, col_miss) {
            for (i, j) in a.row_to_col.iter().enumerate() {
                if let Some(j) = j {
                    out.push((tracks[i], dets[*j]));
                }
            }
        }
    }
    out.sort_unstable();
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assignment::ShortestAugmentingPath;

    fn gp(track: usize, detection: usize, cost: f64) -> GatedPair {
        GatedPair { track, detection, cost }
    }

    #[test]
    fn a_cluster_too_large_for_a_dense_matrix_gets_the_same_optimum() {
        // One connected band: track i gates detections i−2 … i+2, 400 × 400 = 160 000 cells
        // (> DENSE_CLUSTER_MAX_CELLS). Oracle: the dense solver on the whole problem.
        let n: usize = 400;
        let mut rng = bulwark_core::RngStreams::new(5, 0).stream(1, bulwark_core::StreamPurpose::Detection);
        let mut pairs = Vec::new();
        for i in 0..n {
            for j in i.saturating_sub(2)..(i + 3).min(n) {
                pairs.push(gp(i, j, 9.0 * rng.uniform()));
            }
        }
        let miss: Vec<f64> = (0..n).map(|_| 4.0 + 5.0 * rng.uniform()).collect();
        let got = gnn_associate(&pairs, n, &miss, &ShortestAugmentingPath);
        let mut dense = vec![f64::INFINITY; n * n];
        for p in &pairs {
            dense[p.track * n + p.detection] = p.cost;
        }
        let want = ShortestAugmentingPath.solve(&dense, n, n, &vec![0.0; n], &miss).unwrap();
        let total = |a: &[(usize, usize)]| {
            let used: std::collections::BTreeSet<usize> = a.iter().map(|p| p.1).collect();
            a.iter().map(|&(i, j)| dense[i * n + j]).sum::<f64>()
                + (0..n).filter(|j| !used.contains(j)).map(|j| miss[j]).sum::<f64>()
        };
        assert!(n * n > DENSE_CLUSTER_MAX_CELLS);
        assert!((total(&got) - want.cost).abs() < 1e-9 * want.cost, "{} vs {}", total(&got), want.cost);
    }

    #[test]
    fn gnn_prefers_the_global_optimum_over_greedy() {
        // Greedy would give track 0 detection 0 (cost 1) and leave track 1 with detection 1 (cost 9):
        // total 10. The global optimum is 0↔1 (2) + 1↔0 (3) = 5.
        let pairs = [gp(0, 0, 1.0), gp(0, 1, 2.0), gp(1, 0, 3.0), gp(1, 1, 9.0)];
        let a = gnn_associate(&pairs, 2, &[16.0, 16.0], &ShortestAugmentingPath);
        assert_eq!(a, vec![(0, 1), (1, 0)]);
    }

    #[test]
    fn independent_clusters_and_unassigned_detections() {
        let pairs = [gp(2, 3, 4.0), gp(0, 0, 1.0), gp(1, 0, 0.5)];
        let a = gnn_associate(&pairs, 3, &[10.0, 10.0, 10.0, 10.0], &ShortestAugmentingPath);
        assert_eq!(a, vec![(1, 0), (2, 3)]);
        // Out-of-range and NaN pairs are ignored, not a panic.
        let bad = [gp(7, 0, 1.0), gp(0, 9, 1.0), gp(0, 0, f64::NAN)];
        assert!(gnn_associate(&bad, 1, &[1.0], &ShortestAugmentingPath).is_empty());
    }

    proptest::proptest! {
        #[test]
        fn lone_pair_shortcut_agrees_with_the_solver(c in 0.0f64..20.0, b in 0.0f64..20.0, tie in proptest::bool::ANY) {
            let c = if tie { b } else { c };
            let fast = gnn_associate(&[gp(0, 0, c)], 1, &[b], &ShortestAugmentingPath);
            let s = ShortestAugmentingPath.solve(&[c], 1, 1, &[0.0], &[b]).unwrap();
            let want: Vec<(usize, usize)> = s.row_to_col[0].map(|j| (0, j)).into_iter().collect();
            proptest::prop_assert_eq!(fast, want);
        }
    }
}
