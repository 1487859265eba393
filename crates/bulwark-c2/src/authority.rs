//! Fire authority follows the guidance chain: whether the track a unit holds supports the
//! guidance of an interceptor type, from launch to hand-over.
//!
//! Command, semi-active and track-via-missile rounds are guided by the unit's fire-control
//! radar to the end (Zarchan, *Tactical and Strategic Missile Guidance*, 6th ed., ch. 1), so
//! they may launch only on a track that radar holds, inside its sector now and at the predicted
//! intercept point. An active-seeker round with inertial/uplink mid-course needs the track only
//! until its seeker acquires: it may also leave on a surveillance or network track when its
//! doctrine allows it and the track's predicted position error at intercept fits the seeker's
//! acquisition basket, a disc of radius R_acq·tan θ_fov about the predicted line of sight.
//!
//! The predicted error is that of the constant-velocity model with white-noise acceleration of
//! spectral density q (m²/s³) per axis, carried over the fly-out time t (Bar-Shalom, Li &
//! Kirubarajan, *Estimation with Applications to Tracking and Navigation*, 2001, §6.2.2):
//! P_pp(t) = P_pp + t(P_pv + P_vp) + t²·P_vv + q·t³/3 per axis block. The round may launch when
//! the 2-RMS radius 2·√(tr P_pp(t)) fits inside the basket (the 2DRMS radius of navigation,
//! 95–98 % containment of a circular Gaussian; conservative here, since the trace also counts the
//! error along the line of sight, which the seeker's range gate absorbs).

/// Margin on the RMS radius: the predicted error fits the basket when this many RMS radii do.
pub const BASKET_RMS_MULTIPLE: f64 = 2.0;

/// What track an interceptor type needs at launch.
#[derive(Copy, Clone, Debug, PartialEq)]
pub enum TrackNeed {
    /// A fire-control radar track, inside that radar's sector now and at the intercept point.
    FireControl,
    /// A fire-control track, or else any own track whose predicted error fits the seeker's
    /// acquisition basket of this radius (m).
    SeekerBasket { radius_m: f64 },
}

/// Why a launch is authorised.
#[derive(Copy, Clone, Debug, PartialEq)]
pub enum Authority {
    /// The unit's fire-control radar holds the track and covers the intercept point.
    FireControlTrack,
    /// A surveillance or network track: the predicted 2-RMS error radius (m) fits the basket (m).
    Basket { error_m: f64, radius_m: f64 },
}

impl Authority {
    /// A short sentence for the fire order's evidence.
    pub fn describe(&self) -> String {
        match self {
            Authority::FireControlTrack => "on the fire-control radar's track".into(),
            Authority::Basket { error_m, radius_m } => format!(
                "on a surveillance track: predicted error {:.1} km in the seeker basket of {:.1} km",
                error_m / 1e3,
                radius_m / 1e3
            ),
        }
    }
}

/// RMS radius (m) of the position error of a track with state covariance `p` (x y z vx vy vz;
/// m², m²/s, m²/s²) predicted `t_s` ahead with process noise `q` (m²/s³ per axis): √(tr P_pp(t)).
/// A negative or non-finite input gives infinity (no basket fits it).
pub fn predicted_error_m(p: &[[f64; 6]; 6], t_s: f64, q: f64) -> f64 {
    if !(t_s.is_finite() && q.is_finite()) || t_s < 0.0 || q < 0.0 {
        return f64::INFINITY;
    }
    let trace: f64 = (0..3)
        .map(|k| p[k][k] + t_s * (p[k][k + 3] + p[k + 3][k]) + t_s * t_s * p[k + 3][k + 3] + q * t_s.powi(3) / 3.0)
        .sum();
    if trace.is_finite() && trace >= 0.0 { trace.sqrt() } else { f64::INFINITY }
}

/// Whether a round with `need` may launch: `fire_control` says whether the unit's fire-control
/// radar holds the track and covers it now and at the intercept point; `error_m` is the
/// predicted RMS error radius at the intercept ([`predicted_error_m`]). `None`: not authorised.
pub fn authorise(need: TrackNeed, fire_control: bool, error_m: f64) -> Option<Authority> {
    if fire_control {
        return Some(Authority::FireControlTrack);
    }
    match need {
        TrackNeed::FireControl => None,
        TrackNeed::SeekerBasket { radius_m } => {
            let e = BASKET_RMS_MULTIPLE * error_m;
            (e.is_finite() && e <= radius_m).then_some(Authority::Basket { error_m: e, radius_m })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Per-axis block of F·P·Fᵀ + Q written as explicit 2×2 products, F = [[1, t], [0, 1]],
    /// Q = q·[[t³/3, t²/2], [t²/2, t]] (Bar-Shalom et al. 2001, eq. 6.2.2-12): the matrix form
    /// the closed form in [`predicted_error_m`] must agree with.
    fn ppp_by_matrices(pp: f64, pv: f64, vv: f64, t: f64, q: f64) -> f64 {
        let p = [[pp, pv], [pv, vv]];
        let f = [[1.0, t], [0.0, 1.0]];
        let mut fp = [[0.0; 2]; 2];
        for i in 0..2 {
            for j in 0..2 {
                fp[i][j] = (0..2).map(|k| f[i][k] * p[k][j]).sum();
            }
        }
        let fpft00: f64 = (0..2).map(|k| fp[0][k] * f[0][k]).sum();
        fpft00 + q * t.powi(3) / 3.0
    }

    #[test]
    fn predicted_error_agrees_with_the_matrix_propagation() {
        let axes = [(2500.0, 40.0, 100.0), (900.0, -15.0, 25.0), (10_000.0, 0.0, 400.0)];
        let mut p = [[0.0; 6]; 6];
        for (k, &(pp, pv, vv)) in axes.iter().enumerate() {
            p[k][k] = pp;
            p[k][k + 3] = pv;
            p[k + 3][k] = pv;
            p[k + 3][k + 3] = vv;
        }
        for (t, q) in [(0.0, 400.0), (12.5, 0.0), (60.0, 400.0), (200.0, 25.0)] {
            let want: f64 = axes.iter().map(|&(pp, pv, vv)| ppp_by_matrices(pp, pv, vv, t, q)).sum::<f64>().sqrt();
            let got = predicted_error_m(&p, t, q);
            assert!((got - want).abs() <= 1e-9 * want.max(1.0), "t {t} q {q}: {got} vs {want}");
        }
    }

    #[test]
    fn a_velocity_error_alone_grows_linearly_with_time() {
        // Analytic case: P_pp = 0, P_vv = σv² on one axis, q = 0 → error = σv·t.
        let mut p = [[0.0; 6]; 6];
        p[3][3] = 30.0 * 30.0;
        assert!((predicted_error_m(&p, 100.0, 0.0) - 3_000.0).abs() < 1e-9);
        assert_eq!(predicted_error_m(&p, f64::NAN, 0.0), f64::INFINITY);
        assert_eq!(predicted_error_m(&p, -1.0, 0.0), f64::INFINITY);
    }

    #[test]
    fn fire_control_types_need_the_fire_control_track_and_seekers_the_basket() {
        assert_eq!(authorise(TrackNeed::FireControl, true, f64::INFINITY), Some(Authority::FireControlTrack));
        assert_eq!(authorise(TrackNeed::FireControl, false, 1.0), None);
        let need = TrackNeed::SeekerBasket { radius_m: 2_000.0 };
        // 2 × 999 m fits 2 km, 2 × 1001 m does not.
        assert!(matches!(authorise(need, false, 999.0), Some(Authority::Basket { .. })));
        assert_eq!(authorise(need, false, 1_001.0), None);
        assert_eq!(authorise(need, false, f64::INFINITY), None);
    }
}
