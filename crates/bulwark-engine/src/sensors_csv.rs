//! `sensors.csv`: one row per radar of the run, so that the sensor ids in `events.jsonl`,
//! `exposure.csv` and the ASTERIX feed (SAC/SIC) can be read without the scenario and catalog.
//!
//! Columns: `sensor, unit, type, role, band, lat_deg, lon_deg, alt_m, azimuth_centre_deg,
//! azimuth_width_deg, revisit_s, sac, sic` — the catalog role (`surveillance`, `fire_control`,
//! `multifunction`) and IEEE 521 band letter, the antenna's WGS-84 position (height above the
//! ellipsoid, m), the azimuth sector (degrees clockwise from true north; width 360 for an
//! all-round radar) and the time between looks at one point (s).
use crate::history::SensorInfo;
use bulwark_scenario::catalog::RadarRole;
use std::fmt::Write as _;

/// The file's header line (without the newline).
pub const SENSORS_CSV_HEADER: &str =
    "sensor,unit,type,role,band,lat_deg,lon_deg,alt_m,azimuth_centre_deg,azimuth_width_deg,revisit_s,sac,sic";

/// The catalog spelling of a radar role.
pub fn role_str(role: RadarRole) -> &'static str {
    match role {
        RadarRole::Surveillance => "surveillance",
        RadarRole::FireControl => "fire_control",
        RadarRole::Multifunction => "multifunction",
    }
}

/// The `sensors.csv` text of `sensors`, in their order (sensor id order in a run).
pub fn sensors_csv(sensors: &[SensorInfo]) -> String {
    let mut s = String::with_capacity(SENSORS_CSV_HEADER.len() + 1 + sensors.len() * 100);
    s.push_str(SENSORS_CSV_HEADER);
    s.push('\n');
    for r in sensors {
        let _ = writeln!(
            s,
            "{},{},{},{},{},{:.7},{:.7},{:.1},{:.3},{:.3},{:.3},{},{}",
            r.id.0,
            r.unit.0,
            r.type_id,
            role_str(r.role),
            r.band.as_str(),
            r.site.lat_deg(),
            r.site.lon_deg(),
            r.site.alt_m,
            r.azimuth_centre_rad.to_degrees().rem_euclid(360.0),
            r.azimuth_width_rad.to_degrees(),
            r.revisit_s,
            r.sac,
            r.sic
        );
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use bulwark_core::{SensorId, UnitId};
    use bulwark_geo::Geodetic;
    use bulwark_scenario::catalog::Band;

    #[test]
    fn one_row_per_radar_with_degrees_and_catalog_words() {
        let info = SensorInfo {
            id: SensorId(3),
            unit: UnitId(1),
            type_id: "92N6E".into(),
            role: RadarRole::FireControl,
            band: Band::X,
            site: Geodetic::new(40f64.to_radians(), (-40f64).to_radians(), 12.0),
            sac: 0,
            sic: 3,
            revisit_s: 1.0,
            // −105° is 255° clockwise from north; π/2 is a 90° sector.
            azimuth_centre_rad: (-105f64).to_radians(),
            azimuth_width_rad: std::f64::consts::FRAC_PI_2,
        };
        let text = sensors_csv(&[info]);
        let mut lines = text.lines();
        assert_eq!(lines.next(), Some(SENSORS_CSV_HEADER));
        assert_eq!(lines.next(), Some("3,1,92N6E,fire_control,X,40.0000000,-40.0000000,12.0,255.000,90.000,1.000,0,3"));
        assert_eq!(lines.next(), None);
    }
}
