"""Stage 2's listing pages: web pages made mostly of other documents' text.

Brand sites print their posts again on other pages: a blog or news index with
every post's text, a "latest posts" widget, a category page, an Instagram feed
embedded in the home page. Left whole, such a page holds the posts of both
splits: a real site's 8,900-character news page held 94% of a 125-character
post page that went to the test split.

A line of a web page is *covered* when a smaller document (fewer 5-grams) holds
at least `rule.containment` of the line's 5-grams and of its word trigrams: a
whole post printed in the index covers its lines, and an excerpt (the first
lines of a post) is covered by the post it comes from. The trigrams keep the
words in order: every 5-gram of a short heading ("The whole blog on one page")
can sit somewhere in a long page that does not hold the heading. "Smaller" is what keeps a post page from being
covered by the index that reprints it: the text survives in the smallest
document that holds it. A page whose covered lines hold at least `min_covered`
of its 5-grams is a listing page.

A listing page is reduced to its own text (its lines that are not covered)
rather than dropped: the lines that remain are copy written nowhere else (a
blog's introduction, the hero text above an embedded feed), and the listed
posts stay in training as their own documents. When no line of its own with
OWN_LINE_MIN_WORDS words is left (only headings, dates and "Read more"), the
page is dropped with the reason `listing_page`: such fragments teach no voice.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Optional, Sequence

import numpy as np

from brandtone.dedup import NearDuplicateRule, ShingleIndex, near_duplicate_form, shingle_hashes

OWN_LINE_MIN_WORDS = 8  # a reduced listing page is kept only with a sentence of its own, not just headings and dates


@dataclass
class ListingPage:
    """A web page recognised as a listing page and what is left of it."""

    text: str  # its own lines ("" when none has OWN_LINE_MIN_WORDS words: the page is dropped)
    covered_share: float  # share of its 5-grams in covered lines
    lines_removed: int
    covered_by: list[int]  # the texts (numbers in the hash sets given) that hold its covered lines

    def describe(self, names: Sequence[str]) -> str:
        shown = ", ".join(names[n] for n in self.covered_by[:3]) + (" ..." if len(self.covered_by) > 3 else "")
        return f"{self.covered_share:.0%} of its 5-grams are in {len(self.covered_by)} smaller documents ({shown})"


def find_listing_pages(
    pages: dict[int, str], texts: Sequence[str], hash_sets: Sequence[np.ndarray], rule: NearDuplicateRule, min_covered: float
) -> dict[int, ListingPage]:
    """The listing pages among `pages` (text number -> page text), judged against every text
    (`texts` and their 5-gram hashes `hash_sets`, the pages' own included)."""
    index = ShingleIndex(hash_sets)
    word_grams = functools.lru_cache(maxsize=None)(lambda text, n: _word_grams(near_duplicate_form(texts[text]).split(), n))
    # A line printed word for word is the common case (a feed widget prints whole captions):
    # a dictionary of every text's lines finds its smallest holder without a look-up.
    smallest_with_line: dict[str, int] = {}
    for number in sorted(range(len(texts)), key=lambda n: -index.sizes[n]):
        for line in texts[number].split("\n"):
            smallest_with_line[near_duplicate_form(line)] = number
    found = {}
    for page, text in pages.items():
        lines = text.split("\n")
        covered_lines, holders = [], set()
        for number, line in enumerate(lines):
            form = near_duplicate_form(line)
            holder = smallest_with_line.get(form) if form else None
            if holder is None or holder == page or index.sizes[holder] >= index.sizes[page]:
                holder = _holder_of(line, page, index, word_grams, rule) if form else None
            if holder is not None:
                covered_lines.append(number)
                holders.add(holder)
        if not covered_lines:
            continue
        covered = np.unique(np.concatenate([shingle_hashes(lines[n]) for n in covered_lines]))
        share = np.intersect1d(covered, hash_sets[page], assume_unique=True).size / max(1, hash_sets[page].size)
        if share < min_covered:
            continue
        removed = set(covered_lines)
        own = [line for n, line in enumerate(lines) if n not in removed]
        has_sentence = any(len(near_duplicate_form(line).split()) >= OWN_LINE_MIN_WORDS for line in own)
        own_text = "\n".join(own).strip() if has_sentence else ""
        found[page] = ListingPage(_tidy(own_text), share, len(covered_lines), sorted(holders))
    return found


def _holder_of(line: str, page: int, index: ShingleIndex, word_grams, rule: NearDuplicateRule) -> Optional[int]:
    """A text with fewer 5-grams than the page that holds the line (rule.containment of its
    5-grams and of its word trigrams, or of its words in order when it has fewer than 3), else None.

    Candidates by prefix filtering, as in ShingleIndex.containment_candidates: the page holds
    every 5-gram of its line, so those held by no other text are missed by every holder.
    """
    hashes, words = shingle_hashes(line), near_duplicate_form(line).split()
    if not hashes.size or not words:
        return None
    others = index.holding_of(hashes) - 1
    missing = rule.allowed_missing(hashes.size)
    only_here = int((others <= 0).sum())
    if only_here > missing:
        return None
    probes, at_least, _ = index.probes(hashes, others, others > 0, missing - only_here)
    n = min(3, len(words))
    wanted = _word_grams(words, n)
    for text in index.holders(probes, at_least).tolist():
        if (
            text != page
            and index.sizes[text] < index.sizes[page]
            and np.intersect1d(hashes, index.hash_sets[text], assume_unique=True).size >= hashes.size - missing
            and len(wanted & word_grams(text, n)) >= rule.containment * len(wanted)
        ):
            return text
    return None


def _word_grams(words: list[str], n: int) -> set[tuple[str, ...]]:
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


def _tidy(text: str) -> str:
    """At most one blank line in a row where lines were taken out."""
    lines, blank = [], False
    for line in text.split("\n"):
        if line.strip() or not blank:
            lines.append(line)
        blank = not line.strip()
    return "\n".join(lines).strip()
