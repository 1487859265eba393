//! Exact branch and bound for small problems.
use super::heuristic::{MaxMarginalReturn, tolerance};
use super::problem::{WtaProblem, WtaShot};
use super::state::State;
use super::{WtaSolution, WtaSolver, WtaStats};

/// Depth-first branch and bound over the shot counts x_ij of the engageable pairs, taken in
/// a fixed (option, target) order so that every assignment is reached once; counts are
/// tried from the largest feasible down to 0. The incumbent starts from
/// [`MaxMarginalReturn`] when `warm_start` is set, otherwise from firing nothing.
///
/// Bound: the destroyed value D(x) = Σ_j V_j (1 − Π_i (1 − p_ij)^x_ij) is monotone
/// submodular in the multiset of shots, so from a node x the further gain of net return
/// D − cost is at most the sum of the marginal returns g_ij = V_j S_j p_ij − c_i *at x*
/// of the shots added (Nemhauser, Wolsey & Fisher, *Math. Prog.* 14, 1978, prop. 2.1).
/// Two relaxations of that sum bound it: (a) per option the best positive g_ij over its
/// remaining pairs, times the shots it may still fire, capped per launcher and per radar
/// (guided missiles) by taking the best shots first; (b) per target min(V_j S_j,
/// salvo room × best g_ij). A node is cut when F(x) − min(a, b) ≥ F(incumbent).
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct BranchAndBound {
    /// Nodes explored before giving up the proof of optimality (the best found is returned).
    pub max_nodes: u64,
    /// Start from the heuristic's assignment (fewer nodes; same optimum).
    pub warm_start: bool,
}

impl Default for BranchAndBound {
    fn default() -> Self {
        BranchAndBound { max_nodes: 2_000_000, warm_start: true }
    }
}

/// Depth-first search over `pairs` (sorted by option, then target) from the current state,
/// whose objective restricted to `targets` is `f0`; returns the first-found best shots
/// (option, target) over `targets` better than `best_f` by more than `eps`, if any.
pub(crate) struct Search<'s, 'a> {
    pub st: &'s mut State<'a>,
    pub pairs: Vec<(usize, usize, f64)>,
    pub targets: Vec<usize>,
    pub best_f: f64,
    pub best: Option<Vec<(usize, usize)>>,
    pub nodes: u64,
    pub max_nodes: u64,
    pub aborted: bool,
    pub eps: f64,
    options: Vec<usize>,
    g_opt: Vec<f64>,
    g_tgt: Vec<f64>,
}

impl WtaSolver for BranchAndBound {
    fn solve(&self, problem: &WtaProblem) -> WtaSolution {
        let start = if self.warm_start {
            MaxMarginalReturn::default().solve(problem)
        } else {
            let v = problem.total_value();
            WtaSolution { shots: Vec::new(), objective: v, surviving_value: v, cost: 0.0, stats: WtaStats::default() }
        };
        let mut pairs = Vec::new();
        for (i, list) in problem.by_option.iter().enumerate() {
            if problem.capacity[i] > 0 {
                pairs.extend(list.iter().map(|&(j, p)| (i, j as usize, p)));
            }
        }
        let mut st = State::new(problem);
        let f0 = st.objective();
        let targets = (0..problem.targets().len()).collect();
        let mut s = Search::new(&mut st, pairs, targets, start.objective, self.max_nodes, tolerance(problem));
        s.run(f0);
        let stats = WtaStats { nodes: s.nodes, proven_optimal: !s.aborted, ..start.stats };
        let Some(best) = s.best else { return WtaSolution { stats, ..start } };
        let mut shots: Vec<WtaShot> =
            best.iter().map(|&(option, target)| WtaShot { target, option, count: 1 }).collect();
        shots.sort();
        shots.dedup_by(|b, a| {
            let same = a.target == b.target && a.option == b.option;
            if same {
                a.count += b.count;
            }
            same
        });
        let (surviving_value, cost) = problem.evaluate(&shots);
        WtaSolution { shots, objective: surviving_value + cost, surviving_value, cost, stats }
    }
}

impl<'s, 'a> Search<'s, 'a> {
    pub fn new(
        st: &'s mut State<'a>,
        pairs: Vec<(usize, usize, f64)>,
        targets: Vec<usize>,
        best_f: f64,
        max_nodes: u64,
        eps: f64,
    ) -> Self {
        let mut options: Vec<usize> = pairs.iter().map(|e| e.0).collect();
        options.dedup();
        let (n_opt, n_tgt) = (st.pb.options().len(), st.pb.targets().len());
        Search {
            st,
            pairs,
            targets,
            best_f,
            best: None,
            nodes: 0,
            max_nodes,
            aborted: false,
            eps,
            options,
            g_opt: vec![0.0; n_opt],
            g_tgt: vec![0.0; n_tgt],
        }
    }

    pub fn run(&mut self, f0: f64) {
        self.dfs(0, f0);
    }

    /// Explore from pair `k` with the current objective `f` (of the state).
    fn dfs(&mut self, k: usize, f: f64) {
        self.nodes += 1;
        if self.nodes > self.max_nodes {
            self.aborted = true;
            return;
        }
        if f < self.best_f - self.eps {
            self.best_f = f;
            let st = &self.st;
            self.best =
                Some(self.targets.iter().flat_map(|&j| st.shots[j].iter().map(move |e| (e.0 as usize, j))).collect());
        }
        if k == self.pairs.len() || f - self.bound(k) >= self.best_f - self.eps {
            return;
        }
        let (i, j, p) = self.pairs[k];
        let (v, c) = (self.st.value(j), self.st.cost(i));
        let mut added = 0;
        let mut fk = f;
        while self.st.can_add(i, j) {
            fk += c - v * self.st.surv[j] * p;
            self.st.add(i, j, p);
            added += 1;
        }
        loop {
            self.dfs(k + 1, fk);
            if added == 0 || self.aborted {
                break;
            }
            self.st.remove(i, j);
            added -= 1;
            fk -= c - v * self.st.surv[j] * p;
        }
        for _ in 0..added {
            self.st.remove(i, j);
        }
    }

    /// Upper bound on the further decrease of F from pairs `k..`.
    fn bound(&mut self, k: usize) -> f64 {
        let st = &self.st;
        let pb = st.pb;
        for &i in &self.options {
            self.g_opt[i] = 0.0;
        }
        for &j in &self.targets {
            self.g_tgt[j] = 0.0;
        }
        for &(i, j, p) in &self.pairs[k..] {
            if !st.can_add(i, j) {
                continue;
            }
            let g = st.value(j) * st.surv[j] * p - st.cost(i);
            if g > self.g_opt[i] {
                self.g_opt[i] = g;
            }
            if g > self.g_tgt[j] {
                self.g_tgt[j] = g;
            }
        }
        // (b) per target.
        let mut by_target = 0.0;
        for &j in &self.targets {
            let g = self.g_tgt[j];
            if g > 0.0 {
                let room = pb.targets()[j].max_shots.saturating_sub(st.shots[j].len() as u32);
                by_target += (st.value(j) * st.surv[j]).min(f64::from(room) * g);
            }
        }
        // (a) per option, best shots first under the launcher and radar caps (a laminar
        // family: taking the best first is optimal).
        let mut items: Vec<(f64, u32, usize, usize)> = Vec::new(); // (g, count, launcher, radar)
        for &i in &self.options {
            let g = self.g_opt[i];
            if let Some(r) = pb.radar_of[i].filter(|_| g > 0.0) {
                let l = pb.options()[i].launcher;
                items.push((g, st.option_left[i].min(st.launcher_left[l]), l, r as usize));
            }
        }
        items.sort_by(|a, b| b.0.total_cmp(&a.0));
        let mut by_option = 0.0;
        let mut used: Vec<(usize, u32, usize, u32)> = Vec::new(); // launcher, used; radar, used
        for &(g, n, l, r) in &items {
            let lu = used.iter().filter(|u| u.0 == l).map(|u| u.1).sum::<u32>();
            let ru = used.iter().filter(|u| u.2 == r).map(|u| u.3).sum::<u32>();
            let n = n.min(st.launcher_left[l].saturating_sub(lu)).min(st.guided_left[r].saturating_sub(ru));
            used.push((l, n, r, n));
            by_option += g * f64::from(n);
        }
        by_target.min(by_option)
    }
}
