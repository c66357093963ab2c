"""Stage 4's memory estimate, from the model's shape (shape.model_shape reads it from the base
model's config on the meta device, so a 70B model costs nothing): what autograd keeps for the backward
pass of a Llama-style decoder layer with LoRA adapters, the peak, and the memory the device has to spare.

Against the one GPU measurement we have (issue 7's anchor: Llama-2-7B shape, 4-bit, LoRA r=64 on q/v
with dropout, 2 x 2048 packed tokens, bf16, no checkpointing: 24.5 GiB peak on an H100) it predicts
29.1 GiB, about 20% high, the safe side. It is an estimate: the out-of-memory error names the keys to
turn down. brandtone/finetune/plan.py turns it into the plan's choices, within brandtone.memory's budget.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

from brandtone.config_schema import FinetuneConfig
from brandtone.memory import GIB

OPTIMIZER_STATE_BYTES = {  # per trainable parameter, on top of the fp32 weight and gradient
    "adamw_torch": 8,
    "adamw_torch_fused": 8,
    "paged_adamw_32bit": 8,
    "adamw_bnb_8bit": 2,
    "paged_adamw_8bit": 2,
    "adamw_8bit": 2,
    "sgd": 0,
    "adafactor": 4,
}
# Largest micro-batch the automatic choice picks. On a GPU, throughput stops
# growing past about 4 x 2048 tokens for a 7B model (issue 7's measurements)
# while memory keeps growing; on a CPU a bigger batch only means fewer steps.
MAX_AUTO_TOKENS = {"cuda": 8192, "cpu": 2048}
RUNTIME_BYTES = {"cuda": 0.6 * GIB, "cpu": 1.0 * GIB}  # CUDA context / the Python process with torch loaded


@dataclass(frozen=True)
class ModelShape:
    """What the memory estimate needs to know about the base model and its adapters."""

    hidden: int
    intermediate: int
    layers: int
    kv_width: int  # key/value projection width (num_key_value_heads * head_dim)
    vocab: int
    total_params: int  # base model, counting tied embeddings once
    quantizable_params: int  # weights of the decoder's Linear layers (4-bit under QLoRA)
    lora_params: int
    lora_modules_per_layer: int
    lora_input_width_per_layer: int  # sum of the adapted Linear layers' input widths, per layer


def activation_bytes_per_token(shape: ModelShape, finetune: FinetuneConfig, element_bytes: int, checkpointing: bool) -> float:
    """Bytes autograd keeps per token between forward and backward.

    Per decoder layer (in elements): two RMSNorm inputs (kept in fp32 on
    16-bit runs: 4h), the attention block input (h), q, out and k, v for the
    attention backward (2h + 2kv), the o_proj input (h), the MLP's gate, up,
    activation and product (4i); with LoRA dropout, each adapter keeps its own
    dropped-out copy of its input plus the mask (1.5 x input width), and the
    rank-r intermediate. With checkpointing only each layer's input is kept,
    plus one layer's worth while it is recomputed.
    """
    h, i, kv = shape.hidden, shape.intermediate, shape.kv_width
    lora = shape.lora_modules_per_layer * finetune.lora_r
    if finetune.lora_dropout > 0:
        lora += 1.5 * shape.lora_input_width_per_layer
    per_layer = (8 * h + 2 * kv + 4 * i + lora) * element_bytes
    if checkpointing:
        return shape.layers * h * element_bytes + per_layer
    return shape.layers * per_layer + 2 * h * element_bytes  # + embeddings and final norm


def estimate_peak_bytes(
    shape: ModelShape, finetune: FinetuneConfig, dtype: torch.dtype, tokens: int, checkpointing: bool, optim: str, device: str
) -> dict[str, float]:
    """Peak memory of one training step, by part, in bytes."""
    element_bytes = torch.finfo(dtype).bits // 8
    if finetune.load_in_4bit:
        # 4 bits per weight plus the block constants: fp32 per 64 weights, or 8-bit per 64 and fp32 per 256 blocks
        constants = (1 + 4 / 256) / 64 if finetune.bnb_4bit_use_double_quant else 4 / 64
        base = shape.quantizable_params * (0.5 + constants)
        base += (shape.total_params - shape.quantizable_params) * element_bytes
    else:
        base = shape.total_params * element_bytes
    adapters = shape.lora_params * (4 + 4 + OPTIMIZER_STATE_BYTES.get(optim, 8))  # fp32 weight, gradient, state
    activations = tokens * activation_bytes_per_token(shape, finetune, element_bytes, checkpointing)
    # TRL's fused LM head scores the vocabulary in tiles; budget one fp32 tile of 1024 positions, twice
    logits = 2 * min(tokens, 1024) * shape.vocab * 4
    return {
        "base_weights": base,
        "adapters_and_optimizer": adapters,
        "activations": activations,
        "logits": logits,
        "runtime": RUNTIME_BYTES[device],
    }
