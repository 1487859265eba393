//! The JSON Lines text of the event log (`events.jsonl`): one event per line, exactly as
//! `serde_json::to_writer` writes it. Plots and the birth and death of tracks are almost all of
//! a run's log (in the reference run 187,000 of 188,000 events, most of them false alarms), so
//! those three kinds are written here by hand: the same keys in the same order, integers in
//! decimal, and each float through serde_json itself (shortest round-trip text, `null` when
//! not finite), instead of serde's flattened map. Every other kind goes through serde_json.
use crate::fastfmt::push_u64_bytes;
use bulwark_core::{Event, EventKind};
use std::io::{self, Write};

/// Bytes gathered before they are written on.
const CHUNK: usize = 1 << 16;

/// Writes `events` as JSON Lines into `w`.
pub(crate) fn write_events(w: &mut dyn Write, events: &[Event]) -> io::Result<()> {
    let mut buf = Vec::with_capacity(CHUNK + 512);
    for e in events {
        push_event_line(&mut buf, e)?;
        if buf.len() >= CHUNK {
            w.write_all(&buf)?;
            buf.clear();
        }
    }
    w.write_all(&buf)
}

/// Appends the line of `e` (with its newline) to `out`.
fn push_event_line(out: &mut Vec<u8>, e: &Event) -> io::Result<()> {
    match &e.kind {
        EventKind::Detection { sensor, range_m, azimuth_rad, elevation_rad, range_rate_mps, snr_db, truth } => {
            head(out, e.t_ns, "detection");
            out.extend_from_slice(b",\"sensor\":");
            push_u64_bytes(out, u64::from(sensor.0));
            for (key, x) in [("range_m", range_m), ("azimuth_rad", azimuth_rad), ("elevation_rad", elevation_rad)] {
                float(out, key, &Some(*x))?;
            }
            float(out, "range_rate_mps", range_rate_mps)?;
            float(out, "snr_db", &Some(*snr_db))?;
            out.extend_from_slice(b",\"truth\":");
            match truth {
                Some(t) => push_u64_bytes(out, u64::from(t.0)),
                None => out.extend_from_slice(b"null"),
            }
            out.push(b'}');
        }
        EventKind::TrackInitiated { track } | EventKind::TrackDeleted { track } => {
            let kind =
                if matches!(e.kind, EventKind::TrackInitiated { .. }) { "track_initiated" } else { "track_deleted" };
            head(out, e.t_ns, kind);
            out.extend_from_slice(b",\"track\":");
            push_u64_bytes(out, track.0);
            out.push(b'}');
        }
        _ => serde_json::to_writer(&mut *out, e).map_err(io::Error::other)?,
    }
    out.push(b'\n');
    Ok(())
}

/// `{"t_ns":T,"event":"KIND"`.
fn head(out: &mut Vec<u8>, t_ns: i64, kind: &str) {
    out.extend_from_slice(b"{\"t_ns\":");
    if t_ns < 0 {
        out.push(b'-');
    }
    push_u64_bytes(out, t_ns.unsigned_abs());
    out.extend_from_slice(b",\"event\":\"");
    out.extend_from_slice(kind.as_bytes());
    out.push(b'"');
}

/// `,"KEY":X` with X as serde_json writes an `Option<f64>`.
fn float(out: &mut Vec<u8>, key: &str, x: &Option<f64>) -> io::Result<()> {
    out.extend_from_slice(b",\"");
    out.extend_from_slice(key.as_bytes());
    out.extend_from_slice(b"\":");
    serde_json::to_writer(&mut *out, x).map_err(io::Error::other)
}

#[cfg(test)]
mod tests {
    use super::*;
    use bulwark_core::{EntityId, SensorId, TrackId};

    #[test]
    fn the_hand_written_lines_are_serde_json_s_text() {
        // Oracle: serde_json::to_writer of the same events, the text the log had before.
        fn next(s: &mut u64) -> u64 {
            *s ^= *s << 13;
            *s ^= *s >> 7;
            *s ^= *s << 17;
            *s
        }
        let specials = [f64::NAN, f64::INFINITY, f64::NEG_INFINITY, -0.0, 0.0, 1e300, 5e-324, 0.1];
        let x = |s: &mut u64| {
            let r = next(s);
            if r.is_multiple_of(13) { specials[(r >> 8) as usize % specials.len()] } else { f64::from_bits(next(s)) }
        };
        let s = &mut 0x853C_49E6_748F_EA9B_u64;
        let mut events = Vec::new();
        for k in 0..30_000u64 {
            let kind = match k % 4 {
                0 | 1 => EventKind::Detection {
                    sensor: SensorId((next(s) >> 40) as u32),
                    range_m: x(s),
                    azimuth_rad: x(s),
                    elevation_rad: x(s),
                    range_rate_mps: if k.is_multiple_of(3) { None } else { Some(x(s)) },
                    snr_db: x(s),
                    truth: if k.is_multiple_of(5) { None } else { Some(EntityId((next(s) >> 33) as u32)) },
                },
                2 => EventKind::TrackInitiated { track: TrackId(next(s) >> (k % 64)) },
                _ => EventKind::TrackDeleted { track: TrackId(next(s) >> (k % 64)) },
            };
            let t_ns = if k.is_multiple_of(7) { -((next(s) >> 1) as i64) } else { (next(s) >> 2) as i64 };
            events.push(Event { t_ns, kind });
        }
        events.push(Event { t_ns: i64::MIN, kind: EventKind::TrackDeleted { track: TrackId(u64::MAX) } });
        events.push(Event { t_ns: 5, kind: EventKind::TrackConfirmed { track: TrackId(3) } });
        let mut fast = Vec::new();
        write_events(&mut fast, &events).unwrap();
        let mut by_serde = Vec::new();
        for e in &events {
            serde_json::to_writer(&mut by_serde, e).unwrap();
            by_serde.push(b'\n');
        }
        assert_eq!(String::from_utf8(fast).unwrap(), String::from_utf8(by_serde).unwrap());
    }
}
