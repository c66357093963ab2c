"""Stage 4's pieces built in-process for the fine-tuning and merge tests: the trainer, adapters, merged templates."""

from __future__ import annotations

from pathlib import Path

import torch


def adapter_tensors(folder: Path) -> dict:
    from safetensors.torch import load_file

    return load_file(str(Path(folder) / "adapter_model.safetensors"))


def build_pipeline(config_path, overrides=()):
    """The trainer exactly as 04_finetune.py builds it, without training."""
    from brandtone.config import load_config
    from brandtone.finetune import train as finetune_train
    from brandtone.finetune.data import chat_template_for, tokenize_split
    from brandtone.finetune.plan import make_plan
    from brandtone.finetune.shape import model_shape
    from brandtone.memory import detect_device
    from brandtone.models import load_tokenizer
    from brandtone.splits import CHAT_COLUMNS, load_splits

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
    from brandtone.finetune.data import chat_template_for, tokenize_split
    from brandtone.models import load_tokenizer
    from brandtone.splits import CHAT_COLUMNS, load_splits
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
