//! `bulwark radar pd|snr|range`: detection calculators over the sensor models.
use crate::InputError;
use bulwark_engine::radar_params;
use bulwark_scenario::{Catalog, EntryKind, Quantity, units};
use bulwark_sensors::{Detector, RadarParams, SNR_MAX, SwerlingCase, SwerlingDetector, detection_range_m};
use clap::{Args, Subcommand};

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
    /// Free-space detection range of a catalog radar for each RCS.
    Range {
        /// Catalog radar id (see `bulwark catalog`).
        #[arg(long)]
        radar: String,
        /// Comma-separated RCS values with units, e.g. "0.001 m2,0.1 m2,5 m2" or "-20 dBsm".
        #[arg(long, allow_hyphen_values = true)]
        rcs: String,
        /// Probability of detection (default: 0.9).
        #[arg(long, default_value_t = 0.9)]
        pd: f64,
        /// False-alarm probability (default: the radar's).
        #[arg(long)]
        pfa: Option<f64>,
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
        RadarCommand::Range { radar, rcs, pd, pfa, json } => range(&radar, &rcs, pd, pfa, json),
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
    let r = catalog
        .radar(id)
        .ok_or_else(|| bad(format!("no catalog radar `{id}`; radars: {}", catalog.ids(EntryKind::Radar).join(", "))))?;
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
