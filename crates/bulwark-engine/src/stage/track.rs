//! Track: plots of a look offered to a unit's tracker and the track books kept from its
//! reports, and the unit's track views (perception only) that the later stages read.
use crate::setup::UnitRadar;
use crate::sim::Simulation;
use crate::stage::sense::LookCx;
use crate::state::{Departed, Unit};
use bulwark_c2::TrackView;
use bulwark_core::{EntityId, EventKind, SimDuration, SimTime, TrackId, Vec3};
use bulwark_geo::{EnuFrame, Geodetic, Rae};
use bulwark_sensors::ScanOutput;
use bulwark_tracking::{Detection, RangeAzElRr, SensorPose, TrackEvent};
use std::sync::Arc;

/// A sensor keeps expecting a track it hit within this many of its revisit periods.
pub(crate) const EXPECT_REVISITS: i64 = 3;

/// How long a sensor with revisit period `search_period` keeps expecting a track it hit:
/// [`EXPECT_REVISITS`] periods (the hold behind fire authority, cueing and guidance loss).
pub(crate) fn hold_window(search_period: SimDuration) -> SimDuration {
    SimDuration::from_nanos(search_period.as_nanos() * EXPECT_REVISITS)
}

impl Simulation<'_> {
    /// Track views of a unit at `now` (perception only), each with its state covariance
    /// predicted to `now` (order x y z vx vy vz; m², m²/s²) from the same prediction. Only
    /// threat evaluation (confirmed tracks) and the outside picture's correlation read a
    /// covariance, so a tentative track of a unit without an outside picture is predicted
    /// without one (the same mean) and gets NaN there: most tracks are tentative false alarms.
    pub(crate) fn views(unit: &Unit, frame: &EnuFrame, now: SimTime) -> (Vec<TrackView>, Vec<[[f64; 6]; 6]>) {
        let t_s = now.as_secs_f64();
        let n = unit.tracker.tracks().len();
        let mut views = Vec::with_capacity(n);
        let mut covariances = Vec::with_capacity(n);
        for tr in unit.tracker.tracks() {
            let full = tr.status.is_confirmed() || unit.setup.picture.is_some();
            let (mean, g) = if full {
                let Some(g) = unit.tracker.predict_track(tr.id, t_s) else { continue };
                (g.mean, Some(g))
            } else {
                let Some(m) = unit.tracker.predict_mean(tr.id, t_s) else { continue };
                (m, None)
            };
            let pos = Vec3::new(mean[0], mean[1], mean[2]);
            let vel = Vec3::new(mean[3], mean[4], mean[5]);
            let (alt_m, up) = Geodetic::alt_and_up_of_ecef(&frame.to_ecef(&pos));
            let climb = frame.vec_to_ecef(&vel).dot(&up);
            let info = unit.tracks.get(&tr.id);
            views.push(TrackView {
                id: tr.id,
                position: pos,
                velocity: vel,
                altitude_m: alt_m,
                climb_rate_mps: climb,
                confirmed: tr.status.is_confirmed(),
                coasting: tr.status == bulwark_tracking::TrackStatus::Coasting,
                identity: info.map(|i| i.identity).unwrap_or_default(),
                hostile_since: info.and_then(|i| i.hostile_since),
            });
            // A mean-only prediction has no covariance: NaN, as documented above.
            let mut p = [[f64::NAN; 6]; 6];
            if let Some(g) = &g {
                for (i, row) in p.iter_mut().enumerate() {
                    for (j, x) in row.iter_mut().enumerate() {
                        *x = g.covariance[(i, j)];
                    }
                }
            }
            covariances.push(p);
        }
        (views, covariances)
    }
}

/// Default IFF history gate (m) for a system whose catalog entry gives no `iff_history_gate`
/// (the catalog's systems all give it; see `asm-iff-history`).
pub(crate) const IFF_HISTORY_GATE_M: f64 = 2_000.0;

/// The IFF evidence of the nearest answered track within the unit's IFF history gate of new
/// track `new` at `t_s` (issue 18: replies belong to the object's history, not to one track
/// id): a live track, else a deleted one of the last `iff_history_memory` s, extrapolated at
/// constant velocity from its last fix.
fn iff_history(unit: &Unit, new: TrackId, t_s: f64) -> Option<bulwark_c2::IffEvidence> {
    let at = unit.tracker.predict_mean(new, t_s)?.xyz();
    let gate = unit.setup.iff_history_gate_m;
    let mut best: Option<(f64, TrackId)> = None;
    for id in unit.tracks.iter().filter(|(id, i)| **id != new && i.iff.answered()).map(|(id, _)| id) {
        let Some(g) = unit.tracker.predict_mean(*id, t_s) else { continue };
        let d = (g.xyz() - at).norm();
        if d <= gate && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, *id));
        }
    }
    match best.and_then(|(_, id)| unit.tracks.get(&id)) {
        Some(i) => Some(i.iff.clone()),
        None => departed_near(&unit.departed, at, t_s, gate, unit.setup.iff_history_memory_s).cloned(),
    }
}

/// The IFF evidence of the deleted track nearest `at` (m) at `t_s` within `gate` (m), its last
/// fix extrapolated at constant velocity (position + velocity·Δt), among those deleted at most
/// `memory_s` after their last fix.
pub(crate) fn departed_near(
    departed: &[Departed],
    at: Vec3,
    t_s: f64,
    gate: f64,
    memory_s: f64,
) -> Option<&bulwark_c2::IffEvidence> {
    let mut best: Option<(f64, &Departed)> = None;
    for d in departed {
        let (t0, p, v) = d.fix;
        if t_s - t0 > memory_s || t_s < t0 {
            continue;
        }
        let dist = (p + v * (t_s - t0) - at).norm();
        if dist <= gate && best.is_none_or(|(bd, _)| dist < bd) {
            best = Some((dist, d));
        }
    }
    best.map(|(_, d)| &d.iff)
}

/// Gives back the track dwells `radar` holds on `track`.
pub(crate) fn release_dwells(radar: &mut UnitRadar, track: TrackId, log: &mut Vec<EventKind>) {
    radar.scheduler.release_track(track.0);
    log.push(EventKind::TrackDwellsReleased { sensor: radar.radar.id(), track });
}

/// Plots of one look made ready for the tracker, with their truth labels (metrics only).
#[derive(Default)]
pub(crate) struct Offer {
    pub(crate) dets: Vec<Detection>,
    pub(crate) labels: Vec<Option<EntityId>>,
}

/// Logs the plots of a look of radar `ri` and adds them to `offer` for the tracker. A search
/// look offers every plot; a track dwell on a track predicted at `dwell` (scenario ENU) offers
/// only the plot nearest the prediction: the echo in its beam and range gate.
pub(crate) fn offer_plots(
    unit: &Unit,
    ri: usize,
    out: &ScanOutput,
    dwell: Option<Vec3>,
    offer: &mut Offer,
    cx: &mut LookCx<'_>,
) {
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
            cx.metrics.first_detection_range_m.entry(*e).or_insert(plot.range_m);
            if r.scheduler.budget().is_some() {
                cx.metrics.first_fire_control_range_m.entry(*e).or_insert(plot.range_m);
            }
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
pub(crate) fn update_tracks(unit: &mut Unit, ri: usize, offer: Offer, search: bool, cx: &mut LookCx<'_>) {
    let r = &unit.setup.radars[ri];
    let (sensor, search_period) = (r.radar.id(), r.scheduler.search_period());
    let now = cx.now;
    let t_s = now.as_secs_f64();
    let Offer { dets, labels } = offer;
    let window = hold_window(search_period);
    let stale_s = unit.setup.stale_track_s;
    let report = if search {
        let tracks = &unit.tracks;
        let expected = |tr: &bulwark_tracking::Track| {
            let recent = tracks.get(&tr.id).is_some_and(|i| i.hit_within(sensor, window, now));
            recent || t_s - tr.last_update_t > stale_s
        };
        unit.tracker.process_expecting(t_s, &dets, &expected)
    } else if dets.is_empty() {
        cx.exposure.place(&[], cx.entities);
        return;
    } else {
        unit.tracker.process_expecting(t_s, &dets, &|_: &bulwark_tracking::Track| false)
    };
    for ev in &report.events {
        match ev {
            TrackEvent::Initiated { track, detection } => {
                let history = iff_history(unit, *track, t_s);
                let info = unit.tracks.entry(*track).or_default();
                if let Some(h) = history {
                    info.iff.inherit(&h);
                }
                info.hit(sensor, now, window);
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
                    let memory = unit.setup.iff_history_memory_s;
                    if let Some(fix) = info.last_fix.filter(|_| memory > 0.0 && info.iff.answered()) {
                        unit.departed.retain(|d| t_s - d.fix.0 <= memory);
                        unit.departed.push(Departed { fix, iff: info.iff.clone() });
                    }
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
        info.hit(sensor, now, window);
        if let Some(Some(e)) = labels.get(*di) {
            *info.truth_hits.entry(*e).or_insert(0) += 1;
        }
    }
    // Where each plot went, for the exposure rows of this look.
    let started = report.events.iter().filter_map(|ev| match ev {
        TrackEvent::Initiated { track, detection } => Some((*detection, *track)),
        _ => None,
    });
    let placed: Vec<(Option<EntityId>, TrackId)> = report
        .updates
        .iter()
        .copied()
        .chain(started)
        .map(|(di, track)| (labels.get(di).copied().flatten(), track))
        .collect();
    cx.exposure.place(&placed, cx.entities);
}
