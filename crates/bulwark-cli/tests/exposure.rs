//! `bulwark exposure` as printed, on a hand-made exposure.csv (tests/fixtures/exposure): one
//! radar, one aircraft, 4 detections and a miss, equal K = 10 (10 dB), threshold T = 13.8155,
//! excesses y = z − T of 11, 21, 31, 41 (ȳ = 26).
//!
//! Hand-worked oracle: σ̂ = (ȳ − 1)/K = 2.5 m²; 95 % bounds (8ȳ/χ²(8) − 1)/K with SciPy's
//! chi2.ppf(0.975, 8) = 17.5345 and chi2.ppf(0.025, 8) = 2.17973: 1.0862297338 and 9.4424629974;
//! cumulative Pd 1 − 0.4⁵ = 0.98976; Σ measured SNR = Σ(z − 1) = 155.262 → 21.91 dB; one track
//! held 0–3 s; body azimuth 10° → 25° swept: 15°, λ/(2Δθ) = 0.0299792458/(2·0.261799) = 0.0573 m.
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn bulwark(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_bulwark")).args(args).output().expect("bulwark runs")
}

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/exposure")
}

fn stdout(out: &Output) -> String {
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout.clone()).unwrap()
}

#[test]
fn the_table_is_printed_with_the_hand_worked_numbers() {
    let text = stdout(&bulwark(&["exposure", fixture().to_str().unwrap()]));
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "{text}");
    assert!(lines[0].starts_with("radar ") && lines[0].ends_with("RCS m² [95% CI] (truth)"), "{text}");
    assert_eq!(
        lines[1],
        "Bn 92N6E                 f1 (friendly)                     5     4  0.990     50.0     47.0        3        3    1    21.9    15.0     0.06  2.500 [1.086, 9.442] (2.500)"
    );
    assert!(lines[2].contains("not what an exploitation chain achieves"));
}

#[test]
fn csv_and_json_carry_the_exact_values() {
    let csv = stdout(&bulwark(&["exposure", fixture().to_str().unwrap(), "--format", "csv"]));
    let mut rd = csv::Reader::from_reader(csv.as_bytes());
    let head = rd.headers().unwrap().clone();
    let row = rd.records().next().unwrap().unwrap();
    let get = |k: &str| row.get(head.iter().position(|h| h == k).unwrap()).unwrap().to_string();
    let num = |k: &str| get(k).parse::<f64>().unwrap();
    assert!((num("rcs_m2") - 2.5).abs() < 1e-9);
    assert!((num("rcs_lo_m2") - 1.0862297338).abs() < 1e-8, "{}", get("rcs_lo_m2"));
    assert!((num("rcs_hi_m2") - 9.4424629974).abs() < 1e-8, "{}", get("rcs_hi_m2"));
    assert!((num("cumulative_pd") - 0.98976).abs() < 1e-12);
    assert!((num("sum_snr_measured_db") - 10.0 * 155.262f64.log10()).abs() < 1e-9);
    assert!((num("cross_range_m") - 0.0299792458 / (2.0 * 15f64.to_radians())).abs() < 1e-12);
    assert_eq!((get("looks"), get("detections"), get("track_ids")), ("5".into(), "4".into(), "9".into()));
    let json = stdout(&bulwark(&["exposure", fixture().to_str().unwrap(), "--format", "json", "--az-bin", "10"]));
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let cells = v[0]["aspect"]["cells"].as_array().unwrap();
    // Azimuths 10, 15 | 20, 25 | 30 (missed) in 10° bins at elevation −5° (bin −30…0).
    let looks: Vec<u64> = cells.iter().map(|c| c["looks"].as_u64().unwrap()).collect();
    assert_eq!(looks, vec![2, 2, 1]);
    assert_eq!(cells[2]["detections"], 0);
}

#[test]
fn filters_plots_and_bad_input() {
    let dir = fixture();
    let d = dir.to_str().unwrap();
    let none = stdout(&bulwark(&["exposure", d, "--side", "threat", "--format", "csv"]));
    assert_eq!(none.lines().count(), 1, "header only: {none}");
    let plots = std::env::temp_dir().join(format!("bulwark-exposure-plots-{}", std::process::id()));
    stdout(&bulwark(&["exposure", d, "--entity", "f1", "--plots", plots.to_str().unwrap()]));
    let svg = std::fs::read_to_string(plots.join("aspect-4-7.svg")).unwrap();
    assert!(svg.starts_with("<svg") && svg.contains("notional, physics only"));
    let bad = bulwark(&["exposure", d, "--side", "enemy"]);
    assert_eq!(bad.status.code(), Some(2));
    // A broken row: file:line:col and exit 2, never a panic.
    let broken = std::env::temp_dir().join(format!("bulwark-exposure-broken-{}", std::process::id()));
    std::fs::create_dir_all(&broken).unwrap();
    let text = std::fs::read_to_string(dir.join("exposure.csv")).unwrap().replacen(",50000,", ",inf,", 1);
    std::fs::write(broken.join("exposure.csv"), text).unwrap();
    let out = bulwark(&["exposure", broken.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("exposure.csv:2:") && err.contains("`range_m`: expected a finite number"), "{err}");
    let missing = bulwark(&["exposure", plots.to_str().unwrap()]);
    assert_eq!(missing.status.code(), Some(2));
}
