//! One scenario, another weapon system: every defence unit replaced by a catalog system at the
//! same site and facing, in a standard layout derived from the catalog (`bulwark compare`).
//!
//! The layout rules, so that results of different systems compare like with like:
//!
//! - **Radars.** Each radar of the new system, in catalog order, takes the offset (and the
//!   ASTERIX SAC/SIC) of the first unused radar of the original unit with the same role; failing
//!   that, one of the same family (surveillance, or engagement = fire control and multifunction).
//!   A radar with no match stands [`DEFAULT_RADAR_SPACING_M`] × n west of the site (n = 1, 2, … over
//!   the unmatched ones) with no SAC/SIC.
//! - **Launchers.** As many as the original unit had, at the same offsets ([`DEFAULT_LAUNCHERS`]
//!   on a [`DEFAULT_LAUNCHER_RING_M`] ring if it had none). A slot keeps its launcher type when the
//!   new system uses it; otherwise the slots take the system's usable launcher types in turn.
//! - **Loads.** Launchers are loaded homogeneously, as batteries load canisters: the launchers
//!   of one type take the interceptors of the system that type can carry in turn (catalog order),
//!   each filled to capacity, or to the per-type limit of [`packing_limit`] where fewer fit.
//!
//! The system being substituted in gets the standard layout too, even where it is the
//! scenario's own system: all columns of a comparison are built by the same rules.
use crate::catalog::{Catalog, RadarRole};
use crate::scenario::{Defence, PlacedLauncher, PlacedRadar, Scenario};
use bulwark_core::Vec3;
use std::collections::BTreeMap;

/// Spacing of radars the original unit has no counterpart for, m (the spacing of the
/// reference battalion's radars).
pub const DEFAULT_RADAR_SPACING_M: f64 = 600.0;
/// Launchers of a unit that had none.
pub const DEFAULT_LAUNCHERS: usize = 4;
/// Radius of the ring (east, north, west, south of the site) those launchers stand on, m.
pub const DEFAULT_LAUNCHER_RING_M: f64 = 2000.0;

/// Why a system cannot be substituted.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SubstituteError {
    #[error("unknown system `{id}`; known systems: {}", known.join(", "))]
    UnknownSystem { id: String, known: Vec<String> },
    #[error("system `{system}` lists {kind} `{id}`, which is not in the catalog")]
    MissingEntry { system: String, kind: &'static str, id: String },
    #[error("system `{system}` has no radar")]
    NoRadar { system: String },
    #[error("system `{system}` has no launcher that can carry one of its interceptors")]
    NoUsableLauncher { system: String },
}

/// Rounds of `interceptor` that fit in one launcher of `launcher`, where fewer than its capacity
/// (tubes) fit. The catalog has one capacity per launcher; these are the known exceptions.
///
/// - M903 with PAC-2 GEM-T: 4 (one per canister). Catalog `catalog/patriot.toml`, launcher M903,
///   capacity note ("ONLY 4 PAC-2 GEM-T fit") and its jagran-2022 alternative ("up to four
///   missile interceptors each", PAC-2 loading).
pub fn packing_limit(launcher: &str, interceptor: &str) -> Option<u32> {
    match (launcher, interceptor) {
        ("M903", "PAC-2-GEM-T") => Some(4),
        _ => None,
    }
}

fn family(role: RadarRole) -> u8 {
    match role {
        RadarRole::Surveillance => 0,
        RadarRole::FireControl | RadarRole::Multifunction => 1,
    }
}

impl Scenario {
    /// This scenario with every defence unit's system replaced by catalog system `system_id`,
    /// laid out by the module's rules (same site, facing, name; threats, assets, civil traffic
    /// and ROE untouched).
    pub fn with_system(&self, system_id: &str) -> Result<Scenario, SubstituteError> {
        let mut out = self.clone();
        for d in &mut out.defences {
            *d = substitute_unit(&self.catalog, d, system_id)?;
        }
        Ok(out)
    }
}

/// One unit rebuilt as `system_id` (see the module doc for the rules).
pub fn substitute_unit(cat: &Catalog, unit: &Defence, system_id: &str) -> Result<Defence, SubstituteError> {
    let system = cat.system(system_id).ok_or_else(|| SubstituteError::UnknownSystem {
        id: system_id.to_string(),
        known: cat.systems.keys().cloned().collect(),
    })?;
    let missing = |kind: &'static str, id: &str| SubstituteError::MissingEntry {
        system: system.id.clone(),
        kind,
        id: id.to_string(),
    };
    if system.radars.is_empty() {
        return Err(SubstituteError::NoRadar { system: system.id.clone() });
    }

    // Radars: same role, then same family, then the default offsets.
    let old_roles: Vec<Option<RadarRole>> = unit.radars.iter().map(|r| cat.radar(&r.type_id).map(|x| x.role)).collect();
    let mut used = vec![false; unit.radars.len()];
    let mut radars = Vec::with_capacity(system.radars.len());
    let mut unmatched = 0u32;
    for id in &system.radars {
        let role = cat.radar(id).ok_or_else(|| missing("radar", id))?.role;
        let pick = |same: &dyn Fn(RadarRole) -> bool, used: &[bool]| {
            (0..old_roles.len()).find(|&i| !used[i] && old_roles[i].is_some_and(same))
        };
        let found = pick(&|r| r == role, &used).or_else(|| pick(&|r| family(r) == family(role), &used));
        radars.push(match found {
            Some(i) => {
                used[i] = true;
                let old = &unit.radars[i];
                PlacedRadar { type_id: id.clone(), offset_enu: old.offset_enu, sac: old.sac, sic: old.sic }
            }
            None => {
                unmatched += 1;
                let east = -DEFAULT_RADAR_SPACING_M * f64::from(unmatched);
                PlacedRadar { type_id: id.clone(), offset_enu: Vec3::new(east, 0.0, 0.0), sac: None, sic: None }
            }
        });
    }

    // Launcher types of the system that can carry at least one of its interceptors, with those
    // interceptors in the system's catalog order.
    let mut usable: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    let mut usable_order: Vec<&str> = Vec::new();
    for lid in &system.launchers {
        let l = cat.launcher(lid).ok_or_else(|| missing("launcher", lid))?;
        let carries: Vec<&str> =
            system.interceptors.iter().filter(|i| l.loads.contains(i)).map(String::as_str).collect();
        if !carries.is_empty() && !usable.contains_key(lid.as_str()) {
            usable.insert(lid.as_str(), carries);
            usable_order.push(lid.as_str());
        }
    }
    if usable_order.is_empty() {
        return Err(SubstituteError::NoUsableLauncher { system: system.id.clone() });
    }

    // Slots: the original launchers' offsets and types, or the default ring.
    let slots: Vec<(Vec3, Option<&str>)> = if unit.launchers.is_empty() {
        (0..DEFAULT_LAUNCHERS)
            .map(|k| {
                // k = 0 east, then north, west, south (counter-clockwise from east).
                let (sin, cos) = (std::f64::consts::TAU * k as f64 / DEFAULT_LAUNCHERS as f64).sin_cos();
                (Vec3::new(DEFAULT_LAUNCHER_RING_M * cos, DEFAULT_LAUNCHER_RING_M * sin, 0.0), None)
            })
            .collect()
    } else {
        unit.launchers.iter().map(|l| (l.offset_enu, Some(l.type_id.as_str()))).collect()
    };
    let mut next_type = 0usize;
    let mut per_type_count: BTreeMap<&str, usize> = BTreeMap::new();
    let mut launchers = Vec::with_capacity(slots.len());
    for (offset, old_type) in slots {
        let type_id = match old_type {
            Some(t) if usable.contains_key(t) => t,
            _ => {
                let t = usable_order[next_type % usable_order.len()];
                next_type += 1;
                t
            }
        };
        let spec = cat.launcher(type_id).ok_or_else(|| missing("launcher", type_id))?;
        let carries = &usable[type_id];
        let k = per_type_count.entry(type_id).or_insert(0);
        let interceptor = carries[*k % carries.len()];
        *k += 1;
        let cap = spec.capacity.value;
        let rounds = packing_limit(type_id, interceptor).map_or(cap, |lim| lim.min(cap));
        launchers.push(PlacedLauncher {
            type_id: type_id.to_string(),
            offset_enu: offset,
            missiles: BTreeMap::from([(interceptor.to_string(), rounds)]),
            arrives: None,
        });
    }

    Ok(Defence {
        name: unit.name.clone(),
        system: system.id.clone(),
        site: unit.site,
        facing_rad: unit.facing_rad,
        cueing: unit.cueing,
        iff_keys: unit.iff_keys,
        picture: unit.picture.clone(),
        tracker: unit.tracker.clone(),
        // The unit keeps its arrival; reload vehicles stay only if the new launchers can load
        // every round they carry.
        reloads: unit
            .reloads
            .iter()
            .filter(|r| {
                r.missiles.keys().all(|m| {
                    launchers.iter().any(|l| cat.launcher(&l.type_id).is_some_and(|spec| spec.loads.contains(m)))
                })
            })
            .cloned()
            .collect(),
        radars,
        launchers,
        arrives: unit.arrives,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Catalog;

    const REFERENCE: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios/reference.toml"));

    fn reference() -> Scenario {
        let cat = Catalog::embedded().expect("embedded catalog");
        Scenario::from_str(REFERENCE, "scenarios/reference.toml", &cat).expect("reference scenario")
    }

    fn loads(d: &Defence) -> BTreeMap<String, u32> {
        let mut m = BTreeMap::new();
        for l in &d.launchers {
            for (k, n) in &l.missiles {
                *m.entry(k.clone()).or_insert(0) += n;
            }
        }
        m
    }

    /// Every placed entry exists, belongs to the system, and no launcher holds more than its tubes
    /// or an interceptor it cannot carry: what the scenario validator demands of a file.
    fn assert_valid(cat: &Catalog, d: &Defence) {
        let sys = cat.system(&d.system).unwrap();
        for r in &d.radars {
            assert!(sys.radars.contains(&r.type_id), "{} not a radar of {}", r.type_id, sys.id);
        }
        for l in &d.launchers {
            let spec = cat.launcher(&l.type_id).unwrap();
            assert!(sys.launchers.contains(&l.type_id));
            let total: u32 = l.missiles.values().sum();
            assert!(total <= spec.capacity.value && total > 0, "{} holds {total}", l.type_id);
            for k in l.missiles.keys() {
                assert!(spec.loads.contains(k) && sys.interceptors.contains(k), "{k} on {}", l.type_id);
            }
        }
    }

    #[test]
    fn patriot_takes_the_fire_control_site_and_the_launcher_slots() {
        let s = reference();
        let p = s.with_system("patriot").unwrap();
        let (old, new) = (&s.defences[0], &p.defences[0]);
        assert_valid(&s.catalog, new);
        assert_eq!(new.system, "patriot");
        assert_eq!((new.site, new.facing_rad, &new.name), (old.site, old.facing_rad, &old.name));
        // MPQ-65 (multifunction) stands where the 92N6E (fire control) stood, with its SAC/SIC.
        assert_eq!(new.radars.len(), 1);
        assert_eq!(new.radars[0].type_id, "MPQ-65");
        assert_eq!(new.radars[0].offset_enu, old.radars[2].offset_enu);
        assert_eq!((new.radars[0].sac, new.radars[0].sic), (Some(0), Some(3)));
        // Eight M903 at the eight old offsets, GEM-T and MSE launchers in turn.
        assert_eq!(new.launchers.len(), 8);
        for (n, o) in new.launchers.iter().zip(&old.launchers) {
            assert_eq!((n.type_id.as_str(), n.offset_enu), ("M903", o.offset_enu));
        }
        assert_eq!(loads(new), BTreeMap::from([("PAC-2-GEM-T".into(), 4 * 4), ("PAC-3-MSE".into(), 4 * 12)]));
        // Threats, assets, civil traffic untouched.
        assert_eq!((&p.threats, &p.assets, &p.civil, &p.roe), (&s.threats, &s.assets, &s.civil, &s.roe));
    }

    #[test]
    fn s300_matches_roles_and_fills_every_tube() {
        let s = reference();
        let d = &s.with_system("s300pmu2").unwrap().defences[0];
        assert_valid(&s.catalog, d);
        let old = &s.defences[0];
        let types: Vec<&str> = d.radars.iter().map(|r| r.type_id.as_str()).collect();
        assert_eq!(types, ["64N6E2", "30N6E2"]);
        // 64N6E2 (surveillance) takes the first surveillance radar's place, 30N6E2 the 92N6E's.
        assert_eq!(d.radars[0].offset_enu, old.radars[0].offset_enu);
        assert_eq!(d.radars[1].offset_enu, old.radars[2].offset_enu);
        assert!(d.launchers.iter().all(|l| l.type_id == "5P85SE2"));
        assert_eq!(loads(d), BTreeMap::from([("48N6E2".into(), 8 * 4)]));
    }

    #[test]
    fn s400_keeps_its_launcher_types_and_alternates_the_heavy_rounds() {
        let s = reference();
        let d = &s.with_system("s400").unwrap().defences[0];
        assert_valid(&s.catalog, d);
        let old = &s.defences[0];
        for (n, o) in d.radars.iter().zip(&old.radars) {
            assert_eq!((&n.type_id, n.offset_enu, n.sic), (&o.type_id, o.offset_enu, o.sic));
        }
        let types: Vec<&str> = d.launchers.iter().map(|l| l.type_id.as_str()).collect();
        let old_types: Vec<&str> = old.launchers.iter().map(|l| l.type_id.as_str()).collect();
        assert_eq!(types, old_types);
        // Six 5P85SE2: 40N6E, 48N6E3 in turn, 4 each; two 5P85TE2 with 16 9M96E2.
        assert_eq!(loads(d), BTreeMap::from([("40N6E".into(), 12), ("48N6E3".into(), 12), ("9M96E2".into(), 32)]));
    }

    #[test]
    fn a_unit_without_launchers_gets_the_default_ring_and_unmatched_radars_stand_west() {
        let mut s = reference();
        s.defences[0].launchers.clear();
        s.defences[0].radars.truncate(1); // only the 91N6E (surveillance)
        let d = &s.with_system("s300pmu2").unwrap().defences[0];
        assert_valid(&s.catalog, d);
        assert_eq!(d.launchers.len(), DEFAULT_LAUNCHERS);
        let east: Vec<(i64, i64)> =
            d.launchers.iter().map(|l| (l.offset_enu.x.round() as i64, l.offset_enu.y.round() as i64)).collect();
        assert_eq!(east, [(2000, 0), (0, 2000), (-2000, 0), (0, -2000)]);
        assert_eq!(d.radars[1].type_id, "30N6E2");
        assert_eq!(d.radars[1].offset_enu, Vec3::new(-DEFAULT_RADAR_SPACING_M, 0.0, 0.0));
        assert_eq!((d.radars[1].sac, d.radars[1].sic), (None, None));
    }

    #[test]
    fn unknown_system_lists_the_known_ones() {
        let e = reference().with_system("thaad").unwrap_err();
        assert_eq!(
            e.to_string(),
            "unknown system `thaad`; known systems: patriot, s300pmu2, s300pmu2-regiment, s400, s400-regiment"
        );
    }

    #[test]
    fn substituting_twice_is_the_same_as_once() {
        // Substituting twice is the same as once: the layout depends only on roles and slots.
        let s = reference();
        for id in ["s400", "s300pmu2", "patriot"] {
            let once = s.with_system(id).unwrap();
            let twice = once.with_system(id).unwrap();
            assert_eq!(once.defences, twice.defences, "{id}");
        }
    }
}
