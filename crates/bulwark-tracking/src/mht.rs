//! Track-oriented multiple hypothesis tracking (Blackman 2004, "Multiple hypothesis tracking
//! for multiple target tracking", IEEE AES Magazine 19(1); Blackman & Popoli 1999, ch. 16).
//!
//! - **Track trees.** Every detection starts a family (a potential target); each scan every
//!   leaf (track hypothesis) branches into "missed" and one child per detection in its gate.
//!   Nodes are shared by all global hypotheses that contain them.
//! - **Track score** (log-likelihood ratio, Blackman 2004 eqs. 5–7; Blackman & Popoli §6.2):
//!   new track L₀ = ln(β_NT / λ); a detection adds ΔL = ln(P_D N(ν; 0, S) / λ)
//!   = ln P_D − d²/2 − ½ ln|2πS| − ln λ; a miss adds ln(1 − P_D P_G). β_NT (new-target density)
//!   and λ (clutter density) are per unit measurement volume per scan.
//! - **Global hypotheses** per cluster (families linked through shared detections): each
//!   parent hypothesis is extended by the k best assignments of its leaves to the scan's
//!   detections (Murty 1968 via [`k_best_assignments`]; costs −ΔL, a detection left over costs
//!   −L₀ and starts a family), as in Cox & Hingorani 1996 (IEEE PAMI 18(2)). The hypothesis
//!   score is the sum of its decisions' ΔL. At most [`MhtConfig::max_hypotheses`] are kept per
//!   cluster, and none scoring below the best by more than [`MhtConfig::prune_log_ratio`].
//! - **N-scan pruning:** every hypothesis that disagrees with the best one about a decision N
//!   or more scans old is dropped, and the tree below scan k − N is committed (Blackman 2004 §IV).
//! - **Track logic:** a leaf is confirmed once its score reaches `confirm_score` (sticky down
//!   the tree) and deleted when its score falls `delete_drop` below the best it ever had.
//!   Output: the leaves of each cluster's best hypothesis; quality = e^L / (1 + e^L), the
//!   probability that the track is true (Blackman 2004 eq. 3).
//!
//! Memory: at most `max_hypotheses` hypotheses per cluster, families capped by
//! `max_families`, tree depth N + 1 after commitment.
use crate::assignment::{AssignmentSolver, ShortestAugmentingPath};
use crate::error::ConfigError;
use crate::gating::Gate;
use crate::jpda::{Gating, gate_probability, gaussian_density, scan_time, validate_detections};
use crate::kalman::{ExtendedKalmanUpdater, KalmanPredictor, Predictor, Updater};
use crate::kbest::k_best_assignments;
use crate::multi::MultiTargetTracker;
use crate::state::GaussianState;
use crate::track::{DeleteReason, Track, TrackEvent, TrackStatus};
use crate::tracker::{Detection, ScanReport};
use crate::transition::{ConstantVelocity, TransitionModel};
use bulwark_core::{SensorId, TrackId};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// MHT parameters.
#[derive(Clone, Debug)]
pub struct MhtConfig {
    /// Motion model of every track.
    pub transition: Arc<dyn TransitionModel>,
    /// Validation gate on d².
    pub gate: Gate,
    /// P_D in (0, 1].
    pub pd: f64,
    /// λ: false detections per unit measurement volume per scan (> 0).
    pub clutter_density: f64,
    /// β_NT: new targets per unit measurement volume per scan (> 0).
    pub new_target_density: f64,
    /// N of the N-scan pruning (scans).
    pub n_scan: u32,
    /// Global hypotheses kept per cluster (≥ 1).
    pub max_hypotheses: usize,
    /// Drop hypotheses whose score is below the best by more than this (natural log).
    pub prune_log_ratio: f64,
    /// A track is confirmed when its score reaches this.
    pub confirm_score: f64,
    /// A track is deleted when its score falls this far below its maximum.
    pub delete_drop: f64,
    /// Largest number of families alive; detections beyond it start none (false alarms).
    pub max_families: usize,
    /// σᵥ of the single-point initiation velocity prior, m/s.
    pub init_velocity_sigma_mps: f64,
    /// Pre-filter safety factor (≥ 1).
    pub prefilter_inflation: f64,
}

impl MhtConfig {
    /// Constant velocity with spectral density `q` (m²/s³), P_G = 0.999, the given P_D, λ and
    /// β_NT; N = 3, 20 hypotheses per cluster, prune below e^−12 of the best, confirm at L = 8,
    /// delete 7 below the peak (about three misses at P_D = 0.9), 10 000 families, σᵥ = 300 m/s.
    pub fn constant_velocity(q: f64, pd: f64, clutter_density: f64, new_target_density: f64) -> Self {
        Self {
            transition: Arc::new(ConstantVelocity::new(q)),
            gate: Gate::Probability(0.999),
            pd,
            clutter_density,
            new_target_density,
            n_scan: 3,
            max_hypotheses: 20,
            prune_log_ratio: 12.0,
            confirm_score: 8.0,
            delete_drop: 7.0,
            max_families: 10_000,
            init_velocity_sigma_mps: 300.0,
            prefilter_inflation: 2.0,
        }
    }

    /// Checks every parameter.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let bad = |name: &'static str, value: f64| Err(ConfigError::OutOfRange { name, value });
        if !(self.pd > 0.0 && self.pd <= 1.0) {
            return bad("pd", self.pd);
        }
        for (name, v) in [
            ("clutter_density", self.clutter_density),
            ("new_target_density", self.new_target_density),
            ("prune_log_ratio", self.prune_log_ratio),
            ("delete_drop", self.delete_drop),
            ("init_velocity_sigma_mps", self.init_velocity_sigma_mps),
        ] {
            if !(v.is_finite() && v > 0.0) {
                return bad(name, v);
            }
        }
        if !self.confirm_score.is_finite() {
            return bad("confirm_score", self.confirm_score);
        }
        if self.max_hypotheses == 0 || self.max_families == 0 {
            return bad("max_hypotheses / max_families", 0.0);
        }
        if !(self.prefilter_inflation >= 1.0 && self.prefilter_inflation.is_finite()) {
            return bad("prefilter_inflation", self.prefilter_inflation);
        }
        self.gate.validate()
    }
}

/// Counters after the last scan.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct MhtStats {
    pub clusters: usize,
    /// Global hypotheses over all clusters.
    pub hypotheses: usize,
    /// Tree nodes kept (memory).
    pub nodes: usize,
    pub families: usize,
    /// Detections that could not start a family because of `max_families`.
    pub families_refused: usize,
}

#[derive(Clone, Debug)]
struct Node {
    family: u64,
    parent: Option<usize>,
    scan: u64,
    detection: Option<usize>,
    state: GaussianState,
    t: f64,
    score: f64,
    peak: f64,
    confirmed: bool,
    hits: u32,
    misses: u32,
    scans: u32,
    last_nis: Option<f64>,
    sensor: SensorId,
}

#[derive(Clone, Debug)]
struct Family {
    id: Option<TrackId>,
    initiated_t: f64,
    root_scan: u64,
    root_detection: usize,
}

#[derive(Clone, Debug, PartialEq)]
struct Hyp {
    score: f64,
    /// Node ids, ascending.
    leaves: Vec<usize>,
}

/// A track-oriented MHT (module doc), EKF per track hypothesis.
#[derive(Debug)]
pub struct MhtTracker {
    config: MhtConfig,
    predictor: Box<dyn Predictor>,
    updater: Box<dyn Updater>,
    solver: Box<dyn AssignmentSolver>,
    nodes: Vec<Node>,
    families: BTreeMap<u64, Family>,
    clusters: Vec<Vec<Hyp>>,
    scan: u64,
    next_family: u64,
    next_id: u64,
    output: Vec<Track>,
    stats: MhtStats,
}

fn find(parent: &mut [usize], mut x: usize) -> usize {
    while parent[x] != x {
        parent[x] = parent[parent[x]];
        x = parent[x];
    }
    x
}

/// Best `k` of all combinations of two hypothesis lists (each sorted best first).
fn combine(a: &[Hyp], b: &[Hyp], k: usize) -> Vec<Hyp> {
    let mut out: Vec<Hyp> = Vec::with_capacity(a.len() * b.len());
    for x in a {
        for y in b {
            let mut leaves = x.leaves.clone();
            leaves.extend_from_slice(&y.leaves);
            leaves.sort_unstable();
            out.push(Hyp { score: x.score + y.score, leaves });
        }
    }
    out.sort_by(|p, q| q.score.total_cmp(&p.score));
    out.truncate(k);
    out
}

impl MhtTracker {
    pub fn new(config: MhtConfig) -> Result<Self, ConfigError> {
        config.validate()?;
        Ok(Self {
            predictor: Box::new(KalmanPredictor::new(config.transition.clone())),
            updater: Box::new(ExtendedKalmanUpdater),
            solver: Box::new(ShortestAugmentingPath),
            config,
            nodes: Vec::new(),
            families: BTreeMap::new(),
            clusters: Vec::new(),
            scan: 0,
            next_family: 0,
            next_id: 1,
            output: Vec::new(),
            stats: MhtStats::default(),
        })
    }
    pub fn config(&self) -> &MhtConfig {
        &self.config
    }
    /// Tracks of the best global hypothesis, ascending id.
    pub fn tracks(&self) -> impl Iterator<Item = &Track> {
        self.output.iter()
    }
    pub fn track(&self, id: TrackId) -> Option<&Track> {
        self.output.binary_search_by_key(&id, |t| t.id).ok().map(|i| &self.output[i])
    }
    pub fn last_stats(&self) -> MhtStats {
        self.stats
    }

    fn ancestor_at(&self, mut n: usize, scan: i64) -> usize {
        while (self.nodes[n].scan as i64) > scan {
            match self.nodes[n].parent {
                Some(p) => n = p,
                None => break,
            }
        }
        n
    }

    /// Processes one scan (see [`MultiTargetTracker::process_scan`]).
    pub fn process(&mut self, t_s: f64, detections: &[Detection]) -> ScanReport {
        let mut report = ScanReport::default();
        let valid = validate_detections(detections, &mut report);
        let Some(t_scan) = scan_time(t_s, detections, &valid) else { return report };
        self.scan += 1;
        let k_scan = self.scan;
        let cfg = self.config.clone();
        let k_hyp = cfg.max_hypotheses;

        // Gate every distinct leaf.
        let mut leaf_ids: Vec<usize> = self.clusters.iter().flatten().flat_map(|h| h.leaves.iter().copied()).collect();
        leaf_ids.sort_unstable();
        leaf_ids.dedup();
        let priors: Vec<(GaussianState, f64)> =
            leaf_ids.iter().map(|&n| (self.nodes[n].state.clone(), self.nodes[n].t)).collect();
        let gating = Gating {
            predictor: self.predictor.as_ref(),
            updater: self.updater.as_ref(),
            gate: cfg.gate,
            inflation: cfg.prefilter_inflation,
        };
        let hits = gating.run(&priors, t_scan, detections, &valid, &mut report.stats);
        // (leaf node, detection) → (ΔL, posterior, d²).
        let mut branch: BTreeMap<(usize, usize), (f64, GaussianState, f64)> = BTreeMap::new();
        for h in hits.iter() {
            let dens = gaussian_density(&h.prediction, h.d2);
            let dl = (cfg.pd * dens / cfg.clutter_density).ln();
            if dl.is_finite() {
                branch.insert((leaf_ids[h.prior], h.detection), (dl, h.posterior.clone(), h.d2));
            }
        }

        // Components over old clusters and valid detections.
        let nc = self.clusters.len();
        let mut cluster_of_leaf: BTreeMap<usize, usize> = BTreeMap::new();
        for (c, hyps) in self.clusters.iter().enumerate() {
            for h in hyps {
                for &l in &h.leaves {
                    cluster_of_leaf.insert(l, c);
                }
            }
        }
        let mut parent: Vec<usize> = (0..nc + detections.len()).collect();
        for &(l, d) in branch.keys() {
            let (a, b) = (find(&mut parent, cluster_of_leaf[&l]), find(&mut parent, nc + d));
            if a != b {
                parent[a.max(b)] = a.min(b);
            }
        }
        let mut comps: BTreeMap<usize, (Vec<usize>, Vec<usize>)> = BTreeMap::new();
        for c in 0..nc {
            let r = find(&mut parent, c);
            comps.entry(r).or_default().0.push(c);
        }
        for d in (0..detections.len()).filter(|&d| valid[d]) {
            let r = find(&mut parent, nc + d);
            comps.entry(r).or_default().1.push(d);
        }

        let old_clusters = std::mem::take(&mut self.clusters);
        let mut child_cache: BTreeMap<(usize, Option<usize>), usize> = BTreeMap::new();
        let mut root_cache: BTreeMap<usize, Option<usize>> = BTreeMap::new();
        let l_new = (cfg.new_target_density / cfg.clutter_density).ln();
        let mut new_clusters: Vec<Vec<Hyp>> = Vec::new();
        self.stats.families_refused = 0;
        for (olds, dets) in comps.into_values() {
            let mut hyps = vec![Hyp { score: 0.0, leaves: Vec::new() }];
            for &c in &olds {
                hyps = combine(&hyps, &old_clusters[c], k_hyp);
            }
            let dim = dets.first().map_or(3, |&d| detections[d].model.dim());
            let miss_cost = -(1.0 - cfg.pd * gate_probability(&cfg.gate, dim)).max(1e-300).ln();
            let mut children: Vec<Hyp> = Vec::new();
            for (rank, h) in hyps.iter().enumerate() {
                let (nr, ncol) = (h.leaves.len(), dets.len());
                let mut cost = vec![f64::INFINITY; nr * ncol];
                for (r, &l) in h.leaves.iter().enumerate() {
                    for (b, &d) in dets.iter().enumerate() {
                        if let Some((dl, _, _)) = branch.get(&(l, d)) {
                            cost[r * ncol + b] = -dl;
                        }
                    }
                }
                let families_full = self.families.len() >= cfg.max_families;
                let col_miss = vec![if families_full { 0.0 } else { -l_new }; ncol];
                let k = (k_hyp / (rank + 1)).max(1);
                let Some(sols) =
                    k_best_assignments(self.solver.as_ref(), &cost, nr, ncol, &vec![miss_cost; nr], &col_miss, k)
                else {
                    continue;
                };
                for sol in sols {
                    let mut leaves = Vec::with_capacity(nr + ncol);
                    let mut used = vec![false; ncol];
                    for (r, choice) in sol.row_to_col.iter().enumerate() {
                        let det = choice.map(|b| {
                            used[b] = true;
                            dets[b]
                        });
                        let node =
                            self.child(h.leaves[r], det, &branch, &mut child_cache, miss_cost, k_scan, detections);
                        leaves.push(node);
                    }
                    for (b, &d) in dets.iter().enumerate() {
                        if used[b] {
                            continue;
                        }
                        if let Some(n) = self.root(d, l_new, &mut root_cache, k_scan, detections) {
                            leaves.push(n);
                        }
                    }
                    // Track deletion inside the hypothesis.
                    leaves.retain(|&n| self.nodes[n].score >= self.nodes[n].peak - cfg.delete_drop);
                    leaves.sort_unstable();
                    children.push(Hyp { score: h.score - sol.cost, leaves });
                }
            }
            children.sort_by(|p, q| q.score.total_cmp(&p.score));
            let mut seen = BTreeSet::new();
            children.retain(|h| seen.insert(h.leaves.clone()));
            let best = children.first().map_or(0.0, |h| h.score);
            children.retain(|h| h.score >= best - cfg.prune_log_ratio);
            children.truncate(k_hyp);
            self.n_scan_prune(&mut children, k_scan);
            new_clusters.extend(self.split(children, k_scan));
        }
        new_clusters.retain(|c| c.iter().any(|h| !h.leaves.is_empty()));
        self.clusters = new_clusters;
        self.collect_garbage(k_scan);
        self.publish(k_scan, &mut report);
        report
    }

    /// The child of `leaf` for detection `det` (None = missed), shared across hypotheses.
    #[allow(clippy::too_many_arguments)]
    fn child(
        &mut self,
        leaf: usize,
        det: Option<usize>,
        branch: &BTreeMap<(usize, usize), (f64, GaussianState, f64)>,
        cache: &mut BTreeMap<(usize, Option<usize>), usize>,
        miss_cost: f64,
        scan: u64,
        detections: &[Detection],
    ) -> usize {
        if let Some(&n) = cache.get(&(leaf, det)) {
            return n;
        }
        let p = &self.nodes[leaf];
        let mut node = Node { parent: Some(leaf), scan, detection: det, scans: p.scans + 1, ..p.clone() };
        match det.and_then(|d| branch.get(&(leaf, d)).map(|b| (d, b))) {
            Some((d, (dl, post, d2))) => {
                node.state = post.clone();
                node.t = detections[d].t_s.max(p.t);
                node.score += dl;
                node.hits += 1;
                node.misses = 0;
                node.last_nis = Some(*d2);
                node.sensor = detections[d].sensor;
            }
            None => {
                node.detection = None;
                node.score -= miss_cost;
                node.misses += 1;
            }
        }
        node.peak = node.peak.max(node.score);
        node.confirmed |= node.score >= self.config.confirm_score;
        self.nodes.push(node);
        let n = self.nodes.len() - 1;
        cache.insert((leaf, det), n);
        n
    }

    /// The root node of the family started by detection `d` this scan, shared across hypotheses.
    fn root(
        &mut self,
        d: usize,
        l_new: f64,
        cache: &mut BTreeMap<usize, Option<usize>>,
        scan: u64,
        detections: &[Detection],
    ) -> Option<usize> {
        if let Some(n) = cache.get(&d) {
            return *n;
        }
        let det = &detections[d];
        let init = if self.families.len() < self.config.max_families {
            det.model.initial_state(&det.z, self.config.init_velocity_sigma_mps).filter(|s| s.is_finite())
        } else {
            self.stats.families_refused += 1;
            None
        };
        let out = init.map(|state| {
            let fam = self.next_family;
            self.next_family += 1;
            self.families.insert(fam, Family { id: None, initiated_t: det.t_s, root_scan: scan, root_detection: d });
            self.nodes.push(Node {
                family: fam,
                parent: None,
                scan,
                detection: Some(d),
                state,
                t: det.t_s,
                score: l_new,
                peak: l_new,
                confirmed: l_new >= self.config.confirm_score,
                hits: 1,
                misses: 0,
                scans: 1,
                last_nis: None,
                sensor: det.sensor,
            });
            self.nodes.len() - 1
        });
        cache.insert(d, out);
        out
    }

    /// N-scan pruning against the best hypothesis (`hyps` sorted best first).
    fn n_scan_prune(&self, hyps: &mut Vec<Hyp>, scan: u64) {
        let horizon = scan as i64 - i64::from(self.config.n_scan);
        let Some(best) = hyps.first() else { return };
        let decided: BTreeMap<u64, usize> = best
            .leaves
            .iter()
            .map(|&l| (self.nodes[l].family, self.ancestor_at(l, horizon)))
            .filter(|(_, a)| self.nodes[*a].scan as i64 <= horizon)
            .collect();
        hyps.retain(|h| {
            h.leaves.iter().all(|&l| {
                let a = self.ancestor_at(l, horizon);
                if self.nodes[a].scan as i64 > horizon {
                    return true; // a family younger than the horizon: undecided
                }
                decided.get(&self.nodes[l].family) == Some(&a)
            })
        });
    }

    /// Splits a cluster into groups of families that share no detection in their
    /// uncommitted history; each group's hypotheses are the distinct projections, scored by
    /// the best hypothesis that projects there (exact when the list is a product).
    fn split(&self, hyps: Vec<Hyp>, scan: u64) -> Vec<Vec<Hyp>> {
        let horizon = scan as i64 - i64::from(self.config.n_scan);
        let fams: BTreeSet<u64> = hyps.iter().flat_map(|h| h.leaves.iter().map(|&l| self.nodes[l].family)).collect();
        if fams.len() <= 1 {
            return vec![hyps];
        }
        let fam_idx: BTreeMap<u64, usize> = fams.iter().enumerate().map(|(i, f)| (*f, i)).collect();
        let mut parent: Vec<usize> = (0..fams.len()).collect();
        let mut owner: BTreeMap<(u64, usize), usize> = BTreeMap::new();
        let mut seen_nodes = BTreeSet::new();
        for h in &hyps {
            for &l in &h.leaves {
                let fi = fam_idx[&self.nodes[l].family];
                let mut n = Some(l);
                while let Some(i) = n {
                    if (self.nodes[i].scan as i64) <= horizon || !seen_nodes.insert(i) {
                        break;
                    }
                    if let Some(d) = self.nodes[i].detection {
                        match owner.get(&(self.nodes[i].scan, d)) {
                            Some(&other) => {
                                let (a, b) = (find(&mut parent, fi), find(&mut parent, other));
                                if a != b {
                                    parent[a.max(b)] = a.min(b);
                                }
                            }
                            None => {
                                owner.insert((self.nodes[i].scan, d), fi);
                            }
                        }
                    }
                    n = self.nodes[i].parent;
                }
            }
        }
        let groups: BTreeSet<usize> = (0..fams.len()).map(|i| find(&mut parent, i)).collect();
        if groups.len() <= 1 {
            return vec![hyps];
        }
        let group_of: BTreeMap<u64, usize> = fam_idx.iter().map(|(f, &i)| (*f, find(&mut parent, i))).collect();
        groups
            .into_iter()
            .map(|g| {
                let mut out: Vec<Hyp> = Vec::new();
                let mut seen = BTreeSet::new();
                let top = hyps.first().map_or(0.0, |h| h.score);
                for h in &hyps {
                    let leaves: Vec<usize> =
                        h.leaves.iter().copied().filter(|&l| group_of[&self.nodes[l].family] == g).collect();
                    if seen.insert(leaves.clone()) {
                        out.push(Hyp { score: h.score - top, leaves });
                    }
                }
                out
            })
            .collect()
    }

    /// Keeps the nodes reachable from live leaves back to the N-scan horizon, commits there,
    /// and drops families without leaves.
    fn collect_garbage(&mut self, scan: u64) {
        let horizon = scan as i64 - i64::from(self.config.n_scan);
        let mut keep = vec![false; self.nodes.len()];
        for h in self.clusters.iter().flatten() {
            for &l in &h.leaves {
                let mut n = l;
                loop {
                    keep[n] = true;
                    if (self.nodes[n].scan as i64) <= horizon {
                        break;
                    }
                    match self.nodes[n].parent {
                        Some(p) => n = p,
                        None => break,
                    }
                }
            }
        }
        let mut remap = vec![usize::MAX; self.nodes.len()];
        let mut nodes = Vec::with_capacity(keep.iter().filter(|k| **k).count());
        for (i, node) in self.nodes.iter().enumerate() {
            if keep[i] {
                remap[i] = nodes.len();
                nodes.push(node.clone());
            }
        }
        for node in &mut nodes {
            node.parent = match node.parent {
                Some(p) if (node.scan as i64) > horizon && remap[p] != usize::MAX => Some(remap[p]),
                _ => None,
            };
        }
        self.nodes = nodes;
        for h in self.clusters.iter_mut().flatten() {
            for l in &mut h.leaves {
                *l = remap[*l];
            }
        }
        let live: BTreeSet<u64> = self.nodes.iter().map(|n| n.family).collect();
        self.families.retain(|f, _| live.contains(f));
        self.stats.clusters = self.clusters.len();
        self.stats.hypotheses = self.clusters.iter().map(Vec::len).sum();
        self.stats.nodes = self.nodes.len();
        self.stats.families = self.families.len();
    }

    /// Output = leaves of each cluster's best hypothesis; events by comparison with the last.
    fn publish(&mut self, scan: u64, report: &mut ScanReport) {
        let previous: BTreeMap<TrackId, TrackStatus> = self.output.iter().map(|t| (t.id, t.status)).collect();
        let mut out = Vec::new();
        let bests: Vec<usize> = self.clusters.iter().filter_map(|c| c.first()).flat_map(|h| h.leaves.clone()).collect();
        for l in bests {
            let node = self.nodes[l].clone();
            let Some(fam) = self.families.get_mut(&node.family) else { continue };
            let id = match fam.id {
                Some(id) => id,
                None => {
                    let id = TrackId(self.next_id);
                    self.next_id += 1;
                    fam.id = Some(id);
                    let det = if fam.root_scan == scan { Some(fam.root_detection) } else { node.detection };
                    if let Some(detection) = det.filter(|_| node.scan == scan) {
                        report.events.push(TrackEvent::Initiated { track: id, detection });
                    }
                    id
                }
            };
            let hit_now = node.scan == scan && node.detection.is_some();
            let status = match (node.confirmed, hit_now) {
                (false, _) => TrackStatus::Tentative,
                (true, true) => TrackStatus::Confirmed,
                (true, false) => TrackStatus::Coasting,
            };
            if let (true, Some(d)) = (hit_now && previous.contains_key(&id), node.detection) {
                report.updates.push((d, id));
            }
            out.push(Track {
                id,
                status,
                state: node.state.mean,
                covariance: node.state.covariance,
                last_update_t: node.t,
                initiated_t: fam.initiated_t,
                last_sensor: node.sensor,
                hits: node.hits,
                misses: node.misses,
                scans: node.scans,
                quality: 1.0 / (1.0 + (-node.score).exp()),
                last_nis: node.last_nis,
                score: node.score,
                peak_score: node.score,
                window_hits: node.hits,
                history: Default::default(),
                imm: None,
            });
        }
        out.sort_by_key(|t| t.id);
        let mut lifecycle = Vec::new();
        for t in &out {
            if t.status.is_confirmed() && !previous.get(&t.id).is_some_and(|s| s.is_confirmed()) {
                lifecycle.push(TrackEvent::Confirmed { track: t.id });
            }
        }
        for (id, s) in &previous {
            if out.binary_search_by_key(id, |t| t.id).is_err() {
                let reason = if s.is_confirmed() { DeleteReason::Missed } else { DeleteReason::NotConfirmed };
                lifecycle.push(TrackEvent::Deleted { track: *id, reason });
            }
        }
        lifecycle.sort_by_key(|e| match e {
            TrackEvent::Confirmed { track } | TrackEvent::Deleted { track, .. } => *track,
            TrackEvent::Initiated { track, .. } => *track,
        });
        let inits = std::mem::take(&mut report.events);
        report.events = lifecycle;
        report.events.extend(inits);
        report.updates.sort_unstable();
        self.output = out;
    }
}

impl MultiTargetTracker for MhtTracker {
    fn process_scan(&mut self, t_s: f64, detections: &[Detection]) -> ScanReport {
        self.process(t_s, detections)
    }
    fn live_tracks(&self) -> Box<dyn Iterator<Item = &Track> + '_> {
        Box::new(self.output.iter())
    }
}
