"""Export the four ONNX graphs of ``engines/CONTRACT.md`` plus manifest and reference vectors.

    python3 -m acvis.export --config tiny|r50 [--checkpoint X.pth] [--seed 0] --out DIR

Graphs: ``audio`` (mel -> quantised VGGish features), ``frame`` (raw RGB + audio features ->
frame queries, count logits, video mask features, frame-decoder diagnostics), ``video`` (frame
queries + audio features of T frames -> class logits, mask and similarity embeddings) and
``masks`` (mask embeddings x mask features -> x4 upsampled mask logits). Reference vectors are the
PyTorch eager outputs for seeded inputs, one canonical case per graph in ``reference/<graph>/``
and extra shape cases (other T, other image sizes, other K) in ``reference/<graph>_<case>/``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import sys
import warnings
from pathlib import Path
from typing import Dict, List, Optional, Tuple

import numpy as np
import torch
from torch import Tensor, nn

from .checkpoint import load_into, load_state
from .config import AUDIO_DIM, MEL_SHAPE, NUM_CLASSES, PIXEL_MEAN, PIXEL_STD, SIZE_DIVISIBILITY, get_config, to_dict
from .evaluation import heard_scores
from .modeling.model import ACVIS, build_model, video_mask_logits

OPSET = 17
CONTRACT_VERSION = 1
GRAPHS = ("audio", "frame", "video", "masks")
# Optional graphs: an engine runs without them; "pixel" = m_t alone, for fresh masks between inferences.
OPTIONAL_GRAPHS = ("pixel",)


# ------------------------------------------------------------------------------------ wrappers
class AudioGraph(nn.Module):
    def __init__(self, model: ACVIS):
        super().__init__()
        self.model = model

    def forward(self, mel: Tensor) -> Tensor:
        return self.model.forward_audio(mel)


class FrameGraph(nn.Module):
    def __init__(self, model: ACVIS):
        super().__init__()
        self.model = model

    def forward(self, image: Tensor, audio_features: Tensor):
        out = self.model.forward_frame(image, audio_features)
        return tuple(out[k] for k in frame_output_names(self.model))


class PixelGraph(nn.Module):
    def __init__(self, model: ACVIS):
        super().__init__()
        self.model = model

    def forward(self, image: Tensor) -> Tensor:
        return self.model.forward_mask_features(image)


class VideoGraph(nn.Module):
    def __init__(self, model: ACVIS):
        super().__init__()
        self.model = model

    def forward(self, frame_queries: Tensor, audio_features: Tensor):
        out = self.model.forward_video(frame_queries, audio_features)
        return out["class_logits"], out["mask_embed"], out["sim_embed"]


class MasksGraph(nn.Module):
    def forward(self, mask_embed: Tensor, mask_features: Tensor) -> Tensor:
        return video_mask_logits(mask_embed, mask_features)


def frame_output_names(model: ACVIS) -> List[str]:
    names = ["frame_queries"]
    if model.cfg.count_token:
        names.append("count_logits")
    return names + ["mask_features", "pred_logits", "pred_masks"]


def graph_spec(model: ACVIS) -> Dict[str, dict]:
    """Input/output names and dynamic axes of every graph (wrappers in eval mode: torch.onnx.export
    restores the wrapper's training flag recursively onto the model afterwards)."""
    return {
        "audio": dict(module=AudioGraph(model).eval(), inputs=["mel"], outputs=["audio_features"],
                      dynamic={"mel": {0: "N"}, "audio_features": {0: "N"}}),
        "frame": dict(module=FrameGraph(model).eval(), inputs=["image", "audio_features"],
                      outputs=frame_output_names(model),
                      dynamic={"image": {0: "N", 2: "H", 3: "W"}, "audio_features": {0: "N"},
                               "frame_queries": {0: "N"}, "count_logits": {0: "N"},
                               "mask_features": {0: "N", 2: "h", 3: "w"}, "pred_logits": {0: "N"},
                               "pred_masks": {0: "N", 2: "h", 3: "w"}}),
        "pixel": dict(module=PixelGraph(model).eval(), inputs=["image"], outputs=["mask_features"],
                      dynamic={"image": {0: "N", 2: "H", 3: "W"}, "mask_features": {0: "N", 2: "h", 3: "w"}}),
        "video": dict(module=VideoGraph(model).eval(), inputs=["frame_queries", "audio_features"],
                      outputs=["class_logits", "mask_embed", "sim_embed"],
                      dynamic={"frame_queries": {0: "T"}, "audio_features": {0: "T"}}),
        "masks": dict(module=MasksGraph().eval(), inputs=["mask_embed", "mask_features"], outputs=["mask_logits"],
                      dynamic={"mask_embed": {0: "K"}, "mask_features": {2: "h", 3: "w"},
                               "mask_logits": {0: "K", 1: "H4", 2: "W4"}}),
    }


# ------------------------------------------------------------------------------------ inputs
def synthetic_mel(n: int, rng: np.random.Generator) -> np.ndarray:
    """Log-mel patches of seeded tones + noise through the project's VGGish front end (float32)."""
    from . import mel as melmod
    patches = []
    t = np.arange(16000) / 16000.0
    for i in range(n):
        f = rng.uniform(200, 3000)
        wave = 0.3 * np.sin(2 * np.pi * f * t) * (i % 3 != 2) + 0.05 * rng.standard_normal(16000)
        patches.append(melmod.patch_for_window(wave))
    return np.stack(patches).astype(np.float32)[:, None]          # [N, 1, 96, 64]


def synthetic_images(n: int, h: int, w: int, rng: np.random.Generator) -> np.ndarray:
    """Smooth coloured blobs on a gradient, integer RGB 0..255 as float32 [N, 3, H, W]."""
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    imgs = []
    for _ in range(n):
        base = np.stack([xx / w * 200, yy / h * 200, np.full_like(xx, 60)], 0)
        for _ in range(3):
            cy, cx, r = rng.uniform(0, h), rng.uniform(0, w), rng.uniform(0.1, 0.3) * min(h, w)
            col = rng.uniform(0, 255, size=3).astype(np.float32)
            blob = ((yy - cy) ** 2 + (xx - cx) ** 2) < r * r
            base[:, blob] = col[:, None]
        imgs.append(np.clip(np.round(base + rng.normal(0, 4, base.shape)), 0, 255))
    return np.stack(imgs).astype(np.float32)


# ------------------------------------------------------------------------------------ model
def load_model(config: str, checkpoint: Optional[str], seed: int) -> ACVIS:
    cfg = get_config(config)
    sd = None
    if checkpoint:
        sd, stored = load_state(checkpoint)
        cfg = stored or cfg     # a training checkpoint carries its exact ModelConfig
    torch.manual_seed(seed)
    model = build_model(cfg)
    if sd is not None:
        load_into(model, sd)
    elif cfg.audio_backbone:
        # random init: fit the PCA of the quantiser so features use the 0..255 range
        rng = np.random.default_rng(seed + 1)
        model.audio_backbone.calibrate_pca(torch.from_numpy(synthetic_mel(256, rng)))
    return model.eval()


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def export_graph(name: str, spec: dict, example: Tuple[Tensor, ...], out_dir: Path) -> Path:
    path = out_dir / f"{name}.onnx"
    with torch.no_grad(), warnings.catch_warnings():
        # shape-derived sizes are traced on purpose (dynamic axes); the tracer's notes are noise
        warnings.simplefilter("ignore")
        torch.onnx.export(spec["module"], example, str(path), input_names=spec["inputs"],
                          output_names=spec["outputs"],
                          dynamic_axes={k: v for k, v in spec["dynamic"].items()
                                        if k in spec["inputs"] + spec["outputs"]},
                          opset_version=OPSET, do_constant_folding=True)
    import onnx
    onnx.checker.check_model(onnx.load(str(path)))
    return path


def write_case(ref_root: Path, case: str, names_in: List[str], inputs: Tuple[Tensor, ...],
               names_out: List[str], outputs: Tuple[Tensor, ...]) -> dict:
    d = ref_root / case
    entry = {"dir": f"reference/{case}", "inputs": {}, "outputs": {}}
    for kind, names, tensors in (("inputs", names_in, inputs), ("outputs", names_out, outputs)):
        (d / kind).mkdir(parents=True, exist_ok=True)
        for n, t in zip(names, tensors):
            a = t.detach().cpu().numpy()
            a = np.ascontiguousarray(a.astype(np.float32) if a.dtype == np.float64 else a)
            np.save(d / kind / f"{n}.npy", a)
            entry[kind][n] = {"shape": list(a.shape), "dtype": str(a.dtype)}
    return entry


class AttentionMargin:
    """Records the smallest |mask logit| that the frame decoder thresholds into attention masks.

    The masked attention blocks pixels where sigmoid(logit) < 0.5, a discontinuity: a logit within
    float noise (~1e-6) of 0 can flip between runtimes and move the outputs by more than 1e-4.
    Reference cases with a margin well above the noise are stable parity checks.
    """

    def __init__(self, model: ACVIS):
        self.decoder = model.sem_seg_head.predictor
        self.margin = float("inf")

    def __enter__(self):
        original = self.decoder._prediction_heads

        def heads(output, mask_features, target):
            res = original(output, mask_features, target)
            att = torch.nn.functional.interpolate(res[1], size=(target.shape[2], target.shape[3]),
                                                  mode="bilinear", align_corners=False)
            self.margin = min(self.margin, float(att.abs().min()))
            return res

        self.decoder._prediction_heads = heads
        return self

    def __exit__(self, *exc):
        del self.decoder._prediction_heads   # back to the class method
        return False


def run_cases(model: ACVIS, seed: int, image_sizes: List[Tuple[int, int]], video_lengths: List[int],
              frames_per_case: int = 2):
    """Seeded inputs and eager outputs for every graph and shape case."""
    rng = np.random.default_rng(seed)
    spec = graph_spec(model)
    cases: Dict[str, List[Tuple[str, tuple, tuple]]] = {g: [] for g in GRAPHS + OPTIONAL_GRAPHS}
    margins: Dict[str, float] = {}
    with torch.no_grad():
        mel = torch.from_numpy(synthetic_mel(3, rng))
        aud = spec["audio"]["module"](mel)
        cases["audio"].append(("audio", (mel,), (aud,)))
        mel1 = torch.from_numpy(synthetic_mel(1, rng))
        cases["audio"].append(("audio_n1", (mel1,), (spec["audio"]["module"](mel1),)))

        frame_out = None
        for i, (h, w) in enumerate(image_sizes):
            name = "frame" if i == 0 else f"frame_{h}x{w}"
            n = frames_per_case if i == 0 else 1
            img = torch.from_numpy(synthetic_images(n, h, w, rng))
            a = aud[:n]
            with AttentionMargin(model) as margin:
                outs = spec["frame"]["module"](img, a)
            margins[name] = margin.margin
            cases["frame"].append((name, (img, a), outs))
            # the same images through the pixel graph: its m_t is the frame graph's
            cases["pixel"].append(("pixel" + name[len("frame"):], (img,), (spec["pixel"]["module"](img),)))
            if frame_out is None:
                frame_out = dict(zip(spec["frame"]["outputs"], outs))

        # video inputs: real frame queries of a short clip, extended by seeded perturbation
        base_fq = frame_out["frame_queries"]
        for i, t in enumerate(video_lengths):
            g = torch.Generator().manual_seed(seed * 1000 + t)
            reps = base_fq[torch.arange(t) % base_fq.shape[0]]
            fq = reps + 0.1 * torch.randn(reps.shape, generator=g)
            af = torch.round(torch.rand(t, AUDIO_DIM, generator=g) * 255)
            outs = spec["video"]["module"](fq, af)
            name = "video" if i == 0 else f"video_t{t}"
            cases["video"].append((name, (fq, af), outs))
            if i == 0:
                video_out = dict(zip(spec["video"]["outputs"], outs))

        emb = video_out["mask_embed"][:5].contiguous()
        mf = frame_out["mask_features"][:1].contiguous()
        cases["masks"].append(("masks", (emb, mf), (spec["masks"]["module"](emb, mf),)))
        emb1 = video_out["mask_embed"][:1].contiguous()
        mf2 = torch.randn(1, mf.shape[1], 5, 7, generator=torch.Generator().manual_seed(seed))
        cases["masks"].append(("masks_k1", (emb1, mf2), (spec["masks"]["module"](emb1, mf2),)))
    return spec, cases, margins


def write_offline_case(model: ACVIS, ref_root: Path, seed: int, t: int = 7, size: Tuple[int, int] = (72, 128),
                       output_size: Tuple[int, int] = (144, 256), top_masks: int = 3) -> dict:
    """End-to-end reference of offline-exact inference (spec §5) on one seeded clip.

    Inputs: resized frames, mel patches, original size. Outputs: per-frame tensors, video outputs,
    every top-k candidate before the 0.3 threshold (query, label, class prob, mask score, score,
    kept) and the binary masks of the best ``top_masks`` candidates at the original size.
    """
    rng = np.random.default_rng(seed + 7)
    images = torch.from_numpy(synthetic_images(t, size[0], size[1], rng))
    mel = torch.from_numpy(synthetic_mel(t, rng))
    with torch.no_grad():
        res = model.inference(images, mel, output_size=output_size)
        audio = model.forward_audio(mel)
        frame = model.forward_frame(images, audio)
    cand = res["candidates"]
    keep = cand["score"] > model.cfg.test_score_threshold
    heard = torch.from_numpy(heard_scores(dict(res["frame"], mask_embed=res["video"]["mask_embed"][cand["query_index"]]),
                                          cand["labels"].tolist()))
    names_in = ["images", "mel", "output_size"]
    ins = (images, mel, torch.tensor(output_size, dtype=torch.int64))
    names_out = ["audio_features", "frame_queries", "mask_features", "class_logits", "mask_embed", "sim_embed",
                 "cand_query_index", "cand_labels", "cand_class_prob", "cand_mask_score", "cand_score",
                 "cand_kept", "cand_masks_top", "cand_heard"]
    outs = (audio, frame["frame_queries"], frame["mask_features"], res["video"]["class_logits"],
            res["video"]["mask_embed"], res["video"]["sim_embed"], cand["query_index"], cand["labels"],
            cand["class_prob"], cand["mask_score"], cand["score"], keep.to(torch.uint8),
            cand["masks"][:top_masks].to(torch.uint8), heard)
    entry = write_case(ref_root, "offline", names_in, ins, names_out, outs)
    entry["description"] = ("offline-exact inference (spec §5) of one clip: candidates are the top-k (query, class) "
                            "pairs in descending class probability; cand_score = class_prob * mask_score; kept = "
                            f"score > {model.cfg.test_score_threshold}; cand_masks_top = logit > 0 masks of the first "
                            f"{top_masks} candidates at output_size; cand_heard [candidate, frame] = "
                            "acvis.evaluation.heard_scores (the frame decoder's hearing of each candidate)")
    return entry


def export_with_cases(g: str, spec: dict, cases: dict, margins: dict, out_dir: Path, ref_root: Path) -> dict:
    """One graph and its reference cases; returns its manifest entry."""
    first_inputs = cases[g][0][1]
    path = export_graph(g, spec[g], first_inputs, out_dir)
    entry = {"file": path.name, "sha256": sha256(path), "bytes": path.stat().st_size,
             "inputs": spec[g]["inputs"], "outputs": spec[g]["outputs"],
             "dynamic_axes": {k: {str(a): n for a, n in v.items()} for k, v in spec[g]["dynamic"].items()
                              if k in spec[g]["inputs"] + spec[g]["outputs"]},
             "reference": []}
    for name, ins, outs in cases[g]:
        case = write_case(ref_root, name, spec[g]["inputs"], ins, spec[g]["outputs"], outs)
        if name in margins:
            case["attention_logit_margin"] = margins[name]
        entry["reference"].append(case)
    return entry


def add_graph(out: str, graph: str) -> dict:
    """Adds one graph (e.g. the optional ``pixel``) to an existing export from its own ``weights.pth``, leaving the
    other graphs, their reference cases and the rest of the manifest as they are."""
    torch.set_num_threads(max(1, min(2, torch.get_num_threads())))
    out_dir = Path(out)
    with open(out_dir / "manifest.json") as f:
        manifest = json.load(f)
    weights = out_dir / manifest["weights"]["file"]
    if sha256(weights) != manifest["weights"]["sha256"]:
        raise ValueError(f"{weights} is not the file the manifest names")
    model = load_model(manifest["config"], str(weights), manifest["seed"])
    sizes = [tuple(c["inputs"]["image"]["shape"][2:]) for c in manifest["graphs"]["frame"]["reference"]]
    lengths = [c["inputs"]["frame_queries"]["shape"][0] for c in manifest["graphs"]["video"]["reference"]]
    spec, cases, margins = run_cases(model, manifest["seed"], sizes, lengths)
    manifest["graphs"][graph] = export_with_cases(graph, spec, cases, margins, out_dir, out_dir / "reference")
    with open(out_dir / "manifest.json", "w") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")
    return manifest


def export(config: str, out: str, checkpoint: Optional[str] = None, seed: int = 0,
           image_sizes: Optional[List[Tuple[int, int]]] = None,
           video_lengths: Optional[List[int]] = None, save_weights: Optional[bool] = None) -> dict:
    torch.set_num_threads(max(1, min(2, torch.get_num_threads())))
    model = load_model(config, checkpoint, seed)
    cfg = model.cfg
    if not cfg.audio_backbone:
        raise ValueError(f"config '{config}' has no audio backbone; the graph contract needs one")
    image_sizes = image_sizes or [(90, 160), (100, 75)]
    video_lengths = video_lengths or [5, 1, 7, 13]
    out_dir = Path(out)
    out_dir.mkdir(parents=True, exist_ok=True)
    ref_root = out_dir / "reference"
    spec, cases, margins = run_cases(model, seed, image_sizes, video_lengths)

    manifest = {
        "contract_version": CONTRACT_VERSION,
        "config": cfg.name,
        "checkpoint": os.path.basename(checkpoint) if checkpoint else None,
        "checkpoint_sha256": sha256(Path(checkpoint)) if checkpoint else None,
        "seed": seed,
        "opset": OPSET,
        "num_queries": cfg.num_queries,
        "video_queries": cfg.video_queries,
        "hidden_dim": cfg.hidden_dim,
        "mask_dim": cfg.mask_dim,
        "audio_dim": AUDIO_DIM,
        "mel_shape": list(MEL_SHAPE),
        "num_classes": NUM_CLASSES,
        "no_object_index": NUM_CLASSES,
        "kmax": cfg.kmax if cfg.count_token else 0,
        "window_size": cfg.window_size,
        "size_divisibility": SIZE_DIVISIBILITY,
        "mask_stride": 4,
        "pixel_mean": list(PIXEL_MEAN),
        "pixel_std": list(PIXEL_STD),
        "test_topk": cfg.test_topk,
        "test_score_threshold": cfg.test_score_threshold,
        "parameters": sum(p.numel() for p in model.parameters()),
        "model_config": to_dict(cfg),
        "torch_version": torch.__version__,
        "graphs": {},
    }
    for g in GRAPHS + OPTIONAL_GRAPHS:
        manifest["graphs"][g] = export_with_cases(g, spec, cases, margins, out_dir, ref_root)
    n_params = manifest["parameters"]
    if save_weights if save_weights is not None else n_params < 50_000_000:
        # the exact weights of the graphs, loadable with acvis.checkpoint.load_state
        torch.save({"model_config": to_dict(cfg), "model": model.state_dict()}, out_dir / "weights.pth")
        manifest["weights"] = {"file": "weights.pth", "sha256": sha256(out_dir / "weights.pth")}
    # torch.onnx.export restores the wrapper's training flag onto the model: back to eval
    model.eval()
    manifest["offline"] = write_offline_case(model, ref_root, seed)
    with open(out_dir / "manifest.json", "w") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")
    return manifest


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--config", required=True)
    ap.add_argument("--checkpoint", default=None, help="official-format or acvis.train checkpoint")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", required=True)
    ap.add_argument("--image-sizes", default=None, help="HxW[,HxW...] of the frame cases (default 90x160,100x75)")
    ap.add_argument("--video-lengths", default=None, help="T[,T...] of the video cases (default 5,1,7,13)")
    ap.add_argument("--save-weights", action="store_true", default=None,
                    help="write weights.pth also for large configs")
    ap.add_argument("--add", default=None, choices=OPTIONAL_GRAPHS,
                    help="only add this optional graph to the export in --out, from its weights.pth")
    args = ap.parse_args(argv)
    if args.add:
        m = add_graph(args.out, args.add)
        e = m["graphs"][args.add]
        print(f"{args.add:6s} {e['bytes'] / 1e6:8.2f} MB  {e['sha256'][:16]}  cases={len(e['reference'])}")
        return 0
    sizes = [tuple(int(v) for v in s.split("x")) for s in args.image_sizes.split(",")] if args.image_sizes else None
    lengths = [int(t) for t in args.video_lengths.split(",")] if args.video_lengths else None
    m = export(args.config, args.out, args.checkpoint, args.seed, sizes, lengths, args.save_weights)
    for g, e in m["graphs"].items():
        print(f"{g:6s} {e['bytes'] / 1e6:8.2f} MB  {e['sha256'][:16]}  cases={len(e['reference'])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
