"""robots.txt as RFC 9309 reads it, through Protego (Scrapy's parser): which URLs the crawl may
fetch, how slowly, and which sitemaps the site names.

Protego implements what `urllib.robotparser` does not: the `*` and `$` wildcards, the longest
matching rule winning (`Allow: /shop/public/` over `Disallow: /shop/`), groups for the same agent
merged, and agent names matched at a word boundary (`User-agent: tone` is not "BrandToneBot").
It is asked with our product token alone (the user agent up to its first `/` or space), the
name RFC 9309 matches groups against, so words in the user agent's comment match no group.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Optional
from urllib.parse import urlsplit

from protego import Protego

from brandtone.config import ScrapeConfig
from brandtone.errors import StageError
from brandtone.scrape.web.plain_http import http_get
from brandtone.scrape.web.urls import site_key

log = logging.getLogger("brandtone.scrape")


def product_token(user_agent: str) -> str:
    """The part of a user agent that robots.txt groups name: 'BrandToneBot' in 'BrandToneBot/0.1 (...)'."""
    match = re.match(r"[A-Za-z_-]+", user_agent.strip())
    return match.group(0) if match else user_agent.strip()


@dataclass
class SitePolicy:
    """Which URLs the crawl may fetch, and how slowly."""

    start_url: str
    settings: ScrapeConfig
    robots: Optional[Protego]  # None: no rules (no robots.txt, or robots.txt ignored)
    sitemaps: list[str]
    delay_seconds: float

    def on_site(self, url: str) -> bool:
        return site_key(url) == site_key(self.start_url)

    def allowed(self, url: str) -> bool:
        if not self.settings.respect_robots or self.robots is None:
            return True
        return self.robots.can_fetch(url, product_token(self.settings.user_agent))


def read_site_policy(start_url: str, settings: ScrapeConfig) -> SitePolicy:
    """Fetch and parse robots.txt. An unreachable site is a StageError: nothing else would work.

    As RFC 9309 says: a 4xx answer (401 and 403 included) means no rules; a 5xx answer would
    mean "disallow everything", so the crawl stops with a message instead of saving nothing."""
    parts = urlsplit(start_url)
    robots_url = f"{parts.scheme}://{parts.netloc}/robots.txt"
    result = http_get(robots_url, settings, max_bytes=settings.max_page_bytes)
    if result.status == 0:
        raise StageError(
            f"cannot reach {robots_url} ({result.error}): check brand.website and your connection, "
            "or set brand.website to null to skip the website"
        )
    if result.status >= 500 or (result.error and result.status < 400):
        raise StageError(
            f"{robots_url}: {result.error}; the site may be down, retry later "
            "(or set scrape.respect_robots=false if you are allowed to crawl it)"
        )
    robots = None
    if result.status >= 400:
        log.log(logging.INFO if result.status == 404 else logging.WARNING,
                "%s answered HTTP %d: no robots.txt rules apply (RFC 9309)", robots_url, result.status)
    else:
        robots = Protego.parse(result.body.decode("utf-8", errors="replace"))
    crawl_delay = (robots.crawl_delay(product_token(settings.user_agent)) or 0.0) if robots else 0.0
    return SitePolicy(
        start_url=start_url, settings=settings, robots=robots,
        sitemaps=list(robots.sitemaps) if robots else [],
        delay_seconds=max(settings.delay_seconds, crawl_delay) if settings.respect_robots else settings.delay_seconds,
    )
