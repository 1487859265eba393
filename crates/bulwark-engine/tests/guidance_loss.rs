//! Guidance-loss destruct (issue 18 item 4, catalog `guidance_loss_destruct`): a command or
//! track-via-missile round flies on the fire-control radar's track to the end (Zarchan, *Tactical
//! and Strategic Missile Guidance*, 6th ed., ch. 1), so when that radar stops updating the track
//! mid-course the round is destroyed rather than left to fly on extrapolation.
//!
//! A fighter crosses the edge of the 92N6E's ±45° sector about 100 km out while 48N6E3 (TVM) rounds
//! fly at it. Oracle: the sector geometry from truth — a round is destroyed only once the target's
//! bearing from the radar has been outside the sector for the doctrine's 5 s; with the radar facing
//! the crossing (target inside the sector throughout) or without the catalog key, none is.
use bulwark_core::{EventKind, InterceptOutcome};
use bulwark_engine::RunResult;
use bulwark_scenario::Scenario;

mod ops_support;
use ops_support::{catalog_with, defence_facing, header, launcher, run};

/// The catalog's delay (s) for the S-400, checked against the file below.
const DELAY_S: f64 = 5.0;

fn scenario(facing_deg: f64, key: bool) -> Scenario {
    // Flies at the site from bearing 40° and 120 km for 10 km, then turns towards bearing 70° at
    // 90 km: it leaves the 0°-facing sector (bearing 45°) about 70 s in, some 105 km out.
    let crosser = r#"
[[threat]]
name = "Crosser"
type = "fighter-4gen"
route = [
  { lat = 40.828, lon = -39.097, alt = "8 km", speed = "Mach 0.9" },
  { lat = 40.759, lon = -39.172, alt = "8 km" },
  { lat = 40.277, lon = -39.009, alt = "8 km" },
]
"#;
    let facing = format!("{facing_deg} deg");
    let text = header("150 s") + &defence_facing(&facing, "", &launcher("5P85SE2", "\"48N6E3\" = 4", "")) + crosser;
    let cat = catalog_with(|t| if key { t.to_string() } else { t.replace("guidance_loss_destruct = ", "# ") });
    Scenario::from_str(&text, "guidance_loss.toml", &cat).unwrap()
}

/// Times (s) of the rounds ended by guidance loss, and the number launched.
fn lost_and_launched(r: &RunResult) -> (Vec<f64>, usize) {
    let lost = r
        .events
        .iter()
        .filter(|e| matches!(e.kind, EventKind::InterceptorEnded { outcome: InterceptOutcome::GuidanceLost, .. }))
        .map(|e| e.t_ns as f64 * 1e-9)
        .collect();
    let launched = r.events.iter().filter(|e| matches!(e.kind, EventKind::InterceptorLaunched { .. })).count();
    (lost, launched)
}

/// The crosser's truth bearing (deg from north) from the site (the scenario origin) at the
/// truth row nearest `t_s`.
fn bearing_at(r: &RunResult, t_s: f64) -> f64 {
    let mut best = (f64::INFINITY, f64::NAN);
    for line in r.truth_csv.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        if !f[2].starts_with("Crosser") {
            continue;
        }
        let t: f64 = f[0].parse().unwrap();
        let (e, n): (f64, f64) = (f[8].parse().unwrap(), f[9].parse().unwrap());
        if (t - t_s).abs() < best.0 {
            best = ((t - t_s).abs(), e.atan2(n).to_degrees());
        }
    }
    assert!(best.0 <= 1.0, "a truth row within 1 s of {t_s}");
    best.1
}

#[test]
fn a_tvm_round_whose_fire_control_track_leaves_the_sector_is_destroyed() {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../catalog/s400.toml")).unwrap();
    assert!(text.contains("guidance_loss_destruct = { value = \"5 s\""), "the test's delay is the catalog's");

    let crossing = run(&scenario(0.0, true), 1);
    let (lost, launched) = lost_and_launched(&crossing);
    assert!(launched > 0, "the crosser is engaged while inside the sector");
    assert!(!lost.is_empty(), "rounds in flight when the target leaves the sector are destroyed");
    for t in &lost {
        // Outside the sector (bearing > 45°) since at least the delay before, less one 1 s
        // fire-control revisit and one truth row.
        let b = bearing_at(&crossing, t - DELAY_S + 1.0);
        assert!(b > 45.0, "destroyed at {t} s, but the target was at bearing {b:.1}° inside the sector then");
    }
    assert_eq!(crossing.summary.guidance_lost as usize, lost.len());

    // Facing the crossing (sector 0–90°), the track is held: no round is destroyed.
    let facing = run(&scenario(45.0, true), 1);
    let (lost, launched) = lost_and_launched(&facing);
    assert!(launched > 0);
    assert!(lost.is_empty(), "destroyed at {lost:?} with the target inside the sector");

    // Without the doctrine the rounds fly on.
    let without = run(&scenario(0.0, false), 1);
    let (lost, launched) = lost_and_launched(&without);
    assert!(launched > 0);
    assert!(lost.is_empty());
    assert_eq!(without.summary.guidance_lost, 0);
}
