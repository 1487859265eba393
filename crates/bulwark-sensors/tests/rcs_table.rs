//! RCS by band and aspect: interpolation properties, aspect weights, and the table through a radar.
mod common;

use bulwark_core::{EntityId, RngStreams, SensorId, SimTime, StreamPurpose, Vec3};
use bulwark_sensors::{Aspect, AspectSector, Band, Radar, RadarParams, RadarTarget, RcsTable, Scene, SensorError};
use common::{enu, params, radar_equation_params, site, streams, target};

fn db(x: f64) -> f64 {
    10.0 * x.log10()
}

fn stealthy() -> RcsTable {
    RcsTable::new(&[
        (Band::Vhf, AspectSector::Nose, 1.0),
        (Band::L, AspectSector::Nose, 0.05),
        (Band::X, AspectSector::Nose, 0.001),
        (Band::X, AspectSector::Beam, 5.0),
        (Band::X, AspectSector::Tail, 0.1),
    ])
    .unwrap()
}

#[test]
fn interpolation_reproduces_given_points_and_is_monotone_between_them() {
    let t = stealthy();
    let nose = |f| t.sector_rcs_m2(f, AspectSector::Nose);
    // Exactly at the band centres (geometric mean of the IEEE 521 edges).
    assert!((nose(Band::Vhf.centre_hz()) / 1.0 - 1.0).abs() < 1e-12);
    assert!((nose(Band::L.centre_hz()) / 0.05 - 1.0).abs() < 1e-12);
    assert!((nose(Band::X.centre_hz()) / 0.001 - 1.0).abs() < 1e-12);
    // Flat beyond the ends.
    assert_eq!(nose(30e6), nose(Band::Vhf.centre_hz()));
    assert_eq!(nose(18e9), nose(Band::X.centre_hz()));
    assert_eq!(nose(0.0), nose(Band::Vhf.centre_hz()));
    assert_eq!(nose(f64::NAN), nose(Band::Vhf.centre_hz()));
    // Strictly decreasing between VHF and X (both segments fall), linear in dB over log f:
    // the midpoint in log f between L and X is the dB midpoint.
    let mut prev = f64::INFINITY;
    for k in 0..=400 {
        let f = Band::Vhf.centre_hz() * (Band::X.centre_hz() / Band::Vhf.centre_hz()).powf(k as f64 / 400.0);
        let v = nose(f);
        assert!(v.is_finite() && v > 0.0);
        assert!(v < prev || k == 0, "not monotone at {f}");
        prev = v;
    }
    let mid = (Band::L.centre_hz() * Band::X.centre_hz()).sqrt();
    assert!((db(nose(mid)) - 0.5 * (db(0.05) + db(0.001))).abs() < 1e-9);
}

#[test]
fn the_stealth_example_gives_a_hundredfold_more_at_vhf() {
    // X 0.001 m², VHF 1 m² (all aspects): at 150 MHz ≥ 100× the 10 GHz value.
    let t = RcsTable::all_aspects(&[(Band::X, 0.001), (Band::Vhf, 1.0)]).unwrap();
    for a in [Aspect::pure(AspectSector::Nose), Aspect::unknown()] {
        let ratio = t.rcs_m2(150e6, &a) / t.rcs_m2(10e9, &a);
        assert!(ratio >= 100.0, "{ratio}");
        // Exactly: 150 MHz lies log(150/94.87)/log(9798/94.87) of the way from VHF to X.
        let frac = (150e6 / Band::Vhf.centre_hz()).log10() / (Band::X.centre_hz() / Band::Vhf.centre_hz()).log10();
        assert!((db(ratio) - 30.0 * (1.0 - frac)).abs() < 1e-9);
    }
}

#[test]
fn aspect_weights_sum_to_one_and_name_the_right_sector() {
    let s = site();
    let up = s.vec_to_ecef(&Vec3::new(0.0, 0.0, 1.0));
    let north = s.vec_to_ecef(&Vec3::new(0.0, 250.0, 0.0));
    let los = |e: f64, n: f64, u: f64| s.vec_to_ecef(&Vec3::new(e, n, u));
    // Radar south of a north-flying target looks north (los +N): it sees the tail.
    let cases = [
        (los(0.0, 1.0, 0.0), AspectSector::Tail),
        (los(0.0, -1.0, 0.0), AspectSector::Nose),
        (los(1.0, 0.0, 0.0), AspectSector::Beam),
        (los(-1.0, 0.0, 0.0), AspectSector::Beam),
        (los(0.0, 0.0, 1.0), AspectSector::Below), // radar below, looking up
        (los(0.0, 0.0, -1.0), AspectSector::Above),
    ];
    for (l, sector) in cases {
        let a = Aspect::from_los(&l, &north, &up);
        assert!((a.weight(sector) - 1.0).abs() < 1e-12, "{sector:?}: {a:?}");
    }
    // 45° between nose and beam: half each.
    let a = Aspect::from_los(&los(1.0, -1.0, 0.0), &north, &up);
    assert!((a.weight(AspectSector::Nose) - 0.5).abs() < 1e-12 && (a.weight(AspectSector::Beam) - 0.5).abs() < 1e-12);
    // Random directions and velocities (deterministic stream): weights in [0,1], sum 1.
    let mut rng = RngStreams::new(3, 0).stream(9, StreamPurpose::Detection);
    for _ in 0..2000 {
        let v = Vec3::new(rng.normal(), rng.normal(), rng.normal()) * 300.0;
        let l = Vec3::new(rng.normal(), rng.normal(), rng.normal());
        let w = Aspect::from_los(&l, &v, &up).weights();
        assert!(w.iter().all(|x| (0.0..=1.0).contains(x)));
        assert!((w.iter().sum::<f64>() - 1.0).abs() < 1e-12, "{w:?}");
    }
    // Degenerate: zero speed or zero line of sight → the sphere average; vertical flight →
    // roll-averaged; NaN → the sphere average. All sum to 1.
    let unknown = Aspect::unknown();
    assert_eq!(Aspect::from_los(&los(1.0, 0.0, 0.0), &Vec3::zeros(), &up), unknown);
    assert_eq!(Aspect::from_los(&Vec3::zeros(), &north, &up), unknown);
    assert_eq!(Aspect::from_los(&Vec3::new(f64::NAN, 0.0, 0.0), &north, &up), unknown);
    let vertical = Aspect::from_los(&los(1.0, 0.0, 0.0), &(up * 900.0), &up);
    assert!((vertical.weight(AspectSector::Beam) - 0.5).abs() < 1e-12);
    assert!((vertical.weight(AspectSector::Above) - 0.25).abs() < 1e-12);
    for a in [unknown, vertical] {
        assert!((a.weights().iter().sum::<f64>() - 1.0).abs() < 1e-15);
    }
}

#[test]
fn aspect_blend_is_smooth_and_exact_at_pure_sectors() {
    let t = stealthy();
    let f = Band::X.centre_hz();
    for s in [AspectSector::Nose, AspectSector::Beam, AspectSector::Tail] {
        assert!((t.rcs_m2(f, &Aspect::pure(s)) / t.sector_rcs_m2(f, s) - 1.0).abs() < 1e-12);
    }
    // Missing above/below take the dB mean of nose, beam, tail (all 90° away).
    let want = (db(0.001) + db(5.0) + db(0.1)) / 3.0;
    assert!((db(t.sector_rcs_m2(f, AspectSector::Above)) - want).abs() < 1e-9);
    // Turning from nose to beam by θ the RCS rises monotonically, exactly as
    // cos²θ·σ_nose[dB] + sin²θ·σ_beam[dB] (the squared direction cosines of the module doc).
    let s = site();
    let up = s.vec_to_ecef(&Vec3::new(0.0, 0.0, 1.0));
    let v = s.vec_to_ecef(&Vec3::new(0.0, 250.0, 0.0));
    let mut prev = db(t.rcs_m2(f, &Aspect::from_los(&s.vec_to_ecef(&Vec3::new(0.0, -1.0, 0.0)), &v, &up)));
    for deg in 1..=90 {
        let a = f64::from(deg).to_radians();
        let l = s.vec_to_ecef(&Vec3::new(a.sin(), -a.cos(), 0.0));
        let now = db(t.rcs_m2(f, &Aspect::from_los(&l, &v, &up)));
        let want = a.cos().powi(2) * db(0.001) + a.sin().powi(2) * db(5.0);
        assert!(now > prev && (now - want).abs() < 1e-9, "{deg}°: {prev} → {now}, want {want}");
        prev = now;
    }
}

#[test]
fn a_radar_reads_the_table_at_its_frequency_and_the_target_aspect() {
    let s = site();
    let table = stealthy();
    // Target 100 km north flying south, straight at the radar: nose-on.
    let view = target(5, &s, enu(100e3, 0.0, 0.0), Vec3::new(0.0, -250.0, 0.0), 1.0, 1e3);
    let rt = RadarTarget { view, rcs_table: Some(&table), swerling: None };
    // S-band radar-equation radar (3 GHz): nose between L (0.05) and X (0.001).
    let r = Radar::new(SensorId(1), radar_equation_params(), s).unwrap();
    let want = table.rcs_m2(3e9, &r.aspect_of(&view));
    assert!((r.target_rcs_m2(&rt) / want - 1.0).abs() < 1e-12);
    let nose = r.aspect_of(&view).weight(AspectSector::Nose);
    assert!(nose > 0.999, "{nose}"); // the line of sight dips 0.45° below the target's level
    assert!(r.target_rcs_m2(&rt) < 0.05 && r.target_rcs_m2(&rt) > 0.001);
    // A reference-range radar told its frequency reads the same table.
    let r_vhf = Radar::new(SensorId(2), RadarParams { frequency_hz: Some(150e6), ..params() }, s).unwrap();
    assert!(r_vhf.target_rcs_m2(&rt) > 0.5);
    // Without a frequency the look refuses tables, by name.
    let r_nof = Radar::new(SensorId(3), params(), s).unwrap();
    let targets = [rt];
    let scene = Scene { targets: &targets, ..Scene::default() };
    let (mut d, mut n, mut fa) = streams(1);
    assert!(matches!(
        r_nof.look(SimTime::ZERO, &scene, &mut d, &mut n, &mut fa),
        Err(SensorError::InvalidParameter { name: "frequency_hz", .. })
    ));
    // The detection rate follows the table, not view.rcs_m2: at 150 MHz the nose is ~0.6 m²
    // (Pd ≈ 0.69 at 200 km), the 0.001 m² X-band nose is all but invisible to an X-band radar.
    let far = target(6, &s, enu(200e3, 0.0, 1.0), Vec3::new(0.0, -250.0, 0.0), 1.0, 8e3);
    let targets = [RadarTarget { view: far, rcs_table: Some(&table), swerling: None }];
    let scene = Scene { targets: &targets, ..Scene::default() };
    let count = |r: &Radar| {
        let (mut d, mut n, mut fa) = streams(2);
        (0..400)
            .map(|k| {
                let out = r.look(SimTime::from_nanos(k), &scene, &mut d, &mut n, &mut fa).unwrap();
                out.truth.iter().filter(|x| **x == Some(EntityId(6))).count()
            })
            .sum::<usize>()
    };
    let r_x = Radar::new(SensorId(4), RadarParams { frequency_hz: Some(10e9), ..params() }, s).unwrap();
    let (hits_vhf, hits_x) = (count(&r_vhf), count(&r_x));
    assert!(hits_vhf > 200 && hits_x < 5, "VHF {hits_vhf}, X {hits_x}");
}
