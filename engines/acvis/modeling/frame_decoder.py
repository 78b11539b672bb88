"""Frame-level masked-attention decoder with audio conditioning (spec §3.3-§3.7).

``audio_conditioning="acqg"`` is ACVIS_SAOC's decoder (count token + ACQG + SAOC count head);
``"additive"`` is AVISM's (``av_sf`` cross-attention to the pixel features, added to the query
content). Attribute names equal the official ``sem_seg_head.predictor`` ones.
"""

from __future__ import annotations

from typing import Dict, List, Optional

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from ..config import AUDIO_DIM, NUM_CLASSES, ModelConfig
from .layers import MLP, CrossAttentionLayer, FFNLayer, SelfAttentionLayer, sine_position_embedding


class FrameDecoder(nn.Module):
    def __init__(self, *, hidden_dim: int, mask_dim: int, num_queries: int, nheads: int,
                 dim_feedforward: int, dec_layers: int, audio_conditioning: str, acqg_layers: int,
                 count_token: bool, kmax: int, num_classes: int = NUM_CLASSES,
                 audio_dim: int = AUDIO_DIM, num_feature_levels: int = 3):
        super().__init__()
        if audio_conditioning not in ("acqg", "additive"):
            raise ValueError(f"audio_conditioning must be 'acqg' or 'additive', got '{audio_conditioning}'")
        self.hidden_dim = hidden_dim
        self.num_heads = nheads
        self.num_layers = dec_layers
        self.num_queries = num_queries
        self.num_feature_levels = num_feature_levels
        self.audio_conditioning = audio_conditioning
        self.use_count_token = count_token
        self.transformer_self_attention_layers = nn.ModuleList(
            SelfAttentionLayer(hidden_dim, nheads) for _ in range(dec_layers))
        self.transformer_cross_attention_layers = nn.ModuleList(
            CrossAttentionLayer(hidden_dim, nheads) for _ in range(dec_layers))
        self.transformer_ffn_layers = nn.ModuleList(
            FFNLayer(hidden_dim, dim_feedforward) for _ in range(dec_layers))
        self.decoder_norm = nn.LayerNorm(hidden_dim)
        self.query_feat = nn.Embedding(num_queries, hidden_dim)
        self.query_embed = nn.Embedding(num_queries, hidden_dim)
        self.level_embed = nn.Embedding(num_feature_levels, hidden_dim)
        self.class_embed = nn.Linear(hidden_dim, num_classes + 1)
        self.mask_embed = MLP(hidden_dim, hidden_dim, mask_dim, 3)
        self.av_pre_proj = nn.Linear(audio_dim, hidden_dim)
        # AVISM uses it; ACVIS keeps it in the checkpoint but never calls it (spec §3.4)
        self.av_post_proj = nn.Linear(hidden_dim * acqg_layers, hidden_dim)
        if audio_conditioning == "acqg":
            self.audio_centric_query_generator = nn.ModuleList(
                CrossAttentionLayer(hidden_dim, nheads) for _ in range(acqg_layers))
        else:
            self.av_sf = nn.ModuleList(CrossAttentionLayer(hidden_dim, nheads) for _ in range(acqg_layers))
        if count_token:
            self.cls_token = nn.Embedding(1, hidden_dim)
            self.cnt_proj = nn.Linear(hidden_dim, kmax)

    @classmethod
    def from_config(cls, cfg: ModelConfig) -> "FrameDecoder":
        return cls(hidden_dim=cfg.hidden_dim, mask_dim=cfg.mask_dim, num_queries=cfg.num_queries,
                   nheads=cfg.nheads, dim_feedforward=cfg.dim_feedforward, dec_layers=cfg.dec_layers,
                   audio_conditioning=cfg.audio_conditioning, acqg_layers=cfg.acqg_layers,
                   count_token=cfg.count_token, kmax=cfg.kmax)

    # ------------------------------------------------------------------------------------------
    def _prediction_heads(self, output: Tensor, mask_features: Tensor, target: Tensor):
        # output [K, N, C] (K = Q or 1+Q); mask_features [N, Cm, h, w]; target: map of the next level
        dec = self.decoder_norm(output).transpose(0, 1)                     # [N, K, C]
        queries = dec[:, 1:] if self.use_count_token else dec              # [N, Q, C]
        outputs_class = self.class_embed(queries)                           # [N, Q, 27]
        mask_embed = self.mask_embed(queries)                               # [N, Q, Cm]
        outputs_mask = torch.einsum("bqc,bchw->bqhw", mask_embed, mask_features)
        attn = F.interpolate(outputs_mask, size=(target.shape[2], target.shape[3]),
                             mode="bilinear", align_corners=False)
        attn_mask = attn.sigmoid().flatten(2) < 0.5                         # [N, Q, HW] True=blocked
        if self.use_count_token:
            # the count token always sees every pixel
            attn_mask = torch.cat([torch.zeros_like(attn_mask[:, :1]), attn_mask], 1)
        return outputs_class, outputs_mask, attn_mask[:, None], dec

    def forward(self, x: List[Tensor], mask_features: Tensor, audio: Tensor,
                num_frame_query_layers: int = 1,
                forced_masks: Optional[List[Tensor]] = None) -> Dict[str, Tensor]:
        """x: [/32, /16, /8] maps [N, C, h, w]; mask_features [N, Cm, H/4, W/4]; audio [N, 128].

        Returns ``pred_logits`` [N, Q, 27], ``pred_masks`` [N, Q, H/4, W/4], ``aux_outputs``
        (one dict per earlier prediction, dec_layers entries), ``frame_queries``
        [L, N, Q, C] (decoder-normed queries of the last L layers), ``count_logits`` [N, Kmax]
        (absent without a count token) and ``attn_masks``: the boolean attention masks
        [N, 1, K, h_l*w_l] used by each masked cross-attention layer (True = blocked).
        ``forced_masks`` replaces those masks (parity diagnostics: the threshold
        sigmoid < 0.5 is discontinuous, so two runtimes can only be compared exactly on equal masks).
        """
        n = mask_features.shape[0]
        src, pos = [], []
        for i in range(self.num_feature_levels):
            pos.append(sine_position_embedding(x[i], self.hidden_dim // 2).flatten(2).permute(2, 0, 1))
            src.append((x[i].flatten(2) + self.level_embed.weight[i][None, :, None]).permute(2, 0, 1))

        query_embed = self.query_embed.weight[:, None].expand(-1, n, -1)    # [Q, N, C]
        output = self.query_feat.weight[:, None].expand(-1, n, -1)
        audio_tok = self.av_pre_proj(audio)[None]                           # [1, N, C]
        if self.audio_conditioning == "acqg":
            cls = self.cls_token.weight[:, None].expand(-1, n, -1)
            # count token: same vector as content and positional embedding (spec §3.6)
            query_embed = torch.cat([cls, query_embed], 0)
            output = torch.cat([cls, output], 0)
            for layer in self.audio_centric_query_generator:
                output = layer(output, audio_tok, query_pos=query_embed)
        else:
            fused = [layer(audio_tok, src[i], query_pos=query_embed) for i, layer in enumerate(self.av_sf)]
            output = output + self.av_post_proj(torch.cat(fused, -1))
            if self.use_count_token:
                cls = self.cls_token.weight[:, None].expand(-1, n, -1)
                query_embed = torch.cat([cls, query_embed], 0)
                output = torch.cat([cls, output], 0)

        predictions_class, predictions_mask, decoded, used_masks = [], [], [], []
        cls_, mask_, attn_mask, dec = self._prediction_heads(output, mask_features, x[0])
        predictions_class.append(cls_)
        predictions_mask.append(mask_)
        decoded.append(dec)
        for i in range(self.num_layers):
            level = i % self.num_feature_levels
            # a query whose mask blocks every key attends everywhere instead
            attn_mask = attn_mask & ~attn_mask.all(-1, keepdim=True)
            if forced_masks is not None:
                attn_mask = forced_masks[i]
            used_masks.append(attn_mask)
            output = self.transformer_cross_attention_layers[i](
                output, src[level], memory_mask=attn_mask, pos=pos[level], query_pos=query_embed)
            output = self.transformer_self_attention_layers[i](output, query_pos=query_embed)
            output = self.transformer_ffn_layers[i](output)
            cls_, mask_, attn_mask, dec = self._prediction_heads(
                output, mask_features, x[(i + 1) % self.num_feature_levels])
            predictions_class.append(cls_)
            predictions_mask.append(mask_)
            decoded.append(dec)

        last = decoded[-num_frame_query_layers:]
        if self.use_count_token:
            frame_queries = torch.stack([d[:, 1:] for d in last], 0)
        else:
            frame_queries = torch.stack(last, 0)
        out = {
            "pred_logits": predictions_class[-1],
            "pred_masks": predictions_mask[-1],
            "aux_outputs": [{"pred_logits": a, "pred_masks": b}
                            for a, b in zip(predictions_class[:-1], predictions_mask[:-1])],
            "frame_queries": frame_queries,
            "attn_masks": used_masks,
        }
        if self.use_count_token:
            out["count_logits"] = self.cnt_proj(decoded[-1][:, 0])
        return out
