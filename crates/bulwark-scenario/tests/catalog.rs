//! Catalog loading, validation errors at file:line:col, listing and description.
use bulwark_scenario::catalog::swerling1_required_snr;
use bulwark_scenario::{
    Aspect, Band, Catalog, EntryKind, Integration, JammerKind, Noise, RadarRole, Sensitivity, Swerling,
};
use std::path::{Path, PathBuf};

fn fixture_files() -> Vec<(PathBuf, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/catalog");
    ["sources.toml", "defence.toml", "platforms.toml"]
        .iter()
        .map(|f| (PathBuf::from(f), std::fs::read_to_string(dir.join(f)).unwrap()))
        .collect()
}

/// Applies a one-time replacement to `file` of the fixture catalog and returns the error.
fn error_for(file: &str, from: &str, to: &str) -> (String, bulwark_scenario::Diagnostic) {
    let mut files = fixture_files();
    let f = files.iter_mut().find(|(p, _)| p == Path::new(file)).unwrap();
    assert_eq!(f.1.matches(from).count(), 1, "{from:?} must occur once in {file}");
    f.1 = f.1.replace(from, to);
    let text = f.1.clone();
    let d = Catalog::from_texts(&files).expect_err("must be rejected");
    assert_eq!(d.file, Path::new(file), "{d}");
    (text, d)
}

/// Position of `needle`; `"context|needle"` finds `context` + `needle` and points at `needle`.
fn position_of(text: &str, needle: &str) -> (usize, usize) {
    let (context, needle) = needle.split_once('|').unwrap_or(("", needle));
    let at = text.find(&format!("{context}{needle}")).expect("needle present") + context.len();
    let before = &text[..at];
    (before.matches('\n').count() + 1, before.rsplit('\n').next().unwrap_or("").chars().count() + 1)
}

#[test]
fn fixture_catalog_loads_in_si_with_sources() {
    let c = Catalog::from_texts(&fixture_files()).unwrap();
    let r = c.radar("SR-1").unwrap();
    let Sensitivity::ReferenceRange(rr) = &r.sensitivity else { panic!("SR-1 has a reference point") };
    assert_eq!(rr.range_m.value, 300_000.0);
    assert_eq!(rr.range_m.alternatives[0].value, 250_000.0);
    assert_eq!(rr.range_m.alternatives[0].source, "test-textbook");
    assert_eq!(r.reference_swerling(), Swerling::One, "default");
    assert_eq!(r.pulses_per_look(), 1, "default");
    assert_eq!(r.iff_reply_probability(), Some(0.98), "default with an interrogator");
    assert_eq!(c.radar("TR-1").unwrap().iff_reply_probability(), None, "no interrogator");
    assert_eq!(r.iff_range_m.as_ref().unwrap().value, 370_400.0, "200 nmi");
    assert_eq!(c.radar("TR-1").unwrap().fire_channels.as_ref().unwrap().value, 6);
    let i = c.interceptor("MSL-A").unwrap();
    assert_eq!(i.max_altitude_m.value, 24_384.0, "FL800");
    assert_eq!(i.mass_kg.value, 1800.0);
    assert!((i.max_lateral_acceleration_mps2.value - 196.133).abs() < 1e-12, "20 g");
    assert_eq!(c.launcher("LCH-1").unwrap().capacity.value, 4);
    assert_eq!(c.system("sys-test").unwrap().radars, ["SR-1", "TR-1"]);
    let p = c.platform("srbm").unwrap();
    assert_eq!(p.ballistic.as_ref().unwrap().max_range_m.value, 300_000.0);
    assert_eq!(c.kind_of("LCH-1"), Some(EntryKind::Launcher));
    assert_eq!(c.kind_of("nothing"), None);
    // Same result from the directory loader.
    let dir = Catalog::load_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/catalog")).unwrap();
    assert_eq!(dir, c);
}

#[test]
fn list_and_describe() {
    let c = Catalog::from_texts(&fixture_files()).unwrap();
    let list = c.list();
    assert_eq!(list.len(), 12);
    assert_eq!(list[0], (EntryKind::System, "sys-test".to_string(), "Test air-defence system".to_string()));
    let text = c.describe("SR-1").unwrap();
    assert!(text.starts_with("radar SR-1: Test surveillance radar\n"), "{text}");
    assert!(text.contains("  reference_range = 300 km\n      source: [test-assumption] Test fixture value, Bulwark tests, 2026 (assumption)\n      alternative: 250 km ([test-textbook] Introduction to Radar Systems, 3rd ed., McGraw-Hill, 2001 (textbook))\n        note: older figure\n"), "{text}");
    assert!(text.contains("  sigma_azimuth = 2 mrad\n"), "{text}");
    assert!(text.contains("  reference_rcs = 5 m2 (6.9897 dBsm)\n"), "{text}");
    let text = c.describe("airliner-widebody").unwrap();
    assert!(text.contains("  cruise_speed = 246.933333 m/s (480 kt, Mach 0.725647)\n"), "{text}");
    assert!(text.contains("  transponder: civil\n"), "{text}");
    assert!(c.describe("test-textbook").unwrap().contains("publisher: McGraw-Hill"));
    assert_eq!(c.describe("nothing"), None);
}

#[test]
fn validation_errors_point_at_the_value() {
    let cases: &[(&str, &str, &str, &str, &str)] = &[
        // (file, from, to, where, message words)
        (
            "defence.toml",
            "pfa = { value = 1e-6, source = \"test-textbook\" }",
            "pfa = { value = 1.5, source = \"test-textbook\" }",
            "1.5",
            "pfa must be strictly between 0 and 1, got 1.5",
        ),
        (
            "defence.toml",
            "source = \"test-textbook\", note = \"older figure\"",
            "source = \"test-textbok\", note = \"older figure\"",
            "\"test-textbok\"",
            "unknown source \"test-textbok\"; did you mean \"test-textbook\"?",
        ),
        (
            "defence.toml",
            "max_range = { value = \"40 km\"",
            "max_range = { value = \"0.5 km\"",
            "\"0.5 km\"",
            "max_range (500 m) must be greater than min_range (1 km)",
        ),
        (
            "defence.toml",
            "loads = [\"MSL-A\", \"MSL-B\"]",
            "loads = [\"MSL-A\", \"MSL-C\"]",
            "\"MSL-C\"",
            "unknown interceptor \"MSL-C\"; did you mean",
        ),
        (
            "defence.toml",
            "radars = [\"SR-1\", \"TR-1\"]",
            "radars = [\"SR-1\", \"LCH-1\"]",
            "\"LCH-1\"]",
            "\"LCH-1\" is a launcher, not a radar",
        ),
        (
            "defence.toml",
            "id = \"MSL-B\"",
            "id = \"SR-1\"",
            "\"SR-1\"\nname = \"Test short",
            "duplicate id \"SR-1\": already defined as a radar in defence.toml",
        ),
        (
            "defence.toml",
            "fire_channels = { value = 6,",
            "fire_channels = { value = -6,",
            "value = |-6",
            "fire_channels must be at least 1, got -6",
        ),
        (
            "defence.toml",
            "reference_range = { value = \"150 km\"",
            "reference_range = { value = 150",
            "150",
            "a bare number has no unit",
        ),
        ("defence.toml", "band = \"X\"", "band = \"W\"", "\"W\"", "unknown variant `W`"),
        (
            "platforms.toml",
            "class = \"cruise_missile\"",
            "class = \"cruise\"",
            "\"cruise\"",
            "unknown platform class \"cruise\"; expected one of fighter",
        ),
        (
            "platforms.toml",
            "max_speed = { value = \"Mach 0.85\"",
            "max_speed = { value = \"Mach 0.7\"",
            "\"Mach 0.7\"",
            "max_speed (238.2058 m/s (463.035032 kt, Mach 0.7)) must be at least cruise_speed (255.2205 m/s",
        ),
        (
            "platforms.toml",
            "max_load_factor = { value = 4.0,",
            "max_load_factor = { value = 1.0,",
            "1.0",
            "max_load_factor must be greater than 1 and at most 100, got 1",
        ),
        (
            "platforms.toml",
            "ceiling = { value = \"10 km\"",
            "ceiling = { value = \"10 km\", sorce = \"x\"",
            "sorce",
            "unknown field `sorce`",
        ),
        ("sources.toml", "year = 2001", "year = 1066", "1066", "year must be between 1800 and 2200, got 1066"),
    ];
    for (file, from, to, at, words) in cases {
        let (text, d) = error_for(file, from, to);
        assert_eq!((d.line, d.column), position_of(&text, at), "case {to:?}: {d}");
        assert!(d.message.contains(words), "case {to:?}: {}", d.message);
    }
}

#[test]
fn empty_or_missing_directories_are_errors() {
    assert!(
        Catalog::load_dir("/nonexistent/bulwark").unwrap_err().to_string().contains("cannot read catalog directory")
    );
    let empty = std::env::temp_dir().join(format!("bulwark-empty-cat-{}", std::process::id()));
    std::fs::create_dir_all(&empty).unwrap();
    assert!(Catalog::load_dir(&empty).unwrap_err().message.contains("no *.toml"));
    let _ = std::fs::remove_dir_all(&empty);
}

/// The project catalog compiled into the crate must load (it is data written to
/// docs/formats.md; this test is its schema check).
#[test]
fn embedded_catalog_is_valid() {
    match Catalog::embedded() {
        Ok(c) => {
            for (_, id, _) in c.list() {
                assert!(c.describe(&id).is_some());
            }
        }
        Err(d) => panic!("embedded catalog is invalid:\n{d}"),
    }
}

// ---------------------------------------------------------------------------------------------
// Sensor-fidelity fields: radar equation, scheduling, blind zone, biases, RCS table, jammers
// ---------------------------------------------------------------------------------------------

/// A radar-equation radar (noncoherent pulses, system temperature, separate receive gain), a
/// platform with a multi-band RCS table, a Swerling case and a stand-off jammer.
const EXTRA_DEFENCE: &str = r#"
[[radar]]
id = "EQ-1"
name = "Test radar-equation radar"
role = "surveillance"
band = "S"
peak_power = { value = "60 dBW", source = "test-assumption" }
bandwidth = { value = "1 MHz", source = "test-assumption" }
transmit_gain = { value = "35 dBi", source = "test-assumption" }
receive_gain = { value = "33 dBi", source = "test-assumption" }
frequency = { value = "3 GHz", source = "test-assumption" }
system_temperature = { value = "500 K", source = "test-assumption" }
losses = { value = "6 dB", source = "test-assumption" }
pfa = { value = 1e-6, source = "test-textbook" }
pulses = { value = 10, source = "test-assumption" }
integration = "noncoherent"
instrumented_range = { value = "400 km", source = "test-assumption" }
min_range = { value = "2 km", source = "test-assumption" }
azimuth_sector = { value = "360 deg", source = "test-assumption" }
min_elevation = { value = "0 deg", source = "test-assumption" }
max_elevation = { value = "60 deg", source = "test-assumption" }
revisit_time = { value = "10 s", source = "test-assumption" }
range_resolution = { value = "150 m", source = "test-assumption" }
beamwidth_azimuth = { value = "1 deg", source = "test-assumption" }
beamwidth_elevation = { value = "2 deg", source = "test-assumption" }
sigma_range = { value = "25 m", source = "test-assumption" }
sigma_azimuth = { value = "2 mrad", source = "test-assumption" }
sigma_elevation = { value = "3 mrad", source = "test-assumption" }
sigma_range_rate = { value = "5 m/s", source = "test-assumption" }
min_radial_speed = { value = "10 m/s", source = "test-assumption" }
bias_range = { value = "-20 m", source = "test-assumption" }
bias_azimuth = { value = "1 mrad", source = "test-assumption" }
bias_elevation = { value = "-0.05 deg", source = "test-assumption" }
antenna_height = { value = "10 m", source = "test-assumption" }
iff_range = { value = "300 km", source = "test-assumption" }
iff_reply_probability = { value = 0.95, source = "test-assumption" }

[[radar]]
id = "EQ-2"
name = "Test coherent radar-equation radar"
role = "surveillance"
band = "C"
peak_power = { value = "100 kW", source = "test-assumption" }
pulse_width = { value = "4 µs", source = "test-assumption" }
transmit_gain = { value = "40 dBi", source = "test-assumption" }
frequency = { value = "5500 MHz", source = "test-assumption" }
noise_figure = { value = "5 dB", source = "test-assumption" }
losses = { value = "13 dB", source = "test-assumption" }
pfa = { value = 1e-6, source = "test-textbook" }
pulses = { value = 8, source = "test-assumption" }
integration = "coherent"
instrumented_range = { value = "200 km", source = "test-assumption" }
min_range = { value = "1 km", source = "test-assumption" }
azimuth_sector = { value = "120 deg", source = "test-assumption" }
min_elevation = { value = "0 deg", source = "test-assumption" }
max_elevation = { value = "70 deg", source = "test-assumption" }
revisit_time = { value = "1 s", source = "test-assumption" }
range_resolution = { value = "50 m", source = "test-assumption" }
beamwidth_azimuth = { value = "1.5 deg", source = "test-assumption" }
beamwidth_elevation = { value = "1.5 deg", source = "test-assumption" }
sigma_range = { value = "10 m", source = "test-assumption" }
sigma_azimuth = { value = "2 mrad", source = "test-assumption" }
sigma_elevation = { value = "2 mrad", source = "test-assumption" }
antenna_height = { value = "4 m", source = "test-assumption" }
"#;

const EXTRA_PLATFORM: &str = r#"
[[platform]]
id = "soj"
name = "Test stand-off jammer"
class = "fighter"
swerling = { value = 2, source = "test-assumption", alternatives = [{ value = 0, source = "test-textbook" }] }
cruise_speed = { value = "900 km/h", source = "test-assumption" }
max_speed = { value = "1900 km/h", source = "test-assumption" }
min_speed = { value = "250 km/h", source = "test-assumption" }
max_load_factor = { value = 7.5, source = "test-assumption" }
max_climb_rate = { value = "100 m/s", source = "test-assumption" }
max_acceleration = { value = "6 m/s2", source = "test-assumption" }
ceiling = { value = "15 km", source = "test-assumption" }

[platform.rcs.VHF]
nose = { value = "10 m2", source = "test-assumption" }

[platform.rcs.X]
nose = { value = "5 m2", source = "test-assumption" }
beam = { value = "17 dBsm", source = "test-assumption" }
tail = { value = "10 m2", source = "test-assumption" }
above = { value = "20 m2", source = "test-assumption" }
below = { value = "30 m2", source = "test-assumption" }

[platform.jammer]
kind = "stand_off"
erp = { value = "45 dBW", source = "test-assumption" }
bandwidth = { value = "100 MHz", source = "test-assumption" }
bands = { value = ["S", "C", "X"], source = "test-assumption", alternatives = [{ value = ["X"], source = "test-textbook" }] }
"#;

/// The fixture catalog with `defence` appended to defence.toml and `platform` to platforms.toml.
fn extended(defence: &str, platform: &str) -> Vec<(PathBuf, String)> {
    let mut files = fixture_files();
    for (p, text) in files.iter_mut() {
        if p == Path::new("defence.toml") {
            text.push_str(defence);
        } else if p == Path::new("platforms.toml") {
            text.push_str(platform);
        }
    }
    files
}

/// Like `error_for`, on the extended fixture catalog.
fn extended_error_for(file: &str, from: &str, to: &str) -> (String, bulwark_scenario::Diagnostic) {
    let mut files = extended(EXTRA_DEFENCE, EXTRA_PLATFORM);
    let f = files.iter_mut().find(|(p, _)| p == Path::new(file)).unwrap();
    assert_eq!(f.1.matches(from).count(), 1, "{from:?} must occur once in {file}");
    f.1 = f.1.replace(from, to);
    let text = f.1.clone();
    let d = Catalog::from_texts(&files).expect_err("must be rejected");
    assert_eq!(d.file, Path::new(file), "{d}");
    (text, d)
}

#[test]
fn every_new_field_parses_into_si() {
    let c = Catalog::from_texts(&extended(EXTRA_DEFENCE, EXTRA_PLATFORM)).unwrap();
    let r = c.radar("EQ-1").unwrap();
    let Sensitivity::RadarEquation(eq) = &r.sensitivity else { panic!("EQ-1 is a radar-equation radar") };
    assert_eq!(eq.peak_power_w.value, 1e6, "60 dBW");
    assert_eq!(eq.bandwidth_hz.as_ref().unwrap().value, 1e6);
    assert!(eq.pulse_width_s.is_none());
    assert_eq!(eq.energy_time_s(), 1e-6, "τ = 1/B without a pulse width");
    assert!((eq.transmit_gain.value - 10f64.powf(3.5)).abs() < 1e-9);
    assert!((eq.receive_gain.as_ref().unwrap().value - 10f64.powf(3.3)).abs() < 1e-9);
    assert_eq!(eq.frequency_hz.value, 3e9);
    assert!(matches!(&eq.noise, Noise::SystemTemperature(t) if t.value == 500.0));
    assert_eq!(eq.system_temperature_k(), 500.0);
    assert!((eq.losses.value - 10f64.powf(0.6)).abs() < 1e-12);
    assert_eq!(r.pulses_per_look(), 10);
    assert_eq!(r.integration, Some(Integration::Noncoherent));
    assert_eq!(r.detection_anchor(), None, "noncoherent integration has no closed-form anchor");
    assert_eq!(r.min_radial_speed_mps.as_ref().unwrap().value, 10.0);
    assert_eq!(r.bias_range_m.as_ref().unwrap().value, -20.0);
    assert_eq!(r.bias_azimuth_rad.as_ref().unwrap().value, 0.001);
    assert!((r.bias_elevation_rad.as_ref().unwrap().value + 0.05f64.to_radians()).abs() < 1e-15);
    assert_eq!(r.iff_reply_probability(), Some(0.95));
    assert!(r.schedule.is_none());

    let eq2 = c.radar("EQ-2").unwrap();
    let Sensitivity::RadarEquation(e2) = &eq2.sensitivity else { panic!() };
    assert_eq!(e2.pulse_width_s.as_ref().unwrap().value, 4e-6, "µs (U+00B5)");
    assert_eq!(e2.frequency_hz.value, 5.5e9);
    assert!(matches!(&e2.noise, Noise::Figure(f) if (f.value - 10f64.powf(0.5)).abs() < 1e-12));
    assert!(eq2.detection_anchor().is_some());

    let tr = c.radar("TR-1").unwrap();
    assert_eq!(tr.role, RadarRole::Multifunction);
    let s = tr.schedule.as_ref().unwrap();
    assert_eq!(s.search_frame_time_s.value, 2.0);
    assert_eq!(s.search_dwell_s.value, 0.003);
    assert_eq!(s.track_dwell_s.value, 0.005);
    assert_eq!(s.engaged_track_rate_hz.value, 4.0);
    assert_eq!(s.track_time_fraction.value, 0.5);
    assert_eq!(s.max_tracks.value, 40);

    let p = c.platform("soj").unwrap();
    assert_eq!(p.rcs.bands(), vec![Band::Vhf, Band::X]);
    assert_eq!(p.rcs.get(Band::X, Aspect::Beam).unwrap().value, 10f64.powf(1.7), "17 dBsm");
    assert_eq!(p.rcs.get(Band::X, Aspect::Below).unwrap().value, 30.0);
    assert_eq!(p.reference_rcs_m2(), 5.0, "X nose");
    assert_eq!(p.swerling_case(), Swerling::Two);
    assert_eq!(p.swerling.as_ref().unwrap().alternatives[0].value, Swerling::Zero);
    let j = p.jammer.as_ref().unwrap();
    assert_eq!(j.kind, JammerKind::StandOff);
    assert!((j.erp_w.value - 10f64.powf(4.5)).abs() < 1e-9, "45 dBW");
    assert_eq!(j.bandwidth_hz.value, 1e8);
    assert_eq!(j.bands.value, vec![Band::S, Band::C, Band::X]);
    assert_eq!(j.bands.alternatives[0].value, vec![Band::X]);
    let srbm = c.platform("srbm").unwrap();
    assert_eq!(srbm.ballistic.as_ref().unwrap().ballistic_coefficient_kg_m2.value, 5000.0);
    assert_eq!(srbm.swerling_case(), Swerling::One, "default");

    // `catalog show` prints them.
    let text = c.describe("EQ-1").unwrap();
    assert!(text.contains("  sensitivity: radar equation\n"), "{text}");
    assert!(text.contains("  peak_power = 1 MW (60 dBW)\n"), "{text}");
    assert!(text.contains("  transmit_gain = 35 dBi\n"), "{text}");
    assert!(text.contains("  system_temperature = 500 K\n"), "{text}");
    assert!(text.contains("  bandwidth = 1 MHz\n"), "{text}");
    assert!(text.contains("  integration: noncoherent\n"), "{text}");
    assert!(text.contains("  iff_reply_probability = 0.95\n"), "{text}");
    let text = c.describe("EQ-2").unwrap();
    assert!(text.contains("  derived reference point: 100.04"), "{text}");
    assert!(text.contains("  pulse_width = 4 µs\n"), "{text}");
    let text = c.describe("TR-1").unwrap();
    assert!(text.contains("  track_dwell = 5 ms\n  "), "{text}");
    assert!(text.contains("  engaged_track_rate = 4 Hz\n"), "{text}");
    let text = c.describe("soj").unwrap();
    assert!(text.contains("  rcs.X.beam = 50.118723 m2 (17 dBsm)\n"), "{text}");
    assert!(text.contains("  jammer: stand_off\n"), "{text}");
    assert!(text.contains("  jammer.bands = S, C, X\n"), "{text}");
    assert!(text.contains("  swerling = 2\n"), "{text}");
}

/// Oracle: scipy 1.17.1, `scipy.constants` (k = 1.380649e-23 J/K, c = 299 792 458 m/s):
/// `Pt*tau*Gt*Gr*(c/f)**2*s/((4*pi)**3*k*Ts*R**4*L)` with the EQ-2 entry
/// (Pt 100 kW, τ 4 µs, Gt = Gr = 40 dBi, 5.5 GHz, Ts = 290·10^0.5 K, L = 13 dB) at
/// R = 100 km, σ = 1 m² → 2.3706374756121456; and with EQ-1 (1 MW, τ = 1/B = 1 µs, 35/33 dBi,
/// 3 GHz, 500 K, 6 dB) at 200 km, 5 m² → 3.610489106737422. Tolerance 1e-12 relative.
#[test]
fn radar_equation_snr_matches_scipy() {
    let c = Catalog::from_texts(&extended(EXTRA_DEFENCE, EXTRA_PLATFORM)).unwrap();
    let eq = |id: &str| match &c.radar(id).unwrap().sensitivity {
        Sensitivity::RadarEquation(e) => e.clone(),
        Sensitivity::ReferenceRange(_) => panic!("{id} has radar-equation parameters"),
    };
    let rel = |a: f64, b: f64| ((a - b) / b).abs();
    assert!(rel(eq("EQ-2").single_pulse_snr(100e3, 1.0), 2.370_637_475_612_145_6) < 1e-12);
    assert!(rel(eq("EQ-1").single_pulse_snr(200e3, 5.0), 3.610_489_106_737_422) < 1e-12);
    // R⁴ law: the range for the same SNR against 16× the RCS doubles.
    let e = eq("EQ-2");
    let r1 = e.range_for_single_pulse_snr(10.0, 1.0).unwrap();
    assert!(rel(e.range_for_single_pulse_snr(10.0, 16.0).unwrap(), 2.0 * r1) < 1e-12);
    assert!(rel(e.single_pulse_snr(r1, 1.0), 10.0) < 1e-12);
    // Degenerate inputs give finite numbers, never NaN or infinity.
    assert!(e.single_pulse_snr(0.0, 1.0).is_finite());
    assert_eq!(e.single_pulse_snr(f64::NAN, 1.0), 0.0);
    assert_eq!(e.single_pulse_snr(1e3, -1.0), 0.0);
    assert_eq!(e.range_for_single_pulse_snr(0.0, 1.0), None);
    // Anchor of EQ-2 (8 pulses coherent, Pd 0.5, Pfa 1e-6, Swerling 1): scipy gives
    // (snr(1 m, 1 m²)·8 / (ln 1e-6 / ln 0.5 − 1))^(1/4) = 100 044.25014655314 m.
    let a = c.radar("EQ-2").unwrap().detection_anchor().unwrap();
    assert!(rel(a.range_m, 100_044.250_146_553_14) < 1e-12, "{a:?}");
    assert_eq!((a.rcs_m2, a.pd, a.pfa), (1.0, 0.5, 1e-6));
}

/// Oracle: Pd of a Swerling 1 target, one square-law sample, by numerical average of the
/// Marcum Q over the exponential SNR distribution — scipy 1.17.1:
/// `quad(lambda s: ncx2.sf(2*T, 2, 2*s)*exp(-s/S)/S, 0, 60*S)` with T = −ln 1e-6 and
/// S = ln 1e-6 / ln 0.5 − 1 gives Pd = 0.5000000000000001. Tolerance 1e-12.
#[test]
fn swerling1_required_snr_matches_numerical_average() {
    let s = swerling1_required_snr(0.5, 1e-6).unwrap();
    assert!((s - 18.931_568_569_324_174).abs() < 1e-12, "{s}");
    assert!((10.0 * s.log10() - 12.77).abs() < 0.01, "the ≈ 12.8 dB of the catalog notes");
    for (pd, pfa) in [(0.5, 1e-6), (0.9, 1e-4), (0.1, 1e-8)] {
        let snr = swerling1_required_snr(pd, pfa).unwrap();
        assert!((pfa.powf(1.0 / (1.0 + snr)) - pd).abs() < 1e-12);
    }
    assert_eq!(swerling1_required_snr(1e-6, 1e-6), None);
    assert_eq!(swerling1_required_snr(1.0, 1e-6), None);
    assert_eq!(swerling1_required_snr(0.5, 0.0), None);
}

#[test]
fn new_field_errors_point_at_the_value() {
    let cases: &[(&str, &str, &str, &str, &str)] = &[
        // Both descriptions: reported at the later key.
        (
            "defence.toml",
            "reference_pd = { value = 0.5, source = \"test-assumption\" }\npfa = { value = 1e-6, source = \"test-textbook\" }\ninstrumented_range = { value = \"400 km\"",
            "reference_pd = { value = 0.5, source = \"test-assumption\" }\npeak_power = { value = \"1 MW\", source = \"test-assumption\" }\npfa = { value = 1e-6, source = \"test-textbook\" }\ninstrumented_range = { value = \"400 km\"",
            "peak_power = |{ value = \"1 MW\"",
            "has both a reference point and radar-equation parameters (reference_range and peak_power)",
        ),
        // Neither: reported at the id.
        (
            "defence.toml",
            "reference_range = { value = \"150 km\", source = \"test-assumption\" }\nreference_rcs = { value = \"0 dBsm\", source = \"test-assumption\" }\nreference_pd = { value = 0.5, source = \"test-assumption\" }\n",
            "",
            "\"TR-1\"",
            "radar \"TR-1\" has no sensitivity: give either a reference point",
        ),
        // A reference point with a missing part.
        (
            "defence.toml",
            "reference_rcs = { value = \"0 dBsm\", source = \"test-assumption\" }\n",
            "",
            "\"TR-1\"",
            "a reference-point sensitivity needs reference_rcs",
        ),
        // Band disagrees with frequency (IEEE 521).
        (
            "defence.toml",
            "frequency = { value = \"5500 MHz\"",
            "frequency = { value = \"9.4 GHz\"",
            "\"9.4 GHz\"",
            "frequency 9.4 GHz, which is X band, disagrees with band = \"C\" (4 GHz to 8 GHz, IEEE 521)",
        ),
        (
            "defence.toml",
            "noise_figure = { value = \"5 dB\", source = \"test-assumption\" }\n",
            "",
            "\"EQ-2\"",
            "a radar-equation sensitivity needs noise_figure or system_temperature",
        ),
        (
            "defence.toml",
            "noise_figure = { value = \"5 dB\", source = \"test-assumption\" }\n",
            "noise_figure = { value = \"5 dB\", source = \"test-assumption\" }\nsystem_temperature = { value = \"900 K\", source = \"test-assumption\" }\n",
            "system_temperature = |{ value = \"900 K\"",
            "give noise_figure or system_temperature, not both",
        ),
        (
            "defence.toml",
            "transmit_gain = { value = \"40 dBi\"",
            "transmit_gain = { value = \"40 dB\"",
            "\"40 dB\"",
            "unknown antenna gain unit \"dB\" (\"dB\" is a ratio unit); expected one of dBi",
        ),
        (
            "defence.toml",
            "losses = { value = \"13 dB\"",
            "losses = { value = \"-1 dB\"",
            "\"-1 dB\"",
            "losses must be between 0 dB and 100 dB",
        ),
        (
            "defence.toml",
            "integration = \"noncoherent\"\n",
            "",
            "pulses = |{ value = 10",
            "pulses = 10 needs integration = \"coherent\" or \"noncoherent\"",
        ),
        (
            "defence.toml",
            "integration = \"coherent\"",
            "integration = \"sometimes\"",
            "\"sometimes\"",
            "unknown variant `sometimes`",
        ),
        (
            "defence.toml",
            "reference_pd = { value = 0.5, source = \"test-assumption\" }\npfa = { value = 1e-6, source = \"test-textbook\" }\ninstrumented_range = { value = \"400 km\"",
            "reference_pd = { value = 0.5, source = \"test-assumption\" }\nreference_swerling = { value = 5, source = \"test-assumption\" }\npfa = { value = 1e-6, source = \"test-textbook\" }\ninstrumented_range = { value = \"400 km\"",
            "value = |5,",
            "reference_swerling must be between 0 and 4, got 5",
        ),
        // Schedule: budget, max_tracks, role.
        (
            "defence.toml",
            "engaged_track_rate = { value = \"4 Hz\"",
            "engaged_track_rate = { value = \"40 Hz\"",
            "\"40 Hz\"",
            "the track time budget does not close: fire_channels × engaged_track_rate × track_dwell = 6 × 40 Hz × 5 ms = 1.2",
        ),
        (
            "defence.toml",
            "max_tracks = { value = 40,",
            "max_tracks = { value = 4,",
            "value = |4,",
            "max_tracks (4) must be at least fire_channels (6)",
        ),
        (
            "defence.toml",
            "track_time_fraction = { value = 0.5, source = \"test-assumption\" }\n",
            "",
            "\"TR-1\"",
            "a fire_control or multifunction radar needs track_time_fraction",
        ),
        (
            "defence.toml",
            "min_radial_speed = { value = \"10 m/s\", source = \"test-assumption\" }\n",
            "min_radial_speed = { value = \"10 m/s\", source = \"test-assumption\" }\nsearch_dwell = { value = \"1 ms\", source = \"test-assumption\" }\n",
            "search_dwell = |{ value = \"1 ms\"",
            "search_dwell is for fire_control and multifunction radars only",
        ),
        (
            "defence.toml",
            "search_dwell = { value = \"3 ms\"",
            "search_dwell = { value = \"3 s\"",
            "search_frame_time = { value = |\"2 s\"",
            "search_frame_time (2 s) must be greater than search_dwell (3 s)",
        ),
        (
            "defence.toml",
            "min_radial_speed = { value = \"10 m/s\"",
            "min_radial_speed = { value = \"-10 m/s\"",
            "\"-10 m/s\"",
            "min_radial_speed must be at least 0",
        ),
        (
            "defence.toml",
            "bias_azimuth = { value = \"1 mrad\"",
            "bias_azimuth = { value = \"20 deg\"",
            "\"20 deg\"",
            "bias_azimuth must be between -10 deg and 10 deg",
        ),
        (
            "defence.toml",
            "antenna_height = { value = \"4 m\", source = \"test-assumption\" }\n",
            "antenna_height = { value = \"4 m\", source = \"test-assumption\" }\niff_reply_probability = { value = 0.9, source = \"test-assumption\" }\n",
            "iff_reply_probability = |{ value = 0.9,",
            "iff_reply_probability needs iff_range",
        ),
        // RCS table.
        (
            "platforms.toml",
            "[platform.rcs.VHF]\nnose = { value = \"10 m2\", source = \"test-assumption\" }",
            "[platform.rcs.VHF]\nbeam = { value = \"10 m2\", source = \"test-assumption\" }",
            "rcs.|VHF]",
            "rcs.VHF needs a nose value",
        ),
        (
            "platforms.toml",
            "[platform.rcs.VHF]",
            "[platform.rcs.Vhf]",
            "rcs.|Vhf]",
            "unknown RCS band \"Vhf\"; did you mean \"VHF\"? bands: VHF, UHF, L, S, C, X, Ku, Ka",
        ),
        (
            "platforms.toml",
            "above = { value = \"20 m2\"",
            "abve = { value = \"20 m2\"",
            "abve",
            "unknown aspect \"abve\" in rcs.X; expected one of nose, beam, tail, above, below",
        ),
        (
            "platforms.toml",
            "[platform.rcs.X]\nnose = { value = \"-10 dBsm\", source = \"test-assumption\" }",
            "rcs = { value = \"-10 dBsm\", source = \"test-assumption\" }",
            "rcs = { value = |\"-10 dBsm\"",
            "a single RCS value is no longer accepted: rcs is a table by band and aspect",
        ),
        (
            "platforms.toml",
            "below = { value = \"30 m2\"",
            "below = { value = \"-30 m2\"",
            "\"-30 m2\"",
            "rcs.X.below must be greater than 0",
        ),
        (
            "platforms.toml",
            "swerling = { value = 2,",
            "swerling = { value = 5,",
            "value = |5,",
            "swerling must be between 0 and 4, got 5",
        ),
        // Jammer.
        (
            "platforms.toml",
            "bands = { value = [\"S\", \"C\", \"X\"]",
            "bands = { value = []",
            "[]",
            "jammer bands: list at least one band",
        ),
        (
            "platforms.toml",
            "bands = { value = [\"S\", \"C\", \"X\"]",
            "bands = { value = [\"S\", \"C\", \"S\"]",
            "\"C\", |\"S\"]",
            "band S is listed twice",
        ),
        (
            "platforms.toml",
            "erp = { value = \"45 dBW\"",
            "erp = { value = \"45 dBi\"",
            "\"45 dBi\"",
            "unknown power unit \"dBi\"",
        ),
        ("platforms.toml", "kind = \"stand_off\"", "kind = \"standoff\"", "\"standoff\"", "unknown variant `standoff`"),
        // Ballistic coefficient: required on a ballistic missile, refused elsewhere.
        (
            "platforms.toml",
            "ballistic_coefficient = { value = \"5000 kg/m2\", source = \"test-assumption\" }\n",
            "",
            "\"ballistic_missile\"",
            "a ballistic_missile needs max_range, burn_time and ballistic_coefficient",
        ),
    ];
    for (file, from, to, at, words) in cases {
        let (text, d) = extended_error_for(file, from, to);
        assert_eq!((d.line, d.column), position_of(&text, at), "case {to:?}: {d}");
        assert!(d.message.contains(words), "case {to:?}: {}", d.message);
    }
    let (text, d) = extended_error_for(
        "platforms.toml",
        "ceiling = { value = \"15 km\", source = \"test-assumption\" }\n",
        "ceiling = { value = \"15 km\", source = \"test-assumption\" }\nballistic_coefficient = { value = \"5000 kg/m2\", source = \"test-assumption\" }\n",
    );
    assert_eq!(
        (d.line, d.column),
        position_of(&text, "ceiling = { value = \"15 km\", source = \"test-assumption\" }\nballistic_coefficient = |{"),
        "{d}"
    );
    assert!(d.message.contains("are for ballistic_missile platforms only"), "{}", d.message);
}

// ---------------------------------------------------------------------------------------------
// The project catalog's data
// ---------------------------------------------------------------------------------------------

fn embedded() -> Catalog {
    Catalog::embedded().unwrap_or_else(|d| panic!("embedded catalog is invalid:\n{d}"))
}

/// Every `source = "KEY"` written in catalog/*.toml names a `[source.KEY]`.
#[test]
fn every_source_referenced_in_the_catalog_files_exists() {
    let c = embedded();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../catalog");
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|x| x != "toml") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        for (at, _) in text.match_indices("source = \"") {
            let rest = &text[at + "source = \"".len()..];
            let key = &rest[..rest.find('"').unwrap()];
            assert!(c.source(key).is_some(), "{}: unknown source {key}", path.display());
            checked += 1;
        }
    }
    assert!(checked > 300, "only {checked} references found");
}

#[test]
fn every_platform_has_an_rcs_table_with_a_nose_value() {
    let c = embedded();
    assert!(c.platforms.len() >= 12);
    for p in c.platforms.values() {
        let bands = p.rcs.bands();
        assert!(!bands.is_empty(), "{}", p.id);
        for b in bands {
            let nose = p.rcs.get(b, Aspect::Nose).unwrap_or_else(|| panic!("{} {b:?} nose", p.id));
            assert!(nose.value > 0.0 && c.source(&nose.source).is_some(), "{}", p.id);
        }
        assert!(p.rcs.get(Band::X, Aspect::Nose).is_some(), "{}: X-band nose (the engine's reference)", p.id);
        assert!(p.swerling.is_some(), "{}: Swerling case given", p.id);
    }
}

/// The X-nose values are the single RCS of the previous catalog: the engine's detection
/// results do not move when it switches to `reference_rcs_m2()`.
#[test]
fn reference_rcs_is_the_former_single_rcs() {
    let c = embedded();
    let former = [
        ("fighter-4gen", 5.0),
        ("stealth-fighter", 0.001),
        ("bomber", 100.0),
        ("recon-aircraft", 40.0),
        ("cruise-missile-subsonic", 0.1),
        ("uav-male", 1.0),
        ("uav-small", 0.01),
        ("srbm", 0.05),
        ("friendly-fighter", 5.0),
        ("airliner-widebody", 50.0),
        ("airliner-narrowbody", 20.0),
    ];
    for (id, rcs) in former {
        assert_eq!(c.platform(id).unwrap().reference_rcs_m2(), rcs, "{id}");
    }
}

/// Public orders of magnitude (shared/reference/public-parameters.md and the sources named in
/// the notes): these checks fail if the data drift out of them.
#[test]
fn rcs_data_follow_the_public_orders_of_magnitude() {
    let c = embedded();
    let rcs = |id: &str, b: Band, a: Aspect| c.platform(id).unwrap().rcs.get(b, a).unwrap().value;
    // Stealth shaping fails at VHF: far larger than at X band (≥ 100×).
    assert!(rcs("stealth-fighter", Band::Vhf, Aspect::Nose) >= 100.0 * rcs("stealth-fighter", Band::X, Aspect::Nose));
    let x = rcs("stealth-fighter", Band::X, Aspect::Nose);
    assert!((1e-4..=1e-2).contains(&x), "X/S frontal 0.0001–0.01 m2");
    // RCS of the shaped target rises monotonically toward low bands.
    let bands = c.platform("stealth-fighter").unwrap().rcs.bands();
    let by_band: Vec<f64> = bands.iter().map(|b| rcs("stealth-fighter", *b, Aspect::Nose)).collect();
    assert!(by_band.windows(2).all(|w| w[0] > w[1]), "{by_band:?}");
    // Fighters: beam an order of magnitude above nose.
    for id in ["fighter-4gen", "friendly-fighter", "standoff-jammer"] {
        assert!(rcs(id, Band::X, Aspect::Beam) >= 10.0 * rcs(id, Band::X, Aspect::Nose), "{id}");
    }
    for id in ["airliner-widebody", "airliner-narrowbody"] {
        assert!((10.0..=100.0).contains(&rcs(id, Band::X, Aspect::Nose)), "{id}: tens to 100 m2");
    }
    assert!((0.1..=0.5).contains(&rcs("cruise-missile-subsonic", Band::X, Aspect::Nose)));
    assert!((0.01..=0.1).contains(&rcs("srbm", Band::X, Aspect::Nose)));
    let srbm = c.platform("srbm").unwrap();
    assert_eq!(srbm.swerling_case(), Swerling::Three);
    assert_eq!(srbm.ballistic.as_ref().unwrap().ballistic_coefficient_kg_m2.value, 5000.0, "former engine constant");
    // Lookup falls back to the nearest listed band, then to the nose.
    let f = c.platform("fighter-4gen").unwrap();
    assert_eq!(f.rcs.lookup_m2(Band::Ku, Aspect::Beam), rcs("fighter-4gen", Band::X, Aspect::Beam));
    assert_eq!(f.rcs.lookup_m2(Band::Uhf, Aspect::Tail), rcs("fighter-4gen", Band::Vhf, Aspect::Nose));
    assert_eq!(f.rcs.lookup_m2(Band::C, Aspect::Above), rcs("fighter-4gen", Band::S, Aspect::Nose), "tie → lower band");
}

#[test]
fn radar_data_sensitivity_schedule_and_iff() {
    let c = embedded();
    for r in c.radars.values() {
        assert!(r.detection_anchor().is_some(), "{}", r.id);
        assert!(r.min_radial_speed_mps.is_some(), "{}: pulse-Doppler / MTI notch", r.id);
        if r.iff_range_m.is_some() {
            assert_eq!(r.iff_reply_probability(), Some(0.98), "{}: former engine constant", r.id);
            assert!(r.iff_reply_probability.is_some(), "{}: given in the catalog", r.id);
        }
        if let Some(s) = &r.schedule {
            let channels = f64::from(r.fire_channels.as_ref().unwrap().value);
            let frac = s.track_time_fraction.value;
            assert!(channels * s.engaged_track_rate_hz.value * s.track_dwell_s.value <= frac, "{}", r.id);
            // At least one row of search beams across the sector fits in the search share.
            let beams = (r.azimuth_sector_rad.value / r.beamwidth_azimuth_rad.value).ceil();
            assert!(beams * s.search_dwell_s.value <= s.search_frame_time_s.value * (1.0 - frac), "{}", r.id);
        } else {
            assert_eq!(r.role, RadarRole::Surveillance, "{}", r.id);
        }
    }
    // At least one radar is described by the radar equation, and its two descriptions agree:
    // the MPQ-65's derived point scaled to 5 m² (R ∝ σ^¼) is its former 150 km within 1 %.
    let mpq = c.radar("MPQ-65").unwrap();
    assert!(matches!(mpq.sensitivity, Sensitivity::RadarEquation(_)));
    assert_eq!(mpq.band, Band::C);
    let a = mpq.detection_anchor().unwrap();
    let r5 = a.range_m * (5.0 / a.rcs_m2).powf(0.25);
    assert!((r5 - 150_000.0).abs() < 1_500.0, "{r5}");
    assert_eq!(c.radar("92N6E").unwrap().schedule.as_ref().unwrap().max_tracks.value, 100);
    // Jammers: one self-protection suite and one stand-off platform.
    assert_eq!(c.platform("bomber").unwrap().jammer.as_ref().unwrap().kind, JammerKind::SelfProtection);
    let soj = c.platform("standoff-jammer").unwrap();
    assert_eq!(soj.jammer.as_ref().unwrap().kind, JammerKind::StandOff);
    assert!(soj.jammer.as_ref().unwrap().bands.value.contains(&Band::X));
}

/// `launch_track` (issue 18 item 4): "surveillance" parses for an active seeker with its basket,
/// and is refused at the value for a guidance that needs the fire-control radar to the end, for a
/// seeker without a basket, and for an unknown word.
#[test]
fn launch_track_follows_the_guidance_chain() {
    let basket = "seeker_acquisition_range = { value = \"10 km\", source = \"test-assumption\" }\n\
                  seeker_field_of_view = { value = \"3 deg\", source = \"test-assumption\" }\n\
                  launch_track = { value = \"surveillance\", source = \"test-assumption\" }\n\
                  lethal_radius = { value = \"5 m\"";
    let mut files = fixture_files();
    let f = files.iter_mut().find(|(p, _)| p == Path::new("defence.toml")).unwrap();
    f.1 = f.1.replace("lethal_radius = { value = \"5 m\"", basket);
    let c = Catalog::from_texts(&files).unwrap();
    let b = c.interceptor("MSL-B").unwrap();
    assert_eq!(b.launch_track(), bulwark_scenario::LaunchTrack::Surveillance);
    // Basket radius R·tan θ = 10 km · tan 3° = 524.08 m.
    assert!((b.basket_radius_m().unwrap() - 10_000.0 * 3f64.to_radians().tan()).abs() < 1e-6);
    assert_eq!(c.interceptor("MSL-A").unwrap().launch_track(), bulwark_scenario::LaunchTrack::FireControl);
    let tvm =
        "launch_track = { value = \"surveillance\", source = \"test-assumption\" }\nlethal_radius = { value = \"20 m\"";
    let cases = [
        ("lethal_radius = { value = \"20 m\"", tvm, "tvm guidance needs the fire-control radar"),
        (
            "lethal_radius = { value = \"5 m\"",
            "launch_track = { value = \"surveillance\", source = \"test-assumption\" }\nlethal_radius = { value = \"5 m\"",
            "needs seeker_acquisition_range and seeker_field_of_view",
        ),
        (
            "lethal_radius = { value = \"5 m\"",
            "launch_track = { value = \"radar\", source = \"test-assumption\" }\nlethal_radius = { value = \"5 m\"",
            "expected \"fire_control\" or \"surveillance\"",
        ),
    ];
    for (from, to, words) in cases {
        let (text, d) = error_for("defence.toml", from, to);
        let at = if to.contains("\"radar\"") {
            "launch_track = { value = |\"radar\""
        } else {
            "launch_track = { value = |\"surveillance\""
        };
        assert_eq!((d.line, d.column), position_of(&text, at), "{to:?}: {d}");
        assert!(d.message.contains(words), "{}", d.message);
    }
}
