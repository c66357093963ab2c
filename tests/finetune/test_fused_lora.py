"""brandtone.finetune.fused_lora against PEFT's own LoRA layers on a real 4-bit (bitsandbytes NF4) model.

The same adapters on the same 4-bit base, once through PEFT's layers and once through the fused
step: the loss and every adapter's gradient must agree (the gradients of the first layer's adapters
also check the input gradient the fused step sends back through the second layer). Run on every
device present: the CPU here, the GPU too where there is one (bench machines run this file).
"""

from __future__ import annotations

import pytest
import torch

from brandtone.finetune import fused_lora

DEVICES = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])


@pytest.fixture(scope="module")
def tiny_llama(tmp_path_factory):
    """A tiny random Llama (2 layers, grouped-query attention), saved in fp32; no tokenizer needed."""
    from transformers import LlamaConfig, LlamaForCausalLM

    config = LlamaConfig(vocab_size=1024, hidden_size=64, intermediate_size=128, num_hidden_layers=2,
                         num_attention_heads=4, num_key_value_heads=2)
    torch.manual_seed(0)
    folder = tmp_path_factory.mktemp("tiny-llama-4bit")
    LlamaForCausalLM(config).save_pretrained(folder)
    return folder


def four_bit_lora_model(folder, device: str, dtype: torch.dtype, double_quant: bool, dropout: float):
    """The tiny Llama in 4-bit with LoRA r=8 on every linear layer, B drawn at random (PEFT starts it at
    zero, which would hide every error in the B path)."""
    import bitsandbytes as bnb
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM, BitsAndBytesConfig

    quantization = BitsAndBytesConfig(load_in_4bit=True, bnb_4bit_quant_type="nf4", bnb_4bit_use_double_quant=double_quant,
                                      bnb_4bit_compute_dtype=dtype)
    base = AutoModelForCausalLM.from_pretrained(folder, quantization_config=quantization, device_map={"": device}, dtype=dtype)
    for module in base.modules():
        if isinstance(module, bnb.nn.Linear4bit):
            module.support_avx512bf16_for_cpu = False  # as stage 4 trains it (finetune_train.keep_4bit_layout_trainable)
    model = get_peft_model(base, LoraConfig(r=8, lora_alpha=16, lora_dropout=dropout, target_modules="all-linear"))
    torch.manual_seed(1)
    for name, parameter in model.named_parameters():
        if parameter.requires_grad:
            parameter.data = parameter.data.float()  # fp32 master weights, as stage 4 keeps them
            if "lora_B" in name:
                torch.nn.init.normal_(parameter, std=0.05)
    return model.train()


def loss_and_grads(model, ids: torch.Tensor, autocast_dtype=None):
    model.zero_grad(set_to_none=True)
    torch.manual_seed(7)  # the same dropout masks on both paths
    with torch.autocast(ids.device.type, dtype=autocast_dtype, enabled=autocast_dtype is not None):
        loss = model(input_ids=ids, labels=ids).loss
    loss.backward()
    return loss.detach().float(), {n: p.grad.detach().float().clone() for n, p in model.named_parameters() if p.requires_grad}


def relative_error(a: torch.Tensor, b: torch.Tensor) -> float:
    return ((a - b).norm() / b.norm().clamp(min=1e-12)).item()


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("double_quant,dropout", [(False, 0.0), (True, 0.0), (True, 0.1)])
def test_fused_step_gives_peft_loss_and_gradients(tiny_llama, device, double_quant, dropout):
    # fp32 on the CPU (stage 4's CPU dtype); bf16 compute under autocast on a GPU (its default)
    dtype, autocast = (torch.float32, None) if device == "cpu" else (torch.bfloat16, torch.bfloat16)
    tolerance = 1e-5 if dtype == torch.float32 else 2e-2
    model = four_bit_lora_model(tiny_llama, device, dtype, double_quant, dropout)
    ids = torch.randint(5, 1000, (2, 40), generator=torch.Generator().manual_seed(0)).to(device)

    peft_loss, peft_grads = loss_and_grads(model, ids, autocast)
    assert fused_lora.install(model) == 2 * 7  # q, k, v, o, gate, up, down in both layers
    fused_loss, fused_grads = loss_and_grads(model, ids, autocast)

    assert torch.allclose(fused_loss, peft_loss, rtol=tolerance), (fused_loss, peft_loss)
    assert fused_grads.keys() == peft_grads.keys() and len(fused_grads) == 2 * 7 * 2
    errors = {name: relative_error(fused_grads[name], peft_grads[name]) for name in peft_grads}
    assert max(errors.values()) < tolerance, max(errors.items(), key=lambda item: item[1])
    assert all(g.abs().sum() > 0 for g in fused_grads.values())  # every adapter learns, first layer included


def test_fused_layers_fall_back_to_peft_where_the_fused_step_does_not_apply(tiny_llama):
    """Adapters switched off give the base model's output; a layer repacked into bitsandbytes' CPU inference
    layout (an eval forward without gradients, when its support_avx512bf16_for_cpu is on) runs PEFT's forward,
    which reads that layout, instead of dequantising it as the training layout."""
    model = four_bit_lora_model(tiny_llama, "cpu", torch.float32, False, 0.0)
    ids = torch.randint(5, 1000, (1, 24), generator=torch.Generator().manual_seed(3))
    with torch.no_grad():
        tuned = model(input_ids=ids).logits
        with model.disable_adapter():
            base = model(input_ids=ids).logits
    fused_lora.install(model)
    with torch.no_grad():
        assert torch.allclose(model(input_ids=ids).logits, tuned, atol=1e-5)
        with model.disable_adapter():
            assert torch.allclose(model(input_ids=ids).logits, base, atol=1e-5)
    assert not torch.allclose(tuned, base, atol=1e-3)  # the adapters do change the output

    import bitsandbytes as bnb

    layer = model.base_model.model.model.layers[0].self_attn.q_proj
    layer.base_layer.support_avx512bf16_for_cpu = True
    layer.base_layer.weight.quant_state.packing_format_for_cpu = True  # what a repacked layer carries
    calls = []
    original = bnb.nn.Linear4bit.forward
    bnb.nn.Linear4bit.forward = lambda self, x: calls.append(self) or original(self, x)
    try:
        layer.base_layer.weight.quant_state.packing_format_for_cpu = False
        layer(torch.randn(1, 3, layer.in_features))
        assert calls == []  # the training layout: the fused step, not bitsandbytes' layer
        layer.base_layer.weight.quant_state.packing_format_for_cpu = True
        layer(torch.randn(1, 3, layer.in_features))
        assert calls == [layer.base_layer]  # the repacked layout: PEFT's path through bitsandbytes' layer
    finally:
        bnb.nn.Linear4bit.forward = original
        layer.base_layer.weight.quant_state.packing_format_for_cpu = False


def test_only_peft_4bit_lora_layers_are_fused(tiny_llama):
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM

    full_precision = get_peft_model(AutoModelForCausalLM.from_pretrained(tiny_llama),
                                    LoraConfig(r=4, target_modules="all-linear"))
    assert fused_lora.install(full_precision) == 0  # bf16/fp32 bases keep PEFT's layers
