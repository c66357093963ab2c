"""Stage 1, website: a polite breadth-first crawl of one site with a real Chromium.

The pieces, in the order `crawl_site` uses them:

- `SitePolicy`: which URLs belong to the site and which robots.txt allows, plus
  the politeness delay; built from robots.txt fetched with plain HTTP.
- `sitemap_page_urls`: page URLs from the site's sitemaps (sitemap index files
  and gzipped sitemaps included), also fetched with plain HTTP.
- `PageStore`: `files/web/` on disk. Each saved page is `<slug>.html` (rendered
  DOM) and `<slug>.txt` (visible text) plus one row in `index.jsonl`; URLs that
  gave no page (404, redirect loop, alias of a saved page...) are remembered in
  `not_saved.jsonl`. Every file is rewritten atomically after each page, so a
  killed crawl loses nothing already saved and a rerun resumes.
- `Chromium`: the system browser started with a fresh temporary profile and
  driven through pyppeteer; closed (whole process group) on every exit path.
- `crawl_site`: seeds (start URL, sitemap URLs), then one page at a time.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import gzip
import hashlib
import json
import logging
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unicodedata
import urllib.error
import urllib.request
import urllib.robotparser
import xml.etree.ElementTree as ElementTree
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime, timezone
from html.parser import HTMLParser
from pathlib import Path
from typing import Callable, Optional
from urllib.parse import parse_qsl, unquote, urlencode, urljoin, urlsplit, urlunsplit

from tqdm import tqdm
from tqdm.contrib.logging import logging_redirect_tqdm

from brandtone import atomic
from brandtone.config import ScrapeConfig
from brandtone.errors import StageError
from brandtone.secrets import RedactingFilter

log = logging.getLogger("brandtone.scrape")

INDEX_NAME = "index.jsonl"
NOT_SAVED_NAME = "not_saved.jsonl"

# Query parameters that only track the visitor; dropping them makes one page one URL.
TRACKING_PARAMS = {
    "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "igshid", "mc_cid", "mc_eid",
    "_ga", "_gl", "ref_src", "spm",
}
TRACKING_PREFIXES = ("utm_",)

# Links to these are not pages; fetching them in a browser would download files.
NON_PAGE_EXTENSIONS = {
    ".pdf", ".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif", ".svg", ".ico", ".bmp", ".tif", ".tiff",
    ".css", ".js", ".mjs", ".json", ".xml", ".rss", ".atom", ".txt", ".csv", ".ics", ".vcf",
    ".zip", ".gz", ".tgz", ".tar", ".rar", ".7z", ".bz2", ".xz", ".dmg", ".exe", ".msi", ".apk", ".deb", ".rpm",
    ".mp3", ".wav", ".ogg", ".m4a", ".mp4", ".m4v", ".mov", ".avi", ".mkv", ".webm", ".flv",
    ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".odt", ".ods", ".odp", ".rtf", ".epub",
    ".woff", ".woff2", ".ttf", ".otf", ".eot",
}
HTML_TYPES = ("text/html", "application/xhtml+xml")

# Outcomes worth another try on a later run (or another attempt now); anything else is
# remembered in not_saved.jsonl and not fetched again unless --refresh.
TRANSIENT_NET_ERRORS = (
    "ERR_CONNECTION_REFUSED", "ERR_CONNECTION_RESET", "ERR_CONNECTION_CLOSED", "ERR_CONNECTION_TIMED_OUT",
    "ERR_EMPTY_RESPONSE", "ERR_TIMED_OUT", "ERR_NETWORK_CHANGED", "ERR_INTERNET_DISCONNECTED",
    "ERR_NAME_NOT_RESOLVED", "ERR_ADDRESS_UNREACHABLE", "ERR_HTTP2_PROTOCOL_ERROR",
)
NET_ERROR_MEANINGS = {
    "ERR_TOO_MANY_REDIRECTS": "redirect loop",
    "ERR_CONNECTION_REFUSED": "connection refused",
    "ERR_EMPTY_RESPONSE": "server closed the connection without a response",
    "ERR_NAME_NOT_RESOLVED": "host name not found",
    "ERR_ABORTED": "navigation aborted (probably a download, not a page)",
}

SITEMAP_MAX_BYTES = 50_000_000  # the sitemap protocol's own limit per file
SITEMAP_MAX_FILES = 100
MAX_BACKOFF_SECONDS = 60.0


def utc_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


# --------------------------------------------------------------------------- URLs


def canonical_url(url: str, base: Optional[str] = None) -> Optional[str]:
    """One spelling per page: absolute, lower-case scheme and host, no default port,
    no fragment, no tracking parameters, remaining parameters sorted. None for
    anything that is not an http(s) URL (mailto:, tel:, javascript:...)."""
    url = url.strip()
    if base is not None:
        url = urljoin(base, url)
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        return None
    host = parts.hostname.lower()
    if ":" in host:
        host = f"[{host}]"
    if port is not None and port != {"http": 80, "https": 443}[scheme]:
        host = f"{host}:{port}"
    query = sorted(
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if key.lower() not in TRACKING_PARAMS and not key.lower().startswith(TRACKING_PREFIXES)
    )
    return urlunsplit((scheme, host, parts.path or "/", urlencode(query), ""))


def site_key(url: str) -> tuple[str, Optional[int]]:
    """Host (without a leading www.) and explicit port: what 'the same site' means here."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().removeprefix("www.")
    default = {"http": 80, "https": 443}.get(parts.scheme)
    return host, None if parts.port == default else parts.port


def looks_like_page(url: str) -> bool:
    path = urlsplit(url).path.lower()
    return os.path.splitext(path)[1] not in NON_PAGE_EXTENSIONS


def page_slug(url: str) -> str:
    """A readable file name stem for a page, safe on every filesystem and unique per URL:
    ASCII letters, digits and '-' from the path and query, then 8 hex digits of the URL's hash."""
    parts = urlsplit(url)
    path = re.sub(r"\.(html?|php|aspx?|jsp)$", "", unquote(parts.path), flags=re.IGNORECASE)
    readable = unicodedata.normalize("NFKD", f"{path} {unquote(parts.query)}").encode("ascii", "ignore").decode()
    words = re.sub(r"[^a-z0-9]+", "-", readable.lower()).strip("-")[:60].rstrip("-") or "index"
    return f"{words}-{hashlib.sha256(url.encode('utf-8')).hexdigest()[:8]}"


# --------------------------------------------------------------------------- plain HTTP (robots.txt, sitemaps)


@dataclass
class HttpResult:
    url: str
    status: int  # 0 when no HTTP answer came at all
    body: bytes = b""
    error: str = ""


def http_get(url: str, settings: ScrapeConfig, max_bytes: int = SITEMAP_MAX_BYTES) -> HttpResult:
    """GET with the crawler's user agent and timeout, retrying timeouts, 429 and 5xx with backoff."""
    request = urllib.request.Request(url, headers={"User-Agent": settings.user_agent, "Accept-Encoding": "identity"})
    for attempt in range(settings.max_retries + 1):
        retry_after = None
        try:
            with urllib.request.urlopen(request, timeout=settings.page_timeout_seconds) as response:
                body = response.read(max_bytes + 1)
                if len(body) > max_bytes:
                    return HttpResult(response.url, response.status, error=f"larger than {max_bytes} bytes")
                return HttpResult(response.url, response.status, body)
        except urllib.error.HTTPError as exc:
            result = HttpResult(url, exc.code, error=f"HTTP {exc.code}")
            retry_after = exc.headers.get("Retry-After") if exc.headers else None
            if exc.code != 429 and exc.code < 500:
                return result
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            result = HttpResult(url, 0, error=str(reason) or type(reason).__name__)
        if attempt < settings.max_retries:
            time.sleep(backoff_seconds(settings, attempt, retry_after))
    return result


def backoff_seconds(settings: ScrapeConfig, attempt: int, retry_after: Optional[str] = None) -> float:
    """Exponential backoff from max(delay, 1 s); a numeric Retry-After header wins when longer."""
    wait = max(settings.delay_seconds, 1.0) * 2**attempt
    if retry_after and retry_after.strip().isdigit():
        wait = max(wait, float(retry_after))
    return min(wait, MAX_BACKOFF_SECONDS)


# --------------------------------------------------------------------------- robots.txt and sitemaps


@dataclass
class SitePolicy:
    """Which URLs the crawl may fetch, and how slowly."""

    start_url: str
    settings: ScrapeConfig
    robots: urllib.robotparser.RobotFileParser
    sitemaps: list[str]
    delay_seconds: float

    def on_site(self, url: str) -> bool:
        return site_key(url) == site_key(self.start_url)

    def allowed(self, url: str) -> bool:
        return not self.settings.respect_robots or self.robots.can_fetch(self.settings.user_agent, url)


def read_site_policy(start_url: str, settings: ScrapeConfig) -> SitePolicy:
    """Fetch and parse robots.txt. An unreachable site is a StageError: nothing else would work."""
    parts = urlsplit(start_url)
    robots_url = f"{parts.scheme}://{parts.netloc}/robots.txt"
    result = http_get(robots_url, settings, max_bytes=settings.max_page_bytes)
    robots = urllib.robotparser.RobotFileParser(robots_url)
    if result.status == 0:
        raise StageError(
            f"cannot reach {robots_url} ({result.error}): check brand.website and your connection, "
            "or set brand.website to null to skip the website"
        )
    if result.status in (401, 403):
        robots.disallow_all = True  # the same reading as urllib.robotparser.read()
        log.warning("%s answered HTTP %d: robots.txt forbids everything", robots_url, result.status)
    elif result.status >= 500 or result.error:
        raise StageError(
            f"{robots_url}: {result.error}; the site may be down, retry later "
            "(or set scrape.respect_robots=false if you are allowed to crawl it)"
        )
    elif result.status >= 400:
        robots.allow_all = True
    else:
        robots.parse(result.body.decode("utf-8", errors="replace").splitlines())
    parsed = not (robots.allow_all or robots.disallow_all)
    crawl_delay = float(robots.crawl_delay(settings.user_agent) or 0) if parsed else 0.0
    return SitePolicy(
        start_url=start_url, settings=settings, robots=robots,
        sitemaps=(robots.site_maps() or []) if parsed else [],
        delay_seconds=max(settings.delay_seconds, crawl_delay) if settings.respect_robots else settings.delay_seconds,
    )


def _local_name(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def sitemap_page_urls(policy: SitePolicy) -> list[str]:
    """Page URLs listed in the site's sitemaps, following sitemap index files (breadth-first).

    Sitemaps named in robots.txt are used, else the usual /sitemap.xml (whose absence is normal)."""
    parts = urlsplit(policy.start_url)
    guessed = not policy.sitemaps
    pending = deque(policy.sitemaps or [f"{parts.scheme}://{parts.netloc}/sitemap.xml"])
    seen_sitemaps, pages = set(), []
    while pending and len(seen_sitemaps) < SITEMAP_MAX_FILES:
        url = pending.popleft()
        if url in seen_sitemaps:
            continue
        seen_sitemaps.add(url)
        if not policy.on_site(url):
            log.warning("sitemap %s is on another site: not fetched", url)
            continue
        result = http_get(url, policy.settings)
        if result.error or not result.body:
            quiet = guessed and result.status == 404
            log.log(logging.DEBUG if quiet else logging.WARNING, "sitemap %s: %s; ignored", url, result.error or "empty")
            continue
        body = result.body
        if body[:2] == b"\x1f\x8b":
            try:
                body = gzip.decompress(body)
            except (OSError, EOFError) as exc:
                log.warning("sitemap %s: not valid gzip (%s); ignored", url, exc)
                continue
        try:
            root = ElementTree.fromstring(body)
        except ElementTree.ParseError as exc:
            log.warning("sitemap %s: not valid XML (%s); ignored", url, exc)
            continue
        locations = [
            element.text.strip()
            for element in root.iter()
            if _local_name(element.tag) == "loc" and element.text and element.text.strip()
        ]
        if _local_name(root.tag) == "sitemapindex":
            pending.extend(locations)
        else:
            pages.extend(locations)
    return pages


# --------------------------------------------------------------------------- files/web on disk


class _LinkParser(HTMLParser):
    """Links of a saved page, resolved the way the browser resolved them (honouring <base href>)."""

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


class PageStore:
    """`files/web/`: saved pages and what became of the URLs that gave none."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.rows: dict[str, dict] = {}  # canonical url -> index row
        self.not_saved: dict[str, dict] = {}
        for row in self._read_jsonl(self.folder / INDEX_NAME):
            if self.html_path(row).is_file() and self.text_path(row).is_file():
                self.rows[row["url"]] = row
        for row in self._read_jsonl(self.folder / NOT_SAVED_NAME):
            self.not_saved[row["url"]] = row

    @staticmethod
    def _read_jsonl(path: Path) -> list[dict]:
        if not path.is_file():
            return []
        rows = []
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise StageError(f"{path}:{number}: not valid JSON ({exc}); fix or delete the file to crawl again")
            if not isinstance(row, dict) or "url" not in row:
                raise StageError(f"{path}:{number}: expected an object with a url; fix or delete the file")
            rows.append(row)
        return rows

    def html_path(self, row: dict) -> Path:
        return self.folder / f"{row['slug']}.html"

    def text_path(self, row: dict) -> Path:
        return self.folder / f"{row['slug']}.txt"

    def saved_links(self, url: str) -> list[str]:
        row = self.rows[url]
        parser = _LinkParser(row["final_url"])
        parser.feed(self.html_path(row).read_text(encoding="utf-8", errors="replace"))
        return parser.links()

    def page_with_text_hash(self, sha256: str, among: Callable[[str], bool]) -> Optional[str]:
        return next((url for url, row in self.rows.items() if row["sha256"] == sha256 and among(url)), None)

    def save_page(self, row: dict, html: str, text: str) -> None:
        """Page files first, then the index: a crash in between only costs a refetch."""
        atomic.write_text(self.html_path(row), html)
        atomic.write_text(self.text_path(row), text)
        self.rows[row["url"]] = row
        self.not_saved.pop(row["url"], None)
        self._write()

    def record_not_saved(self, row: dict) -> None:
        self.not_saved[row["url"]] = row
        self._write()

    def _write(self) -> None:
        atomic.write_jsonl(self.folder / INDEX_NAME, list(self.rows.values()))
        atomic.write_jsonl(self.folder / NOT_SAVED_NAME, list(self.not_saved.values()))


# --------------------------------------------------------------------------- the browser

BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
BROWSER_FLAGS = [
    "--headless",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    # no traffic of Chromium's own: updates, safe browsing, metrics, sync...
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-default-apps",
    "--disable-sync",
    "--disable-extensions",
    "--disable-breakpad",
    "--disable-client-side-phishing-detection",
    "--metrics-recording-only",
    "--no-first-run",
    "--no-default-browser-check",
    "--no-pings",
    "--mute-audio",
    "--hide-scrollbars",
    "--blink-settings=imagesEnabled=false",  # text is what we want; images only cost time
    "--remote-debugging-port=0",
]
BROWSER_START_SECONDS = 30
BROWSER_QUIT_SECONDS = 5
# Chromium confirms closing a tab at once but can be seconds late telling pyppeteer it is gone
# (seen after aborted huge pages); we need not wait for that.
PAGE_CLOSE_SECONDS = 1


def find_browser(configured: Optional[Path]) -> Path:
    if configured is not None:
        path = Path(configured)
        if not path.is_file() or not os.access(path, os.X_OK):
            raise StageError(f"scrape.browser_path {path} is not an executable file: point it at Chromium")
        return path
    for name in BROWSER_NAMES:
        found = shutil.which(name)
        if found:
            return Path(found)
    raise StageError(
        f"no Chromium found on PATH (looked for {', '.join(BROWSER_NAMES)}): install it "
        "(Debian: apt-get install chromium) or set scrape.browser_path"
    )


def _die_with_parent() -> None:
    """In the browser's child process: get SIGKILL if this Python process dies, even by kill -9."""
    with contextlib.suppress(Exception):
        _LIBC.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


_LIBC = ctypes.CDLL(None) if sys.platform.startswith("linux") else None


class PageTooLarge(Exception):
    pass


class PageLoadFailed(Exception):
    """A page gave no usable result; `transient` ones are retried."""

    def __init__(self, reason: str, transient: bool, status: int = 0, retry_after: Optional[str] = None) -> None:
        super().__init__(reason)
        self.reason, self.transient, self.status, self.retry_after = reason, transient, status, retry_after


@dataclass
class LoadedPage:
    status: int
    final_url: str
    content_type: str
    html: str
    text: str
    title: str
    links: list[str]


class Chromium:
    """The system's Chromium in its own process group with a throw-away profile, driven by pyppeteer.

    We start the process ourselves (rather than pyppeteer.launch) to own its whole
    lifetime: a clear error when the executable is not a working browser, no
    atexit/signal handlers installed behind our back, and the entire process group
    terminated on close.
    """

    def __init__(self, executable: Path, settings: ScrapeConfig) -> None:
        self.executable, self.settings = executable, settings
        self.process: Optional[subprocess.Popen] = None
        self.browser = None
        self._profile = None

    async def start(self) -> None:
        import pyppeteer  # imported here: dry runs and social-only runs never need it

        self._profile = tempfile.TemporaryDirectory(prefix="brandtone-chromium-")
        profile = Path(self._profile.name)
        flags = [*BROWSER_FLAGS, f"--user-data-dir={profile / 'profile'}", f"--user-agent={self.settings.user_agent}"]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            flags.append("--no-sandbox")  # Chromium refuses to run as root with its sandbox
        stderr = open(profile / "stderr.log", "wb")
        try:
            self.process = subprocess.Popen(
                [str(self.executable), *flags, "about:blank"],
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=stderr,
                start_new_session=True, preexec_fn=_die_with_parent if _LIBC else None,
            )
        except OSError as exc:
            raise StageError(f"cannot start the browser {self.executable}: {exc}; check scrape.browser_path") from None
        finally:
            stderr.close()
        endpoint = await self._devtools_endpoint(profile)
        self.browser = await pyppeteer.connect(browserWSEndpoint=endpoint, defaultViewport={"width": 1280, "height": 900})
        log.info("started %s (pid %d)", self.executable, self.process.pid)

    async def _devtools_endpoint(self, profile: Path) -> str:
        port_file = profile / "profile" / "DevToolsActivePort"
        deadline = time.monotonic() + BROWSER_START_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                lines = (profile / "stderr.log").read_text(errors="replace").strip().splitlines()
                said = f": {lines[-1][:200]}" if lines else ""
                raise StageError(
                    f"the browser {self.executable} exited with code {self.process.returncode} before it started{said}; "
                    "check scrape.browser_path points at a working Chromium"
                )
            lines = port_file.read_text().splitlines() if port_file.is_file() else []
            if len(lines) >= 2:
                return f"ws://127.0.0.1:{lines[0]}{lines[1]}"
            await asyncio.sleep(0.05)
        raise StageError(f"the browser {self.executable} did not start within {BROWSER_START_SECONDS} s")

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    async def close(self) -> None:
        """Ask Chromium to quit (it then removes its own temporary files), then make sure its whole
        process group is gone; safe to call on any path, twice included."""
        if self.browser is not None:
            await _wait_uncancelled(self.browser.close(), BROWSER_QUIT_SECONDS)  # CDP Browser.close
            await _wait_uncancelled(self.browser.disconnect(), BROWSER_QUIT_SECONDS)
            self.browser = None
            await _settle_background_tasks()
            deadline = time.monotonic() + BROWSER_QUIT_SECONDS
            while self.alive() and time.monotonic() < deadline:
                await asyncio.sleep(0.05)
        self.kill()

    def kill(self) -> None:
        """Terminate, then kill, whatever is left of the browser's process group; remove the profile."""
        if self.process is not None:
            if self.process.poll() is None:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(self.process.pid, signal.SIGTERM)
                with contextlib.suppress(subprocess.TimeoutExpired):
                    self.process.wait(BROWSER_QUIT_SECONDS)
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.process.pid, signal.SIGKILL)  # helpers (zygote, renderers) still around
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(BROWSER_QUIT_SECONDS)
            self.process = None
        if self._profile is not None:
            self._profile.cleanup()
            self._profile = None

    async def load(self, url: str) -> LoadedPage:
        """Navigate a fresh tab to `url`, let it settle, and read the rendered page.

        pyppeteer breaks if a task waiting for a browser reply is cancelled (the late reply
        then kills its connection), so a page that takes too long is never cancelled: its
        tab is closed, which fails whatever waits on it, and only then is anything left
        over cancelled (see `_abandon`)."""
        from pyppeteer.errors import PyppeteerError

        settings = self.settings
        try:
            page = await self.browser.newPage()
        except PyppeteerError as exc:
            raise PageLoadFailed(f"browser error: {str(exc).splitlines()[0]}", transient=True) from None
        try:
            too_large = await self._watch_document_size(page)
            # pyppeteer's own timeout does not cover a server that never answers: bound it here too
            navigation = asyncio.ensure_future(
                page.goto(url, waitUntil="networkidle2", timeout=int(settings.page_timeout_seconds * 1000))
            )
            await asyncio.wait({navigation, too_large}, timeout=settings.page_timeout_seconds,
                               return_when=asyncio.FIRST_COMPLETED)
            if too_large.done() or not navigation.done():
                await self._abandon(page, navigation)
                if too_large.done():
                    raise PageTooLarge(
                        f"larger than scrape.max_page_bytes={settings.max_page_bytes} (at least {too_large.result()} bytes)"
                    )
                raise PageLoadFailed(f"timed out after {settings.page_timeout_seconds:g} s", transient=True)
            try:
                response = navigation.result()
            except PyppeteerError as exc:
                raise _navigation_failure(exc) from None
            if response is None:
                raise PageLoadFailed("the browser got no response", transient=True)
            status, content_type = response.status, response.headers.get("content-type", "")
            if status >= 400:
                transient = status == 429 or status >= 500
                raise PageLoadFailed(f"HTTP {status}", transient, status, response.headers.get("retry-after"))
            await asyncio.sleep(settings.settle_ms / 1000)
            reading = asyncio.ensure_future(_read_page(page))
            await asyncio.wait({reading}, timeout=settings.page_timeout_seconds)
            if not reading.done():  # a script keeps the page busy
                await self._abandon(page, reading)
                raise PageLoadFailed(f"page unresponsive for {settings.page_timeout_seconds:g} s after loading",
                                     transient=True)
            html, text, title, links = reading.result()
            if len(html.encode("utf-8")) > settings.max_page_bytes:
                raise PageTooLarge(f"rendered page larger than scrape.max_page_bytes={settings.max_page_bytes}")
            return LoadedPage(status, response.url, content_type, html, text, title, links)
        except PyppeteerError as exc:  # the page changed under us (a script navigated away...)
            raise PageLoadFailed(f"browser error: {str(exc).splitlines()[0]}", transient=True) from None
        finally:
            await _close_page(page)

    @staticmethod
    async def _abandon(page, task: asyncio.Future) -> None:
        """Stop waiting for `task`: close its tab (so its pending browser calls fail), give it a moment
        to finish, and cancel it only then, when it can no longer be waiting for a browser reply."""
        await _close_page(page)
        await asyncio.wait({task}, timeout=PAGE_CLOSE_SECONDS)
        if not task.done():
            task.cancel()
        await asyncio.gather(task, return_exceptions=True)

    async def _watch_document_size(self, page) -> asyncio.Future:
        """A future set (to a byte count) as soon as the page's document is known to exceed max_page_bytes,
        from its Content-Length or, without one, from the bytes received so far."""
        limit = self.settings.max_page_bytes
        too_large = asyncio.get_running_loop().create_future()
        received: dict[str, int] = {}

        def flag(size: int) -> None:
            if not too_large.done():
                too_large.set_result(size)

        def on_response(event: dict) -> None:
            if event.get("type") != "Document":
                return
            received[event["requestId"]] = 0
            headers = {key.lower(): value for key, value in event["response"].get("headers", {}).items()}
            length = str(headers.get("content-length", "")).strip()
            if length.isdigit() and int(length) > limit:
                flag(int(length))

        def on_data(event: dict) -> None:
            if event["requestId"] in received:
                received[event["requestId"]] += event.get("dataLength", 0)
                if received[event["requestId"]] > limit:
                    flag(received[event["requestId"]])

        session = await page.target.createCDPSession()
        session.on("Network.responseReceived", on_response)
        session.on("Network.dataReceived", on_data)
        await session.send("Network.enable")
        return too_large


async def _read_page(page) -> tuple[str, str, str, list[str]]:
    html = await page.content()
    text = await page.evaluate("(document.body || document.documentElement).innerText || ''", force_expr=True)
    title = await page.title()
    links = await page.querySelectorAllEval("a[href]", "els => els.map(e => e.href)")
    return html, text, title, links


async def _wait_uncancelled(awaitable, timeout: float) -> None:
    """Wait up to `timeout` for a pyppeteer call whose failure does not matter, without ever
    cancelling it (see Chromium.load); a call still running is collected at the end of the crawl."""
    task = asyncio.ensure_future(awaitable)
    await asyncio.wait({task}, timeout=timeout)
    if task.done() and not task.cancelled():
        task.exception()


async def _close_page(page) -> None:
    """Close a tab, not waiting long for Chromium's confirmation (it can be seconds late)."""
    if not page.isClosed():
        await _wait_uncancelled(page.close(), PAGE_CLOSE_SECONDS)


async def _settle_background_tasks() -> None:
    """After the browser connection is gone: let pyppeteer's leftover tasks (its websocket reader,
    abandoned page work) finish, cancel what still sleeps, and collect every outcome, so asyncio
    reports none of them as an unhandled error."""
    others = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
    if others:
        await asyncio.wait(others, timeout=BROWSER_QUIT_SECONDS)
    for task in others:
        if not task.done():
            task.cancel()
    if others:
        await asyncio.wait(others, timeout=BROWSER_QUIT_SECONDS)
    for task in others:
        if task.done() and not task.cancelled():
            task.exception()


def _ignore_closed_browser_errors(loop: asyncio.AbstractEventLoop, context: dict) -> None:
    """pyppeteer leaves some calls' futures unawaited; once the browser is closed they fail with
    'Target closed' / 'Connection is closed', which asyncio would log as unhandled. Drop just those."""
    from pyppeteer.errors import PyppeteerError
    from websockets.exceptions import ConnectionClosed

    error = context.get("exception")
    if isinstance(error, (PyppeteerError, ConnectionClosed)) and "closed" in str(error).lower():
        log.debug("after the browser closed: %s", error)
        return
    loop.default_exception_handler(context)


def _navigation_failure(exc: Exception) -> PageLoadFailed:
    message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    match = re.search(r"net::(ERR_[A-Z0-9_]+)", message)
    if match:
        code = match.group(1)
        meaning = NET_ERROR_MEANINGS.get(code)
        return PageLoadFailed(f"{meaning} (net::{code})" if meaning else f"net::{code}", code in TRANSIENT_NET_ERRORS)
    if "Timeout" in type(exc).__name__ or "timeout" in message.lower():
        return PageLoadFailed(f"timed out ({message})", transient=True)
    return PageLoadFailed(message, transient=True)


# --------------------------------------------------------------------------- the crawl


@dataclass
class CrawlSummary:
    start_url: str
    saved_now: list[str] = field(default_factory=list)
    already_saved: list[str] = field(default_factory=list)
    robots_skipped: list[str] = field(default_factory=list)
    failed: list[dict] = field(default_factory=list)  # {url, reason, referrer}
    not_saved: list[dict] = field(default_factory=list)  # aliases and duplicates of saved pages
    known_not_saved: list[dict] = field(default_factory=list)  # outcomes remembered from earlier runs
    off_site_links: set[str] = field(default_factory=set)
    non_page_links: set[str] = field(default_factory=set)
    sitemap_urls: int = 0
    left_in_queue: int = 0
    browser_started: bool = False
    interrupted: bool = False

    def counts(self) -> dict[str, int]:
        return {
            "pages_saved_now": len(self.saved_now),
            "pages_already_saved": len(self.already_saved),
            "skipped_by_robots": len(self.robots_skipped),
            "failed": len(self.failed) + sum(1 for row in self.known_not_saved if row.get("failure")),
            "aliases_and_duplicates": len(self.not_saved) + sum(1 for r in self.known_not_saved if not r.get("failure")),
            "off_site_links": len(self.off_site_links),
            "sitemap_urls": self.sitemap_urls,
        }

    def lines(self) -> list[str]:
        pages = len(self.saved_now) + len(self.already_saved)
        out = [
            f"website {self.start_url}",
            f"  pages saved:        {pages} ({len(self.saved_now)} fetched now, {len(self.already_saved)} already saved)",
            f"  sitemap URLs:       {self.sitemap_urls}",
            f"  skipped by robots:  {len(self.robots_skipped)}"
            + (f" ({', '.join(self.robots_skipped[:5])}{' ...' if len(self.robots_skipped) > 5 else ''})"
               if self.robots_skipped else ""),
            f"  other sites:        {len(self.off_site_links)} links not followed",
        ]
        if self.left_in_queue:
            out.append(f"  not visited:        {self.left_in_queue} URLs (scrape.max_pages reached)")
        failures = self.failed + [row for row in self.known_not_saved if row.get("failure")]
        out.append(f"  failed:             {len(failures)}")
        for row in failures:
            earlier = " [earlier run]" if row in self.known_not_saved else ""
            out.append(f"    {row['url']}: {row['reason']}{_linked_from(row)}{earlier}")
        others = self.not_saved + [row for row in self.known_not_saved if not row.get("failure")]
        if others:
            out.append(f"  not saved again:    {len(others)}")
            for row in others:
                out.append(f"    {row['url']}: {row['reason']}")
        if not self.browser_started:
            out.append("  (nothing to fetch: the browser was not started)")
        return out


def _linked_from(row: dict) -> str:
    return f" (linked from {row['referrer']})" if row.get("referrer") else ""


class Crawler:
    """Breadth-first over one site, one page at a time, saving each page as it comes."""

    def __init__(self, policy: SitePolicy, store: PageStore, browser_path: Path, refresh: bool) -> None:
        self.policy, self.store, self.refresh = policy, store, refresh
        self.settings = policy.settings
        self.browser = Chromium(browser_path, self.settings)
        self.summary = CrawlSummary(policy.start_url)
        self.queue: deque[tuple[str, int, Optional[str]]] = deque()
        self.seen: set[str] = set()
        self._last_fetch = 0.0

    def enqueue(self, url: str, depth: int, referrer: Optional[str]) -> None:
        canonical = canonical_url(url)
        if canonical is None or canonical in self.seen:
            return
        if not self.policy.on_site(canonical):
            self.summary.off_site_links.add(canonical)
            return
        if not looks_like_page(canonical):
            self.summary.non_page_links.add(canonical)
            return
        if depth > self.settings.max_depth:
            return
        self.seen.add(canonical)
        self.queue.append((canonical, depth, referrer))

    async def run(self, seeds: list[tuple[str, int]]) -> CrawlSummary:
        """Crawl until the queue is empty or max_pages are saved. Ctrl-C (or SIGTERM) stops it between
        two awaits: the page in progress is abandoned, the browser closed, the summary marked interrupted."""
        for url, depth in seeds:
            self.enqueue(url, depth, None)
        loop = asyncio.get_running_loop()
        stop = asyncio.Event()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        stopping = asyncio.ensure_future(stop.wait())
        loop.set_exception_handler(_ignore_closed_browser_errors)
        visiting = None
        bar = tqdm(total=None, unit="page", desc="crawling", disable=None, dynamic_ncols=True)
        try:
            while self.queue and self._pages_in_crawl() < self.settings.max_pages:
                url, depth, referrer = self.queue.popleft()
                visiting = asyncio.ensure_future(self.visit(url, depth, referrer))
                await asyncio.wait({visiting, stopping}, return_when=asyncio.FIRST_COMPLETED)
                if stop.is_set():
                    self.summary.interrupted = True  # `visiting` is collected once the browser is gone
                    break
                visiting.result()
                bar.total = min(self.settings.max_pages, self._pages_in_crawl() + len(self.queue))
                bar.n = self._pages_in_crawl()
                bar.refresh()
            self.summary.left_in_queue = len(self.queue)
        finally:
            bar.close()
            await self.browser.close()
            if visiting is not None and visiting.done() and not visiting.cancelled():
                visiting.exception()  # an abandoned page's error is no news
            stopping.cancel()
            for sig in (signal.SIGINT, signal.SIGTERM):
                loop.remove_signal_handler(sig)
        return self.summary

    def _pages_in_crawl(self) -> int:
        return len(self.summary.saved_now) + len(self.summary.already_saved)

    async def visit(self, url: str, depth: int, referrer: Optional[str]) -> None:
        if not self.policy.allowed(url):
            self.summary.robots_skipped.append(url)
            log.debug("%s: disallowed by robots.txt", url)
            return
        if not self.refresh and url in self.store.rows:
            self.summary.already_saved.append(url)
            for link in self.store.saved_links(url):
                self.enqueue(link, depth + 1, url)
            return
        known = self.store.not_saved.get(url)
        if not self.refresh and known and not known.get("transient"):
            self.summary.known_not_saved.append(known)
            return
        try:
            page = await self.fetch(url)
        except PageTooLarge as exc:
            self.fail(url, str(exc), referrer, depth, transient=False)
        except PageLoadFailed as exc:
            self.fail(url, exc.reason, referrer, depth, transient=exc.transient, status=exc.status)
        else:
            self.keep(url, depth, referrer, page)

    async def fetch(self, url: str) -> LoadedPage:
        """Load one page politely: the configured delay between pages, bounded retries with backoff."""
        if not self.browser.alive():
            if self.summary.browser_started:
                raise StageError(
                    f"the browser exited unexpectedly while crawling (last URL {url}); "
                    "pages saved so far are kept: rerun to resume"
                )
            await self.browser.start()
            self.summary.browser_started = True
        for attempt in range(self.settings.max_retries + 1):
            wait = self._last_fetch + self.policy.delay_seconds - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            self._last_fetch = time.monotonic()
            try:
                return await self.browser.load(url)
            except PageLoadFailed as exc:
                last_try = attempt == self.settings.max_retries or not self.browser.alive() or self.summary.interrupted
                if not exc.transient or last_try:
                    raise
                pause = backoff_seconds(self.settings, attempt, exc.retry_after)
                log.info("%s: %s; retrying in %.0f s", url, exc.reason, pause)
                await asyncio.sleep(pause)
        raise AssertionError("unreachable")

    def fail(self, url: str, reason: str, referrer: Optional[str], depth: int, transient: bool, status: int = 0) -> None:
        if self.summary.interrupted:
            return  # the page failed because we closed the browser under it: not the page's fault
        row = {"url": url, "reason": reason, "status": status, "referrer": referrer, "depth": depth,
               "failure": True, "transient": transient, "at": utc_now()}
        log.warning("%s: %s%s; skipped", url, reason, _linked_from(row))
        self.summary.failed.append(row)
        self.store.record_not_saved(row)

    def not_saving(self, url: str, final_url: str, reason: str, depth: int, status: int) -> None:
        row = {"url": url, "final_url": final_url, "reason": reason, "status": status, "depth": depth,
               "failure": False, "transient": False, "at": utc_now()}
        log.info("%s: %s; not saved again", url, reason)
        self.summary.not_saved.append(row)
        self.store.record_not_saved(row)

    def keep(self, url: str, depth: int, referrer: Optional[str], page: LoadedPage) -> None:
        """Save a loaded page, unless it is not a page of this site or the same as one already saved."""
        final = canonical_url(page.final_url) or url
        mime = page.content_type.split(";")[0].strip().lower()
        if mime and mime not in HTML_TYPES:
            self.not_saving(url, final, f"not an HTML page ({mime})", depth, page.status)
            return
        if final != url:
            if not self.policy.on_site(final):
                self.fail(url, f"redirects to another site ({final})", referrer, depth, False, page.status)
                return
            if not self.policy.allowed(final):
                self.fail(url, f"redirects to {final}, disallowed by robots.txt", referrer, depth, False, page.status)
                return
            self.seen.add(final)
            if final in self.store.rows:
                self.not_saving(url, final, f"redirects to {final}, already saved", depth, page.status)
                return
        text_hash = hashlib.sha256(page.text.encode("utf-8")).hexdigest()
        twin = self.store.page_with_text_hash(text_hash, among=self.policy.on_site)
        if twin is not None and twin != url:
            self.not_saving(url, final, f"same text as {twin}", depth, page.status)
            return
        row = {
            "url": url, "final_url": page.final_url, "status": page.status, "title": page.title,
            "fetched_at": utc_now(), "sha256": text_hash, "slug": page_slug(url), "depth": depth,
        }
        self.store.save_page(row, page.html, page.text)
        self.summary.saved_now.append(url)
        log.debug("saved %s as %s", url, row["slug"])
        for link in page.links:
            self.enqueue(link, depth + 1, url)


def crawl_site(start_url: str, settings: ScrapeConfig, web_dir: Path, refresh: bool) -> CrawlSummary:
    """The whole website step: robots.txt, sitemaps, then the browser crawl into `web_dir`."""
    start = canonical_url(start_url)
    if start is None:
        raise StageError(f"brand.website {start_url!r} is not an http(s) URL")
    browser_path = find_browser(settings.browser_path)
    policy = read_site_policy(start, settings)
    seeds = [(start, 0)]
    if settings.max_depth >= 1:
        sitemap_urls = sitemap_page_urls(policy)
        seeds += [(url, 1) for url in sitemap_urls]
    else:
        sitemap_urls = []
    log.info("crawling %s: %d sitemap URLs, delay %.1f s between pages", start, len(sitemap_urls), policy.delay_seconds)
    store = PageStore(web_dir)
    elsewhere = [url for url in store.rows if not policy.on_site(url)]
    if elsewhere:
        log.warning("%s already holds %d pages of another site (e.g. %s); they are kept: delete the folder "
                    "to keep only %s", web_dir, len(elsewhere), elsewhere[0], start)
    crawler = Crawler(policy, store, browser_path, refresh)
    crawler.summary.sitemap_urls = len(sitemap_urls)
    with _progress_safe_logging():
        try:
            summary = asyncio.run(crawler.run(seeds))
        finally:
            crawler.browser.kill()  # the browser is closed on every path through run(); this is the backstop
    if summary.interrupted:
        raise KeyboardInterrupt
    return summary


@contextlib.contextmanager
def _progress_safe_logging():
    """Log lines printed above the progress bar instead of through it, still redacted."""
    with logging_redirect_tqdm():
        for handler in logging.getLogger().handlers:
            handler.addFilter(RedactingFilter())
        yield
