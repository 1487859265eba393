#!/usr/bin/env python3
"""Scenario generator of the peer benchmark (numpy only, seeded, deterministic).

For each (N targets, clutter rate, seed) writes into OUT/n{N}_c{C}_s{seed}/:

- truth.csv:      t_s,truth_id,x_m,y_m           (one row per target per scan)
- detections.csv: scan,t_s,bearing_rad,range_m,truth_id   (truth_id empty for clutter)

Scenario (the issue's): N targets, nearly constant velocity in 2-D, starting 10-90 km from a
radar at the origin (uniform range, uniform bearing), speed 150-300 m/s (uniform), heading
uniform. Motion: Stone Soup's ConstantVelocity semantics, per axis x(k+1) = F x(k) + w with
F = [[1, T], [0, 1]] and w ~ N(0, q [[T^3/3, T^2/2], [T^2/2, T]]), q = 1 m^2/s^3, T = 1 s
(continuous white-noise acceleration; Bar-Shalom, Li & Kirubarajan 2001, sec. 6.2.2).
Radar: bearing = atan2(y, x) (as Stone Soup's CartesianToBearingRange), sigma 0.2 deg,
range sigma 50 m, P_D = 0.9, one scan per second. Clutter: Poisson(C) points per scan, uniform
over [-100 km, 100 km]^2, converted to noise-free bearing/range. Detections are shuffled
within each scan so that no runner can use the file order.
"""
import argparse
import math
import os

import numpy as np

RANGE_MIN_M, RANGE_MAX_M = 10_000.0, 90_000.0
SPEED_MIN, SPEED_MAX = 150.0, 300.0
CLUTTER_HALF_M = 100_000.0


def wrap(a):
    """Angle wrapped to [-pi, pi)."""
    return (a + math.pi) % (2.0 * math.pi) - math.pi


def generate(n, clutter, seed, scans, out_dir, q=1.0, period_s=1.0, pd=0.9,
             sigma_bearing_deg=0.2, sigma_range_m=50.0):
    rng = np.random.default_rng([seed, n, int(round(clutter * 1000))])
    r0 = rng.uniform(RANGE_MIN_M, RANGE_MAX_M, n)
    b0 = rng.uniform(-math.pi, math.pi, n)
    v0 = rng.uniform(SPEED_MIN, SPEED_MAX, n)
    h0 = rng.uniform(-math.pi, math.pi, n)
    # state per target: [x, vx, y, vy]
    x = np.stack([r0 * np.cos(b0), v0 * np.cos(h0), r0 * np.sin(b0), v0 * np.sin(h0)], axis=1)
    T = period_s
    F = np.array([[1.0, T], [0.0, 1.0]])
    Q = q * np.array([[T ** 3 / 3.0, T ** 2 / 2.0], [T ** 2 / 2.0, T]])
    L = np.linalg.cholesky(Q)
    sb, sr = math.radians(sigma_bearing_deg), sigma_range_m

    os.makedirs(out_dir, exist_ok=True)
    truth_rows = ["t_s,truth_id,x_m,y_m"]
    det_rows = ["scan,t_s,bearing_rad,range_m,truth_id"]
    for k in range(scans):
        t = k * T
        if k > 0:
            for ax in (0, 2):
                w = rng.standard_normal((n, 2)) @ L.T
                x[:, ax:ax + 2] = x[:, ax:ax + 2] @ F.T + w
        dets = []
        for i in range(n):
            truth_rows.append(f"{t:.6f},{i},{x[i, 0]:.4f},{x[i, 2]:.4f}")
        detected = rng.uniform(size=n) < pd
        nb = rng.standard_normal(n) * sb
        nr = rng.standard_normal(n) * sr
        for i in range(n):
            if detected[i]:
                b = wrap(math.atan2(x[i, 2], x[i, 0]) + nb[i])
                r = math.hypot(x[i, 0], x[i, 2]) + nr[i]
                dets.append((b, r, str(i)))
        nc = rng.poisson(clutter) if clutter > 0 else 0
        cx = rng.uniform(-CLUTTER_HALF_M, CLUTTER_HALF_M, nc)
        cy = rng.uniform(-CLUTTER_HALF_M, CLUTTER_HALF_M, nc)
        for j in range(nc):
            dets.append((math.atan2(cy[j], cx[j]), math.hypot(cx[j], cy[j]), ""))
        for j in rng.permutation(len(dets)):
            b, r, tid = dets[j]
            det_rows.append(f"{k},{t:.6f},{b:.12f},{r:.4f},{tid}")
    with open(os.path.join(out_dir, "truth.csv"), "w") as f:
        f.write("\n".join(truth_rows) + "\n")
    with open(os.path.join(out_dir, "detections.csv"), "w") as f:
        f.write("\n".join(det_rows) + "\n")


def case_dir(out, n, clutter, seed):
    return os.path.join(out, f"n{n}_c{clutter:g}_s{seed}")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True, help="scratch directory for the case folders")
    ap.add_argument("--n", type=int, nargs="+", default=[10, 50, 100, 200, 500], help="target counts")
    ap.add_argument("--clutter", type=float, nargs="+", default=[0, 20, 100], help="mean clutter per scan")
    ap.add_argument("--seeds", type=int, nargs="+", default=[1])
    ap.add_argument("--scans", type=int, default=100, help="scans per case (1 s apart)")
    a = ap.parse_args()
    for n in a.n:
        for c in a.clutter:
            for s in a.seeds:
                d = case_dir(a.out, n, c, s)
                generate(n, c, s, a.scans, d)
                print(d)


if __name__ == "__main__":
    main()
