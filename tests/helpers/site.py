"""A small site served on 127.0.0.1 from a dict of responses, counting the requests for each path.

    with serve_pages({"/": page("Home", '<a href="/a.html">a</a>'), "/robots.txt": text("...")}) as site:
        ...  # site.base is "http://127.0.0.1:PORT"; site.requests["/a.html"] counts GETs (query included)

"{base}" in a body is replaced by the server's base URL (robots.txt and sitemaps need absolute URLs).
Paths not in the dict are 404.
"""

from __future__ import annotations

import subprocess
import threading
from collections import Counter
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Iterator, NamedTuple

from tests.helpers.scripts import run_script

FAST_CRAWL = [  # no politeness delays, no retries, no exports: the site alone, quickly
    "scrape.delay_seconds=0",
    "scrape.settle_ms=0",
    "scrape.page_timeout_seconds=10",
    "scrape.max_retries=0",
    "scrape.import_dir=null",
]


def crawl(base: str, files: Path, *overrides: str) -> subprocess.CompletedProcess:
    """Stage 1 with the demo config crawling the site at `base` into `files` (a real Chromium)."""
    return run_script(
        "01_scrape.py",
        "--config",
        "configs/demo.yaml",
        f"brand.website={base}/",
        f"paths.files_dir={files}",
        *FAST_CRAWL,
        *overrides,
        env={"APIFY_TOKEN": ""},
        timeout=300,
    )


class Response(NamedTuple):
    status: int
    content_type: str
    body: bytes


def page(title: str, body: str) -> Response:
    html = f"<!doctype html><html><head><meta charset='utf-8'><title>{title}</title></head><body>{body}</body></html>"
    return Response(200, "text/html; charset=utf-8", html.encode())


def text(body: str, status: int = 200) -> Response:
    return Response(status, "text/plain; charset=utf-8", body.encode())


class QuietHandler(BaseHTTPRequestHandler):
    """HTTP/1.0 (one request a connection, as simple test servers want) and no per-request log lines."""

    protocol_version = "HTTP/1.0"

    def log_message(self, format, *args):  # noqa: A002
        pass

    def send(self, status: int, body: bytes, content_type: str = "text/html; charset=utf-8") -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except OSError:
            pass  # the client hung up (the crawler gave up on a page it found too large)


class _Handler(QuietHandler):
    server: "CountingSite"

    def do_GET(self):  # noqa: N802
        self.server.requests[self.path] += 1
        response = self.server.responses.get(self.path, text("not found", 404))
        self.send(response.status, response.body.replace(b"{base}", self.server.base.encode()), response.content_type)


class CountingSite(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, responses: dict[str, Response]) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.base = f"http://127.0.0.1:{self.server_address[1]}"
        self.responses = responses
        self.requests: Counter[str] = Counter()


@contextmanager
def serve_pages(responses: dict[str, Response]) -> Iterator[CountingSite]:
    site = CountingSite(responses)
    thread = threading.Thread(target=site.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        site.shutdown()
        site.server_close()
