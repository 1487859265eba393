//! The run summary: what was detected, tracked, engaged, killed and leaked, by class.
use crate::timeline::{Outcome, ThreatTimeline};
use crate::world::{Entity, Role};
use bulwark_core::{EntityId, PlatformClass, SimTime, Vec3};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

/// Truth-side tallies gathered during a run (metrics only; no model reads them).
#[derive(Debug, Default)]
pub struct Metrics {
    pub detected: BTreeSet<EntityId>,
    /// Time of each object's first plot (the timeline's first detection).
    pub first_detected: BTreeMap<EntityId, SimTime>,
    /// Measured range (m) of each object's first plot by any radar, and by a fire-control /
    /// multifunction (time-budgeted) radar: "seen at" versus "engageable from".
    pub first_detection_range_m: BTreeMap<EntityId, f64>,
    pub first_fire_control_range_m: BTreeMap<EntityId, f64>,
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
    /// Interceptors destroyed because their guidance lost the fire-control track.
    pub guidance_lost: u32,
    /// Every launcher: deployment, and each reload as it starts.
    pub launchers: Vec<LauncherSummary>,
    /// Where each leaker ended (ECEF, m).
    pub leak_points: BTreeMap<EntityId, Vec3>,
}

/// One launcher of the run: when it could first fire, and its reloads.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LauncherSummary {
    pub launcher: u32,
    pub unit_id: u32,
    pub unit: String,
    pub type_id: String,
    /// Arrival at its site (s); `None`: deployed at the start.
    pub arrives_s: Option<f64>,
    /// Arrival + catalog deploy time (s): no launch before this.
    pub ready_s: f64,
    pub loaded: BTreeMap<String, u32>,
    /// Interceptors it launched.
    pub fired: u32,
    pub reloads: Vec<ReloadSummary>,
}

/// One reload: rounds moved from a reload vehicle into an empty launcher over the catalog
/// reload time, `end_s = start_s + reload_time_s`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ReloadSummary {
    pub start_s: f64,
    pub end_s: f64,
    pub missiles: BTreeMap<String, u32>,
}

/// Interceptor expenditure of one unit and one interceptor type.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Expenditure {
    pub unit: String,
    pub system: String,
    pub interceptor_type: String,
    /// On the launchers at the start.
    pub loaded: u32,
    /// On the reload vehicles at the start.
    pub on_reload_vehicles: u32,
    /// Moved from vehicles into launchers (reloads started).
    pub reloaded: u32,
    pub fired: u32,
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
#[derive(Clone, Debug, PartialEq, Serialize)]
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
    /// Airborne, neither killed nor leaked, when the run ended.
    pub in_flight: u32,
    /// Mean over the class's detected objects of the range (m) of its first plot by any radar;
    /// `None` if none was detected.
    pub first_detection_range_m: Option<f64>,
    /// The same for the first plot by a fire-control / multifunction radar.
    pub first_fire_control_range_m: Option<f64>,
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
    /// Interceptors destroyed in flight because their command or track-via-missile guidance lost
    /// the fire-control radar's track (catalog `guidance_loss_destruct`).
    pub guidance_lost: u32,
    /// Hostile truth objects that completed their route or reached their aim point alive.
    pub leakers: u32,
    /// Hostile objects still airborne (neither killed nor leaked) when the run ended: each
    /// could still leak, so `leakers` is a lower bound while this is not 0.
    pub in_flight: u32,
    /// Hostile objects whose start lies after the end of the run.
    pub not_launched: u32,
    /// The run ended before every hostile object was killed or leaked (`in_flight` or
    /// `not_launched` above 0): a longer `duration` is needed to score the raid.
    pub ended_mid_raid: bool,
    /// Fire orders at tracks whose dominant truth is a civil or friendly aircraft (must be 0).
    pub civil_fire_orders: u32,
    /// Fire orders, launches, kills and collateral kills of friendly and civil objects, judged
    /// on truth at the moment of each (`fratricide.csv` has one row each), with their names.
    pub fratricide: crate::fratricide::FratricideCounts,
    pub friendly_fire_orders: u32,
    /// Fired versus loaded, per unit (system) and interceptor type.
    pub expenditure: Vec<Expenditure>,
    pub launchers: Vec<LauncherSummary>,
    /// Per hostile truth object: detection, track, identification, engagement, outcome.
    pub timeline: Vec<ThreatTimeline>,
}

impl Summary {
    pub fn new(scenario: &str, seed: u64, end: SimTime, steps: u64, entities: &[Entity], m: &Metrics) -> Self {
        let mut rows: BTreeMap<PlatformClass, ThreatSummary> = BTreeMap::new();
        let (mut in_flight, mut not_launched) = (0, 0);
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
                        in_flight: 0,
                        first_detection_range_m: None,
                        first_fire_control_range_m: None,
                    });
                    r.count += 1;
                    // Running sums here, divided into means below.
                    for (acc, map) in [
                        (&mut r.first_detection_range_m, &m.first_detection_range_m),
                        (&mut r.first_fire_control_range_m, &m.first_fire_control_range_m),
                    ] {
                        if let Some(x) = map.get(&e.id) {
                            *acc = Some(acc.unwrap_or(0.0) + x);
                        }
                    }
                    r.detected += flag(&m.detected);
                    r.tracked += flag(&m.tracked);
                    r.engaged += flag(&m.engaged);
                    r.killed += flag(&m.killed);
                    r.leaked += flag(&m.leaked);
                    if !m.killed.contains(&e.id) && !m.leaked.contains(&e.id) {
                        match Outcome::unresolved(e.spawn_at, end) {
                            Outcome::NotLaunched => not_launched += 1,
                            _ => {
                                r.in_flight += 1;
                                in_flight += 1;
                            }
                        }
                    }
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
            duration_s: end.as_secs_f64(),
            steps,
            threats: rows
                .into_values()
                .map(|mut r| {
                    let ids = entities.iter().filter(|e| e.class == r.class && matches!(e.role, Role::Threat { .. }));
                    let n =
                        |map: &BTreeMap<EntityId, f64>| ids.clone().filter(|e| map.contains_key(&e.id)).count() as f64;
                    let (nd, nf) = (n(&m.first_detection_range_m), n(&m.first_fire_control_range_m));
                    r.first_detection_range_m = r.first_detection_range_m.map(|x| x / nd);
                    r.first_fire_control_range_m = r.first_fire_control_range_m.map(|x| x / nf);
                    r
                })
                .collect(),
            interceptors_fired: m.fired.clone(),
            interceptors_loaded: m.loaded.clone(),
            civil_engaged,
            friendly_engaged,
            civil_killed,
            friendly_killed,
            confirmed_tracks: m.confirmed_tracks,
            false_tracks: m.false_tracks,
            strobes: m.strobes,
            guidance_lost: m.guidance_lost,
            leakers: m.leaked.len() as u32,
            in_flight,
            not_launched,
            ended_mid_raid: in_flight + not_launched > 0,
            civil_fire_orders: 0,
            fratricide: Default::default(),
            friendly_fire_orders: 0,
            expenditure: Vec::new(),
            launchers: m.launchers.clone(),
            timeline: Vec::new(),
        }
    }

    /// The warning a run that ended mid-raid deserves; `None` when every hostile object was
    /// killed or leaked.
    pub fn ended_mid_raid_warning(&self) -> Option<String> {
        self.ended_mid_raid.then(|| {
            format!(
                "warning: the run ended at {:.0} s with {} hostile object(s) still in flight and {} not yet launched: \
                 leakers ({}) is a lower bound; lengthen `duration` to score the whole raid",
                self.duration_s, self.in_flight, self.not_launched, self.leakers
            )
        })
    }

    /// The summary as a text table.
    pub fn table(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(s, "{} — seed {}, {:.0} s", self.scenario, self.seed, self.duration_s);
        let _ = writeln!(
            s,
            "{:<18} {:>5} {:>8} {:>7} {:>7} {:>6} {:>6} {:>9}",
            "threat class", "count", "detected", "tracked", "engaged", "killed", "leaked", "in flight"
        );
        let mut total = [0u32; 7];
        for r in &self.threats {
            let _ = writeln!(
                s,
                "{:<18} {:>5} {:>8} {:>7} {:>7} {:>6} {:>6} {:>9}",
                r.class.as_str(),
                r.count,
                r.detected,
                r.tracked,
                r.engaged,
                r.killed,
                r.leaked,
                r.in_flight
            );
            for (t, v) in
                total.iter_mut().zip([r.count, r.detected, r.tracked, r.engaged, r.killed, r.leaked, r.in_flight])
            {
                *t += v;
            }
        }
        let _ = writeln!(
            s,
            "{:<18} {:>5} {:>8} {:>7} {:>7} {:>6} {:>6} {:>9}",
            "total", total[0], total[1], total[2], total[3], total[4], total[5], total[6]
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
        let _ = writeln!(
            s,
            "leakers: {}   fire orders at civil tracks: {}   at friendly tracks: {}",
            self.leakers, self.civil_fire_orders, self.friendly_fire_orders
        );
        for (side, c) in [("friendly", &self.fratricide.friendly), ("civil", &self.fratricide.civil)] {
            if !c.objects.is_empty() {
                let _ = writeln!(
                    s,
                    "{side} objects engaged: {} fire orders, {} launches, {} kills, {} collateral kills: {}",
                    c.fire_orders,
                    c.launches,
                    c.kills,
                    c.collateral_kills,
                    c.objects.join(", ")
                );
            }
        }
        if self.ended_mid_raid {
            let _ = writeln!(s, "in flight at the end: {}   not launched: {}", self.in_flight, self.not_launched);
        }
        let _ = writeln!(s, "expenditure (fired / loaded + reloaded, on reload vehicles at start):");
        for x in &self.expenditure {
            let _ = writeln!(
                s,
                "  {:<16} {:<8} {:<14} {:>4} / {} + {}   ({} on vehicles)",
                x.unit, x.system, x.interceptor_type, x.fired, x.loaded, x.reloaded, x.on_reload_vehicles
            );
        }
        for l in self.launchers.iter().filter(|l| l.ready_s > 0.0 || !l.reloads.is_empty()) {
            let reloads: Vec<String> =
                l.reloads.iter().map(|r| format!("reload {:.0}–{:.0} s", r.start_s, r.end_s)).collect();
            let _ = writeln!(
                s,
                "  launcher {} ({}, {}): ready at {:.0} s, fired {}; {}",
                l.launcher,
                l.type_id,
                l.unit,
                l.ready_s,
                l.fired,
                if reloads.is_empty() { "no reload".to_string() } else { reloads.join(", ") }
            );
        }
        let _ = writeln!(
            s,
            "{:<6} {:<22} {:>8} {:>9} {:>17} {:>8} {:>8} {:>5}  where",
            "entity", "threat", "detected", "confirmed", "identified", "engaged", "outcome", "shots"
        );
        let t = |x: Option<f64>| x.map_or("-".to_string(), |x| format!("{x:.0}"));
        for r in &self.timeline {
            let ident = match (&r.identified_s, &r.identity) {
                (Some(ts), Some(i)) => format!("{ts:.0} {i}"),
                _ => "-".into(),
            };
            let place = r.leak.as_ref().map_or(String::new(), |l| {
                format!("{:.4},{:.4} {}", l.lat_deg, l.lon_deg, l.asset.as_deref().unwrap_or("-"))
            });
            let _ = writeln!(
                s,
                "{:<6} {:<22} {:>8} {:>9} {:>17} {:>8} {:>8} {:>5}  {place}",
                r.entity,
                r.name.chars().take(22).collect::<String>(),
                t(r.first_detected_s),
                t(r.first_confirmed_s),
                ident,
                t(r.first_engaged_s),
                r.outcome.as_str(),
                r.interceptors
            );
        }
        s
    }
}
