//! GeoTIFF DEM reading: files written with the `tiff` crate's encoder and read back, two
//! committed fixtures whose values were cross-checked with rasterio/GDAL, every rejection path,
//! and random and mutated bytes (never a panic).

use std::io::Cursor;

use bulwark_terrain::{ElevationGrid, TerrainError};
use proptest::prelude::*;
use tiff::encoder::colortype::{self, ColorType};
use tiff::encoder::compression::DeflateLevel;
use tiff::encoder::{Compression, TiffEncoder, TiffValue};
use tiff::tags::Tag;

/// The georeferencing tags of a test file.
#[derive(Clone)]
struct Geo {
    scale: Option<Vec<f64>>,
    tie: Option<Vec<f64>>,
    transform: Option<Vec<f64>>,
    keys: Option<Vec<u16>>,
    no_data: Option<&'static str>,
}

/// GeoKeyDirectory for EPSG:4326 with the given raster type (1 area, 2 point), as GDAL writes
/// it: GTModelType = 2, GTRasterType, GeographicType = 4326, GeogAngularUnits = 9102.
fn keys_4326(raster_type: u16) -> Vec<u16> {
    vec![1, 1, 0, 4, 1024, 0, 1, 2, 1025, 0, 1, raster_type, 2048, 0, 1, 4326, 2054, 0, 1, 9102]
}

/// 0.25° pixels, north-west corner of pixel (0, 0) at (50°N, 10°E), PixelIsArea.
fn geo_area() -> Geo {
    Geo {
        scale: Some(vec![0.25, 0.25, 0.0]),
        tie: Some(vec![0.0, 0.0, 0.0, 10.0, 50.0, 0.0]),
        transform: None,
        keys: Some(keys_4326(1)),
        no_data: None,
    }
}

fn write_tiff<C: ColorType>(w: u32, h: u32, data: &[C::Inner], compression: Compression, geo: &Geo) -> Vec<u8>
where
    [C::Inner]: TiffValue,
{
    let mut buf = Cursor::new(Vec::new());
    let mut enc = TiffEncoder::new(&mut buf).unwrap().with_compression(compression);
    let mut img = enc.new_image::<C>(w, h).unwrap();
    img.rows_per_strip(2).unwrap();
    let dir = img.encoder();
    if let Some(v) = &geo.scale {
        dir.write_tag(Tag::ModelPixelScaleTag, &v[..]).unwrap();
    }
    if let Some(v) = &geo.tie {
        dir.write_tag(Tag::ModelTiepointTag, &v[..]).unwrap();
    }
    if let Some(v) = &geo.transform {
        dir.write_tag(Tag::ModelTransformationTag, &v[..]).unwrap();
    }
    if let Some(v) = &geo.keys {
        dir.write_tag(Tag::GeoKeyDirectoryTag, &v[..]).unwrap();
    }
    if let Some(s) = geo.no_data {
        dir.write_tag(Tag::GdalNodata, s).unwrap();
    }
    img.write_data(data).unwrap();
    buf.into_inner()
}

/// Value of file pixel (row from the north, col from the west) in the test pattern.
fn pattern(row: usize, col: usize) -> f64 {
    100.0 * row as f64 + 3.0 * col as f64 - 250.0
}

const W: usize = 5;
const H: usize = 4;

fn pattern_vec<T>(f: impl Fn(f64) -> T) -> Vec<T> {
    (0..H).flat_map(|r| (0..W).map(move |c| (r, c))).map(|(r, c)| f(pattern(r, c))).collect()
}

fn compressions() -> [Compression; 3] {
    [Compression::Uncompressed, Compression::Lzw, Compression::Deflate(DeflateLevel::Balanced)]
}

/// Checks the grid holds `pattern` with pixel centres at (lat0 − 0.25·row, lon0 + 0.25·col).
fn check_pattern(grid: &ElevationGrid, lat0: f64, lon0: f64) {
    let d = f64::to_radians;
    for row in 0..H {
        for col in 0..W {
            let (lat, lon) = (lat0 - 0.25 * row as f64, lon0 + 0.25 * col as f64);
            let h = grid.height_m(d(lat), d(lon)).unwrap_or(f64::NAN);
            assert!((h - pattern(row, col)).abs() < 1e-9, "pixel ({row}, {col}) at ({lat}, {lon}): {h}");
        }
    }
    // Bilinear midway between four pixel centres: their mean.
    let mid = grid.height_m(d(lat0 - 0.125), d(lon0 + 0.125)).unwrap();
    let mean = (pattern(0, 0) + pattern(0, 1) + pattern(1, 0) + pattern(1, 1)) / 4.0;
    assert!((mid - mean).abs() < 1e-6, "{mid} vs {mean}");
    // Half a pixel outside the centres (the outer half of the edge pixels) has no height.
    assert_eq!(grid.height_m(d(lat0 + 0.01), d(lon0 + 0.5)), None);
}

#[test]
fn round_trips_i16_u16_f32_f64_uncompressed_lzw_deflate() {
    for comp in compressions() {
        let files = [
            write_tiff::<colortype::GrayI16>(5, 4, &pattern_vec(|v| v as i16), comp, &geo_area()),
            write_tiff::<colortype::Gray32Float>(5, 4, &pattern_vec(|v| v as f32), comp, &geo_area()),
            write_tiff::<colortype::Gray64Float>(5, 4, &pattern_vec(|v| v), comp, &geo_area()),
        ];
        for bytes in &files {
            let grid = ElevationGrid::from_geotiff_bytes(bytes, "mem.tif").unwrap();
            // PixelIsArea: the centre of pixel (0, 0) is half a pixel in from the tie point.
            check_pattern(&grid, 49.875, 10.125);
        }
        // u16 cannot hold the negative pattern: shift it.
        let bytes = write_tiff::<colortype::Gray16>(5, 4, &pattern_vec(|v| (v + 1000.0) as u16), comp, &geo_area());
        let grid = ElevationGrid::from_geotiff_bytes(&bytes, "mem.tif").unwrap().with_vertical_offset_m(-1000.0);
        check_pattern(&grid, 49.875, 10.125);
    }
}

#[test]
fn pixel_is_point_puts_nodes_on_the_tie_point() {
    let geo = Geo { keys: Some(keys_4326(2)), ..geo_area() };
    let bytes = write_tiff::<colortype::GrayI16>(5, 4, &pattern_vec(|v| v as i16), Compression::Lzw, &geo);
    let grid = ElevationGrid::from_geotiff_bytes(&bytes, "point.tif").unwrap();
    check_pattern(&grid, 50.0, 10.0);
    let g = grid.geometry();
    assert!((g.south_lat_rad.to_degrees() - 49.25).abs() < 1e-12 && (g.west_lon_rad.to_degrees() - 10.0).abs() < 1e-12);
}

#[test]
fn south_up_files_and_transformation_matrices_are_read() {
    // A negative Y scale: row 0 is the southernmost, latitude grows with the row.
    let geo =
        Geo { scale: Some(vec![0.25, -0.25, 0.0]), tie: Some(vec![0.0, 0.0, 0.0, 10.0, 49.0, 0.0]), ..geo_area() };
    let bytes = write_tiff::<colortype::Gray32Float>(5, 4, &pattern_vec(|v| v as f32), Compression::Uncompressed, &geo);
    let grid = ElevationGrid::from_geotiff_bytes(&bytes, "southup.tif").unwrap();
    let h = grid.height_m(49.125_f64.to_radians(), 10.125_f64.to_radians()).unwrap();
    assert!((h - pattern(0, 0)).abs() < 1e-9, "{h}");
    let h = grid.height_m(49.875_f64.to_radians(), 10.125_f64.to_radians()).unwrap();
    assert!((h - pattern(3, 0)).abs() < 1e-9, "{h}");
    // The same north-up grid as geo_area, by a ModelTransformationTag without rotation.
    #[rustfmt::skip]
    let m = vec![0.25, 0.0, 0.0, 10.0,  0.0, -0.25, 0.0, 50.0,  0.0, 0.0, 0.0, 0.0,  0.0, 0.0, 0.0, 1.0];
    let geo = Geo { scale: None, tie: None, transform: Some(m), ..geo_area() };
    let bytes = write_tiff::<colortype::GrayI16>(5, 4, &pattern_vec(|v| v as i16), Compression::Uncompressed, &geo);
    check_pattern(&ElevationGrid::from_geotiff_bytes(&bytes, "matrix.tif").unwrap(), 49.875, 10.125);
}

#[test]
fn gdal_nodata_marks_voids() {
    let mut data = pattern_vec(|v| v as i16);
    data[W + 1] = -32768; // file row 1, col 1
    let geo = Geo { no_data: Some("-32768"), ..geo_area() };
    let bytes = write_tiff::<colortype::GrayI16>(5, 4, &data, Compression::Deflate(DeflateLevel::Fast), &geo);
    let grid = ElevationGrid::from_geotiff_bytes(&bytes, "voids.tif").unwrap();
    let d = f64::to_radians;
    assert_eq!(grid.height_m(d(49.625), d(10.375)), None, "the void itself");
    assert_eq!(grid.height_m(d(49.7), d(10.3)), None, "a cell touching it");
    assert!((grid.height_m(d(49.375), d(10.875)).unwrap() - pattern(2, 3)).abs() < 1e-9);
    assert!((grid.height_m(d(49.375), d(10.375)).unwrap() - pattern(2, 1)).abs() < 1e-9, "node beside the void");
    // Float DEMs: a no-data value that is not exactly representable, compared in f32 as GDAL does.
    let mut data = pattern_vec(|v| v as f32);
    data[0] = -9999.9_f32;
    let geo = Geo { no_data: Some("-9999.9"), ..geo_area() };
    let bytes = write_tiff::<colortype::Gray32Float>(5, 4, &data, Compression::Lzw, &geo);
    let grid = ElevationGrid::from_geotiff_bytes(&bytes, "voids32.tif").unwrap();
    assert_eq!(grid.height_m(d(49.875), d(10.125)), None);
    assert!((grid.height_m(d(49.875), d(10.375)).unwrap() - pattern(0, 1)).abs() < 1e-9);
}

fn expect_err(geo: &Geo, name: &str, want: fn(&TerrainError) -> bool, words: &str) {
    let bytes = write_tiff::<colortype::GrayI16>(5, 4, &pattern_vec(|v| v as i16), Compression::Uncompressed, geo);
    let err = ElevationGrid::from_geotiff_bytes(&bytes, name).unwrap_err();
    let text = err.to_string();
    assert!(want(&err), "{name}: wrong kind {err:?}");
    assert!(text.contains(name) && text.contains(words), "{name}: message {text:?} lacks {words:?}");
}

#[test]
fn other_crs_rotation_and_malformed_tags_are_clear_errors() {
    let unsupported = |e: &TerrainError| matches!(e, TerrainError::Unsupported { .. });
    let malformed = |e: &TerrainError| matches!(e, TerrainError::Malformed { .. });
    // UTM 33N (projected): GTModelType 1, ProjectedCSType 32633.
    let utm = vec![1, 1, 0, 3, 1024, 0, 1, 1, 1025, 0, 1, 1, 3072, 0, 1, 32633];
    expect_err(&Geo { keys: Some(utm), ..geo_area() }, "utm.tif", unsupported, "projected");
    let nad83 = vec![1, 1, 0, 2, 1024, 0, 1, 2, 2048, 0, 1, 4269];
    expect_err(&Geo { keys: Some(nad83), ..geo_area() }, "nad83.tif", unsupported, "EPSG:4269");
    let grads = vec![1, 1, 0, 3, 1024, 0, 1, 2, 2048, 0, 1, 4326, 2054, 0, 1, 9105];
    expect_err(&Geo { keys: Some(grads), ..geo_area() }, "grads.tif", unsupported, "9105");
    let user_other_datum = vec![1, 1, 0, 3, 1024, 0, 1, 2, 2048, 0, 1, 32767, 2050, 0, 1, 6269];
    expect_err(&Geo { keys: Some(user_other_datum), ..geo_area() }, "datum.tif", unsupported, "6269");
    #[rustfmt::skip]
    let rotated = vec![0.25, 0.01, 0.0, 10.0,  0.01, -0.25, 0.0, 50.0,  0.0, 0.0, 0.0, 0.0,  0.0, 0.0, 0.0, 1.0];
    let geo = Geo { scale: None, tie: None, transform: Some(rotated), ..geo_area() };
    expect_err(&geo, "rotated.tif", unsupported, "rotated");
    let two_ties = vec![0.0, 0.0, 0.0, 10.0, 50.0, 0.0, 4.0, 3.0, 0.0, 11.0, 49.0, 0.0];
    expect_err(&Geo { tie: Some(two_ties), ..geo_area() }, "gcp.tif", unsupported, "tie points");

    expect_err(&Geo { keys: None, ..geo_area() }, "nokeys.tif", malformed, "GeoKeyDirectoryTag");
    expect_err(&Geo { keys: Some(vec![1, 1, 0, 9, 1024]), ..geo_area() }, "short.tif", malformed, "declares 9 keys");
    expect_err(&Geo { keys: Some(vec![2, 1, 0, 0]), ..geo_area() }, "version.tif", malformed, "version 2");
    let no_model = vec![1, 1, 0, 1, 2048, 0, 1, 4326];
    expect_err(&Geo { keys: Some(no_model), ..geo_area() }, "nomodel.tif", unsupported, "GTModelTypeGeoKey");
    let raster3 = keys_4326(3);
    expect_err(&Geo { keys: Some(raster3), ..geo_area() }, "raster.tif", malformed, "GTRasterTypeGeoKey is 3");
    expect_err(&Geo { tie: None, ..geo_area() }, "notie.tif", malformed, "ModelTiepointTag");
    expect_err(&Geo { scale: None, tie: None, ..geo_area() }, "nogeo.tif", malformed, "no georeferencing");
    expect_err(&Geo { scale: Some(vec![0.0, 0.25, 0.0]), ..geo_area() }, "zero.tif", malformed, "pixel size");
    expect_err(&Geo { scale: Some(vec![f64::NAN, 0.25, 0.0]), ..geo_area() }, "nan.tif", malformed, "pixel size");
    expect_err(&Geo { tie: Some(vec![0.0, 0.0, 0.0, 10.0, 95.0, 0.0]), ..geo_area() }, "pole.tif", malformed, "90°");
    expect_err(&Geo { no_data: Some("none"), ..geo_area() }, "nodata.tif", malformed, "GDAL_NODATA");
    expect_err(&Geo { scale: Some(vec![0.25]), ..geo_area() }, "scale1.tif", malformed, "ModelPixelScaleTag has 1");
}

#[test]
fn multi_band_and_missing_files_are_errors() {
    let mut buf = Cursor::new(Vec::new());
    let mut enc = TiffEncoder::new(&mut buf).unwrap();
    enc.write_image::<colortype::RGB8>(2, 2, &[0u8; 12]).unwrap();
    let err = ElevationGrid::from_geotiff_bytes(&buf.into_inner(), "rgb.tif").unwrap_err();
    assert!(matches!(err, TerrainError::Unsupported { .. }) && err.to_string().contains("one band"), "{err}");

    let err = ElevationGrid::from_geotiff("/nonexistent/dem.tif").unwrap_err();
    assert!(matches!(err, TerrainError::Io { .. }) && err.to_string().contains("/nonexistent/dem.tif"), "{err}");
    let err = ElevationGrid::from_geotiff_bytes(b"not a tiff at all", "junk.tif").unwrap_err();
    assert!(matches!(err, TerrainError::Decode { .. }) && err.to_string().contains("junk.tif"), "{err}");
}

fn fixture(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

/// The SRTM-like fixture: 6 × 4 i16, LZW, PixelIsArea, 1/120° pixels, corner (45.5°N, 7.25°E),
/// GDAL_NODATA −32768 at file pixel (row 2, col 3); heights 1000 + 37·row − 11·col, written by
/// [`write_fixtures`].
const SRTM_LIKE: &str = "srtm_like_lzw_i16.tif";

#[test]
fn committed_fixture_matches_rasterio() {
    // Cross-checked once with rasterio 1.4.4 (GDAL 3.10.3), in a venv under /tmp:
    //   ds = rasterio.open("srtm_like_lzw_i16.tif"); ds.crs.to_epsg() -> 4326
    //   ds.nodata -> -32768.0; ds.transform -> (1/120, 0, 7.25, 0, -1/120, 45.5)
    //   ds.xy(0, 0) -> (7.254166666666666, 45.49583333333333)   (pixel centre, lon/lat)
    //   ds.xy(3, 5) -> (7.295833333333333, 45.47083333333333)
    //   a = ds.read(1): a[0,0] = 1000, a[3,5] = 1056, a[1,4] = 993, a[2,3] = -32768
    //   list(ds.sample([(7.2625, 45.4875)])) -> [1026]   (file pixel row 1, col 1: nearest)
    let grid = ElevationGrid::from_geotiff(fixture(SRTM_LIKE)).unwrap();
    let at = |lon: f64, lat: f64| grid.height_m(lat.to_radians(), lon.to_radians());
    let near = |h: Option<f64>, want: f64| h.is_some_and(|h| (h - want).abs() < 1e-6);
    assert!(near(at(7.254166666666666, 45.49583333333333), 1000.0));
    assert!(near(at(7.295833333333333, 45.47083333333333), 1056.0));
    assert!(near(at(7.254166666666666 + 4.0 / 120.0, 45.49583333333333 - 1.0 / 120.0), 993.0));
    assert!(near(at(7.2625, 45.4875), 1026.0));
    assert_eq!(at(7.254166666666666 + 3.0 / 120.0, 45.49583333333333 - 2.0 / 120.0), None, "the void");
    // Next to the void, on a node, the height is still there.
    assert!(near(at(7.254166666666666 + 2.0 / 120.0, 45.49583333333333 - 2.0 / 120.0), 1000.0 + 74.0 - 22.0));
}

/// A GDAL-written fixture: tiled (16 × 16 tiles, partial at the edges), Deflate with the
/// horizontal predictor, f32, PixelIsPoint, 40 × 24 pixels; written by rasterio 1.4.4 (GDAL
/// 3.10.3) with
///   rasterio.open("gdal_tiled_deflate_f32.tif", "w", driver="GTiff", width=40, height=24,
///     count=1, dtype="float32", crs="EPSG:4326", nodata=-9999.0, tiled=True, blockxsize=16,
///     blockysize=16, compress="deflate", predictor=2,
///     transform=Affine(0.001, 0, 30.0 - 0.0005, 0, -0.001, -10.0 + 0.0005)) with
///   AREA_OR_POINT="Point" and values 0.5·row² − 2·col + 0.25·row·col, pixel (5, 7) = −9999.
const GDAL_TILED: &str = "gdal_tiled_deflate_f32.tif";

#[test]
fn gdal_tiled_deflate_fixture() {
    let grid = ElevationGrid::from_geotiff(fixture(GDAL_TILED)).unwrap();
    let value = |row: f64, col: f64| 0.5 * row * row - 2.0 * col + 0.25 * row * col;
    let d = f64::to_radians;
    for (row, col) in [(0, 0), (0, 39), (23, 0), (23, 39), (15, 16), (16, 15), (20, 33), (5, 6)] {
        // PixelIsPoint: pixel (row, col) sits at (−10 − 0.001·row, 30 + 0.001·col) exactly.
        let (lat, lon) = (-10.0 - 0.001 * row as f64, 30.0 + 0.001 * col as f64);
        let h = grid.height_m(d(lat), d(lon));
        let want = value(row as f64, col as f64);
        assert!(h.is_some_and(|h| (h - want).abs() < 1e-6), "pixel ({row}, {col}): {h:?} vs {want}");
    }
    assert_eq!(grid.height_m(d(-10.005), d(30.007)), None, "the void");
}

/// Regenerates the encoder-written fixture (run with `--ignored`); the committed file is the
/// one rasterio cross-checked.
#[test]
#[ignore = "writes tests/fixtures; run by hand to regenerate"]
fn write_fixtures() {
    let mut data: Vec<i16> = (0..4).flat_map(|r| (0..6).map(move |c| 1000 + 37 * r - 11 * c)).collect();
    data[2 * 6 + 3] = -32768;
    let geo = Geo {
        scale: Some(vec![1.0 / 120.0, 1.0 / 120.0, 0.0]),
        tie: Some(vec![0.0, 0.0, 0.0, 7.25, 45.5, 0.0]),
        no_data: Some("-32768"),
        ..geo_area()
    };
    let bytes = write_tiff::<colortype::GrayI16>(6, 4, &data, Compression::Lzw, &geo);
    std::fs::write(fixture(SRTM_LIKE), bytes).unwrap();
}

proptest! {
    // Run once with 30 000 cases each (about 4 minutes) without a panic; kept small for CI.
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600), tiff_header in any::<bool>()) {
        let mut b = bytes;
        if tiff_header && b.len() >= 8 {
            b[..4].copy_from_slice(b"II*\0");
            b[4..8].copy_from_slice(&8u32.to_le_bytes());
        }
        let _ = ElevationGrid::from_geotiff_bytes(&b, "random.tif");
    }

}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn mutated_valid_files_never_panic(
        flips in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8),
        cut in any::<prop::sample::Index>(),
        truncate in any::<bool>(),
        which in 0usize..2,
    ) {
        let mut b = match which {
            0 => write_tiff::<colortype::GrayI16>(5, 4, &pattern_vec(|v| v as i16), Compression::Lzw, &geo_area()),
            _ => std::fs::read(fixture(GDAL_TILED)).unwrap(),
        };
        for (i, v) in flips {
            let i = i.index(b.len());
            b[i] = v;
        }
        if truncate {
            b.truncate(cut.index(b.len()));
        }
        if let Ok(grid) = ElevationGrid::from_geotiff_bytes(&b, "mutated.tif") {
            // Whatever was read is a consistent grid whose heights are finite.
            let g = *grid.geometry();
            let (lat, lon) = (0.5 * (g.south_lat_rad + g.north_lat_rad()), 0.5 * (g.west_lon_rad + g.east_lon_rad()));
            prop_assert!(grid.height_m(lat, lon).is_none_or(f64::is_finite));
        }
    }
}
