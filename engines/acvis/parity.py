"""Frame-graph parity on equal attention masks (diagnostic for large inputs).

The frame decoder blocks pixels where ``sigmoid(mask logit) < 0.5``. That threshold is a
discontinuity of the official model: a logit within float noise of 0 can land on either side in two
runtimes, and one flipped pixel moves the outputs by more than 1e-4. At 360x640 with random
weights many logits lie within 1e-4 of 0, so a plain ORT-vs-PyTorch comparison of the frame graph
can fail although both compute the same function.

This tool exports ``frame_forced.onnx`` — the frame graph with the decoder's attention masks as
extra boolean inputs ``attn_mask_<i>`` — and a reference case whose masks are the ones PyTorch
computed. On equal masks ONNX Runtime must then match PyTorch to 1e-4. It also reports the margin
(smallest |logit| that was thresholded) of the case.

    python3 -m acvis.parity --config r50 --size 360x640 --out build/r50-forced [--checkpoint X] [--run]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import warnings
from pathlib import Path
from typing import List, Optional

import numpy as np
import torch
from torch import Tensor, nn

from .export import OPSET, AttentionMargin, frame_output_names, load_model, synthetic_images, synthetic_mel, write_case
from .modeling.model import ACVIS

ORT_JAR = Path.home() / ".m2/repository/com/microsoft/onnxruntime/onnxruntime/1.23.2/onnxruntime-1.23.2.jar"


class ForcedFrameGraph(nn.Module):
    def __init__(self, model: ACVIS):
        super().__init__()
        self.model = model

    def forward(self, image: Tensor, audio_features: Tensor, *masks: Tensor):
        out = self.model.forward_frame(image, audio_features, forced_masks=list(masks))
        return tuple(out[k] for k in frame_output_names(self.model))


def build(config: str, out: str, size=(360, 640), n: int = 1, checkpoint: Optional[str] = None,
          seed: int = 0) -> dict:
    torch.set_num_threads(2)
    model = load_model(config, checkpoint, seed)
    rng = np.random.default_rng(seed + 11)
    image = torch.from_numpy(synthetic_images(n, size[0], size[1], rng))
    with torch.no_grad():
        audio = model.forward_audio(torch.from_numpy(synthetic_mel(n, rng)))
        with AttentionMargin(model) as margin:
            ref = model.forward_frame(image, audio)
    masks: List[Tensor] = ref["attn_masks"]
    names_out = frame_output_names(model)
    names_in = ["image", "audio_features"] + [f"attn_mask_{i}" for i in range(len(masks))]
    out_dir = Path(out)
    out_dir.mkdir(parents=True, exist_ok=True)
    graph = ForcedFrameGraph(model).eval()
    dyn = {"image": {0: "N", 2: "H", 3: "W"}, "audio_features": {0: "N"}}
    dyn.update({f"attn_mask_{i}": {0: "N", 3: f"S{i}"} for i in range(len(masks))})
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(graph, (image, audio, *masks), str(out_dir / "frame_forced.onnx"), input_names=names_in,
                          output_names=names_out, dynamic_axes=dyn, opset_version=OPSET, do_constant_folding=True)
    model.eval()
    case = f"frame_forced_{size[0]}x{size[1]}"
    entry = write_case(out_dir / "reference", case, names_in, (image, audio, *masks), names_out,
                       tuple(ref[k] for k in names_out))
    entry["attention_logit_margin"] = margin.margin
    with open(out_dir / "parity.json", "w") as f:
        json.dump(entry, f, indent=2)
    return entry


def run_ort_check(out: str, entry: dict) -> int:
    tool = Path(__file__).resolve().parents[1] / "tools" / "OrtCheck.java"
    cmd = ["java", "-cp", str(ORT_JAR), str(tool), str(Path(out) / "frame_forced.onnx"), str(Path(out) / entry["dir"])]
    return subprocess.call(cmd)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--config", default="r50")
    ap.add_argument("--size", default="360x640")
    ap.add_argument("--frames", type=int, default=1)
    ap.add_argument("--checkpoint", default=None)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", required=True)
    ap.add_argument("--run", action="store_true", help="run OrtCheck on the case (needs java + the ORT jar)")
    args = ap.parse_args(argv)
    h, w = (int(v) for v in args.size.split("x"))
    entry = build(args.config, args.out, (h, w), args.frames, args.checkpoint, args.seed)
    print(f"case {entry['dir']}: attention logit margin {entry['attention_logit_margin']:.3e}")
    if args.run:
        if shutil.which("java") is None or not ORT_JAR.exists():
            print("java or the ONNX Runtime jar is missing", file=sys.stderr)
            return 2
        return run_ort_check(args.out, entry)
    return 0


if __name__ == "__main__":
    sys.exit(main())
