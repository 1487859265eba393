//! Shared value types.
use serde::{Deserialize, Serialize};
use std::fmt;

/// A 3-vector in SI units (m, m/s, m/s²); the frame is named where it is used.
pub type Vec3 = nalgebra::Vector3<f64>;
/// A 3×3 matrix (rotations between frames, covariances).
pub type Mat3 = nalgebra::Matrix3<f64>;

/// What kind of platform an object is (truth), as the catalog classes it.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlatformClass {
    Fighter,
    StealthFighter,
    Bomber,
    Reconnaissance,
    CruiseMissile,
    Uav,
    BallisticMissile,
    Airliner,
    Interceptor,
}

impl PlatformClass {
    pub const ALL: [PlatformClass; 9] = [
        PlatformClass::Fighter,
        PlatformClass::StealthFighter,
        PlatformClass::Bomber,
        PlatformClass::Reconnaissance,
        PlatformClass::CruiseMissile,
        PlatformClass::Uav,
        PlatformClass::BallisticMissile,
        PlatformClass::Airliner,
        PlatformClass::Interceptor,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            PlatformClass::Fighter => "fighter",
            PlatformClass::StealthFighter => "stealth_fighter",
            PlatformClass::Bomber => "bomber",
            PlatformClass::Reconnaissance => "reconnaissance",
            PlatformClass::CruiseMissile => "cruise_missile",
            PlatformClass::Uav => "uav",
            PlatformClass::BallisticMissile => "ballistic_missile",
            PlatformClass::Airliner => "airliner",
            PlatformClass::Interceptor => "interceptor",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

impl fmt::Display for PlatformClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Standard identity of a track (STANAG 1241 / APP-6 standard identities).
/// Civil traffic is `Neutral`.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Identity {
    #[default]
    Pending,
    Unknown,
    AssumedFriend,
    Friend,
    Neutral,
    Suspect,
    Hostile,
}

impl Identity {
    pub fn as_str(self) -> &'static str {
        match self {
            Identity::Pending => "pending",
            Identity::Unknown => "unknown",
            Identity::AssumedFriend => "assumed_friend",
            Identity::Friend => "friend",
            Identity::Neutral => "neutral",
            Identity::Suspect => "suspect",
            Identity::Hostile => "hostile",
        }
    }
    /// Every identity, in declaration order.
    pub const ALL: [Identity; 7] = [
        Identity::Pending,
        Identity::Unknown,
        Identity::AssumedFriend,
        Identity::Friend,
        Identity::Neutral,
        Identity::Suspect,
        Identity::Hostile,
    ];

    /// The standard identity's letter of STANAG 1241 / APP-6 (P, U, A, F, N, S, H), as the
    /// Bulwark convention carries it in CAT062's SP field.
    pub fn app6_letter(self) -> u8 {
        b"PUAFNSH"[self as usize]
    }

    /// The identity of an APP-6 letter.
    pub fn from_app6_letter(letter: u8) -> Option<Identity> {
        Identity::ALL.into_iter().find(|i| i.app6_letter() == letter)
    }

    /// Friend, assumed friend and neutral (civil) tracks are never engaged.
    pub fn protected(self) -> bool {
        matches!(self, Identity::Friend | Identity::AssumedFriend | Identity::Neutral)
    }
}

/// Rules-of-engagement weapon control status (JP 3-01, *Countering Air and Missile
/// Threats*, glossary), set per scenario and time.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RoeState {
    /// Fire at any target not identified as friend or neutral (here: hostile or suspect).
    #[default]
    WeaponsFree,
    /// Fire only at targets identified as hostile.
    WeaponsTight,
    /// Fire only in self-defence or on order: the command post does not engage.
    WeaponsHold,
}

impl RoeState {
    /// Whether a track of this identity may be engaged under this state.
    pub fn permits(self, identity: Identity) -> bool {
        match self {
            RoeState::WeaponsFree => matches!(identity, Identity::Hostile | Identity::Suspect),
            RoeState::WeaponsTight => identity == Identity::Hostile,
            RoeState::WeaponsHold => false,
        }
    }
}
