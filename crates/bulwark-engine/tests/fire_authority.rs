//! Fire authority follows the guidance chain (issue 18 item 4), in whole runs.
//!
//! - With the fire-control radar facing away from the raid, an S-400 and an S-300 launch nothing
//!   their guidance could not support: no track-via-missile or radio-corrected round without the
//!   fire-control radar's track, and an active-seeker 40N6E only on a surveillance track whose
//!   predicted error fits its seeker basket. Facing the raid, the same units fire (the check is
//!   not vacuous). Oracle: the guidance chains of Zarchan, *Tactical and Strategic Missile
//!   Guidance*, 6th ed., ch. 1 (command/TVM need the ground radar to the end) and the catalog's
//!   sourced `launch_track` per type.
//! - A 30 m cruise missile is plotted by the 96L6E and the 92N6E out to near the 4/3-earth horizon,
//!   d = √(2·k·Re·h_radar) + √(2·k·Re·h_target), k = 4/3, Re = 6371 km (Skolnik, *Introduction to
//!   Radar Systems*, 3rd ed., §8.2), now that their elevation limits reach below the horizontal.
use bulwark_core::{EntityId, EventKind};
use bulwark_engine::{RunResult, Simulation};
use bulwark_scenario::{Catalog, Scenario};

fn run(text: &str, seed: u64) -> RunResult {
    let s = Scenario::from_str(text, "authority.toml", &Catalog::embedded().unwrap()).unwrap();
    let mut sim = Simulation::new(&s, seed).unwrap();
    sim.run();
    sim.finish()
}

const HEADER: &str = r#"[scenario]
name = "fire authority"
epoch = "2026-06-01T04:00:00Z"
origin = { lat = 40.0, lon = -40.0, alt = "0 m" }
duration = "DURATION"
time_step = "0.1 s"
seed = 1

[[asset]]
name = "Site"
position = { lat = 40.0, lon = -40.0, alt = "0 m" }
radius = "3 km"
"#;

/// Four fighters from 110 km north at 8 km, flying at the battalion and stopping 6 km short.
const RAID: &str = r#"
[[threat]]
name = "Raid"
type = "fighter-4gen"
count = 4
spacing = "5 s"
lateral_spacing = "2 km"
route = [
  { lat = 41.0, lon = -40.0, alt = "8 km", speed = "Mach 0.9" },
  { lat = 40.055, lon = -40.0, alt = "8 km" },
]
"#;

fn s400(facing: &str) -> String {
    format!(
        r#"
[[defence]]
name = "S-400"
system = "s400"
site = {{ lat = 40.0, lon = -40.0, alt = "0 m" }}
facing = "{facing}"
  [[defence.radar]]
  type = "91N6E"
  [[defence.radar]]
  type = "92N6E"
  offset = {{ east = "600 m" }}
  [[defence.launcher]]
  type = "5P85SE2"
  missiles = {{ "48N6E3" = 2, "40N6E" = 2 }}
  [[defence.launcher]]
  type = "5P85TE2"
  missiles = {{ "9M96E2" = 8 }}
"#
    )
}

fn s300(facing: &str) -> String {
    format!(
        r#"
[[defence]]
name = "S-300"
system = "s300pmu2"
site = {{ lat = 40.0, lon = -40.0, alt = "0 m" }}
facing = "{facing}"
  [[defence.radar]]
  type = "64N6E2"
  [[defence.radar]]
  type = "30N6E2"
  offset = {{ east = "600 m" }}
  [[defence.launcher]]
  type = "5P85SE2"
  missiles = {{ "48N6E2" = 4 }}
"#
    )
}

/// (interceptor type, evidence) of every fire order, and the types launched.
fn fired(r: &RunResult) -> (Vec<(String, String)>, Vec<String>) {
    let mut orders = Vec::new();
    let mut launched = Vec::new();
    for e in &r.events {
        match &e.kind {
            EventKind::FireOrder { interceptor_type, evidence, .. } => {
                orders.push((interceptor_type.clone(), evidence.clone()))
            }
            EventKind::InterceptorLaunched { interceptor_type, .. } => launched.push(interceptor_type.clone()),
            _ => {}
        }
    }
    (orders, launched)
}

/// The predicted error and basket (km) of a surveillance-track order's evidence.
fn basket(evidence: &str) -> Option<(f64, f64)> {
    let rest = evidence.split("predicted error ").nth(1)?;
    let error: f64 = rest.split(" km").next()?.parse().ok()?;
    let radius: f64 = rest.split("seeker basket of ").nth(1)?.split(" km").next()?.parse().ok()?;
    Some((error, radius))
}

#[test]
fn facing_away_an_s400_launches_only_what_its_guidance_supports() {
    let text = |facing: &str| HEADER.replace("DURATION", "7 min") + &s400(facing) + RAID;
    for seed in [1, 2] {
        let away = run(&text("180 deg"), seed);
        let (orders, launched) = fired(&away);
        for t in &launched {
            assert_eq!(
                t, "40N6E",
                "seed {seed}: only the active-seeker round may leave without the 92N6E: {launched:?}"
            );
        }
        for (t, ev) in &orders {
            assert_eq!(t, "40N6E", "seed {seed}: {ev}");
            let (error, radius) = basket(ev).unwrap_or_else(|| panic!("seed {seed}: not a basket launch: {ev}"));
            // The catalog basket: 30 km · tan 3.5° ≈ 1.83 km.
            assert!((radius - 30.0 * 3.5f64.to_radians().tan()).abs() < 0.06, "{ev}");
            assert!(error <= radius, "{ev}");
        }
        // Facing the raid, the 92N6E tracks it and the fire-control rounds fly.
        let toward = run(&text("0 deg"), seed);
        let (orders, launched) = fired(&toward);
        assert!(
            launched.iter().any(|t| t == "48N6E3" || t == "9M96E2"),
            "seed {seed}: facing the raid, fire-control rounds fly: {launched:?}"
        );
        assert!(orders.iter().any(|(_, ev)| ev.contains("on the fire-control radar's track")), "{orders:?}");
        assert!(orders.iter().all(|(_, ev)| !ev.contains("no fire authority")), "{orders:?}");
    }
}

#[test]
fn facing_away_an_s300_launches_nothing() {
    let text = |facing: &str| HEADER.replace("DURATION", "7 min") + &s300(facing) + RAID;
    for seed in [1, 2] {
        let (orders, launched) = fired(&run(&text("180 deg"), seed));
        assert!(orders.is_empty() && launched.is_empty(), "seed {seed}: TVM rounds need the 30N6E2: {orders:?}");
        let (_, launched) = fired(&run(&text("0 deg"), seed));
        assert!(!launched.is_empty(), "seed {seed}: facing the raid the S-300 fires");
    }
}

/// 4/3-earth radar horizon (m) between heights `a` and `b` (m): the oracle, written here.
fn horizon(a: f64, b: f64) -> f64 {
    let ke = 4.0 / 3.0 * 6_371_000.0;
    (2.0 * ke * a).sqrt() + (2.0 * ke * b).sqrt()
}

#[test]
fn a_30_m_cruise_missile_is_plotted_out_to_near_the_radar_horizon() {
    let text = HEADER
        .replace("DURATION", "5 min")
        .replace("seed = 1", "seed = 1\n\n[[roe]]\nfrom = \"0 s\"\nstate = \"weapons_hold\"")
        + r#"
[[defence]]
name = "Bn"
system = "s400"
site = { lat = 40.0, lon = -40.0, alt = "0 m" }
facing = "270 deg"
  [[defence.radar]]
  type = "96L6E"
  [[defence.radar]]
  type = "92N6E"

[[threat]]
name = "CM"
type = "cruise-missile-subsonic"
route = [
  { lat = 40.0, lon = -40.8, alt = "30 m", speed = "Mach 0.75" },
  { lat = 40.0, lon = -40.05, alt = "30 m" },
]
"#;
    for seed in [1, 2, 3] {
        let r = run(&text, seed);
        for (ty, mast) in [("96L6E", 25.0), ("92N6E", 8.0)] {
            let id = r.sensors.iter().find(|s| s.type_id == ty).expect("radar in the run").id;
            let first = r.events.iter().find_map(|e| match e.kind {
                EventKind::Detection { sensor, range_m, truth: Some(EntityId(0)), .. } if sensor == id => Some(range_m),
                _ => None,
            });
            let d = horizon(mast, 30.0);
            let first = first.unwrap_or_else(|| panic!("seed {seed}: {ty} never plots the cruise missile"));
            // Near the horizon: within one revisit's flight (≤ 5 s at 255 m/s) plus the rising
            // Pd curve, 3 km; never beyond it (+ range noise).
            assert!(
                first <= d + 100.0 && first >= d - 3_000.0,
                "seed {seed}: {ty} first plot at {first:.0} m, horizon {d:.0} m"
            );
        }
    }
}
