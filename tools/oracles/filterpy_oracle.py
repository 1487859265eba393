#!/usr/bin/env python3
"""FilterPy reference runs for bulwark-tracking's filter layer (crates/bulwark-tracking/src/filter).

Writes crates/bulwark-tracking/tests/data/filterpy_<case>.json, read by tests/filters_filterpy.rs.
Installs nothing; run it in a venv with the pinned versions:

    python3 -m venv /work/venvs/filters
    /work/venvs/filters/bin/pip install filterpy==1.4.5 numpy==2.4.6 scipy==1.17.1
    /work/venvs/filters/bin/python tools/oracles/filterpy_oracle.py

Every model here is written from the textbook formulas in Python, independently of the Rust
code: F and Q of CV/CA come from FilterPy's own Q_continuous_white_noise; the coordinated turn
(Bar-Shalom et al. 2001, eq. 11.7.1-4) and its Jacobian are re-derived below. Measurements are
simulated with a fixed numpy seed and stored with the outputs, so the Rust tests replay the
exact sequence. Floats are written with repr() (round-trip exact).
"""
import json
import os

import filterpy
import numpy as np
import scipy
from filterpy.common import Q_continuous_white_noise
from filterpy.kalman import (ExtendedKalmanFilter, IMMEstimator, KalmanFilter, MerweScaledSigmaPoints,
                             UnscentedKalmanFilter)

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "crates", "bulwark-tracking", "tests", "data")
RNG = np.random.default_rng(20240611)


def rows(m):
    return [float(v) for v in np.ravel(np.asarray(m))]  # row-major


def save(name, case):
    case["source"] = f"filterpy {filterpy.__version__}, numpy {np.__version__}, scipy {scipy.__version__}"
    with open(os.path.join(OUT, f"filterpy_{name}.json"), "w") as f:
        json.dump(case, f, indent=1)
        f.write("\n")


def wrap(a):
    a = np.mod(a, 2 * np.pi)
    return a - 2 * np.pi if a > np.pi else a


# ---- linear models, axis blocks from FilterPy ------------------------------------------------
def cv_fq(dt, q):
    F = np.eye(6)
    F[0, 3] = F[1, 4] = F[2, 5] = dt
    Q = Q_continuous_white_noise(dim=2, dt=dt, spectral_density=q, block_size=3, order_by_dim=False)
    return F, Q


def ca_fq(dt, q):
    # native CA order [x, y, z, vx, vy, vz, ax, ay, az] = order_by_dim=False with block_size 3
    F = np.eye(9)
    for i in range(3):
        F[i, i + 3] = dt
        F[i, i + 6] = dt * dt / 2
        F[i + 3, i + 6] = dt
    Q = Q_continuous_white_noise(dim=3, dt=dt, spectral_density=q, block_size=3, order_by_dim=False)
    return F, Q


# ---- 1. KF, CV, Cartesian with a correlated R, uneven steps --------------------------------
def kf_case(name, fq, q, x0, P0, truth_acc):
    n = len(x0)
    kf = KalmanFilter(dim_x=n, dim_z=3)
    kf.x = np.array(x0, dtype=float).reshape(n, 1)
    kf.P = np.diag(P0).astype(float)
    kf.H = np.hstack([np.eye(3), np.zeros((3, n - 3))])
    kf.R = np.array([[25.0, 5.0, 0.0], [5.0, 36.0, -3.0], [0.0, -3.0, 16.0]])
    times = [1.0, 2.5, 3.0, 5.0, 5.5, 7.0, 7.1, 9.0]
    p, v, a = np.array(x0[:3]), np.array(x0[3:6]), np.array(truth_acc)
    steps, t = [], 0.0
    for tk in times:
        dt = tk - t
        t = tk
        p, v = p + v * dt + a * dt * dt / 2, v + a * dt
        z = p + RNG.multivariate_normal(np.zeros(3), kf.R)
        kf.F, kf.Q = fq(dt, q)
        kf.predict()
        kf.update(z.reshape(3, 1))  # FilterPy 1.4.5 KalmanFilter.update: Joseph form
        steps.append({"t": tk, "z": rows(z), "x": rows(kf.x), "P": rows(kf.P)})
    save(name, {"q": q, "x0": x0, "P0_diag": P0, "R": rows(kf.R), "steps": steps})


kf_case("kf_cv", cv_fq, 0.5, [0.0, 0.0, 1000.0, 100.0, -50.0, 5.0], [1e4] * 3 + [2500.0] * 3, [0.0, 0.0, 0.0])
kf_case("kf_ca", ca_fq, 0.2, [0.0, 0.0, 1000.0, 100.0, -50.0, 5.0, 0.0, 0.0, 0.0],
        [1e4] * 3 + [2500.0] * 3 + [100.0] * 3, [3.0, -2.0, 0.5])


# ---- coordinated turn, native state [x, y, z, vx, vy, vz, w] --------------------------------
def ct_f(x, dt):
    x = np.ravel(x)
    w = x[6]
    u = w * dt
    if abs(u) < 1e-9:
        s, c = dt, 0.0
    else:
        s, c = np.sin(u) / w, (1 - np.cos(u)) / w
    vx, vy = x[3], x[4]
    return np.array([x[0] + s * vx - c * vy, x[1] + c * vx + s * vy, x[2] + dt * x[5],
                     np.cos(u) * vx - np.sin(u) * vy, np.sin(u) * vx + np.cos(u) * vy, x[5], w])


def ct_jac(x, dt):
    x = np.ravel(x)
    w = x[6]
    u = w * dt
    su, cu = np.sin(u), np.cos(u)
    s, c = su / w, (1 - cu) / w
    ds, dc = (u * cu - su) / w ** 2, (u * su - (1 - cu)) / w ** 2
    vx, vy = x[3], x[4]
    F = np.eye(7)
    F[0, 3], F[0, 4], F[0, 6] = s, -c, ds * vx - dc * vy
    F[1, 3], F[1, 4], F[1, 6] = c, s, dc * vx + ds * vy
    F[2, 5] = dt
    F[3, 3], F[3, 4], F[3, 6] = cu, -su, -dt * (su * vx + cu * vy)
    F[4, 3], F[4, 4], F[4, 6] = su, cu, dt * (cu * vx - su * vy)
    return F


def ct_q(dt, qh, qz, qw):
    Q = np.zeros((7, 7))
    for i, q in ((0, qh), (1, qh), (2, qz)):
        Q[i, i], Q[i, i + 3], Q[i + 3, i], Q[i + 3, i + 3] = q * dt ** 3 / 3, q * dt ** 2 / 2, q * dt ** 2 / 2, q * dt
    Q[6, 6] = qw * dt
    return Q


SX, SY = 300.0, -50.0


def hx_br(x):
    x = np.ravel(x)
    dx, dy = x[0] - SX, x[1] - SY
    return np.array([np.arctan2(dy, dx), np.hypot(dx, dy)])


def hj_br(x):
    x = np.ravel(x)
    dx, dy = x[0] - SX, x[1] - SY
    r2 = dx * dx + dy * dy
    H = np.zeros((2, 7))
    H[0, 0], H[0, 1] = -dy / r2, dx / r2
    H[1, 0], H[1, 1] = dx / np.sqrt(r2), dy / np.sqrt(r2)
    return H


def res_br(z, zp):
    y = np.ravel(z) - np.ravel(zp)
    y[0] = wrap(y[0])
    return y


# A target west of the sensor turning across the ±π bearing seam.
CT_TRUTH0 = np.array([-3000.0, -400.0, 500.0, 30.0, 60.0, 1.0, 0.04])
CT_X0 = [-2980.0, -420.0, 500.0, 25.0, 55.0, 0.0, 0.03]
CT_P0 = [400.0, 400.0, 100.0, 100.0, 100.0, 4.0, 1e-3]
CT_R = np.diag([0.01 ** 2, 5.0 ** 2])
CT_Q = (0.5, 0.1, 1e-4)
ct_times = [1.0, 2.0, 3.0, 4.5, 6.0, 7.0, 8.0, 10.0, 11.0, 12.0]
truth, t, ct_meas = CT_TRUTH0.copy(), 0.0, []
for tk in ct_times:
    truth = ct_f(truth, tk - t)
    t = tk
    z = hx_br(truth) + RNG.multivariate_normal(np.zeros(2), CT_R)
    z[0] = wrap(z[0])
    ct_meas.append((tk, z))

# ---- 2. EKF with the CT model (FilterPy's EKF with predict_x = f) ---------------------------
class CtEkf(ExtendedKalmanFilter):
    dt = 0.0

    def predict_x(self, u=0):
        self.x = ct_f(self.x, self.dt).reshape(7, 1)


ekf = CtEkf(dim_x=7, dim_z=2)
ekf.x = np.array(CT_X0).reshape(7, 1)
ekf.P = np.diag(CT_P0)
ekf.R = CT_R
steps, t = [], 0.0
for tk, z in ct_meas:
    ekf.dt = tk - t
    t = tk
    ekf.F = ct_jac(ekf.x, ekf.dt)  # F at the prior mean, before predict_x moves it
    ekf.Q = ct_q(ekf.dt, *CT_Q)
    ekf.predict()
    ekf.update(z.reshape(2, 1), hj_br, lambda x: hx_br(x).reshape(2, 1),
               residual=lambda a, b: res_br(a, b).reshape(2, 1))  # Joseph form in FilterPy's EKF
    steps.append({"t": tk, "z": rows(z), "x": rows(ekf.x), "P": rows(ekf.P)})
save("ekf_ct", {"sensor": [SX, SY], "q": list(CT_Q), "x0": CT_X0, "P0_diag": CT_P0, "R": rows(CT_R),
                "steps": steps})

# ---- 3. UKF with the CT model, Merwe points -------------------------------------------------
ALPHA, BETA, KAPPA = 0.5, 2.0, 0.0
pts = MerweScaledSigmaPoints(7, alpha=ALPHA, beta=BETA, kappa=KAPPA)


def z_mean(sigmas, wm):
    # Angle-safe mean about the central point: z0 + sum w_i r(z_i, z0) (what bulwark's UKF does).
    z0 = sigmas[0]
    acc = np.zeros(2)
    for s, w in zip(sigmas, wm):
        acc += w * res_br(s, z0)
    return z0 + acc


ukf = UnscentedKalmanFilter(dim_x=7, dim_z=2, dt=1.0, hx=hx_br, fx=ct_f, points=pts,
                            residual_z=res_br, z_mean_fn=z_mean)
ukf.x = np.array(CT_X0)
ukf.P = np.diag(CT_P0)
ukf.R = CT_R
steps, t = [], 0.0
for tk, z in ct_meas:
    dt = tk - t
    t = tk
    ukf.Q = ct_q(dt, *CT_Q)
    ukf.predict(dt=dt)
    # Draw the update's sigma points afresh from (x⁻, P⁻) (bulwark's convention; FilterPy's
    # default reuses f(σ) from the prediction, which do not carry Q).
    ukf.compute_process_sigmas(0.0, fx=lambda x, dt: x)
    ukf.update(z)
    steps.append({"t": tk, "z": rows(z), "x": rows(ukf.x), "P": rows(ukf.P)})
save("ukf_ct", {"sensor": [SX, SY], "q": list(CT_Q), "alpha": ALPHA, "beta": BETA, "kappa": KAPPA,
                "x0": CT_X0, "P0_diag": CT_P0, "R": rows(CT_R), "steps": steps})


# ---- 4. IMM over CV and CA in the common 10-D layout [p, v, a, w] ---------------------------
def cv10(dt, q):
    F6, Q6 = cv_fq(dt, q)
    F, Q = np.zeros((10, 10)), np.zeros((10, 10))
    F[:6, :6], Q[:6, :6] = F6, Q6  # a and w reset to 0
    return F, Q


def ca10(dt, q):
    F9, Q9 = ca_fq(dt, q)
    F, Q = np.zeros((10, 10)), np.zeros((10, 10))
    F[:9, :9], Q[:9, :9] = F9, Q9  # w reset to 0
    return F, Q


Q_CV, Q_CA, DT = 1.0, 5.0, 1.0
M = np.array([[0.95, 0.05], [0.10, 0.90]])
R3 = np.diag([100.0, 100.0, 400.0])
x0 = np.array([0.0, 0.0, 3000.0, 200.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0])
P0 = np.diag([400.0, 400.0, 400.0, 100.0, 100.0, 100.0, 25.0, 25.0, 25.0, 1e-4])
filters = []
for fq, q in ((cv10, Q_CV), (ca10, Q_CA)):
    f = KalmanFilter(dim_x=10, dim_z=3)
    f.x = x0.reshape(10, 1).copy()
    f.P = P0.copy()
    f.F, f.Q = fq(DT, q)
    f.H = np.hstack([np.eye(3), np.zeros((3, 7))])
    f.R = R3
    filters.append(f)
imm = IMMEstimator(filters, np.array([0.8, 0.2]), M)
p, v, steps = x0[:3].copy(), x0[3:6].copy(), []
for k in range(14):
    acc = np.array([0.0, 40.0, 0.0]) if 5 <= k < 10 else np.zeros(3)  # a 4 g lateral push
    p, v = p + v * DT + acc * DT * DT / 2, v + acc * DT
    z = p + RNG.multivariate_normal(np.zeros(3), R3)
    imm.predict()
    imm.update(z.reshape(3, 1))
    steps.append({"t": (k + 1) * DT, "z": rows(z), "x": rows(imm.x), "P": rows(imm.P), "mu": rows(imm.mu)})
save("imm_cv_ca", {"q_cv": Q_CV, "q_ca": Q_CA, "dt": DT, "transition": rows(M), "mu0": [0.8, 0.2],
                   "R": rows(R3), "x0": rows(x0), "P0_diag": rows(np.diag(P0)), "steps": steps})
print("wrote", sorted(f for f in os.listdir(OUT) if f.startswith("filterpy_")))
