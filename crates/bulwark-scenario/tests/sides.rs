//! Sides as data (issue 18 item 1): `[[friendly]]` groups of any platform with their own
//! transponder fit, and `[[civil]]` / `[[threat]]` entries whose type contradicts their side
//! refused at the offending text.
use bulwark_core::TransponderMode as M;
use bulwark_scenario::{Catalog, Scenario};

const HEAD: &str = r#"[scenario]
name = "sides"
epoch = "2026-06-01T04:00:00Z"
origin = { lat = 40.0, lon = -40.0 }
duration = "1 min"
time_step = "0.1 s"
"#;

const ROUTE: &str = r#"route = [
  { lat = 40.3, lon = -39.4, alt = "8 km", speed = "800 km/h" },
  { lat = 39.7, lon = -39.4, alt = "8 km" },
]
"#;

fn parse(body: &str) -> Result<Scenario, bulwark_scenario::Diagnostic> {
    let text = format!("{HEAD}{body}");
    Scenario::from_str(&text, "sides.toml", &Catalog::embedded().expect("embedded catalog"))
}

/// 1-based line and column (in characters) of the first occurrence of `needle` in the file.
fn position_of(body: &str, needle: &str) -> (usize, usize) {
    let text = format!("{HEAD}{body}");
    let at = text.find(needle).expect("needle present");
    let before = &text[..at];
    (before.matches('\n').count() + 1, before.rsplit('\n').next().unwrap_or("").chars().count() + 1)
}

#[test]
fn a_friendly_group_takes_any_platform_and_its_own_transponder_fit() {
    // A fighter type that carries no transponder in the catalog, entered as an ally with
    // Mode 5, Mode 3/A and C, a code and a 10 % chance that the set has failed.
    let body = format!(
        "[[friendly]]\nname = \"Allied pair\"\ntype = \"fighter-4gen\"\ncount = 2\nspacing = \"10 s\"\n\
         transponder = [\"mode5\", \"mode3a\", \"modec\"]\ntransponder_failure = 0.1\nsquawk = \"4401\"\n{ROUTE}"
    );
    let s = parse(&body).expect("valid friendly group");
    assert!(s.threats.is_empty());
    let f = &s.friendlies[0];
    assert_eq!((f.name.as_str(), f.type_id.as_str(), f.count), ("Allied pair", "fighter-4gen", 2));
    assert_eq!(f.transponder.modes.iter().copied().collect::<Vec<_>>(), vec![M::Mode5, M::Mode3A, M::ModeC]);
    assert_eq!(f.transponder.failure_probability, 0.1);
    assert_eq!(f.transponder.squawk, Some(0o4401));
    assert_eq!(f.route.len(), 2);

    // Without `transponder` the catalog's fit holds: friendly-fighter carries Mode 5 alone.
    let s = parse(&format!("[[friendly]]\ntype = \"friendly-fighter\"\n{ROUTE}")).unwrap();
    assert_eq!(s.friendlies[0].transponder.modes.iter().copied().collect::<Vec<_>>(), vec![M::Mode5]);
    assert_eq!(s.friendlies[0].transponder.failure_probability, 0.0);
    // "none": an ally with no transponder at all.
    let s = parse(&format!("[[friendly]]\ntype = \"friendly-fighter\"\ntransponder = \"none\"\n{ROUTE}")).unwrap();
    assert!(s.friendlies[0].transponder.modes.is_empty());
}

#[test]
fn bad_transponder_keys_point_at_their_text() {
    for (bad, words) in [
        ("transponder = [\"mode 5\"]", "is not a transponder mode"),
        ("transponder = [\"mode5\", \"mode5\"]", "listed twice"),
        ("transponder = \"mode5\"", "is not a list of modes"),
    ] {
        let body = format!("[[friendly]]\ntype = \"friendly-fighter\"\n{bad}\n{ROUTE}");
        let d = parse(&body).unwrap_err();
        assert_eq!((d.line, d.column), position_of(&body, &bad[14..]), "{d}");
        assert!(d.message.contains(words) && d.message.contains("mode3a"), "{d}");
    }
    let body = format!("[[friendly]]\ntype = \"friendly-fighter\"\ntransponder_failure = 1.5\n{ROUTE}");
    let d = parse(&body).unwrap_err();
    assert_eq!((d.line, d.column), position_of(&body, "1.5"), "{d}");
    let body = "[[friendly]]\ntype = \"srbm\"\nlaunch = { lat = 38.3, lon = -41.5 }\n";
    assert!(parse(body).is_err(), "a ballistic missile is no friendly aircraft");
}

#[test]
fn a_civil_entry_of_a_military_type_is_an_error_not_a_silent_friendly() {
    let body = format!("[[civil]]\ncallsign = \"RCH123\"\ntype = \"friendly-fighter\"\n{ROUTE}");
    let d = parse(&body).unwrap_err();
    assert_eq!((d.line, d.column), position_of(&body, "\"friendly-fighter\""), "{d}");
    assert!(d.message.contains("not a civil aircraft") && d.message.contains("airliner-widebody"), "{d}");
    assert!(d.message.contains("[[friendly]]"), "{d}");
    // A civil type is accepted.
    let ok = format!("[[civil]]\ncallsign = \"NAT1\"\ntype = \"airliner-widebody\"\n{ROUTE}");
    assert_eq!(parse(&ok).unwrap().civil.len(), 1);
}

#[test]
fn a_threat_of_a_mode5_type_is_refused_with_the_friendly_section_named() {
    let body = format!("[[threat]]\ntype = \"friendly-fighter\"\n{ROUTE}");
    let d = parse(&body).unwrap_err();
    assert_eq!((d.line, d.column), position_of(&body, "\"friendly-fighter\""), "{d}");
    assert!(d.message.contains("Mode 5") && d.message.contains("[[friendly]]"), "{d}");
}

#[test]
fn the_identification_doctrine_is_read_and_checked() {
    let s = parse("[identification]\nhold_cycles = 5\nhostile_confidence_tight = 0.9\ntight_hold = \"8 s\"\n").unwrap();
    let d = &s.identification;
    assert_eq!((d.hold_cycles, d.hostile_confidence_tight, d.tight_hold_s), (Some(5), Some(0.9), Some(8.0)));
    assert_eq!((d.hostile_confidence_free, d.suspect_confidence), (None, None), "left to the command post");
    assert_eq!(parse("").unwrap().identification, Default::default());
    let body = "[identification]\nsuspect_confidence = 1.2\n";
    let d = parse(body).unwrap_err();
    assert_eq!((d.line, d.column), position_of(body, "1.2"), "{d}");
    let body = "[identification]\nhold_cycles = 0\n";
    assert!(parse(body).is_err(), "at least one cycle");
}
