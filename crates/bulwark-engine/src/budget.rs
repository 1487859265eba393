//! What a run will cost, known before it starts: steps, object-seconds, and upper estimates of
//! its CPU time and memory, so `validate` and `run` refuse an absurd request (a 1 ns time step,
//! a 100,000-missile raid set-up, a run whose outputs cannot fit in memory) with the reason and
//! the flag that overrides, instead of hanging or being killed (issue 19 item 2).
//!
//! The estimate is deliberately pessimistic: every object is counted live from its spawn to the
//! end of the run, every interceptor in stock is fired, and the per-unit costs are about three
//! times those measured on this project's reference machine (see [`Costs`]), so a run that
//! passes is not expected to exceed it.
use crate::sim::SimOptions;
use bulwark_scenario::{CivilPath, Scenario, ThreatRoute};

/// Unit costs of the engine, about three times those measured with `bulwark run` on the
/// project's 2-core machine (CI profile, loaded by other builds), for headroom:
/// - empty sky (the reference defence's 3 radars, no object), 30 and 120 min: 2.14 and 7.52 s
///   CPU, 137 and 514 MB peak → 3.3e-5 s per radar-step, 23 kB per radar-second (false-alarm
///   plots and tracks, held until the outputs are written);
/// - the reference raid ×100 (2,300 threats, 5 min, README "Whole engine"): 18.2 s →
///   8.8e-7 s per object, radar and step;
/// - the reference raid ×20 (480 threats, 10 min): 4.67 s CPU, 78 MB peak → ≈ 90 B per
///   object-second beyond the radars' share;
/// - a ballistic launch → aim solution: ≈ 58 ms (issue 19), once per group;
/// - crowding: 2,000 cruise missiles 10 m apart at 8 km within sight of the reference radars
///   for 6 min take 103 s CPU against 25.8 s for 500 (`scripts/hostile.py` era, issue 19):
///   4.8e-6 s per object, radar and step instead of 8.8e-7 when spread out. The extra
///   3.9e-6 s is the tracker scoring each detection against the tracks in its gate, at most
///   [`GATE_NEIGHBOURS`] of them: 1.2e-7 s per neighbour, tripled;
/// - streamed (`Simulation::stream_to`), empty sky: 7.1 MB of heap above set-up over 20 min,
///   8.0 MB over 40, 60 and 80 min (`tests/memory_flat.rs`) → 2.7 MB per radar, whatever the
///   length; chunk buffers at most 5 × 2 MiB plus 8,192 events.
#[derive(Copy, Clone, Debug)]
pub struct Costs {
    /// CPU per radar per time step with nothing in the sky (s).
    pub per_radar_step_s: f64,
    /// CPU per object per radar per step (s): sensing, tracking and deciding grow with both.
    pub per_object_radar_step_s: f64,
    /// CPU per gate neighbour per object per radar per step (s): a detection is scored against
    /// the tracks in its gate, up to [`GATE_NEIGHBOURS`]; a group's members are counted as each
    /// other's neighbours (the worst case: a tight formation).
    pub per_neighbour_object_radar_step_s: f64,
    /// Set-up CPU per ballistic group (s): its trajectory is solved before the first step.
    pub per_ballistic_group_s: f64,
    /// Memory per recorded object-second (bytes): a truth row, a track sample per unit and
    /// its plot events, held until the run's outputs are written.
    pub per_object_second_bytes: f64,
    /// Memory per radar-second at a false-alarm probability of 1e-6 (bytes): false-alarm
    /// plots and tracks; a radar at a higher `pfa` counts `pfa / 1e-6` times.
    pub per_radar_second_bytes: f64,
    /// Memory per radar of a run that streams its outputs (bytes): the live false-alarm
    /// tracks and their bookkeeping, whatever the run's length; `pfa`-weighted as above.
    pub per_streaming_radar_bytes: f64,
    /// Memory per object of a run that streams its outputs (bytes): the object, its tracks in
    /// every unit and their state, counted for every object the run can hold at once.
    pub per_streaming_object_bytes: f64,
}

impl Default for Costs {
    fn default() -> Self {
        Costs {
            per_radar_step_s: 1e-4,
            per_object_radar_step_s: 3e-6,
            per_neighbour_object_radar_step_s: 3.6e-7,
            per_ballistic_group_s: 0.2,
            per_object_second_bytes: 500.0,
            per_radar_second_bytes: 70_000.0,
            per_streaming_radar_bytes: 8e6,
            per_streaming_object_bytes: 100e3,
        }
    }
}

/// What a run is expected to cost at most.
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct Budget {
    /// Time steps of the run.
    pub steps: u64,
    /// Σ over objects (threats, civil and friendly flights, every interceptor in stock) of the
    /// seconds each can be live (s).
    pub object_seconds: f64,
    /// Radars placed in the scenario.
    pub radars: usize,
    /// CPU time (s).
    pub cpu_s: f64,
    /// Peak memory (bytes).
    pub memory_bytes: f64,
    /// Runs the figures cover (1 for one run; a campaign's or `compare`'s count, see [`Budget::many`]).
    pub runs: u64,
}

/// Longest an interceptor can fly (s): the catalog's longest-range type (40N6E, 400 km) at a
/// mean 1 km/s is 400 s; 600 s bounds every type.
const INTERCEPTOR_LIFE_S: f64 = 600.0;

/// Most tracks a detection is scored against: the tracker keeps the hits of each detection's
/// 32 nearest tracks (`bulwark-tracking` gating, issue 19), so crowding cost stops growing there.
pub const GATE_NEIGHBOURS: f64 = 32.0;

/// False-alarm probability of the radars the costs were measured with (every catalog radar's).
const CALIBRATION_PFA: f64 = 1e-6;

/// Memory of the process before any run (binary, catalog, scenario; bytes).
const BASE_BYTES: f64 = 64e6;

/// Memory of a streaming run's output buffers at their fullest (bytes): five row buffers of up
/// to twice [`crate::stream`]'s 1 MiB chunk, 8,192 events and the file buffers, with headroom.
const STREAM_BUFFER_BYTES: f64 = 32e6;

impl Budget {
    /// The upper estimate for `scenario` recording what `options` asks for.
    pub fn estimate(scenario: &Scenario, options: &SimOptions, costs: &Costs) -> Budget {
        let end = scenario.duration.as_secs_f64();
        let step = scenario.time_step.as_secs_f64();
        let steps = (end / step).ceil() as u64;
        let live_from = |t_s: f64| (end - t_s.max(0.0)).max(0.0);
        let mut object_seconds = 0.0;
        let mut ballistic = 0.0;
        // Σ over threats of live seconds × gate neighbours (the rest of its group, capped).
        let mut crowded_seconds = 0.0;
        for g in &scenario.threats {
            let mut group_seconds = 0.0;
            for k in 0..g.count {
                group_seconds += live_from(g.start.as_secs_f64() + g.spacing.as_secs_f64() * f64::from(k));
            }
            object_seconds += group_seconds;
            crowded_seconds += group_seconds * (f64::from(g.count) - 1.0).clamp(0.0, GATE_NEIGHBOURS);
            if matches!(g.route, ThreatRoute::Ballistic { .. }) {
                ballistic += 1.0;
            }
        }
        for c in &scenario.civil {
            object_seconds += match &c.path {
                CivilPath::Route(_) => live_from(c.start.as_secs_f64()),
                CivilPath::Recorded(pts) => {
                    let last = pts.last().map_or(0.0, |p| p.0.as_secs_f64()).min(end);
                    (last - c.start.as_secs_f64().max(0.0)).max(0.0)
                }
            };
        }
        let stock = stock(scenario);
        object_seconds += stock * INTERCEPTOR_LIFE_S.min(end);
        let placed = || scenario.defences.iter().flat_map(|d| d.radars.iter());
        let radars = placed().count();
        let radar_load = radar_load(scenario);
        let objects_per_step = object_seconds / end.max(step);
        let crowded_per_step = crowded_seconds / end.max(step);
        let per_step = radar_load.max(1.0) * costs.per_radar_step_s
            + radars.max(1) as f64 * objects_per_step * costs.per_object_radar_step_s
            + radars.max(1) as f64 * crowded_per_step * costs.per_neighbour_object_radar_step_s;
        let cpu_s = ballistic * costs.per_ballistic_group_s + steps as f64 * per_step;
        let recording = options.record_truth || options.record_tracks || options.plot_events;
        let memory_bytes = if recording {
            object_seconds * costs.per_object_second_bytes + radar_load * end * costs.per_radar_second_bytes
        } else {
            0.0
        } + BASE_BYTES;
        Budget { steps, object_seconds, radars, cpu_s, memory_bytes, runs: 1 }
    }

    /// The upper estimate for `scenario` run streaming its outputs into files as it goes
    /// (`bulwark run`): the CPU of [`Budget::estimate`], and memory that grows with what the
    /// run can hold at once (every object it can spawn, every interceptor in stock, the radars'
    /// false-alarm tracks) instead of with its length.
    pub fn estimate_streamed(scenario: &Scenario, options: &SimOptions, costs: &Costs) -> Budget {
        let held = Budget::estimate(scenario, options, costs);
        let threats: f64 = scenario.threats.iter().map(|g| f64::from(g.count)).sum();
        let objects = threats + scenario.civil.len() as f64 + stock(scenario);
        let memory_bytes = BASE_BYTES
            + STREAM_BUFFER_BYTES
            + radar_load(scenario) * costs.per_streaming_radar_bytes
            + objects * costs.per_streaming_object_bytes;
        Budget { memory_bytes: memory_bytes.min(held.memory_bytes.max(BASE_BYTES + STREAM_BUFFER_BYTES)), ..held }
    }

    /// `runs` runs each costing at most `self`, `jobs` of them at once, each leaving
    /// `kept_bytes` of results in memory until the last ends (a campaign's rows, `compare`'s
    /// summaries): CPU adds up over the runs, memory over the runs in flight plus what is kept.
    pub fn many(&self, runs: u64, jobs: usize, kept_bytes: f64) -> Budget {
        let n = runs as f64;
        let at_once = (jobs.max(1) as u64).min(runs.max(1)) as f64;
        Budget {
            steps: self.steps.saturating_mul(runs),
            object_seconds: self.object_seconds * n,
            radars: self.radars,
            cpu_s: self.cpu_s * n,
            memory_bytes: (self.memory_bytes - BASE_BYTES).max(0.0) * at_once + BASE_BYTES + kept_bytes * n,
            runs,
        }
    }

    fn what(&self) -> String {
        if self.runs == 1 { "this run is".to_string() } else { format!("these {} runs are", self.runs) }
    }

    /// The CPU estimate in words ("12 s", "3.4 h").
    pub fn cpu_text(&self) -> String {
        human_s(self.cpu_s)
    }
    /// The memory estimate in words ("90 MB", "4.2 GB").
    pub fn memory_text(&self) -> String {
        human_bytes(self.memory_bytes)
    }

    /// `Err` with the reason and the override when the estimate exceeds `limits`.
    pub fn check(&self, limits: &Limits) -> Result<(), String> {
        if self.cpu_s > limits.cpu_s {
            return Err(format!(
                "{} estimated to need up to {} of CPU ({} steps, {} object-seconds, {} radars), \
                 over the {} limit; shorten the run, coarsen time_step or thin the raid, or pass \
                 --max-cpu-hours to raise the limit",
                self.what(),
                human_s(self.cpu_s),
                self.steps,
                self.object_seconds.round(),
                self.radars,
                human_s(limits.cpu_s)
            ));
        }
        if self.memory_bytes > limits.memory_bytes {
            return Err(format!(
                "{} estimated to need up to {} of memory ({} object-seconds recorded), over the \
                 {} this process may use; shorten the run or thin the raid, or pass --max-memory-gb to raise \
                 the limit",
                self.what(),
                human_bytes(self.memory_bytes),
                self.object_seconds.round(),
                human_bytes(limits.memory_bytes)
            ));
        }
        Ok(())
    }
}

/// Interceptors the defence can fire: those on its launchers and on its reload vehicles.
fn stock(scenario: &Scenario) -> f64 {
    let per_unit = |d: &bulwark_scenario::Defence| {
        let loaded: u32 = d.launchers.iter().flat_map(|l| l.missiles.values()).sum();
        let reloads: u32 = d.reloads.iter().map(|r| r.count * r.missiles.values().sum::<u32>()).sum();
        f64::from(loaded) + f64::from(reloads)
    };
    scenario.defences.iter().map(per_unit).sum()
}

/// The radars' false-alarm load: false alarms grow linearly with the false-alarm probability,
/// so a radar at the calibration's 1e-6 weighs 1, one at 1e-3 (issue 19: it aborted the
/// reference raid) a thousand.
fn radar_load(scenario: &Scenario) -> f64 {
    let placed = scenario.defences.iter().flat_map(|d| d.radars.iter());
    placed
        .map(|r| scenario.catalog.radars.get(&r.type_id).map_or(1.0, |c| (c.pfa.value / CALIBRATION_PFA).max(1.0)))
        .sum()
}

/// The most a run may be estimated to use before it is refused.
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct Limits {
    /// CPU time (s).
    pub cpu_s: f64,
    /// Memory (bytes).
    pub memory_bytes: f64,
}

impl Limits {
    /// 24 h of CPU, and 80 % of the memory this process may use: the least of the memory
    /// available now, the address-space limit (`ulimit -v`) and the cgroup's `memory.max`.
    pub fn for_this_machine() -> Limits {
        let mem = [
            field("/proc/meminfo", "MemAvailable:").map(|kb| kb * 1024.0),
            // "Max address space   unlimited   unlimited   bytes", or a number of bytes.
            field("/proc/self/limits", "Max address space"),
            field("/sys/fs/cgroup/memory.max", ""),
        ]
        .into_iter()
        .flatten()
        .fold(f64::INFINITY, f64::min);
        Limits { cpu_s: 86_400.0, memory_bytes: if mem.is_finite() { 0.8 * mem } else { 16e9 } }
    }
}

/// The first number after `prefix` on the first line of `path` that starts with it (`None`
/// where the file, the line or the number is missing, e.g. "unlimited" or "max").
fn field(path: &str, prefix: &str) -> Option<f64> {
    let text = std::fs::read_to_string(path).ok()?;
    text.lines().find_map(|l| l.strip_prefix(prefix)).and_then(first_number)
}

fn first_number(s: &str) -> Option<f64> {
    s.split_whitespace().next()?.parse().ok()
}

fn human_s(s: f64) -> String {
    if s >= 3600.0 { format!("{:.1} h", s / 3600.0) } else { format!("{:.0} s", s.ceil()) }
}

fn human_bytes(b: f64) -> String {
    if b >= 1e9 { format!("{:.1} GB", b / 1e9) } else { format!("{:.0} MB", (b / 1e6).ceil()) }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Analytic case: 10 runs of 2 h and 1 GB (64 MB of it the process's base), 4 at once,
    /// 1 MB kept each: 20 h, 4 × 0.936 GB + 64 MB + 10 MB; one run reads "this run is".
    #[test]
    fn many_runs_add_cpu_and_the_runs_in_flight_add_memory() {
        let one = Budget { steps: 7, object_seconds: 3.0, radars: 2, cpu_s: 7200.0, memory_bytes: 1e9, runs: 1 };
        let m = one.many(10, 4, 1e6);
        assert_eq!((m.steps, m.runs, m.radars), (70, 10, 2));
        assert_eq!(m.cpu_s, 72_000.0);
        assert!((m.memory_bytes - (4.0 * (1e9 - 64e6) + 64e6 + 1e7)).abs() < 1.0, "{}", m.memory_bytes);
        // Fewer runs than jobs: only the runs there are run at once.
        assert!((one.many(2, 16, 0.0).memory_bytes - (2.0 * (1e9 - 64e6) + 64e6)).abs() < 1.0);
        let limits = Limits { cpu_s: 3600.0, memory_bytes: 1e12 };
        assert!(one.check(&limits).unwrap_err().starts_with("this run is estimated"));
        assert!(m.check(&limits).unwrap_err().starts_with("these 10 runs are estimated"));
        // Saturates rather than wraps.
        assert_eq!(one.many(u64::MAX, 1, 0.0).steps, u64::MAX);
    }
}
