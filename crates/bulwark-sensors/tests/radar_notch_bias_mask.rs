//! The Doppler notch, fixed measurement biases and the terrain-masking hook of a radar look.
mod common;

use bulwark_core::{EntityId, SensorId, SimTime, Vec3};
use bulwark_geo::Geodetic;
use bulwark_sensors::geometry::wrap_pi;
use bulwark_sensors::{
    JammerView, LineOfSight, LineOfSightMask, MeasurementBias, NoiseJammer, Radar, RadarParams, RadarTarget, Scene,
    SensorError,
};
use common::{enu, mean_std, params, radar_equation_params, site, streams, target};
use std::cell::Cell;

fn count(r: &Radar, ts: &[bulwark_sensors::TargetView], id: u32, looks: i64) -> usize {
    let (mut d, mut n, mut f) = streams(7);
    (0..looks)
        .map(|k| {
            let out = r.scan(SimTime::from_nanos(k), ts, &mut d, &mut n, &mut f);
            out.truth.iter().filter(|x| **x == Some(EntityId(id))).count()
        })
        .sum()
}

#[test]
fn the_doppler_notch_blinds_the_radar_to_low_radial_speeds() {
    let s = site();
    let r = Radar::new(SensorId(1), RadarParams { min_radial_speed_mps: Some(30.0), ..params() }, s).unwrap();
    // 80 km north, 10 m² (SNR ≈ 3.8e3: Pd ≈ 0.996 outside the notch).
    let at = |id: u32, v_enu: Vec3| target(id, &s, enu(80e3, 0.0, 2.0), v_enu, 10.0, 4e3);
    let crossing = at(1, Vec3::new(250.0, 0.0, 0.0));
    let inbound = at(2, Vec3::new(0.0, -250.0, 0.0));
    let radial =
        |t: &bulwark_sensors::TargetView| LineOfSight::new(&s, &t.position_ecef, &t.velocity_ecef).range_rate_mps;
    assert!(radial(&crossing).abs() < 1.0 && radial(&inbound) < -240.0);
    assert_eq!(count(&r, &[crossing], 1, 300), 0);
    assert!(count(&r, &[inbound], 2, 300) > 290);
    // The edge: |Ṙ| = 29 m/s is blind, 31 m/s is seen (the speed is scaled so that Ṙ, the
    // projection on the line of sight 2° up, lands exactly there).
    let n_for = |rr: f64| {
        let t = at(3, Vec3::new(0.0, rr, 0.0));
        let k = radial(&t) / rr;
        at(3, Vec3::new(0.0, rr / k, 0.0))
    };
    assert!((radial(&n_for(29.0)) - 29.0).abs() < 1e-3);
    assert_eq!(count(&r, &[n_for(29.0)], 3, 100), 0);
    assert!(count(&r, &[n_for(-31.0)], 3, 100) > 95);
    // A notched target takes no detection draw: the other targets' results are unchanged.
    let other = target(4, &s, enu(150e3, 120.0, 1.0), Vec3::new(0.0, 300.0, 0.0), 1.0, 8e3);
    let look = |ts: &[bulwark_sensors::TargetView]| {
        let (mut d, mut n, mut f) = streams(19);
        r.scan(SimTime::ZERO, ts, &mut d, &mut n, &mut f)
    };
    assert_eq!(look(&[crossing, other]), look(&[other]));
    // Without a notch the crossing target is seen.
    assert!(count(&Radar::new(SensorId(1), params(), s).unwrap(), &[crossing], 1, 100) > 95);
}

#[test]
fn biases_shift_every_measurement_and_leave_the_reported_sigma_random() {
    let s = site();
    let bias = MeasurementBias { range_m: 75.0, azimuth_rad: 0.3f64.to_radians(), elevation_rad: -0.2f64.to_radians() };
    let biased = Radar::new(SensorId(1), RadarParams { bias, ..params() }, s).unwrap();
    let plain = Radar::new(SensorId(1), params(), s).unwrap();
    let t = target(9, &s, enu(100e3, 359.9, 5.0), Vec3::new(100.0, 0.0, 0.0), 10.0, 10e3);
    let los = LineOfSight::new(&s, &t.position_ecef, &t.velocity_ecef);
    let (mut d, mut n, mut f) = streams(17);
    let (mut er, mut ea, mut ee) = (vec![], vec![], vec![]);
    let mut sig = None;
    for k in 0..20_000 {
        let out = biased.scan(SimTime::from_nanos(k), &[t], &mut d, &mut n, &mut f);
        for (pl, lab) in out.plots.iter().zip(&out.truth) {
            if *lab == Some(EntityId(9)) {
                er.push(pl.range_m - los.rae.range_m);
                ea.push(wrap_pi(pl.azimuth_rad - los.rae.azimuth_rad)); // wraps across north
                ee.push(pl.elevation_rad - los.rae.elevation_rad);
                sig = Some((pl.sigma_range_m, pl.sigma_azimuth_rad, pl.sigma_elevation_rad));
            }
        }
    }
    let (sr, sa, se) = sig.unwrap();
    let want = plain.params().measurement_sigmas(plain.snr(los.rae.range_m, 10.0));
    assert_eq!((sr, sa, se), (want.range_m, want.azimuth_rad, want.elevation_rad), "σ is the random part only");
    let nn = er.len() as f64;
    for (name, x, b, sd_rep) in [
        ("range", &er, bias.range_m, sr),
        ("azimuth", &ea, bias.azimuth_rad, sa),
        ("elevation", &ee, bias.elevation_rad, se),
    ] {
        let (m, sd) = mean_std(x);
        assert!((m - b).abs() < 5.0 * sd_rep / nn.sqrt(), "{name}: mean error {m}, bias {b}");
        assert!((sd / sd_rep - 1.0).abs() < 5.0 / (2.0 * nn).sqrt(), "{name}: σ {sd} vs {sd_rep}");
    }
    let bad = RadarParams { bias: MeasurementBias { azimuth_rad: f64::NAN, ..bias }, ..params() };
    assert!(matches!(
        Radar::new(SensorId(1), bad, s),
        Err(SensorError::InvalidParameter { name: "bias_azimuth_rad", .. })
    ));
}

/// Masks everything east of the site's meridian; records what it was asked.
struct EastMask {
    lon_rad: f64,
    calls: Cell<usize>,
    radar_seen: Cell<Option<Geodetic>>,
}

impl LineOfSightMask for EastMask {
    fn visible(&self, radar: &Geodetic, target: &Geodetic) -> bool {
        self.calls.set(self.calls.get() + 1);
        self.radar_seen.set(Some(*radar));
        target.lon_rad <= self.lon_rad
    }
}

#[test]
fn the_mask_hides_targets_and_jammers_it_blocks() {
    let s = site();
    let r = Radar::new(SensorId(1), radar_equation_params(), s).unwrap();
    let mask = EastMask { lon_rad: s.origin().lon_rad, calls: Cell::new(0), radar_seen: Cell::new(None) };
    let east = target(1, &s, enu(40e3, 90.0, 2.0), Vec3::new(0.0, 250.0, 0.0), 10.0, 2e3);
    let west = target(2, &s, enu(40e3, 270.0, 2.0), Vec3::new(0.0, 250.0, 0.0), 10.0, 2e3);
    let targets = [RadarTarget::from(east), RadarTarget::from(west)];
    let jam = NoiseJammer::new(1.0, 10e6, 0.0).unwrap();
    let jammers = [
        JammerView {
            entity: EntityId(10),
            position_ecef: s.to_ecef(&enu(150e3, 80.0, 2.0)),
            altitude_m: 6e3,
            jammer: jam,
        },
        JammerView {
            entity: EntityId(11),
            position_ecef: s.to_ecef(&enu(150e3, 280.0, 2.0)),
            altitude_m: 6e3,
            jammer: jam,
        },
    ];
    let scene = Scene { targets: &targets, jammers: &jammers, mask: Some(&mask) };
    let (mut d, mut n, mut f) = streams(3);
    let mut seen = [0, 0];
    for k in 0..100 {
        let out = r.look(SimTime::from_nanos(k), &scene, &mut d, &mut n, &mut f).unwrap();
        seen[0] += out.truth.iter().filter(|x| **x == Some(EntityId(1))).count();
        seen[1] += out.truth.iter().filter(|x| **x == Some(EntityId(2))).count();
        assert_eq!(out.strobe_truth, vec![EntityId(11)], "only the unmasked jammer strobes");
    }
    assert_eq!(seen[0], 0);
    assert!(seen[1] > 95, "{seen:?}");
    assert_eq!(mask.radar_seen.get(), Some(s.origin()), "the mask is asked from the antenna position");
    assert_eq!(mask.calls.get(), 100 * 4);
    // Without the mask the east target is seen too.
    let scene = Scene { mask: None, ..scene };
    let out = r.look(SimTime::ZERO, &scene, &mut d, &mut n, &mut f).unwrap();
    assert!(out.truth.contains(&Some(EntityId(1))));
    assert_eq!(out.strobe_truth.len(), 2);
}

#[test]
fn new_parameters_are_checked_by_name() {
    let s = site();
    let cases = [
        ("min_radial_speed_mps", RadarParams { min_radial_speed_mps: Some(-1.0), ..params() }),
        ("frequency_hz", RadarParams { frequency_hz: Some(0.0), ..params() }),
        (
            "bias_range_m",
            RadarParams { bias: MeasurementBias { range_m: f64::INFINITY, ..Default::default() }, ..params() },
        ),
    ];
    for (name, p) in cases {
        match Radar::new(SensorId(1), p, s) {
            Err(SensorError::InvalidParameter { name: got, .. }) => assert_eq!(got, name),
            Ok(_) => panic!("{name} accepted"),
        }
    }
}
