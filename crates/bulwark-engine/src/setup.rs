//! From a validated scenario to the initial world and the defence units.
use crate::EngineError;
use crate::world::{Entity, Mover, RecordedPath, Role};
use bulwark_c2::engage::DEFAULT_MAX_LEAD_ANGLE_RAD;
use bulwark_c2::{
    Airspace, CivilRoute, DeclarationRules, Doctrine, FlightPlan, Flyout, FlyoutTable, ImpactParams,
    InterceptorEnvelope, ThreatParams, TrackNeed, default_zones,
};
use bulwark_core::{
    EntityId, LauncherId, ModeSet, RngStreams, SensorId, SimDuration, SimTime, StreamPurpose, TransponderFit,
    TransponderMode, UnitId, Vec3,
};
use bulwark_geo::{EnuFrame, Geodetic};
use bulwark_motion::guidance::loft_ratio_for_max_range;
use bulwark_motion::seeker::DEFAULT_FIELD_OF_REGARD_RAD;
use bulwark_motion::{
    Airframe, AugmentedPn, BallisticMissile, BallisticParams, Flyout as SpeedProgram, GaussianKill, GuidanceLaw,
    HitToKill, Interceptor, InterceptorParams, KillFunction, KinematicState, LoftedPn, MotionError, Performance,
    ProportionalNavigation, Seeker, SeekerKind, Waypoint, WaypointFlight, closest_approach, launch_direction,
};
use bulwark_scenario::catalog::DEFAULT_TRACK_PROCESS_NOISE;
use bulwark_scenario::{
    Aspect as CatAspect, Band as CatBand, Catalog, CivilPath, Guidance, Integration, LaunchTrack, Noise, Platform,
    RadarRole, Scenario, Sensitivity, Swerling, ThreatRoute,
};
use bulwark_sensors::snr::{BOLTZMANN, SPEED_OF_LIGHT, T0_K};
use bulwark_sensors::{
    AspectSector, Band as SensorBand, DEFAULT_INTERROGATOR_MODES, Detector, IffInterrogator, IffParams,
    Integration as SnrIntegration, JammingResponse, MeasurementBias, NoiseBandwidth, NoiseJammer, Radar,
    RadarEquationParams, RadarEquationSnr, RadarParams, RcsTable, ReferenceRangeSnr, Scheduler, SwerlingCase,
    SwerlingDetector, SystemNoise, TimeBudget, Transponder,
};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, OnceLock};
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

/// What a `[[friendly]]` fit answers: every mode of its fit (each interrogator reads those it
/// shares), with its code and Mode S address (`address` unless the fit has its own). A failed
/// set answers nothing.
fn fitted(fit: &TransponderFit, failed: bool, address: u32) -> Transponder {
    if failed || fit.modes.is_empty() {
        return Transponder::None;
    }
    let address = fit.has(TransponderMode::ModeS).then(|| fit.address.unwrap_or(address));
    Transponder::Fit { modes: fit.mode_set(), squawk: fit.squawk.unwrap_or(DEFAULT_SQUAWK), address }
}

fn route(points: &[bulwark_scenario::Waypoint]) -> Vec<Waypoint> {
    points.iter().map(|w| Waypoint::new(w.position, w.speed_mps)).collect()
}

/// The modes a transponder answers, as `TransponderFit::describe` writes them.
fn fit_of(t: &Transponder) -> String {
    match t {
        Transponder::None => "none".into(),
        Transponder::Mode5 => "mode5".into(),
        Transponder::Civil { address: Some(_), .. } => "mode3a+modec+modes".into(),
        Transponder::Civil { address: None, .. } => "mode3a+modec".into(),
        Transponder::Fit { modes, .. } => modes.describe(),
    }
}

/// What [`entity`] needs besides the platform: its role, start, motion and transponder.
struct Spawn {
    role: Role,
    spawn_at: SimTime,
    mover: Mover,
    tx: Transponder,
}

fn entity(id: u32, name: String, p: &Platform, signature: Option<Arc<Signature>>, s: Spawn) -> Entity {
    let Spawn { role, spawn_at, mover, tx } = s;
    let pos = mover.position_ecef();
    let vel = mover.velocity_ecef();
    Entity {
        id: EntityId(id),
        name,
        class: p.class,
        type_id: p.id.clone(),
        role,
        rcs_m2: p.reference_rcs_m2(),
        signature,
        transponder_fit: fit_of(&tx),
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

/// Every threat, friendly and civil flight of the scenario, ids in that order (each section in
/// file order). Whether a friendly's transponder has failed is drawn once per aircraft from its
/// own stream of `rng`.
pub fn entities(scenario: &Scenario, rng: &RngStreams) -> Result<Vec<Entity>, EngineError> {
    let cat = &scenario.catalog;
    let sigs = signatures(cat)?;
    let mut out = Vec::new();
    for (gi, g) in scenario.threats.iter().enumerate() {
        let p = cat.platform(&g.type_id).ok_or_else(|| input(format!("unknown platform {}", g.type_id)))?;
        // Every missile of a ballistic group flies the same launch → aim solution: solved
        // once (≈ 58 ms) and copied, so a 100,000-missile group does not spend 1.6 h in set-up.
        let mut solved: Option<BallisticMissile> = None;
        for k in 0..g.count {
            let id = out.len() as u32;
            let start = g.start + bulwark_core::SimDuration::from_nanos(g.spacing.as_nanos() * i64::from(k));
            let label = if g.name.is_empty() { g.type_id.clone() } else { g.name.clone() };
            let name = format!("{label} #{}", k + 1);
            let mover = match &g.route {
                ThreatRoute::Waypoints(points) => {
                    let offset = (f64::from(k) - f64::from(g.count - 1) / 2.0) * g.lateral_spacing_m;
                    let flight = WaypointFlight::new(&route(points), performance(p), offset, CAPTURE_RADIUS_M)
                        .map_err(|e| input(g.at.with_message(format!("threat group `{label}`: {e}")).to_string()))?;
                    Mover::Waypoints(Box::new(flight))
                }
                ThreatRoute::Ballistic { launch, aim, loft_rad } => {
                    let b = p.ballistic.as_ref().ok_or_else(|| input(format!("{} is not ballistic", p.id)))?;
                    let params = BallisticParams {
                        beta_kg_m2: b.ballistic_coefficient_kg_m2.value,
                        loft_rad: *loft_rad,
                        max_range_m: b.max_range_m.value,
                        burn_time_s: b.burn_time_s.value,
                    };
                    let m = match &solved {
                        Some(m) => m.clone(),
                        None => BallisticMissile::solve(*launch, *aim, params).map_err(|e| {
                            input(g.at.with_message(format!("threat group `{label}`: {e}")).to_string())
                        })?,
                    };
                    solved.get_or_insert_with(|| m.clone());
                    Mover::Ballistic(Box::new(m))
                }
            };
            let spawn =
                Spawn { role: Role::Threat { group: gi }, spawn_at: start, mover, tx: transponder(p, None, None) };
            out.push(entity(id, name, p, sigs.get(&p.id).cloned(), spawn));
        }
    }
    for g in &scenario.friendlies {
        let p = cat.platform(&g.type_id).ok_or_else(|| input(format!("unknown platform {}", g.type_id)))?;
        for k in 0..g.count {
            let id = out.len() as u32;
            let start = g.start + bulwark_core::SimDuration::from_nanos(g.spacing.as_nanos() * i64::from(k));
            let name = format!("{} #{}", g.name, k + 1);
            let offset = (f64::from(k) - f64::from(g.count - 1) / 2.0) * g.lateral_spacing_m;
            let flight = WaypointFlight::new(&route(&g.route), performance(p), offset, CAPTURE_RADIUS_M)
                .map_err(|e| input(format!("friendly group `{}`: {e}", g.name)))?;
            let p_fail = g.transponder.failure_probability;
            let failed = p_fail > 0.0 && rng.stream(u64::from(id), StreamPurpose::Scenario).bernoulli(p_fail);
            let tx = fitted(&g.transponder, failed, 0x40_0000 + id);
            let spawn = Spawn { role: Role::Friendly, spawn_at: start, mover: Mover::Waypoints(Box::new(flight)), tx };
            let mut e = entity(id, name, p, sigs.get(&p.id).cloned(), spawn);
            e.transponder_fit = format!("{}{}", g.transponder.describe(), if failed { " (failed)" } else { "" });
            out.push(e);
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
        // The scenario admits only civil platforms (airliner class or civil transponder) here.
        let address = Some(c.address.unwrap_or(0x40_0000 + id));
        let spawn = Spawn { role: Role::Civil, spawn_at: start, mover, tx: transponder(p, c.squawk, address) };
        out.push(entity(id, c.callsign.clone(), p, sigs.get(&p.id).cloned(), spawn));
    }
    Ok(out)
}

/// The modes a unit's interrogator on radar `r` reads: those it is built for (catalog
/// `iff_modes`), less the secure ones whose keys the unit lacks (`iff_keys`; none given: it
/// holds them all).
fn readable_modes(r: &bulwark_scenario::catalog::Radar, keys: Option<ModeSet>) -> ModeSet {
    let built = r.iff_modes.as_ref().map_or(ModeSet::of(DEFAULT_INTERROGATOR_MODES), |m| m.value);
    match keys {
        None => built,
        Some(keys) => ModeSet::of(built.iter().filter(|m| !m.secure() || keys.contains(*m))),
    }
}

/// A radar of a unit, with its schedule.
pub struct UnitRadar {
    pub radar: Radar,
    /// Its looks: one search per revisit (rotating), or a multifunction time budget.
    pub scheduler: Scheduler,
    /// Time of its first look (staggered by sensor id so that radars do not all look at t = 0).
    pub start: SimTime,
    /// Its catalog band (jammers act only on radars in one of their bands).
    pub band: CatBand,
    pub fire_channels: u32,
    /// The track-picture sensor pose: antenna position in the scenario ENU frame and the
    /// rotation from the scenario ENU axes to the radar's own.
    pub pose_position: Vec3,
    pub pose_rotation: bulwark_core::Mat3,
    /// Half range extent of its track-dwell gate (m): catalog `track_gate`.
    pub track_gate_m: f64,
}

/// A launcher of a unit.
pub struct UnitLauncher {
    pub id: LauncherId,
    pub site: Geodetic,
    pub position_enu: Vec3,
    pub stock: BTreeMap<String, u32>,
    /// Earliest fire time: arrival + catalog `deploy_time` (0 when deployed at the start),
    /// then each salvo's launch interval, or the end of a reload.
    pub ready_at: SimTime,
    /// Catalog type, tubes, the rounds it can load and its reload time (s).
    pub type_id: String,
    pub capacity: u32,
    pub loads: Vec<String>,
    pub reload_time_s: f64,
    /// A reload in progress: when it ends and the rounds moving from the vehicle.
    pub reloading: Option<(SimTime, BTreeMap<String, u32>)>,
}

/// One reload vehicle of a unit and the rounds it still carries.
#[derive(Clone, Debug)]
pub struct ReloadVehicle {
    pub stock: BTreeMap<String, u32>,
    /// Busy reloading a launcher until then.
    pub busy_until: SimTime,
}

/// Catalog lethal radius (m) at or below which a type is treated as hit-to-kill (PAC-3 MSE, 1 m):
/// a blast-fragmentation warhead has a lethal radius of metres to tens of metres, a kinetic kill
/// vehicle only its body plus a small lethality enhancer (notional threshold).
pub const HIT_TO_KILL_MAX_RADIUS_M: f64 = 2.0;
/// Default seeker angle noise (rad, 1σ) when the catalog gives none.
const DEFAULT_SEEKER_SIGMA_RAD: f64 = 0.002;
/// Autopilot time constant (s) of every type: a notional 0.2 s first-order lag, the low end of
/// the 0.1–0.5 s flight-control time constants in Zarchan (*Tactical and Strategic Missile
/// Guidance*, 6th ed., ch. 6).
pub const AUTOPILOT_TAU_S: f64 = 0.2;
/// Planned intercept range, as a fraction of the catalog max range, from which a shot is lofted
/// (mid-course [`bulwark_motion::LoftedPn`]): shorter shots fly plain PN, where the climb would
/// only cost time (notional).
pub const LOFT_MIN_RANGE_FRACTION: f64 = 0.3;

/// How a type's burst or hit is adjudicated (see [`InterceptorType::kill`]).
#[derive(Copy, Clone, Debug, PartialEq)]
pub enum KillModel {
    /// Catalog lethal radius ≤ [`HIT_TO_KILL_MAX_RADIUS_M`]: body-to-body impact, Pk = Pk_hit
    /// inside the combined radius (the catalog lethal radius), 0 outside.
    HitToKill(HitToKill),
    /// Blast-fragmentation: Carleton Pk(m) = Pk₀·exp(−(m/r_L)²) (a Gaussian with σ = r_L/√2).
    Carleton(GaussianKill),
}

impl KillModel {
    /// The catalog's choice: hit-to-kill for a tiny lethal radius, Carleton otherwise.
    pub fn from_catalog(lethal_radius_m: f64, pk0: f64) -> Result<Self, bulwark_motion::MotionError> {
        if lethal_radius_m <= HIT_TO_KILL_MAX_RADIUS_M {
            // The catalog radius already folds in the target's body ("of the order of the target
            // body"): it is the whole hit radius.
            Ok(KillModel::HitToKill(HitToKill::new(lethal_radius_m, 0.0, pk0)?))
        } else {
            Ok(KillModel::Carleton(GaussianKill::carleton(lethal_radius_m, pk0)?))
        }
    }
    pub fn function(&self) -> &dyn KillFunction {
        match self {
            KillModel::HitToKill(k) => k,
            KillModel::Carleton(k) => k,
        }
    }
    /// Fuze radius (m): the interceptor bursts at a closest approach inside it. A blast warhead
    /// fuzes out to 3 r_L (Pk ≈ Pk₀·e⁻⁹ there); a hit-to-kill vehicle only "bursts" on a hit.
    pub fn fuze_radius_m(&self) -> f64 {
        match self {
            KillModel::HitToKill(k) => k.interceptor_radius_m + k.target_radius_m,
            KillModel::Carleton(k) => 3.0 * std::f64::consts::SQRT_2 * k.sigma_m,
        }
    }
}

/// Terminal guidance law of a type.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum TerminalLaw {
    /// Proportional navigation: semi-active and TVM seekers measure angles only.
    Pn,
    /// Augmented PN: active seekers also measure range and range rate, so the target's
    /// acceleration can be estimated from successive measurements.
    AugmentedPn,
}

/// What the engine needs of an interceptor type.
#[derive(Debug)]
pub struct InterceptorType {
    pub params: InterceptorParams,
    /// Boost–sustain motor, C_D(Mach) drag and q-limited lateral acceleration from the catalog
    /// burnout speed, burn time, β, lateral limit and launch mass ([`Airframe::from_catalog`]).
    pub airframe: Airframe,
    pub navigation_constant: f64,
    /// Terminal seeker: catalog `guidance` active → active; semi-active and TVM → semi-active
    /// (needs the engagement radar's illumination); command → none (command guidance to the end).
    pub seeker: Option<Seeker>,
    pub terminal: TerminalLaw,
    /// Loft ratio k of the mid-course [`bulwark_motion::LoftedPn`] for long shots.
    pub loft_ratio: f64,
    /// Range (m) inside which mid-course guidance is plain PN on the track: the seeker's
    /// acquisition range, or 20 km for command guidance.
    pub handover_range_m: f64,
    pub kill: KillModel,
    /// Mean speed (m/s) of the level speed-programmed fly-out at 5 km over half the maximum
    /// range: the lofted law's time-to-go estimate.
    pub planning_speed_mps: f64,
    pub envelope: InterceptorEnvelope,
    /// The track it needs at launch: catalog `launch_track` ("surveillance" → the seeker basket
    /// of radius `seeker_acquisition_range · tan(seeker_field_of_view)`).
    pub need: TrackNeed,
    /// Half-angle of the seeker's search cone about the estimate's line of sight (rad): catalog
    /// `seeker_field_of_view` ([`bulwark_scenario::Interceptor::seeker_search_cone_rad`]).
    pub search_cone_rad: f64,
    /// Opening from its estimate inside this range is a miss (m): catalog `pass_range`.
    pub pass_range_m: f64,
}

impl InterceptorType {
    /// Mid-course law on the engagement radar's track: [`LoftedPn`] (loft ratio k, plain PN inside
    /// the hand-over range) when `lofted`, else PN.
    pub fn midcourse_law(&self, lofted: bool) -> Result<Box<dyn GuidanceLaw>, MotionError> {
        let n = self.navigation_constant;
        if lofted { Ok(Box::new(self.lofted_pn()?)) } else { Ok(Box::new(ProportionalNavigation::new(n)?)) }
    }

    fn lofted_pn(&self) -> Result<LoftedPn, MotionError> {
        LoftedPn::new(self.navigation_constant, self.loft_ratio, self.handover_range_m, self.planning_speed_mps)
    }

    /// Terminal law on the seeker's measurement (see [`TerminalLaw`]).
    pub fn terminal_law(&self) -> Result<Box<dyn GuidanceLaw>, MotionError> {
        let n = self.navigation_constant;
        match self.terminal {
            TerminalLaw::Pn => Ok(Box::new(ProportionalNavigation::new(n)?)),
            TerminalLaw::AugmentedPn => Ok(Box::new(AugmentedPn::new(n)?)),
        }
    }

    /// Whether a shot at a planned intercept `range_m` from the launcher is lofted.
    pub fn lofts(&self, range_m: f64) -> bool {
        self.loft_ratio > 0.0 && range_m >= LOFT_MIN_RANGE_FRACTION * self.envelope.max_range_m
    }

    /// Launches the 3-DOF interceptor (airframe, autopilot lag, mid-course law) from `site` at the
    /// planned intercept point `aim_ecef`: towards it, or towards the lofted aim point raised
    /// above it for a lofted shot, with the elevation floored at `min_elevation_rad`. Returns the
    /// interceptor and whether it is lofted.
    pub fn launch(
        &self,
        site: Geodetic,
        aim_ecef: &Vec3,
        min_elevation_rad: f64,
    ) -> Result<(Interceptor, bool), MotionError> {
        let origin = site.to_ecef();
        let lofted = self.lofts((aim_ecef - origin).norm());
        let point = if lofted {
            self.lofted_pn()?.aim_point(&origin, &KinematicState::new(*aim_ecef, Vec3::zeros()))
        } else {
            *aim_ecef
        };
        let dir = launch_direction(&site, &point, min_elevation_rad);
        let missile = Interceptor::launch(site, dir, self.params, self.midcourse_law(lofted)?)?
            .with_airframe(self.airframe)
            .with_autopilot_lag(AUTOPILOT_TAU_S)?;
        Ok((missile, lofted))
    }
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
    /// Engagement channels of the system and its radars' fire channels (before the time budget).
    pub max_channels: u32,
    pub loaded: BTreeMap<String, u32>,
    pub system: String,
    pub reload_vehicles: Vec<ReloadVehicle>,
    /// Confirmed tracks cue the budgeted radars ([`Defence::cueing`](bulwark_scenario::Defence)).
    pub cueing: bool,
    /// The outside air picture it receives, if integrated ([`crate::stage::picture`]).
    pub picture: Option<Arc<bulwark_scenario::picture::OutsidePicture>>,
    /// Its tracker TOML (`[[defence]] tracker`); `None`: the default [`unit_tracker`].
    pub tracker: Option<Arc<bulwark_scenario::tracker_file::UnitTracker>>,
    /// White-acceleration process noise of its tracker's filter (m²/s³): the tracker file's
    /// `filter.q`, else the system's `track_process_noise`. Predicted errors (the seeker basket,
    /// the outside picture's gate) grow with it.
    pub q: f64,
    /// Its command post's decision period (catalog `decision_period`).
    pub decision_period: SimDuration,
    /// Updates in a row a fire-control radar needs before it holds a track for fire authority
    /// (catalog `fire_control_min_updates`).
    pub fire_control_min_updates: u32,
    /// A track no sensor updated for this long (s) counts misses on every search scan (catalog
    /// `stale_track`).
    pub stale_track_s: f64,
    /// How it reads its outside picture (catalog `picture_max_age`, `picture_sigma_*`).
    pub picture_doctrine: crate::stage::picture::PictureDoctrine,
    /// `Some(c)`: not a fire unit but the radars of `[[command]]` c (its catalog post's own,
    /// such as the 55K6E's 91N6E), a sensor of the post whose tracks join the picture.
    pub post_of: Option<usize>,
    /// IFF history (catalog `iff_history_gate`, `iff_history_memory`): a new track within the
    /// gate (m) of an answered track, live or deleted at most the memory (s) before, inherits
    /// its replies.
    pub iff_history_gate_m: f64,
    pub iff_history_memory_s: f64,
}

/// Interceptor types of the catalog, keyed by id, with their planning envelopes. Ranked
/// by maximum range: the shortest-range type that can engage is preferred (layered defence).
pub fn interceptor_types(cat: &Catalog) -> Result<BTreeMap<String, InterceptorType>, EngineError> {
    interceptor_types_for(cat, |_| true)
}

/// [`interceptor_types`] for the types `wanted` accepts only: each type's fly-out table costs
/// hundreds of flights, so a run builds those its launchers and reload vehicles carry. Ranks
/// stay those of the whole catalog, so doctrine does not depend on what else is loaded.
pub fn interceptor_types_for(
    cat: &Catalog,
    wanted: impl Fn(&str) -> bool,
) -> Result<BTreeMap<String, InterceptorType>, EngineError> {
    let mut ranked: Vec<_> = cat.interceptors.values().collect();
    ranked.sort_by(|a, b| a.max_range_m.value.total_cmp(&b.max_range_m.value).then(a.id.cmp(&b.id)));
    // The airframes' motor solves of an earlier process of this executable (see `flyout_cache`).
    let cache = crate::flyout_cache::cache_dir();
    let motors_read = cache.as_deref().map_or(0, crate::flyout_cache::load_motors);
    let mut out = BTreeMap::new();
    for (rank, i) in ranked.into_iter().enumerate() {
        if !wanted(&i.id) {
            continue;
        }
        let params = InterceptorParams {
            max_speed_mps: i.max_speed_mps.value,
            burn_time_s: i.burn_time_s.value,
            beta_kg_m2: i.ballistic_coefficient_kg_m2.value,
            max_lateral_accel_mps2: i.max_lateral_acceleration_mps2.value,
            max_flight_time_s: i.max_flight_time_s.value,
            max_range_m: i.max_range_m.value * 1.1,
            lateral_q_ref_pa: None,
        };
        let program = SpeedProgram::new(params, 5_000.0).map_err(|e| input(format!("interceptor {}: {e}", i.id)))?;
        let planning_speed_mps =
            program.average_speed(0.5 * i.max_range_m.value).unwrap_or(0.5 * i.max_speed_mps.value);
        let envelope = InterceptorEnvelope {
            type_id: i.id.clone(),
            min_range_m: i.min_range_m.value,
            max_range_m: i.max_range_m.value,
            min_altitude_m: i.min_altitude_m.value,
            max_altitude_m: i.max_altitude_m.value,
            max_target_speed_mps: i.max_target_speed_mps.value,
            max_flight_time_s: i.max_flight_time_s.value,
            max_lead_angle_rad: DEFAULT_MAX_LEAD_ANGLE_RAD,
            max_offset_m: None,
            single_shot_pk: i.single_shot_pk.value,
            // Replaced by the fly-out table of the finished type below.
            flyout: Flyout::ConstantSpeed(planning_speed_mps),
            rank: rank as u32,
        };
        let bad = |e: bulwark_motion::MotionError| input(format!("interceptor {}: {e}", i.id));
        let airframe = Airframe::from_catalog(&params, i.mass_kg.value).map_err(bad)?;
        let kind = match i.guidance {
            Guidance::Active => Some(SeekerKind::Active),
            Guidance::SemiActive | Guidance::Tvm => Some(SeekerKind::SemiActive),
            Guidance::Command => None,
        };
        let sigma = i.seeker_sigma_angle_rad.as_ref().map_or(DEFAULT_SEEKER_SIGMA_RAD, |s| s.value);
        let seeker = match (kind, &i.seeker_acquisition_range_m) {
            (Some(k), Some(r)) => Some(Seeker::new(k, r.value, DEFAULT_FIELD_OF_REGARD_RAD, sigma).map_err(bad)?),
            (Some(_), None) => {
                return Err(input(format!("interceptor {}: a homing missile needs seeker_acquisition_range", i.id)));
            }
            (None, _) => None,
        };
        let terminal_law = if kind == Some(SeekerKind::Active) { TerminalLaw::AugmentedPn } else { TerminalLaw::Pn };
        let mut ty = InterceptorType {
            params,
            airframe,
            navigation_constant: i.navigation_constant.value,
            handover_range_m: seeker.map_or(20_000.0, |s| s.acquisition_range_m),
            seeker,
            terminal: terminal_law,
            loft_ratio: loft_ratio_for_max_range(i.max_range_m.value),
            kill: KillModel::from_catalog(i.lethal_radius_m.value, i.single_shot_pk.value).map_err(bad)?,
            planning_speed_mps,
            envelope,
            need: match (i.launch_track(), i.basket_radius_m()) {
                (LaunchTrack::Surveillance, Some(radius_m)) => TrackNeed::SeekerBasket { radius_m },
                _ => TrackNeed::FireControl,
            },
            search_cone_rad: i.seeker_search_cone_rad(),
            pass_range_m: i.pass_range_m(),
        };
        let table = shared_flyout_table(&ty).map_err(|e| input(format!("interceptor {}: {e}", i.id)))?;
        ty.envelope.flyout = Flyout::Table(table);
        out.insert(i.id.clone(), ty);
    }
    if let Some(dir) = &cache
        && bulwark_motion::Motor::solved_catalog().len() > motors_read
    {
        crate::flyout_cache::store_motors(dir);
    }
    Ok(out)
}

/// Minimum elevation of the launch direction (rad, 20°): a near-vertical launch, turned over.
/// The engine launches with it and the fly-out table assumes it.
pub const FLYOUT_LAUNCH_MIN_ELEVATION_RAD: f64 = 0.35;
/// Guidance update and internal integration step of the table's flights (s): 12.5 × the flight
/// model's default 20 ms, which keeps setup fast; `tests/engage_flyout.rs` bounds the error
/// against flights at the default step.
const FLYOUT_STEP_S: f64 = 0.25;
/// Half-width (fraction of the maximum range) of the pair of range nodes placed either side of
/// the loft threshold ([`LOFT_MIN_RANGE_FRACTION`]): the fly-out time jumps there (a lofted
/// shot climbs into thin air), and bilinear interpolation should smear the jump only inside it.
const FLYOUT_LOFT_NODE_HALF_WIDTH: f64 = 0.004;
/// Grid points of the fly-out table in ground range (uniform) and height (quadratic spacing,
/// denser low down where aircraft and cruise missiles fly).
const FLYOUT_RANGES: usize = 18;
const FLYOUT_HEIGHTS: usize = 10;
/// Miss distance (m) beyond which a flight counts as not passing the point: its time is then
/// when it reaches the point's distance from the launcher. At least the type's fuze radius.
const FLYOUT_MISS_M: f64 = 50.0;
/// Below this speed an interceptor no longer counts as reaching a point (m/s): it could not
/// out-manoeuvre an aircraft target. Notional.
pub const FLYOUT_MIN_SPEED_MPS: f64 = 300.0;
/// Launcher site of the table's flights: 45° N (Coriolis at mid-latitude), sea level.
const FLYOUT_SITE_DEG: (f64, f64) = (45.0, 10.0);

/// The stationary point at ground range `r` (m) due north of `site` and height `h` (m) above it,
/// on a spherical earth of mean radius R_e (geodetic latitude offset r/R_e).
pub fn flyout_point(site: &Geodetic, r: f64, h: f64) -> Vec3 {
    let dlat = r / bulwark_geo::EARTH_MEAN_RADIUS;
    Geodetic::new(site.lat_rad + dlat, site.lon_rad, site.alt_m + h).to_ecef()
}

/// Time of flight (s) of `ty` fired from `site` at the stationary point `aim` (ECEF) exactly as
/// the engine fires it ([`InterceptorType::launch`]: airframe, autopilot lag, elevation floor,
/// PN or lofted PN), guided on the point, internal step `step_s`: the time of closest approach,
/// or, when the closest approach misses by more than `miss_m`, the time it first reaches the
/// point's distance from the launcher. `None` if it self-destructs first or is slower than
/// [`FLYOUT_MIN_SPEED_MPS`] there.
pub fn flyout_time(
    ty: &InterceptorType,
    site: Geodetic,
    aim: &Vec3,
    min_elevation_rad: f64,
    step_s: f64,
    miss_m: f64,
) -> Option<f64> {
    let (m, _) = ty.launch(site, aim, min_elevation_rad).ok()?;
    let mut m = m.with_max_step_s(step_s).ok()?;
    let origin = site.to_ecef();
    let target = KinematicState::new(*aim, Vec3::zeros());
    let dist = (aim - origin).norm();
    if dist < 1.0 {
        return Some(0.0);
    }
    let mut prev_rel = aim - m.position_ecef();
    let mut reached: Option<f64> = None;
    while m.status() == bulwark_motion::InterceptorStatus::Flying {
        let t0 = m.elapsed_s();
        let d0 = (m.position_ecef() - origin).norm();
        m.step(step_s, Some(&target));
        let t1 = m.elapsed_s();
        if m.status() != bulwark_motion::InterceptorStatus::Flying {
            return None;
        }
        let rel = aim - m.position_ecef();
        let d1 = (m.position_ecef() - origin).norm();
        if reached.is_none() && d1 >= dist {
            let f = if d1 > d0 { ((dist - d0) / (d1 - d0)).clamp(0.0, 1.0) } else { 1.0 };
            reached = Some(t0 + f * (t1 - t0));
        }
        let (f, miss) = closest_approach(&prev_rel, &rel);
        if f < 1.0 && t0 > 0.0 {
            // The closest approach lies inside this step: the flight is past the point.
            if m.velocity_ecef().norm() < FLYOUT_MIN_SPEED_MPS {
                return None;
            }
            return if miss <= miss_m { Some(t0 + f * (t1 - t0)) } else { reached };
        }
        if t1 > ty.airframe.motor.burn_time_s() && m.velocity_ecef().norm() < FLYOUT_MIN_SPEED_MPS {
            return None;
        }
        prev_rel = rel;
    }
    None
}

/// The command post's fly-out table T(R, h) of one interceptor type, computed once at setup by
/// flying the engine's own interceptor ([`flyout_time`]) at a stationary point on each grid
/// node: ground range 0 to the self-destruct distance (uniform, plus a pair of nodes either side
/// of the loft threshold), height 0 to 1.1 ×
/// `max_altitude` (quadratic spacing), launcher at sea level. Nodes it cannot reach are +∞.
/// Against a moving target the command post iterates the predicted intercept point over this
/// table (`bulwark_c2::engage::predicted_intercept`).
pub fn flyout_table(ty: &InterceptorType) -> Result<FlyoutTable, bulwark_c2::engage::FlyoutError> {
    let site = Geodetic::from_degrees(FLYOUT_SITE_DEG.0, FLYOUT_SITE_DEG.1, 0.0);
    let top_r = ty.params.max_range_m.max(1.0);
    let top_h = (1.1 * ty.envelope.max_altitude_m).max(1.0);
    let miss = FLYOUT_MISS_M.max(ty.kill.fuze_radius_m());
    let mut ranges: Vec<f64> = (0..FLYOUT_RANGES).map(|k| top_r * k as f64 / (FLYOUT_RANGES - 1) as f64).collect();
    if ty.loft_ratio > 0.0 {
        // The loft decision is on slant range; at low heights that is the ground range.
        let (thr, d) =
            (LOFT_MIN_RANGE_FRACTION * ty.envelope.max_range_m, FLYOUT_LOFT_NODE_HALF_WIDTH * ty.envelope.max_range_m);
        ranges.retain(|r| (r - thr).abs() > 2.0 * d);
        ranges.extend([thr - d, thr + d]);
        ranges.sort_by(f64::total_cmp);
    }
    let heights: Vec<f64> =
        (0..FLYOUT_HEIGHTS).map(|k| top_h * (k as f64 / (FLYOUT_HEIGHTS - 1) as f64).powi(2)).collect();
    FlyoutTable::from_fn(ranges, heights, |r, h| {
        let aim = flyout_point(&site, r, h);
        flyout_time(ty, site, &aim, FLYOUT_LAUNCH_MIN_ELEVATION_RAD, FLYOUT_STEP_S, miss)
    })
}

/// Fly-out tables already computed in this process, keyed by the whole [`InterceptorType`]
/// they were computed from (its `Debug` text: every field, floats in round-trip form), so the
/// runs of a campaign, the systems of a comparison and the units of a scenario that carry the
/// same type build its table once. A table is a pure function of that input, so sharing it
/// changes no result. Each entry is filled outside the map's lock: two types build in
/// parallel, and a second thread asking for a table being built waits for it.
type FlyoutCell = Arc<OnceLock<Result<Arc<FlyoutTable>, bulwark_c2::engage::FlyoutError>>>;
static FLYOUT_TABLES: OnceLock<Mutex<BTreeMap<String, FlyoutCell>>> = OnceLock::new();

/// [`flyout_table`] of `ty`, computed once per process for each distinct type (see
/// [`FLYOUT_TABLES`]).
pub fn shared_flyout_table(ty: &InterceptorType) -> Result<Arc<FlyoutTable>, bulwark_c2::engage::FlyoutError> {
    let key = format!("{ty:?}");
    let cell = {
        let mut map = FLYOUT_TABLES.get_or_init(Default::default).lock().unwrap_or_else(|e| e.into_inner());
        Arc::clone(map.entry(key.clone()).or_default())
    };
    cell.get_or_init(|| {
        // Another process on this machine may have built it (see `flyout_cache`).
        let on_disk = crate::flyout_cache::cache_dir().zip(crate::flyout_cache::key_for(&key));
        if let Some(t) = on_disk.as_ref().and_then(|(dir, k)| crate::flyout_cache::load(dir, k)) {
            return Ok(Arc::new(t));
        }
        let table = flyout_table(ty)?;
        if let Some((dir, k)) = &on_disk {
            crate::flyout_cache::store(dir, k, &table);
        }
        Ok(Arc::new(table))
    })
    .clone()
}

/// Sensor-model band of a catalog band; `None` for Ka, which RCS tables do not carry.
fn sensor_band(b: CatBand) -> Option<SensorBand> {
    Some(match b {
        CatBand::Vhf => SensorBand::Vhf,
        CatBand::Uhf => SensorBand::Uhf,
        CatBand::L => SensorBand::L,
        CatBand::S => SensorBand::S,
        CatBand::C => SensorBand::C,
        CatBand::X => SensorBand::X,
        CatBand::Ku => SensorBand::Ku,
        CatBand::Ka => return None,
    })
}

/// Carrier frequency (Hz) assumed for a radar the catalog gives only a band for: the geometric
/// centre √(f_lo·f_hi) of the band's IEEE Std 521-2019 edges (the point RCS tables are read at).
pub fn band_centre_hz(b: CatBand) -> f64 {
    let (lo, hi) = b.frequency_range_hz();
    (lo * hi).sqrt()
}

/// The sensor model's Swerling case of a catalog case.
pub fn swerling_case(s: Swerling) -> SwerlingCase {
    match s {
        Swerling::Zero => SwerlingCase::S0,
        Swerling::One => SwerlingCase::S1,
        Swerling::Two => SwerlingCase::S2,
        Swerling::Three => SwerlingCase::S3,
        Swerling::Four => SwerlingCase::S4,
    }
}

fn to_db(x: f64) -> f64 {
    10.0 * x.log10()
}

/// The radar-equation terms of a catalog radar-equation radar. Catalog gains, noise figure and
/// losses are linear; the noise bandwidth is 1/τ of the energy pulse (τ, else 1/B), so that the
/// SNR is the catalog's energy form Pt·τ·Gt·Gr·λ²·σ/((4π)³kTsR⁴L); coherent integration of
/// `pulses` multiplies it by N.
fn equation_terms(r: &bulwark_scenario::Radar, eq: &bulwark_scenario::RadarEquation) -> RadarEquationParams {
    let tx = eq.transmit_gain.value;
    let rx = eq.receive_gain.as_ref().map_or(tx, |g| g.value);
    let n = r.pulses_per_look();
    RadarEquationParams {
        peak_power_w: eq.peak_power_w.value,
        frequency_hz: eq.frequency_hz.value,
        tx_gain_db: to_db(tx),
        rx_gain_db: to_db(rx),
        bandwidth: NoiseBandwidth::PulseWidth { seconds: eq.energy_time_s() },
        noise: match &eq.noise {
            Noise::Figure(f) => SystemNoise::NoiseFigureDb(to_db(f.value)),
            Noise::SystemTemperature(t) => SystemNoise::TemperatureK(t.value),
        },
        losses_db: to_db(eq.losses.value),
        integration: if n > 1 && r.integration == Some(Integration::Coherent) {
            SnrIntegration::Coherent { pulses: n }
        } else {
            SnrIntegration::SinglePulse
        },
    }
}

/// The sensor model's parameters of catalog radar `r` with its sector centred on `facing_rad`
/// (rad clockwise from north). Public for the calculators (`bulwark radar range`, `bulwark coverage`).
///
/// The full model: the radar-equation terms when the catalog gives them (else the reference
/// point); the carrier frequency of the radar equation, else the centre of the catalog band; a
/// [`SwerlingDetector`] integrating the radar's pulses non-coherently (one when they are
/// integrated coherently, which the SNR then carries) for the case the reference point was
/// quoted for; the Doppler blind zone and the fixed biases. A radar-equation radar's reference
/// fields hold its derived point: the range where a 1 m² target of that case has Pd 0.5.
pub fn radar_params(r: &bulwark_scenario::Radar, facing_rad: f64) -> Result<RadarParams, EngineError> {
    let n = r.pulses_per_look();
    let coherent = r.integration == Some(Integration::Coherent);
    let detector = SwerlingDetector::new(swerling_case(r.reference_swerling()), if coherent { 1 } else { n })
        .map_err(|e| input(format!("radar {}: {e}", r.id)))?;
    let pfa = r.pfa.value;
    let (reference, radar_equation, frequency_hz) = match &r.sensitivity {
        Sensitivity::ReferenceRange(rr) => {
            ((rr.range_m.value, rr.rcs_m2.value, rr.pd.value), None, band_centre_hz(r.band))
        }
        Sensitivity::RadarEquation(eq) => {
            let terms = equation_terms(r, eq);
            let model = RadarEquationSnr::new(terms.clone()).map_err(|e| input(format!("radar {}: {e}", r.id)))?;
            let range = model.range_for_snr(detector.required_snr(0.5, pfa), 1.0).unwrap_or(0.0);
            ((range, 1.0, 0.5), Some(terms), eq.frequency_hz.value)
        }
    };
    let opt = |v: &Option<bulwark_scenario::Sourced<f64>>| v.as_ref().map_or(0.0, |s| s.value);
    Ok(RadarParams {
        reference_range_m: reference.0,
        reference_rcs_m2: reference.1,
        reference_pd: reference.2,
        pfa,
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
        detector,
        frequency_hz: Some(frequency_hz),
        radar_equation,
        min_radial_speed_mps: r.min_radial_speed_mps.as_ref().map(|s| s.value),
        bias: MeasurementBias {
            range_m: opt(&r.bias_range_m),
            azimuth_rad: opt(&r.bias_azimuth_rad),
            elevation_rad: opt(&r.bias_elevation_rad),
        },
        jamming: JammingResponse::default(),
    })
}

/// Receiver noise figure assumed for a radar given by a reference point, when jamming needs its
/// noise power (dB): a Bulwark assumption, typical of a low-noise radar front end.
pub const EQUIVALENT_NOISE_FIGURE_DB: f64 = 3.0;

/// The radar-equation terms of a radar given only by a reference point, so that it can be
/// jammed. Jamming-to-noise needs the wavelength, the receive gain, the noise bandwidth and the
/// system temperature ([`bulwark_sensors::jamming`]); a reference point gives none of them. We
/// assume them from the catalog's geometry and one stated figure:
/// - λ = c/f with f the carrier of `p` (the band centre);
/// - G_t = G_r ≈ 26 000/(θ_az·θ_el), beamwidths in degrees (Mahafza, *Radar Systems Analysis and
///   Design Using MATLAB*, 3rd ed., §1.6: a practical antenna with ≈ 0.63 aperture efficiency);
/// - B = c/(2ΔR) from the range resolution (Mahafza §1.4), the noise bandwidth;
/// - T_s = T₀·F with F = [`EQUIVALENT_NOISE_FIGURE_DB`], no losses, one pulse;
/// - P_t chosen so that the SNR constant is the reference point's, K = SNR_ref·R_ref⁴/σ_ref:
///   P_t = K·(4π)³·k·T_s·B/(G_t·G_r·λ²).
///
/// The SNR of a target is then the reference model's at every range and RCS (to rounding); only
/// J/N depends on the assumptions. `None` when `p` has no frequency or the terms are not finite.
pub fn equivalent_radar_equation(p: &RadarParams) -> Option<RadarEquationParams> {
    let f = p.frequency_hz?;
    let model = ReferenceRangeSnr::from_reference_detection(
        p.reference_range_m,
        p.reference_rcs_m2,
        p.reference_pd,
        p.pfa,
        &p.detector,
    )
    .ok()?;
    let k_snr = model.snr_ref() * model.range_ref_m().powi(4) / model.rcs_ref_m2();
    let gain = 26_000.0 / (p.beamwidth_az_rad.to_degrees() * p.beamwidth_el_rad.to_degrees());
    let bandwidth_hz = SPEED_OF_LIGHT / (2.0 * p.range_resolution_m);
    let lambda = SPEED_OF_LIGHT / f;
    let ts = T0_K * 10f64.powf(EQUIVALENT_NOISE_FIGURE_DB / 10.0);
    let four_pi_cubed = (4.0 * std::f64::consts::PI).powi(3);
    let peak_power_w = k_snr * four_pi_cubed * BOLTZMANN * ts * bandwidth_hz / (gain * gain * lambda * lambda);
    let ok = [gain, bandwidth_hz, peak_power_w].iter().all(|x| x.is_finite() && *x > 0.0);
    ok.then(|| RadarEquationParams {
        peak_power_w,
        frequency_hz: f,
        tx_gain_db: to_db(gain),
        rx_gain_db: to_db(gain),
        bandwidth: NoiseBandwidth::Bandwidth { hz: bandwidth_hz },
        noise: SystemNoise::NoiseFigureDb(EQUIVALENT_NOISE_FIGURE_DB),
        losses_db: 0.0,
        integration: SnrIntegration::SinglePulse,
    })
}

/// A noise jammer a platform type carries, with the bands it covers.
pub struct JammerModel {
    pub jammer: NoiseJammer,
    pub bands: Vec<CatBand>,
}

/// What radars see of a platform type: RCS by band and aspect, fluctuation, jammer.
pub struct Signature {
    /// `None` when the catalog table holds only Ka-band values (the view's RCS is used).
    pub rcs_table: Option<RcsTable>,
    pub swerling: SwerlingCase,
    pub jammer: Option<JammerModel>,
}

/// The signature of every catalog platform, keyed by type id (shared by its entities).
pub fn signatures(cat: &Catalog) -> Result<BTreeMap<String, Arc<Signature>>, EngineError> {
    let mut out = BTreeMap::new();
    for p in cat.platforms.values() {
        let entries: Vec<(SensorBand, AspectSector, f64)> = p
            .rcs
            .iter()
            .filter_map(|(b, a, v)| {
                let sector = match a {
                    CatAspect::Nose => AspectSector::Nose,
                    CatAspect::Beam => AspectSector::Beam,
                    CatAspect::Tail => AspectSector::Tail,
                    CatAspect::Above => AspectSector::Above,
                    CatAspect::Below => AspectSector::Below,
                };
                Some((sensor_band(b)?, sector, v.value))
            })
            .collect();
        let rcs_table = if entries.is_empty() {
            None
        } else {
            Some(RcsTable::new(&entries).map_err(|e| input(format!("platform {} RCS table: {e}", p.id)))?)
        };
        let jammer = match &p.jammer {
            Some(j) => Some(JammerModel {
                jammer: NoiseJammer::new(j.erp_w.value, j.bandwidth_hz.value, 0.0)
                    .map_err(|e| input(format!("platform {} jammer: {e}", p.id)))?,
                bands: j.bands.value.clone(),
            }),
            None => None,
        };
        out.insert(p.id.clone(), Arc::new(Signature { rcs_table, swerling: swerling_case(p.swerling_case()), jammer }));
    }
    Ok(out)
}

/// Offset a geodetic site by an ENU vector (m).
fn offset(site: &Geodetic, enu: &Vec3) -> Geodetic {
    Geodetic::from_ecef(&EnuFrame::new(*site).to_ecef(enu))
}

/// An interrogator and the index of the radar it is slaved to.
type SlavedIff = (IffInterrogator, usize);

/// The radars of a unit or a command post at `site` (sensor ids from `next_sensor` on), and the
/// interrogator slaved to the first radar that carries one.
#[allow(clippy::too_many_arguments)]
fn build_radars(
    cat: &Catalog,
    frame: &EnuFrame,
    placed: &[bulwark_scenario::PlacedRadar],
    site: &Geodetic,
    facing_rad: f64,
    iff_keys: Option<ModeSet>,
    name: &str,
    next_sensor: &mut u32,
) -> Result<(Vec<UnitRadar>, Option<SlavedIff>), EngineError> {
    let mut radars = Vec::new();
    let mut iff = None;
    for pr in placed {
        let r = cat.radar(&pr.type_id).ok_or_else(|| input(format!("unknown radar {}", pr.type_id)))?;
        let mut params = radar_params(r, facing_rad)?;
        // A reference-range radar gets the equivalent radar equation: same SNR, and the
        // terms jamming needs (see `equivalent_radar_equation`).
        if params.radar_equation.is_none() {
            params.radar_equation = equivalent_radar_equation(&params);
        }
        // The antenna stands at the offset plus its mast height above the site.
        let antenna_height_m = params.antenna_height_m;
        let antenna_offset = pr.offset_enu + Vec3::new(0.0, 0.0, antenna_height_m);
        let antenna = offset(site, &antenna_offset);
        let site_frame = EnuFrame::new(antenna);
        let id = SensorId(*next_sensor);
        *next_sensor += 1;
        let radar =
            Radar::new(id, params, site_frame).map_err(|e| input(format!("radar {} of {}: {e}", pr.type_id, name)))?;
        let fire_channels = r.fire_channels.as_ref().map(|f| f.value).unwrap_or(0);
        let scheduler = match (r.role, &r.schedule) {
            (RadarRole::FireControl | RadarRole::Multifunction, Some(s)) => Scheduler::multifunction(TimeBudget {
                search_frame_s: s.search_frame_time_s.value,
                track_rate_hz: s.engaged_track_rate_hz.value,
                track_dwell_s: s.track_dwell_s.value,
                max_track_fraction: s.track_time_fraction.value,
                fire_channels,
            })
            .map_err(|e| input(format!("radar {} of {}: time budget: {e}", pr.type_id, name)))?,
            _ => Scheduler::rotating(radar.revisit()),
        };
        if let (None, Some(range), Some(reply_probability)) = (&iff, &r.iff_range_m, r.iff_reply_probability()) {
            let iff_params = IffParams {
                range_m: range.value,
                reply_probability,
                sigma_range_m: 30.0,
                sigma_azimuth_rad: 0.1f64.to_radians(),
                antenna_height_m,
            };
            let interrogator = IffInterrogator::new(SensorId(*next_sensor), site_frame, iff_params)
                .map_err(|e| input(format!("IFF of {}: {e}", name)))?;
            let interrogator = interrogator.with_modes(readable_modes(r, iff_keys));
            *next_sensor += 1;
            iff = Some((interrogator, radars.len()));
        }
        radars.push(UnitRadar {
            radar,
            scheduler,
            start: SimTime::from_nanos(i64::from(id.0) * 100_000_000),
            band: r.band,
            fire_channels,
            pose_position: frame.to_enu(&site_frame.origin_ecef()),
            pose_rotation: frame.rotation_to(&site_frame),
            track_gate_m: r.track_gate_m(),
        });
    }
    Ok((radars, iff))
}

/// A command post's own radars placed at its site (no offset, no SAC/SIC).
pub fn post_radars(post: &bulwark_scenario::CommandPost) -> Vec<bulwark_scenario::PlacedRadar> {
    post.radars
        .iter()
        .map(|id| bulwark_scenario::PlacedRadar {
            type_id: id.clone(),
            offset_enu: Vec3::zeros(),
            sac: None,
            sic: None,
        })
        .collect()
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
        let (radars, iff) =
            build_radars(cat, frame, &d.radars, &d.site, d.facing_rad, d.iff_keys, &d.name, &mut next_sensor)?;
        let mut launchers = Vec::new();
        let mut loaded = BTreeMap::new();
        for pl in &d.launchers {
            let spec = cat.launcher(&pl.type_id).ok_or_else(|| input(format!("unknown launcher {}", pl.type_id)))?;
            // March → deploy → ready: a launcher arriving at t fires from t + deploy time.
            let ready_at =
                pl.arrives.map_or(SimTime::ZERO, |t| t + SimDuration::from_secs_f64(spec.deploy_time_s.value));
            let site = offset(&d.site, &pl.offset_enu);
            for (k, n) in &pl.missiles {
                *loaded.entry(k.clone()).or_insert(0) += *n;
            }
            launchers.push(UnitLauncher {
                id: LauncherId(next_launcher),
                site,
                position_enu: frame.geodetic_to_enu(&site),
                stock: pl.missiles.clone(),
                ready_at,
                type_id: pl.type_id.clone(),
                capacity: spec.capacity.value,
                loads: spec.loads.clone(),
                reload_time_s: spec.reload_time_s.value,
                reloading: None,
            });
            next_launcher += 1;
        }
        let channels: u32 = radars.iter().map(|r| r.fire_channels).sum();
        let max_channels = channels.min(system.max_engaged_targets.value).max(1);
        let zone_types: Vec<(&str, f64, f64)> = loaded
            .keys()
            .filter_map(|k| cat.interceptor(k))
            .map(|i| (i.id.as_str(), i.min_range_m.value, i.max_range_m.value))
            .collect();
        let doctrine = Doctrine {
            reaction_time_s: system.reaction_time_s.value,
            fire_channels: max_channels,
            max_guided_missiles: system.max_guided_missiles.value,
            zones: default_zones(zone_types),
            command_destruct_s: system.command_destruct_s.as_ref().map(|c| c.value),
            plausibility: bulwark_c2::Plausibility {
                min_speed_mps: system.min_target_speed_mps.as_ref().map(|c| c.value),
                min_updates: system.min_track_updates.as_ref().map(|c| c.value),
            },
            guidance_loss_destruct_s: system.guidance_loss_destruct_s.as_ref().map(|c| c.value),
            ..Doctrine::default()
        };
        let tuning = &system.unit_doctrine;
        units.push(UnitSetup {
            iff_history_gate_m: system
                .iff_history_gate_m
                .as_ref()
                .map_or(crate::stage::track::IFF_HISTORY_GATE_M, |c| c.value),
            iff_history_memory_s: system.iff_history_memory_s.as_ref().map_or(0.0, |c| c.value),
            id: UnitId(ui as u32 + 1),
            name: d.name.clone(),
            site: d.site,
            radars,
            iff,
            launchers,
            doctrine,
            max_channels,
            loaded,
            system: d.system.clone(),
            cueing: d.cueing,
            picture: d.picture.clone(),
            tracker: d.tracker.clone(),
            q: d.tracker.as_ref().map_or(tuning.track_process_noise(), |t| *t.config.filter.q.get_ref()),
            decision_period: SimDuration::from_secs_f64(tuning.decision_period_s()),
            fire_control_min_updates: tuning.fire_control_min_updates(),
            stale_track_s: tuning.stale_track_s(),
            picture_doctrine: crate::stage::picture::PictureDoctrine {
                max_age_s: tuning.picture_max_age_s(),
                sigma_position_m: tuning.picture_sigma_position_m(),
                sigma_velocity_mps: tuning.picture_sigma_velocity_mps(),
            },
            post_of: None,
            reload_vehicles: d
                .reloads
                .iter()
                .flat_map(|r| {
                    (0..r.count).map(|_| ReloadVehicle { stock: r.missiles.clone(), busy_until: SimTime::ZERO })
                })
                .collect(),
        });
    }
    // The command posts' own radars: one sensor unit per post at its site, with no launchers,
    // after the defences (so the defences' sensor ids and streams are as before).
    for (ci, c) in scenario.commands.iter().enumerate() {
        let Some(post) = cat.command_posts.get(&c.type_id) else { continue };
        if post.radars.is_empty() {
            continue;
        }
        let placed = post_radars(post);
        let (radars, iff) = build_radars(cat, frame, &placed, &c.site, 0.0, None, &c.name, &mut next_sensor)?;
        let q = c.tracker.as_ref().map_or(DEFAULT_TRACK_PROCESS_NOISE, |t| *t.config.filter.q.get_ref());
        let none = bulwark_scenario::catalog::UnitDoctrine::default();
        units.push(UnitSetup {
            id: UnitId(units.len() as u32 + 1),
            name: c.name.clone(),
            site: c.site,
            radars,
            iff,
            launchers: Vec::new(),
            doctrine: Doctrine::default(),
            max_channels: 1,
            loaded: BTreeMap::new(),
            system: c.type_id.clone(),
            reload_vehicles: Vec::new(),
            cueing: false,
            picture: None,
            tracker: c.tracker.clone(),
            q,
            decision_period: SimDuration::from_secs_f64(none.decision_period_s()),
            fire_control_min_updates: none.fire_control_min_updates(),
            stale_track_s: none.stale_track_s(),
            picture_doctrine: crate::stage::picture::PictureDoctrine {
                max_age_s: none.picture_max_age_s(),
                sigma_position_m: none.picture_sigma_position_m(),
                sigma_velocity_mps: none.picture_sigma_velocity_mps(),
            },
            post_of: Some(ci),
            // A post has no system entry: the default gate, and deleted tracks hand nothing on.
            iff_history_gate_m: crate::stage::track::IFF_HISTORY_GATE_M,
            iff_history_memory_s: 0.0,
        });
    }
    Ok(units)
}

/// Half width of a filed civil route's corridor (m): 5 NM either side of the centre line, the
/// usual protected width of an ATS route (ICAO Annex 11, Attachment A; notional here).
pub const CIVIL_ROUTE_HALF_WIDTH_M: f64 = 9_260.0;
/// Altitude margin around a filed route's waypoint altitudes (m): covers the track's height
/// error at long range (≈ 0.2° elevation error at 200 km ≈ 700 m) and level changes (notional).
pub const CIVIL_ROUTE_ALTITUDE_MARGIN_M: f64 = 1_500.0;
/// Ballistic coefficient the command post assumes for a ballistic track's impact prediction
/// (kg/m²): the heavy end of Zarchan's 500–1000 lb/ft² for tactical ballistic re-entry bodies
/// (Zarchan, *Tactical and Strategic Missile Guidance*, 6th ed. 2012, ballistic targets). The
/// command post does not know the type it tracks; one class value is what it can assume.
pub const ASSUMED_BALLISTIC_BETA_KG_M2: f64 = 5_000.0;

/// The declaration doctrine of the scenario's `[identification]`: each key given replaces the
/// command post's notional default (`DeclarationRules::default`).
pub fn declaration_rules(d: &bulwark_scenario::IdentificationDoctrine) -> DeclarationRules {
    let base = DeclarationRules::default();
    DeclarationRules {
        hold_cycles: d.hold_cycles.unwrap_or(base.hold_cycles),
        hostile_confidence_free: d.hostile_confidence_free.unwrap_or(base.hostile_confidence_free),
        hostile_confidence_tight: d.hostile_confidence_tight.unwrap_or(base.hostile_confidence_tight),
        suspect_confidence: d.suspect_confidence.unwrap_or(base.suspect_confidence),
        tight_hold_s: d.tight_hold_s.unwrap_or(base.tight_hold_s),
    }
}

/// The command post's airspace knowledge: every civil flight with a planned route files a
/// flight plan (its callsign, its Mode 3/A code if it has one, its route as a corridor of
/// [`CIVIL_ROUTE_HALF_WIDTH_M`] and the waypoint altitudes ± [`CIVIL_ROUTE_ALTITUDE_MARGIN_M`]),
/// and the route is an airway. Recorded flights (CSV, ASTERIX) file nothing.
pub fn airspace(scenario: &Scenario, frame: &EnuFrame) -> Airspace {
    let mut out = Airspace::default();
    for f in &scenario.civil {
        let CivilPath::Route(wps) = &f.path else { continue };
        let (lo, hi) = wps.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), w| {
            (lo.min(w.position.alt_m), hi.max(w.position.alt_m))
        });
        let route = CivilRoute {
            name: f.callsign.clone(),
            waypoints: wps.iter().map(|w| frame.geodetic_to_enu(&w.position)).collect(),
            half_width_m: CIVIL_ROUTE_HALF_WIDTH_M,
            min_altitude_m: lo - CIVIL_ROUTE_ALTITUDE_MARGIN_M,
            max_altitude_m: hi + CIVIL_ROUTE_ALTITUDE_MARGIN_M,
        };
        out.routes.push(route.clone());
        out.flight_plans.push(FlightPlan {
            callsign: f.callsign.clone(),
            squawk: f.squawk,
            mode_s_address: None,
            route,
        });
    }
    out
}

/// The tracker of unit `u`: its `[[defence]] tracker` file's (any filter and motion model of
/// `bulwark track`, with the `gnn` associator), else constant velocity with process noise
/// [`UnitSetup::q`] (the system's `track_process_noise`), as before the key existed.
pub fn unit_tracker(u: &UnitSetup) -> Result<bulwark_tracking::Tracker, EngineError> {
    match &u.tracker {
        Some(t) => bulwark_tracking::config::build_gnn_tracker(&t.config)
            .map_err(|e| EngineError::Input(format!("{}: tracker: {e}", t.path.display()))),
        None => bulwark_tracking::Tracker::new(bulwark_tracking::TrackerConfig::constant_velocity(u.q))
            .map_err(|e| EngineError::Input(format!("tracker: {e}"))),
    }
}

/// Threat-evaluation settings of the command posts: [`ThreatParams`] defaults, with drag on
/// ballistic tracks at [`ASSUMED_BALLISTIC_BETA_KG_M2`].
pub fn threat_params() -> ThreatParams {
    ThreatParams {
        impact: ImpactParams { ballistic_coefficient_kg_m2: Some(ASSUMED_BALLISTIC_BETA_KG_M2), ..Default::default() },
        ..ThreatParams::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bulwark_sensors::{SnrKind, SnrModel, jamming_to_noise};

    fn catalog() -> Catalog {
        Catalog::embedded().expect("embedded catalog")
    }

    #[test]
    fn kill_model_and_seeker_follow_the_catalog() {
        // Hit-to-kill only for the PAC-3 MSE (1 m); Carleton for the blast warheads, whose Pk at one
        // lethal radius is Pk₀/e (Driels' damage function), and zero far outside the fuze radius.
        let types = interceptor_types(&catalog()).unwrap();
        assert_eq!(types.len(), 6);
        for (id, t) in &types {
            let c = catalog().interceptor(id).unwrap().clone();
            let (r_l, pk0) = (c.lethal_radius_m.value, c.single_shot_pk.value);
            let k = t.kill.function();
            match t.kill {
                KillModel::HitToKill(_) => {
                    assert_eq!(id, "PAC-3-MSE");
                    assert_eq!((k.pk(0.99 * r_l), k.pk(1.01 * r_l)), (pk0, 0.0));
                    assert_eq!(t.kill.fuze_radius_m(), r_l);
                }
                KillModel::Carleton(_) => {
                    assert!(r_l > HIT_TO_KILL_MAX_RADIUS_M, "{id}");
                    assert!((k.pk(r_l) - pk0 / std::f64::consts::E).abs() < 1e-12, "{id}");
                    assert!((t.kill.fuze_radius_m() - 3.0 * r_l).abs() < 1e-9 && k.pk(3.0 * r_l) < 1e-3 * pk0);
                }
            }
            let s = t.seeker.expect("every catalog type homes");
            let expect = if c.guidance == Guidance::Active { SeekerKind::Active } else { SeekerKind::SemiActive };
            assert_eq!(s.kind, expect, "{id}");
            assert_eq!(s.acquisition_range_m, c.seeker_acquisition_range_m.unwrap().value, "{id}");
            let apn = t.terminal == TerminalLaw::AugmentedPn;
            assert_eq!(apn, expect == SeekerKind::Active, "{id}");
        }
    }

    #[test]
    fn a_radar_equation_radar_keeps_its_catalog_anchor() {
        // The catalog derives the MPQ-65's anchor by its own arithmetic (energy-form radar
        // equation, SNR = (ln Pfa/ln Pd − 1)/N for Swerling 1 and N coherent pulses; its note says
        // 100.0 km for 1 m²). The sensor model must give the same point through RadarEquationSnr
        // and SwerlingDetector.
        let cat = catalog();
        let r = cat.radar("MPQ-65").unwrap();
        let anchor = r.detection_anchor().unwrap();
        let p = radar_params(r, 0.0).unwrap();
        assert!(
            (p.reference_range_m / anchor.range_m - 1.0).abs() < 1e-9,
            "{} vs {}",
            p.reference_range_m,
            anchor.range_m
        );
        assert!((anchor.range_m - 100.0e3).abs() < 100.0, "catalog note: 100.0 km, got {}", anchor.range_m);
        assert_eq!(p.detector, SwerlingDetector { case: SwerlingCase::S1, pulses: 1 }, "coherent: one look sample");
        assert_eq!(p.frequency_hz, Some(5.5e9));
        assert!(matches!(p.snr_model().unwrap(), SnrKind::RadarEquation(_)));
        assert_eq!(p.min_radial_speed_mps, Some(7.0));
    }

    #[test]
    fn a_reference_radar_reads_rcs_at_its_band_centre_and_keeps_its_point() {
        let cat = catalog();
        let r = cat.radar("92N6E").unwrap();
        let p = radar_params(r, 1.0).unwrap();
        // X band 8–12 GHz: √(8·12) GHz = 9.798 GHz, the sensors crate's band centre too.
        assert!((p.frequency_hz.unwrap() - 9.797_958_971_132_712e9).abs() < 1.0);
        assert!((p.frequency_hz.unwrap() - SensorBand::X.centre_hz()).abs() < 1e-3);
        assert_eq!((p.reference_range_m, p.reference_rcs_m2, p.reference_pd), (250e3, 5.0, 0.5));
        assert_eq!(p.radar_equation, None);
        assert_eq!(p.azimuth_centre_rad, 1.0);
    }

    #[test]
    fn the_equivalent_radar_equation_gives_the_reference_snr_everywhere() {
        // Analytic: both are K·σ/R⁴ with the same K, so they agree to rounding at every R and σ.
        let cat = catalog();
        for id in ["91N6E", "96L6E", "92N6E", "64N6E2", "30N6E2"] {
            let p = radar_params(cat.radar(id).unwrap(), 0.0).unwrap();
            let reference = p.snr_model().unwrap();
            let eq = RadarParams { radar_equation: equivalent_radar_equation(&p), ..p.clone() };
            assert!(eq.radar_equation.is_some(), "{id}");
            let equation = eq.snr_model().unwrap();
            assert!(matches!(equation, SnrKind::RadarEquation(_)), "{id}");
            for range in [3e3, 50e3, 250e3, 600e3] {
                for rcs in [1e-3, 0.5, 100.0] {
                    let (a, b) = (reference.snr(range, rcs), equation.snr(range, rcs));
                    assert!((a / b - 1.0).abs() < 1e-9, "{id} R {range} σ {rcs}: {a} vs {b}");
                }
            }
        }
    }

    #[test]
    fn the_assumed_gain_and_jamming_to_noise_match_hand_calculations() {
        // Gain rule G ≈ 26 000/(θ_az·θ_el) (Mahafza §1.6): for the MPQ-65's 1.5° × 1.5° beam it
        // gives 40.63 dBi; the catalog derives 40.6 dBi for that array independently, from
        // η·4πA/λ² with η ≈ 0.6 and a 2.4 m aperture at 5.5 GHz.
        let cat = catalog();
        let mpq = radar_params(cat.radar("MPQ-65").unwrap(), 0.0).unwrap();
        let as_reference = RadarParams { radar_equation: None, ..mpq };
        let eq = equivalent_radar_equation(&as_reference).unwrap();
        assert!((eq.tx_gain_db - 40.6).abs() < 0.05, "{}", eq.tx_gain_db);
        // The 92N6E (1° × 1°, ΔR 30 m → B = 5 MHz, F = 3 dB, f = 9.798 GHz) against the 45 dBW,
        // 100 MHz stand-off jammer at 222 km, main beam. By hand:
        // J/N = ERP·G·λ²/((4π)²R²) · (B/B_j) / (k·T₀·F·B)
        //     = 31 623 · 26 000 · 0.030 597² / (157.914 · 222 000²) · 0.05 / (1.380 649e-23 · 290 · 1.995 · 4.9965e6)
        //     ≈ 1.237e5 (50.9 dB).
        let p = radar_params(cat.radar("92N6E").unwrap(), 0.0).unwrap();
        let model = RadarEquationSnr::new(equivalent_radar_equation(&p).unwrap()).unwrap();
        let jammer = NoiseJammer::from_erp_dbw(45.0, 100e6, 0.0).unwrap();
        let lambda = SPEED_OF_LIGHT / p.frequency_hz.unwrap();
        let b = SPEED_OF_LIGHT / 60.0;
        let four_pi_sq = (4.0 * std::f64::consts::PI).powi(2);
        let by_hand = 10f64.powf(4.5) * 26_000.0 * lambda * lambda / (four_pi_sq * 222e3 * 222e3) * (b / 100e6)
            / (BOLTZMANN * 290.0 * 10f64.powf(0.3) * b);
        let jnr = jamming_to_noise(&model, &jammer, 222e3, 1.0);
        assert!((jnr / by_hand - 1.0).abs() < 1e-9, "{jnr} vs {by_hand}");
        assert!((10.0 * jnr.log10() - 50.9).abs() < 0.1, "{} dB", 10.0 * jnr.log10());
    }

    #[test]
    fn signatures_carry_rcs_tables_swerling_cases_and_jammers() {
        let cat = catalog();
        let sigs = signatures(&cat).unwrap();
        let stealth = &sigs["stealth-fighter"];
        let table = stealth.rcs_table.as_ref().unwrap();
        let nose = bulwark_sensors::Aspect::pure(AspectSector::Nose);
        // Table values at the band centres, from the catalog: 0.5 m² VHF, 0.001 m² X, nose.
        assert!((table.rcs_m2(SensorBand::Vhf.centre_hz(), &nose) - 0.5).abs() < 1e-12);
        assert!((table.rcs_m2(SensorBand::X.centre_hz(), &nose) - 0.001).abs() < 1e-15);
        assert_eq!(sigs["srbm"].swerling, SwerlingCase::S3);
        assert_eq!(stealth.swerling, SwerlingCase::S1);
        let j = sigs["standoff-jammer"].jammer.as_ref().unwrap();
        assert!((j.jammer.erp_w() - 10f64.powf(4.5)).abs() < 1e-6);
        assert_eq!(j.bands, vec![CatBand::L, CatBand::S, CatBand::C, CatBand::X]);
        assert!(sigs["fighter-4gen"].jammer.is_none());
        assert!(sigs["bomber"].jammer.is_some());
    }
}
