//! Shared fixtures: a notional site and targets placed in its ENU frame.
#![allow(dead_code)]
use bulwark_core::{EntityId, RngStream, RngStreams, StreamPurpose, Vec3};
use bulwark_geo::{EnuFrame, Geodetic};
use bulwark_sensors::{
    Integration, JammingResponse, MeasurementBias, NoiseBandwidth, RadarEquationParams, RadarParams, SwerlingCase,
    SwerlingDetector, SystemNoise, TargetView,
};
use std::f64::consts::TAU;

pub fn site() -> EnuFrame {
    EnuFrame::new(Geodetic::from_degrees(55.0, 37.0, 180.0))
}

/// A notional long-range surveillance radar: 1 m² detected at 200 km with Pd 0.8, Pfa 1e-6.
pub fn params() -> RadarParams {
    RadarParams {
        reference_range_m: 200e3,
        reference_rcs_m2: 1.0,
        reference_pd: 0.8,
        pfa: 1e-6,
        min_range_m: 1e3,
        instrumented_range_m: 400e3,
        azimuth_centre_rad: 0.0,
        azimuth_width_rad: TAU,
        min_elevation_rad: (-2f64).to_radians(),
        max_elevation_rad: 75f64.to_radians(),
        revisit_time_s: 10.0,
        range_resolution_m: 150.0,
        beamwidth_az_rad: 1f64.to_radians(),
        beamwidth_el_rad: 1.5f64.to_radians(),
        sigma_range_m: 10.0,
        sigma_azimuth_rad: 0.1f64.to_radians(),
        sigma_elevation_rad: 0.15f64.to_radians(),
        sigma_range_rate_mps: Some(1.0),
        antenna_height_m: 25.0,
        detector: SwerlingDetector { case: SwerlingCase::S1, pulses: 1 },
        frequency_hz: None,
        radar_equation: None,
        min_radial_speed_mps: None,
        bias: MeasurementBias::default(),
        jamming: JammingResponse::default(),
    }
}

/// A target at local ENU position `enu` (m) moving with ENU velocity `vel` (m/s), with the
/// given mean RCS and height above the surface.
pub fn target(id: u32, site: &EnuFrame, enu: Vec3, vel: Vec3, rcs_m2: f64, altitude_m: f64) -> TargetView {
    TargetView {
        entity: EntityId(id),
        position_ecef: site.to_ecef(&enu),
        velocity_ecef: site.vec_to_ecef(&vel),
        rcs_m2,
        altitude_m,
    }
}

/// ENU point at range `r`, azimuth `az_deg`, elevation `el_deg` from the site.
pub fn enu(r: f64, az_deg: f64, el_deg: f64) -> Vec3 {
    bulwark_geo::Rae { range_m: r, azimuth_rad: az_deg.to_radians(), elevation_rad: el_deg.to_radians() }.to_enu()
}

pub fn streams(seed: u64) -> (RngStream, RngStream, RngStream) {
    let s = RngStreams::new(seed, 0);
    (
        s.stream(1, StreamPurpose::Detection),
        s.stream(1, StreamPurpose::MeasurementNoise),
        s.stream(1, StreamPurpose::FalseAlarm),
    )
}

/// Sample mean and (population) standard deviation.
pub fn mean_std(x: &[f64]) -> (f64, f64) {
    let n = x.len() as f64;
    let m = x.iter().sum::<f64>() / n;
    let v = x.iter().map(|a| (a - m).powi(2)).sum::<f64>() / n;
    (m, v.sqrt())
}

/// A notional S-band radar given by the radar equation: 1 MW peak, 3 GHz, 40 dBi, 1 μs pulse,
/// noise figure 3 dB, 6 dB losses, single pulse.
pub fn radar_equation_terms() -> RadarEquationParams {
    RadarEquationParams {
        peak_power_w: 1e6,
        frequency_hz: 3e9,
        tx_gain_db: 40.0,
        rx_gain_db: 40.0,
        bandwidth: NoiseBandwidth::PulseWidth { seconds: 1e-6 },
        noise: SystemNoise::NoiseFigureDb(3.0),
        losses_db: 6.0,
        integration: Integration::SinglePulse,
    }
}

/// [`params`] with the SNR from [`radar_equation_terms`].
pub fn radar_equation_params() -> RadarParams {
    RadarParams { radar_equation: Some(radar_equation_terms()), ..params() }
}
