#!/usr/bin/env bash
# Issue 8's GPU check as one prepared command for a lent GPU (the device tool gives a session
# 15 minutes of device time, all tries together, a machine's start included): the committed
# network's serving throughput under bf16 autocast, then cover-resnet50 trained from scratch for
# TRAIN_MINUTES, its masks measured as served, and its confident masks of the unlabelled photos
# (a stronger teacher's pseudo-labels for `train --pseudo` back on the CPU).
#
#   bash benchmarks/gpu_session.sh stage   # here, once: data + pysodmetrics wheel into .gpu/
#   bash benchmarks/gpu_session.sh run     # there: device `run` with carry [".gpu"], timeout_s 560
#
# `run` writes to $OUT (default runs/gpu): gpu.txt, inference.md, train.log, log.jsonl, masks.md,
# pseudo-labels.tgz. Knobs: DEVICE (cuda), TRAIN_MINUTES (4), LIMIT (train on N photos: a dry
# run on the CPU), IMAGES (256, for the throughput), PSEUDO (1; 0 skips the pseudo-labels).
set -euo pipefail
cd "$(dirname "$0")/.."
STAGE=.gpu
KINDS="sod fg photos faces"  # what the recipe reads (--no-objects), about 40 MiB

stage() {
  grep -qx "/$STAGE/" .git/info/exclude 2>/dev/null || echo "/$STAGE/" >> .git/info/exclude
  rm -rf "$STAGE" && mkdir -p "$STAGE/data" "$STAGE/wheels"
  for kind in $KINDS; do cp -r "${COVERAPP_DATA:-../shared/data}/$kind" "$STAGE/data/"; done
  python3 -m pip download --quiet --no-deps --only-binary=:all: --python-version 3.12 \
    --implementation cp --platform manylinux2014_x86_64 -d "$STAGE/wheels" \
    "pysodmetrics==$(.venv/bin/python -c 'import importlib.metadata as m; print(m.version("pysodmetrics"))')"
  du -sh "$STAGE"
}

run() {
  OUT=${OUT:-runs/gpu}; DEVICE=${DEVICE:-cuda}; TRAIN_MINUTES=${TRAIN_MINUTES:-4}
  PYTHON=${PYTHON:-python3}
  mkdir -p "$OUT"
  export COVERAPP_DATA="$PWD/$STAGE/data" PYTHONPATH="$PWD:/tmp/site" PYTHONUNBUFFERED=1
  "$PYTHON" -c "import py_sod_metrics" 2>/dev/null || "$PYTHON" -m pip install -q --no-index \
    --no-deps --no-compile --no-cache-dir --target /tmp/site "$STAGE"/wheels/*.whl
  { nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv 2>&1 || true
    "$PYTHON" -c "import torch; print('torch', torch.__version__, 'cuda', torch.cuda.is_available())"
  } | tee "$OUT/gpu.txt"
  "$PYTHON" benchmarks/inference.py --device "$DEVICE" --images "${IMAGES:-256}" | tee "$OUT/inference.md"
  "$PYTHON" -m assessment train --variant cover-resnet50 --device "$DEVICE" --epochs 400 \
    --max-minutes "$TRAIN_MINUTES" --batch-size 32 --workers 12 --crop 256 --val-every 5 \
    --val-photos 16 --face-hints 0.5 --torso-hints --no-objects --mask-repeat 3 --iou 1 --lam 1 \
    ${LIMIT:+--limit "$LIMIT"} --out /tmp/r50 2>&1 | tr '\r' '\n' | grep -v "%|" \
    | tee "$OUT/train.log"
  cp /tmp/r50/log.jsonl "$OUT/log.jsonl"
  "$PYTHON" -m assessment export /tmp/r50/last.pt --out /tmp/r50.pt --version gpu-session
  "$PYTHON" benchmarks/masks.py /tmp/r50.pt --device "$DEVICE" --sets sod/val fg/val \
    --face-photos 0 \
    | tee "$OUT/masks.md"
  if [ "${PSEUDO:-1}" = 1 ]; then
    "$PYTHON" -m assessment pseudo-label --checkpoint /tmp/r50.pt --device "$DEVICE" \
      --out /tmp/pseudo-labels
    tar czf "$OUT/pseudo-labels.tgz" -C /tmp pseudo-labels
  fi
}

case "${1:-}" in
  stage) stage ;;
  run) run ;;
  *) echo "usage: bash benchmarks/gpu_session.sh stage|run" >&2; exit 2 ;;
esac
