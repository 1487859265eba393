//! Recorded civil flights from CSV (`[[civil]] csv = "..."`), and the callsign / squawk rules
//! shared with route flights.
//!
//! Columns (header row required, any order): `time` (ISO 8601 / RFC 3339 UTC, or seconds from
//! the scenario epoch), `lat`, `lon` (degrees), exactly one of `altitude_ft` / `altitude_m`,
//! `callsign`, optional `squawk`. Rows are grouped by callsign (one flight each, in callsign
//! order) and sorted by time; a flight needs at least two rows at distinct times.
use crate::diag::Diagnostic;
use crate::raw::fmt_num;
use crate::scenario::{CivilFlight, CivilPath, MAX_TIME_S};
use crate::units::parse_number;
use bulwark_core::SimTime;
use bulwark_geo::Geodetic;
use std::collections::BTreeMap;
use std::path::Path;
use time::OffsetDateTime;
use time::format_description::well_known::{Iso8601, Rfc3339};

/// Parses a Mode 3/A code written as four octal digits into its 12-bit value.
pub(crate) fn parse_squawk(s: &str) -> Result<u16, String> {
    if s.len() == 4 && s.bytes().all(|b| (b'0'..=b'7').contains(&b)) {
        u16::from_str_radix(s, 8).map_err(|e| format!("squawk \"{s}\": {e}"))
    } else {
        Err(format!("squawk \"{s}\" is not a Mode 3/A code: expected four octal digits 0-7, e.g. \"7000\""))
    }
}

/// ICAO aircraft identification: 1 to 8 characters A–Z, 0–9 (ASTERIX I048/240 holds 8).
pub(crate) fn check_callsign(s: &str) -> Result<(), String> {
    if !s.is_empty() && s.len() <= 8 && s.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()) {
        Ok(())
    } else {
        Err(format!("callsign \"{s}\" must be 1 to 8 characters A-Z and 0-9 (e.g. \"LOT281\")"))
    }
}

const COLUMNS: &str = "time, lat, lon, altitude_ft or altitude_m, callsign, squawk (optional)";

/// Byte offset in `text` of field `index` of the record starting at byte `start`
/// (honours quotes; commas inside quotes do not split).
fn field_offset(text: &str, start: usize, index: usize) -> usize {
    let bytes = text.as_bytes();
    let mut i = start.min(bytes.len());
    let mut field = 0;
    let mut quoted = false;
    while i < bytes.len() && field < index {
        match bytes[i] {
            b'"' => quoted = !quoted,
            b',' if !quoted => field += 1,
            b'\n' if !quoted => break,
            _ => {}
        }
        i += 1;
    }
    i
}

struct Row {
    t: SimTime,
    pos: Geodetic,
    squawk: Option<u16>,
    /// Byte offsets of the record and of its time field, for messages.
    at: usize,
    time_at: usize,
}

pub(crate) fn parse(
    path: &Path,
    text: &str,
    epoch: OffsetDateTime,
    type_id: &str,
) -> Result<Vec<CivilFlight>, Diagnostic> {
    let err = |at: usize, msg: String| Diagnostic::at(path, text, at..at, msg);
    let mut rdr = csv::ReaderBuilder::new().has_headers(true).trim(csv::Trim::All).from_reader(text.as_bytes());
    let headers = rdr.headers().map_err(|e| csv_error(path, text, &e))?.clone();
    let mut col: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, h) in headers.iter().enumerate() {
        let at = field_offset(text, 0, i);
        match h {
            "time" | "lat" | "lon" | "altitude_ft" | "altitude_m" | "callsign" | "squawk" => {
                if col.insert(h, i).is_some() {
                    return Err(err(at, format!("column \"{h}\" appears twice")));
                }
            }
            other => return Err(err(at, format!("unknown column \"{other}\"; expected {COLUMNS}"))),
        }
    }
    let alt = match (col.get("altitude_ft"), col.get("altitude_m")) {
        (Some(i), None) => (*i, 3048.0 / 10000.0),
        (None, Some(i)) => (*i, 1.0),
        (Some(_), Some(_)) => return Err(err(0, "give altitude_ft or altitude_m, not both".into())),
        (None, None) => return Err(err(0, format!("missing altitude column; expected {COLUMNS}"))),
    };
    for needed in ["time", "lat", "lon", "callsign"] {
        if !col.contains_key(needed) {
            return Err(err(0, format!("missing column \"{needed}\"; expected {COLUMNS}")));
        }
    }
    let squawk_col = col.get("squawk").copied();
    let mut flights: BTreeMap<String, Vec<Row>> = BTreeMap::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| csv_error(path, text, &e))?;
        let start = rec.position().map_or(0, |p| p.byte() as usize);
        let at = |i: usize| field_offset(text, start, i);
        let get = |i: usize| rec.get(i).unwrap_or("");
        let number = |name: &str, i: usize, lo: f64, hi: f64| -> Result<f64, Diagnostic> {
            let f = get(i);
            let x = parse_number(f).ok_or_else(|| err(at(i), format!("{name}: \"{f}\" is not a number")))?;
            if x < lo || x > hi {
                return Err(err(
                    at(i),
                    format!("{name} must be between {} and {}, got {}", fmt_num(lo), fmt_num(hi), f),
                ));
            }
            Ok(x)
        };
        let ti = col["time"];
        let t = parse_time(get(ti), epoch).map_err(|m| err(at(ti), m))?;
        let lat = number("lat", col["lat"], -90.0, 90.0)?;
        let lon = number("lon", col["lon"], -180.0, 180.0)?;
        let alt_m = number(headers.get(alt.0).unwrap_or("altitude"), alt.0, -1e6, 1e7)? * alt.1;
        if !(-1000.0..=1_000_000.0).contains(&alt_m) {
            return Err(err(at(alt.0), format!("altitude {} m is outside -1 km .. 1000 km", fmt_num(alt_m))));
        }
        let ci = col["callsign"];
        let callsign = get(ci).to_string();
        check_callsign(&callsign).map_err(|m| err(at(ci), m))?;
        let squawk = match squawk_col {
            Some(i) if !get(i).is_empty() => Some(parse_squawk(get(i)).map_err(|m| err(at(i), m))?),
            _ => None,
        };
        let pos = Geodetic::from_degrees(lat, lon, alt_m);
        flights.entry(callsign).or_default().push(Row { t, pos, squawk, at: start, time_at: at(ti) });
    }
    let mut out = Vec::new();
    for (callsign, mut rows) in flights {
        rows.sort_by_key(|r| r.t);
        if rows.len() < 2 {
            let at = rows.first().map_or(0, |r| r.at);
            return Err(err(at, format!("flight {callsign} has a single row; a recorded flight needs at least two")));
        }
        if let Some(w) = rows.windows(2).find(|w| w[0].t == w[1].t) {
            let later = if w[0].at > w[1].at { &w[0] } else { &w[1] };
            return Err(err(later.time_at, format!("flight {callsign} has two rows at time {}", w[1].t)));
        }
        out.push(CivilFlight {
            callsign,
            squawk: rows.iter().find_map(|r| r.squawk),
            type_id: type_id.to_string(),
            start: rows[0].t,
            path: CivilPath::Recorded(rows.iter().map(|r| (r.t, r.pos)).collect()),
        });
    }
    if out.is_empty() {
        return Err(Diagnostic::file(path, "the flights file holds no rows"));
    }
    Ok(out)
}

/// Seconds from the epoch, or an ISO 8601 / RFC 3339 time with an offset.
fn parse_time(s: &str, epoch: OffsetDateTime) -> Result<SimTime, String> {
    let t = if let Some(x) = parse_number(s) {
        if x.abs() > MAX_TIME_S {
            return Err(format!("time {s} s is too far from the epoch (limit {MAX_TIME_S} s)"));
        }
        SimTime::from_secs_f64(x)
    } else {
        let dt = OffsetDateTime::parse(s, &Rfc3339).or_else(|_| OffsetDateTime::parse(s, &Iso8601::DEFAULT)).map_err(
            |_| {
                format!(
                    "time: \"{s}\" is neither seconds from the epoch nor an ISO 8601 time such as 2026-06-01T04:00:00Z"
                )
            },
        )?;
        let ns = (dt - epoch).whole_nanoseconds();
        if ns.unsigned_abs() > (MAX_TIME_S * 1e9) as u128 {
            return Err(format!("time {s} is too far from the scenario epoch (limit {MAX_TIME_S} s)"));
        }
        SimTime::from_nanos(ns as i64)
    };
    Ok(t)
}

fn csv_error(path: &Path, text: &str, e: &csv::Error) -> Diagnostic {
    let at = e.position().map_or(0, |p| p.byte() as usize);
    let msg = match e.kind() {
        csv::ErrorKind::UnequalLengths { expected_len, len, .. } => {
            format!("this row has {len} fields but the header has {expected_len}")
        }
        csv::ErrorKind::Utf8 { .. } => "the file is not valid UTF-8".to_string(),
        _ => format!("cannot read CSV: {e}"),
    };
    Diagnostic::at(path, text, at..at, msg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn squawks_are_four_octal_digits() {
        assert_eq!(parse_squawk("7700"), Ok(0o7700));
        assert_eq!(parse_squawk("0000"), Ok(0));
        for bad in ["8888", "770", "77000", "12a4", "", "-123"] {
            assert!(parse_squawk(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn field_offsets_skip_quoted_commas() {
        let text = "a,\"b,c\",d\n1,2,3\n";
        assert_eq!(field_offset(text, 0, 2), 8);
        assert_eq!(field_offset(text, 10, 1), 12);
        assert_eq!(field_offset(text, 999, 3), text.len());
    }
}
