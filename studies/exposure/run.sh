#!/usr/bin/env bash
# Regenerates results.csv and the tables of README.md's "Results" section (printed to stdout):
# the lane of lane.toml.in at each stand-off distance, flown on DAYS days (one sortie a day,
# seeds 1..DAYS), each day's exposure.csv and their concatenation (days laid end to end, t + 1 d
# per day) summarised by `bulwark exposure --side friendly --format csv`.
# Usage: studies/exposure/run.sh [OUT_DIR]   (BULWARK=path/to/bulwark to use another binary)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=${1:-$root/target/study-exposure}
bulwark=${BULWARK:-$root/target/release/bulwark}
[ -x "$bulwark" ] || (cd "$root" && cargo build --release -q -p bulwark-cli)
standoffs=${STANDOFFS:-"100 200 300 450"}
days=${DAYS:-4}
mkdir -p "$out"
for d in $standoffs; do
  # The lane's longitude: d km west of the site at 40° N (111.32 km × cos 40° = 85.28 km per degree).
  lon=$(python3 -c "print(round(-40.0 - $d / 85.28, 4))")
  sed "s/@LON@/$lon/g; s/@NAME@/${d}km/g; s/@STANDOFF@/$d/g" "$here/lane.toml.in" >"$out/lane-$d.toml"
  all="$out/d$d-days$days"
  mkdir -p "$all"
  : >"$all/exposure.csv"
  for day in $(seq 1 "$days"); do
    run="$out/d$d-day$day"
    "$bulwark" run "$out/lane-$d.toml" --seed "$day" --out "$run" --quiet >/dev/null 2>&1
    "$bulwark" exposure "$run" --side friendly --format csv >"$run/exposure-summary.csv"
    if [ "$day" = 1 ]; then head -1 "$run/exposure.csv" >"$all/exposure.csv"; fi
    # Day k's looks at t + (k − 1) days and its track ids + k × 10⁶ (each run numbers its tracks
    # from 1), so the tracks of different days are never taken for one.
    awk -F, -v OFS=, -v day="$day" 'NR > 1 { $1 = sprintf("%.3f", $1 + (day - 1) * 86400); if ($24 != "") $24 = $24 + day * 1000000; print }' \
      "$run/exposure.csv" >>"$all/exposure.csv"
  done
  "$bulwark" exposure "$all" --side friendly --format csv >"$all/exposure-summary.csv"
done
python3 "$here/tables.py" "$out" "$days" $standoffs | tee "$here/results.md"
cp "$out/results.csv" "$here/results.csv"
