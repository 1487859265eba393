//! IFF / secondary surveillance radar: an interrogator and the transponders that answer it.
//!
//! A target answers when it carries a transponder, is within the interrogator's range, is
//! above the 4/3-earth horizon (the same line-of-sight test as the radar, Skolnik 3rd ed.
//! ch. 8, standard refraction), and a Bernoulli draw with the per-interrogation reply
//! probability succeeds. A reply gives a noisy range and azimuth (an SSR/IFF antenna does
//! not measure elevation).
//!
//! An interrogator reads only the modes it is built for and holds the keys of
//! ([`IffInterrogator::with_modes`]); a transponder answers in the modes both share, and a
//! target sharing none stays silent (a Mode-5-only NATO fighter is silent to an interrogator
//! that reads Mode 3/A/C/S and a national mode). The reply is in the most telling shared mode:
//!
//! - Mode 5 or Mode 4 (NATO, cryptographically secured, STANAG 4193): the reply itself says
//!   "friend"; no code. A national secure mode likewise, to an interrogator holding its keys.
//! - Civil: Mode 3/A identity code (four octal digits) and Mode C altitude in 100 ft steps
//!   (ICAO Annex 10, Vol. IV), or a Mode S reply with the same content plus the 24-bit address.
//!
//! Not yet modelled: garbling, FRUIT (unsynchronised replies), spoofing, Mode 5 level 2 position.
use crate::geometry::{LineOfSight, TargetView, wrap_two_pi};
use crate::{SensorError, check};
use bulwark_core::{EntityId, ModeSet, RngStream, SensorId, SimTime, TransponderMode};
use bulwark_geo::{EnuFrame, FOUR_THIRDS, above_radar_horizon};
use std::f64::consts::PI;

/// Largest Mode 3/A code: four octal digits, 12 bits.
pub const SQUAWK_MAX: u16 = 0o7777;
const FT: f64 = 0.3048;
/// Mode C (Gillham) altitude limits (ft).
const MODE_C_MIN_FT: f64 = -1_000.0;
const MODE_C_MAX_FT: f64 = 126_700.0;

/// What a target carries to answer interrogations.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub enum Transponder {
    /// No transponder, or switched off.
    #[default]
    None,
    /// A friendly Mode 5 transponder: a valid reply identifies a friend.
    Mode5,
    /// A civil transponder: Mode 3/A code `squawk` (octal digits as a number, 0..=0o7777) and,
    /// for Mode S, the 24-bit ICAO aircraft address.
    Civil { squawk: u16, address: Option<u32> },
    /// Any other fit (a `[[friendly]]`'s): the modes it answers, its Mode 3/A code (sent only
    /// with Mode 3/A or S) and Mode S address (sent only with Mode S).
    Fit { modes: ModeSet, squawk: u16, address: Option<u32> },
}

impl Transponder {
    /// The modes it answers.
    pub fn modes(&self) -> ModeSet {
        use TransponderMode as M;
        match *self {
            Transponder::None => ModeSet::EMPTY,
            Transponder::Mode5 => ModeSet::of([M::Mode5]),
            Transponder::Civil { address: None, .. } => ModeSet::of([M::Mode3A, M::ModeC]),
            Transponder::Civil { address: Some(_), .. } => ModeSet::of([M::Mode3A, M::ModeC, M::ModeS]),
            Transponder::Fit { modes, .. } => modes,
        }
    }
}

/// What an interrogator reads when the catalog does not say: Mode 5 and 4 and the civil modes,
/// not a national mode.
pub const DEFAULT_INTERROGATOR_MODES: [TransponderMode; 5] = [
    TransponderMode::Mode5,
    TransponderMode::Mode4,
    TransponderMode::Mode3A,
    TransponderMode::ModeC,
    TransponderMode::ModeS,
];

/// The kind of reply.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum IffMode {
    /// Valid Mode 5 (or Mode 4) reply.
    Mode5,
    /// Valid reply in a national secure mode.
    National,
    /// Mode 3/A identity and Mode C altitude (interleaved interrogations).
    Mode3AC,
    /// Mode S reply (identity, altitude and 24-bit address).
    ModeS,
}

impl IffMode {
    /// The name written in the event log.
    pub fn as_str(self) -> &'static str {
        match self {
            IffMode::Mode5 => "mode5",
            IffMode::National => "national",
            IffMode::Mode3AC => "mode3ac",
            IffMode::ModeS => "modes",
        }
    }
}

/// One reply as the interrogator receives it. Carries no truth.
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct IffReply {
    pub sensor: SensorId,
    pub t: SimTime,
    pub range_m: f64,
    /// Clockwise from north, [0, 2π).
    pub azimuth_rad: f64,
    pub mode: IffMode,
    /// Mode 3/A code; `None` for Mode 5, or a code outside 0..=0o7777 (garbled).
    pub code: Option<u16>,
    /// Mode C altitude (m), quantised to 100 ft; `None` for Mode 5 or outside the Mode C range.
    pub altitude_m: Option<f64>,
    /// Mode S 24-bit address.
    pub address: Option<u32>,
}

/// Replies sorted by (azimuth, range), and the entity that sent each — for metrics only.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct IffOutput {
    pub replies: Vec<IffReply>,
    pub truth: Vec<EntityId>,
}

/// Interrogator parameters (SI).
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct IffParams {
    /// Maximum range (m) at which replies are received.
    pub range_m: f64,
    /// Probability that one interrogation of an equipped target in coverage gets a reply.
    pub reply_probability: f64,
    /// 1σ range error (m).
    pub sigma_range_m: f64,
    /// 1σ azimuth error (rad).
    pub sigma_azimuth_rad: f64,
    /// Antenna height above the surface (m), for the horizon.
    pub antenna_height_m: f64,
}

impl IffParams {
    pub fn validate(&self) -> Result<(), SensorError> {
        let p = self;
        check("range_m", p.range_m, p.range_m > 0.0, "a positive range (m)")?;
        check("reply_probability", p.reply_probability, (0.0..=1.0).contains(&p.reply_probability), "0 ≤ p ≤ 1")?;
        check("sigma_range_m", p.sigma_range_m, p.sigma_range_m >= 0.0, "σ ≥ 0 (m)")?;
        check("sigma_azimuth_rad", p.sigma_azimuth_rad, (0.0..=PI).contains(&p.sigma_azimuth_rad), "0 ≤ σ ≤ π (rad)")?;
        check("antenna_height_m", p.antenna_height_m, p.antenna_height_m >= 0.0, "a height ≥ 0 (m)")?;
        Ok(())
    }
}

/// Mode C altitude (m) reported for a target at `altitude_m`: rounded to the nearest 100 ft,
/// `None` outside −1 000 ft … 126 700 ft. The truth altitude stands in for pressure altitude
/// (no QNH or temperature error yet).
pub fn mode_c_altitude_m(altitude_m: f64) -> Option<f64> {
    let ft = (altitude_m / FT / 100.0).round() * 100.0;
    (MODE_C_MIN_FT..=MODE_C_MAX_FT).contains(&ft).then_some(ft * FT)
}

/// An IFF / SSR interrogator at a site.
#[derive(Clone, Debug, PartialEq)]
pub struct IffInterrogator {
    id: SensorId,
    site: EnuFrame,
    params: IffParams,
    /// The modes it interrogates and decodes (its build, less the secure modes it lacks keys for).
    modes: ModeSet,
}

impl IffInterrogator {
    /// An interrogator `id` whose antenna is at the origin of `site`.
    pub fn new(id: SensorId, site: EnuFrame, params: IffParams) -> Result<Self, SensorError> {
        params.validate()?;
        Ok(IffInterrogator { id, site, params, modes: ModeSet::of(DEFAULT_INTERROGATOR_MODES) })
    }

    /// The same interrogator reading only `modes`.
    pub fn with_modes(self, modes: ModeSet) -> Self {
        IffInterrogator { modes, ..self }
    }
    pub fn modes(&self) -> ModeSet {
        self.modes
    }
    pub fn id(&self) -> SensorId {
        self.id
    }
    pub fn site(&self) -> &EnuFrame {
        &self.site
    }
    pub fn params(&self) -> &IffParams {
        &self.params
    }

    /// One interrogation of every target at time `t`. Draws from `rng`, per equipped target in
    /// coverage: one uniform for the reply, then (if it replies) range and azimuth noise.
    pub fn interrogate(&self, t: SimTime, targets: &[(TargetView, Transponder)], rng: &mut RngStream) -> IffOutput {
        let p = &self.params;
        let mut pairs = Vec::new();
        for (target, transponder) in targets {
            use TransponderMode as M;
            let (squawk, fit_address) = match *transponder {
                Transponder::Civil { squawk, address } | Transponder::Fit { squawk, address, .. } => (squawk, address),
                Transponder::None | Transponder::Mode5 => (0, None),
            };
            let shared = transponder.modes().intersection(self.modes);
            let code = (squawk <= SQUAWK_MAX).then_some(squawk);
            let altitude = || mode_c_altitude_m(target.altitude_m);
            let (mode, code, altitude_m, address) = if shared.contains(M::Mode5) || shared.contains(M::Mode4) {
                (IffMode::Mode5, None, None, None)
            } else if shared.contains(M::National) {
                (IffMode::National, None, None, None)
            } else if shared.contains(M::ModeS) {
                (IffMode::ModeS, code, altitude(), fit_address)
            } else if shared.contains(M::Mode3A) || shared.contains(M::ModeC) {
                let c = if shared.contains(M::Mode3A) { code } else { None };
                (IffMode::Mode3AC, c, if shared.contains(M::ModeC) { altitude() } else { None }, None)
            } else {
                continue;
            };
            if !target.is_finite() {
                continue;
            }
            let los = LineOfSight::new(&self.site, &target.position_ecef, &target.velocity_ecef);
            let range = los.rae.range_m;
            if !(range <= p.range_m && above_radar_horizon(range, p.antenna_height_m, target.altitude_m, FOUR_THIRDS)) {
                continue;
            }
            if !rng.bernoulli(p.reply_probability) {
                continue;
            }
            let reply = IffReply {
                sensor: self.id,
                t,
                range_m: rng.gaussian(range, p.sigma_range_m).max(0.0),
                azimuth_rad: wrap_two_pi(rng.gaussian(los.rae.azimuth_rad, p.sigma_azimuth_rad)),
                mode,
                code,
                altitude_m,
                address,
            };
            pairs.push((reply, target.entity));
        }
        pairs.sort_by(|(a, _), (b, _)| a.azimuth_rad.total_cmp(&b.azimuth_rad).then(a.range_m.total_cmp(&b.range_m)));
        let (replies, truth) = pairs.into_iter().unzip();
        IffOutput { replies, truth }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mode_c_quantises_to_100_ft() {
        // 10 000 m = 32 808.4 ft → 32 800 ft = 9 997.44 m (1 ft = 0.3048 m exactly).
        let got = mode_c_altitude_m(10_000.0).unwrap();
        assert!((got - 32_800.0 * 0.3048).abs() < 1e-9, "{got}");
        assert_eq!(mode_c_altitude_m(0.0), Some(0.0));
        assert!(mode_c_altitude_m(-400.0).is_none(), "−1312 ft is below the Mode C range");
        assert!(mode_c_altitude_m(40_000.0).is_none(), "131 234 ft is above the Mode C range");
        assert!(mode_c_altitude_m(f64::NAN).is_none());
    }
}
