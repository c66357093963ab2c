"""Stage 2's web-page text: the main text of each saved page, minus the site's boilerplate.

Boilerplate is found by comparing the site's pages, never from a fixed list of
sites, plus two kinds that mean the same on every site:

- site-wide lines: a line on at least `min_page_share` of the pages (nav, footer, cookie banner);
- repeated blocks: `block_min_lines` or more consecutive lines recurring word for word on at least
  `block_min_page_share` of the pages (an "offices and factories" address block on a third of them);
- repeated link texts: a line that is the whole text of a link on that many pages, or on any two
  pages where it points to different URLs of one pattern ("View Post" under each post page, each
  to another post: navigation whatever its share; a real site had it on 6 of its 26 pages);
- legal lines: copyright and "all rights reserved" lines, on any page;
- form labels: the texts of a page's form fields and buttons, and short lines ending in the
  required-field star (`Name*`, `Email *`).

Lines are compared with case and spacing ignored; each page counts a line or block once.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Container, Iterable, Optional
from urllib.parse import urljoin, urlsplit

from brandtone.clean.personal_data import Found
from brandtone.clean.rules import RuleResult


def extract_main_text(html: str) -> Optional[str]:
    """The main text of a saved HTML page by trafilatura, or None when it finds none.

    `favor_recall` keeps short paragraphs (menu lines, FAQ answers) that the
    precision mode drops on small brand pages; comments and link targets are
    left out; tables stay (price lists live in tables).
    """
    import trafilatura

    text = trafilatura.extract(
        html,
        output_format="txt",
        favor_recall=True,
        include_comments=False,
        include_tables=True,
        include_links=False,
        include_images=False,
        deduplicate=False,
    )
    return text if text and text.strip() else None


def line_key(line: str) -> str:
    """How two lines are compared when looking for boilerplate: case and spacing ignored."""
    return " ".join(line.split()).casefold()


@dataclass
class PageLines:
    """What boilerplate detection sees of one page: its texts (the extracted main text and
    the browser's visible text, each a list of lines) and, from its HTML, the texts of its
    links (each with the URLs it points to) and of its form fields and buttons."""

    texts: list[list[str]]
    link_texts: dict[str, set[str]] = field(default_factory=dict)  # line key -> target URLs
    form_texts: set[str] = field(default_factory=set)


def html_texts(html: Optional[str], url: Optional[str] = None) -> tuple[dict[str, set[str]], set[str]]:
    """Line keys of the page's link texts (script-routed ones too), each with the URLs it points
    to (resolved against the page's `url`, without query or fragment), and of its form labels,
    buttons, options and placeholders."""
    if not html:
        return {}, set()
    import lxml.html

    try:
        root = lxml.html.fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        return {}, set()
    links: dict[str, set[str]] = defaultdict(set)
    for link in [*root.iter("a"), *root.xpath("//*[@role='link' or @role='button']")]:  # script-routed links too
        key, target = line_key(link.text_content()), link.get("href") or link.get("data-href")
        if key:
            links[key].update({urlsplit(urljoin(url or "", target))._replace(query="", fragment="").geturl()} if target else set())
    form = {line_key(e.text_content()) for e in root.iter("label", "button", "legend", "option")}
    form |= {
        line_key(e.get("placeholder") or e.get("value") or "") for e in root.iter("input", "textarea") if e.get("type") not in ("hidden",)
    }
    return dict(links), form - {""}


def url_pattern(url: str) -> tuple[str, str]:
    """Host and folder: /blog/a.html and /blog/b.html, or /p/X1/ and /p/X2/, share one."""
    parts = urlsplit(url)
    return parts.netloc, parts.path.rstrip("/").rsplit("/", 1)[0]


def points_to_one_pattern(targets: set[str]) -> bool:
    """Whether two or more different URLs among `targets` share a pattern (url_pattern)."""
    patterns = Counter(url_pattern(url) for url in targets)
    return any(count >= 2 for count in patterns.values())


@dataclass
class Boilerplate:
    """What is boilerplate on one site (see the module docstring)."""

    lines: dict[str, str]  # line key -> the line as first seen
    blocks: set[tuple[str, ...]]  # every run of block_lines consecutive line keys found on enough pages
    block_lines: int
    link_texts: set[str]
    first_seen: dict[str, str] = field(default_factory=dict)  # line key -> the line as first seen

    def shown(self) -> list[str]:
        """The site-wide lines, each repeated block's lines and the repeated link texts, for the report."""
        keys = {key for block in self.blocks for key in block} | self.link_texts
        return sorted(set(self.lines.values()) | {self.first_seen.get(key, key) for key in keys})


_LEGAL = re.compile(
    r"^(?:©|\(c\)\s|copyright\s*(?:©|\(c\))?\s*\d{4})|\ball rights reserved\b|^(?:terms (?:and|&) conditions|privacy policy)$",
    re.IGNORECASE,
)
_REQUIRED_FIELD = re.compile(r"^[^\W\d_](?:[^\W\d_]|[ '/&-]){0,40}\*\s*:?$")  # letters only: "Rs. 180*" is a price
_LEGAL_MAX_CHARS = 200  # a paragraph that mentions copyright is not a copyright line


def find_boilerplate(pages: list[PageLines], min_page_share: float, block_min_page_share: float, block_min_lines: int) -> Boilerplate:
    """Site-wide lines, repeated blocks and repeated link texts of these pages.

    With a single page nothing is boilerplate by repetition: there is nothing to compare with.
    """
    lines: Counter = Counter()
    blocks: Counter = Counter()
    links: Counter = Counter()
    link_targets: dict[str, set[str]] = defaultdict(set)
    first_seen: dict[str, str] = {}
    for page in pages:
        page_lines, page_blocks = set(), set()
        for text in page.texts:
            kept = [(line_key(line), line.strip()) for line in text]
            keys = [key for key, _ in kept if key]
            for key, line in kept:
                first_seen.setdefault(key, line)
            page_lines.update(keys)
            page_blocks.update(tuple(keys[i : i + block_min_lines]) for i in range(len(keys) - block_min_lines + 1))
        lines.update(page_lines)
        blocks.update(page_blocks)
        for key in page.link_texts.keys() & page_lines:
            links[key] += 1
            link_targets[key] |= page.link_texts[key]
    if len(pages) < 2:
        return Boilerplate({}, set(), block_min_lines, set())
    needed, block_needed = max(2.0, min_page_share * len(pages)) - 1e-9, max(2.0, block_min_page_share * len(pages)) - 1e-9
    return Boilerplate(
        lines={key: first_seen[key] for key, count in lines.items() if count >= needed},
        blocks={block for block, count in blocks.items() if count >= block_needed},
        block_lines=block_min_lines,
        link_texts={
            key for key, count in links.items() if count >= block_needed or (count >= 2 and points_to_one_pattern(link_targets[key]))
        },
        first_seen=first_seen,
    )


def _is_legal_or_form_line(key: str, form_texts: Container[str]) -> bool:
    """A copyright or legal line, or a form field's label (by the page's HTML or its star)."""
    if key in form_texts or _REQUIRED_FIELD.match(key):
        return True
    return len(key) <= _LEGAL_MAX_CHARS and _LEGAL.search(key) is not None


def remove_boilerplate(text: str, boilerplate: Boilerplate, form_texts: Container[str] = frozenset(), max_run: int = 12) -> RuleResult:
    """Drop the page's boilerplate: lines, blocks, link texts, legal lines and form labels; also
    runs of consecutive lines that together make one site-wide line.

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
    drop = set()
    for i, key in enumerate(keys):
        if key and (key in boilerplate.link_texts or _is_legal_or_form_line(key, form_texts)):
            drop.add(i)
    drop |= _lines_in_blocks(keys, boilerplate)
    i = 0
    while i < len(lines):
        end = next((j for j in range(i, min(len(lines), i + max_run)) if keys[i] and " ".join(keys[i : j + 1]) in boilerplate.lines), None)
        if end is None:
            i += 1
            continue
        drop.update(range(i, end + 1))
        i = end + 1
    found, run = [], []
    for i in range(len(lines) + 1):  # one finding per run of dropped lines
        if i in drop:
            run.append(i)
        elif run:
            found.append(Found(starts[run[0]], starts[run[-1] + 1] - 1, " / ".join(lines[k].strip() for k in run)))
            run = []
    return RuleResult("\n".join(line for k, line in enumerate(lines) if k not in drop), found)


def _lines_in_blocks(keys: list[str], boilerplate: Boilerplate) -> set[int]:
    """Positions of the lines covered by a repeated block (blank lines do not break a block)."""
    filled = [i for i, key in enumerate(keys) if key]
    width = boilerplate.block_lines
    covered = set()
    for n in range(len(filled) - width + 1):
        window = filled[n : n + width]
        if tuple(keys[i] for i in window) in boilerplate.blocks:
            covered.update(range(window[0], window[-1] + 1))
    return covered


def page_lines(texts: Iterable[Optional[str]], html: Optional[str], url: Optional[str] = None) -> PageLines:
    """A page as boilerplate detection sees it (see PageLines); `url` resolves its relative links."""
    links, form = html_texts(html, url)
    return PageLines([text.splitlines() for text in texts if text], links, form)
