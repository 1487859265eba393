//! The summary of what one radar saw of one object over a run ([`PairSummary`]).
//!
//! - Cumulative detection probability: 1 − Π(1 − Pd_i) over the looks, the chance of at least
//!   one detection (the "cumulative probability of detection" of Skolnik, *Introduction to
//!   Radar Systems*, 3rd ed., 2001, §2.12), beside the observed detections/looks.
//! - Time tracked: each track id's span [first, last detection it took] on this radar; spans
//!   closer than the gap (default 3 × the pair's median look interval) are one continuous
//!   track, so a track dropped and re-initiated on the same object does not break it. Time
//!   tracked is the total length of the merged spans, the longest track the longest of them.
//! - Aspect: histogram of the radar's direction in the object's body frame (az × el bins).
//! - Aspect swept Δθ: the largest span of the body azimuth (unwrapped in time) over the
//!   detections of one continuous track, so that looks of separate passes are not joined;
//!   cross-range resolution λ/(2Δθ), the ISAR limit for a rotation Δθ (Chen & Martorella,
//!   *Inverse Synthetic Aperture Radar Imaging*, SciTech 2014, ch. 1; Wehner, *High-Resolution
//!   Radar*, 1995, §7.1).
//!
//! Physics only and notional: the opportunity a radar had, not what an exploitation chain makes
//! of it.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::ExposureError;
use crate::rcs_estimate::{PowerSample, RcsEstimate, estimate_rcs};
use crate::record::ExposureRow;
use bulwark_sensors::{SwerlingCase, SwerlingDetector};

/// Speed of light (m/s).
const C_MPS: f64 = 299_792_458.0;

/// Which objects a summary keeps.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Filter {
    All,
    /// An object's name.
    Entity(String),
    /// A platform class ("fighter", "stealth_fighter", …).
    Class(String),
    /// A role: "friendly", "threat" or "civil".
    Side(String),
}

impl Filter {
    pub fn keeps(&self, r: &ExposureRow) -> bool {
        match self {
            Filter::All => true,
            Filter::Entity(n) => r.name == *n,
            Filter::Class(c) => r.class.eq_ignore_ascii_case(c),
            Filter::Side(s) => r.role.eq_ignore_ascii_case(s),
        }
    }
}

/// How the summary is made.
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct Settings {
    pub az_bin_deg: f64,
    pub el_bin_deg: f64,
    /// Confidence level of the RCS interval.
    pub level: f64,
    /// Largest gap (s) between two track spans counted as one track; `None`: 3 × the median
    /// look interval of the pair.
    pub max_gap_s: Option<f64>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings { az_bin_deg: 30.0, el_bin_deg: 30.0, level: 0.95, max_gap_s: None }
    }
}

impl Settings {
    /// Bins must divide 360° (az) and 180° (el) into whole numbers; the level lies in (0, 1).
    pub fn check(&self) -> Result<(), ExposureError> {
        let divides = |step: f64, span: f64| step > 0.0 && ((span / step) - (span / step).round()).abs() < 1e-9;
        if !divides(self.az_bin_deg, 360.0) || !divides(self.el_bin_deg, 180.0) {
            return Err(ExposureError::Argument(format!(
                "aspect bins {}° × {}°: each must divide 360° (azimuth) and 180° (elevation)",
                self.az_bin_deg, self.el_bin_deg
            )));
        }
        if !(self.level > 0.0 && self.level < 1.0) {
            return Err(ExposureError::Argument(format!("confidence level {}: expected in (0, 1)", self.level)));
        }
        if self.max_gap_s.is_some_and(|g| !(g >= 0.0 && g.is_finite())) {
            return Err(ExposureError::Argument("max gap: expected a finite number of seconds ≥ 0".into()));
        }
        Ok(())
    }
}

/// One aspect bin: azimuth [az, az + step) from the nose (positive to starboard), elevation
/// [el, el + step) above the wing plane (deg).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AspectCell {
    pub az_deg: f64,
    pub el_deg: f64,
    pub looks: u64,
    pub detections: u64,
    /// Σ of the measured SNR of the detections (linear).
    pub sum_snr: f64,
}

/// The aspect histogram of a pair: only cells with looks, by (az, el).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AspectBins {
    pub az_step_deg: f64,
    pub el_step_deg: f64,
    pub cells: Vec<AspectCell>,
}

/// What one radar saw of one object.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PairSummary {
    pub radar: u32,
    pub radar_type: String,
    pub unit: String,
    pub entity: u32,
    pub name: String,
    pub class: String,
    pub role: String,
    pub looks: u64,
    pub detections: u64,
    /// 1 − Π(1 − Pd) over the looks.
    pub cumulative_pd: f64,
    pub first_detection_t_s: Option<f64>,
    pub first_detection_range_m: Option<f64>,
    pub last_detection_range_m: Option<f64>,
    pub tracked_s: f64,
    pub longest_track_s: f64,
    /// Track ids that held the object on this radar, in order of first use.
    pub track_ids: Vec<u64>,
    /// 10·log₁₀ Σ mean SNR over all looks (the received energy, in units of one look's noise).
    pub sum_snr_mean_db: Option<f64>,
    /// 10·log₁₀ Σ measured SNR over the detections.
    pub sum_snr_measured_db: Option<f64>,
    pub aspect: AspectBins,
    /// RCS estimate from the detections' measured powers, with its exact interval.
    pub rcs: Option<RcsEstimate>,
    /// Mean of the true mean RCS over the detections used (m²), to compare.
    pub rcs_truth_m2: Option<f64>,
    /// Why there is no RCS estimate, if there is none.
    pub rcs_note: Option<String>,
    /// Body-azimuth span of the detections (deg).
    pub aspect_swept_deg: f64,
    /// λ/(2Δθ) (m), when the radar has a frequency and Δθ > 0.
    pub cross_range_m: Option<f64>,
    pub frequency_hz: Option<f64>,
}

/// Summaries of `rows` kept by `filter`, one per (radar, object), ordered by radar then object.
pub fn summarise(
    rows: &[ExposureRow],
    filter: &Filter,
    settings: &Settings,
) -> Result<Vec<PairSummary>, ExposureError> {
    settings.check()?;
    let mut pairs: BTreeMap<(u32, u32), Vec<&ExposureRow>> = BTreeMap::new();
    for r in rows.iter().filter(|r| filter.keeps(r)) {
        pairs.entry((r.radar, r.entity)).or_default().push(r);
    }
    Ok(pairs
        .into_values()
        .map(|mut rs| {
            rs.sort_by(|a, b| a.t_s.total_cmp(&b.t_s));
            pair(&rs, settings)
        })
        .collect())
}

fn db(x: f64) -> Option<f64> {
    (x > 0.0).then(|| 10.0 * x.log10())
}

fn pair(rs: &[&ExposureRow], s: &Settings) -> PairSummary {
    let first = rs[0];
    let dets: Vec<&ExposureRow> = rs.iter().copied().filter(|r| r.detected).collect();
    // ln Π(1 − Pd), kept finite when a look was sure (Pd = 1).
    let miss: f64 = rs.iter().map(|r| (1.0 - r.pd).max(1e-300).ln()).sum();
    let (spans, track_ids) = track_spans(rs, s.max_gap_s);
    let tracked_s = spans.iter().fold(0.0, |a, (t0, t1)| a + (t1 - t0));
    let longest_track_s = spans.iter().map(|(t0, t1)| t1 - t0).fold(0.0, f64::max);
    let sum_mean: f64 = rs.iter().map(|r| 10f64.powf(r.snr_mean_db / 10.0)).sum();
    let sum_meas: f64 = dets.iter().map(|r| measured_snr(r)).sum();
    let (rcs, rcs_truth_m2, rcs_note) = rcs_of(&dets, s.level);
    let swept = spans
        .iter()
        .map(|(t0, t1)| {
            let held: Vec<&ExposureRow> =
                dets.iter().copied().filter(|r| r.track.is_some() && r.t_s >= *t0 && r.t_s <= *t1).collect();
            azimuth_span_deg(&held)
        })
        .fold(0.0, f64::max);
    let frequency_hz = first.frequency_hz;
    let cross_range_m =
        frequency_hz.filter(|f| *f > 0.0 && swept > 0.0).map(|f| C_MPS / f / (2.0 * swept.to_radians()));
    PairSummary {
        radar: first.radar,
        radar_type: first.radar_type.clone(),
        unit: first.unit.clone(),
        entity: first.entity,
        name: first.name.clone(),
        class: first.class.clone(),
        role: first.role.clone(),
        looks: rs.len() as u64,
        detections: dets.len() as u64,
        cumulative_pd: (1.0 - miss.exp()).clamp(0.0, 1.0),
        first_detection_t_s: dets.first().map(|r| r.t_s),
        first_detection_range_m: dets.first().map(|r| r.range_m),
        last_detection_range_m: dets.last().map(|r| r.range_m),
        tracked_s,
        longest_track_s,
        track_ids,
        sum_snr_mean_db: db(sum_mean),
        sum_snr_measured_db: db(sum_meas),
        aspect: aspect_bins(rs, s),
        rcs,
        rcs_truth_m2,
        rcs_note,
        aspect_swept_deg: swept,
        cross_range_m,
        frequency_hz,
    }
}

/// z/N − 1, the measured SNR of a look (linear, ≥ 0).
fn measured_snr(r: &ExposureRow) -> f64 {
    (r.power / f64::from(r.pulses) - 1.0).max(0.0)
}

fn rcs_of(dets: &[&ExposureRow], level: f64) -> (Option<RcsEstimate>, Option<f64>, Option<String>) {
    if dets.is_empty() {
        return (None, None, Some("no detections".into()));
    }
    let samples: Vec<PowerSample> = dets
        .iter()
        .map(|r| PowerSample {
            power: r.power,
            threshold: r.threshold,
            k: 10f64.powf(r.k_db / 10.0),
            // `read_exposure` keeps the case in 0 … 4.
            detector: SwerlingDetector { case: SwerlingCase::ALL[usize::from(r.swerling.min(4))], pulses: r.pulses },
        })
        .collect();
    let truth = dets.iter().map(|r| r.rcs_m2).sum::<f64>() / dets.len() as f64;
    match estimate_rcs(&samples, level) {
        Some(e) => (Some(e), Some(truth), None),
        None => (None, None, Some("no usable detection".into())),
    }
}

/// The continuous tracks (merged spans, s) and the track ids of one pair's rows in time order.
fn track_spans(rs: &[&ExposureRow], max_gap_s: Option<f64>) -> (Vec<(f64, f64)>, Vec<u64>) {
    let mut spans: BTreeMap<u64, (f64, f64)> = BTreeMap::new();
    let mut ids = Vec::new();
    for r in rs {
        if let (true, Some(id)) = (r.detected, r.track) {
            let e = spans.entry(id).or_insert_with(|| {
                ids.push(id);
                (r.t_s, r.t_s)
            });
            e.1 = r.t_s;
        }
    }
    let gap = max_gap_s.unwrap_or_else(|| 3.0 * median_interval(rs));
    let mut v: Vec<(f64, f64)> = spans.into_values().collect();
    v.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut merged: Vec<(f64, f64)> = Vec::new();
    for (a, b) in v {
        match merged.last_mut() {
            Some(last) if a <= last.1 + gap => last.1 = last.1.max(b),
            _ => merged.push((a, b)),
        }
    }
    (merged, ids)
}

/// Median time between consecutive looks (s), 0 with fewer than two.
fn median_interval(rs: &[&ExposureRow]) -> f64 {
    let mut d: Vec<f64> = rs.windows(2).map(|w| w[1].t_s - w[0].t_s).filter(|d| *d > 0.0).collect();
    if d.is_empty() {
        return 0.0;
    }
    d.sort_by(f64::total_cmp);
    d[d.len() / 2]
}

/// Span of the body azimuth of `dets`, unwrapped in time order (deg, ≤ 360).
fn azimuth_span_deg(dets: &[&ExposureRow]) -> f64 {
    let mut az = dets.iter().filter_map(|r| r.body_az_deg);
    let Some(mut prev) = az.next() else { return 0.0 };
    let (mut acc, mut lo, mut hi) = (prev, prev, prev);
    for a in az {
        let step = (a - prev + 540.0).rem_euclid(360.0) - 180.0;
        acc += step;
        lo = lo.min(acc);
        hi = hi.max(acc);
        prev = a;
    }
    (hi - lo).min(360.0)
}

fn aspect_bins(rs: &[&ExposureRow], s: &Settings) -> AspectBins {
    let mut cells: BTreeMap<(i64, i64), AspectCell> = BTreeMap::new();
    for r in rs {
        let (Some(az), Some(el)) = (r.body_az_deg, r.body_el_deg) else { continue };
        let ia = ((az + 180.0) / s.az_bin_deg).floor().clamp(0.0, 360.0 / s.az_bin_deg - 1.0) as i64;
        let ie = ((el + 90.0) / s.el_bin_deg).floor().clamp(0.0, 180.0 / s.el_bin_deg - 1.0) as i64;
        let c = cells.entry((ia, ie)).or_insert_with(|| AspectCell {
            az_deg: -180.0 + ia as f64 * s.az_bin_deg,
            el_deg: -90.0 + ie as f64 * s.el_bin_deg,
            looks: 0,
            detections: 0,
            sum_snr: 0.0,
        });
        c.looks += 1;
        if r.detected {
            c.detections += 1;
            c.sum_snr += measured_snr(r);
        }
    }
    AspectBins { az_step_deg: s.az_bin_deg, el_step_deg: s.el_bin_deg, cells: cells.into_values().collect() }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(t: f64, detected: bool, track: Option<u64>, az: f64) -> ExposureRow {
        ExposureRow {
            t_s: t,
            radar: 1,
            radar_type: "92N6E".into(),
            unit: "u".into(),
            frequency_hz: Some(3e9),
            look: "search".into(),
            entity: 5,
            name: "f1".into(),
            class: "fighter".into(),
            role: "friendly".into(),
            range_m: 1e5 - t,
            body_az_deg: Some(az),
            body_el_deg: Some(-5.0),
            rcs_m2: 2.0,
            snr_mean_db: 10.0,
            k_db: 7.0,
            swerling: 1,
            pulses: 1,
            threshold: 13.8,
            pd: 0.5,
            power: 25.0,
            snr_measured_db: 13.6,
            detected,
            track,
        }
    }

    /// Hand-worked case: looks every 10 s; track 1 holds 0–30 s, track 2 from 50 s (gap 20 s ≤
    /// 3 × 10 s: one track) to 70 s, track 3 at 150–160 s after a gap of 80 s. Tracked 70 + 10 =
    /// 80 s, longest 70 s. Cumulative Pd of 17 looks at 0.5 is 1 − 0.5¹⁷. Azimuth crosses ±180°
    /// inside the first track (170° → −172.5° is 17.5°, not 342.5°); the last track's −170° is a
    /// separate pass and is not joined to it.
    #[test]
    fn track_time_merges_track_ids_and_azimuth_unwraps() {
        let mut rows = Vec::new();
        for (i, t) in (0..17).map(|i| (i, f64::from(i) * 10.0)) {
            let track = match i {
                0..=3 => Some(1),
                5..=7 => Some(2),
                15 | 16 => Some(3),
                _ => None,
            };
            let az = if i < 8 { 170.0 + 2.5 * f64::from(i) } else { -170.0 };
            rows.push(row(t, track.is_some(), track, if az > 180.0 { az - 360.0 } else { az }));
        }
        let s = summarise(&rows, &Filter::All, &Settings::default()).unwrap();
        assert_eq!(s.len(), 1);
        let p = &s[0];
        assert_eq!((p.looks, p.detections), (17, 9));
        assert!((p.tracked_s - 80.0).abs() < 1e-9 && (p.longest_track_s - 70.0).abs() < 1e-9, "{p:?}");
        assert_eq!(p.track_ids, vec![1, 2, 3]);
        assert!((p.cumulative_pd - (1.0 - 0.5f64.powi(17))).abs() < 1e-12);
        assert!((p.aspect_swept_deg - 17.5).abs() < 1e-9, "{}", p.aspect_swept_deg);
        // λ = 0.0999 m at 3 GHz, Δθ = 17.5°: λ/(2Δθ) = 0.1636 m.
        let want = C_MPS / 3e9 / (2.0 * 17.5f64.to_radians());
        assert!((p.cross_range_m.unwrap() - want).abs() < 1e-12);
        assert_eq!(p.first_detection_range_m, Some(1e5));
        let filtered = summarise(&rows, &Filter::Side("threat".into()), &Settings::default()).unwrap();
        assert!(filtered.is_empty());
    }

    #[test]
    fn bins_must_divide_the_sphere() {
        let s = Settings { az_bin_deg: 25.0, ..Settings::default() };
        assert!(summarise(&[], &Filter::All, &s).unwrap_err().to_string().contains("must divide"));
    }
}
