//! The figures of one run's `summary.json`, flattened into named numbers (the metric columns
//! of `runs.csv`), and the per-run events whose probabilities `points.csv` estimates.
use bulwark_engine::{Outcome, Summary};
use serde::{Deserialize, Serialize};

/// One metric of one run.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Num {
    Int(i64),
    Real(f64),
}

impl Num {
    pub fn as_f64(self) -> f64 {
        match self {
            Num::Int(i) => i as f64,
            Num::Real(x) => x,
        }
    }
}

/// Per-class measures, in column order.
pub const CLASS_MEASURES: [&str; 9] = [
    "count",
    "detected",
    "tracked",
    "engaged",
    "killed",
    "leaked",
    "kill_fraction",
    "first_detection_range_m",
    "first_fire_control_range_m",
];

/// The run-level figures, in column order.
pub const HEADLINE: [&str; 19] = [
    "leakers",
    "threats",
    "threats_killed",
    "threats_in_flight",
    "interceptors_fired",
    "interceptors_loaded",
    "reloads",
    "confirmed_tracks",
    "false_tracks",
    "strobes",
    "civil_engaged",
    "civil_killed",
    "civil_fire_orders",
    "friendly_engaged",
    "friendly_killed",
    "friendly_fire_orders",
    "first_detection_s",
    "first_engagement_s",
    "first_leak_s",
];

/// Every figure of `s`: the headline, `<class>.<measure>` per threat class, `fired.<type>` and
/// `loaded.<type>` per interceptor type. Times (`*_s`) are absent when nothing happened, the kill
/// fraction when a class has no member, the first-detection ranges when nothing was seen.
pub fn flatten(s: &Summary) -> Vec<(String, Num)> {
    let sum = |f: fn(&bulwark_engine::ThreatSummary) -> u32| s.threats.iter().map(|t| i64::from(f(t))).sum::<i64>();
    let first = |f: &dyn Fn(&bulwark_engine::ThreatTimeline) -> Option<f64>| {
        s.timeline.iter().filter_map(f).fold(None, |m: Option<f64>, x| Some(m.map_or(x, |m| m.min(x))))
    };
    let mut out: Vec<(String, Num)> = Vec::new();
    let mut put = |k: &str, v: Option<Num>| {
        if let Some(v) = v {
            out.push((k.to_string(), v));
        }
    };
    let int = |x: u32| Some(Num::Int(i64::from(x)));
    let reloads: usize = s.launchers.iter().map(|l| l.reloads.len()).sum();
    put("leakers", int(s.leakers));
    put("threats", Some(Num::Int(sum(|t| t.count))));
    put("threats_killed", Some(Num::Int(sum(|t| t.killed))));
    put("threats_in_flight", int(s.in_flight));
    put("interceptors_fired", Some(Num::Int(s.interceptors_fired.values().map(|&x| i64::from(x)).sum())));
    put("interceptors_loaded", Some(Num::Int(s.interceptors_loaded.values().map(|&x| i64::from(x)).sum())));
    put("reloads", Some(Num::Int(reloads as i64)));
    put("confirmed_tracks", int(s.confirmed_tracks));
    put("false_tracks", int(s.false_tracks));
    put("strobes", int(s.strobes));
    put("civil_engaged", int(s.civil_engaged));
    put("civil_killed", int(s.civil_killed));
    put("civil_fire_orders", int(s.civil_fire_orders));
    put("friendly_engaged", int(s.friendly_engaged));
    put("friendly_killed", int(s.friendly_killed));
    put("friendly_fire_orders", int(s.friendly_fire_orders));
    put("first_detection_s", first(&|t| t.first_detected_s).map(Num::Real));
    put("first_engagement_s", first(&|t| t.first_engaged_s).map(Num::Real));
    put("first_leak_s", first(&|t| (t.outcome == Outcome::Leaked).then_some(t.outcome_s).flatten()).map(Num::Real));
    for t in &s.threats {
        let c = t.class.as_str();
        for (m, v) in CLASS_MEASURES.iter().zip([t.count, t.detected, t.tracked, t.engaged, t.killed, t.leaked]) {
            put(&format!("{c}.{m}"), int(v));
        }
        if t.count > 0 {
            put(&format!("{c}.kill_fraction"), Some(Num::Real(f64::from(t.killed) / f64::from(t.count))));
        }
        put(&format!("{c}.first_detection_range_m"), t.first_detection_range_m.map(Num::Real));
        put(&format!("{c}.first_fire_control_range_m"), t.first_fire_control_range_m.map(Num::Real));
    }
    for (k, v) in &s.interceptors_fired {
        put(&format!("fired.{k}"), int(*v));
    }
    for (k, v) in &s.interceptors_loaded {
        put(&format!("loaded.{k}"), int(*v));
    }
    out
}

/// Column order of a metric: the headline in its order, then the classes (alphabetical, each
/// with its measures in order), then fired and loaded per type (alphabetical).
pub fn column_key(name: &str) -> (u8, String, usize) {
    if let Some(i) = HEADLINE.iter().position(|h| *h == name) {
        return (0, String::new(), i);
    }
    if let Some(t) = name.strip_prefix("fired.") {
        return (2, t.to_string(), 0);
    }
    if let Some(t) = name.strip_prefix("loaded.") {
        return (3, t.to_string(), 0);
    }
    if let Some((class, m)) = name.rsplit_once('.')
        && let Some(i) = CLASS_MEASURES.iter().position(|x| *x == m)
    {
        return (1, class.to_string(), i);
    }
    (4, name.to_string(), 0)
}

/// The value a run that did not report `name` has: 0 for a count (a class or type the run did
/// not have), absent for a time or a fraction (undefined).
pub fn default_for(name: &str) -> Option<Num> {
    if name.ends_with("_s") || name.ends_with(".kill_fraction") || name.ends_with("_range_m") {
        None
    } else {
        Some(Num::Int(0))
    }
}

/// An event of one run whose probability over the replications `points.csv` estimates:
/// (name, the metric it reads, whether the run had the event).
pub type Event = (String, bool);

/// The events of one run, from its metrics (looked up by name).
pub fn events(get: &dyn Fn(&str) -> Option<f64>, classes: &[String]) -> Vec<Event> {
    let pos = |k: &str| get(k).is_some_and(|x| x > 0.0);
    let mut out = vec![
        ("any_leak".to_string(), pos("leakers")),
        ("civil_engagement".to_string(), pos("civil_engaged")),
        ("friendly_engagement".to_string(), pos("friendly_engaged")),
        ("civil_fire_order".to_string(), pos("civil_fire_orders")),
        ("friendly_fire_order".to_string(), pos("friendly_fire_orders")),
        ("false_track".to_string(), pos("false_tracks")),
    ];
    for c in classes {
        let count = get(&format!("{c}.count")).unwrap_or(0.0);
        let killed = get(&format!("{c}.killed")).unwrap_or(0.0);
        out.push((format!("{c}.any_leak"), pos(&format!("{c}.leaked"))));
        out.push((format!("{c}.all_killed"), count > 0.0 && killed >= count));
    }
    out
}
