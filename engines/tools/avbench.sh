#!/usr/bin/env bash
# The hearing benchmark end to end, exactly as RESULTS.md "Hearing benchmark" was produced. Run from engines/:
#   bash tools/avbench.sh            # everything under build/ (git-ignored)
# Every step is seeded (training seed 0); on another machine the numbers can differ in the last digits only
# through float non-determinism of the CPU kernels.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PY=/usr/bin/python3
B=build
R=$B/avbench-runs
mkdir -p $R
# 1. data: train/val from seed 0, the held-out test split from seed 1000; mp4 only for val/test (saves CPU)
$PY -m acvis.data.avbench --out $B/avbench --seed 0 --test-seed 1000 --mp4-splits val,test
$PY -m acvis.data.avbench --demo-out $B/avb-demo --demo-seed 2026      # the bundled demo clip's video
# 2. audio encoder pretraining on the train split (400 steps), one global PCA scale (stage-1 runs) / whitened
$PY -m acvis.audio_pretrain --data $B/avbench --config avbench --out $B/avbench-audio.pth --iters 400 --pca scale
$PY -m acvis.audio_pretrain --data $B/avbench --config avbench --out $B/avbench-audio-w.pth --iters 400 --pca whiten
# 3. the ablation, 600 iterations each, in parallel, 1 thread each (stage 1 predates the audio-projection
#    standardisation, hence --audio-proj-init default)
declare -A CFG=([additive]=avbench_additive [acqg]=avbench_acqg [saoc]=avbench)
for v in additive acqg saoc; do
  $PY -m acvis.train --config ${CFG[$v]} --data $B/avbench --out $R/$v --audio-init $B/avbench-audio.pth \
      --audio-proj-init default --threads 1 --no-progress > $R/$v.log 2>&1 &
done
wait
for v in additive acqg saoc; do
  $PY -m acvis.evaluation --checkpoint $R/$v/last.pth --data $B/avbench --split test --out $R/$v/test
done
# 4. the bundled model: acqg+saoc continued in three launches (what the shared CPU allowed)
$PY -m acvis.train --config avbench --data $B/avbench --out $R/bundled --init $R/saoc/last.pth --iters 400 \
    --audio-proj-init default --threads 1 --no-progress > $R/bundled.log 2>&1
$PY -m acvis.train --config avbench --data $B/avbench --out $R/bundled-w --init $R/bundled/last.pth \
    --audio-init $B/avbench-audio-w.pth --iters 600 --audio-proj-init default --threads 1 --no-progress > $R/bundled-w.log 2>&1
$PY -m acvis.train --config avbench --data $B/avbench --out $R/bundled-s4 --init $R/bundled-w/last.pth --iters 600 \
    --audio-proj-init standardise --threads 1 --no-progress > $R/bundled-s4.log 2>&1
$PY -m acvis.evaluation --checkpoint $R/bundled-s4/last.pth --data $B/avbench --split test --rank 10 --out $R/bundled-s4/test-rank
$PY -m acvis.evaluation --checkpoint $R/bundled-s4/last.pth --data $B/avb-demo --split demo --out $R/bundled-s4/demo
$PY -m acvis.export --config avbench --checkpoint $R/bundled-s4/last.pth --out models/tiny
# 5. ablation graphs (not committed), the previous bundled model for comparison, audio probe, table, curves
for v in additive acqg saoc; do
  $PY -m acvis.export --config ${CFG[$v]} --checkpoint $R/$v/last.pth --out $R/$v/onnx
done
$PY tools/audio_probe.py $R/bundled-s4/last.pth $B/avbench
$PY tools/avbench_table.py additive=$R/additive/test acqg=$R/acqg/test acqg+saoc=$R/saoc/test \
    bundled=$R/bundled-s4/test-rank
$PY tools/plot_runs.py docs/avbench-loss.png additive=$R/additive acqg=$R/acqg acqg+saoc=$R/saoc \
    "bundled +400=$R/bundled@600" "bundled +600 (whitened)=$R/bundled-w@1000" "bundled +600 (std. proj.)=$R/bundled-s4@1600"
