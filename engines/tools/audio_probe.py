"""How much of the sounding count the frozen 8-bit audio features carry: a linear probe.

``/usr/bin/python3 tools/audio_probe.py CHECKPOINT DATA [--train-split train --test-split test]``

Computes the audio graph's features (``forward_audio``, quantised) of every frame of both splits with the
checkpoint's audio encoder, standardises them with the training statistics, fits a softmax classifier
(300 Adam steps, seed 0) to ``min(instance_cnt, 2)`` on the training split and prints its accuracy on the
test split next to the majority-class rate. Independent of the decoder: an upper-bound-ish check that the
features let a model hear how many objects sound.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from acvis.config import from_dict  # noqa: E402
from acvis.data.dataset import AVISegDataset  # noqa: E402
from acvis.modeling.model import build_model  # noqa: E402


def features(model, dataset):
    x, y = [], []
    for v in dataset.videos:
        x.append(dataset.mel(v)[:v.length])
        y.append(np.minimum(dataset.counts(v)[:v.length], 2))
    with torch.no_grad():
        f = model.forward_audio(torch.from_numpy(np.concatenate(x).astype(np.float32)))
    return f, torch.from_numpy(np.concatenate(y))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("checkpoint")
    ap.add_argument("data")
    ap.add_argument("--train-split", default="train")
    ap.add_argument("--test-split", default="test")
    args = ap.parse_args(argv)
    torch.set_num_threads(1)
    torch.manual_seed(0)
    state = torch.load(args.checkpoint, map_location="cpu")
    model = build_model(from_dict(state["model_config"]))
    model.load_state_dict(state["model"])
    model.eval()
    ftr, ytr = features(model, AVISegDataset(args.data, args.train_split, filter_empty=False))
    fte, yte = features(model, AVISegDataset(args.data, args.test_split, filter_empty=False))
    mean, std = ftr.mean(0), ftr.std(0) + 1e-3
    lin = torch.nn.Linear(ftr.shape[1], 3)
    opt = torch.optim.Adam(lin.parameters(), 1e-2)
    for _ in range(300):
        loss = torch.nn.functional.cross_entropy(lin((ftr - mean) / std), ytr)
        opt.zero_grad()
        loss.backward()
        opt.step()
    acc = float((lin((fte - mean) / std).argmax(1) == yte).float().mean())
    majority = int(torch.bincount(ytr, minlength=3).argmax())
    out = {"checkpoint": args.checkpoint, "probe_count_accuracy": acc,
           "majority_class": majority, "majority_accuracy": float((yte == majority).float().mean()),
           "features_distinct_levels_mean": float(np.mean([len(torch.unique(ftr[:, d])) for d in range(ftr.shape[1])])),
           "test_frames": int(yte.numel())}
    print(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
