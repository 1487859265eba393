//! Validation of the radar look against analytic results and statistical bounds.
mod common;

use bulwark_core::{EntityId, SensorId, SimTime, Vec3};
use bulwark_geo::{EARTH_MEAN_RADIUS, FOUR_THIRDS};
use bulwark_sensors::geometry::wrap_pi;
use bulwark_sensors::{
    Detector, LineOfSight, Radar, RadarParams, RadarTarget, Scene, SensorError, SnrModel, Swerling1SinglePulse,
    SwerlingCase, SwerlingDetector, detection_range_m,
};
use common::{enu, mean_std, params, site, streams, target};
use std::f64::consts::{FRAC_PI_2, TAU};

fn radar(p: RadarParams) -> Radar {
    Radar::new(SensorId(1), p, site()).expect("valid test parameters")
}

#[test]
fn detection_range_scales_as_the_fourth_root_of_rcs() {
    // R ∝ σ^{1/4} (radar equation, Skolnik 3rd ed. §2.2): 100 m² → 0.001 m² divides the range
    // by (10⁵)^{1/4} = 17.7827941...
    for det in [SwerlingCase::S0, SwerlingCase::S1, SwerlingCase::S3].map(|case| SwerlingDetector { case, pulses: 1 }) {
        let p = RadarParams { detector: det, ..params() };
        let big = detection_range_m(&p, 100.0, 0.9, 1e-6).unwrap();
        let small = detection_range_m(&p, 0.001, 0.9, 1e-6).unwrap();
        assert!((big / small - 17.782_794_100_389_23).abs() < 1e-12, "{det:?}: {}", big / small);
        // The quoted reference point is returned exactly.
        let r_ref = detection_range_m(&p, p.reference_rcs_m2, p.reference_pd, p.pfa).unwrap();
        assert!((r_ref / p.reference_range_m - 1.0).abs() < 1e-9, "{det:?}: {r_ref}");
    }
    // Swerling 1, analytic: for Pd 0.5 instead of 0.8 at the same Pfa the range grows by
    // ((ln Pfa/ln 0.8 − 1)/(ln Pfa/ln 0.5 − 1))^{1/4}.
    let p = params();
    let s = |pd: f64| (1e-6f64).ln() / pd.ln() - 1.0;
    let want = 200e3 * (s(0.8) / s(0.5)).powf(0.25);
    let got = detection_range_m(&p, 1.0, 0.5, 1e-6).unwrap();
    assert!((got - want).abs() < 1e-6, "{got} vs {want}");
    assert!(detection_range_m(&p, 0.0, 0.5, 1e-6).is_err());
    assert!(detection_range_m(&p, 1.0, 1e-7, 1e-6).is_err(), "Pd below Pfa has no range");
    assert!(detection_range_m(&p, 1.0, 1.0, 1e-6).is_err());
}

#[test]
fn snr_at_the_reference_point_gives_the_reference_pd() {
    let r = radar(params());
    let snr = r.snr(200e3, 1.0);
    // Swerling 1 closed form (Skolnik §2.8): SNR_ref = ln Pfa / ln Pd_ref − 1.
    assert!((snr - ((1e-6f64).ln() / 0.8f64.ln() - 1.0)).abs() < 1e-9);
    assert!(((1e-6f64).powf(1.0 / (1.0 + snr)) - 0.8).abs() < 1e-12);
}

#[test]
fn measured_pd_matches_the_swerling_formulas() {
    // 36° sector keeps the false alarms few; they carry no truth label and are not counted.
    let n = 20_000;
    for det in [SwerlingCase::S0, SwerlingCase::S1].map(|case| SwerlingDetector { case, pulses: 1 }) {
        let p = RadarParams {
            azimuth_centre_rad: 45f64.to_radians(),
            azimuth_width_rad: 36f64.to_radians(),
            detector: det,
            ..params()
        };
        let r = radar(p);
        let s = site();
        let t = target(7, &s, enu(250e3, 45.0, 1.0), Vec3::zeros(), 1.0, 10_000.0);
        let (mut d, mut nz, mut fa) = streams(11);
        let mut hits = 0;
        for k in 0..n {
            let out = r.scan(SimTime::from_nanos(k), &[t], &mut d, &mut nz, &mut fa);
            hits += out.truth.iter().filter(|x| **x == Some(EntityId(7))).count();
        }
        let range = (t.position_ecef - s.origin_ecef()).norm();
        let snr_ref = det.required_snr(0.8, 1e-6);
        let snr = snr_ref * (200e3 / range).powi(4);
        let pd = match det.case {
            // Closed form, Skolnik 3rd ed. §2.8.
            SwerlingCase::S1 => (1e-6f64).powf(1.0 / (1.0 + snr)),
            // Marcum Q1, validated against SciPy in the unit tests.
            _ => det.pd(snr, 1e-6),
        };
        let phat = hits as f64 / n as f64;
        let bound = 5.0 * (pd * (1.0 - pd) / n as f64).sqrt(); // 5 binomial standard errors
        assert!((phat - pd).abs() < bound, "{det:?}: measured Pd {phat}, expected {pd} ± {bound}");
    }
}

#[test]
fn each_target_is_drawn_with_its_own_swerling_case() {
    // One Swerling 1 reference radar integrating 4 pulses; five targets side by side at the same
    // SNR, one per case. Each target's measured Pd must match the exact N-pulse Pd of its own
    // case (SwerlingDetector, validated against SciPy in tests/swerling_oracle.rs), not the
    // radar's: at this SNR the cases differ by far more than the statistical bound.
    let n = 8_000;
    let radar_det = SwerlingDetector { case: SwerlingCase::S1, pulses: 4 };
    let p = RadarParams {
        azimuth_centre_rad: 45f64.to_radians(),
        azimuth_width_rad: 36f64.to_radians(),
        detector: radar_det,
        ..params()
    };
    let r = radar(p);
    let s = site();
    let views: Vec<_> = (0..5)
        .map(|i| target(i, &s, enu(230e3, 40.0 + 2.0 * f64::from(i), 1.0), Vec3::zeros(), 1.0, 10_000.0))
        .collect();
    let targets: Vec<RadarTarget> = views
        .iter()
        .zip(SwerlingCase::ALL)
        .map(|(v, case)| RadarTarget { swerling: Some(case), ..RadarTarget::from(*v) })
        .collect();
    let scene = Scene { targets: &targets, ..Scene::default() };
    let (mut d, mut nz, mut fa) = streams(5);
    let mut hits = [0usize; 5];
    for k in 0..n {
        let out = r.look(SimTime::from_nanos(k), &scene, &mut d, &mut nz, &mut fa).unwrap();
        for e in out.truth.iter().flatten() {
            hits[e.0 as usize] += 1;
        }
    }
    let mut pds = Vec::new();
    for (i, case) in SwerlingCase::ALL.into_iter().enumerate() {
        let snr = r.snr((views[i].position_ecef - s.origin_ecef()).norm(), 1.0);
        let pd = SwerlingDetector { case, pulses: 4 }.pd(snr, 1e-6);
        let phat = hits[i] as f64 / n as f64;
        let bound = 5.0 * (pd * (1.0 - pd) / n as f64).sqrt();
        assert!((phat - pd).abs() < bound, "{case:?}: measured Pd {phat}, expected {pd} ± {bound}");
        pds.push(pd);
    }
    // The cases must be told apart (else the test could not fail on a radar-wide case).
    assert!((pds[0] - pds[1]).abs() > 0.1, "{pds:?}");
}

#[test]
fn horizon_masking_follows_the_four_thirds_earth() {
    // 25 m mast, 10 m target: d = √(2·(4/3)·Re·h_r) + √(2·(4/3)·Re·h_t) = 33.64 km
    // (Skolnik 3rd ed. ch. 8, standard refraction; rule of thumb d[km] = 4.12(√h_r[m] + √h_t[m]) = 33.63 km).
    let ke = FOUR_THIRDS * EARTH_MEAN_RADIUS;
    let d = (2.0 * ke * 25.0).sqrt() + (2.0 * ke * 10.0).sqrt();
    let rule = 4.12e3 * (25f64.sqrt() + 10f64.sqrt());
    assert!((d / rule - 1.0).abs() < 1e-3, "{d} vs {rule}");
    assert!((d - 33_640.0).abs() < 10.0, "{d}");
    let s = site();
    let r = radar(params());
    let inside = target(1, &s, enu(d - 50.0, 30.0, 0.0), Vec3::zeros(), 100.0, 10.0);
    let outside = target(2, &s, enu(d + 50.0, 30.0, 0.0), Vec3::zeros(), 100.0, 10.0);
    assert!(r.line_of_sight(&inside).is_some(), "just inside the horizon is visible");
    assert!(r.line_of_sight(&outside).is_none(), "just beyond the horizon is masked");
    let (mut dr, mut nz, mut fa) = streams(3);
    let mut seen = [0, 0];
    for k in 0..100 {
        let out = r.scan(SimTime::from_nanos(k), &[inside, outside], &mut dr, &mut nz, &mut fa);
        for (i, id) in [EntityId(1), EntityId(2)].into_iter().enumerate() {
            seen[i] += out.truth.iter().filter(|x| **x == Some(id)).count();
        }
    }
    // Pd inside ≈ 1 − 2e-6 (SNR ≈ 7.7e6); beyond the horizon never.
    assert_eq!(seen, [100, 0]);
    // Raising the target to 100 m brings the far one back.
    let raised = target(2, &s, enu(d + 50.0, 30.0, 0.0), Vec3::zeros(), 100.0, 100.0);
    assert!(r.line_of_sight(&raised).is_some());
}

#[test]
fn false_alarm_count_is_poisson_with_mean_pfa_times_cells() {
    // Coverage: 2660 range cells × 36 azimuth cells × 51.33 elevation cells.
    for (width_deg, scans) in [(36.0f64, 20_000), (360.0, 2_000)] {
        let p = RadarParams { azimuth_width_rad: width_deg.to_radians(), ..params() };
        let cells = (400e3 - 1e3) / 150.0 * width_deg * (77.0 / 1.5);
        assert!((p.resolution_cells() / cells - 1.0).abs() < 1e-12);
        let lambda = 1e-6 * cells;
        let r = radar(p.clone());
        let (mut d, mut nz, mut fa) = streams(5);
        let mut counts = Vec::with_capacity(scans);
        let mut ranges = Vec::new();
        for k in 0..scans {
            let out = r.scan(SimTime::from_nanos(k as i64), &[], &mut d, &mut nz, &mut fa);
            assert!(out.truth.iter().all(Option::is_none));
            for pl in &out.plots {
                let rae = bulwark_geo::Rae {
                    range_m: pl.range_m,
                    azimuth_rad: pl.azimuth_rad,
                    elevation_rad: pl.elevation_rad,
                };
                assert!(r.covers(&rae), "false alarm outside coverage: {pl:?}");
                assert!(pl.snr_db >= 10.0 * (-(1e-6f64).ln()).log10(), "a crossing is above the threshold");
                ranges.push(pl.range_m);
            }
            counts.push(out.plots.len() as f64);
        }
        let (mean, sd) = mean_std(&counts);
        let se = (lambda / scans as f64).sqrt();
        assert!(
            (mean - lambda).abs() < 5.0 * se,
            "width {width_deg}: mean {mean}, Poisson mean {lambda} ± {}",
            5.0 * se
        );
        if lambda < 30.0 {
            // Exact Poisson sampler below 30: variance = mean (dispersion index 1 ± 5·√(2/N)).
            let disp = sd * sd / lambda;
            assert!((disp - 1.0).abs() < 5.0 * (2.0 / scans as f64).sqrt(), "dispersion {disp}");
        }
        // Uniform in range: mean at the middle of [1 km, 400 km] within 5 standard errors.
        let (mr, _) = mean_std(&ranges);
        let se_r = 399e3 / 12f64.sqrt() / (ranges.len() as f64).sqrt();
        assert!((mr - 200.5e3).abs() < 5.0 * se_r, "mean false-alarm range {mr}");
    }
}

#[test]
fn noise_standard_deviations_match_the_reported_sigmas() {
    let p = params();
    let r = radar(p.clone());
    let s = site();
    let vel = Vec3::new(150.0, -200.0, 0.0);
    let t = target(9, &s, enu(100e3, 45.0, 5.0), vel, 10.0, 10_000.0);
    let los = LineOfSight::new(&s, &t.position_ecef, &t.velocity_ecef);
    let (mut d, mut nz, mut fa) = streams(17);
    let (mut er, mut ea, mut ee, mut ev) = (vec![], vec![], vec![], vec![]);
    let mut sig = None;
    for k in 0..20_000 {
        let out = r.scan(SimTime::from_nanos(k), &[t], &mut d, &mut nz, &mut fa);
        for (pl, lab) in out.plots.iter().zip(&out.truth) {
            if *lab == Some(EntityId(9)) {
                er.push(pl.range_m - los.rae.range_m);
                ea.push(wrap_pi(pl.azimuth_rad - los.rae.azimuth_rad));
                ee.push(pl.elevation_rad - los.rae.elevation_rad);
                ev.push(pl.range_rate_mps.unwrap() - los.range_rate_mps);
                sig = Some((
                    pl.sigma_range_m,
                    pl.sigma_azimuth_rad,
                    pl.sigma_elevation_rad,
                    pl.sigma_range_rate_mps.unwrap(),
                ));
            }
        }
    }
    let (sr, sa, se, sv) = sig.unwrap();
    // The reported σ is the RSS of floor and thermal term, with the Swerling 1 SNR computed here.
    let snr = Swerling1SinglePulse.required_snr(0.8, 1e-6) * 10.0 * 2f64.powi(4);
    assert!((r.snr(los.rae.range_m, 10.0) / snr - 1.0).abs() < 1e-9);
    assert!((sr - 10f64.hypot(150.0 / (2.0 * snr).sqrt())).abs() < 1e-9);
    assert!((sa - p.sigma_azimuth_rad.hypot(p.beamwidth_az_rad / 1.6 / (2.0 * snr).sqrt())).abs() < 1e-15);
    let n = er.len() as f64;
    assert!(n > 19_000.0, "Pd ≈ 0.9986 at this SNR: {n}");
    for (name, x, sigma) in [("range", &er, sr), ("azimuth", &ea, sa), ("elevation", &ee, se), ("range rate", &ev, sv)]
    {
        let (m, sd) = mean_std(x);
        // Mean within 5σ/√n; sample σ within 5 standard errors σ/√(2n) of the reported σ.
        assert!(m.abs() < 5.0 * sigma / n.sqrt(), "{name}: bias {m}");
        assert!((sd / sigma - 1.0).abs() < 5.0 / (2.0 * n).sqrt(), "{name}: sample σ {sd} vs {sigma}");
    }
}

#[test]
fn sector_wraps_across_north() {
    let p = RadarParams { azimuth_centre_rad: 350f64.to_radians(), azimuth_width_rad: 40f64.to_radians(), ..params() };
    let r = radar(p);
    let s = site();
    for (az, inside) in
        [(5.0, true), (335.0, true), (0.0, true), (9.5, true), (15.0, false), (325.0, false), (170.0, false)]
    {
        let t = target(1, &s, enu(50e3, az, 2.0), Vec3::zeros(), 1.0, 5_000.0);
        assert_eq!(r.line_of_sight(&t).is_some(), inside, "azimuth {az}°");
    }
}

#[test]
fn zero_range_overhead_and_bad_truth_give_no_nan() {
    let p = RadarParams { min_range_m: 0.0, max_elevation_rad: FRAC_PI_2, ..params() };
    let r = radar(p);
    let s = site();
    let at_antenna = bulwark_sensors::TargetView {
        entity: EntityId(1),
        position_ecef: s.origin_ecef(),
        velocity_ecef: s.vec_to_ecef(&Vec3::new(0.0, 100.0, 0.0)),
        rcs_m2: 1.0,
        altitude_m: 25.0,
    };
    let overhead = target(2, &s, Vec3::new(0.0, 0.0, 10e3), Vec3::new(0.0, 0.0, -50.0), 1.0, 10e3);
    let mut broken = target(3, &s, enu(50e3, 10.0, 1.0), Vec3::zeros(), 1.0, 1e3);
    broken.position_ecef.x = f64::NAN;
    let los0 = LineOfSight::new(&s, &at_antenna.position_ecef, &at_antenna.velocity_ecef);
    assert_eq!(los0.rae.range_m, 0.0);
    assert!((los0.range_rate_mps - 100.0).abs() < 1e-9, "at zero range the range can only open: {los0:?}");
    assert!(r.snr(0.0, 1.0).is_finite());
    assert!(r.line_of_sight(&broken).is_none());
    let (mut d, mut nz, mut fa) = streams(23);
    let mut seen = [0; 2];
    for k in 0..200 {
        let out = r.scan(SimTime::from_nanos(k), &[at_antenna, overhead, broken], &mut d, &mut nz, &mut fa);
        for (pl, lab) in out.plots.iter().zip(&out.truth) {
            let nums = [
                pl.range_m,
                pl.azimuth_rad,
                pl.elevation_rad,
                pl.range_rate_mps.unwrap(),
                pl.sigma_range_m,
                pl.sigma_azimuth_rad,
                pl.sigma_elevation_rad,
                pl.snr_db,
            ];
            assert!(nums.iter().all(|x| x.is_finite()), "{pl:?}");
            assert!(pl.range_m >= 0.0 && (0.0..TAU).contains(&pl.azimuth_rad) && pl.elevation_rad.abs() <= FRAC_PI_2);
            match lab {
                Some(EntityId(1)) => seen[0] += 1,
                Some(EntityId(2)) => seen[1] += 1,
                Some(e) => panic!("a target with NaN truth was reported: {e}"),
                None => {}
            }
        }
    }
    assert_eq!(seen, [200, 200], "both degenerate targets are detected (SNR is huge)");
}

#[test]
fn range_rate_is_negative_for_an_approaching_target() {
    let r = radar(params());
    let s = site();
    let approaching = target(1, &s, Vec3::new(0.0, 100e3, 0.0), Vec3::new(0.0, -300.0, 0.0), 10.0, 10e3);
    let receding = target(2, &s, Vec3::new(0.0, 100e3, 0.0), Vec3::new(0.0, 300.0, 0.0), 10.0, 10e3);
    let los = LineOfSight::new(&s, &approaching.position_ecef, &approaching.velocity_ecef);
    assert!((los.range_rate_mps + 300.0).abs() < 1e-6, "{}", los.range_rate_mps);
    let los = LineOfSight::new(&s, &receding.position_ecef, &receding.velocity_ecef);
    assert!((los.range_rate_mps - 300.0).abs() < 1e-6, "{}", los.range_rate_mps);
    let (mut d, mut nz, mut fa) = streams(29);
    let out = r.scan(SimTime::ZERO, &[approaching], &mut d, &mut nz, &mut fa);
    let i = out.truth.iter().position(|x| *x == Some(EntityId(1))).expect("Pd ≈ 0.9986");
    let rr = out.plots[i].range_rate_mps.unwrap();
    assert!(rr < 0.0 && (rr + 300.0).abs() < 5.0, "{rr}");
}

#[test]
fn scans_are_deterministic_and_sorted_by_azimuth() {
    let r = radar(params());
    let s = site();
    let ts: Vec<_> = (0..20)
        .map(|i| target(i, &s, enu(60e3 + 5e3 * i as f64, 17.0 * i as f64, 2.0), Vec3::zeros(), 5.0, 8e3))
        .collect();
    let run = || {
        let (mut d, mut nz, mut fa) = streams(31);
        r.scan(SimTime::from_nanos(5), &ts, &mut d, &mut nz, &mut fa)
    };
    let (a, b) = (run(), run());
    assert_eq!(a, b);
    assert_eq!(a.plots.len(), a.truth.len());
    assert!(a.plots.windows(2).all(|w| w[0].azimuth_rad <= w[1].azimuth_rad));
    assert!(a.truth.iter().filter(|x| x.is_some()).count() >= 15);
}

#[test]
fn bad_parameters_are_rejected_by_name() {
    let cases: Vec<(&str, RadarParams)> = vec![
        ("pfa", RadarParams { pfa: 0.0, ..params() }),
        ("reference_pd", RadarParams { reference_pd: 1e-7, ..params() }),
        ("reference_range_m", RadarParams { reference_range_m: f64::NAN, ..params() }),
        ("instrumented_range_m", RadarParams { instrumented_range_m: 500.0, ..params() }),
        ("azimuth_width_rad", RadarParams { azimuth_width_rad: 0.0, ..params() }),
        ("max_elevation_rad", RadarParams { max_elevation_rad: 2.0, ..params() }),
        ("beamwidth_el_rad", RadarParams { beamwidth_el_rad: -1.0, ..params() }),
        ("sigma_range_rate_mps", RadarParams { sigma_range_rate_mps: Some(f64::INFINITY), ..params() }),
        ("antenna_height_m", RadarParams { antenna_height_m: -3.0, ..params() }),
    ];
    for (name, p) in cases {
        match Radar::new(SensorId(1), p, site()) {
            Err(SensorError::InvalidParameter { name: got, .. }) => assert_eq!(got, name),
            Ok(_) => panic!("{name} accepted"),
        }
    }
    assert!(radar(params()).snr_model().snr(1.0, 1.0) > 0.0);
}
