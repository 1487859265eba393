//! Any bytes given as a scenario file: a diagnostic or a scenario, never a panic.
#![no_main]
use bulwark_scenario::{Catalog, Scenario};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

static CATALOG: OnceLock<Catalog> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let catalog = CATALOG.get_or_init(|| Catalog::embedded().expect("embedded catalog is valid"));
    let _ = Scenario::from_str(text, "fuzz.toml", catalog);
});
