//! An outside air picture (`[[defence]] picture = "feed.ast"`): the CAT062 system tracks of
//! another post — another Bulwark run's `--asterix-out`/`--asterix-pcap` feed, or a recording —
//! that a unit integrated into the alliance's picture receives.
//!
//! Each CAT062 record with a time of track (I070), a WGS-84 position (I105) and an altitude
//! (I130 geometric, else I136 flight level) is one report; I185 velocity (taken as east/north in
//! the local plane: the system plane of a Bulwark feed is the scenario's ENU plane), I220 rate
//! of climb and I500 position accuracy are kept when present, and the originator's identity
//! when the record carries the Bulwark SP convention (`bulwark_asterix::cat062::BulwarkSp`).
//! Time of day becomes seconds since the scenario epoch, the nearest value within ±12 h.
use crate::diag::Diagnostic;
use crate::flights::asterix_buffers;
use bulwark_asterix::cat062::BulwarkSp;
use bulwark_core::Identity;
use bulwark_geo::Geodetic;
use std::path::{Path, PathBuf};

/// Seconds in a UTC day.
const DAY_S: f64 = 86_400.0;

/// One system track report of the outside picture.
#[derive(Clone, Debug, PartialEq)]
pub struct PictureReport {
    /// Seconds since the scenario epoch.
    pub t_s: f64,
    /// The originating system (SAC, SIC) and its track number.
    pub source: (u8, u8),
    pub track_number: u16,
    pub position: Geodetic,
    /// East and north velocity (m/s) and rate of climb (m/s), where given.
    pub velocity_en_mps: Option<[f64; 2]>,
    pub climb_mps: Option<f64>,
    /// 1-σ position accuracy per horizontal axis (m), the larger of I500 APC x and y, where given.
    pub sigma_position_m: Option<f64>,
    /// The originator's standard identity, where given (Bulwark SP convention).
    pub identity: Option<Identity>,
}

/// The reports of one file, in time order (stable: file order within one time).
#[derive(Clone, Debug, PartialEq)]
pub struct OutsidePicture {
    pub path: PathBuf,
    pub reports: Vec<PictureReport>,
}

/// Reads the outside picture in `bytes` (raw data blocks or a pcap capture) for a scenario
/// whose epoch is `epoch_tod_s` seconds after midnight UTC. With the picture, the warning about
/// malformed pcap packets passed over, if any.
pub fn read_picture(
    path: &Path,
    bytes: &[u8],
    epoch_tod_s: f64,
) -> Result<(OutsidePicture, Option<String>), Diagnostic> {
    use bulwark_asterix::record::{Record, decode_block};
    let at = |offset: usize, msg: String| Diagnostic::file(path, format!("at byte {offset}: {msg}"));
    let mut reports = Vec::new();
    let (buffers, warning) = asterix_buffers(path, bytes)?;
    for (base, buf) in buffers {
        for block in bulwark_asterix::blocks(buf) {
            let block = block.map_err(|e| at(base + e.offset, e.kind.to_string()))?;
            if block.category != 62 {
                continue;
            }
            for rec in decode_block(&block).map_err(|e| at(base + e.offset, e.kind.to_string()))? {
                let Record::Cat062(r) = rec else { continue };
                let alt = r.geometric_altitude.or(r.measured_flight_level);
                let (Some(tod), Some(ll), Some(alt), Some(trk)) =
                    (r.time_of_track, r.position_wgs84, alt, r.track_number)
                else {
                    continue;
                };
                let t_s = tod - epoch_tod_s - DAY_S * ((tod - epoch_tod_s) / DAY_S).round();
                let source = r.data_source.map_or((0, 0), |d| (d.sac, d.sic));
                let identity = r
                    .special_purpose
                    .as_deref()
                    .and_then(BulwarkSp::decode)
                    .and_then(|sp| Identity::from_app6_letter(sp.identity));
                reports.push(PictureReport {
                    t_s,
                    source,
                    track_number: trk,
                    position: Geodetic::new(ll.lat, ll.lon, alt),
                    velocity_en_mps: r.velocity.map(|v| [v.x, v.y]),
                    climb_mps: r.rate_of_climb,
                    sigma_position_m: r.accuracies.and_then(|a| a.position).map(|p| p.x.max(p.y)),
                    identity,
                });
            }
        }
    }
    if reports.is_empty() {
        return Err(Diagnostic::file(
            path,
            "the picture holds no CAT062 track with time, WGS-84 position and altitude",
        ));
    }
    reports.sort_by(|a, b| a.t_s.total_cmp(&b.t_s));
    Ok((OutsidePicture { path: path.to_path_buf(), reports }, warning))
}
