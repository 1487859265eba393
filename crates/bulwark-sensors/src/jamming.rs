//! Electronic attack: barrage/spot noise jammers against a radar, self-protection and stand-off.
//!
//! A noise jammer of effective radiated power ERP_j (W), noise bandwidth B_j (Hz) and losses
//! L_j, at range R_j from a radar of wavelength λ, receiver bandwidth B_r and system
//! temperature T_s, puts into the receiver the jamming-to-noise ratio
//!
//! J/N = ERP_j · G_r′ · λ² / ((4π)² R_j² L_j) · min(1, B_r/B_j) / (k T_s B_r)
//!
//! where G_r′ is the radar's receive gain toward the jammer: the peak gain G_r when the jammer
//! is inside the 3 dB beam pointed at the target, else G_r times the sidelobe level
//! (Skolnik, Introduction to Radar Systems, 3rd ed., §14.2 (ECM); Schleher, Electronic Warfare
//! in the Information Age, 1999, ch. 3; Adamy, EW 101, ch. 9). Noise jamming adds to thermal
//! noise, so the detector sees SINR = S/(N + J) = SNR / (1 + J/N) in place of the SNR (coherent
//! integration gains the signal over both alike).
//!
//! For self-protection (the jammer on the target, main lobe, R_j = R), S/J falls as R² — S as
//! R⁻⁴, J as R⁻² — and equals a required ratio (S/J)_req at the burn-through range
//!
//! R_bt = √( N_c P_t G_t σ L_j / (4π ERP_j L (S/J)_req · min(1, B_r/B_j)) )
//!
//! (Skolnik 3rd ed. eq. 14.4 form; Adamy EW 101 §9.4), [`burn_through_range_m`].
//!
//! Jamming needs the radar-equation terms (λ, G_r, T_s, B_r): a radar described only by a
//! reference range ([`crate::ReferenceRangeSnr`]) has no noise power to compare J with, and
//! [`crate::Radar::look`] refuses jammers for it with [`SensorError::InvalidParameter`]
//! (name `jammers`). The jammer is assumed to cover the radar's carrier (the lead checks bands).
use crate::geometry::{TargetView, wrap_pi};
use crate::snr::{BOLTZMANN, RadarEquationSnr, SNR_MAX, db_to_linear};
use crate::{SensorError, check};
use bulwark_core::{EntityId, SensorId, SimTime, Vec3};
use bulwark_geo::Rae;
use std::f64::consts::PI;

/// A noise jammer's transmitter (validated).
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct NoiseJammer {
    erp_w: f64,
    bandwidth_hz: f64,
    loss_db: f64,
}

impl NoiseJammer {
    /// ERP (W, > 0), noise bandwidth B_j (Hz, > 0), losses L_j (dB, ≥ 0: jammer antenna,
    /// polarisation mismatch, propagation).
    pub fn new(erp_w: f64, bandwidth_hz: f64, loss_db: f64) -> Result<Self, SensorError> {
        check("jammer_erp_w", erp_w, erp_w > 0.0, "a positive ERP (W)")?;
        check("jammer_bandwidth_hz", bandwidth_hz, bandwidth_hz > 0.0, "a positive bandwidth (Hz)")?;
        check("jammer_loss_db", loss_db, (0.0..100.0).contains(&loss_db), "losses in [0, 100) dB")?;
        Ok(NoiseJammer { erp_w, bandwidth_hz, loss_db })
    }
    /// As [`NoiseJammer::new`] with the ERP in dBW (10 log₁₀ W).
    pub fn from_erp_dbw(erp_dbw: f64, bandwidth_hz: f64, loss_db: f64) -> Result<Self, SensorError> {
        check("jammer_erp_dbw", erp_dbw, erp_dbw.abs() < 200.0, "a finite ERP, |ERP| < 200 dBW")?;
        Self::new(db_to_linear(erp_dbw), bandwidth_hz, loss_db)
    }
    pub fn erp_w(&self) -> f64 {
        self.erp_w
    }
    pub fn bandwidth_hz(&self) -> f64 {
        self.bandwidth_hz
    }
    pub fn loss_db(&self) -> f64 {
        self.loss_db
    }
}

/// A jammer where it is now: carried by `entity` (a stand-off platform, or the target itself
/// for self-protection). Truth, like [`TargetView`].
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct JammerView {
    pub entity: EntityId,
    /// Position in ECEF (m).
    pub position_ecef: Vec3,
    /// Height above the surface (m), for the horizon test.
    pub altitude_m: f64,
    pub jammer: NoiseJammer,
}

impl JammerView {
    /// A self-protection jammer carried by `target`.
    pub fn self_protection(target: &TargetView, jammer: NoiseJammer) -> Self {
        JammerView { entity: target.entity, position_ecef: target.position_ecef, altitude_m: target.altitude_m, jammer }
    }
    pub fn is_finite(&self) -> bool {
        self.position_ecef.iter().all(|x| x.is_finite()) && self.altitude_m.is_finite()
    }
}

/// How a radar responds to jamming (antenna and processing assumptions, notional defaults).
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct JammingResponse {
    /// Mean receive sidelobe level relative to the peak gain (dB, ≤ 0), for jammers outside
    /// the main beam. Default −30 dB.
    pub sidelobe_level_db: f64,
    /// A jammer whose main-lobe J/N reaches this (dB) is reported as an angle-only strobe.
    /// Default 13 dB (the single-pulse steady-target SNR for Pd 0.9 at Pfa 1e-6 is 13.2 dB).
    pub strobe_threshold_db: f64,
}

impl Default for JammingResponse {
    fn default() -> Self {
        JammingResponse { sidelobe_level_db: -30.0, strobe_threshold_db: 13.0 }
    }
}

impl JammingResponse {
    pub fn validate(&self) -> Result<(), SensorError> {
        let s = self.sidelobe_level_db;
        check("sidelobe_level_db", s, (-100.0..=0.0).contains(&s), "a sidelobe level in [−100, 0] dB")?;
        let t = self.strobe_threshold_db;
        check("strobe_threshold_db", t, t.abs() < 100.0, "a finite threshold, |T| < 100 dB")
    }
}

/// An angle-only report of a noise jammer: the radar cannot range it, it sees a strobe of
/// jamming energy in its bearing. Carries no truth.
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct Strobe {
    pub sensor: SensorId,
    pub t: SimTime,
    /// Clockwise from north, [0, 2π).
    pub azimuth_rad: f64,
    /// [−π/2, π/2].
    pub elevation_rad: f64,
    /// 1σ angle errors: the RSS of the radar's floor and θ₃/(k_m √(2·J/N)).
    pub sigma_azimuth_rad: f64,
    pub sigma_elevation_rad: f64,
    /// Main-lobe jamming-to-noise ratio (dB).
    pub jnr_db: f64,
}

/// J/N (linear, in [0, [`SNR_MAX`]]) of `jammer` at range `range_m` from a radar with
/// `radar`'s terms, the receive gain toward the jammer being `rx_gain_rel` (linear, relative to
/// peak: 1 in the main lobe, the sidelobe level outside). Zero range gives [`SNR_MAX`].
pub fn jamming_to_noise(radar: &RadarEquationSnr, jammer: &NoiseJammer, range_m: f64, rx_gain_rel: f64) -> f64 {
    let r = range_m.abs();
    if r.is_nan() || rx_gain_rel.is_nan() || rx_gain_rel <= 0.0 {
        return 0.0;
    }
    if r == 0.0 {
        return SNR_MAX;
    }
    let b_r = radar.noise_bandwidth_hz();
    let in_band = (b_r / jammer.bandwidth_hz).min(1.0);
    let j = jammer.erp_w * radar.rx_gain() * rx_gain_rel * radar.wavelength_m().powi(2)
        / ((4.0 * PI).powi(2) * r * r * db_to_linear(jammer.loss_db))
        * in_band;
    let jnr = j / (BOLTZMANN * radar.system_temperature_k() * b_r);
    if jnr.is_nan() { 0.0 } else { jnr.min(SNR_MAX) }
}

/// SINR = SNR / (1 + J/N) (linear; inputs below 0 or NaN count as 0).
pub fn sinr(snr: f64, jnr: f64) -> f64 {
    let clean = |x: f64| if x.is_nan() || x <= 0.0 { 0.0 } else { x };
    clean(snr) / (1.0 + clean(jnr))
}

/// The burn-through range (m) of a radar against a self-protection noise jammer on a target of
/// mean RCS `rcs_m2`: the range where S/J (after coherent integration) equals
/// `required_sj` (linear). See the module doc for the formula.
pub fn burn_through_range_m(
    radar: &RadarEquationSnr,
    jammer: &NoiseJammer,
    rcs_m2: f64,
    required_sj: f64,
) -> Result<f64, SensorError> {
    check("rcs_m2", rcs_m2, rcs_m2 > 0.0, "a positive RCS (m²)")?;
    check("required_sj", required_sj, required_sj > 0.0, "a positive S/J (linear)")?;
    // S/J = (SNR at 1 m)/(J/N at 1 m) / R², both taken from the models themselves.
    let s1 = radar.snr_at_one_metre() * rcs_m2;
    let j1 = jamming_to_noise(radar, jammer, 1.0, 1.0);
    let r = (s1 / (j1 * required_sj)).sqrt();
    check("burn_through_range_m", r, r > 0.0, "terms giving a positive finite burn-through range")?;
    Ok(r)
}

/// Whether the direction `other` lies inside the 3 dB beam pointed at `boresight` (both in the
/// radar frame): (Δaz·cos el / (θ_az/2))² + (Δel / (θ_el/2))² ≤ 1, the elliptical beam.
pub fn in_main_beam(boresight: &Rae, other: &Rae, beamwidth_az_rad: f64, beamwidth_el_rad: f64) -> bool {
    let daz = wrap_pi(other.azimuth_rad - boresight.azimuth_rad) * boresight.elevation_rad.cos();
    let del = other.elevation_rad - boresight.elevation_rad;
    (daz / (0.5 * beamwidth_az_rad)).powi(2) + (del / (0.5 * beamwidth_el_rad)).powi(2) <= 1.0
}
