"""SAOC ordinal count loss and decoding (spec §3.6) on hand-computed cases."""

import math

import pytest
import torch

from acvis.losses.saoc import count_ce_loss, saoc_decode, saoc_loss, saoc_probabilities, saoc_targets


def softplus(x):
    return math.log1p(math.exp(x))


def test_should_select_levels_reached_and_target_exceeding_ones():
    targets, valid = saoc_targets(torch.tensor([0, 1, 2, 7]), kmax=2)

    assert valid.tolist() == [[1, 0], [1, 1], [1, 1], [1, 1]]
    assert targets.tolist() == [[0, 0], [1, 0], [1, 1], [1, 1]]


def test_should_equal_ln2_for_zero_logits():
    zero = torch.zeros(1, 2)

    assert saoc_loss(zero, torch.tensor([0])).item() == pytest.approx(math.log(2.0))
    assert saoc_loss(zero, torch.tensor([2])).item() == pytest.approx(math.log(2.0))


def test_should_normalise_by_total_number_of_binary_terms():
    logits = torch.tensor([[2.0, -1.0], [1.0, 3.0], [0.5, -0.5]])
    counts = torch.tensor([0, 1, 5])
    # frame 0 (y=0): level 0, target 0 -> softplus(2); level 1 not reached.
    # frame 1 (y=1): level 0 target 1 -> softplus(-1); level 1 target 0 -> softplus(3).
    # frame 2 (y=2): level 0 target 1 -> softplus(-0.5); level 1 target 1 -> softplus(0.5).
    expected = (softplus(2.0) + softplus(-1.0) + softplus(3.0) + softplus(-0.5) + softplus(0.5)) / 5

    assert saoc_loss(logits, counts).item() == pytest.approx(expected, rel=1e-6)
    # the [N, 1, Kmax] layout of the model's count logits gives the same value
    assert saoc_loss(logits[:, None, :], counts).item() == pytest.approx(expected, rel=1e-6)


def test_should_ignore_logits_of_levels_not_reached():
    counts = torch.tensor([0, 0])
    a = torch.tensor([[1.0, -5.0], [0.0, 9.0]], requires_grad=True)
    b = torch.tensor([[1.0, 5.0], [0.0, -9.0]])

    loss = saoc_loss(a, counts)
    loss.backward()

    assert loss.item() == pytest.approx(saoc_loss(b, counts).item())
    assert torch.all(a.grad[:, 1] == 0.0)


def test_should_support_a_larger_kmax():
    logits = torch.zeros(1, 4)

    # count 3 with Kmax 4: levels 0..3 reached, targets 1,1,1,0 -> 4 terms of ln 2
    assert saoc_loss(logits, torch.tensor([3])).item() == pytest.approx(math.log(2.0))
    assert saoc_probabilities(logits).shape == (1, 5)


def test_should_decode_cumulative_products_into_a_distribution():
    probs = saoc_probabilities(torch.zeros(1, 2))

    # p = (0.5, 0.5): P(N>0) = 0.5, P(N>1) = 0.25 -> P = (0.5, 0.25, 0.25)
    assert probs[0].tolist() == pytest.approx([0.5, 0.25, 0.25])
    assert saoc_decode(torch.tensor([[-3.0, 0.0], [3.0, -3.0], [3.0, 3.0]])).tolist() == [0, 1, 2]


def test_should_be_rank_consistent_for_any_logits():
    logits = torch.randn(500, 3, generator=torch.Generator().manual_seed(0)) * 4

    probs = saoc_probabilities(logits)
    exceed = 1.0 - probs.cumsum(dim=1)[:, :-1]  # P(N > i), i = 0..Kmax-1

    assert torch.allclose(probs.sum(dim=1), torch.ones(500))
    assert torch.all(probs >= 0.0)
    assert torch.all(exceed[:, 1:] <= exceed[:, :-1] + 1e-6)


def test_should_learn_counts_by_minimising_the_loss():
    torch.manual_seed(0)
    features = torch.eye(4)
    counts = torch.tensor([0, 1, 2, 3])
    head = torch.nn.Linear(4, 2)
    optimiser = torch.optim.SGD(head.parameters(), lr=1.0)
    for _ in range(200):
        optimiser.zero_grad()
        saoc_loss(head(features), counts).backward()
        optimiser.step()

    assert saoc_decode(head(features)).tolist() == [0, 1, 2, 2]


def test_should_clamp_targets_in_the_cross_entropy_variant():
    logits = torch.zeros(2, 3)

    assert count_ce_loss(logits, torch.tensor([0, 9])).item() == pytest.approx(math.log(3.0))


def test_should_reject_negative_counts():
    with pytest.raises(ValueError):
        saoc_loss(torch.zeros(1, 2), torch.tensor([-1]))
