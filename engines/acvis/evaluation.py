"""Offline evaluation of a model on an AVISeg-format split (spec §5 inference), in Python.

``python3 -m acvis.evaluation --checkpoint RUN/last.pth --data DIR [--split test] [--out RUN/eval]``

Writes ``results.json`` (official results format, ``aviseg-data-and-metrics.md`` §1.4, for the Java
evaluator: mAP / HOTA / FSLA) and ``eval.json`` with:

* ``sound_accuracy``: the official "sound accuracy" (§3.5): per frame, the SAOC count class
  (0, 1, >= 2) against ``min(instance_cnt, 2)`` from the CSV, in percent; ``None`` without a count head;
* ``detection_count_accuracy``: the same comparison with the number of kept predictions whose mask is
  non-empty in the frame (every model has it);
* ``track_recall@0.5``: fraction of GT tracks that a same-class prediction covers with track IoU >= 0.5
  (a quick proxy, not the official mAP);
* with the benchmark's side files (``<split>/schedules`` and ``<split>/ObjectMasks`` from
  ``acvis.data.avbench``), object-level hearing metrics over every (object, frame) where the object is
  visible. A prediction is *flagged sounding* in a frame as the Java service flags it (README, "Sounding
  flag"): with the default rule ``heard``, when its mask is non-empty there and the frame decoder, which hears
  only that frame's audio second, has a query that overlaps it and gives its class a probability of at least
  0.5 (``heard_scores``), the most strongly heard first and at most the count head's most probable count;
  with the rule ``count`` (``--sounding-rule count``, the service's rule before),
  the k best-scoring predictions with a non-empty mask there, k = the count head's most probable
  count (its last class: all; no count head: all). Each flagged prediction goes to the visible object it
  overlaps most (IoU >= 0.3). Reported: ``silent_flagged_rate`` (silent visible object-frames flagged),
  ``distractor_flagged_rate`` (the same over objects that never sound: role ``silent``/``twin_silent``),
  ``twin_silent_flagged_rate``, ``sounding_recall`` (sounding object-frames flagged),
  ``sounding_agreement`` (flagged == sounding over all visible object-frames) and ``frame_agreement``
  (the demo's "same sounding objects" per annotated frame: every visible object right and no flag on
  anything else);
* with ``rank_candidates`` N > 0 (``--rank N``), threshold-free: ``sounding_auc``, the probability that a
  sounding visible object-frame gets a higher score than a silent one, where an object-frame's score is
  the best final score (class probability x mask score) among the N most probable candidates whose
  mask overlaps the object there with IoU >= 0.3 (0 when none does); ``distractor_auc`` the same against
  the frames of objects that never sound. 0.5 = deaf, 1.0 = every sounding object ranked above every
  silent one. Says whether a model hears even when no candidate passes the 0.3 threshold yet.
  ``frame_sounding_auc`` / ``frame_distractor_auc``: the same with the frame decoder's own queries (per frame,
  each query's best class probability, its ``pred_masks`` at the original size): who the model hears *now*.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import torch
from PIL import Image

from acvis.data.augmentation import shortest_edge_size
from acvis.data.dataset import AVISegDataset
from acvis.data.rle import compress, encode
from acvis.losses.saoc import saoc_probabilities
from acvis.mel import apply_gain

FLAG_IOU = 0.3
HEARD_IOU = 0.5          # a frame query confirms a prediction when their masks overlap at least this much
HEARD_THRESHOLD = 0.5    # default avis.tracking.heard-threshold


def track_iou(pred: np.ndarray, gt: list) -> float:
    """YouTube-VIS track IoU: summed intersections over summed unions across frames."""
    inter = union = 0
    for t, g in enumerate(gt):
        p = pred[t]
        if g is None:
            union += int(p.sum())
            continue
        inter += int((p & g).sum())
        union += int((p | g).sum())
    return inter / union if union else 0.0


def heard_scores(frame: dict, labels) -> np.ndarray:
    """How strongly the frame decoder hears each kept prediction on each frame: [K, T] floats.

    The frame decoder sees one frame and its own audio second, and it is trained on that frame's sounding
    objects only, so it can say who sounds *now*; the video-level score cannot (it holds for the whole window).
    On the mask-feature grid (1/4 of the padded frame) cropped to the resized frame (ceil(H/4) x ceil(W/4)):
    prediction k's mask on frame t is ``e_k . m_t > 0``, frame query q's is ``pred_masks[t, q] > 0``. The score is
    the largest softmax probability of k's class among the frame queries q whose mask overlaps k's with
    IoU >= ``HEARD_IOU`` (compared exactly: 2 x intersection >= union > 0), 0 when none does.
    ``frame``: ``model.inference(...)["frame"]``; ``labels``: the kept predictions' classes (0..25)."""
    embed, m = frame["mask_embed"], frame["mask_features"]
    h, w = frame["resized_size"]
    hv, wv = -(-h // 4), -(-w // 4)
    probs = torch.softmax(frame["pred_logits"], -1)                                # [T, Q, 27]
    fq = (frame["pred_masks"][:, :, :hv, :wv] > 0).flatten(2)                       # [T, Q, P]
    det = (torch.einsum("kc,tchw->kthw", embed, m)[:, :, :hv, :wv] > 0).flatten(2)  # [K, T, P]
    k_n, t_n = det.shape[0], det.shape[1]
    out = np.zeros((k_n, t_n), np.float32)
    for k in range(k_n):
        for t in range(t_n):
            inter = (det[k, t][None] & fq[t]).sum(1)
            union = (det[k, t][None] | fq[t]).sum(1)
            ok = (union > 0) & (2 * inter >= union)
            if ok.any():
                out[k, t] = float(probs[t, ok, int(labels[k])].max())
    return out


def flagged_predictions(scores: np.ndarray, masks: np.ndarray, count_probs: np.ndarray | None,
                        last_class_floor: float | None = None, heard: np.ndarray | None = None,
                        heard_threshold: float = HEARD_THRESHOLD) -> list[list[int]]:
    """Per frame, the indices of the predictions the Java service flags sounding (best score first).

    ``heard`` ([K, T], ``heard_scores``): the rule ``heard``, the predictions with a non-empty mask whose heard
    score is at least ``heard_threshold`` sound, most strongly heard first (ties: better score first), at most the
    count head's most probable count (its last class, or no count head: no cap); None: the rule ``count`` (below).
    ``last_class_floor`` (analysis only; None = the service's rule): when the count head's open last class
    ("≥ Kmax") wins, flag the Kmax best and, beyond them, only predictions scoring at least this."""
    out = []
    for t in range(masks.shape[1]):
        present = [k for k in np.argsort(-scores, kind="stable") if masks[k, t].any()]
        if heard is not None:
            present = sorted((k for k in present if heard[k, t] >= heard_threshold), key=lambda k: -heard[k, t])
            if count_probs is not None and int(np.argmax(count_probs[t])) < count_probs.shape[1] - 1:
                present = present[:int(np.argmax(count_probs[t]))]
        elif count_probs is not None:
            best = int(np.argmax(count_probs[t]))
            kmax = count_probs.shape[1] - 1
            if best < kmax:
                present = present[:best]
            elif last_class_floor is not None:
                present = present[:kmax] + [k for k in present[kmax:] if scores[k] >= last_class_floor]
        out.append([int(k) for k in present])
    return out


def _iou(a: np.ndarray, b: np.ndarray) -> float:
    union = np.logical_or(a, b).sum()
    return float(np.logical_and(a, b).sum() / union) if union else 0.0


class _Tally:
    def __init__(self):
        self.n = {}

    def add(self, key: str, hit: bool) -> None:
        c = self.n.setdefault(key, [0, 0])
        c[0] += int(hit)
        c[1] += 1

    def rates(self) -> dict:
        return {k: (v[0] / v[1] if v[1] else None) for k, v in self.n.items()} | \
               {f"{k}_frames": v[1] for k, v in self.n.items()}


def frame_hits(object_masks: np.ndarray, masks: np.ndarray, flagged: list[int], t: int) -> tuple[set[int], int]:
    """Frame ``t``'s flagged predictions matched to objects: the set of objects hit (each flag goes to the object it
    overlaps most, IoU >= FLAG_IOU) and the number of stray flags (on no visible object)."""
    hits, stray = set(), 0
    for k in flagged:
        ious = [_iou(masks[k, t], object_masks[o, t]) for o in range(object_masks.shape[0])]
        if ious and max(ious) >= FLAG_IOU:
            hits.add(int(np.argmax(ious)))
        else:
            stray += 1
    return hits, stray


def object_metrics(schedule: dict, object_masks: np.ndarray, masks: np.ndarray, flagged: list[list[int]],
                   tally: _Tally) -> None:
    """Add one video's object-frame outcomes to ``tally`` (see the module docstring)."""
    length = object_masks.shape[1]
    for t in range(length):
        hits, stray = frame_hits(object_masks, masks, flagged[t], t)
        frame_ok = stray == 0      # the demo's "same sounding objects": no stray flag, no visible object wrong
        for o, obj in enumerate(schedule["objects"]):
            if not object_masks[o, t].any():
                continue
            flagged_o = o in hits
            sounding = bool(obj["sounding"][t])
            frame_ok &= flagged_o == sounding
            tally.add("sounding_agreement", flagged_o == sounding)
            if sounding:
                tally.add("sounding_recall", flagged_o)
            else:
                tally.add("silent_flagged_rate", flagged_o)
                if obj["role"] in ("silent", "twin_silent"):
                    tally.add("distractor_flagged_rate", flagged_o)
                if obj["role"] == "twin_silent" or (obj["role"] == "twin_source"):
                    tally.add("twin_silent_flagged_rate", flagged_o)
        tally.add("frame_agreement", frame_ok)


def _auc(pos: list[float], neg: list[float]) -> float | None:
    """P(pos > neg) + 0.5 P(pos == neg) (Mann-Whitney)."""
    if not pos or not neg:
        return None
    p, n = np.asarray(pos)[:, None], np.asarray(neg)[None, :]
    return float((p > n).mean() + 0.5 * (p == n).mean())


def ranking_scores(schedule: dict, object_masks: np.ndarray, cand_masks: np.ndarray, cand_scores: np.ndarray,
                   pos: list, neg: list, neg_distractor: list) -> None:
    for t in range(object_masks.shape[1]):
        for o, obj in enumerate(schedule["objects"]):
            if not object_masks[o, t].any():
                continue
            best = 0.0
            for k in range(cand_masks.shape[0]):
                score = cand_scores[k, t] if cand_scores.ndim == 2 else cand_scores[k]
                if score > best and _iou(cand_masks[k, t], object_masks[o, t]) >= FLAG_IOU:
                    best = float(score)
            if obj["sounding"][t]:
                pos.append(best)
            else:
                neg.append(best)
                if obj["role"] in ("silent", "twin_silent"):
                    neg_distractor.append(best)


@torch.no_grad()
def evaluate(model, dataset: AVISegDataset, label_to_id: dict, min_size: int = 360,
             max_size: int = 1333, rank_candidates: int = 0,
             last_class_floor: float | None = None, sounding_rule: str = "heard",
             heard_threshold: float = HEARD_THRESHOLD, codec: bool = False,
             gain_db: float = 0.0) -> tuple[dict, list[dict]]:
    """Offline inference (spec §5) on every video of ``dataset``, frames resized to short side ``min_size``
    (long side <= ``max_size``, PIL bilinear) as the service does, masks at the original size.

    ``codec``: hear the audio after the mp4's AAC (``<split>/MELAudios_aac``), as a live feed of the mp4 brings it;
    ``gain_db``: that many dB louder (negative: quieter), :func:`acvis.mel.apply_gain`.
    Returns ``(metrics, results)`` (see the module docstring); results are in the official format."""
    was_training = model.training
    model.eval()
    correct = det_correct = frames = recalled = tracks = 0
    per_class = np.zeros((2, 3), np.int64)  # correct / total per GT count class
    tally = _Tally()
    pos, neg, neg_distractor = [], [], []
    fpos, fneg, fneg_distractor = [], [], []
    results = []
    split_dir = dataset.root / dataset.split
    for video in dataset.videos:
        frames_rgb = [dataset.frame(p) for p in video.frame_paths]
        h0, w0 = frames_rgb[0].shape[:2]
        size = shortest_edge_size(h0, w0, min_size, max_size)
        frames_rgb = [np.asarray(Image.fromarray(f).resize((size[1], size[0]), Image.BILINEAR)) if f.shape[:2] != size
                      else f for f in frames_rgb]
        images = torch.from_numpy(np.stack(frames_rgb)).permute(0, 3, 1, 2).float()
        patches = dataset.mel(video, codec)[:video.length]
        mel = torch.from_numpy((apply_gain(patches, gain_db) if gain_db else patches).astype(np.float32))
        out = model.inference(images, mel, output_size=(h0, w0), kept_only=True)
        masks = out["masks"].numpy()
        scores = out["scores"].numpy()
        labels = out["labels"].tolist()
        gt = np.minimum(dataset.counts(video)[:video.length], 2)
        det = np.minimum(masks.reshape(masks.shape[0], video.length, -1).any(-1).sum(0), 2) if masks.shape[0] \
            else np.zeros(video.length, np.int64)
        det_correct += int((det == gt).sum())
        frames += video.length
        probs = None
        if out.get("count_logits") is not None:
            probs = saoc_probabilities(out["count_logits"]).numpy()
            pred = probs.argmax(1)
            correct += int((np.minimum(pred, 2) == gt).sum())
            for c in range(3):
                per_class[0, c] += int(((np.minimum(pred, 2) == gt) & (gt == c)).sum())
                per_class[1, c] += int((gt == c).sum())
        for k in range(masks.shape[0]):
            results.append({"video_id": video.video_id, "score": float(scores[k]),
                            "category_id": int(label_to_id[labels[k]]),
                            "segmentations": [{"size": [int(masks.shape[2]), int(masks.shape[3])],
                                               "counts": compress(encode(masks[k, t])["counts"])}
                                              for t in range(video.length)]})
        for ann in video.annotations:
            g = [dataset.instance_mask(ann, t) for t in range(video.length)]
            g = [None if x is None else x.astype(bool) for x in g]
            best = max((track_iou(masks[k], g) for k in range(masks.shape[0]) if labels[k] == ann["label"]),
                       default=0.0)
            recalled += best >= 0.5
            tracks += 1
        sched = split_dir / "schedules" / f"{video.name}.json"
        obj = split_dir / "ObjectMasks" / f"{video.name}.npz"
        if sched.is_file() and obj.is_file():
            object_masks = np.load(obj)["masks"].astype(bool)
            if object_masks.shape[2:] == masks.shape[2:]:
                schedule = json.loads(sched.read_text())
                heard = heard_scores(out["frame"], labels) if sounding_rule == "heard" else None
                flagged = flagged_predictions(scores, masks, probs, last_class_floor, heard, heard_threshold)
                object_metrics(schedule, object_masks, masks, flagged, tally)
                if rank_candidates > 0:
                    ranked = model.inference(images, mel, output_size=(h0, w0), max_candidates=rank_candidates)
                    cand = ranked["candidates"]
                    ranking_scores(schedule, object_masks, cand["masks"].numpy(), cand["score"].numpy(), pos, neg,
                                   neg_distractor)
                    # the frame decoder's own queries: per frame, best class probability, mask at the original size
                    fr = out["frame"]
                    hv, wv = -(-fr["resized_size"][0] // 4), -(-fr["resized_size"][1] // 4)
                    fmasks = torch.nn.functional.interpolate(fr["pred_masks"][:, :, :hv, :wv], size=(h0, w0),
                                                             mode="bilinear", align_corners=False) > 0
                    fscores = torch.softmax(fr["pred_logits"], -1)[..., :-1].amax(-1)          # [T, Q]
                    ranking_scores(schedule, object_masks, fmasks.transpose(0, 1).numpy(), fscores.T.numpy(),
                                   fpos, fneg, fneg_distractor)
    model.train(was_training)
    has_count = bool(per_class[1].sum())
    metrics = {"videos": len(dataset), "frames": frames,
               "sound_accuracy": 100.0 * correct / (frames + 1e-6) if has_count else None,
               "sound_accuracy_per_class": (per_class[0] / np.maximum(per_class[1], 1)).tolist() if has_count else None,
               "count_frames_per_class": per_class[1].tolist(),
               "detection_count_accuracy": 100.0 * det_correct / (frames + 1e-6),
               "track_recall@0.5": recalled / tracks if tracks else None, "tracks": tracks,
               "predictions": len(results)}
    metrics.update(tally.rates())
    if rank_candidates > 0:
        metrics.update(rank_candidates=rank_candidates, sounding_auc=_auc(pos, neg),
                       distractor_auc=_auc(pos, neg_distractor), frame_sounding_auc=_auc(fpos, fneg),
                       frame_distractor_auc=_auc(fpos, fneg_distractor))
    return metrics, results


def main(argv=None) -> int:
    from acvis.config import from_dict
    from acvis.modeling.model import build_model

    parser = argparse.ArgumentParser(description="Evaluate a checkpoint on an AVISeg-format split.")
    parser.add_argument("--checkpoint", required=True, help="acvis.train last.pth (or weights.pth of an export)")
    parser.add_argument("--data", required=True)
    parser.add_argument("--split", default="test")
    parser.add_argument("--out", help="directory for results.json and eval.json (default: next to the checkpoint)")
    parser.add_argument("--min-size", type=int, default=360)
    parser.add_argument("--max-size", type=int, default=1333)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--rank", type=int, default=0, help="also the threshold-free AUCs over the N best candidates")
    parser.add_argument("--last-class-floor", type=float,
                        help="analysis of the flag rule: on frames whose count is the open last class, flag the Kmax "
                             "best and beyond them only predictions scoring at least this (2 = the Kmax best only)")
    parser.add_argument("--sounding-rule", choices=("heard", "count"), default="heard",
                        help="how a prediction is flagged sounding in a frame (avis.tracking.sounding-rule)")
    parser.add_argument("--heard-threshold", type=float, default=HEARD_THRESHOLD,
                        help="rule heard: lowest frame-decoder probability (avis.tracking.heard-threshold)")
    parser.add_argument("--codec", action="store_true",
                        help="hear the audio after the mp4's AAC (<split>/MELAudios_aac: acvis.data.avbench --codec-mels)")
    parser.add_argument("--gain-db", type=float, default=0.0, help="hear the audio this many dB louder (robustness)")
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)
    state = torch.load(args.checkpoint, map_location="cpu")
    model = build_model(from_dict(state["model_config"]))
    model.load_state_dict(state["model"])
    dataset = AVISegDataset(args.data, args.split, filter_empty=False)
    label_to_id = {v: k for k, v in dataset.id_to_label.items()}
    metrics, results = evaluate(model, dataset, label_to_id, args.min_size, args.max_size, args.rank,
                                args.last_class_floor, args.sounding_rule, args.heard_threshold, args.codec,
                                args.gain_db)
    out = Path(args.out) if args.out else Path(args.checkpoint).parent
    out.mkdir(parents=True, exist_ok=True)
    (out / "results.json").write_text(json.dumps(results))
    metrics.update(checkpoint=str(args.checkpoint), data=str(args.data), split=args.split,
                   sounding_rule=args.sounding_rule, codec=args.codec,
                   gain_db=args.gain_db)
    (out / "eval.json").write_text(json.dumps(metrics, indent=2))
    print(json.dumps(metrics, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
