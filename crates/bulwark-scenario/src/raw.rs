//! What serde reads before validation: values keep their byte spans so that every later
//! check can point at the exact text. Shared by the catalog and the scenario readers.
use crate::diag::{Diagnostic, close_matches};
use crate::units::{self, Quantity};
use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};
use std::fmt;
use std::ops::Range;
use std::path::Path;
use toml::Spanned;

/// A scalar as written: a number (bare) or a string (unit string, id, code).
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Raw {
    Int(i64),
    Float(f64),
    Text(String),
}

impl Raw {
    /// As written, for messages: text quoted.
    fn shown(&self) -> String {
        match self {
            Raw::Int(i) => i.to_string(),
            Raw::Float(f) => f.to_string(),
            Raw::Text(t) => format!("\"{t}\""),
        }
    }
}

impl<'de> Deserialize<'de> for Raw {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Raw;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a number or a unit string such as \"250 km\"")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Raw, E> {
                Ok(Raw::Int(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Raw, E> {
                i64::try_from(v).map(Raw::Int).map_err(|_| E::custom("integer too large"))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Raw, E> {
                Ok(Raw::Float(v))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Raw, E> {
                Ok(Raw::Text(v.to_string()))
            }
        }
        d.deserialize_any(V)
    }
}

/// Inclusive/exclusive bounds on an SI value, with the words used in messages.
#[derive(Copy, Clone, Debug)]
pub(crate) enum Check {
    /// > 0
    Positive,
    /// ≥ 0
    NonNegative,
    /// 0 < p < 1
    OpenUnit,
    /// 0 < p ≤ 1
    UnitInterval,
    /// lo ≤ x ≤ hi
    Within(f64, f64),
    /// lo < x ≤ hi
    AboveUpTo(f64, f64),
}

impl Check {
    fn ok(self, x: f64) -> bool {
        match self {
            Check::Positive => x > 0.0,
            Check::NonNegative => x >= 0.0,
            Check::OpenUnit => x > 0.0 && x < 1.0,
            Check::UnitInterval => x > 0.0 && x <= 1.0,
            Check::Within(lo, hi) => x >= lo && x <= hi,
            Check::AboveUpTo(lo, hi) => x > lo && x <= hi,
        }
    }
    fn describe(self, q: Option<Quantity>) -> String {
        let v = |x: f64| match q {
            Some(q) => units::display(q, x),
            None => format!("{x}"),
        };
        match self {
            Check::Positive => "greater than 0".into(),
            Check::NonNegative => "at least 0".into(),
            Check::OpenUnit => "strictly between 0 and 1".into(),
            Check::UnitInterval => "greater than 0 and at most 1".into(),
            Check::Within(lo, hi) => format!("between {} and {}", v(lo), v(hi)),
            Check::AboveUpTo(lo, hi) => format!("greater than {} and at most {}", v(lo), v(hi)),
        }
    }
}

/// One source file being validated: its path (for messages) and its text (for positions).
#[derive(Copy, Clone)]
pub(crate) struct Src<'a> {
    pub file: &'a Path,
    pub text: &'a str,
}

pub(crate) type Res<T> = Result<T, Diagnostic>;

impl<'a> Src<'a> {
    pub fn err(&self, span: Range<usize>, message: impl Into<String>) -> Diagnostic {
        Diagnostic::at(self.file, self.text, span, message)
    }

    /// Deserializes the whole file, turning serde/TOML errors into diagnostics.
    pub fn parse<T: serde::de::DeserializeOwned>(&self) -> Res<T> {
        toml::from_str(self.text).map_err(|e| crate::diag::from_toml(self.file, self.text, &e))
    }

    /// A unit string of quantity `q` (a bare number is refused: the unit is not implied).
    pub fn quantity(&self, v: &Spanned<Raw>, key: &str, q: Quantity, check: Check) -> Res<f64> {
        let x = match v.get_ref() {
            Raw::Text(t) => units::parse(q, t).map_err(|e| self.err(v.span(), format!("{key}: {e}")))?,
            Raw::Int(_) | Raw::Float(_) => {
                return Err(self.err(
                    v.span(),
                    format!(
                        "{key}: a bare number has no unit; write a {q} as a string such as \"{}\" (accepted units: {})",
                        example(q),
                        q.accepted()
                    ),
                ));
            }
        };
        if x.abs() > q.largest() {
            return Err(self.err(
                v.span(),
                format!(
                    "{key}: {} is beyond any {q} an input can mean (at most {}); a typing slip?",
                    v.get_ref().shown(),
                    units::display(q, q.largest())
                ),
            ));
        }
        self.check(v.span(), key, x, Some(q), check)
    }

    /// A bare number (probability, ratio, factor).
    pub fn number(&self, v: &Spanned<Raw>, key: &str, check: Check) -> Res<f64> {
        let x = match v.get_ref() {
            Raw::Int(i) => *i as f64,
            Raw::Float(f) => *f,
            Raw::Text(t) => match units::parse_number(t) {
                Some(x) => x,
                None => return Err(self.err(v.span(), format!("{key}: expected a plain number, got \"{t}\""))),
            },
        };
        if !x.is_finite() {
            return Err(self.err(v.span(), format!("{key}: expected a finite number, got {x}")));
        }
        self.check(v.span(), key, x, None, check)
    }

    /// A whole number within `min..=max` (counts, codes).
    pub fn integer(&self, v: &Spanned<Raw>, key: &str, min: i64, max: i64) -> Res<i64> {
        let n = match v.get_ref() {
            Raw::Int(i) => *i,
            Raw::Float(f) if f.fract() == 0.0 && f.is_finite() && f.abs() < 9e15 => *f as i64,
            other => {
                return Err(self.err(v.span(), format!("{key}: expected a whole number, got {}", other.shown())));
            }
        };
        if n < min || n > max {
            let why = if n < min && min == 1 {
                format!("{key} must be at least 1, got {n}")
            } else if n < min && min == 0 {
                format!("{key} cannot be negative, got {n}")
            } else {
                format!("{key} must be between {min} and {max}, got {n}")
            };
            return Err(self.err(v.span(), why));
        }
        Ok(n)
    }

    /// Latitude or longitude: a bare number of degrees or an angle unit string, within ±`limit_deg`.
    pub fn lat_lon(&self, v: &Spanned<Raw>, key: &str, limit_deg: f64) -> Res<f64> {
        let rad = match v.get_ref() {
            Raw::Int(i) => (*i as f64).to_radians(),
            Raw::Float(f) if f.is_finite() => f.to_radians(),
            Raw::Float(f) => return Err(self.err(v.span(), format!("{key}: expected degrees, got {f}"))),
            Raw::Text(t) => units::parse(Quantity::Angle, t).map_err(|e| self.err(v.span(), format!("{key}: {e}")))?,
        };
        let deg = rad.to_degrees();
        if deg.abs() > limit_deg + 1e-9 {
            let name = if key.ends_with("lat") { "latitude" } else { "longitude" };
            return Err(self.err(v.span(), format!("{name} must be within ±{limit_deg}°, got {}°", fmt_num(deg))));
        }
        Ok(rad)
    }

    pub fn check(&self, span: Range<usize>, key: &str, x: f64, q: Option<Quantity>, check: Check) -> Res<f64> {
        if check.ok(x) {
            Ok(x)
        } else {
            let shown = match q {
                Some(q) => units::display(q, x),
                None => fmt_num(x),
            };
            Err(self.err(span, format!("{key} must be {}, got {shown}", check.describe(q))))
        }
    }

    /// An error for an id that is not in `known` (of kind `kind`), with the closest ids first.
    pub fn unknown_id<'k>(
        &self,
        span: Range<usize>,
        what: &str,
        id: &str,
        known: impl IntoIterator<Item = &'k str> + Clone,
        other_kind: Option<&str>,
    ) -> Diagnostic {
        let close = close_matches(id, known.clone());
        let all: Vec<&str> = known.into_iter().collect();
        let mut msg = match other_kind {
            Some(k) => format!("\"{id}\" is a {k}, not a {what}"),
            None => format!("unknown {what} \"{id}\""),
        };
        if let Some(best) = close.first() {
            msg.push_str(&format!("; did you mean \"{best}\"?"));
        }
        if all.is_empty() {
            msg.push_str(&format!(" (the catalog has no {what} entries)"));
        } else {
            msg.push_str(&format!(" (known: {})", list_for_message(&all)));
        }
        self.err(span, msg)
    }
}

/// A short example for `q`, for "write it like this" messages.
fn example(q: Quantity) -> &'static str {
    match q {
        Quantity::Length => "250 km",
        Quantity::Altitude => "3000 m",
        Quantity::Speed => "250 m/s",
        Quantity::Time => "30 s",
        Quantity::Angle => "12 deg",
        Quantity::Area => "0.1 m2",
        Quantity::Acceleration => "9 g",
        Quantity::Mass => "1800 kg",
        Quantity::Power => "20 kW",
        Quantity::Frequency => "3 GHz",
        Quantity::Ratio => "13 dB",
        Quantity::Gain => "40 dBi",
        Quantity::Temperature => "500 K",
        Quantity::BallisticCoefficient => "3000 kg/m2",
    }
}

/// Numbers in messages: at most 6 decimals, no trailing zeros.
pub(crate) fn fmt_num(x: f64) -> String {
    let s = format!("{x:.6}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.into() }
}

/// Lists ids for a message, eliding the middle of very long lists.
pub(crate) fn list_for_message(ids: &[&str]) -> String {
    const MAX: usize = 30;
    if ids.len() <= MAX { ids.join(", ") } else { format!("{}, ... ({} more)", ids[..MAX].join(", "), ids.len() - MAX) }
}
