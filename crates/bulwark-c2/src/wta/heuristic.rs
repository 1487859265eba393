//! Greedy maximum marginal return and a shot-level local search.
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
/// submodular), so a lazy priority queue re-scores an entry only when its target changed.
/// With identical weapons and no side constraints this greedy is optimal (den Broeder et al.).
///
/// Local search (first improvement, exact change of F on the two or three targets touched):
/// drop a shot; move a shot to another target; give a shot's target to another option and
/// fire the freed missile at its best other target; swap the targets of two shots of
/// different options (the 2-exchange of Ahuja, Kumar, Jha & Orlin, *Oper. Res.* 55(6),
/// 2007, §4); then greedy fill again; until no move improves or `max_passes` is reached.
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct MaxMarginalReturn {
    /// Run the local search after the greedy.
    pub improve: bool,
    /// Most local-search passes (each pass tries every shot once).
    pub max_passes: u32,
}

impl Default for MaxMarginalReturn {
    fn default() -> Self {
        MaxMarginalReturn { improve: true, max_passes: 100 }
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
                let moves = improve_pass(&mut st, eps);
                stats.improving_moves += moves;
                stats.greedy_shots += fill(&mut st, eps);
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
    version: u32,
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

/// Greedy maximum marginal return from the current state; returns the shots added.
/// A shot infeasible now stays infeasible while shots are only added (capacities only fall;
/// a radar out of channels can never engage a new target), so it is dropped from the queue.
pub(crate) fn fill(st: &mut State<'_>, eps: f64) -> u32 {
    let pb = st.pb;
    let mut entries = Vec::new();
    for (i, list) in pb.by_option.iter().enumerate() {
        if st.option_left[i] == 0 || pb.radar_of[i].is_none() {
            continue;
        }
        let c = st.cost(i);
        for &(j, p) in list {
            let j = j as usize;
            let gain = st.value(j) * st.surv[j] * p - c;
            if gain > eps && st.can_add(i, j) {
                entries.push(Entry { gain, option: i as u32, target: j as u32, version: st.version[j] });
            }
        }
    }
    let mut heap = BinaryHeap::from(entries);
    let mut added = 0;
    while let Some(e) = heap.pop() {
        let (i, j) = (e.option as usize, e.target as usize);
        if !st.can_add(i, j) {
            continue;
        }
        let p = pb.pk(i, j);
        if e.version != st.version[j] {
            let gain = st.value(j) * st.surv[j] * p - st.cost(i);
            if gain > eps {
                heap.push(Entry { gain, version: st.version[j], ..e });
            }
            continue;
        }
        st.add(i, j, p);
        added += 1;
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

/// One pass of the local search over every shot; returns the improving moves made.
fn improve_pass(st: &mut State<'_>, eps: f64) -> u32 {
    let pb = st.pb;
    let snapshot: Vec<(usize, usize)> =
        (0..st.shots.len()).flat_map(|j| st.shots[j].iter().map(move |e| (e.0 as usize, j))).collect();
    let mut moves = 0;
    for (a, &(i, j)) in snapshot.iter().enumerate() {
        if !st.shots[j].iter().any(|e| e.0 as usize == i) {
            continue;
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
        let mut best_move: Option<(f64, usize)> = None;
        for &(jp, p) in &pb.by_option[i] {
            let jp = jp as usize;
            if jp == j || st.shots[jp].len() as u32 >= pb.targets()[jp].max_shots {
                continue;
            }
            let g = st.value(jp) * st.surv[jp] * p;
            if best_move.is_none_or(|b| g > b.0) {
                best_move = Some((g, jp));
            }
        }
        if let Some((g, jp)) = best_move {
            if loss - g < -eps && try_move(st, &[Op::Remove(i, j), Op::Add(i, jp)], &[j, jp], eps) {
                moves += 1;
                continue;
            }
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
        if let Some((d, ip)) = best_sub {
            if d < -eps {
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
    moves
}
