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
//! Mahalanobis distance ([`Gate`]) → Global Nearest Neighbour on each cluster of gated pairs
//! ([`gnn_associate`]) → EKF update with the Joseph form → M-of-N confirmation, deletion
//! after K misses → single-point initiation of unassociated detections.
#![forbid(unsafe_code)]

pub mod assignment;
pub mod association;
pub mod chi2;
pub mod config;
pub mod error;
pub mod gating;
pub mod kalman;
pub mod measurement;
pub mod metrics;
pub mod multi;
pub mod prefilter;
pub mod state;
pub mod track;
pub mod tracker;
pub mod transition;

pub use assignment::{Assignment, AssignmentSolver, ShortestAugmentingPath};
pub use association::{GatedPair, gnn_associate};
pub use error::{ConfigError, DetectionError, FilterError, ModelError};
pub use gating::Gate;
pub use kalman::{ExtendedKalmanUpdater, KalmanPredictor, MeasurementPrediction, Predictor, Updater};
pub use measurement::{BearingRange2D, Cartesian, MeasurementModel, PositionFix, RangeAzElRr, SensorPose, wrap_angle};
pub use multi::MultiTargetTracker;
pub use prefilter::SpatialIndex;
pub use state::{GaussianState, STATE_DIM, StateMatrix, StateVector};
pub use track::{DeleteReason, Track, TrackEvent, TrackStatus};
pub use tracker::{Detection, ScanReport, ScanStats, Tracker, TrackerConfig};
pub use transition::{ConstantVelocity, TransitionModel};
