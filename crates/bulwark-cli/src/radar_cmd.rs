//! `bulwark radar pd|snr|range|table`: detection calculators over the sensor models, for a raw
//! RCS or for a catalog platform (its RCS table at the radar's frequency, by aspect, and its
//! Swerling case).
use crate::InputError;
use crate::suggest::did_you_mean;
use bulwark_engine::{Signature, radar_params, signatures};
use bulwark_scenario::{Catalog, EntryKind, Quantity, units};
use bulwark_sensors::{
    Aspect, AspectSector, Detector, RadarParams, SNR_MAX, SwerlingCase, SwerlingDetector, detection_range_m,
};
use clap::{Args, Subcommand};
use std::collections::BTreeMap;
use std::sync::Arc;

#[derive(Subcommand)]
pub enum RadarCommand {
    /// Probability of detection for a single-pulse SNR, N pulses non-coherently integrated.
    Pd {
        #[command(flatten)]
        det: DetectorArgs,
        /// Single-pulse SNR (dB).
        #[arg(long, allow_negative_numbers = true)]
        snr_db: f64,
        #[arg(long)]
        json: bool,
    },
    /// Single-pulse SNR needed for a Pd, N pulses non-coherently integrated.
    Snr {
        #[command(flatten)]
        det: DetectorArgs,
        /// Probability of detection, Pfa < Pd < 1.
        #[arg(long)]
        pd: f64,
        #[arg(long)]
        json: bool,
    },
    /// Free-space detection range of a catalog radar for each RCS, or for a catalog platform
    /// by aspect (its RCS at the radar's band, its Swerling case).
    Range {
        /// Catalog radar id (see `bulwark catalog`).
        #[arg(long)]
        radar: String,
        /// Comma-separated RCS values with units, e.g. "0.001 m2,0.1 m2,5 m2" or "-20 dBsm".
        #[arg(long, allow_hyphen_values = true, required_unless_present = "target", conflicts_with = "target")]
        rcs: Option<String>,
        /// Catalog platform id, e.g. stealth-fighter.
        #[arg(long)]
        target: Option<String>,
        /// Aspect(s) of the target, comma-separated: nose, beam, tail, above, below (default: all).
        #[arg(long, requires = "target")]
        aspect: Option<String>,
        /// Probability of detection (default: 0.9).
        #[arg(long, default_value_t = 0.9)]
        pd: f64,
        /// False-alarm probability (default: the radar's).
        #[arg(long)]
        pfa: Option<f64>,
        #[arg(long)]
        json: bool,
    },
    /// Detection range of every radar of a system against every platform and aspect.
    Table {
        /// Catalog system id (e.g. s400, s400-regiment).
        #[arg(long)]
        system: String,
        /// Only these platforms (comma-separated ids; default: every catalog platform).
        #[arg(long)]
        target: Option<String>,
        /// Aspect(s), comma-separated (default: all five).
        #[arg(long)]
        aspect: Option<String>,
        /// Probability of detection (default: 0.9).
        #[arg(long, default_value_t = 0.9)]
        pd: f64,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Args)]
pub struct DetectorArgs {
    /// Swerling case 0–4.
    #[arg(long)]
    swerling: String,
    /// False-alarm probability per resolution cell, 0 < Pfa < 1.
    #[arg(long)]
    pfa: f64,
    /// Pulses integrated non-coherently (square-law detector), 1–100000.
    #[arg(long, default_value_t = 1)]
    pulses: u32,
}

fn bad(msg: String) -> anyhow::Error {
    anyhow::Error::new(InputError(format!("error: {msg}")))
}

pub fn parse_swerling(s: &str) -> anyhow::Result<SwerlingCase> {
    SwerlingCase::parse(s).ok_or_else(|| bad(format!("--swerling `{s}`: expected 0, 1, 2, 3 or 4")))
}

/// Smallest Pfa the detectors compute with (they clamp below it, which would answer another
/// question than the one asked).
const PFA_MIN: f64 = 1e-300;

pub fn check_pfa(pfa: f64) -> anyhow::Result<()> {
    if (PFA_MIN..1.0).contains(&pfa) {
        Ok(())
    } else {
        Err(bad(format!("--pfa {pfa}: expected {PFA_MIN:e} ≤ Pfa < 1")))
    }
}

impl DetectorArgs {
    fn detector(&self) -> anyhow::Result<SwerlingDetector> {
        check_pfa(self.pfa)?;
        SwerlingDetector::new(parse_swerling(&self.swerling)?, self.pulses).map_err(|e| bad(format!("--pulses: {e}")))
    }
}

pub fn run(cmd: RadarCommand) -> anyhow::Result<()> {
    match cmd {
        RadarCommand::Pd { det, snr_db, json } => {
            let d = det.detector()?;
            if !snr_db.is_finite() {
                return Err(bad(format!("--snr-db {snr_db}: expected a finite number")));
            }
            let pd = d.pd(10f64.powf(snr_db / 10.0), det.pfa);
            if json {
                println!("{}", serde_json::json!({ "pd": pd }));
            } else {
                println!(
                    "Pd = {pd:.6}  ({}, {} pulse(s) non-coherent, single-pulse SNR {snr_db} dB, Pfa {:e})",
                    d.case.as_str(),
                    d.pulses,
                    det.pfa
                );
            }
            Ok(())
        }
        RadarCommand::Snr { det, pd, json } => {
            let d = det.detector()?;
            if !(pd > det.pfa && pd < 1.0) {
                return Err(bad(format!("--pd {pd}: expected Pfa < Pd < 1")));
            }
            let snr = d.required_snr(pd, det.pfa);
            // The solver answers 0 when Pd is so close to Pfa that noise alone gets there (as far
            // as its floor can tell) and SNR_MAX when no SNR it can represent gets there: say so
            // rather than print "-inf dB" or a huge number as if it were a result.
            if snr <= 0.0 {
                return Err(bad(format!(
                    "--pd {pd}: so close to --pfa {:e} that noise alone reaches it; no single-pulse SNR to report",
                    det.pfa
                )));
            }
            if snr >= SNR_MAX {
                return Err(bad(format!(
                    "--pd {pd}: not reached at any single-pulse SNR up to {:.0} dB",
                    10.0 * SNR_MAX.log10()
                )));
            }
            let snr_db = 10.0 * snr.log10();
            if json {
                println!("{}", serde_json::json!({ "snr_db": snr_db }));
            } else {
                println!(
                    "single-pulse SNR = {snr_db:.3} dB  ({}, {} pulse(s) non-coherent, Pd {pd}, Pfa {:e})",
                    d.case.as_str(),
                    d.pulses,
                    det.pfa
                );
            }
            Ok(())
        }
        RadarCommand::Range { radar, rcs, target: None, pd, pfa, json, .. } => {
            range(&radar, rcs.as_deref().unwrap_or_default(), pd, pfa, json)
        }
        RadarCommand::Range { radar, target: Some(target), aspect, pd, pfa, json, .. } => {
            target_range(&radar, &target, aspect.as_deref(), pd, pfa, json)
        }
        RadarCommand::Table { system, target, aspect, pd, json } => {
            table(&system, target.as_deref(), aspect.as_deref(), pd, json)
        }
    }
}

/// Parses a comma-separated list of quantities ("0.001 m2,5 m2", "100 m, 10 km").
pub fn parse_list(q: Quantity, text: &str, flag: &str) -> anyhow::Result<Vec<f64>> {
    let v: Vec<f64> = text
        .split(',')
        .map(|t| units::parse(q, t.trim()).map_err(|e| bad(format!("{flag} `{}`: {e}", t.trim()))))
        .collect::<Result<_, _>>()?;
    if v.is_empty() { Err(bad(format!("{flag}: empty list"))) } else { Ok(v) }
}

/// The catalog radar `id`'s sensor parameters, or an input error listing the radars.
pub fn catalog_radar(catalog: &Catalog, id: &str) -> anyhow::Result<RadarParams> {
    let r = catalog.radar(id).ok_or_else(|| {
        let ids = catalog.ids(EntryKind::Radar);
        bad(format!("no catalog radar `{id}`{}; radars: {}", did_you_mean(id, ids.iter().copied()), ids.join(", ")))
    })?;
    radar_params(r, 0.0).map_err(|e| bad(format!("radar {id}: {e}")))
}

fn range(id: &str, rcs: &str, pd: f64, pfa: Option<f64>, json: bool) -> anyhow::Result<()> {
    let catalog = Catalog::embedded().map_err(crate::input)?;
    let params = catalog_radar(&catalog, id)?;
    let pfa = pfa.unwrap_or(params.pfa);
    check_pfa(pfa)?;
    if !(pd > pfa && pd < 1.0) {
        return Err(bad(format!("--pd {pd}: expected Pfa < Pd < 1")));
    }
    let sigmas = parse_list(Quantity::Area, rcs, "--rcs")?;
    let mut rows = Vec::new();
    for s in sigmas {
        let r = detection_range_m(&params, s, pd, pfa).map_err(|e| bad(format!("{e}")))?;
        rows.push((s, r));
    }
    if json {
        let ranges: Vec<_> = rows
            .iter()
            .map(|(s, r)| {
                serde_json::json!({
                    "rcs_m2": s,
                    "range_m": r,
                    "within_instrumented_range": *r <= params.instrumented_range_m
                })
            })
            .collect();
        println!("{}", serde_json::json!({ "radar": id, "pd": pd, "pfa": pfa, "ranges": ranges }));
    } else {
        println!("{id}: free-space detection range at Pd {pd}, Pfa {pfa:e} (no horizon, no terrain)");
        println!("{:>12}  {:>10}", "RCS (m²)", "range (km)");
        for (s, r) in rows {
            let note = if r > params.instrumented_range_m { "  beyond the instrumented range" } else { "" };
            println!("{s:>12}  {:>10.1}{note}", r / 1e3);
        }
    }
    Ok(())
}

/// A catalog platform as a radar target: its RCS table and Swerling case.
pub struct Target {
    pub id: String,
    pub signature: Arc<Signature>,
}

/// The catalog platforms' signatures, and the one named `id` or an input error with a suggestion.
pub fn catalog_target(catalog: &Catalog, id: &str) -> anyhow::Result<Target> {
    let mut sigs = signatures(catalog).map_err(|e| bad(format!("{e}")))?;
    let signature = sigs.remove(id).ok_or_else(|| {
        let ids = catalog.ids(EntryKind::Platform);
        bad(format!(
            "no catalog platform `{id}`{}; platforms: {}",
            did_you_mean(id, ids.iter().copied()),
            ids.join(", ")
        ))
    })?;
    Ok(Target { id: id.to_string(), signature })
}

/// Parses a comma-separated aspect list; `None` is all five.
pub fn parse_aspects(text: Option<&str>) -> anyhow::Result<Vec<AspectSector>> {
    let Some(text) = text else { return Ok(AspectSector::ALL.to_vec()) };
    text.split(',')
        .map(|t| {
            let t = t.trim();
            AspectSector::parse(t).ok_or_else(|| {
                let names = AspectSector::ALL.map(|a| a.as_str());
                bad(format!("--aspect `{t}`{}: expected {}", did_you_mean(t, names), names.join(", ")))
            })
        })
        .collect()
}

impl Target {
    /// Mean RCS (m²) this target presents to `params` from `aspect`, at the radar's frequency.
    pub fn rcs_m2(&self, params: &RadarParams, aspect: AspectSector) -> anyhow::Result<f64> {
        let table = self
            .signature
            .rcs_table
            .as_ref()
            .ok_or_else(|| bad(format!("platform {} has no RCS table in VHF–Ku", self.id)))?;
        let f = params.frequency_hz.ok_or_else(|| bad("radar without a frequency".to_string()))?;
        Ok(table.rcs_m2(f, &Aspect::pure(aspect)))
    }

    /// `params` with its detector set to this target's Swerling case (same pulses per look).
    pub fn seen_by(&self, params: &RadarParams) -> anyhow::Result<RadarParams> {
        let mut p = params.clone();
        p.detector =
            SwerlingDetector::new(self.signature.swerling, params.detector.pulses).map_err(|e| bad(format!("{e}")))?;
        Ok(p)
    }

    /// Free-space range (m) at which `params` detects this target from `aspect` with `pd`.
    pub fn detection_range_m(
        &self,
        params: &RadarParams,
        aspect: AspectSector,
        pd: f64,
        pfa: f64,
    ) -> anyhow::Result<(f64, f64)> {
        let sigma = self.rcs_m2(params, aspect)?;
        let r = detection_range_m(&self.seen_by(params)?, sigma, pd, pfa).map_err(|e| bad(format!("{e}")))?;
        Ok((sigma, r))
    }
}

fn check_pd(pd: f64, pfa: f64) -> anyhow::Result<()> {
    if pd > pfa && pd < 1.0 { Ok(()) } else { Err(bad(format!("--pd {pd}: expected Pfa < Pd < 1"))) }
}

fn band_label(params: &RadarParams) -> String {
    let f = params.frequency_hz.unwrap_or(0.0);
    let band = bulwark_sensors::Band::ALL.into_iter().find(|b| {
        let (lo, hi) = b.edges_hz();
        f >= lo && f <= hi
    });
    format!("{} band, {:.3} GHz", band.map_or("?", |b| b.as_str()), f / 1e9)
}

fn target_range(
    id: &str,
    target: &str,
    aspect: Option<&str>,
    pd: f64,
    pfa: Option<f64>,
    json: bool,
) -> anyhow::Result<()> {
    let catalog = Catalog::embedded().map_err(crate::input)?;
    let params = catalog_radar(&catalog, id)?;
    let t = catalog_target(&catalog, target)?;
    let aspects = parse_aspects(aspect)?;
    let pfa = pfa.unwrap_or(params.pfa);
    check_pfa(pfa)?;
    check_pd(pd, pfa)?;
    let mut rows = Vec::new();
    for a in aspects {
        let (s, r) = t.detection_range_m(&params, a, pd, pfa)?;
        rows.push((a, s, r));
    }
    let case = t.signature.swerling.as_str();
    if json {
        let ranges: Vec<_> = rows
            .iter()
            .map(|(a, s, r)| {
                serde_json::json!({
                    "aspect": a.as_str(), "rcs_m2": s, "range_m": r,
                    "within_instrumented_range": *r <= params.instrumented_range_m
                })
            })
            .collect();
        println!(
            "{}",
            serde_json::json!({
                "radar": id, "target": target, "frequency_hz": params.frequency_hz, "swerling": case,
                "pd": pd, "pfa": pfa, "ranges": ranges
            })
        );
    } else {
        println!(
            "{id} ({}) vs {target} ({case}): free-space detection range at Pd {pd}, Pfa {pfa:e} (no horizon, no terrain)",
            band_label(&params)
        );
        println!("{:<7}  {:>12}  {:>10}", "aspect", "RCS (m²)", "range (km)");
        for (a, s, r) in rows {
            let note = if r > params.instrumented_range_m { "  beyond the instrumented range" } else { "" };
            println!("{:<7}  {:>12}  {:>10.1}{note}", a.as_str(), format!("{s:.4}"), r / 1e3);
        }
    }
    Ok(())
}

fn table(system: &str, targets: Option<&str>, aspect: Option<&str>, pd: f64, json: bool) -> anyhow::Result<()> {
    let catalog = Catalog::embedded().map_err(crate::input)?;
    let sys = catalog.system(system).ok_or_else(|| {
        let ids = catalog.ids(EntryKind::System);
        bad(format!(
            "no catalog system `{system}`{}; systems: {}",
            did_you_mean(system, ids.iter().copied()),
            ids.join(", ")
        ))
    })?;
    let aspects = parse_aspects(aspect)?;
    let ids: Vec<String> = match targets {
        Some(t) => t.split(',').map(|s| s.trim().to_string()).collect(),
        None => catalog.ids(EntryKind::Platform).into_iter().map(String::from).collect(),
    };
    let targets: Vec<Target> = ids.iter().map(|id| catalog_target(&catalog, id)).collect::<Result<_, _>>()?;
    let radars: Vec<(String, RadarParams)> =
        sys.radars.iter().map(|id| Ok((id.clone(), catalog_radar(&catalog, id)?))).collect::<anyhow::Result<_>>()?;
    for (_, p) in &radars {
        check_pd(pd, p.pfa)?;
    }
    // (platform, aspect) → range (m) per radar, in system order.
    let mut rows: BTreeMap<(usize, AspectSector), Vec<f64>> = BTreeMap::new();
    for (i, t) in targets.iter().enumerate() {
        if t.signature.rcs_table.is_none() {
            continue;
        }
        for a in &aspects {
            let mut cells = Vec::new();
            for (_, p) in &radars {
                cells.push(t.detection_range_m(p, *a, pd, p.pfa)?.1);
            }
            rows.insert((i, *a), cells);
        }
    }
    if json {
        let out: Vec<_> = rows
            .iter()
            .map(|((i, a), cells)| {
                let by: serde_json::Map<String, serde_json::Value> =
                    radars.iter().zip(cells).map(|((id, _), r)| (id.clone(), serde_json::json!(r))).collect();
                serde_json::json!({ "target": targets[*i].id, "aspect": a.as_str(), "range_m": by })
            })
            .collect();
        println!("{}", serde_json::json!({ "system": system, "pd": pd, "rows": out }));
        return Ok(());
    }
    println!(
        "{}: free-space detection range (km) at Pd {pd}, each radar's Pfa, the platform's RCS at the radar's band and its Swerling case",
        sys.name
    );
    let w = ids.iter().map(|s| s.len()).max().unwrap_or(6).max(8);
    let mut head = format!("{:<w$}  {:<6}", "target", "aspect");
    for (id, p) in &radars {
        let band = band_label(p);
        let short = band.split(',').next().unwrap_or("").trim_end_matches(" band");
        head.push_str(&format!("  {:>12}", format!("{id} {short}")));
    }
    println!("{head}");
    for ((i, a), cells) in &rows {
        let mut line = format!("{:<w$}  {:<6}", targets[*i].id, a.as_str());
        for (r, (_, p)) in cells.iter().zip(&radars) {
            let mark = if *r > p.instrumented_range_m { "*" } else { " " };
            line.push_str(&format!("  {:>11.1}{mark}", r / 1e3));
        }
        println!("{line}");
    }
    println!("* beyond the radar's instrumented range");
    Ok(())
}
