"""Markdown table of ``acvis.evaluation`` results: ``python3 tools/avbench_table.py LABEL=EVAL_DIR ...``."""

from __future__ import annotations

import json
import sys
from pathlib import Path


def pct(v) -> str:
    return "—" if v is None else f"{100 * v:.1f} %"


def main(argv: list[str]) -> int:
    print("| variant | sound accuracy (count head, §3.5) | detection-count accuracy | track recall@0.5 | "
          "sounding recall | silent object-frames flagged | silent-distractor frames flagged | "
          "silent-twin frames flagged | agreement | frames all right | predictions |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for arg in argv:
        label, run = arg.split("=", 1)
        m = json.loads((Path(run) / "eval.json").read_text())
        sa = m.get("sound_accuracy")
        print(f"| {label} | {'—' if sa is None else f'{sa:.1f} %'} | {m['detection_count_accuracy']:.1f} % | "
              f"{pct(m.get('track_recall@0.5'))} | {pct(m.get('sounding_recall'))} "
              f"({m.get('sounding_recall_frames', 0)}) | {pct(m.get('silent_flagged_rate'))} "
              f"({m.get('silent_flagged_rate_frames', 0)}) | {pct(m.get('distractor_flagged_rate'))} "
              f"({m.get('distractor_flagged_rate_frames', 0)}) | {pct(m.get('twin_silent_flagged_rate'))} "
              f"({m.get('twin_silent_flagged_rate_frames', 0)}) | {pct(m.get('sounding_agreement'))} | "
              f"{pct(m.get('frame_agreement'))} | {m['predictions']} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
