"""The total ACVIS training loss (spec §4.6), computed from the model's training-mode outputs.

Terms (official weights):

=====================================================  ======  =========================
``loss_ce``, ``loss_mask``, ``loss_dice`` (+ ``_i``)   2, 5, 5  final + every aux output
``loss_avism_ce``, ``_mask``, ``_dice`` (+ ``_i``)      2, 5, 5  final + aux video layers
``loss_clip_sim``                                      1.0     effective weight (the official
                                                               0.5 is never applied, spec §8.6)
``loss_instance_cnt``                                  1.0     SAOC (or CE for ACVIS-CE)
=====================================================  ======  =========================

The model contract is documented in ``acvis.modeling.model`` (B = 1 clip of T frames).
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

from acvis.losses.criterion import FrameCriterion, PointSampling, VideoCriterion
from acvis.losses.matcher import HungarianMatcher, VideoHungarianMatcher
from acvis.losses.saoc import count_ce_loss, saoc_loss


@dataclass(frozen=True)
class LossConfig:
    """Loss weights and sampling (defaults: official ``acvis_saoc.yaml``)."""

    class_weight: float = 2.0
    mask_weight: float = 5.0
    dice_weight: float = 5.0
    no_object_weight: float = 0.1
    num_points: int = 12544
    oversample_ratio: float = 3.0
    importance_sample_ratio: float = 0.75
    deep_supervision: bool = True
    sim_weight: float = 1.0  # effective official weight (SIM_WEIGHT 0.5 is registered under another key)
    count_weight: float = 1.0  # INSTANCE_CNT_WEIGHT, hard-coded 1.0 officially
    count_loss: str = "saoc"  # "saoc" (ACVIS_SAOC), "ce" (ACVIS-CE) or "none" (AVISM)

    @staticmethod
    def tiny() -> "LossConfig":
        """Official weights with fewer points: the tiny model's masks are ~24x32 logits."""
        return LossConfig(num_points=2048)


class ACVISCriterion(torch.nn.Module):
    """Frame criterion + video criterion + similarity + count loss, weighted and summed.

    Args:
        num_classes: object classes (26).
        last_layer_num: L, frame-decoder layers fed to the video module.
        cfg: :class:`LossConfig`.
    """

    def __init__(self, *, num_classes: int, last_layer_num: int, cfg: LossConfig = LossConfig()):
        super().__init__()
        if cfg.count_loss not in ("saoc", "ce", "none"):
            raise ValueError(f"unknown count loss {cfg.count_loss!r}")
        self.cfg = cfg
        self.last_layer_num = last_layer_num
        sampling = PointSampling(cfg.num_points, cfg.oversample_ratio, cfg.importance_sample_ratio)
        costs = dict(cost_class=cfg.class_weight, cost_mask=cfg.mask_weight, cost_dice=cfg.dice_weight,
                     num_points=cfg.num_points)
        self.frame_criterion = FrameCriterion(num_classes=num_classes, matcher=HungarianMatcher(**costs),
                                              eos_coef=cfg.no_object_weight, sampling=sampling)
        self.video_criterion = VideoCriterion(num_classes=num_classes, matcher=VideoHungarianMatcher(**costs),
                                              eos_coef=cfg.no_object_weight, sampling=sampling)

    def weight(self, key: str) -> float:
        """Weight of a loss term by name (aux suffixes ``_i`` share the base weight)."""
        base = key
        if key[-1].isdigit() and "_" in key:
            base = key.rsplit("_", 1)[0]
        weights = {
            "loss_ce": self.cfg.class_weight, "loss_mask": self.cfg.mask_weight, "loss_dice": self.cfg.dice_weight,
            "loss_avism_ce": self.cfg.class_weight, "loss_avism_mask": self.cfg.mask_weight,
            "loss_avism_dice": self.cfg.dice_weight, "loss_clip_sim": self.cfg.sim_weight,
            "loss_instance_cnt": self.cfg.count_weight,
        }
        return weights[base]

    def forward(self, out: dict, clip: dict, frames: list[dict], counts: torch.Tensor,
                generator: torch.Generator | None = None):
        """Losses of one clip.

        Args:
            out: the model's training outputs (``acvis.modeling.model`` docstring).
            clip: clip target (``labels`` [N], ``ids`` [N, T], ``masks`` [N, T, Hp, Wp]) padded to the model's
                padded size (``acvis.data.dataset.pad_targets``).
            frames: T frame targets (``labels``, ``ids``, ``masks`` [N_t, Hp, Wp]).
            counts: [T] sounding-instance counts.
            generator: torch generator for the random points (deterministic losses when seeded).

        Returns ``(total, terms)`` where ``terms`` maps every unweighted loss name to a 0-d tensor.
        """
        frame_out = {"pred_logits": out["pred_logits"], "pred_masks": out["pred_masks"]}
        if self.cfg.deep_supervision:
            frame_out["aux_outputs"] = out["aux_outputs"]
        terms, frame_indices = self.frame_criterion(frame_out, frames, generator=generator)

        num_layers = out["video_pred_logits"].shape[0]
        # the video module ran on the last L frame-decoder outputs; their matchings feed the similarity loss
        if len(frame_indices) < num_layers:
            raise ValueError(f"{len(frame_indices)} frame prediction sets for {num_layers} video layers")
        layer_indices = frame_indices[len(frame_indices) - num_layers:]
        video_out = {"pred_logits": out["video_pred_logits"], "pred_masks": out["video_pred_masks"],
                     "pred_fq_embed": out["video_pred_fq_embed"][:, None],  # [L, B=1, T, Q, C]
                     "pred_cq_embed": out["video_pred_cq_embed"]}
        if self.cfg.deep_supervision:
            video_out["aux_outputs"] = [{"pred_logits": a["pred_logits"], "pred_masks": a["pred_masks"]}
                                        for a in out["video_aux_outputs"]]
        video_terms, _ = self.video_criterion(video_out, [clip] * num_layers, frame_indices=layer_indices,
                                              frame_targets=frames, generator=generator)
        terms.update(video_terms)

        if self.cfg.count_loss != "none" and "count_logits" in out:
            count_fn = saoc_loss if self.cfg.count_loss == "saoc" else count_ce_loss
            terms["loss_instance_cnt"] = count_fn(out["count_logits"], counts.to(out["count_logits"].device))
        total = sum(self.weight(k) * v for k, v in terms.items())
        return total, terms
