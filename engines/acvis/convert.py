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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Mapping, Optional, Tuple

import torch

from .config import ModelConfig, config_names, from_dict, get_config, to_dict
from .modeling.model import ACVIS, build_model

RESOURCES = Path(__file__).resolve().parent / "resources"
OFFICIAL_TSV = {"r50": RESOURCES / "acvis-official-params.tsv",
                "avism_r50": RESOURCES / "avism-official-params.tsv"}
STATE_KEYS = ("model", "state_dict", "model_state_dict", "model_state")


@dataclass
class KeyReport:
    missing: List[str] = field(default_factory=list)
    unexpected: List[str] = field(default_factory=list)
    mismatched: List[Tuple[str, Tuple[int, ...], Tuple[int, ...]]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.missing or self.unexpected or self.mismatched)

    def describe(self, limit: int = 20) -> str:
        lines = [f"missing={len(self.missing)} unexpected={len(self.unexpected)} "
                 f"shape_mismatch={len(self.mismatched)}"]
        lines += [f"  missing    {k}" for k in self.missing[:limit]]
        lines += [f"  unexpected {k}" for k in self.unexpected[:limit]]
        lines += [f"  shape      {k}: checkpoint {a} vs model {b}" for k, a, b in self.mismatched[:limit]]
        return "\n".join(lines)


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


def compare_keys(model_shapes: Mapping[str, Tuple[int, ...]], ckpt_shapes: Mapping[str, Tuple[int, ...]]) -> KeyReport:
    rep = KeyReport()
    rep.missing = [k for k in model_shapes if k not in ckpt_shapes]
    rep.unexpected = [k for k in ckpt_shapes if k not in model_shapes]
    rep.mismatched = [(k, tuple(ckpt_shapes[k]), tuple(model_shapes[k]))
                      for k in model_shapes if k in ckpt_shapes and tuple(ckpt_shapes[k]) != tuple(model_shapes[k])]
    return rep


def model_shapes(model: torch.nn.Module) -> Dict[str, Tuple[int, ...]]:
    return {k: tuple(v.shape) for k, v in model.state_dict().items()}


def extract_state_dict(obj) -> Dict[str, torch.Tensor]:
    """The tensor dict inside a checkpoint object, ``module.`` prefixes removed."""
    if isinstance(obj, Mapping):
        for key in STATE_KEYS:
            if key in obj and isinstance(obj[key], Mapping):
                obj = obj[key]
                break
    if not isinstance(obj, Mapping):
        raise ValueError("checkpoint holds no state dict")
    sd = {k: v for k, v in obj.items() if torch.is_tensor(v)}
    if sd and all(k.startswith("module.") for k in sd):
        sd = {k[len("module."):]: v for k, v in sd.items()}
    return sd


def load_state(path: str):
    """(state dict, stored ModelConfig or None) of a checkpoint file."""
    obj = torch.load(path, map_location="cpu")
    cfg = None
    if isinstance(obj, Mapping):
        if isinstance(obj.get("model_config"), Mapping):      # acvis.train checkpoints
            cfg = from_dict(obj["model_config"])
        elif isinstance(obj.get("config"), str):               # acvis.convert --save
            cfg = get_config(obj["config"])
    return extract_state_dict(obj), cfg


def detect_config(sd: Mapping[str, torch.Tensor]) -> Optional[str]:
    """The config whose model has exactly these names and shapes, if any."""
    shapes = {k: tuple(v.shape) for k, v in sd.items()}
    probe = shapes.get("sem_seg_head.predictor.query_feat.weight")
    for name in config_names():
        cfg = get_config(name)
        if probe is not None and probe != (cfg.num_queries, cfg.hidden_dim):
            continue   # cheap filter before building a candidate model
        if compare_keys(model_shapes(build_model(cfg)), shapes).ok:
            return name
    return None


def load_into(model: ACVIS, sd: Mapping[str, torch.Tensor]) -> KeyReport:
    """Strictly load ``sd`` into ``model``; raises ValueError with the report on any difference."""
    rep = compare_keys(model_shapes(model), {k: tuple(v.shape) for k, v in sd.items()})
    if not rep.ok:
        raise ValueError("checkpoint does not match the model:\n" + rep.describe())
    model.load_state_dict({k: v.float() if v.is_floating_point() else v for k, v in sd.items()}, strict=True)
    return rep


def load_checkpoint_into(model: ACVIS, path: str) -> KeyReport:
    sd, _ = load_state(path)
    return load_into(model, sd)


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
        from .export import export
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
