//! Probability of detection from signal-to-noise ratio.
//!
//! A [`Detector`] is the pair (target fluctuation model, detection processing) that maps
//! the mean single-look SNR and the false-alarm probability to Pd, and back. Both models
//! here are single-pulse, square-law (or envelope) detection with a fixed threshold in
//! Gaussian noise, whose normalised threshold is T = −ln Pfa (noise power 1):
//!
//! - [`Swerling1SinglePulse`]: Rayleigh-amplitude target (exponential power): the echo
//!   plus noise power is exponential with mean 1 + SNR, so Pd = exp(−T/(1 + SNR)) =
//!   Pfa^{1/(1+SNR)} (Skolnik, Introduction to Radar Systems, 3rd ed., §2.8; Richards,
//!   Fundamentals of Radar Signal Processing, 2005, §6.3).
//! - [`Swerling0SinglePulse`]: steady target: Pd = Q₁(√(2·SNR), √(−2 ln Pfa)) (Marcum Q₁;
//!   Richards §6.2; Skolnik §2.5).
//!
//! Later detectors (Swerling 2–4, non-coherent integration of N pulses, cumulative
//! detection) implement the same trait.
use crate::marcum::marcum_q1;
use crate::snr::SNR_MAX;

/// Smallest false-alarm probability a detector works with; smaller (or NaN) inputs are
/// raised to it so that ln Pfa stays finite.
pub const PFA_MIN: f64 = 1e-300;

/// Probability of detection as a function of SNR, and its inverse.
pub trait Detector {
    /// Pd (0..=1) for a mean single-look SNR `snr` (linear power ratio) and false-alarm
    /// probability `pfa`. SNR ≤ 0 or NaN means noise only (Pd = Pfa); Pfa is clamped to
    /// [[`PFA_MIN`], 1].
    fn pd(&self, snr: f64, pfa: f64) -> f64;

    /// The mean SNR (linear) that gives detection probability `pd` at `pfa`: 0 when
    /// `pd ≤ pfa` (noise alone does that), [`SNR_MAX`] when `pd ≥ 1` or the SNR would exceed it.
    fn required_snr(&self, pd: f64, pfa: f64) -> f64;
}

fn clean_pfa(pfa: f64) -> f64 {
    if pfa.is_nan() { PFA_MIN } else { pfa.clamp(PFA_MIN, 1.0) }
}

fn clean_snr(snr: f64) -> f64 {
    if snr.is_nan() || snr <= 0.0 { 0.0 } else { snr.min(SNR_MAX) }
}

/// Swerling 1 target, single pulse: Pd = Pfa^{1/(1+SNR)}, SNR = ln Pfa / ln Pd − 1 (exact).
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct Swerling1SinglePulse;

impl Detector for Swerling1SinglePulse {
    fn pd(&self, snr: f64, pfa: f64) -> f64 {
        (clean_pfa(pfa).ln() / (1.0 + clean_snr(snr))).exp()
    }

    fn required_snr(&self, pd: f64, pfa: f64) -> f64 {
        let pfa = clean_pfa(pfa);
        if let Some(edge) = required_snr_edge(pd, pfa) {
            return edge;
        }
        (pfa.ln() / pd.ln() - 1.0).clamp(0.0, SNR_MAX)
    }
}

/// The required SNR at the edges of the Pd range, shared by every detector: 0 when
/// Pd ≤ Pfa (noise alone does it), `SNR_MAX` when Pd ≥ 1; `None` inside.
fn required_snr_edge(pd: f64, pfa: f64) -> Option<f64> {
    if pd.is_nan() || pd <= pfa {
        Some(0.0)
    } else if pd >= 1.0 {
        Some(SNR_MAX)
    } else {
        None
    }
}

/// Swerling 0 (steady) target, single pulse: Pd = Q₁(√(2·SNR), √(−2 ln Pfa)).
/// The inverse is found by bisection on the amplitude √(2·SNR) (Pd rises with it).
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct Swerling0SinglePulse;

impl Detector for Swerling0SinglePulse {
    fn pd(&self, snr: f64, pfa: f64) -> f64 {
        let b = (-2.0 * clean_pfa(pfa).ln()).sqrt();
        marcum_q1((2.0 * clean_snr(snr)).sqrt(), b)
    }

    fn required_snr(&self, pd: f64, pfa: f64) -> f64 {
        let pfa = clean_pfa(pfa);
        if let Some(edge) = required_snr_edge(pd, pfa) {
            return edge;
        }
        let b = (-2.0 * pfa.ln()).sqrt();
        // Q₁(b + 40, b) = 1 to double precision, so the root lies in [0, b + 40].
        let (mut lo, mut hi) = (0.0f64, b + 40.0);
        for _ in 0..200 {
            let mid = 0.5 * (lo + hi);
            if marcum_q1(mid, b) < pd {
                lo = mid;
            } else {
                hi = mid;
            }
            if hi - lo <= 1e-14 * hi {
                break;
            }
        }
        let a = 0.5 * (lo + hi);
        (0.5 * a * a).min(SNR_MAX)
    }
}

/// The detectors a scenario or catalog can name.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, Hash)]
pub enum DetectorKind {
    /// Steady target, single pulse ("swerling0").
    Swerling0SinglePulse,
    /// Slowly fluctuating Rayleigh target, single pulse ("swerling1"): the conservative default.
    #[default]
    Swerling1SinglePulse,
}

impl DetectorKind {
    pub const ALL: [DetectorKind; 2] = [DetectorKind::Swerling0SinglePulse, DetectorKind::Swerling1SinglePulse];

    /// The name used in scenario and catalog files.
    pub fn as_str(self) -> &'static str {
        match self {
            DetectorKind::Swerling0SinglePulse => "swerling0",
            DetectorKind::Swerling1SinglePulse => "swerling1",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

impl Detector for DetectorKind {
    fn pd(&self, snr: f64, pfa: f64) -> f64 {
        match self {
            DetectorKind::Swerling0SinglePulse => Swerling0SinglePulse.pd(snr, pfa),
            DetectorKind::Swerling1SinglePulse => Swerling1SinglePulse.pd(snr, pfa),
        }
    }

    fn required_snr(&self, pd: f64, pfa: f64) -> f64 {
        match self {
            DetectorKind::Swerling0SinglePulse => Swerling0SinglePulse.required_snr(pd, pfa),
            DetectorKind::Swerling1SinglePulse => Swerling1SinglePulse.required_snr(pd, pfa),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn db(x: f64) -> f64 {
        10f64.powf(x / 10.0)
    }

    /// Oracle: SciPy 1.17.1, `scipy.stats.ncx2.sf(-2*np.log(pfa), 2, 2*snr)` with
    /// snr = 10**(snr_db/10): the steady-target single-pulse Pd. Rows: (Pfa, SNR dB, Pd).
    const SCIPY_SWERLING0: [(f64, f64, f64); 18] = [
        (1e-4, 0.0, 0.00368129865136417),
        (1e-4, 5.0, 0.05214421859004777),
        (1e-4, 10.0, 0.6161358485075652),
        (1e-4, 13.0, 0.9830467881439607),
        (1e-4, 16.0, 0.9999987647295489),
        (1e-4, 20.0, 1.0),
        (1e-6, 0.0, 0.00012214370222759526),
        (1e-6, 5.0, 0.004585348356136488),
        (1e-6, 10.0, 0.2480492757364433),
        (1e-6, 13.0, 0.8744407275413658),
        (1e-6, 16.0, 0.9999076225696396),
        (1e-6, 20.0, 1.0),
        (1e-8, 0.0, 3.453282052923438e-06),
        (1e-8, 5.0, 0.0003021295598398793),
        (1e-8, 10.0, 0.06662582013209137),
        (1e-8, 13.0, 0.628714749487217),
        (1e-8, 16.0, 0.9982561042512914),
        (1e-8, 20.0, 1.0),
    ];

    /// Oracle: SciPy 1.17.1, `scipy.stats.expon.sf(-np.log(pfa), scale=1+snr)`: the tail of
    /// the exponential echo-plus-noise power of a Rayleigh target. Rows: (Pfa, SNR dB, Pd).
    const SCIPY_SWERLING1: [(f64, f64, f64); 8] = [
        (1e-4, 0.0, 0.010000000000000004),
        (1e-4, 10.0, 0.4328761281083059),
        (1e-4, 20.0, 0.9128428949429007),
        (1e-4, 30.0, 0.9908410617173913),
        (1e-6, 0.0, 0.0010000000000000002),
        (1e-6, 10.0, 0.28480358684358015),
        (1e-6, 20.0, 0.8721557721439984),
        (1e-6, 30.0, 0.9862930980674522),
    ];

    #[test]
    fn swerling0_pd_matches_scipy() {
        // Tolerance 1e-6 relative, per the validation brief.
        for (pfa, snr_db, want) in SCIPY_SWERLING0 {
            let got = Swerling0SinglePulse.pd(db(snr_db), pfa);
            assert!((got - want).abs() <= 1e-6 * want, "Pfa {pfa} SNR {snr_db} dB: {got} vs scipy {want}");
        }
    }

    #[test]
    fn swerling1_pd_matches_scipy_and_the_closed_form() {
        for (pfa, snr_db, want) in SCIPY_SWERLING1 {
            let got = Swerling1SinglePulse.pd(db(snr_db), pfa);
            assert!((got - want).abs() <= 1e-12 * want, "Pfa {pfa} SNR {snr_db} dB: {got} vs scipy {want}");
        }
    }

    #[test]
    fn required_snr_matches_published_and_scipy_values() {
        // Swerling 1, Pd 0.9, Pfa 1e-6: ln(1e-6)/ln(0.9) − 1 = 130.124... (21.14 dB), analytic.
        let s1 = Swerling1SinglePulse.required_snr(0.9, 1e-6);
        assert!((s1 - ((1e-6f64).ln() / 0.9f64.ln() - 1.0)).abs() < 1e-12);
        assert!((10.0 * s1.log10() - 21.144).abs() < 1e-3);
        // Swerling 0: SciPy 1.17.1, `brentq(lambda s: ncx2.sf(-2*log(pfa), 2, 2*s) - pd, 1e-6, 1e4,
        // xtol=1e-14, rtol=1e-14)`. The Pd 0.9 / Pfa 1e-6 value, 13.18 dB, is also the classic
        // reading of Skolnik's Fig. 2.7 (≈13.2 dB).
        for (pd, pfa, want) in
            [(0.9, 1e-6, 20.813686348397148), (0.5, 1e-6, 13.312367909319171), (0.99, 1e-8, 34.65923081135783)]
        {
            let got = Swerling0SinglePulse.required_snr(pd, pfa);
            assert!((got - want).abs() <= 1e-6 * want, "Pd {pd} Pfa {pfa}: {got} vs scipy {want}");
        }
    }

    #[test]
    fn pd_and_required_snr_are_inverse() {
        for det in DetectorKind::ALL {
            for pfa in [1e-3, 1e-6, 1e-10] {
                for pd in [0.1, 0.5, 0.9, 0.999] {
                    let snr = det.required_snr(pd, pfa);
                    let back = det.pd(snr, pfa);
                    assert!((back - pd).abs() < 1e-9, "{det:?} Pd {pd} Pfa {pfa}: back {back}");
                }
            }
        }
    }

    #[test]
    fn degenerate_inputs_stay_finite_and_bounded() {
        for det in DetectorKind::ALL {
            for snr in [f64::NAN, -1.0, 0.0, 1e-300, f64::INFINITY, f64::MAX] {
                for pfa in [f64::NAN, -1.0, 0.0, 1e-6, 1.0, 2.0] {
                    let pd = det.pd(snr, pfa);
                    assert!((0.0..=1.0).contains(&pd), "{det:?} pd({snr}, {pfa}) = {pd}");
                    let s = det.required_snr(snr, pfa);
                    assert!(s.is_finite() && s >= 0.0, "{det:?} required_snr({snr}, {pfa}) = {s}");
                }
            }
            // Zero SNR gives exactly the false-alarm probability.
            assert!((det.pd(0.0, 1e-6) - 1e-6).abs() < 1e-15);
            assert_eq!(det.required_snr(1e-7, 1e-6), 0.0);
            assert_eq!(det.required_snr(1.0, 1e-6), SNR_MAX);
        }
        assert_eq!(DetectorKind::parse("swerling0"), Some(DetectorKind::Swerling0SinglePulse));
        assert_eq!(DetectorKind::parse("swerling5"), None);
    }
}
