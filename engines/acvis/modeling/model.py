"""The ACVIS_SAOC model (spec §1.3) in pure PyTorch, with official state-dict names.

Build with ``build_model(get_config("tiny" | "r50"))``. Attribute layout equals the official
checkpoint: ``backbone``, ``audio_backbone``, ``sem_seg_head.pixel_decoder``,
``sem_seg_head.predictor``, ``vita_module`` (``avism_module`` for AVISM), plus the persistent
``criterion.empty_weight`` / ``vita_criterion.empty_weight`` buffers, so an official
``state_dict`` loads with zero missing and zero unexpected keys (see ``acvis.convert``).

Training-mode contract (``model.train()``; one clip = one video, B = 1)
------------------------------------------------------------------------
``out = model(images, mel)`` with

* ``images``: float tensor (T, 3, H, W), raw RGB 0..255 (any H, W; the model normalises with
  ImageNet mean/std and zero-pads bottom/right to multiples of 32 -> Hp, Wp);
* ``mel``: float tensor (T, 96, 64) log-mel patches (one per frame; (T, 1, 96, 64) accepted).

``out`` is a dict (h = Hp/4, w = Wp/4; Q = cfg.num_queries, Qv = cfg.video_queries,
C = cfg.hidden_dim, Cm = cfg.mask_dim, L = cfg.last_layer_num, Kmax = cfg.kmax):

Frame level (Mask2Former-style, per frame, last decoder layer):
  ``pred_logits``   (T, Q, 27)   class logits, index 26 = no object
  ``pred_masks``    (T, Q, h, w) mask logits at 1/4 of the padded size
  ``aux_outputs``   list of cfg.dec_layers dicts {``pred_logits``, ``pred_masks``} for the
                    earlier predictions, oldest first (ACQG output, then decoder layers
                    0..dec_layers-2); deep supervision uses all of them
  ``count_logits``  (T, Kmax)    SAOC ordinal logits, sigma(z_k) = P(N > k | N > k-1)
  ``frame_queries`` (L, T, Q, C) decoder-normed frame queries of the last L decoder layers
                    (layer order = the last L entries of aux_outputs + final, i.e. index L-1 is
                    the final layer); the video outputs below use the same L axis
Video level (spec §3.8/§4.4, one entry per frame-query layer L):
  ``video_pred_logits``     (L, Qv, 27)        class logits of the last video-decoder layer
  ``video_pred_mask_embed`` (L, Qv, Cm)
  ``video_pred_masks``      (L, Qv, T, h, w)   e_q . m_t with m_t = vita_mask_features map
  ``video_pred_cq_embed``   (L, Qv, C)         sim_embed_clip of the video queries
  ``video_pred_fq_embed``   (L, T, Q, C)       sim_embed_frame of the fused frame tokens
                                               (token (t, q) is frame t's query slot q)
  ``video_aux_outputs``     list of cfg.video_dec_layers - 1 dicts with keys ``pred_logits``
                            (L, Qv, 27), ``pred_mask_embed``, ``pred_masks`` (L, Qv, T, h, w),
                            ``pred_cq_embed`` for the earlier video-decoder layers
Also: ``attn_masks`` (list of the decoder's boolean attention masks, diagnostics),
``audio_features`` (T, 128) quantised VGGish output (integers 0..255, no gradient),
``mask_features`` (T, Cm, h, w) = m_t, ``padded_size`` (Hp, Wp), ``image_size`` (H, W).

In training all video-encoder layers use unshifted windows (official); in eval the odd
layers are shifted. ``model.eval()`` + the same call returns the same keys with L = 1.
Inference (spec §5) is :meth:`ACVIS.inference`; the tensor-only pieces the ONNX graphs are
exported from are :meth:`forward_audio`, :meth:`forward_frame`, :meth:`forward_video` and
:func:`video_mask_logits`.
"""

from __future__ import annotations

from typing import Dict, List, Optional, Tuple

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from ..config import NUM_CLASSES, PIXEL_MEAN, PIXEL_STD, SIZE_DIVISIBILITY, ModelConfig
from .backbone import ResNet
from .frame_decoder import FrameDecoder
from .pixel_decoder import MSDeformAttnPixelDecoder
from .vggish import VGGish
from .video_module import VideoModule

NO_OBJECT_WEIGHT = 0.1


class LossWeights(nn.Module):
    """Holds the persistent ``empty_weight`` buffer that official checkpoints store for the criteria."""

    def __init__(self, num_classes: int = NUM_CLASSES, eos_coef: float = NO_OBJECT_WEIGHT):
        super().__init__()
        w = torch.ones(num_classes + 1)
        w[-1] = eos_coef
        self.register_buffer("empty_weight", w)


class SemSegHead(nn.Module):
    def __init__(self, pixel_decoder: nn.Module, predictor: nn.Module):
        super().__init__()
        self.pixel_decoder = pixel_decoder
        self.predictor = predictor


def pad_to_divisible(x: Tensor, divisor: int = SIZE_DIVISIBILITY) -> Tensor:
    """Zero-pad bottom/right of [N, C, H, W] to multiples of ``divisor`` (ONNX-dynamic)."""
    h, w = x.shape[2], x.shape[3]
    pad_h = (divisor - h % divisor) % divisor
    pad_w = (divisor - w % divisor) % divisor
    return F.pad(x, (0, pad_w, 0, pad_h))


def video_mask_logits(mask_embed: Tensor, mask_features: Tensor) -> Tensor:
    """``e_k . m_t`` upsampled x4 bilinear (align_corners=False): [K, Cm], [1, Cm, h, w] -> [K, 4h, 4w]."""
    logits = torch.einsum("kc,nchw->nkhw", mask_embed, mask_features)
    up = F.interpolate(logits, size=(mask_features.shape[2] * 4, mask_features.shape[3] * 4),
                       mode="bilinear", align_corners=False)
    return up[0]


class ACVIS(nn.Module):
    def __init__(self, cfg: ModelConfig):
        super().__init__()
        self.cfg = cfg
        self.backbone = ResNet.from_config(cfg.backbone)
        if cfg.audio_backbone:
            self.audio_backbone = VGGish.from_config(cfg.vggish)
        in_ch = dict(zip(ResNet.stage_names, cfg.backbone.out_channels()))
        pixel_decoder = MSDeformAttnPixelDecoder(
            in_channels=in_ch, conv_dim=cfg.hidden_dim, mask_dim=cfg.mask_dim, gn_groups=cfg.gn_groups,
            transformer_enc_layers=cfg.pixel_enc_layers, transformer_dim_feedforward=cfg.pixel_ffn_dim,
            transformer_nheads=cfg.deform_heads, transformer_n_points=cfg.deform_points)
        self.sem_seg_head = SemSegHead(pixel_decoder, FrameDecoder.from_config(cfg))
        self.criterion = LossWeights()
        self.add_module(cfg.video_prefix, VideoModule.from_config(cfg))
        # official name of the video criterion follows the video module's (AVISM: avism_criterion)
        self.add_module(cfg.video_prefix.replace("_module", "_criterion"), LossWeights())
        self.register_buffer("pixel_mean", torch.tensor(PIXEL_MEAN).view(1, 3, 1, 1), persistent=False)
        self.register_buffer("pixel_std", torch.tensor(PIXEL_STD).view(1, 3, 1, 1), persistent=False)

    @property
    def video_module(self) -> VideoModule:
        return getattr(self, self.cfg.video_prefix)

    # ---------------------------------------------------------------- tensor-only pieces
    def preprocess(self, images: Tensor) -> Tensor:
        """Raw RGB [N, 3, H, W] 0..255 -> normalised, zero-padded after normalisation [N, 3, Hp, Wp]."""
        return pad_to_divisible((images - self.pixel_mean) / self.pixel_std)

    def forward_audio(self, mel: Tensor) -> Tensor:
        """mel [N, 1, 96, 64] (or [N, 96, 64]) -> audio features [N, 128].

        Without an audio backbone (AVISM) the input already is the [N, 128] feature array."""
        if not self.cfg.audio_backbone:
            return mel
        if mel.dim() == 3:
            mel = mel[:, None]
        return self.audio_backbone(mel)

    def fusion_audio(self, audio: Tensor) -> Tensor:
        """The 8-bit audio features as the fusion layers take them (see ``ModelConfig.audio_input_norm``)."""
        return (audio - 127.5) / 63.75 if self.cfg.audio_input_norm else audio

    def _pixel_stage(self, images: Tensor, prestrided: bool = False):
        """Backbone + pixel decoder: (frame-decoder mask features, multi-scale maps, m_t at model scale, and
        ``up``, which brings a model-scale mask map back to 1/4 of the caller's canvas). No audio on this path."""
        x = self.preprocess(images)
        stride = 1 if prestrided else self.cfg.input_stride
        hp, wp = x.shape[2], x.shape[3]
        if stride > 1:  # caller-scale canvas [Hp, Wp] -> model scale (see ModelConfig.input_stride)
            x = pad_to_divisible(F.avg_pool2d(x, stride))
        feats = self.backbone(x)
        mask_features, clip_mask_features, ms = self.sem_seg_head.pixel_decoder(feats)
        m = self.video_module.mask_features(clip_mask_features)

        def up(t: Tensor) -> Tensor:
            if stride == 1:
                return t
            # mask maps back to 1/4 of the caller's canvas: crop the model-scale padding, upsample
            h4, w4 = hp // (4 * stride), wp // (4 * stride)
            return F.interpolate(t[:, :, :h4, :w4], scale_factor=float(stride), mode="bilinear",
                                 align_corners=False)

        return mask_features, ms, m, up

    def _frame_stage(self, images: Tensor, audio: Tensor, num_layers: int,
                     forced_masks: Optional[List[Tensor]] = None, prestrided: bool = False) -> Tuple[Dict, Tensor]:
        mask_features, ms, m, up = self._pixel_stage(images, prestrided)
        out = self.sem_seg_head.predictor(ms, mask_features, self.fusion_audio(audio),
                                          num_frame_query_layers=num_layers,
                                          forced_masks=forced_masks)
        if not prestrided and self.cfg.input_stride > 1:
            m = up(m)
            out = dict(out, pred_masks=up(out["pred_masks"]))
        return out, m

    def forward_mask_features(self, images: Tensor) -> Tensor:
        """Optional pixel graph: images [N, 3, H, W] raw RGB -> ``mask_features`` [N, Cm, h, w] (m_t), exactly the
        frame graph's, without the frame decoder (fresh masks of frames between inferences need only m_t)."""
        _, _, m, up = self._pixel_stage(images)
        return up(m)

    def forward_frame(self, images: Tensor, audio: Tensor,
                      forced_masks: Optional[List[Tensor]] = None) -> Dict[str, Tensor]:
        """Per-frame graph: images [N, 3, H, W] raw RGB, audio [N, 128] -> dict of
        ``frame_queries`` [N, Q, C], ``count_logits`` [N, Kmax], ``mask_features`` [N, Cm, h, w]
        (m_t), ``pred_logits`` [N, Q, 27], ``pred_masks`` [N, Q, h, w], ``attn_masks`` (list of
        the decoder's boolean attention masks; ``forced_masks`` replaces them, diagnostics only)."""
        out, m = self._frame_stage(images, audio, 1, forced_masks)
        res = {"frame_queries": out["frame_queries"][0]}
        if "count_logits" in out:
            res["count_logits"] = out["count_logits"]
        res.update(mask_features=m, pred_logits=out["pred_logits"], pred_masks=out["pred_masks"],
                   attn_masks=out["attn_masks"])
        return res

    def forward_video(self, frame_queries: Tensor, audio: Tensor) -> Dict[str, Tensor]:
        """Video graph: frame_queries [T, Q, C], audio [T, 128] -> ``class_logits`` [Qv, 27],
        ``mask_embed`` [Qv, Cm], ``sim_embed`` [Qv, C] (last decoder layer)."""
        out = self.video_module(frame_queries[None], self.fusion_audio(audio))
        return {"class_logits": out["pred_logits"][0], "mask_embed": out["pred_mask_embed"][0],
                "sim_embed": out["pred_cq_embed"][0]}

    # ---------------------------------------------------------------- training forward
    def forward(self, images: Tensor, mel: Tensor, prestrided: bool = False) -> Dict:
        """See the module docstring for the exact contract. ``prestrided``: ``images`` already are at the model
        scale (``cfg.input_stride`` > 1 only; training feeds small frames and skips the in-graph pooling)."""
        if images.dim() != 4 or images.shape[1] != 3:
            raise ValueError(f"images must be (T, 3, H, W), got {tuple(images.shape)}")
        if mel.shape[0] != images.shape[0]:
            raise ValueError(f"mel has {mel.shape[0]} patches for {images.shape[0]} frames")
        num_layers = self.cfg.last_layer_num if self.training else 1
        audio = self.forward_audio(mel)
        frame, m = self._frame_stage(images, audio, num_layers, prestrided=prestrided)
        video = self.video_module(frame["frame_queries"], self.fusion_audio(audio))

        def masks(embed: Tensor) -> Tensor:
            return torch.einsum("lqc,tchw->lqthw", embed, m)

        out = dict(frame)
        out.update(
            video_pred_logits=video["pred_logits"],
            video_pred_mask_embed=video["pred_mask_embed"],
            video_pred_masks=masks(video["pred_mask_embed"]),
            video_pred_cq_embed=video["pred_cq_embed"],
            video_pred_fq_embed=video["pred_fq_embed"],
            video_aux_outputs=[dict(a, pred_masks=masks(a["pred_mask_embed"])) for a in video["aux_outputs"]],
            audio_features=audio,
            mask_features=m,
            padded_size=(m.shape[2] * 4, m.shape[3] * 4),
            image_size=(images.shape[2], images.shape[3]),
        )
        return out

    # ---------------------------------------------------------------- offline inference (spec §5)
    @torch.no_grad()
    def inference(self, images: Tensor, mel: Tensor, output_size: Optional[Tuple[int, int]] = None,
                  chunk: int = 18, kept_only: bool = False, max_candidates: Optional[int] = None) -> Dict:
        """Official offline inference on one resized video.

        images (T, 3, H, W) raw RGB already resized (short side 360), mel (T, 96, 64);
        output_size (H0, W0) of the original frames (default (H, W)). Returns ``scores`` [K],
        ``labels`` [K] (0..25), ``masks`` bool [K, T, H0, W0], ``query_index`` [K],
        ``count_logits`` [T, Kmax] — in descending class-probability order — ``frame`` (the frame decoder's
        per-frame ``pred_logits`` [T, Q, 27] and ``pred_masks`` [T, Q, h, w], ``mask_features`` m [T, Cm, h, w],
        the kept predictions' ``mask_embed`` [K, Cm] and ``resized_size``: what ``acvis.evaluation.heard_scores``
        needs), plus ``candidates``
        (all top-k (query, class) pairs before the threshold: ``query_index``, ``labels``,
        ``class_prob``, ``mask_score``, ``score``, ``masks``) and the raw ``video`` outputs.
        ``kept_only``: skip the masks of candidates whose class probability alone is <= the threshold (their
        score cannot pass it); same kept set, but those candidates get mask score 0 (evaluation speed-up).
        ``max_candidates``: only the first N top-k candidates (highest class probability; diagnostics).
        """
        t, _, h, w = images.shape
        h0, w0 = output_size or (h, w)
        fqs, ms, auds, cnts, fls, fms = [], [], [], [], [], []
        for s in range(0, t, chunk):
            a = self.forward_audio(mel[s:s + chunk])
            f = self.forward_frame(images[s:s + chunk], a)
            fqs.append(f["frame_queries"]); ms.append(f["mask_features"]); auds.append(a)
            fls.append(f["pred_logits"]); fms.append(f["pred_masks"])
            if "count_logits" in f:
                cnts.append(f["count_logits"])
        fq, m, aud = torch.cat(fqs), torch.cat(ms), torch.cat(auds)
        v = self.forward_video(fq, aud)
        scores = torch.softmax(v["class_logits"], -1)[:, :-1]             # [Qv, 26]
        k = min(self.cfg.test_topk, scores.numel())
        # official: topk(sorted=False); sorted here for a deterministic order (same set)
        top, idx = scores.flatten().topk(k, sorted=True)
        labels = idx % NUM_CLASSES
        qidx = torch.div(idx, NUM_CLASSES, rounding_mode="floor")
        if kept_only or max_candidates is not None:
            k = int((top > self.cfg.test_score_threshold).sum()) if kept_only else min(k, max_candidates)
            top, idx, labels, qidx = top[:k], idx[:k], labels[:k], qidx[:k]
        embed = v["mask_embed"][qidx]                                       # [K, Cm]
        num = torch.zeros(k)
        den = torch.zeros(k)
        out_masks = torch.zeros(k, t, h0, w0, dtype=torch.bool)
        for ti in range(t if k > 0 else 0):
            logit = video_mask_logits(embed, m[ti:ti + 1])[:, :h, :w]      # [K, H, W] cropped
            sig = logit.sigmoid()
            sel = sig > 0.5
            num += (sig * sel).flatten(1).sum(1)
            den += sel.flatten(1).sum(1)
            out_masks[:, ti] = F.interpolate(logit[None], size=(h0, w0), mode="bilinear",
                                             align_corners=False)[0] > 0
        mask_score = num / (den + 1e-6)
        final = top * mask_score
        keep = final > self.cfg.test_score_threshold
        return {"scores": final[keep], "labels": labels[keep], "masks": out_masks[keep],
                "query_index": qidx[keep],
                "count_logits": torch.cat(cnts) if cnts else None,
                "frame": {"pred_logits": torch.cat(fls), "pred_masks": torch.cat(fms), "mask_features": m,
                          "mask_embed": embed[keep], "resized_size": (h, w)},
                "candidates": {"query_index": qidx, "labels": labels, "class_prob": top,
                               "mask_score": mask_score, "score": final, "masks": out_masks},
                "video": v}


def build_model(cfg: ModelConfig) -> ACVIS:
    """Build the network for a config (random init as the official code would do)."""
    return ACVIS(cfg)
