//! The per-object timeline (hostile, friendly and civil objects: what each experienced) and the
//! expenditure tables: views of the event log and the recorded track history (truth labels for
//! metrics only), built after a run.
use crate::history::{TrackSample, TrackState};
use crate::summary::{Expenditure, LauncherSummary, Metrics};
use crate::world::{Entity, Role};
use bulwark_core::{EntityId, Event, EventKind, Identity, LauncherId, SimTime, TrackId, UnitId};
use bulwark_geo::{EnuFrame, Geodetic};
use bulwark_scenario::Asset;
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// How a hostile object's run ended.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Killed,
    Leaked,
    /// Airborne and neither killed nor leaked when the run ended: the run stopped mid-raid,
    /// so its leakers are a lower bound.
    InFlight,
    /// Its launch or start time lies after the end of the run.
    NotLaunched,
    /// A friendly or civil object not killed by the end of the run.
    Survived,
}

impl Outcome {
    /// The outcome of a hostile object neither killed nor leaked when the run ended at `end`:
    /// the one rule behind both the timeline and the summary's counts.
    pub(crate) fn unresolved(spawn_at: SimTime, end: SimTime) -> Self {
        if spawn_at > end { Outcome::NotLaunched } else { Outcome::InFlight }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Killed => "killed",
            Outcome::Leaked => "leaked",
            Outcome::InFlight => "in_flight",
            Outcome::NotLaunched => "not_launched",
            Outcome::Survived => "survived",
        }
    }
}

/// Where a leaker ended: geodetic, scenario ENU (m) and the nearest defended asset.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LeakPoint {
    pub lat_deg: f64,
    pub lon_deg: f64,
    pub alt_m: f64,
    pub east_m: f64,
    pub north_m: f64,
    pub up_m: f64,
    pub asset: Option<String>,
    pub distance_to_asset_m: Option<f64>,
}

/// One hostile truth object, from first plot to outcome (times in s since scenario start).
/// "Confirmed", "identified" and "engaged" count tracks whose dominant truth is this object;
/// identification times come from the 1 s track records.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ThreatTimeline {
    pub entity: u32,
    pub name: String,
    pub class: String,
    /// `threat`, `friendly` or `civil` (its role): a `timeline.csv` column; `summary.json`'s
    /// timeline holds the threats only, so it does not repeat it.
    #[serde(skip)]
    pub side: &'static str,
    pub first_detected_s: Option<f64>,
    pub first_confirmed_s: Option<f64>,
    pub identified_s: Option<f64>,
    /// First identity other than pending/unknown given to a confirmed track of it.
    pub identity: Option<String>,
    pub first_engaged_s: Option<f64>,
    pub outcome: Outcome,
    /// Time of the kill or leak.
    pub outcome_s: Option<f64>,
    /// Interceptors launched at tracks of it.
    pub interceptors: u32,
    pub leak: Option<LeakPoint>,
}

/// What the timeline pass computes.
pub struct Operations {
    /// One row per hostile, friendly and civil object, in entity order: detected, identified
    /// as what and when, engaged (a fire order at a track of it), interceptors at it, and its
    /// outcome. `timeline.csv` shows them all; the summary's timeline is the hostile rows.
    pub rows: Vec<ThreatTimeline>,
    pub civil_fire_orders: u32,
    pub friendly_fire_orders: u32,
    /// Interceptors launched per launcher, and per unit and type.
    pub fired_by_launcher: BTreeMap<LauncherId, u32>,
    pub fired_by_unit: BTreeMap<(UnitId, String), u32>,
}

/// What the timeline needs of the 1 s track records, gathered as they are made (so a run that
/// keeps no track history still gets the same timeline): each unit track's truth label where it
/// changes, and per truth object the first record of a non-tentative track of it and the first
/// such record with an identity other than pending or unknown.
#[derive(Debug, Default)]
pub struct TrackLabels {
    /// Record time (s) and dominant truth of each unit track at its first record and wherever
    /// the label changed: the label at any time is that of the last entry at or before it.
    changes: BTreeMap<(UnitId, TrackId), Labels>,
    /// First record time (s) of a non-tentative track of each object.
    confirmed: BTreeMap<EntityId, f64>,
    /// First record (time s, identity) of a non-tentative track of each object identified.
    identified: BTreeMap<EntityId, (f64, Identity)>,
}

/// Record times (s) and dominant truth of one track.
type Labels = Vec<(f64, Option<EntityId>)>;

impl TrackLabels {
    /// Takes one track record (records arrive in time order).
    pub fn push(&mut self, s: &TrackSample) {
        let v = self.changes.entry((s.unit, s.track)).or_default();
        if v.last().is_none_or(|(_, label)| *label != s.truth) {
            v.push((s.t_s, s.truth));
        }
        let Some(e) = s.truth else { return };
        if s.state == TrackState::Tentative {
            return;
        }
        self.confirmed.entry(e).or_insert(s.t_s);
        if !matches!(s.identity, Identity::Pending | Identity::Unknown) {
            self.identified.entry(e).or_insert((s.t_s, s.identity));
        }
    }

    /// Drops the labels of the tracks `keep` refuses (tracks that ended without being engaged:
    /// nothing looks them up after the run), so that the labels grow with the live and the
    /// engaged tracks, not with every false alarm of a long run.
    pub(crate) fn retain_tracks(&mut self, mut keep: impl FnMut(UnitId, TrackId) -> bool) {
        self.changes.retain(|(u, t), _| keep(*u, *t));
    }

    /// The dominant truth of `track` at `t_s`: that of the last record at or before it, else
    /// of the first.
    pub(crate) fn at(&self, unit: UnitId, track: TrackId, t_s: f64) -> Option<EntityId> {
        let v = self.changes.get(&(unit, track))?;
        let i = v.partition_point(|(t, _)| *t <= t_s + 1e-9);
        v[i.saturating_sub(1)].1
    }
}

fn first(slot: &mut Option<f64>, t: f64) {
    if slot.is_none_or(|s| t < s) {
        *slot = Some(t);
    }
}

/// Build the timeline of every hostile object, the fire orders at civil and friendly
/// tracks, and the launches per launcher.
// Each argument is one read-only part of the finished run; a struct of them would only rename them.
#[allow(clippy::too_many_arguments)]
pub fn operations(
    events: &[Event],
    metrics: &Metrics,
    truth: &TrackLabels,
    entities: &[Entity],
    launcher_unit: &BTreeMap<LauncherId, UnitId>,
    assets: &[Asset],
    frame: &EnuFrame,
    end: SimTime,
) -> Operations {
    let mut rows: BTreeMap<EntityId, ThreatTimeline> = BTreeMap::new();
    for e in entities.iter().filter(|e| !matches!(e.role, Role::Interceptor)) {
        let outcome = match e.role {
            Role::Threat { .. } => Outcome::unresolved(e.spawn_at, end),
            _ if e.spawn_at > end => Outcome::NotLaunched,
            _ => Outcome::Survived,
        };
        rows.insert(
            e.id,
            ThreatTimeline {
                entity: e.id.0,
                name: e.name.clone(),
                class: e.class.as_str().to_string(),
                side: e.role.as_str(),
                first_detected_s: None,
                first_confirmed_s: None,
                identified_s: None,
                identity: None,
                first_engaged_s: None,
                outcome,
                outcome_s: None,
                interceptors: 0,
                leak: None,
            },
        );
    }
    let role = |e: EntityId| entities.get(e.0 as usize).map(|x| &x.role);
    let (mut civil, mut friendly) = (0, 0);
    let mut fired_by_launcher = BTreeMap::new();
    let mut fired_by_unit = BTreeMap::new();
    for ev in events {
        let t = ev.t_ns as f64 * 1e-9;
        match &ev.kind {
            EventKind::FireOrder { unit, track, .. } => {
                let Some(e) = truth.at(*unit, *track, t) else { continue };
                match role(e) {
                    Some(&Role::Civil) => civil += 1,
                    Some(&Role::Friendly) => friendly += 1,
                    _ => {}
                }
                if let Some(r) = rows.get_mut(&e) {
                    first(&mut r.first_engaged_s, t);
                }
            }
            EventKind::InterceptorLaunched { launcher, track, interceptor_type, .. } => {
                *fired_by_launcher.entry(*launcher).or_insert(0) += 1;
                let Some(unit) = launcher_unit.get(launcher) else { continue };
                *fired_by_unit.entry((*unit, interceptor_type.clone())).or_insert(0) += 1;
                if let Some(r) = truth.at(*unit, *track, t).and_then(|e| rows.get_mut(&e)) {
                    r.interceptors += 1;
                }
            }
            EventKind::EntityKilled { entity, .. } => {
                if let Some(r) = rows.get_mut(entity) {
                    r.outcome = Outcome::Killed;
                    r.outcome_s = Some(t);
                }
            }
            EventKind::ThreatLeaked { entity, .. } => {
                if let Some(r) = rows.get_mut(entity) {
                    r.outcome = Outcome::Leaked;
                    r.outcome_s = Some(t);
                }
            }
            _ => {}
        }
    }
    for (e, at) in &metrics.first_detected {
        if let Some(r) = rows.get_mut(e) {
            first(&mut r.first_detected_s, at.as_nanos() as f64 * 1e-9);
        }
    }
    for (e, t) in &truth.confirmed {
        if let Some(r) = rows.get_mut(e) {
            first(&mut r.first_confirmed_s, *t);
        }
    }
    for (e, (t, identity)) in &truth.identified {
        if let Some(r) = rows.get_mut(e) {
            r.identified_s = Some(*t);
            r.identity = Some(identity.as_str().to_string());
        }
    }
    for (e, pos) in &metrics.leak_points {
        let Some(r) = rows.get_mut(e) else { continue };
        let g = Geodetic::from_ecef(pos);
        let p = frame.to_enu(pos);
        let nearest =
            assets.iter().map(|a| (a, (a.position.to_ecef() - pos).norm())).min_by(|a, b| a.1.total_cmp(&b.1));
        r.leak = Some(LeakPoint {
            lat_deg: g.lat_deg(),
            lon_deg: g.lon_deg(),
            alt_m: g.alt_m,
            east_m: p.x,
            north_m: p.y,
            up_m: p.z,
            asset: nearest.map(|(a, _)| a.name.clone()),
            distance_to_asset_m: nearest.map(|(_, d)| d),
        });
    }
    Operations {
        rows: rows.into_values().collect(),
        civil_fire_orders: civil,
        friendly_fire_orders: friendly,
        fired_by_launcher,
        fired_by_unit,
    }
}

/// One unit as the expenditure table needs it: id, name, system, rounds on its launchers at
/// the start, and rounds its reload vehicles still carry at the end.
pub struct UnitStock {
    pub id: UnitId,
    pub name: String,
    pub system: String,
    pub loaded: BTreeMap<String, u32>,
    pub vehicles_left: BTreeMap<String, u32>,
}

/// Expenditure rows, one per unit and interceptor type it had on launchers or vehicles.
pub fn expenditure(
    units: &[UnitStock],
    launchers: &[LauncherSummary],
    fired: &BTreeMap<(UnitId, String), u32>,
) -> Vec<Expenditure> {
    let mut out = Vec::new();
    for u in units {
        let mine: Vec<&LauncherSummary> = launchers.iter().filter(|l| l.unit_id == u.id.0).collect();
        let mut types: Vec<&String> = u.loaded.keys().chain(u.vehicles_left.keys()).collect();
        types.extend(mine.iter().flat_map(|l| l.reloads.iter().flat_map(|r| r.missiles.keys())));
        types.sort();
        types.dedup();
        for k in types {
            let reloaded: u32 = mine.iter().flat_map(|l| &l.reloads).filter_map(|r| r.missiles.get(k)).sum();
            out.push(Expenditure {
                unit: u.name.clone(),
                system: u.system.clone(),
                interceptor_type: k.clone(),
                loaded: u.loaded.get(k).copied().unwrap_or(0),
                on_reload_vehicles: u.vehicles_left.get(k).copied().unwrap_or(0) + reloaded,
                reloaded,
                fired: fired.get(&(u.id, k.clone())).copied().unwrap_or(0),
            });
        }
    }
    out
}

fn opt(x: Option<f64>, decimals: usize) -> String {
    x.map_or(String::new(), |x| format!("{x:.decimals$}"))
}

/// The timeline.csv text: one row per object of [`Operations::rows`], with its side.
pub fn timeline_csv(rows: &[ThreatTimeline]) -> String {
    let mut s = String::from(
        "entity,name,class,side,first_detected_s,first_confirmed_s,identified_s,identity,first_engaged_s,outcome,outcome_s,interceptors,leak_lat_deg,leak_lon_deg,leak_alt_m,leak_east_m,leak_north_m,leak_up_m,leak_asset,leak_distance_to_asset_m\n",
    );
    for r in rows {
        let l = r.leak.as_ref();
        let _ = writeln!(
            s,
            "{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}",
            r.entity,
            crate::output::csv_field(&r.name),
            r.class,
            r.side,
            opt(r.first_detected_s, 3),
            opt(r.first_confirmed_s, 3),
            opt(r.identified_s, 3),
            r.identity.as_deref().unwrap_or(""),
            opt(r.first_engaged_s, 3),
            r.outcome.as_str(),
            opt(r.outcome_s, 3),
            r.interceptors,
            opt(l.map(|l| l.lat_deg), 7),
            opt(l.map(|l| l.lon_deg), 7),
            opt(l.map(|l| l.alt_m), 1),
            opt(l.map(|l| l.east_m), 1),
            opt(l.map(|l| l.north_m), 1),
            opt(l.map(|l| l.up_m), 1),
            crate::output::csv_field(l.and_then(|l| l.asset.as_deref()).unwrap_or("")),
            opt(l.and_then(|l| l.distance_to_asset_m), 1),
        );
    }
    s
}
