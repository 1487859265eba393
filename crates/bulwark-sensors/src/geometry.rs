//! What a sensor sees of a target's truth: line of sight, range rate, sector tests, and the
//! hook for terrain masking ([`LineOfSightMask`]).
use crate::detection::SwerlingCase;
use crate::rcs::RcsTable;
use bulwark_core::{EntityId, Vec3};
use bulwark_geo::{EnuFrame, Geodetic, Rae};
use std::f64::consts::{PI, TAU};

/// The truth a sensor is given about one object, to make its measurements from.
/// Sensors may read truth; nothing of it leaves them except through measurements.
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct TargetView {
    pub entity: EntityId,
    /// Position in ECEF (m).
    pub position_ecef: Vec3,
    /// Earth-relative velocity in ECEF axes (m/s).
    pub velocity_ecef: Vec3,
    /// Mean radar cross section (m²): the mean of the Swerling fluctuation.
    pub rcs_m2: f64,
    /// Height above the surface (m), for the horizon test (and the Mode C altitude).
    pub altitude_m: f64,
}

impl TargetView {
    /// Whether every number is finite; a sensor ignores a view that is not.
    pub fn is_finite(&self) -> bool {
        self.position_ecef.iter().chain(self.velocity_ecef.iter()).all(|x| x.is_finite())
            && self.rcs_m2.is_finite()
            && self.altitude_m.is_finite()
    }
}

/// A target as a radar look takes it: its truth and, optionally, its RCS by band and aspect.
/// Kept apart from [`TargetView`] so that a view stays `Copy` and shared by every sensor.
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct RadarTarget<'a> {
    pub view: TargetView,
    /// `Some`: the radar reads the mean RCS for its frequency and the target's aspect from the
    /// table; `None`: it uses `view.rcs_m2`.
    pub rcs_table: Option<&'a RcsTable>,
    /// The target's fluctuation model; `None`: the case of the radar's detector.
    pub swerling: Option<SwerlingCase>,
}

impl From<TargetView> for RadarTarget<'_> {
    fn from(view: TargetView) -> Self {
        RadarTarget { view, rcs_table: None, swerling: None }
    }
}

/// Terrain (or any obstacle) masking between a sensor and a point: implemented outside this
/// crate (e.g. by the terrain model), consulted after the coverage gates and the 4/3-earth
/// horizon. `radar` is the antenna's geodetic position (the origin of the radar's site frame).
pub trait LineOfSightMask {
    /// Whether the straight (refracted) path from `radar` to `target` is clear.
    fn visible(&self, radar: &Geodetic, target: &Geodetic) -> bool;
}

/// The true line of sight from a site to a target.
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct LineOfSight {
    /// Range, azimuth (clockwise from north, [0, 2π)) and elevation in the site's ENU frame.
    pub rae: Rae,
    /// d|r|/dt = r̂·v (m/s): positive opening, negative closing. At zero range, where r̂ is
    /// undefined, it is |v| (the range can only grow).
    pub range_rate_mps: f64,
}

impl LineOfSight {
    /// The line of sight from the origin of `site` (a fixed point on the earth) to a target at
    /// `position_ecef` moving with earth-relative velocity `velocity_ecef`.
    pub fn new(site: &EnuFrame, position_ecef: &Vec3, velocity_ecef: &Vec3) -> Self {
        let r = position_ecef - site.origin_ecef();
        let range = r.norm();
        let range_rate = if range > 0.0 { r.dot(velocity_ecef) / range } else { velocity_ecef.norm() };
        LineOfSight { rae: site.rae(position_ecef), range_rate_mps: range_rate }
    }
}

/// Angle wrapped to (−π, π].
pub fn wrap_pi(a: f64) -> f64 {
    let w = a.rem_euclid(TAU);
    if w > PI { w - TAU } else { w }
}

/// Angle wrapped to [0, 2π).
pub fn wrap_two_pi(a: f64) -> f64 {
    let w = a.rem_euclid(TAU);
    // rem_euclid can round up to exactly 2π for tiny negative inputs.
    if w >= TAU { 0.0 } else { w }
}

/// Whether `azimuth_rad` lies in the sector of total width `width_rad` centred on
/// `centre_rad` (edges included), across north: a 40° sector centred on 350° spans 330°–10°.
/// A width of 2π or more is the full circle.
pub fn azimuth_in_sector(azimuth_rad: f64, centre_rad: f64, width_rad: f64) -> bool {
    if width_rad >= TAU {
        return azimuth_rad.is_finite();
    }
    wrap_pi(azimuth_rad - centre_rad).abs() <= 0.5 * width_rad
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sector_wraps_across_north() {
        let (c, w) = (350f64.to_radians(), 40f64.to_radians());
        for (az, inside) in [(5.0, true), (335.0, true), (350.0, true), (9.9, true), (330.1, true), (10.5, false)] {
            assert_eq!(azimuth_in_sector(f64::to_radians(az), c, w), inside, "{az}°");
        }
        for (az, inside) in [(329.5, false), (20.0, false), (170.0, false)] {
            assert_eq!(azimuth_in_sector(f64::to_radians(az), c, w), inside, "{az}°");
        }
        assert!(azimuth_in_sector(3.0, 0.0, TAU));
        assert!(!azimuth_in_sector(f64::NAN, 0.0, 1.0));
        assert!(!azimuth_in_sector(f64::NAN, 0.0, TAU));
    }

    #[test]
    fn wraps() {
        assert!((wrap_pi(3.0 * PI / 2.0) + PI / 2.0).abs() < 1e-15);
        assert_eq!(wrap_two_pi(-1e-300), 0.0);
        assert!((wrap_two_pi(-0.5) - (TAU - 0.5)).abs() < 1e-15);
    }
}
