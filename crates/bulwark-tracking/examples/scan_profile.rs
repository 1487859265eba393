//! Temporary: per-scan timing of the benchmark scenario.
#[path = "../tests/support/scenario.rs"]
mod scenario;
use bulwark_tracking::Tracker;
use scenario::{Scenario, ScenarioConfig, benchmark_tracker_config};
use std::time::Instant;
fn cpu_ns() -> u64 {
    std::fs::read_to_string("/proc/thread-self/schedstat").unwrap().split_whitespace().next().unwrap().parse().unwrap()
}
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let n: usize = args.get(1).map_or(10_000, |s| s.parse().unwrap());
    let c: f64 = args.get(2).map_or(1000.0, |s| s.parse().unwrap());
    let scans: usize = args.get(3).map_or(40, |s| s.parse().unwrap());
    let scale: f64 = args.get(4).map_or(1.0, |s| s.parse().unwrap());
    let mut cfg = ScenarioConfig::benchmark(n, c);
    cfg.scale = scale;
    if std::env::var_os("SCALE_BEARING").is_some() {
        cfg.sigma_bearing_rad /= scale;
    }
    let mut sc = Scenario::new(cfg);
    let mut tr = Tracker::new(benchmark_tracker_config()).unwrap();
    let mut tot = 0.0;
    for k in 0..scans {
        let (t, d) = sc.next_scan();
        let t0 = Instant::now();
        let c0 = cpu_ns();
        let r = tr.process(t, &d);
        let _w = t0.elapsed();
        let ms = (cpu_ns() - c0) as f64 * 1e-6;
        if k >= 8 {
            tot += ms;
        }
        let conf = tr.tracks().filter(|t| t.status.is_confirmed()).count();
        eprintln!(
            "scan {k}: {ms:.1} ms, dets {}, tracks {}, confirmed {conf}, cand {}, gated {}",
            d.len(),
            tr.tracks().count(),
            r.stats.candidate_pairs,
            r.stats.gated_pairs
        );
    }
    eprintln!("mean after warm-up {:.2} ms", tot / (scans - 8) as f64);
}
