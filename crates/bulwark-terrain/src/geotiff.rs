//! Reading single-band GeoTIFF DEMs on EPSG:4326 latitude/longitude grids (the format of SRTM
//! and Copernicus DEM tiles).
//!
//! Georeferencing follows the GeoTIFF 1.0 specification (Ritter & Ruth, 1995; OGC 19-008r4,
//! 2019): raster point (I, J) maps to longitude X + (I − I₀)·S_x and latitude Y − (J − J₀)·S_y
//! from ModelTiepointTag (33922) = (I₀, J₀, 0, X, Y, 0) and ModelPixelScaleTag (33550) =
//! (S_x, S_y, 0), or from a ModelTransformationTag (34264) without rotation. The value of pixel
//! (col, row) belongs to raster point (col + ½, row + ½) when GTRasterTypeGeoKey is
//! PixelIsArea (the default) and to (col, row) when it is PixelIsPoint; that point becomes the
//! grid node. The GeoKeyDirectoryTag (34735) must say geographic (GTModelTypeGeoKey = 2) on
//! WGS 84 (GeographicTypeGeoKey = 4326, or a user-defined one on datum 6326) in degrees.
//! GDAL_NODATA (42113) marks voids. The first image of the file (full resolution) is read;
//! uncompressed, LZW and Deflate strips or tiles of 8–64-bit integer or float samples.

use std::fs::File;
use std::io::{BufReader, Cursor, Read, Seek};
use std::path::Path;

use tiff::ColorType;
use tiff::decoder::{Decoder, DecodingResult};
use tiff::tags::Tag;

use crate::{ElevationGrid, GridGeometry, TerrainError};

const GT_MODEL_TYPE: u16 = 1024;
const GT_RASTER_TYPE: u16 = 1025;
const GEOGRAPHIC_TYPE: u16 = 2048;
const GEOG_GEODETIC_DATUM: u16 = 2050;
const GEOG_ANGULAR_UNITS: u16 = 2054;
const MODEL_TYPE_PROJECTED: u16 = 1;
const MODEL_TYPE_GEOGRAPHIC: u16 = 2;
const RASTER_PIXEL_IS_AREA: u16 = 1;
const RASTER_PIXEL_IS_POINT: u16 = 2;
const EPSG_WGS84: u16 = 4326;
const EPSG_DATUM_WGS84: u16 = 6326;
const EPSG_ANGLE_DEGREE: u16 = 9102;
const USER_DEFINED: u16 = 32767;

impl ElevationGrid {
    /// Read a single-band GeoTIFF DEM on an EPSG:4326 grid (module notes). Heights are taken as
    /// metres above the ellipsoid (see the [`grid`](crate::grid) notes on the geoid). Any other
    /// CRS, a rotated or warped grid, several bands, or malformed tags give a [`TerrainError`]
    /// naming the file and the reason.
    pub fn from_geotiff(path: impl AsRef<Path>) -> Result<Self, TerrainError> {
        let path = path.as_ref();
        let file = File::open(path).map_err(|source| TerrainError::Io { path: path.to_path_buf(), source })?;
        read_geotiff(BufReader::new(file), path)
    }

    /// [`from_geotiff`](Self::from_geotiff) on a file already in memory; `name` labels errors.
    pub fn from_geotiff_bytes(bytes: &[u8], name: &str) -> Result<Self, TerrainError> {
        read_geotiff(Cursor::new(bytes), Path::new(name))
    }
}

fn read_geotiff<R: Read + Seek>(reader: R, path: &Path) -> Result<ElevationGrid, TerrainError> {
    let p = || path.to_path_buf();
    let decode = |e: tiff::TiffError| TerrainError::Decode { path: p(), reason: e.to_string() };
    let malformed = |reason: String| TerrainError::Malformed { path: p(), reason };
    let unsupported = |reason: String| TerrainError::Unsupported { path: p(), reason };

    let mut dec = Decoder::new(reader).map_err(decode)?;
    let (width, height) = dec.dimensions().map_err(decode)?;
    match dec.colortype().map_err(decode)? {
        ColorType::Gray(_) => {}
        ColorType::Multiband { num_samples: 1, .. } => {}
        other => return Err(unsupported(format!("pixels are {other:?}; a DEM has one band"))),
    }

    let f64_tag = |dec: &mut Decoder<R>, tag: Tag, name: &str| -> Result<Option<Vec<f64>>, TerrainError> {
        match dec.find_tag(tag) {
            Ok(None) => Ok(None),
            Ok(Some(v)) => v.into_f64_vec().map(Some).map_err(|e| malformed(format!("{name}: {e}"))),
            Err(e) => Err(malformed(format!("{name}: {e}"))),
        }
    };
    let scale = f64_tag(&mut dec, Tag::ModelPixelScaleTag, "ModelPixelScaleTag (33550)")?;
    let tie = f64_tag(&mut dec, Tag::ModelTiepointTag, "ModelTiepointTag (33922)")?;
    let transform = f64_tag(&mut dec, Tag::ModelTransformationTag, "ModelTransformationTag (34264)")?;
    let keys = match dec.find_tag_unsigned_vec::<u16>(Tag::GeoKeyDirectoryTag) {
        Ok(Some(k)) => GeoKeys::parse(&k).map_err(&malformed)?,
        Ok(None) => return Err(malformed("no GeoKeyDirectoryTag (34735): the CRS is unknown".into())),
        Err(e) => return Err(malformed(format!("GeoKeyDirectoryTag (34735): {e}"))),
    };
    let no_data = match dec.find_tag(Tag::GdalNodata) {
        Ok(None) => None,
        Ok(Some(v)) => {
            let text = v.into_string().map_err(|e| malformed(format!("GDAL_NODATA (42113): {e}")))?;
            let text = text.trim_matches(|c: char| c == '\0' || c.is_whitespace());
            Some(text.parse::<f64>().map_err(|_| malformed(format!("GDAL_NODATA (42113) {text:?} is not a number")))?)
        }
        Err(e) => return Err(malformed(format!("GDAL_NODATA (42113): {e}"))),
    };

    check_crs(&keys).map_err(&unsupported)?;
    let pixel_is_area = match keys.short(GT_RASTER_TYPE).map_err(&malformed)? {
        None | Some(RASTER_PIXEL_IS_AREA) => true,
        Some(RASTER_PIXEL_IS_POINT) => false,
        Some(v) => return Err(malformed(format!("GTRasterTypeGeoKey is {v}; expected 1 (area) or 2 (point)"))),
    };
    let affine = Affine::from_tags(scale.as_deref(), tie.as_deref(), transform.as_deref(), &unsupported, &malformed)?;

    let (rows, cols) = (height as usize, width as usize);
    let offset = if pixel_is_area { 0.5 } else { 0.0 };
    let lon0 = affine.x0 + (offset - affine.i0) * affine.sx;
    let lat_row = |row: f64| affine.y0 - (row + offset - affine.j0) * affine.sy;
    let north_up = affine.sy > 0.0;
    let south = if north_up { lat_row(rows as f64 - 1.0) } else { lat_row(0.0) };
    let geom = GridGeometry::from_degrees(south, lon0, affine.sy.abs(), affine.sx, rows, cols);

    let image = dec.read_image().map_err(decode)?;
    let samples = to_f32(image, no_data);
    if samples.len() != rows * cols {
        return Err(malformed(format!("{} samples decoded for {width}×{height} pixels", samples.len())));
    }
    let heights = if north_up {
        // The file runs north to south; the grid south to north.
        samples.chunks_exact(cols).rev().flatten().copied().collect()
    } else {
        samples
    };
    ElevationGrid::new(geom, heights, None).map_err(|e| malformed(format!("georeferencing gives a bad grid: {e}")))
}

/// A raster-to-model mapping without rotation: lon = x0 + (I − i0)·sx, lat = y0 − (J − j0)·sy
/// (degrees).
struct Affine {
    i0: f64,
    j0: f64,
    x0: f64,
    y0: f64,
    sx: f64,
    sy: f64,
}

impl Affine {
    fn from_tags(
        scale: Option<&[f64]>,
        tie: Option<&[f64]>,
        transform: Option<&[f64]>,
        unsupported: &dyn Fn(String) -> TerrainError,
        malformed: &dyn Fn(String) -> TerrainError,
    ) -> Result<Affine, TerrainError> {
        let a = match (scale, tie, transform) {
            (Some(s), Some(t), None) => {
                if s.len() < 2 || t.len() < 6 || t.len() % 6 != 0 {
                    return Err(malformed(format!(
                        "ModelPixelScaleTag has {} values (need 3), ModelTiepointTag {} (need 6)",
                        s.len(),
                        t.len()
                    )));
                }
                if t.len() > 6 {
                    return Err(unsupported(format!(
                        "{} tie points: a grid warped by control points (gdalwarp it to a regular grid)",
                        t.len() / 6
                    )));
                }
                Affine { i0: t[0], j0: t[1], x0: t[3], y0: t[4], sx: s[0], sy: s[1] }
            }
            (None, None, Some(m)) => {
                if m.len() != 16 {
                    return Err(malformed(format!("ModelTransformationTag has {} values, need 16", m.len())));
                }
                if m[1] != 0.0 || m[4] != 0.0 {
                    return Err(unsupported(format!(
                        "rotated or sheared grid (ModelTransformationTag terms {} and {})",
                        m[1], m[4]
                    )));
                }
                Affine { i0: 0.0, j0: 0.0, x0: m[3], y0: m[7], sx: m[0], sy: -m[5] }
            }
            (None, None, None) => {
                return Err(malformed("no georeferencing: no ModelPixelScaleTag/ModelTiepointTag".into()));
            }
            _ => {
                return Err(malformed(
                    "georeferencing needs both ModelPixelScaleTag and ModelTiepointTag, \
                     or ModelTransformationTag alone"
                        .into(),
                ));
            }
        };
        let all_finite = [a.i0, a.j0, a.x0, a.y0, a.sx, a.sy].iter().all(|v| v.is_finite());
        if !all_finite || a.sx <= 0.0 || a.sy == 0.0 {
            return Err(malformed(format!(
                "pixel size {} × {} degrees with tie point ({}, {}) → ({}, {}) is not a usable grid",
                a.sx, a.sy, a.i0, a.j0, a.x0, a.y0
            )));
        }
        Ok(a)
    }
}

/// The GeoKeyDirectoryTag: (key id, tag location, count, value) entries after a 4-short header.
struct GeoKeys {
    entries: Vec<[u16; 4]>,
}

impl GeoKeys {
    fn parse(v: &[u16]) -> Result<GeoKeys, String> {
        if v.len() < 4 {
            return Err(format!("GeoKeyDirectoryTag has {} values; the header alone needs 4", v.len()));
        }
        if v[0] != 1 {
            return Err(format!("GeoKeyDirectoryTag version {} (expected 1)", v[0]));
        }
        let n = v[3] as usize;
        if v.len() < 4 + 4 * n {
            return Err(format!("GeoKeyDirectoryTag declares {n} keys but holds {} values", v.len()));
        }
        let entries = v[4..4 + 4 * n].chunks_exact(4).map(|c| [c[0], c[1], c[2], c[3]]).collect();
        Ok(GeoKeys { entries })
    }

    /// A SHORT key stored in the directory itself (location 0), if present.
    fn short(&self, id: u16) -> Result<Option<u16>, String> {
        match self.entries.iter().find(|e| e[0] == id) {
            None => Ok(None),
            Some(&[_, 0, _, value]) => Ok(Some(value)),
            Some(&[_, location, ..]) => Err(format!("GeoKey {id} is stored in tag {location}, expected a SHORT value")),
        }
    }
}

/// Accept only a geographic WGS 84 CRS in degrees (EPSG:4326).
fn check_crs(keys: &GeoKeys) -> Result<(), String> {
    match keys.short(GT_MODEL_TYPE)? {
        Some(MODEL_TYPE_GEOGRAPHIC) => {}
        Some(MODEL_TYPE_PROJECTED) => {
            return Err("projected CRS (GTModelTypeGeoKey = 1); reproject to EPSG:4326 latitude/longitude".into());
        }
        Some(v) => return Err(format!("GTModelTypeGeoKey = {v}; only geographic (2, EPSG:4326) grids are read")),
        None => return Err("no GTModelTypeGeoKey: the CRS is unknown".into()),
    }
    match keys.short(GEOGRAPHIC_TYPE)? {
        Some(EPSG_WGS84) => {}
        None | Some(USER_DEFINED) => match keys.short(GEOG_GEODETIC_DATUM)? {
            Some(EPSG_DATUM_WGS84) => {}
            other => {
                return Err(format!("user-defined geographic CRS on datum {other:?}; only WGS 84 (6326) is read"));
            }
        },
        Some(code) => return Err(format!("geographic CRS EPSG:{code}; only EPSG:4326 (WGS 84) is read")),
    }
    match keys.short(GEOG_ANGULAR_UNITS)? {
        None | Some(EPSG_ANGLE_DEGREE) => Ok(()),
        Some(u) => Err(format!("angular unit EPSG:{u}; only degrees (9102) are read")),
    }
}

/// Samples as f32 heights, voids (GDAL_NODATA, compared in the sample type as GDAL does, and
/// non-finite values) as NaN.
fn to_f32(image: DecodingResult, no_data: Option<f64>) -> Vec<f32> {
    // The no-data value as the sample type holds it.
    let nd_in = |round: fn(f64) -> f64| no_data.map(round);
    let convert = |it: &mut dyn Iterator<Item = f64>, nd: Option<f64>| -> Vec<f32> {
        it.map(|x| if nd == Some(x) || !x.is_finite() { f32::NAN } else { x as f32 }).collect()
    };
    let exact = |x: f64| x;
    let as_f32 = |x: f64| x as f32 as f64;
    match image {
        DecodingResult::U8(v) => convert(&mut v.into_iter().map(f64::from), nd_in(exact)),
        DecodingResult::I8(v) => convert(&mut v.into_iter().map(f64::from), nd_in(exact)),
        DecodingResult::U16(v) => convert(&mut v.into_iter().map(f64::from), nd_in(exact)),
        DecodingResult::I16(v) => convert(&mut v.into_iter().map(f64::from), nd_in(exact)),
        DecodingResult::U32(v) => convert(&mut v.into_iter().map(f64::from), nd_in(exact)),
        DecodingResult::I32(v) => convert(&mut v.into_iter().map(f64::from), nd_in(exact)),
        DecodingResult::U64(v) => convert(&mut v.into_iter().map(|x| x as f64), nd_in(exact)),
        DecodingResult::I64(v) => convert(&mut v.into_iter().map(|x| x as f64), nd_in(exact)),
        DecodingResult::F16(v) => convert(&mut v.into_iter().map(|x| x.to_f64()), nd_in(as_f32)),
        DecodingResult::F32(v) => convert(&mut v.into_iter().map(f64::from), nd_in(as_f32)),
        DecodingResult::F64(v) => convert(&mut v.into_iter(), nd_in(exact)),
    }
}
