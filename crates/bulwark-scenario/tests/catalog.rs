//! Catalog loading, validation errors at file:line:col, listing and description.
use bulwark_scenario::{Catalog, EntryKind};
use std::path::{Path, PathBuf};

fn fixture_files() -> Vec<(PathBuf, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/catalog");
    ["sources.toml", "defence.toml", "platforms.toml"]
        .iter()
        .map(|f| (PathBuf::from(f), std::fs::read_to_string(dir.join(f)).unwrap()))
        .collect()
}

/// Applies a one-time replacement to `file` of the fixture catalog and returns the error.
fn error_for(file: &str, from: &str, to: &str) -> (String, bulwark_scenario::Diagnostic) {
    let mut files = fixture_files();
    let f = files.iter_mut().find(|(p, _)| p == Path::new(file)).unwrap();
    assert_eq!(f.1.matches(from).count(), 1, "{from:?} must occur once in {file}");
    f.1 = f.1.replace(from, to);
    let text = f.1.clone();
    let d = Catalog::from_texts(&files).expect_err("must be rejected");
    assert_eq!(d.file, Path::new(file), "{d}");
    (text, d)
}

/// Position of `needle`; `"context|needle"` finds `context` + `needle` and points at `needle`.
fn position_of(text: &str, needle: &str) -> (usize, usize) {
    let (context, needle) = needle.split_once('|').unwrap_or(("", needle));
    let at = text.find(&format!("{context}{needle}")).expect("needle present") + context.len();
    let before = &text[..at];
    (before.matches('\n').count() + 1, before.rsplit('\n').next().unwrap_or("").chars().count() + 1)
}

#[test]
fn fixture_catalog_loads_in_si_with_sources() {
    let c = Catalog::from_texts(&fixture_files()).unwrap();
    let r = c.radar("SR-1").unwrap();
    assert_eq!(r.reference_range_m.value, 300_000.0);
    assert_eq!(r.reference_range_m.alternatives[0].value, 250_000.0);
    assert_eq!(r.reference_range_m.alternatives[0].source, "test-textbook");
    assert_eq!(r.iff_range_m.as_ref().unwrap().value, 370_400.0, "200 nmi");
    assert_eq!(c.radar("TR-1").unwrap().fire_channels.as_ref().unwrap().value, 6);
    let i = c.interceptor("MSL-A").unwrap();
    assert_eq!(i.max_altitude_m.value, 24_384.0, "FL800");
    assert_eq!(i.mass_kg.value, 1800.0);
    assert!((i.max_lateral_acceleration_mps2.value - 196.133).abs() < 1e-12, "20 g");
    assert_eq!(c.launcher("LCH-1").unwrap().capacity.value, 4);
    assert_eq!(c.system("sys-test").unwrap().radars, ["SR-1", "TR-1"]);
    let p = c.platform("srbm").unwrap();
    assert_eq!(p.ballistic.as_ref().unwrap().max_range_m.value, 300_000.0);
    assert_eq!(c.kind_of("LCH-1"), Some(EntryKind::Launcher));
    assert_eq!(c.kind_of("nothing"), None);
    // Same result from the directory loader.
    let dir = Catalog::load_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/catalog")).unwrap();
    assert_eq!(dir, c);
}

#[test]
fn list_and_describe() {
    let c = Catalog::from_texts(&fixture_files()).unwrap();
    let list = c.list();
    assert_eq!(list.len(), 12);
    assert_eq!(list[0], (EntryKind::System, "sys-test".to_string(), "Test air-defence system".to_string()));
    let text = c.describe("SR-1").unwrap();
    assert!(text.starts_with("radar SR-1: Test surveillance radar\n"), "{text}");
    assert!(text.contains("  reference_range = 300 km\n      source: [test-assumption] Test fixture value, Bulwark tests, 2026 (assumption)\n      alternative: 250 km ([test-textbook] Introduction to Radar Systems, 3rd ed., McGraw-Hill, 2001 (textbook))\n        note: older figure\n"), "{text}");
    assert!(text.contains("  sigma_azimuth = 2 mrad\n"), "{text}");
    assert!(text.contains("  reference_rcs = 5 m2 (6.9897 dBsm)\n"), "{text}");
    let text = c.describe("airliner-widebody").unwrap();
    assert!(text.contains("  cruise_speed = 246.933333 m/s (480 kt, Mach 0.725647)\n"), "{text}");
    assert!(text.contains("  transponder: civil\n"), "{text}");
    assert!(c.describe("test-textbook").unwrap().contains("publisher: McGraw-Hill"));
    assert_eq!(c.describe("nothing"), None);
}

#[test]
fn validation_errors_point_at_the_value() {
    let cases: &[(&str, &str, &str, &str, &str)] = &[
        // (file, from, to, where, message words)
        (
            "defence.toml",
            "pfa = { value = 1e-6, source = \"test-textbook\" }",
            "pfa = { value = 1.5, source = \"test-textbook\" }",
            "1.5",
            "pfa must be strictly between 0 and 1, got 1.5",
        ),
        (
            "defence.toml",
            "source = \"test-textbook\", note = \"older figure\"",
            "source = \"test-textbok\", note = \"older figure\"",
            "\"test-textbok\"",
            "unknown source \"test-textbok\"; did you mean \"test-textbook\"?",
        ),
        (
            "defence.toml",
            "max_range = { value = \"40 km\"",
            "max_range = { value = \"0.5 km\"",
            "\"0.5 km\"",
            "max_range (500 m) must be greater than min_range (1 km)",
        ),
        (
            "defence.toml",
            "loads = [\"MSL-A\", \"MSL-B\"]",
            "loads = [\"MSL-A\", \"MSL-C\"]",
            "\"MSL-C\"",
            "unknown interceptor \"MSL-C\"; did you mean",
        ),
        (
            "defence.toml",
            "radars = [\"SR-1\", \"TR-1\"]",
            "radars = [\"SR-1\", \"LCH-1\"]",
            "\"LCH-1\"]",
            "\"LCH-1\" is a launcher, not a radar",
        ),
        (
            "defence.toml",
            "id = \"MSL-B\"",
            "id = \"SR-1\"",
            "\"SR-1\"\nname = \"Test short",
            "duplicate id \"SR-1\": already defined as a radar in defence.toml",
        ),
        (
            "defence.toml",
            "fire_channels = { value = 6,",
            "fire_channels = { value = -6,",
            "value = |-6",
            "fire_channels must be at least 1, got -6",
        ),
        (
            "defence.toml",
            "reference_range = { value = \"150 km\"",
            "reference_range = { value = 150",
            "150",
            "a bare number has no unit",
        ),
        ("defence.toml", "band = \"X\"", "band = \"W\"", "\"W\"", "unknown variant `W`"),
        (
            "platforms.toml",
            "class = \"cruise_missile\"",
            "class = \"cruise\"",
            "\"cruise\"",
            "unknown platform class \"cruise\"; expected one of fighter",
        ),
        (
            "platforms.toml",
            "max_speed = { value = \"Mach 0.85\"",
            "max_speed = { value = \"Mach 0.7\"",
            "\"Mach 0.7\"",
            "max_speed (238.2058 m/s (463.035032 kt, Mach 0.7)) must be at least cruise_speed (255.2205 m/s",
        ),
        (
            "platforms.toml",
            "max_load_factor = { value = 4.0,",
            "max_load_factor = { value = 1.0,",
            "1.0",
            "max_load_factor must be greater than 1 and at most 100, got 1",
        ),
        (
            "platforms.toml",
            "ceiling = { value = \"10 km\"",
            "ceiling = { value = \"10 km\", sorce = \"x\"",
            "sorce",
            "unknown field `sorce`",
        ),
        ("sources.toml", "year = 2001", "year = 1066", "1066", "year must be between 1800 and 2200, got 1066"),
    ];
    for (file, from, to, at, words) in cases {
        let (text, d) = error_for(file, from, to);
        assert_eq!((d.line, d.column), position_of(&text, at), "case {to:?}: {d}");
        assert!(d.message.contains(words), "case {to:?}: {}", d.message);
    }
}

#[test]
fn empty_or_missing_directories_are_errors() {
    assert!(
        Catalog::load_dir("/nonexistent/bulwark").unwrap_err().to_string().contains("cannot read catalog directory")
    );
    let empty = std::env::temp_dir().join(format!("bulwark-empty-cat-{}", std::process::id()));
    std::fs::create_dir_all(&empty).unwrap();
    assert!(Catalog::load_dir(&empty).unwrap_err().message.contains("no *.toml"));
    let _ = std::fs::remove_dir_all(&empty);
}

/// The project catalog compiled into the crate must load (it is data written to
/// docs/formats.md; this test is its schema check).
#[test]
fn embedded_catalog_is_valid() {
    match Catalog::embedded() {
        Ok(c) => {
            for (_, id, _) in c.list() {
                assert!(c.describe(&id).is_some());
            }
        }
        Err(d) => panic!("embedded catalog is invalid:\n{d}"),
    }
}
