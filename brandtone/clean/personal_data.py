"""Personal data in brand text: emails, national ID numbers and phone numbers, found and removed.

Finding runs in a fixed order on one text, each finder masking what it found
(with a character that is neither digit, letter nor space, so offsets stay
and nothing found twice): emails first (plain and written out as
`sales [at] brand [dot] com`), then ID numbers (a CNIC's first groups would
otherwise parse as a phone number), then phone numbers in the forms brand
pages print: ranges of consecutive lines (`042-3581234-40`), alternatives
(`0300-1234567/8`), numbers after a label (`UAN: 111-123-456`), Pakistani UAN
numbers, and whatever libphonenumber's matcher accepts as a valid number.

Removing then deletes each value, or writes the placeholder in its place. With
the empty placeholder the words that only pointed at the value go with it, so
the sentence still reads: a label tied to the value by a colon (`Phone:`, `UAN:`)
or opening a clause the value ends (`For orders, call us at ...`), the separators
between several values (`0300-1234567 or 0321-7654321`), a preposition left
dangling ("order on WhatsApp at 0300-1234567 before 6" becomes "order on
WhatsApp before 6") and brackets left empty (see `_removal_span`).
"""

from __future__ import annotations

import functools
import re
from typing import NamedTuple

import phonenumbers

from brandtone.lexicon import HASHTAG

KINDS = ("email", "national_id", "phone")
_MASK = "\ue000"  # a private-use character: no digit, letter or space for the next finder to join


class Found(NamedTuple):
    """What one rule removed: the removed text and where it stood in the input."""

    start: int
    end: int
    value: str


class PersonalData(NamedTuple):
    """One piece of personal data: its kind (one of KINDS) and where it stands."""

    kind: str
    found: Found


# --------------------------------------------------------------------------- emails

_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b")
# Written-out emails: `sales [at] brand [dot] com`, `(at)`, `{at}`, `<at>`, `[@]`, `[.]`.
# A plain " at " counts only when every dot is written out too ("sales at brand dot com"):
# "find us at nukkarchai.pk" names a website, not a mailbox.
_AT_BRACKETED = r"\s*[\[({<]\s*(?:at|@)\s*[\])}>]\s*"
_DOT_BRACKETED = r"\s*[\[({<]\s*(?:dot|\.)\s*[\])}>]\s*"
_DOT_WRITTEN = rf"(?:{_DOT_BRACKETED}|\s+dot\s+)"
_LABEL_PART = r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
_OBFUSCATED_EMAIL = re.compile(
    rf"(?<![\w.+-])[\w.+-]*\w"
    rf"(?:{_AT_BRACKETED}{_LABEL_PART}(?:(?:{_DOT_WRITTEN}|\.){_LABEL_PART})*(?:{_DOT_WRITTEN}|\.)"
    rf"|(?:\s+at\s+|\s*@\s*){_LABEL_PART}(?:{_DOT_WRITTEN}{_LABEL_PART})*{_DOT_WRITTEN})"
    rf"[A-Za-z]{{2,6}}\b",
    re.IGNORECASE,
)
_MAYBE_OBFUSCATED = re.compile(r"[\[({<]\s*(?:at|@)\s*[\])}>]|\bdot\b", re.IGNORECASE)


def _find_emails(text: str) -> list[Found]:
    found = []
    if "@" in text:
        found = [Found(m.start(), m.end(), m.group()) for m in _EMAIL.finditer(text)]
    if _MAYBE_OBFUSCATED.search(text):
        taken = _mask(text, found)
        found += [Found(m.start(), m.end(), m.group()) for m in _OBFUSCATED_EMAIL.finditer(taken)]
    return found


# --------------------------------------------------------------------------- national IDs

# Pakistani CNIC/NICOP: 5-7-1 digits with dashes; without dashes only after a label,
# since a bare 13-digit run could be anything.
_NATIONAL_ID = re.compile(
    r"(?<![\d-])(\d{5}-\d{7}-\d)(?![\d-])"
    r"|\b(?:CNIC|NICOP|NIC|ID\s*card)\s*(?:no\.?|number|#)?\s*:?\s*(\d{13})\b",
    re.IGNORECASE,
)
_FIVE_DIGITS = re.compile(r"\d{5}")


def _find_national_ids(text: str) -> list[Found]:
    if not _FIVE_DIGITS.search(text):  # both forms have at least five digits in a row
        return []
    found = []
    for match in _NATIONAL_ID.finditer(text):
        group = 1 if match.group(1) else 2
        found.append(Found(match.start(group), match.end(group), match.group(group)))
    return found


# --------------------------------------------------------------------------- phone numbers

_NUMBER = r"\+?(?:\(\d{1,5}\)\s?)?\d[\d ().-]{4,18}\d"  # spaces, not newlines: a number never spans lines
_RANGE_SUFFIX = r"(?:\s?[-/]\s?\d{1,4}(?![\d]))+"
# A number followed by the other last digits of consecutive lines (`042-3581234-40`,
# `+92 21 3581234-9`) or of alternatives (`0300-1234567/8`): libphonenumber rejects the
# first whole and takes the second without its `/8`.
_RANGE = re.compile(rf"(?<![\w+/-])(?P<number>{_NUMBER})(?P<suffix>{_RANGE_SUFFIX})(?![\w-])")
# Only nouns vouch for a merely possible number ("Tel: (042) 3581234"); "ring" or "call" does not.
_NOUN_LABEL = (
    r"(?:tel(?:ephone)?|ph(?:one)?|mob(?:ile)?|cell(?:phone)?|landline|fax|uan|helpline|hotline|whats\s?app|"
    r"contact|numbers?|nos?)\.?(?:\s*(?:no\.?|number|#))?"
)
_AFTER_LABEL = re.compile(
    rf"(?<![\w-]){_NOUN_LABEL}\s*[:：]?\s*(?:at\s+|on\s+)?(?P<number>{_NUMBER}(?:{_RANGE_SUFFIX})?)(?![\w-])", re.IGNORECASE
)
# Pakistan's Universal Access Numbers: 111 and six digits, with or without the city code.
_UAN = re.compile(r"(?<![\w+-])(?:(?:\+92|0092|0)?[ -]?\d{2}[ -]?)?111[ -]?\d{3}[ -]?\d{3}(?![\w-])")
_SAME_CODE_ALTERNATIVE = re.compile(r"\s*(?:,|/|or|&)\s*(?P<number>\d{6,8})(?![\w-])")
_MIN_RANGE_DIGITS = 8  # national digits a range's first number needs: no year, date or postcode has that many


@functools.lru_cache(maxsize=None)
def _digit_run(region: str) -> re.Pattern:
    """Runs of digits, with at most 3 non-word characters between them, long enough to be a phone
    number: 5 digits (a country code and the shortest national numbers), fewer where the region's
    own numbers are shorter."""
    metadata = phonenumbers.PhoneMetadata.metadata_for_region(region.upper())
    lengths = metadata.general_desc.possible_length if metadata else ()
    needed = min([5, *lengths])
    return re.compile(rf"\d(?:\W{{0,3}}\d){{{needed - 1},}}")


def _possible(number: str, region: str, min_digits: int) -> bool:
    try:
        parsed = phonenumbers.parse(number, region)
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.is_possible_number(parsed) and len(phonenumbers.national_significant_number(parsed)) >= min_digits


def _is_range(match: re.Match, region: str) -> bool:
    """A whole subscriber number (6 digits or more) then shorter endings: `3581234-40`, not `2024-03-12`."""
    last_group = re.findall(r"\d+", match.group("number"))[-1]
    longest_suffix = max(len(d) for d in re.findall(r"\d+", match.group("suffix")))
    return len(last_group) >= 6 and longest_suffix < len(last_group) and _possible(match.group("number"), region, _MIN_RANGE_DIGITS)


def _find_phone_numbers(text: str, region: str) -> list[Found]:
    """Phone numbers, in the order described in the module docstring.

    The matcher runs at leniency VALID: a candidate must be a possible and valid
    number for its region (0300-1234567, 042-35781234, +92 300 1234567, 0092 ...).
    The looser POSSIBLE leniency also takes years ("2024-03-12", "2016–2026"),
    postcodes and runs like "1250 2016"; so a merely possible number is taken only
    after a label saying it is one, or in the range shape no year or price has.
    """
    if _digit_run(region).search(text) is None:  # the cheap test most texts fail: no matcher, no regexes
        return []
    found: list[Found] = []

    def take(start: int, end: int) -> None:
        nonlocal text
        found.append(Found(start, end, text[start:end]))
        text = text[:start] + _MASK * (end - start) + text[end:]

    for match in list(_RANGE.finditer(text)):
        if _is_range(match, region):
            take(match.start(), match.end())
    for match in list(_AFTER_LABEL.finditer(text)):
        if _possible(re.sub(_RANGE_SUFFIX + "$", "", match.group("number")), region, 6):
            take(match.start("number"), match.end("number"))
    if region.upper() == "PK":
        for match in list(_UAN.finditer(text)):
            take(match.start(), match.end())
    for match in phonenumbers.PhoneNumberMatcher(text, region, leniency=phonenumbers.Leniency.VALID):
        unclosed = match.raw_string.startswith("(") and ")" not in match.raw_string  # "(0300-1234567)" comes as "(0300-1234567"
        take(match.start + unclosed, match.end)
    for number in sorted(found):  # "042-35781234, 35781235": a second line with the same area code
        after = _SAME_CODE_ALTERNATIVE.match(text, number.end)
        if after and len(re.sub(r"\D", "", after.group("number"))) == len(re.findall(r"\d+", number.value)[-1]):
            take(after.start("number"), after.end("number"))
    return sorted(found)


# --------------------------------------------------------------------------- all kinds, then removal


def _mask(text: str, found: list[Found]) -> str:
    for span in found:
        text = text[: span.start] + _MASK * (span.end - span.start) + text[span.end :]
    return text


def find_personal_data(text: str, region: str) -> list[PersonalData]:
    """Every email, national ID and phone number in the text, in text order."""
    found: list[PersonalData] = []
    for kind, finder in (
        ("email", _find_emails),
        ("national_id", _find_national_ids),
        ("phone", functools.partial(_find_phone_numbers, region=region)),
    ):
        spans = finder(text)
        found += [PersonalData(kind, span) for span in spans]
        text = _mask(text, spans) if spans else text
    return sorted(found, key=lambda item: item.found)


# Words that only announce a phone number or email: removed with the value (empty placeholder)
# where they open a clause or end in a colon.
_LABEL_WORD = (
    r"(?:tel(?:ephone)?|ph(?:one)?|mob(?:ile)?|cell(?:phone)?|landline|fax|uan|helpline|hotline|"
    r"whats\s?app|wa|viber|sms|text|call|ring|dial|contact|reach|message|e-?mail|mail|"
    r"numbers?|nos?|cnic|nicop|nic|id\s*card|[📞☎📱✆📧✉📩]\ufe0f?)"
)
_LABEL = rf"{_LABEL_WORD}\.?(?:\s*(?:/|&|,|or|and)\s*{_LABEL_WORD}\.?)*(?:\s+(?:us|me))?(?:\s*(?:no\.?|number|#))?"
_LABEL_BEFORE = re.compile(
    rf"(?:(?P<label>(?<![\w-]){_LABEL})|(?P<heading>(?<![\w-])(?:[^\W\d_][\w'-]*\s+){{0,2}}[^\W\d_][\w'-]*(?=\s*[:：])))?"
    rf"\s*(?P<colon>[:：]\s*)?(?P<prep>(?<![\w-])(?:at|on|to|via|from|or|and)\s*)?$",
    re.IGNORECASE,
)
_BETWEEN_VALUES = re.compile(rf"\s*[(),;/|&·•]*\s*(?:or|and|aur)?\s*(?:(?<![\w-]){_LABEL}\s*[:：]?\s*(?:at\s+|on\s+)?)?", re.IGNORECASE)
# What may follow values that end their clause: emoji and hashtags, then the clause's end.
_ENDS_CLAUSE = re.compile(rf"[^\w#\n]*(?:{HASHTAG.pattern}[^\w#\n]*)*(?:[.!?\n,;]|$)")
_CLOSES_PHRASE = set(".,;:!?)]}")


def _removal_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Where removing the values text[start:end] should start and end, so no label,
    dangling preposition or empty bracket is left behind.

    A label goes when a colon ties it to the values ("Phone: ...", "Catering desk: ...")
    or when it opens a clause that the values end ("For orders, call us at ... ."); in
    "Call 0300-1234567 for flasks" the verb still has work to do and only the number goes.
    """
    window = max(0, start - 80)
    match = _LABEL_BEFORE.search(text, window, start)
    if match and match.end() == start:
        before = text[: match.start()].rstrip(" \t")
        at_clause_start = not before or not before[-1].isalnum()
        ends_clause = _ENDS_CLAUSE.match(text, end) is not None
        if match.group("label") and (match.group("colon") or at_clause_start and ends_clause):
            start = match.start("label")
        elif match.group("heading") and match.group("colon") and at_clause_start:  # "Catering desk: 0300-..."
            start = match.start("heading")
        elif match.group("prep"):
            start = match.start("prep")
    opened = text[:start].rstrip(" \t")
    closed = text[end:].lstrip(" \t")
    if opened.endswith(("(", "[")) and closed.startswith((")", "]")):
        start, end = len(opened) - 1, len(text) - len(closed) + 1
    return start, end


def remove_personal_data(text: str, region: str, placeholder: str = "") -> tuple[str, dict[str, list[Found]]]:
    """The text with its personal data removed, and what was found by kind (positions in `text`).

    `placeholder` replaces each value ("{kind}" in it names the kind); an empty one
    removes the value with its label and separators (module docstring).
    """
    items = find_personal_data(text, region)
    if not items:
        return text, {}
    by_kind: dict[str, list[Found]] = {}
    for item in items:
        by_kind.setdefault(item.kind, []).append(item.found)
    if placeholder:
        spans = [(item.found.start, item.found.end, placeholder.replace("{kind}", item.kind)) for item in items]
    else:
        groups: list[list[int]] = []
        for item in items:
            if groups and _BETWEEN_VALUES.fullmatch(text, groups[-1][1], item.found.start):
                groups[-1][1] = max(groups[-1][1], item.found.end)
            else:
                groups.append([item.found.start, item.found.end])
        spans = [(*_removal_span(text, start, end), "") for start, end in groups]
    return replace_spans(text, spans), by_kind


def replace_spans(text: str, spans: list[tuple[int, int, str]]) -> str:
    """Replace each (start, end, replacement). An empty replacement also tidies what the
    removal leaves: a doubled space, a space before punctuation, a comma before the
    sentence's end ("For orders, call 0300-1234567." -> "For orders.") and a comma
    opening a clause or left alone ("Call 0300-1234567, 9 to 5" -> "9 to 5")."""
    out, cursor = [], 0
    for start, end, replacement in sorted(spans):
        if start < cursor:  # overlapping finds: the first one already covers it
            continue
        before = text[cursor:start]
        cursor = end
        if not replacement:
            rest = text[cursor:].lstrip(" \t")
            kept = "".join(out) + before
            if not rest or rest[0] in _CLOSES_PHRASE or rest[0] == "\n":
                left = kept.rstrip(" \t")
                if rest[:1] in (",", ";", ":", ".") and (not left or left[-1] in ".!?\n"):
                    rest = rest[1:].lstrip(" \t")  # the value was the whole clause: "Visit. Call 0300-1234567. Open"
                elif rest[:1] in (",", ";", ":") and left[-1] in ",;:([":
                    rest = rest[1:].lstrip(" \t")  # "9 to 5, call 0300-1234567, open" -> "9 to 5, open"
                else:
                    before = before.rstrip(" \t")
                    if rest[:1] in (".", "!", "?", ")", "\n", "") and before.endswith((",", ";", ":")):
                        before = before[:-1]
                cursor = len(text) - len(rest)
            elif before.endswith((" ", "\t")) or not kept:
                cursor = len(text) - len(rest)  # "at 0300-1234567 or" -> "at or"
        out += [before, replacement]
    out.append(text[cursor:])
    return "".join(out)


def mask_personal_data(text: str, region: str) -> str:
    """Personal data replaced by ⟦email⟧, ⟦national_id⟧, ⟦phone⟧: for reports and logs."""
    return remove_personal_data(text, region, "⟦{kind}⟧")[0]
