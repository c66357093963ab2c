"""Stage 4's training machinery: the 4-bit model, TRL's SFTTrainer set up for
packed, isolated texts (its LoRA layers fused, its decoder layers compiled where
the plan says so), and the run's records. The checkpoint folder itself is
brandtone.finetune.checkpoints; the callbacks that keep it resumable,
brandtone.finetune.callbacks.

Nothing here assumes one device or one process: under `accelerate launch`
each process loads its own 4-bit copy, the Trainer shards the batches, and
only the main process writes shared files.
"""

from __future__ import annotations

import hashlib
import inspect
import logging
import sys
from pathlib import Path
from typing import Any, Optional

import torch
from transformers import EarlyStoppingCallback, Trainer
from transformers.integrations import TensorBoardCallback
from trl import SFTConfig, SFTTrainer

from brandtone.config import Config
from brandtone.errors import StageError
from brandtone.finetune import fused_lora, packed_attention
from brandtone.finetune import loss as finetune_loss
from brandtone.finetune.callbacks import BestAdapterCallback, JsonlLogCallback, SaveAfterEpochEvaluation
from brandtone.finetune.checkpoints import BEST_ADAPTER, LOG_FILE, TENSORBOARD, ResumableRunningLoss
from brandtone.finetune.data import BatchFingerprint, pad_packed_batch
from brandtone.finetune.plan import Plan
from brandtone.finetune.shape import lora_config
from brandtone.models import bnb_config, fit_embeddings, load_causal_lm

log = logging.getLogger(__name__)


# --------------------------------------------------------------------------- model and trainer


def load_model(config: Config, plan: Plan, dtype: torch.dtype, tokenizer):
    """The base model, 4-bit NF4 through bitsandbytes unless finetune.load_in_4bit is false,
    its embeddings grown if the tokenizer needed a new pad token.

    We do not call peft's prepare_model_for_kbit_training: it upcasts every
    norm and the embeddings to fp32 (memory and a slower fp32 LM head on the
    GPU) and always turns on gradient checkpointing; the Trainer enables
    checkpointing itself when the plan says memory needs it.
    """
    finetune = config.finetune
    quantization = bnb_config(finetune.bnb_4bit_quant_type, finetune.bnb_4bit_use_double_quant, dtype) if finetune.load_in_4bit else None
    attention = (
        packed_attention.register(flash=plan.varlen_kernel == "flash") if plan.attn_implementation == "varlen" else plan.attn_implementation
    )
    model = load_causal_lm(
        config.model.base,
        model=config.model,
        dtype=dtype,
        device=plan.device,
        quantization_config=quantization,
        attn_implementation=attention,
    )
    model.config.use_cache = False  # a KV cache in training would also hide the packed-text boundaries
    fit_embeddings(model, tokenizer)
    if quantization is not None and plan.device == "cpu":
        keep_4bit_layout_trainable(model)
    return model


def keep_4bit_layout_trainable(model) -> None:
    """On CPUs with AVX512-BF16, bitsandbytes repacks a 4-bit layer's weights for its fast inference kernel
    at the layer's first forward in eval mode without gradients (our held-out evaluation at step 0), and
    from then on runs training forwards through that kernel too, which has no backward: gradients stop
    at every 4-bit layer ("gemv_4bit: an autograd kernel was not registered"), adapters below it learn
    from a wrong gradient, and a resumed run (no evaluation at its start) diverges from an uninterrupted
    one. Turning the repacking off keeps the layout that trains correctly."""
    import bitsandbytes as bnb

    for module in model.modules():
        if isinstance(module, bnb.nn.Linear4bit):
            module.support_avx512bf16_for_cpu = False


def training_args(config: Config, plan: Plan, dtype: torch.dtype, fresh: bool) -> SFTConfig:
    finetune = config.finetune
    early_stopping = finetune.early_stopping_patience is not None
    return SFTConfig(
        output_dir=str(config.paths.checkpoints_dir),
        seed=finetune.seed,
        data_seed=finetune.seed,
        use_cpu=plan.device == "cpu",
        bf16=dtype == torch.bfloat16,
        fp16=dtype == torch.float16,
        # data: our own tokens (input_ids), packed best-fit-decreasing into padding-free rows whose
        # position_ids restart at every text, so attention never crosses from one text into another
        max_length=finetune.max_length,
        packing=finetune.packing,
        packing_strategy="bfd",
        per_device_train_batch_size=plan.rows_per_batch,
        per_device_eval_batch_size=plan.rows_per_batch,
        **({} if finetune.packing else _group_by_length()),
        gradient_accumulation_steps=finetune.gradient_accumulation_steps,
        dataloader_num_workers=0,
        # optimisation
        num_train_epochs=finetune.num_train_epochs,
        learning_rate=finetune.learning_rate,
        lr_scheduler_type=finetune.lr_scheduler_type,
        warmup_steps=finetune.warmup_steps,
        weight_decay=finetune.weight_decay,
        max_grad_norm=finetune.max_grad_norm,
        optim=plan.optim,
        **_checkpointing(plan.gradient_checkpointing),
        use_liger_kernel=plan.use_liger_kernel,
        ddp_find_unused_parameters=False,  # every LoRA weight gets a gradient every step
        # evaluation, logging, checkpoints
        eval_strategy="epoch",
        eval_on_start=fresh,  # held-out loss of the untuned base, logged at step 0
        metric_for_best_model=SELECTION_LOSS if early_stopping else None,  # early stopping selects on the validation split
        greater_is_better=False if early_stopping else None,
        logging_steps=finetune.logging_steps,
        logging_first_step=True,
        # the filter reads every step's loss back to the host (two waits for the GPU a step); a NaN or an
        # infinite loss is then logged as it is rather than replaced by the average
        logging_nan_inf_filter=False,
        save_strategy="steps",
        save_steps=finetune.save_steps,
        save_total_limit=finetune.save_total_limit,
        report_to=[name for name in plan.trackers if name != "tensorboard"] or "none",  # TensorBoard: build_trainer's callback
        disable_tqdm=not sys.stderr.isatty(),  # in a log file, one line per logging step instead of a redrawn bar
    )


def _renamed(new: str, old: str) -> str:
    """The installed transformers' name for a training argument renamed in 5.2x (which warns on the
    old name); GPU images may carry an older 5.x that knows only the old one."""
    return new if new in inspect.signature(SFTConfig.__init__).parameters else old


def _checkpointing(enabled: bool) -> dict[str, Any]:
    name = _renamed("activation_checkpointing", "gradient_checkpointing")
    return {name: enabled, f"{name}_kwargs": {"use_reentrant": False} if enabled else None}


def _group_by_length() -> dict[str, Any]:
    """Without packing, batch texts of similar length so that little is padding."""
    name = _renamed("train_sampling_strategy", "group_by_length")
    return {name: "group_by_length" if name == "train_sampling_strategy" else True}


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


def build_trainer(
    config: Config, plan: Plan, args: SFTConfig, model, tokenizer, train, test, callbacks=(), validation=None
) -> "BrandToneTrainer":
    """SFTTrainer with LoRA on the 4-bit model, the trackers, the JSONL log and optional early stopping (on
    `validation`, carved from the training split; the test split's loss is logged beside it, never selected on);
    the LoRA layers fused with their 4-bit base and the decoder layers compiled where the plan says so."""
    checkpoints_dir = Path(config.paths.checkpoints_dir)
    all_callbacks = [SaveAfterEpochEvaluation(), JsonlLogCallback(checkpoints_dir / LOG_FILE), *callbacks]
    if "tensorboard" in config.finetune.report_to:  # in a fixed folder, cleared with the checkpoints
        tensorboard = TensorBoardCallback()
        tensorboard.logging_dir = str(checkpoints_dir / TENSORBOARD)
        all_callbacks.insert(0, tensorboard)
    if config.finetune.early_stopping_patience is not None:
        all_callbacks += [
            EarlyStoppingCallback(early_stopping_patience=config.finetune.early_stopping_patience),
            BestAdapterCallback(checkpoints_dir / BEST_ADAPTER),
        ]
    trainer = BrandToneTrainer(
        model=model,
        args=args,
        train_dataset=train,
        eval_dataset={"validation": validation, "test": test} if validation is not None else test,
        processing_class=tokenizer,
        peft_config=lora_config(config.finetune),
        callbacks=all_callbacks,
        fixed_tokens=plan.tokens_per_batch if plan.compile else None,
    )
    keep_adapters_in_fp32(trainer.model)
    if plan.fused_lora:
        log.info("LoRA: %d layers fused with their 4-bit base layer", fused_lora.install(trainer.model, grouped=plan.fused_lora_groups))
    if plan.compile:
        log.info("torch.compile: %d decoder layers (compiled during the first steps)", compile_decoder_layers(trainer.model))
    return trainer


def compile_decoder_layers(model) -> int:
    """torch.compile each decoder layer (the model's `_no_split_modules`) in place; returns how many.

    Compiling the repeated layer rather than the whole model compiles its code once for all layers
    (the embeddings' output is made to need a gradient, so that the first layer's input is like the
    others'), and leaves the embeddings, the LM head and the loss as they are. Padded batches keep
    the shapes fixed; the text boundaries, whose count varies, are a dynamic size from the start
    (`pad_packed_batch`). bench/NOTES.md: no recompilation on a GPU, first step 7.7 s longer.
    """
    base = model.get_base_model() if hasattr(model, "get_base_model") else model
    names = set(getattr(base, "_no_split_modules", None) or ())
    layers = [module for module in base.modules() if type(module).__name__ in names]
    if not layers:
        raise StageError(f"finetune.compile: no decoder layers found in {type(base).__name__}: set finetune.compile=false")
    # the layers share one code object; its variants (on the CPU, the pieces around the per-text attention;
    # anything a newer transformers adds) must not exhaust dynamo's default of 8, after which it would quietly
    # run the layers eagerly
    torch._dynamo.config.recompile_limit = max(torch._dynamo.config.recompile_limit, 16)
    model.enable_input_require_grads()
    for layer in layers:
        layer.compile()
    return len(layers)


def keep_adapters_in_fp32(model) -> None:
    """Undo TRL's cast of LoRA weights to bf16 on quantized models.

    The optimizer then updates fp32 master weights: bf16 weights silently drop
    updates smaller than 1/256 of the weight, and on a CPU bf16 matmuls are slow.
    On a GPU the forward still runs in bf16 under autocast.
    """
    for param in model.parameters():
        if param.requires_grad and param.dtype != torch.float32:
            param.data = param.data.float()


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


def restore_best_adapter(trainer, checkpoints_dir: Path) -> Optional[int]:
    """With early stopping, load the adapter of the best evaluation back; returns its step."""
    from peft import set_peft_model_state_dict
    from safetensors.torch import load_file

    best = Path(checkpoints_dir) / BEST_ADAPTER
    state = trainer.state
    if not (best / "adapter_model.safetensors").is_file() or state.best_global_step in (None, state.global_step):
        return None
    set_peft_model_state_dict(trainer.model, load_file(str(best / "adapter_model.safetensors")))
    keep_adapters_in_fp32(trainer.model)
    return state.best_global_step


# --------------------------------------------------------------------------- results


SELECTION_LOSS = "eval_validation_loss"  # with early stopping, the validation split's loss, which picks the epoch
TEST_LOSS_KEYS = ("eval_loss", "eval_test_loss")  # the test split's loss: alone, or beside the validation split's


def test_loss(entry: dict) -> Optional[float]:
    """The test split's held-out loss in a log entry, or None."""
    return next((entry[key] for key in TEST_LOSS_KEYS if key in entry), None)


def loss_summary(log_history: list[dict]) -> dict[str, Optional[float]]:
    """Held-out loss before (step 0) and after (last evaluation), and the first and last logged training loss."""
    evals = [entry for entry in log_history if test_loss(entry) is not None]
    train = [entry for entry in log_history if "loss" in entry]
    before = next((test_loss(e) for e in evals if e.get("step") == 0), None)
    after = next((test_loss(e) for e in reversed(evals) if e.get("step", 0) > 0), None)
    return {
        "test_before": before,
        "test_after": after,
        "train_first_logged": train[0]["loss"] if train else None,
        "train_last_logged": train[-1]["loss"] if train else None,
    }


def plot_loss_curve(log_history: list[dict], path: Path, title: str) -> None:
    """Training loss per logged step and held-out loss per evaluation, as a PNG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    train = [(e["step"], e["loss"]) for e in log_history if "loss" in e]
    evals = [(e["step"], test_loss(e)) for e in log_history if test_loss(e) is not None]
    validation = [(e["step"], e[SELECTION_LOSS]) for e in log_history if SELECTION_LOSS in e]
    figure, axes = plt.subplots(figsize=(7, 4), dpi=110)
    if train:
        axes.plot(*zip(*train), label="training loss", color="tab:blue", linewidth=1.2)
    if evals:
        axes.plot(*zip(*evals), label="held-out loss (test split)", color="tab:orange", marker="o")
    if validation:
        axes.plot(*zip(*validation), label="validation loss (selects the epoch)", color="tab:green", marker="s")
    axes.set_xlabel("optimizer step")
    axes.set_ylabel("cross-entropy per token (nats)")
    axes.set_title(title)
    axes.grid(alpha=0.3)
    axes.legend()
    figure.tight_layout()
    figure.savefig(path)
    plt.close(figure)


def oom_error(config: Config, plan: Plan) -> StageError:
    finetune = config.finetune
    return StageError(
        f"CUDA out of memory with {plan.tokens_per_batch} tokens per micro-step"
        f" (estimated peak {plan.peak_estimate_gib} GiB): lower finetune.tokens_per_batch"
        f" (now {finetune.tokens_per_batch if finetune.tokens_per_batch is not None else f'auto = {plan.tokens_per_batch}'}),"
        f" finetune.max_length (now {finetune.max_length}),"
        f" set finetune.gradient_checkpointing=true (now {finetune.gradient_checkpointing}),"
        f" or lower finetune.lora_r (now {finetune.lora_r})"
    )
