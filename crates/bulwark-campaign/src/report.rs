//! `report.md`: the design points with the headline estimates and their intervals, the paired
//! differences, and one plot (SVG and PNG, drawn with plotters and rasterised by the coverage
//! crate's resvg code) per headline metric and factor, with its interval band and one line per
//! combination of the other factors' values.
use crate::output::{Table, cell, mean_method, write_atomic};
use crate::parquet_out::Col;
use crate::run::{CampaignError, Manifest};
use bulwark_coverage::diagram::PALETTE;
use plotters::prelude::*;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

/// The metrics plotted and tabulated: (column stem in points.csv, label).
const HEADLINE: [(&str, &str); 7] = [
    ("leakers", "leakers (mean)"),
    ("p.any_leak", "P(any leak)"),
    ("threats_killed", "threats killed (mean)"),
    ("interceptors_fired", "interceptors fired (mean)"),
    ("first_detection_s", "first detection (s, mean)"),
    ("first_engagement_s", "first engagement (s, mean)"),
    ("false_tracks", "false tracks (mean)"),
];

fn col<'a>(t: &'a Table, name: &str) -> Option<&'a Col> {
    t.iter().find(|(n, _)| n == name).map(|(_, c)| c)
}

/// (estimate, low, high); a bound is absent with one run.
type Estimate = (f64, Option<f64>, Option<f64>);

/// The estimate of headline `stem` at point `p`.
fn est(t: &Table, stem: &str, p: usize) -> Option<Estimate> {
    let mid = if stem.starts_with("p.") { "estimate" } else { "mean" };
    let e = col(t, &format!("{stem}.{mid}"))?.real(p)?;
    let lo = col(t, &format!("{stem}.low")).and_then(|c| c.real(p));
    let hi = col(t, &format!("{stem}.high")).and_then(|c| c.real(p));
    Some((e, lo, hi))
}

fn fmt(x: f64) -> String {
    if x.abs() >= 100.0 {
        format!("{x:.0}")
    } else {
        format!("{x:.3}").trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

fn show_est(v: Option<Estimate>, pct: bool) -> String {
    let s = |x: f64| if pct { format!("{}%", fmt(100.0 * x)) } else { fmt(x) };
    match v {
        None => "–".into(),
        Some((e, Some(l), Some(h))) => format!("{} [{}, {}]", s(e), s(l), s(h)),
        Some((e, _, _)) => s(e),
    }
}

fn slug(s: &str) -> String {
    let x: String = s.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' }).collect();
    x.split('-').filter(|p| !p.is_empty()).collect::<Vec<_>>().join("-")
}

pub fn write(m: &Manifest, points: &Table, paired: &Table, dir: &Path) -> Result<(), CampaignError> {
    let np = m.points.len();
    let mut md = String::new();
    let _ = writeln!(md, "# {}\n", m.name);
    let _ = writeln!(
        md,
        "Design `{}`, {} point(s) × {} replication(s), campaign seed {} ({} seeds). Means: {} interval; \
         probabilities: Wilson, or the one-sided Clopper–Pearson bound when no run or every run had the event; \
         level {}. Every number below is in `points.csv` (intervals) and `runs.csv` (one row per run).\n",
        m.design,
        np,
        m.replications,
        m.seed,
        m.seeds,
        mean_method(m),
        m.level
    );
    // The table.
    let mut header = vec!["point".to_string()];
    header.extend(m.factors.iter().map(|f| format!("`{}`", f.path)));
    header.push("n".into());
    header.extend(HEADLINE.iter().map(|h| h.1.to_string()));
    header.push("civil / friendly engagements".into());
    let _ = writeln!(md, "| {} |", header.join(" | "));
    let _ = writeln!(md, "|{}|", vec!["---"; header.len()].join("|"));
    let n = col(points, "n");
    for p in 0..np {
        let mut cells = vec![p.to_string()];
        cells.extend(m.points[p].iter().map(cell));
        cells.push(n.map_or(String::new(), |c| c.text(p)));
        for (stem, _) in HEADLINE {
            cells.push(show_est(est(points, stem, p), stem.starts_with("p.")));
        }
        let k = |e: &str| col(points, &format!("p.{e}.k")).map_or(String::new(), |c| c.text(p));
        let hi = |e: &str| {
            col(points, &format!("p.{e}.high"))
                .and_then(|c| c.real(p))
                .map_or(String::new(), |x| format!(" (≤ {}%)", fmt(100.0 * x)))
        };
        cells.push(format!(
            "{}{} / {}{}",
            k("civil_engagement"),
            hi("civil_engagement"),
            k("friendly_engagement"),
            hi("friendly_engagement")
        ));
        let _ = writeln!(md, "| {} |", cells.join(" | "));
    }
    // Paired differences of the headline metrics.
    let pf = |name: &str| col(paired, name);
    if let (Some(metric), Some(n_rows)) = (pf("metric"), pf("n").map(Col::len)) {
        let want = ["leakers", "threats_killed", "interceptors_fired"];
        let rows: Vec<usize> = (0..n_rows).filter(|&i| want.contains(&metric.text(i).as_str())).collect();
        if !rows.is_empty() {
            let _ = writeln!(
                md,
                "\n## Paired differences (common seeds)\n\nEach row: the mean over seeds of (value − baseline) for runs \
                 that share a seed, with its paired t interval (`paired.csv` has every metric).\n"
            );
            let _ = writeln!(md, "| factor | value | baseline | other factors | metric | n | difference [interval] |");
            let _ = writeln!(md, "|---|---|---|---|---|---|---|");
            for i in rows {
                let g = |c: &str| pf(c).map_or(String::new(), |x| x.text(i));
                let r = |c: &str| pf(c).and_then(|x| x.real(i));
                let d = r("estimate").map(|e| (e, r("low"), r("high")));
                let _ = writeln!(
                    md,
                    "| `{}` | {} | {} | {} | {} | {} | {} |",
                    g("factor"),
                    g("value"),
                    g("baseline"),
                    g("others"),
                    g("metric"),
                    g("n"),
                    show_est(d, false)
                );
            }
        }
    }
    // Plots.
    if np > 1 && !m.factors.is_empty() {
        let _ = writeln!(
            md,
            "\n## Plots\n\nShaded: the {} % interval; one line per value of the other factors.\n",
            m.level * 100.0
        );
        for (f, factor) in m.factors.iter().enumerate() {
            let distinct: std::collections::BTreeSet<String> = m.points.iter().map(|v| cell(&v[f])).collect();
            if distinct.len() < 2 {
                continue;
            }
            for (stem, label) in HEADLINE {
                let svg = plot(m, points, f, stem, label);
                let Some(svg) = svg else { continue };
                let name = format!("plot-{}-vs-{}", slug(stem), slug(&factor.path));
                write_atomic(&dir.join(format!("{name}.svg")), svg.as_bytes())?;
                if let Ok(img) = bulwark_coverage::svg_to_png(&svg, 1.0) {
                    write_atomic(&dir.join(format!("{name}.png")), &img.png)?;
                }
                let _ = writeln!(md, "![{label} against `{}`]({name}.svg)\n", factor.path);
            }
        }
    }
    write_atomic(&dir.join("report.md"), md.as_bytes())
}

/// One metric against factor `f`: x numeric (the factor's numbers, or the number inside a unit
/// string) or categorical (its values in first-seen order).
fn plot(m: &Manifest, points: &Table, f: usize, stem: &str, label: &str) -> Option<String> {
    let np = m.points.len();
    let numeric = |v: &serde_json::Value| -> Option<f64> {
        v.as_f64().or_else(|| {
            let s = v.as_str()?;
            let start = s.find(|c: char| c.is_ascii_digit() || c == '-')?;
            let end =
                s[start..].find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-')).map_or(s.len(), |e| start + e);
            s[start..end].parse().ok()
        })
    };
    let mut xs_num: Option<Vec<f64>> = m.points.iter().map(|v| numeric(&v[f])).collect();
    // Values over two decades or more (an RCS sweep) are drawn on a log axis.
    let log = xs_num.as_ref().is_some_and(|xs| {
        let (lo, hi) = xs.iter().fold((f64::MAX, f64::MIN), |(a, b), &x| (a.min(x), b.max(x)));
        lo > 0.0 && hi / lo >= 100.0
    });
    if log {
        xs_num = xs_num.map(|xs| xs.iter().map(|x| x.log10()).collect());
    }
    let mut cats: Vec<String> = Vec::new();
    for v in &m.points {
        let c = cell(&v[f]);
        if !cats.contains(&c) {
            cats.push(c);
        }
    }
    let x_of = |p: usize| -> f64 {
        match &xs_num {
            Some(xs) => xs[p],
            None => cats.iter().position(|c| *c == cell(&m.points[p][f])).unwrap_or(0) as f64,
        }
    };
    // Lines: points equal in the other factors; too many (a sampled design): one scatter.
    let mut groups: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (p, vals) in m.points.iter().enumerate() {
        let key: Vec<String> = m
            .factors
            .iter()
            .enumerate()
            .filter(|(g, _)| *g != f)
            .map(|(g, x)| format!("{} = {}", x.path, cell(&vals[g])))
            .collect();
        groups.entry(key.join(", ")).or_default().push(p);
    }
    let scatter = groups.len() > PALETTE.len() || groups.values().all(|g| g.len() < 2);
    if scatter {
        groups = BTreeMap::from([(String::new(), (0..np).collect())]);
    }
    let vals: Vec<Option<Estimate>> = (0..np).map(|p| est(points, stem, p)).collect();
    let ys: Vec<f64> = vals.iter().flatten().flat_map(|(e, l, h)| [Some(*e), *l, *h]).flatten().collect();
    if ys.is_empty() {
        return None;
    }
    let (mut y0, mut y1) = ys.iter().fold((f64::MAX, f64::MIN), |(a, b), &y| (a.min(y), b.max(y)));
    if stem.starts_with("p.") {
        (y0, y1) = (0.0, 1.0);
    } else {
        y0 = y0.min(0.0);
        if y1 - y0 < 1e-9 {
            y1 = y0 + 1.0;
        }
        y1 += 0.05 * (y1 - y0);
    }
    let xv: Vec<f64> = (0..np).map(x_of).collect();
    let (mut x0, mut x1) = xv.iter().fold((f64::MAX, f64::MIN), |(a, b), &x| (a.min(x), b.max(x)));
    let pad = if xs_num.is_some() { 0.04 * (x1 - x0).max(1e-9) } else { 0.5 };
    (x0, x1) = (x0 - pad, x1 + pad);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (900, 560)).into_drawing_area();
        root.fill(&WHITE).ok()?;
        let title = format!("{label} against {}", m.factors[f].path);
        let mut chart = ChartBuilder::on(&root)
            .caption(title, ("sans-serif", 22))
            .margin(16)
            .x_label_area_size(50)
            .y_label_area_size(70)
            .build_cartesian_2d(x0..x1, y0..y1)
            .ok()?;
        let cat_label = |x: &f64| {
            let k = x.round();
            if (x - k).abs() < 1e-6 && k >= 0.0 {
                cats.get(k as usize).cloned().unwrap_or_default()
            } else {
                String::new()
            }
        };
        let num_label = |x: &f64| {
            let v = if log { 10f64.powf(*x) } else { *x };
            let digits = if v.abs() >= 1.0 || v == 0.0 { 3 } else { (-v.abs().log10()).ceil() as i32 + 2 };
            let scale = 10f64.powi(digits);
            format!("{}", (v * scale).round() / scale)
        };
        let mut mesh = chart.configure_mesh();
        let x_desc = if log { format!("{} (log scale)", m.factors[f].path) } else { m.factors[f].path.clone() };
        mesh.x_desc(x_desc).y_desc(label).label_style(("sans-serif", 14));
        if xs_num.is_some() {
            mesh.x_label_formatter(&num_label);
        } else {
            mesh.x_labels(cats.len() * 4 + 1).x_label_formatter(&cat_label);
        }
        mesh.draw().ok()?;
        for (gi, (name, pts)) in groups.iter().enumerate() {
            let colour = PALETTE[gi % PALETTE.len()];
            let mut pts: Vec<usize> = pts.iter().copied().filter(|&p| vals[p].is_some()).collect();
            pts.sort_by(|&a, &b| xv[a].total_cmp(&xv[b]));
            let pt = |p: usize| vals[p].unwrap_or((0.0, None, None));
            if scatter {
                for &p in &pts {
                    let (e, l, h) = pt(p);
                    if let (Some(l), Some(h)) = (l, h) {
                        chart
                            .draw_series(std::iter::once(PathElement::new(
                                vec![(xv[p], l), (xv[p], h)],
                                colour.mix(0.5),
                            )))
                            .ok()?;
                    }
                    chart.draw_series(std::iter::once(Circle::new((xv[p], e), 3, colour.filled()))).ok()?;
                }
                continue;
            }
            let band: Vec<(f64, f64)> = pts
                .iter()
                .filter_map(|&p| pt(p).2.map(|h| (xv[p], h)))
                .chain(pts.iter().rev().filter_map(|&p| pt(p).1.map(|l| (xv[p], l))))
                .collect();
            if band.len() >= 4 {
                chart.draw_series(std::iter::once(Polygon::new(band, colour.mix(0.18)))).ok()?;
            }
            let line: Vec<(f64, f64)> = pts.iter().map(|&p| (xv[p], pt(p).0)).collect();
            let series = chart.draw_series(LineSeries::new(line.clone(), colour.stroke_width(2))).ok()?;
            if !name.is_empty() {
                series
                    .label(name.clone())
                    .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], colour.stroke_width(2)));
            }
            chart.draw_series(line.iter().map(|&(x, y)| Circle::new((x, y), 3, colour.filled()))).ok()?;
        }
        if groups.len() > 1 {
            chart
                .configure_series_labels()
                .position(SeriesLabelPosition::UpperLeft)
                .background_style(WHITE.mix(0.85))
                .border_style(BLACK)
                .label_font(("sans-serif", 13))
                .draw()
                .ok()?;
        }
        root.present().ok()?;
    }
    Some(svg)
}
