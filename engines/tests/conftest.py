"""Shared fixtures: import path, thread limits, seeded tiny model."""

import os
import sys
from pathlib import Path

import pytest
import torch

ENGINES = Path(__file__).resolve().parents[1]
if str(ENGINES) not in sys.path:
    sys.path.insert(0, str(ENGINES))

# the CI runner (and this machine) has 2 cores shared with other jobs
torch.set_num_threads(int(os.environ.get("ACVIS_TEST_THREADS", "2")))


@pytest.fixture
def engines_dir() -> Path:
    return ENGINES


@pytest.fixture
def tiny_model():
    """A seeded tiny ACVIS model in eval mode."""
    from acvis.config import get_config
    from acvis.modeling.model import build_model
    torch.manual_seed(0)
    return build_model(get_config("tiny")).eval()
