//! From a validated scenario to the initial world and the defence units.
use crate::EngineError;
use crate::world::{Entity, Mover, RecordedPath, Role};
use bulwark_c2::{Doctrine, InterceptorEnvelope};
use bulwark_core::{EntityId, LauncherId, PlatformClass, SensorId, SimTime, UnitId, Vec3};
use bulwark_geo::{EnuFrame, Geodetic};
use bulwark_motion::{
    BallisticMissile, BallisticParams, Flyout, InterceptorParams, Performance, Waypoint, WaypointFlight,
};
use bulwark_scenario::{Catalog, CivilPath, Platform, Scenario, ThreatRoute};
use bulwark_sensors::{DetectorKind, IffInterrogator, IffParams, Radar, RadarParams, Transponder};
use std::collections::BTreeMap;

/// Ballistic coefficient of a short-range ballistic missile body when the catalog gives
/// none (kg/m²): Zarchan, *Tactical and Strategic Missile Guidance*, 6th ed., ch. 30 works
/// tactical ballistic targets at β = 500–1000 lb/ft² (≈ 2 400–4 900 kg/m²); we take the
/// heavy end, a warhead-carrying body.
pub const SRBM_BETA_KG_M2: f64 = 5_000.0;
/// Waypoint capture radius (m): a waypoint counts as passed within this distance.
const CAPTURE_RADIUS_M: f64 = 500.0;
/// Default Mode 3/A code of a civil flight without one: 2000 (IFR, no code assigned).
const DEFAULT_SQUAWK: u16 = 0o2000;

fn input(msg: impl Into<String>) -> EngineError {
    EngineError::Input(msg.into())
}

fn performance(p: &Platform) -> Performance {
    Performance {
        max_load_factor: p.max_load_factor.value,
        max_climb_rate_mps: p.max_climb_rate_mps.value,
        max_accel_mps2: p.max_acceleration_mps2.value,
        min_speed_mps: p.min_speed_mps.value,
        max_speed_mps: p.max_speed_mps.value,
        ceiling_m: p.ceiling_m.value,
    }
}

fn transponder(p: &Platform, squawk: Option<u16>, address: Option<u32>) -> Transponder {
    match p.transponder {
        bulwark_scenario::Transponder::None => Transponder::None,
        bulwark_scenario::Transponder::Mode5 => Transponder::Mode5,
        bulwark_scenario::Transponder::Civil => {
            Transponder::Civil { squawk: squawk.unwrap_or(DEFAULT_SQUAWK), address }
        }
    }
}

fn route(points: &[bulwark_scenario::Waypoint]) -> Vec<Waypoint> {
    points.iter().map(|w| Waypoint::new(w.position, w.speed_mps)).collect()
}

fn entity(id: u32, name: String, p: &Platform, role: Role, spawn_at: SimTime, mover: Mover, tx: Transponder) -> Entity {
    let pos = mover.position_ecef();
    let vel = mover.velocity_ecef();
    Entity {
        id: EntityId(id),
        name,
        class: p.class,
        type_id: p.id.clone(),
        role,
        rcs_m2: p.reference_rcs_m2(),
        transponder: tx,
        spawn_at,
        spawned: false,
        alive: true,
        mover,
        prev_pos: pos,
        pos,
        vel,
        interceptor: None,
    }
}

/// Every threat and civil flight of the scenario, ids in file order.
pub fn entities(scenario: &Scenario) -> Result<Vec<Entity>, EngineError> {
    let cat = &scenario.catalog;
    let mut out = Vec::new();
    for (gi, g) in scenario.threats.iter().enumerate() {
        let p = cat.platform(&g.type_id).ok_or_else(|| input(format!("unknown platform {}", g.type_id)))?;
        for k in 0..g.count {
            let id = out.len() as u32;
            let start = g.start + bulwark_core::SimDuration::from_nanos(g.spacing.as_nanos() * i64::from(k));
            let label = if g.name.is_empty() { g.type_id.clone() } else { g.name.clone() };
            let name = format!("{label} #{}", k + 1);
            let mover = match &g.route {
                ThreatRoute::Waypoints(points) => {
                    let offset = (f64::from(k) - f64::from(g.count - 1) / 2.0) * g.lateral_spacing_m;
                    let flight = WaypointFlight::new(&route(points), performance(p), offset, CAPTURE_RADIUS_M)
                        .map_err(|e| input(format!("threat group `{label}`: {e}")))?;
                    Mover::Waypoints(Box::new(flight))
                }
                ThreatRoute::Ballistic { launch, aim, loft_rad } => {
                    let b = p.ballistic.as_ref().ok_or_else(|| input(format!("{} is not ballistic", p.id)))?;
                    let params = BallisticParams {
                        beta_kg_m2: SRBM_BETA_KG_M2,
                        loft_rad: *loft_rad,
                        max_range_m: b.max_range_m.value,
                        burn_time_s: b.burn_time_s.value,
                    };
                    let m = BallisticMissile::solve(*launch, *aim, params)
                        .map_err(|e| input(format!("threat group `{label}`: {e}")))?;
                    Mover::Ballistic(Box::new(m))
                }
            };
            let role = if p.transponder == bulwark_scenario::Transponder::Mode5 {
                Role::Friendly
            } else {
                Role::Threat { group: gi }
            };
            out.push(entity(id, name, p, role, start, mover, transponder(p, None, None)));
        }
    }
    for c in &scenario.civil {
        let p = cat.platform(&c.type_id).ok_or_else(|| input(format!("unknown platform {}", c.type_id)))?;
        let id = out.len() as u32;
        let (mover, start) = match &c.path {
            CivilPath::Route(points) => {
                let f = WaypointFlight::new(&route(points), performance(p), 0.0, CAPTURE_RADIUS_M)
                    .map_err(|e| input(format!("civil flight {}: {e}", c.callsign)))?;
                (Mover::Waypoints(Box::new(f)), c.start)
            }
            CivilPath::Recorded(samples) => {
                let r = RecordedPath::new(samples);
                let start = r.start_time().max(c.start);
                (Mover::Recorded(r), start)
            }
        };
        let role = if p.class == PlatformClass::Airliner || p.transponder == bulwark_scenario::Transponder::Civil {
            Role::Civil
        } else {
            Role::Friendly
        };
        let address = Some(0x40_0000 + id);
        out.push(entity(id, c.callsign.clone(), p, role, start, mover, transponder(p, c.squawk, address)));
    }
    Ok(out)
}

/// A radar of a unit, with its schedule.
pub struct UnitRadar {
    pub radar: Radar,
    pub next_scan: SimTime,
    pub fire_channels: u32,
    /// The track-picture sensor pose: antenna position in the scenario ENU frame and the
    /// rotation from the scenario ENU axes to the radar's own.
    pub pose_position: Vec3,
    pub pose_rotation: bulwark_core::Mat3,
}

/// A launcher of a unit.
pub struct UnitLauncher {
    pub id: LauncherId,
    pub site: Geodetic,
    pub position_enu: Vec3,
    pub stock: BTreeMap<String, u32>,
    pub ready_at: SimTime,
}

/// What the engine needs of an interceptor type.
pub struct InterceptorType {
    pub params: InterceptorParams,
    pub navigation_constant: f64,
    pub seeker_range_m: Option<f64>,
    pub seeker_sigma_rad: f64,
    pub lethal_radius_m: f64,
    pub single_shot_pk: f64,
    pub envelope: InterceptorEnvelope,
}

/// The static parts of a defence unit.
pub struct UnitSetup {
    pub id: UnitId,
    pub name: String,
    pub site: Geodetic,
    pub radars: Vec<UnitRadar>,
    /// The interrogator and the index of the radar it is slaved to.
    pub iff: Option<(IffInterrogator, usize)>,
    pub launchers: Vec<UnitLauncher>,
    pub doctrine: Doctrine,
    pub loaded: BTreeMap<String, u32>,
}

/// Interceptor types of the catalog, keyed by id, with their planning envelopes. Ranked
/// by maximum range: the shortest-range type that can engage is preferred (layered defence).
pub fn interceptor_types(cat: &Catalog) -> Result<BTreeMap<String, InterceptorType>, EngineError> {
    let mut ranked: Vec<_> = cat.interceptors.values().collect();
    ranked.sort_by(|a, b| a.max_range_m.value.total_cmp(&b.max_range_m.value).then(a.id.cmp(&b.id)));
    let mut out = BTreeMap::new();
    for (rank, i) in ranked.into_iter().enumerate() {
        let params = InterceptorParams {
            max_speed_mps: i.max_speed_mps.value,
            burn_time_s: i.burn_time_s.value,
            beta_kg_m2: i.ballistic_coefficient_kg_m2.value,
            max_lateral_accel_mps2: i.max_lateral_acceleration_mps2.value,
            max_flight_time_s: i.max_flight_time_s.value,
            max_range_m: i.max_range_m.value * 1.1,
            lateral_q_ref_pa: None,
        };
        // Planning speed: the exact level fly-out at 5 km over half the maximum range.
        let flyout = Flyout::new(params, 5_000.0).map_err(|e| input(format!("interceptor {}: {e}", i.id)))?;
        let avg = flyout.average_speed(0.5 * i.max_range_m.value).unwrap_or(0.5 * i.max_speed_mps.value);
        let envelope = InterceptorEnvelope {
            type_id: i.id.clone(),
            min_range_m: i.min_range_m.value,
            max_range_m: i.max_range_m.value,
            min_altitude_m: i.min_altitude_m.value,
            max_altitude_m: i.max_altitude_m.value,
            max_target_speed_mps: i.max_target_speed_mps.value,
            average_speed_mps: avg,
            max_flight_time_s: i.max_flight_time_s.value,
            rank: rank as u32,
        };
        out.insert(
            i.id.clone(),
            InterceptorType {
                params,
                navigation_constant: i.navigation_constant.value,
                seeker_range_m: i.seeker_acquisition_range_m.as_ref().map(|s| s.value),
                seeker_sigma_rad: i.seeker_sigma_angle_rad.as_ref().map(|s| s.value).unwrap_or(0.002),
                lethal_radius_m: i.lethal_radius_m.value,
                single_shot_pk: i.single_shot_pk.value,
                envelope,
            },
        );
    }
    Ok(out)
}

/// The sensor model's parameters of catalog radar `r` with its sector centred on `facing_rad`
/// (rad clockwise from north). Public for the calculators (`bulwark radar range`, `bulwark coverage`).
pub fn radar_params(r: &bulwark_scenario::Radar, facing_rad: f64) -> Result<RadarParams, EngineError> {
    // One detection anchor for either catalog description (reference point or radar equation).
    let anchor = r.detection_anchor().ok_or_else(|| {
        input(format!("radar {}: non-coherent pulse integration of a radar-equation radar is not modelled", r.id))
    })?;
    Ok(RadarParams {
        reference_range_m: anchor.range_m,
        reference_rcs_m2: anchor.rcs_m2,
        reference_pd: anchor.pd,
        pfa: r.pfa.value,
        min_range_m: r.min_range_m.value,
        instrumented_range_m: r.instrumented_range_m.value,
        azimuth_centre_rad: facing_rad,
        azimuth_width_rad: r.azimuth_sector_rad.value,
        min_elevation_rad: r.min_elevation_rad.value,
        max_elevation_rad: r.max_elevation_rad.value,
        revisit_time_s: r.revisit_time_s.value,
        range_resolution_m: r.range_resolution_m.value,
        beamwidth_az_rad: r.beamwidth_azimuth_rad.value,
        beamwidth_el_rad: r.beamwidth_elevation_rad.value,
        sigma_range_m: r.sigma_range_m.value,
        sigma_azimuth_rad: r.sigma_azimuth_rad.value,
        sigma_elevation_rad: r.sigma_elevation_rad.value,
        sigma_range_rate_mps: r.sigma_range_rate_mps.as_ref().map(|s| s.value),
        antenna_height_m: r.antenna_height_m.value,
        detector: DetectorKind::Swerling1SinglePulse,
        frequency_hz: None,
        radar_equation: None,
        min_radial_speed_mps: None,
        bias: bulwark_sensors::MeasurementBias::default(),
        jamming: bulwark_sensors::JammingResponse::default(),
    })
}

/// Offset a geodetic site by an ENU vector (m).
fn offset(site: &Geodetic, enu: &Vec3) -> Geodetic {
    Geodetic::from_ecef(&EnuFrame::new(*site).to_ecef(enu))
}

/// Build every defence unit: sensors, launchers, doctrine. Sensor and launcher ids are
/// global and in file order.
pub fn units(scenario: &Scenario, frame: &EnuFrame) -> Result<Vec<UnitSetup>, EngineError> {
    let cat = &scenario.catalog;
    let mut units = Vec::new();
    let mut next_sensor = 1u32;
    let mut next_launcher = 1u32;
    for (ui, d) in scenario.defences.iter().enumerate() {
        let system = cat.system(&d.system).ok_or_else(|| input(format!("unknown system {}", d.system)))?;
        let mut radars = Vec::new();
        let mut iff = None;
        for pr in &d.radars {
            let r = cat.radar(&pr.type_id).ok_or_else(|| input(format!("unknown radar {}", pr.type_id)))?;
            let params = radar_params(r, d.facing_rad)?;
            // The antenna stands at the offset plus its mast height above the site.
            let antenna_height_m = params.antenna_height_m;
            let antenna_offset = pr.offset_enu + Vec3::new(0.0, 0.0, antenna_height_m);
            let antenna = offset(&d.site, &antenna_offset);
            let site_frame = EnuFrame::new(antenna);
            let id = SensorId(next_sensor);
            next_sensor += 1;
            let radar = Radar::new(id, params, site_frame)
                .map_err(|e| input(format!("radar {} of {}: {e}", pr.type_id, d.name)))?;
            if let (None, Some(range)) = (&iff, &r.iff_range_m) {
                let iff_params = IffParams {
                    range_m: range.value,
                    reply_probability: 0.98,
                    sigma_range_m: 30.0,
                    sigma_azimuth_rad: 0.1f64.to_radians(),
                    antenna_height_m,
                };
                let interrogator = IffInterrogator::new(SensorId(next_sensor), site_frame, iff_params)
                    .map_err(|e| input(format!("IFF of {}: {e}", d.name)))?;
                next_sensor += 1;
                iff = Some((interrogator, radars.len()));
            }
            radars.push(UnitRadar {
                radar,
                // Stagger first scans by sensor id so radars do not all look at t = 0.
                next_scan: SimTime::from_nanos(i64::from(id.0) * 100_000_000),
                fire_channels: r.fire_channels.as_ref().map(|f| f.value).unwrap_or(0),
                pose_position: frame.to_enu(&site_frame.origin_ecef()),
                pose_rotation: frame.rotation_to(&site_frame),
            });
        }
        let mut launchers = Vec::new();
        let mut loaded = BTreeMap::new();
        for pl in &d.launchers {
            cat.launcher(&pl.type_id).ok_or_else(|| input(format!("unknown launcher {}", pl.type_id)))?;
            let site = offset(&d.site, &pl.offset_enu);
            for (k, n) in &pl.missiles {
                *loaded.entry(k.clone()).or_insert(0) += *n;
            }
            launchers.push(UnitLauncher {
                id: LauncherId(next_launcher),
                site,
                position_enu: frame.geodetic_to_enu(&site),
                stock: pl.missiles.clone(),
                ready_at: SimTime::ZERO,
            });
            next_launcher += 1;
        }
        let channels: u32 = radars.iter().map(|r| r.fire_channels).sum();
        let doctrine = Doctrine {
            reaction_time_s: system.reaction_time_s.value,
            fire_channels: channels.min(system.max_engaged_targets.value).max(1),
            max_guided_missiles: system.max_guided_missiles.value,
            ..Doctrine::default()
        };
        units.push(UnitSetup {
            id: UnitId(ui as u32 + 1),
            name: d.name.clone(),
            site: d.site,
            radars,
            iff,
            launchers,
            doctrine,
            loaded,
        });
    }
    Ok(units)
}
