"""Hungarian matchers (spec §4.2) on hand-built cases with known assignments."""

import itertools

import pytest
import torch
import torch.nn.functional as F

from acvis.losses.matcher import (HungarianMatcher, VideoHungarianMatcher, assignment_cost, pairwise_dice,
                                  pairwise_sigmoid_ce)
from acvis.losses.point_sampling import point_sample


def _boxes(h, w, boxes):
    masks = torch.zeros(len(boxes), h, w)
    for i, (y0, y1, x0, x1) in enumerate(boxes):
        masks[i, y0:y1, x0:x1] = 1.0
    return masks


def test_should_compute_pairwise_costs_like_per_pair_losses():
    g = torch.Generator().manual_seed(1)
    inputs = torch.randn(3, 50, generator=g)
    targets = (torch.rand(2, 50, generator=g) > 0.5).float()

    ce = pairwise_sigmoid_ce(inputs, targets)
    dice = pairwise_dice(inputs, targets)

    for q, n in itertools.product(range(3), range(2)):
        expected_ce = F.binary_cross_entropy_with_logits(inputs[q], targets[n])
        s = inputs[q].sigmoid()
        expected_dice = 1 - (2 * (s * targets[n]).sum() + 1) / (s.sum() + targets[n].sum() + 1)
        assert ce[q, n].item() == pytest.approx(expected_ce.item(), rel=1e-5)
        assert dice[q, n].item() == pytest.approx(expected_dice.item(), rel=1e-5)


def test_should_sample_points_with_align_corners_false():
    image = torch.arange(4.0).reshape(1, 1, 2, 2)  # [[0, 1], [2, 3]]
    coords = torch.tensor([[[0.25, 0.25], [0.75, 0.75], [0.5, 0.5]]])

    values = point_sample(image, coords)[0, 0]

    # pixel centres sit at 0.25 / 0.75 of the unit square; the centre is the mean of the four pixels
    assert values.tolist() == pytest.approx([0.0, 3.0, 1.5])


def test_should_recover_a_permutation_of_masks_and_classes():
    targets = _boxes(32, 32, [(0, 10, 0, 10), (12, 30, 0, 8), (5, 20, 15, 31)])
    labels = torch.tensor([3, 7, 3])
    perm = [4, 0, 2]  # prediction q predicts target perm.index(q)
    logits = torch.full((6, 27), -5.0)
    masks = torch.full((6, 8, 8), -8.0)
    down = F.interpolate(targets[:, None], size=(8, 8), mode="area")[:, 0]
    for t, q in enumerate(perm):
        logits[q, labels[t]] = 5.0
        masks[q] = (down[t] * 16.0) - 8.0
    matcher = HungarianMatcher(num_points=2000)

    (rows, cols), = matcher({"pred_logits": logits[None], "pred_masks": masks[None]},
                            [{"labels": labels, "masks": targets}], generator=torch.Generator().manual_seed(0))

    assert dict(zip(cols.tolist(), rows.tolist())) == {0: 4, 1: 0, 2: 2}


def test_should_use_class_cost_to_break_mask_ties():
    targets = _boxes(16, 16, [(0, 8, 0, 8)])
    logits = torch.zeros(2, 27)
    logits[1, 5] = 6.0  # only query 1 believes in class 5
    masks = torch.zeros(2, 4, 4)  # both masks identical

    (rows, cols), = HungarianMatcher(num_points=256)({"pred_logits": logits[None], "pred_masks": masks[None]},
                                                     [{"labels": torch.tensor([5]), "masks": targets}])

    assert rows.tolist() == [1] and cols.tolist() == [0]


def test_should_return_a_minimum_cost_assignment():
    g = torch.Generator().manual_seed(3)
    logits = torch.randn(5, 27, generator=g)
    masks = torch.randn(5, 6, 6, generator=g)
    targets = (torch.rand(3, 24, 24, generator=g) > 0.6).float()
    labels = torch.tensor([1, 2, 3])
    matcher = HungarianMatcher(num_points=300)
    cost = matcher.cost_matrix(logits, masks, labels, targets, torch.Generator().manual_seed(9))

    (rows, cols), = matcher({"pred_logits": logits[None], "pred_masks": masks[None]},
                            [{"labels": labels, "masks": targets}], generator=torch.Generator().manual_seed(9))

    brute = min(sum(cost[q, t].item() for t, q in enumerate(p)) for p in itertools.permutations(range(5), 3))
    assert assignment_cost(cost, (rows, cols)) == pytest.approx(brute, rel=1e-6)
    assert sorted(cols.tolist()) == [0, 1, 2]


def test_should_give_empty_indices_for_a_frame_without_targets():
    (rows, cols), = HungarianMatcher(num_points=16)(
        {"pred_logits": torch.zeros(1, 4, 27), "pred_masks": torch.zeros(1, 4, 4, 4)},
        [{"labels": torch.zeros(0, dtype=torch.int64), "masks": torch.zeros(0, 16, 16)}])

    assert rows.numel() == 0 and cols.numel() == 0


def test_should_match_video_queries_on_all_frames_together():
    # two instances that coincide in frames 0-1 and separate in frame 2: only the whole clip tells them apart
    t_len, h = 3, 16
    targets = torch.zeros(2, t_len, h, h)
    targets[:, :2, 0:8, 0:8] = 1.0
    targets[0, 2, 0:8, 0:8] = 1.0
    targets[1, 2, 8:16, 8:16] = 1.0
    masks = torch.full((3, t_len, 4, 4), -8.0)
    masks[:, :2, 0:2, 0:2] = 8.0
    masks[2, 2, 0:2, 0:2] = 8.0  # query 2 follows instance 0
    masks[0, 2, 2:4, 2:4] = 8.0  # query 0 follows instance 1
    logits = torch.zeros(3, 27)

    (rows, cols), = VideoHungarianMatcher(num_points=500)(
        {"pred_logits": logits[None], "pred_masks": masks[None]},
        [{"labels": torch.tensor([0, 0]), "masks": targets}], generator=torch.Generator().manual_seed(0))

    assert dict(zip(cols.tolist(), rows.tolist())) == {0: 2, 1: 0}
