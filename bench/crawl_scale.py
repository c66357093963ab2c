"""Benchmark: stage 1's crawler on a generated local site of 2,000 pages; prints pages/s and the
time the crawler spends on its own bookkeeping per page.

    .venv/bin/python bench/crawl_scale.py [--pages 2000] [--time-limit 600] [--keep DIR]

Builds a site of N pages (each with the same 25 navigation links plus links to its two children
in a binary tree, so every page is reachable and every index row stores 27 links), serves it on
127.0.0.1 with brandtone.demo.site, and crawls it with the real crawler (`crawl_site`: Chromium,
delay 0, settle 0). Bookkeeping is the work on files/web per page (page files, the index and
not_saved appends, the duplicate-text lookup, stored links read on resume), timed around
PageStore's methods. A crawl still running at --time-limit is stopped as Ctrl-C stops it (SIGINT),
and the figures cover the pages saved by then. Then the page store alone saves N pages (no
browser): its per-page time over the first and the last tenth shows whether it grows with N.
"""

from __future__ import annotations

import argparse
import functools
import json
import logging
import os
import shutil
import signal
import statistics
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from brandtone.config_schema import ScrapeConfig  # noqa: E402
from brandtone.demo.site import serve_site  # noqa: E402
from brandtone.scrape.web.crawler import crawl_site  # noqa: E402
from brandtone.scrape.web.page_store import PageStore  # noqa: E402

NAV_LINKS = 25
BOOKKEEPING = ("save_page", "record_not_saved", "page_with_text_hash", "saved_links")
WORDS = "chai doodh patti karak elaichi adrak samosa baarish lahore rooftop fresh strong creamy cup flask".split()


def page_html(number: int, pages: int) -> str:
    nav = "".join(f'<a href="/p/{n}.html">Section {n}</a> ' for n in range(1, NAV_LINKS + 1))
    children = "".join(f'<a href="/p/{n}.html">Page {n}</a> ' for n in (2 * number + 1, 2 * number + 2) if n < pages)
    words = " ".join(WORDS[(number * 7 + k) % len(WORDS)] for k in range(120))
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>Page {number}</title></head><body>"
        f"<nav>{nav}</nav><main><h1>Page {number}</h1><p>Page {number} of the bench site: {words}.</p>"
        f"{children}</main></body></html>"
    )


def build_site(root: Path, pages: int) -> None:
    (root / "p").mkdir(parents=True)
    for number in range(pages):
        path = root / "index.html" if number == 0 else root / "p" / f"{number}.html"
        path.write_text(page_html(number, pages), encoding="utf-8")


@contextmanager
def timed_bookkeeping():
    """Wrap PageStore's bookkeeping methods with timers; yields {method: [seconds per call]}."""
    calls: dict[str, list[float]] = {name: [] for name in BOOKKEEPING}
    originals = {name: getattr(PageStore, name) for name in BOOKKEEPING}

    def timed(name, method):
        @functools.wraps(method)
        def wrapper(*args, **kwargs):
            start = time.perf_counter()
            try:
                return method(*args, **kwargs)
            finally:
                calls[name].append(time.perf_counter() - start)

        return wrapper

    for name, method in originals.items():
        setattr(PageStore, name, timed(name, method))
    try:
        yield calls
    finally:
        for name, method in originals.items():
            setattr(PageStore, name, method)


def crawl(site_root: Path, web_dir: Path, pages: int, time_limit: float) -> dict:
    settings = ScrapeConfig(max_pages=pages, max_depth=64, delay_seconds=0, settle_ms=0, max_retries=0)
    stopper = threading.Timer(time_limit, os.kill, (os.getpid(), signal.SIGINT))
    with serve_site(site_root) as base, timed_bookkeeping() as calls:
        started = time.perf_counter()
        stopper.start()
        try:
            crawl_site(f"{base}/", settings, web_dir, refresh=False)
            stopped = False
        except KeyboardInterrupt:
            stopped = True
        finally:
            stopper.cancel()
        seconds = time.perf_counter() - started
    saved = len(calls["save_page"])
    per_page = [sum(times) / max(saved, 1) for times in calls.values()]
    return {
        "pages_saved": saved,
        "seconds": round(seconds, 1),
        "pages_per_s": round(saved / seconds, 2),
        "stopped_at_time_limit": stopped,
        "bookkeeping_ms_per_page": round(1000 * sum(per_page), 2),
        "save_page_ms_max": round(1000 * max(calls["save_page"], default=0), 2),
    }


def store_only(web_dir: Path, pages: int) -> dict:
    """The page store alone, N pages of the bench site's size (27 links each): per-page time by tenth."""
    store = PageStore(web_dir)
    html = page_html(1, pages)
    times = []
    for number in range(pages):
        url = f"http://bench.test/p/{number}.html"
        row = {
            "url": url,
            "final_url": url,
            "status": 200,
            "title": f"Page {number}",
            "sha256": f"{number:064x}",
            "slug": f"p-{number}",
            "depth": 1,
            "links": [f"http://bench.test/p/{n}.html" for n in range(27)],
        }
        start = time.perf_counter()
        store.page_with_text_hash(row["sha256"], among=lambda _: True)
        store.save_page(row, html, f"Page {number}")
        times.append(time.perf_counter() - start)
    store.close()
    tenth = max(pages // 10, 1)
    return {
        "pages": pages,
        "ms_per_page_first_tenth": round(1000 * statistics.mean(times[:tenth]), 2),
        "ms_per_page_last_tenth": round(1000 * statistics.mean(times[-tenth:]), 2),
        "index_bytes": (web_dir / "index.jsonl").stat().st_size,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--time-limit", type=float, default=600, help="seconds before the crawl is stopped")
    parser.add_argument("--keep", type=Path, help="build and keep everything under this folder")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(message)s")
    work = args.keep or Path(tempfile.mkdtemp(prefix="crawl-scale-"))
    try:
        build_site(work / "site", args.pages)
        result = {"crawl": crawl(work / "site", work / "files" / "web", args.pages, args.time_limit)}
        print(json.dumps(result), flush=True)
        result["store_only"] = store_only(work / "store" / "web", args.pages)
        print(json.dumps({"store_only": result["store_only"]}), flush=True)
        c, s = result["crawl"], result["store_only"]
        print(
            f"crawl: {c['pages_saved']} pages in {c['seconds']} s = {c['pages_per_s']} pages/s"
            f"{' (stopped at the time limit)' if c['stopped_at_time_limit'] else ''}; "
            f"bookkeeping {c['bookkeeping_ms_per_page']} ms/page"
        )
        print(
            f"page store alone, {s['pages']} pages: {s['ms_per_page_first_tenth']} ms/page in the first tenth, "
            f"{s['ms_per_page_last_tenth']} ms/page in the last"
        )
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
