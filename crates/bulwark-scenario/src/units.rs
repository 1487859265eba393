//! Unit strings (`"250 km"`, `"Mach 0.8"`, `"FL350"`, `"-20 dBsm"`) parsed once, at the file
//! boundary, into SI values (m, s, rad, m/s, m², m/s², kg, W, Hz, K, linear ratio, kg/m²).
//!
//! Conversion factors are exact definitions (NIST SP 811, 2008 ed., appendix B; ICAO Annex 5):
//! 1 ft = 0.3048 m, 1 nmi = 1852 m, 1 mi = 1609.344 m, 1 kt = 1852/3600 m/s,
//! 1 mph = 0.447 04 m/s, 1 min = 60 s, 1 h = 3600 s, 1 deg = π/180 rad, standard gravity
//! g₀ = 9.806 65 m/s², 1 t = 1000 kg. A flight level is 100 ft of pressure altitude (ICAO
//! Annex 2), converted here as a geometric altitude (the standard-atmosphere convention).
//! Mach numbers use the speed of sound at the ICAO standard sea level, 15 °C:
//! a₀ = 340.294 m/s (ICAO Doc 7488). Decibels are power ratios: x dB = 10^(x/10);
//! x dBsm = 10^(x/10) m², x dBW = 10^(x/10) W, x dBm = 10^(x/10) mW, x dBi = 10^(x/10) (gain
//! over an isotropic antenna). SI prefixes (NIST SP 330, 2019, table 7): n = 10⁻⁹, µ = 10⁻⁶,
//! m = 10⁻³, k = 10³, M = 10⁶, G = 10⁹; `us`, `µs` (U+00B5) and `μs` (U+03BC) all mean 10⁻⁶ s.
//! Temperatures are thermodynamic, in kelvin only.
//!
//! Rational factors are applied as `value · num / den` so that decimal inputs such as
//! `"450 kt"` or `"FL350"` land on the correctly rounded SI value (231.5 m/s, 10 668 m exactly).
use std::fmt;

/// The physical quantity a key expects; picks the accepted units.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum Quantity {
    /// Distances and ranges, m. Flight levels are refused (they are altitudes).
    Length,
    /// Altitudes, m: a length or a flight level `FLnnn`.
    Altitude,
    /// m/s, including `Mach N`.
    Speed,
    /// s.
    Time,
    /// rad.
    Angle,
    /// m² (radar cross-section), including dBsm.
    Area,
    /// m/s², including multiples of standard gravity `g`.
    Acceleration,
    /// kg.
    Mass,
    /// W.
    Power,
    /// Hz.
    Frequency,
    /// A power ratio given in dB, returned linear (noise figure, losses).
    Ratio,
    /// An antenna gain given in dBi, returned linear.
    Gain,
    /// Thermodynamic temperature, K (system noise temperature).
    Temperature,
    /// Ballistic coefficient m/(Cd·A), kg/m².
    BallisticCoefficient,
}

/// Speed of sound at ICAO standard sea level (15 °C), m/s; the reference for `Mach N`.
pub const SPEED_OF_SOUND_SEA_LEVEL: f64 = 340.294;
/// Standard acceleration of gravity, m/s² (NIST SP 811, B.8).
pub const STANDARD_GRAVITY: f64 = 9.806_65;

/// How a unit turns its number into SI.
#[derive(Copy, Clone, Debug)]
enum Conv {
    /// `x · num / den`.
    Rational(f64, f64),
    /// `x · π / 180`.
    Degrees,
    /// `x · 1e-3` (mrad), kept separate so that "5 mrad" is exactly 0.005.
    Milli,
    /// `10^((x + offset)/10)`: dB with a reference offset in dB (−30 for dBm).
    Decibel(f64),
}

impl Conv {
    fn apply(self, x: f64) -> f64 {
        match self {
            Conv::Rational(num, den) => x * num / den,
            Conv::Degrees => x.to_radians(),
            Conv::Milli => x / 1000.0,
            Conv::Decibel(offset) => 10f64.powf((x + offset) / 10.0),
        }
    }
}

/// Units written after the number, per quantity. The first one is the SI unit.
fn suffix_units(q: Quantity) -> &'static [(&'static str, Conv)] {
    use Conv::*;
    match q {
        Quantity::Length | Quantity::Altitude => &[
            ("m", Rational(1.0, 1.0)),
            ("km", Rational(1000.0, 1.0)),
            ("nmi", Rational(1852.0, 1.0)),
            ("ft", Rational(3048.0, 10000.0)),
            ("mi", Rational(1_609_344.0, 1000.0)),
        ],
        Quantity::Speed => &[
            ("m/s", Rational(1.0, 1.0)),
            ("km/h", Rational(1000.0, 3600.0)),
            ("kt", Rational(1852.0, 3600.0)),
            ("km/s", Rational(1000.0, 1.0)),
            ("mph", Rational(1_609_344.0, 3_600_000.0)),
        ],
        Quantity::Time => &[
            ("s", Rational(1.0, 1.0)),
            ("ms", Rational(1.0, 1000.0)),
            ("us", Rational(1.0, 1e6)),
            ("µs", Rational(1.0, 1e6)),
            ("μs", Rational(1.0, 1e6)),
            ("ns", Rational(1.0, 1e9)),
            ("min", Rational(60.0, 1.0)),
            ("h", Rational(3600.0, 1.0)),
        ],
        Quantity::Angle => &[("rad", Rational(1.0, 1.0)), ("deg", Degrees), ("mrad", Milli)],
        Quantity::Area => &[("m2", Rational(1.0, 1.0)), ("m²", Rational(1.0, 1.0)), ("dBsm", Decibel(0.0))],
        Quantity::Acceleration => {
            &[("m/s2", Rational(1.0, 1.0)), ("m/s²", Rational(1.0, 1.0)), ("g", Rational(STANDARD_GRAVITY, 1.0))]
        }
        Quantity::Mass => &[("kg", Rational(1.0, 1.0)), ("t", Rational(1000.0, 1.0))],
        Quantity::Power => &[
            ("W", Rational(1.0, 1.0)),
            ("kW", Rational(1e3, 1.0)),
            ("MW", Rational(1e6, 1.0)),
            ("dBW", Decibel(0.0)),
            ("dBm", Decibel(-30.0)),
        ],
        Quantity::Frequency => &[
            ("Hz", Rational(1.0, 1.0)),
            ("kHz", Rational(1e3, 1.0)),
            ("MHz", Rational(1e6, 1.0)),
            ("GHz", Rational(1e9, 1.0)),
        ],
        Quantity::Ratio => &[("dB", Decibel(0.0))],
        Quantity::Gain => &[("dBi", Decibel(0.0))],
        Quantity::Temperature => &[("K", Rational(1.0, 1.0))],
        Quantity::BallisticCoefficient => &[("kg/m2", Rational(1.0, 1.0)), ("kg/m²", Rational(1.0, 1.0))],
    }
}

impl Quantity {
    /// Largest magnitude (SI) a value of this quantity may have in a scenario or catalog: beyond it a value
    /// is a typing slip (`"1e300 m"` for an antenna height), and accepting it only moves the
    /// failure downstream (an out-of-bounds index in the tracker's pre-filter, issue 19).
    /// Each bound is far above every physical use: lengths 1e8 m (100,000 km, a quarter of the
    /// Moon's distance; the tracker's own coordinate limit), speeds 1e5 m/s (9× Earth's escape
    /// speed), times 1e7 s (the scenario time limit), accelerations 1e6 m/s² (≈ 100,000 g,
    /// above gun-launch loads), areas 1e9 m², masses 1e9 kg, powers 1e12 W, frequencies
    /// 1e13 Hz, ratios and gains 1e30 (300 dB), temperatures 1e8 K, ballistic coefficients
    /// 1e8 kg/m², angles 4π.
    pub fn largest(self) -> f64 {
        match self {
            Quantity::Length | Quantity::Altitude => bulwark_tracking::config::MAX_DISTANCE_M,
            Quantity::Speed => 1e5,
            Quantity::Time => crate::scenario::MAX_TIME_S,
            Quantity::Angle => 4.0 * std::f64::consts::PI,
            Quantity::Area | Quantity::Mass => 1e9,
            Quantity::Acceleration => 1e6,
            Quantity::Power => 1e12,
            Quantity::Frequency => 1e13,
            Quantity::Ratio | Quantity::Gain => 1e30,
            Quantity::Temperature | Quantity::BallisticCoefficient => 1e8,
        }
    }

    /// Lower-case name used in messages.
    pub fn name(self) -> &'static str {
        match self {
            Quantity::Length => "length",
            Quantity::Altitude => "altitude",
            Quantity::Speed => "speed",
            Quantity::Time => "time",
            Quantity::Angle => "angle",
            Quantity::Area => "area",
            Quantity::Acceleration => "acceleration",
            Quantity::Mass => "mass",
            Quantity::Power => "power",
            Quantity::Frequency => "frequency",
            Quantity::Ratio => "ratio",
            Quantity::Gain => "antenna gain",
            Quantity::Temperature => "temperature",
            Quantity::BallisticCoefficient => "ballistic coefficient",
        }
    }

    /// The SI unit the parsed value is in.
    pub fn si_unit(self) -> &'static str {
        match self {
            Quantity::Ratio | Quantity::Gain => "(linear)",
            _ => suffix_units(self)[0].0,
        }
    }

    /// Every accepted form, for error messages: `m/s, km/h, kt, km/s, Mach N`.
    pub fn accepted(self) -> String {
        let mut forms: Vec<&str> = suffix_units(self).iter().map(|(u, _)| *u).collect();
        match self {
            Quantity::Speed => forms.push("Mach N"),
            Quantity::Altitude => forms.push("FLnnn"),
            _ => {}
        }
        forms.join(", ")
    }
}

impl fmt::Display for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Why a unit string was refused; the message names the text and the accepted units.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct UnitError {
    pub message: String,
}

fn err(message: String) -> UnitError {
    UnitError { message }
}

/// Parses a finite decimal number (`12`, `-0.5`, `1e-6`); refuses NaN, infinity and hex.
pub fn parse_number(s: &str) -> Option<f64> {
    let s = s.trim();
    // Rust's float parser also takes "inf", "NaN", "infinity": only digits, sign, '.', 'e' pass.
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit() || matches!(b, b'+' | b'-' | b'.' | b'e' | b'E')) {
        return None;
    }
    if !s.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// Parses a unit string of quantity `q` into SI.
///
/// Forms: `<number> <unit>` (space optional), `Mach <number>` for speeds, `FL<number>` for
/// altitudes. Units are case-sensitive (`mrad` ≠ `Mrad`); a case slip is named in the error.
pub fn parse(q: Quantity, text: &str) -> Result<f64, UnitError> {
    let s = text.trim();
    if s.is_empty() {
        return Err(err(format!("empty {q} value; expected a number and a unit, one of {}", q.accepted())));
    }
    let value = if let Some(rest) = s.strip_prefix("Mach").or_else(|| s.strip_prefix("mach")) {
        if q != Quantity::Speed {
            return Err(wrong_quantity(q, text, "a Mach number is a speed"));
        }
        let m = number_or_err(q, text, rest)?;
        if m < 0.0 {
            return Err(err(format!("negative Mach number in \"{text}\"")));
        }
        m * SPEED_OF_SOUND_SEA_LEVEL
    } else if let Some(rest) = s.strip_prefix("FL") {
        if q != Quantity::Altitude {
            return Err(wrong_quantity(q, text, "a flight level is an altitude"));
        }
        let fl = number_or_err(q, text, rest)?;
        // FL350 = 35 000 ft = 35 000 × 0.3048 m; computed as fl·30 480/1000 to stay exact.
        fl * 30_480.0 / 1000.0
    } else {
        let split = number_prefix_len(s);
        let (num, unit) = s.split_at(split);
        let unit = unit.trim();
        let Some(x) = parse_number(num) else {
            return Err(err(format!("\"{text}\" is not a {q}: expected a number followed by one of {}", q.accepted())));
        };
        if unit.is_empty() {
            return Err(err(format!(
                "\"{text}\" has no unit; a {q} needs one of {} (e.g. \"{} {}\")",
                q.accepted(),
                num.trim(),
                suffix_units(q)[0].0
            )));
        }
        match suffix_units(q).iter().find(|(u, _)| *u == unit) {
            Some((_, conv)) => conv.apply(x),
            None => return Err(unknown_unit(q, unit)),
        }
    };
    if !value.is_finite() {
        return Err(err(format!("\"{text}\" is out of range: the {q} overflows")));
    }
    Ok(value)
}

/// Length of the leading number: digits, sign, '.', and an exponent only if digits follow it
/// (so that the `e` of a unit is not eaten).
fn number_prefix_len(s: &str) -> usize {
    let b = s.as_bytes();
    let mut i = 0;
    if i < b.len() && matches!(b[i], b'+' | b'-') {
        i += 1;
    }
    while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'.') {
        i += 1;
    }
    if i < b.len() && matches!(b[i], b'e' | b'E') {
        let mut j = i + 1;
        if j < b.len() && matches!(b[j], b'+' | b'-') {
            j += 1;
        }
        if j < b.len() && b[j].is_ascii_digit() {
            while j < b.len() && b[j].is_ascii_digit() {
                j += 1;
            }
            i = j;
        }
    }
    i
}

fn number_or_err(q: Quantity, text: &str, rest: &str) -> Result<f64, UnitError> {
    parse_number(rest).ok_or_else(|| err(format!("\"{text}\" is not a valid {q}: expected a number after the prefix")))
}

fn wrong_quantity(q: Quantity, text: &str, why: &str) -> UnitError {
    err(format!("\"{text}\" is not a {q} ({why}); expected one of {}", q.accepted()))
}

fn unknown_unit(q: Quantity, unit: &str) -> UnitError {
    let hint = suffix_units(q)
        .iter()
        .find(|(u, _)| u.eq_ignore_ascii_case(unit))
        .map(|(u, _)| format!(" (did you mean \"{u}\"? units are case-sensitive)"))
        .unwrap_or_default();
    // Is it a unit of some other quantity? Say which, it is the likelier slip.
    let other = ALL
        .iter()
        .find(|o| **o != q && suffix_units(**o).iter().any(|(u, _)| *u == unit))
        .map(|o| {
            let a = if o.name().starts_with(['a', 'e', 'i', 'o', 'u']) { "an" } else { "a" };
            format!(" (\"{unit}\" is {a} {o} unit)")
        })
        .unwrap_or_default();
    err(format!("unknown {q} unit \"{unit}\"{hint}{other}; expected one of {}", q.accepted()))
}

const ALL: [Quantity; 14] = [
    Quantity::Length,
    Quantity::Altitude,
    Quantity::Speed,
    Quantity::Time,
    Quantity::Angle,
    Quantity::Area,
    Quantity::Acceleration,
    Quantity::Mass,
    Quantity::Power,
    Quantity::Frequency,
    Quantity::Ratio,
    Quantity::Gain,
    Quantity::Temperature,
    Quantity::BallisticCoefficient,
];

/// Formats an SI value in its SI unit so that [`parse`] gives back the same `f64`
/// (Rust's `{}` float formatting is shortest-round-trip). Ratios are written in dB and
/// round-trip to within a few ulps.
pub fn format_si(q: Quantity, si: f64) -> String {
    match q {
        Quantity::Ratio => format!("{} dB", 10.0 * si.log10()),
        Quantity::Gain => format!("{} dBi", 10.0 * si.log10()),
        _ => format!("{si} {}", suffix_units(q)[0].0),
    }
}

/// Formats an SI value in the unit a reader expects (km for long ranges, deg for angles,
/// dBsm next to m²...), for `bulwark catalog show`. Not meant to round-trip exactly.
pub fn display(q: Quantity, si: f64) -> String {
    let g = |x: f64| {
        let r = format!("{:.6}", x);
        let r = r.trim_end_matches('0').trim_end_matches('.').to_string();
        if r == "-0" { "0".to_string() } else { r }
    };
    match q {
        Quantity::Length | Quantity::Altitude if si.abs() >= 1000.0 => format!("{} km", g(si / 1000.0)),
        Quantity::Speed if si.abs() >= 100.0 => {
            format!("{} m/s ({} kt, Mach {})", g(si), g(si * 3600.0 / 1852.0), g(si / SPEED_OF_SOUND_SEA_LEVEL))
        }
        Quantity::Time if si.abs() >= 120.0 => format!("{} min", g(si / 60.0)),
        Quantity::Time if si != 0.0 && si.abs() < 1e-3 => format!("{} µs", g(si * 1e6)),
        Quantity::Time if si != 0.0 && si.abs() < 1.0 => format!("{} ms", g(si * 1e3)),
        Quantity::Power if si >= 1e6 => format!("{} MW ({} dBW)", g(si / 1e6), g(10.0 * si.log10())),
        Quantity::Power if si >= 1e3 => format!("{} kW ({} dBW)", g(si / 1e3), g(10.0 * si.log10())),
        Quantity::Power if si > 0.0 => format!("{} W ({} dBW)", g(si), g(10.0 * si.log10())),
        Quantity::Frequency if si.abs() >= 1e9 => format!("{} GHz", g(si / 1e9)),
        Quantity::Frequency if si.abs() >= 1e6 => format!("{} MHz", g(si / 1e6)),
        Quantity::Frequency if si.abs() >= 1e3 => format!("{} kHz", g(si / 1e3)),
        Quantity::Angle if si != 0.0 && si.abs() < 0.01 => format!("{} mrad", g(si * 1000.0)),
        Quantity::Angle => format!("{} deg", g(si.to_degrees())),
        Quantity::Area if si > 0.0 => format!("{} m2 ({} dBsm)", g(si), g(10.0 * si.log10())),
        Quantity::Acceleration => format!("{} m/s2 ({} g)", g(si), g(si / STANDARD_GRAVITY)),
        Quantity::Ratio if si > 0.0 => format!("{} dB", g(10.0 * si.log10())),
        Quantity::Gain if si > 0.0 => format!("{} dBi", g(10.0 * si.log10())),
        _ => format!("{} {}", g(si), suffix_units(q)[0].0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kmh_is_an_unknown_speed_unit_and_the_message_lists_the_accepted_ones() {
        let e = parse(Quantity::Speed, "25 kmh").unwrap_err();
        assert_eq!(e.message, "unknown speed unit \"kmh\"; expected one of m/s, km/h, kt, km/s, mph, Mach N");
    }

    #[test]
    fn case_slips_and_units_of_other_quantities_are_named() {
        let e = parse(Quantity::Length, "25 KM").unwrap_err();
        assert!(e.message.contains("did you mean \"km\""), "{e}");
        let e = parse(Quantity::Length, "25 s").unwrap_err();
        assert!(e.message.contains("\"s\" is a time unit"), "{e}");
    }

    #[test]
    fn nan_inf_empty_and_bare_numbers_are_refused() {
        for bad in ["", "  ", "NaN m", "inf m", "infinity km", "-inf s", "250", "km", "1e400 m", "Mach", "FL"] {
            let q = if bad.starts_with("FL") { Quantity::Altitude } else { Quantity::Length };
            assert!(parse(q, bad).is_err(), "{bad:?} was accepted");
        }
        assert!(parse(Quantity::Speed, "Mach NaN").is_err());
        assert!(parse(Quantity::Speed, "Mach -1").is_err());
        assert!(parse(Quantity::Ratio, "1000 dB").is_ok());
        assert!(parse(Quantity::Ratio, "4000 dB").is_err(), "10^400 overflows f64");
    }

    #[test]
    fn flight_levels_only_for_altitudes_and_mach_only_for_speeds() {
        assert!(parse(Quantity::Length, "FL350").is_err());
        assert_eq!(parse(Quantity::Altitude, "FL350"), Ok(10_668.0));
        assert!(parse(Quantity::Time, "Mach 2").is_err());
    }

    #[test]
    fn the_exponent_of_a_number_is_not_confused_with_a_unit() {
        assert_eq!(parse(Quantity::Length, "1e3 m"), Ok(1000.0));
        assert_eq!(parse(Quantity::Length, "2.5km"), Ok(2500.0));
        assert_eq!(parse(Quantity::Ratio, "10 dB"), Ok(10.0));
    }
}
