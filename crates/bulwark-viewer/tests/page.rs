//! The page of a small hand-written run directory: what the data keeps and leaves out, and
//! that no text from the run can close the page's script elements.
use std::path::PathBuf;

fn run_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("bulwark-viewer-page-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("summary.json"),
        r#"{"scenario":"Test </script><b>x","seed":7,"duration_s":10.0,"threats":[],"timeline":[]}"#,
    )
    .unwrap();
    let events = [
        r#"{"t_ns":0,"event":"run_started","scenario":"Test","seed":7,"epoch_utc":"2026-06-01T04:00:00Z"}"#,
        r#"{"t_ns":0,"event":"entity_spawned","entity":1,"name":"Bandit","class":"fighter","type_id":"f"}"#,
        r#"{"t_ns":100000000,"event":"detection","sensor":1,"range_m":1.0,"azimuth_rad":0.0,"elevation_rad":0.0,"range_rate_mps":0.0,"snr_db":12.0,"truth":1}"#,
        r#"{"t_ns":100000000,"event":"track_initiated","track":5}"#,
        r#"{"t_ns":100000000,"event":"track_initiated","track":6}"#,
        r#"{"t_ns":2000000000,"event":"track_identified","track":5,"identity":"hostile","reason":"</script><script>alert(1)</script>"}"#,
        r#"{"t_ns":3000000000,"event":"track_deleted","track":6}"#,
    ];
    std::fs::write(dir.join("events.jsonl"), events.join("\n") + "\n").unwrap();
    let mut truth = String::from(
        "t_s,entity,name,class,role,lat_deg,lon_deg,alt_m,east_m,north_m,up_m,vel_east_mps,vel_north_mps,vel_up_mps\n",
    );
    for t in 0..=4 {
        let e = 1000.0 + 200.0 * t as f64;
        truth.push_str(&format!("{t}.000,1,Bandit,fighter,threat,40.0,-40.0,9000.0,{e:.1},0.0,0.0,200.0,0.0,0.0\n"));
    }
    std::fs::write(dir.join("truth.csv"), truth).unwrap();
    let mut tracks = String::from(
        "t_s,unit,track_id,status,identity,east_m,north_m,up_m,vel_east_mps,vel_north_mps,vel_up_mps,alt_m,sigma_pos_m,truth_entity\n",
    );
    for (t, st) in [(1, "tentative"), (2, "confirmed"), (3, "confirmed")] {
        tracks
            .push_str(&format!("{t}.000,1,5,{st},hostile,{}.0,0.0,0.0,200.0,0.0,0.0,9000.0,50.0,1\n", 1000 + 200 * t));
    }
    tracks.push_str("1.000,1,6,tentative,pending,5000.0,0.0,0.0,0.0,0.0,0.0,100.0,900.0,\n");
    std::fs::write(dir.join("tracks.csv"), tracks).unwrap();
    dir
}

#[test]
fn data_keeps_held_tracks_and_thins_straight_truth() {
    let dir = run_dir("data");
    let d = bulwark_viewer::run_data(&dir).unwrap();
    assert_eq!(d["meta"]["plots"], 1);
    assert_eq!(d["meta"]["tentative_only_tracks"], 1);
    assert_eq!(d["meta"]["epoch_utc"], "2026-06-01T04:00:00Z");
    let tracks = d["tracks"].as_array().unwrap();
    assert_eq!(tracks.len(), 1);
    assert_eq!(tracks[0]["id"], 5);
    assert_eq!(tracks[0]["st"], "tcc");
    assert_eq!(tracks[0]["ident"], "hhh");
    assert_eq!(tracks[0]["truth"], 1);
    // A straight, steady truth trail keeps its two ends only: t in 0.1 s, x in 10 m, delta-coded.
    let truth = &d["truth"][0];
    assert_eq!(truth["t"], serde_json::json!([0, 40]));
    assert_eq!(truth["x"], serde_json::json!([100, 80]));
    // Track 6 never held: its birth and death are not in the events; the plot is not either.
    let kinds: Vec<String> = d["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| format!("{}:{}", e["event"].as_str().unwrap(), e["track"]))
        .collect();
    assert!(kinds.contains(&"track_initiated:5".to_string()), "{kinds:?}");
    assert!(!kinds.iter().any(|k| k.ends_with(":6") || k.starts_with("detection")), "{kinds:?}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn page_is_self_contained_and_run_text_cannot_close_its_scripts() {
    let dir = run_dir("page");
    let path = bulwark_viewer::write_replay(&dir).unwrap();
    let html = std::fs::read_to_string(&path).unwrap();
    assert!(!dir.join("replay.html.tmp").exists());
    // Only the template's own four script elements close.
    assert_eq!(html.matches("</script").count(), 4, "script closings");
    assert!(html.contains("<title>Test &lt;/script>&lt;b>x — Bulwark replay</title>"));
    assert!(!html.contains("{{"), "unfilled placeholder");
    for forbidden in ["http://", "https://", "src=\"", "href=\""] {
        let hits: Vec<_> = html.match_indices(forbidden).map(|(i, _)| &html[i.saturating_sub(40)..i + 40]).collect();
        assert!(hits.is_empty(), "{forbidden}: {hits:?}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_folder_without_run_outputs_is_a_clear_error() {
    let dir = std::env::temp_dir().join(format!("bulwark-viewer-empty-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let e = bulwark_viewer::replay_html(&dir).unwrap_err().to_string();
    assert!(e.contains("summary.json: not found"), "{e}");
    std::fs::remove_dir_all(&dir).unwrap();
}
