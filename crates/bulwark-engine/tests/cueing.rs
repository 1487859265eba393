//! Cued acquisition in a whole run: a stealth fighter flies nose-on at an S-400 battalion with
//! its regiment's 55Zh6ME-M VHF module. The VHF track cues the 92N6E, whose long dwell
//! (spare tracking time, coherent up to the range-walk limit; `bulwark_sensors::cue`) sees it
//! earlier than its own search does; "first seen" (VHF) and "first seen by the fire-control
//! radar" are separate numbers, as the calculators give them.
//!
//! Oracle for the margins: the reference-point radar equation, R = R_ref·(σ/σ_ref)^¼ (Skolnik
//! 2001, eq. 2.1) from the catalog values: VHF 400 km·(0.5/5)^¼ ≈ 225 km, 92N6E
//! 250 km·(0.001/5)^¼ ≈ 29.7 km at Pd 0.5 and one look.
use bulwark_core::{EntityId, EventKind};
use bulwark_engine::{RunResult, Simulation};
use bulwark_scenario::{Catalog, Scenario};

const SCENARIO: &str = r#"
[scenario]
name = "cueing test"
epoch = "2026-06-01T04:00:00Z"
origin = { lat = 40.0, lon = -40.0, alt = "0 m" }
duration = "14 min"
time_step = "0.1 s"
seed = 3

[[roe]]
from = "0 s"
state = "weapons_hold"

[[defence]]
name = "Bn"
system = "s400-regiment"
site = { lat = 40.0, lon = -40.0, alt = "10 m" }
facing = "270 deg"
CUEING
  [[defence.radar]]
  type = "55Zh6ME-M"
  [[defence.radar]]
  type = "92N6E"
  offset = { east = "600 m" }

[[threat]]
name = "Stealth"
type = "stealth-fighter"
route = [
  { lat = 40.0, lon = -43.2, alt = "10 km", speed = "1000 km/h" },
  { lat = 40.0, lon = -40.2, alt = "10 km" },
]
"#;

fn run(cueing: bool, seed: u64) -> RunResult {
    let text = SCENARIO.replace("CUEING", if cueing { "" } else { "cueing = false" });
    let cat = Catalog::embedded().unwrap();
    let s = Scenario::from_str(&text, "cueing.toml", &cat).unwrap();
    let mut sim = Simulation::new(&s, seed).unwrap();
    sim.run();
    sim.finish()
}

/// Range (m) of the first detection of the fighter by the radar of catalog type `ty`.
fn first_range(r: &RunResult, ty: &str) -> Option<f64> {
    let id = r.sensors.iter().find(|i| i.type_id == ty)?.id;
    r.events.iter().find_map(|e| match e.kind {
        EventKind::Detection { sensor, range_m, truth: Some(EntityId(0)), .. } if sensor == id => Some(range_m),
        _ => None,
    })
}

#[test]
fn a_low_band_cue_makes_the_fire_control_radar_acquire_earlier() {
    let (mut cued, mut plain) = (Vec::new(), Vec::new());
    for seed in 1..=4 {
        let (a, b) = (run(true, seed), run(false, seed));
        let vhf = first_range(&a, "55Zh6ME-M").expect("the VHF module sees the stealth fighter");
        // The VHF module sees it near its 225 km Pd-0.5 range (first detections come earlier,
        // on the rising Pd curve, and the route starts 255 km out).
        assert!(vhf > 180e3, "seed {seed}: VHF first detection at {vhf} m");
        let fc_cued = first_range(&a, "92N6E").expect("cued 92N6E acquires");
        let fc_plain = first_range(&b, "92N6E").expect("uncued 92N6E acquires at last");
        // Uncued, the 92N6E finds it near its own ≈ 30 km; the VHF radar precedes it by about
        // the calculators' margin (225 − 30 km), at least 150 km.
        assert!(fc_plain < 60e3, "seed {seed}: uncued 92N6E at {fc_plain} m");
        assert!(vhf - fc_plain > 150e3, "seed {seed}: margin {} m", vhf - fc_plain);
        // summary.json keeps both numbers per class: seen by any radar, and by fire control.
        let row = a.summary.threats.iter().find(|t| t.class.as_str() == "stealth_fighter").unwrap();
        assert_eq!(row.first_detection_range_m, Some(vhf), "seed {seed}");
        assert_eq!(row.first_fire_control_range_m, Some(fc_cued), "seed {seed}");
        cued.push(fc_cued);
        plain.push(fc_plain);
    }
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
    // Cued dwells integrate up to ΔR/v = 30 m / 278 m/s ≈ 0.11 s over the 4 ms dwell, K ≈ 27,
    // i.e. ×K^¼ ≈ 2.3 in range: well beyond the spread of first detections.
    assert!(mean(&cued) > 1.5 * mean(&plain), "cued {cued:?} vs uncued {plain:?}");
}
