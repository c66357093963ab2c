"""Helpers shared by the fine-tuning and merge tests: configs, stage entry points, adapters."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import torch
import yaml

from conftest import REPO


def write_config(folder: Path, base: Path, finetune: dict | None = None, merge: dict | None = None) -> Path:
    """A config whose every output lives under `folder`, training `base` on the CPU."""
    folder = Path(folder)
    data = {
        "brand": {"name": "Nukkar Chai Co."},
        "paths": {
            "dataset_dir": str(folder / "dataset"),
            "checkpoints_dir": str(folder / "checkpoints"),
            "adapter_dir": str(folder / "adapter"),
            "merged_dir": str(folder / "merged"),
        },
        "model": {"base": str(base)},
        "finetune": {"device": "cpu", **(finetune or {})},
        "merge": merge or {},
    }
    path = folder / "config.yaml"
    folder.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data))
    return path


def stage_main(script: str):
    """The `main(argv)` of a numbered script, imported in-process (the file names start with digits)."""
    spec = importlib.util.spec_from_file_location(script.removesuffix(".py").replace("0", "stage_0", 1), REPO / script)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up here
    spec.loader.exec_module(module)
    return module.main


def adapter_tensors(folder: Path) -> dict:
    from safetensors.torch import load_file

    return load_file(str(Path(folder) / "adapter_model.safetensors"))


def build_pipeline(config_path, overrides=()):
    """The trainer exactly as 04_finetune.py builds it, without training."""
    from brandtone import finetune_train
    from brandtone.finetune_data import CHAT_COLUMNS, chat_template_for, load_splits, tokenize_split
    from brandtone.finetune_memory import detect_device
    from brandtone.finetune_plan import make_plan, model_shape
    from brandtone.config import load_config
    from brandtone.models import load_tokenizer

    config = load_config(config_path, list(overrides))
    formats = config.finetune.formats
    tokenizer = load_tokenizer(config.model.base)
    chat_template_for(tokenizer, formats)
    plan = make_plan(config, model_shape(config, len(tokenizer)), detect_device("cpu"))
    splits = load_splits(config.paths.dataset_dir, CHAT_COLUMNS if "chat" in formats else ("text",))
    train = tokenize_split(splits["train"], tokenizer, config.finetune.max_length, formats)
    test = tokenize_split(splits["test"], tokenizer, config.finetune.max_length, formats)
    args = finetune_train.training_args(config, plan, torch.float32, fresh=True)
    model = finetune_train.load_model(config, plan, torch.float32, tokenizer)
    trainer = finetune_train.build_trainer(config, plan, args, model, tokenizer, train.dataset, test.dataset)
    return trainer, tokenizer, plan


def assert_merged_template_is_the_trained_one(merged_dir, config_path) -> int:
    """The merged folder's chat template, loaded with plain transformers, renders every training request and
    answer to exactly the ids stage 4 tokenised (its own path: the base tokenizer, the plain template where the
    base has none). Returns how many examples were compared."""
    from transformers import AutoTokenizer

    from brandtone.config import load_config
    from brandtone.finetune_data import CHAT_COLUMNS, chat_template_for, load_splits, tokenize_split
    from brandtone.models import load_tokenizer
    from brandtone.textformat import encode_chat

    config = load_config(config_path)
    base = load_tokenizer(config.model.base)
    chat_template_for(base, ["chat"])
    train = load_splits(config.paths.dataset_dir, CHAT_COLUMNS)["train"]
    trained = tokenize_split(train, base, config.finetune.max_length, ["chat"]).dataset["input_ids"]
    merged = AutoTokenizer.from_pretrained(merged_dir)
    assert merged.chat_template == base.chat_template
    assert len(trained) == len(train)
    for ids, (user, assistant) in zip(trained, train["messages"]):
        assert encode_chat(merged, user["content"], assistant["content"]).ids == ids
    return len(trained)
