"""The tiny random Llama every model test trains, merges or evaluates: 2 layers, hidden 64, fixed seed."""

from __future__ import annotations

from pathlib import Path
from typing import Optional


def write_tiny_llama(tokenizer, folder: Path, *, max_positions: int, tie_word_embeddings: bool, pad_token_id: Optional[int] = None) -> Path:
    """Save a tiny random Llama sized to `tokenizer`, and the tokenizer, as a model folder."""
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM

    config = LlamaConfig(
        vocab_size=len(tokenizer),
        hidden_size=64,
        intermediate_size=128,
        num_hidden_layers=2,
        num_attention_heads=4,
        num_key_value_heads=2,
        max_position_embeddings=max_positions,
        bos_token_id=tokenizer.bos_token_id,
        eos_token_id=tokenizer.eos_token_id,
        pad_token_id=pad_token_id,
        tie_word_embeddings=tie_word_embeddings,
    )
    torch.manual_seed(0)
    folder = Path(folder)
    LlamaForCausalLM(config).save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder
