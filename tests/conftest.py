"""Fixtures every test folder shares: the demo model and a tiny random Llama with its tokenizer."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.paths import DEMO_MODEL


@pytest.fixture(scope="session")
def demo_model_dir() -> Path:
    from brandtone.demo.model import ensure_demo_model

    return ensure_demo_model(DEMO_MODEL)


@pytest.fixture(scope="session")
def tiny_model_dir(tmp_path_factory, demo_model_dir) -> Path:
    """A tiny random Llama (2 layers, hidden 64) with the demo model's real tokenizer."""
    import torch
    from transformers import AutoTokenizer, LlamaConfig, LlamaForCausalLM

    tokenizer = AutoTokenizer.from_pretrained(demo_model_dir)
    config = LlamaConfig(
        vocab_size=len(tokenizer), hidden_size=64, intermediate_size=128, num_hidden_layers=2,
        num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=1024,
        bos_token_id=tokenizer.bos_token_id, eos_token_id=tokenizer.eos_token_id,
        pad_token_id=tokenizer.unk_token_id, tie_word_embeddings=True,
    )
    torch.manual_seed(0)
    model = LlamaForCausalLM(config)
    folder = tmp_path_factory.mktemp("tiny-llama")
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder
