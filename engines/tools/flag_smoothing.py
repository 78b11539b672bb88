#!/usr/bin/env python3
"""Would smoothing the frame decoder's heard scores over time fix wrong sounding flags? (RESULTS.md run 7: no.)

    cd engines && /usr/bin/python3 tools/flag_smoothing.py --checkpoint CK --data build/avbench5760 --split val

Runs ``acvis.evaluation`` once, keeps each video's predictions, heard scores and count probabilities, and scores the
service's rule ``heard`` again with per-prediction temporal smoothing of the heard score (offline, a kept prediction
is one track over the clip; a frame where its mask is empty resets it):

* ``ema A``: causal exponential average, ``s_t = A h_t + (1 - A) s_(t-1)``;
* ``hysteresis G``: ``h_t + G`` for a prediction flagged on the frame before;
* ``centred``: frame t with half weight on t - 1 and t + 1 (needs one frame of look-ahead).

Prints one JSON object per line: the variant, its heard threshold, frames all right, agreement, distractor frames
flagged and sounding recall. Diagnosis only; the service has none of these rules.
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


def present(masks: np.ndarray) -> np.ndarray:
    """[K, T]: prediction k has a non-empty mask on frame t."""
    return masks.any((2, 3)) if masks.size else np.zeros(masks.shape[:2], bool)


def ema(heard: np.ndarray, seen: np.ndarray, a: float) -> np.ndarray:
    out = np.zeros_like(heard)
    for k in range(heard.shape[0]):
        prev = None
        for t in range(heard.shape[1]):
            if not seen[k, t]:
                prev = None
                continue
            out[k, t] = heard[k, t] if prev is None else a * heard[k, t] + (1 - a) * prev
            prev = out[k, t]
    return out


def centred(heard: np.ndarray, seen: np.ndarray) -> np.ndarray:
    out = heard.copy()
    for k in range(heard.shape[0]):
        for t in range(heard.shape[1]):
            if seen[k, t]:
                near = [(u, 1.0 if u == t else 0.5) for u in (t - 1, t, t + 1) if 0 <= u < heard.shape[1] and seen[k, u]]
                out[k, t] = sum(w * heard[k, u] for u, w in near) / sum(w for _, w in near)
    return out


def hysteresis_flags(video: dict, bonus: float, threshold: float) -> list[list[int]]:
    heard, masks, probs, scores = video["heard"], video["masks"], video["probs"], video["scores"]
    seen = present(masks)
    before = np.zeros(heard.shape[0], bool)
    flagged = []
    for t in range(heard.shape[1]):
        boosted = heard[:, t:t + 1] + bonus * before[:, None]
        f = evaluation.flagged_predictions(scores, masks[:, t:t + 1], None if probs is None else probs[t:t + 1],
                                           None, boosted, threshold)[0]
        flagged.append(f)
        before = np.zeros(heard.shape[0], bool)
        before[f] = True
        before &= seen[:, t]
    return flagged


def score(videos: list[dict], flags) -> dict:
    tally = evaluation._Tally()
    for v in videos:
        evaluation.object_metrics(v["schedule"], v["object_masks"], v["masks"], flags(v), tally)
    r = tally.rates()
    return {k: round(r[k], 4) for k in ("frame_agreement", "sounding_agreement", "distractor_flagged_rate",
                                        "sounding_recall")}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--checkpoint", required=True)
    parser.add_argument("--data", required=True)
    parser.add_argument("--split", default="val")
    args = parser.parse_args(argv)
    videos, current = [], {}
    flagged_predictions, object_metrics = evaluation.flagged_predictions, evaluation.object_metrics

    def keep_inputs(scores, masks, probs, last_class_floor=None, heard=None,
                    heard_threshold=evaluation.HEARD_THRESHOLD):
        current.update(scores=scores, masks=masks, probs=probs, heard=heard)
        return flagged_predictions(scores, masks, probs, last_class_floor, heard, heard_threshold)

    def keep_video(schedule, object_masks, masks, flagged, tally):
        videos.append(dict(current, schedule=schedule, object_masks=object_masks))
        object_metrics(schedule, object_masks, masks, flagged, tally)

    evaluation.flagged_predictions, evaluation.object_metrics = keep_inputs, keep_video
    with tempfile.TemporaryDirectory() as out:
        evaluation.main(["--checkpoint", args.checkpoint, "--data", args.data, "--split", args.split, "--out", out])
    evaluation.flagged_predictions, evaluation.object_metrics = flagged_predictions, object_metrics

    def rule(smooth, threshold):
        return lambda v: flagged_predictions(v["scores"], v["masks"], v["probs"], None,
                                             smooth(v["heard"], present(v["masks"])), threshold)

    service = evaluation.HEARD_THRESHOLD
    variants = [("heard (the service)", service, rule(lambda h, s: h, service))]
    variants += [(f"ema {a}", th, rule(lambda h, s, a=a: ema(h, s, a), th)) for a in (0.5, 0.6, 0.7, 0.8)
                 for th in (0.4, 0.5)]
    variants += [(f"hysteresis {g}", 0.5, lambda v, g=g: hysteresis_flags(v, g, 0.5)) for g in (0.1, 0.2, 0.3)]
    variants += [("centred", 0.5, rule(centred, 0.5))]
    for name, th, flags in variants:
        print(json.dumps({"variant": name, "heard_threshold": th} | score(videos, flags)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
