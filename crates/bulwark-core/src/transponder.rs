//! What an aircraft carries to answer IFF / SSR interrogations: its transponder fit.
//!
//! The modes are those of ICAO Annex 10 Vol. IV (civil Mode 3/A identity, Mode C pressure
//! altitude, Mode S selective address) and of NATO's military IFF (Mode 4, and its successor
//! Mode 5, both cryptographically secured), plus a national military mode standing for any
//! non-NATO secure system. Shared by the scenario (which declares a fit), the sensors (which
//! answer with it) and metrics (which report it).
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// One transponder mode.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TransponderMode {
    /// NATO secure military mode (STANAG 4193 successor of Mode 4): a valid reply means friend.
    Mode5,
    /// NATO's earlier secure military mode.
    Mode4,
    /// Civil/military identity code (squawk).
    Mode3A,
    /// Pressure altitude.
    ModeC,
    /// Selective mode: 24-bit aircraft address.
    ModeS,
    /// A national secure mode outside NATO's.
    National,
}

impl TransponderMode {
    /// Every mode, in order.
    pub const ALL: [TransponderMode; 6] = [
        TransponderMode::Mode5,
        TransponderMode::Mode4,
        TransponderMode::Mode3A,
        TransponderMode::ModeC,
        TransponderMode::ModeS,
        TransponderMode::National,
    ];

    /// The name in scenario files and outputs.
    pub fn as_str(self) -> &'static str {
        match self {
            TransponderMode::Mode5 => "mode5",
            TransponderMode::Mode4 => "mode4",
            TransponderMode::Mode3A => "mode3a",
            TransponderMode::ModeC => "modec",
            TransponderMode::ModeS => "modes",
            TransponderMode::National => "national",
        }
    }

    /// The mode named `s` (as [`TransponderMode::as_str`] writes it).
    pub fn parse(s: &str) -> Option<TransponderMode> {
        TransponderMode::ALL.into_iter().find(|m| m.as_str() == s)
    }

    /// A secure (cryptographic) military mode, which nobody but a holder of the keys answers.
    pub fn secure(self) -> bool {
        matches!(self, TransponderMode::Mode5 | TransponderMode::Mode4 | TransponderMode::National)
    }
}

/// A set of [`TransponderMode`]s in one byte (bit = position in [`TransponderMode::ALL`]): what
/// a transponder answers or an interrogator reads, copied per object per look without allocating.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct ModeSet(u8);

impl ModeSet {
    /// No mode.
    pub const EMPTY: ModeSet = ModeSet(0);

    fn bit(mode: TransponderMode) -> u8 {
        1 << TransponderMode::ALL.iter().position(|m| *m == mode).unwrap_or(0)
    }
    /// The set holding `modes`.
    pub fn of(modes: impl IntoIterator<Item = TransponderMode>) -> ModeSet {
        ModeSet(modes.into_iter().fold(0, |acc, m| acc | ModeSet::bit(m)))
    }
    pub fn contains(self, mode: TransponderMode) -> bool {
        self.0 & ModeSet::bit(mode) != 0
    }
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }
    /// The modes in both sets.
    pub fn intersection(self, other: ModeSet) -> ModeSet {
        ModeSet(self.0 & other.0)
    }
    /// The secure (cryptographic) modes of the set.
    pub fn secure(self) -> ModeSet {
        ModeSet::of(self.iter().filter(|m| m.secure()))
    }
    /// The modes in [`TransponderMode::ALL`] order.
    pub fn iter(self) -> impl Iterator<Item = TransponderMode> {
        TransponderMode::ALL.into_iter().filter(move |m| self.contains(*m))
    }
    /// The modes joined with "+" ("none" for the empty set), for tables.
    pub fn describe(self) -> String {
        if self.is_empty() {
            return "none".into();
        }
        self.iter().map(|m| m.as_str()).collect::<Vec<_>>().join("+")
    }
}

/// An aircraft's transponder fit: the modes it answers, its codes, and the probability that the
/// set has failed (or is switched off) for the whole sortie.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TransponderFit {
    pub modes: BTreeSet<TransponderMode>,
    /// Probability, drawn once per aircraft and run, that the transponder does not answer at all.
    pub failure_probability: f64,
    /// Mode 3/A code (octal digits as a number, 0..=0o7777).
    pub squawk: Option<u16>,
    /// Mode S 24-bit address.
    pub address: Option<u32>,
}

impl TransponderFit {
    /// Whether the fit answers `mode`.
    pub fn has(&self, mode: TransponderMode) -> bool {
        self.modes.contains(&mode)
    }

    /// The modes joined with "+" ("none" for an empty fit), for tables.
    pub fn describe(&self) -> String {
        self.mode_set().describe()
    }

    /// The fit's modes as a [`ModeSet`].
    pub fn mode_set(&self) -> ModeSet {
        ModeSet::of(self.modes.iter().copied())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for m in TransponderMode::ALL {
            assert_eq!(TransponderMode::parse(m.as_str()), Some(m));
        }
        assert_eq!(TransponderMode::parse("mode 5"), None);
    }

    #[test]
    fn describe_lists_the_fit() {
        let fit = TransponderFit {
            modes: [TransponderMode::ModeC, TransponderMode::Mode5].into_iter().collect(),
            ..Default::default()
        };
        assert_eq!(fit.describe(), "mode5+modec");
        assert_eq!(TransponderFit::default().describe(), "none");
    }

    #[test]
    fn mode_sets_intersect_and_keep_only_secure_modes() {
        let s400 = ModeSet::of([TransponderMode::Mode3A, TransponderMode::ModeC, TransponderMode::National]);
        let fighter = ModeSet::of([TransponderMode::Mode5, TransponderMode::ModeC]);
        assert_eq!(s400.intersection(fighter), ModeSet::of([TransponderMode::ModeC]));
        assert_eq!(s400.secure(), ModeSet::of([TransponderMode::National]));
        assert!(ModeSet::EMPTY.is_empty() && ModeSet::EMPTY.describe() == "none");
        assert_eq!(fighter.describe(), "mode5+modec");
    }
}
