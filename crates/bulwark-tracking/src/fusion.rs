//! Multi-sensor fusion front end: one track picture from several sensors of different
//! rates, positions and accuracies, with bounded out-of-sequence measurement (OOSM) handling.
//!
//! Scans are applied in time order as they arrive. A detection older than the newest scan
//! already processed is an OOSM: if it is at most `max_lag_s` older it is applied by
//! reprocessing the track it gates with ([`Tracker::process_oosm`]: roll back to the kept
//! posterior before it, update, re-apply the later measurements), which equals in-order
//! processing up to rounding; if it is older it is rejected and counted
//! ([`FusionStats::too_old`]). Each track keeps the updates of the last `max_lag_s` seconds
//! (at most `max_updates`), so memory and the reprocessing cost are bounded.
use crate::error::ConfigError;
use crate::kalman::Updater;
use crate::multi::MultiTargetTracker;
use crate::track::Track;
use crate::tracker::{Detection, OosmConfig, OosmReport, ScanReport, Tracker, TrackerConfig};

/// Bounds of the out-of-sequence handling.
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct FusionConfig {
    /// Largest accepted delay of a detection behind the newest processed scan, s.
    pub max_lag_s: f64,
    /// Most updates kept per track (≥ 1).
    pub max_updates: usize,
}

impl Default for FusionConfig {
    /// 10 s and 64 updates.
    fn default() -> Self {
        Self { max_lag_s: 10.0, max_updates: 64 }
    }
}

/// Running counts of what the fusion front end did with the detections it was given.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct FusionStats {
    /// Detections processed in time order (as part of a scan).
    pub in_sequence: usize,
    /// Out-of-sequence detections applied by reprocessing.
    pub oosm_applied: usize,
    /// Out-of-sequence detections within the bound that gated no track able to take them.
    pub oosm_unassociated: usize,
    /// Out-of-sequence detections older than `max_lag_s`: rejected.
    pub too_old: usize,
}

/// A [`Tracker`] fed by several sensors, with time ordering and bounded OOSM handling.
#[derive(Debug)]
pub struct FusionTracker {
    tracker: Tracker,
    config: FusionConfig,
    /// Time of the newest scan processed, s.
    now: f64,
    stats: FusionStats,
    last_oosm: OosmReport,
}

impl FusionTracker {
    /// A fusion tracker; `tracker.oosm` is set from `fusion`.
    pub fn new(mut tracker: TrackerConfig, fusion: FusionConfig) -> Result<Self, ConfigError> {
        if !(fusion.max_lag_s.is_finite() && fusion.max_lag_s >= 0.0) {
            return Err(ConfigError::OutOfRange { name: "max_lag_s", value: fusion.max_lag_s });
        }
        if fusion.max_updates == 0 {
            return Err(ConfigError::OutOfRange { name: "max_updates", value: 0.0 });
        }
        tracker.oosm = OosmConfig { max_lag_s: fusion.max_lag_s, max_updates: fusion.max_updates };
        Ok(Self {
            tracker: Tracker::new(tracker)?,
            config: fusion,
            now: f64::NEG_INFINITY,
            stats: FusionStats::default(),
            last_oosm: OosmReport::default(),
        })
    }

    /// Replaces the estimator (e.g. the UKF) for scans and reprocessing; see [`Tracker::with_updater`].
    pub fn with_updater(mut self, updater: Box<dyn Updater>) -> Self {
        self.tracker = self.tracker.with_updater(updater);
        self
    }

    /// The underlying tracker (tracks, predictions).
    pub fn tracker(&self) -> &Tracker {
        &self.tracker
    }
    pub fn stats(&self) -> FusionStats {
        self.stats
    }
    /// Time of the newest scan processed (−∞ before the first), s.
    pub fn now(&self) -> f64 {
        self.now
    }
    /// What the OOSM path did in the last call (indices into that call's detections).
    pub fn last_oosm(&self) -> &OosmReport {
        &self.last_oosm
    }

    /// One scan of one sensor taken at `t_s`, delivered now. See [`Self::process_scan_expecting`].
    pub fn process(&mut self, t_s: f64, detections: &[Detection]) -> ScanReport {
        self.process_scan_expecting(t_s, detections, &|_| true)
    }

    /// One scan: detections not older than the newest processed scan go through the tracker
    /// as a scan (`expected` as in [`Tracker::process_expecting`]); older ones through the
    /// OOSM path, or are rejected beyond `max_lag_s`. A whole scan older than the newest one
    /// is not a scan for the track logic (no misses are counted). The report's `updates` and
    /// `rejected` index into `detections`; OOSM outcomes are in [`Self::last_oosm`].
    pub fn process_scan_expecting(
        &mut self,
        t_s: f64,
        detections: &[Detection],
        expected: &dyn Fn(&Track) -> bool,
    ) -> ScanReport {
        let (mut fresh, mut late) = (Vec::new(), Vec::new());
        for (i, d) in detections.iter().enumerate() {
            if d.t_s >= self.now || !d.t_s.is_finite() { fresh.push(i) } else { late.push(i) }
        }
        let mut report = ScanReport::default();
        if !fresh.is_empty() || t_s >= self.now {
            let dets: Vec<Detection> = fresh.iter().map(|&i| detections[i].clone()).collect();
            let t_scan = if t_s.is_finite() { t_s.max(self.now) } else { t_s };
            report = self.tracker.process_expecting(t_scan, &dets, expected);
            remap(&mut report, &fresh);
            self.stats.in_sequence += dets.len() - report.rejected.len();
            if t_scan.is_finite() {
                self.now = self.now.max(t_scan);
            }
        }
        let (mut ok, mut old) = (Vec::new(), Vec::new());
        for i in late {
            if self.now - detections[i].t_s <= self.config.max_lag_s { ok.push(i) } else { old.push(i) }
        }
        self.stats.too_old += old.len();
        let dets: Vec<Detection> = ok.iter().map(|&i| detections[i].clone()).collect();
        let mut oosm = self.tracker.process_oosm(&dets);
        for (d, _) in &mut oosm.applied {
            *d = ok[*d];
        }
        for d in &mut oosm.unassociated {
            *d = ok[*d];
        }
        for (d, _) in &mut oosm.rejected {
            *d = ok[*d];
        }
        self.stats.oosm_applied += oosm.applied.len();
        self.stats.oosm_unassociated += oosm.unassociated.len();
        report.updates.extend(oosm.applied.iter().copied());
        report.updates.sort_unstable();
        report.rejected.extend(oosm.rejected.iter().cloned());
        report.stats.filter_failures += oosm.filter_failures;
        self.last_oosm = oosm;
        report
    }
}

/// Maps the detection indices of a report on a subset back to the full input.
fn remap(report: &mut ScanReport, idx: &[usize]) {
    use crate::track::TrackEvent;
    for (d, _) in &mut report.updates {
        *d = idx[*d];
    }
    for (d, _) in &mut report.rejected {
        *d = idx[*d];
    }
    for e in &mut report.events {
        if let TrackEvent::Initiated { detection, .. } = e {
            *detection = idx[*detection];
        }
    }
}

impl MultiTargetTracker for FusionTracker {
    fn process_scan(&mut self, t_s: f64, detections: &[Detection]) -> ScanReport {
        self.process(t_s, detections)
    }
    fn live_tracks(&self) -> Box<dyn Iterator<Item = &Track> + '_> {
        Box::new(self.tracker.tracks())
    }
}
