"""Inputs for stage 6 tests, made here because stages 3-5 are separate: a small
brand-like DatasetDict, and a "tuned" tiny random Llama: a LoRA adapter briefly
trained on the training texts, and the same adapter merged into a standalone
folder, each with the manifest its stage writes."""

from __future__ import annotations

import importlib.util
import random
import sys
import time
from pathlib import Path

import yaml

from conftest import REPO

OPENINGS = [
    "Garma garam chai aur pakoray", "Baarish ka mausam hai", "Sunday at Gulberg", "Kashmiri chai is back",
    "Doodh patti, extra strong", "Fog outside, steam inside", "Our Model Town rooftop", "Chacha Rafiq at the pateela",
    "Samosay fresh from the karahi", "A cold evening in DHA", "Book club night at Nukkar", "Late night gup-shup",
]
MIDDLES = [
    "every cup brewed slowly with elaichi and a lot of pyaar", "come with friends, stay for the second cup",
    "the biscuits are on us this week", "milte hain nukkar pe, yaar", "the fog can wait, the chai cannot",
    "three branches, one pateela, countless cups", "bring your cricket arguments and your appetite",
    "seats on the rooftop fill up fast after eight", "tell us your order in the comments",
]
CLOSINGS = ["☕🌧️ #NukkarChai #Lahore", "See you at 7 pm! #NukkarChai", "Open till 1 am ☕ #ChaiTime",
            "Rs. 120 only, all day. #NukkarChai", "چائے پیجیے 😊 #NukkarChai"]


def brand_texts(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    seen, texts = set(), []
    while len(texts) < count:
        parts = (rng.choice(OPENINGS), rng.choice(MIDDLES), rng.choice(MIDDLES), rng.choice(CLOSINGS))
        if parts in seen or parts[1] == parts[2]:
            continue
        seen.add(parts)
        texts.append(f"{parts[0]}! {parts[1].capitalize()}, and {parts[2]}. {parts[3]}")
    return texts


def save_dataset(folder: Path, train: list[str], test: list[str], messages: bool = True) -> Path:
    """Stage 3's folder: text and the other columns, and (unless `messages` is false, an older stage 3)
    each document's keyword writing request as stage 3 makes it."""
    from datasets import Dataset, DatasetDict

    from brandtone.config import load_config
    from brandtone.dataset_requests import build_requests
    from brandtone.manifest import build_manifest, write_manifest
    from brandtone.textformat import conversation

    def split(texts):
        if not texts:  # an empty split keeps the columns' types
            return split(["placeholder"]).select([])
        columns = {
            "text": texts, "source": ["instagram"] * len(texts), "url": [f"https://instagram.com/p/{i}" for i in range(len(texts))],
            "date": ["2025-01-01"] * len(texts), "lang": ["latin"] * len(texts), "cluster": list(range(len(texts))),
        }
        if messages:
            docs = [{"id": str(i), "text": t, "source": "instagram"} for i, t in enumerate(texts)]
            requests = build_requests(docs, seed=42, max_shared_words=4, brand_name="Nukkar Chai Co.")
            columns["messages"] = [conversation(requests.by_id[d["id"]], d["text"]) for d in docs]
        return Dataset.from_dict(columns)

    DatasetDict({"train": split(train), "test": split(test)}).save_to_disk(str(folder))
    config = load_config(REPO / "config.yaml")
    write_manifest(folder, build_manifest(stage="dataset", config=config, sections=("dataset",), inputs={},
                                          counts={"train": len(train), "test": len(test)}, started_at=time.time()))
    return folder


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


def make_merged(folder: Path, base: Path, adapter: Path) -> Path:
    """The adapter merged into the base, saved as 05_merge.py saves it."""
    from peft import PeftModel
    from transformers import AutoModelForCausalLM

    from brandtone.models import fit_embeddings, load_tokenizer

    tokenizer = load_tokenizer(str(base))
    base_model = AutoModelForCausalLM.from_pretrained(base)
    fit_embeddings(base_model, tokenizer)
    model = PeftModel.from_pretrained(base_model, str(adapter)).merge_and_unload()
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    stage_manifest(folder, "merge", str(base))
    return folder


def write_config(path: Path, base: Path, work: Path, **evaluate) -> Path:
    settings = {"tuned_model": "merged", "device": "cpu", "max_new_tokens_cap": 16,
                "bootstrap_samples": 200, "samples_in_report": 3, "min_tokens": 8,
                "write_max_new_tokens": 16, "write_classifier_requests": 12, **evaluate}
    data = {
        "brand": {"name": "Nukkar Chai Co."},
        "model": {"base": str(base)},
        "paths": {"dataset_dir": str(work / "dataset"), "adapter_dir": str(work / "adapter"),
                  "merged_dir": str(work / "merged"), "eval_dir": str(work / "eval")},
        "evaluate": settings,
    }
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def load_stage_script():
    """06_evaluate.py as a module, so tests call its main() in-process (imports are paid once)."""
    spec = importlib.util.spec_from_file_location("evaluate_stage", REPO / "06_evaluate.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up here
    spec.loader.exec_module(module)
    return module
