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

# fp32 on the CPU (stage 4's CPU dtype); on a GPU, 16-bit compute under autocast: bf16 (8.0+ cards) and fp16 (T4, V100)
DEVICE_DTYPES = [("cpu", torch.float32)] + ([("cuda", torch.bfloat16), ("cuda", torch.float16)] if torch.cuda.is_available() else [])


@pytest.fixture(scope="module")
def tiny_llama(tmp_path_factory):
    """A tiny random Llama (2 layers, grouped-query attention), saved in fp32; no tokenizer needed."""
    from transformers import LlamaConfig, LlamaForCausalLM

    config = LlamaConfig(
        vocab_size=1024, hidden_size=64, intermediate_size=128, num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=2
    )
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

    quantization = BitsAndBytesConfig(
        load_in_4bit=True, bnb_4bit_quant_type="nf4", bnb_4bit_use_double_quant=double_quant, bnb_4bit_compute_dtype=dtype
    )
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


@pytest.mark.parametrize("device,dtype", DEVICE_DTYPES, ids=[f"{d}-{str(t)[6:]}" for d, t in DEVICE_DTYPES])
@pytest.mark.parametrize(
    "double_quant,dropout,tokens,grouped",
    [
        (False, 0.0, 120, True),  # q/k/v and gate/up as one step each, the update folded into the weight
        (True, 0.0, 30, True),  # ... added to the output (too few tokens for folding to move fewer bytes)
        (True, 0.0, 120, False),  # each layer alone (LoRA4bitFunction), as under torch.compile
        (True, 0.1, 120, True),  # dropout: each layer alone, its adapter on the dropped-out input
    ],
)
def test_fused_step_gives_peft_loss_and_gradients(tiny_llama, device, dtype, double_quant, dropout, tokens, grouped, monkeypatch):
    autocast = None if dtype == torch.float32 else dtype
    tolerance = {torch.float32: 1e-5, torch.bfloat16: 2e-2, torch.float16: 4e-3}[dtype]
    model = four_bit_lora_model(tiny_llama, device, dtype, double_quant, dropout)
    ids = torch.randint(5, 1000, (2, tokens // 2), generator=torch.Generator().manual_seed(0)).to(device)

    peft_loss, peft_grads = loss_and_grads(model, ids, autocast)
    assert fused_lora.install(model, grouped=grouped) == 2 * 7  # q, k, v, o, gate, up, down in both layers
    steps = []  # (layers in the step, folded): which fused steps ran, as they ran
    apply = fused_lora.SharedInputLoRA4bit.apply
    monkeypatch.setattr(
        fused_lora.SharedInputLoRA4bit,
        "apply",
        lambda scalings, fold, *args: steps.append((len(scalings), fold)) or apply(scalings, fold, *args),
    )
    fused_loss, fused_grads = loss_and_grads(model, ids, autocast)

    assert torch.allclose(fused_loss, peft_loss, rtol=tolerance), (fused_loss, peft_loss)
    assert fused_grads.keys() == peft_grads.keys() and len(fused_grads) == 2 * 7 * 2
    errors = {name: relative_error(fused_grads[name], peft_grads[name]) for name in peft_grads}
    assert max(errors.values()) < tolerance, max(errors.items(), key=lambda item: item[1])
    assert all(g.abs().sum() > 0 for g in fused_grads.values())  # every adapter learns, first layer included
    if grouped and dropout == 0:  # per decoder layer: q/k/v as one step, o, gate/up as one step, down
        assert [size for size, _ in steps] == [3, 1, 2, 1] * 2 and {fold for _, fold in steps} == {tokens == 120}
    else:
        assert steps == []


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

    full_precision = get_peft_model(AutoModelForCausalLM.from_pretrained(tiny_llama), LoraConfig(r=4, target_modules="all-linear"))
    assert fused_lora.install(full_precision) == 0  # bf16/fp32 bases keep PEFT's layers


def test_a_grouped_layer_called_on_its_own_input_runs_alone(tiny_llama):
    """The group hands out outputs computed for one input only: a member called with another input, or twice,
    computes its own, equal to PEFT's."""
    model = four_bit_lora_model(tiny_llama, "cpu", torch.float32, False, 0.0)
    attention = model.base_model.model.model.layers[0].self_attn
    x, other = torch.randn(2, 1, 5, 64, generator=torch.Generator().manual_seed(4))
    with torch.no_grad():
        peft = {(name, i): getattr(attention, name)(value) for name in ("q_proj", "k_proj", "v_proj") for i, value in enumerate((x, other))}
        fused_lora.install(model, grouped=True)
        q = attention.q_proj(x)  # computes k and v of x too
        k_other = attention.k_proj(other)  # another input: k alone
        k, v, v_again = attention.k_proj(x), attention.v_proj(x), attention.v_proj(x)
    for got, key in [(q, ("q_proj", 0)), (k, ("k_proj", 0)), (v, ("v_proj", 0)), (v_again, ("v_proj", 0)), (k_other, ("k_proj", 1))]:
        assert torch.allclose(got, peft[key], atol=1e-5), key
