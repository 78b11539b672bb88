"""Losses wired to the tiny model, and the training loop (seeded, resumable, loss goes down)."""

import json
import math
from dataclasses import replace

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from acvis.config import get_config
from acvis.data.augmentation import ClipAugmentation
from acvis.data.dataset import AVISegDataset, ClipMapper
from acvis.data.synthetic import generate
from acvis.losses.criterion import FrameCriterion, PointSampling, similarity_loss
from acvis.losses.matcher import HungarianMatcher
from acvis.losses.total import ACVISCriterion, LossConfig
from acvis.modeling.model import build_model
from acvis.train import TrainConfig, clip_loss, lr_factor, param_groups, train

torch.set_num_threads(2)

SMALL_LOSS = LossConfig(num_points=256)
SMALL_AUG = ClipAugmentation(crop_resize_sizes=(48, 56), crop_resize_max=128, crop_size_range=(40, 48),
                             min_sizes=(40, 48), max_size=96)


@pytest.fixture(scope="module")
def data_root(tmp_path_factory):
    return generate(tmp_path_factory.mktemp("syn"), train_videos=3, test_videos=1, height=48, width=64,
                    min_frames=4, max_frames=7, seed=11)


def test_should_weight_unmatched_queries_as_no_object_with_eos_coef():
    criterion = FrameCriterion(num_classes=3, matcher=HungarianMatcher(num_points=64), eos_coef=0.1,
                               sampling=PointSampling(num_points=64))
    logits = torch.randn(1, 4, 4, generator=torch.Generator().manual_seed(0))
    masks = torch.zeros(1, 4, 4, 4)
    target = {"labels": torch.tensor([1]), "masks": torch.ones(1, 16, 16)}

    losses, indices = criterion({"pred_logits": logits, "pred_masks": masks}, [target])

    (rows, cols), = indices[-1]
    classes = torch.full((4,), 3)
    classes[rows] = 1
    weights = torch.tensor([1.0, 1.0, 1.0, 0.1])
    expected = (F.cross_entropy(logits[0], classes, reduction="none") * weights[classes]).sum() / weights[classes].sum()
    assert losses["loss_ce"].item() == pytest.approx(expected.item(), rel=1e-5)
    # sigmoid(0) = 0.5 everywhere: BCE is ln 2 whatever the labels; against an (almost, the zero padding
    # of border samples aside) all-ones target, dice = 1 - (S + 1)/(P/2 + S + 1) with S = sum of labels <= P
    assert losses["loss_mask"].item() == pytest.approx(math.log(2.0), rel=1e-5)
    assert 1 - 65 / 97 - 1e-6 <= losses["loss_dice"].item() <= 1 - (0.75 * 64 + 1) / (32 + 0.75 * 64 + 1)


def test_should_compute_similarity_loss_over_pairs_within_a_pass():
    # one layer, one video, two frames; the frame matcher picked query 0 (id 0) in frame 0 and query 1 (id 1)
    # in frame 1; the video matcher picked video query 2 for id 0.
    fq = torch.zeros(1, 1, 2, 3, 2)
    fq[0, 0, 0, 0] = torch.tensor([1.0, 0.0])
    fq[0, 0, 1, 1] = torch.tensor([0.0, 2.0])
    cq = torch.zeros(1, 3, 2)
    cq[0, 2] = torch.tensor([3.0, 0.0])
    frame_indices = [[(torch.tensor([0]), torch.tensor([0])), (torch.tensor([1]), torch.tensor([0]))]]
    frame_targets = [{"ids": torch.tensor([0])}, {"ids": torch.tensor([1])}]
    clip_targets = [{"ids": torch.tensor([[0, -1], [-1, 1]])}]

    loss = similarity_loss(fq, cq, frame_indices, frame_targets, [(torch.tensor([2]), torch.tensor([0]))],
                           clip_targets)

    e = torch.tensor([[1.0, 0.0], [0.0, 2.0], [3.0, 0.0]])
    same = torch.tensor([[1.0, 0, 1], [0, 1, 0], [1, 0, 1]])
    expected = F.binary_cross_entropy_with_logits(e @ e.T, same, reduction="sum") / 9
    assert loss.item() == pytest.approx(expected.item(), rel=1e-6)


def test_should_use_official_parameter_groups():
    model = build_model(get_config("tiny"))
    cfg = replace(TrainConfig.official("tiny"), base_lr=1e-4)

    groups = {g["name"]: g for g in param_groups(model, cfg)}

    assert groups["backbone.stem.conv1.weight"]["lr"] == pytest.approx(1e-5)
    assert groups["audio_backbone.features.0.weight"]["lr"] == pytest.approx(1e-5)  # "backbone" in its name too
    assert groups["sem_seg_head.predictor.decoder_norm.weight"]["weight_decay"] == 0.0
    assert groups["sem_seg_head.predictor.query_feat.weight"]["weight_decay"] == 0.0  # nn.Embedding
    assert groups["sem_seg_head.predictor.class_embed.weight"]["weight_decay"] == 0.05
    assert groups["sem_seg_head.pixel_decoder.transformer.level_embed"]["weight_decay"] == 0.05
    assert not any("pca" in name for name in groups)  # requires_grad=False
    tiny = {g["name"]: g for g in param_groups(model, TrainConfig.tiny())}
    assert tiny["backbone.stem.conv1.weight"]["lr"] == pytest.approx(1e-3)
    assert tiny["audio_backbone.features.0.weight"]["lr"] == 0.0  # frozen random VGGish: no decay drift


def test_should_step_the_learning_rate_without_warmup():
    cfg = TrainConfig.official()

    assert lr_factor(0, cfg) == 1.0 and lr_factor(31999, cfg) == 1.0
    assert lr_factor(32000, cfg) == pytest.approx(0.1)


def test_should_reduce_the_loss_on_a_fixed_clip(data_root):
    torch.manual_seed(0)
    model_cfg = get_config("tiny")
    model = build_model(model_cfg).train()
    dataset = AVISegDataset(data_root, "train")
    sample = ClipMapper(augmentation=SMALL_AUG)(dataset, 0, np.random.default_rng(0))
    criterion = ACVISCriterion(num_classes=26, last_layer_num=model_cfg.last_layer_num, cfg=SMALL_LOSS)
    cfg = replace(TrainConfig.tiny(), base_lr=1e-3)
    optimizer = torch.optim.AdamW(param_groups(model, cfg), lr=cfg.base_lr)

    def fixed_loss():
        with torch.no_grad():
            return clip_loss(model, criterion, sample, torch.Generator().manual_seed(5))

    before, before_terms = fixed_loss()
    for step in range(12):
        optimizer.zero_grad()
        total, _ = clip_loss(model, criterion, sample, torch.Generator().manual_seed(100 + step))
        total.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), cfg.clip_norm)
        optimizer.step()
    after, after_terms = fixed_loss()

    assert set(before_terms) >= {"loss_ce", "loss_ce_0", "loss_avism_mask", "loss_avism_dice_0", "loss_clip_sim",
                                 "loss_instance_cnt"}
    assert after.item() < 0.7 * before.item()
    assert after_terms["loss_ce"] < before_terms["loss_ce"]
    assert after_terms["loss_avism_ce"] < before_terms["loss_avism_ce"]


def _tiny_cfg(iters):
    return replace(TrainConfig.tiny(), iters=iters, lr_steps=(3,), augmentation=SMALL_AUG, loss=SMALL_LOSS,
                   checkpoint_every=2, log_every=1)


def test_should_resume_exactly_where_it_stopped(data_root, tmp_path):
    train(_tiny_cfg(4), data_root, tmp_path / "straight", progress=False)
    train(_tiny_cfg(2), data_root, tmp_path / "resumed", progress=False)
    train(_tiny_cfg(4), data_root, tmp_path / "resumed", resume=True, progress=False)

    straight = torch.load(tmp_path / "straight" / "last.pth")
    resumed = torch.load(tmp_path / "resumed" / "last.pth")
    assert straight["iteration"] == resumed["iteration"] == 4
    assert [h["total"] for h in straight["history"]] == pytest.approx([h["total"] for h in resumed["history"]],
                                                                       rel=1e-5)
    for name, value in straight["model"].items():
        assert torch.allclose(value, resumed["model"][name], atol=1e-6), name


def test_should_snapshot_the_checkpoint_of_an_earlier_iteration_equal_to_a_run_that_stops_there(data_root, tmp_path):
    # Given a 4-iteration run that snapshots iteration 2, and a run that stops at 2 with the same LR steps
    train(_tiny_cfg(4), data_root, tmp_path / "long", progress=False, extra_snapshot=(2, tmp_path / "at2"))
    train(_tiny_cfg(2), data_root, tmp_path / "short", progress=False)

    # Then the snapshot is that run's checkpoint, and the long run went on
    snap, short = torch.load(tmp_path / "at2" / "last.pth"), torch.load(tmp_path / "short" / "last.pth")
    assert snap["iteration"] == short["iteration"] == 2
    assert torch.load(tmp_path / "long" / "last.pth")["iteration"] == 4
    for name, value in short["model"].items():
        assert torch.allclose(value, snap["model"][name], atol=1e-6), name
    assert len((tmp_path / "at2" / "metrics.jsonl").read_text().splitlines()) == 2


def test_should_write_checkpoint_curve_metrics_and_eval(data_root, tmp_path):
    train(_tiny_cfg(3), data_root, tmp_path, progress=False)

    state = torch.load(tmp_path / "last.pth")
    model = build_model(get_config("tiny"))
    model.load_state_dict(state["model"])  # strict: the checkpoint loads into a fresh tiny model
    lines = (tmp_path / "metrics.jsonl").read_text().splitlines()
    assert [json.loads(line)["iteration"] for line in lines] == [1, 2, 3]
    assert (tmp_path / "loss_curve.png").read_bytes()[:4] == b"\x89PNG"
    metrics = json.loads((tmp_path / "eval.json").read_text())
    assert metrics["videos"] == 1 and metrics["frames"] > 0
    results = json.loads((tmp_path / "results.json").read_text())
    assert isinstance(results, list)
    # inference ran at the test size (short side 96) but predictions come back at the original 48x64
    assert all(seg["size"] == [48, 64] for r in results for seg in r["segmentations"])


def test_should_train_towards_no_object_on_a_clip_without_targets():
    torch.manual_seed(0)
    model = build_model(get_config("tiny")).train()
    out = model(torch.rand(5, 3, 40, 50) * 255, torch.randn(5, 96, 64))
    hp, wp = out["padded_size"]
    clip = {"labels": torch.zeros(0, dtype=torch.int64), "ids": torch.zeros(0, 5, dtype=torch.int64),
            "masks": torch.zeros(0, 5, hp, wp, dtype=torch.bool)}
    frames = [{"labels": clip["labels"], "ids": torch.zeros(0, dtype=torch.int64),
               "masks": torch.zeros(0, hp, wp, dtype=torch.bool)} for _ in range(5)]
    criterion = ACVISCriterion(num_classes=26, last_layer_num=2, cfg=LossConfig(num_points=64))

    total, terms = criterion(out, clip, frames, torch.zeros(5, dtype=torch.int64))
    total.backward()

    assert terms["loss_mask"].item() == 0.0 and terms["loss_avism_dice"].item() == 0.0
    assert terms["loss_clip_sim"].item() == 0.0
    assert terms["loss_ce"].item() > 0.0 and terms["loss_avism_ce"].item() > 0.0  # all queries -> no object
    assert model.sem_seg_head.predictor.class_embed.bias.grad[-1] < 0  # raising the no-object logit helps


def test_should_init_a_count_head_with_more_levels_from_a_kmax_2_checkpoint():
    from acvis.train import _fit_rows

    small = build_model(get_config("avbench")).state_dict()
    large = build_model(get_config("avbench_k4")).state_dict()
    key = "sem_seg_head.predictor.cnt_proj.weight"
    assert small[key].shape[0] == 2 and large[key].shape[0] == 4

    fitted = _fit_rows(large, {"model": small})

    # the levels "N > 0" and "N > 1" carry over, the new levels keep their fresh initialisation
    assert torch.equal(fitted[key][:2], small[key])
    assert torch.equal(fitted[key][2:], large[key][2:])
    assert torch.equal(fitted["sem_seg_head.predictor.cnt_proj.bias"][:2], small["sem_seg_head.predictor.cnt_proj.bias"])


def test_should_refuse_init_weights_whose_trailing_shape_differs():
    from acvis.train import _fit_rows

    target = {"w": torch.zeros(4, 64)}
    with pytest.raises(ValueError, match="w has shape"):
        _fit_rows(target, {"w": torch.zeros(2, 32)})
