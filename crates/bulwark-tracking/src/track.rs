//! Tracks and their life cycle events.
use crate::state::{GaussianState, StateMatrix, StateVector};
use bulwark_core::{SensorId, TrackId};

/// Where a track is in its life cycle.
///
/// Tentative → Confirmed by M hits within its first N scans (deleted as soon as M can no
/// longer be reached); Confirmed ↔ Coasting while it misses; deleted after K consecutive
/// misses (Blackman & Popoli 1999, §3.2 and §6.2: M-of-N confirmation logic).
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TrackStatus {
    Tentative,
    Confirmed,
    /// Confirmed, but missed at least the last scan; the estimate is being extrapolated.
    Coasting,
}

impl TrackStatus {
    /// Confirmed or coasting: a track the rest of the system may act on.
    pub fn is_confirmed(self) -> bool {
        matches!(self, TrackStatus::Confirmed | TrackStatus::Coasting)
    }
}

/// Why a track was deleted.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum DeleteReason {
    /// A tentative track can no longer reach M hits in its first N scans.
    NotConfirmed,
    /// A confirmed track missed `delete_misses` consecutive scans.
    Missed,
}

/// A change in a track's life cycle, reported by [`crate::Tracker::process`].
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum TrackEvent {
    /// A new tentative track from the detection at this index of the `process` input.
    Initiated {
        track: TrackId,
        detection: usize,
    },
    Confirmed {
        track: TrackId,
    },
    Deleted {
        track: TrackId,
        reason: DeleteReason,
    },
}

/// One track: the filter's estimate at its last update, plus the bookkeeping of its logic.
#[derive(Clone, Debug, PartialEq)]
pub struct Track {
    /// Stable and never reused.
    pub id: TrackId,
    pub status: TrackStatus,
    /// Posterior mean at `last_update_t`: `[x, y, z, vx, vy, vz]`, m and m/s, tracker frame.
    pub state: StateVector,
    /// Posterior covariance at `last_update_t`.
    pub covariance: StateMatrix,
    /// Time of the detection that last updated (or started) the track, s.
    pub last_update_t: f64,
    /// Time of the initiating detection, s.
    pub initiated_t: f64,
    /// Sensor of the last update.
    pub last_sensor: SensorId,
    /// Detections that updated or started the track.
    pub hits: u32,
    /// Consecutive scans without an update.
    pub misses: u32,
    /// Scans the track has taken part in, the initiating one included.
    pub scans: u32,
    /// Track quality in [0, 1]: exponentially weighted hit rate, q ← q + g (hit − q) per scan
    /// with g = `TrackerConfig::quality_gain`, starting from g at initiation.
    pub quality: f64,
    /// Normalised innovation squared d² of the last update (`None` before the first update).
    pub last_nis: Option<f64>,
    pub(crate) window_hits: u32,
}

impl Track {
    /// The estimate at `last_update_t` as a Gaussian.
    pub fn gaussian(&self) -> GaussianState {
        GaussianState::new(self.state, self.covariance)
    }
}
