//! Recorded altitudes say their reference (issue 18): `[[civil]] altitude_reference`, `qnh_hpa`,
//! `geoid_undulation` for a `csv` of recorded flights.
//!
//! Oracle: the ICAO altimeter equation (ICAO Doc 7488, *Manual of the ICAO Standard Atmosphere*,
//! troposphere), p = QNH·(1 − 0.0065·H/288.15)^5.25588 for the pressure at a field of elevation H
//! under altimeter setting QNH, and the pressure altitude a transponder reports for it,
//! h_p = 288.15/0.0065·(1 − (p/1013.25)^0.190263), with the published exponents — not the code's
//! layer model. Zurich (LSZH) field elevation 1,417 ft = 431.9 m (Swiss AIP, AD 2 LSZH).
use bulwark_scenario::{Catalog, CivilPath, Scenario};
use std::path::PathBuf;

const FIELD_M: f64 = 431.9;
const QNH_HPA: f64 = 1030.0;
const N_M: f64 = 48.0;

/// Pressure altitude (ft) reported at the field under QNH, from the ICAO altimeter equation.
fn reported_ft() -> f64 {
    let p = QNH_HPA * (1.0 - 0.0065 * FIELD_M / 288.15).powf(5.25588);
    288.15 / 0.0065 * (1.0 - (p / 1013.25).powf(0.190263)) / 0.3048
}

fn dir() -> PathBuf {
    let d = std::env::temp_dir().join(format!("ident-altref-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn scenario(keys: &str) -> Result<Scenario, String> {
    let d = dir();
    let ft = reported_ft();
    // A taxiing aircraft: two rows at the field, 5 m/s.
    let csv = format!(
        "time,lat,lon,altitude_ft,callsign\n0,47.4581,8.5480,{ft:.1},SWR100\n60,47.4608,8.5480,{ft:.1},SWR100\n"
    );
    std::fs::write(d.join("taxi.csv"), csv).unwrap();
    let text = format!(
        r#"[scenario]
name = "altitude reference"
epoch = "2026-06-01T04:00:00Z"
origin = {{ lat = 47.45, lon = 8.55 }}
duration = "1 min"
time_step = "1 s"

[[civil]]
csv = "taxi.csv"
type = "airliner-narrowbody"
{keys}
"#
    );
    Scenario::from_str(&text, d.join("s.toml"), &Catalog::embedded().unwrap()).map_err(|e| e.to_string())
}

fn heights(s: &Scenario) -> Vec<f64> {
    let CivilPath::Recorded(pts) = &s.civil[0].path else { panic!("a recorded flight") };
    pts.iter().map(|(_, p)| p.alt_m).collect()
}

#[test]
fn a_taxiing_aircraft_with_barometric_altitudes_is_on_the_field_not_underground() {
    let ft = reported_ft();
    assert!(ft < 1417.0 - 300.0, "a high QNH reports {ft:.0} ft, far below the 1,417 ft field");
    let s =
        scenario(&format!("altitude_reference = \"barometric\"\nqnh_hpa = {QNH_HPA}\ngeoid_undulation = \"{N_M} m\""))
            .unwrap();
    for h in heights(&s) {
        // The field's height above the ellipsoid is H + N; 0.5 m covers the CSV's 0.1 ft rounding
        // and geopotential vs geometric (0.03 m at 432 m).
        assert!((h - (FIELD_M + N_M)).abs() < 0.5, "{h:.2} m above the ellipsoid, field at {}", FIELD_M + N_M);
    }
    // Read as heights above the ellipsoid, the same file puts the aircraft ≈ 190 m underground.
    let as_geometric = scenario("altitude_reference = \"geometric\"").unwrap();
    assert!(heights(&as_geometric).iter().all(|h| *h < FIELD_M + N_M - 150.0));
    assert_eq!(heights(&scenario("").unwrap()), heights(&as_geometric), "geometric is the default");
    let _ = std::fs::remove_dir_all(dir());
}

#[test]
fn altitude_reference_keys_are_checked_where_they_are_written() {
    let e = scenario("altitude_reference = \"baro\"").unwrap_err();
    assert!(e.contains("s.toml:11:") && e.contains("expected \"geometric\""), "{e}");
    let e = scenario("qnh_hpa = 1020").unwrap_err();
    assert!(e.contains("s.toml:11:") && e.contains("barometric"), "{e}");
    let e = scenario("altitude_reference = \"barometric\"\nqnh_hpa = 2000").unwrap_err();
    assert!(e.contains("s.toml:12:") && e.contains("qnh_hpa"), "{e}");
    let e = scenario("altitude_reference = \"barometric\"\ngeoid_undulation = \"500 m\"").unwrap_err();
    assert!(e.contains("s.toml:12:") && e.contains("geoid_undulation"), "{e}");
    let _ = std::fs::remove_dir_all(dir());
}
