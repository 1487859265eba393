//! Seeded benchmark scenario shared by the `scaling` bench and the `core_*` tests
//! (`#[path]`-included, so there is one copy).
//!
//! One 2-D radar at the origin measuring bearing (σ 0.2°) and range (σ 50 m)
//! ([`BearingRange2D`]), P_D = 0.9, one scan per second; targets nearly constant velocity
//! (CWNA, q = 1 m²/s³), starting 10–90 km from the radar (uniform in area) with speed
//! 150–300 m/s in a random direction; Poisson clutter uniform over [−100 km, 100 km]².
//! `scale` multiplies every distance (ring radii and clutter box), so the target density can
//! be held fixed as the number of targets grows.
#![allow(dead_code)]
use bulwark_core::{RngStream, RngStreams, SensorId, StreamPurpose};
use bulwark_tracking::{BearingRange2D, Detection, Gate, MeasurementModel, StateVector, TrackLogic, TrackerConfig};
use nalgebra::DVector;
use std::sync::Arc;

/// Parameters of [`Scenario`].
#[derive(Clone, Debug)]
pub struct ScenarioConfig {
    pub n_targets: usize,
    /// Mean number of clutter detections per scan.
    pub clutter_per_scan: f64,
    pub pd: f64,
    pub sigma_bearing_rad: f64,
    pub sigma_range_m: f64,
    /// Multiplies the 10–90 km ring and the ±100 km clutter box.
    pub scale: f64,
    /// Process noise spectral density of the truth, m²/s³.
    pub q: f64,
    /// Scan period, s.
    pub dt: f64,
    pub seed: u64,
}

impl ScenarioConfig {
    /// The benchmark case with `n_targets` and `clutter_per_scan`.
    pub fn benchmark(n_targets: usize, clutter_per_scan: f64) -> Self {
        Self {
            n_targets,
            clutter_per_scan,
            pd: 0.9,
            sigma_bearing_rad: 0.2f64.to_radians(),
            sigma_range_m: 50.0,
            scale: 1.0,
            q: 1.0,
            dt: 1.0,
            seed: 2024,
        }
    }
}

/// The tracker of the benchmark: EKF, CV q = 1, gate d ≤ 3 (d² ≤ 9), GNN, confirmation
/// after 3 hits in a row (3-of-3), deletion after 3 misses, σᵥ = 300 m/s.
pub fn benchmark_tracker_config() -> TrackerConfig {
    TrackerConfig {
        gate: Gate::Mahalanobis(3.0),
        confirm_m: 3,
        confirm_n: 3,
        delete_misses: 3,
        init_velocity_sigma_mps: 300.0,
        logic: TrackLogic::MofN,
        ..TrackerConfig::constant_velocity(1.0)
    }
}

/// Truth and detections, scan by scan.
pub struct Scenario {
    pub cfg: ScenarioConfig,
    pub model: Arc<dyn MeasurementModel>,
    pub truths: Vec<StateVector>,
    pub t: f64,
    motion: RngStream,
    detect: RngStream,
    noise: RngStream,
    clutter: RngStream,
}

impl Scenario {
    pub fn new(cfg: ScenarioConfig) -> Self {
        let streams = RngStreams::new(cfg.seed, 0);
        let mut init = streams.stream(1, StreamPurpose::Scenario);
        let (r0, r1) = (10e3 * cfg.scale, 90e3 * cfg.scale);
        let truths = (0..cfg.n_targets)
            .map(|_| {
                // Uniform in the annulus' area.
                let r = (r0 * r0 + init.uniform() * (r1 * r1 - r0 * r0)).sqrt();
                let a = init.uniform_range(-std::f64::consts::PI, std::f64::consts::PI);
                let v = init.uniform_range(150.0, 300.0);
                let h = init.uniform_range(-std::f64::consts::PI, std::f64::consts::PI);
                StateVector::new(r * a.cos(), r * a.sin(), 0.0, v * h.cos(), v * h.sin(), 0.0)
            })
            .collect();
        let model: Arc<dyn MeasurementModel> =
            Arc::new(BearingRange2D::new([0.0, 0.0], cfg.sigma_bearing_rad, cfg.sigma_range_m).unwrap());
        Self {
            model,
            truths,
            t: 0.0,
            motion: streams.stream(2, StreamPurpose::Dispersion),
            detect: streams.stream(3, StreamPurpose::Detection),
            noise: streams.stream(4, StreamPurpose::MeasurementNoise),
            clutter: streams.stream(5, StreamPurpose::FalseAlarm),
            cfg,
        }
    }

    /// The detections of the scan at the current time `self.t` (targets first, in target
    /// order, then clutter), after which truth moves on by `dt`.
    pub fn next_scan(&mut self) -> (f64, Vec<Detection>) {
        let t = self.t;
        let mut dets = Vec::with_capacity(self.truths.len() + self.cfg.clutter_per_scan as usize + 8);
        let (sb, sr) = (self.cfg.sigma_bearing_rad, self.cfg.sigma_range_m);
        for x in &self.truths {
            if !self.detect.bernoulli(self.cfg.pd) {
                continue;
            }
            let mut z = self.model.function(x);
            z[0] = bulwark_tracking::wrap_angle(z[0] + sb * self.noise.normal());
            z[1] += sr * self.noise.normal();
            dets.push(Detection { t_s: t, z, model: self.model.clone(), sensor: SensorId(1) });
        }
        let half = 100e3 * self.cfg.scale;
        for _ in 0..self.clutter.poisson(self.cfg.clutter_per_scan) {
            let (x, y) = (self.clutter.uniform_range(-half, half), self.clutter.uniform_range(-half, half));
            let z = DVector::from_vec(vec![y.atan2(x), x.hypot(y)]);
            dets.push(Detection { t_s: t, z, model: self.model.clone(), sensor: SensorId(1) });
        }
        self.advance();
        (t, dets)
    }

    /// Moves truth by one scan period: exact discrete CWNA per axis (Bar-Shalom et al. 2001, §6.2.2).
    fn advance(&mut self) {
        let (dt, q) = (self.cfg.dt, self.cfg.q);
        // Cholesky of q [[dt³/3, dt²/2], [dt²/2, dt]].
        let l11 = (q * dt * dt * dt / 3.0).sqrt();
        let l21 = q * dt * dt / 2.0 / l11;
        let l22 = (q * dt - l21 * l21).max(0.0).sqrt();
        for x in &mut self.truths {
            for axis in 0..2 {
                let (a, b) = (self.motion.normal(), self.motion.normal());
                x[axis] += dt * x[axis + 3] + l11 * a;
                x[axis + 3] += l21 * a + l22 * b;
            }
        }
        self.t += dt;
    }
}
