//! Every tracker TOML under examples/trackers parses and builds.
use bulwark_tracking::config::{TrackerToml, build_sensors, build_tracker};

#[test]
fn example_tracker_files_parse_and_build() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/trackers");
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "toml") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let cfg =
            TrackerToml::parse(&text).unwrap_or_else(|e| panic!("{}", e.render(&path.display().to_string(), &text)));
        assert!(!build_sensors(&cfg).unwrap().is_empty(), "{}", path.display());
        if let Err(e) = build_tracker(&cfg) {
            panic!("{}", e.render(&path.display().to_string(), &text));
        }
        seen += 1;
    }
    assert!(seen >= 3);
    let gnn = TrackerToml::parse(&std::fs::read_to_string(dir.join("gnn-ekf-cv.toml")).unwrap()).unwrap();
    assert!(build_tracker(&gnn).is_ok());
}
