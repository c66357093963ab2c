"""`files/web/` on disk: the saved pages and two JSONL logs of the crawl.

Each saved page is `<slug>.html` (rendered DOM) and `<slug>.txt` (visible text), written
atomically, plus one row in `index.jsonl` (url, final_url, status, title, fetched_at, sha256,
slug, depth, links). URLs that gave no page (404, redirect loop, alias of a saved page...) get
a row in `not_saved.jsonl`. Both logs are appended one row per page and fsynced, so a page
costs the same however many came before, and a killed crawl loses nothing already saved.

A log may hold several rows for one URL (a page fetched again, a failure retried): the last
one counts. A last line cut short by a kill is dropped on reading. `close()` rewrites a log
once, atomically, when it holds such superseded or dropped lines.

`links` are the page's links as the browser gave them, so a resumed crawl follows exactly the
links a fresh crawl follows. Rows written before links were stored have none: their links are
read from the saved HTML with Python's HTML parser instead (the rendered DOM the browser saw,
so they seldom differ; `--refresh` fetches such pages again and stores their links).
"""

from __future__ import annotations

import json
import logging
import os
from html.parser import HTMLParser
from pathlib import Path
from typing import Callable, Optional
from urllib.parse import urljoin

from brandtone import atomic
from brandtone.errors import StageError

log = logging.getLogger("brandtone.scrape")

INDEX_NAME = "index.jsonl"
NOT_SAVED_NAME = "not_saved.jsonl"


class JsonlLog:
    """One append-only JSONL file of rows keyed by their "url"; `rows` holds the last row per URL."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.rows: dict[str, dict] = {}
        self._lines_in_file = 0  # rows in the file, superseded ones included
        self._torn_at: Optional[int] = None  # byte offset of a last line cut short
        self._needs_newline = False  # the file's last row has no newline after it
        self._handle = None
        if self.path.is_file():
            self._read(self.path.read_bytes())

    def _read(self, data: bytes) -> None:
        lines = data.split(b"\n")
        last_number = max((number for number, line in enumerate(lines, 1) if line.strip()), default=0)
        offset = 0
        for number, line in enumerate(lines, 1):
            if line.strip():
                try:
                    row = json.loads(line)
                except json.JSONDecodeError as exc:
                    if number == last_number:
                        log.warning("%s:%d: last line incomplete (an interrupted run?); ignored", self.path, number)
                        self._torn_at = offset
                        return
                    raise StageError(f"{self.path}:{number}: not valid JSON ({exc}); fix or delete the file to crawl again")
                if not isinstance(row, dict) or "url" not in row:
                    raise StageError(f"{self.path}:{number}: expected an object with a url; fix or delete the file")
                self.rows[row["url"]] = row
                self._lines_in_file += 1
            offset += len(line) + 1
        self._needs_newline = bool(data) and not data.endswith(b"\n")

    def append(self, row: dict) -> None:
        """Add a row at the end of the file, on disk before this returns."""
        if self._handle is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            if self._torn_at is not None:
                os.truncate(self.path, self._torn_at)
                self._torn_at = None
            self._handle = open(self.path, "ab")
            if self._needs_newline:
                self._handle.write(b"\n")
                self._needs_newline = False
        self._handle.write((json.dumps(row, ensure_ascii=False, default=str) + "\n").encode("utf-8"))
        self._handle.flush()
        os.fsync(self._handle.fileno())
        self.rows[row["url"]] = row
        self._lines_in_file += 1

    def discard(self, url: str) -> None:
        """Forget a URL's row; the file drops it at the next `close()`."""
        self.rows.pop(url, None)

    def close(self) -> None:
        """Stop appending; rewrite the file once if it holds rows that no longer count."""
        if self._handle is not None:
            self._handle.close()
            self._handle = None
        if self._torn_at is not None or self._lines_in_file != len(self.rows):
            atomic.write_jsonl(self.path, list(self.rows.values()))
            self._torn_at, self._lines_in_file, self._needs_newline = None, len(self.rows), False


class PageStore:
    """`files/web/`: saved pages and what became of the URLs that gave none."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self._index = JsonlLog(self.folder / INDEX_NAME)
        self._not_saved = JsonlLog(self.folder / NOT_SAVED_NAME)
        for url, row in list(self._index.rows.items()):
            if not (self.html_path(row).is_file() and self.text_path(row).is_file()):
                self._index.discard(url)
        self.rows = self._index.rows  # canonical url -> index row
        self.not_saved = self._not_saved.rows  # url -> not_saved row
        self._urls_by_text_hash: dict[str, list[str]] = {}
        for url, row in self.rows.items():
            self._urls_by_text_hash.setdefault(row.get("sha256"), []).append(url)

    def html_path(self, row: dict) -> Path:
        return self.folder / f"{row['slug']}.html"

    def text_path(self, row: dict) -> Path:
        return self.folder / f"{row['slug']}.txt"

    def rows_without_links(self) -> int:
        return sum(1 for row in self.rows.values() if "links" not in row)

    def saved_links(self, url: str) -> list[str]:
        row = self.rows[url]
        if "links" in row:
            return row["links"]
        parser = _LinkParser(row["final_url"])
        parser.feed(self.html_path(row).read_text(encoding="utf-8", errors="replace"))
        return parser.links()

    def page_with_text_hash(self, sha256: str, among: Callable[[str], bool]) -> Optional[str]:
        return next((url for url in self._urls_by_text_hash.get(sha256, ()) if among(url)), None)

    def save_page(self, row: dict, html: str, text: str) -> None:
        """Page files first, then the index: a crash in between only costs a refetch."""
        atomic.write_text(self.html_path(row), html)
        atomic.write_text(self.text_path(row), text)
        url, previous = row["url"], self.rows.get(row["url"])
        if previous is not None:
            self._urls_by_text_hash[previous.get("sha256")].remove(url)
        self._index.append(row)
        self._urls_by_text_hash.setdefault(row["sha256"], []).append(url)
        self._not_saved.discard(url)

    def record_not_saved(self, row: dict) -> None:
        self._not_saved.append(row)

    def close(self) -> None:
        self._index.close()
        self._not_saved.close()


class _LinkParser(HTMLParser):
    """Links of a saved page from an index row without `links`, resolved the way the browser
    resolved them (honouring <base href>)."""

    def __init__(self, page_url: str) -> None:
        super().__init__()
        self.base, self.hrefs = page_url, []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, Optional[str]]]) -> None:
        href = dict(attrs).get("href")
        if href is None:
            return
        if tag == "base":
            self.base = urljoin(self.base, href)
        elif tag == "a":
            self.hrefs.append(href)

    def links(self) -> list[str]:
        return [urljoin(self.base, href) for href in self.hrefs]
