"""Stage 6's plots: every metric with its intervals, and base against tuned perplexity per text."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from brandtone.evaluate.metrics import METRICS

SYSTEMS = {  # column -> what it is
    "base": "base model",
    "tuned": "fine-tuned model",
    "echo": "floor: the first half again",
    "random": "floor: a random training text",
    "retrieval": "floor: the nearest training text (TF-IDF)",
    "truth": "the true second halves",
}
PLOTS = {"metrics": "metrics.png", "perplexity": "perplexity_per_text.png"}


def write_plots(report: dict, per_text: dict[str, np.ndarray], folder: Path) -> None:
    """metrics.png: every metric with its intervals; perplexity_per_text.png: base vs tuned per text."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    metrics = report["metrics"]
    columns = 4
    rows = math.ceil(len(metrics) / columns)
    figure, axes = plt.subplots(rows, columns, figsize=(4 * columns, 3.2 * rows), squeeze=False)
    colours = dict(zip(SYSTEMS, plt.get_cmap("tab10").colors))
    for axis, (name, result) in zip(axes.flat, metrics.items()):
        names = list(result["systems"])
        values = np.array([result["systems"][s]["value"] for s in names])
        cis = np.array([result["systems"][s]["ci"] for s in names])
        errors = np.clip(np.vstack([values - cis[:, 0], cis[:, 1] - values]), 0, None)
        for x, system in enumerate(names):
            axis.errorbar([x], [values[x]], yerr=errors[:, x : x + 1], fmt="o", capsize=4, color=colours[system])
        if values.min() > 0 and values.max() / values.min() > 20:  # e.g. a random base model's perplexity
            axis.set_yscale("log")
        axis.set_xticks(range(len(names)), names, rotation=30, fontsize=8)
        axis.set_title(f"{METRICS[name][0]} ({'near truth' if result['better'] == 'truth' else result['better']} is better)", fontsize=9)
        axis.grid(axis="y", alpha=0.3)
    for axis in list(axes.flat)[len(metrics) :]:
        axis.axis("off")
    figure.suptitle(
        f"{report['brand']}: {report['texts']['evaluated']} held-out texts, {report['bootstrap']['confidence']:.0%} bootstrap CIs"
    )
    figure.tight_layout()
    figure.savefig(folder / PLOTS["metrics"], dpi=110)
    plt.close(figure)

    base, tuned = per_text["base"], per_text["tuned"]
    figure, axis = plt.subplots(figsize=(5.5, 5.5))
    axis.scatter(base, tuned, s=14, alpha=0.7)
    low, high = float(min(base.min(), tuned.min())), float(max(base.max(), tuned.max()))
    axis.plot([low, high], [low, high], color="grey", linewidth=1, label="equal")
    axis.set_xscale("log")
    axis.set_yscale("log")
    axis.set_xlabel("base model perplexity")
    axis.set_ylabel("tuned model perplexity")
    below = float(np.mean(tuned < base))
    axis.set_title(f"per-text conditional perplexity: tuned lower on {below:.0%} of texts", fontsize=10)
    axis.legend()
    figure.tight_layout()
    figure.savefig(folder / PLOTS["perplexity"], dpi=110)
    plt.close(figure)
