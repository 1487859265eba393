//! The run summary: what was detected, tracked, engaged, killed and leaked, by class.
use crate::world::{Entity, Role};
use bulwark_core::{EntityId, PlatformClass};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

/// Truth-side tallies gathered during a run (metrics only; no model reads them).
#[derive(Debug, Default)]
pub struct Metrics {
    pub detected: BTreeSet<EntityId>,
    pub tracked: BTreeSet<EntityId>,
    pub engaged: BTreeSet<EntityId>,
    pub killed: BTreeSet<EntityId>,
    pub leaked: BTreeSet<EntityId>,
    pub fired: BTreeMap<String, u32>,
    pub loaded: BTreeMap<String, u32>,
    /// Confirmed tracks, and those whose plots came mostly from false alarms.
    pub confirmed_tracks: u32,
    pub false_tracks: u32,
    /// Jammer strobes reported by search looks.
    pub strobes: u32,
}

impl Metrics {
    /// Count a track when it ends (or at the end of the run).
    pub fn record_track(&mut self, confirmed: bool, truth: Option<EntityId>) {
        if !confirmed {
            return;
        }
        self.confirmed_tracks += 1;
        match truth {
            Some(e) => {
                self.tracked.insert(e);
            }
            None => self.false_tracks += 1,
        }
    }
}

/// One row of the threat table.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ThreatSummary {
    pub class: PlatformClass,
    pub count: u32,
    /// At least one radar plot.
    pub detected: u32,
    /// The dominant truth of at least one confirmed track.
    pub tracked: u32,
    /// At least one fire order at a track of it.
    pub engaged: u32,
    pub killed: u32,
    /// Completed its route or reached its aim point alive.
    pub leaked: u32,
}

/// `summary.json`.
#[derive(Clone, Debug, Serialize)]
pub struct Summary {
    pub scenario: String,
    pub seed: u64,
    pub duration_s: f64,
    pub steps: u64,
    pub threats: Vec<ThreatSummary>,
    pub interceptors_fired: BTreeMap<String, u32>,
    pub interceptors_loaded: BTreeMap<String, u32>,
    /// Civil aircraft at which a fire order was given.
    pub civil_engaged: u32,
    /// Friendly aircraft at which a fire order was given.
    pub friendly_engaged: u32,
    /// Civil or friendly aircraft destroyed (by any interceptor burst).
    pub civil_killed: u32,
    pub friendly_killed: u32,
    pub confirmed_tracks: u32,
    pub false_tracks: u32,
    /// Angle-only jammer strobes reported by the radars' search looks.
    pub strobes: u32,
}

impl Summary {
    pub fn new(scenario: &str, seed: u64, duration_s: f64, steps: u64, entities: &[Entity], m: &Metrics) -> Self {
        let mut rows: BTreeMap<PlatformClass, ThreatSummary> = BTreeMap::new();
        let (mut civil_engaged, mut friendly_engaged, mut civil_killed, mut friendly_killed) = (0, 0, 0, 0);
        for e in entities {
            let flag = |s: &BTreeSet<EntityId>| u32::from(s.contains(&e.id));
            match e.role {
                Role::Threat { .. } => {
                    let r = rows.entry(e.class).or_insert(ThreatSummary {
                        class: e.class,
                        count: 0,
                        detected: 0,
                        tracked: 0,
                        engaged: 0,
                        killed: 0,
                        leaked: 0,
                    });
                    r.count += 1;
                    r.detected += flag(&m.detected);
                    r.tracked += flag(&m.tracked);
                    r.engaged += flag(&m.engaged);
                    r.killed += flag(&m.killed);
                    r.leaked += flag(&m.leaked);
                }
                Role::Civil => {
                    civil_engaged += flag(&m.engaged);
                    civil_killed += flag(&m.killed);
                }
                Role::Friendly => {
                    friendly_engaged += flag(&m.engaged);
                    friendly_killed += flag(&m.killed);
                }
                Role::Interceptor => {}
            }
        }
        Summary {
            scenario: scenario.to_string(),
            seed,
            duration_s,
            steps,
            threats: rows.into_values().collect(),
            interceptors_fired: m.fired.clone(),
            interceptors_loaded: m.loaded.clone(),
            civil_engaged,
            friendly_engaged,
            civil_killed,
            friendly_killed,
            confirmed_tracks: m.confirmed_tracks,
            false_tracks: m.false_tracks,
            strobes: m.strobes,
        }
    }

    /// The summary as a text table.
    pub fn table(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(s, "{} — seed {}, {:.0} s", self.scenario, self.seed, self.duration_s);
        let _ = writeln!(
            s,
            "{:<18} {:>5} {:>8} {:>7} {:>7} {:>6} {:>6}",
            "threat class", "count", "detected", "tracked", "engaged", "killed", "leaked"
        );
        let mut total = [0u32; 6];
        for r in &self.threats {
            let _ = writeln!(
                s,
                "{:<18} {:>5} {:>8} {:>7} {:>7} {:>6} {:>6}",
                r.class.as_str(),
                r.count,
                r.detected,
                r.tracked,
                r.engaged,
                r.killed,
                r.leaked
            );
            for (t, v) in total.iter_mut().zip([r.count, r.detected, r.tracked, r.engaged, r.killed, r.leaked]) {
                *t += v;
            }
        }
        let _ = writeln!(
            s,
            "{:<18} {:>5} {:>8} {:>7} {:>7} {:>6} {:>6}",
            "total", total[0], total[1], total[2], total[3], total[4], total[5]
        );
        let _ = writeln!(s, "interceptors fired / loaded:");
        for (k, loaded) in &self.interceptors_loaded {
            let fired = self.interceptors_fired.get(k).copied().unwrap_or(0);
            let _ = writeln!(s, "  {k:<14} {fired:>4} / {loaded}");
        }
        let _ = writeln!(
            s,
            "civil engaged: {}   friendly engaged: {}   confirmed tracks: {} ({} false)   jammer strobes: {}",
            self.civil_engaged, self.friendly_engaged, self.confirmed_tracks, self.false_tracks, self.strobes
        );
        s
    }
}
