#!/usr/bin/env bash
# ArcFace vs ArcFace + SubFace vs CosFace vs CosFace + SubFace on one data
# set, 3 seeds each, same steps and batch; one JSON line per run on stdout.
#
#   bench/compare_losses.sh orl    # ORL, identity-disjoint split, pairs
#                                  # generated from the held-out people
#   bench/compare_losses.sh lfw    # LFW subset without the people of
#                                  # pairs.txt fold 1, scored on fold 1
# Extra arguments go to every `subface train` call.
set -euo pipefail
cd "$(dirname "$0")/.."
data=${1:?usage: bench/compare_losses.sh orl|lfw [train flags...]}
shift
case "$data" in
  orl) set -- --data ../shared/data/orl-faces --eval split --steps 150 \
    --batch-size 32 --image-size 64 "$@" ;;
  lfw) set -- --data ../shared/data/lfw-gray-subset \
    --eval ../shared/data/lfw-protocol/pairs.txt \
    --eval-images ../shared/data/lfw-gray-subset --eval-folds 1 \
    --center-crop 0.5 --steps 400 --batch-size 32 --image-size 64 "$@" ;;
  *) echo "compare_losses.sh: data must be orl or lfw, but got '$data'" >&2
    exit 2 ;;
esac
runs=${RUNS_DIR:-runs/compare-$data}
for seed in 1 2 3; do
  for variant in arcface arcface-subface cosface cosface-subface; do
    case "$variant" in
      *-subface) head=(--subface-ratio 0.8 --sampler exact) ;;
      *) head=(--no-subface) ;;
    esac
    line=$(node out/kernels/subface/cli/main.js --json train "$@" \
      --loss "${variant%-subface}" "${head[@]}" --seed "$seed" \
      --name "$variant-seed$seed" --runs-dir "$runs" | tail -n 1)
    echo "{\"variant\":\"$variant\",\"seed\":$seed,\"result\":$line}"
  done
done
