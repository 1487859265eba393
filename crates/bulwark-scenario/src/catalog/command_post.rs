//! Command posts (`[[command_post]]`): the battle-management node over several fire units,
//! its decision period and the data link between it and each unit it directs.
use super::{
    Catalog, Cx, DEFAULT_TRACK_MEMORY_S, EntryKind, Kind, Params, Res, Shown, Sourced, Sv, TIME_NONNEG, TIME_POS,
};
use crate::raw::Check;
use crate::units::Quantity as Q;
use serde::Deserialize;
use toml::Spanned;

/// A command post type and its data link to the fire units.
#[derive(Clone, Debug, PartialEq)]
pub struct CommandPost {
    pub id: String,
    pub name: String,
    /// Radars of its own (battle-management / acquisition), catalog radar ids.
    pub radars: Vec<String>,
    /// Fire units it can direct at once.
    pub max_units: Sourced<u32>,
    /// Period of its assignment cycle, s.
    pub decision_period_s: Sourced<f64>,
    /// Interceptors at one target across the whole network over an engagement.
    pub max_per_target: Sourced<u32>,
    /// One-way delay of a track report or an order on the link, s.
    pub link_latency_s: Sourced<f64>,
    /// Period at which a unit reports its tracks and the post distributes its picture, s.
    pub link_update_period_s: Sourced<f64>,
    /// Track reports one message can carry (a unit's tracks beyond it wait for the next one).
    pub link_capacity: Sourced<u32>,
    /// Probability that one message is lost.
    pub link_loss: Sourced<f64>,
    /// How long a system track no unit reports keeps its number (and the interceptors ordered
    /// at it) for a returning report, s; `None`: [`DEFAULT_TRACK_MEMORY_S`].
    pub track_memory_s: Option<Sourced<f64>>,
}

impl CommandPost {
    /// Its system-track memory (s).
    pub fn track_memory_s(&self) -> f64 {
        self.track_memory_s.as_ref().map_or(DEFAULT_TRACK_MEMORY_S, |s| s.value)
    }

    pub(super) fn params(&self) -> Vec<(String, Shown<'_>)> {
        let mut p = Params::default();
        p.count("max_units", &self.max_units)
            .real("decision_period", Some(Q::Time), &self.decision_period_s)
            .count("max_per_target", &self.max_per_target)
            .real("link_latency", Some(Q::Time), &self.link_latency_s)
            .real("link_update_period", Some(Q::Time), &self.link_update_period_s)
            .count("link_capacity", &self.link_capacity)
            .real("link_loss", None, &self.link_loss)
            .opt("track_memory", Some(Q::Time), &self.track_memory_s);
        p.0
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawCommandPost {
    pub id: Spanned<String>,
    name: String,
    #[serde(default)]
    radars: Vec<Spanned<String>>,
    max_units: Sv,
    decision_period: Sv,
    max_per_target: Sv,
    link_latency: Sv,
    link_update_period: Sv,
    link_capacity: Sv,
    link_loss: Sv,
    track_memory: Option<Sv>,
}

impl Cx<'_> {
    pub(super) fn command_post(&self, r: &RawCommandPost, cat: &Catalog) -> Res<CommandPost> {
        Ok(CommandPost {
            id: r.id.get_ref().clone(),
            name: r.name.clone(),
            radars: self.id_list(&r.radars, EntryKind::Radar, cat)?,
            max_units: self.count(&r.max_units, "max_units", 1)?,
            decision_period_s: self.real(&r.decision_period, "decision_period", TIME_POS)?,
            max_per_target: self.count(&r.max_per_target, "max_per_target", 1)?,
            link_latency_s: self.real(&r.link_latency, "link_latency", TIME_NONNEG)?,
            link_update_period_s: self.real(&r.link_update_period, "link_update_period", TIME_POS)?,
            link_capacity: self.count(&r.link_capacity, "link_capacity", 1)?,
            link_loss: self.real(&r.link_loss, "link_loss", Kind::Num(Check::Within(0.0, 0.999)))?,
            track_memory_s: self.opt(&r.track_memory, "track_memory", TIME_POS)?,
        })
    }
}
