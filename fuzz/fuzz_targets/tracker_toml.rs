//! Any bytes given as a tracker TOML (`bulwark track --config`): a diagnostic, or a tracker
//! that then runs three scans of one detection per sensor without a panic.
#![no_main]
use bulwark_core::SensorId;
use bulwark_tracking::config::{MeasurementKind, TrackerToml, build_fusion_tracker, build_sensors, build_tracker};
use bulwark_tracking::{Detection, MultiTargetTracker};
use libfuzzer_sys::fuzz_target;
use nalgebra::DVector;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(cfg) = TrackerToml::parse(text) else { return };
    let Ok(sensors) = build_sensors(&cfg) else { return };
    let mut tracker: Box<dyn MultiTargetTracker> = if cfg.wants_fusion() {
        match build_fusion_tracker(&cfg) {
            Ok(t) => Box::new(t),
            Err(_) => return,
        }
    } else {
        match build_tracker(&cfg) {
            Ok(t) => t,
            Err(_) => return,
        }
    };
    for scan in 0..3 {
        let t = f64::from(scan);
        let dets: Vec<Detection> = sensors
            .iter()
            .map(|s| {
                let z = match s.kind {
                    MeasurementKind::BearingRange => vec![0.5, 10_000.0 + 100.0 * t],
                    MeasurementKind::RangeAzEl => vec![10_000.0 + 100.0 * t, 0.5, 0.1],
                    MeasurementKind::RangeAzElRr => vec![10_000.0 + 100.0 * t, 0.5, 0.1, 100.0],
                    MeasurementKind::Cartesian => vec![1_000.0 + 100.0 * t, 2_000.0, 500.0],
                    MeasurementKind::AngleOnly => vec![0.5, 0.1],
                };
                Detection { t_s: t, z: DVector::from_vec(z), model: s.model.clone(), sensor: SensorId(s.id) }
            })
            .collect();
        let _ = tracker.process_scan(t, &dets);
    }
});
