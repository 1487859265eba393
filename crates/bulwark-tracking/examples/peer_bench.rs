//! Bulwark side of the peer benchmark against Stone Soup (see `benches/peers/README.md`).
//!
//! ```text
//! cargo run --release -p bulwark-tracking --example peer_bench -- \
//!     --detections detections.csv --config benches/peers/tracker.toml \
//!     --out tracks.csv --timing timing.json
//! ```
//!
//! Reads `scan,t_s,bearing_rad,range_m,truth_id` (bearing = atan2(y, x), as Stone Soup's
//! `CartesianToBearingRange` and our `BearingRange2D`), builds the tracker and the sensor from
//! the tracker TOML exactly as `bulwark track --config` does (`config::build_tracker`,
//! `config::build_sensors`), and writes the confirmed tracks at every scan
//! (`t_s,track_id,x_m,y_m,vx_mps,vy_mps`, coasting tracks predicted to the scan time).
//! Only the tracker's `process_scan` calls are timed; parsing, building detections and writing
//! tracks are not. The run is repeated `--repeat` times (default 3) from a fresh tracker and the
//! fastest is kept; the timing JSON gives wall-clock ms per scan and the thread's CPU ms per scan
//! (best run without the output extraction, from `/proc/thread-self/schedstat`).
use bulwark_core::SensorId;
use bulwark_tracking::config::{TrackerToml, build_sensors, build_tracker};
use bulwark_tracking::{Detection, MeasurementModel, MultiTargetTracker};
use nalgebra::DVector;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Arc;
use std::time::Instant;

/// One scan: its time (s) and its (bearing rad, range m) detections.
struct Scan {
    t_s: f64,
    z: Vec<[f64; 2]>,
}

/// Parses the detections file into scans 0..=max scan index; a scan with no detection gets
/// the time of the nearest earlier scan plus the mean scan period.
fn read_scans(text: &str) -> Result<Vec<Scan>, String> {
    let mut lines = text.lines().enumerate();
    let header = lines.next().map(|(_, l)| l.trim()).unwrap_or("");
    if !header.starts_with("scan,t_s,bearing_rad,range_m") {
        return Err(format!("detections: unexpected header `{header}`"));
    }
    let mut by_scan: BTreeMap<usize, Scan> = BTreeMap::new();
    for (n, line) in lines {
        if line.trim().is_empty() {
            continue;
        }
        let f: Vec<&str> = line.split(',').collect();
        if f.len() < 4 {
            return Err(format!("detections line {}: expected 5 fields", n + 1));
        }
        let num = |i: usize| f[i].trim().parse::<f64>().map_err(|e| format!("detections line {}: {e}", n + 1));
        let scan = f[0].trim().parse::<usize>().map_err(|e| format!("detections line {}: {e}", n + 1))?;
        let (t, b, r) = (num(1)?, num(2)?, num(3)?);
        by_scan.entry(scan).or_insert(Scan { t_s: t, z: Vec::new() }).z.push([b, r]);
    }
    let (Some((&first, s0)), Some((&last, s1))) = (by_scan.first_key_value(), by_scan.last_key_value()) else {
        return Ok(Vec::new());
    };
    let t_first = s0.t_s;
    let period = if last > first { (s1.t_s - t_first) / (last - first) as f64 } else { 1.0 };
    let mut scans = Vec::with_capacity(last + 1);
    for k in 0..=last {
        match by_scan.remove(&k) {
            Some(s) => scans.push(s),
            None => {
                let t = scans.last().map_or(t_first - (first - k) as f64 * period, |s: &Scan| s.t_s + period);
                scans.push(Scan { t_s: t, z: Vec::new() });
            }
        }
    }
    Ok(scans)
}

/// CPU time this thread has run, s (Linux `/proc/thread-self/schedstat`, first field in ns);
/// `None` elsewhere. Robust to a busy machine, unlike the wall clock.
fn thread_cpu_s() -> Option<f64> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    text.split_whitespace().next()?.parse::<f64>().ok().map(|ns| ns * 1e-9)
}

fn arg(args: &[String], name: &str) -> Option<String> {
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).cloned()
}

fn run() -> Result<(), String> {
    let args: Vec<String> = std::env::args().collect();
    let usage = "usage: peer_bench --detections FILE.csv --config tracker.toml --out tracks.csv \
                 [--timing timing.json] [--repeat R]";
    let (Some(det_path), Some(cfg_path), Some(out_path)) =
        (arg(&args, "--detections"), arg(&args, "--config"), arg(&args, "--out"))
    else {
        return Err(usage.to_string());
    };
    let repeat: usize = match arg(&args, "--repeat") {
        Some(r) => r.parse().ok().filter(|&r| r >= 1).ok_or_else(|| format!("bad --repeat `{r}`"))?,
        None => 3,
    };
    let read = |p: &str| std::fs::read_to_string(p).map_err(|e| format!("{p}: {e}"));
    let cfg_text = read(&cfg_path)?;
    let config = TrackerToml::parse(&cfg_text).map_err(|e| e.render(&cfg_path, &cfg_text))?;
    let scans = read_scans(&read(&det_path)?)?;
    let sensors = build_sensors(&config).map_err(|e| e.render(&cfg_path, &cfg_text))?;
    let model: Arc<dyn MeasurementModel> = match &sensors[..] {
        [s] if s.model.dim() == 2 => s.model.clone(),
        _ => return Err(format!("{cfg_path}: the benchmark needs exactly one 2-D (bearing, range) sensor")),
    };
    let inputs: Vec<Vec<Detection>> = scans
        .iter()
        .map(|s| {
            s.z.iter()
                .map(|z| Detection {
                    t_s: s.t_s,
                    z: DVector::from_column_slice(z),
                    model: model.clone(),
                    sensor: SensorId(1),
                })
                .collect()
        })
        .collect();
    let n_det: usize = inputs.iter().map(Vec::len).sum();

    // The whole run is repeated `repeat` times from a fresh tracker (identical results: the
    // tracker is deterministic); the fastest run is kept, as a busy machine only slows it.
    let mut out = String::from("t_s,track_id,x_m,y_m,vx_mps,vy_mps\n");
    let (mut best_s, mut best_worst_s) = (f64::INFINITY, 0.0);
    // CPU time of a whole run without the output extraction (runs after the first), s.
    let mut best_cpu_s: Option<f64> = None;
    for run in 0..repeat {
        let mut tracker: Box<dyn MultiTargetTracker> =
            build_tracker(&config).map_err(|e| e.render(&cfg_path, &cfg_text))?;
        let (mut busy_s, mut worst_s) = (0.0, 0.0_f64);
        let cpu0 = thread_cpu_s();
        for (scan, dets) in scans.iter().zip(&inputs) {
            let t0 = Instant::now();
            let report = tracker.process_scan(scan.t_s, dets);
            let dt = t0.elapsed().as_secs_f64();
            std::hint::black_box(&report);
            busy_s += dt;
            worst_s = worst_s.max(dt);
            if run > 0 {
                continue;
            }
            // Untimed: the confirmed tracks at the scan time (first run only).
            // Coasting tracks are extrapolated at constant velocity to the scan time.
            for t in tracker.live_tracks().filter(|t| t.status.is_confirmed()) {
                let dt = (scan.t_s - t.last_update_t).max(0.0);
                let m = &t.state;
                let (x, y) = (m[0] + m[3] * dt, m[1] + m[4] * dt);
                let _ = writeln!(out, "{},{},{:.3},{:.3},{:.4},{:.4}", scan.t_s, t.id.0, x, y, m[3], m[4]);
            }
        }
        if busy_s < best_s {
            (best_s, best_worst_s) = (busy_s, worst_s);
        }
        if let (true, Some(c0), Some(c1)) = (run > 0 || repeat == 1, cpu0, thread_cpu_s()) {
            best_cpu_s = Some(best_cpu_s.map_or(c1 - c0, |b: f64| b.min(c1 - c0)));
        }
    }
    std::fs::write(&out_path, out).map_err(|e| format!("{out_path}: {e}"))?;
    let n = scans.len().max(1) as f64;
    let cpu = best_cpu_s.map_or("null".to_string(), |c| format!("{:.6}", 1e3 * c / n));
    let timing = format!(
        "{{\"tracker\": \"bulwark\", \"scans\": {}, \"detections\": {n_det}, \"repeat\": {repeat}, \
         \"total_s\": {:.9}, \"ms_per_scan\": {:.6}, \"max_ms_per_scan\": {:.6}, \"cpu_ms_per_scan\": {cpu}}}\n",
        scans.len(),
        best_s,
        1e3 * best_s / n,
        1e3 * best_worst_s
    );
    match arg(&args, "--timing") {
        Some(p) => std::fs::write(&p, &timing).map_err(|e| format!("{p}: {e}"))?,
        None => print!("{timing}"),
    }
    Ok(())
}

fn main() {
    if let Err(e) = run() {
        eprintln!("peer_bench: {e}");
        std::process::exit(2);
    }
}
