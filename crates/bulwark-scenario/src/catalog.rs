//! The catalog: radars, interceptors, launchers, systems and platforms, every physical
//! parameter in SI and carrying the public source it comes from (`docs/formats.md`).
//!
//! Loaded from every `*.toml` of a directory (in file-name order) or from the embedded copy of
//! the workspace's `catalog/` directory. Validation checks unique ids (one namespace for all
//! kinds), that every `source` key and cross-reference exists, and sane ranges
//! (probabilities in (0, 1), positive ranges, min < max), each error at file:line:col.
//! Sensor-fidelity checks: exactly one sensitivity description per radar ([`Sensitivity`]),
//! a radar-equation frequency inside the radar's IEEE 521 band, `integration` whenever
//! `pulses` > 1, a fire-control time budget that closes (fire_channels × engaged_track_rate ×
//! track_dwell ≤ track_time_fraction, max_tracks ≥ fire_channels), an RCS table with a nose
//! value in every band ([`RcsTable`]), Swerling cases 0–4.
use crate::diag::{Diagnostic, close_matches};
use crate::raw::{Check, Raw, Res, Src, fmt_num};
use crate::units::{self, Quantity};
use bulwark_core::{ModeSet, PlatformClass, TransponderMode};
use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use std::collections::BTreeMap;
use std::fmt;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use toml::Spanned;

mod command_post;
mod engine_doctrine;
pub use command_post::CommandPost;
use command_post::RawCommandPost;
pub use engine_doctrine::*;

// ---------------------------------------------------------------------------------------------
// Public types
// ---------------------------------------------------------------------------------------------

/// A value with the public source it comes from. `value` is the one used; `alternatives`
/// keep the figures of other sources.
#[derive(Clone, Debug, PartialEq)]
pub struct Sourced<T> {
    pub value: T,
    /// Key of [`Catalog::sources`].
    pub source: String,
    pub note: Option<String>,
    pub alternatives: Vec<Alternative<T>>,
}

/// A figure from another source, kept but not used.
#[derive(Clone, Debug, PartialEq)]
pub struct Alternative<T> {
    pub value: T,
    pub source: String,
    pub note: Option<String>,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    Article,
    Brochure,
    Textbook,
    /// A Bulwark engineering assumption where no public figure exists; its note says how.
    Assumption,
}

/// A public reference (`[source.KEY]`).
#[derive(Clone, Debug, PartialEq)]
pub struct Source {
    pub id: String,
    pub title: String,
    pub publisher: String,
    pub url: Option<String>,
    pub year: i32,
    pub kind: SourceKind,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RadarRole {
    Surveillance,
    FireControl,
    Multifunction,
}

/// IEEE Std 521-2019 radar band letters (plus VHF/UHF), in order of frequency.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
pub enum Band {
    #[serde(rename = "VHF")]
    Vhf,
    #[serde(rename = "UHF")]
    Uhf,
    L,
    S,
    C,
    X,
    Ku,
    Ka,
}

impl Band {
    /// Every band, lowest frequency first.
    pub const ALL: [Band; 8] = [Band::Vhf, Band::Uhf, Band::L, Band::S, Band::C, Band::X, Band::Ku, Band::Ka];

    /// The letter as written in files (`"VHF"`, `"Ku"`).
    pub fn as_str(self) -> &'static str {
        match self {
            Band::Vhf => "VHF",
            Band::Uhf => "UHF",
            Band::L => "L",
            Band::S => "S",
            Band::C => "C",
            Band::X => "X",
            Band::Ku => "Ku",
            Band::Ka => "Ka",
        }
    }

    /// Nominal frequency range (lowest, highest), Hz, of IEEE Std 521-2019 table 1:
    /// VHF 30–300 MHz, UHF 300–1000 MHz, L 1–2, S 2–4, C 4–8, X 8–12, Ku 12–18, Ka 27–40 GHz
    /// (K, 18–27 GHz, has no letter here).
    pub fn frequency_range_hz(self) -> (f64, f64) {
        match self {
            Band::Vhf => (30e6, 300e6),
            Band::Uhf => (300e6, 1e9),
            Band::L => (1e9, 2e9),
            Band::S => (2e9, 4e9),
            Band::C => (4e9, 8e9),
            Band::X => (8e9, 12e9),
            Band::Ku => (12e9, 18e9),
            Band::Ka => (27e9, 40e9),
        }
    }

    /// Whether `f_hz` lies in the band; both edges count (2 GHz is L and S).
    pub fn contains(self, f_hz: f64) -> bool {
        let (lo, hi) = self.frequency_range_hz();
        f_hz >= lo && f_hz <= hi
    }

    /// The band holding `f_hz` (the lower one on an edge); `None` outside every band.
    pub fn of_frequency(f_hz: f64) -> Option<Band> {
        Band::ALL.into_iter().find(|b| b.contains(f_hz))
    }
}

/// Swerling target-fluctuation case (Swerling 1960; Richards 2014, §7.2): 0 steady; 1 and 2
/// chi-square with 2 degrees of freedom (many comparable scatterers), 3 and 4 with 4 (one
/// dominant scatterer plus many small); 1 and 3 fluctuate scan to scan, 2 and 4 pulse to pulse.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Swerling {
    Zero,
    One,
    Two,
    Three,
    Four,
}

impl Swerling {
    /// The case number, 0–4.
    pub fn case(self) -> u8 {
        self as u8
    }
    /// The case numbered `n`, if 0–4.
    pub fn from_case(n: u32) -> Option<Swerling> {
        [Swerling::Zero, Swerling::One, Swerling::Two, Swerling::Three, Swerling::Four].get(n as usize).copied()
    }
}

/// How the pulses of one look are combined before the threshold.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Integration {
    /// Phase-coherent sum (Doppler filter): the SNR grows n-fold.
    Coherent,
    /// Sum of detected (square-law) samples.
    Noncoherent,
}

/// Boltzmann constant, J/K (exact, SI 2019).
pub const BOLTZMANN_J_PER_K: f64 = 1.380_649e-23;
/// Speed of light in vacuum, m/s (exact, SI).
pub const SPEED_OF_LIGHT_MPS: f64 = 299_792_458.0;
/// Standard reference noise temperature T₀ for noise figures, K (IEEE Std 100).
pub const REFERENCE_NOISE_TEMPERATURE_K: f64 = 290.0;
/// IFF reply probability used when a radar with an interrogator gives none: a Bulwark
/// assumption (garble, fruit and antenna shading lose ≈ 2 % of replies).
pub const DEFAULT_IFF_REPLY_PROBABILITY: f64 = 0.98;

/// How sensitive a radar is: exactly one of two descriptions per radar.
// Catalog data are built once and read by reference; boxing a variant buys nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq)]
pub enum Sensitivity {
    /// A published or assumed detection point: a target of `rcs_m2` seen at `range_m` with
    /// probability `pd` (at the radar's `pfa`).
    ReferenceRange(ReferenceRange),
    /// Radar-equation parameters (Skolnik 2001, ch. 2; Richards 2014, ch. 2).
    RadarEquation(RadarEquation),
}

/// The reference-point description of a radar's sensitivity.
#[derive(Clone, Debug, PartialEq)]
pub struct ReferenceRange {
    pub range_m: Sourced<f64>,
    pub rcs_m2: Sourced<f64>,
    pub pd: Sourced<f64>,
    /// The fluctuation model the point was quoted for; `None` means Swerling 1.
    pub swerling: Option<Sourced<Swerling>>,
}

/// Receiver noise: a noise figure F (Ts = T₀·F, T₀ = 290 K, Skolnik 2001 §2.3) or a system
/// noise temperature Ts.
#[derive(Clone, Debug, PartialEq)]
pub enum Noise {
    /// Linear noise figure (≥ 1).
    Figure(Sourced<f64>),
    /// System noise temperature, K.
    SystemTemperature(Sourced<f64>),
}

/// Radar-equation parameters, SI and linear.
#[derive(Clone, Debug, PartialEq)]
pub struct RadarEquation {
    pub peak_power_w: Sourced<f64>,
    /// Transmitted (uncompressed) pulse length; the pulse energy is Pt·τ.
    pub pulse_width_s: Option<Sourced<f64>>,
    /// Processed (compressed) bandwidth; alone it stands for an uncompressed pulse τ = 1/B.
    pub bandwidth_hz: Option<Sourced<f64>>,
    /// Linear transmit gain.
    pub transmit_gain: Sourced<f64>,
    /// Linear receive gain; `None`: equal to the transmit gain.
    pub receive_gain: Option<Sourced<f64>>,
    pub frequency_hz: Sourced<f64>,
    pub noise: Noise,
    /// Total system losses, linear ≥ 1.
    pub losses: Sourced<f64>,
}

impl RadarEquation {
    /// Pulse length whose energy enters the SNR: τ, else 1/B, s.
    pub fn energy_time_s(&self) -> f64 {
        match (&self.pulse_width_s, &self.bandwidth_hz) {
            (Some(t), _) => t.value,
            (None, Some(b)) => 1.0 / b.value,
            (None, None) => 0.0,
        }
    }

    /// System noise temperature Ts, K: as given, else T₀·F.
    pub fn system_temperature_k(&self) -> f64 {
        match &self.noise {
            Noise::Figure(f) => REFERENCE_NOISE_TEMPERATURE_K * f.value,
            Noise::SystemTemperature(t) => t.value,
        }
    }

    pub fn wavelength_m(&self) -> f64 {
        SPEED_OF_LIGHT_MPS / self.frequency_hz.value
    }

    /// Single-pulse SNR (linear) of a target of `rcs_m2` at `range_m`, matched filter:
    /// SNR = Pt·τ·Gt·Gr·λ²·σ / ((4π)³·k·Ts·R⁴·L) (the radar range equation in its energy form:
    /// Skolnik 2001, ch. 2; Richards 2014, ch. 2). Ranges under 1 m are taken as 1 m (the far-field equation means nothing
    /// closer); a negative or non-finite input gives 0.
    pub fn single_pulse_snr(&self, range_m: f64, rcs_m2: f64) -> f64 {
        if !(range_m.is_finite() && rcs_m2.is_finite()) || rcs_m2 <= 0.0 || range_m < 0.0 {
            return 0.0;
        }
        let r = range_m.max(1.0);
        let gr = self.receive_gain.as_ref().unwrap_or(&self.transmit_gain).value;
        let num = self.peak_power_w.value * self.energy_time_s() * self.transmit_gain.value * gr;
        let four_pi_cubed = (4.0 * std::f64::consts::PI).powi(3);
        let den = four_pi_cubed * BOLTZMANN_J_PER_K * self.system_temperature_k() * self.losses.value;
        let snr = num * self.wavelength_m().powi(2) * rcs_m2 / (den * r.powi(4));
        if snr.is_finite() { snr } else { 0.0 }
    }

    /// Range (m) at which the single-pulse SNR of a `rcs_m2` target equals `snr`; `None` for a
    /// non-positive or non-finite request.
    pub fn range_for_single_pulse_snr(&self, snr: f64, rcs_m2: f64) -> Option<f64> {
        if !(snr.is_finite() && snr > 0.0) {
            return None;
        }
        let at_1m = self.single_pulse_snr(1.0, rcs_m2);
        let r = (at_1m / snr).powf(0.25);
        (r.is_finite() && r > 0.0).then_some(r)
    }
}

/// A plain detection anchor: a target of `rcs_m2` is seen at `range_m` with probability `pd`
/// at false-alarm probability `pfa`, one look, Swerling 1.
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct DetectionAnchor {
    pub range_m: f64,
    pub rcs_m2: f64,
    pub pd: f64,
    pub pfa: f64,
}

/// SNR (linear) that a Swerling 1 target needs for `pd` at `pfa` with a square-law detector on
/// one (integrated) sample: from Pd = Pfa^(1/(1+SNR)) (Richards 2014, ch. 7, Swerling 1 with
/// N = 1), SNR = ln Pfa / ln Pd − 1. `None` unless 0 < pfa < pd < 1.
pub fn swerling1_required_snr(pd: f64, pfa: f64) -> Option<f64> {
    if !(pfa > 0.0 && pfa < pd && pd < 1.0) {
        return None;
    }
    let snr = pfa.ln() / pd.ln() - 1.0;
    (snr.is_finite() && snr > 0.0).then_some(snr)
}

/// Time-budget data of a fire-control or multifunction radar (phased-array scheduling).
#[derive(Clone, Debug, PartialEq)]
pub struct Schedule {
    /// Time to search the whole search volume once.
    pub search_frame_time_s: Sourced<f64>,
    /// Dwell per search beam position.
    pub search_dwell_s: Sourced<f64>,
    /// Dwell per track update.
    pub track_dwell_s: Sourced<f64>,
    /// Track update rate of a target under engagement, Hz.
    pub engaged_track_rate_hz: Sourced<f64>,
    /// Fraction of radar time available for track dwells (the rest searches).
    pub track_time_fraction: Sourced<f64>,
    /// Targets it can hold in track at once.
    pub max_tracks: Sourced<u32>,
}

/// A radar type. Sensitivity is a reference point or radar-equation parameters
/// ([`Sensitivity`]); [`Radar::detection_anchor`] turns either into one anchor.
#[derive(Clone, Debug, PartialEq)]
pub struct Radar {
    pub id: String,
    pub name: String,
    pub role: RadarRole,
    /// Agrees with the frequency of a radar-equation radar (IEEE 521).
    pub band: Band,
    pub sensitivity: Sensitivity,
    /// False-alarm probability per resolution cell and look (both descriptions).
    pub pfa: Sourced<f64>,
    /// Pulses integrated per look; `None` means 1.
    pub pulses: Option<Sourced<u32>>,
    /// How the pulses are integrated; given whenever `pulses` > 1.
    pub integration: Option<Integration>,
    pub instrumented_range_m: Sourced<f64>,
    pub min_range_m: Sourced<f64>,
    /// Width of the azimuth sector, centred on the unit's facing; 2π for all-round.
    pub azimuth_sector_rad: Sourced<f64>,
    pub min_elevation_rad: Sourced<f64>,
    pub max_elevation_rad: Sourced<f64>,
    pub revisit_time_s: Sourced<f64>,
    pub range_resolution_m: Sourced<f64>,
    pub beamwidth_azimuth_rad: Sourced<f64>,
    pub beamwidth_elevation_rad: Sourced<f64>,
    pub sigma_range_m: Sourced<f64>,
    pub sigma_azimuth_rad: Sourced<f64>,
    pub sigma_elevation_rad: Sourced<f64>,
    /// None: no Doppler measurement.
    pub sigma_range_rate_mps: Option<Sourced<f64>>,
    /// Blind zone of a pulse-Doppler / MTI radar: targets slower than this in radial speed
    /// fall in the clutter notch. None: no notch.
    pub min_radial_speed_mps: Option<Sourced<f64>>,
    /// Fixed measurement biases (registration errors); None: zero.
    pub bias_range_m: Option<Sourced<f64>>,
    pub bias_azimuth_rad: Option<Sourced<f64>>,
    pub bias_elevation_rad: Option<Sourced<f64>>,
    /// Default mast height above the site.
    pub antenna_height_m: Sourced<f64>,
    /// Targets it can guide on at once (fire_control / multifunction only).
    pub fire_channels: Option<Sourced<u32>>,
    /// Time budget (fire_control / multifunction only, always present there).
    pub schedule: Option<Schedule>,
    /// Range of a co-located IFF interrogator.
    pub iff_range_m: Option<Sourced<f64>>,
    /// Reply probability per interrogation of that interrogator (only with `iff_range_m`).
    pub iff_reply_probability: Option<Sourced<f64>>,
    /// The modes that interrogator interrogates and decodes (only with `iff_range_m`); `None`:
    /// Mode 5, 4 and the civil modes (`bulwark_sensors::DEFAULT_INTERROGATOR_MODES`). Its secure
    /// modes are read only with the keys the scenario grants the unit (`[[defence]] iff_keys`).
    pub iff_modes: Option<Sourced<ModeSet>>,
    /// Half range extent of a track dwell's gate about the predicted range (only with a time
    /// budget); `None`: [`DEFAULT_TRACK_GATE_M`].
    pub track_gate_m: Option<Sourced<f64>>,
}

impl Radar {
    /// Pulses integrated per look (1 when not given).
    pub fn pulses_per_look(&self) -> u32 {
        self.pulses.as_ref().map_or(1, |p| p.value)
    }

    /// Fluctuation case the reference point was quoted for (Swerling 1 when not given, and for
    /// the radar-equation form, whose anchor is derived for Swerling 1).
    pub fn reference_swerling(&self) -> Swerling {
        match &self.sensitivity {
            Sensitivity::ReferenceRange(r) => r.swerling.as_ref().map_or(Swerling::One, |s| s.value),
            Sensitivity::RadarEquation(_) => Swerling::One,
        }
    }

    /// The reply probability of its IFF interrogator, [`DEFAULT_IFF_REPLY_PROBABILITY`] when
    /// the catalog gives none; `None` without an interrogator.
    pub fn iff_reply_probability(&self) -> Option<f64> {
        self.iff_range_m.as_ref()?;
        Some(self.iff_reply_probability.as_ref().map_or(DEFAULT_IFF_REPLY_PROBABILITY, |p| p.value))
    }

    /// One detection anchor for either description. Reference form: the point as given.
    /// Radar-equation form: the range at which a 1 m² Swerling 1 target is seen with Pd 0.5 at
    /// the radar's Pfa, one look of `pulses` integrated coherently (SNR = n·SNR₁, Richards 2014
    /// §6.1) and [`swerling1_required_snr`]. `None` for a radar-equation radar that integrates
    /// several pulses non-coherently (no closed form; the sensor model must do it).
    pub fn detection_anchor(&self) -> Option<DetectionAnchor> {
        let pfa = self.pfa.value;
        match &self.sensitivity {
            Sensitivity::ReferenceRange(r) => {
                Some(DetectionAnchor { range_m: r.range_m.value, rcs_m2: r.rcs_m2.value, pd: r.pd.value, pfa })
            }
            Sensitivity::RadarEquation(eq) => {
                let n = self.pulses_per_look();
                if n > 1 && self.integration != Some(Integration::Coherent) {
                    return None;
                }
                let (pd, rcs_m2) = (0.5, 1.0);
                let needed = swerling1_required_snr(pd, pfa)? / f64::from(n);
                let range_m = eq.range_for_single_pulse_snr(needed, rcs_m2)?;
                Some(DetectionAnchor { range_m, rcs_m2, pd, pfa })
            }
        }
    }
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Guidance {
    Command,
    SemiActive,
    Tvm,
    Active,
}

/// What track an interceptor type needs to be launched (fire authority follows the guidance
/// chain): command, semi-active and track-via-missile rounds are guided by the unit's
/// fire-control radar from launch to intercept, so they need its track, inside its sector, at
/// launch and at the intercept point; an active-seeker round with inertial/uplink mid-course
/// may also leave on a surveillance or network track when its doctrine says so and the
/// predicted error fits its seeker's acquisition basket (Zarchan, *Tactical and Strategic
/// Missile Guidance*, 6th ed., ch. 1: command and semi-active homing need the ground radar to
/// the end; active homing only to hand-over).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum LaunchTrack {
    /// A fire-control radar track, inside that radar's sector through mid-course.
    FireControl,
    /// Any own track (surveillance, network) whose predicted error fits the seeker basket.
    Surveillance,
}

impl LaunchTrack {
    pub fn as_str(self) -> &'static str {
        match self {
            LaunchTrack::FireControl => "fire_control",
            LaunchTrack::Surveillance => "surveillance",
        }
    }
}

/// An interceptor missile type.
#[derive(Clone, Debug, PartialEq)]
pub struct Interceptor {
    pub id: String,
    pub name: String,
    /// Terminal guidance mode.
    pub guidance: Guidance,
    pub min_range_m: Sourced<f64>,
    pub max_range_m: Sourced<f64>,
    pub min_altitude_m: Sourced<f64>,
    pub max_altitude_m: Sourced<f64>,
    pub max_target_speed_mps: Sourced<f64>,
    /// Burnout speed.
    pub max_speed_mps: Sourced<f64>,
    pub burn_time_s: Sourced<f64>,
    pub max_flight_time_s: Sourced<f64>,
    pub max_lateral_acceleration_mps2: Sourced<f64>,
    /// N′ of proportional navigation.
    pub navigation_constant: Sourced<f64>,
    /// m / (Cd·A), kg/m², drag in coast.
    pub ballistic_coefficient_kg_m2: Sourced<f64>,
    pub seeker_acquisition_range_m: Option<Sourced<f64>>,
    pub seeker_sigma_angle_rad: Option<Sourced<f64>>,
    /// Half-angle of the cone the seeker searches at hand-over (rad): the acquisition basket
    /// is a disc of radius `seeker_acquisition_range · tan(seeker_field_of_view)`.
    pub seeker_field_of_view_rad: Option<Sourced<f64>>,
    /// The track it needs at launch; `None` reads as [`LaunchTrack::FireControl`].
    pub launch_track: Option<Sourced<LaunchTrack>>,
    pub lethal_radius_m: Sourced<f64>,
    /// Kill probability at zero miss distance.
    pub single_shot_pk: Sourced<f64>,
    /// Launch mass.
    pub mass_kg: Sourced<f64>,
    /// A round opening from its target estimate inside this range has missed (m); `None`:
    /// [`DEFAULT_PASS_RANGE_M`].
    pub pass_range_m: Option<Sourced<f64>>,
}

/// A launcher type.
#[derive(Clone, Debug, PartialEq)]
pub struct Launcher {
    pub id: String,
    pub name: String,
    /// Tubes.
    pub capacity: Sourced<u32>,
    /// Interceptor ids it can carry.
    pub loads: Vec<String>,
    pub deploy_time_s: Sourced<f64>,
    pub reload_time_s: Sourced<f64>,
}

/// A system type: which radars, launchers and interceptors make a unit, and its command post.
#[derive(Clone, Debug, PartialEq)]
pub struct System {
    pub id: String,
    pub name: String,
    pub radars: Vec<String>,
    pub launchers: Vec<String>,
    pub interceptors: Vec<String>,
    /// Detection-to-launch time at the command post.
    pub reaction_time_s: Sourced<f64>,
    pub max_engaged_targets: Sourced<u32>,
    pub max_guided_missiles: Sourced<u32>,
    /// Command destruct: the command post can destroy its interceptors in flight, this long
    /// after their target is declared protected (uplink and decision). `None`: it cannot.
    pub command_destruct_s: Option<Sourced<f64>>,
    /// Plausibility doctrine: least ground speed (m/s) and least track updates of a track the
    /// command post may engage (`bulwark_c2::Plausibility`). `None`: no such test.
    pub min_target_speed_mps: Option<Sourced<f64>>,
    pub min_track_updates: Option<Sourced<u32>>,
    /// A fire-control-guided round is destroyed this long (s) after the fire-control radar stops
    /// holding its track (`bulwark_c2::Doctrine::guidance_loss_destruct_s`). `None`: never.
    pub guidance_loss_destruct_s: Option<Sourced<f64>>,
    /// Its decision period, tracker tuning and outside-picture doctrine.
    pub unit_doctrine: UnitDoctrine,
    /// IFF history (issue 18): a new track forming within this distance (m) of an answered
    /// track, live or deleted at most `iff_history_memory_s` before, is on the same object and
    /// inherits its replies. `None`: the engine's default gate; memory `None`: deleted tracks
    /// hand nothing on.
    pub iff_history_gate_m: Option<Sourced<f64>>,
    pub iff_history_memory_s: Option<Sourced<f64>>,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Transponder {
    None,
    Mode5,
    /// Mode 3/A, C and S.
    Civil,
}

/// Ballistic-missile-only parameters.
#[derive(Clone, Debug, PartialEq)]
pub struct BallisticParams {
    pub max_range_m: Sourced<f64>,
    pub burn_time_s: Sourced<f64>,
    /// β = m/(Cd·A) of the body after burnout, kg/m² (drag in coast and re-entry).
    pub ballistic_coefficient_kg_m2: Sourced<f64>,
}

/// Aspect from which a radar sees a platform (relative to its body axis).
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Aspect {
    Nose,
    Beam,
    Tail,
    Above,
    Below,
}

impl Aspect {
    pub const ALL: [Aspect; 5] = [Aspect::Nose, Aspect::Beam, Aspect::Tail, Aspect::Above, Aspect::Below];
    pub fn as_str(self) -> &'static str {
        match self {
            Aspect::Nose => "nose",
            Aspect::Beam => "beam",
            Aspect::Tail => "tail",
            Aspect::Above => "above",
            Aspect::Below => "below",
        }
    }
}

/// Mean RCS (the Swerling mean) by radar band and aspect, each value sourced. At least one
/// band; every band listed has a nose value.
#[derive(Clone, Debug, PartialEq)]
pub struct RcsTable {
    entries: BTreeMap<(Band, Aspect), Sourced<f64>>,
}

impl RcsTable {
    /// A table from (band, aspect) entries; `None` if empty or a band has no nose value.
    pub fn new(entries: BTreeMap<(Band, Aspect), Sourced<f64>>) -> Option<RcsTable> {
        let table = RcsTable { entries };
        let ok = !table.entries.is_empty() && table.bands().iter().all(|b| table.get(*b, Aspect::Nose).is_some());
        ok.then_some(table)
    }

    /// The value given for exactly (band, aspect).
    pub fn get(&self, band: Band, aspect: Aspect) -> Option<&Sourced<f64>> {
        self.entries.get(&(band, aspect))
    }

    /// Bands listed, lowest frequency first.
    pub fn bands(&self) -> Vec<Band> {
        let mut out: Vec<Band> = self.entries.keys().map(|(b, _)| *b).collect();
        out.dedup();
        out
    }

    /// Every entry, by band then aspect.
    pub fn iter(&self) -> impl Iterator<Item = (Band, Aspect, &Sourced<f64>)> {
        self.entries.iter().map(|((b, a), v)| (*b, *a, v))
    }

    /// RCS (m²) for a radar of `band` seeing `aspect`: the listed band nearest in the band
    /// order (a tie goes to the lower band, where shaped targets are larger), then that
    /// band's `aspect` value or, if absent, its nose value. A lookup rule, not a model.
    pub fn lookup_m2(&self, band: Band, aspect: Aspect) -> f64 {
        let idx = |b: Band| Band::ALL.iter().position(|x| *x == b).unwrap_or(0) as i64;
        let bands = self.bands();
        let nearest = bands.iter().copied().min_by_key(|b| ((idx(*b) - idx(band)).abs(), idx(*b))).unwrap_or(band);
        self.get(nearest, aspect).or_else(|| self.get(nearest, Aspect::Nose)).map_or(0.0, |s| s.value)
    }
}

/// What a jammer protects.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JammerKind {
    /// On board, screening the platform that carries it (main-beam, self-screening).
    SelfProtection,
    /// From a stand-off orbit, screening other aircraft (usually through sidelobes).
    StandOff,
}

/// A noise jammer carried by a platform.
#[derive(Clone, Debug, PartialEq)]
pub struct Jammer {
    pub kind: JammerKind,
    /// Effective radiated power Pj·Gj toward the victim radar, W.
    pub erp_w: Sourced<f64>,
    /// Noise bandwidth Bj, Hz (spot or barrage); the density at the radar scales with 1/Bj.
    pub bandwidth_hz: Sourced<f64>,
    /// Radar bands it can jam.
    pub bands: Sourced<Vec<Band>>,
}

/// A threat, civil or friendly aircraft or missile type.
#[derive(Clone, Debug, PartialEq)]
pub struct Platform {
    pub id: String,
    pub name: String,
    pub class: PlatformClass,
    /// Mean RCS (Swerling mean) by band and aspect.
    pub rcs: RcsTable,
    /// Fluctuation model of the target; `None` means Swerling 1.
    pub swerling: Option<Sourced<Swerling>>,
    pub cruise_speed_mps: Sourced<f64>,
    pub max_speed_mps: Sourced<f64>,
    pub min_speed_mps: Sourced<f64>,
    /// n; turns are limited to a radius V²/(g·√(n²−1)).
    pub max_load_factor: Sourced<f64>,
    pub max_climb_rate_mps: Sourced<f64>,
    /// Along-track speed change.
    pub max_acceleration_mps2: Sourced<f64>,
    pub ceiling_m: Sourced<f64>,
    pub transponder: Transponder,
    /// Present exactly when `class` is ballistic_missile.
    pub ballistic: Option<BallisticParams>,
    /// A self-protection or stand-off jammer it carries.
    pub jammer: Option<Jammer>,
}

impl Platform {
    /// The single RCS of earlier catalogs: X-band nose, else S-band nose, else the
    /// [`RcsTable::lookup_m2`] value for X band, nose (m²).
    pub fn reference_rcs_m2(&self) -> f64 {
        self.rcs
            .get(Band::X, Aspect::Nose)
            .or_else(|| self.rcs.get(Band::S, Aspect::Nose))
            .map_or_else(|| self.rcs.lookup_m2(Band::X, Aspect::Nose), |s| s.value)
    }

    /// Its Swerling case (1 when the catalog gives none).
    pub fn swerling_case(&self) -> Swerling {
        self.swerling.as_ref().map_or(Swerling::One, |s| s.value)
    }
}

/// The kind of a catalog entry.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EntryKind {
    Source,
    Radar,
    Interceptor,
    Launcher,
    System,
    Platform,
    CommandPost,
}

impl EntryKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EntryKind::Source => "source",
            EntryKind::Radar => "radar",
            EntryKind::Interceptor => "interceptor",
            EntryKind::Launcher => "launcher",
            EntryKind::System => "system",
            EntryKind::Platform => "platform",
            EntryKind::CommandPost => "command_post",
        }
    }
}

/// The validated catalog, every map keyed by id.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Catalog {
    pub sources: BTreeMap<String, Source>,
    pub radars: BTreeMap<String, Radar>,
    pub interceptors: BTreeMap<String, Interceptor>,
    pub launchers: BTreeMap<String, Launcher>,
    pub systems: BTreeMap<String, System>,
    pub platforms: BTreeMap<String, Platform>,
    pub command_posts: BTreeMap<String, CommandPost>,
}

/// The workspace's `catalog/` directory, compiled in, as (display path, text).
const EMBEDDED: [(&str, &str); 7] = [
    ("catalog/sources.toml", include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../catalog/sources.toml"))),
    ("catalog/s400.toml", include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../catalog/s400.toml"))),
    ("catalog/s300pmu2.toml", include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../catalog/s300pmu2.toml"))),
    ("catalog/patriot.toml", include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../catalog/patriot.toml"))),
    (
        "catalog/surveillance.toml",
        include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../catalog/surveillance.toml")),
    ),
    ("catalog/threats.toml", include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../catalog/threats.toml"))),
    ("catalog/civil.toml", include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../catalog/civil.toml"))),
];

impl Catalog {
    /// The catalog compiled into the binary (the workspace's `catalog/` directory).
    pub fn embedded() -> Result<Catalog, Diagnostic> {
        Catalog::from_texts(&Catalog::embedded_texts())
    }

    /// The embedded catalog's (path, TOML text) pairs, for callers that edit a value before
    /// building (campaign factors on catalog values) or hash the inputs of a study.
    pub fn embedded_texts() -> Vec<(PathBuf, String)> {
        EMBEDDED.iter().map(|(p, t)| (PathBuf::from(p), (*t).to_string())).collect()
    }

    /// Loads every `*.toml` file of `dir`, in file-name order.
    pub fn load_dir(dir: impl AsRef<Path>) -> Result<Catalog, Diagnostic> {
        Catalog::from_texts(&Catalog::dir_texts(dir)?)
    }

    /// The (path, TOML text) pairs `load_dir` builds from, in file-name order.
    pub fn dir_texts(dir: impl AsRef<Path>) -> Result<Vec<(PathBuf, String)>, Diagnostic> {
        let dir = dir.as_ref();
        let entries =
            std::fs::read_dir(dir).map_err(|e| Diagnostic::file(dir, format!("cannot read catalog directory: {e}")))?;
        let mut paths = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|e| Diagnostic::file(dir, format!("cannot list catalog directory: {e}")))?;
            let path = entry.path();
            if path.extension().is_some_and(|x| x == "toml") && path.is_file() {
                paths.push(path);
            }
        }
        paths.sort_by(|a, b| a.file_name().cmp(&b.file_name()));
        if paths.is_empty() {
            return Err(Diagnostic::file(dir, "catalog directory holds no *.toml file"));
        }
        let mut files = Vec::new();
        for p in paths {
            let text = crate::diag::read_text(&p)?;
            files.push((p, text));
        }
        Ok(files)
    }

    /// Builds a catalog from (path for messages, TOML text) pairs, in the order given.
    pub fn from_texts(files: &[(PathBuf, String)]) -> Result<Catalog, Diagnostic> {
        let mut parsed = Vec::new();
        for (path, text) in files {
            let src = Src { file: path, text };
            let raw: RawFile = src.parse()?;
            parsed.push((src, raw));
        }
        let mut cat = Catalog::default();
        let mut first_seen: BTreeMap<String, (EntryKind, PathBuf)> = BTreeMap::new();
        // Sources first: every value below refers to them.
        for (src, raw) in &parsed {
            for (key, s) in &raw.source {
                claim(src, &mut first_seen, key, s.span(), EntryKind::Source)?;
                let r = s.get_ref();
                src.check(r.year.span(), "year", *r.year.get_ref() as f64, None, Check::Within(1800.0, 2200.0))?;
                cat.sources.insert(
                    key.clone(),
                    Source {
                        id: key.clone(),
                        title: r.title.clone(),
                        publisher: r.publisher.clone(),
                        url: r.url.clone(),
                        year: *r.year.get_ref() as i32,
                        kind: r.kind,
                    },
                );
            }
        }
        // Ids are one namespace: claim them in file order so a duplicate is reported at its
        // second appearance.
        for (src, raw) in &parsed {
            let mut ids: Vec<(&Spanned<String>, EntryKind)> = Vec::new();
            ids.extend(raw.radar.iter().map(|r| (&r.get_ref().id, EntryKind::Radar)));
            ids.extend(raw.interceptor.iter().map(|r| (&r.get_ref().id, EntryKind::Interceptor)));
            ids.extend(raw.launcher.iter().map(|r| (&r.get_ref().id, EntryKind::Launcher)));
            ids.extend(raw.system.iter().map(|r| (&r.get_ref().id, EntryKind::System)));
            ids.extend(raw.platform.iter().map(|r| (&r.get_ref().id, EntryKind::Platform)));
            ids.extend(raw.command_post.iter().map(|r| (&r.get_ref().id, EntryKind::CommandPost)));
            ids.sort_by_key(|(id, _)| id.span().start);
            for (id, kind) in ids {
                claim(src, &mut first_seen, id.get_ref(), id.span(), kind)?;
            }
        }
        for (src, raw) in &parsed {
            let cx = Cx { src: *src, sources: &cat.sources };
            for r in &raw.interceptor {
                let e = cx.interceptor(r.get_ref())?;
                cat.interceptors.insert(e.id.clone(), e);
            }
            for r in &raw.radar {
                let e = cx.radar(r)?;
                cat.radars.insert(e.id.clone(), e);
            }
            for r in &raw.platform {
                let e = cx.platform(r)?;
                cat.platforms.insert(e.id.clone(), e);
            }
        }
        // Launchers refer to interceptors, systems to everything: check after all files are in.
        for (src, raw) in &parsed {
            let cx = Cx { src: *src, sources: &cat.sources };
            for r in &raw.launcher {
                let e = cx.launcher(r.get_ref(), &cat)?;
                cat.launchers.insert(e.id.clone(), e);
            }
        }
        for (src, raw) in &parsed {
            let cx = Cx { src: *src, sources: &cat.sources };
            for r in &raw.system {
                let e = cx.system(r.get_ref(), &cat)?;
                cat.systems.insert(e.id.clone(), e);
            }
            for r in &raw.command_post {
                let e = cx.command_post(r.get_ref(), &cat)?;
                cat.command_posts.insert(e.id.clone(), e);
            }
        }
        Ok(cat)
    }

    pub fn radar(&self, id: &str) -> Option<&Radar> {
        self.radars.get(id)
    }
    pub fn interceptor(&self, id: &str) -> Option<&Interceptor> {
        self.interceptors.get(id)
    }
    pub fn launcher(&self, id: &str) -> Option<&Launcher> {
        self.launchers.get(id)
    }
    pub fn system(&self, id: &str) -> Option<&System> {
        self.systems.get(id)
    }
    pub fn platform(&self, id: &str) -> Option<&Platform> {
        self.platforms.get(id)
    }
    pub fn source(&self, id: &str) -> Option<&Source> {
        self.sources.get(id)
    }

    /// Which kind of entry `id` is, if any (ids are unique across kinds).
    pub fn kind_of(&self, id: &str) -> Option<EntryKind> {
        if self.radars.contains_key(id) {
            Some(EntryKind::Radar)
        } else if self.interceptors.contains_key(id) {
            Some(EntryKind::Interceptor)
        } else if self.launchers.contains_key(id) {
            Some(EntryKind::Launcher)
        } else if self.systems.contains_key(id) {
            Some(EntryKind::System)
        } else if self.platforms.contains_key(id) {
            Some(EntryKind::Platform)
        } else if self.command_posts.contains_key(id) {
            Some(EntryKind::CommandPost)
        } else if self.sources.contains_key(id) {
            Some(EntryKind::Source)
        } else {
            None
        }
    }

    /// Ids of one kind, sorted.
    pub fn ids(&self, kind: EntryKind) -> Vec<&str> {
        fn keys<V>(m: &BTreeMap<String, V>) -> Vec<&str> {
            m.keys().map(String::as_str).collect()
        }
        match kind {
            EntryKind::Source => keys(&self.sources),
            EntryKind::Radar => keys(&self.radars),
            EntryKind::Interceptor => keys(&self.interceptors),
            EntryKind::Launcher => keys(&self.launchers),
            EntryKind::System => keys(&self.systems),
            EntryKind::Platform => keys(&self.platforms),
            EntryKind::CommandPost => keys(&self.command_posts),
        }
    }

    /// Every entry as (kind, id, name), grouped by kind (systems, radars, interceptors,
    /// launchers, platforms, sources) and sorted by id within a kind.
    pub fn list(&self) -> Vec<(EntryKind, String, String)> {
        let mut out = Vec::new();
        out.extend(self.systems.values().map(|e| (EntryKind::System, e.id.clone(), e.name.clone())));
        out.extend(self.radars.values().map(|e| (EntryKind::Radar, e.id.clone(), e.name.clone())));
        out.extend(self.interceptors.values().map(|e| (EntryKind::Interceptor, e.id.clone(), e.name.clone())));
        out.extend(self.launchers.values().map(|e| (EntryKind::Launcher, e.id.clone(), e.name.clone())));
        out.extend(self.platforms.values().map(|e| (EntryKind::Platform, e.id.clone(), e.name.clone())));
        out.extend(self.command_posts.values().map(|e| (EntryKind::CommandPost, e.id.clone(), e.name.clone())));
        out.extend(self.sources.values().map(|e| (EntryKind::Source, e.id.clone(), e.title.clone())));
        out
    }

    /// A readable multi-line description of entry `id`: every parameter with its value and
    /// unit, its source (title, publisher, year), note and alternatives.
    pub fn describe(&self, id: &str) -> Option<String> {
        let mut out = String::new();
        let kind = self.kind_of(id)?;
        let (name, fields, params): Described<'_> = match kind {
            EntryKind::Source => {
                let s = &self.sources[id];
                let mut f = vec![
                    ("publisher", s.publisher.clone()),
                    ("year", s.year.to_string()),
                    ("kind", format!("{:?}", s.kind).to_lowercase()),
                ];
                if let Some(u) = &s.url {
                    f.push(("url", u.clone()));
                }
                (&s.title, f, Vec::new())
            }
            EntryKind::Radar => {
                let r = &self.radars[id];
                let mut f = vec![("role", snake(&format!("{:?}", r.role))), ("band", r.band.as_str().to_string())];
                let form = match r.sensitivity {
                    Sensitivity::ReferenceRange(_) => "reference point",
                    Sensitivity::RadarEquation(_) => "radar equation",
                };
                f.push(("sensitivity", form.to_string()));
                if let Some(i) = r.integration {
                    f.push(("integration", snake(&format!("{i:?}"))));
                }
                if let (Sensitivity::RadarEquation(_), Some(a)) = (&r.sensitivity, r.detection_anchor()) {
                    let line = format!(
                        "{} for {} (Pd {}, Pfa {}, Swerling 1, one look)",
                        units::display(Q::Length, a.range_m),
                        units::display(Q::Area, a.rcs_m2),
                        fmt_num(a.pd),
                        a.pfa
                    );
                    f.push(("derived reference point", line));
                }
                (&r.name, f, r.params())
            }
            EntryKind::Interceptor => {
                let r = &self.interceptors[id];
                let mut f = vec![("guidance", snake(&format!("{:?}", r.guidance)))];
                f.push(("launch_track", r.launch_track().as_str().to_string()));
                (&r.name, f, r.params())
            }
            EntryKind::Launcher => {
                let r = &self.launchers[id];
                (&r.name, vec![("loads", r.loads.join(", "))], r.params())
            }
            EntryKind::System => {
                let r = &self.systems[id];
                let f = vec![
                    ("radars", r.radars.join(", ")),
                    ("launchers", r.launchers.join(", ")),
                    ("interceptors", r.interceptors.join(", ")),
                ];
                (&r.name, f, r.params())
            }
            EntryKind::Platform => {
                let r = &self.platforms[id];
                let mut f = vec![
                    ("class", r.class.as_str().to_string()),
                    ("transponder", snake(&format!("{:?}", r.transponder))),
                    ("reference_rcs (X or S band, nose)", units::display(Q::Area, r.reference_rcs_m2())),
                ];
                if let Some(j) = &r.jammer {
                    f.push(("jammer", snake(&format!("{:?}", j.kind))));
                }
                (&r.name, f, r.params())
            }
            EntryKind::CommandPost => {
                let r = &self.command_posts[id];
                (&r.name, vec![("radars", r.radars.join(", "))], r.params())
            }
        };
        let _ = writeln!(out, "{} {id}: {name}", kind.as_str());
        for (k, v) in fields {
            let _ = writeln!(out, "  {k}: {v}");
        }
        for (key, p) in params {
            let _ = writeln!(out, "  {key} = {}", p.value);
            let _ = writeln!(out, "      source: {}", self.cite(p.source));
            if let Some(n) = p.note {
                let _ = writeln!(out, "      note: {n}");
            }
            for (v, s, n) in p.alternatives {
                let _ = writeln!(out, "      alternative: {v} ({})", self.cite(s));
                if let Some(n) = n {
                    let _ = writeln!(out, "        note: {n}");
                }
            }
        }
        Some(out)
    }

    fn cite(&self, key: &str) -> String {
        match self.sources.get(key) {
            Some(s) => {
                format!("[{key}] {}, {}, {} ({})", s.title, s.publisher, s.year, snake(&format!("{:?}", s.kind)))
            }
            None => format!("[{key}]"),
        }
    }
}

fn show(q: Option<Quantity>, x: f64) -> String {
    match q {
        Some(q) => units::display(q, x),
        None => fmt_num(x),
    }
}

/// "a" or "an" before `word`.
fn article(word: &str) -> &'static str {
    if word.starts_with(['a', 'e', 'i', 'o', 'u']) { "an" } else { "a" }
}

/// `FireControl` → `fire_control`.
fn snake(camel: &str) -> String {
    let mut s = String::new();
    for (i, c) in camel.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            s.push('_');
        }
        s.push(c.to_ascii_lowercase());
    }
    s
}

/// An entry for [`Catalog::describe`]: name, plain fields, sourced parameters.
type Described<'a> = (&'a str, Vec<(&'static str, String)>, Vec<(String, Shown<'a>)>);

/// One sourced parameter as text, for [`Catalog::describe`].
struct Shown<'a> {
    value: String,
    source: &'a str,
    note: Option<&'a str>,
    alternatives: Vec<(String, &'a str, Option<&'a str>)>,
}

fn shown<T>(s: &Sourced<T>, f: impl Fn(&T) -> String) -> Shown<'_> {
    Shown {
        value: f(&s.value),
        source: &s.source,
        note: s.note.as_deref(),
        alternatives: s.alternatives.iter().map(|a| (f(&a.value), a.source.as_str(), a.note.as_deref())).collect(),
    }
}

/// Collects the parameters of one entry.
#[derive(Default)]
struct Params<'a>(Vec<(String, Shown<'a>)>);

impl<'a> Params<'a> {
    fn real(&mut self, key: impl Into<String>, q: Option<Quantity>, s: &'a Sourced<f64>) -> &mut Self {
        self.0.push((key.into(), shown(s, |x| show(q, *x))));
        self
    }
    fn opt(&mut self, key: &str, q: Option<Quantity>, s: &'a Option<Sourced<f64>>) -> &mut Self {
        if let Some(s) = s {
            self.real(key, q, s);
        }
        self
    }
    fn count(&mut self, key: &str, s: &'a Sourced<u32>) -> &mut Self {
        self.0.push((key.into(), shown(s, |x| x.to_string())));
        self
    }
    fn swerling(&mut self, key: &str, s: &'a Option<Sourced<Swerling>>) -> &mut Self {
        if let Some(s) = s {
            self.0.push((key.into(), shown(s, |x| x.case().to_string())));
        }
        self
    }
}

use Quantity as Q;

impl Radar {
    fn params(&self) -> Vec<(String, Shown<'_>)> {
        let mut p = Params::default();
        match &self.sensitivity {
            Sensitivity::ReferenceRange(r) => {
                p.real("reference_range", Some(Q::Length), &r.range_m)
                    .real("reference_rcs", Some(Q::Area), &r.rcs_m2)
                    .real("reference_pd", None, &r.pd)
                    .swerling("reference_swerling", &r.swerling);
            }
            Sensitivity::RadarEquation(e) => {
                p.real("peak_power", Some(Q::Power), &e.peak_power_w)
                    .opt("pulse_width", Some(Q::Time), &e.pulse_width_s)
                    .opt("bandwidth", Some(Q::Frequency), &e.bandwidth_hz)
                    .real("transmit_gain", Some(Q::Gain), &e.transmit_gain)
                    .opt("receive_gain", Some(Q::Gain), &e.receive_gain)
                    .real("frequency", Some(Q::Frequency), &e.frequency_hz);
                match &e.noise {
                    Noise::Figure(f) => p.real("noise_figure", Some(Q::Ratio), f),
                    Noise::SystemTemperature(t) => p.real("system_temperature", Some(Q::Temperature), t),
                };
                p.real("losses", Some(Q::Ratio), &e.losses);
            }
        }
        p.real("pfa", None, &self.pfa);
        if let Some(n) = &self.pulses {
            p.count("pulses", n);
        }
        p.real("instrumented_range", Some(Q::Length), &self.instrumented_range_m)
            .real("min_range", Some(Q::Length), &self.min_range_m)
            .real("azimuth_sector", Some(Q::Angle), &self.azimuth_sector_rad)
            .real("min_elevation", Some(Q::Angle), &self.min_elevation_rad)
            .real("max_elevation", Some(Q::Angle), &self.max_elevation_rad)
            .real("revisit_time", Some(Q::Time), &self.revisit_time_s)
            .real("range_resolution", Some(Q::Length), &self.range_resolution_m)
            .real("beamwidth_azimuth", Some(Q::Angle), &self.beamwidth_azimuth_rad)
            .real("beamwidth_elevation", Some(Q::Angle), &self.beamwidth_elevation_rad)
            .real("sigma_range", Some(Q::Length), &self.sigma_range_m)
            .real("sigma_azimuth", Some(Q::Angle), &self.sigma_azimuth_rad)
            .real("sigma_elevation", Some(Q::Angle), &self.sigma_elevation_rad)
            .opt("sigma_range_rate", Some(Q::Speed), &self.sigma_range_rate_mps)
            .opt("min_radial_speed", Some(Q::Speed), &self.min_radial_speed_mps)
            .opt("bias_range", Some(Q::Length), &self.bias_range_m)
            .opt("bias_azimuth", Some(Q::Angle), &self.bias_azimuth_rad)
            .opt("bias_elevation", Some(Q::Angle), &self.bias_elevation_rad)
            .real("antenna_height", Some(Q::Length), &self.antenna_height_m);
        if let Some(s) = &self.fire_channels {
            p.count("fire_channels", s);
        }
        if let Some(s) = &self.schedule {
            p.real("search_frame_time", Some(Q::Time), &s.search_frame_time_s)
                .real("search_dwell", Some(Q::Time), &s.search_dwell_s)
                .real("track_dwell", Some(Q::Time), &s.track_dwell_s)
                .real("engaged_track_rate", Some(Q::Frequency), &s.engaged_track_rate_hz)
                .real("track_time_fraction", None, &s.track_time_fraction)
                .count("max_tracks", &s.max_tracks);
        }
        p.opt("iff_range", Some(Q::Length), &self.iff_range_m)
            .opt("iff_reply_probability", None, &self.iff_reply_probability)
            .opt("track_gate", Some(Q::Length), &self.track_gate_m);
        p.0
    }
}

impl Interceptor {
    /// The track it needs at launch ([`LaunchTrack::FireControl`] when the catalog says none).
    pub fn launch_track(&self) -> LaunchTrack {
        self.launch_track.as_ref().map_or(LaunchTrack::FireControl, |l| l.value)
    }

    /// Radius of its seeker's acquisition basket (m): R_acq·tan(θ_fov); `None` without both.
    pub fn basket_radius_m(&self) -> Option<f64> {
        let r = self.seeker_acquisition_range_m.as_ref()?.value;
        Some(r * self.seeker_field_of_view_rad.as_ref()?.value.tan())
    }

    fn params(&self) -> Vec<(String, Shown<'_>)> {
        let mut p = Params::default();
        p.real("min_range", Some(Q::Length), &self.min_range_m)
            .real("max_range", Some(Q::Length), &self.max_range_m)
            .real("min_altitude", Some(Q::Altitude), &self.min_altitude_m)
            .real("max_altitude", Some(Q::Altitude), &self.max_altitude_m)
            .real("max_target_speed", Some(Q::Speed), &self.max_target_speed_mps)
            .real("max_speed", Some(Q::Speed), &self.max_speed_mps)
            .real("burn_time", Some(Q::Time), &self.burn_time_s)
            .real("max_flight_time", Some(Q::Time), &self.max_flight_time_s)
            .real("max_lateral_acceleration", Some(Q::Acceleration), &self.max_lateral_acceleration_mps2)
            .real("navigation_constant", None, &self.navigation_constant)
            .real("ballistic_coefficient", Some(Q::BallisticCoefficient), &self.ballistic_coefficient_kg_m2)
            .opt("seeker_acquisition_range", Some(Q::Length), &self.seeker_acquisition_range_m)
            .opt("seeker_sigma_angle", Some(Q::Angle), &self.seeker_sigma_angle_rad)
            .opt("seeker_field_of_view", Some(Q::Angle), &self.seeker_field_of_view_rad)
            .real("lethal_radius", Some(Q::Length), &self.lethal_radius_m)
            .real("single_shot_pk", None, &self.single_shot_pk)
            .real("mass", Some(Q::Mass), &self.mass_kg)
            .opt("pass_range", Some(Q::Length), &self.pass_range_m);
        p.0
    }
}

impl Launcher {
    fn params(&self) -> Vec<(String, Shown<'_>)> {
        let mut p = Params::default();
        p.count("capacity", &self.capacity).real("deploy_time", Some(Q::Time), &self.deploy_time_s).real(
            "reload_time",
            Some(Q::Time),
            &self.reload_time_s,
        );
        p.0
    }
}

impl System {
    fn params(&self) -> Vec<(String, Shown<'_>)> {
        let mut p = Params::default();
        p.real("reaction_time", Some(Q::Time), &self.reaction_time_s)
            .count("max_engaged_targets", &self.max_engaged_targets)
            .count("max_guided_missiles", &self.max_guided_missiles)
            .opt("command_destruct", Some(Q::Time), &self.command_destruct_s)
            .opt("min_target_speed", Some(Q::Speed), &self.min_target_speed_mps)
            .opt("guidance_loss_destruct", Some(Q::Time), &self.guidance_loss_destruct_s)
            .opt("iff_history_gate", Some(Q::Length), &self.iff_history_gate_m)
            .opt("iff_history_memory", Some(Q::Time), &self.iff_history_memory_s);
        if let Some(c) = &self.min_track_updates {
            p.count("min_track_updates", c);
        }
        self.unit_doctrine.params(&mut p);
        p.0
    }
}

impl Platform {
    fn params(&self) -> Vec<(String, Shown<'_>)> {
        let mut p = Params::default();
        for (band, aspect, v) in self.rcs.iter() {
            p.real(format!("rcs.{}.{}", band.as_str(), aspect.as_str()), Some(Q::Area), v);
        }
        p.swerling("swerling", &self.swerling)
            .real("cruise_speed", Some(Q::Speed), &self.cruise_speed_mps)
            .real("max_speed", Some(Q::Speed), &self.max_speed_mps)
            .real("min_speed", Some(Q::Speed), &self.min_speed_mps)
            .real("max_load_factor", None, &self.max_load_factor)
            .real("max_climb_rate", Some(Q::Speed), &self.max_climb_rate_mps)
            .real("max_acceleration", Some(Q::Acceleration), &self.max_acceleration_mps2)
            .real("ceiling", Some(Q::Altitude), &self.ceiling_m);
        if let Some(b) = &self.ballistic {
            p.real("max_range", Some(Q::Length), &b.max_range_m).real("burn_time", Some(Q::Time), &b.burn_time_s).real(
                "ballistic_coefficient",
                Some(Q::BallisticCoefficient),
                &b.ballistic_coefficient_kg_m2,
            );
        }
        if let Some(j) = &self.jammer {
            p.real("jammer.erp", Some(Q::Power), &j.erp_w).real(
                "jammer.bandwidth",
                Some(Q::Frequency),
                &j.bandwidth_hz,
            );
            let bands = |v: &Vec<Band>| v.iter().map(|b| b.as_str()).collect::<Vec<_>>().join(", ");
            p.0.push(("jammer.bands".to_string(), shown(&j.bands, bands)));
        }
        p.0
    }
}

// ---------------------------------------------------------------------------------------------
// Raw file schema (serde) and validation
// ---------------------------------------------------------------------------------------------

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    source: BTreeMap<String, Spanned<RawSource>>,
    #[serde(default)]
    radar: Vec<Spanned<RawRadar>>,
    #[serde(default)]
    interceptor: Vec<Spanned<RawInterceptor>>,
    #[serde(default)]
    launcher: Vec<Spanned<RawLauncher>>,
    #[serde(default)]
    system: Vec<Spanned<RawSystem>>,
    #[serde(default)]
    platform: Vec<Spanned<RawPlatform>>,
    #[serde(default)]
    command_post: Vec<Spanned<RawCommandPost>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSource {
    title: String,
    publisher: String,
    url: Option<String>,
    year: Spanned<i64>,
    kind: SourceKind,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSourced {
    value: Spanned<Raw>,
    source: Spanned<String>,
    note: Option<String>,
    #[serde(default)]
    alternatives: Vec<RawAlternative>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAlternative {
    value: Spanned<Raw>,
    source: Spanned<String>,
    note: Option<String>,
}

type Sv = Spanned<RawSourced>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRadar {
    id: Spanned<String>,
    name: String,
    role: RadarRole,
    band: Spanned<Band>,
    // Sensitivity, reference-point form.
    reference_range: Option<Sv>,
    reference_rcs: Option<Sv>,
    reference_pd: Option<Sv>,
    reference_swerling: Option<Sv>,
    // Sensitivity, radar-equation form.
    peak_power: Option<Sv>,
    pulse_width: Option<Sv>,
    bandwidth: Option<Sv>,
    transmit_gain: Option<Sv>,
    receive_gain: Option<Sv>,
    frequency: Option<Sv>,
    noise_figure: Option<Sv>,
    system_temperature: Option<Sv>,
    losses: Option<Sv>,
    // Both forms.
    pfa: Sv,
    pulses: Option<Sv>,
    integration: Option<Spanned<Integration>>,
    instrumented_range: Sv,
    min_range: Sv,
    azimuth_sector: Sv,
    min_elevation: Sv,
    max_elevation: Sv,
    revisit_time: Sv,
    range_resolution: Sv,
    beamwidth_azimuth: Sv,
    beamwidth_elevation: Sv,
    sigma_range: Sv,
    sigma_azimuth: Sv,
    sigma_elevation: Sv,
    sigma_range_rate: Option<Sv>,
    min_radial_speed: Option<Sv>,
    bias_range: Option<Sv>,
    bias_azimuth: Option<Sv>,
    bias_elevation: Option<Sv>,
    antenna_height: Sv,
    fire_channels: Option<Sv>,
    search_frame_time: Option<Sv>,
    search_dwell: Option<Sv>,
    track_dwell: Option<Sv>,
    engaged_track_rate: Option<Sv>,
    track_time_fraction: Option<Sv>,
    max_tracks: Option<Sv>,
    iff_range: Option<Sv>,
    iff_reply_probability: Option<Sv>,
    iff_modes: Option<Spanned<RawSourcedModes>>,
    track_gate: Option<Sv>,
}

/// `iff_modes = { value = ["mode3a", …], source = "…" }`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSourcedModes {
    value: Spanned<Vec<Spanned<String>>>,
    source: Spanned<String>,
    note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawInterceptor {
    id: Spanned<String>,
    name: String,
    guidance: Guidance,
    min_range: Sv,
    max_range: Sv,
    min_altitude: Sv,
    max_altitude: Sv,
    max_target_speed: Sv,
    max_speed: Sv,
    burn_time: Sv,
    max_flight_time: Sv,
    max_lateral_acceleration: Sv,
    navigation_constant: Sv,
    ballistic_coefficient: Sv,
    seeker_acquisition_range: Option<Sv>,
    seeker_sigma_angle: Option<Sv>,
    seeker_field_of_view: Option<Sv>,
    launch_track: Option<Sv>,
    lethal_radius: Sv,
    single_shot_pk: Sv,
    mass: Sv,
    pass_range: Option<Sv>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLauncher {
    id: Spanned<String>,
    name: String,
    capacity: Sv,
    loads: Spanned<Vec<Spanned<String>>>,
    deploy_time: Sv,
    reload_time: Sv,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSystem {
    id: Spanned<String>,
    name: String,
    radars: Spanned<Vec<Spanned<String>>>,
    launchers: Spanned<Vec<Spanned<String>>>,
    interceptors: Spanned<Vec<Spanned<String>>>,
    reaction_time: Sv,
    max_engaged_targets: Sv,
    max_guided_missiles: Sv,
    command_destruct: Option<Sv>,
    min_target_speed: Option<Sv>,
    min_track_updates: Option<Sv>,
    guidance_loss_destruct: Option<Sv>,
    decision_period: Option<Sv>,
    fire_control_min_updates: Option<Sv>,
    track_process_noise: Option<Sv>,
    stale_track: Option<Sv>,
    picture_max_age: Option<Sv>,
    picture_sigma_position: Option<Sv>,
    picture_sigma_velocity: Option<Sv>,
    iff_history_gate: Option<Sv>,
    iff_history_memory: Option<Sv>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPlatform {
    id: Spanned<String>,
    name: String,
    class: Spanned<String>,
    rcs: Spanned<BTreeMap<Spanned<String>, Spanned<RawRcsBand>>>,
    swerling: Option<Sv>,
    cruise_speed: Sv,
    max_speed: Sv,
    min_speed: Sv,
    max_load_factor: Sv,
    max_climb_rate: Sv,
    max_acceleration: Sv,
    ceiling: Sv,
    transponder: Option<Transponder>,
    max_range: Option<Sv>,
    burn_time: Option<Sv>,
    ballistic_coefficient: Option<Sv>,
    jammer: Option<Spanned<RawJammer>>,
}

/// One band of an RCS table: aspect → sourced value. Anything else (the single sourced
/// value of older catalogs, `rcs = { value = ..., source = ... }`) is kept as `NotATable`
/// so that validation can say what the format now is.
enum RawRcsBand {
    Aspects(BTreeMap<Spanned<String>, Sv>),
    NotATable,
}

impl<'de> Deserialize<'de> for RawRcsBand {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawRcsBand;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a table of aspects (nose, beam, tail, above, below)")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<RawRcsBand, A::Error> {
                BTreeMap::deserialize(de::value::MapAccessDeserializer::new(map)).map(RawRcsBand::Aspects)
            }
            fn visit_str<E: de::Error>(self, _: &str) -> Result<RawRcsBand, E> {
                Ok(RawRcsBand::NotATable)
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<RawRcsBand, E> {
                Ok(RawRcsBand::NotATable)
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<RawRcsBand, E> {
                Ok(RawRcsBand::NotATable)
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<RawRcsBand, E> {
                Ok(RawRcsBand::NotATable)
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<RawRcsBand, E> {
                Ok(RawRcsBand::NotATable)
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<RawRcsBand, A::Error> {
                while seq.next_element::<de::IgnoredAny>()?.is_some() {}
                Ok(RawRcsBand::NotATable)
            }
        }
        d.deserialize_any(V)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawJammer {
    kind: JammerKind,
    erp: Sv,
    bandwidth: Sv,
    bands: Spanned<RawSourcedBands>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSourcedBands {
    value: Spanned<Vec<Spanned<Band>>>,
    source: Spanned<String>,
    note: Option<String>,
    #[serde(default)]
    alternatives: Vec<RawBandsAlternative>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBandsAlternative {
    value: Spanned<Vec<Spanned<Band>>>,
    source: Spanned<String>,
    note: Option<String>,
}

/// Records where an id was first defined; a second definition is an error.
fn claim(
    src: &Src<'_>,
    seen: &mut BTreeMap<String, (EntryKind, PathBuf)>,
    id: &str,
    span: std::ops::Range<usize>,
    kind: EntryKind,
) -> Res<()> {
    if id.trim().is_empty() {
        return Err(src.err(span, "an id cannot be empty"));
    }
    if let Some((k, f)) = seen.get(id) {
        return Err(src.err(
            span,
            format!(
                "duplicate id \"{id}\": already defined as {} {} in {}",
                article(k.as_str()),
                k.as_str(),
                f.display()
            ),
        ));
    }
    seen.insert(id.to_string(), (kind, src.file.to_path_buf()));
    Ok(())
}

/// What a sourced value holds and which range it must fall in.
#[derive(Copy, Clone)]
enum Kind {
    Q(Quantity, Check),
    Num(Check),
}

const LEN_POS: Kind = Kind::Q(Q::Length, Check::Positive);
const LEN_NONNEG: Kind = Kind::Q(Q::Length, Check::NonNegative);
const TIME_POS: Kind = Kind::Q(Q::Time, Check::Positive);
const TIME_NONNEG: Kind = Kind::Q(Q::Time, Check::NonNegative);
const SPEED_POS: Kind = Kind::Q(Q::Speed, Check::Positive);
const ACC_POS: Kind = Kind::Q(Q::Acceleration, Check::Positive);
const SMALL_ANGLE: Kind = Kind::Q(Q::Angle, Check::AboveUpTo(0.0, std::f64::consts::FRAC_PI_2));
const ELEVATION: Kind = Kind::Q(Q::Angle, Check::Within(-std::f64::consts::FRAC_PI_2, std::f64::consts::FRAC_PI_2));

/// Validation context for one catalog file.
struct Cx<'a> {
    src: Src<'a>,
    sources: &'a BTreeMap<String, Source>,
}

impl Cx<'_> {
    fn source_key(&self, s: &Spanned<String>) -> Res<String> {
        let key = s.get_ref();
        if !self.sources.contains_key(key) {
            return Err(self.src.unknown_id(s.span(), "source", key, self.sources.keys().map(String::as_str), None));
        }
        Ok(key.clone())
    }

    fn value(&self, v: &Spanned<Raw>, key: &str, kind: Kind) -> Res<f64> {
        match kind {
            Kind::Q(q, check) => self.src.quantity(v, key, q, check),
            Kind::Num(check) => self.src.number(v, key, check),
        }
    }

    fn real(&self, r: &Sv, key: &str, kind: Kind) -> Res<Sourced<f64>> {
        let r = r.get_ref();
        let mut alternatives = Vec::new();
        for a in &r.alternatives {
            alternatives.push(Alternative {
                value: self.value(&a.value, key, kind)?,
                source: self.source_key(&a.source)?,
                note: a.note.clone(),
            });
        }
        Ok(Sourced {
            value: self.value(&r.value, key, kind)?,
            source: self.source_key(&r.source)?,
            note: r.note.clone(),
            alternatives,
        })
    }

    fn opt(&self, r: &Option<Sv>, key: &str, kind: Kind) -> Res<Option<Sourced<f64>>> {
        r.as_ref().map(|r| self.real(r, key, kind)).transpose()
    }

    fn count(&self, r: &Sv, key: &str, min: i64) -> Res<Sourced<u32>> {
        self.int_within(r, key, min, i64::from(u32::MAX))
    }

    fn int_within(&self, r: &Sv, key: &str, min: i64, max: i64) -> Res<Sourced<u32>> {
        let r = r.get_ref();
        let int = |v: &Spanned<Raw>| self.src.integer(v, key, min, max).map(|n| n as u32);
        let mut alternatives = Vec::new();
        for a in &r.alternatives {
            alternatives.push(Alternative {
                value: int(&a.value)?,
                source: self.source_key(&a.source)?,
                note: a.note.clone(),
            });
        }
        Ok(Sourced { value: int(&r.value)?, source: self.source_key(&r.source)?, note: r.note.clone(), alternatives })
    }

    /// `lo.value < hi.value`, reported at `hi`.
    fn ordered(&self, lo: (&str, f64), hi: (&str, f64, &Sv), q: Option<Quantity>, strict: bool) -> Res<()> {
        let bad = if strict { hi.1 <= lo.1 } else { hi.1 < lo.1 };
        if bad {
            let rel = if strict { "greater than" } else { "at least" };
            return Err(self.src.err(
                hi.2.get_ref().value.span(),
                format!("{} ({}) must be {rel} {} ({})", hi.0, show(q, hi.1), lo.0, show(q, lo.1)),
            ));
        }
        Ok(())
    }

    fn swerling(&self, r: &Option<Sv>, key: &str) -> Res<Option<Sourced<Swerling>>> {
        let Some(r) = r else { return Ok(None) };
        let n = self.int_within(r, key, 0, 4)?;
        let case = |v: u32| Swerling::from_case(v).unwrap_or(Swerling::One);
        Ok(Some(Sourced {
            value: case(n.value),
            source: n.source,
            note: n.note,
            alternatives: n
                .alternatives
                .into_iter()
                .map(|a| Alternative { value: case(a.value), source: a.source, note: a.note })
                .collect(),
        }))
    }

    /// `Some` keys of `keys` that are given, in file order.
    fn present<'k>(keys: &[(&'k str, &'k Option<Sv>)]) -> Vec<(&'k str, &'k Sv)> {
        let mut out: Vec<(&str, &Sv)> = keys.iter().filter_map(|(k, v)| v.as_ref().map(|v| (*k, v))).collect();
        out.sort_by_key(|(_, v)| v.span().start);
        out
    }

    /// Error at `r.id` naming the keys of `keys` that are missing.
    fn need(&self, r: &RawRadar, what: &str, keys: &[(&str, &Option<Sv>)]) -> Res<()> {
        let missing: Vec<&str> = keys.iter().filter(|(_, v)| v.is_none()).map(|(k, _)| *k).collect();
        if missing.is_empty() {
            return Ok(());
        }
        Err(self.missing(r, what, &missing))
    }

    fn missing(&self, r: &RawRadar, what: &str, missing: &[&str]) -> Diagnostic {
        self.src.err(r.id.span(), format!("radar \"{}\": {what} needs {}", r.id.get_ref(), missing.join(", ")))
    }

    fn sensitivity(&self, r: &RawRadar) -> Res<Sensitivity> {
        let reference: [(&str, &Option<Sv>); 4] = [
            ("reference_range", &r.reference_range),
            ("reference_rcs", &r.reference_rcs),
            ("reference_pd", &r.reference_pd),
            ("reference_swerling", &r.reference_swerling),
        ];
        let equation: [(&str, &Option<Sv>); 9] = [
            ("peak_power", &r.peak_power),
            ("pulse_width", &r.pulse_width),
            ("bandwidth", &r.bandwidth),
            ("transmit_gain", &r.transmit_gain),
            ("receive_gain", &r.receive_gain),
            ("frequency", &r.frequency),
            ("noise_figure", &r.noise_figure),
            ("system_temperature", &r.system_temperature),
            ("losses", &r.losses),
        ];
        let (given_ref, given_eq) = (Self::present(&reference), Self::present(&equation));
        match (given_ref.first(), given_eq.first()) {
            (None, None) => Err(self.src.err(
                r.id.span(),
                format!(
                    "radar \"{}\" has no sensitivity: give either a reference point (reference_range, \
                     reference_rcs, reference_pd) or radar-equation parameters (peak_power, pulse_width or \
                     bandwidth, transmit_gain, frequency, noise_figure or system_temperature, losses)",
                    r.id.get_ref()
                ),
            )),
            (Some((rk, rv)), Some((ek, ev))) => {
                let (at, other) = if rv.span().start > ev.span().start { (rv, ek) } else { (ev, rk) };
                Err(self.src.err(
                    at.span(),
                    format!(
                        "radar \"{}\" has both a reference point and radar-equation parameters ({rk} and {ek}); \
                         give exactly one description (this key conflicts with {other})",
                        r.id.get_ref()
                    ),
                ))
            }
            (Some(_), None) => {
                self.need(r, "a reference-point sensitivity", &reference[..3])?;
                let (Some(range), Some(rcs), Some(pd)) = (&r.reference_range, &r.reference_rcs, &r.reference_pd) else {
                    return Err(self.src.err(r.id.span(), "incomplete reference point"));
                };
                Ok(Sensitivity::ReferenceRange(ReferenceRange {
                    range_m: self.real(range, "reference_range", LEN_POS)?,
                    rcs_m2: self.real(rcs, "reference_rcs", Kind::Q(Q::Area, Check::Positive))?,
                    pd: self.real(pd, "reference_pd", Kind::Num(Check::OpenUnit))?,
                    swerling: self.swerling(&r.reference_swerling, "reference_swerling")?,
                }))
            }
            (None, Some(_)) => self.radar_equation(r).map(Sensitivity::RadarEquation),
        }
    }

    fn radar_equation(&self, r: &RawRadar) -> Res<RadarEquation> {
        let what = "a radar-equation sensitivity";
        self.need(
            r,
            what,
            &[
                ("peak_power", &r.peak_power),
                ("transmit_gain", &r.transmit_gain),
                ("frequency", &r.frequency),
                ("losses", &r.losses),
            ],
        )?;
        if r.pulse_width.is_none() && r.bandwidth.is_none() {
            return Err(self.missing(r, what, &["pulse_width or bandwidth"]));
        }
        let noise = match (&r.noise_figure, &r.system_temperature) {
            (Some(f), None) => {
                Noise::Figure(self.real(f, "noise_figure", Kind::Q(Q::Ratio, Check::Within(1.0, 1e10)))?)
            }
            (None, Some(t)) => Noise::SystemTemperature(self.real(
                t,
                "system_temperature",
                Kind::Q(Q::Temperature, Check::AboveUpTo(0.0, 1e7)),
            )?),
            (Some(f), Some(t)) => {
                let later = if f.span().start > t.span().start { f } else { t };
                return Err(self.src.err(later.span(), "give noise_figure or system_temperature, not both"));
            }
            (None, None) => return Err(self.missing(r, what, &["noise_figure or system_temperature"])),
        };
        let (Some(power), Some(gain), Some(freq), Some(losses)) =
            (&r.peak_power, &r.transmit_gain, &r.frequency, &r.losses)
        else {
            return Err(self.src.err(r.id.span(), "incomplete radar equation"));
        };
        let gain_kind = Kind::Q(Q::Gain, Check::AboveUpTo(0.0, 1e12));
        let eq = RadarEquation {
            peak_power_w: self.real(power, "peak_power", Kind::Q(Q::Power, Check::AboveUpTo(0.0, 1e12)))?,
            pulse_width_s: self.opt(&r.pulse_width, "pulse_width", Kind::Q(Q::Time, Check::AboveUpTo(0.0, 1.0)))?,
            bandwidth_hz: self.opt(&r.bandwidth, "bandwidth", Kind::Q(Q::Frequency, Check::AboveUpTo(0.0, 1e11)))?,
            transmit_gain: self.real(gain, "transmit_gain", gain_kind)?,
            receive_gain: self.opt(&r.receive_gain, "receive_gain", gain_kind)?,
            frequency_hz: self.real(freq, "frequency", Kind::Q(Q::Frequency, Check::AboveUpTo(0.0, 1e12)))?,
            noise,
            losses: self.real(losses, "losses", Kind::Q(Q::Ratio, Check::Within(1.0, 1e10)))?,
        };
        // The band letter stays and must agree with the frequency (IEEE 521).
        let band = *r.band.get_ref();
        let f = eq.frequency_hz.value;
        if !band.contains(f) {
            let (lo, hi) = band.frequency_range_hz();
            let lies = match Band::of_frequency(f) {
                Some(b) => format!(", which is {} band", b.as_str()),
                None => String::new(),
            };
            return Err(self.src.err(
                freq.get_ref().value.span(),
                format!(
                    "frequency {}{lies}, disagrees with band = \"{}\" ({} to {}, IEEE 521)",
                    units::display(Q::Frequency, f),
                    band.as_str(),
                    units::display(Q::Frequency, lo),
                    units::display(Q::Frequency, hi)
                ),
            ));
        }
        Ok(eq)
    }

    fn schedule(&self, r: &RawRadar, fire_channels: Option<&Sourced<u32>>) -> Res<Option<Schedule>> {
        let keys: [(&str, &Option<Sv>); 6] = [
            ("search_frame_time", &r.search_frame_time),
            ("search_dwell", &r.search_dwell),
            ("track_dwell", &r.track_dwell),
            ("engaged_track_rate", &r.engaged_track_rate),
            ("track_time_fraction", &r.track_time_fraction),
            ("max_tracks", &r.max_tracks),
        ];
        let Some(channels) = fire_channels else {
            if let Some((k, v)) = Self::present(&keys).first() {
                return Err(self.src.err(v.span(), format!("{k} is for fire_control and multifunction radars only")));
            }
            return Ok(None);
        };
        self.need(r, "a fire_control or multifunction radar", &keys)?;
        let (Some(frame), Some(sdwell), Some(tdwell), Some(rate), Some(frac), Some(max)) = (
            &r.search_frame_time,
            &r.search_dwell,
            &r.track_dwell,
            &r.engaged_track_rate,
            &r.track_time_fraction,
            &r.max_tracks,
        ) else {
            return Err(self.src.err(r.id.span(), "incomplete schedule"));
        };
        let s = Schedule {
            search_frame_time_s: self.real(frame, "search_frame_time", TIME_POS)?,
            search_dwell_s: self.real(sdwell, "search_dwell", TIME_POS)?,
            track_dwell_s: self.real(tdwell, "track_dwell", TIME_POS)?,
            engaged_track_rate_hz: self.real(rate, "engaged_track_rate", Kind::Q(Q::Frequency, Check::Positive))?,
            track_time_fraction: self.real(frac, "track_time_fraction", Kind::Num(Check::UnitInterval))?,
            max_tracks: self.count(max, "max_tracks", 1)?,
        };
        self.ordered(
            ("search_dwell", s.search_dwell_s.value),
            ("search_frame_time", s.search_frame_time_s.value, frame),
            Some(Q::Time),
            true,
        )?;
        if s.max_tracks.value < channels.value {
            return Err(self.src.err(
                max.get_ref().value.span(),
                format!("max_tracks ({}) must be at least fire_channels ({})", s.max_tracks.value, channels.value),
            ));
        }
        // Engaged targets alone must fit in the tracking share of the time line.
        let load = f64::from(channels.value) * s.engaged_track_rate_hz.value * s.track_dwell_s.value;
        if load > s.track_time_fraction.value * (1.0 + 1e-12) {
            return Err(self.src.err(
                rate.get_ref().value.span(),
                format!(
                    "the track time budget does not close: fire_channels × engaged_track_rate × track_dwell = \
                     {} × {} × {} = {} of the radar's time, above track_time_fraction {}",
                    channels.value,
                    units::display(Q::Frequency, s.engaged_track_rate_hz.value),
                    units::display(Q::Time, s.track_dwell_s.value),
                    fmt_num(load),
                    fmt_num(s.track_time_fraction.value)
                ),
            ));
        }
        Ok(Some(s))
    }

    fn radar(&self, s: &Spanned<RawRadar>) -> Res<Radar> {
        let r = s.get_ref();
        let fire_channels = match (r.role, &r.fire_channels) {
            (RadarRole::Surveillance, Some(f)) => {
                return Err(self.src.err(f.span(), "fire_channels is for fire_control and multifunction radars only"));
            }
            (RadarRole::Surveillance, None) => None,
            (_, Some(f)) => Some(self.count(f, "fire_channels", 1)?),
            (_, None) => {
                return Err(self.src.err(
                    r.id.span(),
                    format!(
                        "radar \"{}\" is {}: it needs fire_channels",
                        r.id.get_ref(),
                        snake(&format!("{:?}", r.role))
                    ),
                ));
            }
        };
        let sensitivity = self.sensitivity(r)?;
        let pulses = r.pulses.as_ref().map(|p| self.int_within(p, "pulses", 1, 1_000_000)).transpose()?;
        let integration = r.integration.as_ref().map(|i| *i.get_ref());
        if let (Some(p), None) = (&pulses, integration)
            && p.value > 1
        {
            return Err(self.src.err(
                r.pulses.as_ref().map_or(r.id.span(), |p| p.span()),
                format!("pulses = {} needs integration = \"coherent\" or \"noncoherent\"", p.value),
            ));
        }
        if let (None, Some(p)) = (&r.iff_range, &r.iff_reply_probability) {
            return Err(self.src.err(p.span(), "iff_reply_probability needs iff_range (a co-located interrogator)"));
        }
        if let (None, Some(m)) = (&r.iff_range, &r.iff_modes) {
            return Err(self.src.err(m.span(), "iff_modes needs iff_range (a co-located interrogator)"));
        }
        let bias_angle = Kind::Q(Q::Angle, Check::Within(-10f64.to_radians(), 10f64.to_radians()));
        let schedule = self.schedule(r, fire_channels.as_ref())?;
        if let (None, Some(g)) = (&schedule, &r.track_gate) {
            return Err(self.src.err(
                g.span(),
                "track_gate needs a time budget (a fire-control or multifunction radar makes track dwells)",
            ));
        }
        let radar = Radar {
            id: r.id.get_ref().clone(),
            name: r.name.clone(),
            role: r.role,
            band: *r.band.get_ref(),
            sensitivity,
            pfa: self.real(&r.pfa, "pfa", Kind::Num(Check::OpenUnit))?,
            pulses,
            integration,
            instrumented_range_m: self.real(&r.instrumented_range, "instrumented_range", LEN_POS)?,
            min_range_m: self.real(&r.min_range, "min_range", LEN_NONNEG)?,
            azimuth_sector_rad: self.real(
                &r.azimuth_sector,
                "azimuth_sector",
                Kind::Q(Q::Angle, Check::AboveUpTo(0.0, std::f64::consts::TAU + 1e-12)),
            )?,
            min_elevation_rad: self.real(&r.min_elevation, "min_elevation", ELEVATION)?,
            max_elevation_rad: self.real(&r.max_elevation, "max_elevation", ELEVATION)?,
            revisit_time_s: self.real(&r.revisit_time, "revisit_time", TIME_POS)?,
            range_resolution_m: self.real(&r.range_resolution, "range_resolution", LEN_POS)?,
            beamwidth_azimuth_rad: self.real(&r.beamwidth_azimuth, "beamwidth_azimuth", SMALL_ANGLE)?,
            beamwidth_elevation_rad: self.real(&r.beamwidth_elevation, "beamwidth_elevation", SMALL_ANGLE)?,
            sigma_range_m: self.real(&r.sigma_range, "sigma_range", LEN_POS)?,
            sigma_azimuth_rad: self.real(&r.sigma_azimuth, "sigma_azimuth", SMALL_ANGLE)?,
            sigma_elevation_rad: self.real(&r.sigma_elevation, "sigma_elevation", SMALL_ANGLE)?,
            sigma_range_rate_mps: self.opt(&r.sigma_range_rate, "sigma_range_rate", SPEED_POS)?,
            min_radial_speed_mps: self.opt(
                &r.min_radial_speed,
                "min_radial_speed",
                Kind::Q(Q::Speed, Check::NonNegative),
            )?,
            bias_range_m: self.opt(
                &r.bias_range,
                "bias_range",
                Kind::Q(Q::Length, Check::Within(-10_000.0, 10_000.0)),
            )?,
            bias_azimuth_rad: self.opt(&r.bias_azimuth, "bias_azimuth", bias_angle)?,
            bias_elevation_rad: self.opt(&r.bias_elevation, "bias_elevation", bias_angle)?,
            antenna_height_m: self.real(&r.antenna_height, "antenna_height", LEN_NONNEG)?,
            fire_channels,
            schedule,
            iff_range_m: self.opt(&r.iff_range, "iff_range", LEN_POS)?,
            iff_reply_probability: self.opt(
                &r.iff_reply_probability,
                "iff_reply_probability",
                Kind::Num(Check::UnitInterval),
            )?,
            iff_modes: r.iff_modes.as_ref().map(|m| self.iff_modes(m)).transpose()?,
            track_gate_m: self.opt(&r.track_gate, "track_gate", LEN_POS)?,
        };
        self.ordered(
            ("min_range", radar.min_range_m.value),
            ("instrumented_range", radar.instrumented_range_m.value, &r.instrumented_range),
            Some(Q::Length),
            true,
        )?;
        self.ordered(
            ("min_elevation", radar.min_elevation_rad.value),
            ("max_elevation", radar.max_elevation_rad.value, &r.max_elevation),
            Some(Q::Angle),
            true,
        )?;
        Ok(radar)
    }

    fn interceptor(&self, r: &RawInterceptor) -> Res<Interceptor> {
        let alt = Kind::Q(Q::Altitude, Check::NonNegative);
        let i = Interceptor {
            id: r.id.get_ref().clone(),
            name: r.name.clone(),
            guidance: r.guidance,
            min_range_m: self.real(&r.min_range, "min_range", LEN_NONNEG)?,
            max_range_m: self.real(&r.max_range, "max_range", LEN_POS)?,
            min_altitude_m: self.real(&r.min_altitude, "min_altitude", alt)?,
            max_altitude_m: self.real(&r.max_altitude, "max_altitude", alt)?,
            max_target_speed_mps: self.real(&r.max_target_speed, "max_target_speed", SPEED_POS)?,
            max_speed_mps: self.real(&r.max_speed, "max_speed", SPEED_POS)?,
            burn_time_s: self.real(&r.burn_time, "burn_time", TIME_POS)?,
            max_flight_time_s: self.real(&r.max_flight_time, "max_flight_time", TIME_POS)?,
            max_lateral_acceleration_mps2: self.real(
                &r.max_lateral_acceleration,
                "max_lateral_acceleration",
                ACC_POS,
            )?,
            navigation_constant: self.real(
                &r.navigation_constant,
                "navigation_constant",
                Kind::Num(Check::Positive),
            )?,
            ballistic_coefficient_kg_m2: self.real(
                &r.ballistic_coefficient,
                "ballistic_coefficient",
                Kind::Q(Q::BallisticCoefficient, Check::Positive),
            )?,
            seeker_acquisition_range_m: self.opt(&r.seeker_acquisition_range, "seeker_acquisition_range", LEN_POS)?,
            seeker_sigma_angle_rad: self.opt(&r.seeker_sigma_angle, "seeker_sigma_angle", SMALL_ANGLE)?,
            seeker_field_of_view_rad: self.opt(&r.seeker_field_of_view, "seeker_field_of_view", SMALL_ANGLE)?,
            launch_track: self.launch_track(r)?,
            lethal_radius_m: self.real(&r.lethal_radius, "lethal_radius", LEN_POS)?,
            single_shot_pk: self.real(&r.single_shot_pk, "single_shot_pk", Kind::Num(Check::UnitInterval))?,
            mass_kg: self.real(&r.mass, "mass", Kind::Q(Q::Mass, Check::Positive))?,
            pass_range_m: self.opt(&r.pass_range, "pass_range", LEN_POS)?,
        };
        self.ordered(
            ("min_range", i.min_range_m.value),
            ("max_range", i.max_range_m.value, &r.max_range),
            Some(Q::Length),
            true,
        )?;
        self.ordered(
            ("min_altitude", i.min_altitude_m.value),
            ("max_altitude", i.max_altitude_m.value, &r.max_altitude),
            Some(Q::Altitude),
            true,
        )?;
        self.ordered(
            ("burn_time", i.burn_time_s.value),
            ("max_flight_time", i.max_flight_time_s.value, &r.max_flight_time),
            Some(Q::Time),
            false,
        )?;
        Ok(i)
    }

    /// `launch_track` of an interceptor: "fire_control" or "surveillance"; the latter only for
    /// an active seeker with `seeker_acquisition_range` and `seeker_field_of_view` (its basket).
    fn launch_track(&self, r: &RawInterceptor) -> Res<Option<Sourced<LaunchTrack>>> {
        let Some(sv) = &r.launch_track else { return Ok(None) };
        let parse = |v: &Spanned<Raw>| match v.get_ref() {
            Raw::Text(t) if t == "fire_control" => Ok(LaunchTrack::FireControl),
            Raw::Text(t) if t == "surveillance" => Ok(LaunchTrack::Surveillance),
            _ => Err(self.src.err(v.span(), "launch_track: expected \"fire_control\" or \"surveillance\"")),
        };
        let raw = sv.get_ref();
        let mut alternatives = Vec::new();
        for a in &raw.alternatives {
            alternatives.push(Alternative {
                value: parse(&a.value)?,
                source: self.source_key(&a.source)?,
                note: a.note.clone(),
            });
        }
        let value = parse(&raw.value)?;
        if value == LaunchTrack::Surveillance {
            let why = if r.guidance != Guidance::Active {
                Some(format!(
                    "{} guidance needs the fire-control radar to the end; only an active seeker may launch on a surveillance track",
                    snake(&format!("{:?}", r.guidance))
                ))
            } else if r.seeker_acquisition_range.is_none() || r.seeker_field_of_view.is_none() {
                Some("a surveillance launch needs seeker_acquisition_range and seeker_field_of_view (the acquisition basket)".into())
            } else {
                None
            };
            if let Some(why) = why {
                return Err(self.src.err(raw.value.span(), format!("launch_track = \"surveillance\": {why}")));
            }
        }
        Ok(Some(Sourced { value, source: self.source_key(&raw.source)?, note: raw.note.clone(), alternatives }))
    }

    fn id_list(&self, list: &[Spanned<String>], what: EntryKind, cat: &Catalog) -> Res<Vec<String>> {
        let mut out = Vec::new();
        for s in list {
            let id = s.get_ref();
            if cat.kind_of(id) != Some(what) {
                let other = cat.kind_of(id).map(EntryKind::as_str);
                return Err(self.src.unknown_id(s.span(), what.as_str(), id, cat.ids(what), other));
            }
            if out.contains(id) {
                return Err(self.src.err(s.span(), format!("\"{id}\" is listed twice")));
            }
            out.push(id.clone());
        }
        Ok(out)
    }

    fn launcher(&self, r: &RawLauncher, cat: &Catalog) -> Res<Launcher> {
        if r.loads.get_ref().is_empty() {
            return Err(self.src.err(r.loads.span(), "loads: a launcher must carry at least one interceptor type"));
        }
        Ok(Launcher {
            id: r.id.get_ref().clone(),
            name: r.name.clone(),
            capacity: self.count(&r.capacity, "capacity", 1)?,
            loads: self.id_list(r.loads.get_ref(), EntryKind::Interceptor, cat)?,
            deploy_time_s: self.real(&r.deploy_time, "deploy_time", TIME_NONNEG)?,
            reload_time_s: self.real(&r.reload_time, "reload_time", TIME_NONNEG)?,
        })
    }

    fn system(&self, r: &RawSystem, cat: &Catalog) -> Res<System> {
        if r.radars.get_ref().is_empty() {
            return Err(self.src.err(r.radars.span(), "radars: a system needs at least one radar"));
        }
        Ok(System {
            id: r.id.get_ref().clone(),
            name: r.name.clone(),
            radars: self.id_list(r.radars.get_ref(), EntryKind::Radar, cat)?,
            launchers: self.id_list(r.launchers.get_ref(), EntryKind::Launcher, cat)?,
            interceptors: self.id_list(r.interceptors.get_ref(), EntryKind::Interceptor, cat)?,
            reaction_time_s: self.real(&r.reaction_time, "reaction_time", TIME_NONNEG)?,
            max_engaged_targets: self.count(&r.max_engaged_targets, "max_engaged_targets", 1)?,
            max_guided_missiles: self.count(&r.max_guided_missiles, "max_guided_missiles", 1)?,
            command_destruct_s: r
                .command_destruct
                .as_ref()
                .map(|c| self.real(c, "command_destruct", TIME_NONNEG))
                .transpose()?,
            min_target_speed_mps: self.opt(&r.min_target_speed, "min_target_speed", SPEED_POS)?,
            min_track_updates: r
                .min_track_updates
                .as_ref()
                .map(|c| self.count(c, "min_track_updates", 1))
                .transpose()?,
            guidance_loss_destruct_s: self.opt(&r.guidance_loss_destruct, "guidance_loss_destruct", TIME_NONNEG)?,
            unit_doctrine: self.unit_doctrine(r)?,
            iff_history_gate_m: self.opt(&r.iff_history_gate, "iff_history_gate", LEN_POS)?,
            iff_history_memory_s: self.opt(&r.iff_history_memory, "iff_history_memory", TIME_NONNEG)?,
        })
    }

    fn rcs_table(&self, rcs: &Spanned<BTreeMap<Spanned<String>, Spanned<RawRcsBand>>>) -> Res<RcsTable> {
        const FORMAT: &str = "rcs is a table by band and aspect, e.g. [platform.rcs.X] then \
                              nose = { value = \"5 m2\", source = \"...\" }";
        // The single sourced value of older catalogs (`rcs = { value = ..., source = ... }`).
        let scalar = rcs.get_ref().values().filter(|v| matches!(v.get_ref(), RawRcsBand::NotATable));
        if let Some(first) = scalar.min_by_key(|v| v.span().start) {
            return Err(self.src.err(
                first.span(),
                format!("a single RCS value is no longer accepted: {FORMAT} (bands VHF, UHF, L, S, C, X, Ku, Ka; aspects nose, beam, tail, above, below)"),
            ));
        }
        let mut entries = BTreeMap::new();
        for (band_key, aspects) in rcs.get_ref() {
            let name = band_key.get_ref();
            let Some(band) = Band::ALL.into_iter().find(|b| b.as_str() == name) else {
                let known: Vec<&str> = Band::ALL.iter().map(|b| b.as_str()).collect();
                let hint = close_matches(name, known.iter().copied())
                    .first()
                    .map(|b| format!("did you mean \"{b}\"? "))
                    .unwrap_or_default();
                return Err(self.src.err(
                    band_key.span(),
                    format!("unknown RCS band \"{name}\"; {hint}bands: {}. ({FORMAT})", known.join(", ")),
                ));
            };
            let RawRcsBand::Aspects(map) = aspects.get_ref() else {
                return Err(self.src.err(aspects.span(), format!("rcs.{name} must be a table of aspects. ({FORMAT})")));
            };
            for (aspect_key, v) in map {
                let aname = aspect_key.get_ref();
                let Some(aspect) = Aspect::ALL.into_iter().find(|a| a.as_str() == aname) else {
                    let known: Vec<&str> = Aspect::ALL.iter().map(|a| a.as_str()).collect();
                    return Err(self.src.err(
                        aspect_key.span(),
                        format!("unknown aspect \"{aname}\" in rcs.{name}; expected one of {}", known.join(", ")),
                    ));
                };
                let key = format!("rcs.{name}.{aname}");
                entries.insert((band, aspect), self.real(v, &key, Kind::Q(Q::Area, Check::Positive))?);
            }
            if !entries.contains_key(&(band, Aspect::Nose)) {
                return Err(self.src.err(band_key.span(), format!("rcs.{name} needs a nose value")));
            }
        }
        RcsTable::new(entries)
            .ok_or_else(|| self.src.err(rcs.span(), format!("rcs needs at least one band. ({FORMAT})")))
    }

    fn jammer(&self, j: &Spanned<RawJammer>) -> Res<Jammer> {
        let r = j.get_ref();
        let b = r.bands.get_ref();
        let list = |v: &Spanned<Vec<Spanned<Band>>>| -> Res<Vec<Band>> {
            if v.get_ref().is_empty() {
                return Err(self.src.err(v.span(), "jammer bands: list at least one band"));
            }
            let mut out = Vec::new();
            for band in v.get_ref() {
                if out.contains(band.get_ref()) {
                    return Err(self.src.err(band.span(), format!("band {} is listed twice", band.get_ref().as_str())));
                }
                out.push(*band.get_ref());
            }
            Ok(out)
        };
        let mut alternatives = Vec::new();
        for a in &b.alternatives {
            alternatives.push(Alternative {
                value: list(&a.value)?,
                source: self.source_key(&a.source)?,
                note: a.note.clone(),
            });
        }
        Ok(Jammer {
            kind: r.kind,
            erp_w: self.real(&r.erp, "erp", Kind::Q(Q::Power, Check::AboveUpTo(0.0, 1e12)))?,
            bandwidth_hz: self.real(&r.bandwidth, "bandwidth", Kind::Q(Q::Frequency, Check::AboveUpTo(0.0, 1e11)))?,
            bands: Sourced {
                value: list(&b.value)?,
                source: self.source_key(&b.source)?,
                note: b.note.clone(),
                alternatives,
            },
        })
    }

    /// An interrogator's modes: names of [`TransponderMode`], each once, at least one.
    fn iff_modes(&self, m: &Spanned<RawSourcedModes>) -> Res<Sourced<ModeSet>> {
        let r = m.get_ref();
        let accepted = || TransponderMode::ALL.map(TransponderMode::as_str).join(", ");
        if r.value.get_ref().is_empty() {
            return Err(self.src.err(r.value.span(), format!("iff_modes: list at least one of {}", accepted())));
        }
        let mut modes = Vec::new();
        for name in r.value.get_ref() {
            match TransponderMode::parse(name.get_ref()) {
                Some(mode) if !modes.contains(&mode) => modes.push(mode),
                Some(_) => {
                    return Err(self.src.err(name.span(), format!("iff mode {} is listed twice", name.get_ref())));
                }
                None => {
                    let msg = format!("{} is not an IFF mode; accepted: {}", name.get_ref(), accepted());
                    return Err(self.src.err(name.span(), msg));
                }
            }
        }
        Ok(Sourced {
            value: ModeSet::of(modes),
            source: self.source_key(&r.source)?,
            note: r.note.clone(),
            alternatives: Vec::new(),
        })
    }

    fn platform(&self, s: &Spanned<RawPlatform>) -> Res<Platform> {
        let r = s.get_ref();
        let class = match PlatformClass::parse(r.class.get_ref()) {
            Some(c) if c != PlatformClass::Interceptor => c,
            _ => {
                let accepted: Vec<&str> = PlatformClass::ALL
                    .iter()
                    .filter(|c| **c != PlatformClass::Interceptor)
                    .map(|c| c.as_str())
                    .collect();
                return Err(self.src.err(
                    r.class.span(),
                    format!(
                        "unknown platform class \"{}\"; expected one of {}",
                        r.class.get_ref(),
                        accepted.join(", ")
                    ),
                ));
            }
        };
        let ballistic = match (class, &r.max_range, &r.burn_time, &r.ballistic_coefficient) {
            (PlatformClass::BallisticMissile, Some(range), Some(burn), Some(beta)) => Some(BallisticParams {
                max_range_m: self.real(range, "max_range", LEN_POS)?,
                burn_time_s: self.real(burn, "burn_time", TIME_POS)?,
                ballistic_coefficient_kg_m2: self.real(
                    beta,
                    "ballistic_coefficient",
                    Kind::Q(Q::BallisticCoefficient, Check::Positive),
                )?,
            }),
            (PlatformClass::BallisticMissile, ..) => {
                return Err(self
                    .src
                    .err(r.class.span(), "a ballistic_missile needs max_range, burn_time and ballistic_coefficient"));
            }
            (_, Some(x), _, _) | (_, None, Some(x), _) | (_, None, None, Some(x)) => {
                return Err(self.src.err(
                    x.span(),
                    "max_range, burn_time and ballistic_coefficient are for ballistic_missile platforms only",
                ));
            }
            (_, None, None, None) => None,
        };
        let p = Platform {
            id: r.id.get_ref().clone(),
            name: r.name.clone(),
            class,
            rcs: self.rcs_table(&r.rcs)?,
            swerling: self.swerling(&r.swerling, "swerling")?,
            cruise_speed_mps: self.real(&r.cruise_speed, "cruise_speed", SPEED_POS)?,
            max_speed_mps: self.real(&r.max_speed, "max_speed", SPEED_POS)?,
            min_speed_mps: self.real(&r.min_speed, "min_speed", SPEED_POS)?,
            max_load_factor: self.real(
                &r.max_load_factor,
                "max_load_factor",
                Kind::Num(Check::AboveUpTo(1.0, 100.0)),
            )?,
            max_climb_rate_mps: self.real(&r.max_climb_rate, "max_climb_rate", SPEED_POS)?,
            max_acceleration_mps2: self.real(&r.max_acceleration, "max_acceleration", ACC_POS)?,
            ceiling_m: self.real(&r.ceiling, "ceiling", Kind::Q(Q::Altitude, Check::Positive))?,
            transponder: r.transponder.unwrap_or(Transponder::None),
            ballistic,
            jammer: r.jammer.as_ref().map(|j| self.jammer(j)).transpose()?,
        };
        self.ordered(
            ("min_speed", p.min_speed_mps.value),
            ("cruise_speed", p.cruise_speed_mps.value, &r.cruise_speed),
            Some(Q::Speed),
            false,
        )?;
        self.ordered(
            ("cruise_speed", p.cruise_speed_mps.value),
            ("max_speed", p.max_speed_mps.value, &r.max_speed),
            Some(Q::Speed),
            false,
        )?;
        Ok(p)
    }
}
