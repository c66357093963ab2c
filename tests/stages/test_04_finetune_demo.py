"""Stages 4 and 5 on the real demo model (SmolLM2-135M, 4-bit on the CPU).

Loss parity (issue 7): the pipeline's GPU fast path (packed padding-free rows,
each text's attention computed alone from the packing boundaries, TRL's fused chunked LM head)
gives the same per-step training losses as a plain reference loop (padded
batches with an attention mask, full logits, PyTorch cross-entropy and AdamW)
on the same batches from the same starting adapter.

End to end: the two scripts, run as a user runs them, learn the brand's voice:
training loss falls and the held-out loss after training is below the one before.
"""

from __future__ import annotations

import json

import pytest
import torch

from tests.helpers.configs import write_config
from tests.helpers.corpus import brand_posts
from tests.helpers.datasets import save_dataset
from tests.helpers.pipeline import build_pipeline
from tests.helpers.scripts import run_script

PARITY_STEPS = 50


def split_packed_row(batch) -> list[torch.Tensor]:
    """The texts of a padding-free row, cut where position_ids restart."""
    ids, positions = batch["input_ids"][0], batch["position_ids"][0]
    starts = (positions == 0).nonzero().flatten().tolist() + [len(ids)]
    return [ids[a:b] for a, b in zip(starts, starts[1:])]


def plain_step_loss(model, texts: list[torch.Tensor], pad_id: int) -> torch.Tensor:
    """Mean next-token cross-entropy of a right-padded batch: the textbook way."""
    width = max(len(t) for t in texts)
    ids = torch.full((len(texts), width), pad_id)
    mask = torch.zeros_like(ids)
    for row, text in enumerate(texts):
        ids[row, : len(text)], mask[row, : len(text)] = text, 1
    labels = ids.masked_fill(mask == 0, -100)
    logits = model(input_ids=ids, attention_mask=mask, use_cache=False).logits
    return torch.nn.functional.cross_entropy(
        logits[:, :-1].flatten(0, 1).float(), labels[:, 1:].flatten(), ignore_index=-100, reduction="mean"
    )


@pytest.mark.slow
def test_fast_path_losses_match_a_plain_reference_loop(demo_model_dir, tmp_path):
    from peft import get_peft_model_state_dict, set_peft_model_state_dict
    from transformers import get_scheduler

    posts = brand_posts(80, seed=5)
    save_dataset(tmp_path / "dataset", posts[4:], posts[:4])
    # short rows and few tokens per step keep this cheap; dropout off so both paths draw no random numbers;
    # continuation only: the reference loop learns every token (the chat format's mask: test_chat_format.py)
    config_path = write_config(
        tmp_path,
        demo_model_dir,
        {
            "formats": ["continuation"],
            "max_length": 32,
            "tokens_per_batch": 64,
            "lora_dropout": 0.0,
            "learning_rate": 5e-4,
            "warmup_steps": 5,
            "num_train_epochs": 1,
            "logging_steps": 1,
            "save_steps": 1000,
        },
    )
    trainer, tokenizer, _ = build_pipeline(config_path)
    trainer.chunked_lm_head = True  # the GPU's loss path (TRL's chunked LM head); the CPU's is checked in test_finetune.py
    args = trainer.args
    args.max_steps, args.eval_strategy, args.eval_on_start = PARITY_STEPS, "no", False
    initial = {k: v.clone() for k, v in get_peft_model_state_dict(trainer.model).items()}

    batches = []
    fast_step = trainer.training_step

    def recorded_step(model, inputs, num_items_in_batch=None):
        batches.append({k: v.clone() for k, v in inputs.items() if k in ("input_ids", "position_ids")})
        return fast_step(model, inputs, num_items_in_batch)

    trainer.training_step = recorded_step
    trainer.train()
    fast = [entry["loss"] for entry in trainer.state.log_history if "loss" in entry]
    assert len(fast) == len(batches) == PARITY_STEPS

    # The reference loop: same base weights, same starting adapter, same batches, same schedule.
    model = trainer.model
    set_peft_model_state_dict(model, initial)
    model.get_base_model().set_attn_implementation("sdpa")  # textbook attention over a padded batch
    model.train()
    params = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(params, lr=args.learning_rate, weight_decay=args.weight_decay)
    scheduler = get_scheduler(args.lr_scheduler_type, optimizer, num_warmup_steps=args.warmup_steps, num_training_steps=PARITY_STEPS)
    reference = []
    for batch in batches:
        loss = plain_step_loss(model, split_packed_row(batch), tokenizer.pad_token_id)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, args.max_grad_norm)
        optimizer.step()
        scheduler.step()
        optimizer.zero_grad()
        reference.append(loss.item())

    relative = [abs(f - r) / r for f, r in zip(fast, reference)]
    assert max(relative) < 0.01, list(zip(fast, reference))
    assert sum(reference[-10:]) < 0.8 * sum(reference[:10])  # they agree while the loss really moves


@pytest.mark.slow
def test_demo_model_learns_the_brand_voice_end_to_end(demo_model_dir, tmp_path):
    from transformers import AutoModelForCausalLM

    posts = brand_posts(120, seed=11)
    save_dataset(tmp_path / "dataset", posts[16:], posts[:16])
    config = write_config(
        tmp_path,
        demo_model_dir,
        {  # continuation only, as this test measured it (the chat format doubles the tokens)
            "formats": ["continuation"],
            "max_length": 128,
            "tokens_per_batch": 512,
            "num_train_epochs": 1,
            "learning_rate": 1e-3,
            "warmup_steps": 1,
            "logging_steps": 1,
            "save_steps": 1000,
        },
    )
    trained = run_script("04_finetune.py", "--config", str(config))
    assert trained.returncode == 0, trained.stderr[-3000:]
    manifest = json.loads((tmp_path / "adapter" / "manifest.json").read_text())
    loss = manifest["loss"]
    assert loss["test_after"] < 0.8 * loss["test_before"], loss
    log = [json.loads(line) for line in (tmp_path / "adapter" / "training_log.jsonl").read_text().splitlines()]
    train_losses = [entry["loss"] for entry in log if "loss" in entry]
    assert len(train_losses) >= 6
    assert sum(train_losses[-3:]) < 0.8 * sum(train_losses[:3])

    merged = run_script("05_merge.py", "--config", str(config))
    assert merged.returncode == 0, merged.stderr[-3000:]
    parity = json.loads((tmp_path / "merged" / "manifest.json").read_text())["parity"]
    # the default bf16 copy passes the default gate on a real pretrained model, keeping the fine-tuning's effect
    assert parity["failures"] == [] and parity["dtype"] == "bfloat16" and parity["error"]["top1_agreement"] > 0.95
    assert parity["effect_kept"] == pytest.approx(1, abs=parity["limits"]["effect_tolerance"])
    model = AutoModelForCausalLM.from_pretrained(tmp_path / "merged")
    assert model.generation_config.pad_token_id != model.generation_config.eos_token_id
