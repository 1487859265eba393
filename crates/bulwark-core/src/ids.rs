//! Typed ids, so a sensor id can never be passed where a track id is meant.
use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! id_type {
    ($(#[$m:meta])* $name:ident, $inner:ty, $prefix:literal) => {
        $(#[$m])*
        #[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub $inner);
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, concat!($prefix, "{}"), self.0)
            }
        }
    };
}

id_type!(
    /// A truth object: threat, civil or friendly aircraft, interceptor.
    EntityId, u32, "E");
id_type!(
    /// A sensor (radar, IFF interrogator).
    SensorId, u32, "S");
id_type!(
    /// A launcher.
    LauncherId, u32, "L");
id_type!(
    /// A defence unit (battalion / battery) with its command post.
    UnitId, u32, "U");
id_type!(
    /// A track of the tracker: perception, never truth.
    TrackId, u64, "T");
