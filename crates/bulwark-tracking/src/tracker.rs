//! The multi-target tracker: one call per sensor scan.
use crate::assignment::{AssignmentSolver, ShortestAugmentingPath};
use crate::association::{GatedPair, GnnBuffers, gnn_associate, gnn_associate_into};
use crate::error::{ConfigError, DetectionError};
use crate::filter::{Gaussian, Imm, ImmPrediction, ImmState};
use crate::gating::Gate;
use crate::kalman::{
    ExtendedKalmanUpdater, FAST_MAX_DIM, FastPrediction, KalmanPredictor, MeasurementPrediction, Predictor, Updater,
};
use crate::measurement::MeasurementModel;
use crate::prefilter::{SpatialIndex, fix_radius, track_disk};
use crate::state::{GaussianState, StateVector};
use crate::track::{DeleteReason, Track, TrackEvent, TrackLogic, TrackStatus, UpdateRecord};
use crate::transition::{ConstantVelocity, TransitionModel};
use bulwark_core::{SensorId, TrackId};
use nalgebra::{DMatrix, DVector};
use std::collections::VecDeque;
use std::sync::Arc;

/// How much update history each track keeps for out-of-sequence measurements
/// ([`Tracker::process_oosm`]). `max_updates = 0` keeps none (the default, and the fastest).
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct OosmConfig {
    /// Keep the updates of the last `max_lag_s` seconds (relative to the track's newest update).
    pub max_lag_s: f64,
    /// and at most this many of them.
    pub max_updates: usize,
}

impl OosmConfig {
    /// No history: out-of-sequence measurements cannot be applied.
    pub const OFF: OosmConfig = OosmConfig { max_lag_s: 0.0, max_updates: 0 };
}

/// Tracker parameters.
#[derive(Clone, Debug)]
pub struct TrackerConfig {
    /// Motion model of every track.
    pub transition: Arc<dyn TransitionModel>,
    /// Validation gate on d².
    pub gate: Gate,
    /// Confirm a tentative track after `confirm_m` hits within its first `confirm_n` scans.
    pub confirm_m: u32,
    pub confirm_n: u32,
    /// Delete a confirmed track after this many consecutive missed scans.
    pub delete_misses: u32,
    /// σᵥ of the single-point initiation velocity prior N(0, σᵥ² I), m/s. It should cover
    /// the fastest target expected (about v_max / 2 to v_max).
    pub init_velocity_sigma_mps: f64,
    /// Gain g of the quality filter q ← q + g (hit − q), in (0, 1].
    pub quality_gain: f64,
    /// Safety factor (≥ 1) on the pre-filter radii, covering linearisation error between the
    /// Cartesian pre-filter and the gate in measurement space.
    pub prefilter_inflation: f64,
    /// Confirmation/deletion logic: M-of-N (the fields above) or SPRT on the track score.
    pub logic: TrackLogic,
    /// Per-track update history for out-of-sequence measurements.
    pub oosm: OosmConfig,
    /// Run an IMM (or one dimension-general motion model: CA, CT, Singer, as an IMM of one mode)
    /// on every track instead of `transition` and the 6-D EKF. `None` (the default) keeps the
    /// fast stack-matrix EKF path.
    pub imm: Option<TrackerImm>,
}

/// The IMM run per track by the [`Tracker`] ([`TrackerConfig::imm`]).
///
/// Gating uses the IMM's moment-matched measurement prediction (d² on the combined ẑ and S,
/// [`crate::filter::ImmPrediction::combined`]); the update is [`Imm::update`]; the track's
/// 6-D `state`/`covariance` are [`ImmState::combined6`] after each update. A track starts
/// from the single-point initial state extended to the IMM's layout (extra components mean
/// 0, variances `extra_variances`). A single motion model is an IMM with one mode and the
/// 1 × 1 identity transition matrix (exactly its EKF, see the `imm` module test).
#[derive(Clone, Debug)]
pub struct TrackerImm {
    pub imm: Arc<Imm>,
    /// Mode probabilities of a new track (normalised; ≥ 0, positive sum, one per mode).
    pub initial_probabilities: Vec<f64>,
    /// Initial variances of the state components past the first six, cycled (e.g. for the
    /// common layout `[ax, ay, az, ω]`: (m/s²)² and (rad/s)²).
    pub extra_variances: Vec<f64>,
}

impl TrackerImm {
    /// Extends a 6-D initial estimate to the IMM's layout and sets the initial probabilities.
    fn initial_state(&self, g: &GaussianState) -> Result<ImmState, crate::FilterError> {
        let x = Gaussian::extend_state(g, self.imm.dim(), &self.extra_variances)?;
        self.imm.initial_state(&x, &self.initial_probabilities)
    }
}

impl TrackerConfig {
    /// Constant velocity with spectral density `q` (m²/s³), gate P_G = 0.999, 3-of-4
    /// confirmation, deletion after 5 misses, σᵥ = 300 m/s, quality gain 0.25, inflation 2.
    pub fn constant_velocity(q: f64) -> Self {
        Self {
            transition: Arc::new(ConstantVelocity::new(q)),
            gate: Gate::Probability(0.999),
            confirm_m: 3,
            confirm_n: 4,
            delete_misses: 5,
            init_velocity_sigma_mps: 300.0,
            quality_gain: 0.25,
            prefilter_inflation: 2.0,
            logic: TrackLogic::MofN,
            oosm: OosmConfig::OFF,
            imm: None,
        }
    }

    /// Checks every parameter.
    pub fn validate(&self) -> Result<(), ConfigError> {
        if !(1 <= self.confirm_m && self.confirm_m <= self.confirm_n && self.confirm_n <= 64) {
            return Err(ConfigError::MofN { m: self.confirm_m, n: self.confirm_n });
        }
        if self.delete_misses == 0 {
            return Err(ConfigError::DeleteMisses);
        }
        self.gate.validate()?;
        let v = self.init_velocity_sigma_mps;
        if !(v.is_finite() && v > 0.0) {
            return Err(ConfigError::OutOfRange { name: "init_velocity_sigma_mps", value: v });
        }
        if !(self.quality_gain > 0.0 && self.quality_gain <= 1.0) {
            return Err(ConfigError::OutOfRange { name: "quality_gain", value: self.quality_gain });
        }
        if !(self.prefilter_inflation >= 1.0 && self.prefilter_inflation.is_finite()) {
            return Err(ConfigError::OutOfRange { name: "prefilter_inflation", value: self.prefilter_inflation });
        }
        if let TrackLogic::Sprt(s) = &self.logic {
            s.validate()?;
        }
        if !(self.oosm.max_lag_s >= 0.0 && self.oosm.max_lag_s.is_finite()) {
            return Err(ConfigError::OutOfRange { name: "oosm.max_lag_s", value: self.oosm.max_lag_s });
        }
        if let Some(c) = &self.imm {
            let p = &c.initial_probabilities;
            let sum: f64 = p.iter().sum();
            if p.len() != c.imm.num_modes()
                || p.iter().any(|v| !(v.is_finite() && *v >= 0.0))
                || !(sum > 0.0 && sum.is_finite())
            {
                return Err(ConfigError::OutOfRange { name: "imm.initial_probabilities", value: sum });
            }
            if c.imm.dim() < 6 {
                return Err(ConfigError::OutOfRange { name: "imm state dimension", value: c.imm.dim() as f64 });
            }
            if let Some(v) = c.extra_variances.iter().find(|v| !(v.is_finite() && **v >= 0.0)) {
                return Err(ConfigError::OutOfRange { name: "imm.extra_variances", value: *v });
            }
        }
        Ok(())
    }
}

/// One measurement handed to the tracker.
#[derive(Clone, Debug)]
pub struct Detection {
    /// Measurement time, s (same epoch as the `process` time).
    pub t_s: f64,
    /// The measurement, in the units and order of `model`.
    pub z: DVector<f64>,
    /// How `z` relates to the state (shared by all detections of a sensor).
    pub model: Arc<dyn MeasurementModel>,
    pub sensor: SensorId,
}

/// Counters of one scan, for diagnostics and for the scaling test.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct ScanStats {
    /// Pairs that passed the spatial pre-filter (exact gate tests made).
    pub candidate_pairs: usize,
    /// Pairs inside the chi-square gate.
    pub gated_pairs: usize,
    /// Gate tests or updates that failed numerically (singular S, zero range); those pairs
    /// were treated as outside the gate.
    pub filter_failures: usize,
}

/// What one [`Tracker::process`] call did.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ScanReport {
    /// Life-cycle events, in order: confirmations and deletions of existing tracks (by id),
    /// then initiations (by detection index).
    pub events: Vec<TrackEvent>,
    /// `(detection index, track)` for each detection that updated an existing track.
    pub updates: Vec<(usize, TrackId)>,
    /// Detections ignored as invalid.
    pub rejected: Vec<(usize, DetectionError)>,
    pub stats: ScanStats,
}

/// A multi-target tracker: EKF + chi-square gating + two-stage GNN (confirmed and coasting
/// tracks first, then tentative tracks on the detections left) + M-of-N or SPRT logic.
///
/// Call [`Tracker::process`] once per sensor scan, in time order. Each call is one scan for
/// the track logic: every live track not updated in it counts a miss, so a caller whose
/// sensors cover different regions should pass only the detections of one sensor per call
/// and accept that tracks outside that sensor's coverage count misses (coverage-aware miss
/// counting is left to a later version). In `process`, a detection older than a track's last
/// update cannot update that track; [`Tracker::process_oosm`] (used by
/// [`crate::FusionTracker`]) applies such detections by reprocessing the kept history.
#[derive(Debug)]
pub struct Tracker {
    config: TrackerConfig,
    predictor: Box<dyn Predictor>,
    updater: Box<dyn Updater>,
    solver: Box<dyn AssignmentSolver>,
    tracks: Vec<Track>,
    next_id: u64,
    /// The updater is the built-in EKF: gate and update on stack matrices.
    fast_ekf: bool,
    /// Gate thresholds γ for measurement dimensions 0..8, computed once.
    thresholds: [f64; 9],
    /// Per-scan buffers kept between scans (their capacity), so a scan does not page in
    /// fresh memory for its large arrays.
    scratch: Scratch,
}

/// Processing order of a detection: (time as a total-order integer, measurement model, grid
/// cell of its position fix, index).
type OrderKey = (i64, usize, Option<(i64, i64)>, usize);

#[derive(Debug, Default)]
struct Scratch {
    at_scan: Vec<Option<GaussianState>>,
    /// The IMM prediction behind `at_scan`, for IMM tracks (predicted once per scan).
    at_scan_imm: Vec<Option<ImmState>>,
    slot: Vec<(u32, u32)>,
    entries: Vec<PredEntry>,
    disks: Vec<([f64; 2], f64)>,
    index: SpatialIndex,
    order: Vec<usize>,
    order_keys: Vec<OrderKey>,
    /// Per detection: its horizontal position fix and pre-filter radius (NaN if none).
    fixes: Vec<([f64; 2], f64)>,
    candidates: Vec<usize>,
    /// New index of each prediction of a finished group ([`drop_unused_entries`]).
    renumber: Vec<u32>,
    hits: Vec<Hit>,
    pairs: Vec<GatedPair>,
    assigned: Vec<(usize, usize)>,
    miss: Vec<f64>,
    taken: Vec<bool>,
    used: Vec<bool>,
    hit_info: Vec<Option<(f64, f64, usize)>>,
    keep: Vec<bool>,
    gnn: GnnBuffers,
}

/// What [`Tracker::process_oosm`] did with each detection (indices into its input).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct OosmReport {
    /// `(detection, track)`: the track was rolled back, updated with it and its later
    /// measurements re-applied.
    pub applied: Vec<(usize, TrackId)>,
    /// Gated no track whose kept history reaches back to its time (no track is started from
    /// an out-of-sequence detection).
    pub unassociated: Vec<usize>,
    pub rejected: Vec<(usize, DetectionError)>,
    /// Re-filtering failures (the track then keeps its previous estimate).
    pub filter_failures: usize,
}

/// A measurement prediction of one track for one (time, model) group of detections.
#[derive(Debug)]
/// Unboxed on purpose: entries live in one Vec per scan, and a box would cost an allocation each.
#[allow(clippy::large_enum_variant)]
enum Pred {
    Fast(FastPrediction),
    Generic(MeasurementPrediction),
    /// Predicted IMM state and its measurement prediction.
    Imm(Box<(ImmState, ImmPrediction)>),
}

#[derive(Debug)]
struct PredEntry {
    predicted: GaussianState,
    pred: Pred,
    group: u32,
}

impl PredEntry {
    /// ẑ of a generic or IMM entry (a fast entry's is on the stack: `FastPrediction::z_pred`).
    fn z_pred(&self) -> Option<&DVector<f64>> {
        match &self.pred {
            Pred::Fast(_) => None,
            Pred::Generic(g) => Some(&g.z_pred),
            Pred::Imm(b) => Some(&b.1.combined.z_pred),
        }
    }
    fn mahalanobis_sq(&self, nu: &DVector<f64>) -> f64 {
        match &self.pred {
            Pred::Fast(f) => f.mahalanobis_sq(nu.as_slice()),
            Pred::Generic(g) => g.mahalanobis_sq(nu),
            // In the gate if in the combined gate or in any mode's gate: at a manoeuvre onset the
            // manoeuvre mode's gate holds the detection before its probability has risen enough
            // to widen the combined S (the combined gate alone lost a 7 g turn at its onset).
            Pred::Imm(b) => {
                b.1.modes.iter().fold(b.1.combined.mahalanobis_sq(nu), |d2, m| d2.min(m.mahalanobis_sq(nu)))
            }
        }
    }
    fn ln_det_s(&self) -> f64 {
        match &self.pred {
            Pred::Fast(f) => f.ln_det_s(),
            Pred::Generic(g) => g.ln_det_s(),
            Pred::Imm(b) => b.1.combined.ln_det_s(),
        }
    }
}

/// A pair inside the gate.
#[derive(Copy, Clone, Debug)]
struct Hit {
    track: usize,
    detection: usize,
    d2: f64,
    entry: u32,
}

/// Output of the gating stage.
struct Gating {
    /// Sorted by (track, detection).
    hits: Vec<Hit>,
    entries: Vec<PredEntry>,
    /// R of each group (fast path only).
    noise: Vec<Option<DMatrix<f64>>>,
}

const NONE: u32 = u32::MAX;

/// Identity of a model for grouping detections: the address of its shared instance.
fn model_key(model: &Arc<dyn MeasurementModel>) -> usize {
    Arc::as_ptr(model) as *const () as usize
}

impl Tracker {
    /// A tracker with the EKF updater and the shortest-augmenting-path GNN solver.
    pub fn new(config: TrackerConfig) -> Result<Self, ConfigError> {
        config.validate()?;
        let mut thresholds = [0.0; 9];
        for (d, t) in thresholds.iter_mut().enumerate() {
            *t = config.gate.threshold(d);
        }
        let fast_ekf = config.imm.is_none();
        Ok(Self {
            predictor: Box::new(KalmanPredictor::new(config.transition.clone())),
            updater: Box::new(ExtendedKalmanUpdater),
            solver: Box::new(ShortestAugmentingPath),
            config,
            tracks: Vec::new(),
            next_id: 1,
            fast_ekf,
            thresholds,
            scratch: Scratch::default(),
        })
    }

    /// Replaces the predictor (which then owns the motion model; `config.transition` is unused).
    pub fn with_predictor(mut self, predictor: Box<dyn Predictor>) -> Self {
        self.predictor = predictor;
        self
    }
    /// Replaces the measurement updater (e.g. an unscented updater).
    pub fn with_updater(mut self, updater: Box<dyn Updater>) -> Self {
        self.updater = updater;
        self.fast_ekf = false;
        self
    }
    /// Replaces the assignment solver.
    pub fn with_solver(mut self, solver: Box<dyn AssignmentSolver>) -> Self {
        self.solver = solver;
        self
    }

    pub fn config(&self) -> &TrackerConfig {
        &self.config
    }

    /// Live tracks (tentative, confirmed, coasting) in ascending id order.
    pub fn tracks(&self) -> impl ExactSizeIterator<Item = &Track> {
        self.tracks.iter()
    }

    pub fn track(&self, id: TrackId) -> Option<&Track> {
        self.tracks.binary_search_by_key(&id, |t| t.id).ok().map(|i| &self.tracks[i])
    }

    /// The estimate of track `id` predicted to `t_s` without changing the track. A time
    /// before the last update returns the last posterior (no retrodiction). `None` if the
    /// track does not exist or the prediction fails.
    pub fn predict_track(&self, id: TrackId, t_s: f64) -> Option<GaussianState> {
        let track = self.track(id)?;
        let dt = if t_s.is_finite() { (t_s - track.last_update_t).max(0.0) } else { return None };
        self.predict_state(track, dt).ok()
    }

    /// The mean of [`Tracker::predict_track`] alone (see [`Predictor::predict_mean`]), for a
    /// caller that reads no covariance.
    pub fn predict_mean(&self, id: TrackId, t_s: f64) -> Option<StateVector> {
        let track = self.track(id)?;
        let dt = if t_s.is_finite() { (t_s - track.last_update_t).max(0.0) } else { return None };
        match (&self.config.imm, &track.imm) {
            (Some(_), Some(_)) => self.predict_state(track, dt).ok().map(|g| g.mean),
            _ => self.predictor.predict_mean(&track.gaussian(), dt).ok(),
        }
    }

    /// The 6-D prediction of `track` by `dt` s: the IMM's combined estimate for an IMM track.
    fn predict_state(&self, track: &Track, dt: f64) -> Result<GaussianState, crate::FilterError> {
        match (&self.config.imm, &track.imm) {
            (Some(c), Some(s)) => c.imm.predict(s, dt)?.combined6(),
            _ => self.predictor.predict(&track.gaussian(), dt),
        }
    }

    /// Gate threshold γ for measurement dimension `dim` (cached).
    fn gamma(&self, dim: usize) -> f64 {
        self.thresholds.get(dim).copied().unwrap_or_else(|| self.config.gate.threshold(dim))
    }

    /// Processes one scan: `t_s` is the scan time (s), each detection carries its own time.
    /// See the type doc for the steps and the meaning of a scan.
    pub fn process(&mut self, t_s: f64, detections: &[Detection]) -> ScanReport {
        self.process_expecting(t_s, detections, &|_| true)
    }

    /// Which detections are usable (finite, of their model's dimension); the others are pushed
    /// to `rejected` with the reason.
    pub(crate) fn validate_detections(
        detections: &[Detection],
        rejected: &mut Vec<(usize, DetectionError)>,
    ) -> Vec<bool> {
        let mut valid = vec![false; detections.len()];
        for (i, d) in detections.iter().enumerate() {
            if !d.t_s.is_finite() || !d.z.iter().all(|v| v.is_finite()) {
                rejected.push((i, DetectionError::NotFinite));
            } else if d.z.len() != d.model.dim() {
                rejected.push((i, DetectionError::DimensionMismatch { expected: d.model.dim(), got: d.z.len() }));
            } else {
                valid[i] = true;
            }
        }
        valid
    }

    /// Like [`Tracker::process`], for a sensor that does not see every track: a track the
    /// scan neither updated nor `expected` (outside the sensor's coverage, too small for
    /// it, ...) is left alone — the scan says nothing about it — instead of counting a miss.
    /// This is what lets radars of different coverage and rates share one track picture.
    pub fn process_expecting(
        &mut self,
        t_s: f64,
        detections: &[Detection],
        expected: &dyn Fn(&Track) -> bool,
    ) -> ScanReport {
        let mut report = ScanReport::default();
        let valid = Self::validate_detections(detections, &mut report.rejected);
        let t_scan = if t_s.is_finite() {
            t_s
        } else {
            match detections.iter().zip(&valid).filter(|(_, v)| **v).map(|(d, _)| d.t_s).reduce(f64::max) {
                Some(t) => t,
                None => return report,
            }
        };

        let mut scratch = std::mem::take(&mut self.scratch);
        let gating = self.gate(t_scan, detections, &valid, &mut report.stats, &mut scratch);

        // Two-stage global nearest neighbour: confirmed and coasting tracks first, then tentative
        // tracks on the detections left over. With one joint GNN a broad tentative track (huge S,
        // so small d²) can take a detection from the confirmed track it sits on, which then misses
        // scans until deleted; giving established tracks priority is what Stone Soup's and most
        // GNN trackers' multi-stage association does.
        let Scratch { miss, pairs, assigned, taken, gnn, used, hit_info, keep, .. } = &mut scratch;
        miss.clear();
        miss.extend(detections.iter().map(|d| self.gamma(d.model.dim())));
        let pair = |h: &Hit| GatedPair { track: h.track, detection: h.detection, cost: h.d2 };
        let tracks = &self.tracks;
        pairs.clear();
        pairs.extend(gating.hits.iter().filter(|h| tracks[h.track].status.is_confirmed()).map(pair));
        assigned.clear();
        gnn_associate_into(pairs, tracks.len(), miss, self.solver.as_ref(), gnn, assigned);
        taken.clear();
        taken.resize(detections.len(), false);
        for &(_, di) in assigned.iter() {
            taken[di] = true;
        }
        pairs.clear();
        pairs.extend(
            gating.hits.iter().filter(|h| !tracks[h.track].status.is_confirmed() && !taken[h.detection]).map(pair),
        );
        gnn_associate_into(pairs, tracks.len(), miss, self.solver.as_ref(), gnn, assigned);
        assigned.sort_unstable();

        // Updates. `hit_info[t]` = (d², ln|S|, dim z) of the update of track t, for the score.
        hit_info.clear();
        hit_info.resize(self.tracks.len(), None);
        used.clear();
        used.resize(detections.len(), false);
        let history_on = self.config.oosm.max_updates > 0;
        for &(ti, di) in assigned.iter() {
            let Ok(k) = gating.hits.binary_search_by(|h| (h.track, h.detection).cmp(&(ti, di))) else { continue };
            let hit = gating.hits[k];
            let entry = &gating.entries[hit.entry as usize];
            let det = &detections[di];
            let mut imm_post = None;
            let post = match (&entry.pred, &gating.noise[entry.group as usize]) {
                (Pred::Fast(f), Some(r)) => {
                    let mut nu = [0.0; FAST_MAX_DIM];
                    let nu = &mut nu[..f.dim];
                    if !det.model.residual_into(det.z.as_slice(), &f.z_pred[..f.dim], nu) {
                        continue; // unreachable: gated detections have the model's dimension.
                    }
                    f.update(&entry.predicted, nu, r)
                }
                (Pred::Generic(g), _) => self.updater.update(&entry.predicted, g, &det.z, det.model.as_ref()),
                (Pred::Imm(b), _) => match &self.config.imm {
                    Some(c) => c.imm.update(&b.0, &b.1, &det.z, det.model.as_ref()).and_then(|s| {
                        let g = s.combined6()?;
                        imm_post = Some(Box::new(s));
                        Ok(g)
                    }),
                    None => continue, // unreachable: IMM entries exist only with an IMM.
                },
                (Pred::Fast(_), None) => continue, // unreachable: fast entries always have R.
            };
            match post {
                Ok(post) => {
                    let track = &mut self.tracks[ti];
                    if imm_post.is_some() {
                        track.imm = imm_post;
                    }
                    if history_on {
                        push_history(track, det, &self.config.oosm);
                    }
                    track.state = post.mean;
                    track.covariance = post.covariance;
                    track.last_update_t = det.t_s.max(track.last_update_t);
                    track.last_sensor = det.sensor;
                    track.last_nis = Some(hit.d2);
                    hit_info[ti] = Some((hit.d2, entry.ln_det_s(), det.model.dim()));
                    used[di] = true;
                    report.updates.push((di, track.id));
                }
                Err(_) => report.stats.filter_failures += 1,
            }
        }
        report.updates.sort_unstable();
        let used = std::mem::take(used);
        let hit_info = std::mem::take(hit_info);
        let mut keep = std::mem::take(keep);
        scratch.entries = gating.entries;
        scratch.entries.clear();
        scratch.hits = gating.hits;
        self.scratch = scratch;

        // Track logic on existing tracks.
        let (m, n, k, g) =
            (self.config.confirm_m, self.config.confirm_n, self.config.delete_misses, self.config.quality_gain);
        let logic = self.config.logic;
        keep.clear();
        keep.resize(self.tracks.len(), true);
        for (i, track) in self.tracks.iter_mut().enumerate() {
            let hit = hit_info[i].is_some();
            if !hit && (track.last_update_t > t_scan || !expected(track)) {
                continue; // updated after this scan by a later one, or not expected: no evidence.
            }
            track.scans = track.scans.saturating_add(1);
            track.quality += g * (f64::from(u8::from(hit)) - track.quality);
            if hit {
                track.hits = track.hits.saturating_add(1);
                track.misses = 0;
            } else {
                track.misses = track.misses.saturating_add(1);
            }
            let verdict = match &logic {
                TrackLogic::MofN => {
                    if hit && track.status == TrackStatus::Tentative {
                        track.window_hits += 1;
                    }
                    mofn_verdict(track, hit, m, n, k)
                }
                TrackLogic::Sprt(s) => {
                    track.score += match hit_info[i] {
                        Some((d2, ln_det, dim)) => s.hit_increment(d2, ln_det, dim),
                        None => s.miss_increment(),
                    };
                    track.peak_score = track.peak_score.max(track.score);
                    sprt_verdict(track, hit, s)
                }
            };
            match verdict {
                Verdict::Keep(status) => track.status = status,
                Verdict::Confirm => {
                    track.status = TrackStatus::Confirmed;
                    report.events.push(TrackEvent::Confirmed { track: track.id });
                }
                Verdict::Delete(reason) => {
                    keep[i] = false;
                    report.events.push(TrackEvent::Deleted { track: track.id, reason });
                }
            }
        }
        let mut keep_iter = keep.iter();
        self.tracks.retain(|_| keep_iter.next().copied().unwrap_or(true));

        // Single-point initiation from every valid detection left over.
        let initial_score = match &logic {
            TrackLogic::MofN => 0.0,
            TrackLogic::Sprt(s) => s.initial_score(),
        };
        let confirmed = match &logic {
            TrackLogic::MofN => m <= 1,
            TrackLogic::Sprt(s) => initial_score >= s.confirm_threshold(),
        };
        for (di, det) in detections.iter().enumerate() {
            if !valid[di] || used[di] {
                continue;
            }
            let Some(init) = det.model.initial_state(&det.z, self.config.init_velocity_sigma_mps) else { continue };
            if !init.is_finite() {
                continue;
            }
            let imm = match &self.config.imm {
                Some(c) => match c.initial_state(&init) {
                    Ok(s) => Some(Box::new(s)),
                    Err(_) => continue,
                },
                None => None,
            };
            let id = TrackId(self.next_id);
            self.next_id += 1;
            self.tracks.push(Track {
                id,
                status: if confirmed { TrackStatus::Confirmed } else { TrackStatus::Tentative },
                state: init.mean,
                covariance: init.covariance,
                last_update_t: det.t_s,
                initiated_t: det.t_s,
                last_sensor: det.sensor,
                hits: 1,
                misses: 0,
                scans: 1,
                quality: g,
                last_nis: None,
                score: initial_score,
                peak_score: initial_score,
                window_hits: 1,
                history: VecDeque::new(),
                imm,
            });
            report.events.push(TrackEvent::Initiated { track: id, detection: di });
            if confirmed {
                report.events.push(TrackEvent::Confirmed { track: id });
            }
        }
        self.scratch.used = used;
        self.scratch.hit_info = hit_info;
        self.scratch.keep = keep;
        report
    }

    /// Applies out-of-sequence detections — older than the last update of the tracks they
    /// belong to — by reprocessing (the "reprocessing" / re-filtering OOSM solution, Bar-Shalom,
    /// Chen & Mallick 2004, "One-step solution for the multistep out-of-sequence-measurement
    /// problem in tracking", IEEE TAES 40(1), §I): each track is rolled back to its kept
    /// posterior just before the detection's time τ, the detection is applied at τ and the
    /// later kept measurements are re-applied in time order with their original association.
    /// Exact (equal to in-order processing up to rounding, for the same associations) as long
    /// as the track's history (`TrackerConfig::oosm`) reaches back past τ.
    ///
    /// Association: the chi-square gate on each track's estimate at τ, then GNN among the
    /// detections of this call. The track logic is untouched (this is not a scan): a track
    /// gains a hit but no scan is counted, its score is unchanged, and no track is started
    /// from an out-of-sequence detection. Cost O(tracks × detections) gate tests.
    pub fn process_oosm(&mut self, detections: &[Detection]) -> OosmReport {
        let mut report = OosmReport::default();
        let valid = Self::validate_detections(detections, &mut report.rejected);
        let mut pairs = Vec::new();
        for (di, det) in detections.iter().enumerate().filter(|(i, _)| valid[*i]) {
            let gamma = self.gamma(det.model.dim());
            for (ti, track) in self.tracks.iter().enumerate() {
                let Some((_, base)) = rollback_point(track, det.t_s) else { continue };
                let d2 = self.predictor.predict(&base.1, det.t_s - base.0).and_then(|p| {
                    let mp = self.updater.predict_measurement(&p, det.model.as_ref())?;
                    Ok(mp.mahalanobis_sq(&det.model.residual(&det.z, &mp.z_pred)))
                });
                if let Some(d2) = d2.ok().filter(|d2| d2.is_finite() && *d2 <= gamma) {
                    pairs.push(GatedPair { track: ti, detection: di, cost: d2 });
                }
            }
        }
        let miss: Vec<f64> = detections.iter().map(|d| self.gamma(d.model.dim())).collect();
        let assigned = gnn_associate(&pairs, self.tracks.len(), &miss, self.solver.as_ref());
        let mut used = vec![false; detections.len()];
        for (ti, di) in assigned {
            match self.reprocess(ti, &detections[di]) {
                Ok(()) => {
                    used[di] = true;
                    report.applied.push((di, self.tracks[ti].id));
                }
                Err(_) => report.filter_failures += 1,
            }
        }
        report.applied.sort_unstable();
        report.unassociated = (0..detections.len()).filter(|&i| valid[i] && !used[i]).collect();
        report
    }

    /// Rolls track `ti` back to before `det.t_s`, applies `det`, re-applies the later kept
    /// measurements. The track is unchanged on error.
    fn reprocess(&mut self, ti: usize, det: &Detection) -> Result<(), crate::FilterError> {
        let track = &self.tracks[ti];
        let (k, (mut t, mut state)) = rollback_point(track, det.t_s).ok_or(crate::FilterError::BadTimeStep(det.t_s))?;
        let steps: Vec<Detection> =
            std::iter::once(det.clone()).chain(track.history.iter().skip(k).map(|r| r.detection.clone())).collect();
        let mut records = Vec::with_capacity(steps.len());
        let mut last_nis = track.last_nis;
        for (i, d) in steps.into_iter().enumerate() {
            let predicted = self.predictor.predict(&state, d.t_s - t)?;
            let mp = self.updater.predict_measurement(&predicted, d.model.as_ref())?;
            let post = self.updater.update(&predicted, &mp, &d.z, d.model.as_ref())?;
            if i == 0 && k == track.history.len() {
                last_nis = Some(mp.mahalanobis_sq(&d.model.residual(&d.z, &mp.z_pred)));
            }
            let next_t = d.t_s;
            records.push(UpdateRecord {
                detection: d,
                prior_state: state.mean,
                prior_covariance: state.covariance,
                prior_t: t,
            });
            state = post;
            t = next_t;
        }
        let history_on = self.config.oosm.max_updates > 0;
        let track = &mut self.tracks[ti];
        if k == track.history.len() {
            track.last_sensor = det.sensor;
        }
        track.history.truncate(k);
        if history_on {
            track.history.extend(records);
            trim_history(&mut track.history, &self.config.oosm);
        }
        if let (Some(c), Some(old)) = (&self.config.imm, &track.imm) {
            // The history keeps 6-D posteriors only: re-seed the modes from the re-filtered
            // estimate, keeping the mode probabilities.
            let p: Vec<f64> = old.probabilities.iter().copied().collect();
            let x = Gaussian::extend_state(&state, c.imm.dim(), &c.extra_variances)?;
            track.imm = Some(Box::new(c.imm.initial_state(&x, &p)?));
        }
        track.state = state.mean;
        track.covariance = state.covariance;
        track.last_update_t = t.max(track.last_update_t);
        track.last_nis = last_nis;
        track.hits = track.hits.saturating_add(1);
        Ok(())
    }

    /// Pre-filter and chi-square gate: the gated (track, detection) pairs with d², and the
    /// predictions they refer to. Each track is predicted once per (detection time, model)
    /// group — once per scan when the detections share the scan time and sensor.
    fn gate(
        &self,
        t_scan: f64,
        detections: &[Detection],
        valid: &[bool],
        stats: &mut ScanStats,
        scratch: &mut Scratch,
    ) -> Gating {
        let kf = self.config.prefilter_inflation;
        let gamma_max = detections
            .iter()
            .zip(valid)
            .filter(|(_, v)| **v)
            .map(|(d, _)| self.gamma(d.model.dim()))
            .fold(0.0, f64::max);
        let dt_max =
            detections.iter().zip(valid).filter(|(_, v)| **v).map(|(d, _)| (d.t_s - t_scan).abs()).fold(0.0, f64::max);
        // Track disks at the scan time; a track whose prediction fails gets a NaN disk, which
        // the index treats as a candidate for every detection. The disk needs only the
        // horizontal moments; a full prediction at the scan time is made for the tracks a
        // detection reaches, once (`at_scan`, filled lazily: most tracks are tentative false
        // alarms no plot comes near).
        let at_scan = &mut scratch.at_scan;
        at_scan.clear();
        at_scan.resize(self.tracks.len(), None);
        let at_scan_imm = &mut scratch.at_scan_imm;
        at_scan_imm.clear();
        let disks = &mut scratch.disks;
        disks.clear();
        disks.extend(self.tracks.iter().enumerate().map(|(i, t)| {
            let dt = (t_scan - t.last_update_t).max(0.0);
            // Reusable for detections at the scan time only if no clamping happened.
            let reusable = t_scan >= t.last_update_t;
            let p = match (&self.config.imm, &t.imm) {
                (Some(c), Some(s)) => c.imm.predict(s, dt).ok().and_then(|ps| {
                    let g = ps.combined6().ok();
                    at_scan_imm.push(reusable.then_some(ps));
                    g.map(|g| g.horizontal())
                }),
                _ => self.predictor.predict_horizontal(&t.gaussian(), dt).ok(),
            };
            at_scan_imm.resize(i + 1, None);
            match &p {
                Some(p) => track_disk(p, gamma_max, kf, dt_max),
                None => ([f64::NAN, f64::NAN], f64::NAN),
            }
        }));
        let index = &mut scratch.index;
        index.rebuild_for(disks, valid.iter().filter(|v| **v).count());

        // Group the detections by (time, model) so each track is predicted once per group.
        // Within a group, detections go in grid-cell order so consecutive queries read
        // neighbouring cells and tracks (the results do not depend on this order).
        let fixes = &mut scratch.fixes;
        fixes.clear();
        fixes.extend(detections.iter().zip(valid).map(|(d, v)| {
            let fix = if *v { d.model.position_fix(&d.z) } else { None };
            match fix {
                Some(f) => ([f.position.x, f.position.y], fix_radius(&f.covariance, self.gamma(d.model.dim()), kf)),
                None => ([f64::NAN; 2], f64::NAN),
            }
        }));
        let keys = &mut scratch.order_keys;
        keys.clear();
        keys.extend((0..detections.len()).filter(|&i| valid[i]).map(|i| {
            let d = &detections[i];
            // f64 total order as an integer (the `total_cmp` key).
            let t = d.t_s.to_bits() as i64;
            let t = t ^ (((t >> 63) as u64) >> 1) as i64;
            (t, model_key(&d.model), index.cell_of(fixes[i].0), i)
        }));
        keys.sort_unstable();
        let order = &mut scratch.order;
        order.clear();
        order.extend(keys.iter().map(|k| k.3));
        let slot = &mut scratch.slot;
        slot.clear();
        slot.resize(self.tracks.len(), (NONE, NONE));
        let mut entries = std::mem::take(&mut scratch.entries);
        entries.clear();
        let mut hits = std::mem::take(&mut scratch.hits);
        hits.clear();
        let mut gating = Gating { hits, entries, noise: Vec::new() };
        let candidates = &mut scratch.candidates;
        let renumber = &mut scratch.renumber;
        let mut group_key: Option<(u64, usize)> = None;
        let (mut group_entries, mut group_hits) = (0, 0);
        for &di in order.iter() {
            let det = &detections[di];
            let key = (det.t_s.to_bits(), model_key(&det.model));
            if group_key != Some(key) {
                group_key = Some(key);
                drop_unused_entries(&mut gating, group_entries, group_hits, renumber);
                (group_entries, group_hits) = (gating.entries.len(), gating.hits.len());
                let fast = self.fast_ekf && det.model.dim() <= FAST_MAX_DIM;
                gating.noise.push(fast.then(|| det.model.noise_covariance()));
            }
            let group = (gating.noise.len() - 1) as u32;
            let dim = det.model.dim();
            let gamma = self.gamma(dim);
            let (centre, radius) = fixes[di];
            if radius.is_finite() {
                index.query(centre, radius, candidates);
            } else {
                candidates.clear();
                candidates.extend(0..self.tracks.len());
            }
            let first_hit = gating.hits.len();
            for &ti in candidates.iter() {
                let track = &self.tracks[ti];
                let dt = det.t_s - track.last_update_t;
                if dt < 0.0 {
                    continue; // no retrodiction
                }
                stats.candidate_pairs += 1;
                if slot[ti].0 != group {
                    let entry = if let (Some(c), Some(s)) = (&self.config.imm, &track.imm) {
                        let ps = match &at_scan_imm[ti] {
                            Some(ps) if det.t_s == t_scan => Ok(ps.clone()),
                            _ => c.imm.predict(s, dt),
                        };
                        ps.and_then(|ps| {
                            let mp = c.imm.predict_measurement(&ps, det.model.as_ref())?;
                            Ok(PredEntry { predicted: ps.combined6()?, pred: Pred::Imm(Box::new((ps, mp))), group })
                        })
                    } else {
                        // At the scan time dt is the disk's (dt ≥ 0 here): the memo holds
                        // exactly what `predict` would give again.
                        let predicted = match &at_scan[ti] {
                            Some(p) if det.t_s == t_scan => Ok(p.clone()),
                            _ => {
                                let p = self.predictor.predict(&track.gaussian(), dt);
                                if let (Ok(p), true) = (&p, det.t_s == t_scan) {
                                    at_scan[ti] = Some(p.clone());
                                }
                                p
                            }
                        };
                        predicted.and_then(|predicted| {
                            let pred = match &gating.noise[group as usize] {
                                Some(r) => Pred::Fast(FastPrediction::new(&predicted, det.model.as_ref(), r)?),
                                None => {
                                    Pred::Generic(self.updater.predict_measurement(&predicted, det.model.as_ref())?)
                                }
                            };
                            Ok(PredEntry { predicted, pred, group })
                        })
                    };
                    slot[ti] = match entry {
                        Ok(e) => {
                            gating.entries.push(e);
                            (group, (gating.entries.len() - 1) as u32)
                        }
                        Err(_) => (group, NONE),
                    };
                }
                let e = slot[ti].1;
                if e == NONE {
                    stats.filter_failures += 1;
                    continue;
                }
                let entry = &gating.entries[e as usize];
                let d2 = match &entry.pred {
                    Pred::Fast(f) => f.mahalanobis_sq_of(&det.z, det.model.as_ref()),
                    _ => entry.z_pred().map_or(f64::NAN, |zp| entry.mahalanobis_sq(&det.model.residual(&det.z, zp))),
                };
                if d2.is_finite() && d2 <= gamma {
                    stats.gated_pairs += 1;
                    gating.hits.push(Hit { track: ti, detection: di, d2, entry: e });
                }
            }
            keep_nearest(&mut gating.hits, first_hit);
        }
        drop_unused_entries(&mut gating, group_entries, group_hits, renumber);
        gating.hits.sort_unstable_by_key(|h| (h.track, h.detection));
        gating
    }
}

/// Most tracks one detection is kept in the gate of. In a dense group every detection falls
/// in the gate of every track, and the gated pairs grow as tracks × detections: 10,000
/// threats in a tight group asked for 3.8 GB of pairs in one scan (issue 19). Beyond this
/// many, a detection keeps only its nearest tracks (smallest d², then lowest track index):
/// memory grows with detections, not with their square. Bound: no associator here can use more
/// — GNN assigns one track per detection, and JPDA and MHT enumerate hypotheses over the
/// gated tracks, infeasible long before 32.
pub const MAX_TRACKS_PER_DETECTION: usize = 32;

/// Keeps the [`MAX_TRACKS_PER_DETECTION`] nearest of one detection's hits, `hits[first..]`.
fn keep_nearest(hits: &mut Vec<Hit>, first: usize) {
    let mine = &mut hits[first..];
    if mine.len() > MAX_TRACKS_PER_DETECTION {
        mine.select_nth_unstable_by(MAX_TRACKS_PER_DETECTION - 1, |a, b| {
            a.d2.total_cmp(&b.d2).then(a.track.cmp(&b.track))
        });
        hits.truncate(first + MAX_TRACKS_PER_DETECTION);
    }
}

/// Drops the predictions of one finished group of detections (entries from `first_entry`,
/// hits from `first_hit`) that no hit uses, renumbering the hits' entries. A prediction is
/// made per track and group (detections at one time under one model); a radar that stamps
/// each plot with its own look time makes every plot its own group, so keeping them all held
/// one prediction per track × detection (2 GB for 10,000 threats in a tight group, issue 19).
/// Only hits of the group refer to its entries, so the kept ones are exactly those gated.
fn drop_unused_entries(gating: &mut Gating, first_entry: usize, first_hit: usize, renumber: &mut Vec<u32>) {
    const USED: u32 = 0;
    renumber.clear();
    renumber.resize(gating.entries.len() - first_entry, NONE);
    for h in &gating.hits[first_hit..] {
        renumber[h.entry as usize - first_entry] = USED;
    }
    // Kept entries move forward in their order (a stable partition of the group's tail only;
    // the entries of earlier groups are final), each getting its new index.
    let mut next = first_entry;
    for (k, r) in renumber.iter_mut().enumerate() {
        if *r == USED {
            gating.entries.swap(next, first_entry + k);
            *r = next as u32;
            next += 1;
        }
    }
    gating.entries.truncate(next);
    for h in &mut gating.hits[first_hit..] {
        h.entry = renumber[h.entry as usize - first_entry];
    }
}

/// What the track logic decided for one track in one scan.
enum Verdict {
    Keep(TrackStatus),
    Confirm,
    Delete(DeleteReason),
}

/// M-of-N confirmation, deletion after `k` consecutive misses (Blackman & Popoli 1999, §6.2).
fn mofn_verdict(track: &Track, hit: bool, m: u32, n: u32, k: u32) -> Verdict {
    match track.status {
        TrackStatus::Tentative => {
            if track.window_hits >= m {
                Verdict::Confirm
            } else if track.window_hits + n.saturating_sub(track.scans) < m {
                Verdict::Delete(DeleteReason::NotConfirmed)
            } else {
                Verdict::Keep(TrackStatus::Tentative)
            }
        }
        TrackStatus::Confirmed | TrackStatus::Coasting => {
            if hit {
                Verdict::Keep(TrackStatus::Confirmed)
            } else if track.misses >= k {
                Verdict::Delete(DeleteReason::Missed)
            } else {
                Verdict::Keep(TrackStatus::Coasting)
            }
        }
    }
}

/// SPRT on the (already updated) track score; see [`crate::Sprt`].
fn sprt_verdict(track: &Track, hit: bool, s: &crate::track::Sprt) -> Verdict {
    match track.status {
        TrackStatus::Tentative => {
            if track.score >= s.confirm_threshold() {
                Verdict::Confirm
            } else if track.score <= s.delete_threshold() {
                Verdict::Delete(DeleteReason::NotConfirmed)
            } else {
                Verdict::Keep(TrackStatus::Tentative)
            }
        }
        TrackStatus::Confirmed | TrackStatus::Coasting => {
            if track.score - track.peak_score <= s.delete_threshold() {
                Verdict::Delete(DeleteReason::ScoreDropped)
            } else if hit {
                Verdict::Keep(TrackStatus::Confirmed)
            } else {
                Verdict::Keep(TrackStatus::Coasting)
            }
        }
    }
}

/// Records the update of `track` by `det` (before its state is overwritten) and trims the
/// history to the configured bounds.
fn push_history(track: &mut Track, det: &Detection, cfg: &OosmConfig) {
    track.history.push_back(UpdateRecord {
        detection: det.clone(),
        prior_state: track.state,
        prior_covariance: track.covariance,
        prior_t: track.last_update_t,
    });
    trim_history(&mut track.history, cfg);
}

/// Where track `t` can be rolled back to for a measurement at `tau`: the index of its first
/// kept update after `tau` and the posterior (time, estimate) just before `tau`; `None` if the
/// kept history does not reach back that far or the track started after `tau`.
fn rollback_point(t: &Track, tau: f64) -> Option<(usize, (f64, GaussianState))> {
    if tau < t.initiated_t {
        return None;
    }
    let k = t.history.partition_point(|r| r.detection.t_s <= tau);
    match t.history.get(k) {
        None if t.last_update_t <= tau => Some((k, (t.last_update_t, t.gaussian()))),
        Some(r) if r.prior_t <= tau => Some((k, (r.prior_t, GaussianState::new(r.prior_state, r.prior_covariance)))),
        _ => None,
    }
}

fn trim_history(h: &mut VecDeque<UpdateRecord>, cfg: &OosmConfig) {
    let newest = h.back().map_or(f64::NEG_INFINITY, |r| r.detection.t_s);
    while h.len() > cfg.max_updates || h.front().is_some_and(|r| r.detection.t_s < newest - cfg.max_lag_s) {
        h.pop_front();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::measurement::{BearingRange2D, Cartesian};
    use proptest::prelude::*;

    /// Every (track, detection) pair gated the slow way: generic EKF on every pair.
    fn brute_force(tr: &Tracker, dets: &[Detection]) -> Vec<(usize, usize, f64)> {
        let mut out = Vec::new();
        for (di, d) in dets.iter().enumerate() {
            let gamma = tr.config.gate.threshold(d.model.dim());
            for (ti, t) in tr.tracks.iter().enumerate() {
                let dt = d.t_s - t.last_update_t;
                if dt < 0.0 {
                    continue;
                }
                let Ok(p) = tr.predictor.predict(&t.gaussian(), dt) else { continue };
                let Ok(mp) = ExtendedKalmanUpdater.predict_measurement(&p, d.model.as_ref()) else { continue };
                let d2 = mp.mahalanobis_sq(&d.model.residual(&d.z, &mp.z_pred));
                if d2 <= gamma {
                    out.push((ti, di, d2));
                }
            }
        }
        out
    }

    /// Issue 19: in a dense group every detection gates every track. A detection keeps only its
    /// [`MAX_TRACKS_PER_DETECTION`] nearest tracks — exactly the smallest d² of the all-pairs
    /// gate (the oracle above) — and only the predictions those hits use are kept.
    #[test]
    fn a_dense_group_keeps_each_detections_nearest_tracks_only() {
        let ca: Arc<dyn MeasurementModel> = Arc::new(Cartesian::new(60.0).unwrap());
        let det = |t_s, x: f64, y: f64| Detection {
            t_s,
            z: DVector::from_vec(vec![x, y, 1e3]),
            model: ca.clone(),
            sensor: SensorId(1),
        };
        let mut tr =
            Tracker::new(TrackerConfig { gate: Gate::Mahalanobis(10.0), ..TrackerConfig::constant_velocity(1.0) })
                .unwrap();
        // 50 tracks 5 m apart, well inside one another's gates (σ = 60 m).
        let init: Vec<Detection> = (0..50).map(|k| det(0.0, 5.0 * k as f64, 0.0)).collect();
        tr.process(0.0, &init);
        assert_eq!(tr.tracks.len(), 50);
        let dets = vec![det(1.0, 40.0, 0.0), det(1.0, 62.0, 0.0)];
        let mut stats = ScanStats::default();
        let g = tr.gate(1.0, &dets, &[true, true], &mut stats, &mut Scratch::default());
        let slow = brute_force(&tr, &dets);
        for di in 0..dets.len() {
            let mut all: Vec<(f64, usize)> = slow.iter().filter(|p| p.1 == di).map(|p| (p.2, p.0)).collect();
            assert_eq!(all.len(), 50, "every track gates detection {di}");
            all.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            let mut want: Vec<usize> = all[..MAX_TRACKS_PER_DETECTION].iter().map(|p| p.1).collect();
            want.sort_unstable();
            let got: Vec<usize> = g.hits.iter().filter(|h| h.detection == di).map(|h| h.track).collect();
            assert_eq!(got, want, "detection {di} keeps its nearest tracks");
        }
        // Both detections share one group (same time, same model): one prediction per track
        // that some kept hit uses, none other, and every hit points at its own track's.
        let used: std::collections::BTreeSet<usize> = g.hits.iter().map(|h| h.track).collect();
        assert_eq!(g.entries.len(), used.len());
        assert!(g.entries.len() < 50);
        for h in &g.hits {
            let mean = &g.entries[h.entry as usize].predicted.mean;
            assert!((mean[0] - tr.tracks[h.track].state[0]).abs() < 1e-6);
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn fast_gate_equals_all_pairs_gate(
            seeds in prop::collection::vec((-30e3f64..30e3, -30e3f64..30e3), 1..40),
            jitter in prop::collection::vec((-600.0f64..600.0, -600.0f64..600.0, 0u8..3), 1..60),
            dt in 0.0f64..3.0,
        ) {
            let br: Arc<dyn MeasurementModel> = Arc::new(BearingRange2D::new([1e3, -2e3], 0.004, 40.0).unwrap());
            let ca: Arc<dyn MeasurementModel> = Arc::new(Cartesian::new(60.0).unwrap());
            let mut tr = Tracker::new(TrackerConfig { gate: Gate::Mahalanobis(3.0), ..TrackerConfig::constant_velocity(1.0) }).unwrap();
            let init: Vec<Detection> = seeds.iter().map(|&(x, y)| Detection {
                t_s: 0.0, z: DVector::from_vec(vec![x, y, 1e3]), model: ca.clone(), sensor: SensorId(1) }).collect();
            tr.process(0.0, &init);
            // Detections near random tracks, some Cartesian, some bearing–range, some at another time.
            let dets: Vec<Detection> = jitter.iter().enumerate().map(|(k, &(dx, dy, kind))| {
                let (x, y) = seeds[k % seeds.len()];
                let (x, y) = (x + dx, y + dy);
                let t_s = if kind == 2 { dt * 0.5 } else { dt };
                if kind == 0 {
                    Detection { t_s, z: DVector::from_vec(vec![x, y, 1e3]), model: ca.clone(), sensor: SensorId(1) }
                } else {
                    Detection { t_s, z: br.function(&crate::StateVector::new(x, y, 0.0, 0.0, 0.0, 0.0)), model: br.clone(), sensor: SensorId(2) }
                }
            }).collect();
            let valid = vec![true; dets.len()];
            let mut stats = ScanStats::default();
            let g = tr.gate(dt, &dets, &valid, &mut stats, &mut Scratch::default());
            let fast: Vec<(usize, usize, f64)> = g.hits.iter().map(|h| (h.track, h.detection, h.d2)).collect();
            let slow = brute_force(&tr, &dets);
            let key = |v: &[(usize, usize, f64)]| v.iter().map(|p| (p.0, p.1)).collect::<Vec<_>>();
            // Pairs within rounding of the threshold may fall either way.
            let near = |p: &(usize, usize, f64)| (p.2 - 9.0).abs() < 1e-9;
            let strict = |v: &[(usize, usize, f64)]| v.iter().filter(|p| !near(p)).copied().collect::<Vec<_>>();
            let mut slow_sorted = slow.clone();
            slow_sorted.sort_by_key(|p| (p.0, p.1));
            prop_assert_eq!(key(&strict(&fast)), key(&strict(&slow_sorted)));
            for (f, s) in fast.iter().zip(slow_sorted.iter()) {
                if (f.0, f.1) == (s.0, s.1) {
                    prop_assert!((f.2 - s.2).abs() <= 1e-9 * s.2.max(1.0), "{} vs {}", f.2, s.2);
                }
            }
        }
    }
}
