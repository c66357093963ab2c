"""The cleaning rules of stage 2, one small function each.

Every rule takes a text and returns the new text plus what it found, so the
stage can count each rule per source and show examples in its report. The
rules know nothing about files, config or reports; `02_clean.py` chains them.

Order matters and is fixed in `clean_text`: Unicode is repaired first (so the
personal-data patterns see ordinary digits and letters), URLs go before emails
and phone numbers (URLs carry digits and `@`), ID numbers before phone numbers
(a CNIC's first groups would otherwise parse as a phone number), whitespace last.
"""

from __future__ import annotations

import functools
import multiprocessing
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Container, Iterable, Iterator, NamedTuple, Optional

import ftfy
import phonenumbers

from brandtone.dedup import Sketch

# --------------------------------------------------------------------------- results


class Found(NamedTuple):
    """What one rule removed: the removed text and where it stood in the input."""

    start: int
    end: int
    value: str


@dataclass
class RuleResult:
    text: str
    found: list[Found] = field(default_factory=list)


# --------------------------------------------------------------------------- web pages


def extract_main_text(html: str) -> Optional[str]:
    """The main text of a saved HTML page by trafilatura, or None when it finds none.

    `favor_recall` keeps short paragraphs (menu lines, FAQ answers) that the
    precision mode drops on small brand pages; comments and link targets are
    left out; tables stay (price lists live in tables).
    """
    import trafilatura

    text = trafilatura.extract(
        html, output_format="txt", favor_recall=True, include_comments=False,
        include_tables=True, include_links=False, include_images=False, deduplicate=False,
    )
    return text if text and text.strip() else None


def line_key(line: str) -> str:
    """How two lines are compared when looking for boilerplate: case and spacing ignored."""
    return " ".join(line.split()).casefold()


def find_boilerplate_lines(pages: list[Iterable[str]], min_page_share: float) -> dict[str, str]:
    """Lines that appear on at least `min_page_share` of the pages (and on 2 or more),
    as line key -> the line as first seen.

    Each page counts a line once however often it repeats it. With a single
    page nothing is boilerplate: there is nothing to compare with.
    """
    if len(pages) < 2:
        return {}
    pages_with_line: dict[str, int] = {}
    first_seen: dict[str, str] = {}
    for lines in pages:
        keys = {}
        for line in lines:
            keys.setdefault(line_key(line), line.strip())
        keys.pop("", None)
        for key, line in keys.items():
            pages_with_line[key] = pages_with_line.get(key, 0) + 1
            first_seen.setdefault(key, line)
    needed = max(2.0, min_page_share * len(pages))
    return {key: first_seen[key] for key, count in pages_with_line.items() if count >= needed - 1e-9}


def remove_boilerplate_lines(text: str, boilerplate: Container[str], max_run: int = 12) -> RuleResult:
    """Drop the lines whose key is boilerplate, and runs of consecutive lines that together
    make one boilerplate line.

    The extractor and the browser break a nav bar differently: "Home Menu
    Contact" is one line of the visible text and three lines of trafilatura's
    output. Only a whole run counts, so a heading such as "Chai" survives even
    though the cookie banner says "keep your chai warm".
    """
    lines = text.split("\n")
    keys = [line_key(line) for line in lines]
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    drop, found = set(), []
    i = 0
    while i < len(lines):
        end = next((j for j in range(i, min(len(lines), i + max_run)) if keys[i] and " ".join(keys[i : j + 1]) in boilerplate), None)
        if end is None:
            i += 1
            continue
        drop.update(range(i, end + 1))
        found.append(Found(starts[i], starts[end + 1] - 1, " / ".join(line.strip() for line in lines[i : end + 1])))
        i = end + 1
    return RuleResult("\n".join(line for k, line in enumerate(lines) if k not in drop), found)


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


def fix_unicode(text: str) -> str:
    """Repair mojibake and HTML entities (ftfy, which also applies NFC), then the safe NFKC subset."""
    return ftfy.fix_text(text).translate(_NFKC_TABLE)


_HORIZONTAL_SPACE = re.compile(r"[^\S\n]+")
_SPACE_AROUND_NEWLINE = re.compile(r" ?\n ?")
_BLANK_LINES = re.compile(r"\n{3,}")


def collapse_whitespace(text: str) -> str:
    """One space between words, no spaces at line ends, at most one blank line in a row."""
    text = _HORIZONTAL_SPACE.sub(" ", text.replace("\r\n", "\n").replace("\r", "\n"))
    return _BLANK_LINES.sub("\n\n", _SPACE_AROUND_NEWLINE.sub("\n", text)).strip()


# --------------------------------------------------------------------------- removals


_CLOSES_PHRASE = set(".,;:!?)]}")


def replace_spans(text: str, spans: list[Found], placeholder: str) -> str:
    """Replace each span with `placeholder`; with an empty placeholder, also drop the
    space the removal would leave doubled or before punctuation."""
    out, cursor = [], 0
    for span in sorted(spans):
        if span.start < cursor:  # overlapping finds: the first one already covers it
            continue
        out.append(text[cursor:span.start])
        out.append(placeholder)
        cursor = span.end
        if not placeholder:
            rest = text[cursor:].lstrip(" \t")
            if not rest or rest[0] in _CLOSES_PHRASE or rest[0] == "\n":
                out[-2] = out[-2].rstrip(" \t")  # "at 0300-1234567." -> "at."
                cursor = len(text) - len(rest)
            elif out[-2].endswith((" ", "\t")):
                cursor = len(text) - len(rest)  # "at 0300-1234567 or" -> "at or"
    out.append(text[cursor:])
    return "".join(out)


def _remove_pattern(text: str, pattern: re.Pattern, placeholder: str, group: int = 0) -> RuleResult:
    found = [Found(m.start(group), m.end(group), m.group(group)) for m in pattern.finditer(text)]
    return RuleResult(replace_spans(text, found, placeholder) if found else text, found)


_URL = re.compile(r"(?:\bhttps?://|\bwww\.)[^\s<>\"']+[^\s<>\"'.,;:!?)\]}]", re.IGNORECASE)
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b")
# Pakistani CNIC/NICOP: 5-7-1 digits with dashes; without dashes only after a label,
# since a bare 13-digit run could be anything.
_NATIONAL_ID = re.compile(
    r"(?<![\d-])(\d{5}-\d{7}-\d)(?![\d-])"
    r"|\b(?:CNIC|NICOP|NIC|ID\s*card)\s*(?:no\.?|number|#)?\s*:?\s*(\d{13})\b",
    re.IGNORECASE,
)
_FIVE_DIGITS = re.compile(r"\d{5}")
_MENTION = re.compile(r"(?<![\w@.])@[A-Za-z0-9_](?:[A-Za-z0-9_.]*[A-Za-z0-9_])?")
_HASHTAG = r"#[^\s#.,;:!?()\[\]{}\"']+"
_TRAILING_HASHTAGS = re.compile(rf"(?:(?<=\s)|^)(?:{_HASHTAG}\s*)+$")


# Each removal first makes a cheap check that most posts fail (no "://", no "@", no
# five digits in a row): at 100,000 posts the full patterns were a tenth of the time.


def remove_urls(text: str, placeholder: str = "") -> RuleResult:
    if "://" not in text and "www." not in text.casefold():
        return RuleResult(text)
    return _remove_pattern(text, _URL, placeholder)


def remove_emails(text: str, placeholder: str = "") -> RuleResult:
    if "@" not in text:
        return RuleResult(text)
    return _remove_pattern(text, _EMAIL, placeholder)


def remove_national_ids(text: str, placeholder: str = "") -> RuleResult:
    if not _FIVE_DIGITS.search(text):  # both forms have at least five digits in a row
        return RuleResult(text)
    found = []
    for match in _NATIONAL_ID.finditer(text):
        group = 1 if match.group(1) else 2
        found.append(Found(match.start(group), match.end(group), match.group(group)))
    return RuleResult(replace_spans(text, found, placeholder) if found else text, found)


@functools.lru_cache(maxsize=None)
def _digit_run(region: str) -> re.Pattern:
    """Runs of digits, with at most 3 non-word characters between them, long enough to be a phone
    number: 5 digits (a country code and the shortest national numbers), fewer where the region's
    own numbers are shorter."""
    metadata = phonenumbers.PhoneMetadata.metadata_for_region(region.upper())
    lengths = metadata.general_desc.possible_length if metadata else ()
    needed = min([5, *lengths])
    return re.compile(rf"\d(?:\W{{0,3}}\d){{{needed - 1},}}")


def _could_hold_phone_number(text: str, region: str) -> bool:
    """A cheap test that lets most posts skip the matcher (its pure-Python parse is the costly part)."""
    return _digit_run(region).search(text) is not None


def remove_phone_numbers(text: str, region: str, placeholder: str = "") -> RuleResult:
    """Phone numbers found by libphonenumber's matcher at leniency VALID.

    VALID means a candidate must be a possible and valid number for its
    region: local mobiles (0300-1234567, 0321 7654321), landlines
    (042-35781234), international forms (+92 300 1234567, +923001112233,
    0092 ...). The looser POSSIBLE leniency also takes years ("2024-03-12",
    "2016–2026"), postcodes and runs like "1250 2016"; the stricter grouping
    levels miss the common "+92 42 3578 1234" spacing. Tests pin both sides.
    """
    if not _could_hold_phone_number(text, region):
        return RuleResult(text)
    matcher = phonenumbers.PhoneNumberMatcher(text, region, leniency=phonenumbers.Leniency.VALID)
    found = [Found(m.start, m.end, m.raw_string) for m in matcher]
    return RuleResult(replace_spans(text, found, placeholder) if found else text, found)


def strip_mentions(text: str) -> RuleResult:
    return _remove_pattern(text, _MENTION, "")


def strip_trailing_hashtags(text: str) -> RuleResult:
    """Remove the block of hashtags that ends a post, when some other text precedes it."""
    match = _TRAILING_HASHTAGS.search(text)
    if not match or not text[: match.start()].strip():
        return RuleResult(text)
    return RuleResult(text[: match.start()].rstrip(), [Found(match.start(), match.end(), match.group().strip())])


# --------------------------------------------------------------------------- script / language tag

LANG_TAGS = ("latin", "roman_urdu", "arabic", "mixed", "other")

# Urdu function words and very common verbs as written in Latin script. Only
# words that are not also common English words (no "to", "main", "par", "me").
ROMAN_URDU_WORDS = frozenset(
    """
    hai hain hay hoon hun ho hota hoti hotay hote tha thi thay the nahi nahin nai na
    ka ki ke ko se mein mai aur bhi kya kia kyun kyon kab kahan jab tab phir abhi
    yeh ye woh wo wahan yahan koi kuch sab bohat bahut bohot zyada kam acha accha achha
    hum ham aap ap tum tu apna apni apne mera meri mere tera teri hamara hamari
    kar karo karna karein karen karte karti kiya raha rahi rahe gaya gayi gaye
    wala wali walay wale lekin magar bas sirf zaroor zarur chalo chaliye milte milo
    ji jee yaar yar haan han toh bilkul shukriya inshallah mashallah aaj kal
    """.split()
)


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


# Rules that remove personal data: their examples in the report never show the removed value.
PII_RULES = ("email", "national_id", "phone")


def placeholder_for(placeholder: str, kind: str) -> str:
    return placeholder.replace("{kind}", kind)


def mask_personal_data(text: str, region: str) -> str:
    """Personal data replaced by ⟦email⟧, ⟦national_id⟧, ⟦phone⟧: for reports and logs."""
    text = remove_emails(text, "⟦email⟧").text
    text = remove_national_ids(text, "⟦national_id⟧").text
    return remove_phone_numbers(text, region, "⟦phone⟧").text


@dataclass
class CleanedText:
    text: str
    found: dict[str, list[Found]]  # rule -> what it removed, positions in that rule's input
    inputs: dict[str, str]  # rule -> the text that rule saw (for report examples)


def clean_text(text: str, rules: TextRules) -> CleanedText:
    """Unicode repair, personal data, optional social-media trims, whitespace: in that order."""
    found: dict[str, list[Found]] = {}
    inputs: dict[str, str] = {}
    fixed = fix_unicode(text)
    if fixed != text:
        found["unicode"] = [Found(0, len(text), "")]
        inputs["unicode"] = text
    text = fixed
    steps = []
    if rules.remove_urls:
        steps.append(("url", lambda t: remove_urls(t, "")))
    steps += [
        ("email", lambda t: remove_emails(t, placeholder_for(rules.pii_placeholder, "email"))),
        ("national_id", lambda t: remove_national_ids(t, placeholder_for(rules.pii_placeholder, "national_id"))),
        ("phone", lambda t: remove_phone_numbers(t, rules.phone_region, placeholder_for(rules.pii_placeholder, "phone"))),
    ]
    if rules.strip_mentions:
        steps.append(("mention", strip_mentions))
    if rules.strip_trailing_hashtags:
        steps.append(("trailing_hashtags", strip_trailing_hashtags))
    for name, rule in steps:
        result = rule(text)
        if result.found:
            found[name], inputs[name] = result.found, text
        text = result.text
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
