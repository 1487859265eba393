//! The deterministic time loop and the wiring of all stages.
//!
//! Each step at time t: spawn → launches due → sensor scans and tracking → command-post
//! decision → records → motion over [t, t+dt] with guidance → adjudication of closest
//! approaches inside the step → ends of routes and flights.
use crate::fastfmt::{push_fixed, push_u64};
use crate::history::{SensorInfo, TrackSample, TrackState, tracks_csv};
use crate::setup::{self, InterceptorType, Signature, TerminalLaw, UnitRadar, UnitSetup};
use crate::summary::{LauncherSummary, Metrics, ReloadSummary, Summary};
use crate::timeline::{self, TrackLabels, UnitStock};
use crate::world::{Entity, InterceptorInfo, Mover, MoverEnd, Role};
use crate::{EngineError, write_atomic};
use bulwark_c2::assign::{Candidate, EngagementStatus, Picture};
use bulwark_c2::identify::correlate_reply;
use bulwark_c2::{
    Airspace, DefendedAsset, Identification, IdentificationRules, IffEvidence, RankedThreat, RoeState, TargetRating,
    ThreatInput, ThreatParams, TrackView, assign_weapons_rated, identify_with, identify_without_reasons, rank_threats,
};
use bulwark_core::{
    EntityId, Event, EventKind, Identity, InterceptOutcome, PlatformClass, RngStream, RngStreams, SensorId,
    SimDuration, SimTime, StreamPurpose, TrackId, Vec3,
};
use bulwark_geo::{EnuFrame, FOUR_THIRDS, Geodetic, Rae};
use bulwark_motion::{GuidancePhase, KinematicState, closest_approach_linear};
use bulwark_scenario::{Band as CatBand, Scenario};
use bulwark_sensors::jamming::in_main_beam;
use bulwark_sensors::{
    IffMode, JammerView, LineOfSightMask, Radar, RadarTarget, ScanOutput, Scene, TargetView, Task, Transponder,
};
use bulwark_terrain::{ElevationGrid, Masking, TerrainMask};
use bulwark_tracking::{Detection, RangeAzElRr, SensorPose, TrackEvent, Tracker, TrackerConfig};
use std::collections::{BTreeMap, BTreeSet};
use std::f64::consts::TAU;
use std::fmt::Write as _;
use std::io::Write;
use std::path::Path;
use std::sync::Arc;

/// Command-post decision period (s).
const DECISION_PERIOD: SimDuration = SimDuration::from_secs(1);
/// The ranked threat list goes into `threats.csv` at every decision cycle where its order
/// changed, and at least at this period while it is not empty.
const THREATS_CSV_PERIOD: SimDuration = SimDuration::from_secs(10);
/// Header of `threats.csv`: one row per ranked track (time to go empty when none threatens).
const THREATS_CSV_HEADER: &str = "t_s,unit,rank,track,class,identity,confidence,score,asset,time_to_go_s,reasons\n";
/// Shortest interval between the two track updates of an acceleration estimate (s).
const ACCEL_BASELINE_S: f64 = 4.0;
/// Longest such interval (s): past it, a reference too noisy to difference is replaced.
const ACCEL_MAX_BASELINE_S: f64 = 20.0;
/// Largest 1-σ noise per axis of an acceleration estimate passed to identification (m/s²):
/// about the class models' residual spreads (2–8 m/s²), so noise does not decide the class.
const ACCEL_MAX_SIGMA_MPS2: f64 = 3.0;
/// Truth and track rows are recorded at this period.
const RECORD_PERIOD: SimDuration = SimDuration::from_secs(1);
/// A sensor keeps expecting a track it hit within this many of its revisit periods.
const EXPECT_REVISITS: i64 = 3;
/// A track no sensor updated for this long counts misses on every scan (s).
const STALE_TRACK_S: f64 = 30.0;
/// Seeker search cone half-angle around the line of sight to the target estimate (rad).
const SEEKER_CONE_RAD: f64 = 0.07;
/// An interceptor that has passed its target estimate by this close has missed (m).
const PASS_RANGE_M: f64 = 2_000.0;
/// Half-width of a track dwell's range gate around the predicted range (m): several times a
/// track's position uncertainty at the dwell rates used, so the echo falls inside.
const TRACK_GATE_M: f64 = 5_000.0;
/// Process noise of the tracker's constant-velocity model (m²/s³): manoeuvring aircraft
/// and missiles, ~ (5 g)² × 1 s.
const TRACKER_Q: f64 = 400.0;

/// How an interceptor's flight ends in the adjudicator.
enum Burst {
    /// Closest approach to object `target` (entity index) inside the fuze radius.
    Fuzed { target: usize, miss: f64 },
    /// Passed its target estimate without a burst: the smallest true closest approach so far
    /// (m) and to which object.
    Passed { closest: Option<(f64, EntityId)> },
}

/// Terrain line of sight for the radars: a [`TerrainMask`] over the scenario's DEM with the
/// standard 4/3-earth refraction, sampled at the grid spacing.
struct TerrainLos(TerrainMask);

impl TerrainLos {
    fn load(path: &Path) -> Result<Self, EngineError> {
        let grid = ElevationGrid::from_geotiff(path).map_err(|e| EngineError::Input(format!("terrain: {e}")))?;
        let step = grid.min_spacing_m();
        TerrainMask::new(Arc::new(grid), FOUR_THIRDS, step)
            .map(TerrainLos)
            .map_err(|e| EngineError::Input(format!("terrain {}: {e}", path.display())))
    }
}

impl LineOfSightMask for TerrainLos {
    fn visible(&self, radar: &Geodetic, target: &Geodetic) -> bool {
        self.0.visible(radar, target)
    }
}

/// Per-track knowledge of a command post.
#[derive(Clone, Debug, Default)]
struct TrackInfo {
    identity: Identity,
    hostile_since: Option<SimTime>,
    iff: IffEvidence,
    /// Truth labels of the plots that updated the track (metrics only).
    truth_hits: BTreeMap<EntityId, u32>,
    confirmed_ever: bool,
    engagement: EngagementStatus,
    last_hit_by: BTreeMap<SensorId, SimTime>,
    /// The unit radar (index) holding track dwells on it while it is engaged.
    dwell_radar: Option<usize>,
    /// Acceleration estimate for identification (m/s², ENU; see [`update_acceleration`]).
    accel: Option<Vec3>,
    /// The update it is differenced from: time (s), velocity (m/s), largest velocity σ (m/s).
    accel_ref: Option<(f64, Vec3, f64)>,
    /// The identity last reported in a `TrackIdentified` event (reported once confirmed).
    reported_identity: Identity,
}

impl TrackInfo {
    /// The truth object most of the track's plots came from (metrics only).
    fn dominant_truth(&self) -> Option<EntityId> {
        self.truth_hits.iter().max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0))).map(|(e, _)| *e)
    }
}

/// The signature of each observable object, parallel to its view.
type Signatures = Vec<Option<Arc<Signature>>>;

struct RadarRngs {
    detect: RngStream,
    noise: RngStream,
    false_alarm: RngStream,
}

struct Unit {
    setup: UnitSetup,
    tracker: Tracker,
    radar_rngs: Vec<RadarRngs>,
    iff_rng: RngStream,
    tracks: BTreeMap<TrackId, TrackInfo>,
    next_decision: SimTime,
    /// Track order of the last ranked threat list, and when it last went into `threats.csv`.
    last_ranking: Vec<TrackId>,
    last_threat_rows: Option<SimTime>,
    /// The track views of the last decision and its time, for the record of the same time.
    views_at: Option<(SimTime, Vec<TrackView>)>,
}

struct PendingLaunch {
    at: SimTime,
    unit: usize,
    launcher: usize,
    track: TrackId,
    type_id: String,
    aim_enu: Vec3,
}

/// A run in progress.
pub struct Simulation<'a> {
    scenario: &'a Scenario,
    seed: u64,
    rng: RngStreams,
    frame: EnuFrame,
    dt: SimDuration,
    end: SimTime,
    now: SimTime,
    steps: u64,
    entities: Vec<Entity>,
    units: Vec<Unit>,
    types: BTreeMap<String, InterceptorType>,
    assets: Vec<DefendedAsset>,
    rules: IdentificationRules,
    /// Filed civil routes and flight plans (identification).
    airspace: Airspace,
    threat_params: ThreatParams,
    threats_csv: String,
    pending: Vec<PendingLaunch>,
    /// Terrain masking of the radars' lines of sight (scenario `terrain`), if any.
    terrain: Option<TerrainLos>,
    kill_rngs: BTreeMap<EntityId, RngStream>,
    seeker_rngs: BTreeMap<EntityId, RngStream>,
    events: Vec<Event>,
    truth_csv: String,
    track_history: Vec<TrackSample>,
    /// What the timeline needs of the track records, kept whatever `options` records.
    labels: TrackLabels,
    metrics: Metrics,
    options: SimOptions,
}

/// What a run records besides its summary and timeline, which are the same whatever is chosen.
/// [`SimOptions::default`] records everything (the six files of `bulwark run`);
/// [`SimOptions::summary_only`] records nothing else, for campaigns that keep only summaries:
/// its event log keeps the engagement events (spawns, confirmed tracks, identifications, fire
/// orders, launches, intercepts, kills, leaks) and drops the per-plot events and the life of
/// tracks never confirmed — in the reference run ≈ 65 000 plots and ≈ 59 000 false-alarm
/// track events of ≈ 125 000 — and truth, track and threat rows are not recorded.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct SimOptions {
    /// Log every radar plot (`detection`), jammer strobe (`strobe`) and IFF reply (`iff_reply`).
    pub plot_events: bool,
    /// Log `track_initiated` of every track and `track_deleted` of tracks never confirmed
    /// (off: a track enters the log at `track_confirmed`, and leaves it only if it was confirmed).
    pub tentative_track_events: bool,
    /// Record `truth.csv` (every live object once a second).
    pub record_truth: bool,
    /// Record the track history ([`RunResult::tracks`], `tracks.csv`).
    pub record_tracks: bool,
    /// Record the ranked threat lists (`threats.csv`).
    pub record_threats: bool,
}

impl Default for SimOptions {
    fn default() -> Self {
        SimOptions {
            plot_events: true,
            tentative_track_events: true,
            record_truth: true,
            record_tracks: true,
            record_threats: true,
        }
    }
}

impl SimOptions {
    /// Everything off: the summary, the timeline and the engagement events only.
    pub fn summary_only() -> Self {
        SimOptions {
            plot_events: false,
            tentative_track_events: false,
            record_truth: false,
            record_tracks: false,
            record_threats: false,
        }
    }
}

/// What a run produced.
pub struct RunResult {
    pub summary: Summary,
    pub events: Vec<Event>,
    pub truth_csv: String,
    pub tracks_csv: String,
    /// Per-threat timeline (`timeline.csv`).
    pub timeline_csv: String,
    /// Ranked threat lists of the command posts (`threats.csv`; see [`THREATS_CSV_PERIOD`]).
    pub threats_csv: String,
    /// Every unit's tracks at each record time, in time order.
    pub tracks: Vec<TrackSample>,
    /// The radars of the run.
    pub sensors: Vec<SensorInfo>,
    /// Scenario ENU origin and UTC epoch (simulation time 0).
    pub origin: Geodetic,
    pub epoch: time::OffsetDateTime,
}

impl RunResult {
    /// The event log as JSON Lines.
    pub fn events_jsonl(&self) -> String {
        let mut s = Vec::new();
        // Writing into memory cannot fail.
        let _ = self.write_events_jsonl(&mut s);
        String::from_utf8(s).unwrap_or_default()
    }

    /// Streams the event log as JSON Lines into `w` (the text of [`RunResult::events_jsonl`]).
    pub fn write_events_jsonl(&self, w: &mut dyn Write) -> std::io::Result<()> {
        for e in &self.events {
            // Events hold only finite numbers, strings and ids: serialisation cannot fail but
            // on the writer's own error.
            serde_json::to_writer(&mut *w, e).map_err(std::io::Error::other)?;
            w.write_all(b"\n")?;
        }
        Ok(())
    }

    /// Write the six output files into `dir` (created if needed), each atomically.
    pub fn write(&self, dir: &Path) -> Result<(), EngineError> {
        let io = |path: &Path, e| EngineError::Io { path: path.to_path_buf(), source: e };
        std::fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
        let path = dir.join("events.jsonl");
        write_atomic(&path, |w| self.write_events_jsonl(w)).map_err(|e| io(&path, e))?;
        let summary = serde_json::to_string_pretty(&self.summary).unwrap_or_default() + "\n";
        for (name, text) in [
            ("truth.csv", self.truth_csv.as_str()),
            ("tracks.csv", self.tracks_csv.as_str()),
            ("timeline.csv", self.timeline_csv.as_str()),
            ("threats.csv", self.threats_csv.as_str()),
            ("summary.json", summary.as_str()),
        ] {
            let path = dir.join(name);
            write_atomic(&path, |w| w.write_all(text.as_bytes())).map_err(|e| io(&path, e))?;
        }
        Ok(())
    }
}

fn up_at(g: &Geodetic) -> Vec3 {
    let (sl, cl) = g.lat_rad.sin_cos();
    let (so, co) = g.lon_rad.sin_cos();
    Vec3::new(cl * co, cl * so, sl)
}

impl<'a> Simulation<'a> {
    /// Set up a run of `scenario` with `seed` that records everything ([`SimOptions::default`]).
    pub fn new(scenario: &'a Scenario, seed: u64) -> Result<Self, EngineError> {
        Self::with_options(scenario, seed, SimOptions::default())
    }

    /// Set up a run of `scenario` with `seed` recording what `options` asks for; its summary and
    /// timeline are those of [`Simulation::new`] to the byte.
    pub fn with_options(scenario: &'a Scenario, seed: u64, options: SimOptions) -> Result<Self, EngineError> {
        let frame = EnuFrame::new(scenario.origin);
        let rng = RngStreams::new(seed, 0);
        let entities = setup::entities(scenario, &rng)?;
        let carried: BTreeSet<&str> = scenario
            .defences
            .iter()
            .flat_map(|d| {
                let launchers = d.launchers.iter().flat_map(|l| l.missiles.keys());
                launchers.chain(d.reloads.iter().flat_map(|r| r.missiles.keys()))
            })
            .map(String::as_str)
            .collect();
        let types = setup::interceptor_types_for(&scenario.catalog, |id| carried.contains(id))?;
        let mut units = Vec::new();
        for u in setup::units(scenario, &frame)? {
            let cfg = TrackerConfig::constant_velocity(TRACKER_Q);
            let tracker = Tracker::new(cfg).map_err(|e| EngineError::Input(format!("tracker: {e}")))?;
            let radar_rngs = u
                .radars
                .iter()
                .map(|r| {
                    let key = u64::from(r.radar.id().0) << 32;
                    RadarRngs {
                        detect: rng.stream(key, StreamPurpose::Detection),
                        noise: rng.stream(key, StreamPurpose::MeasurementNoise),
                        false_alarm: rng.stream(key, StreamPurpose::FalseAlarm),
                    }
                })
                .collect();
            let iff_rng = rng.stream((u64::from(u.id.0) << 32) | 0xFFFF, StreamPurpose::Iff);
            units.push(Unit {
                setup: u,
                tracker,
                radar_rngs,
                iff_rng,
                tracks: BTreeMap::new(),
                next_decision: SimTime::ZERO,
                last_ranking: Vec::new(),
                last_threat_rows: None,
                views_at: None,
            });
        }
        let mut assets: Vec<DefendedAsset> = scenario
            .assets
            .iter()
            .map(|a| DefendedAsset {
                name: a.name.clone(),
                position: frame.geodetic_to_enu(&a.position),
                radius_m: a.radius_m,
            })
            .collect();
        // Every unit defends itself too.
        for u in &units {
            assets.push(DefendedAsset {
                name: u.setup.name.clone(),
                position: frame.geodetic_to_enu(&u.setup.site),
                radius_m: 2_000.0,
            });
        }
        let mut metrics = Metrics::default();
        for u in &units {
            for (k, n) in &u.setup.loaded {
                *metrics.loaded.entry(k.clone()).or_insert(0) += n;
            }
            for (l, placed) in u.setup.launchers.iter().zip(&scenario.defences[u.setup.id.0 as usize - 1].launchers) {
                metrics.launchers.push(LauncherSummary {
                    launcher: l.id.0,
                    unit_id: u.setup.id.0,
                    unit: u.setup.name.clone(),
                    type_id: l.type_id.clone(),
                    arrives_s: placed.arrives.map(|t| t.as_secs_f64()),
                    ready_s: l.ready_at.as_secs_f64(),
                    loaded: l.stock.clone(),
                    fired: 0,
                    reloads: Vec::new(),
                });
            }
        }
        let end = SimTime::ZERO + scenario.duration;
        let terrain = match &scenario.terrain {
            Some(t) => Some(TerrainLos::load(&t.geotiff)?),
            None => None,
        };
        let mut sim = Simulation {
            scenario,
            seed,
            rng,
            frame,
            dt: scenario.time_step,
            end,
            now: SimTime::ZERO,
            steps: 0,
            entities,
            units,
            types,
            assets,
            rules: IdentificationRules::default(),
            airspace: setup::airspace(scenario, &frame),
            threat_params: setup::threat_params(),
            threats_csv: String::from(THREATS_CSV_HEADER),
            pending: Vec::new(),
            terrain,
            kill_rngs: BTreeMap::new(),
            seeker_rngs: BTreeMap::new(),
            events: Vec::new(),
            truth_csv: String::from(
                "t_s,entity,name,class,role,lat_deg,lon_deg,alt_m,east_m,north_m,up_m,vel_east_mps,vel_north_mps,vel_up_mps\n",
            ),
            track_history: Vec::new(),
            labels: TrackLabels::default(),
            metrics,
            options,
        };
        let epoch = scenario.epoch.format(&time::format_description::well_known::Rfc3339).unwrap_or_default();
        sim.log(EventKind::RunStarted { scenario: scenario.name.clone(), seed, epoch_utc: epoch });
        Ok(sim)
    }

    fn log(&mut self, kind: EventKind) {
        self.events.push(Event::new(self.now, kind));
    }

    /// Run to the scenario's end.
    pub fn run(&mut self) {
        while self.now <= self.end {
            self.step();
            self.now += self.dt;
            self.steps += 1;
        }
        self.log(EventKind::RunEnded { steps: self.steps });
    }

    fn step(&mut self) {
        self.spawn();
        self.launch_due();
        self.sense();
        if self.units.iter().any(|u| u.next_decision <= self.now) {
            self.decide();
        }
        if self.now.as_nanos() % RECORD_PERIOD.as_nanos() == 0 {
            self.record();
        }
        self.move_all();
        self.adjudicate();
        self.ends();
    }

    fn spawn(&mut self) {
        let now = self.now;
        let mut spawned = Vec::new();
        for e in &mut self.entities {
            if !e.spawned && e.alive && e.spawn_at <= now {
                e.spawned = true;
                spawned.push((e.id, e.name.clone(), e.class, e.type_id.clone()));
            }
        }
        for (entity, name, class, type_id) in spawned {
            self.log(EventKind::EntitySpawned { entity, name, class, type_id });
        }
    }

    /// What sensors may see now: each observable object's view and transponder (as the IFF
    /// interrogator takes them) and, in parallel, its signature.
    fn target_views(&self) -> (Vec<(TargetView, Transponder)>, Signatures) {
        self.entities
            .iter()
            .filter(|e| e.observable())
            .map(|e| {
                let view = TargetView {
                    entity: e.id,
                    position_ecef: e.pos,
                    velocity_ecef: e.vel,
                    rcs_m2: e.rcs_m2,
                    altitude_m: Geodetic::alt_of_ecef(&e.pos),
                };
                ((view, e.transponder), e.signature.clone())
            })
            .unzip()
    }

    /// The looks due now: search looks of every radar at its (possibly stretched) period, and
    /// track dwells of multifunction radars on their engaged tracks.
    fn sense(&mut self) {
        let now = self.now;
        let mut tasks: Vec<(usize, usize, Task)> = Vec::new();
        for (ui, unit) in self.units.iter_mut().enumerate() {
            for (ri, r) in unit.setup.radars.iter_mut().enumerate() {
                if r.start <= now {
                    tasks.extend(r.scheduler.due(now).into_iter().map(|t| (ui, ri, t)));
                }
            }
        }
        if tasks.is_empty() {
            return;
        }
        let (targets, sigs) = self.target_views();
        let radar_targets: Vec<RadarTarget<'_>> = targets
            .iter()
            .zip(&sigs)
            .map(|((view, _), sig)| RadarTarget {
                view: *view,
                rcs_table: sig.as_ref().and_then(|s| s.rcs_table.as_ref()),
                swerling: sig.as_ref().map(|s| s.swerling),
            })
            .collect();
        // Every jammer flying now (self-protection on a target, or a stand-off platform), with its bands.
        let jammers: Vec<(JammerView, &[CatBand])> = targets
            .iter()
            .zip(&sigs)
            .filter_map(|((view, _), sig)| {
                let j = sig.as_ref()?.jammer.as_ref()?;
                Some((JammerView::self_protection(view, j.jammer), j.bands.as_slice()))
            })
            .collect();
        let mask = self.terrain.as_ref().map(|m| m as &dyn LineOfSightMask);
        let mut cx =
            LookCx { now, options: self.options, frame: &self.frame, log: Vec::new(), metrics: &mut self.metrics };
        // Plots of the track dwells of one radar this step, handed to the tracker together.
        let mut dwells: Option<((usize, usize), Offer)> = None;
        for (ui, ri, task) in tasks {
            if dwells.as_ref().is_some_and(|(key, _)| *key != (ui, ri) || task == Task::Search)
                && let Some(((dui, dri), offer)) = dwells.take()
            {
                update_tracks(&mut self.units[dui], dri, offer, false, &mut cx);
            }
            let unit = &mut self.units[ui];
            let band = unit.setup.radars[ri].band;
            let jam: Vec<JammerView> = jammers.iter().filter(|(_, b)| b.contains(&band)).map(|(j, _)| *j).collect();
            match task {
                Task::Search => {
                    let scene = Scene { targets: &radar_targets, jammers: &jam, mask };
                    let out = look(&unit.setup.radars[ri].radar, &scene, &mut unit.radar_rngs[ri], now);
                    let sensor = unit.setup.radars[ri].radar.id();
                    for (s, truth) in out.strobes.iter().zip(&out.strobe_truth) {
                        if cx.options.plot_events {
                            cx.log.push(EventKind::Strobe {
                                sensor,
                                azimuth_rad: s.azimuth_rad,
                                elevation_rad: s.elevation_rad,
                                jnr_db: s.jnr_db,
                                truth: *truth,
                            });
                        }
                        cx.metrics.strobes += 1;
                    }
                    let mut offer = Offer::default();
                    offer_plots(unit, ri, &out, None, &mut offer, &mut cx);
                    update_tracks(unit, ri, offer, true, &mut cx);
                    if unit.setup.iff.as_ref().is_some_and(|(_, slave)| *slave == ri) {
                        Self::interrogate(unit, cx.frame, &targets, now, cx.options.plot_events, &mut cx.log);
                    }
                }
                Task::TrackDwell(key) => {
                    let Some(g) = unit.tracker.predict_track(TrackId(key), now.as_secs_f64()) else { continue };
                    let predicted = g.position();
                    let radar = &unit.setup.radars[ri].radar;
                    let boresight = radar.site().rae(&cx.frame.to_ecef(&predicted));
                    let Some(dwell) = dwell_radar(radar, &boresight) else { continue };
                    let p = radar.params();
                    let in_beam: Vec<RadarTarget<'_>> = radar_targets
                        .iter()
                        .filter(|t| {
                            let rae = radar.site().rae(&t.view.position_ecef);
                            in_main_beam(&boresight, &rae, p.beamwidth_az_rad, p.beamwidth_el_rad)
                        })
                        .copied()
                        .collect();
                    let scene = Scene { targets: &in_beam, jammers: &jam, mask };
                    let out = look(&dwell, &scene, &mut unit.radar_rngs[ri], now);
                    let (_, offer) = dwells.get_or_insert_with(|| ((ui, ri), Offer::default()));
                    offer_plots(unit, ri, &out, Some(predicted), offer, &mut cx);
                }
            }
        }
        if let Some(((ui, ri), offer)) = dwells.take() {
            update_tracks(&mut self.units[ui], ri, offer, false, &mut cx);
        }
        let log = cx.log;
        for k in log {
            self.log(k);
        }
    }

    /// IFF interrogation on the slaved radar's scan; replies correlate to tracks by
    /// horizontal position in the interrogator's frame (replies carry range and azimuth).
    fn interrogate(
        unit: &mut Unit,
        frame: &EnuFrame,
        targets: &[(TargetView, Transponder)],
        now: SimTime,
        log_replies: bool,
        log: &mut Vec<EventKind>,
    ) {
        let Some((iff, _)) = &unit.setup.iff else { return };
        let out = iff.interrogate(now, targets, &mut unit.iff_rng);
        let site = iff.site();
        let t_s = now.as_secs_f64();
        // Tracks in the interrogator's cover, as horizontal points in its frame.
        let mut views = Vec::new();
        for tr in unit.tracker.tracks() {
            let Some(g) = unit.tracker.predict_track(tr.id, t_s) else { continue };
            let ecef = frame.to_ecef(&g.position());
            let local = site.to_enu(&ecef);
            if local.norm() > iff.params().range_m {
                continue;
            }
            views.push(TrackView {
                id: tr.id,
                position: Vec3::new(local.x, local.y, 0.0),
                velocity: Vec3::zeros(),
                altitude_m: 0.0,
                climb_rate_mps: 0.0,
                confirmed: tr.status.is_confirmed(),
                coasting: false,
                identity: Identity::Pending,
                hostile_since: None,
            });
        }
        let mut answered: BTreeMap<TrackId, (IffMode, Option<u16>)> = BTreeMap::new();
        for (reply, truth) in out.replies.iter().zip(&out.truth) {
            if log_replies {
                log.push(EventKind::IffReply {
                    sensor: reply.sensor,
                    mode: reply.mode.as_str().to_string(),
                    code: reply.code,
                    truth: *truth,
                });
            }
            let ground = match reply.altitude_m {
                Some(h) => (reply.range_m.powi(2) - (h - site.origin().alt_m).powi(2)).max(0.0).sqrt(),
                None => reply.range_m,
            };
            let (s, c) = reply.azimuth_rad.sin_cos();
            let p = Vec3::new(ground * s, ground * c, 0.0);
            let sigma = iff.params().sigma_range_m.hypot(ground * iff.params().sigma_azimuth_rad);
            if let Some(tid) = correlate_reply(&p, sigma, 1_000.0, &views) {
                answered.insert(tid, (reply.mode, reply.code));
            }
        }
        for v in &views {
            let info = unit.tracks.entry(v.id).or_default();
            info.iff.interrogations += 1;
            match answered.get(&v.id) {
                Some((IffMode::Mode5, _)) => {
                    info.iff.mode5_replies += 1;
                    info.iff.unanswered_in_a_row = 0;
                }
                Some((_, code)) => {
                    info.iff.civil_replies += 1;
                    info.iff.last_civil_code = code.or(info.iff.last_civil_code);
                    info.iff.unanswered_in_a_row = 0;
                }
                None => info.iff.unanswered_in_a_row += 1,
            }
        }
    }

    /// Track views of a unit at `now` (perception only), each with its state covariance
    /// predicted to `now` (order x y z vx vy vz; m², m²/s²) from the same prediction.
    fn views(unit: &Unit, frame: &EnuFrame, now: SimTime) -> (Vec<TrackView>, Vec<[[f64; 6]; 6]>) {
        let t_s = now.as_secs_f64();
        let mut views = Vec::new();
        let mut covariances = Vec::new();
        for tr in unit.tracker.tracks() {
            let Some(g) = unit.tracker.predict_track(tr.id, t_s) else { continue };
            let pos = g.position();
            let vel = g.velocity();
            let ecef = frame.to_ecef(&pos);
            let geo = Geodetic::from_ecef(&ecef);
            let climb = frame.vec_to_ecef(&vel).dot(&up_at(&geo));
            let info = unit.tracks.get(&tr.id);
            views.push(TrackView {
                id: tr.id,
                position: pos,
                velocity: vel,
                altitude_m: geo.alt_m,
                climb_rate_mps: climb,
                confirmed: tr.status.is_confirmed(),
                coasting: tr.status == bulwark_tracking::TrackStatus::Coasting,
                identity: info.map(|i| i.identity).unwrap_or_default(),
                hostile_since: info.and_then(|i| i.hostile_since),
            });
            let mut p = [[0.0; 6]; 6];
            for (i, row) in p.iter_mut().enumerate() {
                for (j, x) in row.iter_mut().enumerate() {
                    *x = g.covariance[(i, j)];
                }
            }
            covariances.push(p);
        }
        (views, covariances)
    }

    fn decide(&mut self) {
        let now = self.now;
        let roe_state = self.scenario.roe_at(now);
        let mut log = Vec::new();
        let mut launches = Vec::new();
        for (ui, unit) in self.units.iter_mut().enumerate() {
            if unit.next_decision > now {
                continue;
            }
            unit.next_decision = now + DECISION_PERIOD;
            let (mut views, covariances) = Self::views(unit, &self.frame, now);
            let t_s = now.as_secs_f64();
            // Identification: IFF, filed flight plans and kinematics (with the acceleration
            // estimate when it is good enough) → class, identity, confidence.
            let mut idents: Vec<Identification> = Vec::with_capacity(views.len());
            for v in &mut views {
                let info = unit.tracks.entry(v.id).or_default();
                if let Some(tr) = unit.tracker.track(v.id) {
                    update_acceleration(info, tr);
                }
                // A tentative track's identity is kept (and recorded), its reasons never read.
                let identify = if v.confirmed { identify_with } else { identify_without_reasons };
                let id = identify(v, info.accel.as_ref(), &info.iff, &self.rules, &self.airspace);
                info.identity = id.identity;
                // Reported once the track is confirmed, also when decided while it was tentative.
                if v.confirmed && id.identity != info.reported_identity {
                    info.reported_identity = id.identity;
                    let reason = format!("{}; confidence {:.2}", id.reason, id.confidence);
                    log.push(EventKind::TrackIdentified { track: v.id, identity: id.identity, reason });
                }
                // Declared engageable (hostile, suspect, or unknown and silent): the reaction time runs.
                if v.confirmed && id.engageable(RoeState::WeaponsFree) {
                    info.hostile_since.get_or_insert(now);
                } else if info.identity.protected() {
                    info.hostile_since = None;
                }
                v.identity = info.identity;
                v.hostile_since = info.hostile_since;
                idents.push(id);
            }
            // The views as identified now are also the record's of this time, if it records
            // (nothing changes the tracks or their identities in between).
            unit.views_at = Some((now, views.clone()));
            // Threat evaluation: the ranked threat list of the confirmed tracks (ballistic ones
            // by their predicted impact, with the track covariance for the footprint).
            let inputs: Vec<ThreatInput<'_>> = views
                .iter()
                .zip(&idents)
                .zip(&covariances)
                .filter(|((v, _), _)| v.confirmed)
                .map(|((v, id), c)| ThreatInput { track: v, identification: id, covariance: Some(c) })
                .collect();
            let ranked = rank_threats(&inputs, &self.assets, &self.threat_params);
            let order: Vec<TrackId> = ranked.iter().map(|r| r.track).collect();
            let due = unit.last_threat_rows.is_none_or(|t| t + THREATS_CSV_PERIOD <= now);
            if !ranked.is_empty() && (order != unit.last_ranking || due) {
                if self.options.record_threats {
                    threat_rows(&mut self.threats_csv, t_s, unit.setup.id.0, &ranked);
                }
                unit.last_threat_rows = Some(now);
            }
            unit.last_ranking = order;
            let ratings: BTreeMap<TrackId, TargetRating> = ranked
                .iter()
                .filter_map(|r| {
                    let id = views.iter().position(|v| v.id == r.track).map(|i| &idents[i])?;
                    Some((r.track, TargetRating { rank: r.rank, value: r.score, engageable: id.engageable(roe_state) }))
                })
                .collect();
            let ranked_by: BTreeMap<TrackId, &RankedThreat> = ranked.iter().map(|r| (r.track, r)).collect();
            // Threat evaluation and fire distribution.
            let in_flight: u32 = unit.tracks.values().map(|i| i.engagement.in_flight).sum();
            let mut channels = unit.tracks.values().filter(|i| i.engagement.in_flight > 0).count() as u32;
            // Multifunction radars grant engagements from their time budget: the command post
            // engages at most as many targets at once as they hold and can still grant.
            let scheduled: Vec<usize> =
                (0..unit.setup.radars.len()).filter(|&ri| unit.setup.radars[ri].scheduler.budget().is_some()).collect();
            unit.setup.doctrine.fire_channels = if scheduled.is_empty() {
                unit.setup.max_channels
            } else {
                let held: u32 = scheduled.iter().map(|&ri| unit.setup.radars[ri].scheduler.tracked()).sum();
                let free: u32 = scheduled.iter().map(|&ri| unit.setup.radars[ri].scheduler.free_slots()).sum();
                channels = channels.max(held);
                (held + free).min(unit.setup.max_channels)
            };
            let protected: Vec<&TrackView> = views.iter().filter(|v| v.identity.protected()).collect();
            // Fire distribution: a ballistic track is defended against only when its predicted
            // impact falls on a defended footprint.
            let candidates: Vec<Candidate<'_>> = views
                .iter()
                .filter(|v| v.confirmed && !v.identity.protected())
                .filter_map(|v| {
                    let r = ranked_by.get(&v.id)?;
                    (r.impact_in_footprint != Some(false)).then(|| Candidate {
                        track: v,
                        assessment: r.assessment.clone(),
                        engagement: unit.tracks.get(&v.id).map(|i| i.engagement).unwrap_or_default(),
                    })
                })
                .collect();
            let picture = Picture {
                now,
                roe: roe_state,
                candidates,
                protected,
                channels_in_use: channels,
                missiles_in_flight: in_flight,
            };
            let mut weapons: Vec<bulwark_c2::WeaponView> = unit
                .setup
                .launchers
                .iter()
                .map(|l| bulwark_c2::WeaponView {
                    launcher: l.id,
                    position: l.position_enu,
                    altitude_m: l.site.alt_m,
                    stock: l.stock.clone(),
                    ready_at: l.ready_at,
                })
                .collect();
            let envelopes: Vec<_> = self
                .types
                .values()
                .filter(|t| unit.setup.loaded.contains_key(&t.envelope.type_id))
                .map(|t| t.envelope.clone())
                .collect();
            let orders =
                assign_weapons_rated(&picture, &mut weapons, &envelopes, &unit.setup.doctrine, &self.rules, &ratings);
            for (l, w) in unit.setup.launchers.iter_mut().zip(&weapons) {
                l.stock = w.stock.clone();
                l.ready_at = w.ready_at;
            }
            // Launches queued per launcher this cycle: one launcher's orders leave one after another.
            let mut queued: BTreeMap<usize, i64> = BTreeMap::new();
            for o in orders {
                let Some(li) = unit.setup.launchers.iter().position(|l| l.id == o.launcher) else { continue };
                let info = unit.tracks.entry(o.track).or_default();
                info.engagement.in_flight += o.count;
                info.engagement.fired += o.count;
                if info.dwell_radar.is_none() && !scheduled.is_empty() {
                    // The engagement radar: one that covers the track and can grant, else any that can.
                    let position = views.iter().find(|v| v.id == o.track).map(|v| self.frame.to_ecef(&v.position));
                    let radars = &unit.setup.radars;
                    let covers =
                        |ri: usize| position.is_some_and(|p| radars[ri].radar.covers(&radars[ri].radar.site().rae(&p)));
                    let can = |ri: usize| radars[ri].scheduler.free_slots() > 0;
                    let pick = scheduled
                        .iter()
                        .copied()
                        .find(|&ri| can(ri) && covers(ri))
                        .or_else(|| scheduled.iter().copied().find(|&ri| can(ri)));
                    if let Some(ri) = pick {
                        let r = &mut unit.setup.radars[ri];
                        if r.scheduler.request_track(o.track.0, now) {
                            info.dwell_radar = Some(ri);
                            log.push(EventKind::TrackDwellsGranted { sensor: r.radar.id(), track: o.track });
                        }
                    }
                }
                if let Some(e) = info.dominant_truth() {
                    self.metrics.engaged.insert(e);
                }
                log.push(EventKind::FireOrder {
                    unit: unit.setup.id,
                    track: o.track,
                    launcher: o.launcher,
                    interceptor_type: o.interceptor_type.clone(),
                    count: o.count,
                    time_to_go_s: o.time_to_go_s.is_finite().then_some(o.time_to_go_s),
                });
                let interval = SimDuration::from_secs_f64(unit.setup.doctrine.launch_interval_s);
                let first = queued.entry(li).or_insert(0);
                for k in 0..o.count {
                    launches.push(PendingLaunch {
                        at: now + SimDuration::from_nanos(interval.as_nanos() * (*first + i64::from(k))),
                        unit: ui,
                        launcher: li,
                        track: o.track,
                        type_id: o.interceptor_type.clone(),
                        aim_enu: o.intercept_point,
                    });
                }
                *first += i64::from(o.count);
            }
        }
        for k in log {
            self.log(k);
        }
        self.pending.extend(launches);
        self.launch_due();
    }

    /// Launcher readiness: a reload ends (its rounds enter the launcher, which is ready at
    /// start + catalog `reload_time`), and an empty, idle launcher with no launch pending
    /// takes compatible rounds (up to its tubes) from the first free reload vehicle of its
    /// unit. Rounds move, never appear: vehicle stock falls as launcher stock will rise.
    fn service_launchers(&mut self) {
        let now = self.now;
        for (ui, unit) in self.units.iter_mut().enumerate() {
            let setup = &mut unit.setup;
            for (li, l) in setup.launchers.iter_mut().enumerate() {
                if l.reloading.as_ref().is_some_and(|(until, _)| *until <= now) {
                    for (k, n) in l.reloading.take().into_iter().flat_map(|(_, rounds)| rounds) {
                        *l.stock.entry(k).or_insert(0) += n;
                    }
                }
                let empty = l.stock.values().all(|&n| n == 0);
                let pending = self.pending.iter().any(|p| p.unit == ui && p.launcher == li);
                if l.reloading.is_some() || !empty || l.ready_at > now || pending {
                    continue;
                }
                for v in setup.reload_vehicles.iter_mut().filter(|v| v.busy_until <= now) {
                    let mut rounds = BTreeMap::new();
                    let mut room = l.capacity;
                    for (k, n) in v.stock.iter_mut().filter(|(k, _)| l.loads.contains(k)) {
                        let take = (*n).min(room);
                        if take > 0 {
                            *n -= take;
                            room -= take;
                            rounds.insert(k.clone(), take);
                        }
                    }
                    if rounds.is_empty() {
                        continue;
                    }
                    let until = now + SimDuration::from_secs_f64(l.reload_time_s);
                    v.busy_until = until;
                    l.ready_at = until;
                    if let Some(m) = self.metrics.launchers.iter_mut().find(|m| m.launcher == l.id.0) {
                        m.reloads.push(ReloadSummary {
                            start_s: now.as_secs_f64(),
                            end_s: until.as_secs_f64(),
                            missiles: rounds.clone(),
                        });
                    }
                    l.reloading = Some((until, rounds));
                    break;
                }
            }
        }
    }

    fn launch_due(&mut self) {
        self.service_launchers();
        let now = self.now;
        let (due, rest): (Vec<_>, Vec<_>) = std::mem::take(&mut self.pending).into_iter().partition(|p| p.at <= now);
        self.pending = rest;
        for p in due {
            let unit = &self.units[p.unit];
            let l = &unit.setup.launchers[p.launcher];
            let Some(ty) = self.types.get(&p.type_id) else { continue };
            let aim = self.frame.to_ecef(&p.aim_enu);
            let Ok((missile, lofted)) = ty.launch(l.site, &aim, setup::FLYOUT_LAUNCH_MIN_ELEVATION_RAD) else {
                continue;
            };
            let id = EntityId(self.entities.len() as u32);
            let pos = missile.position_ecef();
            let vel = missile.velocity_ecef();
            let (unit_id, launcher_id) = (unit.setup.id, l.id);
            self.entities.push(Entity {
                id,
                name: format!("{} from {}", p.type_id, launcher_id),
                class: PlatformClass::Interceptor,
                type_id: p.type_id.clone(),
                role: Role::Interceptor,
                rcs_m2: 0.1,
                signature: None,
                transponder: Transponder::None,
                transponder_fit: "none".into(),
                spawn_at: now,
                spawned: true,
                alive: true,
                mover: Mover::Interceptor(Box::new(missile)),
                prev_pos: pos,
                pos,
                vel,
                interceptor: Some(InterceptorInfo::new(
                    unit_id,
                    launcher_id,
                    p.track,
                    p.type_id.clone(),
                    ty.seeker,
                    lofted,
                )),
            });
            self.kill_rngs.insert(id, self.rng.stream(u64::from(id.0), StreamPurpose::KillDraw));
            self.seeker_rngs.insert(id, self.rng.stream(u64::from(id.0), StreamPurpose::Seeker));
            *self.metrics.fired.entry(p.type_id.clone()).or_insert(0) += 1;
            self.log(EventKind::InterceptorLaunched {
                interceptor: id,
                launcher: launcher_id,
                track: p.track,
                interceptor_type: p.type_id,
            });
        }
    }

    fn record(&mut self) {
        let t = self.now.as_secs_f64();
        for e in self.entities.iter().filter(|e| e.live() && self.options.record_truth) {
            let g = Geodetic::from_ecef(&e.pos);
            let p = self.frame.to_enu(&e.pos);
            let v = self.frame.vec_to_enu(&e.vel);
            let role = match e.role {
                Role::Threat { .. } => "threat",
                Role::Civil => "civil",
                Role::Friendly => "friendly",
                Role::Interceptor => "interceptor",
            };
            let out = &mut self.truth_csv;
            push_fixed(out, t, 3);
            out.push(',');
            push_u64(out, u64::from(e.id.0));
            out.push(',');
            out.push_str(&csv_field(&e.name));
            out.push(',');
            out.push_str(e.class.as_str());
            out.push(',');
            out.push_str(role);
            out.push(',');
            for (x, d) in
                [(g.lat_deg(), 7), (g.lon_deg(), 7), (g.alt_m, 1), (p.x, 1), (p.y, 1), (p.z, 1), (v.x, 2), (v.y, 2)]
            {
                push_fixed(out, x, d);
                out.push(',');
            }
            push_fixed(out, v.z, 2);
            out.push('\n');
        }
        for unit in &mut self.units {
            let views = match unit.views_at.take() {
                Some((t, views)) if t == self.now => views,
                _ => Self::views(unit, &self.frame, self.now).0,
            };
            for v in views {
                let Some(tr) = unit.tracker.track(v.id) else { continue };
                let sigma = tr.covariance.fixed_view::<3, 3>(0, 0).trace().max(0.0).sqrt();
                let state = match tr.status {
                    bulwark_tracking::TrackStatus::Tentative => TrackState::Tentative,
                    bulwark_tracking::TrackStatus::Confirmed => TrackState::Confirmed,
                    bulwark_tracking::TrackStatus::Coasting => TrackState::Coasting,
                };
                let info = unit.tracks.get(&v.id);
                let sample = TrackSample {
                    t_s: t,
                    unit: unit.setup.id,
                    track: v.id,
                    state,
                    identity: v.identity,
                    position_enu: v.position,
                    velocity_enu: v.velocity,
                    altitude_m: v.altitude_m,
                    sigma_position_m: sigma,
                    mode3a: info.and_then(|i| i.iff.last_civil_code),
                    truth: info.and_then(|i| i.dominant_truth()),
                };
                self.labels.push(&sample);
                if self.options.record_tracks {
                    self.track_history.push(sample);
                }
            }
        }
    }

    /// Guidance estimate of interceptor `i` for this step. Mid-course: the engagement track
    /// predicted to now (command guidance on the unit's radar track; the last estimate carried
    /// forward if the track is lost). A homing type's seeker, pointed along the estimate, looks
    /// for the object nearest that direction inside its acquisition range; [`bulwark_motion::HandOver`] switches
    /// to terminal homing on the seeker's noisy measurement once the seeker sees it (range,
    /// field of regard, and for a semi-active seeker the radar's illumination: the unit still
    /// holds the track), and back if it loses it. The law is swapped with the phase.
    fn guidance_estimate(&mut self, i: usize) -> Option<KinematicState> {
        let now = self.now;
        let dt_s = self.dt.as_secs_f64();
        let (own, id) = (KinematicState::new(self.entities[i].pos, self.entities[i].vel), self.entities[i].id);
        let info = self.entities[i].interceptor.as_ref()?;
        let ty = self.types.get(&info.type_id)?;
        let unit = self.units.iter().find(|u| u.setup.id == info.unit)?;
        let carried = info.estimate.map(|e| KinematicState::new(e.pos + e.vel * dt_s, e.vel));
        let radar = unit
            .tracker
            .predict_track(info.track, now.as_secs_f64())
            .map(|g| KinematicState::new(self.frame.to_ecef(&g.position()), self.frame.vec_to_ecef(&g.velocity())));
        let illuminated = radar.is_some();
        let track_est = radar.or(carried);
        let Some(mut handover) = info.handover else { return track_est };
        let seeker = handover.seeker;
        // The object the seeker looks at: its lock while that lives, else the one nearest the
        // estimate's direction inside the search cone and the acquisition range.
        let looked = match info.locked.map(|t| &self.entities[t.0 as usize]).filter(|t| t.live()) {
            Some(t) if handover.phase() == GuidancePhase::Terminal => Some(t.id),
            _ => track_est.as_ref().and_then(|est| {
                let to_est = est.pos - own.pos;
                if to_est.norm() > seeker.acquisition_range_m + PASS_RANGE_M {
                    return None;
                }
                let mut best: Option<(f64, EntityId)> = None;
                for e in self.entities.iter().filter(|e| e.observable()) {
                    let d = e.pos - own.pos;
                    if d.norm() > seeker.acquisition_range_m {
                        continue;
                    }
                    let ang = d.angle(&to_est);
                    if ang <= SEEKER_CONE_RAD && best.is_none_or(|(b, _)| ang < b) {
                        best = Some((ang, e.id));
                    }
                }
                best.map(|b| b.1)
            }),
        };
        let truth = looked.map(|t| {
            let e = &self.entities[t.0 as usize];
            KinematicState::new(e.pos, e.vel)
        });
        let z = match (truth.is_some(), self.seeker_rngs.get_mut(&id)) {
            (true, Some(rng)) => [rng.normal(), rng.normal()],
            _ => [0.0; 2],
        };
        let before = handover.phase();
        let mut est = handover.estimate(&own, track_est.as_ref(), truth.as_ref().map(|t| (t, illuminated)), z);
        let after = handover.phase();
        let info = self.entities[i].interceptor.as_mut()?;
        info.handover = Some(handover);
        let mut event = None;
        match (before, after, looked) {
            (GuidancePhase::Midcourse, GuidancePhase::Terminal, Some(t)) => {
                info.locked = Some(t);
                info.seeker_vel = None;
                let range_m = truth.map_or(0.0, |s| (s.pos - own.pos).norm());
                event = Some((EventKind::SeekerAcquired { interceptor: id, target: t, range_m }, true));
            }
            (GuidancePhase::Terminal, GuidancePhase::Midcourse, _) => {
                event = Some((EventKind::SeekerLost { interceptor: id }, false));
            }
            _ => {}
        }
        // Augmented PN: the target acceleration from successive seeker velocities (active
        // seekers measure range rate); zero in mid-course (the track filter is constant-velocity).
        let apn = after == GuidancePhase::Terminal && ty.terminal == TerminalLaw::AugmentedPn;
        match est.as_mut().filter(|_| apn) {
            Some(e) => {
                if let Some(v0) = info.seeker_vel {
                    e.acc = (e.vel - v0) / dt_s;
                }
                info.seeker_vel = Some(e.vel);
            }
            None => info.seeker_vel = None,
        }
        if let Some((kind, terminal)) = event {
            let law = if terminal { ty.terminal_law() } else { ty.midcourse_law(info.lofted) };
            if let Ok(law) = law {
                self.entities[i].mover.set_guidance(law);
            }
            self.log(kind);
        }
        est
    }

    /// Moves every live object over [t, t + dt]. Guidance estimates are all taken first, on the
    /// world at t, so that no interceptor sees a target already moved to t + dt.
    fn move_all(&mut self) {
        let dt_s = self.dt.as_secs_f64();
        let now = self.now;
        let mut estimates = Vec::with_capacity(self.entities.len());
        for i in 0..self.entities.len() {
            let guided = self.entities[i].live() && self.entities[i].role == Role::Interceptor;
            estimates.push(if guided { self.guidance_estimate(i) } else { None });
        }
        for (e, est) in self.entities.iter_mut().zip(estimates) {
            if !e.live() {
                continue;
            }
            if let (Some(info), Some(est)) = (e.interceptor.as_mut(), est) {
                info.estimate = Some(est);
            }
            e.prev_pos = e.pos;
            e.mover.step(now + self.dt, dt_s, est.as_ref());
            let (p, v) = (e.mover.position_ecef(), e.mover.velocity_ecef());
            if p.iter().chain(v.iter()).all(|x| x.is_finite()) {
                e.pos = p;
                e.vel = v;
            }
        }
    }

    /// True closest approach of each interceptor to every observable object inside the step,
    /// relative motion linear over the step ([`closest_approach_linear`]). A closest approach
    /// reached inside the step and inside the type's fuze radius ends the flight with a kill draw
    /// from its kill function ([`setup::KillModel`]: hit-to-kill or Carleton).
    fn adjudicate(&mut self) {
        let dt_s = self.dt.as_secs_f64();
        let mut bursts = Vec::new();
        let mut closest = Vec::new();
        for (ii, m) in self.entities.iter().enumerate() {
            let Some(info) = m.interceptor.as_ref() else { continue };
            if !m.live() {
                continue;
            }
            let Some(ty) = self.types.get(&info.type_id) else { continue };
            let fuze = ty.kill.fuze_radius_m();
            let mut best: Option<(f64, usize)> = None;
            let mut nearest = info.closest;
            for (ti, t) in self.entities.iter().enumerate() {
                if !t.observable() || (m.pos - t.pos).norm() > 5_000.0 {
                    continue;
                }
                let rel0 = t.prev_pos - m.prev_pos;
                let rel_vel = ((t.pos - m.pos) - rel0) / dt_s;
                let (tca, miss) = closest_approach_linear(&rel0, &rel_vel, dt_s);
                if nearest.is_none_or(|(b, _)| miss < b) {
                    nearest = Some((miss, t.id));
                }
                if tca < dt_s && miss <= fuze && best.is_none_or(|(b, _)| miss < b) {
                    best = Some((miss, ti));
                }
            }
            closest.push((ii, nearest));
            if let Some((miss, target)) = best {
                bursts.push((ii, Burst::Fuzed { target, miss }));
                continue;
            }
            // Passed the aim point without a burst (near it, opening, and the estimate behind):
            // a miss at the closest approach so far. A target merely pulling away in a tail
            // chase is chased on until the flight time runs out.
            if let Some(est) = &info.estimate {
                let r = (est.pos - m.pos).norm();
                if r < PASS_RANGE_M && r > info.last_estimate_range && (est.pos - m.pos).dot(&m.vel) < 0.0 {
                    bursts.push((ii, Burst::Passed { closest: nearest }));
                }
            }
        }
        for (ii, nearest) in closest {
            if let Some(info) = self.entities[ii].interceptor.as_mut() {
                info.closest = nearest;
            }
        }
        let positions: Vec<Vec3> = self.entities.iter().map(|e| e.pos).collect();
        for (ii, m) in self.entities.iter_mut().enumerate() {
            if let Some(info) = m.interceptor.as_mut() {
                let range = info.estimate.map(|est| (est.pos - positions[ii]).norm());
                info.last_estimate_range = range.unwrap_or(info.last_estimate_range);
            }
        }
        for (ii, burst) in bursts {
            if !self.entities[ii].live() {
                continue;
            }
            let mid = self.entities[ii].id;
            let locked = self.entities[ii].interceptor.as_ref().and_then(|i| i.locked);
            let (outcome, target, miss_m) = match burst {
                Burst::Passed { closest } => {
                    let lost = locked.is_some_and(|t| !self.entities[t.0 as usize].alive);
                    let target = locked.or(closest.map(|c| c.1));
                    let outcome = if lost { InterceptOutcome::TargetLost } else { InterceptOutcome::Miss };
                    (outcome, target, closest.map(|c| c.0))
                }
                Burst::Fuzed { target, miss } if !self.entities[target].live() => {
                    (InterceptOutcome::TargetLost, Some(self.entities[target].id), Some(miss))
                }
                Burst::Fuzed { target, miss } => {
                    let type_id = self.entities[ii].interceptor.as_ref().map(|i| i.type_id.as_str()).unwrap_or("");
                    let pk = self.types.get(type_id).map_or(0.0, |t| t.kill.function().pk(miss));
                    let kill = self.kill_rngs.get_mut(&mid).is_some_and(|rng| rng.bernoulli(pk));
                    let tid = self.entities[target].id;
                    if kill {
                        self.entities[target].alive = false;
                        self.metrics.killed.insert(tid);
                        self.log(EventKind::EntityKilled { entity: tid, by: mid });
                    }
                    (if kill { InterceptOutcome::Kill } else { InterceptOutcome::Miss }, Some(tid), Some(miss))
                }
            };
            self.end_interceptor(ii, outcome, target, miss_m);
        }
    }

    fn end_interceptor(&mut self, ii: usize, outcome: InterceptOutcome, target: Option<EntityId>, miss: Option<f64>) {
        let now = self.now + self.dt;
        let e = &mut self.entities[ii];
        e.alive = false;
        let id = e.id;
        let mut released = Vec::new();
        if let Some(info) = &e.interceptor
            && let Some(unit) = self.units.iter_mut().find(|u| u.setup.id == info.unit)
            && let Some(t) = unit.tracks.get_mut(&info.track)
        {
            t.engagement.in_flight = t.engagement.in_flight.saturating_sub(1);
            t.engagement.last_end = Some(now);
            // The engagement is over when its last interceptor ends: the radar's dwells go back.
            if t.engagement.in_flight == 0
                && let Some(ri) = t.dwell_radar.take()
            {
                release_dwells(&mut unit.setup.radars[ri], info.track, &mut released);
            }
        }
        for k in released {
            self.log(k);
        }
        self.log(EventKind::InterceptorEnded { interceptor: id, target, outcome, miss_distance_m: miss });
    }

    fn ends(&mut self) {
        for i in 0..self.entities.len() {
            if !self.entities[i].live() {
                continue;
            }
            let Some(how) = self.entities[i].mover.ended() else { continue };
            let e = &self.entities[i];
            let id = e.id;
            match (&e.role, how) {
                (Role::Interceptor, _) | (_, MoverEnd::SelfDestruct) => {
                    let target = e.interceptor.as_ref().and_then(|i| i.locked);
                    self.end_interceptor(i, InterceptOutcome::SelfDestruct, target, None);
                }
                (Role::Threat { .. }, MoverEnd::Completed) => {
                    let d = self
                        .scenario
                        .assets
                        .iter()
                        .map(|a| (a.position.to_ecef() - e.pos).norm())
                        .fold(None, |m: Option<f64>, d| Some(m.map_or(d, |m| m.min(d))));
                    self.metrics.leak_points.insert(id, e.pos);
                    self.entities[i].alive = false;
                    self.metrics.leaked.insert(id);
                    self.log(EventKind::ThreatLeaked { entity: id, distance_to_asset_m: d });
                }
                (_, MoverEnd::Completed) => {
                    self.entities[i].alive = false;
                    self.log(EventKind::EntityRemoved { entity: id, reason: "route completed".into() });
                }
            }
        }
    }

    /// Close the run: metrics from the remaining tracks, and the summary.
    pub fn finish(mut self) -> RunResult {
        for unit in &self.units {
            for info in unit.tracks.values() {
                self.metrics.record_track(info.confirmed_ever, info.dominant_truth());
            }
        }
        let mut summary =
            Summary::new(&self.scenario.name, self.seed, self.end, self.steps, &self.entities, &self.metrics);
        let launcher_unit =
            self.units.iter().flat_map(|u| u.setup.launchers.iter().map(|l| (l.id, u.setup.id))).collect();
        let ops = timeline::operations(
            &self.events,
            &self.metrics,
            &self.labels,
            &self.entities,
            &launcher_unit,
            &self.scenario.assets,
            &self.frame,
            self.end,
        );
        for l in &mut summary.launchers {
            l.fired = ops.fired_by_launcher.get(&bulwark_core::LauncherId(l.launcher)).copied().unwrap_or(0);
        }
        let stocks: Vec<UnitStock> = self
            .units
            .iter()
            .map(|u| {
                let mut vehicles_left = BTreeMap::new();
                for (k, n) in u.setup.reload_vehicles.iter().flat_map(|v| &v.stock) {
                    *vehicles_left.entry(k.clone()).or_insert(0) += n;
                }
                UnitStock {
                    id: u.setup.id,
                    name: u.setup.name.clone(),
                    system: u.setup.system.clone(),
                    loaded: u.setup.loaded.clone(),
                    vehicles_left,
                }
            })
            .collect();
        summary.expenditure = timeline::expenditure(&stocks, &summary.launchers, &ops.fired_by_unit);
        summary.civil_fire_orders = ops.civil_fire_orders;
        summary.friendly_fire_orders = ops.friendly_fire_orders;
        summary.timeline = ops.timeline;
        let timeline_csv = timeline::timeline_csv(&summary.timeline);
        let sensors = self.sensor_infos();
        RunResult {
            summary,
            events: self.events,
            truth_csv: self.truth_csv,
            tracks_csv: tracks_csv(&self.track_history),
            timeline_csv,
            threats_csv: self.threats_csv,
            tracks: self.track_history,
            sensors,
            origin: self.scenario.origin,
            epoch: self.scenario.epoch,
        }
    }

    /// The radars, with their ASTERIX identifiers (scenario SAC/SIC, or SAC 0 and the
    /// sensor id as SIC).
    fn sensor_infos(&self) -> Vec<SensorInfo> {
        let mut out = Vec::new();
        for (unit, defence) in self.units.iter().zip(&self.scenario.defences) {
            for (r, placed) in unit.setup.radars.iter().zip(&defence.radars) {
                let p = r.radar.params();
                out.push(SensorInfo {
                    id: r.radar.id(),
                    unit: unit.setup.id,
                    type_id: placed.type_id.clone(),
                    site: r.radar.site().origin(),
                    sac: placed.sac.unwrap_or(0),
                    sic: placed.sic.unwrap_or((r.radar.id().0 & 0xFF) as u8),
                    revisit_s: p.revisit_time_s,
                    azimuth_centre_rad: p.azimuth_centre_rad,
                    azimuth_width_rad: p.azimuth_width_rad,
                });
            }
        }
        out
    }
}

/// What the looks of one step share: the time, the scenario frame, the events they log and
/// the metrics they feed.
struct LookCx<'a> {
    now: SimTime,
    options: SimOptions,
    frame: &'a EnuFrame,
    log: Vec<EventKind>,
    metrics: &'a mut Metrics,
}

/// One look of `radar` at `scene`. The sensor model refuses a look only for jammers against a
/// radar without radar-equation terms or RCS tables against a radar without a frequency; the
/// engine's radars always have both, so the fallback (bare targets) is never taken in practice.
fn look(radar: &Radar, scene: &Scene<'_>, rngs: &mut RadarRngs, now: SimTime) -> ScanOutput {
    match radar.look(now, scene, &mut rngs.detect, &mut rngs.noise, &mut rngs.false_alarm) {
        Ok(out) => out,
        Err(_) => {
            let views: Vec<TargetView> = scene.targets.iter().map(|t| t.view).collect();
            radar.scan(now, &views, &mut rngs.detect, &mut rngs.noise, &mut rngs.false_alarm)
        }
    }
}

/// The radar of a track dwell: `radar` with its coverage narrowed to one beam position pointed
/// at `boresight` (the track's predicted direction, radar frame): ±θ_az/(2 cos el) in azimuth,
/// ±θ_el/2 in elevation, and a range gate of ±[`TRACK_GATE_M`] around the predicted range. Its
/// false alarms are then those of one beam and gate (Pfa × cells), not of the whole coverage.
/// `None` if the direction is outside the radar's coverage (the dwell cannot be made).
fn dwell_radar(radar: &Radar, boresight: &Rae) -> Option<Radar> {
    if !radar.covers_direction(boresight) || !boresight.range_m.is_finite() {
        return None;
    }
    let mut p = radar.params().clone();
    let half_el = 0.5 * p.beamwidth_el_rad;
    p.azimuth_centre_rad = boresight.azimuth_rad;
    p.azimuth_width_rad = (p.beamwidth_az_rad / boresight.elevation_rad.cos().max(1e-3)).min(TAU);
    p.min_elevation_rad = (boresight.elevation_rad - half_el).max(p.min_elevation_rad);
    p.max_elevation_rad = (boresight.elevation_rad + half_el).min(p.max_elevation_rad);
    p.min_range_m = (boresight.range_m - TRACK_GATE_M).max(p.min_range_m);
    p.instrumented_range_m = (boresight.range_m + TRACK_GATE_M).min(p.instrumented_range_m);
    Radar::new(radar.id(), p, *radar.site()).ok()
}

/// Gives back the track dwells `radar` holds on `track`.
fn release_dwells(radar: &mut UnitRadar, track: TrackId, log: &mut Vec<EventKind>) {
    radar.scheduler.release_track(track.0);
    log.push(EventKind::TrackDwellsReleased { sensor: radar.radar.id(), track });
}

/// Plots of one look made ready for the tracker, with their truth labels (metrics only).
#[derive(Default)]
struct Offer {
    dets: Vec<Detection>,
    labels: Vec<Option<EntityId>>,
}

/// Logs the plots of a look of radar `ri` and adds them to `offer` for the tracker. A search
/// look offers every plot; a track dwell on a track predicted at `dwell` (scenario ENU) offers
/// only the plot nearest the prediction: the echo in its beam and range gate.
fn offer_plots(unit: &Unit, ri: usize, out: &ScanOutput, dwell: Option<Vec3>, offer: &mut Offer, cx: &mut LookCx<'_>) {
    let r = &unit.setup.radars[ri];
    // Pose validity is fixed at set-up (finite position, rotation): an invalid one sees nothing.
    let Ok(pose) = SensorPose::new(r.pose_position, r.pose_rotation) else { return };
    let (sensor, site) = (r.radar.id(), *r.radar.site());
    let t_s = cx.now.as_secs_f64();
    let mut nearest: Option<(f64, Detection, Option<EntityId>)> = None;
    for (plot, truth) in out.plots.iter().zip(&out.truth) {
        if cx.options.plot_events {
            cx.log.push(EventKind::Detection {
                sensor,
                range_m: plot.range_m,
                azimuth_rad: plot.azimuth_rad,
                elevation_rad: plot.elevation_rad,
                range_rate_mps: plot.range_rate_mps,
                snr_db: plot.snr_db,
                truth: *truth,
            });
        }
        if let Some(e) = truth {
            cx.metrics.detected.insert(*e);
            cx.metrics.first_detected.entry(*e).or_insert(cx.now);
        }
        let Ok(model) = RangeAzElRr::new(
            pose.clone(),
            plot.sigma_range_m,
            plot.sigma_azimuth_rad,
            plot.sigma_elevation_rad,
            plot.sigma_range_rate_mps,
        ) else {
            continue;
        };
        let mut z = vec![plot.range_m, plot.azimuth_rad, plot.elevation_rad];
        if let Some(rr) = plot.range_rate_mps {
            z.push(rr);
        }
        let det = Detection { t_s, z: nalgebra::DVector::from_vec(z), model: Arc::new(model), sensor };
        match dwell {
            None => {
                offer.dets.push(det);
                offer.labels.push(*truth);
            }
            Some(predicted) => {
                let rae =
                    Rae { range_m: plot.range_m, azimuth_rad: plot.azimuth_rad, elevation_rad: plot.elevation_rad };
                let miss = (cx.frame.to_enu(&site.to_ecef(&rae.to_enu())) - predicted).norm();
                if nearest.as_ref().is_none_or(|(m, _, _)| miss < *m) {
                    nearest = Some((miss, det, *truth));
                }
            }
        }
    }
    if let Some((_, det, truth)) = nearest {
        offer.dets.push(det);
        offer.labels.push(truth);
    }
}

/// Hands `offer` of radar `ri` to the unit's tracker and books the result. `search`: the plots
/// of a search look, which counts misses on the tracks the radar expects. Otherwise the plots of
/// the track dwells of one step (batched: one tracker call for all of them), which count no
/// miss on any track: a missed dwell would be repeated at once (sequential detection), and the
/// tracker's deletion rule (consecutive misses) is one of search scans — at 2–10 Hz it would
/// drop an engaged Pd 0.5 target within seconds. Track loss stays with the search looks.
fn update_tracks(unit: &mut Unit, ri: usize, offer: Offer, search: bool, cx: &mut LookCx<'_>) {
    let r = &unit.setup.radars[ri];
    let (sensor, search_period) = (r.radar.id(), r.scheduler.search_period());
    let now = cx.now;
    let t_s = now.as_secs_f64();
    let Offer { dets, labels } = offer;
    let report = if search {
        let tracks = &unit.tracks;
        let window = SimDuration::from_nanos(search_period.as_nanos() * EXPECT_REVISITS);
        let expected = |tr: &bulwark_tracking::Track| {
            let recent =
                tracks.get(&tr.id).and_then(|i| i.last_hit_by.get(&sensor)).is_some_and(|last| *last + window >= now);
            recent || t_s - tr.last_update_t > STALE_TRACK_S
        };
        unit.tracker.process_expecting(t_s, &dets, &expected)
    } else if dets.is_empty() {
        return;
    } else {
        unit.tracker.process_expecting(t_s, &dets, &|_: &bulwark_tracking::Track| false)
    };
    for ev in &report.events {
        match ev {
            TrackEvent::Initiated { track, detection } => {
                let info = unit.tracks.entry(*track).or_default();
                info.last_hit_by.insert(sensor, now);
                if let Some(Some(e)) = labels.get(*detection) {
                    *info.truth_hits.entry(*e).or_insert(0) += 1;
                }
                if cx.options.tentative_track_events {
                    cx.log.push(EventKind::TrackInitiated { track: *track });
                }
            }
            TrackEvent::Confirmed { track } => {
                let info = unit.tracks.entry(*track).or_default();
                info.confirmed_ever = true;
                cx.log.push(EventKind::TrackConfirmed { track: *track });
            }
            TrackEvent::Deleted { track, .. } => {
                let mut confirmed = false;
                if let Some(info) = unit.tracks.remove(track) {
                    confirmed = info.confirmed_ever;
                    cx.metrics.record_track(info.confirmed_ever, info.dominant_truth());
                    if let Some(dri) = info.dwell_radar {
                        release_dwells(&mut unit.setup.radars[dri], *track, &mut cx.log);
                    }
                }
                if confirmed || cx.options.tentative_track_events {
                    cx.log.push(EventKind::TrackDeleted { track: *track });
                }
            }
        }
    }
    for (di, track) in &report.updates {
        let info = unit.tracks.entry(*track).or_default();
        info.last_hit_by.insert(sensor, now);
        if let Some(Some(e)) = labels.get(*di) {
            *info.truth_hits.entry(*e).or_insert(0) += 1;
        }
    }
}

/// Acceleration estimate of a track for identification (m/s², scenario ENU). The tracker's
/// constant-velocity state carries none, so it is the finite difference of the filtered
/// velocity between two track updates [`ACCEL_BASELINE_S`] to [`ACCEL_MAX_BASELINE_S`] apart
/// (the baseline grows until the estimate is good enough, or starts again past the longest),
/// a = (v₁ − v₀)/(t₁ − t₀), kept only while its 1-σ noise per axis, √(σ₀² + σ₁²)/(t₁ − t₀) with σ
/// the largest velocity standard deviation of the track covariance at each update (their
/// correlation ignored), is at most [`ACCEL_MAX_SIGMA_MPS2`]; otherwise identification keeps the
/// last good one while the baseline grows, and gets none once it starts again.
fn update_acceleration(info: &mut TrackInfo, tr: &bulwark_tracking::Track) {
    let t1 = tr.last_update_t;
    let v1 = Vec3::new(tr.state[3], tr.state[4], tr.state[5]);
    let s1 = (3..6).map(|i| tr.covariance[(i, i)]).fold(0.0, f64::max).max(0.0).sqrt();
    match info.accel_ref {
        Some((t0, _, _)) if t1 - t0 < ACCEL_BASELINE_S => {}
        Some((t0, v0, s0)) => {
            let dt = t1 - t0;
            let a = (v1 - v0) / dt;
            let good = s0.hypot(s1) / dt <= ACCEL_MAX_SIGMA_MPS2 && a.iter().all(|x| x.is_finite());
            if good || dt >= ACCEL_MAX_BASELINE_S {
                info.accel = good.then_some(a);
                info.accel_ref = Some((t1, v1, s1));
            }
        }
        None => info.accel_ref = Some((t1, v1, s1)),
    }
}

/// Appends the rows of one ranked threat list to `threats.csv`.
fn threat_rows(out: &mut String, t_s: f64, unit: u32, ranked: &[RankedThreat]) {
    for r in ranked {
        let ttg = r.assessment.time_to_go_s();
        let ttg = if ttg.is_finite() { format!("{ttg:.1}") } else { String::new() };
        let _ = writeln!(
            out,
            "{t_s:.3},{unit},{},{},{},{},{:.3},{:.4},{},{ttg},{}",
            r.rank,
            r.track.0,
            csv_field(r.class.as_str()),
            r.identity.as_str(),
            r.confidence,
            r.score,
            csv_field(r.asset_name.as_deref().unwrap_or("")),
            csv_field(&r.reasons.join("; ")),
        );
    }
}

/// Quote a CSV field if it needs it (RFC 4180).
pub(crate) fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) { format!("\"{}\"", s.replace('"', "\"\"")) } else { s.to_string() }
}

/// Stepping a run from outside, for a live view (`bulwark run --live`): the loop of
/// [`Simulation::run`] one step at a time, and read access to what has been logged so far.
impl Simulation<'_> {
    /// Advances one time step; `false` (doing nothing) once past the scenario's end. Calling it
    /// until `false` logs exactly what [`Simulation::run`] logs; then call [`Simulation::finish`].
    pub fn advance(&mut self) -> bool {
        if self.now > self.end {
            return false;
        }
        self.step();
        self.now += self.dt;
        self.steps += 1;
        if self.now > self.end {
            self.log(EventKind::RunEnded { steps: self.steps });
        }
        true
    }

    /// Simulation time of the next step.
    pub fn now(&self) -> SimTime {
        self.now
    }

    /// The event log so far.
    pub fn events_so_far(&self) -> &[Event] {
        &self.events
    }

    /// The recorded track samples so far, in time order.
    pub fn track_samples_so_far(&self) -> &[TrackSample] {
        &self.track_history
    }

    /// `truth.csv` as written so far (header and whole lines).
    pub fn truth_csv_so_far(&self) -> &str {
        &self.truth_csv
    }
}
