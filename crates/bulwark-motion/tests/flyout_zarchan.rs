//! Linearised homing loop against Zarchan's closed forms (see `linear_engagement` module doc).
use bulwark_motion::linear_engagement::LinearEngagement;

/// Closed-form single-lag heading-error miss, miss/(−V_M·HE·T) = x e^{−x} L_{N′−2}^{(1)}(x)/(N′−1),
/// written out for N′ = 3, 4, 5 (Zarchan 6th ed. ch. 6; Alpert 1988).
fn he_closed(n: u32, x: f64) -> f64 {
    let p = match n {
        3 => 1.0 - x / 2.0,
        4 => 1.0 - x + x * x / 6.0,
        5 => 1.0 - 1.5 * x + x * x / 2.0 - x.powi(3) / 24.0,
        _ => unreachable!(),
    };
    x * (-x).exp() * p
}

/// Closed-form single-lag step-manoeuvre miss, miss/(n_T T²), N′ = 3, 4, 5.
fn nt_closed(n: u32, x: f64) -> f64 {
    let p = match n {
        3 => 0.5,
        4 => 0.5 - x / 6.0,
        5 => 0.5 - x / 3.0 + x * x / 24.0,
        _ => unreachable!(),
    };
    x * x * (-x).exp() * p
}

#[test]
fn zero_lag_pn_has_zero_miss_from_heading_error_and_step_manoeuvre() {
    // Zarchan ch. 2: with no guidance lag, PN (N′ > 2) removes both a heading error and a
    // constant target manoeuvre exactly. V_M = 1 000 m/s, HE = 10° → ẏ(0) = −174 m/s; n_T = 3 g;
    // t_F = 10 s. The initial separations they would cause unguided are 1 700 m and 1 470 m;
    // tolerance 0.05 m (the singular last step).
    for n in [3.0, 4.0, 5.0] {
        let le = LinearEngagement::new(n, 0.0).unwrap();
        let he = le.forward_miss(10.0, -1_000.0 * 10f64.to_radians(), 0.0, 1e-4).unwrap();
        let nt = le.forward_miss(10.0, 0.0, 3.0 * 9.81, 1e-4).unwrap();
        assert!(he.abs() < 0.05 && nt.abs() < 0.05, "N′ {n}: HE miss {he}, n_T miss {nt}");
    }
}

#[test]
fn single_lag_adjoint_and_forward_match_the_closed_form() {
    // T = 1 s; tolerance 1e-4 of the normalising scale (V_M·HE·T or n_T·T²) for the adjoint
    // (RK4, h = 1 ms) and 2e-3 for the forward runs (singular last step, h = 0.1 ms).
    println!("N′  t_F/T  HE: adjoint  forward  closed   |  n_T: adjoint  forward  closed");
    for n in [3u32, 4, 5] {
        let le = LinearEngagement::new(f64::from(n), 1.0).unwrap();
        let adj = le.adjoint(10.0, 1e-3).unwrap();
        for s in &adj {
            let x = s.t_f_s;
            // miss_HE = z_ẏ·ẏ(0) = z_ẏ·(−V_M HE): normalised by −V_M·HE·T this is z_ẏ/T.
            assert!((s.miss_per_lateral_velocity_s - he_closed(n, x)).abs() < 1e-4, "N′ {n} x {x}");
            assert!((s.miss_per_target_accel_s2 - nt_closed(n, x)).abs() < 1e-4, "N′ {n} x {x}");
        }
        for x in [0.5, 1.0, 2.0, 3.0, 5.0, 8.0] {
            let i = (x / 1e-3) as usize - 1;
            let a = adj[i];
            assert!((a.t_f_s - x).abs() < 1e-9);
            let f_he = le.forward_miss(x, 1.0, 0.0, 1e-4).unwrap();
            let f_nt = le.forward_miss(x, 0.0, 1.0, 1e-4).unwrap();
            assert!((f_he - he_closed(n, x)).abs() < 2e-3, "N′ {n} x {x}: forward HE {f_he}");
            assert!((f_nt - nt_closed(n, x)).abs() < 2e-3, "N′ {n} x {x}: forward n_T {f_nt}");
            println!(
                "{n}  {x:4.1}   {:+.5}  {f_he:+.5}  {:+.5}  |  {:+.5}  {f_nt:+.5}  {:+.5}",
                a.miss_per_lateral_velocity_s,
                he_closed(n, x),
                a.miss_per_target_accel_s2,
                nt_closed(n, x)
            );
        }
    }
}

#[test]
fn miss_scales_with_the_time_constant_squared_and_rejects_bad_input() {
    // Dimensional check of the closed form: the step-manoeuvre miss is n_T·T²·f(t_F/T).
    let a = LinearEngagement::new(4.0, 0.5).unwrap().forward_miss(1.0, 0.0, 1.0, 1e-5).unwrap();
    let b = LinearEngagement::new(4.0, 1.0).unwrap().forward_miss(2.0, 0.0, 1.0, 2e-5).unwrap();
    assert!((b / a - 4.0).abs() < 1e-3, "{a} {b}");
    assert!(LinearEngagement::new(0.0, 1.0).is_err() && LinearEngagement::new(3.0, -1.0).is_err());
    let le = LinearEngagement::new(3.0, 1.0).unwrap();
    assert!(le.forward_miss(f64::NAN, 0.0, 1.0, 1e-3).is_none() && le.adjoint(1.0, 0.0).is_none());
    assert!(LinearEngagement::new(3.0, 0.0).unwrap().adjoint(1.0, 1e-3).is_none());
}
