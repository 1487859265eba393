//! Terrain masking for Bulwark.
//!
//! - [`ElevationGrid`]: a regular latitude/longitude DEM (heights in metres, taken as above the
//!   WGS-84 ellipsoid, see [`grid`] on the geoid), bilinear interpolation, voids; synthetic
//!   terrains; [`ElevationGrid::from_geotiff`] for SRTM/Copernicus-style EPSG:4326 GeoTIFFs.
//! - [`line_of_sight`]: straight rays over the effective (k = 4/3) earth, sampled along the
//!   great circle, reporting the masking point ([`los`] has the formula and references).
//! - [`horizon_profile`]: the lowest visible target height along one azimuth, for coverage maps.
//! - [`Masking`]: the one-method trait sensors and coverage tools take as `&dyn Masking`, with
//!   [`TerrainMask`] (a DEM) and [`NoTerrain`] (nothing masks; the horizon is handled elsewhere).
#![forbid(unsafe_code)]

mod error;
mod geotiff;
pub mod grid;
pub mod los;
mod masking;

pub use error::TerrainError;
pub use grid::{ElevationGrid, GridGeometry};
pub use los::{MAX_SAMPLES, MaskPoint, Visibility, horizon_profile, line_of_sight};
pub use masking::{Masking, NoTerrain, TerrainMask};
