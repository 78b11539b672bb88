#!/usr/bin/env python3
"""Where a checkpoint's wrong sounding flags come from, on a split of the hearing benchmark (RESULTS.md run 6).

    cd engines && /usr/bin/python3 tools/flag_errors.py --checkpoint CK --data build/avbench --split val

Runs ``acvis.evaluation`` unchanged and, per annotated frame, sorts its errors (flags as the service sets them,
objects matched as ``object_metrics`` does): frames that only miss a sounding object, only flag something silent,
or both (mostly a swap under a right count); missed sounding object-frames with no kept prediction on the object
(a detection miss) or with one the frame decoder does not hear (a hearing miss); silent object-frames flagged and
stray flags (on no visible object); and how many of the wrong frames have a same-category twin's flag wrong
(``frames_wrong_twin``: a twin pair is told apart only by which pulse follows the sound, RESULTS.md run 7) and how
many missed sounding object-frames are twin sources (``missed_twin_source``). Prints one JSON object.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import acvis.evaluation as evaluation  # noqa: E402


STATS = ("frames", "frames_right", "frames_only_missed", "frames_only_false", "frames_both", "frames_wrong_twin",
         "missed_not_detected", "missed_heard_not", "missed_twin_source", "silent_flagged", "stray_flags")


def tally_errors(schedule: dict, object_masks: np.ndarray, masks: np.ndarray, flagged: list[list[int]],
                 stats: dict) -> None:
    for t in range(object_masks.shape[1]):
        hits, stray = evaluation.frame_hits(object_masks, masks, flagged[t], t)
        missed = false = 0
        twin_wrong = False
        for o, obj in enumerate(schedule["objects"]):
            if not object_masks[o, t].any():
                continue
            sounding, flagged_o = bool(obj["sounding"][t]), o in hits
            if sounding and not flagged_o:
                covered = any(evaluation._iou(masks[k, t], object_masks[o, t]) >= evaluation.FLAG_IOU
                              for k in range(masks.shape[0]))
                stats["missed_heard_not" if covered else "missed_not_detected"] += 1
                stats["missed_twin_source"] += obj["role"] == "twin_source"
                missed += 1
            if flagged_o and not sounding:
                stats["silent_flagged"] += 1
                false += 1
            twin_wrong |= flagged_o != sounding and obj["role"] in ("twin_source", "twin_silent")
        stats["stray_flags"] += stray
        false += stray
        stats["frames"] += 1
        stats["frames_right"] += missed == 0 and false == 0
        stats["frames_only_missed"] += bool(missed and not false)
        stats["frames_only_false"] += bool(false and not missed)
        stats["frames_both"] += bool(missed and false)
        stats["frames_wrong_twin"] += twin_wrong


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--checkpoint", required=True)
    parser.add_argument("--data", required=True)
    parser.add_argument("--split", default="val")
    args = parser.parse_args(argv)
    stats = dict.fromkeys(STATS, 0)
    original = evaluation.object_metrics

    def both(schedule, object_masks, masks, flagged, tally):
        original(schedule, object_masks, masks, flagged, tally)
        tally_errors(schedule, object_masks, masks, flagged, stats)

    evaluation.object_metrics = both
    with tempfile.TemporaryDirectory() as out:
        evaluation.main(["--checkpoint", args.checkpoint, "--data", args.data, "--split", args.split, "--out", out])
    print(json.dumps(stats))
    return 0


if __name__ == "__main__":
    sys.exit(main())
