"""Per inferred frame, how strongly the frame decoder hears each object of a benchmark video (diagnosis).

    /usr/bin/python3 tools/hearing_by_object.py --checkpoint CK --data build/avb-demo --split demo [--codec] [--gain-db G]

For every visible object of the schedule (``acvis.data.avbench`` side files), the object's own-class probability
among the frame queries whose mask overlaps the object's visible mask with IoU >= 0.5 (the rule ``heard``'s test,
``acvis.evaluation.heard_scores``, made against the true object instead of a detection), next to whether it sounds
in that second, and the count head's most probable count. Shows *why* a flag is wrong: a silent object heard high is
the frame decoder's confusion; a sounding object heard low is a miss; the count caps the rest.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
import torch
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from acvis.config import from_dict  # noqa: E402
from acvis.data.augmentation import shortest_edge_size  # noqa: E402
from acvis.data.dataset import AVISegDataset  # noqa: E402
from acvis.evaluation import HEARD_IOU  # noqa: E402
from acvis.losses.saoc import saoc_probabilities  # noqa: E402
from acvis.mel import apply_gain  # noqa: E402
from acvis.modeling.model import build_model  # noqa: E402


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--checkpoint", required=True)
    parser.add_argument("--data", required=True)
    parser.add_argument("--split", default="demo")
    parser.add_argument("--videos", type=int, default=1, help="first N videos of the split")
    parser.add_argument("--codec", action="store_true", help="the audio after the mp4's AAC (MELAudios_aac)")
    parser.add_argument("--gain-db", type=float, default=0.0)
    args = parser.parse_args(argv)
    state = torch.load(args.checkpoint, map_location="cpu")
    model = build_model(from_dict(state["model_config"]))
    model.load_state_dict(state["model"])
    model.eval()
    dataset = AVISegDataset(args.data, args.split, filter_empty=False)
    for video in dataset.videos[:args.videos]:
        frames = [dataset.frame(p) for p in video.frame_paths]
        h0, w0 = frames[0].shape[:2]
        size = shortest_edge_size(h0, w0, 360, 1333)
        frames = [np.asarray(Image.fromarray(f).resize((size[1], size[0]), Image.BILINEAR)) for f in frames]
        patches = dataset.mel(video, args.codec)[:video.length]
        mel = torch.from_numpy(apply_gain(patches, args.gain_db).astype(np.float32))
        with torch.no_grad():
            out = model.inference(torch.from_numpy(np.stack(frames)).permute(0, 3, 1, 2).float(), mel,
                                  output_size=(h0, w0), kept_only=True)
        fr = out["frame"]
        hv, wv = -(-fr["resized_size"][0] // 4), -(-fr["resized_size"][1] // 4)
        query_masks = torch.nn.functional.interpolate(fr["pred_masks"][:, :, :hv, :wv], size=(h0, w0),
                                                      mode="bilinear", align_corners=False) > 0
        probs = torch.softmax(fr["pred_logits"], -1)
        split_dir = dataset.root / dataset.split
        objects = json.loads((split_dir / "schedules" / f"{video.name}.json").read_text())["objects"]
        object_masks = torch.from_numpy(np.load(split_dir / "ObjectMasks" / f"{video.name}.npz")["masks"] > 0)
        count = saoc_probabilities(out["count_logits"]).argmax(1).tolist() if out.get("count_logits") is not None \
            else [None] * video.length
        print(f"{video.name}: object heard (S = sounds in this second), count = the count head's argmax")
        for t in range(video.length):
            cells = []
            for o, obj in enumerate(objects):
                if not object_masks[o, t].any():
                    continue
                inter = (query_masks[t] & object_masks[o, t]).flatten(1).sum(1)
                union = (query_masks[t] | object_masks[o, t]).flatten(1).sum(1)
                ok = (union > 0) & (inter >= HEARD_IOU * union)
                label = dataset.id_to_label[obj["category_id"]]
                heard = float(probs[t, ok, label].max()) if ok.any() else 0.0
                cells.append(f"{obj['category']}{'(S)' if obj['sounding'][t] else '   '} {heard:.2f}")
            print(f"  t={t:2d} count={count[t]}  " + "  ".join(cells))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
