//! IFF history across deletion (issue 18): a track deleted and re-initiated on the same
//! replying aircraft inherits the deleted track's replies for the catalog's
//! `iff_history_memory` (30 s) within `iff_history_gate` (2 km). The reference scenario forces
//! it (seeds 5 and 6): the radars drop the track of a replying airliner and start a new one on it. The oracle
//! is the run's truth: a new track whose plots come from a civil object whose earlier track,
//! with replies, was deleted at most 30 s before is first identified neutral (the object
//! answered), not "assumed friend" by route while it waits for its own replies; with the memory
//! removed from the catalog the same runs show the wait, so the test fails without it.
mod ops_support;
use bulwark_core::EventKind;
use bulwark_engine::{REFERENCE_SCENARIO, RunResult, Simulation};
use bulwark_scenario::{Catalog, Scenario};
use std::collections::BTreeMap;

fn run(catalog: &Catalog, seed: u64) -> RunResult {
    let s = Scenario::from_str(REFERENCE_SCENARIO, "reference.toml", catalog).unwrap();
    let mut sim = Simulation::new(&s, seed).unwrap();
    sim.run();
    sim.finish()
}

/// (track, first identity) of every track first identified within 30 s of the deletion of an
/// earlier track on the same civil object that had been identified neutral (it answered).
fn reinitiated_on_civil(r: &RunResult) -> Vec<(u64, String)> {
    let civil = ops_support::civil_ids(&r.truth_csv);
    let mut truth: BTreeMap<u64, u32> = BTreeMap::new();
    for s in &r.tracks {
        if let Some(e) = s.truth {
            truth.entry(s.track.0).or_insert(e.0);
        }
    }
    let mut neutral_deleted: Vec<(f64, u32)> = Vec::new();
    let mut was_neutral: BTreeMap<u64, bool> = BTreeMap::new();
    let mut first: BTreeMap<u64, String> = BTreeMap::new();
    let mut out = Vec::new();
    for ev in &r.events {
        let t = ev.t_ns as f64 * 1e-9;
        match &ev.kind {
            EventKind::TrackIdentified { track, identity, .. } => {
                let id = track.0;
                if identity.as_str() == "neutral" {
                    was_neutral.insert(id, true);
                }
                if first.insert(id, identity.as_str().to_string()).is_none()
                    && let Some(e) = truth.get(&id).filter(|e| civil.contains(e))
                    && neutral_deleted.iter().any(|(td, te)| te == e && t - td <= 30.0)
                {
                    out.push((id, identity.as_str().to_string()));
                }
            }
            EventKind::TrackDeleted { track } => {
                let id = track.0;
                if was_neutral.get(&id).copied().unwrap_or(false)
                    && let Some(e) = truth.get(&id)
                {
                    neutral_deleted.push((t, *e));
                }
            }
            _ => {}
        }
    }
    out
}

#[test]
fn a_track_reinitiated_on_a_replying_airliner_inherits_the_deleted_tracks_replies() {
    // Seeds 5 and 6: the radars drop and re-form an airliner's track in each.
    let with: Vec<_> =
        (5..=6).flat_map(|seed| reinitiated_on_civil(&run(&Catalog::embedded().unwrap(), seed))).collect();
    assert!(!with.is_empty(), "the reference runs re-initiate a track on a replying airliner");
    assert!(with.iter().all(|(_, id)| id == "neutral"), "inherited replies: neutral at once, {with:?}");
    // Without the memory (the key removed) a re-initiated track waits for its own replies.
    let texts: Vec<_> = Catalog::embedded_texts()
        .into_iter()
        .map(|(p, t)| (p, t.lines().filter(|l| !l.starts_with("iff_history_memory")).collect::<Vec<_>>().join("\n")))
        .collect();
    let off = Catalog::from_texts(&texts).unwrap();
    let without: Vec<_> = (5..=6).flat_map(|seed| reinitiated_on_civil(&run(&off, seed))).collect();
    let waiting = |v: &[(u64, String)]| v.iter().filter(|(_, id)| id != "neutral").count();
    assert!(
        waiting(&with) < waiting(&without),
        "inherited replies: fewer re-initiated tracks wait for their own replies, with {with:?}, without {without:?}"
    );
}
