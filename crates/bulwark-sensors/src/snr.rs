//! Signal-to-noise ratio of a target echo against range and radar cross section.
//!
//! The radar equation makes the single-look SNR proportional to σ/R⁴ with everything
//! else (power, gains, wavelength, losses, noise) a constant of the radar (Skolnik,
//! Introduction to Radar Systems, 3rd ed., §2.1). Two descriptions of that constant:
//!
//! - [`ReferenceRangeSnr`]: public sources rarely give the radar-equation terms, but they do
//!   give "detects a σ_ref target at R_ref" — which pins the constant:
//!   SNR(R, σ) = SNR_ref · (σ/σ_ref) · (R_ref/R)⁴, where SNR_ref is the SNR the radar's detector
//!   needs for the quoted Pd_ref at Pfa.
//! - [`RadarEquationSnr`]: the explicit terms (peak power, gains, wavelength, noise bandwidth,
//!   system noise temperature, losses, coherent integration).
//!
//! Both implement [`SnrModel`]; [`SnrKind`] holds either.
use crate::detection::Detector;
use crate::{SensorError, check};

/// Largest SNR (linear, 10³⁰ = 300 dB) a model returns: the value at zero range, so that
/// no infinity leaves a model.
pub const SNR_MAX: f64 = 1e30;

/// Boltzmann's constant k (J/K), exact since the 2019 SI redefinition.
pub const BOLTZMANN: f64 = 1.380_649e-23;
/// Standard reference temperature T₀ = 290 K of the noise figure (IEEE Std 100; Skolnik 3rd ed. §2.3).
pub const T0_K: f64 = 290.0;
/// Speed of light in vacuum c (m/s), exact.
pub const SPEED_OF_LIGHT: f64 = 299_792_458.0;

/// Power ratio of `db` decibels, 10^(dB/10).
pub fn db_to_linear(db: f64) -> f64 {
    10f64.powf(db / 10.0)
}

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
        clamp_snr(range_m, rcs_m2, |r| self.snr_ref * (rcs_m2 / self.rcs_ref_m2) * (self.range_ref_m / r).powi(4))
    }
}

/// How the receiver's noise bandwidth is given.
#[derive(Copy, Clone, Debug, PartialEq)]
pub enum NoiseBandwidth {
    /// Uncompressed pulse of width τ (s) into a matched filter: B = 1/τ, so that
    /// S/N = P_t τ G_t G_r λ² σ / ((4π)³ R⁴ k T_s L) (Skolnik 3rd ed. eq. 2.30 form with B τ = 1).
    PulseWidth { seconds: f64 },
    /// Processed noise bandwidth B (Hz) of a pulse-compression (or any) receiver; the pulse
    /// energy gain of compression is then in the SNR through B (Mahafza, Radar Systems
    /// Analysis and Design Using MATLAB, 3rd ed., eq. 1.56).
    Bandwidth { hz: f64 },
}

/// How the system noise temperature T_s is given.
#[derive(Copy, Clone, Debug, PartialEq)]
pub enum SystemNoise {
    /// T_s (K) directly.
    TemperatureK(f64),
    /// Noise figure F (dB, ≥ 0): T_s = T₀·F with T₀ = 290 K (the convention of Mahafza eq. 1.56
    /// and of Skolnik's S/N = P_r/(k T₀ B F); it neglects the antenna temperature).
    NoiseFigureDb(f64),
}

/// Pulse integration done before the detector sees the SNR.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Integration {
    /// The SNR is the single-pulse SNR (a non-coherent N-pulse detector takes it with its N).
    SinglePulse,
    /// Coherent integration of `pulses` pulses multiplies the SNR by N (Richards, Fundamentals
    /// of Radar Signal Processing, 2005, §1.6 / §6.1).
    Coherent { pulses: u32 },
}

/// The terms of the monostatic radar equation (SI; gains and losses in dB as sources quote them).
#[derive(Clone, Debug, PartialEq)]
pub struct RadarEquationParams {
    /// Peak transmitted power P_t (W).
    pub peak_power_w: f64,
    /// Carrier frequency f (Hz); λ = c/f.
    pub frequency_hz: f64,
    /// Transmit and receive antenna gains at the peak of the beam (dBi).
    pub tx_gain_db: f64,
    pub rx_gain_db: f64,
    pub bandwidth: NoiseBandwidth,
    pub noise: SystemNoise,
    /// Total system losses L (dB, ≥ 0): transmit, receive, propagation, processing.
    pub losses_db: f64,
    pub integration: Integration,
}

/// The radar equation with explicit terms (Skolnik, Introduction to Radar Systems, 3rd ed.,
/// §2.3 eq. 2.30; Richards, Scheer & Holm, Principles of Modern Radar, 2010, eq. 2.30):
///
/// SNR(R, σ) = N_c · P_t G_t G_r λ² σ / ((4π)³ R⁴ k T_s B L)
///
/// with B = 1/τ for a matched pulse of width τ, T_s = T₀F (T₀ = 290 K) when a noise figure is
/// given, L the losses and N_c the number of coherently integrated pulses (1 without).
#[derive(Clone, Debug, PartialEq)]
pub struct RadarEquationSnr {
    params: RadarEquationParams,
    wavelength_m: f64,
    noise_bandwidth_hz: f64,
    system_temperature_k: f64,
    /// SNR of a 1 m² target at 1 m: N_c P_t G_t G_r λ² / ((4π)³ k T_s B L).
    snr_1m: f64,
}

impl RadarEquationSnr {
    /// Validates `params` (positive power, frequency, bandwidth, temperature; finite gains;
    /// F ≥ 0 dB, L ≥ 0 dB; N ≥ 1).
    pub fn new(params: RadarEquationParams) -> Result<Self, SensorError> {
        let p = &params;
        check("peak_power_w", p.peak_power_w, p.peak_power_w > 0.0, "a positive power (W)")?;
        check("frequency_hz", p.frequency_hz, p.frequency_hz > 0.0, "a positive frequency (Hz)")?;
        check("tx_gain_db", p.tx_gain_db, p.tx_gain_db.abs() < 100.0, "a finite gain, |G| < 100 dBi")?;
        check("rx_gain_db", p.rx_gain_db, p.rx_gain_db.abs() < 100.0, "a finite gain, |G| < 100 dBi")?;
        check("losses_db", p.losses_db, (0.0..100.0).contains(&p.losses_db), "losses in [0, 100) dB")?;
        let noise_bandwidth_hz = match p.bandwidth {
            NoiseBandwidth::PulseWidth { seconds } => {
                check("pulse_width_s", seconds, seconds > 0.0, "a positive pulse width (s)")?;
                1.0 / seconds
            }
            NoiseBandwidth::Bandwidth { hz } => {
                check("noise_bandwidth_hz", hz, hz > 0.0, "a positive bandwidth (Hz)")?;
                hz
            }
        };
        check("noise_bandwidth_hz", noise_bandwidth_hz, noise_bandwidth_hz > 0.0, "a positive bandwidth (Hz)")?;
        let system_temperature_k = match p.noise {
            SystemNoise::TemperatureK(t) => {
                check("system_temperature_k", t, t > 0.0, "a positive temperature (K)")?;
                t
            }
            SystemNoise::NoiseFigureDb(f) => {
                check("noise_figure_db", f, (0.0..100.0).contains(&f), "a noise figure in [0, 100) dB")?;
                T0_K * db_to_linear(f)
            }
        };
        let pulses = match p.integration {
            Integration::SinglePulse => 1.0,
            Integration::Coherent { pulses } => {
                check("coherent_pulses", f64::from(pulses), pulses >= 1, "at least one pulse")?;
                f64::from(pulses)
            }
        };
        let wavelength_m = SPEED_OF_LIGHT / p.frequency_hz;
        let four_pi_cubed = (4.0 * std::f64::consts::PI).powi(3);
        let snr_1m = pulses * p.peak_power_w * db_to_linear(p.tx_gain_db + p.rx_gain_db) * wavelength_m.powi(2)
            / (four_pi_cubed * BOLTZMANN * system_temperature_k * noise_bandwidth_hz * db_to_linear(p.losses_db));
        check("radar_equation", snr_1m, snr_1m > 0.0, "terms whose SNR constant is positive and finite")?;
        Ok(RadarEquationSnr { params, wavelength_m, noise_bandwidth_hz, system_temperature_k, snr_1m })
    }

    pub fn params(&self) -> &RadarEquationParams {
        &self.params
    }
    /// λ = c/f (m).
    pub fn wavelength_m(&self) -> f64 {
        self.wavelength_m
    }
    /// Receiver noise bandwidth B (Hz).
    pub fn noise_bandwidth_hz(&self) -> f64 {
        self.noise_bandwidth_hz
    }
    /// T_s (K).
    pub fn system_temperature_k(&self) -> f64 {
        self.system_temperature_k
    }
    /// Receiver noise power N = k T_s B (W).
    pub fn noise_power_w(&self) -> f64 {
        BOLTZMANN * self.system_temperature_k * self.noise_bandwidth_hz
    }
    /// Peak receive gain G_r (linear).
    pub fn rx_gain(&self) -> f64 {
        db_to_linear(self.params.rx_gain_db)
    }
    /// SNR of a 1 m² target at 1 m, N_c P_t G_t G_r λ² / ((4π)³ k T_s B L): SNR(R, σ) = this · σ/R⁴.
    pub fn snr_at_one_metre(&self) -> f64 {
        self.snr_1m
    }
    /// N_c, the coherent integration gain (1 for single pulse).
    pub fn coherent_pulses(&self) -> f64 {
        match self.params.integration {
            Integration::SinglePulse => 1.0,
            Integration::Coherent { pulses } => f64::from(pulses),
        }
    }

    /// The free-space range (m) at which a target of RCS `rcs_m2` has SNR `snr`:
    /// R = (K σ / SNR)^{1/4}. `None` unless `snr > 0` and `rcs_m2 ≥ 0` are finite.
    pub fn range_for_snr(&self, snr: f64, rcs_m2: f64) -> Option<f64> {
        if !(snr > 0.0 && snr.is_finite() && rcs_m2 >= 0.0 && rcs_m2.is_finite()) {
            return None;
        }
        let r = (self.snr_1m * rcs_m2 / snr).powf(0.25);
        r.is_finite().then_some(r)
    }
}

impl SnrModel for RadarEquationSnr {
    fn snr(&self, range_m: f64, rcs_m2: f64) -> f64 {
        clamp_snr(range_m, rcs_m2, |r| self.snr_1m * rcs_m2 / r.powi(4))
    }
}

/// The shared edge handling of every SNR model: non-positive or NaN RCS gives 0, NaN range 0,
/// zero range [`SNR_MAX`], and the result is clamped to [0, SNR_MAX].
fn clamp_snr(range_m: f64, rcs_m2: f64, snr_at: impl Fn(f64) -> f64) -> f64 {
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
    let s = snr_at(r);
    if s.is_nan() { 0.0 } else { s.min(SNR_MAX) }
}

/// Either SNR description, for a radar that may be given either way.
#[derive(Clone, Debug, PartialEq)]
pub enum SnrKind {
    ReferenceRange(ReferenceRangeSnr),
    RadarEquation(RadarEquationSnr),
}

impl SnrKind {
    /// The free-space range (m) at which a target of RCS `rcs_m2` has SNR `snr` (see the variants).
    pub fn range_for_snr(&self, snr: f64, rcs_m2: f64) -> Option<f64> {
        match self {
            SnrKind::ReferenceRange(m) => m.range_for_snr(snr, rcs_m2),
            SnrKind::RadarEquation(m) => m.range_for_snr(snr, rcs_m2),
        }
    }
    /// The radar-equation terms, if the radar was given by them (jamming needs them).
    pub fn radar_equation(&self) -> Option<&RadarEquationSnr> {
        match self {
            SnrKind::ReferenceRange(_) => None,
            SnrKind::RadarEquation(m) => Some(m),
        }
    }
}

impl SnrModel for SnrKind {
    fn snr(&self, range_m: f64, rcs_m2: f64) -> f64 {
        match self {
            SnrKind::ReferenceRange(m) => m.snr(range_m, rcs_m2),
            SnrKind::RadarEquation(m) => m.snr(range_m, rcs_m2),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detection::{Swerling1SinglePulse, SwerlingCase, SwerlingDetector};

    #[test]
    fn reference_point_gives_the_reference_pd() {
        let dets =
            SwerlingCase::ALL.into_iter().flat_map(|case| [1, 4].map(|pulses| SwerlingDetector { case, pulses }));
        for det in dets {
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
