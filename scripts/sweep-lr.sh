#!/usr/bin/env bash
# A learning-rate sweep on one workstation, all cores busy: one worker process per core,
# each running one run at a time. Safe to rerun: completed runs are skipped, interrupted
# ones redone. Results go to results/<config file name>/. Extra arguments go to
# `sparse-adam run` (e.g. --data-dir ../shared/mnist, --set train.epochs=10).
#   scripts/sweep-lr.sh [CONFIG] [--data-dir DIR] [--set key=value ...]
set -euo pipefail
cd "$(dirname "$0")/.."
sparse_adam() { node bin/sparse-adam "$@"; } # the repository's own build (npm install builds it)
config=${1:-configs/sweeps/lr.yaml}
shift || true
out="results/$(basename "$config" .yaml)"
sparse_adam run "$config" --out "$out" --jobs "$(nproc)" "$@"
sparse_adam ls "$out"
