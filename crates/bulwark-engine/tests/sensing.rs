//! Whole-run properties of the sensor wiring: jamming (stand-off jammer strobes and masks its
//! targets), the multifunction radar's time budget (never more engaged targets than it grants),
//! low-band radar against a stealth fighter, and terrain masking from a scenario GeoTIFF.
use bulwark_core::{EntityId, Event, EventKind, SensorId, TrackId};
use bulwark_engine::{RunResult, Simulation, reference_scenario};
use bulwark_scenario::{Catalog, Scenario};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn run(scenario: &Scenario, seed: u64) -> RunResult {
    let mut sim = Simulation::new(scenario, seed).expect("test scenario sets up");
    sim.run();
    sim.finish()
}

/// The repository catalog's files, with `edit` applied to each text.
fn catalog_files(edit: impl Fn(&str) -> String) -> Vec<(PathBuf, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../catalog");
    let mut names: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("catalog directory")
        .map(|e| e.expect("catalog entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    names.sort();
    names.into_iter().map(|p| (p.clone(), edit(&std::fs::read_to_string(&p).expect("catalog file")))).collect()
}

/// Detections of `entities` by any radar.
fn detections_of(events: &[Event], entities: &BTreeSet<EntityId>) -> usize {
    events
        .iter()
        .filter(|e| matches!(&e.kind, EventKind::Detection { truth: Some(t), .. } if entities.contains(t)))
        .count()
}

const HEADER: &str = r#"[scenario]
name = "sensing test"
epoch = "2026-06-01T04:00:00Z"
origin = { lat = 40.0, lon = -40.0, alt = "0 m" }
duration = "DURATION"
time_step = "0.1 s"
seed = 3

[[roe]]
from = "0 s"
state = "weapons_hold"
"#;

fn header(duration: &str) -> String {
    HEADER.replace("DURATION", duration)
}

/// One S-400 unit at the origin facing west with `radars` (type, east offset).
fn defence(radars: &[&str]) -> String {
    let mut s = String::from(
        "\n[[defence]]\nname = \"Bn\"\nsystem = \"s400\"\nsite = { lat = 40.0, lon = -40.0, alt = \"10 m\" }\nfacing = \"270 deg\"\n",
    );
    for (i, r) in radars.iter().enumerate() {
        s.push_str(&format!("  [[defence.radar]]\n  type = \"{r}\"\n  offset = {{ east = \"{}00 m\" }}\n", i * 6));
    }
    s
}

const FIGHTERS: &str = r#"
[[threat]]
name = "Fighters"
type = "fighter-4gen"
count = 4
spacing = "10 s"
lateral_spacing = "3 km"
route = [
  { lat = 40.0, lon = -42.9, alt = "9 km", speed = "900 km/h" },
  { lat = 40.0, lon = -40.8, alt = "9 km" },
]
"#;

const STAND_OFF_JAMMER: &str = r#"
[[threat]]
name = "Stand-off jammer"
type = "standoff-jammer"
count = 1
route = [
  { lat = 39.6, lon = -42.6, alt = "9 km", speed = "700 km/h" },
  { lat = 40.4, lon = -42.6, alt = "9 km" },
  { lat = 39.6, lon = -42.6, alt = "9 km" },
  { lat = 40.4, lon = -42.6, alt = "9 km" },
]
"#;

#[test]
fn a_stand_off_jammer_strobes_and_hides_the_raid() {
    // Same seed, same fighters (entities 0–3, listed first), with and without a stand-off
    // jammer orbiting ≈ 225 km west. Its 45 dBW barrage covers the S band of the 91N6E and the
    // X band of the 92N6E: J/N of tens of dB even through −30 dB sidelobes cuts the SINR of
    // every target, so the raid is detected far less, and its bearing comes back as strobes.
    let cat = Catalog::embedded().unwrap();
    let base = header("8 min") + &defence(&["91N6E", "92N6E"]) + FIGHTERS;
    let clean = Scenario::from_str(&base, "clean.toml", &cat).unwrap();
    let jammed = Scenario::from_str(&(base.clone() + STAND_OFF_JAMMER), "jammed.toml", &cat).unwrap();
    let (a, b) = (run(&clean, 11), run(&jammed, 11));
    let fighters: BTreeSet<EntityId> = (0..4).map(EntityId).collect();
    let (n_clean, n_jammed) = (detections_of(&a.events, &fighters), detections_of(&b.events, &fighters));
    let strobes: Vec<&Event> = b.events.iter().filter(|e| matches!(e.kind, EventKind::Strobe { .. })).collect();
    assert_eq!(a.summary.strobes, 0, "no jammer, no strobe");
    assert!(!strobes.is_empty(), "the jammer must be seen as strobes");
    assert_eq!(b.summary.strobes as usize, strobes.len(), "the summary counts the strobe events");
    assert!(
        strobes.iter().all(|e| matches!(e.kind, EventKind::Strobe { truth, .. } if truth == EntityId(4))),
        "every strobe comes from the jammer"
    );
    assert!(n_clean > 50, "the raid must be well seen without jamming: {n_clean}");
    assert!(2 * n_jammed < n_clean, "jamming must hide the raid: {n_jammed} vs {n_clean} detections");
}

/// Engaged targets at once, from the event log: the tracks holding track dwells (granted and
/// not yet released), checked at every event. Also: every fire order is at a track holding dwells.
fn max_simultaneous_engagements(events: &[Event]) -> usize {
    let mut held: BTreeMap<TrackId, SensorId> = BTreeMap::new();
    let mut max = 0;
    for e in events {
        match &e.kind {
            EventKind::TrackDwellsGranted { sensor, track } => {
                assert!(held.insert(*track, *sensor).is_none(), "track {track:?} granted twice");
            }
            EventKind::TrackDwellsReleased { track, .. } => {
                assert!(held.remove(track).is_some(), "track {track:?} released without a grant");
            }
            EventKind::FireOrder { track, .. } => {
                assert!(held.contains_key(track), "fire order at {track:?} without radar dwells at t = {}", e.t_ns);
            }
            _ => {}
        }
        max = max.max(held.len());
    }
    max
}

#[test]
fn the_fire_control_budget_caps_simultaneous_engagements() {
    // The 92N6E with 3 fire channels and 10 Hz engaged-track dwells of 4 ms: its budget grants
    // min(3, ⌊0.5/(10 × 0.004)⌋) = 3 engagement tracks. The reference raid would engage many more
    // at once; the command post may never exceed what the radar grants, and here it reaches it.
    let files = catalog_files(|t| {
        t.replace("fire_channels = { value = 36,", "fire_channels = { value = 3,")
            .replace("engaged_track_rate = { value = \"2 Hz\"", "engaged_track_rate = { value = \"10 Hz\"")
    });
    let cat = Catalog::from_texts(&files).expect("edited catalog is valid");
    assert_eq!(cat.radar("92N6E").unwrap().fire_channels.as_ref().unwrap().value, 3, "the edit took");
    let text = bulwark_engine::REFERENCE_SCENARIO;
    let s = Scenario::from_str(text, "reference.toml", &cat).unwrap();
    for seed in [1, 2] {
        let r = run(&s, seed);
        let max = max_simultaneous_engagements(&r.events);
        assert!(max <= 3, "seed {seed}: {max} engaged at once with a budget of 3");
        assert_eq!(max, 3, "seed {seed}: the raid must saturate the budget for the test to mean anything");
        assert_eq!(r.summary.civil_engaged + r.summary.friendly_engaged, 0, "seed {seed}");
    }
    // The reference catalog (36 channels) engages more at once on the same raid.
    let reference = run(&reference_scenario().unwrap(), 1);
    assert!(max_simultaneous_engagements(&reference.events) > 3);
}

#[test]
fn a_vhf_radar_sees_the_stealth_fighter_farther_than_the_x_band_fire_control_radar() {
    // A stealth fighter flies nose-on at the unit. Its catalog RCS is 0.5 m² at VHF and 0.001 m²
    // at X band (nose): by σ^(1/4) the VHF radar (300 km on 5 m²) sees it near 300·0.1^¼ ≈ 169 km,
    // the 92N6E (250 km on 5 m²) near 250·0.0002^¼ ≈ 30 km. First detection ranges must differ by
    // far more than their spread.
    let mut files = catalog_files(str::to_string);
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/vhf_radar.toml");
    files.push((fixture.clone(), std::fs::read_to_string(&fixture).unwrap()));
    let cat = Catalog::from_texts(&files).expect("catalog with the VHF fixture");
    let stealth = r#"
[[threat]]
name = "Stealth"
type = "stealth-fighter"
route = [
  { lat = 40.0, lon = -44.6, alt = "10 km", speed = "1800 km/h" },
  { lat = 40.0, lon = -40.2, alt = "10 km" },
]
"#;
    let text = header("13 min") + &defence(&["VHF-TEST", "92N6E"]) + stealth;
    let s = Scenario::from_str(&text, "vhf.toml", &cat).unwrap();
    let r = run(&s, 5);
    let id_of = |ty: &str| r.sensors.iter().find(|i| i.type_id == ty).map(|i| i.id).expect("radar present");
    let first_range = |sensor: SensorId| {
        r.events.iter().find_map(|e| match e.kind {
            EventKind::Detection { sensor: s, range_m, truth: Some(EntityId(0)), .. } if s == sensor => Some(range_m),
            _ => None,
        })
    };
    let vhf = first_range(id_of("VHF-TEST")).expect("the VHF radar detects the stealth fighter");
    let x = first_range(id_of("92N6E")).expect("the X-band radar detects it at last");
    assert!(vhf > 120e3, "VHF first detection at {vhf} m");
    assert!(x < 80e3, "X-band first detection at {x} m");
    assert!(vhf > 2.0 * x, "VHF {vhf} m vs X band {x} m");
}

/// A single-band f32 GeoTIFF on EPSG:4326 (PixelIsArea) covering lat 39.5–40.5°, lon −41…−39°
/// at 0.005°, flat 0 m but for a north–south ridge 2 000 m high (Gaussian, σ 1.5 km) along
/// lon −40.3°.
fn ridge_geotiff(path: &Path) {
    use tiff::encoder::{TiffEncoder, colortype};
    use tiff::tags::Tag;
    let (w, h, step) = (400u32, 200u32, 0.005);
    let (west, north) = (-41.0, 40.5);
    let km_per_deg_lon = 111.32 * 40f64.to_radians().cos();
    let mut data = Vec::with_capacity((w * h) as usize);
    for _row in 0..h {
        for col in 0..w {
            let lon = west + step * (f64::from(col) + 0.5);
            let d_km = (lon + 40.3) * km_per_deg_lon;
            data.push((2_000.0 * (-0.5 * (d_km / 1.5).powi(2)).exp()) as f32);
        }
    }
    let file = std::fs::File::create(path).unwrap();
    let mut enc = TiffEncoder::new(file).unwrap();
    let mut img = enc.new_image::<colortype::Gray32Float>(w, h).unwrap();
    let dir = img.encoder();
    dir.write_tag(Tag::ModelPixelScaleTag, &[step, step, 0.0][..]).unwrap();
    dir.write_tag(Tag::ModelTiepointTag, &[0.0, 0.0, 0.0, west, north, 0.0][..]).unwrap();
    let keys: [u16; 20] = [1, 1, 0, 4, 1024, 0, 1, 2, 1025, 0, 1, 1, 2048, 0, 1, 4326, 2054, 0, 1, 9102];
    dir.write_tag(Tag::GeoKeyDirectoryTag, &keys[..]).unwrap();
    img.write_data(&data).unwrap();
}

#[test]
fn a_ridge_in_the_scenario_terrain_masks_a_low_target_behind_it() {
    // A drone at 1 km flies north-east 38–66 km west of the radar (obliquely, clear of the
    // Doppler notch); a 2 km ridge stands 26 km west. The ray from the 20 m antenna crosses the
    // ridge below 0.8 km: masked. Without terrain the drone is well inside the 4/3-earth horizon
    // (≈ 149 km for these heights) and seen.
    let dir = std::env::temp_dir().join(format!("bulwark-engine-terrain-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    ridge_geotiff(&dir.join("ridge.tif"));
    let cat = Catalog::embedded().unwrap();
    let drone = r#"
[[threat]]
name = "Drone"
type = "uav-male"
route = [
  { lat = 39.9, lon = -40.75, alt = "1 km", speed = "230 mph" },
  { lat = 40.1, lon = -40.45, alt = "1 km" },
]
"#;
    let open = header("3 min") + &defence(&["91N6E"]) + drone;
    let masked = open.replacen("seed = 3\n", "seed = 3\nterrain = { geotiff = \"ridge.tif\" }\n", 1);
    assert_ne!(open, masked);
    let a = run(&Scenario::from_str(&open, dir.join("open.toml"), &cat).unwrap(), 2);
    let b = run(&Scenario::from_str(&masked, dir.join("masked.toml"), &cat).unwrap(), 2);
    let drone_id = BTreeSet::from([EntityId(0)]);
    assert!(detections_of(&a.events, &drone_id) >= 10, "seen without terrain");
    assert_eq!(detections_of(&b.events, &drone_id), 0, "masked by the ridge");
    // A DEM that cannot be read is an input error, not a panic.
    std::fs::write(dir.join("bad.tif"), b"not a tiff").unwrap();
    let bad = masked.replace("ridge.tif", "bad.tif");
    let s = Scenario::from_str(&bad, dir.join("bad.toml"), &cat).unwrap();
    assert!(matches!(Simulation::new(&s, 1), Err(bulwark_engine::EngineError::Input(_))));
    let _ = std::fs::remove_dir_all(&dir);
}
