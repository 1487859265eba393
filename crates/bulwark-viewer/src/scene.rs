//! `scene.json`: the scenario geometry a run directory does not otherwise carry (sites, radar
//! sectors and coverage, launchers, defended assets), written beside the outputs by the CLI,
//! which has the scenario. Positions are in the scenario's ENU frame (m) and geodetic (deg).
use serde::{Deserialize, Serialize};

/// File name of the scene inside a run directory.
pub const SCENE_FILE: &str = "scene.json";

/// The scenario geometry of a run.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Scene {
    pub scenario: String,
    /// Scenario ENU origin.
    pub origin: LatLon,
    pub units: Vec<SceneUnit>,
    pub radars: Vec<SceneRadar>,
    pub launchers: Vec<SceneLauncher>,
    pub assets: Vec<SceneAsset>,
    /// Detection coverage of the radars, if computed.
    pub coverage: Option<SceneCoverage>,
}

#[derive(Copy, Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct LatLon {
    pub lat_deg: f64,
    pub lon_deg: f64,
    pub alt_m: f64,
}

/// A point in the scenario ENU frame (m).
#[derive(Copy, Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Enu {
    pub east_m: f64,
    pub north_m: f64,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SceneUnit {
    pub name: String,
    pub system: String,
    pub site: Enu,
    pub facing_deg: f64,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SceneRadar {
    /// Index into [`Scene::units`].
    pub unit: usize,
    pub type_id: String,
    pub name: String,
    pub position: Enu,
    /// Azimuth sector: centre and total width (deg, clockwise from north; 360 = all round).
    pub sector_centre_deg: f64,
    pub sector_width_deg: f64,
    /// Instrumented range (m).
    pub max_range_m: f64,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SceneLauncher {
    pub unit: usize,
    pub type_id: String,
    pub position: Enu,
    /// Interceptors loaded at the start, by type.
    pub missiles: Vec<(String, u32)>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SceneAsset {
    pub name: String,
    pub position: Enu,
    pub radius_m: f64,
}

/// Detection range by azimuth for each radar, altitude and RCS (from the coverage model).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SceneCoverage {
    pub pd: f64,
    pub altitudes_m: Vec<f64>,
    pub rcs_m2: Vec<f64>,
    /// Azimuth of the first sample and the step (deg).
    pub azimuth_step_deg: f64,
    pub rings: Vec<CoverageRing>,
}

/// Outer detection ground range (m, rounded) at each azimuth sample; 0 where not detected.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CoverageRing {
    /// Index into [`Scene::radars`].
    pub radar: usize,
    pub altitude_m: f64,
    pub rcs_m2: f64,
    pub outer_m: Vec<u32>,
}
