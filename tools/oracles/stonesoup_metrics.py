#!/usr/bin/env python3
"""Reference OSPA, GOSPA and SIAP values from Stone Soup 1.9.1 for bulwark-tracking's metrics.

Run (writes crates/bulwark-tracking/tests/data/stonesoup_metrics.json):
    python3 -m venv /work/venvs/stonesoup && /work/venvs/stonesoup/bin/pip install stonesoup==1.9.1
    /work/venvs/stonesoup/bin/python tools/oracles/stonesoup_metrics.py

Point sets are drawn from a fixed numpy seed; every value is Stone Soup's own output:
OSPAMetric.compute_OSPA_distance, GOSPAMetric.compute_gospa_metric (alpha = 2), and
SIAPMetrics through MultiManager with the TrackToTruth associator.
"""
import datetime
import json
import pathlib
import sys

import numpy as np
import stonesoup
from stonesoup.dataassociator.tracktotrack import TrackToTruth
from stonesoup.measures import Euclidean
from stonesoup.metricgenerator.manager import MultiManager
from stonesoup.metricgenerator.ospametric import GOSPAMetric, OSPAMetric
from stonesoup.metricgenerator.tracktotruthmetrics import SIAPMetrics
from stonesoup.types.groundtruth import GroundTruthPath, GroundTruthState
from stonesoup.types.state import State
from stonesoup.types.track import Track

EPOCH = datetime.datetime(2024, 1, 1)


def point_cases():
    rng = np.random.default_rng(20240601)
    cases = []
    sizes = [(0, 3), (3, 0), (1, 1), (4, 4), (5, 3), (3, 6), (8, 8)]
    for dim in (2, 3):
        for (m, n) in sizes:
            for (c, p) in ((5.0, 1.0), (5.0, 2.0), (20.0, 2.0), (1000.0, 1.0)):
                truth = rng.uniform(0.0, 30.0, size=(m, dim))
                est = rng.uniform(0.0, 30.0, size=(n, dim))
                ts = [State(x.reshape(-1, 1), timestamp=EPOCH) for x in truth]
                es = [State(y.reshape(-1, 1), timestamp=EPOCH) for y in est]
                ospa = (OSPAMetric(c=c, p=p).compute_OSPA_distance(es, ts).value
                        if m + n > 0 else 0.0)
                g, _ = GOSPAMetric(c=c, p=p).compute_gospa_metric(es, ts)
                g = g.value
                cases.append({
                    "truth": truth.tolist(), "est": est.tolist(), "c": c, "p": p,
                    "ospa": float(ospa),
                    "gospa": {k: float(g[k]) for k in ("distance", "localisation", "missed", "false")},
                })
    return cases


def siap_case():
    """Three truths over 0..19 s (1 s steps) and seven tracks covering the cases SIAP scores:
    a clean track, a track that ends and is replaced (track number change), a spurious track,
    a track with a two-scan excursion (association ends and restarts), a duplicate track
    (ambiguity) and a track that hands over from one truth to another."""
    rng = np.random.default_rng(7)
    truths = {  # id: (t0, t1, x0, y0, vx, vy)
        1: (0, 19, 0.0, 0.0, 10.0, 0.0),
        2: (0, 19, 0.0, 500.0, 10.0, -5.0),
        3: (3, 17, 1000.0, 0.0, -5.0, 20.0),
    }

    def truth_at(i, t):
        t0, _, x0, y0, vx, vy = truths[i]
        return np.array([x0 + vx * (t - t0), vx, y0 + vy * (t - t0), vy])

    tracks = {  # id: list of (t, follows truth id, extra offset (m))
        1: [(t, 1, 0.0) for t in range(0, 20)],
        2: [(t, 2, 0.0) for t in range(0, 10)],
        3: [(t, 2, 0.0) for t in range(11, 20)],
        4: [(t, None, 0.0) for t in range(5, 13)],
        5: [(t, 3, 200.0 if t in (8, 9) else 0.0) for t in range(3, 18)],
        6: [(t, 1, 0.0) for t in range(4, 11)],
        7: [(t, 1 if t < 9 else 2, 0.0) for t in range(2, 16)],
    }
    truth_rows, track_rows = [], []
    gt_paths = {}
    for i, (t0, t1, *_rest) in truths.items():
        path = GroundTruthPath()
        for t in range(t0, t1 + 1):
            s = truth_at(i, t)
            path.append(GroundTruthState(s.reshape(-1, 1), timestamp=EPOCH + datetime.timedelta(seconds=t)))
            truth_rows.append([float(t), i, s[0], s[2], s[1], s[3]])
        gt_paths[i] = path
    ss_tracks = {}
    for k, states in tracks.items():
        tr = Track()
        for (t, follow, off) in states:
            if follow is None:
                s = np.array([5000.0 + 3.0 * t, 0.0, 5000.0, 0.0])
            else:
                s = truth_at(follow, t)
            noise = rng.normal(0.0, [3.0, 0.5, 3.0, 0.5])
            s = s + noise + np.array([off, 0.0, 0.0, 0.0])
            tr.append(State(s.reshape(-1, 1), timestamp=EPOCH + datetime.timedelta(seconds=t)))
            track_rows.append([float(t), k, s[0], s[2], s[1], s[3]])
        ss_tracks[k] = tr

    threshold = 30.0
    siap = SIAPMetrics(position_measure=Euclidean((0, 2)), velocity_measure=Euclidean((1, 3)))
    assoc = TrackToTruth(association_threshold=threshold, consec_pairs_confirm=3,
                         consec_misses_end=2, measure=Euclidean((0, 2)))
    manager = MultiManager([siap], associator=assoc)
    manager.add_data({"tracks": set(ss_tracks.values()), "groundtruth_paths": set(gt_paths.values())})
    metrics = manager.generate_metrics()["siap_generator"]
    track_id = {id(v): k for k, v in ss_tracks.items()}
    truth_id = {id(v): k for k, v in gt_paths.items()}
    associations = []
    for a in manager.association_set.associations:
        tr, gt = a.objects
        if id(tr) not in track_id:
            tr, gt = gt, tr
        ranges = a.time_range.time_ranges if hasattr(a.time_range, "time_ranges") else [a.time_range]
        spans = sorted([(r.start_timestamp - EPOCH).total_seconds(), (r.end_timestamp - EPOCH).total_seconds()]
                       for r in ranges)
        associations.append([track_id[id(tr)], truth_id[id(gt)], spans])
    associations.sort()
    names = {
        "completeness": "SIAP Completeness", "ambiguity": "SIAP Ambiguity",
        "spuriousness": "SIAP Spuriousness", "position_accuracy": "SIAP Position Accuracy",
        "velocity_accuracy": "SIAP Velocity Accuracy",
        "rate_of_track_number_change": "SIAP Rate of Track Number Change",
        "longest_track_segment": "SIAP Longest Track Segment",
    }
    return {
        "association_threshold_m": threshold, "consec_pairs_confirm": 3, "consec_misses_end": 2,
        "columns": ["t_s", "id", "x_m", "y_m", "vx_mps", "vy_mps"],
        "truths": truth_rows, "tracks": track_rows, "associations": associations,
        "metrics": {k: float(metrics[v].value) for k, v in names.items()},
    }


def main():
    out = {
        "source": f"Stone Soup {stonesoup.__version__} (tools/oracles/stonesoup_metrics.py)",
        "points": point_cases(),
        "siap": siap_case(),
    }
    root = pathlib.Path(__file__).resolve().parents[2]
    path = root / "crates/bulwark-tracking/tests/data/stonesoup_metrics.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(out, indent=1) + "\n")
    print(f"wrote {path}", file=sys.stderr)


if __name__ == "__main__":
    main()
