//! Whole-engine benchmark: the embedded reference scenario end to end (set-up, the 20 min
//! run, `finish`), with and without writing its six output files, and the same raid scaled to
//! k× the threats.
//!
//! The scaled scenarios are generated from the reference text: each threat group (the friendly
//! patrol excepted) is repeated k times, copy j turned by 360°·j/k about the defended airbase
//! (so the raid comes from k axes) and started 7 s·(j mod 10) later; civil traffic and the
//! defence stay as they are. They run for [`SCALED_DURATION`] of simulated time, the part where
//! the raid is inbound.
//!
//! Run: `cargo bench -p bulwark-engine --bench engine` (criterion; `BULWARK_BENCH_CPU=1`
//! measures the thread's CPU time instead of wall-clock time, steadier on a loaded machine;
//! `BULWARK_BENCH_SCALES=1,10,100` picks the scaled cases, default `1,10`).
//! One-shot mode for CPU figures and callgrind: `BULWARK_BENCH_ONESHOT=K` runs the k× raid once
//! (K = 0: the full reference run) and prints CPU time per simulated second and per threat, e.g.
//! `BULWARK_BENCH_ONESHOT=10 valgrind --tool=callgrind --dump-instr=no target/release/deps/engine-*`.
use bulwark_engine::{REFERENCE_SCENARIO, SimOptions, Simulation};
use bulwark_scenario::{Catalog, Scenario};
use criterion::{BenchmarkId, Criterion};
use std::hint::black_box;
use std::time::{Duration, Instant};

/// Simulated time of the scaled runs.
const SCALED_DURATION: &str = "5 min";
/// The reference scenario's defended airbase (deg), the centre of the turned axes.
const CENTRE: (f64, f64) = (40.135, -40.0);

/// Thread CPU time in ns (`/proc/thread-self/schedstat`, Linux), if the kernel exposes it.
fn cpu_ns() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    s.split_whitespace().next()?.parse().ok()
}

/// Turns every `lat = …, lon = …` pair of `block` by `theta` (rad) about [`CENTRE`], on the
/// local equirectangular plane (good to well under a kilometre at these distances).
fn turn_points(block: &str, theta: f64) -> String {
    let (lat0, lon0) = CENTRE;
    let k = lat0.to_radians().cos();
    let (s, c) = theta.sin_cos();
    let mut out = String::new();
    let mut rest = block;
    while let Some(i) = rest.find("lat = ") {
        out.push_str(&rest[..i]);
        let after = &rest[i + 6..];
        let lat_end = after.find(',').unwrap_or(after.len());
        let lat: f64 = after[..lat_end].trim().parse().unwrap_or(lat0);
        let tail = &after[lat_end..];
        let Some(j) = tail.find("lon = ") else {
            out.push_str(&rest[i..]);
            return out;
        };
        let lon_str = &tail[j + 6..];
        let lon_end = lon_str.find([',', ' ', '}']).unwrap_or(lon_str.len());
        let lon: f64 = lon_str[..lon_end].trim().parse().unwrap_or(lon0);
        let (x, y) = ((lon - lon0) * k, lat - lat0);
        let (x, y) = (x * c - y * s, x * s + y * c);
        out.push_str(&format!("lat = {:.5}, lon = {:.5}", lat0 + y, lon0 + x / k));
        rest = &lon_str[lon_end..];
    }
    out.push_str(rest);
    out
}

/// Start time of a threat group line `start = "…"` in seconds.
fn start_s(block: &str) -> f64 {
    let Some(i) = block.find("start = \"") else { return 0.0 };
    let v = &block[i + 9..];
    let v = &v[..v.find('"').unwrap_or(v.len())];
    let (num, unit) = v.split_once(' ').unwrap_or((v, "s"));
    num.parse::<f64>().unwrap_or(0.0) * if unit.starts_with("min") { 60.0 } else { 1.0 }
}

/// The reference scenario with its raid scaled to `k`× the threats (module doc), running for
/// `duration` (a scenario duration string); `k = 1` is the reference raid itself.
pub fn scaled_reference(k: usize, duration: &str) -> String {
    let mut out = String::new();
    for (n, block) in REFERENCE_SCENARIO.split("\n[[").enumerate() {
        let block = if n == 0 { block.to_string() } else { format!("\n[[{block}") };
        let block = block.replacen("duration = \"20 min\"", &format!("duration = \"{duration}\""), 1);
        if !block.starts_with("\n[[threat]]") || k <= 1 {
            out.push_str(&block);
            continue;
        }
        let t0 = start_s(&block);
        for j in 0..k {
            let turned = turn_points(&block, std::f64::consts::TAU * j as f64 / k as f64);
            let mut copy = String::new();
            for line in turned.lines() {
                if let Some(name) = line.strip_prefix("name = \"") {
                    let (name, tail) = name.split_once('"').unwrap_or((name, ""));
                    copy.push_str(&format!("name = \"{name} axis {j}\"{tail}\n"));
                } else if line.starts_with("start = ") {
                    copy.push_str(&format!("start = \"{} s\"\n", t0 + 7.0 * (j % 10) as f64));
                } else {
                    copy.push_str(line);
                    copy.push('\n');
                }
            }
            out.push_str(&copy);
        }
    }
    out
}

fn scenario(k: usize) -> Scenario {
    let catalog = Catalog::embedded().expect("embedded catalog");
    let text = if k == 0 { REFERENCE_SCENARIO.to_string() } else { scaled_reference(k, SCALED_DURATION) };
    Scenario::from_str(&text, "bench scenario", &catalog).expect("the scaled scenario is valid")
}

/// One run: set-up, run, finish (and the six files written to `out` if given).
/// `BULWARK_BENCH_NO_EXPOSURE=1` leaves `exposure.csv` unrecorded, to price its recording.
fn run_once(s: &Scenario, out: Option<&std::path::Path>) -> usize {
    let record_exposure = std::env::var_os("BULWARK_BENCH_NO_EXPOSURE").is_none();
    let mut sim =
        Simulation::with_options(s, 1, SimOptions { record_exposure, ..SimOptions::default() }).expect("sets up");
    sim.run();
    let r = sim.finish();
    if let Some(dir) = out {
        r.write(dir).expect("outputs are written");
    }
    r.events.len()
}

/// `iters` runs, timed by CPU time when `cpu` (and the kernel exposes it), else wall-clock.
fn timed(iters: u64, cpu: bool, mut f: impl FnMut()) -> Duration {
    let (c0, w0) = (cpu_ns(), Instant::now());
    for _ in 0..iters {
        f();
    }
    match (cpu, c0, cpu_ns()) {
        (true, Some(a), Some(b)) => Duration::from_nanos(b.saturating_sub(a)),
        _ => w0.elapsed(),
    }
}

fn benches(c: &mut Criterion) {
    let cpu = std::env::var_os("BULWARK_BENCH_CPU").is_some();
    let reference = scenario(0);
    let dir = std::env::temp_dir().join(format!("bulwark-bench-{}", std::process::id()));
    let mut g = c.benchmark_group("reference");
    g.sample_size(10).measurement_time(Duration::from_secs(30));
    g.bench_function("run", |b| b.iter_custom(|n| timed(n, cpu, || _ = black_box(run_once(&reference, None)))));
    g.bench_function("run+write", |b| {
        b.iter_custom(|n| timed(n, cpu, || _ = black_box(run_once(&reference, Some(&dir)))))
    });
    g.bench_function("summary_only", |b| {
        b.iter_custom(|n| {
            timed(n, cpu, || {
                let mut sim = Simulation::with_options(&reference, 1, SimOptions::summary_only()).expect("sets up");
                sim.run();
                black_box(sim.finish().summary.steps);
            })
        })
    });
    g.finish();
    let _ = std::fs::remove_dir_all(&dir);
    let scales = std::env::var("BULWARK_BENCH_SCALES").unwrap_or_else(|_| "1,10".into());
    let mut g = c.benchmark_group("scaled");
    g.sample_size(10).measurement_time(Duration::from_secs(30));
    for k in scales.split(',').filter_map(|k| k.trim().parse::<usize>().ok()) {
        let s = scenario(k.max(1));
        g.bench_function(BenchmarkId::from_parameter(format!("{k}x")), |b| {
            b.iter_custom(|n| timed(n, cpu, || _ = black_box(run_once(&s, None))))
        });
    }
    g.finish();
}

/// One run of the k× raid (0: the reference run), with its CPU time per simulated second and
/// per threat.
fn one_shot(k: usize) {
    let s = scenario(k);
    let threats: u32 = s.threats.iter().map(|g| g.count).sum();
    let (c0, w0) = (cpu_ns(), Instant::now());
    let events = run_once(&s, None);
    let cpu_s = match (c0, cpu_ns()) {
        (Some(a), Some(b)) => b.saturating_sub(a) as f64 * 1e-9,
        _ => w0.elapsed().as_secs_f64(),
    };
    let sim_s = s.duration.as_secs_f64();
    println!(
        "k={k} threats={threats} simulated={sim_s} s events={events} cpu={cpu_s:.3} s \
         cpu_per_sim_s={:.2} ms cpu_per_threat_sim_s={:.1} us",
        1e3 * cpu_s / sim_s,
        1e6 * cpu_s / sim_s / f64::from(threats.max(1)),
    );
}

fn main() {
    if let Some(k) = std::env::var("BULWARK_BENCH_ONESHOT").ok().and_then(|k| k.parse().ok()) {
        one_shot(k);
        return;
    }
    let mut c = Criterion::default().configure_from_args();
    benches(&mut c);
    c.final_summary();
}
