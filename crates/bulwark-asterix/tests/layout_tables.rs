//! The generated layout tables: consistent with themselves, with the UAPs of the
//! specifications (FRN positions as printed in the EUROCONTROL category documents), and — when
//! the `.ast` sources are on this machine — with a fresh run of `tools/asterix_spec_gen.py`.
use std::path::{Path, PathBuf};
use std::process::Command;

use bulwark_asterix::generic::si_unit;
use bulwark_asterix::spec::{self, Category, Element, Item, Kind, Structure};

const ALL: [&Category; 4] = [&spec::CAT021, &spec::CAT034, &spec::CAT048, &spec::CAT062];

/// Checks that every element lies inside its chunk of `len` octets, clear of the FX bit when
/// the chunk has one, without overlapping its neighbours.
fn check_elements(what: &str, elements: &[Element], len: usize, has_fx: bool) {
    let limit = len * 8 - usize::from(has_fx);
    let mut end = 0;
    for el in elements {
        let (bit, width) = (el.bit as usize, el.width as usize);
        assert!((1..=64).contains(&width), "{what}/{}: width {width}", el.name);
        assert!(bit >= end, "{what}/{}: overlaps the previous element", el.name);
        end = bit + width;
        assert!(end <= limit, "{what}/{}: ends at bit {end}, chunk has {limit}", el.name);
        check_kind(what, el.name, &el.kind, width);
    }
}

fn check_kind(what: &str, name: &str, kind: &Kind, width: usize) {
    match kind {
        Kind::Quantity { lsb, unit } => {
            assert!(lsb.is_finite() && *lsb > 0.0, "{what}/{name}: lsb {lsb}");
            assert!(si_unit(unit).is_some(), "{what}/{name}: unit {unit:?} has no SI conversion");
        }
        Kind::Icao => assert_eq!(width % 6, 0, "{what}/{name}"),
        Kind::Ascii => assert_eq!(width % 8, 0, "{what}/{name}"),
        Kind::Octal => assert_eq!(width % 3, 0, "{what}/{name}"),
        Kind::Case { cases, default, .. } => {
            for c in cases.iter() {
                check_kind(what, name, &c.kind, width);
            }
            check_kind(what, name, &default.kind, width);
        }
        Kind::Raw | Kind::Integer | Kind::Table(_) => {}
    }
}

fn check_item(what: &str, item: &Item) {
    let what = format!("{what}/{}", item.id);
    match &item.structure {
        Structure::Fixed { len, elements } | Structure::Repetitive { len, elements } => {
            assert!(*len > 0, "{what}: empty");
            check_elements(&what, elements, *len, false);
        }
        Structure::RepetitiveFx { len, elements } => check_elements(&what, elements, *len, true),
        Structure::Extended { parts } => {
            assert!(!parts.is_empty(), "{what}");
            for p in parts.iter() {
                check_elements(&what, p.elements, p.len, true);
            }
        }
        Structure::Compound { subitems } => {
            for s in subitems.iter() {
                check_item(&what, s);
            }
        }
        Structure::Explicit | Structure::Spare => {}
    }
}

#[test]
fn tables_are_consistent() {
    for cat in ALL {
        for item in cat.uap {
            check_item(&format!("I{:03}", cat.category), item);
        }
        assert_eq!(spec::category(cat.category).map(|c| c.edition), Some(cat.edition));
    }
    assert!(spec::category(1).is_none());
}

#[test]
fn uaps_match_the_specifications() {
    // Editions the crate decodes (the newest Wireshark 4.0 knows, and CAT021 2.6).
    let editions: Vec<_> = ALL.iter().map(|c| (c.category, c.edition)).collect();
    assert_eq!(editions, [(21, "2.6"), (34, "1.29"), (48, "1.31"), (62, "1.19")]);
    // UAP positions (FRN) as printed in each specification's UAP table.
    let c48 = &spec::CAT048;
    assert_eq!(c48.uap.len(), 28);
    for (id, frn) in [("010", 1), ("140", 2), ("020", 3), ("040", 4), ("130", 7), ("240", 9), ("230", 21)] {
        assert_eq!(c48.frn_of(id), Some(frn), "I048/{id}");
    }
    assert_eq!((c48.frn_of("SP"), c48.frn_of("RE")), (Some(27), Some(28)));
    let c62 = &spec::CAT062;
    assert!(c62.item(2).is_none(), "I062 FRN 2 is spare");
    assert_eq!(
        (c62.frn_of("380"), c62.frn_of("500"), c62.frn_of("RE"), c62.frn_of("SP")),
        (Some(11), Some(27), Some(34), Some(35))
    );
    assert!((29..=33).all(|frn| c62.item(frn).is_none()));
    let c21 = &spec::CAT021;
    assert_eq!((c21.frn_of("170"), c21.frn_of("295"), c21.frn_of("RE")), (Some(29), Some(42), Some(48)));
    assert!((43..=47).all(|frn| c21.item(frn).is_none()));
    assert_eq!((spec::CAT034.frn_of("000"), spec::CAT034.frn_of("SP")), (Some(2), Some(14)));
    // I048/040 RHO: 16 bits, LSB 1/256 NM.
    let Structure::Fixed { len: 4, elements } = &c48.item(4).unwrap().structure else { panic!("I048/040") };
    assert_eq!((elements[0].name, elements[0].bit, elements[0].width), ("RHO", 0, 16));
    assert!(matches!(elements[0].kind, Kind::Quantity { lsb, unit: "NM" } if lsb == 1.0 / 256.0));
    // I048/020: three parts of one octet; I062/080: six.
    let Structure::Extended { parts } = &c48.item(3).unwrap().structure else { panic!("I048/020") };
    assert_eq!(parts.iter().map(|p| p.len).collect::<Vec<_>>(), [1, 1, 1]);
    let Structure::Extended { parts } = &c62.item(13).unwrap().structure else { panic!("I062/080") };
    assert_eq!(parts.iter().map(|p| p.len).collect::<Vec<_>>(), [1; 6]);
    // I048/130: seven compound subfields; I062/380: 28.
    let Structure::Compound { subitems } = &c48.item(7).unwrap().structure else { panic!("I048/130") };
    assert_eq!(subitems.iter().map(|s| s.id).collect::<Vec<_>>(), ["SRL", "SRR", "SAM", "PRL", "PAM", "RPD", "APD"]);
    let Structure::Compound { subitems } = &c62.item(11).unwrap().structure else { panic!("I062/380") };
    assert_eq!(subitems.len(), 28);
}

/// `shared/asterix-specs` beside the repository, when this machine has it.
fn specs_dir() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/asterix-specs");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("skipping: {} not found", dir.display());
        None
    }
}

#[test]
fn generated_headers_name_the_source_editions() {
    let Some(dir) = specs_dir() else { return };
    for cat in ALL {
        let ast = std::fs::read_to_string(dir.join(cat.source)).expect("source .ast");
        let edition = ast.lines().find_map(|l| l.strip_prefix("edition ")).map(str::trim);
        assert_eq!(edition, Some(cat.edition), "{}", cat.source);
        assert!(ast.starts_with(&format!("asterix {:03} ", cat.category)), "{}", cat.source);
    }
    let generated = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/spec/cat048.rs");
    let head = std::fs::read_to_string(generated).expect("cat048.rs");
    assert!(head.starts_with("// @generated by tools/asterix_spec_gen.py from cat048-1.31.ast"));
}

/// Re-runs the generator into a temporary folder and compares with the committed tables.
#[test]
fn generator_reproduces_the_committed_tables() {
    let Some(dir) = specs_dir() else { return };
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let out = std::env::temp_dir().join(format!("bulwark-asterix-spec-{}", std::process::id()));
    let run = Command::new("python3").arg(root.join("tools/asterix_spec_gen.py")).arg(&dir).arg(&out).output();
    match run {
        Ok(o) if o.status.success() => {}
        Ok(o) => {
            let err = String::from_utf8_lossy(&o.stderr);
            if err.contains("No such file") && err.contains("rustfmt") {
                eprintln!("skipping: rustfmt not available");
                return;
            }
            panic!("generator failed: {err}");
        }
        Err(e) => {
            eprintln!("skipping: python3 not available ({e})");
            return;
        }
    }
    for cat in ["cat021", "cat034", "cat048", "cat062"] {
        let fresh = std::fs::read_to_string(out.join(format!("{cat}.rs"))).expect("generated");
        let committed =
            std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("src/spec/{cat}.rs")))
                .expect("committed");
        assert!(fresh == committed, "src/spec/{cat}.rs differs from the generator's output: re-run it");
    }
    let _ = std::fs::remove_dir_all(&out);
}
