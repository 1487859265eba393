//! The outside air picture of an integrated unit (`[[defence]] picture`): the alliance's
//! CAT062 system tracks correlated with the unit's own tracks, so that a network friend
//! protects a track the unit's own IFF cannot identify (issue 18 item 5).
//!
//! At each decision, every outside track (the latest report of each source and track number
//! no older than the unit's `picture_max_age`) is extrapolated at constant velocity to the decision time and
//! gated against each own track with the chi-square test of track-to-track association
//! (Bar-Shalom, Willett & Tian, *Tracking and Data Fusion*, 2011, §8.2): d² = Δᵀ(P + R)⁻¹Δ
//! over position and velocity (6 degrees of freedom; 3 when the report has no velocity),
//! accepted below the 99 % point of χ². P is the own track's covariance; R is diagonal, the
//! report's accuracy (I500, else the unit's `picture_sigma_position`) grown over its age by the
//! unit's own process noise q (σ² + q·age³/3, the position term of the white-acceleration model,
//! Bar-Shalom, Li & Kirubarajan 2001 §6.2.2), `picture_sigma_velocity` in velocity
//! ([`PictureDoctrine`], catalog `[[system]]` keys). An own track that gates with an outside
//! friend is handed to identification as a picture friend (`Airspace::picture_friends`).
use bulwark_c2::TrackView;
use bulwark_core::{Identity, Vec3};
use bulwark_geo::EnuFrame;
use bulwark_scenario::picture::OutsidePicture;
use nalgebra::{DMatrix, DVector};
use std::collections::BTreeMap;

/// How a unit reads its outside picture (catalog `[[system]]` `picture_max_age`,
/// `picture_sigma_position`, `picture_sigma_velocity`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PictureDoctrine {
    /// Oldest report still used (s).
    pub max_age_s: f64,
    /// Position accuracy per axis of a report without I500 (m).
    pub sigma_position_m: f64,
    /// Velocity accuracy per axis of every report (m/s).
    pub sigma_velocity_mps: f64,
}

/// One outside track at the decision time: ENU state and its 1-σ errors.
struct OutsideTrack {
    position: Vec3,
    velocity: Option<Vec3>,
    sigma_position_m: f64,
    sigma_velocity_mps: f64,
}

/// The outside friends of `picture` at `t_s` (s), extrapolated, in the scenario frame; a report's
/// position variance grows by q·age³/3 (q in m²/s³).
fn friends_at(picture: &OutsidePicture, d: &PictureDoctrine, q: f64, frame: &EnuFrame, t_s: f64) -> Vec<OutsideTrack> {
    let mut latest = BTreeMap::new();
    for r in picture.reports.iter().take_while(|r| r.t_s <= t_s) {
        latest.insert((r.source, r.track_number), r);
    }
    latest
        .into_values()
        .filter(|r| t_s - r.t_s <= d.max_age_s && r.identity == Some(Identity::Friend))
        .map(|r| {
            let local = EnuFrame::new(r.position);
            let velocity = r
                .velocity_en_mps
                .map(|[e, n]| frame.vec_to_enu(&local.vec_to_ecef(&Vec3::new(e, n, r.climb_mps.unwrap_or(0.0)))));
            let age = t_s - r.t_s;
            let position = frame.to_enu(&r.position.to_ecef()) + velocity.unwrap_or_else(Vec3::zeros) * age;
            let s0 = r.sigma_position_m.unwrap_or(d.sigma_position_m);
            let sigma_position_m = (s0 * s0 + q * age.powi(3) / 3.0).sqrt();
            OutsideTrack { position, velocity, sigma_position_m, sigma_velocity_mps: d.sigma_velocity_mps }
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
            s[(k + 3, k + 3)] += o.sigma_velocity_mps.powi(2);
        }
    }
    let d2 = s.try_inverse().map_or(f64::INFINITY, |si| (d.transpose() * si * &d)[0]);
    (d2, n)
}

/// The positions of the own tracks (`views`, with their `covariances`) that the outside
/// picture shows as friends at `t_s`: each passes the 99 % chi-square gate with a friend. `d` and
/// `q` are the unit's picture doctrine and process noise (m²/s³).
pub(crate) fn picture_friends(
    picture: &OutsidePicture,
    d: &PictureDoctrine,
    q: f64,
    frame: &EnuFrame,
    t_s: f64,
    views: &[TrackView],
    covariances: &[[[f64; 6]; 6]],
) -> Vec<Vec3> {
    let friends = friends_at(picture, d, q, frame, t_s);
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

#[cfg(test)]
mod tests {
    use super::*;
    use bulwark_geo::Geodetic;
    use bulwark_scenario::picture::PictureReport;

    /// One friendly report without I500 at the frame's origin, 8 s old at t = 8 s.
    fn picture() -> (OutsidePicture, EnuFrame) {
        let origin = Geodetic::new(40f64.to_radians(), -40f64.to_radians(), 5_000.0);
        let report = PictureReport {
            t_s: 0.0,
            source: (1, 2),
            track_number: 7,
            position: origin,
            velocity_en_mps: Some([0.0, 0.0]),
            climb_mps: None,
            sigma_position_m: None,
            identity: Some(Identity::Friend),
        };
        (OutsidePicture { path: "feed.ast".into(), reports: vec![report] }, EnuFrame::new(origin))
    }

    /// The unit's picture doctrine and q (catalog keys): a report older than `picture_max_age`
    /// is dropped; one without I500 starts at `picture_sigma_position` and grows with the unit's
    /// q. Oracle: the white-acceleration position variance, by hand: σ² = σ₀² + q·t³/3, so at
    /// t = 8 s, σ₀ = 300 m: √(90,000 + 400·512/3) = 397.83 m at q = 400, √(90,000 + 4,000·512/3)
    /// = 879.01 m at q = 4,000.
    #[test]
    fn the_units_picture_doctrine_and_q_age_and_spread_an_outside_report() {
        let (p, frame) = picture();
        let d = PictureDoctrine { max_age_s: 12.0, sigma_position_m: 300.0, sigma_velocity_mps: 30.0 };
        let at = |d: &PictureDoctrine, q: f64| friends_at(&p, d, q, &frame, 8.0);
        let s = |q: f64| at(&d, q)[0].sigma_position_m;
        assert!((s(400.0) - 397.83).abs() < 0.01, "{}", s(400.0));
        assert!((s(4_000.0) - 879.01).abs() < 0.01, "{}", s(4_000.0));
        assert_eq!(at(&d, 400.0)[0].sigma_velocity_mps, 30.0);
        assert!(at(&PictureDoctrine { max_age_s: 5.0, ..d }, 400.0).is_empty(), "8 s old > 5 s: dropped");
        let wide = PictureDoctrine { sigma_position_m: 1_000.0, ..d };
        assert!((at(&wide, 0.0)[0].sigma_position_m - 1_000.0).abs() < 1e-9);
    }
}
