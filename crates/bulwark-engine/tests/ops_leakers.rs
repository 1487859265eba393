//! Operations: against a fixed defence, a raid of 2N threats never leaks fewer on average
//! than a raid of N (Monte Carlo over 8 seeds).
mod ops_support;
use bulwark_scenario::{Catalog, Scenario};
use ops_support::*;

#[test]
fn more_threats_never_leak_fewer_on_average() {
    let cat = Catalog::embedded().unwrap();
    let defence = defence(&launcher("5P85SE2", "\"48N6E3\" = 4", ""));
    let leaks = |n: u32| -> Vec<u32> {
        let text = header("7 min") + &defence + &cruise_raid(n, "0 s", "6 s");
        let s = Scenario::from_str(&text, "raid.toml", &cat).unwrap();
        (1..=8).map(|seed| run(&s, seed).summary.leakers).collect()
    };
    let (small, large) = (leaks(4), leaks(8));
    let mean = |v: &[u32]| v.iter().sum::<u32>() as f64 / v.len() as f64;
    println!("leakers N = 4: {small:?} (mean {}), 2N = 8: {large:?} (mean {})", mean(&small), mean(&large));
    assert!(mean(&large) >= mean(&small), "2N leaked fewer: {large:?} vs {small:?}");
    // Four rounds cannot stop eight missiles: the large raid must leak (the test means something).
    assert!(large.iter().all(|&l| l > 0), "{large:?}");
}
