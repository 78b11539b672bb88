"""AVISeg-format dataset reader and clip sampler (``aviseg-data-and-metrics.md`` §1, spec §2.2, §4.1).

Layout under ``root``::

    <split>.json                                annotations (YouTube-VIS style)
    <split>/JPEGImages/<video>/<n>.jpg          frames, 1 per second
    <split>/MELAudios/<video>.npy               float64 [T, 96, 64], row i = audio second i
    <split>/num_ins_CSVs/<video>.csv            "instance_cnt" header + T rows (sounding objects per frame)
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
import torch

from acvis.data.augmentation import ClipAugmentation, apply_clip_augmentation
from acvis.data.rle import segmentation_to_mask
from acvis.mel import apply_gain

# the benchmark's optional side folder: log-mel patches of each video's audio after the mp4's AAC and back
CODEC_MELS = "MELAudios_aac"


@dataclass(frozen=True)
class VideoRecord:
    """One video of the split: frame paths in order, size, and its annotation tracks."""

    video_id: int
    name: str
    frame_paths: tuple[Path, ...]
    height: int
    width: int
    annotations: tuple[dict, ...]  # {"id", "label" (contiguous 0..K-1), "height", "width", "segmentations"}

    @property
    def length(self) -> int:
        return len(self.frame_paths)


class AVISegDataset:
    """Reads one split of an AVISeg-format dataset.

    Args:
        root: dataset root (holding ``<split>.json`` and ``<split>/``).
        split: ``train``, ``val`` or ``test``.
        filter_empty: drop videos whose annotations are all empty (``FILTER_EMPTY_ANNOTATIONS``).
    """

    def __init__(self, root: str | Path, split: str = "train", *, filter_empty: bool = True):
        self.root = Path(root)
        self.split = split
        annotation_file = self.root / f"{split}.json"
        if not annotation_file.is_file():
            raise FileNotFoundError(f"annotation file {annotation_file} not found")
        data = json.loads(annotation_file.read_text())
        self.categories = [(int(c["id"]), c["name"]) for c in data["categories"]]
        # the model's contiguous labels 0..K-1 follow the dataset ids in ascending order (spec §1.3)
        self.id_to_label = {cid: i for i, (cid, _) in enumerate(sorted(self.categories))}
        tracks: dict[int, list[dict]] = {}
        for ann in data["annotations"]:
            tracks.setdefault(int(ann["video_id"]), []).append(ann)
        frames_root = self.root / split / "JPEGImages"
        videos = []
        for v in data["videos"]:
            anns = tuple({"id": int(a["id"]), "label": self.id_to_label[int(a["category_id"])],
                          "height": int(a.get("height", v["height"])), "width": int(a.get("width", v["width"])),
                          "segmentations": a["segmentations"]} for a in tracks.get(int(v["id"]), []))
            if filter_empty and not any(any(s for s in a["segmentations"]) for a in anns):
                continue
            videos.append(VideoRecord(int(v["id"]), Path(v["file_names"][0]).parts[0],
                                      tuple(frames_root / f for f in v["file_names"]), int(v["height"]),
                                      int(v["width"]), anns))
        self.videos = videos

    def __len__(self) -> int:
        return len(self.videos)

    def mel(self, video: VideoRecord, codec: bool = False) -> np.ndarray:
        """[T, 96, 64] log-mel patches; checks that there is one per frame. ``codec``: the patches of the audio
        after the mp4's AAC (``<split>/MELAudios_aac``, ``acvis.data.avbench --codec-mels``)."""
        patches = np.load(self.root / self.split / (CODEC_MELS if codec else "MELAudios") / f"{video.name}.npy")
        if patches.shape[1:] != (96, 64) or patches.shape[0] < video.length:
            raise ValueError(f"{video.name}: mel patches {patches.shape} for {video.length} frames")
        return patches

    def counts(self, video: VideoRecord) -> np.ndarray:
        """Per-frame sounding-instance counts from ``num_ins_CSVs`` [T] int64."""
        path = self.root / self.split / "num_ins_CSVs" / f"{video.name}.csv"
        with path.open(newline="") as f:
            rows = list(csv.DictReader(f))
        values = np.array([int(float(r["instance_cnt"])) for r in rows], dtype=np.int64)
        if values.shape[0] < video.length:
            raise ValueError(f"{path}: {values.shape[0]} counts for {video.length} frames")
        return values

    @staticmethod
    def frame(path: Path) -> np.ndarray:
        """RGB uint8 [H, W, 3]."""
        image = cv2.imread(str(path), cv2.IMREAD_COLOR)
        if image is None:
            raise FileNotFoundError(f"cannot read frame {path}")
        return cv2.cvtColor(image, cv2.COLOR_BGR2RGB)

    @staticmethod
    def instance_mask(annotation: dict, frame: int) -> np.ndarray | None:
        """The annotation's mask in ``frame`` (uint8) or ``None`` when the object is absent/silent."""
        return segmentation_to_mask(annotation["segmentations"][frame], annotation["height"], annotation["width"])


def sample_clip_frames(length: int, rng: np.random.Generator, num_frames: int = 5, frame_range: int = 20) -> list[int]:
    """Training clip indices (spec §2.2): a uniform reference frame ``r`` plus ``num_frames - 1`` draws *with
    replacement* from ``[max(0, r - range), min(length, r + range + 1))`` without ``r``; sorted ascending."""
    if length < 1:
        raise ValueError("video has no frames")
    ref = int(rng.integers(0, length))
    pool = [i for i in range(max(0, ref - frame_range), min(length, ref + frame_range + 1)) if i != ref]
    if not pool:  # a single-frame video: repeat the reference
        pool = [ref]
    others = rng.choice(pool, size=num_frames - 1, replace=True).tolist()
    return sorted([ref, *others])


def clip_targets(masks: torch.Tensor, present: torch.Tensor, labels: torch.Tensor, track_ids: torch.Tensor):
    """Clip and frame targets (spec §4.1).

    Args:
        masks: [N, T, H, W] bool instance masks of the clip (zeros where absent).
        present: [N, T] bool, annotation non-null in the frame.
        labels: [N] contiguous labels; track_ids: [N] annotation order of the tracks.

    An instance's id is ``-1`` in frames where its mask is empty; instances absent in every frame are
    dropped; ids are shifted so the smallest valid id is 0. Returns ``(clip, frames)``: clip = {labels [N'],
    ids [N', T], masks [N', T, H, W]}, frames = per frame {labels, ids, masks [N_t, H, W]}.
    """
    valid = present & masks.flatten(2).any(-1)  # [N, T]
    ids = torch.where(valid, track_ids[:, None].expand_as(valid), torch.full_like(valid, -1, dtype=torch.int64))
    keep = valid.any(1)
    labels, ids, masks, valid = labels[keep], ids[keep], masks[keep], valid[keep]
    if ids.numel() and (ids >= 0).any():
        ids = torch.where(ids >= 0, ids - ids[ids >= 0].min(), ids)
    clip = {"labels": labels, "ids": ids, "masks": masks & valid[:, :, None, None]}
    frames = []
    for t in range(masks.shape[1]):
        sel = valid[:, t]
        frames.append({"labels": labels[sel], "ids": ids[sel, t], "masks": masks[sel, t]})
    return clip, frames


class ClipMapper:
    """Turns a video of an :class:`AVISegDataset` into one training clip.

    Args:
        num_frames: frames per clip (``SAMPLING_FRAME_NUM`` 5).
        frame_range: sampling range around the reference (``SAMPLING_FRAME_RANGE`` 20).
        augmentation: clip augmentation, or ``None`` for none.
        audio_shift: probability of an *audio-shifted* clip (training against visual bias; needs the
            benchmark's side files ``<split>/schedules`` and ``<split>/ObjectMasks``, see :meth:`shifted_targets`).
            0 (default) draws no extra random numbers, so clips are those of a run without it.
        audio_codec: probability that a clip hears its audio after the mp4's codec (``<split>/MELAudios_aac``,
            ``acvis.data.avbench --codec-mels``): the lossy audio a live feed brings. 0: no extra random numbers.
        audio_gain_db: each clip's audio is made louder or quieter by a gain drawn uniformly in +-this many dB
            (:func:`acvis.mel.apply_gain`): a feed's level says nothing about who sounds, and a model trained at one
            level reads it as a count. 0: no extra random numbers.
    """

    def __init__(self, *, num_frames: int = 5, frame_range: int = 20, augmentation: ClipAugmentation | None = None,
                 audio_shift: float = 0.0, audio_codec: float = 0.0, audio_gain_db: float = 0.0):
        self.num_frames = num_frames
        self.frame_range = frame_range
        self.augmentation = augmentation
        self.audio_shift = audio_shift
        self.audio_codec = audio_codec
        self.audio_gain_db = audio_gain_db

    @staticmethod
    def shifted_targets(dataset: AVISegDataset, video: VideoRecord, frame_idx: list[int], rng: np.random.Generator):
        """A counterfactual clip: frame ``i`` is paired with the audio of another second ``j`` of the same video
        (uniform, ``j != i``), and its targets become the objects *visible in frame i* that *sound in second j*,
        with their visible masks from ``ObjectMasks``. On the benchmark every object has its own sound, so these
        are exactly the objects the paired audio holds; a visible object that is silent in ``j`` is no target even
        if it sounds in ``i``. Teaches the frame decoder that whether an object sounds is in the audio, not in the
        picture (the visual bias ACVIS is about).

        Returns ``(seconds, masks, labels)``: the audio second per clip frame, per clip frame a list over the
        video's objects of uint8 masks or ``None``, and the objects' labels; ``None`` without the side files."""
        split_dir = dataset.root / dataset.split
        sched_path = split_dir / "schedules" / f"{video.name}.json"
        masks_path = split_dir / "ObjectMasks" / f"{video.name}.npz"
        if not (sched_path.is_file() and masks_path.is_file()):
            return None
        objects = json.loads(sched_path.read_text())["objects"]
        object_masks = np.load(masks_path)["masks"]
        seconds = []
        for i in frame_idx:
            others = [j for j in range(video.length) if j != i] or [i]
            seconds.append(int(others[int(rng.integers(0, len(others)))]))
        masks = [[object_masks[o, i] if objects[o]["sounding"][j] and object_masks[o, i].any() else None
                  for o in range(len(objects))] for i, j in zip(frame_idx, seconds)]
        labels = [dataset.id_to_label[o["category_id"]] for o in objects]
        return seconds, masks, labels

    def __call__(self, dataset: AVISegDataset, index: int, rng: np.random.Generator) -> dict:
        """Returns ``images`` [T, 3, H, W] float32 (0..255 RGB), ``mel`` [T, 96, 64] float32, ``counts`` [T]
        int64, ``frame_idx`` list, ``video_id``, ``clip`` and ``frames`` targets (see :func:`clip_targets`)."""
        video = dataset.videos[index]
        frame_idx = sample_clip_frames(video.length, rng, self.num_frames, self.frame_range)
        images = [dataset.frame(video.frame_paths[i]) for i in frame_idx]
        shifted = None
        if self.audio_shift > 0 and rng.random() < self.audio_shift:
            shifted = self.shifted_targets(dataset, video, frame_idx, rng)
        if shifted is None:
            seconds = frame_idx
            masks = [[dataset.instance_mask(a, i) for a in video.annotations] for i in frame_idx]
            label_list = [a["label"] for a in video.annotations]
        else:
            seconds, masks, label_list = shifted
            # as the CSV's counts: sounding visible objects before any crop
            shifted_counts = np.array([sum(m is not None for m in frame_masks) for frame_masks in masks], np.int64)
        if self.augmentation is not None:
            images, masks = apply_clip_augmentation(images, masks, self.augmentation, rng)
        h, w = images[0].shape[:2]
        n = len(label_list)
        mask_t = torch.zeros(n, len(frame_idx), h, w, dtype=torch.bool)
        present = torch.zeros(n, len(frame_idx), dtype=torch.bool)
        for t, frame_masks in enumerate(masks):
            for k, m in enumerate(frame_masks):
                if m is not None:
                    if m.shape != (h, w):
                        raise ValueError(f"{video.name}: mask {m.shape} vs frame {(h, w)} (annotation {k})")
                    mask_t[k, t] = torch.from_numpy(m > 0)
                    present[k, t] = True
        labels = torch.tensor(label_list, dtype=torch.int64)
        clip, frames = clip_targets(mask_t, present, labels, torch.arange(n, dtype=torch.int64))
        codec = self.audio_codec > 0 and rng.random() < self.audio_codec
        mel = dataset.mel(video, codec)[seconds]
        if self.audio_gain_db > 0:
            mel = apply_gain(mel, float(rng.uniform(-self.audio_gain_db, self.audio_gain_db)))
        counts = dataset.counts(video)[frame_idx] if shifted is None else shifted_counts
        return {
            "images": torch.from_numpy(np.stack(images)).permute(0, 3, 1, 2).float(),
            "mel": torch.from_numpy(mel.astype(np.float32)),
            "counts": torch.from_numpy(counts),
            "frame_idx": frame_idx,
            "video_id": video.video_id,
            "clip": clip,
            "frames": frames,
        }


def pad_targets(clip: dict, frames: list[dict], padded_hw: tuple[int, int]):
    """Paste target masks into zero tensors of the padded image size (bottom/right padding, spec §4.1)."""
    def pad(m: torch.Tensor) -> torch.Tensor:
        out = m.new_zeros(*m.shape[:-2], *padded_hw)
        out[..., :m.shape[-2], :m.shape[-1]] = m
        return out

    return ({**clip, "masks": pad(clip["masks"])}, [{**f, "masks": pad(f["masks"])} for f in frames])
