//! The coverage table: for each radar, altitude and RCS, the minimum, mean and maximum over
//! the azimuths of its sector of the detection range (outer range, km), as aligned text, CSV
//! and JSON.
use crate::CoverageError;
use crate::compute::RadarCoverage;
use serde::{Deserialize, Serialize};

/// One line of the table.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TableRow {
    pub radar: String,
    pub altitude_m: f64,
    pub rcs_m2: f64,
    pub min_range_km: f64,
    pub mean_range_km: f64,
    pub max_range_km: f64,
}

/// Detection range statistics over azimuth for every radar, altitude and RCS.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CoverageTable {
    /// Pd each range is computed for (of the first radar; one per analysis in practice).
    pub pd_required: f64,
    pub rows: Vec<TableRow>,
}

const HEADERS: [&str; 6] = ["radar", "altitude_m", "rcs_m2", "min_range_km", "mean_range_km", "max_range_km"];

/// A number as a short string: up to 4 significant digits for small values, no trailing zeros.
fn short(x: f64) -> String {
    let s = if x.abs() >= 100.0 || x == 0.0 { format!("{x:.0}") } else { format!("{x:.4}") };
    if s.contains('.') { s.trim_end_matches('0').trim_end_matches('.').to_string() } else { s }
}

impl CoverageTable {
    /// The table of `coverages`, rows in radar, altitude, RCS order.
    pub fn from_coverages(coverages: &[RadarCoverage]) -> Self {
        let mut rows = Vec::new();
        for c in coverages {
            for p in &c.profiles {
                let st = p.stats(&c.in_sector);
                rows.push(TableRow {
                    radar: c.name.clone(),
                    altitude_m: p.altitude_m,
                    rcs_m2: p.rcs_m2,
                    min_range_km: st.min_m / 1e3,
                    mean_range_km: st.mean_m / 1e3,
                    max_range_km: st.max_m / 1e3,
                });
            }
        }
        CoverageTable { pd_required: coverages.first().map_or(0.0, |c| c.pd_required), rows }
    }

    fn cells(&self) -> Vec<[String; 6]> {
        self.rows
            .iter()
            .map(|r| {
                [
                    r.radar.clone(),
                    short(r.altitude_m),
                    short(r.rcs_m2),
                    format!("{:.1}", r.min_range_km),
                    format!("{:.1}", r.mean_range_km),
                    format!("{:.1}", r.max_range_km),
                ]
            })
            .collect()
    }

    /// Aligned text: a title line, a header and one line per row (numbers right-aligned).
    pub fn to_text(&self) -> String {
        let titles = ["radar", "altitude (m)", "RCS (m²)", "min (km)", "mean (km)", "max (km)"];
        let cells = self.cells();
        let width =
            |k: usize| cells.iter().map(|c| c[k].chars().count()).chain([titles[k].chars().count()]).max().unwrap_or(0);
        let widths: Vec<usize> = (0..6).map(width).collect();
        let line = |c: &[String; 6]| -> String {
            let mut s = format!("{:<w$}", c[0], w = widths[0]);
            for k in 1..6 {
                s.push_str(&format!("  {:>w$}", c[k], w = widths[k]));
            }
            s.trim_end().to_string()
        };
        let mut out = format!("Detection range over azimuth (Pd ≥ {})\n", short(self.pd_required));
        out.push_str(&line(&titles.map(String::from)));
        out.push('\n');
        out.push_str(&"-".repeat(widths.iter().sum::<usize>() + 10));
        out.push('\n');
        for c in &cells {
            out.push_str(&line(c));
            out.push('\n');
        }
        out
    }

    /// CSV with a header line; the numbers at full precision.
    pub fn to_csv(&self) -> Result<String, CoverageError> {
        let mut w = csv::Writer::from_writer(Vec::new());
        let err = |e: csv::Error| CoverageError::Table(e.to_string());
        w.write_record(HEADERS).map_err(err)?;
        for r in &self.rows {
            w.write_record([
                r.radar.clone(),
                r.altitude_m.to_string(),
                r.rcs_m2.to_string(),
                r.min_range_km.to_string(),
                r.mean_range_km.to_string(),
                r.max_range_km.to_string(),
            ])
            .map_err(err)?;
        }
        let bytes = w.into_inner().map_err(|e| CoverageError::Table(e.to_string()))?;
        String::from_utf8(bytes).map_err(|e| CoverageError::Table(e.to_string()))
    }

    /// Pretty-printed JSON of the whole table.
    pub fn to_json(&self) -> Result<String, CoverageError> {
        serde_json::to_string_pretty(self).map_err(|e| CoverageError::Table(e.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compute::{AltitudeReference, RangeProfile};
    use bulwark_geo::Geodetic;

    fn coverage() -> RadarCoverage {
        RadarCoverage {
            name: "RADAR, \"A\"".into(),
            site: Geodetic::new(0.0, 0.0, 0.0),
            antenna_height_m: 10.0,
            pd_required: 0.5,
            required_snr_db: 13.0,
            k_factor: 4.0 / 3.0,
            altitude_reference: AltitudeReference::AboveSiteSurface,
            range_step_m: 250.0,
            azimuths_deg: vec![0.0, 90.0, 180.0, 270.0],
            in_sector: vec![true, true, true, false],
            profiles: vec![RangeProfile {
                altitude_m: 100.0,
                rcs_m2: 0.01,
                outer_range_m: vec![100e3, 50e3, 30e3, 999e3],
                inner_range_m: vec![0.0; 4],
                total_range_m: vec![100e3, 50e3, 30e3, 999e3],
            }],
        }
    }

    #[test]
    fn statistics_skip_azimuths_outside_the_sector() {
        let t = CoverageTable::from_coverages(&[coverage()]);
        assert_eq!(t.rows.len(), 1);
        let r = &t.rows[0];
        assert_eq!((r.min_range_km, r.mean_range_km, r.max_range_km), (30.0, 60.0, 100.0));
    }

    #[test]
    fn text_csv_and_json_agree() {
        let t = CoverageTable::from_coverages(&[coverage()]);
        let text = t.to_text();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 4, "{text}");
        assert!(lines[0].contains("Pd ≥ 0.5"));
        // Columns line up: each number ends where its header ends.
        let end = |l: &str, pat: &str| l.find(pat).map(|i| l[..i + pat.len()].chars().count());
        assert_eq!(end(lines[1], "max (km)"), end(lines[3], "100.0"));
        assert_eq!(end(lines[1], "RCS (m²)"), end(lines[3], "0.01"));
        let csv = t.to_csv().unwrap();
        assert!(csv.starts_with("radar,altitude_m,rcs_m2,min_range_km,mean_range_km,max_range_km\n"));
        assert!(csv.contains("\"RADAR, \"\"A\"\"\",100,0.01,30,60,100"), "{csv}");
        let back: CoverageTable = serde_json::from_str(&t.to_json().unwrap()).unwrap();
        assert_eq!(back, t);
    }
}
