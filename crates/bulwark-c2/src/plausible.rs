//! Plausibility: whether a track could be an air threat at all, before identification's
//! verdict may lead to a fire order (issue 18: a false track, surface traffic or an object below
//! the slowest threat's flying speed is never engaged, whatever its identity).
//!
//! Two tests, both doctrine of the system (catalog `min_target_speed`, `min_track_updates`):
//! - speed: every air threat must fly to stay airborne, so a track slower than the slowest
//!   threat's minimum flying speed is surface traffic (taxiing aircraft, vehicles, ships) or a
//!   track drifting on clutter, not an air threat. The estimated speed |v̂| (m/s) of a young
//!   track is noisy (a surveillance track's first velocity comes from plots seconds apart), so a
//!   track is plausible only when its speed is above the minimum with margin:
//!   |v̂| − 2σ_s ≥ v_min, with σ_s² = ûᵀ P_vv û the velocity variance along û = v̂/|v̂| (the
//!   first-order variance of |v|; one-sided 2σ leaves a slow object 2.3 % per cycle of a
//!   Gaussian estimate to pass, and the declaration must then still hold).
//! - support: a track built from a few false alarms that happened to line up has few updates;
//!   with the false-alarm probability P_fa per cell, a track needing k more associated false
//!   alarms in its gate after confirmation survives with probability ~ (N_gate·P_fa)^k, so a few
//!   updates more than the confirmation rule's make a false track's engagement negligible
//!   (Blackman & Popoli, *Design and Analysis of Modern Tracking Systems*, 1999, §6.2, false-track
//!   rate of M-of-N confirmation).

/// Plausibility thresholds of a command post; `None` switches a test off.
#[derive(Copy, Clone, Debug, PartialEq, Default)]
pub struct Plausibility {
    /// Least ground speed of a track engaged (m/s).
    pub min_speed_mps: Option<f64>,
    /// Least detections (all of the unit's radars together) that built the track.
    pub min_updates: Option<u32>,
}

/// Margin on the speed test, in standard deviations of the speed estimate.
pub const SPEED_SIGMA_MULTIPLE: f64 = 2.0;

/// 1-σ (m/s) of the speed |v| of a track with velocity `v` (m/s) and state covariance `p`
/// (x y z vx vy vz): √(ûᵀ P_vv û). At rest (no direction) the largest axis σ. Non-finite or
/// negative variances give infinity.
pub fn speed_sigma_mps(v: &bulwark_core::Vec3, p: &[[f64; 6]; 6]) -> f64 {
    let n = v.norm();
    let var = if n > 0.0 && n.is_finite() {
        let u = [v.x / n, v.y / n, v.z / n];
        (0..3).map(|i| (0..3).map(|j| u[i] * p[3 + i][3 + j] * u[j]).sum::<f64>()).sum::<f64>()
    } else {
        (3..6).map(|i| p[i][i]).fold(0.0, f64::max)
    };
    if var.is_finite() && var >= 0.0 { var.sqrt() } else { f64::INFINITY }
}

/// Why a track is no plausible air threat (its text is the reason, for a log or a report).
#[derive(Copy, Clone, Debug, PartialEq)]
pub enum Implausible {
    NoSpeed,
    /// Speed and its 1-σ (m/s), not clearly above the least air-threat speed (m/s).
    Slow {
        speed_mps: f64,
        sigma_mps: f64,
        min_mps: f64,
    },
    /// Updates that built the track, fewer than the least engageable (count).
    Thin {
        updates: u32,
        min: u32,
    },
}

impl std::fmt::Display for Implausible {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match *self {
            Implausible::NoSpeed => write!(f, "no finite speed estimate"),
            Implausible::Slow { speed_mps, sigma_mps, min_mps } => write!(
                f,
                "speed {speed_mps:.1} ± {sigma_mps:.1} m/s not clearly above the least air-threat speed {min_mps:.1} m/s"
            ),
            Implausible::Thin { updates, min } => {
                write!(f, "{updates} updates, fewer than the {min} an engageable track needs")
            }
        }
    }
}

/// Why a track is no plausible air threat, or `None` when it is one. `speed_mps` is the track's
/// estimated speed and `sigma_mps` its 1-σ ([`speed_sigma_mps`]), `updates` the detections that
/// built it. A non-finite speed is implausible. Called for every confirmed track each decision
/// cycle, so the reason is a value, formatted only where it is shown.
pub fn implausible(p: &Plausibility, speed_mps: f64, sigma_mps: f64, updates: u32) -> Option<Implausible> {
    if !speed_mps.is_finite() {
        return Some(Implausible::NoSpeed);
    }
    let lower = speed_mps - SPEED_SIGMA_MULTIPLE * sigma_mps;
    if let Some(min) = p.min_speed_mps
        && (lower.is_nan() || lower < min)
    {
        return Some(Implausible::Slow { speed_mps, sigma_mps, min_mps: min });
    }
    if let Some(min) = p.min_updates
        && updates < min
    {
        return Some(Implausible::Thin { updates, min });
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The S-400 entry's doctrine: 20 m/s and 5 updates (catalog/s400.toml).
    const S400: Plausibility = Plausibility { min_speed_mps: Some(20.0), min_updates: Some(5) };

    #[test]
    fn surface_traffic_and_thin_tracks_are_not_threats() {
        // Taxiing airliner at 15 kt = 7.7 m/s (1 kt = 1852/3600 m/s exactly, BIPM SI brochure
        // table 8): implausible; the slowest catalog threat (100 km/h = 27.8 m/s) is plausible.
        let taxi = 15.0 * 1852.0 / 3600.0;
        assert!(implausible(&S400, taxi, 0.5, 40).is_some_and(|r| r.to_string().contains("speed 7.7 ± 0.5 m/s")));
        assert_eq!(implausible(&S400, 100.0 / 3.6, 1.0, 40), None);
        // 27.8 m/s with σ 4 m/s: 27.8 − 8 < 20, not yet clearly a flyer.
        assert!(implausible(&S400, 100.0 / 3.6, 4.0, 40).is_some());
        assert!(implausible(&S400, 250.0, 5.0, 4).is_some_and(|r| r.to_string().contains("4 updates")));
        assert_eq!(implausible(&S400, 250.0, 5.0, 5), None);
        assert!(implausible(&S400, f64::NAN, 1.0, 40).is_some());
        assert!(implausible(&S400, 250.0, f64::NAN, 40).is_some());
        // Switched off: anything finite goes.
        assert_eq!(implausible(&Plausibility::default(), 0.0, 0.0, 0), None);
    }

    #[test]
    fn speed_sigma_is_the_variance_along_the_velocity() {
        // Analytic case: P_vv = diag(9, 16, 1) m²/s²; along east σ = 3, along north 4; along
        // (3, 4, 0)/5: (9·9 + 16·16)/25 = 13.48, σ = 3.672 (uᵀPu by hand).
        let mut p = [[0.0; 6]; 6];
        (p[3][3], p[4][4], p[5][5]) = (9.0, 16.0, 1.0);
        let v = |x, y| bulwark_core::Vec3::new(x, y, 0.0);
        assert!((speed_sigma_mps(&v(100.0, 0.0), &p) - 3.0).abs() < 1e-12);
        assert!((speed_sigma_mps(&v(0.0, 7.0), &p) - 4.0).abs() < 1e-12);
        assert!((speed_sigma_mps(&v(3.0, 4.0), &p) - 13.48f64.sqrt()).abs() < 1e-12);
        assert!((speed_sigma_mps(&v(0.0, 0.0), &p) - 4.0).abs() < 1e-12, "at rest: the largest axis");
    }
}
