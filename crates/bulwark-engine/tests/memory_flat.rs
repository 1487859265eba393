//! A streaming run's memory does not grow with its length (issue 19 item 3: "memory of a run
//! grows with the number of live objects, not with its length").
//!
//! Oracle: a counting global allocator (bytes live on the heap, and their peak), not a clock.
//! The reference battalion watches an empty sky — its radars' false alarms start and end a few
//! hundred tentative tracks a minute, each with its events and rows — for 10 and for 40
//! minutes. Streamed, the peak heap of the run (after set-up) must be the same within 25 %;
//! held in memory, the same runs' peaks grow with the length (checked too, so that the
//! measurement is shown to see growth where there is some).
use bulwark_core::SimDuration;
use bulwark_engine::{Simulation, reference_scenario};

mod alloc_support;
use alloc_support::{SERIAL, peak, reset_peak};

/// Peak heap bytes above the level after set-up, of an empty-sky run of `minutes`.
fn peak_of_run(minutes: i64, streamed: bool) -> usize {
    let _one = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let mut scenario = reference_scenario().expect("reference scenario");
    scenario.threats.clear();
    scenario.duration = SimDuration::from_secs(minutes * 60);
    let dir = std::env::temp_dir().join(format!("bulwark-memflat-{}-{minutes}-{streamed}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temporary directory");
    let mut sim = Simulation::new(&scenario, 3).expect("sets up");
    if streamed {
        sim.stream_to(&dir).expect("streams open");
    }
    let base = reset_peak();
    sim.run();
    let result = sim.finish();
    let peak = peak() - base;
    result.write(&dir).expect("outputs written");
    let tracks = std::fs::read_to_string(dir.join("tracks.csv")).expect("tracks.csv");
    assert!(tracks.lines().count() > minutes as usize * 1_000, "false alarms make tracks to record");
    drop(result);
    let _ = std::fs::remove_dir_all(&dir);
    peak
}

#[test]
fn a_streamed_run_uses_the_same_memory_for_20_and_60_minutes() {
    let (short, long) = (peak_of_run(20, true), peak_of_run(60, true));
    assert!((long as f64) < 1.25 * short as f64, "streamed: peak heap {short} B over 20 min, {long} B over 60 min");
}

#[test]
fn a_run_held_in_memory_grows_with_its_length() {
    let (short, long) = (peak_of_run(10, false), peak_of_run(30, false));
    assert!((long as f64) > 2.0 * short as f64, "in memory: peak heap {short} B over 10 min, {long} B over 30 min");
}
