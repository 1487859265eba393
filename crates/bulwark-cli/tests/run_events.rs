//! `bulwark run --events engagements`: a log without the bulk of radar plots and false-alarm
//! tracks (issue 13), and every other file exactly as a full run writes it.
use std::path::Path;
use std::process::Command;

fn run(out: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["run", "--quiet", "--seed", "3", "--out", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    Command::new(env!("CARGO_BIN_EXE_bulwark")).args(args).output().unwrap()
}

#[test]
fn an_engagements_log_leaves_out_the_plots_and_changes_nothing_else() {
    let root = std::env::temp_dir().join(format!("bulwark-cli-events-{}", std::process::id()));
    let (full, lean) = (root.join("full"), root.join("lean"));
    assert!(run(&full, &[]).status.success());
    let out = run(&lean, &["--events", "engagements"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    for name in ["summary.json", "timeline.csv", "truth.csv", "tracks.csv", "threats.csv", "fratricide.csv"] {
        let (a, b) = (std::fs::read(full.join(name)).unwrap(), std::fs::read(lean.join(name)).unwrap());
        assert!(a == b, "{name} differs");
    }
    let (a, b) = (
        std::fs::read_to_string(full.join("events.jsonl")).unwrap(),
        std::fs::read_to_string(lean.join("events.jsonl")).unwrap(),
    );
    for kind in ["detection", "iff_reply", "track_initiated"] {
        let tag = format!("\"event\":\"{kind}\"");
        assert!(a.contains(&tag) && !b.contains(&tag), "{kind}");
    }
    // The engagement events are the same, in the same order.
    let engagements = |s: &str| {
        s.lines()
            .filter(|l| l.contains("\"event\":\"fire_order\"") || l.contains("\"event\":\"entity_killed\""))
            .map(str::to_owned)
            .collect::<Vec<_>>()
    };
    assert!(!engagements(&a).is_empty());
    assert_eq!(engagements(&a), engagements(&b));
    assert!(b.len() * 20 < a.len(), "{} of {} bytes", b.len(), a.len());
    // A feed needs the plots: refused, before the run, with exit 2.
    let bad =
        run(&root.join("bad"), &["--events", "engagements", "--asterix-out", root.join("f.ast").to_str().unwrap()]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--events engagements"));
    let _ = std::fs::remove_dir_all(&root);
}
