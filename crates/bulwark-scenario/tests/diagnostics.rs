//! Bad scenarios give a `file:line:col` diagnostic pointing at the offending text, with a
//! message that says what is wrong and what is accepted — never a panic.
use bulwark_scenario::{Catalog, Diagnostic, Scenario};
use std::path::Path;

fn catalog() -> Catalog {
    Catalog::load_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/catalog")).expect("fixture catalog")
}

const BASE: &str = r#"[scenario]
name = "diagnostics"
epoch = "2026-06-01T04:00:00Z"
origin = { lat = 54.7, lon = 20.5 }
duration = "10 min"
time_step = "0.1 s"

[[defence]]
name = "A"
system = "sys-test"
site = { lat = 54.7, lon = 20.5 }
  [[defence.radar]]
  type = "TR-1"

[[threat]]
type = "cruise-missile-subsonic"
count = 2
route = [
  { lat = 55.9, lon = 18.8, alt = "30 m", speed = "250 m/s" },
  { lat = 54.9, lon = 20.6, alt = "30 m" },
]

[[civil]]
callsign = "LOT281"
squawk = "2641"
type = "airliner-widebody"
route = [ { lat = 54.0, lon = 18.0, alt = "FL350", speed = "450 kt" }, { lat = 55.8, lon = 23.0, alt = "FL350" } ]
"#;

/// Replaces `from` (which must occur once) with `to`, parses, and returns the diagnostic.
fn error_for(from: &str, to: &str) -> (String, Diagnostic) {
    assert_eq!(BASE.matches(from).count(), 1, "{from:?} must occur once in BASE");
    let text = BASE.replace(from, to);
    let d = Scenario::from_str(&text, "bad.toml", &catalog()).expect_err("must be rejected");
    (text, d)
}

/// 1-based line and column (in characters) of the first occurrence of `needle`, computed
/// independently of the crate.
fn position_of(text: &str, needle: &str) -> (usize, usize) {
    let at = text.find(needle).expect("needle present");
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (line, col)
}

#[test]
fn the_base_scenario_is_valid() {
    Scenario::from_str(BASE, "base.toml", &catalog()).expect("BASE must be valid for these tests to mean anything");
}

#[test]
fn misspelt_key_points_at_the_key_and_suggests_the_right_one() {
    let (text, d) = error_for("duration = \"10 min\"", "duraton = \"10 min\"");
    assert_eq!((d.line, d.column), position_of(&text, "duraton"));
    assert_eq!((d.line, d.column), (5, 1));
    assert!(d.message.contains("unknown field `duraton`"), "{}", d.message);
    assert!(d.message.contains("did you mean `duration`?"), "{}", d.message);
    assert_eq!(d.file, Path::new("bad.toml"));
}

#[test]
fn bad_unit_names_the_unit_and_lists_accepted_ones() {
    let (text, d) = error_for("speed = \"250 m/s\"", "speed = \"25 kmh\"");
    assert_eq!((d.line, d.column), position_of(&text, "\"25 kmh\""));
    assert_eq!(d.line, 19);
    assert_eq!(d.message, "speed: unknown speed unit \"kmh\"; expected one of m/s, km/h, kt, km/s, mph, Mach N");
    // The rendered diagnostic shows the line and a caret under the value.
    let shown = d.to_string();
    assert!(shown.starts_with("bad.toml:19:"), "{shown}");
    let lines: Vec<&str> = shown.lines().collect();
    assert!(lines[1].ends_with(r#"{ lat = 55.9, lon = 18.8, alt = "30 m", speed = "25 kmh" },"#), "{shown}");
    let caret = lines[2].find('^').unwrap();
    assert_eq!(&lines[1][caret..caret + 8], "\"25 kmh\"", "{shown}");
}

#[test]
fn latitude_out_of_range() {
    let (text, d) = error_for("{ lat = 55.9, lon = 18.8", "{ lat = 123, lon = 18.8");
    assert_eq!((d.line, d.column), position_of(&text, "123"));
    assert_eq!(d.message, "latitude must be within ±90°, got 123°");
}

#[test]
fn negative_count_is_named_as_such() {
    let (text, d) = error_for("count = 2", "count = -3");
    assert_eq!((d.line, d.column), position_of(&text, "-3"));
    assert_eq!((d.line, d.column), (17, 9));
    assert_eq!(d.message, "count must be at least 1, got -3");
}

#[test]
fn unknown_threat_type_lists_close_and_known_ids() {
    let (text, d) = error_for("type = \"cruise-missile-subsonic\"", "type = \"cruise-misile-subsonic\"");
    assert_eq!((d.line, d.column), position_of(&text, "\"cruise-misile-subsonic\""));
    assert!(d.message.starts_with("unknown threat type \"cruise-misile-subsonic\""), "{}", d.message);
    assert!(d.message.contains("did you mean \"cruise-missile-subsonic\"?"), "{}", d.message);
    assert!(
        d.message.contains("known: airliner-narrowbody, airliner-widebody, cruise-missile-subsonic, srbm"),
        "{}",
        d.message
    );
}

#[test]
fn an_id_of_the_wrong_kind_says_what_it_is() {
    let (_, d) = error_for("type = \"cruise-missile-subsonic\"", "type = \"sys-test\"");
    assert!(d.message.starts_with("\"sys-test\" is a system, not a threat type"), "{}", d.message);
}

#[test]
fn squawk_with_non_octal_digits() {
    let (text, d) = error_for("squawk = \"2641\"", "squawk = \"8888\"");
    assert_eq!((d.line, d.column), position_of(&text, "\"8888\""));
    assert_eq!((d.line, d.column), (25, 10));
    assert!(d.message.contains("squawk \"8888\" is not a Mode 3/A code: expected four octal digits"), "{}", d.message);
}

#[test]
fn missing_route_speed_points_at_the_first_waypoint() {
    let (text, d) = error_for(", speed = \"250 m/s\" }", " }");
    assert_eq!((d.line, d.column), position_of(&text, "{ lat = 55.9"));
    assert!(d.message.starts_with("the first waypoint of a route needs a speed"), "{}", d.message);
}

#[test]
fn more_bad_inputs_each_at_their_place() {
    let cases: &[(&str, &str, &str, &str)] = &[
        // (from, to, where the error must point, words the message must hold)
        (
            "time_step = \"0.1 s\"",
            "time_step = \"11 s\"",
            "\"11 s\"",
            "time_step must be greater than 0 s and at most 10 s",
        ),
        ("time_step = \"0.1 s\"", "time_step = \"0 s\"", "\"0 s\"", "time_step must be greater than 0"),
        ("duration = \"10 min\"", "duration = \"-1 min\"", "\"-1 min\"", "duration must be greater than 0"),
        ("duration = \"10 min\"", "duration = 600", "600", "a bare number has no unit"),
        ("epoch = \"2026-06-01T04:00:00Z\"", "epoch = \"2026-06-01T04:00:00+02:00\"", "\"2026", "must be in UTC"),
        ("epoch = \"2026-06-01T04:00:00Z\"", "epoch = \"yesterday\"", "\"yesterday\"", "not an RFC 3339 time"),
        ("lon = 18.8, alt", "lon = -181, alt", "-181", "longitude must be within ±180°, got -181°"),
        ("system = \"sys-test\"", "system = \"sys-tst\"", "\"sys-tst\"", "did you mean \"sys-test\"?"),
        ("type = \"TR-1\"", "type = \"LCH-1\"", "\"LCH-1\"", "\"LCH-1\" is a launcher, not a radar type"),
        ("callsign = \"LOT281\"", "callsign = \"lot281\"", "\"lot281\"", "1 to 8 characters A-Z and 0-9"),
        ("squawk = \"2641\"", "squawk = 2641", "2641\n", "string of four octal digits"),
        ("  { lat = 54.9, lon = 20.6, alt = \"30 m\" },\n", "", "[\n  { lat = 55.9", "at least 2 waypoints"),
        (
            "count = 2",
            "count = 2\nlaunch = { lat = 1, lon = 2 }",
            "{ lat = 1",
            "launch is for ballistic_missile types only",
        ),
        ("count = 2", "count = 2.5", "2.5", "count: expected a whole number, got 2.5"),
        ("alt = \"30 m\" },\n]", "alt = \"FL\" },\n]", "\"FL\"", "not a valid altitude"),
        (
            "origin = { lat = 54.7, lon = 20.5 }",
            "origin = { lat = 54.7, lon = 20.5, height = 3 }",
            "height",
            "unknown field `height`",
        ),
        ("[[civil]]", "[[civilian]]", "civilian", "unknown field `civilian`"),
        // Issue 19: count 924 at 1e7 s spacing overflowed the clock and spawned the last at 0.
        (
            "count = 2",
            "count = 924\nspacing = \"1e7 s\"",
            "\"1e7 s\"",
            "the last of 924 threats 10000000 s apart would start at 9230000000 s, beyond the 10000000 s limit",
        ),
    ];
    for (from, to, at, words) in cases {
        let (text, d) = error_for(from, to);
        assert_eq!((d.line, d.column), position_of(&text, at), "case {to:?}: {d}");
        assert!(d.message.contains(words), "case {to:?}: {}", d.message);
    }
}

#[test]
fn launcher_loads_are_checked_against_capacity_and_type() {
    let defence = "  [[defence.radar]]\n  type = \"TR-1\"\n";
    let (text, d) = error_for(
        defence,
        &format!(
            "{defence}  [[defence.launcher]]\n  type = \"LCH-1\"\n  missiles = {{ \"MSL-A\" = 4, \"MSL-B\" = 1 }}\n"
        ),
    );
    assert_eq!((d.line, d.column), position_of(&text, "{ \"MSL-A\""));
    assert_eq!(d.message, "5 missiles loaded but launcher LCH-1 has 4 tubes");
    let (text, d) = error_for(
        defence,
        &format!("{defence}  [[defence.launcher]]\n  type = \"LCH-1\"\n  missiles = {{ \"SR-1\" = 1 }}\n"),
    );
    assert_eq!((d.line, d.column), position_of(&text, "\"SR-1\" = 1"));
    assert_eq!(d.message, "launcher LCH-1 cannot carry \"SR-1\"; it loads MSL-A, MSL-B");
}

#[test]
fn a_ballistic_threat_needs_launch_and_aim() {
    let (text, d) = error_for("type = \"cruise-missile-subsonic\"", "type = \"srbm\"");
    assert_eq!((d.line, d.column), position_of(&text, "[\n  { lat = 55.9"));
    assert!(d.message.contains("give launch and aim instead of a route"), "{}", d.message);
}

#[test]
fn toml_syntax_errors_are_located_too() {
    let text = BASE.replace("seed", "x").replace("name = \"diagnostics\"", "name = \"diagnostics");
    let d = Scenario::from_str(&text, "bad.toml", &catalog()).unwrap_err();
    assert_eq!(d.line, 2, "{d}");
    assert!(d.to_string().starts_with("bad.toml:2:"), "{d}");
}

#[test]
fn unreadable_files_are_diagnostics_without_a_line() {
    let d = Scenario::load("does/not/exist.toml", Some(&catalog())).unwrap_err();
    assert_eq!(d.line, 0);
    assert!(d.to_string().starts_with("does/not/exist.toml: error: cannot read"), "{d}");
}

#[test]
fn csv_errors_give_the_row_line_and_field_column() {
    let dir = std::env::temp_dir().join(format!("bulwark-scenario-csv-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let scen = BASE.replace(
        "callsign = \"LOT281\"\nsquawk = \"2641\"\ntype = \"airliner-widebody\"\nroute = [ { lat = 54.0, lon = 18.0, alt = \"FL350\", speed = \"450 kt\" }, { lat = 55.8, lon = 23.0, alt = \"FL350\" } ]",
        "csv = \"f.csv\"\ntype = \"airliner-widebody\"",
    );
    assert_ne!(scen, BASE);
    let cases: &[(&str, (usize, usize), &str)] = &[
        (
            "time,lat,lon,altitude_m,callsign\n0,54,20,100,AB1\n10,54,195.5,100,AB1\n",
            (3, 7),
            "lon must be between -180 and 180, got 195.5",
        ),
        (
            "time,lat,lon,altitude_m,callsign,squawk\n0,54,20,100,AB1,7777\n10,54,20,100,AB1,8888\n",
            (3, 18),
            "squawk \"8888\"",
        ),
        (
            "time,lat,lon,altitude_m,callsign\n0,54,20,100,AB1\n\"yesterday\",54,20,100,AB1\n",
            (3, 1),
            "neither seconds from the epoch nor an ISO 8601 time",
        ),
        ("time,lat,lon,alt,callsign\n0,54,20,100,AB1\n", (1, 14), "unknown column \"alt\""),
        (
            "time,lat,lon,altitude_m,callsign\n0,54,20,100,AB1\n1,54,20\n",
            (3, 1),
            "this row has 3 fields but the header has 5",
        ),
        (
            "time,lat,lon,altitude_m,callsign\n0,54,20,100,AB1\n5,54,20,100,AB1\n1,54,20,100,AB2\n",
            (4, 1),
            "flight AB2 has a single row",
        ),
        (
            "time,lat,lon,altitude_m,callsign\n5,54,20,100,AB1\n5,54.1,20,100,AB1\n",
            (3, 1),
            "flight AB1 has two rows at time",
        ),
        ("time,lat,lon,altitude_m,callsign\n0,\"5,4\",20,100,AB1\n", (2, 3), "lat: \"5,4\" is not a number"),
        // Issue 19: 8.5e14 m/s was accepted. 10° of longitude at 54° N in 1 s.
        (
            "time,lat,lon,altitude_m,callsign\n0,54,20,10000,AB1\n1,54,30,10000,AB1\n",
            (3, 1),
            "m/s over the ground, faster than any aircraft (limit 1500 m/s)",
        ),
        (
            "time,lat,lon,altitude_m,callsign\n0,54,20,100,AB1\n10,54,20.001,10000,AB1\n",
            (3, 1),
            "climb or descend at 990 m/s",
        ),
        (
            "time,lat,lon,altitude_m,callsign\n0,54,20,100,AB1\n60,54,20.1,100,AB1\n9000,54,20.2,100,AB1\n",
            (4, 1),
            "single row at 9000.000 s more than 1800 s from its other rows",
        ),
    ];
    for (csv, (line, col), words) in cases {
        std::fs::write(dir.join("f.csv"), csv).unwrap();
        let d = Scenario::from_str(&scen, dir.join("s.toml"), &catalog()).unwrap_err();
        assert_eq!(d.file, dir.join("f.csv"), "{d}");
        assert_eq!((d.line, d.column), (*line, *col), "csv {csv:?}: {d}");
        assert!(d.message.contains(words), "csv {csv:?}: {}", d.message);
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// Issue 19: two aircraft under one callsign hours apart were merged into one flight crawling
/// between them at 3.6 m/s, and flights that ended before the scenario started were still
/// flown (and counted as spawned).
#[test]
fn one_callsign_hours_apart_is_two_flights_and_flights_outside_the_run_are_left_out() {
    let dir = std::env::temp_dir().join(format!("bulwark-scenario-gaps-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let scen = BASE
        .replace(
            "callsign = \"LOT281\"\nsquawk = \"2641\"\ntype = \"airliner-widebody\"\nroute = [ { lat = 54.0, lon = 18.0, alt = \"FL350\", speed = \"450 kt\" }, { lat = 55.8, lon = 23.0, alt = \"FL350\" } ]",
            "csv = \"f.csv\"\ntype = \"airliner-widebody\"",
        )
        .replace("duration = \"10 min\"", "duration = \"3 h\"");
    let csv = "time,lat,lon,altitude_m,callsign\n\
               0,54,20,10000,LOT1\n60,54,20.2,10000,LOT1\n\
               7200,52,21,10000,LOT1\n7260,52.1,21,10000,LOT1\n\
               -7200,50,10,10000,OLD1\n-7000,50,10.1,10000,OLD1\n";
    std::fs::write(dir.join("f.csv"), csv).unwrap();
    let s = Scenario::from_str(&scen, dir.join("s.toml"), &catalog()).unwrap();
    let lot: Vec<_> = s.civil.iter().filter(|f| f.callsign == "LOT1").collect();
    assert_eq!(lot.len(), 2, "one callsign 2 h apart is two flights");
    assert_eq!(lot[1].start.as_secs_f64(), 7200.0);
    assert!(s.civil.iter().all(|f| f.callsign != "OLD1"), "a flight over before 0 s is not in the run");
    assert_eq!(s.civil_outside, 1);
    let _ = std::fs::remove_dir_all(&dir);
}

/// Issue 19: only the first of 50,665 bad cells of a real recording was reported, so mending
/// it took one run per cell. Now the first 20 are each located and the rest counted. Oracle:
/// the places are those of the cells this test wrote (line k + 2, column of `lat`).
#[test]
fn many_bad_flight_cells_are_each_located_up_to_20_and_counted() {
    let dir = std::env::temp_dir().join(format!("bulwark-scenario-cells-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let scen = BASE.replace(
        "callsign = \"LOT281\"\nsquawk = \"2641\"\ntype = \"airliner-widebody\"\nroute = [ { lat = 54.0, lon = 18.0, alt = \"FL350\", speed = \"450 kt\" }, { lat = 55.8, lon = 23.0, alt = \"FL350\" } ]",
        "csv = \"f.csv\"\ntype = \"airliner-widebody\"",
    );
    for bad in [3usize, 25] {
        let mut csv = String::from("time,lat,lon,altitude_m,callsign\n");
        for k in 0..60 {
            let lat =
                if k % 2 == 1 && k / 2 < bad { "north".to_string() } else { format!("{}", 54.0 + 0.01 * k as f64) };
            csv.push_str(&format!("{},{lat},20,10000,AB1\n", 10 * k));
        }
        std::fs::write(dir.join("f.csv"), &csv).unwrap();
        let d = Scenario::from_str(&scen, dir.join("s.toml"), &catalog()).unwrap_err();
        let shown = bad.min(20);
        assert_eq!(1 + d.also().len(), shown, "{d}");
        // Bad rows are k = 1, 3, 5, …: file line k + 2, and `lat` starts after "10k,".
        for (i, e) in std::iter::once(&d).chain(d.also()).enumerate() {
            let k = 2 * i + 1;
            assert_eq!((e.line, e.column), (k + 2, format!("{},", 10 * k).len() + 1), "{d}");
            assert!(e.message.contains("lat: \"north\" is not a number"), "{}", e.message);
        }
        assert_eq!(d.total(), bad, "{d}");
        let text = d.to_string();
        assert!(text.contains(&format!("f.csv: error: {bad} errors in all")), "{text}");
        assert_eq!(text.contains("(the first 20 shown)"), bad > 20, "{text}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
