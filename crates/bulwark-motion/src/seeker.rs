//! Homing seeker and the hand-over from mid-course command guidance to terminal homing.
//!
//! **Mid-course**: the interceptor is steered on the engagement radar's track estimate, passed in
//! by the engine (command guidance; for track-via-missile the same estimate path is used).
//! **Hand-over**: the seeker acquires when the true target is within its acquisition range, inside
//! its field of regard (a cone of half-angle θ_FOR about the missile's axis, here its velocity),
//! and — for a semi-active seeker — illuminated by the ground radar (Zarchan, *Tactical and
//! Strategic Missile Guidance*, 6th ed., ch. 1 and 12 on seeker types; Fleeman, *Tactical Missile
//! Design*, 2nd ed., ch. 3 on seeker field of regard). From then on guidance uses the seeker's
//! measurement: the true line of sight with Gaussian angle noise σ_θ in two axes across it (the
//! caller draws the two standard-normal numbers from its own random stream, so runs stay
//! deterministic), range and range rate as measured by an active or TVM seeker.
//! The lock breaks when the target leaves the field of regard or the semi-active illumination
//! stops; guidance then returns to the radar track.
use crate::{KinematicState, MotionError, check, finite_vec};
use bulwark_core::Vec3;

/// How the seeker sees the target.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum SeekerKind {
    /// Own transmitter.
    Active,
    /// Receives the ground radar's illumination reflected by the target.
    SemiActive,
}

/// A homing seeker.
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct Seeker {
    pub kind: SeekerKind,
    /// Acquisition range (m), > 0.
    pub acquisition_range_m: f64,
    /// Half-angle of the field of regard about the missile's axis (rad), in (0, π].
    pub field_of_regard_rad: f64,
    /// One-axis angle noise (rad), ≥ 0.
    pub sigma_angle_rad: f64,
}

/// Default field of regard when the catalog gives none: ±45° (gimballed seekers of tactical
/// missiles, Fleeman ch. 3, typically ±40° to ±60°).
pub const DEFAULT_FIELD_OF_REGARD_RAD: f64 = std::f64::consts::FRAC_PI_4;

impl Seeker {
    pub fn new(
        kind: SeekerKind,
        acquisition_range_m: f64,
        field_of_regard_rad: f64,
        sigma_angle_rad: f64,
    ) -> Result<Self, MotionError> {
        check("acquisition_range_m", acquisition_range_m, acquisition_range_m > 0.0, "> 0")?;
        let f = field_of_regard_rad;
        check("field_of_regard_rad", f, f > 0.0 && f <= std::f64::consts::PI, "in (0, π]")?;
        check("sigma_angle_rad", sigma_angle_rad, sigma_angle_rad >= 0.0, ">= 0")?;
        Ok(Seeker { kind, acquisition_range_m, field_of_regard_rad, sigma_angle_rad })
    }

    /// Whether the target at `target_pos` is inside the field of regard of a missile at `own`.
    pub fn in_field_of_regard(&self, own: &KinematicState, target_pos: &Vec3) -> bool {
        let los = target_pos - own.pos;
        let (ln, vn) = (los.norm(), own.vel.norm());
        if !(ln > 0.0 && vn > 0.0 && finite_vec(&los)) {
            return false;
        }
        (los.dot(&own.vel) / (ln * vn)).clamp(-1.0, 1.0).acos() <= self.field_of_regard_rad
    }

    /// Whether the seeker sees the target now: in range, in the field of regard, and (semi-active)
    /// illuminated.
    pub fn sees(&self, own: &KinematicState, target_pos: &Vec3, illuminated: bool) -> bool {
        let in_range = (target_pos - own.pos).norm() <= self.acquisition_range_m;
        in_range && self.in_field_of_regard(own, target_pos) && (self.kind == SeekerKind::Active || illuminated)
    }

    /// The seeker's measurement of `target`: the position displaced across the line of sight by
    /// range·σ_θ·(z₁, z₂), `z` two standard-normal draws; the target's velocity as measured by
    /// range rate and line-of-sight rate (noise on it not modelled).
    pub fn measure(&self, own: &KinematicState, target: &KinematicState, z: [f64; 2]) -> KinematicState {
        let los = target.pos - own.pos;
        let range = los.norm();
        if range.is_nan() || range <= 0.0 || !finite_vec(&los) || !z.iter().all(|x| x.is_finite()) {
            return KinematicState::new(target.pos, target.vel);
        }
        let u = los / range;
        let a = if u.x.abs() < 0.9 { Vec3::x() } else { Vec3::y() };
        let e1 = u.cross(&a).normalize();
        let e2 = u.cross(&e1);
        let off = (e1 * z[0] + e2 * z[1]) * (range * self.sigma_angle_rad);
        KinematicState::new(target.pos + off, target.vel)
    }
}

/// Which estimate steers the interceptor.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum GuidancePhase {
    /// Command guidance on the radar track.
    Midcourse,
    /// Homing on the seeker's measurement.
    Terminal,
}

/// The mid-course → terminal hand-over of one interceptor.
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct HandOver {
    pub seeker: Seeker,
    phase: GuidancePhase,
}

impl HandOver {
    pub fn new(seeker: Seeker) -> Self {
        HandOver { seeker, phase: GuidancePhase::Midcourse }
    }
    pub fn phase(&self) -> GuidancePhase {
        self.phase
    }

    /// The estimate to guide on this step. `track_est`: the radar's estimate (mid-course);
    /// `target`: the target the seeker would see (truth, used only through [`Seeker::sees`] and
    /// [`Seeker::measure`]) and whether it is illuminated; `z`: two standard-normal draws.
    /// Acquires, keeps or breaks the lock as the module doc says.
    pub fn estimate(
        &mut self,
        own: &KinematicState,
        track_est: Option<&KinematicState>,
        target: Option<(&KinematicState, bool)>,
        z: [f64; 2],
    ) -> Option<KinematicState> {
        let sees = target.is_some_and(|(t, lit)| self.seeker.sees(own, &t.pos, lit));
        // Once locked the acquisition range no longer matters, only the field of regard and light.
        let keeps = target.is_some_and(|(t, lit)| {
            self.seeker.in_field_of_regard(own, &t.pos) && (self.seeker.kind == SeekerKind::Active || lit)
        });
        self.phase = match self.phase {
            GuidancePhase::Midcourse if sees => GuidancePhase::Terminal,
            GuidancePhase::Terminal if !keeps => GuidancePhase::Midcourse,
            p => p,
        };
        match (self.phase, target) {
            (GuidancePhase::Terminal, Some((t, _))) => Some(self.seeker.measure(own, t, z)),
            _ => track_est.copied(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn own() -> KinematicState {
        KinematicState::new(Vec3::zeros(), Vec3::new(1_000.0, 0.0, 0.0))
    }

    #[test]
    fn acquisition_needs_range_field_of_regard_and_illumination() {
        let s = Seeker::new(SeekerKind::SemiActive, 20_000.0, 30f64.to_radians(), 0.0).unwrap();
        let at = |deg: f64, r: f64| Vec3::new(r * deg.to_radians().cos(), r * deg.to_radians().sin(), 0.0);
        assert!(s.sees(&own(), &at(29.9, 19_999.0), true));
        assert!(!s.sees(&own(), &at(30.1, 19_999.0), true), "outside the field of regard");
        assert!(!s.sees(&own(), &at(0.0, 20_001.0), true), "beyond acquisition range");
        assert!(!s.sees(&own(), &at(0.0, 10_000.0), false), "semi-active needs illumination");
        let a = Seeker { kind: SeekerKind::Active, ..s };
        assert!(a.sees(&own(), &at(0.0, 10_000.0), false));
        assert!(Seeker::new(SeekerKind::Active, 0.0, 0.5, 0.0).is_err());
        assert!(Seeker::new(SeekerKind::Active, 1.0, 4.0, 0.0).is_err());
    }

    #[test]
    fn measurement_noise_is_across_the_line_of_sight_with_sigma_times_range() {
        let s = Seeker::new(SeekerKind::Active, 30_000.0, 1.0, 0.002).unwrap();
        let tgt = KinematicState::new(Vec3::new(10_000.0, 0.0, 0.0), Vec3::new(-300.0, 0.0, 0.0));
        let m = s.measure(&own(), &tgt, [1.0, 0.0]);
        let off = m.pos - tgt.pos;
        assert!((off.norm() - 20.0).abs() < 1e-9 && off.x.abs() < 1e-9);
        assert_eq!(s.measure(&own(), &tgt, [f64::NAN, 0.0]).pos, tgt.pos);
    }

    #[test]
    fn hand_over_switches_to_the_seeker_and_back_on_lost_illumination() {
        let s = Seeker::new(SeekerKind::SemiActive, 20_000.0, 0.5, 0.0).unwrap();
        let mut h = HandOver::new(s);
        let track = KinematicState::new(Vec3::new(30_000.0, 500.0, 0.0), Vec3::zeros());
        let far = KinematicState::new(Vec3::new(30_000.0, 0.0, 0.0), Vec3::zeros());
        assert_eq!(h.estimate(&own(), Some(&track), Some((&far, true)), [0.0; 2]), Some(track));
        assert_eq!(h.phase(), GuidancePhase::Midcourse);
        let near = KinematicState::new(Vec3::new(15_000.0, 0.0, 0.0), Vec3::zeros());
        assert_eq!(h.estimate(&own(), Some(&track), Some((&near, true)), [0.0; 2]).unwrap().pos, near.pos);
        assert_eq!(h.phase(), GuidancePhase::Terminal);
        assert_eq!(h.estimate(&own(), Some(&track), Some((&near, false)), [0.0; 2]), Some(track));
        assert_eq!(h.phase(), GuidancePhase::Midcourse);
    }
}
