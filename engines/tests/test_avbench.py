"""The hearing benchmark generator (acvis.data.avbench), the pretrained audio path and the input stride."""

import json
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
import torch
from scipy.io import wavfile

from acvis.data import avbench, rle
from acvis.data.dataset import AVISegDataset

SMALL = dict(train=3, val=0, test=2, height=36, width=64, min_len=3, max_len=5, fps=5, mp4_scale=2)


def _generate(path, seed=3, test_seed=9, mp4_splits=()):
    return avbench.generate(path, seed=seed, test_seed=test_seed, mp4_splits=mp4_splits, **SMALL)


@pytest.fixture(scope="module")
def bench(tmp_path_factory):
    mp4 = ("test",) if shutil.which("ffmpeg") else ()
    return _generate(tmp_path_factory.mktemp("avb"), mp4_splits=mp4)


def _files(root):
    return sorted(p for p in root.rglob("*") if p.is_file() and p.suffix != ".mp4")


def test_should_write_identical_files_for_the_same_seeds(bench, tmp_path):
    again = _generate(tmp_path / "again", mp4_splits=("test",) if shutil.which("ffmpeg") else ())

    a, b = _files(bench), _files(again)
    assert [p.relative_to(bench) for p in a] == [p.relative_to(again) for p in b]
    for x, y in zip(a, b):
        assert x.read_bytes() == y.read_bytes(), x.relative_to(bench)


def test_should_draw_other_videos_for_another_seed(bench, tmp_path):
    other = _generate(tmp_path / "other", seed=4)

    name = "train/MELAudios/avb_train_0000.npy"
    assert not np.array_equal(np.load(bench / name), np.load(other / name)) or \
        (bench / "train.json").read_text() != (other / "train.json").read_text()
    assert (bench / "test.json").read_text() == (other / "test.json").read_text()  # the test seed is separate


def _schedules(root, split):
    data = json.loads((root / f"{split}.json").read_text())
    for video in data["videos"]:
        name = video["file_names"][0].split("/")[0]
        sched = json.loads((root / split / "schedules" / f"{name}.json").read_text())
        masks = np.load(root / split / "ObjectMasks" / f"{name}.npz")["masks"]
        anns = {a["id"]: a for a in data["annotations"] if a["video_id"] == video["id"]}
        yield video, name, sched, masks, anns


@pytest.mark.parametrize("split", ["train", "test"])
def test_should_annotate_exactly_the_sounding_visible_objects(bench, split):
    for video, name, sched, masks, anns in _schedules(bench, split):
        length = len(video["file_names"])
        assert masks.shape == (len(sched["objects"]), length, video["height"], video["width"])
        seen = set()
        for k, obj in enumerate(sched["objects"]):
            annotated = np.array(obj["sounding"], bool) & masks[k].reshape(length, -1).any(1)
            assert obj["annotated"] == annotated.astype(int).tolist()
            if not annotated.any():
                assert obj["annotation_id"] is None, (name, k)
                continue
            ann = anns[obj["annotation_id"]]
            seen.add(ann["id"])
            assert ann["category_id"] == obj["category_id"]
            for t, seg in enumerate(ann["segmentations"]):
                if not annotated[t]:
                    assert seg is None and ann["bboxes"][t] is None and ann["areas"][t] is None
                    continue
                mask = rle.decode(seg[0])
                assert np.array_equal(mask, masks[k, t])
                assert ann["areas"][t] == int(masks[k, t].sum())
                assert ann["bboxes"][t] == obj["boxes"][t]
        assert seen == set(anns), f"{name}: annotation without a sounding object"


@pytest.mark.parametrize("split", ["train", "test"])
def test_should_count_the_annotated_objects_per_frame(bench, split):
    for video, name, sched, masks, anns in _schedules(bench, split):
        csv = (bench / split / "num_ins_CSVs" / f"{name}.csv").read_text().split()
        assert csv[0] == "instance_cnt"
        expected = [sum(1 for a in anns.values() if a["segmentations"][t]) for t in range(len(video["file_names"]))]
        assert [int(c) for c in csv[1:]] == expected == sched["counts"]


def test_should_pair_a_frame_with_another_second_and_target_who_sounds_there(bench):
    from acvis.data.dataset import ClipMapper

    # Given: a training video with its side files and a mapper that always shifts the audio
    dataset = AVISegDataset(bench, "train")
    video = dataset.videos[0]
    sched = json.loads((bench / "train" / "schedules" / f"{video.name}.json").read_text())
    masks = np.load(bench / "train" / "ObjectMasks" / f"{video.name}.npz")["masks"]
    mel = dataset.mel(video).astype(np.float32)
    for g in range(6):
        # When: a clip is drawn
        sample = ClipMapper(num_frames=3, audio_shift=1.0)(dataset, 0, np.random.default_rng([0, g]))
        for t, i in enumerate(sample["frame_idx"]):
            # Then: each frame hears another second j of its video, and its targets are the objects visible in
            # frame i that sound in j, with their visible masks; the count is theirs
            j = [s for s in range(video.length) if s != i and np.array_equal(mel[s], sample["mel"][t].numpy())]
            assert j, "the frame hears its own second"
            j = j[0]  # (equal patches, e.g. two silent seconds, have equal targets)
            want = sorted(o for o, obj in enumerate(sched["objects"]) if obj["sounding"][j] and masks[o, i].any())
            got = sample["frames"][t]
            assert len(got["ids"]) == len(want)
            assert sorted(got["labels"].tolist()) == sorted(
                dataset.id_to_label[sched["objects"][o]["category_id"]] for o in want)
            assert sorted(m.sum().item() for m in got["masks"]) == sorted(int(masks[o, i].sum()) for o in want)
            assert int(sample["counts"][t]) == len(want)


def test_should_change_only_the_level_of_a_clip_with_the_gain_augmentation(bench):
    from acvis.data.dataset import ClipMapper
    from acvis.mel import apply_gain

    dataset = AVISegDataset(bench, "train")
    plain = ClipMapper(num_frames=3)(dataset, 0, np.random.default_rng(5))
    gains = set()
    for seed in range(4):
        loud = ClipMapper(num_frames=3, audio_gain_db=6.0)(dataset, 0, np.random.default_rng(seed))
        mel = dataset.mel(dataset.videos[0])[loud["frame_idx"]]
        # the clip's patches are its own seconds at one gain within +-6 dB, found by search over that range
        match = [db for db in np.arange(-6.0, 6.01, 0.01)
                 if np.allclose(apply_gain(mel, db).astype(np.float32), loud["mel"].numpy(), atol=2e-2)]
        assert match, seed
        gains.add(round(float(np.mean(match)), 1))
        assert [f["labels"].tolist() for f in loud["frames"]] == [f["labels"].tolist() for f in
                                                                  ClipMapper(num_frames=3)(dataset, 0, np.random.default_rng(seed))["frames"]]
    assert len(gains) > 1  # a gain per clip, not one for all
    assert plain["mel"].shape == loud["mel"].shape


def test_should_draw_the_same_clips_as_before_without_the_audio_shift(bench):
    from acvis.data.dataset import ClipMapper

    dataset = AVISegDataset(bench, "train")
    plain = ClipMapper(num_frames=3)(dataset, 0, np.random.default_rng(5))
    zero = ClipMapper(num_frames=3, audio_shift=0.0)(dataset, 0, np.random.default_rng(5))
    assert plain["frame_idx"] == zero["frame_idx"] and torch.equal(plain["mel"], zero["mel"])
    assert torch.equal(plain["counts"], zero["counts"])
    mel = dataset.mel(dataset.videos[0]).astype(np.float32)
    assert all(np.array_equal(mel[i], plain["mel"][t].numpy()) for t, i in enumerate(plain["frame_idx"]))


@pytest.mark.skipif(not shutil.which("ffmpeg"), reason="needs ffmpeg")
def test_should_train_on_the_audio_a_live_mp4_brings(bench, tmp_path):
    from acvis.data.dataset import CODEC_MELS, ClipMapper

    # Given: a copy of the benchmark with the codec mels written for its train split
    root = tmp_path / "b"
    shutil.copytree(bench, root)
    assert avbench.write_codec_mels(root, "train") == SMALL["train"]
    dataset = AVISegDataset(root, "train")
    video = dataset.videos[0]
    clean, lossy = dataset.mel(video), dataset.mel(video, codec=True)
    # Then: one patch per frame as the clean ones, close to them in silence-free seconds but not equal (AAC)
    assert lossy.shape == clean.shape and (root / "train" / CODEC_MELS / f"{video.name}.npy").is_file()
    assert not np.array_equal(lossy, clean)
    assert np.median(np.abs(lossy - clean)) < 0.5
    # And: a mapper that always takes the codec audio hands those patches for the sampled frames
    sample = ClipMapper(num_frames=3, audio_codec=1.0)(dataset, 0, np.random.default_rng(1))
    assert np.array_equal(sample["mel"].numpy(), lossy[sample["frame_idx"]].astype(np.float32))


def test_should_keep_silent_seconds_quiet_and_twins_apart(bench):
    for split in ("train", "test"):
        for video, name, sched, masks, anns in _schedules(bench, split):
            sr, pcm = wavfile.read(bench / split / "WAVAudios" / f"{name}.wav")
            assert sr == avbench.SR and pcm.dtype == np.int16 and pcm.shape[1] == 2
            for t in range(sched["length_s"]):
                if not any(o["sounding"][t] for o in sched["objects"]):
                    second = pcm[t * sr + 400:(t + 1) * sr - 400, 0].astype(np.float64) / 32768
                    assert np.sqrt(np.mean(second ** 2)) < 0.01, (name, t)
            twins = [o for o in sched["objects"] if o["twin_of"] is not None]
            if twins:
                a, b = twins
                assert a["category_id"] == b["category_id"]
                assert not any(x and y for x, y in zip(a["sounding"], b["sounding"]))
            for o in sched["objects"]:
                assert (o["role"] in ("silent", "twin_silent")) == (not any(o["sounding"]))


@pytest.mark.skipif(not shutil.which("ffprobe"), reason="needs ffprobe")
def test_should_write_an_mp4_with_audio_matching_the_schedule(bench):
    for video, name, sched, masks, anns in _schedules(bench, "test"):
        probe = json.loads(subprocess.run(
            ["ffprobe", "-v", "error", "-show_streams", "-of", "json", str(bench / "test" / "MP4" / f"{name}.mp4")],
            check=True, capture_output=True).stdout)
        kinds = {s["codec_type"]: s for s in probe["streams"]}
        assert kinds["video"]["width"] == SMALL["width"] * SMALL["mp4_scale"]
        assert kinds["audio"]["codec_name"] == "aac"
        mp4 = sched["mp4"]
        assert len(mp4["boxes"]) == len(sched["objects"])
        for k, boxes in enumerate(mp4["boxes"]):
            assert len(boxes) == sched["length_s"] * mp4["fps"]
            for t in range(sched["length_s"]):  # mp4 frame t*fps is annotated frame t, scaled
                box = sched["objects"][k]["boxes"][t]
                assert boxes[t * mp4["fps"]] == (None if box is None else [v * mp4["scale"] for v in box])


def test_should_pretrain_the_audio_encoder_and_keep_the_graph_contract(bench):
    from acvis.audio_pretrain import pretrain_audio, sounding_labels
    from acvis.config import get_config
    from acvis.modeling.model import build_model

    torch.manual_seed(0)
    model = build_model(get_config("avbench")).eval()
    train = AVISegDataset(bench, "train", filter_empty=False)
    x, y = sounding_labels(train)
    assert x.shape[1:] == (96, 64) and y.shape == (x.shape[0], 26) and y.sum() > 0
    before = model.audio_backbone.pproc.pca_eigen_vectors.clone()

    metrics = pretrain_audio(model.audio_backbone, train, iters=30, batch=16)

    assert metrics["audio_pretrain_loss"] < 0.69  # below chance-level BCE
    assert not torch.equal(before, model.audio_backbone.pproc.pca_eigen_vectors)
    feats = model.forward_audio(torch.from_numpy(x[:8])[:, None])
    assert feats.shape == (8, 128)
    assert torch.equal(feats, feats.round()) and feats.min() >= 0 and feats.max() <= 255
    assert feats.std() > 0


def test_should_score_the_pretrained_head_on_another_roots_val_split(bench, tmp_path, monkeypatch):
    from acvis import audio_pretrain

    other = tmp_path / "other"  # a root with only a val split (bench's test split)
    other.mkdir()
    (other / "val.json").write_text((bench / "test.json").read_text())
    (other / "val").symlink_to(bench / "test")
    seen = []
    original = audio_pretrain.pretrain_audio

    def spy(backbone, train, **kw):
        val = kw["val"]
        seen.append((Path(train.root), val and Path(val.root), val and len(val.videos)))
        return original(backbone, train, **kw)

    monkeypatch.setattr(audio_pretrain, "pretrain_audio", spy)
    audio_pretrain.main(["--data", str(bench), "--iters", "2", "--out", str(tmp_path / "own.pth")])
    audio_pretrain.main(["--data", str(bench), "--val-data", str(other), "--iters", "2", "--out", str(tmp_path / "o.pth")])

    own_val = bench if (bench / "val.json").is_file() else None
    assert seen[0][:2] == (bench, own_val) and seen[1][:2] == (bench, other)
    assert seen[1][2] == len(AVISegDataset(bench, "test", filter_empty=False).videos)


def test_should_freeze_the_pretrained_audio_encoder_in_training(bench, tmp_path):
    from acvis.train import TrainConfig, train

    cfg = TrainConfig.avbench("avbench")
    from dataclasses import replace
    cfg = replace(cfg, iters=2, audio_pretrain_iters=5, checkpoint_every=2, log_every=1)
    train(cfg, bench, tmp_path / "run", progress=False)

    state = torch.load(tmp_path / "run" / "last.pth")
    audio = torch.load(tmp_path / "run" / "audio.pth")
    for k, v in audio.items():
        assert torch.equal(state["model"][f"audio_backbone.{k}"], v), k
    metrics = json.loads((tmp_path / "run" / "eval.json").read_text())
    assert metrics["videos"] == SMALL["test"] and metrics["sound_accuracy"] is not None
    assert "silent_flagged_rate" in metrics or "sounding_agreement" in metrics


def test_should_see_an_upscaled_frame_as_the_small_frame_inside_the_strided_graph():
    from acvis.config import get_config
    from acvis.modeling.model import build_model

    torch.manual_seed(0)
    model = build_model(get_config("avbench")).eval()
    small = torch.rand(1, 3, 90, 160) * 255
    big = small.repeat_interleave(4, 2).repeat_interleave(4, 3)   # 360x640, nearest
    audio = torch.full((1, 128), 128.0)
    with torch.no_grad():
        ref, m_ref = model._frame_stage(small, audio, 1, prestrided=True)
        out, m = model._frame_stage(big, audio, 1)
    assert m.shape == (1, 64, 96, 160) and m_ref.shape == (1, 64, 24, 40)
    assert torch.allclose(out["frame_queries"], ref["frame_queries"], atol=1e-3)
    up = torch.nn.functional.interpolate(m_ref[:, :, :24, :40], scale_factor=4.0, mode="bilinear", align_corners=False)
    assert torch.allclose(m, up, atol=1e-4)
