"""Reference vectors for the Java pre/post-processing parity tests (``src/test/resources/parity/``).

Run from the repository root with the Debian interpreter (PIL, numpy and torch are installed there)::

    /usr/bin/python3 engines/tools/make_parity_vectors.py [--out src/test/resources/parity]

Writes, all as NumPy ``.npy`` (little-endian, C order):

* ``mel/<case>.pcm.npy`` int16 [n] and ``mel/<case>.mel.npy`` float64 [96, 64]: ``acvis.mel.patch_for_window``
  (the Python reference of spec §2.3) on synthetic 16 kHz signals.
* ``resize/<case>.in.npy`` / ``resize/<case>.out.npy`` uint8 [H, W, 3]: PIL ``Image.resize(BILINEAR)`` to the
  size detectron2's ``ResizeShortestEdge(360, 1333)`` picks, i.e. the official test-time resize (spec §2.1).
* ``post/<case>.*.npy``: the live-mode post-processing of spec §5 for one frame, computed with torch:
  inputs ``class_logits`` [Q, 27], ``mask_logits`` [Q, Hp, Wp] (what the masks graph returns for every
  query), ``geometry`` int64 [6] = (W0, H0, W, H, Wp, Hp); outputs ``queries``, ``classes`` int64 [N],
  ``scores`` float32 [N] (kept candidates in descending score order) and ``masks`` bool [N, H0, W0].

The inputs are generated from fixed seeds, so rerunning rewrites identical files.
"""

from __future__ import annotations

import argparse
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))  # engines/, for acvis.mel

from acvis import mel  # noqa: E402

SHORT_SIDE = 360
MAX_LONG_SIDE = 1333


def output_size(height: int, width: int) -> tuple[int, int]:
    """detectron2 ``ResizeShortestEdge.get_output_shape`` for the test-time sizes."""
    scale = SHORT_SIDE / min(height, width)
    if height < width:
        new_h, new_w = SHORT_SIDE, scale * width
    else:
        new_h, new_w = scale * height, SHORT_SIDE
    if max(new_h, new_w) > MAX_LONG_SIDE:
        shrink = MAX_LONG_SIDE / max(new_h, new_w)
        new_h, new_w = new_h * shrink, new_w * shrink
    return int(new_h + 0.5), int(new_w + 0.5)


def mel_cases(out: str) -> None:
    rng = np.random.RandomState(7)
    t = np.arange(mel.PATCH_SAMPLES) / mel.SAMPLE_RATE
    signals = {
        "tone440": 0.5 * np.sin(2 * np.pi * 440.0 * t),
        "chirp": 0.3 * np.sin(2 * np.pi * (200.0 * t + 3000.0 * t * t)),
        "noise": np.clip(rng.normal(0.0, 0.2, mel.PATCH_SAMPLES), -1.0, 0.999),
        "mixed": 0.25 * np.sin(2 * np.pi * 1000.0 * t) + 0.25 * np.sin(2 * np.pi * 6000.0 * t)
        + rng.uniform(-0.05, 0.05, mel.PATCH_SAMPLES),
        "silence": np.zeros(mel.PATCH_SAMPLES),
    }
    os.makedirs(os.path.join(out, "mel"), exist_ok=True)
    for name, signal in signals.items():
        pcm = np.round(signal * 32767.0).astype(np.int16)
        patch = mel.patch_for_window(pcm.astype(np.float64) / 32768.0)
        np.save(os.path.join(out, "mel", f"{name}.pcm.npy"), pcm)
        np.save(os.path.join(out, "mel", f"{name}.mel.npy"), patch)


def resize_cases(out: str) -> None:
    from PIL import Image

    rng = np.random.RandomState(11)
    sizes = {  # name: (H0, W0)
        "down_400x500": (400, 500),
        "down_portrait_397x371": (397, 371),
        "up_300x400": (300, 400),
        "clamp_120x1000": (120, 1000),
        "odd_61x97": (61, 97),
    }
    os.makedirs(os.path.join(out, "resize"), exist_ok=True)
    for name, (h, w) in sizes.items():
        yy, xx = np.mgrid[0:h, 0:w]
        smooth = np.stack([xx * 255.0 / w, yy * 255.0 / h, (xx + yy) * 127.0 / (w + h)], axis=-1)
        image = np.clip(smooth + rng.normal(0, 40, (h, w, 3)), 0, 255).astype(np.uint8)
        new_h, new_w = output_size(h, w)
        resized = np.asarray(Image.fromarray(image).resize((new_w, new_h), Image.BILINEAR))
        np.save(os.path.join(out, "resize", f"{name}.in.npy"), image)
        np.save(os.path.join(out, "resize", f"{name}.out.npy"), resized)


def post_case(out: str, name: str, seed: int, queries: int, geometry: tuple[int, ...], top_k: int,
              threshold: float) -> None:
    """Spec §5 steps 6-9 for a single frame (live mode, W frames of queries, masks of the newest)."""
    import torch
    import torch.nn.functional as F

    w0, h0, w, h, wp, hp = geometry
    g = torch.Generator().manual_seed(seed)
    class_logits = torch.randn(queries, 27, generator=g) * 2.0
    # A few confident queries, so some candidates pass the threshold.
    for q, c in ((1, 3), (4, 3), (6, 17), (8, 0)):
        class_logits[q, c] += 7.0
    low = torch.randn(queries, hp // 4, wp // 4, generator=g) * 3.0
    mask_logits = F.interpolate(low[None], size=(hp, wp), mode="bilinear", align_corners=False)[0]

    scores = F.softmax(class_logits, dim=-1)[:, :-1]  # [Q, 26]
    num_classes = scores.shape[1]
    flat_scores, flat_index = scores.flatten().topk(min(top_k, scores.numel()), sorted=True)
    kept = []
    for prob, index in zip(flat_scores.tolist(), flat_index.tolist()):
        q, c = index // num_classes, index % num_classes
        cropped = mask_logits[q, :h, :w]
        sig = cropped.sigmoid()
        fg = (sig > 0.5).float()
        mask_score = float((sig * fg).sum() / (fg.sum() + 1e-6))
        score = prob * mask_score
        if score > threshold:
            full = F.interpolate(cropped[None, None], size=(h0, w0), mode="bilinear", align_corners=False)[0, 0]
            kept.append((score, q, c, (full > 0).numpy()))
    kept.sort(key=lambda item: -item[0])
    base = os.path.join(out, "post", name)
    os.makedirs(os.path.join(out, "post"), exist_ok=True)
    np.save(f"{base}.class_logits.npy", class_logits.numpy().astype(np.float32))
    np.save(f"{base}.mask_logits.npy", mask_logits.numpy().astype(np.float32))
    np.save(f"{base}.geometry.npy", np.asarray(geometry, dtype=np.int64))
    np.save(f"{base}.queries.npy", np.asarray([k[1] for k in kept], dtype=np.int64))
    np.save(f"{base}.classes.npy", np.asarray([k[2] for k in kept], dtype=np.int64))
    np.save(f"{base}.scores.npy", np.asarray([k[0] for k in kept], dtype=np.float32))
    masks = np.stack([k[3] for k in kept]) if kept else np.zeros((0, h0, w0), dtype=bool)
    np.save(f"{base}.masks.npy", masks.astype(bool))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="src/test/resources/parity")
    args = parser.parse_args(argv)
    mel_cases(args.out)
    resize_cases(args.out)
    # (W0, H0, W, H, Wp, Hp): a downscaled frame and an upscaled one.
    post_case(args.out, "down", seed=3, queries=10, geometry=(180, 100, 90, 50, 96, 64), top_k=100, threshold=0.3)
    post_case(args.out, "up", seed=5, queries=12, geometry=(40, 30, 80, 60, 96, 64), top_k=5, threshold=0.3)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
