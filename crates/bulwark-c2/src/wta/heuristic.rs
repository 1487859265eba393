//! Greedy maximum marginal return and a shot-level local search.
use super::exact::Search;
use super::state::State;
use super::{WtaSolution, WtaSolver, WtaStats};
use crate::wta::problem::WtaProblem;
use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// Greedy maximum marginal return (den Broeder, Ellison & Emerling, *Oper. Res.* 7(3),
/// 1959) followed by a local search.
///
/// Greedy: repeatedly fire the feasible shot (i, j) of largest marginal return
/// V_j·S_j·p_ij − c_i, where S_j = Π (1 − p) over the shots already at j, until none is
/// positive. The return of a shot only falls as shots are added (the destroyed value is
/// submodular), so a lazy priority queue holds one entry per target, keyed by its best
/// option's return, and re-scores an entry only when it reaches the top.
/// With identical weapons and no side constraints this greedy is optimal (den Broeder et al.).
///
/// Local search (first improvement, exact change of F on the targets touched):
/// drop a shot; move a shot to another target; give a shot's target to another option and
/// fire the freed missile at its best other target; swap the targets of two shots of
/// different options (the 2-exchange of Ahuja, Kumar, Jha & Orlin, *Oper. Res.* 55(6),
/// 2007, §4); when a shot holds a radar's last guided missile, launch or fire channel, give
/// it to another option of that radar at another target; re-point a full radar's fire
/// channel (all its shots at one target) to a target it does not engage; then greedy fill
/// again. When none of these improves, chain moves: for each shot (i, j), the target j₂
/// where option i would return most, the target j₃ where a shot now at j₂ would return
/// most, and the target j₀ of a shot whose option has the highest p at j; all shots at
/// {j₀, j, j₂, j₃} are removed and those targets re-assigned exactly by branch and bound
/// with what capacity is left (ejection chains / cyclic exchanges as in Ahuja et al.'s very
/// large-scale neighbourhood, searched exactly over four targets).
/// Until no move improves or `max_passes` is reached.
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct MaxMarginalReturn {
    /// Run the local search after the greedy.
    pub improve: bool,
    /// Most local-search passes (each pass tries every shot once).
    pub max_passes: u32,
    /// Branch-and-bound nodes per chain re-optimisation (0: no chain moves).
    pub chain_nodes: u64,
}

impl MaxMarginalReturn {
    /// The greedy alone, without local search.
    pub const fn greedy_only() -> Self {
        MaxMarginalReturn { improve: false, max_passes: 0, chain_nodes: 0 }
    }
}

impl Default for MaxMarginalReturn {
    fn default() -> Self {
        MaxMarginalReturn { improve: true, max_passes: 100, chain_nodes: 2_000 }
    }
}

impl WtaSolver for MaxMarginalReturn {
    fn solve(&self, problem: &WtaProblem) -> WtaSolution {
        let mut st = State::new(problem);
        let eps = tolerance(problem);
        let mut stats = WtaStats { greedy_shots: fill(&mut st, eps), ..WtaStats::default() };
        if self.improve {
            while stats.passes < self.max_passes {
                stats.passes += 1;
                let mut moves = improve_pass(&mut st, eps);
                stats.greedy_shots += fill(&mut st, eps);
                if moves == 0 && self.chain_nodes > 0 {
                    moves = chain_pass(&mut st, eps, self.chain_nodes);
                    stats.greedy_shots += fill(&mut st, eps);
                }
                stats.improving_moves += moves;
                if moves == 0 {
                    break;
                }
            }
        }
        WtaSolution::from_state(&st, stats)
    }
}

/// Changes of F smaller than this are treated as no change (value units).
pub(crate) fn tolerance(problem: &WtaProblem) -> f64 {
    1e-12 * (1.0 + problem.total_value())
}

#[derive(Copy, Clone, PartialEq)]
struct Entry {
    gain: f64,
    option: u32,
    target: u32,
}

impl Eq for Entry {}
impl Ord for Entry {
    fn cmp(&self, other: &Self) -> Ordering {
        // Largest gain first; ties to the lower option, then the lower target (determinism).
        self.gain
            .total_cmp(&other.gain)
            .then_with(|| other.option.cmp(&self.option))
            .then_with(|| other.target.cmp(&self.target))
    }
}
impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// The feasible option of largest marginal return at target `j`: (return, option).
fn best_option(st: &State<'_>, j: usize) -> Option<(f64, u32)> {
    if st.shots[j].len() as u32 >= st.pb.targets()[j].max_shots {
        return None;
    }
    let vs = st.value(j) * st.surv[j];
    let mut best: Option<(f64, u32)> = None;
    for &(i, p) in &st.pb.by_target[j] {
        let g = vs * p - st.cost(i as usize);
        if best.is_none_or(|b| g > b.0) && st.can_add(i as usize, j) {
            best = Some((g, i));
        }
    }
    best
}

/// Greedy maximum marginal return from the current state; returns the shots added.
///
/// One queue entry per target, keyed by the return of its best feasible option. Returns
/// only fall as shots are added (S_j falls; capacities only shrink, and a radar out of
/// channels can never take a new target), so a key is an upper bound on its target's
/// current best return: an entry whose recomputed best equals its key is the global best.
pub(crate) fn fill(st: &mut State<'_>, eps: f64) -> u32 {
    let mut entries = Vec::new();
    for j in 0..st.shots.len() {
        if let Some((gain, option)) = best_option(st, j).filter(|b| b.0 > eps) {
            entries.push(Entry { gain, option, target: j as u32 });
        }
    }
    let mut heap = BinaryHeap::from(entries);
    let mut added = 0;
    while let Some(e) = heap.pop() {
        let j = e.target as usize;
        let Some((gain, option)) = best_option(st, j).filter(|b| b.0 > eps) else { continue };
        if gain == e.gain && option == e.option {
            let i = option as usize;
            st.add(i, j, st.pb.pk(i, j));
            added += 1;
            match best_option(st, j).filter(|b| b.0 > eps) {
                Some((gain, option)) => heap.push(Entry { gain, option, target: e.target }),
                None => continue,
            }
        } else {
            heap.push(Entry { gain, option, target: e.target });
        }
    }
    added
}

/// F restricted to the targets in `js`: Σ V_j S_j + cost of the shots at j.
fn local_f(st: &State<'_>, js: &[usize]) -> f64 {
    let mut f = 0.0;
    for (k, &j) in js.iter().enumerate() {
        if js[..k].contains(&j) {
            continue;
        }
        f += st.value(j) * st.surv[j] + st.shots[j].iter().map(|e| st.cost(e.0 as usize)).sum::<f64>();
    }
    f
}

/// One operation of a tentative move.
#[derive(Copy, Clone)]
enum Op {
    Add(usize, usize),
    Remove(usize, usize),
}

/// Apply `ops` in order, each add checked for feasibility; keep them if F over `js` falls
/// by more than `eps`, otherwise undo everything. Returns whether the move was kept.
fn try_move(st: &mut State<'_>, ops: &[Op], js: &[usize], eps: f64) -> bool {
    let before = local_f(st, js);
    let mut done = 0;
    let mut ok = true;
    for op in ops {
        match *op {
            Op::Remove(i, j) => st.remove(i, j),
            Op::Add(i, j) => {
                if !st.can_add(i, j) {
                    ok = false;
                    break;
                }
                st.add(i, j, st.pb.pk(i, j));
            }
        }
        done += 1;
    }
    if ok && local_f(st, js) < before - eps {
        return true;
    }
    for op in ops[..done].iter().rev() {
        match *op {
            Op::Remove(i, j) => st.add(i, j, st.pb.pk(i, j)),
            Op::Add(i, j) => st.remove(i, j),
        }
    }
    false
}

/// The two best (V·S·p, target) of an option over targets with salvo room.
type Top2 = [Option<(f64, usize)>; 2];

/// Best (V·S·p, target) of option `i` at a target other than `j` with salvo room, from the
/// per-option cache `top` (filled on first use).
fn best_other(st: &State<'_>, top: &mut [Option<Top2>], i: usize, j: usize) -> Option<(f64, usize)> {
    let t = *top[i].get_or_insert_with(|| {
        let mut t: Top2 = [None, None];
        for &(jp, p) in &st.pb.by_option[i] {
            let jp = jp as usize;
            if st.shots[jp].len() as u32 >= st.pb.targets()[jp].max_shots {
                continue;
            }
            let g = st.value(jp) * st.surv[jp] * p;
            if t[0].is_none_or(|b| g > b.0) {
                t[1] = t[0];
                t[0] = Some((g, jp));
            } else if t[1].is_none_or(|b| g > b.0) {
                t[1] = Some((g, jp));
            }
        }
        t
    });
    t.into_iter().flatten().find(|e| e.1 != j)
}

/// One pass of the local search over every shot; returns the improving moves made.
fn improve_pass(st: &mut State<'_>, eps: f64) -> u32 {
    let pb = st.pb;
    let snapshot: Vec<(usize, usize)> =
        (0..st.shots.len()).flat_map(|j| st.shots[j].iter().map(move |e| (e.0 as usize, j))).collect();
    let mut moves = 0;
    // Per option, its two best targets with salvo room by V·S·p (cleared after every move).
    let mut top: Vec<Option<Top2>> = vec![None; pb.options().len()];
    let mut cached_at = 0;
    for (a, &(i, j)) in snapshot.iter().enumerate() {
        if !st.shots[j].iter().any(|e| e.0 as usize == i) {
            continue;
        }
        if moves != cached_at {
            top.iter_mut().for_each(|t| *t = None);
            cached_at = moves;
        }
        let vj = st.value(j);
        let s_wo = st.surv_without(j, i as u32);
        let loss = vj * (s_wo - st.surv[j]);
        let ci = st.cost(i);
        // Drop.
        if loss - ci < -eps && try_move(st, &[Op::Remove(i, j)], &[j], eps) {
            moves += 1;
            continue;
        }
        // Move to the best other target (cost unchanged); also the freed missile's best reuse.
        let best_move = best_other(st, &mut top, i, j);
        let moved = best_move
            .filter(|b| loss - b.0 < -eps)
            .is_some_and(|(_, jp)| try_move(st, &[Op::Remove(i, j), Op::Add(i, jp)], &[j, jp], eps));
        if moved {
            moves += 1;
            continue;
        }
        // Substitute another option at j, and refire the freed missile of i at its best other target.
        let reuse = best_move.map_or(0.0, |b| (b.0 - ci).max(0.0));
        let mut best_sub: Option<(f64, usize)> = None;
        for &(ip, pp) in &pb.by_target[j] {
            let ip = ip as usize;
            if ip == i || st.option_left[ip] == 0 {
                continue;
            }
            let d = vj * (s_wo * (1.0 - pp) - st.surv[j]) + st.cost(ip) - ci - reuse;
            if best_sub.is_none_or(|b| d < b.0) {
                best_sub = Some((d, ip));
            }
        }
        if let Some((_, ip)) = best_sub.filter(|b| b.0 < -eps) {
            let kept = match best_move {
                Some((g, jp)) if g - ci > eps => {
                    try_move(st, &[Op::Remove(i, j), Op::Add(ip, j), Op::Add(i, jp)], &[j, jp], eps)
                }
                _ => false,
            };
            if kept || try_move(st, &[Op::Remove(i, j), Op::Add(ip, j)], &[j], eps) {
                moves += 1;
                continue;
            }
        }
        // Exchange: when the shot holds a capacity its radar or launcher has run out of, give
        // it to the best shot of another option of that radar at another target.
        if let Some(r) = pb.radar_of[i].map(|r| r as usize) {
            let l = pb.options()[i].launcher;
            let frees_channel = st.channels_left[r] == 0
                && st.shots[j].iter().filter(|e| pb.radar_of[e.0 as usize] == Some(r as u32)).count() == 1;
            if st.guided_left[r] == 0 || st.launcher_left[l] == 0 || frees_channel {
                let mut best: Option<(f64, usize, usize)> = None;
                for &ip in &pb.options_of_radar[r] {
                    let ip = ip as usize;
                    if ip == i || st.option_left[ip] == 0 {
                        continue;
                    }
                    if let Some((g, jp)) = best_other(st, &mut top, ip, j) {
                        let d = loss - ci - (g - st.cost(ip));
                        if best.is_none_or(|b| d < b.0) {
                            best = Some((d, ip, jp));
                        }
                    }
                }
                let moved = best
                    .filter(|b| b.0 < -eps)
                    .is_some_and(|(_, ip, jp)| try_move(st, &[Op::Remove(i, j), Op::Add(ip, jp)], &[j, jp], eps));
                if moved {
                    moves += 1;
                    continue;
                }
            }
        }
        // Swap targets with a later shot of another option.
        for &(ib, jb) in &snapshot[a + 1..] {
            if ib == i || jb == j {
                continue;
            }
            let (p_ib_j, p_i_jb) = (pb.pk(ib, j), pb.pk(i, jb));
            if p_ib_j <= 0.0 || p_i_jb <= 0.0 || !st.shots[jb].iter().any(|e| e.0 as usize == ib) {
                continue;
            }
            let s_wo_b = st.surv_without(jb, ib as u32);
            let d = vj * (s_wo * (1.0 - p_ib_j) - st.surv[j]) + st.value(jb) * (s_wo_b * (1.0 - p_i_jb) - st.surv[jb]);
            if d < -eps
                && try_move(st, &[Op::Remove(i, j), Op::Remove(ib, jb), Op::Add(i, jb), Op::Add(ib, j)], &[j, jb], eps)
            {
                moves += 1;
                break;
            }
        }
    }
    moves + channel_pass(st, eps)
}

/// Move every shot a radar with no free channel has at one target to another target it
/// does not engage yet (a fire channel re-pointed), when that lowers F.
fn channel_pass(st: &mut State<'_>, eps: f64) -> u32 {
    let pb = st.pb;
    let mut moves = 0;
    for r in 0..pb.radars().len() {
        if st.channels_left[r] > 0 || pb.options_of_radar[r].is_empty() {
            continue;
        }
        let on_r = |st: &State<'_>, j: usize| -> Vec<usize> {
            st.shots[j].iter().filter(|e| pb.radar_of[e.0 as usize] == Some(r as u32)).map(|e| e.0 as usize).collect()
        };
        let engaged: Vec<usize> = (0..st.shots.len()).filter(|&j| !on_r(st, j).is_empty()).collect();
        for j in engaged {
            let group = on_r(st, j);
            if group.is_empty() {
                continue;
            }
            let rest: f64 =
                st.shots[j].iter().filter(|e| pb.radar_of[e.0 as usize] != Some(r as u32)).map(|e| e.1).product();
            let loss = st.value(j) * (rest - st.surv[j]);
            let mut best: Option<(f64, usize)> = None;
            for &(jp, _) in &pb.by_option[group[0]] {
                let jp = jp as usize;
                if jp == j
                    || (st.shots[jp].len() + group.len()) as u32 > pb.targets()[jp].max_shots
                    || !on_r(st, jp).is_empty()
                {
                    continue;
                }
                let q: f64 = group.iter().map(|&i| 1.0 - pb.pk(i, jp)).product();
                if group.iter().any(|&i| pb.pk(i, jp) <= 0.0) {
                    continue;
                }
                let d = loss + st.value(jp) * st.surv[jp] * (q - 1.0);
                if best.is_none_or(|b| d < b.0) {
                    best = Some((d, jp));
                }
            }
            if let Some((_, jp)) = best.filter(|b| b.0 < -eps) {
                let ops: Vec<Op> =
                    group.iter().map(|&i| Op::Remove(i, j)).chain(group.iter().map(|&i| Op::Add(i, jp))).collect();
                if try_move(st, &ops, &[j, jp], eps) {
                    moves += 1;
                }
            }
        }
    }
    moves
}

/// Best other target for one more shot of option `i`, outside `skip`: (return V·S·p, target).
fn best_target(st: &State<'_>, i: usize, skip: &[usize]) -> Option<(f64, usize)> {
    let mut best: Option<(f64, usize)> = None;
    for &(j, p) in &st.pb.by_option[i] {
        let j = j as usize;
        if skip.contains(&j) {
            continue;
        }
        let g = st.value(j) * st.surv[j] * p;
        if best.is_none_or(|b| g > b.0) {
            best = Some((g, j));
        }
    }
    best
}

/// Chain moves (see [`MaxMarginalReturn`]); returns the improving re-assignments made.
fn chain_pass(st: &mut State<'_>, eps: f64, max_nodes: u64) -> u32 {
    let pb = st.pb;
    let snapshot: Vec<(usize, usize)> =
        (0..st.shots.len()).flat_map(|j| st.shots[j].iter().map(move |e| (e.0 as usize, j))).collect();
    let mut targets_of = vec![Vec::new(); pb.options().len()];
    for &(i, j) in &snapshot {
        targets_of[i].push(j);
    }
    let mut tried = std::collections::BTreeSet::new();
    let mut moves = 0;
    for &(i, j) in &snapshot {
        if !st.shots[j].iter().any(|e| e.0 as usize == i) {
            continue;
        }
        // Where i would go (j₂), who would follow it there (from j₃), and who would take
        // its place at j (from j₀).
        let Some((_, j2)) = best_target(st, i, &[j]) else { continue };
        let mut subset = vec![j, j2];
        let j3 = st.shots[j2]
            .iter()
            .filter_map(|e| best_target(st, e.0 as usize, &subset))
            .max_by(|a, b| a.0.total_cmp(&b.0).then(b.1.cmp(&a.1)));
        let mut j0: Option<(f64, usize)> = None;
        for &(ip, p) in &pb.by_target[j] {
            for &t in &targets_of[ip as usize] {
                if ip as usize != i && !subset.contains(&t) && j0.is_none_or(|b| p > b.0) {
                    j0 = Some((p, t));
                }
            }
        }
        subset.extend(j3.map(|e| e.1));
        subset.extend(j0.map(|e| e.1));
        subset.sort_unstable();
        subset.dedup();
        if !tried.insert(subset.clone()) {
            continue;
        }
        if reoptimise(st, &subset, max_nodes, eps) {
            moves += 1;
        }
    }
    moves
}

/// Remove every shot at `subset` and re-assign those targets exactly with the capacity left;
/// keep the result if it lowers F by more than `eps`, otherwise restore the shots.
fn reoptimise(st: &mut State<'_>, subset: &[usize], max_nodes: u64, eps: f64) -> bool {
    let before = local_f(st, subset);
    let original: Vec<(usize, usize)> =
        subset.iter().flat_map(|&j| st.shots[j].iter().map(move |e| (e.0 as usize, j))).collect();
    for &(i, j) in &original {
        st.remove(i, j);
    }
    let pb = st.pb;
    let mut pairs = Vec::new();
    for &j in subset {
        for &(i, p) in &pb.by_target[j] {
            let i = i as usize;
            if st.value(j) * p - st.cost(i) > eps && st.can_add(i, j) {
                pairs.push((i, j, p));
            }
        }
    }
    pairs.sort_by_key(|e| (e.0, e.1));
    let f0 = local_f(st, subset);
    let mut search = Search::new(st, pairs, subset.to_vec(), before, max_nodes, eps);
    search.run(f0);
    let best = search.best.take();
    let shots = best.as_ref().unwrap_or(&original);
    for &(i, j) in shots {
        if st.can_add(i, j) {
            st.add(i, j, pb.pk(i, j));
        }
    }
    best.is_some()
}
