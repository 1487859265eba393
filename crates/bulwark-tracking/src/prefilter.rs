//! Coarse spatial pre-filter: which (track, detection) pairs are worth an exact gate test.
//!
//! Each track is a disk (predicted horizontal position, radius r_t) and each detection a disk
//! (horizontal position fix, radius r_d); a pair is a candidate iff the disks overlap. Track
//! disks are put in a uniform grid (cells of about twice the median track radius), so with
//! targets spread out a query touches O(1) cells and the cost grows linearly with the number
//! of tracks. Disks that would cover more than [`SpatialIndex::MAX_CELLS`] cells are kept in a
//! list checked against every query. Only the horizontal plane is used: air targets spread
//! horizontally, and a 2-D model does not observe z.
use crate::state::GaussianState;
use bulwark_core::Mat3;
use nalgebra::Matrix2;

/// Largest eigenvalue of a symmetric 2×2 matrix (analytic): the variance along the major axis.
pub(crate) fn lambda_max(m: &Matrix2<f64>) -> f64 {
    let (a, b, d) = (m[(0, 0)], 0.5 * (m[(0, 1)] + m[(1, 0)]), m[(1, 1)]);
    0.5 * (a + d) + (0.25 * (a - d) * (a - d) + b * b).sqrt()
}

/// The disk of a track predicted to the scan time `p`: its horizontal position, and a radius
/// covering k·√(γ·λ_max) of its position covariance plus the distance it can fly in `dt_max`
/// (s, the largest offset of a detection time from the scan time) at its speed plus
/// k·√(γ·λ_max) of its velocity covariance. `gamma` the largest gate threshold, `k` ≥ 1.
pub(crate) fn track_disk(p: &GaussianState, gamma: f64, k: f64, dt_max: f64) -> ([f64; 2], f64) {
    let pp = p.covariance.fixed_view::<2, 2>(0, 0).into_owned();
    let pv = p.covariance.fixed_view::<2, 2>(3, 3).into_owned();
    let speed = p.mean[3].hypot(p.mean[4]) + k * (gamma * lambda_max(&pv)).sqrt();
    ([p.mean[0], p.mean[1]], k * (gamma * lambda_max(&pp)).sqrt() + speed * dt_max)
}

/// Radius (m) of a detection's disk: k·√(γ·λ_max) of its horizontal position-fix covariance.
pub(crate) fn fix_radius(covariance: &Mat3, gamma: f64, k: f64) -> f64 {
    k * (gamma * lambda_max(&covariance.fixed_view::<2, 2>(0, 0).into_owned())).sqrt()
}

/// A uniform-grid index of disks in the plane.
///
/// Stored as a compressed sparse grid: occupied cells sorted by (x, y) with the disk
/// indices of each cell in one flat array, so building is one sort and a query a binary
/// search per touched row of cells (no maps, no per-cell allocations).
#[derive(Clone, Debug)]
pub struct SpatialIndex {
    cell: f64,
    /// Occupied cells, ascending.
    cells: Vec<(i64, i64)>,
    /// Disks of cell k: `items[starts[k]..starts[k + 1]]`.
    starts: Vec<u32>,
    items: Vec<u32>,
    oversize: Vec<usize>,
    disks: Vec<([f64; 2], f64)>,
    /// Build buffers, kept so a rebuilt index reuses their memory.
    radii: Vec<f64>,
    entries: Vec<(i64, i64, u32)>,
}

impl Default for SpatialIndex {
    fn default() -> Self {
        Self::build(&[])
    }
}

impl SpatialIndex {
    /// A disk covering more cells than this goes in the always-checked list.
    pub const MAX_CELLS: i64 = 64;

    /// Indexes `disks` (centre (m), radius (m)); item i is reported as index i. A disk with a
    /// non-finite centre or radius is always a candidate.
    pub fn build(disks: &[([f64; 2], f64)]) -> Self {
        let mut index = Self {
            cell: 1.0,
            cells: Vec::new(),
            starts: Vec::new(),
            items: Vec::new(),
            oversize: Vec::new(),
            disks: Vec::new(),
            radii: Vec::new(),
            entries: Vec::new(),
        };
        index.rebuild(disks);
        index
    }

    /// Re-indexes `disks` as [`SpatialIndex::build`] does, reusing this index's memory (the
    /// tracker keeps one index between scans).
    pub fn rebuild(&mut self, disks: &[([f64; 2], f64)]) {
        let radii = &mut self.radii;
        radii.clear();
        radii.extend(disks.iter().map(|d| d.1).filter(|r| r.is_finite() && *r > 0.0));
        let mid = radii.len() / 2;
        let median = if radii.is_empty() { 1.0 } else { *radii.select_nth_unstable_by(mid, f64::total_cmp).1 };
        self.cell = (2.0 * median).max(1.0);
        self.cells.clear();
        self.starts.clear();
        self.items.clear();
        self.oversize.clear();
        self.disks.clear();
        self.disks.extend_from_slice(disks);
        let mut entries = std::mem::take(&mut self.entries);
        entries.clear();
        for (i, &(c, r)) in disks.iter().enumerate() {
            match self.cell_box(c, r) {
                Some((x0, x1, y0, y1)) if i <= u32::MAX as usize => {
                    for x in x0..=x1 {
                        for y in y0..=y1 {
                            entries.push((x, y, i as u32));
                        }
                    }
                }
                _ => self.oversize.push(i),
            }
        }
        entries.sort_unstable();
        self.items.reserve(entries.len());
        for &(x, y, i) in &entries {
            if self.cells.last() != Some(&(x, y)) {
                self.cells.push((x, y));
                self.starts.push(self.items.len() as u32);
            }
            self.items.push(i);
        }
        self.starts.push(self.items.len() as u32);
        self.entries = entries;
    }

    fn cell_box(&self, c: [f64; 2], r: f64) -> Option<(i64, i64, i64, i64)> {
        if !(c[0].is_finite() && c[1].is_finite() && r.is_finite() && r >= 0.0) {
            return None;
        }
        let f = |v: f64| (v / self.cell).floor();
        let (x0, x1, y0, y1) = (f(c[0] - r), f(c[0] + r), f(c[1] - r), f(c[1] + r));
        // Compare in f64 first so huge coordinates cannot overflow the cell count.
        if (x1 - x0 + 1.0) * (y1 - y0 + 1.0) > Self::MAX_CELLS as f64 {
            return None;
        }
        Some((x0 as i64, x1 as i64, y0 as i64, y1 as i64))
    }

    /// Indices (ascending, no duplicates) of the disks that overlap the query disk. A query
    /// with a non-finite centre or radius, or covering too many cells, returns every disk.
    pub fn query(&self, centre: [f64; 2], radius: f64, out: &mut Vec<usize>) {
        out.clear();
        match self.cell_box(centre, radius) {
            None => out.extend(0..self.disks.len()),
            Some((x0, x1, y0, y1)) => {
                for x in x0..=x1 {
                    let mut k = self.cells.partition_point(|&c| c < (x, y0));
                    while k < self.cells.len() && self.cells[k].0 == x && self.cells[k].1 <= y1 {
                        let v = &self.items[self.starts[k] as usize..self.starts[k + 1] as usize];
                        out.extend(v.iter().map(|&i| i as usize).filter(|&i| self.overlaps(i, centre, radius)));
                        k += 1;
                    }
                }
                out.extend(self.oversize.iter().copied().filter(|&i| self.overlaps(i, centre, radius)));
                out.sort_unstable();
                out.dedup();
            }
        }
    }

    fn overlaps(&self, i: usize, c: [f64; 2], r: f64) -> bool {
        let (d, rd) = self.disks[i];
        let reach = rd + r;
        let (dx, dy) = (d[0] - c[0], d[1] - c[1]);
        let dist2 = dx * dx + dy * dy;
        // A NaN disk (failed prediction) is kept: it must be tested exactly. Squared distances
        // (no hypot): coordinates here are far from overflow (a disk that large is oversize).
        dist2.is_nan() || reach.is_nan() || dist2 <= reach * reach
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn query_returns_exactly_the_overlapping_disks(
            disks in prop::collection::vec(((-5e4f64..5e4, -5e4f64..5e4), prop_oneof![0.0f64..2e3, 0.0f64..4e4]), 0..60),
            q in ((-5e4f64..5e4, -5e4f64..5e4), 0.0f64..5e3),
        ) {
            let disks: Vec<([f64; 2], f64)> = disks.into_iter().map(|((x, y), r)| ([x, y], r)).collect();
            let index = SpatialIndex::build(&disks);
            let mut got = Vec::new();
            index.query([q.0.0, q.0.1], q.1, &mut got);
            let want: Vec<usize> = (0..disks.len())
                .filter(|&i| (disks[i].0[0] - q.0.0).hypot(disks[i].0[1] - q.0.1) <= disks[i].1 + q.1)
                .collect();
            if index.cell_box([q.0.0, q.0.1], q.1).is_some() {
                prop_assert_eq!(got, want);
            } else {
                prop_assert!(want.iter().all(|i| got.contains(i)));
            }
        }
    }

    #[test]
    fn spread_out_targets_touch_few_cells() {
        // 10 000 disks of 500 m on a 5 km lattice: a 500 m query sees at most its neighbours.
        let disks: Vec<([f64; 2], f64)> =
            (0..10_000).map(|i| ([(i % 100) as f64 * 5e3, (i / 100) as f64 * 5e3], 500.0)).collect();
        let index = SpatialIndex::build(&disks);
        let mut out = Vec::new();
        index.query([250e3 + 100.0, 250e3], 500.0, &mut out);
        assert_eq!(out, vec![50 * 100 + 50]);
        index.query([f64::NAN, 0.0], 1.0, &mut out);
        assert_eq!(out.len(), 10_000, "an unusable query falls back to every disk");
    }
}
