//! Writes sample coverage tables and diagrams of a notional three-radar system to a folder
//! (default /tmp/bulwark-coverage) and prints how long the computation took.
//!
//! cargo run --release -p bulwark-coverage --example sample_diagrams [-- OUT_DIR]
use bulwark_coverage::{
    CoverageRadar, CoverageSettings, CoverageTable, MapSpec, VerticalSpec, compute_coverage, coverage_map_svg,
    svg_to_png, vertical_coverage, vertical_diagram_svg, write_atomic,
};
use bulwark_geo::Geodetic;
use std::f64::consts::TAU;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// A notional radar: SNR(R, σ) = SNR_ref (σ/1 m²)(R_ref/R)⁴ pinned so that a 1 m² Swerling 1
/// target is detected with Pd 0.5 at `r_ref_km` (Pfa 1e-6), single pulse.
#[allow(clippy::too_many_arguments)]
fn radar(
    name: &str,
    site: Geodetic,
    mast_m: f64,
    r_ref_km: f64,
    max_km: f64,
    sector: (f64, f64),
    elevation_deg: (f64, f64),
) -> CoverageRadar {
    let pfa: f64 = 1e-6;
    let snr_ref = pfa.ln() / 0.5f64.ln() - 1.0;
    let r_ref = r_ref_km * 1e3;
    CoverageRadar {
        name: name.into(),
        site,
        antenna_height_m: mast_m,
        min_range_m: 500.0,
        max_range_m: max_km * 1e3,
        azimuth_centre_rad: sector.0.to_radians(),
        azimuth_width_rad: sector.1.to_radians(),
        min_elevation_rad: elevation_deg.0.to_radians(),
        max_elevation_rad: elevation_deg.1.to_radians(),
        snr: Box::new(move |r, s| if r > 0.0 { (snr_ref * s * (r_ref / r).powi(4)).min(1e30) } else { 1e30 }),
        required_snr: Box::new(move |pd: f64| (pfa.ln() / pd.ln() - 1.0).max(0.0)),
    }
}

fn system() -> Vec<CoverageRadar> {
    let ground = 160.0;
    vec![
        radar(
            "Acquisition",
            Geodetic::from_degrees(55.0, 37.0, ground + 25.0),
            25.0,
            300.0,
            600.0,
            (0.0, 360.0),
            (-2.0, 60.0),
        ),
        radar(
            "Fire control",
            Geodetic::from_degrees(55.05, 37.35, ground + 10.0),
            10.0,
            220.0,
            400.0,
            (270.0, 110.0),
            (-1.0, 75.0),
        ),
        radar(
            "Low-level",
            Geodetic::from_degrees(54.85, 37.1, ground + 40.0),
            40.0,
            110.0,
            150.0,
            (0.0, 360.0),
            (-3.0, 40.0),
        ),
    ]
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    write_atomic(&p, bytes).expect("write output");
    p
}

fn svg_and_png(dir: &Path, stem: &str, svg: &str) {
    write(dir, &format!("{stem}.svg"), svg.as_bytes());
    let png = svg_to_png(svg, 1.0).expect("rasterise");
    for w in &png.warnings {
        eprintln!("warning: {w}");
    }
    let p = write(dir, &format!("{stem}.png"), &png.png);
    println!("wrote {} ({}×{}) and .svg", p.display(), png.width, png.height);
}

fn main() {
    let dir = PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| "/tmp/bulwark-coverage".into()));
    std::fs::create_dir_all(&dir).expect("create output folder");
    let radars = system();

    // The bounded full-system case: 3 radars × 6 altitudes × 3 RCS × 360 azimuths.
    let settings = CoverageSettings { rcs_m2: vec![0.1, 1.0, 10.0], ..CoverageSettings::default() };
    let t = Instant::now();
    let coverages: Vec<_> = radars.iter().map(|r| compute_coverage(r, &settings, None).expect("coverage")).collect();
    println!(
        "smooth earth: 3 radars × 6 altitudes × 3 RCS × 360 azimuths in {:.1} ms",
        t.elapsed().as_secs_f64() * 1e3
    );

    // A notional ridge 40–60 km north-east of the acquisition radar hides targets below 1.5 km
    // beyond it: a masking hook of the kind the terrain crate will provide.
    let ridge = |radar: &Geodetic, target: &Geodetic| {
        let (e, n) = bulwark_coverage::azimuthal_equidistant(radar, target);
        let az = e.atan2(n).rem_euclid(TAU).to_degrees();
        !((30.0..=60.0).contains(&az) && e.hypot(n) > 40e3 && target.alt_m - 160.0 < 1_500.0)
    };
    let t = Instant::now();
    let masked: Vec<_> =
        radars.iter().map(|r| compute_coverage(r, &settings, Some(&ridge)).expect("coverage")).collect();
    println!("with a masking hook: same cases in {:.1} ms", t.elapsed().as_secs_f64() * 1e3);

    let t = Instant::now();
    let calls = std::sync::atomic::AtomicUsize::new(0);
    let always = |_: &Geodetic, _: &Geodetic| {
        calls.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        true
    };
    for r in &radars {
        compute_coverage(r, &settings, Some(&always)).expect("coverage");
    }
    println!(
        "with a do-nothing masking hook (this crate's own cost): {:.1} ms, {} hook calls",
        t.elapsed().as_secs_f64() * 1e3,
        calls.into_inner()
    );

    let table = CoverageTable::from_coverages(&coverages);
    print!("{}", table.to_text());
    write(&dir, "table.txt", table.to_text().as_bytes());
    write(&dir, "table.csv", table.to_csv().expect("csv").as_bytes());
    write(&dir, "table.json", table.to_json().expect("json").as_bytes());

    // Plan maps: the acquisition radar alone (4 RCS incl. 0.01 m²), and the system with the ridge.
    let all = CoverageSettings::default();
    let acq = compute_coverage(&radars[0], &all, None).expect("coverage");
    svg_and_png(&dir, "map_acquisition", &coverage_map_svg(&[acq], &MapSpec::default()).expect("map"));
    let spec = MapSpec { rcs_m2: 1.0, ..MapSpec::default() };
    svg_and_png(&dir, "map_system_ridge", &coverage_map_svg(&masked, &spec).expect("map"));

    // Vertical diagrams, one per radar, and one through the ridge.
    let t = Instant::now();
    for r in &radars {
        let v = vertical_coverage(r, &all, &VerticalSpec::default(), None).expect("vertical");
        let stem = format!("vertical_{}", r.name.to_lowercase().replace([' ', '-'], "_"));
        svg_and_png(&dir, &stem, &vertical_diagram_svg(&v).expect("diagram"));
    }
    let spec = VerticalSpec { azimuth_rad: Some(45f64.to_radians()), ..VerticalSpec::default() };
    let v = vertical_coverage(&radars[0], &all, &spec, Some(&ridge)).expect("vertical");
    svg_and_png(&dir, "vertical_acquisition_ridge", &vertical_diagram_svg(&v).expect("diagram"));
    println!("4 vertical diagrams (grid, SVG, PNG) in {:.1} ms", t.elapsed().as_secs_f64() * 1e3);
}
