//! Coarse spatial pre-filter: which (track, detection) pairs are worth an exact gate test.
//!
//! Each track is a disk (predicted horizontal position, radius r_t) and each detection a disk
//! (horizontal position fix, radius r_d); a pair is a candidate iff the disks overlap. Track
//! disks are put in a uniform grid (cells of about twice the median track radius), so with
//! targets spread out a query touches O(1) cells and the cost grows linearly with the number
//! of tracks. Disks that would cover more than [`SpatialIndex::MAX_CELLS`] cells are kept in a
//! list checked against every query. Only the horizontal plane is used: air targets spread
//! horizontally, and a 2-D model does not observe z.
use crate::state::HorizontalMoments;
use bulwark_core::Mat3;
use nalgebra::Matrix2;

/// ⌊v⌋, bit for bit as `f64::floor`, which is a library call on baseline x86-64 (four per
/// disk per scan here): below 2⁵² in magnitude through the truncating integer conversion,
/// one less for a negative non-integer, the sign of a zero kept; larger magnitudes, ±∞ and
/// NaN are their own floor.
pub(crate) fn floor(v: f64) -> f64 {
    if v.abs() < 4_503_599_627_370_496.0 {
        let t = (v as i64) as f64;
        if t > v { t - 1.0 } else { t.copysign(v) }
    } else {
        v
    }
}

/// Largest eigenvalue of a symmetric 2×2 matrix (analytic): the variance along the major axis.
pub(crate) fn lambda_max(m: &Matrix2<f64>) -> f64 {
    let (a, b, d) = (m[(0, 0)], 0.5 * (m[(0, 1)] + m[(1, 0)]), m[(1, 1)]);
    0.5 * (a + d) + (0.25 * (a - d) * (a - d) + b * b).sqrt()
}

/// The disk of a track predicted to the scan time (`p`, its horizontal moments): its
/// horizontal position, and a radius covering k·√(γ·λ_max) of its position covariance plus the
/// distance it can fly in `dt_max` (s, the largest offset of a detection time from the scan
/// time) at its speed plus k·√(γ·λ_max) of its velocity covariance. `gamma` the largest gate
/// threshold, `k` ≥ 1.
pub(crate) fn track_disk(p: &HorizontalMoments, gamma: f64, k: f64, dt_max: f64) -> ([f64; 2], f64) {
    let block = |b: &[[f64; 2]; 2]| Matrix2::new(b[0][0], b[0][1], b[1][0], b[1][1]);
    let (pp, pv) = (block(&p.position), block(&p.velocity));
    let speed = p.mean[2].hypot(p.mean[3]) + k * (gamma * lambda_max(&pv)).sqrt();
    ([p.mean[0], p.mean[1]], k * (gamma * lambda_max(&pp)).sqrt() + speed * dt_max)
}

/// Radius (m) of a detection's disk: k·√(γ·λ_max) of its horizontal position-fix covariance.
pub(crate) fn fix_radius(covariance: &Mat3, gamma: f64, k: f64) -> f64 {
    k * (gamma * lambda_max(&covariance.fixed_view::<2, 2>(0, 0).into_owned())).sqrt()
}

/// A uniform-grid index of disks in the plane.
///
/// A dense grid over the bounding box of the disks, stored compressed (the disk indices of
/// cell k are `items[starts[k]..starts[k + 1]]`) and built by a counting sort: building is
/// O(disks + cells) with no sort and no per-cell allocation, and a query looks its cells up
/// directly. The cell size is about twice the median disk radius, enlarged when needed so the
/// grid has at most ~4 cells per disk (memory stays linear in the number of disks however far
/// apart they are). A disk is stored in every cell its bounding box touches; a query reports
/// it once, from the lowest cell of the overlap of the two boxes, so no deduplication is
/// needed.
#[derive(Clone, Debug)]
pub struct SpatialIndex {
    cell: f64,
    /// Grid origin (cell coordinates of its first column/row) and size in cells.
    x0: i64,
    y0: i64,
    nx: i64,
    ny: i64,
    /// Disks of cell k = (y − y0)·nx + (x − x0): `items[starts[k]..starts[k + 1]]`.
    starts: Vec<u32>,
    /// Each disk copied into its cells, so a query reads contiguous memory.
    items: Vec<Item>,
    oversize: Vec<usize>,
    disks: Vec<([f64; 2], f64)>,
    /// Build buffers, kept so a rebuilt index reuses its memory: radii, and each disk's cell
    /// box (computed once per build).
    radii: Vec<f64>,
    boxes: Vec<Option<(i64, i64, i64, i64)>>,
    /// Whether the grid is built; without it a query tests every disk (see
    /// [`SpatialIndex::rebuild_for`]).
    grid: bool,
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
            x0: 0,
            y0: 0,
            nx: 0,
            ny: 0,
            starts: Vec::new(),
            items: Vec::new(),
            oversize: Vec::new(),
            disks: Vec::new(),
            radii: Vec::new(),
            boxes: Vec::new(),
            grid: false,
        };
        index.rebuild(disks);
        index
    }

    /// Most queries for which [`SpatialIndex::rebuild_for`] skips the grid: testing every disk
    /// costs ~15 instructions a disk per query, building the grid a few hundred a disk.
    pub const LINEAR_QUERIES: usize = 16;

    /// Re-indexes `disks` as [`SpatialIndex::build`] does, reusing this index's memory (the
    /// tracker keeps one index between scans).
    pub fn rebuild(&mut self, disks: &[([f64; 2], f64)]) {
        self.rebuild_for(disks, usize::MAX);
    }

    /// [`SpatialIndex::rebuild`] for a caller that will make about `queries` queries: at most
    /// [`Self::LINEAR_QUERIES`] of them are answered by testing every disk instead of building
    /// the grid (a track dwell's one or two plots against hundreds of tracks). The answers are
    /// the same sets; only their order differs (ascending).
    pub fn rebuild_for(&mut self, disks: &[([f64; 2], f64)], queries: usize) {
        self.size_cells(disks);
        self.grid = queries > Self::LINEAR_QUERIES;
        if self.grid {
            self.fill_grid(disks);
        }
    }

    /// The cell size for `disks` (about twice their median radius, widened to bound the grid),
    /// and a copy of them.
    fn size_cells(&mut self, disks: &[([f64; 2], f64)]) {
        let radii = &mut self.radii;
        radii.clear();
        radii.extend(disks.iter().map(|d| d.1).filter(|r| r.is_finite() && *r > 0.0));
        let mid = radii.len() / 2;
        let median = if radii.is_empty() { 1.0 } else { *radii.select_nth_unstable_by(mid, f64::total_cmp).1 };
        self.cell = (2.0 * median).max(1.0);
        self.disks.clear();
        self.disks.extend_from_slice(disks);
        // Bounding box of the disks (finite ones), to size the grid; widened cells if the box
        // would need more than ~4 cells per disk. Twice at most: a wider cell only shrinks boxes.
        let (mut bx0, mut bx1, mut by0, mut by1) = (f64::INFINITY, f64::NEG_INFINITY, f64::INFINITY, f64::NEG_INFINITY);
        for &(c, r) in disks {
            if c[0].is_finite() && c[1].is_finite() && r.is_finite() && r >= 0.0 {
                (bx0, bx1, by0, by1) = (bx0.min(c[0] - r), bx1.max(c[0] + r), by0.min(c[1] - r), by1.max(c[1] + r));
            }
        }
        let limit = (4 * disks.len()).max(1024) as f64;
        if bx0 <= bx1 {
            let area_cells = ((bx1 - bx0) / self.cell + 2.0) * ((by1 - by0) / self.cell + 2.0);
            if area_cells > limit {
                self.cell *= (area_cells / limit).sqrt();
            }
        }
    }

    /// Fills the grid with `disks` (sized by [`Self::size_cells`]).
    fn fill_grid(&mut self, disks: &[([f64; 2], f64)]) {
        self.oversize.clear();
        let mut boxes = std::mem::take(&mut self.boxes);
        boxes.clear();
        boxes.extend(disks.iter().map(|&(c, r)| self.cell_box(c, r)));
        let mut boxes_found = false;
        let (mut gx0, mut gx1, mut gy0, mut gy1) = (i64::MAX, i64::MIN, i64::MAX, i64::MIN);
        for (i, b) in boxes.iter().enumerate() {
            match *b {
                Some((x0, x1, y0, y1)) if i < u32::MAX as usize => {
                    (gx0, gx1, gy0, gy1) = (gx0.min(x0), gx1.max(x1), gy0.min(y0), gy1.max(y1));
                    boxes_found = true;
                }
                _ => self.oversize.push(i),
            }
        }
        if !boxes_found {
            (gx0, gx1, gy0, gy1) = (0, -1, 0, -1);
        }
        (self.x0, self.y0, self.nx, self.ny) = (gx0, gy0, gx1 - gx0 + 1, gy1 - gy0 + 1);
        // Counting sort into the dense grid: count, prefix sums, fill (disks in ascending order).
        let n_cells = (self.nx * self.ny) as usize;
        self.starts.clear();
        self.starts.resize(n_cells + 1, 0);
        // Oversize disks have no cell box (disks past u32::MAX items are none: not indexable).
        let indexed = disks.len().min(u32::MAX as usize);
        for b in &boxes[..indexed] {
            if let Some((x0, x1, y0, y1)) = *b {
                for y in y0..=y1 {
                    for x in x0..=x1 {
                        let k = self.cell_index(x, y);
                        self.starts[k + 1] += 1;
                    }
                }
            }
        }
        for k in 0..n_cells {
            self.starts[k + 1] += self.starts[k];
        }
        self.items.clear();
        self.items.resize(self.starts[n_cells] as usize, Item::default());
        for (i, (&(c, r), b)) in disks[..indexed].iter().zip(&boxes).enumerate() {
            if let Some((x0, x1, y0, y1)) = *b {
                let item =
                    Item { centre: c, radius: r, lo: [(x0 - self.x0) as u32, (y0 - self.y0) as u32], index: i as u32 };
                for y in y0..=y1 {
                    for x in x0..=x1 {
                        // `starts[k]` serves as the fill cursor of cell k, then is shifted back.
                        let k = self.cell_index(x, y);
                        self.items[self.starts[k] as usize] = item;
                        self.starts[k] += 1;
                    }
                }
            }
        }
        for k in (1..=n_cells).rev() {
            self.starts[k] = self.starts[k - 1];
        }
        if n_cells > 0 {
            self.starts[0] = 0;
        }
        self.boxes = boxes;
    }

    /// The grid cell (row, column) of a point, for ordering queries by locality; `None` for a
    /// non-finite point.
    pub(crate) fn cell_of(&self, p: [f64; 2]) -> Option<(i64, i64)> {
        (p[0].is_finite() && p[1].is_finite()).then(|| (floor(p[1] / self.cell) as i64, floor(p[0] / self.cell) as i64))
    }

    fn cell_index(&self, x: i64, y: i64) -> usize {
        ((y - self.y0) * self.nx + (x - self.x0)) as usize
    }

    fn cell_box(&self, c: [f64; 2], r: f64) -> Option<(i64, i64, i64, i64)> {
        if !(c[0].is_finite() && c[1].is_finite() && r.is_finite() && r >= 0.0) {
            return None;
        }
        let f = |v: f64| floor(v / self.cell);
        let (x0, x1, y0, y1) = (f(c[0] - r), f(c[0] + r), f(c[1] - r), f(c[1] + r));
        // Compare in f64 first so huge coordinates cannot overflow the cell count.
        if (x1 - x0 + 1.0) * (y1 - y0 + 1.0) > Self::MAX_CELLS as f64 {
            return None;
        }
        Some((x0 as i64, x1 as i64, y0 as i64, y1 as i64))
    }

    /// Indices of the disks that overlap the query disk, each once, in a deterministic order
    /// (by cell, then ascending; the always-checked disks last; ascending without a grid). A
    /// query with a non-finite centre or radius, or covering too many cells, returns every
    /// disk in ascending order.
    pub fn query(&self, centre: [f64; 2], radius: f64, out: &mut Vec<usize>) {
        out.clear();
        match self.cell_box(centre, radius) {
            None => out.extend(0..self.disks.len()),
            Some(_) if !self.grid => out.extend((0..self.disks.len()).filter(|&i| self.overlaps(i, centre, radius))),
            Some((qx0, qx1, qy0, qy1)) => {
                let (x_lo, x_hi) = (qx0.max(self.x0), qx1.min(self.x0 + self.nx - 1));
                let (y_lo, y_hi) = (qy0.max(self.y0), qy1.min(self.y0 + self.ny - 1));
                for y in y_lo..=y_hi {
                    for x in x_lo..=x_hi {
                        let k = self.cell_index(x, y);
                        let v = &self.items[self.starts[k] as usize..self.starts[k + 1] as usize];
                        // Report a disk from the lowest cell shared by its box and the query's.
                        let (gx, gy) = ((x - self.x0) as u32, (y - self.y0) as u32);
                        let (qgx, qgy) = ((qx0 - self.x0).max(0) as u32, (qy0 - self.y0).max(0) as u32);
                        out.extend(
                            v.iter()
                                .filter(|it| {
                                    it.lo[0].max(qgx) == gx
                                        && it.lo[1].max(qgy) == gy
                                        && overlap(it.centre, it.radius, centre, radius)
                                })
                                .map(|it| it.index as usize),
                        );
                    }
                }
                out.extend(self.oversize.iter().copied().filter(|&i| self.overlaps(i, centre, radius)));
            }
        }
    }

    fn overlaps(&self, i: usize, c: [f64; 2], r: f64) -> bool {
        let (d, rd) = self.disks[i];
        overlap(d, rd, c, r)
    }
}

/// One disk in one grid cell.
#[derive(Copy, Clone, Debug, Default)]
struct Item {
    centre: [f64; 2],
    radius: f64,
    /// Lowest cell of the disk's box, relative to the grid origin.
    lo: [u32; 2],
    index: u32,
}

/// Whether two disks overlap. A NaN disk (failed prediction) is kept: it must be tested exactly.
/// Squared distances (no hypot): coordinates here are far from overflow (a disk that large is
/// oversize).
fn overlap(d: [f64; 2], rd: f64, c: [f64; 2], r: f64) -> bool {
    let reach = rd + r;
    let (dx, dy) = (d[0] - c[0], d[1] - c[1]);
    let dist2 = dx * dx + dy * dy;
    dist2.is_nan() || reach.is_nan() || dist2 <= reach * reach
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn floor_is_std_floor_bit_for_bit() {
        // Oracle: the standard library's `f64::floor` (IEEE 754 roundToIntegralTowardNegative).
        let edges =
            [0.0, -0.0, 0.5, -0.5, 1.0, -1.0, 1.5, -1.5, 2.0f64.powi(52), -(2.0f64.powi(52)), 2.0f64.powi(52) - 0.5];
        let more = [f64::MIN_POSITIVE, -f64::MIN_POSITIVE, 1e300, -1e300, f64::INFINITY, f64::NEG_INFINITY, f64::NAN];
        let mut state = 0x2545_F491_4F6C_DD1D_u64;
        let random = (0..200_000).map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            f64::from_bits(state)
        });
        // NaN payloads may be quieted differently by a hardware floor: NaN only has to stay NaN.
        let same = |v: f64| {
            if v.is_nan() {
                assert!(floor(v).is_nan());
            } else {
                assert_eq!(floor(v).to_bits(), v.floor().to_bits(), "{v:e}");
            }
        };
        for v in edges.into_iter().chain(more).chain(random) {
            same(v);
            same(f64::from_bits(v.to_bits().wrapping_add(1)));
        }
    }

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
            // Without the grid (few queries): the same set, ascending.
            let mut linear_index = SpatialIndex::default();
            linear_index.rebuild_for(&disks, 1);
            let mut linear = Vec::new();
            linear_index.query([q.0.0, q.0.1], q.1, &mut linear);
            prop_assert!(linear.windows(2).all(|w| w[0] < w[1]));
            let n_got = got.len();
            got.sort_unstable();
            prop_assert_eq!(&linear, &got);
            got.dedup();
            prop_assert_eq!(n_got, got.len(), "a disk reported twice");
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
