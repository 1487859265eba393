//! Impact-point prediction against closed forms we did not write.
use bulwark_c2::impact::{
    Atmosphere, BallisticState, EARTH_MEAN_RADIUS_M, Gravity, ImpactParams, MU_EARTH, StateSigma, predict_impact,
    predict_impact_with_footprint,
};
use bulwark_core::Vec3;

fn launch(speed: f64, elevation_deg: f64, height: f64) -> BallisticState {
    let (s, c) = elevation_deg.to_radians().sin_cos();
    BallisticState { position: Vec3::new(0.0, 0.0, height), velocity: Vec3::new(speed * c, 0.0, speed * s) }
}

/// Oracle: the vacuum range over flat ground R = v²·sin(2θ)/g and time of flight T = 2·v·sinθ/g
/// (e.g. Halliday, Resnick & Walker, *Fundamentals of Physics*, ch. 4, "horizontal range").
/// With uniform gravity the RK4 step and the cubic Hermite root are exact for a parabola, so the
/// tolerance is rounding: 1e-9 relative.
#[test]
fn flat_earth_vacuum_range_is_the_textbook_closed_form() {
    let g = 9.806_65;
    let params = ImpactParams { gravity: Gravity::Uniform { g_mps2: g }, step_s: 0.37, ..Default::default() };
    for &v in &[50.0, 300.0, 1200.0] {
        for &theta in &[10.0_f64, 30.0, 45.0, 60.0, 80.0] {
            let i = predict_impact(&launch(v, theta, 0.0), &params).unwrap();
            let r = v * v * (2.0 * theta.to_radians()).sin() / g;
            let t = 2.0 * v * theta.to_radians().sin() / g;
            assert!((i.ground_range_m - r).abs() <= 1e-9 * r, "v {v} θ {theta}: {} vs {r}", i.ground_range_m);
            assert!((i.position.x - r).abs() <= 1e-9 * r);
            assert!((i.time_to_impact_s - t).abs() <= 1e-9 * t);
            let h = (v * theta.to_radians().sin()).powi(2) / (2.0 * g);
            assert!((i.apogee_altitude_m - h).abs() <= 1e-9 * h, "apogee {} vs {h}", i.apogee_altitude_m);
        }
    }
}

/// The round-earth, inverse-square model approaches the flat closed form at short range
/// (g = μ/R² at the surface). Differences come from curvature (ground drops ≈ x²/2R) and from
/// g falling with height (Δg/g ≈ 2h/R); both are below 0.2 % for a 9 km, 2.3 km-apogee shot,
/// so the tolerance is 0.5 %.
#[test]
fn round_earth_matches_the_flat_closed_form_at_short_range() {
    let g = MU_EARTH / EARTH_MEAN_RADIUS_M.powi(2);
    let params = ImpactParams { step_s: 0.05, ..Default::default() };
    for &theta in &[20.0_f64, 45.0, 70.0] {
        let v = 300.0;
        let i = predict_impact(&launch(v, theta, 0.0), &params).unwrap();
        let r = v * v * (2.0 * theta.to_radians()).sin() / g;
        assert!((i.ground_range_m - r).abs() <= 0.005 * r, "θ {theta}: {} vs {r}", i.ground_range_m);
    }
}

/// Oracle: the free-flight range equation of Bate, Mueller & White, *Fundamentals of
/// Astrodynamics* (Dover, 1971), §6.2: for burnout radius r, speed v and flight-path angle φ,
/// Q = v²·r/μ and cos(Ψ/2) = (1 − Q·cos²φ) / √(1 + Q·(Q − 2)·cos²φ), Ψ being the range angle
/// between burnout and re-entry at the same radius (non-rotating spherical earth).
/// Time of flight from Kepler's equation (same book, §4.2): a = r/(2 − Q),
/// t = 2·√(a³/μ)·(π − E + e·sin E) with cos E = (e + cos ν)/(1 + e·cos ν) at burnout.
/// Tolerance: 1e-6 relative on Ψ (a few metres over thousands of km) and 1e-5 on t, the RK4
/// truncation at a 0.5 s step being far smaller.
#[test]
fn round_earth_range_matches_the_free_flight_range_equation() {
    let r_e = EARTH_MEAN_RADIUS_M;
    let h_bo = 100e3;
    let r = r_e + h_bo;
    let params = ImpactParams { step_s: 0.5, impact_altitude_m: h_bo, ..Default::default() };
    for &(v, phi_deg) in &[(2_000.0, 45.0_f64), (4_000.0, 30.0), (6_000.0, 25.0), (6_500.0, 40.0)] {
        let phi = phi_deg.to_radians();
        let q = v * v * r / MU_EARTH;
        let c2 = phi.cos().powi(2);
        let e = (1.0 + q * (q - 2.0) * c2).sqrt();
        let psi = 2.0 * ((1.0 - q * c2) / e).acos();
        let state = launch(v, phi_deg, h_bo);
        let i = predict_impact(&state, &params).unwrap();
        let centre = Vec3::new(0.0, 0.0, -r_e);
        let (a, b) = (state.position - centre, i.position - centre);
        let angle = a.cross(&b).norm().atan2(a.dot(&b));
        assert!((angle - psi).abs() <= 1e-6 * psi, "v {v} φ {phi_deg}: Ψ {angle} vs {psi}");
        assert!((i.ground_range_m - r * psi).abs() <= 1e-6 * r * psi);
        // Time of flight.
        let sma = r / (2.0 - q);
        let cos_nu = (q * c2 - 1.0) / e;
        let cos_ecc = (e + cos_nu) / (1.0 + e * cos_nu);
        let ecc_anom = cos_ecc.clamp(-1.0, 1.0).acos();
        let t = 2.0 * (sma.powi(3) / MU_EARTH).sqrt() * (std::f64::consts::PI - ecc_anom + e * ecc_anom.sin());
        assert!((i.time_to_impact_s - t).abs() <= 1e-5 * t, "v {v} φ {phi_deg}: t {} vs {t}", i.time_to_impact_s);
    }
}

/// Oracle: vertical fall from rest with quadratic drag in constant density under uniform gravity,
/// y(t) = h₀ − (v_t²/g)·ln cosh(g·t/v_t), v_t = √(2βg/ρ) (Taylor, *Classical Mechanics*, 2005,
/// §2.4), so the fall time is t = (v_t/g)·acosh(e^(g·h₀/v_t²)). Tolerance 1e-6 relative.
#[test]
fn drag_fall_time_matches_the_quadratic_drag_closed_form() {
    let g = 9.81;
    let rho = 1.2;
    for &(vt, h0) in &[(50.0, 1_000.0), (200.0, 5_000.0)] {
        let beta = vt * vt * rho / (2.0 * g);
        let params = ImpactParams {
            gravity: Gravity::Uniform { g_mps2: g },
            step_s: 0.02,
            ballistic_coefficient_kg_m2: Some(beta),
            atmosphere: Atmosphere { rho0_kg_m3: rho, scale_height_m: f64::INFINITY },
            ..Default::default()
        };
        let s = BallisticState { position: Vec3::new(0.0, 0.0, h0), velocity: Vec3::zeros() };
        let i = predict_impact(&s, &params).unwrap();
        let t = vt / g * ((g * h0 / (vt * vt)).exp()).acosh();
        assert!((i.time_to_impact_s - t).abs() <= 1e-6 * t, "{} vs {t}", i.time_to_impact_s);
        let v_imp = vt * (g * t / vt).tanh();
        assert!((i.velocity.z + v_imp).abs() <= 1e-5 * v_imp, "{} vs {v_imp}", i.velocity.z);
    }
}

/// Drag in the default exponential atmosphere shortens a re-entry's range against vacuum, and a
/// very large ballistic coefficient converges to vacuum.
#[test]
fn drag_shortens_range_and_vanishes_for_large_beta() {
    let s = BallisticState { position: Vec3::new(0.0, 0.0, 60e3), velocity: Vec3::new(1500.0, 0.0, -1500.0) };
    let vac = predict_impact(&s, &ImpactParams::default()).unwrap();
    let heavy =
        predict_impact(&s, &ImpactParams { ballistic_coefficient_kg_m2: Some(1e12), ..Default::default() }).unwrap();
    let light =
        predict_impact(&s, &ImpactParams { ballistic_coefficient_kg_m2: Some(5_000.0), ..Default::default() }).unwrap();
    assert!((heavy.ground_range_m - vac.ground_range_m).abs() < 1e-3);
    assert!(light.ground_range_m < vac.ground_range_m - 100.0, "{} vs {}", light.ground_range_m, vac.ground_range_m);
    assert!(light.time_to_impact_s > vac.time_to_impact_s);
}

/// Oracle: the linearised footprint of a flat-earth vacuum shot, from the closed form
/// x = x₀ + v_x·T, T = (v_z + √(v_z² + 2g·z₀))/g: ∂x/∂x₀ = 1, ∂x/∂z₀ = v_x/√(v_z² + 2g·z₀),
/// ∂x/∂v_x = T, ∂x/∂v_z = v_x·(1 + v_z/√(v_z² + 2g·z₀))/g; y = y₀ + v_y·T. With isotropic σ_p,
/// σ_v: σ_x² = σ_p²(1 + (∂x/∂z₀)²) + σ_v²(T² + (∂x/∂v_z)²), σ_y² = σ_p² + σ_v²·T².
/// Tolerance 1e-4 relative (the central differences' second-order error).
#[test]
fn footprint_matches_the_linearised_closed_form() {
    let g = 9.806_65;
    let params = ImpactParams { gravity: Gravity::Uniform { g_mps2: g }, step_s: 0.5, ..Default::default() };
    let (vx, vz, z0) = (800.0, 400.0, 3_000.0);
    let s = BallisticState { position: Vec3::new(0.0, 0.0, z0), velocity: Vec3::new(vx, 0.0, vz) };
    let sigma = StateSigma { position_m: 50.0, velocity_mps: 5.0 };
    let p = predict_impact_with_footprint(&s, &sigma.covariance(), &params).unwrap();
    let root = (vz * vz + 2.0 * g * z0).sqrt();
    let t = (vz + root) / g;
    let dx_dz0 = vx / root;
    let dx_dvz = vx * (1.0 + vz / root) / g;
    let sx2 =
        sigma.position_m.powi(2) * (1.0 + dx_dz0 * dx_dz0) + sigma.velocity_mps.powi(2) * (t * t + dx_dvz * dx_dvz);
    let sy2 = sigma.position_m.powi(2) + sigma.velocity_mps.powi(2) * t * t;
    let c = p.footprint.covariance_en;
    assert!((c[0][0] - sx2).abs() <= 1e-4 * sx2, "{} vs {sx2}", c[0][0]);
    assert!((c[1][1] - sy2).abs() <= 1e-4 * sy2, "{} vs {sy2}", c[1][1]);
    assert!(c[0][1].abs() <= 1e-6 * sx2);
    assert!((p.footprint.semi_major_m - sx2.max(sy2).sqrt()).abs() <= 1e-4 * sx2.sqrt());
    assert!((p.impact.time_to_impact_s - t).abs() <= 1e-9 * t);
}
