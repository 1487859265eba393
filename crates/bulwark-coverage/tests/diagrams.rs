//! The diagrams are well-formed SVG carrying their legends, and rasterise to non-blank PNGs of
//! the document's size.
use bulwark_coverage::{
    CoverageRadar, CoverageSettings, MapSpec, VerticalSpec, compute_coverage, coverage_map_svg, svg_to_png,
    vertical_coverage, vertical_diagram_svg, write_atomic,
};
use bulwark_geo::Geodetic;
use resvg::tiny_skia::Pixmap;
use resvg::usvg::roxmltree;

fn radar(name: &str, lat: f64, lon: f64, sector_deg: f64) -> CoverageRadar {
    // Swerling 1, Pfa 1e-6: SNR_req(Pd) = ln Pfa / ln Pd − 1; 1 m² at Pd 0.5 at 150 km.
    let pfa: f64 = 1e-6;
    let snr_ref = pfa.ln() / 0.5f64.ln() - 1.0;
    CoverageRadar {
        name: name.into(),
        site: Geodetic::from_degrees(lat, lon, 120.0),
        antenna_height_m: 20.0,
        min_range_m: 1_000.0,
        max_range_m: 250e3,
        azimuth_centre_rad: 0.0,
        azimuth_width_rad: sector_deg.to_radians(),
        min_elevation_rad: -1f64.to_radians(),
        max_elevation_rad: 40f64.to_radians(),
        snr: Box::new(move |r, s| if r > 0.0 { snr_ref * s * (150e3 / r).powi(4) } else { 1e30 }),
        required_snr: Box::new(move |pd: f64| pfa.ln() / pd.ln() - 1.0),
    }
}

fn settings() -> CoverageSettings {
    CoverageSettings {
        altitudes_m: vec![100.0, 3_000.0, 12_000.0],
        rcs_m2: vec![0.1, 1.0, 10.0],
        azimuth_step_rad: 2f64.to_radians(),
        ..CoverageSettings::default()
    }
}

/// Parses `svg` as XML and returns the text of every <text> element.
fn texts(svg: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(svg).expect("well-formed XML");
    assert_eq!(doc.root_element().tag_name().name(), "svg");
    doc.descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text().map(|t| t.trim().to_string()))
        .collect()
}

/// The PNG decodes to the expected size, and is not blank: it has white background, dark
/// (axes, text) and coloured (coverage) pixels.
fn check_png(svg: &str, width: u32, height: u32, min_coloured_share: f64) {
    let img = svg_to_png(svg, 1.0).unwrap();
    assert_eq!((img.width, img.height), (width, height));
    let pix = Pixmap::decode_png(&img.png).expect("valid PNG");
    assert_eq!((pix.width(), pix.height()), (width, height));
    let px = pix.pixels();
    let white = px.iter().filter(|p| p.red() == 255 && p.green() == 255 && p.blue() == 255).count();
    let dark = px.iter().filter(|p| u16::from(p.red()) + u16::from(p.green()) + u16::from(p.blue()) < 150).count();
    let coloured = px.iter().filter(|p| p.red().abs_diff(p.blue()) > 40 || p.green().abs_diff(p.red()) > 40).count();
    let n = px.len();
    assert!(white > n / 4, "background: {white}/{n}");
    assert!(dark > 500, "axes and text: {dark}");
    assert!(coloured as f64 > min_coloured_share * n as f64, "coverage: {coloured}/{n}");
    let twice = svg_to_png(svg, 2.0).unwrap();
    assert_eq!((twice.width, twice.height), (2 * width, 2 * height));
    assert!(svg_to_png(svg, f32::NAN).is_err());
}

#[test]
fn vertical_diagram_is_valid_svg_with_legend_and_renders() {
    let r = radar("Test radar", 48.0, 11.0, 360.0);
    let v = vertical_coverage(&r, &settings(), &VerticalSpec::default(), None).unwrap();
    let svg = vertical_diagram_svg(&v).unwrap();
    let t = texts(&svg);
    for label in [
        "σ = 0.1 m²",
        "σ = 1 m²",
        "σ = 10 m²",
        "4/3-earth horizon",
        "Ground range (km)",
        "Altitude above the site surface (km)",
        "Test radar — vertical coverage at azimuth 0°, Pd ≥ 0.5",
    ] {
        assert!(t.iter().any(|s| s == label), "missing {label:?} in {t:?}");
    }
    check_png(&svg, 1300, 720, 0.05);
}

#[test]
fn coverage_map_of_a_system_is_valid_svg_with_legend_and_renders() {
    let radars = [radar("North", 48.5, 11.0, 360.0), radar("South & <B>", 48.0, 11.2, 120.0)];
    let covs: Vec<_> = radars.iter().map(|r| compute_coverage(r, &settings(), None).unwrap()).collect();
    let svg = coverage_map_svg(&covs, &MapSpec { rcs_m2: 1.0, ..MapSpec::default() }).unwrap();
    let t = texts(&svg);
    for label in ["h = 100 m", "h = 3000 m", "h = 12 km", "North", "South & <B>", "East of origin (km)", "N", "100 km"]
    {
        assert!(t.iter().any(|s| s == label), "missing {label:?} in {t:?}");
    }
    // Outlines and light fills: fewer coloured pixels.
    check_png(&svg, 1250, 1000, 0.005);
    assert!(coverage_map_svg(&[], &MapSpec::default()).is_err());
}

#[test]
fn write_atomic_replaces_the_file_whole() {
    let dir = std::env::temp_dir().join(format!("bulwark-coverage-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join("out.svg");
    write_atomic(&p, b"first").unwrap();
    write_atomic(&p, b"second").unwrap();
    assert_eq!(std::fs::read(&p).unwrap(), b"second");
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1, "no temporary file left");
    std::fs::remove_dir_all(&dir).unwrap();
}
