#!/usr/bin/env python3
"""Markdown table of tools/score_variants.sh: one row per ``variant|checkpoint|mode|dir`` argument, from
``dir/evaluate.txt`` (the `evaluate` command's output) and ``dir/hearing.json`` (tools/hearing_flags.py). "frames all right": annotated frames where every visible object's flag is right and
nothing else is flagged (the demo's "same sounding objects"); older hearing.json files lack it (n/a)."""
import json
import re
import sys
from pathlib import Path


def metric(text: str, name: str) -> str:
    m = re.search(rf"^\s*{name}\s+(-?[0-9.]+)", text, re.M)
    return f"{float(m.group(1)):.1f}" if m else "?"


def main(args: list[str]) -> int:
    print("| variant | checkpoint | mode | mAP | HOTA | FSLA | sound acc. | distractor frames flagged "
          "| silent frames flagged | sounding recall | flags agree | frames all right |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for arg in args:
        variant, ck, mode, d = arg.split("|")
        text = (Path(d) / "evaluate.txt").read_text()
        h = json.loads((Path(d) / "hearing.json").read_text())
        s = re.search(r"^sound accuracy[^:]*: ([0-9.]+)", text, re.M)

        def rate(k):
            v = h.get(k)
            return "n/a" if v is None else f"{100 * v:.1f} % ({round(v * h[k + '_frames'])}/{h[k + '_frames']})"
        print(f"| {variant} | {ck} | {mode} | {metric(text, 'AP_all')} | {metric(text, 'HOTA')} | "
              f"{metric(text, 'FA')} | {float(s.group(1)):.1f} | {rate('distractor_flagged_rate')} | "
              f"{rate('silent_flagged_rate')} | {rate('sounding_recall')} | {rate('sounding_agreement')} | "
              f"{rate('frame_agreement')} |"
              if s else f"| {variant} | {ck} | {mode} | ? | | | | | | | | |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
