"""Stage 6's verdict sentences: each one derived, word by word, from the numbers it stands beside."""

from __future__ import annotations

from brandtone.evaluate.metrics import METRICS
from brandtone.evaluate.tables import number, signed, with_interval


def verdict(perplexity: dict, confidence: float, n_texts: int, *, subject: str = "Tuned model's conditional perplexity",
            texts: str = "held-out texts", what: str = "the brand's held-out text") -> str:
    """One sentence on a perplexity comparison, every word of it derived from the numbers."""
    base, tuned, paired = perplexity["systems"]["base"], perplexity["systems"]["tuned"], perplexity["paired"]
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


def floor_sentence(metrics: dict, test: str) -> str:
    """Which floor scores above both models on which text-overlap metric (point values), or that none does."""
    wins: dict[str, list[str]] = {}
    for name in FLOOR_METRICS:
        systems = metrics[name]["systems"]
        best = max(systems["base"]["value"], systems["tuned"]["value"])
        for floor in FLOOR_NAMES:
            if floor in systems and systems[floor]["value"] > best:
                wins.setdefault(floor, []).append(
                    f"{METRICS[name][0]} ({number(systems[floor]['value'])} vs base {number(systems['base']['value'])}, "
                    f"tuned {number(systems['tuned']['value'])})"
                )
    if not wins:
        floors = ", ".join(FLOOR_NAMES[f] for f in FLOOR_NAMES if f in metrics[FLOOR_METRICS[0]]["systems"])
        return f"{test}: no floor ({floors}) scores above both models on BLEU, chrF or ROUGE-L."
    parts = [f"the {FLOOR_NAMES[floor]} floor scores above both models on {listed(found)}" for floor, found in wins.items()]
    return (f"{test}: {'; '.join(parts)}, so on {'that metric' if sum(map(len, wins.values())) == 1 else 'those metrics'} "
            "copying text beats both models' writing.")


def listed(items: list[str]) -> str:
    """"a", "a and b", "a, b and c"."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def leakage_line(leakage: dict) -> str:
    line = (
        f"{leakage['leaked']} of {leakage['test_texts']} test texts ({leakage['share']:.1%}) have an exact or near "
        f"duplicate ({leakage['rule']}) in the training split"
    )
    return line + ("." if leakage["leaked"] == 0 else ": their scores overstate what the model learned; rebuild the split with 03_build_dataset.py.")
