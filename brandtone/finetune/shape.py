"""The model stage 4 trains, counted without its weights: the LoRA adapters it gets and the shape
(`ModelShape`) that brandtone.finetune.memory estimates peak memory from.

The count builds the model from its config on the meta device, so a 70B model costs nothing here; it
is the one step of planning that reads the base model (its config), which keeps brandtone.finetune.plan
a pure function of the shape, the config and the device.
"""

from __future__ import annotations

import torch

from brandtone.config_schema import Config, FinetuneConfig
from brandtone.finetune.memory import ModelShape
from brandtone.models import embedding_rows, load_model_config


def lora_config(finetune: FinetuneConfig):
    """The adapters of finetune's LoRA settings: counted here, attached by brandtone.finetune.train."""
    from peft import LoraConfig

    return LoraConfig(
        r=finetune.lora_r,
        lora_alpha=finetune.lora_alpha,
        lora_dropout=finetune.lora_dropout,
        target_modules=finetune.lora_target_modules,
        bias="none",
        task_type="CAUSAL_LM",
    )


def model_shape(config: Config, tokenizer_size: int) -> ModelShape:
    """Count parameters on the meta device: no weights are read or allocated. `tokenizer_size`
    counts a pad token load_tokenizer may have added (the embeddings then grow)."""
    from accelerate import init_empty_weights
    from peft import get_peft_model
    from transformers import AutoModelForCausalLM

    model_config = load_model_config(config.model.base, config.model)
    text = model_config.get_text_config()
    with init_empty_weights():
        model = AutoModelForCausalLM.from_config(model_config, trust_remote_code=config.model.trust_remote_code)
    output_embeddings = model.get_output_embeddings()
    tied = bool(getattr(text, "tie_word_embeddings", False))
    total = sum(p.numel() for p in model.parameters())
    if tied and output_embeddings is not None:
        total -= output_embeddings.weight.numel()  # the meta model does not share the tensor yet
    vocab = embedding_rows(tokenizer_size, text.vocab_size)
    total += (vocab - text.vocab_size) * text.hidden_size * (1 if tied or output_embeddings is None else 2)
    quantizable = sum(
        module.weight.numel() for module in model.modules() if isinstance(module, torch.nn.Linear) and module is not output_embeddings
    )
    peft_model = get_peft_model(model, lora_config(config.finetune))
    lora_params, _ = peft_model.get_nb_trainable_parameters()
    adapted = [m for name, m in peft_model.named_modules() if hasattr(m, "lora_A") and "default" in getattr(m, "lora_A", {})]
    layers = text.num_hidden_layers
    head_dim = getattr(text, "head_dim", None) or text.hidden_size // text.num_attention_heads
    kv_heads = getattr(text, "num_key_value_heads", None) or text.num_attention_heads
    return ModelShape(
        hidden=text.hidden_size,
        intermediate=getattr(text, "intermediate_size", 4 * text.hidden_size),
        layers=layers,
        kv_width=kv_heads * head_dim,
        vocab=vocab,
        total_params=total,
        quantizable_params=quantizable,
        lora_params=lora_params,
        lora_modules_per_layer=max(1, round(len(adapted) / layers)),
        lora_input_width_per_layer=round(sum(m.in_features for m in adapted) / layers),
    )
