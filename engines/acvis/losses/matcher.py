"""Hungarian matchers for frame-level and video-level predictions (spec §4.2).

Cost ``C = w_class * (-p[target class]) + w_mask * BCE + w_dice * Dice`` on point-sampled masks:
``num_points`` uniform random points shared by every prediction and target of one image (frame
matcher) or one clip (video matcher: the same 2-D points in every frame, concatenated over time).
Prediction logits are sampled from the 1/4-resolution mask logits, targets from the full (padded)
resolution masks. Assignment: ``scipy.optimize.linear_sum_assignment``.
"""

from __future__ import annotations

import numpy as np
import torch
from scipy.optimize import linear_sum_assignment

from acvis.losses.point_sampling import point_sample


def pairwise_sigmoid_ce(inputs: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    """Mean per-point BCE between every prediction [Q, P] (logits) and target [N, P] (0/1) -> [Q, N]."""
    num_points = inputs.shape[1]
    pos = torch.nn.functional.binary_cross_entropy_with_logits(inputs, torch.ones_like(inputs), reduction="none")
    neg = torch.nn.functional.binary_cross_entropy_with_logits(inputs, torch.zeros_like(inputs), reduction="none")
    return (pos @ targets.T + neg @ (1.0 - targets).T) / num_points


def pairwise_dice(inputs: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    """Dice cost ``1 - (2 sum(s*y) + 1) / (sum(s) + sum(y) + 1)`` for every pair, [Q, P] x [N, P] -> [Q, N]."""
    probs = inputs.sigmoid()
    numerator = 2.0 * probs @ targets.T
    denominator = probs.sum(-1)[:, None] + targets.sum(-1)[None, :]
    return 1.0 - (numerator + 1.0) / (denominator + 1.0)


def _empty_indices(device) -> tuple[torch.Tensor, torch.Tensor]:
    empty = torch.zeros(0, dtype=torch.int64, device=device)
    return empty, empty.clone()


class HungarianMatcher(torch.nn.Module):
    """Frame-level matcher: each image of the batch is matched on its own.

    Args:
        cost_class: weight of ``-p[target class]`` (2.0 official).
        cost_mask: weight of the point-averaged BCE (5.0 official).
        cost_dice: weight of the dice cost (5.0 official).
        num_points: uniform points per image (12544 official).
    """

    def __init__(self, *, cost_class: float = 2.0, cost_mask: float = 5.0, cost_dice: float = 5.0, num_points: int = 12544):
        super().__init__()
        if cost_class == 0 and cost_mask == 0 and cost_dice == 0:
            raise ValueError("all matcher costs are 0")
        self.cost_class = cost_class
        self.cost_mask = cost_mask
        self.cost_dice = cost_dice
        self.num_points = num_points

    @torch.no_grad()
    def cost_matrix(self, logits: torch.Tensor, masks: torch.Tensor, labels: torch.Tensor, target_masks: torch.Tensor,
                    generator: torch.Generator | None = None) -> torch.Tensor:
        """Cost [Q, N] for one image: logits [Q, K+1], masks [Q, h, w], labels [N], target_masks [N, H, W]."""
        prob = logits.softmax(-1)  # [Q, K+1]
        cost_class = -prob[:, labels]  # [Q, N]
        coords = torch.rand(1, self.num_points, 2, device=masks.device, generator=generator)
        out = point_sample(masks[:, None].float(), coords.expand(masks.shape[0], -1, -1))[:, 0]  # [Q, P]
        tgt = point_sample(target_masks[:, None].float(), coords.expand(target_masks.shape[0], -1, -1))[:, 0]  # [N, P]
        return (self.cost_class * cost_class + self.cost_mask * pairwise_sigmoid_ce(out, tgt)
                + self.cost_dice * pairwise_dice(out, tgt))

    @torch.no_grad()
    def forward(self, outputs: dict, targets: list[dict], generator: torch.Generator | None = None):
        """Match ``outputs`` (``pred_logits`` [B, Q, K+1], ``pred_masks`` [B, Q, h, w]) to ``targets``
        (per image: ``labels`` [N], ``masks`` [N, H, W]).

        Returns a list of ``(prediction_idx, target_idx)`` int64 tensors, one pair per image.
        """
        indices = []
        for b, target in enumerate(targets):
            if target["labels"].numel() == 0:
                indices.append(_empty_indices(outputs["pred_logits"].device))
                continue
            cost = self.cost_matrix(outputs["pred_logits"][b], outputs["pred_masks"][b], target["labels"],
                                    target["masks"], generator)
            rows, cols = linear_sum_assignment(cost.cpu().numpy())
            indices.append((torch.as_tensor(rows, dtype=torch.int64), torch.as_tensor(cols, dtype=torch.int64)))
        return indices


class VideoHungarianMatcher(HungarianMatcher):
    """Video-level matcher: one assignment per clip entry, masks compared over all its frames."""

    @torch.no_grad()
    def cost_matrix(self, logits: torch.Tensor, masks: torch.Tensor, labels: torch.Tensor, target_masks: torch.Tensor,
                    generator: torch.Generator | None = None) -> torch.Tensor:
        """Cost [Q, N]: logits [Q, K+1], masks [Q, T, h, w], labels [N], target_masks [N, T, H, W]."""
        prob = logits.softmax(-1)
        cost_class = -prob[:, labels]
        coords = torch.rand(1, self.num_points, 2, device=masks.device, generator=generator)
        q, t = masks.shape[:2]
        n = target_masks.shape[0]
        # same 2-D points in every frame; per-frame samples concatenated along time -> [., T * P]
        out = point_sample(masks.reshape(q * t, 1, *masks.shape[-2:]).float(), coords.expand(q * t, -1, -1))
        tgt = point_sample(target_masks.reshape(n * t, 1, *target_masks.shape[-2:]).float(), coords.expand(n * t, -1, -1))
        out = out.reshape(q, t * self.num_points)
        tgt = tgt.reshape(n, t * self.num_points)
        return (self.cost_class * cost_class + self.cost_mask * pairwise_sigmoid_ce(out, tgt)
                + self.cost_dice * pairwise_dice(out, tgt))


def assignment_cost(cost: torch.Tensor | np.ndarray, indices) -> float:
    """Total cost of an assignment (helper for tests and diagnostics)."""
    c = cost.cpu().numpy() if isinstance(cost, torch.Tensor) else cost
    rows, cols = (np.asarray(i) for i in indices)
    return float(c[rows, cols].sum())
