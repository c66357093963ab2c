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

from brandtone.config_schema import ScrapeConfig
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
        log.log(
            logging.INFO if result.status == 404 else logging.WARNING,
            "%s answered HTTP %d: no robots.txt rules apply (RFC 9309)",
            robots_url,
            result.status,
        )
    else:
        robots = Protego.parse(result.body.decode("utf-8", errors="replace"))
    crawl_delay = (robots.crawl_delay(product_token(settings.user_agent)) or 0.0) if robots and settings.respect_robots else 0.0
    return SitePolicy(
        start_url=start_url,
        settings=settings,
        robots=robots,
        sitemaps=list(robots.sitemaps) if robots else [],
        delay_seconds=polite_delay(robots_url, crawl_delay, settings),
    )


def polite_delay(robots_url: str, crawl_delay: float, settings: ScrapeConfig) -> float:
    """The pause between pages: scrape.delay_seconds, or the site's longer Crawl-delay up to
    scrape.max_crawl_delay_seconds. A Crawl-delay that lengthens the crawl is a warning up front,
    with what it costs over scrape.max_pages pages (a site asking for an hour a page would
    otherwise take days without a word)."""
    if crawl_delay <= settings.delay_seconds:
        return settings.delay_seconds
    pages = settings.max_pages
    delay = max(settings.delay_seconds, min(crawl_delay, settings.max_crawl_delay_seconds))
    if delay < crawl_delay:
        log.warning(
            "%s asks for Crawl-delay: %g s between pages (%d pages would take %s): waiting %g s "
            "(scrape.max_crawl_delay_seconds) instead, so %d pages take at least %s; raise it to honour the site's delay",
            robots_url,
            crawl_delay,
            pages,
            duration(pages * crawl_delay),
            delay,
            pages,
            duration(pages * delay),
        )
    else:
        log.warning(
            "%s asks for Crawl-delay: %g s between pages: %d pages (scrape.max_pages) take at least %s",
            robots_url,
            crawl_delay,
            pages,
            duration(pages * delay),
        )
    return delay


def duration(seconds: float) -> str:
    """'8 days 8 h', '2 h 5 min', '17 min', '40 s'."""
    minutes, hours, days = seconds / 60, seconds / 3600, seconds / 86400
    if days >= 1:
        return f"{int(days)} day{'s' * (int(days) > 1)} {int(hours % 24)} h"
    if hours >= 1:
        return f"{int(hours)} h {int(minutes % 60)} min"
    return f"{round(minutes)} min" if minutes >= 1 else f"{round(seconds)} s"
