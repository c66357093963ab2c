"""Fixtures every test folder shares: the demo model and a tiny random Llama with its tokenizer."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.paths import DEMO_MODEL
from tests.helpers.tiny_llama import write_tiny_llama


def pytest_collection_modifyitems(config, items):
    """Tests that use the demo model's weights carry the `demo_model` marker, so that a machine that cannot
    fetch the model (the lent GPU machine) runs the rest with `-m "not demo_model"`."""
    for item in items:
        if "demo_model_dir" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.demo_model)


@pytest.fixture(scope="session")
def demo_model_dir() -> Path:
    from brandtone.demo.model import ensure_demo_model

    return ensure_demo_model(DEMO_MODEL)


@pytest.fixture(scope="session")
def demo_tokenizer_dir() -> Path:
    """The demo model's tokenizer: the model folder once it holds one (its files alone are enough, as on a
    machine that carries only them), else the demo model made now."""
    if (DEMO_MODEL / "tokenizer.json").is_file():
        return DEMO_MODEL
    from brandtone.demo.model import ensure_demo_model

    return ensure_demo_model(DEMO_MODEL)


@pytest.fixture(scope="session")
def tiny_model_dir(tmp_path_factory, demo_tokenizer_dir) -> Path:
    """A tiny random Llama (2 layers, hidden 64) with the demo model's real tokenizer."""
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(demo_tokenizer_dir)
    return write_tiny_llama(
        tokenizer, tmp_path_factory.mktemp("tiny-llama"), max_positions=1024, tie_word_embeddings=True, pad_token_id=tokenizer.unk_token_id
    )
