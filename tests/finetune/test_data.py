"""brandtone.finetune.data on the tiny model (CPU): the fixed-shape padding compiled decoder layers train on,
and the fingerprint of the batches each process trains on."""

from __future__ import annotations

import pytest
import torch

from tests.helpers.configs import write_config
from tests.helpers.pipeline import build_pipeline
from tests.helpers.training import SMALL


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
