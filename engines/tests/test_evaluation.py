"""The sounding flags of acvis.evaluation: the Java service's rule, and the last-class floor used in analysis."""

import numpy as np

from acvis.evaluation import flagged_predictions


def _case():
    # 4 predictions over 2 frames, scores 0.9 > 0.7 > 0.55 > 0.4; prediction 1 has no mask in frame 1
    scores = np.array([0.9, 0.7, 0.55, 0.4])
    masks = np.ones((4, 2, 3, 3), dtype=bool)
    masks[1, 1] = False
    # frame 0: count "1" wins; frame 1: the open last class "≥ 2" wins
    probs = np.array([[0.1, 0.8, 0.1], [0.1, 0.2, 0.7]])
    return scores, masks, probs


def test_should_flag_the_k_best_with_a_mask_and_all_for_the_last_class():
    scores, masks, probs = _case()
    assert flagged_predictions(scores, masks, probs) == [[0], [0, 2, 3]]
    assert flagged_predictions(scores, masks, None) == [[0, 1, 2, 3], [0, 2, 3]]


def test_should_stop_at_kmax_plus_the_predictions_above_the_floor_when_asked():
    scores, masks, probs = _case()
    assert flagged_predictions(scores, masks, probs, last_class_floor=2.0) == [[0], [0, 2]]
    assert flagged_predictions(scores, masks, probs, last_class_floor=0.3) == [[0], [0, 2, 3]]
    assert flagged_predictions(scores, masks, probs, last_class_floor=0.5) == [[0], [0, 2]]


def test_should_flag_the_heard_most_strongly_heard_first_at_most_the_count():
    scores, masks, probs = _case()
    heard = np.array([[0.6, 0.6], [0.9, 0.9], [0.2, 0.8], [0.7, 0.1]], dtype=np.float32)
    # frame 0: heard 1 (0.9), 3 (0.7), 0 (0.6); count 1 -> prediction 1 only
    # frame 1: prediction 1 has no mask; heard 2 (0.8), 0 (0.6); open last class -> no cap
    assert flagged_predictions(scores, masks, probs, heard=heard) == [[1], [2, 0]]
    assert flagged_predictions(scores, masks, None, heard=heard) == [[1, 3, 0], [2, 0]]
    assert flagged_predictions(scores, masks, None, heard=heard, heard_threshold=0.75) == [[1], [2]]


def test_heard_scores_take_the_best_class_probability_of_frame_queries_overlapping_at_iou_half():
    import torch
    from acvis.evaluation import heard_scores

    # one frame, a 2 x 4 grid of which the resized frame (8 x 10 pixels) covers 2 x 3 cells
    cells = lambda *on: torch.tensor([1.0 if i in on else -1.0 for i in range(8)]).reshape(2, 4)
    pred_masks = torch.stack([cells(0, 1), cells(0, 4, 5), cells(2, 3)])[None]    # [1, 3, 2, 4]
    pred_logits = torch.tensor([[[0.0, 3.0, 0.0, 1.0], [5.0, 0.0, 0.0, 0.0], [0.0, 0.0, 4.0, 0.0]]])
    one_hot = lambda i: torch.tensor([1.0 if j == i else 0.0 for j in range(8)]).reshape(2, 4)
    m = torch.stack([one_hot(0), one_hot(2), torch.ones(2, 4)])[None]              # [1, 3, 2, 4]
    embed = torch.tensor([[1.0, 0.0, -0.5], [0.0, 1.0, -0.5]])   # detection 0 = cell {0}, detection 1 = cell {2}
    frame = {"pred_logits": pred_logits, "pred_masks": pred_masks, "mask_features": m, "mask_embed": embed,
             "resized_size": (8, 10)}
    heard = heard_scores(frame, [1, 2])
    p = torch.softmax(pred_logits[0], -1)
    # detection 0 ({0}): query 0 ({0, 1}) IoU 1/2 counts, query 1 ({0, 4, 5}) IoU 1/3 does not
    assert heard[0, 0] == np.float32(p[0, 1])
    # detection 1 ({2}): query 2 is {2, 3} but cell 3 is padding, so IoU 1
    assert heard[1, 0] == np.float32(p[2, 2])


def _two_objects():
    # 2 objects over 4 frames on a 4 x 4 grid: A (left half) sounds in frames 0-1, B (right half) never sounds
    obj = np.zeros((2, 4, 4, 4), dtype=bool)
    obj[0, :, :, :2] = True
    obj[1, :, :, 2:] = True
    schedule = {"objects": [{"sounding": [1, 1, 0, 0], "role": "source"},
                            {"sounding": [0, 0, 0, 0], "role": "silent"}]}
    masks = np.zeros((3, 4, 4, 4), dtype=bool)
    masks[0] = obj[0]                      # prediction 0 on A, 1 on B, 2 on one cell of B
    masks[1] = obj[1]
    masks[2, :, 0, 3] = True               # IoU with B = 1/8 < 0.3: a stray flag
    return schedule, obj, masks


def test_frame_agreement_needs_every_visible_object_right_and_no_stray_flag():
    from acvis.evaluation import _Tally, object_metrics

    schedule, obj, masks = _two_objects()
    # frame 0 right (A); frame 1 wrong (A missed); frame 2 wrong (silent B flagged); frame 3 wrong (stray flag)
    tally = _Tally()
    object_metrics(schedule, obj, masks, [[0], [], [1], [2]], tally)
    rates = tally.rates()
    assert rates["frame_agreement"] == 0.25 and rates["frame_agreement_frames"] == 4
    # the object-frame agreement does not see the stray flag: 6 of 8 object-frames right
    assert rates["sounding_agreement"] == 0.75


def test_flag_errors_sorts_each_wrong_frame_by_cause():
    import sys
    from pathlib import Path
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
    from flag_errors import STATS, tally_errors

    schedule, obj, masks = _two_objects()
    stats = dict.fromkeys(STATS, 0)
    # as above, plus frame 1 again with prediction 0 gone: a detection miss, not a hearing one
    tally_errors(schedule, obj, masks, [[0], [], [1], [2]], stats)
    no_a = masks.copy()
    no_a[0] = False
    tally_errors(schedule, obj, no_a, [[], [1], [], []], stats)
    assert stats["frames"] == 8 and stats["frames_right"] == 1 + 2        # frames 0; then 2 and 3 (A silent)
    assert stats["missed_heard_not"] == 1 and stats["missed_not_detected"] == 2   # frame 1; then frames 0 and 1
    assert stats["frames_only_false"] == 2 and stats["stray_flags"] == 1 and stats["silent_flagged"] == 2
    assert stats["frames_both"] == 1 and stats["frames_only_missed"] == 2
    assert stats["frames_wrong_twin"] == 0 and stats["missed_twin_source"] == 0


def test_flag_errors_counts_the_wrong_frames_of_same_category_twins():
    import sys
    from pathlib import Path
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
    from flag_errors import STATS, tally_errors

    schedule, obj, masks = _two_objects()
    schedule["objects"][0]["role"], schedule["objects"][1]["role"] = "twin_source", "twin_silent"
    stats = dict.fromkeys(STATS, 0)
    # frame 0 swapped (B flagged, A missed), frame 1 A missed, frame 2 right, frame 3 only a stray flag
    tally_errors(schedule, obj, masks, [[1], [], [], [2]], stats)
    assert stats["frames_right"] == 1 and stats["frames_wrong_twin"] == 2 and stats["missed_twin_source"] == 2


def test_flag_smoothing_variants_smooth_each_prediction_over_its_own_frames():
    import sys
    from pathlib import Path
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
    from flag_smoothing import centred, ema, hysteresis_flags

    heard = np.array([[1.0, 0.0, 0.0]], np.float32)
    assert np.allclose(ema(heard, np.ones((1, 3), bool), 0.5), [[1.0, 0.5, 0.25]])
    assert np.allclose(ema(heard, np.array([[True, False, True]]), 0.5), [[1.0, 0.0, 0.0]])  # a gap resets
    assert np.allclose(centred(np.array([[0.0, 1.0, 0.0]]), np.ones((1, 3), bool)), [[1 / 3, 0.5, 1 / 3]])

    # two predictions, the count head says 1 on both frames; frame 1 reverses the hearing by 0.05
    video = {"heard": np.array([[0.6, 0.55], [0.55, 0.6]], np.float32), "masks": np.ones((2, 2, 2, 2), bool),
             "probs": np.array([[0.0, 1.0, 0.0]] * 2), "scores": np.array([0.9, 0.8])}
    assert hysteresis_flags(video, 0.0, 0.5) == [[0], [1]]
    assert hysteresis_flags(video, 0.1, 0.5) == [[0], [0]]       # the one flagged before keeps it
