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
pub mod free_fall;
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

/// FNV-1a, 64 bit (Fowler, Noll & Vo): a stable fingerprint of bytes for change detection
/// and cache keys (not security).
pub fn fnv1a_64(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3))
}

#[cfg(test)]
mod fnv_tests {
    /// Reference values of the FNV-1a 64-bit test suite (Fowler/Noll/Vo, "FNV test vectors").
    #[test]
    fn fnv1a_64_matches_the_published_test_vectors() {
        assert_eq!(super::fnv1a_64(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(super::fnv1a_64(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(super::fnv1a_64(b"foobar"), 0x8594_4171_f739_67e8);
    }
}
