//! The rows of `exposure.csv`: one per radar look whose detector was tried on an object (the
//! engine writes them; the column meanings are in docs/outputs of the README). Read by column
//! name, so added columns do not break old readers.

use std::path::Path;

use crate::ExposureError;

/// One look of one radar at one object.
#[derive(Clone, Debug, PartialEq)]
pub struct ExposureRow {
    /// Simulation time (s).
    pub t_s: f64,
    /// Sensor id of the radar.
    pub radar: u32,
    /// Catalog id of the radar (e.g. 92N6E).
    pub radar_type: String,
    /// Name of the radar's unit.
    pub unit: String,
    /// Carrier frequency (Hz), when the radar has one.
    pub frequency_hz: Option<f64>,
    /// "search" or "dwell" (a multifunction radar's track dwell).
    pub look: String,
    pub entity: u32,
    pub name: String,
    /// Platform class of the object (catalog class, e.g. "fighter").
    pub class: String,
    /// "threat", "civil" or "friendly".
    pub role: String,
    /// True slant range (m).
    pub range_m: f64,
    /// Direction of the radar in the object's body frame: azimuth from the nose, positive to
    /// starboard, and elevation above the wing plane (deg); `None` if the body frame is undefined.
    pub body_az_deg: Option<f64>,
    pub body_el_deg: Option<f64>,
    /// Mean RCS the object presented at this band and aspect (m², truth: for checks only).
    pub rcs_m2: f64,
    /// Mean single-pulse SNR (dB).
    pub snr_mean_db: f64,
    /// SNR of a 1 m² target at this range (dB): the radar's own calibration, K = SNR/σ.
    pub k_db: f64,
    pub swerling: u8,
    pub pulses: u32,
    /// Normalised detection threshold T on z = Σ|xᵢ|² (noise power 1 per pulse).
    pub threshold: f64,
    pub pd: f64,
    /// Measured power z = Σ|xᵢ|² of the look (noise power 1 per pulse), drawn consistently with
    /// the detector's outcome.
    pub power: f64,
    /// 10·log₁₀(z/N − 1): the fluctuated per-look SNR (≥ −300 dB).
    pub snr_measured_db: f64,
    pub detected: bool,
    /// Track the detection updated or started in the radar's unit, if any.
    pub track: Option<u64>,
}

const COLUMNS: [&str; 24] = [
    "t_s",
    "radar",
    "radar_type",
    "unit",
    "frequency_hz",
    "look",
    "entity",
    "name",
    "class",
    "role",
    "range_m",
    "body_az_deg",
    "body_el_deg",
    "rcs_m2",
    "snr_mean_db",
    "k_db",
    "swerling",
    "pulses",
    "threshold",
    "pd",
    "power",
    "snr_measured_db",
    "detected",
    "track",
];

/// Reads `exposure.csv` at `path`. Errors name the file, line and column.
pub fn read_exposure_csv(path: &Path) -> Result<Vec<ExposureRow>, ExposureError> {
    let file =
        std::fs::File::open(path).map_err(|e| ExposureError::Io { path: path.display().to_string(), source: e })?;
    read_exposure(std::io::BufReader::new(file), &path.display().to_string())
}

/// Reads exposure rows from `input`; `name` is the file name errors carry.
pub fn read_exposure<R: std::io::Read>(input: R, name: &str) -> Result<Vec<ExposureRow>, ExposureError> {
    let mut rd = csv::ReaderBuilder::new().has_headers(true).flexible(false).from_reader(input);
    let err = |line: u64, col: u64, reason: String| ExposureError::Parse { path: name.to_string(), line, col, reason };
    let headers = rd.headers().map_err(|e| err(1, 1, e.to_string()))?.clone();
    let mut idx = [0usize; COLUMNS.len()];
    for (k, col) in COLUMNS.iter().enumerate() {
        idx[k] = headers.iter().position(|h| h == *col).ok_or_else(|| err(1, 1, format!("no column `{col}`")))?;
    }
    let mut rows = Vec::new();
    let mut rec = csv::StringRecord::new();
    loop {
        match rd.read_record(&mut rec) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                return Err(err(line, 1, e.to_string()));
            }
        }
        let line = rec.position().map_or(0, |p| p.line());
        let field = |k: usize| -> (&str, u64) {
            let i = idx[k];
            let col = rec.range(i).map_or(1, |r| r.start as u64 + 1 + i as u64);
            (rec.get(i).unwrap_or(""), col)
        };
        let num = |k: usize| -> Result<f64, ExposureError> {
            let (s, col) = field(k);
            match s.trim().parse::<f64>() {
                Ok(x) if x.is_finite() => Ok(x),
                _ => Err(err(line, col, format!("`{}`: expected a finite number, got `{s}`", COLUMNS[k]))),
            }
        };
        let opt = |k: usize| -> Result<Option<f64>, ExposureError> {
            if field(k).0.trim().is_empty() { Ok(None) } else { num(k).map(Some) }
        };
        let int = |k: usize| -> Result<u32, ExposureError> {
            let (s, col) = field(k);
            s.trim()
                .parse::<u32>()
                .map_err(|_| err(line, col, format!("`{}`: expected a whole number, got `{s}`", COLUMNS[k])))
        };
        let text = |k: usize| field(k).0.to_string();
        let detected = match field(22) {
            ("1", _) => true,
            ("0", _) => false,
            (s, col) => return Err(err(line, col, format!("`detected`: expected 0 or 1, got `{s}`"))),
        };
        let track = match field(23) {
            (s, _) if s.trim().is_empty() => None,
            (s, col) => Some(
                s.trim()
                    .parse::<u64>()
                    .map_err(|_| err(line, col, format!("`track`: expected a track id, got `{s}`")))?,
            ),
        };
        let swerling = int(16)?;
        if swerling > 4 {
            return Err(err(line, field(16).1, format!("`swerling`: expected 0 … 4, got {swerling}")));
        }
        let pd = num(19)?;
        if !(0.0..=1.0).contains(&pd) {
            return Err(err(line, field(19).1, format!("`pd`: expected a probability, got {pd}")));
        }
        rows.push(ExposureRow {
            t_s: num(0)?,
            radar: int(1)?,
            radar_type: text(2),
            unit: text(3),
            frequency_hz: opt(4)?,
            look: text(5),
            entity: int(6)?,
            name: text(7),
            class: text(8),
            role: text(9),
            range_m: num(10)?,
            body_az_deg: opt(11)?,
            body_el_deg: opt(12)?,
            rcs_m2: num(13)?,
            snr_mean_db: num(14)?,
            k_db: num(15)?,
            swerling: swerling as u8,
            pulses: int(17)?.max(1),
            threshold: num(18)?,
            pd,
            power: num(20)?,
            snr_measured_db: num(21)?,
            detected,
            track,
        });
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str = "t_s,radar,radar_type,unit,frequency_hz,look,entity,name,class,role,range_m,body_az_deg,body_el_deg,rcs_m2,snr_mean_db,k_db,swerling,pulses,threshold,pd,power,snr_measured_db,detected,track\n";

    #[test]
    fn reads_a_row_and_its_blanks() {
        let text = format!(
            "{HEAD}12.5,3,92N6E,S-400,3e9,search,7,f1,fighter,friendly,80000,-30.5,-2,1.5,13,11.2,1,1,13.8,0.5,20.1,13.0,1,4\n1,3,92N6E,S-400,,dwell,7,f1,fighter,friendly,8e4,,,1.5,13,11.2,1,1,13.8,0.5,2,0,0,\n"
        );
        let rows = read_exposure(text.as_bytes(), "x.csv").unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].track, Some(4));
        assert_eq!(rows[0].body_az_deg, Some(-30.5));
        assert!(rows[1].frequency_hz.is_none() && rows[1].track.is_none() && !rows[1].detected);
    }

    #[test]
    fn bad_fields_name_line_and_column() {
        let text = format!(
            "{HEAD}12.5,3,92N6E,S-400,3e9,search,7,f1,fighter,friendly,NaN,,,1.5,13,11.2,1,1,13.8,0.5,20.1,13.0,1,4\n"
        );
        let e = read_exposure(text.as_bytes(), "x.csv").unwrap_err().to_string();
        assert_eq!(e, "x.csv:2:53: `range_m`: expected a finite number, got `NaN`");
        let text = format!(
            "{HEAD}12.5,3,92N6E,S-400,3e9,search,7,f1,fighter,friendly,1,,,1.5,13,11.2,1,1,13.8,0.5,20.1,13.0,yes,4\n"
        );
        let e = read_exposure(text.as_bytes(), "x.csv").unwrap_err().to_string();
        assert!(e.starts_with("x.csv:2:") && e.contains("`detected`: expected 0 or 1"), "{e}");
        let e = read_exposure("t_s,radar\n".as_bytes(), "y.csv").unwrap_err().to_string();
        assert_eq!(e, "y.csv:1:1: no column `radar_type`");
    }
}
