//! The calculators in the user's words (`bulwark radar range --target`, `radar table`,
//! `coverage --target`), as printed.
//!
//! Oracle for the ranges: the reference-point radar equation R = R_ref·(σ/σ_ref)^¼ at the
//! reference Pd and Swerling case (Skolnik, Introduction to Radar Systems, 2001, eq. 2.1: R⁴ ∝ σ
//! at a fixed SNR), with σ read straight from the catalog file's table for the radar's band
//! and the aspect, and R_ref, σ_ref from the radar's catalog entry.
use bulwark_scenario::{Aspect, Band, Catalog};
use std::process::{Command, Output};

fn bulwark(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_bulwark")).args(args).output().expect("bulwark runs")
}

fn stdout(out: &Output) -> String {
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout.clone()).unwrap()
}

/// R_ref·(σ/σ_ref)^¼ (m) for catalog radar `id` and the catalog stealth fighter's `band`/`aspect` value.
fn fourth_root_range(cat: &Catalog, id: &str, band: Band, aspect: Aspect) -> f64 {
    let a = cat.radar(id).unwrap().detection_anchor().unwrap();
    let sigma = cat.platform("stealth-fighter").unwrap().rcs.get(band, aspect).unwrap().value;
    a.range_m * (sigma / a.rcs_m2).powf(0.25)
}

#[test]
fn range_of_a_named_target_as_printed() {
    let out = stdout(&bulwark(&[
        "radar",
        "range",
        "--radar",
        "92N6E",
        "--target",
        "stealth-fighter",
        "--aspect",
        "nose",
        "--pd",
        "0.5",
    ]));
    let lines: Vec<&str> = out.lines().collect();
    assert!(
        lines[0].starts_with(
            "92N6E (X band, 9.798 GHz) vs stealth-fighter (swerling1): free-space detection range at Pd 0.5"
        ),
        "{out}"
    );
    assert_eq!(lines[1].split_whitespace().collect::<Vec<_>>(), ["aspect", "RCS", "(m²)", "range", "(km)"]);
    let row: Vec<&str> = lines[2].split_whitespace().collect();
    assert_eq!(row[..2], ["nose", "0.0010"]);
    let want = fourth_root_range(&Catalog::embedded().unwrap(), "92N6E", Band::X, Aspect::Nose) / 1e3;
    let got: f64 = row[2].parse().unwrap();
    assert!((got - want).abs() <= 0.05, "{got} km vs R_ref(σ/σ_ref)^¼ = {want} km"); // printed to 0.1 km
    assert_eq!(lines.len(), 3);
}

#[test]
fn table_follows_the_fourth_root_law_and_low_band_beats_x_band_at_every_aspect() {
    let out = stdout(&bulwark(&[
        "radar",
        "table",
        "--system",
        "s400-regiment",
        "--target",
        "stealth-fighter",
        "--pd",
        "0.5",
        "--json",
    ]));
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    let cat = Catalog::embedded().unwrap();
    let rows = doc["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 5, "one row per aspect");
    for row in rows {
        let aspect = match row["aspect"].as_str().unwrap() {
            "nose" => Aspect::Nose,
            "beam" => Aspect::Beam,
            "tail" => Aspect::Tail,
            _ => continue, // above/below: not in the table, the dB mean of the others
        };
        let r = |id: &str| row["range_m"][id].as_f64().unwrap();
        for (id, band) in [
            ("91N6E", Band::S),
            ("92N6E", Band::X),
            ("55Zh6ME-M", Band::Vhf),
            ("55Zh6ME-D", Band::L),
            ("59N6-TE", Band::Uhf),
        ] {
            let want = fourth_root_range(&cat, id, band, aspect);
            assert!((r(id) / want - 1.0).abs() < 1e-6, "{id} {aspect:?}: {} vs {want}", r(id));
        }
    }
    for row in rows {
        let r = |id: &str| row["range_m"][id].as_f64().unwrap();
        for low in ["55Zh6ME-M", "55Zh6ME-D", "59N6-TE"] {
            assert!(r(low) > r("92N6E"), "{} aspect: {low} {} m vs 92N6E {} m", row["aspect"], r(low), r("92N6E"));
        }
    }
}

#[test]
fn table_as_printed_names_radars_with_bands() {
    let out = stdout(&bulwark(&["radar", "table", "--system", "s400", "--target", "bomber", "--aspect", "nose,beam"]));
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines[0].starts_with("S-400 Triumf (SA-21 Growler): free-space detection range (km) at Pd 0.9"), "{out}");
    assert_eq!(
        lines[1].split_whitespace().collect::<Vec<_>>(),
        ["target", "aspect", "91N6E", "S", "96L6E", "C", "92N6E", "X"]
    );
    assert!(lines[2].starts_with("bomber") && lines[2].contains("nose"), "{out}");
    assert!(lines[3].starts_with("bomber") && lines[3].contains("beam"), "{out}");
    assert_eq!(lines.len(), 5, "{out}");
}

#[test]
fn unknown_names_are_bad_input_with_a_suggestion() {
    for (args, needle) in [
        (vec!["radar", "range", "--radar", "92N6", "--target", "stealth-fighter"], "did you mean `92N6E`?"),
        (vec!["radar", "range", "--radar", "92N6E", "--target", "stealth-figther"], "did you mean `stealth-fighter`?"),
        (vec!["radar", "range", "--radar", "92N6E", "--target", "bomber", "--aspect", "noze"], "did you mean `nose`?"),
        (vec!["radar", "table", "--system", "s40"], "did you mean `s400`?"),
        (vec!["coverage", "s400-regimen", "--target", "bomber"], "did you mean `s400-regiment`?"),
    ] {
        let out = bulwark(&args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(needle), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{err}");
    }
}

#[test]
fn coverage_of_a_named_target_draws_detection_and_firm_track() {
    let dir = std::env::temp_dir().join(format!("bulwark-cov-target-{}", std::process::id()));
    let d = dir.to_str().unwrap();
    let out = stdout(&bulwark(&[
        "coverage",
        "s400-regiment",
        "--target",
        "stealth-fighter",
        "--altitudes",
        "10 km",
        "--out",
        d,
        "--json",
    ]));
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    let firm_pd = doc["firm_track_pd"].as_f64().unwrap();
    // 3 of 4 with probability 0.9: 4p³(1−p) + p⁴ = 0.9 at p ≈ 0.8574 (binomial tail).
    assert!((4.0 * firm_pd.powi(3) * (1.0 - firm_pd) + firm_pd.powi(4) - 0.9).abs() < 1e-9);
    let rows = |k: &str| doc[k]["rows"].as_array().unwrap().clone();
    let (det, firm) = (rows("detection"), rows("firm_track"));
    assert_eq!(det.len(), 6);
    for (d_row, f_row) in det.iter().zip(&firm) {
        let (dr, fr) = (d_row["max_range_km"].as_f64().unwrap(), f_row["max_range_km"].as_f64().unwrap());
        assert!(fr < dr && fr > 0.0, "{}: firm {fr} km vs detection {dr} km", d_row["radar"]);
    }
    let vhf = det.iter().find(|r| r["radar"] == "55Zh6ME-M").unwrap()["rcs_m2"].as_f64().unwrap();
    assert_eq!(vhf, 0.5, "the VHF module sees the VHF nose value");
    for f in ["coverage.txt", "firm-track.csv", "coverage-map.svg", "firm-track-map.svg", "vertical-55zh6me-m.svg"] {
        assert!(dir.join(f).is_file(), "{f}");
    }
    std::fs::remove_dir_all(&dir).ok();
}
