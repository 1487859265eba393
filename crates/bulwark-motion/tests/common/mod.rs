//! Shared helpers of the fly-out tests: catalog interceptors read as the engine reads them
//! (`bulwark-engine/src/setup.rs::interceptor_types`), plus the notional airframe.
#![allow(dead_code)]
use bulwark_core::Vec3;
use bulwark_geo::{EnuFrame, Geodetic};
use bulwark_motion::{Airframe, InterceptorParams, KinematicState, closest_approach_linear};
use bulwark_scenario::Catalog;

pub struct CatalogInterceptor {
    pub id: String,
    pub params: InterceptorParams,
    pub airframe: Airframe,
    pub navigation_constant: f64,
    pub lethal_radius_m: f64,
    pub seeker_range_m: Option<f64>,
    pub catalog_max_range_m: f64,
    pub mass_kg: f64,
}

pub fn catalog_interceptors() -> Vec<CatalogInterceptor> {
    let cat = Catalog::embedded().expect("embedded catalog");
    cat.interceptors
        .values()
        .map(|i| {
            let params = InterceptorParams {
                max_speed_mps: i.max_speed_mps.value,
                burn_time_s: i.burn_time_s.value,
                beta_kg_m2: i.ballistic_coefficient_kg_m2.value,
                max_lateral_accel_mps2: i.max_lateral_acceleration_mps2.value,
                max_flight_time_s: i.max_flight_time_s.value,
                max_range_m: i.max_range_m.value * 1.1,
                lateral_q_ref_pa: None,
            };
            let airframe = Airframe::from_catalog(&params, i.mass_kg.value).expect("airframe");
            CatalogInterceptor {
                id: i.id.clone(),
                params,
                airframe,
                navigation_constant: i.navigation_constant.value,
                lethal_radius_m: i.lethal_radius_m.value,
                seeker_range_m: i.seeker_acquisition_range_m.as_ref().map(|s| s.value),
                catalog_max_range_m: i.max_range_m.value,
                mass_kg: i.mass_kg.value,
            }
        })
        .collect()
}

pub fn site() -> Geodetic {
    Geodetic::from_degrees(50.0, 30.0, 200.0)
}

pub fn frame() -> EnuFrame {
    EnuFrame::new(site())
}

/// A target of constant velocity that may start a constant-acceleration manoeuvre at `t_on`.
#[derive(Copy, Clone, Debug)]
pub struct Target {
    pub p0: Vec3,
    pub v0: Vec3,
    pub acc: Vec3,
    pub t_on: f64,
}

impl Target {
    pub fn at(&self, t: f64) -> KinematicState {
        let tm = (t - self.t_on).max(0.0);
        let a = if t >= self.t_on { self.acc } else { Vec3::zeros() };
        KinematicState::with_acc(self.p0 + self.v0 * t + self.acc * (0.5 * tm * tm), self.v0 + self.acc * tm, a)
    }
}

/// Tracks the true closest approach between steps (relative motion linear over a step).
pub struct MissTracker {
    pub best: f64,
    pub t_best: f64,
}

impl MissTracker {
    pub fn new() -> Self {
        MissTracker { best: f64::INFINITY, t_best: 0.0 }
    }
    /// Relative positions (target − missile) at a step's start and end; returns true once opening.
    pub fn update(&mut self, t0: f64, dt: f64, rel0: &Vec3, rel1: &Vec3) -> bool {
        let (s, miss) = closest_approach_linear(rel0, &((rel1 - rel0) / dt), dt);
        if miss < self.best {
            self.best = miss;
            self.t_best = t0 + s;
        }
        rel1.norm() > rel0.norm() && self.best < 20_000.0
    }
}
