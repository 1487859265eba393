//! Decide: each unit's command post at its decision period — identification, threat
//! evaluation (the ranked threat list, `threats.csv`) and fire distribution into fire orders.
use crate::output::csv_field;
use crate::sim::Simulation;
use crate::stage::engage::{OrderCx, book_order, weapon_view};
use crate::stage::network::may_engage;
use crate::stage::track::hold_window;
use crate::state::{TrackInfo, Unit};
use bulwark_c2::assign::{Candidate, Picture};
use bulwark_c2::authority::{authorise, predicted_error_m};
use bulwark_c2::{
    Authority, Identification, Identifier, RankedThreat, RoeState, TargetRating, ThreatInput, TrackNeed, TrackView,
    assign_weapons_authorised, rank_threats,
};
use bulwark_core::{EventKind, InterceptOutcome, SimDuration, SimTime, TrackId, UnitId, Vec3};
use bulwark_geo::EnuFrame;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// The ranked threat list goes into `threats.csv` at every decision cycle where its order
/// changed, and at least at this period while it is not empty.
pub(crate) const THREATS_CSV_PERIOD: SimDuration = SimDuration::from_secs(10);
/// Header of `threats.csv`: one row per ranked track (time to go empty when none threatens).
pub(crate) const THREATS_CSV_HEADER: &str =
    "t_s,unit,rank,track,class,identity,confidence,score,asset,time_to_go_s,reasons\n";
/// Shortest interval between the two track updates of an acceleration estimate (s).
pub(crate) const ACCEL_BASELINE_S: f64 = 4.0;
/// Longest such interval (s): past it, a reference too noisy to difference is replaced.
pub(crate) const ACCEL_MAX_BASELINE_S: f64 = 20.0;
/// Largest 1-σ noise per axis of an acceleration estimate passed to identification (m/s²):
/// about the class models' residual spreads (2–8 m/s²), so noise does not decide the class.
pub(crate) const ACCEL_MAX_SIGMA_MPS2: f64 = 3.0;

impl Simulation<'_> {
    pub(crate) fn decide(&mut self) {
        let now = self.now;
        let roe_state = self.scenario.roe_at(now);
        let mut log = Vec::new();
        let mut launches = Vec::new();
        // Engaged tracks now declared protected long enough for command destruct.
        let mut destruct: Vec<(UnitId, TrackId)> = Vec::new();
        // Launches queued per (unit, launcher) this cycle: one launcher's orders leave one after another.
        let mut queued: BTreeMap<(usize, usize), i64> = BTreeMap::new();
        // The rules' logarithms are looked up once for all the tracks of all units.
        let identifier = Identifier::new(&self.rules);
        for (ui, unit) in self.units.iter_mut().enumerate() {
            if unit.next_decision > now {
                continue;
            }
            unit.next_decision = now + unit.setup.decision_period;
            let (mut views, covariances) = Self::views(unit, &self.frame, now);
            let t_s = now.as_secs_f64();
            // Identification: IFF, filed flight plans and kinematics (with the acceleration
            // estimate when it is good enough) → class, identity, confidence.
            let mut idents: Vec<Identification> = Vec::with_capacity(views.len());
            let destruct_after = unit.setup.doctrine.command_destruct_s;
            // An integrated unit's outside picture: its friends protect the own tracks they gate with.
            self.airspace.picture_friends = match &unit.setup.picture {
                Some(p) => crate::stage::picture::picture_friends(
                    p,
                    &unit.setup.picture_doctrine,
                    unit.setup.q,
                    &self.frame,
                    t_s,
                    &views,
                    &covariances,
                ),
                None => Vec::new(),
            };
            // No interrogator reading any mode: the IFF term is absent (not silence).
            let no_iff = unit.setup.iff.as_ref().is_none_or(|(i, _)| i.modes().is_empty());
            for v in &mut views {
                let info = unit.tracks.entry(v.id).or_default();
                info.iff.absent = no_iff;
                if info.iff.answered() {
                    info.last_fix = Some((t_s, v.position, v.velocity));
                }
                if let Some(tr) = unit.tracker.track(v.id) {
                    update_acceleration(info, tr);
                }
                // A tentative track's identity is kept (and recorded), its reasons never read.
                let identify =
                    if v.confirmed { Identifier::identify_with } else { Identifier::identify_without_reasons };
                let mut id = identify(&identifier, v, info.accel.as_ref(), &info.iff, &self.airspace);
                // The proposal becomes the identity acted on only when it holds (declare).
                let proposed = id.identity;
                id.identity = info.declaration.update(&id, now, roe_state, &self.declaration);
                if proposed != id.identity && v.confirmed {
                    id.reason = format!("{}; proposed {} not yet held", id.reason, proposed.as_str());
                }
                info.identity = id.identity;
                // Reported once the track is confirmed, also when decided while it was tentative.
                if v.confirmed && id.identity != info.reported_identity {
                    info.reported_identity = id.identity;
                    let reason = format!("{}; confidence {:.2}", id.reason, id.confidence);
                    log.push(EventKind::TrackIdentified { track: v.id, identity: id.identity, reason });
                }
                // Declared engageable (hostile, suspect, or unknown and silent): the reaction time runs.
                if v.confirmed && info.declaration.engageable(RoeState::WeaponsFree, now, &self.declaration) {
                    info.hostile_since.get_or_insert(now);
                } else if info.identity.protected() {
                    info.hostile_since = None;
                }
                if let Some(delay) = destruct_after
                    && info.engagement.in_flight > 0
                    && info.declaration.identity.protected()
                    && info.declaration.held_s(now) >= delay - 1e-9
                {
                    destruct.push((unit.setup.id, v.id));
                }
                v.identity = info.identity;
                v.hostile_since = info.hostile_since;
                if unit.net.is_some() {
                    info.ident = Some(id.clone());
                }
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
                    let d = &unit.tracks.get(&r.track)?.declaration;
                    let engageable = d.engageable(roe_state, now, &self.declaration);
                    Some((r.track, TargetRating { rank: r.rank, value: r.score, engageable }))
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
            // A track with no plausible air threat behind it (too slow, too thinly supported) is
            // never engaged, whatever its identity. Its speed and σ are those its measurements
            // gave, the posterior at its last update: predicted on to now, the velocity σ grows
            // by the process noise (q·Δt: 400 m²/s³ over a 10 s scan is 63 m/s), a manoeuvre
            // allowance, not evidence of a slower object; with it a 44 m/s loitering munition
            // failed the 2σ margin for most of each scan.
            let plausibility = unit.setup.doctrine.plausibility;
            let plausible =
                |v: &TrackView, p: &[[f64; 6]; 6]| plausible(&plausibility, unit.tracker.track(v.id), &v.velocity, p);
            let candidates: Vec<Candidate<'_>> = views
                .iter()
                .zip(&covariances)
                .filter(|(v, p)| v.confirmed && !v.identity.protected() && plausible(v, p))
                .filter_map(|(v, _)| {
                    let r = ranked_by.get(&v.id)?;
                    let allowed = may_engage(unit, ui, v.id, r);
                    (allowed && r.impact_in_footprint != Some(false)).then(|| Candidate {
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
            let mut weapons: Vec<bulwark_c2::WeaponView> = unit.setup.launchers.iter().map(weapon_view).collect();
            let envelopes: Vec<_> = self
                .types
                .values()
                .filter(|t| unit.setup.loaded.contains_key(&t.envelope.type_id))
                .map(|t| t.envelope.clone())
                .collect();
            // Fire authority follows the guidance chain: a (track, type) pair is offered only when
            // the unit holds the track the type's guidance needs for that intercept.
            let (types, frame) = (&self.types, &self.frame);
            let row: BTreeMap<TrackId, usize> = views.iter().enumerate().map(|(k, v)| (v.id, k)).collect();
            let held: &Unit = unit;
            let authority = |t: &TrackView, ty: &str, pip: &Vec3, tof_s: f64| {
                let need = types.get(ty).map_or(TrackNeed::FireControl, |x| x.need);
                let cov = row.get(&t.id).map(|&k| &covariances[k])?;
                fire_authority(held, frame, now, t, cov, need, pip, tof_s)
            };
            let authorised =
                |t: &TrackView, env: &bulwark_c2::InterceptorEnvelope, i: &bulwark_c2::engage::Intercept| {
                    authority(t, &env.type_id, &i.pip, i.time_of_flight_s).is_some()
                };
            let orders = assign_weapons_authorised(
                &picture,
                &mut weapons,
                &envelopes,
                &held.setup.doctrine,
                &self.rules,
                &ratings,
                &authorised,
            );
            let orders: Vec<_> = orders
                .into_iter()
                .map(|o| {
                    let view = views.iter().find(|v| v.id == o.track);
                    let why =
                        view.and_then(|v| authority(v, &o.interceptor_type, &o.intercept_point, o.time_of_flight_s));
                    (o, why)
                })
                .collect();
            for (l, w) in unit.setup.launchers.iter_mut().zip(&weapons) {
                l.stock = w.stock.clone();
                l.ready_at = w.ready_at;
            }
            for (o, why) in orders {
                let position = views.iter().find(|v| v.id == o.track).map(|v| self.frame.to_ecef(&v.position));
                // The identification the order rests on, as the command post saw it.
                let evidence = views.iter().position(|v| v.id == o.track).map_or(String::new(), |i| {
                    let id = &idents[i];
                    let d = unit.tracks.get(&o.track).map(|t| &t.declaration);
                    format!(
                        "{}; confidence {:.2}; {} held {:.0} s; {}",
                        id.reason,
                        id.confidence,
                        d.map_or("pending", |d| d.identity.as_str()),
                        d.map_or(0.0, |d| d.held_s(now)),
                        why.map_or_else(|| "no fire authority".to_string(), |a| a.describe())
                    )
                });
                let mut cx = OrderCx { now, metrics: &mut self.metrics, log: &mut log, launches: &mut launches };
                book_order(unit, ui, &o, position, evidence, &mut queued, &mut cx);
            }
        }
        for k in log {
            self.log(k);
        }
        // Command destruct: the interceptors of those engagements are destroyed in flight.
        for (unit, track) in destruct {
            let flying: Vec<usize> = (0..self.entities.len())
                .filter(|&i| {
                    let e = &self.entities[i];
                    e.live() && e.interceptor.as_ref().is_some_and(|x| x.unit == unit && x.track == track)
                })
                .collect();
            for i in flying {
                self.end_interceptor(i, InterceptOutcome::CommandDestruct, None, None);
            }
        }
        // Guidance-loss destruct: command/TVM rounds whose fire-control track is gone.
        for i in self.guidance_lost(now) {
            self.metrics.guidance_lost += 1;
            self.end_interceptor(i, InterceptOutcome::GuidanceLost, None, None);
        }
        self.pending.extend(launches);
        self.launch_due();
    }

    /// Live interceptors whose guidance needs the fire-control track ([`TrackNeed::FireControl`])
    /// and has lost it: no fire-control radar of the unit still holds the track by the rule that
    /// gave fire authority (a hit within [`EXPECT_REVISITS`](crate::stage::track::EXPECT_REVISITS) revisit periods) and the unit's
    /// `guidance_loss_destruct_s` has passed since that hold lapsed, or the track was deleted. So a
    /// round is never launched on a hold it would be destroyed for at once. A round on a remote
    /// (picture) track and one whose seeker has locked (terminal homing) are left alone.
    fn guidance_lost(&self, now: SimTime) -> Vec<usize> {
        let mut out = Vec::new();
        for (i, e) in self.entities.iter().enumerate() {
            let Some(x) = e.interceptor.as_ref().filter(|_| e.live()) else { continue };
            let Some(unit) = self.units.iter().find(|u| u.setup.id == x.unit) else { continue };
            let Some(delay) = unit.setup.doctrine.guidance_loss_destruct_s else { continue };
            let fire_control = self.types.get(&x.type_id).is_some_and(|t| t.need == TrackNeed::FireControl);
            let homing = x.handover.is_some_and(|h| h.phase() == bulwark_motion::GuidancePhase::Terminal);
            if !fire_control || homing {
                continue;
            }
            let delay = SimDuration::from_secs_f64(delay);
            let held = match unit.tracks.get(&x.track) {
                Some(info) if info.remote => true,
                Some(info) => unit.setup.radars.iter().any(|r| {
                    let hold = hold_window(r.scheduler.search_period());
                    r.fire_channels > 0 && info.hit_within(r.radar.id(), hold + delay, now)
                }),
                // Deleted, unless the unit's picture still carries it.
                None => unit.net.as_ref().is_some_and(|n| n.remote(x.track, now.as_secs_f64()).is_some()),
            };
            if !held {
                out.push(i);
            }
        }
        out
    }
}

/// Fire authority ([`bulwark_c2::authority`]) for a round that needs `need` at track `t` (state
/// covariance `cov` predicted to `now`), for an intercept at `pip` (scenario ENU) after `tof_s`:
/// a fire-control radar of the unit holds the track (updated `fire_control_min_updates` times in
/// a row, each within [`EXPECT_REVISITS`](crate::stage::track::EXPECT_REVISITS) of its revisit period of the last) and covers it now and at the PIP, so it can guide through mid-course; else,
/// for a seeker round, the track's predicted error at the intercept (the unit's own process
/// noise, [`UnitSetup::q`](crate::setup::UnitSetup::q)) fits the seeker basket.
#[allow(clippy::too_many_arguments)]
pub(crate) fn fire_authority(
    unit: &Unit,
    frame: &EnuFrame,
    now: SimTime,
    t: &TrackView,
    cov: &[[f64; 6]; 6],
    need: TrackNeed,
    pip: &Vec3,
    tof_s: f64,
) -> Option<Authority> {
    let fire_control = fire_control_holds(unit, frame, now, t.id, &t.position, pip);
    authorise(need, fire_control, predicted_error_m(cov, tof_s, unit.setup.q))
}

/// Whether a fire-control radar of `unit` holds its track `track` (updated
/// `fire_control_min_updates` times in a row (catalog), the last within [`EXPECT_REVISITS`](crate::stage::track::EXPECT_REVISITS) of its revisit
/// period) and covers the target at `position` now and the intercept at `pip` (scenario ENU, m),
/// so that it can guide a command, track-via-missile or radio-corrected round through mid-course.
pub(crate) fn fire_control_holds(
    unit: &Unit,
    frame: &EnuFrame,
    now: SimTime,
    track: TrackId,
    position: &Vec3,
    pip: &Vec3,
) -> bool {
    let info = unit.tracks.get(&track);
    unit.setup.radars.iter().any(|r| {
        let id = r.radar.id();
        let steady = info.and_then(|x| x.streak_by.get(&id)).is_some_and(|n| *n >= unit.setup.fire_control_min_updates);
        let held = steady && info.is_some_and(|x| x.hit_within(id, hold_window(r.scheduler.search_period()), now));
        let sees = |p: &Vec3| r.radar.covers(&r.radar.site().rae(&frame.to_ecef(p)));
        r.fire_channels > 0 && held && sees(position) && sees(pip)
    })
}

/// Whether the plausibility doctrine `p` lets a track be engaged, judged on `track`'s
/// posterior at its last update (speed, its 1-σ, update count): what its measurements gave,
/// without the process noise a prediction to now adds, which made slow real threats fail the
/// 2σ margin. With no tracker track (a fused estimate with no member at hand) the estimate
/// `vel`, `cov` is used, with no updates. For a unit and for its command post alike.
pub(crate) fn plausible(
    p: &bulwark_c2::plausible::Plausibility,
    track: Option<&bulwark_tracking::Track>,
    vel: &Vec3,
    cov: &[[f64; 6]; 6],
) -> bool {
    let (speed, sigma, updates) = match track {
        Some(t) => {
            let v = Vec3::new(t.state[3], t.state[4], t.state[5]);
            let post: [[f64; 6]; 6] = std::array::from_fn(|i| std::array::from_fn(|j| t.covariance[(i, j)]));
            (v.norm(), bulwark_c2::plausible::speed_sigma_mps(&v, &post), t.hits)
        }
        None => (vel.norm(), bulwark_c2::plausible::speed_sigma_mps(vel, cov), 0),
    };
    bulwark_c2::implausible(p, speed, sigma, updates).is_none()
}

/// Acceleration estimate of a track for identification (m/s², scenario ENU). The tracker's
/// constant-velocity state carries none, so it is the finite difference of the filtered
/// velocity between two track updates [`ACCEL_BASELINE_S`] to [`ACCEL_MAX_BASELINE_S`] apart
/// (the baseline grows until the estimate is good enough, or starts again past the longest),
/// a = (v₁ − v₀)/(t₁ − t₀), kept only while its 1-σ noise per axis, √(σ₀² + σ₁²)/(t₁ − t₀) with σ
/// the largest velocity standard deviation of the track covariance at each update (their
/// correlation ignored), is at most [`ACCEL_MAX_SIGMA_MPS2`]; otherwise identification keeps the
/// last good one while the baseline grows, and gets none once it starts again.
pub(crate) fn update_acceleration(info: &mut TrackInfo, tr: &bulwark_tracking::Track) {
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
pub(crate) fn threat_rows(out: &mut String, t_s: f64, unit: u32, ranked: &[RankedThreat]) {
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
