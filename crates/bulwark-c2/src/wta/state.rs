//! A partial assignment with incremental bookkeeping shared by the solvers: per-target
//! survival products and shot lists, and what is left of every capacity.
use super::problem::{WtaProblem, WtaShot};

pub(crate) struct State<'a> {
    pub pb: &'a WtaProblem,
    /// Per target: the shots at it, (option, 1 − p).
    pub shots: Vec<Vec<(u32, f64)>>,
    /// Per target: Π (1 − p) over its shots.
    pub surv: Vec<f64>,
    /// Per target: bumped on every change (lazy heap entries compare it).
    pub version: Vec<u32>,
    pub option_left: Vec<u32>,
    pub launcher_left: Vec<u32>,
    pub guided_left: Vec<u32>,
    pub channels_left: Vec<u32>,
}

impl<'a> State<'a> {
    pub fn new(pb: &'a WtaProblem) -> Self {
        let n = pb.targets().len();
        State {
            pb,
            shots: vec![Vec::new(); n],
            surv: vec![1.0; n],
            version: vec![0; n],
            option_left: pb.capacity.clone(),
            launcher_left: pb.launchers().iter().map(|w| if w.ready { w.max_shots } else { 0 }).collect(),
            guided_left: pb.radars().iter().map(|r| r.guided).collect(),
            channels_left: pb.radars().iter().map(|r| r.channels).collect(),
        }
    }

    #[inline]
    pub fn value(&self, j: usize) -> f64 {
        self.pb.targets()[j].value
    }

    #[inline]
    pub fn cost(&self, i: usize) -> f64 {
        self.pb.options()[i].cost
    }

    /// Whether target `j` already has a shot guided by radar `r`.
    #[inline]
    fn engaged_by(&self, r: u32, j: usize) -> bool {
        self.shots[j].iter().any(|&(i, _)| self.pb.radar_of[i as usize] == Some(r))
    }

    /// Whether one more shot of option `i` at target `j` (engageable) keeps every constraint.
    #[inline]
    pub fn can_add(&self, i: usize, j: usize) -> bool {
        let Some(r) = self.pb.radar_of[i] else { return false };
        self.option_left[i] > 0
            && self.launcher_left[self.pb.options()[i].launcher] > 0
            && self.guided_left[r as usize] > 0
            && (self.shots[j].len() as u32) < self.pb.targets()[j].max_shots
            && (self.channels_left[r as usize] > 0 || self.engaged_by(r, j))
    }

    /// Add one shot; the caller has checked [`State::can_add`].
    pub fn add(&mut self, i: usize, j: usize, p: f64) {
        let Some(r) = self.pb.radar_of[i].map(|r| r as usize) else { return };
        if !self.engaged_by(r as u32, j) {
            self.channels_left[r] -= 1;
        }
        self.option_left[i] -= 1;
        self.launcher_left[self.pb.options()[i].launcher] -= 1;
        self.guided_left[r] -= 1;
        self.shots[j].push((i as u32, 1.0 - p));
        self.surv[j] *= 1.0 - p;
        self.version[j] = self.version[j].wrapping_add(1);
    }

    /// Remove one shot of option `i` at target `j` (which must be there).
    pub fn remove(&mut self, i: usize, j: usize) {
        let Some(k) = self.shots[j].iter().position(|e| e.0 == i as u32) else { return };
        let Some(r) = self.pb.radar_of[i].map(|r| r as usize) else { return };
        self.shots[j].swap_remove(k);
        if !self.engaged_by(r as u32, j) {
            self.channels_left[r] += 1;
        }
        self.option_left[i] += 1;
        self.launcher_left[self.pb.options()[i].launcher] += 1;
        self.guided_left[r] += 1;
        self.surv[j] = self.shots[j].iter().map(|e| e.1).product();
        self.version[j] = self.version[j].wrapping_add(1);
    }

    /// Π (1 − p) at target `j` without one shot of option `i`, recomputed (exact when p = 1).
    #[inline]
    pub fn surv_without(&self, j: usize, i: u32) -> f64 {
        let mut skipped = false;
        let mut s = 1.0;
        for &(o, q) in &self.shots[j] {
            if !skipped && o == i {
                skipped = true;
            } else {
                s *= q;
            }
        }
        s
    }

    /// Objective recomputed from scratch: expected surviving value + shot costs.
    pub fn objective(&self) -> f64 {
        let mut f = 0.0;
        for (j, shots) in self.shots.iter().enumerate() {
            f += self.value(j) * shots.iter().map(|e| e.1).product::<f64>();
            f += shots.iter().map(|e| self.cost(e.0 as usize)).sum::<f64>();
        }
        f
    }

    /// The assignment, aggregated and sorted by (target, option).
    pub fn to_shots(&self) -> Vec<WtaShot> {
        let mut out = Vec::new();
        for (j, shots) in self.shots.iter().enumerate() {
            let mut opts: Vec<u32> = shots.iter().map(|e| e.0).collect();
            opts.sort_unstable();
            for o in opts {
                match out.last_mut() {
                    Some(WtaShot { target, option, count }) if *target == j && *option == o as usize => *count += 1,
                    _ => out.push(WtaShot { target: j, option: o as usize, count: 1 }),
                }
            }
        }
        out
    }
}
