//! The deterministic time loop: the run's state and the order of the stages.
//!
//! Each step at time t: spawn → launches due → sensor scans and tracking → command-post
//! decision → records → motion over [t, t+dt] with guidance → adjudication of closest
//! approaches inside the step → ends of routes and flights. Each stage is an
//! `impl Simulation` block in its own module of [`crate::stage`].

use crate::EngineError;
use crate::exposure_log::ExposureLog;
use crate::history::{TRACKS_CSV_HEADER, TrackSample};
use crate::setup::{self, InterceptorType};
use crate::stage::decide::THREATS_CSV_HEADER;
use crate::stage::network::{self, Network};
use crate::stage::record::RECORD_PERIOD;
use crate::stage::sense::TerrainLos;
use crate::state::{PendingLaunch, RadarRngs, Unit};
use crate::stream::{CHUNK_BYTES, CHUNK_EVENTS, Streams};
use crate::summary::{LauncherSummary, Metrics};
use crate::timeline::TrackLabels;
use crate::world::Entity;
use bulwark_c2::{Airspace, DeclarationRules, DefendedAsset, IdentificationRules, ThreatParams};
use bulwark_core::{EntityId, Event, EventKind, RngStream, RngStreams, SimDuration, SimTime, StreamPurpose, TrackId};
use bulwark_geo::EnuFrame;
use bulwark_scenario::Scenario;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// A run in progress.
pub struct Simulation<'a> {
    pub(crate) scenario: &'a Scenario,
    pub(crate) seed: u64,
    pub(crate) rng: RngStreams,
    pub(crate) frame: EnuFrame,
    pub(crate) dt: SimDuration,
    pub(crate) end: SimTime,
    pub(crate) now: SimTime,
    pub(crate) steps: u64,
    pub(crate) entities: Vec<Entity>,
    pub(crate) units: Vec<Unit>,
    /// The placed radars of each unit (scenario `[[defence.radar]]`, or a command post's own).
    pub(crate) placed: Vec<Vec<bulwark_scenario::PlacedRadar>>,
    pub(crate) types: BTreeMap<String, InterceptorType>,
    pub(crate) assets: Vec<DefendedAsset>,
    pub(crate) rules: IdentificationRules,
    /// When a proposed identity becomes the one acted on (the scenario's `[identification]`).
    pub(crate) declaration: DeclarationRules,
    /// Filed civil routes and flight plans (identification).
    pub(crate) airspace: Airspace,
    pub(crate) threat_params: ThreatParams,
    pub(crate) threats_csv: String,
    /// Rows of `exposure.csv` (header only unless `options.record_exposure`).
    pub(crate) exposure: ExposureLog,
    pub(crate) pending: Vec<PendingLaunch>,
    /// Terrain masking of the radars' lines of sight (scenario `terrain`), if any.
    pub(crate) terrain: Option<TerrainLos>,
    pub(crate) kill_rngs: BTreeMap<EntityId, RngStream>,
    pub(crate) seeker_rngs: BTreeMap<EntityId, RngStream>,
    pub(crate) events: Vec<Event>,
    pub(crate) truth_csv: String,
    /// `tracks.csv` rows (all of them, or those not yet streamed).
    pub(crate) tracks_csv: String,
    /// Every track sample, kept for [`crate::RunResult::tracks`] unless the run streams its outputs.
    pub(crate) track_history: Vec<TrackSample>,
    /// Where the row outputs are streamed ([`Simulation::stream_to`]), if anywhere.
    pub(crate) streams: Option<Streams>,
    /// Events `events[..events_written]` are in the streamed `events.jsonl` already.
    pub(crate) events_written: usize,
    /// Tracks named by a fire order or a launch: their truth labels are kept after they end,
    /// for the timeline and the fratricide table (those of the others are dropped).
    pub(crate) engaged_tracks: BTreeSet<TrackId>,
    /// The first error writing the streamed files, reported by [`crate::RunResult::write`].
    pub(crate) stream_error: Option<EngineError>,
    /// Who is handed the events and track samples as the run goes ([`Simulation::tap`]).
    pub(crate) tap: Option<&'a mut dyn RunTap>,
    /// Events `events[..events_tapped]` and samples `track_history[..tracks_tapped]` were
    /// handed to the tap already.
    pub(crate) events_tapped: usize,
    pub(crate) tracks_tapped: usize,
    /// What the timeline needs of the track records, kept whatever `options` records.
    pub(crate) labels: TrackLabels,
    pub(crate) metrics: Metrics,
    pub(crate) options: SimOptions,
    /// Command posts and their links (`[[command]]`; empty: every unit fights alone).
    pub(crate) networks: Vec<Network>,
}

/// Takes what a run logs and records while it runs: a surveillance feed built and sent as the
/// run goes instead of from the whole run at its end.
pub trait RunTap {
    /// The run's radars, ENU origin and UTC epoch (simulation time 0), once, before the first
    /// [`RunTap::take`].
    fn begin(&mut self, sensors: &[crate::SensorInfo], origin: bulwark_geo::Geodetic, epoch: time::OffsetDateTime);
    /// The events logged and the track samples recorded since the last call, in order. Every
    /// later event and sample is at or after `now` (simulation time of the next step).
    fn take(&mut self, events: &[Event], tracks: &[TrackSample], now: SimTime);
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
    /// Record the track history ([`crate::RunResult::tracks`], `tracks.csv`).
    pub record_tracks: bool,
    /// Record the ranked threat lists (`threats.csv`).
    pub record_threats: bool,
    /// Record one row per radar look at each object (`exposure.csv`, [`crate::RunResult::exposure_csv`]).
    pub record_exposure: bool,
}

impl Default for SimOptions {
    fn default() -> Self {
        SimOptions {
            plot_events: true,
            tentative_track_events: true,
            record_truth: true,
            record_tracks: true,
            record_threats: true,
            record_exposure: true,
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
            record_exposure: false,
        }
    }
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
            let tracker = setup::unit_tracker(&u)?;
            let radar_rngs = u
                .radars
                .iter()
                .map(|r| {
                    let key = u64::from(r.radar.id().0) << 32;
                    RadarRngs {
                        detect: rng.stream(key, StreamPurpose::Detection),
                        noise: rng.stream(key, StreamPurpose::MeasurementNoise),
                        false_alarm: rng.stream(key, StreamPurpose::FalseAlarm),
                        exposure: rng.stream(key, StreamPurpose::Exposure),
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
                departed: Vec::new(),
                next_decision: SimTime::ZERO,
                last_ranking: Vec::new(),
                last_threat_rows: None,
                views_at: None,
                net: None,
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
        // Every fire unit defends itself too.
        for u in units.iter().filter(|u| u.setup.post_of.is_none()) {
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
            let placed = scenario.defences.get(u.setup.id.0 as usize - 1).map_or(&[][..], |d| &d.launchers[..]);
            for (l, placed) in u.setup.launchers.iter().zip(placed) {
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
        let networks = network::build(&scenario.commands, &scenario.catalog, &mut units, &rng);
        let placed = units
            .iter()
            .map(|u| match u.setup.post_of {
                Some(c) => scenario
                    .catalog
                    .command_posts
                    .get(&scenario.commands[c].type_id)
                    .map_or(Vec::new(), setup::post_radars),
                None => scenario.defences.get(u.setup.id.0 as usize - 1).map_or(Vec::new(), |d| d.radars.clone()),
            })
            .collect();
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
            placed,
            types,
            assets,
            rules: IdentificationRules::default(),
            declaration: setup::declaration_rules(&scenario.identification),
            airspace: setup::airspace(scenario, &frame),
            threat_params: setup::threat_params(),
            threats_csv: String::from(THREATS_CSV_HEADER),
            exposure: ExposureLog::new(options.record_exposure),
            pending: Vec::new(),
            terrain,
            kill_rngs: BTreeMap::new(),
            seeker_rngs: BTreeMap::new(),
            events: Vec::new(),
            truth_csv: String::from(
                "t_s,entity,name,class,role,lat_deg,lon_deg,alt_m,east_m,north_m,up_m,vel_east_mps,vel_north_mps,vel_up_mps\n",
            ),
            tracks_csv: String::from(TRACKS_CSV_HEADER),
            track_history: Vec::new(),
            streams: None,
            events_written: 0,
            engaged_tracks: BTreeSet::new(),
            stream_error: None,
            tap: None,
            events_tapped: 0,
            tracks_tapped: 0,
            labels: TrackLabels::default(),
            metrics,
            options,
            networks,
        };
        let epoch = scenario.epoch.format(&time::format_description::well_known::Rfc3339).unwrap_or_default();
        sim.log(EventKind::RunStarted { scenario: scenario.name.clone(), seed, epoch_utc: epoch });
        Ok(sim)
    }

    pub(crate) fn log(&mut self, kind: EventKind) {
        if let EventKind::FireOrder { track, .. } | EventKind::InterceptorLaunched { track, .. } = &kind {
            self.engaged_tracks.insert(*track);
        }
        self.events.push(Event::new(self.now, kind));
    }

    /// Streams the row outputs (`events.jsonl`, `truth.csv`, `tracks.csv`, `threats.csv`,
    /// `exposure.csv`) into `dir` as the run goes, so that its memory does not grow with its
    /// length: the files appear under their names when [`Simulation::finish`] returns, and the
    /// [`crate::RunResult`] then holds none of their text, no track samples, and of the events
    /// only those read after the run (engagements, identities, confirmed tracks, kills; no
    /// plots, IFF replies or track births and deaths). Call it before the first step;
    /// [`crate::RunResult::write`] into the same `dir` then adds the other files.
    pub fn stream_to(&mut self, dir: &Path) -> Result<(), EngineError> {
        if self.steps > 0 || self.streams.is_some() {
            return Err(EngineError::Input("stream_to: the run has already started streaming or stepping".into()));
        }
        self.streams = Some(Streams::open(dir)?);
        self.track_history = Vec::new();
        self.drain(true)
    }

    /// Hands the events and track samples to `tap` as the run goes, after every step (call it
    /// before the first step). A streaming run ([`Simulation::stream_to`]) keeps no samples
    /// beyond the step that recorded them.
    pub fn tap(&mut self, tap: &'a mut dyn RunTap) -> Result<(), EngineError> {
        if self.steps > 0 || self.tap.is_some() {
            return Err(EngineError::Input("tap: the run has already started or has a tap".into()));
        }
        tap.begin(&self.sensor_infos(), self.scenario.origin, self.scenario.epoch);
        self.tap = Some(tap);
        Ok(())
    }

    /// Whether the track samples are kept: for [`crate::RunResult::tracks`], or until the tap
    /// has them.
    pub(crate) fn keeps_samples(&self) -> bool {
        self.streams.is_none() || self.tap.is_some()
    }

    /// Hands the tap what is new, and forgets the samples a streaming run kept only for it.
    fn feed_tap(&mut self) {
        let Some(tap) = self.tap.as_deref_mut() else { return };
        tap.take(&self.events[self.events_tapped..], &self.track_history[self.tracks_tapped..], self.now);
        self.events_tapped = self.events.len();
        self.tracks_tapped = self.track_history.len();
        if self.streams.is_some() {
            self.track_history.clear();
            self.tracks_tapped = 0;
        }
    }

    /// Empties the output buffers into the streamed files when they are full (`all`: always),
    /// after handing the tap what is new.
    pub(crate) fn drain(&mut self, all: bool) -> Result<(), EngineError> {
        self.feed_tap();
        let Some(streams) = self.streams.as_mut() else { return Ok(()) };
        if all || self.events.len() - self.events_written >= CHUNK_EVENTS {
            streams.events(&self.events[self.events_written..])?;
            let tail = self.events.split_off(self.events_written);
            self.events.extend(tail.into_iter().filter(crate::stream::kept_after_writing));
            self.events_written = self.events.len();
            self.events_tapped = self.events.len();
        }
        let exposure = self.exposure.csv_mut();
        for (i, text) in
            [(1, &mut self.truth_csv), (2, &mut self.tracks_csv), (3, &mut self.threats_csv), (4, exposure)]
        {
            if all || text.len() >= CHUNK_BYTES {
                streams.rows(i, text)?;
            }
        }
        Ok(())
    }

    /// [`Simulation::drain`], keeping the first write error for [`crate::RunResult::write`] (the
    /// streams stop there; the files stay under their partial names).
    pub(crate) fn drain_or_keep_error(&mut self, all: bool) {
        if let Err(e) = self.drain(all) {
            self.streams = None;
            self.stream_error.get_or_insert(e);
        }
    }

    /// Run to the scenario's end.
    pub fn run(&mut self) {
        while self.advance() {}
    }

    pub(crate) fn step(&mut self) {
        self.spawn();
        self.launch_due();
        self.sense();
        self.network();
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
        self.drain_or_keep_error(false);
        true
    }

    /// Tracks all units' trackers hold now, tentative ones included.
    pub fn live_tracks(&self) -> usize {
        self.units.iter().map(|u| u.tracker.tracks().len()).sum()
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
