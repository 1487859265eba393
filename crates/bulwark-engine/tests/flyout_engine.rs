//! The engine's interceptor fly-out (3-DOF airframe, mid-course command guidance on the
//! engagement radar's track, seeker hand-over, terminal PN / augmented PN, kill function),
//! run end to end through the whole pipeline (sensors → tracker → command post → launcher).
use bulwark_core::{EntityId, Event, EventKind, InterceptOutcome};
use bulwark_engine::{RunResult, Simulation};
use bulwark_scenario::{Catalog, Scenario};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn run(scenario: &Scenario, seed: u64) -> RunResult {
    let mut sim = Simulation::new(scenario, seed).expect("test scenario sets up");
    sim.run();
    sim.finish()
}

/// One unit of `system` at the origin facing west, one launcher of `launcher` type loaded with
/// `count` × `missile`, weapons free, and `threats` (TOML) appended.
#[allow(clippy::too_many_arguments)]
fn scenario(
    cat: &Catalog,
    system: &str,
    radars: &[&str],
    launcher: &str,
    missile: &str,
    count: u32,
    minutes: u32,
    threats: &str,
) -> Scenario {
    let mut s = format!(
        r#"[scenario]
name = "flyout {missile}"
epoch = "2026-06-01T04:00:00Z"
origin = {{ lat = 40.0, lon = -40.0, alt = "0 m" }}
duration = "{minutes} min"
time_step = "0.1 s"
seed = 3

[[roe]]
from = "0 s"
state = "weapons_free"

[[defence]]
name = "Bn"
system = "{system}"
site = {{ lat = 40.0, lon = -40.0, alt = "10 m" }}
facing = "270 deg"
"#
    );
    for (i, r) in radars.iter().enumerate() {
        s += &format!("  [[defence.radar]]\n  type = \"{r}\"\n  offset = {{ east = \"{}00 m\" }}\n", i * 6);
    }
    s += &format!(
        "  [[defence.launcher]]\n  type = \"{launcher}\"\n  offset = {{ north = \"1 km\" }}\n  missiles = {{ \"{missile}\" = {count} }}\n"
    );
    s += threats;
    Scenario::from_str(&s, "flyout.toml", cat).expect("test scenario is valid")
}

/// A bomber at `alt_km`, starting `start_km` west of the unit and flying straight east over it
/// at 250 m/s (non-manoeuvring).
fn inbound_bomber(start_km: f64, alt_km: f64) -> String {
    let lon0 = -40.0 - start_km / (111.32 * 40f64.to_radians().cos());
    format!(
        r#"
[[threat]]
name = "Bomber"
type = "bomber"
count = 1
route = [
  {{ lat = 40.0, lon = {lon0:.4}, alt = "{alt_km} km", speed = "250 m/s" }},
  {{ lat = 40.0, lon = -38.0, alt = "{alt_km} km" }},
]
"#
    )
}

struct Flight {
    launched: f64,
    acquired: Option<(f64, f64)>,
    ended: Option<(f64, InterceptOutcome, Option<f64>)>,
}

/// Every interceptor's launch, seeker acquisition and end, from the event log.
fn flights(events: &[Event]) -> BTreeMap<EntityId, Flight> {
    let mut out = BTreeMap::new();
    for e in events {
        match &e.kind {
            EventKind::InterceptorLaunched { interceptor, .. } => {
                out.insert(*interceptor, Flight { launched: e.t_ns as f64 * 1e-9, acquired: None, ended: None });
            }
            EventKind::SeekerAcquired { interceptor, range_m, .. } => {
                if let Some(f) = out.get_mut(interceptor) {
                    f.acquired.get_or_insert((e.t_ns as f64 * 1e-9, *range_m));
                }
            }
            EventKind::InterceptorEnded { interceptor, outcome, miss_distance_m, .. } => {
                if let Some(f) = out.get_mut(interceptor) {
                    f.ended = Some((e.t_ns as f64 * 1e-9, *outcome, *miss_distance_m));
                }
            }
            _ => {}
        }
    }
    out
}

/// (system, radars, launcher, missile) for every catalog interceptor.
const TYPES: [(&str, &[&str], &str, &str); 6] = [
    ("s400", &["91N6E", "92N6E"], "5P85SE2", "40N6E"),
    ("s400", &["91N6E", "92N6E"], "5P85SE2", "48N6E3"),
    ("s400", &["91N6E", "92N6E"], "5P85TE2", "9M96E2"),
    ("s300pmu2", &["64N6E2", "30N6E2"], "5P85SE2", "48N6E2"),
    ("patriot", &["MPQ-65"], "M903", "PAC-2-GEM-T"),
    ("patriot", &["MPQ-65"], "M903", "PAC-3-MSE"),
];

#[test]
fn every_catalog_interceptor_kills_a_non_manoeuvring_bomber_inside_its_envelope() {
    // A bomber at 9 km, 250 m/s, from 150 km straight at the unit: inside every type's envelope
    // (the command post fires when the planned intercept point enters it). The first interceptor
    // must end in a kill or a miss inside the catalog lethal radius (a failed kill draw), after a
    // seeker hand-over near the catalog acquisition range, and the run must be deterministic.
    let cat = Catalog::embedded().unwrap();
    for (system, radars, launcher, missile) in TYPES {
        let lethal = cat.interceptor(missile).unwrap().lethal_radius_m.value;
        let acq = cat.interceptor(missile).unwrap().seeker_acquisition_range_m.as_ref().unwrap().value;
        let s = scenario(&cat, system, radars, launcher, missile, 2, 11, &inbound_bomber(150.0, 9.0));
        let r = run(&s, 5);
        let fl = flights(&r.events);
        let first = fl.values().next().unwrap_or_else(|| panic!("{missile}: nothing fired"));
        let (t_end, outcome, miss) = first.ended.unwrap_or_else(|| panic!("{missile}: never ended"));
        let (t_acq, r_acq) = first.acquired.unwrap_or_else(|| panic!("{missile}: no seeker hand-over"));
        println!(
            "{missile:12} launched {:6.1} s, seeker at {:6.1} s / {:6.0} m (catalog {acq} m), end {:6.1} s {outcome:?} miss {miss:?} (lethal {lethal} m)",
            first.launched, t_acq, r_acq, t_end
        );
        let miss = miss.unwrap_or(f64::INFINITY);
        assert!(
            outcome == InterceptOutcome::Kill || (outcome == InterceptOutcome::Miss && miss <= lethal),
            "{missile}: {outcome:?}, miss {miss} m"
        );
        assert!(miss <= lethal.max(3.0), "{missile}: miss {miss} m against lethal radius {lethal} m");
        // Hand-over within one step's closing (≤ 400 m at these speeds) inside the acquisition
        // range, or at once if the shot starts inside it.
        let at_launch = t_acq - first.launched <= 0.5;
        assert!(
            r_acq <= acq && (r_acq > acq - 400.0 || at_launch),
            "{missile}: acquired at {r_acq} m, catalog {acq} m"
        );
        assert_eq!(r.events_jsonl(), run(&s, 5).events_jsonl(), "{missile}: same seed, same events");
    }
}

/// The repository catalog's files, with `edit` applied to each text.
fn catalog_files(edit: impl Fn(&str) -> String) -> Vec<(PathBuf, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../catalog");
    let mut names: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("catalog directory")
        .map(|e| e.expect("catalog entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    names.sort();
    names.into_iter().map(|p| (p.clone(), edit(&std::fs::read_to_string(&p).expect("catalog file")))).collect()
}

#[test]
fn an_interceptor_chasing_a_target_that_runs_away_never_catches_it_and_is_gone_by_max_flight_time() {
    // A fighter comes in at 3 km and 690 m/s (Mach 2) until 50 km from the unit, then turns round
    // and runs west. The 9M96E2's flight time is cut to 40 s in the catalog: it is fired on the
    // inbound leg at a planned intercept inside 40 s, but the fighter turns away before it arrives
    // and the tail chase needs more, so it must destroy itself when its flight time runs out.
    let files =
        catalog_files(|t| t.replace(r#"max_flight_time = { value = "160 s""#, r#"max_flight_time = { value = "40 s""#));
    let cat = Catalog::from_texts(&files).expect("edited catalog is valid");
    let tmax = cat.interceptor("9M96E2").unwrap().max_flight_time_s.value;
    assert_eq!(tmax, 40.0, "the edit took");
    let lon = |km: f64| -40.0 - km / (111.32 * 40f64.to_radians().cos());
    let threat = format!(
        r#"
[[threat]]
name = "Runner"
type = "fighter-4gen"
count = 1
route = [
  {{ lat = 40.0, lon = {:.4}, alt = "3 km", speed = "690 m/s" }},
  {{ lat = 40.0, lon = {:.4}, alt = "3 km", speed = "690 m/s" }},
  {{ lat = 40.05, lon = {:.4}, alt = "3 km" }},
  {{ lat = 40.1, lon = {:.4}, alt = "3 km" }},
]
"#,
        lon(100.0),
        lon(50.0),
        lon(52.0),
        lon(600.0)
    );
    let s = scenario(&cat, "s400", &["91N6E", "92N6E"], "5P85TE2", "9M96E2", 1, 12, &threat);
    let r = run(&s, 2);
    let fl = flights(&r.events);
    assert!(!fl.is_empty(), "the command post must fire");
    for (id, f) in &fl {
        let (t_end, outcome, miss) = f.ended.unwrap_or_else(|| panic!("{id:?} never ended"));
        let flown = t_end - f.launched;
        println!(
            "{id:?}: launched {:.1} s, {outcome:?} (miss {miss:?}) after {flown:.1} s (max flight time {tmax} s)",
            f.launched
        );
        // Either it flies out its time and destroys itself, or — when the engagement radar's track
        // of the runner goes stale — it passes the track's extrapolation late in the chase and is
        // declared a miss without ever having come within fuze range of anything, or — when the
        // fire-control radar stops holding it — is destroyed by command before its time runs out
        // (catalog `guidance_loss_destruct`, tests/guidance_loss.rs).
        match outcome {
            InterceptOutcome::SelfDestruct => {
                assert!((flown - tmax).abs() <= 0.2, "{id:?}: destroyed after {flown} s, max flight time {tmax} s")
            }
            InterceptOutcome::Miss => {
                assert!(miss.is_none(), "{id:?}: came within fuze range ({miss:?})");
                assert!(flown >= 0.9 * tmax && flown <= tmax + 0.2, "{id:?}: gave up after {flown} s");
            }
            InterceptOutcome::GuidanceLost => {
                assert!(miss.is_none(), "{id:?}: came within fuze range ({miss:?})");
                assert!(flown < tmax, "{id:?}: destroyed on guidance loss after {flown} s");
            }
            other => panic!("{id:?}: {other:?}"),
        }
    }
}
