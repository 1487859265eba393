//! `validate` and `run` refuse a run whose estimated cost is absurd before its first step, as a
//! person sees it: exit 2, the scenario file named, the reason and the flag that overrides
//! (issue 19: `time_step = "1 ns"` was accepted and hung).
use std::process::Command;

fn scenario_with(name: &str, find: &str, replace: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("bulwark-cli-budget-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("scenario.toml");
    let text = bulwark_engine::REFERENCE_SCENARIO.replacen(find, replace, 1);
    assert_ne!(text, bulwark_engine::REFERENCE_SCENARIO);
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn a_nanosecond_time_step_is_refused_by_validate_and_run_until_overridden() {
    let path = scenario_with("ns", "time_step = \"0.1 s\"", "time_step = \"1 ns\"");
    let p = path.to_str().unwrap();
    let out_dir = path.with_file_name("out");
    for args in [vec!["validate", p], vec!["run", p, "--out", out_dir.to_str().unwrap()]] {
        let out = Command::new(env!("CARGO_BIN_EXE_bulwark")).args(&args).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.starts_with(&format!("{p}: error: this run is estimated to need up to")), "{args:?}: {err}");
        assert!(err.contains("1200000000000 steps") && err.contains("--max-cpu-hours"), "{err}");
        assert!(!out_dir.exists(), "refused before the run: no output directory");
    }
    // The override lets `validate` pass and prints the estimate.
    let out =
        Command::new(env!("CARGO_BIN_EXE_bulwark")).args(["validate", p, "--max-cpu-hours", "1e9"]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(text.contains("estimated at most") && text.contains(" h CPU"), "{text}");
    let _ = std::fs::remove_dir_all(path.parent().unwrap());
}

#[test]
fn the_override_flags_take_positive_numbers_only() {
    let out = Command::new(env!("CARGO_BIN_EXE_bulwark")).args(["run", "--max-memory-gb", "-3"]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("\"-3\" is not a positive number"), "{err}");
}

/// Issue 19: `validate` passed a ballistic launch equal to its aim that `run` then refused.
/// `validate` builds the engine's set-up too, so it refuses first, with the same reason at the
/// aim's line and column.
#[test]
fn validate_refuses_what_run_would_refuse() {
    let find = "aim = { lat = 40.135, lon = -40.00 }";
    let line = bulwark_engine::REFERENCE_SCENARIO.lines().position(|l| l.contains(find)).unwrap() + 1;
    let path = scenario_with("aim", find, "aim = { lat = 38.30, lon = -41.50 }");
    let p = path.to_str().unwrap();
    let run_out = path.with_file_name("out");
    let mut reasons = Vec::new();
    for args in [vec!["validate", p], vec!["run", p, "--out", run_out.to_str().unwrap()]] {
        let out = Command::new(env!("CARGO_BIN_EXE_bulwark")).args(&args).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{err}");
        reasons.push(err.lines().find(|l| l.contains(": error: ")).unwrap_or_default().to_string());
    }
    assert!(reasons[0].starts_with(&format!("{p}:{line}:7: error: ")), "{}", reasons[0]);
    assert_eq!(reasons[0], reasons[1], "validate and run give the same reason");
    let _ = std::fs::remove_dir_all(path.parent().unwrap());
}

/// Runs `bulwark ARGS` under a 2 GB address-space limit (`ulimit -v`), as a user's shell would
/// cap it: exit status and stderr.
fn capped(args: &str) -> (Option<i32>, String) {
    let cmd = format!("ulimit -v 2000000; exec {} {args}", env!("CARGO_BIN_EXE_bulwark"));
    let out = Command::new("sh").args(["-c", &cmd]).output().unwrap();
    (out.status.code(), String::from_utf8_lossy(&out.stderr).into_owned())
}

/// Issue 19: `compare --seeds 4294967295` asked for 34 GB (its list of seeds) before running.
/// Now the whole comparison's estimate is checked first: exit 2, the reason, the override,
/// under a 2 GB cap (an allocation of the seeds would abort instead).
#[test]
fn compare_with_4294967295_seeds_is_refused_before_allocating() {
    let (code, err) = capped("compare --seeds 4294967295");
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("error: these ") && err.contains(" runs are estimated to need up to"), "{err}");
    assert!(err.contains("--max-cpu-hours") && !err.contains("memory allocation"), "{err}");
    // The limits are the same flags as `run`'s: a tiny CPU limit refuses two seeds.
    let (code, err) = capped("compare --seeds 2 --systems s400 --max-cpu-hours 1e-9");
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("these 2 runs are estimated"), "{err}");
}

/// The same for `campaign`: fifty million replications (under the file's own 100-million cap) are refused at the campaign file, before
/// any run or output directory.
#[test]
fn campaign_with_fifty_million_replications_is_refused_before_running() {
    let dir = std::env::temp_dir().join(format!("bulwark-cli-budget-{}-campaign", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("huge.toml");
    std::fs::write(&file, "[campaign]\nname = \"huge\"\nscenario = \"reference\"\nreplications = 50000000\n").unwrap();
    let out = dir.join("out");
    let (code, err) = capped(&format!("campaign {} --out {}", file.display(), out.display()));
    assert_eq!(code, Some(2), "{err}");
    assert!(err.starts_with(&format!("{}: error: these 50000000 runs are estimated", file.display())), "{err}");
    assert!(!out.exists(), "refused before any output");
    let _ = std::fs::remove_dir_all(&dir);
}
