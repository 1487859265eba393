//! Whole-run properties of the embedded reference scenario: determinism, consistency of
//! the counts, and that civil and friendly aircraft are never engaged.
use bulwark_engine::{RunResult, Simulation, reference_scenario};
use bulwark_scenario::Scenario;

fn run(scenario: &Scenario, seed: u64) -> RunResult {
    let mut sim = Simulation::new(scenario, seed).expect("reference scenario sets up");
    sim.run();
    sim.finish()
}

#[test]
fn same_seed_same_bytes_other_seed_other_bytes() {
    let s = reference_scenario().expect("embedded reference scenario is valid");
    let a = run(&s, 7);
    let b = run(&s, 7);
    assert_eq!(a.events_jsonl(), b.events_jsonl(), "events.jsonl must be byte-identical for one seed");
    assert_eq!(a.truth_csv, b.truth_csv);
    assert_eq!(a.tracks_csv, b.tracks_csv);
    let c = run(&s, 8);
    assert_ne!(a.events_jsonl(), c.events_jsonl(), "another seed must give another run");
}

#[test]
fn counts_are_consistent_and_civil_traffic_is_never_engaged() {
    let s = reference_scenario().expect("embedded reference scenario is valid");
    let mut killed_total = 0;
    for seed in 1..=6 {
        let r = run(&s, seed);
        let sum = &r.summary;
        assert_eq!(sum.civil_engaged, 0, "seed {seed}: an airliner was engaged");
        assert_eq!(sum.friendly_engaged, 0, "seed {seed}: a friendly was engaged");
        assert_eq!(sum.civil_killed + sum.friendly_killed, 0, "seed {seed}: fratricide");
        for t in &sum.threats {
            assert!(t.killed + t.leaked <= t.count, "seed {seed}: {t:?}");
            assert!(t.tracked <= t.detected && t.detected <= t.count, "seed {seed}: {t:?}");
            assert!(t.engaged <= t.count, "seed {seed}: {t:?}");
            killed_total += t.killed;
        }
        for (ty, fired) in &sum.interceptors_fired {
            let loaded = sum.interceptors_loaded.get(ty).copied().unwrap_or(0);
            assert!(*fired <= loaded, "seed {seed}: {ty} fired {fired} of {loaded}");
        }
        let expected: u32 = s.threats.iter().map(|g| g.count).sum();
        assert_eq!(sum.threats.iter().map(|t| t.count).sum::<u32>(), expected);
    }
    assert!(killed_total > 0, "the defence must achieve something in six runs");
}
