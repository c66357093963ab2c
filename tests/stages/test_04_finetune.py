"""Stages 4 and 5 on a tiny random Llama (2 layers, hidden 64) with the demo tokenizer.

What is checked: the base really is 4-bit (bitsandbytes Linear4bit) and only
LoRA weights train; every text's end-of-text is a label and padding never is;
packed texts do not see each other; a run killed mid-epoch and resumed ends
with the same adapter as an uninterrupted one; the merged model matches the
adapter and reloads with plain transformers; and every user-fixable problem
ends in one clear line.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys

import pytest
import torch

from brandtone.config import ConfigError, load_config
from brandtone.errors import StageError
from brandtone.textformat import end_of_text_id
from tests.helpers.configs import write_config
from tests.helpers.corpus import brand_posts
from tests.helpers.datasets import save_dataset
from tests.helpers.paths import REPO
from tests.helpers.pipeline import adapter_tensors, assert_merged_template_is_the_trained_one, build_pipeline
from tests.helpers.scripts import run_script, stage_main

N_TRAIN, N_TEST = 13, 4
TINY_FINETUNE = {  # both formats (the default): 13 continuation and 13 chat examples, ~2,350 tokens an epoch
    "max_length": 168,  # the longest chat example is ~140 tokens; 16 packed rows an epoch
    "tokens_per_batch": 336,  # 2 packed rows per step: 8 steps an epoch, so save_steps=4 saves at the epoch's end
    "num_train_epochs": 2,
    "learning_rate": 1e-3,
    "lora_dropout": 0.1,  # dropout draws random numbers: resuming must restore the generator too
    "save_steps": 4,
    "logging_steps": 1,
}


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory, tiny_model_dir):
    """One uninterrupted 04_finetune.py run on the tiny model; its folder and config path."""
    folder = tmp_path_factory.mktemp("tiny-run")
    posts = brand_posts(N_TRAIN + N_TEST, seed=1)
    save_dataset(folder / "dataset", posts[N_TEST:], posts[:N_TEST])
    config_path = write_config(folder, tiny_model_dir, TINY_FINETUNE)
    assert stage_main("04_finetune.py")(["--config", str(config_path)]) == 0
    return folder, config_path


@pytest.fixture(scope="module")
def packed_trainer(tiny_run):
    return build_pipeline(tiny_run[1])


# --------------------------------------------------------------------------- data


def test_long_documents_are_chunked_and_only_the_last_chunk_ends_with_end_of_text(tiny_model_dir):
    from brandtone.finetune.data import tokenize_split
    from brandtone.models import load_tokenizer
    from brandtone.textformat import chunk_document, encode_document

    tokenizer = load_tokenizer(str(tiny_model_dir))
    long_text = " ".join(brand_posts(6, seed=3))
    ids = encode_document(tokenizer, long_text)
    chunks = chunk_document(ids, [], 48)
    assert len(chunks) == -(-len(ids) // 48) and all(len(c) <= 48 for c in chunks)
    assert sum(chunks, []) == ids  # nothing lost, nothing repeated
    assert [c[-1] == end_of_text_id(tokenizer) for c in chunks] == [False] * (len(chunks) - 1) + [True]
    assert min(len(c) for c in chunks) >= 48 // 2  # near-equal chunks: no stub of a few tokens
    # with a leading special token (Llama-2's <s>), every chunk starts with it again
    bos = tokenizer.bos_token_id
    with_bos = chunk_document([bos] + ids, [bos], 48)
    assert all(c[0] == bos for c in with_bos) and sum((c[1:] for c in with_bos), []) == ids

    from datasets import Dataset

    split = tokenize_split(Dataset.from_dict({"text": ["Chai!", "  ", long_text]}), tokenizer, 48)
    assert (split.documents, split.split_documents) == (2, 1)  # the blank text is skipped
    assert split.tokens == len(encode_document(tokenizer, "Chai!")) + len(ids)


# --------------------------------------------------------------------------- model and batches


def test_base_is_4bit_and_only_lora_weights_train(packed_trainer):
    import bitsandbytes as bnb

    trainer, _, plan = packed_trainer
    model = trainer.model
    four_bit = [name for name, module in model.named_modules() if isinstance(module, bnb.nn.Linear4bit)]
    assert len(four_bit) == 2 * 7  # q, k, v, o, gate, up, down in each of the 2 layers
    assert all(p.__class__.__name__ == "Params4bit" for m in model.modules() if isinstance(m, bnb.nn.Linear4bit) for p in [m.weight])
    trainable = {name: p for name, p in model.named_parameters() if p.requires_grad}
    assert trainable and all(".lora_A." in name or ".lora_B." in name for name in trainable)
    assert all(p.dtype == torch.float32 for p in trainable.values())  # fp32 master weights (TRL had cast them to bf16)
    count, total = model.get_nb_trainable_parameters()
    assert count == sum(p.numel() for p in trainable.values()) == plan.trainable_params  # the dry-run count is exact
    assert total == plan.total_params


def test_packed_batches_have_every_end_of_text_as_a_label_and_no_padding(packed_trainer):
    """Continuation texts learn every token but their first; chat examples only their answer and its end-of-turn."""
    from brandtone.textformat import end_of_turn_id

    trainer, tokenizer, _ = packed_trainer
    turn, turn_start = end_of_turn_id(tokenizer), tokenizer.convert_tokens_to_ids("<|im_start|>")
    end_of_text_labels, chat_examples, texts_per_row = 0, 0, []
    for batch in trainer.get_train_dataloader():  # one epoch
        ids, labels, positions = batch["input_ids"][0], batch["labels"][0], batch["position_ids"][0]
        assert "attention_mask" not in batch  # padding-free: one row, texts told apart by position_ids
        assert tokenizer.pad_token_id not in ids.tolist()
        starts = (positions == 0).nonzero().flatten().tolist()
        texts_per_row.append(len(starts))
        for start, end in zip(starts, starts[1:] + [len(ids)]):
            text, learned = ids[start:end].tolist(), (labels[start:end] != -100).tolist()
            if text[0] != turn_start:  # a continuation text: never predicted from the previous text, all else learned
                assert learned == [False] + [True] * (len(text) - 1)
                continue
            chat_examples += 1
            answer = learned.index(True)
            assert learned == [False] * answer + [True] * (len(text) - answer)  # the answer is the example's end
            assert tokenizer.decode(text[:answer]).endswith("<|im_start|>assistant\n")
            assert text[-1] == turn and text.count(turn) == 3  # system, user, and the answer's learned end-of-turn
        end_of_text_labels += int((labels == end_of_text_id(tokenizer)).sum())
    assert end_of_text_labels == N_TRAIN  # each training text ends, exactly once, with a learned end-of-text
    assert chat_examples == N_TRAIN and max(texts_per_row) > 1


def test_unpacked_batch_masks_padding_and_keeps_end_of_text(tiny_run):
    trainer, tokenizer, _ = build_pipeline(tiny_run[1], ["finetune.packing=false"])
    batch = next(iter(trainer.get_train_dataloader()))
    end = end_of_text_id(tokenizer)
    assert tokenizer.pad_token_id not in (tokenizer.eos_token_id, end)
    padded = batch["attention_mask"] == 0
    assert padded.any()  # texts of different lengths in one batch
    assert (batch["labels"][padded] == -100).all()
    assert (batch["input_ids"][padded] == tokenizer.pad_token_id).all()
    for row, mask, labels in zip(batch["input_ids"], batch["attention_mask"], batch["labels"]):
        last = int(mask.sum()) - 1
        if row[last] == end:  # a whole text (or a document's last chunk)
            assert labels[last] == end


@pytest.fixture(scope="module")
def sdpa_trainer(tiny_run):
    return build_pipeline(tiny_run[1], ["finetune.attn_implementation=sdpa"])


def _text_edges(batch) -> list[int]:
    return (batch["position_ids"][0] == 0).nonzero().flatten().tolist() + [batch["input_ids"].shape[1]]


def _logits(model, ids, positions=None, edges=None):
    """Forward pass; `edges` are the text boundaries the collator passes as cu_seq_lens (varlen needs them)."""
    edges = edges or [0, ids.shape[1]]
    boundaries = torch.tensor(edges, dtype=torch.int32)
    longest = max(b - a for a, b in zip(edges, edges[1:]))
    with torch.no_grad():
        return model(
            input_ids=ids,
            position_ids=positions,
            cu_seq_lens_q=boundaries,
            cu_seq_lens_k=boundaries,
            max_length_q=longest,
            max_length_k=longest,
        ).logits[0]


def test_packed_texts_do_not_attend_to_each_other(sdpa_trainer):
    """Logits of each text inside a packed row equal those of the text run alone (SDPA's block-diagonal mask)."""
    trainer, _, plan = sdpa_trainer
    assert plan.attn_implementation == "sdpa"
    model = trainer.model.eval()
    batch = next(iter(trainer.get_train_dataloader()))
    ids, positions, edges = batch["input_ids"], batch["position_ids"], _text_edges(batch)
    packed = _logits(model, ids, positions)
    alone = torch.cat([_logits(model, ids[:, a:b]) for a, b in zip(edges, edges[1:])])
    unisolated = _logits(model, ids)  # one causal sequence: later texts see earlier ones
    assert torch.allclose(packed, alone, atol=1e-4), (packed - alone).abs().max()
    assert (unisolated[edges[1] :] - alone[edges[1] :]).abs().max() > 1e-2  # the check can fail


def test_varlen_attention_is_the_default_with_packing_and_matches_sdpa(packed_trainer, sdpa_trainer):
    """`auto` picks brandtone.finetune.packed_attention for packed rows; on the same packed batch it gives the
    logits and the loss gradient that SDPA with its block-diagonal mask gives."""
    (varlen, _, plan), (sdpa, _, _) = packed_trainer, sdpa_trainer
    assert plan.attn_implementation == "varlen"
    assert varlen.model.config._attn_implementation == "brandtone_packed"
    batch = next(iter(varlen.get_train_dataloader()))
    ids, positions, edges = batch["input_ids"], batch["position_ids"], _text_edges(batch)
    assert batch["cu_seq_lens_q"].tolist() == edges  # the collator's boundaries are the texts'
    adapters = {name: p for name, p in varlen.model.named_parameters() if p.requires_grad}
    for name, p in sdpa.model.named_parameters():
        if p.requires_grad:
            p.data.copy_(adapters[name].data)
    results = []
    for trainer in (varlen, sdpa):
        model = trainer.model.train()
        model.zero_grad()
        torch.manual_seed(0)  # the same LoRA-dropout masks in both
        logits = model(
            **{k: batch[k] for k in ("input_ids", "position_ids", "cu_seq_lens_q", "cu_seq_lens_k", "max_length_q", "max_length_k")}
        ).logits[0]
        torch.nn.functional.cross_entropy(logits[:-1], ids[0, 1:]).backward()
        grads = torch.cat([p.grad.flatten() for p in model.parameters() if p.requires_grad])
        results.append((logits.detach(), grads))
        model.zero_grad()
    (varlen_logits, varlen_grads), (sdpa_logits, sdpa_grads) = results
    assert torch.allclose(varlen_logits, sdpa_logits, atol=1e-4), (varlen_logits - sdpa_logits).abs().max()
    assert torch.allclose(varlen_grads, sdpa_grads, atol=1e-5, rtol=1e-3), (varlen_grads - sdpa_grads).abs().max()
    with pytest.raises(ValueError, match="finetune.attn_implementation=sdpa"):
        varlen.model(input_ids=ids, position_ids=positions)  # no text boundaries: refuses instead of mixing texts


def test_cpu_loss_from_full_logits_equals_trls_chunked_lm_head(packed_trainer):
    """On the CPU the trainer takes the loss from the full logits; TRL's chunked head (the GPU path) gives the same."""
    trainer, _, _ = packed_trainer
    assert trainer.chunked_lm_head is False
    batch = next(iter(trainer.get_train_dataloader()))
    model = trainer.model.eval()
    with torch.no_grad():
        full = trainer.compute_loss(model, dict(batch))
        trainer.chunked_lm_head = True
        try:
            chunked = trainer.compute_loss(model, dict(batch))
        finally:
            trainer.chunked_lm_head = False
    assert full.item() > 1 and torch.allclose(full, chunked, rtol=1e-5), (full, chunked)


# --------------------------------------------------------------------------- outputs and resume


def test_adapter_folder_has_weights_tokenizer_logs_plot_and_manifest(tiny_run):
    folder, config_path = tiny_run
    adapter = folder / "adapter"
    for name in (
        "adapter_model.safetensors",
        "adapter_config.json",
        "tokenizer.json",
        "config.yaml",
        "training_log.jsonl",
        "loss_curve.png",
        "manifest.json",
        "README.md",
    ):
        assert (adapter / name).is_file(), name
    card = (adapter / "README.md").read_text()  # ours, not peft's placeholder
    assert "library_name: peft" in card and f"{N_TRAIN} training texts" in card and "LoRA rank 16" in card
    assert not (adapter / "training_args.bin").exists()
    manifest = json.loads((adapter / "manifest.json").read_text())
    assert manifest["base_model"]["source"] == load_config(config_path).model.base
    assert manifest["loss"]["test_before"] > 0 and manifest["loss"]["test_after"] < manifest["loss"]["test_before"]
    assert manifest["counts"]["train_texts"] == N_TRAIN and manifest["counts"]["test_texts"] == N_TEST
    steps = manifest["counts"]["optimizer_steps"]
    assert manifest["selection"] == {"method": "none", "kept_step": steps, "last_step": steps}  # no early stopping: nothing selected
    by_format = manifest["counts"]["by_format"]
    assert {name: c["examples"] for name, c in by_format["train"].items()} == {"continuation": N_TRAIN, "chat": N_TRAIN}
    assert sum(c["tokens"] for c in by_format["train"].values()) == manifest["counts"]["train_tokens"]
    assert by_format["test"]["chat"] == {"examples": N_TEST, "tokens": by_format["test"]["chat"]["tokens"], "left_out": 0}
    assert manifest["chat_template"] == "the model's own"
    assert manifest["throughput"]["real_tokens"] == 2 * manifest["counts"]["train_tokens"]  # two epochs, one process
    assert manifest["parameters"]["trainable"] < manifest["parameters"]["total"]
    log = [json.loads(line) for line in (adapter / "training_log.jsonl").read_text().splitlines()]
    assert [e["step"] for e in log if "eval_loss" in e] == [
        0,
        manifest["counts"]["optimizer_steps"] // 2,
        manifest["counts"]["optimizer_steps"],
    ]
    assert (adapter / "loss_curve.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert list((folder / "checkpoints" / "tensorboard").glob("events.out.tfevents.*"))
    assert json.loads((adapter / "adapter_config.json").read_text())["base_model_name_or_path"] == manifest["base_model"]["source"]
    grown = {name: t.shape for name, t in adapter_tensors(adapter).items() if "lora" not in name}
    assert grown and all(shape[0] == 49152 + 64 for shape in grown.values())  # the rows for the added pad token


KILLER = """
import os, runpy, sys
import transformers
step = transformers.Trainer.training_step
def killed_at(self, *args, **kwargs):
    if self.state.global_step == {kill_at}:
        os._exit(137)  # like SIGKILL: no cleanup, no final save
    return step(self, *args, **kwargs)
transformers.Trainer.training_step = killed_at
sys.argv = ["04_finetune.py", "--config", {config!r}]
runpy.run_path("04_finetune.py", run_name="__main__")
"""


def test_killed_run_resumes_to_the_same_adapter(tiny_run, tmp_path):
    folder, config_path = tiny_run
    uninterrupted = adapter_tensors(folder / "adapter")
    steps = json.loads((folder / "adapter" / "manifest.json").read_text())["counts"]["optimizer_steps"]
    shutil.copytree(folder / "dataset", tmp_path / "dataset")
    # logging every 3 steps (a tolerated change), so a logging window spans the checkpoint: the running loss
    # must be carried over it (checkpoints.ResumableRunningLoss)
    config = write_config(tmp_path, load_config(config_path).model.base, {**TINY_FINETUNE, "logging_steps": 3})
    # mid-epoch 2, two steps after the checkpoint at the end of epoch 1 (a multiple of save_steps), which must
    # hold that epoch's held-out evaluation and the random state after it (SaveAfterEpochEvaluation)
    kill_at = steps // 2 + 2
    env = dict(os.environ)
    killed = subprocess.run(
        [sys.executable, "-c", KILLER.format(kill_at=kill_at, config=str(config))],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert killed.returncode == 137, killed.stderr[-2000:]
    assert not (tmp_path / "adapter").exists()  # nothing half-written
    last_saved = (kill_at // TINY_FINETUNE["save_steps"]) * TINY_FINETUNE["save_steps"]
    assert last_saved == steps // 2 and (tmp_path / "checkpoints" / f"checkpoint-{last_saved}").is_dir()

    resumed = run_script("04_finetune.py", "--config", str(config), "--resume")
    assert resumed.returncode == 0, resumed.stderr[-3000:]
    manifest = json.loads((tmp_path / "adapter" / "manifest.json").read_text())
    assert manifest["resumed_from"].endswith(f"checkpoint-{last_saved}")
    assert manifest["counts"]["optimizer_steps"] == steps
    result = adapter_tensors(tmp_path / "adapter")
    assert result.keys() == uninterrupted.keys()
    for name, tensor in uninterrupted.items():
        torch.testing.assert_close(result[name], tensor, rtol=1e-5, atol=1e-6, msg=name)
    assert any(t.abs().max() > 0 for name, t in result.items() if "lora_B" in name)  # it did train
    log = [json.loads(line) for line in (tmp_path / "adapter" / "training_log.jsonl").read_text().splitlines()]
    log_steps = [e["step"] for e in log if "loss" in e]
    assert log_steps == sorted(set(log_steps))  # the killed run's unsaved steps are not logged twice
    uninterrupted_log = [json.loads(line) for line in (folder / "adapter" / "training_log.jsonl").read_text().splitlines()]
    assert [e["step"] for e in log if "eval_loss" in e] == [e["step"] for e in uninterrupted_log if "eval_loss" in e]
    assert manifest["loss"]["test_before"] == pytest.approx(
        json.loads((folder / "adapter" / "manifest.json").read_text())["loss"]["test_before"]
    )
    # every logged window, the one across the resume included, is the mean of the uninterrupted run's step losses
    # over the same steps (it logged every step), and train_loss is the whole run's
    step_loss = {e["step"]: e["loss"] for e in uninterrupted_log if "loss" in e}
    windows = list(zip([0, *log_steps], log_steps))
    assert any(start < last_saved < end for start, end in windows)
    for (start, end), entry in zip(windows, [e for e in log if "loss" in e]):
        assert entry["loss"] == pytest.approx(sum(step_loss[s] for s in range(start + 1, end + 1)) / (end - start), rel=2e-6)
    train_loss = next(e["train_loss"] for e in uninterrupted_log if "train_loss" in e)
    assert next(e["train_loss"] for e in log if "train_loss" in e) == pytest.approx(train_loss, rel=2e-6)

    changed = run_script("04_finetune.py", "--config", str(config), "--resume", "finetune.lora_r=8")
    assert changed.returncode == 2  # refused before any work
    assert "trained with different finetune.lora_r" in changed.stderr


def test_checkpoints_survive_a_rerun_and_are_deleted_only_with_fresh(tiny_run, tmp_path, capsys):
    """A rerun with the same settings continues the finished run (same adapter); other settings stop
    it in one line; --resume takes a checkpoint path; only --fresh deletes, and only stage 4's own files."""
    folder, config_path = tiny_run
    for name in ("dataset", "checkpoints", "adapter"):
        shutil.copytree(folder / name, tmp_path / name)
    config = str(write_config(tmp_path, load_config(config_path).model.base, TINY_FINETUNE))
    checkpoints = tmp_path / "checkpoints"
    kept = sorted(p.name for p in checkpoints.glob("checkpoint-*"))
    latest, older = checkpoints / kept[-1], checkpoints / kept[0]
    finetune = stage_main("04_finetune.py")

    assert finetune(["--config", config, "--dry-run"]) == 0
    assert f"checkpoints: resume from {latest} (same settings; --fresh starts over)" in capsys.readouterr().out
    for argv, message in [
        (
            ["finetune.learning_rate=5e-4"],
            "paths.checkpoints_dir: " + str(latest) + " was trained with different finetune.learning_rate: pass --fresh",
        ),
        (
            ["--resume", "finetune.learning_rate=5e-4"],
            f"--resume: {latest} was trained with different finetune.learning_rate",
        ),  # an override, not a path
        (["--resume", str(older)], f"--resume {older}: {checkpoints} also holds the later {latest.name}"),
        (["--resume", str(tmp_path / "adapter")], "not a finished checkpoint (no trainer_state.json in it)"),
    ]:
        with pytest.raises(ConfigError, match=re.escape(message)):
            finetune(["--config", config, *argv])
    assert sorted(p.name for p in checkpoints.glob("checkpoint-*")) == kept

    assert finetune(["--config", config, "--resume", str(latest)]) == 0  # a finished run: nothing left to train
    assert json.loads((tmp_path / "adapter" / "manifest.json").read_text())["resumed_from"] == str(latest)
    for name, tensor in adapter_tensors(folder / "adapter").items():
        torch.testing.assert_close(adapter_tensors(tmp_path / "adapter")[name], tensor, msg=name)

    (checkpoints / "notes.txt").write_text("the user's notes")
    assert finetune(["--config", config, "--fresh", "finetune.num_train_epochs=1"]) == 0
    assert (checkpoints / "notes.txt").read_text() == "the user's notes"
    assert not (checkpoints / latest.name).exists()  # the earlier run's, deleted as asked
    assert json.loads((checkpoints / "run.json").read_text())["settings"]["finetune.num_train_epochs"] == 1
    assert json.loads((checkpoints / "manifest.json").read_text())["part"] == "checkpoints"


def test_the_plan_counts_optimizer_steps_and_refuses_a_warmup_that_never_ends(tiny_run, capsys):
    folder, config_path = tiny_run
    manifest = json.loads((folder / "adapter" / "manifest.json").read_text())
    assert manifest["plan"]["optimizer_steps"] == manifest["counts"]["optimizer_steps"]  # the estimate is the real count
    steps = manifest["counts"]["optimizer_steps"]
    finetune = stage_main("04_finetune.py")
    with pytest.raises(ConfigError, match=re.escape(f"finetune.warmup_steps={steps} is at or beyond the run's {steps} optimizer steps")):
        finetune(["--config", str(config_path), "--dry-run", "--fresh", f"finetune.warmup_steps={steps}"])
    assert f"optimizer steps: {steps} over the whole run" in capsys.readouterr().out
    assert finetune(["--config", str(config_path), "--dry-run", "--fresh", f"finetune.warmup_steps={steps - 1}"]) == 0
    assert (folder / "checkpoints" / "run.json").is_file()  # a dry run deletes nothing


# --------------------------------------------------------------------------- merge


def test_merge_matches_the_adapter_and_reloads_with_plain_transformers(tiny_run, monkeypatch):
    from peft import PeftModel
    from transformers import AutoModelForCausalLM

    folder, config_path = tiny_run
    monkeypatch.delenv("HF_TOKEN", raising=False)
    merge = stage_main("05_merge.py")
    # A limit no bf16 copy can meet (all of the fine-tuning's effect kept to nine places): the stage
    # fails, says what it compared, and writes nothing
    with pytest.raises(
        StageError, match=r"merged model does not match the adapter: the merged model keeps [01]\.\d+ of the fine-tuning's effect"
    ):
        merge(["--config", str(config_path), "merge.parity_effect_tolerance=1e-9"])
    assert not (folder / "merged").exists()
    # push_to_hub without HF_TOKEN: the merged folder is written first and kept
    with pytest.raises(StageError, match="HF_TOKEN is not set"):
        merge(
            [
                "--config",
                str(config_path),
                "merge.push_to_hub=true",
                "merge.hub_repo_id=acme/chai",
                "merge.max_shard_size=5MB",
                "merge.gguf=q8_0",
            ]
        )
    merged_dir = folder / "merged"
    assert_exports(merged_dir)
    assert assert_merged_template_is_the_trained_one(merged_dir, config_path) == N_TRAIN  # SmolLM2's own ChatML
    manifest = json.loads((merged_dir / "manifest.json").read_text())
    parity = manifest["parity"]  # the default on a CPU: merged in fp32, saved in bf16
    assert manifest["dtype"] == "bfloat16" and parity["saved_dtypes"] == ["BF16"] and parity["texts"] == N_TEST
    assert parity["merge"]["max_abs_logit_diff"] < 1e-4  # the fp32 merge is exact up to float arithmetic
    assert 0 < parity["error"]["mean_kl"] <= parity["allowed_kl"] and parity["effect_kept"] == pytest.approx(1, abs=0.02)
    assert manifest["counts"]["shards"] > 1 and (merged_dir / "model.safetensors.index.json").is_file()
    assert all(shard.stat().st_mode & 0o044 for shard in merged_dir.glob("*.safetensors"))  # readable by a serving account
    config = json.loads((merged_dir / "config.json").read_text())
    assert "quantization_config" not in config
    generation = json.loads((merged_dir / "generation_config.json").read_text())
    # SmolLM2-Instruct's tokenizer has no spare token: <|pad|> was added (id 49152) and the embeddings grew
    assert generation["eos_token_id"] == [0, 2]  # <|endoftext|> ends continuations, <|im_end|> chat turns
    assert generation["pad_token_id"] == config["pad_token_id"] == 49152 and config["vocab_size"] == 49152 + 64

    base_dir = load_config(config_path).model.base
    reloaded = AutoModelForCausalLM.from_pretrained(merged_dir, dtype=torch.float32)  # plain: no peft, no quantization
    assert not any("lora" in name for name, _ in reloaded.named_parameters())
    # with plain transformers and peft, an adapter saved with grown embeddings needs the base grown first
    base_grown = AutoModelForCausalLM.from_pretrained(base_dir)
    base_grown.resize_token_embeddings(49152 + 1, pad_to_multiple_of=64)
    with_adapter = PeftModel.from_pretrained(base_grown, str(folder / "adapter"))
    base_only = AutoModelForCausalLM.from_pretrained(base_dir)
    ids = torch.tensor([[1, 523, 3421, 87, 2903, 17, 0]])
    with torch.no_grad():
        merged_logits, adapter_logits, base_logits = (m.eval()(input_ids=ids).logits for m in (reloaded, with_adapter, base_only))
    # bf16 weights: as close to the adapter as bf16's rounding allows, and the adapter is really in them
    base_logits = base_logits[..., :49152]  # the merged model's grown rows are the added pad token's
    assert (merged_logits[..., :49152] - adapter_logits[..., :49152]).abs().max() < 0.1 * (
        adapter_logits[..., :49152] - base_logits
    ).abs().max()
    assert (merged_logits[..., :49152] - base_logits).abs().max() > 1e-3


def assert_exports(merged_dir):
    """05's model card, GGUF file and Modelfile; the GGUF alone rebuilds the demo's SmolLM2 tokenizer."""
    from transformers import AutoTokenizer

    card = (merged_dir / "README.md").read_text()
    assert "library_name: transformers" in card and "Nukkar Chai Co." in card and "states no license" in card
    assert "model-q8_0.gguf" in card and "Not evaluated yet" in card and "acme/chai" in card
    assert "FROM ./model-q8_0.gguf" in (merged_dir / "Modelfile").read_text()
    alone = merged_dir.parent / "gguf-alone"
    alone.mkdir()
    os.link(merged_dir / "model-q8_0.gguf", alone / "model-q8_0.gguf")
    from_gguf, tokenizer = AutoTokenizer.from_pretrained(alone, gguf_file="model-q8_0.gguf"), AutoTokenizer.from_pretrained(merged_dir)
    for text in brand_posts(20, seed=9) + ["Chai 🍵 Rs. 250 — #ChaiTime\n<|im_start|>user\nkya haal hai?<|im_end|>"]:
        assert from_gguf(text)["input_ids"] == tokenizer(text)["input_ids"], text
    assert (from_gguf.eos_token, from_gguf.pad_token, from_gguf.chat_template) == ("<|im_end|>", "<|pad|>", tokenizer.chat_template)


# --------------------------------------------------------------------------- errors


def test_dry_run_prints_counts_and_memory_without_training(tiny_run, capsys):
    folder, config_path = tiny_run
    assert stage_main("04_finetune.py")(["--config", str(config_path), "--dry-run", "paths.adapter_dir=" + str(folder / "unused")]) == 0
    out = capsys.readouterr().out
    manifest = json.loads((folder / "adapter" / "manifest.json").read_text())
    assert f"{manifest['parameters']['trainable']:,} trainable of {manifest['parameters']['total']:,} total" in out
    assert "estimated peak memory:" in out and "GiB" in out
    assert not (folder / "unused").exists()


@pytest.mark.parametrize(
    "make, overrides, kind, message",
    [
        ("no_dataset", [], ConfigError, "run 03_build_dataset.py first"),
        ("empty_train", [], StageError, "split 'train' is empty"),
        ("dataset", ["model.base=/no/such/model"], ConfigError, "model.base: /no/such/model is not a model folder"),
        ("dataset", ["finetune.device=cuda"], ConfigError, "finetune.device is 'cuda' but no GPU is visible"),
        ("dataset", ["--resume"], ConfigError, "--resume: no finished checkpoint"),
    ],
)
def test_finetune_errors_are_one_clear_line(tiny_model_dir, tmp_path, monkeypatch, make, overrides, kind, message):
    if "finetune.device=cuda" in overrides:  # the error a machine without a GPU gives, also on one with a GPU
        monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    posts = brand_posts(12, seed=2)
    if make == "dataset":
        save_dataset(tmp_path / "dataset", posts[2:], posts[:2])
    elif make == "empty_train":
        save_dataset(tmp_path / "dataset", [], posts[:2])
    config = write_config(tmp_path, tiny_model_dir, TINY_FINETUNE)
    with pytest.raises(kind) as error:
        stage_main("04_finetune.py")(["--config", str(config), *overrides])
    assert message in str(error.value) and "\n" not in str(error.value)
    assert not (tmp_path / "adapter").exists()


def test_merge_without_adapter_says_run_stage_4(tiny_model_dir, tmp_path):
    config = write_config(tmp_path, tiny_model_dir)
    result = run_script("05_merge.py", "--config", str(config))
    assert result.returncode == 2  # a missing input folder is found before any work
    assert "run 04_finetune.py first" in result.stderr.strip().splitlines()[-1]


def test_gated_model_without_token_says_export_hf_token(tmp_path):
    """A fake Hub on 127.0.0.1 answers 401 (gated repository), as the real one does without a token."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Gated(BaseHTTPRequestHandler):
        def _deny(self):
            self.send_response(401)
            self.send_header("X-Error-Code", "GatedRepo")
            self.send_header("X-Error-Message", "Access to model acme/llama-brand is restricted.")
            self.send_header("Content-Length", "0")
            self.end_headers()

        do_GET = do_HEAD = _deny

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Gated)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        posts = brand_posts(12, seed=2)
        save_dataset(tmp_path / "dataset", posts[2:], posts[:2])
        config = write_config(tmp_path, "acme/llama-brand")
        env = {"HF_ENDPOINT": f"http://127.0.0.1:{server.server_port}", "HF_TOKEN": "", "HF_HUB_DISABLE_XET": "1"}
        result = run_script("04_finetune.py", "--config", str(config), env=env, timeout=300)
    finally:
        server.shutdown()
    assert result.returncode == 1
    last = result.stderr.strip().splitlines()[-1]
    assert "needs a Hugging Face token; export HF_TOKEN" in last, result.stderr[-2000:]


# --------------------------------------------------------------------------- several processes


@pytest.mark.slow
def test_two_processes_under_accelerate_launch_split_the_data_and_agree(tiny_run, tmp_path):
    """DDP on two CPU processes (gloo). accelerate's --cpu flag launches one process only;
    --multi_gpu is its torchrun launcher, and finetune.device=cpu keeps both processes on the CPU."""
    import socket

    from brandtone.finetune.trainer import tensors_digest

    folder, config_path = tiny_run
    shutil.copytree(folder / "dataset", tmp_path / "dataset")
    config = write_config(tmp_path, load_config(config_path).model.base, {**TINY_FINETUNE, "num_train_epochs": 1})
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [
        sys.executable,
        "-m",
        "accelerate.commands.launch",
        "--multi_gpu",
        "--num_processes",
        "2",
        "--num_machines",
        "1",
        "--mixed_precision",
        "no",
        "--dynamo_backend",
        "no",
        "--main_process_ip",
        "127.0.0.1",
        "--main_process_port",
        str(port),
        "04_finetune.py",
        "--config",
        str(config),
    ]
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    result = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]

    manifest = json.loads((tmp_path / "adapter" / "manifest.json").read_text())
    first, second = manifest["processes"]
    assert (first["process"], second["process"]) == (0, 1)
    assert first["batches"] > 0 and first["batches"] == second["batches"]
    assert first["data_sha256"] != second["data_sha256"]  # each process trained on its own share
    single = json.loads((folder / "adapter" / "manifest.json").read_text())
    epoch_tokens = single["counts"]["train_tokens"]
    # together one epoch, plus the packed rows accelerate repeats so that both processes take
    # full, equal steps (even_batches): fewer than 2 processes x rows per step
    rows = TINY_FINETUNE["tokens_per_batch"] // TINY_FINETUNE["max_length"]
    repeated = first["tokens"] + second["tokens"] - epoch_tokens
    assert 0 <= repeated < (2 * rows - 1) * TINY_FINETUNE["max_length"]
    assert manifest["counts"]["optimizer_steps"] == first["batches"]
    # one consistent result: both processes hold the same adapter, and it is the one saved
    assert first["adapter_sha256"] == second["adapter_sha256"]
    assert tensors_digest(adapter_tensors(tmp_path / "adapter")) == first["adapter_sha256"]


def test_the_validation_split_takes_whole_duplicate_groups_from_train_and_is_seeded():
    from datasets import Dataset

    from brandtone.splits import carve_validation

    train = Dataset.from_dict({"text": [f"text {i}" for i in range(40)], "cluster": [i // 2 for i in range(40)]})  # 20 pairs
    kept, validation = carve_validation(train, 0.1, seed=42)
    assert len(validation) == 4 and len(kept) == 36  # two whole groups: 10% of 40 texts
    assert set(validation["cluster"]).isdisjoint(kept["cluster"])  # a near-copy never straddles the two
    assert carve_validation(train, 0.1, seed=42)[1]["text"] == validation["text"] != carve_validation(train, 0.1, seed=7)[1]["text"]
    one_group = Dataset.from_dict({"text": ["a", "b"], "cluster": [0, 0]})
    assert len(carve_validation(one_group, 0.1, seed=42)[1]) == 0  # the last group always stays in training


def test_early_stopping_selects_on_a_validation_split_carved_from_train_and_stage_6_says_so(tiny_run, tmp_path):
    from brandtone.evaluate.findings import selection_line
    from brandtone.evaluate.models import resolve_models

    folder, config_path = tiny_run
    shutil.copytree(folder / "dataset", tmp_path / "dataset")
    config = write_config(
        tmp_path, load_config(config_path).model.base, {**TINY_FINETUNE, "early_stopping_patience": 1, "num_train_epochs": 1}
    )
    assert stage_main("04_finetune.py")(["--config", str(config)]) == 0
    manifest = json.loads((tmp_path / "adapter" / "manifest.json").read_text())
    validation = manifest["counts"]["validation_texts"]
    assert validation == 2 and manifest["counts"]["train_texts"] == N_TRAIN - validation and manifest["counts"]["test_texts"] == N_TEST
    selection = manifest["selection"]
    assert selection["method"] == "early stopping" and selection["on"] == "validation" and selection["validation_texts"] == validation
    log = [json.loads(line) for line in (tmp_path / "adapter" / "training_log.jsonl").read_text().splitlines()]
    steps = manifest["counts"]["optimizer_steps"]
    # both held-out losses after every epoch (and at step 0): the validation split's selects, the test split's is reported
    assert [e["step"] for e in log if "eval_validation_loss" in e] == [e["step"] for e in log if "eval_test_loss" in e] == [0, steps]
    assert manifest["loss"]["test_after"] == next(e["eval_test_loss"] for e in log if e["step"] == steps and "eval_test_loss" in e)
    pair = resolve_models(load_config(config, ["evaluate.tuned_model=adapter"]))  # what stage 6 reads, before any weights load
    assert pair.selection == selection
    assert selection_line(pair.selection) == (
        f"Early stopping (patience 1) kept step {steps} of {steps}, chosen on a validation split of "
        f"{validation} training texts; the test split was not used to select it."
    )


def test_early_stopping_keeps_the_adapter_of_the_best_evaluation(packed_trainer, tmp_path):
    """The pieces 04_finetune.py adds to transformers' EarlyStoppingCallback, driven with chosen losses."""
    from transformers import TrainerControl

    from brandtone.finetune.callbacks import BestAdapterCallback
    from brandtone.finetune.checkpoints import BEST_ADAPTER
    from brandtone.finetune.train import restore_best_adapter
    from brandtone.finetune.trainer import adapter_digest

    trainer = packed_trainer[0]
    state, control = trainer.state, TrainerControl()
    callback = BestAdapterCallback(tmp_path / BEST_ADAPTER)
    state.global_step, state.best_metric = 0, None
    callback.on_evaluate(trainer.args, state, control, metrics={"eval_loss": 9.0}, model=trainer.model)
    assert not (tmp_path / BEST_ADAPTER).exists()  # step 0 is the untuned base: nothing to keep
    state.global_step = 5
    callback.on_evaluate(trainer.args, state, control, metrics={"eval_loss": 3.0}, model=trainer.model)
    state.best_metric, state.best_global_step = 3.0, 5  # what the Trainer records after that evaluation
    best = adapter_digest(trainer.model)
    with torch.no_grad():
        for name, param in trainer.model.named_parameters():
            if "lora_" in name:
                param.add_(0.5)  # later training moves the weights...
    state.global_step = 10
    callback.on_evaluate(trainer.args, state, control, metrics={"eval_loss": 3.5}, model=trainer.model)  # ...and it got worse
    assert adapter_digest(trainer.model) != best
    assert restore_best_adapter(trainer, tmp_path) == 5
    assert adapter_digest(trainer.model) == best
    assert all(p.dtype == torch.float32 for p in trainer.model.parameters() if p.requires_grad)
