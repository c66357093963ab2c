"""LoRA on a 4-bit base layer as one autograd step: the base product and the low-rank update
computed together, forward and backward.

PEFT runs a LoRA layer over a bitsandbytes 4-bit layer as separate modules: the 4-bit product
(bitsandbytes' autograd function), a defensive copy of its output, the adapter's two products,
a multiplication by the scaling and an addition, each a kernel over the layer's whole output, and
in the backward pass as many again. At 8,192 tokens a step on a 7B model that is ~150 GB of
memory traffic a step besides the matrix products (bench/NOTES.md). Here the scaling is folded into
the adapter's small B matrix and the update is accumulated into the base product's output by the
matrix product itself (`addmm_`, beta = 1), as Unsloth's LoRA kernels do; the backward pass
dequantises the base weight once and adds the adapter's share of the input gradient the same way.
No library we depend on ships this for PEFT's layers (PEFT has none; Unsloth's replaces PEFT and
bitsandbytes' layers wholesale), so it is ours, checked against PEFT's path in tests/test_fused_lora.py.

Same arithmetic, same saved tensors (the adapter's input and its rank-r projection), no new
parameters: checkpoints and saved adapters are PEFT's own. `install` swaps the forward of each
PEFT 4-bit LoRA layer on one model instance; a layer whose adapters are disabled, merged, mixed
per batch or not plain LoRA (DoRA, a LoRA bias) runs PEFT's forward unchanged.
"""

from __future__ import annotations

import types

import torch


class LoRA4bitFunction(torch.autograd.Function):
    """out = x W^T (+ bias) + scaling * (x' A^T) B^T, with W dequantised from 4 bits in each pass.

    x' is `dropped`, the adapter's input after dropout (autograd then carries its gradient back
    through the dropout), or x itself when `dropped` is None (no dropout: torch.compile cannot trace
    one tensor given twice). A and B may be fp32 master weights: they are used in the compute dtype
    and their gradients returned in their own dtype.
    """

    @staticmethod
    def forward(ctx, x, dropped, weight, bias, lora_A, lora_B, scaling: float):
        dtype = x.dtype
        lora_input = x if dropped is None else dropped
        x2d = x.reshape(-1, x.shape[-1])
        a = lora_A.to(dtype)
        b_scaled = (lora_B * scaling).to(dtype)
        base = _dequantize(weight).to(dtype)
        out = torch.nn.functional.linear(x2d, base, None if bias is None else bias.to(dtype))
        projected = lora_input.reshape(-1, lora_input.shape[-1]) @ a.t()  # (tokens, r)
        out.addmm_(projected, b_scaled.t())
        ctx.same_input = dropped is None
        ctx.scaling, ctx.master_dtypes = scaling, (lora_A.dtype, lora_B.dtype)
        ctx.save_for_backward(lora_input, projected, weight, a, b_scaled)
        return out.view(*x.shape[:-1], out.shape[-1])

    @staticmethod
    def backward(ctx, grad_out):
        lora_input, projected, weight, a, b_scaled = ctx.saved_tensors
        needs_x, needs_lora_input = ctx.needs_input_grad[0], ctx.needs_input_grad[1]
        grad2d = grad_out.reshape(-1, grad_out.shape[-1]).to(a.dtype)
        grad_projected = grad2d @ b_scaled  # (tokens, r): the gradient reaching x A^T, scaling included
        lora_input2d = lora_input.reshape(-1, lora_input.shape[-1])
        grad_A = (grad_projected.t() @ lora_input2d).to(ctx.master_dtypes[0])
        grad_B = ((grad2d.t() @ projected) * ctx.scaling).to(ctx.master_dtypes[1])
        grad_x = grad_lora_input = None
        if needs_x:
            grad_x = grad2d @ _dequantize(weight).to(grad2d.dtype)
            if ctx.same_input:  # the adapter's share of x's gradient, added by the product itself
                grad_x.addmm_(grad_projected, a)
            grad_x = grad_x.view(*grad_out.shape[:-1], grad_x.shape[-1])
        if needs_lora_input and not ctx.same_input:
            grad_lora_input = (grad_projected @ a).view(*lora_input.shape)
        return grad_x, grad_lora_input, None, None, grad_A, grad_B, None


def _dequantize(weight) -> torch.Tensor:
    import bitsandbytes.functional as bnb_functional

    return bnb_functional.dequantize_4bit(weight, weight.quant_state)


def fused_forward(self, x: torch.Tensor, *args, **kwargs) -> torch.Tensor:
    """Replaces peft.tuners.lora.bnb.Linear4bit.forward on one layer (bound with `install`)."""
    base = self.base_layer
    if (
        args or kwargs or self.disable_adapters or self.merged or len(self.active_adapters) != 1
        or self.active_adapters[0] not in self.lora_A
        # bitsandbytes' CPU inference layout (repacked at an eval forward unless the layer's
        # support_avx512bf16_for_cpu is off) is not what dequantize_4bit reads
        or getattr(base.weight.quant_state, "packing_format_for_cpu", False)
    ):
        return type(self).forward(self, x, *args, **kwargs)
    name = self.active_adapters[0]
    input_dtype = x.dtype
    dtype = torch.get_autocast_dtype(x.device.type) if torch.is_autocast_enabled(x.device.type) else base.compute_dtype or x.dtype
    x = x.to(dtype)
    dropout = self.lora_dropout[name]
    dropped = None if isinstance(dropout, torch.nn.Identity) else dropout(x)
    out = LoRA4bitFunction.apply(
        x, dropped, base.weight, base.bias, self.lora_A[name].weight, self.lora_B[name].weight, self.scaling[name],
    )
    return out.to(input_dtype)


def fusable(layer) -> bool:
    """A PEFT LoRA layer over a bitsandbytes 4-bit layer, with plain LoRA adapters only."""
    try:
        from peft.tuners.lora.bnb import Linear4bit as LoRALinear4bit
    except ImportError:  # peft without bitsandbytes
        return False
    if not isinstance(layer, LoRALinear4bit):
        return False
    return not layer.lora_variant and not any(getattr(layer, "lora_bias", {}).values())


def install(model) -> int:
    """Give every fusable LoRA layer of `model` the fused forward; returns how many got it."""
    layers = [module for module in model.modules() if fusable(module)]
    for layer in layers:
        layer.forward = types.MethodType(fused_forward, layer)
    return len(layers)
