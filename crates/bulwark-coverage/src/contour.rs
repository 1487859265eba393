//! Polyline helpers for the diagrams: the zero contour of a sampled field (marching squares)
//! and clipping of polylines to a rectangle.
use std::collections::HashMap;

/// The zero-level contour of `field` (row-major, `rows` × `cols`, sample (c, r) at index
/// r·cols + c; "inside" is ≥ 0) by marching squares with linear interpolation along cell
/// edges (W. E. Lorensen and H. E. Cline, "Marching cubes", SIGGRAPH 1987, in its 2-D form).
/// Saddle cells are split by the mean of their corners. Segments are chained into polylines
/// (closed ones repeat their first point); coordinates are fractional (column, row) indices.
pub(crate) fn zero_contours(field: &[f64], cols: usize, rows: usize) -> Vec<Vec<(f64, f64)>> {
    if cols < 2 || rows < 2 || field.len() != cols * rows {
        return Vec::new();
    }
    let f = |c: usize, r: usize| field[r * cols + c];
    let inside = |c: usize, r: usize| f(c, r) >= 0.0;
    // Edge ids: horizontal (c, r)–(c+1, r) is 2(r·cols + c); vertical (c, r)–(c, r+1) is that + 1.
    let h_edge = |c: usize, r: usize| 2 * (r * cols + c);
    let v_edge = |c: usize, r: usize| 2 * (r * cols + c) + 1;
    let point = |edge: usize| -> (f64, f64) {
        let (idx, vertical) = (edge / 2, edge % 2 == 1);
        let (c, r) = (idx % cols, idx / cols);
        let (c2, r2) = if vertical { (c, r + 1) } else { (c + 1, r) };
        let (a, b) = (f(c, r), f(c2, r2));
        let t = if a == b { 0.5 } else { (a / (a - b)).clamp(0.0, 1.0) };
        if vertical { (c as f64, r as f64 + t) } else { (c as f64 + t, r as f64) }
    };
    let mut segments: Vec<(usize, usize)> = Vec::new();
    for r in 0..rows - 1 {
        for c in 0..cols - 1 {
            // Corners counter-clockwise from (c, r); the edges between corner k and k+1.
            let corners = [inside(c, r), inside(c + 1, r), inside(c + 1, r + 1), inside(c, r + 1)];
            let edges = [h_edge(c, r), v_edge(c + 1, r), h_edge(c, r + 1), v_edge(c, r)];
            let crossed: Vec<usize> = (0..4).filter(|&k| corners[k] != corners[(k + 1) % 4]).collect();
            match crossed.len() {
                2 => segments.push((edges[crossed[0]], edges[crossed[1]])),
                4 => {
                    // Saddle: cut off each corner whose state differs from the cell centre's.
                    let centre = (f(c, r) + f(c + 1, r) + f(c + 1, r + 1) + f(c, r + 1)) / 4.0 >= 0.0;
                    for k in 0..4 {
                        if corners[k] != centre {
                            segments.push((edges[(k + 3) % 4], edges[k]));
                        }
                    }
                }
                _ => {}
            }
        }
    }
    chain(&segments).into_iter().map(|edges| edges.into_iter().map(point).collect()).collect()
}

/// Joins segments sharing an edge id into chains of edge ids: open chains first (from an end
/// used once), then closed loops. Deterministic: follows segment order, not map order.
fn chain(segments: &[(usize, usize)]) -> Vec<Vec<usize>> {
    let mut at: HashMap<usize, Vec<usize>> = HashMap::new();
    for (i, &(a, b)) in segments.iter().enumerate() {
        at.entry(a).or_default().push(i);
        at.entry(b).or_default().push(i);
    }
    let mut used = vec![false; segments.len()];
    let mut out = Vec::new();
    let walk = |start: usize, first: usize, used: &mut Vec<bool>| -> Vec<usize> {
        let mut line = vec![start];
        let mut seg = first;
        let mut end = start;
        loop {
            used[seg] = true;
            let (a, b) = segments[seg];
            end = if a == end { b } else { a };
            line.push(end);
            match at.get(&end).and_then(|s| s.iter().copied().find(|&k| !used[k])) {
                Some(next) => seg = next,
                None => break,
            }
        }
        line
    };
    for pass_open in [true, false] {
        for i in 0..segments.len() {
            if used[i] {
                continue;
            }
            let (a, b) = segments[i];
            let start = if !pass_open || at[&a].len() == 1 {
                a
            } else if at[&b].len() == 1 {
                b
            } else {
                continue;
            };
            out.push(walk(start, i, &mut used));
        }
    }
    out
}

/// The parts of `line` inside the rectangle [x0, x1] × [y0, y1] (Liang–Barsky clipping of
/// each segment; Y.-D. Liang and B. A. Barsky, "A new concept and method for line clipping",
/// ACM TOG 3(1), 1984). Non-finite points break the line.
pub(crate) fn clip_polyline(line: &[(f64, f64)], x0: f64, x1: f64, y0: f64, y1: f64) -> Vec<Vec<(f64, f64)>> {
    let mut out: Vec<Vec<(f64, f64)>> = Vec::new();
    let mut current: Vec<(f64, f64)> = Vec::new();
    for w in line.windows(2) {
        let ((ax, ay), (bx, by)) = (w[0], w[1]);
        if ![ax, ay, bx, by].iter().all(|v| v.is_finite()) {
            if current.len() > 1 {
                out.push(std::mem::take(&mut current));
            }
            current.clear();
            continue;
        }
        let (dx, dy) = (bx - ax, by - ay);
        let (mut t0, mut t1) = (0.0f64, 1.0f64);
        let mut visible = true;
        for (p, q) in [(-dx, ax - x0), (dx, x1 - ax), (-dy, ay - y0), (dy, y1 - ay)] {
            if p == 0.0 {
                if q < 0.0 {
                    visible = false;
                }
            } else {
                let t = q / p;
                if p < 0.0 {
                    t0 = t0.max(t);
                } else {
                    t1 = t1.min(t);
                }
            }
        }
        if !visible || t0 > t1 {
            if current.len() > 1 {
                out.push(std::mem::take(&mut current));
            }
            current.clear();
            continue;
        }
        let start = (ax + t0 * dx, ay + t0 * dy);
        let end = (ax + t1 * dx, ay + t1 * dy);
        if current.last() != Some(&start) {
            if current.len() > 1 {
                out.push(std::mem::take(&mut current));
            }
            current.clear();
            current.push(start);
        }
        current.push(end);
        if t1 < 1.0 {
            out.push(std::mem::take(&mut current));
        }
    }
    if current.len() > 1 {
        out.push(current);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Oracle: the zero contour of f = r² − (x² + y²) sampled on a grid is a circle of radius r;
    /// linear interpolation puts each vertex within 0.05 cells of it.
    #[test]
    fn contour_of_a_disc_is_a_closed_circle() {
        let (cols, rows) = (41, 41);
        let field: Vec<f64> = (0..rows)
            .flat_map(|r| {
                (0..cols).map(move |c| 12.0f64.powi(2) - ((c as f64 - 20.0).powi(2) + (r as f64 - 20.0).powi(2)))
            })
            .collect();
        let lines = zero_contours(&field, cols, rows);
        assert_eq!(lines.len(), 1);
        let l = &lines[0];
        assert_eq!(l.first(), l.last(), "closed");
        assert!(l.len() > 60);
        for &(x, y) in l {
            let r = (x - 20.0).hypot(y - 20.0);
            assert!((r - 12.0).abs() < 0.05, "{r}");
        }
    }

    #[test]
    fn contour_leaving_the_grid_is_open_and_saddles_split() {
        // Half plane c ≥ 2.5: one straight open line at x = 2.5.
        let field: Vec<f64> = (0..4).flat_map(|_| (0..6).map(|c| c as f64 - 2.5)).collect();
        let lines = zero_contours(&field, 6, 4);
        assert_eq!(lines.len(), 1);
        assert_eq!(lines[0].len(), 4);
        assert!(lines[0].iter().all(|p| (p.0 - 2.5).abs() < 1e-12));
        // A checkerboard 2×2 saddle: two segments, no crossing.
        let lines = zero_contours(&[1.0, -1.0, -1.0, 1.0], 2, 2);
        assert_eq!(lines.len(), 2);
        assert!(zero_contours(&[1.0; 4], 2, 2).is_empty());
        assert!(zero_contours(&[1.0; 3], 2, 2).is_empty());
    }

    #[test]
    fn clipping_cuts_at_the_edges() {
        let line = [(-1.0, 0.5), (0.5, 0.5), (0.5, 2.0), (0.8, 0.2), (f64::NAN, 0.0), (0.1, 0.1), (0.2, 0.2)];
        let parts = clip_polyline(&line, 0.0, 1.0, 0.0, 1.0);
        assert_eq!(parts.len(), 3, "{parts:?}");
        assert_eq!(parts[0], vec![(0.0, 0.5), (0.5, 0.5), (0.5, 1.0)]);
        assert!(
            (parts[1][0].1 - 1.0).abs() < 1e-12
                && (parts[1][1].0 - 0.8).abs() < 1e-12
                && (parts[1][1].1 - 0.2).abs() < 1e-12
        );
        assert_eq!(parts[2], vec![(0.1, 0.1), (0.2, 0.2)]);
        assert!(clip_polyline(&[(2.0, 2.0), (3.0, 3.0)], 0.0, 1.0, 0.0, 1.0).is_empty());
    }
}
