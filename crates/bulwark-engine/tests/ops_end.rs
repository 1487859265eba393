//! An honest end (issue 18): a run that stops mid-raid says so. Hostile objects still airborne
//! are `in_flight`, those whose start lies after the end `not_launched`, never "survived", and
//! every hostile object is accounted for exactly once.
mod ops_support;
use bulwark_engine::{Outcome, Summary};
use bulwark_scenario::{Catalog, Scenario};
use ops_support::*;

/// Summary of seed 1: one launcher with four 48N6E3 against `count` cruise missiles
/// `spacing` apart, for `duration`.
fn summary(duration: &str, count: u32, spacing: &str) -> Summary {
    let cat = Catalog::embedded().unwrap();
    let defence = defence(&launcher("5P85SE2", "\"48N6E3\" = 4", ""));
    let text = header(duration) + &defence + &cruise_raid(count, "0 s", spacing);
    let s = Scenario::from_str(&text, "end.toml", &cat).unwrap();
    run(&s, 1).summary
}

#[test]
fn a_run_that_ends_mid_raid_counts_what_is_still_flying_and_says_so() {
    // Three cruise missiles 40 s apart, a 60 s run: the third never starts, and the first two
    // (launched far out) are still flying when the run stops.
    let r = summary("60 s", 3, "40 s");
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
    // Four rounds against eight missiles over 7 min (as in ops_leakers): every missile is
    // killed or leaks before the end.
    let r = summary("7 min", 8, "6 s");
    assert_eq!((r.in_flight, r.not_launched, r.ended_mid_raid), (0, 0, false), "{r:?}");
    assert!(r.ended_mid_raid_warning().is_none());
}
