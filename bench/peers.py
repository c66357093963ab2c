"""What a user would pick instead of 04_finetune.py, on the bench's model and corpus, one epoch each.

- `trl`: TRL's SFTTrainer as its documentation recommends for QLoRA: 4-bit NF4 base, packing with
  padding-free batches (the default `bfd` strategy), Liger kernels, FlashAttention where it is installed
  (else SDPA, which honours the packed texts' boundaries through a block-diagonal mask), its other
  defaults (gradient checkpointing on, bf16).
- `unsloth`: Unsloth's FastLanguageModel with its documented QLoRA settings (4-bit, its gradient
  checkpointing, 8-bit AdamW) and TRL's SFTTrainer with packing (Unsloth's padding-free path).

Both train LoRA r=16, alpha 32, no dropout on every linear layer (04_finetune.py's default), rows of
2,048 tokens, 4 rows a step, learning rate 2e-4, on the corpus's continuation texts. Prints one JSON
line: real tokens/s over the epoch (the tokens of the tokenised training set over train()'s time), the
steady rate after the first step on the device's clock (mean tokens a step), peak GPU memory, and the
held-out loss before and after.

    python bench/peers.py trl|unsloth MODEL_DIR DATASET_DIR WORK
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
PEER, MODEL_DIR, DATASET_DIR, WORK = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]), Path(sys.argv[4])
if PEER == "unsloth":
    import unsloth  # noqa: F401  (first: it patches transformers and TRL on import)

import torch  # noqa: E402
from datasets import load_from_disk  # noqa: E402
from transformers import TrainerCallback  # noqa: E402
from trl import SFTConfig, SFTTrainer  # noqa: E402

LORA = dict(r=16, lora_alpha=32, lora_dropout=0.0)
TARGETS = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]


class StepClock(TrainerCallback):
    """Each optimizer step's start and end on the device's timeline (CUDA events)."""

    def __init__(self):
        self.marks = []

    def _event(self):
        event = torch.cuda.Event(enable_timing=True)
        event.record()
        return event

    def on_step_begin(self, args, state, control, **kwargs):
        self.began = self._event()

    def on_step_end(self, args, state, control, **kwargs):
        self.marks.append((self.began, self._event()))

    def steady_seconds(self) -> float:
        torch.cuda.synchronize()
        return self.marks[1][0].elapsed_time(self.marks[-1][1]) / 1000


def config(**kwargs) -> SFTConfig:
    return SFTConfig(
        output_dir=str(WORK / f"peer-{PEER}"),
        num_train_epochs=1,
        per_device_train_batch_size=4,
        per_device_eval_batch_size=4,
        max_length=2048,
        packing=True,
        learning_rate=2e-4,
        lr_scheduler_type="cosine",
        save_strategy="no",
        eval_strategy="no",
        logging_steps=1000,
        report_to="none",
        disable_tqdm=True,
        dataset_text_field="text",
        **kwargs,
    )


def trl_trainer(train, test):
    import importlib.util

    from peft import LoraConfig
    from transformers import AutoModelForCausalLM, AutoTokenizer, BitsAndBytesConfig

    attention = "flash_attention_2" if importlib.util.find_spec("flash_attn") else "sdpa"
    quantization = BitsAndBytesConfig(
        load_in_4bit=True, bnb_4bit_quant_type="nf4", bnb_4bit_use_double_quant=True, bnb_4bit_compute_dtype=torch.bfloat16
    )
    model = AutoModelForCausalLM.from_pretrained(
        MODEL_DIR, quantization_config=quantization, dtype=torch.bfloat16, device_map={"": 0}, attn_implementation=attention
    )
    tokenizer = AutoTokenizer.from_pretrained(MODEL_DIR)
    return SFTTrainer(
        model=model,
        args=config(use_liger_kernel=True),
        train_dataset=train,
        eval_dataset=test,
        processing_class=tokenizer,
        peft_config=LoraConfig(**LORA, target_modules="all-linear", task_type="CAUSAL_LM"),
    ), attention


def unsloth_trainer(train, test):
    from unsloth import FastLanguageModel

    model, tokenizer = FastLanguageModel.from_pretrained(model_name=str(MODEL_DIR), max_seq_length=2048, dtype=None, load_in_4bit=True)
    model = FastLanguageModel.get_peft_model(
        model, **LORA, target_modules=TARGETS, bias="none", use_gradient_checkpointing="unsloth", random_state=3407
    )
    return SFTTrainer(
        model=model, args=config(optim="adamw_8bit", bf16=True), train_dataset=train, eval_dataset=test, processing_class=tokenizer
    ), "unsloth"


def main() -> None:
    splits = load_from_disk(str(DATASET_DIR))
    train, test = (splits[name].select_columns(["text"]) for name in ("train", "test"))
    started = time.time()
    trainer, attention = (trl_trainer if PEER == "trl" else unsloth_trainer)(train, test)
    real_tokens = sum(len(ids) for ids in trainer.train_dataset["input_ids"])  # packed rows: no padding in them
    clock = StepClock()
    trainer.add_callback(clock)
    before = trainer.evaluate()["eval_loss"]
    torch.cuda.reset_peak_memory_stats()
    train_started = time.time()
    result = trainer.train()
    train_seconds = time.time() - train_started
    after = trainer.evaluate()["eval_loss"]
    steps = len(clock.marks)
    print(
        json.dumps(
            {
                "variant": f"peer_{PEER}",
                "attention": attention,
                "real_tokens": real_tokens,
                "steps": steps,
                "train_seconds": round(train_seconds, 2),
                "real_tokens_per_second": round(real_tokens / train_seconds, 1),
                "steady_tokens_per_second": round(real_tokens * (steps - 1) / steps / clock.steady_seconds(), 1) if steps > 1 else None,
                "peak_gib": round(torch.cuda.max_memory_allocated() / 2**30, 2),
                "loss": {"test_before": before, "test_after": after},
                "train_loss": round(result.training_loss, 4),
                "setup_seconds": round(train_started - started, 1),
                "gradient_checkpointing": trainer.args.gradient_checkpointing,
            }
        ),
        flush=True,
    )


if __name__ == "__main__":
    main()
