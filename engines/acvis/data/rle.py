"""COCO run-length encoding (column-major, runs start with zeros), uncompressed and compressed forms.

Follows ``aviseg-data-and-metrics.md`` §1.5 bit for bit, so the JSON this package writes is read by
the official (pycocotools-based) evaluator and by the Java evaluator alike.
"""

from __future__ import annotations

import numpy as np


def encode(mask: np.ndarray) -> dict:
    """Uncompressed RLE ``{"size": [h, w], "counts": [int, ...]}`` of a 2-D 0/1 mask (column-major)."""
    m = np.asarray(mask)
    if m.ndim != 2:
        raise ValueError(f"mask must be 2-D, got {m.shape}")
    h, w = m.shape
    flat = (m != 0).ravel(order="F").astype(np.int8)
    # a run ends wherever a value differs from the previous one; the initial "previous" value is 0
    starts = np.flatnonzero(np.diff(np.concatenate([[0], flat])))
    counts = np.diff(np.concatenate([[0], starts, [flat.size]])).tolist()
    return {"size": [int(h), int(w)], "counts": [int(c) for c in counts]}


def decode(rle: dict) -> np.ndarray:
    """2-D uint8 mask of an RLE dict whose ``counts`` is a list of ints or a compressed string."""
    h, w = (int(v) for v in rle["size"])
    counts = rle["counts"]
    if isinstance(counts, (str, bytes)):
        counts = decompress(counts)
    counts = np.asarray(counts, dtype=np.int64)
    if counts.sum() != h * w:
        raise ValueError(f"RLE counts sum to {int(counts.sum())}, expected {h * w}")
    values = np.arange(counts.size) % 2
    flat = np.repeat(values.astype(np.uint8), counts)
    return flat.reshape((w, h)).T.copy()


def compress(counts) -> str:
    """COCO compressed counts string (LEB128-like 5-bit groups, delta to ``c[i-2]`` for ``i > 2``)."""
    out = []
    for i, c in enumerate(counts):
        v = int(c) - (int(counts[i - 2]) if i > 2 else 0)
        more = True
        while more:
            b = v & 31
            v >>= 5  # arithmetic shift on Python ints
            more = (v != -1) if (b & 16) else (v != 0)
            if more:
                b |= 32
            out.append(chr(b + 48))
    return "".join(out)


def decompress(s) -> list[int]:
    """Inverse of :func:`compress`."""
    if isinstance(s, bytes):
        s = s.decode("ascii")
    counts: list[int] = []
    p = 0
    while p < len(s):
        x, k, more = 0, 0, True
        while more:
            c = ord(s[p]) - 48
            x |= (c & 31) << (5 * k)
            more = bool(c & 32)
            p += 1
            k += 1
            if not more and (c & 16):
                x |= -1 << (5 * k)
        if len(counts) > 2:
            x += counts[-2]
        counts.append(x & 0xFFFFFFFF)
    return counts


def polygons_to_mask(polygons, height: int, width: int) -> np.ndarray:
    """Rasterise a list of flat polygons ``[x1, y1, x2, y2, ...]`` (union): a pixel is set when its centre
    ``(x + 0.5, y + 0.5)`` lies inside, so the integer rectangle (x0, y0)-(x1, y1) covers x0 <= x < x1,
    y0 <= y < y1 as in COCO. Training quality; the evaluator's bit-exact rasteriser is not needed here.
    """
    from matplotlib.path import Path as PolyPath

    mask = np.zeros((height, width), dtype=np.uint8)
    for poly in polygons:
        pts = np.asarray(poly, dtype=np.float64).reshape(-1, 2)
        if pts.shape[0] < 3:
            continue
        x0, y0 = np.maximum(np.floor(pts.min(axis=0)).astype(int), 0)
        x1, y1 = np.minimum(np.ceil(pts.max(axis=0)).astype(int) + 1, [width, height])
        if x1 <= x0 or y1 <= y0:
            continue
        ys, xs = np.mgrid[y0:y1, x0:x1]
        centres = np.stack([xs.ravel() + 0.5, ys.ravel() + 0.5], axis=1)
        inside = PolyPath(pts).contains_points(centres).reshape(ys.shape)
        mask[y0:y1, x0:x1] |= inside.astype(np.uint8)
    return mask


def segmentation_to_mask(seg, height: int, width: int) -> np.ndarray | None:
    """Decode one frame's GT ``segmentations`` entry: ``None``/``[]`` -> ``None``; a list of polygons, a list
    of RLE dicts (union) or a bare RLE dict -> uint8 mask [height, width]."""
    if not seg:
        return None
    if isinstance(seg, dict):
        return decode(seg)
    if isinstance(seg[0], dict):
        mask = np.zeros((height, width), dtype=np.uint8)
        for rle in seg:
            mask |= decode(rle)
        return mask
    return polygons_to_mask(seg, height, width)
