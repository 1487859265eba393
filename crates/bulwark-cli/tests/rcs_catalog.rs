//! The catalog's RCS tables, as the engine reads them (band interpolation, missing sectors),
//! behave across frequency and aspect:
//!
//! - beam and tail never fall below the nose at any band (shaped or not, the nose is the
//!   smallest aspect of these airframes; at VHF the stealth table once gave the opposite);
//! - the stealth fighter's RCS rises as frequency falls, at every aspect, and its aspect
//!   contrast (beam/nose) shrinks: shaping loses effect in the resonance region (Knott,
//!   Shaeffer & Tuley, Radar Cross Section, 2nd ed., 2004, ch. 1 and 5);
//! - large unshaped airframes keep about their microwave RCS at VHF, as the exact Mie series
//!   of a conducting sphere of fuselage size (radius 2 m, ka ≈ 4 at the VHF centre) says: the
//!   oracle is [`bulwark_sensors::sphere`], itself checked against SciPy in bulwark-sensors.
use bulwark_engine::signatures;
use bulwark_scenario::Catalog;
use bulwark_sensors::sphere::sphere_rcs_m2;
use bulwark_sensors::{AspectSector, Band};

fn db(x: f64) -> f64 {
    10.0 * x.log10()
}

#[test]
fn beam_and_tail_are_never_below_the_nose() {
    let cat = Catalog::embedded().unwrap();
    let mut bad = Vec::new();
    for (id, sig) in signatures(&cat).unwrap() {
        let Some(t) = sig.rcs_table.as_ref() else { continue };
        for b in Band::ALL {
            let f = b.centre_hz();
            let nose = t.sector_rcs_m2(f, AspectSector::Nose);
            for s in [AspectSector::Beam, AspectSector::Tail] {
                let v = t.sector_rcs_m2(f, s);
                if v < nose * (1.0 - 1e-12) {
                    bad.push(format!("{id} {} {}: {v} m² below the nose {nose} m²", b.as_str(), s.as_str()));
                }
            }
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

#[test]
fn stealth_signature_grows_and_flattens_toward_low_band() {
    let cat = Catalog::embedded().unwrap();
    let sigs = signatures(&cat).unwrap();
    let t = sigs["stealth-fighter"].rcs_table.as_ref().unwrap();
    for s in AspectSector::ALL {
        for w in Band::ALL.windows(2) {
            let (lo, hi) = (t.sector_rcs_m2(w[0].centre_hz(), s), t.sector_rcs_m2(w[1].centre_hz(), s));
            assert!(lo >= hi, "{}: {} {lo} m² < {} {hi} m²", s.as_str(), w[0].as_str(), w[1].as_str());
        }
    }
    let contrast = |b: Band| {
        db(t.sector_rcs_m2(b.centre_hz(), AspectSector::Beam) / t.sector_rcs_m2(b.centre_hz(), AspectSector::Nose))
    };
    for w in Band::ALL.windows(2) {
        assert!(contrast(w[0]) <= contrast(w[1]) + 1e-9, "beam/nose contrast shrinks toward {}", w[0].as_str());
    }
    assert!(contrast(Band::X) - contrast(Band::Vhf) >= 10.0, "shaping loses at least 10 dB of contrast at VHF");
}

#[test]
fn large_unshaped_airframes_stay_optical_at_vhf_as_a_sphere_does() {
    // A 2 m-radius conducting sphere at the VHF band centre: ka ≈ 4, within ±3 dB of πa².
    let a = 2.0;
    let mie_db = db(sphere_rcs_m2(a, Band::Vhf.centre_hz()).unwrap() / (std::f64::consts::PI * a * a));
    assert!(mie_db.abs() < 3.0, "Mie at ka ≈ 4: {mie_db} dB from optical");
    let cat = Catalog::embedded().unwrap();
    let sigs = signatures(&cat).unwrap();
    for id in ["bomber", "recon-aircraft", "airliner-widebody", "airliner-narrowbody"] {
        let t = sigs[id].rcs_table.as_ref().unwrap();
        let d = db(t.sector_rcs_m2(Band::Vhf.centre_hz(), AspectSector::Nose)
            / t.sector_rcs_m2(Band::X.centre_hz(), AspectSector::Nose));
        assert!(d.abs() <= 3.0, "{id}: VHF nose {d} dB from X nose, outside the sphere's ±3 dB");
    }
}
