//! Identity declaration with persistence: the identity a command post acts on changes only on
//! evidence that holds.
//!
//! [`crate::identify`] proposes an identity from each cycle's evidence; a proposal that
//! escalates (to suspect or hostile) becomes the declared identity only once it has been
//! proposed in `hold_cycles` consecutive cycles, each with a confidence of at least the
//! threshold for that identity under the ROE in force. A proposal that protects (friend,
//! assumed friend, neutral: a valid reply, a correlated flight plan or route) is declared at
//! once — a protected object is not put at risk while evidence accumulates, the fail-safe
//! asymmetry of combat identification (JP 3-01, *Countering Air and Missile Threats*, 2017,
//! ch. III: positive identification before engagement under weapons tight). Dropping a hostile
//! or suspect declaration to unknown needs the same persistence (hysteresis: a one-cycle gap in
//! the evidence neither makes nor unmakes a hostile).
//!
//! Weapons tight fires only at a *declared* hostile held for `tight_hold_s`; weapons free at a
//! declared hostile or suspect, or an unknown that stayed silent.
//!
//! Every threshold is doctrine ([`DeclarationRules`]); the defaults are notional and marked as
//! assumptions in `docs/models.md`.
use crate::identify::{Identification, RoeState};
use bulwark_core::{Identity, SimTime};

/// Thresholds of declaration (doctrine; notional defaults, each an assumption).
#[derive(Clone, Debug, PartialEq)]
pub struct DeclarationRules {
    /// Consecutive cycles a proposed hostile or suspect identity must hold before it is declared,
    /// and a proposed unknown before a hostile or suspect declaration is dropped.
    pub hold_cycles: u32,
    /// Least confidence of a hostile proposal, under weapons free / weapons tight.
    pub hostile_confidence_free: f64,
    pub hostile_confidence_tight: f64,
    /// Least confidence of a suspect proposal (only weapons free engages a suspect).
    pub suspect_confidence: f64,
    /// Weapons tight: how long a hostile declaration must have held before a fire order (s).
    pub tight_hold_s: f64,
}

impl Default for DeclarationRules {
    /// Notional: three consecutive 1-s cycles (one missed cycle of evidence is common, three in
    /// a row are not); P(hostile) ≥ 0.5 under weapons free and ≥ 0.8 under weapons tight; a
    /// suspect at ≥ 0.5; weapons tight needs the hostile declaration held 5 s.
    fn default() -> Self {
        DeclarationRules {
            hold_cycles: 3,
            hostile_confidence_free: 0.5,
            hostile_confidence_tight: 0.8,
            suspect_confidence: 0.5,
            tight_hold_s: 5.0,
        }
    }
}

impl DeclarationRules {
    /// Least confidence for declaring `identity` under `roe` (0 for identities that protect).
    pub fn threshold(&self, identity: Identity, roe: RoeState) -> f64 {
        match (identity, roe) {
            (Identity::Hostile, RoeState::WeaponsFree) => self.hostile_confidence_free,
            (Identity::Hostile, _) => self.hostile_confidence_tight,
            (Identity::Suspect, _) => self.suspect_confidence,
            _ => 0.0,
        }
    }
}

/// The declared identity of one object (track history) and the proposal that may replace it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Declaration {
    pub identity: Identity,
    /// When the declared identity took effect.
    pub since: Option<SimTime>,
    /// A different identity proposed in consecutive cycles, and how many.
    candidate: Option<(Identity, u32)>,
    /// The track stayed silent (from the last identification), for weapons free's unknown rule.
    no_reply: bool,
}

impl Declaration {
    /// Takes this cycle's proposal at `now` under `roe`; returns the declared identity.
    pub fn update(
        &mut self,
        proposal: &Identification,
        now: SimTime,
        roe: RoeState,
        rules: &DeclarationRules,
    ) -> Identity {
        self.no_reply = proposal.no_reply;
        let p = proposal.identity;
        if p == self.identity {
            self.candidate = None;
            return self.identity;
        }
        let immediate = p.protected() || matches!(self.identity, Identity::Pending) && p == Identity::Unknown;
        let strong = proposal.confidence >= rules.threshold(p, roe);
        if immediate {
            self.declare(p, now);
            return self.identity;
        }
        if !strong {
            // Too weak to count: it neither builds a candidate nor breaks the declared one.
            self.candidate = None;
            return self.identity;
        }
        let n = match self.candidate {
            Some((c, n)) if c == p => n + 1,
            _ => 1,
        };
        self.candidate = Some((p, n));
        if n >= rules.hold_cycles.max(1) {
            self.declare(p, now);
        }
        self.identity
    }

    fn declare(&mut self, identity: Identity, now: SimTime) {
        self.identity = identity;
        self.since = Some(now);
        self.candidate = None;
    }

    /// Whether the ROE let the declared identity be engaged at `now`: weapons tight → a hostile
    /// declaration held `tight_hold_s`; weapons free → hostile, suspect, or unknown and silent;
    /// weapons hold → none. Protected identities never.
    pub fn engageable(&self, roe: RoeState, now: SimTime, rules: &DeclarationRules) -> bool {
        match roe {
            RoeState::WeaponsHold => false,
            RoeState::WeaponsTight => {
                self.identity == Identity::Hostile
                    && self.since.is_some_and(|s| (now - s).as_secs_f64() >= rules.tight_hold_s - 1e-9)
            }
            RoeState::WeaponsFree => {
                matches!(self.identity, Identity::Hostile | Identity::Suspect)
                    || (self.identity == Identity::Unknown && self.no_reply)
            }
        }
    }

    /// How long the declared identity has held at `now` (s; 0 before any declaration).
    pub fn held_s(&self, now: SimTime) -> f64 {
        self.since.map_or(0.0, |s| (now - s).as_secs_f64())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::identify::{AffiliationPosterior, TargetClass};

    fn proposal(identity: Identity, confidence: f64) -> Identification {
        Identification {
            identity,
            reason: String::new(),
            class: TargetClass::FastJet,
            class_confidence: 0.6,
            confidence,
            class_posterior: [0.0, 0.0, 0.0, 1.0, 0.0],
            affiliation: AffiliationPosterior { friend: 0.2, civil: 0.1, hostile: confidence },
            no_reply: true,
            reasons: Vec::new(),
        }
    }

    fn t(s: i64) -> SimTime {
        SimTime::from_secs_f64(s as f64)
    }

    #[test]
    fn a_hostile_needs_consecutive_strong_cycles_and_a_friend_is_declared_at_once() {
        let r = DeclarationRules::default();
        let mut d = Declaration::default();
        let tight = RoeState::WeaponsTight;
        assert_eq!(d.update(&proposal(Identity::Unknown, 0.4), t(0), tight, &r), Identity::Unknown);
        assert_eq!(d.update(&proposal(Identity::Hostile, 0.9), t(1), tight, &r), Identity::Unknown);
        assert_eq!(d.update(&proposal(Identity::Hostile, 0.9), t(2), tight, &r), Identity::Unknown);
        assert_eq!(d.update(&proposal(Identity::Hostile, 0.9), t(3), tight, &r), Identity::Hostile);
        assert!(!d.engageable(tight, t(7), &r), "held 4 s of the 5 s");
        assert!(d.engageable(tight, t(8), &r));
        assert_eq!(d.update(&proposal(Identity::Friend, 0.99), t(9), tight, &r), Identity::Friend);
        assert!(!d.engageable(RoeState::WeaponsFree, t(20), &r));
    }

    #[test]
    fn a_weak_hostile_reading_is_not_counted_under_weapons_tight() {
        let r = DeclarationRules::default();
        let mut d = Declaration::default();
        for k in 0..10 {
            d.update(&proposal(Identity::Hostile, 0.57), t(k), RoeState::WeaponsTight, &r);
        }
        assert_eq!(d.identity, Identity::Pending);
        // The same readings count under weapons free, where 0.5 suffices.
        for k in 10..13 {
            d.update(&proposal(Identity::Hostile, 0.57), t(k), RoeState::WeaponsFree, &r);
        }
        assert_eq!(d.identity, Identity::Hostile);
    }
}
