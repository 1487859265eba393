//! Coverage diagrams as SVG (drawn with `plotters`, text left to the viewer's fonts) and PNG
//! (the same SVG rasterised by `resvg` with the system fonts).
//!
//! - [`vertical_diagram_svg`]: the range–height (vertical coverage, "Blake") chart of one
//!   azimuth: ground range on x, altitude on y in rectangular axes, so the 4/3-earth geometry
//!   shows as curved elevation lines (L. V. Blake, *Radar Range-Performance Analysis*, 1980,
//!   ch. 7, draws the same lines on a curved-earth grid); coverage filled per RCS with its
//!   boundary drawn, the horizon, the elevation limits and the instrumented range.
//! - [`coverage_map_svg`]: plan view of detection range by azimuth, one outline per altitude,
//!   for one or more radars, in an azimuthal equidistant projection about a common origin,
//!   north up, with range rings.
//! - [`svg_to_png`]: raster copy of either.
use crate::compute::{AltitudeReference, RadarCoverage, VerticalCoverage};
use crate::contour::{clip_polyline, zero_contours};
use crate::geometry::{EffectiveEarth, azimuthal_equidistant, destination};
use crate::{CoverageError, check};
use bulwark_geo::Geodetic;
use plotters::coord::Shift;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::path::Path;
use std::sync::{Arc, OnceLock};

/// Colour-blind-safe qualitative palette (Okabe & Ito, "Color Universal Design", 2008),
/// yellow left out (unreadable on white), black last. Campaign plots use it too.
pub const PALETTE: [RGBColor; 7] = [
    RGBColor(0, 114, 178),
    RGBColor(213, 94, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(230, 159, 0),
    RGBColor(86, 180, 233),
    RGBColor(0, 0, 0),
];
const GRID_GREY: RGBColor = RGBColor(225, 225, 225);
const LINE_GREY: RGBColor = RGBColor(160, 160, 160);
const HORIZON_BROWN: RGBColor = RGBColor(120, 70, 30);
const FONT: &str = "sans-serif";
/// Width (px) of the legend panel right of each chart.
const LEGEND_WIDTH: u32 = 250;

fn colour(i: usize) -> RGBColor {
    PALETTE[i % PALETTE.len()]
}

/// `c` mixed with white: `amount` 0 is white, 1 is `c`.
fn tint(c: RGBColor, amount: f64) -> RGBColor {
    let mix = |v: u8| (255.0 - (255.0 - f64::from(v)) * amount).round().clamp(0.0, 255.0) as u8;
    RGBColor(mix(c.0), mix(c.1), mix(c.2))
}

fn draw_err<E: std::fmt::Display>(e: E) -> CoverageError {
    CoverageError::Diagram(e.to_string())
}

/// A number with up to 3 significant decimals and no trailing zeros.
fn num(x: f64) -> String {
    let s = format!("{x:.3}");
    let s = if s.contains('.') { s.trim_end_matches('0').trim_end_matches('.').to_string() } else { s };
    if s == "-0" { "0".into() } else { s.replace('-', "−") }
}

/// An RCS as a legend label.
fn rcs_label(rcs_m2: f64) -> String {
    format!("σ = {} m²", num(rcs_m2))
}

/// An altitude as a legend label (m below 10 km, km above).
fn altitude_label(altitude_m: f64) -> String {
    if altitude_m.abs() >= 10_000.0 {
        format!("h = {} km", num(altitude_m / 1e3))
    } else {
        format!("h = {} m", num(altitude_m))
    }
}

/// One legend line: a swatch and its text.
enum Swatch {
    Fill(RGBColor),
    Line(RGBColor, u32),
    Dashed(RGBColor),
    Marker(RGBColor),
    Heading,
    Note,
}

/// Draws a legend of `entries` into `area` (the panel right of the chart).
fn draw_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    entries: &[(Swatch, String)],
) -> Result<(), CoverageError> {
    let (x0, mut y) = (10i32, 60i32);
    let text = |s: &str, x: i32, y: i32, size: f64, bold: bool| {
        let font = if bold { (FONT, size).into_font().style(FontStyle::Bold) } else { (FONT, size).into_font() };
        Text::new(s.to_string(), (x, y), font.color(&BLACK).pos(Pos::new(HPos::Left, VPos::Center)))
    };
    for (swatch, label) in entries {
        let mid = y;
        match swatch {
            Swatch::Heading => {
                area.draw(&text(label, x0, mid, 17.0, true)).map_err(draw_err)?;
                y += 26;
                continue;
            }
            Swatch::Note => {
                area.draw(&text(label, x0, mid, 15.0, false)).map_err(draw_err)?;
                y += 21;
                continue;
            }
            Swatch::Fill(c) => {
                area.draw(&Rectangle::new([(x0, mid - 8), (x0 + 30, mid + 8)], tint(*c, 0.35).filled()))
                    .map_err(draw_err)?;
                area.draw(&PathElement::new(vec![(x0, mid - 8), (x0 + 30, mid - 8)], c.stroke_width(3)))
                    .map_err(draw_err)?;
            }
            Swatch::Line(c, w) => {
                area.draw(&PathElement::new(vec![(x0, mid), (x0 + 30, mid)], c.stroke_width(*w))).map_err(draw_err)?;
            }
            Swatch::Dashed(c) => {
                for k in 0..3 {
                    let s = x0 + k * 12;
                    area.draw(&PathElement::new(vec![(s, mid), (s + 7, mid)], c.stroke_width(2))).map_err(draw_err)?;
                }
            }
            Swatch::Marker(c) => {
                area.draw(&TriangleMarker::new((x0 + 15, mid), 8, c.filled())).map_err(draw_err)?;
            }
        }
        area.draw(&text(label, x0 + 40, mid, 15.0, false)).map_err(draw_err)?;
        y += 24;
    }
    Ok(())
}

/// Draws `line` (data coordinates) clipped to the chart's ranges.
fn draw_clipped<DB: DrawingBackend>(
    chart: &mut Chart<'_, DB>,
    line: &[(f64, f64)],
    style: ShapeStyle,
    dashed: bool,
) -> Result<(), CoverageError> {
    let (xr, yr) = (chart.x_range(), chart.y_range());
    for part in clip_polyline(line, xr.start, xr.end, yr.start, yr.end) {
        if dashed {
            chart.draw_series(DashedLineSeries::new(part, 9, 6, style)).map_err(draw_err)?;
        } else {
            chart.draw_series(std::iter::once(PathElement::new(part, style))).map_err(draw_err)?;
        }
    }
    Ok(())
}

/// The vertical coverage (range–height) diagram of `v` as an SVG document (1300 × 720 px).
///
/// x: ground range (km) along the earth's surface; y: altitude (km) in the analysis' altitude
/// reference, plotted straight, so a ray of constant elevation over the 4/3 earth curves up:
/// h = hₐ + R sin el + R²cos²el/(2kRe). Grey curves are reference elevations; the dashed
/// black curves the radar's elevation limits; the brown curve the 4/3-earth horizon (the
/// grazing ray); the dashed grey arc the instrumented range. Each RCS's coverage is filled
/// (largest first) and its boundary drawn through the grid's zero contour.
pub fn vertical_diagram_svg(v: &VerticalCoverage) -> Result<String, CoverageError> {
    let earth = EffectiveEarth::new(v.k_factor)?;
    let (xmax, ymax) = (v.max_ground_range_m / 1e3, v.max_altitude_m / 1e3);
    let (dx, dy) = (xmax / v.columns as f64, ymax / v.rows as f64);
    let ha = v.antenna_height_m;
    let surface_km = v.surface_altitude_m / 1e3;
    // A point (slant range, elevation) from the antenna in chart coordinates (km).
    let chart_point = |slant: f64, el: f64| {
        let (g, h) = earth.point_at(slant, el, ha);
        (g / 1e3, h / 1e3 + surface_km)
    };
    let far = 3.0 * (v.max_ground_range_m + v.max_altitude_m);
    // A straight ray (over the effective earth) from the antenna, up to where it meets the
    // ground (the first point below the surface is kept so that clipping ends it at y = 0).
    let ray = |el: f64, from: f64, to: f64| -> Vec<(f64, f64)> {
        let mut pts = Vec::new();
        for i in 0..=600 {
            let p = chart_point(from + (to - from) * f64::from(i) / 600.0, el);
            pts.push(p);
            if i > 0 && p.1 < surface_km - 1e-6 {
                break;
            }
        }
        pts
    };
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (1300, 720)).into_drawing_area();
        root.fill(&WHITE).map_err(draw_err)?;
        let (left, right) = root.split_horizontally(1300 - LEGEND_WIDTH);
        let title = format!(
            "{} — vertical coverage at azimuth {}°, Pd ≥ {}",
            v.name,
            num(v.azimuth_rad.to_degrees()),
            num(v.pd_required)
        );
        let mut chart = ChartBuilder::on(&left)
            .caption(title, (FONT, 24))
            .margin(18)
            .x_label_area_size(55)
            .y_label_area_size(70)
            .build_cartesian_2d(0.0..xmax, 0.0..ymax)
            .map_err(draw_err)?;
        let y_desc = match v.altitude_reference {
            AltitudeReference::AboveSiteSurface => "Altitude above the site surface (km)",
            AltitudeReference::AboveEllipsoid => "Altitude above the WGS-84 ellipsoid (km)",
        };
        chart
            .configure_mesh()
            .x_desc("Ground range (km)")
            .y_desc(y_desc)
            .x_label_formatter(&|x| num(*x))
            .y_label_formatter(&|y| num(*y))
            .axis_desc_style((FONT, 18))
            .label_style((FONT, 15))
            .bold_line_style(GRID_GREY)
            .light_line_style(RGBColor(244, 244, 244))
            .draw()
            .map_err(draw_err)?;

        // Coverage fills, largest first so that smaller ones stay visible on top.
        let mut order: Vec<usize> = (0..v.layers.len()).collect();
        order.sort_by_key(|&k| std::cmp::Reverse(v.layers[k].detected.iter().filter(|d| **d).count()));
        for &k in &order {
            let fill = tint(colour(k), 0.3).filled();
            let mut rects: Vec<Rectangle<(f64, f64)>> = Vec::new();
            let mut previous: Option<(usize, Vec<(usize, usize)>)> = None;
            let runs_of = |c: usize| -> Vec<(usize, usize)> {
                let mut runs = Vec::new();
                let mut r = 0;
                while r < v.rows {
                    if v.layers[k].detected[r * v.columns + c] {
                        let start = r;
                        while r < v.rows && v.layers[k].detected[r * v.columns + c] {
                            r += 1;
                        }
                        runs.push((start, r));
                    } else {
                        r += 1;
                    }
                }
                runs
            };
            // Merge columns with identical runs into one rectangle per run; overlap each
            // rectangle by a fifth of a cell so that antialiasing leaves no seams.
            let mut flush = |from: usize, to: usize, runs: &[(usize, usize)]| {
                for &(r0, r1) in runs {
                    let x1 = (to as f64 + 0.2).min(v.columns as f64) * dx;
                    let y1 = (r1 as f64 + 0.2).min(v.rows as f64) * dy;
                    rects.push(Rectangle::new([(from as f64 * dx, r0 as f64 * dy), (x1, y1)], fill));
                }
            };
            for c in 0..v.columns {
                let runs = runs_of(c);
                match &previous {
                    Some((_, prev)) if *prev == runs => {}
                    _ => {
                        if let Some((start, prev)) = previous.take() {
                            flush(start, c, &prev);
                        }
                        previous = Some((c, runs));
                    }
                }
            }
            if let Some((start, prev)) = previous.take() {
                flush(start, v.columns, &prev);
            }
            chart.draw_series(rects).map_err(draw_err)?;
        }

        // Reference elevation lines with their labels where they leave the chart.
        let limit_degrees = [v.min_elevation_rad.to_degrees(), v.max_elevation_rad.to_degrees()];
        for el_deg in [0.0, 1.0, 2.0, 5.0, 10.0, 20.0, 45.0] {
            if limit_degrees.iter().any(|l| (l - el_deg).abs() < 0.05) {
                continue;
            }
            let line = ray(f64::to_radians(el_deg), 0.0, far);
            draw_clipped(&mut chart, &line, LINE_GREY.stroke_width(1), false)?;
            let parts = clip_polyline(&line, 0.0, xmax, 0.0, ymax);
            if let Some(&(x, y)) = parts.last().and_then(|p| p.last()) {
                let at_top = y >= ymax * 0.999;
                let pos = if at_top { Pos::new(HPos::Right, VPos::Top) } else { Pos::new(HPos::Right, VPos::Bottom) };
                let (px, py) = if at_top { (x - 0.004 * xmax, y - 0.01 * ymax) } else { (x - 0.005 * xmax, y) };
                let style = (FONT, 13).into_font().color(&RGBColor(110, 110, 110)).pos(pos);
                chart
                    .draw_series(std::iter::once(Text::new(format!("{}°", num(el_deg)), (px, py), style)))
                    .map_err(draw_err)?;
            }
        }

        // The horizon: the grazing ray, from its tangent point outwards.
        let a = earth.radius_m();
        let dip = -((ha * (2.0 * a + ha)).sqrt() / a).atan();
        let tangent_slant = (ha * (2.0 * a + ha)).sqrt();
        draw_clipped(&mut chart, &ray(dip, tangent_slant, far), HORIZON_BROWN.stroke_width(2), false)?;
        // Elevation limits, out to the instrumented range.
        for el in [v.min_elevation_rad, v.max_elevation_rad] {
            if el.abs() < std::f64::consts::FRAC_PI_2 - 1e-9 {
                draw_clipped(&mut chart, &ray(el, 0.0, v.max_range_m), BLACK.stroke_width(2), true)?;
            }
        }
        // Instrumented range: the arc of constant slant range between the elevation limits.
        let el_lo = v.min_elevation_rad.max(dip);
        let arc: Vec<(f64, f64)> = (0..=600)
            .map(|i| chart_point(v.max_range_m, el_lo + (v.max_elevation_rad - el_lo) * f64::from(i) / 600.0))
            .collect();
        draw_clipped(&mut chart, &arc, RGBColor(90, 90, 90).stroke_width(2), true)?;

        // Coverage boundaries, through the cell centres.
        for (k, layer) in v.layers.iter().enumerate() {
            for line in zero_contours(&layer.margin, v.columns, v.rows) {
                let pts: Vec<(f64, f64)> = line.iter().map(|&(c, r)| ((c + 0.5) * dx, (r + 0.5) * dy)).collect();
                draw_clipped(&mut chart, &pts, colour(k).stroke_width(2), false)?;
            }
        }
        if !v.in_sector {
            let style = (FONT, 20).into_font().color(&RGBColor(180, 0, 0)).pos(Pos::new(HPos::Center, VPos::Center));
            chart
                .draw_series(std::iter::once(Text::new(
                    "azimuth outside the radar's sector: no coverage",
                    (xmax / 2.0, ymax / 2.0),
                    style,
                )))
                .map_err(draw_err)?;
        }

        let mut entries = vec![(Swatch::Heading, format!("Detected, Pd ≥ {}", num(v.pd_required)))];
        for (k, layer) in v.layers.iter().enumerate() {
            entries.push((Swatch::Fill(colour(k)), rcs_label(layer.rcs_m2)));
        }
        entries.push((Swatch::Note, String::new()));
        entries.push((Swatch::Heading, "Limits".into()));
        entries.push((Swatch::Line(HORIZON_BROWN, 2), "4/3-earth horizon".into()));
        entries.push((
            Swatch::Dashed(BLACK),
            format!(
                "elevation {}° to {}°",
                num(v.min_elevation_rad.to_degrees()),
                num(v.max_elevation_rad.to_degrees())
            ),
        ));
        entries.push((Swatch::Dashed(RGBColor(90, 90, 90)), format!("instrumented {} km", num(v.max_range_m / 1e3))));
        entries.push((Swatch::Line(LINE_GREY, 1), "elevation angles (labelled)".into()));
        entries.push((Swatch::Note, String::new()));
        entries.push((Swatch::Heading, "Geometry".into()));
        let k = if (v.k_factor - 4.0 / 3.0).abs() < 1e-9 { "4/3".to_string() } else { num(v.k_factor) };
        entries.push((Swatch::Note, format!("effective earth k = {k}")));
        entries.push((Swatch::Note, format!("antenna height {} m", num(ha))));
        draw_legend(&right, &entries)?;
        root.present().map_err(draw_err)?;
    }
    Ok(svg)
}

/// What to draw on a plan coverage map.
#[derive(Clone, Debug, PartialEq)]
pub struct MapSpec {
    /// RCS (m²) whose profiles are drawn: the nearest (in ratio) of those computed.
    pub rcs_m2: f64,
    /// Centre of the projection and of the range rings; `None`: the first radar's site.
    pub origin: Option<Geodetic>,
    /// Chart title; `None`: "Detection coverage, σ = …, Pd ≥ …".
    pub title: Option<String>,
    /// Range ring spacing (km); `None`: 50 km when the map spans at most 600 km, else 100 km.
    pub ring_step_km: Option<f64>,
}

impl Default for MapSpec {
    fn default() -> Self {
        MapSpec { rcs_m2: 1.0, origin: None, title: None, ring_step_km: None }
    }
}

/// Chart type of both diagrams: f64 data coordinates on both axes.
type Chart<'a, DB> = ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// The map's chart (caption, margins, label areas) on `area` for the given ranges (km).
fn map_chart<'a, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, Shift>,
    title: String,
    xr: (f64, f64),
    yr: (f64, f64),
) -> Result<Chart<'a, DB>, CoverageError> {
    ChartBuilder::on(area)
        .caption(title, (FONT, 24))
        .margin(18)
        .x_label_area_size(55)
        .y_label_area_size(70)
        .build_cartesian_2d(xr.0..xr.1, yr.0..yr.1)
        .map_err(draw_err)
}

/// The plan coverage map of `coverages` (one or more radars) as an SVG document
/// (1250 × 1000 px): for each altitude, the outline of the outer detection range by azimuth
/// (one colour per altitude, lightly filled), and a thin line at the inner edge where a cone
/// of silence or shadow starts the coverage away from the site. Coordinates are east and
/// north (km) of the azimuthal equidistant projection about the origin (true distances and
/// directions from it), north up, equal scales, range rings about the origin.
pub fn coverage_map_svg(coverages: &[RadarCoverage], spec: &MapSpec) -> Result<String, CoverageError> {
    let first = coverages.first().ok_or_else(|| CoverageError::invalid("coverages", 0.0, "at least one radar"))?;
    check("rcs_m2", spec.rcs_m2, spec.rcs_m2 > 0.0, "a positive RCS (m²)")?;
    let origin = spec.origin.unwrap_or(first.site);
    let project = |site: &Geodetic, az_deg: f64, ground: f64| {
        let (e, n) = azimuthal_equidistant(&origin, &destination(site, az_deg.to_radians(), ground, 0.0));
        (e / 1e3, n / 1e3)
    };
    // Altitudes in first-seen order, one colour each.
    let mut altitudes: Vec<f64> = Vec::new();
    for c in coverages {
        for p in &c.profiles {
            if !altitudes.contains(&p.altitude_m) {
                altitudes.push(p.altitude_m);
            }
        }
    }
    // The RCS drawn: nearest in log ratio to the one asked for.
    let rcs = coverages
        .iter()
        .flat_map(|c| c.profiles.iter().map(|p| p.rcs_m2))
        .min_by(|a, b| (a / spec.rcs_m2).ln().abs().total_cmp(&(b / spec.rcs_m2).ln().abs()))
        .ok_or_else(|| CoverageError::invalid("profiles", 0.0, "at least one computed profile"))?;

    struct Outline {
        colour: usize,
        outer: Vec<(f64, f64)>,
        inner: Option<Vec<(f64, f64)>>,
    }
    let mut outlines = Vec::new();
    let (mut xmin, mut xmax, mut ymin, mut ymax) = (0.0f64, 0.0f64, 0.0f64, 0.0f64);
    let mut sites = Vec::new();
    for c in coverages {
        let s = azimuthal_equidistant(&origin, &c.site);
        sites.push((c.name.clone(), (s.0 / 1e3, s.1 / 1e3)));
        for p in c.profiles.iter().filter(|p| p.rcs_m2 == rcs) {
            let ring = |ranges: &[f64]| -> Vec<(f64, f64)> {
                let mut pts: Vec<(f64, f64)> = c
                    .azimuths_deg
                    .iter()
                    .zip(ranges)
                    .zip(&c.in_sector)
                    .map(|((&az, &r), &inside)| project(&c.site, az, if inside { r } else { 0.0 }))
                    .collect();
                if let Some(&first) = pts.first() {
                    pts.push(first);
                }
                pts
            };
            let outer = ring(&p.outer_range_m);
            let inner = p.inner_range_m.iter().any(|&r| r > 0.0).then(|| ring(&p.inner_range_m));
            for &(x, y) in &outer {
                (xmin, xmax, ymin, ymax) = (xmin.min(x), xmax.max(x), ymin.min(y), ymax.max(y));
            }
            let colour = altitudes.iter().position(|&h| h == p.altitude_m).unwrap_or(0);
            outlines.push(Outline { colour, outer, inner });
        }
    }
    for (_, (x, y)) in &sites {
        (xmin, xmax, ymin, ymax) = (xmin.min(*x), xmax.max(*x), ymin.min(*y), ymax.max(*y));
    }
    // Pad by 8 % and at least 10 km, then widen one axis so that both have the same km/px.
    let pad = (0.08 * (xmax - xmin).max(ymax - ymin)).max(10.0);
    let (mut x0, mut x1, mut y0, mut y1) = (xmin - pad, xmax + pad, ymin - pad, ymax + pad);
    let (width, height) = (1250u32, 1000u32);
    let title = spec.title.clone().unwrap_or_else(|| {
        let names: Vec<&str> = coverages.iter().map(|c| c.name.as_str()).collect();
        format!("{} — detection coverage, {}, Pd ≥ {}", names.join(", "), rcs_label(rcs), num(first.pd_required))
    });
    // Measure the plotting area on a scratch document (the layout does not depend on ranges).
    let (px_w, px_h) = {
        let mut scratch = String::new();
        let root = SVGBackend::with_string(&mut scratch, (width, height)).into_drawing_area();
        let (left, _) = root.split_horizontally(width - LEGEND_WIDTH);
        let chart = map_chart(&left, title.clone(), (0.0, 1.0), (0.0, 1.0))?;
        let (xr, yr) = chart.plotting_area().get_pixel_range();
        (f64::from((xr.end - xr.start).max(1)), f64::from((yr.end - yr.start).max(1)))
    };
    let (kx, ky) = ((x1 - x0) / px_w, (y1 - y0) / px_h);
    if kx > ky {
        let grow = (kx * px_h - (y1 - y0)) / 2.0;
        (y0, y1) = (y0 - grow, y1 + grow);
    } else {
        let grow = (ky * px_w - (x1 - x0)) / 2.0;
        (x0, x1) = (x0 - grow, x1 + grow);
    }
    let ring_step = spec.ring_step_km.unwrap_or(if (x1 - x0).max(y1 - y0) <= 600.0 { 50.0 } else { 100.0 });
    check("ring_step_km", ring_step, ring_step > 0.0, "a positive spacing (km)")?;

    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (width, height)).into_drawing_area();
        root.fill(&WHITE).map_err(draw_err)?;
        let (left, right) = root.split_horizontally(width - LEGEND_WIDTH);
        let mut chart = map_chart(&left, title, (x0, x1), (y0, y1))?;
        chart
            .configure_mesh()
            .x_desc("East of origin (km)")
            .y_desc("North of origin (km)")
            .x_label_formatter(&|x| num(*x))
            .y_label_formatter(&|y| num(*y))
            .axis_desc_style((FONT, 18))
            .label_style((FONT, 15))
            .bold_line_style(GRID_GREY)
            .light_line_style(RGBColor(246, 246, 246))
            .draw()
            .map_err(draw_err)?;
        // Range rings about the origin, labelled on their north side.
        let reach = [x0, x1].iter().flat_map(|x| [y0, y1].map(|y| x.hypot(y))).fold(0.0, f64::max);
        let mut k = 1.0;
        while k * ring_step <= reach && k <= 200.0 {
            let r = k * ring_step;
            let circle: Vec<(f64, f64)> =
                (0..=360).map(|i| f64::from(i).to_radians()).map(|t| (r * t.sin(), r * t.cos())).collect();
            draw_clipped(&mut chart, &circle, LINE_GREY.stroke_width(1), true)?;
            if r < y1 {
                let style =
                    (FONT, 13).into_font().color(&RGBColor(100, 100, 100)).pos(Pos::new(HPos::Left, VPos::Bottom));
                chart
                    .draw_series(std::iter::once(Text::new(format!("{} km", num(r)), (0.01 * (x1 - x0), r), style)))
                    .map_err(draw_err)?;
            }
            k += 1.0;
        }
        for o in &outlines {
            let c = colour(o.colour);
            chart
                .draw_series(std::iter::once(Polygon::new(o.outer.clone(), c.mix(0.06).filled())))
                .map_err(draw_err)?;
            draw_clipped(&mut chart, &o.outer, c.stroke_width(2), false)?;
            if let Some(inner) = &o.inner {
                draw_clipped(&mut chart, inner, c.stroke_width(1), true)?;
            }
        }
        for (name, (x, y)) in &sites {
            chart.draw_series(std::iter::once(TriangleMarker::new((*x, *y), 8, BLACK.filled()))).map_err(draw_err)?;
            let style = (FONT, 15).into_font().color(&BLACK).pos(Pos::new(HPos::Left, VPos::Top));
            chart
                .draw_series(std::iter::once(Text::new(name.clone(), (*x + 0.012 * (x1 - x0), *y), style)))
                .map_err(draw_err)?;
        }
        // North marker in the plot's top-left corner.
        let (xr, yr) = chart.plotting_area().get_pixel_range();
        let (nx, ny) = (xr.start + 30, yr.start + 20);
        let area = chart.plotting_area().strip_coord_spec();
        let (ox, oy) = (nx - xr.start, ny - yr.start);
        area.draw(&PathElement::new(vec![(ox, oy + 40), (ox, oy + 4)], BLACK.stroke_width(2))).map_err(draw_err)?;
        area.draw(&Polygon::new(vec![(ox - 6, oy + 12), (ox, oy), (ox + 6, oy + 12)], BLACK.filled()))
            .map_err(draw_err)?;
        let nstyle = (FONT, 16).into_font().style(FontStyle::Bold).color(&BLACK).pos(Pos::new(HPos::Center, VPos::Top));
        area.draw(&Text::new("N", (ox, oy + 44), nstyle)).map_err(draw_err)?;

        let mut entries = vec![(Swatch::Heading, "Target altitude".to_string())];
        for (k, &h) in altitudes.iter().enumerate() {
            entries.push((Swatch::Line(colour(k), 3), altitude_label(h)));
        }
        entries.push((Swatch::Note, String::new()));
        entries.push((Swatch::Heading, "Detection".into()));
        entries.push((Swatch::Note, format!("{}, Pd ≥ {}", rcs_label(rcs), num(first.pd_required))));
        entries.push((Swatch::Line(LINE_GREY, 2), "outer detection range".into()));
        entries.push((Swatch::Dashed(LINE_GREY), "inner edge (cone of silence)".into()));
        entries.push((Swatch::Note, "equal outlines overlap: the".into()));
        entries.push((Swatch::Note, "last altitude listed is on top".into()));
        entries.push((Swatch::Note, String::new()));
        entries.push((Swatch::Heading, "Map".into()));
        entries.push((Swatch::Marker(BLACK), "radar site".into()));
        entries.push((Swatch::Dashed(LINE_GREY), format!("range rings, {} km", num(ring_step))));
        entries.push((Swatch::Note, "north up, km from the origin".into()));
        draw_legend(&right, &entries)?;
        root.present().map_err(draw_err)?;
    }
    Ok(svg)
}

/// A rasterised diagram.
#[derive(Clone, Debug, PartialEq)]
pub struct RasterImage {
    pub png: Vec<u8>,
    pub width: u32,
    pub height: u32,
    /// Problems worth telling the user (for example: no system fonts, so no text).
    pub warnings: Vec<String>,
}

/// System fonts, loaded once; "sans-serif" mapped to the first common sans family found.
fn font_database() -> Arc<resvg::usvg::fontdb::Database> {
    static DB: OnceLock<Arc<resvg::usvg::fontdb::Database>> = OnceLock::new();
    DB.get_or_init(|| {
        let mut db = resvg::usvg::fontdb::Database::new();
        db.load_system_fonts();
        let families: Vec<String> =
            db.faces().filter_map(|f| f.families.first().map(|(name, _)| name.clone())).collect();
        let preferred = ["DejaVu Sans", "Liberation Sans", "Noto Sans", "Arial", "Helvetica", "FreeSans"];
        let chosen =
            preferred.iter().map(|s| s.to_string()).find(|p| families.contains(p)).or(families.first().cloned());
        if let Some(name) = chosen {
            db.set_sans_serif_family(name);
        }
        Arc::new(db)
    })
    .clone()
}

/// Rasterises an SVG document to PNG at `scale` × its size (on white). Text needs system
/// fonts (Debian: `fonts-dejavu-core`); without any, the image has no text and `warnings`
/// says so.
pub fn svg_to_png(svg: &str, scale: f32) -> Result<RasterImage, CoverageError> {
    if !(scale.is_finite() && (0.1..=8.0).contains(&scale)) {
        return Err(CoverageError::invalid("scale", f64::from(scale), "a scale in [0.1, 8]"));
    }
    let mut options = resvg::usvg::Options { fontdb: font_database(), ..Default::default() };
    options.font_family = "sans-serif".into();
    let mut warnings = Vec::new();
    if options.fontdb.is_empty() {
        warnings.push("no system fonts found: the PNG has no text (install fonts-dejavu-core)".to_string());
    }
    let tree = resvg::usvg::Tree::from_str(svg, &options).map_err(draw_err)?;
    let size = tree.size().to_int_size().scale_by(scale).ok_or_else(|| CoverageError::Diagram("empty image".into()))?;
    let mut pixmap = resvg::tiny_skia::Pixmap::new(size.width(), size.height())
        .ok_or_else(|| CoverageError::Diagram("image too large".into()))?;
    pixmap.fill(resvg::tiny_skia::Color::WHITE);
    resvg::render(&tree, resvg::tiny_skia::Transform::from_scale(scale, scale), &mut pixmap.as_mut());
    let png = pixmap.encode_png().map_err(draw_err)?;
    Ok(RasterImage { png, width: size.width(), height: size.height(), warnings })
}

/// Writes `bytes` to `path` through a temporary file in the same directory and a rename, so
/// that an interrupted run never leaves a half-written file under the final name.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), CoverageError> {
    let name = path.file_name().ok_or_else(|| CoverageError::Io(std::io::Error::other("path has no file name")))?;
    let mut tmp_name = std::ffi::OsString::from(".");
    tmp_name.push(name);
    tmp_name.push(format!(".tmp{}", std::process::id()));
    let tmp = path.with_file_name(tmp_name);
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })?;
    Ok(())
}
