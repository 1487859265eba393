//! No heap allocation per track per scan in the tracker's steady state (issue 13: "no
//! allocation per entity per step in the loop").
//!
//! Oracle: a counting global allocator (the number of `alloc`/`realloc` calls), not a clock.
//! n targets on a lattice, each seen every scan by the engine's radar model (range, azimuth,
//! elevation, range rate), run for N and for 2N scans after a warm-up, with n = 40 and
//! n = 160. What it bounds: the allocations of a scan in the steady state, where every track
//! is updated and none is started or deleted. They may grow with log n (a report's vectors
//! doubling) but not with n: one allocation per track per scan would add 120 per scan between
//! the two sizes, and the bound below allows 8. Allocations for 2N scans must also be no more
//! than twice those for N (nothing accumulates with the run's length).
use bulwark_core::{SensorId, Vec3};
use bulwark_tracking::{
    ConstantVelocity, Detection, MeasurementModel, RangeAzElRr, SensorPose, StateVector, Tracker, TrackerConfig,
    TransitionModel,
};
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The system allocator, counting allocation calls.
struct Counting;

static ALLOCS: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is forwarded unchanged to the system allocator; only a counter is added.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCS.fetch_add(1, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCS.fetch_add(1, Ordering::Relaxed);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// One measurement at a time: the counter is global.
static SERIAL: Mutex<()> = Mutex::new(());

/// Allocations counted inside `Tracker::process` over `scans` scans after `warm_up` scans, for
/// `n` targets (the detections are built before counting starts).
fn allocations(n: usize, warm_up: usize, scans: usize) -> usize {
    let _one = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let model: Arc<dyn MeasurementModel> =
        Arc::new(RangeAzElRr::new(SensorPose::at(Vec3::zeros()).unwrap(), 20.0, 1e-3, 1e-3, Some(1.0)).unwrap());
    let cv = ConstantVelocity::new(0.0);
    // 10 km lattice from 30 km out, all flying north at 200 m/s: tracks far apart, each gating
    // its own plot only.
    let x0: Vec<StateVector> = (0..n)
        .map(|i| StateVector::new((i % 20) as f64 * 1e4 - 1e5, 3e4 + (i / 20) as f64 * 1e4, 5e3, 0.0, 200.0, 0.0))
        .collect();
    let dt = 2.0;
    let scan = |k: usize| {
        let t = k as f64 * dt;
        x0.iter()
            .map(|x| Detection {
                t_s: t,
                z: model.function(&cv.function(x, t)),
                model: model.clone(),
                sensor: SensorId(1),
            })
            .collect::<Vec<_>>()
    };
    let mut tracker = Tracker::new(TrackerConfig::constant_velocity(1.0)).unwrap();
    for k in 0..warm_up {
        tracker.process(k as f64 * dt, &scan(k));
    }
    assert_eq!(tracker.tracks().count(), n, "one track per target");
    let inputs: Vec<Vec<Detection>> = (warm_up..warm_up + scans).map(scan).collect();
    let mut count = 0;
    for (k, dets) in (warm_up..).zip(&inputs) {
        let before = ALLOCS.load(Ordering::Relaxed);
        let report = tracker.process(k as f64 * dt, dets);
        count += ALLOCS.load(Ordering::Relaxed) - before;
        assert_eq!(report.updates.len(), n, "scan {k}: every track updated");
        assert!(report.events.is_empty(), "scan {k}: steady state (no track started or ended)");
    }
    count
}

#[test]
fn a_scan_allocates_no_more_for_more_tracks() {
    let (warm_up, scans) = (8, 20);
    let small = allocations(40, warm_up, scans);
    let large = allocations(160, warm_up, scans);
    let per_scan = |a: usize| a as f64 / scans as f64;
    assert!(
        per_scan(large) <= per_scan(small) + 8.0,
        "{:.1} allocations per scan for 160 tracks, {:.1} for 40",
        per_scan(large),
        per_scan(small)
    );
    assert!(per_scan(large) < 40.0, "{:.1} allocations per scan for 160 tracks", per_scan(large));
}

#[test]
fn allocations_grow_no_faster_than_the_run() {
    let (n, warm_up, scans) = (60, 8, 15);
    let once = allocations(n, warm_up, scans);
    let twice = allocations(n, warm_up, 2 * scans);
    assert!(twice <= 2 * once + 4, "{twice} allocations for {} scans, {once} for {scans}", 2 * scans);
}
