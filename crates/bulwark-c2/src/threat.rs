//! Threat evaluation: closest point of approach and time to go to each defended asset.
//!
//! For a track at relative position r with velocity v (constant-velocity prediction):
//! t_cpa = −(r·v)/(v·v), d_cpa = |r + v·t_cpa| (public-parameters.md, "Threat
//! evaluation"; e.g. Roux & van Vuuren, *Threat evaluation and weapon assignment
//! decision support: a review*, ORiON 23(2), 2007, §3). A track whose CPA falls inside an
//! asset's radius plus a margin is *threatening* it, with time to go t_cpa.
//!
//! A ballistic track is judged by its predicted impact point instead ([`crate::impact`],
//! [`assess_with_impact`]): it threatens only the assets whose footprint holds the impact.
//! [`rank_threats`] turns the assessments and identifications into a ranked list with reasons.
use crate::TrackView;
use crate::identify::{Identification, TargetClass};
use crate::impact::{BallisticState, ImpactParams, ImpactPrediction, StateSigma, predict_impact_with_footprint};
use bulwark_core::{Identity, TrackId, Vec3};
use std::cmp::Ordering;

/// A defended asset in the scenario ENU frame.
#[derive(Clone, Debug, PartialEq)]
pub struct DefendedAsset {
    pub name: String,
    pub position: Vec3,
    pub radius_m: f64,
}

/// The assessment of one track against the defended assets.
#[derive(Clone, Debug, PartialEq)]
pub struct ThreatAssessment {
    pub track: TrackId,
    /// Index of the asset the track threatens most (earliest CPA inside its zone).
    pub asset: Option<usize>,
    /// Time to closest approach to that asset (s), or to the nearest asset if none is threatened.
    pub t_cpa_s: f64,
    /// Miss distance at closest approach (m).
    pub d_cpa_m: f64,
    /// Current distance to the nearest asset (m).
    pub range_to_asset_m: f64,
    /// Whether the CPA falls inside an asset's radius plus margin in the future.
    pub threatening: bool,
}

impl ThreatAssessment {
    /// Time to go used for ranking (s): t_cpa for a threatening track, infinity otherwise.
    pub fn time_to_go_s(&self) -> f64 {
        if self.threatening { self.t_cpa_s } else { f64::INFINITY }
    }

    /// Ranking: threatening tracks by time to go, then the rest by time to reach the
    /// nearest asset at their speed; ties by track id, so the order is deterministic.
    pub fn urgency_cmp(&self, other: &Self, self_speed: f64, other_speed: f64) -> Ordering {
        other
            .threatening
            .cmp(&self.threatening)
            .then_with(|| self.time_to_go_s().total_cmp(&other.time_to_go_s()))
            .then_with(|| {
                let a = self.range_to_asset_m / self_speed.max(1.0);
                let b = other.range_to_asset_m / other_speed.max(1.0);
                a.total_cmp(&b)
            })
            .then_with(|| self.track.cmp(&other.track))
    }
}

/// Closest point of approach of a constant-velocity point (relative position `r`,
/// velocity `v`) to the origin: (t_cpa, d_cpa). A stationary point has t_cpa = 0.
/// A CPA in the past is clamped to now (t = 0).
pub fn closest_point_of_approach(r: &Vec3, v: &Vec3) -> (f64, f64) {
    let vv = v.norm_squared();
    if vv < 1e-12 {
        return (0.0, r.norm());
    }
    let t = (-r.dot(v) / vv).max(0.0);
    (t, (r + v * t).norm())
}

/// Assess one track against all assets. `margin_m` widens every asset's zone (the
/// prediction is straight-line; a manoeuvring threat may bend towards the asset).
pub fn assess(track: &TrackView, assets: &[DefendedAsset], margin_m: f64) -> ThreatAssessment {
    let mut out = ThreatAssessment {
        track: track.id,
        asset: None,
        t_cpa_s: f64::INFINITY,
        d_cpa_m: f64::INFINITY,
        range_to_asset_m: f64::INFINITY,
        threatening: false,
    };
    for (i, a) in assets.iter().enumerate() {
        let r = track.position - a.position;
        let (t, d) = closest_point_of_approach(&r, &track.velocity);
        let range = r.norm();
        out.range_to_asset_m = out.range_to_asset_m.min(range);
        let threatening = d <= a.radius_m + margin_m && (t > 0.0 || range <= a.radius_m);
        let better = match (threatening, out.threatening) {
            (true, false) => true,
            (true, true) => t < out.t_cpa_s,
            (false, false) => out.asset.is_none() || range < out.range_to_asset_m || d < out.d_cpa_m,
            (false, true) => false,
        };
        if better {
            out.asset = Some(i);
            out.t_cpa_s = t;
            out.d_cpa_m = d;
            out.threatening = threatening;
        }
    }
    out
}

/// Assess a ballistic track by its predicted impact: it threatens the asset whose footprint
/// (radius plus `sigma_factor` times the impact ellipse's 1-σ semi-major axis) holds the impact
/// point, with time to go = time to impact and d_cpa = impact miss distance (ENU chord, m).
/// Among several, the nearest impact wins; if none, the asset nearest the impact is reported.
pub fn assess_with_impact(
    track: &TrackView,
    assets: &[DefendedAsset],
    impact: &ImpactPrediction,
    sigma_factor: f64,
) -> ThreatAssessment {
    let mut out = ThreatAssessment {
        track: track.id,
        asset: None,
        t_cpa_s: impact.impact.time_to_impact_s,
        d_cpa_m: f64::INFINITY,
        range_to_asset_m: f64::INFINITY,
        threatening: false,
    };
    let spread = sigma_factor.max(0.0) * impact.footprint.semi_major_m;
    for (i, a) in assets.iter().enumerate() {
        let miss = (impact.impact.position - a.position).norm();
        out.range_to_asset_m = out.range_to_asset_m.min((track.position - a.position).norm());
        let inside = miss <= a.radius_m + spread;
        let better = match (inside, out.threatening) {
            (true, false) => true,
            (false, true) => false,
            _ => miss < out.d_cpa_m,
        };
        if better {
            out.asset = Some(i);
            out.d_cpa_m = miss;
            out.threatening = inside;
        }
    }
    out
}

/// One track to rank: its view, its identification and, if the tracker carries it, its state
/// covariance (order x y z vx vy vz; m², m²/s²) for the impact footprint.
#[derive(Clone, Debug)]
pub struct ThreatInput<'a> {
    pub track: &'a TrackView,
    pub identification: &'a Identification,
    pub covariance: Option<&'a [[f64; 6]; 6]>,
}

/// Weights and scales of the threat value model (notional defaults).
#[derive(Clone, Debug, PartialEq)]
pub struct ThreatParams {
    /// Widening of every asset's zone for the straight-line CPA test (m).
    pub margin_m: f64,
    /// Time scale τ of the proximity value e^(−t_go/τ) (s).
    pub time_scale_s: f64,
    /// Weights of capability, proximity (time to go) and miss-distance values.
    pub w_capability: f64,
    pub w_time: f64,
    pub w_miss: f64,
    /// Value of each asset in [0, 1], by asset index; missing entries count 1.
    pub asset_values: Vec<f64>,
    /// Propagation of ballistic tracks.
    pub impact: ImpactParams,
    /// Uncertainty used when a track carries no covariance.
    pub default_sigma: StateSigma,
    /// A ballistic impact threatens an asset within radius + this many 1-σ semi-major axes.
    pub footprint_sigmas: f64,
    /// Minimum class posterior for a ballistic track to be evaluated by its impact point.
    pub ballistic_min_posterior: f64,
}

impl Default for ThreatParams {
    fn default() -> Self {
        ThreatParams {
            margin_m: 5_000.0,
            time_scale_s: 120.0,
            w_capability: 0.3,
            w_time: 0.4,
            w_miss: 0.3,
            asset_values: Vec::new(),
            impact: ImpactParams::default(),
            default_sigma: StateSigma::default(),
            footprint_sigmas: 1.0,
            ballistic_min_posterior: 0.5,
        }
    }
}

/// Lethality (capability) value of a class in [0, 1] (notional).
pub fn capability(class: TargetClass) -> f64 {
    match class {
        TargetClass::BallisticMissile => 1.0,
        TargetClass::CruiseMissile => 0.9,
        TargetClass::FastJet => 0.7,
        TargetClass::Uav => 0.5,
        TargetClass::Aircraft => 0.3,
    }
}

/// Intent value of an identity in [0, 1]: what the evidence says of hostile intent.
pub fn intent(identity: Identity) -> f64 {
    match identity {
        Identity::Hostile => 1.0,
        Identity::Suspect => 0.7,
        Identity::Unknown => 0.4,
        Identity::Pending => 0.2,
        Identity::Friend | Identity::AssumedFriend | Identity::Neutral => 0.0,
    }
}

/// One entry of the ranked threat list.
#[derive(Clone, Debug, PartialEq)]
pub struct RankedThreat {
    /// 1 = most urgent.
    pub rank: usize,
    pub track: TrackId,
    /// Threat value in [0, 1] (see [`rank_threats`]).
    pub score: f64,
    pub class: TargetClass,
    pub identity: Identity,
    pub confidence: f64,
    /// The assessment behind the score (by impact point for ballistic tracks).
    pub assessment: ThreatAssessment,
    /// Name of the asset threatened (or nearest).
    pub asset_name: Option<String>,
    /// Predicted impact of a ballistic track.
    pub impact: Option<ImpactPrediction>,
    /// Whether that impact falls on a defended footprint; `None` for non-ballistic tracks.
    pub impact_in_footprint: Option<bool>,
    pub reasons: Vec<String>,
}

/// Rank the tracks by threat value, most threatening first.
///
/// Value model (a weighted additive value function, one of the threat-evaluation models that
/// Roux & van Vuuren review: *Threat evaluation and weapon assignment decision support: a review
/// of the state of the art*, ORiON 23(2), 2007, 151–187; cues: capability, proximity, intent):
///
/// V = A·I·(w_c·C + w_t·T + w_m·M)/(w_c + w_t + w_m), in [0, 1], where
/// - A: value of the threatened (else nearest) asset; C: [`capability`] of the most probable class;
/// - I = [`intent`](identity)·(½ + ½·confidence): stated intent, discounted by its uncertainty;
/// - T = e^(−t_go/τ) and M = max(0, 1 − d/(r + m)) for a threatening track, 0 otherwise, where
///   t_go and d are the CPA time and miss distance (straight line), or for a ballistic track the
///   time to impact and the impact miss distance with r + m = radius + k·σ_major.
///
/// Protected identities (friend, neutral) are left out. Order: threatening before not,
/// then V descending, then time to go ascending, then track id, so ties are deterministic.
/// A ballistic track whose impact cannot be predicted falls back to the straight-line CPA.
pub fn rank_threats(inputs: &[ThreatInput<'_>], assets: &[DefendedAsset], params: &ThreatParams) -> Vec<RankedThreat> {
    let wsum = params.w_capability + params.w_time + params.w_miss;
    let wsum = if wsum > 0.0 && wsum.is_finite() { wsum } else { 1.0 };
    let tau = if params.time_scale_s > 0.0 { params.time_scale_s } else { 1.0 };
    let mut out: Vec<RankedThreat> = inputs
        .iter()
        .filter(|i| !i.identification.identity.protected())
        .map(|input| {
            let (t, id) = (input.track, input.identification);
            let mut reasons = vec![format!("{} (P = {:.2})", id.class.as_str(), id.class_confidence)];
            let ballistic = id.class == TargetClass::BallisticMissile
                && id.class_posterior[TargetClass::BallisticMissile.index()] >= params.ballistic_min_posterior;
            let mut impact = None;
            if ballistic {
                let state = BallisticState::from_track(t, &params.impact.gravity);
                let cov = input.covariance.copied().unwrap_or_else(|| params.default_sigma.covariance());
                match predict_impact_with_footprint(&state, &cov, &params.impact) {
                    Ok(p) => impact = Some(p),
                    Err(e) => reasons.push(format!("no impact prediction ({e}); straight-line CPA used")),
                }
            }
            let (assessment, radius_plus) = match &impact {
                Some(p) => {
                    let a = assess_with_impact(t, assets, p, params.footprint_sigmas);
                    let extra = params.footprint_sigmas.max(0.0) * p.footprint.semi_major_m;
                    (a, extra)
                }
                None => (assess(t, assets, params.margin_m), params.margin_m),
            };
            let asset = assessment.asset.and_then(|i| assets.get(i).map(|a| (i, a)));
            let value = asset.map(|(i, _)| params.asset_values.get(i).copied().unwrap_or(1.0)).unwrap_or(0.0);
            let value = if value.is_finite() { value.clamp(0.0, 1.0) } else { 0.0 };
            let (time_v, miss_v) = match (assessment.threatening, asset) {
                (true, Some((_, a))) => {
                    let zone = (a.radius_m + radius_plus).max(1.0);
                    ((-assessment.t_cpa_s / tau).exp(), (1.0 - assessment.d_cpa_m / zone).max(0.0))
                }
                _ => (0.0, 0.0),
            };
            let intent_v = intent(id.identity) * (0.5 + 0.5 * id.confidence.clamp(0.0, 1.0));
            let score = value
                * intent_v
                * (params.w_capability * capability(id.class) + params.w_time * time_v + params.w_miss * miss_v)
                / wsum;
            let score = if score.is_finite() { score.clamp(0.0, 1.0) } else { 0.0 };
            let asset_name = asset.map(|(_, a)| a.name.clone());
            match (&asset_name, assessment.threatening) {
                (Some(n), true) => reasons.push(format!("threatens {n}")),
                (Some(n), false) => reasons.push(format!("nearest asset {n}, not threatened")),
                (None, _) => reasons.push("no defended asset".into()),
            }
            if let Some(p) = &impact {
                reasons.push(format!(
                    "impact in {:.0} s, {:.0} m from {} (1-σ {:.0} m): {} footprint",
                    p.impact.time_to_impact_s,
                    assessment.d_cpa_m,
                    asset_name.as_deref().unwrap_or("-"),
                    p.footprint.semi_major_m,
                    if assessment.threatening { "inside" } else { "outside" },
                ));
            } else if assessment.d_cpa_m.is_finite() {
                reasons.push(format!("CPA {:.0} m in {:.0} s", assessment.d_cpa_m, assessment.t_cpa_s));
            }
            reasons.push(format!("{} (confidence {:.2})", id.identity.as_str(), id.confidence));
            RankedThreat {
                rank: 0,
                track: t.id,
                score,
                class: id.class,
                identity: id.identity,
                confidence: id.confidence,
                impact_in_footprint: impact.as_ref().map(|_| assessment.threatening),
                assessment,
                asset_name,
                impact,
                reasons,
            }
        })
        .collect();
    out.sort_by(|a, b| {
        b.assessment
            .threatening
            .cmp(&a.assessment.threatening)
            .then_with(|| b.score.total_cmp(&a.score))
            .then_with(|| a.assessment.time_to_go_s().total_cmp(&b.assessment.time_to_go_s()))
            .then_with(|| a.track.cmp(&b.track))
    });
    for (k, r) in out.iter_mut().enumerate() {
        r.rank = k + 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use bulwark_core::Identity;

    fn tv(pos: Vec3, vel: Vec3) -> TrackView {
        TrackView {
            id: TrackId(7),
            position: pos,
            velocity: vel,
            altitude_m: pos.z,
            climb_rate_mps: vel.z,
            confirmed: true,
            coasting: false,
            identity: Identity::Hostile,
            hostile_since: None,
        }
    }

    #[test]
    fn cpa_matches_the_perpendicular_distance_to_the_line() {
        // Oracle: the distance from a point to a line is |r × v| / |v| (a different
        // formula from the one under test), and the time is the along-track distance / speed.
        let r = Vec3::new(10_000.0, 0.0, 0.0);
        let v = Vec3::new(-100.0, 10.0, 0.0);
        let (t, d) = closest_point_of_approach(&r, &v);
        let d_oracle = r.cross(&v).norm() / v.norm();
        let t_oracle = (r.norm_squared() - d_oracle * d_oracle).sqrt() / v.norm();
        assert!((d - d_oracle).abs() < 1e-9, "{d} vs {d_oracle}");
        assert!((t - t_oracle).abs() < 1e-9, "{t} vs {t_oracle}");
        assert!((d - 995.037_190_209_989).abs() < 1e-6);
    }

    #[test]
    fn degenerate_cases_give_finite_answers() {
        let (t, d) = closest_point_of_approach(&Vec3::new(3.0, 4.0, 0.0), &Vec3::zeros());
        assert_eq!((t, d), (0.0, 5.0));
        // Receding: CPA was in the past, clamp to now.
        let (t, d) = closest_point_of_approach(&Vec3::new(1000.0, 0.0, 0.0), &Vec3::new(10.0, 0.0, 0.0));
        assert_eq!((t, d), (0.0, 1000.0));
    }

    #[test]
    fn the_asset_under_attack_is_found_and_ranked_first() {
        let assets = vec![
            DefendedAsset { name: "a".into(), position: Vec3::new(0.0, 0.0, 0.0), radius_m: 2_000.0 },
            DefendedAsset { name: "b".into(), position: Vec3::new(0.0, 50_000.0, 0.0), radius_m: 2_000.0 },
        ];
        let inbound_b = tv(Vec3::new(0.0, 150_000.0, 100.0), Vec3::new(0.0, -250.0, 0.0));
        let a = assess(&inbound_b, &assets, 1_000.0);
        assert!(a.threatening);
        assert_eq!(a.asset, Some(1));
        assert!((a.t_cpa_s - 400.0).abs() < 1e-9);
        let passing = tv(Vec3::new(100_000.0, 0.0, 9_000.0), Vec3::new(0.0, 250.0, 0.0));
        let p = assess(&passing, &assets, 1_000.0);
        assert!(!p.threatening);
        assert_eq!(a.urgency_cmp(&p, 250.0, 250.0), Ordering::Less);
    }
}
