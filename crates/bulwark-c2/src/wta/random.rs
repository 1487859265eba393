//! Seeded random WTA instances, for the solver's tests, gap study and benchmark.
use super::problem::{WtaError, WtaLauncher, WtaOption, WtaProblem, WtaRadar, WtaTarget};
use bulwark_core::{RngStreams, StreamPurpose};

/// Shape of a random instance; every range is inclusive.
#[derive(Clone, Debug, PartialEq)]
pub struct RandomWtaSpec {
    pub targets: usize,
    pub launchers: usize,
    /// Interceptor types per launcher (options = launchers × types).
    pub types_per_launcher: usize,
    /// Launchers per engagement radar (consecutive launchers share a radar).
    pub launchers_per_radar: usize,
    pub stock: (u32, u32),
    pub launcher_shots: (u32, u32),
    pub channels: (u32, u32),
    pub guided: (u32, u32),
    pub salvo: (u32, u32),
    pub value: (f64, f64),
    pub pk: (f64, f64),
    /// Probability that an option can engage a given target.
    pub engage_density: f64,
    /// Probability that a launcher is reloading (not ready).
    pub not_ready: f64,
    /// Probability that a launcher is beyond its radar's link distance.
    pub unlinked: f64,
    /// Shot cost range (value units).
    pub cost: (f64, f64),
}

impl RandomWtaSpec {
    /// A command post of `launchers` launchers (4 per radar, 2 types each, 4–8 missiles per
    /// type, 1–4 launches this cycle), 20–40 channels per radar, facing `targets` targets of
    /// value 1–10, each option able to engage 30 % of them with p in [0.3, 0.9].
    pub fn large(targets: usize, launchers: usize) -> Self {
        RandomWtaSpec {
            targets,
            launchers,
            types_per_launcher: 2,
            launchers_per_radar: 4,
            stock: (4, 8),
            launcher_shots: (1, 4),
            channels: (20, 40),
            guided: (30, 60),
            salvo: (1, 3),
            value: (1.0, 10.0),
            pk: (0.3, 0.9),
            engage_density: 0.3,
            not_ready: 0.1,
            unlinked: 0.05,
            cost: (0.0, 0.05),
        }
    }

    /// A small instance with binding constraints, solvable exactly.
    pub fn small(targets: usize, launchers: usize) -> Self {
        RandomWtaSpec {
            targets,
            launchers,
            types_per_launcher: 1,
            launchers_per_radar: 2,
            stock: (1, 3),
            launcher_shots: (1, 4),
            channels: (1, 4),
            guided: (2, 6),
            salvo: (1, 3),
            value: (1.0, 10.0),
            pk: (0.2, 0.95),
            engage_density: 0.7,
            not_ready: 0.05,
            unlinked: 0.05,
            cost: (0.0, 0.3),
        }
    }

    /// Draw the instance of `seed` (same seed, same instance); errors if a range is invalid
    /// (negative value or cost, p outside [0, 1]).
    pub fn generate(&self, seed: u64) -> Result<WtaProblem, WtaError> {
        let mut rng = RngStreams::new(seed, 0).stream(0x57A, StreamPurpose::Scenario);
        let int = |lo: u32, hi: u32, u: f64| {
            let span = hi.saturating_sub(lo);
            lo + ((f64::from(span) + 1.0) * u).min(f64::from(span)) as u32
        };
        let n_radars = self.launchers.div_ceil(self.launchers_per_radar.max(1));
        let mut targets = Vec::with_capacity(self.targets);
        for _ in 0..self.targets {
            let value = rng.uniform_range(self.value.0, self.value.1);
            let max_shots = int(self.salvo.0, self.salvo.1, rng.uniform());
            targets.push(WtaTarget { value, max_shots });
        }
        let mut radars = Vec::with_capacity(n_radars);
        for _ in 0..n_radars {
            let channels = int(self.channels.0, self.channels.1, rng.uniform());
            let guided = int(self.guided.0, self.guided.1, rng.uniform());
            radars.push(WtaRadar { channels, guided });
        }
        let mut launchers = Vec::with_capacity(self.launchers);
        let mut options = Vec::new();
        for l in 0..self.launchers {
            let radar = (!rng.bernoulli(self.unlinked)).then_some(l / self.launchers_per_radar.max(1));
            let ready = !rng.bernoulli(self.not_ready);
            let max_shots = int(self.launcher_shots.0, self.launcher_shots.1, rng.uniform());
            launchers.push(WtaLauncher { radar, ready, max_shots });
            for _ in 0..self.types_per_launcher {
                let stock = int(self.stock.0, self.stock.1, rng.uniform());
                let cost = rng.uniform_range(self.cost.0, self.cost.1);
                let mut pk = Vec::new();
                for j in 0..self.targets {
                    if rng.bernoulli(self.engage_density) {
                        pk.push((j, rng.uniform_range(self.pk.0, self.pk.1)));
                    }
                }
                options.push(WtaOption { launcher: l, stock, cost, pk });
            }
        }
        WtaProblem::new(targets, radars, launchers, options)
    }
}
