//! Bulwark core: the vocabulary every stage shares.
//!
//! - [`SimTime`] / [`SimDuration`]: exact integer nanoseconds from scenario start
//!   (no float time accumulates anywhere in the simulation).
//! - Ids for truth entities, sensors, launchers, units and tracks.
//! - [`Event`]: the typed event log every stage writes to.
//! - [`RngStreams`]: deterministic `ChaCha8Rng` streams keyed by (seed, replication, entity, purpose).
//! - Shared value types: [`Vec3`], platform classes, standard identities.
#![forbid(unsafe_code)]

pub mod event;
pub mod ids;
pub mod kinematics;
pub mod rng;
pub mod special;
pub mod time;
pub mod transponder;
pub mod types;

pub use event::{Event, EventKind, InterceptOutcome};
pub use ids::{EntityId, LauncherId, SensorId, TrackId, UnitId};
pub use rng::{RngStream, RngStreams, StreamPurpose};
pub use time::{SimDuration, SimTime};
pub use transponder::{ModeSet, TransponderFit, TransponderMode};
pub use types::{Identity, Mat3, PlatformClass, RoeState, Vec3};
