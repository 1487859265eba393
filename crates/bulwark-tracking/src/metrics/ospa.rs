//! OSPA and GOSPA between a set of true points X (|X| = m) and a set of estimates Y (|Y| = n).
//!
//! With the cut-off distance d^(c)(x, y) = min(c, ‖x − y‖) and order p ≥ 1:
//!
//! - **OSPA** (Schuhmacher, Vo & Vo 2008, "A consistent metric for performance evaluation of
//!   multi-object filters", IEEE TSP 56(8), eq. 3), for m ≤ n (else swap X and Y):
//!   d̄_p^(c)(X, Y) = ( (1/n) ( min_π Σᵢ d^(c)(xᵢ, y_π(i))ᵖ + cᵖ (n − m) ) )^(1/p), 0 for two empty sets.
//! - **GOSPA** with α = 2 (Rahmathullah, García-Fernández & Svensson 2017, "Generalized
//!   optimal sub-pattern assignment metric", FUSION, Proposition 1):
//!   d_p^(c,2)(X, Y) = ( min_γ Σ_{(i,j)∈γ} ‖xᵢ − yⱼ‖ᵖ + (cᵖ/2)(m + n − 2|γ|) )^(1/p),
//!   γ ranging over partial assignments of pairs closer than c. Its three parts (each a p-th
//!   power, summing to dᵖ): localisation Σ_γ ‖·‖ᵖ, missed (cᵖ/2)·(truths left out) and false
//!   (cᵖ/2)·(estimates left out).
//!
//! Both minimisations are one optimal assignment problem ([`ShortestAugmentingPath`]): cost
//! ‖xᵢ − yⱼ‖ᵖ for pairs closer than c (others forbidden) and cᵖ/2 for leaving a point
//! unassigned. Its objective differs from OSPA's completed-injection objective
//! Σ_γ ‖·‖ᵖ + cᵖ (max(m, n) − |γ|) by the constant (cᵖ/2)|m − n|, so the same γ is optimal for both.
use super::{MetricError, check_points, distance, positive};
use crate::assignment::{AssignmentSolver, ShortestAugmentingPath};

/// GOSPA (α = 2) and its parts. `localisation + missed + false_tracks = distance^p`.
#[derive(Copy, Clone, Debug, Default, PartialEq)]
pub struct GospaParts {
    /// d_p^(c,2), m.
    pub distance: f64,
    /// Σ over assigned pairs of ‖x − y‖ᵖ, mᵖ.
    pub localisation: f64,
    /// (cᵖ/2) × number of true points left unassigned, mᵖ.
    pub missed: f64,
    /// (cᵖ/2) × number of estimates left unassigned, mᵖ.
    pub false_tracks: f64,
    /// Number of assigned (truth, estimate) pairs.
    pub pairs_assigned: usize,
}

/// Solves the common assignment: returns (Σ_γ ‖·‖ᵖ, truth → estimate). Pairs at c or more
/// are forbidden, so the problem splits into independent clusters (connected components of
/// the pairs closer than c), each solved on its own: the same optimum, at a fraction of the
/// O((m + n)³) cost of one dense problem when the points are spread out.
fn assign<P: AsRef<[f64]>>(truth: &[P], est: &[P], c: f64, p: f64) -> Result<(f64, Vec<Option<usize>>), MetricError> {
    check_points([truth, est])?;
    let (m, n) = (truth.len(), est.len());
    let mut map = vec![None; m];
    if m == 0 || n == 0 {
        return Ok((0.0, map));
    }
    // Union-find over truths (0..m) and estimates (m..m+n).
    let mut parent: Vec<usize> = (0..m + n).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    let mut close: Vec<(usize, usize, f64)> = Vec::new();
    for (i, x) in truth.iter().enumerate() {
        for (j, y) in est.iter().enumerate() {
            let d = distance(x.as_ref(), y.as_ref());
            if d < c {
                close.push((i, j, d.powf(p)));
                let (a, b) = (root(&mut parent, i), root(&mut parent, m + j));
                if a != b {
                    parent[a.max(b)] = a.min(b);
                }
            }
        }
    }
    let mut clusters: std::collections::BTreeMap<usize, (Vec<usize>, Vec<usize>)> = Default::default();
    for &(i, j, _) in &close {
        let r = root(&mut parent, i);
        let e = clusters.entry(r).or_default();
        if !e.0.contains(&i) {
            e.0.push(i);
        }
        if !e.1.contains(&j) {
            e.1.push(j);
        }
    }
    let half = 0.5 * c.powf(p);
    let mut loc = 0.0;
    let mut cost = Vec::new();
    for (rows, cols) in clusters.values() {
        let (r, k) = (rows.len(), cols.len());
        cost.clear();
        cost.resize(r * k, f64::INFINITY);
        for &(i, j, v) in &close {
            if let (Some(a), Some(b)) = (rows.iter().position(|&x| x == i), cols.iter().position(|&x| x == j)) {
                cost[a * k + b] = v;
            }
        }
        let sol =
            ShortestAugmentingPath.solve(&cost, r, k, &vec![half; r], &vec![half; k]).ok_or(MetricError::Assignment)?;
        for (a, b) in sol.row_to_col.iter().enumerate() {
            if let Some(b) = b {
                loc += cost[a * k + b];
                map[rows[a]] = Some(cols[*b]);
            }
        }
    }
    Ok((loc, map))
}

fn check_cp(c: f64, p: f64) -> Result<(), MetricError> {
    positive("c", c)?;
    if !(p.is_finite() && p >= 1.0) {
        return Err(MetricError::Parameter { name: "p", value: p });
    }
    Ok(())
}

/// OSPA distance (m) between true points and estimates with cut-off `c` (m) and order `p` ≥ 1.
pub fn ospa<P: AsRef<[f64]>>(truth: &[P], estimates: &[P], c: f64, p: f64) -> Result<f64, MetricError> {
    ospa_gospa(truth, estimates, c, p).map(|r| r.0)
}

/// GOSPA with α = 2 (m) and its parts, cut-off `c` (m), order `p` ≥ 1.
pub fn gospa<P: AsRef<[f64]>>(truth: &[P], estimates: &[P], c: f64, p: f64) -> Result<GospaParts, MetricError> {
    ospa_gospa(truth, estimates, c, p).map(|r| r.1)
}

/// OSPA (m) and GOSPA from one assignment (see the module doc).
pub fn ospa_gospa<P: AsRef<[f64]>>(
    truth: &[P],
    estimates: &[P],
    c: f64,
    p: f64,
) -> Result<(f64, GospaParts), MetricError> {
    check_cp(c, p)?;
    let (localisation, map) = assign(truth, estimates, c, p)?;
    let k = map.iter().flatten().count();
    let big = truth.len().max(estimates.len());
    let ospa = if big == 0 { 0.0 } else { ((localisation + c.powf(p) * (big - k) as f64) / big as f64).powf(1.0 / p) };
    let half = 0.5 * c.powf(p);
    let missed = half * (truth.len() - k) as f64;
    let false_tracks = half * (estimates.len() - k) as f64;
    Ok((
        ospa,
        GospaParts {
            distance: (localisation + missed + false_tracks).powf(1.0 / p),
            localisation,
            missed,
            false_tracks,
            pairs_assigned: k,
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn analytic_cases() {
        let e: [[f64; 2]; 0] = [];
        assert_eq!(ospa(&e, &e, 10.0, 2.0).unwrap(), 0.0);
        // One point each, 3 m apart: OSPA = GOSPA = 3.
        let x = [[0.0, 0.0]];
        let y = [[3.0, 0.0]];
        assert!((ospa(&x, &y, 10.0, 2.0).unwrap() - 3.0).abs() < 1e-12);
        assert!((gospa(&x, &y, 10.0, 2.0).unwrap().distance - 3.0).abs() < 1e-12);
        // Farther than c: OSPA = c; GOSPA counts one miss and one false: (2 · c²/2)^(1/2) = c.
        let y = [[30.0, 0.0]];
        assert!((ospa(&x, &y, 10.0, 2.0).unwrap() - 10.0).abs() < 1e-12);
        let g = gospa(&x, &y, 10.0, 2.0).unwrap();
        assert_eq!((g.missed, g.false_tracks, g.pairs_assigned), (50.0, 50.0, 0));
        // One truth, two estimates (one exact): OSPA = (c²/2)^(1/2); GOSPA = (c²/2)^(1/2).
        let y = [[0.0, 0.0], [5.0, 5.0]];
        assert!((ospa(&x, &y, 10.0, 2.0).unwrap() - 50f64.sqrt()).abs() < 1e-12);
        assert!((gospa(&x, &y, 10.0, 2.0).unwrap().distance - 50f64.sqrt()).abs() < 1e-12);
        assert!(ospa(&[vec![0.0, 0.0]], &[vec![1.0, 2.0, 3.0]], 10.0, 2.0).is_err());
        assert!(ospa(&x, &y, 0.0, 2.0).is_err() && gospa(&x, &y, 1.0, 0.5).is_err());
    }
}
