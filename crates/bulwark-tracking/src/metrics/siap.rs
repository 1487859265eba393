//! SIAP (Single Integrated Air Picture) measures, as Stone Soup 1.9.1 `SIAPMetrics` defines
//! them (after Votruba et al. 2001, "Single Integrated Air Picture (SIAP) Metrics
//! Implementation"), with the track-to-truth association of Stone Soup's `TrackToTruth`.
//!
//! **Association** (per track, replicated step by step from `TrackToTruth.associate_tracks`):
//! walk the track's times in order; at each, the candidate is the truth with a state at
//! exactly that time whose position is nearest and strictly closer than the threshold (ties:
//! lowest truth id). A candidate seen `consec_pairs_confirm` times in a row becomes the
//! associated truth from the first of those times; the association ends (at its last
//! matching time) after `consec_misses_end` non-matching times, and a candidate that has
//! meanwhile been confirmed takes over at once. As in Stone Soup, the miss counter is reset
//! only by a match, so an association that took over ends at its first miss.
//! Association intervals [start, end] are closed; those of one (track, truth) pair are merged
//! into one [`Association`]; a track may hold two briefly overlapping associations with two
//! truths when one takes over from another. An association's length (for LS) is the total
//! length of its intervals.
//!
//! **Measures**, over all times t at which any track or truth has a state:
//! J(t) truths present, JT(t) truths in an active association, N(t) tracks present, NA(t)
//! tracks in an active association:
//! completeness C = ΣJT/ΣJ; ambiguity A = ΣNA/ΣJT; spuriousness S = Σ(N − NA)/ΣN;
//! positional (velocity) accuracy PA (VA) = Σ over active associations of ‖track − truth‖
//! in position (velocity) / ΣNA; rate of track number change R = Σⱼ(NUⱼ − 1) / ΣⱼTTⱼ with NUⱼ
//! the fewest associations covering truth j's associated times (greedy, latest-ending first)
//! and TTⱼ the time truth j is tracked (s); longest track segment LS = ΣⱼTLⱼ / ΣⱼTⱼ with TLⱼ
//! the longest association interval and Tⱼ the lifetime of truth j (s). Ratios with a zero
//! denominator take Stone Soup's defaults (A = 1, the others 0).
//! Where an active association lacks a track or truth state at t (Stone Soup raises an error),
//! that pair is left out of PA and VA.
use super::{MetricError, positive};
use std::collections::{BTreeMap, BTreeSet};

/// One track state: time (s), track id, position (m) and, if known, velocity (m/s).
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct TrackPoint {
    pub t_s: f64,
    pub id: u64,
    pub position: [f64; 3],
    pub velocity: Option<[f64; 3]>,
}

/// One true state, same layout as [`TrackPoint`].
pub type TruthPoint = TrackPoint;

/// Association parameters (Stone Soup `TrackToTruth` defaults: 3 to confirm, 2 to end).
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct SiapParams {
    /// A track and a truth closer than this (m, position) may be associated.
    pub association_threshold_m: f64,
    pub consec_pairs_confirm: u32,
    pub consec_misses_end: u32,
}

impl SiapParams {
    /// Stone Soup's defaults with the given threshold (m).
    pub fn new(association_threshold_m: f64) -> Self {
        Self { association_threshold_m, consec_pairs_confirm: 3, consec_misses_end: 2 }
    }
}

/// One track-to-truth association over the closed interval [start, end] (s).
#[derive(Copy, Clone, Debug, PartialEq)]
struct Interval {
    track: u64,
    truth: u64,
    start_s: f64,
    end_s: f64,
}

/// The association of one track with one truth: the union of its closed intervals
/// `[start, end]` (s), disjoint and ascending (Stone Soup merges the associations of one
/// pair into a `CompoundTimeRange`, fusing intervals that overlap or touch).
#[derive(Clone, Debug, PartialEq)]
pub struct Association {
    pub track: u64,
    pub truth: u64,
    pub intervals: Vec<[f64; 2]>,
}

impl Association {
    fn contains(&self, t: f64) -> bool {
        self.intervals.iter().any(|[a, b]| *a <= t && t <= *b)
    }
    /// Total length of the intervals, s.
    pub fn duration_s(&self) -> f64 {
        self.intervals.iter().map(|[a, b]| b - a).sum()
    }
    /// Sorted distinct interval ends (Stone Soup `key_times`).
    fn key_times(&self) -> Vec<f64> {
        let mut k: Vec<f64> = self.intervals.iter().flatten().copied().collect();
        k.sort_by(f64::total_cmp);
        k.dedup();
        k
    }
}

/// Merges the intervals of each (track, truth) pair into one [`Association`], ordered by
/// (track, truth).
fn merge(intervals: Vec<Interval>) -> Vec<Association> {
    let mut pairs: BTreeMap<(u64, u64), Vec<[f64; 2]>> = BTreeMap::new();
    for i in intervals {
        pairs.entry((i.track, i.truth)).or_default().push([i.start_s, i.end_s]);
    }
    pairs
        .into_iter()
        .map(|((track, truth), mut v)| {
            v.sort_by(|a, b| a[0].total_cmp(&b[0]));
            let mut out: Vec<[f64; 2]> = Vec::with_capacity(v.len());
            for [a, b] in v {
                match out.last_mut() {
                    Some(last) if a <= last[1] => last[1] = last[1].max(b),
                    _ => out.push([a, b]),
                }
            }
            Association { track, truth, intervals: out }
        })
        .collect()
}

/// The SIAP measures over the whole run.
#[derive(Clone, Debug, PartialEq)]
pub struct SiapMetrics {
    pub completeness: f64,
    pub ambiguity: f64,
    pub spuriousness: f64,
    /// m; `None` when no track was associated with any truth at any time (there is no
    /// accuracy to report — issue 19: it read 0 m, a perfect score, when nothing was tracked).
    pub position_accuracy: Option<f64>,
    /// m/s; `None` when nothing was associated or an associated pair lacks a velocity.
    pub velocity_accuracy: Option<f64>,
    /// Track number changes per second of tracked truth, 1/s.
    pub rate_of_track_number_change: f64,
    pub longest_track_segment: f64,
    pub associations: Vec<Association>,
}

/// Points of one object, sorted by time, one per time (the last given wins, as Stone Soup's
/// `last_timestamp_generator`).
fn by_object(points: &[TrackPoint]) -> BTreeMap<u64, Vec<TrackPoint>> {
    let mut m: BTreeMap<u64, Vec<TrackPoint>> = BTreeMap::new();
    for p in points {
        m.entry(p.id).or_default().push(*p);
    }
    for v in m.values_mut() {
        v.sort_by(|a, b| a.t_s.total_cmp(&b.t_s));
        let mut out: Vec<TrackPoint> = Vec::with_capacity(v.len());
        for p in v.drain(..) {
            match out.last_mut() {
                Some(last) if last.t_s == p.t_s => *last = p,
                _ => out.push(p),
            }
        }
        *v = out;
    }
    m
}

fn at(states: &[TrackPoint], t: f64) -> Option<&TrackPoint> {
    states.binary_search_by(|p| p.t_s.total_cmp(&t)).ok().map(|i| &states[i])
}

fn dist(a: &[f64; 3], b: &[f64; 3]) -> f64 {
    super::distance(a, b)
}

/// `TrackToTruth` association of every track (see the module doc), ordered by track id.
pub fn associate(tracks: &[TrackPoint], truths: &[TruthPoint], params: &SiapParams) -> Vec<Association> {
    let tracks = by_object(tracks);
    let truths = by_object(truths);
    merge(associate_grouped(&tracks, &truths, params))
}

fn associate_grouped(
    tracks: &BTreeMap<u64, Vec<TrackPoint>>,
    truths: &BTreeMap<u64, Vec<TrackPoint>>,
    params: &SiapParams,
) -> Vec<Interval> {
    let mut out = Vec::new();
    for (&track, states) in tracks {
        let mut current: Option<u64> = None;
        let mut potential: Option<u64> = None;
        let (mut successes, mut failures) = (0u32, 0u32);
        let mut potential_start = f64::NAN;
        let (mut start, mut end) = (f64::NAN, f64::NAN);
        for s in states {
            let mut min_dist = params.association_threshold_m;
            let mut min_truth = None;
            for (&id, path) in truths {
                if let Some(ts) = at(path, s.t_s) {
                    let d = dist(&s.position, &ts.position);
                    if d < min_dist {
                        min_dist = d;
                        min_truth = Some(id);
                    }
                }
            }
            match current {
                None => {
                    if min_truth.is_none() {
                        successes = 0;
                        potential = None;
                        potential_start = f64::NAN;
                    } else if potential != min_truth {
                        potential = min_truth;
                        successes = 1;
                        potential_start = s.t_s;
                    } else {
                        successes += 1;
                    }
                    if successes >= params.consec_pairs_confirm {
                        current = min_truth;
                        start = potential_start;
                        end = s.t_s;
                        potential = None;
                        potential_start = f64::NAN;
                        successes = 0;
                    }
                }
                Some(cur) => {
                    if min_truth == Some(cur) {
                        failures = 0;
                        end = s.t_s;
                    } else {
                        failures += 1;
                        if min_truth.is_some() && min_truth == potential {
                            successes += 1;
                        } else {
                            potential = min_truth;
                            potential_start = s.t_s;
                            successes = 1;
                        }
                    }
                    if failures >= params.consec_misses_end {
                        out.push(Interval { track, truth: cur, start_s: start, end_s: end });
                        if successes >= params.consec_pairs_confirm {
                            current = potential;
                            start = potential_start;
                            end = s.t_s;
                        } else {
                            current = None;
                        }
                    }
                }
            }
        }
        if let Some(cur) = current {
            out.push(Interval { track, truth: cur, start_s: start, end_s: end });
        }
    }
    out
}

/// Fewest associations covering truth `times` (Stone Soup `min_num_tracks_needed_to_track`):
/// at each uncovered time, take the association containing it that ends last and skip to
/// the end of its current interval.
fn tracks_needed(times: &[f64], assocs: &[&Association]) -> usize {
    if assocs.is_empty() {
        return 0;
    }
    let mut sorted: Vec<(&Association, Vec<f64>)> = assocs.iter().map(|a| (*a, a.key_times())).collect();
    // Stable sort on the last key time, latest first (Python's `sorted(..., reverse=True)`
    // keeps ties in their original order as well).
    sorted.sort_by(|a, b| b.1.last().copied().unwrap_or(0.0).total_cmp(&a.1.last().copied().unwrap_or(0.0)));
    let (mut needed, mut i) = (0, 0);
    while i < times.len() {
        let now = times[i];
        match sorted.iter().find(|(a, _)| a.contains(now)) {
            None => i += 1,
            Some((_, keys)) => {
                let starts_here = keys.iter().position(|&k| k == now).is_some_and(|p| p % 2 == 0);
                let end = if starts_here {
                    keys.iter().copied().find(|&k| k > now)
                } else {
                    keys.iter().copied().find(|&k| k >= now)
                };
                needed += 1;
                // Stone Soup looks for that end among the later truth times and stops if absent.
                match end.and_then(|e| times[i + 1..].iter().position(|&t| t == e)) {
                    Some(k) => i = i + 1 + k + 1,
                    None => break,
                }
            }
        }
    }
    needed
}

/// Time (s) during which truth `times` is covered by the union of `assocs`.
fn time_tracked(times: &[f64], assocs: &[&Association]) -> f64 {
    if assocs.is_empty() {
        return 0.0;
    }
    let mut total = 0.0;
    for w in times.windows(2) {
        let (a, b) = (w[0], w[1]);
        let mut pieces: Vec<(f64, f64)> = assocs
            .iter()
            .flat_map(|s| s.intervals.iter())
            .map(|[lo, hi]| (lo.max(a), hi.min(b)))
            .filter(|(lo, hi)| lo <= hi)
            .collect();
        pieces.sort_by(|x, y| x.0.total_cmp(&y.0));
        let mut reach = f64::NEG_INFINITY;
        for (lo, hi) in pieces {
            let lo = lo.max(reach);
            if hi > lo {
                total += hi - lo;
            }
            reach = reach.max(hi);
        }
    }
    total
}

/// All SIAP measures of `tracks` against `truths` (see the module doc).
pub fn siap(tracks: &[TrackPoint], truths: &[TruthPoint], params: &SiapParams) -> Result<SiapMetrics, MetricError> {
    positive("association_threshold_m", params.association_threshold_m)?;
    if params.consec_pairs_confirm == 0 || params.consec_misses_end == 0 {
        return Err(MetricError::Parameter { name: "consec_pairs_confirm / consec_misses_end", value: 0.0 });
    }
    let finite = |p: &TrackPoint| {
        p.t_s.is_finite()
            && p.position.iter().all(|v| v.is_finite())
            && p.velocity.is_none_or(|v| v.iter().all(|x| x.is_finite()))
    };
    if !tracks.iter().chain(truths).all(finite) {
        return Err(MetricError::NotFinite);
    }
    let track_map = by_object(tracks);
    let truth_map = by_object(truths);
    let associations = merge(associate_grouped(&track_map, &truth_map, params));

    let mut times: Vec<f64> = tracks.iter().chain(truths).map(|p| p.t_s).collect();
    times.sort_by(f64::total_cmp);
    times.dedup();

    let (mut j_sum, mut jt_sum, mut n_sum, mut na_sum) = (0usize, 0usize, 0usize, 0usize);
    let (mut pa_sum, mut va_sum, mut va_ok) = (0.0, 0.0, true);
    let mut active_truths = BTreeSet::new();
    let mut active_tracks = BTreeSet::new();
    for &t in &times {
        j_sum += truth_map.values().filter(|p| at(p, t).is_some()).count();
        n_sum += track_map.values().filter(|p| at(p, t).is_some()).count();
        active_truths.clear();
        active_tracks.clear();
        for a in associations.iter().filter(|a| a.contains(t)) {
            active_truths.insert(a.truth);
            active_tracks.insert(a.track);
            let tr = track_map.get(&a.track).and_then(|p| at(p, t));
            let gt = truth_map.get(&a.truth).and_then(|p| at(p, t));
            if let (Some(tr), Some(gt)) = (tr, gt) {
                pa_sum += dist(&tr.position, &gt.position);
                match (tr.velocity, gt.velocity) {
                    (Some(v), Some(w)) => va_sum += dist(&v, &w),
                    _ => va_ok = false,
                }
            }
        }
        jt_sum += active_truths.len();
        na_sum += active_tracks.len();
    }
    let ratio = |a: f64, b: f64, default: f64| if b != 0.0 { a / b } else { default };

    let (mut nu_sum, mut tt_sum, mut tl_sum, mut life_sum) = (0usize, 0.0, 0.0, 0.0);
    for (&id, path) in &truth_map {
        let ts: Vec<f64> = path.iter().map(|p| p.t_s).collect();
        let mine: Vec<&Association> = associations.iter().filter(|a| a.truth == id).collect();
        let nu = tracks_needed(&ts, &mine);
        if nu > 0 {
            nu_sum += nu - 1;
        }
        tt_sum += time_tracked(&ts, &mine);
        tl_sum += mine.iter().map(|a| a.duration_s()).fold(0.0, f64::max);
        life_sum += ts.last().copied().unwrap_or(0.0) - ts.first().copied().unwrap_or(0.0);
    }
    Ok(SiapMetrics {
        completeness: ratio(jt_sum as f64, j_sum as f64, 0.0),
        ambiguity: ratio(na_sum as f64, jt_sum as f64, 1.0),
        spuriousness: ratio(n_sum as f64 - na_sum as f64, n_sum as f64, 0.0),
        position_accuracy: (na_sum > 0).then(|| pa_sum / na_sum as f64),
        velocity_accuracy: (va_ok && na_sum > 0).then(|| va_sum / na_sum as f64),
        rate_of_track_number_change: ratio(nu_sum as f64, tt_sum, 0.0),
        longest_track_segment: ratio(tl_sum, life_sum, 0.0),
        associations,
    })
}
