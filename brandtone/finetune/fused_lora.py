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
bitsandbytes' layers wholesale), so it is ours, checked against PEFT's path in tests/finetune/test_fused_lora.py.

Same arithmetic, same saved tensors (the adapter's input and its rank-r projection), no new
parameters: checkpoints and saved adapters are PEFT's own. `install` swaps the forward of each
PEFT 4-bit LoRA layer on one model instance; a layer whose adapters are disabled, merged, mixed
per batch or not plain LoRA (DoRA, a LoRA bias) runs PEFT's forward unchanged.

With `install(grouped=True)` (finetune.fused_lora_groups), projections that read the same input
(q, k and v; gate and up) run as one `SharedInputLoRA4bit` step when their adapters have no dropout:
their 4-bit weights are dequantised into one matrix, so the input is read by one product instead of
three, and the backward pass returns one input gradient instead of three that autograd must add. In
it the low-rank update is folded into the dequantised weight (W + s B A, a product over the weight
instead of over every token's output) where that moves fewer bytes (`FOLD_UPDATE_INTO_WEIGHT`).
Measured on an H100 (bench/NOTES.md): no faster than the layers one by one, and 4 GiB more memory
(the pre-RoPE q and k stay alive as long as v, a view of the same output, is saved), so off by default.
"""

from __future__ import annotations

import itertools
import types
from typing import Optional

import torch

# Llama-family projections that read the same input: each tuple runs as one product where all are fused
SHARED_INPUT_GROUPS = (("q_proj", "k_proj", "v_proj"), ("gate_proj", "up_proj"))
FOLD_UPDATE_INTO_WEIGHT = True  # fold s B A into the weight when the weight is the smaller matrix (see module doc)


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


def _dequantize_stacked(weights, dtype: torch.dtype) -> torch.Tensor:
    """The 4-bit weights dequantised one under the other into one (sum of outputs, inputs) matrix: on a GPU
    each straight into its rows (bitsandbytes' `out=`, which its CPU backend lacks), elsewhere concatenated."""
    import bitsandbytes.functional as bnb_functional

    if len(weights) == 1:
        return _dequantize(weights[0]).to(dtype)
    if not weights[0].is_cuda:
        return torch.cat([_dequantize(weight) for weight in weights]).to(dtype)
    shapes = [weight.quant_state.shape for weight in weights]
    stacked = torch.empty(sum(shape[0] for shape in shapes), shapes[0][1], dtype=weights[0].quant_state.dtype, device=weights[0].device)
    for weight, rows in zip(weights, stacked.split([shape[0] for shape in shapes])):
        bnb_functional.dequantize_4bit(weight, weight.quant_state, out=rows)
    return stacked.to(dtype)


class SharedInputLoRA4bit(torch.autograd.Function):
    """n LoRA layers over 4-bit weights that read the same x, as one step (no dropout, no bias):
    out = x [W_1; ..; W_n]^T + x A^T D^T, with A = [A_1; ..; A_n] and D = blockdiag(s_1 B_1, .., s_n B_n),
    the n outputs side by side. `fold` computes it as x (W + D A)^T: the update added to the weight
    (outputs x inputs) rather than to the output (tokens x outputs).

    Arguments after `x`: the n 4-bit weights, the n A, the n B (fp32 master weights or not: gradients come
    back in their own dtype). `scalings` are the n LoRA scalings.
    """

    @staticmethod
    def forward(ctx, scalings: tuple, fold: bool, x, *tensors):
        count = len(scalings)
        weights, lora_As, lora_Bs = tensors[:count], tensors[count : 2 * count], tensors[2 * count :]
        dtype = x.dtype
        x2d = x.reshape(-1, x.shape[-1])
        a = torch.cat([lora_A.to(dtype) for lora_A in lora_As])  # (sum of ranks, inputs)
        d = torch.block_diag(*[(lora_B * scaling).to(dtype) for lora_B, scaling in zip(lora_Bs, scalings)])  # (outputs, ranks)
        weight = _dequantize_stacked(weights, dtype)
        if fold:
            out = x2d @ weight.addmm_(d, a).t()
            projected = None  # recomputed in the backward pass: one small product, no tokens x rank tensor kept
        else:
            out = x2d @ weight.t()
            projected = x2d @ a.t()  # (tokens, sum of ranks)
            out.addmm_(projected, d.t())
        ctx.fold, ctx.scalings = fold, scalings
        ctx.ranks = [lora_A.shape[0] for lora_A in lora_As]
        ctx.master_dtypes = [t.dtype for t in (*lora_As, *lora_Bs)]
        ctx.save_for_backward(x, projected, a, d, *weights)
        return out.view(*x.shape[:-1], out.shape[-1])

    @staticmethod
    def backward(ctx, grad_out):
        x, projected, a, d, *weights = ctx.saved_tensors
        x2d = x.reshape(-1, x.shape[-1])
        grad2d = grad_out.reshape(-1, grad_out.shape[-1]).to(a.dtype)
        grad_projected = grad2d @ d  # (tokens, sum of ranks): the gradient reaching x A^T, scalings included
        if projected is None:
            projected = x2d @ a.t()
        grad_As = (grad_projected.t() @ x2d).split(ctx.ranks)
        outputs = [w.quant_state.shape[0] for w in weights]
        grad_Bs = [
            (grad2d[:, rows].t() @ projected[:, ranks]) * scaling  # each layer's block of D
            for rows, ranks, scaling in zip(_slices(outputs), _slices(ctx.ranks), ctx.scalings)
        ]
        grad_x = None
        if ctx.needs_input_grad[2]:
            weight = _dequantize_stacked(weights, grad2d.dtype)
            if ctx.fold:
                grad_x = grad2d @ weight.addmm_(d, a)
            else:
                grad_x = (grad2d @ weight).addmm_(grad_projected, a)
            grad_x = grad_x.view(*grad_out.shape[:-1], grad_x.shape[-1])
        grads = [g.to(dtype) for g, dtype in zip((*grad_As, *grad_Bs), ctx.master_dtypes)]
        return None, None, grad_x, *([None] * len(weights)), *grads


def _slices(sizes: list[int]) -> list[slice]:
    return [slice(end - size, end) for size, end in zip(sizes, itertools.accumulate(sizes))]


class SharedInputGroup:
    """Fused LoRA layers that read one input (or one layer alone). The first of them called with a new x
    computes every member's output in one SharedInputLoRA4bit step and keeps the others' for their own calls
    with that same x (the decoder layer calls them one after the other)."""

    def __init__(self, layers: list) -> None:
        self.layers = layers
        self.pending: Optional[tuple[torch.Tensor, dict]] = None  # (x, outputs not yet taken, by layer)

    def output(self, layer, x: torch.Tensor) -> Optional[torch.Tensor]:
        if self.pending is not None and self.pending[0] is x and layer in self.pending[1]:
            output = self.pending[1].pop(layer)
            if not self.pending[1]:
                self.pending = None
            return output
        if not all(_plain(member) for member in self.layers):
            return None
        outputs = dict(zip(self.layers, _shared_input_step(self.layers, x)))
        own = outputs.pop(layer)
        self.pending = (x, outputs) if outputs else None
        return own


def _shared_input_step(layers: list, x: torch.Tensor) -> list[torch.Tensor]:
    names = [layer.active_adapters[0] for layer in layers]
    weights = [layer.base_layer.weight for layer in layers]
    outputs = [w.quant_state.shape[0] for w in weights]
    fold = FOLD_UPDATE_INTO_WEIGHT and _fold_moves_less(sum(outputs), x.shape[-1], x.numel() // x.shape[-1])
    out = SharedInputLoRA4bit.apply(
        tuple(layer.scaling[name] for layer, name in zip(layers, names)),
        fold,
        _compute_input(layers[0], x),
        *weights,
        *(layer.lora_A[name].weight for layer, name in zip(layers, names)),
        *(layer.lora_B[name].weight for layer, name in zip(layers, names)),
    )
    return [piece.to(x.dtype) for piece in out.split(outputs, dim=-1)]


def _fold_moves_less(outputs: int, inputs: int, tokens: int) -> bool:
    """Folding adds s B A to the weight in the forward pass and again in the backward (2 x outputs x inputs
    elements read and written); not folding adds it to the output and to the input gradient
    (tokens x (outputs + inputs)). Memory traffic decides: these products have a rank's worth of arithmetic."""
    return 2 * outputs * inputs < tokens * (outputs + inputs)


def _compute_input(layer, x: torch.Tensor) -> torch.Tensor:
    """x in the dtype the layer computes in: autocast's, else the 4-bit layer's compute dtype."""
    base = layer.base_layer
    dtype = torch.get_autocast_dtype(x.device.type) if torch.is_autocast_enabled(x.device.type) else base.compute_dtype or x.dtype
    return x.to(dtype)


def _plain(layer) -> bool:
    """The layer's forward can be the fused step: one plain adapter, active, unmerged, training layout."""
    return not (
        layer.disable_adapters
        or layer.merged
        or len(layer.active_adapters) != 1
        or layer.active_adapters[0] not in layer.lora_A
        # bitsandbytes' CPU inference layout (repacked at an eval forward unless the layer's
        # support_avx512bf16_for_cpu is off) is not what dequantize_4bit reads
        or getattr(layer.base_layer.weight.quant_state, "packing_format_for_cpu", False)
    )


def fused_forward(self, x: torch.Tensor, *args, **kwargs) -> torch.Tensor:
    """Replaces peft.tuners.lora.bnb.Linear4bit.forward on one layer (bound with `install`)."""
    if args or kwargs or not _plain(self):
        return type(self).forward(self, x, *args, **kwargs)
    group = getattr(self, "shared_input_group", None)
    grouped = group.output(self, x) if group is not None else None
    if grouped is not None:
        return grouped
    name = self.active_adapters[0]
    input_dtype = x.dtype
    x = _compute_input(self, x)
    dropout = self.lora_dropout[name]
    dropped = None if isinstance(dropout, torch.nn.Identity) else dropout(x)
    out = LoRA4bitFunction.apply(
        x, dropped, self.base_layer.weight, self.base_layer.bias, self.lora_A[name].weight, self.lora_B[name].weight, self.scaling[name]
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


def install(model, grouped: bool = False) -> int:
    """Give every fusable LoRA layer of `model` the fused forward; returns how many got it. With `grouped`,
    layers without dropout and bias run through SharedInputLoRA4bit: the projections of one module that
    read the same input (SHARED_INPUT_GROUPS) as one step, the others alone; the rest, and every layer
    without `grouped` (torch.compile: a group keeps Python state between its members' calls), through
    LoRA4bitFunction."""
    layers = [module for module in model.modules() if fusable(module)]
    for layer in layers:
        layer.forward = types.MethodType(fused_forward, layer)
        layer.shared_input_group = None
    if not grouped:
        return len(layers)
    for parent in model.modules():
        for names in SHARED_INPUT_GROUPS:
            members = [getattr(parent, name, None) for name in names]
            if all(member in layers and _groupable(member) for member in members):
                group = SharedInputGroup(members)
                for member in members:
                    member.shared_input_group = group
    for layer in layers:
        if layer.shared_input_group is None and _groupable(layer):
            layer.shared_input_group = SharedInputGroup([layer])
    return len(layers)


def _groupable(layer) -> bool:
    return all(isinstance(dropout, torch.nn.Identity) for dropout in layer.lora_dropout.values()) and layer.base_layer.bias is None
