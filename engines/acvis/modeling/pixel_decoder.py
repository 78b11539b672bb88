"""MSDeformAttn pixel decoder in pure PyTorch (spec §3.2).

Multi-scale deformable attention samples with ``grid_sample`` (bilinear, zero padding,
``align_corners=False``), which is the same arithmetic as the official CUDA op. There is no
padding mask (the official decoder passes none): reference points and positional encodings
cover the whole padded canvas. All sizes are derived from tensor shapes so H and W stay
dynamic in an ONNX export.
"""

from __future__ import annotations

import math
from typing import Dict, List, Tuple

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from .backbone import Conv2d, c2_xavier_fill
from .layers import sine_position_embedding


class MSDeformAttn(nn.Module):
    def __init__(self, d_model: int, n_levels: int, n_heads: int, n_points: int):
        super().__init__()
        self.d_model, self.n_levels, self.n_heads, self.n_points = d_model, n_levels, n_heads, n_points
        self.sampling_offsets = nn.Linear(d_model, n_heads * n_levels * n_points * 2)
        self.attention_weights = nn.Linear(d_model, n_heads * n_levels * n_points)
        self.value_proj = nn.Linear(d_model, d_model)
        self.output_proj = nn.Linear(d_model, d_model)
        self._reset_parameters()

    def _reset_parameters(self) -> None:
        # Deformable-DETR init: zero offset weights, radial bias grid, zero attention weights
        nn.init.zeros_(self.sampling_offsets.weight)
        thetas = torch.arange(self.n_heads, dtype=torch.float32) * (2.0 * math.pi / self.n_heads)
        grid = torch.stack([thetas.cos(), thetas.sin()], -1)
        grid = (grid / grid.abs().max(-1, keepdim=True)[0]).view(self.n_heads, 1, 1, 2)
        grid = grid.repeat(1, self.n_levels, self.n_points, 1)
        for i in range(self.n_points):
            grid[:, :, i, :] *= i + 1
        with torch.no_grad():
            self.sampling_offsets.bias.copy_(grid.view(-1))
        nn.init.zeros_(self.attention_weights.weight)
        nn.init.zeros_(self.attention_weights.bias)
        nn.init.xavier_uniform_(self.value_proj.weight)
        nn.init.zeros_(self.value_proj.bias)
        nn.init.xavier_uniform_(self.output_proj.weight)
        nn.init.zeros_(self.output_proj.bias)

    def forward(self, query: Tensor, reference_points: Tensor, value_in: Tensor,
                shapes: List[Tuple[Tensor, Tensor]]) -> Tensor:
        # query/value_in [N, S, C]; reference_points [N, S, 2] in [0, 1] (x, y); shapes [(H_l, W_l)]
        n, s = query.shape[0], query.shape[1]
        m, lv, p = self.n_heads, self.n_levels, self.n_points
        d = self.d_model // m
        value = self.value_proj(value_in)                                         # [N, S, C]
        offsets = self.sampling_offsets(query).reshape(n, s, m, lv, p, 2)
        weights = self.attention_weights(query).reshape(n, s, m, lv * p)
        weights = torch.softmax(weights, -1)                                      # [N, S, M, L*P]
        start = 0
        sampled = []
        for lid, (h, w) in enumerate(shapes):
            hw = h * w
            v = value[:, start:start + hw]                                        # [N, HW, C]
            start = start + hw
            v = v.reshape(n, h, w, m, d).permute(0, 3, 4, 1, 2).reshape(n * m, d, h, w)
            # sampling location = ref + offset / (W_l, H_l), as grid in [-1, 1]
            off = offsets[:, :, :, lid]                                           # [N, S, M, P, 2]
            loc_x = reference_points[:, :, None, None, 0] + off[..., 0] / w
            loc_y = reference_points[:, :, None, None, 1] + off[..., 1] / h
            loc = torch.stack([loc_x, loc_y], -1)                                 # [N, S, M, P, 2]
            grid = (2 * loc - 1).permute(0, 2, 1, 3, 4).reshape(n * m, s, p, 2)
            sampled.append(F.grid_sample(v, grid, mode="bilinear", padding_mode="zeros",
                                         align_corners=False))                   # [N*M, D, S, P]
        stacked = torch.stack(sampled, dim=3).reshape(n * m, d, s, lv * p)        # [N*M, D, S, L*P]
        attn = weights.permute(0, 2, 1, 3).reshape(n * m, 1, s, lv * p)
        out = (stacked * attn).sum(-1).reshape(n, m * d, s).transpose(1, 2)       # [N, S, C]
        return self.output_proj(out)


class MSDeformAttnTransformerEncoderLayer(nn.Module):
    def __init__(self, d_model: int, d_ffn: int, n_levels: int, n_heads: int, n_points: int):
        super().__init__()
        self.self_attn = MSDeformAttn(d_model, n_levels, n_heads, n_points)
        self.norm1 = nn.LayerNorm(d_model)
        self.linear1 = nn.Linear(d_model, d_ffn)
        self.linear2 = nn.Linear(d_ffn, d_model)
        self.norm2 = nn.LayerNorm(d_model)

    def forward(self, src: Tensor, pos: Tensor, reference_points: Tensor, shapes) -> Tensor:
        src = self.norm1(src + self.self_attn(src + pos, reference_points, src, shapes))
        return self.norm2(src + self.linear2(F.relu(self.linear1(src))))


class MSDeformAttnTransformerEncoder(nn.Module):
    def __init__(self, layer_args: dict, num_layers: int):
        super().__init__()
        self.layers = nn.ModuleList(MSDeformAttnTransformerEncoderLayer(**layer_args) for _ in range(num_layers))


class MSDeformAttnTransformerEncoderOnly(nn.Module):
    def __init__(self, *, d_model: int, nhead: int, num_encoder_layers: int, dim_feedforward: int,
                 num_feature_levels: int, enc_n_points: int):
        super().__init__()
        self.encoder = MSDeformAttnTransformerEncoder(
            dict(d_model=d_model, d_ffn=dim_feedforward, n_levels=num_feature_levels,
                 n_heads=nhead, n_points=enc_n_points), num_encoder_layers)
        self.level_embed = nn.Parameter(torch.empty(num_feature_levels, d_model))
        nn.init.normal_(self.level_embed)
        for p in self.parameters():
            if p.dim() > 1:
                nn.init.xavier_uniform_(p)
        for m in self.modules():
            if isinstance(m, MSDeformAttn):
                m._reset_parameters()

    @staticmethod
    def reference_points(src: Tensor) -> Tensor:
        # pixel centres normalised to [0, 1]: ((x+0.5)/W, (y+0.5)/H) -> [N, H*W, 2] (x, y)
        ones = torch.ones_like(src[:, 0])                                         # [N, H, W]
        ref_y = (ones.cumsum(1) - 0.5) / ones.sum(1, keepdim=True)
        ref_x = (ones.cumsum(2) - 0.5) / ones.sum(2, keepdim=True)
        return torch.stack([ref_x.flatten(1), ref_y.flatten(1)], -1)

    def forward(self, srcs: List[Tensor], pos_embeds: List[Tensor]) -> List[Tensor]:
        flat, pos_flat, refs, shapes = [], [], [], []
        for lvl, (src, pos) in enumerate(zip(srcs, pos_embeds)):
            shapes.append((src.shape[2], src.shape[3]))
            flat.append(src.flatten(2).transpose(1, 2))
            pos_flat.append(pos.flatten(2).transpose(1, 2) + self.level_embed[lvl].view(1, 1, -1))
            refs.append(self.reference_points(src))
        x = torch.cat(flat, 1)
        pos = torch.cat(pos_flat, 1)
        ref = torch.cat(refs, 1)
        for layer in self.encoder.layers:
            x = layer(x, pos, ref, shapes)
        outs, start = [], 0
        for src, (h, w) in zip(srcs, shapes):
            hw = h * w
            outs.append(x[:, start:start + hw].transpose(1, 2).reshape(src.shape[0], src.shape[1], h, w))
            start = start + hw
        return outs


class MSDeformAttnPixelDecoder(nn.Module):
    """res2..res5 -> (mask_features, clip_mask_features, [/32, /16, /8] maps)."""

    def __init__(self, *, in_channels: Dict[str, int], conv_dim: int, mask_dim: int, gn_groups: int,
                 transformer_enc_layers: int, transformer_dim_feedforward: int, transformer_nheads: int,
                 transformer_n_points: int):
        super().__init__()
        self.transformer_in_features = ("res3", "res4", "res5")
        self.num_levels = 3
        # input projections in order res5, res4, res3 (low to high resolution)
        self.input_proj = nn.ModuleList()
        for name in self.transformer_in_features[::-1]:
            self.input_proj.append(nn.Sequential(nn.Conv2d(in_channels[name], conv_dim, 1),
                                                 nn.GroupNorm(gn_groups, conv_dim)))
        for proj in self.input_proj:
            nn.init.xavier_uniform_(proj[0].weight, gain=1)
            nn.init.zeros_(proj[0].bias)
        self.transformer = MSDeformAttnTransformerEncoderOnly(
            d_model=conv_dim, nhead=transformer_nheads, num_encoder_layers=transformer_enc_layers,
            dim_feedforward=transformer_dim_feedforward, num_feature_levels=self.num_levels,
            enc_n_points=transformer_n_points)
        self.conv_dim = conv_dim
        self.mask_features = nn.Conv2d(conv_dim, mask_dim, 1)
        c2_xavier_fill(self.mask_features)
        self.adapter_1 = Conv2d(in_channels["res2"], conv_dim, 1, bias=False,
                                norm=nn.GroupNorm(gn_groups, conv_dim))
        self.layer_1 = Conv2d(conv_dim, conv_dim, 3, padding=1, bias=False,
                              norm=nn.GroupNorm(gn_groups, conv_dim), activation=F.relu)
        c2_xavier_fill(self.adapter_1)
        c2_xavier_fill(self.layer_1)

    def forward(self, features: Dict[str, Tensor]):
        srcs, pos = [], []
        for idx, name in enumerate(self.transformer_in_features[::-1]):
            x = features[name]
            srcs.append(self.input_proj[idx](x))
            pos.append(sine_position_embedding(x, self.conv_dim // 2))
        out = self.transformer(srcs, pos)                    # [/32, /16, /8]
        cur = self.adapter_1(features["res2"])
        y = cur + F.interpolate(out[-1], size=(cur.shape[2], cur.shape[3]), mode="bilinear",
                                align_corners=False)
        clip_mask_features = self.layer_1(y)                 # 1/4 map before the 1x1 conv
        return self.mask_features(clip_mask_features), clip_mask_features, out
