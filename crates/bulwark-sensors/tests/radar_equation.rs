//! Validation of the explicit radar equation against published peer-library numbers and the
//! exact powers of the equation.
mod common;

use bulwark_core::{SensorId, SimTime, Vec3};
use bulwark_sensors::{
    Integration, NoiseBandwidth, Radar, RadarEquationParams, RadarEquationSnr, RadarParams, ReferenceRangeSnr, SNR_MAX,
    SensorError, SnrModel, SwerlingCase, SwerlingDetector, SystemNoise, detection_range_m,
};
use common::{enu, params, radar_equation_params, radar_equation_terms, site, streams, target};

const C: f64 = 299_792_458.0;

fn db(x: f64) -> f64 {
    10.0 * x.log10()
}

/// MathWorks Radar Toolbox `radareqsnr(lambda, R, Pt, tau, 'RCS', s, 'Gain', G, 'Ts', T, 'Loss', L)`:
/// monostatic, SNR = Pt τ G² λ² σ / ((4π)³ k Ts R⁴ L), defaults Gain 20 dB, RCS 1 m², Ts 290 K, Loss 0 dB.
fn matlab_like(f: f64, pt: f64, tau: f64, gain_db: f64, ts: f64, loss_db: f64) -> RadarEquationSnr {
    RadarEquationSnr::new(RadarEquationParams {
        peak_power_w: pt,
        frequency_hz: f,
        tx_gain_db: gain_db,
        rx_gain_db: gain_db,
        bandwidth: NoiseBandwidth::PulseWidth { seconds: tau },
        noise: SystemNoise::TemperatureK(ts),
        losses_db: loss_db,
        integration: Integration::SinglePulse,
    })
    .unwrap()
}

#[test]
fn reproduces_the_matlab_radareqsnr_examples() {
    // Oracle: MathWorks documentation of radareqsnr (Radar Toolbox), "Examples", printed values
    // (https://www.mathworks.com/help/radar/ref/radareqsnr.html):
    //   radareqsnr(c/1e9, 50e3, 1e6, 0.2e-6)                                       → 5.5868 dB
    //   radareqsnr(c/10e9, 100e3, 1e6, 1e-6, 'RCS',0.5,'Gain',40,'Ts',300,'Loss',3) → 14.3778 dB
    // Tolerance 0.01 dB (the brief's); we agree to 1e-4 dB, the printed precision.
    let m = matlab_like(1e9, 1e6, 0.2e-6, 20.0, 290.0, 0.0);
    assert!((db(m.snr(50e3, 1.0)) - 5.5868).abs() < 1e-3, "{}", db(m.snr(50e3, 1.0)));
    let m = matlab_like(10e9, 1e6, 1e-6, 40.0, 300.0, 3.0);
    assert!((db(m.snr(100e3, 0.5)) - 14.3778).abs() < 1e-3, "{}", db(m.snr(100e3, 0.5)));
    // radareqpow (same page family): Pt = 2.1996e5 W gives 6 dB on 1 m² at 50 km, 1 GHz, 1 μs,
    // 20 dB gain; Pt = 2.2809e6 W gives 10 dB on 0.5 m² at 50 km, 10 GHz, 1 μs, 30 dB, 300 K, 3 dB.
    let m = matlab_like(1e9, 2.1996e5, 1e-6, 20.0, 290.0, 0.0);
    assert!((db(m.snr(50e3, 1.0)) - 6.0).abs() < 0.01);
    let m = matlab_like(10e9, 2.2809e6, 1e-6, 30.0, 300.0, 3.0);
    assert!((db(m.snr(50e3, 0.5)) - 10.0).abs() < 0.01);
}

#[test]
fn bandwidth_and_noise_figure_forms_agree_with_the_pulse_width_form() {
    // Mahafza (Radar Systems Analysis and Design Using MATLAB, eq. 1.56) C-band example terms:
    // Pt 1.5 MW, 5.6 GHz, G 45 dB, σ 0.1 m², B 5 MHz, F 3 dB, L 6 dB. With B = 1/τ and
    // T_s = 290 K · F the three forms are the same equation; and the dB sum of eq. 1.56 written out.
    let with_b = RadarEquationSnr::new(RadarEquationParams {
        peak_power_w: 1.5e6,
        frequency_hz: 5.6e9,
        tx_gain_db: 45.0,
        rx_gain_db: 45.0,
        bandwidth: NoiseBandwidth::Bandwidth { hz: 5e6 },
        noise: SystemNoise::NoiseFigureDb(3.0),
        losses_db: 6.0,
        integration: Integration::SinglePulse,
    })
    .unwrap();
    let with_tau = matlab_like(5.6e9, 1.5e6, 0.2e-6, 45.0, 290.0 * 10f64.powf(0.3), 6.0);
    for r in [25e3, 60e3, 165e3] {
        assert!((with_b.snr(r, 0.1) / with_tau.snr(r, 0.1) - 1.0).abs() < 1e-12);
        let lambda = C / 5.6e9;
        let want_db = db(1.5e6) + 90.0 + db(lambda * lambda) + db(0.1)
            - (db((4.0 * std::f64::consts::PI).powi(3))
                + db(1.380_649e-23 * 290.0)
                + db(5e6)
                + 3.0
                + 6.0
                + 4.0 * db(r));
        assert!((db(with_b.snr(r, 0.1)) - want_db).abs() < 1e-9, "{r}");
    }
    assert!((with_b.system_temperature_k() - 290.0 * 10f64.powf(0.3)).abs() < 1e-9);
    assert!((with_b.noise_power_w() - 1.380_649e-23 * with_b.system_temperature_k() * 5e6).abs() < 1e-30);
}

#[test]
fn coherent_integration_multiplies_by_n_and_range_scales_as_the_fourth_root() {
    let single = RadarEquationSnr::new(radar_equation_terms()).unwrap();
    let coh = RadarEquationSnr::new(RadarEquationParams {
        integration: Integration::Coherent { pulses: 16 },
        ..radar_equation_terms()
    })
    .unwrap();
    assert!((coh.snr(80e3, 2.0) / single.snr(80e3, 2.0) - 16.0).abs() < 1e-12);
    // σ^{1/4}: 100 m² vs 0.001 m² at the same SNR, (10⁵)^{1/4} exactly; R⁻⁴: half range 16×.
    let big = single.range_for_snr(20.0, 100.0).unwrap();
    let small = single.range_for_snr(20.0, 0.001).unwrap();
    assert!((big / small - 17.782_794_100_389_23).abs() < 1e-12);
    assert!((single.snr(50e3, 1.0) / single.snr(100e3, 1.0) - 16.0).abs() < 1e-12);
    assert!((single.snr(single.range_for_snr(7.0, 3.0).unwrap(), 3.0) - 7.0).abs() < 1e-12);
}

#[test]
fn a_reference_range_radar_matched_at_one_point_agrees_everywhere() {
    let eq = RadarEquationSnr::new(radar_equation_terms()).unwrap();
    let (r0, s0) = (150e3, 2.0);
    let reference = ReferenceRangeSnr::new(eq.snr(r0, s0), r0, s0).unwrap();
    for r in [1e3, 17e3, 99e3, 150e3, 420e3, 2e6] {
        for s in [1e-4, 0.1, 1.0, 30.0] {
            assert!((reference.snr(r, s) / eq.snr(r, s) - 1.0).abs() < 1e-12, "{r} {s}");
        }
    }
    // The same through two radars: a radar-equation radar, and a reference-range radar whose
    // reference point is where the first has Pd 0.8 on 1 m².
    let p_eq = radar_equation_params();
    let r_eq = Radar::new(SensorId(1), p_eq.clone(), site()).unwrap();
    let det = SwerlingDetector { case: SwerlingCase::S1, pulses: 1 };
    let r80 = detection_range_m(&p_eq, 1.0, 0.8, 1e-6).unwrap();
    let p_ref = RadarParams { reference_range_m: r80, reference_rcs_m2: 1.0, reference_pd: 0.8, ..params() };
    let r_ref = Radar::new(SensorId(2), p_ref, site()).unwrap();
    assert_eq!(p_eq.detector, det);
    for r in [10e3, r80, 300e3] {
        assert!((r_eq.snr(r, 0.5) / r_ref.snr(r, 0.5) - 1.0).abs() < 1e-9, "{r}");
    }
    // And their looks draw identically (same SNR → same Pd → same decisions and noise).
    let s = site();
    let ts: Vec<_> = (0..10)
        .map(|i| target(i, &s, enu(40e3 + 30e3 * i as f64, 20.0 * i as f64, 1.0), Vec3::zeros(), 1.0, 9e3))
        .collect();
    let look = |r: &Radar| {
        let (mut d, mut n, mut f) = streams(41);
        r.scan(SimTime::ZERO, &ts, &mut d, &mut n, &mut f)
    };
    let (a, b) = (look(&r_eq), look(&r_ref));
    assert_eq!(a.truth, b.truth);
    for (x, y) in a.plots.iter().zip(&b.plots) {
        assert!((x.range_m - y.range_m).abs() < 1e-6 && (x.snr_db - y.snr_db).abs() < 1e-9);
    }
}

#[test]
fn bad_terms_are_rejected_by_name_and_edges_stay_finite() {
    let t = radar_equation_terms;
    let cases: Vec<(&str, RadarEquationParams)> = vec![
        ("peak_power_w", RadarEquationParams { peak_power_w: 0.0, ..t() }),
        ("frequency_hz", RadarEquationParams { frequency_hz: f64::NAN, ..t() }),
        ("tx_gain_db", RadarEquationParams { tx_gain_db: f64::INFINITY, ..t() }),
        ("losses_db", RadarEquationParams { losses_db: -1.0, ..t() }),
        ("pulse_width_s", RadarEquationParams { bandwidth: NoiseBandwidth::PulseWidth { seconds: 0.0 }, ..t() }),
        (
            "noise_bandwidth_hz",
            RadarEquationParams { bandwidth: NoiseBandwidth::PulseWidth { seconds: 1e-320 }, ..t() },
        ),
        ("noise_figure_db", RadarEquationParams { noise: SystemNoise::NoiseFigureDb(-2.0), ..t() }),
        ("system_temperature_k", RadarEquationParams { noise: SystemNoise::TemperatureK(0.0), ..t() }),
        ("coherent_pulses", RadarEquationParams { integration: Integration::Coherent { pulses: 0 }, ..t() }),
    ];
    for (name, p) in cases {
        match RadarEquationSnr::new(p) {
            Err(SensorError::InvalidParameter { name: got, .. }) => assert_eq!(got, name),
            Ok(_) => panic!("{name} accepted"),
        }
    }
    // Through RadarParams: the radar equation replaces the reference point, whose fields are
    // then not checked; a frequency that disagrees with the equation's is refused.
    let p = RadarParams { reference_range_m: f64::NAN, ..radar_equation_params() };
    assert!(Radar::new(SensorId(1), p, site()).is_ok());
    let p = RadarParams { frequency_hz: Some(5e9), ..radar_equation_params() };
    assert!(matches!(
        Radar::new(SensorId(1), p, site()),
        Err(SensorError::InvalidParameter { name: "frequency_hz", .. })
    ));
    let m = RadarEquationSnr::new(t()).unwrap();
    assert_eq!(m.snr(0.0, 1.0), SNR_MAX);
    assert_eq!(m.snr(f64::NAN, 1.0), 0.0);
    assert_eq!(m.snr(1e3, -1.0), 0.0);
    assert_eq!(m.snr(f64::INFINITY, 1.0), 0.0);
    assert_eq!(m.range_for_snr(0.0, 1.0), None);
}

/// A cued dwell's gain K moves the detection range out by K^¼ (SNR ∝ R⁻⁴, Skolnik 2001 eq. 2.1),
/// for a reference-point radar and for a radar-equation one alike.
#[test]
fn integration_gain_moves_detection_range_by_its_fourth_root() {
    use bulwark_sensors::cue::with_integration_gain;
    for p in [common::params(), common::radar_equation_params()] {
        let base = bulwark_sensors::detection_range_m(&p, 0.001, 0.5, p.pfa).unwrap();
        let cued = bulwark_sensors::detection_range_m(&with_integration_gain(&p, 16.0), 0.001, 0.5, p.pfa).unwrap();
        assert!((cued / base - 2.0).abs() < 1e-9, "16^¼ = 2: {}", cued / base);
    }
}
