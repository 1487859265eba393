#!/usr/bin/env bash
# Regenerates results.csv and results.md (the tables of README.md): the campaign with every
# run's outputs kept, then tables.py over them.
# Usage: studies/stealth/run.sh [OUT_DIR]   (BULWARK=path/to/bulwark to use another binary)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=${1:-$root/target/study-stealth}
bulwark=${BULWARK:-$root/target/release/bulwark}
[ -x "$bulwark" ] || (cd "$root" && cargo build --release -q -p bulwark-cli)
rm -rf "$out"
"$bulwark" campaign "$here/campaign.toml" --out "$out" --jobs "${JOBS:-2}" --keep-runs
python3 "$here/tables.py" "$out" | tee "$here/results.md"
cp "$out/results.csv" "$here/results.csv"
