//! JPDA / JIPDA against oracles written independently here: brute-force enumeration of joint
//! events, the closed-form PDAF (Bar-Shalom & Tse 1975) and IPDA existence update (Mušicki,
//! Evans & Stanković 1994), and the textbook PDA state update with the spread-of-innovations
//! term (Bar-Shalom, Willett & Tian 2011, §3.4.3).
#![allow(clippy::needless_range_loop)] // index loops mirror the textbook formulas
use bulwark_core::{SensorId, TrackId};
use bulwark_tracking::{
    Cartesian, Detection, JpdaConfig, JpdaTracker, MeasurementModel, MultiTargetTracker, ShortestAugmentingPath,
    exact_marginals, kbest_marginals,
};
use nalgebra::DVector;
use proptest::prelude::*;
use std::f64::consts::PI;
use std::sync::Arc;

/// All feasible joint events by brute force over every choice vector in {0..=m}ⁿ
/// (0 = undetected), keeping those with no detection used twice.
fn brute_force(miss: &[f64], ratio: &[f64], n: usize, m: usize) -> Vec<f64> {
    let mut acc = vec![0.0; n * (m + 1)];
    let mut total = 0.0;
    let combos = (m + 1).pow(n as u32);
    for code in 0..combos {
        let choice: Vec<usize> = (0..n).map(|t| (code / (m + 1).pow(t as u32)) % (m + 1)).collect();
        let mut seen = vec![false; m + 1];
        let mut ok = true;
        let mut w = 1.0;
        for (t, &c) in choice.iter().enumerate() {
            if c == 0 {
                w *= miss[t];
            } else {
                ok &= !seen[c];
                seen[c] = true;
                w *= ratio[t * m + c - 1];
            }
        }
        if ok {
            total += w;
            for (t, &c) in choice.iter().enumerate() {
                acc[t * (m + 1) + c] += w;
            }
        }
    }
    acc.iter().map(|v| v / total).collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]
    #[test]
    fn exact_marginals_equal_brute_force(
        (n, m, miss, ratio) in (1usize..=4, 0usize..=4).prop_flat_map(|(n, m)| (
            Just(n), Just(m),
            prop::collection::vec(0.01f64..1.0, n),
            prop::collection::vec(prop_oneof![1 => Just(0.0), 3 => 0.0f64..50.0], n * m),
        ))
    ) {
        let got = exact_marginals(&miss, &ratio, n, m, 100_000).unwrap();
        let want = brute_force(&miss, &ratio, n, m);
        for (g, w) in got.beta.iter().zip(&want) {
            prop_assert!((g - w).abs() < 1e-12, "{:?} vs {:?}", got.beta, want);
        }
        // With every event kept, the k-best approximation is exact too.
        let kb = kbest_marginals(&miss, &ratio, n, m, 1_000_000, &ShortestAugmentingPath).unwrap();
        for (g, w) in kb.beta.iter().zip(&want) {
            prop_assert!((g - w).abs() < 1e-9);
        }
    }
}

const SIGMA: f64 = 10.0;
const SIGMA_V: f64 = 30.0;
const Q: f64 = 1.0;
const PD: f64 = 0.9;
const LAMBDA: f64 = 1e-7;
/// scipy.stats.chi2.cdf(chi2.ppf(0.999, 3), 3) = 0.999: the default gate.
const PG: f64 = 0.999;

fn model() -> Arc<dyn MeasurementModel> {
    Arc::new(Cartesian::new(SIGMA).unwrap())
}

fn det(t: f64, p: [f64; 3]) -> Detection {
    Detection { t_s: t, z: DVector::from_column_slice(&p), model: model(), sensor: SensorId(1) }
}

fn config(jipda: bool) -> JpdaConfig {
    let mut c = JpdaConfig::constant_velocity(Q, PD, LAMBDA, jipda);
    c.init_velocity_sigma_mps = SIGMA_V;
    c
}

/// Independent per-axis Kalman quantities of a track started at `p0` (velocity 0, P =
/// diag(σ², σᵥ²)) predicted by Δt under CWNA q: P⁻ per axis [[pp, pv], [pv, vv]], S = pp + σ².
struct Axis {
    pp: f64,
    pv: f64,
    vv: f64,
    s: f64,
}

fn axis(dt: f64) -> Axis {
    let pp = SIGMA * SIGMA + dt * dt * SIGMA_V * SIGMA_V + Q * dt.powi(3) / 3.0;
    let pv = dt * SIGMA_V * SIGMA_V + Q * dt * dt / 2.0;
    let vv = SIGMA_V * SIGMA_V + Q * dt;
    Axis { pp, pv, vv, s: pp + SIGMA * SIGMA }
}

/// Textbook PDA update (Bar-Shalom et al. 2011, eqs. 3.4.3-1 … -7) of one axis-separable
/// track: x = x⁻ + K ν, ν = Σ β_j ν_j, P = β₀ P⁻ + (1 − β₀) P^c + K (Σ β_j ν_j ν_jᵀ − ν νᵀ) Kᵀ.
/// Returns (mean [x, y, z, vx, vy, vz], covariance 6×6 row-major).
fn pda_update(prior: [f64; 6], a: &Axis, beta0: f64, beta: &[f64], nus: &[[f64; 3]]) -> ([f64; 6], [[f64; 6]; 6]) {
    let (kp, kv) = (a.pp / a.s, a.pv / a.s);
    let mut nu = [0.0; 3];
    for (b, v) in beta.iter().zip(nus) {
        for k in 0..3 {
            nu[k] += b * v[k];
        }
    }
    let mut mean = prior;
    for k in 0..3 {
        mean[k] += kp * nu[k];
        mean[k + 3] += kv * nu[k];
    }
    // Spread term: spread[k][l] = Σ β_j ν_jk ν_jl − ν_k ν_l.
    let mut spread = [[0.0; 3]; 3];
    for (b, v) in beta.iter().zip(nus) {
        for k in 0..3 {
            for l in 0..3 {
                spread[k][l] += b * v[k] * v[l];
            }
        }
    }
    for k in 0..3 {
        for l in 0..3 {
            spread[k][l] -= nu[k] * nu[l];
        }
    }
    let prior_blk = [[a.pp, a.pv], [a.pv, a.vv]];
    let gain = [kp, kv];
    let mut cov = [[0.0; 6]; 6];
    for k in 0..3 {
        for l in 0..3 {
            for r in 0..2 {
                for c in 0..2 {
                    let mut v = gain[r] * spread[k][l] * gain[c];
                    if k == l {
                        let pc = prior_blk[r][c] - gain[r] * a.s * gain[c];
                        v += beta0 * prior_blk[r][c] + (1.0 - beta0) * pc;
                    }
                    cov[k + 3 * r][l + 3 * c] = v;
                }
            }
        }
    }
    (mean, cov)
}

fn assert_track(t: &bulwark_tracking::Track, mean: [f64; 6], cov: [[f64; 6]; 6]) {
    for i in 0..6 {
        assert!((t.state[i] - mean[i]).abs() < 1e-9 * (1.0 + mean[i].abs()), "mean {i}: {} vs {}", t.state[i], mean[i]);
        for j in 0..6 {
            let (g, w) = (t.covariance[(i, j)], cov[i][j]);
            assert!((g - w).abs() < 1e-9 * (1.0 + w.abs()), "cov ({i},{j}): {g} vs {w}");
        }
    }
}

fn density(nu: [f64; 3], s: f64) -> f64 {
    let d2 = nu.iter().map(|v| v * v).sum::<f64>() / s;
    (-0.5 * d2).exp() / (2.0 * PI * s).powf(1.5)
}

#[test]
fn two_tracks_three_detections_equal_brute_force_and_textbook_update() {
    // Scan 1 starts tracks 1 at (0, 0, 1000) and 2 at (200, 0, 1000). Scan 2, 1 s later:
    // detection 0 near track 1 only, detection 1 half-way (in both gates), detection 2 near 2.
    let mut tr = JpdaTracker::new(config(false)).unwrap();
    tr.process(0.0, &[det(0.0, [0.0, 0.0, 1000.0]), det(0.0, [200.0, 0.0, 1000.0])]);
    let z = [[10.0, 5.0, 1000.0], [100.0, -10.0, 1003.0], [190.0, 8.0, 998.0]];
    tr.process(1.0, &z.iter().map(|p| det(1.0, *p)).collect::<Vec<_>>());
    let a = axis(1.0);
    let gamma = 16.26623619623813; // scipy chi2.ppf(0.999, 3)
    let starts = [[0.0, 0.0, 1000.0], [200.0, 0.0, 1000.0]];
    let nu = |t: usize, j: usize| [z[j][0] - starts[t][0], z[j][1] - starts[t][1], z[j][2] - starts[t][2]];
    let d2 = |t: usize, j: usize| nu(t, j).iter().map(|v| v * v).sum::<f64>() / a.s;
    let mut ratio = vec![0.0; 6];
    for t in 0..2 {
        for j in 0..3 {
            if d2(t, j) <= gamma {
                ratio[t * 3 + j] = PD * density(nu(t, j), a.s) / LAMBDA;
            }
        }
    }
    assert_eq!(ratio.iter().filter(|r| **r > 0.0).count(), 4, "gates as designed: {ratio:?}");
    let miss = [1.0 - PD * PG; 2];
    let beta = brute_force(&miss, &ratio, 2, 3);
    let marg = exact_marginals(&miss, &ratio, 2, 3, 100).unwrap();
    assert_eq!(marg.events, 8, "1 + 2 + 2 + (2·2 − 1) feasible events");
    for (g, w) in marg.beta.iter().zip(&beta) {
        assert!((g - w).abs() < 1e-12);
    }
    for t in 0..2 {
        let id = TrackId(t as u64 + 1);
        let track = tr.track(id).unwrap();
        let b = &beta[t * 4..t * 4 + 4];
        let nus: Vec<[f64; 3]> = (0..3).map(|j| nu(t, j)).collect();
        let prior = [starts[t][0], starts[t][1], starts[t][2], 0.0, 0.0, 0.0];
        let (mean, cov) = pda_update(prior, &a, b[0], &b[1..], &nus);
        assert_track(track, mean, cov);
        assert_eq!(track.last_update_t, 1.0);
    }
}

#[test]
fn single_track_probabilities_equal_the_closed_form_pdaf() {
    // PDAF (Bar-Shalom & Tse 1975; Bar-Shalom et al. 2011 eq. 3.4.3-12, parametric):
    // β_j = e_j / (b + Σ e_k), β₀ = b / (b + Σ e_k), e_j = exp(−d_j²/2),
    // b = λ √|2πS| (1 − P_D P_G) / P_D.
    let mut tr = JpdaTracker::new(config(false)).unwrap();
    tr.process(0.0, &[det(0.0, [0.0, 0.0, 1000.0])]);
    let z = [[20.0, -5.0, 1010.0], [-40.0, 30.0, 990.0], [5.0, 60.0, 1000.0]];
    tr.process(1.0, &z.iter().map(|p| det(1.0, *p)).collect::<Vec<_>>());
    let a = axis(1.0);
    let nus: Vec<[f64; 3]> = z.iter().map(|p| [p[0], p[1], p[2] - 1000.0]).collect();
    let e: Vec<f64> = nus.iter().map(|v| (-0.5 * v.iter().map(|x| x * x).sum::<f64>() / a.s).exp()).collect();
    let b = LAMBDA * (2.0 * PI * a.s).powf(1.5) * (1.0 - PD * PG) / PD;
    let den = b + e.iter().sum::<f64>();
    let beta: Vec<f64> = e.iter().map(|v| v / den).collect();
    let miss = [1.0 - PD * PG];
    let ratio: Vec<f64> = nus.iter().map(|v| PD * density(*v, a.s) / LAMBDA).collect();
    let marg = exact_marginals(&miss, &ratio, 1, 3, 100).unwrap();
    assert!((marg.miss(0) - b / den).abs() < 1e-12);
    for j in 0..3 {
        assert!((marg.assoc(0, j) - beta[j]).abs() < 1e-12);
    }
    let (mean, cov) = pda_update([0.0, 0.0, 1000.0, 0.0, 0.0, 0.0], &a, b / den, &beta, &nus);
    assert_track(tr.track(TrackId(1)).unwrap(), mean, cov);
}

#[test]
fn jipda_single_track_equals_the_ipda_closed_form() {
    // IPDA (Mušicki, Evans & Stanković 1994, IEEE TAC 39(6), eqs. 22–26): with P(χ⁻) = p_S P(χ),
    // δ = P_D P_G − P_D Σ_j N_j / λ, P(χ | Z) = (1 − δ) P(χ⁻) / (1 − δ P(χ⁻)); the state is
    // the PDA update with β₀ = (1 − P_D P_G)/(1 − δ), β_j = P_D N_j / λ / (1 − δ).
    let cfg = config(true);
    let (ps, e0) = (cfg.survival_probability, cfg.initial_existence);
    let mut tr = JpdaTracker::new(cfg).unwrap();
    tr.process(0.0, &[det(0.0, [0.0, 0.0, 1000.0])]);
    let z = [[20.0, -5.0, 1010.0], [-40.0, 30.0, 990.0]];
    tr.process(1.0, &z.iter().map(|p| det(1.0, *p)).collect::<Vec<_>>());
    let a = axis(1.0);
    let nus: Vec<[f64; 3]> = z.iter().map(|p| [p[0], p[1], p[2] - 1000.0]).collect();
    let lr: Vec<f64> = nus.iter().map(|v| PD * density(*v, a.s) / LAMBDA).collect();
    let delta = PD * PG - lr.iter().sum::<f64>();
    let prior = ps * e0;
    let post = (1.0 - delta) * prior / (1.0 - delta * prior);
    let track = tr.track(TrackId(1)).unwrap();
    assert!((track.quality - post).abs() < 1e-12, "existence {} vs IPDA {post}", track.quality);
    let beta: Vec<f64> = lr.iter().map(|l| l / (1.0 - delta)).collect();
    let (mean, cov) = pda_update([0.0, 0.0, 1000.0, 0.0, 0.0, 0.0], &a, (1.0 - PD * PG) / (1.0 - delta), &beta, &nus);
    assert_track(track, mean, cov);
    // A scan with nothing in the gate: P(χ | Z) = P(χ⁻)(1 − P_D P_G)/(1 − P_D P_G P(χ⁻)).
    let before = tr.track(TrackId(1)).unwrap().quality * ps;
    let mut boxed: Box<dyn MultiTargetTracker> = Box::new(tr);
    boxed.process_scan(2.0, &[]);
    let q = boxed.live_tracks().find(|t| t.id == TrackId(1)).map(|t| t.quality);
    let want = before * (1.0 - PD * PG) / (1.0 - PD * PG * before);
    assert!(q.is_some_and(|q| (q - want).abs() < 1e-12), "{q:?} vs {want}");
}

#[test]
fn bad_input_and_config_do_not_panic() {
    let mut c = config(false);
    c.pd = 0.0;
    assert!(JpdaTracker::new(c).is_err());
    let mut c = config(true);
    c.clutter_density = f64::NAN;
    assert!(JpdaTracker::new(c).is_err());
    let mut tr = JpdaTracker::new(config(true)).unwrap();
    let bad =
        Detection { t_s: 0.0, z: DVector::from_vec(vec![1.0, f64::NAN, 0.0]), model: model(), sensor: SensorId(1) };
    let short = Detection { t_s: 0.0, z: DVector::from_vec(vec![1.0]), model: model(), sensor: SensorId(1) };
    let rep = tr.process(0.0, &[bad, short]);
    assert_eq!(rep.rejected.len(), 2);
    assert_eq!(tr.tracks().count(), 0);
    assert!(tr.process(f64::NAN, &[]).events.is_empty());
}
