"""The report's leakage check: held-out texts that have an exact or near duplicate in the training split, by the
rule stage 3's zero-leakage gate applied (stage 2's near-duplicate rule). Such texts overstate what the model learned."""

from __future__ import annotations

from brandtone.dedup import NearDuplicateRule, duplicates_in

MAX_EXAMPLES = 20


def leakage_check(config, test_texts: list[str], train_texts: list[str]) -> tuple[dict, list]:
    """report.json's `leakage` section, and per test text its duplicate in train (or None)."""
    rule = NearDuplicateRule.of(config.clean)
    leaks = duplicates_in(test_texts, train_texts, rule)
    leaked = sum(leak is not None for leak in leaks)
    examples = [
        {"test_index": i, **leak, "test_text": test_texts[i][:200], "train_text": train_texts[leak["corpus_index"]][:200]}
        for i, leak in enumerate(leaks)
        if leak
    ][:MAX_EXAMPLES]
    return {
        "rule": rule.describe(),
        "test_texts": len(test_texts),
        "leaked": leaked,
        "share": leaked / len(test_texts),
        "examples": examples,
    }, leaks


def leakage_line(leakage: dict) -> str:
    line = (
        f"{leakage['leaked']} of {leakage['test_texts']} test texts ({leakage['share']:.1%}) have an exact or near "
        f"duplicate ({leakage['rule']}) in the training split"
    )
    return line + (
        "." if leakage["leaked"] == 0 else ": their scores overstate what the model learned; rebuild the split with 03_build_dataset.py."
    )
