//! Identification: IFF evidence, airspace and kinematics → class, standard identity, confidence.
//!
//! Two layers:
//! - **Evidence combination** (Bayes' formula, Duda, Hart & Stork, *Pattern Classification*,
//!   2nd ed., 2001, §2.1, with the cues assumed conditionally independent given class and
//!   affiliation: the "naive Bayes" assumption, ours): a joint posterior over (class c, affiliation a),
//!   P(c, a | e) ∝ P(c)·P(a | c)·L_kin(c)·L_iff(a)·L_air(a), with c ∈ [`TargetClass`] and
//!   a ∈ {friend, civil, hostile}. L_kin multiplies a log-normal speed, a Gaussian altitude, a
//!   Gaussian flight-path angle and, when the tracker estimates it, a Gaussian acceleration
//!   residual (free fall for a ballistic missile, ≈ 0 for the rest). L_iff is a mixture over
//!   transponder states (working, failed, spoofing) of independent interrogation outcomes
//!   {Mode 5 reply, civil reply, no reply} ([`IffReliability`]). L_air scores civil-route conformance and Mode C altitude
//!   agreement. Class and affiliation posteriors are the marginals. All numbers are notional
//!   defaults in [`IdentificationRules`], to be replaced from data.
//! - **Identity rules**, after public US joint doctrine (JP 3-01, *Countering Air and Missile
//!   Threats*, 2017, ch. III: IFF, flight profile and airspace-control evidence; ROE weapons
//!   free / tight / hold): a positive reply outranks kinematics (a valid Mode 5 → friend; a civil
//!   Mode 3/A, C or S reply, or a flight plan correlated by code → neutral; both sticky, never
//!   re-declared on kinematics alone); a confident ballistic class → hostile without IFF; a track
//!   conforming to a civil route (corridor, altitude band, heading) at civil speed with no
//!   contradicting Mode C and no confident missile profile is an assumed friend (protected unless positively contradicted);
//!   absence of a reply only counts after several interrogations, because one missed reply is
//!   common; then the posterior decides hostile / suspect / unknown. These are *proposals*:
//!   [`crate::declare`] decides when one becomes the identity acted on.
use crate::TrackView;
use bulwark_core::{Identity, Vec3};
use serde::{Deserialize, Serialize};

pub use bulwark_core::RoeState;

/// Standard gravity (m/s²), for the free-fall cue.
const G0: f64 = 9.806_65;

/// The IFF modes a reply can carry.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IffMode {
    /// Cryptographically secure military mode: a valid reply means friend.
    Mode5,
    /// Civil identity code (squawk).
    Mode3A,
    /// Civil pressure altitude.
    ModeC,
    /// Civil selective mode: 24-bit aircraft address.
    ModeS,
}

/// What interrogations of one track have produced so far.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct IffEvidence {
    /// Interrogations made while the track was inside the interrogator's cover.
    pub interrogations: u32,
    /// Interrogations since the last reply of any kind.
    pub unanswered_in_a_row: u32,
    /// Valid NATO secure replies (Mode 5, or Mode 4).
    pub mode5_replies: u32,
    /// Valid replies in a national secure mode, read with the unit's keys.
    pub national_replies: u32,
    /// No interrogator covers the track (none fitted, or none reading any mode): the IFF term is
    /// absent, so silence is no evidence and identification goes on from kinematics and airspace.
    pub absent: bool,
    /// Replies in any civil mode (3/A, C, S).
    pub civil_replies: u32,
    /// Last civil Mode 3/A code received (octal digits as a number, 0..=0o7777).
    pub last_civil_code: Option<u16>,
    /// Last Mode S 24-bit aircraft address received.
    pub mode_s_address: Option<u32>,
    /// Last Mode C pressure altitude received (m).
    pub mode_c_altitude_m: Option<f64>,
}

impl IffEvidence {
    /// Whether any reply was received.
    pub fn answered(&self) -> bool {
        self.mode5_replies + self.national_replies + self.civil_replies > 0
    }

    /// Takes over the replies of `from`, the track of the same object a new track formed beside
    /// (issue 18: the evidence belongs to the object's history, not to one track id): counts,
    /// codes, address and altitude, and nothing unanswered.
    pub fn inherit(&mut self, from: &IffEvidence) {
        self.interrogations += from.mode5_replies + from.national_replies + from.civil_replies;
        self.mode5_replies += from.mode5_replies;
        self.national_replies += from.national_replies;
        self.civil_replies += from.civil_replies;
        self.last_civil_code = self.last_civil_code.or(from.last_civil_code);
        self.mode_s_address = self.mode_s_address.or(from.mode_s_address);
        self.mode_c_altitude_m = self.mode_c_altitude_m.or(from.mode_c_altitude_m);
        self.unanswered_in_a_row = 0;
    }
}

/// The kind of object a track flies like, for identification and threat evaluation.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TargetClass {
    BallisticMissile,
    CruiseMissile,
    Uav,
    FastJet,
    /// Transport, airliner, helicopter, propeller aircraft.
    Aircraft,
}

impl TargetClass {
    /// Every class, in the order of [`IdentificationRules::class_models`] and posteriors.
    pub const ALL: [TargetClass; 5] = [
        TargetClass::BallisticMissile,
        TargetClass::CruiseMissile,
        TargetClass::Uav,
        TargetClass::FastJet,
        TargetClass::Aircraft,
    ];

    pub fn index(self) -> usize {
        self as usize
    }

    pub fn as_str(self) -> &'static str {
        match self {
            TargetClass::BallisticMissile => "ballistic missile",
            TargetClass::CruiseMissile => "cruise missile",
            TargetClass::Uav => "UAV",
            TargetClass::FastJet => "fast jet",
            TargetClass::Aircraft => "aircraft",
        }
    }

    /// The coarse class doctrine (salvo sizes) is keyed by.
    pub fn doctrine_class(self) -> KinematicClass {
        match self {
            TargetClass::BallisticMissile => KinematicClass::Ballistic,
            TargetClass::CruiseMissile => KinematicClass::LowLevelFast,
            TargetClass::FastJet => KinematicClass::FastJet,
            TargetClass::Uav | TargetClass::Aircraft => KinematicClass::Aircraft,
        }
    }

    /// Classes whose flight profile alone meets a hostile criterion once the track stays silent.
    pub fn hostile_profile(self) -> bool {
        matches!(self, TargetClass::BallisticMissile | TargetClass::CruiseMissile | TargetClass::FastJet)
    }
}

/// Class-conditional kinematic likelihood and priors of one class (notional).
#[derive(Clone, Debug, PartialEq)]
pub struct ClassModel {
    /// Prior probability P(c) of the class among tracks.
    pub prior: f64,
    /// Median speed (m/s) and standard deviation of ln(speed).
    pub speed_median_mps: f64,
    pub speed_log_sigma: f64,
    /// Altitude mean and standard deviation (m).
    pub altitude_mean_m: f64,
    pub altitude_sigma_m: f64,
    /// Flight-path angle γ = atan2(climb, horizontal speed): mean and standard deviation (rad).
    pub path_angle_mean_rad: f64,
    pub path_angle_sigma_rad: f64,
    /// Acceleration residual standard deviation per axis (m/s²), about free fall (−g ẑ) when
    /// `free_fall`, else about zero.
    pub accel_sigma_mps2: f64,
    pub free_fall: bool,
    /// P(a | c) for a = friend, civil, hostile.
    pub affiliation_prior: [f64; 3],
}

/// IFF behaviour of one affiliation: a mixture of transponder states, each a weight and the
/// per-interrogation outcome probabilities [Mode 5 reply, civil reply, no reply]. A state
/// persists over the track's life (a spoofer spoofs every time; a failed transponder stays
/// silent), so L_iff(a) = Σ_s w_s·Π_k p_s(outcome_k): a mixture, not independent draws.
pub type TransponderStates = Vec<(f64, [f64; 3])>;

/// IFF behaviour by affiliation.
#[derive(Clone, Debug, PartialEq)]
pub struct IffReliability {
    pub friend: TransponderStates,
    pub civil: TransponderStates,
    pub hostile: TransponderStates,
}

impl Default for IffReliability {
    /// Notional: a friend carries working Mode 5 95 % of the time (replying to 90 % of
    /// interrogations), civil modes only 4 %, nothing 1 %; an airliner's transponder works 97 % of
    /// the time (95 % replies); a hostile stays silent, or 2 % of the time emits a civil code
    /// (spoofed or stolen transponder). Mode 5 is cryptographic: nobody but a friend answers it.
    fn default() -> Self {
        IffReliability {
            friend: vec![(0.95, [0.90, 0.05, 0.05]), (0.04, [0.0, 0.95, 0.05]), (0.01, [0.0, 0.0, 1.0])],
            civil: vec![(0.97, [0.0, 0.95, 0.05]), (0.03, [0.0, 0.0, 1.0])],
            hostile: vec![(0.02, [0.0, 0.95, 0.05]), (0.98, [0.0, 0.0, 1.0])],
        }
    }
}

/// Thresholds and models of identification; defaults are notional and documented.
#[derive(Clone, Debug, PartialEq)]
pub struct IdentificationRules {
    /// Unanswered interrogations in a row before "no reply" counts as evidence.
    pub min_unanswered: u32,
    /// Speed above which no civil aircraft flies (m/s): airliners cruise below Mach 0.9.
    pub civil_speed_limit_mps: f64,
    /// Descent rate marking a ballistic re-entry (m/s).
    pub ballistic_descent_mps: f64,
    /// A fast track below this altitude is flying a penetration (cruise missile) profile (m).
    pub low_level_altitude_m: f64,
    /// ... at more than this speed (m/s).
    pub low_level_speed_mps: f64,
    /// Posterior P(ballistic missile) above which a track is hostile without IFF.
    pub ballistic_confidence: f64,
    /// Posterior P(hostile) above which a silent track is suspect (or hostile, for a hostile
    /// flight profile).
    pub hostile_posterior: f64,
    /// Class posterior a hostile flight profile needs before it makes a silent track hostile
    /// rather than suspect: the width of the classification criteria.
    pub hostile_profile_confidence: f64,
    /// Kinematic models, indexed by [`TargetClass::index`].
    pub class_models: [ClassModel; 5],
    pub iff: IffReliability,
    /// Heading tolerance for conformance with a civil route (rad).
    pub route_heading_tolerance_rad: f64,
    /// Mode C altitude disagreeing with the track by more than this is a spoofing cue (m).
    pub mode_c_tolerance_m: f64,
    /// A track within this distance of an outside picture's friend is that friend (m).
    pub picture_gate_m: f64,
}

fn class_model(
    prior: f64,
    speed: (f64, f64),
    alt: (f64, f64),
    gamma_deg: (f64, f64),
    accel_sigma_mps2: f64,
    free_fall: bool,
    affiliation_prior: [f64; 3],
) -> ClassModel {
    ClassModel {
        prior,
        speed_median_mps: speed.0,
        speed_log_sigma: speed.1,
        altitude_mean_m: alt.0,
        altitude_sigma_m: alt.1,
        path_angle_mean_rad: gamma_deg.0.to_radians(),
        path_angle_sigma_rad: gamma_deg.1.to_radians(),
        accel_sigma_mps2,
        free_fall,
        affiliation_prior,
    }
}

impl Default for IdentificationRules {
    /// Class models (notional, from public figures): ballistic missiles re-enter at 1–4 km/s on a
    /// steep descent; subsonic cruise missiles fly ≈ 240 m/s at tens of metres; one-way attack and
    /// MALE UAVs 25–100 m/s; fast jets ≈ Mach 0.8–1.2 at medium altitude; airliners and transports
    /// ≈ 200 m/s, level, at 8–12 km.
    fn default() -> Self {
        IdentificationRules {
            min_unanswered: 3,
            civil_speed_limit_mps: 320.0,
            ballistic_descent_mps: 300.0,
            low_level_altitude_m: 500.0,
            low_level_speed_mps: 120.0,
            ballistic_confidence: 0.9,
            hostile_posterior: 0.5,
            hostile_profile_confidence: 0.6,
            class_models: [
                class_model(0.10, (2000.0, 0.5), (40e3, 40e3), (-40.0, 20.0), 3.0, true, [1e-3, 1e-6, 0.999]),
                class_model(0.15, (240.0, 0.5), (50.0, 300.0), (0.0, 5.0), 5.0, false, [0.02, 1e-4, 0.98]),
                class_model(0.15, (50.0, 0.5), (1500.0, 2000.0), (0.0, 8.0), 3.0, false, [0.3, 0.1, 0.6]),
                class_model(0.20, (280.0, 0.35), (7000.0, 5000.0), (0.0, 15.0), 8.0, false, [0.4, 0.01, 0.59]),
                class_model(0.40, (200.0, 0.25), (8000.0, 4000.0), (0.0, 6.0), 2.0, false, [0.3, 0.6, 0.1]),
            ],
            iff: IffReliability::default(),
            route_heading_tolerance_rad: 30f64.to_radians(),
            mode_c_tolerance_m: 500.0,
            picture_gate_m: 2_000.0,
        }
    }
}

/// What kind of object a track flies like (perception, for doctrine).
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KinematicClass {
    Ballistic,
    LowLevelFast,
    FastJet,
    Aircraft,
}

/// Classify a track by its flight profile with crisp thresholds (the doctrine's salvo key;
/// [`classify`] gives the graded posterior).
pub fn kinematic_class(track: &TrackView, rules: &IdentificationRules) -> KinematicClass {
    let speed = track.speed();
    if -track.climb_rate_mps > rules.ballistic_descent_mps || speed > 1500.0 {
        KinematicClass::Ballistic
    } else if track.altitude_m < rules.low_level_altitude_m && speed > rules.low_level_speed_mps {
        KinematicClass::LowLevelFast
    } else if speed > rules.civil_speed_limit_mps {
        KinematicClass::FastJet
    } else {
        KinematicClass::Aircraft
    }
}

/// A civil route (airway) in the scenario ENU frame.
#[derive(Clone, Debug, PartialEq)]
pub struct CivilRoute {
    pub name: String,
    /// Centre line (m, ENU; z ignored), at least two points.
    pub waypoints: Vec<Vec3>,
    /// Half width of the corridor (m).
    pub half_width_m: f64,
    /// Altitude band (m).
    pub min_altitude_m: f64,
    pub max_altitude_m: f64,
}

impl CivilRoute {
    /// Whether a track flies inside the corridor, in its altitude band, along a leg (either
    /// direction) within `heading_tol_rad`.
    pub fn conforms(&self, track: &TrackView, heading_tol_rad: f64) -> bool {
        if !(track.altitude_m >= self.min_altitude_m && track.altitude_m <= self.max_altitude_m) {
            return false;
        }
        let p = track.position.xy();
        let v = track.velocity.xy();
        if v.norm() < 1e-6 {
            return false;
        }
        self.waypoints.windows(2).any(|w| {
            let (a, b) = (w[0].xy(), w[1].xy());
            let ab = b - a;
            let len2 = ab.norm_squared();
            if len2 <= 0.0 {
                return false;
            }
            let s = ((p - a).dot(&ab) / len2).clamp(0.0, 1.0);
            let off = (p - (a + ab * s)).norm();
            let cos = (v.dot(&ab) / (v.norm() * len2.sqrt())).abs();
            off <= self.half_width_m && cos >= heading_tol_rad.cos()
        })
    }
}

/// A filed flight plan: its assigned code or Mode S address, and its route.
#[derive(Clone, Debug, PartialEq)]
pub struct FlightPlan {
    pub callsign: String,
    /// Assigned Mode 3/A code (octal digits as a number).
    pub squawk: Option<u16>,
    pub mode_s_address: Option<u32>,
    pub route: CivilRoute,
}

impl FlightPlan {
    /// Code-to-plan correlation (as ATC systems do): the track's code or address matches the
    /// plan's and the track conforms to the plan's route.
    pub fn correlates(&self, track: &TrackView, iff: &IffEvidence, heading_tol_rad: f64) -> bool {
        let code = self.squawk.is_some() && self.squawk == iff.last_civil_code;
        let addr = self.mode_s_address.is_some() && self.mode_s_address == iff.mode_s_address;
        (code || addr) && self.route.conforms(track, heading_tol_rad)
    }
}

/// Airspace-control knowledge of the command post: civil routes, filed flight plans, and the
/// friends of an outside air picture (a unit integrated into the alliance's picture has them;
/// an isolated one has none).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Airspace {
    pub routes: Vec<CivilRoute>,
    pub flight_plans: Vec<FlightPlan>,
    /// Positions (m, ENU) of tracks the outside picture identifies as friend.
    pub picture_friends: Vec<Vec3>,
}

/// Posterior over affiliation.
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct AffiliationPosterior {
    pub friend: f64,
    pub civil: f64,
    pub hostile: f64,
}

/// The outcome of identification, with the reasons a person can read.
#[derive(Clone, Debug, PartialEq)]
pub struct Identification {
    pub identity: Identity,
    /// The reasons, joined with "; ".
    pub reason: String,
    /// Most probable class and its posterior probability.
    pub class: TargetClass,
    pub class_confidence: f64,
    /// Posterior probability of the affiliation the identity asserts (friend; civil for neutral;
    /// hostile for hostile and suspect); pending and unknown assert none and carry the largest
    /// affiliation posterior. In [0, 1].
    pub confidence: f64,
    /// P(class | evidence), in [`TargetClass::ALL`] order; sums to 1.
    pub class_posterior: [f64; 5],
    pub affiliation: AffiliationPosterior,
    /// The track stayed silent for at least `min_unanswered` interrogations.
    pub no_reply: bool,
    pub reasons: Vec<String>,
}

impl Identification {
    /// Whether the rules of engagement let this track be engaged: weapons tight → hostile only;
    /// weapons free → hostile, suspect, or unknown that stayed silent; weapons hold → none.
    /// Friend, assumed friend and neutral are never engageable.
    pub fn engageable(&self, roe: RoeState) -> bool {
        if self.identity.protected() {
            return false;
        }
        match roe {
            RoeState::WeaponsHold => false,
            RoeState::WeaponsTight => self.identity == Identity::Hostile,
            RoeState::WeaponsFree => {
                matches!(self.identity, Identity::Hostile | Identity::Suspect)
                    || (self.identity == Identity::Unknown && self.no_reply)
            }
        }
    }
}

/// ln N(x; μ, σ) without the common −½ln(2π); `ln_s` = ln max(σ, 10⁻⁹) from [`RuleLogs`].
fn ln_gauss(x: f64, mean: f64, sigma: f64, ln_s: f64) -> f64 {
    let s = sigma.max(1e-9);
    let z = (x - mean) / s;
    -0.5 * z * z - ln_s
}

/// The logarithms of one set of rules' constants (class sigmas, medians and priors, transponder
/// state weights and outcome probabilities), taken once per set of rules instead of at every
/// identification: about 90 `ln` calls per track per decision cycle, the same values (so the
/// same bits) from a table.
#[derive(Debug)]
struct RuleLogs {
    /// The rules these are the logarithms of.
    rules: IdentificationRules,
    /// ln max(median speed, 0.1) per class.
    ln_speed_median: [f64; 5],
    /// ln max(σ, 10⁻⁹) per class of the ln-speed, altitude, path-angle and acceleration σ.
    ln_sigma: [[f64; 4]; 5],
    /// ln max(P(c), 10⁻³⁰⁰) + ln max(P(a | c), 10⁻³⁰⁰) per class and affiliation.
    ln_prior: [[f64; 3]; 5],
    /// (ln max(w, 0), ln max(p, 0) per outcome) of each transponder state of friend, civil, hostile.
    ln_states: [Vec<(f64, [f64; 3])>; 3],
    /// ln of each airspace cue's likelihoods ([`AIRSPACE_CUES`]).
    ln_cues: [[f64; 3]; 5],
    /// ln L_iff per affiliation already computed, by the bits of the interrogation counts
    /// (most tracks share a few counts; the value is a pure function of rules and counts): a
    /// direct-mapped cache of [`IFF_MEMO`] slots, a newer count replacing the one in its slot,
    /// since counts only grow over a track's life and a long run moves on to new ones.
    iff_memo: std::cell::RefCell<Vec<Option<IffMemoEntry>>>,
}

/// One remembered ln L_iff: the bits of the counts and ln L_iff per affiliation.
type IffMemoEntry = ([u64; 3], [f64; 3]);

/// Slots of the interrogation counts [`RuleLogs::ln_iff`] remembers.
const IFF_MEMO: usize = 64;

/// Memo slot of counts' bits `key`: FNV-1a over the three words, then the top 6 bits. Small
/// whole counts have all-zero low mantissa bits, so the low bits of any such fold are constant
/// (an earlier `% 64` put every count in slot 0); multiplication carries every bit upwards.
fn memo_slot(key: &[u64; 3]) -> usize {
    let h = key.iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, k| (h ^ k).wrapping_mul(0x100_0000_01b3));
    (h >> (64 - IFF_MEMO.trailing_zeros())) as usize
}

/// L_air(a) of the airspace cues (friend, civil, hostile; notional): correlated with a flight
/// plan, on a civil route, off every route, Mode C disagreeing, Mode C agreeing.
const AIRSPACE_CUES: [[f64; 3]; 5] =
    [[0.01, 0.9, 0.001], [0.3, 0.9, 0.1], [0.7, 0.1, 0.9], [0.05, 0.05, 0.5], [0.95, 0.95, 0.5]];
const CUE_PLAN: usize = 0;
const CUE_ON_ROUTE: usize = 1;
const CUE_OFF_ROUTE: usize = 2;
const CUE_MODE_C_DISAGREES: usize = 3;
const CUE_MODE_C_AGREES: usize = 4;

impl RuleLogs {
    fn new(rules: &IdentificationRules) -> Self {
        let ln_s = |sigma: f64| sigma.max(1e-9).ln();
        let states = |s: &TransponderStates| -> Vec<(f64, [f64; 3])> {
            s.iter().map(|(w, p)| (w.max(0.0).ln(), p.map(|q| q.max(0.0).ln()))).collect()
        };
        let m = &rules.class_models;
        Self {
            rules: rules.clone(),
            ln_speed_median: std::array::from_fn(|c| m[c].speed_median_mps.max(0.1).ln()),
            ln_sigma: std::array::from_fn(|c| {
                [m[c].speed_log_sigma, m[c].altitude_sigma_m, m[c].path_angle_sigma_rad, m[c].accel_sigma_mps2]
                    .map(ln_s)
            }),
            ln_prior: std::array::from_fn(|c| {
                std::array::from_fn(|a| m[c].prior.max(1e-300).ln() + m[c].affiliation_prior[a].max(1e-300).ln())
            }),
            ln_states: [states(&rules.iff.friend), states(&rules.iff.civil), states(&rules.iff.hostile)],
            ln_cues: AIRSPACE_CUES.map(|l| l.map(f64::ln)),
            iff_memo: std::cell::RefCell::new(vec![None; IFF_MEMO]),
        }
    }

    /// ln L_iff(a) for friend, civil and hostile (−∞ for NaN) of interrogation outcome counts
    /// `counts` ([secure replies, civil replies, silent]): a mixture over transponder states of
    /// independent outcomes, ln Σ_s exp(ln w_s + Σ_k n_k ln p_sk), remembered per counts.
    fn ln_iff(&self, counts: [f64; 3]) -> [f64; 3] {
        let key = counts.map(f64::to_bits);
        let slot = memo_slot(&key);
        if let Some((k, v)) = self.iff_memo.borrow()[slot]
            && k == key
        {
            return v;
        }
        let ln_iff = |states: &[(f64, [f64; 3])]| {
            let term = |(ln_w, ln_p): &(f64, [f64; 3])| {
                let mut l = *ln_w;
                for (n, ln_q) in counts.iter().zip(ln_p) {
                    if *n > 0.0 {
                        l += n * ln_q;
                    }
                }
                l
            };
            // The usual handful of transponder states on the stack.
            let mut stack = [0.0; 8];
            if states.len() <= stack.len() {
                for (slot, st) in stack.iter_mut().zip(states) {
                    *slot = term(st);
                }
                log_sum_exp(&stack[..states.len()])
            } else {
                log_sum_exp(&states.iter().map(term).collect::<Vec<f64>>())
            }
        };
        let v = [ln_iff(&self.ln_states[0]), ln_iff(&self.ln_states[1]), ln_iff(&self.ln_states[2])]
            .map(|l| if l.is_nan() { f64::NEG_INFINITY } else { l });
        self.iff_memo.borrow_mut()[slot] = Some((key, v));
        v
    }

    /// The logarithms of `rules`, kept per thread for the last rules asked for (an engine run
    /// asks for one set of rules thousands of times; comparing them costs far less than the
    /// logarithms).
    fn of(rules: &IdentificationRules) -> std::rc::Rc<Self> {
        thread_local! {
            static LAST: std::cell::RefCell<Option<std::rc::Rc<RuleLogs>>> = const { std::cell::RefCell::new(None) };
        }
        LAST.with(|last| {
            let mut last = last.borrow_mut();
            match &*last {
                Some(l) if l.rules == *rules => l.clone(),
                _ => {
                    let l = std::rc::Rc::new(Self::new(rules));
                    *last = Some(l.clone());
                    l
                }
            }
        })
    }
}

/// Log-likelihood ln L_kin(c) of each class from the track's kinematics (constants common to
/// all classes dropped). `acceleration` is the tracker's ENU acceleration estimate (m/s²).
pub fn kinematic_log_likelihood(
    track: &TrackView,
    acceleration: Option<&Vec3>,
    rules: &IdentificationRules,
) -> [f64; 5] {
    kinematic_log_likelihood_of(track, acceleration, &RuleLogs::of(rules))
}

fn kinematic_log_likelihood_of(track: &TrackView, acceleration: Option<&Vec3>, logs: &RuleLogs) -> [f64; 5] {
    let speed = track.speed();
    let horizontal = track.velocity.xy().norm();
    let gamma = if speed > 1e-6 { track.climb_rate_mps.atan2(horizontal) } else { 0.0 };
    let ln_v = speed.max(0.1).ln();
    let mut out = [0.0; 5];
    for (c, (o, m)) in out.iter_mut().zip(&logs.rules.class_models).enumerate() {
        let ln_s = &logs.ln_sigma[c];
        let mut l = ln_gauss(ln_v, logs.ln_speed_median[c], m.speed_log_sigma, ln_s[0])
            + ln_gauss(track.altitude_m, m.altitude_mean_m, m.altitude_sigma_m, ln_s[1])
            + ln_gauss(gamma, m.path_angle_mean_rad, m.path_angle_sigma_rad, ln_s[2]);
        if let Some(a) = acceleration {
            let expected = if m.free_fall { Vec3::new(0.0, 0.0, -G0) } else { Vec3::zeros() };
            let e = a - expected;
            for k in 0..3 {
                l += ln_gauss(e[k], 0.0, m.accel_sigma_mps2, ln_s[3]);
            }
        }
        *o = if l.is_finite() { l } else { f64::NEG_INFINITY };
    }
    out
}

/// P(class | kinematics) alone, in [`TargetClass::ALL`] order (Bayes' rule with the class priors).
pub fn classify(track: &TrackView, acceleration: Option<&Vec3>, rules: &IdentificationRules) -> [f64; 5] {
    let ll = kinematic_log_likelihood(track, acceleration, rules);
    let mut lp = [0.0; 5];
    for i in 0..5 {
        lp[i] = ll[i] + rules.class_models[i].prior.max(1e-300).ln();
    }
    normalise(&lp)
}

/// ln Σ e^(x_i), −∞ for an empty or all −∞ input.
fn log_sum_exp(x: &[f64]) -> f64 {
    let max = x.iter().copied().filter(|v| !v.is_nan()).fold(f64::NEG_INFINITY, f64::max);
    if max == f64::NEG_INFINITY {
        return max;
    }
    if max == f64::INFINITY {
        return max;
    }
    max + x.iter().filter(|v| !v.is_nan()).map(|v| (v - max).exp()).sum::<f64>().ln()
}

/// exp-normalise log weights (log-sum-exp); uniform if all are −∞ or NaN.
fn normalise<const N: usize>(lw: &[f64; N]) -> [f64; N] {
    let max = lw.iter().copied().filter(|x| x.is_finite()).fold(f64::NEG_INFINITY, f64::max);
    if !max.is_finite() {
        return [1.0 / N as f64; N];
    }
    let mut w = [0.0; N];
    for (o, l) in w.iter_mut().zip(lw) {
        *o = if l.is_finite() { (l - max).exp() } else { 0.0 };
    }
    let sum: f64 = w.iter().sum();
    w.map(|x| x / sum)
}

/// Identify a track from its IFF evidence and kinematics, with no airspace knowledge and no
/// acceleration estimate (see [`identify_with`]).
pub fn identify(track: &TrackView, iff: &IffEvidence, rules: &IdentificationRules) -> Identification {
    identify_with(track, None, iff, rules, &Airspace::default())
}

/// Identify a track: Bayesian class and affiliation posteriors, then the identity rules of the
/// module documentation, in order.
pub fn identify_with(
    track: &TrackView,
    acceleration: Option<&Vec3>,
    iff: &IffEvidence,
    rules: &IdentificationRules,
    airspace: &Airspace,
) -> Identification {
    identify_impl(track, acceleration, iff, &RuleLogs::of(rules), airspace, true)
}

/// [`identify_with`] without its reasons: the same identity, class, confidences and posteriors,
/// with `reason` and `reasons` left empty. Writing the reasons is most of the cost of an
/// identification; a caller that reads none of them (the engine, for tentative tracks, whose
/// identity it keeps but never reports) skips it.
pub fn identify_without_reasons(
    track: &TrackView,
    acceleration: Option<&Vec3>,
    iff: &IffEvidence,
    rules: &IdentificationRules,
    airspace: &Airspace,
) -> Identification {
    identify_impl(track, acceleration, iff, &RuleLogs::of(rules), airspace, false)
}

/// Identification under one set of rules whose logarithms are looked up once, for a caller that
/// identifies many tracks in a row under the same rules (the engine: every track of a unit at
/// every decision cycle). [`identify_with`] and [`identify_without_reasons`] look them up per
/// call, comparing the whole rules with the last ones asked for; the results are the same bits.
pub struct Identifier {
    logs: std::rc::Rc<RuleLogs>,
}

impl Identifier {
    pub fn new(rules: &IdentificationRules) -> Self {
        Identifier { logs: RuleLogs::of(rules) }
    }

    /// [`identify_with`] under these rules.
    pub fn identify_with(
        &self,
        track: &TrackView,
        acceleration: Option<&Vec3>,
        iff: &IffEvidence,
        airspace: &Airspace,
    ) -> Identification {
        identify_impl(track, acceleration, iff, &self.logs, airspace, true)
    }

    /// [`identify_without_reasons`] under these rules.
    pub fn identify_without_reasons(
        &self,
        track: &TrackView,
        acceleration: Option<&Vec3>,
        iff: &IffEvidence,
        airspace: &Airspace,
    ) -> Identification {
        identify_impl(track, acceleration, iff, &self.logs, airspace, false)
    }
}

/// The reasons of an identification, written only when asked for.
struct Reasons {
    on: bool,
    list: Vec<String>,
}

impl Reasons {
    fn push(&mut self, reason: impl FnOnce() -> String) {
        if self.on {
            self.list.push(reason());
        }
    }
    fn push_front(&mut self, reason: impl FnOnce() -> String) {
        if self.on {
            self.list.insert(0, reason());
        }
    }
}

fn identify_impl(
    track: &TrackView,
    acceleration: Option<&Vec3>,
    iff: &IffEvidence,
    logs: &RuleLogs,
    airspace: &Airspace,
    with_reasons: bool,
) -> Identification {
    let rules = &logs.rules;
    let mut reasons = Reasons { on: with_reasons, list: Vec::new() };
    // L_iff(a): mixture over transponder states of independent interrogation outcomes.
    // A secure reply of either kind (NATO or national, each read only with its keys) is friend evidence.
    let secure = iff.mode5_replies.saturating_add(iff.national_replies);
    let answered = secure.saturating_add(iff.civil_replies);
    let silent = f64::from(iff.interrogations.saturating_sub(answered).max(iff.unanswered_in_a_row));
    let counts = if iff.absent { [0.0; 3] } else { [f64::from(secure), f64::from(iff.civil_replies), silent] };
    let mut ln_aff = logs.ln_iff(counts);
    // L_air(a): notional likelihoods of the airspace cues per affiliation (friend, civil, hostile).
    let plan = airspace.flight_plans.iter().find(|f| f.correlates(track, iff, rules.route_heading_tolerance_rad));
    let mut on_route = None;
    let mut mode_c_contradicts = false;
    let mut cue = |k: usize| {
        for (a, x) in ln_aff.iter_mut().zip(logs.ln_cues[k]) {
            *a += x;
        }
    };
    if let Some(f) = plan {
        cue(CUE_PLAN);
        reasons.push(|| format!("correlated with flight plan {}", f.callsign));
    } else if !airspace.routes.is_empty() {
        match airspace.routes.iter().find(|r| r.conforms(track, rules.route_heading_tolerance_rad)) {
            Some(r) => {
                cue(CUE_ON_ROUTE);
                on_route = Some(r);
                reasons.push(|| format!("on civil route {}", r.name));
            }
            None => cue(CUE_OFF_ROUTE),
        }
    }
    if let Some(h) = iff.mode_c_altitude_m {
        if (h - track.altitude_m).abs() > rules.mode_c_tolerance_m {
            cue(CUE_MODE_C_DISAGREES);
            mode_c_contradicts = true;
            reasons.push(|| format!("Mode C altitude {h:.0} m disagrees with track {:.0} m", track.altitude_m));
        } else {
            cue(CUE_MODE_C_AGREES);
        }
    }
    // Joint posterior over (class, affiliation).
    let ll = kinematic_log_likelihood_of(track, acceleration, logs);
    let mut joint = [0.0; 15];
    for c in 0..5 {
        for a in 0..3 {
            joint[3 * c + a] = logs.ln_prior[c][a] + ll[c] + ln_aff[a];
        }
    }
    let joint = normalise(&joint);
    let mut class_posterior = [0.0; 5];
    let mut aff = [0.0; 3];
    for c in 0..5 {
        for a in 0..3 {
            class_posterior[c] += joint[3 * c + a];
            aff[a] += joint[3 * c + a];
        }
    }
    let (ci, class_confidence) = class_posterior
        .iter()
        .copied()
        .enumerate()
        .fold((4, f64::NEG_INFINITY), |best, (i, p)| if p > best.1 { (i, p) } else { best });
    let class = TargetClass::ALL[ci];
    let affiliation = AffiliationPosterior { friend: aff[0], civil: aff[1], hostile: aff[2] };
    let no_reply = answered == 0 && iff.unanswered_in_a_row >= rules.min_unanswered;
    reasons.push_front(|| format!("{} (P = {:.2})", class.as_str(), class_confidence));

    let network_friend = airspace.picture_friends.iter().any(|p| (p - track.position).norm() <= rules.picture_gate_m);
    let identity = if secure > 0 {
        reasons.push_front(|| {
            if iff.mode5_replies > 0 { "valid Mode 5 reply".into() } else { "valid national-mode IFF reply".into() }
        });
        Identity::Friend
    } else if network_friend {
        reasons.push_front(|| "friend in the outside air picture".into());
        Identity::Friend
    } else if iff.civil_replies > 0 || plan.is_some() {
        reasons.push_front(|| {
            let mut head = String::from("civil IFF reply");
            if let Some(c) = iff.last_civil_code {
                head.push_str(&format!(", Mode 3/A {c:04o}"));
            }
            if let Some(a) = iff.mode_s_address {
                head.push_str(&format!(", Mode S {a:06X}"));
            }
            head
        });
        match iff.last_civil_code {
            Some(0o7500) => reasons.push(|| "squawk 7500: unlawful interference, refer to authority".into()),
            Some(0o7600) => reasons.push(|| "squawk 7600: radio failure".into()),
            Some(0o7700) => reasons.push(|| "squawk 7700: emergency".into()),
            _ => {}
        }
        if affiliation.civil < 0.5 {
            reasons.push(|| format!("kinematics unlike civil traffic (P civil = {:.2})", affiliation.civil));
        }
        Identity::Neutral
    } else if class == TargetClass::BallisticMissile && class_confidence >= rules.ballistic_confidence {
        reasons.push(|| "ballistic flight profile: hostile without IFF".into());
        Identity::Hostile
    } else if let Some(r) = on_route.filter(|_| {
        let missile = matches!(class, TargetClass::CruiseMissile | TargetClass::BallisticMissile)
            && class_confidence >= rules.hostile_profile_confidence;
        track.speed() <= rules.civil_speed_limit_mps && !mode_c_contradicts && !missile
    }) {
        // Route conformance protects until positively contradicted: too fast for civil traffic,
        // Mode C disagreeing, or a missile's flight profile no aircraft flies.
        reasons.push(|| format!("conforms to civil route {}: assumed friend unless contradicted", r.name));
        Identity::AssumedFriend
    } else if iff.absent && affiliation.hostile < rules.hostile_posterior {
        // No interrogator: not "pending" for ever; kinematics and airspace alone decide.
        reasons.push(|| format!("no interrogator; P hostile = {:.2}", affiliation.hostile));
        Identity::Unknown
    } else if !no_reply && !iff.absent {
        reasons.push(|| format!("{} of {} interrogations unanswered", iff.unanswered_in_a_row, rules.min_unanswered));
        if track.identity == Identity::Pending { Identity::Pending } else { Identity::Unknown }
    } else if affiliation.hostile >= rules.hostile_posterior
        && class.hostile_profile()
        && class_confidence >= rules.hostile_profile_confidence
    {
        reasons.push(|| format!("{}; {} profile", silence(iff), class.as_str()));
        Identity::Hostile
    } else if affiliation.hostile >= rules.hostile_posterior {
        reasons.push(|| silence(iff).into());
        Identity::Suspect
    } else {
        reasons.push(|| format!("no IFF reply; P hostile = {:.2}", affiliation.hostile));
        Identity::Unknown
    };
    let confidence = match identity {
        Identity::Friend | Identity::AssumedFriend => affiliation.friend,
        Identity::Neutral => affiliation.civil,
        Identity::Hostile | Identity::Suspect => affiliation.hostile,
        Identity::Pending | Identity::Unknown => aff.iter().copied().fold(0.0, f64::max),
    };
    Identification {
        identity,
        reason: reasons.list.join("; "),
        class,
        class_confidence: class_confidence.clamp(0.0, 1.0),
        confidence: confidence.clamp(0.0, 1.0),
        class_posterior,
        affiliation,
        no_reply,
        reasons: reasons.list,
    }
}

/// Radius (m) of the gate an IFF reply with 1-σ position error `sigma_m` correlates in: 3σ, at
/// least `min_gate_m`. A track inside the gate of a reply attributed to another track is not
/// silent: the reply may be its own (two tracks on one object), so it is not counted unanswered.
pub fn reply_gate_m(sigma_m: f64, min_gate_m: f64) -> f64 {
    (3.0 * sigma_m).max(min_gate_m)
}

/// Why a track has no IFF evidence: it stayed silent, or nothing interrogated it.
fn silence(iff: &IffEvidence) -> &'static str {
    if iff.absent { "no interrogator" } else { "no IFF reply" }
}

/// Attribute an IFF reply (position `reply` in the ENU frame, 1-σ position error
/// `sigma_m`) to the nearest track within a 3-σ gate (at least `min_gate_m`).
/// Returns `None` if no track is close enough: an uncorrelated reply is ignored.
pub fn correlate_reply<'a>(
    reply: &Vec3,
    sigma_m: f64,
    min_gate_m: f64,
    tracks: impl IntoIterator<Item = &'a TrackView>,
) -> Option<bulwark_core::TrackId> {
    let gate = reply_gate_m(sigma_m, min_gate_m);
    let mut best: Option<(f64, bulwark_core::TrackId)> = None;
    for t in tracks {
        let d = (t.position - reply).norm();
        if d <= gate && best.is_none_or(|(bd, bid)| d < bd || (d == bd && t.id < bid)) {
            best = Some((d, t.id));
        }
    }
    best.map(|(_, id)| id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remembered_iff_likelihoods_are_the_mixture_formula() {
        // Oracle: the mixture by hand, L_iff(a) = Σ_s w_s Π_k p_sk^n_k, for the default
        // transponder states. Far more distinct counts than the memo has slots (silent 0–29
        // times with 0–9 civil replies: 300), in two passes, so that slots are shared and
        // replaced: every answer, from the memo or computed again, is the mixture.
        let logs = RuleLogs::new(&IdentificationRules::default());
        let iff = IffReliability::default();
        let by_hand = |states: &TransponderStates, c: [f64; 3]| -> f64 {
            states.iter().map(|(w, p)| w * p[0].powf(c[0]) * p[1].powf(c[1]) * p[2].powf(c[2])).sum::<f64>().ln()
        };
        let all: Vec<[f64; 3]> =
            (0..10).flat_map(|civil| (0..30).map(move |silent| [0.0, f64::from(civil), f64::from(silent)])).collect();
        assert!(all.len() > 4 * IFF_MEMO);
        // The counts spread over the memo (the old fold sent every small whole count to slot 0).
        let used: std::collections::BTreeSet<usize> = all.iter().map(|c| memo_slot(&c.map(f64::to_bits))).collect();
        assert!(used.len() > IFF_MEMO / 2, "{} of {IFF_MEMO} slots used", used.len());
        for _pass in 0..2 {
            for &counts in &all {
                let got = logs.ln_iff(counts);
                assert_eq!(got.map(f64::to_bits), logs.ln_iff(counts).map(f64::to_bits), "{counts:?}");
                for (l, states) in got.iter().zip([&iff.friend, &iff.civil, &iff.hostile]) {
                    let expected = by_hand(states, counts);
                    assert!((l - expected).abs() < 1e-9 * expected.abs().max(1.0), "{counts:?}: {l} vs {expected}");
                }
            }
        }
    }
    use bulwark_core::TrackId;

    fn track(speed: f64, alt: f64, climb: f64) -> TrackView {
        TrackView {
            id: TrackId(1),
            position: Vec3::new(50_000.0, 0.0, alt),
            velocity: Vec3::new(-speed, 0.0, climb),
            altitude_m: alt,
            climb_rate_mps: climb,
            confirmed: true,
            coasting: false,
            identity: Identity::Unknown,
            hostile_since: None,
        }
    }

    fn silent(n: u32) -> IffEvidence {
        IffEvidence { interrogations: n, unanswered_in_a_row: n, ..Default::default() }
    }

    #[test]
    fn an_identifier_gives_the_bits_of_identification_per_call() {
        // Oracle: `identify_with` / `identify_without_reasons`, which look the rules up per
        // call (and are checked against the formulas by the tests of this module). Two sets of
        // rules interleaved, so the per-call lookup switches between them while each
        // identifier keeps its own.
        let default = IdentificationRules::default();
        let mut other = IdentificationRules { hostile_posterior: 0.7, ..Default::default() };
        other.class_models[0].speed_median_mps *= 1.5;
        let (a, b) = (Identifier::new(&default), Identifier::new(&other));
        let airspace = Airspace::default();
        let bits = |i: &Identification| {
            (
                i.identity,
                i.class,
                i.class_confidence.to_bits(),
                i.confidence.to_bits(),
                i.class_posterior.map(f64::to_bits),
            )
        };
        for speed in [0.0, 40.0, 250.0, 900.0, 2_500.0] {
            for (alt, climb) in [(30.0, 0.0), (9_000.0, -5.0), (60_000.0, -1_500.0)] {
                for n in [0, 2, 8] {
                    let (t, iff) = (track(speed, alt, climb), silent(n));
                    let accel = Vec3::new(0.5, -1.0, -9.0);
                    for (id, rules) in [(&a, &default), (&b, &other)] {
                        let per_call = identify_with(&t, Some(&accel), &iff, rules, &airspace);
                        assert_eq!(id.identify_with(&t, Some(&accel), &iff, &airspace), per_call);
                        let quiet = id.identify_without_reasons(&t, None, &iff, &airspace);
                        assert_eq!(bits(&quiet), bits(&identify_without_reasons(&t, None, &iff, rules, &airspace)));
                    }
                }
            }
        }
    }

    #[test]
    fn replies_outrank_kinematics() {
        let fast_low = track(300.0, 50.0, 0.0);
        let civil = IffEvidence { interrogations: 5, civil_replies: 1, last_civil_code: Some(0o2641), ..silent(5) };
        let id = identify(&fast_low, &civil, &IdentificationRules::default());
        assert_eq!(id.identity, Identity::Neutral);
        assert!(id.reason.contains("2641"));
        let m5 = IffEvidence { mode5_replies: 1, ..silent(5) };
        assert_eq!(identify(&fast_low, &m5, &IdentificationRules::default()).identity, Identity::Friend);
    }

    /// Issue 18 mechanism 2: a second track on an airliner (or an ally) already answered stays
    /// silent, since the replies go to the first; without its history it would be declared
    /// hostile after three unanswered interrogations. Oracle: the rule that a reply outranks
    /// kinematics (above), applied to the object's history.
    #[test]
    fn a_new_track_inherits_the_replies_of_the_object_it_formed_on() {
        let fast_low = track(300.0, 50.0, 0.0);
        let r = IdentificationRules::default();
        assert_ne!(identify(&fast_low, &silent(4), &r).identity, Identity::Neutral, "silent alone");
        for (old, want) in [
            (
                IffEvidence { interrogations: 9, civil_replies: 9, last_civil_code: Some(0o2215), ..silent(0) },
                Identity::Neutral,
            ),
            (IffEvidence { interrogations: 9, mode5_replies: 9, ..silent(0) }, Identity::Friend),
        ] {
            let mut new = silent(4);
            new.inherit(&old);
            assert_eq!(new.unanswered_in_a_row, 0);
            assert!(new.answered());
            assert_eq!(identify(&fast_low, &new, &r).identity, want, "{new:?}");
        }
        // Nothing to inherit from a track that never answered.
        let mut new = silent(4);
        new.inherit(&silent(7));
        assert!(!new.answered());
    }

    #[test]
    fn silence_counts_only_after_enough_interrogations() {
        let r = IdentificationRules::default();
        let cm = track(250.0, 40.0, 0.0);
        assert_eq!(identify(&cm, &silent(2), &r).identity, Identity::Unknown);
        assert_eq!(identify(&cm, &silent(3), &r).identity, Identity::Hostile);
        let slow_high = track(200.0, 10_000.0, 0.0);
        assert_eq!(identify(&slow_high, &silent(3), &r).identity, Identity::Suspect);
        let fast_high = track(500.0, 10_000.0, 0.0);
        assert_eq!(identify(&fast_high, &silent(3), &r).identity, Identity::Hostile);
    }

    #[test]
    fn ballistic_profile_is_hostile_without_iff() {
        let rv = track(2000.0, 40_000.0, -1500.0);
        assert_eq!(identify(&rv, &silent(0), &IdentificationRules::default()).identity, Identity::Hostile);
    }

    #[test]
    fn roe_states_gate_identities() {
        assert!(RoeState::WeaponsFree.permits(Identity::Suspect));
        assert!(!RoeState::WeaponsTight.permits(Identity::Suspect));
        assert!(RoeState::WeaponsTight.permits(Identity::Hostile));
        for id in [Identity::Hostile, Identity::Suspect, Identity::Unknown] {
            assert!(!RoeState::WeaponsHold.permits(id));
        }
        for s in [RoeState::WeaponsFree, RoeState::WeaponsTight] {
            for id in
                [Identity::Friend, Identity::AssumedFriend, Identity::Neutral, Identity::Unknown, Identity::Pending]
            {
                assert!(!s.permits(id), "{s:?} must not permit {id:?}");
            }
        }
    }

    #[test]
    fn replies_correlate_to_the_nearest_track_in_the_gate() {
        let mut a = track(200.0, 10_000.0, 0.0);
        let mut b = a.clone();
        a.id = TrackId(1);
        b.id = TrackId(2);
        b.position.x += 2_000.0;
        let reply = a.position + Vec3::new(1_500.0, 0.0, 0.0);
        assert_eq!(correlate_reply(&reply, 300.0, 500.0, [&a, &b]), Some(TrackId(2)));
        let far = a.position + Vec3::new(0.0, 5_000.0, 0.0);
        assert_eq!(correlate_reply(&far, 300.0, 500.0, [&a, &b]), None);
    }

    #[test]
    fn kept_logarithms_follow_the_rules_asked_for() {
        // Oracle: ln L_kin written out from the Gaussian and log-normal densities with `ln` taken
        // on the spot, for two sets of rules asked for in turn (a stale table would answer the
        // second with the first's logarithms).
        let direct = |t: &TrackView, rules: &IdentificationRules| -> [f64; 5] {
            let g = |x: f64, m: f64, s: f64| -0.5 * ((x - m) / s).powi(2) - s.ln();
            let speed = t.velocity.norm();
            let gamma = t.climb_rate_mps.atan2(t.velocity.xy().norm());
            std::array::from_fn(|c| {
                let m = &rules.class_models[c];
                g(speed.ln(), m.speed_median_mps.ln(), m.speed_log_sigma)
                    + g(t.altitude_m, m.altitude_mean_m, m.altitude_sigma_m)
                    + g(gamma, m.path_angle_mean_rad, m.path_angle_sigma_rad)
            })
        };
        let a = IdentificationRules::default();
        let mut b = IdentificationRules::default();
        for m in &mut b.class_models {
            m.speed_log_sigma *= 3.0;
            m.altitude_sigma_m *= 0.5;
            m.speed_median_mps *= 1.7;
        }
        let t = track(450.0, 3_000.0, -20.0);
        for rules in [&a, &b, &a, &b] {
            let got = kinematic_log_likelihood(&t, None, rules);
            for (g, w) in got.iter().zip(direct(&t, rules)) {
                assert!((g - w).abs() <= 1e-12 * w.abs().max(1.0), "{g} vs {w}");
            }
        }
        assert_ne!(kinematic_log_likelihood(&t, None, &a), kinematic_log_likelihood(&t, None, &b));
    }
}
