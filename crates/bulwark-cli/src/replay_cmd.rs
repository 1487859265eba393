//! The replay viewer's faces: `bulwark replay RUN_DIR` (writes `replay.html`), `bulwark view
//! RUN_DIR` (serves it on 127.0.0.1), and the `--replay` / `--live` options of `bulwark run`.
//! The scenario geometry the page draws is written beside the outputs as `scene.json`.
use crate::coverage_cmd::scenario_radars;
use crate::{InputError, input};
use bulwark_coverage::{CoverageSettings, compute_coverage};
use bulwark_engine::{RunOptions, RunResult, Simulation};
use bulwark_geo::EnuFrame;
use bulwark_scenario::Scenario;
use bulwark_viewer::serve::{LiveFeed, ServedRoot, Server};
use bulwark_viewer::{
    CoverageRing, Enu, LatLon, Scene, SceneAsset, SceneCoverage, SceneLauncher, SceneRadar, SceneUnit, ViewerError,
};
use clap::Args;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Target altitudes (m) and RCS values (m²) of the coverage rings the page offers.
const RING_ALTITUDES_M: [f64; 5] = [30.0, 300.0, 1_000.0, 5_000.0, 10_000.0];
const RING_RCS_M2: [f64; 5] = [0.01, 0.1, 1.0, 5.0, 10.0];
const RING_AZIMUTH_STEP_DEG: f64 = 2.0;

#[derive(Args)]
pub struct ReplayArgs {
    /// A run directory written by `bulwark run`.
    run_dir: PathBuf,
    /// The run's scenario file, to (re)write `scene.json` (sites, sectors, coverage) first.
    #[arg(long)]
    scenario: Option<PathBuf>,
}

#[derive(Args)]
pub struct ViewArgs {
    /// A run directory written by `bulwark run`.
    run_dir: PathBuf,
    /// Port on 127.0.0.1 (0: any free port).
    #[arg(long, default_value_t = 8150)]
    port: u16,
}

fn viewer_err(e: ViewerError) -> anyhow::Error {
    match e {
        ViewerError::Missing(_) | ViewerError::Format { .. } => anyhow::Error::new(InputError(format!("error: {e}"))),
        other => anyhow::Error::new(other),
    }
}

fn en(frame: &EnuFrame, g: &bulwark_geo::Geodetic) -> Enu {
    let v = frame.geodetic_to_enu(g);
    Enu { east_m: v.x, north_m: v.y }
}

/// The scenario geometry and radar coverage rings the page draws.
pub fn scene(scenario: &Scenario) -> anyhow::Result<Scene> {
    let frame = EnuFrame::new(scenario.origin);
    let mut s = Scene {
        scenario: scenario.name.clone(),
        origin: LatLon {
            lat_deg: scenario.origin.lat_deg(),
            lon_deg: scenario.origin.lon_deg(),
            alt_m: scenario.origin.alt_m,
        },
        ..Scene::default()
    };
    let coverage_radars = scenario_radars(scenario)?;
    let mut radar_index = 0;
    for (ui, d) in scenario.defences.iter().enumerate() {
        s.units.push(SceneUnit {
            name: d.name.clone(),
            system: d.system.clone(),
            site: en(&frame, &d.site),
            facing_deg: d.facing_rad.to_degrees(),
        });
        let local = EnuFrame::new(d.site);
        for r in &d.radars {
            let cr = &coverage_radars[radar_index];
            radar_index += 1;
            s.radars.push(SceneRadar {
                unit: ui,
                type_id: r.type_id.clone(),
                name: cr.name.clone(),
                position: en(&frame, &bulwark_geo::Geodetic::from_ecef(&local.to_ecef(&r.offset_enu))),
                sector_centre_deg: cr.azimuth_centre_rad.to_degrees().rem_euclid(360.0),
                sector_width_deg: cr.azimuth_width_rad.to_degrees(),
                max_range_m: cr.max_range_m,
            });
        }
        for l in &d.launchers {
            s.launchers.push(SceneLauncher {
                unit: ui,
                type_id: l.type_id.clone(),
                position: en(&frame, &bulwark_geo::Geodetic::from_ecef(&local.to_ecef(&l.offset_enu))),
                missiles: l.missiles.iter().map(|(k, n)| (k.clone(), *n)).collect(),
            });
        }
    }
    for a in &scenario.assets {
        s.assets.push(SceneAsset { name: a.name.clone(), position: en(&frame, &a.position), radius_m: a.radius_m });
    }
    let settings = CoverageSettings {
        altitudes_m: RING_ALTITUDES_M.to_vec(),
        rcs_m2: RING_RCS_M2.to_vec(),
        azimuth_step_rad: RING_AZIMUTH_STEP_DEG.to_radians(),
        range_step_m: 500.0,
        ..CoverageSettings::default()
    };
    let mut rings = Vec::new();
    for (i, r) in coverage_radars.iter().enumerate() {
        let c = compute_coverage(r, &settings, None)
            .map_err(|e| anyhow::Error::new(InputError(format!("error: coverage of {}: {e}", r.name))))?;
        for p in &c.profiles {
            rings.push(CoverageRing {
                radar: i,
                altitude_m: p.altitude_m,
                rcs_m2: p.rcs_m2,
                outer_m: p.outer_range_m.iter().map(|m| m.round().clamp(0.0, u32::MAX as f64) as u32).collect(),
            });
        }
    }
    s.coverage = Some(SceneCoverage {
        pd: settings.pd_required,
        altitudes_m: settings.altitudes_m,
        rcs_m2: settings.rcs_m2,
        azimuth_step_deg: RING_AZIMUTH_STEP_DEG,
        rings,
    });
    Ok(s)
}

/// Writes `scene.json` for `scenario` into `dir`.
pub fn write_scene(dir: &Path, scenario: &Scenario) -> anyhow::Result<()> {
    bulwark_viewer::write_scene(dir, &scene(scenario)?).map_err(viewer_err)?;
    Ok(())
}

/// Writes `dir/replay.html` and says where, with its size.
pub fn write_replay(dir: &Path) -> anyhow::Result<()> {
    let path = bulwark_viewer::write_replay(dir).map_err(viewer_err)?;
    let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    eprintln!("wrote {} ({:.1} MB)", path.display(), size as f64 / 1e6);
    Ok(())
}

/// `bulwark replay RUN_DIR [--scenario FILE]`.
pub fn replay(a: ReplayArgs) -> anyhow::Result<()> {
    if let Some(p) = &a.scenario {
        let scenario = Scenario::load(p, None).map_err(input)?;
        write_scene(&a.run_dir, &scenario)?;
    } else if !a.run_dir.join(bulwark_viewer::SCENE_FILE).is_file() {
        eprintln!(
            "note: {} has no {}: sites, sectors and coverage are left out (pass --scenario FILE)",
            a.run_dir.display(),
            bulwark_viewer::SCENE_FILE
        );
    }
    write_replay(&a.run_dir)
}

/// `bulwark view RUN_DIR [--port P]`: serves the page until interrupted.
pub fn view(a: ViewArgs) -> anyhow::Result<()> {
    let page = bulwark_viewer::replay_html(&a.run_dir).map_err(viewer_err)?;
    let server = bulwark_viewer::serve::Server::bind(&a.run_dir, a.port, page, None)
        .map_err(|e| anyhow::Error::new(InputError(format!("error: {e}"))))?;
    let addr = server.local_addr().map_err(viewer_err)?;
    println!("serving {} at http://{addr}/ (Ctrl-C to stop)", a.run_dir.display());
    server.run().map_err(viewer_err)
}

/// Options of `bulwark run` for a live view.
#[derive(Args)]
pub struct LiveArgs {
    /// Serve the replay page on 127.0.0.1 and stream the run to it while it runs (Server-Sent
    /// Events); the finished run's replay.html is written as with --replay.
    #[arg(long)]
    pub live: bool,
    /// Port of the live page on 127.0.0.1 (0: any free port).
    #[arg(long, default_value_t = 8150, requires = "live")]
    pub port: u16,
    /// Simulated seconds per wall-clock second of a live run (0: as fast as it computes).
    #[arg(long, default_value_t = 1.0, requires = "live")]
    pub speed: f64,
    /// Seconds to keep serving after a live run has ended (default: until interrupted).
    #[arg(long, value_name = "SECONDS", requires = "live")]
    pub linger: Option<f64>,
}

/// Runs `scenario` step by step, paced to `speed`, streaming its events, held tracks and truth
/// to the page served on 127.0.0.1; writes the outputs as `bulwark run` does, and returns the
/// served directory so that it can follow the run directory when it is committed.
pub fn run_live(
    scenario: &Scenario,
    opts: &RunOptions,
    live: &LiveArgs,
    engine_error: impl Fn(bulwark_engine::EngineError) -> anyhow::Error,
) -> anyhow::Result<(RunResult, ServedRoot)> {
    if !(live.speed.is_finite() && live.speed >= 0.0) {
        return Err(anyhow::Error::new(InputError(format!("error: --speed {}: expected a number ≥ 0", live.speed))));
    }
    let seed = opts.seed.unwrap_or(scenario.seed);
    let mut sim = Simulation::new(scenario, seed).map_err(&engine_error)?;
    let scene = scene(scenario)?;
    std::fs::create_dir_all(&opts.out_dir).map_err(|e| anyhow::anyhow!("{}: {e}", opts.out_dir.display()))?;
    bulwark_viewer::write_scene(&opts.out_dir, &scene).map_err(viewer_err)?;
    let page = bulwark_viewer::live_page(&scenario.name, seed, scenario.duration.as_secs_f64(), &scene);
    let feed = LiveFeed::default();
    let server = Server::bind(&opts.out_dir, live.port, page, Some(feed.clone()))
        .map_err(|e| anyhow::Error::new(InputError(format!("error: {e}"))))?;
    let addr = server.local_addr().map_err(viewer_err)?;
    let served = server.root();
    println!("live at http://{addr}/ ({}× real time)", live.speed);
    std::thread::spawn(move || {
        if let Err(e) = server.run() {
            eprintln!("bulwark: live server: {e}");
        }
    });
    let start = Instant::now();
    let (mut events, mut samples, mut truth_at) = (0, 0, sim.truth_csv_so_far().find('\n').map_or(0, |i| i + 1));
    while sim.advance() {
        let logged = sim.events_so_far();
        for e in &logged[events..] {
            if let Some(m) = bulwark_viewer::live::event_message(e) {
                feed.push(m);
            }
        }
        events = logged.len();
        let recorded = sim.track_samples_so_far();
        for s in &recorded[samples..] {
            if let Some(m) = bulwark_viewer::live::track_message(s) {
                feed.push(m);
            }
        }
        samples = recorded.len();
        let truth = sim.truth_csv_so_far();
        if let Some(end) = truth[truth_at..].rfind('\n') {
            for m in bulwark_viewer::live::truth_messages(&truth[truth_at..truth_at + end + 1]) {
                feed.push(m);
            }
            truth_at += end + 1;
        }
        if live.speed > 0.0 {
            let due = Duration::from_secs_f64(sim.now().as_secs_f64() / live.speed);
            if let Some(wait) = due.checked_sub(start.elapsed()) {
                std::thread::sleep(wait);
            }
        }
    }
    feed.finish();
    let result = sim.finish();
    result.write(&opts.out_dir).map_err(&engine_error)?;
    Ok((result, served))
}

/// After a live run: keeps the page served for `--linger` seconds, or until interrupted.
pub fn linger(live: &LiveArgs) {
    eprintln!(
        "run finished; still serving the live page{}",
        if live.linger.is_none() { " (Ctrl-C to stop)" } else { "" }
    );
    match live.linger {
        Some(s) if s.is_finite() && s >= 0.0 => std::thread::sleep(Duration::from_secs_f64(s.min(1e6))),
        _ => loop {
            std::thread::park();
        },
    }
}
