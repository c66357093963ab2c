"""brandtone.finetune.trainer's BrandToneTrainer on the tiny model (CPU): the GPU loss path's loss against TRL's,
its metrics kept on the device until the next log, and the padding for compiled layers inside compute_loss."""

from __future__ import annotations

import pytest
import torch

from tests.helpers.configs import write_config
from tests.helpers.pipeline import build_pipeline
from tests.helpers.training import SMALL


def test_gpu_loss_path_gives_trls_loss_and_metrics_and_reads_them_back_only_when_logging(corpus, tiny_model_dir):
    """The fused-LM-head loss (the GPU's path, run here on the CPU) equals TRL's SFTTrainer.compute_loss, and
    its entropy and token accuracy, kept on the device until the next log, equal what TRL logs."""
    from trl import SFTTrainer

    trainer, _, _ = build_pipeline(write_config(corpus / "metrics", tiny_model_dir, SMALL), [f"paths.dataset_dir={corpus / 'dataset'}"])
    batches = [b for _, b in zip(range(2), trainer.get_train_dataloader())]
    model = trainer.model.train()
    trainer.chunked_lm_head = True
    with torch.no_grad():
        trls = [SFTTrainer.compute_loss(trainer, model, dict(b)).item() for b in batches]
        trl_metrics = {k: list(v) for k, v in trainer._metrics["train"].items() if k in ("entropy", "mean_token_accuracy")}
        trainer._metrics["train"].clear()
        ours = [trainer.compute_loss(model, dict(b)).item() for b in batches]
    assert ours == pytest.approx(trls, rel=1e-6) and ours[0] > 1
    assert "entropy" not in trainer._metrics["train"] and len(trainer._device_metrics["train"]) == 2  # nothing read back yet
    logged = {}
    trainer.callback_handler.on_log = lambda args, state, control, logs: logged.update(logs)
    trainer.log({"loss": ours[-1]})
    assert trainer._device_metrics["train"] == []
    for key, values in trl_metrics.items():
        assert logged[key] == pytest.approx(sum(values) / len(values), rel=1e-5), key

    # with compiled layers the training batches are padded inside compute_loss: same loss, and TRL's token
    # count (and ours) still counts the batch's own tokens, not the padding
    trainer.fixed_tokens = 400
    counted = trainer._total_train_tokens
    with torch.no_grad():
        padded_loss = trainer.compute_loss(model, dict(batches[0])).item()
    assert padded_loss == pytest.approx(ours[0], rel=1e-6)
    assert trainer._total_train_tokens - counted == batches[0]["input_ids"].shape[1] < 400
    assert trainer.seen["padding_tokens"] == 400 - batches[0]["input_ids"].shape[1]
