"""The crawl itself: seeds (the start URL and the sitemaps' pages), then breadth-first over
same-site links, one page at a time, each page saved as it comes; and the run's summary.

Politeness: robots.txt obeyed, the configured delay (or a longer Crawl-delay) between pages,
bounded retries with backoff. Ctrl-C or SIGTERM stops between two pages' awaits: what is
saved stays saved, the browser is closed, and a rerun resumes (saved pages are not fetched
again; their stored links are followed as a fresh crawl would follow them).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import signal
import time
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Optional

from tqdm import tqdm
from tqdm.contrib.logging import logging_redirect_tqdm

from brandtone.config_schema import ScrapeConfig
from brandtone.credentials import RedactingFilter
from brandtone.errors import StageError
from brandtone.scrape.web.browser import Chromium, find_browser, ignore_closed_browser_errors
from brandtone.scrape.web.page_load import LoadedPage, PageLoadFailed, PageTooLarge, load_page
from brandtone.scrape.web.page_store import PageStore
from brandtone.scrape.web.plain_http import backoff_seconds
from brandtone.scrape.web.robots import SitePolicy, read_site_policy
from brandtone.scrape.web.sitemaps import sitemap_page_urls
from brandtone.scrape.web.urls import canonical_url, looks_like_page, page_slug

log = logging.getLogger("brandtone.scrape")

HTML_TYPES = ("text/html", "application/xhtml+xml")


def utc_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


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
            + (f" ({', '.join(self.robots_skipped[:5])}{' ...' if len(self.robots_skipped) > 5 else ''})" if self.robots_skipped else ""),
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
        if not self.policy.allowed(url.split("#", 1)[0]):
            # robots.txt rules are written for the site's own spelling; the canonical URL sorts the
            # query, so `Disallow: /*?sort=` must also be asked of the link as the page wrote it
            self.seen.add(canonical)
            self.summary.robots_skipped.append(canonical)
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
        loop.set_exception_handler(ignore_closed_browser_errors)
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
                    f"the browser exited unexpectedly while crawling (last URL {url}); pages saved so far are kept: rerun to resume"
                )
            await self.browser.start()
            self.summary.browser_started = True
        for attempt in range(self.settings.max_retries + 1):
            wait = self._last_fetch + self.policy.delay_seconds - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            self._last_fetch = time.monotonic()
            try:
                return await load_page(self.browser, url)
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
        row = {
            "url": url,
            "reason": reason,
            "status": status,
            "referrer": referrer,
            "depth": depth,
            "failure": True,
            "transient": transient,
            "at": utc_now(),
        }
        log.warning("%s: %s%s; skipped", url, reason, _linked_from(row))
        self.summary.failed.append(row)
        self.store.record_not_saved(row)

    def not_saving(self, url: str, final_url: str, reason: str, depth: int, status: int) -> None:
        row = {
            "url": url,
            "final_url": final_url,
            "reason": reason,
            "status": status,
            "depth": depth,
            "failure": False,
            "transient": False,
            "at": utc_now(),
        }
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
            "url": url,
            "final_url": page.final_url,
            "status": page.status,
            "title": page.title,
            "fetched_at": utc_now(),
            "sha256": text_hash,
            "slug": page_slug(url),
            "depth": depth,
            "links": list(dict.fromkeys(page.links)),  # what a resumed crawl follows from here
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
        log.warning(
            "%s already holds %d pages of another site (e.g. %s); they are kept: delete the folder to keep only %s",
            web_dir,
            len(elsewhere),
            elsewhere[0],
            start,
        )
    without_links = store.rows_without_links()
    if without_links and not refresh:
        log.info(
            "%d saved pages have no stored links (saved by an older brandtone): their links are read "
            "from their saved HTML (--refresh fetches them again)",
            without_links,
        )
    crawler = Crawler(policy, store, browser_path, refresh)
    crawler.summary.sitemap_urls = len(sitemap_urls)
    with _progress_safe_logging():
        try:
            summary = asyncio.run(crawler.run(seeds))
        finally:
            crawler.browser.kill()  # the browser is closed on every path through run(); this is the backstop
            store.close()
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
