"""Transformer building blocks shared by the frame decoder and the video module (spec §3.3).

Parameter names equal ``torch.nn.MultiheadAttention``'s (``in_proj_weight``, ``in_proj_bias``,
``out_proj``) so official checkpoints load unchanged, but the attention is written out so that
masks broadcast over heads and the ONNX export stays plain MatMul/Softmax.
"""

from __future__ import annotations

import math
from typing import Optional

import torch
import torch.nn.functional as F
from torch import Tensor, nn


class MultiheadAttention(nn.Module):
    """Sequence-first multi-head attention, numerically the same as ``nn.MultiheadAttention``.

    Masks: ``attn_mask`` is either boolean (True = blocked, -inf) or additive float, shaped
    (L, S), (B, L, S) or (B, 1 or heads, L, S); ``key_padding_mask`` is boolean (B, S).
    """

    def __init__(self, embed_dim: int, num_heads: int):
        super().__init__()
        self.embed_dim = embed_dim
        self.num_heads = num_heads
        self.head_dim = embed_dim // num_heads
        self.in_proj_weight = nn.Parameter(torch.empty(3 * embed_dim, embed_dim))
        self.in_proj_bias = nn.Parameter(torch.empty(3 * embed_dim))
        self.out_proj = nn.Linear(embed_dim, embed_dim)
        nn.init.xavier_uniform_(self.in_proj_weight)
        nn.init.zeros_(self.in_proj_bias)
        nn.init.zeros_(self.out_proj.bias)

    def forward(self, query: Tensor, key: Tensor, value: Tensor,
                attn_mask: Optional[Tensor] = None,
                key_padding_mask: Optional[Tensor] = None) -> Tensor:
        # query [L, B, C], key/value [S, B, C] -> [L, B, C]
        c, h, d = self.embed_dim, self.num_heads, self.head_dim
        w, b = self.in_proj_weight, self.in_proj_bias
        q = F.linear(query, w[:c], b[:c])
        k = F.linear(key, w[c:2 * c], b[c:2 * c])
        v = F.linear(value, w[2 * c:], b[2 * c:])
        q = q * (1.0 / math.sqrt(d))
        # [B, h, L, d] and [B, h, S, d]
        q = q.reshape(q.shape[0], q.shape[1], h, d).permute(1, 2, 0, 3)
        k = k.reshape(k.shape[0], k.shape[1], h, d).permute(1, 2, 3, 0)
        v = v.reshape(v.shape[0], v.shape[1], h, d).permute(1, 2, 0, 3)
        scores = torch.matmul(q, k)                                  # [B, h, L, S]
        if attn_mask is not None:
            m = attn_mask
            if m.dim() == 2:
                m = m[None, None]
            elif m.dim() == 3:
                m = m[:, None]
            if m.dtype == torch.bool:
                scores = scores.masked_fill(m, float("-inf"))
            else:
                scores = scores + m
        if key_padding_mask is not None:
            scores = scores.masked_fill(key_padding_mask[:, None, None, :], float("-inf"))
        attn = torch.softmax(scores, dim=-1)
        out = torch.matmul(attn, v)                                  # [B, h, L, d]
        out = out.permute(2, 0, 1, 3).reshape(out.shape[2], out.shape[0], c)
        return self.out_proj(out)


def _with_pos(x: Tensor, pos: Optional[Tensor]) -> Tensor:
    return x if pos is None else x + pos


def _xavier_matrices(module: nn.Module) -> None:
    # official layers: xavier-uniform for every >= 2-D tensor (spec §4.7)
    for p in module.parameters():
        if p.dim() > 1:
            nn.init.xavier_uniform_(p)


class SelfAttentionLayer(nn.Module):
    """Post-norm self-attention: ``x <- LN(x + MHA(x+p, x+p, x))``."""

    def __init__(self, d_model: int, nhead: int):
        super().__init__()
        self.self_attn = MultiheadAttention(d_model, nhead)
        self.norm = nn.LayerNorm(d_model)
        _xavier_matrices(self)

    def forward(self, tgt: Tensor, tgt_mask: Optional[Tensor] = None,
                tgt_key_padding_mask: Optional[Tensor] = None,
                query_pos: Optional[Tensor] = None) -> Tensor:
        q = k = _with_pos(tgt, query_pos)
        tgt2 = self.self_attn(q, k, tgt, attn_mask=tgt_mask, key_padding_mask=tgt_key_padding_mask)
        return self.norm(tgt + tgt2)


class CrossAttentionLayer(nn.Module):
    """Post-norm cross-attention: ``x <- LN(x + MHA(x+p_q, mem+p_k, mem, mask))``."""

    def __init__(self, d_model: int, nhead: int):
        super().__init__()
        self.multihead_attn = MultiheadAttention(d_model, nhead)
        self.norm = nn.LayerNorm(d_model)
        _xavier_matrices(self)

    def forward(self, tgt: Tensor, memory: Tensor, memory_mask: Optional[Tensor] = None,
                memory_key_padding_mask: Optional[Tensor] = None,
                pos: Optional[Tensor] = None, query_pos: Optional[Tensor] = None) -> Tensor:
        tgt2 = self.multihead_attn(_with_pos(tgt, query_pos), _with_pos(memory, pos), memory,
                                   attn_mask=memory_mask, key_padding_mask=memory_key_padding_mask)
        return self.norm(tgt + tgt2)


class FFNLayer(nn.Module):
    """Post-norm feed-forward: ``x <- LN(x + W2 relu(W1 x))``."""

    def __init__(self, d_model: int, dim_feedforward: int):
        super().__init__()
        self.linear1 = nn.Linear(d_model, dim_feedforward)
        self.linear2 = nn.Linear(dim_feedforward, d_model)
        self.norm = nn.LayerNorm(d_model)
        _xavier_matrices(self)

    def forward(self, tgt: Tensor) -> Tensor:
        return self.norm(tgt + self.linear2(F.relu(self.linear1(tgt))))


class MLP(nn.Module):
    """Linear layers with ReLU between (``mask_embed``)."""

    def __init__(self, input_dim: int, hidden_dim: int, output_dim: int, num_layers: int):
        super().__init__()
        dims_in = [input_dim] + [hidden_dim] * (num_layers - 1)
        dims_out = [hidden_dim] * (num_layers - 1) + [output_dim]
        self.layers = nn.ModuleList(nn.Linear(i, o) for i, o in zip(dims_in, dims_out))

    def forward(self, x: Tensor) -> Tensor:
        for i, layer in enumerate(self.layers):
            x = layer(x)
            if i < len(self.layers) - 1:
                x = F.relu(x)
        return x


def sine_position_embedding(x: Tensor, num_pos_feats: int, temperature: float = 10000.0) -> Tensor:
    """``PositionEmbeddingSine(num_pos_feats, normalize=True)`` of a map x [N, *, H, W] -> [N, 2F, H, W].

    Built from ``ones_like`` + ``cumsum`` so that H and W stay dynamic in an ONNX export.
    """
    scale = 2 * math.pi
    eps = 1e-6
    ones = torch.ones_like(x[:, 0])                                  # [N, H, W]
    y_embed = ones.cumsum(1)
    x_embed = ones.cumsum(2)
    y_embed = y_embed / (y_embed[:, -1:, :] + eps) * scale
    x_embed = x_embed / (x_embed[:, :, -1:] + eps) * scale
    dim_t = torch.arange(num_pos_feats, dtype=torch.float32, device=x.device)
    dim_t = temperature ** (2 * torch.div(dim_t, 2, rounding_mode="floor") / num_pos_feats)
    pos_x = x_embed[:, :, :, None] / dim_t
    pos_y = y_embed[:, :, :, None] / dim_t
    n, hh, ww = pos_x.shape[0], pos_x.shape[1], pos_x.shape[2]
    pos_x = torch.stack((pos_x[:, :, :, 0::2].sin(), pos_x[:, :, :, 1::2].cos()), dim=4).reshape(n, hh, ww, num_pos_feats)
    pos_y = torch.stack((pos_y[:, :, :, 0::2].sin(), pos_y[:, :, :, 1::2].cos()), dim=4).reshape(n, hh, ww, num_pos_feats)
    return torch.cat((pos_y, pos_x), dim=3).permute(0, 3, 1, 2)
