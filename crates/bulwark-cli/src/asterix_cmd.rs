//! `bulwark asterix decode FILE`: every ASTERIX record of a raw file or a pcap capture,
//! decoded by the category definitions (CAT021, 034, 048, 062), values in SI units.
use crate::InputError;
use bulwark_asterix::{DecodeError, DecodeErrorKind, generic, pcap};
use clap::Subcommand;
use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};

#[derive(Subcommand)]
pub enum AsterixCommand {
    /// Decode a raw ASTERIX file (data blocks back to back) or a pcap capture of UDP datagrams.
    Decode {
        file: PathBuf,
        /// One JSON object per record (category, offset, items in SI units).
        #[arg(long)]
        json: bool,
    },
}

/// The ASTERIX payloads of a file: each UDP datagram of a pcap capture (with its packet
/// index), or the whole file.
pub fn payloads<'a>(path: &Path, bytes: &'a [u8]) -> anyhow::Result<Vec<(Option<usize>, &'a [u8])>> {
    if !pcap::is_pcap(bytes) {
        return Ok(vec![(None, bytes)]);
    }
    let capture = pcap::read_udp(bytes)
        .map_err(|e| anyhow::Error::new(InputError(format!("error: {}: pcap capture: {e}", path.display()))))?;
    if let Some(w) = capture.malformed_warning() {
        eprintln!("{}: warning: {w}", path.display());
    }
    Ok(capture.datagrams.into_iter().map(|d| (Some(d.packet), d.payload)).collect())
}

pub fn run(cmd: AsterixCommand) -> anyhow::Result<()> {
    let AsterixCommand::Decode { file, json } = cmd;
    let bytes = std::fs::read(&file).map_err(|e| anyhow::Error::new(InputError(format!("{}: {e}", file.display()))))?;
    let mut errors = 0usize;
    let mut records = 0usize;
    let mut skipped: BTreeMap<u8, usize> = BTreeMap::new();
    let mut out = std::io::stdout().lock();
    for (packet, payload) in payloads(&file, &bytes)? {
        for rec in generic::decode_all(payload) {
            match rec {
                Ok(mut v) => {
                    records += 1;
                    if let (Some(k), Some(obj)) = (packet, v.as_object_mut()) {
                        obj.insert("packet".into(), k.into());
                    }
                    let line = if json { v.to_string() } else { summary_line(&v) };
                    if let Err(e) = writeln!(out, "{line}") {
                        // A closed pipe (`| head`) ends the listing quietly.
                        if e.kind() == std::io::ErrorKind::BrokenPipe {
                            return Ok(());
                        }
                        return Err(e.into());
                    }
                }
                Err(DecodeError { kind: DecodeErrorKind::UnsupportedCategory(c), .. }) => {
                    *skipped.entry(c).or_insert(0) += 1;
                }
                Err(e) => {
                    errors += 1;
                    let at = packet.map(|k| format!("packet {k}, ")).unwrap_or_default();
                    eprintln!("{}: {at}{e}", file.display());
                }
            }
        }
    }
    for (c, n) in &skipped {
        eprintln!("{}: skipped {n} data block(s) of CAT{c:03} (not supported)", file.display());
    }
    if errors > 0 {
        return Err(anyhow::Error::new(InputError(format!(
            "{}: {records} record(s) decoded, {errors} error(s)",
            file.display()
        ))));
    }
    Ok(())
}

/// One readable line: category, where, and each item with its values.
fn summary_line(v: &serde_json::Value) -> String {
    let cat = v.get("category").and_then(|c| c.as_u64()).unwrap_or(0);
    let offset = v.get("offset").and_then(|c| c.as_u64()).unwrap_or(0);
    let packet = v.get("packet").and_then(|c| c.as_u64()).map(|k| format!("packet {k} ")).unwrap_or_default();
    let mut s = format!("CAT{cat:03} {packet}@{offset}:");
    if let Some(items) = v.get("items").and_then(|i| i.as_object()) {
        for (id, val) in items {
            s.push_str(&format!(" {id}={}", compact(val)));
        }
    }
    s
}

/// A value with quantities shown as "value unit".
fn compact(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Object(m) if m.contains_key("unit") && m.contains_key("value") => {
            let unit = m["unit"].as_str().unwrap_or("");
            match m["value"].as_f64() {
                Some(x) => format!("{}{}{unit}", trim(x), if unit.is_empty() { "" } else { " " }),
                None => m["value"].to_string(),
            }
        }
        serde_json::Value::Object(m) if m.contains_key("meaning") && m.contains_key("value") => m["value"].to_string(),
        serde_json::Value::Object(m) => {
            let parts: Vec<String> = m.iter().map(|(k, x)| format!("{k}:{}", compact(x))).collect();
            format!("{{{}}}", parts.join(","))
        }
        serde_json::Value::Array(a) => format!("[{}]", a.iter().map(compact).collect::<Vec<_>>().join(",")),
        other => other.to_string(),
    }
}

fn trim(x: f64) -> String {
    let s = format!("{x:.6}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}
