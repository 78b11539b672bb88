"""Clip-level training augmentation (spec §2.2): every random parameter is drawn once per clip.

Order: (1) with probability ``crop_prob`` resize the short side to a choice of ``crop_resize_sizes``
(long side <= ``crop_resize_max``) and crop a window of fixed size whose top-left corner slides
linearly across the clip; (2) resize the short side to a choice of ``min_sizes`` (long side <=
``max_size``); (3) horizontal flip with probability ``flip_prob``. Images are resized with PIL
bilinear (as detectron2's ``ResizeTransform`` does for uint8 images), masks with nearest neighbour.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image


@dataclass(frozen=True)
class ClipAugmentation:
    """Parameters of the clip augmentation; defaults are the official ones (``configs/Base-AVIS.yaml``)."""

    crop_prob: float = 0.5
    crop_resize_sizes: tuple[int, ...] = (400, 500, 600)
    crop_resize_max: int = 1333
    crop_size_range: tuple[int, int] = (384, 600)
    min_sizes: tuple[int, ...] = (288, 320, 352, 384, 416, 448, 480, 512)
    max_size: int = 768
    flip_prob: float = 0.5

    @staticmethod
    def tiny() -> "ClipAugmentation":
        """The same recipe scaled to ~100-pixel frames for CPU training on synthetic data."""
        return ClipAugmentation(crop_resize_sizes=(96, 112, 128), crop_resize_max=256, crop_size_range=(72, 112),
                                min_sizes=(64, 72, 80, 88, 96), max_size=160)


def shortest_edge_size(h: int, w: int, short: int, max_size: int) -> tuple[int, int]:
    """detectron2 ``ResizeShortestEdge`` output size (new_h, new_w), rounded with ``int(x + 0.5)``."""
    scale = short / min(h, w)
    new_h, new_w = (short, scale * w) if h < w else (scale * h, short)
    if max(new_h, new_w) > max_size:
        rescale = max_size / max(new_h, new_w)
        new_h, new_w = new_h * rescale, new_w * rescale
    return int(new_h + 0.5), int(new_w + 0.5)


def _resize_image(image: np.ndarray, size_hw: tuple[int, int]) -> np.ndarray:
    if image.shape[:2] == tuple(size_hw):
        return image
    return np.asarray(Image.fromarray(image).resize((size_hw[1], size_hw[0]), Image.BILINEAR))


def _resize_mask(mask: np.ndarray, size_hw: tuple[int, int]) -> np.ndarray:
    if mask.shape[:2] == tuple(size_hw):
        return mask
    return np.asarray(Image.fromarray(mask).resize((size_hw[1], size_hw[0]), Image.NEAREST))


def apply_clip_augmentation(images: list[np.ndarray], masks: list[list[np.ndarray | None]], aug: ClipAugmentation,
                            rng: np.random.Generator):
    """Augment a clip.

    Args:
        images: T RGB uint8 frames [H, W, 3] (same size).
        masks: per frame, one entry per instance: uint8 mask [H, W] or ``None`` (absent).
        aug: parameters.
        rng: source of every random choice.

    Returns ``(images, masks)`` transformed alike (``None`` stays ``None``).
    """
    t_len = len(images)
    h, w = images[0].shape[:2]
    if rng.random() < aug.crop_prob:
        size = shortest_edge_size(h, w, int(rng.choice(aug.crop_resize_sizes)), aug.crop_resize_max)
        images = [_resize_image(im, size) for im in images]
        masks = [[None if m is None else _resize_mask(m, size) for m in frame] for frame in masks]
        h, w = size
        lo, hi = aug.crop_size_range
        crop_h = int(rng.integers(min(h, lo), min(h, hi) + 1))
        crop_w = int(rng.integers(min(w, lo), min(w, hi) + 1))
        # the crop window slides from one corner to the other across the clip
        h0 = int(rng.integers(0, h - crop_h + 1))
        w0 = int(rng.integers(0, w - crop_w + 1))
        h1 = int(rng.integers(h0, h - crop_h + 1))
        w1 = int(rng.integers(w0, w - crop_w + 1))
        x = np.sort(rng.random(t_len))
        if rng.random() < 0.5:
            x = x[::-1]
        tops = [int(round(h0 * xk + h1 * (1 - xk))) for xk in x]
        lefts = [int(round(w0 * xk + w1 * (1 - xk))) for xk in x]
        images = [im[y:y + crop_h, l:l + crop_w] for im, y, l in zip(images, tops, lefts)]
        masks = [[None if m is None else m[y:y + crop_h, l:l + crop_w] for m in frame]
                 for frame, y, l in zip(masks, tops, lefts)]
        h, w = crop_h, crop_w
    size = shortest_edge_size(h, w, int(rng.choice(aug.min_sizes)), aug.max_size)
    images = [_resize_image(im, size) for im in images]
    masks = [[None if m is None else _resize_mask(m, size) for m in frame] for frame in masks]
    if rng.random() < aug.flip_prob:
        images = [im[:, ::-1] for im in images]
        masks = [[None if m is None else m[:, ::-1] for m in frame] for frame in masks]
    images = [np.ascontiguousarray(im) for im in images]
    masks = [[None if m is None else np.ascontiguousarray(m) for m in frame] for frame in masks]
    return images, masks
