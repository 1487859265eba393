//! Tracker TOML: choose a tracker's components by name, as Stone Soup's YAML does, in a small
//! checked schema. [`TrackerToml::parse`] reads the text (unknown keys and names are errors,
//! with the byte span of the culprit); [`build_tracker`] maps the names to components and is
//! the one place where a name is wired to its implementation; [`build_sensors`] builds the
//! measurement models.
//!
//! ```toml
//! [[sensor]]                        # or one [sensor] table; id defaults to 0
//! id = 0
//! position_m = [0.0, 0.0, 0.0]      # tracker frame, m (2 or 3 values)
//! measurement = "bearing-range"     # bearing-range | range-az-el | range-az-el-rr | cartesian | angle-only
//! sigma_bearing_deg = 0.2           # bearing / azimuth σ, deg
//! sigma_range_m = 50.0
//! # sigma_elevation_deg, sigma_range_rate_mps, sigma_position_m (cartesian)
//!
//! [filter]
//! kind = "ekf"                      # ekf | ukf | imm
//! motion = "cv"                     # cv | ca | ct | singer | ballistic
//! q = 1.0                           # acceleration noise spectral density, m²/s³
//! # imm: models = ["cv", "ct"], switch_probability = 0.05
//! # ct: turn_rate_q (rad²/s³); singer: singer_tau_s, singer_sigma_mps2; ukf: ukf_alpha, ukf_beta, ukf_kappa
//! # ballistic: ballistic_coefficient_kg_m2 (drag β, kg/m²; absent: vacuum)
//!
//! [gate]
//! mahalanobis = 3.0                 # d ≤ 3 (d² ≤ 9), or: probability = 0.999
//!
//! [associator]
//! kind = "gnn"                      # gnn | jpda | jipda | mht
//! # jpda/jipda/mht: detection_probability, clutter_density; mht: max_hypotheses, scan_depth
//!
//! [initiator]
//! kind = "m-of-n"                   # m-of-n | sprt
//! m = 3
//! n = 4
//! velocity_sigma_mps = 300.0        # σ of the single-point velocity prior, m/s
//! # sprt: alpha (false-track confirmation probability), beta (true-track deletion probability)
//!
//! [deleter]
//! misses = 5                        # consecutive missed scans that delete a confirmed track
//!
//! [fusion]                          # several sensors: out-of-sequence bounds (FusionTracker)
//! max_lag_s = 10.0                  # oldest accepted delay behind the newest scan, s
//! max_updates = 64                  # updates kept per track for reprocessing
//! ```
//!
//! [`build_fusion_tracker`] builds the multi-sensor front end ([`FusionTracker`]); `bulwark
//! track` uses it when [`TrackerToml::wants_fusion`] says so.
use crate::error::ConfigError;
use crate::filter::{
    Ballistic, CoordinatedTurn, Drag, Imm, Layout, MerweScaledSigmaPoints, MotionModel, NearlyConstantAcceleration,
    NearlyConstantVelocity, Singer as SingerModel, UnscentedKalmanUpdater,
};
use crate::fusion::{FusionConfig, FusionTracker};
use crate::gating::Gate;
use crate::jpda::{JpdaConfig, JpdaTracker};
use crate::kalman::Updater;
use crate::measurement::{AngleOnly, BearingRange2D, Cartesian, MeasurementModel, RangeAzElRr, SensorPose};
use crate::mht::{MhtConfig, MhtTracker};
use crate::multi::MultiTargetTracker;
use crate::track::{Sprt, TrackLogic};
use crate::tracker::{Tracker, TrackerConfig, TrackerImm};
use bulwark_core::Vec3;
use nalgebra::DMatrix;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::ops::Range;
use std::sync::Arc;
use thiserror::Error;
use toml::Spanned;

/// A tracker TOML error: what is wrong and where (byte span in the text, if known).
#[derive(Clone, Debug, PartialEq, Eq, Error)]
#[error("{message}")]
pub struct TomlError {
    pub span: Option<Range<usize>>,
    pub message: String,
}

impl TomlError {
    fn at(span: Range<usize>, message: impl Into<String>) -> Self {
        Self { span: (span.end > 0).then_some(span), message: message.into() }
    }
    /// 1-based line and column (in characters) of the span's start in `text`.
    pub fn line_col(&self, text: &str) -> Option<(usize, usize)> {
        let mut start = self.span.as_ref()?.start.min(text.len());
        while !text.is_char_boundary(start) {
            start -= 1;
        }
        let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
        Some((text[..start].matches('\n').count() + 1, text[line_start..start].chars().count() + 1))
    }
    /// `file:line:col: error: message` (or `file: error: message` without a span).
    pub fn render(&self, file: &str, text: &str) -> String {
        match self.line_col(text) {
            Some((l, c)) => format!("{file}:{l}:{c}: error: {}", self.message),
            None => format!("{file}: error: {}", self.message),
        }
    }
}

/// What a sensor measures; see [`build_sensors`] for each model and the order of z.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum MeasurementKind {
    /// Planar bearing atan2(Δy, Δx) and range ([`BearingRange2D`]).
    BearingRange,
    /// Range, azimuth, elevation ([`RangeAzElRr`]).
    RangeAzEl,
    /// Range, azimuth, elevation and range rate ([`RangeAzElRr`]).
    RangeAzElRr,
    /// Cartesian position x, y, z ([`Cartesian`]).
    Cartesian,
    /// Bearing (and elevation) only.
    AngleOnly,
}

impl MeasurementKind {
    /// True when the measurement locates the target in three dimensions.
    pub fn is_3d(self) -> bool {
        matches!(self, Self::RangeAzEl | Self::RangeAzElRr | Self::Cartesian)
    }
    pub fn name(self) -> &'static str {
        match self {
            Self::BearingRange => "bearing-range",
            Self::RangeAzEl => "range-az-el",
            Self::RangeAzElRr => "range-az-el-rr",
            Self::Cartesian => "cartesian",
            Self::AngleOnly => "angle-only",
        }
    }
}

/// One sensor.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SensorToml {
    /// Matches the `sensor` column of the detections; default 0.
    #[serde(default)]
    pub id: u32,
    /// Sensor origin in the tracker frame, m: [x, y] or [x, y, z]; default the origin.
    pub position_m: Option<Spanned<Vec<f64>>>,
    pub measurement: Spanned<MeasurementKind>,
    /// Bearing (azimuth) σ, deg.
    pub sigma_bearing_deg: Option<f64>,
    pub sigma_range_m: Option<f64>,
    pub sigma_elevation_deg: Option<f64>,
    pub sigma_range_rate_mps: Option<f64>,
    /// Per-axis σ of a Cartesian position measurement, m.
    pub sigma_position_m: Option<f64>,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FilterKind {
    Ekf,
    Ukf,
    Imm,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum MotionKind {
    /// Nearly constant velocity (white-noise acceleration).
    Cv,
    /// Nearly constant acceleration.
    Ca,
    /// Coordinated turn.
    Ct,
    /// Singer manoeuvre model.
    Singer,
    /// Free fall under point-mass gravity, with drag when `ballistic_coefficient_kg_m2` is set
    /// ([`crate::filter::Ballistic`]): re-entry tracks.
    Ballistic,
}

/// The filter: estimator and motion model(s).
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FilterToml {
    #[serde(default = "FilterToml::default_kind")]
    pub kind: Spanned<FilterKind>,
    #[serde(default = "FilterToml::default_motion")]
    pub motion: Spanned<MotionKind>,
    /// IMM: the models mixed.
    pub models: Option<Vec<Spanned<MotionKind>>>,
    /// IMM: probability of switching model between two scans.
    pub switch_probability: Option<f64>,
    /// Acceleration noise spectral density, m²/s³.
    #[serde(default = "FilterToml::default_q")]
    pub q: Spanned<f64>,
    /// Coordinated turn: turn-rate noise spectral density, rad²/s³.
    pub turn_rate_q: Option<f64>,
    /// Singer: manoeuvre time constant, s, and acceleration σ, m/s².
    pub singer_tau_s: Option<f64>,
    pub singer_sigma_mps2: Option<f64>,
    /// Ballistic: β = m/(C_D·A) of the drag, kg/m² (absent: vacuum).
    pub ballistic_coefficient_kg_m2: Option<f64>,
    /// UKF sigma-point parameters α, β, κ.
    pub ukf_alpha: Option<f64>,
    pub ukf_beta: Option<f64>,
    pub ukf_kappa: Option<f64>,
}

impl FilterToml {
    fn default_kind() -> Spanned<FilterKind> {
        Spanned::new(0..0, FilterKind::Ekf)
    }
    fn default_motion() -> Spanned<MotionKind> {
        Spanned::new(0..0, MotionKind::Cv)
    }
    fn default_q() -> Spanned<f64> {
        Spanned::new(0..0, 1.0)
    }
    /// `q`, m²/s³.
    fn q(&self) -> f64 {
        *self.q.get_ref()
    }
}

impl Default for FilterToml {
    fn default() -> Self {
        Self {
            kind: Self::default_kind(),
            motion: Self::default_motion(),
            models: None,
            switch_probability: None,
            q: Self::default_q(),
            turn_rate_q: None,
            singer_tau_s: None,
            singer_sigma_mps2: None,
            ballistic_coefficient_kg_m2: None,
            ukf_alpha: None,
            ukf_beta: None,
            ukf_kappa: None,
        }
    }
}

/// The validation gate: exactly one of `mahalanobis` (d ≤ g, i.e. d² ≤ g²) and `probability`
/// (P_G, threshold from the χ² quantile of the measurement dimension). Default P_G = 0.999.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GateToml {
    pub mahalanobis: Option<Spanned<f64>>,
    pub probability: Option<Spanned<f64>>,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum AssociatorKind {
    Gnn,
    Jpda,
    Jipda,
    Mht,
}

/// Data association.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AssociatorToml {
    #[serde(default = "AssociatorToml::default_kind")]
    pub kind: Spanned<AssociatorKind>,
    /// P_D in (0, 1] (JPDA, JIPDA, MHT; (0, 1) for SPRT).
    pub detection_probability: Option<Spanned<f64>>,
    /// False alarms per unit measurement-space volume (JPDA, JIPDA, MHT).
    pub clutter_density: Option<Spanned<f64>>,
    /// MHT: hypotheses kept, and scans before N-scan pruning.
    pub max_hypotheses: Option<u32>,
    pub scan_depth: Option<u32>,
    /// New targets per unit measurement-space volume per scan (MHT, SPRT).
    pub new_target_density: Option<Spanned<f64>>,
}

impl AssociatorToml {
    fn default_kind() -> Spanned<AssociatorKind> {
        Spanned::new(0..0, AssociatorKind::Gnn)
    }
}

impl Default for AssociatorToml {
    fn default() -> Self {
        Self {
            kind: Self::default_kind(),
            detection_probability: None,
            clutter_density: None,
            max_hypotheses: None,
            scan_depth: None,
            new_target_density: None,
        }
    }
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum InitiatorKind {
    MOfN,
    Sprt,
}

/// Track initiation and confirmation.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InitiatorToml {
    #[serde(default = "InitiatorToml::default_kind")]
    pub kind: Spanned<InitiatorKind>,
    /// M-of-N: confirm after `m` hits within the first `n` scans (default 3 of 4).
    #[serde(default = "InitiatorToml::default_m")]
    pub m: Spanned<u32>,
    #[serde(default = "InitiatorToml::default_n")]
    pub n: Spanned<u32>,
    /// σ of the single-point velocity prior N(0, σ² I), m/s (default 300).
    #[serde(default = "InitiatorToml::default_velocity_sigma")]
    pub velocity_sigma_mps: Spanned<f64>,
    /// SPRT: probability of confirming a false track (α) and of deleting a true one (β).
    pub alpha: Option<Spanned<f64>>,
    pub beta: Option<Spanned<f64>>,
}

impl InitiatorToml {
    fn default_kind() -> Spanned<InitiatorKind> {
        Spanned::new(0..0, InitiatorKind::MOfN)
    }
    fn default_m() -> Spanned<u32> {
        Spanned::new(0..0, 3)
    }
    fn default_n() -> Spanned<u32> {
        Spanned::new(0..0, 4)
    }
    fn default_velocity_sigma() -> Spanned<f64> {
        Spanned::new(0..0, 300.0)
    }
}

impl Default for InitiatorToml {
    fn default() -> Self {
        Self {
            kind: Self::default_kind(),
            m: Self::default_m(),
            n: Self::default_n(),
            velocity_sigma_mps: Self::default_velocity_sigma(),
            alpha: None,
            beta: None,
        }
    }
}

/// Track deletion.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeleterToml {
    /// Consecutive missed scans that delete a confirmed track (default 5).
    #[serde(default = "DeleterToml::default_misses")]
    pub misses: Spanned<u32>,
}

impl DeleterToml {
    fn default_misses() -> Spanned<u32> {
        Spanned::new(0..0, 5)
    }
}

impl Default for DeleterToml {
    fn default() -> Self {
        Self { misses: Self::default_misses() }
    }
}

/// Multi-sensor fusion: the bounds of the out-of-sequence handling ([`FusionConfig`]).
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FusionToml {
    /// Largest accepted delay of a detection behind the newest processed scan, s (default 10).
    /// Older detections are rejected and counted; each track keeps this much update history.
    #[serde(default = "FusionToml::default_max_lag")]
    pub max_lag_s: Spanned<f64>,
    /// Most updates kept per track for reprocessing (≥ 1, default 64).
    #[serde(default = "FusionToml::default_max_updates")]
    pub max_updates: Spanned<u32>,
}

impl FusionToml {
    fn default_max_lag() -> Spanned<f64> {
        Spanned::new(0..0, FusionConfig::default().max_lag_s)
    }
    fn default_max_updates() -> Spanned<u32> {
        Spanned::new(0..0, FusionConfig::default().max_updates as u32)
    }
}

impl Default for FusionToml {
    fn default() -> Self {
        Self { max_lag_s: Self::default_max_lag(), max_updates: Self::default_max_updates() }
    }
}

/// A whole tracker file. Every table is optional except where the caller needs sensors.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrackerToml {
    /// One `[sensor]` table or several `[[sensor]]` tables.
    #[serde(default, deserialize_with = "one_or_many")]
    pub sensor: Vec<SensorToml>,
    #[serde(default)]
    pub filter: FilterToml,
    #[serde(default)]
    pub gate: GateToml,
    #[serde(default)]
    pub associator: AssociatorToml,
    #[serde(default)]
    pub initiator: InitiatorToml,
    #[serde(default)]
    pub deleter: DeleterToml,
    /// Out-of-sequence bounds of the multi-sensor front end; see [`TrackerToml::wants_fusion`].
    pub fusion: Option<FusionToml>,
}

/// Accepts `[sensor]` (one table) as well as `[[sensor]]` (an array of tables).
fn one_or_many<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<SensorToml>, D::Error> {
    struct OneOrMany;
    impl<'de> Visitor<'de> for OneOrMany {
        type Value = Vec<SensorToml>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a [sensor] table or [[sensor]] tables")
        }
        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
            Ok(vec![SensorToml::deserialize(de::value::MapAccessDeserializer::new(map))?])
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            let mut v = Vec::new();
            while let Some(s) = seq.next_element()? {
                v.push(s);
            }
            Ok(v)
        }
    }
    d.deserialize_any(OneOrMany)
}

impl TrackerToml {
    /// Parses the text of a tracker TOML file.
    pub fn parse(text: &str) -> Result<Self, TomlError> {
        toml::from_str(text)
            .map_err(|e: toml::de::Error| TomlError { span: e.span(), message: e.message().trim_end().to_string() })
    }

    /// True when any sensor measures in three dimensions.
    pub fn is_3d(&self) -> bool {
        self.sensor.iter().any(|s| s.measurement.get_ref().is_3d())
    }

    /// True when the detections should go through the multi-sensor front end
    /// ([`build_fusion_tracker`]): the file has a `[fusion]` table, or it defines several sensors
    /// and uses the `gnn` associator (the one [`FusionTracker`] wraps).
    pub fn wants_fusion(&self) -> bool {
        self.fusion.is_some() || (self.sensor.len() > 1 && *self.associator.kind.get_ref() == AssociatorKind::Gnn)
    }

    /// The gate the file asks for.
    pub fn gate(&self) -> Result<Gate, TomlError> {
        let gate = match (&self.gate.mahalanobis, &self.gate.probability) {
            (Some(_), Some(p)) => {
                return Err(TomlError::at(p.span(), "give either `mahalanobis` or `probability`, not both"));
            }
            (Some(g), None) => {
                let v = *g.get_ref();
                if !(v.is_finite() && v > 0.0) {
                    return Err(TomlError::at(g.span(), format!("`mahalanobis` must be positive, got {v}")));
                }
                Gate::Threshold(v * v)
            }
            (None, Some(p)) => {
                let v = *p.get_ref();
                if !(v > 0.0 && v < 1.0) {
                    return Err(TomlError::at(p.span(), format!("`probability` must lie in (0, 1), got {v}")));
                }
                Gate::Probability(v)
            }
            (None, None) => Gate::Probability(0.999),
        };
        Ok(gate)
    }
}

fn name<T: Serialize>(v: &T) -> String {
    toml::Value::try_from(v).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
}

/// One motion model of the file, in `layout`.
fn motion_model(f: &FilterToml, kind: &Spanned<MotionKind>, layout: Layout) -> Result<Arc<dyn MotionModel>, TomlError> {
    let at =
        |e: crate::error::ModelError| TomlError::at(kind.span(), format!("[filter] {}: {e}", name(kind.get_ref())));
    let need = |v: Option<f64>, key: &str| {
        v.ok_or_else(|| TomlError::at(kind.span(), format!("motion `{}` needs `{key}`", name(kind.get_ref()))))
    };
    Ok(match kind.get_ref() {
        MotionKind::Cv => Arc::new(NearlyConstantVelocity::new(f.q(), layout).map_err(at)?),
        MotionKind::Ca => Arc::new(NearlyConstantAcceleration::new(f.q(), layout).map_err(at)?),
        MotionKind::Ct => {
            Arc::new(CoordinatedTurn::new(f.q(), f.q(), need(f.turn_rate_q, "turn_rate_q")?, layout).map_err(at)?)
        }
        MotionKind::Singer => Arc::new(
            SingerModel::new(
                need(f.singer_tau_s, "singer_tau_s")?,
                need(f.singer_sigma_mps2, "singer_sigma_mps2")?,
                layout,
            )
            .map_err(at)?,
        ),
        MotionKind::Ballistic => {
            Arc::new(Ballistic::new(f.q(), f.ballistic_coefficient_kg_m2.map(Drag::zarchan), layout).map_err(at)?)
        }
    })
}

/// The per-track IMM of `models` (one model: a one-mode IMM in the model's own layout; several:
/// the common 10-D layout). Mode switching: stay with 1 − p, move to each other mode with
/// p/(n − 1), p = `switch_probability` (default 0.05); new tracks start with equal mode
/// probabilities, acceleration σ 10 m/s² and turn-rate σ 0.1 rad/s.
fn tracker_imm(f: &FilterToml, models: &[Spanned<MotionKind>]) -> Result<TrackerImm, TomlError> {
    let n = models.len();
    let layout = if n == 1 { Layout::Native } else { Layout::Common };
    let built = models.iter().map(|m| motion_model(f, m, layout)).collect::<Result<Vec<_>, _>>()?;
    let p = f.switch_probability.unwrap_or(0.05);
    if !(0.0..1.0).contains(&p) {
        return Err(TomlError::at(f.kind.span(), format!("`switch_probability` must lie in [0, 1), got {p}")));
    }
    let off = if n > 1 { p / (n - 1) as f64 } else { 0.0 };
    let transition = DMatrix::from_fn(n, n, |i, j| if i == j { if n > 1 { 1.0 - p } else { 1.0 } } else { off });
    let imm = Imm::new(built, transition).map_err(|e| TomlError::at(f.kind.span(), format!("[filter] imm: {e}")))?;
    let extra_variances = match (n, models[0].get_ref()) {
        (1, MotionKind::Ct) => vec![1e-2],
        (1, _) => vec![100.0],
        _ => vec![100.0, 100.0, 100.0, 1e-2],
    };
    Ok(TrackerImm { imm: Arc::new(imm), initial_probabilities: vec![1.0 / n as f64; n], extra_variances })
}

/// Builds the tracker the file describes. This is the one place that maps component names to
/// implementations; a name whose component this build lacks is an error naming it.
///
/// - `[associator] kind`: `gnn` ([`Tracker`]), `jpda` / `jipda` ([`JpdaTracker`]), `mht`
///   ([`MhtTracker`]). JPDA, JIPDA and MHT need `detection_probability` and `clutter_density`,
///   the MHT also `new_target_density`; they run their own confirmation logic (M-of-N for JPDA,
///   existence for JIPDA, track score for MHT), so `[initiator] kind = "sprt"` goes with `gnn`.
/// - `[filter] kind`: `ekf`, `ukf` (Merwe sigma points, α/β/κ default 1e-3/2/0, CV only) or
///   `imm` over `models`; `motion` `ca`, `ct` (needs `turn_rate_q`) or `singer` (needs
///   `singer_tau_s`, `singer_sigma_mps2`) alone runs as a one-mode IMM.
/// - `[initiator] kind = "sprt"`: Wald's SPRT on the track score with α, β and the associator
///   table's P_D, clutter and new-target densities.
pub fn build_tracker(cfg: &TrackerToml) -> Result<Box<dyn MultiTargetTracker>, TomlError> {
    let (tc, updater) = tracker_parts(cfg)?;
    let to_err = |e: ConfigError| TomlError { span: None, message: e.to_string() };
    let f = &cfg.filter;
    let a = &cfg.associator;
    let need = |v: &Option<Spanned<f64>>, key: &str| {
        v.as_ref().map(|v| *v.get_ref()).ok_or_else(|| {
            TomlError::at(a.kind.span(), format!("associator `{}` needs `{key}`", name(a.kind.get_ref())))
        })
    };
    // Associator.
    let tracker: Box<dyn MultiTargetTracker> = match a.kind.get_ref() {
        AssociatorKind::Gnn => Box::new(gnn(tc, updater)?),
        kind @ (AssociatorKind::Jpda | AssociatorKind::Jipda) => {
            let jipda = *kind == AssociatorKind::Jipda;
            let mut jc = JpdaConfig::constant_velocity(
                f.q(),
                need(&a.detection_probability, "detection_probability")?,
                need(&a.clutter_density, "clutter_density")?,
                jipda,
            );
            jc.transition = tc.transition;
            jc.gate = tc.gate;
            jc.confirm_m = tc.confirm_m;
            jc.confirm_n = tc.confirm_n;
            jc.delete_misses = tc.delete_misses;
            jc.init_velocity_sigma_mps = tc.init_velocity_sigma_mps;
            let t = JpdaTracker::new(jc).map_err(to_err)?;
            Box::new(match updater {
                Some(u) => t.with_updater(u),
                None => t,
            })
        }
        AssociatorKind::Mht => {
            if updater.is_some() {
                return Err(TomlError::at(f.kind.span(), "the MHT runs the EKF only; use `kind = \"ekf\"`"));
            }
            let mut mc = MhtConfig::constant_velocity(
                f.q(),
                need(&a.detection_probability, "detection_probability")?,
                need(&a.clutter_density, "clutter_density")?,
                need(&a.new_target_density, "new_target_density")?,
            );
            mc.transition = tc.transition;
            mc.gate = tc.gate;
            mc.init_velocity_sigma_mps = tc.init_velocity_sigma_mps;
            if let Some(k) = a.max_hypotheses {
                mc.max_hypotheses = k as usize;
            }
            if let Some(n) = a.scan_depth {
                mc.n_scan = n;
            }
            Box::new(MhtTracker::new(mc).map_err(to_err)?)
        }
    };
    Ok(tracker)
}

/// The single-hypothesis (`gnn`) [`Tracker`] the file describes, as the engine runs it per
/// unit: any filter and motion model of [`build_tracker`]; another associator is an error at
/// its `kind`.
pub fn build_gnn_tracker(cfg: &TrackerToml) -> Result<Tracker, TomlError> {
    let a = &cfg.associator.kind;
    if *a.get_ref() != AssociatorKind::Gnn {
        let msg = format!(
            "associator `{}`: only `gnn` runs here (JPDA, JIPDA and MHT are `bulwark track`'s)",
            name(a.get_ref())
        );
        return Err(TomlError::at(a.span(), msg));
    }
    let (tc, updater) = tracker_parts(cfg)?;
    gnn(tc, updater)
}

/// A [`Tracker`] of `tc`, with `updater` in place of the EKF update when given.
fn gnn(tc: TrackerConfig, updater: Option<Box<dyn Updater>>) -> Result<Tracker, TomlError> {
    let t = Tracker::new(tc).map_err(|e| TomlError { span: None, message: e.to_string() })?;
    Ok(match updater {
        Some(u) => t.with_updater(u),
        None => t,
    })
}

/// The multi-sensor front end ([`FusionTracker`]) the file describes: the `gnn` tracker of
/// [`build_tracker`] with the `[fusion]` bounds (defaults: [`FusionConfig::default`]). Scans of
/// every sensor are applied in time order; a detection up to `max_lag_s` older than the newest
/// scan is applied by reprocessing, an older one is rejected and counted.
pub fn build_fusion_tracker(cfg: &TrackerToml) -> Result<FusionTracker, TomlError> {
    let a = &cfg.associator;
    if *a.kind.get_ref() != AssociatorKind::Gnn {
        return Err(TomlError::at(
            a.kind.span(),
            format!("multi-sensor fusion ([fusion]) runs the `gnn` associator, not `{}`", name(a.kind.get_ref())),
        ));
    }
    let ft = cfg.fusion.clone().unwrap_or_default();
    let lag = *ft.max_lag_s.get_ref();
    if !(lag.is_finite() && lag >= 0.0) {
        return Err(TomlError::at(ft.max_lag_s.span(), format!("`max_lag_s` must be finite and ≥ 0, got {lag}")));
    }
    let max_updates = *ft.max_updates.get_ref();
    if max_updates == 0 {
        return Err(TomlError::at(ft.max_updates.span(), "`max_updates` must be ≥ 1"));
    }
    let (tc, updater) = tracker_parts(cfg)?;
    let fusion = FusionConfig { max_lag_s: lag, max_updates: max_updates as usize };
    let t = FusionTracker::new(tc, fusion).map_err(|e| TomlError { span: None, message: e.to_string() })?;
    Ok(match updater {
        Some(u) => t.with_updater(u),
        None => t,
    })
}

/// The tracker parameters and the estimator (None: the built-in EKF) the file describes.
/// SPRT α and β when the file gives none.
const SPRT_ALPHA: f64 = 1e-4;
const SPRT_BETA: f64 = 1e-2;

/// The file's numbers checked against their ranges under the file's own keys and at their
/// line and column, before they become the components' parameters (whose own checks would
/// name internal fields such as `pd` or `p_miss`, with no place in the file).
fn check_ranges(cfg: &TrackerToml) -> Result<(), TomlError> {
    fn check<T: Copy + fmt::Display>(v: &Spanned<T>, key: &str, ok: bool, want: &str) -> Result<(), TomlError> {
        if ok { Ok(()) } else { Err(TomlError::at(v.span(), format!("`{key}` must be {want}, got {}", v.get_ref()))) }
    }
    let positive = |v: f64| v.is_finite() && v > 0.0;
    let probability = |v: f64| v > 0.0 && v < 1.0;
    let q = &cfg.filter.q;
    check(q, "[filter] q", q.get_ref().is_finite() && *q.get_ref() >= 0.0, "finite and ≥ 0")?;
    let (a, init) = (&cfg.associator, &cfg.initiator);
    let sprt = *init.kind.get_ref() == InitiatorKind::Sprt;
    if let Some(pd) = &a.detection_probability {
        let v = *pd.get_ref();
        if sprt {
            check(pd, "[associator] detection_probability", probability(v), "in (0, 1) for `sprt`")?;
        } else {
            check(pd, "[associator] detection_probability", v > 0.0 && v <= 1.0, "in (0, 1]")?;
        }
    }
    for (v, key) in [
        (&a.clutter_density, "[associator] clutter_density"),
        (&a.new_target_density, "[associator] new_target_density"),
    ] {
        if let Some(v) = v {
            check(v, key, positive(*v.get_ref()), "finite and > 0")?;
        }
    }
    for (v, key) in [(&init.alpha, "[initiator] alpha"), (&init.beta, "[initiator] beta")] {
        if let Some(v) = v {
            check(v, key, probability(*v.get_ref()), "in (0, 1)")?;
        }
    }
    let alpha = init.alpha.as_ref().map_or(SPRT_ALPHA, |v| *v.get_ref());
    let beta = init.beta.as_ref().map_or(SPRT_BETA, |v| *v.get_ref());
    if sprt && alpha + beta >= 1.0 {
        let at = init.beta.as_ref().or(init.alpha.as_ref()).map_or(0..0, Spanned::span);
        return Err(TomlError::at(at, format!("[initiator] `alpha` + `beta` must be < 1, got {}", alpha + beta)));
    }
    let v = &init.velocity_sigma_mps;
    check(v, "[initiator] velocity_sigma_mps", positive(*v.get_ref()), "finite and > 0")?;
    let (m, n) = (*init.m.get_ref(), *init.n.get_ref());
    check(&init.m, "[initiator] m", m >= 1 && m <= n, "at least 1 and at most `n`")?;
    check(&init.n, "[initiator] n", n <= 64, "at most 64")?;
    let misses = &cfg.deleter.misses;
    check(misses, "[deleter] misses", *misses.get_ref() >= 1, "at least 1")?;
    Ok(())
}

fn tracker_parts(cfg: &TrackerToml) -> Result<(TrackerConfig, Option<Box<dyn Updater>>), TomlError> {
    let f = &cfg.filter;
    check_ranges(cfg)?;
    // Motion model(s): CV runs the stack-matrix EKF; CA, CT, Singer and any IMM run as an IMM
    // per track (one mode for a single model) on the dimension-general filter layer.
    let mut tc = TrackerConfig::constant_velocity(f.q());
    let imm_models: Option<Vec<Spanned<MotionKind>>> = match (f.kind.get_ref(), f.motion.get_ref()) {
        (FilterKind::Imm, _) => match &f.models {
            Some(m) if !m.is_empty() => Some(m.clone()),
            _ => {
                return Err(TomlError::at(f.kind.span(), "filter `imm` needs `models`, e.g. [\"cv\", \"ca\", \"ct\"]"));
            }
        },
        (_, MotionKind::Cv) => None,
        (_, _) => Some(vec![f.motion.clone()]),
    };
    if let Some(models) = &imm_models {
        tc.imm = Some(tracker_imm(f, models)?);
    }
    // Estimator.
    let updater: Option<Box<dyn Updater>> = match f.kind.get_ref() {
        FilterKind::Ekf | FilterKind::Imm => None,
        FilterKind::Ukf => {
            if imm_models.is_some() {
                return Err(TomlError::at(
                    f.motion.span(),
                    "the UKF runs the `cv` model only; use `ekf` or `imm` for others",
                ));
            }
            let points = MerweScaledSigmaPoints::new(
                f.ukf_alpha.unwrap_or(1e-3),
                f.ukf_beta.unwrap_or(2.0),
                f.ukf_kappa.unwrap_or(0.0),
            )
            .map_err(|e| TomlError::at(f.kind.span(), format!("[filter] ukf: {e}")))?;
            Some(Box::new(UnscentedKalmanUpdater::new(points)))
        }
    };
    if imm_models.is_some() && *cfg.associator.kind.get_ref() != AssociatorKind::Gnn {
        return Err(TomlError::at(
            cfg.associator.kind.span(),
            "JPDA, JIPDA and MHT run the `cv` model; IMM and the CA, CT and Singer models go with `gnn`",
        ));
    }
    tc.gate = cfg.gate()?;
    let a = &cfg.associator;
    let need = |v: &Option<Spanned<f64>>, key: &str| {
        v.as_ref().map(|v| *v.get_ref()).ok_or_else(|| {
            TomlError::at(a.kind.span(), format!("associator `{}` needs `{key}`", name(a.kind.get_ref())))
        })
    };
    // Initiator.
    let init = &cfg.initiator;
    tc.confirm_m = *init.m.get_ref();
    tc.confirm_n = *init.n.get_ref();
    if *init.kind.get_ref() == InitiatorKind::Sprt {
        if *a.kind.get_ref() != AssociatorKind::Gnn {
            return Err(TomlError::at(
                init.kind.span(),
                "`sprt` goes with the `gnn` associator (JPDA, JIPDA and MHT confirm by their own logic)",
            ));
        }
        tc.logic = TrackLogic::Sprt(Sprt {
            p_false_alarm: init.alpha.as_ref().map_or(SPRT_ALPHA, |v| *v.get_ref()),
            p_miss: init.beta.as_ref().map_or(SPRT_BETA, |v| *v.get_ref()),
            pd: need(&a.detection_probability, "detection_probability")?,
            clutter_density: need(&a.clutter_density, "clutter_density")?,
            new_target_density: need(&a.new_target_density, "new_target_density")?,
        });
    }
    tc.init_velocity_sigma_mps = *init.velocity_sigma_mps.get_ref();
    tc.delete_misses = *cfg.deleter.misses.get_ref();
    Ok((tc, updater))
}

/// Largest distance from the tracker origin that a detection or a sensor may have, m (100 000
/// km, past geostationary orbit). Farther is taken for an error in the file: tracks that far
/// out would overflow the tracker's grid arithmetic and its memory.
pub const MAX_DISTANCE_M: f64 = 1e8;

/// Largest |time| of a detection from its file's epoch, s (about 317 years): later times
/// extrapolate tracks out of any finite range.
pub const MAX_DETECTION_TIME_S: f64 = 1e10;

/// The accepted range `[lo, hi]` of a detections-CSV column (`bulwark track --detections`),
/// `None` for a column that is not a measurement or time. Angles may carry one turn either way.
pub fn detection_limits(column: &str) -> Option<(f64, f64)> {
    use std::f64::consts::{FRAC_PI_2, TAU};
    Some(match column {
        "t_s" => (-MAX_DETECTION_TIME_S, MAX_DETECTION_TIME_S),
        "range_m" => (0.0, MAX_DISTANCE_M),
        "x_m" | "y_m" | "z_m" => (-MAX_DISTANCE_M, MAX_DISTANCE_M),
        "bearing_rad" => (-TAU, TAU),
        "elevation_rad" => (-FRAC_PI_2, FRAC_PI_2),
        // 1000 km/s: far past anything that flies.
        "range_rate_mps" => (-1e6, 1e6),
        _ => return None,
    })
}

/// A sensor ready for use: its id, what it measures and its model.
#[derive(Clone, Debug)]
pub struct SensorSpec {
    pub id: u32,
    pub kind: MeasurementKind,
    /// Sensor origin in the tracker frame, m.
    pub position_m: [f64; 3],
    pub model: Arc<dyn MeasurementModel>,
}

/// Builds every sensor's measurement model (ids must be distinct):
///
/// - `bearing-range`: [`BearingRange2D`], z = (atan2(Δy, Δx) rad, range m);
/// - `range-az-el` / `range-az-el-rr`: [`RangeAzElRr`] on a sensor with the tracker's axes,
///   z = (range m, azimuth atan2(Δx, Δy) rad clockwise from +y, elevation rad[, range rate m/s]);
/// - `cartesian`: [`Cartesian`], z = (x, y, z) m.
pub fn build_sensors(cfg: &TrackerToml) -> Result<Vec<SensorSpec>, TomlError> {
    let mut out: Vec<SensorSpec> = Vec::with_capacity(cfg.sensor.len());
    for s in &cfg.sensor {
        let span = s.measurement.span();
        if out.iter().any(|o| o.id == s.id) {
            return Err(TomlError::at(span, format!("sensor id {} is used twice", s.id)));
        }
        let position_m = match &s.position_m {
            None => [0.0; 3],
            Some(p) => match p.get_ref()[..] {
                [x, y] => [x, y, 0.0],
                [x, y, z] => [x, y, z],
                _ => return Err(TomlError::at(p.span(), "`position_m` takes 2 or 3 numbers (m)")),
            },
        };
        if let Some(p) = &s.position_m
            && !position_m.iter().all(|v| v.abs() <= MAX_DISTANCE_M)
        {
            return Err(TomlError::at(
                p.span(),
                format!("`position_m` must lie within {MAX_DISTANCE_M:e} m of the origin, got {position_m:?}"),
            ));
        }
        let kind = *s.measurement.get_ref();
        let need = |v: Option<f64>, key: &str| {
            v.ok_or_else(|| TomlError::at(span.clone(), format!("measurement `{}` needs `{key}`", kind.name())))
        };
        let bad = |e: crate::error::ModelError| TomlError::at(span.clone(), format!("sensor {}: {e}", s.id));
        let model: Arc<dyn MeasurementModel> = match kind {
            MeasurementKind::BearingRange => Arc::new(
                BearingRange2D::new(
                    [position_m[0], position_m[1]],
                    need(s.sigma_bearing_deg, "sigma_bearing_deg")?.to_radians(),
                    need(s.sigma_range_m, "sigma_range_m")?,
                )
                .map_err(bad)?,
            ),
            MeasurementKind::RangeAzEl | MeasurementKind::RangeAzElRr => {
                let pose = SensorPose::at(Vec3::new(position_m[0], position_m[1], position_m[2])).map_err(bad)?;
                let rr = if kind == MeasurementKind::RangeAzElRr {
                    Some(need(s.sigma_range_rate_mps, "sigma_range_rate_mps")?)
                } else {
                    None
                };
                Arc::new(
                    RangeAzElRr::new(
                        pose,
                        need(s.sigma_range_m, "sigma_range_m")?,
                        need(s.sigma_bearing_deg, "sigma_bearing_deg")?.to_radians(),
                        need(s.sigma_elevation_deg, "sigma_elevation_deg")?.to_radians(),
                        rr,
                    )
                    .map_err(bad)?,
                )
            }
            MeasurementKind::Cartesian => {
                Arc::new(Cartesian::new(need(s.sigma_position_m, "sigma_position_m")?).map_err(bad)?)
            }
            MeasurementKind::AngleOnly => {
                let pose = SensorPose::at(Vec3::new(position_m[0], position_m[1], position_m[2])).map_err(bad)?;
                Arc::new(
                    AngleOnly::new(
                        pose,
                        need(s.sigma_bearing_deg, "sigma_bearing_deg")?.to_radians(),
                        need(s.sigma_elevation_deg, "sigma_elevation_deg")?.to_radians(),
                    )
                    .map_err(bad)?,
                )
            }
        };
        out.push(SensorSpec { id: s.id, kind, position_m, model });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const GNN: &str = r#"
[sensor]
position_m = [0.0, 0.0]
measurement = "bearing-range"
sigma_bearing_deg = 0.2
sigma_range_m = 50.0

[filter]
kind = "ekf"
motion = "cv"
q = 1.0

[gate]
mahalanobis = 3.0

[initiator]
kind = "m-of-n"
m = 2
n = 3

[deleter]
misses = 3
"#;

    #[test]
    fn a_gnn_ekf_cv_file_builds() {
        let cfg = TrackerToml::parse(GNN).unwrap();
        assert_eq!(cfg.gate().unwrap(), Gate::Threshold(9.0));
        assert_eq!((*cfg.initiator.m.get_ref(), *cfg.initiator.n.get_ref(), *cfg.deleter.misses.get_ref()), (2, 3, 3));
        assert!(build_tracker(&cfg).is_ok());
        let s = build_sensors(&cfg).unwrap();
        assert_eq!((s.len(), s[0].kind, s[0].model.dim()), (1, MeasurementKind::BearingRange, 2));
        assert!(!cfg.is_3d());
    }

    #[test]
    fn errors_point_at_the_line() {
        let text = GNN.replace("q = 1.0", "q = 1.0\nqq = 2.0");
        let e = TrackerToml::parse(&text).unwrap_err();
        assert!(e.message.contains("unknown field `qq`"), "{e}");
        let line = text.lines().position(|l| l.starts_with("qq")).unwrap() + 1;
        assert_eq!(e.line_col(&text), Some((line, 1)));

        let text = GNN.replace("kind = \"ekf\"", "kind = \"ekff\"");
        let e = TrackerToml::parse(&text).unwrap_err();
        assert!(e.message.contains("ekff") && e.message.contains("imm"), "{e}");

        // A component that needs a parameter the file lacks points at the component's line.
        for (name, key, from, to) in [
            (
                "jpda",
                "clutter_density",
                "[deleter]",
                "[associator]\nkind = \"jpda\"\ndetection_probability = 0.9\n\n[deleter]",
            ),
            ("mht", "detection_probability", "[deleter]", "[associator]\nkind = \"mht\"\n\n[deleter]"),
        ] {
            let text = GNN.replace(from, to);
            let e = build_tracker(&TrackerToml::parse(&text).unwrap()).unwrap_err();
            assert_eq!(e.message, format!("associator `{name}` needs `{key}`"));
            let (line, _) = e.line_col(&text).unwrap();
            assert!(text.lines().nth(line - 1).unwrap().contains(name), "{name}: line {line}");
        }
        let text = GNN.replace("kind = \"m-of-n\"", "kind = \"sprt\"\nalpha = 0.01\nbeta = 0.01");
        let e = build_tracker(&TrackerToml::parse(&text).unwrap()).unwrap_err();
        assert_eq!(e.message, "associator `gnn` needs `detection_probability`");

        for (name, key, from, to) in [
            ("ct", "turn_rate_q", "kind = \"ekf\"", "kind = \"imm\"\nmodels = [\"cv\", \"ct\"]"),
            ("singer", "singer_tau_s", "motion = \"cv\"", "motion = \"singer\""),
        ] {
            let text = GNN.replace(from, to);
            let cfg = TrackerToml::parse(&text).unwrap();
            let e = build_tracker(&cfg).unwrap_err();
            assert_eq!(e.message, format!("motion `{name}` needs `{key}`"));
            let (line, _) = e.line_col(&text).unwrap();
            assert!(text.lines().nth(line - 1).unwrap().contains(name), "{name}: line {line}");
        }

        let text = GNN.replace("mahalanobis = 3.0", "mahalanobis = 3.0\nprobability = 0.99");
        assert!(TrackerToml::parse(&text).unwrap().gate().unwrap_err().message.contains("not both"));
        let text = GNN.replace("sigma_range_m = 50.0", "");
        let e = build_sensors(&TrackerToml::parse(&text).unwrap()).unwrap_err();
        assert!(e.message.contains("needs `sigma_range_m`"), "{e}");
    }

    #[test]
    fn fusion_table_and_when_fusion_runs() {
        let two = "[[sensor]]\nid = 1\nmeasurement = \"cartesian\"\nsigma_position_m = 10.0\n\
                   [[sensor]]\nid = 2\nmeasurement = \"cartesian\"\nsigma_position_m = 20.0\n";
        let cfg = TrackerToml::parse(two).unwrap();
        assert!(cfg.wants_fusion() && cfg.fusion.is_none());
        assert!(build_fusion_tracker(&cfg).is_ok());
        let one = TrackerToml::parse(GNN).unwrap();
        assert!(!one.wants_fusion());
        let with = TrackerToml::parse(&format!("{GNN}\n[fusion]\nmax_lag_s = 3.5\n")).unwrap();
        assert!(with.wants_fusion());
        assert_eq!(
            (*with.fusion.as_ref().unwrap().max_lag_s.get_ref(), *with.fusion.unwrap().max_updates.get_ref()),
            (3.5, 64)
        );
        for (bad, needle) in [("max_lag_s = -1.0", "max_lag_s"), ("max_updates = 0", "max_updates")] {
            let text = format!("{two}[fusion]\n{bad}\n");
            let e = build_fusion_tracker(&TrackerToml::parse(&text).unwrap()).unwrap_err();
            assert!(e.message.contains(needle), "{e}");
            let (line, _) = e.line_col(&text).unwrap();
            assert_eq!(text.lines().nth(line - 1), Some(bad));
        }
        let e = TrackerToml::parse(&format!("{two}[fusion]\nmax_lag = 1.0\n")).unwrap_err();
        assert!(e.message.contains("unknown field `max_lag`"), "{e}");
        // JPDA with two sensors keeps one call per scan; asking it for fusion is an error.
        let jpda = format!("{two}[associator]\nkind = \"jpda\"\ndetection_probability = 0.9\nclutter_density = 1e-9\n");
        assert!(!TrackerToml::parse(&jpda).unwrap().wants_fusion());
        let e = build_fusion_tracker(&TrackerToml::parse(&format!("{jpda}[fusion]\n")).unwrap()).unwrap_err();
        assert!(e.message.contains("`gnn`"), "{e}");
    }

    #[test]
    fn several_sensors_and_defaults() {
        let text = r#"
[[sensor]]
id = 1
measurement = "range-az-el-rr"
sigma_bearing_deg = 0.1
sigma_elevation_deg = 0.2
sigma_range_m = 20.0
sigma_range_rate_mps = 1.0
[[sensor]]
id = 2
position_m = [1000.0, 0.0, 10.0]
measurement = "cartesian"
sigma_position_m = 30.0
"#;
        let cfg = TrackerToml::parse(text).unwrap();
        let s = build_sensors(&cfg).unwrap();
        assert_eq!(s.iter().map(|s| (s.id, s.model.dim())).collect::<Vec<_>>(), vec![(1, 4), (2, 3)]);
        assert!(cfg.is_3d());
        assert_eq!(cfg.gate().unwrap(), Gate::Probability(0.999));
        assert!(build_tracker(&cfg).is_ok());
        let dup = text.replace("id = 2", "id = 1");
        assert!(build_sensors(&TrackerToml::parse(&dup).unwrap()).unwrap_err().message.contains("twice"));
    }

    /// Issue 19: range errors of the tracker TOML had no line:col and named internal fields
    /// (`pd`, `p_miss`) rather than the file's keys.
    #[test]
    fn tracker_toml_range_errors_name_the_key_at_its_line() {
        let sprt = |pd: &str, beta: &str| {
            format!(
                "[sensor]\nmeasurement = \"cartesian\"\nsigma_position_m = 10.0\n\n[associator]\nkind = \"gnn\"\n\
                 detection_probability = {pd}\nclutter_density = 1e-9\nnew_target_density = 1e-9\n\n\
                 [initiator]\nkind = \"sprt\"\nbeta = {beta}\n"
            )
        };
        for (text, line, key) in [
            (sprt("1.5", "0.01"), 7, "[associator] detection_probability"),
            (sprt("0.9", "1.0"), 13, "[initiator] beta"),
            (sprt("0.9", "0.99995"), 13, "`alpha` + `beta`"),
            (GNN.replace("q = 1.0", "q = -1.0"), 11, "[filter] q"),
        ] {
            let cfg = TrackerToml::parse(&text).unwrap();
            let e = build_tracker(&cfg).unwrap_err();
            assert!(e.message.contains(key), "{}", e.message);
            assert!(!e.message.contains("p_miss") && !e.message.contains("`pd`"), "{}", e.message);
            assert_eq!(e.line_col(&text).map(|(l, _)| l), Some(line), "{}", e.message);
        }
    }
}
