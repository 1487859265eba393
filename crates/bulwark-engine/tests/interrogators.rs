//! Interrogators and keys (issue 18 item 2): a unit reads only the IFF modes its interrogator is
//! built for (catalog `iff_modes`) and, of the secure ones, those it holds keys for
//! (`[[defence]] iff_keys`). Oracles: the scenario's truth (which transponder each aircraft
//! carries) and the public record that an S-400 outside NATO's IFF reads Mode 3/A/C/S and its
//! national mode, not Mode 5 (Popular Mechanics 2019, catalog source `popmech-2019-s400-nato`).
mod ops_support;
use bulwark_core::{EntityId, EventKind, Identity};
use bulwark_engine::RunResult;
use bulwark_scenario::{Catalog, Scenario};
use ops_support::*;

/// An allied fighter with `transponder` flying at the battalion (which holds `keys`), under
/// weapons free, with `catalog`.
fn sortie(transponder: &str, keys: &str, catalog: &Catalog) -> Scenario {
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
    let defence = defence_with(keys, &launcher("5P85SE2", "\"48N6E3\" = 4", ""));
    Scenario::from_str(&(header("3 min") + &defence + &friendly), "iff.toml", catalog).unwrap()
}

/// The fighter's entity: the only friendly of the scenario (threats come first, there are none).
const VIPER: EntityId = EntityId(0);

fn replies_from_viper(r: &RunResult) -> Vec<String> {
    r.events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::IffReply { mode, truth, .. } if *truth == VIPER => Some(mode.clone()),
            _ => None,
        })
        .collect()
}

fn declared(r: &RunResult, identity: Identity) -> bool {
    r.events.iter().any(|e| matches!(&e.kind, EventKind::TrackIdentified { identity: i, .. } if *i == identity))
}

#[test]
fn an_s400_gets_no_usable_reply_from_a_mode5_only_fighter_and_engages_it() {
    let cat = Catalog::embedded().unwrap();
    let r = run(&sortie("[\"mode5\"]", "", &cat), 1);
    assert!(replies_from_viper(&r).is_empty(), "the S-400 interrogator reads no Mode 5: {:?}", replies_from_viper(&r));
    assert!(r.summary.fratricide.friendly.fire_orders > 0, "silent fast jet under weapons free: {:?}", r.summary);
    // The same battalion's own air force answers in the national mode: friend, never engaged.
    let r = run(&sortie("[\"national\"]", "", &cat), 1);
    let modes = replies_from_viper(&r);
    assert!(!modes.is_empty() && modes.iter().all(|m| m == "national"), "{modes:?}");
    assert!(declared(&r, Identity::Friend));
    assert_eq!(r.summary.fratricide, Default::default(), "{}", r.fratricide_csv);
}

#[test]
fn mode5_is_read_only_with_the_keys_the_scenario_grants() {
    // The same battalion with a NATO interrogator (as a unit integrated into NATO's IFF would be).
    let nato = catalog_with(|t| t.replace("value = [\"national\", \"mode3a\"", "value = [\"mode5\", \"mode3a\""));
    let keyed = run(&sortie("[\"mode5\"]", "", &nato), 1);
    assert!(replies_from_viper(&keyed).iter().all(|m| m == "mode5") && !replies_from_viper(&keyed).is_empty());
    assert!(declared(&keyed, Identity::Friend));
    assert_eq!(keyed.summary.fratricide, Default::default(), "{}", keyed.fratricide_csv);
    // Without the keys it reads nothing of a Mode-5-only fit; a Mode 5 + C fit gives it the
    // altitude alone, no identity code, so the fighter is no friend to it.
    let unkeyed = run(&sortie("[\"mode5\"]", "iff_keys = \"none\"\n", &nato), 1);
    assert!(replies_from_viper(&unkeyed).is_empty(), "{:?}", replies_from_viper(&unkeyed));
    assert!(!declared(&unkeyed, Identity::Friend));
    let mode_c = run(&sortie("[\"mode5\", \"modec\"]", "iff_keys = []\n", &nato), 1);
    let modes = replies_from_viper(&mode_c);
    assert!(!modes.is_empty() && modes.iter().all(|m| m == "mode3ac"), "{modes:?}");
    assert!(!declared(&mode_c, Identity::Friend));
}

#[test]
fn without_an_interrogator_tracks_are_still_identified_and_engaged() {
    // The battalion's interrogator removed from the catalog: its tracks must not stay pending.
    let bare =
        catalog_with(|t| t.lines().filter(|l| !l.starts_with("iff_")).map(|l| format!("{l}\n")).collect::<String>());
    let text = header("4 min") + &defence(&launcher("5P85SE2", "\"48N6E3\" = 4", "")) + &cruise_raid(2, "0 s", "5 s");
    let s = Scenario::from_str(&text, "bare.toml", &bare).unwrap();
    let r = run(&s, 1);
    assert!(!r.events.iter().any(|e| matches!(e.kind, EventKind::IffReply { .. })), "no interrogator, no reply");
    assert!(declared(&r, Identity::Hostile), "the cruise-missile profile is hostile on kinematics alone");
    assert!(r.summary.interceptors_fired.values().sum::<u32>() > 0, "{:?}", r.summary);
}
