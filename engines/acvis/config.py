"""Model configurations for ACVIS (spec §3.0).

One dataclass, :class:`ModelConfig`, holds every size of the network. ``r50`` is the official
full-size ACVIS_SAOC model (names and shapes equal ``resources/acvis-official-params.tsv``);
``tiny`` keeps the exact topology and I/O (raw RGB in, 128-d quantised audio features, 27
classes, window 6) at CPU-trainable sizes. Variants are small deltas of these two via
:func:`dataclasses.replace`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Dict, Tuple

AUDIO_DIM = 128          # VGGish embedding size after PCA (spec §2.4)
NUM_CLASSES = 26         # AVISeg object classes; index 26 is "no object"
MEL_SHAPE = (96, 64)     # one 0.96 s log-mel patch: time steps x mel bands (spec §2.3)
PIXEL_MEAN = (123.675, 116.280, 103.530)   # RGB, 0..255 (configs/Base-AVIS.yaml)
PIXEL_STD = (58.395, 57.120, 57.375)
SIZE_DIVISIBILITY = 32


@dataclass(frozen=True)
class ResNetConfig:
    """detectron2-style bottleneck ResNet with FrozenBN (spec §3.1)."""

    stem_out: int = 64                          # stem conv1 output channels
    blocks: Tuple[int, ...] = (3, 4, 6, 3)      # bottleneck blocks per stage res2..res5
    res2_out: int = 256                         # output channels of res2; doubles per stage
    bottleneck_width: int = 64                  # bottleneck channels of res2; doubles per stage

    def out_channels(self) -> Tuple[int, int, int, int]:
        return tuple(self.res2_out * 2 ** i for i in range(4))


@dataclass(frozen=True)
class VGGishConfig:
    """torchvggish VGG layout (spec §2.4); channel/width sizes are configuration."""

    channels: Tuple[int, int, int, int] = (64, 128, 256, 512)   # conv widths of the 4 blocks
    fc: Tuple[int, int] = (4096, 4096)                           # hidden sizes of ``embeddings``
    postprocess: bool = True    # PCA + clamp + 8-bit quantisation (official: on)


@dataclass(frozen=True)
class ModelConfig:
    """Every size and switch of the ACVIS network."""

    name: str = "r50"
    backbone: ResNetConfig = field(default_factory=ResNetConfig)
    vggish: VGGishConfig = field(default_factory=VGGishConfig)
    audio_backbone: bool = True         # VGGish inside the model (ACVIS); AVISM takes 128-d features
    hidden_dim: int = 256               # C: width of pixel decoder, frame decoder and video module
    mask_dim: int = 256                 # width of mask features / mask embeddings (= C here)
    gn_groups: int = 32                 # GroupNorm groups in the pixel decoder
    # pixel decoder (MSDeformAttn encoder, spec §3.2)
    pixel_enc_layers: int = 6
    pixel_ffn_dim: int = 1024           # hard-coded 1024 in the official code
    deform_heads: int = 8
    deform_points: int = 4
    # frame decoder (spec §3.3)
    num_queries: int = 100              # Qf, frame-level object queries
    nheads: int = 8
    dim_feedforward: int = 2048
    dec_layers: int = 9                 # masked-attention layers (DEC_LAYERS - 1)
    audio_conditioning: str = "acqg"    # "acqg" (ACVIS, spec §3.4) or "additive" (AVISM, spec §3.5)
    acqg_layers: int = 3                # ACQG / av_sf layers (one per feature level)
    count_token: bool = True            # ACVIS count token + SAOC head
    kmax: int = 2                       # count head logits: K = kmax + 1 count classes {0..kmax}
    # video module (spec §3.8)
    video_queries: int = 100            # Qv
    video_enc_layers: int = 6
    video_dec_layers: int = 3
    window_size: int = 6                # ENC_WINDOW_SIZE
    last_layer_num: int = 3             # frame-decoder layers fed to the video module in training
    video_prefix: str = "vita_module"   # attribute name of the video module (AVISM: avism_module)
    # inside the frame graph: average-pool the normalised, padded canvas by this factor before the backbone
    # and upsample the mask maps back (1 = official). Lets a small model take the caller's official
    # 360-short-side frames at the ~90-pixel scale it was trained on; the graph contract is unchanged.
    input_stride: int = 1
    # centre and scale the 8-bit audio features ((a - 127.5) / 63.75, i.e. back to the PCA range [-2, 2]) where
    # they enter the audio-visual fusion (frame decoder av_pre_proj, video module av_proj). False = official:
    # raw 0..255 values, whose constant 127.5 offset dominates the audio token and, under Adam, makes every
    # step on those projections 100x larger in effect than elsewhere. A fixed affine in the graph: the audio
    # graph's output and the contract are unchanged.
    audio_input_norm: bool = False
    # test-time post-processing (spec §5)
    test_topk: int = 100
    test_score_threshold: float = 0.3

    @property
    def num_classes(self) -> int:
        return NUM_CLASSES

    @property
    def audio_dim(self) -> int:
        return AUDIO_DIM


def _r50() -> ModelConfig:
    return ModelConfig()


def _avism_r50() -> ModelConfig:
    """AVISM baseline (additive audio fusion, no count token), names as avism-official-params.tsv."""
    return replace(_r50(), name="avism_r50", audio_conditioning="additive", count_token=False,
                   audio_backbone=False, video_prefix="avism_module")


def _tiny() -> ModelConfig:
    return ModelConfig(
        name="tiny",
        backbone=ResNetConfig(stem_out=16, blocks=(1, 1, 1, 1), res2_out=32, bottleneck_width=8),
        vggish=VGGishConfig(channels=(8, 16, 32, 32), fc=(128, 128)),
        hidden_dim=64,
        mask_dim=64,
        gn_groups=8,
        pixel_enc_layers=2,
        pixel_ffn_dim=128,
        deform_heads=4,
        deform_points=2,
        num_queries=16,
        nheads=4,
        dim_feedforward=128,
        dec_layers=3,
        video_queries=16,
        video_enc_layers=2,
        video_dec_layers=2,
        last_layer_num=2,
    )


def _avbench() -> ModelConfig:
    """The bundled CPU model: ``tiny`` sizes, input stride 4 (official 360x640 frames -> 90x160 inside the graph),
    trained on the hearing benchmark (``acvis.data.avbench``) with a pretrained audio encoder."""
    return replace(_tiny(), name="avbench", input_stride=4, audio_input_norm=True)


def _avbench_acqg() -> ModelConfig:
    """Ablation: ACQG + count token trained with a plain cross-entropy count loss (ACVIS-CE)."""
    return replace(_avbench(), name="avbench_acqg")


def _avbench_additive() -> ModelConfig:
    """Ablation: AVISM-style additive audio fusion, no count token (every detection counts as sounding)."""
    return replace(_avbench(), name="avbench_additive", audio_conditioning="additive", count_token=False)


def _avbench_k4() -> ModelConfig:
    """``avbench`` with the official max-count ablation head (spec §3.6): ``cnt_proj`` Linear(256->4), K = 5 count
    classes {0, 1, 2, 3, >=4}. The benchmark has 2, 3 and 4 simultaneous sources; with K = 3 every frame of two or
    more collapses into ">= 2", where the service's sounding flag can only flag every detection."""
    return replace(_avbench(), name="avbench_k4", kmax=4)


_CONFIGS = {"r50": _r50, "avism_r50": _avism_r50, "tiny": _tiny, "avbench": _avbench, "avbench_acqg": _avbench_acqg,
            "avbench_additive": _avbench_additive, "avbench_k4": _avbench_k4}


def get_config(name: str) -> ModelConfig:
    """Return the named configuration (``r50``, ``tiny``, ``avism_r50``, ``avbench``, ``avbench_acqg``,
    ``avbench_additive``, ``avbench_k4``)."""
    try:
        return _CONFIGS[name]()
    except KeyError:
        raise ValueError(f"unknown model config '{name}', expected one of {sorted(_CONFIGS)}") from None


def config_names() -> Tuple[str, ...]:
    return tuple(sorted(_CONFIGS))


def to_dict(cfg: ModelConfig) -> Dict:
    """Plain-dict view (for manifests and checkpoints)."""
    from dataclasses import asdict
    return asdict(cfg)


def from_dict(d: Dict) -> ModelConfig:
    """Inverse of :func:`to_dict` (e.g. the ``model_config`` stored by ``acvis.train``)."""
    d = dict(d)
    d["backbone"] = ResNetConfig(**{k: tuple(v) if isinstance(v, list) else v
                                    for k, v in d.get("backbone", {}).items()})
    d["vggish"] = VGGishConfig(**{k: tuple(v) if isinstance(v, list) else v
                                  for k, v in d.get("vggish", {}).items()})
    return ModelConfig(**d)
