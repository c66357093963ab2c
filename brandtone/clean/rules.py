"""The cleaning rules of stage 2, one small function each.

Every rule takes a text and returns the new text plus what it found, so the
stage can count each rule per source and show examples in its report. The
rules know nothing about files, config or reports; `02_clean.py` chains them.

Order matters and is fixed in `clean_text`: Unicode is repaired first (so the
personal-data patterns see ordinary digits and letters), URLs go before personal
data (URLs carry digits and `@`; brandtone.clean.personal_data orders its own
finders), whitespace last. Web-page boilerplate is brandtone.clean.boilerplate.
"""

from __future__ import annotations

import functools
import multiprocessing
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Iterator

import ftfy

from brandtone.clean.personal_data import Found, remove_personal_data, replace_spans
from brandtone.dedup import Sketch
from brandtone.lexicon import HASHTAG, ROMAN_URDU_WORDS

# --------------------------------------------------------------------------- results


@dataclass
class RuleResult:
    text: str
    found: list[Found] = field(default_factory=list)


# --------------------------------------------------------------------------- Unicode


def _safe_nfkc_table() -> dict[int, str]:
    """NFKC applied only where it cannot change what the text says.

    Included: Arabic presentation forms (legacy glyph codes from PDFs and old
    keyboards; NFKC maps them to the ordinary letters, the Urdu ones to Urdu
    letters, e.g. U+FB8E to keheh U+06A9) and the "mathematical" bold/italic
    letters people use for fancy Instagram text. Fullwidth forms and Latin
    ligatures are already handled by ftfy.

    Left alone: the Arabic word ligatures U+FDF0-U+FDFF (NFKC expands U+FDFA
    into a four-word phrase and the rial sign into a word: not ours to
    rewrite), anything whose NFKC form contains a space (isolated-diacritic
    ligatures), and every other block: NFKC turns "2²" into "22" and "1½" into
    "11⁄2", which would corrupt the very numbers this stage promises to keep.
    Emoji, variation selectors (U+FE0F) and joiners (ZWJ, ZWNJ) have no NFKC
    mapping and are never touched.
    """
    ranges = [(0xFB50, 0xFDEF), (0xFE70, 0xFEFE), (0x1D400, 0x1D7FF)]
    table = {}
    for low, high in ranges:
        for code in range(low, high + 1):
            mapped = unicodedata.normalize("NFKC", chr(code))
            if mapped != chr(code) and not any(ch.isspace() for ch in mapped):
                table[code] = mapped
    table[0x200B] = ""  # zero-width space: invisible, splits words for no reason
    return table


_NFKC_TABLE = _safe_nfkc_table()


# In ASCII text ftfy has work only with HTML entities, control characters and \r.
_ASCII_FTFY_WORK = re.compile(r"[&\x00-\x08\x0b-\x1f\x7f]")


def fix_unicode(text: str) -> str:
    """Repair mojibake and HTML entities (ftfy, which also applies NFC), then the safe NFKC subset.

    Plain ASCII text skips both, which leave it as it is: ftfy was a quarter of the
    stage's time at 100,000 posts, three in four of them ASCII.
    """
    if text.isascii() and not _ASCII_FTFY_WORK.search(text):
        return text
    return ftfy.fix_text(text).translate(_NFKC_TABLE)


_HORIZONTAL_SPACE = re.compile(r"[^\S\n]+")
_SPACE_AROUND_NEWLINE = re.compile(r" ?\n ?")
_BLANK_LINES = re.compile(r"\n{3,}")


def collapse_whitespace(text: str) -> str:
    """One space between words, no spaces at line ends, at most one blank line in a row."""
    text = _HORIZONTAL_SPACE.sub(" ", text.replace("\r\n", "\n").replace("\r", "\n"))
    return _BLANK_LINES.sub("\n\n", _SPACE_AROUND_NEWLINE.sub("\n", text)).strip()


# --------------------------------------------------------------------------- removals


def _remove_pattern(text: str, pattern: re.Pattern, placeholder: str, group: int = 0) -> RuleResult:
    found = [Found(m.start(group), m.end(group), m.group(group)) for m in pattern.finditer(text)]
    return RuleResult(replace_spans(text, [(f.start, f.end, placeholder) for f in found]) if found else text, found)


_URL = re.compile(r"(?:\bhttps?://|\bwww\.|\bwa\.me/)[^\s<>\"']+[^\s<>\"'.,;:!?)\]}]", re.IGNORECASE)
_MENTION = re.compile(r"(?<![\w@.])@[A-Za-z0-9_](?:[A-Za-z0-9_.]*[A-Za-z0-9_])?")
_TRAILING_HASHTAGS = re.compile(rf"(?:(?<=\s)|^)(?:{HASHTAG.pattern}\s*)+$")


def remove_urls(text: str, placeholder: str = "") -> RuleResult:
    if "://" not in text and "www." not in text.casefold() and "wa.me/" not in text:  # a cheap check most posts fail
        return RuleResult(text)
    return _remove_pattern(text, _URL, placeholder)


def strip_mentions(text: str) -> RuleResult:
    return _remove_pattern(text, _MENTION, "")


def strip_trailing_hashtags(text: str) -> RuleResult:
    """Remove the block of hashtags that ends a post, when some other text precedes it."""
    match = _TRAILING_HASHTAGS.search(text)
    if not match or not text[: match.start()].strip():
        return RuleResult(text)
    return RuleResult(text[: match.start()].rstrip(), [Found(match.start(), match.end(), match.group().strip())])


# --------------------------------------------------------------------------- script / language tag


_LETTER = re.compile(r"[^\W\d_]")
_ARABIC_LETTER = re.compile(r"[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]")
_LATIN_LETTER = re.compile(r"[A-Za-z\u00C0-\u024F\u1E00-\u1EFF]")
_NON_LATIN_LETTER = re.compile(r"[^\W\d_A-Za-z\u00C0-\u024F\u1E00-\u1EFF]")
_LATIN_WORD = re.compile(r"[A-Za-z\u00C0-\u024F\u1E00-\u1EFF]+")


def script_tag(text: str, mixed_share: float = 0.2, roman_urdu_share: float = 0.08) -> str:
    """latin | roman_urdu | arabic | mixed | other, from the share of letters per script.

    arabic: at least 1 - mixed_share of the Latin+Arabic letters are Arabic script
    (Urdu, Arabic, Persian); mixed: both scripts above mixed_share; otherwise
    Latin script, tagged roman_urdu when at least roman_urdu_share of its words
    (and at least two) are Urdu function words from ROMAN_URDU_WORDS, else latin.
    other: no Latin or Arabic letters to speak of (emoji only, other scripts).
    A tag, never a verdict: texts are dropped by it only through clean.keep_languages.
    """
    if _NON_LATIN_LETTER.search(text) is None:  # the common case: one scan, no counting
        arabic = other = 0
        latin = 1 if _LATIN_LETTER.search(text) else 0
    else:
        letters = "".join(_LETTER.findall(text))  # letters only: no digits, marks, emoji or punctuation
        arabic = len(_ARABIC_LETTER.findall(letters))
        latin = len(_LATIN_LETTER.findall(letters))
        other = len(letters) - arabic - latin
    if latin + arabic == 0 or other > latin + arabic:
        return "other"
    arabic_share = arabic / (latin + arabic)
    if arabic_share >= 1 - mixed_share:
        return "arabic"
    if arabic_share > mixed_share:
        return "mixed"
    words = _LATIN_WORD.findall(text.casefold())
    hits = sum(w in ROMAN_URDU_WORDS for w in words)
    if hits >= 2 and hits >= roman_urdu_share * len(words):
        return "roman_urdu"
    return "latin"


# --------------------------------------------------------------------------- one text, all rules


@dataclass(frozen=True)
class TextRules:
    """The switches of `clean_text` (the clean section of the config, minus what is per-corpus)."""

    phone_region: str = "PK"
    pii_placeholder: str = ""  # "{kind}" in it becomes email / national_id / phone
    remove_urls: bool = True
    strip_mentions: bool = False
    strip_trailing_hashtags: bool = False


@dataclass
class CleanedText:
    text: str
    found: dict[str, list[Found]]  # rule -> what it removed, positions in that rule's input
    inputs: dict[str, str]  # rule -> the text that rule saw (for report examples)


def _apply(name: str, rule, text: str, found: dict, inputs: dict) -> str:
    result = rule(text)
    if result.found:
        found[name], inputs[name] = result.found, text
    return result.text


def clean_text(text: str, rules: TextRules) -> CleanedText:
    """Unicode repair, personal data, optional social-media trims, whitespace: in that order."""
    found: dict[str, list[Found]] = {}
    inputs: dict[str, str] = {}
    fixed = fix_unicode(text)
    if fixed != text:
        found["unicode"] = [Found(0, len(text), "")]
        inputs["unicode"] = text
    text = fixed
    if rules.remove_urls:
        text = _apply("url", lambda t: remove_urls(t, ""), text, found, inputs)
    removed, by_kind = remove_personal_data(text, rules.phone_region, rules.pii_placeholder)
    for kind, spans in by_kind.items():
        found[kind], inputs[kind] = spans, text
    text = removed
    if rules.strip_mentions:
        text = _apply("mention", strip_mentions, text, found, inputs)
    if rules.strip_trailing_hashtags:
        text = _apply("trailing_hashtags", strip_trailing_hashtags, text, found, inputs)
    return CleanedText(collapse_whitespace(text), found, inputs)


# --------------------------------------------------------------------------- many texts, in parallel

PARALLEL_FROM = 2000  # below this, starting worker processes costs more than it saves


@dataclass
class PreparedText:
    """One text after every rule, with its script tag and near-duplicate sketch."""

    cleaned: CleanedText
    lang: str
    sketch: Sketch


def prepare_text(text: str, rules: TextRules) -> PreparedText:
    cleaned = clean_text(text, rules)
    return PreparedText(cleaned, script_tag(cleaned.text), Sketch.of(cleaned.text))


def prepare_texts(texts: list[str], rules: TextRules, workers: int) -> Iterator[PreparedText]:
    """prepare_text for each text, in order, spread over `workers` processes for large inputs."""
    if workers <= 1 or len(texts) < PARALLEL_FROM:
        yield from (prepare_text(text, rules) for text in texts)
        return
    with multiprocessing.Pool(workers) as pool:
        yield from pool.imap(functools.partial(prepare_text, rules=rules), texts, chunksize=256)
