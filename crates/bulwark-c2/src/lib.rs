//! The command post: what is hostile, what matters most, and which interceptor goes where.
//!
//! The command post sees only the track picture ([`TrackView`]) and IFF replies
//! correlated to tracks — never truth. Three small stages, each its own module:
//! - `identify`: IFF, airspace and kinematics → class, standard identity and confidence, and
//!   engageability under the rules of engagement;
//! - `threat`: closest point of approach and time to go to each defended asset, the impact
//!   point of ballistic tracks (`impact`) → ranked threat list;
//! - `engage`: engageability (predicted intercept point from a fly-out model, inside an
//!   interceptor's envelope) and a kill-probability estimate;
//! - `declare`: persistence and thresholds — when a proposed identity becomes the one acted on;
//! - `doctrine`: salvo or shoot–look–shoot, layered zones, hold fire, kill assessment;
//! - `authority`: fire authority by guidance chain (fire-control track or seeker basket);
//! - `assign`: fire distribution through the weapon–target assignment solvers (`wta`).
//!
//! All positions and velocities are in the scenario's ENU frame (m, m/s); the engine
//! supplies geodetic altitude separately because ENU "up" departs from altitude by
//! ≈ d²/(2R) (12.5 km at 400 km).
#![forbid(unsafe_code)]

pub mod assign;
pub mod authority;
pub mod declare;
pub mod doctrine;
pub mod engage;
pub mod identify;
pub mod impact;
pub mod plausible;
pub mod threat;
pub mod wta;

pub use assign::{
    FireOrder, TargetRating, WeaponView, assign_weapons, assign_weapons_authorised, assign_weapons_rated,
};
pub use authority::{Authority, TrackNeed};
pub use declare::{Declaration, DeclarationRules};
pub use doctrine::{Doctrine, FirePolicy, LayerZone, default_zones};
pub use engage::{Flyout, FlyoutTable, InterceptorEnvelope, LauncherGeometry, PkModel};
pub use identify::{
    Airspace, CivilRoute, FlightPlan, Identification, IdentificationRules, Identifier, IffEvidence, IffMode, RoeState,
    TargetClass, identify, identify_with, identify_without_reasons,
};
pub use impact::{BallisticState, ImpactFootprint, ImpactParams, ImpactPoint, ImpactPrediction, predict_impact};
pub use plausible::{Plausibility, implausible};
pub use threat::{
    DefendedAsset, RankedThreat, ThreatAssessment, ThreatInput, ThreatParams, assess, assess_with_impact, rank_threats,
};
pub use wta::{AutoWta, BranchAndBound, MaxMarginalReturn, WtaProblem, WtaSolution, WtaSolver};

use bulwark_core::{Identity, SimTime, TrackId, Vec3};

/// What the command post knows of one track (perception only).
#[derive(Clone, Debug, PartialEq)]
pub struct TrackView {
    pub id: TrackId,
    /// Estimated position in the scenario ENU frame (m).
    pub position: Vec3,
    /// Estimated velocity in the scenario ENU frame (m/s).
    pub velocity: Vec3,
    /// Estimated geodetic altitude (m).
    pub altitude_m: f64,
    /// Estimated rate of climb, local vertical (m/s).
    pub climb_rate_mps: f64,
    /// Confirmed by the track logic (tentative tracks are never engaged).
    pub confirmed: bool,
    /// Missed its most recent expected update (coasting tracks are not engaged).
    pub coasting: bool,
    /// Current identity (as previously decided by [`identify`]).
    pub identity: Identity,
    /// When the track was first declared engageable (hostile/suspect), if ever.
    pub hostile_since: Option<SimTime>,
}

impl TrackView {
    pub fn speed(&self) -> f64 {
        self.velocity.norm()
    }
}
