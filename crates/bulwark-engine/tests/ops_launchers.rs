//! Operations: a launcher that arrives later than the raid begins does not fire before its
//! arrival plus the catalog deploy time, and an empty launcher reloads from a reload vehicle
//! in the catalog reload time, with rounds moved (never created).
mod ops_support;
use bulwark_core::LauncherId;
use bulwark_scenario::{Catalog, Scenario};
use ops_support::*;

#[test]
fn a_launcher_fires_only_after_arrival_plus_deploy_time() {
    let cat = Catalog::embedded().unwrap();
    let deploy = cat.launcher("5P85SE2").unwrap().deploy_time_s.value;
    let raid = cruise_raid(12, "0 s", "15 s");
    // Baseline: deployed from the start, the battalion fires at the raid's head.
    let base = header("8 min") + &defence(&launcher("5P85SE2", "\"48N6E3\" = 4", "")) + &raid;
    let r = run(&Scenario::from_str(&base, "deployed.toml", &cat).unwrap(), 5);
    let first = launches_of(&r.events, LauncherId(1));
    assert!(first.first().is_some_and(|&t| t < deploy), "baseline must fire before {deploy} s: {first:?}");
    // The unit arrives at 0 s (launcher 1: ready at 0 + deploy), launcher 2 at 100 s.
    let late = header("8 min")
        + &defence_with(
            "arrives = \"0 s\"\n",
            &(launcher("5P85SE2", "\"48N6E3\" = 4", "")
                + &launcher("5P85SE2", "\"48N6E3\" = 4", "  arrives = \"100 s\"\n")),
        )
        + &raid;
    let s = Scenario::from_str(&late, "marching.toml", &cat).unwrap();
    assert_eq!(s.defences[0].launchers[1].arrives.map(|t| t.as_secs_f64()), Some(100.0));
    for seed in [5, 6] {
        let r = run(&s, seed);
        let ready: Vec<f64> = r.summary.launchers.iter().map(|l| l.ready_s).collect();
        assert_eq!(ready, vec![deploy, 100.0 + deploy], "seed {seed}");
        for (l, ready_s) in [(1, deploy), (2, 100.0 + deploy)] {
            let t = launches_of(&r.events, LauncherId(l));
            assert!(t.iter().all(|&t| t >= ready_s), "seed {seed}: launcher {l} fired at {t:?} before {ready_s} s");
        }
        let t1 = launches_of(&r.events, LauncherId(1));
        assert!(!t1.is_empty(), "seed {seed}: launcher 1 must fire once deployed for the test to mean anything");
    }
}

#[test]
fn an_empty_launcher_reloads_from_a_vehicle_in_the_reload_time() {
    // The catalog's 30 min reload would outlast a short test run: 90 s here.
    let cat = catalog_with(|t| t.replace("reload_time = { value = \"30 min\"", "reload_time = { value = \"90 s\""));
    let reload = cat.launcher("5P85SE2").unwrap().reload_time_s.value;
    assert_eq!(reload, 90.0, "the edit took");
    let text = header("9 min")
        + &defence(
            &(launcher("5P85SE2", "\"48N6E3\" = 2", "")
                + "  [[defence.reload]]\n  missiles = { \"48N6E3\" = 6 }\n  count = 1\n"),
        )
        + &cruise_raid(14, "0 s", "15 s");
    let s = Scenario::from_str(&text, "reload.toml", &cat).unwrap();
    assert_eq!(s.defences[0].reloads.len(), 1);
    for seed in [2, 3] {
        let r = run(&s, seed);
        let l = &r.summary.launchers[0];
        let launches = launches_of(&r.events, LauncherId(1));
        assert!(!l.reloads.is_empty(), "seed {seed}: no reload ({launches:?})");
        let first = &l.reloads[0];
        assert!((first.end_s - first.start_s - reload).abs() < 1e-9, "seed {seed}: {first:?}");
        // Rounds move from the vehicle: at most the tubes (4) per reload, 6 in all.
        assert_eq!(first.missiles.values().sum::<u32>(), 4, "seed {seed}: {first:?}");
        let moved: u32 = l.reloads.iter().flat_map(|x| x.missiles.values()).sum();
        assert!(moved <= 6, "seed {seed}");
        // The reload starts only once the launcher has fired its 2 rounds, and none fly
        // during the reload.
        assert_eq!(launches.iter().filter(|&&t| t <= first.start_s).count(), 2, "seed {seed}: {launches:?}");
        assert!(!launches.iter().any(|&t| t > first.start_s && t < first.end_s), "seed {seed}: {launches:?}");
        assert!(launches.iter().any(|&t| t >= first.end_s), "seed {seed}: reloaded rounds must be fired");
        let x = &r.summary.expenditure[0];
        assert_eq!((x.loaded, x.on_reload_vehicles, x.reloaded), (2, 6, moved), "seed {seed}: {x:?}");
        assert!(x.fired <= x.loaded + x.reloaded, "seed {seed}: {x:?}");
        assert_eq!(x.fired as usize, launches.len());
    }
}

/// Issue 19: 1,000 vehicles of 4,294,967,295 rounds each overflowed the reload total in
/// `summary.json`. A vehicle's rounds are bounded where they enter, at their line:col.
#[test]
fn a_reload_vehicle_carries_at_most_1000_rounds() {
    let cat = Catalog::embedded().unwrap();
    let text = header("9 min")
        + &defence(
            &(launcher("5P85SE2", "\"48N6E3\" = 2", "")
                + "  [[defence.reload]]\n  missiles = { \"48N6E3\" = 4294967295 }\n  count = 1000\n"),
        )
        + &cruise_raid(1, "0 s", "15 s");
    let d = Scenario::from_str(&text, "reload.toml", &cat).unwrap_err();
    let line = text.lines().position(|l| l.contains("4294967295")).unwrap() + 1;
    assert_eq!(d.line, line, "{d}");
    assert!(d.message.contains("1000"), "{d}");
}
