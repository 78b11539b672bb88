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
# run 4's larger training split: 640 train videos (the first 160 are the ones above; val and test identical)
$PY -m acvis.data.avbench --out $B/avbench640 --seed 0 --test-seed 1000 --train 640 --mp4-splits ""
$PY -m acvis.data.avbench --out $B/avbench1920 --seed 0 --test-seed 1000 --train 1920 --mp4-splits ""  # and 12x
# 2. audio encoder pretraining on the train split (400 steps), one global PCA scale (stage-1 runs) / whitened
$PY -m acvis.audio_pretrain --data $B/avbench --config avbench --out $B/avbench-audio.pth --iters 400 --pca scale
$PY -m acvis.audio_pretrain --data $B/avbench --config avbench --out $B/avbench-audio-w.pth --iters 400 --pca whiten
# 3. the ablation: the three variants from scratch on the same frozen audio encoder, 1 thread each, in parallel.
#    The `avbench` configs centre the 8-bit audio features where they enter the fusion (ModelConfig.audio_input_norm).
#    additive and acqg stop at iteration 1000 (LR still 1e-3); acqg+SAOC is snapshotted there (saoc-1000, the
#    ablation row) and runs the whole preset (2000 iterations, LR x0.1 at 1600); step 4 continues it.
R=$B/r2
mkdir -p $R
declare -A CFG=([additive]=avbench_additive [acqg]=avbench_acqg [saoc]=avbench [k4]=avbench_k4)
for v in additive acqg; do
  $PY -m acvis.train --config ${CFG[$v]} --data $B/avbench --out $R/$v-1000 --audio-init $B/avbench-audio.pth \
      --iters 1000 --lr-steps 1600 --threads 1 --no-progress > $R/$v.log 2>&1 &
done
$PY -m acvis.train --config avbench --data $B/avbench --out $R/saoc --audio-init $B/avbench-audio.pth \
    --threads 1 --no-progress --snapshot-at 1000 $R/saoc-1000 > $R/saoc.log 2>&1 &
wait
for v in additive acqg saoc; do
  $PY -m acvis.evaluation --checkpoint $R/$v-1000/last.pth --data $B/avbench --split test --out $R/$v-1000/test
done
# 4. the bundled model: acqg+SAOC after the whole preset, continued twice from its weights (fresh AdamW each time)
$PY -m acvis.train --config avbench --data $B/avbench --out $R/saoc-b --init $R/saoc/last.pth --iters 1600 --lr 5e-4 \
    --lr-steps 1200 --threads 1 --no-progress > $R/saoc-b.log 2>&1
$PY -m acvis.train --config avbench --data $B/avbench --out $R/saoc-c --init $R/saoc-b/last.pth --iters 4000 --lr 5e-4 \
    --lr-steps 3200 --threads 1 --no-progress > $R/saoc-c.log 2>&1
# then the max-count head (K=5, config avbench_k4; its first two levels from saoc-c) and no-object weight 0.4
R3=$B/r3; mkdir -p $R3
$PY -m acvis.train --config avbench_k4 --data $B/avbench --out $R3/k4-e --init $R/saoc-c/last.pth --iters 3000 \
    --lr 3e-4 --lr-steps 2400 --no-object-weight 0.4 --threads 1 --no-progress > $R3/k4-e.log 2>&1
$PY -m acvis.train --config avbench_k4 --data $B/avbench --out $R3/k4-g --init $R3/k4-e/last.pth --iters 4000 \
    --lr 1.5e-4 --lr-steps 3200 --no-object-weight 0.4 --threads 1 --no-progress > $R3/k4-g.log 2>&1
# run 4: k4-g continued on 4x the training videos (build/avbench640), +8 000 at 1.5e-4 (x0.1 at 6 400), then k4-j
# continued the same way on 12x (build/avbench1920): k4-k, bundled
R4=$B/r4; mkdir -p $R4
$PY -m acvis.train --config avbench_k4 --data $B/avbench640 --out $R4/k4-j --init $R3/k4-g/last.pth --iters 8000 \
    --lr 1.5e-4 --lr-steps 6400 --no-object-weight 0.4 --threads 1 --no-progress --snapshot-at 4000 $R4/k4-j-4000 \
    > $R4/k4-j.log 2>&1
$PY -m acvis.train --config avbench_k4 --data $B/avbench1920 --out $R4/k4-k --init $R4/k4-j/last.pth --iters 8000 \
    --lr 1.5e-4 --lr-steps 6400 --no-object-weight 0.4 --threads 1 --no-progress --snapshot-at 4000 $R4/k4-k-4000 \
    > $R4/k4-k.log 2>&1
# k4-k continued at 1e-4 (k4-l): lost on validation, not bundled (RESULTS.md run 4)
$PY -m acvis.train --config avbench_k4 --data $B/avbench1920 --out $R4/k4-l --init $R4/k4-k/last.pth --iters 8000 \
    --lr 1e-4 --lr-steps 6400 --no-object-weight 0.4 --threads 1 --no-progress > $R4/k4-l.log 2>&1
# run 5 (RESULTS.md): the audio a live mp4 brings (AAC, 48 kHz stereo; MELAudios_aac) and the level of the feed.
#     k4-k's hearing breaks at +3-6 dB; three continuations of k4-k, +8 000 at 1.5e-4 on the 1 920 videos:
#     audio-shifted clips (k5-a), shifted + level (k5-g), level +-6 dB + codec (k5-h), level +-10 dB + codec (k5-i)
$PY -m acvis.data.avbench --out $B/avbench1920 --codec-mels train --workers 2
$PY -m acvis.data.avbench --out $B/avbench --codec-mels val,test --workers 2
$PY -m acvis.data.avbench --out $B/avb-demo --codec-mels demo
R5=$B/r5; mkdir -p $R5
K5="--config avbench_k4 --data $B/avbench1920 --init $R4/k4-k/last.pth --iters 8000 --lr 1.5e-4 --lr-steps 6400 --no-object-weight 0.4 --threads 1 --no-progress"
$PY -m acvis.train $K5 --out $R5/k5-a --audio-shift 0.5 --snapshot-at 4000 $R5/k5-a-4000 > $R5/k5-a.log 2>&1
$PY -m acvis.train $K5 --out $R5/k5-g --audio-shift 0.5 --audio-gain-db 6 --snapshot-at 4000 $R5/k5-g-4000 > $R5/k5-g.log 2>&1
$PY -m acvis.train $K5 --out $R5/k5-h --audio-gain-db 6 --audio-codec 0.5 --snapshot-at 4000 $R5/k5-h-4000 > $R5/k5-h.log 2>&1
$PY -m acvis.train $K5 --out $R5/k5-i --audio-gain-db 10 --audio-codec 0.5 --snapshot-at 4000 $R5/k5-i-4000 > $R5/k5-i.log 2>&1
$PY -m acvis.train $K5 --out $R5/k5-c --audio-codec 0.5 --threads 2 > $R5/k5-c.log 2>&1   # codec only
# selection (declared before the first result): mean validation agreement over clean, codec, -6 dB and +6 dB audio;
# k5-g won it by 10 of 1 520 object-frames, lost every goal on test and in the demo, and is not bundled (RESULTS.md)
for ck in $R4/k4-k $R5/k5-a $R5/k5-a-4000 $R5/k5-g $R5/k5-g-4000 $R5/k5-h $R5/k5-h-4000 $R5/k5-i $R5/k5-i-4000 $R5/k5-c; do for sp in val test; do
  $PY -m acvis.evaluation --checkpoint $ck/last.pth --data $B/avbench --split $sp --out $ck/$sp-clean
  $PY -m acvis.evaluation --checkpoint $ck/last.pth --data $B/avbench --split $sp --codec --out $ck/$sp-codec
  for g in -6 -3 3 6 10; do
    $PY -m acvis.evaluation --checkpoint $ck/last.pth --data $B/avbench --split $sp --gain-db $g --out $ck/$sp-g$g
  done
done; done
$PY tools/hearing_by_object.py --checkpoint $R4/k4-k/last.pth --data $B/avb-demo --split demo --codec  # the demo's misses
#    k5-g through the Java path and the demo: step 6, run 5
# run 6 (RESULTS.md): 3x the training videos (the first 5 760 of seed 0's train split: the 1 920 and 3 840 more; a
#     video depends only on its seed and index) and 80 validation videos (the 16 and 64 more), then k4-k continued
#     +16 000 at 1.5e-4 (k6-a) and at 3e-4 (k6-b), x0.1 at 12 800; selection declared before the first result:
#     the highest val80 agreement, k4-k stays unless beaten (RESULTS.md run 6); frames all right: frame_agreement
$PY -m acvis.data.avbench --out $B/avbench5760 --seed 0 --test-seed 1000 --train 5760 --val 80 --mp4-splits ""
R6=$B/r6; mkdir -p $R6
K6="--config avbench_k4 --data $B/avbench5760 --init $R4/k4-k/last.pth --iters 16000 --lr-steps 12800 --no-object-weight 0.4 --threads 1 --no-progress"
$PY -m acvis.train $K6 --out $R6/k6-a --lr 1.5e-4 --snapshot-at 8000 $R6/k6-a-8000 > $R6/k6-a.log 2>&1
$PY -m acvis.train $K6 --out $R6/k6-b --lr 3e-4 --snapshot-at 8000 $R6/k6-b-8000 > $R6/k6-b.log 2>&1
for ck in $R4/k4-k $R6/k6-a-8000 $R6/k6-a $R6/k6-b-8000 $R6/k6-b; do
  $PY -m acvis.evaluation --checkpoint $ck/last.pth --data $B/avbench5760 --split val --out $ck/val80
  $PY -m acvis.evaluation --checkpoint $ck/last.pth --data $B/avbench --split test --out $ck/test-r6
done
$PY tools/flag_errors.py --checkpoint $R4/k4-k/last.pth --data $B/avbench5760 --split val   # where wrong frames come from
# run 7 (RESULTS.md): the audio encoder was the bottleneck (run 3's, pretrained 400 steps on 160 videos: exact
#     sounding-set accuracy 72.7 % on val80); pretrained again 3 000 steps on the 5 760 (95.1 %), then k4-k continued
#     with it (--audio-init after --init replaces the encoder) +12 000 at 3e-4 (k7-a) and 6e-4 (k7-b), x0.1 at 9 600;
#     selection declared before the first result: the highest val80 frame_agreement (RESULTS.md run 7)
$PY tools/flag_smoothing.py --checkpoint $R4/k4-k/last.pth --data $B/avbench5760 --split val   # temporal smoothing: no
$PY -m acvis.audio_pretrain --data $B/avbench5760 --config avbench --out $B/avbench5760-audio.pth --iters 3000 --pca scale
$PY -m acvis.audio_pretrain --data $B/avbench --val-data $B/avbench5760 --config avbench --out $B/avbench-audio-check.pth --iters 400 --pca scale  # run 3's encoder again (the same weights), scored on val80
R7=$B/r7; mkdir -p $R7
K7="--config avbench_k4 --data $B/avbench5760 --init $R4/k4-k/last.pth --audio-init $B/avbench5760-audio.pth --iters 12000 --lr-steps 9600 --no-object-weight 0.4 --threads 1 --no-progress"
$PY -m acvis.train $K7 --out $R7/k7-a --lr 3e-4 --snapshot-at 6000 $R7/k7-a-6000 > $R7/k7-a.log 2>&1 &
$PY -m acvis.train $K7 --out $R7/k7-b --lr 6e-4 --snapshot-at 6000 $R7/k7-b-6000 > $R7/k7-b.log 2>&1
wait
for ck in $R7/k7-a-6000 $R7/k7-a $R7/k7-b-6000 $R7/k7-b; do
  $PY -m acvis.evaluation --checkpoint $ck/last.pth --data $B/avbench5760 --split val --out $ck/val80
  $PY -m acvis.evaluation --checkpoint $ck/last.pth --data $B/avbench --split test --out $ck/test-r7
done
$PY tools/flag_errors.py --checkpoint $R7/k7-b/last.pth --data $B/avbench5760 --split val   # what is left: twins
for g in -6 -3 3 6 10; do $PY -m acvis.evaluation --checkpoint $R7/k7-b/last.pth --data $B/avbench --split test --gain-db $g --out $R7/k7-b/test-g$g; done
$PY -m acvis.evaluation --checkpoint $R7/k7-b/last.pth --data $B/avbench --split test --codec --out $R7/k7-b/test-codec
BUNDLED=$R7/k7-b    # val80's choice in run 7 (k4-k before)
$PY -m acvis.evaluation --checkpoint $BUNDLED/last.pth --data $B/avb-demo --split demo --out $BUNDLED/demo
$PY -m acvis.export --config avbench_k4 --checkpoint $BUNDLED/last.pth --out models/tiny
# 4b. run 3's comparison legs (RESULTS.md): from saoc-c, 3 000 it. at 3e-4 with no-object weight 0.1 (saoc-d) and
#     0.4 (saoc-e), K=3; k4-e continued at 3e-4 instead (k4-f: +8 000); k4-g continued with 2 clips a step (k4-h);
#     k4-g's leg with no-object weight 0.8 (k4-i)
$PY -m acvis.train --config avbench --data $B/avbench --out $R/saoc-d --init $R/saoc-c/last.pth --iters 3000 \
    --lr 3e-4 --lr-steps 2400 --threads 1 --no-progress > $R/saoc-d.log 2>&1
$PY -m acvis.train --config avbench --data $B/avbench --out $R3/saoc-e --init $R/saoc-c/last.pth --iters 3000 \
    --lr 3e-4 --lr-steps 2400 --no-object-weight 0.4 --threads 1 --no-progress > $R3/saoc-e.log 2>&1
$PY -m acvis.train --config avbench_k4 --data $B/avbench --out $R3/k4-f --init $R3/k4-e/last.pth --iters 8000 \
    --lr 3e-4 --lr-steps 6400 --no-object-weight 0.4 --threads 1 --no-progress --snapshot-at 4000 $R3/k4-f-4000 \
    > $R3/k4-f.log 2>&1
$PY -m acvis.evaluation --checkpoint $R3/k4-f-4000/last.pth --data $B/avbench --split test --out $R3/k4-f-4000/test
$PY -m acvis.train --config avbench_k4 --data $B/avbench --out $R3/k4-h --init $R3/k4-g/last.pth --iters 4000 \
    --lr 1e-4 --lr-steps 3200 --no-object-weight 0.4 --clips-per-iter 2 --threads 1 --no-progress > $R3/k4-h.log 2>&1
$PY -m acvis.train --config avbench_k4 --data $B/avbench --out $R3/k4-i --init $R3/k4-e/last.pth --iters 4000 \
    --lr 1.5e-4 --lr-steps 3200 --no-object-weight 0.8 --threads 1 --no-progress > $R3/k4-i.log 2>&1
# 4c. run 4 (RESULTS.md): the sounding flag's rule, count vs heard, same weights (k4-g); val chose the threshold;
#     then the checkpoints under the rule heard, val (selection) and test
for sp in val test; do for rule in count heard; do
  $PY -m acvis.evaluation --checkpoint $R3/k4-g/last.pth --data $B/avbench --split $sp --sounding-rule $rule \
      --rank 100 --out $R3/k4-g/$sp-$rule
done; done
for ck in $R3/k4-e $R3/k4-f $R3/k4-h $R3/k4-i $R4/k4-j-4000 $R4/k4-j $R4/k4-k-4000 $R4/k4-k $R4/k4-l; do for sp in val test; do
  $PY -m acvis.evaluation --checkpoint $ck/last.pth --data $B/avbench --split $sp --out $ck/$sp-heard
done; done
# 5. ablation graphs (not committed), audio probe, table, curves
for v in additive acqg saoc; do
  $PY -m acvis.export --config ${CFG[$v]} --checkpoint $R/$v-1000/last.pth --out $R/$v-1000/onnx
done
$PY tools/avbench_table.py additive=$R/additive-1000/test acqg=$R/acqg-1000/test acqg+saoc=$R/saoc-1000/test
$PY tools/avbench_table.py "acqg+saoc 2000 it.=$R/saoc" "+1600 it. (3600)=$R/saoc-b" "+4000 it. (7600, bundled)=$R/saoc-c"
$PY tools/avbench_table.py "+3000 K3 no-object 0.1 (saoc-d)=$R/saoc-d" "+3000 K3 no-object 0.4 (saoc-e)=$R3/saoc-e" \
    "+3000 K5 no-object 0.4 (k4-e)=$R3/k4-e" "k4-e +4000 (k4-f-4000)=$R3/k4-f-4000/test" "k4-e +8000 (k4-f)=$R3/k4-f" "k4-e +4000 at 1.5e-4 (k4-g, bundled)=$R3/k4-g" \
    "k4-g +4000 at 1e-4, 2 clips (k4-h)=$R3/k4-h" "k4-e +4000 at 1.5e-4, no-object 0.8 (k4-i)=$R3/k4-i"
$PY tools/plot_runs.py docs/avbench-loss.png additive=$R/additive-1000 acqg=$R/acqg-1000 \
    "acqg+saoc (bundled chain)=$R/saoc" "+1600 (5e-4)=$R/saoc-b@2000" "+4000 (5e-4)=$R/saoc-c@3600" \
    "K5 no-object 0.4 (3e-4)=$R3/k4-e@7600" "+4000 (1.5e-4)=$R3/k4-g@10600" \
    "+8000 on 640 videos (1.5e-4)=$R4/k4-j@14600" "+8000 on 1920 videos (1.5e-4)=$R4/k4-k@22600" \
    "+12000 on 5760, new audio encoder (6e-4, bundled)=$B/r7/k7-b@30600"
# 6. the Java path (offline-exact and live W=6 L=0/3), after `mvn -B -q -o package -DskipTests` at the root:
#    DATA=$B/avbench RUNS=$R SUFFIX=-1000 VARIANTS="additive acqg saoc" OUT=$B/score-r2-1000 bash tools/score_variants.sh
#    DATA=$B/avbench VARIANTS=bundled OUT=$B/score-bundled bash tools/score_variants.sh
#    run 3: DATA=$B/avbench RUNS=$R3 SUFFIX=-e VARIANTS=k4 OUT=$B/score-r3 bash tools/score_variants.sh (and SUFFIX=-g)
#    run 4: DATA=$B/avbench RUNS=$R3 SUFFIX=-g VARIANTS=k4 RULE=count|heard ...; DATA=$B/avbench VARIANTS=bundled OUT=$B/score-r4k
#    run 5 (k5-g, measured as the bundled model would be, then put back): $PY -m acvis.export --config avbench_k4
#    --checkpoint $R5/k5-g/last.pth --out models/tiny; rebuild; DATA=$B/avbench VARIANTS=bundled OUT=$B/score-r5g bash
#    tools/score_variants.sh; `java -jar ../target/quarkus-app/quarkus-run.jar demo`; git checkout models/tiny
#    run 6 (k6-a, val's choice): ln -s k6-a $R6/k4-6a; DATA=$B/avbench RUNS=$R6 SUFFIX=-6a VARIANTS=k4 OUT=$B/score-r6a bash tools/score_variants.sh
#    run 7 (k7-b, bundled by step 4's export above): DATA=$B/avbench VARIANTS=bundled OUT=$B/score-r7 bash tools/score_variants.sh
#    the hygiene row: predict --mode live --duplicate-iou 1 (README, "Scoring a model through the Java path")
