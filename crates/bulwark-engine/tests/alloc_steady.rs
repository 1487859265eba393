//! No allocation per entity per step in the engine's loop (issue 13), and none that accumulates
//! with the run's length.
//!
//! Oracle: a counting global allocator (the number of `alloc`/`realloc` calls, `alloc_support`),
//! not a clock. The reference battalion watches an empty sky, streaming its outputs to files:
//! its three radars' false alarms keep a few hundred tentative tracks alive, which are started,
//! predicted, gated, identified at every decision, recorded every second and deleted. After a
//! warm-up of [`WARM_UP`] steps, the allocation calls of N and of 2N further steps are counted.
//! What it bounds:
//! - per step, fewer allocation calls than [`PER_LIVE_TRACK`] × the live tracks, so no
//!   allocation per track per step (that alone would be twice the bound). Measured at
//!   writing: ≈ 0.27 per track and step, from each plot's detection (its vector and model)
//!   and from the decisions at 1 Hz;
//! - 2N steps make at most 2 × 1.25 times the allocations of N (the false alarms are random,
//!   hence the 25 %): nothing grows with the length of the run (buffers that keep doubling,
//!   a log that is kept, a map that is never pruned).
use bulwark_core::SimDuration;
use bulwark_engine::{Simulation, reference_scenario};

mod alloc_support;
use alloc_support::{SERIAL, calls};

/// Steps (0.1 s) before counting: the false-alarm tracks reach their steady number.
const WARM_UP: usize = 600;
/// Steps counted (N).
const N: usize = 1_200;
/// Allowed allocation calls per step and live track.
const PER_LIVE_TRACK: f64 = 0.5;

/// (allocation calls in N steps, in the 2N steps after the same warm-up, mean live tracks).
fn count() -> (usize, usize, f64) {
    let _one = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let mut scenario = reference_scenario().expect("reference scenario");
    scenario.threats.clear();
    scenario.duration = SimDuration::from_secs(3_600);
    let dir = std::env::temp_dir().join(format!("bulwark-allocsteady-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temporary directory");
    let mut sim = Simulation::new(&scenario, 5).expect("sets up");
    sim.stream_to(&dir).expect("streams open");
    for _ in 0..WARM_UP {
        assert!(sim.advance(), "the run lasts longer than the warm-up");
    }
    let (start, mut at_n, mut tracks) = (calls(), 0, 0usize);
    for k in 0..2 * N {
        assert!(sim.advance(), "the run lasts longer than the count");
        tracks += sim.live_tracks();
        if k + 1 == N {
            at_n = calls();
        }
    }
    let end = calls();
    drop(sim);
    let _ = std::fs::remove_dir_all(&dir);
    (at_n - start, end - start, tracks as f64 / (2 * N) as f64)
}

#[test]
fn allocations_per_step_stay_below_one_per_two_tracks_and_do_not_grow_with_the_run() {
    let (n, two_n, tracks) = count();
    assert!(tracks > 50.0, "false alarms keep tracks alive: {tracks:.0} on average");
    let per_step = n as f64 / N as f64;
    eprintln!("{n} allocation calls in {N} steps, {two_n} in {}, {tracks:.0} live tracks", 2 * N);
    assert!(
        per_step < PER_LIVE_TRACK * tracks,
        "{per_step:.1} allocation calls per step with {tracks:.0} live tracks (bound {:.1})",
        PER_LIVE_TRACK * tracks
    );
    assert!(n > 0, "the count sees the run's allocations");
    assert!((two_n as f64) <= 2.5 * n as f64, "{n} allocation calls in {N} steps, {two_n} in {}", 2 * N);
}
