//! Running a campaign: the work is (design point, replication); each finished run's row is
//! appended to its shard's rows file at once (a killed campaign keeps what it did), and the
//! outputs are a pure function of the manifest and the rows, sorted by (point, replication), so
//! their bytes depend on neither `--jobs`, nor shards, nor finishing order.
use crate::file::{Campaign, SeedMode, fnv1a};
use crate::metrics::{self, Num};
use crate::output;
use bulwark_engine::{RunResult, SimOptions, Simulation};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// Why a campaign stopped without its outputs.
#[derive(Debug, thiserror::Error)]
pub enum CampaignError {
    /// The inputs, the directory or the options do not fit (exit status 2).
    #[error("{0}")]
    Input(String),
    /// Reading or writing files failed (exit status 1).
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> CampaignError + '_ {
    move |source| CampaignError::Io { path: path.to_path_buf(), source }
}

/// Everything the outputs are computed from besides the rows; `manifest.json`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub format: String,
    pub bulwark_version: String,
    pub name: String,
    pub design: String,
    pub replications: u32,
    pub seed: u64,
    pub seeds: String,
    pub level: f64,
    /// Bootstrap resamples for the mean intervals; 0: Student t.
    pub bootstrap: u32,
    pub factors: Vec<ManifestFactor>,
    /// One list of factor values per design point, in point order.
    pub points: Vec<Vec<serde_json::Value>>,
    /// Input texts and their FNV-1a 64 fingerprints (hex).
    pub inputs: Vec<ManifestInput>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ManifestFactor {
    pub path: String,
    pub baseline: Option<serde_json::Value>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ManifestInput {
    pub name: String,
    pub fnv1a64: String,
}

pub const FORMAT: &str = "bulwark-campaign/1";

impl Manifest {
    pub fn of(c: &Campaign) -> Manifest {
        let json = |v: &toml::Value| serde_json::to_value(v).unwrap_or(serde_json::Value::Null);
        Manifest {
            format: FORMAT.into(),
            bulwark_version: env!("CARGO_PKG_VERSION").into(),
            name: c.name.clone(),
            design: c.design.as_str().into(),
            replications: c.replications,
            seed: c.seed,
            seeds: match c.seeds {
                SeedMode::Common => "common".into(),
                SeedMode::Independent => "independent".into(),
            },
            level: c.level,
            bootstrap: c.bootstrap.unwrap_or(0),
            factors: c
                .factors
                .iter()
                .map(|f| ManifestFactor { path: f.path.clone(), baseline: f.baseline.as_ref().map(json) })
                .collect(),
            points: c.points.iter().map(|p| p.values.iter().map(json).collect()).collect(),
            inputs: c
                .inputs
                .iter()
                .map(|i| ManifestInput { name: i.name.clone(), fnv1a64: format!("{:016x}", i.hash) })
                .collect(),
        }
    }

    pub fn total_runs(&self) -> usize {
        self.points.len() * self.replications as usize
    }

    /// The first field in which `self` and `other` differ, for a refusal to resume or merge.
    pub fn difference(&self, other: &Manifest) -> Option<String> {
        let (a, b) = (serde_json::to_value(self).ok()?, serde_json::to_value(other).ok()?);
        let (a, b) = (a.as_object()?, b.as_object()?);
        for (k, v) in a {
            if b.get(k) != Some(v) {
                if k == "inputs" {
                    let names = |m: &Manifest| {
                        m.inputs.iter().map(|i| (i.name.clone(), i.fnv1a64.clone())).collect::<BTreeSet<_>>()
                    };
                    let (x, y) = (names(self), names(other));
                    let changed: Vec<String> =
                        x.symmetric_difference(&y).map(|i| i.0.clone()).collect::<BTreeSet<_>>().into_iter().collect();
                    return Some(format!("inputs ({} changed)", changed.join(", ")));
                }
                return Some(k.clone());
            }
        }
        None
    }

    fn read(path: &Path) -> Result<Manifest, CampaignError> {
        let text = std::fs::read_to_string(path).map_err(io(path))?;
        serde_json::from_str(&text)
            .map_err(|e| CampaignError::Input(format!("{}: not a campaign manifest: {e}", path.display())))
    }

    fn write(&self, path: &Path) -> Result<(), CampaignError> {
        let text = serde_json::to_string_pretty(self).unwrap_or_default() + "\n";
        output::write_atomic(path, text.as_bytes())
    }
}

/// One run's row: `runs.csv` without the factor columns (they follow from `point`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Row {
    pub point: usize,
    pub replication: u32,
    pub seed: u64,
    /// `ok` or `error`.
    pub status: String,
    pub error: String,
    pub metrics: Vec<(String, Num)>,
}

impl Row {
    pub fn ok(&self) -> bool {
        self.status == "ok"
    }
    pub fn get(&self, name: &str) -> Option<f64> {
        self.metrics.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_f64())
    }
}

/// Which part of the work one process does: block `index` of `count` contiguous blocks of the
/// (point, replication) list (point-major), so that a shard's runs are a deterministic range.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shard {
    pub index: usize,
    pub count: usize,
}

impl Shard {
    pub const WHOLE: Shard = Shard { index: 0, count: 1 };

    /// The flat run indices of this shard out of `total`; empty for a shard that is not one
    /// (count 0, or index not below count), which [`run`] refuses with its reason.
    pub fn range(self, total: usize) -> std::ops::Range<usize> {
        if self.count == 0 || self.index >= self.count {
            return 0..0;
        }
        let at = |k: usize| (k as u128 * total as u128 / self.count as u128) as usize;
        at(self.index)..at(self.index + 1)
    }

    fn file_name(self) -> String {
        format!("rows-{}-of-{}.jsonl", self.index, self.count)
    }
}

/// How to run.
pub struct Options<'a> {
    pub jobs: usize,
    pub shard: Shard,
    pub resume: bool,
    /// Also write every run's full outputs under `DIR/runs/p<P>-r<R>/`.
    pub keep_runs: bool,
    /// Set (by Ctrl-C) to stop starting runs; runs in flight finish and are kept.
    pub stop: &'a AtomicBool,
    /// Test hook: stop after this many runs of this invocation.
    pub stop_after: Option<usize>,
    /// Called after each run with (runs done in this shard, runs in this shard).
    pub progress: &'a (dyn Fn(usize, usize) + Sync),
}

/// What a campaign invocation did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Done {
    /// Runs of this shard now in the directory, and runs in the shard.
    pub done: usize,
    pub total: usize,
    /// Runs this invocation made (the rest were there already).
    pub ran: usize,
    pub errors: usize,
    /// False when stopped early: the directory is resumable, and has no outputs yet.
    pub complete: bool,
}

/// One run of design point `p`, replication `r`: its row and, when it ran, its result. With
/// `full` the result holds every output (for `--keep-runs` and `--only`); otherwise the run
/// records only what its row needs ([`SimOptions::summary_only`]: no per-plot or
/// tentative-track events, no truth, track or threat records), which gives the same summary
/// byte for byte at a fraction of the memory.
pub fn run_one(c: &Campaign, p: usize, r: u32, full: bool) -> (Row, Option<RunResult>) {
    let seed = c.run_seed(p, r);
    let scenario = &c.points[p].scenario;
    let options = if full { SimOptions::default() } else { SimOptions::summary_only() };
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        Simulation::with_options(scenario, seed, options).map(|mut sim| {
            sim.run();
            sim.finish()
        })
    }));
    let (status, error, result) = match outcome {
        Ok(Ok(res)) => ("ok", String::new(), Some(res)),
        Ok(Err(e)) => ("error", e.to_string(), None),
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".into());
            ("error", format!("the run panicked: {what}"), None)
        }
    };
    let metrics = result.as_ref().map(|r| metrics::flatten(&r.summary)).unwrap_or_default();
    (Row { point: p, replication: r, seed, status: status.into(), error, metrics }, result)
}

/// Runs campaign `c` (or its shard) into `dir`. A whole (unsharded) campaign writes its outputs
/// when every run is in; a shard writes its rows file, and `merge` makes the outputs.
pub fn run(c: &Campaign, dir: &Path, opts: &Options<'_>) -> Result<Done, CampaignError> {
    if opts.shard.count == 0 || opts.shard.index >= opts.shard.count {
        return Err(CampaignError::Input(format!(
            "--shard {}/{}: the index is 0-based and below the count",
            opts.shard.index, opts.shard.count
        )));
    }
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    let manifest = Manifest::of(c);
    let mpath = dir.join("manifest.json");
    if mpath.exists() {
        let old = Manifest::read(&mpath)?;
        if let Some(field) = old.difference(&manifest) {
            return Err(CampaignError::Input(format!(
                "{} holds a campaign made from other inputs ({field} differs); refusing to {} it — use another --out",
                dir.display(),
                if opts.resume { "resume" } else { "add to" }
            )));
        }
    } else {
        manifest.write(&mpath)?;
    }
    let rows_path = dir.join(opts.shard.file_name());
    let block = opts.shard.range(c.total_runs());
    let existing = read_rows(dir)?;
    let mine_present = existing.keys().any(|&(p, r)| block.contains(&flat(p, r, c.replications)));
    if mine_present && !opts.resume {
        return Err(CampaignError::Input(format!(
            "{} already has results of this campaign; add --resume to continue it, or use another --out",
            dir.display()
        )));
    }
    // Drop a torn last line (a kill mid-write) before appending.
    trim_torn(&rows_path)?;
    let todo: Vec<usize> = block
        .clone()
        .filter(|&k| !existing.contains_key(&(k / c.replications as usize, (k % c.replications as usize) as u32)))
        .collect();
    let total = block.len();
    let already = total - todo.len();
    let file = std::fs::OpenOptions::new().create(true).append(true).open(&rows_path).map_err(io(&rows_path))?;
    let file = Mutex::new(file);
    let (ran, errors) = (AtomicUsize::new(0), AtomicUsize::new(0));
    let failure: Mutex<Option<CampaignError>> = Mutex::new(None);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(opts.jobs.max(1))
        .build()
        .map_err(|e| CampaignError::Input(format!("cannot start {} threads: {e}", opts.jobs)))?;
    (opts.progress)(already, total);
    pool.install(|| {
        todo.par_iter().with_max_len(1).for_each(|&k| {
            if opts.stop.load(Ordering::SeqCst) {
                return;
            }
            let (p, r) = (k / c.replications as usize, (k % c.replications as usize) as u32);
            let (row, result) = run_one(c, p, r, opts.keep_runs);
            if opts.keep_runs
                && let Some(res) = &result
            {
                // Written whole or not at all, as `bulwark run --out` does: a campaign killed
                // mid-write and resumed never leaves a run directory mixing two attempts.
                let d = dir.join("runs").join(format!("p{p}-r{r}"));
                let written = bulwark_engine::RunDir::begin(&d).map_err(|e| e.to_string()).and_then(|rd| {
                    res.write(rd.path()).map_err(|e| e.to_string())?;
                    rd.commit().map(drop).map_err(|e| e.to_string())
                });
                if let Err(e) = written {
                    let mut f = failure.lock().unwrap_or_else(|e| e.into_inner());
                    f.get_or_insert(CampaignError::Input(e));
                }
            }
            let line = serde_json::to_string(&row).unwrap_or_default() + "\n";
            {
                let mut f = file.lock().unwrap_or_else(|e| e.into_inner());
                if let Err(e) = f.write_all(line.as_bytes()).and_then(|()| f.flush()) {
                    let mut fl = failure.lock().unwrap_or_else(|e| e.into_inner());
                    fl.get_or_insert(CampaignError::Io { path: rows_path.clone(), source: e });
                    opts.stop.store(true, Ordering::SeqCst);
                }
            }
            if !row.ok() {
                errors.fetch_add(1, Ordering::Relaxed);
            }
            let n = ran.fetch_add(1, Ordering::SeqCst) + 1;
            if opts.stop_after.is_some_and(|k| n >= k) {
                opts.stop.store(true, Ordering::SeqCst);
            }
            (opts.progress)(already + n, total);
        });
    });
    if let Some(e) = failure.into_inner().unwrap_or_else(|e| e.into_inner()) {
        return Err(e);
    }
    let ran = ran.into_inner();
    let done = already + ran;
    let complete = done == total;
    if complete && opts.shard.count == 1 {
        let rows = read_rows(dir)?.into_values().collect::<Vec<_>>();
        output::write_all(&manifest, &rows, dir)?;
    }
    Ok(Done { done, total, ran, errors: errors.into_inner(), complete })
}

fn flat(p: usize, r: u32, reps: u32) -> usize {
    p * reps as usize + r as usize
}

/// Every row in the `rows-*.jsonl` files of `dir`, by (point, replication). A line that does
/// not parse (torn by a kill) is skipped; a second, different row for the same run is an error.
pub fn read_rows(dir: &Path) -> Result<BTreeMap<(usize, u32), Row>, CampaignError> {
    let mut out: BTreeMap<(usize, u32), Row> = BTreeMap::new();
    let Ok(entries) = std::fs::read_dir(dir) else { return Ok(out) };
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with("rows-") && n.ends_with(".jsonl"))
        })
        .collect();
    files.sort();
    for f in files {
        let text = std::fs::read_to_string(&f).map_err(io(&f))?;
        for line in text.lines() {
            let Ok(row) = serde_json::from_str::<Row>(line) else { continue };
            let key = (row.point, row.replication);
            match out.get(&key) {
                Some(old) if *old != row => {
                    return Err(CampaignError::Input(format!(
                        "{}: point {} replication {} has two different results",
                        f.display(),
                        key.0,
                        key.1
                    )));
                }
                _ => {
                    out.insert(key, row);
                }
            }
        }
    }
    Ok(out)
}

/// Cuts a rows file back to its last complete line.
fn trim_torn(path: &Path) -> Result<(), CampaignError> {
    let Ok(bytes) = std::fs::read(path) else { return Ok(()) };
    if bytes.is_empty() || bytes.ends_with(b"\n") {
        return Ok(());
    }
    let keep = bytes.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    let f = std::fs::OpenOptions::new().write(true).open(path).map_err(io(path))?;
    f.set_len(keep as u64).map_err(io(path))
}

/// `bulwark campaign merge`: the rows of every directory in `dirs` (one campaign: equal
/// manifests) into `out`'s outputs. Every run must be present.
pub fn merge(dirs: &[PathBuf], out: &Path) -> Result<usize, CampaignError> {
    let mut manifest: Option<Manifest> = None;
    let mut rows: BTreeMap<(usize, u32), Row> = BTreeMap::new();
    for d in dirs {
        let m = Manifest::read(&d.join("manifest.json"))?;
        if let Some(first) = &manifest {
            if let Some(field) = first.difference(&m) {
                return Err(CampaignError::Input(format!(
                    "{} is another campaign than {} ({field} differs)",
                    d.display(),
                    dirs[0].display()
                )));
            }
        } else {
            manifest = Some(m);
        }
        for (k, row) in read_rows(d)? {
            match rows.get(&k) {
                Some(old) if *old != row => {
                    return Err(CampaignError::Input(format!(
                        "point {} replication {} differs between shards (in {})",
                        k.0,
                        k.1,
                        d.display()
                    )));
                }
                _ => {
                    rows.insert(k, row);
                }
            }
        }
    }
    let Some(manifest) = manifest else { return Err(CampaignError::Input("nothing to merge".into())) };
    let total = manifest.total_runs();
    if rows.len() != total {
        let reps = manifest.replications as usize;
        let missing = (0..total).find(|&k| !rows.contains_key(&(k / reps, (k % reps) as u32))).unwrap_or(0);
        return Err(CampaignError::Input(format!(
            "{} of {total} runs are missing (the first: point {} replication {}); run the missing shards (with --resume) and merge again",
            total - rows.len(),
            missing / reps,
            missing % reps
        )));
    }
    std::fs::create_dir_all(out).map_err(io(out))?;
    manifest.write(&out.join("manifest.json"))?;
    let rows: Vec<Row> = rows.into_values().collect();
    output::write_all(&manifest, &rows, out)?;
    Ok(rows.len())
}

/// A stable fingerprint of a directory's `runs.csv`, for messages and tests.
pub fn fingerprint(bytes: &[u8]) -> String {
    format!("{:016x}", fnv1a(bytes))
}

/// Every run of `c` in memory on `jobs` threads, as `[point][replication]` summaries (or the
/// run's error): `bulwark compare`'s table is made from them.
pub fn run_summaries(
    c: &Campaign,
    jobs: usize,
) -> Result<Vec<Vec<Result<bulwark_engine::Summary, String>>>, CampaignError> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs.max(1))
        .build()
        .map_err(|e| CampaignError::Input(format!("cannot start {jobs} threads: {e}")))?;
    let reps = c.replications as usize;
    let flat: Vec<Result<bulwark_engine::Summary, String>> = pool.install(|| {
        (0..c.total_runs())
            .into_par_iter()
            .with_max_len(1)
            .map(|k| {
                let (row, result) = run_one(c, k / reps, (k % reps) as u32, false);
                result.map(|r| r.summary).ok_or(row.error)
            })
            .collect()
    });
    let mut out: Vec<Vec<_>> = (0..c.points.len()).map(|_| Vec::with_capacity(reps)).collect();
    for (k, s) in flat.into_iter().enumerate() {
        out[k / reps].push(s);
    }
    Ok(out)
}
