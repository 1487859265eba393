//! Waypoint flight of aircraft, cruise missiles and UAVs.
//!
//! A point-mass "bank-to-turn" kinematic model over the WGS-84 ellipsoid. State: position,
//! horizontal ground speed V, heading ψ (clockwise from local north), vertical speed.
//! Each step:
//! - **Turn**: the heading turns towards the bearing of the active waypoint at no more than
//!   ω = g₀√(n²−1)/V, the coordinated level turn at load factor n, radius V²/(g₀√(n²−1))
//!   (Anderson, *Aircraft Performance and Design*, 1999, §6.12). V is floored at 1 m/s in ω.
//! - **Speed** moves towards the active waypoint's speed at no more than `max_accel_mps2`,
//!   within [`min_speed_mps`, `max_speed_mps`] (`Performance`).
//! - **Altitude** moves towards the active waypoint's altitude (capped at the ceiling) at no more
//!   than `max_climb_rate_mps`, reaching it exactly (dead-beat) on the last step.
//! - **Propagation**: the horizontal displacement (V̄·dt along the mid-step heading) is laid off in
//!   the local East-North-Up plane, added in ECEF, and the result is put back onto the new
//!   geodetic altitude. This is exact in horizontal distance to O((V·dt)²/R_earth), has no pole
//!   singularity, and keeps the altitude exactly as commanded.
//! - **Passing**: a waypoint is passed when it is within the capture radius horizontally or when
//!   it is abeam (behind the perpendicular to the leg through the aircraft), so a waypoint inside
//!   the turn circle is never orbited. Passing the last one sets [`FlightStatus::Arrived`]; the
//!   aircraft then flies on straight and level.
//!
//! Speeds are horizontal ground speeds (no wind); the vertical speed is added to it.
use crate::{MotionError, MotionModel, check, substeps};
use bulwark_core::{Mat3, Vec3};
use bulwark_geo::{EnuFrame, G0, Geodetic, ecef_to_enu_rotation};
use std::f64::consts::{PI, TAU};

/// Longest internal step (s); larger engine steps are split.
const MAX_SUBSTEP_S: f64 = 0.5;
/// Speed floor in the turn-rate formula (m/s), so a hovering UAV does not turn infinitely fast.
const TURN_SPEED_FLOOR_MPS: f64 = 1.0;

/// Performance limits of a flying platform.
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct Performance {
    /// Maximum load factor n (g), > 1; sets the turn rate g₀√(n²−1)/V.
    pub max_load_factor: f64,
    /// Maximum climb and descent rate (m/s), > 0.
    pub max_climb_rate_mps: f64,
    /// Maximum longitudinal acceleration and deceleration (m/s²), > 0.
    pub max_accel_mps2: f64,
    /// Minimum flying speed (m/s), ≥ 0 (0 for a hovering UAV).
    pub min_speed_mps: f64,
    /// Maximum speed (m/s), ≥ min speed and > 0.
    pub max_speed_mps: f64,
    /// Service ceiling (m above the ellipsoid); waypoint altitudes above it are capped.
    pub ceiling_m: f64,
}

impl Performance {
    fn validate(&self) -> Result<(), MotionError> {
        check("max_load_factor", self.max_load_factor, self.max_load_factor > 1.0, "> 1")?;
        check("max_climb_rate_mps", self.max_climb_rate_mps, self.max_climb_rate_mps > 0.0, "> 0")?;
        check("max_accel_mps2", self.max_accel_mps2, self.max_accel_mps2 > 0.0, "> 0")?;
        check("min_speed_mps", self.min_speed_mps, self.min_speed_mps >= 0.0, ">= 0")?;
        check(
            "max_speed_mps",
            self.max_speed_mps,
            self.max_speed_mps > 0.0 && self.max_speed_mps >= self.min_speed_mps,
            "> 0 and >= min_speed_mps",
        )?;
        check("ceiling_m", self.ceiling_m, true, "finite")?;
        Ok(())
    }

    /// Maximum turn rate (rad/s) at horizontal speed `v_mps`: g₀√(n²−1)/V.
    pub fn max_turn_rate(&self, v_mps: f64) -> f64 {
        G0 * (self.max_load_factor.powi(2) - 1.0).sqrt() / v_mps.max(TURN_SPEED_FLOOR_MPS)
    }

    /// Minimum turn radius (m) at speed `v_mps`: V²/(g₀√(n²−1)).
    pub fn min_turn_radius_m(&self, v_mps: f64) -> f64 {
        v_mps * v_mps / (G0 * (self.max_load_factor.powi(2) - 1.0).sqrt())
    }
}

/// A route point: where to fly, at what altitude and speed.
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct Waypoint {
    /// Latitude and longitude used; `alt_m` is the target altitude (m above the ellipsoid).
    pub position: Geodetic,
    /// Target horizontal speed on the leg towards this waypoint (m/s).
    pub speed_mps: f64,
}

impl Waypoint {
    pub fn new(position: Geodetic, speed_mps: f64) -> Self {
        Waypoint { position, speed_mps }
    }
}

/// Whether a route is still being flown.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum FlightStatus {
    Flying,
    /// The final waypoint has been passed.
    Arrived,
}

/// A platform flying a route of waypoints.
#[derive(Clone, Debug)]
pub struct WaypointFlight {
    perf: Performance,
    /// Route points after the lateral offset, altitude capped at the ceiling.
    route: Vec<Waypoint>,
    route_ecef: Vec<Vec3>,
    capture_radius_m: f64,
    /// Index of the waypoint being flown to.
    active: usize,
    pos: Vec3,
    geo: Geodetic,
    /// ECEF → ENU rotation at `geo`, taken once per sub-step: the bearing, the move, the
    /// waypoint tests and the velocity all read the same matrix.
    rot: Mat3,
    speed: f64,
    heading: f64,
    vertical_speed: f64,
    status: FlightStatus,
    distance_flown_m: f64,
}

impl WaypointFlight {
    /// Starts at waypoint 0 heading towards waypoint 1 at waypoint 0's speed (clamped to the
    /// performance limits). `lateral_offset_m` shifts every waypoint that far to the right of the
    /// route (perpendicular to the bisector of the legs meeting there; negative is left), to spread
    /// a group along one route. `capture_radius_m` (≥ 0) is the horizontal fly-by distance.
    pub fn new(
        route: &[Waypoint],
        perf: Performance,
        lateral_offset_m: f64,
        capture_radius_m: f64,
    ) -> Result<Self, MotionError> {
        perf.validate()?;
        check("lateral_offset_m", lateral_offset_m, true, "finite")?;
        check("capture_radius_m", capture_radius_m, capture_radius_m >= 0.0, ">= 0")?;
        if route.is_empty() {
            return Err(MotionError::EmptyRoute);
        }
        for w in route {
            check("waypoint latitude", w.position.lat_rad, w.position.lat_rad.abs() <= PI / 2.0, "in [-90°, 90°]")?;
            check("waypoint longitude", w.position.lon_rad, true, "finite")?;
            check("waypoint altitude", w.position.alt_m, w.position.alt_m > -1.0e4, "above -10 km")?;
            check("waypoint speed", w.speed_mps, w.speed_mps >= 0.0, ">= 0")?;
        }
        let offset_route = apply_lateral_offset(route, lateral_offset_m, perf.ceiling_m);
        let route_ecef: Vec<Vec3> = offset_route.iter().map(|w| w.position.to_ecef()).collect();
        let geo = offset_route[0].position;
        let rot = ecef_to_enu_rotation(geo.lat_rad, geo.lon_rad);
        let heading = if route.len() > 1 { bearing(&route_ecef[0], &route_ecef[1], &rot).unwrap_or(0.0) } else { 0.0 };
        let speed = offset_route[0].speed_mps.clamp(perf.min_speed_mps, perf.max_speed_mps);
        let mut flight = WaypointFlight {
            perf,
            pos: route_ecef[0],
            route: offset_route,
            route_ecef,
            capture_radius_m,
            active: 1,
            geo,
            rot,
            speed,
            heading,
            vertical_speed: 0.0,
            status: FlightStatus::Flying,
            distance_flown_m: 0.0,
        };
        flight.advance_waypoints();
        Ok(flight)
    }

    pub fn position_ecef(&self) -> Vec3 {
        self.pos
    }

    /// ECEF velocity (m/s) from the horizontal speed, heading and vertical speed.
    pub fn velocity_ecef(&self) -> Vec3 {
        let (s, c) = self.heading.sin_cos();
        let enu = Vec3::new(self.speed * s, self.speed * c, self.vertical_speed);
        self.rot.transpose() * enu
    }

    pub fn geodetic(&self) -> Geodetic {
        self.geo
    }

    pub fn status(&self) -> FlightStatus {
        self.status
    }

    /// Path length flown so far (m), horizontal and vertical.
    pub fn distance_flown_m(&self) -> f64 {
        self.distance_flown_m
    }

    /// Heading, clockwise from local north (rad, in [0, 2π)).
    pub fn heading_rad(&self) -> f64 {
        self.heading
    }

    /// Horizontal ground speed (m/s).
    pub fn speed_mps(&self) -> f64 {
        self.speed
    }

    /// Index of the waypoint being flown to (equals the route length once arrived).
    pub fn active_waypoint(&self) -> usize {
        self.active
    }

    /// The route as flown (after the lateral offset and the ceiling cap).
    pub fn route(&self) -> &[Waypoint] {
        &self.route
    }

    /// Advances by `dt_s` seconds (split into sub-steps of at most 0.5 s).
    pub fn step(&mut self, dt_s: f64) {
        let n = substeps(dt_s, MAX_SUBSTEP_S);
        for _ in 0..n {
            self.substep(dt_s / n as f64);
        }
    }

    fn substep(&mut self, h: f64) {
        // Targets: the active waypoint, or straight and level on the last one once arrived.
        let (target_alt, target_speed, desired_heading) = match self.route.get(self.active) {
            Some(w) => (w.position.alt_m, w.speed_mps, bearing(&self.pos, &self.route_ecef[self.active], &self.rot)),
            None => (self.geo.alt_m, self.speed, None),
        };
        let p = &self.perf;
        let v0 = self.speed;
        let v1 = v0
            + (target_speed.clamp(p.min_speed_mps, p.max_speed_mps) - v0)
                .clamp(-p.max_accel_mps2 * h, p.max_accel_mps2 * h);
        let v_mean = 0.5 * (v0 + v1);
        let dpsi = match desired_heading {
            Some(psi) => {
                let max_turn = p.max_turn_rate(v_mean) * h;
                wrap_pi(psi - self.heading).clamp(-max_turn, max_turn)
            }
            None => 0.0,
        };
        let vz = ((target_alt - self.geo.alt_m) / h).clamp(-p.max_climb_rate_mps, p.max_climb_rate_mps);
        let psi_mid = self.heading + 0.5 * dpsi;
        let ds = v_mean * h;
        let (s, c) = psi_mid.sin_cos();
        let rot_t = self.rot.transpose();
        let moved = self.pos + rot_t * Vec3::new(ds * s, ds * c, 0.0);
        let mut geo = Geodetic::from_ecef(&moved);
        geo.alt_m = self.geo.alt_m + vz * h;
        self.geo = geo;
        self.rot = ecef_to_enu_rotation(geo.lat_rad, geo.lon_rad);
        self.pos = geo.to_ecef();
        self.speed = v1;
        self.heading = (self.heading + dpsi).rem_euclid(TAU);
        self.vertical_speed = vz;
        self.distance_flown_m += ds.hypot(vz * h);
        self.advance_waypoints();
    }

    /// Passes every waypoint that is captured or abeam.
    fn advance_waypoints(&mut self) {
        while self.active < self.route.len() && self.passed(self.active) {
            self.active += 1;
        }
        if self.active >= self.route.len() {
            self.status = FlightStatus::Arrived;
        }
    }

    fn passed(&self, k: usize) -> bool {
        let to_wp = self.rot * (self.route_ecef[k] - self.pos);
        if to_wp.x.hypot(to_wp.y) <= self.capture_radius_m {
            return true;
        }
        let leg = self.rot * (self.route_ecef[k] - self.route_ecef[k - 1]);
        let leg_len = leg.x.hypot(leg.y);
        // A degenerate leg (coincident waypoints) is passed at once.
        leg_len < 1e-3 || to_wp.x * leg.x + to_wp.y * leg.y <= 0.0
    }
}

impl MotionModel for WaypointFlight {
    fn step(&mut self, dt_s: f64) {
        WaypointFlight::step(self, dt_s);
    }
    fn position_ecef(&self) -> Vec3 {
        self.pos
    }
    fn velocity_ecef(&self) -> Vec3 {
        WaypointFlight::velocity_ecef(self)
    }
    fn is_active(&self) -> bool {
        self.status == FlightStatus::Flying
    }
}

/// Bearing (rad, clockwise from north) from ECEF `from` to ECEF `to`, in the local horizontal
/// plane of `rot` (the ECEF → ENU rotation at `from`); `None` when `to` is within a millimetre
/// horizontally.
fn bearing(from: &Vec3, to: &Vec3, rot: &Mat3) -> Option<f64> {
    let d = rot * (to - from);
    if d.x.hypot(d.y) < 1e-3 { None } else { Some(d.x.atan2(d.y).rem_euclid(TAU)) }
}

/// Wraps an angle to (−π, π].
fn wrap_pi(a: f64) -> f64 {
    let w = (a + PI).rem_euclid(TAU) - PI;
    if w <= -PI { w + TAU } else { w }
}

/// Shifts each waypoint `offset_m` to the right of the route direction there (the bisector of
/// the incoming and outgoing legs), and caps its altitude at `ceiling_m`.
fn apply_lateral_offset(route: &[Waypoint], offset_m: f64, ceiling_m: f64) -> Vec<Waypoint> {
    let ecef: Vec<Vec3> = route.iter().map(|w| w.position.to_ecef()).collect();
    route
        .iter()
        .enumerate()
        .map(|(i, w)| {
            let mut out = *w;
            out.position.alt_m = w.position.alt_m.min(ceiling_m);
            if offset_m == 0.0 {
                return out;
            }
            let frame = EnuFrame::new(w.position);
            let unit = |v: Vec3| {
                let h = Vec3::new(v.x, v.y, 0.0);
                if h.norm() < 1e-3 { Vec3::zeros() } else { h.normalize() }
            };
            let incoming = if i > 0 { unit(frame.vec_to_enu(&(ecef[i] - ecef[i - 1]))) } else { Vec3::zeros() };
            let outgoing =
                if i + 1 < ecef.len() { unit(frame.vec_to_enu(&(ecef[i + 1] - ecef[i]))) } else { Vec3::zeros() };
            let dir = incoming + outgoing;
            if dir.norm() < 1e-6 {
                return out; // no defined direction (single point, coincident points, reversal)
            }
            let dir = dir.normalize();
            let right = Vec3::new(dir.y, -dir.x, 0.0);
            let mut g = Geodetic::from_ecef(&frame.to_ecef(&(right * offset_m)));
            g.alt_m = out.position.alt_m;
            out.position = g;
            out
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use bulwark_geo::WGS84_A;

    fn perf() -> Performance {
        Performance {
            max_load_factor: 4.0,
            max_climb_rate_mps: 20.0,
            max_accel_mps2: 5.0,
            min_speed_mps: 60.0,
            max_speed_mps: 600.0,
            ceiling_m: 15_000.0,
        }
    }

    fn wp(lat: f64, lon: f64, alt: f64, v: f64) -> Waypoint {
        Waypoint::new(Geodetic::from_degrees(lat, lon, alt), v)
    }

    /// Point `east_m`, `north_m` from `origin` in its ENU plane, at altitude `alt`.
    fn offset(origin: Geodetic, east_m: f64, north_m: f64, alt: f64) -> Geodetic {
        let mut g = Geodetic::from_ecef(&EnuFrame::new(origin).to_ecef(&Vec3::new(east_m, north_m, 0.0)));
        g.alt_m = alt;
        g
    }

    #[test]
    fn turn_radius_is_v_squared_over_g_root_n2_minus_1() {
        // 90° right turn at wp1; fit a circle to the samples flown at the saturated turn rate.
        let v = 250.0;
        let o = Geodetic::from_degrees(50.0, 10.0, 5_000.0);
        let route = [
            Waypoint::new(o, v),
            Waypoint::new(offset(o, 20_000.0, 0.0, 5_000.0), v),
            Waypoint::new(offset(o, 20_000.0, -40_000.0, 5_000.0), v),
        ];
        let mut f = WaypointFlight::new(&route, perf(), 0.0, 500.0).unwrap();
        let dt = 0.1;
        let omega_dt = perf().max_turn_rate(v) * dt;
        let frame = EnuFrame::new(route[1].position);
        let mut pts = Vec::new();
        for _ in 0..2_000 {
            let h0 = f.heading_rad();
            f.step(dt);
            if (wrap_pi(f.heading_rad() - h0) - omega_dt).abs() < 1e-12 {
                let e = frame.to_enu(&f.position_ecef());
                pts.push((e.x, e.y));
            }
        }
        assert!(pts.len() > 50, "a saturated turn was flown ({} samples)", pts.len());
        let r_fit = kasa_circle_radius(&pts);
        let r_theory = perf().min_turn_radius_m(v);
        // Tolerance 0.5 %: meridian convergence and the tangent-plane projection are < 0.05 %.
        assert!((r_fit / r_theory - 1.0).abs() < 5e-3, "fitted {r_fit} m vs {r_theory} m");
    }

    /// Algebraic least-squares circle fit (Kåsa 1976, IEEE Trans. Instrum. Meas. 25(1)).
    fn kasa_circle_radius(pts: &[(f64, f64)]) -> f64 {
        // Solve for (D, E, F) in x² + y² + Dx + Ey + F = 0 by normal equations.
        let (mx, my) = pts.iter().fold((0.0, 0.0), |a, p| (a.0 + p.0, a.1 + p.1));
        let (mx, my) = (mx / pts.len() as f64, my / pts.len() as f64);
        let mut m = bulwark_core::Mat3::zeros();
        let mut b = Vec3::zeros();
        for &(x, y) in pts {
            let (x, y) = (x - mx, y - my);
            let row = Vec3::new(x, y, 1.0);
            m += row * row.transpose();
            b -= row * (x * x + y * y);
        }
        let s = m.lu().solve(&b).unwrap();
        (s.x * s.x / 4.0 + s.y * s.y / 4.0 - s.z).sqrt()
    }

    #[test]
    fn straight_100_km_leg_takes_distance_over_speed() {
        // Along the equator at altitude h the 100 km arc spans 100 km/(a + h) of longitude.
        let (h, v, d) = (3_000.0, 250.0, 100_000.0);
        let dlon = (d / (WGS84_A + h)).to_degrees();
        let route = [wp(0.0, 0.0, h, v), wp(0.0, dlon, h, v)];
        let mut f = WaypointFlight::new(&route, perf(), 0.0, 0.0).unwrap();
        let dt = 0.1;
        let mut t = 0.0;
        while f.status() == FlightStatus::Flying && t < 1_000.0 {
            f.step(dt);
            t += dt;
        }
        // Abeam passing happens within one step (V·dt = 25 m) of the waypoint: 0.1 % tolerance.
        assert!((t / (d / v) - 1.0).abs() < 1e-3, "t = {t} s, expected {} s", d / v);
        assert!((f.distance_flown_m() / d - 1.0).abs() < 1e-3);
        assert!((f.geodetic().alt_m - h).abs() < 1e-6);
    }

    #[test]
    fn climbs_at_the_climb_rate_limit() {
        let o = Geodetic::from_degrees(45.0, 5.0, 1_000.0);
        let route = [Waypoint::new(o, 200.0), Waypoint::new(offset(o, 0.0, 200_000.0, 5_000.0), 200.0)];
        let mut f = WaypointFlight::new(&route, perf(), 0.0, 100.0).unwrap();
        for _ in 0..1_000 {
            f.step(0.1);
        }
        // 100 s at 20 m/s: 1000 m + 2000 m (exact: the limit saturates until the target).
        assert!((f.geodetic().alt_m - 3_000.0).abs() < 1e-6, "{}", f.geodetic().alt_m);
        for _ in 0..1_500 {
            f.step(0.1);
        }
        assert!((f.geodetic().alt_m - 5_000.0).abs() < 1e-6);
        let ceiling_capped = [Waypoint::new(o, 200.0), Waypoint::new(offset(o, 0.0, 50_000.0, 30_000.0), 200.0)];
        let f = WaypointFlight::new(&ceiling_capped, perf(), 0.0, 100.0).unwrap();
        assert_eq!(f.route()[1].position.alt_m, 15_000.0);
    }

    #[test]
    fn speed_changes_at_the_acceleration_limit() {
        let o = Geodetic::from_degrees(45.0, 5.0, 1_000.0);
        let route = [Waypoint::new(o, 200.0), Waypoint::new(offset(o, 0.0, 200_000.0, 1_000.0), 300.0)];
        let mut f = WaypointFlight::new(&route, perf(), 0.0, 100.0).unwrap();
        for _ in 0..100 {
            f.step(0.1);
        }
        assert!((f.speed_mps() - 250.0).abs() < 1e-9, "10 s at 5 m/s²: {}", f.speed_mps());
    }

    #[test]
    fn route_is_flown_to_the_end_within_the_capture_radius() {
        let o = Geodetic::from_degrees(55.0, 37.0, 8_000.0);
        let route = [
            Waypoint::new(o, 230.0),
            Waypoint::new(offset(o, 30_000.0, 10_000.0, 9_000.0), 250.0),
            Waypoint::new(offset(o, 60_000.0, -20_000.0, 6_000.0), 220.0),
            Waypoint::new(offset(o, 40_000.0, -60_000.0, 2_000.0), 200.0),
        ];
        let capture = 1_000.0;
        for dt in [0.05, 0.1, 1.0] {
            let mut f = WaypointFlight::new(&route, perf(), 0.0, capture).unwrap();
            let mut n = 0;
            while f.status() == FlightStatus::Flying && n < 100_000 {
                f.step(dt);
                n += 1;
            }
            assert_eq!(f.status(), FlightStatus::Arrived, "dt {dt}");
            let d = EnuFrame::new(route[3].position).to_enu(&f.position_ecef());
            // Captured at the radius; one step beyond it at most.
            assert!(d.x.hypot(d.y) <= capture + 230.0 * dt + 1e-6, "dt {dt}: {} m", d.x.hypot(d.y));
        }
    }

    #[test]
    fn lateral_offset_moves_the_route_to_the_right() {
        let o = Geodetic::from_degrees(0.0, 0.0, 1_000.0);
        let route = [Waypoint::new(o, 200.0), Waypoint::new(offset(o, 0.0, 50_000.0, 1_000.0), 200.0)];
        let f = WaypointFlight::new(&route, perf(), 0.0, 100.0).unwrap();
        let g = WaypointFlight::new(&route, perf(), 2_000.0, 100.0).unwrap();
        // Flying north, right is east.
        let d = EnuFrame::new(o).to_enu(&g.position_ecef());
        assert!((d.x - 2_000.0).abs() < 0.01 && d.y.abs() < 0.01, "{d:?}");
        assert!((g.heading_rad() - f.heading_rad()).abs() < 1e-5, "{} vs {}", g.heading_rad(), f.heading_rad());
    }

    #[test]
    fn degenerate_routes_produce_no_nan() {
        let mut p = perf();
        p.min_speed_mps = 0.0;
        let a = wp(10.0, 20.0, 1_000.0, 0.0);
        let cases: Vec<Vec<Waypoint>> = vec![
            vec![a],
            vec![a, a, a],
            vec![a, wp(10.0, 20.0, 3_000.0, 0.0)],
            vec![a, wp(10.1, 20.0, 1_000.0, 0.0)],
            vec![wp(90.0, 0.0, 1_000.0, 100.0), wp(89.0, 0.0, 1_000.0, 100.0)],
        ];
        for route in cases {
            let mut f = WaypointFlight::new(&route, p, 500.0, 0.0).unwrap();
            for _ in 0..200 {
                f.step(0.1);
                assert!(crate::finite_vec(&f.position_ecef()) && crate::finite_vec(&f.velocity_ecef()), "{route:?}");
            }
            f.step(f64::NAN);
            f.step(-1.0);
            assert!(crate::finite_vec(&f.position_ecef()));
        }
    }

    #[test]
    fn bad_parameters_are_rejected() {
        let route = [wp(0.0, 0.0, 0.0, 100.0), wp(1.0, 0.0, 0.0, 100.0)];
        assert_eq!(WaypointFlight::new(&[], perf(), 0.0, 0.0).unwrap_err(), MotionError::EmptyRoute);
        let mut p = perf();
        p.max_load_factor = 1.0;
        assert!(WaypointFlight::new(&route, p, 0.0, 0.0).is_err());
        let mut p = perf();
        p.max_speed_mps = f64::NAN;
        assert!(WaypointFlight::new(&route, p, 0.0, 0.0).is_err());
        assert!(WaypointFlight::new(&route, perf(), f64::INFINITY, 0.0).is_err());
        assert!(WaypointFlight::new(&route, perf(), 0.0, -1.0).is_err());
        assert!(WaypointFlight::new(&[wp(0.0, 0.0, 0.0, -5.0)], perf(), 0.0, 0.0).is_err());
    }
}
