//! Bulwark multi-target tracking, usable on its own (like Stone Soup): it knows nothing
//! of radars, catalogs or the simulation, only of states, measurement models and detections.
//!
//! - **State:** 6-D Cartesian `[x, y, z, vx, vy, vz]` (m, m/s) in the tracker frame
//!   (the engine uses ENU at the scenario origin).
//! - **Time:** `f64` seconds on any fixed epoch (the engine passes `SimTime::as_secs_f64`,
//!   exact to the nanosecond for spans under 104 days). Only differences are used.
//! - One small trait per job: [`TransitionModel`], [`MeasurementModel`], [`Predictor`],
//!   [`Updater`], [`AssignmentSolver`]; the [`Tracker`] assembles them.
//!
//! Pipeline of one [`Tracker::process`] call (one sensor scan): predict every track to each
//! detection's time → coarse spatial pre-filter ([`SpatialIndex`]) → chi-square gate on the
//! Mahalanobis distance ([`Gate`]) → two-stage Global Nearest Neighbour (confirmed tracks, then
//! tentative ones on the detections left) on each cluster of gated pairs
//! ([`gnn_associate`]) → EKF update with the Joseph form → M-of-N confirmation, deletion
//! after K misses, or SPRT on the track score ([`TrackLogic`]) → single-point initiation of
//! unassociated detections. Each track is predicted once per (detection time, sensor model)
//! and the built-in EKF gates and updates on stack matrices. [`FusionTracker`] feeds one
//! picture from several sensors and applies out-of-sequence detections by reprocessing.
//!
//! Alternatives behind the same [`MultiTargetTracker`] interface: [`JpdaTracker`] (JPDA or
//! JIPDA with track existence, exact per-cluster joint events) and [`MhtTracker`]
//! (track-oriented MHT with Murty k-best global hypotheses and N-scan pruning).
#![forbid(unsafe_code)]

pub mod assignment;
pub mod association;
pub mod chi2;
pub mod config;
pub mod error;
pub mod filter;
pub mod fusion;
pub mod gating;
pub mod jpda;
pub mod kalman;
pub mod kbest;
pub mod measurement;
pub mod metrics;
pub mod mht;
pub mod multi;
pub mod prefilter;
pub mod state;
pub mod track;
pub mod track_fusion;
pub mod tracker;
pub mod transition;

pub use assignment::{
    Assignment, AssignmentSolver, ShortestAugmentingPath, SparseBuffers, SparseProblem, solve_sparse,
};
pub use association::{GatedPair, gnn_associate};
pub use error::{ConfigError, DetectionError, FilterError, ModelError};
pub use filter::{Imm, ImmState, UnscentedKalmanUpdater};
pub use fusion::{FusionConfig, FusionStats, FusionTracker};
pub use gating::Gate;
pub use jpda::{
    ClusterMarginals, JpdaApproximation, JpdaConfig, JpdaStats, JpdaTracker, MarginalError, cheap_marginals,
    exact_marginals, kbest_marginals,
};
pub use kalman::{ExtendedKalmanUpdater, KalmanPredictor, MeasurementPrediction, Predictor, Updater};
pub use kbest::k_best_assignments;
pub use measurement::{
    AngleOnly, BearingRange2D, Cartesian, MeasurementModel, PositionFix, RangeAzElRr, SensorPose, wrap_angle,
};
pub use mht::{MhtConfig, MhtStats, MhtTracker};
pub use multi::MultiTargetTracker;
pub use prefilter::SpatialIndex;
pub use state::{GaussianState, HorizontalMoments, STATE_DIM, StateMatrix, StateVector};
pub use track::{DeleteReason, Sprt, Track, TrackEvent, TrackLogic, TrackStatus};
pub use tracker::{Detection, OosmConfig, OosmReport, ScanReport, ScanStats, Tracker, TrackerConfig, TrackerImm};
pub use transition::{ConstantVelocity, TransitionModel};
