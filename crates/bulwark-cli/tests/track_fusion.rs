//! `bulwark track` with two radars (examples/trackers/fusion-2radar.toml): the fused picture
//! beats either radar alone (GOSPA); radar 2's scans delivered late within `max_lag_s` are
//! applied out of sequence and give the in-order result (the reprocessing solution is exact for
//! the same associations, fusion.rs), later ones are rejected; both are counted.
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

fn temp_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("bulwark-fusion-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn example() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/trackers/fusion-2radar.toml")
}

/// xorshift64* with Box–Muller: deterministic noise without dependencies.
struct Noise(u64);
impl Noise {
    fn uniform(&mut self) -> f64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        ((self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    }
    fn normal(&mut self) -> f64 {
        (-2.0 * self.uniform().ln()).sqrt() * (std::f64::consts::TAU * self.uniform()).cos()
    }
}

const N_TARGETS: usize = 4;
const T_END: f64 = 60.0;
/// `[fusion] max_lag_s` of the example, s.
const MAX_LAG_S: f64 = 6.0;

/// Target `i` at `t`: (x, y, vx, vy), straight lines 30–54 km out, km apart.
fn target(i: usize, t: f64) -> [f64; 4] {
    let a = i as f64 * 1.05;
    let (r, v) = (30e3 + 8e3 * i as f64, 200.0 + 10.0 * i as f64);
    let h = a + 2.0;
    let (vx, vy) = (v * h.cos(), v * h.sin());
    [r * a.cos() + vx * t, r * a.sin() + vy * t, vx, vy]
}

/// The example's radars: (id, position m, σ bearing rad, σ range m, revisit period s).
const RADARS: [(u32, [f64; 2], f64, f64, f64); 2] =
    [(1, [0.0, 0.0], 0.3 * PI_180, 60.0, 1.0), (2, [40e3, -25e3], 0.15 * PI_180, 25.0, 2.5)];
const PI_180: f64 = std::f64::consts::PI / 180.0;

/// One scan of one radar: its index, time and CSV rows (P_D = 1, no clutter).
struct Scan {
    sensor: u32,
    k: usize,
    t: f64,
    rows: String,
}

/// Every scan of both radars up to T_END (seeded noise).
fn scans(seed: u64) -> Vec<Scan> {
    let mut rng = Noise(seed);
    let mut out = Vec::new();
    for (id, pos, sb, sr, period) in RADARS {
        let mut k = 0;
        while k as f64 * period <= T_END {
            let t = k as f64 * period;
            let mut rows = String::new();
            for i in 0..N_TARGETS {
                let [x, y, ..] = target(i, t);
                let (dx, dy) = (x - pos[0], y - pos[1]);
                let (b, r) = (dy.atan2(dx) + sb * rng.normal(), dx.hypot(dy) + sr * rng.normal());
                writeln!(rows, "{k},{t},{id},{b},{r}").unwrap();
            }
            out.push(Scan { sensor: id, k, t, rows });
            k += 1;
        }
    }
    out
}

/// Delay of radar 2's scan `k` at `t`, s: none near the start (tracks must exist before a
/// late scan's time) or the end (every scan delivered before the last); otherwise a cycle of
/// 0, 1.3, 0, 4.6 s (within the bound), and with `beyond` every 7th scan 9.2 s late (beyond:
/// by then radar 1 has scanned at least 8.2 s later).
fn delay(s: &Scan, beyond: bool) -> f64 {
    if s.sensor != 2 || s.t < 10.0 || s.t > T_END - 12.0 {
        return 0.0;
    }
    if beyond && s.k % 7 == 3 {
        return MAX_LAG_S + 3.2;
    }
    [0.0, 1.3, 0.0, 4.6][s.k % 4]
}

/// The detections CSV of the scans of `sensors`, in delivery order (time + delay; ties by
/// measurement time, then sensor), and how many detections are delivered late within the
/// bound and beyond it.
fn detections(scans: &[Scan], sensors: &[u32], delay: &dyn Fn(&Scan) -> f64) -> (String, usize, usize) {
    let mut order: Vec<(f64, &Scan)> =
        scans.iter().filter(|s| sensors.contains(&s.sensor)).map(|s| (s.t + delay(s), s)).collect();
    order.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.t.total_cmp(&b.1.t)).then(a.1.sensor.cmp(&b.1.sensor)));
    let mut csv = String::from("scan,t_s,sensor,bearing_rad,range_m\n");
    let (mut within, mut beyond) = (0, 0);
    for (d, s) in order {
        csv.push_str(&s.rows);
        if d - s.t > MAX_LAG_S {
            beyond += N_TARGETS;
        } else if d > s.t {
            within += N_TARGETS;
        }
    }
    (csv, within, beyond)
}

/// Truth every 0.5 s (every scan time of both radars).
fn truth() -> String {
    let mut csv = String::from("t_s,truth_id,x_m,y_m,vx_mps,vy_mps\n");
    for j in 0..=(2.0 * T_END) as usize {
        let t = j as f64 * 0.5;
        for i in 0..N_TARGETS {
            let [x, y, vx, vy] = target(i, t);
            writeln!(csv, "{t},{i},{x},{y},{vx},{vy}").unwrap();
        }
    }
    csv
}

struct Run {
    metrics: serde_json::Value,
    tracks: String,
}

fn run(dir: &Path, name: &str, det: &str, config: &Path) -> Run {
    let (d, g) = (dir.join(format!("{name}-det.csv")), dir.join("truth.csv"));
    let (out, json) = (dir.join(format!("{name}-tracks.csv")), dir.join(format!("{name}-metrics.json")));
    std::fs::write(&d, det).unwrap();
    std::fs::write(&g, truth()).unwrap();
    let p = |p: &Path| p.to_str().unwrap().to_string();
    let o = Command::new(env!("CARGO_BIN_EXE_bulwark"))
        .args(["track", "--detections", &p(&d), "--config", &p(config), "--out", &p(&out)])
        .args(["--truth", &p(&g), "--metrics-json", &p(&json)])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{name}: stdout:\n{stdout}\nstderr:\n{}", String::from_utf8_lossy(&o.stderr));
    eprintln!("{name}: {stdout}");
    Run {
        metrics: serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap(),
        tracks: std::fs::read_to_string(&out).unwrap(),
    }
}

fn gospa(r: &Run) -> f64 {
    r.metrics["gospa"]["mean_distance_m"].as_f64().unwrap()
}

fn fusion_count(r: &Run, key: &str) -> usize {
    r.metrics["fusion"][key].as_u64().unwrap_or_else(|| panic!("no fusion.{key} in {}", r.metrics)) as usize
}

#[test]
fn fused_late_delivery_beats_either_radar_and_counts_oosm() {
    let dir = temp_dir("gospa");
    let all = scans(0x9e37_79b9_7f4a_7c15);
    let (late_csv, n_within, n_beyond) = detections(&all, &[1, 2], &|s| delay(s, true));
    let fused = run(&dir, "fused", &late_csv, &example());
    let a = run(&dir, "radar1", &detections(&all, &[1], &|_| 0.0).0, &example());
    let b = run(&dir, "radar2", &detections(&all, &[2], &|_| 0.0).0, &example());
    let (gf, ga, gb) = (gospa(&fused), gospa(&a), gospa(&b));
    eprintln!("mean GOSPA: fused {gf:.1} m, radar 1 alone {ga:.1} m, radar 2 alone {gb:.1} m");
    assert!(gf < ga && gf < gb, "fused {gf} m, radar 1 {ga} m, radar 2 {gb} m");
    // Not only the earlier confirmation: the localisation part is smaller too.
    let loc = |r: &Run| r.metrics["gospa"]["mean_localisation"].as_f64().unwrap();
    assert!(loc(&fused) < loc(&a).min(loc(&b)), "{} {} {}", loc(&fused), loc(&a), loc(&b));
    // Late within the bound: applied (P_D = 1, no clutter, tracks km apart: each gates its
    // track); beyond it: rejected. Both counted exactly.
    assert!(n_within >= 20 && n_beyond >= 8, "{n_within} {n_beyond}");
    assert_eq!(fusion_count(&fused, "oosm_applied"), n_within, "{}", fused.metrics);
    assert_eq!(fusion_count(&fused, "oosm_unassociated"), 0);
    assert_eq!(fusion_count(&fused, "too_old"), n_beyond, "{}", fused.metrics);
    assert_eq!(fusion_count(&a, "oosm_applied") + fusion_count(&a, "too_old"), 0);
    // Every target tracked, no false track at the end.
    let last: Vec<&str> = fused.tracks.lines().filter(|l| l.starts_with(&format!("{T_END},"))).collect();
    assert_eq!(last.len(), N_TARGETS, "{last:?}");
}

/// The rows of the last block (t = T_END) as (track id, x, y), by id.
fn last_block(tracks: &str) -> Vec<(u64, f64, f64)> {
    let mut v: Vec<(u64, f64, f64)> = tracks
        .lines()
        .skip(1)
        .map(|l| l.split(',').map(|x| x.parse::<f64>().unwrap()).collect::<Vec<_>>())
        .filter(|r| r[0] == T_END)
        .map(|r| (r[1] as u64, r[2], r[3]))
        .collect();
    v.sort_by_key(|r| r.0);
    v
}

#[test]
fn late_delivery_within_the_bound_equals_time_order() {
    let dir = temp_dir("oosm");
    // A wide gate, so that every detection updates its target's track either way: the
    // reprocessing solution is exact for the same associations (fusion.rs), and only that is
    // tested here. The counts below check that every late detection was associated.
    let text = std::fs::read_to_string(example()).unwrap();
    assert!(text.contains("probability = 0.999\n"));
    let cfg = dir.join("wide-gate.toml");
    std::fs::write(&cfg, text.replace("probability = 0.999\n", "probability = 0.9999999\n")).unwrap();
    let all = scans(0x2545_f491_4f6c_dd1d);
    let (in_order, n0, _) = detections(&all, &[1, 2], &|_| 0.0);
    let (late, n_late, n_beyond) = detections(&all, &[1, 2], &|s| delay(s, false));
    assert_ne!(in_order, late);
    assert!(n0 == 0 && n_late >= 20 && n_beyond == 0);
    let (x, y) = (run(&dir, "in-order", &in_order, &cfg), run(&dir, "late", &late, &cfg));
    assert_eq!(fusion_count(&x, "oosm_applied"), 0);
    assert_eq!(fusion_count(&y, "oosm_applied"), n_late, "{}", y.metrics);
    assert_eq!(fusion_count(&y, "oosm_unassociated") + fusion_count(&y, "too_old"), 0);
    let (bx, by) = (last_block(&x.tracks), last_block(&y.tracks));
    assert_eq!(bx.len(), N_TARGETS);
    assert_eq!(bx.iter().map(|r| r.0).collect::<Vec<_>>(), by.iter().map(|r| r.0).collect::<Vec<_>>());
    for (p, q) in bx.iter().zip(&by) {
        let d = (p.1 - q.1).abs().max((p.2 - q.2).abs());
        assert!(d < 1e-6, "track {}: in order ({}, {}), late ({}, {}): {d} m", p.0, p.1, p.2, q.1, q.2);
    }
}

#[test]
fn one_sensor_through_fusion_equals_the_single_sensor_path() {
    // Radar 1's scans in time order: the two-sensor file (fusion front end) and the same file
    // with radar 2 and [fusion] removed (one `process` call per scan) write the same bytes.
    let dir = temp_dir("single");
    let text = std::fs::read_to_string(example()).unwrap();
    let (s2, f) = (text.find("[[sensor]]\nid = 2").unwrap(), text.find("[filter]").unwrap());
    let single = text[..s2].to_string() + &text[f..text.find("[fusion]").unwrap()];
    let cfg = dir.join("radar1.toml");
    std::fs::write(&cfg, single).unwrap();
    let det = detections(&scans(7), &[1], &|_| 0.0).0;
    let (x, y) = (run(&dir, "fusion", &det, &example()), run(&dir, "single", &det, &cfg));
    assert!(x.metrics.get("fusion").is_some() && y.metrics.get("fusion").is_none());
    assert_eq!(x.tracks, y.tracks);
    assert!(x.tracks.lines().count() > 100);
}
