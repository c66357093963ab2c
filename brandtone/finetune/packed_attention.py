"""Attention for packed rows in which each text attends only to itself, at the cost of the texts alone.

Stage 4 packs many short texts into each row and flattens a batch into one
padding-free sequence; TRL's collator marks where each text starts
(`cu_seq_lens_q`, computed on the CPU, so no device sync is needed) and
restarts `position_ids` at every text. PyTorch's SDPA can only honour those
boundaries through a dense block-diagonal mask over the whole row, so it
computes (and on a GPU, fetches a cuDNN plan for every new row length) the
full row-by-row attention and throws most of it away. Social posts of ~70
tokens in rows of 2,048 waste about 95% of it.

`packed_attention` runs each text's causal attention on its own instead:
PyTorch's variable-length FlashAttention kernel (torch.nn.attention.varlen) on
a GPU of compute capability 8.0+ in 16-bit; on other GPUs (a T4 or V100, or in
fp32) texts of similar length padded into one causal SDPA call per length class,
a few calls per layer, where one call per text left the GPU waiting on the host;
on the CPU one causal SDPA call per text. It is registered with transformers'
AttentionInterface under `ATTENTION_NAME`; no mask is built for that name, and
it refuses batches that carry no text boundaries.
"""

from __future__ import annotations

import functools
import inspect

import torch
import torch.nn.functional as F

ATTENTION_NAME = "brandtone_packed"  # the name transformers knows it by (config: finetune.attn_implementation=varlen)
FLASH_MIN_CAPABILITY = (8, 0)  # PyTorch's FlashAttention kernels, its variable-length one too: Ampere and newer


def register(flash: bool = True) -> str:
    """Make `ATTENTION_NAME` a valid `attn_implementation` for from_pretrained; returns the name. `flash=False`
    keeps to batched SDPA even where FlashAttention could run (the plan's choice for the card)."""
    from transformers import AttentionInterface

    AttentionInterface.register(ATTENTION_NAME, packed_attention if flash else functools.partial(packed_attention, flash=False))
    return ATTENTION_NAME


def packed_attention(module, query, key, value, attention_mask, scaling=None, dropout=0.0, flash=True, **kwargs):
    """transformers attention function: query (1, heads, tokens, dim), key/value (1, kv_heads, tokens, dim)
    -> (1, tokens, heads, dim), causal within each text of `cu_seq_lens_q`; FlashAttention's kernel where
    `flash` and the device and dtype allow it."""
    boundaries = kwargs.get("cu_seq_lens_q")
    if boundaries is None or query.shape[0] != 1:
        raise ValueError(
            "finetune.attn_implementation=varlen needs packed, padding-free batches (finetune.packing=true):"
            " set finetune.attn_implementation=sdpa to train without packing"
        )
    dropout = dropout if module.training else 0.0
    if flash and _flash_varlen_usable(query) and dropout == 0.0:
        output = _flash_varlen(query, key, value, boundaries, int(kwargs["max_length_q"]), scaling)
    elif query.is_cuda:
        output = batched_sdpa(query, key, value, boundaries, scaling, dropout)
    else:
        output = per_text_sdpa(query, key, value, boundaries, scaling, dropout)
    return output.unsqueeze(0), None


def _find_varlen_attn():
    """PyTorch's varlen FlashAttention and the keyword arguments this version takes for a causal,
    grouped-query call (the signature changed between 2.10 and 2.12); None before 2.10."""
    try:
        from torch.nn.attention.varlen import varlen_attn
    except ImportError:
        return None
    parameters = inspect.signature(varlen_attn).parameters
    causal = {"window_size": (-1, 0)} if "window_size" in parameters else {"is_causal": True}
    return varlen_attn, causal, "enable_gqa" in parameters


# Looked up once, at import: torch.compile then sees a constant (a custom op it traces) instead of a lookup
VARLEN_ATTN = _find_varlen_attn()


def _flash_varlen_usable(query: torch.Tensor) -> bool:
    return (
        query.is_cuda
        and query.dtype in (torch.float16, torch.bfloat16)
        and VARLEN_ATTN is not None
        and torch.cuda.get_device_capability(query.device) >= FLASH_MIN_CAPABILITY
    )


def _repeat_kv(key, value, heads: int):
    """Key and value heads repeated to the query's head count (grouped-query attention), on dim 1."""
    groups = heads // key.shape[1]
    return (key, value) if groups == 1 else (key.repeat_interleave(groups, dim=1), value.repeat_interleave(groups, dim=1))


def _flash_varlen(query, key, value, boundaries, longest: int, scaling):
    varlen_attn, causal, takes_gqa = VARLEN_ATTN
    q, k, v = (t[0].transpose(0, 1) for t in (query, key, value))  # (tokens, heads, dim)
    gqa = {}
    if k.shape[1] != q.shape[1]:
        if takes_gqa:
            gqa["enable_gqa"] = True
        else:
            k, v = _repeat_kv(k, v, q.shape[1])
    boundaries = boundaries.to(device=q.device, dtype=torch.int32)
    return varlen_attn(q, k, v, boundaries, boundaries, longest, longest, scale=scaling, **causal, **gqa)


class _Buckets:
    """The texts of a batch grouped by length for padded, batched attention (`_length_groups`), built on the host
    from the boundaries, read from the device once per batch rather than once per layer (each read waits for the
    GPU). Kept for the boundaries tensor itself, which every layer of a forward pass (and its recomputation under
    checkpointing) receives; holding it keeps its identity unique."""

    tensor = None
    groups: list[tuple[torch.Tensor, torch.Tensor]] = []
    restore: torch.Tensor = torch.empty(0)

    @classmethod
    def of(cls, boundaries: torch.Tensor, device: torch.device) -> type["_Buckets"]:
        if boundaries is not cls.tensor:
            cls.tensor = boundaries
            cls.groups, cls.restore = _length_groups(boundaries.tolist(), device)
        return cls


SHORT_TEXT = 64  # tokens: texts up to this long share one group (their padding costs little at any length)


def _length_groups(edges: list[int], device) -> tuple[list[tuple[torch.Tensor, torch.Tensor]], torch.Tensor]:
    """Per group of texts of similar length (up to SHORT_TEXT tokens, then up to 128, 256, 512, ...: padding costs
    at most 4x a text's own attention): `gather`, (texts, longest), the token each padded slot reads, and `keep`,
    the flat slots that hold a real token; and `restore`, the order that puts the groups' real tokens back in the
    row's order. Index tensors rather than masks: selecting by a mask on the GPU would wait for it."""
    groups_by_class: dict[int, list[tuple[int, int]]] = {}
    for start, end in zip(edges, edges[1:]):
        if end > start:
            length_class = 0 if end - start <= SHORT_TEXT else (end - start - 1).bit_length()
            groups_by_class.setdefault(length_class, []).append((start, end))
    groups, order = [], []
    for _, texts in sorted(groups_by_class.items()):
        longest = max(end - start for start, end in texts)
        # a padded slot reads its text's last token: causal attention never lets a real token see a later slot
        gather = torch.tensor([[min(start + j, end - 1) for j in range(longest)] for start, end in texts])
        keep = torch.tensor([t * longest + j for t, (start, end) in enumerate(texts) for j in range(end - start)])
        groups.append((gather.to(device, non_blocking=True), keep.to(device, non_blocking=True)))
        order += [position for start, end in texts for position in range(start, end)]
    restore = torch.empty(len(order), dtype=torch.long)
    restore[torch.tensor(order, dtype=torch.long)] = torch.arange(len(order))
    return groups, restore.to(device, non_blocking=True)


@torch.compiler.disable  # host-built index tensors per batch: compiled layers run it as it is
def batched_sdpa(query, key, value, boundaries, scaling, dropout: float):
    """Each text's causal attention, texts of similar length batched into one SDPA call each: on a GPU without
    FlashAttention, where one call per text (~120 a layer) left the GPU waiting on the host."""
    key, value = _repeat_kv(key, value, query.shape[1])
    q, k, v = query[0], key[0], value[0]  # (heads, tokens, dim)
    buckets = _Buckets.of(boundaries, q.device)
    pieces = []
    for gather, keep in buckets.groups:
        padded = [t[:, gather].transpose(0, 1) for t in (q, k, v)]  # (texts, heads, longest, dim)
        out = F.scaled_dot_product_attention(*padded, dropout_p=dropout, is_causal=True, scale=scaling)
        pieces.append(out.transpose(1, 2).flatten(0, 1)[keep])  # (its real tokens, heads, dim)
    return torch.cat(pieces)[buckets.restore]  # (tokens, heads, dim), in the row's order


@torch.compiler.disable  # a Python loop over the texts: compiled layers run it as it is
def per_text_sdpa(query, key, value, boundaries, scaling, dropout: float):
    """Each text's causal attention, one SDPA call per text: on the CPU, where a call costs little, this measured
    faster than `batched_sdpa`'s gathers and padding (bench/NOTES.md)."""
    key, value = _repeat_kv(key, value, query.shape[1])
    edges = boundaries.tolist()
    pieces = [
        F.scaled_dot_product_attention(
            query[:, :, start:end], key[:, :, start:end], value[:, :, start:end], dropout_p=dropout, is_causal=True, scale=scaling
        )
        for start, end in zip(edges, edges[1:])
        if end > start
    ]
    return torch.cat(pieces, dim=2)[0].transpose(0, 1)  # (tokens, heads, dim)
