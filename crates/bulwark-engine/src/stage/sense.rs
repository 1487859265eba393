//! Sense: the looks due this step — radar search looks, track dwells of multifunction radars
//! (with jammers and terrain masking) and IFF interrogation — handed to the units' trackers.
use crate::EngineError;
use crate::exposure_log::{ExposureLog, LookKind};
use crate::setup::Signature;
use crate::sim::{SimOptions, Simulation};
use crate::stage::track::{Offer, hold_window, offer_plots, update_tracks};
use crate::state::{RadarRngs, Unit};
use crate::summary::Metrics;
use crate::world::Entity;
use bulwark_c2::TrackView;
use bulwark_c2::identify::{correlate_reply, reply_gate_m};
use bulwark_core::{EventKind, Identity, SimTime, TrackId, Vec3};
use bulwark_geo::{EnuFrame, FOUR_THIRDS, Geodetic, Rae};
use bulwark_scenario::Band as CatBand;
use bulwark_sensors::cue::{cue_dwell_s, cue_gain, with_integration_gain};
use bulwark_sensors::jamming::in_main_beam;
use bulwark_sensors::{
    IffMode, JammerView, LineOfSightMask, Radar, RadarTarget, ScanOutput, Scene, TargetView, Task, Transponder,
};
use bulwark_terrain::{ElevationGrid, Masking, TerrainMask};
use std::collections::BTreeMap;
use std::f64::consts::TAU;
use std::path::Path;
use std::sync::Arc;

/// Terrain line of sight for the radars: a [`TerrainMask`] over the scenario's DEM with the
/// standard 4/3-earth refraction, sampled at the grid spacing.
pub(crate) struct TerrainLos(TerrainMask);

impl TerrainLos {
    pub(crate) fn load(path: &Path) -> Result<Self, EngineError> {
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

/// The signature of each observable object, parallel to its view.
pub(crate) type Signatures = Vec<Option<Arc<Signature>>>;

impl Simulation<'_> {
    /// What sensors may see now: each observable object's view and transponder (as the IFF
    /// interrogator takes them) and, in parallel, its signature.
    pub(crate) fn target_views(&self) -> (Vec<(TargetView, Transponder)>, Signatures) {
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
    pub(crate) fn sense(&mut self) {
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
        let mut cx = LookCx {
            now,
            options: self.options,
            frame: &self.frame,
            log: Vec::new(),
            metrics: &mut self.metrics,
            exposure: &mut self.exposure,
            entities: &self.entities,
        };
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
                    stage_exposure(unit, ri, &self.placed[ui][ri].type_id, LookKind::Search, &out, &mut cx);
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
                    if unit.setup.cueing {
                        let scene = Scene { targets: &radar_targets, jammers: &jam, mask };
                        cue_dwells(unit, ri, &self.placed[ui][ri].type_id, &scene, &mut cx);
                    }
                    if unit.setup.iff.as_ref().is_some_and(|(_, slave)| *slave == ri) {
                        Self::interrogate(unit, cx.frame, &targets, now, cx.options.plot_events, &mut cx.log);
                    }
                }
                Task::TrackDwell(key) => {
                    let Some(g) = unit.tracker.predict_mean(TrackId(key), now.as_secs_f64()) else { continue };
                    let predicted = g.xyz();
                    let radar = &unit.setup.radars[ri].radar;
                    let boresight = radar.site().rae(&cx.frame.to_ecef(&predicted));
                    let gate_m = unit.setup.radars[ri].track_gate_m;
                    let Some(dwell) = dwell_radar(radar, &boresight, gate_m) else { continue };
                    let in_beam = in_beam(radar, &boresight, &radar_targets);
                    let scene = Scene { targets: &in_beam, jammers: &jam, mask };
                    let out = look(&dwell, &scene, &mut unit.radar_rngs[ri], now);
                    stage_exposure(unit, ri, &self.placed[ui][ri].type_id, LookKind::Dwell, &out, &mut cx);
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
    pub(crate) fn interrogate(
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
            let Some(g) = unit.tracker.predict_mean(tr.id, t_s) else { continue };
            let ecef = frame.to_ecef(&g.xyz());
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
        let mut gates: Vec<(Vec3, f64)> = Vec::new();
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
                gates.push((p, reply_gate_m(sigma, 1_000.0)));
            }
        }
        for v in &views {
            // Inside the gate of a reply given to another track: not silent (see `reply_gate_m`).
            let ambiguous = || gates.iter().any(|(p, g)| (v.position - p).norm() <= *g);
            if !answered.contains_key(&v.id) && ambiguous() {
                continue;
            }
            let info = unit.tracks.entry(v.id).or_default();
            info.iff.interrogations += 1;
            match answered.get(&v.id) {
                Some((IffMode::Mode5, _)) => {
                    info.iff.mode5_replies += 1;
                    info.iff.unanswered_in_a_row = 0;
                }
                Some((IffMode::National, _)) => {
                    info.iff.national_replies += 1;
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
}

/// What the looks of one step share: the time, the scenario frame, the events they log and
/// the metrics they feed.
pub(crate) struct LookCx<'a> {
    pub(crate) now: SimTime,
    pub(crate) options: SimOptions,
    pub(crate) frame: &'a EnuFrame,
    pub(crate) log: Vec<EventKind>,
    pub(crate) metrics: &'a mut Metrics,
    pub(crate) exposure: &'a mut ExposureLog,
    pub(crate) entities: &'a [Entity],
}

/// Stages the exposure rows of one look of radar `ri` of `unit` (written once the tracker has
/// placed its plots, in [`update_tracks`]).
/// `radar_type` is its catalog id.
fn stage_exposure(unit: &mut Unit, ri: usize, radar_type: &str, kind: LookKind, out: &ScanOutput, cx: &mut LookCx<'_>) {
    let r = &unit.setup.radars[ri].radar;
    let (id, f) = (r.id().0, r.frequency_hz());
    let rng = &mut unit.radar_rngs[ri].exposure;
    cx.exposure.stage(cx.now, id, radar_type, &unit.setup.name, f, kind, &out.looks, rng);
}

/// One look of `radar` at `scene`. The sensor model refuses a look only for jammers against a
/// radar without radar-equation terms or RCS tables against a radar without a frequency; the
/// engine's radars always have both, so the fallback (bare targets) is never taken in practice.
pub(crate) fn look(radar: &Radar, scene: &Scene<'_>, rngs: &mut RadarRngs, now: SimTime) -> ScanOutput {
    match radar.look(now, scene, &mut rngs.detect, &mut rngs.noise, &mut rngs.false_alarm) {
        Ok(out) => out,
        Err(_) => {
            let views: Vec<TargetView> = scene.targets.iter().map(|t| t.view).collect();
            radar.scan(now, &views, &mut rngs.detect, &mut rngs.noise, &mut rngs.false_alarm)
        }
    }
}

/// The targets in `radar`'s main beam pointed at `boresight` (radar frame).
fn in_beam<'t>(radar: &Radar, boresight: &Rae, targets: &[RadarTarget<'t>]) -> Vec<RadarTarget<'t>> {
    let p = radar.params();
    targets
        .iter()
        .filter(|t| {
            let rae = radar.site().rae(&t.view.position_ecef);
            in_main_beam(boresight, &rae, p.beamwidth_az_rad, p.beamwidth_el_rad)
        })
        .copied()
        .collect()
}

/// Cued acquisition ([`bulwark_sensors::cue`]): after a search frame of a radar with a time
/// budget, every confirmed unit track (from any radar of the unit: a low-band set, the
/// acquisition radar) that this radar has not hit within [`EXPECT_REVISITS`](crate::stage::track::EXPECT_REVISITS) search periods
/// gets one dwell in the beam position of its predicted direction, from the spare tracking
/// time, integrating coherently up to the range-walk limit. The plots go to the tracker as
/// track-dwell plots (gated on the prediction). A track this radar holds is never cued, so
/// "first seen" (any radar) and "first seen by the fire-control radar" stay separate numbers.
fn cue_dwells(unit: &mut Unit, ri: usize, radar_type: &str, scene: &Scene<'_>, cx: &mut LookCx<'_>) {
    let r = &unit.setup.radars[ri];
    let Some(budget) = r.scheduler.budget().copied() else { return };
    let (sensor, now, t_s) = (r.radar.id(), cx.now, cx.now.as_secs_f64());
    let window = hold_window(r.scheduler.search_period());
    let mut cues = Vec::new();
    for tr in unit.tracker.tracks().filter(|t| t.status.is_confirmed()) {
        let held = unit.tracks.get(&tr.id).is_some_and(|i| i.hit_within(sensor, window, now));
        if let (false, Some(g)) = (held, unit.tracker.predict_mean(tr.id, t_s)) {
            cues.push((g.xyz(), g.fixed_rows::<3>(3).norm()));
        }
    }
    if cues.is_empty() {
        return;
    }
    let t_cue = cue_dwell_s(&budget, r.scheduler.tracked(), cues.len() as u32);
    let mut offer = Offer::default();
    for (predicted, speed) in cues {
        let radar = &unit.setup.radars[ri].radar;
        let boresight = radar.site().rae(&cx.frame.to_ecef(&predicted));
        let Some(dwell) = dwell_radar(radar, &boresight, unit.setup.radars[ri].track_gate_m) else { continue };
        let gain = cue_gain(t_cue, budget.track_dwell_s, dwell.params().range_resolution_m, speed);
        let Ok(cued) = Radar::new(radar.id(), with_integration_gain(dwell.params(), gain), *radar.site()) else {
            continue;
        };
        let targets = in_beam(radar, &boresight, scene.targets);
        let out = look(&cued, &Scene { targets: &targets, ..*scene }, &mut unit.radar_rngs[ri], now);
        // A cue dwell is a look like any other: its rows go to exposure.csv with its plots.
        stage_exposure(unit, ri, radar_type, LookKind::Dwell, &out, cx);
        offer_plots(unit, ri, &out, Some(predicted), &mut offer, cx);
    }
    update_tracks(unit, ri, offer, false, cx);
}

/// The radar of a track dwell: `radar` with its coverage narrowed to one beam position pointed
/// at `boresight` (the track's predicted direction, radar frame): ±θ_az/(2 cos el) in azimuth,
/// ±θ_el/2 in elevation, and a range gate of ±`gate_m` (catalog `track_gate`, several times a
/// track's position uncertainty at the dwell rates used) around the predicted range. Its
/// false alarms are then those of one beam and gate (Pfa × cells), not of the whole coverage.
/// `None` if the direction is outside the radar's coverage (the dwell cannot be made).
pub(crate) fn dwell_radar(radar: &Radar, boresight: &Rae, gate_m: f64) -> Option<Radar> {
    if !radar.covers_direction(boresight) || !boresight.range_m.is_finite() {
        return None;
    }
    let mut p = radar.params().clone();
    let half_el = 0.5 * p.beamwidth_el_rad;
    p.azimuth_centre_rad = boresight.azimuth_rad;
    p.azimuth_width_rad = (p.beamwidth_az_rad / boresight.elevation_rad.cos().max(1e-3)).min(TAU);
    p.min_elevation_rad = (boresight.elevation_rad - half_el).max(p.min_elevation_rad);
    p.max_elevation_rad = (boresight.elevation_rad + half_el).min(p.max_elevation_rad);
    p.min_range_m = (boresight.range_m - gate_m).max(p.min_range_m);
    p.instrumented_range_m = (boresight.range_m + gate_m).min(p.instrumented_range_m);
    Radar::new(radar.id(), p, *radar.site()).ok()
}
