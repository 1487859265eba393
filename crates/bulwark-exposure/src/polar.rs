//! Aspect coverage of one (radar, object) pair as a polar plot (SVG written directly; the CLI
//! rasterises it with `bulwark_coverage::svg_to_png` for PNG).
//!
//! The disc is the sphere of directions around the object, seen in its body frame: azimuth
//! clockwise from the nose at the top (starboard to the right), elevation mapped linearly to
//! the radius — +90° (radar straight above) at the centre, the wing plane on the middle ring,
//! −90° (straight below) on the rim. A cell's fill darkens with its detections (linear in the
//! share of the busiest cell); cells with looks but no detection are outlined only.

use std::fmt::Write as _;

use crate::summary::PairSummary;

const SIZE: f64 = 520.0;
const RADIUS: f64 = 200.0;
/// Okabe & Ito blue (the palette of the coverage diagrams).
const FILL: &str = "rgb(0,114,178)";

/// The SVG text of `p`'s aspect histogram.
pub fn aspect_polar_svg(p: &PairSummary) -> String {
    let (cx, cy) = (SIZE / 2.0, SIZE / 2.0 + 20.0);
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{SIZE}" height="{h}" viewBox="0 0 {SIZE} {h}" font-family="sans-serif">"#,
        h = SIZE + 40.0
    );
    s.push_str(r#"<rect width="100%" height="100%" fill="white"/>"#);
    let title = format!("{} {} (radar {}) → {} [{}]", p.unit, p.radar_type, p.radar, p.name, p.class);
    let _ = write!(s, r#"<text x="{cx}" y="22" text-anchor="middle" font-size="15">{}</text>"#, xml(&title));
    let sub =
        format!("aspect seen, body frame: {} looks, {} detections — notional, physics only", p.looks, p.detections);
    let _ =
        write!(s, r##"<text x="{cx}" y="40" text-anchor="middle" font-size="11" fill="#444">{}</text>"##, xml(&sub));
    let max = p.aspect.cells.iter().map(|c| c.detections).max().unwrap_or(0).max(1) as f64;
    let radius = |el: f64| RADIUS * (90.0 - el) / 180.0;
    for c in &p.aspect.cells {
        let (fill, opacity) =
            if c.detections > 0 { (FILL, 0.15 + 0.85 * c.detections as f64 / max) } else { ("none", 0.0) };
        let (r0, r1) = (radius(c.el_deg + p.aspect.el_step_deg), radius(c.el_deg));
        // Pieces of at most 90° so every arc is well defined (a 360° bin has no two ends).
        let pieces = (p.aspect.az_step_deg / 90.0).ceil().max(1.0) as usize;
        let step = p.aspect.az_step_deg / pieces as f64;
        for k in 0..pieces {
            let a0 = c.az_deg + k as f64 * step;
            let d = sector_path(cx, cy, r0, r1, a0, a0 + step);
            let _ = write!(
                s,
                r##"<path d="{d}" fill="{fill}" fill-opacity="{opacity:.3}" stroke="#888" stroke-width="0.6"/>"##
            );
        }
    }
    for (el, label) in [(60.0, "+60°"), (30.0, "+30°"), (0.0, "0° wing plane"), (-30.0, "−30°"), (-60.0, "−60°")]
    {
        let r = radius(el);
        let dash = if el == 0.0 { "" } else { r#" stroke-dasharray="3,3""# };
        let _ = write!(s, r##"<circle cx="{cx}" cy="{cy}" r="{r:.2}" fill="none" stroke="#bbb"{dash}/>"##);
        let _ = write!(
            s,
            r##"<text x="{:.1}" y="{:.1}" font-size="9" fill="#666">{label}</text>"##,
            cx + 3.0,
            cy - r - 2.0
        );
    }
    let _ = write!(s, r#"<circle cx="{cx}" cy="{cy}" r="{RADIUS}" fill="none" stroke="black"/>"#);
    for (az, label) in [(0.0, "nose"), (90.0, "starboard"), (180.0, "tail"), (270.0, "port")] {
        let (x, y) = point(cx, cy, RADIUS + 14.0, az);
        let _ = write!(s, r#"<text x="{x:.1}" y="{:.1}" text-anchor="middle" font-size="12">{label}</text>"#, y + 4.0);
    }
    let _ = write!(
        s,
        r##"<text x="{cx}" y="{:.1}" text-anchor="middle" font-size="10" fill="#444">centre: radar above · rim: radar below · fill: detections per cell (max {max:.0})</text>"##,
        SIZE + 32.0
    );
    s.push_str("</svg>\n");
    s
}

/// (x, y) of azimuth `az_deg` (clockwise from up) at radius `r` about (cx, cy).
fn point(cx: f64, cy: f64, r: f64, az_deg: f64) -> (f64, f64) {
    let (sn, cs) = az_deg.to_radians().sin_cos();
    (cx + r * sn, cy - r * cs)
}

/// SVG path of the annular sector between radii r0 < r1 and azimuths a0 < a1 (deg, ≤ 90° apart).
fn sector_path(cx: f64, cy: f64, r0: f64, r1: f64, a0: f64, a1: f64) -> String {
    let (x0, y0) = point(cx, cy, r1, a0);
    let (x1, y1) = point(cx, cy, r1, a1);
    let (x2, y2) = point(cx, cy, r0, a1);
    let (x3, y3) = point(cx, cy, r0, a0);
    format!(
        "M{x0:.2},{y0:.2} A{r1:.2},{r1:.2} 0 0 1 {x1:.2},{y1:.2} L{x2:.2},{y2:.2} A{r0:.2},{r0:.2} 0 0 0 {x3:.2},{y3:.2} Z"
    )
}

fn xml(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Geometry by hand: the nose is straight up, starboard to the right.
    #[test]
    fn azimuth_runs_clockwise_from_the_top() {
        let (x, y) = point(0.0, 0.0, 1.0, 0.0);
        assert!(x.abs() < 1e-12 && (y + 1.0).abs() < 1e-12);
        let (x, y) = point(0.0, 0.0, 1.0, 90.0);
        assert!((x - 1.0).abs() < 1e-12 && y.abs() < 1e-12);
    }
}
