"""Checkpoint files -> state dicts, and strict loading by name and shape (shared by convert and export).

Official detectron2 checkpoints hold the state dict under ``model``; ``acvis.train`` checkpoints also carry
their ``model_config``; DDP prefixes ``module.`` are stripped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, List, Mapping, Tuple

import torch

from .config import from_dict, get_config

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


def load_into(model: torch.nn.Module, sd: Mapping[str, torch.Tensor]) -> KeyReport:
    """Strictly load ``sd`` into ``model``; raises ValueError with the report on any difference."""
    rep = compare_keys(model_shapes(model), {k: tuple(v.shape) for k, v in sd.items()})
    if not rep.ok:
        raise ValueError("checkpoint does not match the model:\n" + rep.describe())
    model.load_state_dict({k: v.float() if v.is_floating_point() else v for k, v in sd.items()}, strict=True)
    return rep
