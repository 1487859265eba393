//! Campaigns for Python: the same `bulwark-campaign` code as `bulwark campaign FILE --out DIR`
//! and `bulwark campaign merge`, so the directory's bytes are the CLI's.
use crate::Failure;
use bulwark_campaign::{Campaign, CampaignError, Done, Options, Shard};
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

impl From<CampaignError> for Failure {
    fn from(e: CampaignError) -> Self {
        match e {
            CampaignError::Input(m) => Failure::Input(format!("error: {m}")),
            io @ CampaignError::Io { .. } => Failure::Internal(io.to_string()),
        }
    }
}

/// How to run a campaign from Python (the CLI's options but progress).
#[derive(Clone, Copy, Debug)]
pub struct CampaignRequest {
    /// Runs at once; `None`: the machine's cores, as the CLI.
    pub jobs: Option<usize>,
    pub shard: Shard,
    pub resume: bool,
    pub keep_runs: bool,
}

/// Runs the campaign file at `path` (or its shard) into `out`, as `bulwark campaign`. Setting
/// `stop` (Ctrl-C in Python) stops starting runs; those in flight finish and are kept, and
/// `out` is resumable.
pub fn campaign(path: &Path, out: &Path, req: CampaignRequest, stop: &AtomicBool) -> Result<Done, Failure> {
    let c = Campaign::load(path)?;
    let jobs = req.jobs.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get())).max(1);
    let runs = req.shard.range(c.total_runs()).len();
    c.budget(runs, jobs, req.keep_runs)
        .check(&bulwark_engine::Limits::for_this_machine())
        .map_err(|m| Failure::Input(format!("{}: error: {m}", path.display())))?;
    let opts = Options {
        jobs,
        shard: req.shard,
        resume: req.resume,
        keep_runs: req.keep_runs,
        stop,
        stop_after: None,
        progress: &|_, _| {},
    };
    Ok(bulwark_campaign::run(&c, out, &opts)?)
}

/// `bulwark campaign merge DIRS --out OUT`; the number of runs merged.
pub fn merge(dirs: &[PathBuf], out: &Path) -> Result<usize, Failure> {
    Ok(bulwark_campaign::merge(dirs, out)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../python/tests/data/campaign.toml")
    }

    /// Oracle: the campaign crate's own whole run; two shards merged must give the same bytes
    /// (the CLI's contract, docs/campaigns.md "Shards").
    #[test]
    fn shards_merged_equal_the_whole_campaign() {
        let tmp = std::env::temp_dir().join(format!("bulwark-py-campaign-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&tmp);
        let whole = tmp.join("whole");
        let req = CampaignRequest { jobs: Some(2), shard: Shard::WHOLE, resume: false, keep_runs: false };
        let stop = AtomicBool::new(false);
        let done = campaign(&fixture(), &whole, req, &stop).unwrap();
        assert!(done.complete && done.errors == 0, "{done:?}");
        let dirs: Vec<PathBuf> = (0..2).map(|k| tmp.join(format!("s{k}"))).collect();
        for (k, d) in dirs.iter().enumerate() {
            campaign(&fixture(), d, CampaignRequest { shard: Shard { index: k, count: 2 }, ..req }, &stop).unwrap();
        }
        let merged = tmp.join("merged");
        assert_eq!(merge(&dirs, &merged).unwrap(), done.total);
        for f in ["runs.csv", "points.csv", "paired.csv", "manifest.json"] {
            assert_eq!(std::fs::read(whole.join(f)).unwrap(), std::fs::read(merged.join(f)).unwrap(), "{f}");
        }
        let _ = std::fs::remove_dir_all(&tmp);
    }

    #[test]
    fn a_bad_campaign_is_a_located_diagnostic() {
        let tmp = std::env::temp_dir().join(format!("bulwark-py-bad-{}", std::process::id()));
        std::fs::create_dir_all(&tmp).unwrap();
        let file = tmp.join("bad.toml");
        std::fs::write(&file, "[campaign]\nname = \"x\"\nreplications = \"three\"\n").unwrap();
        let req = CampaignRequest { jobs: Some(1), shard: Shard::WHOLE, resume: false, keep_runs: false };
        match campaign(&file, &tmp.join("out"), req, &AtomicBool::new(false)) {
            Err(Failure::Diagnostic(d)) => assert_eq!(d.line, 3, "{d}"),
            other => panic!("expected a diagnostic, got {:?}", other.map(|d| d.total)),
        }
        let _ = std::fs::remove_dir_all(&tmp);
    }
}
