//! Fratricide and civil engagements, never hidden: every fire order, launch and kill against a
//! friendly or civil object, judged on truth at the moment of the shot (the track's dominant
//! truth at that time, not its first owner), with the identification evidence the command post
//! acted on. A kill of a protected object by an interceptor fired at a track of another object
//! (its fuze or the kill assessment found the wrong aircraft) is a collateral kill, counted
//! apart. A view of the event log and the track labels, built after a run (`fratricide.csv`).
use crate::timeline::TrackLabels;
use crate::world::{Entity, Role};
use bulwark_core::{EntityId, Event, EventKind, LauncherId, TrackId, UnitId};
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// What happened to a protected object.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FratricideKind {
    FireOrder,
    Launch,
    /// Killed by an interceptor fired at a track of this object.
    Kill,
    /// Killed by an interceptor fired at a track of another object (or of none).
    CollateralKill,
}

impl FratricideKind {
    pub fn as_str(self) -> &'static str {
        match self {
            FratricideKind::FireOrder => "fire_order",
            FratricideKind::Launch => "launch",
            FratricideKind::Kill => "kill",
            FratricideKind::CollateralKill => "collateral_kill",
        }
    }
}

/// One engagement of a friendly or civil object (a row of `fratricide.csv`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FratricideRow {
    /// Time (s since scenario start).
    pub t_s: f64,
    pub kind: FratricideKind,
    pub entity: u32,
    pub name: String,
    /// "friendly" or "civil".
    pub side: &'static str,
    /// Its transponder fit ("… (failed)" when the set failed this run).
    pub transponder: String,
    pub unit: Option<u32>,
    pub launcher: Option<u32>,
    pub track: Option<u64>,
    /// The interceptor launched or that killed it.
    pub interceptor: Option<u32>,
    /// Identity and evidence of the fire order behind it.
    pub identity: String,
    pub evidence: String,
}

/// Counts per side (`summary.json`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct SideCounts {
    pub fire_orders: u32,
    pub launches: u32,
    pub kills: u32,
    pub collateral_kills: u32,
    /// Names of the objects with at least one row, sorted.
    pub objects: Vec<String>,
}

/// `summary.json`'s `fratricide`: friendly and civil engagements.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct FratricideCounts {
    pub friendly: SideCounts,
    pub civil: SideCounts,
}

impl FratricideCounts {
    pub fn of(rows: &[FratricideRow]) -> Self {
        let mut out = FratricideCounts::default();
        for r in rows {
            let side = if r.side == "friendly" { &mut out.friendly } else { &mut out.civil };
            match r.kind {
                FratricideKind::FireOrder => side.fire_orders += 1,
                FratricideKind::Launch => side.launches += 1,
                FratricideKind::Kill => side.kills += 1,
                FratricideKind::CollateralKill => side.collateral_kills += 1,
            }
            if !side.objects.contains(&r.name) {
                side.objects.push(r.name.clone());
            }
        }
        out.friendly.objects.sort();
        out.civil.objects.sort();
        out
    }
}

/// Every engagement of a friendly or civil object in the run, in event order.
pub fn fratricide(
    events: &[Event],
    truth: &TrackLabels,
    entities: &[Entity],
    launcher_unit: &BTreeMap<LauncherId, UnitId>,
) -> Vec<FratricideRow> {
    let protected = |e: EntityId| {
        entities.get(e.0 as usize).and_then(|x| match x.role {
            Role::Friendly => Some((x, "friendly")),
            Role::Civil => Some((x, "civil")),
            _ => None,
        })
    };
    // The evidence of the last fire order at each unit track, and each interceptor's target
    // object at launch.
    let mut evidence: BTreeMap<(UnitId, TrackId), (String, String)> = BTreeMap::new();
    let mut aimed_at: BTreeMap<EntityId, (UnitId, TrackId, Option<EntityId>)> = BTreeMap::new();
    let mut rows = Vec::new();
    for ev in events {
        let t = ev.t_ns as f64 * 1e-9;
        let row =
            |kind, x: &Entity, side, unit: Option<UnitId>, launcher: Option<LauncherId>, track: Option<TrackId>| {
                FratricideRow {
                    t_s: t,
                    kind,
                    entity: x.id.0,
                    name: x.name.clone(),
                    side,
                    transponder: x.transponder_fit.clone(),
                    unit: unit.map(|u| u.0),
                    launcher: launcher.map(|l| l.0),
                    track: track.map(|k| k.0),
                    interceptor: None,
                    identity: String::new(),
                    evidence: String::new(),
                }
            };
        match &ev.kind {
            EventKind::FireOrder { unit, track, launcher, identity, evidence: why, .. } => {
                evidence.insert((*unit, *track), (identity.as_str().to_string(), why.clone()));
                let Some((x, side)) = truth.at(*unit, *track, t).and_then(protected) else { continue };
                let mut r = row(FratricideKind::FireOrder, x, side, Some(*unit), Some(*launcher), Some(*track));
                r.identity = identity.as_str().to_string();
                r.evidence = why.clone();
                rows.push(r);
            }
            EventKind::InterceptorLaunched { interceptor, launcher, track, .. } => {
                let Some(unit) = launcher_unit.get(launcher).copied() else { continue };
                let object = truth.at(unit, *track, t);
                aimed_at.insert(*interceptor, (unit, *track, object));
                let Some((x, side)) = object.and_then(protected) else { continue };
                let mut r = row(FratricideKind::Launch, x, side, Some(unit), Some(*launcher), Some(*track));
                r.interceptor = Some(interceptor.0);
                if let Some((id, why)) = evidence.get(&(unit, *track)) {
                    r.identity = id.clone();
                    r.evidence = why.clone();
                }
                rows.push(r);
            }
            EventKind::EntityKilled { entity, by } => {
                let Some((x, side)) = protected(*entity) else { continue };
                let aim = aimed_at.get(by).copied();
                let kind = match aim {
                    Some((_, _, Some(o))) if o == *entity => FratricideKind::Kill,
                    _ => FratricideKind::CollateralKill,
                };
                let mut r = row(kind, x, side, aim.map(|a| a.0), None, aim.map(|a| a.1));
                r.interceptor = Some(by.0);
                if let Some((id, why)) = aim.and_then(|a| evidence.get(&(a.0, a.1))) {
                    r.identity = id.clone();
                    r.evidence = why.clone();
                }
                rows.push(r);
            }
            _ => {}
        }
    }
    rows
}

/// The fratricide.csv text (header only when nothing protected was engaged).
pub fn fratricide_csv(rows: &[FratricideRow]) -> String {
    let mut s =
        String::from("t_s,kind,entity,name,side,transponder,unit,launcher,track,interceptor,identity,evidence\n");
    fn opt<T: ToString>(x: Option<T>) -> String {
        x.map_or(String::new(), |v| v.to_string())
    }
    for r in rows {
        let _ = writeln!(
            s,
            "{:.3},{},{},{},{},{},{},{},{},{},{},{}",
            r.t_s,
            r.kind.as_str(),
            r.entity,
            crate::output::csv_field(&r.name),
            r.side,
            crate::output::csv_field(&r.transponder),
            opt(r.unit),
            opt(r.launcher),
            opt(r.track),
            opt(r.interceptor),
            r.identity,
            crate::output::csv_field(&r.evidence),
        );
    }
    s
}
