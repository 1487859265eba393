//! Engage: launcher readiness and reloads, and the launches of fire orders when due.
use crate::setup::{self, UnitLauncher};
use crate::sim::Simulation;
use crate::state::{PendingLaunch, Unit};
use crate::summary::Metrics;
use crate::summary::ReloadSummary;
use crate::world::{Entity, InterceptorInfo, Mover, Role};
use bulwark_c2::assign::FireOrder;
use bulwark_core::{EntityId, EventKind, PlatformClass, SimDuration, StreamPurpose};
use bulwark_core::{SimTime, Vec3};
use bulwark_sensors::Transponder;
use std::collections::BTreeMap;

impl Simulation<'_> {
    /// Launcher readiness: a reload ends (its rounds enter the launcher, which is ready at
    /// start + catalog `reload_time`), and an empty, idle launcher with no launch pending
    /// takes compatible rounds (up to its tubes) from the first free reload vehicle of its
    /// unit. Rounds move, never appear: vehicle stock falls as launcher stock will rise.
    pub(crate) fn service_launchers(&mut self) {
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

    pub(crate) fn launch_due(&mut self) {
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
}

/// What booking the fire orders of one decision cycle writes to.
pub(crate) struct OrderCx<'a> {
    pub(crate) now: SimTime,
    pub(crate) metrics: &'a mut Metrics,
    pub(crate) log: &'a mut Vec<EventKind>,
    pub(crate) launches: &'a mut Vec<PendingLaunch>,
}

/// Books fire order `o` at unit `ui`: the track's engagement, the engagement radar's track
/// dwells (one that covers the track at `position`, ECEF, and can grant, else any that can),
/// the `fire_order` event (with the track's declared identity and the `evidence` behind the
/// order) and the launches, leaving one launcher at its launch interval after the launches
/// already `queued` on it this cycle.
pub(crate) fn book_order(
    unit: &mut Unit,
    ui: usize,
    o: &FireOrder,
    position: Option<Vec3>,
    evidence: String,
    queued: &mut BTreeMap<(usize, usize), i64>,
    cx: &mut OrderCx<'_>,
) {
    let now = cx.now;
    let Some(li) = unit.setup.launchers.iter().position(|l| l.id == o.launcher) else { return };
    let scheduled: Vec<usize> =
        (0..unit.setup.radars.len()).filter(|&ri| unit.setup.radars[ri].scheduler.budget().is_some()).collect();
    let info = unit.tracks.entry(o.track).or_default();
    info.engagement.in_flight += o.count;
    info.engagement.fired += o.count;
    if info.dwell_radar.is_none() && !scheduled.is_empty() {
        let radars = &unit.setup.radars;
        let covers = |ri: usize| position.is_some_and(|p| radars[ri].radar.covers(&radars[ri].radar.site().rae(&p)));
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
                cx.log.push(EventKind::TrackDwellsGranted { sensor: r.radar.id(), track: o.track });
            }
        }
    }
    if let Some(e) = info.dominant_truth() {
        cx.metrics.engaged.insert(e);
    }
    cx.log.push(EventKind::FireOrder {
        unit: unit.setup.id,
        track: o.track,
        launcher: o.launcher,
        interceptor_type: o.interceptor_type.clone(),
        count: o.count,
        time_to_go_s: o.time_to_go_s.is_finite().then_some(o.time_to_go_s),
        identity: info.declaration.identity,
        evidence,
    });
    let interval = SimDuration::from_secs_f64(unit.setup.doctrine.launch_interval_s);
    let first = queued.entry((ui, li)).or_insert(0);
    for k in 0..o.count {
        cx.launches.push(PendingLaunch {
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

/// What the weapon-target assignment sees of a launcher.
pub(crate) fn weapon_view(l: &UnitLauncher) -> bulwark_c2::WeaponView {
    bulwark_c2::WeaponView {
        launcher: l.id,
        position: l.position_enu,
        altitude_m: l.site.alt_m,
        stock: l.stock.clone(),
        ready_at: l.ready_at,
    }
}
