//! Command-post wiring: identification with filed flight plans, threat evaluation by predicted
//! impact point, and the ranked threat list in `threats.csv`, on one small run: two short-range
//! ballistic missiles from the west (one aimed at the airbase, one at open sea 50 km north of
//! the battalion) and an airliner crossing on its filed route.
mod ops_support;
use bulwark_core::{EventKind, Identity};
use bulwark_engine::RunResult;
use bulwark_scenario::{Catalog, Scenario};
use ops_support::*;
use std::collections::BTreeMap;
use std::sync::OnceLock;

const RAID: &str = r#"
[[threat]]
name = "SRBM on target"
type = "srbm"
count = 1
start = "0 s"
launch = { lat = 40.0, lon = -42.9 }
aim = { lat = 40.0, lon = -39.953 }

[[threat]]
name = "SRBM off target"
type = "srbm"
count = 1
start = "20 s"
launch = { lat = 40.3, lon = -42.9 }
aim = { lat = 40.45, lon = -40.0 }

[[civil]]
callsign = "NAT123"
squawk = "4521"
type = "airliner-widebody"
start = "0 s"
route = [
  { lat = 40.5, lon = -40.9, alt = "FL350", speed = "480 kt" },
  { lat = 39.6, lon = -39.3, alt = "FL350" },
]
"#;

fn result() -> &'static RunResult {
    static RUN: OnceLock<RunResult> = OnceLock::new();
    RUN.get_or_init(|| {
        let cat = Catalog::embedded().unwrap();
        let defence =
            defence(&(launcher("5P85SE2", "\"48N6E3\" = 4", "") + &launcher("5P85SE2", "\"48N6E3\" = 4", "")));
        let text = header("5 min") + &defence + RAID;
        let s = Scenario::from_str(&text, "c2_wiring.toml", &cat).unwrap();
        run(&s, 1)
    })
}

#[test]
fn a_ballistic_missile_aimed_off_every_footprint_is_not_engaged() {
    let r = result();
    let by_name: BTreeMap<&str, _> = r.summary.timeline.iter().map(|t| (t.name.as_str(), t)).collect();
    let on = by_name["SRBM on target #1"];
    let off = by_name["SRBM off target #1"];
    assert!(off.first_confirmed_s.is_some(), "the off-target missile must be tracked for the test to mean anything");
    assert!(on.first_engaged_s.is_some(), "the missile aimed at the airbase is engaged: {on:?}");
    assert_eq!(off.first_engaged_s, None, "the missile falling in open sea is not engaged: {off:?}");
    assert_eq!(off.interceptors, 0);
    // The ranked list says why.
    assert!(r.threats_csv.lines().any(|l| l.contains("ballistic missile") && l.contains("outside footprint")));
    assert!(r.threats_csv.lines().any(|l| l.contains("ballistic missile") && l.contains("inside footprint")));
}

#[test]
fn an_airliner_on_its_filed_route_is_neutral_and_never_engaged() {
    let r = result();
    let neutral: Vec<&str> = r
        .events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::TrackIdentified { identity: Identity::Neutral, reason, .. } => Some(reason.as_str()),
            _ => None,
        })
        .collect();
    assert!(
        neutral.iter().any(|s| s.contains("flight plan NAT123") && s.contains("confidence")),
        "identified by its flight plan: {neutral:?}"
    );
    let s = &r.summary;
    assert_eq!(s.civil_fire_orders, 0);
    assert_eq!(s.civil_engaged + s.civil_killed, 0);
}

#[test]
fn threats_csv_ranks_each_cycle_one_to_n_with_reasons() {
    let r = result();
    let mut lines = r.threats_csv.lines();
    assert_eq!(lines.next(), Some("t_s,unit,rank,track,class,identity,confidence,score,asset,time_to_go_s,reasons"));
    let mut cycles: BTreeMap<(String, String), Vec<usize>> = BTreeMap::new();
    for l in lines {
        // Reasons are the last field, quoted when they hold a comma.
        let f: Vec<&str> = l.splitn(11, ',').collect();
        assert_eq!(f.len(), 11, "{l}");
        let reasons = f[10].trim_matches('"');
        assert!(!reasons.is_empty(), "{l}");
        let score: f64 = f[7].parse().unwrap();
        assert!((0.0..=1.0).contains(&score), "{l}");
        cycles.entry((f[0].to_string(), f[1].to_string())).or_default().push(f[2].parse().unwrap());
    }
    assert!(cycles.len() > 3, "several ranked lists were written");
    for (k, ranks) in &cycles {
        assert_eq!(*ranks, (1..=ranks.len()).collect::<Vec<_>>(), "cycle {k:?}");
    }
    // Written at changes and every 10 s, not at every 1 s decision cycle.
    assert!(cycles.len() < 300, "{}", cycles.len());
}
