//! Cued acquisition: a fire-control radar told where to look (by a low-band radar's or the
//! network's track) spends a long dwell in the one beam position around the cue instead of
//! finding the target in its own search.
//!
//! - **Time.** The dwell comes out of the tracking share of the radar's time budget
//!   ([`crate::schedule::TimeBudget`]): per search period T (the real time of one search frame
//!   with n engaged tracks), the spare tracking time is (ρ − n·r·τ)·T; c cues share it equally,
//!   T_cue = (ρ − n·r·τ)·T / c.
//! - **Gain.** Integrating coherently over T_int instead of one track dwell τ multiplies the SNR
//!   by K = T_int/τ (coherent integration gain, Richards, Fundamentals of Radar Signal
//!   Processing, 2014, §1.4 and ch. 4). Coherence is lost once the target walks out of its
//!   range cell, so T_int = min(T_cue, ΔR/v) with ΔR the range resolution and v the target's
//!   speed (an upper bound on its radial speed; Richards 2014, range migration). K ≥ 1.
//! - **Effect.** SNR ∝ 1/R⁴, so a gain K moves every detection range out by K^¼: a reference
//!   range R_ref becomes R_ref·K^¼; in the radar equation it is K times the energy on target,
//!   written as K·P_t (the pulse terms stay those of one dwell).
use crate::RadarParams;
use crate::schedule::TimeBudget;

/// Time (s) each of `cues` cued dwells may take in one search period of a radar with `budget`
/// holding `tracked` engagement tracks: (ρ − n·r·τ)·T_search(n) / cues; 0 if none is spare.
pub fn cue_dwell_s(budget: &TimeBudget, tracked: u32, cues: u32) -> f64 {
    if cues == 0 {
        return 0.0;
    }
    let spare = (budget.max_track_fraction - f64::from(tracked) * budget.load_per_track()).max(0.0);
    spare * budget.search_period_s(tracked) / f64::from(cues)
}

/// Coherent integration gain K = max(1, min(T_cue, ΔR/v)/τ) of a cued dwell of `cue_dwell_s`
/// over the radar's normal dwell `dwell_s`, for a target at `speed_mps` and a range resolution
/// `range_resolution_m`. Non-finite or non-positive inputs give 1 (no gain).
pub fn cue_gain(cue_dwell_s: f64, dwell_s: f64, range_resolution_m: f64, speed_mps: f64) -> f64 {
    if !(cue_dwell_s.is_finite() && dwell_s.is_finite() && dwell_s > 0.0 && range_resolution_m > 0.0) {
        return 1.0;
    }
    let walk = if speed_mps.is_finite() && speed_mps > 0.0 { range_resolution_m / speed_mps } else { f64::INFINITY };
    (cue_dwell_s.min(walk) / dwell_s).max(1.0)
}

/// `params` with its SNR multiplied by `gain` (≥ 1, else unchanged): R_ref·K^¼, or K·P_t in
/// the radar equation.
pub fn with_integration_gain(params: &RadarParams, gain: f64) -> RadarParams {
    let mut p = params.clone();
    if !(gain.is_finite() && gain > 1.0) {
        return p;
    }
    match p.radar_equation.as_mut() {
        Some(eq) => eq.peak_power_w *= gain,
        None => p.reference_range_m *= gain.powf(0.25),
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    fn budget() -> TimeBudget {
        TimeBudget {
            search_frame_s: 2.0,
            track_rate_hz: 2.0,
            track_dwell_s: 0.004,
            max_track_fraction: 0.5,
            fire_channels: 36,
        }
    }

    #[test]
    fn spare_tracking_time_is_shared_by_the_cues() {
        let b = budget();
        // Nothing engaged: ρ·T_s = 0.5 × 2 s = 1 s per search frame, shared by 4 cues.
        assert!((cue_dwell_s(&b, 0, 4) - 0.25).abs() < 1e-12);
        // 10 engaged: load 10 × 2 × 0.004 = 0.08; spare 0.42 × 2/(1 − 0.08) s.
        assert!((cue_dwell_s(&b, 10, 1) - 0.42 * 2.0 / 0.92).abs() < 1e-12);
        assert_eq!(cue_dwell_s(&b, 0, 0), 0.0);
    }

    #[test]
    fn gain_is_capped_by_range_walk_and_never_below_one() {
        // 30 m cells, 300 m/s: 0.1 s coherent at most; 4 ms dwell: K = 25.
        assert!((cue_gain(1.0, 0.004, 30.0, 300.0) - 25.0).abs() < 1e-9);
        assert!((cue_gain(0.02, 0.004, 30.0, 300.0) - 5.0).abs() < 1e-9);
        assert_eq!(cue_gain(0.001, 0.004, 30.0, 300.0), 1.0);
        assert_eq!(cue_gain(f64::NAN, 0.004, 30.0, 300.0), 1.0);
    }
}
