//! Radar time scheduling: the rotating search radar (one look of the whole coverage per
//! antenna period) and the multifunction phased-array radar, whose one beam shares its time
//! between a search frame and track dwells on the targets under engagement.
//!
//! Time budget (occupancy) of a multifunction radar (Billetter, *Multifunction Array Radar*,
//! Artech House 1989, ch. 5; Skolnik, *Radar Handbook* 3rd ed. ch. 13, "radar resource
//! management"): each tracked target costs a fraction `r·τ` of the radar's time, `r` the
//! track dwell rate (Hz) and `τ` the dwell time (s). With `n` targets the track load is
//! `n·r·τ`; it may not exceed the fraction `ρ` of time the radar allows for tracking, so the
//! radar can hold at most `⌊ρ/(r·τ)⌋` engagement tracks, and never more than its fire
//! channels. Search gets what is left, so a search frame that takes `T_s` of dedicated time
//! takes `T_s / (1 − n·r·τ)` of real time: search slows as the engagement load rises.
use crate::{SensorError, check};
use bulwark_core::{SimDuration, SimTime};
use std::collections::BTreeMap;

/// The time budget of a multifunction radar.
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct TimeBudget {
    /// Time to complete one search frame of the whole sector with no tracking load (s).
    pub search_frame_s: f64,
    /// Track dwell rate per target under engagement (Hz).
    pub track_rate_hz: f64,
    /// Duration of one track dwell (s).
    pub track_dwell_s: f64,
    /// Largest share of the radar's time that track dwells may take (0 < ρ < 1).
    pub max_track_fraction: f64,
    /// Targets the radar can guide on at once (its fire channels), whatever the budget allows.
    pub fire_channels: u32,
}

impl TimeBudget {
    /// Checks every parameter.
    pub fn validate(&self) -> Result<(), SensorError> {
        check("search_frame_s", self.search_frame_s, self.search_frame_s > 0.0, "a positive time (s)")?;
        check("track_rate_hz", self.track_rate_hz, self.track_rate_hz > 0.0, "a positive rate (Hz)")?;
        check(
            "track_dwell_s",
            self.track_dwell_s,
            self.track_dwell_s > 0.0 && self.track_dwell_s * self.track_rate_hz < 1.0,
            "a positive dwell shorter than the track period (s)",
        )?;
        check(
            "max_track_fraction",
            self.max_track_fraction,
            self.max_track_fraction > 0.0 && self.max_track_fraction < 1.0,
            "a fraction in (0, 1)",
        )?;
        Ok(())
    }

    /// Share of time one engagement track costs, r·τ.
    pub fn load_per_track(&self) -> f64 {
        self.track_rate_hz * self.track_dwell_s
    }

    /// Engagement tracks the radar can hold at once: min(fire channels, ⌊ρ/(r·τ)⌋).
    pub fn track_capacity(&self) -> u32 {
        let by_time = (self.max_track_fraction / self.load_per_track() + 1e-9).floor();
        (by_time.clamp(0.0, u32::MAX as f64) as u32).min(self.fire_channels)
    }

    /// Real time one search frame takes with `tracked` engagement tracks: T_s / (1 − n·r·τ).
    pub fn search_period_s(&self, tracked: u32) -> f64 {
        let load = (f64::from(tracked) * self.load_per_track()).min(self.max_track_fraction);
        self.search_frame_s / (1.0 - load)
    }

    /// Track dwell period (s), 1/r.
    pub fn track_period_s(&self) -> f64 {
        1.0 / self.track_rate_hz
    }
}

/// What a radar does at a given time.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Task {
    /// A look at the whole coverage.
    Search,
    /// A dwell on one engagement track (the caller's key).
    TrackDwell(u64),
}

/// Schedules a radar's looks in simulation time. A rotating radar ([`Scheduler::rotating`])
/// only searches, once per antenna period; a multifunction radar
/// ([`Scheduler::multifunction`]) grants engagement tracks up to its capacity, dwells on each
/// at the track rate, and stretches its search frame by the track load.
#[derive(Clone, Debug)]
pub struct Scheduler {
    budget: Option<TimeBudget>,
    revisit: SimDuration,
    next_search: SimTime,
    /// Engagement track key → time of its next dwell.
    tracks: BTreeMap<u64, SimTime>,
}

impl Scheduler {
    /// A radar that looks at its whole coverage every `revisit`.
    pub fn rotating(revisit: SimDuration) -> Scheduler {
        Scheduler { budget: None, revisit, next_search: SimTime::ZERO, tracks: BTreeMap::new() }
    }

    /// A multifunction radar with `budget`.
    pub fn multifunction(budget: TimeBudget) -> Result<Scheduler, SensorError> {
        budget.validate()?;
        let revisit = SimDuration::from_secs_f64(budget.search_frame_s);
        Ok(Scheduler { budget: Some(budget), revisit, next_search: SimTime::ZERO, tracks: BTreeMap::new() })
    }

    pub fn budget(&self) -> Option<&TimeBudget> {
        self.budget.as_ref()
    }

    /// Engagement tracks held now.
    pub fn tracked(&self) -> u32 {
        self.tracks.len() as u32
    }

    /// Whether `key` holds a track dwell slot.
    pub fn holds(&self, key: u64) -> bool {
        self.tracks.contains_key(&key)
    }

    /// Free engagement slots (0 for a rotating radar).
    pub fn free_slots(&self) -> u32 {
        self.budget.map_or(0, |b| b.track_capacity().saturating_sub(self.tracked()))
    }

    /// Asks for track dwells on `key` from `now`; true if held (already or newly granted),
    /// false when the radar has no budget left or is a rotating radar.
    pub fn request_track(&mut self, key: u64, now: SimTime) -> bool {
        if self.tracks.contains_key(&key) {
            return true;
        }
        if self.free_slots() == 0 {
            return false;
        }
        self.tracks.insert(key, now);
        true
    }

    /// Gives back the slot of `key` (engagement over or track lost).
    pub fn release_track(&mut self, key: u64) {
        self.tracks.remove(&key);
    }

    /// The tasks due at `now`, in a fixed order (track dwells by key, then search), with each
    /// task's next time advanced. Call once per simulation step.
    pub fn due(&mut self, now: SimTime) -> Vec<Task> {
        let mut tasks = Vec::new();
        if let Some(b) = self.budget {
            let period = SimDuration::from_secs_f64(b.track_period_s());
            for (key, next) in self.tracks.iter_mut() {
                if *next <= now {
                    tasks.push(Task::TrackDwell(*key));
                    while *next <= now {
                        *next += period;
                    }
                }
            }
            self.revisit = SimDuration::from_secs_f64(b.search_period_s(self.tracks.len() as u32));
        }
        if self.next_search <= now {
            tasks.push(Task::Search);
            while self.next_search <= now {
                self.next_search += self.revisit;
            }
        }
        tasks
    }

    /// Time between search looks at the current load.
    pub fn search_period(&self) -> SimDuration {
        self.revisit
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A notional engagement radar: 1 s search frame, 10 Hz track dwells of 5 ms, at most
    /// 50 % of the time on tracks, 12 fire channels.
    fn budget(channels: u32) -> TimeBudget {
        TimeBudget {
            search_frame_s: 1.0,
            track_rate_hz: 10.0,
            track_dwell_s: 0.005,
            max_track_fraction: 0.5,
            fire_channels: channels,
        }
    }

    #[test]
    fn capacity_is_the_smaller_of_budget_and_channels() {
        // Budget: ⌊0.5 / (10 × 0.005)⌋ = 10 tracks (Billetter's occupancy sum).
        assert_eq!(budget(12).track_capacity(), 10);
        assert_eq!(budget(6).track_capacity(), 6);
    }

    #[test]
    fn search_slows_with_the_track_load() {
        let b = budget(12);
        assert!((b.search_period_s(0) - 1.0).abs() < 1e-12);
        // 4 tracks × 5 % = 20 % load: 1 / 0.8 = 1.25 s.
        assert!((b.search_period_s(4) - 1.25).abs() < 1e-12);
    }

    #[test]
    fn grants_up_to_capacity_and_dwells_at_the_track_rate() {
        let mut s = Scheduler::multifunction(budget(3)).unwrap();
        assert!(s.request_track(7, SimTime::ZERO));
        assert!(s.request_track(8, SimTime::ZERO));
        assert!(s.request_track(9, SimTime::ZERO));
        assert!(!s.request_track(10, SimTime::ZERO), "capacity 3");
        assert!(s.request_track(9, SimTime::ZERO), "already held");
        // Over 2 s stepped at 10 ms: 20 dwells per track, and searches at 1/(1 − 0.15) s.
        let mut dwells = BTreeMap::new();
        let mut searches = 0;
        for step in 0..200 {
            for t in s.due(SimTime::ZERO + SimDuration::from_millis(10 * step)) {
                match t {
                    Task::TrackDwell(k) => *dwells.entry(k).or_insert(0) += 1,
                    Task::Search => searches += 1,
                }
            }
        }
        assert_eq!(dwells.values().copied().collect::<Vec<_>>(), [20, 20, 20]);
        assert_eq!(searches, 2); // at 0 and 1.176 s
        s.release_track(8);
        assert!(s.request_track(10, SimTime::ZERO));
        assert!(!s.holds(8));
    }

    #[test]
    fn rotating_radar_only_searches() {
        let mut s = Scheduler::rotating(SimDuration::from_secs(10));
        assert!(!s.request_track(1, SimTime::ZERO));
        let n: usize = (0..30).map(|k| s.due(SimTime::ZERO + SimDuration::from_secs(k)).len()).sum();
        assert_eq!(n, 3);
    }

    #[test]
    fn rejects_impossible_budgets() {
        let mut b = budget(4);
        b.track_dwell_s = 0.2; // 10 Hz × 0.2 s = 2: longer than the period
        assert!(Scheduler::multifunction(b).is_err());
        b = budget(4);
        b.max_track_fraction = 1.0;
        assert!(Scheduler::multifunction(b).is_err());
    }
}
