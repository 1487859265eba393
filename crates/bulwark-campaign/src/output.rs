//! The outputs of a campaign directory, all computed from the manifest and the sorted rows:
//! `runs.csv`/`.parquet` (one row per run), `points.csv`/`.parquet` (one row per design point
//! with intervals), `paired.csv` (per-seed differences against a baseline) and `report.md`.
use crate::metrics::{self, Num};
use crate::parquet_out::{self, Col};
use crate::report;
use crate::run::{CampaignError, Manifest, Row};
use bulwark_stats::{Interval, bootstrap_mean, mean_t, paired_difference, proportion};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Writes `bytes` to `path` through a temporary name in the same directory and a rename.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), CampaignError> {
    bulwark_coverage::write_atomic(path, bytes)
        .map_err(|e| CampaignError::Io { path: path.to_path_buf(), source: std::io::Error::other(e.to_string()) })
}

/// A factor value as a cell: a string as it is, a number as JSON writes it.
pub fn cell(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn num(x: f64) -> String {
    if x == 0.0 { "0".into() } else { x.to_string() }
}

fn csv_line(cells: &[String]) -> String {
    let mut s = String::new();
    for (i, c) in cells.iter().enumerate() {
        if i > 0 {
            s.push(',');
        }
        if c.contains([',', '"', '\n', '\r']) || c.starts_with(' ') || c.ends_with(' ') {
            s.push('"');
            s.push_str(&c.replace('"', "\"\""));
            s.push('"');
        } else {
            s.push_str(c);
        }
    }
    s.push('\n');
    s
}

/// The metric columns of `rows`: every name any row has, in [`metrics::column_key`] order.
pub fn metric_columns(rows: &[Row]) -> Vec<String> {
    let names: BTreeSet<&str> = rows.iter().flat_map(|r| r.metrics.iter().map(|(k, _)| k.as_str())).collect();
    let mut v: Vec<String> = names.into_iter().map(str::to_string).collect();
    v.sort_by_key(|n| metrics::column_key(n));
    v
}

/// A row's value of metric `name` (see [`metrics::default_for`]); `None` for an error row.
fn value(row: &Row, name: &str) -> Option<Num> {
    if !row.ok() {
        return None;
    }
    row.metrics.iter().find(|(k, _)| k == name).map(|(_, v)| *v).or_else(|| metrics::default_for(name))
}

/// Every output of a finished campaign into `dir`.
pub fn write_all(m: &Manifest, rows: &[Row], dir: &Path) -> Result<(), CampaignError> {
    let mut rows = rows.to_vec();
    rows.sort_by_key(|r| (r.point, r.replication));
    let metric_cols = metric_columns(&rows);
    let (csv, table) = runs_table(m, &rows, &metric_cols);
    write_atomic(&dir.join("runs.csv"), csv.as_bytes())?;
    parquet_out::write(&dir.join("runs.parquet"), &table)?;
    let points = points_table(m, &rows, &metric_cols);
    write_atomic(&dir.join("points.csv"), to_csv(&points).as_bytes())?;
    parquet_out::write(&dir.join("points.parquet"), &points)?;
    let paired = paired_table(m, &rows, &metric_cols);
    write_atomic(&dir.join("paired.csv"), to_csv(&paired).as_bytes())?;
    report::write(m, &points, &paired, dir)
}

/// `runs.csv` of `rows` alone (`--only`: one run's row, with the columns it has).
pub fn write_runs_csv(m: &Manifest, rows: &[Row], path: &Path) -> Result<(), CampaignError> {
    let cols = metric_columns(rows);
    write_atomic(path, runs_table(m, rows, &cols).0.as_bytes())
}

/// A typed table: (column name, column).
pub type Table = Vec<(String, Col)>;

fn factor_col(m: &Manifest, f: usize, points: impl Iterator<Item = usize>) -> Col {
    let vals: Vec<&serde_json::Value> = points.map(|p| &m.points[p][f]).collect();
    if vals.iter().all(|v| v.is_i64()) {
        Col::Int(vals.iter().map(|v| v.as_i64()).collect())
    } else if vals.iter().all(|v| v.is_number()) {
        Col::Real(vals.iter().map(|v| v.as_f64()).collect())
    } else if vals.iter().all(|v| v.is_boolean()) {
        Col::Bool(vals.iter().map(|v| v.as_bool()).collect())
    } else {
        Col::Text(vals.iter().map(|v| Some(cell(v))).collect())
    }
}

fn runs_table(m: &Manifest, rows: &[Row], metric_cols: &[String]) -> (String, Table) {
    let mut t: Table = vec![
        ("point".into(), Col::Int(rows.iter().map(|r| Some(r.point as i64)).collect())),
        ("replication".into(), Col::Int(rows.iter().map(|r| Some(i64::from(r.replication))).collect())),
        ("seed".into(), Col::UInt(rows.iter().map(|r| Some(r.seed)).collect())),
        ("status".into(), Col::Text(rows.iter().map(|r| Some(r.status.clone())).collect())),
        ("error".into(), Col::Text(rows.iter().map(|r| Some(r.error.clone())).collect())),
    ];
    for (f, factor) in m.factors.iter().enumerate() {
        t.push((factor.path.clone(), factor_col(m, f, rows.iter().map(|r| r.point))));
    }
    for name in metric_cols {
        let vals: Vec<Option<Num>> = rows.iter().map(|r| value(r, name)).collect();
        let col = if vals.iter().flatten().all(|v| matches!(v, Num::Int(_))) {
            Col::Int(vals.iter().map(|v| v.map(|x| x.as_f64() as i64)).collect())
        } else {
            Col::Real(vals.iter().map(|v| v.map(Num::as_f64)).collect())
        };
        t.push((name.clone(), col));
    }
    (to_csv(&t), t)
}

/// A table as CSV: a header, then one line per row; an absent value is an empty cell.
pub fn to_csv(t: &Table) -> String {
    let mut s = csv_line(&t.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>());
    let n = t.first().map_or(0, |(_, c)| c.len());
    for i in 0..n {
        s.push_str(&csv_line(&t.iter().map(|(_, c)| c.text(i)).collect::<Vec<_>>()));
    }
    s
}

/// The threat classes of the rows, from their `<class>.count` columns.
fn classes(metric_cols: &[String]) -> Vec<String> {
    metric_cols.iter().filter_map(|c| c.strip_suffix(".count").map(str::to_string)).collect()
}

fn mean_interval(m: &Manifest, xs: &[f64], point: usize) -> Option<Interval> {
    if m.bootstrap > 0 {
        bootstrap_mean(xs, m.level, m.bootstrap, m.seed.wrapping_add(point as u64))
    } else {
        mean_t(xs, m.level)
    }
}

/// The mean method's name as written in `points.csv`.
pub fn mean_method(m: &Manifest) -> &'static str {
    if m.bootstrap > 0 { "bootstrap_bca" } else { "student_t" }
}

fn points_table(m: &Manifest, rows: &[Row], metric_cols: &[String]) -> Table {
    let np = m.points.len();
    let mut by_point: Vec<Vec<&Row>> = vec![Vec::new(); np];
    for r in rows {
        if r.point < np {
            by_point[r.point].push(r);
        }
    }
    let mut t: Table = vec![("point".into(), Col::Int((0..np).map(|p| Some(p as i64)).collect()))];
    for f in 0..m.factors.len() {
        t.push((m.factors[f].path.clone(), factor_col(m, f, 0..np)));
    }
    let ok: Vec<Vec<&Row>> = by_point.iter().map(|rs| rs.iter().copied().filter(|r| r.ok()).collect()).collect();
    t.push(("runs".into(), Col::Int(by_point.iter().map(|r| Some(r.len() as i64)).collect())));
    t.push(("n".into(), Col::Int(ok.iter().map(|r| Some(r.len() as i64)).collect())));
    t.push((
        "errors".into(),
        Col::Int(by_point.iter().zip(&ok).map(|(a, b)| Some((a.len() - b.len()) as i64)).collect()),
    ));
    t.push(("level".into(), Col::Real(vec![Some(m.level); np])));
    t.push(("mean_method".into(), Col::Text(vec![Some(mean_method(m).to_string()); np])));
    for name in metric_cols {
        let (mut n, mut mean, mut low, mut high) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for (p, rs) in ok.iter().enumerate() {
            let xs: Vec<f64> = rs.iter().filter_map(|r| value(r, name)).map(Num::as_f64).collect();
            let avg = (!xs.is_empty()).then(|| xs.iter().sum::<f64>() / xs.len() as f64);
            let iv = mean_interval(m, &xs, p);
            n.push(Some(xs.len() as i64));
            mean.push(iv.as_ref().map(|i| i.estimate).or(avg));
            low.push(iv.as_ref().map(|i| i.low));
            high.push(iv.as_ref().map(|i| i.high));
        }
        t.push((format!("{name}.n"), Col::Int(n)));
        t.push((format!("{name}.mean"), Col::Real(mean)));
        t.push((format!("{name}.low"), Col::Real(low)));
        t.push((format!("{name}.high"), Col::Real(high)));
    }
    let classes = classes(metric_cols);
    let mut counts: BTreeMap<String, Vec<u64>> = BTreeMap::new();
    let mut order: Vec<String> = Vec::new();
    for (p, rs) in ok.iter().enumerate() {
        for r in rs {
            let get = |k: &str| value(r, k).map(Num::as_f64);
            for (e, hit) in metrics::events(&get, &classes) {
                let c = counts.entry(e.clone()).or_insert_with(|| {
                    order.push(e.clone());
                    vec![0; np]
                });
                c[p] += u64::from(hit);
            }
        }
    }
    if order.is_empty() {
        let get = |_: &str| None;
        order = metrics::events(&get, &classes).into_iter().map(|e| e.0).collect();
    }
    for e in order {
        let ks = counts.get(&e).cloned().unwrap_or_else(|| vec![0; np]);
        let ivs: Vec<Option<Interval>> = (0..np).map(|p| proportion(ks[p], ok[p].len() as u64, m.level)).collect();
        t.push((format!("p.{e}.k"), Col::Int(ks.iter().map(|&k| Some(k as i64)).collect())));
        t.push((format!("p.{e}.estimate"), Col::Real(ivs.iter().map(|i| i.as_ref().map(|i| i.estimate)).collect())));
        t.push((format!("p.{e}.low"), Col::Real(ivs.iter().map(|i| i.as_ref().map(|i| i.low)).collect())));
        t.push((format!("p.{e}.high"), Col::Real(ivs.iter().map(|i| i.as_ref().map(|i| i.high)).collect())));
        t.push((
            format!("p.{e}.method"),
            Col::Text(ivs.iter().map(|i| i.as_ref().map(|i| i.method.name().to_string())).collect()),
        ));
    }
    t
}

/// Per-seed differences of every metric between points that differ in one factor only, against
/// that factor's baseline value (its `baseline`, else its first value in point order). Only with
/// common seeds: then replication r of both points faced the same draws.
fn paired_table(m: &Manifest, rows: &[Row], metric_cols: &[String]) -> Table {
    let cols = ["factor", "value", "baseline", "others", "metric", "n", "estimate", "low", "high", "method", "level"];
    let mut out: Vec<Vec<Option<String>>> = Vec::new();
    let mut reals: Vec<[Option<f64>; 3]> = Vec::new();
    let mut ns = Vec::new();
    if m.seeds == "common" {
        let mut by_point: BTreeMap<usize, BTreeMap<u32, &Row>> = BTreeMap::new();
        for r in rows.iter().filter(|r| r.ok()) {
            by_point.entry(r.point).or_default().insert(r.replication, r);
        }
        for (f, factor) in m.factors.iter().enumerate() {
            // Groups of points equal in every other factor.
            let mut groups: BTreeMap<String, Vec<usize>> = BTreeMap::new();
            for (p, vals) in m.points.iter().enumerate() {
                let others: Vec<String> = m
                    .factors
                    .iter()
                    .enumerate()
                    .filter(|(g, _)| *g != f)
                    .map(|(g, x)| format!("{}={}", x.path, cell(&vals[g])))
                    .collect();
                groups.entry(others.join("; ")).or_default().push(p);
            }
            let baseline = factor.baseline.clone().or_else(|| m.points.first().map(|v| v[f].clone()));
            let Some(baseline) = baseline else { continue };
            for (others, pts) in &groups {
                let Some(&b) = pts.iter().find(|&&p| m.points[p][f] == baseline) else { continue };
                for &p in pts.iter().filter(|&&p| p != b) {
                    let (Some(rp), Some(rb)) = (by_point.get(&p), by_point.get(&b)) else { continue };
                    for name in metric_cols {
                        let (mut a, mut z) = (Vec::new(), Vec::new());
                        for (rep, row) in rp {
                            let Some(brow) = rb.get(rep) else { continue };
                            if let (Some(x), Some(y)) = (value(row, name), value(brow, name)) {
                                a.push(x.as_f64());
                                z.push(y.as_f64());
                            }
                        }
                        let iv = paired_difference(&a, &z, m.level);
                        let est = iv.as_ref().map(|i| i.estimate).or_else(|| {
                            (!a.is_empty()).then(|| a.iter().zip(&z).map(|(x, y)| x - y).sum::<f64>() / a.len() as f64)
                        });
                        out.push(vec![
                            Some(factor.path.clone()),
                            Some(cell(&m.points[p][f])),
                            Some(cell(&baseline)),
                            Some(others.clone()),
                            Some(name.clone()),
                            Some("paired_t".to_string()),
                        ]);
                        ns.push(Some(a.len() as i64));
                        reals.push([est, iv.as_ref().map(|i| i.low), iv.as_ref().map(|i| i.high)]);
                    }
                }
            }
        }
    }
    let text = |k: usize| Col::Text(out.iter().map(|r| r[k].clone()).collect());
    vec![
        (cols[0].into(), text(0)),
        (cols[1].into(), text(1)),
        (cols[2].into(), text(2)),
        (cols[3].into(), text(3)),
        (cols[4].into(), text(4)),
        (cols[5].into(), Col::Int(ns)),
        (cols[6].into(), Col::Real(reals.iter().map(|r| r[0]).collect())),
        (cols[7].into(), Col::Real(reals.iter().map(|r| r[1]).collect())),
        (cols[8].into(), Col::Real(reals.iter().map(|r| r[2]).collect())),
        (cols[9].into(), text(5)),
        (cols[10].into(), Col::Real(vec![Some(m.level); out.len()])),
    ]
}

pub(crate) fn fmt_real(x: f64) -> String {
    num(x)
}
