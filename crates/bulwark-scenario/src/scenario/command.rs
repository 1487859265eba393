//! `[[command]]`: a command post over several defence units, how it directs them, and the
//! outages of its links (`docs/formats.md`, "Command posts").
use super::{Cx, RawPos, S, TIME_CHECK};
use crate::catalog::EntryKind;
use crate::raw::{Check, Raw, Res};
use crate::tracker_file::UnitTracker;
use bulwark_core::SimTime;
use bulwark_geo::Geodetic;
use bulwark_tracking::config::MotionKind;
use serde::Deserialize;
use std::sync::Arc;

/// Who decides the fire of a command post's units.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CommandDoctrine {
    /// The post assigns every target across its units; a unit fires on its own only in
    /// self-defence at a target the network picture does not hold.
    Centralised,
    /// Units choose their targets; a target the post's picture shows engaged by another unit
    /// is left to it (deconfliction).
    Decentralised,
    /// Units fight alone, as without a post; the picture is still shared.
    Autonomous,
}

impl CommandDoctrine {
    pub fn as_str(self) -> &'static str {
        match self {
            CommandDoctrine::Centralised => "centralised",
            CommandDoctrine::Decentralised => "decentralised",
            CommandDoctrine::Autonomous => "autonomous",
        }
    }
}

/// A link outage: from `from` until `until` (`None`: to the end) the link of `unit` (defence
/// index; `None`: every unit of the post) is cut, or, with `loss`, loses that share of its
/// messages instead of the catalog's.
#[derive(Clone, Debug, PartialEq)]
pub struct LinkOutage {
    pub unit: Option<usize>,
    pub from: SimTime,
    pub until: Option<SimTime>,
    /// `None`: cut (nothing passes); `Some(p)`: degraded, each message lost with probability p.
    pub loss: Option<f64>,
}

/// A command post placed in the scenario.
#[derive(Clone, Debug, PartialEq)]
pub struct Command {
    pub name: String,
    /// Catalog `command_post` id.
    pub type_id: String,
    pub site: Geodetic,
    /// Indices into [`super::Scenario::defences`] of the units it directs.
    pub units: Vec<usize>,
    pub doctrine: CommandDoctrine,
    pub outages: Vec<LinkOutage>,
    /// The post's own fusion parameters (`tracker`, a tracker TOML as `bulwark track` reads):
    /// its `filter.q` predicts the units' reports and its `[gate]` associates them; `None`: the
    /// engine's defaults (q = 400 m²/s³, the χ²₃ 99 % gate).
    pub tracker: Option<Arc<UnitTracker>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawCommand {
    name: String,
    #[serde(rename = "type")]
    type_id: S<String>,
    site: S<RawPos>,
    units: S<Vec<S<String>>>,
    doctrine: Option<CommandDoctrine>,
    #[serde(default)]
    outage: Vec<S<RawOutage>>,
    tracker: Option<S<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOutage {
    unit: Option<S<String>>,
    from: S<Raw>,
    duration: Option<S<Raw>>,
    loss: Option<S<Raw>>,
}

impl Cx<'_> {
    /// The command posts; `names` are the defence units' names in file order. A unit is
    /// directed by at most one post.
    pub(super) fn commands(&self, raw: &[S<RawCommand>], names: &[&str]) -> Res<Vec<super::Command>> {
        let mut taken: Vec<Option<String>> = vec![None; names.len()];
        let mut out = Vec::new();
        for c in raw {
            let r = c.get_ref();
            let type_id = self.entry(&r.type_id, EntryKind::CommandPost, "command_post")?;
            let unit_of = |n: &S<String>| -> Res<usize> {
                names.iter().position(|d| d == n.get_ref()).ok_or_else(|| {
                    self.src.unknown_id(n.span(), "defence unit", n.get_ref(), names.iter().copied(), None)
                })
            };
            if r.units.get_ref().is_empty() {
                return Err(self.src.err(r.units.span(), "units: a command post directs at least one defence unit"));
            }
            let mut units = Vec::new();
            for n in r.units.get_ref() {
                let i = unit_of(n)?;
                if let Some(other) = &taken[i] {
                    return Err(self.src.err(
                        n.span(),
                        format!("defence unit \"{}\" is already directed by command post \"{other}\"", n.get_ref()),
                    ));
                }
                taken[i] = Some(r.name.clone());
                units.push(i);
            }
            let max = self.cat.command_posts.get(&type_id).map_or(u32::MAX, |p| p.max_units.value);
            if units.len() > max as usize {
                return Err(self.src.err(
                    r.units.span(),
                    format!("units: a {type_id} directs at most {max} units, {} given", units.len()),
                ));
            }
            let mut outages = Vec::new();
            for o in &r.outage {
                let o = o.get_ref();
                let unit = match &o.unit {
                    Some(n) => {
                        let i = unit_of(n)?;
                        if !units.contains(&i) {
                            return Err(self.src.err(
                                n.span(),
                                format!("outage.unit: \"{}\" is not a unit of this command post", n.get_ref()),
                            ));
                        }
                        Some(i)
                    }
                    None => None,
                };
                let from = SimTime::from_secs_f64(self.seconds(&o.from, "outage.from", TIME_CHECK)?);
                let until = match &o.duration {
                    Some(d) => {
                        Some(from + self.duration(d, "outage.duration", Check::AboveUpTo(0.0, super::MAX_TIME_S))?)
                    }
                    None => None,
                };
                let loss =
                    o.loss.as_ref().map(|l| self.src.number(l, "outage.loss", Check::Within(0.0, 1.0))).transpose()?;
                outages.push(LinkOutage { unit, from, until, loss });
            }
            let tracker = r.tracker.as_ref().map(|p| self.tracker(p)).transpose()?;
            if let Some(t) = &tracker {
                post_tracker_fits(t)?;
            }
            out.push(Command {
                tracker,
                name: r.name.clone(),
                type_id,
                site: self.position(r.site.get_ref(), "command.site")?,
                units,
                doctrine: r.doctrine.unwrap_or(CommandDoctrine::Centralised),
                outages,
            });
        }
        Ok(out)
    }
}

/// A post's tracker file must describe what the post does: it fuses its units' reports, which
/// are constant-velocity states (x, y, z, vx, vy, vz), so its filter is one constant-velocity
/// model; anything else is an error at the file's key.
fn post_tracker_fits(t: &UnitTracker) -> Res<()> {
    let f = &t.config.filter;
    let at = |span: std::ops::Range<usize>, msg: String| -> crate::diag::Diagnostic {
        match std::fs::read_to_string(&t.path) {
            Ok(text) => crate::diag::Diagnostic::at(&t.path, &text, span, msg),
            Err(_) => crate::diag::Diagnostic::file(&t.path, msg),
        }
    };
    if let Some(m) = f.models.as_ref().and_then(|m| m.first()) {
        return Err(at(m.span(), "a command post fuses its units' constant-velocity reports: no IMM `models`".into()));
    }
    if *f.motion.get_ref() != MotionKind::Cv {
        return Err(at(
            f.motion.span(),
            "a command post fuses its units' constant-velocity reports: `motion` must be \"cv\"".into(),
        ));
    }
    Ok(())
}
