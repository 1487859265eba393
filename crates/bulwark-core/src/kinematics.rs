//! Kinematic relations shared by planning (command post) and fly-out (motion).
use crate::Vec3;

fn finite(v: &Vec3) -> bool {
    v.iter().all(|x| x.is_finite())
}

/// The collision triangle: the smallest t ≥ 0 (s) at which a missile flying straight at
/// constant speed `s` (m/s) from the origin meets a constant-velocity target at relative
/// position `d` (m) with velocity `v` (m/s): |d + v·t| = s·t, i.e. the root of
/// (|v|² − s²)t² + 2(d·v)t + |d|² = 0 (Zarchan, *Tactical and Strategic Missile Guidance*,
/// ch. 2). `None` when the missile cannot catch the target or the input is not finite.
pub fn intercept_time(d: &Vec3, v: &Vec3, s: f64) -> Option<f64> {
    if !finite(d) || !finite(v) || !s.is_finite() || s <= 0.0 {
        return None;
    }
    let a = v.norm_squared() - s * s;
    let b = 2.0 * d.dot(v);
    let c = d.norm_squared();
    if c == 0.0 {
        return Some(0.0);
    }
    let t = if a.abs() < 1e-12 * s * s {
        // Equal speeds: linear equation b·t + c = 0.
        if b < 0.0 { -c / b } else { return None }
    } else {
        let disc = b * b - 4.0 * a * c;
        if disc < 0.0 {
            return None;
        }
        // Numerically stable roots (Press et al., Numerical Recipes §5.6).
        let q = -0.5 * (b + b.signum() * disc.sqrt());
        let roots = [q / a, if q != 0.0 { c / q } else { f64::NAN }];
        roots
            .into_iter()
            .filter(|t| t.is_finite() && *t >= 0.0)
            .fold(None, |m: Option<f64>, t| Some(m.map_or(t, |m| m.min(t))))?
    };
    t.is_finite().then_some(t)
}
