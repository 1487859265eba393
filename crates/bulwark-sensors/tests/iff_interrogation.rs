//! IFF interrogation: reply content, coverage, horizon, reply probability, noise.
mod common;

use bulwark_core::{EntityId, RngStreams, SensorId, SimTime, StreamPurpose, Vec3};
use bulwark_geo::{EARTH_MEAN_RADIUS, FOUR_THIRDS};
use bulwark_sensors::geometry::wrap_pi;
use bulwark_sensors::{IffInterrogator, IffMode, IffParams, LineOfSight, SensorError, Transponder};
use common::{enu, mean_std, site, target};

fn params() -> IffParams {
    IffParams {
        range_m: 300e3,
        reply_probability: 0.9,
        sigma_range_m: 50.0,
        sigma_azimuth_rad: 0.2f64.to_radians(),
        antenna_height_m: 25.0,
    }
}

fn interrogator(p: IffParams) -> IffInterrogator {
    IffInterrogator::new(SensorId(4), site(), p).expect("valid test parameters")
}

#[test]
fn replies_carry_mode_code_and_altitude() {
    let s = site();
    let it = interrogator(IffParams { reply_probability: 1.0, ..params() });
    let at = |id: u32, az: f64| target(id, &s, enu(80e3, az, 3.0), Vec3::zeros(), 1.0, 10_000.0);
    let targets = [
        (at(1, 10.0), Transponder::Mode5),
        (at(2, 20.0), Transponder::Civil { squawk: 0o7700, address: None }),
        (at(3, 30.0), Transponder::Civil { squawk: 0o1234, address: Some(0x4B_A1_23) }),
        (at(4, 40.0), Transponder::None),
        (at(5, 50.0), Transponder::Civil { squawk: 0o10000, address: None }),
    ];
    let mut rng = RngStreams::new(1, 0).stream(4, StreamPurpose::Iff);
    let out = it.interrogate(SimTime::ZERO, &targets, &mut rng);
    assert_eq!(
        out.truth,
        vec![EntityId(1), EntityId(2), EntityId(3), EntityId(5)],
        "sorted by azimuth; no reply without a transponder"
    );
    let r = &out.replies;
    assert_eq!((r[0].mode, r[0].code, r[0].altitude_m), (IffMode::Mode5, None, None));
    // Mode C: 10 000 m = 32 808.4 ft → 32 800 ft (100 ft steps, ICAO Annex 10 Vol. IV).
    let fl = Some(32_800.0 * 0.3048);
    assert_eq!((r[1].mode, r[1].code, r[1].altitude_m, r[1].address), (IffMode::Mode3AC, Some(0o7700), fl, None));
    assert_eq!((r[2].mode, r[2].code, r[2].address), (IffMode::ModeS, Some(0o1234), Some(0x4B_A1_23)));
    assert_eq!(r[3].code, None, "a code beyond 0o7777 is not a valid Mode 3/A code");
    assert!(r.iter().all(|x| x.sensor == SensorId(4) && x.range_m.is_finite() && x.azimuth_rad.is_finite()));
}

#[test]
fn no_reply_beyond_range_or_below_the_horizon() {
    let s = site();
    let it = interrogator(IffParams { reply_probability: 1.0, ..params() });
    // Horizon for a 25 m antenna and a 10 m target, 4/3 earth (Skolnik 3rd ed. ch. 8, standard refraction): 33.64 km.
    let ke = FOUR_THIRDS * EARTH_MEAN_RADIUS;
    let d = (2.0 * ke * 25.0).sqrt() + (2.0 * ke * 10.0).sqrt();
    let targets = [
        (target(1, &s, enu(d - 50.0, 90.0, 0.0), Vec3::zeros(), 1.0, 10.0), Transponder::Mode5),
        (target(2, &s, enu(d + 50.0, 95.0, 0.0), Vec3::zeros(), 1.0, 10.0), Transponder::Mode5),
        (target(3, &s, enu(299e3, 100.0, 3.0), Vec3::zeros(), 1.0, 12_000.0), Transponder::Mode5),
        (target(4, &s, enu(301e3, 105.0, 3.0), Vec3::zeros(), 1.0, 12_000.0), Transponder::Mode5),
    ];
    let mut rng = RngStreams::new(2, 0).stream(4, StreamPurpose::Iff);
    let out = it.interrogate(SimTime::ZERO, &targets, &mut rng);
    assert_eq!(out.truth, vec![EntityId(1), EntityId(3)]);
}

#[test]
fn reply_rate_and_noise_match_the_parameters() {
    let s = site();
    let p = params();
    let it = interrogator(p);
    let t = target(7, &s, enu(120e3, 200.0, 2.0), Vec3::new(100.0, 0.0, 0.0), 1.0, 8_000.0);
    let los = LineOfSight::new(&s, &t.position_ecef, &t.velocity_ecef);
    let mut rng = RngStreams::new(3, 0).stream(4, StreamPurpose::Iff);
    let n = 20_000;
    let (mut er, mut ea) = (vec![], vec![]);
    for k in 0..n {
        for r in it.interrogate(SimTime::from_nanos(k), &[(t, Transponder::Mode5)], &mut rng).replies {
            er.push(r.range_m - los.rae.range_m);
            ea.push(wrap_pi(r.azimuth_rad - los.rae.azimuth_rad));
        }
    }
    // Binomial: reply fraction within 5 standard errors of 0.9.
    let phat = er.len() as f64 / n as f64;
    assert!((phat - 0.9).abs() < 5.0 * (0.9f64 * 0.1 / n as f64).sqrt(), "reply fraction {phat}");
    let m = er.len() as f64;
    for (name, x, sigma) in [("range", &er, p.sigma_range_m), ("azimuth", &ea, p.sigma_azimuth_rad)] {
        let (mean, sd) = mean_std(x);
        assert!(mean.abs() < 5.0 * sigma / m.sqrt(), "{name} bias {mean}");
        assert!((sd / sigma - 1.0).abs() < 5.0 / (2.0 * m).sqrt(), "{name} σ {sd} vs {sigma}");
    }
}

#[test]
fn bad_parameters_and_bad_truth_are_handled() {
    for (name, p) in [
        ("range_m", IffParams { range_m: 0.0, ..params() }),
        ("reply_probability", IffParams { reply_probability: 1.5, ..params() }),
        ("reply_probability", IffParams { reply_probability: f64::NAN, ..params() }),
        ("sigma_range_m", IffParams { sigma_range_m: -1.0, ..params() }),
    ] {
        match IffInterrogator::new(SensorId(1), site(), p) {
            Err(SensorError::InvalidParameter { name: got, .. }) => assert_eq!(got, name),
            Ok(_) => panic!("{name} accepted"),
        }
    }
    let s = site();
    let it = interrogator(IffParams { reply_probability: 1.0, ..params() });
    let mut broken = target(1, &s, enu(50e3, 10.0, 1.0), Vec3::zeros(), 1.0, 1e3);
    broken.altitude_m = f64::NAN;
    let mut at_antenna = target(2, &s, Vec3::zeros(), Vec3::zeros(), 1.0, 25.0);
    at_antenna.position_ecef = s.origin_ecef();
    let mut rng = RngStreams::new(4, 0).stream(4, StreamPurpose::Iff);
    let out =
        it.interrogate(SimTime::ZERO, &[(broken, Transponder::Mode5), (at_antenna, Transponder::Mode5)], &mut rng);
    assert_eq!(out.truth, vec![EntityId(2)]);
    assert!(out.replies[0].range_m >= 0.0 && out.replies[0].azimuth_rad.is_finite());
}

#[test]
fn an_interrogator_reads_only_the_modes_it_shares_with_the_transponder() {
    use bulwark_core::{ModeSet, TransponderMode as M};
    let s = site();
    // An interrogator outside NATO's IFF: civil modes and its own national mode, no Mode 5 keys.
    let national = ModeSet::of([M::Mode3A, M::ModeC, M::ModeS, M::National]);
    let it = interrogator(IffParams { reply_probability: 1.0, ..params() }).with_modes(national);
    let at = |id: u32, az: f64| target(id, &s, enu(80e3, az, 3.0), Vec3::zeros(), 1.0, 10_000.0);
    let fit =
        |modes: &[M]| Transponder::Fit { modes: ModeSet::of(modes.iter().copied()), squawk: 0o4000, address: None };
    let targets = [
        (at(1, 10.0), Transponder::Mode5),
        (at(2, 20.0), fit(&[M::Mode5, M::Mode4])),
        (at(3, 30.0), fit(&[M::National])),
        (at(4, 40.0), fit(&[M::Mode5, M::ModeC])),
        (at(5, 50.0), Transponder::Civil { squawk: 0o1200, address: None }),
    ];
    let mut rng = RngStreams::new(5, 0).stream(4, StreamPurpose::Iff);
    let out = it.interrogate(SimTime::ZERO, &targets, &mut rng);
    // A Mode-5-only fighter gives it nothing it can use; a national fit answers in its mode; a
    // Mode 5 + C fit answers Mode C alone (altitude, no identity code, ICAO Annex 10 Vol. IV).
    assert_eq!(out.truth, vec![EntityId(3), EntityId(4), EntityId(5)]);
    let r = &out.replies;
    assert_eq!((r[0].mode, r[0].code, r[0].altitude_m), (IffMode::National, None, None));
    assert_eq!((r[1].mode, r[1].code, r[1].altitude_m), (IffMode::Mode3AC, None, Some(32_800.0 * 0.3048)));
    assert_eq!((r[2].mode, r[2].code), (IffMode::Mode3AC, Some(0o1200)));
    // The same targets to a NATO interrogator (the default modes): Mode 5 for both Mode 5 fits,
    // nothing from the national-only fit.
    let nato = interrogator(IffParams { reply_probability: 1.0, ..params() });
    let out = nato.interrogate(SimTime::ZERO, &targets, &mut rng);
    assert_eq!(out.truth, vec![EntityId(1), EntityId(2), EntityId(4), EntityId(5)]);
    assert!(out.replies[..3].iter().all(|r| r.mode == IffMode::Mode5));
}
