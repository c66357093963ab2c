"""The original workflow's training recipe, as the baseline that 04_finetune.py is measured against.

4-bit NF4 base with fp16 compute and no double quantisation; LoRA r=64, alpha=16,
dropout 0.1 on the default targets (q_proj, v_proj); batch 4, no gradient
accumulation (as in the original benchmark), paged AdamW 32-bit, lr 2e-4, weight
decay 0.001, max grad norm 0.3, warmup 3%, group by length, no packing, max
length 1024, gradient checkpointing, pad = end-of-text with right padding.
One epoch through TRL's SFTTrainer; prints one JSON line with real (non-pad)
tokens/s over the training loop and peak GPU memory.

    python bench/anchor_recipe.py MODEL_DIR DATASET_DIR
"""

from __future__ import annotations

import inspect
import json
import sys
import time

import torch
from datasets import load_from_disk
from peft import LoraConfig
from transformers import AutoModelForCausalLM, AutoTokenizer, BitsAndBytesConfig
from trl import SFTConfig, SFTTrainer


def main(model_dir: str, dataset_dir: str) -> None:
    on_gpu = torch.cuda.is_available()
    tokenizer = AutoTokenizer.from_pretrained(model_dir)
    tokenizer.pad_token, tokenizer.padding_side = tokenizer.eos_token, "right"  # the original choice
    train = load_from_disk(dataset_dir)["train"]
    train = train.map(lambda row: {"input_ids": tokenizer(row["text"])["input_ids"][:1024]}, remove_columns=train.column_names)
    real_tokens = sum(len(ids) for ids in train["input_ids"])

    params = inspect.signature(SFTConfig.__init__).parameters
    group = {"train_sampling_strategy": "group_by_length"} if "train_sampling_strategy" in params else {"group_by_length": True}
    warmup = {"warmup_ratio": 0.03} if "warmup_ratio" in params else {"warmup_steps": 0.03}
    args = SFTConfig(
        output_dir="/tmp/anchor_recipe",
        num_train_epochs=1,
        per_device_train_batch_size=4,
        gradient_accumulation_steps=1,
        optim="paged_adamw_32bit" if on_gpu else "adamw_torch",
        learning_rate=2e-4,
        weight_decay=0.001,
        max_grad_norm=0.3,
        lr_scheduler_type="cosine",
        fp16=False,
        bf16=False,
        gradient_checkpointing=True,
        max_length=1024,
        packing=False,
        save_strategy="no",
        logging_steps=1000,
        report_to="none",
        disable_tqdm=True,
        **group,
        **warmup,
        **({} if on_gpu else {"use_cpu": True}),
    )
    quantization = BitsAndBytesConfig(
        load_in_4bit=True, bnb_4bit_quant_type="nf4", bnb_4bit_compute_dtype=torch.float16, bnb_4bit_use_double_quant=False
    )
    model = AutoModelForCausalLM.from_pretrained(
        model_dir, quantization_config=quantization, dtype=torch.float16, device_map={"": 0} if on_gpu else {"": "cpu"}
    )
    model.config.use_cache = False
    lora = LoraConfig(r=64, lora_alpha=16, lora_dropout=0.1, bias="none", task_type="CAUSAL_LM")
    trainer = SFTTrainer(model=model, train_dataset=train, peft_config=lora, args=args, processing_class=tokenizer)
    if on_gpu:
        torch.cuda.reset_peak_memory_stats()
    started = time.time()
    result = trainer.train()
    seconds = time.time() - started
    print(
        json.dumps(
            {
                "variant": "original recipe",
                "real_tokens": real_tokens,
                "steps": result.global_step,
                "train_seconds": round(seconds, 1),
                "real_tokens_per_second": round(real_tokens / seconds, 1),
                "peak_gib": round(torch.cuda.max_memory_allocated() / 2**30, 2) if on_gpu else None,
                "final_loss": round(result.training_loss, 4),
            }
        ),
        flush=True,
    )


if __name__ == "__main__":
    main(*sys.argv[1:3])
