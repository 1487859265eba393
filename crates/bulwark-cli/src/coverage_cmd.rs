//! `bulwark coverage SYSTEM_OR_SCENARIO`: detection coverage of a catalog system's radars
//! (at a notional sea-level site) or of every radar in a scenario, as a table and as
//! diagrams (a coverage map and one vertical coverage diagram per radar, SVG and PNG).
use crate::radar_cmd::{catalog_radar, parse_list};
use crate::{InputError, input};
use bulwark_coverage::{
    CoverageRadar, CoverageSettings, CoverageTable, MapSpec, VerticalSpec, compute_coverage, coverage_map_svg,
    svg_to_png, vertical_coverage, vertical_diagram_svg, write_atomic,
};
use bulwark_geo::{EnuFrame, Geodetic};
use bulwark_scenario::{Catalog, Quantity, Scenario};
use bulwark_sensors::{Detector, RadarParams};
use clap::Args;
use std::path::{Path, PathBuf};

#[derive(Args)]
pub struct CoverageArgs {
    /// A catalog system id (e.g. s400) or a scenario file.
    target: String,
    /// Target altitudes above the site's surface, comma-separated with units.
    #[arg(long, default_value = "50 m,500 m,2 km,5 km,10 km,20 km")]
    altitudes: String,
    /// Target RCS values, comma-separated with units.
    #[arg(long, default_value = "0.001 m2,0.1 m2,1 m2,5 m2", allow_hyphen_values = true)]
    rcs: String,
    /// Detection probability that counts as covered.
    #[arg(long, default_value_t = 0.5)]
    pd: f64,
    /// RCS drawn on the coverage map (default: the largest given).
    #[arg(long, allow_hyphen_values = true)]
    map_rcs: Option<String>,
    /// Output folder for coverage.{txt,csv,json}, map and vertical diagrams.
    #[arg(long, default_value = "coverage")]
    out: PathBuf,
    /// Also write PNG renderings of the SVG diagrams.
    #[arg(long)]
    png: bool,
    /// Print the table as JSON instead of text.
    #[arg(long)]
    json: bool,
}

fn bad(msg: String) -> anyhow::Error {
    anyhow::Error::new(InputError(format!("error: {msg}")))
}

/// A coverage radar from the sensor model's parameters at `site` (antenna position).
fn coverage_radar(name: String, site: Geodetic, p: &RadarParams) -> anyhow::Result<CoverageRadar> {
    let snr = p.snr_model().map_err(|e| bad(format!("{name}: {e}")))?;
    let detector = p.detector;
    let pfa = p.pfa;
    Ok(CoverageRadar {
        name,
        site,
        antenna_height_m: p.antenna_height_m,
        min_range_m: p.min_range_m,
        max_range_m: p.instrumented_range_m,
        azimuth_centre_rad: p.azimuth_centre_rad,
        azimuth_width_rad: p.azimuth_width_rad,
        min_elevation_rad: p.min_elevation_rad,
        max_elevation_rad: p.max_elevation_rad,
        snr: Box::new(move |r, s| bulwark_sensors::SnrModel::snr(&snr, r, s)),
        required_snr: Box::new(move |pd| detector.required_snr(pd, pfa)),
    })
}

/// Every radar of `scenario`'s defences, in scenario order, facing its unit's threat axis.
pub(crate) fn scenario_radars(scenario: &Scenario) -> anyhow::Result<Vec<CoverageRadar>> {
    let mut out = Vec::new();
    for d in &scenario.defences {
        let frame = EnuFrame::new(d.site);
        for r in &d.radars {
            let mut p = catalog_radar(&scenario.catalog, &r.type_id)?;
            p.azimuth_centre_rad = d.facing_rad;
            let mut site = Geodetic::from_ecef(&frame.to_ecef(&r.offset_enu));
            site.alt_m += p.antenna_height_m;
            out.push(coverage_radar(format!("{} {}", d.name, r.type_id), site, &p)?);
        }
    }
    Ok(out)
}

/// The radars to analyse and the map origin.
fn radars(target: &str) -> anyhow::Result<(Vec<CoverageRadar>, Geodetic, String)> {
    let path = Path::new(target);
    if path.extension().is_some_and(|e| e == "toml") || path.exists() {
        let scenario = Scenario::load(path, None).map_err(input)?;
        return Ok((scenario_radars(&scenario)?, scenario.origin, scenario.name.clone()));
    }
    let catalog = Catalog::embedded().map_err(input)?;
    let system = catalog.system(target).ok_or_else(|| {
        let ids = catalog.ids(bulwark_scenario::EntryKind::System).join(", ");
        bad(format!("`{target}` is neither a scenario file nor a catalog system; systems: {ids}"))
    })?;
    // A notional sea-level site: coverage without terrain depends only on the heights.
    let ground = Geodetic::from_degrees(0.0, 0.0, 0.0);
    let mut out = Vec::new();
    for id in &system.radars {
        let p = catalog_radar(&catalog, id)?;
        let site = Geodetic { alt_m: p.antenna_height_m, ..ground };
        out.push(coverage_radar(id.clone(), site, &p)?);
    }
    Ok((out, ground, system.name.clone()))
}

pub fn run(a: CoverageArgs) -> anyhow::Result<()> {
    let (radars, origin, title) = radars(&a.target)?;
    let settings = CoverageSettings {
        altitudes_m: parse_list(Quantity::Altitude, &a.altitudes, "--altitudes")?,
        rcs_m2: parse_list(Quantity::Area, &a.rcs, "--rcs")?,
        pd_required: a.pd,
        ..CoverageSettings::default()
    };
    settings.validate().map_err(|e| bad(e.to_string()))?;
    let map_rcs = match &a.map_rcs {
        Some(t) => parse_list(Quantity::Area, t, "--map-rcs")?[0],
        None => settings.rcs_m2.iter().copied().fold(f64::MIN, f64::max),
    };
    let mut coverages = Vec::new();
    for r in &radars {
        coverages.push(compute_coverage(r, &settings, None).map_err(|e| bad(format!("{}: {e}", r.name)))?);
    }
    let table = CoverageTable::from_coverages(&coverages);
    let io = |e: bulwark_coverage::CoverageError| anyhow::anyhow!("{e}");
    std::fs::create_dir_all(&a.out).map_err(|e| anyhow::anyhow!("{}: {e}", a.out.display()))?;
    write_atomic(&a.out.join("coverage.txt"), table.to_text().as_bytes()).map_err(io)?;
    write_atomic(&a.out.join("coverage.csv"), table.to_csv().map_err(io)?.as_bytes()).map_err(io)?;
    let json = table.to_json().map_err(io)?;
    write_atomic(&a.out.join("coverage.json"), json.as_bytes()).map_err(io)?;
    if a.json {
        println!("{json}");
    } else {
        println!("{title}: detection range (km) at Pd {} over azimuth, 4/3-earth horizon", a.pd);
        print!("{}", table.to_text());
    }
    let mut drawn = Vec::new();
    let spec = MapSpec {
        rcs_m2: map_rcs,
        origin: Some(origin),
        title: Some(format!("{title}: coverage map")),
        ..MapSpec::default()
    };
    let map = coverage_map_svg(&coverages, &spec).map_err(io)?;
    drawn.push(("coverage-map".to_string(), map));
    for r in &radars {
        let v = vertical_coverage(r, &settings, &VerticalSpec::default(), None).map_err(io)?;
        let stem: String =
            r.name.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' }).collect();
        drawn.push((format!("vertical-{stem}"), vertical_diagram_svg(&v).map_err(io)?));
    }
    for (stem, svg) in &drawn {
        write_atomic(&a.out.join(format!("{stem}.svg")), svg.as_bytes()).map_err(io)?;
        if a.png {
            let png = svg_to_png(svg, 1.0).map_err(io)?;
            for w in &png.warnings {
                eprintln!("warning: {w}");
            }
            write_atomic(&a.out.join(format!("{stem}.png")), &png.png).map_err(io)?;
        }
    }
    let ext = if a.png { "{svg,png}" } else { "svg" };
    eprintln!(
        "wrote {}/coverage.{{txt,csv,json}}, coverage-map.{ext} and {} vertical diagram(s)",
        a.out.display(),
        radars.len()
    );
    Ok(())
}
