"""brandtone.finetune.train on the tiny model (CPU): compiled decoder layers (finetune.compile) train to the
eager run's losses."""

from __future__ import annotations

import json

import pytest

from tests.helpers.configs import write_config
from tests.helpers.scripts import stage_main
from tests.helpers.training import SMALL


def train(corpus, tiny_model_dir, name: str, **finetune) -> dict:
    """One 04_finetune.py run on the corpus; its adapter manifest."""
    folder = corpus / name
    config_path = write_config(folder, tiny_model_dir, {**SMALL, **finetune})
    assert stage_main("04_finetune.py")(["--config", str(config_path), f"paths.dataset_dir={corpus / 'dataset'}"]) == 0
    return json.loads((folder / "adapter" / "manifest.json").read_text())


def logged_losses(manifest_folder) -> list[float]:
    rows = [json.loads(line) for line in (manifest_folder / "training_log.jsonl").read_text().splitlines()]
    return [row["loss"] for row in rows if "loss" in row] + [row["eval_loss"] for row in rows if "eval_loss" in row]


def test_compiled_decoder_layers_train_to_the_same_losses(corpus, tiny_model_dir):
    """finetune.compile=true: the decoder layers are compiled (dynamo made graphs), each step is padded to
    tokens_per_batch, and the logged training and held-out losses are the eager run's. Neither the
    varying number of texts a batch holds nor the first layer's input recompiles the layers (a
    recompilation of a 7B decoder layer costs seconds on a GPU)."""
    from torch._dynamo.utils import counters, guard_failures

    eager = train(corpus, tiny_model_dir, "eager", compile=False)
    counters.clear()
    guard_failures.clear()
    compiled = train(corpus, tiny_model_dir, "compiled", compile=True)
    assert counters["stats"]["unique_graphs"] > 0  # something was compiled, and ran
    reasons = [reason for failures in guard_failures.values() for reason in failures]
    assert not [r for r in reasons if "cu_seq_lens" in r or "requires_grad" in r], reasons
    assert (eager["plan"]["compile"], compiled["plan"]["compile"]) == (False, True)
    assert compiled["throughput"]["real_tokens"] == eager["throughput"]["real_tokens"]  # padding is not counted as trained
    assert compiled["processes"][0]["padding_tokens"] > 0 == eager["processes"][0]["padding_tokens"]
    eager_losses, compiled_losses = logged_losses(corpus / "eager" / "adapter"), logged_losses(corpus / "compiled" / "adapter")
    assert len(eager_losses) == len(compiled_losses) > 4
    assert compiled_losses == pytest.approx(eager_losses, rel=1e-4)
    assert eager_losses[0] != pytest.approx(eager_losses[-1], rel=1e-4)  # the losses move: the check can fail
