//! Joint probabilistic data association (JPDA) and joint integrated PDA (JIPDA).
//!
//! **Joint events** (Fortmann, Bar-Shalom & Scheffe 1983, IEEE J. Oceanic Eng. 8(3);
//! Bar-Shalom, Willett & Tian 2011, *Tracking and Data Fusion*, §6.2, parametric JPDA with
//! Poisson clutter of density λ): a feasible event ε gives every track in a cluster at most one
//! detection and every detection at most one track. With gating probability P_G,
//!
//! ```text
//! P(ε | Z) ∝ Π_{t undetected in ε} (1 − P_D P_G P(χ_t)) · Π_{t ← j in ε} P_D P(χ_t) N(ν_tj; 0, S_tj) / λ
//! ```
//!
//! and the marginals are β_tj = Σ_{ε ∋ (t, j)} P(ε | Z), β_t0 = Σ_{ε: t undetected} P(ε | Z).
//! For JPDA P(χ_t) = 1. For JIPDA (Mušicki & Evans 2004, "Joint integrated probabilistic data
//! association: JIPDA", IEEE TAES 40(3), eqs. 30–37) P(χ_t) is the track's existence
//! probability, predicted by the Markov chain P(χ⁻) = p_S P(χ) each scan and updated by
//!
//! ```text
//! P(χ | Z) = β_t0 · P(χ⁻)(1 − P_D P_G) / (1 − P_D P_G P(χ⁻)) + Σ_j β_tj,
//! ```
//!
//! the state being updated with the association probabilities conditioned on existence
//! (β_tj / P(χ | Z), and the rest for "no detection"). Events are enumerated exactly per
//! cluster (connected component of gated pairs); a cluster with more than
//! [`JpdaConfig::max_events`] feasible events is approximated ([`JpdaApproximation`]: the
//! cheap JPDA of Fitzgerald 1986, or its k most likely events from Murty's ranking, Cox &
//! Miller 1995) and counted in [`JpdaStats`].
//!
//! **Update** (PDA, Bar-Shalom & Tse 1975, Automatica 11; Bar-Shalom et al. 2011 §3.4): the
//! posterior is the moment-matched mixture of "no detection" (the prediction) and the EKF
//! posteriors x_j, P_j of each gated detection:
//! x = Σ β_j x_j, P = Σ β_j (P_j + (x_j − x)(x_j − x)ᵀ), j = 0…m. For a common prediction and H
//! this is the textbook x⁻ + K ν with the combined innovation ν = Σ β_j ν_j and
//! P = β_0 P⁻ + (1 − β_0) P^c + K (Σ β_j ν_j ν_jᵀ − ν νᵀ) Kᵀ (spread of innovations); the
//! mixture form also handles detections of one scan taken at different times (each
//! component is predicted to the latest of them).
use crate::assignment::{AssignmentSolver, ShortestAugmentingPath};
use crate::chi2;
use crate::error::ConfigError;
use crate::gating::Gate;
use crate::kalman::{ExtendedKalmanUpdater, KalmanPredictor, MeasurementPrediction, Predictor, Updater};
use crate::kbest::k_best_assignments;
use crate::multi::MultiTargetTracker;
use crate::prefilter::{SpatialIndex, fix_radius, track_disk};
use crate::state::{GaussianState, StateMatrix, StateVector};
use crate::track::{DeleteReason, Track, TrackEvent, TrackStatus};
use crate::tracker::{Detection, ScanReport, ScanStats};
use crate::transition::{ConstantVelocity, TransitionModel};
use bulwark_core::TrackId;
use std::collections::BTreeMap;
use std::f64::consts::PI;
use std::sync::Arc;

/// Why [`exact_marginals`] or [`kbest_marginals`] gave no result.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum MarginalError {
    #[error("inputs must be finite, non-negative and of the stated sizes")]
    BadInput,
    #[error("more than {0} feasible joint events")]
    TooManyEvents(usize),
    #[error("no joint event has positive probability")]
    NoFeasibleEvent,
}

/// Marginal association probabilities of one cluster of `n` tracks and `m` detections.
#[derive(Clone, Debug, PartialEq)]
pub struct ClusterMarginals {
    pub n_tracks: usize,
    pub n_detections: usize,
    /// Row-major n × (m + 1): column 0 is β_t0 (track undetected), column 1 + j is β_tj.
    pub beta: Vec<f64>,
    /// Joint events with positive probability that were summed.
    pub events: usize,
    /// False when only the k best events were summed.
    pub exact: bool,
}

impl ClusterMarginals {
    /// β_t0: probability that track `t` has no detection.
    pub fn miss(&self, t: usize) -> f64 {
        self.beta[t * (self.n_detections + 1)]
    }
    /// β_tj.
    pub fn assoc(&self, t: usize, j: usize) -> f64 {
        self.beta[t * (self.n_detections + 1) + 1 + j]
    }
}

/// Scales each track's row so that its largest factor is 1: every event has exactly one
/// factor per track, so this multiplies all events by the same constant (no overflow).
fn scaled(miss: &[f64], ratio: &[f64], n: usize, m: usize) -> Result<(Vec<f64>, Vec<f64>), MarginalError> {
    if miss.len() != n || ratio.len() != n * m || miss.iter().chain(ratio).any(|v| !(v.is_finite() && *v >= 0.0)) {
        return Err(MarginalError::BadInput);
    }
    let (mut a, mut r) = (miss.to_vec(), ratio.to_vec());
    for t in 0..n {
        let c = ratio[t * m..(t + 1) * m].iter().copied().fold(miss[t], f64::max);
        if c > 0.0 {
            a[t] /= c;
            r[t * m..(t + 1) * m].iter_mut().for_each(|v| *v /= c);
        }
    }
    Ok((a, r))
}

struct Enumeration<'a> {
    miss: &'a [f64],
    ratio: &'a [f64],
    n: usize,
    m: usize,
    limit: usize,
    used: Vec<bool>,
    choice: Vec<usize>,
    acc: Vec<f64>,
    total: f64,
    count: usize,
}

impl Enumeration<'_> {
    /// Depth-first over tracks; false once more than `limit` events were met.
    fn run(&mut self, t: usize, w: f64) -> bool {
        if t == self.n {
            self.count += 1;
            if self.count > self.limit {
                return false;
            }
            self.total += w;
            for (i, &c) in self.choice.iter().enumerate() {
                self.acc[i * (self.m + 1) + c] += w;
            }
            return true;
        }
        if self.miss[t] > 0.0 {
            self.choice[t] = 0;
            if !self.run(t + 1, w * self.miss[t]) {
                return false;
            }
        }
        for j in 0..self.m {
            let r = self.ratio[t * self.m + j];
            if r > 0.0 && !self.used[j] {
                self.used[j] = true;
                self.choice[t] = j + 1;
                let ok = self.run(t + 1, w * r);
                self.used[j] = false;
                if !ok {
                    return false;
                }
            }
        }
        true
    }
}

/// Exact marginals by enumerating every feasible joint event (module doc): `miss[t]` is the
/// factor of track t undetected (1 − P_D P_G P(χ_t)), `ratio[t·m + j]` the factor of t ← j
/// (P_D P(χ_t) N(ν_tj; 0, S_tj)/λ, 0 when j is outside t's gate). Fails with
/// [`MarginalError::TooManyEvents`] past `max_events` events.
pub fn exact_marginals(
    miss: &[f64],
    ratio: &[f64],
    n: usize,
    m: usize,
    max_events: usize,
) -> Result<ClusterMarginals, MarginalError> {
    let (a, r) = scaled(miss, ratio, n, m)?;
    let mut e = Enumeration {
        miss: &a,
        ratio: &r,
        n,
        m,
        limit: max_events,
        used: vec![false; m],
        choice: vec![0; n],
        acc: vec![0.0; n * (m + 1)],
        total: 0.0,
        count: 0,
    };
    if !e.run(0, 1.0) {
        return Err(MarginalError::TooManyEvents(max_events));
    }
    if e.total.partial_cmp(&0.0) != Some(std::cmp::Ordering::Greater) {
        return Err(MarginalError::NoFeasibleEvent);
    }
    let total = e.total;
    Ok(ClusterMarginals {
        n_tracks: n,
        n_detections: m,
        beta: e.acc.iter().map(|v| v / total).collect(),
        events: e.count,
        exact: true,
    })
}

/// Approximate marginals from the `k` most likely joint events (Murty's ranking on costs
/// −ln of the factors; unassigned detections cost 0), normalised over those events.
pub fn kbest_marginals(
    miss: &[f64],
    ratio: &[f64],
    n: usize,
    m: usize,
    k: usize,
    solver: &dyn AssignmentSolver,
) -> Result<ClusterMarginals, MarginalError> {
    let (a, r) = scaled(miss, ratio, n, m)?;
    // ln of the smallest normal f64 is about −708: a factor below e^−700 counts as e^−700.
    let cost_of = |v: f64| if v > 0.0 { (-v.ln()).min(700.0) } else { f64::INFINITY };
    let cost: Vec<f64> = r.iter().map(|&v| cost_of(v)).collect();
    let row_miss: Vec<f64> = a.iter().map(|&v| cost_of(v).min(700.0)).collect();
    let events =
        k_best_assignments(solver, &cost, n, m, &row_miss, &vec![0.0; m], k.max(1)).ok_or(MarginalError::BadInput)?;
    let Some(c0) = events.first().map(|e| e.cost) else { return Err(MarginalError::NoFeasibleEvent) };
    let mut acc = vec![0.0; n * (m + 1)];
    let mut total = 0.0;
    for e in &events {
        let w = (c0 - e.cost).exp();
        total += w;
        for (t, c) in e.row_to_col.iter().enumerate() {
            acc[t * (m + 1) + c.map_or(0, |j| j + 1)] += w;
        }
    }
    Ok(ClusterMarginals {
        n_tracks: n,
        n_detections: m,
        beta: acc.iter().map(|v| v / total).collect(),
        events: events.len(),
        exact: false,
    })
}

/// The "cheap JPDA" approximation (Fitzgerald 1986, "Development of practical PDA logic for
/// multitarget tracking by microprocessor", Proc. American Control Conference), O(n·m):
/// with G_tj = ratio_tj / miss_t, S_t = Σ_j G_tj, S_j = Σ_t G_tj,
/// β_tj = G_tj / (S_t + S_j − G_tj + 1), β_t0 = 1 − Σ_j β_tj. The bias B = 1 makes it exact
/// for a track whose detections no other track gates (the single-target PDAF).
pub fn cheap_marginals(miss: &[f64], ratio: &[f64], n: usize, m: usize) -> Result<ClusterMarginals, MarginalError> {
    let (a, r) = scaled(miss, ratio, n, m)?;
    let g: Vec<f64> = (0..n * m).map(|k| r[k] / a[k / m.max(1)].max(1e-12)).collect();
    let st: Vec<f64> = (0..n).map(|t| g[t * m..(t + 1) * m].iter().sum()).collect();
    let sj: Vec<f64> = (0..m).map(|j| (0..n).map(|t| g[t * m + j]).sum()).collect();
    let mut beta = vec![0.0; n * (m + 1)];
    for t in 0..n {
        let mut sum = 0.0;
        for j in 0..m {
            let gtj = g[t * m + j];
            if gtj > 0.0 {
                let b = gtj / (st[t] + sj[j] - gtj + 1.0);
                beta[t * (m + 1) + 1 + j] = b;
                sum += b;
            }
        }
        beta[t * (m + 1)] = (1.0 - sum).max(0.0);
    }
    if !beta.iter().all(|b| b.is_finite()) {
        return Err(MarginalError::BadInput);
    }
    Ok(ClusterMarginals { n_tracks: n, n_detections: m, beta, events: 0, exact: false })
}

/// How a cluster with more than [`JpdaConfig::max_events`] joint events is approximated.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum JpdaApproximation {
    /// [`cheap_marginals`]: O(n·m), exact for isolated tracks.
    Cheap,
    /// [`kbest_marginals`] with this many events: closer to exact on small clusters, but
    /// k·n assignment solves of O((n + m)³) each.
    KBest(usize),
}

/// P_G of a gate for measurement dimension `dim`.
pub(crate) fn gate_probability(gate: &Gate, dim: usize) -> f64 {
    match *gate {
        Gate::Probability(p) => p,
        Gate::Threshold(_) | Gate::Mahalanobis(_) => chi2::cdf(gate.threshold(dim), dim),
    }
}

/// N(ν; 0, S) for a gated pair with d² = νᵀS⁻¹ν (units of z⁻¹ per dimension).
pub(crate) fn gaussian_density(prediction: &MeasurementPrediction, d2: f64) -> f64 {
    let det = (prediction.s.clone() * (2.0 * PI)).determinant();
    if det > 0.0 && det.is_finite() { (-0.5 * d2).exp() / det.sqrt() } else { 0.0 }
}

/// One gated (prior, detection) pair with its prediction, d² and EKF posterior.
#[derive(Clone, Debug)]
pub(crate) struct PairHit {
    pub prior: usize,
    pub detection: usize,
    pub prediction: MeasurementPrediction,
    pub d2: f64,
    pub posterior: GaussianState,
}

/// Validity of each detection (finite, dimension of its model), with the rejections reported.
pub(crate) fn validate_detections(detections: &[Detection], report: &mut ScanReport) -> Vec<bool> {
    crate::tracker::Tracker::validate_detections(detections, &mut report.rejected)
}

/// The scan time: `t_s` if finite, else the latest valid detection time.
pub(crate) fn scan_time(t_s: f64, detections: &[Detection], valid: &[bool]) -> Option<f64> {
    if t_s.is_finite() {
        return Some(t_s);
    }
    detections.iter().zip(valid).filter(|(_, v)| **v).map(|(d, _)| d.t_s).reduce(f64::max)
}

/// The shared gating stage of JPDA and MHT, as in [`crate::Tracker`]: spatial pre-filter on
/// horizontal disks, then the chi-square gate on d² with the prior predicted to each
/// detection's own time (no retrodiction). `priors` are (posterior, time of posterior).
/// Returns the gated pairs sorted by (prior, detection), each with its EKF posterior.
pub(crate) struct Gating<'a> {
    pub predictor: &'a dyn Predictor,
    pub updater: &'a dyn Updater,
    pub gate: Gate,
    pub inflation: f64,
}

impl Gating<'_> {
    pub(crate) fn run(
        &self,
        priors: &[(GaussianState, f64)],
        t_scan: f64,
        detections: &[Detection],
        valid: &[bool],
        stats: &mut ScanStats,
    ) -> Vec<PairHit> {
        let kf = self.inflation;
        let live = || detections.iter().zip(valid).filter(|(_, v)| **v).map(|(d, _)| d);
        let gamma_max = live().map(|d| self.gate.threshold(d.model.dim())).fold(0.0, f64::max);
        let dt_max = live().map(|d| (d.t_s - t_scan).abs()).fold(0.0, f64::max);
        let disks: Vec<([f64; 2], f64)> = priors
            .iter()
            .map(|(g, t)| match self.predictor.predict_horizontal(g, (t_scan - t).max(0.0)) {
                Ok(h) => track_disk(&h, gamma_max, kf, dt_max),
                Err(_) => ([f64::NAN, f64::NAN], f64::NAN),
            })
            .collect();
        let index = SpatialIndex::build(&disks);
        let mut candidates = Vec::new();
        let mut hits = Vec::new();
        for (di, det) in detections.iter().enumerate() {
            if !valid[di] {
                continue;
            }
            let gamma = self.gate.threshold(det.model.dim());
            match det.model.position_fix(&det.z) {
                Some(fix) => {
                    index.query(
                        [fix.position.x, fix.position.y],
                        fix_radius(&fix.covariance, gamma, kf),
                        &mut candidates,
                    );
                }
                None => {
                    candidates.clear();
                    candidates.extend(0..priors.len());
                }
            }
            for &pi in &candidates {
                let (g, t) = &priors[pi];
                let dt = det.t_s - t;
                if dt < 0.0 {
                    continue;
                }
                stats.candidate_pairs += 1;
                let gated = self.predictor.predict(g, dt).and_then(|predicted| {
                    let prediction = self.updater.predict_measurement(&predicted, det.model.as_ref())?;
                    let d2 = prediction.mahalanobis_sq(&det.model.residual(&det.z, &prediction.z_pred));
                    Ok((predicted, prediction, d2))
                });
                match gated {
                    Ok((predicted, prediction, d2)) if d2.is_finite() && d2 <= gamma => {
                        match self.updater.update(&predicted, &prediction, &det.z, det.model.as_ref()) {
                            Ok(posterior) => {
                                stats.gated_pairs += 1;
                                hits.push(PairHit { prior: pi, detection: di, prediction, d2, posterior });
                            }
                            Err(_) => stats.filter_failures += 1,
                        }
                    }
                    Ok(_) => {}
                    Err(_) => stats.filter_failures += 1,
                }
            }
        }
        hits.sort_by_key(|h| (h.prior, h.detection));
        hits
    }
}

fn find(parent: &mut [usize], mut x: usize) -> usize {
    while parent[x] != x {
        parent[x] = parent[parent[x]];
        x = parent[x];
    }
    x
}

/// Connected components of the bipartite graph (priors 0..n, detections) given by `hits`:
/// per cluster the indices into `hits`, clusters in order of their smallest prior.
pub(crate) fn clusters(hits: &[PairHit], n_priors: usize, n_det: usize) -> Vec<Vec<usize>> {
    let mut parent: Vec<usize> = (0..n_priors + n_det).collect();
    for h in hits {
        let (a, b) = (find(&mut parent, h.prior), find(&mut parent, n_priors + h.detection));
        if a != b {
            parent[a.max(b)] = a.min(b);
        }
    }
    let mut by_root: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (k, h) in hits.iter().enumerate() {
        let r = find(&mut parent, h.prior);
        by_root.entry(r).or_default().push(k);
    }
    by_root.into_values().collect()
}

/// Moment-matched mixture of Gaussians `(weight, state, time)` at the latest time among them,
/// each component predicted there first (module doc, PDA update).
fn mixture(predictor: &dyn Predictor, comps: &[(f64, GaussianState, f64)]) -> Option<(GaussianState, f64)> {
    let t_ref = comps.iter().filter(|c| c.0 > 0.0).map(|c| c.2).reduce(f64::max)?;
    let mut moved = Vec::with_capacity(comps.len());
    let mut wsum = 0.0;
    for (w, g, t) in comps {
        if *w <= 0.0 {
            continue;
        }
        let g = if t_ref > *t { predictor.predict(g, t_ref - t).ok()? } else { g.clone() };
        wsum += w;
        moved.push((*w, g));
    }
    let mut mean = StateVector::zeros();
    for (w, g) in &moved {
        mean += g.mean * (w / wsum);
    }
    let mut cov = StateMatrix::zeros();
    for (w, g) in &moved {
        let d = g.mean - mean;
        cov += (g.covariance + d * d.transpose()) * (w / wsum);
    }
    let out = GaussianState::new(mean, (cov + cov.transpose()) * 0.5);
    out.is_finite().then_some((out, t_ref))
}

/// JPDA / JIPDA parameters.
#[derive(Clone, Debug)]
pub struct JpdaConfig {
    /// Motion model of every track.
    pub transition: Arc<dyn TransitionModel>,
    /// Validation gate on d²; its P_G enters the miss factor.
    pub gate: Gate,
    /// Probability of detection P_D in (0, 1].
    pub pd: f64,
    /// Clutter density λ: expected false detections per unit of measurement-space volume per
    /// scan (units of 1/Π z, e.g. m⁻³ for [`crate::Cartesian`], (m·rad²·m/s)⁻¹ for range,
    /// azimuth, elevation, range rate). Must be > 0.
    pub clutter_density: f64,
    /// JIPDA (track existence) instead of JPDA with M-of-N logic.
    pub jipda: bool,
    /// JIPDA: Markov-chain probability that a track exists at the next scan if it exists now.
    pub survival_probability: f64,
    /// JIPDA: existence probability of a new track.
    pub initial_existence: f64,
    /// JIPDA: a tentative track is confirmed when its existence reaches this.
    pub confirm_existence: f64,
    /// JIPDA: a track is deleted when its existence falls below this.
    pub delete_existence: f64,
    /// JPDA: confirm after `confirm_m` hits in the first `confirm_n` scans (a hit: some
    /// detection with β_tj ≥ ½).
    pub confirm_m: u32,
    pub confirm_n: u32,
    /// JPDA: delete a confirmed track after this many consecutive scans without a hit.
    pub delete_misses: u32,
    /// σᵥ of the single-point initiation velocity prior, m/s.
    pub init_velocity_sigma_mps: f64,
    /// A detection starts a new track when its total association probability to existing
    /// tracks, Σ_t β_tj, is below this (in (0, 1]).
    pub init_max_association: f64,
    /// Exact enumeration bound: clusters with more feasible events are approximated.
    pub max_events: usize,
    /// Approximation of a cluster with more than `max_events` events.
    pub approximation: JpdaApproximation,
    /// JPDA: gain of the quality filter q ← q + g (hit − q).
    pub quality_gain: f64,
    /// Pre-filter safety factor (≥ 1), as [`crate::TrackerConfig::prefilter_inflation`].
    pub prefilter_inflation: f64,
}

impl JpdaConfig {
    /// Constant velocity with spectral density `q` (m²/s³), P_G = 0.999, the given P_D and λ;
    /// JPDA logic 3-of-4 / 5 misses; JIPDA p_S = 0.98, initial existence 0.2, confirm at 0.95,
    /// delete below 0.02; σᵥ = 300 m/s; new track when Σβ < 0.5; 5 000 exact events, cheap JPDA
    /// beyond.
    pub fn constant_velocity(q: f64, pd: f64, clutter_density: f64, jipda: bool) -> Self {
        Self {
            transition: Arc::new(ConstantVelocity::new(q)),
            gate: Gate::Probability(0.999),
            pd,
            clutter_density,
            jipda,
            survival_probability: 0.98,
            initial_existence: 0.2,
            confirm_existence: 0.95,
            delete_existence: 0.02,
            confirm_m: 3,
            confirm_n: 4,
            delete_misses: 5,
            init_velocity_sigma_mps: 300.0,
            init_max_association: 0.5,
            max_events: 5_000,
            approximation: JpdaApproximation::Cheap,
            quality_gain: 0.25,
            prefilter_inflation: 2.0,
        }
    }

    /// Checks every parameter.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let unit = |name: &'static str, v: f64, lo_open: bool| {
            let ok = if lo_open { v > 0.0 && v <= 1.0 } else { (0.0..=1.0).contains(&v) };
            if ok { Ok(()) } else { Err(ConfigError::OutOfRange { name, value: v }) }
        };
        unit("pd", self.pd, true)?;
        if !(self.clutter_density.is_finite() && self.clutter_density > 0.0) {
            return Err(ConfigError::OutOfRange { name: "clutter_density", value: self.clutter_density });
        }
        unit("survival_probability", self.survival_probability, true)?;
        unit("initial_existence", self.initial_existence, true)?;
        unit("confirm_existence", self.confirm_existence, true)?;
        unit("delete_existence", self.delete_existence, false)?;
        if self.delete_existence >= self.confirm_existence {
            return Err(ConfigError::OutOfRange { name: "delete_existence", value: self.delete_existence });
        }
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
        unit("init_max_association", self.init_max_association, true)?;
        if self.max_events == 0 || self.approximation == JpdaApproximation::KBest(0) {
            return Err(ConfigError::OutOfRange { name: "max_events / approximation k", value: 0.0 });
        }
        unit("quality_gain", self.quality_gain, true)?;
        if !(self.prefilter_inflation >= 1.0 && self.prefilter_inflation.is_finite()) {
            return Err(ConfigError::OutOfRange { name: "prefilter_inflation", value: self.prefilter_inflation });
        }
        Ok(())
    }
}

/// Counters of the association stage of the last scan.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct JpdaStats {
    /// Clusters of gated pairs.
    pub clusters: usize,
    /// Clusters whose events exceeded `max_events` and were approximated by the k best.
    pub approximated_clusters: usize,
    /// Joint events summed, all clusters.
    pub events: usize,
    /// Tracks in the largest cluster.
    pub largest_cluster: usize,
}

/// A JPDA or JIPDA multi-target tracker (module doc), EKF per track.
///
/// Track logic: a hit is a scan where some detection has β_tj ≥ ½ (taken as the track's);
/// JPDA uses M-of-N confirmation and deletion after K scans without a hit, the quality being
/// an exponentially weighted hit rate; JIPDA confirms and deletes on the existence
/// probability, which is also the track quality. A confirmed track without a hit is coasting.
#[derive(Debug)]
pub struct JpdaTracker {
    config: JpdaConfig,
    predictor: Box<dyn Predictor>,
    updater: Box<dyn Updater>,
    solver: Box<dyn AssignmentSolver>,
    tracks: Vec<Track>,
    next_id: u64,
    stats: JpdaStats,
}

impl JpdaTracker {
    /// A tracker with the EKF and the shortest-augmenting-path solver for the k-best fallback.
    pub fn new(config: JpdaConfig) -> Result<Self, ConfigError> {
        config.validate()?;
        Ok(Self {
            predictor: Box::new(KalmanPredictor::new(config.transition.clone())),
            updater: Box::new(ExtendedKalmanUpdater),
            solver: Box::new(ShortestAugmentingPath),
            config,
            tracks: Vec::new(),
            next_id: 1,
            stats: JpdaStats::default(),
        })
    }
    /// Replaces the measurement updater (e.g. an unscented updater).
    pub fn with_updater(mut self, updater: Box<dyn Updater>) -> Self {
        self.updater = updater;
        self
    }
    pub fn config(&self) -> &JpdaConfig {
        &self.config
    }
    /// Live tracks in ascending id order.
    pub fn tracks(&self) -> impl Iterator<Item = &Track> {
        self.tracks.iter()
    }
    pub fn track(&self, id: TrackId) -> Option<&Track> {
        self.tracks.binary_search_by_key(&id, |t| t.id).ok().map(|i| &self.tracks[i])
    }
    /// Association counters of the last scan.
    pub fn last_stats(&self) -> JpdaStats {
        self.stats
    }

    /// Processes one scan (see [`MultiTargetTracker::process_scan`]).
    pub fn process(&mut self, t_s: f64, detections: &[Detection]) -> ScanReport {
        let mut report = ScanReport::default();
        self.stats = JpdaStats::default();
        let valid = validate_detections(detections, &mut report);
        let Some(t_scan) = scan_time(t_s, detections, &valid) else { return report };
        let cfg = &self.config;
        let n = self.tracks.len();
        // Existence prediction (JIPDA Markov chain); JPDA: P(χ) = 1.
        let existence: Vec<f64> =
            self.tracks.iter().map(|t| if cfg.jipda { cfg.survival_probability * t.quality } else { 1.0 }).collect();
        let priors: Vec<(GaussianState, f64)> = self.tracks.iter().map(|t| (t.gaussian(), t.last_update_t)).collect();
        let gating = Gating {
            predictor: self.predictor.as_ref(),
            updater: self.updater.as_ref(),
            gate: cfg.gate,
            inflation: cfg.prefilter_inflation,
        };
        let hits = gating.run(&priors, t_scan, detections, &valid, &mut report.stats);

        // Per track: (β_t0, [(hit index, β_tj)]), unconditional; default: no detection.
        let mut beta0 = vec![1.0; n];
        let mut beta_j: Vec<Vec<(usize, f64)>> = vec![Vec::new(); n];
        let mut det_mass = vec![0.0; detections.len()];
        let pg_of = |dim: usize| gate_probability(&cfg.gate, dim);
        let mut pg_track = vec![pg_of(3); n];
        for cluster in clusters(&hits, n, detections.len()) {
            let mut ts: Vec<usize> = cluster.iter().map(|&k| hits[k].prior).collect();
            let mut ds: Vec<usize> = cluster.iter().map(|&k| hits[k].detection).collect();
            ts.sort_unstable();
            ts.dedup();
            ds.sort_unstable();
            ds.dedup();
            let (nt, nd) = (ts.len(), ds.len());
            let mut ratio = vec![0.0; nt * nd];
            let mut miss = vec![0.0; nt];
            for &k in &cluster {
                let h = &hits[k];
                let (Ok(a), Ok(b)) = (ts.binary_search(&h.prior), ds.binary_search(&h.detection)) else { continue };
                ratio[a * nd + b] =
                    cfg.pd * existence[h.prior] * gaussian_density(&h.prediction, h.d2) / cfg.clutter_density;
                pg_track[h.prior] = pg_of(detections[h.detection].model.dim());
            }
            for (a, &t) in ts.iter().enumerate() {
                miss[a] = 1.0 - cfg.pd * pg_track[t] * existence[t];
            }
            self.stats.clusters += 1;
            self.stats.largest_cluster = self.stats.largest_cluster.max(nt);
            let marg = match exact_marginals(&miss, &ratio, nt, nd, cfg.max_events) {
                Err(MarginalError::TooManyEvents(_)) => {
                    self.stats.approximated_clusters += 1;
                    match cfg.approximation {
                        JpdaApproximation::Cheap => cheap_marginals(&miss, &ratio, nt, nd),
                        JpdaApproximation::KBest(k) => kbest_marginals(&miss, &ratio, nt, nd, k, self.solver.as_ref()),
                    }
                }
                other => other,
            };
            let Ok(marg) = marg else {
                report.stats.filter_failures += 1;
                continue;
            };
            self.stats.events += marg.events;
            for &k in &cluster {
                let h = &hits[k];
                let (Ok(a), Ok(b)) = (ts.binary_search(&h.prior), ds.binary_search(&h.detection)) else { continue };
                let beta = marg.assoc(a, b);
                beta_j[h.prior].push((k, beta));
                det_mass[h.detection] += beta;
            }
            for (a, &t) in ts.iter().enumerate() {
                beta0[t] = marg.miss(a);
            }
        }

        // State, existence and logic per track.
        let (m, nn, kdel, g) = (cfg.confirm_m, cfg.confirm_n, cfg.delete_misses, cfg.quality_gain);
        let mut keep = vec![true; n];
        for (i, track) in self.tracks.iter_mut().enumerate() {
            let pdpg = cfg.pd * pg_track[i];
            let (post_ex, cond0) = if cfg.jipda {
                let undetected = existence[i] * (1.0 - pdpg) / (1.0 - pdpg * existence[i]);
                let post = beta0[i] * undetected + beta_j[i].iter().map(|x| x.1).sum::<f64>();
                (post, if post > 0.0 { beta0[i] * undetected / post } else { 1.0 })
            } else {
                (1.0, beta0[i])
            };
            let scale = if post_ex > 0.0 { 1.0 / post_ex } else { 0.0 };
            let mut comps = vec![(cond0, track.gaussian(), track.last_update_t)];
            for &(k, b) in &beta_j[i] {
                comps.push((b * scale, hits[k].posterior.clone(), detections[hits[k].detection].t_s));
            }
            if comps.len() > 1 {
                match mixture(self.predictor.as_ref(), &comps) {
                    Some((post, t_ref)) => {
                        track.state = post.mean;
                        track.covariance = post.covariance;
                        track.last_update_t = t_ref.max(track.last_update_t);
                    }
                    None => report.stats.filter_failures += 1,
                }
            }
            let best = beta_j[i].iter().copied().max_by(|x, y| x.1.total_cmp(&y.1));
            let hit = best.is_some_and(|(_, b)| b >= 0.5);
            if let Some((k, b)) = best {
                if b >= 0.5 {
                    report.updates.push((hits[k].detection, track.id));
                    track.last_sensor = detections[hits[k].detection].sensor;
                }
                if hit {
                    track.last_nis = Some(hits[k].d2);
                }
            }
            track.scans = track.scans.saturating_add(1);
            if hit {
                track.hits = track.hits.saturating_add(1);
                track.misses = 0;
            } else {
                track.misses = track.misses.saturating_add(1);
            }
            if cfg.jipda {
                track.quality = post_ex.clamp(0.0, 1.0);
                if track.quality < cfg.delete_existence {
                    keep[i] = false;
                    let reason =
                        if track.status.is_confirmed() { DeleteReason::Missed } else { DeleteReason::NotConfirmed };
                    report.events.push(TrackEvent::Deleted { track: track.id, reason });
                    continue;
                }
                if track.status == TrackStatus::Tentative {
                    if track.quality >= cfg.confirm_existence {
                        track.status = TrackStatus::Confirmed;
                        report.events.push(TrackEvent::Confirmed { track: track.id });
                    }
                } else {
                    track.status = if hit { TrackStatus::Confirmed } else { TrackStatus::Coasting };
                }
                continue;
            }
            track.quality += g * (f64::from(u8::from(hit)) - track.quality);
            match track.status {
                TrackStatus::Tentative => {
                    if hit {
                        track.window_hits += 1;
                    }
                    if track.window_hits >= m {
                        track.status = TrackStatus::Confirmed;
                        report.events.push(TrackEvent::Confirmed { track: track.id });
                    } else if track.window_hits + nn.saturating_sub(track.scans) < m {
                        keep[i] = false;
                        report.events.push(TrackEvent::Deleted { track: track.id, reason: DeleteReason::NotConfirmed });
                    }
                }
                TrackStatus::Confirmed | TrackStatus::Coasting => {
                    if hit {
                        track.status = TrackStatus::Confirmed;
                    } else if track.misses >= kdel {
                        keep[i] = false;
                        report.events.push(TrackEvent::Deleted { track: track.id, reason: DeleteReason::Missed });
                    } else {
                        track.status = TrackStatus::Coasting;
                    }
                }
            }
        }
        report.updates.sort_unstable();
        let mut keep_iter = keep.into_iter();
        self.tracks.retain(|_| keep_iter.next().unwrap_or(true));

        // Initiation from detections that existing tracks do not explain.
        for (di, det) in detections.iter().enumerate() {
            if !valid[di] || det_mass[di] >= cfg.init_max_association {
                continue;
            }
            let Some(init) = det.model.initial_state(&det.z, cfg.init_velocity_sigma_mps) else { continue };
            if !init.is_finite() {
                continue;
            }
            let id = TrackId(self.next_id);
            self.next_id += 1;
            let confirmed = if cfg.jipda { cfg.initial_existence >= cfg.confirm_existence } else { cfg.confirm_m <= 1 };
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
                quality: if cfg.jipda { cfg.initial_existence } else { g },
                last_nis: None,
                score: 0.0,
                peak_score: 0.0,
                window_hits: 1,
                history: Default::default(),
                imm: None,
            });
            report.events.push(TrackEvent::Initiated { track: id, detection: di });
            if confirmed {
                report.events.push(TrackEvent::Confirmed { track: id });
            }
        }
        report
    }
}

impl MultiTargetTracker for JpdaTracker {
    fn process_scan(&mut self, t_s: f64, detections: &[Detection]) -> ScanReport {
        self.process(t_s, detections)
    }
    fn live_tracks(&self) -> Box<dyn Iterator<Item = &Track> + '_> {
        Box::new(self.tracks.iter())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marginals_sum_to_one_per_track_and_k_best_with_all_events_is_exact() {
        let miss = [0.2, 0.5, 0.1];
        let ratio = [3.0, 0.0, 1.0, 2.0, 0.5, 4.0, 0.0, 0.7, 1.5, 0.0, 2.0, 0.3];
        let ex = exact_marginals(&miss, &ratio, 3, 4, 1000).unwrap();
        for t in 0..3 {
            let s: f64 = (0..=4).map(|c| ex.beta[t * 5 + c]).sum();
            assert!((s - 1.0).abs() < 1e-12);
        }
        let kb = kbest_marginals(&miss, &ratio, 3, 4, 10_000, &ShortestAugmentingPath).unwrap();
        assert_eq!(kb.events, ex.events);
        for (a, b) in ex.beta.iter().zip(&kb.beta) {
            assert!((a - b).abs() < 1e-12, "{ex:?} vs {kb:?}");
        }
        assert_eq!(exact_marginals(&miss, &ratio, 3, 4, 5), Err(MarginalError::TooManyEvents(5)));
        assert_eq!(exact_marginals(&[f64::NAN], &[], 1, 0, 5), Err(MarginalError::BadInput));
        // Cheap JPDA is exact for a lone track.
        let one = exact_marginals(&miss[..1], &ratio[..4], 1, 4, 100).unwrap();
        let cheap = cheap_marginals(&miss[..1], &ratio[..4], 1, 4).unwrap();
        for (a, b) in one.beta.iter().zip(&cheap.beta) {
            assert!((a - b).abs() < 1e-12);
        }
    }
}
