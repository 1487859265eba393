//! `bulwark track`: two modes.
//!
//! - `--asterix FILE|PCAP`: tracks the CAT048 plots of a recording (any radar) and writes the
//!   tracks as CSV and as CAT062.
//! - `--detections FILE.csv --config tracker.toml`: runs the tracker the TOML describes
//!   ([`bulwark_tracking::config`]) on a detections CSV, writes the confirmed tracks of every
//!   scan as CSV and, given `--truth`, prints GOSPA, OSPA and SIAP (formats: docs/formats.md).
use crate::InputError;
use bulwark_engine::write_atomic;
use bulwark_feed::{PlotsInError, TrackOptions, read_plots, track_plots};
use bulwark_geo::Geodetic;
use clap::{ArgGroup, Args};
use std::path::{Path, PathBuf};

mod detections;

#[derive(Args)]
#[command(group(ArgGroup::new("input").required(true).args(["asterix", "detections"])))]
pub struct TrackArgs {
    /// A raw ASTERIX file or a pcap capture holding CAT048 plots (and CAT034 service messages).
    #[arg(long, value_name = "FILE")]
    asterix: Option<PathBuf>,
    /// Detections CSV: scan,t_s,bearing_rad,range_m[,elevation_rad,range_rate_mps,sensor,x_m,y_m,z_m].
    #[arg(long, value_name = "FILE", requires = "config")]
    detections: Option<PathBuf>,
    /// Tracker TOML for --detections (sensors, filter, gate, associator, initiator, deleter).
    #[arg(long, value_name = "FILE", requires = "detections")]
    config: Option<PathBuf>,
    /// Truth CSV for --detections (t_s,truth_id,x_m,y_m[,z_m,vx_mps,vy_mps,vz_mps]): print metrics.
    #[arg(long, value_name = "FILE", requires = "detections")]
    truth: Option<PathBuf>,
    /// Also write the metrics as JSON to FILE (needs --truth).
    #[arg(long, value_name = "FILE", requires = "truth")]
    metrics_json: Option<PathBuf>,
    /// GOSPA and OSPA cut-off distance c, m.
    #[arg(long, default_value_t = 1000.0)]
    gospa_c: f64,
    /// GOSPA and OSPA order p (≥ 1).
    #[arg(long, default_value_t = 2.0)]
    gospa_p: f64,
    /// SIAP track-to-truth association distance, m.
    #[arg(long, default_value_t = 250.0)]
    siap_threshold: f64,
    /// A truth row belongs to a scan when their times differ by at most this, s.
    #[arg(long, default_value_t = 1e-6)]
    time_tolerance: f64,
    /// Radar site "lat_deg,lon_deg,alt_m" for radars that send no CAT034 I120 position (--asterix).
    #[arg(long, allow_hyphen_values = true, conflicts_with = "detections")]
    site: Option<String>,
    /// --asterix: output folder for tracks.csv and tracks.ast (default `tracks`);
    /// --detections: the tracks CSV file (default `tracks.csv`).
    #[arg(long)]
    out: Option<PathBuf>,
    /// CAT062 data source of the written tracks, "SAC/SIC" (--asterix).
    #[arg(long, default_value = "0/100")]
    source: String,
}

fn bad(msg: String) -> anyhow::Error {
    anyhow::Error::new(InputError(format!("error: {msg}")))
}

fn parse_site(s: &str) -> anyhow::Result<Geodetic> {
    let v: Vec<f64> = s
        .split(',')
        .map(|x| x.trim().parse::<f64>())
        .collect::<Result<_, _>>()
        .map_err(|_| bad(format!("--site `{s}`: expected lat_deg,lon_deg,alt_m (e.g. 50.03,8.57,110)")))?;
    match v[..] {
        [lat, lon, alt] if lat.abs() <= 90.0 && lon.abs() <= 360.0 && alt.is_finite() => {
            Ok(Geodetic::from_degrees(lat, lon, alt))
        }
        _ => Err(bad(format!("--site `{s}`: expected lat_deg (±90),lon_deg,alt_m"))),
    }
}

fn parse_source(s: &str) -> anyhow::Result<(u8, u8)> {
    let (a, b) = s.split_once('/').ok_or_else(|| bad(format!("--source `{s}`: expected SAC/SIC, e.g. 0/100")))?;
    let n = |x: &str| x.trim().parse::<u8>().map_err(|_| bad(format!("--source `{s}`: SAC and SIC are 0–255")));
    Ok((n(a)?, n(b)?))
}

pub fn run(a: TrackArgs) -> anyhow::Result<()> {
    match (&a.asterix, &a.detections, &a.config) {
        (Some(asterix), _, _) => run_asterix(&a, asterix),
        (None, Some(detections), Some(config)) => detections::run(&a, detections, config),
        _ => Err(bad("give --asterix FILE, or --detections FILE with --config FILE".into())),
    }
}

fn run_asterix(a: &TrackArgs, asterix: &Path) -> anyhow::Result<()> {
    let (sac, sic) = parse_source(&a.source)?;
    let file = asterix.display().to_string();
    let bytes = std::fs::read(asterix).map_err(|e| bad(format!("{file}: {e}")))?;
    let input = read_plots(&bytes).map_err(|e| bad(format!("{file}: {e}")))?;
    if let Some(w) = &input.pcap_warning {
        eprintln!("{file}: warning: {w}");
    }
    for issue in &input.issues {
        eprintln!("{file}: warning: {issue}");
    }
    let mut opts = TrackOptions::default();
    if let Some(s) = &a.site {
        opts.default_site = Some(parse_site(s)?);
    }
    let out = track_plots(&input, &opts).map_err(|e| match e {
        PlotsInError::Tracker(_) => anyhow::anyhow!("{file}: {e}"),
        other => bad(format!("{file}: {other}")),
    })?;
    let io = |p: &std::path::Path, e: std::io::Error| anyhow::anyhow!("{}: {e}", p.display());
    let out_dir = a.out.clone().unwrap_or_else(|| PathBuf::from("tracks"));
    std::fs::create_dir_all(&out_dir).map_err(|e| io(&out_dir, e))?;
    let csv = out_dir.join("tracks.csv");
    write_atomic(&csv, |w| w.write_all(out.to_csv().as_bytes())).map_err(|e| io(&csv, e))?;
    let cat062 = out.to_cat062(sac, sic).map_err(|e| anyhow::anyhow!("encoding CAT062: {e}"))?;
    let ast = out_dir.join("tracks.ast");
    write_atomic(&ast, |w| w.write_all(&cat062)).map_err(|e| io(&ast, e))?;
    let c = &out.counts;
    println!(
        "{file}: {} plots used ({} 3-D, {} 2-D), {} tracks initiated, {} confirmed; wrote {} and {}",
        c.plots_used,
        c.plots_3d,
        c.plots_2d,
        c.tracks_initiated,
        c.tracks_confirmed,
        csv.display(),
        ast.display()
    );
    Ok(())
}
