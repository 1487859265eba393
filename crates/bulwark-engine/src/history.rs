//! What a run perceived, kept as data for the views built after it (tracks.csv, the ASTERIX
//! feed): the recorded system tracks and the sensors that fed them.
use crate::fastfmt::Row;
use bulwark_core::{EntityId, Identity, SensorId, TrackId, UnitId, Vec3};
use bulwark_geo::Geodetic;

/// Life-cycle state of a recorded track.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum TrackState {
    Tentative,
    Confirmed,
    Coasting,
}

impl TrackState {
    pub fn as_str(self) -> &'static str {
        match self {
            TrackState::Tentative => "tentative",
            TrackState::Confirmed => "confirmed",
            TrackState::Coasting => "coasting",
        }
    }
}

/// One system track of one unit at one record time (perception, plus a truth label for
/// metrics only).
#[derive(Clone, Debug, PartialEq)]
pub struct TrackSample {
    /// Seconds since scenario start.
    pub t_s: f64,
    pub unit: UnitId,
    pub track: TrackId,
    pub state: TrackState,
    pub identity: Identity,
    /// Scenario ENU (m, m/s) and height above the ellipsoid (m).
    pub position_enu: Vec3,
    pub velocity_enu: Vec3,
    pub altitude_m: f64,
    /// √trace of the position covariance (m).
    pub sigma_position_m: f64,
    /// Last Mode 3/A code answered by the track (octal digits as a number), if any.
    pub mode3a: Option<u16>,
    /// Truth object most of the track's plots came from (metrics only).
    pub truth: Option<EntityId>,
}

/// A radar of the run, as a surveillance feed describes it.
#[derive(Clone, Debug, PartialEq)]
pub struct SensorInfo {
    pub id: SensorId,
    pub unit: UnitId,
    pub type_id: String,
    /// Its catalog role and band.
    pub role: bulwark_scenario::catalog::RadarRole,
    pub band: bulwark_scenario::catalog::Band,
    /// Antenna position.
    pub site: Geodetic,
    /// ASTERIX data source identifier (scenario values, or SAC 0 and SIC = sensor id).
    pub sac: u8,
    pub sic: u8,
    /// Time between looks at the same point (s): the antenna period of a rotating radar.
    pub revisit_s: f64,
    /// Azimuth sector centre and width (rad); width 2π for all-round radars.
    pub azimuth_centre_rad: f64,
    pub azimuth_width_rad: f64,
}

/// Header of `tracks.csv`.
pub const TRACKS_CSV_HEADER: &str = "t_s,unit,track_id,status,identity,east_m,north_m,up_m,vel_east_mps,vel_north_mps,vel_up_mps,alt_m,sigma_pos_m,truth_entity\n";

/// Appends the `tracks.csv` row of `v` to `s`.
pub(crate) fn push_track_row(s: &mut String, v: &TrackSample) {
    let mut row = Row::new(s);
    row.fixed(v.t_s, 3).byte(b',').u64(u64::from(v.unit.0)).byte(b',').u64(v.track.0).byte(b',');
    row.str(v.state.as_str()).byte(b',').str(v.identity.as_str()).byte(b',');
    let p = (&v.position_enu, &v.velocity_enu);
    for (x, d) in [(p.0.x, 1), (p.0.y, 1), (p.0.z, 1), (p.1.x, 2), (p.1.y, 2), (p.1.z, 2), (v.altitude_m, 1)] {
        row.fixed(x, d).byte(b',');
    }
    row.fixed(v.sigma_position_m, 1).byte(b',');
    if let Some(e) = v.truth {
        row.u64(u64::from(e.0));
    }
    row.byte(b'\n');
}
