//! Engage: launcher readiness and reloads, and the launches of fire orders when due.
use crate::setup;
use crate::sim::Simulation;
use crate::summary::ReloadSummary;
use crate::world::{Entity, InterceptorInfo, Mover, Role};
use bulwark_core::{EntityId, EventKind, PlatformClass, SimDuration, StreamPurpose};
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
