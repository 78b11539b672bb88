"""Synthetic AVISeg-format dataset: coloured shapes that move, some of them "sounding".

``python3 -m acvis.data.synthetic --out DIR [--train-videos 16 --test-videos 4 --height 96 --width 128]``

Each class has a shape, a colour and a tone. A video holds 1-3 objects moving linearly (bouncing off
the borders, later objects occlude earlier ones). Every object follows its own on/off sounding
schedule; while it sounds its class tone is in the audio of that second. As in AVISeg only *sounding*
objects are annotated: a track's segmentation is ``null`` in frames where the object is silent (or
fully occluded), an object that never sounds has no track at all, so silent objects are
distractors the model can only reject by listening. Written per split:

* ``<split>.json`` (videos / annotations with a list of one uncompressed COCO RLE per frame, bboxes,
  areas / all 26 AVISeg categories),
* ``<split>/JPEGImages/<video>/<n>.jpg``, ``<split>/WAVAudios/<video>.wav`` (stereo int16),
* ``<split>/MELAudios/<video>.npy`` (``acvis.mel.video_patches``), ``<split>/num_ins_CSVs/<video>.csv``.

Everything is a deterministic function of ``--seed``.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
from scipy.io import wavfile

from acvis import mel
from acvis.data.rle import encode

AVISEG_CATEGORIES = (
    "person", "violin", "guitar", "cello", "flute", "piano", "ukulele", "accordion", "guzheng", "clarinet",
    "cat", "car", "saxophone", "dog", "lawn_mover", "tuba", "banjo", "pipa", "bassoon", "airplane",
    "tree_harvester", "trumpet", "lion", "bass", "erhu", "horse",
)


@dataclass(frozen=True)
class ShapeClass:
    """A synthetic object class: AVISeg category id, drawing and tone."""

    category_id: int
    shape: str  # circle | square | triangle | diamond
    colour: tuple[int, int, int]  # RGB
    tone_hz: float


SHAPE_CLASSES = (
    ShapeClass(1, "circle", (220, 40, 40), 440.0),  # person
    ShapeClass(3, "square", (40, 190, 60), 1250.0),  # guitar
    ShapeClass(14, "triangle", (50, 80, 230), 2600.0),  # dog
    ShapeClass(12, "diamond", (230, 200, 40), 5000.0),  # car
)


def _shape_mask(shape: str, cx: float, cy: float, r: float, h: int, w: int) -> np.ndarray:
    mask = np.zeros((h, w), dtype=np.uint8)
    if shape == "circle":
        cv2.circle(mask, (int(round(cx)), int(round(cy))), int(round(r)), 1, thickness=-1)
        return mask
    if shape == "square":
        pts = [(cx - r, cy - r), (cx + r, cy - r), (cx + r, cy + r), (cx - r, cy + r)]
    elif shape == "triangle":
        pts = [(cx, cy - r), (cx + r, cy + r), (cx - r, cy + r)]
    elif shape == "diamond":
        pts = [(cx, cy - r), (cx + r, cy), (cx, cy + r), (cx - r, cy)]
    else:
        raise ValueError(f"unknown shape {shape}")
    cv2.fillPoly(mask, [np.round(np.array(pts)).astype(np.int32)], 1)
    return mask


def _sounding_schedule(length: int, rng: np.random.Generator) -> np.ndarray:
    """On/off per second: a two-state Markov chain (start on with p 0.6, switch with p 0.25)."""
    on = np.zeros(length, dtype=bool)
    state = rng.random() < 0.6
    for t in range(length):
        on[t] = state
        if rng.random() < 0.25:
            state = not state
    return on


def _background(h: int, w: int, rng: np.random.Generator) -> np.ndarray:
    base = rng.integers(70, 150, size=3)
    ramp = np.linspace(-25, 25, w)[None, :, None]
    noise = rng.normal(0.0, 4.0, size=(h, w, 3))
    return np.clip(base[None, None, :] + ramp + noise, 0, 255)


def make_video(rng: np.random.Generator, length: int, h: int, w: int, sample_rate: int, max_objects: int = 3):
    """One synthetic video.

    Returns ``(frames [T] RGB uint8, audio [T*sr, 2] int16, objects)`` where each object is a dict with
    its ``cls`` (:class:`ShapeClass`), visible ``masks`` [T, h, w] and ``sounding`` [T].
    """
    num_objects = int(rng.integers(1, max_objects + 1))
    objects = []
    for _ in range(num_objects):
        r = float(rng.uniform(0.12, 0.22) * min(h, w))
        objects.append({
            "cls": SHAPE_CLASSES[int(rng.integers(len(SHAPE_CLASSES)))],
            "r": r,
            "pos": np.array([rng.uniform(r, w - r), rng.uniform(r, h - r)]),
            "vel": rng.uniform(-0.12, 0.12, size=2) * np.array([w, h]),
            "sounding": _sounding_schedule(length, rng),
            "masks": np.zeros((length, h, w), dtype=np.uint8),
        })
    if not any(o["sounding"].any() for o in objects):
        objects[int(rng.integers(num_objects))]["sounding"][int(rng.integers(length))] = True
    background = _background(h, w, rng)
    frames = []
    for t in range(length):
        image = background.copy()
        drawn = []
        for o in objects:
            m = _shape_mask(o["cls"].shape, o["pos"][0], o["pos"][1], o["r"], h, w)
            shade = rng.uniform(0.85, 1.15)
            image[m > 0] = np.clip(np.array(o["cls"].colour) * shade, 0, 255)
            drawn.append(m)
        for k, o in enumerate(objects):  # visible part = own shape minus everything drawn later
            occluders = np.zeros((h, w), dtype=np.uint8)
            for m in drawn[k + 1:]:
                occluders |= m
            o["masks"][t] = drawn[k] & (1 - occluders)
        frames.append(np.clip(image + rng.normal(0.0, 2.0, size=image.shape), 0, 255).astype(np.uint8))
        for o in objects:  # move and bounce
            o["pos"] += o["vel"]
            for axis, limit in ((0, w), (1, h)):
                if o["pos"][axis] < o["r"] or o["pos"][axis] > limit - o["r"]:
                    o["vel"][axis] *= -1
                    o["pos"][axis] = np.clip(o["pos"][axis], o["r"], limit - o["r"])
    n = length * sample_rate
    time = np.arange(n) / sample_rate
    audio = rng.normal(0.0, 0.003, size=n)
    for o in objects:
        gate = np.repeat(o["sounding"].astype(np.float64), sample_rate)
        phase = rng.uniform(0, 2 * np.pi)
        audio += gate * rng.uniform(0.15, 0.3) * np.sin(2 * np.pi * o["cls"].tone_hz * time + phase)
    audio = np.clip(audio, -1.0, 1.0 - 1.0 / 32768)
    pcm = np.round(audio * 32767).astype(np.int16)
    return frames, np.stack([pcm, pcm], axis=1), objects


def write_split(out: Path, split: str, num_videos: int, rng: np.random.Generator, *, height: int, width: int,
                min_frames: int, max_frames: int, sample_rate: int, first_video_id: int = 1) -> dict:
    """Write one split; returns its annotation JSON (also written to ``<out>/<split>.json``)."""
    videos, annotations = [], []
    ann_id = 1
    for v in range(num_videos):
        video_id = first_video_id + v
        name = f"syn_{split}_{v:04d}"
        length = int(rng.integers(min_frames, max_frames + 1))
        frames, audio, objects = make_video(rng, length, height, width, sample_rate)
        frame_dir = out / split / "JPEGImages" / name
        frame_dir.mkdir(parents=True, exist_ok=True)
        file_names = []
        for t, frame in enumerate(frames):
            cv2.imwrite(str(frame_dir / f"{t:05d}.jpg"), cv2.cvtColor(frame, cv2.COLOR_RGB2BGR),
                        [cv2.IMWRITE_JPEG_QUALITY, 92])
            file_names.append(f"{name}/{t:05d}.jpg")
        for sub in ("WAVAudios", "MELAudios", "num_ins_CSVs"):
            (out / split / sub).mkdir(parents=True, exist_ok=True)
        wavfile.write(out / split / "WAVAudios" / f"{name}.wav", sample_rate, audio)
        np.save(out / split / "MELAudios" / f"{name}.npy", mel.video_patches(audio, sample_rate, length))
        counts = np.zeros(length, dtype=np.int64)
        for o in objects:
            visible = o["sounding"] & (o["masks"].reshape(length, -1).sum(1) > 0)
            if not visible.any():
                continue  # silent (or always hidden) objects are not annotated
            segs, boxes, areas = [], [], []
            for t in range(length):
                if not visible[t]:
                    segs.append(None), boxes.append(None), areas.append(None)
                    continue
                m = o["masks"][t]
                ys, xs = np.nonzero(m)
                segs.append([encode(m)])
                boxes.append([int(xs.min()), int(ys.min()), int(xs.max() - xs.min() + 1), int(ys.max() - ys.min() + 1)])
                areas.append(int(m.sum()))
            counts += visible
            annotations.append({"id": ann_id, "video_id": video_id, "category_id": o["cls"].category_id,
                                "iscrowd": 0, "height": height, "width": width, "length": length,
                                "segmentations": segs, "bboxes": boxes, "areas": areas})
            ann_id += 1
        with (out / split / "num_ins_CSVs" / f"{name}.csv").open("w") as f:
            f.write("instance_cnt\n" + "".join(f"{c}\n" for c in counts))
        videos.append({"id": video_id, "file_names": file_names, "height": height, "width": width, "length": length})
    data = {"videos": videos, "annotations": annotations,
            "categories": [{"id": i + 1, "name": n} for i, n in enumerate(AVISEG_CATEGORIES)]}
    (out / f"{split}.json").write_text(json.dumps(data))
    return data


def generate(out: str | Path, *, train_videos: int = 16, test_videos: int = 4, height: int = 96, width: int = 128,
             min_frames: int = 6, max_frames: int = 12, sample_rate: int = 16000, seed: int = 0) -> Path:
    """Generate ``train`` and ``test`` splits under ``out``; returns the root."""
    if min_frames < 1 or max_frames < min_frames:
        raise ValueError(f"bad frame range {min_frames}..{max_frames}")
    root = Path(out)
    root.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    common = dict(height=height, width=width, min_frames=min_frames, max_frames=max_frames, sample_rate=sample_rate)
    write_split(root, "train", train_videos, rng, **common)
    write_split(root, "test", test_videos, rng, first_video_id=10001, **common)
    return root


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Write a synthetic AVISeg-format dataset.")
    parser.add_argument("--out", required=True)
    parser.add_argument("--train-videos", type=int, default=16)
    parser.add_argument("--test-videos", type=int, default=4)
    parser.add_argument("--height", type=int, default=96)
    parser.add_argument("--width", type=int, default=128)
    parser.add_argument("--min-frames", type=int, default=6)
    parser.add_argument("--max-frames", type=int, default=12)
    parser.add_argument("--sample-rate", type=int, default=16000, help="WAV rate; 44100 mimics the official WAVs")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    root = generate(args.out, train_videos=args.train_videos, test_videos=args.test_videos, height=args.height,
                    width=args.width, min_frames=args.min_frames, max_frames=args.max_frames,
                    sample_rate=args.sample_rate, seed=args.seed)
    print(f"wrote synthetic AVISeg dataset to {root}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
