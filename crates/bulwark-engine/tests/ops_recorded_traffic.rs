//! Operations: recorded civil traffic near a battalion during a raid is never engaged. The
//! recording is our own synthetic one (no fetched data in the repository) and holds the hard
//! cases the real-traffic study (`studies/civil-traffic/`) plays from ADS-B samples: an
//! airliner taxiing at an airport 10 km from the battalion, a low-elevation departure from it,
//! an altitude spike of 800 ft for one report (as real Mode C/ADS-B recordings show), a
//! position jump of 1.1 km (a GNSS fault) that splits the track, and a flight with no squawk
//! (Mode C/S only). The oracle is the rule itself: a civil aircraft with a working transponder
//! is never a target (issue 18, "How it will be checked", first line), checked over both ROE
//! states and three seeds, with the raid engaged and every flight tracked so the check means
//! something.
mod ops_support;
use bulwark_scenario::{Catalog, Scenario};
use ops_support::*;
use std::collections::BTreeSet;
use std::fmt::Write;

/// Metres per degree of latitude and of longitude at 40° N (WGS-84, to 0.1 %: enough to lay
/// out a synthetic recording).
const M_PER_DEG_LAT: f64 = 111_030.0;
const M_PER_DEG_LON: f64 = 85_390.0;
/// The airport: 10 km east of the battalion at (40° N, 40° W), elevation 30 m ≈ 100 ft
/// (pressure altitude on a standard day).
const AIRPORT_EAST_M: f64 = 10_000.0;
const FIELD_FT: f64 = 100.0;

fn row(out: &mut String, t: u32, call: &str, east_m: f64, north_m: f64, alt_ft: f64, squawk: &str) {
    let lat = 40.0 + north_m / M_PER_DEG_LAT;
    let lon = -40.0 + east_m / M_PER_DEG_LON;
    writeln!(out, "{t},{call},{lat:.6},{lon:.6},{alt_ft:.0},{squawk}").unwrap();
}

/// The synthetic recording, one report per second (ADS-B rate) for 420 s.
fn recording() -> String {
    let mut s = String::from("time,callsign,lat,lon,altitude_ft,squawk\n");
    for t in 0..420u32 {
        let x = f64::from(t);
        // Taxiing fast (14 m/s ≈ 27 kt) along an east-west taxiway, straight away from the
        // battalion and back: outside both radars' Doppler notches (6 and 10 m/s), so plotted.
        let taxi = if t < 210 { x * 14.0 } else { (420.0 - x) * 14.0 };
        row(&mut s, t, "TAX101", AIRPORT_EAST_M - 1500.0 + taxi, -400.0, FIELD_FT, "2001");
        // Departure: take-off roll to 75 m/s by 40 s, then climbing at 8 m/s (≈ 6°) west over
        // the battalion.
        let (run, up) =
            if t < 40 { (x * x * 75.0 / 80.0, 0.0) } else { (1500.0 + (x - 40.0) * 75.0, (x - 40.0) * 8.0) };
        row(&mut s, t, "DEP202", AIRPORT_EAST_M + 1500.0 - run, 1000.0, FIELD_FT + up / 0.3048, "2002");
        // Arrival at FL100 from the north with one report 800 ft high (at 200 s).
        let spike = if t == 200 { 800.0 } else { 0.0 };
        row(&mut s, t, "SPK303", AIRPORT_EAST_M - 20_000.0, 60_000.0 - x * 130.0, 10_000.0 + spike, "2003");
        // En route at FL200 north-east to south-west, its position jumping 0.9 km sideways at
        // 180 s and staying there (a split track).
        let jump = if t >= 180 { 650.0 } else { 0.0 };
        row(&mut s, t, "JMP404", 30_000.0 - x * 150.0 + jump, 30_000.0 - x * 150.0 - jump, 20_000.0, "2004");
        // A flight with no squawk recorded: Mode C and Mode S only.
        row(&mut s, t, "NSQ505", -30_000.0 + x * 140.0, -15_000.0, 6_000.0, "");
    }
    s
}

#[test]
fn recorded_traffic_with_its_hard_cases_is_never_engaged_during_a_raid() {
    let cat = Catalog::embedded().unwrap();
    let dir = std::env::temp_dir().join(format!("bulwark-recorded-traffic-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("flights.csv"), recording()).unwrap();
    let defence = defence(
        &("  [[defence.radar]]\n  type = \"96L6E\"\n  offset = { east = \"600 m\" }\n".to_string()
            + &launcher("5P85SE2", "\"48N6E3\" = 4", "")
            + &launcher("5P85SE2", "\"48N6E3\" = 4", "")
            + &launcher("5P85TE2", "\"9M96E2\" = 16", "")),
    );
    let traffic =
        "\n[[civil]]\ncsv = \"flights.csv\"\ntype = \"airliner-narrowbody\"\naltitude_reference = \"barometric\"\n";
    let mut engaged = 0;
    for roe in ["weapons_free", "weapons_tight"] {
        let text = header("7 min")
            + &format!("\n[[roe]]\nfrom = \"0 s\"\nstate = \"{roe}\"\n")
            + &defence
            + &cruise_raid(6, "0 s", "8 s")
            + traffic;
        let path = dir.join(format!("{roe}.toml"));
        std::fs::write(&path, text).unwrap();
        let s = Scenario::load(&path, Some(&cat)).unwrap();
        for seed in 1..=3 {
            let r = run(&s, seed);
            let what = format!("{roe} seed {seed}");
            let civil: BTreeSet<u32> = civil_ids(&r.truth_csv);
            assert_eq!(civil.len(), 5, "{what}: five recorded flights");
            let c = &r.summary.fratricide.civil;
            assert_eq!(
                (c.fire_orders, c.launches, c.kills, c.collateral_kills),
                (0, 0, 0, 0),
                "{what}: {}",
                r.fratricide_csv
            );
            assert_eq!(r.summary.civil_fire_orders + r.summary.civil_engaged + r.summary.civil_killed, 0, "{what}");
            // Every flight was tracked (confirmed) by the battalion, so the check means something.
            let tracked: BTreeSet<u32> = r
                .tracks
                .iter()
                .filter(|t| t.state == bulwark_engine::TrackState::Confirmed)
                .filter_map(|t| t.truth.map(|e| e.0))
                .filter(|e| civil.contains(e))
                .collect();
            assert_eq!(tracked, civil, "{what}: every recorded flight is tracked");
            engaged += r.summary.timeline.iter().filter(|t| t.first_engaged_s.is_some()).count();
        }
    }
    assert!(engaged > 0, "the raid must be engaged for the test to mean anything");
    std::fs::remove_dir_all(&dir).ok();
}
