#!/usr/bin/env bash
# Runs per second of a campaign against a plain `bulwark run` loop of the same 8 runs (the raid
# example at 2 and 8 cruise missiles, seeds 1–4), on one thread and on all cores:
#   cargo build --release -p bulwark-cli && bash benches/campaign.sh
# Prints wall-clock seconds and runs/s of each; the machine's load shows in both alike.
set -euo pipefail
cd "$(dirname "$0")/.."
B=${BULWARK:-target/release/bulwark}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
now() { date +%s.%N; }
rate() { awk -v n="$1" -v a="$2" -v b="$3" 'BEGIN { printf "%6.2f s  %5.2f runs/s\n", b - a, n / (b - a) }'; }

t0=$(now)
for count in 2 8; do
  sed "s/^count = 8$/count = $count/" examples/campaigns/raid.toml > "$T/raid-$count.toml"
  for seed in 1 2 3 4; do
    "$B" run "$T/raid-$count.toml" --seed "$seed" --out "$T/run-$count-$seed" --quiet > /dev/null
  done
done
t1=$(now)
echo -n "bulwark run loop (8 runs, 1 process each):  "; rate 8 "$t0" "$t1"

t0=$(now)
"$B" campaign benches/campaign/raid-count.toml --out "$T/c1" --jobs 1 2> /dev/null
t1=$(now)
echo -n "bulwark campaign --jobs 1 (8 runs):          "; rate 8 "$t0" "$t1"

t0=$(now)
"$B" campaign benches/campaign/raid-count.toml --out "$T/cn" 2> /dev/null
t1=$(now)
echo -n "bulwark campaign --jobs $(nproc) (8 runs):          "; rate 8 "$t0" "$t1"

# The same runs: the loop's summaries and the campaign's rows agree.
cmp "$T/c1/runs.csv" "$T/cn/runs.csv" && echo "runs.csv identical for --jobs 1 and $(nproc)"
