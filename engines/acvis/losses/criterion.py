"""Frame-level and video-level set criteria of ACVIS (spec §4.3, §4.4).

Both criteria follow the Mask2Former recipe: Hungarian matching, cross-entropy over ``K + 1`` classes
with the no-object class down-weighted (``eos_coef`` 0.1), and BCE + Dice mask losses on
importance-sampled points (``num_points`` points: ``importance_sample_ratio`` of them the most
uncertain of ``oversample_ratio * num_points`` uniform candidates, the rest uniform).
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn.functional as F

from acvis.losses.matcher import HungarianMatcher, VideoHungarianMatcher
from acvis.losses.point_sampling import point_sample, uncertain_point_coords


@dataclass(frozen=True)
class PointSampling:
    """Point-sampling settings shared by the losses (official: 12544 points, oversample 3, importance 0.75)."""

    num_points: int = 12544
    oversample_ratio: float = 3.0
    importance_sample_ratio: float = 0.75


def sigmoid_ce_loss(logits: torch.Tensor, labels: torch.Tensor, num_masks: float) -> torch.Tensor:
    """Mean-over-points BCE per mask [M, P], summed over masks and divided by ``num_masks``."""
    return F.binary_cross_entropy_with_logits(logits, labels, reduction="none").mean(1).sum() / num_masks


def dice_loss(logits: torch.Tensor, labels: torch.Tensor, num_masks: float) -> torch.Tensor:
    """``1 - (2 sum(s*y) + 1) / (sum(s) + sum(y) + 1)`` per mask [M, P], summed and divided by ``num_masks``."""
    probs = logits.sigmoid()
    numerator = 2.0 * (probs * labels).sum(-1)
    denominator = probs.sum(-1) + labels.sum(-1)
    return (1.0 - (numerator + 1.0) / (denominator + 1.0)).sum() / num_masks


def _sampled_mask_losses(src: torch.Tensor, tgt: torch.Tensor, group: int, num_masks: float, sampling: PointSampling,
                         generator: torch.Generator | None):
    """BCE/Dice for ``src`` logits [M*group, h, w] vs ``tgt`` [M*group, H, W]; points are drawn per 2-D mask
    and the ``group`` consecutive masks of one instance (its frames) are concatenated before the losses."""
    src = src[:, None]
    tgt = tgt[:, None].to(src.dtype)
    with torch.no_grad():
        coords = uncertain_point_coords(src, sampling.num_points, sampling.oversample_ratio,
                                        sampling.importance_sample_ratio, generator=generator)
        labels = point_sample(tgt, coords)[:, 0]  # [M*group, P]
    logits = point_sample(src, coords)[:, 0]
    logits = logits.reshape(-1, group * sampling.num_points)
    labels = labels.reshape(-1, group * sampling.num_points)
    return sigmoid_ce_loss(logits, labels, num_masks), dice_loss(logits, labels, num_masks)


def _class_loss(logits: torch.Tensor, indices, target_labels: list[torch.Tensor], empty_weight: torch.Tensor):
    """Weighted CE over ``K + 1`` classes; unmatched queries are trained towards no-object (last index)."""
    num_classes = logits.shape[-1] - 1
    target = torch.full(logits.shape[:2], num_classes, dtype=torch.int64, device=logits.device)
    for b, (src_idx, tgt_idx) in enumerate(indices):
        target[b, src_idx] = target_labels[b][tgt_idx].to(logits.device)
    return F.cross_entropy(logits.transpose(1, 2), target, empty_weight)


def _no_object_weight(num_classes: int, eos_coef: float) -> torch.Tensor:
    weight = torch.ones(num_classes + 1)
    weight[-1] = eos_coef
    return weight


class _SetCriterion(torch.nn.Module):
    """Class CE + point-sampled mask BCE/dice of one matched output set, shared by the frame and video criteria.

    Frame outputs carry masks [BT, Q, h, w]; video outputs [LB, Q, T, h, w], whose T frames are flattened into the
    sampled masks (points per instance and frame) with ``t_len = T`` in the normaliser. Keys are
    ``{prefix}_ce``, ``{prefix}_mask``, ``{prefix}_dice``.
    """

    def __init__(self, *, prefix: str, num_classes: int, matcher, eos_coef: float, sampling: PointSampling):
        super().__init__()
        self.prefix = prefix
        self.num_classes = num_classes
        self.matcher = matcher
        self.sampling = sampling
        self.register_buffer("empty_weight", _no_object_weight(num_classes, eos_coef))

    def _single(self, outputs: dict, targets: list[dict], num_masks: float, generator):
        p = self.prefix
        indices = self.matcher(outputs, targets, generator=generator)
        losses = {f"{p}_ce": _class_loss(outputs["pred_logits"], indices, [t["labels"] for t in targets],
                                         self.empty_weight)}
        batch_idx = torch.cat([torch.full_like(src, b) for b, (src, _) in enumerate(indices)])
        src_idx = torch.cat([src for src, _ in indices])
        if src_idx.numel() == 0:
            zero = outputs["pred_masks"].sum() * 0.0  # keep the graph connected
            losses[f"{p}_mask"], losses[f"{p}_dice"] = zero, zero
        else:
            src = outputs["pred_masks"][batch_idx, src_idx]  # [M, h, w] or [M, T, h, w]
            tgt = torch.cat([t["masks"][j] for t, (_, j) in zip(targets, indices)]).to(src.device)  # same + H, W
            t_len = src.shape[1] if src.dim() == 4 else 1
            if src.dim() == 4:
                src, tgt = src.flatten(0, 1), tgt.flatten(0, 1)
            losses[f"{p}_mask"], losses[f"{p}_dice"] = _sampled_mask_losses(src, tgt, t_len, num_masks,
                                                                           self.sampling, generator)
        return losses, indices


class FrameCriterion(_SetCriterion):
    """Frame-level losses ``loss_ce``, ``loss_mask``, ``loss_dice`` for the final and every auxiliary output.

    Args:
        num_classes: object classes (26 for AVISeg), without no-object.
        matcher: frame-level :class:`HungarianMatcher`.
        eos_coef: class weight of no-object (0.1).
        sampling: point sampling of the mask losses.
    """

    def __init__(self, *, num_classes: int, matcher: HungarianMatcher, eos_coef: float = 0.1,
                 sampling: PointSampling = PointSampling()):
        super().__init__(prefix="loss", num_classes=num_classes, matcher=matcher, eos_coef=eos_coef,
                         sampling=sampling)

    def forward(self, outputs: dict, targets: list[dict], generator: torch.Generator | None = None):
        """Losses for ``outputs`` = {``pred_logits`` [BT, Q, K+1], ``pred_masks`` [BT, Q, h, w],
        ``aux_outputs``: list of such dicts, earliest layer first} against per-frame ``targets``
        (``labels`` [N], ``masks`` [N, H, W]).

        Returns ``(losses, indices)``: keys ``loss_ce`` etc. for the final output and ``loss_ce_{i}`` for
        aux output ``i``; ``indices`` is the list of matchings of every output set, aux first, final last.
        """
        num_masks = max(float(sum(t["labels"].numel() for t in targets)), 1.0)
        losses, final_indices = self._single(outputs, targets, num_masks, generator)
        all_indices = []
        for i, aux in enumerate(outputs.get("aux_outputs", [])):
            aux_losses, aux_indices = self._single(aux, targets, num_masks, generator)
            losses.update({f"{k}_{i}": v for k, v in aux_losses.items()})
            all_indices.append(aux_indices)
        all_indices.append(final_indices)
        return losses, all_indices


class VideoCriterion(_SetCriterion):
    """Video-level losses ``loss_avism_{ce,mask,dice}`` (+ aux) and the similarity loss ``loss_clip_sim``.

    The video module runs once per frame-query layer (``L`` entries, batch ``LB = L * B`` with B = 1);
    every entry is matched to the clip targets independently. ``num_masks = #clip instances * L``.

    Args:
        num_classes: object classes without no-object.
        matcher: :class:`VideoHungarianMatcher`.
        eos_coef: class weight of no-object (0.1).
        sampling: point sampling (points are drawn per instance and frame, then concatenated over frames).
    """

    def __init__(self, *, num_classes: int, matcher: VideoHungarianMatcher, eos_coef: float = 0.1,
                 sampling: PointSampling = PointSampling()):
        super().__init__(prefix="loss_avism", num_classes=num_classes, matcher=matcher, eos_coef=eos_coef,
                         sampling=sampling)

    def forward(self, outputs: dict, targets: list[dict], frame_indices=None, frame_targets=None,
                generator: torch.Generator | None = None):
        """Video losses.

        Args:
            outputs: ``pred_logits`` [LB, Q, K+1], ``pred_masks`` [LB, Q, T, h, w], ``aux_outputs`` (list of
                such dicts, earliest decoder layer first), and for the similarity loss ``pred_fq_embed``
                [L, B, T, fQ, C] and ``pred_cq_embed`` [LB, Q, C].
            targets: one clip target per LB entry (``labels`` [N], ``ids`` [N, T], ``masks`` [N, T, H, W]).
            frame_indices: for the similarity loss, ``frame_indices[l][b * T + t]`` = the frame matcher's
                (query, target) indices of frame-query layer ``l`` (the last ``L`` frame-decoder outputs).
            frame_targets: per frame of the batch (B*T), the frame targets (``ids`` [N_t]).

        Returns ``(losses, indices)`` with ``indices`` the final-layer video matching.
        """
        num_masks = max(float(sum(t["labels"].numel() for t in targets)), 1.0)
        losses, indices = self._single(outputs, targets, num_masks, generator)
        for i, aux in enumerate(outputs.get("aux_outputs", [])):
            aux_losses, _ = self._single(aux, targets, num_masks, generator)
            losses.update({f"{k}_{i}": v for k, v in aux_losses.items()})
        if "pred_fq_embed" in outputs and frame_indices is not None:
            losses["loss_clip_sim"] = similarity_loss(outputs["pred_fq_embed"], outputs["pred_cq_embed"],
                                                      frame_indices, frame_targets, indices, targets)
        return losses, indices


def similarity_loss(fq_embed: torch.Tensor, cq_embed: torch.Tensor, frame_indices, frame_targets: list[dict],
                    clip_indices, clip_targets: list[dict]) -> torch.Tensor:
    """Similarity loss (spec §4.4): matched frame-query and video-query embeddings of the same GT instance attract.

    Each (layer, video) pass forms a group holding (a) the frame-token embeddings ``fq_embed[l, b, t, q]``
    of the queries the frame matcher assigned in frame ``t`` (id = the matched instance's clip id) and
    (b) the video-query embeddings ``cq_embed[l * B + b, q]`` the video matcher assigned (id = max id over
    frames). Logits are raw dot products; BCE-with-logits against ``1[same id]`` over all ordered pairs
    within a group (diagonal included), summed and divided by the number of such pairs.
    """
    num_layers, batch, t_len = fq_embed.shape[:3]
    embeds, ids, groups = [], [], []
    for l in range(num_layers):
        for b in range(batch):
            group = l * batch + b
            for t in range(t_len):
                q_idx, tgt_idx = frame_indices[l][b * t_len + t]
                if q_idx.numel() == 0:
                    continue
                embeds.append(fq_embed[l, b, t, q_idx.to(fq_embed.device)])
                ids.append(frame_targets[b * t_len + t]["ids"][tgt_idx].to(fq_embed.device))
                groups.append(torch.full((q_idx.numel(),), group, device=fq_embed.device))
            q_idx, tgt_idx = clip_indices[group]
            if q_idx.numel() > 0:
                embeds.append(cq_embed[group, q_idx.to(cq_embed.device)])
                ids.append(clip_targets[group]["ids"][tgt_idx].max(dim=1).values.to(cq_embed.device))
                groups.append(torch.full((q_idx.numel(),), group, device=cq_embed.device))
    if not embeds:
        return fq_embed.sum() * 0.0 + cq_embed.sum() * 0.0
    e = torch.cat(embeds)  # [E, C]
    i = torch.cat(ids)
    g = torch.cat(groups)
    logits = e @ e.T
    same_id = (i[:, None] == i[None, :]).to(e.dtype)
    same_group = (g[:, None] == g[None, :]).to(e.dtype)
    pair_loss = F.binary_cross_entropy_with_logits(logits, same_id, reduction="none")
    return (pair_loss * same_group).sum() / same_group.sum().clamp(min=1.0)
