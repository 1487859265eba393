//! Mean radar cross section by frequency band and aspect.
//!
//! Public sources quote an aircraft's RCS as a few numbers: "0.001 m² nose-on at X band",
//! "about 1 m² at VHF", "10 m² beam-on". An [`RcsTable`] holds such numbers, mean RCS (m²) per
//! (band, aspect sector), and answers the mean RCS a radar at frequency f sees from a given
//! [`Aspect`]:
//!
//! 1. **Frequency.** Each band stands at its centre frequency (the geometric mean of its IEEE
//!    Std 521-2019 edges, [`Band::centre_hz`]). Between the two nearest given bands the RCS is
//!    linear in dB over log₁₀ f; below the lowest and above the highest given band it is held
//!    flat. Resonance and optical-region behaviour (Knott, Shaeffer & Tuley, Radar Cross
//!    Section, 2nd ed., ch. 1) is only as good as the bands given.
//! 2. **Aspect.** Let d be the unit vector from the target to the radar in the target's body
//!    frame (x along the velocity, y level to the left, z up: wings level). The sector weights
//!    are the squared direction cosines: nose d_x² (d_x > 0), tail d_x² (d_x < 0), beam d_y²,
//!    above d_z² (d_z > 0), below d_z² (d_z < 0); they sum to 1. The RCS is the weighted mean in
//!    dB, 10^(Σ wᵢ σᵢ,dB / 10): a pure aspect returns its table value exactly, and the value
//!    moves smoothly (continuously, monotonically along a great circle between two sectors).
//! 3. **Missing sectors.** A sector the table does not give takes the dB mean of the nearest
//!    given sectors, by the angle between the sector axes (nose–tail and above–below are 180°
//!    apart, every other pair 90°): e.g. tail missing with nose and beam given → beam; only nose
//!    given → nose everywhere. The same holds per band: each sector interpolates over its own
//!    given bands.
use crate::{SensorError, check};
use bulwark_core::Vec3;

/// Radar frequency bands of IEEE Std 521-2019 (letter designations), VHF to Ku.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Band {
    Vhf,
    Uhf,
    L,
    S,
    C,
    X,
    Ku,
}

impl Band {
    pub const ALL: [Band; 7] = [Band::Vhf, Band::Uhf, Band::L, Band::S, Band::C, Band::X, Band::Ku];

    /// The band edges (Hz) of IEEE Std 521-2019: VHF 30–300 MHz, UHF 300–1000 MHz, L 1–2 GHz,
    /// S 2–4 GHz, C 4–8 GHz, X 8–12 GHz, Ku 12–18 GHz.
    pub fn edges_hz(self) -> (f64, f64) {
        match self {
            Band::Vhf => (30e6, 300e6),
            Band::Uhf => (300e6, 1e9),
            Band::L => (1e9, 2e9),
            Band::S => (2e9, 4e9),
            Band::C => (4e9, 8e9),
            Band::X => (8e9, 12e9),
            Band::Ku => (12e9, 18e9),
        }
    }

    /// The centre a band's value stands at (Hz): the geometric mean √(f_lo f_hi) of its edges,
    /// the middle on the log-frequency axis we interpolate on (VHF 94.9 MHz, UHF 548 MHz,
    /// L 1.41 GHz, S 2.83 GHz, C 5.66 GHz, X 9.80 GHz, Ku 14.7 GHz).
    pub fn centre_hz(self) -> f64 {
        let (lo, hi) = self.edges_hz();
        (lo * hi).sqrt()
    }

    /// The IEEE letter ("VHF", "UHF", "L", "S", "C", "X", "Ku").
    pub fn as_str(self) -> &'static str {
        match self {
            Band::Vhf => "VHF",
            Band::Uhf => "UHF",
            Band::L => "L",
            Band::S => "S",
            Band::C => "C",
            Band::X => "X",
            Band::Ku => "Ku",
        }
    }

    /// The band of `s` (case-insensitive IEEE letter), `None` if unknown.
    pub fn parse(s: &str) -> Option<Band> {
        Self::ALL.into_iter().find(|b| b.as_str().eq_ignore_ascii_case(s))
    }
}

/// The five aspect sectors an RCS table may give.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum AspectSector {
    Nose,
    Beam,
    Tail,
    Above,
    Below,
}

impl AspectSector {
    pub const ALL: [AspectSector; 5] =
        [AspectSector::Nose, AspectSector::Beam, AspectSector::Tail, AspectSector::Above, AspectSector::Below];

    fn index(self) -> usize {
        self as usize
    }

    /// Angle (deg) between the sector axes: 0 same, 180 nose–tail and above–below, else 90.
    fn separation_deg(self, other: AspectSector) -> u32 {
        use AspectSector::*;
        match (self, other) {
            (a, b) if a == b => 0,
            (Nose, Tail) | (Tail, Nose) | (Above, Below) | (Below, Above) => 180,
            _ => 90,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            AspectSector::Nose => "nose",
            AspectSector::Beam => "beam",
            AspectSector::Tail => "tail",
            AspectSector::Above => "above",
            AspectSector::Below => "below",
        }
    }

    /// The sector of `s` (case-insensitive), `None` if unknown.
    pub fn parse(s: &str) -> Option<AspectSector> {
        Self::ALL.into_iter().find(|a| a.as_str().eq_ignore_ascii_case(s))
    }
}

/// The aspect a target presents to a radar, as weights of the five sectors (each in [0, 1],
/// summing to 1; see the module doc).
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct Aspect {
    weights: [f64; 5],
}

/// Below this speed (m/s) the body axis is undefined and the aspect is [`Aspect::unknown`].
const MIN_SPEED_MPS: f64 = 1e-6;
/// Below this |x_b × up| (sine of the angle from vertical) the roll is undefined.
const MIN_SIN_FROM_VERTICAL: f64 = 1e-9;

impl Aspect {
    /// A pure sector (weight 1).
    pub fn pure(sector: AspectSector) -> Self {
        let mut weights = [0.0; 5];
        weights[sector.index()] = 1.0;
        Aspect { weights }
    }

    /// The weights averaged over all directions of the sphere (E(d_x²) = E(d_y²) = E(d_z²) = 1/3):
    /// nose, tail, above, below 1/6 each, beam 1/3. Used when the body frame is undefined
    /// (zero speed, zero range, non-finite input).
    pub fn unknown() -> Self {
        let s = 1.0 / 6.0;
        Aspect { weights: [s, 2.0 * s, s, s, s] }
    }

    /// The aspect of a target seen along `los_unit_ecef` (radar → target; need not be unit),
    /// flying with `target_velocity_ecef`, where `local_up_ecef` is the local vertical at the
    /// target. Body x is along the velocity, body y = up × x (wings level), z = x × y. For
    /// vertical flight, where the roll is undefined, the weights are averaged over roll: beam
    /// (1 − d_x²)/2, above and below (1 − d_x²)/4 each.
    pub fn from_los(los_unit_ecef: &Vec3, target_velocity_ecef: &Vec3, local_up_ecef: &Vec3) -> Self {
        let finite = |v: &Vec3| v.iter().all(|x| x.is_finite());
        if !(finite(los_unit_ecef) && finite(target_velocity_ecef) && finite(local_up_ecef)) {
            return Self::unknown();
        }
        let (los_n, speed) = (los_unit_ecef.norm(), target_velocity_ecef.norm());
        if los_n == 0.0 || speed < MIN_SPEED_MPS {
            return Self::unknown();
        }
        let d = -los_unit_ecef / los_n; // target → radar
        let x = target_velocity_ecef / speed;
        let dx = d.dot(&x).clamp(-1.0, 1.0);
        let (nose, tail) = if dx > 0.0 { (dx * dx, 0.0) } else { (0.0, dx * dx) };
        let y = local_up_ecef.cross(&x);
        let y_n = y.norm();
        if local_up_ecef.norm() == 0.0 || y_n < MIN_SIN_FROM_VERTICAL * local_up_ecef.norm() {
            let side = 1.0 - dx * dx;
            return Aspect { weights: [nose, 0.5 * side, tail, 0.25 * side, 0.25 * side] };
        }
        let y = y / y_n;
        let z = x.cross(&y);
        let (dy, dz) = (d.dot(&y), d.dot(&z));
        let (above, below) = if dz > 0.0 { (dz * dz, 0.0) } else { (0.0, dz * dz) };
        // Normalise away rounding so the weights sum to 1 to the last bit we can.
        let w = [nose, dy * dy, tail, above, below];
        let sum: f64 = w.iter().sum();
        if !(sum > 0.0 && sum.is_finite()) {
            return Self::unknown();
        }
        Aspect { weights: w.map(|x| x / sum) }
    }

    /// Weight of one sector.
    pub fn weight(&self, sector: AspectSector) -> f64 {
        self.weights[sector.index()]
    }

    /// The weights in the order of [`AspectSector::ALL`].
    pub fn weights(&self) -> [f64; 5] {
        self.weights
    }
}

/// One sector's given points: (log₁₀ f, RCS dB), sorted by frequency.
type Curve = Vec<(f64, f64)>;

/// Mean RCS per (band, aspect sector), with the interpolation of the module doc.
#[derive(Clone, Debug, PartialEq)]
pub struct RcsTable {
    /// Given points per sector (empty where the sector is not given).
    curves: [Curve; 5],
    /// For each sector, the given sectors its value is the dB mean of (itself if given).
    sources: [Vec<usize>; 5],
}

impl RcsTable {
    /// From `(band, sector, mean RCS m²)` entries: at least one, each RCS positive and finite,
    /// no (band, sector) twice.
    pub fn new(entries: &[(Band, AspectSector, f64)]) -> Result<Self, SensorError> {
        check(
            "rcs_table_entries",
            entries.len() as f64,
            !entries.is_empty(),
            "at least one (band, aspect, RCS) entry",
        )?;
        let mut curves: [Curve; 5] = Default::default();
        let mut seen = std::collections::BTreeSet::new();
        for &(band, sector, rcs) in entries {
            check("rcs_m2", rcs, rcs > 0.0, "a positive finite RCS (m²)")?;
            if !seen.insert((band, sector)) {
                return Err(SensorError::InvalidParameter {
                    name: "rcs_table_entries",
                    value: rcs,
                    expected: "each (band, aspect) at most once",
                });
            }
            curves[sector.index()].push((band.centre_hz().log10(), 10.0 * rcs.log10()));
        }
        for c in &mut curves {
            c.sort_by(|a, b| a.0.total_cmp(&b.0));
        }
        let given: Vec<AspectSector> =
            AspectSector::ALL.into_iter().filter(|s| !curves[s.index()].is_empty()).collect();
        let sources = AspectSector::ALL.map(|s| {
            let best = given.iter().map(|g| s.separation_deg(*g)).min().unwrap_or(0);
            given.iter().filter(|g| s.separation_deg(**g) == best).map(|g| g.index()).collect()
        });
        Ok(RcsTable { curves, sources })
    }

    /// The same RCS per band for every aspect.
    pub fn all_aspects(bands: &[(Band, f64)]) -> Result<Self, SensorError> {
        let entries: Vec<_> = bands.iter().flat_map(|&(b, r)| AspectSector::ALL.map(|s| (b, s, r))).collect();
        Self::new(&entries)
    }

    /// Mean RCS (m²) of one sector at `frequency_hz` (missing sectors as in the module doc).
    /// A frequency that is not positive and finite is held at the nearest end (NaN: the lowest).
    pub fn sector_rcs_m2(&self, frequency_hz: f64, sector: AspectSector) -> f64 {
        10f64.powf(self.sector_db(log_frequency(frequency_hz), sector.index()) / 10.0)
    }

    /// Mean RCS (m²) seen from `aspect` at `frequency_hz`: 10^(Σ wᵢ σᵢ,dB/10).
    pub fn rcs_m2(&self, frequency_hz: f64, aspect: &Aspect) -> f64 {
        let lf = log_frequency(frequency_hz);
        let db: f64 =
            aspect.weights.iter().enumerate().filter(|(_, w)| **w > 0.0).map(|(i, w)| w * self.sector_db(lf, i)).sum();
        10f64.powf(db / 10.0)
    }

    fn sector_db(&self, lf: f64, sector: usize) -> f64 {
        let src = &self.sources[sector];
        src.iter().map(|&i| interpolate(&self.curves[i], lf)).sum::<f64>() / src.len().max(1) as f64
    }
}

fn log_frequency(f: f64) -> f64 {
    if f.is_nan() || f <= 0.0 { f64::NEG_INFINITY } else { f.log10() }
}

/// Linear interpolation of sorted (x, y) at x = `lf`, flat beyond the ends. Non-empty by construction.
fn interpolate(curve: &[(f64, f64)], lf: f64) -> f64 {
    let (Some(first), Some(last)) = (curve.first(), curve.last()) else { return 0.0 };
    if lf <= first.0 {
        return first.1;
    }
    if lf >= last.0 {
        return last.1;
    }
    for w in curve.windows(2) {
        let ((x0, y0), (x1, y1)) = (w[0], w[1]);
        if lf <= x1 {
            return y0 + (y1 - y0) * (lf - x0) / (x1 - x0);
        }
    }
    last.1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn band_centres_are_geometric_means_of_ieee_521_edges() {
        assert!((Band::X.centre_hz() - 96e18f64.sqrt()).abs() < 1.0);
        assert!((Band::Vhf.centre_hz() - 94.868_329_805e6).abs() < 1.0);
        for w in Band::ALL.windows(2) {
            assert_eq!(w[0].edges_hz().1, w[1].edges_hz().0, "IEEE 521 bands are contiguous");
        }
        assert_eq!(Band::parse("ku"), Some(Band::Ku));
        assert_eq!(AspectSector::parse("Beam"), Some(AspectSector::Beam));
    }

    #[test]
    fn missing_sectors_take_the_nearest_given() {
        // Nose and beam given: tail (180° from nose, 90° from beam) takes beam; above takes the
        // dB mean of nose and beam (both 90°).
        let t = RcsTable::new(&[(Band::X, AspectSector::Nose, 0.01), (Band::X, AspectSector::Beam, 1.0)]).unwrap();
        assert!((t.sector_rcs_m2(10e9, AspectSector::Tail) - 1.0).abs() < 1e-12);
        assert!((t.sector_rcs_m2(10e9, AspectSector::Above) - 0.1).abs() < 1e-12);
        let only_nose = RcsTable::new(&[(Band::L, AspectSector::Nose, 3.0)]).unwrap();
        for s in AspectSector::ALL {
            assert!((only_nose.sector_rcs_m2(1e8, s) - 3.0).abs() < 1e-12);
        }
    }

    #[test]
    fn bad_tables_are_rejected() {
        assert!(RcsTable::new(&[]).is_err());
        assert!(RcsTable::new(&[(Band::X, AspectSector::Nose, 0.0)]).is_err());
        assert!(RcsTable::new(&[(Band::X, AspectSector::Nose, f64::NAN)]).is_err());
        assert!(RcsTable::new(&[(Band::X, AspectSector::Nose, 1.0), (Band::X, AspectSector::Nose, 2.0)]).is_err());
    }
}
