//! Arbitrary input to the scenario, catalog and CSV readers gives a diagnostic or a value,
//! never a panic; every diagnostic has a position inside the text.
use bulwark_scenario::{Catalog, Scenario};
use proptest::prelude::*;
use std::path::Path;
use std::sync::OnceLock;

fn catalog() -> &'static Catalog {
    static CAT: OnceLock<Catalog> = OnceLock::new();
    CAT.get_or_init(|| {
        Catalog::load_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/catalog"))
            .expect("fixture catalog")
    })
}

fn valid() -> &'static str {
    static TEXT: OnceLock<String> = OnceLock::new();
    TEXT.get_or_init(|| {
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/valid_mixed.toml"))
            .unwrap()
            .replace("catalog = \"catalog\"\n", "")
    })
}

fn check(text: &str) -> Result<(), TestCaseError> {
    if let Err(d) = Scenario::from_str(text, "fuzz.toml", catalog()) {
        let lines = text.split('\n').count();
        prop_assert!(d.line <= lines, "line {} of {} lines: {}", d.line, lines, d);
        let _ = d.to_string();
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_text(s in "\\PC{0,300}") {
        check(&s)?;
    }

    #[test]
    fn arbitrary_bytes(b in proptest::collection::vec(any::<u8>(), 0..300)) {
        check(&String::from_utf8_lossy(&b))?;
        let _ = Catalog::from_texts(&[("fuzz.toml".into(), String::from_utf8_lossy(&b).into_owned())]);
    }

    /// Splice random text into a valid scenario so the fuzz reaches validation, not just TOML.
    #[test]
    fn mutated_valid_scenario(at in 0usize..2000, cut in 0usize..20, insert in "[-0-9a-zA-Z \"=.,{}\\[\\]\n]{0,12}") {
        let base = valid();
        let mut at = at % base.len();
        while !base.is_char_boundary(at) { at -= 1; }
        let mut end = (at + cut).min(base.len());
        while !base.is_char_boundary(end) { end -= 1; }
        let text = format!("{}{}{}", &base[..at], insert, &base[end..]);
        check(&text)?;
    }

    /// Random values in the typed slots.
    #[test]
    fn random_values(v in "[-+0-9.eE a-zA-Z/²]{0,16}", n in any::<i64>(), f in any::<f64>()) {
        let vals = [format!("\"{v}\""), n.to_string(), format!("{f:?}").replace("NaN", "nan")];
        for val in &vals {
            for key in ["count = 6", "speed = \"Mach 0.8\"", "lat = 55.9", "squawk = \"2641\"", "duration = \"15 min\"", "sac = 0", "start = \"60 s\"", "radius = \"2 km\"", "missiles = { \"MSL-A\" = 2"] {
                let (k, _) = key.split_once(" = ").unwrap();
                let rep = if k == "missiles" { format!("missiles = {{ \"MSL-A\" = {val}") } else { format!("{k} = {val}") };
                check(&valid().replacen(key, &rep, 1))?;
            }
        }
    }
}

#[test]
fn the_base_of_the_mutations_is_valid() {
    Scenario::from_str(valid(), "fuzz.toml", catalog()).unwrap();
}
