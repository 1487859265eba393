"""Tables of the stealth study from a campaign directory written with --keep-runs (run.sh):
per aspect, cueing and X-band nose RCS, the mean over replications of the fighter's range (km,
truth) at its first plot by each radar type (tail: at its last, the fighter flying away), at its
first firm (confirmed) track and at the first fire order, with how many runs never reached each.
Writes DIR/results.csv and prints the Markdown tables. Standard library only."""
import csv
import math
import os
import sys

out = sys.argv[1]
RADARS = ["55Zh6ME-M", "59N6-TE", "91N6E", "92N6E"]
ROUTES = {"-43.2": "nose", "-41.1726": "beam", "-40.2": "tail"}


def truth_range_at(truth, t):
    """Slant range (m) from the scenario origin (the site) at the truth row nearest t."""
    if t is None:
        return None
    row = min(truth, key=lambda r: abs(float(r["t_s"]) - t))
    return math.sqrt(sum(float(row[k]) ** 2 for k in ("east_m", "north_m", "up_m")))


def opt(s):
    return float(s) if s not in ("", None) else None


def one_run(d, aspect):
    truth = [r for r in csv.DictReader(open(os.path.join(d, "truth.csv"))) if r["role"] == "threat"]
    tl = next(csv.DictReader(open(os.path.join(d, "timeline.csv"))))
    res = {}
    for r in csv.DictReader(open(os.path.join(d, "exposure.csv"))):
        if r["detected"] != "1" or r["role"] != "threat":
            continue
        k = r["radar_type"]
        # Nose and beam: the first plot; tail: the last (the fighter recedes).
        if k not in res or aspect == "tail":
            res[k] = float(r["range_m"])
    res["firm track"] = truth_range_at(truth, opt(tl["first_confirmed_s"]))
    res["fire order"] = truth_range_at(truth, opt(tl["first_engaged_s"]))
    res["killed"] = tl["outcome"] == "killed"
    return res


runs = list(csv.DictReader(open(os.path.join(out, "runs.csv"))))
groups = {}
for r in runs:
    aspect = ROUTES[r["threat.Stealth.route.0.lon"]]
    key = (r["roe.0.state"], aspect, r["defence.Bn.cueing"], r["catalog.stealth-fighter.rcs.X.nose"])
    d = os.path.join(out, "runs", f"p{r['point']}-r{r['replication']}")
    groups.setdefault(key, []).append(one_run(d, aspect))

cols = RADARS + ["firm track", "fire order"]
rows = []
for (roe, aspect, cue, rcs), rs in groups.items():
    row = {"roe": roe, "aspect": aspect, "cueing": cue, "x_nose_rcs": rcs, "runs": len(rs), "killed": sum(r["killed"] for r in rs)}
    for c in cols:
        xs = [r[c] for r in rs if r.get(c) is not None]
        row[c] = f"{sum(xs) / len(xs) / 1000:.1f}" if xs else ""
        row[c + " never"] = len(rs) - len(xs)
    rows.append(row)
with open(os.path.join(out, "results.csv"), "w", newline="") as f:
    w = csv.DictWriter(f, fieldnames=list(rows[0].keys()))
    w.writeheader()
    w.writerows(rows)

def cell(row, c):
    if row is None:
        return ""
    v = row[c] or "never"
    return v + (f" (never: {row[c + ' never']})" if row[c] and row[c + " never"] else "")


by = {(r["roe"], r["aspect"], r["cueing"], r["x_nose_rcs"]): r for r in rows}
for aspect in ("nose", "beam", "tail"):
    what = "last plot (receding)" if aspect == "tail" else "first plot"
    print(f"\n**{aspect}** — range (km, truth) of each radar's {what} and of the first firm track under weapons "
          "hold (the fighter flies its whole route), and of the first fire order under weapons free; mean over "
          "the runs that reached it, `(never: k)` the others\n")
    print("| cueing | X nose RCS | " + " | ".join(RADARS) + " | firm track | fire order | killed |")
    print("|---" * (len(RADARS) + 5) + "|")
    for cue in ("true", "false"):
        for rcs in ("0.0001 m2", "0.001 m2", "0.01 m2"):
            hold, free = by.get(("weapons_hold", aspect, cue, rcs)), by.get(("weapons_free", aspect, cue, rcs))
            cells = [cell(hold, c) for c in RADARS + ["firm track"]] + [cell(free, "fire order")]
            killed = f"{free['killed']}/{free['runs']}" if free else ""
            print(f"| {'on' if cue == 'true' else 'off'} | {rcs} | " + " | ".join(cells) + f" | {killed} |")
