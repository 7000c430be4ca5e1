#!/usr/bin/env bash
# A sweep as a Slurm job array: each array task runs its shard of the sweep's points
# (sparse-adam reads SLURM_ARRAY_TASK_ID, SLURM_ARRAY_TASK_MIN and SLURM_ARRAY_TASK_COUNT).
# All tasks write into the same results folder on the shared file system, each its own
# runs/<id>/ folders and summary-shard-I-of-N.csv in results/<config file name>/; merge
# them when the array is done:
#   sbatch --array=0-7 scripts/slurm-array.sh configs/sweeps/lr.yaml --data-dir /shared/mnist
#   sbatch --dependency=afterany:<jobid> --wrap "node bin/sparse-adam merge results/lr"
# Resubmitting the array skips completed runs and redoes interrupted ones.
#SBATCH --job-name=sparse-adam
#SBATCH --cpus-per-task=1
#SBATCH --mem=4G
#SBATCH --time=04:00:00
#SBATCH --output=slurm-%A_%a.out
set -euo pipefail
cd "${SLURM_SUBMIT_DIR:-$(dirname "$0")/..}"
sparse_adam() { node bin/sparse-adam "$@"; } # the repository's own build (npm install builds it)
config=${1:?usage: sbatch --array=0-N scripts/slurm-array.sh CONFIG [sparse-adam run flags]}
shift
sparse_adam run "$config" --out "results/$(basename "$config" .yaml)" --jobs 1 "$@"
