//! The benchmark scenario of `benches/scaling.rs` tracked end to end: the fast tracker finds
//! the targets, keeps clutter tracks out of the confirmed picture, and is deterministic.
#[path = "support/scenario.rs"]
mod scenario;
use bulwark_tracking::{ScanReport, Tracker};
use scenario::{Scenario, ScenarioConfig, benchmark_tracker_config};

fn run(scans: usize) -> (Scenario, Tracker, Vec<ScanReport>) {
    let mut sc = Scenario::new(ScenarioConfig::benchmark(100, 20.0));
    let mut tr = Tracker::new(benchmark_tracker_config()).unwrap();
    let mut reports = Vec::new();
    for _ in 0..scans {
        let (t, d) = sc.next_scan();
        reports.push(tr.process(t, &d));
    }
    (sc, tr, reports)
}

#[test]
fn benchmark_case_tracks_the_targets() {
    let (sc, tr, _) = run(30);
    let t = sc.t - sc.cfg.dt; // time of the last scan
    // Each target has a confirmed track within 3 σ_cross-range of 90 km (≈ 1 km).
    let confirmed: Vec<_> = tr.tracks().filter(|t| t.status.is_confirmed()).collect();
    let mut found = 0;
    for x in &sc.truths {
        // Truth has moved on by dt since the last scan: step it back.
        let (px, py) = (x[0] - x[3] * sc.cfg.dt, x[1] - x[4] * sc.cfg.dt);
        let near = confirmed
            .iter()
            .filter_map(|c| tr.predict_track(c.id, t))
            .any(|g| (g.mean[0] - px).hypot(g.mean[1] - py) < 1e3);
        found += usize::from(near);
    }
    assert!(found >= 97, "{found} of 100 targets tracked");
    // 20 clutter / scan over 4·10¹⁰ m² rarely gives 3 gated hits in a row.
    assert!(confirmed.len() <= 103, "{} confirmed tracks", confirmed.len());
}

#[test]
fn benchmark_case_is_deterministic() {
    let (_, a, ra) = run(12);
    let (_, b, rb) = run(12);
    assert_eq!(ra, rb);
    assert!(a.tracks().eq(b.tracks()));
}
