//! `bulwark track --detections`: a generated scenario goes round trip (tracks found, GOSPA
//! small), and bad input exits 2 with file:line:col.
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn bulwark(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_bulwark")).args(args).output().expect("bulwark runs")
}

fn temp_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("bulwark-track-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn example(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/trackers").join(name)
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

/// Targets (x0, y0, z0, vx, vy, vz) flown at constant velocity; scans every 2 s.
const TARGETS: [[f64; 6]; 3] = [
    [10_000.0, 0.0, 1000.0, -150.0, 100.0, 0.0],
    [0.0, 15_000.0, 3000.0, 120.0, -80.0, 5.0],
    [-8_000.0, -8_000.0, 500.0, 0.0, 200.0, -2.0],
];
const SCANS: usize = 40;
const DT: f64 = 2.0;

/// Writes detections (with clutter) and truth; `three_d` adds elevation, range rate and z.
fn scenario(dir: &Path, three_d: bool) -> (PathBuf, PathBuf) {
    let mut rng = Noise(0x9e37_79b9_7f4a_7c15);
    let (sb, sr, se, srr) = if three_d { (0.15f64, 30.0, 0.3f64, 2.0) } else { (0.2f64, 50.0, 0.0, 0.0) };
    let (sb, se) = (sb.to_radians(), se.to_radians());
    let sensor_z = if three_d { 10.0 } else { 0.0 };
    let mut det = String::from(if three_d {
        "scan,t_s,sensor,bearing_rad,range_m,elevation_rad,range_rate_mps,note\n"
    } else {
        "scan,t_s,bearing_rad,range_m,note\n"
    });
    let mut truth = String::from(if three_d {
        "t_s,truth_id,x_m,y_m,z_m,vx_mps,vy_mps,vz_mps\n"
    } else {
        "t_s,truth_id,x_m,y_m,vx_mps,vy_mps\n"
    });
    for k in 0..SCANS {
        let t = k as f64 * DT;
        for (i, tg) in TARGETS.iter().enumerate() {
            let (x, y, z) = (tg[0] + tg[3] * t, tg[1] + tg[4] * t, tg[2] + tg[5] * t);
            if three_d {
                writeln!(truth, "{t},{i},{x},{y},{z},{},{},{}", tg[3], tg[4], tg[5]).unwrap();
                let dz = z - sensor_z;
                let r = (x * x + y * y + dz * dz).sqrt();
                let rr = (x * tg[3] + y * tg[4] + dz * tg[5]) / r;
                let b = y.atan2(x) + sb * rng.normal();
                let e = dz.atan2(x.hypot(y)) + se * rng.normal();
                writeln!(det, "{k},{t},1,{b},{},{e},{},target", r + sr * rng.normal(), rr + srr * rng.normal())
                    .unwrap();
            } else {
                writeln!(truth, "{t},{i},{x},{y},{},{}", tg[3], tg[4]).unwrap();
                let b = y.atan2(x) + sb * rng.normal();
                writeln!(det, "{k},{t},{b},{},target", x.hypot(y) + sr * rng.normal()).unwrap();
            }
        }
        // One clutter detection per scan anywhere in 2–30 km.
        let (b, r) = (std::f64::consts::TAU * rng.uniform() - std::f64::consts::PI, 2000.0 + 28_000.0 * rng.uniform());
        if three_d {
            writeln!(det, "{k},{t},1,{b},{r},{},{},clutter", 0.2 * rng.uniform(), 300.0 * rng.normal()).unwrap();
        } else {
            writeln!(det, "{k},{t},{b},{r},clutter").unwrap();
        }
    }
    let (d, g) = (dir.join("detections.csv"), dir.join("truth.csv"));
    std::fs::write(&d, det).unwrap();
    std::fs::write(&g, truth).unwrap();
    (d, g)
}

fn round_trip(three_d: bool, config: &Path) {
    let dir = temp_dir(if three_d { "rt3" } else { "rt2" });
    let (det, truth) = scenario(&dir, three_d);
    let (tracks, json) = (dir.join("tracks.csv"), dir.join("metrics.json"));
    let out = bulwark(&[
        "track",
        "--detections",
        det.to_str().unwrap(),
        "--config",
        config.to_str().unwrap(),
        "--out",
        tracks.to_str().unwrap(),
        "--truth",
        truth.to_str().unwrap(),
        "--metrics-json",
        json.to_str().unwrap(),
    ]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "stdout:\n{stdout}\nstderr:\n{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("GOSPA") && stdout.contains("OSPA") && stdout.contains("SIAP"), "{stdout}");

    let csv = std::fs::read_to_string(&tracks).unwrap();
    let mut lines = csv.lines();
    let header =
        if three_d { "t_s,track_id,x_m,y_m,z_m,vx_mps,vy_mps,vz_mps" } else { "t_s,track_id,x_m,y_m,vx_mps,vy_mps" };
    assert_eq!(lines.next(), Some(header));
    let rows: Vec<Vec<f64>> = lines.map(|l| l.split(',').map(|v| v.parse().unwrap()).collect()).collect();
    let mut ids: Vec<u64> = rows.iter().map(|r| r[1] as u64).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 3, "three confirmed tracks, no false one: {ids:?}");
    // In the last scan every target has a track within 150 m.
    let t_end = (SCANS - 1) as f64 * DT;
    for tg in TARGETS {
        let (x, y) = (tg[0] + tg[3] * t_end, tg[1] + tg[4] * t_end);
        let best =
            rows.iter().filter(|r| r[0] == t_end).map(|r| (r[2] - x).hypot(r[3] - y)).fold(f64::INFINITY, f64::min);
        assert!(best < 150.0, "nearest track {best} m from target at the last scan");
    }

    let m: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    let gospa = m["gospa"]["mean_distance_m"].as_f64().unwrap();
    // Each target is missed until confirmed (3 scans: GOSPA √(3·c²/2) ≈ 1225 m at c = 1 km),
    // then only localisation error remains.
    assert!(gospa < 250.0, "mean GOSPA {gospa} m");
    assert!(m["gospa"]["mean_false"].as_f64().unwrap() < 1.0);
    assert!(m["siap"]["completeness"].as_f64().unwrap() > 0.85, "{m}");
    assert_eq!(m["siap"]["spuriousness"].as_f64().unwrap(), 0.0, "{m}");
    assert!(m["siap"]["position_accuracy_m"].as_f64().unwrap() < 100.0, "{m}");
    assert!(m["siap"]["velocity_accuracy_mps"].as_f64().unwrap() < 30.0, "{m}");
}

#[test]
fn planar_scenario_round_trip() {
    round_trip(false, &example("gnn-ekf-cv.toml"));
}

#[test]
fn three_d_scenario_round_trip() {
    round_trip(true, &example("radar-3d-gnn.toml"));
}

fn assert_input_error(out: &Output, prefix: &str, needle: &str) {
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "exit status 2 for bad input; stderr:\n{err}");
    assert!(err.contains(prefix), "expected `{prefix}` in:\n{err}");
    assert!(err.contains(needle), "expected `{needle}` in:\n{err}");
    assert!(!err.contains("panicked"), "{err}");
}

fn track(det: &Path, cfg: &Path, dir: &Path) -> Output {
    let out = dir.join("tracks.csv");
    bulwark(&[
        "track",
        "--detections",
        det.to_str().unwrap(),
        "--config",
        cfg.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ])
}

#[test]
fn bad_detections_are_reported_with_line_and_column() {
    let dir = temp_dir("bad-csv");
    let cfg = example("gnn-ekf-cv.toml");
    let det = dir.join("d.csv");

    std::fs::write(&det, "scan,t_s,bearing_rad\n0,0.0,0.1\n").unwrap();
    assert_input_error(&track(&det, &cfg, &dir), &format!("{}:1:1:", det.display()), "missing column `range_m`");

    // Line 3, field 4: column 1 + "1," + "2.0," + "0.5," = 11.
    std::fs::write(&det, "scan,t_s,bearing_rad,range_m\n0,0.0,0.5,1000\n1,2.0,0.5,abc\n").unwrap();
    assert_input_error(
        &track(&det, &cfg, &dir),
        &format!("{}:3:11:", det.display()),
        "`range_m`: expected a finite number, got `abc`",
    );

    std::fs::write(&det, "scan,t_s,bearing_rad,range_m\n5,0.0,0.5,1000\n4,2.0,0.5,1000\n").unwrap();
    assert_input_error(&track(&det, &cfg, &dir), &format!("{}:3:1:", det.display()), "rows must be ordered by scan");

    std::fs::write(&det, "scan,t_s,bearing_rad,range_m,sensor\n0,0.0,0.5,1000,7\n").unwrap();
    assert_input_error(
        &track(&det, &cfg, &dir),
        &format!("{}:2:", det.display()),
        "sensor 7 is not in the tracker TOML",
    );
}

/// Issue 19: detections at ±1e280 m made the tracker's pre-filter index out of bounds, ±1e19 m
/// asked for 9.4 GB, and a scan time of 1e308 wrote infinite positions with exit 0: values
/// past `detection_limits` are now rejected where they enter, with the row and column.
#[test]
fn detections_past_the_limits_are_rejected_with_line_and_column() {
    let dir = temp_dir("far-csv");
    let det = dir.join("d.csv");
    let cart = dir.join("cart.toml");
    std::fs::write(
        &cart,
        "[sensor]\nmeasurement = \"cartesian\"\nsigma_position_m = 10.0\n[initiator]\nm = 2\nn = 3\n",
    )
    .unwrap();
    std::fs::write(&det, "scan,t_s,x_m,y_m,z_m\n0,0.0,1e280,-1e280,0\n1,1.0,-1e280,1e280,0\n").unwrap();
    assert_input_error(&track(&det, &cart, &dir), &format!("{}:2:7:", det.display()), "`x_m` must lie in");
    std::fs::write(&det, "scan,t_s,x_m,y_m\n0,0.0,1,2\n1,1.0,1e19,-1e19\n").unwrap();
    assert_input_error(&track(&det, &cart, &dir), &format!("{}:3:7:", det.display()), "`x_m` must lie in");
    let cfg = example("gnn-ekf-cv.toml");
    std::fs::write(&det, "scan,t_s,bearing_rad,range_m\n0,0.0,0.5,1000\n1,1e308,0.5,1000\n").unwrap();
    assert_input_error(&track(&det, &cfg, &dir), &format!("{}:3:3:", det.display()), "`t_s` must lie in");
}

#[test]
fn bad_tracker_toml_is_reported_with_line_and_column() {
    let dir = temp_dir("bad-toml");
    let det = dir.join("d.csv");
    std::fs::write(&det, "scan,t_s,bearing_rad,range_m\n0,0.0,0.5,1000\n").unwrap();
    let text = std::fs::read_to_string(example("gnn-ekf-cv.toml")).unwrap();
    let line_of = |t: &str, pat: &str| t.lines().position(|l| l.starts_with(pat)).unwrap() + 1;
    let cfg = dir.join("tracker.toml");

    let bad = text.replace("misses = 3", "misses = 3\nmisess = 4");
    std::fs::write(&cfg, &bad).unwrap();
    assert_input_error(
        &track(&det, &cfg, &dir),
        &format!("{}:{}:1:", cfg.display(), line_of(&bad, "misess")),
        "unknown field `misess`",
    );

    let bad = text.replace("kind = \"gnn\"", "kind = \"jpda\"");
    std::fs::write(&cfg, &bad).unwrap();
    let line = line_of(&bad, "kind = \"jpda\"");
    assert_input_error(
        &track(&det, &cfg, &dir),
        &format!("{}:{line}:8:", cfg.display()),
        "associator `jpda` needs `detection_probability`",
    );

    let bad = text.replace("q = 1.0 ", "q = \"fast\" ");
    std::fs::write(&cfg, &bad).unwrap();
    assert_input_error(
        &track(&det, &cfg, &dir),
        &format!("{}:{}:5:", cfg.display(), line_of(&bad, "q = ")),
        "invalid type",
    );
}

#[test]
fn asterix_and_detections_modes_exclude_each_other() {
    let out = bulwark(&["track", "--asterix", "a.ast", "--detections", "d.csv", "--config", "c.toml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot be used with"));
    let out = bulwark(&["track", "--detections", "d.csv"]);
    assert_eq!(out.status.code(), Some(2), "--config is required with --detections");
}
