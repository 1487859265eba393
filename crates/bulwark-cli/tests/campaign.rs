//! `bulwark campaign` as a person uses it: bad input exits 2 at file:line:col before any run,
//! `--only P:R` reproduces its row of `runs.csv`, shards merge to the single-process bytes.
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn bulwark(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_bulwark")).args(args).output().expect("bulwark runs")
}

fn data(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../bulwark-campaign/tests/data").join(name).display().to_string()
}

fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("bulwark-cli-{}-campaign-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    d
}

fn cells(csv: &str) -> Vec<Vec<String>> {
    csv.lines().map(|l| l.split(',').map(str::to_string).collect()).collect()
}

#[test]
fn bad_input_exits_2_at_its_place_before_any_run() {
    let dir = tmp("bad");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("c.toml");
    std::fs::write(
        &file,
        format!(
            "[campaign]\nname = \"bad\"\nscenario = \"{}\"\nreplications = 2\n[[factor]]\npath = \"defence.2nd battalion.system\"\nvalues = [\"s400\"]\n",
            data("small.toml")
        ),
    )
    .unwrap();
    let out_dir = dir.join("out");
    let out = bulwark(&["campaign", file.to_str().unwrap(), "--out", out_dir.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("c.toml:6:8: error:") && err.contains("1st battalion"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(!out_dir.exists(), "nothing is run or written before the campaign is valid");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn only_reproduces_its_row_and_shards_merge_to_the_same_bytes() {
    let campaign = data("counts.toml");
    let whole = tmp("whole");
    let out = bulwark(&["campaign", &campaign, "--out", whole.to_str().unwrap(), "--jobs", "2"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let runs = std::fs::read_to_string(whole.join("runs.csv")).unwrap();
    for f in ["runs.parquet", "points.csv", "points.parquet", "paired.csv", "report.md", "manifest.json"] {
        assert!(whole.join(f).exists(), "{f} is missing");
    }

    // Point 1, replication 1: the row of `--only` has the same value in every column it has.
    let one = tmp("only");
    let out = bulwark(&["campaign", &campaign, "--only", "1:1", "--out", one.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(one.join("summary.json").exists() && one.join("events.jsonl").exists());
    let only = cells(&std::fs::read_to_string(one.join("runs.csv")).unwrap());
    let all = cells(&runs);
    let row = all.iter().find(|r| r[0] == "1" && r[1] == "1").expect("row 1:1");
    assert_eq!(only.len(), 2);
    for (name, value) in only[0].iter().zip(&only[1]) {
        let k = all[0].iter().position(|h| h == name).unwrap_or_else(|| panic!("column {name}"));
        assert_eq!(&row[k], value, "column {name}");
    }
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(one.join("summary.json")).unwrap()).unwrap();
    let k = all[0].iter().position(|h| h == "leakers").unwrap();
    assert_eq!(summary["leakers"].to_string(), row[k]);

    // Two shards from Slurm's variables into one directory, merged.
    let shared = tmp("shared");
    for id in ["0", "1"] {
        let out = Command::new(env!("CARGO_BIN_EXE_bulwark"))
            .args(["campaign", &campaign, "--out", shared.to_str().unwrap(), "--shard", "auto", "--jobs", "1"])
            .env("SLURM_ARRAY_TASK_ID", id)
            .env("SLURM_ARRAY_TASK_COUNT", "2")
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    let merged = tmp("merged");
    let out = bulwark(&["campaign", "merge", shared.to_str().unwrap(), "--out", merged.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(runs, std::fs::read_to_string(merged.join("runs.csv")).unwrap());
    for d in [whole, one, shared, merged] {
        let _ = std::fs::remove_dir_all(d);
    }
}
