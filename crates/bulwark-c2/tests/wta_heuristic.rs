//! Greedy maximum marginal return and its local search: analytic optimum with identical
//! weapons, constraint satisfaction on large random instances, gap to the exact optimum,
//! input validation.
use bulwark_c2::wta::{
    AutoWta, BranchAndBound, MaxMarginalReturn, RandomWtaSpec, WtaError, WtaLauncher, WtaOption, WtaProblem, WtaRadar,
    WtaShot, WtaSolver, WtaTarget, radar_within,
};
use bulwark_core::Vec3;
use proptest::prelude::*;
use std::collections::BTreeSet;

const GREEDY_ONLY: MaxMarginalReturn = MaxMarginalReturn::greedy_only();

/// `weapons` identical options (one missile each, same p at a target for every weapon),
/// no channel, guided or salvo limit that binds.
fn identical_weapons(values: &[f64], pk: &[f64], weapons: usize) -> WtaProblem {
    let targets = values.iter().map(|&value| WtaTarget { value, max_shots: u32::MAX }).collect();
    let radars = vec![WtaRadar { channels: u32::MAX, guided: u32::MAX }];
    let launchers = (0..weapons).map(|_| WtaLauncher { radar: Some(0), ready: true, max_shots: 1 }).collect();
    let options = (0..weapons)
        .map(|l| WtaOption { launcher: l, stock: 1, cost: 0.0, pk: pk.iter().copied().enumerate().collect() })
        .collect();
    WtaProblem::new(targets, radars, launchers, options).unwrap()
}

#[test]
fn greedy_spreads_identical_weapons_evenly_over_identical_targets() {
    // N targets of value V, W weapons of kill probability p: by convexity of (1 − p)^n the
    // optimum spreads them evenly, k = ⌊W/N⌋ on N − r targets and k + 1 on r = W mod N:
    // F* = V[(N − r)(1 − p)^k + r(1 − p)^(k+1)] (den Broeder, Ellison & Emerling 1959).
    for (n, w, p) in [(5usize, 12usize, 0.6), (7, 3, 0.35), (4, 4, 0.9), (3, 10, 0.5)] {
        let pb = identical_weapons(&vec![4.0; n], &vec![p; n], w);
        let sol = GREEDY_ONLY.solve(&pb);
        let (k, r) = ((w / n) as i32, (w % n) as f64);
        let closed = 4.0 * ((n as f64 - r) * (1.0 - p).powi(k) + r * (1.0 - p).powi(k + 1));
        assert!((sol.objective - closed).abs() < 1e-12, "N={n} W={w}: {} vs {closed}", sol.objective);
    }
}

/// min Σ_j V_j (1 − p_j)^n_j over Σ n_j ≤ W by dynamic programming over targets.
fn dp_optimum(values: &[f64], pk: &[f64], w: usize) -> f64 {
    let mut best = vec![0.0f64; w + 1]; // best[k]: min over the targets so far using ≤ k weapons
    for (v, p) in values.iter().zip(pk) {
        let prev = best.clone();
        for k in 0..=w {
            best[k] = (0..=k).map(|n| prev[k - n] + v * (1.0 - p).powi(n as i32)).fold(f64::INFINITY, f64::min);
        }
    }
    best[w]
}

#[test]
fn greedy_is_optimal_with_identical_weapons() {
    // Weapons identical (p depends on the target only): maximum marginal return is optimal
    // (den Broeder et al. 1959); oracle: dynamic programming over the number per target.
    for seed in 0..50u64 {
        let mut rng = bulwark_core::RngStreams::new(seed, 0).stream(1, bulwark_core::StreamPurpose::Scenario);
        let n = 2 + (seed % 6) as usize;
        let w = 1 + (seed % 11) as usize;
        let values: Vec<f64> = (0..n).map(|_| rng.uniform_range(1.0, 10.0)).collect();
        let pk: Vec<f64> = (0..n).map(|_| rng.uniform_range(0.1, 0.95)).collect();
        let sol = GREEDY_ONLY.solve(&identical_weapons(&values, &pk, w));
        let dp = dp_optimum(&values, &pk, w);
        assert!((sol.objective - dp).abs() < 1e-9, "seed {seed}: greedy {} vs DP {dp}", sol.objective);
    }
}

/// Every constraint, checked from the raw inputs.
fn satisfies_constraints(pb: &WtaProblem, shots: &[WtaShot]) -> Result<(), String> {
    let mut per_option = vec![0u32; pb.options().len()];
    let mut per_launcher = vec![0u32; pb.launchers().len()];
    let mut per_target = vec![0u32; pb.targets().len()];
    let mut guided = vec![0u32; pb.radars().len()];
    let mut engaged = BTreeSet::new();
    for s in shots {
        let o = &pb.options()[s.option];
        let w = &pb.launchers()[o.launcher];
        let p = o.pk.iter().find(|e| e.0 == s.target).map_or(0.0, |e| e.1);
        if p <= 0.0 || !w.ready {
            return Err(format!("{s:?}: not engageable or launcher not ready"));
        }
        let r = w.radar.ok_or(format!("{s:?}: launcher without radar fires"))?;
        per_option[s.option] += s.count;
        per_launcher[o.launcher] += s.count;
        per_target[s.target] += s.count;
        guided[r] += s.count;
        engaged.insert((r, s.target));
    }
    for (i, o) in pb.options().iter().enumerate() {
        if per_option[i] > o.stock {
            return Err(format!("option {i} over stock"));
        }
    }
    for (l, w) in pb.launchers().iter().enumerate() {
        if per_launcher[l] > w.max_shots {
            return Err(format!("launcher {l} over its launches"));
        }
    }
    for (j, t) in pb.targets().iter().enumerate() {
        if per_target[j] > t.max_shots {
            return Err(format!("target {j} over salvo cap"));
        }
    }
    for (r, radar) in pb.radars().iter().enumerate() {
        if guided[r] > radar.guided {
            return Err(format!("radar {r} over guided missiles"));
        }
        if engaged.iter().filter(|e| e.0 == r).count() as u32 > radar.channels {
            return Err(format!("radar {r} over fire channels"));
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]
    #[test]
    fn heuristic_respects_every_constraint_on_large_instances(
        seed in any::<u64>(), targets in 20usize..400, launchers in 2usize..60,
        tight in any::<bool>(),
    ) {
        let mut spec = RandomWtaSpec::large(targets, launchers);
        if tight {
            spec.channels = (1, 6);
            spec.guided = (2, 10);
            spec.salvo = (1, 2);
        }
        let pb = spec.generate(seed).unwrap();
        let greedy = GREEDY_ONLY.solve(&pb);
        let sol = MaxMarginalReturn::default().solve(&pb);
        prop_assert_eq!(satisfies_constraints(&pb, &greedy.shots), Ok(()));
        prop_assert_eq!(satisfies_constraints(&pb, &sol.shots), Ok(()));
        prop_assert_eq!(pb.check(&sol.shots), Ok(()));
        // The reported objective is that of the shots, and the search never makes it worse.
        let mut f: f64 = sol.shots.iter().map(|s| pb.options()[s.option].cost * f64::from(s.count)).sum();
        for (j, t) in pb.targets().iter().enumerate() {
            let surv: f64 = sol.shots.iter().filter(|s| s.target == j)
                .map(|s| (1.0 - pb.pk(s.option, j)).powi(s.count as i32)).product();
            f += t.value * surv;
        }
        prop_assert!((f - sol.objective).abs() < 1e-9 * pb.total_value());
        prop_assert!(sol.objective <= greedy.objective + 1e-9 * pb.total_value());
        prop_assert!(sol.objective <= pb.total_value());
    }
}

#[test]
fn heuristic_gap_to_the_exact_optimum_is_small() {
    // Gap (F_heuristic − F*) / F* on 300 small random instances; the table for several
    // sizes is printed by `cargo run -p bulwark-c2 --example wta_gap --release`.
    let (mut sum, mut max, mut greedy_sum) = (0.0f64, 0.0f64, 0.0f64);
    let n = 300;
    for seed in 0..n {
        let pb = RandomWtaSpec::small(6, 4).generate(1000 + seed).unwrap();
        let exact = BranchAndBound::default().solve(&pb);
        assert!(exact.stats.proven_optimal);
        let gap = |f: f64| (f - exact.objective) / exact.objective.max(1e-12);
        let g = gap(MaxMarginalReturn::default().solve(&pb).objective);
        assert!(g > -1e-9, "seed {seed}: heuristic below the optimum");
        sum += g;
        max = max.max(g);
        greedy_sum += gap(GREEDY_ONLY.solve(&pb).objective);
    }
    let (mean, greedy_mean) = (sum / n as f64, greedy_sum / n as f64);
    assert!(mean < 0.01, "mean gap {:.3} %", 100.0 * mean);
    assert!(max < 0.15, "max gap {:.3} %", 100.0 * max);
    assert!(mean <= greedy_mean, "local search worse than greedy on average");
}

#[test]
fn cost_prefers_the_cheap_type_and_withholds_wasted_shots() {
    let targets = vec![WtaTarget { value: 10.0, max_shots: 1 }, WtaTarget { value: 0.1, max_shots: 1 }];
    let radars = vec![WtaRadar { channels: 4, guided: 4 }];
    let launchers = vec![WtaLauncher { radar: Some(0), ready: true, max_shots: 4 }];
    let opt = |cost| WtaOption { launcher: 0, stock: 2, cost, pk: vec![(0, 0.8), (1, 0.8)] };
    let pb = WtaProblem::new(targets, radars, launchers, vec![opt(0.5), opt(0.2)]).unwrap();
    for sol in [MaxMarginalReturn::default().solve(&pb), BranchAndBound::default().solve(&pb)] {
        // Target 1 is worth 0.08 killed, less than either shot costs: left alone.
        assert_eq!(sol.shots, vec![WtaShot { target: 0, option: 1, count: 1 }]);
        assert!((sol.objective - (10.0 * 0.2 + 0.1 + 0.2)).abs() < 1e-12);
    }
}

#[test]
fn reloading_or_unlinked_launchers_and_full_radars_do_not_fire() {
    let targets = vec![WtaTarget { value: 5.0, max_shots: 2 }; 3];
    let radars = vec![WtaRadar { channels: 1, guided: 8 }, WtaRadar { channels: 0, guided: 8 }];
    let launchers = vec![
        WtaLauncher { radar: Some(0), ready: false, max_shots: 4 },
        WtaLauncher { radar: None, ready: true, max_shots: 4 },
        WtaLauncher { radar: Some(1), ready: true, max_shots: 4 },
        WtaLauncher { radar: Some(0), ready: true, max_shots: 4 },
    ];
    let all = vec![(0, 0.7), (1, 0.7), (2, 0.7)];
    let options = (0..4).map(|l| WtaOption { launcher: l, stock: 4, cost: 0.0, pk: all.clone() }).collect();
    let pb = WtaProblem::new(targets, radars, launchers, options).unwrap();
    for sol in [MaxMarginalReturn::default().solve(&pb), AutoWta::default().solve(&pb)] {
        // Only launcher 3 may fire, through radar 0's single channel: one target, two shots.
        assert_eq!(sol.shots.len(), 1);
        assert_eq!((sol.shots[0].option, sol.shots[0].count), (3, 2));
    }
}

#[test]
fn invalid_inputs_are_clear_errors() {
    let t = || vec![WtaTarget { value: 1.0, max_shots: 2 }];
    let r = || vec![WtaRadar { channels: 1, guided: 1 }];
    let l = || vec![WtaLauncher { radar: Some(0), ready: true, max_shots: 1 }];
    let o = |launcher, cost, pk: Vec<(usize, f64)>| vec![WtaOption { launcher, stock: 1, cost, pk }];
    let bad_value = vec![WtaTarget { value: f64::NAN, max_shots: 1 }];
    assert!(matches!(WtaProblem::new(bad_value, r(), l(), vec![]), Err(WtaError::TargetValue { target: 0, .. })));
    let bad_radar = vec![WtaLauncher { radar: Some(3), ready: true, max_shots: 1 }];
    assert_eq!(WtaProblem::new(t(), r(), bad_radar, vec![]), Err(WtaError::UnknownRadar { launcher: 0, radar: 3 }));
    assert_eq!(
        WtaProblem::new(t(), r(), l(), o(2, 0.0, vec![])),
        Err(WtaError::UnknownLauncher { option: 0, launcher: 2 })
    );
    assert_eq!(
        WtaProblem::new(t(), r(), l(), o(0, 0.0, vec![(1, 0.5)])),
        Err(WtaError::UnknownTarget { option: 0, target: 1 })
    );
    let e = WtaProblem::new(t(), r(), l(), o(0, 0.0, vec![(0, 1.5)])).unwrap_err();
    assert!(matches!(e, WtaError::KillProbability { option: 0, target: 0, .. }));
    assert!(e.to_string().contains("[0, 1]"));
    assert_eq!(
        WtaProblem::new(t(), r(), l(), o(0, 0.0, vec![(0, 0.5), (0, 0.6)])),
        Err(WtaError::DuplicateTarget { option: 0, target: 0 })
    );
    assert!(matches!(WtaProblem::new(t(), r(), l(), o(0, -1.0, vec![])), Err(WtaError::Cost { option: 0, .. })));
    // An empty problem solves to nothing.
    let empty = WtaProblem::new(vec![], vec![], vec![], vec![]).unwrap();
    assert!(AutoWta::default().solve(&empty).shots.is_empty());
}

#[test]
fn radar_link_is_the_nearest_radar_within_the_distance_limit() {
    let radars = [Vec3::new(0.0, 0.0, 0.0), Vec3::new(30_000.0, 0.0, 0.0)];
    assert_eq!(radar_within(&Vec3::new(20_000.0, 0.0, 0.0), &radars, 25_000.0), Some(1));
    assert_eq!(radar_within(&Vec3::new(-20_000.0, 0.0, 0.0), &radars, 25_000.0), Some(0));
    assert_eq!(radar_within(&Vec3::new(0.0, 40_000.0, 0.0), &radars, 25_000.0), None);
}
