#!/usr/bin/env bash
# The hearing benchmark end to end, exactly as RESULTS.md "Hearing benchmark" was produced. Run from engines/:
#   bash tools/avbench.sh            # everything under build/ (git-ignored)
# Steps: data (seed 0, held-out test seed 1000) -> audio encoder pretraining (shared by the three variants)
# -> the three variants in parallel (1 thread each) -> Python evaluation on the test split and on the demo clip
# -> ONNX export of each variant -> loss-curve PNG.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PY=/usr/bin/python3
B=build
$PY -m acvis.data.avbench --out $B/avbench --seed 0 --test-seed 1000 --mp4-splits val,test
$PY -m acvis.audio_pretrain --data $B/avbench --config avbench --out $B/avbench-audio.pth --iters 400 --seed 0
mkdir -p $B/avbench-runs
declare -A CFG=([additive]=avbench_additive [acqg]=avbench_acqg [saoc]=avbench)
for v in additive acqg saoc; do
  $PY -m acvis.train --config ${CFG[$v]} --data $B/avbench --out $B/avbench-runs/$v \
      --audio-init $B/avbench-audio.pth --threads 1 --no-progress > $B/avbench-runs/$v.log 2>&1 &
done
wait
# stage 2: 600 more iterations from each stage-1 checkpoint (fresh optimizer and LR schedule; the CPU here was
# shared by ~5 builds, so training ran in two launches of 600 iterations)
for v in additive acqg saoc; do
  $PY -m acvis.train --config ${CFG[$v]} --data $B/avbench --out $B/avbench-runs/$v-s2 \
      --init $B/avbench-runs/$v/last.pth --iters 600 --threads 1 --no-progress > $B/avbench-runs/$v-s2.log 2>&1 &
done
wait
$PY -m acvis.data.avbench --demo-out $B/avb-demo --demo-seed 2026
for v in additive acqg saoc; do
  # stage-1 test metrics: $B/avbench-runs/$v/eval.json (written by acvis.train); stage 2:
  $PY -m acvis.evaluation --checkpoint $B/avbench-runs/$v-s2/last.pth --data $B/avbench --split test --out $B/avbench-runs/$v-s2/test
  $PY -m acvis.evaluation --checkpoint $B/avbench-runs/$v-s2/last.pth --data $B/avb-demo --split demo --out $B/avbench-runs/$v-s2/demo
  $PY -m acvis.export --config ${CFG[$v]} --checkpoint $B/avbench-runs/$v-s2/last.pth --out $B/avbench-runs/$v-s2/onnx
done
$PY tools/plot_runs.py docs/avbench-loss.png additive=$B/avbench-runs/additive acqg=$B/avbench-runs/acqg \
    acqg+saoc=$B/avbench-runs/saoc additive-s2=$B/avbench-runs/additive-s2@600 \
    acqg-s2=$B/avbench-runs/acqg-s2@600 acqg+saoc-s2=$B/avbench-runs/saoc-s2@600
$PY tools/avbench_table.py additive=$B/avbench-runs/additive-s2/test acqg=$B/avbench-runs/acqg-s2/test \
    acqg+saoc=$B/avbench-runs/saoc-s2/test
