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
fn run_writes_the_four_files_and_prints_the_summary() {
    let dir = temp_dir("run");
    let out = bulwark(&["run", "--seed", "3", "--out", dir.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("threat class") && stdout.contains("cruise_missile"), "{stdout}");
    for f in ["events.jsonl", "truth.csv", "tracks.csv", "summary.json"] {
        let p = dir.join(f);
        assert!(p.metadata().map(|m| m.len() > 0).unwrap_or(false), "{f} missing or empty");
        assert!(!dir.join(format!("{f}.tmp")).exists());
    }
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["seed"], 3);
    for key in ["threats", "interceptors_fired", "civil_engaged", "friendly_engaged"] {
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
