"""A "tuned" tiny random Llama for stage 6 tests, made here because stages 4 and 5 are separate: a LoRA
adapter briefly trained on the training texts, and the same adapter merged into a standalone folder,
each with the manifest its stage writes."""

from __future__ import annotations

import time
from pathlib import Path

from tests.helpers.paths import REPO


def train_briefly(model, tokenizer, texts: list[str], steps: int, lr: float, seed: int = 0) -> None:
    """A few optimiser steps on the training documents, enough to move held-out perplexity."""
    import torch

    from brandtone.textformat import encode_document

    torch.manual_seed(seed)
    documents = [encode_document(tokenizer, t) for t in texts]
    optimizer = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=lr)
    model.train()
    for step in range(steps):
        batch = [documents[(step * 4 + k) % len(documents)] for k in range(4)]
        width = max(len(d) for d in batch)
        ids = torch.tensor([d + [tokenizer.pad_token_id] * (width - len(d)) for d in batch])
        labels = torch.tensor([d + [-100] * (width - len(d)) for d in batch])
        mask = (labels != -100).long()
        loss = model(input_ids=ids, attention_mask=mask, labels=labels).loss
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()
    model.eval()


def stage_manifest(folder: Path, stage: str, base: str) -> None:
    from brandtone.config import load_config
    from brandtone.manifest import build_manifest, write_manifest

    config = load_config(REPO / "config.yaml", [f"model.base={base}"])
    write_manifest(folder, build_manifest(stage=stage, config=config, sections=("model",), inputs={}, counts={}, started_at=time.time()))


def make_adapter(folder: Path, base: Path, train: list[str]) -> Path:
    """A LoRA adapter trained briefly on `train`, saved as 04_finetune.py saves one."""
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM

    from brandtone.models import fit_embeddings, load_tokenizer

    tokenizer = load_tokenizer(str(base))
    base_model = AutoModelForCausalLM.from_pretrained(base)
    fit_embeddings(base_model, tokenizer)  # as stage 4 does for a tokenizer that needed a new pad token
    model = get_peft_model(base_model, LoraConfig(r=8, lora_alpha=16, target_modules=["q_proj", "v_proj", "up_proj", "down_proj"]))
    train_briefly(model, tokenizer, train, steps=10, lr=2e-2)
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    stage_manifest(folder, "finetune", str(base))
    return folder


def make_merged(folder: Path, base: Path, adapter: Path | None) -> Path:
    """The adapter merged into the base, saved as 05_merge.py saves it; with no adapter, the base model itself saved the
    same way (the control that a tuned model no different from the base shows no difference)."""
    from peft import PeftModel
    from transformers import AutoModelForCausalLM

    from brandtone.models import fit_embeddings, load_tokenizer

    tokenizer = load_tokenizer(str(base))
    model = AutoModelForCausalLM.from_pretrained(base)
    fit_embeddings(model, tokenizer)
    if adapter is not None:
        model = PeftModel.from_pretrained(model, str(adapter)).merge_and_unload()
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    stage_manifest(folder, "merge", str(base))
    return folder


def make_other_random_model(folder: Path, base: Path, seed: int) -> Path:
    """A "tuned" model that is another random draw of the base's architecture (same tokenizer), saved as
    05_merge.py saves one: its answers differ from the base's, which is all a rating page needs."""
    import torch
    from transformers import AutoConfig, AutoModelForCausalLM

    from brandtone.models import fit_embeddings, load_tokenizer

    torch.manual_seed(seed)
    tokenizer = load_tokenizer(str(base))
    config = AutoConfig.from_pretrained(base)
    config.tie_word_embeddings = False  # a tied random model repeats its last input token, as the base does: untied, it does not
    model = AutoModelForCausalLM.from_config(config)
    fit_embeddings(model, tokenizer)  # as stage 4 does for a tokenizer that needed a new pad token
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    stage_manifest(folder, "merge", str(base))
    return folder
