"""Pretrain the audio encoder (VGGish layout) on a dataset's own sounds, then calibrate its PCA.

The official model ships a VGGish trained on AudioSet; a small model trained from scratch has none, and a
frozen *random* VGGish (the old ``tiny`` preset) hands the decoder features from which "which categories
sound now" is hard to read. This step trains the audio encoder alone, before the main training, to predict
per mel patch (= per frame) the set of categories that sound in that second, read from the annotation JSON
(a category sounds in frame t when one of its tracks has a segmentation there), with a linear multi-label
head on the 128-d embedding. Then :meth:`VGGish.calibrate_pca` fits the post-processing on the embeddings,
and the main training keeps the encoder frozen (``audio_backbone_multiplier = 0``), so the exported audio
graph keeps the contract: (N, 1, 96, 64) log-mel in, (N, 128) 8-bit quantised features out.

``python3 -m acvis.audio_pretrain --data DIR --config avbench --out audio.pth`` runs it on its own (the
trainer calls :func:`pretrain_audio` when ``TrainConfig.audio_pretrain_iters`` > 0).
"""

from __future__ import annotations

import argparse
import json
import logging
from pathlib import Path

import numpy as np
import torch
from torch import nn

from acvis.config import NUM_CLASSES
from acvis.data.dataset import AVISegDataset

LOG = logging.getLogger("acvis.audio_pretrain")


def sounding_labels(dataset: AVISegDataset) -> tuple[np.ndarray, np.ndarray]:
    """All mel patches of ``dataset`` [P, 96, 64] float32 and their multi-hot sounding labels [P, 26]."""
    patches, labels = [], []
    for video in dataset.videos:
        mel = dataset.mel(video)[:video.length].astype(np.float32)
        y = np.zeros((video.length, NUM_CLASSES), np.float32)
        for ann in video.annotations:
            for t, seg in enumerate(ann["segmentations"][:video.length]):
                if seg:
                    y[t, ann["label"]] = 1.0
        patches.append(mel)
        labels.append(y)
    return np.concatenate(patches), np.concatenate(labels)


def pretrain_audio(backbone: nn.Module, train: AVISegDataset, *, iters: int = 600, batch: int = 64,
                   lr: float = 2e-3, seed: int = 0, val: AVISegDataset | None = None, whiten: bool = True) -> dict:
    """Train ``backbone.embed`` + a linear head on ``train``'s per-frame sounding categories; calibrate the PCA.

    ``whiten``: per-component PCA scaling (std 0.5 for every component with variance), so the 8-bit features
    spread the learnt information over their range (``False``: one global scale, as for random encoders).
    Returns metrics: final training loss and, on ``val`` (or the training patches), exact-set accuracy
    and per-label accuracy of the head at threshold 0.5.
    """
    x, y = sounding_labels(train)
    if x.shape[0] == 0:
        raise ValueError("no mel patches to pretrain on")
    used = np.flatnonzero(y.any(0))
    gen = torch.Generator().manual_seed(seed)
    head = nn.Linear(backbone.embeddings[-2].out_features, NUM_CLASSES)
    with torch.no_grad():
        torch.manual_seed(seed)
        head.reset_parameters()
    params = [p for p in backbone.parameters() if p.requires_grad] + list(head.parameters())
    opt = torch.optim.AdamW(params, lr=lr, weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=lr, total_steps=iters, pct_start=0.1)
    xt, yt = torch.from_numpy(x)[:, None], torch.from_numpy(y)
    mean_loss = []
    backbone.train()
    for it in range(iters):
        idx = torch.randint(0, xt.shape[0], (batch,), generator=gen)
        xb = xt[idx]
        # small level changes: log-mel + log(gain) shifts every bin (louder/quieter mixtures)
        xb = xb + (torch.rand(batch, 1, 1, 1, generator=gen) - 0.5) * 1.0
        logits = head(backbone.embed(xb))
        loss = nn.functional.binary_cross_entropy_with_logits(logits[:, used], yt[idx][:, used])
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        mean_loss.append(float(loss))
        if (it + 1) % 100 == 0:
            LOG.info("audio pretrain %d/%d: loss %.4f", it + 1, iters, float(np.mean(mean_loss[-100:])))
    backbone.eval()
    metrics = {"audio_pretrain_iters": iters, "audio_pretrain_loss": float(np.mean(mean_loss[-50:]))}
    ex, ey = (x, y) if val is None else sounding_labels(val)
    with torch.no_grad():
        pred = torch.cat([head(backbone.embed(torch.from_numpy(ex[i:i + 256])[:, None])) for i in
                          range(0, ex.shape[0], 256)]).numpy() > 0
    metrics["audio_set_accuracy"] = float((pred[:, used] == (ey[:, used] > 0)).all(1).mean())
    metrics["audio_label_accuracy"] = float((pred[:, used] == (ey[:, used] > 0)).mean())
    metrics["audio_eval_split"] = "val" if val is not None else "train"
    backbone.calibrate_pca(torch.from_numpy(x[:4096])[:, None], whiten=whiten)
    metrics["pca"] = "whiten" if whiten else "scale"
    return metrics


def main(argv=None) -> int:
    from acvis.config import get_config
    from acvis.modeling.model import build_model

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", required=True)
    parser.add_argument("--val-data", help="score the head on this root's val split (default: --data's, if any)")
    parser.add_argument("--config", default="avbench")
    parser.add_argument("--out", required=True, help="state dict of the audio backbone")
    parser.add_argument("--iters", type=int, default=600)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--pca", choices=("whiten", "scale"), default="whiten",
                        help="PCA scaling of the quantiser (see pretrain_audio)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    torch.manual_seed(args.seed)
    model = build_model(get_config(args.config))
    train = AVISegDataset(args.data, "train", filter_empty=False)
    val_root = Path(args.val_data or args.data)
    val = AVISegDataset(val_root, "val", filter_empty=False) if (val_root / "val.json").is_file() else None
    metrics = pretrain_audio(model.audio_backbone, train, iters=args.iters, seed=args.seed, val=val,
                             whiten=args.pca == "whiten")
    torch.save(model.audio_backbone.state_dict(), args.out)
    print(json.dumps(metrics, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
