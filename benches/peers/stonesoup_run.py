#!/usr/bin/env python3
"""Stone Soup 1.9.1 side of the peer benchmark.

    stonesoup_run.py --detections detections.csv --config tracker.toml --out tracks.csv --timing timing.json

Tracker, as the issue specifies (state [x, vx, y, vy], Stone Soup's order):

- measurement: CartesianToBearingRange(ndim_state=4, mapping=(0, 2), R = diag(sb^2, sr^2)),
  radar at the origin; bearing = atan2(y, x);
- motion: CombinedLinearGaussianTransitionModel([ConstantVelocity(q), ConstantVelocity(q)]);
- ExtendedKalmanPredictor / ExtendedKalmanUpdater;
- DistanceHypothesiser(measure=Mahalanobis(), missed_distance=gate): Stone Soup's Mahalanobis is
  the distance d (not d^2), so the gate is d < 3, and GNN minimises the sum of d;
- GNNWith2DAssignment;
- deletion: UpdateTimeStepsDeleter(time_steps_since_update=delete_misses): a track is deleted
  when its last `delete_misses` states are all predictions (that many consecutive misses);
- initiation: MultiMeasurementInitiator(min_points=confirm_hits) holding tentative tracks with
  its own GNNWith2DAssignment over the same DistanceHypothesiser (gate d < 3) and its own
  UpdateTimeStepsDeleter(time_steps_since_update=1), so a tentative track dies at its first
  miss: confirmation needs `confirm_hits` detections in as many consecutive scans (the
  initiating detection counts, as Stone Soup counts Update states). New tentative tracks come
  from SimpleMeasurementInitiator: position and its covariance from the inverse measurement
  function and its Jacobian, velocity from the prior N(0, diag(sv^2, sv^2)).

Only the tracker's step (`next(tracker)`) is timed, with time.perf_counter (wall clock,
`ms_per_scan`) and time.process_time (CPU time of the process, `cpu_ms_per_scan`, which a busy
machine inflates less); reading the CSV, building Detection objects and extracting the track
states are not.
"""
import argparse
import datetime
import json
import math
import sys
import time
import tomllib
from collections import defaultdict

import numpy as np
from stonesoup.dataassociator.neighbour import GNNWith2DAssignment
from stonesoup.deleter.time import UpdateTimeStepsDeleter
from stonesoup.hypothesiser.distance import DistanceHypothesiser
from stonesoup.initiator.simple import MultiMeasurementInitiator
from stonesoup.measures import Mahalanobis
from stonesoup.models.measurement.nonlinear import CartesianToBearingRange
from stonesoup.models.transition.linear import CombinedLinearGaussianTransitionModel, ConstantVelocity
from stonesoup.predictor.kalman import ExtendedKalmanPredictor
from stonesoup.tracker.simple import MultiTargetTracker
from stonesoup.types.angle import Bearing
from stonesoup.types.array import StateVector
from stonesoup.types.detection import Detection
from stonesoup.types.state import GaussianState
from stonesoup.updater.kalman import ExtendedKalmanUpdater

EPOCH = datetime.datetime(2025, 1, 1)


def read_scans(path):
    """[(t_s, [(bearing, range), ...]), ...] for scans 0..max (empty scans get an interpolated time)."""
    by_scan = defaultdict(list)
    times = {}
    with open(path) as f:
        header = f.readline().strip()
        if not header.startswith("scan,t_s,bearing_rad,range_m"):
            raise ValueError(f"{path}: unexpected header {header!r}")
        for line in f:
            if not line.strip():
                continue
            s, t, b, r = line.split(",")[:4]
            k = int(s)
            times[k] = float(t)
            by_scan[k].append((float(b), float(r)))
    if not times:
        return []
    first, last = min(times), max(times)
    period = (times[last] - times[first]) / (last - first) if last > first else 1.0
    scans = []
    for k in range(last + 1):
        t = times.get(k, times[first] + (k - first) * period)
        scans.append((t, by_scan.get(k, [])))
    return scans


def build_tracker(cfg, detector):
    sensor = cfg["sensor"]
    if sensor.get("measurement") != "bearing-range" or any(sensor.get("position_m", [0.0, 0.0])):
        raise SystemExit("stonesoup_run: only a bearing-range sensor at the origin is supported")
    if (cfg["filter"].get("kind"), cfg["filter"].get("motion"), cfg["associator"].get("kind")) != ("ekf", "cv", "gnn"):
        raise SystemExit("stonesoup_run: only [filter] ekf/cv with the gnn associator is supported")
    if cfg["initiator"]["m"] != cfg["initiator"]["n"]:
        raise SystemExit("stonesoup_run: MultiMeasurementInitiator needs m = n (hits in consecutive scans)")
    sb = math.radians(sensor["sigma_bearing_deg"])
    sr = sensor["sigma_range_m"]
    q = cfg["filter"]["q"]
    gate = cfg["gate"]["mahalanobis"]
    sv = cfg["initiator"]["velocity_sigma_mps"]
    mm = CartesianToBearingRange(ndim_state=4, mapping=(0, 2), noise_covar=np.diag([sb ** 2, sr ** 2]))
    tm = CombinedLinearGaussianTransitionModel([ConstantVelocity(q), ConstantVelocity(q)])
    predictor = ExtendedKalmanPredictor(tm)
    updater = ExtendedKalmanUpdater(mm)
    hypothesiser = DistanceHypothesiser(predictor, updater, measure=Mahalanobis(), missed_distance=gate)
    associator = GNNWith2DAssignment(hypothesiser)
    prior = GaussianState(StateVector([0.0, 0.0, 0.0, 0.0]), np.diag([0.0, sv ** 2, 0.0, sv ** 2]))
    initiator = MultiMeasurementInitiator(
        prior_state=prior,
        measurement_model=mm,
        deleter=UpdateTimeStepsDeleter(time_steps_since_update=1),
        data_associator=GNNWith2DAssignment(
            DistanceHypothesiser(predictor, updater, measure=Mahalanobis(), missed_distance=gate)),
        updater=updater,
        min_points=int(cfg["initiator"]["m"]),
    )
    deleter = UpdateTimeStepsDeleter(time_steps_since_update=int(cfg["deleter"]["misses"]))
    tracker = MultiTargetTracker(
        initiator=initiator, deleter=deleter, detector=detector, data_associator=associator, updater=updater)
    return tracker, mm


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--detections", required=True)
    ap.add_argument("--config", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--timing", help="timing JSON (default: stdout)")
    ap.add_argument("--max-scans", type=int, help="process only the first scans")
    a = ap.parse_args()
    with open(a.config, "rb") as f:
        cfg = tomllib.load(f)
    scans = read_scans(a.detections)
    if a.max_scans is not None:
        scans = scans[:a.max_scans]

    # Build every Detection before the clock starts; the tracker reads them from its detector
    # (a list of (time, set of detections)), lazily, inside the timed next() calls.
    feed = []
    tracker, mm = build_tracker(cfg, feed)
    for t, zs in scans:
        ts = EPOCH + datetime.timedelta(seconds=t)
        feed.append((ts, {Detection(StateVector([Bearing(b), r]), timestamp=ts, measurement_model=mm)
                          for b, r in zs}))

    ids = {}
    rows = ["t_s,track_id,x_m,y_m,vx_mps,vy_mps"]
    busy = 0.0
    cpu = 0.0
    worst = 0.0
    it = iter(tracker)
    for t, _ in scans:
        c0 = time.process_time()
        t0 = time.perf_counter()
        _, tracks = next(it)
        dt = time.perf_counter() - t0
        cpu += time.process_time() - c0
        busy += dt
        worst = max(worst, dt)
        for track in tracks:
            tid = ids.setdefault(track.id, len(ids) + 1)
            sv = track.state_vector
            rows.append(f"{t},{tid},{float(sv[0]):.3f},{float(sv[2]):.3f},{float(sv[1]):.4f},{float(sv[3]):.4f}")
    with open(a.out, "w") as f:
        f.write("\n".join(rows) + "\n")
    n = max(len(scans), 1)
    timing = {"tracker": "stonesoup-1.9.1", "scans": len(scans), "detections": sum(len(z) for _, z in scans),
              "total_s": busy, "ms_per_scan": 1e3 * busy / n, "max_ms_per_scan": 1e3 * worst,
              "cpu_ms_per_scan": 1e3 * cpu / n}
    if a.timing:
        with open(a.timing, "w") as f:
            json.dump(timing, f)
            f.write("\n")
    else:
        json.dump(timing, sys.stdout)
        print()


if __name__ == "__main__":
    main()
