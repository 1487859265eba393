//! Campaigns: Monte Carlo studies and designed sweeps over scenario and catalog values
//! (`docs/campaigns.md`).
//!
//! - [`file`]: the campaign TOML, factor paths, designs; every design point built and validated
//!   by the scenario crate before the first run.
//! - [`run`]: (point, replication) runs on a rayon pool, rows appended as they finish, shards,
//!   resume against a manifest, merge.
//! - [`output`]: `runs.csv`/`.parquet`, `points.csv`/`.parquet` with intervals, `paired.csv`,
//!   `report.md` with plots — bytes that depend on neither threads, shards nor order.
#![forbid(unsafe_code)]

mod design;
pub mod file;
pub mod metrics;
pub mod output;
pub mod parquet_out;
mod path;
mod report;
pub mod run;

pub use file::{Campaign, DesignKind, Factor, Point, SeedMode};
pub use run::{CampaignError, Done, Manifest, Options, Row, Shard, merge, read_rows, run, run_one};
