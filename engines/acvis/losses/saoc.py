"""Sound-Aware Ordinal Counting (SAOC) loss and decoding, spec §3.6 / §4.5.

The count head emits ``Kmax`` logits per frame for ``K = Kmax + 1`` count classes ``{0, .., Kmax}``
(``Kmax`` = 2 in the paper: classes 0, 1, >=2). Logit ``i`` models the conditional probability
``sigma(z_i) = P(N > i | N > i - 1)`` (``P(N > 0)`` for ``i = 0``).

Training (as the official ``saoc_loss``): with ``y = min(count, Kmax)``, level ``i`` is trained only on
frames with ``y >= i`` (those that reached level ``i``), with target ``1[y > i]``. All binary
cross-entropy terms of all levels are summed and divided by their total number (not per level,
not per frame).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F


def saoc_targets(counts: torch.Tensor, kmax: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Ordinal targets and validity mask for ``counts`` [N] -> (targets [N, Kmax], valid [N, Kmax]) floats.

    ``valid[n, i] = 1[y_n >= i]`` selects the terms that enter the loss, ``targets[n, i] = 1[y_n > i]``.
    """
    if kmax < 1:
        raise ValueError(f"kmax must be >= 1, got {kmax}")
    if (counts < 0).any():
        raise ValueError("counts must be non-negative")
    y = counts.long().clamp(max=kmax)[:, None]  # [N, 1]
    levels = torch.arange(kmax, device=counts.device)[None, :]  # [1, Kmax]
    return (y > levels).float(), (y >= levels).float()


def saoc_loss(count_logits: torch.Tensor, counts: torch.Tensor) -> torch.Tensor:
    """SAOC loss for ``count_logits`` [N, Kmax] (or [N, 1, Kmax]) and per-frame ``counts`` [N] (ints).

    Returns ``sum_i sum_{n: y_n >= i} BCE(z_{n,i}, 1[y_n > i]) / max(1, number of such terms)``.
    """
    logits = count_logits.reshape(count_logits.shape[0], -1)  # [N, Kmax]
    if logits.shape[0] != counts.shape[0]:
        raise ValueError(f"{logits.shape[0]} logit rows for {counts.shape[0]} counts")
    targets, valid = saoc_targets(counts.to(logits.device), logits.shape[1])
    terms = F.binary_cross_entropy_with_logits(logits, targets, reduction="none") * valid  # [N, Kmax]
    return terms.sum() / valid.sum().clamp(min=1.0)


def saoc_probabilities(count_logits: torch.Tensor) -> torch.Tensor:
    """Count distribution [N, Kmax + 1] from logits [N, Kmax] via cumulative products.

    ``q_i = prod_{j<=i} sigma(z_j) = P(N > i)``; ``P(0) = 1 - q_0``, ``P(c) = q_{c-1} - q_c``,
    ``P(Kmax) = q_{Kmax-1}``. The rows sum to 1 and ``P(N > i)`` is non-increasing in ``i``
    (rank consistency) for any logits.
    """
    logits = count_logits.reshape(count_logits.shape[0], -1)
    exceed = torch.cumprod(torch.sigmoid(logits), dim=1)  # [N, Kmax]: P(N > i)
    ones = torch.ones_like(exceed[:, :1])
    zeros = torch.zeros_like(exceed[:, :1])
    upper = torch.cat([ones, exceed], dim=1)  # P(N > c - 1), c = 0..Kmax
    lower = torch.cat([exceed, zeros], dim=1)  # P(N > c)
    return upper - lower


def saoc_decode(count_logits: torch.Tensor) -> torch.Tensor:
    """Predicted count class per frame (argmax of :func:`saoc_probabilities`), [N] long."""
    return saoc_probabilities(count_logits).argmax(dim=1)


def count_ce_loss(count_logits: torch.Tensor, counts: torch.Tensor) -> torch.Tensor:
    """ACVIS-CE variant: plain cross-entropy over ``K`` classes with targets clamped at ``K - 1``."""
    logits = count_logits.reshape(count_logits.shape[0], -1)
    return F.cross_entropy(logits, counts.long().clamp(max=logits.shape[1] - 1).to(logits.device))
