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
