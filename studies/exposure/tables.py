"""Tables of the exposure study from the summaries run.sh wrote: per stand-off distance and
aircraft, the radar of the site that saw it best (most detections), after one day and after all
days. Writes OUT/results.csv and prints the Markdown tables. Standard library only."""
import csv
import math
import sys

out, days, standoffs = sys.argv[1], int(sys.argv[2]), [int(d) for d in sys.argv[3:]]


def best(path):
    """The row per object with the most detections (ties: most looks)."""
    rows = list(csv.DictReader(open(path)))
    by = {}
    for r in rows:
        k = r["name"]
        if k not in by or (int(r["detections"]), int(r["looks"])) > (int(by[k]["detections"]), int(by[k]["looks"])):
            by[k] = r
    return by


def width_db(r):
    lo, hi = r["rcs_lo_m2"], r["rcs_hi_m2"]
    if not lo or not hi or float(lo) <= 0 or float(hi) <= 0:
        return ""
    return f"{10 * math.log10(float(hi) / float(lo)):.1f}"


fields = ["standoff_km", "days", "object", "radar", "looks", "detections", "cumulative_pd", "tracked_s",
          "longest_track_s", "rcs_m2", "rcs_lo_m2", "rcs_hi_m2", "rcs_ci_width_db", "rcs_truth_m2",
          "aspect_swept_deg", "cross_range_m"]
table = []
names = sorted({n for d in standoffs for n in best(f"{out}/d{d}-day1/exposure-summary.csv")})
for d in standoffs:
    for label, path in [("1", f"{out}/d{d}-day1/exposure-summary.csv"), (str(days), f"{out}/d{d}-days{days}/exposure-summary.csv")]:
        seen = best(path)
        for name in names:
            if name not in seen:
                # No radar of the site ever looked at it: outside every coverage.
                if not name.endswith("#2"):
                    table.append({**{f: "" for f in fields}, "standoff_km": d, "days": label, "object": name,
                                  "radar": "none", "looks": 0, "detections": 0, "cumulative_pd": "0.000",
                                  "tracked_s": 0, "longest_track_s": 0, "aspect_swept_deg": 0})
                continue
            r = seen[name]
            if name.endswith("#2"):
                continue  # the second fighter of the pair repeats the first
            table.append({
                "standoff_km": d, "days": label, "object": name, "radar": r["radar_type"],
                "looks": r["looks"], "detections": r["detections"], "cumulative_pd": f"{float(r['cumulative_pd']):.3f}",
                "tracked_s": f"{float(r['tracked_s']):.0f}", "longest_track_s": f"{float(r['longest_track_s']):.0f}",
                "rcs_m2": r["rcs_m2"] and f"{float(r['rcs_m2']):.3g}", "rcs_lo_m2": r["rcs_lo_m2"] and f"{float(r['rcs_lo_m2']):.3g}",
                "rcs_hi_m2": r["rcs_hi_m2"] and f"{float(r['rcs_hi_m2']):.3g}", "rcs_ci_width_db": width_db(r),
                "rcs_truth_m2": r["rcs_truth_m2"] and f"{float(r['rcs_truth_m2']):.3g}",
                "aspect_swept_deg": f"{float(r['aspect_swept_deg']):.0f}",
                "cross_range_m": r["cross_range_m"] and f"{float(r['cross_range_m']):.3f}",
            })
with open(f"{out}/results.csv", "w", newline="") as f:
    w = csv.DictWriter(f, fieldnames=fields)
    w.writeheader()
    w.writerows(table)
cols = ["standoff_km", "days", "object", "radar", "looks", "detections", "cumulative_pd", "tracked_s",
        "longest_track_s", "rcs_m2", "rcs_ci_width_db", "rcs_truth_m2", "aspect_swept_deg", "cross_range_m"]
print("| " + " | ".join(cols) + " |")
print("|" + "---|" * len(cols))
for r in table:
    print("| " + " | ".join(str(r[c]) if r[c] != "" else "–" for c in cols) + " |")
