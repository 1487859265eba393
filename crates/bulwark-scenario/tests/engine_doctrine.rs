//! The doctrine and equipment keys that were engine constants (issue 14 item 6): the shipped
//! catalog gives each one with its source, the values equal the former constants, a catalog
//! without them reads the defaults, and a bad value (≤ 0, NaN, a track gate on a radar with no
//! track dwells) is refused at its file:line:col.
use bulwark_scenario::Catalog;
use bulwark_scenario::catalog::*;
use std::path::PathBuf;

/// The embedded catalog with the first `from` of `file` replaced by `to`, and the text.
fn edited(file: &str, from: &str, to: &str) -> (Vec<(PathBuf, String)>, String) {
    let mut files = Catalog::embedded_texts();
    let f = files.iter_mut().find(|(p, _)| p.ends_with(file)).expect("catalog file");
    assert!(f.1.contains(from), "{from:?} not in {file}");
    f.1 = f.1.replacen(from, to, 1);
    let text = f.1.clone();
    (files, text)
}

/// The 1-based (line, column) of `needle` in `text`.
fn place(text: &str, needle: &str) -> (usize, usize) {
    let at = text.find(needle).expect("needle");
    let before = &text[..at];
    (before.matches('\n').count() + 1, before.rsplit('\n').next().unwrap_or("").chars().count() + 1)
}

/// Oracle: the former engine constants (git show d649483: decide.rs DECISION_PERIOD = 1 s,
/// FIRE_CONTROL_MIN_UPDATES = 3; track.rs TRACKER_Q = 400, STALE_TRACK_S = 30; picture.rs
/// MAX_AGE_S = 12, DEFAULT_SIGMA_POSITION_M = 300, DEFAULT_SIGMA_VELOCITY_MPS = 30; sense.rs
/// TRACK_GATE_M = 5000; motion.rs SEEKER_CONE_RAD = 0.07, PASS_RANGE_M = 2000; network.rs
/// SYSTEM_TRACK_MEMORY_S = 30), exact: the shipped entries keep today's runs.
#[test]
fn the_shipped_catalog_gives_every_moved_value_at_its_former_constant() {
    let c = Catalog::embedded().expect("catalog");
    for s in c.systems.values() {
        let d = &s.unit_doctrine;
        assert!(d.decision_period_s.is_some() && d.track_process_noise.is_some(), "{} gives its keys", s.id);
        assert_eq!(
            (d.decision_period_s(), d.fire_control_min_updates(), d.track_process_noise(), d.stale_track_s()),
            (1.0, 3, 400.0, 30.0),
            "{}",
            s.id
        );
        assert_eq!(
            (d.picture_max_age_s(), d.picture_sigma_position_m(), d.picture_sigma_velocity_mps()),
            (12.0, 300.0, 30.0)
        );
    }
    for r in c.radars.values().filter(|r| r.schedule.is_some()) {
        assert!(r.track_gate_m.is_some(), "{} gives track_gate", r.id);
        assert_eq!(r.track_gate_m(), 5_000.0);
    }
    for i in c.interceptors.values() {
        assert_eq!(i.pass_range_m.as_ref().map(|p| p.value), Some(2_000.0), "{}", i.id);
        let cone = if i.id == "40N6E" { 3.5f64.to_radians() } else { 0.07 };
        assert_eq!(i.seeker_search_cone_rad(), cone, "{}", i.id);
    }
    for p in c.command_posts.values() {
        assert_eq!(p.track_memory_s.as_ref().map(|m| m.value), Some(30.0), "{}", p.id);
    }
}

/// A catalog written before the keys reads the defaults (the former constants).
#[test]
fn a_catalog_without_the_keys_reads_the_defaults() {
    let mut files = Catalog::embedded_texts();
    for (_, t) in &mut files {
        let kept: Vec<&str> = t.lines().filter(|l| !l.starts_with("decision_period = { value = \"1 s\"")).collect();
        *t = kept.join("\n");
    }
    let c = Catalog::from_texts(&files).expect("catalog");
    let s = &c.systems["s400"];
    assert!(s.unit_doctrine.decision_period_s.is_none());
    assert_eq!(s.unit_doctrine.decision_period_s(), DEFAULT_DECISION_PERIOD_S);
    assert_eq!(DEFAULT_DECISION_PERIOD_S, 1.0);
}

#[test]
fn bad_moved_values_are_refused_at_the_value() {
    // (file, key line start, bad value, message words)
    let cases: &[(&str, &str, &str, &str)] = &[
        ("s400.toml", "decision_period = { value = \"1 s\"", "\"0 s\"", "decision_period"),
        ("s400.toml", "decision_period = { value = \"1 s\"", "\"-2 s\"", "decision_period"),
        ("s400.toml", "fire_control_min_updates = { value = 3", "0", "fire_control_min_updates"),
        ("s400.toml", "track_process_noise = { value = 400.0", "nan", "finite"),
        ("s400.toml", "track_process_noise = { value = 400.0", "0.0", "track_process_noise"),
        ("s400.toml", "stale_track = { value = \"30 s\"", "\"0 s\"", "stale_track"),
        ("s400.toml", "picture_max_age = { value = \"12 s\"", "\"-1 s\"", "picture_max_age"),
        ("s400.toml", "picture_sigma_position = { value = \"300 m\"", "\"0 m\"", "picture_sigma_position"),
        ("s400.toml", "picture_sigma_velocity = { value = \"30 m/s\"", "\"0 m/s\"", "picture_sigma_velocity"),
        ("s400.toml", "track_gate = { value = \"5 km\"", "\"0 km\"", "track_gate"),
        ("s400.toml", "pass_range = { value = \"2 km\"", "\"-2 km\"", "pass_range"),
        ("s400.toml", "seeker_field_of_view = { value = \"70 mrad\"", "\"0 mrad\"", "seeker_field_of_view"),
        ("s400.toml", "track_memory = { value = \"30 s\"", "\"0 s\"", "track_memory"),
    ];
    for (file, line, bad, words) in cases {
        let old = line.rsplit("value = ").next().expect("value");
        let to = line.replace(old, bad);
        let (files, text) = edited(file, line, &to);
        let d = Catalog::from_texts(&files).expect_err("refused");
        let (l, c) = place(&text, &to);
        let col = c + to.find(bad).expect("bad value");
        assert!(d.file.ends_with(file), "{d}");
        assert_eq!((d.line, d.column), (l, col), "{to}: {d}");
        assert!(d.message.contains(words), "{to}: {d}");
    }
    // A track gate on a rotating surveillance radar (no track dwells) is refused at the key.
    let anchor = "antenna_height = { value = \"25 m\"";
    let (files, text) = edited(
        "s400.toml",
        anchor,
        &format!("track_gate = {{ value = \"5 km\", source = \"asm-track-gate\" }}\n{anchor}"),
    );
    let d = Catalog::from_texts(&files).expect_err("refused");
    let (l, _) = place(&text, "track_gate = { value = \"5 km\", source = \"asm-track-gate\" }\n");
    assert_eq!(d.line, l, "{d}");
    assert!(d.message.contains("track_gate needs a time budget"), "{d}");
}
