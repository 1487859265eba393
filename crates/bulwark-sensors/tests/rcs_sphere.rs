//! Validation of the conducting-sphere Mie series ([`bulwark_sensors::sphere`]) and of the
//! RCS table's frequency interpolation against it.
//!
//! Oracle: SciPy 1.17.1 spherical Bessel functions (`scipy.special.spherical_jn`/`spherical_yn`,
//! with `derivative=True` for the derivatives, i.e. an independent implementation of jₙ, yₙ and
//! of [x zₙ]′ = zₙ + x zₙ′), summed as σ/(πa²) = |Σ (−1)ⁿ(2n+1)(aₙ − bₙ)|²/x² to N = x + 4x^⅓ + 7
//! terms. Published checks: Rayleigh limit 9x⁴, first resonance peak ≈ 3.65 near ka = 1 and the
//! optical limit 1 (Knott, Shaeffer & Tuley, Radar Cross Section, 2nd ed., 2004, fig. 5.4).
use bulwark_sensors::sphere::{sphere_rcs_m2, sphere_rcs_normalised};
use bulwark_sensors::{Aspect, AspectSector, Band, RcsTable};

/// (ka, σ/(πa²)) from the SciPy script of the module doc.
const SCIPY: [(f64, f64); 14] = [
    (0.05, 5.6223973741463824e-05),
    (0.1, 0.0008983365971522713),
    (0.2, 0.014293474648598207),
    (0.5, 0.5295762786963111),
    (0.8, 2.5960266603965954),
    (1.0, 3.637566542851703),
    (1.2, 3.1046393321506884),
    (1.5, 1.075609287453262),
    (2.0, 1.0081430832473455),
    (3.0, 0.520765428353642),
    (5.0, 1.1688370491183557),
    (10.0, 0.9292302159512802),
    (20.0, 0.9663573977004569),
    (50.0, 0.9959176787810189),
];

#[test]
fn mie_series_matches_scipy() {
    for (ka, want) in SCIPY {
        let got = sphere_rcs_normalised(ka).unwrap();
        // 1e-9 relative: both are double-precision sums of the same series.
        assert!((got / want - 1.0).abs() < 1e-9, "ka {ka}: {got} vs SciPy {want}");
    }
}

#[test]
fn mie_series_has_the_published_limits() {
    for ka in [1e-4, 2e-3, 0.01] {
        let r = sphere_rcs_normalised(ka).unwrap() / (9.0 * ka.powi(4));
        assert!((r - 1.0).abs() < 1e-3, "Rayleigh 9x⁴ at ka {ka}: ratio {r}");
    }
    let peak = (80..=120).map(|i| sphere_rcs_normalised(i as f64 / 100.0).unwrap()).fold(0.0, f64::max);
    assert!((peak - 3.65).abs() < 0.02, "first resonance peak ≈ 3.65 (Knott 2004): {peak}");
    for ka in [200.0, 1000.0, 5000.0] {
        let r = sphere_rcs_normalised(ka).unwrap();
        // Optical region: creeping-wave ripple ∝ (ka)^(−3/2)·… stays below 5 % beyond ka = 200.
        assert!((r - 1.0).abs() < 0.05, "optical limit at ka {ka}: {r}");
    }
    let a = 1.0;
    let f = 3e9; // ka ≈ 62.9
    assert!((sphere_rcs_m2(a, f).unwrap() / std::f64::consts::PI - 1.0).abs() < 0.05);
}

/// A table given at the band centres reproduces the sphere's trend between them: within 1 dB
/// where the sphere is out of resonance in both neighbouring bands (Rayleigh: 40 dB/decade,
/// linear in dB over log f; optical: flat), and inside the range of values the sphere takes
/// between the two centres where it resonates.
#[test]
fn band_interpolation_follows_the_sphere_across_regions() {
    let nose = Aspect::pure(AspectSector::Nose);
    for radius in [0.02, 0.1, 1.0, 5.0] {
        let entries: Vec<(Band, f64)> =
            Band::ALL.iter().map(|b| (*b, sphere_rcs_m2(radius, b.centre_hz()).unwrap())).collect();
        let table = RcsTable::all_aspects(&entries).unwrap();
        for w in Band::ALL.windows(2) {
            let (f0, f1) = (w[0].centre_hz(), w[1].centre_hz());
            let ka = |f: f64| 2.0 * std::f64::consts::PI * radius * f / 299_792_458.0;
            let (k0, k1) = (ka(f0), ka(f1));
            let f_mid = (f0 * f1).sqrt();
            let got_db = 10.0 * table.rcs_m2(f_mid, &nose).log10();
            let want_db = 10.0 * sphere_rcs_m2(radius, f_mid).unwrap().log10();
            let rayleigh = k1 < 0.3;
            let optical = k0 > 20.0;
            if rayleigh || optical {
                assert!(
                    (got_db - want_db).abs() < 1.0,
                    "a {radius} m, {f_mid:.3e} Hz: table {got_db:.2} dB vs Mie {want_db:.2} dB"
                );
            } else {
                // Resonance: the table cannot follow the ripple (a null near ka = 1.7, the peak
                // near 1); it stays inside the range the sphere itself spans between the centres.
                let span: Vec<f64> = (0..=200)
                    .map(|i| f0 * (f1 / f0).powf(i as f64 / 200.0))
                    .map(|f| 10.0 * sphere_rcs_m2(radius, f).unwrap().log10())
                    .collect();
                let (lo, hi) = span.iter().fold((f64::MAX, f64::MIN), |(l, h), v| (l.min(*v), h.max(*v)));
                assert!(
                    got_db > lo - 0.5 && got_db < hi + 0.5,
                    "a {radius} m resonance: table {got_db:.2} dB outside the sphere's [{lo:.2}, {hi:.2}] dB"
                );
            }
        }
    }
}
