//! `bulwark track --asterix FILE|PCAP`: tracks the CAT048 plots of a recording (any radar)
//! and writes the tracks as CSV and as CAT062.
use crate::InputError;
use bulwark_engine::write_atomic;
use bulwark_feed::{PlotsInError, TrackOptions, read_plots, track_plots};
use bulwark_geo::Geodetic;
use clap::Args;
use std::path::PathBuf;

#[derive(Args)]
pub struct TrackArgs {
    /// A raw ASTERIX file or a pcap capture holding CAT048 plots (and CAT034 service messages).
    #[arg(long, value_name = "FILE")]
    asterix: PathBuf,
    /// Radar site "lat_deg,lon_deg,alt_m" for radars that send no CAT034 I120 position.
    #[arg(long, allow_hyphen_values = true)]
    site: Option<String>,
    /// Output folder for tracks.csv and tracks.ast (CAT062).
    #[arg(long, default_value = "tracks")]
    out: PathBuf,
    /// CAT062 data source of the written tracks, "SAC/SIC".
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
    let (sac, sic) = parse_source(&a.source)?;
    let file = a.asterix.display().to_string();
    let bytes = std::fs::read(&a.asterix).map_err(|e| bad(format!("{file}: {e}")))?;
    let input = read_plots(&bytes).map_err(|e| bad(format!("{file}: {e}")))?;
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
    std::fs::create_dir_all(&a.out).map_err(|e| io(&a.out, e))?;
    let csv = a.out.join("tracks.csv");
    write_atomic(&csv, |w| w.write_all(out.to_csv().as_bytes())).map_err(|e| io(&csv, e))?;
    let cat062 = out.to_cat062(sac, sic).map_err(|e| anyhow::anyhow!("encoding CAT062: {e}"))?;
    let ast = a.out.join("tracks.ast");
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
