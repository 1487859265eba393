#!/usr/bin/env bash
# Peer benchmark: Bulwark vs Stone Soup 1.9.1 on the same detection files (see README.md).
#
#   benches/peers/run.sh                       # the full grid
#   benches/peers/run.sh --n "100" --clutter "20"   # one case
#   benches/peers/run.sh --no-stonesoup        # Bulwark only (keeps earlier Stone Soup results)
#
# Options:
#   --n "10 50 ..."       target counts            (default: 10 50 100 200 500)
#   --clutter "0 20 ..."  mean clutter per scan    (default: 0 20 100)
#   --seed S              scenario seed            (default: 1)
#   --scans "N:S ..."     scans per case by N      (default: "10:100 50:100 100:100 200:50 500:20";
#                         N not listed: 100). Fewer scans at large N keep Stone Soup's run short.
#   --work DIR            scratch folder for scenarios and results (default: /tmp/bulwark-peers)
#   --no-stonesoup        skip Stone Soup (its earlier results in DIR, if any, stay in the table)
#   --reuse-stonesoup     skip Stone Soup for cases that already have its results in DIR
#   --repeat R            Bulwark runs each case R times and keeps the fastest (default: 5)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
VENV="${STONESOUP_VENV:-/work/venvs/stonesoup}"
CONFIG="$HERE/tracker.toml"

NS="10 50 100 200 500"
CLUTTERS="0 20 100"
SEED=1
SCANS_BY_N="10:100 50:100 100:100 200:50 500:20"
WORK=/tmp/bulwark-peers
RUN_SS=1
REUSE_SS=0
REPEAT=5
while [ $# -gt 0 ]; do
    case "$1" in
        --n) NS="$2"; shift 2 ;;
        --clutter) CLUTTERS="$2"; shift 2 ;;
        --seed) SEED="$2"; shift 2 ;;
        --scans) SCANS_BY_N="$2"; shift 2 ;;
        --work) WORK="$2"; shift 2 ;;
        --no-stonesoup) RUN_SS=0; shift ;;
        --reuse-stonesoup) REUSE_SS=1; shift ;;
        --repeat) REPEAT="$2"; shift 2 ;;
        -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
        *) echo "run.sh: unknown option $1" >&2; exit 2 ;;
    esac
done

# Stone Soup 1.9.1 from PyPI in its own virtual environment (numpy/scipy pinned too).
if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c "import stonesoup" 2>/dev/null; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet stonesoup==1.9.1 numpy==2.4.6 scipy==1.17.1
fi
PY="$VENV/bin/python"

# Bulwark side: peer_bench builds the tracker from the TOML as `bulwark track --config` does, and
# times the tracker step alone (the commented line runs the CLI on the same file, untimed).
(cd "$ROOT" && cargo build --release --quiet -p bulwark-tracking --example peer_bench)
BW_BIN="${CARGO_TARGET_DIR:-$ROOT/target}/release/examples/peer_bench"
bulwark_track() { # detections.csv tracks.csv timing.json
    "$BW_BIN" --detections "$1" --config "$CONFIG" --out "$2" --timing "$3" --repeat "$REPEAT"
    # "$ROOT/target/release/bulwark" track --detections "$1" --config "$CONFIG" --out "$2"
}

scans_for() {
    local n="$1" pair
    for pair in $SCANS_BY_N; do
        if [ "${pair%%:*}" = "$n" ]; then echo "${pair##*:}"; return; fi
    done
    echo 100
}

mkdir -p "$WORK"
for n in $NS; do
    for c in $CLUTTERS; do
        scans="$(scans_for "$n")"
        dir="$("$PY" "$HERE/generate.py" --out "$WORK" --n "$n" --clutter "$c" --seeds "$SEED" --scans "$scans")"
        echo "== $dir ($scans scans)" >&2
        if [ "$RUN_SS" = 1 ] && { [ "$REUSE_SS" = 0 ] || [ ! -s "$dir/ss_timing.json" ]; }; then
            rm -f "$dir/ss_gospa.json"
            "$PY" "$HERE/stonesoup_run.py" --detections "$dir/detections.csv" --config "$CONFIG" \
                --out "$dir/ss_tracks.csv" --timing "$dir/ss_timing.json"
        fi
        if [ -s "$dir/ss_tracks.csv" ] && [ ! -s "$dir/ss_gospa.json" ]; then
            "$PY" "$HERE/gospa.py" --truth "$dir/truth.csv" --tracks "$dir/ss_tracks.csv" \
                --json "$dir/ss_gospa.json" > /dev/null
        fi
        bulwark_track "$dir/detections.csv" "$dir/bw_tracks.csv" "$dir/bw_timing.json"
        "$PY" "$HERE/gospa.py" --truth "$dir/truth.csv" --tracks "$dir/bw_tracks.csv" \
            --json "$dir/bw_gospa.json" > /dev/null
    done
done

echo
echo "Machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); $(date -u +%Y-%m-%dT%H:%MZ)"
"$PY" "$HERE/report.py" "$WORK"
