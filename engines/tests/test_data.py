"""AVISeg-format reading, RLE, clip sampling/augmentation and the synthetic generator (spec §2.2, §4.1)."""

import json

import numpy as np
import pytest
import torch

from acvis import mel
from acvis.data import rle
from acvis.data.augmentation import ClipAugmentation, apply_clip_augmentation, shortest_edge_size
from acvis.data.dataset import AVISegDataset, ClipMapper, clip_targets, pad_targets, sample_clip_frames
from acvis.data.synthetic import generate


@pytest.fixture(scope="module")
def synthetic_root(tmp_path_factory):
    return generate(tmp_path_factory.mktemp("syn"), train_videos=4, test_videos=2, height=48, width=64,
                    min_frames=3, max_frames=6, seed=7)


@pytest.mark.parametrize("counts,string", [
    ([921600], "PPTl0"), ([0, 921600], "0PPTl0"), ([5, 10, 20, 40, 30], "5:d0n0:"),
    ([1000000, 5, 3, 7], "Pb`n0532"), ([64, 16, 31, 15, 32], "P2`0o0O1"), ([3, 2, 1, 1, 4, 1], "321O30"),
])
def test_should_compress_rle_counts_like_the_reference_vectors(counts, string):
    assert rle.compress(counts) == string
    assert rle.decompress(string) == counts


def test_should_encode_column_major_runs_starting_with_zeros():
    mask = np.array([[0, 1, 1, 0], [0, 1, 0, 0], [0, 0, 0, 1]], dtype=np.uint8)

    encoded = rle.encode(mask)

    assert encoded == {"size": [3, 4], "counts": [3, 2, 1, 1, 4, 1]}
    assert rle.encode(np.ones((2, 2)))["counts"] == [0, 4]
    assert np.array_equal(rle.decode(encoded), mask)
    assert np.array_equal(rle.decode({"size": [3, 4], "counts": "321O30"}), mask)


def test_should_decode_polygon_and_rle_list_segmentations():
    square = rle.segmentation_to_mask([[2, 2, 6, 2, 6, 5, 2, 5]], 8, 8)
    union = rle.segmentation_to_mask([rle.encode(np.eye(3)), rle.encode(np.fliplr(np.eye(3)))], 3, 3)

    assert square.sum() == 4 * 3 and square[2:5, 2:6].all()
    assert union.tolist() == [[1, 0, 1], [0, 1, 0], [1, 0, 1]]
    assert rle.segmentation_to_mask(None, 3, 3) is None


def test_should_sample_reference_plus_draws_with_replacement_within_range():
    rng = np.random.default_rng(0)
    saw_duplicate = False
    for _ in range(300):
        idx = sample_clip_frames(100, rng, num_frames=5, frame_range=20)
        assert len(idx) == 5 and idx == sorted(idx)
        assert idx[-1] - idx[0] <= 40 and 0 <= idx[0] and idx[-1] < 100
        saw_duplicate |= len(set(idx)) < 5
    assert saw_duplicate  # with replacement: duplicates occur
    assert sample_clip_frames(1, rng) == [0, 0, 0, 0, 0]
    assert max(sample_clip_frames(3, rng)) <= 2


def test_should_resize_shortest_edge_like_detectron2():
    assert shortest_edge_size(720, 1280, 360, 1333) == (360, 640)
    assert shortest_edge_size(100, 1000, 400, 1333) == (133, 1333)
    assert shortest_edge_size(1280, 720, 360, 1333) == (640, 360)


def test_should_apply_one_flip_and_size_per_clip_and_keep_masks_aligned():
    h, w = 60, 80
    images, masks = [], []
    for t in range(5):
        im = np.zeros((h, w, 3), dtype=np.uint8)
        m = np.zeros((h, w), dtype=np.uint8)
        m[10:30, 5 + 5 * t:25 + 5 * t] = 1
        im[m > 0] = 255
        images.append(im)
        masks.append([m, None])
    aug = ClipAugmentation(crop_prob=1.0, crop_resize_sizes=(60,), crop_resize_max=200, crop_size_range=(40, 50),
                           min_sizes=(48,), max_size=100, flip_prob=0.5)

    for seed in range(6):
        out_images, out_masks = apply_clip_augmentation(images, masks, aug, np.random.default_rng(seed))
        assert len({im.shape for im in out_images}) == 1  # one size for the whole clip
        assert all(frame[1] is None for frame in out_masks)
        for im, frame in zip(out_images, out_masks):
            # the white square and its mask transform together (bilinear edges aside)
            assert np.array_equal(im[..., 0] > 200, (frame[0] > 0) & (im[..., 0] > 200))
            assert ((im[..., 0] > 127) == (frame[0] > 0)).mean() > 0.97


def test_should_build_clip_and_frame_targets_with_shifted_ids():
    masks = torch.zeros(3, 2, 4, 4, dtype=torch.bool)
    masks[1, 0, :2] = True  # instance 1 only in frame 0
    masks[2, :, 2:] = True  # instance 2 in both frames
    masks[0, 1, 0, 0] = True  # instance 0 present in frame 1 but its annotation is null there
    present = torch.tensor([[False, False], [True, True], [True, True]])

    clip, frames = clip_targets(masks, present, torch.tensor([5, 6, 7]), torch.arange(3))

    assert clip["labels"].tolist() == [6, 7]  # instance 0 is absent everywhere -> dropped
    assert clip["ids"].tolist() == [[0, -1], [1, 1]]  # ids shifted by the smallest valid id
    assert frames[0]["labels"].tolist() == [6, 7] and frames[1]["labels"].tolist() == [7]
    assert frames[1]["ids"].tolist() == [1]
    padded_clip, padded_frames = pad_targets(clip, frames, (32, 64))
    assert padded_clip["masks"].shape == (2, 2, 32, 64) and padded_clip["masks"].sum() == clip["masks"].sum()
    assert padded_frames[0]["masks"].shape == (2, 32, 64)


def test_should_write_a_consistent_synthetic_dataset(synthetic_root):
    data = json.loads((synthetic_root / "train.json").read_text())
    dataset = AVISegDataset(synthetic_root, "train")

    assert len(data["categories"]) == 26 and len(dataset) == 4
    for video in dataset.videos:
        counts = dataset.counts(video)
        present = np.zeros(video.length, dtype=np.int64)
        for ann in video.annotations:
            for t in range(video.length):
                m = dataset.instance_mask(ann, t)
                present[t] += m is not None
                if m is not None:
                    assert m.shape == (48, 64) and m.sum() > 0
        assert np.array_equal(counts, present)  # CSV = number of sounding (annotated) instances per frame
        patches = dataset.mel(video)
        assert patches.shape == (video.length, 96, 64) and patches.dtype == np.float64
        assert dataset.frame(video.frame_paths[0]).shape == (48, 64, 3)


def test_should_make_sounding_objects_audible_in_their_tone_band(synthetic_root):
    from acvis.data.synthetic import SHAPE_CLASSES

    dataset = AVISegDataset(synthetic_root, "train")
    tone = {c.category_id: c.tone_hz for c in SHAPE_CLASSES}
    label_to_id = {v: k for k, v in dataset.id_to_label.items()}
    checked = 0
    for video in dataset.videos:
        patches = dataset.mel(video)
        for ann in video.annotations:
            band = mel.band_of_frequency(tone[label_to_id[ann["label"]]])
            for t, seg in enumerate(ann["segmentations"]):
                if seg:
                    assert patches[t, :, band].mean() > np.log(0.01) + 3.0
                    checked += 1
    assert checked > 0


def test_should_map_a_video_to_a_training_clip(synthetic_root):
    dataset = AVISegDataset(synthetic_root, "train")
    mapper = ClipMapper(num_frames=5, frame_range=20, augmentation=ClipAugmentation.tiny())

    a = mapper(dataset, 0, np.random.default_rng(3))
    b = mapper(dataset, 0, np.random.default_rng(3))

    assert a["images"].shape[:2] == (5, 3) and a["images"].dtype == torch.float32
    assert a["mel"].shape == (5, 96, 64) and a["counts"].shape == (5,)
    assert torch.equal(a["images"], b["images"]) and a["frame_idx"] == b["frame_idx"]  # seeded
    n, t_len, h, w = a["clip"]["masks"].shape
    assert (t_len, h, w) == (5, *a["images"].shape[-2:])
    assert a["clip"]["ids"].shape == (n, 5)
    assert len(a["frames"]) == 5
