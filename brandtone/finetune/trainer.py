"""Stage 4's Trainer: TRL's SFTTrainer with the loss path and the per-process record stage 4 needs.

The loss path keeps the host from waiting for the GPU (brandtone.finetune.loss) and, with compiled
decoder layers, pads every training batch to one shape. The record (real tokens trained, a fingerprint
of the batches, a digest of the adapter, peak memory) is each process's evidence in the adapter's
manifest that data-parallel processes saw different data and ended with the same adapter.
brandtone.finetune.train builds it.
"""

from __future__ import annotations

import hashlib
from typing import Any, Optional

import torch
from transformers import Trainer
from trl import SFTTrainer

from brandtone.finetune import loss as finetune_loss
from brandtone.finetune.checkpoints import ResumableRunningLoss
from brandtone.finetune.data import BatchFingerprint, pad_packed_batch


class BrandToneTrainer(ResumableRunningLoss, SFTTrainer):
    """SFTTrainer that also records, per process, how many real tokens it trained on and a
    fingerprint of its batches: the evidence that data-parallel processes saw different data.

    With compiled decoder layers (`fixed_tokens` set) every training batch is padded to that many
    tokens (data.pad_packed_batch), so the layers compile once; the held-out evaluation runs
    them eagerly (a few batches do not repay compiling the layers a second time, without gradients).

    On a GPU the loss is TRL's chunked LM head's, as in SFTTrainer.compute_loss, but scored at every
    position rather than compacted to the labelled ones (brandtone.finetune.loss: no wait for the GPU),
    and its entropy and token-accuracy metrics stay on the device until they are logged: TRL reads them
    back after every forward pass, which makes the host wait for the GPU before it may queue the backward.

    On the CPU the loss comes from the full logits (transformers' Trainer.compute_loss, the same
    sum over real tokens / their count) instead of TRL's chunked LM head. The chunks exist to keep
    the vocabulary-wide logits out of GPU memory; on a CPU they cost a second logits product in the
    backward pass and about twenty elementwise passes over the logits per step (a fifth of the demo's
    step time). `chunked_lm_head = True` restores TRL's path (the loss-parity test uses it).
    """

    def __init__(self, *args, fixed_tokens: Optional[int] = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.chunked_lm_head = self.args.device.type != "cpu"
        self.fixed_tokens = fixed_tokens
        self.seen = {"tokens": 0, "sequences": 0, "batches": 0, "padding_tokens": 0}
        self.fingerprint = BatchFingerprint()
        self._device_metrics = {"train": [], "eval": []}  # (entropy sum, correct, valid) per forward pass

    def compute_loss(self, model, inputs, return_outputs=False, num_items_in_batch=None):
        mode = "train" if self.model.training else "eval"
        batch_tokens = inputs["input_ids"].shape[1]  # TRL's token count, which the padding does not change
        if self.fixed_tokens is not None and mode == "train":
            inputs, padding = pad_packed_batch(inputs, self.fixed_tokens, self.args.max_length, self.processing_class.pad_token_id)
            self.seen["padding_tokens"] += padding
        if not self.chunked_lm_head:
            return Trainer.compute_loss(self, model, inputs, return_outputs, num_items_in_batch)
        plain = (
            self.compute_loss_func is None
            and self.label_smoother is None
            and not self.aux_loss_enabled
            and self.args.loss_type == "nll"
            and not return_outputs
            and "attention_mask" not in inputs
        )  # packed rows
        if not plain:
            return super().compute_loss(model, inputs, return_outputs, num_items_in_batch)
        if finetune_loss.applies(model):  # TRL's chunked head without its boolean-mask compaction (two waits)
            outputs = finetune_loss.packed_log_probs(model, inputs)
        else:
            outputs = model(**inputs, use_cache=False, fused_lm_head=True)
            outputs = finetune_loss.PerToken(outputs.log_probs, outputs.entropy, outputs.is_top1, outputs.label_mask)
        valid = outputs.mask.sum()
        loss = finetune_loss.nll_loss(outputs, num_items_in_batch)
        if self.args.average_tokens_across_devices and num_items_in_batch is not None:
            loss = loss * (self.accelerator.num_processes // self.get_tp_size())  # as SFTTrainer: DDP averages
        self._device_metrics[mode].append(torch.stack([outputs.entropy.detach().sum(), outputs.is_top1.sum().float(), valid.float()]))
        if mode == "train":
            self._total_train_tokens += batch_tokens * self.accelerator.num_processes // self._tp_size
        self._metrics[mode]["num_tokens"] = [self._total_train_tokens]
        return loss

    def log(self, logs: dict[str, float], start_time: Optional[float] = None) -> None:
        """Moves the device-side metrics into TRL's lists (one read-back per log) before SFTTrainer.log averages them."""
        mode = "train" if self.model.training else "eval"
        self.fingerprint.flush()  # the GPU batches' copies are done by now: the metrics below wait for the device
        if self._device_metrics[mode]:
            local = torch.stack(self._device_metrics[mode])  # (passes, 3); every process made as many
            summed = self.accelerator.gather(local).view(self.accelerator.num_processes, *local.shape).sum(0)
            self._device_metrics[mode].clear()
            for entropy, correct, valid in summed.tolist():  # per pass, over all processes, as TRL does
                self._metrics[mode]["entropy"].append(entropy / valid if valid else 0.0)
                self._metrics[mode]["mean_token_accuracy"].append(correct / valid if valid else 0.0)
        super().log(logs, start_time)

    def training_step(self, model, inputs, num_items_in_batch=None):
        ids = inputs["input_ids"]
        mask = inputs.get("attention_mask")
        cu_seq_lens = inputs.get("cu_seq_lens_q")
        self.seen["tokens"] += int(mask.sum()) if mask is not None else ids.numel()
        self.seen["sequences"] += len(cu_seq_lens) - 1 if cu_seq_lens is not None else ids.shape[0]
        self.seen["batches"] += 1
        self.fingerprint.add(ids)
        return super().training_step(model, inputs, num_items_in_batch)

    def evaluate(self, *args, **kwargs):
        if self.fixed_tokens is None:
            return super().evaluate(*args, **kwargs)
        with torch.compiler.set_stance("force_eager"):
            return super().evaluate(*args, **kwargs)

    def process_record(self) -> dict[str, Any]:
        return {
            "process": self.accelerator.process_index,
            **self.seen,
            "data_sha256": self.fingerprint.hexdigest(),
            "adapter_sha256": adapter_digest(self.model),
            "peak_memory_gib": peak_memory_gib(self.args.device.type),
        }


def adapter_digest(model) -> str:
    """sha256 of the adapter weights as saved (peft's state dict, in key order): the same on every
    process after a DDP run, and computable from adapter_model.safetensors with `tensors_digest`."""
    from peft import get_peft_model_state_dict

    return tensors_digest(get_peft_model_state_dict(model))


def tensors_digest(tensors: dict[str, torch.Tensor]) -> str:
    digest = hashlib.sha256()
    for name in sorted(tensors):
        digest.update(name.encode())
        digest.update(tensors[name].detach().float().cpu().numpy().tobytes())
    return digest.hexdigest()


def peak_memory_gib(device_type: str) -> float:
    """Peak GPU memory allocated by this process, or its peak resident memory on a CPU."""
    if device_type == "cuda":
        return round(torch.cuda.max_memory_allocated() / 1024**3, 3)
    import resource

    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2, 3)  # KiB on Linux
