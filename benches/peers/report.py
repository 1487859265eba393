#!/usr/bin/env python3
"""Markdown table of the peer benchmark from the result folders run.sh leaves.

    report.py WORK_DIR     # reads WORK_DIR/n*_c*_s*/{ss,bw}_{timing,gospa}.json
"""
import glob
import json
import os
import re
import sys


def load(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def main():
    work = sys.argv[1]
    cases = []
    for d in glob.glob(os.path.join(work, "n*_c*_s*")):
        m = re.fullmatch(r"n(\d+)_c([\d.]+)_s(\d+)", os.path.basename(d))
        if m:
            cases.append((int(m[1]), float(m[2]), int(m[3]), d))
    cases.sort()
    print("| N | clutter | scans | Stone Soup ms/scan wall (CPU) | Bulwark ms/scan wall (CPU) | "
          "speed-up wall (CPU) | GOSPA SS (m) | GOSPA Bulwark (m) | tracks SS / Bulwark / truth |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    nan = float("nan")
    for n, c, s, d in cases:
        st, bt = load(f"{d}/ss_timing.json"), load(f"{d}/bw_timing.json")
        sg, bg = load(f"{d}/ss_gospa.json"), load(f"{d}/bw_gospa.json")
        scans = (bt or st or {}).get("scans", "?")
        if st and bt and st.get("scans") != bt.get("scans"):
            scans = f"SS {st['scans']} / B {bt['scans']}"
        cpu = lambda r: r.get("cpu_ms_per_scan") or nan  # noqa: E731
        ss_ms = f"{st['ms_per_scan']:.1f} ({cpu(st):.1f})" if st else "—"
        bw_ms = f"{bt['ms_per_scan']:.3f} ({cpu(bt):.3f})" if bt else "—"
        speed = "—"
        if st and bt and bt["ms_per_scan"] > 0:
            speed = f"{st['ms_per_scan'] / bt['ms_per_scan']:.0f}× ({cpu(st) / cpu(bt):.0f}×)"
        g = lambda r: f"{r['mean_gospa_m']:.1f}" if r else "—"  # noqa: E731
        t = lambda r: f"{r['mean_tracks']:.1f}" if r else "—"  # noqa: E731
        truth = (sg or bg or {}).get("mean_truths", nan)
        print(f"| {n} | {c:g} | {scans} | {ss_ms} | {bw_ms} | {speed} | {g(sg)} | {g(bg)} | "
              f"{t(sg)} / {t(bg)} / {truth:.0f} |")

if __name__ == "__main__":
    main()
