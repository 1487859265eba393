//! Issue 19's output defects, one regression test each: a killed run, or two runs into one
//! `--out`, left a directory mixing two runs; `--asterix-out` and `--asterix-pcap` were left
//! truncated under their final names; one path for both wrote a corrupt file with exit 0.
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

fn bulwark() -> Command {
    Command::new(env!("CARGO_BIN_EXE_bulwark"))
}

fn scratch(tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("bulwark-cli-rundir-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Every file of a directory by name, with its bytes.
fn contents(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (e.file_name().into_string().unwrap(), std::fs::read(e.path()).unwrap())
        })
        .collect()
}

fn run(seed: &str, out: &Path) -> std::process::Output {
    bulwark().args(["run", "--quiet", "--seed", seed, "--out", out.to_str().unwrap()]).output().unwrap()
}

/// A finished run of each seed, to compare what is left under the final name against.
fn references(root: &Path) -> (BTreeMap<String, Vec<u8>>, BTreeMap<String, Vec<u8>>) {
    let (r1, r2) = (root.join("ref1"), root.join("ref2"));
    assert!(run("1", &r1).status.success());
    assert!(run("2", &r2).status.success());
    (contents(&r1), contents(&r2))
}

#[test]
fn a_killed_run_leaves_the_previous_run_or_its_own_whole() {
    let root = scratch("killed");
    let (seed1, seed2) = references(&root);
    let out = root.join("out");
    assert!(run("1", &out).status.success());
    // Kill points from set-up to the end of writing (a run takes about a second here; later
    // points find it finished, which must also leave a whole run).
    for delay_ms in [30u64, 150, 400, 700, 1000, 1500, 2500] {
        let mut child = bulwark()
            .args(["run", "--quiet", "--seed", "2", "--out", out.to_str().unwrap()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        let left = contents(&out);
        assert!(
            left == seed1 || left == seed2,
            "killed after {delay_ms} ms: {out:?} holds neither whole run: {:?}",
            left.keys().collect::<Vec<_>>()
        );
        // Put the seed-1 run back for the next kill point.
        assert!(run("1", &out).status.success());
    }
    // The next run cleans up what the killed ones left beside the directory.
    let beside: Vec<String> =
        std::fs::read_dir(&root).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    assert!(beside.iter().all(|n| !n.contains(".partial-") && !n.contains(".replaced-")), "{beside:?}");
    std::fs::remove_dir_all(&root).unwrap();
}

#[test]
fn two_runs_into_one_out_never_mix() {
    let root = scratch("concurrent");
    let (seed1, seed2) = references(&root);
    let out = root.join("out");
    for _ in 0..3 {
        let spawn = |seed: &str| {
            bulwark()
                .args(["run", "--quiet", "--seed", seed, "--out", out.to_str().unwrap()])
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        };
        let (a, b) = (spawn("1"), spawn("2"));
        let (a, b) = (a.wait_with_output().unwrap(), b.wait_with_output().unwrap());
        for o in [&a, &b] {
            let err = String::from_utf8_lossy(&o.stderr);
            // Either it ran, or it was refused as bad input because the other held the lock.
            assert!(
                o.status.success() || (o.status.code() == Some(2) && err.contains("another run is writing")),
                "{:?}: {err}",
                o.status
            );
        }
        assert!(a.status.success() || b.status.success(), "one of the two runs must land");
        let left = contents(&out);
        assert!(left == seed1 || left == seed2, "a mixed directory: {:?}", left.keys().collect::<Vec<_>>());
    }
    std::fs::remove_dir_all(&root).unwrap();
}

#[test]
fn a_directory_that_is_not_a_run_is_refused_before_the_run() {
    let root = scratch("foreign");
    std::fs::write(root.join("notes.txt"), "mine").unwrap();
    let out = bulwark().args(["run", "--out", root.to_str().unwrap()]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("no summary.json"), "{err}");
    assert!(out.stdout.is_empty(), "the run must not have started");
    assert_eq!(std::fs::read_to_string(root.join("notes.txt")).unwrap(), "mine");
    std::fs::remove_dir_all(&root).unwrap();
}

#[test]
fn one_file_for_both_asterix_feeds_is_refused() {
    let root = scratch("same-feed");
    let feed = root.join("feed.ast");
    let same = root.join(".").join("feed.ast");
    let out = bulwark()
        .args(["run", "--out", root.join("run").to_str().unwrap()])
        .args(["--asterix-out", feed.to_str().unwrap(), "--asterix-pcap", same.to_str().unwrap()])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("both name"), "{err}");
    assert!(!feed.exists() && !root.join("run").exists(), "nothing is written");
    std::fs::remove_dir_all(&root).unwrap();
}

#[test]
fn asterix_feeds_appear_only_when_complete() {
    let root = scratch("feed");
    let (raw, pcap) = (root.join("feed.ast"), root.join("feed.pcap"));
    let out = bulwark()
        .args(["run", "--quiet", "--out", root.join("run").to_str().unwrap()])
        .args(["--asterix-out", raw.to_str().unwrap(), "--asterix-pcap", pcap.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(std::fs::metadata(&raw).unwrap().len() > 0 && std::fs::metadata(&pcap).unwrap().len() > 0);
    let names: Vec<String> =
        std::fs::read_dir(&root).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    assert!(names.iter().all(|n| !n.ends_with(".tmp")), "no partial file is left: {names:?}");
    std::fs::remove_dir_all(&root).unwrap();
}
