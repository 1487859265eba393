//! `bulwark compare`: the same raid against each of several catalog systems, each placed where
//! the scenario's defence stands, over several seeds; one table with a column per system, then
//! the paired per-seed differences against the first system. A thin face over the campaign
//! layer: a factorial over `defence.*.system` with the seeds as replications (common random
//! numbers). Output is a pure function of (scenario, systems, seeds), whatever `--jobs`.
use crate::{InputError, input};
use bulwark_campaign::Campaign;
use bulwark_engine::{Summary, reference_scenario, write_atomic};
use bulwark_scenario::Scenario;
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct CompareArgs {
    /// Scenario file (TOML); the embedded reference scenario if none is given.
    scenario: Option<PathBuf>,
    /// Catalog systems to compare, comma-separated (default: every system in the catalog).
    #[arg(long, value_delimiter = ',', value_name = "ID,ID,…")]
    systems: Vec<String>,
    /// Runs per system, with seeds seed-base, seed-base + 1, …
    #[arg(long, default_value_t = 5)]
    seeds: u32,
    /// First seed.
    #[arg(long, default_value_t = 1)]
    seed_base: u64,
    /// Also write every run's summary and the aggregates as JSON to FILE.
    #[arg(long, value_name = "FILE")]
    json: Option<PathBuf>,
    /// Runs at once (default: the machine's cores); the output does not depend on it.
    #[arg(long)]
    jobs: Option<usize>,
    #[command(flatten)]
    budget: crate::budget_cmd::BudgetArgs,
}

fn bad(msg: impl std::fmt::Display) -> anyhow::Error {
    anyhow::Error::new(InputError(format!("error: {msg}")))
}

/// A refusal naming the scenario file, as `run` and `validate` refuse.
fn bad_at(scenario: &Scenario, msg: impl std::fmt::Display) -> anyhow::Error {
    anyhow::Error::new(InputError(format!("{}: error: {msg}", scenario.path.display())))
}

pub fn run(args: CompareArgs) -> anyhow::Result<()> {
    let scenario = match &args.scenario {
        Some(p) => Scenario::load(p, None).map_err(input)?,
        None => reference_scenario().map_err(input)?,
    };
    if scenario.defences.is_empty() {
        return Err(bad(format!("scenario \"{}\" has no defence unit to substitute", scenario.name)));
    }
    if args.seeds == 0 {
        return Err(bad("--seeds must be at least 1"));
    }
    if args.seed_base.checked_add(u64::from(args.seeds) - 1).is_none() {
        return Err(bad("--seed-base + --seeds overflows a 64-bit seed"));
    }
    let systems: Vec<String> = if args.systems.is_empty() {
        scenario.catalog.systems.keys().cloned().collect()
    } else {
        args.systems.iter().map(|s| s.trim().to_string()).collect()
    };
    let mut seen = BTreeSet::new();
    for s in &systems {
        if !seen.insert(s.as_str()) {
            return Err(bad(format!("system `{s}` is listed twice in --systems")));
        }
    }
    let campaign = Campaign::system_comparison(&scenario, &systems, args.seeds, args.seed_base).map_err(bad)?;
    let jobs = args.jobs.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get())).max(1);
    // Before anything per run is allocated: the seeds alone of 2³² − 1 runs are 34 GB.
    args.budget
        .check_estimate(campaign.budget(campaign.total_runs(), jobs, false))
        .map_err(|m| bad_at(&scenario, m))?;
    let seeds: Vec<u64> = (0..args.seeds).map(|r| campaign.run_seed(0, r)).collect();
    let summaries = run_all(&campaign, jobs)?;

    let columns: Vec<Column> = systems
        .iter()
        .zip(&summaries)
        .map(|(id, runs)| Column::new(id, &scenario.catalog.systems[id].name, runs))
        .collect();
    print!("{}", table(&scenario, &seeds, &columns));
    print!("{}", paired(&systems, &summaries));
    if let Some(path) = &args.json {
        let doc = json_doc(&scenario, &seeds, &columns, &summaries);
        let text = serde_json::to_string_pretty(&doc)? + "\n";
        write_atomic(path, |w| w.write_all(text.as_bytes()))
            .map_err(|e| bad(format!("cannot write {}: {e}", path.display())))?;
    }
    Ok(())
}

/// Every (system, seed) run through the campaign layer (factor `defence.*.system`, the seeds as
/// replications with common random numbers), indexed [system][seed].
fn run_all(campaign: &Campaign, jobs: usize) -> anyhow::Result<Vec<Vec<Summary>>> {
    let runs = bulwark_campaign::run::run_summaries(campaign, jobs).map_err(|e| bad(e.to_string()))?;
    runs.into_iter().map(|point| point.into_iter().map(|r| r.map_err(bad)).collect()).collect()
}

/// Mean, least and greatest of one number over the seeds.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Stat {
    mean: f64,
    min: u32,
    max: u32,
}

impl Stat {
    fn of(values: impl IntoIterator<Item = u32>) -> Stat {
        let (mut sum, mut n, mut min, mut max) = (0u64, 0u32, u32::MAX, 0u32);
        for v in values {
            sum += u64::from(v);
            n += 1;
            min = min.min(v);
            max = max.max(v);
        }
        if n == 0 {
            return Stat { mean: 0.0, min: 0, max: 0 };
        }
        Stat { mean: sum as f64 / f64::from(n), min, max }
    }

    /// `7` when every seed gave 7, else `6.4 (5-8)`.
    fn cell(&self) -> String {
        if self.min == self.max {
            self.min.to_string()
        } else {
            format!("{:.1} ({}-{})", self.mean, self.min, self.max)
        }
    }

    fn json(&self) -> Value {
        json!({ "mean": self.mean, "min": self.min, "max": self.max })
    }
}

const MEASURES: [&str; 5] = ["detected", "tracked", "engaged", "killed", "leaked"];

/// One system's numbers over the seeds.
struct Column {
    id: String,
    name: String,
    /// Threat class → (count, [detected, tracked, engaged, killed, leaked]).
    classes: BTreeMap<String, (u32, [Stat; 5])>,
    /// Interceptor type → (fired, loaded).
    interceptors: BTreeMap<String, (Stat, Stat)>,
    /// Named totals, in display order.
    totals: Vec<(&'static str, Stat)>,
}

impl Column {
    fn new(id: &str, name: &str, runs: &[Summary]) -> Column {
        let mut class_ids = BTreeSet::new();
        let mut types = BTreeSet::new();
        for s in runs {
            class_ids.extend(s.threats.iter().map(|t| t.class.as_str().to_string()));
            types.extend(s.interceptors_loaded.keys().chain(s.interceptors_fired.keys()).cloned());
        }
        let mut classes = BTreeMap::new();
        for c in class_ids {
            let rows: Vec<_> = runs.iter().map(|s| s.threats.iter().find(|t| t.class.as_str() == c)).collect();
            let count = rows.iter().flatten().map(|t| t.count).max().unwrap_or(0);
            let pick = |f: fn(&bulwark_engine::ThreatSummary) -> u32| Stat::of(rows.iter().map(|r| r.map_or(0, f)));
            let stats = [
                pick(|t| t.detected),
                pick(|t| t.tracked),
                pick(|t| t.engaged),
                pick(|t| t.killed),
                pick(|t| t.leaked),
            ];
            classes.insert(c, (count, stats));
        }
        let interceptors = types
            .into_iter()
            .map(|t| {
                let fired = Stat::of(runs.iter().map(|s| s.interceptors_fired.get(&t).copied().unwrap_or(0)));
                let loaded = Stat::of(runs.iter().map(|s| s.interceptors_loaded.get(&t).copied().unwrap_or(0)));
                (t, (fired, loaded))
            })
            .collect();
        let sum = |f: fn(&bulwark_engine::ThreatSummary) -> u32| {
            Stat::of(runs.iter().map(|s| s.threats.iter().map(f).sum::<u32>()))
        };
        let totals = vec![
            ("threats killed", sum(|t| t.killed)),
            ("leakers", sum(|t| t.leaked)),
            ("interceptors fired", Stat::of(runs.iter().map(|s| s.interceptors_fired.values().sum::<u32>()))),
            ("confirmed tracks", Stat::of(runs.iter().map(|s| s.confirmed_tracks))),
            ("false tracks", Stat::of(runs.iter().map(|s| s.false_tracks))),
            ("civil engaged", Stat::of(runs.iter().map(|s| s.civil_engaged))),
            ("friendly engaged", Stat::of(runs.iter().map(|s| s.friendly_engaged))),
        ];
        Column { id: id.to_string(), name: name.to_string(), classes, interceptors, totals }
    }
}

/// The side-by-side table: one row per measure, one column per system.
fn table(scenario: &Scenario, seeds: &[u64], columns: &[Column]) -> String {
    let units: Vec<&str> = scenario.defences.iter().map(|d| d.name.as_str()).collect();
    let seeds_text = match seeds {
        [one] => format!("seed {one}"),
        [first, .., last] => format!("{} seeds ({first}..={last})", seeds.len()),
        [] => "no seeds".to_string(),
    };
    let mut rows: Vec<(String, Vec<String>)> = Vec::new();
    rows.push(("system".into(), columns.iter().map(|c| c.id.clone()).collect()));
    let all_classes: BTreeSet<&String> = columns.iter().flat_map(|c| c.classes.keys()).collect();
    for class in all_classes {
        let count = columns.iter().filter_map(|c| c.classes.get(class)).map(|x| x.0).max().unwrap_or(0);
        rows.push((format!("{class} ({count})"), vec![String::new(); columns.len()]));
        for (m, name) in MEASURES.iter().enumerate() {
            let cells = columns.iter().map(|c| c.classes.get(class).map_or("-".into(), |x| x.1[m].cell())).collect();
            rows.push((format!("  {name}"), cells));
        }
    }
    let all_types: BTreeSet<&String> = columns.iter().flat_map(|c| c.interceptors.keys()).collect();
    rows.push(("interceptors fired / loaded".into(), vec![String::new(); columns.len()]));
    for t in all_types {
        let cells = columns
            .iter()
            .map(|c| c.interceptors.get(t).map_or("-".into(), |(f, l)| format!("{} / {}", f.cell(), l.cell())))
            .collect();
        rows.push((format!("  {t}"), cells));
    }
    if let Some(first) = columns.first() {
        for (i, (name, _)) in first.totals.iter().enumerate() {
            rows.push(((*name).to_string(), columns.iter().map(|c| c.totals[i].1.cell()).collect()));
        }
    }
    let label_w = rows.iter().map(|r| r.0.chars().count()).max().unwrap_or(0);
    let widths: Vec<usize> =
        (0..columns.len()).map(|i| rows.iter().map(|r| r.1[i].chars().count()).max().unwrap_or(0)).collect();
    let mut s = String::new();
    let _ = writeln!(s, "{} — {} as each system; {seeds_text}", scenario.name, units.join(", "));
    let _ = writeln!(s, "cells: value, or mean (min-max) over the seeds");
    for (i, (label, cells)) in rows.iter().enumerate() {
        let mut line = format!("{label:<label_w$}");
        for (c, w) in cells.iter().zip(&widths) {
            let _ = write!(line, "   {c:>w$}");
        }
        let _ = writeln!(s, "{}", line.trim_end());
        if i == 0 {
            let total = label_w + widths.iter().map(|w| w + 3).sum::<usize>();
            let _ = writeln!(s, "{}", "-".repeat(total));
        }
    }
    for c in columns {
        let _ = writeln!(s, "{:<10} {}", c.id, c.name);
    }
    s
}

/// A named total of one run.
type Total = (&'static str, fn(&Summary) -> f64);

/// Per-seed differences of the totals against the first system: the runs share seeds (common
/// random numbers), so the paired t interval is much tighter than two separate ones.
fn paired(systems: &[String], summaries: &[Vec<Summary>]) -> String {
    let mut s = String::new();
    let (Some(base), Some(base_runs)) = (systems.first(), summaries.first()) else { return s };
    if systems.len() < 2 {
        return s;
    }
    let totals: [Total; 3] = [
        ("leakers", |x| f64::from(x.leakers)),
        ("threats killed", |x| x.threats.iter().map(|t| f64::from(t.killed)).sum()),
        ("interceptors fired", |x| x.interceptors_fired.values().map(|&v| f64::from(v)).sum()),
    ];
    let _ = writeln!(s, "paired differences against {base} (same seeds): mean [95 % paired t interval]");
    let label_w = totals.iter().map(|t| t.0.len()).max().unwrap_or(0) + 2;
    for (name, f) in totals {
        let mut line = format!("{:<label_w$}", format!("  {name}"));
        for (id, runs) in systems.iter().zip(summaries).skip(1) {
            let a: Vec<f64> = runs.iter().map(f).collect();
            let b: Vec<f64> = base_runs.iter().map(f).collect();
            let cell = match bulwark_stats::paired_difference(&a, &b, 0.95) {
                Some(i) => format!("{:+.1} [{:+.1}, {:+.1}]", i.estimate, i.low, i.high),
                None => {
                    let d = a.iter().zip(&b).map(|(x, y)| x - y).sum::<f64>() / a.len().max(1) as f64;
                    format!("{d:+.1}")
                }
            };
            let _ = write!(line, "   {id}: {cell}");
        }
        let _ = writeln!(s, "{}", line.trim_end());
    }
    s
}

fn json_doc(scenario: &Scenario, seeds: &[u64], columns: &[Column], summaries: &[Vec<Summary>]) -> Value {
    let systems: Vec<Value> = columns
        .iter()
        .zip(summaries)
        .map(|(c, runs)| {
            let classes: serde_json::Map<String, Value> = c
                .classes
                .iter()
                .map(|(k, (count, stats))| {
                    let mut m = serde_json::Map::new();
                    m.insert("count".into(), json!(count));
                    for (name, st) in MEASURES.iter().zip(stats) {
                        m.insert((*name).into(), st.json());
                    }
                    (k.clone(), Value::Object(m))
                })
                .collect();
            let interceptors: serde_json::Map<String, Value> = c
                .interceptors
                .iter()
                .map(|(k, (f, l))| (k.clone(), json!({ "fired": f.json(), "loaded": l.json() })))
                .collect();
            let totals: serde_json::Map<String, Value> =
                c.totals.iter().map(|(k, st)| (k.replace(' ', "_"), st.json())).collect();
            json!({
                "system": c.id,
                "name": c.name,
                "threats": classes,
                "interceptors": interceptors,
                "totals": totals,
                "runs": runs,
            })
        })
        .collect();
    json!({ "scenario": scenario.name, "seeds": seeds, "systems": systems })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stat_is_mean_min_max_and_a_constant_prints_as_one_number() {
        let s = Stat::of([5, 8, 6]);
        assert_eq!((s.min, s.max), (5, 8));
        assert!((s.mean - 19.0 / 3.0).abs() < 1e-12);
        assert_eq!(s.cell(), "6.3 (5-8)");
        assert_eq!(Stat::of([4, 4]).cell(), "4");
    }
}
