//! The [`Masking`] trait that sensors and coverage tools take as `&dyn Masking`, with its two
//! implementations: [`TerrainMask`] (a DEM, line of sight with refraction) and [`NoTerrain`].

use std::sync::Arc;

use bulwark_geo::Geodetic;

use crate::{ElevationGrid, TerrainError, Visibility, line_of_sight};

/// One job: can a sensor at `from` see a point at `to` past the terrain? Positions are
/// geodetic with heights above the ellipsoid.
pub trait Masking: Send + Sync {
    fn visible(&self, from: &Geodetic, to: &Geodetic) -> bool;
}

/// No terrain: everything is visible. The smooth-earth radar horizon is left to the caller
/// (`bulwark_geo::above_radar_horizon`).
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct NoTerrain;

impl Masking for NoTerrain {
    fn visible(&self, _from: &Geodetic, _to: &Geodetic) -> bool {
        true
    }
}

/// Terrain masking by [`line_of_sight`] over a shared DEM with refraction factor `k` and
/// sampling step `step_m`. It includes the earth's curvature (terrain beyond the DEM is the
/// ellipsoid), so it also enforces the smooth-earth horizon for the same k.
#[derive(Clone, Debug)]
pub struct TerrainMask {
    grid: Arc<ElevationGrid>,
    k: f64,
    step_m: f64,
}

impl TerrainMask {
    /// A mask over `grid` with refraction factor `k` (4/3 standard; finite, > 0) sampling every
    /// `step_m` metres (finite, > 0; the grid spacing is used where finer).
    pub fn new(grid: Arc<ElevationGrid>, k: f64, step_m: f64) -> Result<Self, TerrainError> {
        if !(k.is_finite() && k > 0.0) {
            return Err(TerrainError::InvalidParameter(format!("refraction factor k must be finite and > 0, got {k}")));
        }
        if !(step_m.is_finite() && step_m > 0.0) {
            return Err(TerrainError::InvalidParameter(format!(
                "sampling step must be finite and > 0 m, got {step_m}"
            )));
        }
        Ok(TerrainMask { grid, k, step_m })
    }

    pub fn grid(&self) -> &Arc<ElevationGrid> {
        &self.grid
    }

    pub fn k(&self) -> f64 {
        self.k
    }

    pub fn step_m(&self) -> f64 {
        self.step_m
    }

    /// The full answer, with the masking point.
    pub fn line_of_sight(&self, from: &Geodetic, to: &Geodetic) -> Visibility {
        line_of_sight(&self.grid, from, to, self.k, self.step_m)
    }
}

impl Masking for TerrainMask {
    /// Visible only for [`Visibility::Visible`]; invalid (non-finite) positions are not visible.
    fn visible(&self, from: &Geodetic, to: &Geodetic) -> bool {
        self.line_of_sight(from, to).is_visible()
    }
}
