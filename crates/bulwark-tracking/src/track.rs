//! Tracks and their life cycle events.
use crate::error::ConfigError;
use crate::filter::ImmState;
use crate::state::{GaussianState, StateMatrix, StateVector};
use crate::tracker::Detection;
use bulwark_core::{SensorId, TrackId};
use std::collections::VecDeque;
use std::f64::consts::TAU;
use std::sync::Arc;

/// How tracks are confirmed and deleted.
#[derive(Copy, Clone, Debug, PartialEq)]
pub enum TrackLogic {
    /// M-of-N confirmation and deletion after K consecutive misses, with M, N, K from
    /// `TrackerConfig::{confirm_m, confirm_n, delete_misses}`. "Confirm after n hits in a row"
    /// is M = N = n.
    MofN,
    /// Score-based logic: Wald's sequential probability ratio test on the track score.
    Sprt(Sprt),
}

/// Sequential probability ratio test on the track score L, the log-likelihood ratio of
/// "true target" against "false alarms" (Blackman & Popoli 1999, §6.2; Blackman 2004,
/// "Multiple hypothesis tracking for multiple target tracking", IEEE AES Magazine 19(1), §II.B):
///
/// ```text
/// L(1)  = ln(β_NT / β_FT)                                        (new track)
/// ΔL    = ln(1 − P_D)                                            (scan without update)
/// ΔL    = ln(P_D / β_FT) − (M/2) ln 2π − ½ ln|S| − d²/2           (update, d² = νᵀS⁻¹ν, M = dim z)
/// ```
///
/// with Wald's thresholds (Wald 1947; Blackman & Popoli 1999, eq. 6.17)
/// T_confirm = ln((1 − β)/α), T_delete = ln(β/(1 − α)), α the probability of confirming a
/// false track, β that of deleting a true one. A tentative track is confirmed when
/// L ≥ T_confirm and deleted when L ≤ T_delete; a confirmed track is deleted when its score
/// has fallen from its peak by |T_delete| (L − L_max ≤ T_delete; Blackman & Popoli 1999, §6.2.3).
/// Densities are per unit measurement-space volume (the product of the units of z, e.g.
/// rad·m for bearing–range), the space of S.
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct Sprt {
    /// α: probability of confirming a false track, in (0, 1).
    pub p_false_alarm: f64,
    /// β: probability of deleting (not confirming) a true track, in (0, 1), α + β < 1.
    pub p_miss: f64,
    /// P_D, in (0, 1).
    pub pd: f64,
    /// β_FT: false-alarm (clutter) density per unit measurement volume, > 0.
    pub clutter_density: f64,
    /// β_NT: density of new targets per unit measurement volume per scan, > 0.
    pub new_target_density: f64,
}

impl Sprt {
    /// Checks every parameter.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let unit = |name: &'static str, v: f64| {
            if v > 0.0 && v < 1.0 { Ok(()) } else { Err(ConfigError::OutOfRange { name, value: v }) }
        };
        unit("p_false_alarm", self.p_false_alarm)?;
        unit("p_miss", self.p_miss)?;
        unit("pd", self.pd)?;
        if self.p_false_alarm + self.p_miss >= 1.0 {
            return Err(ConfigError::OutOfRange {
                name: "p_false_alarm + p_miss",
                value: self.p_false_alarm + self.p_miss,
            });
        }
        for (name, v) in [("clutter_density", self.clutter_density), ("new_target_density", self.new_target_density)] {
            if !(v.is_finite() && v > 0.0) {
                return Err(ConfigError::OutOfRange { name, value: v });
            }
        }
        Ok(())
    }
    /// T_confirm = ln((1 − β)/α).
    pub fn confirm_threshold(&self) -> f64 {
        ((1.0 - self.p_miss) / self.p_false_alarm).ln()
    }
    /// T_delete = ln(β/(1 − α)) (negative).
    pub fn delete_threshold(&self) -> f64 {
        (self.p_miss / (1.0 - self.p_false_alarm)).ln()
    }
    /// L(1) = ln(β_NT/β_FT).
    pub fn initial_score(&self) -> f64 {
        (self.new_target_density / self.clutter_density).ln()
    }
    /// ΔL of a scan without an update: ln(1 − P_D).
    pub fn miss_increment(&self) -> f64 {
        (1.0 - self.pd).ln()
    }
    /// ΔL of an update with d², ln|S| and measurement dimension `dim`.
    pub fn hit_increment(&self, d2: f64, ln_det_s: f64, dim: usize) -> f64 {
        (self.pd / self.clutter_density).ln() - 0.5 * dim as f64 * TAU.ln() - 0.5 * ln_det_s - 0.5 * d2
    }
}

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
    /// SPRT logic: the score of a confirmed track fell from its peak by |T_delete|.
    ScoreDropped,
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
    /// Track score L (log-likelihood ratio, see [`Sprt`]) under [`TrackLogic::Sprt`] and in the MHT; 0 under M-of-N.
    pub score: f64,
    pub(crate) peak_score: f64,
    pub(crate) window_hits: u32,
    /// The last updates, oldest first, kept for out-of-sequence measurements (bounded by
    /// `TrackerConfig::oosm`; empty when that is off).
    pub(crate) history: VecDeque<UpdateRecord>,
    /// The IMM (or single general motion model) state when `TrackerConfig::imm` is set;
    /// `state`/`covariance` are then its combined 6-D marginal.
    pub(crate) imm: Option<Box<ImmState>>,
}

/// One update of a track, with the posterior it started from, so the track can be rolled
/// back to before it and the measurement re-applied.
#[derive(Clone, Debug)]
pub(crate) struct UpdateRecord {
    pub detection: Detection,
    pub prior_state: StateVector,
    pub prior_covariance: StateMatrix,
    pub prior_t: f64,
}

impl PartialEq for UpdateRecord {
    fn eq(&self, o: &Self) -> bool {
        self.detection.t_s == o.detection.t_s
            && self.detection.z == o.detection.z
            && self.detection.sensor == o.detection.sensor
            && Arc::ptr_eq(&self.detection.model, &o.detection.model)
            && self.prior_state == o.prior_state
            && self.prior_covariance == o.prior_covariance
            && self.prior_t == o.prior_t
    }
}

impl Track {
    /// The per-mode IMM state, when the tracker runs an IMM (`TrackerConfig::imm`).
    pub fn imm_state(&self) -> Option<&ImmState> {
        self.imm.as_deref()
    }
    /// The estimate at `last_update_t` as a Gaussian.
    pub fn gaussian(&self) -> GaussianState {
        GaussianState::new(self.state, self.covariance)
    }
}
