//! An honest end (issue 18): a run that stops mid-raid says so. Hostile objects still airborne
//! are `in_flight`, those whose start lies after the end `not_launched`, never "survived", and
//! every hostile object is accounted for exactly once.
mod ops_support;
use bulwark_engine::Outcome;
use bulwark_scenario::{Catalog, Scenario};
use ops_support::*;

#[test]
fn a_run_that_ends_mid_raid_counts_what_is_still_flying_and_says_so() {
    let cat = Catalog::embedded().unwrap();
    let defence = defence(&launcher("5P85SE2", "\"48N6E3\" = 4", ""));
    // Three cruise missiles 40 s apart, a 60 s run: the third never starts, and the first two
    // (launched far out) are still flying when the run stops.
    let text = header("60 s") + &defence + &cruise_raid(3, "0 s", "40 s");
    let s = Scenario::from_str(&text, "end.toml", &cat).unwrap();
    let r = run(&s, 1).summary;
    let count: u32 = r.threats.iter().map(|t| t.count).sum();
    let killed: u32 = r.threats.iter().map(|t| t.killed).sum();
    let by_class: u32 = r.threats.iter().map(|t| t.in_flight).sum();
    assert_eq!(count, 3);
    assert_eq!(r.not_launched, 1, "{r:?}");
    assert_eq!(r.in_flight, by_class);
    assert_eq!(r.in_flight + r.not_launched + killed + r.leakers, count, "each object counted once: {r:?}");
    assert!(r.in_flight >= 1, "{r:?}");
    assert!(r.ended_mid_raid);
    let w = r.ended_mid_raid_warning().expect("a warning");
    assert!(w.contains("still in flight") && w.contains("lower bound"), "{w}");
    let outcomes: Vec<Outcome> = r.timeline.iter().map(|t| t.outcome).collect();
    assert_eq!(outcomes.iter().filter(|o| **o == Outcome::NotLaunched).count(), 1, "{outcomes:?}");
    assert_eq!(outcomes.iter().filter(|o| **o == Outcome::InFlight).count() as u32, r.in_flight, "{outcomes:?}");
    assert!(r.table().contains("in flight at the end"), "{}", r.table());
}

#[test]
fn a_run_long_enough_for_its_raid_has_nothing_in_flight() {
    let cat = Catalog::embedded().unwrap();
    // Four rounds against eight missiles over 7 min (as in ops_leakers): every missile is
    // killed or leaks before the end.
    let defence = defence(&launcher("5P85SE2", "\"48N6E3\" = 4", ""));
    let text = header("7 min") + &defence + &cruise_raid(8, "0 s", "6 s");
    let s = Scenario::from_str(&text, "raid.toml", &cat).unwrap();
    let r = run(&s, 1).summary;
    assert_eq!((r.in_flight, r.not_launched, r.ended_mid_raid), (0, 0, false), "{r:?}");
    assert!(r.ended_mid_raid_warning().is_none());
}
