//! Any bytes given as a recorded-flights CSV (`[[civil]] csv = "…"`): a diagnostic or the
//! flights, never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::path::Path;

/// 2026-06-01T00:00:00Z, the reference scenario's epoch.
const EPOCH_UNIX_S: i64 = 1_780_272_000;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = bulwark_scenario::recorded_flights_csv(Path::new("fuzz.csv"), text, EPOCH_UNIX_S, "A320");
});
