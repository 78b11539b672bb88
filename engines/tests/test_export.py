"""ONNX export: manifest, dynamic axes, reference vectors, ONNX Runtime parity, committed tiny export."""

import hashlib
import json
import shutil
import subprocess
from pathlib import Path

import numpy as np
import onnx
import pytest
import torch

from acvis import export as ex
from acvis.checkpoint import load_state
from acvis.modeling.model import build_model

ORT_JAR = Path.home() / ".m2/repository/com/microsoft/onnxruntime/onnxruntime/1.23.2/onnxruntime-1.23.2.jar"


@pytest.fixture(scope="module")
def tiny_export(tmp_path_factory):
    out = tmp_path_factory.mktemp("tiny-export")
    manifest = ex.export("tiny", str(out), seed=0, image_sizes=[(64, 96), (70, 45)], video_lengths=[5, 1, 8])
    return out, manifest


def _sha(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _replay(model, graph, ref_dir):
    """Eager outputs of ``graph`` for the inputs stored in ``ref_dir``."""
    spec = ex.graph_spec(model)[graph]
    ins = [torch.from_numpy(np.load(ref_dir / "inputs" / f"{n}.npy")) for n in spec["inputs"]]
    with torch.no_grad():
        outs = spec["module"](*ins)
    outs = outs if isinstance(outs, tuple) else (outs,)
    return dict(zip(spec["outputs"], outs))


def test_should_write_the_contract_manifest(tiny_export):
    # Given / When
    out, manifest = tiny_export

    # Then
    on_disk = json.loads((out / "manifest.json").read_text())
    assert on_disk == json.loads(json.dumps(manifest))
    assert manifest["opset"] == ex.OPSET and manifest["config"] == "tiny"
    assert manifest["num_classes"] == 26 and manifest["no_object_index"] == 26
    assert manifest["audio_dim"] == 128 and manifest["window_size"] == 6 and manifest["kmax"] == 2
    assert set(manifest["graphs"]) == {"audio", "frame", "video", "masks", "pixel"}
    for g, entry in manifest["graphs"].items():
        assert entry["sha256"] == _sha(out / entry["file"]), g
        for case in entry["reference"]:
            for name, meta in case["outputs"].items():
                assert list(np.load(out / case["dir"] / "outputs" / f"{name}.npy").shape) == meta["shape"]


@pytest.mark.parametrize("graph,axes", [
    ("audio", {"mel": {0: "N"}}),
    ("frame", {"image": {0: "N", 2: "H", 3: "W"}, "audio_features": {0: "N"}}),
    ("video", {"frame_queries": {0: "T"}, "audio_features": {0: "T"}}),
    ("masks", {"mask_embed": {0: "K"}, "mask_features": {2: "h", 3: "w"}}),
    ("pixel", {"image": {0: "N", 2: "H", 3: "W"}}),
])
def test_should_export_dynamic_input_axes_at_the_contract_opset(tiny_export, graph, axes):
    # Given
    out, _ = tiny_export

    # When
    model = onnx.load(str(out / f"{graph}.onnx"))

    # Then
    assert max(o.version for o in model.opset_import if o.domain in ("", "ai.onnx")) == ex.OPSET
    inputs = {i.name: i.type.tensor_type.shape.dim for i in model.graph.input}
    for name, dims in axes.items():
        for axis, label in dims.items():
            assert inputs[name][axis].dim_param == label, (name, axis)


def test_should_reproduce_the_reference_outputs_from_the_saved_weights(tiny_export):
    # Given the weights written next to the graphs
    out, manifest = tiny_export
    sd, cfg = load_state(str(out / "weights.pth"))
    model = build_model(cfg).eval()
    model.load_state_dict(sd)

    # When every reference case is replayed eagerly
    for g, entry in manifest["graphs"].items():
        for case in entry["reference"]:
            got = _replay(model, g, out / case["dir"])
            # Then
            for name in entry["outputs"]:
                ref = np.load(out / case["dir"] / "outputs" / f"{name}.npy")
                np.testing.assert_allclose(got[name].numpy(), ref, rtol=1e-5, atol=1e-5, err_msg=f"{case['dir']}:{name}")


def test_should_give_the_frame_graphs_mask_features_from_the_optional_pixel_graph(tiny_export):
    # Given the pixel cases, made of the frame cases' images
    out, manifest = tiny_export
    for case in manifest["graphs"]["pixel"]["reference"]:
        frame_dir = out / case["dir"].replace("reference/pixel", "reference/frame")
        pixel_dir = out / case["dir"]

        # Then m_t is the frame graph's, bit for bit (the same eager code path, without the frame decoder)
        np.testing.assert_array_equal(np.load(pixel_dir / "inputs" / "image.npy"), np.load(frame_dir / "inputs" / "image.npy"))
        np.testing.assert_array_equal(np.load(pixel_dir / "outputs" / "mask_features.npy"),
                                      np.load(frame_dir / "outputs" / "mask_features.npy"))


def test_should_cover_several_sequence_lengths_and_image_sizes(tiny_export):
    # Given / When
    _, manifest = tiny_export
    video_t = {c["inputs"]["frame_queries"]["shape"][0] for c in manifest["graphs"]["video"]["reference"]}
    frame_hw = {tuple(c["inputs"]["image"]["shape"][2:]) for c in manifest["graphs"]["frame"]["reference"]}

    # Then
    assert video_t == {5, 1, 8}
    assert frame_hw == {(64, 96), (70, 45)}


def _ort_check(onnx_path, ref_dirs):
    cmd = ["java", "-cp", str(ORT_JAR), str(Path(__file__).resolve().parents[1] / "tools" / "OrtCheck.java"),
           str(onnx_path)] + [str(d) for d in ref_dirs]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=300)


needs_ort = pytest.mark.skipif(shutil.which("java") is None or not ORT_JAR.exists(),
                               reason="needs java and the ONNX Runtime jar in ~/.m2")


@needs_ort
@pytest.mark.parametrize("graph", ["audio", "frame", "video", "masks", "pixel"])
def test_should_match_pytorch_in_onnx_runtime(tiny_export, graph):
    # Given the exported graph and all its reference cases
    out, manifest = tiny_export
    dirs = [out / c["dir"] for c in manifest["graphs"][graph]["reference"]]

    # When OrtCheck runs them in ONNX Runtime
    res = _ort_check(out / f"{graph}.onnx", dirs)

    # Then every output is within 1e-4
    assert res.returncode == 0, res.stdout + res.stderr
    assert res.stdout.count(" OK") == sum(len(manifest["graphs"][graph]["outputs"]) for _ in dirs)


@needs_ort
def test_should_fail_ort_check_when_a_reference_is_wrong(tiny_export, tmp_path):
    # Given a copy of the masks reference with one value changed by 1e-3
    out, manifest = tiny_export
    bad = tmp_path / "masks"
    shutil.copytree(out / manifest["graphs"]["masks"]["reference"][0]["dir"], bad)
    ref = np.load(bad / "outputs" / "mask_logits.npy")
    ref.flat[7] += 1e-3
    np.save(bad / "outputs" / "mask_logits.npy", ref)

    # When
    res = _ort_check(out / "masks.onnx", [bad])

    # Then
    assert res.returncode == 1
    assert "FAIL (1 over tol)" in res.stdout


COMMITTED = Path(__file__).resolve().parents[1] / "models" / "tiny"


def test_should_keep_the_committed_tiny_export_consistent_with_the_code():
    # Given the committed export (graphs, weights, references)
    manifest = json.loads((COMMITTED / "manifest.json").read_text())
    sd, cfg = load_state(str(COMMITTED / manifest["weights"]["file"]))
    model = build_model(cfg).eval()
    model.load_state_dict(sd)

    # Then the files are the ones the manifest names, small enough to commit ...
    total = sum(p.stat().st_size for p in COMMITTED.rglob("*") if p.is_file())
    assert total < 20_000_000
    for g, entry in manifest["graphs"].items():
        assert entry["sha256"] == _sha(COMMITTED / entry["file"]), g
    # ... and today's code reproduces every committed reference output from the committed weights
    for g, entry in manifest["graphs"].items():
        for case in entry["reference"]:
            got = _replay(model, g, COMMITTED / case["dir"])
            for name in entry["outputs"]:
                ref = np.load(COMMITTED / case["dir"] / "outputs" / f"{name}.npy")
                np.testing.assert_allclose(got[name].numpy(), ref, rtol=1e-5, atol=1e-5, err_msg=f"{case['dir']}:{name}")


def test_should_reproduce_the_offline_reference_from_the_saved_weights(tiny_export):
    # Given the offline end-to-end case of the export
    out, manifest = tiny_export
    sd, cfg = load_state(str(out / "weights.pth"))
    model = build_model(cfg).eval()
    model.load_state_dict(sd)
    d = out / manifest["offline"]["dir"]
    load = lambda kind, n: np.load(d / kind / f"{n}.npy")  # noqa: E731

    # When
    res = model.inference(torch.from_numpy(load("inputs", "images")), torch.from_numpy(load("inputs", "mel")),
                          output_size=tuple(int(v) for v in load("inputs", "output_size")))

    # Then the same (query, class) candidates come back with the stored scores and masks; the
    # order is compared by key because random tiny weights give near-tied class probabilities
    cand = res["candidates"]
    ours = {(int(q), int(c)): i for i, (q, c) in enumerate(zip(cand["query_index"], cand["labels"]))}
    stored = list(zip(load("outputs", "cand_query_index").tolist(), load("outputs", "cand_labels").tolist()))
    assert set(ours) == set(stored)
    order = [ours[key] for key in stored]
    np.testing.assert_allclose(cand["score"].numpy()[order], load("outputs", "cand_score"), rtol=1e-5, atol=1e-6)
    top = load("outputs", "cand_masks_top")
    np.testing.assert_array_equal(cand["masks"].numpy()[order[:top.shape[0]]].astype(np.uint8), top)
    assert load("outputs", "cand_kept").sum() == len(res["scores"])


@needs_ort
def test_should_match_in_onnx_runtime_when_attention_masks_are_forced(tmp_path):
    # Given the frame graph with the decoder's attention masks as inputs and PyTorch's masks
    from acvis import parity
    entry = parity.build("tiny", str(tmp_path), size=(70, 100), n=2)

    # When OrtCheck feeds the same masks to ONNX Runtime
    res = _ort_check(tmp_path / "frame_forced.onnx", [tmp_path / entry["dir"]])

    # Then every output matches
    assert res.returncode == 0, res.stdout + res.stderr
    assert entry["attention_logit_margin"] >= 0
    assert len([n for n in entry["inputs"] if n.startswith("attn_mask_")]) == 3
