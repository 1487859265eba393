//! Finish: the run closed into its summary, timeline and output texts.
use crate::history::SensorInfo;
use crate::result::RunResult;
use crate::sim::Simulation;
use crate::summary::Summary;
use crate::timeline::{self, UnitStock};
use std::collections::BTreeMap;

impl Simulation<'_> {
    /// Close the run: metrics from the remaining tracks, and the summary.
    pub fn finish(mut self) -> RunResult {
        for unit in &self.units {
            for info in unit.tracks.values().filter(|i| !i.remote) {
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
        let timeline_csv = timeline::timeline_csv(&ops.rows);
        summary.timeline = ops.rows.into_iter().filter(|r| r.side == "threat").collect();
        let fratricide = crate::fratricide::fratricide(&self.events, &self.labels, &self.entities, &launcher_unit);
        summary.fratricide = crate::fratricide::FratricideCounts::of(&fratricide);
        let fratricide_csv = crate::fratricide::fratricide_csv(&fratricide);
        let sensors = self.sensor_infos();
        // A streaming run empties its last rows and puts its files under their names.
        self.drain_or_keep_error(true);
        let streamed_to = self.streams.as_ref().map(|s| s.dir().to_path_buf());
        if let Some(streams) = self.streams.take()
            && let Err(e) = streams.close()
        {
            self.stream_error.get_or_insert(e);
        }
        RunResult {
            summary,
            events: self.events,
            truth_csv: self.truth_csv,
            tracks_csv: self.tracks_csv,
            timeline_csv,
            fratricide_csv,
            threats_csv: self.threats_csv,
            exposure_csv: self.exposure.into_csv(),
            tracks: self.track_history,
            sensors,
            streamed_to,
            stream_error: self.stream_error,
            origin: self.scenario.origin,
            epoch: self.scenario.epoch,
        }
    }

    /// The radars, with their ASTERIX identifiers (scenario SAC/SIC, or SAC 0 and the
    /// sensor id as SIC).
    pub(crate) fn sensor_infos(&self) -> Vec<SensorInfo> {
        let mut out = Vec::new();
        for (unit, placed) in self.units.iter().zip(&self.placed) {
            for (r, placed) in unit.setup.radars.iter().zip(placed) {
                let p = r.radar.params();
                out.push(SensorInfo {
                    id: r.radar.id(),
                    unit: unit.setup.id,
                    type_id: placed.type_id.clone(),
                    role: self
                        .scenario
                        .catalog
                        .radar(&placed.type_id)
                        .map_or(bulwark_scenario::catalog::RadarRole::Surveillance, |c| c.role),
                    band: r.band,
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
