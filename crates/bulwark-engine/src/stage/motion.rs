//! Move: spawns, interceptor guidance (mid-course on the unit's track, seeker hand-over to
//! terminal homing) and the motion of every live object over the step.
use crate::setup::TerminalLaw;
use crate::sim::Simulation;
use crate::world::Role;
use bulwark_core::{EntityId, EventKind};
use bulwark_motion::{GuidancePhase, KinematicState};

impl Simulation<'_> {
    pub(crate) fn spawn(&mut self) {
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

    /// Guidance estimate of interceptor `i` for this step. Mid-course: the engagement track
    /// predicted to now (command guidance on the unit's radar track; the last estimate carried
    /// forward if the track is lost). A homing type's seeker, pointed along the estimate, looks
    /// for the object nearest that direction inside its acquisition range; [`bulwark_motion::HandOver`] switches
    /// to terminal homing on the seeker's noisy measurement once the seeker sees it (range,
    /// field of regard, and for a semi-active seeker the radar's illumination: the unit still
    /// holds the track), and back if it loses it. The law is swapped with the phase.
    pub(crate) fn guidance_estimate(&mut self, i: usize) -> Option<KinematicState> {
        let now = self.now;
        let dt_s = self.dt.as_secs_f64();
        let (own, id) = (KinematicState::new(self.entities[i].pos, self.entities[i].vel), self.entities[i].id);
        let info = self.entities[i].interceptor.as_ref()?;
        let ty = self.types.get(&info.type_id)?;
        let unit = self.units.iter().find(|u| u.setup.id == info.unit)?;
        let carried = info.estimate.map(|e| KinematicState::new(e.pos + e.vel * dt_s, e.vel));
        let radar = unit.tracker.predict_mean(info.track, now.as_secs_f64()).map(|m| {
            KinematicState::new(self.frame.to_ecef(&m.xyz()), self.frame.vec_to_ecef(&m.fixed_rows::<3>(3).into()))
        });
        // A remote track (engaged on the command post's picture): guided on its estimate, and
        // illuminated when a fire-control radar of the unit covers that estimate (its beam,
        // pointed on the cue, holds the target: the picture's error is far below a beamwidth).
        let remote = match radar {
            Some(_) => None,
            None => unit
                .net
                .as_ref()
                .and_then(|n| n.remote(info.track, now.as_secs_f64()))
                .map(|(p, v)| KinematicState::new(self.frame.to_ecef(&p), self.frame.vec_to_ecef(&v))),
        };
        let lit = |k: &KinematicState| {
            let fc = unit.setup.radars.iter().filter(|r| r.scheduler.budget().is_some());
            fc.clone().any(|r| r.radar.covers(&r.radar.site().rae(&k.pos)))
        };
        let illuminated = radar.is_some() || remote.as_ref().is_some_and(lit);
        let track_est = radar.or(remote).or(carried);
        let Some(mut handover) = info.handover else { return track_est };
        let seeker = handover.seeker;
        // The object the seeker looks at: its lock while that lives, else the one nearest the
        // estimate's direction inside the search cone (the type's `seeker_field_of_view`) and the
        // acquisition range.
        let looked = match info.locked.map(|t| &self.entities[t.0 as usize]).filter(|t| t.live()) {
            Some(t) if handover.phase() == GuidancePhase::Terminal => Some(t.id),
            _ => track_est.as_ref().and_then(|est| {
                let to_est = est.pos - own.pos;
                if to_est.norm() > seeker.acquisition_range_m + ty.pass_range_m {
                    return None;
                }
                let mut best: Option<(f64, EntityId)> = None;
                for e in self.entities.iter().filter(|e| e.observable()) {
                    let d = e.pos - own.pos;
                    if d.norm() > seeker.acquisition_range_m {
                        continue;
                    }
                    let ang = d.angle(&to_est);
                    if ang <= ty.search_cone_rad && best.is_none_or(|(b, _)| ang < b) {
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
    pub(crate) fn move_all(&mut self) {
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
}
