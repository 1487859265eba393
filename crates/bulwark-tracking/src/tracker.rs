//! The multi-target tracker: one call per sensor scan.
use crate::assignment::{AssignmentSolver, ShortestAugmentingPath};
use crate::association::{GatedPair, gnn_associate};
use crate::error::{ConfigError, DetectionError};
use crate::gating::Gate;
use crate::kalman::{ExtendedKalmanUpdater, KalmanPredictor, MeasurementPrediction, Predictor, Updater};
use crate::measurement::MeasurementModel;
use crate::prefilter::SpatialIndex;
use crate::state::GaussianState;
use crate::track::{DeleteReason, Track, TrackEvent, TrackStatus};
use crate::transition::{ConstantVelocity, TransitionModel};
use bulwark_core::{SensorId, TrackId};
use nalgebra::{DVector, Matrix2};
use std::collections::BTreeMap;
use std::sync::Arc;

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

/// A multi-target tracker: EKF + chi-square gating + GNN + M-of-N logic.
///
/// Call [`Tracker::process`] once per sensor scan, in time order. Each call is one scan for
/// the track logic: every live track not updated in it counts a miss, so a caller whose
/// sensors cover different regions should pass only the detections of one sensor per call
/// and accept that tracks outside that sensor's coverage count misses (coverage-aware miss
/// counting is left to a later version). A detection older than a track's last update cannot
/// update that track (no retrodiction).
#[derive(Debug)]
pub struct Tracker {
    config: TrackerConfig,
    predictor: Box<dyn Predictor>,
    updater: Box<dyn Updater>,
    solver: Box<dyn AssignmentSolver>,
    tracks: Vec<Track>,
    next_id: u64,
}

struct GateHit {
    predicted: GaussianState,
    prediction: MeasurementPrediction,
}

/// Largest eigenvalue of a symmetric 2×2 matrix (analytic).
fn lambda_max(m: &Matrix2<f64>) -> f64 {
    let (a, b, d) = (m[(0, 0)], 0.5 * (m[(0, 1)] + m[(1, 0)]), m[(1, 1)]);
    0.5 * (a + d) + (0.25 * (a - d) * (a - d) + b * b).sqrt()
}

impl Tracker {
    /// A tracker with the EKF updater and the shortest-augmenting-path GNN solver.
    pub fn new(config: TrackerConfig) -> Result<Self, ConfigError> {
        config.validate()?;
        Ok(Self {
            predictor: Box::new(KalmanPredictor::new(config.transition.clone())),
            updater: Box::new(ExtendedKalmanUpdater),
            solver: Box::new(ShortestAugmentingPath),
            config,
            tracks: Vec::new(),
            next_id: 1,
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
    pub fn tracks(&self) -> impl Iterator<Item = &Track> {
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
        self.predictor.predict(&track.gaussian(), dt).ok()
    }

    /// Processes one scan: `t_s` is the scan time (s), each detection carries its own time.
    /// See the type doc for the steps and the meaning of a scan.
    pub fn process(&mut self, t_s: f64, detections: &[Detection]) -> ScanReport {
        self.process_expecting(t_s, detections, &|_| true)
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
        let mut valid = vec![false; detections.len()];
        for (i, d) in detections.iter().enumerate() {
            if !d.t_s.is_finite() || !d.z.iter().all(|v| v.is_finite()) {
                report.rejected.push((i, DetectionError::NotFinite));
            } else if d.z.len() != d.model.dim() {
                report
                    .rejected
                    .push((i, DetectionError::DimensionMismatch { expected: d.model.dim(), got: d.z.len() }));
            } else {
                valid[i] = true;
            }
        }
        let t_scan = if t_s.is_finite() {
            t_s
        } else {
            match detections.iter().zip(&valid).filter(|(_, v)| **v).map(|(d, _)| d.t_s).reduce(f64::max) {
                Some(t) => t,
                None => return report,
            }
        };

        let hits = self.gate(t_scan, detections, &valid, &mut report.stats);

        // Global nearest neighbour.
        let pairs: Vec<GatedPair> =
            hits.iter().map(|(&(t, d), h)| GatedPair { track: t, detection: d, cost: h.1 }).collect();
        let miss: Vec<f64> = detections.iter().map(|d| self.config.gate.threshold(d.model.dim())).collect();
        let assigned = gnn_associate(&pairs, self.tracks.len(), &miss, self.solver.as_ref());

        // Updates.
        let mut updated = vec![false; self.tracks.len()];
        let mut used = vec![false; detections.len()];
        for (ti, di) in assigned {
            let Some((hit, d2)) = hits.get(&(ti, di)) else { continue };
            let det = &detections[di];
            match self.updater.update(&hit.predicted, &hit.prediction, &det.z, det.model.as_ref()) {
                Ok(post) => {
                    let track = &mut self.tracks[ti];
                    track.state = post.mean;
                    track.covariance = post.covariance;
                    track.last_update_t = det.t_s.max(track.last_update_t);
                    track.last_sensor = det.sensor;
                    track.last_nis = Some(*d2);
                    updated[ti] = true;
                    used[di] = true;
                    report.updates.push((di, track.id));
                }
                Err(_) => report.stats.filter_failures += 1,
            }
        }
        report.updates.sort_unstable();

        // Track logic on existing tracks.
        let (m, n, k, g) =
            (self.config.confirm_m, self.config.confirm_n, self.config.delete_misses, self.config.quality_gain);
        let mut keep = vec![true; self.tracks.len()];
        for (i, track) in self.tracks.iter_mut().enumerate() {
            let hit = updated[i];
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
            match track.status {
                TrackStatus::Tentative => {
                    if hit {
                        track.window_hits += 1;
                    }
                    if track.window_hits >= m {
                        track.status = TrackStatus::Confirmed;
                        report.events.push(TrackEvent::Confirmed { track: track.id });
                    } else if track.window_hits + n.saturating_sub(track.scans) < m {
                        keep[i] = false;
                        report.events.push(TrackEvent::Deleted { track: track.id, reason: DeleteReason::NotConfirmed });
                    }
                }
                TrackStatus::Confirmed | TrackStatus::Coasting => {
                    if hit {
                        track.status = TrackStatus::Confirmed;
                    } else if track.misses >= k {
                        keep[i] = false;
                        report.events.push(TrackEvent::Deleted { track: track.id, reason: DeleteReason::Missed });
                    } else {
                        track.status = TrackStatus::Coasting;
                    }
                }
            }
        }
        let mut keep_iter = keep.into_iter();
        self.tracks.retain(|_| keep_iter.next().unwrap_or(true));

        // Single-point initiation from every valid detection left over.
        for (di, det) in detections.iter().enumerate() {
            if !valid[di] || used[di] {
                continue;
            }
            let Some(init) = det.model.initial_state(&det.z, self.config.init_velocity_sigma_mps) else { continue };
            if !init.is_finite() {
                continue;
            }
            let id = TrackId(self.next_id);
            self.next_id += 1;
            let confirmed = m <= 1;
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
                window_hits: 1,
            });
            report.events.push(TrackEvent::Initiated { track: id, detection: di });
            if confirmed {
                report.events.push(TrackEvent::Confirmed { track: id });
            }
        }
        report
    }

    /// Pre-filter and chi-square gate: the gated (track, detection) pairs with the predicted
    /// state, the measurement prediction and d².
    fn gate(
        &self,
        t_scan: f64,
        detections: &[Detection],
        valid: &[bool],
        stats: &mut ScanStats,
    ) -> BTreeMap<(usize, usize), (GateHit, f64)> {
        let kf = self.config.prefilter_inflation;
        let gamma_max = detections
            .iter()
            .zip(valid)
            .filter(|(_, v)| **v)
            .map(|(d, _)| self.config.gate.threshold(d.model.dim()))
            .fold(0.0, f64::max);
        let dt_max =
            detections.iter().zip(valid).filter(|(_, v)| **v).map(|(d, _)| (d.t_s - t_scan).abs()).fold(0.0, f64::max);
        // Track disks at the scan time; a track whose prediction fails gets a NaN disk, which
        // the index treats as a candidate for every detection.
        let disks: Vec<([f64; 2], f64)> = self
            .tracks
            .iter()
            .map(|t| {
                let dt = (t_scan - t.last_update_t).max(0.0);
                match self.predictor.predict(&t.gaussian(), dt) {
                    Ok(p) => {
                        let pp = p.covariance.fixed_view::<2, 2>(0, 0).into_owned();
                        let pv = p.covariance.fixed_view::<2, 2>(3, 3).into_owned();
                        let speed = p.mean[3].hypot(p.mean[4]) + kf * (gamma_max * lambda_max(&pv)).sqrt();
                        ([p.mean[0], p.mean[1]], kf * (gamma_max * lambda_max(&pp)).sqrt() + speed * dt_max)
                    }
                    Err(_) => ([f64::NAN, f64::NAN], f64::NAN),
                }
            })
            .collect();
        let index = SpatialIndex::build(&disks);
        let mut candidates = Vec::new();
        let mut hits = BTreeMap::new();
        for (di, det) in detections.iter().enumerate() {
            if !valid[di] {
                continue;
            }
            let gamma = self.config.gate.threshold(det.model.dim());
            match det.model.position_fix(&det.z) {
                Some(fix) => {
                    let c = fix.covariance.fixed_view::<2, 2>(0, 0).into_owned();
                    index.query(
                        [fix.position.x, fix.position.y],
                        kf * (gamma * lambda_max(&c)).sqrt(),
                        &mut candidates,
                    );
                }
                None => {
                    candidates.clear();
                    candidates.extend(0..self.tracks.len());
                }
            }
            for &ti in &candidates {
                let track = &self.tracks[ti];
                let dt = det.t_s - track.last_update_t;
                if dt < 0.0 {
                    continue; // no retrodiction
                }
                stats.candidate_pairs += 1;
                let gated = self.predictor.predict(&track.gaussian(), dt).and_then(|predicted| {
                    let prediction = self.updater.predict_measurement(&predicted, det.model.as_ref())?;
                    let d2 = prediction.mahalanobis_sq(&det.model.residual(&det.z, &prediction.z_pred));
                    Ok((GateHit { predicted, prediction }, d2))
                });
                match gated {
                    Ok((hit, d2)) => {
                        if d2.is_finite() && d2 <= gamma {
                            stats.gated_pairs += 1;
                            hits.insert((ti, di), (hit, d2));
                        }
                    }
                    Err(_) => stats.filter_failures += 1,
                }
            }
        }
        hits
    }
}
