//! The `bulwark` binary as a person uses it: bad input exits 2 with file:line:col, never a
//! panic; the run writes its four files; the catalog shows sources.
use std::path::PathBuf;
use std::process::{Command, Output};

fn bulwark(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_bulwark")).args(args).output().expect("bulwark runs")
}

fn temp_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("bulwark-cli-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// The reference scenario with one line replaced, written to a temporary file; returns its
/// path and the 1-based line number of the replaced line.
fn broken(name: &str, find: &str, replace: &str) -> (PathBuf, usize) {
    let text = bulwark_engine::REFERENCE_SCENARIO;
    let line = text.lines().position(|l| l.contains(find)).expect("pattern in the reference scenario") + 1;
    let broken = text.replacen(find, replace, 1);
    let path = temp_dir(name).join("scenario.toml");
    std::fs::write(&path, broken).unwrap();
    (path, line)
}

fn assert_input_error(out: &Output, path: &std::path::Path, line: usize, needle: &str) {
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "exit status 2 for bad input; stderr:\n{err}");
    let prefix = format!("{}:{line}:", path.display());
    assert!(err.contains(&prefix), "expected {prefix}COL in:\n{err}");
    assert!(err.contains(needle), "expected `{needle}` in:\n{err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn bad_scenarios_exit_2_with_file_line_col() {
    let cases = [
        ("misspelt", "duration = \"20 min\"", "duraton = \"20 min\"", "duraton"),
        ("bad-unit", "speed = \"900 km/h\" }", "speed = \"25 kmh\" }", "kmh"),
        ("latitude", "site = { lat = 40.0,", "site = { lat = 123.0,", "123"),
        ("negative-count", "count = 6", "count = -6", "count"),
    ];
    for (name, find, replace, needle) in cases {
        let (path, line) = broken(name, find, replace);
        for cmd in ["validate", "run"] {
            let out = bulwark(&[cmd, path.to_str().unwrap()]);
            assert_input_error(&out, &path, line, needle);
        }
    }
}

#[test]
fn missing_file_is_bad_input_not_a_crash() {
    let out = bulwark(&["run", "/nonexistent/scenario.toml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent/scenario.toml"));
}

#[test]
fn run_writes_its_files_and_prints_the_summary() {
    let dir = temp_dir("run");
    let out = bulwark(&["run", "--seed", "3", "--out", dir.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("threat class") && stdout.contains("cruise_missile"), "{stdout}");
    // An honest end: the warning on stderr exactly when summary.json says the raid was cut short.
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("summary.json")).unwrap()).unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let mid_raid = summary["ended_mid_raid"].as_bool().expect("ended_mid_raid");
    assert_eq!(stderr.contains("still in flight"), mid_raid, "{stderr}");
    if mid_raid {
        let n = summary["in_flight"].as_u64().unwrap();
        assert!(stderr.contains(&format!("with {n} hostile object(s) still in flight")), "{stderr}");
    }
    for f in ["events.jsonl", "truth.csv", "tracks.csv", "summary.json", "timeline.csv"] {
        let p = dir.join(f);
        assert!(p.metadata().map(|m| m.len() > 0).unwrap_or(false), "{f} missing or empty");
        assert!(!dir.join(format!("{f}.tmp")).exists());
    }
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["seed"], 3);
    for key in [
        "threats",
        "interceptors_fired",
        "civil_engaged",
        "friendly_engaged",
        "expenditure",
        "timeline",
        "civil_fire_orders",
        "friendly_fire_orders",
    ] {
        assert!(!summary[key].is_null(), "summary.json lacks {key}");
    }
    for row in summary["threats"].as_array().unwrap() {
        for key in ["class", "count", "detected", "tracked", "engaged", "killed", "leaked"] {
            assert!(!row[key].is_null(), "threat row lacks {key}");
        }
    }
}

#[test]
fn catalog_lists_entries_and_shows_sources() {
    let out = bulwark(&["catalog"]);
    assert!(out.status.success());
    let list = String::from_utf8_lossy(&out.stdout);
    for id in
        ["91N6E", "92N6E", "96L6E", "40N6E", "48N6E3", "9M96E2", "MPQ-65", "PAC-3-MSE", "srbm", "airliner-widebody"]
    {
        assert!(list.contains(id), "catalog list lacks {id}");
    }
    let out = bulwark(&["catalog", "show", "40N6E"]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("400 km") || text.contains("400.0 km"), "{text}");
    assert!(text.to_lowercase().contains("source"), "{text}");
    let out = bulwark(&["catalog", "show", "no-such-thing"]);
    assert_eq!(out.status.code(), Some(2));
}

fn stdout_json(out: &Output) -> serde_json::Value {
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("one JSON object")
}

#[test]
fn radar_calculators_print_one_json_object() {
    // Swerling 1, one pulse, Pfa 1e-6: Pd = Pfa^(1/(1+SNR)) (Skolnik 3rd ed. §2.8), SNR 21.14 dB → 0.9.
    let v = stdout_json(&bulwark(&["radar", "pd", "--swerling", "1", "--snr-db", "21.14", "--pfa", "1e-6", "--json"]));
    let snr = 10f64.powf(2.114);
    assert!((v["pd"].as_f64().unwrap() - 1e-6f64.powf(1.0 / (1.0 + snr))).abs() < 1e-12);
    // Steady target, one pulse, Pd 0.9, Pfa 1e-6: 13.2 dB (Skolnik Fig. 2.7).
    let v = stdout_json(&bulwark(&["radar", "snr", "--swerling", "0", "--pd", "0.9", "--pfa", "1e-6", "--json"]));
    assert!((v["snr_db"].as_f64().unwrap() - 13.2).abs() < 0.1);
    // Range scales as σ^¼ (radar equation): 16× the RCS → 2× the range.
    let v = stdout_json(&bulwark(&["radar", "range", "--radar", "92N6E", "--rcs", "0.1 m2,1.6 m2", "--json"]));
    let r: Vec<f64> = v["ranges"].as_array().unwrap().iter().map(|x| x["range_m"].as_f64().unwrap()).collect();
    assert!((r[1] / r[0] - 2.0).abs() < 1e-9, "{r:?}");
    let bad = bulwark(&["radar", "pd", "--swerling", "5", "--snr-db", "3", "--pfa", "1e-6"]);
    assert_eq!(bad.status.code(), Some(2));
    let bad = bulwark(&["radar", "range", "--radar", "nope", "--rcs", "1 m2"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("92N6E"), "lists the radars");
}

/// Issue 19: `radar snr` printed "-inf dB" where Pd is so close to Pfa that the solver's answer
/// is an SNR of 0, and silently clamped a Pfa below the detectors' floor.
#[test]
fn radar_snr_minus_inf_db_is_an_error() {
    for args in [
        ["radar", "snr", "--swerling", "0", "--pd", "0.5000000000000001", "--pfa", "0.5"],
        ["radar", "snr", "--swerling", "3", "--pd", "1e-300", "--pfa", "1e-301"],
    ] {
        let out = bulwark(&args);
        let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        assert!(!stdout.contains("inf"), "{args:?}: {stdout}");
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stdout}{stderr}");
        assert!(stderr.contains("--p"), "{args:?}: names the flag: {stderr}");
    }
}

#[test]
fn coverage_writes_table_and_diagrams() {
    let dir = temp_dir("coverage");
    let out =
        bulwark(&["coverage", "s400", "--altitudes", "100 m,10 km", "--rcs", "1 m2", "--out", dir.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    for f in ["coverage.txt", "coverage.csv", "coverage.json", "coverage-map.svg", "vertical-92n6e.svg"] {
        assert!(dir.join(f).exists(), "{f}");
    }
    let table: serde_json::Value = serde_json::from_slice(&std::fs::read(dir.join("coverage.json")).unwrap()).unwrap();
    assert!(table.to_string().contains("92N6E"));
    let bad = bulwark(&["coverage", "no-such-system"]);
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn asterix_decode_reads_what_a_run_writes_and_rejects_garbage() {
    let dir = temp_dir("asterix");
    let scenario = dir.join("short.toml");
    std::fs::write(
        &scenario,
        bulwark_engine::REFERENCE_SCENARIO.replacen("duration = \"20 min\"", "duration = \"2 min\"", 1),
    )
    .unwrap();
    let ast = dir.join("feed.ast");
    let out = bulwark(&[
        "run",
        scenario.to_str().unwrap(),
        "--out",
        dir.join("run").to_str().unwrap(),
        "--quiet",
        "--asterix-out",
        ast.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let out = bulwark(&["asterix", "decode", ast.to_str().unwrap(), "--json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let cats: Vec<u64> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["category"].as_u64().unwrap())
        .collect();
    for c in [34, 48, 62] {
        assert!(cats.contains(&c), "CAT{c} in the feed");
    }
    let junk = dir.join("junk.ast");
    std::fs::write(&junk, [48, 0, 200, 1, 2, 3]).unwrap();
    let out = bulwark(&["asterix", "decode", junk.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("at byte 0") && !err.contains("panicked"), "{err}");
}
