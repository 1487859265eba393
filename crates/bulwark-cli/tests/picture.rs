//! The alliance picture in and out (issue 18 item 5): a unit fed the alliance's CAT062 picture
//! identifies an allied aircraft as friend without its own Mode 5. Run 1 — a Patriot battery
//! with Mode 5 keys — writes its CAT062 feed (`--asterix-out`), with its declared identities
//! in the Bulwark SP convention; run 2 — an S-400, whose interrogator reads no Mode 5 —
//! reads that feed (`[[defence]] picture`) and declares the Mode-5-only fighter friend; without
//! the feed it engages it. Oracle: the scenario's truth (the fighter is ours) and the public
//! record that an S-400 outside NATO's IFF does not read Mode 5.
use std::path::{Path, PathBuf};
use std::process::Command;

fn bulwark() -> Command {
    Command::new(env!("CARGO_BIN_EXE_bulwark"))
}

fn scratch(tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("bulwark-cli-picture-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// A scenario of one unit (`defence` body) and a Mode-5-only allied fighter flying at it.
fn scenario(defence: &str) -> String {
    format!(
        r#"[scenario]
name = "alliance picture"
epoch = "2026-06-01T04:00:00Z"
origin = {{ lat = 40.0, lon = -40.0, alt = "0 m" }}
duration = "3 min"
time_step = "0.1 s"
seed = 1

[[roe]]
from = "0 s"
state = "weapons_free"

[[defence]]
site = {{ lat = 40.0, lon = -40.0, alt = "10 m" }}
facing = "270 deg"
{defence}
[[friendly]]
name = "Viper"
type = "fighter-4gen"
transponder = ["mode5"]
route = [
  {{ lat = 40.0, lon = -41.2, alt = "6 km", speed = "900 km/h" }},
  {{ lat = 40.0, lon = -40.2, alt = "6 km" }},
]
"#
    )
}

const PATRIOT: &str = r#"name = "Patriot"
system = "patriot"
  [[defence.radar]]
  type = "MPQ-65"
  [[defence.launcher]]
  type = "M903"
  missiles = { "PAC-2-GEM-T" = 4 }
"#;

fn s400(picture: &str) -> String {
    format!(
        r#"name = "S-400"
system = "s400"
{picture}
  [[defence.radar]]
  type = "91N6E"
  [[defence.radar]]
  type = "92N6E"
  offset = {{ north = "600 m" }}
  [[defence.launcher]]
  type = "5P85SE2"
  missiles = {{ "48N6E3" = 4 }}
"#
    )
}

/// Runs `text` (written to `dir/name.toml`) into `dir/name`, with `extra` arguments.
fn run(dir: &Path, name: &str, text: &str, extra: &[&str]) -> serde_json::Value {
    let file = dir.join(format!("{name}.toml"));
    std::fs::write(&file, text).unwrap();
    let out = dir.join(name);
    let mut args = vec!["run", file.to_str().unwrap(), "--quiet", "--out", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    let o = bulwark().args(&args).output().unwrap();
    assert!(o.status.success(), "{name}: {}", String::from_utf8_lossy(&o.stderr));
    serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap()
}

fn friendly_fire_orders(summary: &serde_json::Value) -> u64 {
    summary["fratricide"]["friendly"]["fire_orders"].as_u64().unwrap()
}

#[test]
fn a_unit_fed_the_alliance_picture_identifies_an_ally_without_its_own_mode5() {
    let dir = scratch("alliance");
    let feed = dir.join("nato.ast");
    let nato = run(&dir, "nato", &scenario(PATRIOT), &["--asterix-out", feed.to_str().unwrap()]);
    assert_eq!(friendly_fire_orders(&nato), 0, "the Patriot reads the fighter's Mode 5");
    let isolated = run(&dir, "isolated", &scenario(&s400("")), &[]);
    assert!(friendly_fire_orders(&isolated) > 0, "isolated, the S-400 engages the silent ally");
    let integrated = run(&dir, "integrated", &scenario(&s400("picture = \"nato.ast\"")), &[]);
    assert_eq!(friendly_fire_orders(&integrated), 0, "{}", integrated["fratricide"]);
    let events = std::fs::read_to_string(dir.join("integrated").join("events.jsonl")).unwrap();
    assert!(
        events.lines().any(|l| l.contains("track_identified") && l.contains("friend in the outside air picture")),
        "the friend comes from the picture"
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_bad_picture_file_is_an_error_at_its_line() {
    let dir = scratch("bad");
    std::fs::write(dir.join("junk.ast"), [62u8, 0, 3]).unwrap();
    let file = dir.join("bad.toml");
    std::fs::write(&file, scenario(&s400("picture = \"junk.ast\""))).unwrap();
    let o = bulwark().args(["validate", file.to_str().unwrap()]).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("junk.ast"), "{err}");
    std::fs::remove_dir_all(&dir).ok();
}
