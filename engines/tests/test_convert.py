"""Checkpoint conversion: official names/shapes, strict loading, CLI behaviour."""

import torch

from acvis import convert
from acvis.config import get_config
from acvis.modeling.model import build_model


def test_should_build_r50_with_exactly_the_official_state_dict_names_and_shapes():
    # Given the official listing (825 entries, 138 230 712 parameter values)
    official = convert.read_params_tsv(convert.OFFICIAL_TSV["r50"])

    # When the r50 model is built
    model = build_model(get_config("r50"))
    report = convert.compare_keys(convert.model_shapes(model), official)

    # Then nothing is missing, unexpected or differently shaped
    assert len(official) == 825
    assert report.ok, report.describe()
    assert sum(p.numel() for p in model.parameters()) == 138_230_712


def test_should_build_avism_r50_with_the_official_avism_names_and_shapes():
    # Given
    official = convert.read_params_tsv(convert.OFFICIAL_TSV["avism_r50"])

    # When
    report = convert.compare_keys(convert.model_shapes(build_model(get_config("avism_r50"))), official)

    # Then
    assert report.ok, report.describe()


def test_should_load_a_detectron2_style_ddp_checkpoint_with_zero_missing_keys(tmp_path):
    # Given a tiny model saved as detectron2 does, with DDP prefixes
    torch.manual_seed(5)
    source = build_model(get_config("tiny"))
    path = tmp_path / "model_final.pth"
    torch.save({"model": {f"module.{k}": v for k, v in source.state_dict().items()}, "iteration": 7}, path)

    # When
    model, report = convert.convert(str(path), config="auto")

    # Then every tensor arrives unchanged
    assert report.ok and model.cfg.name == "tiny"
    for k, v in source.state_dict().items():
        assert torch.equal(model.state_dict()[k], v), k


def test_should_fail_and_name_the_keys_when_the_checkpoint_does_not_match(tmp_path, capsys):
    # Given a tiny checkpoint with one extra tensor and one tensor of the wrong shape
    torch.manual_seed(5)
    sd = build_model(get_config("tiny")).state_dict()
    sd["sem_seg_head.predictor.extra.weight"] = torch.zeros(3)
    sd["sem_seg_head.predictor.cnt_proj.bias"] = torch.zeros(3)
    path = tmp_path / "bad.pth"
    torch.save({"model": sd}, path)

    # When
    rc = convert.main(["--checkpoint", str(path), "--config", "tiny"])

    # Then
    err = capsys.readouterr().err
    assert rc == 1
    assert "unexpected sem_seg_head.predictor.extra.weight" in err
    assert "sem_seg_head.predictor.cnt_proj.bias: checkpoint (3,) vs model (2,)" in err


def test_should_restore_the_stored_model_config_of_a_training_checkpoint(tmp_path):
    # Given a checkpoint in the acvis.train layout with a non-registry size
    from dataclasses import replace
    from acvis.config import to_dict
    cfg = replace(get_config("tiny"), num_queries=12, video_queries=8)
    torch.manual_seed(6)
    source = build_model(cfg)
    path = tmp_path / "last.pth"
    torch.save({"model": source.state_dict(), "model_config": to_dict(cfg), "iteration": 3}, path)

    # When
    model, report = convert.convert(str(path))

    # Then
    assert report.ok
    assert model.cfg.num_queries == 12 and model.cfg.video_queries == 8


def test_should_export_graphs_from_a_converted_checkpoint(tmp_path):
    # Given an official-style tiny checkpoint
    torch.manual_seed(8)
    source = build_model(get_config("tiny"))
    ckpt = tmp_path / "model_final.pth"
    torch.save({"model": source.state_dict()}, ckpt)

    # When
    rc = convert.main(["--checkpoint", str(ckpt), "--save", str(tmp_path / "converted.pth"),
                       "--out", str(tmp_path / "export")])

    # Then the graphs carry the checkpoint's weights
    import json
    manifest = json.loads((tmp_path / "export" / "manifest.json").read_text())
    assert rc == 0
    assert manifest["checkpoint"] == "converted.pth"
    exported, _ = convert.load_state(str(tmp_path / "export" / "weights.pth"))
    assert torch.equal(exported["vita_module.query_feat.weight"], source.state_dict()["vita_module.query_feat.weight"])
