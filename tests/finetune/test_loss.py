"""brandtone.finetune.loss, the GPU's loss path: TRL's chunked LM head on every position, against TRL's fused
head on the tiny model (CPU), and without a host-device sync (on a GPU, where there is one)."""

from __future__ import annotations

import pytest
import torch

from tests.helpers.configs import write_config
from tests.helpers.pipeline import build_pipeline
from tests.helpers.training import SMALL


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
