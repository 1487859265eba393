//! Issue 19's command-line defects, one regression test each: a closed stdout pipe, a
//! negative number given to a numeric flag, an unwritable `--out` found before the run.
use std::process::{Command, Stdio};

fn bulwark() -> Command {
    Command::new(env!("CARGO_BIN_EXE_bulwark"))
}

/// `(sleep 0.3; bulwark catalog) | true` exited 101 with a panic message: the reader is
/// gone before the first write. Here the pipe's read end is closed before the start.
#[test]
fn closed_stdout_pipe_is_a_clean_exit() {
    for args in [
        &["catalog"][..],
        &["catalog", "show", "40N6E"],
        &["radar", "pd", "--swerling", "1", "--pfa", "1e-6", "--snr-db", "13"],
    ] {
        let (reader, writer) = std::io::pipe().expect("a pipe");
        drop(reader);
        let out = bulwark().args(args).stdout(writer).stderr(Stdio::piped()).output().expect("bulwark runs");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{args:?}: a closed pipe is a clean stop; stderr:\n{err}");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert!(err.is_empty(), "{args:?}: nothing to say about a reader that left: {err}");
    }
}

/// `--seed -1` got "unexpected argument '-1'"; it is a value the flag's parser rejects.
#[test]
fn a_negative_number_reaches_the_flags_parser() {
    let out = bulwark().args(["run", "--seed", "-1", "--out", "/dev/null/never"]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("invalid value '-1' for '--seed"), "{err}");
    assert!(!err.contains("unexpected argument"), "{err}");
}

/// A bad `--out` was found only after the whole simulation, as an "internal error".
#[test]
fn an_unwritable_out_dir_is_bad_input_before_the_run() {
    let out = bulwark().args(["run", "--out", "/dev/null/run"]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("--out /dev/null/run"), "{err}");
    assert!(!err.contains("internal error"), "{err}");
    // No timing assertion (the house rule); the summary would be printed had the run started.
    assert!(out.stdout.is_empty(), "the run must not have started");
}

/// A non-UTF-8 scenario said only "cannot read: stream did not contain valid UTF-8", with no
/// place. Now the scenario, a tracker TOML and a recorded-flights CSV each name the line and
/// column of the first bad byte (exit 2); a dotted key in the wrong table names its place too.
#[test]
fn non_utf8_files_and_dotted_keys_give_line_and_column() {
    let dir = std::env::temp_dir().join(format!("bulwark-cli-utf8-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let scenario = dir.join("s.toml");
    std::fs::write(&scenario, b"[scenario]\nname = \"caf\xe9\"\n").unwrap();
    let tracker = dir.join("t.toml");
    std::fs::write(&tracker, b"# ok\n[sensor]\n  x = \"\xff\"\n").unwrap();
    let det = dir.join("d.csv");
    std::fs::write(&det, "scan,t_s,bearing_rad,range_m\n0,0.0,0.5,1000\n").unwrap();
    let dotted = dir.join("dotted.toml");
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios/reference.toml")).unwrap();
    std::fs::write(&dotted, text.replacen("[scenario]\n", "[scenario]\nroe.state = \"weapons_free\"\n", 1)).unwrap();
    let cases: [(Vec<&str>, String); 3] = [
        (
            vec!["validate", scenario.to_str().unwrap()],
            format!("{}:2:12: error: not valid UTF-8 (byte 0xE9)", scenario.display()),
        ),
        (
            vec!["track", "--detections", det.to_str().unwrap(), "--config", tracker.to_str().unwrap()],
            format!("{}:3:8: error: not valid UTF-8 (byte 0xFF)", tracker.display()),
        ),
        (vec!["validate", dotted.to_str().unwrap()], format!("{}:5:1: error: unknown field `roe`", dotted.display())),
    ];
    for (args, want) in cases {
        let out = bulwark().args(&args).current_dir(&dir).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.starts_with(&want), "{args:?}: want `{want}`, got:\n{err}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// Exact duplicate rows of a recorded-flights CSV (as real feeds repeat them) were a hard
/// error; the first copy is kept and `validate` says how many were dropped.
#[test]
fn validate_counts_the_exact_duplicate_rows_of_recorded_flights() {
    let dir = std::env::temp_dir().join(format!("bulwark-cli-dups-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios/reference.toml")).unwrap();
    let start = text.find("callsign = \"NAT123\"").unwrap();
    let end = start + text[start..].find("\n[[civil]]").unwrap();
    let scenario = format!("{}csv = \"f.csv\"\ntype = \"airliner-widebody\"\n{}", &text[..start], &text[end..]);
    std::fs::write(dir.join("s.toml"), scenario).unwrap();
    let csv = "time,lat,lon,altitude_m,callsign\n0,40.65,-42.5,10000,NAT1\n0,40.65,-42.5,10000,NAT1\n\
               60,40.65,-42.4,10000,NAT1\n60,40.65,-42.4,10000,NAT1\n";
    std::fs::write(dir.join("f.csv"), csv).unwrap();
    let out = bulwark().args(["validate", dir.join("s.toml").to_str().unwrap()]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(text.contains("2 exact duplicate rows of recorded flights dropped (the first copy kept)"), "{text}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// The reference scenario's text with `from` (which must occur once) replaced by `to`, written
/// to `dir/name`.
fn reference_with(dir: &std::path::Path, name: &str, from: &str, to: &str) -> std::path::PathBuf {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios/reference.toml")).unwrap();
    assert_eq!(text.matches(from).count(), 1, "{from:?} must occur once in the reference scenario");
    let path = dir.join(name);
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    path
}

/// `validate` passed, and `run` exited 2 naming no place, for a ballistic launch equal to its
/// aim, an antipodal aim and a loft of 89.99°: both now refuse each at the aim's line:col,
/// `validate` before any run.
#[test]
fn an_unsolvable_ballistic_shot_is_refused_by_validate_at_its_aim() {
    let dir = std::env::temp_dir().join(format!("bulwark-cli-ballistic-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let aim = "aim = { lat = 40.135, lon = -40.00 }";
    let cases = [
        (
            "equal.toml",
            "launch = { lat = 38.30, lon = -41.50 }",
            "launch = { lat = 40.135, lon = -40.00 }",
            "closer than the minimum range",
        ),
        ("antipodal.toml", aim, "aim = { lat = -40.135, lon = 140.00 }", "beyond the maximum range"),
        ("loft.toml", aim, "aim = { lat = 40.135, lon = -40.00 }\nloft = \"89.99 deg\"", "did not converge"),
    ];
    for (name, from, to, why) in cases {
        let path = reference_with(&dir, name, from, to);
        let text = std::fs::read_to_string(&path).unwrap();
        // The aim's line and column, counted here independently of the crate.
        let at = text.find("aim = {").unwrap();
        let line = text[..at].matches('\n').count() + 1;
        let want = format!("{}:{line}:7: error: threat group `SRBM`", path.display());
        for cmd in ["validate", "run"] {
            let mut c = bulwark();
            c.arg(cmd).arg(&path);
            if cmd == "run" {
                c.arg("--out").arg(dir.join("out"));
            }
            let out = c.output().unwrap();
            let err = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(2), "{cmd} {name}: {err}");
            assert!(err.starts_with(&want) && err.contains(why), "{cmd} {name}: want `{want}` … `{why}`, got:\n{err}");
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// A user catalog whose radar `antenna_height` is "1e300 m" passed `validate` and reached the
/// tracker's pre-filter (index out of bounds); no length beyond 100,000 km is accepted.
#[test]
fn a_catalog_antenna_height_of_1e300_m_is_refused_at_its_value() {
    let dir = std::env::temp_dir().join(format!("bulwark-cli-antenna-{}", std::process::id()));
    let cat = dir.join("cat");
    std::fs::create_dir_all(&cat).unwrap();
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../catalog");
    for e in std::fs::read_dir(root).unwrap() {
        let p = e.unwrap().path();
        let text = std::fs::read_to_string(&p).unwrap();
        let text = if p.ends_with("s400.toml") {
            text.replacen("antenna_height = { value = \"10 m\"", "antenna_height = { value = \"1e300 m\"", 1)
        } else {
            text
        };
        std::fs::write(cat.join(p.file_name().unwrap()), text).unwrap();
    }
    let s = reference_with(&dir, "s.toml", "[scenario]\n", "[scenario]\ncatalog = \"cat\"\n");
    let out = bulwark().arg("validate").arg(&s).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("s400.toml:") && err.contains("antenna_height: \"1e300 m\" is beyond any length"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Thousands of `[[defence.reload]]` tables carried more rounds than a u32 counts, and the
/// reload total in summary.json wrapped; the unit's vehicles are limited at the table that
/// crosses the limit.
#[test]
fn reload_rounds_beyond_a_units_limit_are_refused_not_wrapped_in_the_summary() {
    let dir = std::env::temp_dir().join(format!("bulwark-cli-reload-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let table = "  [[defence.reload]]\n  count = 1000\n  missiles = { \"9M96E2\" = 1000 }\n";
    let from = "[[asset]]";
    let s = reference_with(&dir, "s.toml", from, &format!("{}{from}", table.repeat(5000)));
    let out = bulwark().arg("validate").arg(&s).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    // The second table brings the total to 2,000,000: its line is reported.
    let text = std::fs::read_to_string(&s).unwrap();
    let second = text.match_indices("[[defence.reload]]").nth(1).unwrap().0;
    let line = text[..second].matches('\n').count() + 1;
    assert!(err.starts_with(&format!("{}:{line}:", s.display())), "{err}");
    assert!(err.contains("carry 2000000 rounds so far, more than the 1000000"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Issue 19: only the first bad cell of a detections CSV was reported. Now `track` lists the
/// first 20, each at its line and column, and the count of all (exit 2). Oracle: the places
/// of the cells this test wrote (`bearing_rad` is the third column).
#[test]
fn many_bad_detection_cells_are_each_located_up_to_20_and_counted() {
    let dir = std::env::temp_dir().join(format!("bulwark-cli-cells-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let config = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/trackers/gnn-ekf-cv.toml");
    let mut csv = String::from("scan,t_s,bearing_rad,range_m\n");
    let mut want = Vec::new();
    for k in 0..60 {
        let bearing = if k % 2 == 0 { "east".to_string() } else { "0.5".to_string() };
        let row = format!("{k},{}.0,", 2 * k);
        if k % 2 == 0 {
            want.push(format!("d.csv:{}:{}: error: `bearing_rad`", k + 2, row.len() + 1));
        }
        csv.push_str(&format!("{row}{bearing},20000\n"));
    }
    std::fs::write(dir.join("d.csv"), csv).unwrap();
    let out = bulwark()
        .args(["track", "--detections", "d.csv", "--config", config, "--out", "t.csv"])
        .current_dir(&dir)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 21, "{err}");
    for (line, want) in lines.iter().zip(&want[..20]) {
        assert!(line.starts_with(want.as_str()), "{line} should start with {want}");
    }
    assert_eq!(lines[20], "d.csv: error: 30 errors in all (the first 20 shown)");
    assert!(!dir.join("t.csv").exists(), "no tracks are written from a file with bad cells");
    let _ = std::fs::remove_dir_all(&dir);
}
