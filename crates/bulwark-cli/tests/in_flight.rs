//! An honest end, as printed (issue 18 item 6): `bulwark run` on the reference scenario cut to
//! 4 minutes, while its cruise missiles (from ~200 km west at Mach 0.75) are still on their
//! way, warns on stderr, shows them in the table's `in flight` column and says so in
//! `summary.json` (`tests/cli.rs` checks the converse: the warning appears exactly when the
//! summary says the raid was cut short).
use std::process::Command;

fn run(duration: &str, name: &str) -> (String, String, serde_json::Value) {
    let dir = std::env::temp_dir().join(format!("bulwark-cli-{}-inflight-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let text =
        bulwark_engine::REFERENCE_SCENARIO.replacen("duration = \"20 min\"", &format!("duration = \"{duration}\""), 1);
    assert!(text.contains(&format!("duration = \"{duration}\"")), "the reference scenario has a 20 min duration");
    let path = dir.join("scenario.toml");
    std::fs::write(&path, text).unwrap();
    let out_dir = dir.join("out");
    let out = Command::new(env!("CARGO_BIN_EXE_bulwark"))
        .args(["run", path.to_str().unwrap(), "--seed", "1", "--out", out_dir.to_str().unwrap()])
        .output()
        .expect("bulwark runs");
    let (stdout, stderr) =
        (String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned());
    assert!(out.status.success(), "{stderr}");
    let summary = serde_json::from_str(&std::fs::read_to_string(out_dir.join("summary.json")).unwrap()).unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    (stdout, stderr, summary)
}

#[test]
fn a_run_that_ends_with_threats_airborne_says_so() {
    let (stdout, stderr, summary) = run("4 min", "short");
    let n = summary["in_flight"].as_u64().expect("in_flight");
    assert!(n > 0, "no threat airborne at 4 min: {summary}");
    assert_eq!(summary["ended_mid_raid"], true);
    assert!(
        stderr.contains(&format!("warning: the run ended at 240 s with {n} hostile object(s) still in flight")),
        "{stderr}"
    );
    assert!(stderr.contains("leakers") && stderr.contains("lower bound"), "{stderr}");
    // The table's total row carries the same count in its last (`in flight`) column.
    assert!(stdout.contains("in flight"), "{stdout}");
    let total = stdout.lines().find(|l| l.starts_with("total")).expect("a total row");
    assert_eq!(total.split_whitespace().last(), Some(n.to_string().as_str()), "{total}");
}
