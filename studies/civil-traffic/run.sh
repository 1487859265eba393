#!/usr/bin/env bash
# Civil-traffic study: real recorded ADS-B traffic (the MIT-licensed `traffic` library's
# OpenSky-derived samples) around an S-400 battalion with a raid in progress, weapons free and
# tight, with and without squawk codes, SEEDS seeds per case. Prints the table of README.md.
#
#   studies/civil-traffic/run.sh [SAMPLES_DIR] [SEEDS]
#
# SAMPLES_DIR holds the samples as in the library (collections/switzerland.json.gz, ...);
# default: read them from the git mirror at $TRAFFIC_REPO (default
# /work/.mirror/xoolive+traffic/repo). Nothing fetched is written into the repository: the
# converted CSVs, scenarios and run outputs go to $WORK (default a fresh /tmp directory).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
samples="${1:-}"
seeds="${2:-10}"
repo="${TRAFFIC_REPO:-/work/.mirror/xoolive+traffic/repo}"
work="${WORK:-$(mktemp -d /tmp/civil-traffic.XXXXXX)}"
jobs="${JOBS:-2}"
bin="${BULWARK:-$root/target/debug/bulwark}"
[ -x "$bin" ] || (cd "$root" && cargo build -p bulwark-cli)
mkdir -p "$work/samples"

sample() { # NAME: the sample file's path (copied out of the mirror when no directory is given)
  local name="$1" out="$work/samples/$(basename "$1")"
  if [ -n "$samples" ]; then echo "$samples/$name"; return; fi
  [ -f "$out" ] || git -C "$repo" show "HEAD:src/traffic/data/samples/$name" > "$out"
  echo "$out"
}

conv() { # REGION SQUAWK ARGS...: the region's CSV
  local region="$1" sq="$2"; shift 2
  python3 "$root/scripts/traffic_samples.py" --squawk "$sq" --out "$work/$region-$sq.csv" "$@" 2>>"$work/convert.log"
}

for sq in none assign; do
  # Zurich: the busiest 9 min of a day of Swiss flights within 60 km of the field, and ten
  # aircraft taxiing, landing and departing there (recorded on other days, each shifted to
  # start with the run; one reports 20,475 ft while taxiing).
  conv zurich-day "$sq" --duration 540 --near 47.458 8.548 60 "$(sample collections/switzerland.json.gz)"
  conv zurich-ground "$sq" --duration 540 --start 0 --per-aircraft "$(sample onground/zurich_airport.json.gz)"
  { cat "$work/zurich-day-$sq.csv"; tail -n +2 "$work/zurich-ground-$sq.csv"; } > "$work/zurich-$sq.csv"
  # The Netherlands: the sightseeing flight departing Schiphol.
  conv netherlands "$sq" --duration 540 --start 0 --ground-ft -11 "$(sample featured/belevingsvlucht.json.gz)"
  # Terminal areas: calibration flights taxiing and departing Munich, around Heathrow and Vienna.
  conv munich "$sq" --duration 540 --start 0 --ground-ft 1487 "$(sample calibration/munich.json.gz)"
  conv heathrow "$sq" --duration 540 --start 3300 --ground-ft 83 "$(sample calibration/london_heathrow.json.gz)"
  conv vienna "$sq" --duration 540 --start 0 --ground-ft 600 "$(sample calibration/vienna.json.gz)"
done
# Provence: an aircraft whose recording carries its squawk codes ("assign" keeps them).
conv provence assign --duration 540 --start 0 "$(sample collections/savan.json.gz)"
conv provence none --duration 540 --start 0 "$(sample collections/savan.json.gz)"

list="$work/runs.txt"; : > "$list"
for region in zurich netherlands munich heathrow vienna provence; do
  for roe in weapons_free weapons_tight; do
    for sq in none assign; do
      d="$work/scen/$region/$roe/$sq"; mkdir -p "$d"
      cp "$work/$region-$sq.csv" "$d/flights.csv"
      python3 "$here/study.py" scenario "$region" "$roe" "$d/flights.csv" "$d/scenario.toml"
      for seed in $(seq 1 "$seeds"); do echo "$region/$roe/$sq $seed" >> "$list"; done
    done
  done
done
run_one() { # CASE SEED
  local out="$work/runs/$1/$2" log="$work/logs/$1/$2.log"; mkdir -p "$(dirname "$out")" "$(dirname "$log")"
  "$bin" run "$work/scen/$1/scenario.toml" --seed "$2" --out "$out" --quiet --events engagements > "$log" 2>&1 \
    || { echo "run $1 seed $2 failed: $(tail -3 "$log")" >&2; return 1; }
}
export -f run_one; export work bin
xargs -P "$jobs" -L 1 bash -c 'run_one "$0" "$1"' < "$list"
python3 "$here/study.py" table "$work/runs"
echo "outputs in $work (convert.log: what the converter kept and dropped)" >&2
