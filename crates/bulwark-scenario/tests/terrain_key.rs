//! The optional `terrain = { geotiff = "path" }` key of `[scenario]`: resolved against the
//! scenario file's directory, checked to exist, errors at the offending text.
use bulwark_scenario::{Catalog, Scenario};
use std::path::Path;

fn fixtures() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures"))
}

fn catalog() -> Catalog {
    Catalog::load_dir(fixtures().join("catalog")).expect("fixture catalog")
}

/// 1-based line and column (in characters) of the first occurrence of `needle`.
fn position_of(text: &str, needle: &str) -> (usize, usize) {
    let at = text.find(needle).expect("needle present");
    let before = &text[..at];
    (before.matches('\n').count() + 1, before.rsplit('\n').next().unwrap_or("").chars().count() + 1)
}

#[test]
fn the_geotiff_path_is_relative_to_the_scenario_file() {
    let s = Scenario::load(fixtures().join("valid_terrain.toml"), None).expect("valid terrain fixture");
    let t = s.terrain.expect("terrain given");
    let want = fixtures().join("../../../bulwark-terrain/tests/fixtures/srtm_like_lzw_i16.tif");
    assert_eq!(t.geotiff, want);
    assert!(t.geotiff.is_file());
    // Without the key there is no terrain.
    let text = std::fs::read_to_string(fixtures().join("valid_terrain.toml")).unwrap();
    let start = text.find("terrain = {").unwrap();
    let end = start + text[start..].find('\n').unwrap();
    let bare = format!("{}{}", &text[..start], &text[end + 1..]);
    let s = Scenario::from_str(&bare, fixtures().join("bare.toml"), &catalog()).unwrap();
    assert_eq!(s.terrain, None);
}

#[test]
fn a_missing_file_and_an_unknown_key_point_at_their_text() {
    let text = std::fs::read_to_string(fixtures().join("valid_terrain.toml")).unwrap();
    let missing = text.replace("srtm_like_lzw_i16.tif", "no_such_dem.tif");
    let d = Scenario::from_str(&missing, fixtures().join("t.toml"), &catalog()).unwrap_err();
    assert_eq!((d.line, d.column), position_of(&missing, "\"../../../bulwark-terrain"), "{d}");
    assert!(d.message.contains("terrain GeoTIFF") && d.message.contains("no_such_dem.tif"), "{d}");
    assert!(d.message.contains("relative to the scenario file"), "{d}");

    let typo = text.replace("{ geotiff =", "{ geotif =");
    let d = Scenario::from_str(&typo, fixtures().join("t.toml"), &catalog()).unwrap_err();
    assert_eq!((d.line, d.column), position_of(&typo, "geotif ="), "{d}");
    assert!(d.message.contains("unknown field `geotif`"), "{d}");
}
