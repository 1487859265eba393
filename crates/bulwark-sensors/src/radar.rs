//! A surveillance radar look: coverage, horizon, masking, Doppler notch, detection draw, noisy
//! biased measurement, false alarms, jamming and jammer strobes.
//!
//! One call of [`Radar::look`] (or [`Radar::scan`], the same without RCS tables, jammers or
//! masking) is one look at the whole coverage (one revisit). For each target, in order:
//! 1. coverage gates: min ≤ R ≤ instrumented range, azimuth in the sector (across north),
//!    min ≤ elevation ≤ max elevation;
//! 2. the 4/3-earth radar horizon (Skolnik 3rd ed. ch. 8, standard refraction;
//!    [`bulwark_geo::above_radar_horizon`]) with the antenna height and the target's height
//!    above the surface; then the terrain mask ([`LineOfSightMask`]) if the scene has one;
//! 3. the Doppler notch of a pulse-Doppler/MTI radar: |Ṙ| < `min_radial_speed_mps` is not
//!    detected (the clutter filter rejects low radial speeds with the clutter; Skolnik 3rd ed.
//!    ch. 3, §3.1–3.2) — no draw is made for such a target;
//! 4. mean RCS: from the target's [`crate::rcs::RcsTable`] at the radar frequency and the target's aspect,
//!    else `rcs_m2`; SNR from the [`SnrModel`]; with jammers SINR = SNR/(1 + ΣJ/N)
//!    ([`crate::jamming`]); Pd from the radar's [`SwerlingDetector`] (its pulse count, the
//!    target's Swerling case, the threshold for Pfa computed once per look); one Bernoulli draw;
//! 5. the measurement: true (R, az, el, Ṙ) in the radar's ENU frame plus the radar's fixed
//!    bias plus zero-mean Gaussian noise with the σ of [`RadarParams::measurement_sigmas`] at the
//!    SINR (the reported σ is the random part only).
//!
//! Then false alarms: a Poisson number with mean Pfa × (number of resolution cells in the
//! coverage), each uniform in range, azimuth and elevation over the coverage. Then strobes: each
//! jammer in the scene inside the azimuth sector and elevation limits, above the horizon, not
//! masked, whose main-lobe J/N reaches the strobe threshold, gives one angle-only [`Strobe`].
//!
//! **Random draws**, in this order: `rng_detect`: one uniform per target that passes 1–3;
//! `rng_noise`: for each detection in target order, Ṙ (if measured), R, az, el; then for each
//! strobe in jammer order, az, el; `rng_fa`: the false-alarm count, then per false alarm its
//! range, azimuth, elevation, power and (if measured) Ṙ. A scan without jammers draws exactly
//! what it drew before jamming existed.
//!
//! The plots carry no truth; [`ScanOutput::truth`] and [`ScanOutput::strobe_truth`] label them
//! for metrics only.
use crate::detection::{Detector, SwerlingDetector};
use crate::geometry::{LineOfSight, LineOfSightMask, RadarTarget, TargetView, azimuth_in_sector, wrap_two_pi};
use crate::jamming::{JammerView, JammingResponse, Strobe, in_main_beam, jamming_to_noise, sinr};
use crate::look_record::{TargetLook, body_direction};
use crate::rcs::Aspect;
use crate::snr::{RadarEquationParams, RadarEquationSnr, ReferenceRangeSnr, SnrKind, SnrModel, db_to_linear};
use crate::{SensorError, check};
use bulwark_core::{EntityId, RngStream, SensorId, SimDuration, SimTime, Vec3};
use bulwark_geo::{EnuFrame, FOUR_THIRDS, Geodetic, Rae, above_radar_horizon};
use std::f64::consts::{FRAC_PI_2, PI, TAU};

/// Monopulse angle-error slope k_m, in σ_θ = θ₃ / (k_m √(2·SNR)); 1.6 is the usual
/// value for an amplitude-comparison monopulse (assumption, see [`RadarParams::measurement_sigmas`]).
const MONOPULSE_SLOPE: f64 = 1.6;
/// Below this SNR (−3 dB) the thermal error term is held at one resolution cell / beamwidth:
/// a threshold crossing that weak says only that something is in the cell.
const ACCURACY_SNR_FLOOR: f64 = 0.5;
/// Reported SNR floor in dB (a zero-RCS target still gives finite numbers).
const SNR_DB_FLOOR: f64 = -300.0;

/// Fixed measurement biases of a radar (alignment, timing, calibration residue), added to every
/// measurement it reports. Zero by default.
#[derive(Copy, Clone, Debug, Default, PartialEq)]
pub struct MeasurementBias {
    pub range_m: f64,
    pub azimuth_rad: f64,
    pub elevation_rad: f64,
}

/// Radar parameters (SI), filled by the engine from the catalog.
#[derive(Clone, Debug, PartialEq)]
pub struct RadarParams {
    /// Range (m) at which a `reference_rcs_m2` target is detected with `reference_pd` at `pfa`.
    /// The three reference fields are used (and checked) only when `radar_equation` is `None`.
    pub reference_range_m: f64,
    pub reference_rcs_m2: f64,
    pub reference_pd: f64,
    /// False-alarm probability per resolution cell per look.
    pub pfa: f64,
    /// Nearest range processed (m): the blind zone of the transmitted pulse.
    pub min_range_m: f64,
    /// Farthest range processed (m).
    pub instrumented_range_m: f64,
    /// Centre of the azimuth sector (rad, clockwise from north).
    pub azimuth_centre_rad: f64,
    /// Total width of the azimuth sector (rad, 0 < w ≤ 2π; 2π is all round).
    pub azimuth_width_rad: f64,
    pub min_elevation_rad: f64,
    pub max_elevation_rad: f64,
    /// Time between looks at the same point (s).
    pub revisit_time_s: f64,
    /// Range resolution ΔR (m), the size of a range cell.
    pub range_resolution_m: f64,
    /// One-way 3 dB beamwidths (rad), the size of an angle cell.
    pub beamwidth_az_rad: f64,
    pub beamwidth_el_rad: f64,
    /// Error floors (1σ) that remain at high SNR: bias residue, quantisation, propagation.
    pub sigma_range_m: f64,
    pub sigma_azimuth_rad: f64,
    pub sigma_elevation_rad: f64,
    /// `None` for a radar that does not measure range rate.
    pub sigma_range_rate_mps: Option<f64>,
    /// Antenna phase centre height above the surface (m), for the radar horizon.
    pub antenna_height_m: f64,
    /// Detector: the pulses integrated non-coherently per look and the fluctuation case the
    /// reference point was quoted for. A look uses the pulse count with each target's own case
    /// ([`RadarTarget::swerling`]), this case when the target gives none.
    pub detector: SwerlingDetector,
    /// Carrier frequency (Hz), to read targets' RCS tables. A radar-equation radar has its
    /// frequency in `radar_equation` (if both are given they must agree to 1e-9); `None` with
    /// no radar equation: the radar cannot read RCS tables ([`Radar::look`] says so).
    pub frequency_hz: Option<f64>,
    /// `Some`: the SNR comes from the radar equation with these terms (needed for jamming);
    /// `None`: from the reference point.
    pub radar_equation: Option<RadarEquationParams>,
    /// Doppler notch of a pulse-Doppler / MTI radar: targets with |Ṙ| below this (m/s) are not
    /// detected. `None`: no notch.
    pub min_radial_speed_mps: Option<f64>,
    /// Fixed biases added to every measurement (zero: none).
    pub bias: MeasurementBias,
    /// Sidelobe level and strobe threshold used against jammers.
    pub jamming: JammingResponse,
}

/// The 1σ errors of one measurement.
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct MeasurementSigmas {
    pub range_m: f64,
    pub azimuth_rad: f64,
    pub elevation_rad: f64,
    pub range_rate_mps: Option<f64>,
}

impl RadarParams {
    /// Checks every parameter; the error names the first bad one and the accepted range.
    pub fn validate(&self) -> Result<(), SensorError> {
        let p = self;
        check("pfa", p.pfa, p.pfa > 0.0 && p.pfa < 1.0, "0 < Pfa < 1")?;
        SwerlingDetector::new(p.detector.case, p.detector.pulses)?;
        if p.radar_equation.is_none() {
            check("reference_range_m", p.reference_range_m, p.reference_range_m > 0.0, "a positive range (m)")?;
            check("reference_rcs_m2", p.reference_rcs_m2, p.reference_rcs_m2 > 0.0, "a positive RCS (m²)")?;
            check("reference_pd", p.reference_pd, p.reference_pd > p.pfa && p.reference_pd < 1.0, "Pfa < Pd < 1")?;
        }
        check("min_range_m", p.min_range_m, p.min_range_m >= 0.0, "a range ≥ 0 (m)")?;
        check(
            "instrumented_range_m",
            p.instrumented_range_m,
            p.instrumented_range_m > p.min_range_m,
            "a range greater than min_range_m (m)",
        )?;
        check("azimuth_centre_rad", p.azimuth_centre_rad, true, "a finite angle (rad)")?;
        check(
            "azimuth_width_rad",
            p.azimuth_width_rad,
            p.azimuth_width_rad > 0.0 && p.azimuth_width_rad <= TAU,
            "0 < width ≤ 2π (rad)",
        )?;
        check(
            "min_elevation_rad",
            p.min_elevation_rad,
            p.min_elevation_rad >= -FRAC_PI_2,
            "an elevation in [−π/2, π/2) (rad)",
        )?;
        check(
            "max_elevation_rad",
            p.max_elevation_rad,
            p.max_elevation_rad > p.min_elevation_rad && p.max_elevation_rad <= FRAC_PI_2,
            "an elevation in (min_elevation_rad, π/2] (rad)",
        )?;
        check("revisit_time_s", p.revisit_time_s, p.revisit_time_s > 0.0, "a positive time (s)")?;
        check("range_resolution_m", p.range_resolution_m, p.range_resolution_m > 0.0, "a positive length (m)")?;
        check(
            "beamwidth_az_rad",
            p.beamwidth_az_rad,
            p.beamwidth_az_rad > 0.0 && p.beamwidth_az_rad <= TAU,
            "0 < θ ≤ 2π (rad)",
        )?;
        check(
            "beamwidth_el_rad",
            p.beamwidth_el_rad,
            p.beamwidth_el_rad > 0.0 && p.beamwidth_el_rad <= PI,
            "0 < θ ≤ π (rad)",
        )?;
        check("sigma_range_m", p.sigma_range_m, p.sigma_range_m >= 0.0, "σ ≥ 0 (m)")?;
        check("sigma_azimuth_rad", p.sigma_azimuth_rad, p.sigma_azimuth_rad >= 0.0, "σ ≥ 0 (rad)")?;
        check("sigma_elevation_rad", p.sigma_elevation_rad, p.sigma_elevation_rad >= 0.0, "σ ≥ 0 (rad)")?;
        if let Some(s) = p.sigma_range_rate_mps {
            check("sigma_range_rate_mps", s, s >= 0.0, "σ ≥ 0 (m/s)")?;
        }
        check("antenna_height_m", p.antenna_height_m, p.antenna_height_m >= 0.0, "a height ≥ 0 (m)")?;
        if let Some(f) = p.frequency_hz {
            check("frequency_hz", f, f > 0.0, "a positive frequency (Hz)")?;
            if let Some(re) = &p.radar_equation {
                let agree = ((f - re.frequency_hz) / re.frequency_hz).abs() <= 1e-9;
                check("frequency_hz", f, agree, "the radar equation's frequency (or None)")?;
            }
        }
        if let Some(v) = p.min_radial_speed_mps {
            check("min_radial_speed_mps", v, v >= 0.0, "a speed ≥ 0 (m/s)")?;
        }
        check("bias_range_m", p.bias.range_m, true, "a finite bias (m)")?;
        check("bias_azimuth_rad", p.bias.azimuth_rad, true, "a finite bias (rad)")?;
        check("bias_elevation_rad", p.bias.elevation_rad, true, "a finite bias (rad)")?;
        p.jamming.validate()
    }

    /// The SNR model (validates the parameters): the radar equation if its terms are given,
    /// else the one pinned by the reference point.
    pub fn snr_model(&self) -> Result<SnrKind, SensorError> {
        self.validate()?;
        if let Some(re) = &self.radar_equation {
            return Ok(SnrKind::RadarEquation(RadarEquationSnr::new(re.clone())?));
        }
        Ok(SnrKind::ReferenceRange(ReferenceRangeSnr::from_reference_detection(
            self.reference_range_m,
            self.reference_rcs_m2,
            self.reference_pd,
            self.pfa,
            &self.detector,
        )?))
    }

    /// Number of resolution cells in the coverage:
    /// (R_max − R_min)/ΔR × (azimuth width / θ_az) × (elevation span / θ_el).
    pub fn resolution_cells(&self) -> f64 {
        (self.instrumented_range_m - self.min_range_m) / self.range_resolution_m
            * (self.azimuth_width_rad / self.beamwidth_az_rad)
            * ((self.max_elevation_rad - self.min_elevation_rad) / self.beamwidth_el_rad)
    }

    /// Mean number of false alarms per look, Pfa × cells.
    pub fn expected_false_alarms(&self) -> f64 {
        self.pfa * self.resolution_cells()
    }

    /// 1σ measurement errors at mean SNR `snr` (linear): each is the root sum of squares of
    /// the floor and a thermal-noise term (independent errors add in quadrature):
    /// σ_R = √(σ_R,floor² + (ΔR/√(2·SNR))²), σ_θ = √(σ_θ,floor² + (θ₃/(k_m √(2·SNR)))²), k_m = 1.6.
    ///
    /// The 1/√(2E/N₀) dependence of the thermal terms is the Cramér–Rao form of Skolnik,
    /// Introduction to Radar Systems, 3rd ed., §6.3 (δT_R = 1/(β√(2E/N₀)), δθ = λ/(γ√(2E/N₀)));
    /// taking ΔR for c/(2β), θ₃/k_m for λ/γ and the single-look SNR for E/N₀ are our
    /// approximations. The thermal term uses SNR ≥ 0.5 (it never exceeds one cell). Range rate
    /// has only its floor until a Doppler resolution parameter exists.
    pub fn measurement_sigmas(&self, snr: f64) -> MeasurementSigmas {
        let k = 1.0 / (2.0 * snr.max(ACCURACY_SNR_FLOOR)).sqrt();
        let rss = |floor: f64, thermal: f64| floor.hypot(thermal);
        MeasurementSigmas {
            range_m: rss(self.sigma_range_m, self.range_resolution_m * k),
            azimuth_rad: rss(self.sigma_azimuth_rad, self.beamwidth_az_rad / MONOPULSE_SLOPE * k),
            elevation_rad: rss(self.sigma_elevation_rad, self.beamwidth_el_rad / MONOPULSE_SLOPE * k),
            range_rate_mps: self.sigma_range_rate_mps,
        }
    }
}

/// The free-space range (m) at which a target of mean RCS `rcs_m2` is detected with
/// probability `pd` at false-alarm probability `pfa` by a radar with `params` (the inverse of
/// the SNR model: R = R_ref (SNR_ref σ / (σ_ref SNR_req))^{1/4}, or (K σ/SNR_req)^{1/4}). Ignores the instrumented
/// range and the horizon; for calculators and summaries.
pub fn detection_range_m(params: &RadarParams, rcs_m2: f64, pd: f64, pfa: f64) -> Result<f64, SensorError> {
    let model = params.snr_model()?;
    check("rcs_m2", rcs_m2, rcs_m2 > 0.0, "a positive RCS (m²)")?;
    check("pfa", pfa, pfa > 0.0 && pfa < 1.0, "0 < Pfa < 1")?;
    check("pd", pd, pd > pfa && pd < 1.0, "Pfa < Pd < 1")?;
    let snr = params.detector.required_snr(pd, pfa);
    model.range_for_snr(snr, rcs_m2).ok_or(SensorError::InvalidParameter {
        name: "pd",
        value: pd,
        expected: "a Pd whose required SNR gives a finite range",
    })
}

/// One radar plot: a measurement in the radar's local frame. Carries no truth.
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct Plot {
    pub sensor: SensorId,
    pub t: SimTime,
    pub range_m: f64,
    /// Clockwise from north, [0, 2π).
    pub azimuth_rad: f64,
    /// [−π/2, π/2].
    pub elevation_rad: f64,
    /// Positive opening.
    pub range_rate_mps: Option<f64>,
    pub sigma_range_m: f64,
    pub sigma_azimuth_rad: f64,
    pub sigma_elevation_rad: f64,
    pub sigma_range_rate_mps: Option<f64>,
    /// Mean SNR of the echo for a target, the threshold-crossing noise power over the mean
    /// noise power for a false alarm (dB, ≥ −300).
    pub snr_db: f64,
}

/// The result of one look: plots sorted by (azimuth, range, elevation), and, in parallel,
/// the entity that caused each (`None` for a false alarm) — for metrics only; then jammer
/// strobes sorted by azimuth, with the jamming entity of each in parallel.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ScanOutput {
    pub plots: Vec<Plot>,
    pub truth: Vec<Option<EntityId>>,
    pub strobes: Vec<Strobe>,
    pub strobe_truth: Vec<EntityId>,
    /// Every target whose detector was tried, in scene order, with its outcome (exposure).
    pub looks: Vec<TargetLook>,
}

/// Everything one look sees besides the radar itself.
#[derive(Copy, Clone, Default)]
pub struct Scene<'a> {
    pub targets: &'a [RadarTarget<'a>],
    pub jammers: &'a [JammerView],
    /// Terrain masking, consulted after the horizon; `None`: smooth 4/3 earth only.
    pub mask: Option<&'a dyn LineOfSightMask>,
}

/// A jammer's geometry from the radar, computed once per look.
struct JammerGeometry<'a> {
    view: &'a JammerView,
    rae: Rae,
}

/// A radar at a site.
#[derive(Clone, Debug, PartialEq)]
pub struct Radar {
    id: SensorId,
    params: RadarParams,
    site: EnuFrame,
    snr_model: SnrKind,
}

impl Radar {
    /// A radar `id` whose antenna is at the origin of `site`.
    pub fn new(id: SensorId, params: RadarParams, site: EnuFrame) -> Result<Self, SensorError> {
        let snr_model = params.snr_model()?;
        Ok(Radar { id, params, site, snr_model })
    }
    pub fn id(&self) -> SensorId {
        self.id
    }
    pub fn params(&self) -> &RadarParams {
        &self.params
    }
    pub fn site(&self) -> &EnuFrame {
        &self.site
    }
    pub fn snr_model(&self) -> &SnrKind {
        &self.snr_model
    }
    /// Carrier frequency (Hz): the radar equation's, else `params.frequency_hz`.
    pub fn frequency_hz(&self) -> Option<f64> {
        match &self.snr_model {
            SnrKind::RadarEquation(m) => Some(m.params().frequency_hz),
            SnrKind::ReferenceRange(_) => self.params.frequency_hz,
        }
    }
    /// Time between looks, rounded to the nanosecond.
    pub fn revisit(&self) -> SimDuration {
        SimDuration::from_secs_f64(self.params.revisit_time_s)
    }

    /// Whether a point at `rae` (radar frame) is inside the range, azimuth and elevation gates.
    pub fn covers(&self, rae: &Rae) -> bool {
        let p = &self.params;
        rae.range_m >= p.min_range_m && rae.range_m <= p.instrumented_range_m && self.covers_direction(rae)
    }

    /// Whether the direction of `rae` is inside the azimuth sector and elevation limits (any range).
    pub fn covers_direction(&self, rae: &Rae) -> bool {
        let p = &self.params;
        azimuth_in_sector(rae.azimuth_rad, p.azimuth_centre_rad, p.azimuth_width_rad)
            && rae.elevation_rad >= p.min_elevation_rad
            && rae.elevation_rad <= p.max_elevation_rad
    }

    /// The line of sight to `target` if the target is inside the coverage and above the
    /// 4/3-earth horizon; `None` otherwise (and for a view with non-finite numbers).
    pub fn line_of_sight(&self, target: &TargetView) -> Option<LineOfSight> {
        if !target.is_finite() {
            return None;
        }
        let los = LineOfSight::new(&self.site, &target.position_ecef, &target.velocity_ecef);
        let visible = self.covers(&los.rae)
            && above_radar_horizon(los.rae.range_m, self.params.antenna_height_m, target.altitude_m, FOUR_THIRDS);
        visible.then_some(los)
    }

    /// Mean SNR (linear) of `target` at range `range_m`.
    pub fn snr(&self, range_m: f64, rcs_m2: f64) -> f64 {
        self.snr_model.snr(range_m, rcs_m2)
    }

    /// Whether a point at ECEF `position_ecef`, `altitude_m` above the surface, is clear of the
    /// mask (always true without one).
    fn unmasked(&self, mask: Option<&dyn LineOfSightMask>, position_ecef: &Vec3) -> bool {
        mask.is_none_or(|m| m.visible(&self.site.origin(), &Geodetic::from_ecef(position_ecef)))
    }

    /// Whether Ṙ falls in the Doppler notch.
    fn in_doppler_notch(&self, range_rate_mps: f64) -> bool {
        self.params.min_radial_speed_mps.is_some_and(|v| range_rate_mps.abs() < v)
    }

    /// Mean RCS (m²) of `target` for this radar: its table at the radar frequency and its
    /// aspect along the line of sight, else `view.rcs_m2` (also when the radar has no frequency).
    pub fn target_rcs_m2(&self, target: &RadarTarget<'_>) -> f64 {
        match (target.rcs_table, self.frequency_hz()) {
            (Some(table), Some(f)) => table.rcs_m2(f, &self.aspect_of(&target.view)),
            _ => target.view.rcs_m2,
        }
    }

    /// The aspect `view` presents to this radar (body frame from its velocity, wings level).
    pub fn aspect_of(&self, view: &TargetView) -> Aspect {
        let los = view.position_ecef - self.site.origin_ecef();
        Aspect::from_los(&los, &view.velocity_ecef, &up_of(&view.position_ecef))
    }

    /// One look at time `t` at bare targets: [`Radar::look`] with no RCS tables, jammers or mask.
    pub fn scan(
        &self,
        t: SimTime,
        targets: &[TargetView],
        rng_detect: &mut RngStream,
        rng_noise: &mut RngStream,
        rng_fa: &mut RngStream,
    ) -> ScanOutput {
        let targets: Vec<RadarTarget<'_>> = targets.iter().map(|v| RadarTarget::from(*v)).collect();
        let scene = Scene { targets: &targets, ..Scene::default() };
        self.look_checked(t, &scene, None, rng_detect, rng_noise, rng_fa)
    }

    /// One look at time `t` at `scene` (see the module doc for the steps and the draw order).
    /// Errors: jammers against a radar without radar-equation terms (name `jammers`); a target
    /// with an RCS table and a radar without a frequency (name `frequency_hz`).
    pub fn look(
        &self,
        t: SimTime,
        scene: &Scene<'_>,
        rng_detect: &mut RngStream,
        rng_noise: &mut RngStream,
        rng_fa: &mut RngStream,
    ) -> Result<ScanOutput, SensorError> {
        let equation = match (scene.jammers.is_empty(), self.snr_model.radar_equation()) {
            (true, _) => None,
            (false, Some(m)) => Some(m),
            (false, None) => {
                return Err(SensorError::InvalidParameter {
                    name: "jammers",
                    value: scene.jammers.len() as f64,
                    expected: "no jammers for a reference-range radar: J/N needs the radar-equation terms \
                               (radar_equation: Some(..))",
                });
            }
        };
        if self.frequency_hz().is_none() && scene.targets.iter().any(|t| t.rcs_table.is_some()) {
            return Err(SensorError::InvalidParameter {
                name: "frequency_hz",
                value: f64::NAN,
                expected: "a radar frequency (Hz) to read the targets' RCS tables",
            });
        }
        Ok(self.look_checked(t, scene, equation, rng_detect, rng_noise, rng_fa))
    }

    fn look_checked(
        &self,
        t: SimTime,
        scene: &Scene<'_>,
        equation: Option<&RadarEquationSnr>,
        rng_detect: &mut RngStream,
        rng_noise: &mut RngStream,
        rng_fa: &mut RngStream,
    ) -> ScanOutput {
        let p = &self.params;
        let jammers: Vec<JammerGeometry<'_>> = scene
            .jammers
            .iter()
            .filter(|j| j.is_finite())
            .map(|j| JammerGeometry { view: j, rae: self.site.rae(&j.position_ecef) })
            .filter(|g| {
                above_radar_horizon(g.rae.range_m, p.antenna_height_m, g.view.altitude_m, FOUR_THIRDS)
                    && self.unmasked(scene.mask, &g.view.position_ecef)
            })
            .collect();
        let sidelobe = db_to_linear(p.jamming.sidelobe_level_db);
        // The threshold depends on Pfa and the pulse count only: once per look.
        let threshold = p.detector.threshold(p.pfa);
        let mut plots = Vec::new();
        let mut truth = Vec::new();
        let mut looks = Vec::new();
        for target in scene.targets {
            let Some(los) = self.line_of_sight(&target.view) else { continue };
            if !self.unmasked(scene.mask, &target.view.position_ecef) || self.in_doppler_notch(los.range_rate_mps) {
                continue;
            }
            let rcs_m2 = self.target_rcs_m2(target);
            let snr = self.snr(los.rae.range_m, rcs_m2);
            let jnr: f64 = match equation {
                Some(eq) => jammers
                    .iter()
                    .map(|g| {
                        let main = in_main_beam(&los.rae, &g.rae, p.beamwidth_az_rad, p.beamwidth_el_rad);
                        jamming_to_noise(eq, &g.view.jammer, g.rae.range_m, if main { 1.0 } else { sidelobe })
                    })
                    .sum(),
                None => 0.0,
            };
            let snr = if jammers.is_empty() { snr } else { sinr(snr, jnr) };
            let detector = SwerlingDetector { case: target.swerling.unwrap_or(p.detector.case), ..p.detector };
            let pd = detector.pd_at_threshold(snr, threshold);
            let detected = rng_detect.bernoulli(pd);
            looks.push(TargetLook {
                entity: target.view.entity,
                range_m: los.rae.range_m,
                snr,
                rcs_m2,
                pd,
                threshold,
                detector,
                detected,
                body_az_el_rad: body_direction(
                    &(target.view.position_ecef - self.site.origin_ecef()),
                    &target.view.velocity_ecef,
                    &up_of(&target.view.position_ecef),
                ),
            });
            if !detected {
                continue;
            }
            let s = p.measurement_sigmas(snr);
            let b = &p.bias;
            let range_rate = s.range_rate_mps.map(|sd| rng_noise.gaussian(los.range_rate_mps, sd));
            plots.push(Plot {
                sensor: self.id,
                t,
                range_m: rng_noise.gaussian(los.rae.range_m + b.range_m, s.range_m).max(0.0),
                azimuth_rad: wrap_two_pi(rng_noise.gaussian(los.rae.azimuth_rad + b.azimuth_rad, s.azimuth_rad)),
                elevation_rad: rng_noise
                    .gaussian(los.rae.elevation_rad + b.elevation_rad, s.elevation_rad)
                    .clamp(-FRAC_PI_2, FRAC_PI_2),
                range_rate_mps: range_rate,
                sigma_range_m: s.range_m,
                sigma_azimuth_rad: s.azimuth_rad,
                sigma_elevation_rad: s.elevation_rad,
                sigma_range_rate_mps: s.range_rate_mps,
                snr_db: snr_db(snr),
            });
            truth.push(Some(target.view.entity));
        }
        for _ in 0..rng_fa.poisson(p.expected_false_alarms()) {
            plots.push(self.false_alarm(t, rng_fa));
            truth.push(None);
        }
        let mut out = sort_by_azimuth(plots, truth);
        out.looks = looks;
        if let Some(eq) = equation {
            let (strobes, strobe_truth) = self.strobes(t, eq, &jammers, rng_noise);
            out.strobes = strobes;
            out.strobe_truth = strobe_truth;
        }
        out
    }

    /// Angle-only strobes on the jammers in the sector whose main-lobe J/N reaches the threshold:
    /// true direction + bias + Gaussian noise with σ = RSS(floor, θ₃/(k_m √(2·J/N))).
    fn strobes(
        &self,
        t: SimTime,
        eq: &RadarEquationSnr,
        jammers: &[JammerGeometry<'_>],
        rng: &mut RngStream,
    ) -> (Vec<Strobe>, Vec<EntityId>) {
        let p = &self.params;
        let threshold = db_to_linear(p.jamming.strobe_threshold_db);
        let mut pairs = Vec::new();
        for g in jammers {
            let jnr = jamming_to_noise(eq, &g.view.jammer, g.rae.range_m, 1.0);
            if !self.covers_direction(&g.rae) || jnr < threshold {
                continue;
            }
            let s = p.measurement_sigmas(jnr);
            let az = wrap_two_pi(rng.gaussian(g.rae.azimuth_rad + p.bias.azimuth_rad, s.azimuth_rad));
            let el = rng.gaussian(g.rae.elevation_rad + p.bias.elevation_rad, s.elevation_rad);
            let strobe = Strobe {
                sensor: self.id,
                t,
                azimuth_rad: az,
                elevation_rad: el.clamp(-FRAC_PI_2, FRAC_PI_2),
                sigma_azimuth_rad: s.azimuth_rad,
                sigma_elevation_rad: s.elevation_rad,
                jnr_db: snr_db(jnr),
            };
            pairs.push((strobe, g.view.entity));
        }
        pairs.sort_by(|(a, _), (b, _)| {
            a.azimuth_rad.total_cmp(&b.azimuth_rad).then(a.elevation_rad.total_cmp(&b.elevation_rad))
        });
        pairs.into_iter().unzip()
    }

    /// A false alarm: uniform in range, azimuth and elevation over the coverage (cells are
    /// uniform in those coordinates). Its power over the mean noise power is the exceedance of
    /// exponential noise over the threshold T = −ln Pfa, which is T + Exp(1) (memoryless).
    /// Its range rate is zero-mean Gaussian with the measurement σ (no Doppler ambiguity model yet).
    fn false_alarm(&self, t: SimTime, rng: &mut RngStream) -> Plot {
        let p = &self.params;
        let range = rng.uniform_range(p.min_range_m, p.instrumented_range_m);
        let az = wrap_two_pi(p.azimuth_centre_rad + p.azimuth_width_rad * (rng.uniform() - 0.5));
        let el = rng.uniform_range(p.min_elevation_rad, p.max_elevation_rad);
        let power = -p.pfa.ln() - (1.0 - rng.uniform()).ln();
        let s = p.measurement_sigmas(power);
        Plot {
            sensor: self.id,
            t,
            range_m: range,
            azimuth_rad: az,
            elevation_rad: el,
            range_rate_mps: s.range_rate_mps.map(|sd| rng.gaussian(0.0, sd)),
            sigma_range_m: s.range_m,
            sigma_azimuth_rad: s.azimuth_rad,
            sigma_elevation_rad: s.elevation_rad,
            sigma_range_rate_mps: s.range_rate_mps,
            snr_db: snr_db(power),
        }
    }
}

/// The local vertical (ECEF unit vector) at `g`.
/// The local up (ellipsoid normal, ECEF) at an ECEF point.
fn up_of(p: &Vec3) -> Vec3 {
    Geodetic::alt_and_up_of_ecef(p).1
}

fn snr_db(snr: f64) -> f64 {
    let db = 10.0 * snr.log10();
    if db.is_nan() { SNR_DB_FLOOR } else { db.max(SNR_DB_FLOOR) }
}

/// Sorts plots (and their labels with them) by azimuth, then range, then elevation.
fn sort_by_azimuth(plots: Vec<Plot>, truth: Vec<Option<EntityId>>) -> ScanOutput {
    let mut pairs: Vec<(Plot, Option<EntityId>)> = plots.into_iter().zip(truth).collect();
    pairs.sort_by(|(a, _), (b, _)| {
        a.azimuth_rad
            .total_cmp(&b.azimuth_rad)
            .then(a.range_m.total_cmp(&b.range_m))
            .then(a.elevation_rad.total_cmp(&b.elevation_rad))
    });
    let (plots, truth) = pairs.into_iter().unzip();
    ScanOutput { plots, truth, ..ScanOutput::default() }
}
