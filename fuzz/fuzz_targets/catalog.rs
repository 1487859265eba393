//! Any bytes given as a catalog file: a diagnostic or a catalog, never a panic.
#![no_main]
use bulwark_scenario::Catalog;
use libfuzzer_sys::fuzz_target;
use std::path::PathBuf;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = Catalog::from_texts(&[(PathBuf::from("fuzz.toml"), text.to_string())]);
});
