//! Detections as `bulwark track --detections` hands them to the tracker, for each example
//! tracker TOML: any values the CSV reader accepts (finite, within
//! `bulwark_tracking::config::detection_limits`, which the reader enforces with file:line:col)
//! must give tracks without a panic, a hang or runaway memory.
//!
//! Input: byte 0 picks the tracker file; then per detection one byte (sensor index in its low
//! 4 bits; bit 7 starts a new scan) and, as little-endian f64, `t_s` and the sensor kind's CSV
//! columns in the order of `needed` below. Values outside the reader's limits end the input,
//! as the reader would reject the file there.
#![no_main]
use bulwark_core::SensorId;
use bulwark_tracking::config::{
    MeasurementKind, TrackerToml, build_fusion_tracker, build_sensors, build_tracker, detection_limits,
};
use bulwark_tracking::{Detection, MultiTargetTracker, wrap_angle};
use libfuzzer_sys::fuzz_target;
use nalgebra::DVector;
use std::f64::consts::FRAC_PI_2;

const TRACKERS: [&str; 7] = [
    include_str!("../../examples/trackers/gnn-ekf-cv.toml"),
    include_str!("../../examples/trackers/fusion-2radar.toml"),
    include_str!("../../examples/trackers/gnn-sprt.toml"),
    include_str!("../../examples/trackers/imm-gnn.toml"),
    include_str!("../../examples/trackers/jipda-ukf-cv.toml"),
    include_str!("../../examples/trackers/mht-ekf-cv.toml"),
    include_str!("../../examples/trackers/radar-3d-gnn.toml"),
];

/// Most detections per input (a CSV of any length streams; this bounds one run's time).
const MAX_DETECTIONS: usize = 256;

/// The CSV columns of a sensor kind, as the CLI reads them.
fn needed(kind: MeasurementKind) -> &'static [&'static str] {
    match kind {
        MeasurementKind::BearingRange => &["bearing_rad", "range_m"],
        MeasurementKind::RangeAzEl => &["bearing_rad", "range_m", "elevation_rad"],
        MeasurementKind::RangeAzElRr => &["bearing_rad", "range_m", "elevation_rad", "range_rate_mps"],
        MeasurementKind::Cartesian => &["x_m", "y_m", "z_m"],
        MeasurementKind::AngleOnly => &["bearing_rad", "elevation_rad"],
    }
}

/// The next f64 of `data`, if it is one the reader accepts for `column`.
fn value(data: &mut &[u8], column: &str) -> Option<f64> {
    let (b, rest) = data.split_first_chunk::<8>()?;
    *data = rest;
    let v = f64::from_le_bytes(*b);
    let (lo, hi) = detection_limits(column)?;
    (v.is_finite() && (lo..=hi).contains(&v)).then_some(v)
}

/// The CSV columns as the tracker's z, with the CLI's conversions (azimuth = π/2 − bearing).
fn measurement(kind: MeasurementKind, c: &[f64]) -> Vec<f64> {
    match kind {
        MeasurementKind::BearingRange => vec![c[0], c[1]],
        MeasurementKind::RangeAzEl => vec![c[1], wrap_angle(FRAC_PI_2 - c[0]), c[2]],
        MeasurementKind::RangeAzElRr => vec![c[1], wrap_angle(FRAC_PI_2 - c[0]), c[2], c[3]],
        MeasurementKind::Cartesian => vec![c[0], c[1], c[2]],
        MeasurementKind::AngleOnly => vec![wrap_angle(FRAC_PI_2 - c[0]), c[1]],
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&pick, mut data)) = data.split_first() else { return };
    let cfg = TrackerToml::parse(TRACKERS[usize::from(pick) % TRACKERS.len()]).expect("example parses");
    let sensors = build_sensors(&cfg).expect("example sensors");
    let mut tracker: Box<dyn MultiTargetTracker> = if cfg.wants_fusion() {
        Box::new(build_fusion_tracker(&cfg).expect("example tracker"))
    } else {
        build_tracker(&cfg).expect("example tracker")
    };
    let mut batch: Vec<Detection> = Vec::new();
    let mut scan_t = f64::NEG_INFINITY;
    for _ in 0..MAX_DETECTIONS {
        let Some((&head, rest)) = data.split_first() else { break };
        data = rest;
        let sensor = &sensors[usize::from(head & 0x0F) % sensors.len()];
        let Some(t) = value(&mut data, "t_s") else { break };
        let cols: Option<Vec<f64>> = needed(sensor.kind).iter().map(|c| value(&mut data, c)).collect();
        let Some(cols) = cols else { break };
        if head & 0x80 != 0 && !batch.is_empty() {
            let _ = tracker.process_scan(scan_t, &batch);
            batch.clear();
            scan_t = f64::NEG_INFINITY;
        }
        scan_t = scan_t.max(t);
        batch.push(Detection {
            t_s: t,
            z: DVector::from_vec(measurement(sensor.kind, &cols)),
            model: sensor.model.clone(),
            sensor: SensorId(sensor.id),
        });
    }
    if !batch.is_empty() {
        let _ = tracker.process_scan(scan_t, &batch);
    }
});
