"""Stage 1, website: 01_scrape.py drives the real Chromium through pyppeteer against
sites served on 127.0.0.1 (the demo brand's site, and a small site of faults)."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from http.server import ThreadingHTTPServer
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest

from brandtone.demo import site as demo_site
from brandtone.scrape.web.urls import canonical_url, page_slug
from tests.helpers.paths import REPO
from tests.helpers.scripts import run_script
from tests.helpers.site import FAST_CRAWL, QuietHandler, crawl

PLANTED = json.loads((REPO / "demo" / "planted.json").read_text(encoding="utf-8"))["site"]
INDEX_KEYS = {"url", "final_url", "status", "title", "fetched_at", "sha256", "slug", "depth", "links"}


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def path_of(url: str) -> str:
    return urlsplit(url).path


def browser_processes(marker: str) -> list[str]:
    """Command lines of live processes mentioning `marker` (our browsers' temporary folder)."""
    found = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                cmdline = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                continue
            if marker in cmdline:
                found.append(cmdline)
    return found


# --------------------------------------------------------------------------- URLs and slugs (no browser)


def test_canonical_url_gives_one_spelling_per_page():
    base = "http://Example.COM:80/menu/"
    assert canonical_url("chai.html#kashmiri", base) == "http://example.com/menu/chai.html"
    assert canonical_url("/menu.html?utm_source=nav&b=2&a=1&fbclid=x", base) == "http://example.com/menu.html?a=1&b=2"
    assert canonical_url("https://example.com:443") == "https://example.com/"
    assert canonical_url("http://127.0.0.1:8765/a") == "http://127.0.0.1:8765/a"
    for not_a_page in ("mailto:hello@nukkarchai.pk", "tel:+923001234567", "javascript:void(0)", "ftp://x/y"):
        assert canonical_url(not_a_page, base) is None


def test_slugs_are_readable_safe_and_unique():
    urls = [
        "http://x.test/",
        "http://x.test/index.html",
        "http://x.test/Menu/Chai.html",
        "http://x.test/menu/chai.html",
        "http://x.test/blog/?page=2",
        "http://x.test/con",
        "http://x.test/%D9%86%D9%88%DA%A9%DA%91",
        "http://x.test/" + "very-long-path/" * 30,
    ]
    slugs = [page_slug(url) for url in urls]
    assert len(set(slugs)) == len(slugs)
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*-[0-9a-f]{8}", slug) and len(slug) <= 69 for slug in slugs)
    assert slugs[2].startswith("menu-chai-") and slugs[4].startswith("blog-page-2-")
    assert page_slug(urls[2]) == slugs[2]  # stable across runs


# --------------------------------------------------------------------------- the demo site: interrupt, resume, rerun


@contextmanager
def recorded_demo_site():
    """The demo site, with every request path it answers recorded."""
    requests: list[str] = []
    original = demo_site._SiteHandler.log_request

    def log_request(handler, code="-", size="-"):
        requests.append(urlsplit(handler.path).path)

    demo_site._SiteHandler.log_request = log_request
    try:
        with demo_site.serve_site(REPO / "demo" / "site") as base:
            yield base, requests
    finally:
        demo_site._SiteHandler.log_request = original


@pytest.fixture(scope="module")
def demo_crawls(tmp_path_factory):
    """Four runs on the demo site: one interrupted with SIGINT (Ctrl-C) after a few pages,
    one that resumes and finishes, one more that should have nothing left to fetch, and
    a --refresh of the first two pages."""
    tmp = tmp_path_factory.mktemp("demo-crawl")
    files, tmpdir = tmp / "files", tmp / "tmp"
    tmpdir.mkdir()
    env = {"TMPDIR": str(tmpdir), "APIFY_TOKEN": ""}
    result = SimpleNamespace(files=files, tmpdir=tmpdir)
    with recorded_demo_site() as (base, requests):
        args = ["--config", "configs/demo.yaml", f"brand.website={base}/", f"paths.files_dir={files}", "scrape.import_dir=null"]
        index = files / "web" / "index.jsonl"
        process = subprocess.Popen(
            [sys.executable, str(REPO / "01_scrape.py"), *args],
            cwd=REPO,
            env={**os.environ, "PYTHONPATH": str(REPO), **env},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and process.poll() is None:
            if index.is_file() and len(read_jsonl(index)) >= 3:
                break
            time.sleep(0.05)
        process.send_signal(signal.SIGINT)
        result.interrupted_out, result.interrupted_err = process.communicate(timeout=60)
        result.interrupted_rc = process.returncode
        result.leftover_browsers = browser_processes(str(tmpdir))
        result.leftover_profiles = [p.name for p in tmpdir.iterdir()]
        result.index_after_interrupt = read_jsonl(index)
        result.interrupted_requests = list(requests)

        requests.clear()
        result.resumed = run_script("01_scrape.py", *args, env=env, timeout=300)
        result.resumed_requests = list(requests)
        result.index_bytes = index.read_bytes()

        requests.clear()
        result.rerun = run_script("01_scrape.py", *args, env=env, timeout=300)
        result.rerun_requests = list(requests)
        result.index_bytes_after_rerun = index.read_bytes()
        result.index = read_jsonl(index)
        result.not_saved = read_jsonl(files / "web" / "not_saved.jsonl")

        requests.clear()
        result.refresh = run_script("01_scrape.py", "--refresh", *args, "scrape.max_pages=2", env=env, timeout=300)
        result.refresh_requests = list(requests)
        result.index_after_refresh = read_jsonl(index)
    result.base = base
    return result


def test_interrupted_crawl_keeps_saved_pages_and_closes_the_browser(demo_crawls):
    r = demo_crawls
    assert r.interrupted_rc == 130, r.interrupted_err
    assert "interrupted" in r.interrupted_err and "Traceback" not in r.interrupted_err
    assert r.leftover_browsers == [] and r.leftover_profiles == []
    assert len(r.index_after_interrupt) >= 3
    for row in r.index_after_interrupt:  # each saved page is whole
        text = (r.files / "web" / f"{row['slug']}.txt").read_bytes()
        assert hashlib.sha256(text).hexdigest() == row["sha256"]
        assert (r.files / "web" / f"{row['slug']}.html").stat().st_size > 0


def test_resumed_crawl_saves_every_allowed_page_once(demo_crawls):
    r = demo_crawls
    assert r.resumed.returncode == 0, r.resumed.stderr
    assert sorted(path_of(row["url"]) for row in r.index) == sorted(PLANTED["page_url_paths"])
    assert all(set(row) == INDEX_KEYS and row["status"] == 200 for row in r.index)
    # the pages saved before the interrupt kept their rows and were not fetched again
    assert r.index[: len(r.index_after_interrupt)] == r.index_after_interrupt
    refetched = {path_of(row["url"]) for row in r.index_after_interrupt} & set(r.resumed_requests)
    if PLANTED["redirect"]["from"] in r.resumed_requests:  # loading the alias loads its target too
        refetched.discard(PLANTED["redirect"]["to"])
    assert not refetched
    assert f"{len(r.index_after_interrupt)} already saved" in r.resumed.stdout
    # pages only reachable through links (not in the sitemap) were found
    assert set(PLANTED["link_only_pages"]) <= {path_of(row["url"]) for row in r.index}
    slugs = [row["slug"] for row in r.index]
    assert len(set(slugs)) == len(slugs)


def test_robots_disallowed_page_and_other_sites_are_not_fetched(demo_crawls):
    r = demo_crawls
    every_request = r.interrupted_requests + r.resumed_requests + r.rerun_requests
    assert not [path for path in every_request if path.startswith(PLANTED["disallowed_prefix"])]
    assert f"{r.base}{PLANTED['disallowed_pages'][0]}" in r.resumed.stdout.split("skipped by robots:")[1].splitlines()[0]
    touched = [row["url"] for row in r.index] + [row["url"] for row in r.not_saved]
    assert all(url.startswith(r.base + "/") for url in touched)
    other_sites = int(re.search(r"other sites: +(\d+) links not followed", r.resumed.stdout).group(1))
    assert other_sites >= len(PLANTED["external_link_hosts"])
    assert not [path for path in every_request if path in PLANTED["assets"] and path.endswith(".pdf")]


def test_javascript_only_text_is_captured(demo_crawls):
    r = demo_crawls
    sentence, page = PLANTED["js_only"]["sentence"], PLANTED["js_only"]["page"]
    assert sentence not in (REPO / "demo" / "site" / page.lstrip("/")).read_text(encoding="utf-8")
    row = next(row for row in r.index if path_of(row["url"]) == page)
    assert sentence in (r.files / "web" / f"{row['slug']}.txt").read_text(encoding="utf-8")
    assert sentence in (r.files / "web" / f"{row['slug']}.html").read_text(encoding="utf-8")


def test_redirect_is_followed_and_broken_link_reported(demo_crawls):
    r = demo_crawls
    redirect = PLANTED["redirect"]
    alias = next(row for row in r.not_saved if path_of(row["url"]) == redirect["from"])
    assert alias["final_url"] == r.base + redirect["to"] and not alias["failure"]
    assert path_of(alias["final_url"]) in {path_of(row["url"]) for row in r.index}
    broken = next(row for row in r.not_saved if path_of(row["url"]) == PLANTED["broken_link"])
    assert broken["failure"] and broken["status"] == 404
    assert path_of(broken["referrer"]) == PLANTED["broken_link_found_on"]
    warnings = [line for line in (r.interrupted_err + r.resumed.stderr).splitlines() if "WARNING" in line]
    assert any(PLANTED["broken_link"] in line and "HTTP 404" in line for line in warnings)
    assert re.search(
        rf"{re.escape(PLANTED['broken_link'])}: HTTP 404 \(linked from \S+{PLANTED['broken_link_found_on']}\)", r.resumed.stdout
    )


def test_second_run_fetches_nothing(demo_crawls):
    r = demo_crawls
    assert r.rerun.returncode == 0, r.rerun.stderr
    assert sorted(set(r.rerun_requests)) == ["/robots.txt", "/sitemap.xml"]
    assert f"{len(PLANTED['page_url_paths'])} (0 fetched now" in r.rerun.stdout
    assert "the browser was not started" in r.rerun.stdout
    assert r.index_bytes_after_rerun == r.index_bytes
    manifest = json.loads((r.files / "manifest.json").read_text())
    assert manifest["stage"] == "scrape" and manifest["counts"]["web_pages"] == len(PLANTED["page_url_paths"])


def test_refresh_fetches_saved_pages_again_and_replaces_their_rows(demo_crawls):
    r = demo_crawls
    assert r.refresh.returncode == 0, r.refresh.stderr
    before = {row["url"]: row for row in r.index}
    after = {row["url"]: row for row in r.index_after_refresh}
    assert list(after) == list(before)  # same pages, same order, no duplicate rows
    refreshed = [url for url in after if after[url]["fetched_at"] != before[url]["fetched_at"]]
    assert len(refreshed) == 2 and {path_of(url) for url in refreshed} <= set(r.refresh_requests)
    assert all(after[url]["slug"] == before[url]["slug"] for url in after)


def test_dry_run_fetches_and_writes_nothing(tmp_path):
    with recorded_demo_site() as (base, requests):
        result = run_script(
            "01_scrape.py",
            "--dry-run",
            "--config",
            "configs/demo.yaml",
            f"brand.website={base}/",
            f"paths.files_dir={tmp_path / 'files'}",
            env={"APIFY_TOKEN": ""},
        )
    assert result.returncode == 0, result.stderr
    assert f"{base}/ with Chromium" in result.stdout and "facebook_posts.json" in result.stdout
    assert requests == [] and not (tmp_path / "files").exists()


# --------------------------------------------------------------------------- a site of faults


BIG_BODY = b"<html><head><meta charset='utf-8'><title>big</title></head><body>" + b"<p>chai</p>\n" * 200_000


def html_page(title: str, body: str) -> bytes:
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>{title}</title></head><body>{body}</body></html>").encode()


class FaultHandler(QuietHandler):
    server: "FaultServer"

    def do_GET(self):  # noqa: N802
        path = urlsplit(self.path).path
        self.server.requests.append(path)
        base = self.server.base
        if path == "/robots.txt":
            return self.send(200, f"User-agent: *\nDisallow: /private/\nSitemap: {base}/sitemap_index.xml\n".encode(), "text/plain")
        if path == "/sitemap_index.xml":
            return self.send(
                200,
                (
                    '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                    f"<sitemap><loc>{base}/sitemap-pages.xml.gz</loc></sitemap></sitemapindex>"
                ).encode(),
                "application/xml",
            )
        if path == "/sitemap-pages.xml.gz":
            xml = (
                '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                f"<url><loc>{base}/only-in-sitemap.html</loc></url></urlset>"
            )
            return self.send(200, gzip.compress(xml.encode()), "application/gzip")
        if path == "/":
            links = [
                "/hang",
                "/huge",
                "/huge-stream",
                "/loop-a",
                "/malformed",
                "/flaky",
                "/moved",
                "/gone",
                "/doc.pdf",
                "/private/secret.html",
                "/page?utm_source=home",
                "/page#top",
                "mailto:x@example.org",
                "tel:+920000000",
                "http://elsewhere.invalid/page",
            ]
            return self.send(200, html_page("Faults", "".join(f'<a href="{link}">{link}</a> ' for link in links)))
        if path == "/hang":
            self.server.release.wait(60)
            return None
        if path == "/huge":
            return self.send(200, BIG_BODY)
        if path == "/huge-stream":  # no Content-Length: the size shows only while it arrives
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            try:
                for start in range(0, len(BIG_BODY), 65536):
                    self.wfile.write(BIG_BODY[start : start + 65536])
            except OSError:
                pass
            return None
        if path in ("/loop-a", "/loop-b"):
            return self.redirect("/loop-b" if path == "/loop-a" else "/loop-a")
        if path == "/moved":
            return self.redirect("/landing.html")
        if path == "/malformed":
            return self.send(200, b"<html><body><p>Malformed but <b>readable<div><table><tr><td>still here</p></i>")
        if path == "/flaky":
            self.server.flaky_calls += 1
            if self.server.flaky_calls == 1:
                return self.send(503, b"busy, try again", "text/plain")
            return self.send(200, html_page("Flaky", "<p>Second time lucky.</p>"))
        if path in ("/page", "/landing.html", "/only-in-sitemap.html"):
            return self.send(200, html_page(path, f"<p>This is {path}, a plain page.</p>"))
        return self.send(404, b"not found", "text/plain")

    def redirect(self, target: str):
        self.send_response(302)
        self.send_header("Location", self.server.base + target)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def send(self, status: int, body: bytes, content_type: str = "text/html"):
        super().send(status, body, f"{content_type}; charset=utf-8")


class FaultServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), FaultHandler)
        self.base = f"http://127.0.0.1:{self.server_address[1]}"
        self.requests, self.flaky_calls, self.release = [], 0, threading.Event()


@pytest.fixture(scope="module")
def fault_site():
    server = FaultServer()
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    yield server
    server.release.set()
    server.shutdown()
    server.server_close()


FAULT_OVERRIDES = ["scrape.page_timeout_seconds=3", "scrape.max_retries=1", "scrape.max_page_bytes=100000"]  # over FAST_CRAWL


@pytest.fixture(scope="module")
def fault_crawl(fault_site, tmp_path_factory):
    files = tmp_path_factory.mktemp("fault-crawl") / "files"
    result = crawl(fault_site.base, files, *FAULT_OVERRIDES)
    index = {path_of(row["url"]): row for row in read_jsonl(files / "web" / "index.jsonl")}
    not_saved = {path_of(row["url"]): row for row in read_jsonl(files / "web" / "not_saved.jsonl")}
    return SimpleNamespace(result=result, index=index, not_saved=not_saved, files=files, requests=list(fault_site.requests))


def test_faults_are_reported_one_line_each_and_the_crawl_goes_on(fault_crawl):
    r = fault_crawl
    assert r.result.returncode == 0, r.result.stderr
    assert "Traceback" not in r.result.stderr
    expected = {
        "/hang": "timed out after 3 s",
        "/huge": "larger than scrape.max_page_bytes=100000",
        "/huge-stream": "larger than scrape.max_page_bytes=100000",
        "/loop-a": "redirect loop",
        "/gone": "HTTP 404",
    }
    warnings = [line for line in r.result.stderr.splitlines() if "WARNING" in line]
    for path, reason in expected.items():
        assert reason in r.not_saved[path]["reason"] and r.not_saved[path]["failure"], r.not_saved.get(path)
        assert any(path in line and reason in line for line in warnings), path
        assert f"{path}: {r.not_saved[path]['reason']}" in r.result.stdout  # listed in the summary
    assert set(r.index) == {"/", "/malformed", "/flaky", "/moved", "/page", "/only-in-sitemap.html"}


def test_malformed_html_redirects_and_retries_still_give_pages(fault_crawl):
    r = fault_crawl
    text = (r.files / "web" / f"{r.index['/malformed']['slug']}.txt").read_text()
    assert "Malformed but readable" in text and "still here" in text
    moved = r.index["/moved"]
    assert path_of(moved["final_url"]) == "/landing.html" and moved["status"] == 200
    assert "/landing.html" not in r.index  # saved once, under the URL that led to it
    assert r.requests.count("/flaky") == 2  # a 503, then a successful retry
    assert r.requests.count("/hang") == 2  # one retry after the timeout, then given up


def test_fault_site_robots_sitemap_index_and_url_variants(fault_crawl):
    r = fault_crawl
    assert "/only-in-sitemap.html" in r.index  # found through a gzipped sitemap named by a sitemap index
    assert r.requests.count("/page") == 1  # ?utm_source and #fragment are the same page
    assert not [p for p in r.requests if p.startswith("/private/") or p.endswith(".pdf")]
    assert "/private/secret.html" in r.result.stdout.split("skipped by robots:")[1].splitlines()[0]


@pytest.mark.parametrize("case", ["missing", "not-a-browser", "not-on-path"])
def test_missing_or_broken_browser_is_one_clear_line(case, fault_site, tmp_path):
    overrides, env, code = [], {"APIFY_TOKEN": "", "TMPDIR": str(tmp_path)}, 1
    if case == "missing":
        overrides, code = ["scrape.browser_path=/nonexistent/chromium"], 2
    elif case == "not-a-browser":
        overrides = [f"scrape.browser_path={Path('/bin/true')}"]
    else:
        env["PATH"] = str(tmp_path)
    result = run_script(
        "01_scrape.py",
        "--config",
        "configs/demo.yaml",
        f"brand.website={fault_site.base}/",
        f"paths.files_dir={tmp_path / 'files'}",
        *FAST_CRAWL,
        *FAULT_OVERRIDES,
        *overrides,
        env=env,
    )
    assert result.returncode == code
    error = [line for line in result.stderr.splitlines() if "error" in line.lower()]
    assert len(error) == 1 and "Traceback" not in result.stderr
    assert {"missing": "scrape.browser_path", "not-a-browser": "/bin/true exited with code 0", "not-on-path": "no Chromium found on PATH"}[
        case
    ] in error[0]
    assert browser_processes(str(tmp_path)) == []


def test_unreachable_site_is_one_clear_line(tmp_path):
    import socket

    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    result = run_script(
        "01_scrape.py",
        "--config",
        "configs/demo.yaml",
        f"brand.website=http://127.0.0.1:{port}/",
        f"paths.files_dir={tmp_path / 'files'}",
        "scrape.max_retries=0",
        "scrape.import_dir=null",
        env={"APIFY_TOKEN": ""},
    )
    assert result.returncode == 1
    assert re.search(rf"ERROR cannot reach http://127.0.0.1:{port}/robots.txt \(.*refused.*\): check brand.website", result.stderr), (
        result.stderr
    )


KILLED_CRAWL = """
import asyncio, os, signal
from brandtone.config_schema import ScrapeConfig
from brandtone.scrape.web.browser import Chromium, find_browser
from brandtone.scrape.web.page_load import load_page

async def crawl():
    browser = Chromium(find_browser(None), ScrapeConfig())
    await browser.start()
    await load_page(browser, "data:text/html,<title>t</title><p>one page</p>")
    os.kill(os.getpid(), signal.SIGKILL)  # as the OOM killer would: no clean-up runs

asyncio.run(crawl())
"""


def wait_for_browser_exit(profile: Path, seconds: float = 20.0) -> None:
    """Until no process runs with `profile` on its command line: a helper still exiting may write into it."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not browser_processes(str(profile)):
            return
        time.sleep(0.1)
    raise AssertionError(f"the killed crawl's browser still runs with {profile} after {seconds} s")


@pytest.fixture
def short_tmpdir():
    """A temporary folder with a short path: Chromium's singleton socket path in it must fit 107 bytes."""
    import shutil
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="bt-", dir="/tmp"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def test_a_killed_crawls_browser_profile_is_removed_by_the_next_and_nothing_else(short_tmpdir, monkeypatch, caplog):
    import tempfile

    from brandtone.ownership import HOST, writer_tag
    from brandtone.scrape.web.browser import PROFILE_MARK, remove_dead_profiles

    tmp = short_tmpdir
    killed = subprocess.run(
        [sys.executable, "-c", KILLED_CRAWL],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(REPO), "TMPDIR": str(tmp)},
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    (profile,) = tmp.glob("brandtone-chromium-*")
    wait_for_browser_exit(profile)  # its Chromium dies with it (PR_SET_PDEATHSIG), its helpers a moment later
    (singleton,) = tmp.glob("org.chromium.Chromium.*")  # Chromium's own, for its singleton socket
    assert profile.name.startswith(f"brandtone-chromium-{HOST}-")
    dead_pid = profile.name.removeprefix(f"brandtone-chromium-{HOST}-").partition("-")[0]
    others = {  # a profile of a crawl still running, another machine's, one unmarked, someone else's
        f"brandtone-chromium-{writer_tag()}-inuse123": writer_tag(),
        f"brandtone-chromium-otherbox-{dead_pid}-abcd1234": f"otherbox-{dead_pid}",
        f"brandtone-chromium-{HOST}-{dead_pid}-unmarked": None,
        "brandtone-chromium-notes": None,
        "org.chromium.Chromium.Xy12ab": None,  # another browser's
    }
    for name, writer in others.items():
        (tmp / name).mkdir()
        if writer:
            (tmp / name / PROFILE_MARK).write_text(json.dumps({"writer": writer}))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp))
    with caplog.at_level("INFO", logger="brandtone.ownership"):
        remove_dead_profiles()  # what the next crawl's browser start does first
    assert sorted(p.name for p in tmp.iterdir()) == sorted(others)
    removed = [r.getMessage() for r in caplog.records]
    assert [line.split(",")[0] for line in removed] == [f"removed {singleton}", f"removed {profile}"]
    assert "MB freed" in removed[1]
