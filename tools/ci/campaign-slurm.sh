#!/usr/bin/env bash
# End-to-end check of campaign sharding on a real Slurm cluster: start a one-node cluster
# on loopback, submit the example array script as 4 tasks, merge the shards, and require
# the merged campaign to equal the single-process run byte for byte. Daemons are stopped
# by pid on every exit path.
#
#   tools/ci/campaign-slurm.sh BULWARK_BINARY CAMPAIGN.toml
set -euo pipefail
bin=$(realpath "${1:?usage: campaign-slurm.sh BULWARK_BINARY CAMPAIGN.toml}")
campaign=$(realpath "${2:?usage: campaign-slurm.sh BULWARK_BINARY CAMPAIGN.toml}")
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/bulwark-slurm.XXXXXX")
trap '"$here/slurm.sh" stop "$work/cluster"; rm -rf "$work"' EXIT

"$here/slurm.sh" start "$work/cluster"
export SLURM_CONF="$work/cluster/slurm.conf"

shards=4
echo "== single process"
"$bin" campaign "$campaign" --out "$work/single" --jobs 2 --quiet
echo "== Slurm array of $shards tasks (examples/campaigns/slurm-array.sh)"
export BULWARK="$bin" CAMPAIGN="$campaign" OUT="$work/shards"
mkdir -p "$work/shards" "$work/logs"
if ! timeout 900 sbatch --wait --array=0-$((shards - 1)) --output="$work/logs/%A_%a.log" \
  "$repo/examples/campaigns/slurm-array.sh"; then
  echo "the array failed; task logs:" >&2
  tail -n 30 "$work"/logs/*.log >&2 || true
  exit 1
fi
echo "== merge"
"$bin" campaign merge "$work"/shards/shard-* --out "$work/merged"
status=0
for f in runs.csv runs.parquet points.csv points.parquet; do
  if [ -f "$work/single/$f" ] || [ -f "$work/merged/$f" ]; then
    if cmp -s "$work/single/$f" "$work/merged/$f"; then
      echo "identical: $f"
    else
      echo "DIFFERENT: $f (single process vs $shards merged Slurm shards)" >&2
      status=1
    fi
  fi
done
exit $status
