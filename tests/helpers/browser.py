"""The system's Chromium for tests of our own pages, started as stage 1 starts it (its own process group,
a throw-away profile, closed on every exit path), driven through pyppeteer."""

from __future__ import annotations

import contextlib


@contextlib.asynccontextmanager
async def chromium():
    """pyppeteer's Browser on the system's Chromium."""
    from brandtone.config_schema import ScrapeConfig
    from brandtone.scrape.web.browser import Chromium, find_browser

    browser = Chromium(find_browser(None), ScrapeConfig())
    await browser.start()
    try:
        yield browser.browser
    finally:
        await browser.close()
