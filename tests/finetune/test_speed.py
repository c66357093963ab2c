"""Stage 4's speed paths on the tiny model (CPU): compiled decoder layers, the fixed-shape padding they
train on, the GPU loss path's deferred metrics, and the plan's automatic choices behind them.

The fused 4-bit LoRA layers have their own numerical test against PEFT (test_fused_lora.py).
"""

from __future__ import annotations

import json

import pytest
import torch

from brandtone.config import load_config
from brandtone.errors import StageError
from tests.helpers.configs import write_config
from tests.helpers.corpus import brand_posts
from tests.helpers.datasets import save_dataset
from tests.helpers.pipeline import build_pipeline
from tests.helpers.scripts import stage_main

SMALL = {  # continuation only, no dropout (compiled code draws other random numbers), 2 rows of 168 a step
    "formats": ["continuation"],
    "max_length": 168,
    "tokens_per_batch": 336,
    "num_train_epochs": 1,
    "learning_rate": 1e-3,
    "lora_dropout": 0.0,
    "logging_steps": 1,
    "save_steps": 1000,
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("speed")
    posts = brand_posts(21, seed=4)
    save_dataset(folder / "dataset", posts[4:], posts[:4])
    return folder


def train(corpus, tiny_model_dir, name: str, **finetune) -> dict:
    """One 04_finetune.py run on the corpus; its adapter manifest."""
    folder = corpus / name
    config_path = write_config(folder, tiny_model_dir, {**SMALL, **finetune})
    assert stage_main("04_finetune.py")(["--config", str(config_path), f"paths.dataset_dir={corpus / 'dataset'}"]) == 0
    return json.loads((folder / "adapter" / "manifest.json").read_text())


def logged_losses(manifest_folder) -> list[float]:
    rows = [json.loads(line) for line in (manifest_folder / "training_log.jsonl").read_text().splitlines()]
    return [row["loss"] for row in rows if "loss" in row] + [row["eval_loss"] for row in rows if "eval_loss" in row]


def test_padding_to_a_fixed_length_leaves_every_real_token_as_it_was(corpus, tiny_model_dir):
    """A packed batch padded to tokens_per_batch has that exact shape; the real tokens' logits and the
    loss are unchanged (the padding is made of separate, unlearned examples)."""
    from brandtone.finetune.data import pad_packed_batch

    trainer, tokenizer, plan = build_pipeline(
        write_config(corpus / "padding", tiny_model_dir, SMALL), [f"paths.dataset_dir={corpus / 'dataset'}"]
    )
    batch = next(iter(trainer.get_train_dataloader()))
    length = batch["input_ids"].shape[1]
    padded, padding = pad_packed_batch(batch, 600, row_length=168, pad_id=tokenizer.pad_token_id)
    assert padding == 600 - length > 168  # more than one row of padding: several padding examples
    assert {k: tuple(padded[k].shape) for k in ("input_ids", "labels", "position_ids")} == {
        k: (1, 600) for k in ("input_ids", "labels", "position_ids")
    }
    assert padded["cu_seq_lens_q"][: len(batch["cu_seq_lens_q"])].tolist() == batch["cu_seq_lens_q"].tolist()
    assert padded["cu_seq_lens_q"][-1] == 600 and max(torch.diff(padded["cu_seq_lens_q"]).tolist()) <= 168
    assert (padded["labels"][0, length:] == -100).all() and padded["max_length_q"] == 168

    model = trainer.model.eval()
    keys = ("input_ids", "position_ids", "cu_seq_lens_q", "cu_seq_lens_k", "max_length_q", "max_length_k")
    with torch.no_grad():
        plain = model(**{k: batch[k] for k in keys}).logits[0]
        with_padding = model(**{k: padded[k] for k in keys}).logits[0, :length]
        losses = [trainer.compute_loss(model, dict(b)) for b in (batch, padded)]
    assert torch.allclose(plain, with_padding, atol=1e-5), (plain - with_padding).abs().max()
    assert torch.allclose(losses[0], losses[1], rtol=1e-6), losses
    with pytest.raises(ValueError, match="longer than"):
        pad_packed_batch(batch, length - 1, 168, tokenizer.pad_token_id)


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


# --------------------------------------------------------------------------- the plan's choices


def plan_for(tiny_model_dir, tmp_path, device="cpu", **finetune):
    """The plan for the tiny model on `device`: a kind ("cpu", "cuda": this machine's) or a Device (any card)."""
    from brandtone.finetune.plan import make_plan
    from brandtone.finetune.shape import model_shape
    from brandtone.memory import detect_device
    from brandtone.models import load_tokenizer

    config = load_config(write_config(tmp_path, tiny_model_dir, finetune))
    device = detect_device(device) if isinstance(device, str) else device
    return config.finetune, make_plan(config, model_shape(config, len(load_tokenizer(str(tiny_model_dir)))), device)


def test_automatic_optimizer_is_fused_adamw_on_a_gpu_while_its_states_are_small(tiny_model_dir, tmp_path):
    from brandtone.finetune.plan import resolve_optim
    from brandtone.memory import GIB, Device

    assert resolve_optim("auto", "cpu", 40_000_000, 100 * GIB) == "adamw_torch"
    assert resolve_optim("auto", "cuda", 40_000_000, 100 * GIB) == "adamw_torch_fused"  # r=16 all-linear on 7B: 0.3 GiB
    assert resolve_optim("auto", "cuda", 160_000_000, 8 * GIB) == "paged_adamw_8bit"  # r=64 on a low-memory plan: 1.2 GiB
    assert resolve_optim("sgd", "cuda", 1, GIB) == "sgd"  # a named optimizer is kept
    _, plan = plan_for(tiny_model_dir, tmp_path)
    assert plan.optim == "adamw_torch" and plan.fused_lora is True and plan.compile is False
    h100 = Device("cuda", "NVIDIA H100 80GB HBM3", 79.2 * GIB, (9, 0))
    for device in [h100] + (["cuda"] if torch.cuda.is_available() else []):  # and this machine's GPU, where there is one
        _, plan = plan_for(tiny_model_dir, tmp_path, device)
        assert plan.device == "cuda" and plan.optim == "adamw_torch_fused" and plan.fused_lora is True


def test_compile_is_decided_from_the_planned_tokens_and_refuses_what_cannot_compile(tiny_model_dir, tmp_path, monkeypatch):
    from brandtone.finetune import plan as finetune_plan
    from brandtone.finetune.plan import compile_pays_back, resolve_compile, with_steps

    finetune, plan = plan_for(tiny_model_dir, tmp_path, compile="auto")
    assert plan.compile is False  # auto never compiles on a CPU
    assert with_steps(plan, finetune, rows_per_epoch=1000).compile is False
    gpu = finetune.model_copy(update={"compile": "auto"})
    assert resolve_compile(gpu, "cuda", None, 6.74e9) is None  # undecided until the data is counted
    # with the measured figures (compiled no faster than eager on the device's clock) nothing repays the warm-up
    assert finetune_plan.COMPILE_SPEEDUP < 1 and resolve_compile(gpu, "cuda", 10**9, 6.74e9) is False
    monkeypatch.setattr(finetune_plan, "COMPILE_SPEEDUP", 1.13)  # a card or model where compiling does pay
    assert resolve_compile(gpu, "cuda", 365_000, 6.74e9) is False  # the bench corpus, 3 epochs: warm-up not repaid
    assert resolve_compile(gpu, "cuda", 20_000_000, 6.74e9) is True
    assert compile_pays_back(1_000_000, 70e9) is True  # a 10x larger model takes 10x longer per token
    assert resolve_compile(gpu.model_copy(update={"use_liger_kernel": True}), "cuda", 20_000_000, 6.74e9) is False

    finetune, plan = plan_for(tiny_model_dir, tmp_path, compile=True, fused_lora_groups=True)
    assert plan.compile is True and plan.use_liger_kernel is False  # Liger's RMSNorm does not compile
    assert plan.fused_lora_groups is False  # the groups keep Python state between calls: not under compile
    assert plan_for(tiny_model_dir, tmp_path, fused_lora_groups=True)[1].fused_lora_groups is True
    assert plan_for(tiny_model_dir, tmp_path)[1].fused_lora_groups is False  # off unless asked for (measured no faster)
    with pytest.raises(StageError, match="needs finetune.packing=true"):
        plan_for(tiny_model_dir, tmp_path, compile=True, packing=False)
    with pytest.raises(StageError, match="use_liger_kernel"):
        plan_for(tiny_model_dir, tmp_path, compile=True, use_liger_kernel=True)
    with pytest.raises(StageError, match="finetune.load_in_4bit is false"):
        plan_for(tiny_model_dir, tmp_path, fused_lora=True, load_in_4bit=False)
    _, plan = plan_for(tiny_model_dir, tmp_path, load_in_4bit=False)
    assert plan.fused_lora is False  # auto: nothing to fuse without a 4-bit base


@pytest.mark.parametrize("device", ["cpu", pytest.param("cuda", marks=pytest.mark.skipif(not torch.cuda.is_available(), reason="no GPU"))])
def test_batch_fingerprint_hashes_every_batch_in_order_without_waiting_for_the_device(device):
    """The data fingerprint each process records is sha256 over its batches' token ids in training order,
    also when the ids are on a GPU and reach the host by asynchronous copies."""
    import hashlib

    from brandtone.finetune.data import BatchFingerprint

    batches = [torch.randint(0, 32000, (1, n), generator=torch.Generator().manual_seed(n)) for n in (300, 17, 4096)]
    fingerprint = BatchFingerprint()
    for number, ids in enumerate(batches):
        on_device = ids.clone().to(device)
        fingerprint.add(on_device)
        if number == 1:
            fingerprint.flush()  # a log step in between changes nothing
        on_device.zero_()  # the trainer's next step may reuse the memory: what was added must not change
    expected = hashlib.sha256(b"".join(ids.numpy().tobytes() for ids in batches)).hexdigest()
    assert fingerprint.hexdigest() == expected
    reordered = BatchFingerprint()
    for ids in reversed(batches):
        reordered.add(ids.to(device))
    assert reordered.hexdigest() != expected


def test_gpu_loss_path_scores_every_position_as_trls_head_does_forward_and_backward(corpus, tiny_model_dir):
    """brandtone.finetune.loss (TRL's chunked LM head on every position, unlabelled ones zeroed) gives TRL's
    fused head's per-token log-probabilities, entropies and top-1 hits, its loss and the adapters' gradients."""
    from brandtone.finetune import loss as finetune_loss

    trainer, _, _ = build_pipeline(write_config(corpus / "lm-head", tiny_model_dir, SMALL), [f"paths.dataset_dir={corpus / 'dataset'}"])
    batch = next(iter(trainer.get_train_dataloader()))
    model = trainer.model.train()
    adapters = [p for p in model.parameters() if p.requires_grad]

    def loss_and_grads(per_token):
        loss = finetune_loss.nll_loss(per_token, None)
        return loss, torch.autograd.grad(loss, adapters)

    assert finetune_loss.applies(model)
    ours = finetune_loss.packed_log_probs(model, dict(batch))
    trls = model(**batch, use_cache=False, fused_lm_head=True)
    trls = finetune_loss.PerToken(trls.log_probs, trls.entropy, trls.is_top1, trls.label_mask)
    assert (~ours.mask).sum() >= 2 and torch.equal(ours.mask, trls.mask)  # unlabelled positions (each text's first) exist
    for name in ("log_probs", "entropy", "is_top1"):
        assert torch.allclose(getattr(ours, name).float(), getattr(trls, name).float(), atol=1e-5), name
    (our_loss, our_grads), (trl_loss, trl_grads) = loss_and_grads(ours), loss_and_grads(trls)
    assert torch.allclose(our_loss, trl_loss, rtol=1e-6) and our_loss > 1
    for ours_grad, trl_grad in zip(our_grads, trl_grads):
        assert torch.allclose(ours_grad, trl_grad, rtol=1e-4, atol=1e-7)
    assert any(g.abs().sum() > 0 for g in our_grads)


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a GPU")
def test_gpu_loss_path_never_waits_for_the_gpu():
    """On a GPU the LM head, the loss and their backward pass queue without one host-device sync; TRL's
    compaction (a boolean index of the hidden states) would wait."""
    from brandtone.finetune import loss as finetune_loss

    generator = torch.Generator().manual_seed(0)
    head = torch.nn.Linear(64, 1000, bias=False).cuda()
    hidden = torch.randn(1, 300, 64, generator=generator).cuda().requires_grad_()
    labels = torch.randint(0, 1000, (1, 300), generator=generator).cuda()
    labels[0, ::37] = -100
    torch.cuda.synchronize()
    torch.cuda.set_sync_debug_mode("error")
    try:
        with torch.autocast("cuda", dtype=torch.bfloat16):
            per_token = finetune_loss.head_log_probs(head, hidden, labels)
            loss = finetune_loss.nll_loss(per_token, None)
        loss.backward()
        with pytest.raises(RuntimeError, match="synchroniz"):
            hidden[labels != -100]  # what the compaction does
    finally:
        torch.cuda.set_sync_debug_mode("default")
    full = torch.log_softmax(hidden.detach().float() @ head.weight.float().t(), -1).gather(-1, labels.clamp(min=0)[..., None])[..., 0]
    expected = -(full * (labels != -100)).sum() / (labels != -100).sum()
    assert torch.allclose(loss.float(), expected, rtol=2e-2) and hidden.grad.abs().sum() > 0
