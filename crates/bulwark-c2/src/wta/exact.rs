//! Exact branch and bound for small problems.
use super::heuristic::{MaxMarginalReturn, tolerance};
use super::problem::{WtaProblem, WtaShot};
use super::state::State;
use super::{WtaSolution, WtaSolver, WtaStats};

/// Depth-first branch and bound over the shot counts x_ij of the engageable pairs, taken in
/// a fixed (option, target) order so that every assignment is reached once; counts are
/// tried from the largest feasible down to 0. The incumbent starts from
/// [`MaxMarginalReturn`].
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
}

impl Default for BranchAndBound {
    fn default() -> Self {
        BranchAndBound { max_nodes: 2_000_000 }
    }
}

struct Search<'a> {
    st: State<'a>,
    pairs: Vec<(usize, usize, f64)>,
    best_f: f64,
    best: Vec<WtaShot>,
    nodes: u64,
    max_nodes: u64,
    aborted: bool,
    eps: f64,
    // Scratch for the bound.
    g_opt: Vec<f64>,
    g_tgt: Vec<f64>,
}

impl WtaSolver for BranchAndBound {
    fn solve(&self, problem: &WtaProblem) -> WtaSolution {
        let start = MaxMarginalReturn::default().solve(problem);
        let mut pairs = Vec::new();
        for (i, list) in problem.by_option.iter().enumerate() {
            if problem.capacity[i] > 0 {
                pairs.extend(list.iter().map(|&(j, p)| (i, j as usize, p)));
            }
        }
        let mut s = Search {
            st: State::new(problem),
            pairs,
            best_f: start.objective,
            best: start.shots.clone(),
            nodes: 0,
            max_nodes: self.max_nodes,
            aborted: false,
            eps: tolerance(problem),
            g_opt: vec![0.0; problem.options().len()],
            g_tgt: vec![0.0; problem.targets().len()],
        };
        let f0 = s.st.objective();
        s.dfs(0, f0);
        let (surviving_value, cost) = problem.evaluate(&s.best);
        let stats = WtaStats { nodes: s.nodes, proven_optimal: !s.aborted, ..start.stats };
        WtaSolution { shots: s.best, objective: surviving_value + cost, surviving_value, cost, stats }
    }
}

impl Search<'_> {
    /// Explore from pair `k` with the current objective `f` (of the state).
    fn dfs(&mut self, k: usize, f: f64) {
        self.nodes += 1;
        if self.nodes > self.max_nodes {
            self.aborted = true;
            return;
        }
        if f < self.best_f - self.eps {
            self.best_f = f;
            self.best = self.st.to_shots();
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
        self.g_opt.iter_mut().for_each(|g| *g = 0.0);
        self.g_tgt.iter_mut().for_each(|g| *g = 0.0);
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
        for (j, &g) in self.g_tgt.iter().enumerate() {
            if g > 0.0 {
                let room = pb.targets()[j].max_shots.saturating_sub(st.shots[j].len() as u32);
                by_target += (st.value(j) * st.surv[j]).min(f64::from(room) * g);
            }
        }
        // (a) per option, best shots first under the launcher and radar caps.
        let mut items: Vec<(f64, u32, usize, u32)> = Vec::new(); // (g, count, launcher, radar)
        for (i, &g) in self.g_opt.iter().enumerate() {
            if g > 0.0 {
                if let Some(r) = pb.radar_of[i] {
                    let l = pb.options()[i].launcher;
                    items.push((g, st.option_left[i].min(st.launcher_left[l]), l, r));
                }
            }
        }
        items.sort_by(|a, b| b.0.total_cmp(&a.0));
        let mut launcher_used = vec![0u32; pb.launchers().len()];
        let mut radar_used = vec![0u32; pb.radars().len()];
        let mut by_option = 0.0;
        for &(g, n, l, r) in &items {
            let r = r as usize;
            let n = n.min(st.launcher_left[l] - launcher_used[l]).min(st.guided_left[r] - radar_used[r]);
            launcher_used[l] += n;
            radar_used[r] += n;
            by_option += g * f64::from(n);
        }
        by_target.min(by_option)
    }
}
