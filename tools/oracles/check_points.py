#!/usr/bin/env python3
"""Recompute every interval of a Bulwark campaign from its runs, with SciPy and statsmodels.

    check_points.py DIR                      # DIR/runs.csv, DIR/points.csv, DIR/paired.csv if present
    check_points.py --runs R.csv --points P.csv [--paired Q.csv] [--bootstrap-resamples B] [--bootstrap-tol F]

Reads `runs.csv` (one row per run), recomputes from it, independently of Bulwark's code, every
mean interval and every event-probability interval of `points.csv` and every paired
difference of `paired.csv`, and exits 1 if any value disagrees by more than REL_TOL relative
(ABS_TOL absolute for values at 0), or if a bootstrap interval is further from SciPy's than
the statistical tolerance BOOTSTRAP_TOL (the resampling RNGs differ, so a bootstrap cannot
agree bit for bit). Exit 2: a file or column it needs is missing. Exit 0: all agree.

Run it in a venv with the pinned versions:

    python3 -m venv /work/venvs/stats
    /work/venvs/stats/bin/pip install scipy==1.17.1 statsmodels==0.15.0 numpy==2.4.6

Oracles: scipy.stats.t.interval (Student t on the mean), statsmodels proportion_confint
('wilson', 'beta', 'jeffreys'; one-sided exact bounds at `level` by alpha doubling: the
two-sided 'beta' end at alpha = 2 (1 - level)), scipy.stats.ttest_rel(...).confidence_interval
(paired t), scipy.stats.bootstrap ('BCa', 'percentile').
"""
import argparse
import csv
import math
import os
import sys

import numpy as np
from scipy import stats
from statsmodels.stats.proportion import proportion_confint

# =====================================================================================
# Column conventions: the one place to align with the campaign writer
# (crates/bulwark-campaign/src/output.rs).
# =====================================================================================
# runs.csv: one row per run. Columns: the keys below, then one column per factor (named by its
# path, the same names as in points.csv), then one column per metric. An empty cell = absent.
RUN_POINT, RUN_REPLICATION, RUN_SEED, RUN_STATUS = "point", "replication", "seed", "status"
RUN_KEYS = (RUN_POINT, RUN_REPLICATION, RUN_SEED, RUN_STATUS, "error")
STATUS_OK = "ok"  # only these runs enter the intervals
# points.csv: one row per design point: `point`, the factor columns, then these fixed columns
# (the first of them ends the factor columns), then per metric and per event the groups below.
POINT_FIXED = ("runs", "n", "errors", "level", "mean_method")
POINT_N, POINT_LEVEL, POINT_MEAN_METHOD = "n", "level", "mean_method"  # n = runs with status ok
METRIC_N, METRIC_MEAN, METRIC_LOW, METRIC_HIGH = ".n", ".mean", ".low", ".high"  # "<metric>" + suffix
EVENT_PREFIX = "p."  # "p.<event>" + one of:
EVENT_K, EVENT_P, EVENT_LOW, EVENT_HIGH, EVENT_METHOD = ".k", ".estimate", ".low", ".high", ".method"
# paired.csv: one row per (factor, value against baseline, other factors, metric).
PAIRED_COLS = ("factor", "value", "baseline", "others", "metric", "n", "estimate", "low", "high", "method", "level")
PAIRED_OTHERS_SEP, PAIRED_OTHERS_EQ = "; ", "="  # others = "path=value; path=value" (other factors, in order)
# Method names (bulwark_stats::Method::name).
MEAN_METHODS = ("student_t", "bootstrap_bca", "bootstrap_percentile")
PAIRED_METHODS = ("paired_t",)
# Class columns: "<class>.count" names a threat class (with <class>.leaked, <class>.killed).
CLASS_COUNT_SUFFIX = ".count"


def events_of(get, classes):
    """The events of one run (name -> bool), as crates/bulwark-campaign/src/metrics.rs `events`.
    `get(name)` is the metric's value or None."""
    def pos(k):
        v = get(k)
        return v is not None and v > 0.0
    out = {
        "any_leak": pos("leakers"),
        "civil_engagement": pos("civil_engaged"),
        "friendly_engagement": pos("friendly_engaged"),
        "civil_fire_order": pos("civil_fire_orders"),
        "friendly_fire_order": pos("friendly_fire_orders"),
        "false_track": pos("false_tracks"),
    }
    for c in classes:
        count = get(f"{c}.count") or 0.0
        killed = get(f"{c}.killed") or 0.0
        out[f"{c}.any_leak"] = pos(f"{c}.leaked")
        out[f"{c}.all_killed"] = count > 0.0 and killed >= count
    return out


# Tolerances.
REL_TOL = 1e-9
ABS_TOL = 1e-12
# A bootstrap end may differ from SciPy's (BOOTSTRAP_RESAMPLES resamples) by this fraction of
# the interval's width: with B ≥ 1000 resamples on our side the Monte Carlo spread of an end is a
# few per cent of the width (BCa more than percentile; on integer counts with small n the ends also
# step along the grid of possible means); 0.15 is well outside it. --bootstrap-tol overrides.
BOOTSTRAP_TOL = 0.15
BOOTSTRAP_RESAMPLES = 100_000
# =====================================================================================


class FormatError(Exception):
    pass


def read_csv(path):
    try:
        with open(path, newline="") as f:
            rows = list(csv.reader(f))
    except OSError as e:
        raise FormatError(f"cannot read {path}: {e}") from e
    if not rows:
        raise FormatError(f"{path} is empty")
    header, body = rows[0], rows[1:]
    for i, r in enumerate(body):
        if len(r) != len(header):
            raise FormatError(f"{path}:{i + 2}: {len(r)} cells, header has {len(header)}")
    return header, [dict(zip(header, r)) for r in body]


def need(header, cols, path):
    missing = [c for c in cols if c not in header]
    if missing:
        raise FormatError(f"{path} lacks column(s) {', '.join(missing)}")


def num(cell):
    """A cell as a float, None if empty."""
    if cell is None or cell == "":
        return None
    try:
        return float(cell)
    except ValueError:
        return None


def same_value(a, b):
    """Factor cells compared as numbers when both are numbers ("2" == "2.0"), else as text."""
    fa, fb = num(a), num(b)
    if fa is not None and fb is not None:
        return fa == fb
    return a == b


class Checker:
    def __init__(self, resamples, bootstrap_tol):
        self.resamples = resamples
        self.bootstrap_tol = bootstrap_tol
        self.failures = []
        self.checked = 0
        self.worst = (0.0, "")
        self.worst_boot = (0.0, "")

    def fail(self, what):
        self.failures.append(what)

    def value(self, what, ours, theirs):
        """ours: the file's cell (float or None); theirs: the oracle's (float or None)."""
        self.checked += 1
        if ours is None or theirs is None:
            if ours is not None or theirs is not None:
                self.fail(f"{what}: file has {ours}, oracle {theirs}")
            return
        diff = abs(ours - theirs)
        scale = max(abs(ours), abs(theirs))
        if not (diff <= REL_TOL * scale or diff <= ABS_TOL):
            self.fail(f"{what}: file {ours!r}, oracle {theirs!r} (relative {diff / scale:.2e})")
        elif scale > ABS_TOL and diff / scale > self.worst[0]:
            self.worst = (diff / scale, what)

    def text(self, what, ours, theirs):
        self.checked += 1
        if ours != theirs:
            self.fail(f"{what}: file has {ours!r}, expected {theirs!r}")

    def bootstrap(self, what, ours, theirs, width):
        self.checked += 1
        if ours is None or theirs is None:
            if ours is not None or theirs is not None:
                self.fail(f"{what}: file has {ours}, oracle {theirs}")
            return
        rel = abs(ours - theirs) / width if width > 0 else (0.0 if ours == theirs else math.inf)
        if rel > self.bootstrap_tol:
            self.fail(f"{what}: file {ours!r}, SciPy {theirs!r} ({rel:.3f} of the width > {self.bootstrap_tol})")
        elif rel > self.worst_boot[0]:
            self.worst_boot = (rel, what)


def t_interval(xs, level):
    """Student t on the mean: (mean, low, high); low/high None for n < 2, [mean, mean] for no spread."""
    xs = np.asarray(xs, dtype=float)
    if len(xs) == 0:
        return None, None, None
    m = float(np.mean(xs))
    if len(xs) < 2:
        return m, None, None
    se = float(stats.sem(xs))
    if se == 0.0:
        return m, m, m
    lo, hi = stats.t.interval(level, len(xs) - 1, loc=m, scale=se)
    return m, float(lo), float(hi)


def bootstrap_interval(xs, level, method, resamples):
    xs = np.asarray(xs, dtype=float)
    m = float(np.mean(xs)) if len(xs) else None
    if len(xs) < 2:
        return m, None, None
    if np.all(xs == xs[0]):
        return m, m, m
    res = stats.bootstrap((xs,), np.mean, confidence_level=level, n_resamples=resamples,
                          method=method, rng=np.random.default_rng(12345))
    return m, float(res.confidence_interval.low), float(res.confidence_interval.high)


def proportion_interval(k, n, level, method):
    """(low, high) of the named method, from statsmodels."""
    alpha = 1.0 - level
    if method == "wilson":
        return proportion_confint(k, n, alpha=alpha, method="wilson")
    if method == "clopper_pearson":
        return proportion_confint(k, n, alpha=alpha, method="beta")
    if method == "jeffreys":
        lo, hi = proportion_confint(k, n, alpha=alpha, method="jeffreys")
        return (0.0 if k == 0 else lo), (1.0 if k == n else hi)  # Brown, Cai & DasGupta's ends
    if method == "clopper_pearson_upper":
        return 0.0, proportion_confint(k, n, alpha=2 * alpha, method="beta")[1]
    if method == "clopper_pearson_lower":
        return proportion_confint(k, n, alpha=2 * alpha, method="beta")[0], 1.0
    raise FormatError(f"unknown proportion method {method!r}")


def default_proportion_method(k, n):
    return "clopper_pearson_upper" if k == 0 else "clopper_pearson_lower" if k == n else "wilson"


def load_runs(path):
    header, rows = read_csv(path)
    need(header, RUN_KEYS[:4], path)
    for r in rows:
        r["_point"] = int(r[RUN_POINT])
        r["_rep"] = int(r[RUN_REPLICATION])
    return header, rows


def check_points(chk, runs_header, runs, points_path):
    header, points = read_csv(points_path)
    need(header, ("point",) + POINT_FIXED, points_path)
    first_fixed = min(header.index(c) for c in POINT_FIXED)
    factors = header[1:first_fixed]
    metrics = [c[: -len(METRIC_MEAN)] for c in header if c.endswith(METRIC_MEAN) and not c.startswith(EVENT_PREFIX)]
    events = [c[len(EVENT_PREFIX): -len(EVENT_P)] for c in header if c.startswith(EVENT_PREFIX) and c.endswith(EVENT_P)]
    for m in metrics:
        need(header, [m + s for s in (METRIC_LOW, METRIC_HIGH)], points_path)
        if m not in runs_header:
            raise FormatError(f"points.csv has metric {m!r} that runs.csv lacks")
    need(runs_header, factors, "runs.csv")
    classes = [c[: -len(CLASS_COUNT_SUFFIX)] for c in runs_header if c.endswith(CLASS_COUNT_SUFFIX)]
    by_point = {}
    for r in runs:
        by_point.setdefault(r["_point"], []).append(r)
    for row in points:
        p = int(row["point"])
        mine = by_point.get(p, [])
        ok = [r for r in mine if r[RUN_STATUS] == STATUS_OK]
        level = num(row[POINT_LEVEL])
        where = f"point {p}"
        for f in factors:
            for r in mine:
                if not same_value(r[f], row[f]):
                    chk.fail(f"{where}: factor {f} is {row[f]!r} in points.csv, {r[f]!r} in run {r['_rep']}")
                    break
        chk.value(f"{where} runs", num(row["runs"]), float(len(mine)))
        chk.value(f"{where} n", num(row[POINT_N]), float(len(ok)))
        if level is None or not 0.0 < level < 1.0:
            chk.fail(f"{where}: level {row[POINT_LEVEL]!r}")
            continue
        method = row[POINT_MEAN_METHOD]
        if method not in MEAN_METHODS:
            chk.fail(f"{where}: unknown mean method {method!r}")
            continue
        for m in metrics:
            xs = [v for v in (num(r[m]) for r in ok) if v is not None]
            what = f"{where} {m}"
            if m + METRIC_N in row:
                chk.value(what + METRIC_N, num(row[m + METRIC_N]), float(len(xs)))
            if method == "student_t":
                mean, lo, hi = t_interval(xs, level)
                chk.value(what + METRIC_MEAN, num(row[m + METRIC_MEAN]), mean)
                chk.value(what + METRIC_LOW, num(row[m + METRIC_LOW]), lo)
                chk.value(what + METRIC_HIGH, num(row[m + METRIC_HIGH]), hi)
            else:
                mean, lo, hi = bootstrap_interval(xs, level, "BCa" if method == "bootstrap_bca" else "percentile",
                                                   chk.resamples)
                chk.value(what + METRIC_MEAN, num(row[m + METRIC_MEAN]), mean)
                width = (hi - lo) if lo is not None else 0.0
                chk.bootstrap(what + METRIC_LOW, num(row[m + METRIC_LOW]), lo, width)
                chk.bootstrap(what + METRIC_HIGH, num(row[m + METRIC_HIGH]), hi, width)
        n = len(ok)
        per_run = [events_of(lambda k, r=r: num(r.get(k)), classes) for r in ok]
        for e in events:
            what = f"{where} P({e})"
            if per_run and e not in per_run[0]:
                chk.fail(f"{what}: no definition of event {e!r} in check_points.py (events_of)")
                continue
            k = sum(1 for ev in per_run if ev[e])
            if EVENT_PREFIX + e + EVENT_K in row:
                chk.value(what + " k", num(row[EVENT_PREFIX + e + EVENT_K]), float(k))
            cell = row.get(EVENT_PREFIX + e + EVENT_METHOD, "")
            if n == 0:
                for s in (EVENT_P, EVENT_LOW, EVENT_HIGH):
                    chk.value(what + s, num(row[EVENT_PREFIX + e + s]), None)
                continue
            expected_method = cell if cell else default_proportion_method(k, n)
            if cell in ("wilson",) and k in (0, n):
                chk.fail(f"{what}: Wilson at k = {k} of {n}; the campaign default is the one-sided exact bound")
            lo, hi = proportion_interval(k, n, level, expected_method)
            chk.value(what + EVENT_P, num(row[EVENT_PREFIX + e + EVENT_P]), k / n)
            chk.value(what + EVENT_LOW, num(row[EVENT_PREFIX + e + EVENT_LOW]), float(lo))
            chk.value(what + EVENT_HIGH, num(row[EVENT_PREFIX + e + EVENT_HIGH]), float(hi))
    return factors


def check_paired(chk, runs, factors, paired_path):
    header, rows = read_csv(paired_path)
    need(header, PAIRED_COLS, paired_path)
    # Point -> its factor cells, from runs.csv.
    cells = {}
    for r in runs:
        cells.setdefault(r["_point"], {f: r[f] for f in factors})
    by_point = {}
    for r in runs:
        if r[RUN_STATUS] == STATUS_OK:
            by_point.setdefault(r["_point"], {})[r["_rep"]] = r

    def locate(factor, value, others):
        found = []
        for p, c in cells.items():
            if not same_value(c[factor], value):
                continue
            if all(same_value(c.get(k), v) for k, v in others):
                found.append(p)
        return found

    for i, row in enumerate(rows):
        what = f"paired.csv:{i + 2} {row['metric']} {row['factor']}={row['value']} vs {row['baseline']}"
        if row["factor"] not in factors:
            chk.fail(f"{what}: unknown factor")
            continue
        others = []
        if row["others"]:
            for part in row["others"].split(PAIRED_OTHERS_SEP):
                k, _, v = part.partition(PAIRED_OTHERS_EQ)
                others.append((k, v))
        if any(k not in factors for k, _ in others):
            chk.fail(f"{what}: cannot read others {row['others']!r}")
            continue
        p, b = locate(row["factor"], row["value"], others), locate(row["factor"], row["baseline"], others)
        if len(p) != 1 or len(b) != 1:
            chk.fail(f"{what}: found points {p} and baselines {b}, expected one each")
            continue
        chk.text(what + " method", row["method"], "paired_t")
        level = num(row["level"])
        rp, rb = by_point.get(p[0], {}), by_point.get(b[0], {})
        a, z = [], []
        for rep in sorted(set(rp) & set(rb)):
            x, y = num(rp[rep][row["metric"]]), num(rb[rep][row["metric"]])
            if x is not None and y is not None:
                if rp[rep][RUN_SEED] != rb[rep][RUN_SEED]:
                    chk.fail(f"{what}: replication {rep} has seeds {rp[rep][RUN_SEED]} and {rb[rep][RUN_SEED]}")
                a.append(x)
                z.append(y)
        chk.value(what + " n", num(row["n"]), float(len(a)))
        d = np.asarray(a) - np.asarray(z)
        mean = float(np.mean(d)) if len(d) else None
        lo = hi = None
        if len(d) >= 2:
            if float(np.std(d)) == 0.0:
                lo = hi = mean
            else:
                ci = stats.ttest_rel(a, z).confidence_interval(confidence_level=level)
                lo, hi = float(ci.low), float(ci.high)
        chk.value(what + " estimate", num(row["estimate"]), mean)
        chk.value(what + " low", num(row["low"]), lo)
        chk.value(what + " high", num(row["high"]), hi)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("dir", nargs="?", help="campaign output directory")
    ap.add_argument("--runs")
    ap.add_argument("--points")
    ap.add_argument("--paired")
    ap.add_argument("--bootstrap-tol", type=float, default=BOOTSTRAP_TOL,
                    help=f"bootstrap ends may differ by this fraction of the width (default {BOOTSTRAP_TOL})")
    ap.add_argument("--bootstrap-resamples", type=int, default=BOOTSTRAP_RESAMPLES,
                    help=f"SciPy resamples for the bootstrap check (default {BOOTSTRAP_RESAMPLES})")
    args = ap.parse_args(argv)
    runs_path = args.runs or (args.dir and os.path.join(args.dir, "runs.csv"))
    points_path = args.points or (args.dir and os.path.join(args.dir, "points.csv"))
    paired_path = args.paired or (args.dir and os.path.join(args.dir, "paired.csv"))
    if not runs_path or not points_path:
        ap.error("give DIR or --runs and --points")
    chk = Checker(args.bootstrap_resamples, args.bootstrap_tol)
    try:
        runs_header, runs = load_runs(runs_path)
        factors = check_points(chk, runs_header, runs, points_path)
        if paired_path and os.path.exists(paired_path):
            check_paired(chk, runs, factors, paired_path)
    except FormatError as e:
        print(f"check_points: {e}", file=sys.stderr)
        return 2
    for f in chk.failures[:50]:
        print(f"MISMATCH {f}")
    if len(chk.failures) > 50:
        print(f"... and {len(chk.failures) - 50} more")
    print(f"check_points: {chk.checked} values checked, {len(chk.failures)} disagree; worst relative difference "
          f"{chk.worst[0]:.2e} ({chk.worst[1] or '-'}); worst bootstrap end {chk.worst_boot[0]:.3f} of the width "
          f"({chk.worst_boot[1] or '-'})")
    return 1 if chk.failures else 0


if __name__ == "__main__":
    sys.exit(main())
