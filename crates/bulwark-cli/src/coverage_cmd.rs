//! `bulwark coverage SYSTEM_OR_SCENARIO`: detection coverage of a catalog system's radars
//! (at a notional sea-level site) or of every radar in a scenario, as a table and as
//! diagrams (a coverage map and one vertical coverage diagram per radar, SVG and PNG).
//!
//! With `--target PLATFORM` each radar sees the platform's RCS at its own band and from the
//! given aspect, with the platform's Swerling case, and two contours are drawn: detection
//! (`--pd`) and firm track, the single-look Pd at which the tracker's 3-of-4 confirmation
//! succeeds with probability 0.9 ([`bulwark_sensors::m_of_n`]).
use crate::radar_cmd::{Target, catalog_radar, catalog_target, parse_aspects, parse_list};
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
    system: String,
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
    /// A catalog platform (e.g. stealth-fighter): its RCS at each radar's band replaces --rcs,
    /// and a firm-track contour is drawn beside the detection one.
    #[arg(long)]
    target: Option<String>,
    /// Aspect the target presents with --target (nose, beam, tail, above, below).
    #[arg(long, default_value = "nose", requires = "target")]
    aspect: String,
}

/// Tracker confirmation that makes a track firm: M detections in the first N looks (the
/// tracker's default 3 of 4), with this probability.
const FIRM_M: u32 = 3;
const FIRM_N: u32 = 4;
const FIRM_P: f64 = 0.9;

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

/// A radar to analyse: its name, antenna position and sensor parameters.
type Placed = (String, Geodetic, RadarParams);

/// Every radar of `scenario`'s defences, in scenario order, facing its unit's threat axis.
fn scenario_placed(scenario: &Scenario) -> anyhow::Result<Vec<Placed>> {
    let mut out = Vec::new();
    for d in &scenario.defences {
        let frame = EnuFrame::new(d.site);
        for r in &d.radars {
            let mut p = catalog_radar(&scenario.catalog, &r.type_id)?;
            p.azimuth_centre_rad = d.facing_rad;
            let mut site = Geodetic::from_ecef(&frame.to_ecef(&r.offset_enu));
            site.alt_m += p.antenna_height_m;
            out.push((format!("{} {}", d.name, r.type_id), site, p));
        }
    }
    Ok(out)
}

/// Every radar of `scenario`'s defences as coverage radars.
pub(crate) fn scenario_radars(scenario: &Scenario) -> anyhow::Result<Vec<CoverageRadar>> {
    scenario_placed(scenario)?.into_iter().map(|(n, s, p)| coverage_radar(n, s, &p)).collect()
}

/// The radars to analyse, the map origin, the title and the catalog they come from.
fn radars(target: &str) -> anyhow::Result<(Vec<Placed>, Geodetic, String, Catalog)> {
    let path = Path::new(target);
    if path.extension().is_some_and(|e| e == "toml") || path.exists() {
        let scenario = Scenario::load(path, None).map_err(input)?;
        return Ok((scenario_placed(&scenario)?, scenario.origin, scenario.name.clone(), scenario.catalog.clone()));
    }
    let catalog = Catalog::embedded().map_err(input)?;
    let system = catalog.system(target).ok_or_else(|| {
        let ids = catalog.ids(bulwark_scenario::EntryKind::System);
        let hint = crate::suggest::did_you_mean(target, ids.iter().copied());
        bad(format!("`{target}` is neither a scenario file nor a catalog system{hint}; systems: {}", ids.join(", ")))
    })?;
    // A notional sea-level site: coverage without terrain depends only on the heights.
    let ground = Geodetic::from_degrees(0.0, 0.0, 0.0);
    let mut out = Vec::new();
    for id in &system.radars {
        let p = catalog_radar(&catalog, id)?;
        let site = Geodetic { alt_m: p.antenna_height_m, ..ground };
        out.push((id.clone(), site, p));
    }
    let title = system.name.clone();
    Ok((out, ground, title, catalog))
}

pub fn run(a: CoverageArgs) -> anyhow::Result<()> {
    let (placed, origin, title, catalog) = radars(&a.system)?;
    if let Some(t) = &a.target {
        let target = catalog_target(&catalog, t)?;
        return run_target(&a, &placed, origin, &title, &target);
    }
    let radars: Vec<CoverageRadar> =
        placed.iter().map(|(n, s, p)| coverage_radar(n.clone(), *s, p)).collect::<anyhow::Result<_>>()?;
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
    write_drawn(&a.out, &drawn, a.png)?;
    let ext = if a.png { "{svg,png}" } else { "svg" };
    eprintln!(
        "wrote {}/coverage.{{txt,csv,json}}, coverage-map.{ext} and {} vertical diagram(s)",
        a.out.display(),
        radars.len()
    );
    Ok(())
}

/// Writes each (stem, SVG) as OUT/stem.svg, and as OUT/stem.png too with `png`.
fn write_drawn(out: &Path, drawn: &[(String, String)], png: bool) -> anyhow::Result<()> {
    let io = |e: bulwark_coverage::CoverageError| anyhow::anyhow!("{e}");
    for (stem, svg) in drawn {
        write_atomic(&out.join(format!("{stem}.svg")), svg.as_bytes()).map_err(io)?;
        if png {
            let raster = svg_to_png(svg, 1.0).map_err(io)?;
            for w in &raster.warnings {
                eprintln!("warning: {w}");
            }
            write_atomic(&out.join(format!("{stem}.png")), &raster.png).map_err(io)?;
        }
    }
    Ok(())
}

/// `--target`: detection and firm-track coverage of `target` seen from `aspect` by each radar.
fn run_target(
    a: &CoverageArgs,
    placed: &[Placed],
    origin: Geodetic,
    title: &str,
    target: &Target,
) -> anyhow::Result<()> {
    let aspect = *parse_aspects(Some(&a.aspect))?.first().ok_or_else(|| bad("--aspect: empty".to_string()))?;
    let firm_pd =
        bulwark_sensors::m_of_n::single_look_pd_for_m_of_n(FIRM_M, FIRM_N, FIRM_P).map_err(|e| bad(e.to_string()))?;
    let base = CoverageSettings {
        altitudes_m: parse_list(Quantity::Altitude, &a.altitudes, "--altitudes")?,
        rcs_m2: vec![1.0],
        pd_required: a.pd,
        ..CoverageSettings::default()
    };
    base.validate().map_err(|e| bad(e.to_string()))?;
    let io = |e: bulwark_coverage::CoverageError| anyhow::anyhow!("{e}");
    let (mut detect, mut firm, mut vertical) = (Vec::new(), Vec::new(), Vec::new());
    for (name, site, p) in placed {
        let sigma = target.rcs_m2(p, aspect)?;
        let r = coverage_radar(name.clone(), *site, &target.seen_by(p)?)?;
        let s = CoverageSettings { rcs_m2: vec![sigma], ..base.clone() };
        detect.push(compute_coverage(&r, &s, None).map_err(|e| bad(format!("{name}: {e}")))?);
        let sf = CoverageSettings { pd_required: firm_pd, ..s.clone() };
        firm.push(compute_coverage(&r, &sf, None).map_err(|e| bad(format!("{name}: {e}")))?);
        vertical.push(vertical_coverage(&r, &s, &VerticalSpec::default(), None).map_err(io)?);
    }
    let (t_detect, t_firm) = (CoverageTable::from_coverages(&detect), CoverageTable::from_coverages(&firm));
    std::fs::create_dir_all(&a.out).map_err(|e| anyhow::anyhow!("{}: {e}", a.out.display()))?;
    for (stem, t) in [("coverage", &t_detect), ("firm-track", &t_firm)] {
        write_atomic(&a.out.join(format!("{stem}.txt")), t.to_text().as_bytes()).map_err(io)?;
        write_atomic(&a.out.join(format!("{stem}.csv")), t.to_csv().map_err(io)?.as_bytes()).map_err(io)?;
        write_atomic(&a.out.join(format!("{stem}.json")), t.to_json().map_err(io)?.as_bytes()).map_err(io)?;
    }
    let what = format!("{} ({}, each radar's band)", target.id, aspect.as_str());
    if a.json {
        let j = |t: &CoverageTable| {
            serde_json::from_str::<serde_json::Value>(&t.to_json().unwrap_or_default()).unwrap_or_default()
        };
        println!(
            "{}",
            serde_json::json!({
                "target": target.id, "aspect": aspect.as_str(), "firm_track_pd": firm_pd,
                "detection": j(&t_detect), "firm_track": j(&t_firm)
            })
        );
    } else {
        println!("{title} vs {what}: detection range (km) at Pd {}, 4/3-earth horizon", a.pd);
        print!("{}", t_detect.to_text());
        println!();
        println!(
            "firm track: {FIRM_M} of {FIRM_N} looks detected with probability {FIRM_P}, i.e. single-look Pd {firm_pd:.3}"
        );
        print!("{}", t_firm.to_text());
    }
    // The map draws one RCS; each radar here has its own (the target's at its band), so the
    // maps are drawn from copies whose profiles are keyed to one placeholder RCS.
    let keyed = |cs: &[bulwark_coverage::RadarCoverage]| -> Vec<bulwark_coverage::RadarCoverage> {
        cs.iter()
            .cloned()
            .map(|mut c| {
                c.profiles.iter_mut().for_each(|p| p.rcs_m2 = 1.0);
                c
            })
            .collect()
    };
    let mut drawn = Vec::new();
    for (stem, cs, label) in [
        ("coverage-map", &detect, format!("detection, Pd ≥ {}", a.pd)),
        ("firm-track-map", &firm, format!("firm track, Pd ≥ {firm_pd:.3}")),
    ] {
        let spec = MapSpec {
            rcs_m2: 1.0,
            origin: Some(origin),
            title: Some(format!("{title}: {what}, {label}")),
            ..MapSpec::default()
        };
        drawn.push((stem.to_string(), coverage_map_svg(&keyed(cs), &spec).map_err(io)?));
    }
    for ((name, _, _), v) in placed.iter().zip(&vertical) {
        let stem: String =
            name.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' }).collect();
        drawn.push((format!("vertical-{stem}"), vertical_diagram_svg(v).map_err(io)?));
    }
    write_drawn(&a.out, &drawn, a.png)?;
    eprintln!(
        "wrote {}/coverage.{{txt,csv,json}}, firm-track.{{txt,csv,json}}, coverage-map, firm-track-map and {} vertical diagram(s)",
        a.out.display(),
        placed.len()
    );
    Ok(())
}
