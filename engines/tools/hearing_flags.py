#!/usr/bin/env python3
"""Object-level hearing metrics of masks records (``predict`` / the service's ``avis.masks.v1``) on a split of the
hearing benchmark, with the object-frame logic of ``acvis.evaluation.object_metrics`` (the same numbers that
module reports for a PyTorch checkpoint): per visible (object, frame), is the object flagged sounding? A record's
``sounding=true`` instances are the flagged predictions; each goes to the visible object it overlaps most
(mask IoU >= 0.3).

    cd engines && /usr/bin/python3 tools/hearing_flags.py --masks OUT/masks.jsonl --split-dir build/avbench/test

Prints one JSON object: ``distractor_flagged_rate`` (frames of never-sounding objects flagged sounding),
``silent_flagged_rate``, ``sounding_recall``, ``sounding_agreement``, ``frame_agreement`` (annotated frames with
every visible object's flag right and no stray flag), their frame counts, and ``videos``.
Only inferred records count; frame = round(ptsMicros / 1e6), the nearest record per frame (as ``evaluate``).
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from acvis.data.rle import decode, decompress  # noqa: E402
from acvis.evaluation import _Tally, object_metrics  # noqa: E402


def records_by_video(path: Path) -> dict[str, dict[int, dict]]:
    out: dict[str, dict[int, tuple[int, dict]]] = {}
    for line in path.read_text().splitlines():
        if not line.strip():
            continue
        r = json.loads(line)
        if not r.get("inferred"):
            continue
        t = int(np.floor(r["ptsMicros"] / 1e6 + 0.5))
        dist = abs(r["ptsMicros"] - t * 1_000_000)
        frames = out.setdefault(r["streamId"], {})
        if t not in frames or dist < frames[t][0]:
            frames[t] = (dist, r)
    return {v: {t: r for t, (_, r) in f.items()} for v, f in out.items()}


def mask_of(instance: dict) -> np.ndarray:
    m = instance["mask"]
    h, w = m["size"]
    return decode({"size": [h, w], "counts": decompress(m["counts"])}).astype(bool)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--masks", required=True, type=Path)
    p.add_argument("--split-dir", required=True, type=Path, help="split folder with schedules/ and ObjectMasks/")
    a = p.parse_args(argv)
    tally = _Tally()
    videos = 0
    for video, frames in sorted(records_by_video(a.masks).items()):
        sched = a.split_dir / "schedules" / f"{video}.json"
        obj = a.split_dir / "ObjectMasks" / f"{video}.npz"
        if not (sched.is_file() and obj.is_file()):
            continue
        schedule = json.loads(sched.read_text())
        object_masks = np.load(obj)["masks"].astype(bool)
        length, size = object_masks.shape[1], object_masks.shape[2:]
        # one pseudo-prediction per flagged (instance, frame): its mask on that frame, empty elsewhere
        masks, flagged = [], [[] for _ in range(length)]
        for t in range(length):
            for inst in (frames[t]["instances"] if t in frames else []):
                if not inst.get("sounding"):
                    continue
                m = mask_of(inst)
                if m.shape != size:
                    raise SystemExit(f"{video} frame {t}: mask {m.shape} vs object masks {size}")
                full = np.zeros((length, *size), bool)
                full[t] = m
                flagged[t].append(len(masks))
                masks.append(full)
        masks = np.stack(masks) if masks else np.zeros((0, length, *size), bool)
        object_metrics(schedule, object_masks, masks, flagged, tally)
        videos += 1
    print(json.dumps(tally.rates() | {"videos": videos}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
