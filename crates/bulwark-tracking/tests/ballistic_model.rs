//! The ballistic motion model against analytic cases of free fall we did not derive here:
//! the radial two-body fall time, the two-body invariants (vis-viva energy and angular
//! momentum), Allen & Eggers' straight-line entry, and its Jacobian against finite
//! differences; and the tracker TOML that selects it.
use bulwark_tracking::config::{TrackerToml, build_gnn_tracker};
use bulwark_tracking::filter::ballistic::{EARTH_MEAN_RADIUS_M, MU_EARTH};
use bulwark_tracking::filter::models::Layout;
use bulwark_tracking::filter::{Ballistic, Drag, MotionModel};
use nalgebra::{DVector, SMatrix};

type V6 = SMatrix<f64, 6, 1>;

fn radius(x: &V6) -> f64 {
    (x.fixed_rows::<3>(0) + nalgebra::Vector3::new(0.0, 0.0, EARTH_MEAN_RADIUS_M)).norm()
}

/// Radial fall from rest at r₀ to r: t = √(r₀³/2μ) (√(ξ(1 − ξ)) + arccos √ξ), ξ = r/r₀ (the
/// degenerate Kepler orbit; Bate, Mueller & White 1971, §4.2 problem 4.4; Vallado,
/// *Fundamentals of Astrodynamics and Applications*, 4th ed., §2.2). From 300 km the body
/// should be at the surface after that time, to 0.5 m (RK4 with 0.5 s steps).
#[test]
fn radial_fall_reaches_the_ground_at_the_kepler_time() {
    let m = Ballistic::new(0.0, None, Layout::Native).unwrap();
    let r0 = EARTH_MEAN_RADIUS_M + 300e3;
    let xi = EARTH_MEAN_RADIUS_M / r0;
    let t = (r0.powi(3) / (2.0 * MU_EARTH)).sqrt() * ((xi * (1.0 - xi)).sqrt() + xi.sqrt().acos());
    let x0 = V6::from_column_slice(&[0.0, 0.0, 300e3, 0.0, 0.0, 0.0]);
    let (x, _) = m.propagate(&x0, t);
    let h = radius(&x) - EARTH_MEAN_RADIUS_M;
    assert!(h.abs() < 0.5, "height {h} m after the analytic fall time {t} s");
    // A flat-earth g = 9.81 fall would take √(2h/g) = 247.3 s, not the 252.4 s here: the test
    // tells a uniform field from the inverse-square one.
    assert!(t > 250.0, "{t}");
}

/// Two-body invariants along an SRBM-like arc (burnout 1.5 km/s at 45°): the specific energy
/// v²/2 − μ/r (vis-viva) and the angular momentum r × v are conserved to 10⁻⁹ relative over 200 s.
#[test]
fn a_vacuum_arc_keeps_its_energy_and_angular_momentum() {
    let m = Ballistic::new(0.0, None, Layout::Native).unwrap();
    let x0 = V6::from_column_slice(&[0.0, 0.0, 20e3, 1500.0 * 0.5f64.sqrt(), 0.0, 1500.0 * 0.5f64.sqrt()]);
    let inv = |x: &V6| {
        let r = x.fixed_rows::<3>(0) + nalgebra::Vector3::new(0.0, 0.0, EARTH_MEAN_RADIUS_M);
        let v = x.fixed_rows::<3>(3).into_owned();
        (v.norm_squared() / 2.0 - MU_EARTH / r.norm(), r.cross(&v))
    };
    let (e0, h0) = inv(&x0);
    let (x, _) = m.propagate(&x0, 200.0);
    let (e, h) = inv(&x);
    assert!(((e - e0) / e0).abs() < 1e-9, "energy {e0} → {e}");
    assert!((h - h0).norm() / h0.norm() < 1e-9, "angular momentum {h0} → {h}");
    assert!(x[2] < 200e3 && x[5] < 0.0, "the arc turns down: {x}");
}

/// Allen & Eggers (1958, NACA Report 1381, eq. 17): a body entering straight at angle γ with
/// gravity neglected slows as v = v₀ exp(−ρ₀H (e^(−h/H) − e^(−h₀/H)) / (2β sin γ)). Flat earth
/// (R = 10¹² m), μ = 0, β = 2000 kg/m², from 60 km at 3 km/s and 30° down to 10 km: to 10⁻⁵.
#[test]
fn straight_entry_slows_as_allen_and_eggers() {
    let drag = Drag::zarchan(2000.0);
    let m = Ballistic::with_field(0.0, 0.0, 1e12, Some(drag), Layout::Native).unwrap();
    let (v0, h0, g) = (3000.0, 60e3, 30f64.to_radians());
    let mut x = V6::from_column_slice(&[0.0, 0.0, h0, v0 * g.cos(), 0.0, -v0 * g.sin()]);
    let mut checked = 0;
    while x[2] > 10e3 {
        x = m.propagate(&x, 0.5).0;
        let (h, v) = (x[2], x.fixed_rows::<3>(3).norm());
        let hh = drag.scale_height_m;
        let want = v0
            * (-drag.rho0_kg_m3 * hh * ((-h / hh).exp() - (-h0 / hh).exp()) / (2.0 * drag.beta_kg_m2 * g.sin())).exp();
        assert!(((v - want) / want).abs() < 1e-5, "h {h} m: v {v} vs Allen–Eggers {want}");
        checked += 1;
    }
    assert!(checked > 50);
    // Drag did act: the body lost more than 10 % of its speed by 10 km.
    assert!(x.fixed_rows::<3>(3).norm() < 0.9 * v0);
}

/// The Jacobian (the integrated variational equation, with drag) equals central finite
/// differences of f to 10⁻⁶ relative, in the native and the common IMM layout.
#[test]
fn the_jacobian_matches_finite_differences() {
    for layout in [Layout::Native, Layout::Common] {
        let m = Ballistic::new(1.0, Some(Drag::zarchan(3000.0)), layout).unwrap();
        let n = m.dim();
        let mut x = DVector::zeros(n);
        x.rows_mut(0, 6).copy_from_slice(&[10e3, -5e3, 25e3, -900.0, 400.0, -1500.0]);
        let dt = 2.0;
        let f = m.jacobian(&x, dt);
        for j in 0..6 {
            let h = if j < 3 { 1.0 } else { 0.01 };
            let mut xp = x.clone();
            let mut xm = x.clone();
            xp[j] += h;
            xm[j] -= h;
            let col = (m.function(&xp, dt) - m.function(&xm, dt)) / (2.0 * h);
            for i in 0..n {
                let scale = f.column(j).amax().max(1e-3);
                assert!(
                    (f[(i, j)] - col[i]).abs() < 1e-6 * scale.max(1.0),
                    "{layout:?} F[{i},{j}] {} vs {}",
                    f[(i, j)],
                    col[i]
                );
            }
        }
        if layout == Layout::Common {
            // The mode's acceleration is gravity plus drag at the predicted state, written out.
            let y = m.function(&x, dt);
            let r = nalgebra::Vector3::new(y[0], y[1], y[2] + EARTH_MEAN_RADIUS_M);
            let v = nalgebra::Vector3::new(y[3], y[4], y[5]);
            let d = Drag::zarchan(3000.0);
            let rho = d.rho0_kg_m3 * (-(r.norm() - EARTH_MEAN_RADIUS_M) / d.scale_height_m).exp();
            let a = -MU_EARTH / r.norm().powi(3) * r - rho * v.norm() / (2.0 * d.beta_kg_m2) * v;
            for k in 0..3 {
                assert!((y[6 + k] - a[k]).abs() < 1e-9 * a.norm(), "a[{k}] {} vs {}", y[6 + k], a[k]);
            }
            assert_eq!(y[9], 0.0);
        }
    }
}

/// `motion = "ballistic"` builds a GNN tracker, alone or in an IMM with CV; a bad β and a
/// non-GNN associator are errors at their place in the file.
#[test]
fn the_tracker_toml_selects_the_ballistic_model() {
    let ok =
        "[filter]\nkind = \"imm\"\nmodels = [\"cv\", \"ballistic\"]\nq = 400.0\nballistic_coefficient_kg_m2 = 5000.0\n";
    build_gnn_tracker(&TrackerToml::parse(ok).unwrap()).expect("imm cv + ballistic");
    let alone = "[filter]\nmotion = \"ballistic\"\nq = 10.0\n";
    build_gnn_tracker(&TrackerToml::parse(alone).unwrap()).expect("ballistic alone");
    let bad = "[filter]\nmotion = \"ballistic\"\nballistic_coefficient_kg_m2 = -1.0\n";
    let e = build_gnn_tracker(&TrackerToml::parse(bad).unwrap()).unwrap_err();
    assert_eq!(e.line_col(bad), Some((2, 10)), "{e}");
    assert!(e.message.contains("ballistic_coefficient_kg_m2"), "{e}");
    let jpda = "[associator]\nkind = \"jpda\"\ndetection_probability = 0.9\nclutter_density = 1e-9\n";
    let e = build_gnn_tracker(&TrackerToml::parse(jpda).unwrap()).unwrap_err();
    assert_eq!(e.line_col(jpda), Some((2, 8)), "{e}");
}

/// Gravity and drag together: a body dropped from rest in a uniform field g with quadratic
/// drag in air of constant density falls at v(t) = v_t tanh(g t / v_t) and has fallen
/// y(t) = (v_t² / g) ln cosh(g t / v_t), v_t = √(2 β g / ρ) (Taylor, *Classical Mechanics*,
/// 2005, §2.4, eqs. 2.57 and 2.58). The field is made uniform by a body of radius 10¹² m with
/// μ = g R² (the gradient over the fall is 10⁻⁸ of g) and the density constant by a scale
/// height of 10¹⁵ m. To 10⁻⁶ relative in speed and 10⁻³ m in distance over 60 s (RK4 at 0.5 s).
#[test]
fn a_drop_with_drag_in_uniform_gravity_follows_the_tanh_law() {
    let (g, big_r, beta) = (9.80665, 1e12, 500.0);
    let drag = Drag { beta_kg_m2: beta, rho0_kg_m3: 1.225, scale_height_m: 1e15 };
    let m = Ballistic::with_field(0.0, g * big_r * big_r, big_r, Some(drag), Layout::Native).unwrap();
    let vt = (2.0 * beta * g / drag.rho0_kg_m3).sqrt();
    let mut x = V6::from_column_slice(&[0.0, 0.0, 5e3, 0.0, 0.0, 0.0]);
    for step in 1..=60 {
        x = m.propagate(&x, 1.0).0;
        let t = f64::from(step);
        let (v_want, y_want) = (vt * (g * t / vt).tanh(), vt * vt / g * (g * t / vt).cosh().ln());
        let (v, y) = (-x[5], 5e3 - x[2]);
        assert!(((v - v_want) / v_want).abs() < 1e-6, "t {t} s: v {v} vs {v_want}");
        assert!((y - y_want).abs() < 1e-3, "t {t} s: fallen {y} vs {y_want}");
    }
    // The drop neared terminal speed: drag did act.
    assert!(-x[5] > 0.9 * vt && -x[5] < vt);
}

/// One integration for f and ∂f/∂x gives the bits of the two separate calls, with and
/// without drag, in both layouts (the EKF prediction uses the pair).
#[test]
fn function_and_jacobian_together_are_the_separate_calls_bit_for_bit() {
    for drag in [None, Some(Drag::zarchan(3000.0))] {
        for layout in [Layout::Native, Layout::Common] {
            let m = Ballistic::new(1.0, drag, layout).unwrap();
            let mut x = DVector::zeros(m.dim());
            x.rows_mut(0, 6).copy_from_slice(&[10e3, -5e3, 25e3, -900.0, 400.0, -1500.0]);
            for dt in [0.0, 0.3, 2.0, 7.7] {
                let (y, f) = m.function_and_jacobian(&x, dt);
                let bits = |s: &[f64]| s.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
                assert_eq!(bits(y.as_slice()), bits(m.function(&x, dt).as_slice()), "{drag:?} {layout:?} {dt}");
                assert_eq!(bits(f.as_slice()), bits(m.jacobian(&x, dt).as_slice()), "{drag:?} {layout:?} {dt}");
            }
        }
    }
}
