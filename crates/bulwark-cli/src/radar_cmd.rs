//! `bulwark radar pd|snr|range`: detection calculators over the sensor models.
use crate::InputError;
use bulwark_sensors::{Detector, SwerlingCase, SwerlingDetector};
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
        #[arg(long)]
        rcs: String,
        /// Probability of detection (default: 0.9).
        #[arg(long, default_value_t = 0.9)]
        pd: f64,
        /// False-alarm probability (default: the radar's).
        #[arg(long)]
        pfa: Option<f64>,
        /// Target fluctuation (default: the radar's reference case).
        #[arg(long)]
        swerling: Option<String>,
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

pub fn check_pfa(pfa: f64) -> anyhow::Result<()> {
    if pfa > 0.0 && pfa < 1.0 { Ok(()) } else { Err(bad(format!("--pfa {pfa}: expected 0 < Pfa < 1"))) }
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
            let snr_db = 10.0 * d.required_snr(pd, det.pfa).log10();
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
        RadarCommand::Range { radar, rcs, pd, pfa, swerling, json } => crate::range_cmd::run(&radar, &rcs, pd, pfa, swerling.as_deref(), json),
    }
}
