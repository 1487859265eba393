//! The exact branch and bound equals exhaustive enumeration, written here independently of
//! the solver (its own constraint check and objective from the raw inputs), on 200 seeded
//! random tiny instances with binding stock, launch, salvo, channel and guided limits,
//! reloading launchers and launchers out of radar range.
use bulwark_c2::wta::{BranchAndBound, MaxMarginalReturn, RandomWtaSpec, WtaProblem, WtaShot, WtaSolver};
use std::collections::BTreeSet;

/// Objective and feasibility of a dense x[i][j], from the raw problem inputs only.
fn brute_objective(pb: &WtaProblem, x: &[Vec<u32>]) -> Option<f64> {
    let (targets, radars, launchers, options) = (pb.targets(), pb.radars(), pb.launchers(), pb.options());
    let mut launched = vec![0u32; launchers.len()];
    let mut guided = vec![0u32; radars.len()];
    let mut engaged = BTreeSet::new();
    for (i, row) in x.iter().enumerate() {
        let n: u32 = row.iter().sum();
        if n > options[i].stock {
            return None;
        }
        let l = options[i].launcher;
        launched[l] += n;
        if n > 0 {
            let r = launchers[l].radar?;
            if !launchers[l].ready {
                return None;
            }
            guided[r] += n;
            for (j, &c) in row.iter().enumerate() {
                if c > 0 {
                    engaged.insert((r, j));
                }
            }
        }
    }
    if launched.iter().zip(launchers).any(|(&n, w)| n > w.max_shots) {
        return None;
    }
    for (r, radar) in radars.iter().enumerate() {
        if guided[r] > radar.guided || engaged.iter().filter(|e| e.0 == r).count() as u32 > radar.channels {
            return None;
        }
    }
    let mut f = 0.0;
    for (j, t) in targets.iter().enumerate() {
        let shots: u32 = x.iter().map(|row| row[j]).sum();
        if shots > t.max_shots {
            return None;
        }
        let mut surv = 1.0;
        for (i, row) in x.iter().enumerate() {
            let p = options[i].pk.iter().find(|e| e.0 == j).map_or(0.0, |e| e.1);
            if row[j] > 0 && p <= 0.0 {
                return None;
            }
            surv *= (1.0 - p).powi(row[j] as i32);
            f += options[i].cost * f64::from(row[j]);
        }
        f += t.value * surv;
    }
    Some(f)
}

/// Minimum of F over every x with Σ_j x_ij ≤ stock_i.
fn brute_force(pb: &WtaProblem) -> f64 {
    fn rec(pb: &WtaProblem, x: &mut Vec<Vec<u32>>, k: usize, best: &mut f64) {
        let nt = pb.targets().len();
        if k == pb.options().len() * nt {
            if let Some(f) = brute_objective(pb, x) {
                *best = best.min(f);
            }
            return;
        }
        let (i, j) = (k / nt, k % nt);
        let used: u32 = x[i].iter().sum();
        for c in 0..=pb.options()[i].stock - used {
            x[i][j] = c;
            rec(pb, x, k + 1, best);
        }
        x[i][j] = 0;
    }
    let mut x = vec![vec![0u32; pb.targets().len()]; pb.options().len()];
    let mut best = f64::INFINITY;
    rec(pb, &mut x, 0, &mut best);
    best
}

fn dense(pb: &WtaProblem, shots: &[WtaShot]) -> Vec<Vec<u32>> {
    let mut x = vec![vec![0u32; pb.targets().len()]; pb.options().len()];
    for s in shots {
        x[s.option][s.target] += s.count;
    }
    x
}

#[test]
fn branch_and_bound_equals_brute_force_on_200_random_instances() {
    let mut greedy_suboptimal = 0;
    for seed in 0..200u64 {
        let targets = 1 + (seed % 4) as usize;
        let launchers = 1 + ((seed / 4) % 3) as usize;
        let pb = RandomWtaSpec::small(targets, launchers).generate(seed).unwrap();
        let exact = BranchAndBound::default().solve(&pb);
        let cold = BranchAndBound { warm_start: false, ..BranchAndBound::default() }.solve(&pb);
        let truth = brute_force(&pb);
        let tol = 1e-9 * (1.0 + pb.total_value());
        assert!(exact.stats.proven_optimal, "seed {seed}: node limit hit");
        assert!((exact.objective - truth).abs() < tol, "seed {seed}: B&B {} vs brute force {truth}", exact.objective);
        // Without the heuristic's incumbent the search alone finds the optimum.
        assert!(cold.stats.proven_optimal && (cold.objective - truth).abs() < tol, "seed {seed}: cold B&B");
        let own = brute_objective(&pb, &dense(&pb, &exact.shots));
        assert!(own.is_some_and(|f| (f - exact.objective).abs() < tol), "seed {seed}: reported {own:?}");
        assert_eq!(pb.check(&exact.shots), Ok(()));
        let greedy = MaxMarginalReturn::greedy_only().solve(&pb);
        assert!(greedy.objective >= truth - tol, "seed {seed}: greedy below the optimum");
        if greedy.objective > truth + tol {
            greedy_suboptimal += 1;
        }
    }
    // The instances are hard enough that the constraints matter (the greedy is not optimal).
    assert!(greedy_suboptimal > 0, "no instance where B&B beat the greedy");
}

#[test]
fn node_limit_is_reported_as_not_proven() {
    let pb = RandomWtaSpec::small(8, 6).generate(7).unwrap();
    let capped = BranchAndBound { max_nodes: 3, warm_start: false }.solve(&pb);
    assert!(!capped.stats.proven_optimal);
    assert_eq!(pb.check(&capped.shots), Ok(()));
    let full = BranchAndBound::default().solve(&pb);
    assert!(full.stats.proven_optimal);
    assert!(full.objective <= capped.objective + 1e-12);
}
