//! `bulwark`: a thin face over the engine. Exit status 2 for bad input (with
//! file:line:col), 1 for an internal failure.
mod asterix_cmd;
mod budget_cmd;
mod campaign_cmd;
mod compare_cmd;
mod coverage_cmd;
mod exposure_cmd;
mod radar_cmd;
mod replay_cmd;
mod suggest;
mod track_cmd;

use anyhow::Context;
use bulwark_engine::{
    Budget, Costs, RunDir, RunDirError, RunOptions, SimOptions, reference_scenario, run_scenario_tapped,
};
use bulwark_feed::{FeedOptions, LiveFeed, Sink, emit, feed};
use bulwark_scenario::{Catalog, Diagnostic, EntryKind, Scenario};
use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "bulwark", version, about = "Integrated air and missile defence simulation and analysis")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run a scenario (the embedded reference scenario if none is given).
    Run {
        /// Scenario file (TOML).
        scenario: Option<PathBuf>,
        /// Random seed (overrides the scenario's).
        #[arg(long)]
        seed: Option<u64>,
        /// Output directory for events.jsonl, truth.csv, tracks.csv, summary.json.
        #[arg(long, default_value = "out")]
        out: PathBuf,
        /// Print only the summary JSON path, not the table.
        #[arg(long)]
        quiet: bool,
        /// What events.jsonl logs: `all`, or `engagements` (no radar plots, jammer strobes,
        /// IFF replies or life of never-confirmed tracks: about 1 % of the events of the
        /// reference run; the summary, timeline and other files are unchanged).
        #[arg(long, value_enum, default_value = "all")]
        events: EventLog,
        #[command(flatten)]
        asterix: AsterixOut,
        /// Also write scene.json and the self-contained replay page replay.html into the output directory.
        #[arg(long)]
        replay: bool,
        #[command(flatten)]
        budget: budget_cmd::BudgetArgs,
        #[command(flatten)]
        live: replay_cmd::LiveArgs,
    },
    /// Write RUN_DIR/replay.html: the run as one self-contained page (opens offline from file://).
    Replay(replay_cmd::ReplayArgs),
    /// Serve a run directory's replay page on 127.0.0.1.
    View(replay_cmd::ViewArgs),
    /// The same raid against several catalog systems placed where the scenario's defence stands.
    Compare(compare_cmd::CompareArgs),
    /// A Monte Carlo study or designed sweep over scenario and catalog values
    /// (`bulwark campaign FILE --out DIR`; `bulwark campaign merge DIR... --out DIR`).
    Campaign(campaign_cmd::CampaignArgs),
    /// Radar detection calculators (Swerling 0–4, N pulses; catalog radars).
    Radar {
        #[command(subcommand)]
        action: radar_cmd::RadarCommand,
    },
    /// Detection coverage of a system or scenario: table, coverage map, vertical diagrams.
    Coverage(coverage_cmd::CoverageArgs),
    /// What each radar of a run saw of each object (looks, track time, aspect, RCS estimate), from RUN_DIR/exposure.csv.
    Exposure(exposure_cmd::ExposureArgs),
    /// Track an ASTERIX recording (CAT048 plots → CSV + CAT062), or a detections CSV with a tracker TOML.
    Track(track_cmd::TrackArgs),
    /// Read EUROCONTROL ASTERIX (raw files or pcap captures).
    Asterix {
        #[command(subcommand)]
        action: asterix_cmd::AsterixCommand,
    },
    /// Check scenario files without running them.
    Validate {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        #[command(flatten)]
        budget: budget_cmd::BudgetArgs,
    },
    /// List the catalog, or show one entry with the source of every value.
    Catalog {
        #[command(subcommand)]
        action: Option<CatalogAction>,
        /// A catalog directory instead of the embedded catalog.
        #[arg(long, global = true)]
        dir: Option<PathBuf>,
    },
}

/// The run's surveillance feed: CAT034/CAT048 per radar and CAT062 system tracks.
#[derive(clap::Args)]
struct AsterixOut {
    /// Write the feed as raw ASTERIX data blocks to FILE.
    #[arg(long, value_name = "FILE")]
    asterix_out: Option<PathBuf>,
    /// Write the feed as a pcap capture (UDP to port 8600) to FILE.
    #[arg(long, value_name = "FILE")]
    asterix_pcap: Option<PathBuf>,
    /// Send the feed over UDP to HOST:PORT.
    #[arg(long, value_name = "HOST:PORT", num_args = 0..=1, default_missing_value = "127.0.0.1:8600")]
    asterix_udp: Option<String>,
    /// Pace the feed to the wall clock (simulation time = elapsed time).
    #[arg(long)]
    realtime: bool,
}

impl AsterixOut {
    fn any(&self) -> bool {
        self.asterix_out.is_some() || self.asterix_pcap.is_some() || self.asterix_udp.is_some()
    }

    /// Refuses, before the run, one file named for both the raw and the pcap feed: the two
    /// writers would interleave into a file that is neither.
    fn check(&self) -> anyhow::Result<()> {
        if let (Some(raw), Some(pcap)) = (&self.asterix_out, &self.asterix_pcap) {
            let same = match (std::path::absolute(raw), std::path::absolute(pcap)) {
                (Ok(a), Ok(b)) => a == b || (a.canonicalize().ok().is_some_and(|ca| b.canonicalize().ok() == Some(ca))),
                _ => raw == pcap,
            };
            if same {
                return Err(anyhow::Error::new(InputError(format!(
                    "error: --asterix-out and --asterix-pcap both name {}; give each its own file",
                    raw.display()
                ))));
            }
        }
        Ok(())
    }

    /// The requested sinks, opened (under their partial names) before the run.
    fn sinks(&self) -> anyhow::Result<Vec<Sink>> {
        let mut sinks = Vec::new();
        let bad = |e: bulwark_feed::SinkError| anyhow::Error::new(InputError(format!("error: {e}")));
        if let Some(p) = &self.asterix_out {
            sinks.push(Sink::file(p).map_err(bad)?);
        }
        if let Some(p) = &self.asterix_pcap {
            sinks.push(Sink::pcap(p).map_err(bad)?);
        }
        if let Some(to) = &self.asterix_udp {
            sinks.push(Sink::udp(to).map_err(bad)?);
        }
        Ok(sinks)
    }

    /// The feed sent while the run runs (`None` if none was requested).
    fn live_feed(&self) -> anyhow::Result<Option<LiveFeed>> {
        if !self.requested() {
            return Ok(None);
        }
        if self.realtime {
            eprintln!("sending the feed paced to the wall clock as the run goes…");
        }
        Ok(Some(LiveFeed::new(&FeedOptions::default(), self.sinks()?, self.realtime)))
    }

    /// Builds the feed of a run held in memory (`bulwark run --live`) and sends it.
    fn emit(&self, result: &bulwark_engine::RunResult) -> anyhow::Result<()> {
        if !self.requested() {
            return Ok(());
        }
        let (datagrams, stats) = feed(result, &FeedOptions::default())?;
        emit(&datagrams, self.sinks()?, self.realtime)?;
        Self::report(&stats);
        Ok(())
    }

    /// Whether a feed was asked for (warning about `--realtime` alone).
    fn requested(&self) -> bool {
        if !self.any() && self.realtime {
            eprintln!("warning: --realtime paces an ASTERIX feed; none was requested");
        }
        self.any()
    }

    /// What a feed held, on stderr.
    fn report(stats: &bulwark_feed::FeedStats) {
        eprintln!(
            "ASTERIX: {} CAT034, {} CAT048, {} CAT062 records in {} datagrams{}",
            stats.cat034_records,
            stats.cat048_records,
            stats.cat062_records,
            stats.datagrams,
            if stats.plots_beyond_rho > 0 {
                format!(" ({} plots beyond 256 NM left out)", stats.plots_beyond_rho)
            } else {
                String::new()
            }
        );
    }
}

#[derive(Subcommand)]
enum CatalogAction {
    /// Show one entry with every value and its source.
    Show { id: String },
}

/// `bulwark run --events`.
#[derive(Copy, Clone, Debug, PartialEq, Eq, clap::ValueEnum)]
enum EventLog {
    All,
    Engagements,
}

/// Bad input: reported with its position, exit status 2.
struct InputError(String);

fn main() -> ExitCode {
    std::panic::set_hook(Box::new(report_panic));
    let cli = parse_args();
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || dispatch(cli))) {
        Ok(Ok(())) => ExitCode::SUCCESS,
        // `report_panic` has said what happened; a closed stdout pipe is a clean stop.
        Err(payload) if is_broken_pipe(panic_message(payload.as_ref())) => ExitCode::SUCCESS,
        Err(_) => ExitCode::from(1),
        Ok(Err(e))
            if e.chain().any(|c| {
                c.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            }) =>
        {
            ExitCode::SUCCESS
        }
        Ok(Err(e)) => {
            if let Some(InputError(msg)) = e.downcast_ref::<InputError>() {
                eprintln!("{msg}");
                ExitCode::from(2)
            } else {
                eprintln!("bulwark: internal error: {e:#}");
                ExitCode::from(1)
            }
        }
    }
}

/// Parses the command line with negative numbers accepted as values everywhere, so that
/// `--seed -1` is answered by the flag's own parser ("invalid digit") rather than
/// "unexpected argument '-1'".
fn parse_args() -> Cli {
    use clap::{CommandFactory, FromArgMatches};
    fn allow_negative(cmd: clap::Command) -> clap::Command {
        let names: Vec<String> = cmd.get_subcommands().map(|s| s.get_name().to_owned()).collect();
        names.iter().fold(cmd.allow_negative_numbers(true), |c, n| c.mut_subcommand(n, allow_negative))
    }
    let matches = allow_negative(Cli::command()).get_matches();
    Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit())
}

/// The text of a panic's payload (`panic!` with a literal or a formatted message).
fn panic_message(payload: &(dyn std::any::Any + Send)) -> &str {
    payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("")
}

/// Writing to stdout after the reader went away (`bulwark catalog | head -1`): std ignores
/// SIGPIPE, so `println!` panics with this error instead of the process being stopped.
fn is_broken_pipe(message: &str) -> bool {
    message.contains("Broken pipe") || message.contains("os error 32")
}

/// Any panic left is a bug: one short line with where it happened, and how to report it,
/// instead of a backtrace dump; `main` turns it into exit status 1.
fn report_panic(info: &std::panic::PanicHookInfo<'_>) {
    let message = panic_message(info.payload());
    if is_broken_pipe(message) {
        return;
    }
    let at = info.location().map(|l| format!(" at {}:{}", l.file(), l.line())).unwrap_or_default();
    eprintln!(
        "bulwark: internal error (a bug): {message}{at}\n\
         please report it with the command and the input files that caused it"
    );
}

/// What reading a scenario's recordings passed over (malformed pcap packets), on stderr.
fn warn_inputs(s: &Scenario) {
    for w in &s.input_warnings {
        eprintln!("{w}");
    }
}

/// Locks `--out` and opens its staging directory before the run, so a bad or busy `--out`
/// is bad input found before the simulation, and the run lands whole or not at all.
fn begin_run_dir(dir: &std::path::Path) -> anyhow::Result<RunDir> {
    RunDir::begin(dir).map_err(|e| match e {
        RunDirError::Io { source, .. } => {
            anyhow::Error::new(InputError(format!("error: --out {}: {source}", dir.display())))
        }
        other => anyhow::Error::new(InputError(format!("error: --out {other}"))),
    })
}

/// What `bulwark run` of `scenario` is estimated to cost: streaming its rows into the run
/// directory, or (`in_memory`, for an ASTERIX feed built after the run) holding them.
fn run_estimate(scenario: &Scenario, in_memory: bool) -> Budget {
    let (options, costs) = (SimOptions::default(), Costs::default());
    if in_memory {
        Budget::estimate(scenario, &options, &costs)
    } else {
        Budget::estimate_streamed(scenario, &options, &costs)
    }
}

fn input(d: Diagnostic) -> anyhow::Error {
    anyhow::Error::msg(InputError(d.to_string()))
}

/// A run refused before it starts (its cost estimate, the engine's set-up): bad input (exit 2),
/// named by the scenario file.
fn refused_before_run(scenario: &Scenario, reason: String) -> anyhow::Error {
    // The engine's set-up errors about one group already name its line.
    if reason.starts_with(&format!("{}:", scenario.path.display())) {
        return anyhow::Error::msg(InputError(reason));
    }
    anyhow::Error::msg(InputError(format!("{}: error: {reason}", scenario.path.display())))
}

impl std::fmt::Display for InputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}
impl std::fmt::Debug for InputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}
impl std::error::Error for InputError {}

fn dispatch(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Radar { action } => radar_cmd::run(action),
        Command::Coverage(args) => coverage_cmd::run(args),
        Command::Exposure(args) => exposure_cmd::run(args),
        Command::Compare(args) => compare_cmd::run(args),
        Command::Campaign(args) => campaign_cmd::run(args),
        Command::Asterix { action } => asterix_cmd::run(action),
        Command::Track(args) => track_cmd::run(args),
        Command::Replay(args) => replay_cmd::replay(args),
        Command::View(args) => replay_cmd::view(args),
        Command::Run { scenario, seed, out, quiet, events, asterix, replay, live, budget } => {
            let scenario = match scenario {
                Some(p) => Scenario::load(&p, None).map_err(input)?,
                None => reference_scenario().map_err(input)?,
            };
            warn_inputs(&scenario);
            // A live view reads the whole run so far, so it holds it in memory; otherwise rows
            // stream to the files, and a feed is sent as the run goes.
            budget.check_estimate(run_estimate(&scenario, live.live)).map_err(|m| refused_before_run(&scenario, m))?;
            asterix.check()?;
            let mut record = SimOptions::default();
            if events == EventLog::Engagements {
                if asterix.any() || live.live {
                    return Err(anyhow::Error::new(InputError(
                        "error: --events engagements leaves out the radar plots that an ASTERIX feed and --live show; \
                         drop one of them"
                            .into(),
                    )));
                }
                (record.plot_events, record.tentative_track_events) = (false, false);
            }
            let run_dir = begin_run_dir(&out)?;
            let opts = RunOptions { seed, out_dir: run_dir.path().to_path_buf(), in_memory: live.live, record };
            let engine_error = |e| match e {
                bulwark_engine::EngineError::Input(msg) => anyhow::Error::new(InputError(msg)),
                other => anyhow::Error::new(other),
            };
            let (result, served) = if live.live {
                let (result, served) = replay_cmd::run_live(&scenario, &opts, &live, engine_error)?;
                (result, Some(served))
            } else {
                let mut feed = asterix.live_feed()?;
                let tap = feed.as_mut().map(|f| f as &mut dyn bulwark_engine::RunTap);
                let result = run_scenario_tapped(&scenario, &opts, tap).map_err(engine_error)?;
                if let Some(feed) = feed {
                    AsterixOut::report(&feed.finish()?);
                }
                (result, None)
            };
            if replay && !live.live {
                replay_cmd::write_scene(&opts.out_dir, &scenario)?;
            }
            if replay || live.live {
                replay_cmd::write_replay(&opts.out_dir)?;
            }
            run_dir.commit().map_err(|e| anyhow::anyhow!("{e}"))?;
            if let Some(served) = &served {
                served.set(&out);
            }
            if let Some(w) = result.summary.ended_mid_raid_warning() {
                eprintln!("{w}");
            }
            if quiet {
                println!("{}", out.join("summary.json").display());
            } else {
                print!("{}", result.summary.table());
                println!(
                    "wrote {}/{{events.jsonl,truth.csv,tracks.csv,summary.json,timeline.csv,threats.csv,fratricide.csv,exposure.csv}}",
                    out.display()
                );
            }
            if live.live {
                asterix.emit(&result)?;
                replay_cmd::linger(&live);
            }
            Ok(())
        }
        Command::Validate { files, budget } => {
            for f in &files {
                let s = Scenario::load(f, None).map_err(input)?;
                warn_inputs(&s);
                let cost = budget.check_estimate(run_estimate(&s, false)).map_err(|m| refused_before_run(&s, m))?;
                // Everything `run` could refuse, `validate` refuses first: the engine's own set-up
                // (ballistic solutions, radar and launcher tables) is built and dropped.
                bulwark_engine::Simulation::new(&s, s.seed).map_err(|e| match e {
                    bulwark_engine::EngineError::Input(m) => refused_before_run(&s, m),
                    other => anyhow::Error::new(other),
                })?;
                println!(
                    "{}: ok ({} defence units, {} threat groups, {} civil flights, {} s; estimated at most {} CPU, {} memory)",
                    f.display(),
                    s.defences.len(),
                    s.threats.len(),
                    s.civil.len(),
                    s.duration.as_secs_f64(),
                    cost.cpu_text(),
                    cost.memory_text()
                );
                if s.civil_outside > 0 {
                    println!(
                        "  {} recorded flights lie wholly outside the run (before 0 s or after {} s) and are left out",
                        s.civil_outside,
                        s.duration.as_secs_f64()
                    );
                }
                let duplicates: usize = s.civil.iter().map(|c| c.duplicate_rows).sum();
                if duplicates > 0 {
                    println!("  {duplicates} exact duplicate rows of recorded flights dropped (the first copy kept)");
                }
            }
            Ok(())
        }
        Command::Catalog { action, dir } => {
            let catalog = match dir {
                Some(d) => Catalog::load_dir(&d).map_err(input)?,
                None => Catalog::embedded().map_err(input)?,
            };
            match action {
                None => {
                    let mut last: Option<EntryKind> = None;
                    for (kind, id, name) in catalog.list() {
                        if last != Some(kind) {
                            println!("{}:", kind.as_str());
                            last = Some(kind);
                        }
                        println!("  {id:<24} {name}");
                    }
                    Ok(())
                }
                Some(CatalogAction::Show { id }) => {
                    let text = catalog.describe(&id).with_context(|| "no such entry").map_err(|_| {
                        let ids: Vec<String> = catalog.list().into_iter().map(|(_, id, _)| id).collect();
                        anyhow::Error::new(InputError(format!(
                            "error: no catalog entry `{id}`; entries: {}",
                            ids.join(", ")
                        )))
                    })?;
                    print!("{text}");
                    Ok(())
                }
            }
        }
    }
}
