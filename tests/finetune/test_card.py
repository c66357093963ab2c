"""Stage 4's card choices (compute dtype, attention, Liger) for cards this machine does not have.

card_choices is a pure function of the config, the `Device` and the installed kernel packages, so every
card is decided here on the CPU; tests/finetune/test_plan.py checks what each card's whole plan gets.
"""

from __future__ import annotations

import pytest
import torch

from brandtone.config import load_config
from brandtone.errors import StageError
from brandtone.finetune.card import LIGER_MISSING, card_choices
from brandtone.memory import GIB, Device
from tests.helpers.paths import REPO

LIGER = frozenset({"liger_kernel"})


@pytest.fixture(scope="module")
def finetune():
    return load_config(REPO / "config.yaml", ["model.base=unused"]).finetune


def test_a_gpu_that_could_use_liger_without_it_installed_gets_one_warning_with_the_pip_line(finetune):
    h100 = Device("cuda", "NVIDIA H100 80GB HBM3", 79.2 * GIB, (9, 0))
    choices = card_choices(finetune, h100, installed=frozenset())
    assert choices.use_liger_kernel is False and choices.warnings == (LIGER_MISSING,)
    assert "pip install 'liger-kernel" in LIGER_MISSING and "19% slower" in LIGER_MISSING and "9.5 GiB" in LIGER_MISSING
    t4 = Device("cuda", "Tesla T4", 14.6 * GIB, (7, 5))
    assert card_choices(finetune, t4, installed=frozenset()).warnings == ()  # Liger would not run there anyway
    cpu = Device("cpu", "cpu", 20 * GIB)
    choices = card_choices(finetune, cpu, installed=frozenset())
    assert (choices.dtype, choices.varlen_kernel, choices.use_liger_kernel, choices.warnings) == (torch.float32, "per_text_sdpa", False, ())


def test_settings_override_the_card_and_impossible_ones_are_refused(finetune):
    t4 = Device("cuda", "Tesla T4", 14.6 * GIB, (7, 5))
    forced = finetune.model_copy(update={"compute_dtype": "fp32", "use_liger_kernel": True})
    choices = card_choices(forced, t4, installed=LIGER)
    assert choices.dtype == torch.float32 and choices.varlen_kernel == "batched_sdpa" and choices.use_liger_kernel is True
    with pytest.raises(StageError, match="liger-kernel is not installed"):
        card_choices(forced, t4, installed=frozenset())
