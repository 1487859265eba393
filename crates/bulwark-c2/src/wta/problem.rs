//! The static WTA problem: inputs, validation, objective and feasibility check.
use std::fmt;

/// A target (an engageable track) of one decision cycle.
#[derive(Clone, Debug, PartialEq)]
pub struct WtaTarget {
    /// Threat value V_j ≥ 0 (any consistent unit: the objective is in the same unit).
    pub value: f64,
    /// Doctrine salvo cap m_j: most interceptors fired at this target this cycle.
    pub max_shots: u32,
}

/// An engagement radar (fire unit), with the capacity it has free this cycle.
#[derive(Clone, Debug, PartialEq)]
pub struct WtaRadar {
    /// Fire channels free: more targets it may take on at once (targets already under
    /// engagement by this radar are the caller's to subtract).
    pub channels: u32,
    /// More interceptors it can guide at once (in flight already subtracted).
    pub guided: u32,
}

/// A launcher, linked to the engagement radar that guides its missiles.
#[derive(Clone, Debug, PartialEq)]
pub struct WtaLauncher {
    /// Index of its engagement radar, or `None` when no radar is within the
    /// launcher-to-radar distance limit (its missiles cannot be guided: it cannot fire).
    pub radar: Option<usize>,
    /// Reloaded and able to fire this cycle (false while reloading or between launches).
    pub ready: bool,
    /// Launches it can make this cycle (launch interval / cycle length), over all its types.
    pub max_shots: u32,
}

/// A weapon option: one interceptor type on one launcher.
#[derive(Clone, Debug, PartialEq)]
pub struct WtaOption {
    /// Index of the launcher holding these missiles.
    pub launcher: usize,
    /// Missiles of this type ready on the launcher (inventory s_i).
    pub stock: u32,
    /// Cost of one shot, in the unit of target value (≥ 0): a shot is only worth firing
    /// when it destroys more expected value than it costs; small costs prefer cheap types.
    pub cost: f64,
    /// Single-shot kill probability p_ij per engageable target: (target index, p ∈ [0, 1]).
    /// A target not listed (or with p = 0) cannot be engaged by this option.
    pub pk: Vec<(usize, f64)>,
}

/// Shots of one option at one target.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct WtaShot {
    pub target: usize,
    pub option: usize,
    pub count: u32,
}

/// Why a problem could not be built.
#[derive(Clone, Debug, PartialEq)]
pub enum WtaError {
    /// A target value is negative, infinite or NaN.
    TargetValue { target: usize, value: f64 },
    /// An option names a launcher that does not exist.
    UnknownLauncher { option: usize, launcher: usize },
    /// A launcher names a radar that does not exist.
    UnknownRadar { launcher: usize, radar: usize },
    /// A kill probability names a target that does not exist.
    UnknownTarget { option: usize, target: usize },
    /// A kill probability is outside [0, 1] or NaN.
    KillProbability { option: usize, target: usize, pk: f64 },
    /// A target is listed twice in one option's kill probabilities.
    DuplicateTarget { option: usize, target: usize },
    /// A shot cost is negative, infinite or NaN.
    Cost { option: usize, cost: f64 },
}

impl fmt::Display for WtaError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WtaError::TargetValue { target, value } => {
                write!(f, "target {target}: value {value} must be finite and ≥ 0")
            }
            WtaError::UnknownLauncher { option, launcher } => {
                write!(f, "option {option}: launcher {launcher} does not exist")
            }
            WtaError::UnknownRadar { launcher, radar } => {
                write!(f, "launcher {launcher}: radar {radar} does not exist")
            }
            WtaError::UnknownTarget { option, target } => write!(f, "option {option}: target {target} does not exist"),
            WtaError::KillProbability { option, target, pk } => {
                write!(f, "option {option}, target {target}: kill probability {pk} must lie in [0, 1]")
            }
            WtaError::DuplicateTarget { option, target } => {
                write!(f, "option {option}: target {target} listed twice")
            }
            WtaError::Cost { option, cost } => write!(f, "option {option}: cost {cost} must be finite and ≥ 0"),
        }
    }
}

impl std::error::Error for WtaError {}

/// Why an assignment breaks the problem's constraints.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WtaViolation {
    /// A shot names an option or target that does not exist.
    UnknownIndex {
        target: usize,
        option: usize,
    },
    /// A shot at a target the option cannot engage (p = 0 or not listed).
    NotEngageable {
        target: usize,
        option: usize,
    },
    Stock {
        option: usize,
        shots: u32,
        stock: u32,
    },
    /// Shots from a launcher that is not ready, has no radar, or beyond its launches this cycle.
    Launcher {
        launcher: usize,
        shots: u32,
        allowed: u32,
    },
    Salvo {
        target: usize,
        shots: u32,
        max: u32,
    },
    Channels {
        radar: usize,
        targets: u32,
        channels: u32,
    },
    Guided {
        radar: usize,
        shots: u32,
        guided: u32,
    },
}

impl fmt::Display for WtaViolation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WtaViolation::UnknownIndex { target, option } => write!(f, "shot ({option} → {target}): no such index"),
            WtaViolation::NotEngageable { target, option } => {
                write!(f, "option {option} cannot engage target {target}")
            }
            WtaViolation::Stock { option, shots, stock } => write!(f, "option {option}: {shots} shots > stock {stock}"),
            WtaViolation::Launcher { launcher, shots, allowed } => {
                write!(f, "launcher {launcher}: {shots} shots > {allowed} allowed this cycle")
            }
            WtaViolation::Salvo { target, shots, max } => write!(f, "target {target}: {shots} shots > salvo cap {max}"),
            WtaViolation::Channels { radar, targets, channels } => {
                write!(f, "radar {radar}: {targets} targets > {channels} fire channels")
            }
            WtaViolation::Guided { radar, shots, guided } => {
                write!(f, "radar {radar}: {shots} missiles > {guided} guided at once")
            }
        }
    }
}

impl std::error::Error for WtaViolation {}

/// A validated static weapon–target assignment problem.
///
/// Minimise the expected surviving target value plus the cost of the shots fired,
/// F(x) = Σ_j V_j Π_i (1 − p_ij)^x_ij + Σ_i c_i Σ_j x_ij (Manne 1958; Lloyd & Witsenhausen
/// 1986; Kline, Ahner & Hill, *Comput. Oper. Res.* 105, 2019, eq. 1), over integers
/// x_ij ≥ 0 with: Σ_j x_ij ≤ s_i (stock); Σ_{i∈l} x_ij ≤ launches of launcher l, 0 if not
/// ready or without a radar; Σ_i x_ij ≤ m_j (salvo cap); per radar r, targets with a shot
/// from r ≤ C_r (fire channels) and shots from r ≤ G_r (guided missiles).
#[derive(Clone, Debug, PartialEq)]
pub struct WtaProblem {
    targets: Vec<WtaTarget>,
    radars: Vec<WtaRadar>,
    launchers: Vec<WtaLauncher>,
    options: Vec<WtaOption>,
    /// Per option: engageable (target, p > 0), sorted by target.
    pub(crate) by_option: Vec<Vec<(u32, f64)>>,
    /// Per target: engaging (option, p > 0), sorted by option.
    pub(crate) by_target: Vec<Vec<(u32, f64)>>,
    /// Per option: its radar when the option can fire at all this cycle.
    pub(crate) radar_of: Vec<Option<u32>>,
    /// Per option: shots it can fire this cycle ignoring shared limits (0 when unusable).
    pub(crate) capacity: Vec<u32>,
    /// Per radar: the options it guides that can fire this cycle.
    pub(crate) options_of_radar: Vec<Vec<u32>>,
}

impl WtaProblem {
    /// Build and validate a problem; every index and number is checked.
    pub fn new(
        targets: Vec<WtaTarget>,
        radars: Vec<WtaRadar>,
        launchers: Vec<WtaLauncher>,
        options: Vec<WtaOption>,
    ) -> Result<Self, WtaError> {
        for (j, t) in targets.iter().enumerate() {
            if !(t.value.is_finite() && t.value >= 0.0) {
                return Err(WtaError::TargetValue { target: j, value: t.value });
            }
        }
        for (l, w) in launchers.iter().enumerate() {
            if let Some(r) = w.radar.filter(|&r| r >= radars.len()) {
                return Err(WtaError::UnknownRadar { launcher: l, radar: r });
            }
        }
        let mut by_option = Vec::with_capacity(options.len());
        let mut by_target: Vec<Vec<(u32, f64)>> = vec![Vec::new(); targets.len()];
        let mut radar_of = Vec::with_capacity(options.len());
        let mut capacity = Vec::with_capacity(options.len());
        for (i, o) in options.iter().enumerate() {
            let Some(w) = launchers.get(o.launcher) else {
                return Err(WtaError::UnknownLauncher { option: i, launcher: o.launcher });
            };
            if !(o.cost.is_finite() && o.cost >= 0.0) {
                return Err(WtaError::Cost { option: i, cost: o.cost });
            }
            let mut list = Vec::with_capacity(o.pk.len());
            for &(j, p) in &o.pk {
                if j >= targets.len() {
                    return Err(WtaError::UnknownTarget { option: i, target: j });
                }
                if !(0.0..=1.0).contains(&p) {
                    return Err(WtaError::KillProbability { option: i, target: j, pk: p });
                }
                list.push((j as u32, p));
            }
            list.sort_by_key(|e| e.0);
            if let Some(w) = list.windows(2).find(|w| w[0].0 == w[1].0) {
                return Err(WtaError::DuplicateTarget { option: i, target: w[0].0 as usize });
            }
            list.retain(|e| e.1 > 0.0);
            let usable = w.ready && w.radar.is_some();
            radar_of.push(if usable { w.radar.map(|r| r as u32) } else { None });
            capacity.push(if usable { o.stock.min(w.max_shots) } else { 0 });
            for &(j, p) in &list {
                by_target[j as usize].push((i as u32, p));
            }
            by_option.push(list);
        }
        let mut options_of_radar = vec![Vec::new(); radars.len()];
        for (i, r) in radar_of.iter().enumerate() {
            if let Some(r) = r.filter(|_| capacity[i] > 0) {
                options_of_radar[r as usize].push(i as u32);
            }
        }
        Ok(WtaProblem {
            targets,
            radars,
            launchers,
            options,
            by_option,
            by_target,
            radar_of,
            capacity,
            options_of_radar,
        })
    }

    pub fn targets(&self) -> &[WtaTarget] {
        &self.targets
    }
    pub fn radars(&self) -> &[WtaRadar] {
        &self.radars
    }
    pub fn launchers(&self) -> &[WtaLauncher] {
        &self.launchers
    }
    pub fn options(&self) -> &[WtaOption] {
        &self.options
    }

    /// Kill probability of one shot of `option` at `target` (0 when not engageable).
    pub fn pk(&self, option: usize, target: usize) -> f64 {
        self.by_target
            .get(target)
            .and_then(|l| l.binary_search_by_key(&(option as u32), |e| e.0).ok().map(|k| l[k].1))
            .unwrap_or(0.0)
    }

    /// Total target value Σ_j V_j: the objective when nothing is fired.
    pub fn total_value(&self) -> f64 {
        self.targets.iter().map(|t| t.value).sum()
    }

    /// (expected surviving value, cost of the shots) of an assignment; the objective is their sum.
    pub fn evaluate(&self, shots: &[WtaShot]) -> (f64, f64) {
        let mut surv: Vec<f64> = vec![1.0; self.targets.len()];
        let mut cost = 0.0;
        for s in shots {
            if s.target < surv.len() && s.option < self.options.len() {
                surv[s.target] *= (1.0 - self.pk(s.option, s.target)).powi(s.count as i32);
                cost += self.options[s.option].cost * f64::from(s.count);
            }
        }
        (self.targets.iter().zip(&surv).map(|(t, s)| t.value * s).sum(), cost)
    }

    /// Check an assignment against every constraint.
    pub fn check(&self, shots: &[WtaShot]) -> Result<(), WtaViolation> {
        let mut per_option = vec![0u32; self.options.len()];
        let mut per_launcher = vec![0u32; self.launchers.len()];
        let mut per_target = vec![0u32; self.targets.len()];
        let mut guided = vec![0u32; self.radars.len()];
        let mut engaged = std::collections::BTreeSet::new();
        for s in shots.iter().filter(|s| s.count > 0) {
            if s.target >= self.targets.len() || s.option >= self.options.len() {
                return Err(WtaViolation::UnknownIndex { target: s.target, option: s.option });
            }
            if self.pk(s.option, s.target) <= 0.0 {
                return Err(WtaViolation::NotEngageable { target: s.target, option: s.option });
            }
            let l = self.options[s.option].launcher;
            per_option[s.option] += s.count;
            per_launcher[l] += s.count;
            per_target[s.target] += s.count;
            if let Some(r) = self.launchers[l].radar {
                guided[r] += s.count;
                engaged.insert((r, s.target));
            }
        }
        for (i, &n) in per_option.iter().enumerate() {
            if n > self.options[i].stock {
                return Err(WtaViolation::Stock { option: i, shots: n, stock: self.options[i].stock });
            }
        }
        for (l, &n) in per_launcher.iter().enumerate() {
            let w = &self.launchers[l];
            let allowed = if w.ready && w.radar.is_some() { w.max_shots } else { 0 };
            if n > allowed {
                return Err(WtaViolation::Launcher { launcher: l, shots: n, allowed });
            }
        }
        for (j, &n) in per_target.iter().enumerate() {
            if n > self.targets[j].max_shots {
                return Err(WtaViolation::Salvo { target: j, shots: n, max: self.targets[j].max_shots });
            }
        }
        for (r, radar) in self.radars.iter().enumerate() {
            let targets = engaged.iter().filter(|e| e.0 == r).count() as u32;
            if targets > radar.channels {
                return Err(WtaViolation::Channels { radar: r, targets, channels: radar.channels });
            }
            if guided[r] > radar.guided {
                return Err(WtaViolation::Guided { radar: r, shots: guided[r], guided: radar.guided });
            }
        }
        Ok(())
    }
}

/// Index of the nearest radar within `max_distance_m` of a launcher (ENU or any common
/// Cartesian frame, m): the launcher-to-radar link of [`WtaLauncher::radar`].
pub fn radar_within(
    launcher: &bulwark_core::Vec3,
    radars: &[bulwark_core::Vec3],
    max_distance_m: f64,
) -> Option<usize> {
    radars
        .iter()
        .enumerate()
        .map(|(r, p)| (r, (p - launcher).norm()))
        .filter(|e| e.1 <= max_distance_m)
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|e| e.0)
}
