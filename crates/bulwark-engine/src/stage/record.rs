//! Record: truth rows and every unit's track samples at the record period.
use crate::fastfmt::Row;
use crate::history::{TrackSample, TrackState, push_track_row};
use crate::sim::Simulation;
use bulwark_core::SimDuration;
use bulwark_geo::Geodetic;

/// Truth and track rows are recorded at this period.
pub(crate) const RECORD_PERIOD: SimDuration = SimDuration::from_secs(1);

impl Simulation<'_> {
    pub(crate) fn record(&mut self) {
        let t = self.now.as_secs_f64();
        for e in self.entities.iter().filter(|e| e.live() && self.options.record_truth) {
            let g = Geodetic::from_ecef(&e.pos);
            let p = self.frame.to_enu(&e.pos);
            let v = self.frame.vec_to_enu(&e.vel);
            let out = &mut self.truth_csv;
            Row::new(out).fixed(t, 3).byte(b',');
            e.push_csv_columns(out);
            let mut row = Row::new(out);
            row.byte(b',');
            for (x, d) in
                [(g.lat_deg(), 7), (g.lon_deg(), 7), (g.alt_m, 1), (p.x, 1), (p.y, 1), (p.z, 1), (v.x, 2), (v.y, 2)]
            {
                row.fixed(x, d).byte(b',');
            }
            row.fixed(v.z, 2).byte(b'\n');
        }
        let keep_samples = self.keeps_samples();
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
                    push_track_row(&mut self.tracks_csv, &sample);
                    if keep_samples {
                        self.track_history.push(sample);
                    }
                }
            }
        }
        let (units, engaged) = (&self.units, &self.engaged_tracks);
        self.labels.retain_tracks(|u, t| {
            engaged.contains(&t) || units.iter().any(|x| x.setup.id == u && x.tracker.track(t).is_some())
        });
    }
}
