//! Valid fixtures read into the expected SI values.
//!
//! Oracle for the numbers: the unit definitions of NIST SP 811 / ICAO (see tests/units.rs),
//! worked by hand: FL350 = 35 000 ft × 0.3048 = 10 668 m; 450 kt = 450 × 1852/3600 = 231.5 m/s;
//! Mach 0.8 = 0.8 × 340.294 = 272.2352 m/s; 900 km/h = 250 m/s; -10 dBsm = 0.1 m².
use bulwark_core::{SimDuration, SimTime};
use bulwark_scenario::{Catalog, CivilPath, RoeState, Scenario, ThreatRoute};
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

fn deg(x: f64) -> f64 {
    x.to_radians()
}

#[test]
fn mixed_scenario_reads_into_si() {
    // The fixture names `catalog = "catalog"`: its own directory wins over the argument.
    let s = Scenario::load(fixture("valid_mixed.toml"), Some(&Catalog::default())).unwrap();
    assert_eq!(s.name, "Test: one battalion vs a cruise-missile raid");
    assert_eq!(s.epoch.unix_timestamp(), 1_780_286_400); // 2026-06-01T04:00:00Z (date -d ... +%s)
    assert_eq!(s.duration, SimDuration::from_secs(900));
    assert_eq!(s.time_step, SimDuration::from_millis(100));
    assert_eq!(s.seed, 7);
    assert_eq!(s.origin.lat_rad, deg(54.70));
    assert_eq!(s.origin.lon_rad, deg(20.50));
    assert_eq!(s.roe.len(), 2);
    assert_eq!(s.roe_at(SimTime::from_nanos(119_999_999_999)), RoeState::WeaponsTight);
    assert_eq!(s.roe_at(SimTime::from_nanos(120_000_000_000)), RoeState::WeaponsFree);

    let d = &s.defences[0];
    assert_eq!(d.system, "sys-test");
    assert_eq!(d.site.alt_m, 30.0);
    assert!((d.facing_rad - deg(270.0)).abs() < 1e-15);
    assert_eq!(d.radars[0].offset_enu, bulwark_core::Vec3::new(0.0, 500.0, 0.0));
    assert_eq!((d.radars[0].sac, d.radars[0].sic), (Some(0), Some(1)));
    assert_eq!(d.radars[1].type_id, "TR-1");
    assert_eq!(d.radars[1].offset_enu, bulwark_core::Vec3::zeros());
    assert_eq!(d.launchers[0].offset_enu, bulwark_core::Vec3::new(2000.0, 0.0, 1.0));
    assert_eq!(d.launchers[0].missiles.get("MSL-A"), Some(&2));
    assert_eq!(d.launchers[0].missiles.get("MSL-B"), Some(&2));

    let a = &s.assets[0];
    assert!((a.position.lat_rad - deg(54.88)).abs() < 1e-15, "a unit-string latitude in deg");
    assert_eq!(a.radius_m, 2000.0);

    let t = &s.threats[0];
    assert_eq!((t.count, t.start, t.spacing), (6, SimTime::from_nanos(60_000_000_000), SimDuration::from_secs(8)));
    assert_eq!(t.lateral_spacing_m, 1000.0);
    let ThreatRoute::Waypoints(w) = &t.route else { panic!("route expected") };
    assert_eq!(w.len(), 3);
    assert!((w[0].speed_mps - 272.2352).abs() < 1e-12, "Mach 0.8");
    assert_eq!(w[1].speed_mps, w[0].speed_mps, "speed carries over");
    assert_eq!(w[2].speed_mps, 250.0, "900 km/h");
    assert_eq!(w[2].position.alt_m, 15.0);

    let c = &s.civil[0];
    assert_eq!(c.callsign, "LOT281");
    assert_eq!(c.squawk, Some(0o2641));
    let CivilPath::Route(r) = &c.path else { panic!("route expected") };
    assert_eq!(r[0].position.alt_m, 10_668.0, "FL350 exactly");
    assert_eq!(r[1].position.alt_m, 10_668.0);
    assert_eq!(r[0].speed_mps, 231.5, "450 kt exactly");
    assert_eq!(r[1].speed_mps, 231.5);

    // The catalog came from the fixture directory, -10 dBsm = 0.1 m².
    assert!((s.catalog.platforms["cruise-missile-subsonic"].reference_rcs_m2() - 0.1).abs() < 1e-16);
}

#[test]
fn ballistic_and_recorded_traffic() {
    let s = Scenario::load(fixture("valid_ballistic_csv.toml"), None).unwrap();
    assert_eq!(s.time_step, SimDuration::from_millis(50));
    assert_eq!(s.seed, 1, "default seed");
    assert_eq!(s.origin.alt_m, 0.0, "default altitude");
    // A first change after 0 s gets weapons_free before it.
    assert_eq!(s.roe_at(SimTime::ZERO), RoeState::WeaponsFree);
    assert_eq!(s.roe_at(SimTime::from_nanos(30_000_000_000)), RoeState::WeaponsHold);

    let t = &s.threats[0];
    assert_eq!(t.name, "srbm", "name defaults to the type");
    let ThreatRoute::Ballistic { launch, aim, loft_rad } = &t.route else { panic!("ballistic expected") };
    assert_eq!(launch.lat_rad, deg(53.9));
    assert_eq!(aim.lon_rad, deg(20.59));
    assert_eq!(*loft_rad, Some(deg(35.0)));

    // Flights come in callsign order, rows sorted by time.
    assert_eq!(s.civil.len(), 2);
    let r = &s.civil[0];
    assert_eq!(r.callsign, "RYR12AB");
    assert_eq!(r.type_id, "airliner-narrowbody");
    assert_eq!(r.squawk, Some(0o4521));
    let CivilPath::Recorded(p) = &r.path else { panic!("recorded expected") };
    assert_eq!(p[0].0, SimTime::ZERO, "plain seconds");
    assert_eq!(p[1].0, SimTime::from_nanos(60_000_000_000), "04:01:00Z is 60 s after the epoch");
    assert_eq!(p[0].1.alt_m, 37_000.0 * 0.3048);
    assert_eq!(p[0].1.alt_m, 11_277.6);
    let w = &s.civil[1];
    assert_eq!(w.callsign, "WZZ3301");
    assert_eq!(w.start, SimTime::from_nanos(30_500_000_000), "fractional ISO seconds");
    assert_eq!(w.squawk, Some(0o1000));
    let CivilPath::Recorded(p) = &w.path else { panic!("recorded expected") };
    assert_eq!(p[1].1.lat_rad, deg(54.95), "quoted CSV field");
}

#[test]
fn a_missing_catalog_directory_points_at_the_key() {
    let text = std::fs::read_to_string(fixture("valid_mixed.toml"))
        .unwrap()
        .replace("catalog = \"catalog\"", "catalog = \"nowhere\"");
    let d = Scenario::from_str(&text, fixture("valid_mixed.toml"), &Catalog::default()).unwrap_err();
    assert_eq!((d.line, d.column), (9, 11), "{d}");
    assert!(d.message.starts_with("catalog directory \"nowhere\" not found"), "{d}");
}
