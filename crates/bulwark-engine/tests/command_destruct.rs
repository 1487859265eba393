//! Command destruct (issue 18 item 5): an allied fighter without IFF is engaged as a silent fast
//! aircraft, then joins a civil airway at civil speed — a procedural identification as assumed
//! friend. A system whose catalog entry has `command_destruct` destroys the interceptors in
//! flight at it; one without lets them fly on. Oracle: the scenario's truth and the event log
//! (every interceptor launched at the ally ends, none of them by a kill after the order).
mod ops_support;
use bulwark_core::{EventKind, InterceptOutcome};
use bulwark_scenario::Scenario;
use ops_support::*;

const SORTIE: &str = r#"
[[friendly]]
name = "Viper"
type = "fighter-4gen"
transponder = "none"
route = [
  { lat = 40.11, lon = -40.55, alt = "9 km", speed = "900 km/h" },
  { lat = 40.0, lon = -40.5, alt = "9 km" },
  { lat = 40.0, lon = -38.0, alt = "9 km" },
]

[[civil]]
callsign = "NAT1"
squawk = "4521"
type = "airliner-widebody"
start = "0 s"
route = [
  { lat = 40.0, lon = -43.0, alt = "FL300", speed = "450 kt" },
  { lat = 40.0, lon = -37.0, alt = "FL300" },
]
"#;

fn scenario(destruct: bool) -> Scenario {
    let cat = catalog_with(|text| if destruct { text.to_string() } else { text.replace("command_destruct = ", "# ") });
    let text = header("3 min") + &defence(&launcher("5P85SE2", "\"48N6E3\" = 4", "")) + SORTIE;
    Scenario::from_str(&text, "destruct.toml", &cat).unwrap()
}

#[test]
fn interceptors_at_an_ally_reidentified_as_protected_are_destroyed_in_flight() {
    let with = run(&scenario(true), 1);
    let f = &with.summary.fratricide.friendly;
    assert!(f.launches > 0, "the silent ally is engaged before it joins the airway: {}", with.fratricide_csv);
    let destructed = with
        .events
        .iter()
        .filter(|e| matches!(e.kind, EventKind::InterceptorEnded { outcome: InterceptOutcome::CommandDestruct, .. }))
        .count();
    assert!(destructed > 0, "{}", with.fratricide_csv);
    assert_eq!(f.kills, 0, "{}", with.fratricide_csv);
    // Without command destruct no interceptor is destroyed on order.
    let without = run(&scenario(false), 1);
    assert!(!without.events_jsonl().contains("command_destruct"));
}
