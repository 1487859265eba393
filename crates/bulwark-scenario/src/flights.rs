//! Recorded civil flights from CSV (`[[civil]] csv = "..."`) or ASTERIX CAT021 / CAT062
//! recordings (`[[civil]] asterix = "..."`), and the callsign / squawk rules shared with route
//! flights.
//!
//! Columns (header row required, any order): `time` (ISO 8601 / RFC 3339 UTC, or seconds from
//! the scenario epoch), `lat`, `lon` (degrees), exactly one of `altitude_ft` / `altitude_m`,
//! `callsign`, optional `squawk` and `address` (the 24-bit Mode S address, six hex digits, as
//! ADS-B reports give it: the aircraft's Mode S replies carry it). Rows are grouped by callsign (one flight each, in callsign
//! order) and sorted by time; a flight needs at least two rows at distinct times.
use crate::diag::{Diagnostic, Errors};
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

/// Parses a 24-bit ICAO (Mode S) aircraft address written as six hex digits ("3C6601").
pub(crate) fn parse_address(s: &str) -> Result<u32, String> {
    if s.len() == 6 && s.bytes().all(|b| b.is_ascii_hexdigit()) {
        u32::from_str_radix(s, 16).map_err(|e| format!("address \"{s}\": {e}"))
    } else {
        Err(format!("address \"{s}\" is not a Mode S address: expected six hex digits, e.g. \"3C6601\""))
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

/// Rows of one callsign more than this far apart (s) belong to different flights: the same
/// flight number flown on another leg or day. Assumption: en-route surveillance gaps are
/// minutes (radar and ADS-B coverage over land), while a flight number's next use is hours
/// later; 30 min sits between the two.
pub(crate) const MAX_GAP_S: f64 = 1800.0;
/// Fastest ground speed a recorded aircraft may have (m/s). The fastest crewed air-breathing
/// aircraft, the SR-71, holds the absolute speed record at 3,529.6 km/h ≈ 980 m/s (FAI record
/// 28 July 1976); 1,500 m/s leaves room for position jitter between close reports.
pub(crate) const MAX_SPEED_MS: f64 = 1500.0;
/// Fastest climb or descent a recorded aircraft may have (m/s). Time-to-climb records (F-15
/// "Streak Eagle", 1975: 12,000 m in 59.4 s ≈ 200 m/s average) stay below 300 m/s.
pub(crate) const MAX_CLIMB_MS: f64 = 300.0;

/// Time-sorted rows split where consecutive rows are more than [`MAX_GAP_S`] apart.
fn split_at_gaps(rows: &[Row]) -> Vec<&[Row]> {
    let mut out = Vec::new();
    let mut from = 0;
    for i in 1..rows.len() {
        if (rows[i].t - rows[i - 1].t).as_secs_f64() > MAX_GAP_S {
            out.push(&rows[from..i]);
            from = i;
        }
    }
    out.push(&rows[from..]);
    out
}

/// Every leg of a time-sorted recorded flight must be flyable: ground speed at most
/// [`MAX_SPEED_MS`], vertical rate at most [`MAX_CLIMB_MS`]. On the first leg that is not,
/// the index of its later point and the reason.
pub(crate) fn check_legs(pts: &[(SimTime, Geodetic)]) -> Result<(), (usize, String)> {
    for (i, w) in pts.windows(2).enumerate() {
        let dt = (w[1].0 - w[0].0).as_secs_f64();
        let ground = bulwark_geo::surface_distance_m(&w[0].1, &w[1].1) / dt;
        let climb = (w[1].1.alt_m - w[0].1.alt_m).abs() / dt;
        for (rate, limit, what) in [
            (ground, MAX_SPEED_MS, "fly at {} m/s over the ground"),
            (climb, MAX_CLIMB_MS, "climb or descend at {} m/s"),
        ] {
            if rate > limit {
                let what = what.replace("{}", &fmt_num(rate.round()));
                return Err((
                    i + 1,
                    format!(
                        "from {} to {} it would {what}, faster than any aircraft (limit {} m/s)",
                        w[0].0,
                        w[1].0,
                        fmt_num(limit)
                    ),
                ));
            }
        }
    }
    Ok(())
}

const COLUMNS: &str = "time, lat, lon, altitude_ft or altitude_m, callsign, squawk and address (optional)";

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
    address: Option<u32>,
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
            "time" | "lat" | "lon" | "altitude_ft" | "altitude_m" | "callsign" | "squawk" | "address" => {
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
    let address_col = col.get("address").copied();
    let cells = Cells { text, col: &col, alt, headers: &headers, squawk_col, address_col, epoch, err: &err };
    let mut flights: BTreeMap<String, Vec<Row>> = BTreeMap::new();
    // A bad cell does not stop the reading: a real recording with many bad rows is mended in
    // one go when the first ones are shown with their places and the rest counted.
    let mut bad_cells = Errors::default();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| csv_error(path, text, &e))?;
        match cells.row(&rec) {
            Ok((callsign, row)) => flights.entry(callsign).or_default().push(row),
            Err(e) => bad_cells.push(e),
        }
    }
    bad_cells.into_result()?;
    let mut out = Vec::new();
    for (callsign, mut rows) in flights {
        rows.sort_by_key(|r| r.t);
        // An exact repeat of a row (same time, position and squawk) is how real feeds deliver
        // one report twice: keep the first copy (file order: the sort is stable), as the
        // ASTERIX reader does, and count the rest. Two different rows at one time stay an error.
        let before = rows.len();
        rows.dedup_by(|later, first| later.t == first.t && later.pos == first.pos && later.squawk == first.squawk);
        let duplicate_rows = before - rows.len();
        if rows.len() < 2 {
            let at = rows.first().map_or(0, |r| r.at);
            return Err(err(at, format!("flight {callsign} has a single row; a recorded flight needs at least two")));
        }
        if let Some(w) = rows.windows(2).find(|w| w[0].t == w[1].t) {
            let later = if w[0].at > w[1].at { &w[0] } else { &w[1] };
            return Err(err(later.time_at, format!("flight {callsign} has two rows at time {}", w[1].t)));
        }
        for piece in split_at_gaps(&rows) {
            if piece.len() < 2 {
                return Err(err(
                    piece[0].time_at,
                    format!(
                        "flight {callsign} has a single row at {} more than {} s from its other rows; \
                         rows that far apart are separate flights, and a recorded flight needs at least two",
                        piece[0].t, MAX_GAP_S
                    ),
                ));
            }
            let pts: Vec<(SimTime, Geodetic)> = piece.iter().map(|r| (r.t, r.pos)).collect();
            if let Err((i, m)) = check_legs(&pts) {
                return Err(err(piece[i].time_at, format!("flight {callsign}: {m}")));
            }
            out.push(CivilFlight {
                callsign: callsign.clone(),
                squawk: piece.iter().find_map(|r| r.squawk),
                address: piece.iter().find_map(|r| r.address),
                type_id: type_id.to_string(),
                start: piece[0].t,
                path: CivilPath::Recorded(pts),
                // Counted once per callsign, on its first flight.
                duplicate_rows: if out.last().is_some_and(|f: &CivilFlight| f.callsign == callsign) {
                    0
                } else {
                    duplicate_rows
                },
            });
        }
    }
    if out.is_empty() {
        return Err(Diagnostic::file(path, "the flights file holds no rows"));
    }
    Ok(out)
}

/// How the cells of a flights CSV are read: its columns, the altitude unit, and where errors point.
struct Cells<'a> {
    text: &'a str,
    col: &'a BTreeMap<&'a str, usize>,
    /// Altitude column and its factor to metres.
    alt: (usize, f64),
    headers: &'a csv::StringRecord,
    squawk_col: Option<usize>,
    address_col: Option<usize>,
    epoch: OffsetDateTime,
    err: &'a dyn Fn(usize, String) -> Diagnostic,
}

impl Cells<'_> {
    /// One record: its callsign and row, or the error of its first bad cell.
    fn row(&self, rec: &csv::StringRecord) -> Result<(String, Row), Diagnostic> {
        let (col, err) = (self.col, self.err);
        let start = rec.position().map_or(0, |p| p.byte() as usize);
        let at = |i: usize| field_offset(self.text, start, i);
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
        let t = parse_time(get(ti), self.epoch).map_err(|m| err(at(ti), m))?;
        let lat = number("lat", col["lat"], -90.0, 90.0)?;
        let lon = number("lon", col["lon"], -180.0, 180.0)?;
        let alt = self.alt;
        let alt_m = number(self.headers.get(alt.0).unwrap_or("altitude"), alt.0, -1e6, 1e7)? * alt.1;
        if !(-1000.0..=1_000_000.0).contains(&alt_m) {
            return Err(err(at(alt.0), format!("altitude {} m is outside -1 km .. 1000 km", fmt_num(alt_m))));
        }
        let ci = col["callsign"];
        let callsign = get(ci).to_string();
        check_callsign(&callsign).map_err(|m| err(at(ci), m))?;
        let squawk = match self.squawk_col {
            Some(i) if !get(i).is_empty() => Some(parse_squawk(get(i)).map_err(|m| err(at(i), m))?),
            _ => None,
        };
        let address = match self.address_col {
            Some(i) if !get(i).is_empty() => Some(parse_address(get(i)).map_err(|m| err(at(i), m))?),
            _ => None,
        };
        let pos = Geodetic::from_degrees(lat, lon, alt_m);
        Ok((callsign, Row { t, pos, squawk, address, at: start, time_at: at(ti) }))
    }
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

// ---------------------------------------------------------------------------------------------
// Recorded flights from ASTERIX (`[[civil]] asterix = "..."`)
// ---------------------------------------------------------------------------------------------

/// Which aircraft of an ASTERIX recording a scenario flight is (at most one criterion; none
/// means the recording must hold exactly one aircraft).
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Select {
    /// 24-bit ICAO address (CAT021 I080).
    pub address: Option<u32>,
    /// Callsign (CAT021 I170, CAT062 I245).
    pub callsign: Option<String>,
    /// Track number (CAT021 I161, CAT062 I040).
    pub track_number: Option<u16>,
}

/// One aircraft of a recording: CAT021 reports grouped by address (else track number),
/// CAT062 reports by track number.
#[derive(Clone, Debug, Default)]
pub(crate) struct Aircraft {
    category: u8,
    address: Option<u32>,
    track_number: Option<u16>,
    callsign: Option<String>,
    squawk: Option<u16>,
    /// (time of day unwrapped over the file, position) in file order.
    points: Vec<(f64, Geodetic)>,
}

impl Aircraft {
    fn describe(&self) -> String {
        let mut s = format!("CAT{:03}", self.category);
        if let Some(a) = self.address {
            s.push_str(&format!(" address {a:06X}"));
        }
        if let Some(c) = &self.callsign {
            s.push_str(&format!(" callsign {c}"));
        }
        if let Some(t) = self.track_number {
            s.push_str(&format!(" track {t}"));
        }
        s.push_str(&format!(" ({} positions)", self.points.len()));
        s
    }
}

/// The buffers of data blocks in a recording, each with its byte offset in the file (the UDP
/// payloads of a pcap capture, or the whole file), and the warning about the malformed packets
/// passed over, if any.
pub(crate) type Buffers<'a> = (Vec<(usize, &'a [u8])>, Option<String>);

/// The [`Buffers`] of recording `bytes`.
pub(crate) fn asterix_buffers<'a>(path: &Path, bytes: &'a [u8]) -> Result<Buffers<'a>, Diagnostic> {
    if !bulwark_asterix::pcap::is_pcap(bytes) {
        return Ok((vec![(0, bytes)], None));
    }
    let capture =
        bulwark_asterix::pcap::read_udp(bytes).map_err(|e| Diagnostic::file(path, format!("pcap capture: {e}")))?;
    let warning = capture.malformed_warning();
    let buffers = capture
        .datagrams
        .into_iter()
        .map(|d| ((d.payload.as_ptr() as usize).saturating_sub(bytes.as_ptr() as usize), d.payload))
        .collect();
    Ok((buffers, warning))
}

/// Reads the CAT021 and CAT062 reports of a recording (raw data blocks, or a pcap whose UDP
/// payloads are data blocks) into aircraft. Records of other categories are skipped; a record
/// that does not decode is an error naming its byte offset in the file. With the aircraft, the
/// warning about malformed pcap packets passed over.
pub(crate) fn read_asterix(path: &Path, bytes: &[u8]) -> Result<(Vec<Aircraft>, Option<String>), Diagnostic> {
    use bulwark_asterix::record::{Record, decode_block};
    let at = |offset: usize, msg: String| Diagnostic::file(path, format!("at byte {offset}: {msg}"));
    let (buffers, warning) = asterix_buffers(path, bytes)?;
    let mut by_key: BTreeMap<(u8, u8, u32), usize> = BTreeMap::new();
    let mut out: Vec<Aircraft> = Vec::new();
    let mut last_t: Option<f64> = None;
    // Nearest-day unwrapping of time of day (continuous across midnight).
    let mut unwrap = |tod: f64| {
        let t = match last_t {
            Some(prev) => tod + 86_400.0 * ((prev - tod) / 86_400.0).round(),
            None => tod,
        };
        last_t = Some(t);
        t
    };
    for (base, buf) in buffers {
        for block in bulwark_asterix::blocks(buf) {
            let block = block.map_err(|e| at(base + e.offset, e.kind.to_string()))?;
            if !matches!(block.category, 21 | 62) {
                continue;
            }
            for rec in decode_block(&block).map_err(|e| at(base + e.offset, e.kind.to_string()))? {
                let (key, mut ac, tod, pos) = match rec {
                    Record::Cat021(r) => {
                        let key = match (r.target_address, r.track_number) {
                            (Some(a), _) => (21, 0, a),
                            (None, Some(t)) => (21, 1, u32::from(t)),
                            (None, None) => continue,
                        };
                        let alt = r.geometric_height.or(r.flight_level);
                        let pos = r.position_high_res.or(r.position).zip(alt);
                        let tod = r.time_of_reception_position.or(r.time_of_applicability_position);
                        let ac = Aircraft {
                            category: 21,
                            address: r.target_address,
                            track_number: r.track_number,
                            callsign: r.target_id.map(|c| c.as_str().to_string()).filter(|c| !c.is_empty()),
                            squawk: r.mode3a,
                            points: Vec::new(),
                        };
                        (key, ac, tod, pos)
                    }
                    Record::Cat062(r) => {
                        let Some(trk) = r.track_number else { continue };
                        let alt = r.geometric_altitude.or(r.measured_flight_level);
                        let ac = Aircraft {
                            category: 62,
                            address: None,
                            track_number: Some(trk),
                            callsign: r.target_id.map(|c| c.id.as_str().to_string()).filter(|c| !c.is_empty()),
                            squawk: r.mode3a.map(|m| m.code),
                            points: Vec::new(),
                        };
                        ((62, 1, u32::from(trk)), ac, r.time_of_track, r.position_wgs84.zip(alt))
                    }
                    _ => continue,
                };
                let i = *by_key.entry(key).or_insert_with(|| {
                    out.push(Aircraft { points: Vec::new(), ..ac.clone() });
                    out.len() - 1
                });
                let a = &mut out[i];
                a.callsign = a.callsign.take().or(ac.callsign.take());
                a.squawk = a.squawk.or(ac.squawk);
                a.track_number = a.track_number.or(ac.track_number);
                if let (Some(tod), Some((ll, alt))) = (tod, pos) {
                    a.points.push((unwrap(tod), Geodetic::new(ll.lat, ll.lon, alt)));
                }
            }
        }
    }
    if out.is_empty() {
        return Err(Diagnostic::file(path, "the recording holds no CAT021 or CAT062 report"));
    }
    Ok((out, warning))
}

/// The one aircraft `sel` names; the message lists what the recording holds otherwise.
pub(crate) fn select(aircraft: &[Aircraft], sel: &Select) -> Result<Aircraft, String> {
    let hits: Vec<&Aircraft> = aircraft
        .iter()
        .filter(|a| {
            sel.address.is_none_or(|x| a.address == Some(x))
                && sel.callsign.as_ref().is_none_or(|c| a.callsign.as_ref() == Some(c))
                && sel.track_number.is_none_or(|t| a.track_number == Some(t))
        })
        .collect();
    if let [one] = hits.as_slice() {
        return Ok((*one).clone());
    }
    let list: Vec<String> = aircraft.iter().take(20).map(Aircraft::describe).collect();
    let more = aircraft.len().saturating_sub(20);
    let held = format!("{}{}", list.join("; "), if more > 0 { format!("; ... ({more} more)") } else { String::new() });
    Err(if hits.is_empty() {
        format!("no aircraft of the recording matches; it holds: {held}")
    } else if sel == &Select::default() {
        format!(
            "the recording holds {} aircraft: choose one with address, callsign or track_number; it holds: {held}",
            aircraft.len()
        )
    } else {
        format!("{} aircraft match; add a criterion; the recording holds: {held}", hits.len())
    })
}

/// The selected aircraft as a scenario flight. Time of day becomes scenario time through the
/// epoch: the recording is taken to lie within 12 h of the epoch (its first position is moved
/// by whole days into [epoch − 12 h, epoch + 12 h)). Positions are sorted by time; repeated
/// times (redundant feeds) keep the first. Altitudes: geometric (I021/140, I062/130) when
/// present, else the flight level as FL × 100 ft like the scenario's `"FL350"`.
pub(crate) fn flight_from(a: &Aircraft, epoch: OffsetDateTime, type_id: &str) -> Result<CivilFlight, String> {
    let epoch_tod = f64::from(epoch.time().hour()) * 3600.0
        + f64::from(epoch.time().minute()) * 60.0
        + f64::from(epoch.time().second())
        + f64::from(epoch.time().nanosecond()) * 1e-9;
    let first = a.points.first().map_or(0.0, |p| p.0);
    let shift = -epoch_tod + 86_400.0 * ((epoch_tod - first) / 86_400.0).round();
    let mut pts: Vec<(SimTime, Geodetic)> =
        a.points.iter().map(|(t, g)| (SimTime::from_secs_f64(t + shift), *g)).collect();
    pts.sort_by_key(|p| p.0);
    pts.dedup_by_key(|p| p.0);
    if pts.len() < 2 {
        return Err(format!(
            "{} has {} position(s) at distinct times; a recorded flight needs at least two",
            a.describe(),
            pts.len()
        ));
    }
    if pts.iter().any(|p| p.0.as_secs_f64().abs() > MAX_TIME_S) {
        return Err(format!("{} spans times too far from the scenario epoch (limit {MAX_TIME_S} s)", a.describe()));
    }
    check_legs(&pts).map_err(|(i, m)| format!("{} at {}: {m}", a.describe(), pts[i].0))?;
    let callsign = match (&a.callsign, a.address, a.track_number) {
        (Some(c), _, _) if check_callsign(c).is_ok() => c.clone(),
        (_, Some(addr), _) => format!("{addr:06X}"),
        (_, None, Some(t)) => format!("TRK{t}"),
        _ => "UNKNOWN".to_string(),
    };
    Ok(CivilFlight {
        callsign,
        squawk: a.squawk,
        address: a.address,
        type_id: type_id.to_string(),
        start: pts[0].0,
        path: CivilPath::Recorded(pts),
        duplicate_rows: 0,
    })
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

    /// Issue 19: exact duplicate rows (common in real feeds) were a hard error; the first copy
    /// is kept and the rest counted, while two different rows at one time stay an error.
    #[test]
    fn exact_duplicate_rows_in_recorded_flights_keep_the_first() {
        let epoch = OffsetDateTime::UNIX_EPOCH;
        let path = Path::new("dup.csv");
        let text = "time,callsign,lat,lon,altitude_ft,squawk\n\
                    0,LOT281,52.0,20.0,35000,1000\n\
                    0,LOT281,52.0,20.0,35000,1000\n\
                    60,LOT281,52.1,20.1,35000,\n\
                    0,LOT281,52.0,20.0,35000,1000\n\
                    60,LOT281,52.1,20.1,35000,\n";
        let flights = parse(path, text, epoch, "A320").unwrap();
        assert_eq!(flights.len(), 1);
        assert_eq!(flights[0].duplicate_rows, 3);
        let CivilPath::Recorded(points) = &flights[0].path else { panic!("recorded") };
        assert_eq!(points.len(), 2);
        let clash = "time,callsign,lat,lon,altitude_ft\n0,LOT281,52.0,20.0,35000\n0,LOT281,52.0,20.5,35000\n";
        let e = parse(path, clash, epoch, "A320").unwrap_err().to_string();
        assert!(e.contains("dup.csv:3:") && e.contains("two rows at time"), "{e}");
    }

    /// ADS-B recordings name each aircraft by its Mode S address; the flight keeps it (ICAO
    /// Annex 10 Vol. III: 24 bits, written as six hex digits), and a bad one is refused at
    /// its cell.
    #[test]
    fn a_recorded_address_is_kept_and_a_bad_one_is_located() {
        let epoch = OffsetDateTime::UNIX_EPOCH;
        let path = Path::new("adsb.csv");
        let text = "time,callsign,lat,lon,altitude_ft,squawk,address\n\
                    0,SWR12,47.4,8.5,1500,,4B1805\n\
                    10,SWR12,47.41,8.5,1700,,4b1805\n";
        let flights = parse(path, text, epoch, "A320").unwrap();
        assert_eq!(flights[0].address, Some(0x4B_1805));
        assert_eq!(flights[0].squawk, None);
        let bad =
            "time,callsign,lat,lon,altitude_ft,address\n0,SWR12,47.4,8.5,1500,4B18\n10,SWR12,47.41,8.5,1700,4B1805\n";
        let e = parse(path, bad, epoch, "A320").unwrap_err().to_string();
        assert!(e.contains("adsb.csv:2:") && e.contains("six hex digits"), "{e}");
    }
}
