"""The cleaning report of stage 2: counts in and out per source, per rule and per drop reason,
with a few examples of each rule firing. Examples never show removed personal data:
every snippet passes through `mask_personal_data` first.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any, Optional

from brandtone.clean.personal_data import KINDS as PII_RULES
from brandtone.clean.personal_data import Found, mask_personal_data
from brandtone.clean.rules import CleanedText
from brandtone.clean.sources import SOURCES, Dropped

EXAMPLES_PER_RULE = 3
CONTEXT_CHARS = 60

RULE_DESCRIPTIONS = {
    "extracted_main_text": "web page: main text taken from the saved HTML by trafilatura",
    "fallback_visible_text": "web page: trafilatura found no main text, the saved visible text (.txt) was used",
    "boilerplate": "web page: lines, blocks and link texts repeated across the site's pages (nav, footer, banners, address blocks), copyright lines and form labels removed",
    "listing_page_reduced": "web page made mostly of other documents' text (a blog index printing its posts, an embedded feed): the lines found in smaller documents removed, its own lines kept",
    "unicode": "mojibake, HTML entities or compatibility characters repaired (ftfy + safe NFKC)",
    "url": "URL removed",
    "email": "email address removed",
    "national_id": "national ID number (CNIC) removed",
    "phone": "phone number removed",
    "mention": "@mention removed",
    "trailing_hashtags": "hashtag block at the end removed",
}

DROP_DESCRIPTIONS = {
    "unreadable_file": "file missing, binary or not UTF-8",
    "unreadable_line": "line of a .jsonl file that is not a JSON object",
    "http_error": "page saved with a non-2xx status",
    "error_item": "Apify error item (post unavailable)",
    "repeated_item": "the same item id again (pinned posts repeat across runs)",
    "collab_post": "post owned by another account (clean.keep_collab_posts is false)",
    "empty_text": "no text in the item or page",
    "all_boilerplate": "web page with nothing left after boilerplate removal",
    "too_short": "shorter than clean.min_chars after cleaning",
    "too_long": "longer than clean.max_chars after cleaning",
    "language": "script tag not in clean.keep_languages",
    "listing_page": "web page made mostly of other documents' text, with no sentence of its own left once those lines are removed",
    "exact_duplicate": "same text (after normalisation) as a kept document",
    "near_duplicate": "near-duplicate of a kept document (character 5-grams: Jaccard, or the shorter contained in the longer)",
}


def _snippet(text: str, start: int, end: int) -> str:
    left, right = max(0, start - CONTEXT_CHARS), min(len(text), end + CONTEXT_CHARS)
    core = text[left:right].replace("\n", " / ")
    return ("…" if left else "") + core + ("…" if right < len(text) else "")


class CleanReport:
    def __init__(self, phone_region: str):
        self.phone_region = phone_region
        self.items_in: Counter = Counter()
        self.documents_out: Counter = Counter()
        self.dropped: dict[str, Counter] = defaultdict(Counter)
        self.rules: dict[str, dict[str, Counter]] = defaultdict(lambda: defaultdict(Counter))
        self.examples: dict[str, list[dict]] = defaultdict(list)
        self.boilerplate_lines: list[str] = []
        self.lang: Counter = Counter()

    def _mask(self, text: str) -> str:
        return mask_personal_data(text, self.phone_region)

    # ---- recording

    def count_in(self, source: str, n: int = 1) -> None:
        self.items_in[source] += n

    def drop(self, dropped: Dropped) -> None:
        self.dropped[dropped.reason][dropped.source or "files"] += 1
        if len(self.examples[dropped.reason]) < EXAMPLES_PER_RULE:
            example = {"id": dropped.id, "detail": self._mask(dropped.detail)}
            if dropped.text:
                example["text"] = self._mask(dropped.text)[:160]
            self.examples[dropped.reason].append(example)

    def rule_fired(self, rule: str, source: str, doc_id: str, removals: int = 1, example: Optional[dict] = None) -> None:
        self.rules[rule][source]["documents"] += 1
        self.rules[rule][source]["removals"] += removals
        if example is not None and len(self.examples[rule]) < EXAMPLES_PER_RULE:
            self.examples[rule].append({"id": doc_id, **example})

    def text_rules_fired(self, source: str, doc_id: str, cleaned: CleanedText) -> None:
        for rule, found in cleaned.found.items():
            example = None
            if len(self.examples[rule]) < EXAMPLES_PER_RULE:
                example = self._text_example(rule, cleaned.inputs[rule], found, cleaned.text)
            self.rule_fired(rule, source, doc_id, len(found), example)

    def _text_example(self, rule: str, before: str, found: list[Found], after: str) -> dict:
        if rule == "unicode":
            before, after = self._mask(before), self._mask(after)
            start = next((i for i, (a, b) in enumerate(zip(before, after)) if a != b), 0)
            return {"before": _snippet(before, start, start), "after": _snippet(after, start, start)}
        first = found[0]
        marker = f"⟦{rule}⟧"
        context = before[: first.start] + marker + before[first.end :]
        masked = self._mask(context)
        at = masked.find(marker)
        example = {"context": _snippet(masked, at, at + len(marker))}
        if rule not in PII_RULES:
            example["removed"] = self._mask(first.value)
        return example

    def kept(self, source: str, lang: str) -> None:
        self.documents_out[source] += 1
        self.lang[lang] += 1

    # ---- output

    def totals(self) -> dict[str, Any]:
        return {
            "items_in": sum(self.items_in.values()),
            "documents_out": sum(self.documents_out.values()),
            "dropped": {reason: sum(per_source.values()) for reason, per_source in self.dropped.items()},
        }

    def to_json(self) -> dict[str, Any]:
        sources = [s for s in SOURCES if self.items_in[s] or self.documents_out[s]]
        return {
            "sources": {s: {"in": self.items_in[s], "out": self.documents_out[s]} for s in sources},
            "totals": self.totals(),
            "dropped": {
                reason: {
                    "description": DROP_DESCRIPTIONS.get(reason, reason),
                    "by_source": dict(per_source),
                    "examples": self.examples.get(reason, []),
                }
                for reason, per_source in sorted(
                    self.dropped.items(), key=lambda kv: list(DROP_DESCRIPTIONS).index(kv[0]) if kv[0] in DROP_DESCRIPTIONS else 99
                )
            },
            "rules": {
                rule: {
                    "description": RULE_DESCRIPTIONS.get(rule, rule),
                    "by_source": {s: dict(c) for s, c in per_source.items()},
                    "examples": self.examples.get(rule, []),
                }
                for rule, per_source in sorted(
                    self.rules.items(), key=lambda kv: list(RULE_DESCRIPTIONS).index(kv[0]) if kv[0] in RULE_DESCRIPTIONS else 99
                )
            },
            "boilerplate_lines": [self._mask(line) for line in self.boilerplate_lines],
            "lang": dict(self.lang),
        }

    def to_markdown(self, brand: str, settings: dict[str, Any]) -> str:
        data = self.to_json()
        out = [f"# Cleaning report: {brand}", ""]
        out += ["## In and out per source", "", "| source | in | out |", "| --- | ---: | ---: |"]
        for source, row in data["sources"].items():
            out.append(f"| {source} | {row['in']} | {row['out']} |")
        out.append(f"| **total** | {data['totals']['items_in']} | {data['totals']['documents_out']} |")
        out += [
            "",
            "## Dropped, by reason",
            "",
            "| reason | " + " | ".join(data["sources"]) + " | what it means |",
            "| --- |" + " ---: |" * len(data["sources"]) + " --- |",
        ]
        for reason, row in data["dropped"].items():
            cells = " | ".join(str(row["by_source"].get(s, 0)) for s in data["sources"])
            out.append(f"| {reason} | {cells} | {row['description']} |")
        out += [
            "",
            "## Text rules (documents changed / removals)",
            "",
            "| rule | " + " | ".join(data["sources"]) + " | what it does |",
            "| --- |" + " ---: |" * len(data["sources"]) + " --- |",
        ]
        for rule, row in data["rules"].items():
            cells = " | ".join(
                f"{row['by_source'][s]['documents']} / {row['by_source'][s]['removals']}" if s in row["by_source"] else "0"
                for s in data["sources"]
            )
            out.append(f"| {rule} | {cells} | {row['description']} |")
        out += ["", "## Script tags of kept documents", ""] + [f"- {tag}: {n}" for tag, n in sorted(data["lang"].items())]
        if data["boilerplate_lines"]:
            out += [
                "",
                "## Boilerplate: lines, block lines and link texts repeated across web pages (removed wherever they appear)",
                "",
            ] + [f"- `{line}`" for line in data["boilerplate_lines"][:40]]
            if len(data["boilerplate_lines"]) > 40:
                out.append(f"- … and {len(data['boilerplate_lines']) - 40} more (report.json)")
        out += ["", "## Examples", "", "Personal data is shown as ⟦email⟧, ⟦phone⟧, ⟦national_id⟧, never as removed.", ""]
        for section in ("rules", "dropped"):
            for name, row in data[section].items():
                if not row["examples"]:
                    continue
                out.append(f"### {name}")
                for example in row["examples"]:
                    parts = [f"`{example['id']}`"] + [f"{k}: {_md(v)}" for k, v in example.items() if k != "id"]
                    out.append("- " + " · ".join(parts))
                out.append("")
        out += ["## Settings", "", "```yaml"] + [f"{k}: {v}" for k, v in settings.items()] + ["```", ""]
        return "\n".join(out)


def _md(value: Any) -> str:
    return "`" + str(value).replace("`", "'") + "`" if value != "" else "''"
