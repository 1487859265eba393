//! What one look did to one target, for exposure analysis: the truth of the look (range, mean
//! SNR and RCS, Pd, the aspect in the target's body frame) and the detector's outcome, and the
//! power the detector measured, drawn consistently with that outcome.
//!
//! The detector's decision is drawn as Bernoulli(Pd) ([`crate::radar`]). The measured power
//! z = Σᵢ|xᵢ|² (N pulses, noise power 1 per pulse) is then drawn from its law *conditioned on the
//! decision*: z > T if detected, z ≤ T if missed. Decision and power drawn this way have exactly
//! the joint law of a detector that draws z and compares it with T (P(z > T) = Pd by definition
//! of Pd), and the decision stream stays that of a run without exposure recording.
//!
//! Draw: with F̄(x) = P(z > x) = Pd(SNR, x) ([`SwerlingDetector::pd_at_threshold`]) and u ~ U(0, 1),
//! z = F̄⁻¹(u·Pd) if detected, F̄⁻¹(Pd + u·(1 − Pd)) if missed (inverse-CDF sampling of a
//! truncated law; Devroye 1986, §II.2). For one pulse of a Swerling 1 or 2 target z is
//! exponential with mean 1 + SNR (Richards, *Fundamentals of Radar Signal Processing*, 2005,
//! §6.3), so F̄⁻¹ has the closed form; other cases invert F̄ by bisection.

use bulwark_core::{EntityId, RngStream, Vec3};

use crate::detection::{SwerlingCase, SwerlingDetector};

/// One look of a radar at one target whose detector was tried (inside the coverage, above the
/// horizon, unmasked, outside the Doppler notch).
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct TargetLook {
    pub entity: EntityId,
    /// True slant range (m).
    pub range_m: f64,
    /// Mean single-pulse SNR (SINR under jamming), linear.
    pub snr: f64,
    /// Mean RCS the target presented at this band and aspect (m²).
    pub rcs_m2: f64,
    /// Probability of detection of this look.
    pub pd: f64,
    /// Normalised threshold T on z = Σ|xᵢ|².
    pub threshold: f64,
    /// The detector of the look (the target's Swerling case, the radar's pulse count).
    pub detector: SwerlingDetector,
    pub detected: bool,
    /// Direction of the radar in the target's body frame (rad), `None` when the body frame is
    /// undefined (speed ≈ 0, vertical flight): see [`body_direction`].
    pub body_az_el_rad: Option<(f64, f64)>,
}

/// Direction of the radar seen from the target in its body frame (x along the velocity, wings
/// level: y to port = up × x, z = x × y upward): azimuth from the nose, positive to starboard,
/// in (−π, π], and elevation above the wing plane in [−π/2, π/2] (a ground radar below an
/// aircraft in level flight is at negative elevation). `los_ecef` is radar → target.
/// `None` for a zero line of sight, a speed below 1 µm/s, vertical flight or non-finite input.
pub fn body_direction(los_ecef: &Vec3, velocity_ecef: &Vec3, up_ecef: &Vec3) -> Option<(f64, f64)> {
    let (ln, speed) = (los_ecef.norm(), velocity_ecef.norm());
    if !(ln > 0.0 && ln.is_finite() && speed > 1e-6 && speed.is_finite() && up_ecef.iter().all(|x| x.is_finite())) {
        return None;
    }
    let d = -los_ecef / ln;
    let x = velocity_ecef / speed;
    let y = up_ecef.cross(&x);
    let yn = y.norm();
    if yn < 1e-9 * up_ecef.norm() || yn == 0.0 {
        return None;
    }
    let y = y / yn;
    let z = x.cross(&y);
    let az = (-d.dot(&y)).atan2(d.dot(&x));
    let el = d.dot(&z).clamp(-1.0, 1.0).asin();
    Some((az, el))
}

/// Draws the measured power z = Σ|xᵢ|² of a look whose outcome was `detected` (see the module
/// doc), from `rng`. Finite and ≥ 0; > T when detected, ≤ T when missed (up to the bisection's
/// 1e-12 relative width).
pub fn draw_measured_power(look: &TargetLook, rng: &mut RngStream) -> f64 {
    let u = rng.uniform();
    let (pd, t) = (look.pd.clamp(0.0, 1.0), look.threshold.max(0.0));
    let exceed = if look.detected { (1.0 - u) * pd } else { pd + u * (1.0 - pd) };
    let det = &look.detector;
    let z = match (det.case, det.pulses) {
        (SwerlingCase::S1 | SwerlingCase::S2, 1) => {
            let m = 1.0 + look.snr.max(0.0);
            if look.detected {
                // Memoryless: z − T ~ Exp(m) above the threshold.
                t - m * (1.0 - u).ln()
            } else {
                // Truncated exponential on [0, T): inverse CDF.
                -m * (-(u * -(-t / m).exp_m1())).ln_1p()
            }
        }
        _ => invert_exceedance(det, look.snr, exceed, t, look.detected),
    };
    if z.is_finite() { z.max(0.0) } else { t }
}

/// x with P(z > x) = `p`, by bisection on [0, T] (missed) or [T, ∞) (detected, bracket doubled).
fn invert_exceedance(det: &SwerlingDetector, snr: f64, p: f64, t: f64, detected: bool) -> f64 {
    let (mut lo, mut hi) = if detected { (t, (2.0 * t).max(1.0)) } else { (0.0, t) };
    if detected {
        let mut k = 0;
        while det.pd_at_threshold(snr, hi) > p && k < 200 {
            lo = hi;
            hi *= 2.0;
            k += 1;
        }
    }
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if det.pd_at_threshold(snr, mid) > p {
            lo = mid;
        } else {
            hi = mid;
        }
        if hi - lo <= 1e-12 * hi.max(1e-300) {
            break;
        }
    }
    0.5 * (lo + hi)
}

#[cfg(test)]
mod tests {
    use super::*;
    use bulwark_core::{RngStreams, StreamPurpose};

    fn look(case: SwerlingCase, pulses: u32, snr: f64, detected: bool) -> TargetLook {
        let detector = SwerlingDetector { case, pulses };
        let threshold = detector.threshold(1e-4);
        TargetLook {
            entity: EntityId(1),
            range_m: 1e5,
            snr,
            rcs_m2: 1.0,
            pd: detector.pd_at_threshold(snr, threshold),
            threshold,
            detector,
            detected,
            body_az_el_rad: None,
        }
    }

    /// Oracle: the analytic exceedance of an exponential law, P(z > x) = exp(−x/m) (Richards
    /// 2005 §6.3, one pulse Swerling 1). Mixing detected and missed draws in the proportions
    /// Pd : 1 − Pd must give back the unconditional law: checked with a Kolmogorov–Smirnov
    /// distance below 1.63/√n (the 1 % critical value, Massey 1951 table).
    #[test]
    fn conditional_draws_recombine_to_the_exponential_law() {
        let mut rng = RngStreams::new(7, 0).stream(1, StreamPurpose::Exposure);
        let l = look(SwerlingCase::S1, 1, 10.0, true);
        let n = 4000;
        let mut zs: Vec<f64> = (0..n)
            .map(|_| {
                let detected = rng.uniform() < l.pd;
                let z = draw_measured_power(&TargetLook { detected, ..l }, &mut rng);
                assert_eq!(z > l.threshold, detected);
                z
            })
            .collect();
        zs.sort_by(f64::total_cmp);
        let m = 11.0;
        let ks = zs
            .iter()
            .enumerate()
            .map(|(i, z)| {
                let f = 1.0 - (-z / m).exp();
                (f - i as f64 / n as f64).abs().max((f - (i + 1) as f64 / n as f64).abs())
            })
            .fold(0.0, f64::max);
        assert!(ks < 1.63 / (n as f64).sqrt(), "KS distance {ks}");
    }

    /// The bisection path (Swerling 1, 4 pulses) against the exact exceedance of the detector
    /// (validated against SciPy in `detection`): the fraction of detected draws above the median
    /// of the conditional law is ½ within 4σ of a binomial.
    #[test]
    fn bisection_draws_follow_the_detector_law() {
        let mut rng = RngStreams::new(9, 0).stream(2, StreamPurpose::Exposure);
        let l = look(SwerlingCase::S1, 4, 3.0, true);
        let median = invert_exceedance(&l.detector, l.snr, 0.5 * l.pd, l.threshold, true);
        let n = 2000;
        let above = (0..n).filter(|_| draw_measured_power(&l, &mut rng) > median).count();
        let sd = (n as f64 * 0.25).sqrt();
        assert!((above as f64 - 0.5 * n as f64).abs() < 4.0 * sd, "{above} of {n}");
        let missed = TargetLook { detected: false, ..l };
        for _ in 0..100 {
            assert!(draw_measured_power(&missed, &mut rng) <= l.threshold * (1.0 + 1e-9));
        }
    }

    /// Analytic cases: a radar dead ahead of a level aircraft is at azimuth 0; one off the
    /// starboard wing at +90°; one straight below at −90° elevation.
    #[test]
    fn body_direction_of_simple_geometries() {
        let up = Vec3::new(0.0, 0.0, 1.0);
        let v = Vec3::new(100.0, 0.0, 0.0);
        let (az, el) = body_direction(&Vec3::new(-1.0, 0.0, 0.0), &v, &up).unwrap();
        assert!(az.abs() < 1e-12 && el.abs() < 1e-12);
        // Flying +x with up +z: port is +y, so a radar at −y (line of sight +y) is to starboard.
        let (az, _) = body_direction(&Vec3::new(0.0, 1.0, 0.0), &v, &up).unwrap();
        assert!((az - std::f64::consts::FRAC_PI_2).abs() < 1e-12, "{az}");
        let (_, el) = body_direction(&Vec3::new(0.0, 0.0, 1.0), &v, &up).unwrap();
        assert!((el + std::f64::consts::FRAC_PI_2).abs() < 1e-12, "{el}");
        assert!(body_direction(&Vec3::new(1.0, 0.0, 0.0), &Vec3::zeros(), &up).is_none());
    }
}
