"""Stage 6's verdict sentences: each one derived, word by word, from the numbers it stands beside."""

from __future__ import annotations

from typing import Optional

from brandtone.evaluate.metrics import METRICS, excludes_zero
from brandtone.evaluate.tables import number, signed, with_interval


def verdict(
    perplexity: dict,
    confidence: float,
    n_texts: int,
    *,
    subject: str = "Tuned model's conditional perplexity",
    texts: str = "held-out texts",
    what: str = "the brand's held-out text",
) -> str:
    """One sentence on a perplexity comparison, every word of it derived from the numbers."""
    base, tuned, paired = perplexity["systems"]["base"], perplexity["systems"]["tuned"], perplexity["paired"]["base"]
    direction = "lower" if tuned["value"] < base["value"] else "higher" if tuned["value"] > base["value"] else "equal"
    overlap = tuned["ci"][0] <= base["ci"][1] and base["ci"][0] <= tuned["ci"][1]
    low, high = paired["ci"]
    excludes_zero = low > 0 or high < 0
    if excludes_zero and paired["difference"] < 0:
        conclusion = f"fine-tuning made {what} more predictable"
    elif excludes_zero and paired["difference"] > 0:
        conclusion = f"fine-tuning made {what} less predictable"
    else:
        conclusion = f"these {n_texts} {texts.removeprefix('held-out ')} do not show a difference"
    return (
        f"{subject} {with_interval(tuned['value'], tuned['ci'])} vs base "
        f"{with_interval(base['value'], base['ci'])} ({confidence:.0%} bootstrap CIs, {n_texts} {texts}): "
        f"{direction}, CIs {'overlap' if overlap else 'do not overlap'}, and the paired difference "
        f"{signed(paired['difference'], paired['ci'])} {'excludes' if excludes_zero else 'includes'} zero, "
        f"so {conclusion}."
    )


FLOOR_NAMES = {"echo": "first-half echo", "random": "random training text", "retrieval": "nearest training text"}
FLOOR_METRICS = ("bleu", "chrf", "rouge_l")  # the text-overlap metrics a floor can win


def floor_sentence(metrics: dict, test: str, models: tuple[str, ...] | list[str] = ("base", "tuned")) -> str:
    """Which floor scores above every model on which text-overlap metric (point values), or that none does."""
    wins: dict[str, list[str]] = {}
    every, whose = ("both models", "both models'") if len(models) == 2 else ("every model", "every model's")
    for name in FLOOR_METRICS:
        systems = metrics[name]["systems"]
        best = max(systems[m]["value"] for m in models)
        for floor in FLOOR_NAMES:
            if floor in systems and systems[floor]["value"] > best:
                scores = ", ".join(f"{m} {number(systems[m]['value'])}" for m in models)
                wins.setdefault(floor, []).append(f"{METRICS[name][0]} ({number(systems[floor]['value'])} vs {scores})")
    if not wins:
        floors = ", ".join(FLOOR_NAMES[f] for f in FLOOR_NAMES if f in metrics[FLOOR_METRICS[0]]["systems"])
        return f"{test}: no floor ({floors}) scores above {every} on BLEU, chrF or ROUGE-L."
    parts = [f"the {FLOOR_NAMES[floor]} floor scores above {every} on {listed(found)}" for floor, found in wins.items()]
    return (
        f"{test}: {'; '.join(parts)}, so on {'that metric' if sum(map(len, wins.values())) == 1 else 'those metrics'} "
        f"copying text beats {whose} writing."
    )


# what fine-tuning must win to beat prompting, named as the sentence names them
PROMPTING_METRICS = {
    "perplexity": "perplexity",
    "two_sample": "the two-sample voice test",
    "bleu": "BLEU",
    "chrf": "chrF",
    "rouge_l": "ROUGE-L",
}


def prompting_sentence(metrics: dict, examples: int) -> str:
    """Does fine-tuning beat prompting the base model with the brand's own posts? Metric by metric, from the
    paired difference tuned − prompted: a win where its interval excludes zero on the better side."""
    wins, losses, even = [], [], []
    for name, label in PROMPTING_METRICS.items():
        paired = (metrics.get(name, {}).get("paired") or {}).get("prompted")
        if paired is None:
            continue
        lower_is_better = metrics[name]["better"] == "lower"
        found = f"{label} ({signed(paired['difference'], paired['ci'])})"
        if not excludes_zero(paired):
            even.append(label)
        elif (paired["difference"] < 0) == lower_is_better:
            wins.append(found)
        else:
            losses.append(found)
    shown = f"the base model shown its {examples} nearest training post{'s' if examples != 1 else ''} before each request"
    if wins:
        sentence = f"Fine-tuning beats prompting with the brand's own posts ({shown}) on {listed(wins)} (tuned − prompted, paired)"
    else:
        sentence = f"Fine-tuning does not beat prompting with the brand's own posts ({shown}) on any measure"
    if even:
        sentence += f"; this sample shows no difference on {listed(even)}"
    if losses:
        sentence += f"; prompting beats fine-tuning on {listed(losses)}"
    return sentence + "."


def listed(items: list[str]) -> str:
    """ "a", "a and b", "a, b and c"."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def selection_line(selection: Optional[dict]) -> str:
    """When the tuned model's step was selected on held-out data, and on which: the test split's figures are
    honest only when it was not the one selected on."""
    if not selection:
        return "Not recorded: the tuned model's manifest does not say how its step was chosen."
    if selection["method"] == "none":
        return (
            f"None: the tuned model is the adapter after its last training step ({selection['last_step']}); the test split "
            "was used for nothing but measurement."
        )
    kept = selection.get("kept_step")
    if selection.get("on") == "test":
        return (
            f"Early stopping selected step {kept} on the test split itself (an adapter trained before validation splits), "
            "so the figures below are optimistic: retrain it with 04_finetune.py."
        )
    return (
        f"Early stopping (patience {selection['patience']}) kept step {kept} of {selection['last_step']}, chosen on a validation "
        f"split of {selection['validation_texts']} training texts; the test split was not used to select it."
    )
