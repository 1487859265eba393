//! `bulwark exposure RUN_DIR`: what each radar of a run saw of each object, from the run's
//! `exposure.csv` (the model is in `bulwark_exposure`; this is its face). Physics only and
//! notional: opportunity, not what an exploitation chain achieves.
use crate::InputError;
use bulwark_coverage::{svg_to_png, write_atomic};
use bulwark_exposure::polar::aspect_polar_svg;
use bulwark_exposure::report::{Format, render};
use bulwark_exposure::summary::Settings;
use bulwark_exposure::{ExposureError, Filter, read_exposure_csv, summarise};
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct ExposureArgs {
    /// A run directory (`bulwark run --out DIR`) holding exposure.csv.
    run_dir: PathBuf,
    /// Only the object with this name.
    #[arg(long, group = "filter")]
    entity: Option<String>,
    /// Only objects of this platform class (e.g. fighter, stealth_fighter).
    #[arg(long, group = "filter")]
    class: Option<String>,
    /// Only objects of this side: friendly, threat or civil.
    #[arg(long, group = "filter")]
    side: Option<String>,
    /// table, csv or json (json carries the aspect histograms).
    #[arg(long, default_value = "table")]
    format: String,
    /// Aspect bin width in body azimuth (deg; divides 360).
    #[arg(long, default_value_t = 30.0)]
    az_bin: f64,
    /// Aspect bin height in body elevation (deg; divides 180).
    #[arg(long, default_value_t = 30.0)]
    el_bin: f64,
    /// Confidence level of the RCS interval.
    #[arg(long, default_value_t = 0.95)]
    confidence: f64,
    /// Largest gap (s) between two track spans counted as one continuous track (default: 3 × the
    /// pair's median look interval).
    #[arg(long)]
    max_gap: Option<f64>,
    /// Write one aspect-coverage polar plot per (radar, object) into this directory.
    #[arg(long, value_name = "DIR")]
    plots: Option<PathBuf>,
    /// With --plots: also a PNG of each plot.
    #[arg(long)]
    png: bool,
}

fn bad(msg: impl std::fmt::Display) -> anyhow::Error {
    anyhow::Error::new(InputError(format!("error: {msg}")))
}

pub fn run(a: ExposureArgs) -> anyhow::Result<()> {
    let format =
        Format::parse(&a.format).ok_or_else(|| bad(format!("--format {}: expected table, csv or json", a.format)))?;
    let filter = match (a.entity, a.class, a.side) {
        (Some(n), _, _) => Filter::Entity(n),
        (_, Some(c), _) => Filter::Class(c),
        (_, _, Some(s)) if ["friendly", "threat", "civil"].contains(&s.as_str()) => Filter::Side(s),
        (_, _, Some(s)) => return Err(bad(format!("--side {s}: expected friendly, threat or civil"))),
        _ => Filter::All,
    };
    let settings = Settings { az_bin_deg: a.az_bin, el_bin_deg: a.el_bin, level: a.confidence, max_gap_s: a.max_gap };
    let path = a.run_dir.join("exposure.csv");
    if !path.is_file() {
        return Err(bad(format!(
            "{}: no exposure.csv (a run directory of `bulwark run` has one; campaigns keep none)",
            a.run_dir.display()
        )));
    }
    let rows = read_exposure_csv(&path).map_err(|e| match e {
        ExposureError::Io { .. } => anyhow::Error::new(e),
        other => bad(other),
    })?;
    let pairs = summarise(&rows, &filter, &settings).map_err(bad)?;
    print!("{}", render(&pairs, format));
    if let Some(dir) = &a.plots {
        std::fs::create_dir_all(dir).map_err(|e| bad(format!("--plots {}: {e}", dir.display())))?;
        for p in &pairs {
            let svg = aspect_polar_svg(p);
            let stem = format!("aspect-{}-{}", p.radar, p.entity);
            write_atomic(&dir.join(format!("{stem}.svg")), svg.as_bytes())?;
            if a.png {
                let png = svg_to_png(&svg, 1.0)?;
                for w in &png.warnings {
                    eprintln!("warning: {w}");
                }
                write_atomic(&dir.join(format!("{stem}.png")), &png.png)?;
            }
        }
        eprintln!("wrote {} aspect plot(s) into {}", pairs.len(), dir.display());
    }
    Ok(())
}
