"""Video-level module ("tracker", AVISM/VITA ``Avism_COCO``; spec §3.8).

Windowed self-attention over frame queries (window W, shifted windows on odd layers at inference
only), windowed audio-visual fusion (shifted on odd layers always), then a video-query decoder
over all T*Q tokens. Attribute names equal the official ``vita_module`` ones.

Exact simplification (spec §3.8 step 5): the AV-fusion queries are Q identical copies of one
audio token per frame, so they are computed as one token per frame. T is padded to a multiple of
W inside :meth:`forward` with shape-derived ops, so T stays dynamic in an ONNX export.
"""

from __future__ import annotations

import math
from typing import Dict, Tuple

import torch
from torch import Tensor, nn

from ..config import AUDIO_DIM, NUM_CLASSES, ModelConfig
from .layers import MLP, CrossAttentionLayer, FFNLayer, SelfAttentionLayer

SHIFT_MASK_VALUE = -1000.0   # official additive mask of the shifted windows (not -inf)


class VideoModule(nn.Module):
    def __init__(self, *, hidden_dim: int, mask_dim: int, num_frame_queries: int, num_queries: int,
                 nheads: int, dim_feedforward: int, enc_layers: int, dec_layers: int,
                 window_size: int, mask_features_name: str = "vita_mask_features",
                 num_classes: int = NUM_CLASSES, audio_dim: int = AUDIO_DIM):
        super().__init__()
        self.hidden_dim = hidden_dim
        self.num_heads = nheads
        self.num_frame_queries = num_frame_queries
        self.num_queries = num_queries
        self.enc_layers = enc_layers
        self.num_layers = dec_layers
        self.window_size = window_size
        self.mask_features_name = mask_features_name
        self.av_proj = nn.Linear(audio_dim, hidden_dim)
        self.enc_self_attn = nn.ModuleList(SelfAttentionLayer(hidden_dim, nheads) for _ in range(enc_layers))
        self.enc_ffn = nn.ModuleList(FFNLayer(hidden_dim, dim_feedforward) for _ in range(enc_layers))
        self.enc_av_cross_attn = nn.ModuleList(CrossAttentionLayer(hidden_dim, nheads) for _ in range(enc_layers))
        self.enc_av_ffn = nn.ModuleList(FFNLayer(hidden_dim, dim_feedforward) for _ in range(enc_layers))
        self.transformer_self_attention_layers = nn.ModuleList(
            SelfAttentionLayer(hidden_dim, nheads) for _ in range(dec_layers))
        self.transformer_cross_attention_layers = nn.ModuleList(
            CrossAttentionLayer(hidden_dim, nheads) for _ in range(dec_layers))
        self.transformer_ffn_layers = nn.ModuleList(FFNLayer(hidden_dim, dim_feedforward) for _ in range(dec_layers))
        mask_conv = nn.Conv2d(hidden_dim, mask_dim, 1)
        nn.init.kaiming_uniform_(mask_conv.weight, a=1)
        nn.init.zeros_(mask_conv.bias)
        self.add_module(mask_features_name, mask_conv)
        self.decoder_norm = nn.LayerNorm(hidden_dim)
        self.query_feat = nn.Embedding(num_queries, hidden_dim)
        self.query_embed = nn.Embedding(num_queries, hidden_dim)
        self.fq_pos = nn.Embedding(num_frame_queries, hidden_dim)
        self.input_proj_dec = nn.Linear(hidden_dim, hidden_dim)
        self.class_embed = nn.Linear(hidden_dim, num_classes + 1)
        self.mask_embed = MLP(hidden_dim, hidden_dim, mask_dim, 3)
        self.sim_embed_frame = nn.Linear(hidden_dim, hidden_dim)
        self.sim_embed_clip = nn.Linear(hidden_dim, hidden_dim)

    @classmethod
    def from_config(cls, cfg: ModelConfig) -> "VideoModule":
        name = "avism_mask_features" if cfg.video_prefix == "avism_module" else "vita_mask_features"
        return cls(hidden_dim=cfg.hidden_dim, mask_dim=cfg.mask_dim, num_frame_queries=cfg.num_queries,
                   num_queries=cfg.video_queries, nheads=cfg.nheads, dim_feedforward=cfg.dim_feedforward,
                   enc_layers=cfg.video_enc_layers, dec_layers=cfg.video_dec_layers,
                   window_size=cfg.window_size, mask_features_name=name)

    def mask_features(self, clip_mask_features: Tensor) -> Tensor:
        """m_t = 1x1 conv of the pre-conv 1/4 pixel-decoder map [N, C, h, w] -> [N, Cm, h, w]."""
        return getattr(self, self.mask_features_name)(clip_mask_features)

    # ------------------------------------------------------------------------------------------
    # windows
    def _pad_time(self, x: Tensor) -> Tuple[Tensor, Tensor]:
        """Zero-pad dim 0 from T to Tp = W*ceil(T/W); returns (padded, pad flags [Tp] bool)."""
        t = x.shape[0]
        w = self.window_size
        tp = (t + w - 1) // w * w
        idx = torch.arange(tp, device=x.device)
        pad = idx >= t
        gathered = x.index_select(0, torch.clamp(idx, max=t - 1))
        keep = (~pad).to(x.dtype).reshape([-1] + [1] * (x.dim() - 1))
        return gathered * keep, pad

    def _frame_masks(self, pad: Tensor) -> Tuple[Tensor, Tensor]:
        """From pad flags [Tp]: unshifted key-padding [Nw, W] and shifted additive mask [Nw, W, W]."""
        w = self.window_size
        half = int(math.ceil(w / 2))
        window_pad = pad.reshape(-1, w)                                     # [Nw, W]
        rolled = torch.roll(pad, half, 0).reshape(-1, w)                    # [Nw, W]
        blocked = rolled[:, :, None] | rolled[:, None, :]                   # pad_i | pad_j
        first = torch.cumsum(torch.ones_like(rolled[:, 0], dtype=torch.int64), 0) == 1   # [Nw]
        slot = torch.arange(w, device=pad.device) < half
        crossing = slot[:, None] != slot[None, :]                           # no wrap-around mixing
        blocked = blocked | (first[:, None, None] & crossing[None])
        return window_pad, blocked.to(torch.float32) * SHIFT_MASK_VALUE

    def _to_windows(self, x: Tensor) -> Tensor:
        # [Tp, K, LB, C] -> [W*K, LB*Nw, C], batch index lb*Nw + n, token index w*K + k
        tp, k, lb, c = x.shape
        x = x.reshape(-1, self.window_size, k, lb, c).permute(1, 2, 3, 0, 4)   # [W, K, LB, Nw, C]
        return x.reshape(self.window_size * k, -1, c)

    def _from_windows(self, x: Tensor, k: int, lb: int) -> Tensor:
        c = x.shape[-1]
        x = x.reshape(self.window_size, k, lb, -1, c).permute(3, 0, 1, 2, 4)   # [Nw, W, K, LB, C]
        return x.reshape(-1, k, lb, c)

    def _expand_mask(self, mask: Tensor, lb: int, rows: int, cols: int) -> Tensor:
        # [Nw, W, W] frame mask -> [LB*Nw, 1, W*rows, W*cols]
        nw_, w, _ = mask.shape
        m = mask[:, :, None, :, None].expand(-1, -1, rows, -1, cols).reshape(-1, w * rows, w * cols)
        return m[None].expand(lb, -1, -1, -1).reshape(-1, 1, w * rows, w * cols)

    def _key_padding(self, window_pad: Tensor, lb: int, k: int) -> Tensor:
        # [Nw, W] -> [LB*Nw, W*K]
        w = self.window_size
        m = window_pad[:, :, None].expand(-1, -1, k).reshape(-1, w * k)
        return m[None].expand(lb, -1, -1).reshape(-1, w * k)

    def encode_frame_query(self, x: Tensor, window_pad: Tensor, shift_mask: Tensor) -> Tensor:
        # x [Tp, Q, LB, C]
        q, lb = x.shape[1], x.shape[2]
        half = int(math.ceil(self.window_size / 2))
        kpm = self._key_padding(window_pad, lb, q)
        smask = None
        for i in range(self.enc_layers):
            if self.training or i % 2 == 0:
                y = self._to_windows(x)
                y = self.enc_self_attn[i](y, tgt_key_padding_mask=kpm)
                y = self.enc_ffn[i](y)
                x = self._from_windows(y, q, lb)
            else:
                if smask is None:
                    smask = self._expand_mask(shift_mask, lb, q, q)
                y = self._to_windows(torch.roll(x, half, 0))
                y = self.enc_self_attn[i](y, tgt_mask=smask)
                y = self.enc_ffn[i](y)
                x = torch.roll(self._from_windows(y, q, lb), -half, 0)
        return x

    def encode_audio(self, u: Tensor, x_enc: Tensor, window_pad: Tensor, shift_mask: Tensor) -> Tensor:
        # u [Tp, 1, LB, C] one audio token per frame; x_enc [Tp, Q, LB, C] fixed keys/values
        q, lb = x_enc.shape[1], x_enc.shape[2]
        half = int(math.ceil(self.window_size / 2))
        kpm = self._key_padding(window_pad, lb, q)
        smask = self._expand_mask(shift_mask, lb, 1, q)
        mem = self._to_windows(x_enc)
        mem_shift = self._to_windows(torch.roll(x_enc, half, 0))
        for i in range(self.enc_layers):
            if i % 2 == 0:
                y = self._to_windows(u)
                y = self.enc_av_cross_attn[i](y, mem, memory_key_padding_mask=kpm)
                y = self.enc_av_ffn[i](y)
                u = self._from_windows(y, 1, lb)
            else:
                y = self._to_windows(torch.roll(u, half, 0))
                y = self.enc_av_cross_attn[i](y, mem_shift, memory_mask=smask)
                y = self.enc_av_ffn[i](y)
                u = torch.roll(self._from_windows(y, 1, lb), -half, 0)
        return u

    def forward(self, frame_query: Tensor, audio: Tensor) -> Dict[str, Tensor]:
        """frame_query [L, T, Qf, C] (L frame-decoder layers of one video), audio [T, 128].

        Returns ``pred_logits`` [L, Qv, 27], ``pred_mask_embed`` [L, Qv, Cm], ``pred_cq_embed``
        [L, Qv, C] (``sim_embed_clip``) of the last decoder layer, ``pred_fq_embed`` [L, T, Qf, C]
        (``sim_embed_frame`` of the fused frame tokens) and ``aux_outputs`` (earlier decoder
        layers, same keys except ``pred_fq_embed``).
        """
        lb, t, fq, c = frame_query.shape
        x = self.input_proj_dec(frame_query.permute(1, 2, 0, 3))           # [T, Qf, LB, C]
        u = self.av_proj(audio)[:, None, None, :].expand(-1, 1, lb, -1)    # [T, 1, LB, C]
        x, pad = self._pad_time(x)
        u, _ = self._pad_time(u)
        window_pad, shift_mask = self._frame_masks(pad)
        x = self.encode_frame_query(x, window_pad, shift_mask)
        u = self.encode_audio(u, x, window_pad, shift_mask)
        s = (x[:t] + u[:t]).reshape(-1, lb, c)                             # [T*Qf, LB, C]
        fq_pos = self.fq_pos.weight[None, :, None, :].expand(t, -1, lb, -1).reshape(-1, lb, c)
        query_pos = self.query_embed.weight[:, None].expand(-1, lb, -1)    # [Qv, LB, C]
        output = self.query_feat.weight[:, None].expand(-1, lb, -1)
        outs = []
        for j in range(self.num_layers):
            output = self.transformer_cross_attention_layers[j](output, s, pos=fq_pos, query_pos=query_pos)
            output = self.transformer_self_attention_layers[j](output, query_pos=query_pos)
            output = self.transformer_ffn_layers[j](output)
            if self.training or j == self.num_layers - 1:
                dec = self.decoder_norm(output).transpose(0, 1)             # [LB, Qv, C]
                outs.append({"pred_logits": self.class_embed(dec),
                             "pred_mask_embed": self.mask_embed(dec),
                             "pred_cq_embed": self.sim_embed_clip(dec)})
        result = dict(outs[-1])
        result["aux_outputs"] = outs[:-1]
        result["pred_fq_embed"] = self.sim_embed_frame(s).reshape(t, fq, lb, c).permute(2, 0, 1, 3)
        return result
