"""Train ACVIS on an AVISeg-format dataset (spec §4).

``python3 -m acvis.train --config tiny --data DIR --out DIR [--resume] [--iters N]``

One iteration = ``clips_per_iter`` clips of one video each (the official setup is 2 GPUs x 1 video,
whose DDP gradient average equals the mean of the clip losses). AdamW with the official parameter
groups (LR x ``backbone_multiplier`` for modules named ``*backbone*``, no weight decay on norm layers
and embeddings), full-model gradient clipping, multi-step LR. Everything random is a function of
``--seed`` and the iteration number, so a resumed run continues exactly as an uninterrupted one.

Writes to ``--out``: ``last.pth`` (``{"model": state_dict, "optimizer", "scheduler", "iteration",
"model_config", "train_config", "history"}``; ``model`` loads into ``build_model(get_config(name))``),
``metrics.jsonl`` (one line per logged iteration), ``loss_curve.png`` and, after the last iteration,
``eval.json`` (count accuracy and a track-recall proxy on the ``test`` split, when present) plus
``results.json`` (official results format, for the Java evaluator).
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import os
import shutil
import time
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import numpy as np
import torch
from tqdm import tqdm

from acvis.config import get_config, to_dict
from acvis.data.augmentation import ClipAugmentation
from acvis.data.dataset import AVISegDataset, ClipMapper, pad_targets
from acvis.evaluation import evaluate
from acvis.losses.total import ACVISCriterion, LossConfig
from acvis.modeling.model import build_model

LOG = logging.getLogger("acvis.train")


@dataclass(frozen=True)
class TrainConfig:
    """Solver and data settings. ``official()`` is ``acvis_saoc.yaml``; ``tiny()`` fits a CPU in minutes."""

    model: str = "r50"
    iters: int = 48000
    base_lr: float = 1e-4
    backbone_multiplier: float = 0.1
    # LR multiplier of ``audio_backbone`` (VGGish); None = ``backbone_multiplier`` as in the official code,
    # where VGGish gets zero gradients (rounding) and only decays. 0 freezes it (no decay drift either).
    audio_backbone_multiplier: float | None = None
    weight_decay: float = 0.05
    weight_decay_norm: float = 0.0
    weight_decay_embed: float = 0.0
    lr_steps: tuple[int, ...] = (32000,)
    lr_gamma: float = 0.1
    warmup_iters: int = 10
    warmup_factor: float = 1.0  # official: 1.0, i.e. no warm-up
    clip_norm: float = 0.01  # full-model L2 norm
    clips_per_iter: int = 2
    num_frames: int = 5
    frame_range: int = 20
    augmentation: ClipAugmentation = field(default_factory=ClipAugmentation)
    loss: LossConfig = field(default_factory=LossConfig)
    checkpoint_every: int = 5000
    log_every: int = 20
    seed: int = 0
    test_min_size: int = 360  # MIN_SIZE_TEST: frames are resized to this short side for the test evaluation
    test_max_size: int = 1333
    # > 0: pretrain the audio encoder on the training split's per-frame sounding categories first, then
    # calibrate its PCA and keep it frozen (acvis.audio_pretrain); needs audio_backbone_multiplier 0
    audio_pretrain_iters: int = 0
    # "standardise": before training (not on --resume), fold the training split's per-dimension mean/std of the
    # 8-bit audio features into the audio projections (frame decoder av_pre_proj, video module av_proj), so the
    # audio token starts as W (x - mean) / std + b instead of being dominated by the constant 127.5 offset
    audio_proj_init: str = "default"
    # probability of an audio-shifted clip (ClipMapper.shifted_targets: each frame heard with another second of
    # its video, targets = the visible objects sounding in that second); needs the benchmark's side files
    audio_shift: float = 0.0
    # probability of a clip heard through the mp4's AAC (the benchmark's MELAudios_aac; ClipMapper.audio_codec)
    audio_codec: float = 0.0
    # each clip's audio louder/quieter by a uniform gain in +-this many dB (ClipMapper.audio_gain_db)
    audio_gain_db: float = 0.0

    @staticmethod
    def official(model: str = "r50") -> "TrainConfig":
        return TrainConfig(model=model)

    @staticmethod
    def tiny() -> "TrainConfig":
        # from scratch (no COCO/ImageNet weights): higher LR, no backbone damping, one clip per step. The
        # random VGGish is frozen: at this LR its weight decay alone would shift the embeddings away from the
        # PCA calibrated at the start and saturate the 8-bit features.
        return TrainConfig(model="tiny", iters=2000, base_lr=1e-3, backbone_multiplier=1.0,
                           audio_backbone_multiplier=0.0, lr_steps=(1600,),
                           clips_per_iter=1, augmentation=ClipAugmentation.tiny(), loss=LossConfig.tiny(),
                           checkpoint_every=100, log_every=10, test_min_size=96, test_max_size=160)


    @staticmethod
    def avbench(model: str = "avbench") -> "TrainConfig":
        """The hearing benchmark (``acvis.data.avbench``, 90x160 frames): ``tiny`` solver, frames fed at the model
        scale (the in-graph input stride is skipped in training), the audio encoder pretrained and frozen, test
        evaluation through the service path (short side 360). ``avbench_acqg`` trains no count loss."""
        aug = ClipAugmentation(crop_resize_sizes=(90, 104, 120), crop_resize_max=240, crop_size_range=(64, 100),
                               min_sizes=(72, 80, 90, 100), max_size=180)
        loss = replace(LossConfig.tiny(), num_points=512,
                       count_loss="none" if model == "avbench_acqg" else "saoc")
        return TrainConfig(model=model, iters=2000, base_lr=1e-3, backbone_multiplier=1.0, num_frames=3,
                           audio_backbone_multiplier=0.0, lr_steps=(1600,), clips_per_iter=1, augmentation=aug,
                           loss=loss, checkpoint_every=100, log_every=20, audio_pretrain_iters=400,
                           audio_proj_init="default")


def train_config(name: str) -> TrainConfig:
    """Training preset for a model config name (``tiny``, ``avbench*`` or the official ``r50`` / ``avism_r50``)."""
    if name == "tiny":
        return TrainConfig.tiny()
    if name.startswith("avbench"):
        return TrainConfig.avbench(name)
    cfg = TrainConfig.official(name)
    if name.startswith("avism"):
        cfg = replace(cfg, loss=replace(cfg.loss, count_loss="none"))
    return cfg


_NORM_TYPES = (torch.nn.BatchNorm1d, torch.nn.BatchNorm2d, torch.nn.BatchNorm3d, torch.nn.SyncBatchNorm,
               torch.nn.GroupNorm, torch.nn.InstanceNorm1d, torch.nn.InstanceNorm2d, torch.nn.InstanceNorm3d,
               torch.nn.LayerNorm, torch.nn.LocalResponseNorm)


def param_groups(model: torch.nn.Module, cfg: TrainConfig) -> list[dict]:
    """One group per parameter, detectron2-style: backbone LR multiplier, no decay for norms/embeddings."""
    groups, seen = [], set()
    for module_name, module in model.named_modules():
        for name, p in module.named_parameters(recurse=False):
            if not p.requires_grad or id(p) in seen:
                continue
            seen.add(id(p))
            lr, wd = cfg.base_lr, cfg.weight_decay
            if isinstance(module, _NORM_TYPES):
                wd = cfg.weight_decay_norm
            elif isinstance(module, torch.nn.Embedding):
                wd = cfg.weight_decay_embed
            if module_name.startswith("audio_backbone") and cfg.audio_backbone_multiplier is not None:
                lr *= cfg.audio_backbone_multiplier
            elif "backbone" in module_name:
                lr *= cfg.backbone_multiplier
            groups.append({"params": [p], "lr": lr, "weight_decay": wd, "name": f"{module_name}.{name}"})
    return groups


def lr_factor(iteration: int, cfg: TrainConfig) -> float:
    """WarmupMultiStepLR: linear warm-up from ``warmup_factor`` then x ``lr_gamma`` at each step."""
    decay = cfg.lr_gamma ** sum(1 for s in cfg.lr_steps if iteration >= s)
    if iteration < cfg.warmup_iters:
        alpha = iteration / cfg.warmup_iters
        decay *= cfg.warmup_factor * (1 - alpha) + alpha
    return decay


def clip_index(dataset_len: int, global_clip: int, seed: int) -> int:
    """Infinite shuffled stream of video indices (one fresh permutation per epoch), as TrainingSampler."""
    epoch, pos = divmod(global_clip, dataset_len)
    return int(np.random.default_rng([seed, 7919, epoch]).permutation(dataset_len)[pos])


def loss_generator(seed: int, global_clip: int) -> torch.Generator:
    return torch.Generator().manual_seed(seed * 1_000_003 + global_clip)


def clip_loss(model, criterion: ACVISCriterion, sample: dict, generator: torch.Generator | None = None):
    """Forward one clip and return ``(total, terms)``."""
    out = model(sample["images"], sample["mel"], prestrided=model.cfg.input_stride > 1)
    clip, frames = pad_targets(sample["clip"], sample["frames"], out["padded_size"])
    return criterion(out, clip, frames, sample["counts"], generator)


def summarise(terms: dict, criterion: ACVISCriterion) -> dict:
    """Weighted loss groups for logging: frame, video, sim, count (+ total)."""
    groups = {"frame": 0.0, "video": 0.0, "sim": 0.0, "count": 0.0}
    for k, v in terms.items():
        w = criterion.weight(k) * float(v)
        if k.startswith("loss_avism"):
            groups["video"] += w
        elif k == "loss_clip_sim":
            groups["sim"] += w
        elif k == "loss_instance_cnt":
            groups["count"] += w
        else:
            groups["frame"] += w
    groups["total"] = sum(groups.values())
    return groups


def calibrate_audio(model, dataset: AVISegDataset, max_patches: int = 4096) -> None:
    """Fit the VGGish PCA on the dataset's mel patches (random-init models only; spec §2.4 quantisation)."""
    backbone = getattr(model, "audio_backbone", None)
    if backbone is None or not hasattr(backbone, "calibrate_pca"):
        return
    patches = np.concatenate([dataset.mel(v) for v in dataset.videos])[:max_patches]
    backbone.calibrate_pca(torch.from_numpy(patches.astype(np.float32))[:, None])


@torch.no_grad()
def standardise_audio_projections(model, dataset: AVISegDataset, max_patches: int = 4096) -> dict:
    """W <- W / std, b <- b - (W / std) mean for the linear layers that read the 8-bit audio features (same names
    and shapes; the exported graphs still take raw 0..255 features). Dimensions with std < 1 (one quantisation
    level) are divided by 1."""
    patches = np.concatenate([dataset.mel(v)[:v.length] for v in dataset.videos])[:max_patches]
    feats = model.forward_audio(torch.from_numpy(patches.astype(np.float32)))
    mean, std = feats.mean(0), feats.std(0).clamp_min(1.0)
    layers = [model.sem_seg_head.predictor.av_pre_proj, model.video_module.av_proj]
    for layer in layers:
        w = layer.weight / std[None, :]
        layer.bias.sub_(w @ mean)
        layer.weight.copy_(w)
    return {"audio_feature_std_mean": float(feats.std(0).mean()), "audio_dims_std_ge_1": int((feats.std(0) >= 1).sum())}


def save_checkpoint(path: Path, state: dict) -> None:
    tmp = path.with_suffix(".tmp")
    torch.save(state, tmp)
    os.replace(tmp, path)


def plot_history(history: list[dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    if not history:
        return
    it = [h["iteration"] for h in history]
    fig, ax = plt.subplots(figsize=(8, 4.5))
    for key in ("total", "frame", "video", "sim", "count"):
        ax.plot(it, [h[key] for h in history], label=key, linewidth=2.0 if key == "total" else 1.0)
    ax.set_yscale("log")
    ax.set_xlabel("iteration")
    ax.set_ylabel("weighted loss (mean over the logging interval)")
    ax.set_title("ACVIS training loss")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def _fit_rows(target: dict, loaded: dict) -> dict:
    """``--init`` weights for ``target``: a tensor whose first dimension differs (a count head with more levels:
    level i of the SAOC head means "N > i" whatever Kmax) fills the leading rows it has; the rest keeps the
    target's fresh initialisation."""
    loaded = dict(loaded.get("model", loaded))
    for key, value in list(loaded.items()):
        have = target.get(key)
        if have is None or have.shape == value.shape:
            continue
        if have.dim() != value.dim() or have.shape[1:] != value.shape[1:]:
            raise ValueError(f"--init: {key} has shape {tuple(value.shape)}, the model {tuple(have.shape)}")
        rows = min(have.shape[0], value.shape[0])
        fitted = have.clone()
        fitted[:rows] = value[:rows]
        loaded[key] = fitted
        LOG.info("--init: %s %s -> %s (first %d rows kept)", key, tuple(value.shape), tuple(have.shape), rows)
    return loaded


def train(cfg: TrainConfig, data: Path, out: Path, *, resume: bool = False, init: Path | None = None,
          split: str = "train", progress: bool = True, audio_init: Path | None = None,
          extra_snapshot: tuple[int, Path] | None = None) -> dict:
    """Run (or resume) training; returns ``{"iteration", "history"}`` (the checkpoint is in ``out/last.pth``)."""
    out.mkdir(parents=True, exist_ok=True)
    torch.manual_seed(cfg.seed)
    model_cfg = get_config(cfg.model)
    model = build_model(model_cfg)
    model.train()
    dataset = AVISegDataset(data, split)
    if len(dataset) == 0:
        raise ValueError(f"no annotated videos in {data}/{split}")
    mapper = ClipMapper(num_frames=cfg.num_frames, frame_range=cfg.frame_range, augmentation=cfg.augmentation,
                        audio_shift=cfg.audio_shift, audio_codec=cfg.audio_codec, audio_gain_db=cfg.audio_gain_db)
    criterion = ACVISCriterion(num_classes=model_cfg.num_classes, last_layer_num=model_cfg.last_layer_num,
                               cfg=cfg.loss if model_cfg.count_token else replace(cfg.loss, count_loss="none"))
    optimizer = torch.optim.AdamW(param_groups(model, cfg), lr=cfg.base_lr, weight_decay=cfg.weight_decay)
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda it: lr_factor(it, cfg))
    history: list[dict] = []
    start = 0
    last = out / "last.pth"
    if resume and last.is_file():
        state = torch.load(last, map_location="cpu")
        if state["model_config"]["name"] != model_cfg.name:
            raise ValueError(f"{last} holds a {state['model_config']['name']} model, not {model_cfg.name}")
        model.load_state_dict(state["model"])
        optimizer.load_state_dict(state["optimizer"])
        scheduler.load_state_dict(state["scheduler"])
        start, history = state["iteration"], state["history"]
        LOG.info("resumed from %s at iteration %d", last, start)
    elif init is not None or audio_init is not None:
        if init is not None:
            state = _fit_rows(model.state_dict(), torch.load(init, map_location="cpu"))
            missing, unexpected = model.load_state_dict(state, strict=False)
            LOG.info("initialised from %s (%d missing, %d unexpected keys)", init, len(missing), len(unexpected))
        if audio_init is not None:  # after --init: replaces its audio encoder
            model.audio_backbone.load_state_dict(torch.load(audio_init, map_location="cpu"))
            LOG.info("audio encoder from %s", audio_init)
    elif cfg.audio_pretrain_iters > 0:
        from acvis.audio_pretrain import pretrain_audio

        val = AVISegDataset(data, "val", filter_empty=False) if (Path(data) / "val.json").is_file() else None
        audio_metrics = pretrain_audio(model.audio_backbone, AVISegDataset(data, split, filter_empty=False),
                                       iters=cfg.audio_pretrain_iters, seed=cfg.seed, val=val)
        torch.save(model.audio_backbone.state_dict(), out / "audio.pth")
        (out / "audio_pretrain.json").write_text(json.dumps(audio_metrics, indent=2))
        LOG.info("audio encoder pretrained: %s", audio_metrics)
    else:
        calibrate_audio(model, dataset)
    if not (resume and last.is_file()) and cfg.audio_proj_init == "standardise" and model_cfg.audio_backbone:
        LOG.info("audio projections standardised: %s", standardise_audio_projections(model, dataset))

    def snapshot(iteration: int) -> dict:
        return {"model": model.state_dict(), "optimizer": optimizer.state_dict(), "scheduler": scheduler.state_dict(),
                "iteration": iteration, "model_config": to_dict(model_cfg), "train_config": asdict(cfg),
                "history": history}

    window: list[dict] = []
    bar = tqdm(range(start, cfg.iters), initial=start, total=cfg.iters, disable=not progress, desc="train",
               dynamic_ncols=True)
    t0 = time.time()
    for it in bar:
        optimizer.zero_grad(set_to_none=False)
        groups = {}
        for k in range(cfg.clips_per_iter):
            g = it * cfg.clips_per_iter + k
            sample = mapper(dataset, clip_index(len(dataset), g, cfg.seed), np.random.default_rng([cfg.seed, g]))
            total, terms = clip_loss(model, criterion, sample, loss_generator(cfg.seed, g))
            (total / cfg.clips_per_iter).backward()
            for key, v in summarise(terms, criterion).items():
                groups[key] = groups.get(key, 0.0) + v / cfg.clips_per_iter
        if not math.isfinite(groups["total"]):
            raise FloatingPointError(f"loss is {groups['total']} at iteration {it}")
        grad_norm = float(torch.nn.utils.clip_grad_norm_(model.parameters(), cfg.clip_norm))
        optimizer.step()
        scheduler.step()
        window.append({**groups, "grad_norm": grad_norm})
        bar.set_postfix(loss=f"{groups['total']:.3f}", lr=f"{optimizer.param_groups[0]['lr']:.1e}")
        done = it + 1
        if done % cfg.log_every == 0 or done == cfg.iters:
            entry = {"iteration": done, "lr": scheduler.get_last_lr()[0], "seconds": round(time.time() - t0, 2)}
            entry.update({k: float(np.mean([w[k] for w in window])) for k in window[0]})
            history.append(entry)
            window = []
            with (out / "metrics.jsonl").open("a") as f:
                f.write(json.dumps(entry) + "\n")
            LOG.info("iter %d: %s", done, {k: round(v, 4) for k, v in entry.items() if isinstance(v, float)})
        if done % cfg.checkpoint_every == 0 or done == cfg.iters:
            save_checkpoint(last, snapshot(done))
            plot_history(history, out / "loss_curve.png")
            if extra_snapshot is not None and done == extra_snapshot[0]:  # e.g. an ablation row mid-schedule
                extra_snapshot[1].mkdir(parents=True, exist_ok=True)
                shutil.copyfile(last, extra_snapshot[1] / "last.pth")
                shutil.copyfile(out / "metrics.jsonl", extra_snapshot[1] / "metrics.jsonl")
    bar.close()
    if start < cfg.iters or not (out / "eval.json").exists():
        test_root = Path(data)
        if (test_root / "test.json").is_file():
            test = AVISegDataset(test_root, "test", filter_empty=False)
            label_to_id = {v: k for k, v in test.id_to_label.items()}
            metrics, results = evaluate(model, test, label_to_id, cfg.test_min_size, cfg.test_max_size)
            (out / "results.json").write_text(json.dumps(results))
            metrics["iteration"] = cfg.iters
            (out / "eval.json").write_text(json.dumps(metrics, indent=2))
            LOG.info("test split: %s", metrics)
    return {"iteration": cfg.iters, "history": history}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Train ACVIS on an AVISeg-format dataset.")
    parser.add_argument("--config", default="tiny", help="model config: tiny | r50 | avism_r50")
    parser.add_argument("--data", required=True, help="dataset root (train.json, train/...)")
    parser.add_argument("--out", required=True, help="output directory (checkpoints, curves)")
    parser.add_argument("--resume", action="store_true", help="continue from OUT/last.pth if present")
    parser.add_argument("--init", type=Path, help="initial weights (state dict or {'model': ...}), non-strict")
    parser.add_argument("--audio-init", type=Path,
                        help="audio encoder state dict (acvis.audio_pretrain / a run's audio.pth) instead of pretraining")
    parser.add_argument("--iters", type=int, help="override the preset's iteration count")
    parser.add_argument("--lr-steps", type=int, nargs="+",
                        help="override the LR steps (iterations); default: the preset's, scaled with --iters")
    parser.add_argument("--snapshot-at", nargs=2, metavar=("ITER", "DIR"),
                        help="also write the checkpoint of iteration ITER (a multiple of the checkpoint interval) and "
                             "the metrics so far to DIR")
    parser.add_argument("--lr", type=float, help="override the base learning rate")
    parser.add_argument("--clips-per-iter", type=int, help="override clips (videos) per iteration")
    parser.add_argument("--seed", type=int, help="override the seed")
    parser.add_argument("--split", default="train")
    parser.add_argument("--count-weight", type=float, help="override the count-loss weight (official 1.0)")
    parser.add_argument("--no-object-weight", type=float,
                        help="override the no-object class weight (official eos_coef 0.1)")
    parser.add_argument("--audio-proj-init", choices=("default", "standardise"),
                        help="override the preset (use 'default' with --init from a run that already standardised)")
    parser.add_argument("--audio-shift", type=float,
                        help="probability of an audio-shifted clip (frames heard with another second of their video; "
                             "targets from the benchmark's schedules and ObjectMasks)")
    parser.add_argument("--audio-codec", type=float,
                        help="probability of a clip heard through the mp4's AAC (needs acvis.data.avbench --codec-mels)")
    parser.add_argument("--audio-gain-db", type=float,
                        help="each clip's audio louder or quieter by a uniform gain in +-this many dB")
    parser.add_argument("--threads", type=int, default=2, help="torch CPU threads")
    parser.add_argument("--no-progress", action="store_true", help="no tqdm bar")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    torch.set_num_threads(args.threads)
    cfg = train_config(args.config)
    overrides = {k: v for k, v in (("iters", args.iters), ("base_lr", args.lr), ("clips_per_iter", args.clips_per_iter),
                                   ("seed", args.seed), ("audio_proj_init", args.audio_proj_init),
                                   ("audio_shift", args.audio_shift), ("audio_codec", args.audio_codec),
                                   ("audio_gain_db", args.audio_gain_db))
                 if v is not None}
    if args.lr_steps:
        overrides["lr_steps"] = tuple(args.lr_steps)
    elif "iters" in overrides:  # keep the LR steps at the same fraction of the run
        overrides["lr_steps"] = tuple(round(s * args.iters / cfg.iters) for s in cfg.lr_steps)
    cfg = replace(cfg, **overrides)
    if args.count_weight is not None:
        cfg = replace(cfg, loss=replace(cfg.loss, count_weight=args.count_weight))
    if args.no_object_weight is not None:
        cfg = replace(cfg, loss=replace(cfg.loss, no_object_weight=args.no_object_weight))
    train(cfg, Path(args.data), Path(args.out), resume=args.resume, init=args.init, split=args.split,
          progress=not args.no_progress, audio_init=args.audio_init,
          extra_snapshot=(int(args.snapshot_at[0]), Path(args.snapshot_at[1])) if args.snapshot_at else None)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
