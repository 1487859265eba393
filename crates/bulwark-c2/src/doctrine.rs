//! Fire doctrine of a command post: how many interceptors at which kind of threat, which
//! interceptor type for which range band, when to hold fire, when to look before shooting again.
//!
//! Shoot–look–shoot versus salvo: firing n interceptors at once raises the kill probability to
//! 1 − (1 − p)ⁿ in one engagement window; shoot–look–shoot fires one, waits for the kill
//! assessment and fires again only at a survivor, saving interceptors when the window allows
//! (Macfadzean, *Surface-Based Air Defense System Analysis*, Artech House 1992, ch. 7 on firing
//! doctrines). Every default below is notional and says so.
use crate::engage::PkModel;
use crate::identify::KinematicClass;
use std::collections::BTreeMap;

/// How a target of one kinematic class is engaged in one decision cycle.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum FirePolicy {
    /// Fire up to n interceptors at once, then wait for the kill assessment before re-engaging.
    Salvo(u32),
    /// Fire one, wait for it to end and for the kill assessment, then fire at a survivor.
    ShootLookShoot,
}

impl FirePolicy {
    /// Interceptors fired at one target in one engagement (≥ 1).
    pub fn shots(&self) -> u32 {
        match self {
            FirePolicy::Salvo(n) => (*n).max(1),
            FirePolicy::ShootLookShoot => 1,
        }
    }
}

/// A range band (slant range launcher → predicted intercept point, m) in which an interceptor
/// type is the preferred layer of a layered defence.
#[derive(Clone, Debug, PartialEq)]
pub struct LayerZone {
    pub type_id: String,
    pub min_range_m: f64,
    pub max_range_m: f64,
}

impl LayerZone {
    pub fn contains(&self, range_m: f64) -> bool {
        range_m >= self.min_range_m && range_m <= self.max_range_m
    }
}

/// Default layered zones from the types' (id, min range, max range) (m): sorted by maximum
/// range, the shortest covers [its min range, its max range], each longer type from the previous
/// type's max range to its own. The short-range layer takes what it can reach; longer layers the
/// band beyond.
pub fn default_zones<'a>(types: impl IntoIterator<Item = (&'a str, f64, f64)>) -> Vec<LayerZone> {
    let mut sorted: Vec<(&str, f64, f64)> = types.into_iter().collect();
    sorted.sort_by(|a, b| a.2.total_cmp(&b.2).then(a.0.cmp(b.0)));
    let mut out = Vec::with_capacity(sorted.len());
    let mut floor: Option<f64> = None;
    for (id, min, max) in sorted {
        let lo = floor.map_or(min, |f| f.max(min));
        out.push(LayerZone { type_id: id.to_string(), min_range_m: lo, max_range_m: max });
        floor = Some(floor.map_or(max, |f| f.max(max)));
    }
    out
}

/// Fire doctrine of a command post.
#[derive(Clone, Debug, PartialEq)]
pub struct Doctrine {
    /// Salvo or shoot–look–shoot by the track's flight profile (a class not listed: one shot).
    pub policy: BTreeMap<KinematicClass, FirePolicy>,
    /// Most interceptors fired at one track over the whole engagement, re-engagements included.
    pub max_per_target: u32,
    /// Detection-to-launch reaction time (s): a track must have been engageable this long.
    pub reaction_time_s: f64,
    /// Wait after the last interceptor ends before re-engaging a survivor (s).
    pub kill_assessment_s: f64,
    /// Tracks the engagement radars can guide on at once.
    pub fire_channels: u32,
    /// Interceptors that can be guided at once.
    pub max_guided_missiles: u32,
    /// Minimum interval between two launches from one launcher (s).
    pub launch_interval_s: f64,
    /// Launches one launcher may be ordered per decision cycle (they leave at the launch interval).
    pub launches_per_cycle: u32,
    /// Hold fire if a protected (friend/neutral) track is within this distance of the PIP (m).
    pub protected_clearance_m: f64,
    /// Preferred range band per interceptor type; a type without a zone is preferred everywhere.
    /// A target that some type can engage inside its zone is offered only such types; one that
    /// none can is offered every type that can engage it, unless `zones_strict`.
    pub zones: Vec<LayerZone>,
    /// Never fire a type outside its zone, even when no in-zone type can engage.
    pub zones_strict: bool,
    /// Cost of one shot per layer rank step, in target-value units: c = shot_cost·(1 + rank), so
    /// that among equal kill probabilities the cheaper (shorter-range) layer is chosen (notional).
    pub shot_cost: f64,
    /// Kill-probability estimate used to weigh options.
    pub pk: PkModel,
    /// Target value weight by class (missing: 1); see `assign::target_value` (notional).
    pub class_value: BTreeMap<KinematicClass, f64>,
    /// Time to go (s) at which urgency has fallen half-way (see `assign::target_value`; notional).
    pub urgency_time_s: f64,
    /// Value factor of a track that threatens no defended asset (notional).
    pub non_threatening_value: f64,
    /// Command destruct: interceptors in flight at a track are destroyed once the track has been
    /// declared protected (friend, assumed friend, neutral) for this long (s); `None`: the
    /// system cannot (catalog `command_destruct`).
    pub command_destruct_s: Option<f64>,
    /// Whether a track could be an air threat at all (catalog `min_target_speed`,
    /// `min_track_updates`); an implausible track is never engaged.
    pub plausibility: crate::plausible::Plausibility,
    /// Guidance-loss destruct (s): a round whose guidance needs the fire-control track (command,
    /// track-via-missile, uplink mid-course) is destroyed before its seeker (if any) has locked
    /// once this long has passed since no fire-control radar of the unit holds its track (the
    /// fire-authority hold), or at once if the track was deleted; `None`: never (catalog
    /// `guidance_loss_destruct`).
    pub guidance_loss_destruct_s: Option<f64>,
}

impl Doctrine {
    /// The policy for a class (one shot, shoot–look–shoot, when the class is not listed).
    pub fn policy_for(&self, class: KinematicClass) -> FirePolicy {
        self.policy.get(&class).copied().unwrap_or(FirePolicy::ShootLookShoot)
    }

    /// Whether `type_id` is in its preferred zone at `range_m`.
    pub fn in_zone(&self, type_id: &str, range_m: f64) -> bool {
        let mut zones = self.zones.iter().filter(|z| z.type_id == type_id).peekable();
        zones.peek().is_none() || zones.any(|z| z.contains(range_m))
    }
}

impl Default for Doctrine {
    /// Two interceptors per missile target (the "36 targets with 72 missiles" of public
    /// S-400 reporting), shoot-look-shoot with one against aircraft. At most six at one track
    /// (three salvos of two; notional).
    fn default() -> Self {
        Doctrine {
            policy: BTreeMap::from([
                (KinematicClass::Ballistic, FirePolicy::Salvo(2)),
                (KinematicClass::LowLevelFast, FirePolicy::Salvo(2)),
                (KinematicClass::FastJet, FirePolicy::ShootLookShoot),
                (KinematicClass::Aircraft, FirePolicy::ShootLookShoot),
            ]),
            max_per_target: 6,
            reaction_time_s: 9.0,
            kill_assessment_s: 5.0,
            fire_channels: 36,
            max_guided_missiles: 72,
            launch_interval_s: 3.0,
            launches_per_cycle: 2,
            protected_clearance_m: 10_000.0,
            zones: Vec::new(),
            zones_strict: false,
            shot_cost: 0.01,
            pk: PkModel::default(),
            class_value: BTreeMap::from([
                (KinematicClass::Ballistic, 1.0),
                (KinematicClass::LowLevelFast, 1.0),
                (KinematicClass::FastJet, 0.8),
                (KinematicClass::Aircraft, 0.6),
            ]),
            urgency_time_s: 60.0,
            non_threatening_value: 0.3,
            command_destruct_s: None,
            plausibility: crate::plausible::Plausibility::default(),
            guidance_loss_destruct_s: None,
        }
    }
}
