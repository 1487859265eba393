//! Scoring never hides an engagement of a friendly object (issue 18 item 1): an allied fighter
//! entered under `[[friendly]]` without IFF, flying at the battalion under weapons free, is
//! engaged like any silent fast aircraft — and every fire order, launch and kill at it is
//! counted in `summary.json`, named there and in the printed table, and listed in
//! `fratricide.csv` with the identification evidence of the order.
//! working Mode 5 is never engaged. Oracle: the truth of the scenario (the aircraft is ours).
mod ops_support;
use bulwark_scenario::{Catalog, Scenario};
use ops_support::*;

fn sortie(transponder: &str) -> Scenario {
    let friendly = format!(
        r#"
[[friendly]]
name = "Viper"
type = "fighter-4gen"
transponder = {transponder}
route = [
  {{ lat = 40.0, lon = -41.2, alt = "6 km", speed = "900 km/h" }},
  {{ lat = 40.0, lon = -40.2, alt = "6 km" }},
]
"#
    );
    let defence = defence(&launcher("5P85SE2", "\"48N6E3\" = 4", ""));
    let text = header("3 min") + &defence + &friendly;
    Scenario::from_str(&text, "fratricide.toml", &Catalog::embedded().unwrap()).unwrap()
}

#[test]
fn an_allied_fighter_without_iff_engaged_is_counted_named_and_listed() {
    let r = run(&sortie("\"none\""), 1);
    let s = &r.summary;
    let f = &s.fratricide.friendly;
    assert!(f.fire_orders > 0, "a silent fast aircraft flying at the unit is engaged under weapons free: {s:?}");
    assert_eq!(f.fire_orders, s.friendly_fire_orders, "one rule for both counts");
    assert!(f.launches >= f.fire_orders, "{f:?}");
    assert_eq!(f.objects, vec!["Viper #1".to_string()]);
    assert!(s.table().contains("friendly objects engaged") && s.table().contains("Viper #1"), "{}", s.table());
    let rows: Vec<&str> = r.fratricide_csv.lines().skip(1).collect();
    assert_eq!(rows.len() as u32, f.fire_orders + f.launches + f.kills + f.collateral_kills);
    let order = rows.iter().find(|l| l.contains(",fire_order,")).expect("a fire order row");
    assert!(order.contains("Viper #1") && order.contains(",friendly,none,"), "{order}");
    assert!(order.contains("IFF") && order.contains("held"), "the evidence of the order: {order}");
    assert!(s.threats.is_empty(), "the ally is not scored as a threat");
}

#[test]
fn the_same_sortie_with_a_working_secure_mode_is_never_engaged() {
    // The battalion is an S-400: it reads its national secure mode, not NATO Mode 5 (see
    // tests/interrogators.rs for the Mode-5-only fighter it cannot identify).
    let r = run(&sortie("[\"national\"]"), 1);
    assert_eq!(r.summary.fratricide, Default::default(), "{}", r.fratricide_csv);
    assert_eq!(r.fratricide_csv.lines().count(), 1, "header only");
}
