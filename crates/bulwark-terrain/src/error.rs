//! Errors of the terrain crate: bad grids, unreadable or unsupported DEM files, bad parameters.

use std::path::PathBuf;

/// Why a grid could not be built or a DEM file could not be read. File errors name the file.
#[derive(Debug, thiserror::Error)]
pub enum TerrainError {
    /// The grid geometry or the height vector is inconsistent (sizes, spacing, extent).
    #[error("invalid elevation grid: {0}")]
    InvalidGrid(String),
    /// A masking parameter (refraction factor, sampling step) is out of range.
    #[error("invalid terrain-masking parameter: {0}")]
    InvalidParameter(String),
    /// The file could not be opened or read.
    #[error("{}: cannot read DEM file: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The file is not a TIFF the decoder understands (corrupt, truncated, unknown codec).
    #[error("{}: not a readable TIFF: {reason}", path.display())]
    Decode { path: PathBuf, reason: String },
    /// A TIFF whose GeoTIFF tags are missing or inconsistent.
    #[error("{}: malformed GeoTIFF: {reason}", path.display())]
    Malformed { path: PathBuf, reason: String },
    /// A valid GeoTIFF this reader does not handle (another CRS, a rotated grid, several bands).
    #[error("{}: unsupported GeoTIFF: {reason}", path.display())]
    Unsupported { path: PathBuf, reason: String },
}
