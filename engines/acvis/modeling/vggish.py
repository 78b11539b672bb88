"""VGGish audio backbone with the official post-processing (spec §2.4; torchvggish layout)."""

from __future__ import annotations

import torch
from torch import Tensor, nn

from ..config import AUDIO_DIM, MEL_SHAPE, VGGishConfig

QUANTIZE_MIN = -2.0
QUANTIZE_MAX = 2.0


class Postprocessor(nn.Module):
    """PCA whitening, clamp to [-2, 2], 8-bit quantisation (integers 0..255 as float)."""

    def __init__(self, dim: int = AUDIO_DIM):
        super().__init__()
        # parameters (not buffers) in torchvggish, frozen
        self.pca_eigen_vectors = nn.Parameter(torch.eye(dim), requires_grad=False)
        self.pca_means = nn.Parameter(torch.zeros(dim, 1), requires_grad=False)

    def forward(self, embeddings: Tensor) -> Tensor:
        # embeddings [N, 128] -> [N, 128]; torchvggish squeezes a batch of one, we keep [1, 128]
        pca = torch.mm(self.pca_eigen_vectors, embeddings.t() - self.pca_means).t()
        clipped = torch.clamp(pca, QUANTIZE_MIN, QUANTIZE_MAX)
        return torch.round((clipped - QUANTIZE_MIN) * (255.0 / (QUANTIZE_MAX - QUANTIZE_MIN)))


class VGGish(nn.Module):
    """mel [N, 1, 96, 64] -> audio features [N, 128] (integer-valued when post-processing is on)."""

    def __init__(self, *, channels=(64, 128, 256, 512), fc=(4096, 4096), postprocess: bool = True):
        super().__init__()
        c1, c2, c3, c4 = channels
        relu = lambda: nn.ReLU(inplace=False)  # noqa: E731
        pool = lambda: nn.MaxPool2d(2, 2)      # noqa: E731
        # indices 0..15 equal torchvggish's ``features`` Sequential
        self.features = nn.Sequential(
            nn.Conv2d(1, c1, 3, padding=1), relu(), pool(),
            nn.Conv2d(c1, c2, 3, padding=1), relu(), pool(),
            nn.Conv2d(c2, c3, 3, padding=1), relu(),
            nn.Conv2d(c3, c3, 3, padding=1), relu(), pool(),
            nn.Conv2d(c3, c4, 3, padding=1), relu(),
            nn.Conv2d(c4, c4, 3, padding=1), relu(), pool())
        flat = c4 * (MEL_SHAPE[0] // 16) * (MEL_SHAPE[1] // 16)
        self.embeddings = nn.Sequential(
            nn.Linear(flat, fc[0]), relu(),
            nn.Linear(fc[0], fc[1]), relu(),
            nn.Linear(fc[1], AUDIO_DIM), relu())
        self.postprocess = postprocess
        self.pproc = Postprocessor(AUDIO_DIM)

    @classmethod
    def from_config(cls, cfg: VGGishConfig) -> "VGGish":
        return cls(channels=cfg.channels, fc=cfg.fc, postprocess=cfg.postprocess)

    def embed(self, x: Tensor) -> Tensor:
        """Raw 128-d embedding before post-processing."""
        x = self.features(x)                        # [N, C, 6, 4]
        x = x.permute(0, 2, 3, 1).reshape(x.shape[0], -1)   # TF order: time, band, channel
        return self.embeddings(x)

    def forward(self, x: Tensor) -> Tensor:
        e = self.embed(x)
        return self.pproc(e) if self.postprocess else e

    @torch.no_grad()
    def calibrate_pca(self, mel: Tensor, whiten: bool = False) -> None:
        """Fit ``pproc`` as a PCA of the embeddings of ``mel`` (for randomly initialised models).

        The released checkpoint ships AudioSet PCA parameters; a seeded tiny model has none, and an
        identity PCA would clamp most values. Fitting on sample patches spreads values over 0..255.
        """
        e = self.embed(mel).double()
        mean = e.mean(0, keepdim=True)
        cov = (e - mean).t() @ (e - mean) / max(1, e.shape[0] - 1)
        evals, evecs = torch.linalg.eigh(cov)
        order = torch.argsort(evals, descending=True)
        evals, evecs = evals[order], evecs[:, order]
        # orthonormal rotation (as the AudioSet PCA) with one global scale: the leading component
        # gets std 1.0; no per-component whitening, which would amplify rounding noise before the
        # 8-bit quantiser
        scale = 1.0 / float(evals[0].clamp_min(1e-12).sqrt())
        proj = evecs.t() * scale
        if whiten:
            # a trained encoder: every component that carries variance (> 1e-4 of the largest) gets std 0.5
            # (the clamp at +-2 is 4 sigma), so its information spreads over the 8-bit range instead of
            # sitting in a few levels around 127.5; the rest keep the global scale (near-constant)
            std = evals.clamp_min(1e-12).sqrt()
            comp = torch.where(evals > 1e-4 * evals[0], 0.5 / std, torch.full_like(std, scale))
            proj = evecs.t() * comp[:, None]
            scale = comp[:, None]
        # Shift every component by a quarter quantisation step: dimensions that are dead (ReLU
        # zero for every input) would otherwise land exactly on 127.5, where any rounding noise
        # flips the quantised value between runtimes.
        shift = torch.full((e.shape[1], 1), 0.25 * (QUANTIZE_MAX - QUANTIZE_MIN) / 255.0, dtype=torch.float64)
        means = mean.t() - evecs @ (shift / scale)
        self.pproc.pca_eigen_vectors.copy_(proj.float())
        self.pproc.pca_means.copy_(means.float())
