//! Threat evaluation: closest point of approach and time to go to each defended asset.
//!
//! For a track at relative position r with velocity v (constant-velocity prediction):
//! t_cpa = −(r·v)/(v·v), d_cpa = |r + v·t_cpa| (public-parameters.md, "Threat
//! evaluation"; e.g. Roux & van Vuuren, *Threat evaluation and weapon assignment
//! decision support: a review*, ORiON 23(2), 2007, §3). A track whose CPA falls inside an
//! asset's radius plus a margin is *threatening* it, with time to go t_cpa.
use crate::TrackView;
use bulwark_core::{TrackId, Vec3};
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
