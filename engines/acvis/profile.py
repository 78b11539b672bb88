"""Model cost: parameters, FLOPs per frame and PyTorch eager CPU latency per stage.

    python3 -m acvis.profile --config r50 [--height 360 --width 640] [--threads 2] [--repeats 3]
                             [--video-frames 6,60] [--json out.json]

FLOPs are counted at the ATen level while the model runs (convolutions, matrix products,
``grid_sample`` taps): one multiply-add = 2 FLOPs; GMACs are reported too because detection papers
often call MACs "FLOPs". Element-wise ops, norms and softmax are not counted.
Latency: median (or ``--stat min``) wall time (and process CPU time, less sensitive to other load on a shared
machine) of ``--repeats`` runs after one warm-up, ``torch.no_grad``, fp32,
``torch.set_num_threads(--threads)``. The 1/5/15-minute load average is printed with the table.
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import sys
import time
from collections import defaultdict
from typing import Callable, Dict, List

import torch
import torch.nn.functional as F
from torch.utils._python_dispatch import TorchDispatchMode

from .config import get_config
from .modeling.model import build_model, video_mask_logits

aten = torch.ops.aten


def _prod(xs) -> int:
    return int(math.prod(int(x) for x in xs))


class FlopCounter(TorchDispatchMode):
    """Counts multiply-adds of the heavy ATen ops dispatched inside the ``with`` block."""

    def __init__(self):
        super().__init__()
        self.macs: Dict[str, int] = defaultdict(int)

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        out = func(*args, **kwargs)
        packet = func.overloadpacket
        if packet is aten.convolution:
            x, w = args[0], args[1]
            groups = args[8] if len(args) > 8 else 1
            self.macs["conv"] += _prod(out.shape) * (x.shape[1] // groups) * _prod(w.shape[2:])
        elif packet in (aten.mm, aten.addmm):
            a, b = (args[0], args[1]) if packet is aten.mm else (args[1], args[2])
            self.macs["matmul"] += a.shape[0] * a.shape[1] * b.shape[1]
        elif packet in (aten.bmm, aten.baddbmm):
            a, b = (args[0], args[1]) if packet is aten.bmm else (args[1], args[2])
            self.macs["matmul"] += a.shape[0] * a.shape[1] * a.shape[2] * b.shape[2]
        elif packet is aten.grid_sampler_2d:
            # bilinear: 4 taps per output element and channel
            self.macs["grid_sample"] += 4 * _prod(out.shape)
        elif packet is aten.upsample_bilinear2d:
            self.macs["upsample"] += 4 * _prod(out.shape)
        return out

    @property
    def total_macs(self) -> int:
        return sum(self.macs.values())


def _timed(fn: Callable[[], object], repeats: int, stat: Callable = statistics.median):
    """(wall seconds, process CPU seconds) after one warm-up run, reduced with ``stat``."""
    fn()
    wall, cpu = [], []
    for _ in range(repeats):
        t0, c0 = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    return stat(wall), stat(cpu)


def profile(config: str, height: int = 360, width: int = 640, threads: int = 2, repeats: int = 3,
            video_frames: List[int] = (6, 60), seed: int = 0, stat: str = "median") -> dict:
    torch.set_num_threads(threads)
    torch.manual_seed(seed)
    cfg = get_config(config)
    model = build_model(cfg).eval()
    n_params = sum(p.numel() for p in model.parameters())
    n_vggish = sum(p.numel() for p in model.audio_backbone.parameters()) if cfg.audio_backbone else 0
    g = torch.Generator().manual_seed(seed)
    image = torch.rand(1, 3, height, width, generator=g) * 255
    mel = torch.randn(1, 1, 96, 64, generator=g) - 3

    rows = []
    with torch.no_grad():
        audio = model.forward_audio(mel)
        x = model.preprocess(image)
        feats = model.backbone(x)
        mf, cmf, ms = model.sem_seg_head.pixel_decoder(feats)
        frame = model.forward_frame(image, audio)
        stages = [
            ("vggish (audio)", lambda: model.forward_audio(mel)),
            ("backbone", lambda: model.backbone(x)),
            ("pixel decoder", lambda: model.sem_seg_head.pixel_decoder(feats)),
            ("frame decoder", lambda: model.sem_seg_head.predictor(ms, mf, audio)),
            ("vita_mask_features", lambda: model.video_module.mask_features(cmf)),
            ("frame graph (all above but audio)", lambda: model.forward_frame(image, audio)),
        ]
        for t in video_frames:
            fq = frame["frame_queries"].expand(t, -1, -1).contiguous()
            au = audio.expand(t, -1).contiguous()
            stages.append((f"video module T={t}", lambda fq=fq, au=au: model.forward_video(fq, au)))
        k = min(cfg.test_topk, cfg.video_queries * 26)
        emb = torch.randn(k, cfg.mask_dim, generator=g)
        m1 = frame["mask_features"][:1]
        stages.append((f"masks graph K={k} (one frame)", lambda: video_mask_logits(emb, m1)))

        for name, fn in stages:
            counter = FlopCounter()
            with counter:
                fn()
            wall, cpu = _timed(fn, repeats, {"median": statistics.median, "min": min}[stat])
            rows.append({"stage": name, "gmacs": counter.total_macs / 1e9, "gflops": 2 * counter.total_macs / 1e9,
                         "latency_s": wall, "cpu_s": cpu,
                         "macs_by_kind": {k2: v / 1e9 for k2, v in counter.macs.items()}})

    per_frame = next(r for r in rows if r["stage"].startswith("frame graph"))
    vgg = next(r for r in rows if r["stage"].startswith("vggish"))
    return {
        "config": config, "height": height, "width": width, "padded": [x.shape[2], x.shape[3]],
        "threads": threads, "repeats": repeats, "stat": stat, "torch": torch.__version__,
        "parameters": n_params, "parameters_without_vggish": n_params - n_vggish,
        "per_frame_gflops": per_frame["gflops"] + vgg["gflops"],
        "per_frame_gmacs": per_frame["gmacs"] + vgg["gmacs"],
        "per_frame_latency_s": per_frame["latency_s"] + vgg["latency_s"],
        "per_frame_cpu_s": per_frame["cpu_s"] + vgg["cpu_s"],
        "load_average": _loadavg(),
        "stages": rows,
    }


def _loadavg():
    try:
        with open("/proc/loadavg") as f:
            return [float(v) for v in f.read().split()[:3]]
    except OSError:
        return None


def format_table(res: dict) -> str:
    lines = [f"config={res['config']} input={res['height']}x{res['width']} (padded {res['padded'][0]}x{res['padded'][1]}) "
             f"threads={res['threads']} {res['stat']} of {res['repeats']} torch={res['torch']} load average (1/5/15 min) at end={res['load_average']}",
             f"parameters={res['parameters']:,} (without VGGish {res['parameters_without_vggish']:,})",
             f"{'stage':40s} {'GMACs':>9s} {'GFLOPs':>9s} {'wall ms':>10s} {'CPU ms':>10s}"]
    for r in res["stages"]:
        lines.append(f"{r['stage']:40s} {r['gmacs']:9.2f} {r['gflops']:9.2f} {r['latency_s'] * 1e3:10.1f} "
                     f"{r['cpu_s'] * 1e3:10.1f}")
    lines.append(f"{'per frame (audio + frame graph)':40s} {res['per_frame_gmacs']:9.2f} "
                 f"{res['per_frame_gflops']:9.2f} {res['per_frame_latency_s'] * 1e3:10.1f} "
                 f"{res['per_frame_cpu_s'] * 1e3:10.1f}")
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--config", default="r50")
    ap.add_argument("--height", type=int, default=360)
    ap.add_argument("--width", type=int, default=640)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--video-frames", default="6,60")
    ap.add_argument("--stat", choices=["median", "min"], default="median",
                    help="reduce the repeats by median, or by min (best case on a shared, noisy machine)")
    ap.add_argument("--json", default=None)
    args = ap.parse_args(argv)
    res = profile(args.config, args.height, args.width, args.threads, args.repeats,
                  [int(t) for t in args.video_frames.split(",") if t], stat=args.stat)
    print(format_table(res))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(res, f, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
