//! Messages of a live run (`bulwark run --live`), one JSON text each, in the page's units:
//! time in s, positions in the scenario ENU frame (m). Radar plots, IFF replies, radar dwell
//! bookkeeping and the births and deaths of tracks (mostly tentative) are left out.
use crate::data::identity_code;
use bulwark_engine::{TrackSample, TrackState};
use serde_json::{Value, json};

/// The event as the page reads it, or `None` for a kind the live page leaves out.
pub fn event_message(e: &bulwark_core::Event) -> Option<String> {
    let Value::Object(mut o) = serde_json::to_value(e).ok()? else { return None };
    let kind = o.get("event").and_then(Value::as_str).unwrap_or("");
    if matches!(
        kind,
        "detection"
            | "iff_reply"
            | "track_initiated"
            | "track_deleted"
            | "track_dwells_granted"
            | "track_dwells_released"
    ) {
        return None;
    }
    let t_ns = o.remove("t_ns").and_then(|t| t.as_i64()).unwrap_or(0);
    o.insert("t".into(), json!((t_ns / 1_000_000) as f64 / 1000.0));
    serde_json::to_string(&o).ok()
}

/// A held (confirmed or coasting) track sample, or `None` for a tentative one.
pub fn track_message(s: &TrackSample) -> Option<String> {
    let st = match s.state {
        TrackState::Tentative => return None,
        TrackState::Confirmed => "c",
        TrackState::Coasting => "k",
    };
    let r = |v: f64| (v * 10.0).round() / 10.0;
    let msg = json!({
        "event": "track_sample",
        "t": s.t_s,
        "unit": s.unit.0,
        "track": s.track.0,
        "x": r(s.position_enu.x),
        "y": r(s.position_enu.y),
        "z": r(s.altitude_m),
        "ve": r(s.velocity_enu.x),
        "vn": r(s.velocity_enu.y),
        "sg": s.sigma_position_m.round(),
        "st": st,
        "ident": identity_code(s.identity.as_str()).to_string(),
    });
    serde_json::to_string(&msg).ok()
}

/// Truth samples from whole `truth.csv` lines (no header), one message per line.
pub fn truth_messages(lines: &str) -> Vec<String> {
    let mut r = csv::ReaderBuilder::new().has_headers(false).from_reader(lines.as_bytes());
    let mut out = Vec::new();
    for rec in r.records().flatten() {
        let num = |i: usize| rec.get(i).and_then(|s| s.parse::<f64>().ok()).unwrap_or(0.0);
        let msg = json!({
            "event": "truth_sample",
            "t": num(0),
            "id": num(1) as i64,
            "name": rec.get(2).unwrap_or(""),
            "cls": rec.get(3).unwrap_or(""),
            "role": rec.get(4).unwrap_or(""),
            "x": num(8),
            "y": num(9),
            "z": num(7),
        });
        if let Ok(s) = serde_json::to_string(&msg) {
            out.push(s);
        }
    }
    out
}
