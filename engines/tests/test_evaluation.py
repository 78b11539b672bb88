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
