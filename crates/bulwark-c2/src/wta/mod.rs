//! Static weapon–target assignment (WTA) for one decision cycle of a command post over
//! several batteries: which launcher fires how many interceptors of which type at which
//! target, respecting inventory, salvo caps, fire channels, guided-missile limits, reload
//! state and launcher-to-radar links.
//!
//! Model (Manne 1958; Lloyd & Witsenhausen 1986; survey: Kline, Ahner & Hill, *The
//! weapon-target assignment problem*, Comput. Oper. Res. 105, 2019): targets j of value
//! V_j, weapon options i (one interceptor type on one launcher) with stock s_i and
//! single-shot kill probability p_ij; minimise
//! F(x) = Σ_j V_j Π_i (1 − p_ij)^x_ij + Σ_i c_i Σ_j x_ij — see [`WtaProblem`].
//!
//! Solvers behind [`WtaSolver`]: [`BranchAndBound`] (exact, small problems),
//! [`MaxMarginalReturn`] (greedy + local search, any size), [`AutoWta`] (exact when small).
mod exact;
mod heuristic;
mod problem;
mod random;
mod state;

pub use exact::BranchAndBound;
pub use heuristic::MaxMarginalReturn;
pub use problem::{
    WtaError, WtaLauncher, WtaOption, WtaProblem, WtaRadar, WtaShot, WtaTarget, WtaViolation, radar_within,
};
pub use random::RandomWtaSpec;

/// What a solver did.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct WtaStats {
    /// Shots placed by greedy marginal return (first fill and refills).
    pub greedy_shots: u32,
    /// Improving local-search moves made.
    pub improving_moves: u32,
    /// Local-search passes run.
    pub passes: u32,
    /// Branch-and-bound nodes explored (0 for the heuristic).
    pub nodes: u64,
    /// The assignment is proven optimal (branch and bound finished within its node limit).
    pub proven_optimal: bool,
}

/// An assignment and its value.
#[derive(Clone, Debug, PartialEq)]
pub struct WtaSolution {
    /// Shots, aggregated per (target, option), sorted by target then option.
    pub shots: Vec<WtaShot>,
    /// F = surviving value + cost.
    pub objective: f64,
    /// Expected surviving target value Σ_j V_j Π_i (1 − p_ij)^x_ij.
    pub surviving_value: f64,
    /// Σ c_i x_ij.
    pub cost: f64,
    pub stats: WtaStats,
}

impl WtaSolution {
    fn from_state(st: &state::State<'_>, stats: WtaStats) -> Self {
        let shots = st.to_shots();
        let (surviving_value, cost) = st.pb.evaluate(&shots);
        WtaSolution { shots, objective: surviving_value + cost, surviving_value, cost, stats }
    }
}

/// A weapon–target assignment solver: one decision cycle, deterministic.
pub trait WtaSolver {
    fn solve(&self, problem: &WtaProblem) -> WtaSolution;
}

/// Exact branch and bound when the problem is small (at most `exact_max_pairs` engageable
/// (option, target) pairs with fire capacity), otherwise greedy + local search. Check
/// `stats.proven_optimal` to know which answer was given.
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct AutoWta {
    pub exact_max_pairs: usize,
    pub exact: BranchAndBound,
    pub heuristic: MaxMarginalReturn,
}

impl Default for AutoWta {
    fn default() -> Self {
        // 30 pairs: a few thousand nodes on average (`wta_gap`); the node cap bounds the
        // worst case, and the warm start keeps the result no worse than the heuristic's.
        AutoWta {
            exact_max_pairs: 30,
            exact: BranchAndBound { max_nodes: 200_000, warm_start: true },
            heuristic: MaxMarginalReturn::default(),
        }
    }
}

impl WtaSolver for AutoWta {
    fn solve(&self, problem: &WtaProblem) -> WtaSolution {
        let pairs: usize =
            (0..problem.options().len()).filter(|&i| problem.capacity[i] > 0).map(|i| problem.by_option[i].len()).sum();
        if pairs <= self.exact_max_pairs { self.exact.solve(problem) } else { self.heuristic.solve(problem) }
    }
}
