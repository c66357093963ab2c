"""Stage 6's style statistics: how the answers of each model look beside the brand's own texts.

Per text: words, hashtags, emoji and the Roman-Urdu share; over the corpus:
distinct-n and repeated n-grams (the scorers of brandtone.evaluate.metrics).
Each is a resamplable Scorer, so the writing test's paired bootstrap gives
every value an interval, and "better" means closer to the true texts' value.

Roman-Urdu share (the one definition): of a text's Latin-script words (the
`metric_tokens` made only of Latin letters), the percentage that are Urdu
function words from `lexicon.ROMAN_URDU_WORDS`, the list stage 2's language
tag uses; pooled over the corpus (hits / Latin words).
Emoji: characters of Unicode category "So" (other symbol: ☕, 🌧, 😊) at or above
U+2190, which leaves out ©, ® and the like; presentation selectors and joiners
are dropped first, so one emoji counts once.
"""

from __future__ import annotations

import math
import re
import unicodedata

from brandtone.evaluate.metrics import METRICS, Scorer, mean_scorer, metric_tokens
from brandtone.lexicon import HASHTAG, ROMAN_URDU_WORDS

_LATIN_WORD = re.compile(r"[a-z]+")
_RENDER_ONLY = dict.fromkeys(map(ord, "\ufe0e\ufe0f\u200d"))

# name -> (label in the report, what "better" means); the shared metrics' rows follow these
STYLE = {
    "words": ("words per text", "truth"),
    "hashtags": ("hashtags per text", "truth"),
    "emoji": ("emoji per text", "truth"),
    "roman_urdu": ("Roman-Urdu share of Latin words %", "truth"),
}
SHARED = ("length", "distinct_1", "distinct_2", "repetition")  # computed by metrics.build_scorers
LABELS = {**{name: label for name, (label, _) in METRICS.items()}, **{name: label for name, (label, _) in STYLE.items()}}


def hashtags(text: str) -> int:
    return len(HASHTAG.findall(text))


def emoji(text: str) -> int:
    return sum(1 for char in text.translate(_RENDER_ONLY) if ord(char) >= 0x2190 and unicodedata.category(char) == "So")


def roman_urdu_counts(text: str) -> tuple[int, int]:
    """(Roman-Urdu function words, Latin-script words) of `text`."""
    latin = [w for w in metric_tokens(text) if _LATIN_WORD.fullmatch(w)]
    return sum(w in ROMAN_URDU_WORDS for w in latin), len(latin)


def style_scorers(texts: dict[str, list[str]]) -> dict[str, dict[str, Scorer]]:
    """STYLE's scorers for every system (texts[system][i] is system's text for item i)."""

    def ratio(stats):
        return Scorer(stats, lambda s: 100.0 * s[0] / s[1] if s[1] else math.nan)

    return {
        "words": {s: mean_scorer([[sum(1 for w in metric_tokens(t) if w[-1].isalnum())] for t in ts]) for s, ts in texts.items()},
        "hashtags": {s: mean_scorer([[hashtags(t)] for t in ts]) for s, ts in texts.items()},
        "emoji": {s: mean_scorer([[emoji(t)] for t in ts]) for s, ts in texts.items()},
        "roman_urdu": {s: ratio([roman_urdu_counts(t) for t in ts]) for s, ts in texts.items()},
    }
