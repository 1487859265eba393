//! The summaries as a text table, CSV (one row per pair, the aspect histogram left out) or JSON
//! (everything, the histogram included).

use std::fmt::Write as _;

use crate::summary::PairSummary;

/// Output format of `bulwark exposure`.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Format {
    Table,
    Csv,
    Json,
}

impl Format {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "table" => Some(Format::Table),
            "csv" => Some(Format::Csv),
            "json" => Some(Format::Json),
            _ => None,
        }
    }
}

/// `pairs` in `format`.
pub fn render(pairs: &[PairSummary], format: Format) -> String {
    match format {
        Format::Table => table(pairs),
        Format::Csv => csv(pairs),
        Format::Json => serde_json::to_string_pretty(pairs).unwrap_or_default() + "\n",
    }
}

fn opt(x: Option<f64>, scale: f64, digits: usize) -> String {
    x.map_or_else(|| "-".to_string(), |v| format!("{:.*}", digits, v * scale))
}

fn rcs_text(p: &PairSummary) -> String {
    match &p.rcs {
        Some(e) => {
            format!("{:.3} [{:.3}, {:.3}] ({:.3})", e.sigma_m2, e.lo_m2, e.hi_m2, p.rcs_truth_m2.unwrap_or(f64::NAN))
        }
        None => format!("- ({})", p.rcs_note.as_deref().unwrap_or("")),
    }
}

fn table(pairs: &[PairSummary]) -> String {
    let mut s = String::new();
    let level = pairs.iter().find_map(|p| p.rcs.map(|e| e.level)).unwrap_or(0.95);
    let _ = writeln!(
        s,
        "{:<24} {:<28} {:>6} {:>5} {:>6} {:>8} {:>8} {:>8} {:>8} {:>4} {:>7} {:>7} {:>8}  RCS m² [{:.0}% CI] (truth)",
        "radar",
        "object",
        "looks",
        "det",
        "cumPd",
        "first_km",
        "last_km",
        "track_s",
        "longest",
        "ids",
        "ΣSNR_dB",
        "swept°",
        "xrange_m",
        level * 100.0
    );
    for p in pairs {
        let radar = format!("{} {}", p.unit, p.radar_type);
        let object = format!("{} ({})", p.name, p.role);
        let _ = writeln!(
            s,
            "{:<24} {:<28} {:>6} {:>5} {:>6.3} {:>8} {:>8} {:>8.0} {:>8.0} {:>4} {:>7} {:>7.1} {:>8}  {}",
            radar,
            object,
            p.looks,
            p.detections,
            p.cumulative_pd,
            opt(p.first_detection_range_m, 1e-3, 1),
            opt(p.last_detection_range_m, 1e-3, 1),
            p.tracked_s,
            p.longest_track_s,
            p.track_ids.len(),
            opt(p.sum_snr_measured_db, 1.0, 1),
            p.aspect_swept_deg,
            opt(p.cross_range_m, 1.0, 2),
            rcs_text(p)
        );
    }
    s.push_str(
        "Physics only, notional parameters: the opportunity each radar had, not what an exploitation chain achieves.\n",
    );
    s
}

const CSV_HEADER: &str = "radar,radar_type,unit,entity,name,class,role,looks,detections,cumulative_pd,first_detection_t_s,\
first_detection_range_m,last_detection_range_m,tracked_s,longest_track_s,track_ids,sum_snr_mean_db,\
sum_snr_measured_db,rcs_m2,rcs_lo_m2,rcs_hi_m2,rcs_level,rcs_n,rcs_truth_m2,aspect_swept_deg,cross_range_m,frequency_hz\n";

fn field(s: &str) -> String {
    if s.contains([',', '"', '\n']) { format!("\"{}\"", s.replace('"', "\"\"")) } else { s.to_string() }
}

fn csv(pairs: &[PairSummary]) -> String {
    let mut s = String::from(CSV_HEADER);
    let o = |x: Option<f64>| x.map_or(String::new(), |v| format!("{v}"));
    for p in pairs {
        let ids: Vec<String> = p.track_ids.iter().map(u64::to_string).collect();
        let _ = writeln!(
            s,
            "{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}",
            p.radar,
            field(&p.radar_type),
            field(&p.unit),
            p.entity,
            field(&p.name),
            field(&p.class),
            p.role,
            p.looks,
            p.detections,
            p.cumulative_pd,
            o(p.first_detection_t_s),
            o(p.first_detection_range_m),
            o(p.last_detection_range_m),
            p.tracked_s,
            p.longest_track_s,
            ids.join(" "),
            o(p.sum_snr_mean_db),
            o(p.sum_snr_measured_db),
            o(p.rcs.map(|e| e.sigma_m2)),
            o(p.rcs.map(|e| e.lo_m2)),
            o(p.rcs.map(|e| e.hi_m2)),
            o(p.rcs.map(|e| e.level)),
            p.rcs.map_or(String::new(), |e| e.n.to_string()),
            o(p.rcs_truth_m2),
            p.aspect_swept_deg,
            o(p.cross_range_m),
            o(p.frequency_hz),
        );
    }
    s
}
