//! The RCS interval of `rcs_estimate` for every Swerling case and for several pulses per look:
//! looks drawn as the engine draws them (detection by Bernoulli(Pd), measured power from
//! `bulwark_sensors::draw_measured_power` given the outcome), then the interval formed from the
//! detections only.
use bulwark_core::{EntityId, RngStreams, StreamPurpose};
use bulwark_exposure::chi_square::chi_square_quantile;
use bulwark_exposure::rcs_estimate::{PowerSample, estimate_rcs};
use bulwark_sensors::{SwerlingCase, SwerlingDetector, TargetLook, draw_measured_power};

const TRUE_RCS_M2: f64 = 2.0;
const PFA: f64 = 1e-4;

/// One pass: 12 looks at mean SNRs K·σ from 0 to 17 dB (K log-uniform), the detections' samples.
fn pass(detector: SwerlingDetector, rng: &mut bulwark_core::RngStream) -> Vec<PowerSample> {
    let threshold = detector.threshold(PFA);
    let mut out = Vec::new();
    for _ in 0..12 {
        let k = 10f64.powf(rng.uniform_range(0.0, 1.7)) / TRUE_RCS_M2;
        let snr = k * TRUE_RCS_M2;
        let pd = detector.pd_at_threshold(snr, threshold);
        let detected = rng.bernoulli(pd);
        let look = TargetLook {
            entity: EntityId(1),
            range_m: 1e5,
            snr,
            rcs_m2: TRUE_RCS_M2,
            pd,
            threshold,
            detector,
            detected,
            body_az_el_rad: None,
        };
        let power = draw_measured_power(&look, rng);
        if detected {
            out.push(PowerSample { power, threshold, k, detector });
        }
    }
    out
}

/// Oracle: the interval is exact (module doc of `rcs_estimate`: Fisher's χ²(2n) combination of
/// the probability integral transforms), so over 400 seeded passes per case (Swerling 0 … 4,
/// 1 and 8 pulses per look) the share of 90 % intervals holding the true mean RCS must not
/// reject 0.90: it lies in the 99.9 % Wilson interval of the observed share (`bulwark_stats`,
/// checked against statsmodels there), per case, and in the 99 % one over all 4,000. Where the
/// point estimate is median-unbiased (every case but one-pulse Swerling 1/2) it falls below
/// the truth half the time, same test. The test can fail: the one-pulse exponential pivot
/// applied to every case covers none of the 8-pulse passes, and its Swerling 0 estimate is
/// below the truth in all 400 one-pulse passes.
#[test]
fn intervals_cover_the_true_rcs_at_their_level_for_every_case() {
    let (mut all_covered, mut all_n) = (0u64, 0u64);
    for (ci, case) in SwerlingCase::ALL.into_iter().enumerate() {
        for pulses in [1u32, 8] {
            let detector = SwerlingDetector { case, pulses };
            let mut rng = RngStreams::new(11, 0).stream(10 * ci as u64 + u64::from(pulses), StreamPurpose::Exposure);
            let (mut covered, mut below, mut n) = (0u64, 0u64, 0u64);
            while n < 400 {
                let samples = pass(detector, &mut rng);
                if samples.len() < 3 {
                    continue;
                }
                let e = estimate_rcs(&samples, 0.9).unwrap();
                assert!(e.lo_m2 <= e.sigma_m2 && e.sigma_m2 <= e.hi_m2, "{case:?} × {pulses}: {e:?}");
                n += 1;
                covered += u64::from(e.lo_m2 <= TRUE_RCS_M2 && TRUE_RCS_M2 <= e.hi_m2);
                below += u64::from(e.sigma_m2 < TRUE_RCS_M2);
            }
            let w = bulwark_stats::wilson(covered, n, 0.999).unwrap();
            println!("{case:?} × {pulses}: covered {covered}/{n}, below {below}/{n}");
            assert!(
                w.contains(0.9),
                "{case:?} × {pulses}: {covered}/{n} covered, 99.9 % Wilson [{}, {}]",
                w.low,
                w.high
            );
            let memoryless = matches!(case, SwerlingCase::S1 | SwerlingCase::S2) && pulses == 1;
            if !memoryless {
                let w = bulwark_stats::wilson(below, n, 0.999).unwrap();
                assert!(
                    w.contains(0.5),
                    "{case:?} × {pulses}: {below}/{n} below, 99.9 % Wilson [{}, {}]",
                    w.low,
                    w.high
                );
            }
            all_covered += covered;
            all_n += n;
        }
    }
    let w = bulwark_stats::wilson(all_covered, all_n, 0.99).unwrap();
    assert!(w.contains(0.9), "{all_covered}/{all_n}: 99 % Wilson [{}, {}]", w.low, w.high);
}

/// Oracle: `scipy.stats.chi2.ppf(p, k)` (SciPy 1.17.1, printed with `repr`), the quantiles of
/// χ²(2n) the interval uses for n = 3, 12, 24 and 100 detections; 1e-9 relative.
#[test]
fn pivot_quantiles_match_scipy() {
    let table = [
        (6.0, 0.05, 1.6353828943279067),
        (6.0, 0.5, 5.348120627447118),
        (6.0, 0.95, 12.591587243743977),
        (24.0, 0.05, 13.848425027170224),
        (24.0, 0.5, 23.336726306089535),
        (24.0, 0.95, 36.41502850180731),
        (48.0, 0.05, 33.09807742948629),
        (48.0, 0.5, 47.33500455045263),
        (48.0, 0.95, 65.17076890356982),
        (200.0, 0.05, 168.27855443662838),
        (200.0, 0.5, 199.33372983863097),
        (200.0, 0.95, 233.99426889232492),
    ];
    for (k, p, want) in table {
        let got = chi_square_quantile(p, k).unwrap();
        assert!((got / want - 1.0).abs() < 1e-9, "chi2.ppf({p}, {k}) = {want}, ours {got}");
    }
}

/// Oracle: the conditional exceedances u = P(z > z₀)/P(z > T) the pivot combines, from SciPy
/// 1.17.1: Swerling 2 with 4 pulses, `gamma.sf(40, 4, scale=3.5)/gamma.sf(T, 4, scale=3.5)` with
/// T = `gamma.isf(1e-4, 4)` = 15.91381400063116; Swerling 0 with one pulse (Rician amplitude,
/// 2z ~ χ'²(2, 2s)), `ncx2.sf(50, 2, 10)/ncx2.sf(2·ln 1e4, 2, 10)`; Swerling 0 with 4 pulses,
/// `ncx2.sf(80, 8, 16)/ncx2.sf(2T, 8, 16)`; 1e-6 relative on the SNR they imply. Read through
/// the interval: one sample with K = 1 at level γ = 1 − 2u puts the upper χ²(2) point,
/// −2 ln(½(1 − γ)) = −2 ln u, at the lower bound, so Π(lo) = −2 ln u(lo) and lo must be the SNR
/// SciPy was given.
#[test]
fn conditional_exceedances_match_scipy() {
    let cases = [
        (SwerlingCase::S2, 4u32, 2.5, 40.0, 15.91381400063116, 0.010621814526827254),
        (SwerlingCase::S0, 1, 5.0, 25.0, -(1e-4f64).ln(), 0.00044173743448786706),
        (SwerlingCase::S0, 4, 2.0, 40.0, 15.91381400063116, 3.338993968509042e-05),
    ];
    for (case, pulses, snr, z, t, u) in cases {
        let detector = SwerlingDetector { case, pulses };
        assert!((detector.threshold(PFA) / t - 1.0).abs() < 1e-9, "{case:?} threshold");
        let gamma = 1.0 - 2.0 * u;
        let e = estimate_rcs(&[PowerSample { power: z, threshold: t, k: 1.0, detector }], gamma).unwrap();
        assert!((e.lo_m2 / snr - 1.0).abs() < 1e-6, "{case:?} × {pulses}: lower bound {} vs SNR {snr}", e.lo_m2);
    }
}
