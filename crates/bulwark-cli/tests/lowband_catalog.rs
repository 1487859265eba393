//! The low-band surveillance radars of `catalog/surveillance.toml`: their angular accuracy is
//! the thermal-noise accuracy their beamwidths allow, and their place in the regiment systems.
//!
//! Oracle: the textbook accuracy rule σ_θ = θ_3dB / (k_m·√(2·SNR)) (Skolnik, Introduction to
//! Radar Systems, 3rd ed., 2001, measurement accuracy; Richards, Fundamentals of Radar Signal
//! Processing, 2014, ch. 7) with k_m = 1.6, at the SNR of the radar's own reference detection
//! (Pd 0.5, Pfa 1e-6, Swerling 1, one look), from the Swerling 1 closed form
//! Pd = Pfa^(1/(1+SNR)) (Skolnik 2001, eq. 2.39), i.e. SNR = ln Pfa / ln Pd − 1.
use bulwark_scenario::{Band, Catalog};

const LOW_BAND: [&str; 4] = ["55Zh6ME-M", "55Zh6ME-D", "59N6-TE", "1L119"];

#[test]
fn low_band_angle_accuracy_follows_from_the_beamwidth_at_the_reference_snr() {
    let cat = Catalog::embedded().expect("embedded catalog");
    for id in LOW_BAND {
        let r = cat.radar(id).unwrap_or_else(|| panic!("catalog radar {id}"));
        let a = r.detection_anchor().expect("reference point");
        let snr = a.pfa.ln() / a.pd.ln() - 1.0;
        let k = 1.6 * (2.0 * snr).sqrt();
        for (what, beam, sigma) in [
            ("azimuth", r.beamwidth_azimuth_rad.value, r.sigma_azimuth_rad.value),
            ("elevation", r.beamwidth_elevation_rad.value, r.sigma_elevation_rad.value),
        ] {
            let want = beam / k;
            // 10 %: the catalog rounds to one or two significant figures.
            assert!((sigma / want - 1.0).abs() < 0.10, "{id} {what}: σ {sigma} rad vs θ/(1.6√(2·SNR)) = {want} rad");
        }
    }
}

#[test]
fn low_band_radars_are_low_band_and_coarser_than_the_fire_control_radar() {
    let cat = Catalog::embedded().expect("embedded catalog");
    let fc = cat.radar("92N6E").expect("92N6E").sigma_azimuth_rad.value;
    for id in LOW_BAND {
        let r = cat.radar(id).expect("radar");
        assert!(r.band <= Band::L, "{id} is a low-band radar: {:?}", r.band);
        assert!(r.sigma_azimuth_rad.value > 1.5 * fc, "{id} is coarser in angle than the 92N6E");
    }
}

#[test]
fn regiment_systems_hold_the_battalion_radars_plus_the_low_band_sets() {
    let cat = Catalog::embedded().expect("embedded catalog");
    for (regiment, battalion) in [("s400-regiment", "s400"), ("s300pmu2-regiment", "s300pmu2")] {
        let (r, b) = (cat.system(regiment).expect("regiment"), cat.system(battalion).expect("battalion"));
        assert!(r.radars.starts_with(&b.radars), "{regiment} starts with {battalion}'s radars");
        assert!(r.radars[b.radars.len()..].iter().all(|id| LOW_BAND.contains(&id.as_str())));
        assert_eq!((&r.launchers, &r.interceptors), (&b.launchers, &b.interceptors));
    }
}
