//! Operations scenario fields: `arrives` (unit and launcher) and `[[defence.reload]]` parse
//! into SI, and bad values are reported at their file, line and column.
mod ops_support;
use bulwark_scenario::{Catalog, Diagnostic, Scenario};
use ops_support::*;

fn base(reload: &str) -> String {
    header("2 min")
        + &defence_with(
            "arrives = \"2 min\"\n",
            &(launcher("5P85SE2", "\"48N6E3\" = 4", "  arrives = \"150 s\"\n")
                + &launcher("5P85TE2", "\"9M96E2\" = 16", "")
                + reload),
        )
}

fn error(text: &str) -> Diagnostic {
    Scenario::from_str(text, "ops.toml", &Catalog::embedded().unwrap()).expect_err("must be rejected")
}

/// 1-based line and column of the first `needle` after `after`.
fn position_of(text: &str, after: &str, needle: &str) -> (usize, usize) {
    let from = text.find(after).expect("anchor present");
    let at = from + text[from..].find(needle).expect("needle present");
    let before = &text[..at];
    (before.matches('\n').count() + 1, before.rsplit('\n').next().unwrap_or("").chars().count() + 1)
}

#[test]
fn arrival_and_reload_vehicles_parse() {
    let text = base("  [[defence.reload]]\n  missiles = { \"48N6E3\" = 4, \"9M96E2\" = 8 }\n  count = 2\n");
    let s = Scenario::from_str(&text, "ops.toml", &Catalog::embedded().unwrap()).unwrap();
    let d = &s.defences[0];
    assert_eq!(d.arrives.map(|t| t.as_secs_f64()), Some(120.0));
    let arrives: Vec<Option<f64>> = d.launchers.iter().map(|l| l.arrives.map(|t| t.as_secs_f64())).collect();
    assert_eq!(arrives, vec![Some(150.0), Some(120.0)], "a launcher's own arrival, else its unit's");
    assert_eq!(d.reloads.len(), 1);
    assert_eq!(d.reloads[0].count, 2);
    assert_eq!(d.reloads[0].missiles.get("9M96E2"), Some(&8));
    // Without the keys: deployed at the start, no vehicles.
    let plain = header("2 min") + &defence(&launcher("5P85SE2", "\"48N6E3\" = 4", ""));
    let s = Scenario::from_str(&plain, "plain.toml", &Catalog::embedded().unwrap()).unwrap();
    assert!(s.defences[0].arrives.is_none() && s.defences[0].launchers[0].arrives.is_none());
    assert!(s.defences[0].reloads.is_empty());
}

#[test]
fn bad_reload_and_arrival_values_point_at_the_value() {
    // A round no launcher of the unit loads.
    let text = base("  [[defence.reload]]\n  missiles = { \"PAC-3 MSE\" = 4 }\n");
    let d = error(&text);
    assert_eq!((d.line, d.column), position_of(&text, "[[defence.reload]]", "\"PAC-3 MSE\""), "{d:?}");
    assert!(d.message.contains("no launcher of defence \"Bn\" loads it"), "{}", d.message);
    assert!(d.message.contains("48N6E3"), "{}", d.message);
    // Zero vehicles.
    let text = base("  [[defence.reload]]\n  missiles = { \"48N6E3\" = 4 }\n  count = 0\n");
    let d = error(&text);
    assert_eq!((d.line, d.column), position_of(&text, "[[defence.reload]]", "0\n"), "{d:?}");
    assert!(d.message.contains("count must be at least 1"), "{}", d.message);
    // A bare number has no unit.
    let text = base("").replace("arrives = \"150 s\"", "arrives = 150");
    let d = error(&text);
    assert_eq!((d.line, d.column), position_of(&text, "arrives = 150", "150"), "{d:?}");
    assert!(d.message.contains("arrives: a bare number has no unit"), "{}", d.message);
    // Negative arrival.
    let text = base("").replace("arrives = \"2 min\"", "arrives = \"-5 s\"");
    let d = error(&text);
    assert_eq!((d.line, d.column), position_of(&text, "arrives = \"-5 s\"", "\"-5 s\""), "{d:?}");
    assert!(d.message.starts_with("arrives must be"), "{}", d.message);
    // A misspelt key in a reload vehicle.
    let text = base("  [[defence.reload]]\n  missile = { \"48N6E3\" = 4 }\n");
    let d = error(&text);
    assert!(d.message.contains("unknown field `missile`"), "{}", d.message);
}
