//! Signal-to-noise ratio of a target echo against range and radar cross section.
//!
//! The radar equation makes the single-look SNR proportional to σ/R⁴ with everything
//! else (power, gains, wavelength, losses, noise) a constant of the radar (Skolnik,
//! Introduction to Radar Systems, 3rd ed., §2.1). Public sources rarely give
//! those constants, but they do give "detects a σ_ref target at R_ref" — which pins the
//! constant: SNR(R, σ) = SNR_ref · (σ/σ_ref) · (R_ref/R)⁴, where SNR_ref is the SNR the
//! radar's detector needs for the quoted Pd_ref at Pfa ([`ReferenceRangeSnr`]).
//!
//! A later model with explicit radar-equation terms (power, gains, losses, noise figure)
//! implements the same [`SnrModel`] trait.
use crate::detection::Detector;
use crate::{SensorError, check};

/// Largest SNR (linear, 10³⁰ = 300 dB) a model returns: the value at zero range, so that
/// no infinity leaves a model.
pub const SNR_MAX: f64 = 1e30;

/// Mean single-look SNR of a target.
pub trait SnrModel {
    /// Mean SNR (linear power ratio, in [0, [`SNR_MAX`]]) of a target of mean RCS `rcs_m2`
    /// (m²) at slant range `range_m` (m), in free space. Non-positive or NaN RCS gives 0;
    /// zero range gives [`SNR_MAX`].
    fn snr(&self, range_m: f64, rcs_m2: f64) -> f64;
}

/// The reference-range form of the radar equation:
/// SNR(R, σ) = SNR_ref · (σ/σ_ref) · (R_ref/R)⁴ (Skolnik 3rd ed. §2.1).
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct ReferenceRangeSnr {
    snr_ref: f64,
    range_ref_m: f64,
    rcs_ref_m2: f64,
}

impl ReferenceRangeSnr {
    /// From the SNR `snr_ref` (linear) of a target of RCS `rcs_ref_m2` at `range_ref_m`.
    pub fn new(snr_ref: f64, range_ref_m: f64, rcs_ref_m2: f64) -> Result<Self, SensorError> {
        check("snr_ref", snr_ref, snr_ref > 0.0 && snr_ref <= SNR_MAX, "0 < SNR ≤ 1e30 (linear)")?;
        check("reference_range_m", range_ref_m, range_ref_m > 0.0, "a positive finite range (m)")?;
        check("reference_rcs_m2", rcs_ref_m2, rcs_ref_m2 > 0.0, "a positive finite RCS (m²)")?;
        Ok(ReferenceRangeSnr { snr_ref, range_ref_m, rcs_ref_m2 })
    }

    /// From the quoted performance "Pd `pd_ref` at Pfa `pfa` on a `rcs_ref_m2` target at
    /// `range_ref_m`": SNR_ref = `detector.required_snr(pd_ref, pfa)` (for Swerling 1,
    /// ln Pfa / ln Pd_ref − 1).
    pub fn from_reference_detection(
        range_ref_m: f64,
        rcs_ref_m2: f64,
        pd_ref: f64,
        pfa: f64,
        detector: &dyn Detector,
    ) -> Result<Self, SensorError> {
        check("pfa", pfa, pfa > 0.0 && pfa < 1.0, "0 < Pfa < 1")?;
        check("reference_pd", pd_ref, pd_ref > pfa && pd_ref < 1.0, "Pfa < Pd < 1")?;
        Self::new(detector.required_snr(pd_ref, pfa), range_ref_m, rcs_ref_m2)
    }

    /// SNR_ref (linear).
    pub fn snr_ref(&self) -> f64 {
        self.snr_ref
    }
    pub fn range_ref_m(&self) -> f64 {
        self.range_ref_m
    }
    pub fn rcs_ref_m2(&self) -> f64 {
        self.rcs_ref_m2
    }

    /// The free-space range (m) at which a target of RCS `rcs_m2` has SNR `snr`:
    /// R = R_ref · (SNR_ref·σ / (σ_ref·SNR))^{1/4}. `None` unless `snr > 0` and `rcs_m2 ≥ 0`
    /// are finite (and the range is finite).
    pub fn range_for_snr(&self, snr: f64, rcs_m2: f64) -> Option<f64> {
        if !(snr > 0.0 && snr.is_finite() && rcs_m2 >= 0.0 && rcs_m2.is_finite()) {
            return None;
        }
        let r = self.range_ref_m * (self.snr_ref / snr * (rcs_m2 / self.rcs_ref_m2)).powf(0.25);
        r.is_finite().then_some(r)
    }
}

impl SnrModel for ReferenceRangeSnr {
    fn snr(&self, range_m: f64, rcs_m2: f64) -> f64 {
        if rcs_m2.is_nan() || rcs_m2 <= 0.0 {
            return 0.0;
        }
        let r = range_m.abs();
        if r.is_nan() {
            return 0.0;
        }
        if r == 0.0 {
            return SNR_MAX;
        }
        let s = self.snr_ref * (rcs_m2 / self.rcs_ref_m2) * (self.range_ref_m / r).powi(4);
        if s.is_nan() { 0.0 } else { s.min(SNR_MAX) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detection::{DetectorKind, Swerling1SinglePulse};

    #[test]
    fn reference_point_gives_the_reference_pd() {
        for det in DetectorKind::ALL {
            let m = ReferenceRangeSnr::from_reference_detection(250e3, 1.0, 0.8, 1e-6, &det).unwrap();
            let pd = det.pd(m.snr(250e3, 1.0), 1e-6);
            assert!((pd - 0.8).abs() < 1e-9, "{det:?}: {pd}");
        }
        // Swerling 1: SNR_ref = ln Pfa / ln Pd − 1 (Skolnik §2.8), analytic.
        let m = ReferenceRangeSnr::from_reference_detection(1e5, 2.0, 0.5, 1e-6, &Swerling1SinglePulse).unwrap();
        assert!((m.snr_ref() - ((1e-6f64).ln() / 0.5f64.ln() - 1.0)).abs() < 1e-12);
    }

    #[test]
    fn snr_follows_sigma_over_r_to_the_fourth() {
        let m = ReferenceRangeSnr::new(20.0, 100e3, 1.0).unwrap();
        // Half the range: 16×; ten times the RCS: 10× (exact powers of the radar equation).
        assert!((m.snr(50e3, 1.0) / 20.0 - 16.0).abs() < 1e-12);
        assert!((m.snr(100e3, 10.0) / 20.0 - 10.0).abs() < 1e-12);
        let r = m.range_for_snr(20.0 * 16.0, 1.0).unwrap();
        assert!((r - 50e3).abs() < 1e-6, "{r}");
    }

    #[test]
    fn degenerate_inputs_give_finite_snr() {
        let m = ReferenceRangeSnr::new(20.0, 100e3, 1.0).unwrap();
        assert_eq!(m.snr(0.0, 1.0), SNR_MAX);
        assert_eq!(m.snr(0.0, 0.0), 0.0);
        assert_eq!(m.snr(1e-300, f64::MAX), SNR_MAX);
        assert_eq!(m.snr(f64::NAN, 1.0), 0.0);
        assert_eq!(m.snr(1e3, f64::NAN), 0.0);
        assert_eq!(m.snr(f64::INFINITY, 1.0), 0.0);
        assert_eq!(m.range_for_snr(0.0, 1.0), None);
        assert_eq!(m.range_for_snr(1e-300, 1e300), None);
        assert!(ReferenceRangeSnr::new(20.0, 0.0, 1.0).is_err());
        assert!(ReferenceRangeSnr::from_reference_detection(1e5, 1.0, 1e-7, 1e-6, &Swerling1SinglePulse).is_err());
    }
}
