//! `[[command]]`: command posts over defence units, parsed into SI with file:line:col errors.
use bulwark_scenario::{Catalog, CommandDoctrine, Scenario};

const REFERENCE: &str = include_str!("../../../scenarios/reference.toml");

fn with(extra: &str) -> Result<Scenario, String> {
    let catalog = Catalog::embedded().expect("embedded catalog");
    let text = format!("{REFERENCE}\n{extra}");
    Scenario::from_str(&text, "net.toml", &catalog).map_err(|d| d.to_string())
}

/// Line of `needle` in the combined text (1-based), for the expected diagnostics.
fn line_of(extra: &str, needle: &str) -> usize {
    let text = format!("{REFERENCE}\n{extra}");
    text.lines().position(|l| l.contains(needle)).expect("needle") + 1
}

#[test]
fn a_command_post_with_outages_parses_into_si() {
    let extra = r#"
[[command]]
name = "regiment CP"
type = "55K6E"
site = { lat = 40.1, lon = -40.0 }
units = ["1st battalion"]
doctrine = "decentralised"
[[command.outage]]
from = "5 min"
duration = "60 s"
[[command.outage]]
unit = "1st battalion"
from = "600 s"
loss = 0.5
"#;
    let s = with(extra).expect("parses");
    assert_eq!(s.commands.len(), 1);
    let c = &s.commands[0];
    assert_eq!(c.units, vec![0]);
    assert_eq!(c.doctrine, CommandDoctrine::Decentralised);
    assert_eq!(c.outages[0].from.as_secs_f64(), 300.0);
    assert_eq!(c.outages[0].until.map(|t| t.as_secs_f64()), Some(360.0));
    assert_eq!(c.outages[0].loss, None);
    assert_eq!(c.outages[1].unit, Some(0));
    assert_eq!(c.outages[1].until, None);
    assert_eq!(c.outages[1].loss, Some(0.5));
    assert!(with("").expect("reference").commands.is_empty(), "no [[command]]: no post");
}

#[test]
fn bad_command_posts_point_at_the_value() {
    let cases = [
        ("type = \"55K6X\"", "unknown command_post \"55K6X\""),
        ("units = [\"2nd battalion\"]", "unknown defence unit \"2nd battalion\""),
        ("units = []", "directs at least one defence unit"),
        ("doctrine = \"central\"", "unknown variant"),
    ];
    for (line, want) in cases {
        let mut fields = vec![
            "name = \"cp\"".to_string(),
            "type = \"55K6E\"".into(),
            "site = { lat = 40.1, lon = -40.0 }".into(),
            "units = [\"1st battalion\"]".into(),
        ];
        let key = line.split(' ').next().unwrap_or("");
        fields.retain(|f| !f.starts_with(key));
        fields.push(line.to_string());
        let extra = format!("[[command]]\n{}\n", fields.join("\n"));
        let err = with(&extra).expect_err(line);
        assert!(err.contains(want), "{line}: {err}");
        assert!(err.contains(&format!("net.toml:{}:", line_of(&extra, line))), "{line}: {err}");
    }
    let twice = "[[command]]\nname = \"a\"\ntype = \"55K6E\"\nsite = { lat = 40.1, lon = -40.0 }\nunits = [\"1st battalion\"]\n\
                 [[command]]\nname = \"b\"\ntype = \"patriot-icc\"\nsite = { lat = 40.1, lon = -40.0 }\nunits = [\"1st battalion\"]\n";
    let err = with(twice).expect_err("twice");
    assert!(err.contains("already directed by command post \"a\""), "{err}");
    let outage = "[[command]]\nname = \"a\"\ntype = \"55K6E\"\nsite = { lat = 40.1, lon = -40.0 }\nunits = [\"1st battalion\"]\n\
                  [[command.outage]]\nfrom = \"10 s\"\nloss = 1.5\n";
    let err = with(outage).expect_err("loss");
    assert!(err.contains("outage.loss must be between 0 and 1"), "{err}");
}

/// `[[command]] tracker`: the post's own fusion parameters from a tracker TOML, relative to the
/// scenario file. A constant-acceleration filter cannot predict the units' constant-velocity
/// reports: an error at the file's `motion` value (line 3, column 10); a missing file is an
/// error at the key.
#[test]
fn a_command_posts_tracker_file_is_read_and_checked_at_its_place() {
    let post = |tracker: &str| {
        format!(
            "[[command]]\nname = \"cp\"\ntype = \"55K6E\"\nsite = {{ lat = 40.1, lon = -40.0 }}\nunits = [\"1st battalion\"]\ntracker = \"{tracker}\"\n"
        )
    };
    let s = with(&post("tests/fixtures/post-cv.toml")).expect("parses");
    let t = s.commands[0].tracker.as_ref().expect("tracker");
    assert_eq!(*t.config.filter.q.get_ref(), 25.0);
    assert!(with("").expect("reference").commands.iter().all(|c| c.tracker.is_none()));
    let e = with(&post("tests/fixtures/post-ca.toml")).unwrap_err();
    assert!(e.contains("post-ca.toml:3:10: error: a command post fuses"), "{e}");
    let extra = post("tests/fixtures/none.toml");
    let e = with(&extra).unwrap_err();
    let line = line_of(&extra, "tests/fixtures/none.toml");
    assert!(e.contains(&format!("net.toml:{line}:11: error: cannot read tracker")), "{e}");
}
