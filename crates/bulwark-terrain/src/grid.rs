//! Regular latitude/longitude elevation grids with bilinear interpolation, and synthetic
//! terrains (flat, Gaussian hill, Gaussian ridge, step) for tests and studies.
//!
//! **Vertical datum.** Every height in a grid is taken as metres above the WGS-84
//! *ellipsoid*, the datum of [`Geodetic::alt_m`]. Public DEMs (SRTM: EGM96, Copernicus DEM:
//! EGM2008) give heights above the *geoid*, which differs from the ellipsoid by the geoid
//! undulation N (−106 m to +85 m worldwide, slowly varying). Over one DEM tile N is nearly
//! constant, so [`ElevationGrid::with_vertical_offset_m`] with the tile's N makes the heights
//! ellipsoidal; left alone, the error is N metres on every terrain height.

use bulwark_geo::{EARTH_MEAN_RADIUS, Geodetic};
use std::f64::consts::{FRAC_PI_2, PI, TAU};

use crate::TerrainError;

/// Placement and size of a regular grid. Nodes lie at
/// `lat = south_lat_rad + row·dlat_rad`, `lon = west_lon_rad + col·dlon_rad`, row 0 the
/// southernmost, column 0 the westernmost (all radians).
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct GridGeometry {
    /// Latitude of the nodes of row 0 (rad).
    pub south_lat_rad: f64,
    /// Longitude of the nodes of column 0 (rad).
    pub west_lon_rad: f64,
    /// Latitude spacing between rows (rad, > 0).
    pub dlat_rad: f64,
    /// Longitude spacing between columns (rad, > 0).
    pub dlon_rad: f64,
    /// Number of rows (≥ 2).
    pub rows: usize,
    /// Number of columns (≥ 2).
    pub cols: usize,
}

impl GridGeometry {
    /// A geometry from degrees: south-west node, spacing and size.
    pub fn from_degrees(
        south_lat_deg: f64,
        west_lon_deg: f64,
        dlat_deg: f64,
        dlon_deg: f64,
        rows: usize,
        cols: usize,
    ) -> Self {
        GridGeometry {
            south_lat_rad: south_lat_deg.to_radians(),
            west_lon_rad: west_lon_deg.to_radians(),
            dlat_rad: dlat_deg.to_radians(),
            dlon_rad: dlon_deg.to_radians(),
            rows,
            cols,
        }
    }

    /// Latitude of the northernmost row (rad).
    pub fn north_lat_rad(&self) -> f64 {
        self.south_lat_rad + (self.rows.saturating_sub(1)) as f64 * self.dlat_rad
    }

    /// Longitude of the easternmost column (rad); may exceed π for a grid crossing the
    /// antimeridian.
    pub fn east_lon_rad(&self) -> f64 {
        self.west_lon_rad + (self.cols.saturating_sub(1)) as f64 * self.dlon_rad
    }

    fn validate(&self) -> Result<usize, TerrainError> {
        let bad = |why: String| Err(TerrainError::InvalidGrid(why));
        if self.rows < 2 || self.cols < 2 {
            return bad(format!("need at least 2×2 nodes to interpolate, got {}×{}", self.rows, self.cols));
        }
        let Some(n) = self.rows.checked_mul(self.cols) else {
            return bad(format!("{}×{} nodes overflow", self.rows, self.cols));
        };
        let all_finite =
            [self.south_lat_rad, self.west_lon_rad, self.dlat_rad, self.dlon_rad].iter().all(|v| v.is_finite());
        if !all_finite || self.dlat_rad <= 0.0 || self.dlon_rad <= 0.0 {
            return bad(format!(
                "origin and spacing must be finite with positive spacing, got dlat {} rad, dlon {} rad",
                self.dlat_rad, self.dlon_rad
            ));
        }
        // A little slack: grids whose edge nodes sit on ±90° computed in degrees.
        let eps = 1e-9;
        if self.south_lat_rad < -FRAC_PI_2 - eps || self.north_lat_rad() > FRAC_PI_2 + eps {
            return bad(format!(
                "latitudes {}°..{}° leave [−90°, 90°]",
                self.south_lat_rad.to_degrees(),
                self.north_lat_rad().to_degrees()
            ));
        }
        if self.east_lon_rad() - self.west_lon_rad > TAU + eps {
            return bad("the grid spans more than 360° of longitude".to_string());
        }
        Ok(n)
    }
}

/// A DEM on a regular latitude/longitude grid: heights (m above the WGS-84 ellipsoid, see the
/// module notes on the geoid) interpolated bilinearly between nodes. Voids (no-data nodes) are
/// kept; a query whose cell touches a void, or that falls outside the nodes, has no height.
#[derive(Clone, Debug)]
pub struct ElevationGrid {
    geom: GridGeometry,
    /// Row-major, row 0 south; voids are NaN and never leave the grid.
    heights: Vec<f32>,
    /// Longitude of the grid's middle: queries are wrapped to within ±π of it.
    lon_mid_rad: f64,
    /// Smallest ground distance between neighbouring nodes (m), see [`Self::min_spacing_m`].
    min_spacing_m: f64,
}

/// Highest latitude used to find the east-west node spacing for [`ElevationGrid::min_spacing_m`]:
/// meridians converge towards the poles, and a grid reaching one would otherwise ask for an
/// absurdly fine sampling step.
const SPACING_LAT_CAP_RAD: f64 = 80.0 * PI / 180.0;

impl ElevationGrid {
    /// A grid from its geometry and `rows·cols` heights in metres, row-major with row 0 the
    /// southernmost. Heights equal to `no_data`, and non-finite heights, are voids.
    pub fn new(geom: GridGeometry, heights: Vec<f32>, no_data: Option<f32>) -> Result<Self, TerrainError> {
        let n = geom.validate()?;
        if heights.len() != n {
            return Err(TerrainError::InvalidGrid(format!(
                "{}×{} nodes need {n} heights, got {}",
                geom.rows,
                geom.cols,
                heights.len()
            )));
        }
        let mut heights = heights;
        for h in &mut heights {
            if !h.is_finite() || no_data.is_some_and(|nd| *h == nd) {
                *h = f32::NAN;
            }
        }
        let lat_far = geom.south_lat_rad.abs().max(geom.north_lat_rad().abs()).min(SPACING_LAT_CAP_RAD);
        let min_spacing_m = EARTH_MEAN_RADIUS * geom.dlat_rad.min(geom.dlon_rad * lat_far.cos());
        Ok(ElevationGrid { geom, heights, lon_mid_rad: 0.5 * (geom.west_lon_rad + geom.east_lon_rad()), min_spacing_m })
    }

    /// A grid whose node heights are `f(lat_rad, lon_rad)` (m); non-finite values are voids.
    pub fn from_fn(geom: GridGeometry, f: impl Fn(f64, f64) -> f64) -> Result<Self, TerrainError> {
        geom.validate()?;
        let mut heights = Vec::with_capacity(geom.rows * geom.cols);
        for row in 0..geom.rows {
            let lat = geom.south_lat_rad + row as f64 * geom.dlat_rad;
            for col in 0..geom.cols {
                heights.push(f(lat, geom.west_lon_rad + col as f64 * geom.dlon_rad) as f32);
            }
        }
        ElevationGrid::new(geom, heights, None)
    }

    /// A flat terrain at `height_m` everywhere on the grid.
    pub fn flat(geom: GridGeometry, height_m: f64) -> Result<Self, TerrainError> {
        ElevationGrid::from_fn(geom, |_, _| height_m)
    }

    /// A Gaussian hill `h = peak_m · exp(−s² / 2σ²)` on a zero plain, s the great-circle
    /// distance (mean-earth sphere) from `centre`, σ = `sigma_m`.
    pub fn gaussian_hill(
        geom: GridGeometry,
        centre: &Geodetic,
        peak_m: f64,
        sigma_m: f64,
    ) -> Result<Self, TerrainError> {
        let c = *centre;
        ElevationGrid::from_fn(geom, move |lat, lon| {
            let s = bulwark_geo::surface_distance_m(&c, &Geodetic::new(lat, lon, 0.0));
            peak_m * (-0.5 * (s / sigma_m).powi(2)).exp()
        })
    }

    /// A Gaussian ridge running north-south along the meridian `lon_rad`:
    /// `h = peak_m · exp(−x² / 2σ²)`, x = R·cos(lat)·Δlon the east-west distance from the crest.
    pub fn meridian_ridge(geom: GridGeometry, lon_rad: f64, peak_m: f64, sigma_m: f64) -> Result<Self, TerrainError> {
        ElevationGrid::from_fn(geom, move |lat, lon| {
            let x = EARTH_MEAN_RADIUS * lat.cos() * (lon - lon_rad);
            peak_m * (-0.5 * (x / sigma_m).powi(2)).exp()
        })
    }

    /// A step: `low_m` west of the meridian `lon_rad`, `high_m` on and east of it (between the
    /// last low and the first high column the bilinear surface is a ramp one cell wide).
    pub fn meridian_step(geom: GridGeometry, lon_rad: f64, low_m: f64, high_m: f64) -> Result<Self, TerrainError> {
        ElevationGrid::from_fn(geom, move |_, lon| if lon < lon_rad { low_m } else { high_m })
    }

    /// The same grid with `offset_m` added to every height: give it the tile's geoid undulation
    /// N to turn geoid (orthometric) heights into heights above the ellipsoid.
    pub fn with_vertical_offset_m(mut self, offset_m: f64) -> Self {
        if offset_m.is_finite() {
            for h in &mut self.heights {
                *h += offset_m as f32;
            }
        }
        self
    }

    pub fn geometry(&self) -> &GridGeometry {
        &self.geom
    }

    /// Smallest ground distance between neighbouring nodes (m) on the mean-earth sphere: the
    /// north-south spacing or the east-west spacing at the grid's latitude farthest from the
    /// equator (capped at 80°). Line-of-sight sampling is never coarser than this.
    pub fn min_spacing_m(&self) -> f64 {
        self.min_spacing_m
    }

    /// Height of node (row, col) (m), `None` outside or for a void.
    pub fn node_m(&self, row: usize, col: usize) -> Option<f64> {
        if row >= self.geom.rows || col >= self.geom.cols {
            return None;
        }
        let h = self.heights[row * self.geom.cols + col];
        if h.is_nan() { None } else { Some(h as f64) }
    }

    /// Terrain height (m above the ellipsoid) at a latitude and longitude (rad) by bilinear
    /// interpolation between the four surrounding nodes. `None` outside the nodes' extent, when
    /// a node with a non-zero weight is a void (on a node or a cell edge only the nodes it
    /// touches count), or for non-finite input. Longitudes are taken modulo 2π.
    pub fn height_m(&self, lat_rad: f64, lon_rad: f64) -> Option<f64> {
        let g = &self.geom;
        let y = (lat_rad - g.south_lat_rad) / g.dlat_rad;
        let dl = wrap_pi(lon_rad - self.lon_mid_rad);
        let x = (self.lon_mid_rad + dl - g.west_lon_rad) / g.dlon_rad;
        let (row, fy) = cell(y, g.rows)?;
        let (col, fx) = cell(x, g.cols)?;
        let i = row * g.cols + col;
        let corners = [
            ((1.0 - fy) * (1.0 - fx), i),
            ((1.0 - fy) * fx, i + 1),
            (fy * (1.0 - fx), i + g.cols),
            (fy * fx, i + g.cols + 1),
        ];
        // Corners of (near) zero weight are left out, so that a query on a node or an edge
        // next to a void still has a height; a void among the others makes the sum NaN.
        let (mut sum, mut weight) = (0.0, 0.0);
        for (w, j) in corners {
            if w > ZERO_WEIGHT {
                sum += w * self.heights[j] as f64;
                weight += w;
            }
        }
        let h = sum / weight;
        if h.is_nan() { None } else { Some(h) }
    }
}

/// Bilinear weights at or below this are treated as zero (a query within ~1e-9 cell of a node).
const ZERO_WEIGHT: f64 = 1e-9;

/// The lower node index and fraction of a fractional grid coordinate `u` on `n ≥ 2` nodes, or
/// `None` outside `[0, n−1]` (with a 1e-9-cell tolerance for edges computed in degrees).
fn cell(u: f64, n: usize) -> Option<(usize, f64)> {
    let last = (n - 1) as f64;
    if !(u >= -1e-9 && u <= last + 1e-9) {
        return None;
    }
    let u = u.clamp(0.0, last);
    let i = (u.floor() as usize).min(n - 2);
    Some((i, u - i as f64))
}

/// An angle wrapped to [−π, π] (rad); non-finite stays non-finite. The common case (already
/// in range) skips the division of `rem_euclid`.
fn wrap_pi(a: f64) -> f64 {
    if a.abs() <= PI { a } else { (a + PI).rem_euclid(TAU) - PI }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn geom() -> GridGeometry {
        GridGeometry::from_degrees(10.0, 20.0, 0.01, 0.02, 5, 4)
    }

    #[test]
    fn bilinear_reproduces_a_bilinear_surface_exactly() {
        // Oracle: bilinear interpolation is exact for f = a + b·lat + c·lon + d·lat·lon
        // (de Boor, A Practical Guide to Splines, tensor-product linear interpolation).
        let f = |lat: f64, lon: f64| {
            let (u, v) = (lat.to_degrees() - 10.0, lon.to_degrees() - 20.0);
            100.0 + 3000.0 * u - 2000.0 * v + 50_000.0 * u * v
        };
        let grid = ElevationGrid::from_fn(geom(), f).unwrap();
        for &(lat, lon) in &[(10.0, 20.0), (10.013, 20.017), (10.04, 20.06), (10.0399, 20.0001), (10.025, 20.05)] {
            let (la, lo) = (f64::to_radians(lat), f64::to_radians(lon));
            let got = grid.height_m(la, lo).unwrap();
            // f32 storage: heights near 300 m carry ~3e-5 m rounding.
            assert!((got - f(la, lo)).abs() < 1e-3, "at ({lat}, {lon}): {got} vs {}", f(la, lo));
        }
    }

    #[test]
    fn outside_void_and_non_finite_queries_have_no_height() {
        let mut h = vec![5.0_f32; 20];
        h[0] = -32768.0;
        let grid = ElevationGrid::new(geom(), h, Some(-32768.0)).unwrap();
        let d = f64::to_radians;
        assert_eq!(grid.height_m(d(9.999), d(20.03)), None);
        assert_eq!(grid.height_m(d(10.041), d(20.03)), None);
        assert_eq!(grid.height_m(d(10.02), d(19.999)), None);
        assert_eq!(grid.height_m(d(10.02), d(20.061)), None);
        assert_eq!(grid.height_m(d(10.005), d(20.01)), None, "cell touching the void");
        assert_eq!(grid.height_m(d(10.015), d(20.01)), Some(5.0));
        assert_eq!(grid.height_m(f64::NAN, d(20.01)), None);
        assert_eq!(grid.height_m(d(10.015), f64::INFINITY), None);
        assert_eq!(grid.node_m(0, 0), None);
        assert_eq!(grid.node_m(4, 3), Some(5.0));
        assert_eq!(grid.node_m(5, 0), None);
    }

    #[test]
    fn longitudes_wrap_across_the_antimeridian() {
        let g = GridGeometry::from_degrees(0.0, 179.0, 1.0, 1.0, 2, 3); // 179°E .. 181°E = 179°W
        let grid = ElevationGrid::from_fn(g, |_, lon| lon.to_degrees()).unwrap();
        let h = grid.height_m(0.5_f64.to_radians(), (-179.5_f64).to_radians()).unwrap();
        assert!((h - 180.5).abs() < 1e-4, "{h}");
        let h = grid.height_m(0.5_f64.to_radians(), (179.5_f64 + 720.0).to_radians()).unwrap();
        assert!((h - 179.5).abs() < 1e-4, "{h}");
    }

    #[test]
    fn invalid_geometries_are_errors() {
        let ok = geom();
        for g in [
            GridGeometry { rows: 1, ..ok },
            GridGeometry { cols: 0, ..ok },
            GridGeometry { dlat_rad: 0.0, ..ok },
            GridGeometry { dlon_rad: -1e-4, ..ok },
            GridGeometry { south_lat_rad: f64::NAN, ..ok },
            GridGeometry { south_lat_rad: 1.5, dlat_rad: 0.1, ..ok },
            GridGeometry { rows: usize::MAX, cols: 3, ..ok },
            GridGeometry { dlon_rad: 3.0, ..ok },
        ] {
            assert!(matches!(ElevationGrid::new(g, vec![0.0; 20], None), Err(TerrainError::InvalidGrid(_))), "{g:?}");
        }
        assert!(ElevationGrid::new(ok, vec![0.0; 19], None).is_err());
    }

    #[test]
    fn synthetic_terrains_have_their_stated_shape() {
        let g = GridGeometry::from_degrees(-0.1, -0.1, 0.001, 0.001, 201, 201);
        let centre = Geodetic::new(0.0, 0.0, 0.0);
        let hill = ElevationGrid::gaussian_hill(g, &centre, 500.0, 2000.0).unwrap();
        assert!((hill.height_m(0.0, 0.0).unwrap() - 500.0).abs() < 1e-3);
        // One σ north: peak·e^(−1/2). 2000 m north is 2000/R rad; bilinear error is second order.
        let h = hill.height_m(2000.0 / EARTH_MEAN_RADIUS, 0.0).unwrap();
        assert!((h - 500.0 * (-0.5_f64).exp()).abs() < 0.5, "{h}");
        let ridge = ElevationGrid::meridian_ridge(g, 0.0, 300.0, 1000.0).unwrap();
        assert!((ridge.height_m(0.05_f64.to_radians(), 0.0).unwrap() - 300.0).abs() < 1e-3);
        let step = ElevationGrid::meridian_step(g, (-0.0005_f64).to_radians(), 10.0, 60.0).unwrap();
        assert_eq!(step.height_m(0.0, (-0.002_f64).to_radians()), Some(10.0));
        assert_eq!(step.height_m(0.0, 0.0005_f64.to_radians()), Some(60.0));
        let flat = ElevationGrid::flat(g, 7.0).unwrap().with_vertical_offset_m(-3.0);
        assert_eq!(flat.height_m(0.01, 0.0), None);
        assert_eq!(flat.height_m(0.001, 0.0), Some(4.0));
        // 0.001° of longitude at the grid's edge latitude 0.1°, on the mean sphere.
        let expected = EARTH_MEAN_RADIUS * 0.001_f64.to_radians() * 0.1_f64.to_radians().cos();
        assert!((flat.min_spacing_m() - expected).abs() < 1e-6);
    }
}
