"""detectron2-style ResNet with FrozenBatchNorm (spec §3.1); names match the official checkpoint."""

from __future__ import annotations

from typing import Dict

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from ..config import ResNetConfig


class FrozenBatchNorm2d(nn.Module):
    """BatchNorm with fixed statistics and affine: ``x * w/sqrt(var+eps) + (b - mean*w/sqrt(var+eps))``."""

    def __init__(self, num_features: int, eps: float = 1e-5):
        super().__init__()
        self.eps = eps
        self.register_buffer("weight", torch.ones(num_features))
        self.register_buffer("bias", torch.zeros(num_features))
        self.register_buffer("running_mean", torch.zeros(num_features))
        self.register_buffer("running_var", torch.ones(num_features) - eps)

    def forward(self, x: Tensor) -> Tensor:
        scale = self.weight * (self.running_var + self.eps).rsqrt()
        bias = self.bias - self.running_mean * scale
        return x * scale.reshape(1, -1, 1, 1) + bias.reshape(1, -1, 1, 1)


class Conv2d(nn.Conv2d):
    """Conv with an optional ``norm`` child and activation (detectron2 ``layers.Conv2d``)."""

    def __init__(self, *args, norm: nn.Module = None, activation=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.norm = norm
        self.activation = activation

    def forward(self, x: Tensor) -> Tensor:
        x = super().forward(x)
        if self.norm is not None:
            x = self.norm(x)
        if self.activation is not None:
            x = self.activation(x)
        return x


def c2_msra_fill(conv: nn.Conv2d) -> None:
    nn.init.kaiming_normal_(conv.weight, mode="fan_out", nonlinearity="relu")
    if conv.bias is not None:
        nn.init.zeros_(conv.bias)


def c2_xavier_fill(conv: nn.Conv2d) -> None:
    nn.init.kaiming_uniform_(conv.weight, a=1)
    if conv.bias is not None:
        nn.init.zeros_(conv.bias)


class BottleneckBlock(nn.Module):
    def __init__(self, in_channels: int, out_channels: int, bottleneck_channels: int, stride: int):
        super().__init__()
        if in_channels != out_channels:
            self.shortcut = Conv2d(in_channels, out_channels, 1, stride=stride, bias=False,
                                   norm=FrozenBatchNorm2d(out_channels))
        else:
            self.shortcut = None
        # STRIDE_IN_1X1 False: the stride sits on the 3x3 conv
        self.conv1 = Conv2d(in_channels, bottleneck_channels, 1, stride=1, bias=False,
                            norm=FrozenBatchNorm2d(bottleneck_channels))
        self.conv2 = Conv2d(bottleneck_channels, bottleneck_channels, 3, stride=stride, padding=1,
                            bias=False, norm=FrozenBatchNorm2d(bottleneck_channels))
        self.conv3 = Conv2d(bottleneck_channels, out_channels, 1, bias=False,
                            norm=FrozenBatchNorm2d(out_channels))
        for layer in (self.conv1, self.conv2, self.conv3, self.shortcut):
            if layer is not None:
                c2_msra_fill(layer)

    def forward(self, x: Tensor) -> Tensor:
        out = F.relu(self.conv1(x))
        out = F.relu(self.conv2(out))
        out = self.conv3(out)
        shortcut = self.shortcut(x) if self.shortcut is not None else x
        return F.relu(out + shortcut)


class BasicStem(nn.Module):
    def __init__(self, out_channels: int):
        super().__init__()
        self.conv1 = Conv2d(3, out_channels, 7, stride=2, padding=3, bias=False,
                            norm=FrozenBatchNorm2d(out_channels))
        c2_msra_fill(self.conv1)

    def forward(self, x: Tensor) -> Tensor:
        x = F.relu(self.conv1(x))
        return F.max_pool2d(x, kernel_size=3, stride=2, padding=1)


class ResNet(nn.Module):
    """Stem + res2..res5; returns the four stage outputs (strides 4, 8, 16, 32)."""

    stage_names = ("res2", "res3", "res4", "res5")

    def __init__(self, *, stem_out: int, blocks, res2_out: int, bottleneck_width: int):
        super().__init__()
        self.stem = BasicStem(stem_out)
        in_ch = stem_out
        for i, name in enumerate(self.stage_names):
            out_ch = res2_out * 2 ** i
            width = bottleneck_width * 2 ** i
            stage = nn.Sequential(*[
                BottleneckBlock(in_ch if b == 0 else out_ch, out_ch, width,
                                stride=(1 if i == 0 or b > 0 else 2))
                for b in range(blocks[i])])
            self.add_module(name, stage)
            in_ch = out_ch

    @classmethod
    def from_config(cls, cfg: ResNetConfig) -> "ResNet":
        return cls(stem_out=cfg.stem_out, blocks=cfg.blocks, res2_out=cfg.res2_out,
                   bottleneck_width=cfg.bottleneck_width)

    def forward(self, x: Tensor) -> Dict[str, Tensor]:
        x = self.stem(x)
        out = {}
        for name in self.stage_names:
            x = getattr(self, name)(x)
            out[name] = x
        return out
