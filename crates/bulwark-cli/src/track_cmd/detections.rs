//! `bulwark track --detections FILE.csv --config tracker.toml [--truth truth.csv]`: a face
//! over [`bulwark_feed::detections`].
use super::{TrackArgs, bad};
use crate::InputError;
use bulwark_engine::write_atomic;
use bulwark_feed::{DetectionTracker, DetectionsError, ScoreParams};
use std::path::Path;

fn input(e: DetectionsError) -> anyhow::Error {
    anyhow::Error::new(InputError(e.to_string()))
}

fn open(file: &Path) -> anyhow::Result<std::fs::File> {
    std::fs::File::open(file).map_err(|e| bad(format!("{}: {e}", file.display())))
}

pub fn run(a: &TrackArgs, det_file: &Path, cfg_file: &Path) -> anyhow::Result<()> {
    let text =
        bulwark_scenario::diag::read_text(cfg_file).map_err(|d| anyhow::Error::new(InputError(d.to_string())))?;
    let tracker = DetectionTracker::from_toml(&text, cfg_file).map_err(input)?;
    for w in &tracker.warnings {
        eprintln!("{w}");
    }
    let start = std::time::Instant::now();
    let out = tracker.track(std::io::BufReader::new(open(det_file)?), det_file).map_err(input)?;
    let elapsed = start.elapsed().as_secs_f64();
    let out_file = a.out.clone().unwrap_or_else(|| "tracks.csv".into());
    let io = |e: std::io::Error| anyhow::anyhow!("{}: {e}", out_file.display());
    write_atomic(&out_file, |w| w.write_all(out.csv.as_bytes())).map_err(io)?;
    println!(
        "{}: {} detections in {} scans tracked in {elapsed:.3} s: {} tracks initiated, {} confirmed; \
         wrote {} ({} rows)",
        det_file.display(),
        out.detections,
        out.scans,
        out.initiated,
        out.confirmed,
        out_file.display(),
        out.rows
    );
    if let Some(f) = &out.fusion {
        println!(
            "fusion of {} sensors: {} sensor scans; {} detections in sequence, {} applied out of sequence, \
             {} out of sequence but gated no track, {} rejected as older than max_lag_s = {} s",
            f["sensors"],
            f["sensor_scans"],
            f["in_sequence"],
            f["oosm_applied"],
            f["oosm_unassociated"],
            f["too_old"],
            f["max_lag_s"].as_f64().unwrap_or_default()
        );
    }
    if let Some(truth_file) = &a.truth {
        let params = ScoreParams {
            gospa_c: a.gospa_c,
            gospa_p: a.gospa_p,
            siap_threshold: a.siap_threshold,
            time_tolerance: a.time_tolerance,
        };
        let m = out.score(std::io::BufReader::new(open(truth_file)?), truth_file, &params).map_err(input)?;
        for w in &m.warnings {
            eprintln!("{w}");
        }
        print!("{}", m.text);
        if let Some(j) = &a.metrics_json {
            let body = serde_json::to_string_pretty(&m.json)? + "\n";
            write_atomic(j, |w| w.write_all(body.as_bytes())).map_err(|e| anyhow::anyhow!("{}: {e}", j.display()))?;
        }
    }
    Ok(())
}
