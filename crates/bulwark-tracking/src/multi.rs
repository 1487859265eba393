//! The one interface every multi-target tracker offers (GNN, JPDA/JIPDA, MHT), so callers —
//! the engine, `bulwark track`, benchmarks — pick one by name and drive it the same way.
use crate::track::Track;
use crate::tracker::{Detection, ScanReport};
use std::fmt;

/// A multi-target tracker: one call per sensor scan, in time order; the live tracks after it.
pub trait MultiTargetTracker: fmt::Debug + Send {
    /// Processes one scan taken at `t_s` (s); every detection carries its own time.
    fn process_scan(&mut self, t_s: f64, detections: &[Detection]) -> ScanReport;
    /// Live tracks (tentative, confirmed, coasting) in ascending id order.
    fn live_tracks(&self) -> Box<dyn Iterator<Item = &Track> + '_>;
}

impl MultiTargetTracker for crate::tracker::Tracker {
    fn process_scan(&mut self, t_s: f64, detections: &[Detection]) -> ScanReport {
        self.process(t_s, detections)
    }
    fn live_tracks(&self) -> Box<dyn Iterator<Item = &Track> + '_> {
        Box::new(self.tracks())
    }
}
