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
"$bin" campaign "$campaign" --out "$work/single" --jobs 2
echo "== Slurm array of $shards tasks (examples/campaigns/slurm-array.sh)"
mkdir -p "$work/shards" "$work/logs"
# --cpus-per-task overrides the example's #SBATCH line: this node has $(nproc) CPUs.
if ! BULWARK="$bin" timeout 900 sbatch --wait --array=0-$((shards - 1)) --cpus-per-task=1 \
  --output="$work/logs/%A_%a.log" "$repo/examples/campaigns/slurm-array.sh" "$campaign" "$work/shards"; then
  echo "the array failed; task logs:" >&2
  tail -n 30 "$work"/logs/*.log >&2 || true
  exit 1
fi
echo "== merge"
"$bin" campaign merge "$work/shards" --out "$work/merged"
status=0
compared=0
for path in "$work"/single/*; do
  f=$(basename "$path")
  # The manifest and the rows files record how the work was split; the outputs must not.
  case "$f" in manifest.json | rows-*.jsonl) continue ;; esac
  [ -f "$path" ] || continue
  compared=$((compared + 1))
  if cmp -s "$path" "$work/merged/$f"; then
    echo "identical: $f"
  else
    echo "DIFFERENT: $f (single process vs $shards merged Slurm shards)" >&2
    status=1
  fi
done
if [ "$compared" -lt 3 ]; then
  echo "only $compared output files to compare: the campaign wrote too little" >&2
  status=1
fi
exit $status
