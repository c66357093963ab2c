"""Plain HTTP GET for robots.txt and sitemaps: the crawler's user agent and timeout, a byte cap,
retries with backoff on timeouts, 429 and 5xx. Pages themselves go through the browser."""

from __future__ import annotations

import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Optional

from brandtone.config_schema import ScrapeConfig

MAX_BACKOFF_SECONDS = 60.0


@dataclass
class HttpResult:
    url: str
    status: int  # 0 when no HTTP answer came at all
    body: bytes = b""
    error: str = ""


def http_get(url: str, settings: ScrapeConfig, max_bytes: int) -> HttpResult:
    """GET with the crawler's user agent and timeout, retrying timeouts, 429 and 5xx with backoff.
    A body over `max_bytes` is not read further: the result carries an error instead."""
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
