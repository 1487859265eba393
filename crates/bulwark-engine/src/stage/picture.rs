//! The outside air picture of an integrated unit (`[[defence]] picture`): the alliance's
//! CAT062 system tracks correlated with the unit's own tracks, so that a network friend
//! protects a track the unit's own IFF cannot identify (issue 18 item 5).
//!
//! At each decision, every outside track (the latest report of each source and track number
//! no older than [`MAX_AGE_S`]) is extrapolated at constant velocity to the decision time and
//! gated against each own track with the chi-square test of track-to-track association
//! (Bar-Shalom, Willett & Tian, *Tracking and Data Fusion*, 2011, §8.2): d² = Δᵀ(P + R)⁻¹Δ
//! over position and velocity (6 degrees of freedom; 3 when the report has no velocity),
//! accepted below the 99 % point of χ². P is the own track's covariance; R is diagonal, the
//! report's accuracy (I500, else [`DEFAULT_SIGMA_POSITION_M`]) grown by [`PROCESS_NOISE`] over
//! its age, [`DEFAULT_SIGMA_VELOCITY_MPS`] in velocity. An own track that gates with an outside
//! friend is handed to identification as a picture friend (`Airspace::picture_friends`).
use crate::stage::track::TRACKER_Q;
use bulwark_c2::TrackView;
use bulwark_core::{Identity, Vec3};
use bulwark_geo::EnuFrame;
use bulwark_scenario::picture::OutsidePicture;
use nalgebra::{DMatrix, DVector};
use std::collections::BTreeMap;

/// Oldest report still used (s): a few update periods of a system track feed.
pub(crate) const MAX_AGE_S: f64 = 12.0;
/// Position accuracy per axis of a report without I500 (m): an assumption, about a
/// multi-radar tracker's error at long range.
pub(crate) const DEFAULT_SIGMA_POSITION_M: f64 = 300.0;
/// Velocity accuracy per axis (m/s), an assumption (CAT062 I500 velocity accuracy is optional).
pub(crate) const DEFAULT_SIGMA_VELOCITY_MPS: f64 = 30.0;
/// Process-noise density that grows a report's position variance with its age (m²/s³).
const PROCESS_NOISE: f64 = TRACKER_Q;

/// One outside track at the decision time: ENU state and its 1-σ errors.
struct OutsideTrack {
    position: Vec3,
    velocity: Option<Vec3>,
    sigma_position_m: f64,
}

/// The outside friends of `picture` at `t_s` (s), extrapolated, in the scenario frame.
fn friends_at(picture: &OutsidePicture, frame: &EnuFrame, t_s: f64) -> Vec<OutsideTrack> {
    let mut latest = BTreeMap::new();
    for r in picture.reports.iter().take_while(|r| r.t_s <= t_s) {
        latest.insert((r.source, r.track_number), r);
    }
    latest
        .into_values()
        .filter(|r| t_s - r.t_s <= MAX_AGE_S && r.identity == Some(Identity::Friend))
        .map(|r| {
            let local = EnuFrame::new(r.position);
            let velocity = r
                .velocity_en_mps
                .map(|[e, n]| frame.vec_to_enu(&local.vec_to_ecef(&Vec3::new(e, n, r.climb_mps.unwrap_or(0.0)))));
            let age = t_s - r.t_s;
            let position = frame.to_enu(&r.position.to_ecef()) + velocity.unwrap_or_else(Vec3::zeros) * age;
            let s0 = r.sigma_position_m.unwrap_or(DEFAULT_SIGMA_POSITION_M);
            let sigma_position_m = (s0 * s0 + PROCESS_NOISE * age.powi(3) / 3.0).sqrt();
            OutsideTrack { position, velocity, sigma_position_m }
        })
        .collect()
}

/// Squared Mahalanobis distance of an own track (state `view`, covariance `p`, position then
/// velocity) from an outside track; ∞ where the sum of covariances is singular.
fn gate_d2(view: &TrackView, p: &[[f64; 6]; 6], o: &OutsideTrack) -> (f64, usize) {
    let n = if o.velocity.is_some() { 6 } else { 3 };
    let mut d = DVector::zeros(n);
    let mut s = DMatrix::from_fn(n, n, |i, j| p[i][j]);
    for k in 0..3 {
        d[k] = view.position[k] - o.position[k];
        s[(k, k)] += o.sigma_position_m.powi(2);
        if let Some(v) = o.velocity {
            d[k + 3] = view.velocity[k] - v[k];
            s[(k + 3, k + 3)] += DEFAULT_SIGMA_VELOCITY_MPS.powi(2);
        }
    }
    let d2 = s.try_inverse().map_or(f64::INFINITY, |si| (d.transpose() * si * &d)[0]);
    (d2, n)
}

/// The positions of the own tracks (`views`, with their `covariances`) that the outside
/// picture shows as friends at `t_s`: each passes the 99 % chi-square gate with a friend.
pub(crate) fn picture_friends(
    picture: &OutsidePicture,
    frame: &EnuFrame,
    t_s: f64,
    views: &[TrackView],
    covariances: &[[[f64; 6]; 6]],
) -> Vec<Vec3> {
    let friends = friends_at(picture, frame, t_s);
    if friends.is_empty() {
        return Vec::new();
    }
    let bound = |n: usize| bulwark_tracking::chi2::quantile(0.99, n).unwrap_or(f64::INFINITY);
    let (b3, b6) = (bound(3), bound(6));
    views
        .iter()
        .zip(covariances)
        .filter(|(v, p)| {
            friends.iter().any(|o| {
                let (d2, n) = gate_d2(v, p, o);
                d2 <= if n == 6 { b6 } else { b3 }
            })
        })
        .map(|(v, _)| v.position)
        .collect()
}
