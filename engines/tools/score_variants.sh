#!/usr/bin/env bash
# The hearing benchmark through the Java path (engines/RESULTS.md, "Hearing benchmark: Java path, cost of streaming").
# For each trained variant (additive, acqg, acqg+SAOC) and the committed bundled model (models/tiny): export the ONNX
# graphs when missing or older than the checkpoint, then `predict` offline-exact and live (the service's topology,
# W = the model's window, L = 0 and 3), `evaluate` each (mAP, HOTA, FSLA, sound accuracy) and the object-level
# hearing metrics of the sounding flags (tools/hearing_flags.py); prints one markdown table.
# Run from engines/ after `mvn -B -q -o package -DskipTests` at the repository root:
#   DATA=build/avbench RUNS=build/avbench-runs bash tools/score_variants.sh
# Environment: DATA (benchmark root, default build/avbench), SPLIT (test), RUNS (checkpoints: <v>$SUFFIX/last.pth; without
# SUFFIX <v>-s2/last.pth, else <v>/last.pth; avbench.sh's ablation rows: RUNS=build/r2 SUFFIX=-1000), OUT (build/score), LIMIT (first N videos of the split, 0 = all), LOOKAHEADS ("0 3"),
# VARIANTS ("additive acqg saoc bundled"), THREADS (ORT threads, 2), RULE (the sounding flag's rule: heard, the
# service default, or count, the rule before run 4).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PY=/usr/bin/python3
DATA=${DATA:-build/avbench}
SPLIT=${SPLIT:-test}
RUNS=${RUNS:-build/avbench-runs}
OUT=${OUT:-build/score}
LIMIT=${LIMIT:-0}
LOOKAHEADS=${LOOKAHEADS:-"0 3"}
VARIANTS=${VARIANTS:-"additive acqg saoc bundled"}
THREADS=${THREADS:-2}
RULE=${RULE:-heard}
SUFFIX=${SUFFIX:-}
JAR=../target/quarkus-app/quarkus-run.jar
[ -f "$JAR" ] || { echo "build the service first: mvn -B -q -o package -DskipTests (repository root)" >&2; exit 1; }
declare -A CFG=([additive]=avbench_additive [acqg]=avbench_acqg [saoc]=avbench [k4]=avbench_k4)
mkdir -p "$OUT"
GT=$DATA/$SPLIT.json
if [ "$LIMIT" != 0 ]; then
  GT=$OUT/$SPLIT-first$LIMIT.json
  $PY - "$DATA/$SPLIT.json" "$GT" "$LIMIT" <<'PYEOF'
import json, sys
d = json.load(open(sys.argv[1])); n = int(sys.argv[3])
d["videos"] = d["videos"][:n]; ids = {v["id"] for v in d["videos"]}
d["annotations"] = [a for a in d["annotations"] if a["video_id"] in ids]
json.dump(d, open(sys.argv[2], "w"))
PYEOF
fi
java_run() { java -Dquarkus.http.port=0 -Dquarkus.log.level=WARN -jar "$JAR" "$@"; }
rows=()
for v in $VARIANTS; do
  if [ "$v" = bundled ]; then
    model=models/tiny; ck="models/tiny ($(sed -n 's/.*"checkpoint_sha256": *"\([0-9a-f]\{12\}\).*/\1/p' models/tiny/manifest.json))"
  else
    if [ -n "$SUFFIX" ]; then ck=$RUNS/$v$SUFFIX/last.pth
    else ck=$RUNS/$v-s2/last.pth; [ -f "$ck" ] || ck=$RUNS/$v/last.pth; fi
    [ -f "$ck" ] || { echo "skip $v: no checkpoint under $RUNS" >&2; continue; }
    model=$OUT/$v/onnx
    if [ ! -f "$model/manifest.json" ] || [ "$ck" -nt "$model/manifest.json" ]; then
      echo "== export $v from $ck" >&2
      $PY -m acvis.export --config "${CFG[$v]}" --checkpoint "$ck" --out "$model" > "$OUT/$v.export.log" 2>&1
    fi
  fi
  o=$OUT/$v/offline
  echo "== $v offline ($(date -u +%H:%M))" >&2
  java_run predict --model "$model" --split "$GT" --media "$DATA/$SPLIT" --mode offline --out "$o" --limit "$LIMIT" --threads "$THREADS" --sounding-rule "$RULE" >&2
  java_run evaluate --gt "$GT" --results "$o/results.json" --counts "$o/counts.json" --count-csv-dir "$DATA/$SPLIT/num_ins_CSVs" > "$o/evaluate.txt"
  $PY tools/hearing_flags.py --masks "$o/masks.jsonl" --split-dir "$DATA/$SPLIT" > "$o/hearing.json"
  rows+=("$v|$ck|offline-exact|$o")
  for l in $LOOKAHEADS; do
    o=$OUT/$v/live-L$l
    echo "== $v live W=model L=$l ($(date -u +%H:%M))" >&2
    java_run predict --model "$model" --split "$GT" --media "$DATA/$SPLIT" --mode live --lookahead "$l" --out "$o" --limit "$LIMIT" --threads "$THREADS" --sounding-rule "$RULE" >&2
    java_run evaluate --gt "$GT" --masks "$o/masks.jsonl" --count-csv-dir "$DATA/$SPLIT/num_ins_CSVs" > "$o/evaluate.txt"
    $PY tools/hearing_flags.py --masks "$o/masks.jsonl" --split-dir "$DATA/$SPLIT" > "$o/hearing.json"
    rows+=("$v|$ck|live W=6 L=$l|$o")
  done
done
$PY tools/score_table.py "${rows[@]}"
