"""Stage 4's training run, set up: the 4-bit model, the training arguments, and the trainer
(brandtone.finetune.trainer) assembled with its callbacks, LoRA adapters, fused LoRA layers and
compiled decoder layers where the plan says so; after early stopping, the best adapter back in it.
The checkpoint folder itself is brandtone.finetune.checkpoints; the callbacks that keep it resumable,
brandtone.finetune.callbacks; the losses read back from the log, brandtone.finetune.results.

Nothing here assumes one device or one process: under `accelerate launch`
each process loads its own 4-bit copy, the Trainer shards the batches, and
only the main process writes shared files.
"""

from __future__ import annotations

import inspect
import logging
import sys
from pathlib import Path
from typing import Any, Optional

import torch
from transformers import EarlyStoppingCallback
from transformers.integrations import TensorBoardCallback
from trl import SFTConfig

from brandtone.config_schema import Config
from brandtone.errors import StageError
from brandtone.finetune import fused_lora, packed_attention
from brandtone.finetune.callbacks import BestAdapterCallback, JsonlLogCallback, SaveAfterEpochEvaluation
from brandtone.finetune.checkpoints import BEST_ADAPTER, LOG_FILE, TENSORBOARD
from brandtone.finetune.plan import Plan
from brandtone.finetune.results import SELECTION_LOSS
from brandtone.finetune.shape import lora_config
from brandtone.finetune.trainer import BrandToneTrainer
from brandtone.models import bnb_config, fit_embeddings, load_causal_lm

log = logging.getLogger(__name__)


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
    # the layers share one code object; its variants (on the CPU, the pieces around the batched attention;
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
