"""Stage 4's run read back from its log history: the held-out loss before and after training,
and the loss curve written into the adapter folder. The loss keys are those the trainer logs; the
validation loss is also the metric early stopping selects on (brandtone.finetune.train)."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

SELECTION_LOSS = "eval_validation_loss"  # with early stopping, the validation split's loss, which picks the epoch
TEST_LOSS_KEYS = ("eval_loss", "eval_test_loss")  # the test split's loss: alone, or beside the validation split's


def test_loss(entry: dict) -> Optional[float]:
    """The test split's held-out loss in a log entry, or None."""
    return next((entry[key] for key in TEST_LOSS_KEYS if key in entry), None)


def loss_summary(log_history: list[dict]) -> dict[str, Optional[float]]:
    """Held-out loss before (step 0) and after (last evaluation), and the first and last logged training loss."""
    evals = [entry for entry in log_history if test_loss(entry) is not None]
    train = [entry for entry in log_history if "loss" in entry]
    before = next((test_loss(e) for e in evals if e.get("step") == 0), None)
    after = next((test_loss(e) for e in reversed(evals) if e.get("step", 0) > 0), None)
    return {
        "test_before": before,
        "test_after": after,
        "train_first_logged": train[0]["loss"] if train else None,
        "train_last_logged": train[-1]["loss"] if train else None,
    }


def plot_loss_curve(log_history: list[dict], path: Path, title: str) -> None:
    """Training loss per logged step and held-out loss per evaluation, as a PNG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    train = [(e["step"], e["loss"]) for e in log_history if "loss" in e]
    evals = [(e["step"], test_loss(e)) for e in log_history if test_loss(e) is not None]
    validation = [(e["step"], e[SELECTION_LOSS]) for e in log_history if SELECTION_LOSS in e]
    figure, axes = plt.subplots(figsize=(7, 4), dpi=110)
    if train:
        axes.plot(*zip(*train), label="training loss", color="tab:blue", linewidth=1.2)
    if evals:
        axes.plot(*zip(*evals), label="held-out loss (test split)", color="tab:orange", marker="o")
    if validation:
        axes.plot(*zip(*validation), label="validation loss (selects the epoch)", color="tab:green", marker="s")
    axes.set_xlabel("optimizer step")
    axes.set_ylabel("cross-entropy per token (nats)")
    axes.set_title(title)
    axes.grid(alpha=0.3)
    axes.legend()
    figure.tight_layout()
    figure.savefig(path)
    plt.close(figure)
