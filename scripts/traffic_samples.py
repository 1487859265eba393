#!/usr/bin/env python3
"""Convert ADS-B sample records to Bulwark's recorded-flight CSV (`[[civil]] csv = ...`).

Input: the JSON records of the `traffic` library's samples (OpenSky-derived; a list of objects
with timestamp (ms, UTC), icao24, latitude, longitude, altitude (ft, barometric), callsign and,
where recorded, onground and squawk), as a .json or .json.gz file. Nothing of the input is kept
in this repository: run.sh reads it from a local mirror or a path given.

Output (docs/formats.md, "civil traffic from a recording"): time (s from the window start),
callsign, lat, lon, altitude_ft (barometric: give the scenario `altitude_reference =
"barometric"`), squawk (Mode 3/A, four octal digits), address (the Mode S address, icao24).

What the converter decides, each printed in its report on stderr:
- one flight per aircraft (icao24); its callsign is the first one recorded, else the address
  in capitals; a callsign two aircraft share is kept by the first and the other flies under
  its address (the recorded-flight reader groups rows by callsign);
- rows without a position are dropped; a row without an altitude is dropped, except on the
  ground (onground true), where it takes the aircraft's median reported ground altitude, else
  the file's (the pressure altitude the recording itself gives on that field); never 0 ft;
- `--ground-ft` raises altitudes below the field's pressure altitude to it (recordings write
  0 ft, or less, on the ground);
- one row per aircraft and second (the first one): the reader refuses two rows at one time;
- a row whose leg from the last kept row would be faster than any aircraft (1,500 m/s over the
  ground or 300 m/s vertically, the reader's limits) is dropped as a recording fault;
- `--squawk recorded` keeps the recorded codes, `none` writes none, `assign` gives each flight
  without a recorded code a notional discrete code (octal, from its address; not a real code).
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import statistics
import sys

EARTH_RADIUS_M = 6_371_008.8  # IUGG mean radius; legs here are short, a sphere is enough
MAX_SPEED_MS = 1500.0  # the reader's limits (crates/bulwark-scenario/src/flights.rs)
MAX_CLIMB_MS = 300.0
FT = 0.3048


def load(path: str) -> list[dict]:
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as f:
        data = json.load(f)
    if not isinstance(data, list):
        raise SystemExit(f"error: {path}: expected a JSON list of records, got {type(data).__name__}")
    return data


def distance_m(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance (haversine) between (lat, lon) in degrees."""
    la1, lo1, la2, lo2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


def good_callsign(s: str | None) -> str | None:
    if not s:
        return None
    s = s.strip().upper()
    ok = 0 < len(s) <= 8 and all(c.isascii() and (c.isupper() or c.isdigit()) for c in s)
    return s if ok else None


def squawk_text(v) -> str | None:
    """A recorded squawk (the samples store the four digits as a number, e.g. 4720.0)."""
    if v is None or v == "":
        return None
    try:
        s = f"{int(float(v)):04d}"
    except (TypeError, ValueError):
        return None
    return s if len(s) == 4 and all(c in "01234567" for c in s) else None


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("input", nargs="+", help="sample .json or .json.gz files (their times are each shifted to 0)")
    ap.add_argument("--out", required=True, help="CSV to write")
    ap.add_argument("--duration", type=float, default=600.0, help="window length (s)")
    ap.add_argument("--near", nargs=3, type=float, metavar=("LAT", "LON", "KM"),
                    help="keep aircraft that come within KM of (LAT, LON) in the window")
    ap.add_argument("--start", type=float, default=None,
                    help="window start, s after the file's first record (default: the busiest window)")
    ap.add_argument("--per-aircraft", action="store_true",
                    help="time each aircraft from its own first record (a file of single flights "
                         "recorded on different days, such as ground movements, played together)")
    ap.add_argument("--squawk", choices=["recorded", "none", "assign"], default="recorded")
    ap.add_argument("--ground-ft", type=float, default=None,
                    help="the field's pressure altitude (ft): lower altitudes are raised to it (a "
                         "recording that writes 0 ft on the ground would put the aircraft underground)")
    args = ap.parse_args(argv)

    rows: list[tuple] = []
    report: dict[str, int] = {}

    def count(k: str, n: int = 1) -> None:
        report[k] = report.get(k, 0) + n

    for n_file, path in enumerate(args.input):
        recs = [r for r in load(path) if r.get("timestamp") is not None and r.get("icao24")]
        recs = [r for r in recs if r.get("latitude") is not None and r.get("longitude") is not None]
        if not recs:
            raise SystemExit(f"error: {path}: no record with a time, address and position")
        if args.per_aircraft:
            first: dict[str, int] = {}
            for r in recs:
                first[r["icao24"]] = min(first.get(r["icao24"], r["timestamp"]), r["timestamp"])
            recs = [dict(r, timestamp=r["timestamp"] - first[r["icao24"]]) for r in recs]
        t0 = min(r["timestamp"] for r in recs) / 1000.0
        near = None
        if args.near:
            near = ((args.near[0], args.near[1]), args.near[2] * 1000.0)
        start = args.start
        if start is None:
            start = busiest(recs, t0, args.duration, near)
        lo, hi = t0 + start, t0 + start + args.duration
        win = [r for r in recs if lo <= r["timestamp"] / 1000.0 <= hi]
        if near:
            close = {r["icao24"] for r in win if distance_m((r["latitude"], r["longitude"]), near[0]) <= near[1]}
            win = [r for r in win if r["icao24"] in close]
        ground = [r["altitude"] for r in recs if r.get("onground") and r.get("altitude") is not None]
        file_ground = statistics.median(ground) if ground else None
        print(f"{path}: window {start:.0f} s .. {start + args.duration:.0f} s after the first record "
              f"(t0 = {t0:.0f} s Unix), {len({r['icao24'] for r in win})} aircraft", file=sys.stderr)
        for r in win:
            rows.append((n_file, r, r["timestamp"] / 1000.0 - lo, file_ground))

    by_aircraft: dict[tuple, list] = {}
    for n_file, r, t, fg in rows:
        by_aircraft.setdefault((n_file, r["icao24"].lower()), []).append((t, r, fg))
    taken: set[str] = set()
    out_lines = ["time,callsign,lat,lon,altitude_ft,squawk,address"]
    for key in sorted(by_aircraft):
        pts = sorted(by_aircraft[key], key=lambda x: x[0])
        address = key[1].upper()
        if len(address) != 6 or any(c not in "0123456789ABCDEF" for c in address):
            count("aircraft dropped: address not six hex digits")
            continue
        call = next((c for c in (good_callsign(p[1].get("callsign")) for p in pts) if c), None)
        if call is None or call in taken:
            call = address if address not in taken else None
        if call is None:
            count("aircraft dropped: callsign and address both taken")
            continue
        own_ground = [p[1]["altitude"] for p in pts if p[1].get("onground") and p[1].get("altitude") is not None]
        ground = statistics.median(own_ground) if own_ground else pts[0][2]
        recorded = next((s for s in (squawk_text(p[1].get("squawk")) for p in pts) if s), None)
        assigned = f"{int(address, 16) % 0o7000 + 0o100:04o}"  # never 0000-0077 nor the 7xxx codes
        kept: list[tuple] = []
        last_second = None
        for t, r, _ in pts:
            alt = r.get("altitude")
            if alt is None:
                if r.get("onground") and ground is not None:
                    alt = ground
                    count("rows on the ground given the ground altitude")
                else:
                    count("rows dropped: no altitude")
                    continue
            if args.ground_ft is not None and alt < args.ground_ft:
                alt = args.ground_ft
                count("rows below the field raised to it")
            sec = int(math.floor(t))
            if sec == last_second:
                count("rows dropped: a second row in the same second")
                continue
            pos = (r["latitude"], r["longitude"])
            if kept:
                pt, ppos, palt = kept[-1][0], kept[-1][1], kept[-1][2]
                dt = sec - pt
                if (distance_m(ppos, pos) / dt > MAX_SPEED_MS * 0.9
                        or abs(alt - palt) * FT / dt > MAX_CLIMB_MS * 0.9):
                    count("rows dropped: faster than any aircraft from the last kept row")
                    continue
            last_second = sec
            if args.squawk == "recorded":
                sq = squawk_text(r.get("squawk")) or ""
            elif args.squawk == "none":
                sq = ""
            else:
                sq = recorded or assigned
            kept.append((sec, pos, alt, sq))
        if len(kept) < 2:
            count("aircraft dropped: fewer than two rows")
            continue
        taken.add(call)
        count("flights written")
        count("rows written", len(kept))
        for sec, pos, alt, sq in kept:
            out_lines.append(f"{sec},{call},{pos[0]:.6f},{pos[1]:.6f},{alt:.0f},{sq},{address}")
    if report.get("flights written", 0) == 0:
        raise SystemExit("error: no flight left to write")
    with open(args.out, "w", encoding="utf-8") as f:
        f.write("\n".join(out_lines) + "\n")
    for k in sorted(report):
        print(f"  {k}: {report[k]}", file=sys.stderr)
    return 0


def busiest(recs: list[dict], t0: float, duration: float, near) -> float:
    """Start (s after t0, on a 60-s grid) of the window with the most aircraft (near the point)."""
    seen: dict[int, set] = {}
    for r in recs:
        if near and distance_m((r["latitude"], r["longitude"]), near[0]) > near[1]:
            continue
        seen.setdefault(int((r["timestamp"] / 1000.0 - t0) // 60), set()).add(r["icao24"])
    if not seen:
        raise SystemExit("error: no aircraft near the point given")
    width = max(1, int(duration // 60))
    best, best_n = 0, -1
    for m in sorted(seen):
        n = len(set().union(*(seen.get(m + k, set()) for k in range(width))))
        if n > best_n:
            best, best_n = m, n
    return best * 60.0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
