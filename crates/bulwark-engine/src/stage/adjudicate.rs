//! Adjudicate: closest approaches of interceptors inside the step, kill draws, and the ends of
//! routes and flights (leaks, self-destructs).
use crate::sim::Simulation;
use crate::stage::track::release_dwells;
use crate::world::{MoverEnd, Role};
use bulwark_core::{EntityId, EventKind, InterceptOutcome, Vec3};
use bulwark_motion::closest_approach_linear;

/// How an interceptor's flight ends in the adjudicator.
pub(crate) enum Burst {
    /// Closest approach to object `target` (entity index) inside the fuze radius.
    Fuzed { target: usize, miss: f64 },
    /// Passed its target estimate without a burst: the smallest true closest approach so far
    /// (m) and to which object.
    Passed { closest: Option<(f64, EntityId)> },
}

impl Simulation<'_> {
    /// True closest approach of each interceptor to every observable object inside the step,
    /// relative motion linear over the step ([`closest_approach_linear`]). A closest approach
    /// reached inside the step and inside the type's fuze radius ends the flight with a kill draw
    /// from its kill function ([`crate::setup::KillModel`]: hit-to-kill or Carleton).
    pub(crate) fn adjudicate(&mut self) {
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
                if r < ty.pass_range_m && r > info.last_estimate_range && (est.pos - m.pos).dot(&m.vel) < 0.0 {
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

    pub(crate) fn end_interceptor(
        &mut self,
        ii: usize,
        outcome: InterceptOutcome,
        target: Option<EntityId>,
        miss: Option<f64>,
    ) {
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

    pub(crate) fn ends(&mut self) {
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
}
