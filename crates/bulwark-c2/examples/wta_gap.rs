//! Gap of the heuristics to the exact optimum on seeded random small instances
//! (`RandomWtaSpec::small`: binding stock, launch, salvo, channel and guided limits).
//! Gap = (F_heuristic − F*) / F*, F* from branch and bound (instances where it hit its node
//! limit are counted, not used). Run: `cargo run -p bulwark-c2 --example wta_gap --release`.
use bulwark_c2::wta::{BranchAndBound, MaxMarginalReturn, RandomWtaSpec, WtaSolver};

fn main() {
    let greedy = MaxMarginalReturn::greedy_only();
    let search = MaxMarginalReturn::default();
    let no_chain = MaxMarginalReturn { chain_nodes: 0, ..MaxMarginalReturn::default() };
    let exact = BranchAndBound { max_nodes: 5_000_000, warm_start: true };
    println!(
        "| targets × launchers | instances | proven optimal | greedy: mean / max gap % | + local search | + chain moves (default) | default finds optimum | mean B&B nodes |"
    );
    println!("|---|---|---|---|---|---|---|---|");
    for (targets, launchers, n) in [(3, 2, 200u64), (4, 3, 200), (6, 4, 200), (8, 5, 200), (10, 6, 200), (12, 8, 40)] {
        let spec = RandomWtaSpec::small(targets, launchers);
        let (mut proven, mut nodes) = (0u64, 0u64);
        let (mut g_sum, mut g_max, mut h_sum, mut h_max, mut h_opt) = (0.0f64, 0.0f64, 0.0f64, 0.0f64, 0u64);
        let (mut l_sum, mut l_max) = (0.0f64, 0.0f64);
        for seed in 0..n {
            let Ok(pb) = spec.generate(seed) else { continue };
            let best = exact.solve(&pb);
            nodes += best.stats.nodes;
            if !best.stats.proven_optimal {
                continue;
            }
            proven += 1;
            let gap = |f: f64| 100.0 * (f - best.objective) / best.objective.max(1e-12);
            let (g, h) = (gap(greedy.solve(&pb).objective), gap(search.solve(&pb).objective));
            let l = gap(no_chain.solve(&pb).objective);
            l_sum += l;
            l_max = l_max.max(l);
            g_sum += g;
            g_max = g_max.max(g);
            h_sum += h;
            h_max = h_max.max(h);
            if h < 1e-7 {
                h_opt += 1;
            }
        }
        let m = proven.max(1) as f64;
        println!(
            "| {targets} × {launchers} | {n} | {proven} | {:.3} / {:.2} | {:.3} / {:.2} | {:.3} / {:.2} | {:.1} % | {:.0} |",
            g_sum / m,
            g_max,
            l_sum / m,
            l_max,
            h_sum / m,
            h_max,
            100.0 * h_opt as f64 / m,
            nodes as f64 / n as f64
        );
    }
}
