#!/usr/bin/env bash
# A sweep split into N shards with GNU parallel (apt-get install parallel), e.g. on one
# big machine, or across hosts with parallel's --sshlogin; then merged into one summary
# in results/<config file name>/.
#   scripts/parallel-shards.sh N CONFIG [sparse-adam run flags]
set -euo pipefail
cd "$(dirname "$0")/.."
sparse_adam() { node bin/sparse-adam "$@"; } # the repository's own build (npm install builds it)
shards=${1:?usage: scripts/parallel-shards.sh N CONFIG [flags]}
config=${2:?usage: scripts/parallel-shards.sh N CONFIG [flags]}
shift 2
out="results/$(basename "$config" .yaml)"
seq 1 "$shards" | parallel --halt now,fail=1 --line-buffer \
  node bin/sparse-adam run "$config" --out "$out" --jobs 1 --shard "{}/$shards" "$@"
sparse_adam merge "$out"
sparse_adam ls "$out"
