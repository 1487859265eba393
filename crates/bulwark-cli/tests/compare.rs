//! `bulwark compare` as a person uses it: one column per system, the same bytes every time,
//! and a clear message for a system the catalog does not have.
use std::process::{Command, Output};

fn bulwark(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_bulwark")).args(args).output().expect("bulwark runs")
}

const SYSTEMS: [&str; 3] = ["s400", "s300pmu2", "patriot"];

#[test]
fn one_column_per_system_and_the_same_bytes_twice() {
    let json = std::env::temp_dir().join(format!("bulwark-cli-{}-compare.json", std::process::id()));
    let args = ["compare", "--systems", "s400,s300pmu2,patriot", "--seeds", "1", "--json", json.to_str().unwrap()];
    let first = bulwark(&args);
    assert!(first.status.success(), "{}", String::from_utf8_lossy(&first.stderr));
    let json_first = std::fs::read(&json).unwrap();
    // A second run on one thread: the output may not depend on scheduling either.
    let mut serial = args.to_vec();
    serial.extend(["--jobs", "1"]);
    let second = bulwark(&serial);
    assert!(second.status.success(), "{}", String::from_utf8_lossy(&second.stderr));
    assert_eq!(first.stdout, second.stdout, "stdout differs between two identical runs");
    assert_eq!(json_first, std::fs::read(&json).unwrap(), "JSON differs between two identical runs");

    let text = String::from_utf8(first.stdout).unwrap();
    let header = text.lines().find(|l| l.starts_with("system")).expect("a `system` header row");
    let columns: Vec<&str> = header.split_whitespace().skip(1).collect();
    assert_eq!(columns, SYSTEMS, "{text}");
    // Every measure row has one cell per system (cells hold no spaces with one seed).
    for measure in ["detected", "tracked", "engaged", "killed", "leaked"] {
        let rows: Vec<&str> = text.lines().filter(|l| l.trim_start().starts_with(measure)).collect();
        assert!(!rows.is_empty(), "no {measure} row in\n{text}");
        for r in rows {
            assert_eq!(r.split_whitespace().count(), 1 + SYSTEMS.len(), "row `{r}`");
        }
    }
    assert!(text.contains("cruise_missile") && text.contains("leakers"), "{text}");

    let doc: serde_json::Value = serde_json::from_slice(&json_first).unwrap();
    let ids: Vec<&str> = doc["systems"].as_array().unwrap().iter().map(|s| s["system"].as_str().unwrap()).collect();
    assert_eq!(ids, SYSTEMS);
    // Each system fires only its own interceptors.
    let fired = |i: usize| doc["systems"][i]["runs"][0]["interceptors_fired"].as_object().unwrap().clone();
    assert!(fired(2).keys().all(|k| k.starts_with("PAC-")), "{:?}", fired(2));
    assert!(fired(1).keys().all(|k| k == "48N6E2"), "{:?}", fired(1));
}

#[test]
fn an_unknown_system_is_bad_input_with_the_known_ones_listed() {
    let out = bulwark(&["compare", "--systems", "s400,thaad", "--seeds", "1"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("unknown system `thaad`"), "{err}");
    assert!(err.contains("patriot, s300pmu2, s300pmu2-regiment, s400, s400-regiment"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(out.stdout.is_empty(), "nothing is run before the systems are checked");
}
