//! `exposure.csv`: one row per radar look whose detector was tried on an object — what the
//! radar could have learned of it (issue 15 item 5; analysed by `bulwark exposure`).
//!
//! Each row carries the look's truth (range, mean RCS and SNR, Pd, the radar's direction in the
//! object's body frame), the detector's outcome, the power z it measured — drawn from its law
//! given that outcome ([`bulwark_sensors::draw_measured_power`]) from the radar's own
//! `Exposure` stream, so recording exposure changes no other draw of the run — and the track
//! the detection went to. Rows of one look wait in `pending` until the tracker has placed its
//! plots (a multifunction radar's dwells of one step are placed together), then are written.

use bulwark_core::{EntityId, RngStream, SimTime, TrackId};
use bulwark_sensors::{TargetLook, draw_measured_power};

use crate::fastfmt::{push_fixed, push_u64};
use crate::output::csv_field;
use crate::world::Entity;
use std::fmt::Write as _;

/// Header of `exposure.csv` (column meanings in README "Output files").
pub const EXPOSURE_CSV_HEADER: &str = "t_s,radar,radar_type,unit,frequency_hz,look,entity,name,class,role,range_m,\
body_az_deg,body_el_deg,rcs_m2,snr_mean_db,k_db,swerling,pulses,threshold,pd,power,snr_measured_db,detected,track\n";

/// Which kind of look made a row.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) enum LookKind {
    Search,
    Dwell,
}

/// A look's row before the tracker has placed its plot.
struct Pending {
    t: SimTime,
    radar: u32,
    radar_type: String,
    unit: String,
    frequency_hz: Option<f64>,
    kind: LookKind,
    look: TargetLook,
    power: f64,
}

/// The rows of a run (empty with `on` false: campaigns record none).
pub(crate) struct ExposureLog {
    on: bool,
    csv: String,
    pending: Vec<Pending>,
}

impl ExposureLog {
    pub(crate) fn new(on: bool) -> Self {
        ExposureLog { on, csv: String::from(EXPOSURE_CSV_HEADER), pending: Vec::new() }
    }

    /// Stages the rows of one look of radar `radar` of `unit`, drawing each look's measured
    /// power from `rng` (the radar's exposure stream).
    #[allow(clippy::too_many_arguments)] // One look's context; a struct for one call would only rename them.
    pub(crate) fn stage(
        &mut self,
        t: SimTime,
        radar: u32,
        radar_type: &str,
        unit: &str,
        frequency_hz: Option<f64>,
        kind: LookKind,
        looks: &[TargetLook],
        rng: &mut RngStream,
    ) {
        if !self.on {
            return;
        }
        for look in looks {
            let power = draw_measured_power(look, rng);
            self.pending.push(Pending {
                t,
                radar,
                radar_type: radar_type.to_string(),
                unit: unit.to_string(),
                frequency_hz,
                kind,
                look: *look,
                power,
            });
        }
    }

    /// Writes the staged rows; `placed` gives, for each plot the tracker took, its object and the
    /// track it updated or started (a detected object's first entry wins).
    pub(crate) fn place(&mut self, placed: &[(Option<EntityId>, TrackId)], entities: &[Entity]) {
        for p in std::mem::take(&mut self.pending) {
            let track = if p.look.detected {
                placed.iter().find(|(e, _)| *e == Some(p.look.entity)).map(|(_, tr)| *tr)
            } else {
                None
            };
            let Some(entity) = entities.iter().find(|e| e.id == p.look.entity) else { continue };
            write_row(&mut self.csv, &p, entity, track);
        }
    }

    /// The rows written so far (a streaming run empties them into its file).
    pub(crate) fn csv_mut(&mut self) -> &mut String {
        &mut self.csv
    }

    pub(crate) fn into_csv(self) -> String {
        self.csv
    }
}

fn db(x: f64) -> f64 {
    if x > 0.0 { (10.0 * x.log10()).max(-300.0) } else { -300.0 }
}

fn write_row(out: &mut String, p: &Pending, e: &Entity, track: Option<TrackId>) {
    let l = &p.look;
    push_fixed(out, p.t.as_secs_f64(), 3);
    out.push(',');
    push_u64(out, u64::from(p.radar));
    out.push(',');
    out.push_str(&csv_field(&p.radar_type));
    out.push(',');
    out.push_str(&csv_field(&p.unit));
    out.push(',');
    if let Some(f) = p.frequency_hz {
        let _ = write!(out, "{f:e}");
    }
    out.push_str(if p.kind == LookKind::Search { ",search," } else { ",dwell," });
    e.push_csv_columns(out);
    out.push(',');
    push_fixed(out, l.range_m, 1);
    out.push(',');
    if let Some((az, el)) = l.body_az_el_rad {
        push_fixed(out, az.to_degrees(), 3);
        out.push(',');
        push_fixed(out, el.to_degrees(), 3);
    } else {
        out.push(',');
    }
    out.push(',');
    // RCS, K and z keep their relative precision over many decades: shortest round-trip form.
    let _ = write!(out, "{:e},", l.rcs_m2);
    push_fixed(out, db(l.snr), 4);
    out.push(',');
    push_fixed(out, if l.rcs_m2 > 0.0 { db(l.snr / l.rcs_m2) } else { -300.0 }, 4);
    out.push(',');
    push_u64(out, u64::from(l.detector.case.number()));
    out.push(',');
    push_u64(out, u64::from(l.detector.pulses));
    out.push(',');
    let _ = write!(out, "{:e},{:e},{:e},", l.threshold, l.pd, p.power);
    let n = f64::from(l.detector.pulses.max(1));
    push_fixed(out, db(p.power / n - 1.0), 4);
    out.push_str(if l.detected { ",1," } else { ",0," });
    if let Some(tr) = track {
        push_u64(out, tr.0);
    }
    out.push('\n');
}
