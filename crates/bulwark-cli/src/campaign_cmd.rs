//! `bulwark campaign`: a thin face over `bulwark-campaign` — options, progress, Ctrl-C.
use crate::{InputError, input};
use bulwark_campaign::{Campaign, CampaignError, Manifest, Options, Shard};
use std::io::IsTerminal as _;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[derive(clap::Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct CampaignArgs {
    #[command(subcommand)]
    action: Option<CampaignAction>,
    /// Campaign file (TOML, docs/campaigns.md).
    #[arg(required = true)]
    file: Option<PathBuf>,
    /// Output directory (runs.csv, points.csv, paired.csv, report.md, manifest.json, …).
    #[arg(long, required = true)]
    out: Option<PathBuf>,
    /// Runs at once (default: the machine's cores); the outputs do not depend on it.
    #[arg(long)]
    jobs: Option<usize>,
    /// Run only block K of N (0-based) of the (point, replication) list; `merge` joins the
    /// blocks. K may be `auto`: $SLURM_ARRAY_TASK_ID (minus $SLURM_ARRAY_TASK_MIN) or
    /// $JOB_COMPLETION_INDEX; N may be left out under Slurm ($SLURM_ARRAY_TASK_COUNT).
    #[arg(long, value_name = "K/N")]
    shard: Option<String>,
    /// Continue a stopped campaign in --out: runs already there are skipped (the inputs must
    /// be unchanged: the manifest is checked).
    #[arg(long)]
    resume: bool,
    /// Also write every run's full outputs under DIR/runs/p<P>-r<R>/.
    #[arg(long)]
    keep_runs: bool,
    /// Run only design point P, replication R, and write its full outputs (and its row) in --out.
    #[arg(long, value_name = "P:R")]
    only: Option<String>,
    #[command(flatten)]
    budget: crate::budget_cmd::BudgetArgs,
}

#[derive(clap::Subcommand)]
enum CampaignAction {
    /// Join shard directories (and their rows files) of one campaign into complete outputs.
    Merge {
        #[arg(required = true)]
        dirs: Vec<PathBuf>,
        #[arg(long)]
        out: PathBuf,
    },
}

fn bad(msg: impl std::fmt::Display) -> anyhow::Error {
    anyhow::Error::new(InputError(format!("error: {msg}")))
}

fn campaign_err(e: CampaignError) -> anyhow::Error {
    match e {
        CampaignError::Input(m) => bad(m),
        other => anyhow::Error::new(other),
    }
}

/// Set by Ctrl-C: no new run starts; those in flight finish and are kept.
static STOP: AtomicBool = AtomicBool::new(false);

pub fn run(args: CampaignArgs) -> anyhow::Result<()> {
    if let Some(CampaignAction::Merge { dirs, out }) = args.action {
        let n = bulwark_campaign::merge(&dirs, &out).map_err(campaign_err)?;
        eprintln!(
            "merged {n} runs from {} director{} into {}",
            dirs.len(),
            if dirs.len() == 1 { "y" } else { "ies" },
            out.display()
        );
        return Ok(());
    }
    let (Some(file), Some(out)) = (args.file, args.out) else { return Err(bad("give a campaign FILE and --out DIR")) };
    let campaign = Campaign::load(&file).map_err(input)?;
    if let Some(only) = &args.only {
        return run_only(&campaign, only, &out);
    }
    let shard = match &args.shard {
        None => Shard::WHOLE,
        Some(s) => parse_shard(s, &|k| std::env::var(k).ok())?,
    };
    let jobs = args.jobs.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get())).max(1);
    let runs = shard.range(campaign.total_runs()).len();
    args.budget
        .check_estimate(campaign.budget(runs, jobs, args.keep_runs))
        .map_err(|m| anyhow::Error::new(InputError(format!("{}: error: {m}", file.display()))))?;
    let stop_after = match std::env::var("BULWARK_CAMPAIGN_STOP_AFTER") {
        Ok(v) => Some(v.parse::<usize>().map_err(|_| bad("BULWARK_CAMPAIGN_STOP_AFTER must be a number of runs"))?),
        Err(_) => None,
    };
    let _ = ctrlc::set_handler(|| {
        if STOP.swap(true, Ordering::SeqCst) {
            std::process::exit(130);
        }
        eprintln!("\nstopping: runs in flight finish and are kept (Ctrl-C again to quit at once)");
    });
    let progress = Progress::new(campaign.total_runs());
    let report = |done: usize, total: usize| progress.update(done, total);
    let opts = Options {
        jobs,
        shard,
        resume: args.resume,
        keep_runs: args.keep_runs,
        stop: &STOP,
        stop_after,
        progress: &report,
    };
    let started = Instant::now();
    let done = bulwark_campaign::run(&campaign, &out, &opts).map_err(campaign_err)?;
    progress.finish();
    let secs = started.elapsed().as_secs_f64();
    let rate = if secs > 0.0 { done.ran as f64 / secs } else { 0.0 };
    if !done.complete {
        eprintln!(
            "stopped after {} of {} runs ({} this time, {rate:.2} runs/s); {} is resumable: add --resume",
            done.done,
            done.total,
            done.ran,
            out.display()
        );
        std::process::exit(130);
    }
    let what = if shard.count > 1 {
        format!(
            "shard {}/{} ({} runs) in {}; join the shards with `bulwark campaign merge`",
            shard.index,
            shard.count,
            done.total,
            out.display()
        )
    } else {
        format!("{}/{{runs,points}}.{{csv,parquet}}, paired.csv, report.md, manifest.json", out.display())
    };
    eprintln!(
        "{}: {} point(s) × {} replication(s); {} runs made, {} error(s), {rate:.2} runs/s → {what}",
        campaign.name,
        campaign.points.len(),
        campaign.replications,
        done.ran,
        done.errors
    );
    Ok(())
}

/// `K/N`, `K`, `auto/N` or `auto`, reading Slurm's and Kubernetes' variables through `env`.
fn parse_shard(s: &str, env: &dyn Fn(&str) -> Option<String>) -> anyhow::Result<Shard> {
    let (k, n) = match s.split_once('/') {
        Some((k, n)) => (k.trim(), Some(n.trim().to_string())),
        None => (s.trim(), None),
    };
    let num = |what: &str, v: &str| {
        v.parse::<usize>().map_err(|_| bad(format!("--shard {s}: {what} `{v}` is not a whole number")))
    };
    let index = if k == "auto" {
        if let Some(id) = env("SLURM_ARRAY_TASK_ID") {
            let min = env("SLURM_ARRAY_TASK_MIN").map(|m| num("SLURM_ARRAY_TASK_MIN", &m)).transpose()?.unwrap_or(0);
            num("SLURM_ARRAY_TASK_ID", &id)?
                .checked_sub(min)
                .ok_or_else(|| bad("SLURM_ARRAY_TASK_ID is below SLURM_ARRAY_TASK_MIN"))?
        } else if let Some(id) = env("JOB_COMPLETION_INDEX") {
            num("JOB_COMPLETION_INDEX", &id)?
        } else {
            return Err(bad(format!("--shard {s}: neither SLURM_ARRAY_TASK_ID nor JOB_COMPLETION_INDEX is set")));
        }
    } else {
        num("the index", k)?
    };
    let count = match n {
        Some(n) => num("the count", &n)?,
        None => match env("SLURM_ARRAY_TASK_COUNT") {
            Some(c) => num("SLURM_ARRAY_TASK_COUNT", &c)?,
            None => {
                return Err(bad(format!(
                    "--shard {s}: give the shard count as K/N (SLURM_ARRAY_TASK_COUNT is not set)"
                )));
            }
        },
    };
    if count == 0 || index >= count {
        return Err(bad(format!("--shard {index}/{count}: the index is 0-based and must be below the count")));
    }
    Ok(Shard { index, count })
}

fn run_only(c: &Campaign, only: &str, out: &std::path::Path) -> anyhow::Result<()> {
    let parse = |v: &str| v.trim().parse::<usize>().ok();
    let Some((p, r)) = only.split_once(':').and_then(|(p, r)| Some((parse(p)?, parse(r)?))) else {
        return Err(bad(format!("--only {only}: expected POINT:REPLICATION, e.g. 3:0")));
    };
    if p >= c.points.len() || r >= c.replications as usize {
        return Err(bad(format!(
            "--only {p}:{r}: the campaign has points 0..{} and replications 0..{}",
            c.points.len() - 1,
            c.replications - 1
        )));
    }
    let (row, result) = bulwark_campaign::run_one(c, p, r as u32, true);
    if let Some(res) = &result {
        res.write(out)?;
    }
    bulwark_campaign::output::write_runs_csv(&Manifest::of(c), std::slice::from_ref(&row), &out.join("runs.csv"))
        .map_err(campaign_err)?;
    if !row.ok() {
        return Err(bad(format!("point {p} replication {r} (seed {}): {}", row.seed, row.error)));
    }
    eprintln!(
        "point {p} replication {r} (seed {}) → {}/{{summary.json,events.jsonl,…,runs.csv}}",
        row.seed,
        out.display()
    );
    Ok(())
}

/// A bar with rate and ETA on a terminal; otherwise (CI, Slurm logs) a plain line every 5 s.
struct Progress {
    bar: Option<indicatif::ProgressBar>,
    last: Mutex<(Instant, usize)>,
    start: Instant,
    first_done: Arc<Mutex<Option<usize>>>,
}

impl Progress {
    fn new(total: usize) -> Progress {
        let bar = std::io::stderr().is_terminal().then(|| {
            let b = indicatif::ProgressBar::new(total as u64);
            if let Ok(style) =
                indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} runs  {per_sec}  ETA {eta}  {elapsed}")
            {
                b.set_style(style);
            }
            b
        });
        let now = Instant::now();
        Progress { bar, last: Mutex::new((now, 0)), start: now, first_done: Arc::new(Mutex::new(None)) }
    }

    fn update(&self, done: usize, total: usize) {
        let mut first = self.first_done.lock().unwrap_or_else(|e| e.into_inner());
        let base = *first.get_or_insert(done);
        drop(first);
        if let Some(b) = &self.bar {
            b.set_length(total as u64);
            b.set_position(done as u64);
            return;
        }
        let mut last = self.last.lock().unwrap_or_else(|e| e.into_inner());
        if last.0.elapsed() < Duration::from_secs(5) && done < total {
            return;
        }
        *last = (Instant::now(), done);
        let secs = self.start.elapsed().as_secs_f64();
        let rate = if secs > 0.0 { (done - base) as f64 / secs } else { 0.0 };
        let eta = if rate > 0.0 { format!("{:.0} s", (total - done) as f64 / rate) } else { "?".into() };
        eprintln!(
            "campaign: {done}/{total} runs ({:.0} %), {rate:.2} runs/s, ETA {eta}",
            100.0 * done as f64 / total.max(1) as f64
        );
    }

    fn finish(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_come_from_the_option_or_the_cluster() {
        let none = |_: &str| None;
        assert_eq!(parse_shard("2/4", &none).unwrap(), Shard { index: 2, count: 4 });
        assert!(parse_shard("4/4", &none).is_err());
        assert!(parse_shard("1", &none).is_err());
        let slurm = |k: &str| match k {
            "SLURM_ARRAY_TASK_ID" => Some("3".to_string()),
            "SLURM_ARRAY_TASK_MIN" => Some("1".to_string()),
            "SLURM_ARRAY_TASK_COUNT" => Some("4".to_string()),
            _ => None,
        };
        assert_eq!(parse_shard("auto", &slurm).unwrap(), Shard { index: 2, count: 4 });
        let k8s = |k: &str| (k == "JOB_COMPLETION_INDEX").then(|| "5".to_string());
        assert_eq!(parse_shard("auto/8", &k8s).unwrap(), Shard { index: 5, count: 8 });
        assert!(parse_shard("auto", &k8s).is_err());
    }
}
