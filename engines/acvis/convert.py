"""Load an official ACVIS checkpoint (or an ``acvis.train`` one) into our model, then export graphs.

    python3 -m acvis.convert --checkpoint X.pth [--config auto|r50|tiny] [--save Y.pth] [--out DIR]

Official detectron2 checkpoints hold the state dict under ``model``; DDP prefixes ``module.`` are
stripped. Because our module names equal the official ones, conversion is a strict name/shape
check: any missing key, unexpected key or shape mismatch is reported and the command fails
(exit 1). With ``--out`` the four graphs, manifest and reference vectors are exported from the
converted weights (``acvis.export``).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Dict, Mapping, Optional, Tuple

import torch

from .checkpoint import KeyReport, compare_keys, extract_state_dict, load_into, load_state, model_shapes  # noqa: F401
from .config import config_names, get_config, to_dict
from .export import export
from .modeling.model import ACVIS, build_model

RESOURCES = Path(__file__).resolve().parent / "resources"
OFFICIAL_TSV = {"r50": RESOURCES / "acvis-official-params.tsv",
                "avism_r50": RESOURCES / "avism-official-params.tsv"}
def read_params_tsv(path: Path) -> Dict[str, Tuple[int, ...]]:
    """name -> shape from an ``*-official-params.tsv`` listing (comment lines start with #)."""
    out: Dict[str, Tuple[int, ...]] = {}
    with open(path) as f:
        for line in f:
            if line.startswith("#") or line.startswith("name\t") or not line.strip():
                continue
            name, shape, _dtype = line.rstrip("\n").split("\t")
            out[name] = tuple(int(d) for d in shape.split("x")) if shape else ()
    return out


def detect_config(sd: Mapping[str, torch.Tensor]) -> Optional[str]:
    """The config whose model has exactly these names and shapes, if any."""
    shapes = {k: tuple(v.shape) for k, v in sd.items()}
    probe = shapes.get("sem_seg_head.predictor.query_feat.weight")
    # the base configs first: a variant with the same names and shapes (avbench = tiny + input stride) is only
    # chosen by an explicit --config or by the model_config a training checkpoint stores
    base = ("r50", "avism_r50", "tiny")
    for name in base + tuple(n for n in config_names() if n not in base):
        cfg = get_config(name)
        if probe is not None and probe != (cfg.num_queries, cfg.hidden_dim):
            continue   # cheap filter before building a candidate model
        if compare_keys(model_shapes(build_model(cfg)), shapes).ok:
            return name
    return None


def convert(checkpoint: str, config: str = "auto", save: Optional[str] = None,
            out: Optional[str] = None) -> Tuple[ACVIS, KeyReport]:
    sd, stored = load_state(checkpoint)
    if config != "auto":
        cfg = get_config(config)
    else:
        cfg = stored
        if cfg is None:
            name = detect_config(sd)
            if name is None:
                raise ValueError("could not detect the config of the checkpoint; pass --config")
            cfg = get_config(name)
    model = build_model(cfg)
    rep = load_into(model, sd)
    model.eval()
    if save:
        torch.save({"model_config": to_dict(cfg), "model": model.state_dict()}, save)
    if out:
        export(cfg.name, out, checkpoint=save or checkpoint)
    return model, rep


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--checkpoint", required=True)
    ap.add_argument("--config", default="auto", help="auto (detect by names/shapes) or one of "
                    + ", ".join(config_names()))
    ap.add_argument("--save", default=None, help="write the converted state dict here")
    ap.add_argument("--out", default=None, help="export the ONNX graphs + reference vectors here")
    args = ap.parse_args(argv)
    try:
        model, rep = convert(args.checkpoint, args.config, args.save, args.out)
    except ValueError as e:
        print(f"convert: {e}", file=sys.stderr)
        return 1
    n = sum(p.numel() for p in model.parameters())
    print(f"converted {args.checkpoint}: config={model.cfg.name} tensors={len(model.state_dict())} "
          f"parameters={n} {rep.describe()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
