"""Point sampling of mask logits/targets (PointRend style), as Mask2Former's losses use it (spec §4.2-4.3)."""

from __future__ import annotations

from typing import Callable

import torch
import torch.nn.functional as F


def point_sample(masks: torch.Tensor, coords: torch.Tensor) -> torch.Tensor:
    """Bilinear samples of ``masks`` [N, C, H, W] at normalised ``coords`` [N, P, 2] (x, y in [0, 1]).

    ``align_corners=False`` and zero padding, so (0, 0) is the top-left corner of the top-left pixel.
    Returns [N, C, P].
    """
    grid = (2.0 * coords - 1.0).unsqueeze(2)  # [N, P, 1, 2]
    return F.grid_sample(masks, grid, mode="bilinear", padding_mode="zeros", align_corners=False).squeeze(3)


def uncertainty(logits: torch.Tensor) -> torch.Tensor:
    """Uncertainty of class-agnostic mask logits [N, 1, ...]: ``-|logit|`` (highest at the decision boundary)."""
    return -torch.abs(logits)


@torch.no_grad()
def uncertain_point_coords(
    logits: torch.Tensor,
    num_points: int,
    oversample_ratio: float,
    importance_sample_ratio: float,
    uncertainty_fn: Callable[[torch.Tensor], torch.Tensor] = uncertainty,
    generator: torch.Generator | None = None,
) -> torch.Tensor:
    """Importance-sampled point coordinates for ``logits`` [N, 1, H, W] -> [N, num_points, 2].

    Draw ``oversample_ratio * num_points`` uniform points, keep the ``importance_sample_ratio *
    num_points`` most uncertain ones, and fill up with fresh uniform points.
    """
    n = logits.shape[0]
    num_sampled = int(num_points * oversample_ratio)
    coords = torch.rand(n, num_sampled, 2, device=logits.device, generator=generator)
    point_uncertainty = uncertainty_fn(point_sample(logits, coords))  # [N, 1, num_sampled]
    num_uncertain = int(importance_sample_ratio * num_points)
    num_random = num_points - num_uncertain
    idx = torch.topk(point_uncertainty[:, 0, :], k=num_uncertain, dim=1)[1]  # [N, num_uncertain]
    coords = torch.gather(coords, 1, idx[:, :, None].expand(-1, -1, 2))
    if num_random > 0:
        coords = torch.cat([coords, torch.rand(n, num_random, 2, device=logits.device, generator=generator)], dim=1)
    return coords
