//! Unit strings against their defining constants.
//!
//! Oracle: exact definitions, not our code —
//! - NIST SP 811 (2008 ed.), appendix B.8/B.9: 1 ft = 0.3048 m, 1 mi = 1609.344 m,
//!   1 nmi = 1852 m, 1 kn = 1852/3600 m/s, 1 mi/h = 0.447 04 m/s, 1 min = 60 s, 1 h = 3600 s,
//!   1° = π/180 rad, standard gravity g_n = 9.806 65 m/s², 1 t = 1000 kg.
//! - ICAO Annex 5 (units), Annex 2 (flight level = 100 ft of pressure altitude) and ICAO
//!   Doc 7488 (standard atmosphere): speed of sound at sea level a₀ = 340.294 m/s.
//! - Decibel as power ratio (IEC 60027-3; NIST SP 811 §8.7): x dB = 10^(x/10); dBsm is dB
//!   relative to 1 m², dBW relative to 1 W, dBm relative to 1 mW, dBi gain relative to an
//!   isotropic antenna.
//! - SI prefixes (NIST SP 330, 2019 ed., table 7): n = 1e-9, µ = 1e-6, m = 1e-3, k = 1e3,
//!   M = 1e6, G = 1e9; the kelvin is an SI base unit (NIST SP 330 §2.3.1).
//!
//! Expected values are computed by hand from those definitions in decimal, then compared
//! exactly where the decimal result is representable in binary (10 668 m, 231.5 m/s) and to
//! 1 ulp-scale tolerance otherwise (stated per case).
use bulwark_scenario::units::{Quantity as Q, format_si, parse};
use proptest::prelude::*;

#[test]
fn exact_definitions() {
    // FL350 = 35 000 ft × 0.3048 m/ft = 10 668 m exactly (representable in binary).
    assert_eq!(parse(Q::Altitude, "FL350"), Ok(10_668.0));
    // 450 kt × 1852 m / 3600 s = 833 400 / 3600 = 231.5 m/s exactly.
    // (A brief had 231.4999…: that is what the rounded factor 0.514444 gives, not the definition.)
    assert_eq!(parse(Q::Speed, "450 kt"), Ok(231.5));
    assert_eq!(parse(Q::Length, "5000 ft"), Ok(1524.0));
    assert_eq!(parse(Q::Length, "12 nmi"), Ok(22_224.0));
    assert_eq!(parse(Q::Length, "1 mi"), Ok(1609.344));
    assert_eq!(parse(Q::Speed, "900 km/h"), Ok(250.0));
    assert_eq!(parse(Q::Speed, "4.8 km/s"), Ok(4800.0));
    assert_eq!(parse(Q::Time, "5 min"), Ok(300.0));
    assert_eq!(parse(Q::Time, "2 h"), Ok(7200.0));
    assert_eq!(parse(Q::Time, "250 ms"), Ok(0.25));
    assert_eq!(parse(Q::Angle, "5 mrad"), Ok(0.005));
    assert_eq!(parse(Q::Angle, "180 deg"), Ok(std::f64::consts::PI));
    assert_eq!(parse(Q::Area, "-20 dBsm"), Ok(0.01));
    assert_eq!(parse(Q::Area, "0 dBsm"), Ok(1.0));
    assert_eq!(parse(Q::Area, "0.01 m2"), Ok(0.01));
    assert_eq!(parse(Q::Mass, "1.8 t"), Ok(1800.0));
    assert_eq!(parse(Q::Power, "1.2 MW"), Ok(1.2e6));
    assert_eq!(parse(Q::Frequency, "150 MHz"), Ok(1.5e8));
    assert_eq!(parse(Q::Frequency, "3 GHz"), Ok(3e9));
    assert_eq!(parse(Q::Ratio, "20 dB"), Ok(100.0));
    assert_eq!(parse(Q::BallisticCoefficient, "3000 kg/m2"), Ok(3000.0));
    assert_eq!(parse(Q::Acceleration, "30 m/s2"), Ok(30.0));
}

/// The units added for radar-equation, scheduling and jamming data (NIST SP 330 prefixes,
/// NIST SP 811 §8.7 logarithmic ratios).
#[test]
fn sensor_units_against_their_definitions() {
    // Prefixes: exact decimal results that are the nearest doubles of their literals.
    assert_eq!(parse(Q::Time, "4 us"), Ok(4e-6));
    assert_eq!(parse(Q::Time, "4 µs"), Ok(4e-6), "U+00B5 MICRO SIGN");
    assert_eq!(parse(Q::Time, "4 μs"), Ok(4e-6), "U+03BC GREEK SMALL LETTER MU");
    assert_eq!(parse(Q::Time, "2.5 us"), Ok(2.5e-6));
    assert_eq!(parse(Q::Time, "100 ns"), Ok(1e-7));
    assert_eq!(parse(Q::Time, "3 ms"), Ok(0.003));
    assert_eq!(parse(Q::Power, "100 kW"), Ok(1e5));
    assert_eq!(parse(Q::Power, "2 MW"), Ok(2e6));
    assert_eq!(parse(Q::Frequency, "3 MHz"), Ok(3e6));
    assert_eq!(parse(Q::Frequency, "5.5 GHz"), Ok(5.5e9));
    assert_eq!(parse(Q::Frequency, "2 Hz"), Ok(2.0));
    assert_eq!(parse(Q::Temperature, "290 K"), Ok(290.0));
    // Logarithmic: 60 dBW = 10^6 W, 30 dBm = 1 W, 0 dBW = 1 W, 40 dBi = 10^4, 3 dB ≈ 1.995 262 3.
    assert_eq!(parse(Q::Power, "60 dBW"), Ok(1e6));
    assert_eq!(parse(Q::Power, "0 dBW"), Ok(1.0));
    assert_eq!(parse(Q::Power, "30 dBm"), Ok(1.0));
    assert_eq!(parse(Q::Gain, "40 dBi"), Ok(10_000.0));
    assert_eq!(parse(Q::Gain, "0 dBi"), Ok(1.0));
    // 10^0.3 = 1.995 262 314 968 879 6 (to 17 digits): 1e-15.
    assert!((parse(Q::Ratio, "3 dB").unwrap() - 1.995_262_314_968_879_6).abs() < 1e-15);
    // 45 dBW = 10^4.5 W = 31 622.776 601 683 79 W: 1e-9 W.
    assert!((parse(Q::Power, "45 dBW").unwrap() - 31_622.776_601_683_79).abs() < 1e-9);
    // Units are checked against the quantity: a gain is not a plain dB ratio, a
    // temperature takes kelvin only.
    assert!(parse(Q::Gain, "40 dB").unwrap_err().message.contains("\"dB\" is a ratio unit"));
    assert!(parse(Q::Ratio, "3 dBi").unwrap_err().message.contains("\"dBi\" is an antenna gain unit"));
    assert!(parse(Q::Temperature, "20 C").is_err());
    assert!(parse(Q::Power, "10 dbW").unwrap_err().message.contains("did you mean \"dBW\""));
}

#[test]
fn rounded_definitions() {
    let close = |a: f64, b: f64, tol: f64| assert!((a - b).abs() <= tol, "{a} vs {b}");
    // Mach 0.8 × 340.294 m/s = 272.2352 m/s (decimal; not exact in binary): 1e-12 m/s.
    close(parse(Q::Speed, "Mach 0.8").unwrap(), 272.2352, 1e-12);
    // 9 g × 9.806 65 = 88.259 85 m/s²: 1e-12.
    close(parse(Q::Acceleration, "9 g").unwrap(), 88.25985, 1e-12);
    // 13 dB = 10^1.3 = 19.952 623 149 688 8 (10^1.3 to 16 digits): 1e-12 relative.
    close(parse(Q::Ratio, "13 dB").unwrap(), 19.952_623_149_688_8, 2e-14);
    // 12 deg = 0.209 439 510 239 32 rad: 1e-15.
    close(parse(Q::Angle, "12 deg").unwrap(), 0.209_439_510_239_319_55, 1e-15);
    // 650 mph × 0.447 04 = 290.576 m/s.
    close(parse(Q::Speed, "650 mph").unwrap(), 290.576, 1e-12);
}

#[test]
fn whitespace_and_exponents() {
    assert_eq!(parse(Q::Length, "  250km "), Ok(250_000.0));
    assert_eq!(parse(Q::Length, "2.5e2 km"), Ok(250_000.0));
    assert_eq!(parse(Q::Speed, "Mach 0"), Ok(0.0));
    assert_eq!(parse(Q::Altitude, "FL 100"), Ok(3048.0));
}

const QUANTITIES: [Q; 14] = [
    Q::Length,
    Q::Altitude,
    Q::Speed,
    Q::Time,
    Q::Angle,
    Q::Area,
    Q::Acceleration,
    Q::Mass,
    Q::Power,
    Q::Frequency,
    Q::Ratio,
    Q::Gain,
    Q::Temperature,
    Q::BallisticCoefficient,
];

proptest! {
    #[test]
    fn never_panics_and_never_returns_non_finite(s in ".{0,40}", qi in 0usize..14) {
        if let Ok(v) = parse(QUANTITIES[qi], &s) {
            prop_assert!(v.is_finite());
        }
    }

    #[test]
    fn never_panics_on_unit_like_strings(
        num in "[-+]?[0-9]{0,5}(\\.[0-9]{0,4})?([eE][-+]?[0-9]{1,4})?",
        unit in "(m|km|nmi|ft|FL|Mach |m/s|km/h|kt|s|ms|us|µs|μs|ns|min|h|deg|rad|mrad|m2|dBsm|g|kg|t|W|kW|MW|dBW|dBm|Hz|MHz|GHz|dB|dBi|K|kg/m2|x|)",
        qi in 0usize..14,
    ) {
        for s in [format!("{num} {unit}"), format!("{unit}{num}")] {
            if let Ok(v) = parse(QUANTITIES[qi], &s) {
                prop_assert!(v.is_finite(), "{s}");
            }
        }
    }

    /// SI values written by `format_si` read back bit for bit (dB to 1e-12 relative).
    #[test]
    fn format_si_round_trips(v in -1e12f64..1e12, qi in 0usize..14) {
        let q = QUANTITIES[qi];
        let db = matches!(q, Q::Ratio | Q::Gain);
        let v = if db { v.abs() + 1e-9 } else { v };
        let back = parse(q, &format_si(q, v)).unwrap();
        if db {
            prop_assert!(((back - v) / v).abs() < 1e-12, "{v} -> {back}");
        } else {
            prop_assert_eq!(back, v);
        }
    }

    /// A value written in km / kt / deg reads back within a few ulps of the SI value.
    #[test]
    fn scaled_units_round_trip(x in -1e6f64..1e6) {
        let rel = |a: f64, b: f64| (a - b).abs() <= 4.0 * f64::EPSILON * b.abs().max(1e-300);
        let cases = [
            (parse(Q::Length, &format!("{x} km")), x * 1000.0),
            (parse(Q::Speed, &format!("{x} kt")), x * 1852.0 / 3600.0),
            (parse(Q::Angle, &format!("{x} deg")), x.to_radians()),
            (parse(Q::Time, &format!("{x} min")), x * 60.0),
        ];
        for (got, want) in cases {
            let got = got.unwrap();
            prop_assert!(rel(got, want), "{} vs {}", got, want);
        }
    }
}
