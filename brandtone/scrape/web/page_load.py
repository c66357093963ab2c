"""One page in a fresh tab of our Chromium: navigate, let its scripts run, read the rendered DOM,
visible text, title and links. A page that hangs or grows too large is abandoned without breaking
pyppeteer's connection; a failure says whether it is worth another try."""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass
from typing import Optional

from brandtone.scrape.web.browser import Chromium, wait_uncancelled

# Chromium confirms closing a tab at once but can be seconds late telling pyppeteer it is gone
# (seen after aborted huge pages); we need not wait for that.
PAGE_CLOSE_SECONDS = 1

# Outcomes worth another try on a later run (or another attempt now); anything else is
# remembered in not_saved.jsonl and not fetched again unless --refresh.
TRANSIENT_NET_ERRORS = (
    "ERR_CONNECTION_REFUSED",
    "ERR_CONNECTION_RESET",
    "ERR_CONNECTION_CLOSED",
    "ERR_CONNECTION_TIMED_OUT",
    "ERR_EMPTY_RESPONSE",
    "ERR_TIMED_OUT",
    "ERR_NETWORK_CHANGED",
    "ERR_INTERNET_DISCONNECTED",
    "ERR_NAME_NOT_RESOLVED",
    "ERR_ADDRESS_UNREACHABLE",
    "ERR_HTTP2_PROTOCOL_ERROR",
)
NET_ERROR_MEANINGS = {
    "ERR_TOO_MANY_REDIRECTS": "redirect loop",
    "ERR_CONNECTION_REFUSED": "connection refused",
    "ERR_EMPTY_RESPONSE": "server closed the connection without a response",
    "ERR_NAME_NOT_RESOLVED": "host name not found",
    "ERR_ABORTED": "navigation aborted (probably a download, not a page)",
}


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


async def load_page(chromium: Chromium, url: str) -> LoadedPage:
    """Navigate a fresh tab of `chromium` to `url`, let it settle, and read the rendered page.

    pyppeteer breaks if a task waiting for a browser reply is cancelled (the late reply
    then kills its connection), so a page that takes too long is never cancelled: its
    tab is closed, which fails whatever waits on it, and only then is anything left
    over cancelled (see `_abandon`)."""
    from pyppeteer.errors import PyppeteerError

    settings = chromium.settings
    try:
        page = await chromium.browser.newPage()
    except PyppeteerError as exc:
        raise PageLoadFailed(f"browser error: {str(exc).splitlines()[0]}", transient=True) from None
    try:
        too_large = await _watch_document_size(page, settings.max_page_bytes)
        # pyppeteer's own timeout does not cover a server that never answers: bound it here too
        navigation = asyncio.ensure_future(page.goto(url, waitUntil="networkidle2", timeout=int(settings.page_timeout_seconds * 1000)))
        await asyncio.wait({navigation, too_large}, timeout=settings.page_timeout_seconds, return_when=asyncio.FIRST_COMPLETED)
        if too_large.done() or not navigation.done():
            await _abandon(page, navigation)
            if too_large.done():
                raise PageTooLarge(f"larger than scrape.max_page_bytes={settings.max_page_bytes} (at least {too_large.result()} bytes)")
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
            await _abandon(page, reading)
            raise PageLoadFailed(f"page unresponsive for {settings.page_timeout_seconds:g} s after loading", transient=True)
        html, text, title, links = reading.result()
        if len(html.encode("utf-8")) > settings.max_page_bytes:
            raise PageTooLarge(f"rendered page larger than scrape.max_page_bytes={settings.max_page_bytes}")
        return LoadedPage(status, response.url, content_type, html, text, title, links)
    except PyppeteerError as exc:  # the page changed under us (a script navigated away...)
        raise PageLoadFailed(f"browser error: {str(exc).splitlines()[0]}", transient=True) from None
    finally:
        await _close_page(page)


async def _abandon(page, task: asyncio.Future) -> None:
    """Stop waiting for `task`: close its tab (so its pending browser calls fail), give it a moment
    to finish, and cancel it only then, when it can no longer be waiting for a browser reply."""
    await _close_page(page)
    await asyncio.wait({task}, timeout=PAGE_CLOSE_SECONDS)
    if not task.done():
        task.cancel()
    await asyncio.gather(task, return_exceptions=True)


async def _watch_document_size(page, limit: int) -> asyncio.Future:
    """A future set (to a byte count) as soon as the page's document is known to exceed `limit` bytes,
    from its Content-Length or, without one, from the bytes received so far."""
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


async def _close_page(page) -> None:
    """Close a tab, not waiting long for Chromium's confirmation (it can be seconds late)."""
    if not page.isClosed():
        await wait_uncancelled(page.close(), PAGE_CLOSE_SECONDS)


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
