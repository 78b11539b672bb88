"""PyTorch eager latency of the same stages the Java ``bench`` command measures, on the same machine.

    /usr/bin/python3 engines/tools/bench_torch.py --model engines/models/tiny [--frames 20] [--threads 2]

The model configuration comes from ``<model>/manifest.json`` (``config``); weights are a seeded random init,
which does not change the timing. Stages (360x640 frames, eval mode, ``torch.no_grad``):

* ``encode`` batch 1 and 8: ``forward_audio`` (VGGish on the log-mel patches) + ``forward_frame``
  (backbone, pixel decoder, frame decoder, m_t) -- the per-frame work;
* ``decode``: ``forward_video`` on a window of W frames + the official candidate step of spec §5 for the
  newest frame (softmax, top-k pairs, ``e_k . m_t`` upsampled x4, mask scores).

Prints one JSON object per line: ``{"stage", "batch", "p50_ms", "p99_ms", "fps", "calls"}`` where latencies
are per call and ``fps`` counts frames (batch / mean call time).

``--serve``: build everything, print ``{"ready": true}``, then run one timed call per stdin line
(``encode <batch>`` or ``decode``) and answer ``{"ms": ...}``. The Java bench uses this to interleave PyTorch
and Java calls one by one, so both see the same machine load (this machine is shared).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))  # engines/

from acvis.config import get_config  # noqa: E402
from acvis.modeling.model import build_model, video_mask_logits  # noqa: E402

HEIGHT, WIDTH = 360, 640


def percentile(sorted_ms, q):
    index = max(0, math.ceil(q * len(sorted_ms)) - 1)
    return sorted_ms[index]


def measure(fn, calls: int, warmup: int = 2):
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(calls):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000.0)
    times.sort()
    return times


def report(stage: str, batch: int, times) -> None:
    mean = sum(times) / len(times)
    print(json.dumps({"stage": stage, "batch": batch, "p50_ms": percentile(times, 0.5),
                      "p99_ms": percentile(times, 0.99), "fps": batch * 1000.0 / mean, "calls": len(times)}),
          flush=True)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="engines/models/tiny", help="export dir with manifest.json")
    parser.add_argument("--frames", type=int, default=20, help="timed calls per stage")
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--batches", default="1,8")
    parser.add_argument("--top-k", type=int, default=100)
    parser.add_argument("--serve", action="store_true", help="interleaved mode driven by stdin (see above)")
    args = parser.parse_args(argv)

    with open(os.path.join(args.model, "manifest.json")) as f:
        manifest = json.load(f)
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    cfg = get_config(manifest["config"])
    model = build_model(cfg).eval()
    window = int(manifest.get("window_size", 6))
    rng = np.random.default_rng(0)

    with torch.no_grad():
        if args.serve:
            return serve(model, window, rng, args)
        for batch in [int(b) for b in args.batches.split(",")]:
            images = torch.from_numpy(rng.integers(0, 256, (batch, 3, HEIGHT, WIDTH)).astype(np.float32))
            mel = torch.from_numpy(rng.normal(-3.0, 1.0, (batch, 1, 96, 64)).astype(np.float32))

            def encode():
                audio = model.forward_audio(mel)
                return model.forward_frame(images, audio)

            report("encode", batch, measure(encode, max(2, args.frames // batch)))

        images = torch.from_numpy(rng.integers(0, 256, (1, 3, HEIGHT, WIDTH)).astype(np.float32))
        audio = model.forward_audio(torch.from_numpy(rng.normal(-3.0, 1.0, (1, 1, 96, 64)).astype(np.float32)))
        frame = model.forward_frame(images, audio)
        queries = frame["frame_queries"].repeat(window, 1, 1)
        audio_w = audio.repeat(window, 1)
        m = frame["mask_features"]

        def decode():
            video = model.forward_video(queries, audio_w)
            scores = F.softmax(video["class_logits"], dim=-1)[:, :-1]
            k = min(args.top_k, scores.numel())
            top, index = scores.flatten().topk(k, sorted=False)
            embed = video["mask_embed"][index // scores.shape[1]]
            logits = video_mask_logits(embed, m)[:, :HEIGHT, :WIDTH]
            sig = logits.sigmoid()
            fg = (sig > 0.5).float()
            return top * (sig * fg).flatten(1).sum(1) / (fg.flatten(1).sum(1) + 1e-6)

        report("decode", 1, measure(decode, args.frames))
    return 0


def make_stages(model, window, rng, batches, top_k):
    """Callables per stage name (``encode <batch>``, ``decode``) on fixed random inputs."""
    stages = {}
    for batch in batches:
        images = torch.from_numpy(rng.integers(0, 256, (batch, 3, HEIGHT, WIDTH)).astype(np.float32))
        mel = torch.from_numpy(rng.normal(-3.0, 1.0, (batch, 1, 96, 64)).astype(np.float32))
        stages[f"encode {batch}"] = (lambda im=images, me=mel: model.forward_frame(im, model.forward_audio(me)))
    images = torch.from_numpy(rng.integers(0, 256, (1, 3, HEIGHT, WIDTH)).astype(np.float32))
    audio = model.forward_audio(torch.from_numpy(rng.normal(-3.0, 1.0, (1, 1, 96, 64)).astype(np.float32)))
    frame = model.forward_frame(images, audio)
    queries = frame["frame_queries"].repeat(window, 1, 1)
    audio_w = audio.repeat(window, 1)
    m = frame["mask_features"]

    def decode():
        video = model.forward_video(queries, audio_w)
        scores = F.softmax(video["class_logits"], dim=-1)[:, :-1]
        k = min(top_k, scores.numel())
        top, index = scores.flatten().topk(k, sorted=False)
        embed = video["mask_embed"][index // scores.shape[1]]
        logits = video_mask_logits(embed, m)[:, :HEIGHT, :WIDTH]
        sig = logits.sigmoid()
        fg = (sig > 0.5).float()
        return top * (sig * fg).flatten(1).sum(1) / (fg.flatten(1).sum(1) + 1e-6)

    stages["decode"] = decode
    return stages


def serve(model, window, rng, args) -> int:
    stages = make_stages(model, window, rng, [int(b) for b in args.batches.split(",")], args.top_k)
    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        name = line.strip()
        if not name:
            continue
        if name not in stages:
            print(json.dumps({"error": f"unknown stage {name!r}"}), flush=True)
            continue
        start = time.perf_counter()
        stages[name]()
        print(json.dumps({"ms": (time.perf_counter() - start) * 1000.0}), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
