"""What a document is about, as a marketer would name it in a writing request.

For each document: up to two key phrases (YAKE, a statistical keyword extractor
that needs no model or download), the hashtags it uses, a place it names, the
occasion it is for (Eid, the monsoon, exam season...), whether it makes an
offer or an announcement, and its length in words.

The demo brand writes English mixed with Roman Urdu, so YAKE's candidate
phrases are cut at English *and* Roman-Urdu function words, while a phrase
such as "gajar ka halwa" or "gur wali chai" (joined by an Urdu connector) is
kept whole; phrases joined by English stopwords ("kitten to Head") are dropped.
Phrases and hashtags found in a large share of the corpus (the brand's own
name and hashtag, its sign-off) say nothing about one document and are left out.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from brandtone.lexicon import HASHTAG, ROMAN_URDU_WORDS

# A phrase or hashtag in more than this share of documents (and more than
# UBIQUITOUS_MIN_DOCS of them) is the brand's background, not a topic.
UBIQUITOUS_SHARE = 0.25
UBIQUITOUS_MIN_DOCS = 3
YAKE_MAX_WORDS = 400  # a long page's topics are in its first few hundred words; bounds YAKE's cost
MAX_PHRASES = 2
# English words YAKE's list lacks that a phrase must not contain ("stay open till", "7 am")
EXTRA_STOPWORDS = frozenset({"till", "am", "pm", "tho", "via"})
MAXHASHTAGS = 2
MAX_TITLE_WORDS = 6  # a web page's first line this short is its title ("Work with us")

# Occasions a request names, first match by position in the text. Triggers are
# lower-case regexes over the text, hashtags included (#EidUlAdha -> "eid").
OCCASIONS = (
    ("Eid", r"\beid|chand raat"),
    ("Ramzan", r"\bramzan|\bramadan|\biftar|\bsehri|\bsuhoor"),
    ("the monsoon", r"\bmonsoon|\bbaarish|\bbarish|\brain(?:y|s|ing)?\b|lahorerain"),
    ("smog season", r"\bsmog"),
    ("winter", r"\bwinter|\bsardi|\bdhund|\bfog(?:gy)?\b"),
    ("the summer heat", r"\bsummer|\bgarmi|\bheat ?wave|\b4\d ?°c"),
    ("Independence Day", r"independence day|14 august|\bazadi"),
    ("Pakistan Day", r"pakistan day|23 march"),
    ("New Year", r"new year"),
    ("Christmas", r"christmas|\bxmas"),
    ("Valentine's Day", r"valentine"),
    ("Mother's Day", r"mother'?s day"),
    ("Father's Day", r"father'?s day"),
    ("wedding season", r"\bshaadi|\bwedding|\bmehndi|\bbaraat|\bwalima"),
    ("exam season", r"\bexams?\b"),
    ("Basant", r"\bbasant"),
    ("Diwali", r"\bdiwali"),
    ("Black Friday", r"black friday|\b11\.11\b"),
    ("an anniversary", r"\banniversary"),
)
_OCCASION_PATTERNS = [(label, re.compile(trigger)) for label, trigger in OCCASIONS]

_OFFER = re.compile(r"\d+ ?%|\bdiscount|\bfree\b|\bdeals?\b|\boffers?\b|\bbuy one\b|\bhalf price", re.IGNORECASE)
_ANNOUNCEMENT = re.compile(
    r"\bnew\b|\blaunch|\bnow open|\bopening\b|\bintroducing|\b(?:is|are) back\b|\bjust dropped|\bcoming soon", re.IGNORECASE
)
_MENTION = re.compile(r"@[\w.]+")
# "at Model Town", "in Lahore", "near DHA Phase 5": a preposition, then capitalised words (and numbers)
_PLACE = re.compile(r"\b(?:at|in|near|from)\s+((?:[A-Z][\w'-]*)(?:\s+(?:[A-Z][\w'-]*|\d+))*)")
_NOT_PLACES = frozenset(  # capitalised words after "at/in/from" that are times and prices, not places
    "monday tuesday wednesday thursday friday saturday sunday january february march april may june july august "
    "september october november december i rs pkr".split()
)
_WORD = re.compile(r"[^\W_]+")


def plain_words(text: str) -> list[str]:
    """Lower-case letter/digit runs: the unit both topic counting and the leak guard compare."""
    return _WORD.findall(text.lower())


@dataclass(frozen=True)
class Topic:
    phrases: tuple[str, ...]
    hashtags: tuple[str, ...]  # with their '#', as the document writes them
    place: str | None
    occasion: str | None
    offer: bool
    announcement: bool
    word_count: int
    title: str | None = None  # web pages only


class TopicFinder:
    """Finds each document's topic; built once over the corpus (document frequencies, the brand's words)."""

    def __init__(self, texts: list[str], brand_name: str):
        import yake

        english = yake.KeywordExtractor(lan="en").stopword_set
        self._english_stopwords = frozenset(english) | EXTRA_STOPWORDS
        self._extractor = yake.KeywordExtractor(
            lan="en", n=3, top=10, dedup_lim=0.7, stopwords=set(self._english_stopwords | ROMAN_URDU_WORDS)
        )
        self._brand_words = frozenset(plain_words(brand_name))
        phrase_df: Counter = Counter()
        hashtag_df: Counter = Counter()
        for text in texts:
            tokens = plain_words(text)
            phrase_df.update({tuple(tokens[i : i + n]) for n in (1, 2, 3) for i in range(len(tokens) - n + 1)})
            hashtag_df.update({tag.lower() for tag in HASHTAG.findall(text)})
        limit = max(UBIQUITOUS_MIN_DOCS, UBIQUITOUS_SHARE * len(texts))
        self._ubiquitous_phrases = {gram for gram, n in phrase_df.items() if n > limit}
        self._phrase_df = phrase_df
        self._ubiquitous_hashtags = {tag for tag, n in hashtag_df.items() if n > limit}

    def find(self, text: str, source: str) -> Topic:
        place = next(iter(self._places(text)), None)
        phrases = self._phrases(text, taken=set(plain_words(place or "")))  # "DHA Phase" is the place "DHA Phase 5"
        return Topic(
            phrases=tuple(phrases),
            hashtags=self._hashtags(text),
            place=place,
            occasion=occasion_of(text),
            offer=source != "web" and bool(_OFFER.search(text)),  # a page naming free wifi or a discount is no offer post
            announcement=bool(_ANNOUNCEMENT.search(text)),
            word_count=len(text.split()),
            title=page_title(text) if source == "web" else None,
        )

    def _phrases(self, text: str, taken: set[str]) -> list[str]:
        plain = _MENTION.sub(" ", HASHTAG.sub(" ", text))  # hashtags are a topic of their own
        plain = " ".join(plain.split()[:YAKE_MAX_WORDS])
        if not plain_words(plain):
            return []
        candidates = [self._recurring_part(phrase) for phrase, _score in self._extractor.extract_keywords(plain)]
        candidates = [phrase for phrase in dict.fromkeys(candidates) if self._usable(phrase)]
        several = [c for c in candidates if len(plain_words(c)) > 1]
        chosen: list[str] = []
        for phrase in several or candidates:  # a single word only when YAKE found no good longer phrase
            if len(chosen) == MAX_PHRASES:
                break
            if not set(plain_words(phrase)) & taken:
                chosen.append(phrase)
                taken = taken | set(plain_words(phrase))
        return chosen

    def _recurring_part(self, phrase: str) -> str:
        """A one-off phrase's longest part (2+ words) that recurs in the corpus: "Chacha Rafiq heard" -> "Chacha Rafiq"."""
        tokens = phrase.split()
        if len(tokens) < 3 or self._phrase_df[tuple(plain_words(phrase))] >= 2:
            return phrase
        parts = [" ".join(tokens[i : i + n]) for n in range(len(tokens) - 1, 1, -1) for i in range(len(tokens) - n + 1)]
        return next((part for part in parts if self._phrase_df[tuple(plain_words(part))] >= 2 and self._usable(part)), phrase)

    def _usable(self, phrase: str) -> bool:
        tokens = plain_words(phrase)
        return bool(tokens) and not (
            any(t.isdigit() or t in self._english_stopwords for t in tokens)
            or set(tokens) <= self._brand_words
            or tuple(tokens) in self._ubiquitous_phrases
            or (len(tokens) == 1 and len(tokens[0]) < 4)
        )

    def _hashtags(self, text: str) -> tuple[str, ...]:
        seen, tags = set(), []
        for tag in HASHTAG.findall(text):
            key = tag.lower()
            if key not in seen and key not in self._ubiquitous_hashtags and not key.isdigit():
                seen.add(key)
                tags.append(f"#{tag}")
        return tuple(tags[:MAXHASHTAGS])

    def _places(self, text: str) -> list[str]:
        places = []
        for match in _PLACE.finditer(text):
            tokens = plain_words(match.group(1))
            if tokens and not set(tokens) <= self._brand_words | _NOT_PLACES and tuple(tokens) not in self._ubiquitous_phrases:
                places.append(match.group(1))
        return places


def page_title(text: str) -> str | None:
    first, _, rest = text.strip().partition("\n")
    return first.strip() if rest.strip() and 0 < len(first.split()) <= MAX_TITLE_WORDS else None


def occasion_of(text: str) -> str | None:
    lowered = text.lower()
    found = [(match.start(), label) for label, pattern in _OCCASION_PATTERNS if (match := pattern.search(lowered))]
    return min(found)[1] if found else None
