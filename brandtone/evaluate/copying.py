"""Stage 6's copy check: which texts reproduce a training text instead of writing a new one.

A model that returns its training posts verbatim would look perfect on every closeness measure, so
each system's answers are checked against the training split. A text copies when

- it is an exact or near duplicate of a training text by stage 2's rule (brandtone/dedup.py with the
  `clean.*` settings, as stage 3's leakage gate): character 5-gram Jaccard over the threshold, or nearly
  all of the shorter text's 5-grams inside the longer one, which is how an answer cut at the token cap
  that repeats the opening of a training post shows; or
- it shares a run of COPY_SPAN_WORDS consecutive words with one, in the rule's reduced form (case,
  hashtags, mentions, punctuation and emoji ignored): a sentence lifted whole into a new answer; or
- it is shorter than that run but at least COPY_MIN_WORDS words, and stands whole inside one (an
  answer cut at a small token cap that repeats a training post's opening).

The brand's own held-out texts are checked the same way: how often they share such a span with the
training texts (sign-offs, templates) is the rate a writer in the brand's voice reaches without copying.
"""

from __future__ import annotations

from typing import Optional

import numpy as np

from brandtone.dedup import NearDuplicateRule, duplicates_in, near_duplicate_form

# 12 words: longer than the brand sign-offs and hashtag lines a brand repeats on purpose
# ("Milte hain nukkar pe", "Open 7 am to 1 am, every single day"), shorter than a sentence lifted whole.
COPY_SPAN_WORDS = 12
# A text shorter than a span (an answer cut at a small token cap) copies when it stands whole inside a training
# text; below 6 words that is a greeting or a sign-off, no evidence of copying.
COPY_MIN_WORDS = 6
EXAMPLES = 3  # per system, in the report


def _span_hashes(words: list[str]) -> np.ndarray:
    return np.array([hash(" ".join(words[i : i + COPY_SPAN_WORDS])) for i in range(len(words) - COPY_SPAN_WORDS + 1)], dtype=np.int64)


class TrainingText:
    """The training texts in the rule's reduced form: every run of COPY_SPAN_WORDS words (hashed, sorted, with the
    text it is from), and all of them joined, to find a short text inside one."""

    def __init__(self, train_texts: list[str]):
        forms = [near_duplicate_form(t) for t in train_texts]
        per_text = [_span_hashes(form.split()) for form in forms]
        hashes = np.concatenate(per_text) if per_text else np.array([], dtype=np.int64)
        owners = np.repeat(np.arange(len(forms)), [len(h) for h in per_text])
        order = np.argsort(hashes, kind="stable")
        self.hashes, self.owners = hashes[order], owners[order]
        self.joined = "\n".join(forms)
        self.starts = np.cumsum([0] + [len(form) + 1 for form in forms[:-1]])

    def copied_by(self, text: str) -> Optional[tuple[int, str]]:
        """(the first training text `text` copies from, "span" or "inside"), or None."""
        words = near_duplicate_form(text).split()
        if len(words) >= COPY_SPAN_WORDS:
            query = _span_hashes(words)
            at = np.searchsorted(self.hashes, query)
            found = [int(self.owners[k]) for k, h in zip(at, query) if k < len(self.hashes) and self.hashes[k] == h]
            return (min(found), "span") if found else None
        if len(words) < COPY_MIN_WORDS:
            return None
        needle, start = " ".join(words), 0  # the text may end mid-word (cut at the cap): only its start must be a word's
        while (at := self.joined.find(needle, start)) >= 0:
            if at == 0 or self.joined[at - 1] in " \n":
                return int(np.searchsorted(self.starts, at, side="right") - 1), "inside"
            start = at + 1
        return None


def find_copies(texts: dict[str, list[str]], train_texts: list[str], rule: NearDuplicateRule) -> dict[str, list[Optional[dict]]]:
    """Per system, per text: None, or the training text it copies and how
    ({"train_index", "kind": "exact" | "near" | "span" | "inside", "similarity"})."""
    names = list(texts)
    flat = [t for name in names for t in texts[name]]
    duplicates = duplicates_in(flat, train_texts, rule)  # one index of the training texts for every system
    training = TrainingText(train_texts)
    found: list[Optional[dict]] = []
    for text, duplicate in zip(flat, duplicates):
        if duplicate is not None:
            found.append({"train_index": duplicate["corpus_index"], "kind": duplicate["kind"], "similarity": duplicate["similarity"]})
            continue
        copied = training.copied_by(text)
        found.append(None if copied is None else {"train_index": copied[0], "kind": copied[1], "similarity": None})
    result, start = {}, 0
    for name in names:
        result[name] = found[start : start + len(texts[name])]
        start += len(texts[name])
    return result


def copy_values(copies: list[Optional[dict]]) -> list[list[float]]:
    """Per text, 100 when it copies, else 0 (a mean_scorer's input: the share in percent)."""
    return [[100.0 * (c is not None)] for c in copies]


def copy_examples(texts: list[str], copies: list[Optional[dict]], train_texts: list[str], limit: int = EXAMPLES) -> list[dict]:
    """The first `limit` copies of a system: the text, the training text and how it was matched."""
    return [
        {
            "index": i,
            "text": texts[i][:300],
            "train_index": c["train_index"],
            "train_text": train_texts[c["train_index"]][:300],
            "kind": c["kind"],
            "similarity": c["similarity"],
        }
        for i, c in enumerate(copies)
        if c is not None
    ][:limit]


def describe() -> str:
    return (
        f"an exact or near duplicate of a training text (stage 2's rule and clean.* settings), a run of {COPY_SPAN_WORDS} "
        f"words shared with one, or a text of {COPY_MIN_WORDS} to {COPY_SPAN_WORDS - 1} words standing whole inside one (case, "
        "hashtags, mentions, punctuation and emoji ignored)"
    )
