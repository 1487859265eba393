#!/usr/bin/env bash
# A campaign as a Slurm job array: N tasks each run one deterministic block of the
# (point, replication) list into a shared directory, then one job merges the blocks. The merged
# outputs are byte-identical to a single-process `bulwark campaign FILE --out DIR`.
#
#   sbatch --array=0-3 examples/campaigns/slurm-array.sh examples/campaigns/raid-size.toml runs/raid
#   # when the array is done (or chain it: see the end of this file):
#   bulwark campaign merge runs/raid --out runs/raid
#
# `--shard auto` reads the block index from SLURM_ARRAY_TASK_ID (minus SLURM_ARRAY_TASK_MIN, so
# --array=1-4 works too) and the count from SLURM_ARRAY_TASK_COUNT. A task that is killed (time
# limit, preemption) keeps the runs it finished: resubmit the same index and `--resume` skips them.
#SBATCH --job-name=bulwark-campaign
#SBATCH --cpus-per-task=4
#SBATCH --output=%x-%A_%a.log
set -euo pipefail
CAMPAIGN=${1:?campaign file}
OUT=${2:?output directory (shared by every task)}
BULWARK=${BULWARK:-bulwark}
"$BULWARK" campaign "$CAMPAIGN" --out "$OUT" --shard auto --jobs "${SLURM_CPUS_PER_TASK:-1}" --resume

# To submit the array and the merge in one go:
#   JID=$(sbatch --parsable --array=0-3 examples/campaigns/slurm-array.sh C.toml runs/c)
#   sbatch --dependency=afterok:$JID --wrap "bulwark campaign merge runs/c --out runs/c"
