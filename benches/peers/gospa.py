#!/usr/bin/env python3
"""The one GOSPA evaluator of the peer benchmark, used for both trackers' outputs.

GOSPA (Rahmathullah, Garcia-Fernandez & Svensson, "Generalized optimal sub-pattern assignment
metric", FUSION 2017, eq. 1 with alpha = 2 and its Proposition 1 form): for truth positions X
and track positions Y at one scan,

    d = ( min over assignments gamma of  sum_{(i,j) in gamma} d(x_i, y_j)^p
          + c^p / 2 * (|X| + |Y| - 2 |gamma|) )^(1/p)

with d(x, y) the Euclidean 2-D position distance, pairs only where d < c. Equivalently: assign
with cost min(d, c)^p (a pair at >= c costs exactly as one miss plus one false track) and add
c^p / 2 for each point left over by the cardinality difference. Solved with
scipy.optimize.linear_sum_assignment. The benchmark reports the mean of d over all scans of
the truth file (c = 1000 m, p = 2, alpha = 2), with the mean localisation / missed / false parts.

    gospa.py --truth truth.csv --tracks tracks.csv [--json out.json]
    gospa.py --truth truth.csv --tracks tracks.csv --crosscheck   # also Stone Soup's GOSPAMetric

Tracks file: t_s,track_id,x_m,y_m,vx_mps,vy_mps (the confirmed tracks at each scan time).
"""
import argparse
import csv
import json
import sys
from collections import defaultdict

import numpy as np
from scipy.optimize import linear_sum_assignment


def gospa(truth_xy, track_xy, c=1000.0, p=2.0):
    """(distance, localisation, missed, false) for one scan, alpha = 2.

    localisation, missed and false are the p-th-power parts, as in Stone Soup:
    distance = (localisation + missed + false)^(1/p)."""
    m, n = len(truth_xy), len(track_xy)
    cp2 = c ** p / 2.0
    if m == 0 or n == 0:
        missed, false = cp2 * m, cp2 * n
        return (missed + false) ** (1.0 / p), 0.0, missed, false
    diff = np.asarray(truth_xy)[:, None, :] - np.asarray(track_xy)[None, :, :]
    dist = np.hypot(diff[..., 0], diff[..., 1])
    cost = np.minimum(dist, c) ** p
    rows, cols = linear_sum_assignment(cost)
    good = dist[rows, cols] < c
    loc = float(cost[rows, cols][good].sum())
    n_assigned = int(good.sum())
    missed = cp2 * (m - n_assigned)
    false = cp2 * (n - n_assigned)
    return (loc + missed + false) ** (1.0 / p), loc, missed, false


def read_by_time(path, id_col):
    """{round(t, 6): [(id, x, y), ...]} from a CSV with t_s, an id column, x_m, y_m."""
    out = defaultdict(list)
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            out[round(float(row["t_s"]), 6)].append((row[id_col], float(row["x_m"]), float(row["y_m"])))
    return out


def evaluate(truth_path, tracks_path, c=1000.0, p=2.0):
    truth = read_by_time(truth_path, "truth_id")
    tracks = read_by_time(tracks_path, "track_id")
    times = sorted(truth)
    unknown = set(tracks) - set(truth)
    if unknown:
        raise ValueError(f"{tracks_path}: {len(unknown)} track times not among the truth scan times")
    per_scan = []
    for t in times:
        X = [(x, y) for _, x, y in truth[t]]
        Y = [(x, y) for _, x, y in tracks.get(t, [])]
        per_scan.append(gospa(X, Y, c, p) + (len(Y),))
    a = np.array(per_scan)
    return {
        "scans": len(times),
        "c_m": c, "p": p, "alpha": 2,
        "mean_gospa_m": float(a[:, 0].mean()),
        "mean_localisation": float(a[:, 1].mean()),
        "mean_missed": float(a[:, 2].mean()),
        "mean_false": float(a[:, 3].mean()),
        "mean_tracks": float(a[:, 4].mean()),
        "mean_truths": float(np.mean([len(truth[t]) for t in times])),
        "per_scan_gospa_m": [float(v) for v in a[:, 0]],
    }


def stonesoup_mean(truth_path, tracks_path, c=1000.0, p=2.0):
    """Mean GOSPA distance by Stone Soup's own GOSPAMetric over the same scans."""
    import datetime
    from stonesoup.metricgenerator.ospametric import GOSPAMetric
    from stonesoup.types.state import State

    t0 = datetime.datetime(2025, 1, 1)
    truth = read_by_time(truth_path, "truth_id")
    tracks = read_by_time(tracks_path, "track_id")
    metric = GOSPAMetric(c=c, p=p)

    def states(rows, t):
        ts = t0 + datetime.timedelta(seconds=t)
        return [State([[x], [y]], timestamp=ts) for _, x, y in rows]

    vals = []
    for t in sorted(truth):
        res, _ = metric.compute_gospa_metric(states(tracks.get(t, []), t), states(truth[t], t))
        vals.append(res.value["distance"])
    return float(np.mean(vals)), vals


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--truth", required=True)
    ap.add_argument("--tracks", required=True)
    ap.add_argument("--c", type=float, default=1000.0)
    ap.add_argument("--p", type=float, default=2.0)
    ap.add_argument("--json", help="write the result here (default: print a summary)")
    ap.add_argument("--crosscheck", action="store_true", help="also run Stone Soup's GOSPAMetric")
    a = ap.parse_args()
    r = evaluate(a.truth, a.tracks, a.c, a.p)
    if a.crosscheck:
        ss_mean, ss_vals = stonesoup_mean(a.truth, a.tracks, a.c, a.p)
        worst = float(np.max(np.abs(np.array(ss_vals) - np.array(r["per_scan_gospa_m"]))))
        r["stonesoup_mean_gospa_m"] = ss_mean
        r["stonesoup_max_abs_diff_per_scan_m"] = worst
    if a.json:
        with open(a.json, "w") as f:
            json.dump(r, f, indent=1)
    summary = {k: v for k, v in r.items() if k != "per_scan_gospa_m"}
    json.dump(summary, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
