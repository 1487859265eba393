//! `sensors.csv` of the reference scenario (issue 18 item 7): every radar named with its unit,
//! catalog type, role and band, site and sector, so that events and tracks can be read without
//! the scenario. The run is closed at t = 0: the file depends only on the set-up.
use bulwark_engine::{Simulation, reference_scenario};

fn rows() -> Vec<Vec<String>> {
    let scenario = reference_scenario().expect("embedded reference scenario is valid");
    let sim = Simulation::new(&scenario, 1).expect("reference scenario sets up");
    let result = sim.finish();
    let dir = std::env::temp_dir().join(format!("bulwark-sensors-csv-{}", std::process::id()));
    result.write(&dir).expect("outputs are written");
    let text = std::fs::read_to_string(dir.join("sensors.csv")).expect("sensors.csv is written");
    let _ = std::fs::remove_dir_all(&dir);
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("sensor,unit,type,role,band,lat_deg,lon_deg,alt_m,azimuth_centre_deg,azimuth_width_deg,revisit_s,sac,sic")
    );
    lines.map(|l| l.split(',').map(str::to_string).collect()).collect()
}

#[test]
fn reference_radars_are_named_with_role_band_site_and_sector() {
    let rows = rows();
    let cols = |r: &Vec<String>| (r[2].clone(), r[3].clone(), r[4].clone(), r[8].clone(), r[9].clone(), r[10].clone());
    let s = |x: &str| x.to_string();
    // Catalog (catalog/s400.toml): 91N6E S-band surveillance, 10 s; 96L6E C-band surveillance,
    // 5 s; 92N6E X-band fire control, 90 deg sector; scenario: facing 255 deg, SIC 1-3.
    assert_eq!(rows.len(), 3, "{rows:?}");
    assert_eq!(cols(&rows[0]), (s("91N6E"), s("surveillance"), s("S"), rows[0][8].clone(), s("360.000"), s("10.000")));
    assert_eq!(cols(&rows[1]), (s("96L6E"), s("surveillance"), s("C"), rows[1][8].clone(), s("360.000"), s("5.000")));
    assert_eq!(
        (&rows[2][2..5], rows[2][8].as_str(), rows[2][9].as_str()),
        (&[s("92N6E"), s("fire_control"), s("X")][..], "255.000", "90.000")
    );
    let sics: Vec<&str> = rows.iter().map(|r| r[12].as_str()).collect();
    assert_eq!(sics, ["1", "2", "3"]);
    assert!(rows.iter().all(|r| r[1] == rows[0][1] && r[11] == "0"), "one unit, SAC 0: {rows:?}");

    // The 96L6E stands 600 m east of the site at 40° N: Δλ = 600 m / (N(φ)·cos φ), N the
    // WGS-84 prime-vertical radius a/√(1 − e² sin² φ) (NIMA TR8350.2: a = 6 378 137 m,
    // e² = 6.694 379 990 14e-3). 1e-6 deg is 8.5 cm of longitude here.
    let deg = |r: &Vec<String>, i: usize| r[i].parse::<f64>().expect("a number");
    let phi = 40f64.to_radians();
    let n = 6_378_137.0 / (1.0 - 6.694_379_990_14e-3 * phi.sin().powi(2)).sqrt();
    let dlon = (600.0 / (n * phi.cos())).to_degrees();
    assert!((deg(&rows[1], 6) - (-40.0 + dlon)).abs() < 1e-6, "96L6E lon {}", rows[1][6]);
    assert!((deg(&rows[1], 5) - 40.0).abs() < 1e-6, "96L6E lat {}", rows[1][5]);
    // The 92N6E stands 600 m north: Δφ = 600 m / M(φ), M = a(1 − e²)/(1 − e² sin² φ)^1.5.
    let e2 = 6.694_379_990_14e-3;
    let m = 6_378_137.0 * (1.0 - e2) / (1.0 - e2 * phi.sin().powi(2)).powf(1.5);
    assert!((deg(&rows[2], 5) - (40.0 + (600.0 / m).to_degrees())).abs() < 1e-6, "92N6E lat {}", rows[2][5]);
}
