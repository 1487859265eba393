//! Small, fast scenarios for the operations tests: one S-400 battalion at (40° N, 40° W)
//! facing west, an airbase 4 km east of it, and raids from the west.
#![allow(dead_code)]
use bulwark_core::{Event, EventKind, LauncherId};
use bulwark_engine::{RunResult, Simulation};
use bulwark_scenario::{Catalog, Scenario};
use std::path::{Path, PathBuf};

pub fn run(scenario: &Scenario, seed: u64) -> RunResult {
    let mut sim = Simulation::new(scenario, seed).expect("test scenario sets up");
    sim.run();
    sim.finish()
}

/// Scenario header with `duration`.
pub fn header(duration: &str) -> String {
    format!(
        r#"[scenario]
name = "ops test"
epoch = "2026-06-01T04:00:00Z"
origin = {{ lat = 40.0, lon = -40.0, alt = "0 m" }}
duration = "{duration}"
time_step = "0.1 s"
seed = 1

[[asset]]
name = "Airbase"
position = {{ lat = 40.0, lon = -39.953, alt = "0 m" }}
radius = "2 km"
"#
    )
}

/// The battalion: acquisition and fire-control radars, then `extra` (launchers and reload
/// vehicles, as TOML lines).
pub fn defence(extra: &str) -> String {
    defence_with("", extra)
}

/// The battalion with unit-level `keys` (such as `arrives`) before its radars.
pub fn defence_with(keys: &str, extra: &str) -> String {
    defence_facing("270 deg", keys, extra)
}

/// The battalion facing `facing` (the fire-control radar's sector centre).
pub fn defence_facing(facing: &str, keys: &str, extra: &str) -> String {
    format!(
        r#"
[[defence]]
name = "Bn"
system = "s400"
site = {{ lat = 40.0, lon = -40.0, alt = "10 m" }}
facing = "{facing}"
{keys}  [[defence.radar]]
  type = "91N6E"
  [[defence.radar]]
  type = "92N6E"
  offset = {{ north = "600 m" }}
{extra}"#
    )
}

/// A launcher of `type_id` with `missiles` (TOML inline table body) and extra lines.
pub fn launcher(type_id: &str, missiles: &str, extra: &str) -> String {
    format!("  [[defence.launcher]]\n  type = \"{type_id}\"\n  missiles = {{ {missiles} }}\n{extra}")
}

/// `count` subsonic cruise missiles from 80 km west at 100 m, spaced `spacing`, at the airbase.
pub fn cruise_raid(count: u32, start: &str, spacing: &str) -> String {
    format!(
        r#"
[[threat]]
name = "CM raid"
type = "cruise-missile-subsonic"
count = {count}
start = "{start}"
spacing = "{spacing}"
lateral_spacing = "500 m"
route = [
  {{ lat = 40.0, lon = -40.94, alt = "100 m", speed = "Mach 0.75" }},
  {{ lat = 40.0, lon = -40.3, alt = "100 m" }},
  {{ lat = 40.0, lon = -39.953, alt = "100 m" }},
]
"#
    )
}

/// The repository catalog with `edit` applied to each file's text.
pub fn catalog_with(edit: impl Fn(&str) -> String) -> Catalog {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../catalog");
    let mut names: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("catalog directory")
        .map(|e| e.expect("catalog entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    names.sort();
    let files: Vec<(PathBuf, String)> =
        names.into_iter().map(|p| (p.clone(), edit(&std::fs::read_to_string(&p).expect("catalog file")))).collect();
    Catalog::from_texts(&files).expect("edited catalog is valid")
}

/// Launch times (s) of `launcher`, from the event log.
pub fn launches_of(events: &[Event], launcher: LauncherId) -> Vec<f64> {
    events
        .iter()
        .filter(|e| matches!(&e.kind, EventKind::InterceptorLaunched { launcher: l, .. } if *l == launcher))
        .map(|e| e.t_ns as f64 * 1e-9)
        .collect()
}

/// Entity ids whose role is civil in a run's truth.csv (columns t_s, entity, name, class, role, ...).
pub fn civil_ids(truth_csv: &str) -> std::collections::BTreeSet<u32> {
    truth_csv
        .lines()
        .skip(1)
        .filter_map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            (f.get(4) == Some(&"civil")).then(|| f[1].parse().ok()).flatten()
        })
        .collect()
}
