"""Every stage with the tokenizers of today's Llama families: Llama-3.x (no unk, no pad, end-of-turn
apart from end-of-text, reserved tokens), Llama-2 (`<unk>`, `</s>` ends everything) and ChatML
models such as SmolLM2 and Qwen (no spare token at all). The tokenizers are built in the tests
(tests/helpers/family_tokenizers.py) and go through the real load_tokenizer and encoding paths.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest
import torch

from brandtone.models import ADDED_PAD_TOKEN, load_tokenizer
from brandtone.textformat import encode_document, end_ids, end_of_text_id, end_of_turn_id, leading_special_ids
from tests.helpers.configs import write_config
from tests.helpers.corpus import brand_posts
from tests.helpers.datasets import save_dataset
from tests.helpers.family_tokenizers import FAMILIES, build_tokenizer, save_tiny_llama
from tests.helpers.paths import REPO
from tests.helpers.pipeline import assert_merged_template_is_the_trained_one, build_pipeline
from tests.helpers.scripts import run_script, stage_main


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_each_family_pads_with_a_spare_token_and_knows_both_ends(family, tmp_path):
    shape = FAMILIES[family]
    built = build_tokenizer(family)
    built.save_pretrained(tmp_path / "base")
    tokenizer = load_tokenizer(str(tmp_path / "base"))
    name = tokenizer.convert_ids_to_tokens

    assert name(end_of_text_id(tokenizer)) == shape["end_of_text"]
    assert name(end_of_turn_id(tokenizer)) == shape["end_of_turn"]
    assert tokenizer.pad_token == shape["pad"]
    assert tokenizer.pad_token_id not in {end_of_text_id(tokenizer), end_of_turn_id(tokenizer), tokenizer.bos_token_id}
    assert len(tokenizer) == len(built) + (shape["pad"] == ADDED_PAD_TOKEN)  # a token is added only when none is spare

    texts = brand_posts(20, seed=5)
    documents = [encode_document(tokenizer, text) for text in texts]
    leading = [tokenizer.convert_tokens_to_ids(shape["bos"])] if shape["bos"] else []
    for document in documents:
        assert document[: len(leading)] == leading and leading_special_ids(tokenizer) == leading
        assert document[-1] == end_of_text_id(tokenizer) and document.count(end_of_text_id(tokenizer)) == 1
        assert tokenizer.pad_token_id not in document  # the pad never stands for a real token
        if end_of_turn_id(tokenizer) != end_of_text_id(tokenizer):
            assert end_of_turn_id(tokenizer) not in document  # raw text is not a chat turn

    # what stage 4 saves with the adapter loads back with the same pad and vocabulary (stages 5 and 6)
    tokenizer.save_pretrained(tmp_path / "adapter")
    reloaded = load_tokenizer(str(tmp_path / "adapter"))
    assert (reloaded.pad_token_id, reloaded.get_vocab()) == (tokenizer.pad_token_id, tokenizer.get_vocab())
    assert [encode_document(reloaded, text) for text in texts] == documents


def test_a_tokenizer_without_chat_template_ends_turns_with_end_of_text(tmp_path):
    tokenizer = build_tokenizer("llama3")
    tokenizer.chat_template = None
    assert end_of_turn_id(tokenizer) == end_of_text_id(tokenizer) == tokenizer.convert_tokens_to_ids("<|end_of_text|>")
    assert end_ids(tokenizer) == [end_of_text_id(tokenizer)]


@pytest.fixture(scope="module")
def llama3_run(tmp_path_factory):
    """A tiny random Llama with a Llama-3.1-Instruct-shaped tokenizer, trained by 04_finetune.py and merged by 05."""
    folder = tmp_path_factory.mktemp("llama3-run")
    base = save_tiny_llama("llama3", folder / "base")
    posts = brand_posts(24, seed=7)
    save_dataset(folder / "dataset", posts[4:], posts[:4])
    config = write_config(
        folder,
        base,
        {
            "max_length": 256,
            "tokens_per_batch": 1024,
            "num_train_epochs": 1,  # chat examples: up to ~210 tokens
            "learning_rate": 1e-3,
            "save_steps": 100,
            "report_to": ["none"],
        },
    )
    trained = run_script("04_finetune.py", "--config", str(config))  # output to a pipe, as in `demo.sh > log`
    assert trained.returncode == 0, trained.stderr[-3000:]
    assert stage_main("05_merge.py")(["--config", str(config)]) == 0
    return folder, config, trained.stdout + trained.stderr


def test_training_log_in_a_file_has_no_progress_bars_and_no_deprecation_warnings(llama3_run):
    log = llama3_run[2]
    assert "\r" not in log  # no bar redrawn in place
    assert "DeprecationWarning" not in log and "FutureWarning" not in log, log[-3000:]
    assert "{'loss': " in log and "held-out loss" in log  # the Trainer's line per logging step, then ours


def test_llama3_loss_counts_end_of_text_and_never_the_pad(llama3_run):
    """Unpacked batches are padded: padding is out of the loss, every text's end-of-text is in it, and the
    end-of-turn token, which raw text never contains, is a label only at the end of each chat answer."""
    _, config, _ = llama3_run
    trainer, tokenizer, _ = build_pipeline(config, ["finetune.packing=false", "finetune.attn_implementation=sdpa"])
    pad, end, turn = tokenizer.pad_token_id, end_of_text_id(tokenizer), end_of_turn_id(tokenizer)
    assert tokenizer.convert_ids_to_tokens([pad, end, turn]) == ["<|finetune_right_pad_id|>", "<|end_of_text|>", "<|eot_id|>"]
    header = tokenizer.convert_tokens_to_ids("<|start_header_id|>")
    ends, answers, padded_batches = 0, 0, 0
    for batch in trainer.get_train_dataloader():
        padding = batch["attention_mask"] == 0
        padded_batches += bool(padding.any())
        assert (batch["input_ids"][padding] == pad).all() and (batch["labels"][padding] == -100).all()
        assert not (batch["input_ids"][~padding] == pad).any()
        for ids, labels, mask in zip(batch["input_ids"], batch["labels"], batch["attention_mask"]):
            chat = header in ids.tolist()
            assert int((labels == turn).sum()) == chat  # raw text ends no turn; an answer ends with one, learned
            assert not chat or labels[int(mask.sum()) - 1] == turn
            answers += chat
        ends += int((batch["labels"] == end).sum())
        loss = trainer.compute_loss(trainer.model, dict(batch))
        assert torch.isfinite(loss)
    assert padded_batches > 0 and ends == 20 and answers == 20  # every training text ends, once, with a learned end-of-text


def test_llama3_adapter_and_merged_model_keep_the_tokenizer_and_stop_at_both_ends(llama3_run):
    from transformers import AutoModelForCausalLM, AutoTokenizer

    folder, _, _ = llama3_run
    base_vocab = json.loads((folder / "base" / "config.json").read_text())["vocab_size"]
    adapter_tokenizer = AutoTokenizer.from_pretrained(folder / "adapter")
    assert adapter_tokenizer.pad_token == "<|finetune_right_pad_id|>"  # saved with the adapter
    merged = folder / "merged"
    generation = json.loads((merged / "generation_config.json").read_text())
    ids = adapter_tokenizer.convert_tokens_to_ids(["<|end_of_text|>", "<|eot_id|>", "<|finetune_right_pad_id|>"])
    assert generation["eos_token_id"] == ids[:2] and generation["pad_token_id"] == ids[2]
    model = AutoModelForCausalLM.from_pretrained(merged)
    assert model.config.vocab_size == base_vocab  # a reserved token pads: no embedding row was added
    assert assert_merged_template_is_the_trained_one(merged, folder / "config.yaml") == 20  # Llama-3's own template
    manifest = json.loads((merged / "manifest.json").read_text())
    assert manifest["parity"]["failures"] == [] and manifest["parity"]["merge"]["max_abs_logit_diff"] < 1e-4


# --------------------------------------------------------------------------- experiment tracking


def test_trackers_reach_the_trainer_and_a_missing_one_stops_before_any_work(llama3_run):
    import dataclasses
    import importlib.util

    from brandtone.config import ConfigError, load_config
    from brandtone.errors import StageError
    from brandtone.finetune.train import training_args

    folder, config_path, _ = llama3_run
    assert not (folder / "checkpoints" / "tensorboard").exists()  # finetune.report_to=[none]
    trainer, _, plan = build_pipeline(config_path, ["finetune.report_to=tensorboard"])
    assert plan.trackers == ["tensorboard"] and trainer.args.report_to == []  # TensorBoard is our callback, in a fixed folder
    assert any(type(c).__name__ == "TensorBoardCallback" for c in trainer.callback_handler.callbacks)
    config = load_config(config_path)
    args = training_args(config, dataclasses.replace(plan, trackers=["mlflow", "tensorboard", "wandb"]), torch.float32, fresh=True)
    assert args.report_to == ["mlflow", "wandb"]  # transformers' own integrations

    with pytest.raises(ConfigError, match=r"finetune.report_to: none cannot be combined with a tracker: use \[none\]"):
        load_config(config_path, ["finetune.report_to=[none, wandb]"])
    with pytest.raises(ConfigError, match="finetune.report_to.0: Input should be 'tensorboard'"):
        load_config(config_path, ["finetune.report_to=[neptune]"])
    absent = next((name for name in ("wandb", "mlflow", "trackio") if importlib.util.find_spec(name) is None), None)
    if absent is None:
        pytest.skip("every tracker is installed here")
    with pytest.raises(StageError) as error:
        stage_main("04_finetune.py")(["--config", str(config_path), "--dry-run", f"finetune.report_to=[tensorboard, {absent}]"])
    assert (
        str(error.value) == f"finetune.report_to names {absent}, not installed: pip install {absent}, or remove it from finetune.report_to"
    )


# --------------------------------------------------------------------------- the Hub out of reach (a closed port on 127.0.0.1)


def unreachable_hub(tmp_path) -> dict:
    """Environment for a Hub that cannot be reached: HF_ENDPOINT at a port nothing listens on, an own cache."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return {
        "HF_ENDPOINT": f"http://127.0.0.1:{port}",
        "HF_HOME": str(tmp_path / "hf"),
        "HF_TOKEN": "",
        "HF_HUB_OFFLINE": "",
        "TRANSFORMERS_OFFLINE": "",
        "HF_HUB_DISABLE_XET": "1",
    }


def test_an_unreachable_hub_is_one_line_at_once(tmp_path):
    env = unreachable_hub(tmp_path)
    config = write_config(tmp_path, "acme/llama-brand")
    result = run_script("04_finetune.py", "--config", str(config), "--dry-run", env=env, timeout=300)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "Retrying" not in result.stderr  # huggingface_hub's retries (49 s, 45 warnings) never start
    errors = [line for line in result.stderr.splitlines() if " ERROR " in line]
    assert len(errors) == 1, result.stderr
    assert f"cannot reach the Hugging Face Hub at {env['HF_ENDPOINT']} (" in errors[0]
    assert "to download acme/llama-brand: check the connection" in errors[0]


def test_a_cached_model_loads_from_the_cache_alone_when_the_hub_is_unreachable(tmp_path, tiny_model_dir):
    env = unreachable_hub(tmp_path)
    repo = tmp_path / "hf" / "hub" / "models--acme--tiny-brand"  # the Hub cache's own layout
    shutil.copytree(tiny_model_dir, repo / "snapshots" / ("0" * 40))
    (repo / "refs").mkdir()
    (repo / "refs" / "main").write_text("0" * 40)
    code = (
        "import logging; logging.basicConfig(level=logging.WARNING)\n"
        "from brandtone.models import load_causal_lm, load_tokenizer\n"
        "load_tokenizer('acme/tiny-brand'); load_causal_lm('acme/tiny-brand'); print('loaded')"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PYTHONPATH": str(REPO), **env},
    )
    assert result.returncode == 0 and result.stdout.strip() == "loaded", result.stderr[-2000:]
    assert "Retrying" not in result.stderr  # not for the files the cache lacks (an adapter config...) either
    warned = [line for line in result.stderr.splitlines() if "Hugging Face Hub" in line]
    assert len(warned) == 1 and "loading acme/tiny-brand from the local cache only" in warned[0]
