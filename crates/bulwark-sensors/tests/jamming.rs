//! Noise jamming: J/N against the link equation, burn-through, SINR, slopes, strobes.
mod common;

use bulwark_core::{EntityId, SensorId, SimTime, Vec3};
use bulwark_sensors::geometry::wrap_pi;
use bulwark_sensors::{
    JammerView, LineOfSight, NoiseJammer, Radar, RadarEquationSnr, RadarParams, RadarTarget, Scene, SensorError,
    SnrModel, burn_through_range_m, jamming_to_noise, sinr,
};
use common::{enu, mean_std, params, radar_equation_params, radar_equation_terms, site, streams, target};
use std::f64::consts::PI;

fn db(x: f64) -> f64 {
    10.0 * x.log10()
}

fn eq() -> RadarEquationSnr {
    RadarEquationSnr::new(radar_equation_terms()).unwrap()
}

/// 100 W ERP (20 dBW) over 10 MHz, no losses.
fn jammer() -> NoiseJammer {
    NoiseJammer::from_erp_dbw(20.0, 10e6, 0.0).unwrap()
}

#[test]
fn jamming_to_noise_matches_the_one_way_link_equation() {
    // Oracle: Adamy, EW 101 (2001), ch. 5 and 6, in dB: received power
    // P_R[dBm] = ERP[dBm] − (32.44 + 20 log d[km] + 20 log f[MHz]) + G_R[dB], and the thermal
    // noise kTB = −114 dBm per MHz at 290 K, plus the noise figure; a 10 MHz jammer into a 1 MHz
    // receiver delivers 10 log(1/10) dB of its power. Adamy's constants are rounded (32.44,
    // −114): tolerance 0.05 dB.
    let m = eq();
    for d_km in [5.0, 40.0, 250.0] {
        let p_r = 50.0 - (32.44 + 20.0 * f64::log10(d_km) + 20.0 * f64::log10(3000.0)) + 40.0 - 10.0;
        let n = -114.0 + 0.0 + 3.0; // 1 MHz, F = 3 dB
        let got = db(jamming_to_noise(&m, &jammer(), d_km * 1e3, 1.0));
        assert!((got - (p_r - n)).abs() < 0.05, "{d_km} km: {got} vs {}", p_r - n);
    }
    // A narrower jammer than the receiver puts all its power in: no bandwidth factor.
    let spot = NoiseJammer::new(100.0, 0.5e6, 0.0).unwrap();
    let ratio = jamming_to_noise(&m, &spot, 40e3, 1.0) / jamming_to_noise(&m, &jammer(), 40e3, 1.0);
    assert!((ratio - 10.0).abs() < 1e-9);
    // Sidelobe gain scales J linearly; jammer losses divide it.
    let lossy = NoiseJammer::new(100.0, 10e6, 3.0).unwrap();
    assert!(
        (jamming_to_noise(&m, &jammer(), 40e3, 1e-3) / jamming_to_noise(&m, &jammer(), 40e3, 1.0) - 1e-3).abs() < 1e-15
    );
    assert!(
        (db(jamming_to_noise(&m, &jammer(), 40e3, 1.0) / jamming_to_noise(&m, &lossy, 40e3, 1.0)) - 3.0).abs() < 1e-9
    );
}

#[test]
fn burn_through_is_where_s_over_j_crosses_the_required_ratio() {
    let m = eq();
    let j = jammer();
    for (rcs, sj_db) in [(1.0, 0.0), (0.1, 10.0), (5.0, 13.0)] {
        let sj = 10f64.powf(sj_db / 10.0);
        let r_bt = burn_through_range_m(&m, &j, rcs, sj).unwrap();
        // Analytic (Skolnik 3rd ed. §14.2; Adamy EW 101 §9.4), written out from the terms:
        // R_bt² = P_t G_t σ L_j B_j / (4π ERP L B_r (S/J)), B_j > B_r.
        let want = (1e6 * 1e4 * rcs * 1.0 * 10e6 / (4.0 * PI * 100.0 * 10f64.powf(0.6) * 1e6 * sj)).sqrt();
        assert!((r_bt / want - 1.0).abs() < 1e-12, "{r_bt} vs {want}");
        // At R_bt the model's own S/J is the required ratio; inside it is better, outside worse.
        let s_over_j = |r: f64| m.snr(r, rcs) / jamming_to_noise(&m, &j, r, 1.0);
        assert!((s_over_j(r_bt) / sj - 1.0).abs() < 1e-9);
        assert!(s_over_j(0.9 * r_bt) > sj && s_over_j(1.1 * r_bt) < sj);
    }
    assert!(burn_through_range_m(&m, &j, 0.0, 1.0).is_err());
    assert!(burn_through_range_m(&m, &j, 1.0, f64::NAN).is_err());
}

#[test]
fn self_protection_slopes_are_r_minus_2_for_j_and_r_minus_4_for_s() {
    let (m, j) = (eq(), jammer());
    for r in [3e3, 20e3, 150e3] {
        let jr = jamming_to_noise(&m, &j, 2.0 * r, 1.0) / jamming_to_noise(&m, &j, r, 1.0);
        let sr = m.snr(2.0 * r, 1.0) / m.snr(r, 1.0);
        assert!((jr - 0.25).abs() < 1e-12 && (sr - 1.0 / 16.0).abs() < 1e-12);
    }
}

#[test]
fn sinr_tends_to_snr_as_erp_vanishes() {
    let m = eq();
    let snr = m.snr(60e3, 1.0);
    let mut prev = 0.0;
    for erp_dbw in [40.0, 20.0, 0.0, -40.0, -120.0, -250.0 + 60.0] {
        let j = NoiseJammer::from_erp_dbw(erp_dbw, 10e6, 0.0).unwrap();
        let s = sinr(snr, jamming_to_noise(&m, &j, 60e3, 1.0));
        assert!(s > prev && s <= snr, "{erp_dbw}");
        prev = s;
    }
    assert!((prev / snr - 1.0).abs() < 1e-15);
    assert_eq!(sinr(f64::NAN, 1.0), 0.0);
    assert_eq!(sinr(4.0, f64::NAN), 4.0);
    assert_eq!(jamming_to_noise(&m, &jammer(), 0.0, 1.0), bulwark_sensors::SNR_MAX);
    assert_eq!(jamming_to_noise(&m, &jammer(), f64::NAN, 1.0), 0.0);
    // Through a radar: a vanishing jammer leaves the look as it was without one.
    let s = site();
    let r = Radar::new(SensorId(1), radar_equation_params(), s).unwrap();
    let ts: Vec<_> = (0..8)
        .map(|i| target(i, &s, enu(30e3 + 20e3 * i as f64, 40.0 * i as f64, 1.0), Vec3::zeros(), 1.0, 9e3))
        .collect();
    let plain = {
        let (mut d, mut n, mut f) = streams(3);
        r.scan(SimTime::ZERO, &ts, &mut d, &mut n, &mut f)
    };
    let rts: Vec<RadarTarget> = ts.iter().map(|v| RadarTarget::from(*v)).collect();
    let faint = [JammerView {
        entity: EntityId(99),
        position_ecef: s.to_ecef(&enu(50e3, 90.0, 2.0)),
        altitude_m: 2e3,
        jammer: NoiseJammer::new(1e-30, 10e6, 0.0).unwrap(),
    }];
    let jammed = {
        let (mut d, mut n, mut f) = streams(3);
        let scene = Scene { targets: &rts, jammers: &faint, mask: None };
        r.look(SimTime::ZERO, &scene, &mut d, &mut n, &mut f).unwrap()
    };
    assert_eq!(plain.truth, jammed.truth);
    assert!(jammed.strobes.is_empty(), "J/N far below the strobe threshold");
    for (a, b) in plain.plots.iter().zip(&jammed.plots) {
        assert!((a.range_m - b.range_m).abs() < 1e-6 && (a.snr_db - b.snr_db).abs() < 1e-9);
    }
}

#[test]
fn a_self_screening_jammer_hides_its_target_and_its_strobe_points_at_it() {
    let s = site();
    let r = Radar::new(SensorId(1), radar_equation_params(), s).unwrap();
    let p = r.params().clone();
    let view = target(7, &s, enu(60e3, 45.0, 3.0), Vec3::new(-200.0, -200.0, 0.0), 1.0, 3.5e3);
    let targets = [RadarTarget::from(view)];
    let jammers = [JammerView::self_protection(&view, jammer())];
    let scene = Scene { targets: &targets, jammers: &jammers, mask: None };
    let los = LineOfSight::new(&s, &view.position_ecef, &view.velocity_ecef);
    let (mut d, mut n, mut f) = streams(13);
    let (mut eaz, mut eel, mut hits) = (vec![], vec![], 0);
    let mut sig = (0.0, 0.0, 0.0);
    for k in 0..4000 {
        let out = r.look(SimTime::from_nanos(k), &scene, &mut d, &mut n, &mut f).unwrap();
        hits += out.truth.iter().filter(|x| **x == Some(EntityId(7))).count();
        assert_eq!(out.strobes.len(), 1);
        assert_eq!(out.strobe_truth, vec![EntityId(7)]);
        let st = out.strobes[0];
        eaz.push(wrap_pi(st.azimuth_rad - los.rae.azimuth_rad));
        eel.push(st.elevation_rad - los.rae.elevation_rad);
        sig = (st.sigma_azimuth_rad, st.sigma_elevation_rad, st.jnr_db);
    }
    // SINR = SNR/(1 + J/N) ≈ 1219/2.2e5: Pd ≈ Pfa^{1/1.0055} ≈ 1e-6 — hidden.
    assert!(hits <= 2, "{hits}");
    // J/N in the strobe is the main-lobe value at the jammer's range.
    let jnr = jamming_to_noise(&eq(), &jammer(), los.rae.range_m, 1.0);
    assert!((sig.2 - db(jnr)).abs() < 1e-9);
    // σ = RSS(floor, θ₃/(1.6 √(2 J/N))), and the errors have that σ and zero mean.
    let want_az = p.sigma_azimuth_rad.hypot(p.beamwidth_az_rad / 1.6 / (2.0 * jnr).sqrt());
    assert!((sig.0 - want_az).abs() < 1e-15);
    let nn = eaz.len() as f64;
    for (name, e, sd_rep) in [("az", &eaz, sig.0), ("el", &eel, sig.1)] {
        let (m, sd) = mean_std(e);
        assert!(m.abs() < 5.0 * sd_rep / nn.sqrt(), "{name}: bias {m}");
        assert!((sd / sd_rep - 1.0).abs() < 5.0 / (2.0 * nn).sqrt(), "{name}: σ {sd} vs {sd_rep}");
    }
}

#[test]
fn a_stand_off_jammer_in_the_sidelobes_costs_its_sidelobe_level() {
    let s = site();
    let r = Radar::new(SensorId(1), radar_equation_params(), s).unwrap();
    let view = target(1, &s, enu(30e3, 10.0, 2.0), Vec3::new(0.0, -250.0, 0.0), 1.0, 1e3);
    let los = LineOfSight::new(&s, &view.position_ecef, &view.velocity_ecef);
    let snr = r.snr(los.rae.range_m, 1.0);
    let run = |jam_enu: Vec3, jam: NoiseJammer| {
        let jv = JammerView { entity: EntityId(50), position_ecef: s.to_ecef(&jam_enu), altitude_m: 3e3, jammer: jam };
        let targets = [RadarTarget::from(view)];
        let jammers = [jv];
        let (mut d, mut n, mut f) = streams(5);
        let scene = Scene { targets: &targets, jammers: &jammers, mask: None };
        let out = (0..50)
            .map(|k| r.look(SimTime::from_nanos(k), &scene, &mut d, &mut n, &mut f).unwrap())
            .find(|o| o.truth.contains(&Some(EntityId(1))))
            .expect("detected at least once in 50 looks");
        let i = out.truth.iter().position(|x| *x == Some(EntityId(1))).unwrap();
        let range = (s.to_ecef(&jam_enu) - s.origin_ecef()).norm();
        (out.plots[i].snr_db, jamming_to_noise(&eq(), &jam, range, 1.0), out.strobes.len())
    };
    // Behind the radar (azimuth 190°, 100 km): sidelobe, −30 dB.
    let (got, jnr, strobes) = run(enu(100e3, 190.0, 1.5), jammer());
    assert!((got - db(sinr(snr, 1e-3 * jnr))).abs() < 1e-9, "{got}");
    assert_eq!(strobes, 1);
    // 0.2° from the target's direction (beam 1° × 1.5°): main lobe (a 10 mW jammer, so that the
    // target is still seen).
    let (got, jnr, _) = run(enu(100e3, 10.2, 2.0), NoiseJammer::new(0.01, 10e6, 0.0).unwrap());
    assert!(jnr > 1.0);
    assert!((got - db(sinr(snr, jnr))).abs() < 1e-9, "{got}");
    // A radar whose sector excludes the jammer still suffers it but reports no strobe.
    let narrow = RadarParams { azimuth_width_rad: 90f64.to_radians(), ..radar_equation_params() };
    let r2 = Radar::new(SensorId(2), narrow, s).unwrap();
    let jammers = [JammerView {
        entity: EntityId(50),
        position_ecef: s.to_ecef(&enu(100e3, 190.0, 1.5)),
        altitude_m: 3e3,
        jammer: jammer(),
    }];
    let targets = [RadarTarget::from(view)];
    let (mut d, mut n, mut f) = streams(5);
    let out = r2
        .look(SimTime::ZERO, &Scene { targets: &targets, jammers: &jammers, mask: None }, &mut d, &mut n, &mut f)
        .unwrap();
    assert!(out.strobes.is_empty());
    // Beyond the horizon a low jammer neither jams nor strobes.
    let low = [JammerView {
        entity: EntityId(51),
        position_ecef: s.to_ecef(&enu(300e3, 190.0, -2.0)),
        altitude_m: 10.0,
        jammer: jammer(),
    }];
    let (mut d, mut n, mut f) = streams(5);
    let out =
        r.look(SimTime::ZERO, &Scene { targets: &targets, jammers: &low, mask: None }, &mut d, &mut n, &mut f).unwrap();
    assert!(out.strobes.is_empty());
    if let Some(i) = out.truth.iter().position(|x| *x == Some(EntityId(1))) {
        assert!((out.plots[i].snr_db - db(snr)).abs() < 1e-9);
    }
}

#[test]
fn jamming_a_reference_range_radar_is_refused_by_name() {
    let s = site();
    let r = Radar::new(SensorId(1), params(), s).unwrap();
    let view = target(1, &s, enu(30e3, 10.0, 2.0), Vec3::zeros(), 1.0, 1e3);
    let targets = [RadarTarget::from(view)];
    let jammers = [JammerView::self_protection(&view, jammer())];
    let (mut d, mut n, mut f) = streams(5);
    let res =
        r.look(SimTime::ZERO, &Scene { targets: &targets, jammers: &jammers, mask: None }, &mut d, &mut n, &mut f);
    assert!(matches!(res, Err(SensorError::InvalidParameter { name: "jammers", .. })));
    assert!(NoiseJammer::new(0.0, 1e6, 0.0).is_err());
    assert!(NoiseJammer::new(1.0, f64::INFINITY, 0.0).is_err());
    assert!(NoiseJammer::new(1.0, 1e6, -1.0).is_err());
    assert!(NoiseJammer::from_erp_dbw(f64::NAN, 1e6, 0.0).is_err());
    let bad = RadarParams {
        jamming: bulwark_sensors::JammingResponse { sidelobe_level_db: 5.0, ..Default::default() },
        ..radar_equation_params()
    };
    assert!(matches!(
        Radar::new(SensorId(1), bad, s),
        Err(SensorError::InvalidParameter { name: "sidelobe_level_db", .. })
    ));
}
