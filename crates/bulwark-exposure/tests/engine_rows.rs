//! `exposure.csv` as the engine writes it: its looks and detections agree with the plots of
//! `events.jsonl`, and the RCS interval the analysis forms from it covers the catalog value at
//! its nominal rate over many seeds.
use bulwark_core::EventKind;
use bulwark_engine::{RunResult, SimOptions, Simulation, reference_scenario};
use bulwark_exposure::record::read_exposure;
use bulwark_exposure::summary::Settings;
use bulwark_exposure::{Filter, summarise};
use bulwark_scenario::{Catalog, Scenario};
use std::collections::BTreeMap;

fn run(scenario: &Scenario, seed: u64, options: SimOptions) -> RunResult {
    let mut sim = Simulation::with_options(scenario, seed, options).expect("test scenario sets up");
    sim.run();
    sim.finish()
}

/// Every detection event with a truth object is one detected exposure row (same time, radar and
/// object) and the other way round; a row is detected exactly when its measured power crossed
/// the threshold; campaigns (`summary_only`) write the header only.
#[test]
fn exposure_rows_agree_with_the_plots_of_the_event_log() {
    let scenario = reference_scenario().unwrap();
    let r = run(&scenario, 3, SimOptions::default());
    let rows = read_exposure(r.exposure_csv.as_bytes(), "exposure.csv").unwrap();
    let mut from_events: BTreeMap<(i64, u32, u32), u32> = BTreeMap::new();
    for e in &r.events {
        if let EventKind::Detection { sensor, truth: Some(t), .. } = &e.kind {
            *from_events.entry((e.t_ns / 1_000_000, sensor.0, t.0)).or_insert(0) += 1;
        }
    }
    let mut from_rows: BTreeMap<(i64, u32, u32), u32> = BTreeMap::new();
    for row in &rows {
        assert_eq!(row.power > row.threshold, row.detected, "{row:?}");
        if row.detected {
            *from_rows.entry(((row.t_s * 1000.0).round() as i64, row.radar, row.entity)).or_insert(0) += 1;
        }
    }
    assert!(from_rows.len() > 1000, "{} detections", from_rows.len());
    assert_eq!(from_rows, from_events);
    assert!(rows.iter().any(|r| !r.detected), "missed looks are rows too");
    // Looks that made a plot that went to a track carry it; missed looks never do.
    assert!(rows.iter().filter(|r| r.detected).filter(|r| r.track.is_some()).count() * 10 > from_rows.len() * 9);
    assert!(rows.iter().all(|r| r.detected || r.track.is_none()));
    let campaign = run(&scenario, 3, SimOptions::summary_only());
    assert_eq!(campaign.exposure_csv.lines().count(), 1, "header only");
}

/// `count` fighters flying straight at the battalion from 130 km to 60 km at 1 km altitude, 20 m
/// apart abreast (each is its own target: looks are per object): the radars see them nose-on (the catalog's X/S-band nose value, constant over the
/// pass to well under 1 %), Swerling 1, one look sample each.
fn inbound(count: u32) -> String {
    format!(
        r#"[scenario]
name = "exposure coverage"
epoch = "2026-06-01T04:00:00Z"
origin = {{ lat = 40.0, lon = -40.0, alt = "0 m" }}
duration = "6 min"
time_step = "0.1 s"
seed = 1

[[defence]]
name = "Bn"
system = "s400"
site = {{ lat = 40.0, lon = -40.0, alt = "10 m" }}
facing = "270 deg"
  [[defence.radar]]
  type = "91N6E"
  [[defence.radar]]
  type = "92N6E"
  offset = {{ north = "600 m" }}

[[threat]]
name = "F"
type = "fighter-4gen"
count = {count}
start = "0 s"
spacing = "0 s"
lateral_spacing = "20 m"
route = [
  {{ lat = 40.0, lon = -41.53, alt = "1 km", speed = "900 km/h" }},
  {{ lat = 40.0, lon = -40.70, alt = "1 km" }},
]
"#
    )
}

/// Oracle: the exact χ² pivot (module doc of `rcs_estimate`) gives intervals that cover the true
/// mean RCS with probability equal to their level. Over 30 seeds × 8 fighters × 2 radars, the
/// share of 90 % intervals that contain the catalog value (the mean of the looks' true RCS,
/// which must be constant to 1 %) must be inside the 99 % Wilson interval (`bulwark_stats`,
/// checked against statsmodels there) of the observed coverage — i.e. coverage 0.90 is not
/// rejected at the 1 % level.
#[test]
fn rcs_intervals_cover_the_catalog_value_at_their_level() {
    let cat = Catalog::embedded().unwrap();
    let scenario = Scenario::from_str(&inbound(8), "coverage.toml", &cat).unwrap();
    let settings = Settings { level: 0.9, ..Settings::default() };
    let (mut covered, mut n) = (0u64, 0u64);
    for seed in 1..=30 {
        let r = run(&scenario, seed, SimOptions::default());
        let rows = read_exposure(r.exposure_csv.as_bytes(), "exposure.csv").unwrap();
        for p in summarise(&rows, &Filter::All, &settings).unwrap() {
            let Some(e) = p.rcs else { continue };
            if e.n < 3 {
                continue;
            }
            let pair: Vec<_> =
                rows.iter().filter(|r| r.radar == p.radar && r.entity == p.entity && r.detected).collect();
            let lo = pair.iter().map(|r| r.rcs_m2).fold(f64::INFINITY, f64::min);
            let hi = pair.iter().map(|r| r.rcs_m2).fold(0.0, f64::max);
            assert!(hi / lo < 1.01, "the true RCS must be constant over the pass: {lo} … {hi}");
            let truth = p.rcs_truth_m2.unwrap();
            n += 1;
            if e.lo_m2 <= truth && truth <= e.hi_m2 {
                covered += 1;
            }
        }
    }
    assert!(n >= 300, "{n} intervals");
    let w = bulwark_stats::wilson(covered, n, 0.99).unwrap();
    println!("coverage {covered}/{n} = {:.3}, 99 % Wilson [{:.3}, {:.3}]", covered as f64 / n as f64, w.low, w.high);
    assert!(w.contains(0.9), "coverage {covered}/{n}: 99 % Wilson [{}, {}] excludes 0.90", w.low, w.high);
}
